//! A non-streamed chat completions answer, any body, checked as the gateway checks it:
//! the strings to check are found, each is checked against a request's placeholders, and
//! `metadata.dsa_compliance` is added.
//!
//! No panic; each string's range holds a literal of its value; the answer with its
//! strings replaced and the metadata added is valid JSON with that metadata.
//!
//! Byte 0: bit 0 re-links placeholders (else keeps them); the rest is the body.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lucairn_core::{Engine, Location, OutputMode};
use lucairn_gateway::json::{self, Edits, Node};
use lucairn_gateway::openai::response;
use lucairn_gateway::pipeline::{self, Pipeline};
use lucairn_gateway::secrets::Secrets;

const DEPTH: usize = 64;
const DSA: &str = r#"{"certificate_id":"00","counts":{"EMAIL_ADDRESS":1}}"#;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(Engine::default(), Secrets::from_master(&[5; 32])));

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let mode = if flags & 1 == 1 { OutputMode::Relink } else { OutputMode::Keep };
    let mut scope = PIPELINE.request("acme");
    scope.sanitize(Location::new(0, "content"), "mail ana@example.org or call +1 415 555 0100");

    let Some(texts) = response::answer_texts(body, DEPTH) else { return };
    let mut edits = Edits::default();
    for t in &texts {
        let lit = body.get(t.range.clone()).expect("range in the body, on char boundaries");
        let v: String = serde_json::from_str(lit).expect("range holds a string literal");
        assert_eq!(v, t.value);
        if let Some(new) = pipeline::answer_text(&mut scope, &t.pointer, &t.value, t.kind, mode, DEPTH) {
            edits.string(t.range.clone(), &new);
        }
    }
    let root = json::parse_document(body).expect("answer_texts accepted it");
    let is_object = matches!(json::node(root), Ok(Node::Object(_)));
    match response::add_metadata(body, edits, DSA) {
        Some(out) => {
            assert!(is_object);
            let v: serde_json::Value = serde_json::from_str(&out).expect("the checked answer is JSON");
            let dsa: serde_json::Value = serde_json::from_str(DSA).expect("json");
            assert_eq!(v["metadata"]["dsa_compliance"], dsa, "{out}");
        }
        None => assert!(!is_object),
    }
});
