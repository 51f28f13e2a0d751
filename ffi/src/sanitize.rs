//! Sanitizers, mappings and the stream handles: thin wrappers of the core's `Sanitizer`,
//! `Mapping`, `StreamSanitizer`, `OutputStream` and `StreamRelinker`.
//!
//! A sanitizer handle owns its `Sanitizer` through a shared slot, so that a stream
//! sanitizer can borrow it (the slot is empty while the stream is open) and give it back
//! when the stream is freed, whichever of the two handles is freed first.

use std::ffi::c_char;
use std::sync::{Arc, Mutex, PoisonError};

use lucairn_core::{
    Location, Mapping, OutputMode, OutputStream, Sanitizer, StreamRelinker, StreamSanitizer, TokenError,
};

use crate::args::{self, AllocStrOut, Out, StrDest, null};
use crate::engine::{engine_ref, lucairn_engine};
use crate::error::{Error, guard, guard_value, lucairn_result, lucairn_result as R};

/// Length in bytes of the keys this API takes: tenant secrets, mapping token keys and
/// ed25519 public keys.
pub const LUCAIRN_KEY_LEN: usize = 32;

/// Output mode of `lucairn_sanitizer_scan_output`: restore the request's placeholders to
/// the original values.
pub const LUCAIRN_OUTPUT_RELINK: u32 = 0;

/// Output mode of `lucairn_sanitizer_scan_output`: leave the request's placeholders as the
/// model wrote them.
pub const LUCAIRN_OUTPUT_KEEP: u32 = 1;

/// The sanitizer of one request: replaces personal data by placeholders such as
/// `[EMAIL_ADDRESS_1]` and remembers which value each placeholder stands for.
///
/// Create one per request with `lucairn_sanitizer_new`, free it with
/// `lucairn_sanitizer_free`. It keeps its own reference to the engine, so the engine may
/// be freed first.
///
/// Threads: calls on one sanitizer are serialised by a lock inside it, so several threads
/// may use it, but placeholders are numbered in the order of the calls: sanitise the texts
/// of a request in their order from one thread to get reproducible placeholders. Only
/// `lucairn_sanitizer_free` must not overlap or precede other calls on it.
#[derive(Debug)]
pub struct lucairn_sanitizer {
    _private: [u8; 0],
}

/// Placeholders and the original values they stand for: a snapshot of a sanitizer's
/// mapping (`lucairn_sanitizer_mapping`) or a mapping opened from a token
/// (`lucairn_mapping_open`). Free it with `lucairn_mapping_free`.
///
/// Threads: a mapping is immutable; any number of threads may use it at once. Only
/// `lucairn_mapping_free` must not overlap or precede other calls on it.
#[derive(Debug)]
pub struct lucairn_mapping {
    _private: [u8; 0],
}

/// Sanitises one text that arrives in chunks (`lucairn_stream_sanitizer_new`), or scans
/// one model answer that arrives in chunks (`lucairn_stream_sanitizer_new_output`), with
/// the placeholders of a sanitizer that it borrows until it is freed.
///
/// Threads: calls on one stream are serialised by a lock inside it; since its output
/// depends on the order of the chunks, push from one thread at a time. Only
/// `lucairn_stream_sanitizer_free` must not overlap or precede other calls on it.
#[derive(Debug)]
pub struct lucairn_stream_sanitizer {
    _private: [u8; 0],
}

/// Re-links a model answer that arrives in chunks (`lucairn_stream_relinker_new`).
///
/// Threads: as for `lucairn_stream_sanitizer`.
#[derive(Debug)]
pub struct lucairn_stream_relinker {
    _private: [u8; 0],
}

/// Where a sanitizer is: available, lent to a stream, or unusable after a panic inside a
/// stream that had it. (One per handle, behind an `Arc`: the size of `Ready` is no cost.)
#[allow(clippy::large_enum_variant)]
enum Slot {
    Ready(Sanitizer),
    Lent,
    Broken,
}

/// What a `lucairn_sanitizer` points to.
type Home = Arc<Mutex<Slot>>;

/// What a `lucairn_stream_sanitizer` points to.
struct StreamHandle {
    home: Home,
    stream: Mutex<Stream>,
}

enum Stream {
    Input(StreamSanitizer),
    Output(OutputStream),
}

fn broken(what: &str) -> Error {
    Error::new(R::Panic, format!("{what}: unusable after an earlier internal error"))
}

