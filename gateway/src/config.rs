//! Configuration of `lucairn serve` and `lucairn keys`.
//!
//! Every setting comes from, in order of precedence: a command-line flag, an environment
//! variable `LUCAIRN_…`, the TOML file given by `--config`, and the built-in default.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;

use crate::limits::Rate;
use crate::store::{Location, Synchronous};

/// Default upstream of `/v1/messages` (Anthropic); requests go to its `/v1/messages`.
pub const DEFAULT_ANTHROPIC_UPSTREAM: &str = "https://api.anthropic.com";
/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default upstream base URL.
pub const DEFAULT_UPSTREAM: &str = "https://api.openai.com/v1";
/// Default request body limit (bytes).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 4 * 1024 * 1024;
/// Default JSON nesting limit.
pub const DEFAULT_MAX_JSON_DEPTH: usize = 64;
/// Default connect timeout to the upstream.
pub const DEFAULT_CONNECT_TIMEOUT: f64 = 10.0;
/// Default total timeout of one upstream call (models can be slow).
pub const DEFAULT_UPSTREAM_TIMEOUT: f64 = 600.0;
/// Default longest silence of a streamed upstream answer.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: f64 = 120.0;

// Limits, timeouts of clients, shutdown and TLS of the server.
/// Default most client connections open at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;
/// Default most requests in flight at once.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 512;
/// Default time a client has to send the head of a request (also the longest an idle
/// HTTP/1 connection is kept open).
pub const DEFAULT_HEADER_READ_TIMEOUT: f64 = 30.0;
/// Default time a client has to send a request body, from the end of its head.
pub const DEFAULT_BODY_READ_TIMEOUT: f64 = 60.0;
/// Default time in-flight requests get to finish after SIGTERM or SIGINT.
pub const DEFAULT_SHUTDOWN_GRACE: f64 = 30.0;

/// Where the data directory and the configuration file are.
#[derive(Debug, Args, Clone, Default)]
pub struct StoreArgs {
    /// Configuration file (TOML).
    #[arg(long, env = "LUCAIRN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory: the SQLite database and the signing key
    /// [default: $XDG_DATA_HOME/lucairn or ~/.local/share/lucairn].
    #[arg(long, env = "LUCAIRN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    // PostgreSQL (several replicas sharing one store).
    /// PostgreSQL URL (`postgres://USER@HOST/DB`): keep API keys and certificates there
    /// instead of the SQLite file, so several gateways can share them; the secrets stay in
    /// the data directory [default: SQLite in the data directory].
    #[arg(long, env = "LUCAIRN_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

/// Flags of `lucairn serve`.
#[derive(Debug, Args, Clone, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "LUCAIRN_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// Base URL of the OpenAI-compatible upstream [default: https://api.openai.com/v1].
    #[arg(long, env = "LUCAIRN_UPSTREAM", value_name = "URL")]
    pub upstream: Option<String>,
    /// Public base URL of this gateway, used in certificate URLs [default: http://LISTEN].
    #[arg(long, env = "LUCAIRN_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Detection policy file (JSON or TOML) [default: the built-in policy].
    #[arg(long, env = "LUCAIRN_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Largest request body accepted, in bytes [default: 4194304].
    #[arg(long, env = "LUCAIRN_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<u64>,
    /// Deepest JSON nesting accepted [default: 64].
    #[arg(long, env = "LUCAIRN_MAX_JSON_DEPTH", value_name = "N")]
    pub max_json_depth: Option<usize>,
    /// Seconds to wait for a connection to the upstream [default: 10].
    #[arg(long, env = "LUCAIRN_CONNECT_TIMEOUT", value_name = "SECS")]
    pub connect_timeout: Option<f64>,
    /// Seconds to wait for the whole upstream answer [default: 600].
    #[arg(long, env = "LUCAIRN_UPSTREAM_TIMEOUT", value_name = "SECS")]
    pub upstream_timeout: Option<f64>,
    /// Seconds a streamed upstream answer may stay silent before it is cut off [default: 120].
    #[arg(long, env = "LUCAIRN_STREAM_IDLE_TIMEOUT", value_name = "SECS")]
    pub stream_idle_timeout: Option<f64>,
    /// Let image, audio and file parts pass to the upstream unsanitised [default: false].
    #[arg(long, env = "LUCAIRN_ALLOW_MEDIA", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub allow_media: Option<bool>,
    /// Log filter (`info`, `debug`, `lucairn=debug` …) [default: info].
    #[arg(long, env = "LUCAIRN_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// Base URL of the Anthropic-compatible upstream of /v1/messages [default: https://api.anthropic.com].
    #[arg(long, env = "LUCAIRN_ANTHROPIC_UPSTREAM", value_name = "URL")]
    pub anthropic_upstream: Option<String>,

