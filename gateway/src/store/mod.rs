//! The store: API keys (hashes only) and certificates, in one of two databases.
//!
//! - **SQLite** (the default): one file, `lucairn.db`, in the data directory. One gateway
//!   process, or several on one machine sharing the directory.
//! - **PostgreSQL** (`--database-url postgres://…`): one database shared by any number of
//!   gateway replicas behind a load balancer.
//!
//! Both hold the same records and keep each tenant's certificates in one chain (see
//! [`Store::append_chained`]): the next certificate's `previous` is read from the
//! database inside the transaction that stores it, under a lock, so several writers —
//! threads or processes, on one machine or many — never fork a chain.
//!
//! The calls are `async`. SQLite's run on tokio's blocking pool, except a key lookup,
//! an indexed read on a connection of its own that takes microseconds and runs inline.

use std::fmt;
use std::path::PathBuf;

use crate::auth::{NewKey, Tier};

mod pg_tls;
mod postgres;
mod sqlite;

pub use postgres::{PgStore, check_url};
pub use sqlite::{DB_FILE, SqliteStore, Synchronous, create_private_dir};

/// An error of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    // Not a `source`: the message already holds its causes.
    #[error("database: {}", postgres::message(.0))]
    Postgres(tokio_postgres::Error),
    #[error("database connection pool: {0}")]
    Pool(String),
    #[error("database TLS: {0}")]
    Tls(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the database lock is poisoned")]
    Poisoned,
    #[error("a database task failed")]
    Task,
    #[error("the database has schema version {0}, newer than this program understands")]
    TooNew(i64),
    #[error("the database holds an invalid value in {0}")]
    Corrupt(&'static str),
    #[error("{0}")]
    Mismatch(String),
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        StoreError::Postgres(e)
    }
}

/// One API key as stored (without the key itself).
#[derive(Debug, Clone)]
pub struct KeyRecord {
    pub id: String,
    pub hash: Vec<u8>,
    pub tenant: String,
    pub tier: Tier,
    pub live: bool,
    pub relink: bool,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// Requests per minute of this key: `None` for the server's `--rate-limit`, `Some(0)`
    /// for no limit.
    pub rate_limit: Option<u32>,
}

/// A certificate to store.
#[derive(Debug, Clone)]
pub struct CertificateRecord {
    pub id: String,
    pub tenant: String,
    pub created_at: i64,
    /// Digest of this certificate, which the next one quotes.
    pub digest: String,
    /// Digest of the previous certificate in the chain.
    pub previous: Option<String>,
    pub json: String,
}

/// Where the store is.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// `lucairn.db` in this directory.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Location {
    /// A description fit for logs and error messages: never the password of a URL.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(dir) => format!("SQLite in {}", dir.display()),
            Location::Postgres(url) => format!("PostgreSQL {}", postgres::redacted(url)),
        }
    }
}

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// What [`Store::append_chained`] asks of its caller for each certificate: given its
/// index in the batch and the digest of the tenant's previous certificate, the signed
/// record to store, or why there is none (that certificate is then skipped and the chain
/// goes on without it).
pub trait Link<E>: FnMut(usize, Option<String>) -> Result<CertificateRecord, E> + Send + 'static {}

impl<E, F: FnMut(usize, Option<String>) -> Result<CertificateRecord, E> + Send + 'static> Link<E> for F {}

