//! The engine handle: build, scan, redact, kinds.

use std::cell::RefCell;
use std::ffi::c_char;
use std::ptr;

use lucairn_core::{Engine, Finding, Kind, Policy};

use crate::args::{self, BufOut, Out, StrDest, StrOut, null};
use crate::error::{Error, guard, guard_value, lucairn_result, lucairn_result as R};

/// A compiled policy, ready to scan text.
///
/// Create one with `lucairn_engine_new`, free it with `lucairn_engine_free`. An engine is
/// immutable: any number of threads may use one engine at the same time with every
/// function that takes a `const lucairn_engine *`. Only `lucairn_engine_free` needs the
/// caller to make sure no other call on the same engine is running or will follow.
#[derive(Debug)]
pub struct lucairn_engine {
    _private: [u8; 0],
}

/// First kind id of the kinds a policy defines itself (custom detectors and deny terms);
/// the n-th custom kind of an engine has id `LUCAIRN_KIND_CUSTOM_FIRST + n`. Ids below
/// `lucairn_kind_builtin_count()` are built-in kinds.
pub const LUCAIRN_KIND_CUSTOM_FIRST: u32 = 0x1_0000;

/// One piece of personal data found in a text.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct lucairn_finding {
    /// First byte of the value in the scanned text (a UTF-8 byte offset).
    pub start: usize,
    /// One past the last byte of the value.
    pub end: usize,
    /// The kind id: a built-in kind (name from `lucairn_kind_name`) or, from
    /// `LUCAIRN_KIND_CUSTOM_FIRST` on, a kind of the engine's policy (name from
    /// `lucairn_engine_kind_name`). Built-in ids are fixed for a given library version;
    /// compare names, or look ids up with `lucairn_engine_kind_id`, rather than hard-coding
    /// numbers.
    pub kind: u32,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Name of the detector that found it (such as "email" or "custom_regex"), a static
    /// NUL-terminated string that stays valid for the life of the process.
    pub detector: *const c_char,
}

/// The C id of a kind.
pub(crate) fn kind_id(kind: Kind) -> u32 {
    match kind {
        Kind::Custom(i) => LUCAIRN_KIND_CUSTOM_FIRST + u32::from(i),
        k => Kind::BUILTIN.iter().position(|&b| b == k).and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX),
    }
}

/// The kind with C id `id`, if the id is in range (custom kinds not yet checked against an
/// engine).
pub(crate) fn kind_from_id(id: u32) -> Option<Kind> {
    if let Some(&k) = usize::try_from(id).ok().and_then(|i| Kind::BUILTIN.get(i)) {
        return Some(k);
    }
    id.checked_sub(LUCAIRN_KIND_CUSTOM_FIRST).and_then(|i| u16::try_from(i).ok()).map(Kind::Custom)
}

/// The name of the kind with C id `id` in `engine`.
fn engine_kind_name(engine: &Engine, id: u32) -> Result<&str, Error> {
    let unknown = || Error::new(R::UnknownKind, format!("kind: no kind with id {id} in this engine"));
    let kind = kind_from_id(id).ok_or_else(unknown)?;
    let name = engine.kind_name(kind);
    // A custom id past the engine's custom kinds does not round-trip through its name.
    if engine.kind_by_name(name) != Some(kind) {
        return Err(unknown());
    }
    Ok(name)
}

/// # Safety
///
/// `p` must be NULL or come from `lucairn_engine_new` and not have been freed.
pub(crate) unsafe fn engine_ref<'a>(p: *const lucairn_engine) -> Result<&'a Engine, Error> {
    // SAFETY: the caller's contract; handles are `Box<Engine>` pointers.
    unsafe { p.cast::<Engine>().as_ref() }.ok_or_else(|| null("engine"))
}

fn policy_error(e: lucairn_core::BuildError) -> Error {
    Error::new(R::InvalidPolicy, e.to_string())
}