    // Limits, timeouts of clients, shutdown and TLS of the server.
    /// Most client connections open at once; more are closed as they are accepted [default: 10000].
    #[arg(long, env = "LUCAIRN_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// Most requests in flight at once; more are answered 503 [default: 512].
    #[arg(long, env = "LUCAIRN_MAX_CONCURRENT_REQUESTS", value_name = "N")]
    pub max_concurrent_requests: Option<usize>,
    /// Requests per minute per API key, 0 for no limit; more are answered 429 [default: 0].
    #[arg(long, env = "LUCAIRN_RATE_LIMIT", value_name = "PER_MINUTE")]
    pub rate_limit: Option<u32>,
    /// Requests a key may make at once before the per-minute rate applies [default: the rate].
    #[arg(long, env = "LUCAIRN_RATE_LIMIT_BURST", value_name = "N")]
    pub rate_limit_burst: Option<u32>,
    /// Seconds a client has to send a request's head; idle connections close after it [default: 30].
    #[arg(long, env = "LUCAIRN_HEADER_READ_TIMEOUT", value_name = "SECS")]
    pub header_read_timeout: Option<f64>,
    /// Seconds a client has to send a request body [default: 60].
    #[arg(long, env = "LUCAIRN_BODY_READ_TIMEOUT", value_name = "SECS")]
    pub body_read_timeout: Option<f64>,
    /// Seconds requests in flight get to finish after SIGTERM or SIGINT [default: 30].
    #[arg(long, env = "LUCAIRN_SHUTDOWN_GRACE", value_name = "SECS")]
    pub shutdown_grace: Option<f64>,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, env = "LUCAIRN_TLS_CERT", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "LUCAIRN_TLS_KEY", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// When SQLite commits reach the disk: `full` fsyncs each commit (certificates survive
    /// a power loss), `normal` only at checkpoints (they survive a crash of the process,
    /// not of the machine) [default: full].
    #[arg(long, env = "LUCAIRN_SQLITE_SYNCHRONOUS", value_name = "full|normal", value_enum)]
    pub sqlite_synchronous: Option<Synchronous>,
}

/// The configuration file. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    upstream: Option<String>,
    data_dir: Option<PathBuf>,
    public_url: Option<String>,
    policy: Option<PathBuf>,
    max_body_bytes: Option<u64>,
    max_json_depth: Option<usize>,
    connect_timeout: Option<f64>,
    upstream_timeout: Option<f64>,
    stream_idle_timeout: Option<f64>,
    allow_media: Option<bool>,
    log: Option<String>,
    anthropic_upstream: Option<String>,
    // Limits, timeouts of clients, shutdown and TLS of the server.
    max_concurrent_requests: Option<usize>,
    max_connections: Option<usize>,
    rate_limit: Option<u32>,
    rate_limit_burst: Option<u32>,
    header_read_timeout: Option<f64>,
    body_read_timeout: Option<f64>,
    shutdown_grace: Option<f64>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    database_url: Option<String>,
    sqlite_synchronous: Option<Synchronous>,
}

