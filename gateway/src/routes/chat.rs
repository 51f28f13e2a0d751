//! `POST /v1/chat/completions`: authenticate, validate, sanitise, forward, check the
//! answer, certify.

use std::collections::BTreeMap;
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
use crate::routes::{authenticate, error_response, json_response, read_body};
use crate::server::{Body, State};
use crate::store::KeyRecord;
use crate::upstream::{Answer, FORWARDED_REQUEST_HEADERS, Reply, forward_request_headers};
use crate::util;

/// Bodies larger than this are sanitised on the blocking pool, off the reactor.
const INLINE_LIMIT: usize = 64 * 1024;

/// The header that names the certificate URL.
pub const CERTIFICATE_HEADER: &str = "x-lucairn-certificate";

/// Whether placeholders are re-linked for this request.
pub fn relink_mode(key: &KeyRecord, headers: &http::HeaderMap) -> Result<bool, ApiError> {
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

/// The provider key of a model call: the `X-Upstream-Key` header.
pub fn provider_key(headers: &http::HeaderMap) -> Result<HeaderValue, ApiError> {
    match headers.get("x-upstream-key") {
        Some(v) if !v.as_bytes().iter().all(u8::is_ascii_whitespace) => Ok(v.clone()),
        _ => Err(ApiError::MissingUpstreamKey),
    }
}

/// Runs `f` (validation and sanitisation of `body`) inline for small bodies and on the
/// blocking pool for large ones, off the reactor.
pub async fn off_reactor<T, F>(state: &Arc<State>, body: Bytes, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&State, &Bytes) -> Result<T, ApiError> + Send + 'static,
{
    if body.len() > INLINE_LIMIT {
        let st = state.clone();
        tokio::task::spawn_blocking(move || f(&st, &body)).await.map_err(|_| ApiError::Sanitization)?
    } else {
        f(state, &body)
    }
}

/// Counts the findings of a sanitised request in the metrics and returns them per kind.
pub fn count_request(state: &State, scope: &RequestScope) -> BTreeMap<String, u64> {
    let request_counts = scope.request_counts();
    for (kind, n) in &request_counts {
        state.metrics.findings(kind, "request", *n);
    }
    request_counts
}

/// Calls the upstream with the metrics of the call; `send` makes the request.
pub async fn call_upstream<F>(state: &State, send: F) -> Result<Reply, ApiError>
where
    F: std::future::Future<Output = Result<Reply, ApiError>>,
{
    let started = Instant::now();
    // At the end of the shutdown grace period the call is cut off; the caller certifies
    // that (see `failure_kind`).
    let reply = tokio::select! {
        r = send => r,
        _ = state.cut.cancelled() => Err(ApiError::ShutDown),
    };
    state.metrics.upstream(started.elapsed());
    let reply = reply.inspect_err(|e| {
        state.metrics.upstream_error(match e {
            ApiError::UpstreamTimeout => "timeout",
            ApiError::UpstreamUnreachable => "unreachable",
            ApiError::ShutDown => "shutdown",
            _ => "invalid",
        })
    })?;
    if let Reply::Full(answer) = &reply {
        if answer.status.is_client_error() {
            state.metrics.upstream_error("status_4xx");
        } else if !answer.status.is_success() {
            state.metrics.upstream_error("status_5xx");
        }
    }
    Ok(reply)
}

/// The certificate's record of an upstream call that failed without an answer
/// ([`lucairn_core::UpstreamError::kind`]); `None` for errors that happen before
/// anything is sent.
pub fn failure_kind(e: &ApiError) -> Option<&'static str> {
    match e {
        ApiError::UpstreamTimeout => Some("timeout"),
        ApiError::UpstreamUnreachable => Some("unreachable"),
        ApiError::UpstreamInvalid(_) => Some("invalid_response"),
        ApiError::ShutDown => Some("shutdown"),
        _ => None,
    }
}

/// Records an upstream answer that is not a success in the certificate: an error status
/// as `http_status`, anything else (a redirect) as `invalid_response`.
pub fn record_status(cert: &mut CertificateBuilder, status: http::StatusCode) {
    if status.is_client_error() || status.is_server_error() {
        cert.upstream_error(Some(status.as_u16()), "http_status");
    } else if !status.is_success() {
        cert.upstream_error(None, "invalid_response");
    }
}

/// The upstream call failed after the request was sent, or its answer cannot be checked:
/// certifies what was sent (the request's records and the failure, no message text) and
/// answers `e` in `shape` with the certificate header. An error that happened before
/// anything was sent is returned as it is.
#[allow(clippy::too_many_arguments)]
pub async fn certify_failure(
    state: &Arc<State>,
    tenant: &str,
    mut cert: CertificateBuilder,
    now: i64,
    scope: RequestScope,
    e: ApiError,
    shape: fn(&ApiError) -> Response<Body>,
) -> Result<Response<Body>, ApiError> {
    let Some(kind) = failure_kind(&e) else { return Err(e) };
    cert.sanitized(&scope.finish()).upstream_error(None, kind);
    match issue(state, tenant, cert, now).await {
        Ok((_, url)) => {
            tracing::warn!(code = e.code(), "upstream call failed; certified");
            let mut r = shape(&e);
            if let Ok(v) = HeaderValue::from_str(&url) {
                r.headers_mut().insert(HeaderName::from_static(CERTIFICATE_HEADER), v);
            }
            Ok(r)
        }
        Err(_) => Err(e),
    }
}

