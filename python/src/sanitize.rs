//! `Sanitizer`, `Sanitized`, `Mapping`, `FindingRecord` and `relink`: the sanitisation API
//! of the core, translated.
//!
//! A `Sanitizer` keeps the core sanitizer behind a [`Shared`] lock, in one of the states
//! of [`State`]: the core's streams take the sanitizer by value while a streamed text is
//! open, so a Python stream borrows it from its `Sanitizer` on its first push and gives it
//! back when it finishes (or is dropped). All state stays in one place, so the
//! sanitizer's mapping and records can be read at any time, also while a stream is open.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};

use lucairn_core as lc;
use lucairn_core::Location;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyIterator, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::args;
use crate::engine::Engine;
use crate::errors::{LucairnError, MappingError, token_error};
use crate::shared::{DETACH_MIN_BYTES, Shared};
use crate::text::{self, Arg, type_name};

/// What a replaced value was, without the value: where it was (``message``, ``field``,
/// ``byte_start``/``byte_end``), its ``kind``, the ``placeholder`` that replaced it and a
/// keyed digest of it (``value_digest``).
///
/// These are the records a certificate carries. ``byte_start`` and ``byte_end`` are
/// offsets in the UTF-8 encoding of the original text, as in certificates (their
/// ``start`` and ``end``); ``len(text.encode()[:r.byte_start].decode())`` is the index
/// in the Python string.
///
/// Records are immutable, hashable, comparable and picklable.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct FindingRecord {
    pub(crate) core: lc::FindingRecord,
}

#[pymethods]
impl FindingRecord {
    #[new]
    #[pyo3(signature = (message, field, kind, byte_start, byte_end, placeholder, value_digest))]
    fn new(
        message: u32,
        field: String,
        kind: String,
        byte_start: u64,
        byte_end: u64,
        placeholder: String,
        value_digest: String,
    ) -> FindingRecord {
        FindingRecord {
            core: lc::FindingRecord {
                location: Location::new(message, field),
                kind,
                start: byte_start,
                end: byte_end,
                placeholder,
                value_digest,
            },
        }
    }

    /// Index of the message (of the choice, for answers) the value was in.
    #[getter]
    fn message(&self) -> u32 {
        self.core.location.message
    }

    /// Field path inside the message, such as ``"content"``.
    #[getter]
    fn field(&self) -> &str {
        &self.core.location.field
    }

    /// The kind's name, such as ``"EMAIL_ADDRESS"``.
    #[getter]
    fn kind(&self) -> &str {
        &self.core.kind
    }

    /// Offset of the value's first byte in the UTF-8 encoding of the original text.
    #[getter]
    fn byte_start(&self) -> u64 {
        self.core.start
    }

    /// Offset one past the value's last byte in the UTF-8 encoding of the original text.
    #[getter]
    fn byte_end(&self) -> u64 {
        self.core.end
    }

    /// The placeholder that replaced the value, such as ``"[EMAIL_ADDRESS_1]"``.
    #[getter]
    fn placeholder(&self) -> &str {
        &self.core.placeholder
    }

    /// Keyed blake3 digest of the value's UTF-8 bytes, lower-case hex (see
    /// ``Sanitizer.value_digest``).
    #[getter]
    fn value_digest(&self) -> &str {
        &self.core.value_digest
    }

