//! `Certificate`, `PublicKey`, `SigningKey`, `CertificateBuilder` and `verify_chain`: the
//! core's certificates, translated. The format is in `docs/certificate.md`.

use std::borrow::Cow;

use lucairn_core as lc;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyList, PyString, PyType};

use crate::args;
use crate::engine::Engine;
use crate::errors::{MalformedCertificateError, cert_error, verify_error};
use crate::policy;
use crate::sanitize::{Sanitized, py_repr, pybool, records, records_from_py};
use crate::text::type_name;

/// An ed25519 public key that verifies certificates.
///
/// ``PublicKey(key)`` takes the key as 64 hex digits (``str``) or its 32 bytes; it
/// raises ``ValueError`` for anything that is not an ed25519 public key. ``key_id`` is
/// the id certificates name it by (hex of the first 8 bytes of its blake3 hash).
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct PublicKey {
    core: lc::PublicKey,
}

#[pymethods]
impl PublicKey {
    #[new]
    #[pyo3(signature = (key, /))]
    fn new(key: &Bound<'_, PyAny>) -> PyResult<PublicKey> {
        public_key(key, "key")
    }

    /// The key id: lower-case hex of the first 8 bytes of blake3 of the key.
    #[getter]
    fn key_id(&self) -> &str {
        self.core.key_id()
    }

    /// The 32 bytes of the key.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.core.to_bytes())
    }

    /// The key as 64 lower-case hex digits.
    fn to_hex(&self) -> String {
        self.core.to_hex()
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.to_bytes(py)
    }

    fn __str__(&self) -> String {
        self.core.to_hex()
    }

    fn __repr__(&self) -> String {
        format!("PublicKey('{}')", self.core.to_hex())
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        match other.cast::<PublicKey>() {
            Ok(o) => pybool(py, self.core == o.get().core),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, &self.core.to_hex()).hash()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (String,)) {
        (slf.get_type(), (slf.get().core.to_hex(),))
    }
}

/// A public key from a `PublicKey`, 64 hex digits or 32 bytes; `what` names the
/// argument.
fn public_key(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PublicKey> {
    if let Ok(k) = obj.cast::<PublicKey>() {
        return Ok(PublicKey { core: k.get().core.clone() });
    }
    let key = if let Ok(s) = obj.cast::<PyString>() {
        lc::PublicKey::from_hex(&s.to_cow()?)
    } else if let Some(b) = args::binary(obj)? {
        let b = b.as_bytes();
        let b = <[u8; 32]>::try_from(b)
            .map_err(|_| PyValueError::new_err(format!("{what} must be 32 bytes long, not {}", b.len())))?;
        lc::PublicKey::from_bytes(&b)
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a PublicKey, 64 hex digits (str) or 32 bytes, not {}",
            type_name(obj)
        )));
    };
    key.map(|core| PublicKey { core }).map_err(|e| match e {
        lc::VerifyError::Malformed(m) => PyValueError::new_err(format!("{what}: {m}")),
        e => PyValueError::new_err(format!("{what}: {e}")),
    })
}

/// The `public_keys` argument: one key, or an iterable of keys.
fn public_keys(obj: &Bound<'_, PyAny>) -> PyResult<Vec<lc::PublicKey>> {
    let single = obj.cast::<PublicKey>().is_ok() || obj.is_instance_of::<PyString>() || args::binary(obj)?.is_some();
    if single {
        return Ok(vec![public_key(obj, "public_keys")?.core]);
    }
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "public_keys must be a PublicKey, a key in hex or bytes, or an iterable of them, not {}",
            type_name(obj)
        ))
    })?;
    let mut out = Vec::new();
    for (i, k) in iter.enumerate() {
        out.push(public_key(&k?, &format!("public_keys[{i}]"))?.core);
    }
    Ok(out)
}

/// An ed25519 key that signs certificates.
///
/// ``SigningKey(seed)`` is the key with that 32-byte seed (the ed25519 secret key, as
/// stored); ``SigningKey.generate()`` makes a new one from the operating system's
/// randomness. Its ``repr`` shows only the key id.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct SigningKey {
    core: lc::SigningKey,
}

#[pymethods]
impl SigningKey {
    #[new]
    #[pyo3(signature = (seed, /))]
    fn new(seed: &Bound<'_, PyAny>) -> PyResult<SigningKey> {
        let seed = args::key32(seed, "seed")?;
        Ok(SigningKey { core: lc::SigningKey::from_seed(&seed) })
    }

