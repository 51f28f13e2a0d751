//! Detectors, grouped in families. Each family exports what the driver needs:
//!
//! - `at_digits(s, start, end)`: called at every maximal run of ASCII digits
//!   `b[start..end]`, in text order. A family looks left and right from the run within a
//!   bounded window and reports candidates with [`Scanner::push`]. To avoid re-parsing a
//!   long number once per digit run, it records the end of what it consumed with
//!   [`Scanner::set_resume`] and returns early while `start < s.resume(family)`.
//! - `KEYWORDS`: literal anchors (case-sensitive) with a handler called with the keyword's
//!   span; list case variants explicitly. Keywords that start with three letters
//!   ("passport", "BIC") are matched at token starts by the word pass when it runs (any
//!   word kind on), the others ("://", "sk-") by one aho-corasick automaton over the bytes;
//!   keep that automaton's list short (under ~64 patterns of 3 bytes or more).
//! - `CONTEXT`: context words per kind (matched case-insensitively at a word start within
//!   a window around a candidate; see [`Scanner::context`]).
//!
//! Every window is bounded, so the cost per byte stays flat on any input, including a
//! million digits in a row.

use crate::Kind;
use crate::scan::Scanner;

pub(crate) mod address;
pub(crate) mod apac;
pub(crate) mod checksum;
pub(crate) mod custom;
pub(crate) mod date;
pub(crate) mod de;
pub(crate) mod email;
pub(crate) mod eu;
pub(crate) mod finance;
pub(crate) mod intl;
pub(crate) mod national;
pub(crate) mod net;
pub(crate) mod partial_date;
pub(crate) mod phone;
pub(crate) mod region;
pub(crate) mod secret;
pub(crate) mod uk;
pub(crate) mod us;
pub(crate) mod words;
pub(crate) mod world;

/// A keyword handler: `(scanner, keyword start, keyword end)`.
pub(crate) type Handler = fn(&mut Scanner<'_>, usize, usize);

/// Detector families, each with its own resume offset.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Family {
    Phone,
    Finance,
    National,
    Net,
    Date,
    Secret,
    Address,
    /// The region families (see [`intl`]), which share one resume offset.
    Intl,
}

impl Family {
    pub(crate) const COUNT: usize = 8;
}

/// Called at every maximal run of ASCII digits `b[start..end]`.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    finance::at_digits(s, start, end);
    national::at_digits(s, start, end);
    net::at_digits(s, start, end);
    date::at_digits(s, start, end);
    phone::at_digits(s, start, end);
    secret::at_digits(s, start, end);
    address::at_digits(s, start, end);
    words::at_digits(s, start, end);
    if s.eng.groups != 0 {
        intl::at_digits(s, start, end);
    }
}

/// Keyword anchors of every family.
pub(crate) const KEYWORDS: &[&[(&str, Handler)]] = &[
    finance::KEYWORDS,
    national::KEYWORDS,
    net::KEYWORDS,
    date::KEYWORDS,
    phone::KEYWORDS,
    secret::KEYWORDS,
    address::KEYWORDS,
    words::KEYWORDS,
    de::KEYWORDS,
    eu::KEYWORDS,
    uk::KEYWORDS,
    us::KEYWORDS,
    apac::KEYWORDS,
    world::KEYWORDS,
];

/// Context words of every family.
pub(crate) const CONTEXT: &[&[(Kind, &[&str])]] = &[
    finance::CONTEXT,
    national::CONTEXT,
    net::CONTEXT,
    date::CONTEXT,
    phone::CONTEXT,
    secret::CONTEXT,
    address::CONTEXT,
    words::CONTEXT,
    de::CONTEXT,
    eu::CONTEXT,
    uk::CONTEXT,
    us::CONTEXT,
    apac::CONTEXT,
    world::CONTEXT,
];
