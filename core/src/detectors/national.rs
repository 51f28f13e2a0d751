//! National identifiers: US_SSN, US_ITIN, UK_NINO, UK_NHS, DE_TAX_ID, FR_NIR, ES_DNI,
//! ES_NIE, IT_FISCAL_CODE, NL_BSN, PL_PESEL, BE_NATIONAL_NUMBER, SE_PERSONNUMMER and
//! PASSPORT.
//!
//! What each accepts, and when it needs a context word of its kind nearby:
//!
//! - US_SSN: `AAA-GG-SSSS` (dashes, spaces or dots); area not 000, 666 or 9xx, group not 00,
//!   serial not 0000, and not the numbers the SSA calls invalid (078-05-1120, 219-09-9999,
//!   123-45-6789). Nine contiguous digits only with context.
//! - US_ITIN: the same shape with area 9xx and group 50-65, 70-88, 90-92 or 94-99.
//! - UK_NINO: two prefix letters (not D F I Q U V first, not D F I O Q U V second, not BG GB
//!   KN NK NT TN ZZ), six digits (optionally in pairs), suffix A-D. Without the suffix only
//!   with context, and not when another letter stands where the suffix goes. All in lower
//!   case (`tw987654a`) only with context.
//! - UK_NHS: ten digits with the mod-11 check digit, no repeated-digit filler. Phones share
//!   this shape (US numbers are written 3-3-4), so without NHS context only the space-grouped
//!   3-3-4 form is reported, and not when a phone context word is near; dashes or contiguous
//!   digits need NHS context.
//! - DE_TAX_ID: eleven digits (or 2-3-3-3), first not 0, exactly one digit repeated two or
//!   three times among the first ten (three never in a row), ISO 7064 MOD 11,10 check digit.
//!   Contiguous only with context.
//! - FR_NIR: sex 1-4/7/8, month 01-12, 20, 30-42 or 50-99, department digits or 2A/2B,
//!   key `97 - (n mod 97)` with 2A/2B read as 19/18; spaces between the usual groups.
//! - ES_DNI: eight digits and the mod-23 letter (either case); seven digits (an old number
//!   without its leading zero) only with context. ES_NIE: X/Y/Z, seven digits, letter.
//! - IT_FISCAL_CODE: sixteen characters, month letter, day 1-31 or 41-71, check character;
//!   digit positions may carry the omocodia letters L-V. A code whose seven digits are all
//!   substituted (it has no digit to anchor on) is not found.
//! - NL_BSN: nine digits passing the 11-proof; only with context.
//! - PL_PESEL: eleven digits, weights 1-3-7-9, a valid date with the century offsets;
//!   births outside 1900-2099 only with context.
//! - BE_NATIONAL_NUMBER: `YY.MM.DD-XXX.CC` (or contiguous), `97 - n mod 97` over the first
//!   nine digits, or over `2` followed by them for births from 2000.
//! - SE_PERSONNUMMER: `YYMMDD-XXXX`, `YYMMDD+XXXX`, `YYYYMMDD-XXXX`, `YYYYMMDDXXXX`; Luhn
//!   over the ten digits, a valid date (day + 60 for a samordningsnummer). Ten contiguous
//!   digits only with context.
//! - PASSPORT: only right after a passport keyword in EN, DE, FR, ES, IT or NL; the first
//!   token of 6-9 upper-case letters and digits with at least four digits.
//!
//! A finding depends on at most 20 bytes left of its digit run (a fiscal code's letters)
//! and 24 bytes right of it, or 64 bytes right of a passport keyword, plus the context
//! windows of [`Scanner::context`] (64 bytes before, 32 after). Context words raise a score
//! by 0.3 (to at least 0.85); a form that is reported only with context scores 0.3 without.
//! Where a phone number has the same shape (spaced NHS numbers, PESEL, spaced SSNs), a
//! phone context word without a context word of the kind lowers the score to 0.3.

