//! How the gateway hands texts to the engine's [`Sanitizer`].
//!
//! [`Pipeline`] is built once (engine and secrets) and makes one [`RequestScope`] per
//! request: a [`Sanitizer`] with the tenant's secret, so one value gets one placeholder
//! across every text of the request and across the tenant's requests. All sanitisation,
//! re-linking and answer scanning is the engine's; this module only finds the texts in
//! JSON documents and names their places.
//!
//! # Locations
//!
//! The gateway addresses texts by JSON Pointer (RFC 6901). Certificates name them by
//! [`Location`] `{message, field}`:
//!
//! - a text inside `/messages/N` of a request (or `/choices/N` of an answer) has
//!   `message: N` and the rest of the pointer without its leading `/` as `field`:
//!   `/messages/2/content/1/text` becomes `{2, "content/1/text"}`;
//! - any other text has `message: 0` and the whole pointer, with its leading `/`, as
//!   `field`: `/tools/0/function/description` becomes `{0, "/tools/0/function/description"}`;
//! - a string inside a JSON text (tool-call arguments) adds `#` and its pointer inside
//!   that text: `{4, "tool_calls/0/function/arguments#/to"}`.
//!
//! Pointers name object keys, and keys can be personal data themselves: personal data in
//! a field path is replaced by `[KIND]` before it is recorded, so certificates never hold
//! a value.

use std::collections::BTreeMap;

use lucairn_core::{Engine, FindingRecord, Location, Mapping, OutputMode, OutputStream, Sanitized, Sanitizer};

use crate::json::{self, Edits};
use crate::openai::chat::{TextField, TextKind};
use crate::secrets::Secrets;

/// Sanitisation for the whole server.
#[derive(Debug, Clone)]
pub struct Pipeline {
    engine: Engine,
    secrets: Secrets,
}

impl Pipeline {
    pub fn new(engine: Engine, secrets: Secrets) -> Pipeline {
        Pipeline { engine, secrets }
    }

    /// The detection engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The secrets derived from the master secret.
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// Digest of the policy, as certificates quote it.
    pub fn policy_digest(&self) -> &str {
        self.engine.policy_digest()
    }

    /// A scope for one request of `tenant`.
    pub fn request(&self, tenant: &str) -> RequestScope {
        RequestScope { san: Sanitizer::with_secret(&self.engine, &self.secrets.tenant_secret(tenant)) }
    }
}

/// The [`Location`] of the text at `pointer` in a document whose list of messages (or
/// choices) is the top-level member `list` (`""`: a document without one). See
/// [Locations](self#locations).
pub fn location(pointer: &str, list: &str) -> Location {
    if list.is_empty() {
        return Location::new(0, pointer);
    }
    let inside =
        pointer.strip_prefix('/').and_then(|p| p.strip_prefix(list)).and_then(|p| p.strip_prefix('/')).and_then(|p| {
            let (n, rest) = p.split_once('/').unwrap_or((p, ""));
            let canonical = !n.is_empty() && (n == "0" || !n.starts_with('0'));
            n.parse::<u32>().ok().filter(|_| canonical).map(|n| (n, rest))
        });
    match inside {
        Some((n, rest)) => Location::new(n, rest),
        None => Location::new(0, pointer),
    }
}

/// Sanitisation state of one request.
#[derive(Debug)]
pub struct RequestScope {
    san: Sanitizer,
}

impl RequestScope {
    /// Sanitises one text of the request. `None`: unchanged.
    pub fn sanitize(&mut self, at: Location, text: &str) -> Option<String> {
        let at = self.redacted(at);
        let out = self.san.sanitize(at, text);
        (out != text).then_some(out)
    }

    /// Checks one text of the answer: this request's placeholders are re-linked or kept
    /// (`mode`), personal data the model produced itself is replaced. `None`: unchanged.
    pub fn answer(&mut self, at: Location, text: &str, mode: OutputMode) -> Option<String> {
        let at = self.redacted(at);
        let out = self.san.scan_output(at, text, mode);
        (out != text).then_some(out)
    }

    /// `at` with personal data in its field path replaced by `[KIND]`: paths name object
    /// keys, and keys are data too (`{"ana@example.org": true}`, metadata keys), but
    /// certificates must not hold any value.
    fn redacted(&self, mut at: Location) -> Location {
        let engine = self.san.engine();
        if !engine.scan(&at.field).is_empty() {
            at.field = engine.redact(&at.field);
        }
        at
    }

    /// Values replaced in the request, per kind.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        counts(self.san.findings())
    }

    /// Values replaced in the answer, per kind.
    pub fn answer_counts(&self) -> BTreeMap<String, u64> {
        counts(self.san.output_findings())
    }

    /// A stream scanning one streamed answer text at `at` against this request's mapping,
    /// and the number of answer records the scope holds now (the stream's sanitizer
    /// starts as a copy of the scope's, so its records after that many are its own).
    pub fn output_stream(&self, at: Location, mode: OutputMode) -> (OutputStream, usize) {
        let at = self.redacted(at);
        (OutputStream::new(self.san.clone(), at, mode), self.san.output_findings().len())
    }

    /// Records of the values replaced in the request.
    pub fn findings(&self) -> &[FindingRecord] {
        self.san.findings()
    }

    /// Records of the values replaced in answers by [`answer`](RequestScope::answer).
    pub fn output_findings(&self) -> &[FindingRecord] {
        self.san.output_findings()
    }

    /// The placeholders given out so far.
    pub fn mapping(&self) -> &Mapping {
        self.san.mapping()
    }

    /// The mapping and every record, for the certificate.
    pub fn finish(self) -> Sanitized {
        self.san.finish()
    }
}

