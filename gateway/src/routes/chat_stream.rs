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

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::HeaderMap;
use http::header::{self, HeaderName, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming};
use lucairn_core::{CertificateBuilder, OutputMode};
use tokio::sync::mpsc;

use crate::error::{ApiError, error_body};
use crate::openai::stream::{Records, Rewriter};
use crate::pipeline::{self, RequestScope};
use crate::routes::certificates::{dsa_compliance, issue};
use crate::routes::chat::CERTIFICATE_HEADER;
use crate::server::{Body, BoxError, State};
use crate::sse;
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

/// Why reading an upstream stream stopped.
#[derive(Debug)]
pub enum Stop {
    /// The rewriter saw the stream's end (`data: [DONE]`, `message_stop`).
    Done,
    /// The body ended first.
    Ended,
    /// The client went away.
    Gone,
    /// Broken off, silent too long, unreadable, or cut at shutdown.
    Failed(Failure),
}

/// A streamed answer that broke off: the error event's code and message, and the
/// certificate's kind of failure (no message text goes into a certificate).
#[derive(Debug, Clone, Copy)]
pub struct Failure {
    pub code: &'static str,
    pub message: &'static str,
    pub kind: &'static str,
}

impl Failure {
    const SHUTDOWN: Failure = Failure { code: "shutting_down", message: SHUTDOWN_MESSAGE, kind: "shutdown" };
    const IDLE: Failure = Failure {
        code: "upstream_timeout",
        message: "the upstream stopped sending; the stream was cut off",
        kind: "stream_idle_timeout",
    };
    pub const ENDED_EARLY: Failure = Failure {
        code: "upstream_stream_error",
        message: "the upstream stream ended before message_stop",
        kind: "stream_ended_early",
    };
    const BROKEN: Failure =
        Failure { code: "upstream_stream_error", message: "the upstream stream broke off", kind: "stream_broken" };
    const TOO_LONG: Failure = Failure {
        code: "upstream_invalid_response",
        message: "the upstream stream is too long",
        kind: "stream_invalid",
    };
    const EVENT_TOO_LONG: Failure = Failure {
        code: "upstream_invalid_response",
        message: "an upstream event is too long to check",
        kind: "stream_invalid",
    };

    /// Counts the failure in the metrics and records it in the certificate.
    pub fn record(&self, state: &State, cert: &mut CertificateBuilder) {
        tracing::warn!(code = self.code, "streamed answer ended early");
        state.metrics.upstream_error(match self.code {
            "upstream_timeout" => "stream_idle",
            "shutting_down" => "shutdown",
            _ => "stream_broken",
        });
        cert.upstream_error(None, self.kind);
    }
}

/// What [`pump`] needs of a stream rewriter (OpenAI's or Anthropic's events).
pub trait Rewrite {
    /// Rewrites the next bytes of the upstream stream; what the client may see now.
    fn push(&mut self, bytes: &[u8]) -> Result<Vec<u8>, sse::TooLong>;
    /// The stream's last event has been seen.
    fn done(&self) -> bool;
    /// The upstream sent an error event in its stream.
    fn saw_error_event(&self) -> bool;
    /// The text still held back, released at the end.
    fn flush(&mut self) -> Vec<u8>;
    /// What the certificate needs: the request's findings and those of the answer.
    fn records(&mut self) -> Records;
}

impl Rewrite for Rewriter {
    fn push(&mut self, bytes: &[u8]) -> Result<Vec<u8>, sse::TooLong> {
        Rewriter::push(self, bytes)
    }
    fn done(&self) -> bool {
        Rewriter::done(self)
    }
    fn saw_error_event(&self) -> bool {
        self.upstream_error()
    }
    fn flush(&mut self) -> Vec<u8> {
        Rewriter::flush(self)
    }
    fn records(&mut self) -> Records {
        Rewriter::records(self)
    }
}

