//! PHONE_NUMBER: international numbers (`+` or the `00` prefix, then a country code) and
//! the national formats of the US and Canada, the UK, Germany, France, Spain, Italy, the
//! Netherlands, Belgium, Austria, Switzerland and Poland.
//!
//! # Finding a number
//!
//! A number starts at a digit run that does not continue an earlier group, optionally
//! behind `+` or `(`. From there, groups of digits are collected while one separator joins
//! them: a space (also U+00A0 and U+202F), `-` or `/` (each with at most one space on
//! either side: `030 / 1234567`), `.` without spaces, or a parenthesised group
//! (`(030) 1234567`, `(555) 123-4567`, the trunk marker in `+49 (0)30 1234 5678`). An
//! extension may follow: `ext. 123`, `x123`, `Durchwahl 12`, `DW 12`, `poste 12`,
//! `int. 12`, `interno 12`, `toestel 12`. A run that follows a digit through such a
//! separator (or through `:` or `,`, as in times and decimals) never starts a number, so the
//! tail of an IBAN, a card number or a long digit list is not read as a phone number.
//!
//! The collected digits (at most 26 in at most 14 groups) must then form one valid number,
//! or two valid numbers written one after the other (`030 1234567 / 0171 1234567`).
//!
//! # Validation
//!
//! International numbers: the country code must be assigned (E.164), and the national
//! significant number (NSN, after the country code, without a `(0)` trunk marker) must fit
//! the country's plan:
//!
//! | code | national significant number |
//! |------|-----------------------------|
//! | 1 (US/CA) | NANP: `NXX NXX XXXX`, N = 2-9; the area code is not N11 or N9X, the exchange not N11 |
//! | 44 (UK) | 10 digits starting 1, 2, 3, 5, 7, 8 or 9; 9 digits for some 1 and 8 ranges |
//! | 49 (DE) | area code 2-9 + subscriber, 5-11 digits; mobiles 15x, 16x, 17x with 10-11; 18x with 9-11 |
//! | 33 (FR) | 9 digits starting 1-9 |
//! | 34 (ES) | 9 digits starting 6-9 |
//! | 39 (IT) | landlines keep their 0: 0 + 5-10 digits; mobiles 3 + 8-9; 8xx services 6-10 |
//! | 31 (NL) | 9 digits starting 1-9 (mobiles 6); 8xx and 9xx services 7-10 |
//! | 32 (BE) | 8 digits; mobiles 4xx with 9 |
//! | 43 (AT) | 5-13 digits |
//! | 41 (CH) | 9 digits |
//! | 48 (PL) | 9 digits |
//! | 7 (RU, KZ) | 10 digits |
//! | others | 6-13 digits, at most 15 with the country code (scored lower) |
//!
//! A superfluous national 0 after the country code (`+49 030 ...`, a common mistake) is
//! tolerated with a slightly lower score, except for Italy where it belongs to the number.
//!
//! National numbers (no `+`, no `00`) must be one of:
//! - a trunk-0 number of 8-13 digits (UK, DE, FR, NL, BE, AT, CH and IT landlines), written
//!   as one block, in pairs (`01 23 45 67 89`) or with the area code as its first group of
//!   2-6 digits (`030 1234567`, `020 7946 0958`, `06-12345678`, `(030) 1234567`,
//!   `030/1234567`);
//! - a NANP number, 10 digits or 1 + 10, as one block or `NXX-NXX-XXXX` with spaces, dashes,
//!   dots or a parenthesised area code;
//! - an Italian mobile, 3 + 8-9 digits;
//! - a Spanish or Polish number of 9 digits, as one block or grouped 3-3-3, 3-2-2-2 or
//!   2-3-2-2;
//! - a NANP local number `NXX-XXXX` (reported only with context).
//!
//! Dates (`01.02.2024`, `2024-03-15`), IP addresses, dotted numbers that are not phone
//! layouts (`1.234.567`), amounts (a currency sign or code next to the digits), times and
//! decimals are rejected. So are numbers right after `#`, `$` or a path or identifier
//! (`/0301234567`, `ABC-0301234567`).
//!
//! **Fictional numbers.** The NANP range 555-0100 to 555-0199 is reserved for fiction. It is
//! reported like any other number: it is a well-formed phone number, a tool that drops it
//! would miss every test set and example built with it, and reporting it costs nothing
//! real.
//!
//! # Scores
//!
//! - `+` with a valid number of one of the countries above: 0.85 (0.75 written as one
//!   block); any other assigned country code: 0.7 (0.6). The `00` prefix scores 0.15 less.
//! - National: pairs or a parenthesised area code 0.65; NANP `NXX-NXX-XXXX` 0.6 (0.55 with
//!   spaces); area code first 0.55; Spanish or Polish 3-2-2-2 and 2-3-2-2, Italian mobiles
//!   0.5; 3-3-3 0.4 (it looks like an amount); other trunk-0 layouts 0.4; one block of
//!   digits 0.3-0.35; NANP local numbers 0.25.
//! - A phone context word (phone, tel, Telefon, Handy, téléphone, portable, teléfono,
//!   móvil, telefono, cellulare, telefoon, mobiel, fax, ...) within 64 bytes before or 32
//!   after adds 0.35 to national numbers and 0.1 to international ones; an extension adds
//!   0.05.
//! - A negative context word (order, invoice, tracking, ticket, ref, Bestellnummer,
//!   Rechnung, commande, facture, pedido, factura, ordine, fattura, bestelling, factuur,
//!   ...) within 48 bytes before a number without `+` drops it, unless a phone context word
//!   comes between the two.
//!
//! # Window
//!
//! A finding depends on at most 12 bytes before its first digit for the start rules, 64
//! bytes before it for context, and, after its first digit, at most 128 bytes of digits
//! and separators (a chunk stops at 96 bytes, 26 digits or 14 groups), 24 bytes of
//! extension, 4 bytes of amount marks and 32 bytes of context: 188 bytes.

