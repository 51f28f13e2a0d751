//! Integration tests of lucairn-ffi, one binary.

/// The C ABI called from Rust: arguments, outputs, errors.
mod api;
/// The C tests in c-tests/, compiled with gcc against the header and the static library
/// and run under AddressSanitizer and UBSan.
mod c;
/// Certificate verification with the committed test vectors.
mod cert;
/// The committed header is what cbindgen generates.
mod header;
/// Sanitizers, mappings, tokens and streams, against the core's results.
mod sanitize;