    /// The record as in a certificate's JSON: ``{"location": {"message", "field"},
    /// "kind", "start", "end", "placeholder", "value_digest"}`` (``start``/``end`` are
    /// byte offsets).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = &self.core;
        let location = PyDict::new(py);
        location.set_item("message", r.location.message)?;
        location.set_item("field", &r.location.field)?;
        let d = PyDict::new(py);
        d.set_item("location", location)?;
        d.set_item("kind", &r.kind)?;
        d.set_item("start", r.start)?;
        d.set_item("end", r.end)?;
        d.set_item("placeholder", &r.placeholder)?;
        d.set_item("value_digest", &r.value_digest)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let r = &self.core;
        Ok(format!(
            "FindingRecord(message={}, field={}, kind={}, byte_start={}, byte_end={}, placeholder={}, value_digest={})",
            r.location.message,
            py_repr(py, &r.location.field)?,
            py_repr(py, &r.kind)?,
            r.start,
            r.end,
            py_repr(py, &r.placeholder)?,
            py_repr(py, &r.value_digest)?,
        ))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        match other.cast::<FindingRecord>() {
            Ok(o) => pybool(py, self.core == o.get().core),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.fields(py)?.hash()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        Ok((slf.get_type(), slf.get().fields(slf.py())?))
    }
}

impl FindingRecord {
    /// The fields as a tuple, in the constructor's order.
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let r = &self.core;
        (r.location.message, &r.location.field, &r.kind, r.start, r.end, &r.placeholder, &r.value_digest)
            .into_pyobject(py)
    }
}

/// Python's `repr` of a string.
pub(crate) fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    Ok(PyString::new(py, s).repr()?.to_cow()?.into_owned())
}

/// `True` or `False` as a Python object.
pub(crate) fn pybool(py: Python<'_>, b: bool) -> Py<PyAny> {
    PyBool::new(py, b).to_owned().into_any().unbind()
}

/// Python records for core records.
pub(crate) fn records<'py>(py: Python<'py>, rs: Vec<lc::FindingRecord>) -> PyResult<Bound<'py, PyList>> {
    let objs = rs.into_iter().map(|core| Bound::new(py, FindingRecord { core })).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objs)
}

/// Core records from an iterable of `FindingRecord`s; `what` names the argument.
pub(crate) fn records_from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<lc::FindingRecord>> {
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be an iterable of FindingRecord, not {}", type_name(obj)))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        let r = item.cast::<FindingRecord>().map_err(|_| {
            PyTypeError::new_err(format!("{what}[{i}] must be a FindingRecord, not {}", type_name(&item)))
        })?;
        out.push(r.get().core.clone());
    }
    Ok(out)
}

/// The placeholders of a request and the original values they stand for.
///
/// A mapping reads like a read-only ``dict`` from placeholder to value:
/// ``mapping["[EMAIL_ADDRESS_1]"]`` is the value, ``len(mapping)`` the number of
/// placeholders, iteration yields the placeholders in the order they were given out.
/// ``mapping.entries`` lists ``{"placeholder", "kind", "value"}`` dicts.
///
/// ``Mapping(entries)`` makes one from such dicts (as stored earlier); every placeholder
/// must be of the form ``[KIND_N]`` with the entry's kind, and appear once, otherwise
/// ``MappingError`` is raised.
///
/// ``relink`` restores the values in a text; ``seal`` turns the mapping into an opaque
/// token, which ``Mapping.open`` turns back, so a server can re-link an answer later
/// without storing anything.
///
/// The ``repr`` of a mapping shows no value.
#[pyclass(module = "lucairn", frozen, mapping)]
pub(crate) struct Mapping {
    pub(crate) core: lc::Mapping,
}

#[pymethods]
impl Mapping {
    #[new]
    #[pyo3(signature = (entries = None))]
    fn new(entries: Option<&Bound<'_, PyAny>>) -> PyResult<Mapping> {
        match entries {
            None => Ok(Mapping { core: lc::Mapping::new() }),
            Some(e) => mapping_from_py(e, "entries").map(|core| Mapping { core }),
        }
    }

