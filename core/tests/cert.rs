use std::path::PathBuf;

use lucairn_core::{
    Certificate, CertificateBuilder, FindingRecord, Location, PublicKey, Sanitizer, SigningKey, UpstreamError,
    VerifyError, key_id, verify, verify_chain,
};

use crate::sanitize::engine;

fn record(message: u32, kind: &str, start: u64, end: u64, placeholder: &str, digest: String) -> FindingRecord {
    FindingRecord {
        location: Location::new(message, "content"),
        kind: kind.into(),
        start,
        end,
        placeholder: placeholder.into(),
        value_digest: digest,
    }
}

/// The fixed inputs of the test vectors.
struct Vectors {
    key: SigningKey,
    secret: [u8; 32],
    request: &'static str,
    response: &'static str,
    values: Vec<(&'static str, String)>,
    first: Certificate,
    second: Certificate,
}

fn vectors() -> Vectors {
    let seed: [u8; 32] = core::array::from_fn(|i| i as u8);
    let key = SigningKey::from_seed(&seed);
    let secret = [0x42; 32];
    let s = Sanitizer::with_secret(&engine(), &secret);
    let values: Vec<(&str, String)> =
        ["ana@example.org", "Ana Lima", "EMP-004211"].into_iter().map(|v| (v, s.value_digest(v))).collect();
    // The request body as sent upstream, and the records of what its messages had.
    let request = r#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Mail [EMAIL_ADDRESS_1], signed [PERSON_1] ([EMPLOYEE_ID_1])"}]}"#;
    let response =
        r#"{"choices":[{"message":{"role":"assistant","content":"Done, [PERSON_1]. I copied x@example.com."}}]}"#;
    let findings = vec![
        record(0, "EMAIL_ADDRESS", 5, 20, "[EMAIL_ADDRESS_1]", values[0].1.clone()),
        record(0, "PERSON", 29, 37, "[PERSON_1]", values[1].1.clone()),
        record(0, "EMPLOYEE_ID", 39, 49, "[EMPLOYEE_ID_1]", values[2].1.clone()),
    ];
    let mut out = record(0, "EMAIL_ADDRESS", 27, 40, "[EMAIL_ADDRESS_2]", s.value_digest("x@example.com"));
    out.location = Location::new(0, "choices[0].message.content");
    let mut b = CertificateBuilder::new("gateway.example", "2025-03-01T12:00:00Z");
    b.engine_version("0.1.0")
        .policy_digest("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262")
        .findings(findings)
        .output_findings(vec![out])
        .request(request.as_bytes())
        .response(response.as_bytes())
        .id(core::array::from_fn(|i| 0xa0 + i as u8));
    let first = b.sign(&key).expect("sign");
    let second = CertificateBuilder::new("gateway.example", "2025-03-01T12:00:05.250Z")
        .engine_version("0.1.0")
        .policy_digest("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262")
        .request(b"{}")
        .previous(Some(first.digest()))
        .id([0xb0; 16])
        .sign(&key)
        .expect("sign");
    Vectors { key, secret, request, response, values, first, second }
}

/// A builder with every required field set.
fn builder() -> CertificateBuilder {
    let mut b = CertificateBuilder::new("issuer.example", "2025-03-01T12:00:00Z");
    b.engine(&engine()).request(b"{}");
    b
}

fn pubs(keys: &[&SigningKey]) -> Vec<PublicKey> {
    keys.iter().map(|k| k.public_key().clone()).collect()
}

#[test]
fn signed_certificates_verify() {
    let v = vectors();
    let json = v.first.to_json();
    let c = verify(&json, &pubs(&[&v.key])).expect("verify");
    assert_eq!(c, v.first);
    assert_eq!(c.counts.len(), 3);
    assert_eq!(c.counts["PERSON"], 1);
    assert_eq!(c.id.len(), 32);
    assert_eq!(c.request_digest, blake3::hash(v.request.as_bytes()).to_hex().to_string());
    // Whitespace and member order do not matter (the signature covers the canonical form).
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&json).expect("json")).expect("pretty");
    assert_ne!(pretty, json);
    assert_eq!(verify(&pretty, &pubs(&[&v.key])).expect("pretty verifies"), v.first);
    // Random ids by default.
    let a = builder().sign(&v.key).expect("sign");
    let b = builder().sign(&v.key).expect("sign");
    assert_ne!(a.id, b.id);
}

