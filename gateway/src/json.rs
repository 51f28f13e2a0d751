//! Byte-faithful JSON editing.
//!
//! The gateway must forward everything it does not sanitise exactly as the client sent
//! it: key order, whitespace, number spelling, unknown fields. So it never re-serialises a
//! document. It parses with serde_json into borrowed [`RawValue`]s (whose text points into
//! the original buffer, so every value knows its byte range), decides which string
//! literals to change, and splices the new literals into the original bytes.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The fields of an object, in document order, duplicates kept.
pub type Fields<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// A JSON value, one level deep.
#[derive(Debug)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<&'a RawValue>),
    Object(Fields<'a>),
}

impl Node<'_> {
    /// The JSON type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Number(_) => "number",
            Node::String(_) => "string",
            Node::Array(_) => "array",
            Node::Object(_) => "object",
        }
    }
}

/// A string that borrows from the input when it has no escapes.
struct CowStr<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// An object's fields in order.
struct FieldsDe<'a>(Fields<'a>);

impl<'de> Deserialize<'de> for FieldsDe<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldsDe<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldsDe<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<CowStr<'de>>()? {
                    let v: &'de RawValue = map.next_value()?;
                    out.push((k.0, v));
                }
                Ok(FieldsDe(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses a whole document into its top-level raw value.
pub fn parse_document(src: &str) -> Result<&RawValue, serde_json::Error> {
    serde_json::from_str(src)
}

/// Looks one level into a raw value.
pub fn node(raw: &RawValue) -> Result<Node<'_>, serde_json::Error> {
    let s = raw.get().trim_start();
    Ok(match s.as_bytes().first() {
        Some(b'{') => Node::Object(serde_json::from_str::<FieldsDe<'_>>(s)?.0),
        Some(b'[') => Node::Array(serde_json::from_str::<Vec<&RawValue>>(s)?),
        Some(b'"') => Node::String(serde_json::from_str::<CowStr<'_>>(s)?.0),
        Some(b't') => Node::Bool(true),
        Some(b'f') => Node::Bool(false),
        Some(b'n') => Node::Null,
        _ => Node::Number(s.trim_end()),
    })
}

/// The first key that appears twice in `fields`.
pub fn duplicate_key<'f>(fields: &'f Fields<'_>) -> Option<&'f str> {
    if fields.len() <= 8 {
        for (i, (k, _)) in fields.iter().enumerate() {
            if fields[..i].iter().any(|(k2, _)| k2 == k) {
                return Some(k);
            }
        }
        return None;
    }
    let mut seen = HashSet::with_capacity(fields.len());
    fields.iter().find(|(k, _)| !seen.insert(k.as_ref())).map(|(k, _)| k.as_ref())
}

/// The byte range of `raw` inside `base`, which it was parsed from.
pub fn span_in(base: &str, raw: &RawValue) -> Option<Range<usize>> {
    let s = raw.get();
    let start = (s.as_ptr() as usize).checked_sub(base.as_ptr() as usize)?;
    let end = start.checked_add(s.len())?;
    if end <= base.len() { Some(start..end) } else { None }
}

/// Checks the nesting depth of a JSON text without parsing it: `Err(())` when arrays and
/// objects nest deeper than `max`.
pub fn check_depth(bytes: &[u8], max: usize) -> Result<(), ()> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Err(());
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Replacements of byte ranges of a document.
#[derive(Debug, Default)]
pub struct Edits {
    list: Vec<(Range<usize>, String)>,
}

impl Edits {
    /// Replaces the string literal at `range` with a literal holding `text`.
    pub fn string(&mut self, range: Range<usize>, text: &str) {
        // Serialising a `str` cannot fail.
        let lit = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
        self.list.push((range, lit));
    }

    /// Replaces `range` with raw JSON text.
    pub fn raw(&mut self, range: Range<usize>, json: String) {
        self.list.push((range, json));
    }

    /// Forgets the replacements that lie inside `range`.
    pub fn drop_within(&mut self, range: Range<usize>) {
        self.list.retain(|(r, _)| !(r.start >= range.start && r.end <= range.end));
    }

    /// True when nothing is replaced.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The document with every replacement made. Ranges must lie in `src` on character
    /// boundaries and not overlap (overlapping ones are dropped).
    pub fn apply(mut self, src: &str) -> String {
        self.list.sort_by_key(|(r, _)| (r.start, r.end));
        let extra: usize = self.list.iter().map(|(_, s)| s.len()).sum();
        let mut out = String::with_capacity(src.len() + extra);
        let mut at = 0;
        for (r, s) in &self.list {
            if r.start < at || r.end > src.len() || !src.is_char_boundary(r.start) || !src.is_char_boundary(r.end) {
                continue;
            }
            out.push_str(&src[at..r.start]);
            out.push_str(s);
            at = r.end;
        }
        out.push_str(&src[at..]);
        out
    }
}

/// Appends a JSON Pointer segment (RFC 6901) to `out`.
pub fn push_pointer_segment(out: &mut String, seg: &str) {
    out.push('/');
    for c in seg.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A callback that may replace a string found at a JSON Pointer.
pub type StringFn<'f, E> = dyn FnMut(&str, &str) -> Result<Option<String>, E> + 'f;

/// Rewrites every string of the JSON document `src`, values and object keys, calling
/// `f(pointer, string)` for each (for a key, `pointer` is the member's pointer); `f`
/// returns the new string or `None` to keep it.
///
/// Returns `Ok(None)` when nothing changed, `Err` when `src` is not JSON or nests deeper
/// than `max_depth`.
pub fn map_strings<E>(src: &str, max_depth: usize, f: &mut StringFn<'_, E>) -> Result<Result<Option<String>, E>, ()> {
    check_depth(src.as_bytes(), max_depth)?;
    let root = parse_document(src).map_err(|_| ())?;
    let mut edits = Edits::default();
    let mut pointer = String::new();
    match walk_strings(src, root, &mut pointer, &mut edits, f) {
        Err(Walk::Bad) => Err(()),
        Err(Walk::Callback(e)) => Ok(Err(e)),
        Ok(()) => Ok(Ok(if edits.is_empty() { None } else { Some(edits.apply(src)) })),
    }
}

enum Walk<E> {
    Bad,
    Callback(E),
}

fn walk_strings<E>(
    base: &str,
    raw: &RawValue,
    pointer: &mut String,
    edits: &mut Edits,
    f: &mut StringFn<'_, E>,
) -> Result<(), Walk<E>> {
    match node(raw).map_err(|_| Walk::Bad)? {
        Node::String(s) => {
            if let Some(new) = f(pointer, &s).map_err(Walk::Callback)? {
                edits.string(span_in(base, raw).ok_or(Walk::Bad)?, &new);
            }
        }
        Node::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                push_pointer_segment(pointer, &i.to_string());
                walk_strings(base, item, pointer, edits, f)?;
                pointer.truncate(len);
            }
        }
        Node::Object(fields) => {
            // Each key literal lies between the end of the previous member (or the
            // opening brace) and the start of its value.
            let mut prev_end = span_in(base, raw).ok_or(Walk::Bad)?.start + 1;
            for (k, v) in &fields {
                let len = pointer.len();
                push_pointer_segment(pointer, k);
                let vspan = span_in(base, v).ok_or(Walk::Bad)?;
                if let Some(new) = f(pointer, k).map_err(Walk::Callback)? {
                    let gap = base.get(prev_end..vspan.start).ok_or(Walk::Bad)?;
                    let (open, close) = (gap.find('"').ok_or(Walk::Bad)?, gap.rfind('"').ok_or(Walk::Bad)?);
                    if close <= open {
                        return Err(Walk::Bad);
                    }
                    edits.string(prev_end + open..prev_end + close + 1, &new);
                }
                walk_strings(base, v, pointer, edits, f)?;
                prev_end = vspan.end;
                pointer.truncate(len);
            }
        }
        Node::Null | Node::Bool(_) | Node::Number(_) => {}
    }
    Ok(())
}

/// Why a JSON Pointer does not name a value of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointerError {
    /// Not a JSON Pointer: it neither is empty nor starts with `/`, or has a bad `~` escape.
    Syntax,
    /// A member or item on the way does not exist.
    Missing,
    /// An object on the way has this key twice, so the pointer is ambiguous.
    Duplicate,
    /// The document is not valid JSON.
    Invalid,
}

/// The unescaped segments of a JSON Pointer (RFC 6901).
fn pointer_segments(pointer: &str) -> Result<Vec<String>, PointerError> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer.strip_prefix('/').ok_or(PointerError::Syntax)?;
    rest.split('/')
        .map(|seg| {
            let mut out = String::with_capacity(seg.len());
            let mut chars = seg.chars();
            while let Some(c) = chars.next() {
                match c {
                    '~' => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(PointerError::Syntax),
                    },
                    c => out.push(c),
                }
            }
            Ok(out)
        })
        .collect()
}

