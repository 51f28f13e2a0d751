//! `POST /v1/messages` (Anthropic Messages API): authenticate, validate, sanitise,
//! forward to the Anthropic upstream, check the answer (whole or streamed), certify.
//!
//! The gateway key comes in `x-api-key` (what the `anthropic` SDKs send with `api_key`)
//! or `Authorization: Bearer`; the provider key in `X-Upstream-Key`, as for chat
//! completions. The upstream receives the provider key as `x-api-key` and the client's
//! `anthropic-version` (`2023-06-01` when it sends none) and `anthropic-beta`. Errors are
//! answered in Anthropic's shape (`{"type": "error", "error": {"type", "message"}}`).

use std::sync::Arc;

use bytes::Bytes;
use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response};
use hyper::body::Incoming;
use lucairn_core::{CertificateBuilder, OutputMode, rfc3339_utc};
use tokio::sync::mpsc;

use crate::anthropic::{self, request, response, stream::Rewriter};
use crate::error::ApiError;
use crate::openai::chat::Limits;
use crate::pipeline::RequestScope;
use crate::routes::chat::{
    call_upstream, certify_answer, certify_failure, check_answer, count_request, off_reactor, provider_key,
    relink_mode, stream_certificate_id,
};
use crate::routes::chat_stream::{Failure, Stop, finish, pump, start};
use crate::routes::{authenticate, authenticate_token, read_body};
use crate::server::{Body, State};
use crate::store::KeyRecord;
use crate::upstream::Reply;
use crate::util;

/// The gateway key: `x-api-key` (the SDKs' way), else `Authorization: Bearer`.
async fn key(state: &State, headers: &http::HeaderMap) -> Result<KeyRecord, ApiError> {
    match (headers.get(header::AUTHORIZATION), headers.get("x-api-key")) {
        (None, Some(v)) => {
            let token = v.to_str().map_err(|_| ApiError::InvalidApiKey)?.trim();
            authenticate_token(state, token).await
        }
        _ => authenticate(state, headers).await,
    }
}

fn prepare(state: &State, tenant: &str, body: &Bytes) -> Result<(String, RequestScope, bool), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::InvalidJson(format!("the request body is not UTF-8 (at byte {})", e.valid_up_to())))?;
    let limits = Limits { max_depth: state.config.max_json_depth, allow_media: state.config.allow_media };
    let req = request::parse(text, &limits)?;
    let mut scope = state.pipeline.request(tenant);
    let forward = request::sanitize(&mut scope, text, &req.texts, limits.max_depth)?;
    Ok((forward, scope, req.stream))
}

pub async fn messages(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    let key = key(state, req.headers()).await?;
    let relink = relink_mode(&key, req.headers())?;
    let provider_key = provider_key(req.headers())?;
    let mut extra = crate::upstream::forward_request_headers(req.headers(), anthropic::FORWARDED_REQUEST_HEADERS);
    if !extra.iter().any(|(k, _)| k == "anthropic-version") {
        extra
            .push((HeaderName::from_static("anthropic-version"), HeaderValue::from_static(anthropic::DEFAULT_VERSION)));
    }
    let body = read_body(req, state.config.max_body_bytes).await?;
    let tenant = key.tenant.clone();
    let (forward, mut scope, stream) = off_reactor(state, body, move |st, b| prepare(st, &tenant, b)).await?;
    let request_counts = count_request(state, &scope);

    let now = util::now_unix();
    let mut cert = CertificateBuilder::new(state.public_url.clone(), rfc3339_utc(now));
    cert.engine(state.pipeline.engine()).request(forward.as_bytes());
    let auth = (HeaderName::from_static("x-api-key"), provider_key);
    let send = state.anthropic.post_with("/v1/messages", auth, &extra, Bytes::from(forward), stream);
    let reply = match call_upstream(state, send).await {
        Ok(r) => r,
        Err(e) => return certify_failure(state, &key.tenant, cert, now, scope, e, anthropic::error_response).await,
    };
    let mode = if relink { OutputMode::Relink } else { OutputMode::Keep };
    let answer = match reply {
        Reply::Full(a) => a,
        Reply::Stream(s) => {
            let url = stream_certificate_id(state, &mut cert)?;
            let state2 = state.clone();
            return Ok(start(state, &url, s, |body, tx| drive(state2, key.tenant, scope, mode, cert, now, body, tx)));
        }
    };
    let depth = state.config.max_json_depth;
    let ok = answer.status.is_success();
    cert.response(&answer.body);
    let checked = if ok {
        std::str::from_utf8(&answer.body)
            .map_err(|_| ApiError::UpstreamInvalid("the answer is not UTF-8"))
            .and_then(|text| Ok((text.to_string(), response::check(text, &mut scope, mode, depth)?)))
    } else {
        check_answer(&answer, &mut scope, mode, depth, &|_| false)
    };
    let (text, edits) = match checked {
        Ok(c) => c,
        Err(e) => return certify_failure(state, &key.tenant, cert, now, scope, e, anthropic::error_response).await,
    };
    certify_answer(state, &key.tenant, cert, now, scope, &answer, &text, edits, &request_counts).await
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    state: Arc<State>,
    tenant: String,
    scope: RequestScope,
    mode: OutputMode,
    cert: CertificateBuilder,
    now: i64,
    mut body: Incoming,
    tx: mpsc::Sender<Bytes>,
) {
    let mut rw = Rewriter::new(scope, mode, state.config.max_json_depth);
    let mut raw: Vec<u8> = Vec::new();
    let end = match pump(&state, &mut body, &tx, &mut rw, &mut raw).await {
        // Anthropic's stream ends with `message_stop`; a body that ends before it broke off.
        Stop::Ended => Stop::Failed(Failure::ENDED_EARLY),
        stop => stop,
    };
    // Stops the upstream request if it is still running.
    drop(body);
    let Some((mut out, dsa)) = finish(&state, &tenant, cert, now, &end, &mut rw, &raw).await else { return };
    let failure = match end {
        Stop::Failed(f) => Some(f.message),
        _ => None,
    };
    match dsa {
        Ok(dsa) => out.extend(rw.closing(Some(&dsa), failure)),
        Err(e) => out.extend(rw.closing(None, Some(&e.to_string()))),
    }
    let _ = tx.send(Bytes::from(out)).await;
}
