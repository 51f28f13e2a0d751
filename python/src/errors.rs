//! The exception classes of the package.
//!
//! Every error Lucairn raises on purpose is a [`LucairnError`]; a subclass per area says
//! what went wrong (`PolicyError` now; certificate and token errors join it with their
//! bindings). Wrong argument types raise Python's own `TypeError`.

use pyo3::create_exception;
use pyo3::exceptions::PyException;

create_exception!(lucairn, LucairnError, PyException, "Base class of the errors Lucairn raises.");

create_exception!(
    lucairn,
    PolicyError,
    LucairnError,
    "A policy cannot be read or compiled. The message names the offending entry, such as\n\
     ``policy.custom[0] (EMPLOYEE_ID): invalid regex: ...``."
);