use crate::Kind;
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[(
    Kind::PhoneNumber,
    &[
        // EN
        "phone",
        "telephone",
        "tel",
        "mobile",
        "cell",
        "call",
        "ring",
        "fax",
        "ph",
        "mob",
        "hotline",
        "helpline",
        "whatsapp",
        "sms", // DE
        "telefon",
        "handy",
        "mobil",
        "rufnummer",
        "festnetz",
        "durchwahl",
        "fon",
        "anrufen",
        "erreichbar",
        "zentrale",
        "natel", // FR
        "téléphone",
        "tél",
        "portable",
        "appel",
        "gsm", // ES
        "teléfono",
        "móvil",
        "movil",
        "tfno",
        "telf",
        "llamar",
        "llame",
        "llámame", // IT
        "cellulare",
        "cel",
        "chiam",
        "centralino", // NL
        "telefoon",
        "mobiel",
        "bellen",
        "bel",
        "tlf",
    ],
)];

/// Longest digit run that can be part of a number (`00` + 15 digits).
const MAX_RUN: usize = 17;
/// Most digits in one chunk (two numbers written one after the other).
const MAX_DIGITS: usize = 26;
/// Most groups in one chunk.
const MAX_GROUPS: usize = 14;
/// Most bytes from the start of a chunk to the end of its last group.
const MAX_BYTES: usize = 96;
/// How far before a number negative context words are looked for.
const NEGATIVE_WINDOW: usize = 48;

/// A group of digits, with the separator before it.
#[derive(Clone, Copy, Debug, Default)]
struct Group {
    /// First digit.
    start: usize,
    /// One past the last digit.
    end: usize,
    /// The separator before the group: `0` (first group, or none after or before a
    /// parenthesis), `b' '`, `b'-'`, `b'.'` or `b'/'`.
    sep: u8,
    /// The group is written in parentheses.
    paren: bool,
}

impl Group {
    #[inline]
    fn len(&self) -> usize {
        self.end - self.start
    }

    /// First byte of the group: its `(` when parenthesised, else its first digit.
    #[inline]
    fn open(&self) -> usize {
        self.start - usize::from(self.paren)
    }

    /// One past the group, after its `)` when parenthesised.
    #[inline]
    fn close(&self) -> usize {
        self.end + usize::from(self.paren)
    }
}

/// What the group parser found after a group.
enum Next {
    /// One more group.
    Group(Group),
    /// The chunk ends here.
    End,
    /// A digit run too long for any number follows: the chunk is not a phone number.
    Fail,
}

/// Length of the space character at `i` (ASCII space, U+00A0, U+202F), or 0.
#[inline]
fn space_at(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b' ') => 1,
        Some(0xC2) if b.get(i + 1) == Some(&0xA0) => 2,
        Some(0xE2) if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xAF) => 3,
        _ => 0,
    }
}

/// Length of the space character ending right before `i`, or 0.
#[inline]
fn space_before(b: &[u8], i: usize) -> usize {
    if i >= 1 && b[i - 1] == b' ' {
        1
    } else if i >= 2 && b[i - 2] == 0xC2 && b[i - 1] == 0xA0 {
        2
    } else if i >= 3 && b[i - 3] == 0xE2 && b[i - 2] == 0x80 && b[i - 1] == 0xAF {
        3
    } else {
        0
    }
}

/// End of the run of ASCII digits starting at `i`, looking at most `cap + 1` bytes.
#[inline]
fn digits_end(b: &[u8], i: usize, cap: usize) -> usize {
    let mut j = i;
    while j < b.len() && j - i <= cap && b[j].is_ascii_digit() {
        j += 1;
    }
    j
}

/// Parses the separator that starts at `pos`, right after a group (after its `)` when
/// `after_paren`): returns the separator (as in [`Group::sep`]), whether the next group
/// opens with `(`, and where its digits start. `None` when no group can follow.
#[inline]
fn separator(b: &[u8], pos: usize, after_paren: bool) -> Option<(u8, bool, usize)> {
    let n = b.len();
    let mut i = pos;
    let sp1 = space_at(b, i);
    i += sp1;
    let mut sep = if sp1 > 0 { b' ' } else { 0 };
    if i < n && matches!(b[i], b'-' | b'/' | b'.') {
        let c = b[i];
        i += 1;
        let sp2 = space_at(b, i);
        if c == b'.' && (sp1 > 0 || sp2 > 0) {
            return None;
        }
        i += sp2;
        sep = c;
    }
    let paren = i < n && b[i] == b'(';
    if paren {
        i += 1;
    }
    // Digits right after digits cannot happen (runs are maximal); after or before a
    // parenthesis they may (`(0)30`, `+49(0)30`).
    if i >= n || !b[i].is_ascii_digit() || (sep == 0 && !paren && !after_paren) {
        return None;
    }
    Some((sep, paren, i))
}

