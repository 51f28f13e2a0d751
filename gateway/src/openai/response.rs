//! Answers from the upstream: which strings to check, and adding `metadata.dsa_compliance`.
//!
//! Every string value of an answer is checked except those of structural fields (ids,
//! model, role, finish reason, function names …), so text in fields this gateway does not
//! know (such as `reasoning_content` of some OpenAI-compatible servers) is covered too.

use serde_json::value::RawValue;

use crate::json::{self, Edits, Node};
use crate::openai::chat::{TextField, TextKind};

/// Fields whose string values are structure, not text.
const STRUCTURAL: &[&str] = &[
    "id",
    "object",
    "model",
    "role",
    "finish_reason",
    "system_fingerprint",
    "service_tier",
    "type",
    "name",
    "code",
    "param",
    "tool_call_id",
];

/// The strings of an answer to check, or `None` when `body` is not JSON (or too deep).
pub fn answer_texts(body: &str, max_depth: usize) -> Option<Vec<TextField<'_>>> {
    json::check_depth(body.as_bytes(), max_depth).ok()?;
    let root = json::parse_document(body).ok()?;
    let mut out = Vec::new();
    let mut pointer = String::new();
    collect(body, root, None, &mut pointer, &mut out)?;
    Some(out)
}

fn collect<'a>(
    base: &'a str,
    raw: &'a RawValue,
    key: Option<&str>,
    pointer: &mut String,
    out: &mut Vec<TextField<'a>>,
) -> Option<()> {
    match json::node(raw).ok()? {
        Node::String(s) => {
            if key.is_some_and(|k| STRUCTURAL.contains(&k)) {
                return Some(());
            }
            // Tool-call arguments are JSON, and so is structured output in `content`:
            // check them JSON-aware so re-linked values keep them valid.
            let looks_json = matches!(s.trim_start().as_bytes().first(), Some(b'{' | b'['));
            let kind = if key == Some("arguments") || looks_json { TextKind::Json } else { TextKind::Plain };
            out.push(TextField { pointer: pointer.clone(), range: json::span_in(base, raw)?, value: s, kind });
        }
        Node::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                json::push_pointer_segment(pointer, &i.to_string());
                collect(base, item, key, pointer, out)?;
                pointer.truncate(len);
            }
        }
        Node::Object(fields) => {
            for (k, v) in &fields {
                let len = pointer.len();
                json::push_pointer_segment(pointer, k);
                collect(base, v, Some(k), pointer, out)?;
                pointer.truncate(len);
            }
        }
        Node::Null | Node::Bool(_) | Node::Number(_) => {}
    }
    Some(())
}

/// Adds `"dsa_compliance": dsa` (raw JSON) to the top-level `metadata` object of `body`
/// (creating `metadata` when there is none) and applies `edits`. An upstream's own
/// `dsa_compliance` is replaced. `None` when `body` is not a JSON object.
pub fn add_metadata(body: &str, mut edits: Edits, dsa: &str) -> Option<String> {
    let root = json::parse_document(body).ok()?;
    let Node::Object(fields) = json::node(root).ok()? else { return None };
    let root_span = json::span_in(body, root)?;
    let metas: Vec<&RawValue> = fields.iter().filter(|(k, _)| k == "metadata").map(|(_, v)| *v).collect();
    if metas.is_empty() {
        let close = root_span.end - 1;
        let sep = if fields.is_empty() { "" } else { "," };
        edits.raw(close..close, format!("{sep}\"metadata\":{{\"dsa_compliance\":{dsa}}}"));
        return Some(edits.apply(body));
    }
    for m in metas {
        let span = json::span_in(body, m)?;
        match json::node(m).ok()? {
            Node::Object(inner) => {
                let ours: Vec<&RawValue> =
                    inner.iter().filter(|(k, _)| k == "dsa_compliance").map(|(_, v)| *v).collect();
                if ours.is_empty() {
                    let at = span.start + 1;
                    let sep = if inner.is_empty() { "" } else { "," };
                    edits.raw(at..at, format!("\"dsa_compliance\":{dsa}{sep}"));
                }
                for v in ours {
                    let vs = json::span_in(body, v)?;
                    edits.drop_within(vs.clone());
                    edits.raw(vs, dsa.to_string());
                }
            }
            _ => {
                edits.drop_within(span.clone());
                edits.raw(span, format!("{{\"dsa_compliance\":{dsa}}}"));
            }
        }
    }
    Some(edits.apply(body))
}
