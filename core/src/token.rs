//! Tokens and their case-folded hashes: the one definition of "a word" shared by the
//! dictionary tables (computed when the crate is built, see `build.rs`) and the scanner.
//!
//! This file uses nothing outside `std`, so `build.rs` can include it as it is.

/// Shape of a token's letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)]
pub enum Shape {
    /// "Anna", "McDonald", "O'Brien": an upper-case first letter and some lower case.
    Cap,
    /// "ANNA": two or more letters, all upper case.
    Upper,
    /// "anna".
    Lower,
    /// Only digits.
    Digit,
    /// Anything else ("a1", "iPhone", "A").
    Other,
}

/// A token: a maximal run of letters and digits of any script, with apostrophes inside
/// ("O'Brien", "m'appelle") but not a trailing possessive "'s".
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub shape: Shape,
    /// Only ASCII bytes.
    pub ascii: bool,
    /// Only ASCII letters and digits (no apostrophe).
    pub plain: bool,
}

const T_LOWER: u8 = 1;
const T_UPPER: u8 = 2;
const T_DIGIT: u8 = 4;
const T_HIGH: u8 = 8;

static TCLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_lowercase() {
            T_LOWER
        } else if c.is_ascii_uppercase() {
            T_UPPER
        } else if c.is_ascii_digit() {
            T_DIGIT
        } else if c >= 0x80 {
            T_HIGH
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Class bits of a non-ASCII character.
fn char_class(ch: char) -> u8 {
    if ch.is_alphabetic() {
        if ch.is_uppercase() {
            T_UPPER
        } else if ch.is_lowercase() {
            T_LOWER
        } else {
            T_LOWER | T_UPPER
        }
    } else if ch.is_numeric() {
        T_DIGIT
    } else {
        0
    }
}

/// First and last characters with two bytes in UTF-8 (Latin, Greek, Cyrillic, ...).
const TWO_FIRST: u32 = 0x80;
const TWO_END: u32 = 0x800;

/// Classes and lower-case forms of the characters with two UTF-8 bytes, computed once per
/// process: most non-ASCII letters of European text, which would otherwise each cost a
/// Unicode table search.
struct TwoByte {
    class: [u8; (TWO_END - TWO_FIRST) as usize],
    /// The lower-case form when it is one character, else `'\0'`.
    lower: [char; (TWO_END - TWO_FIRST) as usize],
}

fn two_byte() -> &'static TwoByte {
    static TABLE: std::sync::OnceLock<Box<TwoByte>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new(TwoByte {
            class: [0; (TWO_END - TWO_FIRST) as usize],
            lower: ['\0'; (TWO_END - TWO_FIRST) as usize],
        });
        for cp in TWO_FIRST..TWO_END {
            let i = (cp - TWO_FIRST) as usize;
            if let Some(ch) = char::from_u32(cp) {
                t.class[i] = char_class(ch);
                let mut l = ch.to_lowercase();
                if let (Some(one), None) = (l.next(), l.next()) {
                    t.lower[i] = one;
                }
            }
        }
        t
    })
}

/// Builds the tables the tokenizer builds on first use (an engine calls this when it is
/// built, so that its first scan does not pay for them).
pub fn warm() {
    two_byte();
}

/// The character with two UTF-8 bytes at `b[i..]`, if that is what is there.
#[inline(always)]
fn two_byte_at(b: &[u8], i: usize) -> Option<u32> {
    let c = *b.get(i)?;
    if !(0xc2..=0xdf).contains(&c) {
        return None;
    }
    let c2 = *b.get(i + 1)?;
    Some((u32::from(c & 0x1f) << 6) | u32::from(c2 & 0x3f))
}

/// Class bits of the character at `i` and its length; non-ASCII characters are decoded.
#[inline(never)]
fn class_at(text: &str, i: usize) -> (u8, usize, char) {
    let b = text.as_bytes();
    let c = b[i];
    let k = TCLASS[usize::from(c)];
    if k != T_HIGH {
        return (k, 1, c as char);
    }
    if let Some(cp) = two_byte_at(b, i) {
        // `text` is UTF-8, so a two-byte lead is followed by its continuation byte.
        let ch = char::from_u32(cp).unwrap_or('\0');
        return (two_byte().class[(cp - TWO_FIRST) as usize], 2, ch);
    }
    match text[i..].chars().next() {
        Some(ch) => (char_class(ch), ch.len_utf8(), ch),
        None => (0, 1, '\0'),
    }
}

const T_WORD: u8 = T_LOWER | T_UPPER | T_DIGIT;

/// The next token starting at or after byte `i` (a char boundary).
#[inline]
pub fn next_token(text: &str, mut i: usize) -> Option<Tok> {
    let b = text.as_bytes();
    let n = b.len();
    // Skip to the next letter or digit.
    loop {
        while i < n && TCLASS[b[i] as usize] == 0 {
            i += 1;
        }
        if i >= n {
            return None;
        }
        if TCLASS[usize::from(b[i])] != T_HIGH {
            break;
        }
        let (k, len, _) = class_at(text, i);
        if k != 0 {
            break;
        }
        i += len;
    }
    // The common case: ASCII letters and digits up to an ASCII byte other than `'`.
    let first = TCLASS[usize::from(b[i])];
    if first & T_WORD != 0 {
        let mut rest = 0u8;
        let mut j = i + 1;
        while j < n {
            let k = TCLASS[usize::from(b[j])];
            if k & T_WORD == 0 {
                break;
            }
            rest |= k;
            j += 1;
        }
        if j >= n || (b[j] < 0x80 && b[j] != b'\'') {
            return Some(Tok { start: i, end: j, shape: ascii_shape(first, rest, j - i), ascii: true, plain: true });
        }
        if let Some(t) = token_latin(b, i, j, first, rest) {
            return Some(t);
        }
    } else if let Some(t) = token_latin(b, i, i, 0, 0) {
        return Some(t);
    }
    token_at(text, i)
}