fn convert(f: &Finding) -> lucairn_finding {
    lucairn_finding {
        start: f.span.start,
        end: f.span.end,
        kind: kind_id(f.kind),
        score: f.score,
        detector: args::static_cstr(f.detector),
    }
}

/// Scans into a per-thread buffer, so that steady-state scanning allocates nothing.
fn with_scan<T>(engine: &Engine, text: &str, f: impl FnOnce(&[Finding]) -> T) -> T {
    thread_local! {
        static SCRATCH: RefCell<Vec<Finding>> = const { RefCell::new(Vec::new()) };
    }
    let mut f = Some(f);
    let pooled = SCRATCH.try_with(|s| {
        let Ok(mut buf) = s.try_borrow_mut() else { return None };
        engine.scan_into(text, &mut buf);
        let r = f.take().map(|f| f(&buf));
        if buf.capacity() > 1 << 16 {
            *buf = Vec::new();
        }
        r
    });
    match (pooled, f) {
        (Ok(Some(r)), _) => r,
        (_, Some(f)) => f(&engine.scan(text)),
        (_, None) => unreachable!("scan callback consumed without a result"),
    }
}

/// Builds an engine from a policy in JSON.
///
/// `policy_json` may be NULL (with `policy_json_len` 0) for the default policy. A non-NULL
/// policy must be non-empty UTF-8 JSON (`{}` is the default policy); on
/// `LUCAIRN_RESULT_INVALID_POLICY`, `lucairn_last_error_detail` names the bad entry. On
/// success `*engine_out` receives a new engine, to be freed with `lucairn_engine_free`; on
/// failure it is not written. Thread-safe.
///
/// # Safety
///
/// `policy_json` must be NULL or valid for reads of `policy_json_len` bytes;
/// `engine_out` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_new(
    policy_json: *const u8,
    policy_json_len: usize,
    engine_out: *mut *mut lucairn_engine,
) -> lucairn_result {
    guard(|| {
        let out = Out::new(engine_out, "engine_out")?;
        // SAFETY: the caller's contract.
        let json = unsafe { args::text(policy_json, policy_json_len, "policy_json")? };
        let engine = if policy_json.is_null() {
            Engine::default()
        } else if json.is_empty() {
            return Err(Error::new(R::EmptyInput, "policy_json: empty; pass NULL for the default policy"));
        } else {
            Engine::new(Policy::from_json(json).map_err(policy_error)?).map_err(policy_error)?
        };
        out.set(args::into_handle(engine));
        Ok(())
    })
}

/// Frees an engine. NULL is ignored.
///
/// No other call on this engine may run at the same time or follow.
///
/// # Safety
///
/// `engine` must be NULL or come from `lucairn_engine_new` and not have been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_free(engine: *mut lucairn_engine) {
    // SAFETY: the caller's contract; handles are `Box<Engine>` pointers.
    guard_value((), || unsafe { args::free_handle::<Engine, _>(engine) })
}

/// Scans `text` into a caller buffer of `capacity` findings.
///
/// `text` is UTF-8 of `text_len` bytes; an empty text (`text_len` 0, `text` may then be
/// NULL) is valid and has no findings. Findings are sorted by position and never overlap.
/// `*count_out` receives the number of findings. When there are more than `capacity`, the
/// call returns `LUCAIRN_RESULT_BUFFER_TOO_SMALL` and leaves `findings` alone; call again
/// with at least `*count_out` (`findings` may be NULL when `capacity` is 0). Thread-safe.
///
/// # Safety
///
/// `engine` must be a live engine or NULL; `text` NULL or valid for reads of `text_len`
/// bytes; `findings` NULL or valid for writes of `capacity` findings; `count_out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_scan(
    engine: *const lucairn_engine,
    text: *const u8,
    text_len: usize,
    findings: *mut lucairn_finding,
    capacity: usize,
    count_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY (all three): the caller's contract.
        let engine = unsafe { engine_ref(engine)? };
        let text = unsafe { args::text(text, text_len, "text")? };
        let out = unsafe { BufOut::new(findings, capacity, "findings")? };
        let count_out = Out::new(count_out, "count_out")?;
        with_scan(engine, text, |found| {
            count_out.set(found.len());
            if found.len() > out.capacity() {
                return Err(Error::new(
                    R::BufferTooSmall,
                    format!("findings: {} found, capacity {}", found.len(), out.capacity()),
                ));
            }
            out.write_from(found, convert);
            Ok(())
        })
    })
}

