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

/// Request headers of the client that are passed on to the upstream (see
/// [`forward_request_headers`]); no other client header is.
pub const FORWARDED_REQUEST_HEADERS: &[&str] =
    &["accept", "openai-organization", "openai-project", "openai-beta", "idempotency-key"];

/// Headers that belong to one connection and never pass a proxy, in either direction
/// (RFC 9110 section 7.6.1), beside the headers a `Connection` header names.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Headers of an upstream request that only the gateway sets: credentials, framing and
/// the target. [`Upstream::post`] drops them from the extra headers it is given, so no
/// client header can replace the provider key or change how the body is framed.
const GATEWAY_ONLY_REQUEST_HEADERS: &[&str] = &[
    "authorization",
    "x-api-key",
    "api-key",
    "x-upstream-key",
    "cookie",
    "host",
    "content-length",
    "content-type",
    "content-encoding",
    "expect",
    "user-agent",
];

/// The names listed by the `Connection` headers of `headers`, lower-cased.
fn connection_tokens(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// True for a header that must not be passed on by a proxy.
fn is_hop_by_hop(name: &str, connection: &[String]) -> bool {
    HOP_BY_HOP.contains(&name) || connection.iter().any(|t| t == name)
}

/// The client's headers named in `names` (lower case; [`FORWARDED_REQUEST_HEADERS`] for
/// OpenAI's API) that may go upstream: not hop-by-hop ones, nor those the client's
/// `Connection` header names (those are for the gateway alone).
pub fn forward_request_headers(client: &HeaderMap, names: &[&'static str]) -> Vec<(HeaderName, HeaderValue)> {
    let connection = connection_tokens(client);
    names
        .iter()
        .filter(|n| !is_hop_by_hop(n, &connection))
        .filter_map(|n| client.get(*n).map(|v| (HeaderName::from_static(n), v.clone())))
        .collect()
}

/// Response headers of the upstream that are passed back to the client (unless the
/// upstream's `Connection` header names them): the request ids the providers' support
/// asks for, and when to retry.
const FORWARDED_RESPONSE_HEADERS: &[&str] = &[
    // OpenAI.
    "x-request-id",
    // Anthropic.
    "request-id",
    "anthropic-organization-id",
    "retry-after",
    "retry-after-ms",
];

/// Prefixes of further response headers passed back: OpenAI's `openai-organization`,
/// `openai-processing-ms`, `openai-version`, `openai-project` …, the rate limits of
/// OpenAI (`x-ratelimit-limit-requests` …) and of Anthropic
/// (`anthropic-ratelimit-requests-remaining` …).
const FORWARDED_RESPONSE_PREFIXES: &[&str] = &["openai-", "x-ratelimit-", "anthropic-ratelimit-"];

/// The headers of an upstream answer that may be passed back to the client: those of
/// [`FORWARDED_RESPONSE_HEADERS`] and [`FORWARDED_RESPONSE_PREFIXES`], never a
/// hop-by-hop one nor one the answer's `Connection` header names.
pub fn forward_response_headers(upstream: &HeaderMap) -> HeaderMap {
    let connection = connection_tokens(upstream);
    let mut headers = HeaderMap::new();
    for (k, v) in upstream {
        let name = k.as_str();
        let wanted = FORWARDED_RESPONSE_HEADERS.contains(&name)
            || FORWARDED_RESPONSE_PREFIXES.iter().any(|p| name.starts_with(p));
        if wanted && !is_hop_by_hop(name, &connection) {
            headers.append(k.clone(), v.clone());
        }
    }
    headers
}

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
    ///
    /// Extra headers that are hop-by-hop, credentials or framing are dropped: the
    /// `Authorization`, `Content-Type` and `Content-Length` (computed from `body`) sent
    /// are the gateway's. Of the answer, only the headers a client may see are kept
    /// (never hop-by-hop ones, nor those the upstream's `Connection` header names).
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
    /// `x-api-key`, say) instead of a bearer token. No extra header can replace it.
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
            .header(auth_name.clone(), auth)
            .header(header::USER_AGENT, concat!("lucairn/", env!("CARGO_PKG_VERSION")))
            .body(Full::new(body))
            .map_err(|_| ApiError::Internal)?;
        let headers = req.headers_mut();
        for (k, v) in extra {
            let name = k.as_str();
            if is_hop_by_hop(name, &[]) || GATEWAY_ONLY_REQUEST_HEADERS.contains(&name) || *k == auth_name {
                tracing::debug!(header = name, "header not forwarded");
                continue;
            }
            headers.insert(k.clone(), v.clone());
        }
        let call = async {
            let resp = self.client.request(req).await.map_err(|e| {
                let hyper_error = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<hyper::Error>());
                if e.is_connect() {
                    tracing::warn!(error = %e, "upstream unreachable");
                } else if hyper_error.is_some_and(hyper::Error::is_parse) {
                    tracing::warn!(error = %e, "upstream answer is not HTTP");
                    return ApiError::UpstreamInvalid("the answer is not valid HTTP");
                } else {
                    tracing::warn!(error = %e, "upstream request failed");
                }
                ApiError::UpstreamUnreachable
            })?;
            let (parts, body) = resp.into_parts();
            let headers = forward_response_headers(&parts.headers);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_end_to_end_headers_are_forwarded() {
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("accept", "application/json"),
            ("openai-beta", "assistants=v2"),
            ("idempotency-key", "k1"),
            ("connection", "keep-alive, Idempotency-Key"),
            ("keep-alive", "timeout=5"),
            ("authorization", "Bearer lcr_live_x"),
            ("x-api-key", "sk-other"),
            ("te", "trailers"),
        ] {
            h.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        let got: Vec<(String, String)> = forward_request_headers(&h, FORWARDED_REQUEST_HEADERS)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        // Idempotency-Key is named by Connection: it was meant for this hop only.
        assert_eq!(
            got,
            [("accept".to_string(), "application/json".to_string()), ("openai-beta".into(), "assistants=v2".into())]
        );
        assert!(is_hop_by_hop("upgrade", &[]) && is_hop_by_hop("x-custom", &["x-custom".into()]));
        assert!(!is_hop_by_hop("x-request-id", &["x-custom".into()]));
    }

    #[test]
    fn provider_ids_and_rate_limits_are_passed_back() {
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("request-id", "req_011"),
            ("anthropic-ratelimit-requests-remaining", "49"),
            ("anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:00Z"),
            ("x-request-id", "req_abc"),
            ("openai-processing-ms", "12"),
            ("x-ratelimit-remaining-tokens", "999"),
            ("retry-after", "3"),
            ("connection", "close, openai-hop"),
            ("openai-hop", "named by Connection"),
            ("keep-alive", "timeout=5"),
            ("transfer-encoding", "chunked"),
            ("set-cookie", "s=1"),
            ("server", "upstream"),
            ("x-other", "1"),
        ] {
            h.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        let got = forward_response_headers(&h);
        let mut names: Vec<&str> = got.keys().map(HeaderName::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "anthropic-ratelimit-requests-remaining",
                "anthropic-ratelimit-tokens-reset",
                "openai-processing-ms",
                "request-id",
                "retry-after",
                "x-ratelimit-remaining-tokens",
                "x-request-id"
            ]
        );
        assert_eq!(got.get("request-id").map(|v| v.as_bytes()), Some(&b"req_011"[..]));
    }
}
