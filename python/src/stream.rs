//! `StreamSanitizer`, `OutputStream` and `StreamRelinker`: the core's streams, translated.
//!
//! The core's input and output streams own their sanitizer while a text is open. A Python
//! stream holds its `Sanitizer` and, through [`State`], borrows the core sanitizer from
//! it on the first push of a text and gives it back on `finish()` (or when the stream is
//! dropped with a text open, discarding what it held back).

use std::borrow::Cow;

use lucairn_core as lc;
use lucairn_core::Location;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::args::{self, ChunkRef};
use crate::engine::Engine;
use crate::sanitize::{Mapping, Sanitizer, State, mapping_from_py, next_owner, py_repr};
use crate::shared::{DETACH_MIN_BYTES, Shared};
use crate::text::type_name;

/// The `Sanitizer` a stream works with: the one given, or a new one for an `Engine`.
fn sanitizer_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Py<Sanitizer>> {
    if let Ok(s) = obj.cast::<Sanitizer>() {
        return Ok(s.clone().unbind());
    }
    if let Ok(e) = obj.cast::<Engine>() {
        return Py::new(py, Sanitizer::new(e.clone(), None)?);
    }
    Err(PyTypeError::new_err(format!("sanitizer must be a Sanitizer or an Engine, not {}", type_name(obj))))
}

/// How many bytes a stream over this engine holds back at most (outside a PEM block).
fn hold_back(engine: &lc::Engine) -> usize {
    lc::StreamSanitizer::new(lc::Sanitizer::new(engine), Location::new(0, "")).max_hold_back()
}

/// What the streams that borrow a sanitizer (`StreamSanitizer`, `OutputStream`) share:
/// the sanitizer, the stream's owner id in its state, the location and the hold-back.
/// Dropping it gives the sanitizer back.
struct Lent {
    sanitizer: Py<Sanitizer>,
    owner: u64,
    location: Location,
    hold: usize,
}

impl Lent {
    fn new(py: Python<'_>, sanitizer: &Bound<'_, PyAny>, message: u32, field: Cow<'_, str>) -> PyResult<Lent> {
        let sanitizer = sanitizer_arg(py, sanitizer)?;
        let hold = hold_back(&sanitizer.get().engine.get().core);
        Ok(Lent { sanitizer, owner: next_owner(), location: Location::new(message, field), hold })
    }

    /// `push`: `push` feeds the chunk to the stream's core stream in the sanitizer's state
    /// (opening it on the first push of a text).
    fn push<'py>(
        &self,
        py: Python<'py>,
        chunk: &Bound<'py, PyAny>,
        push: impl FnOnce(&mut State, ChunkRef<'_>) -> PyResult<String> + Send,
    ) -> PyResult<Bound<'py, PyString>> {
        let c = args::chunk(chunk)?;
        let r = c.as_ref();
        let out = self.sanitizer.get().state.with(py, c.len() >= DETACH_MIN_BYTES, |st| push(st, r))??;
        Ok(PyString::new(py, &out))
    }

    /// `finish`: the rest of the output of the open text (none if no text is open), and
    /// the sanitizer given back.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        let owner = self.owner;
        let out = self.sanitizer.get().state.with(py, false, |st| {
            let out = match st {
                State::Input { owner: o, stream } if *o == owner => stream.finish(),
                State::Output { owner: o, stream } if *o == owner => stream.finish(),
                _ => String::new(),
            };
            st.release(owner);
            out
        })?;
        Ok(PyString::new(py, &out))
    }

    /// The bytes of the open text received and not emitted yet (0 when none is open).
    fn held_back(&self, py: Python<'_>) -> PyResult<usize> {
        let owner = self.owner;
        self.sanitizer.get().state.with(py, false, |st| match st {
            State::Input { owner: o, stream } if *o == owner => stream.held_back(),
            State::Output { owner: o, stream } if *o == owner => stream.held_back(),
            _ => 0,
        })
    }

    /// Whether a text is open: the stream has the sanitizer.
    fn is_open(&self, py: Python<'_>) -> PyResult<bool> {
        let owner = self.owner;
        self.sanitizer.get().state.with(py, false, |st| st.is_lent_to(owner))
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        let owner = self.owner;
        self.sanitizer.get().state.with_attached(|st| st.release(owner));
    }
}