    /// A new key from the operating system's randomness.
    #[classmethod]
    fn generate(_cls: &Bound<'_, PyType>) -> PyResult<SigningKey> {
        lc::SigningKey::generate().map(|core| SigningKey { core }).map_err(cert_error)
    }

    /// The 32-byte seed, to store the key. Keep it secret.
    #[getter]
    fn seed<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.core.seed())
    }

    /// The public key that verifies this key's signatures.
    #[getter]
    fn public_key(&self) -> PublicKey {
        PublicKey { core: self.core.public_key().clone() }
    }

    /// The key id (see ``PublicKey.key_id``).
    #[getter]
    fn key_id(&self) -> &str {
        self.core.key_id()
    }

    fn __repr__(&self) -> String {
        format!("<lucairn.SigningKey key_id='{}'>", self.core.key_id())
    }
}

/// A signed certificate: proof of what was sanitised in a request, without any value.
///
/// ``Certificate.from_json(text)`` reads one (raising ``MalformedCertificateError`` if
/// it is not a certificate); ``verify(public_keys)`` checks it. The fields of the JSON
/// document are attributes: ``version``, ``id``, ``issuer``, ``key_id``, ``issued_at``,
/// ``engine_version``, ``policy_digest``, ``request_digest``, ``response_digest`` (or
/// ``None``), ``previous`` (or ``None``), ``findings`` and ``output_findings`` (lists of
/// ``FindingRecord``), ``counts`` and ``signature``. The format is in
/// ``docs/certificate.md``.
///
/// Certificates are immutable, comparable and picklable.
#[pyclass(module = "lucairn", frozen)]
pub(crate) struct Certificate {
    core: lc::Certificate,
}

#[pymethods]
impl Certificate {
    /// Reads a certificate from its JSON (``str`` or UTF-8 ``bytes``), pretty-printed or
    /// not. Only the document's shape is checked here; ``verify`` checks the rest.
    #[classmethod]
    #[pyo3(signature = (json, /))]
    fn from_json(_cls: &Bound<'_, PyType>, json: &Bound<'_, PyAny>) -> PyResult<Certificate> {
        parse(&json_text(json, "json")?).map(|core| Certificate { core })
    }

    /// Checks the certificate: its format, then its signature with the key among
    /// ``public_keys`` (one key, or several, as ``PublicKey``, hex or bytes) whose id it
    /// names. Returns the certificate; raises ``UnknownKeyError``,
    /// ``BadSignatureError`` or ``MalformedCertificateError``.
    #[pyo3(signature = (public_keys, /))]
    fn verify<'py>(slf: &Bound<'py, Self>, public_keys: &Bound<'py, PyAny>) -> PyResult<Bound<'py, Self>> {
        let py = slf.py();
        let keys = self::public_keys(public_keys)?;
        let cert = &slf.get().core;
        py.detach(|| cert.verify(&keys)).map_err(|e| verify_error(py, e))?;
        Ok(slf.clone())
    }

    /// The certificate as canonical JSON (RFC 8785), signature included: the form to
    /// publish and store.
    fn to_json(&self) -> String {
        self.core.to_json()
    }