/// Parses the separator and the group that start at `pos`, right after a group (after its
/// `)` when `after_paren`).
fn next_group(b: &[u8], pos: usize, after_paren: bool) -> Next {
    let Some((sep, paren, start)) = separator(b, pos, after_paren) else { return Next::End };
    let end = digits_end(b, start, MAX_RUN);
    if end - start > MAX_RUN {
        return Next::Fail;
    }
    if paren && b.get(end) != Some(&b')') {
        return Next::End;
    }
    Next::Group(Group { start, end, sep, paren })
}

/// True when the digit run at `i` continues an earlier group: a digit comes before it
/// through a separator the group parser accepts, or right before a `:` or `,` in front of
/// it (times, decimals, lists).
#[inline]
fn continues(b: &[u8], i: usize) -> bool {
    if i < 2 {
        return false;
    }
    // The common cases: one separator byte between two digits, or a letter before.
    let (p, q) = (b[i - 1], b[i - 2]);
    if matches!(p, b' ' | b'-' | b'.' | b'/' | b':' | b',') {
        if q.is_ascii_digit() {
            return true;
        }
        if matches!(p, b':' | b',') || q.is_ascii_alphabetic() {
            return false;
        }
    }
    if p.is_ascii_alphabetic() {
        return false;
    }
    continues_slow(b, i)
}

/// [`continues`] for separators of more than one byte.
fn continues_slow(b: &[u8], i: usize) -> bool {
    let lo = i.saturating_sub(12);
    let mut j = i;
    while j > lo {
        let c = b[j - 1];
        if c.is_ascii_digit() {
            break;
        }
        if !matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')' | 0xC2 | 0xA0 | 0xE2 | 0x80 | 0xAF) {
            return false;
        }
        j -= 1;
    }
    if j == 0 || !b[j - 1].is_ascii_digit() {
        return false;
    }
    // `j` is right after that digit: would the group parser step from there to `i`?
    let after_paren = b[j] == b')';
    let pos = if after_paren {
        let mut k = j;
        while k > 0 && b[k - 1].is_ascii_digit() && j - k <= MAX_RUN {
            k -= 1;
        }
        if k == 0 || b[k - 1] != b'(' {
            return false;
        }
        j + 1
    } else {
        j
    };
    separator(b, pos, after_paren).is_some_and(|(_, _, start)| start == i)
}

/// Currency symbols that make a digit string an amount.
#[inline]
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₽' | '₩' | '¢' | '₺' | '₣' | '₤' | '№')
}

/// True when an amount's currency code (`EUR`, `USD` ...) starts at `i`.
fn currency_code_at(b: &[u8], i: usize) -> bool {
    let Some(w) = b.get(i..i + 3) else { return false };
    if b.get(i + 3).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    const CODES: &[&[u8; 3]] =
        &[b"eur", b"usd", b"chf", b"gbp", b"pln", b"sek", b"nok", b"dkk", b"czk", b"huf", b"jpy"];
    CODES.iter().any(|c| w.eq_ignore_ascii_case(*c))
}

/// True when a number may begin at byte `i` (its `+`, `(` or first digit), judging by
/// what comes before it.
fn lead_ok(s: &Scanner<'_>, i: usize) -> bool {
    let b = s.b;
    if i == 0 {
        return true;
    }
    let p = b[i - 1];
    if p < 0x80 {
        if p.is_ascii_alphanumeric() {
            return false;
        }
        match p {
            b'#' | b'$' | b'/' | b'\\' | b'@' | b'&' | b'_' | b'~' | b'|' | b'^' | b'%' => return false,
            b'-' if i >= 2 && b[i - 2].is_ascii_alphanumeric() => return false,
            _ => {}
        }
    } else {
        match s.char_before(i) {
            Some(c) if c.is_alphanumeric() => return false,
            Some(c) if is_currency(c) => return false,
            _ => {}
        }
    }
    // A currency sign one space before: `€ 030 1234567` is an amount.
    let sp = space_before(b, i);
    !(sp > 0 && s.char_before(i - sp).is_some_and(is_currency))
}

/// True when a number may end at byte `e`, judging by what follows it.
fn right_ok(s: &Scanner<'_>, e: usize) -> bool {
    let b = s.b;
    if !s.boundary_after(e) {
        return false;
    }
    match b.get(e) {
        Some(b',' | b'.' | b':' | b'-' | b'/') if b.get(e + 1).is_some_and(u8::is_ascii_digit) => return false,
        Some(b'%') => return false,
        _ => {}
    }
    let j = e + space_at(b, e);
    !(s.char_at(j).is_some_and(is_currency) || currency_code_at(b, j))
}