#[test]
fn keys_rotate() {
    let old = SigningKey::from_seed(&[1; 32]);
    let new = SigningKey::generate().expect("key");
    assert_ne!(old.key_id(), new.key_id());
    assert_eq!(old.key_id(), key_id(&old.public_key().to_bytes()));
    assert_eq!(old.key_id(), &blake3::hash(&old.public_key().to_bytes()).to_hex()[..16]);
    assert_eq!(SigningKey::from_seed(&new.seed()).key_id(), new.key_id());
    let both = pubs(&[&old, &new]);
    for k in [&old, &new] {
        let c = builder().request(b"x").sign(k).expect("sign");
        assert!(verify(&c.to_json(), &both).is_ok());
    }
    let c = builder().sign(&new).expect("sign");
    assert_eq!(verify(&c.to_json(), &pubs(&[&old])), Err(VerifyError::UnknownKey { key_id: new.key_id().to_string() }));
    // Public keys round-trip through hex and serde.
    let hex = new.public_key().to_hex();
    assert_eq!(&PublicKey::from_hex(&hex).expect("hex"), new.public_key());
    let json = serde_json::to_string(new.public_key()).expect("json");
    assert_eq!(json, format!("\"{hex}\""));
    assert!(PublicKey::from_hex("00").is_err());
}

#[test]
fn changing_any_byte_fails() {
    let v = vectors();
    let keys = pubs(&[&v.key]);
    let json = v.first.to_json();
    let bytes = json.as_bytes();
    for i in 0..bytes.len() {
        // Every byte flipped in its lowest bit; some also to other likely values.
        let others: &[u8] = if i % 5 == 0 { &[0x20, b'0', b'"'] } else { &[] };
        for &r in std::iter::once(&(bytes[i] ^ 1)).chain(others) {
            if r == bytes[i] {
                continue;
            }
            let mut t = bytes.to_vec();
            t[i] = r;
            let Ok(t) = String::from_utf8(t) else { continue };
            assert!(verify(&t, &keys).is_err(), "byte {i} changed to {:?} still verifies", r as char);
        }
    }
}

#[test]
fn typed_errors() {
    let v = vectors();
    let keys = pubs(&[&v.key]);
    let mut c = v.first.clone();
    c.counts.insert("PERSON".into(), 2);
    assert!(matches!(verify(&c.to_json(), &keys), Err(VerifyError::Malformed(_))));
    let mut c = v.first.clone();
    c.issuer = "someone else".into();
    assert_eq!(verify(&c.to_json(), &keys), Err(VerifyError::BadSignature));
    let mut c = v.first.clone();
    c.version = 2;
    assert_eq!(verify(&c.to_json(), &keys), Err(VerifyError::UnsupportedVersion(2)));
    let mut c = v.first.clone();
    c.signature = c.signature.to_uppercase();
    assert!(matches!(verify(&c.to_json(), &keys), Err(VerifyError::Malformed(_))));
    for bad in ["", "{}", "[]", "null", "{\"version\":1}"] {
        assert!(matches!(verify(bad, &keys), Err(VerifyError::Malformed(_))), "{bad}");
    }
    let mut with_extra: serde_json::Value = serde_json::from_str(&v.first.to_json()).expect("json");
    with_extra["extra"] = 1.into();
    assert!(matches!(verify(&with_extra.to_string(), &keys), Err(VerifyError::Malformed(_))));
    // The builder refuses what would not verify.
    let e = CertificateBuilder::new("i", "2025-03-01 12:00").engine(&engine()).request(b"").sign(&v.key);
    let e = e.expect_err("bad time");
    assert!(e.to_string().contains("issued_at"), "{e}");
    let e = builder().previous(Some("xyz".into())).sign(&v.key);
    assert!(e.is_err());
}