/// # Safety
///
/// `p` must be NULL or come from `lucairn_sanitizer_new` and not have been freed.
unsafe fn home_ref<'a>(p: *const lucairn_sanitizer) -> Result<&'a Home, Error> {
    // SAFETY: the caller's contract; handles are `Box<Home>` pointers.
    unsafe { p.cast::<Home>().as_ref() }.ok_or_else(|| null("sanitizer"))
}

/// Runs `f` on the sanitizer in `home`, holding its lock.
fn with_sanitizer<T>(home: &Home, f: impl FnOnce(&mut Sanitizer) -> Result<T, Error>) -> Result<T, Error> {
    let mut slot = home.lock().map_err(|_| broken("sanitizer"))?;
    match &mut *slot {
        Slot::Ready(s) => f(s),
        Slot::Lent => Err(Error::new(
            R::SanitizerBusy,
            "sanitizer: lent to an open stream sanitizer; free the stream to use it again",
        )),
        Slot::Broken => Err(broken("sanitizer")),
    }
}

/// Runs `f` on a copy of the sanitizer and keeps the copy only if `f` succeeds, so that a
/// failure (a buffer too small) leaves the sanitizer as it was.
fn with_sanitizer_copy(home: &Home, f: impl FnOnce(&mut Sanitizer) -> Result<(), Error>) -> Result<(), Error> {
    with_sanitizer(home, |s| {
        let mut work = s.clone();
        f(&mut work)?;
        *s = work;
        Ok(())
    })
}

/// # Safety
///
/// `p` must be NULL or a live mapping handle.
unsafe fn mapping_ref<'a>(p: *const lucairn_mapping) -> Result<&'a Mapping, Error> {
    // SAFETY: the caller's contract; handles are `Box<Mapping>` pointers.
    unsafe { p.cast::<Mapping>().as_ref() }.ok_or_else(|| null("mapping"))
}

/// # Safety
///
/// `p` must be NULL or a live stream sanitizer handle.
unsafe fn stream_ref<'a>(p: *const lucairn_stream_sanitizer) -> Result<&'a StreamHandle, Error> {
    // SAFETY: the caller's contract; handles are `Box<StreamHandle>` pointers.
    unsafe { p.cast::<StreamHandle>().as_ref() }.ok_or_else(|| null("stream"))
}

/// # Safety
///
/// `p` must be NULL or a live stream relinker handle.
unsafe fn relinker_ref<'a>(p: *const lucairn_stream_relinker) -> Result<&'a Mutex<StreamRelinker>, Error> {
    // SAFETY: the caller's contract; handles are `Box<Mutex<StreamRelinker>>` pointers.
    unsafe { p.cast::<Mutex<StreamRelinker>>().as_ref() }.ok_or_else(|| null("relinker"))
}

/// # Safety
///
/// As for [`args::text`].
unsafe fn location(message: u32, field: *const u8, field_len: usize) -> Result<Location, Error> {
    // SAFETY: forwarded contract.
    let field = unsafe { args::text(field, field_len, "field")? };
    Ok(Location::new(message, field))
}

fn output_mode(mode: u32) -> Result<OutputMode, Error> {
    match mode {
        LUCAIRN_OUTPUT_RELINK => Ok(OutputMode::Relink),
        LUCAIRN_OUTPUT_KEEP => Ok(OutputMode::Keep),
        m => Err(Error::new(
            R::InvalidArgument,
            format!("mode: {m} is neither LUCAIRN_OUTPUT_RELINK (0) nor LUCAIRN_OUTPUT_KEEP (1)"),
        )),
    }
}

fn token_error(e: TokenError) -> Error {
    let code = match e {
        TokenError::Malformed => R::MappingTokenMalformed,
        TokenError::UnsupportedVersion(_) => R::MappingTokenUnsupportedVersion,
        TokenError::Decrypt => R::MappingTokenDecrypt,
        TokenError::Payload => R::MappingTokenPayload,
        TokenError::Random => R::RandomnessUnavailable,
        _ => R::MappingTokenMalformed,
    };
    Error::new(code, format!("token: {e}"))
}

