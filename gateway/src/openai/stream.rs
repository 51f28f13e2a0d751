//! Streamed chat completions (`stream: true`): the upstream's server-sent events, rewritten
//! so that no unchecked text reaches the client.
//!
//! [`Rewriter`] takes the upstream's bytes as they arrive. Each event is a
//! `chat.completion.chunk`; the texts of each choice's `delta` (`content`, `refusal` and
//! any other string member, `tool_calls[].function.arguments`, `function_call.arguments`)
//! are streamed texts: each runs through its own [`lucairn_core::OutputStream`] (keyed by
//! the choice's `index` and, for tool calls, the call's `index`), which re-links or keeps
//! the request's placeholders and replaces personal data the model produced, releasing
//! text as soon as no later text can change it. The chunk is passed on with each text
//! replaced by what its stream released (possibly `""`), everything else as the upstream
//! sent it: ids, roles, `finish_reason`, `usage`, fields this gateway does not know. Any
//! other string of a chunk (an error message, say) is checked whole, like the strings of
//! a non-streamed answer.
//!
//! Tool-call arguments are JSON: when they are re-linked, values are put in escaped as
//! inside a JSON string (placeholders stand inside strings), so the arguments stay valid
//! JSON whatever the value holds, as in non-streamed answers.
//!
//! When a choice's `finish_reason` arrives, its texts are ended and what they held back
//! is released, before that chunk; `data: [DONE]` ends every text. Held-back text is
//! released in extra chunks shaped like the upstream's (same `id`, `created`, `model`):
//! `{"choices": [{"index": i, "delta": {"content": "..."}, ...}]}`.

use lucairn_core::{FindingRecord, Location, Mapping, OutputMode, OutputStream, StreamRelinker};
use serde_json::Value;

use crate::json::Edits;
use crate::openai::response;
use crate::pipeline::{self, RequestScope};
use crate::sse;

/// Longest upstream event accepted (bytes).
const MAX_EVENT: usize = 16 * 1024 * 1024;

/// Top-level members of a chunk copied into the chunks the gateway adds.
const TEMPLATE: &[&str] = &["id", "object", "created", "model", "system_fingerprint", "service_tier"];

/// A streamed text: a choice's index and the path of the text inside its message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    choice: u64,
    path: String,
}

#[derive(Debug)]
struct Text {
    key: Key,
    text: CheckedText,
}

/// One streamed answer text as it is checked: its output stream, and for re-linked JSON
/// (tool-call arguments, tool inputs) a relinker putting in the values escaped for a JSON
/// string, so the JSON stays valid.
pub struct CheckedText {
    stream: OutputStream,
    /// Answer records the stream's sanitizer had when it was made.
    skip: usize,
    relinker: Option<StreamRelinker>,
}

impl std::fmt::Debug for CheckedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedText").field("relinked_json", &self.relinker.is_some()).finish_non_exhaustive()
    }
}

impl CheckedText {
    /// A text at `at` of the answer to `scope`'s request, checked as `mode` says; `json`
    /// for a text that is JSON (re-linked with JSON-escaped values).
    pub fn new(scope: &RequestScope, at: Location, mode: OutputMode, json: bool) -> CheckedText {
        match mode {
            OutputMode::Relink if json => {
                let (stream, skip) = scope.output_stream(at, OutputMode::Keep);
                // Without an escaped mapping, placeholders stay (never a broken value).
                let escaped = json_escaped(scope.mapping()).unwrap_or_default();
                CheckedText { stream, skip, relinker: Some(StreamRelinker::new(escaped)) }
            }
            mode => {
                let (stream, skip) = scope.output_stream(at, mode);
                CheckedText { stream, skip, relinker: None }
            }
        }
    }

    /// The next piece of the text; what may be sent now.
    pub fn push(&mut self, text: &str) -> String {
        let out = self.stream.push(text);
        match &mut self.relinker {
            Some(r) => r.push(&out),
            None => out,
        }
    }

    /// The end of the text; what was held back.
    pub fn finish(&mut self) -> String {
        let out = self.stream.finish();
        match &mut self.relinker {
            Some(r) => {
                let mut s = r.push(&out);
                s.push_str(&r.finish());
                s
            }
            None => out,
        }
    }