/// Sanitises a text that arrives in chunks, with the placeholders of a ``Sanitizer``.
///
/// ``push(chunk)`` returns the sanitised text that is safe to emit now; ``finish()``
/// returns the rest. The concatenated output equals ``sanitizer.sanitize(text)`` of the
/// whole text, however it is cut, and no byte of personal data is emitted before it is
/// known to be one. A chunk is a ``str``, or ``bytes`` of UTF-8 that may end inside a
/// character (the incomplete tail waits for the next chunk; invalid bytes read as
/// U+FFFD).
///
/// The stream holds back only what could still become or change a finding (plain prose a
/// few words behind the input, a phone number or a name until it is complete), and never
/// more than ``max_hold_back`` bytes of input (350 with the default policy; more while a
/// ``-----BEGIN`` block is open). After ``finish()`` the stream
/// takes a new text at the same location.
///
/// ``sanitizer`` is a ``Sanitizer`` (its mapping and records are shared), or an
/// ``Engine`` for a new sanitizer of its own. While a text is open, the stream has the
/// sanitizer to itself: its ``sanitize`` and other streams raise ``LucairnError`` until
/// ``finish()``. A stream dropped with a text open gives the sanitizer back, discarding
/// the text it held back.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct StreamSanitizer {
    lent: Lent,
}

#[pymethods]
impl StreamSanitizer {
    #[new]
    #[pyo3(
        signature = (sanitizer, message = 0, field = Cow::Borrowed("content")),
        text_signature = "(sanitizer, message=0, field='content')"
    )]
    fn new(py: Python<'_>, sanitizer: &Bound<'_, PyAny>, message: u32, field: Cow<'_, str>) -> PyResult<Self> {
        Ok(StreamSanitizer { lent: Lent::new(py, sanitizer, message, field)? })
    }

    /// Adds a chunk (``str``, or UTF-8 ``bytes``); returns the sanitised text that can be
    /// emitted now.
    #[pyo3(signature = (chunk, /))]
    fn push<'py>(&self, py: Python<'py>, chunk: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let (owner, loc) = (self.lent.owner, &self.lent.location);
        self.lent.push(py, chunk, |st, r| {
            let s = st.input_stream(owner, loc)?;
            Ok(match r {
                ChunkRef::Text(t) => s.push(t),
                ChunkRef::Bytes(b) => s.push_bytes(b),
            })
        })
    }

    /// Ends the text: returns the rest of the output and gives the sanitizer back.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.lent.finish(py)
    }

    /// The sanitizer, with the mapping and records so far.
    #[getter]
    fn sanitizer(&self, py: Python<'_>) -> Py<Sanitizer> {
        self.lent.sanitizer.clone_ref(py)
    }

    /// The message index recorded with each finding.
    #[getter]
    fn message(&self) -> u32 {
        self.lent.location.message
    }

    /// The field path recorded with each finding.
    #[getter]
    fn field(&self) -> &str {
        &self.lent.location.field
    }

    /// The most bytes of input held back (outside an open PEM block).
    #[getter]
    fn max_hold_back(&self) -> usize {
        self.lent.hold
    }

    /// The bytes of input received and not emitted yet.
    #[getter]
    fn held_back(&self, py: Python<'_>) -> PyResult<usize> {
        self.lent.held_back(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let open = self.lent.is_open(py)?;
        Ok(format!(
            "<lucairn.StreamSanitizer message={} field={}{}>",
            self.lent.location.message,
            py_repr(py, &self.lent.location.field)?,
            if open { " open" } else { "" }
        ))
    }
}

/// Scans a model's answer that arrives in chunks: the streaming form of
/// ``Sanitizer.scan_output``, with the same ``mode`` (``"relink"`` or ``"keep"``).
///
/// ``push(chunk)`` returns the text that can be emitted now, ``finish()`` the rest; the
/// concatenation equals ``sanitizer.scan_output(text, mode)`` of the whole answer. It
/// holds back as much as ``StreamSanitizer`` does, takes ``str`` or UTF-8 ``bytes`` cut
/// anywhere, and borrows its ``Sanitizer`` the same way while an answer is open.
/// ``sanitizer`` may be an ``Engine``, for a new sanitizer with an empty mapping (to
/// redact personal data in answers only).
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct OutputStream {
    lent: Lent,
    mode: lc::OutputMode,
}

