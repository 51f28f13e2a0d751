//! DATE_OF_BIRTH and DATE_TIME: calendar dates, numeric or with month names in English,
//! German, French, Spanish, Italian and Dutch.
//!
//! # Forms
//!
//! - ISO 8601: `2024-03-15`, with a time `2024-03-15T10:30:00Z`, `2024-03-15 10:30`,
//!   `2024-03-15T10:30:00.123+01:00`; also `2024/03/15` and `2024.03.15`.
//! - Day first: `15.03.2024`, `3.1.1990`, `15/03/2024`, `15-03-2024`; month first (US):
//!   `03/15/2024`, `03-15-2024` (a `/` or `-` date is accepted when either reading is a valid
//!   date; `.` dates are always day first). A time may follow after one space
//!   (`15.03.2024 10:30`). Two-digit years (`15.03.24`) score lower.
//! - Month names, day first: `15 March 2024`, `15th of March 2024`, `15. März 2024`,
//!   `le 1er janvier 1990`, `3 de enero de 1990`, `3 gennaio 1990`, `3 januari 1990`,
//!   `15 Mar. 2024`, `15-Mar-2024`.
//! - Month names, month first (English, capitalised): `March 15, 2024`, `Mar. 15th 2024`.
//!   The digit run is the anchor; the month name is looked for at most 10 bytes to its
//!   left.
//! - Without a year (`15 March`, `March 15`) only with a month name of five or more
//!   letters, and at a low score: such dates matter mostly as dates of birth.
//!
//! Every date is checked against the calendar (month 1-12, no 31 February, 29 February
//! in leap years only); numeric years lie in 1800-2199, years after month names in
//! 1000-2999. Times alone (`10:30`), years alone, versions (`1.2.3`), IP addresses,
//! decimals and dates inside longer dotted or dashed digit sequences are not dates.
//!
//! # Date of birth
//!
//! A date is a DATE_OF_BIRTH when a birth word comes before it, with no digit between
//! the two and at most 64 bytes away (`born`, `DOB`, `d.o.b.`, `date of birth`,
//! `birthday`, `geb.`, `geboren`, `Geburtsdatum`, `né le`, `née le`, `date de naissance`,
//! `nacido`, `nacida`, `fecha de nacimiento`, `nato`, `nata`, `data di nascita`,
//! `geboren op`, `geboortedatum` ...), or right after it (`15.03.1990 (DOB)`). Birth words
//! are matched as whole words by this module rather than through the engine's shared
//! context automaton, because several of them start unrelated words (`NATO`, `Borneo`).
//!
//! # Scores
//!
//! | form | DATE_TIME | DATE_OF_BIRTH |
//! |------|-----------|---------------|
//! | ISO, month names, full year | 0.6 | 0.85 |
//! | numeric, full year | 0.55 | 0.85 |
//! | two-digit year | 0.4 | 0.75 |
//! | no year | 0.35 | 0.6 |
//!
//! The time of a date-time is part of a DATE_TIME span, not of a DATE_OF_BIRTH span.
//!
//! # Window
//!
//! A finding depends on at most 64 bytes before it (birth context) plus 12 bytes for a
//! month name before the day, and on at most 48 bytes after its first digit for the date
//! and time, plus 22 bytes for birth context after it.

use crate::Kind;
use crate::detectors::phone::{Word, Words, last_word, second_class};
use crate::detectors::{Family, Handler};
use crate::scan::{CONTEXT_BEFORE, Scanner};

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind. Birth words are matched by [`BIRTH`].
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[];

/// Words that make a date a date of birth (EN, DE, FR, ES, IT, NL), sorted by first letter.
static BIRTH: Words = Words::new(&[
    Word::prefix("birth"),
    Word::whole("born"),
    Word::prefix("compleanno"),
    Word::prefix("cumpleaños"),
    Word::whole("d.o.b"),
    Word::whole("dob"),
    Word::whole("geb"),
    Word::prefix("geboorte"),
    Word::prefix("geboren"),
    Word::prefix("geburt"),
    Word::whole("nac"),
    Word::prefix("nacid"),
    Word::prefix("nacimiento"),
    Word::prefix("naissance"),
    Word::prefix("nascita"),
    Word::lower("nata"),
    Word::lower("nato"),
    Word::whole("né"),
    Word::whole("née"),
    Word::prefix("verjaardag"),
]);