    /// What this text's checking found, for the certificate.
    pub fn records(&self) -> &[FindingRecord] {
        &self.stream.sanitizer().output_findings()[self.skip..]
    }
}

/// `mapping` with every value escaped as inside a JSON string literal.
pub fn json_escaped(mapping: &Mapping) -> Option<Mapping> {
    let mut v = serde_json::to_value(mapping).ok()?;
    for e in v.as_array_mut()? {
        let value = e.get("value")?.as_str()?;
        let lit = serde_json::to_string(value).ok()?;
        let inner = lit.get(1..lit.len() - 1)?.to_string();
        e["value"] = Value::String(inner);
    }
    serde_json::from_value(v).ok()
}

/// Rewrites a stream of chat completion chunks; see the [module](self) docs.
#[derive(Debug)]
pub struct Rewriter {
    parser: sse::Parser,
    scope: RequestScope,
    mode: OutputMode,
    max_depth: usize,
    /// Open streamed texts, in order of first appearance.
    texts: Vec<Text>,
    /// Answer records of streamed texts that ended.
    records: Vec<FindingRecord>,
    /// `(name, raw JSON)` of the [`TEMPLATE`] members of the latest chunk.
    template: Vec<(&'static str, String)>,
    done: bool,
    /// The upstream sent an error object (`{"error": ...}`) in the stream.
    error: bool,
}

/// The certificate's records of a stream.
#[derive(Debug)]
pub struct Records {
    pub findings: Vec<FindingRecord>,
    pub output_findings: Vec<FindingRecord>,
}

impl Rewriter {
    /// A rewriter checking answers against `scope` (the request's sanitisation).
    pub fn new(scope: RequestScope, mode: OutputMode, max_depth: usize) -> Rewriter {
        Rewriter {
            parser: sse::Parser::new(MAX_EVENT),
            scope,
            mode,
            max_depth,
            texts: Vec::new(),
            records: Vec::new(),
            template: Vec::new(),
            done: false,
            error: false,
        }
    }

    /// True once the upstream sent `data: [DONE]`. The rewriter does not pass `[DONE]`
    /// on: the caller sends its own closing events, then `[DONE]`.
    pub fn done(&self) -> bool {
        self.done
    }

    /// True once the upstream sent an error object (`{"error": ...}`) in the stream.
    pub fn upstream_error(&self) -> bool {
        self.error
    }

    /// Adds bytes of the upstream stream; returns the bytes to send to the client now.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<u8>, sse::TooLong> {
        let mut events = Vec::new();
        self.parser.push(bytes, &mut events)?;
        let mut out = Vec::new();
        for ev in events {
            if self.done {
                break;
            }
            self.event(&ev, &mut out);
        }
        Ok(out)
    }

    /// Ends every open text and returns the chunks releasing what they held back.
    pub fn flush(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        for t in std::mem::take(&mut self.texts) {
            self.end(t, &mut out);
        }
        out
    }

    /// A chunk with no choices carrying `metadata.dsa_compliance` (`dsa`, raw JSON).
    pub fn metadata_event(&self, dsa: &str) -> Vec<u8> {
        let mut data = self.template_json();
        data.push_str(",\"choices\":[],\"metadata\":{\"dsa_compliance\":");
        data.push_str(dsa);
        data.push_str("}}");
        let mut out = Vec::new();
        sse::encode(None, &data, &mut out);
        out
    }

    /// The records for the certificate; texts still open are ended first (what they
    /// held back is then never sent: call [`flush`](Rewriter::flush) first to send it).
    pub fn records(&mut self) -> Records {
        let _ = self.flush();
        let mut output_findings = self.scope.output_findings().to_vec();
        output_findings.append(&mut self.records);
        Records { findings: self.scope.findings().to_vec(), output_findings }
    }

    fn end(&mut self, mut t: Text, out: &mut Vec<u8>) {
        let tail = t.text.finish();
        if !tail.is_empty() {
            self.chunk(&t.key, &tail, out);
        }
        self.records.extend_from_slice(t.text.records());
    }

