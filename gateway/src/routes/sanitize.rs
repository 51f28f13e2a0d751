//! `POST /v1/sanitize` and `POST /v1/relink`: explicit field routing, without a model
//! call.
//!
//! `/v1/sanitize` takes any JSON document and the JSON Pointers (RFC 6901) of the fields
//! to sanitise:
//!
//! ```json
//! {"document": {"ticket": {"body": "Mail ana@example.org", "id": 7}}, "fields": ["/ticket/body"]}
//! ```
//!
//! A pointer to a string sanitises that string; a pointer to an object or array sanitises
//! every string in it, keys included (`""` names the whole document). Numbers, booleans
//! and `null` are left as they are; a pointer that names nothing, or names a number, a
//! boolean or `null`, is an error, so a mistyped pointer never lets a field through
//! unsanitised. The answer holds the document with only those strings changed (the rest
//! byte for byte as sent), a signed certificate (as for chat completions), and a re-link
//! token:
//!
//! ```json
//! {"document": {...}, "relink_token": "...", "metadata": {"dsa_compliance": {...}}}
//! ```
//!
//! The token is the request's mapping sealed with a key derived from the gateway's
//! master secret and bound to the tenant (see [`lucairn_core::Mapping::seal`]): the
//! gateway stores nothing, and only keys of the same tenant can use it.
//!
//! `/v1/relink` takes a document (typically a model's answer about the sanitised one), the
//! token, and optionally `fields` (default: the whole document), and answers
//! `{"document": ...}` with the placeholders of that request restored to the original
//! values. Like re-linking in chat completions, it needs a pro or enterprise key.

use std::ops::Range;
use std::sync::Arc;

use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use lucairn_core::{CertificateBuilder, Mapping, rfc3339_utc};

use crate::error::ApiError;
use crate::json::{self, Edits, Node, PointerError};
use crate::openai::path::get;
use crate::pipeline::{self, RequestScope};
use crate::routes::certificates::{dsa_compliance, issue};
use crate::routes::{authenticate, json_response, read_body};
use crate::server::{Body, State};
use crate::util;

/// Bodies larger than this are handled on the blocking pool, off the reactor.
const INLINE_LIMIT: usize = 64 * 1024;
/// Most pointers in `fields`.
const MAX_FIELDS: usize = 1024;

/// A parsed request: the document's text and the fields to change, in document order.
struct Parsed<'a> {
    /// The document as sent.
    document: &'a str,
    /// Every selected value: its pointer, its span in `document`, and whether it is a
    /// string (else an object or array).
    fields: Vec<(String, Range<usize>, bool)>,
    token: Option<std::borrow::Cow<'a, str>>,
}

fn wrong(param: &str, expected: &'static str) -> ApiError {
    ApiError::InvalidType { param: param.to_string(), expected }
}

