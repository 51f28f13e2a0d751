//! The HTTP server: accept loop, TLS, connections, limits, graceful shutdown.
//!
//! At most `max_connections` connections are open at once: one more is closed as it is
//! accepted, and counted. Each connection speaks HTTP/1.1 or HTTP/2 (chosen by ALPN over TLS, by the client's
//! first bytes over plain TCP). A client has `header_read_timeout` for the TLS handshake,
//! for its first bytes and, on HTTP/1, for the head of every request (an idle keep-alive
//! connection is closed after it too); then `body_read_timeout` for the body. Requests
//! past `max_concurrent_requests` in flight are answered 503 with `Retry-After` at once,
//! never queued. Each request runs in a task of its own, so a client that goes away does
//! not cancel a request already sent upstream: it finishes and its certificate is stored.

use std::convert::Infallible;
use std::future::poll_fn;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Request, Response, StatusCode, Version};
use http_body_util::BodyExt;
use http_body_util::combinators::BoxBody;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use lucairn_core::SigningKey;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::error::ApiError;
use crate::ledger::Ledger;
use crate::limits::{Busy, HeldBody, Limits};
use crate::metrics::Metrics;
use crate::pipeline::Pipeline;
use crate::routes;
use crate::store::Store;
use crate::upstream::Upstream;

/// Errors a response body can fail with (streamed bodies).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The response body type of every route.
pub type Body = BoxBody<Bytes, BoxError>;

/// Everything a request needs; shared by all connections.
#[derive(Debug)]
pub struct State {
    pub config: Config,
    /// Base of certificate URLs, without trailing slash.
    pub public_url: String,
    pub store: Store,
    pub pipeline: Pipeline,
    pub upstream: Upstream,
    /// The upstream of `/v1/messages` (Anthropic).
    pub anthropic: Upstream,
    pub signer: Arc<SigningKey>,
    pub metrics: Metrics,
    /// Signs, chains and stores certificates.
    pub ledger: Ledger,
    /// Requests in flight, requests per key, body read deadline.
    pub limits: Limits,
    /// Every task that may still write a certificate (requests, streamed answers): waited
    /// for at shutdown.
    pub tasks: TaskTracker,
    /// Cancelled when the shutdown grace period ends: upstream calls and streams still
    /// running are cut off, and their certificates record it.
    pub cut: CancellationToken,
}

/// Why the TLS configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the TLS certificate {path}: {message}")]
    Cert { path: String, message: String },
    #[error("cannot read the TLS key {path}: {message}")]
    Key { path: String, message: String },
    #[error("the TLS certificate {0} holds no certificate")]
    NoCert(String),
    #[error("the TLS certificate and key do not go together: {0}")]
    Config(String),
}

/// A TLS acceptor for the certificate chain and private key in these PEM files, offering
/// HTTP/2 and HTTP/1.1 by ALPN.
pub fn tls_acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    let cert_err =
        |e: rustls::pki_types::pem::Error| TlsError::Cert { path: cert.display().to_string(), message: e.to_string() };
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(cert).map_err(cert_err)?.collect::<Result<_, _>>().map_err(cert_err)?;
    if certs.is_empty() {
        return Err(TlsError::NoCert(cert.display().to_string()));
    }
    // The error names the file, never its content.
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| TlsError::Key { path: key.display().to_string(), message: e.to_string() })?;
    // ring, as for the upstream client (see `upstream.rs`).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// SIGINT and SIGTERM, listened for from the moment this is made: the gateway makes it
/// before it says it has started, so a signal sent right after is never left to the
/// default action (which would end the process without a graceful shutdown).
#[derive(Debug)]
pub struct ShutdownSignal {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    /// Starts listening (inside the runtime).
    pub fn listen() -> std::io::Result<ShutdownSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(ShutdownSignal { term: signal(SignalKind::terminate())?, int: signal(SignalKind::interrupt())? })
        }
        #[cfg(not(unix))]
        Ok(ShutdownSignal {})
    }

    /// Waits for the first of them.
    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.int.recv() => {},
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The connection builder: HTTP/1.1 with a header read timeout, HTTP/2.
fn builder(config: &Config) -> auto::Builder<TokioExecutor> {
    let mut b = auto::Builder::new(TokioExecutor::new());
    b.http1().timer(TokioTimer::new()).header_read_timeout(config.header_read_timeout);
    b.http2().timer(TokioTimer::new()).keep_alive_interval(config.header_read_timeout);
    b
}