pub use lucairn_core::counts;

/// Sanitises one text at `pointer`; a [`TextKind::Json`] text has its string values
/// and keys sanitised and stays valid JSON (text that is not JSON is sanitised as plain
/// text). `list` names the document's message list (see [`location`]). `None`: unchanged.
pub fn sanitize_text(
    scope: &mut RequestScope,
    pointer: &str,
    text: &str,
    kind: TextKind,
    list: &str,
    max_depth: usize,
) -> Option<String> {
    if kind == TextKind::Json {
        let mut f = |inner: &str, s: &str| -> Result<Option<String>, ()> {
            Ok(scope.sanitize(location(&format!("{pointer}#{inner}"), list), s))
        };
        if let Ok(Ok(r)) = json::map_strings(text, max_depth, &mut f) {
            return r;
        }
    }
    scope.sanitize(location(pointer, list), text)
}

/// Sanitises every text of a chat request and returns the body to forward (`src` with
/// the sanitised string literals spliced in).
pub fn sanitize_request(scope: &mut RequestScope, src: &str, texts: &[TextField<'_>], max_depth: usize) -> String {
    let mut edits = Edits::default();
    for t in texts {
        if let Some(new) = sanitize_text(scope, &t.pointer, &t.value, t.kind, "messages", max_depth) {
            edits.string(t.range.clone(), &new);
        }
    }
    edits.apply(src)
}

/// Checks one answer text at `pointer` (JSON-aware for [`TextKind::Json`]). `None`:
/// unchanged.
pub fn answer_text(
    scope: &mut RequestScope,
    pointer: &str,
    text: &str,
    kind: TextKind,
    mode: OutputMode,
    max_depth: usize,
) -> Option<String> {
    if kind == TextKind::Json {
        let mut f = |inner: &str, s: &str| -> Result<Option<String>, ()> {
            Ok(scope.answer(location(&format!("{pointer}#{inner}"), "choices"), s, mode))
        };
        if let Ok(Ok(r)) = json::map_strings(text, max_depth, &mut f) {
            return r;
        }
    }
    scope.answer(location(pointer, "choices"), text, mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_to_locations() {
        let t = |p: &str, list: &str| {
            let l = location(p, list);
            (l.message, l.field)
        };
        assert_eq!(t("/messages/2/content/1/text", "messages"), (2, "content/1/text".into()));
        assert_eq!(t("/messages/0/content", "messages"), (0, "content".into()));
        assert_eq!(
            t("/messages/4/tool_calls/0/function/arguments#/cc/1", "messages"),
            (4, "tool_calls/0/function/arguments#/cc/1".into())
        );
        assert_eq!(t("/choices/1/message/content", "choices"), (1, "message/content".into()));
        assert_eq!(t("/tools/0/function/description", "messages"), (0, "/tools/0/function/description".into()));
        assert_eq!(t("/messages/01/content", "messages"), (0, "/messages/01/content".into()));
        assert_eq!(t("/messagesX/1/content", "messages"), (0, "/messagesX/1/content".into()));
        assert_eq!(t("/error/message", "choices"), (0, "/error/message".into()));
        assert_eq!(t("", "choices"), (0, String::new()));
        assert_eq!(t("//0/a", ""), (0, "//0/a".into()));
        assert_eq!(t("/messages/1/a", ""), (0, "/messages/1/a".into()));
    }

    #[test]
    fn one_value_one_placeholder_across_texts_and_tenants_keep_theirs() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[1; 32]));
        let mut a = p.request("acme");
        let x = a.sanitize(location("/messages/0/content", "messages"), "mail ana@example.org").expect("changed");
        let y = a.sanitize(location("/messages/1/content", "messages"), "ANA@example.org?").expect("changed");
        let ph = x.strip_prefix("mail ").expect("prefix");
        assert_eq!(y, format!("{ph}?"));
        assert!(a.sanitize(location("/messages/2/content", "messages"), "nothing here").is_none());
        // The same tenant gets the same placeholder in the next request; another does not.
        let again = p.request("acme").sanitize(Location::new(0, "content"), "ana@example.org");
        assert_eq!(again.as_deref(), Some(ph));
        let other = p.request("globex").sanitize(Location::new(0, "content"), "ana@example.org");
        assert_ne!(other.as_deref(), Some(ph));
        assert_eq!(a.request_counts()["EMAIL_ADDRESS"], 2);
        // Keys are data too: the path recorded for a value under a key names no value.
        let args = r#"{"ana@example.org": "bo@example.net"}"#;
        let p2 = "/messages/3/tool_calls/0/function/arguments";
        let out = sanitize_text(&mut a, p2, args, TextKind::Json, "messages", 64).expect("changed");
        assert!(!out.contains("example"), "{out}");
        let done = a.finish();
        let fields: Vec<&str> = done.findings.iter().map(|r| r.location.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "content",
                "content",
                "tool_calls/0/function/arguments#/[EMAIL_ADDRESS]",
                "tool_calls/0/function/arguments#/[EMAIL_ADDRESS]"
            ]
        );
    }

    #[test]
    fn json_texts_stay_json() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[1; 32]));
        let mut s = p.request("acme");
        let args = r#"{"to": "ana@example.org", "n": 1}"#;
        let out =
            sanitize_text(&mut s, "/messages/1/tool_calls/0/function/arguments", args, TextKind::Json, "messages", 64)
                .expect("changed");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert!(v["to"].as_str().is_some_and(|t| t.starts_with("[EMAIL_ADDRESS_")));
        assert_eq!(v["n"], 1);
    }
}
