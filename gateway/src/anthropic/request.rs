//! `POST /v1/messages` requests: validation against the Messages API, and the list of
//! every text the provider would see.
//!
//! Texts: `system` (a string or text blocks); each message's `content` (a string or
//! blocks): `text` blocks (and their citations), `tool_use` inputs (a JSON object: every
//! string in it, keys included, is sanitised and it stays the same JSON), `tool_result`
//! content (a string or blocks), `thinking` text, `document` blocks with a text source;
//! `tools[]` definitions (descriptions and the strings of `input_schema`, as for OpenAI
//! tools); `stop_sequences`; `metadata`. Image and other media blocks pass only with
//! `--allow-media`; blocks of an unknown type are refused, so nothing passes unchecked.
//! Fields this module does not know pass through untouched.

use std::borrow::Cow;
use std::ops::Range;

use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::json::{self, Edits, Node};
use crate::openai::chat::{Limits, TextKind};
use crate::openai::path::{self, Path, get, invalid, wrong_type};
use crate::pipeline::{self, RequestScope};

/// One text of the request.
#[derive(Debug)]
pub struct Text<'a> {
    /// JSON Pointer of the value in the request.
    pub pointer: String,
    /// Byte range of the value in the body.
    pub range: Range<usize>,
    /// The decoded string, or for [`Text::object`] the raw JSON of the value.
    pub value: Cow<'a, str>,
    /// A JSON object in the body (a `tool_use` input), not a string.
    pub object: bool,
}

/// A validated Messages request.
#[derive(Debug)]
pub struct MessagesRequest<'a> {
    /// `stream: true`.
    pub stream: bool,
    /// Every text to sanitise, in document order.
    pub texts: Vec<Text<'a>>,
}

/// Validates `body` and lists its texts.
pub fn parse<'a>(body: &'a str, limits: &Limits) -> Result<MessagesRequest<'a>, ApiError> {
    if json::check_depth(body.as_bytes(), limits.max_depth).is_err() {
        return Err(ApiError::TooDeep(limits.max_depth));
    }
    let root = json::parse_document(body).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    let mut w = Walker { src: body, limits: *limits, texts: Vec::new() };
    let stream = w.root(root)?;
    Ok(MessagesRequest { stream, texts: w.texts })
}

/// Sanitises every text and returns the body to forward. A `tool_use` input that cannot
/// be rewritten as JSON fails the request: nothing is forwarded.
pub fn sanitize(scope: &mut RequestScope, src: &str, texts: &[Text<'_>], max_depth: usize) -> Result<String, ApiError> {
    let mut edits = Edits::default();
    for t in texts {
        if t.object {
            let mut f = |inner: &str, s: &str| -> Result<Option<String>, ()> {
                Ok(scope.sanitize(pipeline::location(&format!("{}#{inner}", t.pointer), "messages"), s))
            };
            match json::map_strings(&t.value, max_depth, &mut f) {
                Ok(Ok(Some(new))) => edits.raw(t.range.clone(), new),
                Ok(Ok(None)) => {}
                _ => return Err(ApiError::Sanitization),
            }
        } else if let Some(new) =
            pipeline::sanitize_text(scope, &t.pointer, &t.value, TextKind::Plain, "messages", max_depth)
        {
            edits.string(t.range.clone(), &new);
        }
    }
    Ok(edits.apply(src))
}

struct Walker<'a> {
    src: &'a str,
    limits: Limits,
    texts: Vec<Text<'a>>,
}