/// How much of the year a date gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Year {
    /// Four digits.
    Full,
    /// Two digits.
    Short,
    /// No year.
    Missing,
}

/// A date found in the text.
#[derive(Clone, Copy, Debug)]
struct Date {
    start: usize,
    /// End of the date itself.
    end: usize,
    /// End of the date and its time, if one follows.
    time_end: usize,
    year: Year,
    /// Written with a month name or in ISO order: a full date of this form is beyond doubt.
    sure: bool,
}

/// Value of a short run of ASCII digits.
#[inline]
fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0'))
}

/// End of the run of ASCII digits at `i`, looking at most `cap + 1` bytes.
#[inline]
fn digits_end(b: &[u8], i: usize, cap: usize) -> usize {
    let mut j = i;
    while j < b.len() && j - i <= cap && b[j].is_ascii_digit() {
        j += 1;
    }
    j
}

fn leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// True when `d`.`m`.`y` is a calendar date.
fn valid(d: u32, m: u32, y: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Length of the space character at `i` (ASCII space or U+00A0), or 0.
#[inline]
fn space_at(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b' ') => 1,
        Some(0xC2) if b.get(i + 1) == Some(&0xA0) => 2,
        _ => 0,
    }
}

/// True when a date may start at `i`: no letter or digit before it, and no digit
/// through a date separator (`1.15.03.2024` is no date).
fn left_ok(s: &Scanner<'_>, i: usize) -> bool {
    if !s.boundary_before(i) {
        return false;
    }
    let b = s.b;
    !(i >= 2 && matches!(b[i - 1], b'.' | b',' | b':' | b'/' | b'-') && b[i - 2].is_ascii_digit())
}

/// True when a date may end at `e`: no letter or digit after it, and no digit through a
/// date separator (`15.03.2024.1`, `2024-03-15-0001`).
fn right_ok(s: &Scanner<'_>, e: usize) -> bool {
    if !s.boundary_after(e) {
        return false;
    }
    let b = s.b;
    !(matches!(b.get(e), Some(b'.' | b',' | b':' | b'/' | b'-')) && b.get(e + 1).is_some_and(u8::is_ascii_digit))
}

/// Parses a time `HH:MM[:SS[.fff]]` at `i`, with a zone (`Z`, `+01:00`, `-0500`) when
/// `zone`; returns its end.
fn time_at(b: &[u8], i: usize, zone: bool) -> Option<usize> {
    let two = |k: usize| -> Option<u32> {
        let x = b.get(k..k + 2)?;
        x.iter().all(u8::is_ascii_digit).then(|| num(x))
    };
    if two(i)? > 23 || b.get(i + 2) != Some(&b':') || two(i + 3)? > 59 {
        return None;
    }
    let mut e = i + 5;
    if b.get(e) == Some(&b':') {
        if two(e + 1)? > 60 {
            return None;
        }
        e += 3;
        if matches!(b.get(e), Some(b'.' | b',')) && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
            e = digits_end(b, e + 1, 9);
        }
    }
    if b.get(e).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if zone {
        match b.get(e) {
            Some(b'Z') => e += 1,
            Some(b'+' | b'-') if two(e + 1).is_some_and(|h| h <= 14) => {
                let mut z = e + 3;
                if b.get(z) == Some(&b':') {
                    z += 1;
                }
                if two(z).is_some_and(|m| m <= 59) {
                    e = z + 2;
                } else if z == e + 3 {
                    e = z;
                }
            }
            _ => {}
        }
    }
    Some(e)
}