/// Sanitises a text (`mode` `None`) or scans an answer in `mode` into `dest`: the body of
/// `lucairn_sanitizer_sanitize`, `lucairn_sanitizer_scan_output` and their `_alloc`
/// variants.
///
/// Into a caller buffer, which may turn out too small, the work is done on a copy of the
/// sanitizer's state, kept only on success.
///
/// # Safety
///
/// As for `lucairn_sanitizer_sanitize`.
#[allow(clippy::too_many_arguments)]
unsafe fn sanitize(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    text: *const u8,
    text_len: usize,
    mode: Option<u32>,
    dest: StrDest,
) -> Result<(), Error> {
    // SAFETY (all four): the caller's contract.
    let home = unsafe { home_ref(sanitizer)? };
    let location = unsafe { location(message, field, field_len)? };
    let text = unsafe { args::text(text, text_len, "text")? };
    let out = unsafe { dest.check()? };
    let mode = mode.map(output_mode).transpose()?;
    let work = |s: &mut Sanitizer| {
        out.write(match mode {
            None => s.sanitize(location, text),
            Some(mode) => s.scan_output(location, text, mode),
        })
    };
    if out.is_caller_buffer() { with_sanitizer_copy(home, work) } else { with_sanitizer(home, work) }
}

/// The body of `lucairn_sanitizer_relink` and `lucairn_sanitizer_relink_alloc`.
///
/// # Safety
///
/// As for `lucairn_sanitizer_relink`.
unsafe fn sanitizer_relink(
    sanitizer: *const lucairn_sanitizer,
    text: *const u8,
    text_len: usize,
    dest: StrDest,
) -> Result<(), Error> {
    // SAFETY (all three): the caller's contract.
    let home = unsafe { home_ref(sanitizer)? };
    let text = unsafe { args::text(text, text_len, "text")? };
    let out = unsafe { dest.check()? };
    with_sanitizer(home, |s| out.write(s.relink(text)))
}

/// The body of `lucairn_mapping_relink` and `lucairn_mapping_relink_alloc`.
///
/// # Safety
///
/// As for `lucairn_mapping_relink`.
unsafe fn mapping_relink(
    mapping: *const lucairn_mapping,
    text: *const u8,
    text_len: usize,
    dest: StrDest,
) -> Result<(), Error> {
    // SAFETY (all three): the caller's contract.
    let mapping = unsafe { mapping_ref(mapping)? };
    let text = unsafe { args::text(text, text_len, "text")? };
    let out = unsafe { dest.check()? };
    out.write(mapping.relink(text))
}

/// The body of `lucairn_mapping_seal` and `lucairn_mapping_seal_alloc`.
///
/// # Safety
///
/// As for `lucairn_mapping_seal`.
unsafe fn mapping_seal(
    mapping: *const lucairn_mapping,
    key: *const u8,
    tenant: *const u8,
    tenant_len: usize,
    dest: StrDest,
) -> Result<(), Error> {
    // SAFETY (all four): the caller's contract.
    let mapping = unsafe { mapping_ref(mapping)? };
    let key = unsafe { args::key(key, "key")? };
    let tenant = unsafe { args::text(tenant, tenant_len, "tenant")? };
    let out = unsafe { dest.check()? };
    out.write(mapping.seal(key, tenant).map_err(token_error)?)
}

/// Creates the sanitizer of one request.
///
/// `secret` is NULL, or points to a tenant secret of `LUCAIRN_KEY_LEN` (32) bytes. Without
/// a secret, placeholders are numbered 1, 2, 3 ... per kind in order of appearance, and
/// the value digests of the records are keyed with a random key. With a secret, the number
/// of each value's placeholder is derived from the secret (six digits, such as
/// `[EMAIL_ADDRESS_482913]`), so the same value gets the same placeholder in every request
/// of the tenant. On success `*sanitizer_out` receives the sanitizer, to be freed with
/// `lucairn_sanitizer_free`; on failure it is not written. Thread-safe.
///
/// # Safety
///
/// `engine` must be a live engine or NULL; `secret` NULL or valid for reads of 32 bytes;
/// `sanitizer_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_new(
    engine: *const lucairn_engine,
    secret: *const u8,
    sanitizer_out: *mut *mut lucairn_sanitizer,
) -> lucairn_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let engine = unsafe { engine_ref(engine)? };
        let out = Out::new(sanitizer_out, "sanitizer_out")?;
        let sanitizer = if secret.is_null() {
            Sanitizer::new(engine)
        } else {
            // SAFETY: the caller's contract.
            Sanitizer::with_secret(engine, unsafe { args::key(secret, "secret")? })
        };
        let home: Home = Arc::new(Mutex::new(Slot::Ready(sanitizer)));
        out.set(args::into_handle(home));
        Ok(())
    })
}

