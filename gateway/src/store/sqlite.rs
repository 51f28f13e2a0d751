//! The SQLite store: one file, `lucairn.db`, in the data directory, in WAL mode so
//! `lucairn keys` can write while a server reads. Calls are synchronous and short; the
//! server runs them on tokio's blocking pool (see [`super::Store`]).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{CertificateRecord, KeyRecord, Link, StoreError};
use crate::auth::{self, NewKey, Tier};
use crate::util;

/// Name of the database file inside the data directory.
pub const DB_FILE: &str = "lucairn.db";

/// A handle on the SQLite database; cheap to clone.
///
/// Two connections: one for writes, one for reads, so that looking up a key never waits
/// for a certificate batch being committed (WAL readers do not block on the writer).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    write: Arc<Mutex<Connection>>,
    read: Arc<Mutex<Connection>>,
    dir: PathBuf,
    sync: Synchronous,
}

/// 1: the first schema; 2: `api_keys.rate_limit`.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    hash        BLOB NOT NULL,
    tenant      TEXT NOT NULL,
    tier        TEXT NOT NULL,
    live        INTEGER NOT NULL,
    relink      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    rate_limit  INTEGER
);
CREATE TABLE certificates (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    tenant      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    previous    TEXT,
    json        TEXT NOT NULL
);
CREATE INDEX certificates_by_tenant ON certificates (tenant, seq);
";

/// Creates a directory readable only by its owner (on Unix).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// How SQLite makes commits durable (its `synchronous` setting, in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// Each commit is fsynced before it returns: committed certificates survive a crash
    /// of the process and a power loss or crash of the machine.
    #[default]
    Full,
    /// Commits are fsynced at checkpoints only: committed certificates survive a crash
    /// (or `kill -9`) of the process, but the last ones may be lost with a power loss or
    /// a crash of the machine.
    Normal,
}

