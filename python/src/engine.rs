//! `Engine` and `Finding`.

use std::sync::Mutex;

use lucairn_core::{DenyTerm, Kind};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PySlice, PyString, PyTuple, PyType};

use crate::errors::PolicyError;
use crate::policy;
use crate::shared::DETACH_MIN_BYTES;
use crate::text::{self, Arg, Text};

/// `scan_batch` converts and scans this much text at a time.
const BATCH_CHUNK_BYTES: usize = 1 << 20;

/// Batches smaller than this are scanned on the calling thread.
const PARALLEL_MIN_BYTES: usize = 32 * 1024;

/// One piece of personal data found in a text.
///
/// ``text[f.start:f.end]`` is the value: ``start`` and ``end`` are indices into the
/// Python string (code points); ``byte_start`` and ``byte_end`` are the same span in the
/// text's UTF-8 encoding, as the Rust engine, the C library and the command line report
/// it. ``score`` is the confidence in ``[0, 1]``; ``detector`` names the detector that
/// found it.
///
/// Findings are immutable, hashable, comparable and picklable.
#[pyclass(module = "lucairn", frozen, freelist = 64)]
pub(crate) struct Finding {
    /// The kind of data, such as ``"EMAIL_ADDRESS"`` or a kind the policy defines.
    #[pyo3(get)]
    kind: Py<PyString>,
    /// Index of the first character in the scanned ``str``.
    #[pyo3(get)]
    start: usize,
    /// Index one past the last character in the scanned ``str``.
    #[pyo3(get)]
    end: usize,
    /// Offset of the first byte in the text's UTF-8 encoding.
    #[pyo3(get)]
    byte_start: usize,
    /// Offset one past the last byte in the text's UTF-8 encoding.
    #[pyo3(get)]
    byte_end: usize,
    /// Confidence in ``[0, 1]``.
    #[pyo3(get)]
    score: f64,
    /// Name of the detector that reported the finding (``"email"``, ``"custom"`` ...).
    #[pyo3(get)]
    detector: Py<PyString>,
}

#[pymethods]
impl Finding {
    #[new]
    #[pyo3(signature = (kind, start, end, byte_start, byte_end, score, detector))]
    fn new(
        kind: Bound<'_, PyString>,
        start: usize,
        end: usize,
        byte_start: usize,
        byte_end: usize,
        score: f64,
        detector: Bound<'_, PyString>,
    ) -> Finding {
        Finding { kind: kind.unbind(), start, end, byte_start, byte_end, score, detector: detector.unbind() }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Finding(kind={}, start={}, end={}, byte_start={}, byte_end={}, score={}, detector={})",
            self.kind.bind(py).repr()?,
            self.start,
            self.end,
            self.byte_start,
            self.byte_end,
            self.score.into_pyobject(py)?.repr()?,
            self.detector.bind(py).repr()?,
        ))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Ok(other) = other.cast::<Finding>() else {
            return Ok(py.NotImplemented());
        };
        let o = other.get();
        let eq = self.start == o.start
            && self.end == o.end
            && self.byte_start == o.byte_start
            && self.byte_end == o.byte_end
            && self.score == o.score
            && self.kind.bind(py).as_any().eq(o.kind.bind(py))?
            && self.detector.bind(py).as_any().eq(o.detector.bind(py))?;
        Ok(eq.into_pyobject(py)?.to_owned().into_any().unbind())
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.fields(py)?.hash()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        Ok((slf.get_type(), slf.get().fields(slf.py())?))
    }
}

impl Finding {
    /// The fields as a tuple, in the constructor's order.
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        (
            self.kind.clone_ref(py),
            self.start,
            self.end,
            self.byte_start,
            self.byte_end,
            self.score,
            self.detector.clone_ref(py),
        )
            .into_pyobject(py)
    }
}

