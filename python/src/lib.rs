//! Python bindings for the Lucairn engine: the native module `lucairn._lucairn`.
//!
//! The package `lucairn` (in `python/lucairn/`) re-exports what this module defines; the
//! module only translates between Python and [`lucairn_core`] — values, offsets, locks
//! and errors — and never re-implements detection, sanitisation or certificates.
//!
//! - [`engine`]: `Engine` (scan, scan_batch, redact) and `Finding`.
//! - [`sanitize`]: `Sanitizer`, `Sanitized`, `Mapping` (with mapping tokens),
//!   `FindingRecord` and `relink`.
//! - [`stream`]: `StreamSanitizer`, `OutputStream` and `StreamRelinker`.
//! - [`cert`]: `Certificate`, `PublicKey`, `SigningKey`, `CertificateBuilder` and
//!   `verify_chain`.
//! - [`policy`]: policies from Python values (dict, text, file).
//! - [`text`], [`args`]: `str` to UTF-8 and byte offsets back to string indices; keys,
//!   chunks and modes.
//! - [`shared`]: state behind a lock that never stalls other Python threads.
//! - [`errors`]: `LucairnError` and its subclasses.
//!
//! Each area of the core gets its own module here and its own exception subclasses in
//! [`errors`]; the package front (`lucairn/__init__.py`) and the stub re-export them.

use pyo3::prelude::*;

mod args;
mod cert;
mod engine;
mod errors;
mod policy;
mod sanitize;
mod shared;
mod stream;
mod text;

/// Native core of the ``lucairn`` package; import ``lucairn`` instead.
#[pymodule]
mod _lucairn {
    #[pymodule_export]
    use crate::cert::{Certificate, CertificateBuilder, PublicKey, SigningKey, verify_chain};
    #[pymodule_export]
    use crate::engine::{Engine, Finding};
    #[pymodule_export]
    use crate::errors::{
        BadSignatureError, CertificateError, ChainBreakError, LucairnError, MalformedCertificateError, MappingError,
        PolicyError, TokenError, UnknownKeyError,
    };
    #[pymodule_export]
    use crate::sanitize::{FindingRecord, Mapping, Sanitized, Sanitizer, relink};
    #[pymodule_export]
    use crate::stream::{OutputStream, StreamRelinker, StreamSanitizer};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        // Benchmarking support; set as a plain attribute to keep it out of `__all__`.
        m.setattr("_time_scan", wrap_pyfunction!(crate::engine::_time_scan, m)?)
    }
}
