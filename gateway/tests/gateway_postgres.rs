//! Gateways sharing one PostgreSQL database: one chain per tenant written by several
//! processes at once, keys and revocation seen by every replica, the schema set up once,
//! replicas with other secrets refused.
//!
//! These run only when `LUCAIRN_TEST_DATABASE_URL` names a PostgreSQL server (`test.sh`
//! starts one); otherwise each says it was skipped.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lucairn_core::{PublicKey, verify_chain};
use serde_json::json;

use crate::support::{
    self, Gateway, Mock, PROVIDER_KEY, TEST_DATABASE_ENV, TempDir, database_url, lucairn, pg_execute,
};

/// The test database server, or `None` after saying the test is skipped.
fn server(test: &str) -> Option<String> {
    let url = support::test_database_url();
    if url.is_none() {
        // Straight to the terminal: the test harness captures `eprintln!`.
        let _ = writeln!(std::io::stderr(), "gateway_postgres::{test}: skipped, {TEST_DATABASE_ENV} is not set");
    }
    url
}

fn rows(url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    pg_execute(url, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn published_key(gw: &Gateway) -> PublicKey {
    let keys = gw.request("GET", "/v1/certificates/keys", &[], b"").json();
    PublicKey::from_hex(keys["keys"][0]["public_key"].as_str().expect("public key")).expect("valid key")
}

fn chat_certificate(port: u16, key: &str, text: &str) -> String {
    let body = json!({"model": "m", "messages": [{"role": "user", "content": text}]}).to_string();
    let auth = format!("Bearer {key}");
    let h = [("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY)];
    let r = support::http(port, "POST", "/v1/chat/completions", &h, body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("certificate id").to_string()
}

#[test]
fn two_replicas_writing_at_once_extend_one_chain_per_tenant() {
    let Some(_) = server("two_replicas_writing_at_once_extend_one_chain_per_tenant") else { return };
    // Two replicas: one data directory for the secrets (as a shared secret mount would
    // give them), one database; both start at once on the empty database.
    let dir = TempDir::new("replicas");
    let url = database_url(dir.path()).expect("database");
    let mock = Mock::echo();
    let upstream = mock.url();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Gateway::start(&dir, &upstream, &[]));
        let b = s.spawn(|| Gateway::start(&dir, &upstream, &[]));
        (a.join().expect("replica a"), b.join().expect("replica b"))
    });
    let first_keys = [a.first_key(), b.first_key()].into_iter().flatten().count();
    assert_eq!(first_keys, 1, "one replica makes the first key: {:?} {:?}", a.banner, b.banner);
    let key = published_key(&a);
    assert_eq!(key, published_key(&b));

    two_writers(&dir, &[], (&a, &b), &key, |tenant| {
        let stored = rows(&url, &format!("SELECT json FROM certificates WHERE tenant = '{tenant}' ORDER BY seq"));
        stored.into_iter().map(|r| r[0].clone().expect("json")).collect()
    });
    for tenant in ["acme", "globex"] {
        let head = rows(&url, &format!("SELECT digest FROM chain_heads WHERE tenant = '{tenant}'"));
        let last =
            rows(&url, &format!("SELECT digest FROM certificates WHERE tenant = '{tenant}' ORDER BY seq DESC LIMIT 1"));
        assert_eq!(head[0][0], last[0][0], "the head is the newest certificate");
    }
    let total = rows(&url, "SELECT count(*) FROM certificates");
    assert_eq!(total[0][0].as_deref(), Some("96"));
}

/// Eight clients, four per gateway, two per tenant on each, 12 requests each; then each
/// tenant's certificates in the store's order (`chain_of(tenant)`) must be one chain that
/// verifies with `key`, hold exactly the certificates the clients were given, written by
/// both gateways, and be served alike by both. `env`: of `lucairn keys`.
fn two_writers(
    dir: &TempDir,
    env: &[(&str, &str)],
    (a, b): (&Gateway, &Gateway),
    key: &PublicKey,
    chain_of: impl Fn(&str) -> Vec<String>,
) {
    let tenants = ["acme", "globex"];
    let keys: Vec<String> = tenants
        .iter()
        .map(|t| {
            let o = lucairn(&["keys", "create", "--data-dir", dir.str(), "--tenant", t], env);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8(o.stdout).expect("utf-8").trim().to_string()
        })
        .collect();
    let ports = [a.port, b.port];
    let sent: Vec<(usize, String)> = std::thread::scope(|s| {
        let clients: Vec<_> = (0..8)
            .map(|c| {
                let (port, tenant, key) = (ports[c % 2], (c / 2) % 2, keys[(c / 2) % 2].clone());
                s.spawn(move || {
                    (0..12)
                        .map(|i| (tenant, chat_certificate(port, &key, &format!("mail c{c}.{i}@example.org"))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        clients.into_iter().flat_map(|c| c.join().expect("client")).collect()
    });
    assert_eq!(sent.len(), 96);

    for (t, tenant) in tenants.iter().enumerate() {
        let expected: HashSet<&str> = sent.iter().filter(|(i, _)| *i == t).map(|(_, id)| id.as_str()).collect();
        assert_eq!(expected.len(), 48);
        let jsons = chain_of(tenant);
        let chain = verify_chain(&jsons, std::slice::from_ref(key)).expect("the chain verifies");
        assert_eq!(chain.len(), 48);
        assert_eq!(chain[0].previous, None);
        let ids: HashSet<&str> = chain.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, expected);
        // Both replicas wrote into it (each names itself as issuer).
        let mut by_issuer: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &chain {
            *by_issuer.entry(c.issuer.as_str()).or_default() += 1;
        }
        assert_eq!(by_issuer.len(), 2, "{by_issuer:?}");
        assert!(by_issuer.values().all(|&n| n == 24), "{by_issuer:?}");
        // Each certificate is served alike by both replicas, as stored.
        for (c, json) in chain.iter().zip(&jsons) {
            for gw in [a, b] {
                let r = gw.request("GET", &format!("/v1/certificates/{}", c.id), &[], b"");
                assert_eq!(r.status, 200);
                assert_eq!(r.text(), *json);
            }
        }
    }
}

#[test]
fn two_processes_on_one_sqlite_file_extend_one_chain_per_tenant() {
    // The same on the default store: two gateways sharing one data directory.
    let dir = TempDir::new("sqlite-two");
    let mock = Mock::echo();
    let sqlite = [("LUCAIRN_DATABASE_URL", "")];
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Gateway::start_with_env(&dir, Some(&mock.url()), &[], &sqlite));
        let b = s.spawn(|| Gateway::start_with_env(&dir, Some(&mock.url()), &[], &sqlite));
        (a.join().expect("process a"), b.join().expect("process b"))
    });
    assert_eq!([a.first_key(), b.first_key()].into_iter().flatten().count(), 1);
    let key = published_key(&a);
    let db = rusqlite::Connection::open(dir.path().join("lucairn.db")).expect("open lucairn.db");
    two_writers(&dir, &sqlite, (&a, &b), &key, |tenant| {
        let mut st = db.prepare("SELECT json FROM certificates WHERE tenant = ?1 ORDER BY seq").expect("query");
        st.query_map([tenant], |r| r.get(0)).expect("rows").map(|r| r.expect("json")).collect()
    });
}

#[test]
fn keys_made_and_revoked_with_the_command_reach_every_replica() {
    let Some(_) = server("keys_made_and_revoked_with_the_command_reach_every_replica") else { return };
    let dir = TempDir::new("pgkeys");
    let url = database_url(dir.path()).expect("database");
    let mock = Mock::echo();
    let a = Gateway::start(&dir, &mock.url(), &[]);
    let b = Gateway::start(&dir, &mock.url(), &[]);

    // `lucairn keys` needs only the URL: no data directory.
    let o = lucairn(&["keys", "create", "--database-url", &url, "--tier", "pro", "--tenant", "acme"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let key = String::from_utf8(o.stdout).expect("utf-8").trim().to_string();
    let id = &key[9..17];
    for gw in [&a, &b] {
        chat_certificate(gw.port, &key, "hi ana@example.org");
    }
    let o = lucairn(&["keys", "list", "--format", "json"], &[("LUCAIRN_DATABASE_URL", &url)]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let listed = list.as_array().expect("array").iter().find(|k| k["id"] == id).expect("listed");
    assert_eq!((listed["tenant"].as_str(), listed["tier"].as_str()), (Some("acme"), Some("pro")));

    // Only the key's hash is stored.
    let secret = &key[17..];
    let secret_hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    for row in rows(&url, "SELECT * FROM api_keys") {
        for v in row.into_iter().flatten() {
            assert!(!v.contains(secret) && !v.contains(&secret_hex), "the database holds the key");
        }
    }

    // A database that cannot be reached is named in the error, without the password.
    let down = format!("postgres://lucairn:pw-Hk27aQ@127.0.0.1:{}/lucairn", support::closed_port());
    let o = lucairn(&["keys", "list", "--database-url", &down], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("cannot open the database (PostgreSQL lucairn@127.0.0.1:"), "{err}");
    assert!(!err.contains("pw-Hk27aQ"), "{err}");

    let o = lucairn(&["keys", "revoke", "--database-url", &url, id], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string();
    for gw in [&a, &b] {
        gw.chat(&key, &body).assert_error(401, "api_key_revoked");
    }
}

/// Runs `lucairn serve` that is expected to fail at start; returns its standard error.
fn serve_fails(args: &[&str]) -> String {
    let mut c = Command::new(support::BIN);
    c.args(["serve", "--listen", "127.0.0.1:0"]).args(args).stdin(Stdio::null()).stdout(Stdio::null());
    c.stderr(Stdio::piped());
    for (k, _) in std::env::vars() {
        if k.starts_with("LUCAIRN_") {
            c.env_remove(k);
        }
    }
    let mut child = c.spawn().expect("spawn lucairn serve");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("lucairn serve {args:?} did not stop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().expect("output");
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn replicas_must_share_the_secrets() {
    let Some(_) = server("replicas_must_share_the_secrets") else { return };
    let first = TempDir::new("secrets-a");
    let url = database_url(first.path()).expect("database");
    let mock = Mock::echo();
    let a = Gateway::start(&first, &mock.url(), &[]);
    let key = a.first_key().expect("first key");

    // Another data directory (made at start) makes other secrets: refused, with what to do.
    let other = TempDir::new("secrets-b");
    std::fs::remove_dir(other.path()).expect("an empty directory");
    let err = serve_fails(&["--data-dir", other.str(), "--database-url", &url, "--upstream", &mock.url()]);
    assert!(err.contains("copy signing.key and master.key"), "{err}");

    // With the first replica's two files it starts, and serves the same tenants alike.
    for f in ["signing.key", "master.key"] {
        std::fs::copy(first.path().join(f), other.path().join(f)).expect("copy secret");
    }
    let b = Gateway::start_with_env(&other, Some(&mock.url()), &["--database-url", &url], &[]);
    assert_eq!(b.first_key(), None);
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi ana@example.org"}]}).to_string();
    assert_eq!(a.chat(&key, &body).status, 200);
    let seen_a = support::seen_text(&mock.last());
    assert_eq!(b.chat(&key, &body).status, 200);
    assert_eq!(support::seen_text(&mock.last()), seen_a, "same placeholders on both replicas");
}

#[test]
fn the_schema_is_made_once_and_a_newer_one_is_refused() {
    let Some(_) = server("the_schema_is_made_once_and_a_newer_one_is_refused") else { return };
    let dir = TempDir::new("schema");
    let url = database_url(dir.path()).expect("database");
    let mock = Mock::echo();
    // The URL from the configuration file; its password never reaches the logs.
    let with_password = match url.split_once("://").and_then(|(s, rest)| Some((s, rest.split_once('@')?))) {
        Some((scheme, (user, host))) if !user.contains(':') => format!("{scheme}://{user}:pw-Zq81xV@{host}"),
        _ => url.clone(),
    };
    let cfg = dir.path().join("lucairn.toml");
    std::fs::write(&cfg, format!("database_url = {:?}\n", with_password)).expect("write config");
    let cfg = cfg.to_str().expect("path");
    let gw = Gateway::start_with_env(&dir, Some(&mock.url()), &["--config", cfg], &[("LUCAIRN_DATABASE_URL", "")]);
    let key = gw.first_key().expect("first key");
    chat_certificate(gw.port, &key, "mail ana@example.org");
    let logs = gw.logs();
    assert!(logs.contains("PostgreSQL"), "{logs}");
    assert!(!logs.contains("pw-Zq81xV"), "{logs}");
    drop(gw);
    // No SQLite file: everything went to PostgreSQL.
    assert!(!dir.path().join("lucairn.db").exists());

    // A second start finds the schema and the key, and continues the chain.
    let gw = Gateway::start_with_env(&dir, Some(&mock.url()), &["--config", cfg], &[("LUCAIRN_DATABASE_URL", "")]);
    assert_eq!(gw.first_key(), None);
    chat_certificate(gw.port, &key, "mail bo@example.org");
    drop(gw);
    let meta: HashMap<String, String> = rows(&url, "SELECT name, value FROM lucairn_meta")
        .into_iter()
        .map(|r| (r[0].clone().expect("name"), r[1].clone().expect("value")))
        .collect();
    assert_eq!(meta.get("schema_version").map(String::as_str), Some("2"));
    let links = rows(&url, "SELECT previous IS NULL FROM certificates ORDER BY seq");
    assert_eq!(links, vec![vec![Some("t".to_string())], vec![Some("f".to_string())]]);

    // A schema from a newer version is left alone.
    rows(&url, "UPDATE lucairn_meta SET value = '99' WHERE name = 'schema_version'");
    let err = serve_fails(&["--data-dir", dir.str(), "--database-url", &url, "--upstream", &mock.url()]);
    assert!(err.contains("schema version 99"), "{err}");
}

#[test]
fn a_first_version_database_gains_key_rates() {
    let Some(_) = server("a_first_version_database_gains_key_rates") else { return };
    let dir = TempDir::new("pg-migrate-rate");
    let url = database_url(dir.path()).expect("database");
    // The keys table of schema version 1, with one key.
    rows(
        &url,
        "CREATE TABLE lucairn_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
         INSERT INTO lucairn_meta VALUES ('schema_version', '1');
         CREATE TABLE api_keys (id TEXT PRIMARY KEY, hash BYTEA NOT NULL, tenant TEXT NOT NULL, tier TEXT NOT NULL,
             live BOOLEAN NOT NULL, relink BOOLEAN NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
         INSERT INTO api_keys VALUES ('OldKey01', '\\x00', 'acme', 'developer', true, false, 1700000000, NULL);",
    );
    let o = lucairn(&["keys", "create", "--data-dir", dir.str(), "--rate-limit", "5"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = lucairn(&["keys", "list", "--data-dir", dir.str(), "--format", "json"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(listed[0]["id"], "OldKey01", "the old key is kept");
    assert_eq!(listed[0]["rate_limit"], serde_json::Value::Null);
    assert_eq!(listed[1]["rate_limit"], 5);
    let version = rows(&url, "SELECT value FROM lucairn_meta WHERE name = 'schema_version'");
    assert_eq!(version, [[Some("2".to_string())]]);
}

#[test]
fn tls_to_the_database_is_as_the_url_says() {
    let Some(_) = server("tls_to_the_database_is_as_the_url_says") else { return };
    let dir = TempDir::new("pg-tls");
    let url = database_url(dir.path()).expect("database");
    let list = |url: &str| {
        let mut c = Command::new(support::BIN);
        c.args(["keys", "list", "--data-dir", dir.str(), "--database-url", url]).stdin(Stdio::null());
        for (k, _) in std::env::vars() {
            if k.starts_with("LUCAIRN_") {
                c.env_remove(k);
            }
        }
        c.output().expect("run lucairn keys list")
    };
    let join = if url.contains('?') { '&' } else { '?' };
    // The test server has no TLS: `disable` and `prefer` connect, TLS is not required.
    for mode in ["disable", "prefer"] {
        let o = list(&format!("{url}{join}sslmode={mode}"));
        assert!(o.status.success(), "sslmode={mode}: {}", String::from_utf8_lossy(&o.stderr));
    }
    // `require` and stricter refuse to go on without TLS, and say why.
    for mode in ["require", "verify-ca", "verify-full"] {
        let o = list(&format!("{url}{join}sslmode={mode}"));
        assert!(!o.status.success(), "sslmode={mode} connected without TLS");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("TLS"), "sslmode={mode}: {err}");
    }
    // Settings it cannot honour are refused, without echoing the URL.
    for bad in ["sslmode=allow", "sslcert=client.pem", "sslmode=verify-full&sslrootcert=/nonexistent/root.crt"] {
        let o = list(&format!("{url}{join}{bad}&password=s3cret-pw"));
        assert!(!o.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("database_url") && !err.contains("s3cret-pw"), "{bad}: {err}");
    }
}

/// The newest PostgreSQL server programs installed (Debian's layout), if any.
fn pg_bin() -> Option<std::path::PathBuf> {
    let mut dirs: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p): &(u32, std::path::PathBuf)| p.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, p)| p)
}

/// The uid and gid of the `postgres` user, from /etc/passwd.
fn postgres_user() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let line = passwd.lines().find(|l| l.starts_with("postgres:"))?;
    let f: Vec<&str> = line.split(':').collect();
    Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?))
}

/// A throwaway PostgreSQL server with TLS on 127.0.0.1, stopped on drop.
struct TlsServer {
    bin: std::path::PathBuf,
    data: std::path::PathBuf,
    as_postgres: bool,
    port: u16,
}

impl TlsServer {
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// Starts a server in `dir` whose certificate and key are `cert_pem`, `key_pem`, and
    /// which accepts only TLS connections over TCP.
    fn start(dir: &std::path::Path, cert_pem: &str, key_pem: &str) -> Option<TlsServer> {
        let bin = pg_bin()?;
        let as_postgres = Command::new("id").arg("-u").output().ok().is_some_and(|o| o.stdout.starts_with(b"0\n"));
        let owner = if as_postgres { Some(postgres_user()?) } else { None };
        let data = dir.join("pgdata");
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let server = TlsServer { bin, data: data.clone(), as_postgres, port };
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid)).ok()?;
        }
        let o = server
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output()
            .ok()?;
        assert!(o.status.success(), "initdb: {}", String::from_utf8_lossy(&o.stderr));
        std::fs::write(data.join("server.crt"), cert_pem).expect("write the certificate");
        std::fs::write(data.join("server.key"), key_pem).expect("write the key");
        // Only TLS over TCP; the Unix socket as usual.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
        )
        .expect("write pg_hba.conf");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(data.join("server.key"), std::fs::Permissions::from_mode(0o600)).expect("chmod");
        for f in ["server.crt", "server.key", "pg_hba.conf"] {
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::chown(data.join(f), Some(uid), Some(gid)).expect("chown");
            }
        }
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={} -c ssl=on \
             -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c fsync=off",
            dir.display()
        );
        let o = server
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-w", "-s", "start", "-o", &options])
            .output()
            .ok()?;
        assert!(o.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&o.stderr));
        Some(server)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.command("pg_ctl").arg("-D").arg(&self.data).args(["-w", "-s", "-m", "immediate", "stop"]).output();
    }
}

#[test]
fn tls_to_a_server_with_a_certificate() {
    // Runs with the PostgreSQL tests, on a server of its own (the shared one has no TLS).
    let Some(_) = server("tls_to_a_server_with_a_certificate") else { return };
    let dir = TempDir::new("pg-tls-server");
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate");
    let Some(pg) = TlsServer::start(dir.path(), &ck.cert.pem(), &ck.signing_key.serialize_pem()) else {
        let _ = writeln!(std::io::stderr(), "tls_to_a_server_with_a_certificate: skipped, no PostgreSQL programs");
        return;
    };
    let root = dir.path().join("root.pem");
    std::fs::write(&root, ck.cert.pem()).expect("write the root");
    let root = root.to_str().expect("path").to_string();
    let data = dir.path().join("lucairn");
    let data = data.to_str().expect("path");
    let run = |host: &str, query: &str| {
        let url = format!("postgresql://postgres@{host}:{}/postgres?{query}", pg.port);
        let mut c = Command::new(support::BIN);
        c.args(["keys", "create", "--data-dir", data, "--database-url", &url]).stdin(Stdio::null());
        for (k, _) in std::env::vars() {
            if k.starts_with("LUCAIRN_") {
                c.env_remove(k);
            }
        }
        let o = c.output().expect("run lucairn keys create");
        (o.status.success(), String::from_utf8_lossy(&o.stderr).to_string())
    };
    // The server refuses connections without TLS.
    let (ok, err) = run("localhost", "sslmode=disable");
    assert!(!ok, "connected without TLS");
    assert!(err.contains("no encryption") || err.contains("rejects"), "{err}");
    // Encrypted, the server not checked.
    for q in ["sslmode=prefer", "sslmode=require"] {
        let (ok, err) = run("127.0.0.1", q);
        assert!(ok, "{q}: {err}");
    }
    // Checked against the root: the certificate is for localhost, not 127.0.0.1.
    let (ok, err) = run("localhost", &format!("sslmode=verify-full&sslrootcert={root}"));
    assert!(ok, "verify-full to localhost: {err}");
    let (ok, err) = run("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={root}"));
    assert!(!ok && err.contains("not valid for name"), "verify-full to 127.0.0.1: {err}");
    for q in [format!("sslmode=verify-ca&sslrootcert={root}"), format!("sslmode=require&sslrootcert={root}")] {
        let (ok, err) = run("127.0.0.1", &q);
        assert!(ok, "{q}: {err}");
    }
    // Without that root (Mozilla's roots only), nothing checked passes.
    for q in ["sslmode=verify-full", "sslmode=verify-ca"] {
        let (ok, err) = run("localhost", q);
        assert!(!ok && err.contains("UnknownIssuer"), "{q}: {err}");
    }
    // Another certificate as the root: refused too.
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate");
    let other_root = dir.path().join("other.pem");
    std::fs::write(&other_root, other.cert.pem()).expect("write");
    let (ok, err) = run("localhost", &format!("sslmode=verify-ca&sslrootcert={}", other_root.display()));
    assert!(!ok, "a root that did not sign the certificate: {err}");
    drop(pg);
}
