//! DATE_TIME: partial dates, as weak candidates.
//!
//! A month with a day or a year and nothing else (`5/21`, `05/2021`, `May-21`, `21-May`,
//! `May-2021`) is as often a ratio, a score or a range as a date, so these forms score 0.1
//! to 0.2, below the default threshold; the date family reports full dates. Microsoft
//! Presidio reports the same forms at such scores, and a policy that lowers the DATE_TIME
//! threshold to 0.2 or below sees them. Under a higher threshold this family does not run
//! at all (see [`region::groups`](super::region::groups)).
//!
//! - `M/YY`, `MM/YY` (month 1-12): 0.1. `M/YYYY`, `MM/YYYY`, `MM-YYYY` (year 1800-2199): 0.2.
//! - An English month name or abbreviation, a dash and two digits (`May-21`: a day or a
//!   year), or two digits, a dash and the month (`21-May`, day 1-31): 0.15; the month, a
//!   dash and four digits (`May-2021`): 0.2.
//!
//! None of them may be glued to a letter or digit or be part of a longer figure
//! (`5/21/2024`, `1.5/21`). A finding depends on at most 10 bytes on either side of its
//! digit run.

use crate::Kind;
use crate::detectors::intl::{digits_at, ends_clean, letters_at, letters_before, num, starts_clean};
use crate::scan::Scanner;

/// The highest score of a partial date: below it the family is not run.
pub(crate) const BEST: f32 = 0.2;

/// English month names and abbreviations, lower case.
const MONTHS: &[&[u8]] = &[
    b"jan",
    b"feb",
    b"mar",
    b"apr",
    b"may",
    b"jun",
    b"jul",
    b"aug",
    b"sep",
    b"sept",
    b"oct",
    b"nov",
    b"dec",
    b"january",
    b"february",
    b"march",
    b"april",
    b"june",
    b"july",
    b"august",
    b"september",
    b"october",
    b"november",
    b"december",
];

/// True for an English month name or abbreviation (any case).
fn is_month(w: &[u8]) -> bool {
    w.len() <= 9 && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(w))
}

/// Called at every maximal run of ASCII digits `b[start..end]` when the family runs.
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    let b = s.b;
    let len = end - start;
    let next = b.get(end).copied().unwrap_or(0);
    let prev = if start > 0 { b[start - 1] } else { 0 };
    // "5/21", "05/2021", "05-2021"
    if (1..=2).contains(&len) && matches!(next, b'/' | b'-') && starts_clean(s, start) {
        let n = digits_at(b, end + 1, 5);
        let e = end + 1 + n;
        let month = num(&b[start..end]);
        if (1..=12).contains(&month) && ends_clean(s, e) {
            let score = match n {
                2 if next == b'/' => 0.1,
                4 if (1800..=2199).contains(&num(&b[end + 1..e])) => 0.2,
                _ => 0.0,
            };
            if score > 0.0 {
                s.push(start, e, Kind::DateTime, score, "partial_date");
                return;
            }
        }
    }
    // "21-May"
    if len <= 2 && next == b'-' && starts_clean(s, start) {
        let l = letters_at(b, end + 1, 10);
        let e = end + 1 + l;
        if is_month(&b[end + 1..e]) && (1..=31).contains(&num(&b[start..end])) && ends_clean(s, e) {
            s.push(start, e, Kind::DateTime, 0.15, "partial_date");
            return;
        }
    }
    // "May-21", "May-2021"
    if (len == 2 || len == 4) && prev == b'-' && start >= 4 && ends_clean(s, end) {
        let l = letters_before(b, start - 1, 10);
        let ms = start - 1 - l;
        if is_month(&b[ms..start - 1]) && starts_clean(s, ms) {
            let score = if len == 4 { 0.2 } else { 0.15 };
            if len == 2 || (1800..=2199).contains(&num(&b[start..end])) {
                s.push(ms, end, Kind::DateTime, score, "partial_date");
            }
        }
    }
}