    /// `{"id": ..., "object": ..., ...` of the latest chunk, without the closing brace.
    fn template_json(&self) -> String {
        let mut s = String::from("{");
        let mut has_object = false;
        for (name, raw) in &self.template {
            if s.len() > 1 {
                s.push(',');
            }
            has_object |= *name == "object";
            s.push_str(&format!("\"{name}\":{raw}"));
        }
        if !has_object {
            if s.len() > 1 {
                s.push(',');
            }
            s.push_str("\"object\":\"chat.completion.chunk\"");
        }
        s
    }

    /// A chunk releasing `text` of the streamed text `key`.
    fn chunk(&self, key: &Key, text: &str, out: &mut Vec<u8>) {
        let s = Value::String(text.to_string());
        let delta = match key.path.split('/').collect::<Vec<_>>().as_slice() {
            ["tool_calls", i, "function", "arguments"] => {
                let i: Value = i.parse::<u64>().map(Value::from).unwrap_or(Value::Null);
                serde_json::json!({"tool_calls": [{"index": i, "function": {"arguments": s}}]})
            }
            ["function_call", "arguments"] => serde_json::json!({"function_call": {"arguments": s}}),
            _ => {
                let mut m = serde_json::Map::new();
                m.insert(unescape(&key.path), s);
                Value::Object(m)
            }
        };
        let choice =
            serde_json::json!([{"index": key.choice, "delta": delta, "logprobs": null, "finish_reason": null}]);
        let data = format!("{},\"choices\":{choice}}}", self.template_json());
        sse::encode(None, &data, out);
    }

    fn text(&mut self, key: &Key) -> &mut Text {
        let i = match self.texts.iter().position(|t| t.key == *key) {
            Some(i) => i,
            None => {
                let message = u32::try_from(key.choice).unwrap_or(u32::MAX);
                let at = Location::new(message, format!("message/{}", key.path));
                let arguments = key.path.ends_with("/arguments");
                let text = CheckedText::new(&self.scope, at, self.mode, arguments);
                self.texts.push(Text { key: key.clone(), text });
                self.texts.len() - 1
            }
        };
        &mut self.texts[i]
    }

    fn event(&mut self, ev: &sse::Event, out: &mut Vec<u8>) {
        if ev.data.trim() == "[DONE]" {
            self.done = true;
            out.extend(self.flush());
            return;
        }
        let Some(texts) = response::answer_texts(&ev.data, self.max_depth) else {
            // Not JSON: check it as one text.
            let data = self.scope.answer(Location::new(0, ""), &ev.data, self.mode).unwrap_or_else(|| ev.data.clone());
            sse::encode(ev.event.as_deref(), &data, out);
            return;
        };
        let v: Value = serde_json::from_str(&ev.data).unwrap_or(Value::Null);
        self.error |= v.get("error").is_some_and(|e| !e.is_null());
        if v.is_object() {
            let template: Vec<(&'static str, String)> =
                TEMPLATE.iter().filter_map(|k| v.get(*k).map(|x| (*k, x.to_string()))).collect();
            if !template.is_empty() {
                self.template = template;
            }
        }
        // Choices this chunk finishes.
        let finishing: Vec<u64> = v["choices"]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .enumerate()
                    .filter(|(_, c)| c["finish_reason"].is_string())
                    .map(|(n, c)| c["index"].as_u64().unwrap_or(n as u64))
                    .collect()
            })
            .unwrap_or_default();
        let mut edits = Edits::default();
        let mut ended: Vec<Key> = Vec::new();
        for t in &texts {
            match streamed(&t.pointer, &v) {
                Some(key) => {
                    let finish = finishing.contains(&key.choice);
                    let text = self.text(&key);
                    let mut s = text.text.push(&t.value);
                    if finish {
                        s.push_str(&text.text.finish());
                        ended.push(key);
                    }
                    if s != t.value {
                        edits.string(t.range.clone(), &s);
                    }
                }
                None => {
                    let (mode, depth) = (self.mode, self.max_depth);
                    if let Some(new) = pipeline::answer_text(&mut self.scope, &t.pointer, &t.value, t.kind, mode, depth)
                    {
                        edits.string(t.range.clone(), &new);
                    }
                }
            }
        }
        // Texts of the finishing choices: those in this chunk ended above, the others
        // release their rest before it.
        if !finishing.is_empty() {
            let (done, open): (Vec<Text>, Vec<Text>) =
                std::mem::take(&mut self.texts).into_iter().partition(|t| finishing.contains(&t.key.choice));
            self.texts = open;
            for t in done {
                if ended.contains(&t.key) {
                    self.records.extend_from_slice(t.text.records());
                } else {
                    self.end(t, out);
                }
            }
        }
        sse::encode(ev.event.as_deref(), &edits.apply(&ev.data), out);
    }
}

