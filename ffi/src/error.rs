//! The result enum, the per-thread error detail, and the panic boundary.

use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{self, AssertUnwindSafe};

use crate::args::StrOut;

/// The result of every fallible call.
///
/// The numbers are stable across releases; new codes get new numbers. They are grouped:
/// 0 success; 1–99 bad arguments (nothing was done and no output was written, except the
/// size reported with `LUCAIRN_RESULT_BUFFER_TOO_SMALL`); 100–199 policy and engine errors;
/// 200–299 sanitisation, mappings and re-linking; 300–399 stream sanitisers; 400–499
/// certificates; 900–999 internal errors.
///
/// `lucairn_error_message` describes a code; `lucairn_last_error_detail` says what exactly
/// went wrong in the last failed call on the calling thread (such as which policy entry is
/// bad).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types)]
pub enum lucairn_result {
    /// Success.
    Ok = 0,
    /// A pointer argument that must not be NULL was NULL (or a NULL pointer came with a
    /// non-zero length).
    NullPointer = 1,
    /// A text argument is not valid UTF-8.
    InvalidUtf8 = 2,
    /// An argument that must not be empty (such as a non-NULL policy or a kind name) has
    /// length zero. Empty texts to scan or redact are valid and are not this error.
    EmptyInput = 3,
    /// A length or capacity exceeds the largest possible object (`PTRDIFF_MAX` bytes).
    LengthOverflow = 4,
    /// The output buffer is too small. The size needed was written to the call's length or
    /// count output; the buffer was not touched.
    BufferTooSmall = 5,
    /// The kind id or kind name is not known to this engine.
    UnknownKind = 6,
    /// An argument is outside its range of values (such as an output mode that is neither
    /// `LUCAIRN_OUTPUT_RELINK` nor `LUCAIRN_OUTPUT_KEEP`).
    InvalidArgument = 7,
    /// The policy is not valid JSON, does not match the policy schema, or does not build
    /// (unknown kind, bad threshold, invalid regex, empty term). The detail names the entry.
    InvalidPolicy = 100,
    /// The mapping token is not a token: not base64url, or too short.
    MappingTokenMalformed = 200,
    /// The mapping token has a format version this library does not know.
    MappingTokenUnsupportedVersion = 201,
    /// The mapping token does not open with this key and tenant, or it was altered.
    MappingTokenDecrypt = 202,
    /// The mapping token opened, but its content is not a mapping.
    MappingTokenPayload = 203,
    /// The sanitizer is lent to an open stream sanitizer; free the stream to get it back.
    SanitizerBusy = 300,
    /// The certificate is not a certificate: bad JSON, a missing or unknown member, or a
    /// field in the wrong format (the detail names it).
    CertificateMalformed = 400,
    /// The certificate has a format version this library does not know.
    CertificateUnsupportedVersion = 401,
    /// None of the given public keys has the id of the key the certificate names.
    CertificateUnknownKey = 402,
    /// The signature does not match the content: the certificate was altered, or signed by
    /// another key with the same id.
    CertificateBadSignature = 403,
    /// A certificate of a chain does not quote the digest of the one before it (the detail
    /// names its index).
    CertificateChainBroken = 404,
    /// A public key given to verify with is not a valid ed25519 public key.
    InvalidPublicKey = 405,
    /// A bug inside the library was caught at the boundary; nothing was returned. Please
    /// report it with the detail message. A sanitizer or stream in which this happened
    /// returns this code from then on.
    Panic = 900,
    /// The operating system gave no randomness (needed to seal a mapping token).
    RandomnessUnavailable = 901,
}

impl lucairn_result {
    /// Every code, for tests and documentation.
    pub const ALL: &'static [lucairn_result] = &[
        lucairn_result::Ok,
        lucairn_result::NullPointer,
        lucairn_result::InvalidUtf8,
        lucairn_result::EmptyInput,
        lucairn_result::LengthOverflow,
        lucairn_result::BufferTooSmall,
        lucairn_result::UnknownKind,
        lucairn_result::InvalidArgument,
        lucairn_result::InvalidPolicy,
        lucairn_result::MappingTokenMalformed,
        lucairn_result::MappingTokenUnsupportedVersion,
        lucairn_result::MappingTokenDecrypt,
        lucairn_result::MappingTokenPayload,
        lucairn_result::SanitizerBusy,
        lucairn_result::CertificateMalformed,
        lucairn_result::CertificateUnsupportedVersion,
        lucairn_result::CertificateUnknownKey,
        lucairn_result::CertificateBadSignature,
        lucairn_result::CertificateChainBroken,
        lucairn_result::InvalidPublicKey,
        lucairn_result::Panic,
        lucairn_result::RandomnessUnavailable,
    ];

    /// A short, lower-case description of the code.
    pub fn message(self) -> &'static str {
        use lucairn_result::*;
        match self {
            Ok => "success",
            NullPointer => "a required pointer argument is NULL",
            InvalidUtf8 => "text is not valid UTF-8",
            EmptyInput => "an argument that must not be empty has length zero",
            LengthOverflow => "a length exceeds the largest possible object size",
            BufferTooSmall => "the output buffer is too small; the size needed was reported",
            UnknownKind => "unknown kind",
            InvalidArgument => "an argument is out of range",
            InvalidPolicy => "invalid policy",
            MappingTokenMalformed => "malformed mapping token",
            MappingTokenUnsupportedVersion => "unsupported mapping token version",
            MappingTokenDecrypt => "the mapping token does not open with this key and tenant",
            MappingTokenPayload => "the mapping token's content is not a mapping",
            SanitizerBusy => "the sanitizer is lent to an open stream",
            CertificateMalformed => "malformed certificate",
            CertificateUnsupportedVersion => "unsupported certificate version",
            CertificateUnknownKey => "the certificate names a key that is not among the given keys",
            CertificateBadSignature => "bad certificate signature",
            CertificateChainBroken => "certificate chain broken",
            InvalidPublicKey => "invalid ed25519 public key",
            Panic => "internal error in lucairn (a bug; please report it)",
            RandomnessUnavailable => "no randomness available from the operating system",
        }
    }

    /// The code with this number, if there is one.
    pub fn from_u32(code: u32) -> Option<lucairn_result> {
        lucairn_result::ALL.iter().copied().find(|&r| r as u32 == code)
    }
}

