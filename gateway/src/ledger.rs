//! The certificate ledger: one task per process signs certificates in arrival order,
//! links each to the previous certificate of its tenant (each tenant's certificates form
//! one chain, see [`lucairn_core::verify_chain`]), and stores them in batches, one
//! transaction per batch.
//!
//! The chain head is read in the transaction that stores the batch, under a lock
//! ([`Store::append_chained`]), so gateways sharing one database (replicas on
//! PostgreSQL) extend one chain per tenant between them, in the order the database
//! commits their batches.
//!
//! A request waits until its certificate is committed, so every answer the gateway sends
//! has its certificate in the database; under load, many requests share one commit.

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

/// What the writer is sent.
// Nearly every message is a job: boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
enum Msg {
    Job(Job),
    /// Answered once every job sent before it is stored (or has failed).
    Flush(oneshot::Sender<()>),
}

/// A handle on the writer thread; cheap to share.
#[derive(Debug, Clone)]
pub struct Ledger {
    tx: mpsc::Sender<Msg>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").finish_non_exhaustive()
    }
}

impl Ledger {
    /// Starts the writer on the current tokio runtime (panics outside one).
    pub fn start(store: Store, signer: Arc<SigningKey>) -> Result<Ledger, StoreError> {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(store, signer, rx));
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
        self.tx.send(Msg::Job(Job { cert, tenant, created_at, done })).await.map_err(|_| LedgerError::Stopped)?;
        wait.await.map_err(|_| LedgerError::Stopped)?
    }

    /// Returns once every certificate sent to the writer before this call has been
    /// committed (or has failed): for shutdown, after the last request has finished.
    pub async fn flush(&self) -> Result<(), LedgerError> {
        let (done, wait) = oneshot::channel();
        self.tx.send(Msg::Flush(done)).await.map_err(|_| LedgerError::Stopped)?;
        wait.await.map_err(|_| LedgerError::Stopped)
    }
}

async fn run(store: Store, signer: Arc<SigningKey>, mut rx: mpsc::Receiver<Msg>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    // Flushes answered once the batch they came after is stored.
    let mut flushes = Vec::new();
    while let Some(first) = rx.recv().await {
        match first {
            Msg::Job(j) => jobs.push(j),
            Msg::Flush(f) => flushes.push(f),
        }
        while jobs.len() < MAX_BATCH && flushes.is_empty() {
            match rx.try_recv() {
                Ok(Msg::Job(j)) => jobs.push(j),
                Ok(Msg::Flush(f)) => flushes.push(f),
                Err(_) => break,
            }
        }
        if jobs.is_empty() {
            for f in flushes.drain(..) {
                let _ = f.send(());
            }
            continue;
        }
        let mut tenants = Vec::with_capacity(jobs.len());
        let mut pending = Vec::with_capacity(jobs.len());
        let mut waiting = Vec::with_capacity(jobs.len());
        for job in jobs.drain(..) {
            tenants.push(job.tenant.clone());
            pending.push(Some((job.cert, job.tenant, job.created_at)));
            waiting.push(job.done);
        }
        let signer = signer.clone();
        // Called by the store, inside its transaction, with the head of the tenant's chain.
        let link = move |i: usize, previous: Option<String>| -> Result<CertificateRecord, LedgerError> {
            let (mut cert, tenant, created_at) =
                pending.get_mut(i).and_then(Option::take).ok_or_else(|| LedgerError::Sign("no such job".into()))?;
            let cert = cert.previous(previous.clone()).sign(&signer).map_err(|e| LedgerError::Sign(e.to_string()))?;
            Ok(CertificateRecord {
                id: cert.id.clone(),
                tenant,
                created_at,
                digest: cert.digest(),
                previous,
                json: cert.to_json(),
            })
        };
        match store.append_chained(tenants, link).await {
            Ok(results) => {
                for (w, r) in waiting.into_iter().zip(results) {
                    let _ = w.send(r.map(|c| c.id));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, count = waiting.len(), "storing certificates failed");
                let msg = e.to_string();
                for w in waiting {
                    let _ = w.send(Err(LedgerError::Store(msg.clone())));
                }
            }
        }
        for f in flushes.drain(..) {
            let _ = f.send(());
        }
    }
}
