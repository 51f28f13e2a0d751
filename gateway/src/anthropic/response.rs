//! Whole answers of `/v1/messages`: the texts to check.
//!
//! Every string of the message is checked except structural ones (ids, names, types,
//! `stop_reason`, the model) and opaque ones (thinking signatures, encrypted data); each
//! `tool_use` input is checked as one JSON object, keys included, so re-linked values
//! keep it valid JSON. Answer texts are located with `message` = the content block's
//! index: `/content/1/text` is `{1, "text"}`, a value inside a tool input
//! `{2, "input#/to"}`.

use lucairn_core::OutputMode;
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::json::{self, Edits, Node};
use crate::openai::response::answer_texts;
use crate::pipeline::{RequestScope, location};

/// Strings of these members are opaque, not text.
const OPAQUE: &[&str] = &["signature", "data", "encrypted_content", "encrypted_index", "stop_reason"];

/// Decides the replacements in a successful answer `body`.
pub fn check(body: &str, scope: &mut RequestScope, mode: OutputMode, max_depth: usize) -> Result<Edits, ApiError> {
    let invalid = || ApiError::UpstreamInvalid("the answer is not a JSON object");
    let texts = answer_texts(body, max_depth).ok_or_else(invalid)?;
    let root = json::parse_document(body).map_err(|_| invalid())?;
    let Node::Object(fields) = json::node(root).map_err(|_| invalid())? else { return Err(invalid()) };
    // Tool inputs: pointers and raw values.
    let mut inputs: Vec<(String, &RawValue)> = Vec::new();
    if let Some((_, content)) = fields.iter().find(|(k, _)| k == "content") {
        if let Ok(Node::Array(blocks)) = json::node(content) {
            for (i, b) in blocks.into_iter().enumerate() {
                if let Ok(Node::Object(bf)) = json::node(b) {
                    if let Some((_, input)) = bf.iter().find(|(k, _)| k == "input") {
                        inputs.push((format!("/content/{i}/input"), *input));
                    }
                }
            }
        }
    }
    let mut edits = Edits::default();
    for t in &texts {
        let inside_input =
            inputs.iter().any(|(p, _)| t.pointer.strip_prefix(p.as_str()).is_some_and(|r| r.starts_with('/')));
        let last = t.pointer.rsplit('/').next().unwrap_or("");
        if inside_input || OPAQUE.contains(&last) {
            continue;
        }
        if let Some(new) = scope.answer(location(&t.pointer, "content"), &t.value, mode) {
            edits.string(t.range.clone(), &new);
        }
    }
    for (pointer, raw) in inputs {
        let span = json::span_in(body, raw).ok_or_else(invalid)?;
        let mut f = |inner: &str, s: &str| -> Result<Option<String>, ()> {
            Ok(scope.answer(location(&format!("{pointer}#{inner}"), "content"), s, mode))
        };
        match json::map_strings(raw.get(), max_depth, &mut f) {
            Ok(Ok(Some(new))) => edits.raw(span, new),
            Ok(Ok(None)) => {}
            _ => return Err(ApiError::UpstreamInvalid("a tool input could not be checked")),
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use lucairn_core::{Engine, Location};

    use super::*;
    use crate::pipeline::Pipeline;
    use crate::secrets::Secrets;

    #[test]
    fn texts_and_tool_inputs_are_checked() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[1; 32]));
        let mut s = p.request("acme");
        let sent = s.sanitize(Location::new(0, "content"), "ana@example.org").expect("changed");
        let body = format!(
            r#"{{"id": "msg_1", "type": "message", "role": "assistant", "model": "c",
            "content": [{{"type": "thinking", "thinking": "about {sent}", "signature": "AKIAIOSFODNN7EXAMPLE"}},
              {{"type": "text", "text": "Mail {sent} or new@corp.example"}},
              {{"type": "tool_use", "id": "toolu_1", "name": "send", "input": {{"to": "{sent}", "name": "{sent}", "{sent}": 1}}}}],
            "stop_reason": "tool_use", "stop_sequence": null, "usage": {{"input_tokens": 1, "output_tokens": 2}}}}"#
        );
        for (mode, want) in [(OutputMode::Relink, "ana@example.org".to_string()), (OutputMode::Keep, sent.clone())] {
            let mut scope = p.request("acme");
            scope.sanitize(Location::new(0, "content"), "ana@example.org");
            let out = check(&body, &mut scope, mode, 64).expect("checked").apply(&body);
            let v: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
            assert_eq!(v["content"][0]["thinking"], format!("about {want}"));
            assert_eq!(v["content"][0]["signature"], "AKIAIOSFODNN7EXAMPLE");
            let text = v["content"][1]["text"].as_str().expect("text");
            assert!(text.starts_with(&format!("Mail {want} or [EMAIL_ADDRESS_")), "{text}");
            let input = &v["content"][2]["input"];
            assert_eq!(input["to"], want.as_str());
            assert_eq!(input["name"], want.as_str(), "a key named name is text inside a tool input");
            assert_eq!(input[want.as_str()], 1);
            assert_eq!(v["id"], "msg_1");
            assert_eq!(scope.output_findings().len(), 1, "{:?}", scope.output_findings());
            assert_eq!(scope.output_findings()[0].location, Location::new(1, "text"));
        }
    }
}