/// Finds personal data in text, following a policy.
///
/// ``policy`` is one of:
///
/// - ``None``: the default policy (every built-in kind, threshold 0.5);
/// - a ``dict`` with the policy's fields, as in its JSON form;
/// - a ``str`` of policy text (JSON or TOML) when it contains ``{``, ``=`` or a line
///   break, otherwise the path of a policy file;
/// - a ``pathlib.Path`` (any ``os.PathLike``): a policy file, ``.json`` or ``.toml``.
///
/// Building compiles the policy and raises ``PolicyError`` naming any bad entry; after
/// that, scanning cannot fail. An engine is immutable and safe to share between threads:
/// build one and use it everywhere.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct Engine {
    pub(crate) core: lucairn_core::Engine,
    names: KindNames,
    detectors: DetectorNames,
    digest: Py<PyString>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (policy = None))]
    fn new(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Engine> {
        let policy = policy::from_py(policy)?;
        let core = lucairn_core::Engine::new(policy).map_err(|e| PolicyError::new_err(e.to_string()))?;
        Ok(Engine {
            names: KindNames::new(py, &core),
            detectors: DetectorNames::default(),
            digest: PyString::new(py, core.policy_digest()).unbind(),
            core,
        })
    }

    /// Finds personal data in ``text``.
    ///
    /// Returns the findings sorted by position; they never overlap. Texts of 8 KiB and
    /// more are scanned with the GIL released.
    #[pyo3(signature = (text, /))]
    fn scan<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let t = text::text(text, Arg::Text)?;
        let s = t.as_str();
        let found = if s.len() >= DETACH_MIN_BYTES { py.detach(|| self.core.scan(s)) } else { self.core.scan(s) };
        self.findings(py, &t, &found)
    }

    /// Scans many texts in parallel on all cores; returns one list of findings per text,
    /// in input order.
    ///
    /// ``texts`` is any iterable of ``str`` (a list, a tuple, a generator). The texts are
    /// converted first, then scanned with the GIL released, a chunk of about 1 MiB at a
    /// time (so memory stays bounded for long iterables). The number of threads is that
    /// of rayon's pool: all cores, or ``RAYON_NUM_THREADS``.
    #[pyo3(signature = (texts, /))]
    fn scan_batch<'py>(&self, py: Python<'py>, texts: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "texts must be an iterable of str, not a single str (use scan() for one text)",
            ));
        }
        let iter = texts.try_iter().map_err(|_| {
            PyTypeError::new_err(format!("texts must be an iterable of str, not {}", text::type_name(texts)))
        })?;
        let out = PyList::empty(py);
        let mut chunk: Vec<Text<'py>> = Vec::new();
        let mut bytes = 0;
        for (i, item) in iter.enumerate() {
            let t = text::text(&item?, Arg::Item(i))?;
            bytes += t.as_str().len();
            chunk.push(t);
            if bytes >= BATCH_CHUNK_BYTES {
                self.scan_chunk(py, &chunk, bytes, &out)?;
                chunk.clear();
                bytes = 0;
            }
        }
        if !chunk.is_empty() {
            self.scan_chunk(py, &chunk, bytes, &out)?;
        }
        Ok(out)
    }

    /// ``text`` with every finding replaced by ``[KIND]``.
    #[pyo3(signature = (text, /))]
    fn redact<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let t = text::text(text, Arg::Text)?;
        let s = t.as_str();
        if t.is_repaired() {
            // The engine saw U+FFFD for each lone surrogate; cut the original instead, so
            // everything but the findings is returned unchanged.
            let found = self.core.scan(s);
            return self.redact_original(py, text, &t, &found);
        }
        let out = if s.len() >= DETACH_MIN_BYTES { py.detach(|| self.core.redact(s)) } else { self.core.redact(s) };
        Ok(PyString::new(py, &out))
    }

    /// The policy digest: blake3 of the policy's canonical form, as lower-case hex.
    /// Equal policies have equal digests; certificates quote it.
    #[getter]
    fn policy_digest(&self, py: Python<'_>) -> Py<PyString> {
        self.digest.clone_ref(py)
    }

    /// The policy, as a ``dict`` in its canonical form with every field present.
    /// ``Engine(engine.policy)`` builds an equal engine.
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // Through the canonical text, so a threshold of 0.6 reads 0.6 (its shortest form),
        // not the float32 value widened to 0.6000000238418579.
        let v: serde_json::Value = serde_json::from_str(&self.core.policy().canonical_json())
            .map_err(|e| PolicyError::new_err(format!("cannot read back the policy: {e}")))?;
        policy::to_py(py, &v)
    }

    /// The names of the kinds this engine reports: built-in kinds first, in a fixed
    /// order, then the kinds the policy defines.
    #[getter]
    fn kinds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.names.enabled(&self.core).iter().map(|n| n.clone_ref(py)))
    }

    fn __repr__(&self) -> String {
        format!("<lucairn.Engine policy_digest={:?}>", self.core.policy_digest())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, (String,))> {
        Ok((slf.get_type(), (slf.get().core.policy().canonical_json(),)))
    }
}