    /// The entries, in the order the placeholders were given out: a list of
    /// ``{"placeholder", "kind", "value"}`` dicts.
    #[getter]
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for e in self.core.entries() {
            let d = PyDict::new(py);
            d.set_item("placeholder", &e.placeholder)?;
            d.set_item("kind", &e.kind)?;
            d.set_item("value", &e.value)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// The value of a placeholder such as ``"[EMAIL_ADDRESS_1]"``, or ``default``.
    #[pyo3(signature = (placeholder, default = None))]
    fn get(&self, py: Python<'_>, placeholder: &Bound<'_, PyAny>, default: Option<Py<PyAny>>) -> Py<PyAny> {
        match self.value(placeholder) {
            Some(v) => PyString::new(py, v).into_any().unbind(),
            None => default.unwrap_or_else(|| py.None()),
        }
    }

    /// Restores the original values in ``text``: every placeholder of this mapping, in
    /// any form models give it (brackets dropped, case changed, markdown escapes,
    /// punctuation around), becomes its value. Unknown placeholders stay as they are.
    #[pyo3(signature = (text, /))]
    fn relink<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        relink_with(py, &self.core, text)
    }

    /// Seals the mapping into an opaque, URL-safe token for ``tenant``, encrypted with
    /// ``key`` (32 bytes; XChaCha20-Poly1305 with a random nonce). Only the same key and
    /// tenant open it again.
    #[pyo3(signature = (key, tenant))]
    fn seal(&self, key: &Bound<'_, PyAny>, tenant: Cow<'_, str>) -> PyResult<String> {
        let key = args::key32(key, "key")?;
        self.core.seal(&key, &tenant).map_err(token_error)
    }

    /// Opens a token made by ``seal`` with the same ``key`` and ``tenant``; raises
    /// ``TokenError`` for anything else (another key or tenant, a changed byte, not a
    /// token).
    #[classmethod]
    #[pyo3(signature = (token, key, tenant))]
    fn open(
        _cls: &Bound<'_, PyType>,
        token: Cow<'_, str>,
        key: &Bound<'_, PyAny>,
        tenant: Cow<'_, str>,
    ) -> PyResult<Mapping> {
        let key = args::key32(key, "key")?;
        lc::Mapping::open(&token, &key, &tenant).map(|core| Mapping { core }).map_err(token_error)
    }

    /// The mapping as JSON: an array of ``{"placeholder", "kind", "value"}`` objects.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.core).map_err(|e| MappingError::new_err(e.to_string()))
    }

    /// A mapping from the JSON that ``to_json`` writes.
    #[classmethod]
    #[pyo3(signature = (json, /))]
    fn from_json(_cls: &Bound<'_, PyType>, json: Cow<'_, str>) -> PyResult<Mapping> {
        serde_json::from_str(&json).map(|core| Mapping { core }).map_err(|e| MappingError::new_err(e.to_string()))
    }

    fn __len__(&self) -> usize {
        self.core.len()
    }

    fn __contains__(&self, placeholder: &Bound<'_, PyAny>) -> bool {
        self.value(placeholder).is_some()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, placeholder: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        match self.value(placeholder) {
            Some(v) => Ok(PyString::new(py, v)),
            None => Err(PyKeyError::new_err(placeholder.clone().unbind())),
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        let list = PyList::new(py, self.core.entries().iter().map(|e| e.placeholder.as_str()))?;
        list.try_iter()
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        match other.cast::<Mapping>() {
            Ok(o) => pybool(py, self.core == o.get().core),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __repr__(&self) -> String {
        let n = self.core.len();
        format!("<lucairn.Mapping with {n} placeholder{}>", if n == 1 { "" } else { "s" })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyList>,))> {
        Ok((slf.get_type(), (slf.get().entries(slf.py())?,)))
    }
}

impl Mapping {
    fn value(&self, placeholder: &Bound<'_, PyAny>) -> Option<&str> {
        let p = placeholder.cast::<PyString>().ok()?.to_cow().ok()?;
        self.core.get(&p).map(|e| e.value.as_str())
    }
}

/// A core mapping from a `Mapping` or an iterable of `{"placeholder", "kind", "value"}`
/// mappings; `what` names the argument.
pub(crate) fn mapping_from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<lc::Mapping> {
    if let Ok(m) = obj.cast::<Mapping>() {
        return Ok(m.get().core.clone());
    }
    if obj.is_instance_of::<PyString>() || obj.cast::<PyMapping>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a Mapping or an iterable of entry dicts, not {}",
            type_name(obj)
        )));
    }
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be a Mapping or an iterable of entry dicts, not {}", type_name(obj)))
    })?;
    let mut entries = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        let d = item.cast::<PyMapping>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}[{i}] must be a dict with \"placeholder\", \"kind\" and \"value\", not {}",
                type_name(&item)
            ))
        })?;
        let field = |name: &str| -> PyResult<String> {
            if !d.contains(name)? {
                return Err(MappingError::new_err(format!("{what}[{i}] has no {name:?}")));
            }
            let v = d.get_item(name)?;
            let s = v.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!("{what}[{i}][{name:?}] must be str, not {}", type_name(&v)))
            })?;
            Ok(s.to_cow()?.into_owned())
        };
        let entry =
            lc::MappingEntry { placeholder: field("placeholder")?, kind: field("kind")?, value: field("value")? };
        if d.len()? != 3 {
            return Err(MappingError::new_err(format!(
                "{what}[{i}] has keys other than \"placeholder\", \"kind\" and \"value\""
            )));
        }
        entries.push(entry);
    }
    lc::Mapping::try_from(entries).map_err(|e| MappingError::new_err(format!("{what}: {e}")))
}

