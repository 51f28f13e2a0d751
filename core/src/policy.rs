//! Policies: what to look for, and how sure a finding must be.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{BuildError, BuildErrorKind};

/// What an [`Engine`](crate::Engine) looks for.
///
/// A policy is plain data: it reads from and writes to JSON and TOML, and has a stable
/// [digest](Policy::digest) that certificates quote. Every field has a default, so `{}`
/// is the default policy.
///
/// ```toml
/// threshold = 0.5
/// disable = ["URL"]
/// allow = ["support@example.com"]
/// deny = ["Project Falcon"]
/// regions = ["eu", "uk", "us", "in"]
///
/// [thresholds]
/// PHONE_NUMBER = 0.7
///
/// [[custom]]
/// kind = "EMPLOYEE_ID"
/// regex = "EMP-[0-9]{6}"
/// context = ["employee", "staff"]
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Minimum score for a finding to be reported, in `[0, 1]`. Default `0.5`.
    pub threshold: f32,
    /// Per-kind thresholds that override `threshold`.
    pub thresholds: BTreeMap<String, f32>,
    /// If set, exactly these kinds are detected (built-in or custom names).
    pub only: Option<Vec<String>>,
    /// Kinds to add to the default catalogue (such as `DATE_TIME` when it is off).
    pub enable: Vec<String>,
    /// Kinds to switch off.
    pub disable: Vec<String>,
    /// Values never reported, compared case-insensitively with the whole finding.
    pub allow: Vec<String>,
    /// Terms always reported, as whole words, case-insensitively.
    pub deny: Vec<DenyTerm>,
    /// Detectors the policy defines itself.
    pub custom: Vec<CustomDetector>,
    /// Report e-mail addresses without a dotted domain (`root@localhost`).
    pub email_local_domains: bool,
    /// Region packs whose country-specific kinds are on. Default `["eu", "uk", "us"]`;
    /// `"all"` turns on every pack. The packs are `eu`, `uk`, `us`, `au`, `ca`, `in`
    /// (India), `kr`, `ng`, `ph`, `sg`, `th`, `tr` and `za`.
    ///
    /// Formats that are sure anywhere (e-mail, cards, IBANs, IP addresses ...) belong to no
    /// pack and are always on. A kind named in `only` or `enable` is on whatever its pack.
    /// The default value is left out of the [canonical form](Policy::canonical_json), so
    /// the digests of policies that do not set it stay as they were.
    #[serde(skip_serializing_if = "is_default_regions")]
    pub regions: Vec<String>,
}

/// The region packs of the default policy.
pub(crate) const DEFAULT_REGIONS: &[&str] = &["eu", "uk", "us"];

fn default_regions() -> Vec<String> {
    DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect()
}

fn is_default_regions(r: &[String]) -> bool {
    r.len() == DEFAULT_REGIONS.len() && r.iter().zip(DEFAULT_REGIONS).all(|(a, b)| a == b)
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            threshold: 0.5,
            thresholds: BTreeMap::new(),
            only: None,
            enable: Vec::new(),
            disable: Vec::new(),
            allow: Vec::new(),
            deny: Vec::new(),
            custom: Vec::new(),
            email_local_domains: false,
            regions: default_regions(),
        }
    }
}

/// A deny-list term: a bare string (reported as `DENY_LIST`) or a term with its kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DenyTerm {
    /// A term reported with kind `DENY_LIST`.
    Term(String),
    /// A term reported with the given kind.
    WithKind {
        /// The term.
        term: String,
        /// Kind to report (built-in or custom name).
        kind: String,
    },
}

impl DenyTerm {
    pub(crate) fn term(&self) -> &str {
        match self {
            DenyTerm::Term(t) | DenyTerm::WithKind { term: t, .. } => t,
        }
    }

    pub(crate) fn kind(&self) -> &str {
        match self {
            DenyTerm::Term(_) => "DENY_LIST",
            DenyTerm::WithKind { kind, .. } => kind,
        }
    }
}

/// A detector defined by the policy: a regular expression or a word list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDetector {
    /// Kind to report: a built-in name (extends that kind) or a new UPPER_SNAKE name.
    pub kind: String,
    /// A regular expression (Rust `regex` syntax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Whole words or phrases to match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// Score of a match without context. Default `0.8`.
    #[serde(default = "default_custom_score")]
    pub score: f32,
    /// Words that, near a match, raise its score by `0.3` (capped at 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// Report matches only when a context word is near.
    #[serde(default)]
    pub context_required: bool,
    /// Match regardless of case.
    #[serde(default)]
    pub case_insensitive: bool,
}

fn default_custom_score() -> f32 {
    0.8
}

impl Policy {
    /// Reads a policy from JSON.
    pub fn from_json(s: &str) -> Result<Policy, BuildError> {
        serde_json::from_str(s).map_err(|e| BuildError::new(BuildErrorKind::Parse(e.to_string())))
    }

    /// Reads a policy from TOML.
    pub fn from_toml(s: &str) -> Result<Policy, BuildError> {
        toml::from_str(s).map_err(|e| BuildError::new(BuildErrorKind::Parse(e.to_string())))
    }

    /// Reads a policy from JSON or TOML, deciding by the first non-blank character
    /// (`{` means JSON).
    pub fn parse(s: &str) -> Result<Policy, BuildError> {
        if s.trim_start().starts_with('{') { Policy::from_json(s) } else { Policy::from_toml(s) }
    }

    /// The canonical form: compact JSON with fields in declaration order and maps sorted.
    pub fn canonical_json(&self) -> String {
        // Serialising plain structs, strings, numbers and BTreeMaps cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// blake3 digest of the canonical form: equal policies have equal digests.
    pub fn digest(&self) -> [u8; 32] {
        *blake3::hash(self.canonical_json().as_bytes()).as_bytes()
    }

    /// The digest as lower-case hex, as certificates quote it.
    pub fn digest_hex(&self) -> String {
        blake3::Hash::from(self.digest()).to_hex().to_string()
    }
}
