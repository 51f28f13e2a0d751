//! Checking pointer arguments, writing outputs, and the library's own allocations.
//!
//! Every exported function checks all of its arguments with these helpers before it does
//! any work, and writes its outputs only once the work has succeeded, so that a bad call
//! returns an error code and touches nothing.

use std::alloc::{self, Layout};
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char};
use std::ptr::{self, NonNull};
use std::sync::Mutex;

use crate::error::{Error, lucairn_result as R};

/// Largest length in bytes of any object: Rust slices (and C's `ptrdiff_t`) cannot be
/// longer.
const MAX_BYTES: usize = isize::MAX as usize;

pub(crate) fn null(what: &str) -> Error {
    Error::new(R::NullPointer, format!("{what}: NULL pointer"))
}

/// Checks a `(ptr, len)` input. `(NULL, 0)` is the empty slice; `(NULL, n > 0)` is an
/// error.
///
/// # Safety
///
/// A non-NULL `ptr` must be valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Error::new(R::NullPointer, format!("{what}: NULL pointer with length {len}")));
    }
    if len > MAX_BYTES {
        return Err(Error::new(R::LengthOverflow, format!("{what}: length {len} exceeds PTRDIFF_MAX")));
    }
    // SAFETY: non-NULL, length bounded, validity is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Checks a `(ptr, len)` UTF-8 text input; see [`bytes`].
///
/// # Safety
///
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, len, what)? };
    std::str::from_utf8(b)
        .map_err(|e| Error::new(R::InvalidUtf8, format!("{what}: invalid UTF-8 at byte {}", e.valid_up_to())))
}

/// Checks a pointer to a 32-byte key.
///
/// # Safety
///
/// A non-NULL `ptr` must be valid for reads of 32 bytes for `'a`.
pub(crate) unsafe fn key<'a>(ptr: *const u8, what: &str) -> Result<&'a [u8; 32], Error> {
    // SAFETY: the caller's contract; a 32-byte array has the alignment of a byte.
    unsafe { ptr.cast::<[u8; 32]>().as_ref() }.ok_or_else(|| null(what))
}

/// Checks an input array of `n` elements; `(NULL, 0)` is the empty array.
///
/// # Safety
///
/// A non-NULL `ptr` must be valid for reads of `n` elements for `'a`, and aligned.
pub(crate) unsafe fn array<'a, T>(ptr: *const T, n: usize, what: &str) -> Result<&'a [T], Error> {
    if ptr.is_null() {
        if n == 0 {
            return Ok(&[]);
        }
        return Err(Error::new(R::NullPointer, format!("{what}: NULL pointer with {n} elements")));
    }
    if n.checked_mul(size_of::<T>().max(1)).is_none_or(|b| b > MAX_BYTES) {
        return Err(Error::new(R::LengthOverflow, format!("{what}: {n} elements exceed PTRDIFF_MAX bytes")));
    }
    // SAFETY: non-NULL, size bounded, validity is the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// A checked, non-NULL pointer to one output value, written at most once.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    pub(crate) fn new(ptr: *mut T, what: &str) -> Result<Out<T>, Error> {
        NonNull::new(ptr).map(Out).ok_or_else(|| null(what))
    }

    /// Writes the value (without reading or dropping what was there).
    pub(crate) fn set(&self, v: T) {
        // SAFETY: non-NULL; callers promise the pointer is valid and aligned for a write.
        unsafe { self.0.as_ptr().write(v) }
    }
}

/// A checked caller buffer of `cap` elements; `ptr` may be NULL only when `cap` is 0.
pub(crate) struct BufOut<T> {
    ptr: *mut T,
    cap: usize,
}

impl<T> BufOut<T> {
    /// # Safety
    ///
    /// A non-NULL `ptr` must be valid for writes of `cap` elements until the buffer is
    /// written.
    pub(crate) unsafe fn new(ptr: *mut T, cap: usize, what: &str) -> Result<BufOut<T>, Error> {
        if ptr.is_null() && cap != 0 {
            return Err(Error::new(R::NullPointer, format!("{what}: NULL pointer with capacity {cap}")));
        }
        if cap.checked_mul(size_of::<T>().max(1)).is_none_or(|n| n > MAX_BYTES) {
            return Err(Error::new(R::LengthOverflow, format!("{what}: capacity {cap} exceeds PTRDIFF_MAX bytes")));
        }
        Ok(BufOut { ptr, cap })
    }

    pub(crate) fn capacity(&self) -> usize {
        self.cap
    }

    /// Writes `items` to the front of the buffer, converting each; `items.len() <= cap`.
    pub(crate) fn write_from<S>(&self, items: &[S], mut convert: impl FnMut(&S) -> T) {
        assert!(items.len() <= self.cap, "buffer overrun prevented");
        for (i, item) in items.iter().enumerate() {
            // SAFETY: in bounds by the assertion; validity is the caller's contract.
            unsafe { self.ptr.add(i).write(convert(item)) }
        }
    }
}

