//! Streamed answers of `/v1/messages` (`stream: true`): Anthropic's server-sent events,
//! rewritten so that no unchecked text reaches the client.
//!
//! Each content block is a streamed text: a `text` block's `text_delta`s, a `tool_use`
//! block's `input_json_delta`s (its input, as JSON source) and a `thinking` block's
//! `thinking_delta`s run through their own [`lucairn_core::OutputStream`], which re-links
//! or keeps the request's placeholders and replaces personal data the model produced,
//! releasing text as soon as no later text can change it. Each delta event is passed on
//! with its text replaced by what was released (possibly `""`); before a block's
//! `content_block_stop`, a `content_block_delta` of the block's own delta type releases
//! what it held back. Re-linked values in tool input JSON are escaped as inside a JSON
//! string, so the input stays valid JSON. Every other string of an event (an error
//! message, a stop sequence, citations) is checked whole; signatures and encrypted data
//! pass as they are; `ping`s pass.
//!
//! The upstream's `message_delta` (stop reason, usage) is held back until the upstream's
//! `message_stop`, so that the certificate, which covers the whole answer, can be stored
//! before it and referenced in it ([`Rewriter::closing`]); `message_stop` follows. An
//! upstream `error` event is held the same way.

use lucairn_core::{FindingRecord, Location, OutputMode};
use serde_json::Value;

use crate::json::{self, Edits};
use crate::openai::response::answer_texts;
use crate::openai::stream::{CheckedText, Records};
use crate::pipeline::{RequestScope, location};
use crate::sse;

/// Longest upstream event accepted (bytes).
const MAX_EVENT: usize = 16 * 1024 * 1024;

/// Members whose strings are opaque, never text.
const OPAQUE: &[&str] = &["signature", "data", "encrypted_content", "encrypted_index", "stop_reason"];

/// One content block's streamed text.
#[derive(Debug)]
struct Block {
    index: u64,
    /// The delta type releasing its text (`text_delta` …) and the member holding it.
    delta: &'static str,
    field: &'static str,
    text: CheckedText,
}

/// The streamed kinds of block: block type, delta type, member of the delta, member of
/// the block in `content_block_start`, and whether the text is JSON.
const KINDS: &[(&str, &str, &str, &str, bool)] = &[
    ("text", "text_delta", "text", "text", false),
    ("tool_use", "input_json_delta", "partial_json", "input", true),
    ("server_tool_use", "input_json_delta", "partial_json", "input", true),
    ("thinking", "thinking_delta", "thinking", "thinking", false),
];

/// Rewrites a stream of Messages events; see the [module](self) docs.
pub struct Rewriter {
    parser: sse::Parser,
    scope: RequestScope,
    mode: OutputMode,
    max_depth: usize,
    blocks: Vec<Block>,
    records: Vec<FindingRecord>,
    /// The checked `message_delta`, held until the end.
    held: Option<String>,
    /// The upstream's `message_stop` data.
    stop: Option<String>,
    /// The checked data of an upstream `error` event.
    error: Option<String>,
}

impl std::fmt::Debug for Rewriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rewriter").field("blocks", &self.blocks.len()).finish_non_exhaustive()
    }
}

impl Rewriter {
    /// A rewriter checking answers against `scope` (the request's sanitisation).
    pub fn new(scope: RequestScope, mode: OutputMode, max_depth: usize) -> Rewriter {
        Rewriter {
            parser: sse::Parser::new(MAX_EVENT),
            scope,
            mode,
            max_depth,
            blocks: Vec::new(),
            records: Vec::new(),
            held: None,
            stop: None,
            error: None,
        }
    }

    /// True once the upstream sent `message_stop` or an `error` event: nothing after it
    /// is passed on.
    pub fn done(&self) -> bool {
        self.stop.is_some() || self.error.is_some()
    }

    /// True once the upstream sent `message_stop`.
    pub fn stopped(&self) -> bool {
        self.stop.is_some()
    }