use crate::Kind;
use crate::detectors::checksum::{self, Buf};
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[
    ("passport", passport),
    ("Passport", passport),
    ("PASSPORT", passport),
    ("Reisepass", passport),
    ("reisepass", passport),
    ("REISEPASS", passport),
    ("Passnummer", passport),
    ("passnummer", passport),
    ("Pass-Nr", passport),
    ("Passnr", passport),
    ("passeport", passport),
    ("Passeport", passport),
    ("PASSEPORT", passport),
    ("pasaporte", passport),
    ("Pasaporte", passport),
    ("PASAPORTE", passport),
    ("passaporto", passport),
    ("Passaporto", passport),
    ("PASSAPORTO", passport),
    ("paspoort", passport),
    ("Paspoort", passport),
    ("PASPOORT", passport),
];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::UsSsn,
        &[
            "ssn",
            "ss#",
            "ssn#",
            "social security",
            "soc sec",
            "soc. sec",
            "sozialversicherungsnummer",
            "seguro social",
            "numero di previdenza",
        ],
    ),
    (Kind::UsItin, &["itin", "individual taxpayer", "taxpayer identification", "tax id", "tin"]),
    (Kind::UkNino, &["nino", "national insurance", "ni number", "ni no", "nat ins", "insurance number"]),
    (Kind::UkNhs, &["nhs", "national health service", "health service number"]),
    (
        Kind::DeTaxId,
        &[
            "steuer-id",
            "steuerid",
            "steuer id",
            "steueridentifikationsnummer",
            "steuer-identifikationsnummer",
            "steuerliche identifikationsnummer",
            "identifikationsnummer",
            "idnr",
            "id-nr",
            "steuer-idnr",
            "tax id",
            "tin",
            "tax identification",
        ],
    ),
    (
        Kind::FrNir,
        &[
            "nir",
            "sécurité sociale",
            "securite sociale",
            "sécu",
            "secu",
            "insee",
            "carte vitale",
            "social security",
            "n° ss",
        ],
    ),
    (Kind::EsDni, &["dni", "d.n.i", "documento nacional", "documento de identidad", "nif", "n.i.f"]),
    (Kind::EsNie, &["nie", "n.i.e", "extranjero", "identidad de extranjero", "tarjeta de residencia", "nif"]),
    (
        Kind::ItFiscalCode,
        &["codice fiscale", "cod. fiscale", "cod. fisc", "cod.fisc", "c.f.", "cf", "fiscal code", "tax code"],
    ),
    (
        Kind::NlBsn,
        &[
            "bsn",
            "burgerservicenummer",
            "burger service nummer",
            "burgerservice",
            "sofinummer",
            "sofi-nummer",
            "citizen service number",
            "persoonsnummer",
        ],
    ),
    (Kind::PlPesel, &["pesel", "numer pesel", "nr pesel"]),
    (
        Kind::BeNationalNumber,
        &[
            "rijksregisternummer",
            "rijksregister",
            "numéro national",
            "numero national",
            "registre national",
            "national number",
            "national register",
            "nationaal nummer",
            "nationalregisternummer",
            "insz",
            "niss",
        ],
    ),
    (
        Kind::SePersonnummer,
        &["personnummer", "personnr", "person nr", "pers.nr", "samordningsnummer", "personal identity number"],
    ),
    (
        Kind::Passport,
        &["passport", "reisepass", "passnummer", "pass-nr", "passeport", "pasaporte", "passaporto", "paspoort"],
    ),
];

/// Added when a context word of the kind is near, for kinds that are reported without.
const CONTEXT_BONUS: f32 = 0.3;
/// Score of a candidate that needs context and has none (below the default threshold).
const NEEDS_CONTEXT: f32 = 0.3;
/// Score of a context-only candidate that has its context.
const WITH_CONTEXT: f32 = 0.85;

/// `bare` without a context word of `kind`, raised by [`CONTEXT_BONUS`] with one (to at
/// least [`WITH_CONTEXT`]).
#[inline]
fn scored(s: &Scanner<'_>, kind: Kind, start: usize, end: usize, bare: f32) -> f32 {
    // Scores of 0.9 and more are not worth a context search.
    if bare < 0.9 && s.context(kind, start, end) { (bare + CONTEXT_BONUS).clamp(WITH_CONTEXT, 1.0) } else { bare }
}

/// Called at every maximal run of ASCII digits `b[start..end]`.
///
/// This is the hot path: it rejects from the run's length and the bytes around it the runs
/// no identifier here can start with (most of them: years, prices, times) and leaves the
/// rest to [`candidate`].
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    let b = s.b;
    let len = end - start;
    let prev = if start > 0 { b[start - 1] } else { 0 };
    let next = if end < b.len() { b[end] } else { 0 };
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let worth = if prev.is_ascii_alphabetic() {
        match len {
            // Fiscal code digit groups: at most three digits, always followed by a letter.
            1..=3 => next.is_ascii_alphabetic(),
            // The NINO's six digits, the NIE's seven.
            6 | 7 => true,
            _ => false,
        }
    } else {
        match len {
            // NIR "1 85 ...".
            1 => next == b' ' && at(end + 1).is_ascii_digit(),
            // BE "85.07.30-...", DE "86 095 742 719", NINO "AB 12 34 56 C".
            2 => {
                matches!(next, b' ' | b'-' | b'.')
                    && at(end + 1).is_ascii_digit()
                    && (matches!(at(end + 3), b' ' | b'-' | b'.') || at(end + 4) == b' ')
            }
            // SSN "536-90-4399", NHS "943 476 5919", NIR "185 05 ...".
            3 => matches!(next, b' ' | b'-' | b'.') && (at(end + 3) == next || at(end + 4) == next),
            // NIR "18505 78 ...".
            5 => next == b' ' && at(end + 1).is_ascii_digit(),
            // SE "811228-9874", BE "850730 033 28", NINO "AB 123456 C", NIR "180122A...".
            6 => match next {
                b'-' | b'+' | b'.' => at(end + 1).is_ascii_digit(),
                b' ' => at(end + 1).is_ascii_digit() || prev == b' ',
                b'A'..=b'D' => true,
                _ => false,
            },
            // NIE "X-1234567-L", NIR "1850578 006 ...".
            7 => next == b' ' || next == b'-' || next.is_ascii_alphabetic() || matches!(prev, b' ' | b'-'),
            // SE "19811228-9874", DNI "12345678Z".
            8 => next.is_ascii_alphabetic() || matches!(next, b'-' | b' '),
            9..=11 | 15 => true,
            // SE "198112289874".
            12 => matches!(b[start], b'1' | b'2'),
            // NIR "1850578006084 36".
            13 => next == b' ' && at(end + 1).is_ascii_digit(),
            _ => false,
        }
    };
    if worth && start >= s.resume(Family::National) {
        candidate(s, start, end, prev);
    }
}

