//! Errors the gateway answers with, in the OpenAI error shape.
//!
//! Every failure inside the service becomes an [`ApiError`]: an HTTP status and a body
//! `{"error": {"message", "type", "param", "code"}}` that the OpenAI SDKs parse. Messages
//! never quote message text, values or keys.

use http::StatusCode;
use serde::Serialize;

/// An error answered to the client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request body is not valid JSON (or not UTF-8).
    #[error("the request body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The JSON nests deeper than the configured limit.
    #[error("the request body nests deeper than {0} levels")]
    TooDeep(usize),
    /// The same key appears twice in one JSON object.
    #[error("duplicate key {key:?} in {param}")]
    DuplicateKey { param: String, key: String },
    /// The body is larger than the configured limit.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(u64),
    /// A required field is missing.
    #[error("missing required parameter: '{0}'")]
    Missing(String),
    /// A field has the wrong JSON type.
    #[error("invalid type for '{param}': expected {expected}")]
    InvalidType { param: String, expected: &'static str },
    /// A field has a value out of range or not among the allowed ones.
    #[error("invalid value for '{param}': {message}")]
    InvalidValue { param: String, message: String },
    /// Content the gateway cannot sanitise (images, audio, files).
    #[error("'{param}' is {what}, which the gateway cannot sanitise; the policy does not allow it to pass")]
    UnsupportedContent { param: String, what: String },
    /// A header has a value the gateway does not understand.
    #[error("invalid value for header {header}: {message}")]
    InvalidHeader { header: &'static str, message: &'static str },
    /// A re-link token that does not open for this tenant.
    #[error("invalid relink_token: {0}")]
    InvalidRelinkToken(String),
    /// No `Authorization: Bearer` header.
    #[error("missing API key: send 'Authorization: Bearer lcr_...'")]
    MissingApiKey,
    /// The API key is unknown or malformed.
    #[error("invalid API key")]
    InvalidApiKey,
    /// The API key was revoked.
    #[error("this API key has been revoked")]
    RevokedApiKey,
    /// No `X-Upstream-Key` header on a model call.
    #[error("missing provider key: send it in the X-Upstream-Key header")]
    MissingUpstreamKey,
    /// The key's tier does not allow re-linking.
    #[error("re-linking original values is not available on the {0} tier")]
    RelinkNotAllowed(&'static str),
    /// No such route.
    #[error(
        "unknown URL: {method} {path}; nothing was forwarded. This gateway serves {}",
        crate::routes::SUPPORTED_ENDPOINTS
    )]
    NotFound { method: String, path: String },
    /// No such certificate.
    #[error("no certificate with this id")]
    CertificateNotFound,
    /// Known route, wrong method.
    #[error("method {method} is not allowed on {path}")]
    MethodNotAllowed { method: String, path: String, allow: &'static str },
    /// Connecting to the upstream failed.
    #[error("the upstream could not be reached")]
    UpstreamUnreachable,
    /// The upstream did not answer in time.
    #[error("the upstream did not answer in time")]
    UpstreamTimeout,
    /// The upstream answered something the gateway cannot check.
    #[error("the upstream answered with an invalid response: {0}")]
    UpstreamInvalid(&'static str),
    /// Sanitising failed; nothing was forwarded.
    #[error("sanitisation failed; nothing was forwarded")]
    Sanitization,
    /// The store (database) failed.
    #[error("internal storage error")]
    Storage,
    /// Anything else that should not happen.
    #[error("internal error")]
    Internal,
    /// The request body did not arrive within the body read timeout.
    #[error("the request body was not received in time")]
    RequestTimeout,
    /// The API key has used its requests per minute.
    #[error("rate limit reached for this API key ({per_minute} requests per minute); retry in {retry_after} s")]
    RateLimited { per_minute: u32, retry_after: u64 },
    /// As many requests as the gateway allows are in flight.
    #[error("the gateway is at its limit of {max} requests in flight; retry in {retry_after} s")]
    Overloaded { max: usize, retry_after: u64 },
    /// The gateway shut down before the upstream answered (its grace period ended).
    #[error("the gateway shut down before the upstream answered; the call was cut off")]
    ShutDown,
}

impl ApiError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            InvalidJson(_)
            | TooDeep(_)
            | DuplicateKey { .. }
            | Missing(_)
            | InvalidType { .. }
            | InvalidValue { .. }
            | UnsupportedContent { .. }
            | InvalidHeader { .. }
            | InvalidRelinkToken(_)
            | MissingUpstreamKey => StatusCode::BAD_REQUEST,
            TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            MissingApiKey | InvalidApiKey | RevokedApiKey => StatusCode::UNAUTHORIZED,
            RelinkNotAllowed(_) => StatusCode::FORBIDDEN,
            NotFound { .. } | CertificateNotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            UpstreamUnreachable | UpstreamInvalid(_) => StatusCode::BAD_GATEWAY,
            UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Sanitization | Storage | Internal => StatusCode::INTERNAL_SERVER_ERROR,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Overloaded { .. } | ShutDown => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The machine-readable `code`.
    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            InvalidJson(_) => "invalid_json",
            TooDeep(_) => "json_too_deep",
            DuplicateKey { .. } => "duplicate_key",
            TooLarge(_) => "request_too_large",
            Missing(_) => "missing_required_parameter",
            InvalidType { .. } => "invalid_type",
            InvalidValue { .. } => "invalid_value",
            UnsupportedContent { .. } => "unsupported_content",
            InvalidHeader { .. } => "invalid_header",
            InvalidRelinkToken(_) => "invalid_relink_token",
            MissingApiKey => "missing_api_key",
            InvalidApiKey => "invalid_api_key",
            RevokedApiKey => "api_key_revoked",
            MissingUpstreamKey => "missing_upstream_key",
            RelinkNotAllowed(_) => "relink_not_allowed",
            NotFound { .. } => "unknown_url",
            CertificateNotFound => "certificate_not_found",
            MethodNotAllowed { .. } => "method_not_allowed",
            UpstreamUnreachable => "upstream_unreachable",
            UpstreamTimeout => "upstream_timeout",
            UpstreamInvalid(_) => "upstream_invalid_response",
            Sanitization => "sanitization_failed",
            Storage => "storage_error",
            Internal => "internal_error",
            RequestTimeout => "request_timeout",
            RateLimited { .. } => "rate_limit_exceeded",
            Overloaded { .. } => "overloaded",
            ShutDown => "shutting_down",
        }
    }

    /// The OpenAI error `type`.
    pub fn kind(&self) -> &'static str {
        use ApiError::*;
        match self {
            MissingApiKey | InvalidApiKey | RevokedApiKey => "authentication_error",
            RelinkNotAllowed(_) => "permission_error",
            NotFound { .. } | CertificateNotFound => "not_found_error",
            UpstreamUnreachable | UpstreamTimeout | UpstreamInvalid(_) | ShutDown => "upstream_error",
            Sanitization | Storage | Internal | Overloaded { .. } => "server_error",
            // As OpenAI names request-rate errors.
            RateLimited { .. } => "requests",
            _ => "invalid_request_error",
        }
    }

    /// The request parameter the error is about, if any.
    pub fn param(&self) -> Option<&str> {
        use ApiError::*;
        match self {
            Missing(p) => Some(p),
            InvalidType { param, .. } | InvalidValue { param, .. } | UnsupportedContent { param, .. } => Some(param),
            DuplicateKey { param, .. } => Some(param),
            InvalidHeader { header, .. } => Some(header),
            InvalidRelinkToken(_) => Some("relink_token"),
            _ => None,
        }
    }

    /// The `Allow` header of a 405.
    pub fn allow(&self) -> Option<&'static str> {
        match self {
            ApiError::MethodNotAllowed { allow, .. } => Some(allow),
            _ => None,
        }
    }

    /// Seconds for the `Retry-After` header of a 429 or 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::RateLimited { retry_after, .. } | ApiError::Overloaded { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Vec<u8> {
        error_body(&self.to_string(), self.kind(), self.param(), Some(self.code()))
    }
}

/// Serialises an OpenAI-style error body.
pub fn error_body(message: &str, kind: &str, param: Option<&str>, code: Option<&str>) -> Vec<u8> {
    #[derive(Serialize)]
    struct Inner<'a> {
        message: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        param: Option<&'a str>,
        code: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Outer<'a> {
        error: Inner<'a>,
    }
    let body = Outer { error: Inner { message, kind, param, code } };
    // Serialising strings and options cannot fail.
    serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"error\":{\"message\":\"internal error\"}}".to_vec())
}
