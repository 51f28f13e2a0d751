//! `POST /v1/embeddings`: the texts of `input` (and `user`) are sanitised before they go
//! upstream, so the vectors that come back describe the sanitised texts, placeholders
//! included, never the values.
//!
//! `input` is a string or an array of strings. Arrays of token ids (`[1, 2]` or
//! `[[1, 2], [3]]`) are refused: token ids decode to any text, which the gateway cannot
//! check without the model's tokenizer.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use hyper::body::Incoming;
use lucairn_core::{CertificateBuilder, OutputMode, rfc3339_utc};
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::json::{self, Node};
use crate::openai::chat::{TextField, TextKind};
use crate::openai::path::{Path, invalid, node, wrong_type};
use crate::pipeline::{self, RequestScope};
use crate::routes::chat::{
    call_upstream, certify_answer, certify_failure, check_answer, count_request, off_reactor, provider_key,
};
use crate::routes::{authenticate, error_response, read_body};
use crate::server::{Body, State};
use crate::upstream::{FORWARDED_REQUEST_HEADERS, Reply};
use crate::util;

/// Most strings in one `input` (OpenAI's limit).
const MAX_INPUTS: usize = 2048;

/// Validates an embeddings request and lists its texts.
pub fn parse(body: &str, max_depth: usize) -> Result<Vec<TextField<'_>>, ApiError> {
    if json::check_depth(body.as_bytes(), max_depth).is_err() {
        return Err(ApiError::TooDeep(max_depth));
    }
    let root = json::parse_document(body).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    let top = Path::ROOT;
    let fields = match node(root, &top)? {
        Node::Object(f) => f,
        _ => return Err(ApiError::InvalidType { param: "body".into(), expected: "a JSON object" }),
    };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
    let mut texts = Vec::new();
    let model = get("model").ok_or_else(|| ApiError::Missing("model".into()))?;
    match node(model, &top.key("model"))? {
        Node::String(s) if !s.is_empty() => {}
        Node::String(_) => return Err(invalid(&top.key("model"), "must not be empty")),
        _ => return Err(wrong_type(&top.key("model"), "a string")),
    }
    let input = get("input").ok_or_else(|| ApiError::Missing("input".into()))?;
    let ip = top.key("input");
    match node(input, &ip)? {
        Node::String(s) => texts.push(text(body, input, &ip, s)?),
        Node::Array(items) => {
            if items.is_empty() {
                return Err(invalid(&ip, "must not be empty"));
            }
            if items.len() > MAX_INPUTS {
                return Err(invalid(&ip, format!("at most {MAX_INPUTS} inputs")));
            }
            for (i, item) in items.into_iter().enumerate() {
                let p = ip.index(i);
                match node(item, &p)? {
                    Node::String(s) => texts.push(text(body, item, &p, s)?),
                    Node::Number(_) | Node::Array(_) => return Err(token_ids(&ip)),
                    _ => return Err(wrong_type(&p, "a string")),
                }
            }
        }
        _ => return Err(wrong_type(&ip, "a string or an array of strings")),
    }
    for (k, v) in &fields {
        let p = top.key(k);
        match (k.as_ref(), node(v, &p)?) {
            ("encoding_format", Node::Null) => {}
            ("encoding_format", Node::String(s)) if s == "float" || s == "base64" => {}
            ("encoding_format", _) => return Err(invalid(&p, "must be \"float\" or \"base64\"")),
            ("dimensions", Node::Null) => {}
            ("dimensions", Node::Number(n)) if n.parse::<u64>().is_ok_and(|n| n >= 1) => {}
            ("dimensions", _) => return Err(invalid(&p, "must be a positive integer")),
            ("user", Node::Null) => {}
            ("user", Node::String(s)) => texts.push(text(body, v, &p, s)?),
            ("user", _) => return Err(wrong_type(&p, "a string")),
            // Fields this gateway does not know pass through untouched.
            _ => {}
        }
    }
    Ok(texts)
}

fn text<'a>(src: &'a str, raw: &'a RawValue, path: &Path<'_>, value: Cow<'a, str>) -> Result<TextField<'a>, ApiError> {
    let range = json::span_in(src, raw).ok_or(ApiError::Internal)?;
    Ok(TextField { pointer: path.pointer(), range, value, kind: TextKind::Plain })
}

fn token_ids(path: &Path<'_>) -> ApiError {
    ApiError::UnsupportedContent {
        param: path.param(),
        what: "token ids (they decode to text the gateway cannot check); send the text".into(),
    }
}