/// A caller buffer for a NUL-terminated string and the length output, checked together.
///
/// The length output always receives the string length without the NUL; the buffer must
/// hold one more byte.
pub(crate) struct StrOut {
    buf: BufOut<c_char>,
    len_out: Out<usize>,
}

impl StrOut {
    /// Checks `len_out`, then `buf` and `buf_len`.
    ///
    /// # Safety
    ///
    /// As for [`BufOut::new`].
    pub(crate) unsafe fn new(buf: *mut c_char, buf_len: usize, len_out: *mut usize) -> Result<StrOut, Error> {
        let len_out = Out::new(len_out, "len_out")?;
        // SAFETY: forwarded contract.
        let buf = unsafe { BufOut::new(buf, buf_len, "buf")? };
        Ok(StrOut { buf, len_out })
    }

    /// Copies `s` and a NUL, or reports the length needed.
    pub(crate) fn write(&self, s: &[u8]) -> Result<(), Error> {
        self.len_out.set(s.len());
        if s.len() >= self.buf.capacity() {
            return Err(Error::new(
                R::BufferTooSmall,
                format!("buf: {} bytes needed (including the NUL), {} given", s.len() + 1, self.buf.capacity()),
            ));
        }
        // SAFETY: `s.len() + 1 <= cap` checked above.
        unsafe {
            ptr::copy_nonoverlapping(s.as_ptr(), self.buf.ptr.cast::<u8>(), s.len());
            self.buf.ptr.add(s.len()).write(0);
        }
        Ok(())
    }
}

/// The two outputs of a function that returns a string the library allocates: the
/// string and its length, written together and only on success.
pub(crate) struct AllocStrOut {
    text_out: Out<*mut c_char>,
    len_out: Out<usize>,
}

impl AllocStrOut {
    pub(crate) fn new(text_out: *mut *mut c_char, len_out: *mut usize) -> Result<AllocStrOut, Error> {
        Ok(AllocStrOut { text_out: Out::new(text_out, "text_out")?, len_out: Out::new(len_out, "len_out")? })
    }

    /// Copies `s` and a NUL into a new allocation (freed by `lucairn_string_free`).
    pub(crate) fn write(&self, s: String) -> Result<(), Error> {
        let mut bytes = s.into_bytes();
        let len = bytes.len();
        bytes.push(0);
        let p = alloc_array(&bytes);
        if p.is_null() {
            return Err(Error::new(R::LengthOverflow, "text_out: allocation failed"));
        }
        self.text_out.set(p.cast::<c_char>());
        self.len_out.set(len);
        Ok(())
    }
}

/// Where a function that returns a string puts it, as the caller passed it: a caller
/// buffer (`buf`, `buf_len`, `len_out`) or a new allocation (`text_out`, `len_out`).
///
/// It is checked with [`StrDest::check`] where the function checks its other arguments,
/// so that the buffer and allocating variants of a function report the same errors in
/// the same order.
#[derive(Clone, Copy)]
pub(crate) enum StrDest {
    /// The `buf`/`buf_len`/`len_out` arguments of a caller-buffer function.
    Buf { buf: *mut c_char, buf_len: usize, len_out: *mut usize },
    /// The `text_out`/`len_out` arguments of an `_alloc` function.
    Alloc { text_out: *mut *mut c_char, len_out: *mut usize },
}

impl StrDest {
    /// # Safety
    ///
    /// As for [`BufOut::new`] with `buf` and `buf_len`.
    pub(crate) unsafe fn check(self) -> Result<StrSink, Error> {
        match self {
            StrDest::Buf { buf, buf_len, len_out } => {
                // SAFETY: forwarded contract.
                Ok(StrSink::Buf(unsafe { StrOut::new(buf, buf_len, len_out)? }))
            }
            StrDest::Alloc { text_out, len_out } => Ok(StrSink::Alloc(AllocStrOut::new(text_out, len_out)?)),
        }
    }
}

/// A checked [`StrDest`].
pub(crate) enum StrSink {
    Buf(StrOut),
    Alloc(AllocStrOut),
}

impl StrSink {
    /// Writes `s` (see [`StrOut::write`] and [`AllocStrOut::write`]).
    pub(crate) fn write(&self, s: String) -> Result<(), Error> {
        match self {
            StrSink::Buf(out) => out.write(s.as_bytes()),
            StrSink::Alloc(out) => out.write(s),
        }
    }

    /// Whether writing can fail for want of room: a caller buffer may be too small for
    /// a string that only the work tells the length of.
    pub(crate) fn is_caller_buffer(&self) -> bool {
        matches!(self, StrSink::Buf(_))
    }
}

/// Copies `s` into a fixed-size field as a NUL-terminated string, cut at a character
/// boundary if it is too long (callers pass strings checked to fit).
pub(crate) fn fixed<const N: usize>(s: &str) -> [c_char; N] {
    let mut out = [0 as c_char; N];
    let mut end = s.len().min(N.saturating_sub(1));
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    for (o, &b) in out.iter_mut().zip(&s.as_bytes()[..end]) {
        *o = b as c_char;
    }
    out
}

