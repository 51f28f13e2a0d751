//! The PostgreSQL store, for several gateway replicas sharing one database.
//!
//! A small pool of connections ([`deadpool_postgres`]). The schema is created at start
//! under an advisory lock, so replicas starting at once do not race; its version is kept
//! in `lucairn_meta`.
//!
//! Each tenant's chain has a row in `chain_heads` holding the digest of its newest
//! certificate. A batch of certificates locks its tenants' rows (`SELECT … FOR UPDATE`,
//! in tenant order, so two writers never wait on each other in a circle), links and signs
//! each certificate to the head it read, inserts them and moves the heads, and commits:
//! writers of one tenant take turns, writers of different tenants do not wait for each
//! other. A unique index on `(tenant, previous)` refuses a fork even if that protocol
//! were broken.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool_postgres::{Hook, HookError, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use tokio_postgres::config::Host;

use super::{CertificateRecord, KeyRecord, Link, StoreError, pg_tls};
use crate::auth::{self, NewKey, Tier};
use crate::util;

/// Connections per process. Certificates are written by one task per process (in
/// batches); the rest serve key lookups and certificate reads.
const POOL_SIZE: usize = 16;
/// Longest wait for a connection, new or from the pool.
const POOL_TIMEOUT: Duration = Duration::from_secs(10);

/// Set on each new connection: a gateway that stalls inside a transaction (a network
/// partition, a stopped process) holds its tenants' chain heads, and so holds up their
/// certificates on every replica, for at most this long before PostgreSQL ends its session.
const SESSION: &str = "SET idle_in_transaction_session_timeout = '10s'";

/// 1: the first schema; 2: `api_keys.rate_limit`.
const SCHEMA_VERSION: i64 = 2;

/// Advisory lock key held while the schema is created or migrated ("lucairn" + 1).
const SCHEMA_LOCK: i64 = 0x6c75_6361_6972_6e01;
/// Advisory lock key held while a first start checks for keys ("lucairn" + 2).
const FIRST_KEY_LOCK: i64 = 0x6c75_6361_6972_6e02;

const SCHEMA: &str = "
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    hash        BYTEA NOT NULL,
    tenant      TEXT NOT NULL,
    tier        TEXT NOT NULL,
    live        BOOLEAN NOT NULL,
    relink      BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT,
    rate_limit  BIGINT
);
CREATE TABLE certificates (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    tenant      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    digest      TEXT NOT NULL,
    previous    TEXT,
    json        TEXT NOT NULL
);
CREATE INDEX certificates_by_tenant ON certificates (tenant, seq);
CREATE UNIQUE INDEX certificates_one_successor ON certificates (tenant, previous);
CREATE TABLE chain_heads (
    tenant      TEXT PRIMARY KEY,
    digest      TEXT
);
";

const KEY_COLUMNS: &str = "id, hash, tenant, tier, live, relink, created_at, revoked_at, rate_limit";

/// A handle on the PostgreSQL database; cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// Tenants whose `chain_heads` row is known to exist.
    heads: Arc<Mutex<HashSet<String>>>,
    /// The URL without its password.
    shown: Arc<str>,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgStore").field("database", &self.shown).finish_non_exhaustive()
    }
}

/// Checks a PostgreSQL URL, its TLS settings included (see [`super::pg_tls`]); the
/// error never holds the URL.
pub fn check_url(url: &str) -> Result<(), String> {
    let (client_url, tls) = pg_tls::split(url)?;
    client_url.parse::<tokio_postgres::Config>().map_err(|e| e.to_string())?;
    pg_tls::connector(&tls)?;
    Ok(())
}