impl Engine {
    /// Scans converted texts with the GIL released and appends their findings to `out`.
    fn scan_chunk<'py>(
        &self,
        py: Python<'py>,
        chunk: &[Text<'_>],
        bytes: usize,
        out: &Bound<'py, PyList>,
    ) -> PyResult<()> {
        let strs: Vec<&str> = chunk.iter().map(Text::as_str).collect();
        let found = py.detach(|| {
            if bytes < PARALLEL_MIN_BYTES || rayon::current_num_threads() <= 1 {
                // Handing a small batch to the pool costs more than it saves.
                strs.iter().map(|s| self.core.scan(s)).collect()
            } else {
                self.core.scan_many(&strs)
            }
        });
        for (t, f) in chunk.iter().zip(&found) {
            out.append(self.findings(py, t, f)?)?;
        }
        Ok(())
    }

    /// `[KIND]` for each finding, the rest cut from the original Python string.
    fn redact_original<'py>(
        &self,
        py: Python<'py>,
        original: &Bound<'py, PyAny>,
        text: &Text<'_>,
        found: &[lucairn_core::Finding],
    ) -> PyResult<Bound<'py, PyString>> {
        let mut ix = text.indexer();
        let parts = PyList::empty(py);
        let mut at = 0;
        for f in found {
            let (start, end) = (ix.char_index(f.span.start), ix.char_index(f.span.end));
            if start < at {
                continue;
            }
            parts.append(original.get_item(PySlice::new(py, at as isize, start as isize, 1))?)?;
            parts.append(format!("[{}]", self.core.kind_name(f.kind)))?;
            at = end;
        }
        parts.append(original.get_item(PySlice::new(py, at as isize, text.chars as isize, 1))?)?;
        let joined = PyString::new(py, "").call_method1("join", (parts,))?;
        joined.cast_into::<PyString>().map_err(PyErr::from)
    }

    /// Python findings for the findings of one text.
    fn findings<'py>(
        &self,
        py: Python<'py>,
        text: &Text<'_>,
        found: &[lucairn_core::Finding],
    ) -> PyResult<Bound<'py, PyList>> {
        let mut ix = text.indexer();
        let mut out = Vec::with_capacity(found.len());
        let mut last_score = (f32::NAN, 0.0);
        for f in found {
            let start = ix.char_index(f.span.start);
            let end = ix.char_index(f.span.end);
            if f.score.to_bits() != last_score.0.to_bits() {
                last_score = (f.score, decimal_f64(f.score));
            }
            let finding = Finding {
                kind: self.names.get(py, &self.core, f.kind),
                start,
                end,
                byte_start: f.span.start,
                byte_end: f.span.end,
                score: last_score.1,
                detector: self.detectors.get(py, f.detector),
            };
            out.push(Bound::new(py, finding)?);
        }
        PyList::new(py, out)
    }
}

/// Scans `text` `iterations` times in Rust, with the GIL released, and returns the total
/// time in seconds.
///
/// Benchmarking support (`benches/python/bench_scan.py`): the cost of the scan itself in
/// this very build, to tell it from the cost of calling `Engine.scan` from Python.
#[pyfunction]
#[pyo3(signature = (engine, text, iterations))]
pub(crate) fn _time_scan(py: Python<'_>, engine: &Engine, text: &Bound<'_, PyAny>, iterations: u64) -> PyResult<f64> {
    let t = text::text(text, Arg::Text)?;
    let s = t.as_str();
    let elapsed = py.detach(|| {
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(engine.core.scan(std::hint::black_box(s)));
        }
        start.elapsed()
    });
    Ok(elapsed.as_secs_f64())
}