    /// The certificate as a ``dict``, as in its JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v: serde_json::Value = serde_json::from_str(&self.core.to_json())
            .map_err(|e| MalformedCertificateError::new_err(e.to_string()))?;
        policy::to_py(py, &v)
    }

    /// The bytes the signature covers: the canonical JSON without ``signature``.
    fn signing_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.core.signing_bytes())
    }

    /// The certificate's digest, which the next certificate of a chain quotes as
    /// ``previous``: blake3 of ``to_json()``, lower-case hex.
    fn digest(&self) -> String {
        self.core.digest()
    }

    /// Format version (1).
    #[getter]
    fn version(&self) -> u32 {
        self.core.version
    }

    /// 128 random bits, 32 lower-case hex digits.
    #[getter]
    fn id(&self) -> &str {
        &self.core.id
    }

    /// Who issued it (the gateway's public name).
    #[getter]
    fn issuer(&self) -> &str {
        &self.core.issuer
    }

    /// Id of the signing key.
    #[getter]
    fn key_id(&self) -> &str {
        &self.core.key_id
    }

    /// When, as RFC 3339 UTC (``2025-03-01T12:00:00Z``).
    #[getter]
    fn issued_at(&self) -> &str {
        &self.core.issued_at
    }

    /// Version of the engine that sanitised.
    #[getter]
    fn engine_version(&self) -> &str {
        &self.core.engine_version
    }

    /// blake3 of the policy's canonical form, hex (``Engine.policy_digest``).
    #[getter]
    fn policy_digest(&self) -> &str {
        &self.core.policy_digest
    }

    /// blake3 of the exact bytes sent upstream, hex.
    #[getter]
    fn request_digest(&self) -> &str {
        &self.core.request_digest
    }

    /// blake3 of the exact bytes of the upstream answer, hex, or ``None``.
    #[getter]
    fn response_digest(&self) -> Option<&str> {
        self.core.response_digest.as_deref()
    }

    /// How the upstream call failed, as ``{"status": int | None, "kind": str}``, or
    /// ``None`` when it did not (see ``docs/certificate.md`` for the kinds).
    #[getter]
    fn upstream_error<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(e) = &self.core.upstream_error else { return Ok(None) };
        let d = PyDict::new(py);
        d.set_item("status", e.status)?;
        d.set_item("kind", &e.kind)?;
        Ok(Some(d))
    }

    /// ``digest()`` of the previous certificate of the chain, or ``None`` for the first.
    #[getter]
    fn previous(&self) -> Option<&str> {
        self.core.previous.as_deref()
    }

    /// What was replaced in the inputs.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        records(py, self.core.findings.clone())
    }

    /// What was replaced in the answer.
    #[getter]
    fn output_findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        records(py, self.core.output_findings.clone())
    }

    /// Number of ``findings`` per kind.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.core.counts.clone().into_pyobject(py)
    }

    /// ed25519 signature, 128 lower-case hex digits.
    #[getter]
    fn signature(&self) -> &str {
        &self.core.signature
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        match other.cast::<Certificate>() {
            Ok(o) => pybool(py, self.core == o.get().core),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = &self.core;
        Ok(format!(
            "<lucairn.Certificate id={} issuer={} issued_at={} key_id={}>",
            py_repr(py, &c.id)?,
            py_repr(py, &c.issuer)?,
            py_repr(py, &c.issued_at)?,
            py_repr(py, &c.key_id)?
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().core.to_json(),)))
    }
}

/// A JSON text from a `str` or UTF-8 `bytes`; `what` names the argument.
fn json_text<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Cow<'py, str>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_cow().map(|c| Cow::Owned(c.into_owned()));
    }
    if let Some(b) = args::binary(obj)? {
        return String::from_utf8(b.as_bytes().to_vec())
            .map(Cow::Owned)
            .map_err(|_| MalformedCertificateError::new_err("malformed certificate: not UTF-8"));
    }
    Err(PyTypeError::new_err(format!("{what} must be str or bytes, not {}", type_name(obj))))
}

fn parse(json: &str) -> PyResult<lc::Certificate> {
    serde_json::from_str(json)
        .map_err(|e| MalformedCertificateError::new_err(lc::VerifyError::Malformed(e.to_string()).to_string()))
}

/// Verifies the certificates of a chain, given oldest first (JSON ``str`` or ``bytes``,
/// or ``Certificate``): each one as ``Certificate.verify`` does, and each one's
/// ``previous`` against the digest of the one before it. Returns the certificates;
/// raises ``ChainBreakError`` (its ``index`` is the first certificate that does not
/// quote its predecessor) or the errors of ``Certificate.verify``.
#[pyfunction]
#[pyo3(signature = (certificates, public_keys))]
pub(crate) fn verify_chain<'py>(
    py: Python<'py>,
    certificates: &Bound<'py, PyAny>,
    public_keys: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    if certificates.is_instance_of::<PyString>() || certificates.cast::<Certificate>().is_ok() {
        return Err(PyTypeError::new_err("certificates must be an iterable of certificates, not a single one"));
    }
    let iter = certificates.try_iter().map_err(|_| {
        PyTypeError::new_err(format!("certificates must be an iterable, not {}", type_name(certificates)))
    })?;
    let mut jsons: Vec<String> = Vec::new();
    for (i, c) in iter.enumerate() {
        let c = c?;
        match c.cast::<Certificate>() {
            Ok(c) => jsons.push(c.get().core.to_json()),
            Err(_) => jsons.push(json_text(&c, &format!("certificates[{i}]"))?.into_owned()),
        }
    }
    let keys = self::public_keys(public_keys)?;
    let certs = py.detach(|| lc::verify_chain(&jsons, &keys)).map_err(|e| verify_error(py, e))?;
    PyList::new(py, certs.into_iter().map(|core| Certificate { core }))
}