/// Serves until SIGINT or SIGTERM, then stops accepting, lets requests in flight finish
/// (for at most the configured grace period) and returns.
pub async fn serve(state: Arc<State>, listener: TcpListener, tls: Option<TlsAcceptor>, mut signal: ShutdownSignal) {
    let graceful = GracefulShutdown::new();
    let builder = Arc::new(builder(&state.config));
    let shutdown = signal.recv();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: back off a little.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Some(place) = state.limits.connection() else {
                    // Closed at once, before any byte is read: a flood of connections
                    // costs a file descriptor for an instant each, no task, no memory.
                    drop(stream);
                    state.metrics.connection_refused();
                    tracing::debug!("connection refused: max_connections open");
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let (st, b, t, w) = (state.clone(), builder.clone(), tls.clone(), graceful.watcher());
                tokio::spawn(async move {
                    st.metrics.connection(true);
                    connection(st.clone(), b, t, stream, w).await;
                    st.metrics.connection(false);
                    drop(place);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    let grace = state.config.shutdown_grace;
    let deadline = tokio::time::Instant::now() + grace;
    tracing::info!(grace_s = grace.as_secs_f64(), "shutting down; waiting for requests in flight");
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("all connections closed"),
        _ = tokio::time::sleep_until(deadline) => tracing::warn!("connections still open after the grace period"),
    }
    finish(&state, deadline).await;
}

/// Longest wait, after the grace period, for the certificates of the requests cut off
/// and for the certificate writer (a database that does not answer).
const CUT_WAIT: Duration = Duration::from_secs(10);

/// Waits until every request and streamed answer has stored its certificate: until the
/// `deadline` as they are, then cut off (their certificates record `shutdown` as the
/// upstream error). Then waits for the certificate writer to have committed everything
/// sent to it.
async fn finish(state: &State, deadline: tokio::time::Instant) {
    // Requests whose client went away run on to store their certificate.
    state.tasks.close();
    if tokio::time::timeout_at(deadline, state.tasks.wait()).await.is_err() {
        tracing::warn!(
            requests = state.tasks.len(),
            "requests still in flight after the grace period; cutting them off"
        );
        state.cut.cancel();
        if tokio::time::timeout(CUT_WAIT, state.tasks.wait()).await.is_err() {
            tracing::error!(
                requests = state.tasks.len(),
                "requests still running after they were cut off; their certificates may be missing"
            );
        }
    }
    match tokio::time::timeout(CUT_WAIT, state.ledger.flush()).await {
        Ok(Ok(())) => tracing::info!("all certificates stored"),
        Ok(Err(e)) => tracing::error!(error = %e, "the certificate writer failed"),
        Err(_) => tracing::error!("the certificate writer did not finish; certificates may be missing"),
    }
}

/// One accepted connection: TLS handshake if configured, then HTTP.
async fn connection(
    state: Arc<State>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    tls: Option<TlsAcceptor>,
    stream: TcpStream,
    watcher: Watcher,
) {
    let timeout = state.config.header_read_timeout;
    match tls {
        None => http(state, &builder, stream, watcher).await,
        Some(acceptor) => match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
            Ok(Ok(s)) => http(state, &builder, s, watcher).await,
            Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
            Err(_) => tracing::debug!("TLS handshake timed out"),
        },
    }
}

/// Serves HTTP on a connection once its first bytes are in (within the header read
/// timeout: the HTTP/1-or-2 detection would otherwise wait for them without limit).
async fn http<I>(state: Arc<State>, builder: &auto::Builder<TokioExecutor>, mut io: I, watcher: Watcher)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let first = match tokio::time::timeout(state.config.header_read_timeout, read_start(&mut io)).await {
        Ok(Ok(b)) if !b.is_empty() => b,
        Ok(Ok(_)) => return,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "connection failed before a request");
            return;
        }
        Err(_) => {
            tracing::debug!("no request within the header read timeout");
            return;
        }
    };
    let svc = service_fn(move |req| {
        let st = state.clone();
        async move { Ok::<_, Infallible>(respond(st, req).await) }
    });
    let conn = builder.serve_connection(TokioIo::new(Rewind { first, at: 0, io }), svc).into_owned();
    if let Err(e) = watcher.watch(conn).await {
        tracing::debug!(error = %e, "connection closed with an error");
    }
}

const H2_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Reads until the bytes cannot be the HTTP/2 preface or are all of it (or the client
/// closes): what hyper's protocol detection needs, read here so it can be timed.
async fn read_start<I: AsyncRead + Unpin>(io: &mut I) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; H2_PREFACE.len()];
    let mut n = 0;
    while n < buf.len() {
        let mut rb = ReadBuf::new(&mut buf[n..]);
        poll_fn(|cx| Pin::new(&mut *io).poll_read(cx, &mut rb)).await?;
        let got = rb.filled().len();
        if got == 0 {
            break;
        }
        n += got;
        if buf[..n] != H2_PREFACE[..n] {
            break;
        }
    }
    Ok(buf[..n].to_vec())
}

/// An I/O stream that first yields bytes already read from it.
struct Rewind<I> {
    first: Vec<u8>,
    at: usize,
    io: I,
}

impl<I: AsyncRead + Unpin> AsyncRead for Rewind<I> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.at < this.first.len() {
            let n = (this.first.len() - this.at).min(buf.remaining());
            buf.put_slice(&this.first[this.at..this.at + n]);
            this.at += n;
            if this.at == this.first.len() {
                this.first = Vec::new();
                this.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.io).poll_read(cx, buf)
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Rewind<I> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// Answers one request: refused at once when too many are in flight, else handled in a
/// task of its own that holds its place until the response body is done.
async fn respond(state: Arc<State>, mut req: Request<Incoming>) -> Response<Body> {
    let version = req.version();
    // Health checks and metrics answer even under overload.
    let exempt = matches!(req.uri().path(), "/healthz" | "/metrics");
    let permit = if exempt {
        None
    } else {
        match state.limits.start() {
            Ok(p) => Some(p),
            Err(Busy { max }) => {
                let e = ApiError::Overloaded { max, retry_after: 1 };
                state.metrics.request("overloaded", e.status().as_u16(), Duration::ZERO);
                tracing::debug!("request refused: too many in flight");
                return routes::error_response(&e);
            }
        }
    };
    req.extensions_mut().insert(state.limits.body_deadline());
    req.extensions_mut().insert(state.cut.clone());
    let task = state.tasks.clone().spawn(async move {
        let resp = routes::handle(state, req).await;
        match permit {
            Some(p) => resp.map(|b| HeldBody::new(b, p).boxed()),
            None => resp,
        }
    });
    let mut resp = match task.await {
        Ok(r) => r,
        Err(_) => {
            tracing::error!("a request handler failed");
            routes::error_response(&ApiError::Internal)
        }
    };
    if resp.status() == StatusCode::REQUEST_TIMEOUT && version < Version::HTTP_2 {
        // The rest of the body is not read: the connection cannot carry another request.
        resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}