    /// The upstream's `error` event, if it sent one: its error `type`.
    pub fn upstream_error(&self) -> Option<String> {
        let v: Value = serde_json::from_str(self.error.as_deref()?).ok()?;
        Some(v["error"]["type"].as_str().unwrap_or("error").chars().take(64).collect())
    }

    /// Adds bytes of the upstream stream; returns the bytes to send to the client now.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<u8>, sse::TooLong> {
        let mut events = Vec::new();
        self.parser.push(bytes, &mut events)?;
        let mut out = Vec::new();
        for ev in events {
            if self.done() {
                break;
            }
            self.event(&ev, &mut out);
        }
        Ok(out)
    }

    /// Ends every open block and returns the events releasing what they held back.
    pub fn flush(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        for b in std::mem::take(&mut self.blocks) {
            self.end(b, &mut out);
        }
        out
    }

    /// The records for the certificate; open blocks are ended first (what they held
    /// back is then never sent: call [`flush`](Rewriter::flush) first to send it).
    pub fn records(&mut self) -> Records {
        let _ = self.flush();
        let mut output_findings = self.scope.output_findings().to_vec();
        output_findings.append(&mut self.records);
        Records { findings: self.scope.findings().to_vec(), output_findings }
    }

    /// The closing events: the held `message_delta` carrying `metadata.dsa_compliance`
    /// (`dsa`, raw JSON) and `message_stop`; or, when the stream failed (`failure`: the
    /// message, or the upstream's own `error` event), the held `message_delta` as it was
    /// and an `error` event carrying `metadata.dsa_compliance`. Without `dsa` (the
    /// certificate could not be stored) nothing carries it.
    pub fn closing(&mut self, dsa: Option<&str>, failure: Option<&str>) -> Vec<u8> {
        let with = |data: &str| match dsa {
            Some(d) => {
                crate::openai::response::add_metadata(data, Edits::default(), d).unwrap_or_else(|| data.to_string())
            }
            None => data.to_string(),
        };
        let mut out = Vec::new();
        let error = match (self.error.take(), failure) {
            (Some(e), _) => Some(e),
            (None, Some(message)) => {
                Some(String::from_utf8_lossy(&super::error_body("api_error", message)).into_owned())
            }
            (None, None) => None,
        };
        match error {
            Some(e) => {
                if let Some(held) = self.held.take() {
                    sse::encode(Some("message_delta"), &held, &mut out);
                }
                sse::encode(Some("error"), &with(&e), &mut out);
            }
            None => {
                if let Some(held) = self.held.take() {
                    sse::encode(Some("message_delta"), &with(&held), &mut out);
                }
                let stop = self.stop.take().unwrap_or_else(|| "{\"type\":\"message_stop\"}".to_string());
                sse::encode(Some("message_stop"), &stop, &mut out);
            }
        }
        out
    }

    fn end(&mut self, mut b: Block, out: &mut Vec<u8>) {
        let tail = b.text.finish();
        if !tail.is_empty() {
            let data = serde_json::json!({"type": "content_block_delta", "index": b.index,
                "delta": {"type": b.delta, b.field: tail}});
            sse::encode(Some("content_block_delta"), &data.to_string(), out);
        }
        self.records.extend_from_slice(b.text.records());
    }

    fn open(&mut self, index: u64, kind: &(&str, &'static str, &'static str, &str, bool)) -> usize {
        if let Some(i) = self.blocks.iter().position(|b| b.index == index) {
            return i;
        }
        let (_, delta, field, member, json) = *kind;
        let at = Location::new(u32::try_from(index).unwrap_or(u32::MAX), member);
        let text = CheckedText::new(&self.scope, at, self.mode, json);
        self.blocks.push(Block { index, delta, field, text });
        self.blocks.len() - 1
    }

    /// Checks the strings of `data` other than `streamed` (the pointer of the event's
    /// streamed text, which `stream` turns into what to send) and returns the new data.
    fn rewrite(&mut self, data: &str, streamed: Option<(&str, usize)>, skip_under: Option<&str>) -> String {
        let Some(texts) = answer_texts(data, self.max_depth) else { return data.to_string() };
        let mut edits = Edits::default();
        for t in &texts {
            if let Some((pointer, b)) = streamed {
                if t.pointer == pointer {
                    let s = self.blocks[b].text.push(&t.value);
                    if s != t.value {
                        edits.string(t.range.clone(), &s);
                    }
                    continue;
                }
            }
            let last = t.pointer.rsplit('/').next().unwrap_or("");
            let under = skip_under.is_some_and(|p| t.pointer.strip_prefix(p).is_some_and(|r| r.starts_with('/')));
            if under || OPAQUE.contains(&last) {
                continue;
            }
            if let Some(new) = self.scope.answer(location(&t.pointer, ""), &t.value, self.mode) {
                edits.string(t.range.clone(), &new);
            }
        }
        edits.apply(data)
    }

    fn event(&mut self, ev: &sse::Event, out: &mut Vec<u8>) {
        let v: Value = match serde_json::from_str(&ev.data) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                // Not an event of the API: check it as one text.
                let data =
                    self.scope.answer(Location::new(0, ""), &ev.data, self.mode).unwrap_or_else(|| ev.data.clone());
                sse::encode(ev.event.as_deref(), &data, out);
                return;
            }
        };
        let ty = v["type"].as_str().or(ev.event.as_deref()).unwrap_or("").to_string();
        let index = v["index"].as_u64().unwrap_or(0);
        let data = match ty.as_str() {
            "ping" => ev.data.clone(),
            "content_block_start" => {
                let bt = v["content_block"]["type"].as_str().unwrap_or("");
                match KINDS.iter().find(|k| k.0 == bt) {
                    Some(kind) => {
                        let b = self.open(index, kind);
                        let pointer = format!("/content_block/{}", kind.3);
                        let mut data = self.rewrite(&ev.data, Some((&pointer, b)), Some("/content_block/input"));
                        if kind.4 {
                            data = self.check_input(&data, index);
                        }
                        data
                    }
                    None => self.rewrite(&ev.data, None, None),
                }
            }
            "content_block_delta" => {
                let dt = v["delta"]["type"].as_str().unwrap_or("");
                match KINDS.iter().find(|k| k.1 == dt) {
                    Some(kind) => {
                        let b = self.open(index, kind);
                        let pointer = format!("/delta/{}", kind.2);
                        self.rewrite(&ev.data, Some((&pointer, b)), None)
                    }
                    None => self.rewrite(&ev.data, None, None),
                }
            }
            "content_block_stop" => {
                if let Some(i) = self.blocks.iter().position(|b| b.index == index) {
                    let b = self.blocks.remove(i);
                    self.end(b, out);
                }
                self.rewrite(&ev.data, None, None)
            }
            "message_delta" => {
                out.extend(self.flush());
                self.held = Some(self.rewrite(&ev.data, None, None));
                return;
            }
            "message_stop" => {
                out.extend(self.flush());
                self.stop = Some(ev.data.clone());
                return;
            }
            "error" => {
                out.extend(self.flush());
                self.error = Some(self.rewrite(&ev.data, None, None));
                return;
            }
            _ => self.rewrite(&ev.data, None, None),
        };
        sse::encode(ev.event.as_deref(), &data, out);
    }

    /// Checks a tool input given whole in `content_block_start` (usually `{}`).
    fn check_input(&mut self, data: &str, index: u64) -> String {
        let Ok(root) = json::parse_document(data) else { return data.to_string() };
        let Ok(input) = json::resolve(root, "/content_block/input") else { return data.to_string() };
        let Some(span) = json::span_in(data, input) else { return data.to_string() };
        let mode = self.mode;
        let scope = &mut self.scope;
        let mut f = |inner: &str, s: &str| -> Result<Option<String>, ()> {
            Ok(scope.answer(Location::new(u32::try_from(index).unwrap_or(u32::MAX), format!("input#{inner}")), s, mode))
        };
        match json::map_strings(input.get(), self.max_depth, &mut f) {
            Ok(Ok(Some(new))) => {
                let mut edits = Edits::default();
                edits.raw(span, new);
                edits.apply(data)
            }
            Ok(Ok(None)) => data.to_string(),
            // Not JSON after all: drop it rather than pass it unchecked.
            _ => {
                let mut edits = Edits::default();
                edits.raw(span, "{}".to_string());
                edits.apply(data)
            }
        }
    }
}