/// [`token_at`] for the tokens of European text that are not plain ASCII: ASCII letters and
/// digits, characters of two UTF-8 bytes (Latin, Greek, Cyrillic letters) and inner ASCII
/// apostrophes, without decoding the text into chars. The token starts at `start` and
/// goes on at `i`: either `i == start` and a non-ASCII character is there, or `first` is
/// the class of the ASCII byte at `start` and `rest` those of the ASCII letters and digits
/// up to `i`. `None` when the token has anything else (longer characters, a typographic
/// apostrophe): then `token_at` settles it.
#[inline(never)]
fn token_latin(b: &[u8], start: usize, mut i: usize, mut first: u8, mut rest: u8) -> Option<Tok> {
    let n = b.len();
    // Classes of the two-byte characters after the first, and whether one is lower case
    // (`T_LOWER | T_UPPER` is a letter without case).
    let mut high = 0u8;
    let mut low = false;
    let mut ascii = true;
    let mut apostrophe = false;
    while i < n {
        let c = b[i];
        let k = TCLASS[usize::from(c)];
        if k & T_WORD != 0 {
            rest |= k;
            i += 1;
            continue;
        }
        if k == T_HIGH {
            if !(0xc2..=0xdf).contains(&c) {
                return None;
            }
            let c2 = *b.get(i + 1)?;
            let cp = (u32::from(c & 0x1f) << 6) | u32::from(c2 & 0x3f);
            let k = two_byte().class[(cp - TWO_FIRST) as usize];
            if k == 0 {
                break;
            }
            if i == start {
                first = k;
            } else {
                high |= k;
                low |= k == T_LOWER;
            }
            ascii = false;
            i += 2;
            continue;
        }
        if c != b'\'' || i == start {
            break;
        }
        // An apostrophe joins letters ("O'Brien") unless it starts a possessive.
        match b.get(i + 1) {
            Some(&(b's' | b'S')) => match b.get(i + 2) {
                None => break,
                Some(&c2) if c2 < 0x80 => {
                    if !c2.is_ascii_alphanumeric() {
                        break;
                    }
                }
                Some(_) => return None,
            },
            Some(&c1) if c1.is_ascii_alphabetic() => {}
            Some(&c1) if c1 < 0x80 => break,
            Some(_) => return None,
            None => break,
        }
        apostrophe = true;
        i += 1;
    }
    if i == start {
        return None;
    }
    let all = first | rest | high;
    let shape = if all & (T_LOWER | T_UPPER) == 0 {
        Shape::Digit
    } else if all & T_DIGIT != 0 {
        Shape::Other
    } else if first == T_UPPER && (rest & T_LOWER != 0 || low) {
        Shape::Cap
    } else if all & T_LOWER == 0 && i - start >= 2 {
        Shape::Upper
    } else if all & T_UPPER == 0 {
        Shape::Lower
    } else {
        Shape::Other
    };
    Some(Tok { start, end: i, shape, ascii, plain: ascii && !apostrophe })
}

/// The shape of an ASCII token from the classes of its first byte and of the others.
#[inline(always)]
fn ascii_shape(first: u8, rest: u8, len: usize) -> Shape {
    let all = first | rest;
    if all & (T_LOWER | T_UPPER) == 0 {
        Shape::Digit
    } else if all & T_DIGIT != 0 {
        Shape::Other
    } else if first == T_UPPER && rest & T_LOWER != 0 {
        Shape::Cap
    } else if all & T_LOWER == 0 && len >= 2 {
        Shape::Upper
    } else if all & T_UPPER == 0 {
        Shape::Lower
    } else {
        Shape::Other
    }
}

