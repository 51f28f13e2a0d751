//! The certificate ledger: one thread signs certificates in arrival order, links each to
//! the previous one (the chain), and stores them in batches, one transaction per batch.
//!
//! A request waits until its certificate is committed, so every answer the gateway sends
//! has its certificate in the database; under load, many requests share one commit.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::certify::Certificate;
use crate::signing::SigningKey;
use crate::store::{CertificateRecord, Store, StoreError};

/// Most certificates written in one transaction.
const MAX_BATCH: usize = 256;
/// Certificates waiting for the writer before senders wait.
const QUEUE: usize = 4096;

/// Why a certificate was not stored.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LedgerError {
    #[error("storing certificates failed: {0}")]
    Store(String),
    #[error("the certificate could not be signed")]
    Sign,
    #[error("the certificate writer has stopped")]
    Stopped,
}

struct Job {
    cert: Certificate,
    tenant: String,
    created_at: i64,
    done: oneshot::Sender<Result<(), LedgerError>>,
}

/// A handle on the writer thread; cheap to share.
#[derive(Debug, Clone)]
pub(crate) struct Ledger {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("id", &self.cert.id).finish_non_exhaustive()
    }
}

impl Ledger {
    /// Starts the writer, continuing the chain stored in `store`.
    pub(crate) fn start(store: Store, signer: Arc<SigningKey>) -> Result<Ledger, StoreError> {
        let head = store.last_certificate_digest()?;
        let (tx, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new().name("lucairn-ledger".into()).spawn(move || run(store, signer, head, rx))?;
        Ok(Ledger { tx })
    }

    /// Signs `cert` (its `previous` and `key_id` are set here) and stores it.
    pub(crate) async fn append(&self, cert: Certificate, tenant: String, created_at: i64) -> Result<(), LedgerError> {
        let (done, wait) = oneshot::channel();
        self.tx.send(Job { cert, tenant, created_at, done }).await.map_err(|_| LedgerError::Stopped)?;
        wait.await.map_err(|_| LedgerError::Stopped)?
    }
}

fn run(store: Store, signer: Arc<SigningKey>, mut head: Option<String>, mut rx: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        jobs.push(first);
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let mut next = head.clone();
        let mut records = Vec::with_capacity(jobs.len());
        let mut waiting = Vec::with_capacity(jobs.len());
        for mut job in jobs.drain(..) {
            job.cert.previous = next.clone();
            match job.cert.clone().sign(&signer) {
                Ok((json, digest)) => {
                    records.push(CertificateRecord {
                        id: job.cert.id.clone(),
                        tenant: std::mem::take(&mut job.tenant),
                        created_at: job.created_at,
                        digest: digest.clone(),
                        previous: next.take(),
                        json,
                    });
                    next = Some(digest);
                    waiting.push(job.done);
                }
                Err(_) => {
                    let _ = job.done.send(Err(LedgerError::Sign));
                }
            }
        }
        match store.insert_certificates(&records) {
            Ok(()) => {
                head = next;
                for w in waiting {
                    let _ = w.send(Ok(()));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, count = records.len(), "storing certificates failed");
                let msg = e.to_string();
                for w in waiting {
                    let _ = w.send(Err(LedgerError::Store(msg.clone())));
                }
            }
        }
    }
}
