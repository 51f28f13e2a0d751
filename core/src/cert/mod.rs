//! Signed certificates: proof of what was sanitised in a request.
//!
//! The format is documented on [`Certificate`] and in `docs/certificate.md`.

use std::collections::BTreeMap;
use std::fmt;

use ed25519_dalek::Signer;
use serde::{Deserialize, Serialize};

use crate::Engine;
use crate::sanitize::{FindingRecord, Sanitized, counts};

mod canonical;

/// The certificate format version this crate writes and verifies.
pub const CERTIFICATE_VERSION: u32 = 1;

/// The version of this engine, as certificates quote it.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The key id of an ed25519 public key: lower-case hex of the first 8 bytes of the blake3
/// hash of its 32 bytes.
pub fn key_id(public_key: &[u8; 32]) -> String {
    hex::encode(&blake3::hash(public_key).as_bytes()[..8])
}

/// An ed25519 key that signs certificates.
///
/// Make one from operating-system randomness with [`SigningKey::generate`], or from a
/// stored 32-byte seed with [`SigningKey::from_seed`]. Several keys may be in use at once
/// (rotation): each certificate names its key by [`key_id`].
#[derive(Clone)]
pub struct SigningKey {
    key: ed25519_dalek::SigningKey,
    public: PublicKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("key_id", &self.public.id).finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new key from the operating system's randomness.
    pub fn generate() -> Result<SigningKey, CertError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|_| CertError::Random)?;
        Ok(SigningKey::from_seed(&seed))
    }

    /// The key with this 32-byte seed (the ed25519 secret key).
    pub fn from_seed(seed: &[u8; 32]) -> SigningKey {
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        let vk = key.verifying_key();
        let public = PublicKey { id: key_id(vk.as_bytes()), key: vk };
        SigningKey { key, public }
    }

    /// The seed, to store the key.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The public key that verifies this key's signatures.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The key id (see [`key_id`]).
    pub fn key_id(&self) -> &str {
        &self.public.id
    }
}

/// An ed25519 public key that verifies certificates. Serialises as 64 lower-case hex
/// digits.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: ed25519_dalek::VerifyingKey,
    id: String,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey").field("key_id", &self.id).field("hex", &self.to_hex()).finish()
    }
}

impl PublicKey {
    /// A public key from its 32 bytes; fails if they are not a valid curve point.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<PublicKey, VerifyError> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map_err(|_| VerifyError::Malformed("public key is not a valid ed25519 point".into()))?;
        Ok(PublicKey { id: key_id(bytes), key })
    }

    /// A public key from 64 hex digits.
    pub fn from_hex(s: &str) -> Result<PublicKey, VerifyError> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut b)
            .map_err(|_| VerifyError::Malformed("public key must be 64 hex digits".into()))?;
        PublicKey::from_bytes(&b)
    }

    /// The 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The 32 bytes as lower-case hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.key.as_bytes())
    }

    /// The key id (see [`key_id`]).
    pub fn key_id(&self) -> &str {
        &self.id
    }
}

impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PublicKey, D::Error> {
        let s = String::deserialize(d)?;
        PublicKey::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// A signed certificate.
///
/// A [`Certificate`] is a JSON document signed with ed25519 over its canonical form
/// (RFC 8785 JSON canonicalisation of the document without its `signature` member). It
/// records, without revealing any value: who issued it with which key, when, the engine
/// version and policy digest, the blake3 digest of the exact bytes sent upstream and of
/// the answer, one [`FindingRecord`] per replaced value (with a keyed digest of the value,
/// never the value), counts per kind, and the digest of the previous certificate, which
/// chains a tenant's certificates so that removing or editing one is detected.
///
/// The format is specified in `docs/certificate.md`; `testdata/certificate/` holds test
/// vectors.
///
/// Every field is public so callers can read it; a certificate built or changed by hand
/// only verifies if it is signed again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Format version, [`CERTIFICATE_VERSION`].
    pub version: u32,
    /// 128 random bits, 32 lower-case hex digits.
    pub id: String,
    /// Who issued it (the gateway's public name).
    pub issuer: String,
    /// Id of the signing key (see [`key_id`]).
    pub key_id: String,
    /// When, as RFC 3339 UTC: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
    pub issued_at: String,
    /// Version of the engine that sanitised.
    pub engine_version: String,
    /// blake3 digest of the policy's canonical form, hex.
    pub policy_digest: String,
    /// blake3 digest of the exact bytes sent upstream, hex.
    pub request_digest: String,
    /// blake3 digest of the exact bytes of the upstream answer, hex; `null` if none.
    pub response_digest: Option<String>,
    /// [`Certificate::digest`] of the previous certificate in the chain; `null` for the first.
    pub previous: Option<String>,
    /// What was replaced in the inputs.
    pub findings: Vec<FindingRecord>,
    /// What was replaced in the answer.
    pub output_findings: Vec<FindingRecord>,
    /// Number of `findings` per kind.
    pub counts: BTreeMap<String, u64>,
    /// What went wrong with the upstream, if anything: an error status, no answer, or a
    /// streamed answer that broke off. Absent (not `null`) when nothing went wrong, so
    /// certificates without it keep their canonical form and signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_error: Option<UpstreamError>,
    /// ed25519 signature of [`signing_bytes`](Certificate::signing_bytes), 128 lower-case hex digits.
    pub signature: String,
}