/// The token that starts at byte `i` (a letter or digit), any script.
#[inline(never)]
fn token_at(text: &str, mut i: usize) -> Option<Tok> {
    let b = text.as_bytes();
    let n = b.len();
    let start = i;
    // ASCII letters and digits: the common case, one table lookup a byte.
    let mut seen = 0u8;
    while i < n {
        let k = TCLASS[b[i] as usize];
        if k & T_WORD == 0 {
            break;
        }
        seen |= k;
        i += 1;
    }
    let run = i - start;
    let mut first = if run > 0 { TCLASS[usize::from(b[start])] } else { 0 };
    let mut ascii = true;
    let mut apostrophe = false;
    // Anything else: non-ASCII letters and inner apostrophes.
    while i < n {
        let c = b[i];
        let k = TCLASS[usize::from(c)];
        if k & T_WORD != 0 {
            seen |= k;
            i += 1;
            continue;
        }
        if k == T_HIGH {
            let (k, len, ch) = class_at(text, i);
            if k != 0 {
                if i == start {
                    first = k;
                }
                ascii = false;
                seen |= k;
                i += len;
                continue;
            }
            if ch != '\u{2019}' || i == start {
                break;
            }
        } else if c != b'\'' || i == start {
            break;
        }
        // An apostrophe joins letters ("O'Brien") unless it starts a possessive.
        let len = if c == b'\'' { 1 } else { 3 };
        let mut it = text[i + len..].chars();
        match (it.next(), it.next()) {
            (Some('s' | 'S'), next) if !next.is_some_and(char::is_alphanumeric) => break,
            (Some(c2), _) if c2.is_alphabetic() => {
                ascii &= len == 1;
                apostrophe = true;
                i += len;
            }
            _ => break,
        }
    }
    if i == start {
        return None;
    }
    let all = seen | first;
    let rest_lower = if first == T_UPPER {
        // Any lower-case letter after the first character.
        b[start..i].iter().skip(1).any(|c| c.is_ascii_lowercase())
            || (!ascii && text[start..i].chars().skip(1).any(char::is_lowercase))
    } else {
        false
    };
    let shape = if all & (T_LOWER | T_UPPER) == 0 {
        Shape::Digit
    } else if all & T_DIGIT != 0 {
        Shape::Other
    } else if first == T_UPPER && rest_lower {
        Shape::Cap
    } else if all & T_LOWER == 0 && i - start >= 2 {
        Shape::Upper
    } else if all & T_UPPER == 0 {
        Shape::Lower
    } else {
        Shape::Other
    };
    Some(Tok { start, end: i, shape, ascii, plain: ascii && !apostrophe })
}

/// Case-folding hashes of tokens and phrases.
///
/// A token's hash covers its lower-cased UTF-8 bytes (a typographic apostrophe counts as
/// `'`); a phrase's hash combines its tokens' hashes in order, so whatever separates the
/// tokens in a text (spaces, a line break, a hyphen) does not change it. Tokens are cut by
/// the same tokenizer when the lexicon is built and when a text is scanned
/// ([`next_token`](next_token)).
#[derive(Clone, Copy, Debug)]
pub struct Fold(Option<u64>);

const SEED: u64 = 0x243f_6a88_85a3_08d3;
const K: u64 = 0x9e37_79b9_7f4a_7c15;
const LOWER: u64 = 0x2020_2020_2020_2020;

/// Tokens longer than this are not words of any list.
const MAX_TOKEN: usize = 64;

#[inline]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 29;
    h
}

#[inline]
fn hash_lower_ascii(b: &[u8]) -> u64 {
    hash_lower_ascii_at(b, 0, b.len())
}

/// The hash of `b[start..end]` lower-cased as ASCII, reading whole words where the slice
/// allows (the bytes past `end` are masked off).
#[inline(always)]
pub fn hash_lower_ascii_at(b: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    let mut h = SEED ^ (len as u64);
    // Most words: one read of eight bytes (the same steps as below, without the loop).
    // (`start <= b.len() - 8` is `start + 8 <= b.len()` written so that no overflow check
    // remains.)
    if len.wrapping_sub(1) < 8 && b.len() >= 8 && start <= b.len() - 8 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[start..start + 8]);
        return hash_word(u64::from_le_bytes(w), len);
    }
    let mut i = start;
    while i + 8 <= end {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        h = (h.rotate_left(5) ^ (u64::from_le_bytes(w) | LOWER)).wrapping_mul(K);
        i += 8;
    }
    let rest = end - i;
    if rest > 0 {
        let w = if i + 8 <= b.len() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            u64::from_le_bytes(w)
        } else {
            let mut w = [0u8; 8];
            w[..rest].copy_from_slice(&b[i..end]);
            u64::from_le_bytes(w)
        };
        let mask = u64::MAX >> (64 - 8 * rest as u32);
        h = (h.rotate_left(5) ^ ((w | LOWER) & mask)).wrapping_mul(K);
    }
    mix(h)
}

/// [`hash_lower_ascii_at`] of a word of `len` bytes, 1 to 8, given as the eight bytes
/// from its start (little-endian; the bytes past `len` do not count).
#[inline(always)]
pub fn hash_word(w: u64, len: usize) -> u64 {
    let h = SEED ^ (len as u64);
    let mask = u64::MAX >> (64 - 8 * len as u32);
    mix((h.rotate_left(5) ^ ((w | LOWER) & mask)).wrapping_mul(K))
}

/// The hash of one token (letters, digits and inner apostrophes, as the tokenizer cuts
/// them), ignoring case.
#[inline]
pub fn token_hash(tok: &str) -> u64 {
    let b = tok.as_bytes();
    if b.len() > MAX_TOKEN {
        return 0;
    }
    if tok.is_ascii() {
        return hash_lower_ascii(b);
    }
    if let Some(h) = hash_latin(b) {
        return h;
    }
    // Lower-case into a buffer, then hash like ASCII (whose bytes `| 0x20` leaves as is).
    let mut buf = [0u8; MAX_TOKEN * 2];
    let mut n = 0;
    let mut utf8 = [0u8; 4];
    for c in tok.chars() {
        let mut put = |c: char, n: &mut usize| {
            let e = c.encode_utf8(&mut utf8).as_bytes();
            if *n + e.len() <= buf.len() {
                buf[*n..*n + e.len()].copy_from_slice(e);
            }
            *n += e.len();
        };
        if c == '\u{2019}' {
            put('\'', &mut n);
        } else if c.is_ascii() {
            put(c.to_ascii_lowercase(), &mut n);
        } else {
            let cp = u32::from(c);
            let one =
                if (TWO_FIRST..TWO_END).contains(&cp) { two_byte().lower[(cp - TWO_FIRST) as usize] } else { '\0' };
            if one != '\0' {
                put(one, &mut n);
            } else {
                for l in c.to_lowercase() {
                    put(l, &mut n);
                }
            }
        }
    }
    if n > buf.len() {
        return 0;
    }
    // Non-ASCII bytes can change under `| 0x20`; that is fine as long as it is the same
    // function at build and scan time, which it is.
    hash_lower_ascii(&buf[..n])
}

