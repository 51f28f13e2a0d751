//! Routing, and what every route shares: responses, errors, authentication, bodies.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;

use tokio_util::sync::CancellationToken;

use crate::auth;
use crate::error::ApiError;
use crate::limits::{BodyDeadline, RateLimited, retry_after_secs};
use crate::server::{Body, State};
use crate::store::KeyRecord;

pub mod certificates;
pub mod chat;
pub mod chat_stream;
pub mod embeddings;
pub mod messages;
pub mod sanitize;
pub mod scan;

/// A route, named for metrics and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    ChatCompletions,
    Embeddings,
    Messages,
    Scan,
    Sanitize,
    Relink,
    CertificateKeys,
    Certificate(String),
    Healthz,
    Metrics,
}

impl Route {
    fn label(&self) -> &'static str {
        match self {
            Route::ChatCompletions => "chat_completions",
            Route::Embeddings => "embeddings",
            Route::Messages => "messages",
            Route::Scan => "scan",
            Route::Sanitize => "sanitize",
            Route::Relink => "relink",
            Route::CertificateKeys => "certificate_keys",
            Route::Certificate(_) => "certificate",
            Route::Healthz => "healthz",
            Route::Metrics => "metrics",
        }
    }
}

/// What the gateway serves, as error messages name it. Any other path answers 404:
/// nothing is passed to the upstream unchecked.
pub const SUPPORTED_ENDPOINTS: &str = "POST /v1/chat/completions, POST /v1/messages, POST /v1/embeddings, POST /v1/scan, POST /v1/sanitize, POST /v1/relink, \
     GET /v1/certificates/{id}, GET /v1/certificates/keys, GET /healthz, GET /metrics";

/// The route of a path and the methods it allows.
fn route(path: &str) -> Option<(Route, &'static [Method], &'static str)> {
    const POST: &[Method] = &[Method::POST];
    const GET: &[Method] = &[Method::GET, Method::HEAD];
    Some(match path {
        "/v1/chat/completions" => (Route::ChatCompletions, POST, "POST"),
        "/v1/embeddings" => (Route::Embeddings, POST, "POST"),
        "/v1/messages" => (Route::Messages, POST, "POST"),
        "/v1/scan" => (Route::Scan, POST, "POST"),
        "/v1/sanitize" => (Route::Sanitize, POST, "POST"),
        "/v1/relink" => (Route::Relink, POST, "POST"),
        "/v1/certificates/keys" => (Route::CertificateKeys, GET, "GET, HEAD"),
        "/healthz" => (Route::Healthz, GET, "GET, HEAD"),
        "/metrics" => (Route::Metrics, GET, "GET, HEAD"),
        p => {
            let id = p.strip_prefix("/v1/certificates/")?;
            if id.is_empty() || id.contains('/') {
                return None;
            }
            (Route::Certificate(id.to_string()), GET, "GET, HEAD")
        }
    })
}

/// Answers one request. Never fails: every error becomes an OpenAI-style error response.
pub async fn handle(state: Arc<State>, req: Request<Incoming>) -> Response<Body> {
    let start = Instant::now();
    let method = req.method().clone();
    let found = route(req.uri().path());
    let label = found.as_ref().map_or("unknown", |(r, _, _)| r.label());
    // Anthropic's clients read Anthropic's error shape.
    let anthropic = matches!(found, Some((Route::Messages, _, _)));
    let result = match found {
        None => Err(ApiError::NotFound { method: method.to_string(), path: short_path(req.uri().path()) }),
        Some((_, methods, allow)) if !methods.contains(&method) => {
            Err(ApiError::MethodNotAllowed { method: method.to_string(), path: short_path(req.uri().path()), allow })
        }
        Some((r, _, _)) => dispatch(&state, r, req).await,
    };
    let resp = result.unwrap_or_else(|e| {
        if e.status().is_server_error() {
            tracing::error!(route = label, code = e.code(), "request failed");
        }
        if anthropic { crate::anthropic::error_response(&e) } else { error_response(&e) }
    });
    let status = resp.status().as_u16();
    let took = start.elapsed();
    state.metrics.request(label, status, took);
    tracing::info!(method = %method, route = label, status, micros = took.as_micros() as u64, "request");
    resp
}