/// A failure inside an exported function: the code to return and the detail to record.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) code: lucairn_result,
    pub(crate) detail: String,
}

impl Error {
    pub(crate) fn new(code: lucairn_result, detail: impl Into<String>) -> Error {
        Error { code, detail: detail.into() }
    }
}

thread_local! {
    static DETAIL: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_detail(detail: &str) {
    let _ = DETAIL.try_with(|d| {
        if let Ok(mut d) = d.try_borrow_mut() {
            d.clear();
            d.push_str(detail);
        }
    });
}

/// Runs the body of an exported function: catches panics, turns errors into codes and
/// records their detail for `lucairn_last_error_detail`.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), Error>) -> lucairn_result {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => lucairn_result::Ok,
        Ok(Err(e)) => {
            set_detail(&e.detail);
            e.code
        }
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(|s| s.as_str()))
                .unwrap_or("unknown panic");
            set_detail(&format!("internal error: {msg}"));
            lucairn_result::Panic
        }
    }
}

/// Like [`guard`] for functions that return a value and have no error code: a panic
/// yields `fallback`.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Runs `f` without recording a failure as the thread's error detail (for the two
/// functions that read messages, so that reading cannot overwrite what is read).
fn quiet(f: impl FnOnce() -> Result<(), Error>) -> lucairn_result {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => lucairn_result::Ok,
        Ok(Err(e)) => e.code,
        Err(_) => lucairn_result::Panic,
    }
}

/// Copies the description of a result code into `buf` as a NUL-terminated string.
///
/// `*len_out` receives the message length in bytes, not counting the NUL. `buf` must hold
/// `*len_out + 1` bytes; when it does not, the call returns
/// `LUCAIRN_RESULT_BUFFER_TOO_SMALL`, sets `*len_out` and leaves `buf` alone (`buf` may be
/// NULL when `buf_len` is 0, to ask for the length). Unknown codes are described as such.
/// This function does not change the thread's error detail. Thread-safe.
///
/// # Safety
///
/// `buf` must be NULL or valid for writes of `buf_len` bytes; `len_out` must be NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_error_message(
    code: u32,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    quiet(|| {
        // SAFETY: the caller's contract above.
        let out = unsafe { StrOut::new(buf, buf_len, len_out)? };
        let msg = lucairn_result::from_u32(code).map_or("unknown result code", lucairn_result::message);
        out.write(msg.as_bytes())
    })
}

/// Copies the detail of the last failed call on the calling thread into `buf` as a
/// NUL-terminated string, such as `policy.custom[0] (EMPLOYEE_ID): invalid regex: ...` or
/// `text: invalid UTF-8 at byte 7`.
///
/// The detail is per thread: a failure on another thread does not change it, and a
/// successful call does not clear it (like `errno`). Before any failure it is empty.
/// Buffer rules as for `lucairn_error_message`. This function and
/// `lucairn_error_message` never change the detail themselves.
///
/// # Safety
///
/// `buf` must be NULL or valid for writes of `buf_len` bytes; `len_out` must be NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_last_error_detail(
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    quiet(|| {
        // SAFETY: the caller's contract above.
        let out = unsafe { StrOut::new(buf, buf_len, len_out)? };
        let detail = DETAIL.try_with(|d| d.try_borrow().map(|d| d.clone()).unwrap_or_default()).unwrap_or_default();
        out.write(detail.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_a_code_and_a_detail() {
        let r = guard(|| panic!("boom {}", 42));
        assert_eq!(r, lucairn_result::Panic);
        assert_eq!(DETAIL.with(|d| d.borrow().clone()), "internal error: boom 42");
        assert_eq!(guard_value(7, || panic!("static message")), 7);
    }

    #[test]
    fn codes_round_trip_and_are_stable() {
        for &r in lucairn_result::ALL {
            assert_eq!(lucairn_result::from_u32(r as u32), Some(r));
            assert!(!r.message().is_empty());
        }
        let numbers: Vec<u32> = lucairn_result::ALL.iter().map(|&r| r as u32).collect();
        assert_eq!(
            numbers,
            [0, 1, 2, 3, 4, 5, 6, 7, 100, 200, 201, 202, 203, 300, 400, 401, 402, 403, 404, 405, 900, 901]
        );
        assert_eq!(lucairn_result::from_u32(8), None);
    }
}
