//! Argument conversions shared by the sanitisation and certificate bindings: keys as
//! `bytes`, text chunks as `str` or `bytes`, output modes.

use lucairn_core::OutputMode;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::text::{self, Arg, Text, type_name};

/// Binary data from a Python argument.
pub(crate) enum Binary<'py> {
    /// A `bytes` object, read in place (it is immutable).
    Bytes(Bound<'py, PyBytes>),
    /// A copy of a `bytearray` or `memoryview`, which may change while the GIL is
    /// released.
    Copied(Vec<u8>),
}

impl Binary<'_> {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Binary::Bytes(b) => b.as_bytes(),
            Binary::Copied(v) => v,
        }
    }
}

/// The data of a `bytes`, `bytearray` or `memoryview`, or `None` for any other type.
pub(crate) fn binary<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Binary<'py>>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Some(Binary::Bytes(b.clone())));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Some(Binary::Copied(b.to_vec())));
    }
    if type_name(obj) == "memoryview" {
        let b = obj.call_method0("tobytes")?;
        let b = b.cast_into::<PyBytes>().map_err(PyErr::from)?;
        return Ok(Some(Binary::Bytes(b)));
    }
    Ok(None)
}

/// A 32-byte key (`bytes`, `bytearray` or `memoryview`); `name` names the argument in
/// errors.
pub(crate) fn key32(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<[u8; 32]> {
    let Some(b) = binary(obj)? else {
        let hint = if obj.is_instance_of::<PyString>() { " (for a key in hex, use bytes.fromhex(...))" } else { "" };
        return Err(PyTypeError::new_err(format!("{name} must be bytes, not {}{hint}", type_name(obj))));
    };
    let b = b.as_bytes();
    <[u8; 32]>::try_from(b).map_err(|_| PyValueError::new_err(format!("{name} must be 32 bytes long, not {}", b.len())))
}

/// A chunk of a stream: text, or UTF-8 bytes that may be cut anywhere.
pub(crate) enum Chunk<'py> {
    Text(Text<'py>),
    Bytes(Binary<'py>),
}

/// A borrowed [`Chunk`], to hand to code running with the GIL released.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ChunkRef<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl Chunk<'_> {
    pub(crate) fn as_ref(&self) -> ChunkRef<'_> {
        match self {
            Chunk::Text(t) => ChunkRef::Text(t.as_str()),
            Chunk::Bytes(b) => ChunkRef::Bytes(b.as_bytes()),
        }
    }

    /// Length in bytes.
    pub(crate) fn len(&self) -> usize {
        match self.as_ref() {
            ChunkRef::Text(t) => t.len(),
            ChunkRef::Bytes(b) => b.len(),
        }
    }
}

/// The `chunk` argument of a stream's `push`: a `str`, or `bytes` (`bytearray`,
/// `memoryview`) of UTF-8.
pub(crate) fn chunk<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Chunk<'py>> {
    if obj.is_instance_of::<PyString>() {
        return Ok(Chunk::Text(text::text(obj, Arg::Named("chunk"))?));
    }
    match binary(obj)? {
        Some(b) => Ok(Chunk::Bytes(b)),
        None => Err(PyTypeError::new_err(format!("chunk must be str or bytes, not {}", type_name(obj)))),
    }
}

/// The `mode` argument: `"relink"` or `"keep"`.
pub(crate) fn mode(mode: &str) -> PyResult<OutputMode> {
    match mode {
        "relink" => Ok(OutputMode::Relink),
        "keep" => Ok(OutputMode::Keep),
        other => Err(PyValueError::new_err(format!("mode must be \"relink\" or \"keep\", not {other:?}"))),
    }
}

/// The name of a mode, as Python spells it.
pub(crate) fn mode_name(mode: OutputMode) -> &'static str {
    match mode {
        OutputMode::Relink => "relink",
        OutputMode::Keep => "keep",
    }
}
