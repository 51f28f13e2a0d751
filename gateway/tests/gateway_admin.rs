use serde_json::json;

use crate::support::{self, Gateway, Mock, TempDir, closed_port, create_key, lucairn, seen_text};

#[test]
fn keys_create_list_revoke() {
    let dir = TempDir::new("keys");
    let o = lucairn(&["keys", "create", "--data-dir", dir.str(), "--tier", "enterprise", "--tenant", "acme"], &[]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).expect("utf-8");
    // The key alone, on one line.
    assert_eq!(out.lines().count(), 1);
    let key = out.trim_end();
    assert!(key.starts_with("lcr_live_") && key.len() == 9 + 40, "{out:?}");
    assert!(key[9..].bytes().all(|b| b.is_ascii_alphanumeric()));
    let id = &key[9..17];

    let o = lucairn(
        &["keys", "create", "--test", "--tier", "developer", "--tenant", "beta"],
        &[("LUCAIRN_DATA_DIR", dir.str())],
    );
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("lcr_test_"));

    let o = lucairn(&["keys", "list", "--data-dir", dir.str(), "--format", "json"], &[]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let first = list.as_array().expect("array").iter().find(|k| k["id"] == id).expect("listed");
    assert_eq!(first["tenant"], "acme");
    assert_eq!(first["tier"], "enterprise");
    assert_eq!(first["relink"], true);
    assert_eq!(first["revoked_at"], json!(null));
    // The key itself is never stored or listed.
    let table = lucairn(&["keys", "list", "--data-dir", dir.str()], &[]);
    assert!(!String::from_utf8_lossy(&table.stdout).contains(&key[17..]));
    // (On PostgreSQL, gateway_postgres checks the tables instead.)
    if support::test_database_url().is_none() {
        let db = std::fs::read(dir.path().join("lucairn.db")).expect("db");
        assert!(!db.windows(32).any(|w| w == &key.as_bytes()[17..]), "the database holds the key");
    }

    let o = lucairn(&["keys", "revoke", "--data-dir", dir.str(), key], &[]);
    assert!(o.status.success());
    let o = lucairn(&["keys", "list", "--data-dir", dir.str(), "--format", "json"], &[]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(list.as_array().expect("array").iter().any(|k| k["id"] == id && k["revoked_at"].is_string()));

    for (args, msg) in [
        (vec!["keys", "revoke", "--data-dir", dir.str(), "nope1234"], "no key with id"),
        (vec!["keys", "create", "--data-dir", dir.str(), "--tier", "gold"], "unknown tier"),
        (vec!["keys", "create", "--data-dir", dir.str(), "--tenant", "a b"], "tenant must be"),
        (vec!["keys", "create", "--data-dir", dir.str(), "--relink", "on"], "pro or enterprise"),
    ] {
        let o = lucairn(&args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(msg), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn first_start_makes_one_developer_key_and_a_private_signing_key() {
    let dir = TempDir::new("first");
    let mock = Mock::echo();
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let key = gw.first_key().expect("a key is printed on first start");
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi ana@example.org"}]}).to_string();
    assert_eq!(gw.chat(&key, &body).status, 200);
    let placeholder = seen_text(&mock.last());
    let key_id = gw.request("GET", "/v1/certificates/keys", &[], b"").json()["keys"][0]["key_id"].clone();
    assert_eq!(gw.terminate().code(), Some(0));

    for file in ["signing.key", "master.key"] {
        let path = dir.path().join(file);
        assert_eq!(std::fs::read(&path).expect("key file").len(), 32, "{file}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600, "{file}");
        }
    }
    let o = lucairn(&["keys", "list", "--data-dir", dir.str(), "--format", "json"], &[]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(list[0]["tier"], "developer");

    // Second start: no new key, same signing key.
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    assert_eq!(gw.first_key(), None);
    assert_eq!(gw.request("GET", "/v1/certificates/keys", &[], b"").json()["keys"][0]["key_id"], key_id);
    assert_eq!(gw.chat(&key, &body).status, 200);
    // The master secret is kept: the tenant's placeholders stay the same across restarts.
    assert_eq!(seen_text(&mock.last()), placeholder);
    assert!(placeholder.starts_with("hi [EMAIL_ADDRESS_"), "{placeholder}");
}

#[test]
fn configuration_precedence_flags_env_file_defaults() {
    let dir = TempDir::new("config");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let down = format!("http://127.0.0.1:{}/v1", closed_port());
    let cfg = dir.path().join("lucairn.toml");
    std::fs::write(
        &cfg,
        format!("upstream = \"{down}\"\nmax_body_bytes = 2000\npublic_url = \"https://gw.example/\"\n"),
    )
    .expect("write config");
    let cfg = cfg.to_str().expect("path");
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string();
    let big = json!({"model": "m", "messages": [{"role": "user", "content": "x".repeat(3000)}]}).to_string();

    // File only: its upstream (down) and its body limit apply.
    let gw = Gateway::start_with_env(&dir, None, &["--config", cfg], &[]);
    gw.chat(&key, &body).assert_error(502, "upstream_unreachable");
    gw.chat(&key, &big).assert_error(413, "request_too_large");
    drop(gw);
    // The environment beats the file.
    let gw = Gateway::start_with_env(&dir, None, &[], &[("LUCAIRN_CONFIG", cfg), ("LUCAIRN_UPSTREAM", &mock.url())]);
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let url = r.json()["metadata"]["dsa_compliance"]["certificate_url"].as_str().expect("url").to_string();
    let base = "https://gw.example/v1/certificates/";
    assert!(url.starts_with(base) && url.len() == base.len() + 32, "{url}");
    drop(gw);
    // A flag beats the environment.
    let gw = Gateway::start_with_env(
        &dir,
        Some(&mock.url()),
        &["--config", cfg, "--max-body-bytes", "100000"],
        &[("LUCAIRN_UPSTREAM", &down), ("LUCAIRN_MAX_BODY_BYTES", "10")],
    );
    assert_eq!(gw.chat(&key, &big).status, 200);
    drop(gw);

    // Bad configuration fails at start with a clear message.
    for (args, msg) in [
        (vec!["serve", "--data-dir", dir.str(), "--upstream", "ftp://x"], "http:// or https://"),
        (vec!["serve", "--data-dir", dir.str(), "--config", "/nonexistent.toml"], "cannot read /nonexistent.toml"),
        (vec!["serve", "--data-dir", dir.str(), "--upstream-timeout", "0"], "upstream_timeout"),
    ] {
        let o = lucairn(&args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(msg), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    std::fs::write(dir.path().join("bad.toml"), "listen = \"127.0.0.1:0\"\nlisten_typo = 1\n").expect("write");
    let bad = dir.path().join("bad.toml");
    let o = lucairn(&["serve", "--config", bad.to_str().expect("path")], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("listen_typo"));
}

#[test]
fn health_metrics_and_graceful_shutdown() {
    let dir = TempDir::new("ops");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let h = gw.request("GET", "/healthz", &[], b"");
    assert_eq!((h.status, h.json()), (200, json!({"status": "ok"})));
    let body =
        json!({"model": "m", "messages": [{"role": "user", "content": "a@example.org b@example.org"}]}).to_string();
    assert_eq!(gw.chat(&key, &body).status, 200);
    let m = gw.request("GET", "/metrics", &[], b"");
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").is_some_and(|c| c.starts_with("application/openmetrics-text")));
    let text = m.text();
    for line in [
        "lucairn_http_requests_total{route=\"chat_completions\",status=\"200\"} 1",
        "lucairn_findings_total{kind=\"EMAIL_ADDRESS\",place=\"request\"} 2",
        "lucairn_certificates_issued_total 1",
        "lucairn_upstream_request_duration_seconds_count 1",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("lucairn_http_request_duration_seconds_bucket{"));
    assert!(!text.contains("example.org"));
    assert_eq!(gw.terminate().code(), Some(0));
}

#[test]
fn sqlite_durability_is_a_setting() {
    let mock = Mock::echo();
    // The flag, the environment and the file each choose it; `full` is the default.
    let dir = TempDir::new("sync-default");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let expect = |gw: &Gateway, sync: &str| {
        if support::test_database_url().is_none() {
            let logs = gw.logs();
            assert!(logs.contains(&format!("synchronous={sync}")), "{logs}");
        }
    };
    expect(&gw, "full");
    drop(gw);
    let dir = TempDir::new("sync-flag");
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--sqlite-synchronous", "normal"]);
    expect(&gw, "normal");
    // It serves and certifies as usual.
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string();
    assert_eq!(gw.chat(&key, &body).status, 200);
    drop(gw);
    let dir = TempDir::new("sync-env");
    let gw = Gateway::start_with_env(&dir, Some(&mock.url()), &[], &[("LUCAIRN_SQLITE_SYNCHRONOUS", "normal")]);
    expect(&gw, "normal");
    drop(gw);
    let dir = TempDir::new("sync-file");
    let file = dir.path().join("lucairn.toml");
    std::fs::write(&file, "sqlite_synchronous = \"normal\"\n").expect("write config");
    let gw = Gateway::start(&dir, &mock.url(), &["--config", file.to_str().expect("path")]);
    expect(&gw, "normal");
    // The flag beats the file.
    drop(gw);
    let gw =
        Gateway::start(&dir, &mock.url(), &["--config", file.to_str().expect("path"), "--sqlite-synchronous", "full"]);
    expect(&gw, "full");
    drop(gw);

    // Anything else is refused before the gateway starts.
    let o = lucairn(&["serve", "--data-dir", dir.str(), "--sqlite-synchronous", "off"], &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("full") && err.contains("normal"), "{err}");
    std::fs::write(&file, "sqlite_synchronous = \"extra\"\n").expect("write config");
    let o = lucairn(&["serve", "--data-dir", dir.str(), "--config", file.to_str().expect("path")], &[]);
    assert!(!o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
