//! The exception classes of the package, and the translation of core errors into them.
//!
//! Every error Lucairn raises on purpose is a [`LucairnError`]; a subclass per area says
//! what went wrong. Wrong argument types raise Python's own `TypeError`, wrong argument
//! values (a key of the wrong length, an unknown mode) `ValueError`.
//!
//! ```text
//! LucairnError
//! ├── PolicyError
//! ├── MappingError
//! ├── TokenError
//! └── CertificateError
//!     ├── MalformedCertificateError
//!     ├── UnknownKeyError          (.key_id)
//!     ├── BadSignatureError
//!     └── ChainBreakError          (.index)
//! ```

use lucairn_core::{CertError, TokenError as CoreTokenError, VerifyError};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(lucairn, LucairnError, PyException, "Base class of the errors Lucairn raises.");

create_exception!(
    lucairn,
    PolicyError,
    LucairnError,
    "A policy cannot be read or compiled. The message names the offending entry, such as\n\
     ``policy.custom[0] (EMPLOYEE_ID): invalid regex: ...``."
);

create_exception!(
    lucairn,
    MappingError,
    LucairnError,
    "Entries do not make a valid mapping: a placeholder that is not of the form\n\
     ``[KIND_N]``, a placeholder whose kind is not the entry's ``kind``, or a placeholder\n\
     given twice."
);

create_exception!(
    lucairn,
    TokenError,
    LucairnError,
    "A mapping token cannot be opened: it is not a token, it was sealed with another key\n\
     or for another tenant, or it was altered. (Or, rarely, one cannot be made: the\n\
     operating system gave no randomness.)"
);

create_exception!(
    lucairn,
    CertificateError,
    LucairnError,
    "Base class of the errors about certificates: a certificate that does not verify, or\n\
     one that cannot be made."
);

create_exception!(
    lucairn,
    MalformedCertificateError,
    CertificateError,
    "Not a certificate: bad JSON, a missing or unknown member, a field in the wrong\n\
     format, ``counts`` that do not match the findings, or a format version this\n\
     version of Lucairn does not know."
);

create_exception!(
    lucairn,
    UnknownKeyError,
    CertificateError,
    "None of the given public keys has the id of the key the certificate names; the\n\
     ``key_id`` attribute is that id."
);

create_exception!(
    lucairn,
    BadSignatureError,
    CertificateError,
    "The signature does not match the content: the certificate was altered, or signed\n\
     by another key."
);

create_exception!(
    lucairn,
    ChainBreakError,
    CertificateError,
    "A certificate of a chain does not quote the digest of the one before it (one was\n\
     removed, inserted, reordered or edited); the ``index`` attribute is its position."
);

/// The Python exception for a certificate that does not verify.
pub(crate) fn verify_error(py: Python<'_>, e: VerifyError) -> PyErr {
    let msg = e.to_string();
    match e {
        VerifyError::UnknownKey { key_id } => with_attr(py, UnknownKeyError::new_err(msg), "key_id", key_id),
        VerifyError::BadSignature => BadSignatureError::new_err(msg),
        VerifyError::ChainBreak { index } => with_attr(py, ChainBreakError::new_err(msg), "index", index),
        // `Malformed`, `UnsupportedVersion` and any kind added later.
        _ => MalformedCertificateError::new_err(msg),
    }
}

/// The Python exception for a certificate that cannot be made.
pub(crate) fn cert_error(e: CertError) -> PyErr {
    match e {
        CertError::Invalid(_) => MalformedCertificateError::new_err(e.to_string()),
        _ => CertificateError::new_err(e.to_string()),
    }
}

/// The Python exception for a mapping token that cannot be made or opened.
pub(crate) fn token_error(e: CoreTokenError) -> PyErr {
    TokenError::new_err(e.to_string())
}

/// `err` with an attribute set on its value (the attribute is left out if setting it
/// fails, which it does not for these classes).
fn with_attr<'py, V: IntoPyObject<'py>>(py: Python<'py>, err: PyErr, name: &str, value: V) -> PyErr {
    let _ = err.value(py).setattr(name, value);
    err
}