/// [`token_hash`] of a token of at most `MAX_TOKEN` bytes made of ASCII and two-byte
/// characters whose lower case is one character of at most two bytes (most European
/// words), lower-cased byte by byte; `None` for anything else.
#[inline(never)]
fn hash_latin(b: &[u8]) -> Option<u64> {
    if b.len() > MAX_TOKEN {
        return None;
    }
    // Each character lower-cased is at most as long as it was, so `n <= i < b.len()`
    // and the masks below change no index.
    const M: usize = MAX_TOKEN - 1;
    let lower = &two_byte().lower;
    let mut buf = [0u8; MAX_TOKEN];
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        // ASCII bytes as they are (the hash lower-cases them, `| 0x20`), eight at a time
        // where the token has eight more bytes: those after the ASCII ones are written
        // over next, or lie past the end.
        if let (Some(src), Some(dst)) = (b.get(i..i + 8), buf.get_mut(n..n + 8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(src);
            let ascii = (u64::from_le_bytes(w) & 0x8080_8080_8080_8080).trailing_zeros() as usize / 8;
            if ascii > 0 {
                dst.copy_from_slice(src);
                n += ascii;
                i += ascii;
                continue;
            }
        }
        let c = b[i];
        if c < 0x80 {
            buf[n & M] = c;
            n += 1;
            i += 1;
            continue;
        }
        if !(0xc2..=0xdf).contains(&c) {
            return None;
        }
        let cp = (u32::from(c & 0x1f) << 6) | u32::from(*b.get(i + 1)? & 0x3f);
        let l = u32::from(lower[(cp - TWO_FIRST) as usize]);
        if l == 0 || l >= TWO_END {
            return None;
        }
        if l < TWO_FIRST {
            buf[n & M] = l as u8;
            n += 1;
        } else {
            buf[n & M] = 0xc0 | (l >> 6) as u8;
            buf[(n + 1) & M] = 0x80 | (l & 0x3f) as u8;
            n += 2;
        }
        i += 2;
    }
    // Hashed in place: the bytes of `buf` past `n` are read but masked off.
    Some(hash_lower_ascii_at(&buf, 0, n.min(MAX_TOKEN)))
}

impl Fold {
    /// An empty phrase.
    #[inline]
    pub fn new() -> Fold {
        Fold(None)
    }

    /// Appends a token given by its hash.
    #[inline]
    pub fn push_hash(&mut self, t: u64) {
        self.0 = Some(match self.0 {
            None => t,
            Some(h) => mix((h.rotate_left(23) ^ t).wrapping_mul(K)),
        });
    }

    /// Appends a token.
    #[inline]
    pub fn push(&mut self, tok: &str) {
        self.push_hash(token_hash(tok));
    }

    /// The phrase's hash (0 for an empty phrase, which no entry has).
    #[inline]
    pub fn finish(self) -> u64 {
        self.0.unwrap_or(0)
    }

    /// Hash of a phrase given as text, cut into tokens by the tokenizer.
    pub fn phrase(s: &str) -> u64 {
        let mut f = Fold::new();
        let mut at = 0;
        while let Some(t) = next_token(s, at) {
            f.push(&s[t.start..t.end]);
            at = t.end;
        }
        f.finish()
    }
}

/// Flags of a lexicon entry.
#[allow(dead_code)]
pub mod flag {
    pub const GIVEN: u32 = 1 << 0;
    pub const SURNAME: u32 = 1 << 1;
    pub const CITY: u32 = 1 << 2;
    pub const CONDITION: u32 = 1 << 3;
    pub const MEDICATION: u32 = 1 << 4;
    /// A frequent word of some language: a name or term that is one needs context.
    pub const COMMON: u32 = 1 << 5;
    pub const TITLE: u32 = 1 << 6;
    /// A street type that follows the street name ("Street", "Road", "straat").
    pub const STREET_AFTER: u32 = 1 << 7;
    /// A street type that precedes the street name ("rue", "Via", "Calle", "ul.").
    pub const STREET_BEFORE: u32 = 1 << 8;
    /// A surname particle ("van", "de", "von", "di").
    pub const PARTICLE: u32 = 1 << 9;
    /// Words that introduce a name ("Dear", "Hallo", "Patient").
    pub const GREETING: u32 = 1 << 10;
    /// Words that close a message before a signature ("Regards", "Grüße").
    pub const CLOSING: u32 = 1 << 11;
    /// A proper prefix of a multi-word entry that is not a city or a medical term.
    pub const PREFIX: u32 = 1 << 12;
    /// A proper prefix of a multi-word city ("New" of "New York").
    pub const PREFIX_CITY: u32 = 1 << 17;
    /// A proper prefix of a multi-word medical term ("type" of "type 2 diabetes").
    pub const PREFIX_MEDICAL: u32 = 1 << 18;
    /// An ICD-10 code without its dot ("E119").
    pub const ICD10: u32 = 1 << 19;
    /// A label that a name follows after a colon ("Name:", "Patient:", "To:").
    pub const LABEL: u32 = 1 << 20;
    /// Phrases that introduce the speaker's name ("my name is", "ich heiße").
    pub const INTRO: u32 = 1 << 13;
    /// A medical term that is also an everyday word ("cold", "depression"): needs context.
    pub const AMBIGUOUS_MEDICAL: u32 = 1 << 14;
    /// A city name that needs context (local-language variants).
    pub const AMBIGUOUS_CITY: u32 = 1 << 15;
    /// A title from the broad lists ("Ambassador", "Bishop"): a title only when it is not
    /// also a common word, or when a period follows it.
    pub const TITLE_WEAK: u32 = 1 << 16;
}

