//! The Anthropic Messages (`POST /v1/messages`) request parser and sanitiser, on any body.
//!
//! No panic. When the parser accepts a body: each text's range holds its value (a JSON
//! string literal of it, or for a `tool_use` input the raw JSON object) and its pointer
//! names that value; the sanitised body is valid JSON when the body was, passes the parser
//! again with the same texts at the same pointers, and its plain texts re-link to the
//! original values (unless a value is written two ways, see `sanitize_relink`). With media
//! allowed the parser accepts at least what it accepts without.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lucairn_core::Engine;
use lucairn_gateway::anthropic::request::{self, MessagesRequest};
use lucairn_gateway::json;
use lucairn_gateway::openai::chat::Limits;
use lucairn_gateway::pipeline::Pipeline;
use lucairn_gateway::secrets::Secrets;

const DEPTH: usize = 64;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(Engine::default(), Secrets::from_master(&[6; 32])));

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let strict = request::parse(body, &Limits { max_depth: DEPTH, allow_media: false });
    let limits = Limits { max_depth: DEPTH, allow_media: true };
    let req = match request::parse(body, &limits) {
        Ok(r) => r,
        Err(_) => {
            assert!(strict.is_err(), "accepted without media, refused with");
            return;
        }
    };
    let root = json::parse_document(body).expect("accepted bodies are JSON");
    for t in &req.texts {
        let lit = body.get(t.range.clone()).expect("range in the body, on char boundaries");
        if t.object {
            assert_eq!(lit, t.value, "an object's value is its raw JSON");
        } else {
            let v: String = serde_json::from_str(lit).expect("range holds a string literal");
            assert_eq!(v, t.value);
        }
        let at = json::resolve(root, &t.pointer).expect("pointer resolves");
        assert_eq!(json::span_in(body, at), Some(t.range.clone()), "pointer {}", t.pointer);
    }

    let mut scope = PIPELINE.request("acme");
    // A tool input that cannot be rewritten fails the request (nothing is forwarded).
    let Ok(out) = request::sanitize(&mut scope, body, &req.texts, DEPTH) else { return };
    if serde_json::from_str::<serde_json::Value>(body).is_ok() {
        serde_json::from_str::<serde_json::Value>(&out).expect("the sanitised body is JSON");
    }
    let again = request::parse(&out, &limits).expect("the sanitised body is still a valid request");
    assert_eq!(again.stream, req.stream);
    let pointers = |r: &MessagesRequest<'_>| r.texts.iter().map(|t| t.pointer.clone()).collect::<Vec<_>>();
    assert_eq!(pointers(&again), pointers(&req));

    // Re-linking gives the plain texts back, unless one value is written two ways.
    let mapping = scope.mapping();
    let engine = PIPELINE.engine();
    for (sent, orig) in again.texts.iter().zip(&req.texts) {
        if orig.object {
            continue; // re-serialised strings inside; checked by the JSON round trip above
        }
        let two_spellings =
            engine.scan(&orig.value).iter().any(|f| mapping.entries().iter().all(|e| e.value != f.as_str(&orig.value)));
        if !two_spellings {
            assert_eq!(mapping.relink(&sent.value), orig.value, "at {}", orig.pointer);
        }
    }
});
