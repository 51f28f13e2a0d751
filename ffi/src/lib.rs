//! The C ABI of the Lucairn engine: `liblucairn` (static and shared) with the header
//! `include/lucairn.h`.
//!
//! # Overview
//!
//! - `lucairn_engine`: an opaque handle to a compiled policy, from
//!   [`lucairn_engine_new`] (policy JSON, or NULL for the defaults) and freed with
//!   [`lucairn_engine_free`].
//! - [`lucairn_engine_scan`] writes [`lucairn_finding`]s (byte spans, a kind id, a score,
//!   the detector's name) into a caller buffer; [`lucairn_engine_scan_alloc`] allocates
//!   the array instead. [`lucairn_engine_redact`] replaces each finding by `[KIND]`.
//! - Every fallible function returns a [`lucairn_result`] with stable numbers;
//!   [`lucairn_error_message`] describes a code and [`lucairn_last_error_detail`] says
//!   what went wrong in the last failed call on the calling thread.
//! - `lucairn_sanitizer`: one request's placeholders ([`lucairn_sanitizer_new`]):
//!   [`lucairn_sanitizer_sanitize`] replaces personal data by placeholders such as
//!   `[EMAIL_ADDRESS_1]`, [`lucairn_sanitizer_scan_output`] scans a model's answer,
//!   [`lucairn_sanitizer_relink`] restores the values.
//! - `lucairn_mapping`: placeholders and their values ([`lucairn_sanitizer_mapping`]),
//!   re-linked with [`lucairn_mapping_relink`], sealed into a token with
//!   [`lucairn_mapping_seal`] and opened again with [`lucairn_mapping_open`].
//! - `lucairn_stream_sanitizer` and `lucairn_stream_relinker`: the same for text that
//!   arrives in chunks, with output identical to the whole-text output.
//! - [`lucairn_certificate_verify`] and [`lucairn_certificate_verify_chain`] check signed
//!   certificates against public keys.
//!
//! # Conventions
//!
//! - Names are `lucairn_<type>_<verb>`. Inputs are `(const uint8_t *ptr, size_t len)`
//!   pairs of UTF-8; `(NULL, 0)` is the empty input.
//! - A bad argument (NULL pointer, invalid UTF-8, a length above `PTRDIFF_MAX`, a buffer
//!   too small) returns an error code and writes no output, except that a too-small buffer
//!   reports the size needed. Strings are copied out NUL-terminated, `snprintf` style: the
//!   length output never counts the NUL, the buffer needs one byte more.
//! - Memory the library allocates is freed by the matching `*_free` function, which
//!   accepts NULL.
//! - No panic crosses the boundary: every exported function catches them and returns
//!   `LUCAIRN_RESULT_PANIC`.
//!
//! # Threads
//!
//! Engines and mappings are immutable and may be used from any number of threads at once.
//! Sanitizers and streams change with each call; a lock inside each serialises calls on
//! it, so sharing one between threads is safe, but their output depends on the order of
//! the calls, so each is meant for one thread at a time. For every handle, its `*_free`
//! must not overlap (or precede) other calls on it. The error detail is kept per thread.
//!
//! The Rust items of this crate are the C functions themselves; the crate is a `lib` too
//! so that its tests and benchmarks can call them directly.

#![deny(missing_docs)]
#![allow(non_camel_case_types)]

mod args;
mod cert;
mod engine;
mod error;
mod sanitize;

use std::ffi::c_char;

pub use crate::cert::{lucairn_certificate_info, lucairn_certificate_verify, lucairn_certificate_verify_chain};
pub use crate::engine::{
    LUCAIRN_KIND_CUSTOM_FIRST, lucairn_engine, lucairn_engine_free, lucairn_engine_kind_id, lucairn_engine_kind_name,
    lucairn_engine_new, lucairn_engine_policy_digest, lucairn_engine_redact, lucairn_engine_redact_alloc,
    lucairn_engine_scan, lucairn_engine_scan_alloc, lucairn_finding, lucairn_findings_free, lucairn_kind_builtin_count,
    lucairn_kind_name, lucairn_string_free,
};
pub use crate::error::{lucairn_error_message, lucairn_last_error_detail, lucairn_result};
pub use crate::sanitize::{
    LUCAIRN_KEY_LEN, LUCAIRN_OUTPUT_KEEP, LUCAIRN_OUTPUT_RELINK, lucairn_mapping, lucairn_mapping_free,
    lucairn_mapping_len, lucairn_mapping_open, lucairn_mapping_relink, lucairn_mapping_relink_alloc,
    lucairn_mapping_seal, lucairn_mapping_seal_alloc, lucairn_sanitizer, lucairn_sanitizer_free,
    lucairn_sanitizer_mapping, lucairn_sanitizer_new, lucairn_sanitizer_relink, lucairn_sanitizer_relink_alloc,
    lucairn_sanitizer_sanitize, lucairn_sanitizer_sanitize_alloc, lucairn_sanitizer_scan_output,
    lucairn_sanitizer_scan_output_alloc, lucairn_stream_relinker, lucairn_stream_relinker_finish,
    lucairn_stream_relinker_free, lucairn_stream_relinker_new, lucairn_stream_relinker_push, lucairn_stream_sanitizer,
    lucairn_stream_sanitizer_finish, lucairn_stream_sanitizer_free, lucairn_stream_sanitizer_new,
    lucairn_stream_sanitizer_new_output, lucairn_stream_sanitizer_push,
};

/// The library version ("MAJOR.MINOR.PATCH"), a static NUL-terminated string. Compare it
/// with `LUCAIRN_VERSION` to check that the header matches the library. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn lucairn_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast::<c_char>()
}
