//! The region families: identifiers of one country each, switched on by the policy's region
//! packs (see [`region`](super::region)). This module anchors them and holds what they
//! share: the shape helpers, the scoring rule and the check-digit algorithms.
//!
//! # Anchoring
//!
//! Every format here contains a digit, so the families hang off the digit-run anchor. For
//! each run the dispatcher looks at its ASCII token (the maximal run of ASCII letters and
//! digits around it, at most [`MAX_TOKEN`] bytes on each side):
//!
//! - a token with letters (`MORGA607054SM9IJ`, `AB51`, `1EG4`) is handed once, at its first
//!   digit run, to each family's `token` function, which looks at its length and shape and
//!   at most one neighbouring token on each side (`AB51 ABC`, `SW1A 1AA`);
//! - a run of digits alone (`130`, `0981508150999`) goes to each family's `digits`
//!   function, which reads separated groups to the right (`130 692 544`) or a keyword
//!   token to the left (`HRB 123`, `DE 136 695 976`).
//!
//! A family whose kinds are all off costs one bit test per run; the families of the
//! default packs (DE, EU, UK, US) reject most runs by their length and the bytes next to
//! them.
//!
//! # Scores
//!
//! [`report`] gives a candidate its bare score, or its context score when a context word
//! of its kind is near (see [`Scanner::context`]); a candidate that could not reach the
//! kind's threshold either way is dropped before any context search. Formats with a
//! strong check (a long number with a check digit and a date, mod 97, Verhoeff over 12
//! digits) score above the default threshold on their own; short check digits that one
//! number in ten passes, and formats without a check, score below it and need context.
//! Presidio reports the weakest of these formats at scores from 0.01 to 0.3; so do we, so
//! that a policy with a low threshold sees them.
//!
//! # Windows
//!
//! A finding depends on at most 40 bytes left of its digit run and 48 bytes right of it,
//! plus the context windows (64 bytes before, 32 after).

use crate::Kind;
use crate::detectors::region::Group;
use crate::detectors::{Family, apac, de, eu, partial_date, uk, us, world};
use crate::scan::{CONTEXT_AFTER, CONTEXT_BEFORE, Scanner};

/// Longest stretch of ASCII letters and digits looked at on each side of a digit run.
pub(crate) const MAX_TOKEN: usize = 24;

/// Called at every maximal run of ASCII digits `b[start..end]` when a region group is on.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    if s.eng.groups & Group::PARTIAL_DATE != 0 {
        partial_date::at_digits(s, start, end);
        if s.eng.groups == Group::PARTIAL_DATE {
            return;
        }
    }
    let b = s.b;
    let prev = if start > 0 { b[start - 1] } else { 0 };
    let next = b.get(end).copied().unwrap_or(0);
    if prev.is_ascii_alphabetic() || next.is_ascii_alphabetic() {
        // Once per token, at its first digit run.
        if start >= s.resume(Family::Intl) {
            token(s, start, end);
        }
    } else if start >= s.resume(Family::Intl) {
        digits(s, start, end, prev, next);
    }
}

#[inline(never)]
fn token(s: &mut Scanner<'_>, start: usize, end: usize) {
    let b = s.b;
    let mut ts = start;
    while ts > 0 && start - ts <= MAX_TOKEN && b[ts - 1].is_ascii_alphanumeric() {
        ts -= 1;
    }
    let mut te = end;
    while te < b.len() && te - end <= MAX_TOKEN && b[te].is_ascii_alphanumeric() {
        te += 1;
    }
    s.set_resume(Family::Intl, te);
    if start - ts > MAX_TOKEN || te - end > MAX_TOKEN {
        return;
    }
    let t = Tok { ts, te };
    let g = s.eng.groups;
    if g & Group::DE != 0 {
        de::token(s, t);
    }
    if g & Group::EU != 0 {
        eu::token(s, t);
    }
    if g & Group::UK != 0 {
        uk::token(s, t);
    }
    if g & Group::US != 0 {
        us::token(s, t);
    }
    if g & Group::APAC != 0 {
        apac::token(s, t);
    }
    if g & Group::INTL != 0 {
        world::token(s, t);
    }
}