/// `mapping.relink(text)` as a Python string; long texts with the GIL released.
fn relink_with<'py>(py: Python<'py>, m: &lc::Mapping, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
    let t = text::text(text, Arg::Text)?;
    let s = t.as_str();
    let out = if s.len() >= DETACH_MIN_BYTES { py.detach(|| m.relink(s)) } else { m.relink(s) };
    Ok(PyString::new(py, &out))
}

/// Restores the original values in ``text`` with ``mapping`` (a ``Mapping``, or its
/// entries as dicts); the same as ``Mapping(mapping).relink(text)``.
#[pyfunction]
#[pyo3(signature = (text, mapping))]
pub(crate) fn relink<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    mapping: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    if let Ok(m) = mapping.cast::<Mapping>() {
        return relink_with(py, &m.get().core, text);
    }
    let m = mapping_from_py(mapping, "mapping")?;
    relink_with(py, &m, text)
}

/// The outcome of a request's sanitisation, from ``Sanitizer.finish()``: the
/// ``mapping``, the ``findings`` in the inputs, the ``output_findings`` in answers and
/// the ``counts`` of findings per kind. ``CertificateBuilder.sanitized`` takes it.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct Sanitized {
    pub(crate) core: lc::Sanitized,
}

#[pymethods]
impl Sanitized {
    /// Placeholders and the values they stand for.
    #[getter]
    fn mapping(&self) -> Mapping {
        Mapping { core: self.core.mapping.clone() }
    }

    /// One record per value replaced in the inputs, in order.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        records(py, self.core.findings.clone())
    }

    /// One record per value replaced in answers.
    #[getter]
    fn output_findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        records(py, self.core.output_findings.clone())
    }

    /// Number of values replaced in the inputs, per kind.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.core.counts().into_pyobject(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<lucairn.Sanitized placeholders={} findings={} output_findings={}>",
            self.core.mapping.len(),
            self.core.findings.len(),
            self.core.output_findings.len()
        )
    }
}

/// Where a `Sanitizer`'s core sanitizer is.
pub(crate) enum State {
    /// Free for `sanitize` and `scan_output`.
    Ready(lc::Sanitizer),
    /// Lent to the input stream `owner` while it has a text open.
    Input { owner: u64, stream: lc::StreamSanitizer },
    /// Lent to the output stream `owner` while it has an answer open.
    Output { owner: u64, stream: lc::OutputStream },
    /// `finish()` was called: the sanitizer only reads.
    Finished(lc::Sanitizer),
    /// Only while moving between the states above.
    Moving,
}