/// Extension keywords, longest first where one is a prefix of another.
pub(crate) const EXTENSIONS: &[&[u8]] =
    &[b"extension", b"extn", b"ext", b"durchwahl", b"dw", b"poste", b"interno", b"int", b"toestel", b"tst", b"x"];

/// Parses an extension after a number ending at `e`; returns its end.
fn extension(b: &[u8], e: usize) -> Option<usize> {
    let mut i = e;
    i += space_at(b, i);
    if i == e && b.get(i).is_some_and(|&c| c != b'x' && c != b'X') {
        return None;
    }
    let kw = EXTENSIONS.iter().find(|w| b.get(i..i + w.len()).is_some_and(|x| x.eq_ignore_ascii_case(w)))?;
    i += kw.len();
    if matches!(b.get(i), Some(b'.' | b':')) {
        i += 1;
    }
    i += space_at(b, i);
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let d = digits_end(b, i, 6);
    if d == i || d - i > 6 || d - e > 24 {
        return None;
    }
    if b.get(d).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(d)
}

/// E.164 country codes: the length of the code at the start of `d`, if one is assigned.
fn country_code(d: &[u8]) -> Option<usize> {
    let v = |k: usize| d[..k].iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'));
    match d.first()? {
        b'0' => return None,
        b'1' | b'7' => return Some(1),
        _ => {}
    }
    if d.len() < 2 {
        return None;
    }
    if matches!(
        v(2),
        20 | 27
            | 30..=34
            | 36
            | 39..=41
            | 43..=49
            | 51..=58
            | 60..=66
            | 81
            | 82
            | 84
            | 86
            | 90..=95
            | 98
    ) {
        return Some(2);
    }
    if d.len() < 3 {
        return None;
    }
    let ok = matches!(
        v(3),
        211 | 212
            | 213
            | 216
            | 218
            | 220..=258
            | 260..=269
            | 290
            | 291
            | 297..=299
            | 350..=359
            | 370..=383
            | 385..=387
            | 389
            | 420
            | 421
            | 423
            | 500..=509
            | 590..=599
            | 670
            | 672..=683
            | 685..=692
            | 850
            | 852
            | 853
            | 855
            | 856
            | 880
            | 886
            | 960..=968
            | 970..=977
            | 992..=996
            | 998
    );
    ok.then_some(3)
}

/// A NANP number of 10 digits: `NXX NXX XXXX`, N = 2-9, the area code neither N11 nor
/// N9X (reserved), the exchange not N11.
fn nanp(d: &[u8]) -> bool {
    d.len() == 10
        && d[0] >= b'2'
        && d[3] >= b'2'
        && !(d[1] == b'1' && d[2] == b'1')
        && d[1] != b'9'
        && !(d[4] == b'1' && d[5] == b'1')
}

/// Whether `nsn` fits the numbering plan of country code `cc`; `None` for countries
/// without specific rules.
fn plan(cc: u16, nsn: &[u8]) -> Option<bool> {
    let n = nsn.len();
    let lead = nsn.first().copied().unwrap_or(b'0');
    let second = nsn.get(1).copied().unwrap_or(b'0');
    let ok = match cc {
        1 => nanp(nsn),
        44 => match lead {
            b'1' | b'8' => (9..=10).contains(&n),
            b'2' | b'3' | b'5' | b'7' | b'9' => n == 10,
            _ => false,
        },
        49 => match lead {
            b'1' => match second {
                b'5'..=b'7' => (10..=11).contains(&n),
                b'8' => (9..=11).contains(&n),
                _ => false,
            },
            b'2'..=b'9' => (5..=11).contains(&n),
            _ => false,
        },
        33 | 41 | 48 => n == 9 && lead != b'0',
        34 => n == 9 && (b'6'..=b'9').contains(&lead),
        39 => match lead {
            b'0' => (6..=11).contains(&n),
            b'3' => (9..=10).contains(&n),
            b'8' => (6..=10).contains(&n),
            _ => false,
        },
        31 => match lead {
            b'8' | b'9' => (7..=10).contains(&n),
            b'1'..=b'7' => n == 9,
            _ => false,
        },
        32 => match lead {
            b'4' => n == 9,
            b'1'..=b'9' => n == 8,
            _ => false,
        },
        43 => lead != b'0' && (5..=13).contains(&n),
        7 => n == 10 && lead != b'0',
        _ => return None,
    };
    Some(ok)
}

/// How a number was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// With `+` and a country code.
    Plus,
    /// With the `00` international prefix.
    Zero,
    /// In a national format.
    National,
}

/// True for `dd.mm.yyyy`, `mm/dd/yy`, `yyyy-mm-dd` and the like.
fn date_shape(g: &[Group]) -> bool {
    if g.len() != 3 || !matches!(g[1].sep, b'.' | b'/' | b'-') || g[2].sep != g[1].sep {
        return false;
    }
    let (a, m, c) = (g[0].len(), g[1].len(), g[2].len());
    (a <= 2 && m <= 2 && (c == 2 || c == 4)) || (a == 4 && m <= 2 && c <= 2)
}

