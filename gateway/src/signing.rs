//! The gateway's signing key: an ed25519 seed in `signing.key` (32 raw bytes, mode 0600)
//! in the data directory, made on first start.

use std::fs;
use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};

use crate::util;

/// File name of the seed inside the data directory.
pub(crate) const KEY_FILE: &str = "signing.key";

/// An error loading or making the signing key.
#[derive(Debug, thiserror::Error)]
pub(crate) enum KeyFileError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}: not a signing key (expected 32 bytes)")]
    Malformed(String),
    #[error("{0}: readable by other users; run `chmod 600` on it")]
    Permissions(String),
}

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
        let path = dir.join(KEY_FILE);
        let shown = path.display().to_string();
        let io = |source| KeyFileError::Io { path: shown.clone(), source };
        if !path.exists() {
            let mut seed = [0u8; 32];
            util::random_bytes(&mut seed).map_err(io)?;
            // Write a private temporary file, then link it into place: two processes
            // starting at once agree on one key, and no one reads a half-written file.
            let tmp = dir.join(format!(".{KEY_FILE}.{}", std::process::id()));
            let mut o = fs::OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o600);
            }
            let _ = fs::remove_file(&tmp);
            let mut f = o.open(&tmp).map_err(io)?;
            f.write_all(&seed).and_then(|_| f.sync_all()).map_err(io)?;
            drop(f);
            let linked = fs::hard_link(&tmp, &path);
            let _ = fs::remove_file(&tmp);
            match linked {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(e)),
            }
        }
        SigningKey::load_existing(dir)
    }

    /// Reads the key in `dir`; fails when there is none.
    pub(crate) fn load_existing(dir: &Path) -> Result<SigningKey, KeyFileError> {
        let path = dir.join(KEY_FILE);
        let shown = path.display().to_string();
        let io = |source| KeyFileError::Io { path: shown.clone(), source };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).map_err(io)?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(KeyFileError::Permissions(shown));
            }
        }
        let bytes = fs::read(&path).map_err(io)?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| KeyFileError::Malformed(shown))?;
        Ok(SigningKey::from_seed(seed))
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