/// Reverses the JSON Pointer escapes of one segment.
fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// The streamed text a string of a chunk belongs to, if it is one: see the module docs.
fn streamed(pointer: &str, chunk: &Value) -> Option<Key> {
    let segs: Vec<&str> = pointer.strip_prefix('/')?.split('/').collect();
    let ["choices", n, "delta", rest @ ..] = segs.as_slice() else { return None };
    let n: usize = n.parse().ok()?;
    let choice = &chunk["choices"][n];
    let index = choice["index"].as_u64().unwrap_or(n as u64);
    let path = match rest {
        [key] => (*key).to_string(),
        ["tool_calls", m, "function", "arguments"] => {
            let m: usize = m.parse().ok()?;
            let call = choice["delta"]["tool_calls"][m]["index"].as_u64().unwrap_or(m as u64);
            format!("tool_calls/{call}/function/arguments")
        }
        ["function_call", "arguments"] => "function_call/arguments".to_string(),
        _ => return None,
    };
    Some(Key { choice: index, path })
}

#[cfg(test)]
mod tests {
    use lucairn_core::Engine;

    use super::*;
    use crate::pipeline::Pipeline;
    use crate::secrets::Secrets;

    const REQUEST: &str = "Write to ana@example.org about the invoice.";

    fn pipeline() -> Pipeline {
        Pipeline::new(Engine::default(), Secrets::from_master(&[3; 32]))
    }

    /// A scope that has sanitised the request, and the placeholder ana@example.org got.
    fn scope(p: &Pipeline) -> (RequestScope, String) {
        let mut s = p.request("acme");
        let sent = s.sanitize(Location::new(0, "content"), REQUEST).expect("changed");
        let ph = sent.strip_prefix("Write to ").and_then(|r| r.split(' ').next()).expect("placeholder").to_string();
        (s, ph)
    }

    fn chunk(delta: Value, finish: Option<&str>) -> String {
        let c = serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "system_fingerprint": "fp", "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]});
        format!("data: {c}\n\n")
    }