/// Validates a request body with the members `allowed`; `fields` is required unless
/// `default_fields` is given.
fn parse<'a>(
    state: &State,
    body: &'a str,
    allowed: &[&str],
    default_fields: Option<&str>,
) -> Result<Parsed<'a>, ApiError> {
    let max_depth = state.config.max_json_depth;
    if json::check_depth(body.as_bytes(), max_depth).is_err() {
        return Err(ApiError::TooDeep(max_depth));
    }
    let root = json::parse_document(body).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    let Node::Object(top) = json::node(root).map_err(|e| ApiError::InvalidJson(e.to_string()))? else {
        return Err(wrong("body", "a JSON object"));
    };
    if let Some(k) = json::duplicate_key(&top) {
        return Err(ApiError::DuplicateKey { param: "body".into(), key: k.to_string() });
    }
    if let Some((k, _)) = top.iter().find(|(k, _)| !allowed.contains(&k.as_ref())) {
        return Err(ApiError::InvalidValue {
            param: k.chars().take(64).collect(),
            message: format!("unknown member; expected {}", allowed.join(", ")),
        });
    }
    let doc_raw = get(&top, "document").ok_or_else(|| ApiError::Missing("document".into()))?;
    // The document alone, parsed again so that spans are relative to it.
    let document = doc_raw.get();
    let doc = json::parse_document(document).map_err(|e| ApiError::InvalidJson(e.to_string()))?;

    let pointers: Vec<String> = match get(&top, "fields") {
        None => match default_fields {
            Some(d) => vec![d.to_string()],
            None => return Err(ApiError::Missing("fields".into())),
        },
        Some(raw) => {
            let Node::Array(items) = json::node(raw).map_err(|e| ApiError::InvalidJson(e.to_string()))? else {
                return Err(wrong("fields", "an array of JSON Pointers"));
            };
            if items.len() > MAX_FIELDS {
                return Err(ApiError::InvalidValue {
                    param: "fields".into(),
                    message: format!("at most {MAX_FIELDS} pointers"),
                });
            }
            let mut v = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match json::node(item).map_err(|e| ApiError::InvalidJson(e.to_string()))? {
                    Node::String(s) => v.push(s.into_owned()),
                    _ => return Err(wrong(&format!("fields[{i}]"), "a JSON Pointer string")),
                }
            }
            v
        }
    };
    let mut fields = Vec::with_capacity(pointers.len());
    for (i, p) in pointers.into_iter().enumerate() {
        let param = format!("fields[{i}]");
        // Messages name the problem, never the pointer: keys can be personal data.
        let invalid = |message: &str| ApiError::InvalidValue { param: param.clone(), message: message.to_string() };
        let raw = json::resolve(doc, &p).map_err(|e| match e {
            PointerError::Syntax => invalid("not a JSON Pointer (RFC 6901): it must be empty or start with '/'"),
            PointerError::Missing => invalid("names no value of the document"),
            PointerError::Duplicate => invalid("passes through an object with a duplicate key"),
            PointerError::Invalid => ApiError::InvalidJson("the document is not valid JSON".into()),
        })?;
        let is_string = match json::node(raw).map_err(|e| ApiError::InvalidJson(e.to_string()))? {
            Node::String(_) => true,
            Node::Object(_) | Node::Array(_) => false,
            other => {
                return Err(invalid(&format!(
                    "names a {}; only strings, and objects and arrays holding them, can be sanitised",
                    other.type_name()
                )));
            }
        };
        let span = json::span_in(document, raw).ok_or(ApiError::Internal)?;
        fields.push((p, span, is_string));
    }
    // Document order; a field inside another selected one is already covered by it.
    fields.sort_by_key(|(_, r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<(String, Range<usize>, bool)> = Vec::with_capacity(fields.len());
    for f in fields {
        if kept.last().is_none_or(|(_, last, _)| f.1.start >= last.end) {
            kept.push(f);
        }
    }
    let token = match get(&top, "relink_token") {
        None => None,
        Some(raw) => match json::node(raw).map_err(|e| ApiError::InvalidJson(e.to_string()))? {
            Node::String(s) => Some(s),
            _ => return Err(wrong("relink_token", "a string")),
        },
    };
    Ok(Parsed { document, fields: kept, token })
}

/// Rewrites the selected fields of `p.document` with `f(pointer, text)`.
fn rewrite(
    p: &Parsed<'_>,
    max_depth: usize,
    f: &mut dyn FnMut(&str, &str) -> Option<String>,
) -> Result<String, ApiError> {
    let mut edits = Edits::default();
    for (pointer, span, is_string) in &p.fields {
        let src = &p.document[span.clone()];
        if *is_string {
            let text: String = serde_json::from_str(src).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
            if let Some(new) = f(pointer, &text) {
                edits.string(span.clone(), &new);
            }
        } else {
            let mut g = |inner: &str, s: &str| -> Result<Option<String>, ()> { Ok(f(&format!("{pointer}{inner}"), s)) };
            match json::map_strings(src, max_depth, &mut g) {
                Ok(Ok(Some(new))) => edits.raw(span.clone(), new),
                Ok(Ok(None)) => {}
                _ => return Err(ApiError::InvalidJson("the document is not valid JSON".into())),
            }
        }
    }
    Ok(edits.apply(p.document))
}

fn body_text(body: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(body)
        .map_err(|e| ApiError::InvalidJson(format!("the request body is not UTF-8 (at byte {})", e.valid_up_to())))
}

/// Parses and sanitises; returns the sanitised document and the scope.
fn prepare(state: &State, tenant: &str, body: &[u8]) -> Result<(String, RequestScope), ApiError> {
    let p = parse(state, body_text(body)?, &["document", "fields"], None)?;
    let mut scope = state.pipeline.request(tenant);
    let out =
        rewrite(&p, state.config.max_json_depth, &mut |ptr, text| scope.sanitize(pipeline::location(ptr, ""), text))?;
    Ok((out, scope))
}

pub async fn sanitize(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    let key = authenticate(state, req.headers()).await?;
    let body = read_body(req, state.config.max_body_bytes).await?;
    let (document, scope) = if body.len() > INLINE_LIMIT {
        let (st, tenant) = (state.clone(), key.tenant.clone());
        tokio::task::spawn_blocking(move || prepare(&st, &tenant, &body))
            .await
            .map_err(|_| ApiError::Sanitization)??
    } else {
        prepare(state, &key.tenant, &body)?
    };
    let counts = scope.request_counts();
    for (kind, n) in &counts {
        state.metrics.findings(kind, "request", *n);
    }
    let token = scope.mapping().seal(state.pipeline.secrets().token_key(), &key.tenant).map_err(|e| {
        tracing::error!(error = %e, "sealing a mapping failed");
        ApiError::Internal
    })?;
    let now = util::now_unix();
    let mut cert = CertificateBuilder::new(state.public_url.clone(), rfc3339_utc(now));
    cert.engine(state.pipeline.engine()).request(document.as_bytes()).sanitized(&scope.finish());
    let (id, url) = issue(state, &key.tenant, cert, now).await?;
    let dsa = dsa_compliance(state, &id, &url, &counts)?;
    let token = serde_json::to_string(&token).map_err(|_| ApiError::Internal)?;
    let out = format!("{{\"document\":{document},\"relink_token\":{token},\"metadata\":{{\"dsa_compliance\":{dsa}}}}}");
    let mut resp = json_response(StatusCode::OK, out.into_bytes());
    if let Ok(v) = http::HeaderValue::from_str(&url) {
        resp.headers_mut().insert(http::HeaderName::from_static(super::chat::CERTIFICATE_HEADER), v);
    }
    Ok(resp)
}

fn restore(state: &State, tenant: &str, body: &[u8]) -> Result<String, ApiError> {
    let p = parse(state, body_text(body)?, &["document", "fields", "relink_token"], Some(""))?;
    let token = p.token.as_deref().ok_or_else(|| ApiError::Missing("relink_token".into()))?;
    let mapping = Mapping::open(token, state.pipeline.secrets().token_key(), tenant)
        .map_err(|e| ApiError::InvalidRelinkToken(e.to_string()))?;
    rewrite(&p, state.config.max_json_depth, &mut |_, text| {
        let out = mapping.relink(text);
        (out != text).then_some(out)
    })
}

pub async fn relink(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    let key = authenticate(state, req.headers()).await?;
    if !key.tier.may_relink() {
        return Err(ApiError::RelinkNotAllowed(key.tier.as_str()));
    }
    let body = read_body(req, state.config.max_body_bytes).await?;
    let document = if body.len() > INLINE_LIMIT {
        let (st, tenant) = (state.clone(), key.tenant.clone());
        tokio::task::spawn_blocking(move || restore(&st, &tenant, &body)).await.map_err(|_| ApiError::Internal)??
    } else {
        restore(state, &key.tenant, &body)?
    };
    Ok(json_response(StatusCode::OK, format!("{{\"document\":{document}}}").into_bytes()))
}