#[inline(never)]
fn candidate(s: &mut Scanner<'_>, start: usize, end: usize, prev: u8) {
    let found = if prev.is_ascii_alphabetic() { letter_led(s, start, end) } else { digit_led(s, start, end, prev) };
    if let Some(e) = found {
        s.set_resume(Family::National, e);
    }
}

/// True when the number at `i` continues a figure: a digit then `.`, `,`, `-`, `/`, `:`
/// before it, or a `+` (a phone number).
#[inline]
fn continues_left(b: &[u8], i: usize) -> bool {
    (i >= 1 && b[i - 1] == b'+')
        || (i >= 2 && matches!(b[i - 1], b'.' | b',' | b'-' | b'/' | b':') && b[i - 2].is_ascii_digit())
}

/// True when the group starting at `i` follows a digit and its own separator (a longer
/// grouped figure such as a phone number).
#[inline]
fn extends_left(b: &[u8], i: usize, sep: u8) -> bool {
    i >= 2 && b[i - 1] == sep && b[i - 2].is_ascii_digit()
}

/// True when a value ending at `i` is a whole token: no letter or digit follows, and no
/// separator followed by a digit that would make it part of a longer figure. `sep` is an
/// extra separator of the value's own grouping (a space) that must not continue it either.
#[inline]
fn ends_clean(s: &Scanner<'_>, i: usize, sep: Option<u8>) -> bool {
    let b = s.b;
    if !s.boundary_after(i) {
        return false;
    }
    if i + 1 < b.len() && b[i + 1].is_ascii_digit() {
        let c = b[i];
        if matches!(c, b'.' | b',' | b'-' | b'/' | b':') || Some(c) == sep {
            return false;
        }
    }
    true
}

/// Reads `want` digits from `start`, allowing one separator byte from `seps` after the
/// digit counts listed in `gaps`. Returns the digit values, the end offset and whether a
/// separator was read.
fn grouped(b: &[u8], start: usize, want: usize, seps: &[u8], gaps: &[usize]) -> Option<(Buf, usize, bool)> {
    let mut d = Buf::new();
    let mut pos = start;
    let mut sep_seen = false;
    while d.len() < want {
        let c = *b.get(pos)?;
        if c.is_ascii_digit() {
            d.push(c - b'0');
            pos += 1;
        } else if seps.contains(&c) && gaps.contains(&d.len()) && b.get(pos + 1).is_some_and(u8::is_ascii_digit) {
            pos += 1;
            sep_seen = true;
        } else {
            return None;
        }
    }
    Some((d, pos, sep_seen))
}

