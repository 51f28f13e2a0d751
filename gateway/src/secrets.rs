//! The gateway's secrets, each a 32-byte file (mode 0600) in the data directory, made on
//! first start:
//!
//! - `signing.key`: the ed25519 seed that signs certificates
//!   ([`lucairn_core::SigningKey::from_seed`]).
//! - `master.key`: the master secret. Every other secret is derived from it with blake3,
//!   so nothing per tenant is stored:
//!   - a tenant's secret (stable placeholders and keyed value digests, see
//!     [`lucairn_core::Sanitizer::with_secret`]) is `blake3_keyed(K_t, tenant name)` with
//!     `K_t = blake3_derive_key("lucairn gateway tenant secret v1", master)`;
//!   - the key that seals re-link tokens ([`lucairn_core::Mapping::seal`]) is
//!     `blake3_derive_key("lucairn gateway mapping token v1", master)`; tokens are bound
//!     to the tenant as associated data.
//!
//! Losing `master.key` makes outstanding re-link tokens useless and changes every
//! tenant's placeholders; losing `signing.key` means certificates are signed by a new key
//! (old ones still verify with the old public key).

use std::fs;
use std::io::Write;
use std::path::Path;

use lucairn_core::SigningKey;

use crate::util;

/// File name of the signing key's seed inside the data directory.
pub const SIGNING_KEY_FILE: &str = "signing.key";
/// File name of the master secret inside the data directory.
pub const MASTER_KEY_FILE: &str = "master.key";

const TENANT_CONTEXT: &str = "lucairn gateway tenant secret v1";
const TOKEN_CONTEXT: &str = "lucairn gateway mapping token v1";
const FINGERPRINT_CONTEXT: &str = "lucairn gateway master fingerprint v1";

/// An error loading or making a secret.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}: not a key file (expected 32 bytes)")]
    Malformed(String),
    #[error("{0}: readable by other users; run `chmod 600` on it")]
    Permissions(String),
}

/// Reads the 32-byte secret `name` in `dir`, making it first if there is none.
fn load_or_create(dir: &Path, name: &str) -> Result<[u8; 32], KeyFileError> {
    let path = dir.join(name);
    let shown = path.display().to_string();
    let io = |source| KeyFileError::Io { path: shown.clone(), source };
    if !path.exists() {
        let mut seed = [0u8; 32];
        util::random_bytes(&mut seed).map_err(io)?;
        // Write a private temporary file, then link it into place: two processes
        // starting at once agree on one secret, and no one reads a half-written file.
        let tmp = dir.join(format!(".{name}.{}", std::process::id()));
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
    load_existing(dir, name)
}

/// Reads the 32-byte secret `name` in `dir`; fails when there is none, or when other
/// users may read it.
fn load_existing(dir: &Path, name: &str) -> Result<[u8; 32], KeyFileError> {
    let path = dir.join(name);
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
    bytes.try_into().map_err(|_| KeyFileError::Malformed(shown))
}

/// The signing key in `dir`, made on first use.
pub fn signing_key(dir: &Path) -> Result<SigningKey, KeyFileError> {
    Ok(SigningKey::from_seed(&load_or_create(dir, SIGNING_KEY_FILE)?))
}

/// The signing key in `dir`; fails when there is none.
pub fn existing_signing_key(dir: &Path) -> Result<SigningKey, KeyFileError> {
    Ok(SigningKey::from_seed(&load_existing(dir, SIGNING_KEY_FILE)?))
}

/// The secrets derived from the master secret.
#[derive(Clone)]
pub struct Secrets {
    tenant_key: [u8; 32],
    token_key: [u8; 32],
    fingerprint: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets").finish_non_exhaustive()
    }
}

impl Secrets {
    /// The secrets of the master secret in `dir`, made on first use.
    pub fn load_or_create(dir: &Path) -> Result<Secrets, KeyFileError> {
        Ok(Secrets::from_master(&load_or_create(dir, MASTER_KEY_FILE)?))
    }

    /// The secrets derived from `master`.
    pub fn from_master(master: &[u8; 32]) -> Secrets {
        Secrets {
            tenant_key: blake3::derive_key(TENANT_CONTEXT, master),
            token_key: blake3::derive_key(TOKEN_CONTEXT, master),
            fingerprint: blake3::derive_key(FINGERPRINT_CONTEXT, master),
        }
    }

    /// The 32-byte secret of `tenant`.
    pub fn tenant_secret(&self, tenant: &str) -> [u8; 32] {
        *blake3::keyed_hash(&self.tenant_key, tenant.as_bytes()).as_bytes()
    }

    /// The key that seals re-link tokens.
    pub fn token_key(&self) -> &[u8; 32] {
        &self.token_key
    }

    /// A public fingerprint of the master secret (hex; derived one way, it reveals nothing
    /// of the secret): gateways sharing a database check that they share the secret.
    pub fn fingerprint(&self) -> String {
        self.fingerprint.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenants_get_distinct_secrets() {
        let s = Secrets::from_master(&[7; 32]);
        let (a, b) = (s.tenant_secret("acme"), s.tenant_secret("globex"));
        assert_ne!(a, b);
        assert_eq!(a, Secrets::from_master(&[7; 32]).tenant_secret("acme"));
        assert_ne!(a, Secrets::from_master(&[8; 32]).tenant_secret("acme"));
        assert_ne!(&a, s.token_key());
    }
}