/// Frees a sanitizer. NULL is ignored. A stream sanitizer that borrows it stays valid
/// (and is freed on its own).
///
/// # Safety
///
/// `sanitizer` must be NULL or come from `lucairn_sanitizer_new` and not have been freed;
/// no other call on it may run at the same time or follow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_free(sanitizer: *mut lucairn_sanitizer) {
    // SAFETY: the caller's contract; handles are `Box<Home>` pointers.
    guard_value((), || unsafe { args::free_handle::<Home, _>(sanitizer) })
}

/// Replaces the personal data in `text` by placeholders and copies the sanitised text into
/// `buf`, NUL-terminated.
///
/// `message` and `field` say where the text sits in the request (such as 0 and
/// `"content"`); they are recorded with each replaced value. `field` is UTF-8 and may be
/// empty. The same value gets the same placeholder in every text of the sanitizer.
/// Placeholder-like text the input already contains is kept apart, so that re-linking
/// never turns it into a value.
///
/// Buffer rules as for `lucairn_engine_redact`: `*len_out` receives the length of the
/// sanitised text; when `buf` cannot hold it and a NUL, the call returns
/// `LUCAIRN_RESULT_BUFFER_TOO_SMALL` and neither `buf` nor the sanitizer changes. To do
/// so, the call works on a copy of the sanitizer's state and keeps it only on success;
/// `lucairn_sanitizer_sanitize_alloc` avoids that copy. Returns
/// `LUCAIRN_RESULT_SANITIZER_BUSY` while a stream sanitizer borrows the sanitizer.
///
/// # Safety
///
/// `sanitizer` must be a live sanitizer or NULL; `field` and `text` NULL or valid for
/// reads of their lengths; `buf` NULL or valid for writes of `buf_len` bytes; `len_out`
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_sanitize(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    text: *const u8,
    text_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Buf { buf, buf_len, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { sanitize(sanitizer, message, field, field_len, text, text_len, None, dest) })
}

/// Sanitises `text` (as `lucairn_sanitizer_sanitize`) into a new NUL-terminated string.
///
/// On success `*text_out` receives the string (never NULL) and `*len_out` its length
/// without the NUL; free it with `lucairn_string_free`. On failure neither is written and
/// the sanitizer does not change.
///
/// # Safety
///
/// As for `lucairn_sanitizer_sanitize`; `text_out` and `len_out` must be NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_sanitize_alloc(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    text: *const u8,
    text_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Alloc { text_out, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { sanitize(sanitizer, message, field, field_len, text, text_len, None, dest) })
}

/// Scans a model's answer against the sanitizer's placeholders and copies the text to
/// show into `buf`, NUL-terminated.
///
/// With `mode` `LUCAIRN_OUTPUT_RELINK` the request's placeholders become the original
/// values again; with `LUCAIRN_OUTPUT_KEEP` they stay as the model wrote them. Personal
/// data the model produced itself is always replaced by a placeholder (one of the
/// request's if the value is the request's and the mode is `KEEP`, else a new one that
/// can never be re-linked). Another mode returns `LUCAIRN_RESULT_INVALID_ARGUMENT`.
/// `message` is the index of the choice; `field`, buffer and busy rules as for
/// `lucairn_sanitizer_sanitize` (this call, too, works on a copy of the sanitizer's state;
/// `lucairn_sanitizer_scan_output_alloc` does not).
///
/// # Safety
///
/// As for `lucairn_sanitizer_sanitize`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_scan_output(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    text: *const u8,
    text_len: usize,
    mode: u32,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Buf { buf, buf_len, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { sanitize(sanitizer, message, field, field_len, text, text_len, Some(mode), dest) })
}

/// Scans a model's answer (as `lucairn_sanitizer_scan_output`) into a new NUL-terminated
/// string; output rules as for `lucairn_sanitizer_sanitize_alloc`.
///
/// # Safety
///
/// As for `lucairn_sanitizer_sanitize_alloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_scan_output_alloc(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    text: *const u8,
    text_len: usize,
    mode: u32,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Alloc { text_out, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { sanitize(sanitizer, message, field, field_len, text, text_len, Some(mode), dest) })
}

