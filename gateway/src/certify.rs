//! Certificates: what was sanitised in one request, signed with the gateway's key.
//!
//! Format `lucairn-gateway-cert/0`: a JSON object with the fields of [`Certificate`] in
//! declaration order; `signature` is the hex ed25519 signature of the compact JSON of the
//! same object without `signature`. `digest` of a certificate (quoted by the next one as
//! `previous`) is the blake3 hash of its compact JSON including the signature.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::signing::{self, SigningKey};
use crate::util;

/// The format tag of this certificate layout.
pub(crate) const FORMAT: &str = "lucairn-gateway-cert/0";

/// A signed certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Certificate {
    pub(crate) format: String,
    pub(crate) id: String,
    pub(crate) issuer: String,
    pub(crate) key_id: String,
    pub(crate) issued_at: String,
    pub(crate) engine_version: String,
    pub(crate) policy_digest: String,
    /// blake3 of the exact bytes sent upstream.
    pub(crate) request_digest: String,
    /// Findings per kind replaced in the request.
    pub(crate) findings: BTreeMap<String, u64>,
    /// HTTP status of the upstream answer.
    pub(crate) upstream_status: u16,
    /// blake3 of the exact bytes the upstream answered.
    pub(crate) response_digest: String,
    /// Findings per kind the model produced itself (redacted in the answer).
    pub(crate) answer_findings: BTreeMap<String, u64>,
    /// Digest of the previous certificate of this gateway.
    pub(crate) previous: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) signature: Option<String>,
}

/// Why a certificate does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum VerifyError {
    #[error("not a certificate: {0}")]
    Malformed(String),
    #[error("unknown key id {0}")]
    UnknownKey(String),
    #[error("bad signature")]
    BadSignature,
}

/// A new certificate id: 128 random bits.
pub(crate) fn new_id() -> std::io::Result<String> {
    let mut b = [0u8; 16];
    util::random_bytes(&mut b)?;
    Ok(format!("cert_{}", util::hex(&b)))
}

/// blake3 hex digest of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

impl Certificate {
    fn signed_bytes(&self) -> Result<Vec<u8>, VerifyError> {
        let mut unsigned = self.clone();
        unsigned.signature = None;
        serde_json::to_vec(&unsigned).map_err(|e| VerifyError::Malformed(e.to_string()))
    }

    /// Signs the certificate; returns its JSON and digest.
    pub(crate) fn sign(mut self, key: &SigningKey) -> Result<(String, String), VerifyError> {
        self.key_id = key.id().to_string();
        self.signature = None;
        let sig = key.sign(&self.signed_bytes()?);
        self.signature = Some(util::hex(&sig));
        let json = serde_json::to_string(&self).map_err(|e| VerifyError::Malformed(e.to_string()))?;
        let d = digest(json.as_bytes());
        Ok((json, d))
    }

    /// Parses and checks a certificate against public keys `(key id, key)`.
    pub(crate) fn verify(json: &str, keys: &[(String, [u8; 32])]) -> Result<Certificate, VerifyError> {
        let cert: Certificate = serde_json::from_str(json).map_err(|e| VerifyError::Malformed(e.to_string()))?;
        if cert.format != FORMAT {
            return Err(VerifyError::Malformed(format!("unknown format {:?}", cert.format)));
        }
        let (_, public) = keys
            .iter()
            .find(|(id, _)| *id == cert.key_id)
            .ok_or_else(|| VerifyError::UnknownKey(cert.key_id.clone()))?;
        let sig: [u8; 64] = cert
            .signature
            .as_deref()
            .and_then(util::unhex)
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| VerifyError::Malformed("missing or malformed signature".into()))?;
        if !signing::verify(public, &cert.signed_bytes()?, &sig) {
            return Err(VerifyError::BadSignature);
        }
        Ok(cert)
    }
}