impl Store {
    /// Opens the store, creating or migrating its schema (idempotent; several processes
    /// may start at once). `sync` is SQLite's durability (PostgreSQL has its own).
    pub async fn open(location: &Location, sync: Synchronous) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(dir) => {
                let dir = dir.clone();
                let s = tokio::task::spawn_blocking(move || SqliteStore::open_with(&dir, sync))
                    .await
                    .map_err(|_| StoreError::Task)?;
                Ok(Store::Sqlite(s?))
            }
            Location::Postgres(url) => Ok(Store::Postgres(PgStore::open(url).await?)),
        }
    }

    /// Where the store is, for logs (no password).
    pub fn describe(&self) -> String {
        match self {
            Store::Sqlite(s) => format!(
                "{}, synchronous={}",
                Location::Sqlite(s.dir().to_path_buf()).describe(),
                s.synchronous().as_str()
            ),
            Store::Postgres(p) => format!("PostgreSQL {}", p.describe()),
        }
    }

    /// Makes and stores a new key (with its own requests per minute, see
    /// [`KeyRecord::rate_limit`]); the returned key is the only copy.
    pub async fn create_key(
        &self,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
        rate_limit: Option<u32>,
    ) -> Result<NewKey, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let (s, tenant) = (s.clone(), tenant.to_string());
                blocking(move || s.create_key(&tenant, tier, live, relink, rate_limit)).await
            }
            Store::Postgres(p) => p.create_key(tenant, tier, live, relink, rate_limit).await,
        }
    }

    /// Makes a key as [`Store::create_key`] does, but only when the store has no key at
    /// all (a first start); `None` otherwise. Of several processes starting at once on an
    /// empty store, one makes the key.
    pub async fn create_first_key(
        &self,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
    ) -> Result<Option<NewKey>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let (s, tenant) = (s.clone(), tenant.to_string());
                blocking(move || s.create_first_key(&tenant, tier, live, relink)).await
            }
            Store::Postgres(p) => p.create_first_key(tenant, tier, live, relink).await,
        }
    }

    /// All keys, oldest first.
    pub async fn list_keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let s = s.clone();
                blocking(move || s.list_keys()).await
            }
            Store::Postgres(p) => p.list_keys().await,
        }
    }

    /// The key with this id.
    pub async fn key(&self, id: &str) -> Result<Option<KeyRecord>, StoreError> {
        match self {
            // An indexed read on the reader connection takes microseconds: it runs inline.
            Store::Sqlite(s) => s.key(id),
            Store::Postgres(p) => p.key(id).await,
        }
    }

    /// Number of keys, revoked or not.
    pub async fn key_count(&self) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let s = s.clone();
                blocking(move || s.key_count()).await
            }
            Store::Postgres(p) => p.key_count().await,
        }
    }

    /// Revokes a key. `Ok(false)` when there is no such key; revoking twice is fine.
    pub async fn revoke_key(&self, id: &str) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let (s, id) = (s.clone(), id.to_string());
                blocking(move || s.revoke_key(&id)).await
            }
            Store::Postgres(p) => p.revoke_key(id).await,
        }
    }

    /// The JSON of a certificate.
    pub async fn certificate(&self, id: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let (s, id) = (s.clone(), id.to_string());
                blocking(move || s.certificate(&id)).await
            }
            Store::Postgres(p) => p.certificate(id).await,
        }
    }

    /// Stores a batch of certificates, each at the head of its tenant's chain, in one
    /// transaction: all or none.
    ///
    /// `tenants[i]` is the tenant of the batch's `i`-th certificate. In batch order, the
    /// store calls `link(i, previous)` with the digest of the newest certificate of that
    /// tenant (stored, or earlier in this batch; `None` for the tenant's first) and stores
    /// the record it returns. The heads are read and the records written in one
    /// transaction that holds a lock on the heads of the batch's tenants (SQLite: the
    /// database write lock; PostgreSQL: the tenants' rows of `chain_heads`), so
    /// concurrent writers, in this process or others, take turns per tenant.
    ///
    /// Returns, per certificate in batch order, the stored record or `link`'s error;
    /// `Err` when the transaction failed and nothing was stored.
    pub async fn append_chained<E: Send + 'static>(
        &self,
        tenants: Vec<String>,
        link: impl Link<E>,
    ) -> Result<Vec<Result<CertificateRecord, E>>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let s = s.clone();
                blocking(move || s.append_chained(&tenants, link)).await
            }
            Store::Postgres(p) => p.append_chained(&tenants, link).await,
        }
    }

    /// On PostgreSQL, where replicas each have a data directory of their own: checks that
    /// this process signs with the same key and derives tenant secrets from the same
    /// master secret as the replicas before it (the first replica records both
    /// fingerprints). A replica with other secrets would sign certificates the others do
    /// not publish keys for, and give tenants other placeholders. Nothing to check on
    /// SQLite, whose data directory holds the database and the secrets together.
    pub async fn check_secrets(&self, signing_key_id: &str, master_fingerprint: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(_) => Ok(()),
            Store::Postgres(p) => p.check_secrets(signing_key_id, master_fingerprint).await,
        }
    }
}

/// Runs a blocking store call on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|_| StoreError::Task)?
}