/// Validates the groups `g` as one number and returns its base score.
fn classify(b: &[u8], g: &[Group], plus: bool) -> Option<(f32, Class)> {
    if g.is_empty() || g[g.len() - 1].paren {
        return None;
    }
    let zero = !plus && b[g[0].start] == b'0' && b.get(g[0].start + 1) == Some(&b'0');
    let intl = plus || zero;

    // The digits, without a `(0)` trunk marker after a country code; and where groups end.
    let mut d = [0u8; MAX_DIGITS];
    let mut ends = [0usize; MAX_GROUPS];
    let mut n = 0;
    let mut trunk_marker = false;
    for (i, x) in g.iter().enumerate() {
        let ds = &b[x.start..x.end];
        if intl && i > 0 && x.paren && ds == b"0" {
            trunk_marker = true;
        } else {
            if n + ds.len() > MAX_DIGITS {
                return None;
            }
            d[n..n + ds.len()].copy_from_slice(ds);
            n += ds.len();
        }
        ends[i] = n;
    }
    let d = &d[..n];
    let formatted = g.len() > 1;

    if intl {
        let skip = if plus { 0 } else { 2 };
        let dd = &d[skip..];
        let cc = country_code(dd)?;
        // The country code is one group (or the start of the first), never split.
        if ends[..g.len() - 1].iter().any(|&e| e > skip && e < skip + cc) {
            return None;
        }
        let ccv = dd[..cc].iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'));
        let mut nsn = &dd[cc..];
        let mut score = if formatted { 0.85 } else { 0.75 };
        if ccv != 39 && nsn.first() == Some(&b'0') {
            if trunk_marker {
                return None;
            }
            nsn = &nsn[1..];
            score -= 0.05;
            if nsn.first() == Some(&b'0') {
                return None;
            }
        }
        if cc + nsn.len() > 15 {
            return None;
        }
        match plan(ccv, nsn) {
            Some(true) => {}
            Some(false) => return None,
            None => {
                if !(6..=13).contains(&nsn.len()) || cc + nsn.len() < 8 {
                    return None;
                }
                score -= 0.15;
            }
        }
        if zero {
            score -= 0.15;
        }
        return Some((score, if plus { Class::Plus } else { Class::Zero }));
    }

    // National formats.
    if !(7..=13).contains(&n) || date_shape(g) {
        return None;
    }
    let (mut dot, mut other) = (false, false);
    for (i, x) in g.iter().enumerate().skip(1) {
        match x.sep {
            b'.' => dot = true,
            // Only right after the area code: `030/1234567`, `02/123.45.67`.
            b'/' if i != 1 || d[0] != b'0' => return None,
            b'/' => {}
            _ => other = true,
        }
    }
    if dot && other {
        return None;
    }
    let lens = |want: &[usize]| g.len() == want.len() && g.iter().zip(want).all(|(x, &w)| x.len() == w);
    let class = Class::National;

    if d[0] == b'0' {
        if d[1] == b'0' || n < 8 {
            return None;
        }
        let pairs = n == 10 && g.len() == 5 && g.iter().all(|x| x.len() == 2);
        let rest_ok = g.iter().enumerate().skip(1).all(|(i, x)| x.len() >= 2 || (i == g.len() - 1 && x.sep == b'-'));
        let area = (2..=6).contains(&g[0].len()) && rest_ok && g.len() <= 5;
        let score = if g.len() == 1 {
            if (10..=12).contains(&n) { 0.35 } else { 0.3 }
        } else if g[0].len() == 1 {
            return None;
        } else if pairs || (area && g[0].paren) {
            0.65
        } else if area {
            0.55
        } else if dot {
            return None;
        } else {
            0.4
        };
        return Some((score, class));
    }

    if n == 11 && d[0] == b'1' && nanp(&d[1..]) {
        return if g.len() == 1 {
            Some((0.3, class))
        } else if lens(&[1, 3, 3, 4]) {
            Some((0.6, class))
        } else {
            None
        };
    }
    if n == 10 && nanp(d) {
        if g.len() == 1 {
            return Some((0.3, class));
        }
        if lens(&[3, 3, 4]) {
            let score = if g[0].paren {
                0.65
            } else if g[1].sep == b' ' && g[2].sep == b' ' {
                0.55
            } else {
                0.6
            };
            return Some((score, class));
        }
        if lens(&[3, 7]) && !dot {
            return Some((if d[0] == b'3' { 0.5 } else { 0.45 }, class));
        }
        return None;
    }
    if dot {
        return None;
    }
    if d[0] == b'3' && (9..=10).contains(&n) {
        // Italian mobiles.
        if g.len() == 1 {
            return Some((0.3, class));
        }
        if g[0].len() == 3 && g.len() <= 3 && g.iter().skip(1).all(|x| x.len() >= 3) {
            return Some((0.5, class));
        }
    }
    if n == 7 && lens(&[3, 4]) && g[1].sep == b'-' && d[0] >= b'2' && !(d[1] == b'1' && d[2] == b'1') {
        // A NANP local number, `NXX-XXXX`: a phone number only with context.
        return Some((0.25, class));
    }
    if n == 9 {
        // Spain (6-9...) and Poland.
        if g.len() == 1 {
            return Some((0.3, class));
        }
        if lens(&[3, 3, 3]) {
            return Some((0.4, class));
        }
        if lens(&[3, 2, 2, 2]) || lens(&[2, 3, 2, 2]) {
            return Some((0.5, class));
        }
    }
    None
}