/// A time after a date ending at `e`: one space (or `T` when `iso`) then a time.
fn time_after(s: &Scanner<'_>, e: usize, iso: bool) -> Option<usize> {
    let b = s.b;
    let t = match b.get(e) {
        Some(b'T') if iso => time_at(b, e + 1, true)?,
        Some(b' ') => time_at(b, e + 1, iso)?,
        _ => return None,
    };
    (s.boundary_after(t) || b.get(t).is_some_and(|&c| c == b'.' || c == b',')).then_some(t)
}

/// `yyyy-mm-dd`, `yyyy/m/d`, `yyyy.mm.dd`, with an optional time.
fn iso(s: &Scanner<'_>, start: usize, end: usize) -> Option<Date> {
    let b = s.b;
    let y = num(&b[start..end]);
    let sep = b[end];
    if !(1800..=2199).contains(&y) {
        return None;
    }
    let i = end + 1;
    let j = digits_end(b, i, 2);
    let k0 = j + 1;
    if b.get(j) != Some(&sep) {
        return None;
    }
    let k = digits_end(b, k0, 2);
    let (ml, dl) = (j - i, k - k0);
    let two_only = sep != b'/';
    if !(1..=2).contains(&ml) || !(1..=2).contains(&dl) || (two_only && (ml != 2 || dl != 2)) {
        return None;
    }
    if !valid(num(&b[k0..k]), num(&b[i..j]), y) || !left_ok(s, start) {
        return None;
    }
    let time = if sep == b'-' { time_after(s, k, true) } else { None };
    if time.is_none() && !right_ok(s, k) {
        return None;
    }
    Some(Date { start, end: k, time_end: time.unwrap_or(k), year: Year::Full, sure: sep != b'.' })
}

/// `15.03.2024`, `03/15/2024`, `15-03-24`, with an optional time after a full date.
fn numeric(s: &Scanner<'_>, start: usize, end: usize) -> Option<Date> {
    let b = s.b;
    let sep = b[end];
    let a = num(&b[start..end]);
    let i = end + 1;
    let j = digits_end(b, i, 2);
    if !(1..=2).contains(&(j - i)) || b.get(j) != Some(&sep) {
        return None;
    }
    let m = num(&b[i..j]);
    let k0 = j + 1;
    let k = digits_end(b, k0, 4);
    let (y, year) = match k - k0 {
        4 => (num(&b[k0..k]), Year::Full),
        2 => (2000 + num(&b[k0..k]), Year::Short),
        _ => return None,
    };
    if year == Year::Full && !(1800..=2199).contains(&y) {
        return None;
    }
    let day_first = valid(a, m, y);
    let month_first = sep != b'.' && valid(m, a, y);
    if !(day_first || month_first) || !left_ok(s, start) {
        return None;
    }
    let time = if year == Year::Full { time_after(s, k, false) } else { None };
    if time.is_none() && !right_ok(s, k) {
        return None;
    }
    Some(Date { start, end: k, time_end: time.unwrap_or(k), year, sure: false })
}