impl State {
    /// The sanitizer, for `sanitize` and `scan_output`.
    pub(crate) fn ready(&mut self) -> PyResult<&mut lc::Sanitizer> {
        match self {
            State::Ready(s) => Ok(s),
            State::Input { .. } | State::Output { .. } => Err(busy()),
            State::Finished(_) => Err(finished()),
            State::Moving => Err(moving()),
        }
    }

    /// The sanitizer wherever it is, for reading.
    fn sanitizer(&self) -> PyResult<&lc::Sanitizer> {
        match self {
            State::Ready(s) | State::Finished(s) => Ok(s),
            State::Input { stream, .. } => Ok(stream.sanitizer()),
            State::Output { stream, .. } => Ok(stream.sanitizer()),
            State::Moving => Err(moving()),
        }
    }

    /// Records of the inputs (or, with `output`, of answers).
    fn records(&self, output: bool) -> PyResult<&[lc::FindingRecord]> {
        let s = self.sanitizer()?;
        Ok(if output { s.output_findings() } else { s.findings() })
    }

    /// The input stream of `owner`, lending it the sanitizer if it is free.
    pub(crate) fn input_stream(&mut self, owner: u64, location: &Location) -> PyResult<&mut lc::StreamSanitizer> {
        match std::mem::replace(self, State::Moving) {
            State::Ready(s) => *self = State::Input { owner, stream: lc::StreamSanitizer::new(s, location.clone()) },
            other => *self = other,
        }
        match self {
            State::Input { owner: o, stream } if *o == owner => Ok(stream),
            State::Input { .. } | State::Output { .. } => Err(busy()),
            State::Finished(_) => Err(finished()),
            State::Ready(_) | State::Moving => Err(moving()),
        }
    }

    /// The output stream of `owner`, lending it the sanitizer if it is free.
    pub(crate) fn output_stream(
        &mut self,
        owner: u64,
        location: &Location,
        mode: lc::OutputMode,
    ) -> PyResult<&mut lc::OutputStream> {
        match std::mem::replace(self, State::Moving) {
            State::Ready(s) => {
                *self = State::Output { owner, stream: lc::OutputStream::new(s, location.clone(), mode) };
            }
            other => *self = other,
        }
        match self {
            State::Output { owner: o, stream } if *o == owner => Ok(stream),
            State::Input { .. } | State::Output { .. } => Err(busy()),
            State::Finished(_) => Err(finished()),
            State::Ready(_) | State::Moving => Err(moving()),
        }
    }

    /// True when stream `owner` has the sanitizer.
    pub(crate) fn is_lent_to(&self, owner: u64) -> bool {
        matches!(self, State::Input { owner: o, .. } | State::Output { owner: o, .. } if *o == owner)
    }

    /// Takes the sanitizer back from stream `owner`, if it has it.
    pub(crate) fn release(&mut self, owner: u64) {
        match std::mem::replace(self, State::Moving) {
            State::Input { owner: o, stream } if o == owner => *self = State::Ready(stream.into_sanitizer()),
            State::Output { owner: o, stream } if o == owner => *self = State::Ready(stream.into_sanitizer()),
            other => *self = other,
        }
    }
}

fn busy() -> PyErr {
    LucairnError::new_err("a stream of this sanitizer has a text open; finish() it first")
}

fn finished() -> PyErr {
    LucairnError::new_err("this sanitizer is finished; its mapping and records stay readable")
}

fn moving() -> PyErr {
    LucairnError::new_err("this sanitizer cannot be used any more: an internal error interrupted an earlier call")
}