/// The `f64` closest to the shortest decimal form of `x`, so a score of `0.8_f32`
/// reads `0.8` in Python rather than `0.800000011920929`.
fn decimal_f64(x: f32) -> f64 {
    let mut buf = [0u8; 32];
    let mut w = Cursor { buf: &mut buf, len: 0 };
    use std::fmt::Write;
    if write!(w, "{x}").is_ok() {
        let len = w.len;
        if let Some(v) = std::str::from_utf8(&buf[..len]).ok().and_then(|s| s.parse::<f64>().ok()) {
            return v;
        }
    }
    f64::from(x)
}

/// A `fmt::Write` into a fixed buffer, to format a float without allocating.
struct Cursor<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl std::fmt::Write for Cursor<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Kind names as Python strings, made once per engine so a finding only takes a
/// reference.
struct KindNames {
    builtin: Vec<(Kind, Py<PyString>)>,
    /// Indexed by the number of `Kind::Custom`.
    custom: Vec<Option<Py<PyString>>>,
}

impl KindNames {
    fn new(py: Python<'_>, core: &lucairn_core::Engine) -> KindNames {
        let builtin = Kind::BUILTIN.iter().map(|&k| (k, PyString::new(py, core.kind_name(k)).unbind())).collect();
        let mut custom: Vec<Option<Py<PyString>>> = Vec::new();
        for name in custom_kind_names(core) {
            if let Some(Kind::Custom(i)) = core.kind_by_name(name) {
                let i = usize::from(i);
                if custom.len() <= i {
                    custom.resize_with(i + 1, || None);
                }
                if custom[i].is_none() {
                    custom[i] = Some(PyString::new(py, name).unbind());
                }
            }
        }
        KindNames { builtin, custom }
    }

    fn get(&self, py: Python<'_>, core: &lucairn_core::Engine, kind: Kind) -> Py<PyString> {
        let known = match kind {
            Kind::Custom(i) => self.custom.get(usize::from(i)).and_then(Option::as_ref),
            k => self.builtin.iter().find(|(b, _)| *b == k).map(|(_, n)| n),
        };
        match known {
            Some(n) => n.clone_ref(py),
            None => PyString::new(py, core.kind_name(kind)).unbind(),
        }
    }

    /// Names of the enabled kinds, built-in first, then custom in order of definition.
    fn enabled(&self, core: &lucairn_core::Engine) -> Vec<&Py<PyString>> {
        let builtin = self.builtin.iter().filter(|(k, _)| core.is_enabled(*k)).map(|(_, n)| n);
        let custom = self.custom.iter().enumerate().filter_map(|(i, n)| {
            let k = Kind::Custom(u16::try_from(i).ok()?);
            if core.is_enabled(k) { n.as_ref() } else { None }
        });
        builtin.chain(custom).collect()
    }
}

/// The names of the kinds a policy defines, in order of appearance (with repeats).
fn custom_kind_names(core: &lucairn_core::Engine) -> impl Iterator<Item = &str> {
    let p = core.policy();
    let custom = p.custom.iter().map(|c| c.kind.as_str());
    let deny = p.deny.iter().map(|d| match d {
        DenyTerm::Term(_) => "DENY_LIST",
        DenyTerm::WithKind { kind, .. } => kind.as_str(),
    });
    custom.chain(deny).filter(|n| Kind::from_builtin_name(n).is_none())
}

/// Detector names as Python strings, made on first use.
#[derive(Default)]
struct DetectorNames(Mutex<Vec<(&'static str, Py<PyString>)>>);

impl DetectorNames {
    fn get(&self, py: Python<'_>, name: &'static str) -> Py<PyString> {
        // No Python code runs while the lock is held: the new string is made outside it.
        if let Ok(cache) = self.0.lock() {
            if let Some((_, s)) = cache.iter().find(|(n, _)| *n == name) {
                return s.clone_ref(py);
            }
        }
        let s = PyString::new(py, name).unbind();
        if let Ok(mut cache) = self.0.lock() {
            if !cache.iter().any(|(n, _)| *n == name) {
                cache.push((name, s.clone_ref(py)));
            }
        }
        s
    }
}