/// Builds and signs a certificate.
///
/// ``CertificateBuilder(issuer, issued_at=None)`` starts one; ``issued_at`` is RFC 3339
/// UTC text, seconds since the Unix epoch (``int``), or ``None`` for now. Each method
/// sets a field and returns the builder, so calls chain; ``sign(key)`` makes the
/// certificate:
///
/// >>> import lucairn
/// >>> engine = lucairn.Engine()
/// >>> s = lucairn.Sanitizer(engine)
/// >>> sent = s.sanitize("mail ana@example.org")
/// >>> key = lucairn.SigningKey(bytes(32))
/// >>> cert = (lucairn.CertificateBuilder("gateway.example", "2025-03-01T12:00:00Z")
/// ...     .engine(engine).sanitized(s.finish()).request(sent).sign(key))
/// >>> cert.verify(key.public_key).counts
/// {'EMAIL_ADDRESS': 1}
#[pyclass(module = "lucairn")]
pub(crate) struct CertificateBuilder {
    core: lc::CertificateBuilder,
}

#[pymethods]
impl CertificateBuilder {
    #[new]
    #[pyo3(signature = (issuer, issued_at = None))]
    fn new(issuer: Cow<'_, str>, issued_at: Option<&Bound<'_, PyAny>>) -> PyResult<CertificateBuilder> {
        let at = match issued_at.filter(|a| !a.is_none()) {
            None => lc::rfc3339_utc(now()),
            Some(a) if a.is_instance_of::<PyString>() => a.extract::<String>()?,
            Some(a) if a.is_instance_of::<PyInt>() && !a.is_instance_of::<PyBool>() => {
                lc::rfc3339_utc(a.extract::<i64>()?)
            }
            Some(a) => {
                return Err(PyTypeError::new_err(format!(
                    "issued_at must be RFC 3339 text, seconds since the epoch (int) or None, not {}",
                    type_name(a)
                )));
            }
        };
        Ok(CertificateBuilder { core: lc::CertificateBuilder::new(issuer, at) })
    }

    /// Quotes the engine's version and policy digest.
    #[pyo3(signature = (engine, /))]
    fn engine<'py>(mut slf: PyRefMut<'py, Self>, engine: PyRef<'py, Engine>) -> PyRefMut<'py, Self> {
        slf.core.engine(&engine.core);
        slf
    }

    /// Sets the engine version (the default is this package's).
    #[pyo3(signature = (version, /))]
    fn engine_version<'py>(mut slf: PyRefMut<'py, Self>, version: Cow<'_, str>) -> PyRefMut<'py, Self> {
        slf.core.engine_version(version);
        slf
    }

    /// Sets the policy digest (hex).
    #[pyo3(signature = (digest, /))]
    fn policy_digest<'py>(mut slf: PyRefMut<'py, Self>, digest: Cow<'_, str>) -> PyRefMut<'py, Self> {
        slf.core.policy_digest(digest);
        slf
    }

    /// Takes the records of a finished sanitisation (``Sanitizer.finish()``).
    #[pyo3(signature = (sanitized, /))]
    fn sanitized<'py>(mut slf: PyRefMut<'py, Self>, sanitized: PyRef<'py, Sanitized>) -> PyRefMut<'py, Self> {
        slf.core.sanitized(&sanitized.core);
        slf
    }

    /// Sets the records of the inputs (``FindingRecord`` objects).
    #[pyo3(signature = (records, /))]
    fn findings<'py>(mut slf: PyRefMut<'py, Self>, records: &Bound<'py, PyAny>) -> PyResult<PyRefMut<'py, Self>> {
        let rs = records_from_py(records, "records")?;
        slf.core.findings(rs);
        Ok(slf)
    }