#[test]
fn upstream_errors_are_recorded_and_old_certificates_still_verify() {
    let v = vectors();
    let keys = pubs(&[&v.key]);
    // Without an upstream error the member is absent: the form (and so the signatures of
    // certificates made before it existed) is unchanged.
    let json = v.first.to_json();
    assert!(!json.contains("upstream_error"));
    assert_eq!(v.first.upstream_error, None);
    // With one, it is signed like every other member.
    for (status, kind) in [(Some(529), "http_status"), (None, "stream_broken")] {
        let c = builder().upstream_error(status, kind).sign(&v.key).expect("sign");
        let j = c.to_json();
        let want = match status {
            Some(s) => format!("\"upstream_error\":{{\"kind\":\"{kind}\",\"status\":{s}}}"),
            None => format!("\"upstream_error\":{{\"kind\":\"{kind}\",\"status\":null}}"),
        };
        assert!(j.contains(&want), "{j}");
        assert!(j.contains("\",\"upstream_error\":{") && j.ends_with(",\"version\":1}"), "sorted before version: {j}");
        let back = verify(&j, &keys).expect("verifies");
        assert_eq!(back.upstream_error, Some(UpstreamError { status, kind: kind.into() }));
        // Removing or changing it breaks the signature.
        let mut t: serde_json::Value = serde_json::from_str(&j).expect("json");
        t.as_object_mut().expect("object").remove("upstream_error");
        assert_eq!(verify(&t.to_string(), &keys), Err(VerifyError::BadSignature));
        let mut t: serde_json::Value = serde_json::from_str(&j).expect("json");
        t["upstream_error"]["kind"] = "timeout".into();
        assert_eq!(verify(&t.to_string(), &keys), Err(VerifyError::BadSignature));
    }
    // Only codes and statuses: text is refused, by the builder and by verification.
    for (status, kind) in [(None, "Connection refused by 10.0.0.1"), (Some(200), "http_status"), (None, "")] {
        let e = builder().upstream_error(status, kind).sign(&v.key).expect_err("refused");
        assert!(e.to_string().contains("upstream_error"), "{e}");
    }
    let c = builder().upstream_error(Some(500), "http_status").sign(&v.key).expect("sign");
    let mut t: serde_json::Value = serde_json::from_str(&c.to_json()).expect("json");
    t["upstream_error"]["message"] = "ana@example.org".into();
    assert!(matches!(verify(&t.to_string(), &keys), Err(VerifyError::Malformed(_))));
    // The committed vectors (made before this member existed) still verify.
    let read = |n: &str| std::fs::read_to_string(dir().join(n)).expect("read");
    assert!(verify(&read("certificate.json"), &keys).is_ok());
    assert!(verify_chain(&[read("certificate.json"), read("certificate-2.json")], &keys).is_ok());
}

