//! Python `str` to UTF-8, and UTF-8 byte offsets back to Python string indices.
//!
//! The engine works on UTF-8 and reports byte offsets; Python indexes a `str` by code
//! point. Conversion happens once at the boundary: the text is encoded once, and the
//! offsets of all findings of a text are translated in a single forward pass over its
//! bytes (or not at all when the text is ASCII, where both agree).

use pyo3::exceptions::{PyTypeError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// The UTF-8 form of a Python `str`, kept alive for as long as the engine borrows it.
pub(crate) enum Utf8<'py> {
    /// The bytes CPython's strict UTF-8 encoder produced.
    Encoded(Bound<'py, PyBytes>),
    /// A string with lone surrogates, each replaced by U+FFFD (see [`encode`]).
    Repaired(String),
}

impl Utf8<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            // SAFETY: `PyUnicode_AsUTF8String` uses the strict error handler: it raises
            // `UnicodeEncodeError` rather than produce bytes that are not valid UTF-8, so
            // a bytes object it returned is valid UTF-8.
            Utf8::Encoded(b) => unsafe { std::str::from_utf8_unchecked(b.as_bytes()) },
            Utf8::Repaired(s) => s,
        }
    }
}

/// A Python text ready to scan: its UTF-8 form and its length in code points.
pub(crate) struct Text<'py> {
    pub(crate) utf8: Utf8<'py>,
    /// `len(text)` in Python.
    pub(crate) chars: usize,
}

impl Text<'_> {
    pub(crate) fn as_str(&self) -> &str {
        self.utf8.as_str()
    }

    /// True when lone surrogates were replaced to make the text UTF-8.
    pub(crate) fn is_repaired(&self) -> bool {
        matches!(self.utf8, Utf8::Repaired(_))
    }

    /// A converter from byte offsets of this text to Python string indices.
    pub(crate) fn indexer(&self) -> CharIndexer<'_> {
        let s = self.as_str();
        CharIndexer::new(s, s.len() == self.chars)
    }
}

/// Which argument a text came in, for error messages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg {
    /// The `text` argument.
    Text,
    /// Item `i` of the `texts` argument.
    Item(usize),
    /// An argument with another name.
    Named(&'static str),
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Text => f.write_str("text"),
            Arg::Item(i) => write!(f, "texts[{i}]"),
            Arg::Named(name) => f.write_str(name),
        }
    }
}

/// Converts `obj` for scanning. `what` names the argument in the `TypeError` raised when
/// `obj` is not a `str`.
pub(crate) fn text<'py>(obj: &Bound<'py, PyAny>, what: Arg) -> PyResult<Text<'py>> {
    let s = obj.cast::<PyString>().map_err(|_| not_a_str(obj, what))?;
    let chars = s.len()?;
    Ok(Text { utf8: encode(s)?, chars })
}

/// The `TypeError` for an argument that should have been a `str`.
pub(crate) fn not_a_str(obj: &Bound<'_, PyAny>, what: Arg) -> PyErr {
    let ty = type_name(obj);
    let hint = if obj.is_instance_of::<PyBytes>() || ty == "bytearray" || ty == "memoryview" {
        " (decode it first, for example data.decode(\"utf-8\"))"
    } else {
        ""
    };
    PyTypeError::new_err(format!("{what} must be str, not {ty}{hint}"))
}

/// The name of `obj`'s type, for error messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".to_string())
}

/// Encodes a `str` as UTF-8.
///
/// A Python `str` may hold lone surrogates (`"\ud800"`, from `surrogateescape` file names
/// or JSON written by JavaScript), which UTF-8 cannot represent. Such a text is still
/// scanned: each lone surrogate becomes U+FFFD, which, like a surrogate written with
/// `surrogatepass`, takes three bytes and one code point, so offsets stay exact.
pub(crate) fn encode<'py>(s: &Bound<'py, PyString>) -> PyResult<Utf8<'py>> {
    match s.encode_utf8() {
        Ok(b) => Ok(Utf8::Encoded(b)),
        Err(e) if e.is_instance_of::<PyUnicodeEncodeError>(s.py()) => {
            let b = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
            let b = b.cast_into::<PyBytes>().map_err(PyErr::from)?;
            Ok(Utf8::Repaired(repair_surrogates(b.as_bytes().to_vec())))
        }
        Err(e) => Err(e),
    }
}

