//! The Anthropic Messages API (`POST /v1/messages`): request validation and the list of
//! texts to sanitise ([`request`]), checking answers ([`response`]) and streamed answers
//! ([`stream`]), and errors in Anthropic's shape.
//!
//! The sanitisation is the same as for chat completions (one [`RequestScope`] per
//! request, the same placeholders, the same certificate records): only the places of the
//! texts differ.
//!
//! [`RequestScope`]: crate::pipeline::RequestScope

use http::header::{self, HeaderValue};
use serde::Serialize;

use crate::error::ApiError;
use crate::routes::{error_response as openai_error_response, json_response};
use crate::server::Body;

pub mod request;
pub mod response;
pub mod stream;

/// The `anthropic-version` sent upstream when the client sends none.
pub const DEFAULT_VERSION: &str = "2023-06-01";

/// Request headers of the client passed on to an Anthropic upstream.
pub const FORWARDED_REQUEST_HEADERS: &[&str] = &["accept", "anthropic-version", "anthropic-beta", "idempotency-key"];

/// Anthropic's error `type` for an error of the gateway.
pub fn error_type(e: &ApiError) -> &'static str {
    match e.status().as_u16() {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        400..=499 => "invalid_request_error",
        _ => "api_error",
    }
}

/// `{"type": "error", "error": {"type": kind, "message": message}}`.
pub fn error_body(kind: &str, message: &str) -> Vec<u8> {
    #[derive(Serialize)]
    struct Inner<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        message: &'a str,
    }
    #[derive(Serialize)]
    struct Outer<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        error: Inner<'a>,
    }
    serde_json::to_vec(&Outer { kind: "error", error: Inner { kind, message } }).unwrap_or_else(|_| {
        b"{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"internal error\"}}".to_vec()
    })
}

/// The response to an error of `/v1/messages`: the status and headers of the OpenAI-style
/// response, Anthropic's body.
pub fn error_response(e: &ApiError) -> http::Response<Body> {
    let openai = openai_error_response(e);
    let mut r = json_response(e.status(), error_body(error_type(e), &e.to_string()));
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = openai.headers().get(&name) {
            r.headers_mut().insert(name, v.clone());
        }
    }
    if e.status() == http::StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_anthropic_shape() {
        let v: serde_json::Value =
            serde_json::from_slice(&error_body(error_type(&ApiError::InvalidApiKey), "invalid API key")).expect("json");
        assert_eq!(
            v,
            serde_json::json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid API key"}})
        );
        assert_eq!(error_type(&ApiError::Missing("model".into())), "invalid_request_error");
        assert_eq!(error_type(&ApiError::TooLarge(1)), "request_too_large");
        assert_eq!(error_type(&ApiError::UpstreamUnreachable), "api_error");
    }
}