/// Keeps the farthest end of what was found.
#[inline]
fn farthest(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn digit_led(s: &mut Scanner<'_>, start: usize, end: usize, prev: u8) -> Option<usize> {
    let b = s.b;
    let len = end - start;
    let next = b.get(end).copied().unwrap_or(0);
    // Letters a separator away: "AB 12 34 56 C", "X-1234567-L".
    if matches!(prev, b' ' | b'-') && start >= 2 {
        let found = if prev == b' ' && start >= 3 && (len == 2 || len == 6) {
            nino(s, start - 3, start)
        } else if matches!(b[start - 2], b'X' | b'Y' | b'Z') && len == 7 {
            nie(s, start - 2, start, end)
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    if continues_left(b, start) || (prev >= 0x80 && !s.boundary_before(start)) {
        return None;
    }
    let mut found = None;
    match len {
        3 if next == b'-' || next == b' ' => {
            found = farthest(ssn_grouped(s, start, next), nhs_grouped(s, start, next));
        }
        3 if next == b'.' => found = ssn_grouped(s, start, next),
        7 if next.is_ascii_alphabetic() || next == b'-' => found = dni(s, start, end),
        9 if ends_clean(s, end, None) => {
            found = farthest(ssn_contiguous(s, start, end), bsn(s, start, end));
        }
        10 if ends_clean(s, end, None) => {
            found = farthest(nhs_contiguous(s, start, end), se(s, start, end, 10));
        }
        11 if ends_clean(s, end, None) => {
            found = farthest(de_tax(s, start, false), pesel(s, start, end));
            found = farthest(found, be(s, start));
        }
        2 if matches!(next, b' ' | b'.' | b'-') => {
            found = farthest(be(s, start), if next == b' ' { de_tax(s, start, true) } else { None });
        }
        6 if matches!(next, b'-' | b'+') => found = farthest(se(s, start, end, 6), be(s, start)),
        6 if next == b' ' => found = be(s, start),
        8 => {
            found = if next == b'-' { se(s, start, end, 8) } else { None };
            found = found.or_else(|| dni(s, start, end));
        }
        12 if ends_clean(s, end, None) => found = se(s, start, end, 12),
        _ => {}
    }
    let first = b[start];
    if matches!(first, b'1'..=b'4' | b'7' | b'8')
        && (matches!(len, 1 | 3 | 5 | 7 | 10 | 13 | 15) || (len == 6 && matches!(next, b'A' | b'B')))
    {
        found = farthest(found, nir(s, start));
    }
    found
}

fn letter_led(s: &mut Scanner<'_>, start: usize, end: usize) -> Option<usize> {
    let b = s.b;
    let len = end - start;
    let p = b[start - 1];
    if len == 6 && start >= 2 && b[start - 2].is_ascii_alphabetic() {
        if let Some(e) = nino(s, start - 2, start) {
            return Some(e);
        }
    }
    if len == 7 && matches!(p.to_ascii_uppercase(), b'X' | b'Y' | b'Z') {
        if let Some(e) = nie(s, start - 1, start, end) {
            return Some(e);
        }
    }
    fiscal_code(s, start)
}

// ---------------------------------------------------------------------------------------
// US_SSN, US_ITIN

const SSN_DASHED: f32 = 0.75;
const SSN_SPACED: f32 = 0.55;

/// Reports an SSN or an ITIN from its nine digits; `bare` is the score without context.
fn ssn_or_itin(s: &mut Scanner<'_>, d: &[u8], start: usize, end: usize, bare: f32) -> Option<usize> {
    let area = checksum::number(&d[..3]);
    let group = checksum::number(&d[3..5]);
    let serial = checksum::number(&d[5..]);
    if group == 0 || serial == 0 {
        return None;
    }
    if area >= 900 {
        if !s.wants(Kind::UsItin) || !matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99) {
            return None;
        }
        let score = scored(s, Kind::UsItin, start, end, bare);
        s.push(start, end, Kind::UsItin, score, "us_itin");
        return Some(end);
    }
    if !s.wants(Kind::UsSsn) || area == 0 || area == 666 {
        return None;
    }
    if matches!(checksum::number(d), 78_051_120 | 219_099_999 | 123_456_789) {
        return None;
    }
    let score = if bare == SSN_SPACED && !s.context(Kind::UsSsn, start, end) && s.context(Kind::PhoneNumber, start, end)
    {
        NEEDS_CONTEXT
    } else {
        scored(s, Kind::UsSsn, start, end, bare)
    };
    s.push(start, end, Kind::UsSsn, score, "us_ssn");
    Some(end)
}

fn ssn_grouped(s: &mut Scanner<'_>, start: usize, sep: u8) -> Option<usize> {
    if !s.wants(Kind::UsSsn) && !s.wants(Kind::UsItin) {
        return None;
    }
    if extends_left(s.b, start, sep) {
        return None;
    }
    let (d, e, _) = grouped(s.b, start, 9, &[sep], &[3, 5])?;
    if e - start != 11 || !ends_clean(s, e, Some(sep)) {
        return None;
    }
    ssn_or_itin(s, d.as_slice(), start, e, if sep == b'-' { SSN_DASHED } else { SSN_SPACED })
}

fn ssn_contiguous(s: &mut Scanner<'_>, start: usize, end: usize) -> Option<usize> {
    if !s.wants(Kind::UsSsn) && !s.wants(Kind::UsItin) {
        return None;
    }
    let d = checksum::digits(&s.b[start..end])?;
    ssn_or_itin(s, d.as_slice(), start, end, NEEDS_CONTEXT)
}

// ---------------------------------------------------------------------------------------
// UK_NHS

const NHS_SPACED: f32 = 0.6;
const NHS_WITH_CONTEXT: f32 = 0.95;

fn nhs_valid(d: &[u8]) -> bool {
    if d.len() != 10 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = d[..9].iter().enumerate().map(|(i, &x)| (10 - i as u32) * u32::from(x)).sum();
    let c = 11 - sum % 11;
    let c = if c == 11 { 0 } else { c };
    c != 10 && c == u32::from(d[9])
}

fn nhs_report(s: &mut Scanner<'_>, start: usize, end: usize, bare: f32) -> Option<usize> {
    let score = if s.context(Kind::UkNhs, start, end) {
        NHS_WITH_CONTEXT
    } else if s.context(Kind::PhoneNumber, start, end) {
        NEEDS_CONTEXT
    } else {
        bare
    };
    s.push(start, end, Kind::UkNhs, score, "uk_nhs");
    Some(end)
}

fn nhs_grouped(s: &mut Scanner<'_>, start: usize, sep: u8) -> Option<usize> {
    if !s.wants(Kind::UkNhs) {
        return None;
    }
    if extends_left(s.b, start, sep) {
        return None;
    }
    let (d, e, _) = grouped(s.b, start, 10, &[sep], &[3, 6])?;
    if e - start != 12 || !ends_clean(s, e, Some(sep)) || !nhs_valid(d.as_slice()) {
        return None;
    }
    nhs_report(s, start, e, if sep == b' ' { NHS_SPACED } else { NEEDS_CONTEXT })
}

fn nhs_contiguous(s: &mut Scanner<'_>, start: usize, end: usize) -> Option<usize> {
    if !s.wants(Kind::UkNhs) {
        return None;
    }
    let d = checksum::digits(&s.b[start..end])?;
    if !nhs_valid(d.as_slice()) {
        return None;
    }
    nhs_report(s, start, end, NEEDS_CONTEXT)
}

// ---------------------------------------------------------------------------------------
// DE_TAX_ID

const DE_TAX_GROUPED: f32 = 0.6;
const DE_TAX_CONTIGUOUS: f32 = 0.45;

/// The Steuer-ID rules: first digit not 0; among the first ten digits exactly one digit
/// occurs twice or three times (three never in a row); ISO 7064 MOD 11,10 check digit.
fn de_tax_valid(d: &[u8]) -> bool {
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[usize::from(x)] += 1;
    }
    let mut repeated = counts.iter().filter(|&&c| c > 1);
    match (repeated.next(), repeated.next()) {
        (Some(&2), None) => {}
        (Some(&3), None) if !d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) => {}
        _ => return false,
    }
    checksum::iso7064_mod11_10(&d[..10]) == d[10]
}

