//! API keys: format, hashing, and checking a presented key.
//!
//! A key reads `lcr_live_` (or `lcr_test_`), then an 8-character key id and a
//! 32-character secret, all from `[0-9A-Za-z]` (about 190 random bits in the secret). The
//! store keeps the id in clear (to find the row and to name the key in `keys list`) and a
//! blake3 hash of the whole key; a presented key is hashed and compared with the stored
//! hash in constant time.

use std::fmt;
use std::str::FromStr;

use subtle::ConstantTimeEq;

use crate::util;

/// Length of the key id.
pub const ID_LEN: usize = 8;
/// Length of the secret part.
pub const SECRET_LEN: usize = 32;

const LIVE: &str = "lcr_live_";
const TEST: &str = "lcr_test_";
const HASH_CONTEXT: &str = "lucairn 2025 api key hash v1";

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Answers carry placeholders; personal data the model produces is redacted.
    Developer,
    /// May have placeholders re-linked to the original values.
    Pro,
    /// As pro.
    Enterprise,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Developer => "developer",
            Tier::Pro => "pro",
            Tier::Enterprise => "enterprise",
        }
    }

    /// True when the tier may receive original values.
    pub fn may_relink(self) -> bool {
        !matches!(self, Tier::Developer)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tier {
    type Err = String;

    fn from_str(s: &str) -> Result<Tier, String> {
        match s {
            "developer" => Ok(Tier::Developer),
            "pro" => Ok(Tier::Pro),
            "enterprise" => Ok(Tier::Enterprise),
            _ => Err(format!("unknown tier {s:?} (expected developer, pro or enterprise)")),
        }
    }
}

/// A freshly made key: the full key (shown once) and what the store keeps.
#[derive(Debug)]
pub struct NewKey {
    pub key: String,
    pub id: String,
    pub hash: [u8; 32],
}

/// Makes a new random key.
pub fn generate(live: bool) -> std::io::Result<NewKey> {
    let id = util::random_base62(ID_LEN)?;
    let secret = util::random_base62(SECRET_LEN)?;
    let key = format!("{}{id}{secret}", if live { LIVE } else { TEST });
    let hash = hash(&key);
    Ok(NewKey { key, id, hash })
}

/// The hash the store keeps for a key.
pub fn hash(key: &str) -> [u8; 32] {
    blake3::derive_key(HASH_CONTEXT, key.as_bytes())
}

/// The key id of a well-formed key, or `None`.
pub fn key_id(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(LIVE).or_else(|| key.strip_prefix(TEST))?;
    if rest.len() != ID_LEN + SECRET_LEN || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(&rest[..ID_LEN])
}

/// True when a presented key's hash equals the stored hash, compared in constant time.
pub fn hashes_match(presented: &[u8; 32], stored: &[u8]) -> bool {
    stored.len() == presented.len() && bool::from(presented.ct_eq(stored))
}

/// The bearer token of an `Authorization` header value.
pub fn bearer(value: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(value).ok()?.trim();
    let (scheme, token) = s.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    if token.is_empty() { None } else { Some(token) }
}