/// Scans `text` into a new array of findings.
///
/// On success `*findings_out` receives the array (NULL when there are none) and
/// `*count_out` its length; free the array with `lucairn_findings_free`. On failure
/// neither is written. Text rules as for `lucairn_engine_scan`. Thread-safe.
///
/// # Safety
///
/// As for `lucairn_engine_scan`; `findings_out` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_scan_alloc(
    engine: *const lucairn_engine,
    text: *const u8,
    text_len: usize,
    findings_out: *mut *mut lucairn_finding,
    count_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let engine = unsafe { engine_ref(engine)? };
        let text = unsafe { args::text(text, text_len, "text")? };
        let findings_out = Out::new(findings_out, "findings_out")?;
        let count_out = Out::new(count_out, "count_out")?;
        let converted: Vec<lucairn_finding> = with_scan(engine, text, |found| found.iter().map(convert).collect());
        let array = if converted.is_empty() { ptr::null_mut() } else { args::alloc_array(&converted) };
        if array.is_null() && !converted.is_empty() {
            return Err(Error::new(R::LengthOverflow, "findings: allocation failed"));
        }
        findings_out.set(array);
        count_out.set(converted.len());
        Ok(())
    })
}

/// Frees an array from `lucairn_engine_scan_alloc`. NULL is ignored. Thread-safe.
///
/// # Safety
///
/// `findings` must be NULL or an array from `lucairn_engine_scan_alloc` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_findings_free(findings: *mut lucairn_finding) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { args::free_array(findings) })
}

/// The body of `lucairn_engine_redact` and `lucairn_engine_redact_alloc`.
///
/// # Safety
///
/// As for `lucairn_engine_redact`.
unsafe fn redact(engine: *const lucairn_engine, text: *const u8, text_len: usize, dest: StrDest) -> Result<(), Error> {
    // SAFETY (all three): the caller's contract.
    let engine = unsafe { engine_ref(engine)? };
    let text = unsafe { args::text(text, text_len, "text")? };
    let out = unsafe { dest.check()? };
    out.write(with_scan(engine, text, |found| engine.redact_with(text, found)))
}

/// Copies `text` with every finding replaced by `[KIND]` into `buf`, NUL-terminated.
///
/// `*len_out` receives the length of the redacted text in bytes, not counting the NUL
/// (the text itself may contain NUL bytes if the input did). `buf` must hold
/// `*len_out + 1` bytes; when it does not, the call returns
/// `LUCAIRN_RESULT_BUFFER_TOO_SMALL`, sets `*len_out` and leaves `buf` alone (`buf` may be
/// NULL when `buf_len` is 0). Text rules as for `lucairn_engine_scan`. Thread-safe.
///
/// # Safety
///
/// As for `lucairn_engine_scan`; `buf` must be NULL or valid for writes of `buf_len`
/// bytes; `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_redact(
    engine: *const lucairn_engine,
    text: *const u8,
    text_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Buf { buf, buf_len, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { redact(engine, text, text_len, dest) })
}

/// Redacts `text` (as `lucairn_engine_redact`) into a new NUL-terminated string.
///
/// On success `*text_out` receives the string (never NULL) and `*len_out` its length
/// without the NUL; free it with `lucairn_string_free`. On failure neither is written.
/// Thread-safe.
///
/// # Safety
///
/// As for `lucairn_engine_scan`; `text_out` and `len_out` must be NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_redact_alloc(
    engine: *const lucairn_engine,
    text: *const u8,
    text_len: usize,
    text_out: *mut *mut c_char,
    len_out: *mut usize,
) -> lucairn_result {
    let dest = StrDest::Alloc { text_out, len_out };
    // SAFETY: the caller's contract.
    guard(|| unsafe { redact(engine, text, text_len, dest) })
}

