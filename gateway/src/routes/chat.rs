//! `POST /v1/chat/completions`: authenticate, validate, sanitise, forward, check the
//! answer, certify.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response};
use hyper::body::Incoming;
use lucairn_core::{CertificateBuilder, OutputMode, rfc3339_utc};

use crate::error::ApiError;
use crate::json::Edits;
use crate::openai::chat::{self, Limits, TextKind};
use crate::openai::response;
use crate::pipeline::{self, RequestScope};
use crate::routes::certificates::{dsa_compliance, issue};
use crate::routes::chat_stream;
use crate::routes::{authenticate, json_response, read_body};
use crate::server::{Body, State};
use crate::store::KeyRecord;
use crate::upstream::{Answer, FORWARDED_REQUEST_HEADERS, Reply, forward_request_headers};
use crate::util;

/// Bodies larger than this are sanitised on the blocking pool, off the reactor.
const INLINE_LIMIT: usize = 64 * 1024;

/// The header that names the certificate URL.
pub const CERTIFICATE_HEADER: &str = "x-lucairn-certificate";

/// Whether placeholders are re-linked for this request.
fn relink_mode(key: &KeyRecord, headers: &http::HeaderMap) -> Result<bool, ApiError> {
    let requested = match headers.get("x-lucairn-relink") {
        None => None,
        Some(v) => match v.to_str().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Ok("on") => Some(true),
            Ok("off") => Some(false),
            _ => return Err(ApiError::InvalidHeader { header: "x-lucairn-relink", message: "expected on or off" }),
        },
    };
    match requested {
        Some(true) if !key.tier.may_relink() => Err(ApiError::RelinkNotAllowed(key.tier.as_str())),
        Some(r) => Ok(r),
        None => Ok(key.relink && key.tier.may_relink()),
    }
}

/// Validates and sanitises a request body; returns the body to forward, the scope that
/// holds the request's mapping, and whether the client asked for a stream.
fn prepare(state: &State, tenant: &str, body: &Bytes) -> Result<(String, RequestScope, bool), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::InvalidJson(format!("the request body is not UTF-8 (at byte {})", e.valid_up_to())))?;
    let limits = Limits { max_depth: state.config.max_json_depth, allow_media: state.config.allow_media };
    let req = chat::parse(text, &limits)?;
    let mut scope = state.pipeline.request(tenant);
    let forward = pipeline::sanitize_request(&mut scope, text, &req.texts, limits.max_depth);
    Ok((forward, scope, req.stream))
}

pub async fn chat_completions(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    let key = authenticate(state, req.headers()).await?;
    let relink = relink_mode(&key, req.headers())?;
    let provider_key = match req.headers().get("x-upstream-key") {
        Some(v) if !v.as_bytes().iter().all(u8::is_ascii_whitespace) => v.clone(),
        _ => return Err(ApiError::MissingUpstreamKey),
    };
    let extra = forward_request_headers(req.headers(), FORWARDED_REQUEST_HEADERS);
    let body = read_body(req, state.config.max_body_bytes).await?;

    let (forward, mut scope, stream) = if body.len() > INLINE_LIMIT {
        let st = state.clone();
        let tenant = key.tenant.clone();
        tokio::task::spawn_blocking(move || prepare(&st, &tenant, &body))
            .await
            .map_err(|_| ApiError::Sanitization)??
    } else {
        prepare(state, &key.tenant, &body)?
    };
    let request_counts = scope.request_counts();
    for (kind, n) in &request_counts {
        state.metrics.findings(kind, "request", *n);
    }

    let now = util::now_unix();
    let mut cert = CertificateBuilder::new(state.public_url.clone(), rfc3339_utc(now));
    cert.engine(state.pipeline.engine()).request(forward.as_bytes());
    let started = Instant::now();
    let reply = state.upstream.post("/chat/completions", &provider_key, &extra, Bytes::from(forward), stream).await;
    state.metrics.upstream(started.elapsed());
    let reply = reply.inspect_err(|e| {
        state.metrics.upstream_error(match e {
            ApiError::UpstreamTimeout => "timeout",
            ApiError::UpstreamUnreachable => "unreachable",
            _ => "invalid",
        })
    })?;
    let mode = if relink { OutputMode::Relink } else { OutputMode::Keep };
    let answer = match reply {
        Reply::Full(a) => a,
        Reply::Stream(s) => {
            // The certificate is stored at the end of the stream; its URL goes in the
            // response headers now.
            let mut id = [0u8; 16];
            util::random_bytes(&mut id).map_err(|_| ApiError::Internal)?;
            cert.id(id);
            let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
            let url = format!("{}/v1/certificates/{hex}", state.public_url);
            return chat_stream::respond(state, key.tenant, scope, mode, cert, now, &url, s);
        }
    };
    if answer.status.is_client_error() {
        state.metrics.upstream_error("status_4xx");
    } else if !answer.status.is_success() {
        state.metrics.upstream_error("status_5xx");
    }

    let max_depth = state.config.max_json_depth;
    let (text, edits) = check_answer(&answer, &mut scope, mode, max_depth)?;
    for (kind, n) in &scope.answer_counts() {
        state.metrics.findings(kind, "answer", *n);
    }

    cert.response(&answer.body).sanitized(&scope.finish());
    let (cert_id, cert_url) = issue(state, &key.tenant, cert, now).await?;

    let ok = answer.status.is_success();
    let out = if ok {
        let dsa = dsa_compliance(state, &cert_id, &cert_url, &request_counts)?;
        response::add_metadata(&text, edits, &dsa)
            .ok_or(ApiError::UpstreamInvalid("the answer is not a JSON object"))?
    } else {
        edits.apply(&text)
    };

    let mut resp = json_response(answer.status, out.into_bytes());
    let headers = resp.headers_mut();
    for (k, v) in &answer.headers {
        headers.insert(k.clone(), v.clone());
    }
    if !ok {
        if let Some(ct) = &answer.content_type {
            headers.insert(header::CONTENT_TYPE, ct.clone());
        }
    }
    if let Ok(v) = HeaderValue::from_str(&cert_url) {
        headers.insert(HeaderName::from_static(CERTIFICATE_HEADER), v);
    }
    Ok(resp)
}

/// Finds the texts of the answer and decides their replacements. Returns the answer as
/// text and the edits to make.
fn check_answer(
    answer: &Answer,
    scope: &mut RequestScope,
    mode: OutputMode,
    max_depth: usize,
) -> Result<(String, Edits), ApiError> {
    let ok = answer.status.is_success();
    let text = match std::str::from_utf8(&answer.body) {
        Ok(t) => t.to_string(),
        Err(_) if ok => return Err(ApiError::UpstreamInvalid("the answer is not UTF-8")),
        Err(_) => String::from_utf8_lossy(&answer.body).into_owned(),
    };
    let mut edits = Edits::default();
    match response::answer_texts(&text, max_depth) {
        Some(texts) => {
            for t in &texts {
                if let Some(new) = pipeline::answer_text(scope, &t.pointer, &t.value, t.kind, mode, max_depth) {
                    edits.string(t.range.clone(), &new);
                }
            }
        }
        None if ok => return Err(ApiError::UpstreamInvalid("the answer is not JSON")),
        None => {
            // An error page that is not JSON: check it as one text.
            if let Some(new) = pipeline::answer_text(scope, "", &text, TextKind::Plain, mode, max_depth) {
                edits.raw(0..text.len(), new);
            }
        }
    }
    Ok((text, edits))
}
