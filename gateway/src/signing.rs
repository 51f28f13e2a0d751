//! The gateway's signing key: an ed25519 seed in `signing.key` (32 raw bytes, mode 0600)
//! in the data directory, made on first start.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};

use crate::secrets::{self, KeyFileError};
use crate::util;

/// The private signing key.
pub(crate) struct SigningKey {
    key: ed25519_dalek::SigningKey,
    id: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The id of a public key: the first 8 bytes of its blake3 digest, in hex.
pub(crate) fn key_id(public: &[u8; 32]) -> String {
    util::hex(&blake3::hash(public).as_bytes()[..8])
}

impl SigningKey {
    fn from_seed(seed: [u8; 32]) -> SigningKey {
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let id = key_id(&key.verifying_key().to_bytes());
        SigningKey { key, id }
    }

    /// Reads the key in `dir`, making it first if there is none.
    pub(crate) fn load_or_create(dir: &Path) -> Result<SigningKey, KeyFileError> {
        Ok(SigningKey::from_seed(secrets::load_or_create(dir, secrets::SIGNING_KEY_FILE)?))
    }

    /// Reads the key in `dir`; fails when there is none.
    pub(crate) fn load_existing(dir: &Path) -> Result<SigningKey, KeyFileError> {
        Ok(SigningKey::from_seed(secrets::load_existing(dir, secrets::SIGNING_KEY_FILE)?))
    }

    /// The key id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The public key.
    pub(crate) fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// Signs `msg`.
    pub(crate) fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }
}

/// True when `sig` is `public`'s signature of `msg`.
pub(crate) fn verify(public: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
    match VerifyingKey::from_bytes(public) {
        Ok(k) => k.verify(msg, &Signature::from_bytes(sig)).is_ok(),
        Err(_) => false,
    }
}
