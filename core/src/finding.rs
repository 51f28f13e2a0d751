//! Spans and findings.

use core::ops::Range;

use crate::Kind;

/// A byte range `start..end` into the scanned text, always on `char` boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// First byte of the match.
    pub start: usize,
    /// One past the last byte of the match.
    pub end: usize,
}

impl Span {
    /// The span as a `Range`, ready to index a `str`.
    #[inline]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one byte.
    #[inline]
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span { start: r.start, end: r.end }
    }
}

/// One piece of personal data found in a text.
///
/// A finding borrows nothing and owns nothing: it is a span into the text that was
/// scanned, the kind of data, a score in `[0, 1]` and the name of the detector that found
/// it. Use [`Finding::as_str`] to read the value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Finding {
    /// Where the value is, in bytes of the scanned text.
    pub span: Span,
    /// What kind of personal data it is.
    pub kind: Kind,
    /// Confidence in `[0, 1]`; validated formats score high, context raises scores.
    pub score: f32,
    /// Name of the detector that reported it (`"email"`, `"iban"`, `"custom"` ...).
    pub detector: &'static str,
}

impl Finding {
    /// The value this finding covers in `text` (the text that was scanned).
    ///
    /// Returns an empty string if `text` is not the scanned text and the span does not
    /// fall on its character boundaries.
    #[inline]
    pub fn as_str<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.range()).unwrap_or("")
    }
}