/// A fixed certificate id for a streamed answer (its certificate is stored at the end
/// of the stream, its URL goes in the response headers at once), and that URL.
pub fn stream_certificate_id(state: &State, cert: &mut CertificateBuilder) -> Result<String, ApiError> {
    let mut id = [0u8; 16];
    util::random_bytes(&mut id).map_err(|_| ApiError::Internal)?;
    cert.id(id);
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}/v1/certificates/{hex}", state.public_url))
}

/// Certifies a whole, checked answer and returns its response: counts the answer's
/// findings, records an error status, stores the certificate and, for a success, adds
/// `metadata.dsa_compliance` to the checked answer (`text` with `edits`).
#[allow(clippy::too_many_arguments)]
pub async fn certify_answer(
    state: &Arc<State>,
    tenant: &str,
    mut cert: CertificateBuilder,
    now: i64,
    scope: RequestScope,
    answer: &Answer,
    text: &str,
    edits: Edits,
    request_counts: &BTreeMap<String, u64>,
) -> Result<Response<Body>, ApiError> {
    for (kind, n) in &scope.answer_counts() {
        state.metrics.findings(kind, "answer", *n);
    }
    record_status(&mut cert, answer.status);
    cert.sanitized(&scope.finish());
    let (cert_id, cert_url) = issue(state, tenant, cert, now).await?;
    let out = if answer.status.is_success() {
        let dsa = dsa_compliance(state, &cert_id, &cert_url, request_counts)?;
        response::add_metadata(text, edits, &dsa).ok_or(ApiError::UpstreamInvalid("the answer is not a JSON object"))?
    } else {
        edits.apply(text)
    };
    Ok(answer_response(answer, out, &cert_url))
}

/// The response to a whole upstream answer: `out` with the answer's status and the
/// headers it may pass on (and its content type when it is an error), plus the
/// certificate header.
pub fn answer_response(answer: &Answer, out: String, cert_url: &str) -> Response<Body> {
    let ok = answer.status.is_success();
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
    if let Ok(v) = HeaderValue::from_str(cert_url) {
        headers.insert(HeaderName::from_static(CERTIFICATE_HEADER), v);
    }
    resp
}

pub async fn chat_completions(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    let key = authenticate(state, req.headers()).await?;
    let relink = relink_mode(&key, req.headers())?;
    let provider_key = provider_key(req.headers())?;
    let extra = forward_request_headers(req.headers(), FORWARDED_REQUEST_HEADERS);
    let body = read_body(req, state.config.max_body_bytes).await?;

    let tenant = key.tenant.clone();
    let (forward, mut scope, stream) = off_reactor(state, body, move |st, b| prepare(st, &tenant, b)).await?;
    let request_counts = count_request(state, &scope);

    let now = util::now_unix();
    let mut cert = CertificateBuilder::new(state.public_url.clone(), rfc3339_utc(now));
    cert.engine(state.pipeline.engine()).request(forward.as_bytes());
    let send = state.upstream.post("/chat/completions", &provider_key, &extra, Bytes::from(forward), stream);
    let reply = match call_upstream(state, send).await {
        Ok(r) => r,
        Err(e) => return certify_failure(state, &key.tenant, cert, now, scope, e, error_response).await,
    };
    let mode = if relink { OutputMode::Relink } else { OutputMode::Keep };
    let answer = match reply {
        Reply::Full(a) => a,
        Reply::Stream(s) => {
            let url = stream_certificate_id(state, &mut cert)?;
            let state2 = state.clone();
            return Ok(chat_stream::start(state, &url, s, |body, tx| {
                chat_stream::drive(state2, key.tenant, scope, mode, cert, now, body, tx)
            }));
        }
    };

    let max_depth = state.config.max_json_depth;
    cert.response(&answer.body);
    let (text, edits) = match check_answer(&answer, &mut scope, mode, max_depth, &|_| false) {
        Ok(c) => c,
        Err(e) => return certify_failure(state, &key.tenant, cert, now, scope, e, error_response).await,
    };
    certify_answer(state, &key.tenant, cert, now, scope, &answer, &text, edits, &request_counts).await
}

/// Finds the texts of the answer and decides their replacements. Returns the answer as
/// text and the edits to make.
/// Strings at pointers for which `skip` is true are not texts (an embedding in base64).
pub fn check_answer(
    answer: &Answer,
    scope: &mut RequestScope,
    mode: OutputMode,
    max_depth: usize,
    skip: &dyn Fn(&str) -> bool,
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
            for t in texts.iter().filter(|t| !skip(&t.pointer)) {
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