/// Restores the original values of the sanitizer's placeholders in `text` into `buf`,
/// NUL-terminated (see `lucairn_mapping_relink`). The sanitizer does not change. Buffer
/// and busy rules as for `lucairn_sanitizer_sanitize`.
///
/// # Safety
///
/// `sanitizer` must be a live sanitizer or NULL; `text` NULL or valid for reads of
/// `text_len` bytes; `buf` NULL or valid for writes of `buf_len` bytes; `len_out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_relink(
    sanitizer: *const lucairn_sanitizer,
    text: *const u8,
    text_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Buf { buf, buf_len, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { sanitizer_relink(sanitizer, text, text_len, dest) })
}

/// Re-links `text` (as `lucairn_sanitizer_relink`) into a new NUL-terminated string,
/// freed with `lucairn_string_free`.
///
/// # Safety
///
/// As for `lucairn_sanitizer_relink`; `text_out` and `len_out` must be NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_relink_alloc(
    sanitizer: *const lucairn_sanitizer,
    text: *const u8,
    text_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Alloc { text_out, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { sanitizer_relink(sanitizer, text, text_len, dest) })
}

/// Copies the sanitizer's mapping so far into a new mapping handle, to re-link, seal or
/// stream-re-link with; later calls on the sanitizer do not change it. On success
/// `*mapping_out` receives the mapping, to be freed with `lucairn_mapping_free`; on
/// failure it is not written. `LUCAIRN_RESULT_SANITIZER_BUSY` while a stream sanitizer
/// borrows the sanitizer.
///
/// # Safety
///
/// `sanitizer` must be a live sanitizer or NULL; `mapping_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_sanitizer_mapping(
    sanitizer: *const lucairn_sanitizer,
    mapping_out: *mut *mut lucairn_mapping,
) -> lucairn_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let home = unsafe { home_ref(sanitizer)? };
        let out = Out::new(mapping_out, "mapping_out")?;
        let mapping = with_sanitizer(home, |s| Ok(s.mapping().clone()))?;
        out.set(args::into_handle(mapping));
        Ok(())
    })
}

/// Frees a mapping. NULL is ignored.
///
/// # Safety
///
/// `mapping` must be NULL or a mapping from this library not yet freed; no other call on
/// it may run at the same time or follow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_free(mapping: *mut lucairn_mapping) {
    // SAFETY: the caller's contract; handles are `Box<Mapping>` pointers.
    guard_value((), || unsafe { args::free_handle::<Mapping, _>(mapping) })
}

/// Writes the number of placeholders in the mapping to `*len_out`. Thread-safe.
///
/// # Safety
///
/// `mapping` must be a live mapping or NULL; `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_len(mapping: *const lucairn_mapping, len_out: *mut usize) -> lucairn_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let mapping = unsafe { mapping_ref(mapping)? };
        Out::new(len_out, "len_out")?.set(mapping.len());
        Ok(())
    })
}

/// Restores original values in `text` and copies the result into `buf`, NUL-terminated.
///
/// Every placeholder of the mapping becomes the value it stands for, also in the forms
/// models give placeholders (brackets dropped, case changed, markdown escapes, a line
/// break inside, punctuation or quotes around). Placeholders the mapping does not know
/// stay as they are. For a text `x` sanitised with this mapping, re-linking the sanitised
/// text gives `x` back. Buffer rules as for `lucairn_engine_redact`. Thread-safe.
///
/// # Safety
///
/// `mapping` must be a live mapping or NULL; `text` NULL or valid for reads of `text_len`
/// bytes; `buf` NULL or valid for writes of `buf_len` bytes; `len_out` NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_relink(
    mapping: *const lucairn_mapping,
    text: *const u8,
    text_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Buf { buf, buf_len, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { mapping_relink(mapping, text, text_len, dest) })
}

/// Re-links `text` (as `lucairn_mapping_relink`) into a new NUL-terminated string, freed
/// with `lucairn_string_free`. Thread-safe.
///
/// # Safety
///
/// As for `lucairn_mapping_relink`; `text_out` and `len_out` must be NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_relink_alloc(
    mapping: *const lucairn_mapping,
    text: *const u8,
    text_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Alloc { text_out, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { mapping_relink(mapping, text, text_len, dest) })
}

