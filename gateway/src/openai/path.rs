//! Where a value is in a request: a chain of segments kept on the stack; and typed reads
//! of a request's JSON whose errors name the parameter at that path.

use std::borrow::Cow;
use std::fmt::Write;

use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::json::{self, Fields, Node, push_pointer_segment};

/// One step into a JSON document.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path from the document root; each level borrows its parent.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Option<Seg<'a>>,
}

impl<'a> Path<'a> {
    /// The root.
    pub const ROOT: Path<'static> = Path { parent: None, seg: None };

    /// The path of a field of this object.
    pub fn key(&'a self, k: &'a str) -> Path<'a> {
        Path { parent: Some(self), seg: Some(Seg::Key(k)) }
    }

    /// The path of an item of this array.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path { parent: Some(self), seg: Some(Seg::Index(i)) }
    }

    fn segments(&self) -> Vec<Seg<'a>> {
        let mut v = Vec::new();
        let mut p = Some(self);
        while let Some(at) = p {
            if let Some(s) = at.seg {
                v.push(s);
            }
            p = at.parent;
        }
        v.reverse();
        v
    }

    /// As a JSON Pointer (RFC 6901): `/messages/0/content`.
    pub fn pointer(&self) -> String {
        let mut s = String::new();
        for seg in self.segments() {
            match seg {
                Seg::Key(k) => push_pointer_segment(&mut s, k),
                Seg::Index(i) => {
                    let _ = write!(s, "/{i}");
                }
            }
        }
        s
    }

    /// As OpenAI names parameters in errors: `messages[0].content`.
    pub fn param(&self) -> String {
        let mut s = String::new();
        for seg in self.segments() {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(i) => {
                    let _ = write!(s, "[{i}]");
                }
            }
        }
        s
    }
}

/// The value of `key` among an object's members.
pub fn get<'a>(fields: &Fields<'a>, key: &str) -> Option<&'a RawValue> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// `param` (the value at `path`) is not valid: `message` says why.
pub fn invalid(path: &Path<'_>, message: impl Into<String>) -> ApiError {
    ApiError::InvalidValue { param: path.param(), message: message.into() }
}

/// The value at `path` is not of the `expected` type.
pub fn wrong_type(path: &Path<'_>, expected: &'static str) -> ApiError {
    ApiError::InvalidType { param: path.param(), expected }
}

/// The value `raw` at `path`, read one level deep; an object with a key twice is refused.
pub fn node<'a>(raw: &'a RawValue, path: &Path<'_>) -> Result<Node<'a>, ApiError> {
    let n = json::node(raw).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    if let Node::Object(fields) = &n {
        if let Some(k) = json::duplicate_key(fields) {
            return Err(ApiError::DuplicateKey { param: path.param(), key: k.to_string() });
        }
    }
    Ok(n)
}

/// The object at `path`, or an error naming it.
pub fn object<'a>(raw: &'a RawValue, path: &Path<'_>) -> Result<Fields<'a>, ApiError> {
    match node(raw, path)? {
        Node::Object(f) => Ok(f),
        _ => Err(wrong_type(path, "an object")),
    }
}

/// The string at `path`, or an error naming it.
pub fn string<'a>(raw: &'a RawValue, path: &Path<'_>) -> Result<Cow<'a, str>, ApiError> {
    match node(raw, path)? {
        Node::String(s) => Ok(s),
        _ => Err(wrong_type(path, "a string")),
    }
}

/// The member `key` of the object at `path`, or an error naming it as missing.
pub fn required<'a>(fields: &Fields<'a>, key: &'static str, path: &Path<'_>) -> Result<&'a RawValue, ApiError> {
    get(fields, key).ok_or_else(|| ApiError::Missing(path.key(key).param()))
}

/// A number between `min` and `max` at `path`, or `null`.
pub fn opt_number(raw: &RawValue, path: &Path<'_>, min: f64, max: f64) -> Result<(), ApiError> {
    match node(raw, path)? {
        Node::Null => Ok(()),
        Node::Number(s) => match s.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= min && v <= max => Ok(()),
            Ok(_) => Err(invalid(path, format!("must be between {min} and {max}"))),
            Err(_) => Err(wrong_type(path, "a number")),
        },
        _ => Err(wrong_type(path, "a number")),
    }
}