/// A connection URL as `user@host:port/database`: never the password or other options.
pub fn redacted(url: &str) -> String {
    let Some(c) = pg_tls::split(url).ok().and_then(|(u, _)| u.parse::<tokio_postgres::Config>().ok()) else {
        return "(an invalid URL)".to_string();
    };
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let port = c.get_ports().get(i).or(c.get_ports().first()).copied().unwrap_or(5432);
            match h {
                Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                Host::Unix(path) => format!("{}:{port}", path.display()),
            }
        })
        .collect();
    format!(
        "{}@{}/{}",
        c.get_user().unwrap_or("(default user)"),
        if hosts.is_empty() { "(default host)".to_string() } else { hosts.join(",") },
        c.get_dbname().unwrap_or("(default database)")
    )
}

/// The text of an error with its causes: PostgreSQL's own message for errors the server
/// reported (the client's `Display` says only "db error" for those).
pub fn message(e: &tokio_postgres::Error) -> String {
    if let Some(d) = e.as_db_error() {
        return format!("{}: {}", d.severity(), d.message());
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    text
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => StoreError::Postgres(e),
        e => StoreError::Pool(e.to_string()),
    }
}

fn key_from_row(row: &tokio_postgres::Row) -> Result<KeyRecord, StoreError> {
    let tier: String = row.try_get(3)?;
    Ok(KeyRecord {
        id: row.try_get(0)?,
        hash: row.try_get(1)?,
        tenant: row.try_get(2)?,
        tier: tier.parse().map_err(|_| StoreError::Corrupt("api_keys.tier"))?,
        live: row.try_get(4)?,
        relink: row.try_get(5)?,
        created_at: row.try_get(6)?,
        revoked_at: row.try_get(7)?,
        rate_limit: row
            .try_get::<_, Option<i64>>(8)?
            .map(|n| u32::try_from(n).map_err(|_| StoreError::Corrupt("api_keys.rate_limit")))
            .transpose()?,
    })
}