/// True for the pointer of an embedding (`/data/N/embedding`): with
/// `encoding_format: "base64"` it is a string, but not text.
fn is_embedding(pointer: &str) -> bool {
    let mut segs = pointer.split('/');
    matches!(
        (segs.next(), segs.next(), segs.next(), segs.next(), segs.next()),
        (Some(""), Some("data"), Some(n), Some("embedding"), None) if n.bytes().all(|b| b.is_ascii_digit())
    )
}

fn prepare(state: &State, tenant: &str, body: &Bytes) -> Result<(String, RequestScope), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::InvalidJson(format!("the request body is not UTF-8 (at byte {})", e.valid_up_to())))?;
    let depth = state.config.max_json_depth;
    let texts = parse(text, depth)?;
    let mut scope = state.pipeline.request(tenant);
    let forward = pipeline::sanitize_request(&mut scope, text, &texts, depth);
    Ok((forward, scope))
}

pub async fn embeddings(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    let key = authenticate(state, req.headers()).await?;
    let provider_key = provider_key(req.headers())?;
    let extra = crate::upstream::forward_request_headers(req.headers(), FORWARDED_REQUEST_HEADERS);
    let body = read_body(req, state.config.max_body_bytes).await?;
    let tenant = key.tenant.clone();
    let (forward, mut scope) = off_reactor(state, body, move |st, b| prepare(st, &tenant, b)).await?;
    let request_counts = count_request(state, &scope);

    let now = util::now_unix();
    let mut cert = CertificateBuilder::new(state.public_url.clone(), rfc3339_utc(now));
    cert.engine(state.pipeline.engine()).request(forward.as_bytes());
    let send = state.upstream.post("/embeddings", &provider_key, &extra, Bytes::from(forward), false);
    let answer = match call_upstream(state, send).await {
        Ok(Reply::Full(a)) => a,
        Ok(Reply::Stream(_)) => {
            let e = ApiError::UpstreamInvalid("a stream to a request that asked for none");
            return certify_failure(state, &key.tenant, cert, now, scope, e, error_response).await;
        }
        Err(e) => return certify_failure(state, &key.tenant, cert, now, scope, e, error_response).await,
    };
    // Vectors hold no text; an error message might. Nothing is re-linked here.
    let depth = state.config.max_json_depth;
    cert.response(&answer.body);
    let (text, edits) = match check_answer(&answer, &mut scope, OutputMode::Keep, depth, &is_embedding) {
        Ok(c) => c,
        Err(e) => return certify_failure(state, &key.tenant, cert, now, scope, e, error_response).await,
    };
    certify_answer(state, &key.tenant, cert, now, scope, &answer, &text, edits, &request_counts).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_texts_and_token_ids_are_refused() {
        let body = r#"{"model": "e", "input": ["a", "b\u00e9"], "user": "u", "dimensions": 8}"#;
        let t = parse(body, 64).expect("valid");
        let ptrs: Vec<&str> = t.iter().map(|t| t.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/input/0", "/input/1", "/user"]);
        assert_eq!(t[1].value, "bé");
        assert_eq!(parse(r#"{"model": "e", "input": "x"}"#, 64).expect("valid")[0].pointer, "/input");
        for (bad, code) in [
            (r#"{"model": "e", "input": [1, 2]}"#, "unsupported_content"),
            (r#"{"model": "e", "input": [[1], [2]]}"#, "unsupported_content"),
            (r#"{"model": "e", "input": []}"#, "invalid_value"),
            (r#"{"model": "e", "input": [null]}"#, "invalid_type"),
            (r#"{"model": "e", "input": 7}"#, "invalid_type"),
            (r#"{"model": "e"}"#, "missing_required_parameter"),
            (r#"{"input": "x"}"#, "missing_required_parameter"),
            (r#"{"model": "e", "input": "x", "encoding_format": "hex"}"#, "invalid_value"),
            (r#"{"model": "e", "input": "x", "dimensions": 0}"#, "invalid_value"),
            (r#"{"model": "e", "input": "x", "input": "y"}"#, "duplicate_key"),
        ] {
            assert_eq!(parse(bad, 64).map(|_| ()).map_err(|e| e.code()), Err(code), "{bad}");
        }
    }

    #[test]
    fn embeddings_are_not_texts() {
        assert!(is_embedding("/data/0/embedding"));
        assert!(is_embedding("/data/12/embedding"));
        assert!(!is_embedding("/data/0/embedding/1"));
        assert!(!is_embedding("/error/message"));
        assert!(!is_embedding("/data/x/embedding"));
    }
}
