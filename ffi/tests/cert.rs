//! Certificate verification through the C ABI, with the committed test vectors in
//! testdata/certificate/.

use std::ffi::{CStr, c_char};
use std::path::PathBuf;
use std::ptr;

use lucairn::*;

const OK: u32 = 0;

fn code(r: lucairn_result) -> u32 {
    r as u32
}

fn vector(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/certificate").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn expected() -> serde_json::Value {
    serde_json::from_str(&vector("expected.json")).expect("expected.json")
}

fn unhex(s: &str) -> [u8; 32] {
    assert_eq!(s.len(), 64, "{s}");
    core::array::from_fn(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
}

/// The public key of the test vectors.
fn public_key() -> [u8; 32] {
    unhex(expected()["key"]["public_key"].as_str().expect("public_key"))
}

fn detail() -> String {
    let mut buf = [0 as c_char; 512];
    let mut n = 0;
    // SAFETY: buffer and length valid.
    let r = unsafe { lucairn_last_error_detail(buf.as_mut_ptr(), buf.len(), &mut n) };
    assert_eq!(code(r), OK);
    // SAFETY: NUL-terminated by contract.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().expect("UTF-8").to_string()
}

fn sentinel() -> lucairn_certificate_info {
    lucairn_certificate_info {
        version: 7777,
        id: [b'#' as c_char; 33],
        key_id: [b'#' as c_char; 17],
        issued_at: [b'#' as c_char; 31],
        digest: [b'#' as c_char; 65],
        previous: [b'#' as c_char; 65],
        findings: 7777,
        output_findings: 7777,
    }
}

fn untouched(i: &lucairn_certificate_info) -> bool {
    i.version == 7777
        && i.findings == 7777
        && i.output_findings == 7777
        && [&i.id[..], &i.key_id, &i.issued_at, &i.digest, &i.previous]
            .iter()
            .all(|f| f.iter().all(|&c| c == b'#' as c_char))
}

fn s(field: &[c_char]) -> &str {
    // SAFETY: NUL-terminated inside the field (checked by the slice bound).
    let c = CStr::from_bytes_until_nul(unsafe { &*(field as *const [c_char] as *const [u8]) }).expect("NUL");
    c.to_str().expect("UTF-8")
}

fn verify(json: &str, keys: &[[u8; 32]]) -> (u32, lucairn_certificate_info) {
    let mut info = sentinel();
    let flat: Vec<u8> = keys.concat();
    let kp = if keys.is_empty() { ptr::null() } else { flat.as_ptr() };
    // SAFETY: valid JSON bytes, keys.len() * 32 key bytes, valid out pointer.
    let r = unsafe { lucairn_certificate_verify(json.as_ptr(), json.len(), kp, keys.len(), &mut info) };
    if code(r) != OK {
        assert!(untouched(&info), "info written on failure ({})", code(r));
    }
    (code(r), info)
}

fn chain(jsons: &[&str], keys: &[[u8; 32]]) -> (u32, lucairn_certificate_info) {
    let ptrs: Vec<*const u8> = jsons.iter().map(|j| j.as_ptr()).collect();
    let lens: Vec<usize> = jsons.iter().map(|j| j.len()).collect();
    let flat: Vec<u8> = keys.concat();
    let mut info = sentinel();
    // SAFETY: arrays of jsons.len() elements, each JSON valid for its length.
    let r = unsafe {
        lucairn_certificate_verify_chain(
            ptrs.as_ptr(),
            lens.as_ptr(),
            jsons.len(),
            flat.as_ptr(),
            keys.len(),
            &mut info,
        )
    };
    if code(r) != OK {
        assert!(untouched(&info), "info written on failure ({})", code(r));
    }
    (code(r), info)
}

/// A valid ed25519 public key that did not sign the vectors, and 32 bytes that are not a
/// public key at all.
fn other_keys() -> ([u8; 32], [u8; 32]) {
    let other = lucairn_core::SigningKey::from_seed(&[9; 32]).public_key().to_bytes();
    let invalid = (0u8..=255)
        .map(|b| {
            let mut k = [0xff; 32];
            k[0] = b;
            k
        })
        .find(|k| lucairn_core::PublicKey::from_bytes(k).is_err())
        .expect("some bytes are not a curve point");
    (other, invalid)
}

#[test]
fn the_committed_certificate_verifies() {
    let x = expected();
    let (r, info) = verify(&vector("certificate.json"), &[public_key()]);
    assert_eq!(r, OK, "{}", detail());
    assert_eq!(info.version, 1);
    assert_eq!(s(&info.id), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    assert_eq!(s(&info.key_id), x["key"]["key_id"].as_str().expect("key_id"));
    assert_eq!(s(&info.issued_at), "2025-03-01T12:00:00Z");
    assert_eq!(s(&info.digest), x["certificate_digest"].as_str().expect("digest"));
    assert_eq!(s(&info.previous), "");
    assert_eq!((info.findings, info.output_findings), (3, 1));

    // Pretty-printed, and with other keys beside the right one.
    let (other, _) = other_keys();
    let (r, pretty) = verify(&vector("certificate.pretty.json"), &[other, public_key()]);
    assert_eq!(r, OK, "{}", detail());
    assert_eq!(s(&pretty.digest), s(&info.digest));

    // The second certificate quotes the first.
    let (r, second) = verify(&vector("certificate-2.json"), &[public_key()]);
    assert_eq!(r, OK);
    assert_eq!(s(&second.previous), s(&info.digest));
    assert_eq!(s(&second.digest), x["certificate_2_digest"].as_str().expect("digest"));
    assert_eq!(s(&second.issued_at), "2025-03-01T12:00:05.250Z");

    // The info is optional.
    let json = vector("certificate.json");
    let key = public_key();
    // SAFETY: valid JSON and key; NULL info is allowed.
    let r = unsafe { lucairn_certificate_verify(json.as_ptr(), json.len(), key.as_ptr(), 1, ptr::null_mut()) };
    assert_eq!(code(r), OK);
}

#[test]
fn each_failure_has_its_code() {
    let key = public_key();
    let (other, invalid) = other_keys();
    let good = vector("certificate.json");

    let (r, _) = verify(&vector("certificate.tampered.json"), &[key]);
    assert_eq!(r, code(lucairn_result::CertificateBadSignature));
    assert_eq!(r, 403);
    assert_eq!(detail(), "bad signature");

    let (r, _) = verify(&good, &[other]);
    assert_eq!(r, 402);
    assert_eq!(detail(), "unknown signing key 98ba85304ac639f0");
    assert_eq!(verify(&good, &[]).0, 402, "no keys at all");

    for bad in ["{}", "[]", "null", "{\"version\":1}", "not json", &good[..good.len() - 2]] {
        assert_eq!(verify(bad, &[key]).0, 400, "{bad}");
    }
    let extra = good.replacen('{', "{\"extra\":1,", 1);
    assert_eq!(verify(&extra, &[key]).0, 400);
    assert!(detail().contains("unknown field `extra`"), "{}", detail());
    let counts = good.replacen("\"PERSON\":1", "\"PERSON\":2", 1);
    assert_eq!(verify(&counts, &[key]).0, 400);
    assert_eq!(detail(), "malformed certificate: counts: do not match the findings");

    let v2 = good.replacen("\"version\":1}", "\"version\":2}", 1);
    assert_ne!(v2, good);
    assert_eq!(verify(&v2, &[key]).0, 401);
    assert_eq!(detail(), "unsupported certificate version 2");

    assert_eq!(verify(&good, &[key, invalid]).0, 405);
    assert_eq!(detail(), "public_keys[1]: not a valid ed25519 public key");

    // Argument errors.
    assert_eq!(verify("", &[key]).0, 3);
    let mut info = sentinel();
    // SAFETY: NULL or valid pointers; lengths are what is tested.
    unsafe {
        assert_eq!(code(lucairn_certificate_verify(ptr::null(), 5, key.as_ptr(), 1, &mut info)), 1);
        assert_eq!(code(lucairn_certificate_verify(good.as_ptr(), good.len(), ptr::null(), 1, &mut info)), 1);
        assert_eq!(code(lucairn_certificate_verify(good.as_ptr(), good.len(), key.as_ptr(), usize::MAX, &mut info)), 4);
        assert_eq!(
            code(lucairn_certificate_verify(good.as_ptr(), good.len(), key.as_ptr(), usize::MAX / 32, &mut info)),
            4
        );
        assert_eq!(code(lucairn_certificate_verify(good.as_ptr(), usize::MAX, key.as_ptr(), 1, &mut info)), 4);
        assert_eq!(code(lucairn_certificate_verify(b"{\xff}".as_ptr(), 3, key.as_ptr(), 1, &mut info)), 2);
    }
    assert!(untouched(&info));
}

#[test]
fn chains() {
    let key = public_key();
    let (first, second, tampered) =
        (vector("certificate.json"), vector("certificate-2.json"), vector("certificate.tampered.json"));
    let (r, info) = chain(&[&first, &second], &[key]);
    assert_eq!(r, OK, "{}", detail());
    assert_eq!(s(&info.id), "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
    assert_eq!(s(&info.digest), expected()["certificate_2_digest"].as_str().expect("digest"));
    assert_eq!(chain(&[&first], &[key]).0, OK);

    assert_eq!(chain(&[&second, &first], &[key]).0, 404);
    assert_eq!(detail(), "chain broken: certificate 1 does not quote the previous one");
    assert_eq!(chain(&[&first, &first], &[key]).0, 404);

    assert_eq!(chain(&[&first, &tampered], &[key]).0, 403);
    assert_eq!(detail(), "certificate 1: bad signature");
    assert_eq!(chain(&[&first, "{}"], &[key]).0, 400);
    assert!(detail().starts_with("certificate 1: malformed certificate"), "{}", detail());
    assert_eq!(chain(&[&first, &second], &[]).0, 402);
    assert!(detail().starts_with("certificate 0: unknown signing key"), "{}", detail());

    // Argument errors.
    assert_eq!(chain(&[], &[key]).0, 3);
    assert_eq!(chain(&[&first, ""], &[key]).0, 3);
    assert_eq!(detail(), "jsons[1]: empty");
    let lens = [first.len()];
    let ptrs = [ptr::null::<u8>()];
    let mut info = sentinel();
    // SAFETY: NULL or valid pointers; what is tested is reported, nothing written.
    unsafe {
        assert_eq!(
            code(lucairn_certificate_verify_chain(ptr::null(), lens.as_ptr(), 1, key.as_ptr(), 1, &mut info)),
            1
        );
        assert_eq!(
            code(lucairn_certificate_verify_chain(ptrs.as_ptr(), ptr::null(), 1, key.as_ptr(), 1, &mut info)),
            1
        );
        assert_eq!(
            code(lucairn_certificate_verify_chain(ptrs.as_ptr(), lens.as_ptr(), 1, key.as_ptr(), 1, &mut info)),
            1
        );
        assert_eq!(
            code(lucairn_certificate_verify_chain(
                ptrs.as_ptr(),
                lens.as_ptr(),
                usize::MAX,
                key.as_ptr(),
                1,
                &mut info
            )),
            4
        );
    }
    assert!(untouched(&info));
}

#[test]
fn codes_have_messages() {
    for (c, want) in [
        (400, "malformed certificate"),
        (401, "unsupported certificate version"),
        (403, "bad certificate signature"),
        (404, "certificate chain broken"),
        (300, "the sanitizer is lent to an open stream"),
        (202, "the mapping token does not open with this key and tenant"),
    ] {
        let mut buf = [0 as c_char; 128];
        let mut n = 0;
        // SAFETY: valid buffer.
        let r = unsafe { lucairn_error_message(c, buf.as_mut_ptr(), buf.len(), &mut n) };
        assert_eq!(code(r), OK);
        assert_eq!(s(&buf), want);
    }
}