impl PgStore {
    /// Connects to the database at `url` and creates or migrates its schema.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let (client_url, tls) = pg_tls::split(url).map_err(StoreError::Tls)?;
        let config: tokio_postgres::Config = client_url.parse()?;
        let manager_config = ManagerConfig { recycling_method: RecyclingMethod::Fast };
        let manager = match pg_tls::connector(&tls).map_err(StoreError::Tls)? {
            None => Manager::from_config(config, NoTls, manager_config),
            Some(tls) => Manager::from_config(config, tls, manager_config),
        };
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .post_create(Hook::async_fn(|client, _| {
                Box::pin(async move {
                    client.batch_execute(SESSION).await.map_err(HookError::Backend)?;
                    Ok(())
                })
            }))
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let store = PgStore { pool, heads: Arc::default(), shown: redacted(url).into() };
        store.migrate().await?;
        Ok(store)
    }

    /// `user@host:port/database`.
    pub fn describe(&self) -> &str {
        &self.shown
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")).await?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS lucairn_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            .await?;
        let version = match tx.query_opt("SELECT value FROM lucairn_meta WHERE name = 'schema_version'", &[]).await? {
            Some(row) => {
                let v: String = row.try_get(0)?;
                v.parse::<i64>().map_err(|_| StoreError::Corrupt("lucairn_meta.schema_version"))?
            }
            None => 0,
        };
        match version {
            0 => {
                tx.batch_execute(SCHEMA).await?;
                tx.execute(
                    "INSERT INTO lucairn_meta (name, value) VALUES ('schema_version', $1)",
                    &[&SCHEMA_VERSION.to_string()],
                )
                .await?;
            }
            1 => {
                tx.batch_execute("ALTER TABLE api_keys ADD COLUMN rate_limit BIGINT").await?;
                tx.execute(
                    "UPDATE lucairn_meta SET value = $1 WHERE name = 'schema_version'",
                    &[&SCHEMA_VERSION.to_string()],
                )
                .await?;
            }
            SCHEMA_VERSION => {}
            v => return Err(StoreError::TooNew(v)),
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_key(
        client: &impl tokio_postgres::GenericClient,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
        rate_limit: Option<u32>,
    ) -> Result<NewKey, StoreError> {
        let rate_limit = rate_limit.map(i64::from);
        // A clash of 8-character ids is rare; try again with a fresh key.
        for _ in 0..8 {
            let key = auth::generate(live)?;
            let n = client
                .execute(
                    "INSERT INTO api_keys (id, hash, tenant, tier, live, relink, created_at, rate_limit) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                    &[&key.id, &&key.hash[..], &tenant, &tier.as_str(), &live, &relink, &util::now_unix(), &rate_limit],
                )
                .await?;
            if n == 1 {
                return Ok(key);
            }
        }
        Err(StoreError::Corrupt("api_keys (no free key id)"))
    }

    pub async fn create_key(
        &self,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
        rate_limit: Option<u32>,
    ) -> Result<NewKey, StoreError> {
        let client = self.client().await?;
        PgStore::insert_key(&**client, tenant, tier, live, relink, rate_limit).await
    }

    pub async fn create_first_key(
        &self,
        tenant: &str,
        tier: Tier,
        live: bool,
        relink: bool,
    ) -> Result<Option<NewKey>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({FIRST_KEY_LOCK})")).await?;
        let any = tx.query_opt("SELECT 1 FROM api_keys LIMIT 1", &[]).await?.is_some();
        if any {
            return Ok(None);
        }
        let key = PgStore::insert_key(&*tx, tenant, tier, live, relink, None).await?;
        tx.commit().await?;
        Ok(Some(key))
    }

    pub async fn list_keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        let client = self.client().await?;
        let rows = client.query(&format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, id"), &[]).await?;
        rows.iter().map(key_from_row).collect()
    }

    pub async fn key(&self, id: &str) -> Result<Option<KeyRecord>, StoreError> {
        let client = self.client().await?;
        let st = client.prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1")).await?;
        client.query_opt(&st, &[&id]).await?.as_ref().map(key_from_row).transpose()
    }

    pub async fn key_count(&self) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let n: i64 = client.query_one("SELECT COUNT(*) FROM api_keys", &[]).await?.try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub async fn revoke_key(&self, id: &str) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                &[&id, &util::now_unix()],
            )
            .await?;
        Ok(n > 0)
    }

    pub async fn certificate(&self, id: &str) -> Result<Option<String>, StoreError> {
        let client = self.client().await?;
        let st = client.prepare_cached("SELECT json FROM certificates WHERE id = $1").await?;
        Ok(client.query_opt(&st, &[&id]).await?.map(|r| r.try_get(0)).transpose()?)
    }

    /// [`super::Store::append_chained`] with row locks on `chain_heads`.
    pub async fn append_chained<E>(
        &self,
        tenants: &[String],
        mut link: impl Link<E>,
    ) -> Result<Vec<Result<CertificateRecord, E>>, StoreError> {
        let mut names: Vec<&str> = tenants.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        let mut client = self.client().await?;
        // A head row for each tenant new to this process, committed on its own (a
        // tenant's row is made once, ever); in tenant order, like the locks below.
        let new: Vec<&str> = {
            let known = self.heads.lock().map_err(|_| StoreError::Poisoned)?;
            names.iter().copied().filter(|t| !known.contains(*t)).collect()
        };
        if !new.is_empty() {
            client
                .execute(
                    "INSERT INTO chain_heads (tenant) SELECT t FROM unnest($1::text[]) AS t ORDER BY t \
                     ON CONFLICT (tenant) DO NOTHING",
                    &[&new],
                )
                .await?;
        }
        let tx = client.transaction().await?;
        // Statements prepared once per connection: each saves a round trip per batch.
        let lock = tx
            .prepare_cached("SELECT tenant, digest FROM chain_heads WHERE tenant = ANY($1) ORDER BY tenant FOR UPDATE")
            .await?;
        let rows = tx.query(&lock, &[&names]).await?;
        let mut heads: HashMap<String, Option<String>> = HashMap::with_capacity(rows.len());
        for row in &rows {
            heads.insert(row.try_get(0)?, row.try_get(1)?);
        }
        if heads.len() != names.len() {
            // Rows deleted behind this process's back: learn them again next time.
            self.heads.lock().map_err(|_| StoreError::Poisoned)?.clear();
            return Err(StoreError::Corrupt("chain_heads (a tenant's row is missing)"));
        }
        let mut out = Vec::with_capacity(tenants.len());
        for (i, tenant) in tenants.iter().enumerate() {
            let head = heads.get(tenant).cloned().flatten();
            let r = link(i, head);
            if let Ok(c) = &r {
                heads.insert(tenant.clone(), Some(c.digest.clone()));
            }
            out.push(r);
        }
        let stored: Vec<&CertificateRecord> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
        if !stored.is_empty() {
            let ids: Vec<&str> = stored.iter().map(|c| c.id.as_str()).collect();
            let owners: Vec<&str> = stored.iter().map(|c| c.tenant.as_str()).collect();
            let times: Vec<i64> = stored.iter().map(|c| c.created_at).collect();
            let digests: Vec<&str> = stored.iter().map(|c| c.digest.as_str()).collect();
            let previous: Vec<Option<&str>> = stored.iter().map(|c| c.previous.as_deref()).collect();
            let jsons: Vec<&str> = stored.iter().map(|c| c.json.as_str()).collect();
            let insert = tx
                .prepare_cached(
                    "INSERT INTO certificates (id, tenant, created_at, digest, previous, json) \
                     SELECT id, tenant, created_at, digest, previous, json \
                     FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[]) \
                     WITH ORDINALITY AS u(id, tenant, created_at, digest, previous, json, n) ORDER BY n",
                )
                .await?;
            tx.execute(&insert, &[&ids, &owners, &times, &digests, &previous, &jsons]).await?;
            let (names, digests): (Vec<&str>, Vec<Option<&str>>) =
                heads.iter().map(|(t, d)| (t.as_str(), d.as_deref())).unzip();
            let update = tx
                .prepare_cached(
                    "UPDATE chain_heads AS h SET digest = u.digest \
                     FROM unnest($1::text[], $2::text[]) AS u(tenant, digest) \
                     WHERE h.tenant = u.tenant AND h.digest IS DISTINCT FROM u.digest",
                )
                .await?;
            tx.execute(&update, &[&names, &digests]).await?;
        }
        tx.commit().await?;
        self.heads.lock().map_err(|_| StoreError::Poisoned)?.extend(new.into_iter().map(str::to_string));
        Ok(out)
    }

    /// [`super::Store::check_secrets`].
    pub async fn check_secrets(&self, signing_key_id: &str, master_fingerprint: &str) -> Result<(), StoreError> {
        let client = self.client().await?;
        for (name, value, what) in [
            ("signing_key_id", signing_key_id, "signing key (signing.key)"),
            ("master_secret_fingerprint", master_fingerprint, "master secret (master.key)"),
        ] {
            client
                .execute(
                    "INSERT INTO lucairn_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                    &[&name, &value],
                )
                .await?;
            let stored: String =
                client.query_one("SELECT value FROM lucairn_meta WHERE name = $1", &[&name]).await?.try_get(0)?;
            if stored != value {
                return Err(StoreError::Mismatch(format!(
                    "this data directory's {what} is not the one the other gateways of this database use; \
                     copy signing.key and master.key from their data directory (every replica needs the same two \
                     files)"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn urls_are_shown_without_password_or_options() {
        let url = "postgres://lucairn:s3cret@db.internal:6432/ledger?application_name=s3cret";
        assert_eq!(redacted(url), "lucairn@db.internal:6432/ledger");
        assert_eq!(redacted("postgresql://postgres@%2Ftmp%2Fpg/postgres"), "postgres@/tmp/pg:5432/postgres");
        assert_eq!(redacted("postgres://h1,h2:7/db"), "(default user)@h1:5432,h2:7/db");
        assert_eq!(redacted("postgres://user:s3cret@"), "user@(default host)/(default database)");
        assert_eq!(redacted("postgres://us:s3cret@h:notaport/db"), "(an invalid URL)");
    }
}
