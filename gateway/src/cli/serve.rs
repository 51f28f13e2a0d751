//! `lucairn serve`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use lucairn_core::{Engine, Policy};
use tokio::net::TcpListener;

use crate::auth::Tier;
use crate::config::{Config, ServeArgs};
use crate::ledger::Ledger;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::pipeline::Pipeline;
use crate::secrets::{self, Secrets};
use crate::server::{self, State};
use crate::store::{Store, create_private_dir};
use crate::upstream::Upstream;

fn init_logging(filter: &str) -> Result<()> {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).with_context(|| format!("invalid log filter {filter:?}"))?;
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).init();
    Ok(())
}

pub fn serve(args: &ServeArgs) -> Result<ExitCode> {
    let config = Config::resolve(args)?;
    init_logging(&config.log)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the runtime")?;
    let store = rt
        .block_on(Store::open(&config.database, config.sqlite_synchronous))
        .with_context(|| format!("cannot open the database ({})", config.database.describe()))?;
    // The secrets live in the data directory whichever database holds the rest.
    create_private_dir(&config.data_dir)
        .with_context(|| format!("cannot make the data directory {}", config.data_dir.display()))?;
    let signer = secrets::signing_key(&config.data_dir)?;
    let secrets = Secrets::load_or_create(&config.data_dir)?;
    rt.block_on(store.check_secrets(signer.key_id(), &secrets.fingerprint()))?;
    let policy = match &config.policy {
        None => Policy::default(),
        Some(p) => {
            let s = std::fs::read_to_string(p).with_context(|| format!("cannot read policy {}", p.display()))?;
            Policy::parse(&s).with_context(|| format!("policy {}", p.display()))?
        }
    };
    let engine = Engine::new(policy).context("policy")?;
    if let Some(key) = rt.block_on(store.create_first_key("default", Tier::Developer, true, false))? {
        let mut out = std::io::stdout().lock();
        writeln!(out, "Created a developer API key for tenant \"default\". It is shown only this once:\n")?;
        writeln!(out, "    {}\n", key.key)?;
        writeln!(out, "Make more with `lucairn keys create`.")?;
        out.flush()?;
    }
    let signer = Arc::new(signer);
    let upstream = Upstream::new(&config.upstream, config.connect_timeout, config.upstream_timeout)?;
    let anthropic = Upstream::new(&config.anthropic_upstream, config.connect_timeout, config.upstream_timeout)?;
    let tls = match &config.tls {
        Some((cert, key)) => Some(server::tls_acceptor(cert, key)?),
        None => None,
    };
    let limits = Limits::new(config.max_concurrent_requests, config.rate_limit, config.body_read_timeout)
        .with_max_connections(config.max_connections);
    rt.block_on(async move {
        let ledger = Ledger::start(store.clone(), signer.clone()).context("cannot start the certificate writer")?;
        let listener =
            TcpListener::bind(config.listen).await.with_context(|| format!("cannot listen on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let signal = server::ShutdownSignal::listen().context("cannot listen for SIGTERM and SIGINT")?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let public_url = config.public_url.clone().unwrap_or_else(|| format!("{scheme}://{addr}"));
        tracing::info!(
            listen = %addr,
            upstream = upstream.base(),
            anthropic_upstream = anthropic.base(),
            data_dir = %config.data_dir.display(),
            database = %store.describe(),
            key_id = signer.key_id(),
            "lucairn gateway started"
        );
        let state = Arc::new(State {
            config,
            public_url,
            store,
            pipeline: Pipeline::new(engine, secrets),
            upstream,
            anthropic,
            signer,
            metrics: Metrics::default(),
            ledger,
            limits,
            tasks: tokio_util::task::TaskTracker::new(),
            cut: tokio_util::sync::CancellationToken::new(),
        });
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "lucairn: listening on {scheme}://{addr}")?;
            out.flush()?;
        }
        server::serve(state, listener, tls, signal).await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