/// A context word for [`last_word`] and [`word_at`]: lower-case bytes (non-ASCII bytes are
/// compared exactly).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    text: &'static [u8],
    /// The word also matches at the start of a longer word (`bestell` in
    /// `Bestellnummer`).
    prefix: bool,
    /// The text must be lower case after its first letter (`Nato`, `nato` but not
    /// `NATO`).
    lower_tail: bool,
}

impl Word {
    /// A whole word (or phrase).
    pub(crate) const fn whole(text: &'static str) -> Word {
        Word { text: text.as_bytes(), prefix: false, lower_tail: false }
    }

    /// A word that also matches as the start of longer words.
    pub(crate) const fn prefix(text: &'static str) -> Word {
        Word { text: text.as_bytes(), prefix: true, lower_tail: false }
    }

    /// A whole word that must be lower case after its first letter.
    pub(crate) const fn lower(text: &'static str) -> Word {
        Word { text: text.as_bytes(), prefix: false, lower_tail: true }
    }
}

/// The end of `w` if it occurs at `i` (ASCII case-insensitively) and ends where a word
/// ends (unless it is a prefix word or ends in `.`). The caller checks the word start.
fn word_at(s: &Scanner<'_>, i: usize, w: &Word) -> Option<usize> {
    let b = s.b;
    let t = w.text;
    let e = i + t.len();
    let x = b.get(i..e)?;
    if !x.iter().zip(t).all(|(&c, &l)| c.to_ascii_lowercase() == l) {
        return None;
    }
    if w.lower_tail && x[1..].iter().any(u8::is_ascii_uppercase) {
        return None;
    }
    if !w.prefix && t.last() != Some(&b'.') && !s.boundary_after(e) {
        return None;
    }
    Some(e)
}

/// A list of [`Word`]s sorted by first letter, indexed by their first two bytes for a
/// quick rejection.
#[derive(Debug)]
pub(crate) struct Words {
    list: &'static [Word],
    /// Where the words starting with each letter `a..=z` begin in `list` (and the end).
    at: [u8; 27],
    /// For each first letter, the set of [`second_class`]es of the words' second bytes.
    second: [u32; 26],
}

/// Class of a word's second byte: `a..=z` (either case) 0-25, `.` 26, non-ASCII 27, else 28.
#[inline]
pub(crate) const fn second_class(c: u8) -> u32 {
    if c.is_ascii_alphabetic() {
        ((c | 0x20) - b'a') as u32
    } else if c == b'.' {
        26
    } else if c >= 0x80 {
        27
    } else {
        28
    }
}

impl Words {
    /// Indexes `list`. Every word must have two bytes or more, start with a lower-case
    /// ASCII letter, and the list must be sorted by that letter (checked by the tests).
    pub(crate) const fn new(list: &'static [Word]) -> Words {
        let mut at = [0u8; 27];
        let mut second = [0u32; 26];
        let mut i = 0;
        while i < list.len() {
            let t = list[i].text;
            let c = (t[0] - b'a') as usize;
            second[c] |= 1 << second_class(t[1]);
            i += 1;
        }
        let mut c = 0;
        let mut k = 0;
        while c < 26 {
            while k < list.len() && ((list[k].text[0] - b'a') as usize) < c {
                k += 1;
            }
            at[c] = k as u8;
            c += 1;
        }
        at[26] = list.len() as u8;
        Words { list, at, second }
    }

    /// True when the list is as [`Words::new`] requires.
    #[cfg(test)]
    pub(crate) fn is_sorted(&self) -> bool {
        self.list.len() < 256
            && self.list.iter().all(|w| w.text.len() >= 2 && w.text[0].is_ascii_lowercase())
            && self.list.windows(2).all(|p| p[0].text[0] <= p[1].text[0])
    }
}

/// The end of the last word of `words` that starts at a word start in `b[from..to]`.
pub(crate) fn last_word(s: &Scanner<'_>, from: usize, to: usize, words: &Words) -> Option<usize> {
    let b = s.b;
    let mut i = to.min(b.len().saturating_sub(1));
    while i > from {
        i -= 1;
        let c = b[i] | 0x20;
        // Most positions are inside a word: reject those first.
        if !c.is_ascii_lowercase() || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
            continue;
        }
        let ci = usize::from(c - b'a');
        if words.second[ci] & (1 << second_class(b[i + 1])) == 0 || (i > 0 && b[i - 1] >= 0x80 && !s.boundary_before(i))
        {
            continue;
        }
        for w in &words.list[usize::from(words.at[ci])..usize::from(words.at[ci + 1])] {
            if let Some(e) = word_at(s, i, w) {
                return Some(e);
            }
        }
    }
    None
}