    /// Sets the records of the answer (``FindingRecord`` objects).
    #[pyo3(signature = (records, /))]
    fn output_findings<'py>(
        mut slf: PyRefMut<'py, Self>,
        records: &Bound<'py, PyAny>,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let rs = records_from_py(records, "records")?;
        slf.core.output_findings(rs);
        Ok(slf)
    }

    /// The exact bytes sent upstream (a ``str`` is taken as UTF-8); their blake3 digest
    /// is recorded.
    #[pyo3(signature = (data, /))]
    fn request<'py>(mut slf: PyRefMut<'py, Self>, data: &Bound<'py, PyAny>) -> PyResult<PyRefMut<'py, Self>> {
        with_data(data, |b| {
            slf.core.request(b);
        })?;
        Ok(slf)
    }

    /// The exact bytes of the upstream answer (a ``str`` is taken as UTF-8); their
    /// blake3 digest is recorded.
    #[pyo3(signature = (data, /))]
    fn response<'py>(mut slf: PyRefMut<'py, Self>, data: &Bound<'py, PyAny>) -> PyResult<PyRefMut<'py, Self>> {
        with_data(data, |b| {
            slf.core.response(b);
        })?;
        Ok(slf)
    }

    /// Records that the upstream call failed: ``status`` is the HTTP status it answered
    /// with (400 to 599) or ``None``, ``kind`` what failed (1 to 64 characters from
    /// ``a-z``, ``0-9`` and ``_``; checked when signing). No message text.
    #[pyo3(signature = (status, kind, /))]
    fn upstream_error<'py>(mut slf: PyRefMut<'py, Self>, status: Option<u16>, kind: String) -> PyRefMut<'py, Self> {
        slf.core.upstream_error(status, kind);
        slf
    }

    /// The previous certificate of the chain (a ``Certificate``, or its ``digest()``),
    /// or ``None`` for the first.
    #[pyo3(signature = (previous, /))]
    fn previous<'py>(mut slf: PyRefMut<'py, Self>, previous: &Bound<'py, PyAny>) -> PyResult<PyRefMut<'py, Self>> {
        let digest = if previous.is_none() {
            None
        } else if let Ok(c) = previous.cast::<Certificate>() {
            Some(c.get().core.digest())
        } else if let Ok(s) = previous.cast::<PyString>() {
            Some(s.to_cow()?.into_owned())
        } else {
            return Err(PyTypeError::new_err(format!(
                "previous must be a Certificate, its digest (str) or None, not {}",
                type_name(previous)
            )));
        };
        slf.core.previous(digest);
        Ok(slf)
    }

    /// Uses this 16-byte id instead of a random one (for test vectors).
    #[pyo3(signature = (id, /))]
    fn id<'py>(mut slf: PyRefMut<'py, Self>, id: &Bound<'py, PyAny>) -> PyResult<PyRefMut<'py, Self>> {
        let Some(b) = args::binary(id)? else {
            return Err(PyTypeError::new_err(format!("id must be bytes, not {}", type_name(id))));
        };
        let b = b.as_bytes();
        let id = <[u8; 16]>::try_from(b)
            .map_err(|_| PyValueError::new_err(format!("id must be 16 bytes long, not {}", b.len())))?;
        slf.core.id(id);
        Ok(slf)
    }

    /// Signs the certificate with ``key``; raises ``MalformedCertificateError`` naming a
    /// field in the wrong format (such as a policy digest that is not 64 hex digits).
    #[pyo3(signature = (key, /))]
    fn sign(&self, key: PyRef<'_, SigningKey>) -> PyResult<Certificate> {
        self.core.sign(&key.core).map(|core| Certificate { core }).map_err(cert_error)
    }

    fn __repr__(&self) -> String {
        "<lucairn.CertificateBuilder>".to_string()
    }
}

/// Calls `f` with the bytes of `data` (`bytes`, `bytearray`, `memoryview`, or a `str`
/// as strict UTF-8).
fn with_data(data: &Bound<'_, PyAny>, f: impl FnOnce(&[u8])) -> PyResult<()> {
    if let Ok(s) = data.cast::<PyString>() {
        f(s.to_cow()?.as_bytes());
        return Ok(());
    }
    match args::binary(data)? {
        Some(b) => {
            f(b.as_bytes());
            Ok(())
        }
        None => Err(PyTypeError::new_err(format!("data must be bytes or str, not {}", type_name(data)))),
    }
}

/// Seconds since the Unix epoch, now.
fn now() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}