impl Synchronous {
    /// `full` or `normal`, as the option is written.
    pub fn as_str(self) -> &'static str {
        match self {
            Synchronous::Full => "full",
            Synchronous::Normal => "normal",
        }
    }

    fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `dir`, with `synchronous=FULL`.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(dir, Synchronous::Full)
    }

    /// Opens (creating if needed) the database in `dir`, committing as `sync` says.
    pub fn open_with(dir: &Path, sync: Synchronous) -> Result<SqliteStore, StoreError> {
        create_private_dir(dir)?;
        let open = || -> Result<Connection, StoreError> {
            let conn = Connection::open(dir.join(DB_FILE))?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // FULL (the default): each commit is fsynced before it returns, so a
            // certificate whose answer was sent survives a power loss too, not only a crash
            // of the process (which WAL with NORMAL already survives). The ledger commits
            // certificates in batches, so under load many answers share one fsync.
            conn.pragma_update(None, "synchronous", sync.pragma())?;
            Ok(conn)
        };
        // Two processes opening a new database at once can find it busy while the other
        // switches it to WAL, which SQLite reports at once rather than through the busy
        // timeout: try again for as long as the busy timeout would wait.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut conn = loop {
            match open() {
                Err(StoreError::Sqlite(e))
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                r => break r?,
            }
        };
        // Under the write lock, so that processes starting at once make the schema once.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        match version {
            0 => {
                tx.execute_batch(&format!("{SCHEMA} PRAGMA user_version = {SCHEMA_VERSION};"))?;
                tx.commit()?;
            }
            1 => {
                tx.execute_batch(&format!(
                    "ALTER TABLE api_keys ADD COLUMN rate_limit INTEGER; PRAGMA user_version = {SCHEMA_VERSION};"
                ))?;
                tx.commit()?;
            }
            SCHEMA_VERSION => drop(tx),
            v => return Err(StoreError::TooNew(v)),
        }
        // (The database is in WAL mode by now: this one does not switch it.)
        let read = open()?;
        Ok(SqliteStore {
            write: Arc::new(Mutex::new(conn)),
            read: Arc::new(Mutex::new(read)),
            dir: dir.to_path_buf(),
            sync,
        })
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How commits reach the disk.
    pub fn synchronous(&self) -> Synchronous {
        self.sync
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.write.lock().map_err(|_| StoreError::Poisoned)
    }

    fn reader(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.read.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Makes and stores a new key; the returned key is the only copy.
    pub fn create_key(
        &self,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
        rate_limit: Option<u32>,
    ) -> Result<NewKey, StoreError> {
        SqliteStore::insert_key(&*self.conn()?, tenant, tier, live, relink, rate_limit)
    }

    /// Makes a key when there is none at all, in one write transaction.
    pub fn create_first_key(
        &self,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
    ) -> Result<Option<NewKey>, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n: i64 = tx.query_row("SELECT COUNT(*) FROM api_keys", [], |r| r.get(0))?;
        if n > 0 {
            return Ok(None);
        }
        let key = SqliteStore::insert_key(&tx, tenant, tier, live, relink, None)?;
        tx.commit()?;
        Ok(Some(key))
    }

    fn insert_key(
        conn: &Connection,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
        rate_limit: Option<u32>,
    ) -> Result<NewKey, StoreError> {
        // A clash of 8-character ids is rare; try again with a fresh key.
        for _ in 0..8 {
            let key = auth::generate(live)?;
            let r = conn.execute(
                "INSERT INTO api_keys (id, hash, tenant, tier, live, relink, created_at, rate_limit) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![key.id, &key.hash[..], tenant, tier.as_str(), live, relink, util::now_unix(), rate_limit],
            );
            match r {
                Ok(_) => return Ok(key),
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Corrupt("api_keys (no free key id)"))
    }

    fn key_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(KeyRecord, String, Option<i64>)> {
        let tier: String = row.get(3)?;
        Ok((
            KeyRecord {
                id: row.get(0)?,
                hash: row.get(1)?,
                tenant: row.get(2)?,
                tier: Tier::Developer,
                live: row.get(4)?,
                relink: row.get(5)?,
                created_at: row.get(6)?,
                revoked_at: row.get(7)?,
                rate_limit: None,
            },
            tier,
            row.get(8)?,
        ))
    }

    fn finish_key((mut k, tier, rate_limit): (KeyRecord, String, Option<i64>)) -> Result<KeyRecord, StoreError> {
        k.tier = tier.parse().map_err(|_| StoreError::Corrupt("api_keys.tier"))?;
        k.rate_limit =
            rate_limit.map(|n| u32::try_from(n).map_err(|_| StoreError::Corrupt("api_keys.rate_limit"))).transpose()?;
        Ok(k)
    }

    /// All keys, oldest first.
    pub fn list_keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        let conn = self.reader()?;
        let mut st = conn.prepare(
            "SELECT id, hash, tenant, tier, live, relink, created_at, revoked_at, rate_limit FROM api_keys \
             ORDER BY created_at, id",
        )?;
        let rows = st.query_map([], SqliteStore::key_from_row)?;
        rows.map(|r| SqliteStore::finish_key(r?)).collect()
    }

    /// The key with this id.
    pub fn key(&self, id: &str) -> Result<Option<KeyRecord>, StoreError> {
        let conn = self.reader()?;
        let row = conn
            .query_row(
                "SELECT id, hash, tenant, tier, live, relink, created_at, revoked_at, rate_limit FROM api_keys \
                 WHERE id = ?1",
                [id],
                SqliteStore::key_from_row,
            )
            .optional()?;
        row.map(SqliteStore::finish_key).transpose()
    }

    /// Number of keys, revoked or not.
    pub fn key_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn()?.query_row("SELECT COUNT(*) FROM api_keys", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Revokes a key. `Ok(false)` when there is no such key; revoking twice is fine.
    pub fn revoke_key(&self, id: &str) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        let n = conn.execute(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![id, util::now_unix()],
        )?;
        Ok(n > 0)
    }

    /// [`super::Store::append_chained`]: the heads are read inside an immediate
    /// transaction, which holds the database's write lock, so other writers (other
    /// processes on the same file) wait for the commit.
    pub fn append_chained<E>(
        &self,
        tenants: &[String],
        mut link: impl Link<E>,
    ) -> Result<Vec<Result<CertificateRecord, E>>, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut heads: HashMap<&str, Option<String>> = HashMap::new();
        let mut out = Vec::with_capacity(tenants.len());
        {
            let mut head_of =
                tx.prepare_cached("SELECT digest FROM certificates WHERE tenant = ?1 ORDER BY seq DESC LIMIT 1")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO certificates (id, tenant, created_at, digest, previous, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (i, tenant) in tenants.iter().enumerate() {
                let head = match heads.get(tenant.as_str()) {
                    Some(h) => h.clone(),
                    None => head_of.query_row([tenant], |r| r.get(0)).optional()?,
                };
                let r = link(i, head.clone());
                match &r {
                    Ok(c) => {
                        insert.execute(params![c.id, c.tenant, c.created_at, c.digest, c.previous, c.json])?;
                        heads.insert(tenant, Some(c.digest.clone()));
                    }
                    Err(_) => {
                        heads.insert(tenant, head);
                    }
                }
                out.push(r);
            }
        }
        tx.commit()?;
        Ok(out)
    }

    /// The JSON of a certificate.
    pub fn certificate(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.reader()?.query_row("SELECT json FROM certificates WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_durability_setting_reaches_both_connections() {
        let dir = std::env::temp_dir().join(format!("lucairn-sync-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (sync, pragma) in [(Synchronous::Normal, 1), (Synchronous::Full, 2)] {
            let s = SqliteStore::open_with(&dir, sync).expect("open");
            assert_eq!(s.synchronous(), sync);
            for conn in [s.conn().expect("writer"), s.reader().expect("reader")] {
                let v: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0)).expect("pragma");
                assert_eq!(v, pragma, "{sync:?}");
                let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).expect("pragma");
                assert_eq!(mode, "wal");
            }
        }
        assert_eq!(SqliteStore::open(&dir).expect("open").synchronous(), Synchronous::Full, "the default");
        let _ = fs::remove_dir_all(&dir);
    }
}
