//! `POST /v1/chat/completions` with `stream: true`: the upstream's events, rewritten by
//! [`Rewriter`], sent on as they come; the certificate is stored before the closing
//! events.
//!
//! The client receives, in order: the upstream's chunks with their texts checked, the
//! text held back until the end, a chunk with no choices carrying
//! `metadata.dsa_compliance` (sent only once the certificate is stored), then
//! `data: [DONE]`. If the upstream breaks off, stays silent longer than the idle timeout,
//! or sends an event too long to check, the client gets what was checked so far, the
//! metadata chunk, then an error event `{"error": {...}}` (and no `[DONE]`). If the client
//! goes away, the upstream request is dropped; the certificate of what was sent upstream
//! is stored all the same.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::Response;
use http::header::{self, HeaderName, HeaderValue};
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming};
use lucairn_core::{CertificateBuilder, OutputMode};
use tokio::sync::mpsc;

use crate::error::{ApiError, error_body};
use crate::openai::stream::Rewriter;
use crate::pipeline::{self, RequestScope};
use crate::routes::certificates::{dsa_compliance, issue};
use crate::routes::chat::CERTIFICATE_HEADER;
use crate::server::{Body, BoxError, State};
use crate::upstream::StreamAnswer;

/// Most bytes of one streamed answer.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// A response body fed by a channel; the sender sees when the client goes away.
#[derive(Debug)]
pub struct ChannelBody {
    pub rx: mpsc::Receiver<Bytes>,
}

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.rx.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b))))
    }
}

/// The message of the error event of a stream cut off at the end of the shutdown grace
/// period.
pub const SHUTDOWN_MESSAGE: &str = "the gateway shut down; the stream was cut off";

/// How the upstream stream ended.
enum End {
    /// `data: [DONE]`.
    Done,
    /// The body ended without `[DONE]`.
    Ended,
    /// The client went away.
    Gone,
    /// Broken off, silent too long, or unreadable: the error's code and message.
    Failed(&'static str, &'static str),
}

/// Starts streaming the answer; returns the response at once.
#[allow(clippy::too_many_arguments)]
pub fn respond(
    state: &Arc<State>,
    tenant: String,
    scope: RequestScope,
    mode: OutputMode,
    cert: CertificateBuilder,
    now: i64,
    certificate_url: &str,
    answer: StreamAnswer,
) -> Result<Response<Body>, ApiError> {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    // Tracked: shutdown waits for the certificate even when the client has left.
    state.tasks.spawn(drive(state.clone(), tenant, scope, mode, cert, now, answer.body, tx));
    let mut resp = Response::new(ChannelBody { rx }.boxed());
    *resp.status_mut() = answer.status;
    let headers = resp.headers_mut();
    for (k, v) in &answer.headers {
        headers.insert(k.clone(), v.clone());
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(certificate_url) {
        headers.insert(HeaderName::from_static(CERTIFICATE_HEADER), v);
    }
    Ok(resp)
}

fn error_event(code: &str, message: &str) -> Bytes {
    let body = error_body(message, "upstream_error", None, Some(code));
    let mut out = Vec::with_capacity(body.len() + 8);
    crate::sse::encode(None, &String::from_utf8_lossy(&body), &mut out);
    Bytes::from(out)
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    state: Arc<State>,
    tenant: String,
    scope: RequestScope,
    mode: OutputMode,
    mut cert: CertificateBuilder,
    now: i64,
    mut body: Incoming,
    tx: mpsc::Sender<Bytes>,
) {
    let idle = state.config.stream_idle_timeout;
    let mut rw = Rewriter::new(scope, mode, state.config.max_json_depth);
    let mut raw: Vec<u8> = Vec::new();
    let end = loop {
        let next = tokio::select! {
            biased;
            _ = tx.closed() => break End::Gone,
            _ = state.cut.cancelled() => break End::Failed("shutting_down", SHUTDOWN_MESSAGE),
            r = tokio::time::timeout(idle, body.frame()) => r,
        };
        let frame = match next {
            Err(_) => break End::Failed("upstream_timeout", "the upstream stopped sending; the stream was cut off"),
            Ok(None) => break End::Ended,
            Ok(Some(Err(_))) => break End::Failed("upstream_stream_error", "the upstream stream broke off"),
            Ok(Some(Ok(f))) => f,
        };
        let Ok(data) = frame.into_data() else { continue };
        if raw.len() + data.len() > MAX_STREAM_BYTES {
            break End::Failed("upstream_invalid_response", "the upstream stream is too long");
        }
        raw.extend_from_slice(&data);
        match rw.push(&data) {
            Ok(out) if out.is_empty() => {}
            Ok(out) => {
                if tx.send(Bytes::from(out)).await.is_err() {
                    break End::Gone;
                }
            }
            Err(_) => break End::Failed("upstream_invalid_response", "an upstream event is too long to check"),
        }
        if rw.done() {
            break End::Done;
        }
    };
    // Stops the upstream request if it is still running.
    drop(body);
    match &end {
        End::Failed(code, _) => {
            tracing::warn!(code, "streamed answer ended early");
            state.metrics.upstream_error(match *code {
                "upstream_timeout" => "stream_idle",
                "shutting_down" => "shutdown",
                _ => "stream_broken",
            });
            cert.upstream_error(
                None,
                match *code {
                    "shutting_down" => "shutdown",
                    "upstream_timeout" => "stream_idle_timeout",
                    "upstream_stream_error" => "stream_broken",
                    _ => "stream_invalid",
                },
            );
        }
        End::Gone => tracing::info!("client went away during a streamed answer"),
        End::Done | End::Ended => {
            if rw.upstream_error() {
                state.metrics.upstream_error("stream_error_event");
                cert.upstream_error(None, "stream_error_event");
            }
        }
    }
    let tail = rw.flush();
    let records = rw.records();
    for (kind, n) in &pipeline::counts(&records.output_findings) {
        state.metrics.findings(kind, "answer", *n);
    }
    let request_counts = pipeline::counts(&records.findings);
    cert.findings(records.findings).output_findings(records.output_findings).response(&raw);
    let issued = issue(&state, &tenant, cert, now).await;
    if matches!(end, End::Gone) {
        return;
    }
    let mut out = tail;
    match issued.and_then(|(id, url)| dsa_compliance(&state, &id, &url, &request_counts)) {
        Ok(dsa) => out.extend(rw.metadata_event(&dsa)),
        Err(e) => {
            let _ = tx.send(Bytes::from(out)).await;
            let _ = tx.send(error_event(e.code(), &e.to_string())).await;
            return;
        }
    }
    match end {
        End::Done => out.extend_from_slice(b"data: [DONE]\n\n"),
        End::Failed(code, message) => out.extend_from_slice(&error_event(code, message)),
        End::Ended | End::Gone => {}
    }
    let _ = tx.send(Bytes::from(out)).await;
}
