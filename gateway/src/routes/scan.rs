//! `POST /v1/scan`: findings for texts, without a model call.
//!
//! Request `{"texts": ["...", ...]}` (or `{"text": "..."}`); answer
//! `{"results": [{"findings": [{"kind", "start", "end", "score"}]}]}` with byte offsets
//! into each text, in input order. Values are not echoed.

use std::sync::Arc;

use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::json;
use crate::routes::{authenticate, json_response, read_body};
use crate::server::{Body, State};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    #[serde(default)]
    texts: Option<Vec<String>>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    kind: &'a str,
    start: usize,
    end: usize,
    score: f64,
}

#[derive(Serialize)]
struct Result_<'a> {
    findings: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
struct ScanResponse<'a> {
    results: Vec<Result_<'a>>,
}

pub async fn scan(state: &Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, ApiError> {
    authenticate(state, req.headers()).await?;
    let body = read_body(req, state.config.max_body_bytes).await?;
    if json::check_depth(&body, state.config.max_json_depth).is_err() {
        return Err(ApiError::TooDeep(state.config.max_json_depth));
    }
    let parsed: ScanRequest = serde_json::from_slice(&body).map_err(|e| {
        // serde's messages for wrong types quote the value; keep only the position.
        ApiError::InvalidJson(format!(
            "expected {{\"texts\": [string, ...]}} or {{\"text\": string}} (line {} column {})",
            e.line(),
            e.column()
        ))
    })?;
    let texts = match (parsed.texts, parsed.text) {
        (Some(t), None) => t,
        (None, Some(t)) => vec![t],
        (None, None) => return Err(ApiError::Missing("texts".into())),
        (Some(_), Some(_)) => {
            return Err(ApiError::InvalidValue {
                param: "text".into(),
                message: "send texts or text, not both".into(),
            });
        }
    };
    let st = state.clone();
    let out = tokio::task::spawn_blocking(move || {
        let engine = st.pipeline.engine();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let all = engine.scan_many(&refs);
        let resp = ScanResponse {
            results: all
                .iter()
                .map(|fs| Result_ {
                    findings: fs
                        .iter()
                        .map(|f| FindingOut {
                            kind: engine.kind_name(f.kind),
                            start: f.span.start,
                            end: f.span.end,
                            score: (f64::from(f.score) * 1000.0).round() / 1000.0,
                        })
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_vec(&resp)
    })
    .await
    .map_err(|_| ApiError::Internal)?
    .map_err(|_| ApiError::Internal)?;
    Ok(json_response(StatusCode::OK, out))
}