/// Layout of the dictionary table: `1 << TABLE_BITS` little-endian u64 slots, each 0
/// (empty) or `fingerprint << 24 | flags`, found by linear probing from the hash's top
/// bits. The fingerprint is 40 bits of the hash (never 0).
pub mod table {
    pub const TABLE_BITS: u32 = 21;
    pub const FLAG_BITS: u32 = 24;

    #[inline(always)]
    pub fn home(h: u64) -> usize {
        (h >> (64 - TABLE_BITS)) as usize
    }

    #[inline(always)]
    pub fn fingerprint(h: u64) -> u64 {
        (h & ((1 << 40) - 1)) | (1 << 39)
    }

    /// Bits of the small filters (`lower`, `intro`, `phrase`), as log2 of their size.
    pub const LOWER_BITS: u32 = 20;
    pub const INTRO_BITS: u32 = 12;
    pub const PHRASE_BITS: u32 = 14;
    /// The first two tokens of every phrase of two or more (their `Fold` hash).
    pub const PAIR_BITS: u32 = 20;
    /// The first tokens of cities.
    pub const CITY_BITS: u32 = 20;
    /// The plural forms of one-word medical terms.
    pub const PLURAL_BITS: u32 = 20;

    #[inline(always)]
    pub fn bit(h: u64, log2: u32) -> usize {
        (h & ((1u64 << log2) - 1)) as usize
    }
}

/// Tokens of a text, found 64 bytes at a time with word-wide bit masks; what the masks
/// cannot settle (non-ASCII letters, apostrophes, tokens across a 64-byte boundary) goes
/// to [`next_token`]. Yields exactly the tokens of repeated `next_token` calls.
#[derive(Clone)]
pub struct Words<'t> {
    text: &'t str,
    base: usize,
    word: u64,
    upper: u64,
    lower: u64,
    special: u64,
}

#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
const H8: u64 = 0x8080_8080_8080_8080;
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
const L8: u64 = 0x0101_0101_0101_0101;

/// Bit 7 of each byte of `m`, gathered into 8 bits.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
#[inline(always)]
fn gather(m: u64) -> u64 {
    ((m & H8).wrapping_mul(0x0002_0408_1020_4081)) >> 56
}

/// Bit 7 set in each ASCII byte of `x` that lies in `lo..=hi`.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
#[inline(always)]
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let ge = (x | H8).wrapping_sub(L8 * u64::from(lo));
    let gt = (x & !H8).wrapping_add(L8 * u64::from(0x7f - hi));
    ge & !gt & !x & H8
}

/// `f` of the 64 bytes of `b` from `at`, padded with zero bytes past the end of `b`.
#[inline(always)]
fn with_chunk<T>(b: &[u8], at: usize, f: impl Fn(&[u8]) -> T) -> T {
    match b.get(at..at + 64) {
        Some(chunk) => f(chunk),
        None => {
            let mut buf = [0u8; 64];
            let n = b.len().saturating_sub(at);
            if n > 0 {
                buf[..n].copy_from_slice(&b[at..]);
            }
            f(&buf)
        }
    }
}

/// Bit masks of 64 bytes, bit `i` for byte `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Masks {
    /// ASCII letters and digits and non-ASCII bytes: what tokens are made of.
    pub word: u64,
    /// ASCII upper-case letters.
    pub upper: u64,
    /// ASCII lower-case letters.
    pub lower: u64,
    /// What the masks cannot settle: non-ASCII bytes and `'`.
    pub special: u64,
}

impl Masks {
    /// The masks of the 64 bytes from `at`; bytes past the end of `b` count as zero bytes
    /// (no class).
    #[inline(always)]
    pub fn at(b: &[u8], at: usize) -> Masks {
        with_chunk(b, at, masks)
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn masks(c: &[u8]) -> Masks {
    // SAFETY: the function only exists when SSE2 is enabled for the whole build (it is
    // part of the x86_64 baseline), which is all `masks_sse2` requires.
    unsafe { masks_sse2(c) }
}

/// [`masks`] with SSE2: 16 bytes per compare, one `movemask` per mask.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn masks_sse2(c: &[u8]) -> Masks {
    use std::arch::x86_64::{
        _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_slli_epi16,
    };
    let mut r = Masks { word: 0, upper: 0, lower: 0, special: 0 };
    for k in 0..4 {
        let (x, letter, dg) = classes16(c, 16 * k);
        let ap = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x27));
        let m = |v| u64::from(_mm_movemask_epi8(v) as u16);
        // Bit 5 (0x20) of each byte, moved to bit 7: set for lower-case letters.
        let small = _mm_slli_epi16::<2>(x);
        let sh = 16 * k as u32;
        // Bit 7 of `x` marks the non-ASCII bytes.
        r.word |= m(_mm_or_si128(_mm_or_si128(letter, dg), x)) << sh;
        r.upper |= m(_mm_andnot_si128(small, letter)) << sh;
        r.lower |= m(_mm_and_si128(letter, small)) << sh;
        r.special |= m(_mm_or_si128(x, ap)) << sh;
    }
    r
}

