//! `POST /v1/chat/completions` requests: validation against the Chat Completions schema,
//! and the list of every text the provider would see.
//!
//! Validation is strict where a wrong value could let text past the sanitiser (roles,
//! content parts, tool definitions, names) and follows OpenAI's documented ranges for the
//! usual parameters. Fields this module does not know pass through untouched.

use std::borrow::Cow;
use std::ops::Range;

use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::json::{self, Fields, Node};
use crate::openai::path::{self, Path, get, invalid, wrong_type};

/// How a text is sanitised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Plain text.
    Plain,
    /// A JSON document inside a string (tool-call arguments): its string values are
    /// sanitised and it stays valid JSON. Text that is not JSON is sanitised as plain text.
    Json,
}

/// One string of the request that must be sanitised.
#[derive(Debug)]
pub struct TextField<'a> {
    /// JSON Pointer of the string in the request.
    pub pointer: String,
    /// Byte range of the string literal (with its quotes) in the body.
    pub range: Range<usize>,
    /// The decoded string.
    pub value: Cow<'a, str>,
    pub kind: TextKind,
}

/// A validated chat completions request.
#[derive(Debug)]
pub struct ChatRequest<'a> {
    /// `stream: true`.
    pub stream: bool,
    /// Every text to sanitise, in document order.
    pub texts: Vec<TextField<'a>>,
}

/// What the validator allows.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    /// Image, audio and file parts pass unsanitised.
    pub allow_media: bool,
}

/// Validates `body` and lists its texts.
pub fn parse<'a>(body: &'a str, limits: &Limits) -> Result<ChatRequest<'a>, ApiError> {
    if json::check_depth(body.as_bytes(), limits.max_depth).is_err() {
        return Err(ApiError::TooDeep(limits.max_depth));
    }
    let root = json::parse_document(body).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    let mut w = Walker { src: body, limits: *limits, texts: Vec::new() };
    let stream = w.root(root)?;
    Ok(ChatRequest { stream, texts: w.texts })
}

struct Walker<'a> {
    src: &'a str,
    limits: Limits,
    texts: Vec<TextField<'a>>,
}

