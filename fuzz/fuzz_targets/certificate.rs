//! Certificate parsing and verification.
//!
//! Byte 0 picks the mode:
//!
//! - 0: the rest is any text, taken as a certificate: parsing and verifying never panic;
//!   a parsed certificate's canonical JSON parses back to the same certificate and
//!   verifies the same way; a certificate that verifies is one this target signed.
//! - 1: the rest is a list of edits (4 bytes each: operation, position, byte) made to a
//!   valid signed certificate: the result verifies only if it still parses to the
//!   same certificate (white space, escapes and member order may change, nothing else).
//! - 2: the same edits to the second certificate of a chain of two: the chain verifies
//!   only if both are unchanged.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lucairn_core::{
    Certificate, CertificateBuilder, Engine, Location, PublicKey, Sanitizer, SigningKey, verify, verify_chain,
};

struct Fixture {
    keys: Vec<PublicKey>,
    first: Certificate,
    second: Certificate,
    first_json: String,
    second_json: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let engine = Engine::default();
    let key = SigningKey::from_seed(&[7; 32]);
    let other = SigningKey::from_seed(&[9; 32]);
    let make = |text: &str, previous: Option<String>, id: u8| {
        let mut s = Sanitizer::with_secret(&engine, &[1; 32]);
        let sent = s.sanitize(Location::new(0, "content"), text);
        s.scan_output(Location::new(0, "message/content"), "call +1 415 555 0100", lucairn_core::OutputMode::Keep);
        let done = s.finish();
        CertificateBuilder::new("gateway.example", "2025-03-01T12:00:00.25Z")
            .engine(&engine)
            .sanitized(&done)
            .request(sent.as_bytes())
            .response(b"answer")
            .previous(previous)
            .id([id; 16])
            .sign(&key)
            .expect("sign")
    };
    let first = make("mail ana@example.org, IBAN DE89 3704 0044 0532 0130 00", None, 1);
    let second = make("Ana Müller <ana.mueller@example.de> 😀", Some(first.digest()), 2);
    let keys = vec![other.public_key().clone(), key.public_key().clone()];
    let (first_json, second_json) = (first.to_json(), second.to_json());
    assert!(verify_chain(&[&first_json, &second_json], &keys).is_ok());
    Fixture { keys, first, second, first_json, second_json }
});

/// `base` with the edits of `ops` made: 4 bytes each, an operation (replace, insert or
/// delete), a position (16 bits, modulo the length) and a byte.
fn edit(base: &str, ops: &[u8]) -> Vec<u8> {
    let mut b = base.as_bytes().to_vec();
    for op in ops.chunks_exact(4) {
        let at = usize::from(u16::from_le_bytes([op[1], op[2]]));
        match op[0] % 3 {
            0 if !b.is_empty() => {
                let i = at % b.len();
                b[i] = op[3];
            }
            1 => {
                let i = at % (b.len() + 1);
                b.insert(i, op[3]);
            }
            2 if !b.is_empty() => {
                let i = at % b.len();
                b.remove(i);
            }
            _ => {}
        }
    }
    b
}

fuzz_target!(|data: &[u8]| {
    let f = &*FIXTURE;
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => {
            let Ok(text) = std::str::from_utf8(rest) else { return };
            let verdict = verify(text, &f.keys);
            if let Ok(c) = &verdict {
                assert!(*c == f.first || *c == f.second, "a certificate this target did not sign verified");
            }
            if let Ok(c) = serde_json::from_str::<Certificate>(text) {
                let json = c.to_json();
                let back: Certificate = serde_json::from_str(&json).expect("canonical JSON parses");
                assert_eq!(back, c);
                assert_eq!(back.signing_bytes(), c.signing_bytes());
                assert_eq!(back.digest(), c.digest());
                assert_eq!(c.verify(&f.keys), verdict.map(|_| ()));
            }
        }
        1 => {
            let edited = edit(&f.first_json, rest);
            let Ok(text) = std::str::from_utf8(&edited) else { return };
            match verify(text, &f.keys) {
                Ok(c) => assert_eq!(c, f.first, "an edited certificate verified"),
                Err(e) => assert!(text != f.first_json, "the unchanged certificate failed: {e}"),
            }
        }
        _ => {
            let edited = edit(&f.second_json, rest);
            let Ok(text) = std::str::from_utf8(&edited) else { return };
            match verify_chain(&[f.first_json.as_str(), text], &f.keys) {
                Ok(cs) => assert!(cs[0] == f.first && cs[1] == f.second, "an edited chain verified"),
                Err(e) => assert!(text != f.second_json, "the unchanged chain failed: {e}"),
            }
        }
    }
});