/// Replaces each surrogate encoded as three bytes (`ED A0..BF xx`, what `surrogatepass`
/// writes) by U+FFFD (`EF BF BD`), keeping the length.
fn repair_surrogates(mut b: Vec<u8>) -> String {
    let mut i = 0;
    while i + 2 < b.len() {
        if b[i] == 0xED && (0xA0..=0xBF).contains(&b[i + 1]) {
            b[i..i + 3].copy_from_slice("\u{FFFD}".as_bytes());
            i += 3;
        } else {
            i += 1;
        }
    }
    match String::from_utf8(b) {
        Ok(s) => s,
        // Not reachable for what `surrogatepass` writes; stay total anyway.
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Turns byte offsets into code point offsets, walking forward through the text.
///
/// Asked for increasing offsets (findings come sorted and do not overlap), it reads
/// each byte of the text at most once; an offset behind the previous one restarts the
/// count from the beginning, so any order is still answered correctly.
#[derive(Debug)]
pub(crate) struct CharIndexer<'t> {
    bytes: &'t [u8],
    ascii: bool,
    at_byte: usize,
    at_char: usize,
}

impl<'t> CharIndexer<'t> {
    /// `ascii` says the text is pure ASCII, where byte and code point offsets agree.
    pub(crate) fn new(text: &'t str, ascii: bool) -> CharIndexer<'t> {
        CharIndexer { bytes: text.as_bytes(), ascii, at_byte: 0, at_char: 0 }
    }

    /// The code point index of byte offset `byte` (clamped to the text's length).
    #[inline]
    pub(crate) fn char_index(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte.min(self.bytes.len());
        }
        let byte = byte.min(self.bytes.len());
        if byte < self.at_byte {
            self.at_byte = 0;
            self.at_char = 0;
        }
        self.at_char += count_chars(&self.bytes[self.at_byte..byte]);
        self.at_byte = byte;
        self.at_char
    }
}

/// The number of code points in UTF-8 bytes: every byte that is not a continuation byte
/// (`10xx_xxxx`) starts one. Written so the compiler vectorises it.
#[inline]
fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&x| (x as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn char_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
        let mut ix = CharIndexer::new(text, text.is_ascii());
        bytes.iter().map(|&b| ix.char_index(b)).collect()
    }

    #[test]
    fn offsets_match_char_indices() {
        for text in ["plain ascii", "café über straße", "日本語のテキスト", "a😀b🇩🇪c", "", "é"] {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let expected: Vec<usize> = (0..boundaries.len()).collect();
            assert_eq!(char_offsets(text, &boundaries), expected, "{text:?}");
            // Backwards and repeated offsets are answered too.
            let rev: Vec<usize> = boundaries.iter().rev().copied().collect();
            let rev_expected: Vec<usize> = expected.iter().rev().copied().collect();
            assert_eq!(char_offsets(text, &rev), rev_expected, "{text:?}");
        }
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        assert_eq!(char_offsets("é", &[10]), [1]);
        assert_eq!(char_offsets("ab", &[10]), [2]);
    }

    #[test]
    fn surrogates_become_replacement_characters_of_the_same_length() {
        // "a" + U+D800 + "b" + U+DFFF, as `surrogatepass` writes them.
        let b = vec![b'a', 0xED, 0xA0, 0x80, b'b', 0xED, 0xBF, 0xBF];
        let s = repair_surrogates(b);
        assert_eq!(s, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(s.len(), 8);
        // Other three-byte characters starting with ED are kept (U+D7FF is `ED 9F BF`).
        assert_eq!(repair_surrogates("\u{D7FF}".as_bytes().to_vec()), "\u{D7FF}");
    }
}
