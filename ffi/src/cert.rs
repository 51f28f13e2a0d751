//! Verifying certificates: a thin wrapper of the core's `verify` and `verify_chain`.

use std::ffi::c_char;

use lucairn_core::{Certificate, PublicKey, VerifyError};

use crate::args::{self, Out, fixed};
use crate::error::{Error, guard, lucairn_result, lucairn_result as R};
use crate::sanitize::LUCAIRN_KEY_LEN;

/// What a verified certificate says about itself, written by `lucairn_certificate_verify`
/// and `lucairn_certificate_verify_chain`. Strings are NUL-terminated; hex digits are lower
/// case.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct lucairn_certificate_info {
    /// Format version (1).
    pub version: u32,
    /// The certificate id: 32 hex digits.
    pub id: [c_char; 33],
    /// Id of the key that signed it: 16 hex digits.
    pub key_id: [c_char; 17],
    /// When it was issued, RFC 3339 UTC (`2025-03-01T12:00:00Z`, at most 30 characters).
    pub issued_at: [c_char; 31],
    /// The certificate's digest (64 hex digits), which the next certificate of its chain
    /// quotes as its previous one.
    pub digest: [c_char; 65],
    /// The digest of the previous certificate of the chain (64 hex digits), or the empty
    /// string for the first certificate of a chain.
    pub previous: [c_char; 65],
    /// Number of values replaced in the request.
    pub findings: usize,
    /// Number of values replaced in the answer.
    pub output_findings: usize,
}

impl lucairn_certificate_info {
    fn of(c: &Certificate) -> lucairn_certificate_info {
        lucairn_certificate_info {
            version: c.version,
            id: fixed(&c.id),
            key_id: fixed(&c.key_id),
            issued_at: fixed(&c.issued_at),
            digest: fixed(&c.digest()),
            previous: fixed(c.previous.as_deref().unwrap_or("")),
            findings: c.findings.len(),
            output_findings: c.output_findings.len(),
        }
    }
}

fn verify_error(e: &VerifyError) -> lucairn_result {
    match e {
        VerifyError::Malformed(_) => R::CertificateMalformed,
        VerifyError::UnsupportedVersion(_) => R::CertificateUnsupportedVersion,
        VerifyError::UnknownKey { .. } => R::CertificateUnknownKey,
        VerifyError::BadSignature => R::CertificateBadSignature,
        VerifyError::ChainBreak { .. } => R::CertificateChainBroken,
        _ => R::CertificateMalformed,
    }
}

/// The public keys: `n` keys of 32 bytes each, one after the other.
///
/// # Safety
///
/// `keys` must be NULL or valid for reads of `n * 32` bytes.
unsafe fn public_keys(keys: *const u8, n: usize) -> Result<Vec<PublicKey>, Error> {
    let len = n
        .checked_mul(LUCAIRN_KEY_LEN)
        .ok_or_else(|| Error::new(R::LengthOverflow, format!("public_keys: {n} keys exceed PTRDIFF_MAX bytes")))?;
    // SAFETY: the caller's contract.
    let bytes = unsafe { args::bytes(keys, len, "public_keys")? };
    let mut out = Vec::with_capacity(n);
    for (i, k) in bytes.chunks_exact(LUCAIRN_KEY_LEN).enumerate() {
        let mut b = [0u8; LUCAIRN_KEY_LEN];
        b.copy_from_slice(k);
        let key = PublicKey::from_bytes(&b).map_err(|_| {
            Error::new(R::InvalidPublicKey, format!("public_keys[{i}]: not a valid ed25519 public key"))
        })?;
        out.push(key);
    }
    Ok(out)
}

/// # Safety
///
/// As for [`args::text`].
unsafe fn certificate<'a>(json: *const u8, len: usize, what: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    let json = unsafe { args::text(json, len, what)? };
    if json.is_empty() {
        return Err(Error::new(R::EmptyInput, format!("{what}: empty")));
    }
    Ok(json)
}