#[inline]
fn digits(s: &mut Scanner<'_>, start: usize, end: usize, prev: u8, next: u8) {
    let b = s.b;
    // Every format with a short digit run has a separator after it ("130 692 544", and
    // outside the default packs also `.` and `:`, "3123:4567:8909") or a word and a
    // separator before it ("HRB 123", "B AB 1234", "AA 1234567"); only the weak bare PLZ
    // has neither. Most runs of prices, times, years and counts stop here.
    if end - start <= 7 {
        let far = s.eng.groups & (Group::APAC | Group::INTL | Group::PH_PHONE | Group::TR_PHONE) != 0;
        let after = match next {
            b'-' | b'/' | b'+' => true,
            b' ' => far || b.get(end + 1).is_some_and(u8::is_ascii_digit),
            b'.' | b':' => far,
            _ => false,
        };
        let w = if start >= 2 { b[start - 2] } else { 0 };
        let before = matches!(prev, b' ' | b'-' | b'.')
            && w.is_ascii_alphabetic()
            && (w.is_ascii_uppercase()
                || matches!(w, b'a' | b'b')
                || end - start == 7
                || far
                || could(s, Kind::DeKfz, 0.1));
        let plz = end - start == 5 && could(s, Kind::PostalCode, 0.1);
        if !(after || before || plz) {
            return;
        }
    }
    let g = s.eng.groups;
    let r = Run { start, end, prev, next };
    // The run's context words, looked up at most once for every family.
    let mut c = Context::new(start, end);
    if g & Group::DE != 0 {
        de::digits(s, r, &mut c);
    }
    if g & Group::EU != 0 {
        eu::digits(s, r, &mut c);
    }
    if g & Group::US != 0 {
        us::digits(s, r, &mut c);
    }
    if g & (Group::APAC | Group::PH_PHONE) != 0 {
        apac::digits(s, r, &mut c);
    }
    if g & (Group::INTL | Group::TR_PHONE) != 0 {
        world::digits(s, r, &mut c);
    }
}

/// A token of ASCII letters and digits with at least one letter and one digit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub(crate) ts: usize,
    pub(crate) te: usize,
}

impl Tok {
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.te - self.ts
    }
}

/// A maximal run of ASCII digits with no ASCII letter on either side.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The byte before the run, or 0.
    pub(crate) prev: u8,
    /// The byte after the run, or 0.
    pub(crate) next: u8,
}

impl Run {
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Reports `start..end` as `kind` with score `bare`, or `ctx` when a context word of the
/// kind is near. Returns whether it was reported.
pub(crate) fn report(
    s: &mut Scanner<'_>,
    start: usize,
    end: usize,
    kind: Kind,
    bare: f32,
    ctx: f32,
    detector: &'static str,
) -> bool {
    report_in(s, &mut Context::new(start, end), kind, bare, ctx, detector)
}

/// Like [`report`], for the span of `c`, whose context words are looked up once for all
/// the kinds reported on that span.
pub(crate) fn report_in(
    s: &mut Scanner<'_>,
    c: &mut Context,
    kind: Kind,
    bare: f32,
    ctx: f32,
    detector: &'static str,
) -> bool {
    if !s.wants(kind) {
        return false;
    }
    let t = s.eng.threshold(kind);
    if bare.max(ctx) < t {
        return false;
    }
    let score = if ctx > bare && c.has(s, kind) { ctx } else { bare };
    if score < t || score <= 0.0 {
        return false;
    }
    s.push(c.start, c.end, kind, score, detector);
    true
}

/// The context words around one span, looked up at most once: which built-in kinds have a
/// context word within [`CONTEXT_BEFORE`] bytes before it or [`CONTEXT_AFTER`] bytes after
/// it, by the rules of [`Scanner::context`].
pub(crate) struct Context {
    start: usize,
    end: usize,
    kinds: Option<u128>,
}

impl Context {
    pub(crate) fn new(start: usize, end: usize) -> Context {
        Context { start, end, kinds: None }
    }