fn de_tax(s: &mut Scanner<'_>, start: usize, spaced: bool) -> Option<usize> {
    if !s.wants(Kind::DeTaxId) {
        return None;
    }
    if spaced && extends_left(s.b, start, b' ') {
        return None;
    }
    let (d, e, sep) = grouped(s.b, start, 11, if spaced { b" " } else { b"" }, &[2, 5, 8])?;
    if (spaced && e - start != 14) || !ends_clean(s, e, Some(b' ')) || !de_tax_valid(d.as_slice()) {
        return None;
    }
    let bare = if sep { DE_TAX_GROUPED } else { DE_TAX_CONTIGUOUS };
    let score = if s.context(Kind::DeTaxId, start, e) { 0.95 } else { bare };
    s.push(start, e, Kind::DeTaxId, score, "de_tax_id");
    Some(e)
}

// ---------------------------------------------------------------------------------------
// FR_NIR

const NIR_CONTIGUOUS: f32 = 0.85;
const NIR_SPACED: f32 = 0.9;

fn nir(s: &mut Scanner<'_>, start: usize) -> Option<usize> {
    if !s.wants(Kind::FrNir) {
        return None;
    }
    let b = s.b;
    let mut v = [0u8; 15];
    let mut n = 0;
    let mut pos = start;
    let mut spaced = false;
    while n < 15 {
        let c = *b.get(pos)?;
        if c.is_ascii_digit() || (n == 6 && v[5] == b'2' && matches!(c, b'A' | b'B')) {
            v[n] = c;
            n += 1;
            pos += 1;
        } else if c == b' ' && matches!(n, 1 | 3 | 5 | 7 | 10 | 13) && b.get(pos + 1).is_some_and(u8::is_ascii_digit) {
            spaced = true;
            pos += 1;
        } else {
            return None;
        }
    }
    if !ends_clean(s, pos, Some(b' ')) || !matches!(v[0], b'1'..=b'4' | b'7' | b'8') {
        return None;
    }
    let month = u32::from(v[3] - b'0') * 10 + u32::from(v[4] - b'0');
    if !matches!(month, 1..=12 | 20 | 30..=42 | 50..=99) {
        return None;
    }
    let mut n13 = 0u64;
    for (i, &c) in v[..13].iter().enumerate() {
        let x = match (i, c) {
            (5, _) if v[6] == b'A' => 1,
            (6, b'A') => 9,
            (5, _) if v[6] == b'B' => 1,
            (6, b'B') => 8,
            _ => c - b'0',
        };
        n13 = n13 * 10 + u64::from(x);
    }
    let key = u64::from(v[13] - b'0') * 10 + u64::from(v[14] - b'0');
    if 97 - n13 % 97 != key {
        return None;
    }
    let score = scored(s, Kind::FrNir, start, pos, if spaced { NIR_SPACED } else { NIR_CONTIGUOUS });
    s.push(start, pos, Kind::FrNir, score, "fr_nir");
    Some(pos)
}

// ---------------------------------------------------------------------------------------
// ES_DNI, ES_NIE

const DNI: f32 = 0.85;

/// The check letter after `end` (directly or after one `-`/space); returns its offset.
fn letter_after(b: &[u8], end: usize) -> Option<usize> {
    match b.get(end)? {
        c if c.is_ascii_alphabetic() => Some(end),
        b'-' | b' ' if b.get(end + 1).is_some_and(u8::is_ascii_alphabetic) => Some(end + 1),
        _ => None,
    }
}

