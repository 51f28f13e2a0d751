//! national detectors.

use crate::Kind;
use crate::detectors::Handler;
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[];

/// Called at every maximal run of ASCII digits `b[start..end]`.
#[inline]
pub(crate) fn at_digits(_s: &mut Scanner<'_>, _start: usize, _end: usize) {}
