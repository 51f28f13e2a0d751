//! Lucairn's engine finds personal data in text: names, e-mail addresses, phone numbers,
//! national identifiers with their checksums, bank and card numbers, secrets and more.
//!
//! # Overview
//!
//! - [`Policy`]: what to look for, as plain data (JSON or TOML) with a stable digest.
//! - [`EngineBuilder`]: compiles a policy into an [`Engine`], reporting a [`BuildError`]
//!   that names any bad entry.
//! - [`Engine`]: immutable, `Send + Sync`, cheap to clone; [`Engine::scan`] returns
//!   [`Finding`]s, byte spans into the text with a [`Kind`] and a score.
//!
//! Scanning never copies the text and never fails: any `&str` is valid input.
//!
//! On top of scanning:
//!
//! - [`Sanitizer`]: replaces findings in the texts of one request by placeholders such as
//!   `[EMAIL_ADDRESS_1]`, keeps a [`Mapping`] back to the values (sealed into an opaque
//!   token with [`Mapping::seal`]), re-links answers ([`Mapping::relink`]) and scans them
//!   for personal data the model produced ([`Sanitizer::scan_output`]).
//! - [`StreamSanitizer`], [`StreamRelinker`], [`OutputStream`]: the same for text that
//!   arrives in chunks, with output identical to the whole-text output.
//! - [`CertificateBuilder`], [`verify`], [`verify_chain`]: signed [`Certificate`]s of what
//!   was sanitised, with [`SigningKey`] and [`PublicKey`].
//!
//! # Example: scan a text
//!
//! ```
//! use lucairn_core::{Engine, Kind};
//!
//! let engine = Engine::default();
//! let text = "Contact: marie.dupont@exemple.fr";
//! let findings = engine.scan(text);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].kind, Kind::EmailAddress);
//! assert_eq!(&text[findings[0].span.range()], "marie.dupont@exemple.fr");
//! ```
//!
//! # Example: a policy with a custom detector
//!
//! ```
//! use lucairn_core::{Engine, Policy};
//!
//! let policy = Policy::from_json(r#"{"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]}"#)?;
//! let engine = Engine::new(policy)?;
//! let text = "ticket filed by EMP-004211";
//! let f = &engine.scan(text)[0];
//! assert_eq!(engine.kind_name(f.kind), "EMPLOYEE_ID");
//! # Ok::<(), lucairn_core::BuildError>(())
//! ```
#![deny(missing_docs)]

mod detectors;
mod engine;
mod error;
mod finding;
mod kind;
mod lexicon;
mod policy;
mod reach;
mod scan;
mod token;

// Sanitisation, re-linking, streaming, mapping tokens and certificates.
mod cert;
mod sanitize;
mod seal;
pub use crate::cert::{
    CERTIFICATE_VERSION, CertError, Certificate, CertificateBuilder, ENGINE_VERSION, PublicKey, SigningKey,
    UpstreamError, VerifyError, key_id, rfc3339_utc, verify, verify_chain,
};
pub use crate::sanitize::stream::{OutputStream, StreamRelinker, StreamSanitizer};
pub use crate::sanitize::{
    FindingRecord, Location, Mapping, MappingEntry, MappingError, OutputMode, Sanitized, Sanitizer, counts,
};
pub use crate::seal::TokenError;

pub use crate::engine::{Engine, EngineBuilder};
pub use crate::error::BuildError;
pub use crate::finding::{Finding, Span};
pub use crate::kind::Kind;
pub use crate::policy::{CustomDetector, DenyTerm, Policy};

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
