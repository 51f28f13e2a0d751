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
//! An engine is immutable and may be used from any number of threads at once; every
//! function is thread-safe except that `lucairn_engine_free` must not overlap (or precede)
//! other calls on the same engine. The error detail is kept per thread.
//!
//! The Rust items of this crate are the C functions themselves; the crate is a `lib` too
//! so that its tests and benchmarks can call them directly.

#![deny(missing_docs)]
#![allow(non_camel_case_types)]

mod args;
mod engine;
mod error;

use std::ffi::c_char;

pub use crate::engine::{
    LUCAIRN_KIND_CUSTOM_FIRST, lucairn_engine, lucairn_engine_free, lucairn_engine_kind_id, lucairn_engine_kind_name,
    lucairn_engine_new, lucairn_engine_policy_digest, lucairn_engine_redact, lucairn_engine_redact_alloc,
    lucairn_engine_scan, lucairn_engine_scan_alloc, lucairn_finding, lucairn_findings_free, lucairn_kind_builtin_count,
    lucairn_kind_name, lucairn_string_free,
};
pub use crate::error::{lucairn_error_message, lucairn_last_error_detail, lucairn_result};

/// The library version ("MAJOR.MINOR.PATCH"), a static NUL-terminated string. Compare it
/// with `LUCAIRN_VERSION` to check that the header matches the library. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn lucairn_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast::<c_char>()
}