#[pymethods]
impl OutputStream {
    #[new]
    #[pyo3(
        signature = (sanitizer, mode = Cow::Borrowed("relink"), message = 0, field = Cow::Borrowed("content")),
        text_signature = "(sanitizer, mode='relink', message=0, field='content')"
    )]
    fn new(
        py: Python<'_>,
        sanitizer: &Bound<'_, PyAny>,
        mode: Cow<'_, str>,
        message: u32,
        field: Cow<'_, str>,
    ) -> PyResult<Self> {
        let mode = args::mode(&mode)?;
        Ok(OutputStream { lent: Lent::new(py, sanitizer, message, field)?, mode })
    }

    /// Adds a chunk (``str``, or UTF-8 ``bytes``); returns the text that can be emitted
    /// now.
    #[pyo3(signature = (chunk, /))]
    fn push<'py>(&self, py: Python<'py>, chunk: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let (owner, loc, mode) = (self.lent.owner, &self.lent.location, self.mode);
        self.lent.push(py, chunk, |st, r| {
            let s = st.output_stream(owner, loc, mode)?;
            Ok(match r {
                ChunkRef::Text(t) => s.push(t),
                ChunkRef::Bytes(b) => s.push_bytes(b),
            })
        })
    }

    /// Ends the answer: returns the rest of the output and gives the sanitizer back.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.lent.finish(py)
    }

    /// The sanitizer, with the mapping and the records so far.
    #[getter]
    fn sanitizer(&self, py: Python<'_>) -> Py<Sanitizer> {
        self.lent.sanitizer.clone_ref(py)
    }

    /// ``"relink"`` or ``"keep"``.
    #[getter]
    fn mode(&self) -> &'static str {
        args::mode_name(self.mode)
    }

    /// The choice index recorded with each finding.
    #[getter]
    fn message(&self) -> u32 {
        self.lent.location.message
    }

    /// The field path recorded with each finding.
    #[getter]
    fn field(&self) -> &str {
        &self.lent.location.field
    }

    /// The most bytes of input held back (outside an open PEM block).
    #[getter]
    fn max_hold_back(&self) -> usize {
        self.lent.hold
    }

    /// The bytes of input received and not emitted yet.
    #[getter]
    fn held_back(&self, py: Python<'_>) -> PyResult<usize> {
        self.lent.held_back(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let open = self.lent.is_open(py)?;
        Ok(format!(
            "<lucairn.OutputStream mode={} message={} field={}{}>",
            py_repr(py, args::mode_name(self.mode))?,
            self.lent.location.message,
            py_repr(py, &self.lent.location.field)?,
            if open { " open" } else { "" }
        ))
    }
}

/// Re-links a text (a model's answer) that arrives in chunks.
///
/// ``mapping`` is a ``Mapping`` (or its entries as dicts, or a ``Sanitizer``, whose
/// mapping at this moment is used). ``push(chunk)`` returns the re-linked text that can
/// be emitted now, ``finish()`` the rest; the concatenation equals
/// ``mapping.relink(text)`` of the whole text. Only a trailing stretch that could still
/// become a placeholder is held back (typically the last word). Chunks are ``str`` or
/// UTF-8 ``bytes`` cut anywhere. After ``finish()`` it takes a new text.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct StreamRelinker {
    mapping: Py<Mapping>,
    core: Shared<lc::StreamRelinker>,
}

#[pymethods]
impl StreamRelinker {
    #[new]
    #[pyo3(signature = (mapping))]
    fn new(py: Python<'_>, mapping: &Bound<'_, PyAny>) -> PyResult<Self> {
        let m = if let Ok(s) = mapping.cast::<Sanitizer>() {
            s.getattr("mapping")?.cast_into::<Mapping>().map_err(PyErr::from)?.unbind()
        } else if let Ok(m) = mapping.cast::<Mapping>() {
            m.clone().unbind()
        } else {
            Py::new(py, Mapping { core: mapping_from_py(mapping, "mapping")? })?
        };
        let core = lc::StreamRelinker::new(m.get().core.clone());
        Ok(StreamRelinker { mapping: m, core: Shared::new(core) })
    }

    /// Adds a chunk (``str``, or UTF-8 ``bytes``); returns the re-linked text that can be
    /// emitted now.
    #[pyo3(signature = (chunk, /))]
    fn push<'py>(&self, py: Python<'py>, chunk: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let c = args::chunk(chunk)?;
        let r = c.as_ref();
        let out = self.core.with(py, c.len() >= DETACH_MIN_BYTES, |s| match r {
            ChunkRef::Text(t) => s.push(t),
            ChunkRef::Bytes(b) => s.push_bytes(b),
        })?;
        Ok(PyString::new(py, &out))
    }

    /// Ends the text and returns the rest; the stream then takes a new text.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        let out = self.core.with(py, false, |s| s.finish())?;
        Ok(PyString::new(py, &out))
    }

    /// The mapping.
    #[getter]
    fn mapping(&self, py: Python<'_>) -> Py<Mapping> {
        self.mapping.clone_ref(py)
    }

    fn __repr__(&self) -> String {
        let n = self.mapping.get().core.len();
        format!("<lucairn.StreamRelinker placeholders={n}>")
    }
}