/// Verifies a certificate (its JSON, as published; any white space) against trusted
/// ed25519 public keys.
///
/// `public_keys` holds `n_keys` keys of `LUCAIRN_KEY_LEN` (32) bytes one after the other,
/// such as the keys of several generations during a rotation; the certificate is checked
/// with the one whose key id it names. Returns `LUCAIRN_RESULT_OK` when the certificate
/// is well-formed and its signature is valid, and then writes what it says to `*info_out`
/// unless `info_out` is NULL. Otherwise it returns one of:
///
/// - `LUCAIRN_RESULT_CERTIFICATE_MALFORMED`: not JSON, a missing or unknown member, a
///   field in the wrong format, counts that do not match the findings;
/// - `LUCAIRN_RESULT_CERTIFICATE_UNSUPPORTED_VERSION`: a format version this library does
///   not know;
/// - `LUCAIRN_RESULT_CERTIFICATE_UNKNOWN_KEY`: none of the keys has the certificate's key id;
/// - `LUCAIRN_RESULT_CERTIFICATE_BAD_SIGNATURE`: the content does not match the signature
///   (the certificate was altered);
/// - `LUCAIRN_RESULT_INVALID_PUBLIC_KEY`: a given key is not an ed25519 public key;
///
/// or an argument error (`LUCAIRN_RESULT_EMPTY_INPUT` for an empty certificate), and does
/// not write `*info_out`. `lucairn_last_error_detail` says more (which field is malformed,
/// which key id is unknown). Thread-safe.
///
/// # Safety
///
/// `json` must be NULL or valid for reads of `json_len` bytes; `public_keys` NULL or valid
/// for reads of `n_keys * 32` bytes; `info_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_certificate_verify(
    json: *const u8,
    json_len: usize,
    public_keys: *const u8,
    n_keys: usize,
    info_out: *mut lucairn_certificate_info,
) -> lucairn_result {
    guard(|| {
        // SAFETY (both): the caller's contract.
        let json = unsafe { certificate(json, json_len, "json")? };
        let keys = unsafe { self::public_keys(public_keys, n_keys)? };
        let cert = lucairn_core::verify(json, &keys).map_err(|e| Error::new(verify_error(&e), e.to_string()))?;
        if let Ok(out) = Out::new(info_out, "info_out") {
            out.set(lucairn_certificate_info::of(&cert));
        }
        Ok(())
    })
}

/// Verifies a chain of certificates, oldest first: each one as
/// `lucairn_certificate_verify` does, and each one's `previous` against the digest of the
/// one before it.
///
/// `jsons[i]` points to the JSON of certificate `i`, of `json_lens[i]` bytes; `n` is at
/// least 1. A certificate that does not quote its predecessor returns
/// `LUCAIRN_RESULT_CERTIFICATE_CHAIN_BROKEN`; the other codes are those of
/// `lucairn_certificate_verify`, and `lucairn_last_error_detail` names the index of the
/// first certificate that failed. On success `*info_out` (unless NULL) receives the info
/// of the last certificate, whose digest the next one must quote. Thread-safe.
///
/// # Safety
///
/// `jsons` and `json_lens` must be NULL or valid for reads of `n` elements, each
/// `jsons[i]` NULL or valid for reads of `json_lens[i]` bytes; `public_keys` NULL or valid
/// for reads of `n_keys * 32` bytes; `info_out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lucairn_certificate_verify_chain(
    jsons: *const *const u8,
    json_lens: *const usize,
    n: usize,
    public_keys: *const u8,
    n_keys: usize,
    info_out: *mut lucairn_certificate_info,
) -> lucairn_result {
    guard(|| {
        // SAFETY (all): the caller's contract.
        let ptrs = unsafe { args::array(jsons, n, "jsons")? };
        let lens = unsafe { args::array(json_lens, n, "json_lens")? };
        if n == 0 {
            return Err(Error::new(R::EmptyInput, "jsons: no certificates"));
        }
        let mut texts = Vec::with_capacity(n);
        for (i, (&p, &len)) in ptrs.iter().zip(lens).enumerate() {
            // SAFETY: the caller's contract.
            texts.push(unsafe { certificate(p, len, &format!("jsons[{i}]"))? });
        }
        let keys = unsafe { self::public_keys(public_keys, n_keys)? };
        let certs = lucairn_core::verify_chain(&texts, &keys).map_err(|e| {
            let detail = match e {
                VerifyError::ChainBreak { .. } => e.to_string(),
                // Name the certificate that failed (the first one that does not verify).
                _ => match texts.iter().position(|t| lucairn_core::verify(t, &keys).is_err()) {
                    Some(i) => format!("certificate {i}: {e}"),
                    None => e.to_string(),
                },
            };
            Error::new(verify_error(&e), detail)
        })?;
        if let (Ok(out), Some(last)) = (Out::new(info_out, "info_out"), certs.last()) {
            out.set(lucairn_certificate_info::of(last));
        }
        Ok(())
    })
}