/// Words that mark a number as something other than a phone number (EN, DE, FR, ES, IT,
/// NL, currency codes), sorted by first letter.
static NEGATIVE: Words = Words::new(&[
    Word::prefix("account"),
    Word::whole("acct"),
    Word::prefix("aktenzeichen"),
    Word::prefix("amount"),
    Word::prefix("artikel"),
    Word::prefix("auftrag"),
    Word::prefix("bedrag"),
    Word::prefix("bestel"),
    Word::prefix("betrag"),
    Word::prefix("booking"),
    Word::prefix("buchung"),
    Word::whole("build"),
    Word::whole("case"),
    Word::whole("chf"),
    Word::whole("code"),
    Word::prefix("colis"),
    Word::prefix("commande"),
    Word::prefix("confirmation"),
    Word::prefix("contract"),
    Word::prefix("contrat"),
    Word::prefix("contrato"),
    Word::prefix("contratto"),
    Word::whole("coupon"),
    Word::prefix("customer"),
    Word::prefix("dossier"),
    Word::whole("ean"),
    Word::whole("eur"),
    Word::prefix("expediente"),
    Word::prefix("factura"),
    Word::prefix("facture"),
    Word::prefix("factuur"),
    Word::prefix("fattura"),
    Word::whole("gbp"),
    Word::whole("gtin"),
    Word::prefix("gutschein"),
    Word::whole("iban"),
    Word::whole("id"),
    Word::prefix("importe"),
    Word::prefix("importo"),
    Word::prefix("invoice"),
    Word::whole("isbn"),
    Word::prefix("konto"),
    Word::prefix("kunden"),
    Word::prefix("montant"),
    Word::prefix("order"),
    Word::prefix("ordine"),
    Word::prefix("parcel"),
    Word::prefix("pedido"),
    Word::whole("pln"),
    Word::whole("plz"),
    Word::prefix("postal"),
    Word::prefix("postcode"),
    Word::prefix("postleitzahl"),
    Word::prefix("pratica"),
    Word::prefix("precio"),
    Word::prefix("preis"),
    Word::prefix("prenotazion"),
    Word::prefix("prezzo"),
    Word::prefix("price"),
    Word::prefix("prijs"),
    Word::whole("prix"),
    Word::prefix("quittung"),
    Word::prefix("receipt"),
    Word::prefix("rechnung"),
    Word::whole("ref"),
    Word::whole("ref."),
    Word::prefix("reference"),
    Word::prefix("referencia"),
    Word::prefix("referentie"),
    Word::prefix("referenz"),
    Word::prefix("reserva"),
    Word::prefix("reservation"),
    Word::prefix("riferimento"),
    Word::whole("réf"),
    Word::whole("réf."),
    Word::prefix("référence"),
    Word::prefix("seguimiento"),
    Word::prefix("sendung"),
    Word::prefix("serial"),
    Word::prefix("serien"),
    Word::prefix("shipment"),
    Word::whole("sku"),
    Word::prefix("spedizion"),
    Word::prefix("suivi"),
    Word::prefix("summe"),
    Word::prefix("ticket"),
    Word::whole("total"),
    Word::prefix("tracking"),
    Word::prefix("transaction"),
    Word::prefix("transaktion"),
    Word::whole("usd"),
    Word::prefix("versicherung"),
    Word::prefix("version"),
    Word::prefix("vertrag"),
    Word::prefix("vorgang"),
    Word::whole("voucher"),
    Word::prefix("zending"),
    Word::whole("zip"),
]);

/// Scores and reports one number spanning `start..end`.
fn emit(s: &mut Scanner<'_>, start: usize, end: usize, base: f32, class: Class, ext: bool) {
    if class != Class::Plus {
        if let Some(ne) = last_word(s, start.saturating_sub(NEGATIVE_WINDOW), start, &NEGATIVE) {
            if !s.context_in(Kind::PhoneNumber, ne, start) {
                return;
            }
        }
    }
    let mut score = base;
    if s.context(Kind::PhoneNumber, start, end) {
        score += if class == Class::National { 0.35 } else { 0.1 };
    }
    if ext {
        score += 0.05;
    }
    let cap = if class == Class::National { 0.95 } else { 0.99 };
    s.push(start, end, Kind::PhoneNumber, score.min(cap), "phone");
}

/// Called at every maximal run of ASCII digits `b[start..end]`.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    if start < s.resume(Family::Phone) || !s.wants(Kind::PhoneNumber) {
        return;
    }
    let b = s.b;
    let len = end - start;
    if len > MAX_RUN {
        return;
    }
    // A short run must be the first group of a longer number.
    if (len < 7 && !digit_follows(b, end)) || continues(b, start) {
        return;
    }
    number(s, start, end);
}

/// True when a digit follows `end` through at most a few separator bytes: a cheap
/// over-approximation of [`separator`].
#[inline]
fn digit_follows(b: &[u8], end: usize) -> bool {
    let lim = (end + 8).min(b.len());
    let mut i = end;
    while i < lim {
        let c = b[i];
        if c.is_ascii_digit() {
            return true;
        }
        if !matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')' | 0xC2 | 0xA0 | 0xE2 | 0x80 | 0xAF) {
            return false;
        }
        i += 1;
    }
    false
}

