//! `lucairn verify`: checks a certificate's signature offline.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use serde::Deserialize;

use crate::certify::Certificate;
use crate::config::StoreArgs;
use crate::signing::{self, SigningKey};
use crate::util;

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The certificate: a JSON file, `-` for standard input, or its http(s) URL.
    certificate: String,
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

fn parse_key(s: &str) -> Option<[u8; 32]> {
    util::unhex(s.trim())?.try_into().ok()
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the runtime")
}

fn fetch(url: &str) -> Result<Vec<u8>> {
    let body = runtime()?.block_on(crate::upstream::get(url, Duration::from_secs(30))).map_err(|e| anyhow!(e))?;
    Ok(body.to_vec())
}

pub(crate) fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    let json = if args.certificate == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("cannot read standard input")?;
        s
    } else if args.certificate.starts_with("http://") || args.certificate.starts_with("https://") {
        String::from_utf8(fetch(&args.certificate)?).context("the certificate is not UTF-8")?
    } else {
        let p = PathBuf::from(&args.certificate);
        std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?
    };

    let mut keys: Vec<(String, [u8; 32])> = Vec::new();
    for k in &args.key {
        let key = match parse_key(k) {
            Some(key) => key,
            None => {
                let text = std::fs::read_to_string(k)
                    .with_context(|| format!("--key {k:?} is neither 64 hex characters nor a readable file"))?;
                parse_key(&text).ok_or_else(|| anyhow!("{k}: does not hold a 64-character hex public key"))?
            }
        };
        keys.push((signing::key_id(&key), key));
    }
    if let Some(url) = &args.url {
        let base = url.trim_end_matches('/');
        let body = fetch(&format!("{base}/v1/certificates/keys"))?;
        let published: Published = serde_json::from_slice(&body).context("the published keys are not valid")?;
        for k in published.keys {
            let key = parse_key(&k.public_key).ok_or_else(|| anyhow!("published key {} is malformed", k.key_id))?;
            if signing::key_id(&key) != k.key_id {
                bail!("published key {} does not match its id", k.key_id);
            }
            keys.push((k.key_id, key));
        }
    }
    if keys.is_empty() {
        let dir = args.store.data_dir()?;
        let key = SigningKey::load_existing(&dir)?;
        keys.push((key.id().to_string(), key.public_key()));
    }

    let mut out = std::io::stdout().lock();
    match Certificate::verify(&json, &keys) {
        Ok(c) => {
            let total: u64 = c.findings.values().sum();
            writeln!(
                out,
                "OK: certificate {} verifies (key {}, issued {}, {total} findings)",
                c.id, c.key_id, c.issued_at
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            drop(out);
            eprintln!("lucairn: certificate does not verify: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
