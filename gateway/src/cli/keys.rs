//! `lucairn keys create|list|revoke`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::auth::{self, Tier};
use crate::config::StoreArgs;
use crate::store::{Store, Synchronous};

#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Make a new API key and print it (alone, on standard output).
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// What the key may do: developer, pro or enterprise.
        #[arg(long, default_value = "developer", value_parser = parse_tier)]
        tier: Tier,
        /// Tenant the key belongs to.
        #[arg(long, default_value = "default")]
        tenant: String,
        /// Make an `lcr_test_` key instead of `lcr_live_`.
        #[arg(long)]
        test: bool,
        /// Re-link original values into answers unless a request says otherwise
        /// (pro and enterprise) [default: on for pro and enterprise].
        #[arg(long, value_enum)]
        relink: Option<OnOff>,
        /// Requests per minute for this key (as many at once), in place of the server's
        /// --rate-limit; 0 for no limit [default: the server's].
        #[arg(long, value_name = "PER_MINUTE")]
        rate_limit: Option<u32>,
    },
    /// List keys (ids, never the keys themselves).
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Revoke a key by id (or by the key itself).
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        /// Key id as shown by `keys list`, or the whole key.
        key: String,
    },
}

fn parse_tier(s: &str) -> Result<Tier, String> {
    s.parse()
}

fn valid_tenant(t: &str) -> bool {
    (1..=64).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

/// The store of these flags, and a runtime to call it on.
fn open(store: &StoreArgs) -> Result<(Store, tokio::runtime::Runtime)> {
    let location = store.location()?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the runtime")?;
    let store = rt
        .block_on(Store::open(&location, Synchronous::Full))
        .with_context(|| format!("cannot open the database ({})", location.describe()))?;
    Ok((store, rt))
}

#[derive(Serialize)]
struct KeyOut<'a> {
    id: &'a str,
    tenant: &'a str,
    tier: &'static str,
    mode: &'static str,
    relink: bool,
    created_at: String,
    revoked_at: Option<String>,
    /// Requests per minute of the key: `None` for the server's rate, 0 for no limit.
    rate_limit: Option<u32>,
}

/// The rate of a key as `keys list` shows it.
fn rate_text(rate: Option<u32>) -> String {
    match rate {
        None => "default".to_string(),
        Some(0) => "unlimited".to_string(),
        Some(n) => format!("{n}/min"),
    }
}

pub fn keys(args: &KeysArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match &args.command {
        KeysCommand::Create { store, tier, tenant, test, relink, rate_limit } => {
            if !valid_tenant(tenant) {
                bail!("tenant must be 1 to 64 characters from A-Z, a-z, 0-9, '_', '-', '.'");
            }
            let relink = match relink {
                Some(OnOff::On) if !tier.may_relink() => bail!("--relink on needs a pro or enterprise key"),
                Some(r) => *r == OnOff::On,
                None => tier.may_relink(),
            };
            let (store, rt) = open(store)?;
            let key = rt.block_on(store.create_key(tenant, *tier, !test, relink, *rate_limit))?;
            writeln!(out, "{}", key.key)?;
        }
        KeysCommand::List { store, format } => {
            let (store, rt) = open(store)?;
            let keys = rt.block_on(store.list_keys())?;
            let rows: Vec<KeyOut<'_>> = keys
                .iter()
                .map(|k| KeyOut {
                    id: &k.id,
                    tenant: &k.tenant,
                    tier: k.tier.as_str(),
                    mode: if k.live { "live" } else { "test" },
                    relink: k.relink,
                    created_at: lucairn_core::rfc3339_utc(k.created_at),
                    revoked_at: k.revoked_at.map(lucairn_core::rfc3339_utc),
                    rate_limit: k.rate_limit,
                })
                .collect();
            match format {
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &rows)?;
                    writeln!(out)?;
                }
                ListFormat::Table => {
                    writeln!(
                        out,
                        "{:<10} {:<20} {:<11} {:<5} {:<7} {:<10} {:<21} REVOKED",
                        "ID", "TENANT", "TIER", "MODE", "RELINK", "RATE", "CREATED"
                    )?;
                    for r in &rows {
                        writeln!(
                            out,
                            "{:<10} {:<20} {:<11} {:<5} {:<7} {:<10} {:<21} {}",
                            r.id,
                            r.tenant,
                            r.tier,
                            r.mode,
                            if r.relink { "on" } else { "off" },
                            rate_text(r.rate_limit),
                            r.created_at,
                            r.revoked_at.as_deref().unwrap_or("-")
                        )?;
                    }
                }
            }
        }
        KeysCommand::Revoke { store, key } => {
            let id = auth::key_id(key).unwrap_or(key);
            let (store, rt) = open(store)?;
            if !rt.block_on(store.revoke_key(id))? {
                bail!("no key with id {id:?}");
            }
            writeln!(out, "revoked {id}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