async fn dispatch(state: &Arc<State>, route: Route, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    match route {
        Route::ChatCompletions => chat::chat_completions(state, req).await,
        Route::Embeddings => embeddings::embeddings(state, req).await,
        Route::Messages => messages::messages(state, req).await,
        Route::Scan => scan::scan(state, req).await,
        Route::Sanitize => sanitize::sanitize(state, req).await,
        Route::Relink => sanitize::relink(state, req).await,
        Route::CertificateKeys => certificates::keys(state),
        Route::Certificate(id) => certificates::certificate(state, &id, req.headers()).await,
        Route::Healthz => Ok(json_response(StatusCode::OK, b"{\"status\":\"ok\"}".to_vec())),
        Route::Metrics => {
            let mut r = full(StatusCode::OK, state.metrics.encode().into_bytes());
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
            );
            Ok(r)
        }
    }
}

/// Paths are echoed in error messages; keep them short.
fn short_path(p: &str) -> String {
    p.chars().take(100).collect()
}

/// A response with a complete body.
pub fn full(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let body = Full::new(Bytes::from(body)).map_err(|never| match never {}).boxed();
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r
}

/// A JSON response.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut r = full(status, body);
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// The OpenAI-style response of an error.
pub fn error_response(e: &ApiError) -> Response<Body> {
    let mut r = json_response(e.status(), e.body());
    if let Some(allow) = e.allow() {
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    if e.status() == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if let Some(secs) = e.retry_after() {
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    r
}

/// Checks the `Authorization: Bearer lcr_...` header against the store.
pub async fn authenticate(state: &State, headers: &HeaderMap) -> Result<KeyRecord, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or(ApiError::MissingApiKey)?;
    let token = auth::bearer(value.as_bytes()).ok_or(ApiError::InvalidApiKey)?;
    authenticate_token(state, token).await
}

/// Checks a presented gateway key (`lcr_...`) against the store, and counts the request
/// against the key's rate.
pub async fn authenticate_token(state: &State, token: &str) -> Result<KeyRecord, ApiError> {
    let id = auth::key_id(token).ok_or(ApiError::InvalidApiKey)?.to_string();
    let presented = auth::hash(token);
    let rec = state.store.key(&id).await.map_err(|e| {
        tracing::error!(error = %e, "key lookup failed");
        ApiError::Storage
    })?;
    let rec = rec.ok_or(ApiError::InvalidApiKey)?;
    if !auth::hashes_match(&presented, &rec.hash) {
        return Err(ApiError::InvalidApiKey);
    }
    if rec.revoked_at.is_some() {
        return Err(ApiError::RevokedApiKey);
    }
    state.limits.check_rate(&rec.id, rec.rate_limit).map_err(|RateLimited { per_minute, retry_after }| {
        ApiError::RateLimited { per_minute, retry_after: retry_after_secs(retry_after) }
    })?;
    Ok(rec)
}

/// Reads a request body of at most `limit` bytes; a larger declared length is refused
/// before anything is read. A body that has not arrived by the request's
/// [`BodyDeadline`] (set by the server) is refused with 408.
pub async fn read_body(req: Request<Incoming>, limit: u64) -> Result<Bytes, ApiError> {
    let deadline = req.extensions().get::<BodyDeadline>().copied();
    if let Some(len) = req.headers().get(header::CONTENT_LENGTH) {
        let len: u64 = len
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or(ApiError::InvalidHeader { header: "content-length", message: "not a number" })?;
        if len > limit {
            return Err(ApiError::TooLarge(limit));
        }
    }
    // Cancelled when the shutdown grace period ends (set by the server, like the deadline).
    let cut = req.extensions().get::<CancellationToken>().cloned().unwrap_or_default();
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let collect = Limited::new(req.into_body(), limit_usize).collect();
    let timed = async {
        match deadline {
            Some(BodyDeadline(at)) => tokio::time::timeout_at(at, collect).await.map_err(|_| ApiError::RequestTimeout),
            None => Ok(collect.await),
        }
    };
    let collected = tokio::select! {
        r = timed => r?,
        _ = cut.cancelled() => return Err(ApiError::ShutDown),
    };
    match collected {
        Ok(b) => Ok(b.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err(ApiError::TooLarge(limit)),
        Err(_) => Err(ApiError::InvalidJson("the request body could not be read".into())),
    }
}
