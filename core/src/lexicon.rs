//! The lexicon: every dictionary word (names, cities, medical terms, street words, common
//! words) in one hash table keyed by a case-folded hash, with a bitset of what the word is.
//!
//! One lookup per token answers every question the word detectors ask. Multi-word entries
//! ("van der", "New York", "type 2 diabetes") are stored under the hash of the whole phrase
//! (tokens joined by one space), and every proper prefix of a phrase is stored with a
//! `*_PREFIX` flag so a detector extends a match only while it can still grow.
//!
//! Entries are not kept as strings: a 64-bit hash stands for the word. With about a
//! million entries the chance that a word of the text collides with an entry it is not is
//! about 5e-14 per token.
//!
//! The lists are embedded in the binary (`core/data/`, see its README and `NOTICE`), so
//! the engine needs no file or network at run time. The table is built once per process
//! and shared by every engine (it is immutable data).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::detectors::words::next_token;

/// Flags of a lexicon entry.
pub(crate) mod flag {
    pub(crate) const GIVEN: u32 = 1 << 0;
    pub(crate) const SURNAME: u32 = 1 << 1;
    pub(crate) const CITY: u32 = 1 << 2;
    pub(crate) const CONDITION: u32 = 1 << 3;
    pub(crate) const MEDICATION: u32 = 1 << 4;
    /// A frequent word of some language: a name or term that is one needs context.
    pub(crate) const COMMON: u32 = 1 << 5;
    pub(crate) const TITLE: u32 = 1 << 6;
    /// A street type that follows the street name ("Street", "Road", "straat").
    pub(crate) const STREET_AFTER: u32 = 1 << 7;
    /// A street type that precedes the street name ("rue", "Via", "Calle", "ul.").
    pub(crate) const STREET_BEFORE: u32 = 1 << 8;
    /// A surname particle ("van", "de", "von", "di").
    pub(crate) const PARTICLE: u32 = 1 << 9;
    /// Words that introduce a name ("Dear", "Hallo", "Patient").
    pub(crate) const GREETING: u32 = 1 << 10;
    /// Words that close a message before a signature ("Regards", "Grüße").
    pub(crate) const CLOSING: u32 = 1 << 11;
    /// A proper prefix of a multi-word entry that is not a city or a medical term.
    pub(crate) const PREFIX: u32 = 1 << 12;
    /// A proper prefix of a multi-word city ("New" of "New York").
    pub(crate) const PREFIX_CITY: u32 = 1 << 17;
    /// A proper prefix of a multi-word medical term ("type" of "type 2 diabetes").
    pub(crate) const PREFIX_MEDICAL: u32 = 1 << 18;
    /// Phrases that introduce the speaker's name ("my name is", "ich heiße").
    pub(crate) const INTRO: u32 = 1 << 13;
    /// A medical term that is also an everyday word ("cold", "depression"): needs context.
    pub(crate) const AMBIGUOUS_MEDICAL: u32 = 1 << 14;
    /// A city name that needs context (local-language variants).
    pub(crate) const AMBIGUOUS_CITY: u32 = 1 << 15;
    /// A title from the broad lists ("Ambassador", "Bishop"): a title only when it is not
    /// also a common word, or when a period follows it.
    pub(crate) const TITLE_WEAK: u32 = 1 << 16;
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Case-folding hashes of tokens and phrases.
///
/// A token's hash covers its lower-cased UTF-8 bytes (a typographic apostrophe counts as
/// `'`); a phrase's hash combines its tokens' hashes in order, so whatever separates the
/// tokens in a text (spaces, a line break, a hyphen) does not change it. Tokens are cut by
/// the same tokenizer when the lexicon is built and when a text is scanned
/// ([`next_token`](crate::detectors::words::next_token)).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fold(Option<u64>);

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
pub(crate) fn hash_lower_ascii_at(b: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    let mut h = SEED ^ (len as u64);
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

/// The hash of one token (letters, digits and inner apostrophes, as the tokenizer cuts
/// them), ignoring case.
#[inline]
pub(crate) fn token_hash(tok: &str) -> u64 {
    let b = tok.as_bytes();
    if b.len() > MAX_TOKEN {
        return 0;
    }
    if tok.is_ascii() {
        return hash_lower_ascii(b);
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
            for l in c.to_lowercase() {
                put(l, &mut n);
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

impl Fold {
    /// An empty phrase.
    #[inline]
    pub(crate) fn new() -> Fold {
        Fold(None)
    }

    /// Appends a token given by its hash.
    #[inline]
    pub(crate) fn push_hash(&mut self, t: u64) {
        self.0 = Some(match self.0 {
            None => t,
            Some(h) => mix((h.rotate_left(23) ^ t).wrapping_mul(K)),
        });
    }

    /// Appends a token.
    #[inline]
    pub(crate) fn push(&mut self, tok: &str) {
        self.push_hash(token_hash(tok));
    }

    /// The phrase's hash (0 for an empty phrase, which no entry has).
    #[inline]
    pub(crate) fn finish(self) -> u64 {
        self.0.unwrap_or(0)
    }

    /// Hash of a phrase given as text, cut into tokens by the tokenizer.
    pub(crate) fn phrase(s: &str) -> u64 {
        let mut f = Fold::new();
        let mut at = 0;
        while let Some(t) = next_token(s, at) {
            f.push(&s[t.start..t.end]);
            at = t.end;
        }
        f.finish()
    }
}

/// Every dictionary word, by hash.
#[derive(Debug)]
pub(crate) struct Lexicon {
    map: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    /// Hashes of ICD-10 codes, upper case without the dot ("E119").
    pub(crate) icd10: HashMap<u64, (), BuildHasherDefault<IdHasher>>,
    /// First tokens of entries that matter in lower case (medical terms, particles,
    /// phrases): lower-case tokens outside it are not looked up.
    pub(crate) lower_filter: Bits,
    /// Last tokens of introductions ("my name IS"): a lower-case token after one may be a name.
    pub(crate) intro_last: Bits,
    /// Last tokens of multi-word titles, greetings, closings and introductions.
    pub(crate) phrase_last: Bits,
}

/// Kinds of phrases that lead to a name.
const LEADS: u32 = flag::TITLE | flag::TITLE_WEAK | flag::GREETING | flag::CLOSING | flag::INTRO;

/// Kinds of entries a lower-case token of a text can start.
const LOWER_RELEVANT: u32 = flag::CONDITION
    | flag::MEDICATION
    | flag::PARTICLE
    | flag::INTRO
    | flag::GREETING
    | flag::CLOSING
    | flag::STREET_BEFORE
    | flag::STREET_AFTER
    | flag::TITLE
    | flag::TITLE_WEAK;

/// A set of hashes with false positives (one bit per hash), small enough for the cache.
#[derive(Debug)]
pub(crate) struct Bits {
    words: Vec<u64>,
    mask: u64,
}

impl Bits {
    fn new(log2_bits: u32) -> Bits {
        Bits { words: vec![0; 1 << (log2_bits - 6)], mask: (1u64 << log2_bits) - 1 }
    }

    fn insert(&mut self, h: u64) {
        let i = (h & self.mask) as usize;
        self.words[i >> 6] |= 1 << (i & 63);
    }

    /// False means surely absent.
    #[inline]
    pub(crate) fn may_contain(&self, h: u64) -> bool {
        let i = (h & self.mask) as usize;
        self.words[i >> 6] & (1 << (i & 63)) != 0
    }
}

impl Lexicon {
    /// The flags of the word or phrase with this hash (0 when absent).
    #[inline]
    pub(crate) fn get(&self, hash: u64) -> u32 {
        self.map.get(&hash).copied().unwrap_or(0)
    }

    /// The flags of a word or phrase given as text.
    pub(crate) fn lookup(&self, s: &str) -> u32 {
        self.get(Fold::phrase(s))
    }

    fn add(&mut self, phrase: &str, flags: u32) {
        let mut toks = Vec::new();
        let mut at = 0;
        while let Some(t) = next_token(phrase, at) {
            toks.push(token_hash(&phrase[t.start..t.end]));
            at = t.end;
        }
        let lower = flags & LOWER_RELEVANT != 0;
        let mut f = Fold::new();
        for (i, &t) in toks.iter().enumerate() {
            f.push_hash(t);
            let h = f.finish();
            let prefix = if flags & flag::CITY != 0 {
                flag::PREFIX_CITY
            } else if flags & (flag::CONDITION | flag::MEDICATION) != 0 {
                flag::PREFIX_MEDICAL
            } else {
                flag::PREFIX
            };
            let fl = if i + 1 == toks.len() { flags } else { prefix };
            *self.map.entry(h).or_insert(0) |= fl;
            if lower && i == 0 {
                self.lower_filter.insert(h);
            }
        }
        if let Some(&last) = toks.last() {
            if flags & flag::INTRO != 0 {
                self.intro_last.insert(last);
            }
            if toks.len() > 1 && flags & LEADS != 0 {
                self.phrase_last.insert(last);
            }
        }
    }

    fn add_list(&mut self, list: &str, flags: u32) {
        for line in lines(list) {
            self.add(line, flags);
        }
    }

    /// The process-wide lexicon built from the embedded lists.
    pub(crate) fn get_or_build() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let mut lex = Lexicon {
            map: HashMap::default(),
            icd10: HashMap::default(),
            lower_filter: Bits::new(20),
            intro_last: Bits::new(12),
            phrase_last: Bits::new(14),
        };
        lex.map.reserve(900_000);
        for (list, flags) in data::LISTS {
            lex.add_list(list, *flags);
        }
        for list in data::TAGGED {
            for line in list.lines().filter(|l| !l.starts_with('#')) {
                if let Some((kind, phrase)) = line.split_once('\t') {
                    lex.add(phrase.trim(), data::tag(kind.trim()));
                }
            }
        }
        for line in lines(data::ICD10) {
            lex.icd10.insert(token_hash(&line.replace('.', "")), ());
        }
        lex
    }
}

/// The entries of an embedded list: non-empty lines that are not `#` comments, with any
/// tab-separated extra columns dropped.
fn lines(list: &str) -> impl Iterator<Item = &str> {
    list.lines().filter_map(|l| {
        let l = l.split('\t').next().unwrap_or("").trim();
        (!l.is_empty() && !l.starts_with('#')).then_some(l)
    })
}

/// The embedded lists and what their words are.
mod data {
    use super::flag::*;

    pub(super) const ICD10: &str = include_str!("../data/icd10_codes.txt");

    /// Lists of `phrase[\tcolumns...]` lines.
    pub(super) const LISTS: &[(&str, u32)] = &[
        (include_str!("../data/given_names.txt"), GIVEN),
        (include_str!("../data/surnames.txt"), SURNAME),
        (include_str!("../data/surname_particles.txt"), PARTICLE),
        (include_str!("../data/cities.txt"), CITY),
        // Local names (München, Warszawa) are noisier: a city, but one that needs context.
        (include_str!("../data/cities_alt.txt"), CITY | AMBIGUOUS_CITY),
        (include_str!("../data/medical_conditions.txt"), CONDITION),
        (include_str!("../data/medications.txt"), MEDICATION),
        (include_str!("lexicon/conditions.txt"), CONDITION),
        (include_str!("lexicon/medical_ambiguous.txt"), AMBIGUOUS_MEDICAL),
        (include_str!("../data/medications_ambiguous.txt"), AMBIGUOUS_MEDICAL),
        (include_str!("../data/common_words/en.txt"), COMMON),
        (include_str!("../data/common_words/de.txt"), COMMON),
        (include_str!("../data/common_words/fr.txt"), COMMON),
        (include_str!("../data/common_words/es.txt"), COMMON),
        (include_str!("../data/common_words/it.txt"), COMMON),
        (include_str!("../data/common_words/nl.txt"), COMMON),
        (include_str!("../data/common_words/pl.txt"), COMMON),
        (include_str!("../data/personal_titles/en.txt"), TITLE_WEAK),
        (include_str!("../data/personal_titles/de.txt"), TITLE_WEAK),
        (include_str!("../data/personal_titles/fr.txt"), TITLE_WEAK),
        (include_str!("../data/personal_titles/es.txt"), TITLE_WEAK),
        (include_str!("../data/personal_titles/it.txt"), TITLE_WEAK),
        (include_str!("../data/personal_titles/nl.txt"), TITLE_WEAK),
        (include_str!("../data/personal_titles/pl.txt"), TITLE_WEAK),
        (include_str!("../data/street_types/en.txt"), STREET_AFTER),
        (include_str!("../data/street_types/de.txt"), STREET_AFTER),
        (include_str!("../data/street_types/nl.txt"), STREET_AFTER),
        (include_str!("../data/street_types/fr.txt"), STREET_BEFORE),
        (include_str!("../data/street_types/es.txt"), STREET_BEFORE),
        (include_str!("../data/street_types/it.txt"), STREET_BEFORE),
        (include_str!("../data/street_types/pl.txt"), STREET_BEFORE),
        (include_str!("lexicon/titles.txt"), TITLE),
        (include_str!("lexicon/particles.txt"), PARTICLE),
        (include_str!("lexicon/greetings.txt"), GREETING),
        (include_str!("lexicon/closings.txt"), CLOSING),
        (include_str!("lexicon/intros.txt"), INTRO),
        (include_str!("lexicon/street_after.txt"), STREET_AFTER),
        (include_str!("lexicon/street_before.txt"), STREET_BEFORE),
    ];

    /// Lists of `kind\tphrase` lines: salutations by kind.
    pub(super) const TAGGED: &[&str] = &[
        include_str!("../data/salutations/en.txt"),
        include_str!("../data/salutations/de.txt"),
        include_str!("../data/salutations/fr.txt"),
        include_str!("../data/salutations/es.txt"),
        include_str!("../data/salutations/it.txt"),
        include_str!("../data/salutations/nl.txt"),
        include_str!("../data/salutations/pl.txt"),
    ];

    pub(super) fn tag(kind: &str) -> u32 {
        match kind {
            "greeting" => GREETING,
            "closing" => CLOSING,
            "intro" => INTRO,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Fold;

    #[test]
    fn fold_ignores_case_and_spacing() {
        assert_eq!(Fold::phrase("Müller"), Fold::phrase("MÜLLER"));
        assert_eq!(Fold::phrase("New  York"), Fold::phrase("new york"));
        assert_eq!(Fold::phrase("Jean-Pierre"), Fold::phrase("jean pierre"));
        assert_eq!(Fold::phrase("O\u{2019}Brien"), Fold::phrase("o'brien"));
        assert_ne!(Fold::phrase("newyork"), Fold::phrase("new york"));
        assert_ne!(Fold::phrase("ab"), Fold::phrase("ab ab"));
        assert_ne!(super::token_hash("abcdefgh1"), super::token_hash("abcdefgh"));
        let mut f = Fold::new();
        f.push("van");
        f.push("DER");
        assert_eq!(f.finish(), Fold::phrase("Van der"));
    }
}