/// After [`pump`]: records how the stream ended, stores the certificate of the whole
/// exchange (also when the client has gone), and returns the text held back until now
/// with `metadata.dsa_compliance` (or the error that kept the certificate from being
/// stored); `None` when the client has gone.
#[allow(clippy::too_many_arguments)]
pub async fn finish<R: Rewrite>(
    state: &Arc<State>,
    tenant: &str,
    mut cert: CertificateBuilder,
    now: i64,
    end: &Stop,
    rw: &mut R,
    raw: &[u8],
) -> Option<(Vec<u8>, Result<String, ApiError>)> {
    match end {
        Stop::Failed(f) => f.record(state, &mut cert),
        Stop::Gone => tracing::info!("client went away during a streamed answer"),
        Stop::Done | Stop::Ended => {
            if rw.saw_error_event() {
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
    cert.findings(records.findings).output_findings(records.output_findings).response(raw);
    let issued = issue(state, tenant, cert, now).await;
    if matches!(end, Stop::Gone) {
        return None;
    }
    Some((tail, issued.and_then(|(id, url)| dsa_compliance(state, &id, &url, &request_counts))))
}

/// Reads the upstream body through `rw` and sends what it releases to the client, until
/// the stream's end, the body's end, the client leaving, a failure or the shutdown cut;
/// keeps every byte read in `raw` (for the certificate).
pub async fn pump<R: Rewrite>(
    state: &State,
    body: &mut Incoming,
    tx: &mpsc::Sender<Bytes>,
    rw: &mut R,
    raw: &mut Vec<u8>,
) -> Stop {
    let idle = state.config.stream_idle_timeout;
    loop {
        let next = tokio::select! {
            biased;
            _ = tx.closed() => return Stop::Gone,
            _ = state.cut.cancelled() => return Stop::Failed(Failure::SHUTDOWN),
            r = tokio::time::timeout(idle, body.frame()) => r,
        };
        let frame = match next {
            Err(_) => return Stop::Failed(Failure::IDLE),
            Ok(None) => return Stop::Ended,
            Ok(Some(Err(_))) => return Stop::Failed(Failure::BROKEN),
            Ok(Some(Ok(f))) => f,
        };
        let Ok(data) = frame.into_data() else { continue };
        if raw.len() + data.len() > MAX_STREAM_BYTES {
            return Stop::Failed(Failure::TOO_LONG);
        }
        raw.extend_from_slice(&data);
        match rw.push(&data) {
            Ok(out) if out.is_empty() => {}
            Ok(out) => {
                if tx.send(Bytes::from(out)).await.is_err() {
                    return Stop::Gone;
                }
            }
            Err(_) => return Stop::Failed(Failure::EVENT_TOO_LONG),
        }
        if rw.done() {
            return Stop::Done;
        }
    }
}

/// The response of a streamed answer: the upstream's status and the headers it may pass
/// back, an event-stream body fed by `rx`, and the certificate's URL.
fn sse_response(
    rx: mpsc::Receiver<Bytes>,
    status: StatusCode,
    passed: &HeaderMap,
    certificate_url: &str,
) -> Response<Body> {
    let mut resp = Response::new(ChannelBody { rx }.boxed());
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    for (k, v) in passed {
        headers.insert(k.clone(), v.clone());
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(certificate_url) {
        headers.insert(HeaderName::from_static(CERTIFICATE_HEADER), v);
    }
    resp
}

/// Starts a streamed answer: `drive` (given the upstream body and the channel to the
/// client) runs as a tracked task, so shutdown waits for its certificate even when the
/// client has left; returns the response at once.
pub fn start<F, Fut>(state: &State, certificate_url: &str, answer: StreamAnswer, drive: F) -> Response<Body>
where
    F: FnOnce(Incoming, mpsc::Sender<Bytes>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let StreamAnswer { status, headers, body } = answer;
    state.tasks.spawn(drive(body, tx));
    sse_response(rx, status, &headers, certificate_url)
}

fn error_event(code: &str, message: &str) -> Bytes {
    let body = error_body(message, "upstream_error", None, Some(code));
    let mut out = Vec::with_capacity(body.len() + 8);
    crate::sse::encode(None, &String::from_utf8_lossy(&body), &mut out);
    Bytes::from(out)
}

/// Feeds the client the checked chunks of a chat completions stream, then certifies it.
#[allow(clippy::too_many_arguments)]
pub async fn drive(
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
    let end = pump(&state, &mut body, &tx, &mut rw, &mut raw).await;
    // Stops the upstream request if it is still running.
    drop(body);
    let Some((mut out, dsa)) = finish(&state, &tenant, cert, now, &end, &mut rw, &raw).await else { return };
    match dsa {
        Ok(dsa) => out.extend(rw.metadata_event(&dsa)),
        Err(e) => {
            let _ = tx.send(Bytes::from(out)).await;
            let _ = tx.send(error_event(e.code(), &e.to_string())).await;
            return;
        }
    }
    match end {
        Stop::Done => out.extend_from_slice(b"data: [DONE]\n\n"),
        Stop::Failed(f) => out.extend_from_slice(&error_event(f.code, f.message)),
        Stop::Ended | Stop::Gone => {}
    }
    let _ = tx.send(Bytes::from(out)).await;
}