    /// True when a context word of `kind` is near the span.
    pub(crate) fn has(&mut self, s: &Scanner<'_>, kind: Kind) -> bool {
        let Some(i) = kind.builtin_index() else { return s.context(kind, self.start, self.end) };
        let kinds = match self.kinds {
            Some(k) => k,
            None => {
                let before = self.start.saturating_sub(CONTEXT_BEFORE);
                let after = (self.end + CONTEXT_AFTER).min(s.b.len());
                let k = context_kinds(s, before, self.start) | context_kinds(s, self.end, after);
                self.kinds = Some(k);
                k
            }
        };
        i < 128 && kinds & (1u128 << i) != 0
    }
}

/// The built-in kinds with a context word as a word in `b[from..to]` (see
/// [`Scanner::context_in`]).
fn context_kinds(s: &Scanner<'_>, from: usize, to: usize) -> u128 {
    s.context_kinds_in(from, to)
}

/// True when `kind` is on and a candidate scoring at most `best` could be reported: lets a
/// detector skip work for weak formats under the default threshold.
#[inline]
pub(crate) fn could(s: &Scanner<'_>, kind: Kind, best: f32) -> bool {
    s.wants(kind) && best >= s.eng.threshold(kind)
}

// ---------------------------------------------------------------------------------------
// Shape helpers. All take byte offsets into `b` and look at a bounded number of bytes.

/// Number of ASCII letters from `i`, at most `max`.
#[inline]
pub(crate) fn letters_at(b: &[u8], i: usize, max: usize) -> usize {
    let mut n = 0;
    while n < max && i + n < b.len() && b[i + n].is_ascii_alphabetic() {
        n += 1;
    }
    n
}

/// Number of ASCII letters ending right before `i`, at most `max`.
#[inline]
pub(crate) fn letters_before(b: &[u8], i: usize, max: usize) -> usize {
    let mut n = 0;
    while n < max && n < i && b[i - n - 1].is_ascii_alphabetic() {
        n += 1;
    }
    n
}

/// Number of ASCII digits from `i`, at most `max`.
#[inline]
pub(crate) fn digits_at(b: &[u8], i: usize, max: usize) -> usize {
    let mut n = 0;
    while n < max && i + n < b.len() && b[i + n].is_ascii_digit() {
        n += 1;
    }
    n
}

/// The value of ASCII digits `t` (at most 9 of them).
#[inline]
pub(crate) fn num(t: &[u8]) -> u32 {
    t.iter().fold(0, |a, &c| a * 10 + u32::from(c.wrapping_sub(b'0') % 10))
}

/// True when every byte is an ASCII digit.
#[inline]
pub(crate) fn all_digits(t: &[u8]) -> bool {
    t.iter().all(u8::is_ascii_digit)
}

/// True when every byte is an ASCII letter.
#[inline]
pub(crate) fn all_letters(t: &[u8]) -> bool {
    t.iter().all(u8::is_ascii_alphabetic)
}

/// True when no ASCII letter is lower case.
#[inline]
pub(crate) fn upper(t: &[u8]) -> bool {
    !t.iter().any(u8::is_ascii_lowercase)
}

/// True when the bytes match `pat`: `A` an ASCII letter, `9` a digit, `X` either; any
/// other pattern byte must match exactly.
pub(crate) fn shape(t: &[u8], pat: &[u8]) -> bool {
    t.len() == pat.len()
        && t.iter().zip(pat).all(|(&c, &p)| match p {
            b'A' => c.is_ascii_alphabetic(),
            b'9' => c.is_ascii_digit(),
            b'X' => c.is_ascii_alphanumeric(),
            _ => c == p,
        })
}

/// Digit values of `t` (ASCII digits), up to 32.
#[inline]
pub(crate) fn dv(t: &[u8]) -> crate::detectors::checksum::Buf {
    let mut d = crate::detectors::checksum::Buf::new();
    for &c in t {
        if c.is_ascii_digit() {
            d.push(c - b'0');
        }
    }
    d
}

/// True when a value may start at `i`: no letter, digit or `_` of any script before it,
/// and no digit through a `.`, `,`, `-`, `/`, `:` or `+` (a longer figure).
#[inline]
pub(crate) fn starts_clean(s: &Scanner<'_>, i: usize) -> bool {
    let b = s.b;
    if i == 0 {
        return true;
    }
    let c = b[i - 1];
    if c >= 0x80 {
        return s.boundary_before(i);
    }
    let figure = i >= 2 && matches!(c, b'.' | b',' | b'-' | b'/' | b':') && b[i - 2].is_ascii_digit();
    !(c.is_ascii_alphanumeric() || c == b'_' || c == b'+' || figure)
}

/// True when a value may end at `i`: no letter, digit or `_` of any script after it, and
/// no `.`, `,`, `-`, `/` or `:` followed by a digit (a longer figure).
#[inline]
pub(crate) fn ends_clean(s: &Scanner<'_>, i: usize) -> bool {
    let b = s.b;
    let Some(&c) = b.get(i) else { return true };
    if c >= 0x80 {
        return s.boundary_after(i);
    }
    let figure = i + 1 < b.len() && matches!(c, b'.' | b',' | b'-' | b'/' | b':') && b[i + 1].is_ascii_digit();
    !(c.is_ascii_alphanumeric() || c == b'_' || figure)
}

/// Like [`starts_clean`] but only ASCII letters and digits count (Korean particles and
/// Thai words are written right next to numbers).
#[inline]
pub(crate) fn starts_clean_ascii(b: &[u8], i: usize) -> bool {
    !(i >= 1 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'+'))
        && !(i >= 2 && matches!(b[i - 1], b'.' | b',' | b'-' | b'/' | b':') && b[i - 2].is_ascii_digit())
}