/// `^[a-zA-Z0-9_-]{1,64}$`, OpenAI's rule for function names.
fn valid_function_name(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl<'a> Walker<'a> {
    /// An object or `null` (`None`).
    fn opt_object(&self, raw: &'a RawValue, path: &Path<'_>) -> Result<Option<Fields<'a>>, ApiError> {
        match path::node(raw, path)? {
            Node::Object(f) => Ok(Some(f)),
            Node::Null => Ok(None),
            _ => Err(wrong_type(path, "an object")),
        }
    }

    fn array(&self, raw: &'a RawValue, path: &Path<'_>) -> Result<Vec<&'a RawValue>, ApiError> {
        match path::node(raw, path)? {
            Node::Array(a) => Ok(a),
            _ => Err(wrong_type(path, "an array")),
        }
    }

    /// Records a string to sanitise.
    fn text(&mut self, raw: &'a RawValue, path: &Path<'_>, kind: TextKind) -> Result<(), ApiError> {
        let value = path::string(raw, path)?;
        let range = json::span_in(self.src, raw).ok_or(ApiError::Internal)?;
        self.texts.push(TextField { pointer: path.pointer(), range, value, kind });
        Ok(())
    }

    /// A string to sanitise, or `null`.
    fn opt_text(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        if matches!(path::node(raw, path)?, Node::Null) { Ok(()) } else { self.text(raw, path, TextKind::Plain) }
    }

    /// Every string under `raw`, at any depth (values, not keys).
    fn all_strings(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::String(_) => self.text(raw, path, TextKind::Plain),
            Node::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.all_strings(item, &path.index(i))?;
                }
                Ok(())
            }
            Node::Object(fields) => {
                for (k, v) in &fields {
                    self.all_strings(v, &path.key(k))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn opt_bool(&self, raw: &'a RawValue, path: &Path<'_>) -> Result<Option<bool>, ApiError> {
        match path::node(raw, path)? {
            Node::Bool(b) => Ok(Some(b)),
            Node::Null => Ok(None),
            _ => Err(wrong_type(path, "a boolean")),
        }
    }

    fn opt_integer(&self, raw: &'a RawValue, path: &Path<'_>, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match path::node(raw, path)? {
            Node::Null => Ok(None),
            Node::Number(s) => {
                let v: i64 = s.parse().map_err(|_| wrong_type(path, "an integer"))?;
                if (min..=max).contains(&v) {
                    Ok(Some(v))
                } else {
                    Err(invalid(path, format!("must be between {min} and {max}")))
                }
            }
            _ => Err(wrong_type(path, "an integer")),
        }
    }

    fn function_name(&self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let name = path::string(raw, path)?;
        if valid_function_name(&name) {
            Ok(())
        } else {
            Err(invalid(path, "function names are 1 to 64 characters from a-z, A-Z, 0-9, '_' and '-'"))
        }
    }

    /// Returns `stream`.
    fn root(&mut self, root: &'a RawValue) -> Result<bool, ApiError> {
        let top = Path::ROOT;
        let fields = match path::node(root, &top)? {
            Node::Object(f) => f,
            other => {
                return Err(ApiError::InvalidType {
                    param: "body".to_string(),
                    expected: if other.type_name() == "object" { "an object" } else { "a JSON object" },
                });
            }
        };
        let model = path::required(&fields, "model", &top)?;
        if path::string(model, &top.key("model"))?.is_empty() {
            return Err(invalid(&top.key("model"), "must not be empty"));
        }
        let messages = path::required(&fields, "messages", &top)?;
        let mpath = top.key("messages");
        let list = self.array(messages, &mpath)?;
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
                "model" | "messages" => {}
                "stream" => stream = self.opt_bool(v, &p)?.unwrap_or(false),
                "stream_options" | "audio" | "logit_bias" => {
                    self.opt_object(v, &p)?;
                }
                "n" => {
                    self.opt_integer(v, &p, 1, 128)?;
                }
                "temperature" => path::opt_number(v, &p, 0.0, 2.0)?,
                "top_p" => path::opt_number(v, &p, 0.0, 1.0)?,
                "presence_penalty" | "frequency_penalty" => path::opt_number(v, &p, -2.0, 2.0)?,
                "max_tokens" | "max_completion_tokens" => {
                    self.opt_integer(v, &p, 1, i64::MAX)?;
                }
                "seed" => {
                    self.opt_integer(v, &p, i64::MIN, i64::MAX)?;
                }
                "logprobs" | "top_logprobs" => {
                    let on = if k == "logprobs" {
                        self.opt_bool(v, &p)? == Some(true)
                    } else {
                        self.opt_integer(v, &p, 0, 20)?.unwrap_or(0) > 0
                    };
                    if on {
                        return Err(ApiError::UnsupportedContent {
                            param: p.param(),
                            what: "token log probabilities (they would carry unscanned answer text)".into(),
                        });
                    }
                }
                "parallel_tool_calls" | "store" => {
                    self.opt_bool(v, &p)?;
                }
                "stop" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::String(_) => self.text(v, &p, TextKind::Plain)?,
                    Node::Array(items) => {
                        if items.len() > 4 {
                            return Err(invalid(&p, "at most 4 stop sequences"));
                        }
                        for (i, s) in items.into_iter().enumerate() {
                            self.text(s, &p.index(i), TextKind::Plain)?;
                        }
                    }
                    _ => return Err(wrong_type(&p, "a string or an array of strings")),
                },
                "user" | "safety_identifier" | "prompt_cache_key" => self.opt_text(v, &p)?,
                "metadata" => {
                    if let Some(meta) = self.opt_object(v, &p)? {
                        for (mk, mv) in &meta {
                            self.text(mv, &p.key(mk), TextKind::Plain)?;
                        }
                    }
                }
                "modalities" => {
                    if let Node::Array(items) = path::node(v, &p)? {
                        for (i, item) in items.into_iter().enumerate() {
                            let ip = p.index(i);
                            match path::string(item, &ip)?.as_ref() {
                                "text" => {}
                                "audio" if self.limits.allow_media => {}
                                "audio" => {
                                    return Err(ApiError::UnsupportedContent {
                                        param: ip.param(),
                                        what: "an audio answer".into(),
                                    });
                                }
                                other => return Err(invalid(&ip, format!("unknown modality {other:?}"))),
                            }
                        }
                    } else if !matches!(path::node(v, &p)?, Node::Null) {
                        return Err(wrong_type(&p, "an array"));
                    }
                }
                "tools" => {
                    if let Node::Array(items) = path::node(v, &p)? {
                        for (i, t) in items.into_iter().enumerate() {
                            self.tool(t, &p.index(i))?;
                        }
                    } else if !matches!(path::node(v, &p)?, Node::Null) {
                        return Err(wrong_type(&p, "an array"));
                    }
                }
                "functions" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::Array(items) => {
                        for (i, f) in items.into_iter().enumerate() {
                            self.function_definition(f, &p.index(i))?;
                        }
                    }
                    _ => return Err(wrong_type(&p, "an array")),
                },
                "tool_choice" => self.tool_choice(v, &p)?,
                "function_call" => match path::node(v, &p)? {
                    Node::Null => {}
                    Node::String(s) if s == "none" || s == "auto" => {}
                    Node::String(_) => return Err(invalid(&p, "must be \"none\", \"auto\" or an object")),
                    Node::Object(f) => self.function_name(path::required(&f, "name", &p)?, &p.key("name"))?,
                    _ => return Err(wrong_type(&p, "a string or an object")),
                },
                "response_format" => self.response_format(v, &p)?,
                "prediction" => {
                    if let Some(pred) = self.opt_object(v, &p)? {
                        if let Some(c) = get(&pred, "content") {
                            self.content(c, &p.key("content"), &["text"])?;
                        }
                    }
                }
                "web_search_options" => {
                    if let Some(ws) = self.opt_object(v, &p)? {
                        if let Some(loc) = get(&ws, "user_location") {
                            self.all_strings(loc, &p.key("user_location"))?;
                        }
                    }
                }
                // Fields this gateway does not know pass through untouched.
                _ => {}
            }
        }
        Ok(stream)
    }

    fn message(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        let role = path::string(path::required(&fields, "role", path)?, &path.key("role"))?;
        let has = |k: &str| get(&fields, k).is_some();
        // Which content parts each role may send.
        let parts: &[&str] = match role.as_ref() {
            "system" | "developer" | "tool" => &["text"],
            "user" => &["text", "image_url", "input_audio", "file"],
            "assistant" => &["text", "refusal"],
            "function" => &["text"],
            other => {
                return Err(invalid(
                    &path.key("role"),
                    format!(
                        "unknown role {:?}; expected system, developer, user, assistant or tool",
                        other.chars().take(32).collect::<String>()
                    ),
                ));
            }
        };
        match role.as_ref() {
            "assistant" => {
                if !has("content") && !has("tool_calls") && !has("function_call") && !has("audio") {
                    return Err(ApiError::Missing(path.key("content").param()));
                }
            }
            "tool" => {
                path::string(path::required(&fields, "tool_call_id", path)?, &path.key("tool_call_id"))?;
                path::required(&fields, "content", path)?;
            }
            "function" => {
                path::required(&fields, "name", path)?;
                path::required(&fields, "content", path)?;
            }
            _ => {
                path::required(&fields, "content", path)?;
            }
        }
        for (k, v) in &fields {
            let p = path.key(k);
            match k.as_ref() {
                "role" | "tool_call_id" => {}
                "content" => {
                    let nullable = role == "assistant" || role == "function";
                    if nullable && matches!(path::node(v, &p)?, Node::Null) {
                        continue;
                    }
                    self.content(v, &p, parts)?;
                }
                "name" => self.opt_text(v, &p)?,
                "refusal" if role == "assistant" => self.opt_text(v, &p)?,
                "tool_calls" if role == "assistant" => {
                    if let Node::Array(calls) = path::node(v, &p)? {
                        for (i, c) in calls.into_iter().enumerate() {
                            self.tool_call(c, &p.index(i))?;
                        }
                    } else if !matches!(path::node(v, &p)?, Node::Null) {
                        return Err(wrong_type(&p, "an array"));
                    }
                }
                "function_call" if role == "assistant" => {
                    if let Some(fc) = self.opt_object(v, &p)? {
                        self.function_name(path::required(&fc, "name", &p)?, &p.key("name"))?;
                        self.text(path::required(&fc, "arguments", &p)?, &p.key("arguments"), TextKind::Json)?;
                    }
                }
                "audio" if role == "assistant" => {
                    // A reference to an earlier audio answer by id: no text.
                    self.opt_object(v, &p)?;
                }
                // Unknown message fields pass through untouched.
                _ => {}
            }
        }
        Ok(())
    }

    /// Message content: a string or an array of parts of the allowed types.
    fn content(&mut self, raw: &'a RawValue, path: &Path<'_>, allowed: &[&str]) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::String(_) => self.text(raw, path, TextKind::Plain),
            Node::Array(parts) => {
                for (i, part) in parts.into_iter().enumerate() {
                    self.part(part, &path.index(i), allowed)?;
                }
                Ok(())
            }
            _ => Err(wrong_type(path, "a string or an array of content parts")),
        }
    }

    fn part(&mut self, raw: &'a RawValue, path: &Path<'_>, allowed: &[&str]) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        let ty = path::string(path::required(&fields, "type", path)?, &path.key("type"))?;
        let media = match ty.as_ref() {
            "image_url" => Some("an image"),
            "input_audio" => Some("audio"),
            "file" => Some("a file"),
            _ => None,
        };
        if !allowed.contains(&ty.as_ref()) {
            if media.is_some() || ty == "text" || ty == "refusal" {
                return Err(invalid(&path.key("type"), format!("a {ty} part is not allowed in this message")));
            }
            return Err(ApiError::UnsupportedContent {
                param: path.key("type").param(),
                what: format!("a content part of unknown type {:?}", ty.chars().take(32).collect::<String>()),
            });
        }
        match ty.as_ref() {
            "text" => self.text(path::required(&fields, "text", path)?, &path.key("text"), TextKind::Plain),
            "refusal" => self.text(path::required(&fields, "refusal", path)?, &path.key("refusal"), TextKind::Plain),
            _ => match media {
                Some(_) if self.limits.allow_media => Ok(()),
                Some(what) => Err(ApiError::UnsupportedContent { param: path.param(), what: what.to_string() }),
                None => Err(ApiError::Internal),
            },
        }
    }

    fn tool_call(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        path::string(path::required(&fields, "id", path)?, &path.key("id"))?;
        let ty = match get(&fields, "type") {
            Some(t) => path::string(t, &path.key("type"))?,
            None => Cow::Borrowed("function"),
        };
        match ty.as_ref() {
            "function" => {
                let fp = path.key("function");
                let f = path::object(path::required(&fields, "function", path)?, &fp)?;
                self.function_name(path::required(&f, "name", &fp)?, &fp.key("name"))?;
                self.text(path::required(&f, "arguments", &fp)?, &fp.key("arguments"), TextKind::Json)
            }
            "custom" => {
                let cp = path.key("custom");
                let c = path::object(path::required(&fields, "custom", path)?, &cp)?;
                self.function_name(path::required(&c, "name", &cp)?, &cp.key("name"))?;
                self.text(path::required(&c, "input", &cp)?, &cp.key("input"), TextKind::Plain)
            }
            _ => Err(invalid(&path.key("type"), "must be \"function\" or \"custom\"")),
        }
    }

    fn tool(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let fields = path::object(raw, path)?;
        let ty = path::string(path::required(&fields, "type", path)?, &path.key("type"))?;
        match ty.as_ref() {
            "function" => self.function_definition(path::required(&fields, "function", path)?, &path.key("function")),
            "custom" => {
                let cp = path.key("custom");
                let c = path::object(path::required(&fields, "custom", path)?, &cp)?;
                self.function_name(path::required(&c, "name", &cp)?, &cp.key("name"))?;
                if let Some(d) = get(&c, "description") {
                    self.opt_text(d, &cp.key("description"))?;
                }
                if let Some(fmt) = get(&c, "format") {
                    // A grammar or "text": definitions may quote examples, so sanitise strings.
                    self.schema(fmt, &cp.key("format"))?;
                }
                Ok(())
            }
            _ => Err(invalid(&path.key("type"), "must be \"function\" or \"custom\"")),
        }
    }

    fn function_definition(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let f = path::object(raw, path)?;
        self.function_name(path::required(&f, "name", path)?, &path.key("name"))?;
        for (k, v) in &f {
            let p = path.key(k);
            match k.as_ref() {
                "description" => self.opt_text(v, &p)?,
                "parameters" => {
                    path::object(v, &p)?;
                    self.schema(v, &p)?;
                }
                "strict" => {
                    self.opt_bool(v, &p)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A JSON Schema: descriptions, titles, enums, examples, defaults and constants are
    /// sanitised; property names and the schema's structure stay.
    fn schema(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::Object(fields) => {
                for (k, v) in &fields {
                    let p = path.key(k);
                    match (k.as_ref(), path::node(v, &p)?) {
                        ("description" | "title" | "default" | "const" | "example" | "definition", Node::String(_)) => {
                            self.text(v, &p, TextKind::Plain)?
                        }
                        ("enum" | "examples", Node::Array(items)) => {
                            for (i, item) in items.into_iter().enumerate() {
                                self.all_strings(item, &p.index(i))?;
                            }
                        }
                        ("default" | "const" | "example", _) => self.all_strings(v, &p)?,
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

    fn tool_choice(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        match path::node(raw, path)? {
            Node::Null => Ok(()),
            Node::String(s) if matches!(s.as_ref(), "none" | "auto" | "required") => Ok(()),
            Node::String(_) => Err(invalid(path, "must be \"none\", \"auto\", \"required\" or an object")),
            Node::Object(f) => {
                let ty = path::string(path::required(&f, "type", path)?, &path.key("type"))?;
                if ty == "function" {
                    let fp = path.key("function");
                    let func = path::object(path::required(&f, "function", path)?, &fp)?;
                    self.function_name(path::required(&func, "name", &fp)?, &fp.key("name"))?;
                }
                Ok(())
            }
            _ => Err(wrong_type(path, "a string or an object")),
        }
    }

    fn response_format(&mut self, raw: &'a RawValue, path: &Path<'_>) -> Result<(), ApiError> {
        let Some(f) = self.opt_object(raw, path)? else { return Ok(()) };
        let ty = path::string(path::required(&f, "type", path)?, &path.key("type"))?;
        match ty.as_ref() {
            "text" | "json_object" => Ok(()),
            "json_schema" => {
                let sp = path.key("json_schema");
                let s = path::object(path::required(&f, "json_schema", path)?, &sp)?;
                path::string(path::required(&s, "name", &sp)?, &sp.key("name"))?;
                for (k, v) in &s {
                    let p = sp.key(k);
                    match k.as_ref() {
                        "description" => self.opt_text(v, &p)?,
                        "schema" => self.schema(v, &p)?,
                        "strict" => {
                            self.opt_bool(v, &p)?;
                        }
                        _ => {}
                    }
                }
                Ok(())
            }
            _ => Err(invalid(&path.key("type"), "must be \"text\", \"json_object\" or \"json_schema\"")),
        }
    }
}
