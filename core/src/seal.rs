//! Mapping tokens: a [`Mapping`] sealed into an opaque, URL-safe string.
//!
//! A token lets a server re-link an answer later without storing anything: it hands the
//! token to the client, and decrypts it when the client comes back with it.
//!
//! Format: base64url without padding of `0x01 || nonce (24 bytes) || ciphertext`, where
//! the ciphertext is XChaCha20-Poly1305 (random nonce) of the mapping's JSON, with the
//! associated data `"lucairn mapping token v1" || 0x00 || tenant`. A token opens only
//! with the key and the tenant it was sealed for: another tenant's id, another key or any
//! changed byte fails with [`TokenError::Decrypt`].

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::Mapping;

const VERSION: u8 = 1;
const NONCE: usize = 24;
const AD_PREFIX: &[u8] = b"lucairn mapping token v1\0";

fn associated(tenant: &str) -> Vec<u8> {
    let mut ad = Vec::with_capacity(AD_PREFIX.len() + tenant.len());
    ad.extend_from_slice(AD_PREFIX);
    ad.extend_from_slice(tenant.as_bytes());
    ad
}

impl Mapping {
    /// Seals the mapping into a URL-safe token for `tenant`, encrypted with `key`.
    ///
    /// ```
    /// use lucairn_core::{Engine, Location, Mapping, Sanitizer, TokenError};
    ///
    /// let engine = Engine::default();
    /// let mut s = Sanitizer::new(&engine);
    /// s.sanitize(Location::new(0, "content"), "ana@example.org");
    /// let key = [9u8; 32];
    /// let token = s.mapping().seal(&key, "tenant-a")?;
    /// let back = Mapping::open(&token, &key, "tenant-a")?;
    /// assert_eq!(back.relink("[EMAIL_ADDRESS_1]"), "ana@example.org");
    /// assert_eq!(Mapping::open(&token, &key, "tenant-b"), Err(TokenError::Decrypt));
    /// # Ok::<(), TokenError>(())
    /// ```
    pub fn seal(&self, key: &[u8; 32], tenant: &str) -> Result<String, TokenError> {
        let mut nonce = [0u8; NONCE];
        getrandom::getrandom(&mut nonce).map_err(|_| TokenError::Random)?;
        self.seal_with_nonce(key, tenant, &nonce)
    }

    /// Seals with a given nonce; a nonce must never be used twice with one key.
    pub(crate) fn seal_with_nonce(
        &self,
        key: &[u8; 32],
        tenant: &str,
        nonce: &[u8; NONCE],
    ) -> Result<String, TokenError> {
        let json = serde_json::to_vec(self).map_err(|_| TokenError::Payload)?;
        let cipher = XChaCha20Poly1305::new(key.into());
        let ad = associated(tenant);
        let ct = cipher
            .encrypt(XNonce::from_slice(nonce), Payload { msg: &json, aad: &ad })
            .map_err(|_| TokenError::Payload)?;
        let mut raw = Vec::with_capacity(1 + NONCE + ct.len());
        raw.push(VERSION);
        raw.extend_from_slice(nonce);
        raw.extend_from_slice(&ct);
        Ok(URL_SAFE_NO_PAD.encode(raw))
    }

    /// Opens a token made by [`seal`](Mapping::seal) with the same key and tenant.
    pub fn open(token: &str, key: &[u8; 32], tenant: &str) -> Result<Mapping, TokenError> {
        let raw = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| TokenError::Malformed)?;
        let (&version, rest) = raw.split_first().ok_or(TokenError::Malformed)?;
        if version != VERSION {
            return Err(TokenError::UnsupportedVersion(version));
        }
        if rest.len() < NONCE + 16 {
            return Err(TokenError::Malformed);
        }
        let (nonce, ct) = rest.split_at(NONCE);
        let cipher = XChaCha20Poly1305::new(key.into());
        let ad = associated(tenant);
        let json = cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &ad })
            .map_err(|_| TokenError::Decrypt)?;
        serde_json::from_slice(&json).map_err(|_| TokenError::Payload)
    }
}

/// Why a mapping token could not be made or opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a token: not base64url, or too short.
    Malformed,
    /// A token format version this crate does not know.
    UnsupportedVersion(u8),
    /// Wrong key or tenant, or the token was altered.
    Decrypt,
    /// The decrypted content is not a mapping (or the mapping could not be encoded).
    Payload,
    /// The operating system gave no randomness for the nonce.
    Random,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Malformed => f.write_str("malformed mapping token"),
            TokenError::UnsupportedVersion(v) => write!(f, "unsupported mapping token version {v}"),
            TokenError::Decrypt => f.write_str("mapping token does not open with this key and tenant"),
            TokenError::Payload => f.write_str("mapping token content is not a mapping"),
            TokenError::Random => f.write_str("no randomness available from the operating system"),
        }
    }
}

impl std::error::Error for TokenError {}