impl FileConfig {
    fn load(path: Option<&Path>) -> Result<FileConfig> {
        let Some(path) = path else { return Ok(FileConfig::default()) };
        let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut c: FileConfig = toml::from_str(&text).with_context(|| format!("invalid config {}", path.display()))?;
        // Relative paths in the file are relative to the file.
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [&mut c.data_dir, &mut c.policy, &mut c.tls_cert, &mut c.tls_key].into_iter().flatten() {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(c)
    }
}

/// The resolved configuration of the server.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub upstream: String,
    pub data_dir: PathBuf,
    /// `None`: derived from the bound address once listening.
    pub public_url: Option<String>,
    pub policy: Option<PathBuf>,
    pub max_body_bytes: u64,
    pub max_json_depth: usize,
    pub connect_timeout: Duration,
    pub upstream_timeout: Duration,
    pub stream_idle_timeout: Duration,
    pub allow_media: bool,
    pub log: String,
    /// Base URL of the upstream of `/v1/messages`, without trailing slash.
    pub anthropic_upstream: String,
    // Limits, timeouts of clients, shutdown and TLS of the server.
    /// Most requests in flight at once.
    pub max_concurrent_requests: usize,
    /// Most client connections open at once.
    pub max_connections: usize,
    /// Requests per minute per API key and burst; `None`: no limit.
    pub rate_limit: Option<Rate>,
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub shutdown_grace: Duration,
    /// Certificate chain and key files (PEM) for HTTPS; `None`: plain HTTP.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Where keys and certificates are kept.
    pub database: Location,
    /// How SQLite commits reach the disk (unused on PostgreSQL).
    pub sqlite_synchronous: Synchronous,
}

fn default_data_dir() -> PathBuf {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = env("XDG_DATA_HOME") {
        return d.join("lucairn");
    }
    if let Some(h) = env("HOME") {
        return h.join(".local/share/lucairn");
    }
    PathBuf::from("lucairn-data")
}

fn seconds(name: &str, v: f64) -> Result<Duration> {
    if !(v.is_finite() && v > 0.0 && v <= 86_400.0) {
        bail!("{name} must be a number of seconds in (0, 86400], not {v}");
    }
    Ok(Duration::from_secs_f64(v))
}

/// Checks an http(s) base URL and removes a trailing slash.
pub fn check_base_url(name: &str, url: &str) -> Result<String> {
    let url = url.trim_end_matches('/');
    let uri: http::Uri = url.parse().with_context(|| format!("{name}: invalid URL {url:?}"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => bail!("{name}: URL must start with http:// or https://, not {url:?}"),
    }
    if uri.authority().is_none() {
        bail!("{name}: URL has no host: {url:?}");
    }
    if uri.query().is_some() {
        bail!("{name}: URL must not have a query: {url:?}");
    }
    Ok(url.to_string())
}

impl StoreArgs {
    /// The data directory these flags select.
    pub fn data_dir(&self) -> Result<PathBuf> {
        if let Some(d) = &self.data_dir {
            return Ok(d.clone());
        }
        Ok(FileConfig::load(self.config.as_deref())?.data_dir.unwrap_or_else(default_data_dir))
    }

    /// The store these flags select: PostgreSQL when a database URL is given (flag,
    /// environment or file), else SQLite in the data directory.
    pub fn location(&self) -> Result<Location> {
        let file = FileConfig::load(self.config.as_deref())?;
        let dir = self.data_dir.clone().or(file.data_dir).unwrap_or_else(default_data_dir);
        database_location(self.database_url.clone().filter(|u| !u.is_empty()).or(file.database_url), dir)
    }
}

/// PostgreSQL at `url` when there is one (checked, never echoed: it may hold a password),
/// else SQLite in `dir`.
fn database_location(url: Option<String>, dir: PathBuf) -> Result<Location> {
    let Some(url) = url.filter(|u| !u.is_empty()) else { return Ok(Location::Sqlite(dir)) };
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        bail!("database_url must start with postgres:// or postgresql://");
    }
    if let Err(e) = crate::store::check_url(&url) {
        bail!("database_url is not a valid PostgreSQL URL: {e}");
    }
    Ok(Location::Postgres(url))
}

