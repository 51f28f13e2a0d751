//! `lucairn verify`: checks certificates offline with the engine's verification.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use lucairn_core::{PublicKey, verify_chain};
use serde::Deserialize;

use crate::config::StoreArgs;
use crate::secrets;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Certificates: JSON files, `-` for standard input, or their http(s) URLs. Several
    /// are checked as one tenant's chain, oldest first: each must quote the digest of the
    /// one before it.
    #[arg(required = true, value_name = "CERT")]
    certificates: Vec<String>,
    /// A public key: 64 hex characters, or a file holding them (repeatable).
    #[arg(long, value_name = "HEX|FILE")]
    key: Vec<String>,
    /// A gateway's base URL; its published keys (`/v1/certificates/keys`) are used.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Without --key or --url: use the signing key of this data directory.
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Deserialize)]
struct PublishedKey {
    key_id: String,
    public_key: String,
}

#[derive(Deserialize)]
struct Published {
    keys: Vec<PublishedKey>,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the runtime")
}

fn fetch(url: &str) -> Result<Vec<u8>> {
    let body = runtime()?.block_on(crate::upstream::get(url, Duration::from_secs(30))).map_err(|e| anyhow!(e))?;
    Ok(body.to_vec())
}

fn read(source: &str) -> Result<String> {
    if source == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("cannot read standard input")?;
        Ok(s)
    } else if source.starts_with("http://") || source.starts_with("https://") {
        String::from_utf8(fetch(source)?).context("the certificate is not UTF-8")
    } else {
        let p = PathBuf::from(source);
        std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))
    }
}

pub fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    if args.certificates.iter().filter(|c| *c == "-").count() > 1 {
        bail!("standard input (-) can be given once");
    }
    let jsons = args.certificates.iter().map(|c| read(c)).collect::<Result<Vec<String>>>()?;

    let mut keys: Vec<PublicKey> = Vec::new();
    for k in &args.key {
        let key = match PublicKey::from_hex(k) {
            Ok(key) => key,
            Err(_) => {
                let text = std::fs::read_to_string(k)
                    .with_context(|| format!("--key {k:?} is neither 64 hex characters nor a readable file"))?;
                PublicKey::from_hex(&text).map_err(|e| anyhow!("{k}: {e}"))?
            }
        };
        keys.push(key);
    }
    if let Some(url) = &args.url {
        let base = url.trim_end_matches('/');
        let body = fetch(&format!("{base}/v1/certificates/keys"))?;
        let published: Published = serde_json::from_slice(&body).context("the published keys are not valid")?;
        for k in published.keys {
            let key = PublicKey::from_hex(&k.public_key)
                .map_err(|e| anyhow!("published key {} is malformed: {e}", k.key_id))?;
            if key.key_id() != k.key_id {
                bail!("published key {} does not match its id", k.key_id);
            }
            keys.push(key);
        }
    }
    if keys.is_empty() {
        let dir = args.store.data_dir()?;
        keys.push(secrets::existing_signing_key(&dir)?.public_key().clone());
    }

    match verify_chain(&jsons, &keys) {
        Ok(certs) => {
            let mut out = std::io::stdout().lock();
            for c in &certs {
                let total: u64 = c.counts.values().sum();
                writeln!(
                    out,
                    "OK: certificate {} verifies (key {}, issued {}, {total} findings)",
                    c.id, c.key_id, c.issued_at
                )?;
            }
            if certs.len() > 1 {
                writeln!(out, "OK: the {} certificates form an unbroken chain", certs.len())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("lucairn: certificate does not verify: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