/// Seals the mapping into an opaque, URL-safe token for `tenant`, encrypted with `key`
/// (`LUCAIRN_KEY_LEN` bytes), and copies it into `buf`, NUL-terminated.
///
/// A server hands the token to its client and later re-links the answer with
/// `lucairn_mapping_open` without storing anything. The token opens only with the same
/// key and tenant (UTF-8, may be empty). Each call uses a new random nonce, so two calls
/// give different tokens of the same length: asking for the length first with
/// `(NULL, 0)` works. Buffer rules as for `lucairn_engine_redact`;
/// `LUCAIRN_RESULT_RANDOMNESS_UNAVAILABLE` if the operating system gives no randomness.
/// Thread-safe.
///
/// # Safety
///
/// `mapping` must be a live mapping or NULL; `key` NULL or valid for reads of 32 bytes;
/// `tenant` NULL or valid for reads of `tenant_len` bytes; `buf` NULL or valid for writes
/// of `buf_len` bytes; `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_seal(
    mapping: *const lucairn_mapping,
    key: *const u8,
    tenant: *const u8,
    tenant_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Buf { buf, buf_len, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { mapping_seal(mapping, key, tenant, tenant_len, dest) })
}

/// Seals the mapping (as `lucairn_mapping_seal`) into a new NUL-terminated string, freed
/// with `lucairn_string_free`. Thread-safe.
///
/// # Safety
///
/// As for `lucairn_mapping_seal`; `text_out` and `len_out` must be NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_seal_alloc(
    mapping: *const lucairn_mapping,
    key: *const u8,
    tenant: *const u8,
    tenant_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Alloc { text_out, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { mapping_seal(mapping, key, tenant, tenant_len, dest) })
}

/// Opens a token made by `lucairn_mapping_seal` with the same key and tenant.
///
/// On success `*mapping_out` receives the mapping, to be freed with
/// `lucairn_mapping_free`; on failure it is not written. White space around the token is
/// ignored; an empty token is `LUCAIRN_RESULT_EMPTY_INPUT`. Errors:
/// `LUCAIRN_RESULT_MAPPING_TOKEN_MALFORMED` (not a token),
/// `..._UNSUPPORTED_VERSION`, `..._DECRYPT` (another key or tenant, or an altered token),
/// `..._PAYLOAD` (the content is not a mapping). Thread-safe.
///
/// # Safety
///
/// `token` and `tenant` must be NULL or valid for reads of their lengths; `key` NULL or
/// valid for reads of 32 bytes; `mapping_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_mapping_open(
    token: *const u8,
    token_len: usize,
    key: *const u8,
    tenant: *const u8,
    tenant_len: usize,
    mapping_out: *mut *mut lucairn_mapping,
) -> lucairn_result {
    guard(|| {
        // SAFETY (all three): the caller's contract.
        let token = unsafe { args::text(token, token_len, "token")? };
        let key = unsafe { args::key(key, "key")? };
        let tenant = unsafe { args::text(tenant, tenant_len, "tenant")? };
        let out = Out::new(mapping_out, "mapping_out")?;
        if token.is_empty() {
            return Err(Error::new(R::EmptyInput, "token: empty"));
        }
        let mapping = Mapping::open(token, key, tenant).map_err(token_error)?;
        out.set(args::into_handle(mapping));
        Ok(())
    })
}

/// Takes the sanitizer out of `home` for a stream.
fn borrow(home: &Home) -> Result<Sanitizer, Error> {
    let mut slot = home.lock().map_err(|_| broken("sanitizer"))?;
    match std::mem::replace(&mut *slot, Slot::Lent) {
        Slot::Ready(s) => Ok(s),
        other => {
            let busy = matches!(other, Slot::Lent);
            *slot = other;
            if busy {
                Err(Error::new(R::SanitizerBusy, "sanitizer: already lent to an open stream sanitizer"))
            } else {
                Err(broken("sanitizer"))
            }
        }
    }
}

/// # Safety
///
/// As for `lucairn_stream_sanitizer_new`.
unsafe fn new_stream(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    mode: Option<u32>,
    stream_out: *mut *mut lucairn_stream_sanitizer,
) -> Result<(), Error> {
    // SAFETY (both): the caller's contract.
    let home = unsafe { home_ref(sanitizer)? };
    let location = unsafe { location(message, field, field_len)? };
    let out = Out::new(stream_out, "stream_out")?;
    let mode = mode.map(output_mode).transpose()?;
    let s = borrow(home)?;
    let stream = match mode {
        None => Stream::Input(StreamSanitizer::new(s, location)),
        Some(mode) => Stream::Output(OutputStream::new(s, location, mode)),
    };
    let handle = StreamHandle { home: Arc::clone(home), stream: Mutex::new(stream) };
    out.set(args::into_handle(handle));
    Ok(())
}