/// Month names and abbreviations in EN, DE, FR, ES, IT and NL (lower case, UTF-8), with
/// their numbers; sorted by first letter.
const MONTHS: &[(&[u8], u32)] = &[
    (b"abr", 4),
    (b"abril", 4),
    (b"ago", 8),
    (b"agosto", 8),
    (b"ao\xc3\xbbt", 8),
    (b"aout", 8),
    (b"apr", 4),
    (b"april", 4),
    (b"aprile", 4),
    (b"aug", 8),
    (b"august", 8),
    (b"augustus", 8),
    (b"avr", 4),
    (b"avril", 4),
    (b"d\xc3\xa9c", 12),
    (b"d\xc3\xa9cembre", 12),
    (b"dec", 12),
    (b"december", 12),
    (b"decembre", 12),
    (b"dez", 12),
    (b"dezember", 12),
    (b"dic", 12),
    (b"dicembre", 12),
    (b"diciembre", 12),
    (b"ene", 1),
    (b"enero", 1),
    (b"f\xc3\xa9vr", 2),
    (b"f\xc3\xa9vrier", 2),
    (b"feb", 2),
    (b"febbraio", 2),
    (b"feber", 2),
    (b"febrero", 2),
    (b"februar", 2),
    (b"februari", 2),
    (b"february", 2),
    (b"fevr", 2),
    (b"fevrier", 2),
    (b"gen", 1),
    (b"gennaio", 1),
    (b"giu", 6),
    (b"giugno", 6),
    (b"j\xc3\xa4nner", 1),
    (b"jan", 1),
    (b"januar", 1),
    (b"januari", 1),
    (b"january", 1),
    (b"janv", 1),
    (b"janvier", 1),
    (b"juil", 7),
    (b"juillet", 7),
    (b"juin", 6),
    (b"jul", 7),
    (b"juli", 7),
    (b"julio", 7),
    (b"july", 7),
    (b"jun", 6),
    (b"june", 6),
    (b"juni", 6),
    (b"junio", 6),
    (b"lug", 7),
    (b"luglio", 7),
    (b"m\xc3\xa4r", 3),
    (b"m\xc3\xa4rz", 3),
    (b"maart", 3),
    (b"maerz", 3),
    (b"mag", 5),
    (b"maggio", 5),
    (b"mai", 5),
    (b"mar", 3),
    (b"march", 3),
    (b"mars", 3),
    (b"marzo", 3),
    (b"may", 5),
    (b"mayo", 5),
    (b"mei", 5),
    (b"mrt", 3),
    (b"mrz", 3),
    (b"nov", 11),
    (b"november", 11),
    (b"novembre", 11),
    (b"noviembre", 11),
    (b"oct", 10),
    (b"october", 10),
    (b"octobre", 10),
    (b"octubre", 10),
    (b"okt", 10),
    (b"oktober", 10),
    (b"ott", 10),
    (b"ottobre", 10),
    (b"sep", 9),
    (b"sept", 9),
    (b"september", 9),
    (b"septembre", 9),
    (b"septiembre", 9),
    (b"set", 9),
    (b"setiembre", 9),
    (b"settembre", 9),
];

/// Where the names starting with each letter `a..=z` begin in [`MONTHS`] (and the end).
static MONTH_AT: [u8; 27] = {
    let mut at = [0u8; 27];
    let mut c = 0;
    let mut k = 0;
    while c < 26 {
        while k < MONTHS.len() && ((MONTHS[k].0[0] - b'a') as usize) < c {
            k += 1;
        }
        at[c] = k as u8;
        c += 1;
    }
    at[26] = MONTHS.len() as u8;
    at
};

