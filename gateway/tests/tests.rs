//! Integration tests of the `lucairn` binary, one test binary.

/// `lucairn scan` and `lucairn redact`: formats, exit codes, errors.
mod cli;