/// The value `pointer` (RFC 6901) names in the document `root`.
pub fn resolve<'a>(root: &'a RawValue, pointer: &str) -> Result<&'a RawValue, PointerError> {
    let mut at = root;
    for seg in pointer_segments(pointer)? {
        at = match node(at).map_err(|_| PointerError::Invalid)? {
            Node::Object(fields) => {
                let mut found = fields.iter().filter(|(k, _)| *k == seg.as_str()).map(|(_, v)| *v);
                let v = found.next().ok_or(PointerError::Missing)?;
                if found.next().is_some() {
                    return Err(PointerError::Duplicate);
                }
                v
            }
            Node::Array(items) => {
                let canonical = seg == "0" || (!seg.is_empty() && !seg.starts_with('0'));
                let i: usize = seg.parse().ok().filter(|_| canonical).ok_or(PointerError::Missing)?;
                items.get(i).copied().ok_or(PointerError::Missing)?
            }
            _ => return Err(PointerError::Missing),
        };
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_resolve_per_rfc_6901() {
        let src = r#"{"a": {"b/c": [10, {"m~n": "x"}], "": 1}, "d": {"k": 1, "k": 2}}"#;
        let root = parse_document(src).expect("json");
        let get = |p: &str| resolve(root, p).map(|v| v.get().to_string());
        assert_eq!(get(""), Ok(src.to_string()));
        assert_eq!(get("/a/b~1c/0"), Ok("10".into()));
        assert_eq!(get("/a/b~1c/1/m~0n"), Ok("\"x\"".into()));
        assert_eq!(get("/a/"), Ok("1".into()));
        assert_eq!(get("/a/b~1c/01"), Err(PointerError::Missing));
        assert_eq!(get("/a/b~1c/2"), Err(PointerError::Missing));
        assert_eq!(get("/a/x"), Err(PointerError::Missing));
        assert_eq!(get("/a/b~1c/0/z"), Err(PointerError::Missing));
        assert_eq!(get("a"), Err(PointerError::Syntax));
        assert_eq!(get("/a~2"), Err(PointerError::Syntax));
        assert_eq!(get("/d/k"), Err(PointerError::Duplicate));
        // The span of the value inside the document.
        let v = resolve(root, "/a/b~1c/1").expect("value");
        assert_eq!(&src[span_in(src, v).expect("span")], "{\"m~n\": \"x\"}");
    }
}