/// An upstream failure as a certificate records it: no message text, only a status and
/// a short code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpstreamError {
    /// The HTTP status the upstream answered with (`400` to `599`), or `null` when the
    /// failure is not an error status (no answer at all, a stream that broke off).
    pub status: Option<u16>,
    /// What failed, 1 to 64 characters from `a-z`, `0-9` and `_`: the gateway writes
    /// `http_status`, `unreachable`, `timeout`, `invalid_response`, `stream_broken`,
    /// `stream_idle_timeout`, `stream_invalid`, `stream_ended_early` and
    /// `stream_error_event`.
    pub kind: String,
}

impl UpstreamError {
    fn check(&self) -> Result<(), String> {
        let k = &self.kind;
        if k.is_empty() || k.len() > 64 || !k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err("upstream_error.kind: must be 1 to 64 characters from a-z, 0-9 and _".into());
        }
        if self.status.is_some_and(|s| !(400..=599).contains(&s)) {
            return Err("upstream_error.status: must be an HTTP error status (400 to 599) or null".into());
        }
        Ok(())
    }
}

impl Certificate {
    /// Writes the canonical JSON (RFC 8785) directly: members in sorted order, strings
    /// escaped by [`canonical::string`], integers in decimal. Equal to running the
    /// generic canonicaliser over the serde form (a unit test checks it).
    fn canonical(&self, with_signature: bool) -> Vec<u8> {
        let mut o = Vec::with_capacity(512 + 320 * (self.findings.len() + self.output_findings.len()));
        let s = canonical::string;
        let num = |o: &mut Vec<u8>, n: u64| o.extend_from_slice(n.to_string().as_bytes());
        let opt = |o: &mut Vec<u8>, v: &Option<String>| match v {
            Some(v) => s(v, o),
            None => o.extend_from_slice(b"null"),
        };
        let records = |o: &mut Vec<u8>, rs: &[FindingRecord]| {
            o.push(b'[');
            for (i, r) in rs.iter().enumerate() {
                if i > 0 {
                    o.push(b',');
                }
                o.extend_from_slice(b"{\"end\":");
                num(o, r.end);
                o.extend_from_slice(b",\"kind\":");
                s(&r.kind, o);
                o.extend_from_slice(b",\"location\":{\"field\":");
                s(&r.location.field, o);
                o.extend_from_slice(b",\"message\":");
                num(o, u64::from(r.location.message));
                o.extend_from_slice(b"},\"placeholder\":");
                s(&r.placeholder, o);
                o.extend_from_slice(b",\"start\":");
                num(o, r.start);
                o.extend_from_slice(b",\"value_digest\":");
                s(&r.value_digest, o);
                o.push(b'}');
            }
            o.push(b']');
        };
        o.extend_from_slice(b"{\"counts\":{");
        let mut counts: Vec<(&String, &u64)> = self.counts.iter().collect();
        counts.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        for (i, (k, v)) in counts.into_iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            s(k, &mut o);
            o.push(b':');
            num(&mut o, *v);
        }
        o.extend_from_slice(b"},\"engine_version\":");
        s(&self.engine_version, &mut o);
        o.extend_from_slice(b",\"findings\":");
        records(&mut o, &self.findings);
        o.extend_from_slice(b",\"id\":");
        s(&self.id, &mut o);
        o.extend_from_slice(b",\"issued_at\":");
        s(&self.issued_at, &mut o);
        o.extend_from_slice(b",\"issuer\":");
        s(&self.issuer, &mut o);
        o.extend_from_slice(b",\"key_id\":");
        s(&self.key_id, &mut o);
        o.extend_from_slice(b",\"output_findings\":");
        records(&mut o, &self.output_findings);
        o.extend_from_slice(b",\"policy_digest\":");
        s(&self.policy_digest, &mut o);
        o.extend_from_slice(b",\"previous\":");
        opt(&mut o, &self.previous);
        o.extend_from_slice(b",\"request_digest\":");
        s(&self.request_digest, &mut o);
        o.extend_from_slice(b",\"response_digest\":");
        opt(&mut o, &self.response_digest);
        if with_signature {
            o.extend_from_slice(b",\"signature\":");
            s(&self.signature, &mut o);
        }
        if let Some(e) = &self.upstream_error {
            o.extend_from_slice(b",\"upstream_error\":{\"kind\":");
            s(&e.kind, &mut o);
            o.extend_from_slice(b",\"status\":");
            match e.status {
                Some(st) => num(&mut o, u64::from(st)),
                None => o.extend_from_slice(b"null"),
            }
            o.push(b'}');
        }
        o.extend_from_slice(b",\"version\":");
        num(&mut o, u64::from(self.version));
        o.push(b'}');
        o
    }

    /// The bytes the signature covers: the canonical JSON (RFC 8785) of the certificate
    /// without its `signature` member.
    pub fn signing_bytes(&self) -> Vec<u8> {
        self.canonical(false)
    }

    /// The certificate as canonical JSON (RFC 8785), signature included: the form to
    /// publish and store.
    pub fn to_json(&self) -> String {
        // Canonical JSON of valid strings is valid UTF-8.
        String::from_utf8(self.canonical(true)).unwrap_or_default()
    }

    /// The certificate's digest, which the next certificate of the chain quotes as
    /// `previous`: lower-case hex of blake3 of [`to_json`](Certificate::to_json).
    pub fn digest(&self) -> String {
        blake3::hash(&self.canonical(true)).to_hex().to_string()
    }

    /// Checks the signature against the key among `keys` whose id the certificate names.
    pub fn verify(&self, keys: &[PublicKey]) -> Result<(), VerifyError> {
        self.check_format()?;
        let key = keys
            .iter()
            .find(|k| k.id == self.key_id)
            .ok_or_else(|| VerifyError::UnknownKey { key_id: self.key_id.clone() })?;
        let mut sig = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut sig)
            .map_err(|_| VerifyError::Malformed("signature must be 128 hex digits".into()))?;
        let sig = ed25519_dalek::Signature::from_bytes(&sig);
        key.key.verify_strict(&self.signing_bytes(), &sig).map_err(|_| VerifyError::BadSignature)
    }

    fn check_format(&self) -> Result<(), VerifyError> {
        if self.version != CERTIFICATE_VERSION {
            return Err(VerifyError::UnsupportedVersion(self.version));
        }
        let bad = |field: &str, what: &str| Err(VerifyError::Malformed(format!("{field}: {what}")));
        if !is_hex(&self.id, 32) {
            return bad("id", "must be 32 lower-case hex digits");
        }
        if !is_hex(&self.key_id, 16) {
            return bad("key_id", "must be 16 lower-case hex digits");
        }
        if !is_rfc3339_utc(&self.issued_at) {
            return bad("issued_at", "must be RFC 3339 UTC (YYYY-MM-DDTHH:MM:SSZ)");
        }
        for (field, d) in [
            ("policy_digest", Some(&self.policy_digest)),
            ("request_digest", Some(&self.request_digest)),
            ("response_digest", self.response_digest.as_ref()),
            ("previous", self.previous.as_ref()),
        ] {
            if d.is_some_and(|d| !is_hex(d, 64)) {
                return bad(field, "must be 64 lower-case hex digits");
            }
        }
        for r in self.findings.iter().chain(&self.output_findings) {
            if r.start > r.end || !is_hex(&r.value_digest, 64) {
                return bad("findings", "a record has a bad span or value digest");
            }
        }
        if counts(&self.findings) != self.counts {
            return bad("counts", "do not match the findings");
        }
        if let Some(e) = &self.upstream_error {
            e.check().map_err(VerifyError::Malformed)?;
        }
        if !is_hex(&self.signature, 128) {
            return bad("signature", "must be 128 lower-case hex digits");
        }
        Ok(())
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// True for `YYYY-MM-DDTHH:MM:SS[.1 to 9 digits]Z` with fields in range.
fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u32> {
        let d = &b[r];
        if d.iter().all(u8::is_ascii_digit) {
            Some(d.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
        } else {
            None
        }
    };
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) =
        (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16), num(17..19))
    else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&mo) || d < 1 || d > days[(mo - 1) as usize] || h > 23 || mi > 59 || se > 60 {
        return false;
    }
    let rest = &b[19..];
    match rest {
        [b'Z'] => true,
        [b'.', frac @ .., b'Z'] => (1..=9).contains(&frac.len()) && frac.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC (`2025-03-01T12:00:00Z`), the
/// form `issued_at` takes. The engine reads no clock: callers pass the time.
pub fn rfc3339_utc(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Civil date from days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Builds and signs a [`Certificate`].
///
/// ```
/// use lucairn_core::{CertificateBuilder, Engine, Location, Sanitizer, SigningKey, verify};
///
/// let engine = Engine::default();
/// let mut s = Sanitizer::new(&engine);
/// let sent = s.sanitize(Location::new(0, "content"), "mail ana@example.org");
/// let done = s.finish();
///
/// let key = SigningKey::from_seed(&[7; 32]);
/// let cert = CertificateBuilder::new("gateway.example", "2025-03-01T12:00:00Z")
///     .engine(&engine)
///     .sanitized(&done)
///     .request(sent.as_bytes())
///     .response(b"answer bytes")
///     .sign(&key)?;
/// let json = cert.to_json();
/// let checked = verify(&json, &[key.public_key().clone()])?;
/// assert_eq!(checked.counts["EMAIL_ADDRESS"], 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CertificateBuilder {
    issuer: String,
    issued_at: String,
    engine_version: String,
    policy_digest: String,
    request_digest: String,
    response_digest: Option<String>,
    previous: Option<String>,
    findings: Vec<FindingRecord>,
    output_findings: Vec<FindingRecord>,
    upstream_error: Option<UpstreamError>,
    id: Option<[u8; 16]>,
}

fn digest_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

impl CertificateBuilder {
    /// A builder for a certificate of `issuer` issued at `issued_at` (RFC 3339 UTC, see
    /// [`rfc3339_utc`]). The engine version defaults to this crate's.
    pub fn new(issuer: impl Into<String>, issued_at: impl Into<String>) -> CertificateBuilder {
        CertificateBuilder {
            issuer: issuer.into(),
            issued_at: issued_at.into(),
            engine_version: ENGINE_VERSION.to_string(),
            ..CertificateBuilder::default()
        }
    }

    /// Quotes the engine's version and policy digest.
    pub fn engine(&mut self, engine: &Engine) -> &mut CertificateBuilder {
        self.engine_version = ENGINE_VERSION.to_string();
        self.policy_digest = engine.policy_digest().to_string();
        self
    }

    /// Sets the engine version directly (the default is this crate's).
    pub fn engine_version(&mut self, version: impl Into<String>) -> &mut CertificateBuilder {
        self.engine_version = version.into();
        self
    }

    /// Sets the policy digest (hex) directly.
    pub fn policy_digest(&mut self, digest: impl Into<String>) -> &mut CertificateBuilder {
        self.policy_digest = digest.into();
        self
    }

    /// Takes the records of a finished sanitisation.
    pub fn sanitized(&mut self, s: &Sanitized) -> &mut CertificateBuilder {
        self.findings = s.findings.clone();
        self.output_findings = s.output_findings.clone();
        self
    }

    /// Sets the records of the inputs.
    pub fn findings(&mut self, records: Vec<FindingRecord>) -> &mut CertificateBuilder {
        self.findings = records;
        self
    }

    /// Sets the records of the answer.
    pub fn output_findings(&mut self, records: Vec<FindingRecord>) -> &mut CertificateBuilder {
        self.output_findings = records;
        self
    }

    /// The exact bytes sent upstream (their blake3 digest is recorded).
    pub fn request(&mut self, bytes: &[u8]) -> &mut CertificateBuilder {
        self.request_digest = digest_hex(bytes);
        self
    }

    /// The exact bytes of the upstream answer (their blake3 digest is recorded).
    pub fn response(&mut self, bytes: &[u8]) -> &mut CertificateBuilder {
        self.response_digest = Some(digest_hex(bytes));
        self
    }

    /// The digest of the previous certificate of the chain ([`Certificate::digest`]).
    pub fn previous(&mut self, digest: Option<String>) -> &mut CertificateBuilder {
        self.previous = digest;
        self
    }

    /// Records that the upstream failed: with the HTTP error `status` it answered with
    /// (`None`: no error status, as for a stream that broke off) and a short `kind` (see
    /// [`UpstreamError::kind`]). No message text: messages can hold personal data.
    pub fn upstream_error(&mut self, status: Option<u16>, kind: impl Into<String>) -> &mut CertificateBuilder {
        self.upstream_error = Some(UpstreamError { status, kind: kind.into() });
        self
    }

    /// Uses this id instead of a random one (for test vectors).
    pub fn id(&mut self, id: [u8; 16]) -> &mut CertificateBuilder {
        self.id = Some(id);
        self
    }

    /// Signs the certificate with `key`.
    pub fn sign(&self, key: &SigningKey) -> Result<Certificate, CertError> {
        let id = match self.id {
            Some(id) => id,
            None => {
                let mut id = [0u8; 16];
                getrandom::getrandom(&mut id).map_err(|_| CertError::Random)?;
                id
            }
        };
        let mut cert = Certificate {
            version: CERTIFICATE_VERSION,
            id: hex::encode(id),
            issuer: self.issuer.clone(),
            key_id: key.key_id().to_string(),
            issued_at: self.issued_at.clone(),
            engine_version: self.engine_version.clone(),
            policy_digest: self.policy_digest.clone(),
            request_digest: self.request_digest.clone(),
            response_digest: self.response_digest.clone(),
            previous: self.previous.clone(),
            counts: counts(&self.findings),
            findings: self.findings.clone(),
            output_findings: self.output_findings.clone(),
            upstream_error: self.upstream_error.clone(),
            signature: "0".repeat(128),
        };
        if let Err(VerifyError::Malformed(m)) = cert.check_format() {
            return Err(CertError::Invalid(m));
        }
        let sig = key.key.sign(&cert.signing_bytes());
        cert.signature = hex::encode(sig.to_bytes());
        Ok(cert)
    }
}

/// Parses a certificate (JSON) and checks its signature with the key among `keys` that it
/// names. Keys of several generations may be passed at once.
pub fn verify(json: &str, keys: &[PublicKey]) -> Result<Certificate, VerifyError> {
    let cert: Certificate = serde_json::from_str(json).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    cert.verify(keys)?;
    Ok(cert)
}

/// Verifies certificates given oldest first and checks that each one's `previous` is the
/// digest of the one before it ([`VerifyError::ChainBreak`] names the first that is not).
pub fn verify_chain<S: AsRef<str>>(jsons: &[S], keys: &[PublicKey]) -> Result<Vec<Certificate>, VerifyError> {
    let mut out: Vec<Certificate> = Vec::with_capacity(jsons.len());
    for (index, j) in jsons.iter().enumerate() {
        let c = verify(j.as_ref(), keys)?;
        if let Some(prev) = out.last() {
            if c.previous.as_deref() != Some(prev.digest().as_str()) {
                return Err(VerifyError::ChainBreak { index });
            }
        }
        out.push(c);
    }
    Ok(out)
}

/// Why a certificate did not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a certificate: bad JSON, a missing or unknown member, or a field in the wrong
    /// format.
    Malformed(String),
    /// A format version this crate does not know.
    UnsupportedVersion(u32),
    /// None of the given keys has the certificate's key id.
    UnknownKey {
        /// The key id the certificate names.
        key_id: String,
    },
    /// The signature does not match the content: the certificate was altered, or signed
    /// by another key with the same id.
    BadSignature,
    /// The certificate at `index` does not quote the digest of the one before it.
    ChainBreak {
        /// Position in the list given to [`verify_chain`].
        index: usize,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Malformed(m) => write!(f, "malformed certificate: {m}"),
            VerifyError::UnsupportedVersion(v) => write!(f, "unsupported certificate version {v}"),
            VerifyError::UnknownKey { key_id } => write!(f, "unknown signing key {key_id}"),
            VerifyError::BadSignature => f.write_str("bad signature"),
            VerifyError::ChainBreak { index } => {
                write!(f, "chain broken: certificate {index} does not quote the previous one")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Why a certificate could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertError {
    /// The operating system gave no randomness.
    Random,
    /// A field has the wrong format (the message names it).
    Invalid(String),
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::Random => f.write_str("no randomness available from the operating system"),
            CertError::Invalid(m) => write!(f, "invalid certificate field: {m}"),
        }
    }
}

impl std::error::Error for CertError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn generic(c: &Certificate) -> Vec<u8> {
        let v = serde_json::to_value(c).expect("value");
        let mut out = Vec::new();
        canonical::write(&v, &mut out).expect("canonical");
        out
    }

    #[test]
    fn direct_canonical_form_matches_the_generic_one() {
        let rec = |kind: &str, field: &str| FindingRecord {
            location: crate::Location::new(3, field),
            kind: kind.into(),
            start: 7,
            end: 9_007_199_254_740_991,
            placeholder: format!("[{kind}_1]"),
            value_digest: "ab".repeat(32),
        };
        let mut c = Certificate {
            version: 1,
            id: "0".repeat(32),
            issuer: "iss\"uer\\ \u{1}\n é 😀 \u{e000}".into(),
            key_id: "1".repeat(16),
            issued_at: "2025-03-01T12:00:00Z".into(),
            engine_version: "0.1.0".into(),
            policy_digest: "2".repeat(64),
            request_digest: "3".repeat(64),
            response_digest: None,
            previous: Some("4".repeat(64)),
            findings: vec![rec("A", "content"), rec("\u{e000}", "x\ty")],
            output_findings: vec![rec("B", "choices[0]")],
            counts: BTreeMap::from([("\u{e000}".into(), 1), ("\u{1f600}".into(), 2), ("A".into(), 3)]),
            upstream_error: None,
            signature: "5".repeat(128),
        };
        assert_eq!(String::from_utf8(c.canonical(true)), String::from_utf8(generic(&c)));
        for status in [Some(529), None] {
            let mut e = c.clone();
            e.upstream_error = Some(UpstreamError { status, kind: "stream_broken".into() });
            assert_eq!(String::from_utf8(e.canonical(true)), String::from_utf8(generic(&e)));
            assert_eq!(String::from_utf8(e.canonical(false)), {
                let mut v = serde_json::to_value(&e).expect("value");
                v.as_object_mut().expect("object").remove("signature");
                let mut want = Vec::new();
                canonical::write(&v, &mut want).expect("canonical");
                String::from_utf8(want)
            });
        }
        c.response_digest = Some("6".repeat(64));
        c.previous = None;
        assert_eq!(c.canonical(true), generic(&c));
        let mut v = serde_json::to_value(&c).expect("value");
        v.as_object_mut().expect("object").remove("signature");
        let mut want = Vec::new();
        canonical::write(&v, &mut want).expect("canonical");
        assert_eq!(c.signing_bytes(), want);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(1_740_830_400), "2025-03-01T12:00:00Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
        for t in ["2025-03-01T12:00:00Z", "2024-02-29T23:59:60.123456789Z"] {
            assert!(is_rfc3339_utc(t), "{t}");
        }
        for t in ["2025-02-29T12:00:00Z", "2025-03-01 12:00:00Z", "2025-03-01T12:00:00+01:00", "2025-03-01T12:00:00.Z"]
        {
            assert!(!is_rfc3339_utc(t), "{t}");
        }
    }
}