/// Opens a stream that sanitises one text arriving in chunks, with `sanitizer`'s
/// placeholders.
///
/// `message` and `field` as for `lucairn_sanitizer_sanitize`. The stream borrows the
/// sanitizer: until `lucairn_stream_sanitizer_free`, calls on the sanitizer return
/// `LUCAIRN_RESULT_SANITIZER_BUSY` (as does opening a second stream on it); after it, the
/// sanitizer has the placeholders and records of the streamed text. On success
/// `*stream_out` receives the stream; on failure it is not written. Thread-safe.
///
/// Each `lucairn_stream_sanitizer_push` returns the sanitised text that is safe to emit
/// now, holding back only what could still become part of a finding (at most a few
/// hundred bytes; longer inside a PEM block); `lucairn_stream_sanitizer_finish` returns
/// the rest. For any way of cutting a text into chunks, the concatenated output equals
/// what `lucairn_sanitizer_sanitize` returns for the whole text.
///
/// # Safety
///
/// `sanitizer` must be a live sanitizer or NULL; `field` NULL or valid for reads of
/// `field_len` bytes; `stream_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_sanitizer_new(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    stream_out: *mut *mut lucairn_stream_sanitizer,
) -> lucairn_result {
    // SAFETY: the caller's contract.
    guard(|| unsafe { new_stream(sanitizer, message, field, field_len, None, stream_out) })
}

/// Opens a stream that scans one model answer arriving in chunks, as
/// `lucairn_sanitizer_scan_output` does for a whole answer (`mode` is
/// `LUCAIRN_OUTPUT_RELINK` or `LUCAIRN_OUTPUT_KEEP`). It borrows the sanitizer and holds
/// back as `lucairn_stream_sanitizer_new` describes. Thread-safe.
///
/// # Safety
///
/// As for `lucairn_stream_sanitizer_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_sanitizer_new_output(
    sanitizer: *mut lucairn_sanitizer,
    message: u32,
    field: *const u8,
    field_len: usize,
    mode: u32,
    stream_out: *mut *mut lucairn_stream_sanitizer,
) -> lucairn_result {
    // SAFETY: the caller's contract.
    guard(|| unsafe { new_stream(sanitizer, message, field, field_len, Some(mode), stream_out) })
}

fn with_stream<T>(h: &StreamHandle, f: impl FnOnce(&mut Stream) -> T) -> Result<T, Error> {
    let mut s = h.stream.lock().map_err(|_| broken("stream"))?;
    Ok(f(&mut s))
}

/// Adds a chunk of bytes to the stream and returns the output that can be emitted now, as
/// a new NUL-terminated string (possibly empty, never NULL) in `*text_out` with its length
/// in `*len_out`; free it with `lucairn_string_free`.
///
/// A chunk may end inside a multi-byte UTF-8 character: the incomplete tail waits for the
/// next chunk. Invalid UTF-8 becomes U+FFFD, as a lossy decoding of the whole text would
/// give. `(NULL, 0)` is an empty chunk. The output is allocated because a push consumes
/// its chunk and cannot be repeated into a bigger buffer. On failure nothing is consumed
/// or written.
///
/// # Safety
///
/// `stream` must be a live stream sanitizer or NULL; `chunk` NULL or valid for reads of
/// `chunk_len` bytes; `text_out` and `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_sanitizer_push(
    stream: *mut lucairn_stream_sanitizer,
    chunk: *const u8,
    chunk_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let h = unsafe { stream_ref(stream)? };
        let chunk = unsafe { args::bytes(chunk, chunk_len, "chunk")? };
        let out = AllocStrOut::new(text_out, len_out)?;
        let text = with_stream(h, |s| match s {
            Stream::Input(s) => s.push_bytes(chunk),
            Stream::Output(s) => s.push_bytes(chunk),
        })?;
        out.write(text)
    })
}

/// Ends the text and returns the rest of the output, as `lucairn_stream_sanitizer_push`
/// returns its output. The stream may then take a new text at the same location (offsets
/// counted from 0 again). Thread-safe as the stream type describes.
///
/// # Safety
///
/// `stream` must be a live stream sanitizer or NULL; `text_out` and `len_out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_sanitizer_finish(
    stream: *mut lucairn_stream_sanitizer,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let h = unsafe { stream_ref(stream)? };
        let out = AllocStrOut::new(text_out, len_out)?;
        let text = with_stream(h, |s| match s {
            Stream::Input(s) => s.finish(),
            Stream::Output(s) => s.finish(),
        })?;
        out.write(text)
    })
}

