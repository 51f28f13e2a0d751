//! State behind a mutex, locked without stalling other Python threads.

use std::sync::{Mutex, TryLockError};

use pyo3::prelude::*;

use crate::errors::LucairnError;

/// Texts at least this long are processed with the GIL released, so other Python
/// threads run meanwhile; for shorter ones, releasing and taking it back costs more than
/// the work.
pub(crate) const DETACH_MIN_BYTES: usize = 8 * 1024;

/// A value that Python threads share, behind a mutex.
///
/// The lock is only ever held by Rust code that calls no Python: with the GIL released
/// for heavy work, or briefly with the GIL held. A thread that finds the lock taken waits
/// for it with the GIL released, so waiting never stalls other Python threads and can
/// never deadlock with the GIL.
#[derive(Debug)]
pub(crate) struct Shared<T>(Mutex<T>);

impl<T: Send> Shared<T> {
    pub(crate) fn new(value: T) -> Shared<T> {
        Shared(Mutex::new(value))
    }

    /// Runs `f` on the value. With `detach`, the GIL is released for the whole call;
    /// otherwise it is kept, unless another thread holds the lock.
    pub(crate) fn with<R, F>(&self, py: Python<'_>, detach: bool, f: F) -> PyResult<R>
    where
        F: FnOnce(&mut T) -> R + Send,
        R: Send,
    {
        if !detach {
            match self.0.try_lock() {
                Ok(mut guard) => return Ok(f(&mut guard)),
                Err(TryLockError::Poisoned(_)) => return Err(poisoned()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        py.detach(|| self.0.lock().map(|mut guard| f(&mut guard)).map_err(|_| ())).map_err(|()| poisoned())
    }

    /// Runs `f` on the value with the GIL held, waiting for the lock without releasing it
    /// (for destructors, which must not release the GIL).
    pub(crate) fn with_attached<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.0.lock().ok().map(|mut guard| f(&mut guard))
    }
}

fn poisoned() -> PyErr {
    LucairnError::new_err("this object cannot be used any more: an internal error interrupted an earlier call")
}