/// Parses and reports the number(s) whose first digit run is `b[start..end]` (which does
/// not [continue](continues) an earlier group).
fn number(s: &mut Scanner<'_>, start: usize, end: usize) {
    let b = s.b;
    let mut plus = None;
    let mut open = start;
    let mut paren = false;
    match start.checked_sub(1).map(|i| b[i]) {
        Some(b'+') => {
            let p = start - 1;
            if p > 0 && (b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_' || b[p - 1] == b'+') {
                return;
            }
            plus = Some(p);
            // `(+49) 30 1234567`: the country code in parentheses.
            if p > 0 && b[p - 1] == b'(' && b.get(end) == Some(&b')') {
                plus = Some(p - 1);
                paren = true;
            }
        }
        Some(b'(') => {
            if b.get(end) == Some(&b')') {
                paren = true;
                open = start - 1;
            }
            if !lead_ok(s, start - 1) {
                return;
            }
        }
        _ => {
            if !lead_ok(s, start) {
                return;
            }
        }
    }
    let lead = plus.unwrap_or(open);

    // Most digit runs here are short dotted or spaced numbers (`1.2.3`, `4 12`): count the
    // digits before setting up the full parse.
    let mut digits = end - start;
    let mut last = Group { start, end, sep: 0, paren };
    while digits < 7 {
        match next_group(b, last.close(), last.paren) {
            Next::Group(x) => {
                digits += x.len();
                last = x;
            }
            Next::End | Next::Fail => {
                s.set_resume(Family::Phone, last.close());
                return;
            }
        }
    }

    let mut g = [Group::default(); MAX_GROUPS];
    g[0] = Group { start, end, sep: 0, paren };
    let mut ng = 1;
    digits = end - start;
    loop {
        match next_group(b, g[ng - 1].close(), g[ng - 1].paren) {
            Next::End => break,
            Next::Fail => {
                s.set_resume(Family::Phone, g[ng - 1].close());
                return;
            }
            Next::Group(x) => {
                digits += x.len();
                if ng == MAX_GROUPS || digits > MAX_DIGITS || x.close() - lead > MAX_BYTES {
                    s.set_resume(Family::Phone, x.close());
                    return;
                }
                g[ng] = x;
                ng += 1;
            }
        }
    }
    let last_end = g[ng - 1].end;
    s.set_resume(Family::Phone, last_end);
    if digits < 7 {
        return;
    }
    let ext = extension(b, last_end);
    let chunk_end = ext.unwrap_or(last_end);
    if !right_ok(s, chunk_end) {
        return;
    }
    s.set_resume(Family::Phone, chunk_end);

    if let Some((score, class)) = classify(b, &g[..ng], plus.is_some()) {
        emit(s, lead, chunk_end, score, class, ext.is_some());
        return;
    }
    // Two numbers written one after the other: split before a group that starts a
    // trunk-0 or `00` number after a space or a slash.
    for k in 1..ng {
        let x = g[k];
        if b[x.start] != b'0' || !matches!(x.sep, b' ' | b'/') {
            continue;
        }
        let (Some(first), Some(second)) = (classify(b, &g[..k], plus.is_some()), classify(b, &g[k..ng], false)) else {
            continue;
        };
        emit(s, lead, g[k - 1].end, first.0, first.1, false);
        emit(s, x.open(), chunk_end, second.0, second.1, ext.is_some());
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert_eq!(country_code(b"4930"), Some(2));
        assert_eq!(country_code(b"15551234567"), Some(1));
        assert_eq!(country_code(b"3531234"), Some(3));
        assert_eq!(country_code(b"4231234"), Some(3));
        assert_eq!(country_code(b"4221234"), None);
        assert_eq!(country_code(b"0123"), None);
        assert_eq!(country_code(b"28"), None);
        assert_eq!(country_code(b"2"), None);
    }

    #[test]
    fn nanp_rules() {
        assert!(nanp(b"2125550199"));
        assert!(nanp(b"8005550100"));
        assert!(!nanp(b"1235550199"), "area code starts with 1");
        assert!(!nanp(b"2121550199"), "exchange starts with 1");
        assert!(!nanp(b"9115550199"), "N11 area code");
        assert!(!nanp(b"2124110199"), "N11 exchange");
        assert!(!nanp(b"2925550199"), "N9X area code");
        assert!(!nanp(b"212555019"));
    }

    #[test]
    fn word_lists_are_sorted() {
        assert!(NEGATIVE.is_sorted());
    }

    #[test]
    fn plans() {
        assert_eq!(plan(44, b"2079460958"), Some(true));
        assert_eq!(plan(44, b"4079460958"), Some(false));
        assert_eq!(plan(49, b"3012345678"), Some(true));
        assert_eq!(plan(49, b"15112345678"), Some(true));
        assert_eq!(plan(49, b"1212345678"), Some(false));
        assert_eq!(plan(33, b"123456789"), Some(true));
        assert_eq!(plan(33, b"12345678"), Some(false));
        assert_eq!(plan(34, b"512345678"), Some(false));
        assert_eq!(plan(39, b"0669881234"), Some(true));
        assert_eq!(plan(32, b"21234567"), Some(true));
        assert_eq!(plan(32, b"470123456"), Some(true));
        assert_eq!(plan(81, b"312345678"), None);
    }
}