/// Frees a stream sanitizer and gives its sanitizer back (with the placeholders and
/// records of what was pushed). Output not taken with `lucairn_stream_sanitizer_finish`
/// is dropped. NULL is ignored.
///
/// # Safety
///
/// `stream` must be NULL or come from `lucairn_stream_sanitizer_new` or
/// `lucairn_stream_sanitizer_new_output` and not have been freed; no other call on it may
/// run at the same time or follow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_sanitizer_free(stream: *mut lucairn_stream_sanitizer) {
    guard_value((), || {
        if stream.is_null() {
            return;
        }
        // SAFETY: the caller's contract; handles are `Box<StreamHandle>` pointers.
        let StreamHandle { home, stream } = *unsafe { Box::from_raw(stream.cast::<StreamHandle>()) };
        let back = match stream.into_inner() {
            Ok(Stream::Input(s)) => Slot::Ready(s.into_sanitizer()),
            Ok(Stream::Output(s)) => Slot::Ready(s.into_sanitizer()),
            // A panic inside the stream may have left the sanitizer half updated.
            Err(_) => Slot::Broken,
        };
        let mut slot = home.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(*slot, Slot::Lent) {
            *slot = back;
        }
    })
}

/// Opens a stream that re-links a model answer arriving in chunks with a copy of
/// `mapping` (which may be freed afterwards).
///
/// Each `lucairn_stream_relinker_push` returns the re-linked text that can be emitted
/// now, holding back only a trailing stretch that could still become a placeholder
/// (typically the last word); the concatenated output equals what
/// `lucairn_mapping_relink` returns for the whole text. On success `*relinker_out`
/// receives the stream; on failure it is not written. Thread-safe.
///
/// # Safety
///
/// `mapping` must be a live mapping or NULL; `relinker_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_relinker_new(
    mapping: *const lucairn_mapping,
    relinker_out: *mut *mut lucairn_stream_relinker,
) -> lucairn_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let mapping = unsafe { mapping_ref(mapping)? };
        let out = Out::new(relinker_out, "relinker_out")?;
        let r = Mutex::new(StreamRelinker::new(mapping.clone()));
        out.set(args::into_handle(r));
        Ok(())
    })
}

/// Adds a chunk of bytes and returns the re-linked text that can be emitted now; chunk
/// and output rules as for `lucairn_stream_sanitizer_push`.
///
/// # Safety
///
/// `relinker` must be a live stream relinker or NULL; `chunk` NULL or valid for reads of
/// `chunk_len` bytes; `text_out` and `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_relinker_push(
    relinker: *mut lucairn_stream_relinker,
    chunk: *const u8,
    chunk_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let r = unsafe { relinker_ref(relinker)? };
        let chunk = unsafe { args::bytes(chunk, chunk_len, "chunk")? };
        let out = AllocStrOut::new(text_out, len_out)?;
        let text = r.lock().map_err(|_| broken("relinker"))?.push_bytes(chunk);
        out.write(text)
    })
}

/// Ends the answer and returns the rest, as `lucairn_stream_relinker_push` returns its
/// output; the stream may then take a new answer.
///
/// # Safety
///
/// `relinker` must be a live stream relinker or NULL; `text_out` and `len_out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_relinker_finish(
    relinker: *mut lucairn_stream_relinker,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let r = unsafe { relinker_ref(relinker)? };
        let out = AllocStrOut::new(text_out, len_out)?;
        let text = r.lock().map_err(|_| broken("relinker"))?.finish();
        out.write(text)
    })
}

/// Frees a stream relinker; output not taken with `lucairn_stream_relinker_finish` is
/// dropped. NULL is ignored.
///
/// # Safety
///
/// `relinker` must be NULL or come from `lucairn_stream_relinker_new` and not have been
/// freed; no other call on it may run at the same time or follow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_stream_relinker_free(relinker: *mut lucairn_stream_relinker) {
    // SAFETY: the caller's contract; handles are `Box<Mutex<StreamRelinker>>` pointers.
    guard_value((), || unsafe { args::free_handle::<Mutex<StreamRelinker>, _>(relinker) })
}