#[test]
fn chains_detect_removal_and_edits() {
    let key = SigningKey::from_seed(&[9; 32]);
    let keys = pubs(&[&key]);
    let mut chain: Vec<Certificate> = Vec::new();
    for i in 0..4u8 {
        let prev = chain.last().map(Certificate::digest);
        let c = builder().request(&[i]).previous(prev).sign(&key).expect("sign");
        chain.push(c);
    }
    let jsons: Vec<String> = chain.iter().map(Certificate::to_json).collect();
    assert_eq!(verify_chain(&jsons, &keys).expect("chain"), chain);
    let mut removed = jsons.clone();
    removed.remove(2);
    assert_eq!(verify_chain(&removed, &keys), Err(VerifyError::ChainBreak { index: 2 }));
    let mut swapped = jsons.clone();
    swapped.swap(1, 2);
    assert_eq!(verify_chain(&swapped, &keys), Err(VerifyError::ChainBreak { index: 1 }));
    // An edited certificate, even signed again, breaks the link to its successor.
    let mut edited = chain[1].clone();
    edited.request_digest = blake3::hash(b"other").to_hex().to_string();
    let resigned =
        builder().request(b"other").previous(edited.previous.clone()).id(hex_id(&edited.id)).sign(&key).expect("sign");
    let mut forged = jsons.clone();
    forged[1] = resigned.to_json();
    assert_eq!(verify_chain(&forged, &keys), Err(VerifyError::ChainBreak { index: 2 }));
}

fn hex_id(s: &str) -> [u8; 16] {
    let mut id = [0u8; 16];
    hex::decode_to_slice(s, &mut id).expect("hex");
    id
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/certificate")
}

/// The committed test vectors match what this crate computes. Set
/// `LUCAIRN_WRITE_VECTORS=1` to write them again (after a deliberate format change).
#[test]
fn test_vectors() {
    let v = vectors();
    let first = v.first.to_json();
    let second = v.second.to_json();
    let pretty = serde_json::to_string_pretty(&v.first).expect("pretty") + "\n";
    // The tampered copy: the first finding's start moved by one.
    let tampered = first.replacen("\"start\":5", "\"start\":6", 1);
    assert_ne!(tampered, first);
    let signing = String::from_utf8(v.first.signing_bytes()).expect("utf8");
    let expected = serde_json::json!({
        "key": {
            "seed": hex::encode(v.key.seed()),
            "public_key": v.key.public_key().to_hex(),
            "key_id": v.key.key_id(),
        },
        "tenant_secret": hex::encode(v.secret),
        "value_digest_key": hex::encode(blake3::derive_key("lucairn 2025 value digest v1", &v.secret)),
        "values": v.values.iter().map(|(value, d)| serde_json::json!({"value": value, "value_digest": d})).collect::<Vec<_>>(),
        "request": v.request,
        "request_digest": v.first.request_digest,
        "response": v.response,
        "response_digest": v.first.response_digest,
        "signing_bytes": signing,
        "signing_bytes_blake3": blake3::hash(signing.as_bytes()).to_hex().to_string(),
        "signature": v.first.signature,
        "certificate_digest": v.first.digest(),
        "certificate_2_digest": v.second.digest(),
    });
    let expected = serde_json::to_string_pretty(&expected).expect("json") + "\n";
    let files = [
        ("certificate.json", first.clone() + "\n"),
        ("certificate-2.json", second.clone() + "\n"),
        ("certificate.pretty.json", pretty),
        ("certificate.tampered.json", tampered + "\n"),
        ("expected.json", expected),
    ];
    let d = dir();
    if std::env::var_os("LUCAIRN_WRITE_VECTORS").is_some() {
        std::fs::create_dir_all(&d).expect("mkdir");
        for (name, content) in &files {
            std::fs::write(d.join(name), content).expect("write");
        }
    }
    for (name, content) in &files {
        let on_disk = std::fs::read_to_string(d.join(name)).expect("test vector file");
        assert_eq!(&on_disk, content, "{name} differs from what the crate computes");
    }
    // What the bindings check.
    let keys = vec![PublicKey::from_hex(&v.key.public_key().to_hex()).expect("key")];
    let read = |n: &str| std::fs::read_to_string(d.join(n)).expect("read");
    assert!(verify(&read("certificate.json"), &keys).is_ok());
    assert!(verify(&read("certificate.pretty.json"), &keys).is_ok());
    assert_eq!(verify(&read("certificate.tampered.json"), &keys), Err(VerifyError::BadSignature));
    assert!(verify_chain(&[read("certificate.json"), read("certificate-2.json")], &keys).is_ok());
}