/// A fresh id for a stream, to tell which one holds a sanitizer.
pub(crate) fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Replaces personal data by placeholders in the texts of one request, and restores it
/// in answers.
///
/// Make one per request (a conversation turn) and call ``sanitize`` for every text the
/// model will see: each finding becomes a placeholder such as ``[EMAIL_ADDRESS_1]``, and
/// the same value gets the same placeholder everywhere in the request. ``message`` and
/// ``field`` say where a text sits (message index and field path, such as
/// ``"content"``); they go into the records.
///
/// Then pass the model's answer to ``scan_output``: placeholders are restored
/// (``mode="relink"``) or kept (``mode="keep"``), and personal data the model produced
/// itself is replaced. ``relink`` only restores placeholders. ``finish()`` ends the
/// request and returns the mapping and records (``Sanitized``) a certificate needs.
///
/// Without ``tenant_secret``, placeholders are numbered 1, 2, 3 ... per kind in order of
/// appearance. With a 32-byte ``tenant_secret``, numbers are derived from it and the
/// value, so the same value gets the same placeholder in every request of the tenant (a
/// resent conversation stays consistent, and upstream prompt caches keep working), and
/// value digests in the records are keyed with it.
///
/// ``relink(sanitize(x)) == x`` for every text ``x`` (a ``str`` with lone surrogates
/// reads, and comes back, with U+FFFD in their place). A sanitizer can be shared between
/// threads; texts of 8 KiB and more are processed with the GIL released.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct Sanitizer {
    pub(crate) engine: Py<Engine>,
    secret: bool,
    pub(crate) state: Shared<State>,
}

#[pymethods]
impl Sanitizer {
    #[new]
    #[pyo3(signature = (engine, tenant_secret = None))]
    pub(crate) fn new(engine: Bound<'_, Engine>, tenant_secret: Option<&Bound<'_, PyAny>>) -> PyResult<Sanitizer> {
        let secret = match tenant_secret.filter(|s| !s.is_none()) {
            Some(s) => Some(args::key32(s, "tenant_secret")?),
            None => None,
        };
        let core = match &secret {
            Some(k) => lc::Sanitizer::with_secret(&engine.get().core, k),
            None => lc::Sanitizer::new(&engine.get().core),
        };
        Ok(Sanitizer { secret: secret.is_some(), engine: engine.unbind(), state: Shared::new(State::Ready(core)) })
    }