/// The 16 bytes of `c` from `i`, and the lanes of its ASCII letters and of its digits.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn classes16(
    c: &[u8],
    i: usize,
) -> (std::arch::x86_64::__m128i, std::arch::x86_64::__m128i, std::arch::x86_64::__m128i) {
    use std::arch::x86_64::{_mm_add_epi8, _mm_cmplt_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8};
    let lo = u64::from_le_bytes(eight(c, i));
    let hi = u64::from_le_bytes(eight(c, i + 8));
    let x = _mm_set_epi64x(hi as i64, lo as i64);
    // A byte is in `lo..lo + n` when adding `0x80 - lo` takes it to `-128..-128 + n` as
    // i8: one add and one signed compare per range.
    let in_range = |v, lo: u8, n: u8| {
        _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8)), _mm_set1_epi8((n ^ 0x80) as i8))
    };
    // Or-ing 0x20 folds ASCII upper case to lower case and takes no other byte into
    // `a..=z`.
    let letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 26);
    let dg = in_range(x, b'0', 10);
    (x, letter, dg)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn eight(c: &[u8], i: usize) -> [u8; 8] {
    let mut w = [0u8; 8];
    w.copy_from_slice(&c[i..i + 8]);
    w
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn masks(c: &[u8]) -> Masks {
    masks_swar(c)
}

/// Portable version of [`masks`], eight bytes at a time.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
#[inline(always)]
fn masks_swar(c: &[u8]) -> Masks {
    let mut r = Masks { word: 0, upper: 0, lower: 0, special: 0 };
    for k in 0..8 {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(&c[8 * k..8 * k + 8]);
        let x = u64::from_le_bytes(buf);
        let up = in_range(x, b'A', b'Z');
        let lo = in_range(x, b'a', b'z');
        let dg = in_range(x, b'0', b'9');
        let hi = x & H8;
        let ap = in_range(x, b'\'', b'\'');
        let sh = 8 * k as u32;
        r.word |= gather(up | lo | dg | hi) << sh;
        r.upper |= gather(up) << sh;
        r.lower |= gather(lo) << sh;
        r.special |= gather(hi | ap) << sh;
    }
    r
}

/// Two masks of 64 bytes for the scanner, bit `i` for byte `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanMasks {
    /// ASCII digits and `@`: where the byte anchors are.
    pub anchor: u64,
    /// ASCII letters, digits and `_`: bytes that continue a word.
    pub word: u64,
    /// Non-ASCII bytes.
    pub high: u64,
}

impl ScanMasks {
    /// The masks of the 64 bytes from `at`; bytes past the end of `b` count as zero bytes.
    #[inline(always)]
    pub fn at(b: &[u8], at: usize) -> ScanMasks {
        with_chunk(b, at, scan_masks)
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn scan_masks(c: &[u8]) -> ScanMasks {
    // SAFETY: as for `masks`: SSE2 is enabled for the whole build.
    unsafe { scan_masks_sse2(c) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn scan_masks_sse2(c: &[u8]) -> ScanMasks {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    let mut r = ScanMasks { anchor: 0, word: 0, high: 0 };
    for k in 0..4 {
        let (x, letter, dg) = classes16(c, 16 * k);
        let at = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x40));
        let us = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x5f));
        let sh = 16 * k as u32;
        r.anchor |= u64::from(_mm_movemask_epi8(_mm_or_si128(dg, at)) as u16) << sh;
        r.word |= u64::from(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, dg), us)) as u16) << sh;
        r.high |= u64::from(_mm_movemask_epi8(x) as u16) << sh;
    }
    r
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn scan_masks(c: &[u8]) -> ScanMasks {
    scan_masks_swar(c)
}

/// Portable version of [`scan_masks`].
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
#[inline(always)]
fn scan_masks_swar(c: &[u8]) -> ScanMasks {
    let mut r = ScanMasks { anchor: 0, word: 0, high: 0 };
    for k in 0..8 {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(&c[8 * k..8 * k + 8]);
        let x = u64::from_le_bytes(buf);
        let dg = in_range(x, b'0', b'9');
        let letters = in_range(x, b'A', b'Z') | in_range(x, b'a', b'z');
        let sh = 8 * k as u32;
        r.anchor |= gather(dg | in_range(x, b'@', b'@')) << sh;
        r.word |= gather(letters | dg | in_range(x, b'_', b'_')) << sh;
        r.high |= gather(x & H8) << sh;
    }
    r
}

