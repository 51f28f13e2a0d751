//! Python bindings for the Lucairn engine: the native module `lucairn._lucairn`.
//!
//! The package `lucairn` (in `python/lucairn/`) re-exports what this module defines; the
//! module only translates between Python and [`lucairn_core`] — values, offsets and
//! errors — and never re-implements detection.
//!
//! - [`engine`]: `Engine` (scan, scan_batch, redact) and `Finding`.
//! - [`policy`]: policies from Python values (dict, text, file).
//! - [`text`]: `str` to UTF-8 and byte offsets back to string indices.
//! - [`errors`]: `LucairnError` and its subclasses.
//!
//! Each area of the core gets its own module here and its own exception subclass in
//! [`errors`]; the package front (`lucairn/__init__.py`) and the stub re-export them.

use pyo3::prelude::*;

mod engine;
mod errors;
mod policy;
mod text;

/// Native core of the ``lucairn`` package; import ``lucairn`` instead.
#[pymodule]
mod _lucairn {
    #[pymodule_export]
    use crate::engine::{Engine, Finding};
    #[pymodule_export]
    use crate::errors::{LucairnError, PolicyError};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        // Benchmarking support; set as a plain attribute to keep it out of `__all__`.
        m.setattr("_time_scan", wrap_pyfunction!(crate::engine::_time_scan, m)?)
    }
}