/// Like [`ends_clean`] but only ASCII letters and digits count.
#[inline]
pub(crate) fn ends_clean_ascii(b: &[u8], i: usize) -> bool {
    !(i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_'))
        && !(i + 1 < b.len() && matches!(b[i], b'.' | b',' | b'-' | b'/' | b':') && b[i + 1].is_ascii_digit())
}

/// Reads digit groups from `start`: the lengths in `groups`, separated by one byte of
/// `seps`, the same byte every time (or none at all when `contiguous`). Returns the digit
/// values, the end and the separator used (0 for none).
pub(crate) fn groups(
    b: &[u8],
    start: usize,
    groups: &[usize],
    seps: &[u8],
) -> Option<(crate::detectors::checksum::Buf, usize, u8)> {
    let mut d = crate::detectors::checksum::Buf::new();
    let mut pos = start;
    let mut sep = 0u8;
    for (i, &n) in groups.iter().enumerate() {
        if i > 0 {
            let c = *b.get(pos)?;
            if i == 1 {
                if !seps.contains(&c) {
                    return None;
                }
                sep = c;
            } else if c != sep {
                return None;
            }
            pos += 1;
        }
        if digits_at(b, pos, n + 1) != n {
            return None;
        }
        for &c in &b[pos..pos + n] {
            d.push(c - b'0');
        }
        pos += n;
    }
    Some((d, pos, sep))
}

/// [`groups`] for a whole value: it must not be part of a longer grouped figure, so no
/// digit and the same separator right before it and no separator and digit right after it
/// (`+34 698 274 982` holds no 3-3-3 number).
pub(crate) fn grouped(
    b: &[u8],
    start: usize,
    lens: &[usize],
    seps: &[u8],
) -> Option<(crate::detectors::checksum::Buf, usize, u8)> {
    let (d, e, sep) = groups(b, start, lens, seps)?;
    let longer = sep != 0
        && ((start >= 2 && b[start - 1] == sep && b[start - 2].is_ascii_digit())
            || (e + 1 < b.len() && b[e] == sep && b[e + 1].is_ascii_digit()));
    (!longer).then_some((d, e, sep))
}

// ---------------------------------------------------------------------------------------
// Check digits of the region families.

/// Verhoeff's dihedral check: true when the last digit checks the others.
pub(crate) fn verhoeff(d: &[u8]) -> bool {
    const MUL: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const PERM: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let mut c = 0u8;
    for (i, &x) in d.iter().rev().enumerate() {
        if x > 9 {
            return false;
        }
        c = MUL[usize::from(c)][usize::from(PERM[i % 8][usize::from(x)])];
    }
    !d.is_empty() && c == 0
}

/// Value of an ICAO 9303 machine-readable character: digits 0-9, letters `A` = 10 to
/// `Z` = 35 (either case), `<` = 0.
#[inline]
pub(crate) fn icao_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// ICAO 9303 check digit (weights 7, 3, 1) of `t`.
pub(crate) fn icao(t: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in t.iter().enumerate() {
        sum += icao_value(c)? * [7, 3, 1][i % 3];
    }
    u8::try_from(sum % 10).ok()
}

/// Luhn over ASCII digits `t`, the last being the check digit.
pub(crate) fn luhn_ascii(t: &[u8]) -> bool {
    let d = dv(t);
    d.len() == t.len() && crate::detectors::checksum::luhn(d.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().map(|c| c - b'0').collect()
    }

    #[test]
    fn verhoeff_vectors() {
        // The worked example of Verhoeff's scheme: 236 has check digit 3.
        assert!(verhoeff(&d("2363")));
        assert!(!verhoeff(&d("2364")));
        assert!(verhoeff(&d("312345678909")));
        assert!(!verhoeff(&d("123456789012")));
        assert!(!verhoeff(&[]));
    }

    #[test]
    fn icao_vectors() {
        // ICAO 9303 part 3 specimen: document number L898902C3 has check digit 6.
        assert_eq!(icao(b"L898902C3"), Some(6));
        assert_eq!(icao(b"C0123456"), Some(5));
        assert_eq!(icao(b"l01x00t4"), Some(4));
        assert_eq!(icao(b"C01-"), None);
    }

    #[test]
    fn shapes() {
        assert!(shape(b"AB51", b"AA99"));
        assert!(!shape(b"AB5", b"AA99"));
        assert!(shape(b"1EG4", b"9AAX"));
        assert!(shape(b"DE-1", b"AA-9"));
        assert!(!shape(b"DE 1", b"AA-9"));
    }

    #[test]
    fn digit_groups() {
        let (v, e, sep) = groups(b"130 692 544!", 0, &[3, 3, 3], b" -").expect("groups");
        assert_eq!((v.len(), e, sep), (9, 11, b' '));
        assert!(groups(b"046-454 286", 0, &[3, 3, 3], b" -").is_none());
        assert!(groups(b"130 692 5445", 0, &[3, 3, 3], b" -").is_none());
        assert!(grouped(b"+34 698 274 982", 4, &[3, 3, 3], b" -").is_none());
        assert!(grouped(b"698 274 982 1", 0, &[3, 3, 3], b" -").is_none());
        assert!(grouped(b"(698 274 982)", 1, &[3, 3, 3], b" -").is_some());
    }
}