    /// Replaces personal data in ``text`` by placeholders and returns the sanitised
    /// text. ``message`` and ``field`` are recorded with each finding.
    #[pyo3(
        signature = (text, /, message = 0, field = Cow::Borrowed("content")),
        text_signature = "($self, text, /, message=0, field='content')"
    )]
    fn sanitize<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        message: u32,
        field: Cow<'_, str>,
    ) -> PyResult<Bound<'py, PyString>> {
        let t = text::text(text, Arg::Text)?;
        let s = t.as_str();
        let loc = Location::new(message, field);
        let out =
            self.state.with(py, s.len() >= DETACH_MIN_BYTES, |st| Ok::<_, PyErr>(st.ready()?.sanitize(loc, s)))??;
        Ok(PyString::new(py, &out))
    }

    /// Scans a model's answer: the request's placeholders are restored
    /// (``mode="relink"``) or kept as written (``mode="keep"``), and personal data the
    /// model produced itself is replaced by a placeholder (one that never re-links).
    /// Each replacement is recorded in ``output_findings``.
    #[pyo3(
        signature = (text, /, mode = Cow::Borrowed("relink"), message = 0, field = Cow::Borrowed("content")),
        text_signature = "($self, text, /, mode='relink', message=0, field='content')"
    )]
    fn scan_output<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        mode: Cow<'_, str>,
        message: u32,
        field: Cow<'_, str>,
    ) -> PyResult<Bound<'py, PyString>> {
        let mode = args::mode(&mode)?;
        let t = text::text(text, Arg::Text)?;
        let s = t.as_str();
        let loc = Location::new(message, field);
        let out = self
            .state
            .with(py, s.len() >= DETACH_MIN_BYTES, |st| Ok::<_, PyErr>(st.ready()?.scan_output(loc, s, mode)))??;
        Ok(PyString::new(py, &out))
    }

    /// Restores the original values of this sanitizer's placeholders in ``text`` (see
    /// ``Mapping.relink``). Works at any time, also after ``finish()``.
    #[pyo3(signature = (text, /))]
    fn relink<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let t = text::text(text, Arg::Text)?;
        let s = t.as_str();
        let out = self.state.with(py, s.len() >= DETACH_MIN_BYTES, |st| st.sanitizer().map(|san| san.relink(s)))??;
        Ok(PyString::new(py, &out))
    }

    /// The mapping so far (a copy).
    #[getter]
    fn mapping(&self, py: Python<'_>) -> PyResult<Mapping> {
        let core = self.state.with(py, false, |st| st.sanitizer().map(|san| san.mapping().clone()))??;
        Ok(Mapping { core })
    }

    /// Records of the values replaced in inputs so far.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rs = self.state.with(py, false, |st| st.records(false).map(<[_]>::to_vec))??;
        records(py, rs)
    }

    /// Records of the values replaced in answers so far.
    #[getter]
    fn output_findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rs = self.state.with(py, false, |st| st.records(true).map(<[_]>::to_vec))??;
        records(py, rs)
    }

    /// The engine this sanitizer scans with.
    #[getter]
    fn engine(&self, py: Python<'_>) -> Py<Engine> {
        self.engine.clone_ref(py)
    }

    /// The key of the value digests in the records (32 bytes): derived from the tenant
    /// secret, or random per sanitizer. Whoever holds it can check whether a given value
    /// is the one a record was made for.
    #[getter]
    fn value_digest_key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let key = self.state.with(py, false, |st| st.sanitizer().map(|san| *san.value_digest_key()))??;
        Ok(PyBytes::new(py, &key))
    }

    /// The keyed digest records carry for ``value``: lower-case hex of blake3 keyed with
    /// ``value_digest_key`` over the value's UTF-8 bytes.
    #[pyo3(signature = (value, /))]
    fn value_digest(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
        let t = text::text(value, Arg::Named("value"))?;
        let s = t.as_str();
        self.state.with(py, false, |st| st.sanitizer().map(|san| san.value_digest(s)))?
    }

    /// Ends the request: returns the mapping and every record (``Sanitized``), for
    /// ``CertificateBuilder.sanitized``. The sanitizer then only reads (``mapping``,
    /// ``findings``, ``relink``, ``value_digest``); ``sanitize``, ``scan_output`` and
    /// streams raise ``LucairnError``. Raises ``LucairnError`` if a stream still has a
    /// text open, or if called twice.
    fn finish(&self, py: Python<'_>) -> PyResult<Sanitized> {
        let core = self.state.with(py, false, |st| {
            // The core's `finish` takes the sanitizer; a copy of it stays for reading.
            let done = st.ready()?.clone().finish();
            match std::mem::replace(st, State::Moving) {
                State::Ready(s) => *st = State::Finished(s),
                other => *st = other,
            }
            Ok::<_, PyErr>(done)
        })??;
        Ok(Sanitized { core })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (placeholders, findings, state) = self.state.with(py, false, |st| {
            let n = st.sanitizer().map(|san| san.mapping().len()).unwrap_or(0);
            let f = st.records(false).map(<[_]>::len).unwrap_or(0);
            let state = match st {
                State::Ready(_) => "",
                State::Input { .. } | State::Output { .. } => " streaming",
                State::Finished(_) => " finished",
                State::Moving => " broken",
            };
            (n, f, state)
        })?;
        Ok(format!(
            "<lucairn.Sanitizer tenant_secret={} placeholders={placeholders} findings={findings}{state}>",
            if self.secret { "True" } else { "False" }
        ))
    }
}