impl<'t> Words<'t> {
    /// Tokens of `text` from byte `at` (a char boundary).
    pub fn new(text: &'t str, at: usize) -> Words<'t> {
        let mut w = Words { text, base: 0, word: 0, upper: 0, lower: 0, special: 0 };
        w.seek(at);
        w
    }

    /// Continues from byte `at` (a char boundary).
    #[inline]
    pub fn seek(&mut self, at: usize) {
        let b = self.text.as_bytes();
        self.base = at;
        let Masks { word, upper, lower, special } = Masks::at(b, at);
        self.word = word;
        self.upper = upper;
        self.lower = lower;
        self.special = special;
    }

    /// The next token.
    #[inline(always)]
    pub fn next_tok(&mut self) -> Option<Tok> {
        let mut t = Tok { start: 0, end: 0, shape: Shape::Other, ascii: true, plain: true };
        self.next_into(&mut t).then_some(t)
    }

    /// Like [`next_tok`](Words::next_tok), writing the token into `t` (false at the end of
    /// the text, `t` then unchanged): a loop over the tokens keeps its token in one place.
    #[inline(always)]
    pub fn next_into(&mut self, t: &mut Tok) -> bool {
        loop {
            if self.word == 0 {
                let next = self.base + 64;
                if next >= self.text.len() {
                    return false;
                }
                self.seek(next);
                continue;
            }
            let s = self.word.trailing_zeros();
            let r = (!(self.word >> s)).trailing_zeros();
            let start = self.base + s as usize;
            if s + r >= 64 {
                let Some(n) = self.straddling(start, s) else { return false };
                *t = n;
                return true;
            }
            // The run and the byte after it, as masks.
            let run = ((1u64 << r) - 1) << s;
            let around = run | (1u64 << (s + r));
            if self.special & around != 0 {
                let Some(n) = next_token(self.text, start) else { return false };
                let e = n.end - self.base;
                if e < 64 {
                    self.word &= !((1u64 << e) - 1);
                } else {
                    self.seek(n.end);
                }
                *t = n;
                return true;
            }
            self.word &= !run;
            *t = self.run_token(start, s, run, r);
            return true;
        }
    }

    /// The token `next_tok` returns next, without moving on: cheap when it lies within
    /// the current 64 bytes and is plain ASCII, as most are.
    #[inline(always)]
    pub fn peek(&self) -> Option<Tok> {
        if self.word == 0 {
            // No token starts in this chunk: the next one is the first of the rest.
            return next_token(self.text, self.base + 64);
        }
        let s = self.word.trailing_zeros();
        let r = (!(self.word >> s)).trailing_zeros();
        if s + r < 64 {
            let run = ((1u64 << r) - 1) << s;
            let around = run | (1u64 << (s + r));
            if self.special & around == 0 {
                return Some(self.run_token(self.base + s as usize, s, run, r));
            }
        }
        // Across the chunk's end, or more than ASCII letters and digits.
        next_token(self.text, self.base + s as usize)
    }

    /// The plain ASCII token of the bits `run` (`r` bits from bit `s`), at `start`.
    #[inline(always)]
    fn run_token(&self, start: usize, s: u32, run: u64, r: u32) -> Tok {
        if self.lower & run == run {
            // Most tokens: all lower case (what `mask_shape` says of them).
            return Tok { start, end: start + r as usize, shape: Shape::Lower, ascii: true, plain: true };
        }
        // No byte of the run is special: those that are no letters are digits.
        let (up, lo) = (self.upper & run, self.lower & run);
        let dg = run & !(up | lo);
        let first_upper = self.upper & (1u64 << s) != 0;
        let shape = mask_shape(up != 0, lo != 0, dg != 0, first_upper, r as usize);
        Tok { start, end: start + r as usize, shape, ascii: true, plain: true }
    }

    /// The token at `start` (bit `s` of this chunk), whose letters reach the end of the
    /// chunk: it goes on in the next chunk, which becomes the current one.
    #[inline(never)]
    fn straddling(&mut self, start: usize, s: u32) -> Option<Tok> {
        let b = self.text.as_bytes();
        let next = self.base + 64;
        let n = Masks::at(b, next);
        let r2 = n.word.trailing_ones();
        let here = u64::MAX << s;
        let (run2, around2) = if r2 < 64 { ((1u64 << r2) - 1, ((1u64 << r2) - 1) | (1u64 << r2)) } else { (0, 0) };
        if r2 >= 64 || self.special & here != 0 || n.special & around2 != 0 {
            let t = next_token(self.text, start)?;
            if t.end < next {
                self.word &= !((1u64 << (t.end - self.base)) - 1);
            } else if t.end - next < 64 {
                self.adopt(next, n, !((1u64 << (t.end - next)) - 1));
            } else {
                self.seek(t.end);
            }
            return Some(t);
        }
        let up = self.upper & here != 0 || n.upper & run2 != 0;
        let lo = self.lower & here != 0 || n.lower & run2 != 0;
        // No byte of either part is special: those that are no letters are digits.
        let dg = here & !(self.upper | self.lower) != 0 || run2 & !(n.upper | n.lower) != 0;
        let first_upper = self.upper & (1u64 << s) != 0;
        let end = next + r2 as usize;
        let shape = mask_shape(up, lo, dg, first_upper, end - start);
        self.adopt(next, n, !run2);
        Some(Tok { start, end, shape, ascii: true, plain: true })
    }

    /// Makes the chunk at `base` with masks `m` current, keeping the word bits in `keep`.
    #[inline(always)]
    fn adopt(&mut self, base: usize, m: Masks, keep: u64) {
        self.base = base;
        self.word = m.word & keep;
        self.upper = m.upper;
        self.lower = m.lower;
        self.special = m.special;
    }
}

/// The shape of an ASCII token from what its letters are.
#[inline(always)]
fn mask_shape(up: bool, lo: bool, dg: bool, first_upper: bool, len: usize) -> Shape {
    if !up && !lo {
        Shape::Digit
    } else if dg {
        Shape::Other
    } else if first_upper && lo {
        Shape::Cap
    } else if !lo && len >= 2 {
        Shape::Upper
    } else if !up {
        Shape::Lower
    } else {
        Shape::Other
    }
}

#[cfg(test)]
mod tests {
    use super::{T_HIGH, TCLASS, Tok, class_at, next_token, token_at};