/// Anthropic's rule for tool names: `^[a-zA-Z0-9_-]{1,128}$`.
fn valid_tool_name(s: &str) -> bool {
    (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl<'a> Walker<'a> {
    fn text(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let value = path::string(raw, path)?;
        let range = json::span_in(self.src, raw).ok_or(ApiError::Internal)?;
        self.texts.push(Text { pointer: path.pointer(), range, value, object: false });
        Ok(())
    }

    fn opt_text(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        if matches!(path::node(raw, path)?, Node::Null) { Ok(()) } else { self.text(raw, path) }
    }

    /// Every string value under `raw` except those of the keys in `skip`.
    fn strings(&mut self, raw: &'a RawValue, path: &Path<'_>, skip: &[&str]) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::String(_) => self.text(raw, path),
            Node::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.strings(item, &path.index(i), skip)?;
                }
                Ok(())
            }
            Node::Object(fields) => {
                for (k, v) in &fields {
                    if !skip.contains(&k.as_ref()) {
                        self.strings(v, &path.key(k), skip)?;
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn integer(&self, raw: &'a RawValue, path: &Path<'_>, min: i64) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::Number(s) => match s.parse::<i64>() {
                Ok(v) if v >= min => Ok(()),
                Ok(_) => Err(invalid(path, format!("must be at least {min}"))),
                Err(_) => Err(wrong_type(path, "an integer")),
            },
            _ => Err(wrong_type(path, "an integer")),
        }
    }

    fn tool_name(&self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        if valid_tool_name(&path::string(raw, path)?) {
            Ok(())
        } else {
            Err(invalid(path, "tool names are 1 to 128 characters from a-z, A-Z, 0-9, '_' and '-'"))
        }
    }

    /// Returns `stream`.
    fn root(&mut self, root: &'a RawValue) -> Result<bool, ApiError> {
        let top = Path::ROOT;
        let fields = match path::node(root, &top)? {
            Node::Object(f) => f,
            _ => return Err(ApiError::InvalidType { param: "body".into(), expected: "a JSON object" }),
        };
        let model = path::required(&fields, "model", &top)?;
        if path::string(model, &top.key("model"))?.is_empty() {
            return Err(invalid(&top.key("model"), "must not be empty"));
        }
        self.integer(path::required(&fields, "max_tokens", &top)?, &top.key("max_tokens"), 1)?;
        let mpath = top.key("messages");
        let list = match path::node(path::required(&fields, "messages", &top)?, &mpath)? {
            Node::Array(a) => a,
            _ => return Err(wrong_type(&mpath, "an array")),
        };
        if list.is_empty() {
            return Err(invalid(&mpath, "must contain at least one message"));
        }
        for (i, m) in list.into_iter().enumerate() {
            self.message(m, &mpath.index(i))?;
        }
        let mut stream = false;
        for (k, v) in &fields {
            let p = top.key(k);
            match k.as_ref() {
                "model" | "max_tokens" | "messages" => {}
                "stream" => match path::node(v, &p)? {
                    Node::Bool(b) => stream = b,
                    Node::Null => {}
                    _ => return Err(wrong_type(&p, "a boolean")),
                },
                "system" => match path::node(v, &p)? {
                    Node::String(_) => self.text(v, &p)?,
                    Node::Array(blocks) => {
                        for (i, b) in blocks.into_iter().enumerate() {
                            self.block(b, &p.index(i), &["text"])?;
                        }
                    }
                    Node::Null => {}
                    _ => return Err(wrong_type(&p, "a string or an array of text blocks")),
                },
                "temperature" | "top_p" => path::opt_number(v, &p, 0.0, 1.0)?,
                "top_k" => path::opt_number(v, &p, 0.0, f64::MAX)?,
                "stop_sequences" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::Array(items) => {
                        for (i, s) in items.into_iter().enumerate() {
                            self.text(s, &p.index(i))?;
                        }
                    }
                    _ => return Err(wrong_type(&p, "an array of strings")),
                },
                "metadata" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::Object(_) => self.strings(v, &p, &[])?,
                    _ => return Err(wrong_type(&p, "an object")),
                },
                "tools" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::Array(items) => {
                        for (i, t) in items.into_iter().enumerate() {
                            self.tool(t, &p.index(i))?;
                        }
                    }
                    _ => return Err(wrong_type(&p, "an array")),
                },
                "tool_choice" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::Object(f) => {
                        let ty = path::string(path::required(&f, "type", &p)?, &p.key("type"))?;
                        match ty.as_ref() {
                            "auto" | "any" | "none" => {}
                            "tool" => self.tool_name(path::required(&f, "name", &p)?, &p.key("name"))?,
                            _ => {
                                return Err(invalid(&p.key("type"), "must be \"auto\", \"any\", \"tool\" or \"none\""));
                            }
                        }
                    }
                    _ => return Err(wrong_type(&p, "an object")),
                },
                // Fields this gateway does not know pass through untouched.
                _ => {}
            }
        }
        Ok(stream)
    }

    fn message(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        let role = path::string(path::required(&fields, "role", path)?, &path.key("role"))?;
        if role != "user" && role != "assistant" {
            return Err(invalid(
                &path.key("role"),
                format!("unknown role {:?}; expected user or assistant", role.chars().take(32).collect::<String>()),
            ));
        }
        let cp = path.key("content");
        let content = path::required(&fields, "content", path)?;
        match path::node(content, &cp)? {
            Node::String(_) => self.text(content, &cp)?,
            Node::Array(blocks) => {
                const BLOCKS: &[&str] =
                    &["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"];
                for (i, b) in blocks.into_iter().enumerate() {
                    self.block(b, &cp.index(i), BLOCKS)?;
                }
            }
            _ => return Err(wrong_type(&cp, "a string or an array of content blocks")),
        }
        Ok(())
    }

    /// A content block of one of the `allowed` types.
    fn block(&mut self, raw: &'a RawValue, path: &Path<'_>, allowed: &[&str]) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        let tp = path.key("type");
        let ty = path::string(path::required(&fields, "type", path)?, &tp)?;
        if !allowed.contains(&ty.as_ref()) {
            let known = ["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"];
            if known.contains(&ty.as_ref()) {
                return Err(invalid(&tp, format!("a {ty} block is not allowed here")));
            }
            return Err(ApiError::UnsupportedContent {
                param: tp.param(),
                what: format!("a content block of unknown type {:?}", ty.chars().take(32).collect::<String>()),
            });
        }
        match ty.as_ref() {
            "text" => {
                self.text(path::required(&fields, "text", path)?, &path.key("text"))?;
                if let Some(c) = get(&fields, "citations") {
                    self.strings(c, &path.key("citations"), &["type"])?;
                }
            }
            "image" => self.media(path, "an image")?,
            "document" => {
                let sp = path.key("source");
                let source = path::object(path::required(&fields, "source", path)?, &sp)?;
                let st = path::string(path::required(&source, "type", &sp)?, &sp.key("type"))?;
                match st.as_ref() {
                    "text" => self.text(path::required(&source, "data", &sp)?, &sp.key("data"))?,
                    "content" => {
                        let cp = sp.key("content");
                        let c = path::required(&source, "content", &sp)?;
                        match path::node(c, &cp)? {
                            Node::String(_) => self.text(c, &cp)?,
                            Node::Array(blocks) => {
                                for (i, b) in blocks.into_iter().enumerate() {
                                    self.block(b, &cp.index(i), &["text", "image"])?;
                                }
                            }
                            _ => return Err(wrong_type(&cp, "a string or an array of content blocks")),
                        }
                    }
                    _ => self.media(path, "a document")?,
                }
                for k in ["title", "context"] {
                    if let Some(v) = get(&fields, k) {
                        self.opt_text(v, &path.key(k))?;
                    }
                }
            }
            "tool_use" => {
                path::string(path::required(&fields, "id", path)?, &path.key("id"))?;
                self.tool_name(path::required(&fields, "name", path)?, &path.key("name"))?;
                let ip = path.key("input");
                let input = path::required(&fields, "input", path)?;
                path::object(input, &ip)?;
                let range = json::span_in(self.src, input).ok_or(ApiError::Internal)?;
                let value = Cow::Borrowed(input.get());
                self.texts.push(Text { pointer: ip.pointer(), range, value, object: true });
            }
            "tool_result" => {
                path::string(path::required(&fields, "tool_use_id", path)?, &path.key("tool_use_id"))?;
                if let Some(c) = get(&fields, "content") {
                    let cp = path.key("content");
                    match path::node(c, &cp)? {
                        Node::String(_) => self.text(c, &cp)?,
                        Node::Array(blocks) => {
                            for (i, b) in blocks.into_iter().enumerate() {
                                self.block(b, &cp.index(i), &["text", "image", "document"])?;
                            }
                        }
                        Node::Null => {}
                        _ => return Err(wrong_type(&cp, "a string or an array of content blocks")),
                    }
                }
            }
            "thinking" => self.text(path::required(&fields, "thinking", path)?, &path.key("thinking"))?,
            // Encrypted by the provider: no text the gateway could read.
            "redacted_thinking" => {
                path::string(path::required(&fields, "data", path)?, &path.key("data"))?;
            }
            _ => return Err(ApiError::Internal),
        }
        Ok(())
    }

    fn media(&self, path: &Path<'_>, what: &str) -> Result<(), ApiError> {
        if self.limits.allow_media {
            Ok(())
        } else {
            Err(ApiError::UnsupportedContent { param: path.param(), what: what.to_string() })
        }
    }

    fn tool(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        self.tool_name(path::required(&fields, "name", path)?, &path.key("name"))?;
        let custom = match get(&fields, "type") {
            None => true,
            Some(t) => {
                matches!(path::node(t, &path.key("type"))?, Node::Null)
                    || path::string(t, &path.key("type"))? == "custom"
            }
        };
        if custom {
            path::object(path::required(&fields, "input_schema", path)?, &path.key("input_schema"))?;
        }
        for (k, v) in &fields {
            let p = path.key(k);
            match k.as_ref() {
                "description" => self.opt_text(v, &p)?,
                "input_schema" => self.schema(v, &p)?,
                // A server tool's location of the user (web search).
                "user_location" => self.strings(v, &p, &["type"])?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A JSON Schema: descriptions, titles, enums, examples, defaults and constants are
    /// sanitised; property names and the schema's structure stay (as for OpenAI tools).
    fn schema(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::Object(fields) => {
                for (k, v) in &fields {
                    let p = path.key(k);
                    match (k.as_ref(), path::node(v, &p)?) {
                        ("description" | "title" | "default" | "const" | "example", Node::String(_)) => {
                            self.text(v, &p)?
                        }
                        ("enum" | "examples", Node::Array(items)) => {
                            for (i, item) in items.into_iter().enumerate() {
                                self.strings(item, &p.index(i), &[])?;
                            }
                        }
                        ("default" | "const" | "example", _) => self.strings(v, &p, &[])?,
                        (_, Node::Object(_) | Node::Array(_)) => self.schema(v, &p)?,
                        _ => {}
                    }
                }
                Ok(())
            }
            Node::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.schema(item, &path.index(i))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use lucairn_core::Engine;

    use super::*;
    use crate::pipeline::Pipeline;
    use crate::secrets::Secrets;

    const LIMITS: Limits = Limits { max_depth: 64, allow_media: false };

    #[test]
    fn every_text_is_listed() {
        let body = r#"{"model": "claude", "max_tokens": 100, "stream": true,
            "system": [{"type": "text", "text": "sys", "cache_control": {"type": "ephemeral"}}],
            "messages": [
              {"role": "user", "content": "hello"},
              {"role": "assistant", "content": [{"type": "text", "text": "a"},
                 {"type": "tool_use", "id": "t1", "name": "send", "input": {"to": "x"}}]},
              {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "r"}]},
                 {"type": "tool_result", "tool_use_id": "t1", "content": "r2"},
                 {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "d"}, "title": "t"}]}],
            "tools": [{"name": "send", "description": "desc", "input_schema": {"type": "object",
                 "properties": {"to": {"type": "string", "description": "p", "enum": ["e"]}}}}],
            "stop_sequences": ["s"], "metadata": {"user_id": "u"}, "unknown": "passes"}"#;
        let r = parse(body, &LIMITS).expect("valid");
        assert!(r.stream);
        let ptrs: Vec<(&str, bool)> = r.texts.iter().map(|t| (t.pointer.as_str(), t.object)).collect();
        assert_eq!(
            ptrs,
            [
                ("/messages/0/content", false),
                ("/messages/1/content/0/text", false),
                ("/messages/1/content/1/input", true),
                ("/messages/2/content/0/content/0/text", false),
                ("/messages/2/content/1/content", false),
                ("/messages/2/content/2/source/data", false),
                ("/messages/2/content/2/title", false),
                ("/system/0/text", false),
                ("/tools/0/description", false),
                ("/tools/0/input_schema/properties/to/description", false),
                ("/tools/0/input_schema/properties/to/enum/0", false),
                ("/stop_sequences/0", false),
                ("/metadata/user_id", false),
            ]
        );
        assert_eq!(r.texts[2].value, r#"{"to": "x"}"#);
    }

    #[test]
    fn bad_requests_are_refused() {
        let base = |extra: &str| format!(r#"{{"model": "c", "max_tokens": 5, {extra}}}"#);
        for (body, code) in [
            (
                r#"{"model": "c", "messages": [{"role": "user", "content": "x"}]}"#.to_string(),
                "missing_required_parameter",
            ),
            (base(r#""messages": []"#), "invalid_value"),
            (base(r#""messages": [{"role": "system", "content": "x"}]"#), "invalid_value"),
            (base(r#""messages": [{"role": "user", "content": 5}]"#), "invalid_type"),
            (
                base(r#""messages": [{"role": "user", "content": [{"type": "image", "source": {}}]}]"#),
                "unsupported_content",
            ),
            (base(r#""messages": [{"role": "user", "content": [{"type": "server_thing"}]}]"#), "unsupported_content"),
            (
                base(
                    r#""messages": [{"role": "user", "content": [{"type": "tool_use", "id": "a", "name": "n", "input": "x"}]}]"#,
                ),
                "invalid_type",
            ),
            (base(r#""messages": [{"role": "user", "content": "x"}], "system": [{"type": "image"}]"#), "invalid_value"),
            (
                base(
                    r#""messages": [{"role": "user", "content": "x"}], "tools": [{"name": "bad name", "input_schema": {}}]"#,
                ),
                "invalid_value",
            ),
            (base(r#""messages": [{"role": "user", "content": "x"}], "temperature": 3"#), "invalid_value"),
        ] {
            assert_eq!(parse(&body, &LIMITS).map(|_| ()).map_err(|e| e.code()), Err(code), "{body}");
        }
    }

    #[test]
    fn tool_inputs_stay_json_with_keys_sanitised() {
        let p = Pipeline::new(Engine::default(), Secrets::from_master(&[1; 32]));
        let mut scope = p.request("acme");
        let body = r#"{"model": "c", "max_tokens": 5, "messages": [{"role": "assistant", "content": [
            {"type": "tool_use", "id": "t", "name": "send", "input": {"to": "ana@example.org", "cc": ["bo@example.net"], "n": 1}}]}]}"#;
        let r = parse(body, &LIMITS).expect("valid");
        let out = sanitize(&mut scope, body, &r.texts, 64).expect("sanitised");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        let input = &v["messages"][0]["content"][0]["input"];
        assert!(input["to"].as_str().is_some_and(|s| s.starts_with("[EMAIL_ADDRESS_")), "{input}");
        assert!(input["cc"][0].as_str().is_some_and(|s| s.starts_with("[EMAIL_ADDRESS_")), "{input}");
        assert_eq!(input["n"], 1);
        let fields: Vec<String> = scope.findings().iter().map(|f| f.location.field.clone()).collect();
        assert_eq!(fields, ["content/0/input#/to", "content/0/input#/cc/0"]);
    }
}
