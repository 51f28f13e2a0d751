//! The client to the model provider: hyper over rustls (ring, webpki roots), HTTP/1.1
//! and HTTP/2, with a connect timeout and a total timeout per call.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::ApiError;

/// Largest upstream answer read (bytes).
const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// Request headers of the client that are passed on to the upstream.
pub const FORWARDED_REQUEST_HEADERS: &[&str] =
    &["accept", "openai-organization", "openai-project", "openai-beta", "idempotency-key"];

/// Response headers of the upstream that are passed back to the client.
const FORWARDED_RESPONSE_HEADERS: &[&str] = &[
    "x-request-id",
    "openai-organization",
    "openai-processing-ms",
    "openai-version",
    "openai-project",
    "retry-after",
    "retry-after-ms",
];

/// An answer from the upstream.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    /// The headers that may be passed back to the client.
    pub headers: HeaderMap,
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
}

/// A streamed answer (a 2xx `text/event-stream`): status and headers, the body still to
/// be read. Dropping the body cancels the upstream request.
#[derive(Debug)]
pub struct StreamAnswer {
    pub status: StatusCode,
    /// The headers that may be passed back to the client.
    pub headers: HeaderMap,
    pub body: Incoming,
}

/// What the upstream answered.
#[derive(Debug)]
pub enum Reply {
    /// A whole answer (any answer to a call that did not ask for a stream, and errors).
    Full(Answer),
    /// A stream of server-sent events.
    Stream(StreamAnswer),
}

/// The upstream: base URL and a pooled client.
#[derive(Debug, Clone)]
pub struct Upstream {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    base: Arc<str>,
    total_timeout: Duration,
}

/// Why the upstream client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot set up TLS for the upstream client: {0}")]
pub struct ClientError(String);

impl Upstream {
    /// A client for `base` (an http or https URL without trailing slash).
    pub fn new(base: &str, connect_timeout: Duration, total_timeout: Duration) -> Result<Upstream, ClientError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(connect_timeout));
        http.set_nodelay(true);
        // ring keeps the build light (no C toolchain for aws-lc); it has no post-quantum
        // key exchange, which rustls marks by deprecating its provider constructor.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(|e| ClientError(e.to_string()))?
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(https);
        Ok(Upstream { client, base: Arc::from(base), total_timeout })
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// POSTs `body` (JSON) to `base + path`, with the provider key as bearer token and
    /// the given extra headers, and reads the whole answer; with `stream`, a 2xx
    /// `text/event-stream` answer is returned unread once its headers arrive (the total
    /// timeout then bounds only the wait for the headers).
    pub async fn post(
        &self,
        path: &str,
        provider_key: &HeaderValue,
        extra: &[(HeaderName, HeaderValue)],
        body: Bytes,
        stream: bool,
    ) -> Result<Reply, ApiError> {
        let auth = HeaderValue::from_bytes(&[b"Bearer ", provider_key.as_bytes()].concat())
            .map_err(|_| ApiError::InvalidHeader { header: "x-upstream-key", message: "not a valid header value" })?;
        self.post_with(path, (header::AUTHORIZATION, auth), extra, body, stream).await
    }

    /// [`post`](Upstream::post) with the provider key in the header `auth` (Anthropic's
    /// `x-api-key`, say) instead of a bearer token.
    pub async fn post_with(
        &self,
        path: &str,
        auth: (HeaderName, HeaderValue),
        extra: &[(HeaderName, HeaderValue)],
        body: Bytes,
        stream: bool,
    ) -> Result<Reply, ApiError> {
        let uri = format!("{}{path}", self.base);
        let (auth_name, mut auth) = auth;
        auth.set_sensitive(true);
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(auth_name, auth)
            .header(header::USER_AGENT, concat!("lucairn/", env!("CARGO_PKG_VERSION")))
            .body(Full::new(body))
            .map_err(|_| ApiError::Internal)?;
        let headers = req.headers_mut();
        for (k, v) in extra {
            headers.insert(k.clone(), v.clone());
        }
        let call = async {
            let resp = self.client.request(req).await.map_err(|e| {
                if e.is_connect() {
                    tracing::warn!(error = %e, "upstream unreachable");
                } else {
                    tracing::warn!(error = %e, "upstream request failed");
                }
                ApiError::UpstreamUnreachable
            })?;
            let (parts, body) = resp.into_parts();
            let mut headers = HeaderMap::new();
            for name in FORWARDED_RESPONSE_HEADERS {
                if let Some(v) = parts.headers.get(*name) {
                    headers.insert(HeaderName::from_static(name), v.clone());
                }
            }
            for (k, v) in &parts.headers {
                if k.as_str().starts_with("x-ratelimit-") {
                    headers.insert(k.clone(), v.clone());
                }
            }
            let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
            let is_sse = content_type
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/event-stream"));
            if stream && parts.status.is_success() && is_sse {
                return Ok(Reply::Stream(StreamAnswer { status: parts.status, headers, body }));
            }
            let body = Limited::new(body, MAX_ANSWER_BYTES).collect().await.map_err(|e| {
                tracing::warn!(error = %e, "upstream answer unreadable");
                ApiError::UpstreamInvalid("the answer could not be read in full")
            })?;
            Ok(Reply::Full(Answer { status: parts.status, headers, content_type, body: body.to_bytes() }))
        };
        match tokio::time::timeout(self.total_timeout, call).await {
            Ok(r) => r,
            Err(_) => {
                tracing::warn!(timeout_s = self.total_timeout.as_secs_f64(), "upstream timed out");
                Err(ApiError::UpstreamTimeout)
            }
        }
    }
}

/// GETs `url` (http or https) and returns the body of a 2xx answer.
pub async fn get(url: &str, timeout: Duration) -> Result<Bytes, String> {
    let uri: http::Uri = url.parse().map_err(|_| format!("invalid URL {url:?}"))?;
    let up = Upstream::new("", timeout, timeout).map_err(|e| e.to_string())?;
    let req = Request::builder()
        .method(Method::GET)
        .uri(uri)
        .header(header::ACCEPT, "application/json")
        .body(Full::new(Bytes::new()))
        .map_err(|e| e.to_string())?;
    let call = async {
        let resp = up.client.request(req).await.map_err(|e| format!("{url}: {e}"))?;
        let status = resp.status();
        let body = Limited::new(resp.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(|e| format!("{url}: {e}"))?
            .to_bytes();
        if !status.is_success() {
            return Err(format!("{url}: HTTP {status}"));
        }
        Ok(body)
    };
    tokio::time::timeout(timeout, call).await.map_err(|_| format!("{url}: timed out"))?
}