    /// An upstream stream: content in small pieces cutting the placeholder and a value the
    /// model made up, a tool call whose arguments hold the placeholder, usage, [DONE].
    fn upstream(ph: &str, piece: usize) -> (String, String, String) {
        let content = format!(
            "Done: I wrote to {ph} about the invoice and copied model.made@example.net, who \
             handles billing. {} Reply to {ph} again if needed — ünïcödé 😀 end.",
            "Filler text that keeps the answer long enough to pass the hold-back. ".repeat(6)
        );
        let args = format!("{{\"to\": \"{ph}\", \"subject\": \"invoice\"}}");
        let mut s = chunk(serde_json::json!({"role": "assistant", "content": ""}), None);
        s.push_str(": keep-alive\n\n");
        let chars: Vec<char> = content.chars().collect();
        for piece in chars.chunks(piece) {
            s.push_str(&chunk(serde_json::json!({"content": piece.iter().collect::<String>()}), None));
        }
        s.push_str(&chunk(
            serde_json::json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                "function": {"name": "send", "arguments": ""}}]}),
            None,
        ));
        let achars: Vec<char> = args.chars().collect();
        for piece in achars.chunks(piece) {
            let a: String = piece.iter().collect();
            s.push_str(&chunk(serde_json::json!({"tool_calls": [{"index": 0, "function": {"arguments": a}}]}), None));
        }
        s.push_str(&chunk(serde_json::json!({}), Some("tool_calls")));
        s.push_str("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"total_tokens\":9}}\r\n\r\n");
        s.push_str("data: [DONE]\n\n");
        (s, content, args)
    }

    /// What a client sees: the concatenated content and arguments, every chunk, and
    /// whether [DONE] was passed on (it must not be: the caller adds its own).
    fn client_view(out: &[u8]) -> (String, String, Vec<Value>) {
        let mut p = sse::Parser::new(1 << 24);
        let mut evs = Vec::new();
        p.push(out, &mut evs).expect("parse");
        let (mut content, mut args, mut chunks) = (String::new(), String::new(), Vec::new());
        for e in evs {
            let v: Value = serde_json::from_str(&e.data).expect("every event is JSON");
            if let Some(c) = v["choices"][0]["delta"]["content"].as_str() {
                content.push_str(c);
            }
            if let Some(a) = v["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str() {
                args.push_str(a);
            }
            chunks.push(v);
        }
        (content, args, chunks)
    }

    fn run(p: &Pipeline, mode: OutputMode, pieces: &[&[u8]]) -> (String, String, Vec<Value>, Records) {
        let (s, _) = scope(p);
        let mut r = Rewriter::new(s, mode, 64);
        let mut out = Vec::new();
        for piece in pieces {
            out.extend(r.push(piece).expect("push"));
        }
        assert!(r.done());
        out.extend(r.flush());
        let (content, args, chunks) = client_view(&out);
        (content, args, chunks, r.records())
    }

    #[test]
    fn streams_equal_the_whole_answer_for_every_cut() {
        let p = pipeline();
        let (_, ph) = scope(&p);
        // Text pieces of every size from 1 character (so that the placeholder and the
        // made-up value are cut at every position) and SSE events cut at many bytes.
        for (piece, mode) in
            [1, 2, 3, 4, 5, 6, 7, 9, 13].into_iter().flat_map(|n| [(n, OutputMode::Keep), (n, OutputMode::Relink)])
        {
            let (up, content, args) = upstream(&ph, piece);
            let b = up.as_bytes();
            // The answer as a non-streamed request would show it.
            let (mut whole, _) = scope(&p);
            let want_content = whole.answer(Location::new(0, "message/content"), &content, mode).expect("changed");
            let want_args =
                pipeline::answer_text(&mut whole, "", &args, crate::openai::chat::TextKind::Plain, mode, 64)
                    .unwrap_or_else(|| args.clone());
            assert!(!want_content.contains("model.made@example.net"));
            match mode {
                OutputMode::Keep => {
                    assert!(want_content.contains(&ph) && !want_content.contains("ana@example.org"));
                }
                OutputMode::Relink => {
                    assert!(want_content.contains("to ana@example.org about") && !want_content.contains(&ph));
                    assert_eq!(want_args, "{\"to\": \"ana@example.org\", \"subject\": \"invoice\"}");
                }
            }
            // Byte cuts: a few, at every byte around a multi-byte character and a `\r\n`, and
            // one byte at a time for one piece size.
            let mut at: Vec<usize> = (0..=b.len()).step_by(b.len() / 5 + 1).collect();
            for needle in ["😀", "\r\n\r\n"] {
                let i = up.find(needle).expect("needle");
                at.extend(i.saturating_sub(2)..(i + needle.len() + 2).min(b.len()));
            }
            let mut cuts: Vec<Vec<&[u8]>> = at.iter().map(|&i| vec![&b[..i], &b[i..]]).collect();
            if piece == 7 {
                cuts.push(b.chunks(1).collect());
            }
            for pieces in &cuts {
                let (c, a, chunks, records) = run(&p, mode, pieces);
                assert_eq!(c, want_content, "{mode:?}, pieces of {piece}, cut {}", pieces[0].len());
                assert_eq!(a, want_args, "{mode:?}, pieces of {piece}, cut {}", pieces[0].len());
                // Ids, roles, tool call names, finish reasons and usage pass through.
                assert!(chunks.iter().all(|c| c["id"] == "chatcmpl-1" && c["model"] == "m"));
                assert!(chunks.iter().any(|c| c["choices"][0]["delta"]["role"] == "assistant"));
                assert!(chunks.iter().any(|c| c["choices"][0]["delta"]["tool_calls"][0]["function"]["name"] == "send"));
                assert!(chunks.iter().any(|c| c["usage"]["total_tokens"] == 9));
                let finish = chunks.iter().position(|c| c["choices"][0]["finish_reason"] == "tool_calls");
                let last_text = chunks.iter().rposition(|c| {
                    c["choices"][0]["delta"]["content"].as_str().is_some_and(|s| !s.is_empty())
                        || c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"]
                            .as_str()
                            .is_some_and(|s| !s.is_empty())
                });
                assert!(last_text < finish, "all text comes before the finish reason");
                // One record for the value the model made up, in the content.
                assert_eq!(records.findings.len(), 1);
                assert_eq!(records.output_findings.len(), 1, "{:?}", records.output_findings);
                assert_eq!(records.output_findings[0].location, Location::new(0, "message/content"));
            }
        }
    }

    #[test]
    fn text_is_released_before_the_stream_ends() {
        let p = pipeline();
        let (s, ph) = scope(&p);
        let (up, _, _) = upstream(&ph, 7);
        let mut r = Rewriter::new(s, OutputMode::Keep, 64);
        // Everything up to the tool call: the content is long enough that most of it is
        // released before the finish.
        let cut = up.find("\"tool_calls\"").expect("tool call");
        let out = r.push(&up.as_bytes()[..cut]).expect("push");
        let (content, _, _) = client_view(&out);
        assert!(content.len() > 200, "{}", content.len());
        assert!(content.starts_with(&format!("Done: I wrote to {ph} about")), "{content}");
    }

    #[test]
    fn relinked_arguments_stay_valid_json() {
        let policy = lucairn_core::Policy::from_json(
            r#"{"custom": [{"kind": "CODENAME", "words": ["Project \"Falcon\\X\""]}]}"#,
        )
        .expect("policy");
        let p = Pipeline::new(Engine::new(policy).expect("engine"), Secrets::from_master(&[3; 32]));
        let value = "Project \"Falcon\\X\"";
        let mut s = p.request("acme");
        let sent = s.sanitize(Location::new(0, "content"), &format!("Ship {value} today")).expect("changed");
        let ph = sent.strip_prefix("Ship ").and_then(|r| r.strip_suffix(" today")).expect("placeholder").to_string();
        assert!(ph.starts_with("[CODENAME_"), "{sent}");
        let args = format!("{{\"project\": \"{ph}\", \"copy\": \"{ph}\"}}");
        let mut up = String::new();
        let chars: Vec<char> = args.chars().collect();
        for piece in chars.chunks(3) {
            let a: String = piece.iter().collect();
            up.push_str(&chunk(serde_json::json!({"tool_calls": [{"index": 0, "function": {"arguments": a}}]}), None));
        }
        up.push_str(&chunk(serde_json::json!({}), Some("tool_calls")));
        up.push_str("data: [DONE]\n\n");
        let mut r = Rewriter::new(s, OutputMode::Relink, 64);
        let mut out = r.push(up.as_bytes()).expect("push");
        out.extend(r.flush());
        let (_, got, _) = client_view(&out);
        let v: Value = serde_json::from_str(&got).expect("the arguments are valid JSON");
        assert_eq!(v, serde_json::json!({"project": value, "copy": value}));
    }

    #[test]
    fn other_strings_are_checked_whole_and_junk_is_checked_as_text() {
        let p = pipeline();
        let (s, _) = scope(&p);
        let mut r = Rewriter::new(s, OutputMode::Keep, 64);
        let err = "data: {\"error\": {\"message\": \"quota for boss@corp.example exceeded\", \"type\": \"x\"}}\n\n";
        let out = r.push(err.as_bytes()).expect("push");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(!text.contains("boss@corp.example") && text.contains("quota for [EMAIL_ADDRESS_"), "{text}");
        let out = r.push(b"event: odd\ndata: not json from x@corp.example\n\n").expect("push");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("event: odd\ndata: not json from [EMAIL_ADDRESS_"), "{text}");
        assert!(!r.done());
        assert_eq!(r.records().output_findings.len(), 2);
    }
}