    /// `next_token` without its ASCII fast path.
    fn next_token_general(text: &str, mut i: usize) -> Option<Tok> {
        let b = text.as_bytes();
        loop {
            while i < b.len() && TCLASS[usize::from(b[i])] == 0 {
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            if TCLASS[usize::from(b[i])] != T_HIGH || class_at(text, i).0 != 0 {
                return token_at(text, i);
            }
            i += class_at(text, i).1;
        }
    }

    #[test]
    fn short_word_hash_is_the_general_hash() {
        let text = b"Anna x MAY-be O'Brien 12345678 abcdefghi zZ tail";
        for start in 0..text.len() {
            for end in start + 1..=(start + 9).min(text.len()) {
                // A copy with nothing after the word cannot take the eight-byte read.
                let alone = &text[start..end];
                assert_eq!(
                    super::hash_lower_ascii_at(text, start, end),
                    super::hash_lower_ascii_at(alone, 0, alone.len()),
                    "{:?}",
                    std::str::from_utf8(alone)
                );
            }
        }
    }

    /// `token_hash` without its two-byte path.
    fn token_hash_general(tok: &str) -> u64 {
        let mut lower = String::new();
        for c in tok.chars() {
            if c == '\u{2019}' {
                lower.push('\'');
            } else {
                lower.extend(c.to_lowercase());
            }
        }
        if tok.len() > super::MAX_TOKEN || lower.len() > 2 * super::MAX_TOKEN {
            return 0;
        }
        super::hash_lower_ascii(lower.as_bytes())
    }

    #[test]
    fn two_byte_hash_is_the_general_hash() {
        let mut words = vec!["Zoë".to_string(), "GRÜßE".to_string(), "Ǆemal".to_string(), "l'École".to_string()];
        words.push("é".repeat(32));
        words.push("é".repeat(33));
        words.push(format!("a{}", "É".repeat(32)));
        for cp in super::TWO_FIRST..super::TWO_END {
            let Some(ch) = char::from_u32(cp) else { continue };
            words.push(format!("x{ch}Y"));
        }
        for w in &words {
            assert_eq!(super::token_hash(w), token_hash_general(w), "{w:?}");
        }
    }

    #[test]
    fn two_byte_table_agrees_with_char() {
        for cp in super::TWO_FIRST..super::TWO_END {
            let Some(ch) = char::from_u32(cp) else { continue };
            let s = ch.to_string();
            assert_eq!(super::class_at(&s, 0), (super::char_class(ch), 2, ch), "{ch:?}");
            let mut buf = String::new();
            for l in ch.to_lowercase() {
                buf.push(l);
            }
            let one = super::two_byte().lower[(cp - super::TWO_FIRST) as usize];
            if one != '\0' {
                assert_eq!(one.to_string(), buf, "{ch:?}");
            } else {
                assert_ne!(buf.chars().count(), 1, "{ch:?}");
            }
        }
    }

    #[test]
    fn ascii_fast_path_gives_the_general_tokens() {
        let pieces = [
            "a", "Zed", "7", "09", " ", "-", ".", "'", "\u{2019}", "'s", "'S", "O'Brien", "é", "Ü", "ß", "😀", "中文",
            "\n", "ANNA", "McDonald", "x1", "_", "@", "\u{a0}", "s", "É", "«", "²", "\u{1c5}", "א", "Ω", "ω", "'t",
            "'2", "'é", "ª", "\u{300}", "Ł", "d'", "l'É",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let (a, b) = (next_token(&text, i), next_token_general(&text, i));
                let key = |t: Option<Tok>| t.map(|t| (t.start, t.end, t.shape, t.ascii, t.plain));
                assert_eq!(key(a), key(b), "{text:?} at {i}");
            }
        }
    }
    #[test]
    fn simd_and_portable_masks_agree() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut chunk = [0u8; 64];
        for round in 0..20_000 {
            for c in chunk.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Every byte value, with ASCII letters, digits and `'` more often.
                let pick = |set: &[u8]| set[(state >> 8) as usize % set.len()];
                *c = match state % 4 {
                    0 => (state >> 8) as u8,
                    1 => pick(b"AZaz09'@`[{/:_^\x7f\x80\xff"),
                    _ => pick(b"aZ3' "),
                };
            }
            assert_eq!(super::masks(&chunk), super::masks_swar(&chunk), "round {round}: {chunk:?}");
            assert_eq!(super::scan_masks(&chunk), super::scan_masks_swar(&chunk), "round {round}: {chunk:?}");
        }
        for v in 0..=255u8 {
            assert_eq!(super::masks(&[v; 64]), super::masks_swar(&[v; 64]), "byte {v}");
            assert_eq!(super::scan_masks(&[v; 64]), super::scan_masks_swar(&[v; 64]), "byte {v}");
            let want = |ok: bool| if ok { u64::MAX } else { 0 };
            let m = super::scan_masks(&[v; 64]);
            assert_eq!(m.anchor, want(v.is_ascii_digit() || v == b'@'), "byte {v}");
            assert_eq!(m.word, want(v.is_ascii_alphanumeric() || v == b'_'), "byte {v}");
            assert_eq!(m.high, want(v >= 0x80), "byte {v}");
        }
    }
}
