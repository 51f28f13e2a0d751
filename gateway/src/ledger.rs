//! The certificate ledger: one thread signs certificates in arrival order, links each to
//! the previous certificate of its tenant (each tenant's certificates form one chain, see
//! [`lucairn_core::verify_chain`]), and stores them in batches, one transaction per
//! batch.
//!
//! A request waits until its certificate is committed, so every answer the gateway sends
//! has its certificate in the database; under load, many requests share one commit.

use std::collections::HashMap;
use std::sync::Arc;

use lucairn_core::{CertificateBuilder, SigningKey};
use tokio::sync::{mpsc, oneshot};

use crate::store::{CertificateRecord, Store, StoreError};

/// Most certificates written in one transaction.
const MAX_BATCH: usize = 256;
/// Certificates waiting for the writer before senders wait.
const QUEUE: usize = 4096;

/// Why a certificate was not stored.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("storing certificates failed: {0}")]
    Store(String),
    #[error("the certificate could not be signed: {0}")]
    Sign(String),
    #[error("the certificate writer has stopped")]
    Stopped,
}

struct Job {
    cert: CertificateBuilder,
    tenant: String,
    created_at: i64,
    /// The certificate's id once it is stored.
    done: oneshot::Sender<Result<String, LedgerError>>,
}

/// A handle on the writer thread; cheap to share.
#[derive(Debug, Clone)]
pub struct Ledger {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").finish_non_exhaustive()
    }
}

impl Ledger {
    /// Starts the writer, continuing the chains stored in `store`.
    pub fn start(store: Store, signer: Arc<SigningKey>) -> Result<Ledger, StoreError> {
        let (tx, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new().name("lucairn-ledger".into()).spawn(move || run(store, signer, rx))?;
        Ok(Ledger { tx })
    }

    /// Chains (`previous`), signs and stores a certificate of `tenant`; returns its id.
    pub async fn append(
        &self,
        cert: CertificateBuilder,
        tenant: String,
        created_at: i64,
    ) -> Result<String, LedgerError> {
        let (done, wait) = oneshot::channel();
        self.tx.send(Job { cert, tenant, created_at, done }).await.map_err(|_| LedgerError::Stopped)?;
        wait.await.map_err(|_| LedgerError::Stopped)?
    }
}

fn run(store: Store, signer: Arc<SigningKey>, mut rx: mpsc::Receiver<Job>) {
    // Digest of each tenant's newest stored certificate (`None`: the tenant has none).
    let mut heads: HashMap<String, Option<String>> = HashMap::new();
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        jobs.push(first);
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        // Heads as they will be once this batch is committed.
        let mut next: HashMap<String, Option<String>> = HashMap::new();
        let mut records = Vec::with_capacity(jobs.len());
        let mut waiting = Vec::with_capacity(jobs.len());
        for mut job in jobs.drain(..) {
            let head = match next.get(&job.tenant).or_else(|| heads.get(&job.tenant)) {
                Some(h) => h.clone(),
                None => match store.last_certificate_digest(&job.tenant) {
                    Ok(h) => {
                        heads.insert(job.tenant.clone(), h.clone());
                        h
                    }
                    Err(e) => {
                        let _ = job.done.send(Err(LedgerError::Store(e.to_string())));
                        continue;
                    }
                },
            };
            match job.cert.previous(head.clone()).sign(&signer) {
                Ok(cert) => {
                    let digest = cert.digest();
                    next.insert(job.tenant.clone(), Some(digest.clone()));
                    records.push(CertificateRecord {
                        id: cert.id.clone(),
                        tenant: std::mem::take(&mut job.tenant),
                        created_at: job.created_at,
                        digest,
                        previous: head,
                        json: cert.to_json(),
                    });
                    waiting.push((job.done, cert.id));
                }
                Err(e) => {
                    let _ = job.done.send(Err(LedgerError::Sign(e.to_string())));
                }
            }
        }
        match store.insert_certificates(&records) {
            Ok(()) => {
                heads.extend(next);
                for (w, id) in waiting {
                    let _ = w.send(Ok(id));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, count = records.len(), "storing certificates failed");
                let msg = e.to_string();
                for (w, _) in waiting {
                    let _ = w.send(Err(LedgerError::Store(msg.clone())));
                }
            }
        }
    }
}