impl Config {
    /// Merges flags (and the environment, which clap reads), the file and the defaults.
    pub fn resolve(args: &ServeArgs) -> Result<Config> {
        let file = FileConfig::load(args.store.config.as_deref())?;
        let upstream = args.upstream.clone().or(file.upstream).unwrap_or_else(|| DEFAULT_UPSTREAM.to_string());
        let public_url = match args.public_url.clone().or(file.public_url) {
            Some(u) => Some(check_base_url("public_url", &u)?),
            None => None,
        };
        let listen = match args.listen.or(file.listen) {
            Some(l) => l,
            None => DEFAULT_LISTEN.parse().context("default listen address")?,
        };
        let max_body_bytes = args.max_body_bytes.or(file.max_body_bytes).unwrap_or(DEFAULT_MAX_BODY_BYTES);
        if max_body_bytes == 0 {
            bail!("max_body_bytes must be at least 1");
        }
        let max_json_depth = args.max_json_depth.or(file.max_json_depth).unwrap_or(DEFAULT_MAX_JSON_DEPTH);
        if !(2..=512).contains(&max_json_depth) {
            bail!("max_json_depth must be between 2 and 512, not {max_json_depth}");
        }
        // Limits, timeouts of clients, shutdown and TLS of the server.
        let max_concurrent_requests =
            args.max_concurrent_requests.or(file.max_concurrent_requests).unwrap_or(DEFAULT_MAX_CONCURRENT_REQUESTS);
        if !(1..=1_000_000).contains(&max_concurrent_requests) {
            bail!("max_concurrent_requests must be between 1 and 1000000, not {max_concurrent_requests}");
        }
        let max_connections = args.max_connections.or(file.max_connections).unwrap_or(DEFAULT_MAX_CONNECTIONS);
        if !(1..=1_000_000).contains(&max_connections) {
            bail!("max_connections must be between 1 and 1000000, not {max_connections}");
        }
        let rate_limit = match args.rate_limit.or(file.rate_limit).unwrap_or(0) {
            0 => None,
            per_minute => {
                let burst = args.rate_limit_burst.or(file.rate_limit_burst).unwrap_or(per_minute);
                if burst == 0 {
                    bail!("rate_limit_burst must be at least 1");
                }
                Some(Rate { per_minute, burst })
            }
        };
        let tls = match (args.tls_cert.clone().or(file.tls_cert), args.tls_key.clone().or(file.tls_key)) {
            (Some(c), Some(k)) => Some((c, k)),
            (None, None) => None,
            _ => bail!("tls_cert and tls_key go together: give both or neither"),
        };
        let header_read_timeout = seconds(
            "header_read_timeout",
            args.header_read_timeout.or(file.header_read_timeout).unwrap_or(DEFAULT_HEADER_READ_TIMEOUT),
        )?;
        let body_read_timeout = seconds(
            "body_read_timeout",
            args.body_read_timeout.or(file.body_read_timeout).unwrap_or(DEFAULT_BODY_READ_TIMEOUT),
        )?;
        let shutdown_grace =
            seconds("shutdown_grace", args.shutdown_grace.or(file.shutdown_grace).unwrap_or(DEFAULT_SHUTDOWN_GRACE))?;
        let data_dir = args.store.data_dir.clone().or(file.data_dir).unwrap_or_else(default_data_dir);
        let url = args.store.database_url.clone().filter(|u| !u.is_empty()).or(file.database_url);
        let database = database_location(url, data_dir.clone())?;
        Ok(Config {
            max_concurrent_requests,
            max_connections,
            rate_limit,
            header_read_timeout,
            body_read_timeout,
            shutdown_grace,
            tls,
            listen,
            upstream: check_base_url("upstream", &upstream)?,
            data_dir,
            public_url,
            policy: args.policy.clone().or(file.policy),
            max_body_bytes,
            max_json_depth,
            connect_timeout: seconds(
                "connect_timeout",
                args.connect_timeout.or(file.connect_timeout).unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            )?,
            upstream_timeout: seconds(
                "upstream_timeout",
                args.upstream_timeout.or(file.upstream_timeout).unwrap_or(DEFAULT_UPSTREAM_TIMEOUT),
            )?,
            stream_idle_timeout: seconds(
                "stream_idle_timeout",
                args.stream_idle_timeout.or(file.stream_idle_timeout).unwrap_or(DEFAULT_STREAM_IDLE_TIMEOUT),
            )?,
            allow_media: args.allow_media.or(file.allow_media).unwrap_or(false),
            log: args.log.clone().or(file.log).unwrap_or_else(|| "info".to_string()),
            anthropic_upstream: check_base_url(
                "anthropic_upstream",
                &args
                    .anthropic_upstream
                    .clone()
                    .or(file.anthropic_upstream)
                    .unwrap_or_else(|| DEFAULT_ANTHROPIC_UPSTREAM.to_string()),
            )?,
            database,
            sqlite_synchronous: args.sqlite_synchronous.or(file.sqlite_synchronous).unwrap_or_default(),
        })
    }
}