fn dni(s: &mut Scanner<'_>, start: usize, end: usize) -> Option<usize> {
    if !s.wants(Kind::EsDni) {
        return None;
    }
    let b = s.b;
    let at = letter_after(b, end)?;
    if !s.boundary_after(at + 1) {
        return None;
    }
    let n = checksum::number(checksum::digits(&b[start..end])?.as_slice());
    if b[at].to_ascii_uppercase() != checksum::dni_letter(n) {
        return None;
    }
    // Seven digits are an old number written without its leading zero.
    let bare = if end - start == 7 { NEEDS_CONTEXT } else { DNI };
    let score = scored(s, Kind::EsDni, start, at + 1, bare);
    s.push(start, at + 1, Kind::EsDni, score, "es_dni");
    Some(at + 1)
}

/// `x` is the X/Y/Z letter, `start..end` the seven digits.
fn nie(s: &mut Scanner<'_>, x: usize, start: usize, end: usize) -> Option<usize> {
    if !s.wants(Kind::EsNie) || !s.boundary_before(x) {
        return None;
    }
    let b = s.b;
    let at = letter_after(b, end)?;
    if !s.boundary_after(at + 1) {
        return None;
    }
    let n = checksum::number(checksum::digits(&b[start..end])?.as_slice());
    if b[at].to_ascii_uppercase() != checksum::dni_letter(u64::from(b[x].to_ascii_uppercase() - b'X') * 10_000_000 + n)
    {
        return None;
    }
    let score = scored(s, Kind::EsNie, x, at + 1, DNI);
    s.push(x, at + 1, Kind::EsNie, score, "es_nie");
    Some(at + 1)
}

// ---------------------------------------------------------------------------------------
// IT_FISCAL_CODE

const FISCAL: f32 = 0.9;

/// Values of odd positions (1st, 3rd ...) for the check character, by digit or letter.
const ODD: [u32; 26] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/// The digit a position holds: a digit, or an omocodia letter L-V standing for 0-9.
fn omocodia(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        _ => b"LMNPQRSTUV".iter().position(|&l| l == c).map(|i| i as u8),
    }
}