/// Month number of a lower-case month name or abbreviation.
pub(crate) fn month(w: &[u8]) -> Option<u32> {
    let c = *w.first()?;
    if !c.is_ascii_lowercase() {
        return None;
    }
    let ci = usize::from(c - b'a');
    MONTHS[usize::from(MONTH_AT[ci])..usize::from(MONTH_AT[ci + 1])].iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// Second-byte classes (as in [`second_class`]) of month names and of the words `of` and
/// `de` that may come before them, per first letter.
static MONTH_START: [u32; 26] = {
    let mut t = [0u32; 26];
    let mut i = 0;
    while i < MONTHS.len() {
        let n = MONTHS[i].0;
        t[(n[0] - b'a') as usize] |= 1 << second_class(n[1]);
        i += 1;
    }
    t[(b'o' - b'a') as usize] |= 1 << second_class(b'f');
    t[(b'd' - b'a') as usize] |= 1 << second_class(b'e');
    t
};

/// True when a month name (or `of`, `de`) may start at `i`: a cheap filter.
#[inline]
fn month_may_start(b: &[u8], i: usize) -> bool {
    let (Some(&c), Some(&d)) = (b.get(i), b.get(i + 1)) else { return false };
    let c = c | 0x20;
    c.is_ascii_lowercase() && MONTH_START[usize::from(c - b'a')] & (1 << second_class(d)) != 0
}

/// True when a written date may continue after the day `b[..end]`: a cheap filter for
/// [`written_day_first`].
#[inline]
fn month_may_follow(b: &[u8], end: usize) -> bool {
    let mut i = end;
    match b.get(i) {
        Some(b'.') => i += 1,
        Some(c) if c.is_ascii_alphabetic() => return true,
        Some(b'-' | b'/') => return month_may_start(b, i + 1),
        _ => {}
    }
    match b.get(i) {
        Some(b' ') => month_may_start(b, i + 1),
        Some(0xC2) => month_may_start(b, i + 2),
        _ => false,
    }
}

/// True when an English month name may end before the space before `start`: a cheap
/// filter for [`written_month_first`].
#[inline]
fn english_month_may_end(b: &[u8], start: usize) -> bool {
    let mut j = start - space_before_at(b, start);
    if j > 0 && b[j - 1] == b'.' {
        j -= 1;
    }
    j >= 3
        && matches!(
            (b[j - 2] | 0x20, b[j - 1] | 0x20),
            (b'r', b'y')
                | (b'c', b'h')
                | (b'i', b'l')
                | (b'a', b'y')
                | (b'n', b'e')
                | (b'l', b'y')
                | (b's', b't')
                | (b'e', b'r')
                | (b'a', b'n')
                | (b'e', b'b')
                | (b'a', b'r')
                | (b'p', b'r')
                | (b'u', b'n')
                | (b'u', b'l')
                | (b'u', b'g')
                | (b'e', b'p')
                | (b'p', b't')
                | (b'c', b't')
                | (b'o', b'v')
                | (b'e', b'c')
        )
}

/// True when `b[end..]` continues a numeric date after its first part: a separator, one
/// or two digits, the same separator, a digit.
#[inline]
fn numeric_may_follow(b: &[u8], end: usize) -> bool {
    let sep = b[end];
    let d = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    d(end + 1)
        && ((b.get(end + 2) == Some(&sep) && d(end + 3)) || (d(end + 2) && b.get(end + 3) == Some(&sep) && d(end + 4)))
}

/// The longest month name, in bytes (`septiembre`, `d\xc3\xa9cembre`).
const MONTH_MAX: usize = 10;

/// Reads a month name at `i`; returns (month, end of the word, length of the word). The
/// caller checks that the word ends there.
fn month_at(b: &[u8], i: usize) -> Option<(u32, usize, usize)> {
    // Month names start with one of `a d e f g j l m n o s`.
    const FIRST: u32 =
        1 << 0 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 9 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 14 | 1 << 18;
    let c = b.get(i)? | 0x20;
    if !c.is_ascii_lowercase() || FIRST & (1 << (c - b'a')) == 0 {
        return None;
    }
    let mut buf = [0u8; MONTH_MAX];
    let mut n = 0;
    let mut j = i;
    loop {
        match b.get(j) {
            Some(&c) if c.is_ascii_alphabetic() => {
                if n == MONTH_MAX {
                    return None;
                }
                buf[n] = c.to_ascii_lowercase();
                n += 1;
                j += 1;
            }
            // Two-byte Latin-1 letters (`ä`, `é`, `û`), upper case folded to lower case.
            Some(0xC3) if b.get(j + 1).is_some_and(|&c| (0x80..=0xBF).contains(&c) && c != 0x97 && c != 0xB7) => {
                if n + 2 > MONTH_MAX {
                    return None;
                }
                let c = b[j + 1];
                buf[n] = 0xC3;
                buf[n + 1] = if c < 0xA0 { c + 0x20 } else { c };
                n += 2;
                j += 2;
            }
            _ => break,
        }
    }
    if n < 3 {
        return None;
    }
    month(&buf[..n]).map(|m| (m, j, n))
}

/// True when `w` (lower case) occurs at `i`, ASCII case-insensitively, followed by a space.
fn word_space(b: &[u8], i: usize, w: &[u8]) -> Option<usize> {
    let x = b.get(i..i + w.len())?;
    if !x.eq_ignore_ascii_case(w) {
        return None;
    }
    let sp = space_at(b, i + w.len());
    (sp > 0).then_some(i + w.len() + sp)
}

/// Skips an ordinal suffix after a day: `.` (DE), `st`/`nd`/`rd`/`th` (EN), `er`/`e`
/// (FR), `º`/`ª`/`°` (ES, IT). Returns where the suffix ends, or `None` when letters follow
/// that are no suffix.
fn ordinal(b: &[u8], i: usize, english_only: bool) -> Option<usize> {
    match b.get(i) {
        Some(b'.') if !english_only => Some(i + 1),
        Some(0xC2) if !english_only && matches!(b.get(i + 1), Some(0xBA | 0xAA | 0xB0)) => Some(i + 2),
        Some(c) if c.is_ascii_alphabetic() => {
            let mut j = i;
            while j < b.len() && j - i < 3 && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            let suffix = &b[i..j];
            let en = [b"st", b"nd", b"rd", b"th"].iter().any(|x| suffix.eq_ignore_ascii_case(*x));
            let fr = !english_only && (suffix.eq_ignore_ascii_case(b"er") || suffix.eq_ignore_ascii_case(b"e"));
            (en || fr).then_some(j)
        }
        _ => Some(i),
    }
}

/// A year after a month name or a day at `i`: `, 2024`, ` 2024`, ` de 2024`, ` del 2024`.
/// Returns (year, start, end).
fn year_after(b: &[u8], i: usize) -> Option<(u32, usize, usize)> {
    let mut j = i;
    if b.get(j) == Some(&b',') {
        j += 1;
    }
    let sp = space_at(b, j);
    if sp == 0 {
        return None;
    }
    j += sp;
    if let Some(k) = word_space(b, j, b"de").or_else(|| word_space(b, j, b"del")) {
        j = k;
    }
    let k = digits_end(b, j, 4);
    if k - j != 4 {
        return None;
    }
    let y = num(&b[j..k]);
    (1000..=2999).contains(&y).then_some((y, j, k))
}

/// Day first, month name: `15 March 2024`, `15. März 2024`, `le 1er janvier 1990`,
/// `3 de enero de 1990`, `15th of March`, `15-Mar-2024`.
fn written_day_first(s: &Scanner<'_>, start: usize, end: usize) -> Option<Date> {
    let b = s.b;
    let day = num(&b[start..end]);
    if !(1..=31).contains(&day) {
        return None;
    }
    let mut i = ordinal(b, end, false)?;
    let dash = match b.get(i) {
        Some(&c @ (b'-' | b'/')) if i == end => {
            i += 1;
            Some(c)
        }
        _ => {
            let sp = space_at(b, i);
            if sp == 0 {
                return None;
            }
            i += sp;
            if let Some(k) = word_space(b, i, b"of").or_else(|| word_space(b, i, b"de")) {
                i = k;
            }
            None
        }
    };
    let (m, wend, wlen) = month_at(b, i)?;
    if !s.boundary_after(wend) {
        return None;
    }
    let mut j = wend;
    if b.get(j) == Some(&b'.') {
        j += 1;
    }
    let year = match dash {
        Some(sep) => {
            if b.get(j) != Some(&sep) {
                return None;
            }
            let k = digits_end(b, j + 1, 4);
            if k - (j + 1) != 4 {
                return None;
            }
            let y = num(&b[j + 1..k]);
            if !(1000..=2999).contains(&y) {
                return None;
            }
            Some((y, j + 1, k))
        }
        None => year_after(b, j),
    };
    date_with_month(s, start, day, m, wend, wlen, year)
}

/// Month first, in English: `March 15, 2024`, `Mar. 15th 2024`, `March 15`.
fn written_month_first(s: &Scanner<'_>, start: usize, end: usize) -> Option<Date> {
    let b = s.b;
    let sp = space_before_at(b, start);
    if sp == 0 {
        return None;
    }
    let mut j = start - sp;
    if j > 0 && b[j - 1] == b'.' {
        j -= 1;
    }
    let we = j;
    while j > 0 && we - j <= 9 && b[j - 1].is_ascii_alphabetic() {
        j -= 1;
    }
    let ws = j;
    if !(3..=9).contains(&(we - ws)) || !b[ws].is_ascii_uppercase() || !s.boundary_before(ws) {
        return None;
    }
    let mut buf = [0u8; 9];
    for (o, &c) in buf.iter_mut().zip(&b[ws..we]) {
        *o = c.to_ascii_lowercase();
    }
    let w = &buf[..we - ws];
    let english = matches!(
        w,
        b"january"
            | b"february"
            | b"march"
            | b"april"
            | b"may"
            | b"june"
            | b"july"
            | b"august"
            | b"september"
            | b"october"
            | b"november"
            | b"december"
            | b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"oct"
            | b"nov"
            | b"dec"
    );
    if !english || (we < start - sp && w.len() > 4) {
        return None;
    }
    let m = month(w)?;
    let day = num(&b[start..end]);
    let i = ordinal(b, end, true)?;
    let year = year_after(b, i);
    let mut date = date_with_month(s, ws, day, m, i, we - ws, year)?;
    if date.year == Year::Missing {
        // The date is `Month day`: it ends after the day (and its suffix).
        if !right_ok(s, i) {
            return None;
        }
        date.end = i;
        date.time_end = i;
    }
    Some(date)
}

/// Length of the space character ending right before `i` (ASCII space or U+00A0), or 0.
#[inline]
fn space_before_at(b: &[u8], i: usize) -> usize {
    if i >= 1 && b[i - 1] == b' ' {
        1
    } else if i >= 2 && b[i - 2] == 0xC2 && b[i - 1] == 0xA0 {
        2
    } else {
        0
    }
}

/// Checks a date with a month name and builds it. `word_end` ends the date when there is
/// no year; `year` is (year, start, end).
fn date_with_month(
    s: &Scanner<'_>,
    start: usize,
    day: u32,
    m: u32,
    word_end: usize,
    word_len: usize,
    year: Option<(u32, usize, usize)>,
) -> Option<Date> {
    if !left_ok(s, start) {
        return None;
    }
    match year {
        Some((y, _, k)) => {
            if !valid(day, m, y) {
                return None;
            }
            let time = time_after(s, k, false);
            if time.is_none() && !right_ok(s, k) {
                return None;
            }
            Some(Date { start, end: k, time_end: time.unwrap_or(k), year: Year::Full, sure: true })
        }
        None => {
            if word_len < 5 || !valid(day, m, 2000) || !right_ok(s, word_end) {
                return None;
            }
            Some(Date { start, end: word_end, time_end: word_end, year: Year::Missing, sure: true })
        }
    }
}

/// True when a birth word comes before `start` (within [`CONTEXT_BEFORE`] bytes, no digit
/// between) or right after `end` (after a space or a comma, or in parentheses).
fn birth_context(s: &Scanner<'_>, start: usize, end: usize) -> bool {
    let b = s.b;
    let mut from = start.saturating_sub(CONTEXT_BEFORE);
    if let Some(p) = b[from..start].iter().rposition(u8::is_ascii_digit) {
        from += p + 1;
    }
    if last_word(s, from, start, &BIRTH).is_some() {
        return true;
    }
    // Right after: `15.03.1990 (DOB)`, `1990-03-15 (date of birth)`, `15.03.1990, geboren`.
    let mut i = end;
    while i < b.len() && i - end < 2 && matches!(b[i], b' ' | b',') {
        i += 1;
    }
    if matches!(b.get(i), Some(b'(' | b'[')) {
        let close = b[i..(i + 20).min(b.len())].iter().position(|&c| matches!(c, b')' | b']') || c.is_ascii_digit());
        return close.is_some_and(|c| last_word(s, i + 1, i + c, &BIRTH).is_some());
    }
    i > end && last_word(s, i, i + 1, &BIRTH).is_some()
}

/// Reports a date.
fn report(s: &mut Scanner<'_>, d: Date) {
    s.set_resume(Family::Date, d.time_end);
    if s.wants(Kind::DateOfBirth) && birth_context(s, d.start, d.end) {
        let score = match d.year {
            Year::Full => 0.85,
            Year::Short => 0.75,
            Year::Missing => 0.6,
        };
        s.push(d.start, d.end, Kind::DateOfBirth, score, "date");
    } else if s.wants(Kind::DateTime) {
        let score = match (d.year, d.sure) {
            (Year::Full, true) => 0.6,
            (Year::Full, false) => 0.55,
            (Year::Short, _) => 0.4,
            (Year::Missing, _) => 0.35,
        };
        s.push(d.start, d.time_end, Kind::DateTime, score, "date");
    }
}

/// Called at every maximal run of ASCII digits `b[start..end]`.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    if start < s.resume(Family::Date) || !(s.wants(Kind::DateTime) || s.wants(Kind::DateOfBirth)) {
        return;
    }
    let b = s.b;
    let next = b.get(end).copied().unwrap_or(0);
    let found = match end - start {
        1 | 2 => if matches!(next, b'.' | b'/' | b'-') && numeric_may_follow(b, end) {
            numeric(s, start, end)
        } else if month_may_follow(b, end) {
            written_day_first(s, start, end)
        } else {
            None
        }
        .or_else(|| {
            let prev = if start > 0 { b[start - 1] } else { 0 };
            if (prev == b' ' || prev == 0xA0) && english_month_may_end(b, start) {
                written_month_first(s, start, end)
            } else {
                None
            }
        }),
        4 if matches!(next, b'-' | b'/' | b'.') && numeric_may_follow(b, end) => iso(s, start, end),
        _ => None,
    };
    if let Some(d) = found {
        report(s, d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_words_are_sorted() {
        assert!(BIRTH.is_sorted());
    }

    #[test]
    fn month_table() {
        assert!(MONTHS.len() < 256 && MONTHS.windows(2).all(|p| p[0].0[0] <= p[1].0[0]));
        for (n, m) in MONTHS {
            assert_eq!(month(n), Some(*m));
        }
        assert!(MONTHS.iter().all(|(n, m)| n.len() <= MONTH_MAX && (1..=12).contains(m)));
        for (n, _) in MONTHS {
            assert!(month_may_start(n, 0), "{:?}", std::str::from_utf8(n));
        }
        assert!(!month_may_start(b"modules", 0));
        assert!(month_may_follow(b"15 March", 2));
        assert!(month_may_follow(b"15. M\xc3\xa4rz", 2));
        assert!(!month_may_follow(b"3 items", 1));
        assert!(!month_may_follow(b"3 bananas", 1));
    }

    #[test]
    fn calendar() {
        assert!(valid(29, 2, 2024));
        assert!(!valid(29, 2, 2023));
        assert!(valid(29, 2, 2000));
        assert!(!valid(29, 2, 1900));
        assert!(!valid(31, 4, 2024));
        assert!(valid(31, 12, 2024));
        assert!(!valid(0, 1, 2024));
        assert!(!valid(1, 13, 2024));
        assert!(!valid(1, 0, 2024));
    }

    #[test]
    fn months() {
        assert_eq!(month(b"m\xc3\xa4rz"), Some(3));
        assert_eq!(month(b"ao\xc3\xbbt"), Some(8));
        assert_eq!(month(b"settembre"), Some(9));
        assert_eq!(month(b"maart"), Some(3));
        assert_eq!(month(b"mrt"), Some(3));
        assert_eq!(month(b"marz"), None);
        assert_eq!(month_at("M\u{c4}RZ 2024".as_bytes(), 0), Some((3, 5, 5)));
        assert_eq!(month_at(b"Januaryx", 0), None);
        assert_eq!(month_at(b"Januar.", 0), Some((1, 6, 6)));
        assert_eq!(month_at("d\u{e9}cembre".as_bytes(), 0), Some((12, 9, 9)));
    }

    #[test]
    fn times() {
        assert_eq!(time_at(b"10:30", 0, false), Some(5));
        assert_eq!(time_at(b"10:30:00Z", 0, true), Some(9));
        assert_eq!(time_at(b"10:30:00.123+01:00", 0, true), Some(18));
        assert_eq!(time_at(b"10:30-0500", 0, true), Some(10));
        assert_eq!(time_at(b"24:00", 0, false), None);
        assert_eq!(time_at(b"10:60", 0, false), None);
        assert_eq!(time_at(b"10:305", 0, false), None);
    }
}