/// A NUL-terminated copy of a `&'static str` that lives as long as the process.
///
/// Used for detector and kind names: they are static in the engine and few, so each
/// distinct string is copied once and never freed. A string with an interior NUL (which
/// no detector name has) becomes the empty string.
pub(crate) fn static_cstr(s: &'static str) -> *const c_char {
    thread_local! {
        static CACHE: std::cell::RefCell<Vec<(usize, usize, &'static CStr)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    static GLOBAL: Mutex<Option<HashMap<&'static str, &'static CStr>>> = Mutex::new(None);

    let key = (s.as_ptr() as usize, s.len());
    let cached = CACHE
        .try_with(|c| c.try_borrow().ok().and_then(|c| c.iter().find(|e| (e.0, e.1) == key).map(|e| e.2)))
        .ok()
        .flatten();
    if let Some(c) = cached {
        return c.as_ptr();
    }
    let c: &'static CStr = {
        let mut global = GLOBAL.lock().unwrap_or_else(|p| p.into_inner());
        let map = global.get_or_insert_with(HashMap::new);
        match map.get(s) {
            Some(&c) => c,
            None => {
                let c: &'static CStr = Box::leak(CString::new(s).unwrap_or_default().into_boxed_c_str());
                map.insert(s, c);
                c
            }
        }
    };
    let _ = CACHE.try_with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            cache.push((key.0, key.1, c));
        }
    });
    c.as_ptr()
}

/// Hands `value` to C as an opaque handle of type `H`; free it with [`free_handle`].
pub(crate) fn into_handle<T, H>(value: T) -> *mut H {
    Box::into_raw(Box::new(value)).cast::<H>()
}

/// Frees a handle made by [`into_handle`] with the same `T`; NULL is ignored.
///
/// # Safety
///
/// `handle` must be NULL or come from `into_handle::<T, H>` and not have been freed.
pub(crate) unsafe fn free_handle<T, H>(handle: *mut H) {
    if !handle.is_null() {
        // SAFETY: the caller's contract.
        drop(unsafe { Box::from_raw(handle.cast::<T>()) });
    }
}

/// Allocations handed to C: an array preceded by its element count, so that the matching
/// free function needs only the pointer.
fn layout<T>(n: usize) -> Option<(Layout, usize)> {
    Layout::new::<usize>().extend(Layout::array::<T>(n).ok()?).ok().map(|(l, off)| (l.pad_to_align(), off))
}

/// Copies `items` into a new allocation; free it with [`free_array`]. Returns NULL only
/// when the size overflows or the allocator fails.
pub(crate) fn alloc_array<T: Copy>(items: &[T]) -> *mut T {
    let Some((layout, off)) = layout::<T>(items.len()) else { return ptr::null_mut() };
    // SAFETY: the layout is non-zero in size (it holds a usize).
    let base = unsafe { alloc::alloc(layout) };
    if base.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `base` is aligned for usize; the array starts `off` bytes in, aligned for T,
    // with room for `items.len()` elements.
    unsafe {
        base.cast::<usize>().write(items.len());
        let data = base.add(off).cast::<T>();
        ptr::copy_nonoverlapping(items.as_ptr(), data, items.len());
        data
    }
}

/// Frees an allocation made by [`alloc_array`]; NULL is ignored.
///
/// # Safety
///
/// `data` must be NULL or come from `alloc_array::<T>` and not have been freed.
pub(crate) unsafe fn free_array<T>(data: *mut T) {
    if data.is_null() {
        return;
    }
    let Some((_, off)) = layout::<T>(0) else { return };
    // SAFETY: the caller's contract: the count sits `off` bytes before the data.
    unsafe {
        let base = data.cast::<u8>().sub(off);
        let n = base.cast::<usize>().read();
        if let Some((layout, _)) = layout::<T>(n) {
            alloc::dealloc(base, layout);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_round_trip() {
        let p = alloc_array(&[1u8, 2, 3, 0]);
        assert!(!p.is_null());
        // SAFETY: just allocated with four elements.
        unsafe {
            assert_eq!(std::slice::from_raw_parts(p, 4), [1, 2, 3, 0]);
            free_array(p);
            free_array::<u64>(ptr::null_mut());
        }
        let q = alloc_array::<u64>(&[]);
        // SAFETY: just allocated.
        unsafe { free_array(q) };
    }

    #[test]
    fn static_cstrs_are_shared() {
        let a = static_cstr("email");
        let b = static_cstr("email");
        assert_eq!(a, b);
        // SAFETY: static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(a) }.to_str(), Ok("email"));
        let other = std::thread::spawn(|| static_cstr("email") as usize).join().expect("thread");
        assert_eq!(other, a as usize);
    }
}