/// Frees a string returned by this library (by any `*_alloc` function, or by a stream's
/// push or finish). NULL is ignored. Thread-safe.
///
/// # Safety
///
/// `s` must be NULL or a string from this library not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_string_free(s: *mut c_char) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { args::free_array(s.cast::<u8>()) })
}

/// The name of a built-in kind (such as "EMAIL_ADDRESS"), as a static NUL-terminated
/// string, or NULL when `kind` is not a built-in kind id (custom kinds are named by
/// `lucairn_engine_kind_name`). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn lucairn_kind_name(kind: u32) -> *const c_char {
    guard_value(ptr::null(), || match kind_from_id(kind).and_then(Kind::builtin_name) {
        Some(name) => args::static_cstr(name),
        None => ptr::null(),
    })
}

/// The number of built-in kinds: ids `0 .. lucairn_kind_builtin_count() - 1`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn lucairn_kind_builtin_count() -> u32 {
    guard_value(0, || u32::try_from(Kind::BUILTIN.len()).unwrap_or(u32::MAX))
}

/// Copies the name of kind `kind` (built-in, or defined by this engine's policy) into
/// `buf`, NUL-terminated; `LUCAIRN_RESULT_UNKNOWN_KIND` for an id this engine does not
/// know. Buffer rules as for `lucairn_error_message`. Thread-safe.
///
/// # Safety
///
/// `engine` must be a live engine or NULL; `buf` NULL or valid for writes of `buf_len`
/// bytes; `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_kind_name(
    engine: *const lucairn_engine,
    kind: u32,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let engine = unsafe { engine_ref(engine)? };
        let out = unsafe { StrOut::new(buf, buf_len, len_out)? };
        let name = engine_kind_name(engine, kind)?;
        out.write(name.as_bytes())
    })
}

/// Looks up the id of a kind by name (built-in, or defined by this engine's policy), such
/// as "EMAIL_ADDRESS" or "EMPLOYEE_ID". `LUCAIRN_RESULT_UNKNOWN_KIND` when the engine has
/// no such kind; `LUCAIRN_RESULT_EMPTY_INPUT` for an empty name. Thread-safe.
///
/// # Safety
///
/// `engine` must be a live engine or NULL; `name` NULL or valid for reads of `name_len`
/// bytes; `kind_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_kind_id(
    engine: *const lucairn_engine,
    name: *const u8,
    name_len: usize,
    kind_out: *mut u32,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let engine = unsafe { engine_ref(engine)? };
        let name = unsafe { args::text(name, name_len, "name")? };
        let kind_out = Out::new(kind_out, "kind_out")?;
        if name.is_empty() {
            return Err(Error::new(R::EmptyInput, "name: empty kind name"));
        }
        let kind = engine
            .kind_by_name(name)
            .ok_or_else(|| Error::new(R::UnknownKind, format!("name: no kind named {name:?} in this engine")))?;
        kind_out.set(kind_id(kind));
        Ok(())
    })
}

/// Copies the digest of the engine's policy (blake3 of its canonical form, 64 lower-case
/// hex digits, as quoted by certificates) into `buf`, NUL-terminated. Buffer rules as for
/// `lucairn_error_message`. Thread-safe.
///
/// # Safety
///
/// `engine` must be a live engine or NULL; `buf` NULL or valid for writes of `buf_len`
/// bytes; `len_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_engine_policy_digest(
    engine: *const lucairn_engine,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let engine = unsafe { engine_ref(engine)? };
        let out = unsafe { StrOut::new(buf, buf_len, len_out)? };
        out.write(engine.policy_digest().as_bytes())
    })
}