impl crate::routes::chat_stream::Rewrite for Rewriter {
    fn push(&mut self, bytes: &[u8]) -> Result<Vec<u8>, sse::TooLong> {
        Rewriter::push(self, bytes)
    }
    fn done(&self) -> bool {
        Rewriter::done(self)
    }
    fn saw_error_event(&self) -> bool {
        self.upstream_error().is_some()
    }
    fn flush(&mut self) -> Vec<u8> {
        Rewriter::flush(self)
    }
    fn records(&mut self) -> Records {
        Rewriter::records(self)
    }
}

#[cfg(test)]
mod tests {
    use lucairn_core::Engine;

    use super::*;
    use crate::pipeline::Pipeline;
    use crate::secrets::Secrets;

    fn ev(ty: &str, data: Value) -> String {
        format!("event: {ty}\ndata: {data}\n\n")
    }

    /// An upstream stream answering with a text block (the placeholder and a value the
    /// model made up, cut into pieces of `piece` characters) and a tool call whose input
    /// holds the placeholder.
    fn upstream(ph: &str, piece: usize) -> (String, String, String) {
        let text = format!(
            "Wrote to {ph} and copied model.made@example.net. {} Bye — ünïcödé 😀.",
            "Filler that keeps the text long enough to pass the hold-back. ".repeat(6)
        );
        let input = format!("{{\"to\": \"{ph}\", \"subject\": \"invoice\"}}");
        let mut s = ev(
            "message_start",
            serde_json::json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
                "content": [], "model": "claude", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 5, "output_tokens": 1}}}),
        );
        s.push_str(&ev("content_block_start", serde_json::json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})));
        s.push_str("event: ping\ndata: {\"type\": \"ping\"}\r\n\r\n");
        let chars: Vec<char> = text.chars().collect();
        for c in chars.chunks(piece) {
            let t: String = c.iter().collect();
            s.push_str(&ev("content_block_delta", serde_json::json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}})));
        }
        s.push_str(&ev("content_block_stop", serde_json::json!({"type": "content_block_stop", "index": 0})));
        s.push_str(&ev(
            "content_block_start",
            serde_json::json!({"type": "content_block_start", "index": 1,
            "content_block": {"type": "tool_use", "id": "toolu_1", "name": "send", "input": {}}}),
        ));
        let chars: Vec<char> = input.chars().collect();
        for c in chars.chunks(piece) {
            let t: String = c.iter().collect();
            s.push_str(&ev("content_block_delta", serde_json::json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": t}})));
        }
        s.push_str(&ev("content_block_stop", serde_json::json!({"type": "content_block_stop", "index": 1})));
        s.push_str(&ev("message_delta", serde_json::json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": {"output_tokens": 9}})));
        s.push_str(&ev("message_stop", serde_json::json!({"type": "message_stop"})));
        (s, text, input)
    }

    /// The text and the tool input a client assembles, and every event.
    fn client_view(out: &[u8]) -> (String, String, Vec<(Option<String>, Value)>) {
        let mut p = sse::Parser::new(1 << 24);
        let mut evs = Vec::new();
        p.push(out, &mut evs).expect("parse");
        let (mut text, mut input, mut all) = (String::new(), String::new(), Vec::new());
        for e in evs {
            let v: Value = serde_json::from_str(&e.data).expect("every event is JSON");
            assert_eq!(e.event.as_deref(), v["type"].as_str(), "the event name is the type");
            if v["type"] == "content_block_delta" {
                match v["index"].as_u64() {
                    Some(0) => text.push_str(v["delta"]["text"].as_str().expect("text delta")),
                    Some(1) => input.push_str(v["delta"]["partial_json"].as_str().expect("json delta")),
                    _ => panic!("unexpected block {v}"),
                }
            }
            all.push((e.event, v));
        }
        (text, input, all)
    }

    #[test]
    fn streams_equal_the_whole_answer_for_every_cut() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[3; 32]));
        let scope = || {
            let mut s = p.request("acme");
            let sent = s.sanitize(Location::new(0, "content"), "to ana@example.org").expect("changed");
            let ph = sent.strip_prefix("to ").expect("placeholder").to_string();
            (s, ph)
        };
        for (piece, mode) in [1, 3, 7, 13].into_iter().flat_map(|n| [(n, OutputMode::Keep), (n, OutputMode::Relink)]) {
            let (_, ph) = scope();
            let (up, text, input) = upstream(&ph, piece);
            let (mut whole, _) = scope();
            let want_text = whole.answer(Location::new(0, "text"), &text, mode).expect("changed");
            assert!(!want_text.contains("model.made@example.net"));
            let want_input = match mode {
                OutputMode::Relink => "{\"to\": \"ana@example.org\", \"subject\": \"invoice\"}".to_string(),
                _ => input.clone(),
            };
            let b = up.as_bytes();
            let mut cuts: Vec<Vec<&[u8]>> =
                (0..=b.len()).step_by(b.len() / 7 + 1).map(|i| vec![&b[..i], &b[i..]]).collect();
            let i = up.find("😀").expect("emoji");
            cuts.extend((i..i + 4).map(|i| vec![&b[..i], &b[i..]]));
            if piece == 7 {
                cuts.push(b.chunks(1).collect());
            }
            for pieces in &cuts {
                let (s, _) = scope();
                let mut r = Rewriter::new(s, mode, 64);
                let mut out = Vec::new();
                for piece in pieces {
                    out.extend(r.push(piece).expect("push"));
                }
                assert!(r.stopped());
                out.extend(r.flush());
                out.extend(r.closing(Some("{\"certificate_id\":\"c1\"}"), None));
                let (got_text, got_input, events) = client_view(&out);
                assert_eq!(got_text, want_text, "{mode:?}, pieces of {piece}");
                assert_eq!(got_input, want_input, "{mode:?}, pieces of {piece}");
                serde_json::from_str::<Value>(&got_input).expect("the input is JSON");
                let types: Vec<&str> = events.iter().filter_map(|(_, v)| v["type"].as_str()).collect();
                assert_eq!(types.first(), Some(&"message_start"));
                assert!(types.contains(&"ping"));
                assert_eq!(&types[types.len() - 2..], ["message_delta", "message_stop"]);
                // Each block's text ends before its stop.
                for idx in [0, 1] {
                    let stop = events.iter().position(|(_, v)| v["type"] == "content_block_stop" && v["index"] == idx);
                    let last =
                        events.iter().rposition(|(_, v)| v["type"] == "content_block_delta" && v["index"] == idx);
                    assert!(last < stop, "block {idx}");
                }
                let md = &events[events.len() - 2].1;
                assert_eq!(md["metadata"]["dsa_compliance"]["certificate_id"], "c1");
                assert_eq!(md["delta"]["stop_reason"], "tool_use");
                assert_eq!(md["usage"]["output_tokens"], 9);
                let records = r.records();
                assert_eq!(records.output_findings.len(), 1, "{:?}", records.output_findings);
                assert_eq!(records.output_findings[0].location, Location::new(0, "text"));
            }
        }
    }

    #[test]
    fn thinking_is_checked_and_signatures_pass() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[3; 32]));
        let mut r = Rewriter::new(p.request("acme"), OutputMode::Keep, 64);
        let sig = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYjlmYTc5MGMtNDhkOC00N2Q0LWE0YTEtN2IzNmQ4NTg1OTIwIjB";
        let mut up = ev(
            "content_block_start",
            serde_json::json!({"type": "content_block_start", "index": 0,
            "content_block": {"type": "thinking", "thinking": "", "signature": ""}}),
        );
        for t in ["The user is ", "boss@co", "rp.example", " and wants help."] {
            up.push_str(&ev(
                "content_block_delta",
                serde_json::json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "thinking_delta", "thinking": t}}),
            ));
        }
        up.push_str(&ev(
            "content_block_delta",
            serde_json::json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "signature_delta", "signature": sig}}),
        ));
        up.push_str(&ev("content_block_stop", serde_json::json!({"type": "content_block_stop", "index": 0})));
        up.push_str(&ev("message_stop", serde_json::json!({"type": "message_stop"})));
        let mut out = r.push(up.as_bytes()).expect("push");
        out.extend(r.closing(Some("{}"), None));
        let text = String::from_utf8(out.clone()).expect("utf-8");
        assert!(!text.contains("boss@") && !text.contains("corp.example"), "{text}");
        let mut p2 = sse::Parser::new(1 << 20);
        let mut evs = Vec::new();
        p2.push(&out, &mut evs).expect("parse");
        let mut thinking = String::new();
        let mut sigs = Vec::new();
        for e in evs {
            let v: Value = serde_json::from_str(&e.data).expect("json");
            if let Some(t) = v["delta"]["thinking"].as_str() {
                thinking.push_str(t);
            }
            if let Some(s) = v["delta"]["signature"].as_str() {
                sigs.push(s.to_string());
            }
        }
        assert!(
            thinking.starts_with("The user is [EMAIL_ADDRESS_") && thinking.ends_with("] and wants help."),
            "{thinking}"
        );
        assert_eq!(sigs, [sig]);
        assert_eq!(r.records().output_findings[0].location, Location::new(0, "thinking"));
    }

    #[test]
    fn failures_close_with_an_error_event_carrying_the_certificate() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[3; 32]));
        let mut r = Rewriter::new(p.request("acme"), OutputMode::Keep, 64);
        let start = ev(
            "content_block_start",
            serde_json::json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        );
        let delta = ev(
            "content_block_delta",
            serde_json::json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi boss@corp.example"}}),
        );
        let err = ev(
            "error",
            serde_json::json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded for boss@corp.example"}}),
        );
        let mut out = r.push(format!("{start}{delta}{err}").as_bytes()).expect("push");
        assert!(r.done() && !r.stopped());
        assert_eq!(r.upstream_error().as_deref(), Some("overloaded_error"));
        out.extend(r.flush());
        out.extend(r.closing(Some("{\"certificate_id\":\"c2\"}"), None));
        let text = String::from_utf8(out.clone()).expect("utf-8");
        assert!(!text.contains("boss@corp.example"), "{text}");
        let (got, _, events) = client_view(&out);
        assert!(got.starts_with("Hi [EMAIL_ADDRESS_"), "{got}");
        let (name, last) = events.last().expect("events");
        assert_eq!(name.as_deref(), Some("error"));
        assert_eq!(last["error"]["type"], "overloaded_error");
        assert_eq!(last["metadata"]["dsa_compliance"]["certificate_id"], "c2");

        // A stream cut off by the gateway.
        let mut r = Rewriter::new(p.request("acme"), OutputMode::Keep, 64);
        let mut out = r.push(start.as_bytes()).expect("push");
        out.extend(r.closing(Some("{}"), Some("the upstream stream broke off")));
        let (_, _, events) = client_view(&out);
        let last = &events.last().expect("events").1;
        assert_eq!(last["error"], serde_json::json!({"type": "api_error", "message": "the upstream stream broke off"}));
    }
}