fn fiscal_valid(v: &[u8; 16]) -> bool {
    const DIGIT_POS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
    if !v[..6].iter().all(u8::is_ascii_uppercase) || !v[11].is_ascii_uppercase() {
        return false;
    }
    let mut d = [0u8; 15];
    for &i in &DIGIT_POS {
        match omocodia(v[i]) {
            Some(x) => d[i] = x,
            None => return false,
        }
    }
    if !b"ABCDEHLMPRST".contains(&v[8]) {
        return false;
    }
    let day = d[9] * 10 + d[10];
    if !matches!(day, 1..=31 | 41..=71) {
        return false;
    }
    let value = |c: u8| -> u32 { if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') } };
    let mut sum = 0;
    for (i, &c) in v[..15].iter().enumerate() {
        sum += if i % 2 == 0 { ODD[value(c) as usize] } else { value(c) };
    }
    v[15] == b'A' + (sum % 26) as u8
}

/// A 16-character token around the digit run at `start` (preceded by a letter).
fn fiscal_code(s: &mut Scanner<'_>, start: usize) -> Option<usize> {
    if !s.wants(Kind::ItFiscalCode) {
        return None;
    }
    let b = s.b;
    let mut ts = start;
    while ts > 0 && start - ts < 16 && b[ts - 1].is_ascii_alphanumeric() {
        ts -= 1;
    }
    if start - ts < 6 || !s.boundary_before(ts) {
        return None;
    }
    let te = ts + 16;
    if te > b.len() || !b[start..te].iter().all(u8::is_ascii_alphanumeric) || !s.boundary_after(te) {
        return None;
    }
    let raw = &b[ts..te];
    let upper = raw.iter().all(|c| !c.is_ascii_lowercase());
    let lower = raw.iter().all(|c| !c.is_ascii_uppercase());
    if !upper && !lower {
        return None;
    }
    let mut v = [0u8; 16];
    for (o, &c) in v.iter_mut().zip(raw) {
        *o = c.to_ascii_uppercase();
    }
    if !fiscal_valid(&v) {
        return None;
    }
    let score = scored(s, Kind::ItFiscalCode, ts, te, FISCAL);
    s.push(ts, te, Kind::ItFiscalCode, score, "it_fiscal_code");
    Some(te)
}

// ---------------------------------------------------------------------------------------
// NL_BSN

fn bsn(s: &mut Scanner<'_>, start: usize, end: usize) -> Option<usize> {
    if !s.wants(Kind::NlBsn) {
        return None;
    }
    let d = checksum::digits(&s.b[start..end])?;
    let d = d.as_slice();
    let sum = checksum::weighted(d, &[9, 8, 7, 6, 5, 4, 3, 2]) as i64 - i64::from(d[8]);
    if sum % 11 != 0 || checksum::number(d) == 0 {
        return None;
    }
    let score = if s.context(Kind::NlBsn, start, end) { 0.9 } else { NEEDS_CONTEXT };
    s.push(start, end, Kind::NlBsn, score, "nl_bsn");
    Some(end)
}

// ---------------------------------------------------------------------------------------
// PL_PESEL

const PESEL: f32 = 0.55;

fn pesel(s: &mut Scanner<'_>, start: usize, end: usize) -> Option<usize> {
    if !s.wants(Kind::PlPesel) {
        return None;
    }
    // The month with its century offset, before any other work.
    let mm = (s.b[start + 2].wrapping_sub(b'0')) * 10 + s.b[start + 3].wrapping_sub(b'0');
    if !(1..=12).contains(&(mm % 20)) {
        return None;
    }
    let d = checksum::digits(&s.b[start..end])?;
    let d = d.as_slice();
    let c = (10 - checksum::weighted(d, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10) % 10;
    if c != u32::from(d[10]) {
        return None;
    }
    let yy = checksum::number(&d[..2]) as u32;
    let mm = checksum::number(&d[2..4]) as u32;
    let dd = checksum::number(&d[4..6]) as u32;
    let (century, month) = match mm {
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        81..=92 => (1800, mm - 80),
        _ => return None,
    };
    if !checksum::valid_date(century + yy, month, dd) {
        return None;
    }
    let bare = if century == 1900 || century == 2000 { PESEL } else { NEEDS_CONTEXT };
    let score = if s.context(Kind::PlPesel, start, end) {
        0.95
    } else if s.context(Kind::PhoneNumber, start, end) {
        NEEDS_CONTEXT
    } else {
        bare
    };
    s.push(start, end, Kind::PlPesel, score, "pl_pesel");
    Some(end)
}

// ---------------------------------------------------------------------------------------
// BE_NATIONAL_NUMBER

const BE_FORMATTED: f32 = 0.85;
const BE_CONTIGUOUS: f32 = 0.55;

fn be(s: &mut Scanner<'_>, start: usize) -> Option<usize> {
    if !s.wants(Kind::BeNationalNumber) {
        return None;
    }
    let (d, e, sep) = grouped(s.b, start, 11, b".- ", &[2, 4, 6, 9])?;
    if !ends_clean(s, e, Some(b' ')) {
        return None;
    }
    let d = d.as_slice();
    let mm = checksum::number(&d[2..4]);
    let dd = checksum::number(&d[4..6]);
    if !matches!(mm, 0..=12 | 20..=32 | 40..=52) || dd > 31 {
        return None;
    }
    let first9 = checksum::number(&d[..9]);
    let check = checksum::number(&d[9..]);
    if 97 - first9 % 97 != check && 97 - (2_000_000_000 + first9) % 97 != check {
        return None;
    }
    let score = scored(s, Kind::BeNationalNumber, start, e, if sep { BE_FORMATTED } else { BE_CONTIGUOUS });
    s.push(start, e, Kind::BeNationalNumber, score, "be_national_number");
    Some(e)
}

// ---------------------------------------------------------------------------------------
// SE_PERSONNUMMER

const SE_DASHED: f32 = 0.85;
const SE_LONG: f32 = 0.7;

/// `len` is the length of the digit run at `start`: 6 (`YYMMDD-XXXX`), 8 (`YYYYMMDD-XXXX`),
/// 12 (`YYYYMMDDXXXX`) or 10 (`YYMMDDXXXX`).
fn se(s: &mut Scanner<'_>, start: usize, end: usize, len: usize) -> Option<usize> {
    if !s.wants(Kind::SePersonnummer) {
        return None;
    }
    let b = s.b;
    // The month, before any other work.
    let m = start + if len == 8 || len == 12 { 4 } else { 2 };
    if !matches!((b[m], b[m + 1]), (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2')) {
        return None;
    }
    let (century, e) = match len {
        6 | 8 => {
            let tail = b.get(end + 1..end + 5)?;
            if !tail.iter().all(u8::is_ascii_digit) || !ends_clean(s, end + 5, None) {
                return None;
            }
            (if len == 8 { Some(&b[start..start + 2]) } else { None }, end + 5)
        }
        12 => (Some(&b[start..start + 2]), end),
        _ => (None, end),
    };
    let mut d = Buf::new();
    for &c in &b[start + if century.is_some() { 2 } else { 0 }..e] {
        if c.is_ascii_digit() {
            d.push(c - b'0');
        }
    }
    let d = d.as_slice();
    if d.len() != 10 {
        return None;
    }
    let yy = checksum::number(&d[..2]) as u32;
    let mm = checksum::number(&d[2..4]) as u32;
    let mut dd = checksum::number(&d[4..6]) as u32;
    if dd > 60 {
        dd -= 60; // samordningsnummer
    }
    let date_ok = match century {
        Some(c) => {
            let c = match c {
                b"18" => 1800,
                b"19" => 1900,
                b"20" => 2000,
                _ => return None,
            };
            checksum::valid_date(c + yy, mm, dd)
        }
        None => checksum::valid_date(1900 + yy, mm, dd) || checksum::valid_date(2000 + yy, mm, dd),
    };
    if !date_ok || !checksum::luhn(d) {
        return None;
    }
    // "YYYYMMDDhhmm" stamps of this century share the long forms; births in the 1800s are
    // rare. Both need context.
    let stamp = century == Some(&b"20"[..]) && checksum::number(&d[6..8]) < 24 && checksum::number(&d[8..]) < 60;
    let bare = if century == Some(&b"18"[..]) || stamp {
        NEEDS_CONTEXT
    } else {
        match len {
            6 | 8 => SE_DASHED,
            12 => SE_LONG,
            _ => NEEDS_CONTEXT,
        }
    };
    let score = scored(s, Kind::SePersonnummer, start, e, bare);
    s.push(start, e, Kind::SePersonnummer, score, "se_personnummer");
    Some(e)
}

// ---------------------------------------------------------------------------------------
// UK_NINO

const NINO: f32 = 0.75;
const NINO_NO_SUFFIX: f32 = 0.4;

fn nino_prefix(a: u8, b: u8) -> bool {
    a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && !matches!(a, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V')
        && !matches!(b, b'D' | b'F' | b'I' | b'O' | b'Q' | b'U' | b'V')
        && !matches!(&[a, b], b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ")
}

/// `p` is the first prefix letter, `digits` where the six digits start.
fn nino(s: &mut Scanner<'_>, p: usize, digits: usize) -> Option<usize> {
    if !s.wants(Kind::UkNino) {
        return None;
    }
    let b = s.b;
    // All upper case, or all lower case (then weaker).
    let lower = b[p].is_ascii_lowercase() && b[p + 1].is_ascii_lowercase();
    if !nino_prefix(b[p].to_ascii_uppercase(), b[p + 1].to_ascii_uppercase())
        || !(lower || (b[p].is_ascii_uppercase() && b[p + 1].is_ascii_uppercase()))
        || !s.boundary_before(p)
    {
        return None;
    }
    let suffixes = if lower { b'a'..=b'd' } else { b'A'..=b'D' };
    let (_, mut e, _) = grouped(b, digits, 6, b" ", &[2, 4])?;
    let spaced = b[digits - 1] == b' ';
    let mut bare = NINO_NO_SUFFIX;
    let suffix_at = if b.get(e) == Some(&b' ') && spaced { e + 1 } else { e };
    if b.get(suffix_at).is_some_and(|c| suffixes.contains(c)) && s.boundary_after(suffix_at + 1) {
        e = suffix_at + 1;
        bare = if lower { NINO_NO_SUFFIX } else { NINO };
    } else if !ends_clean(s, e, Some(b' '))
        || (b.get(suffix_at).is_some_and(u8::is_ascii_alphabetic) && s.boundary_after(suffix_at + 1))
    {
        // A letter that is not a suffix, or a longer figure.
        return None;
    }
    let score = scored(s, Kind::UkNino, p, e, bare);
    s.push(p, e, Kind::UkNino, score, "uk_nino");
    Some(e)
}

// ---------------------------------------------------------------------------------------
// PASSPORT

const PASSPORT: f32 = 0.75;

/// Handler of the passport keywords: the number is one of the next few tokens.
fn passport(s: &mut Scanner<'_>, ks: usize, ke: usize) {
    if !s.wants(Kind::Passport) || !s.boundary_before(ks) {
        return;
    }
    let b = s.b;
    for (ts, te) in checksum::Tokens::new(b, ke, 48).take(5) {
        let t = &b[ts..te];
        let digits = t.iter().filter(|c| c.is_ascii_digit()).count();
        if (6..=9).contains(&t.len())
            && digits >= 4
            && t.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && s.boundary_before(ts)
            && s.boundary_after(te)
        {
            s.push(ts, te, Kind::Passport, PASSPORT, "passport");
            return;
        }
        // Words ("number", "Nr", "n°", "de") are skipped; another number ends the search.
        if digits > 0 {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().map(|c| c - b'0').collect()
    }

    #[test]
    fn nhs_vectors() {
        assert!(nhs_valid(&d("9434765919")));
        assert!(nhs_valid(&d("9434765870")));
        assert!(!nhs_valid(&d("9434765918")));
        assert!(!nhs_valid(&d("1111111111")));
    }

    #[test]
    fn steuer_id_vectors() {
        for v in ["86095742719", "47036892816", "65929970489", "57549285017", "25768131411"] {
            assert!(de_tax_valid(&d(v)), "{v}");
        }
        assert!(!de_tax_valid(&d("86095742718"))); // check digit
        assert!(!de_tax_valid(&d("01234567891"))); // leading zero
        assert!(!de_tax_valid(&d("12345678903"))); // no repeated digit
        assert!(!de_tax_valid(&d("11123456780"))); // three in a row
    }

    #[test]
    fn fiscal_code_vectors() {
        for v in [b"RSSMRA85T10A562S", b"MRTMTT91D08F205J", b"RSSMRA85T10A56NH"] {
            assert!(fiscal_valid(v), "{:?}", std::str::from_utf8(v));
        }
        assert!(!fiscal_valid(b"RSSMRA85T10A562T"));
        assert!(!fiscal_valid(b"RSSMRA85Z10A562S"));
    }

    #[test]
    fn nino_prefixes() {
        assert!(nino_prefix(b'A', b'B'));
        assert!(!nino_prefix(b'G', b'B'));
        assert!(!nino_prefix(b'D', b'A'));
        assert!(!nino_prefix(b'A', b'O'));
    }
}
