use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{
    Gateway, Mock, PROVIDER_KEY, RawMock, Recorded, Reply, Resp, StreamEnd, TempDir, all_strings, completion,
    create_key, database_url, parse_responses, pg_execute, read_request, seen_text, send_and_read, stored_certificates,
    unnumbered, url_path,
};

fn chat_body(content: &str) -> String {
    json!({"model": "m", "messages": [{"role": "user", "content": content}]}).to_string()
}

fn stream_body(content: &str) -> String {
    json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": content}]}).to_string()
}

fn post(gw: &Gateway, key: &str, path: &str, body: &str) -> Resp {
    let auth = format!("Bearer {key}");
    gw.request("POST", path, &[("Authorization", auth.as_str()), ("Content-Type", "application/json")], body.as_bytes())
}

fn chunk(content: &str, finish: Option<&str>) -> Vec<u8> {
    let c = json!({"id": "chatcmpl-sec", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": {"content": content}, "logprobs": null, "finish_reason": finish}]});
    format!("data: {c}\n\n").into_bytes()
}

/// The data of each SSE event.
fn events(text: &str) -> Vec<String> {
    text.split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|e| e.lines().filter_map(|l| l.strip_prefix("data: ")).collect::<Vec<_>>().join("\n"))
        .collect()
}

/// The text of choice 0, whole or streamed.
fn answer_text(r: &Resp) -> String {
    if r.header("content-type").is_some_and(|c| c.starts_with("text/event-stream")) {
        return events(&r.text())
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e).ok())
            .filter_map(|v| v["choices"][0]["delta"]["content"].as_str().map(str::to_string))
            .collect();
    }
    r.json()["choices"][0]["message"]["content"].as_str().unwrap_or_default().to_string()
}

/// The certificate id of an answer, whole or streamed.
fn certificate_id(r: &Resp) -> Option<String> {
    let dsa = |v: &Value| v["metadata"]["dsa_compliance"]["certificate_id"].as_str().map(str::to_string);
    if r.header("content-type").is_some_and(|c| c.starts_with("text/event-stream")) {
        return events(&r.text()).iter().filter_map(|e| serde_json::from_str::<Value>(e).ok()).find_map(|v| dsa(&v));
    }
    serde_json::from_slice::<Value>(&r.body).ok().and_then(|v| dsa(&v))
}

/// A model that answers what it saw (whole or streamed in small pieces), with an address
/// of its own; on `case:upstream-error` it refuses, quoting what it saw.
fn echo_model() -> Mock {
    Mock::start(Arc::new(|r: &Recorded| {
        let seen = seen_text(r);
        if seen.contains("case:upstream-error") {
            return Reply::json(
                400,
                &json!({"error": {"message": format!("cannot do {seen}; ask model.err@leak.example"),
                    "type": "invalid_request_error", "param": null, "code": "bad"}}),
            );
        }
        if seen.contains("case:not-json") {
            return Reply {
                status: 200,
                content_type: "text/html",
                body: format!("<p>{seen} html.leak@leak.example</p>").into_bytes(),
                delay: Duration::ZERO,
                stream: None,
            };
        }
        let text = format!("You wrote: {seen}. I cc model.made@leak.example.");
        if r.json()["stream"] != true {
            return Reply::json(200, &completion(&text));
        }
        let mut sse = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        for c in chars.chunks(5) {
            sse.extend(chunk(&c.iter().collect::<String>(), None));
        }
        sse.extend(chunk("", Some("stop")));
        sse.extend_from_slice(b"data: [DONE]\n\n");
        Reply::sse(sse.chunks(7).map(<[u8]>::to_vec).collect(), Duration::ZERO, StreamEnd::Finish)
    }))
}

/// Personal data the corpus plants (every one is found by the default policy).
const PLANTED: &[&str] = &[
    "alice.planted@leak.example",
    "bob.planted@leak.example",
    "DE89 3704 0044 0532 0130 00",
    "4111 1111 1111 1111",
    "+49 30 90182044",
    "model.made@leak.example",
    "model.err@leak.example",
    "html.leak@leak.example",
];

/// Text no detector finds: a message's text must not be logged or stored either.
const CANARY: &str = "zqxcanary9f3e";

/// The provider key of the corpus (beside [`PROVIDER_KEY`]).
const OTHER_PROVIDER_KEY: &str = "sk-proj-planted-upstream-key-81c2";

/// What the corpus sent: the keys, and the certificates it was answered with.
struct Corpus {
    api_keys: Vec<String>,
    certificate_ids: Vec<String>,
}

/// Every kind of request the gateway answers, good and bad, carrying the planted values
/// and keys: chat (developer and pro, whole and streamed), sanitize, relink, scan,
/// certificates, and errors of every layer.
fn run_corpus(gw: &Gateway, dir: &TempDir) -> Corpus {
    let dev = create_key(dir.str(), "developer", "acme");
    let pro = create_key(dir.str(), "pro", "acme");
    let other = create_key(dir.str(), "pro", "globex");
    let text = format!(
        "{CANARY} Mail {} or {}, IBAN {}, card {}, call {}.",
        PLANTED[0], PLANTED[1], PLANTED[2], PLANTED[3], PLANTED[4]
    );
    let full = json!({
        "model": "m",
        "messages": [
            {"role": "system", "content": format!("{CANARY} system about {}", PLANTED[0])},
            {"role": "user", "content": text},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                "function": {"name": "send", "arguments": json!({"to": PLANTED[1], "note": CANARY}).to_string()}}]},
            {"role": "tool", "tool_call_id": "c1", "content": format!("sent to {}", PLANTED[1])}
        ],
        "tools": [{"type": "function", "function": {"name": "send", "description": format!("{CANARY} mails {}", PLANTED[0])}}]
    })
    .to_string();
    let mut ids = Vec::new();
    let mut keep = |r: &Resp| {
        if let Some(id) = certificate_id(r) {
            ids.push(id);
        }
    };
    // Chat, whole and streamed, placeholders and re-linked.
    for (key, relink) in [(&dev, "off"), (&pro, "on")] {
        let r = gw.chat_with(key, &full, &[("X-Lucairn-Relink", relink)]);
        assert_eq!(r.status, 200, "{}", r.text());
        keep(&r);
        let r = gw.chat_with(key, &stream_body(&text), &[("X-Lucairn-Relink", relink)]);
        assert_eq!(r.status, 200, "{}", r.text());
        keep(&r);
    }
    // The pro answers really did carry the values: they went through the gateway.
    let auth = format!("Bearer {pro}");
    let headers =
        [("Authorization", auth.as_str()), ("X-Upstream-Key", OTHER_PROVIDER_KEY), ("X-Lucairn-Relink", "on")];
    let r = gw.request("POST", "/v1/chat/completions", &headers, chat_body(&text).as_bytes());
    assert!(r.text().contains(PLANTED[0]), "{}", r.text());
    keep(&r);
    // Sanitize and relink.
    let doc = json!({"document": {"note": text, "to": PLANTED[1]}, "fields": ["/note", "/to"]}).to_string();
    let s = post(gw, &pro, "/v1/sanitize", &doc);
    assert_eq!(s.status, 200, "{}", s.text());
    keep(&s);
    let token = s.json()["relink_token"].as_str().expect("token").to_string();
    let sanitized = s.json()["document"].clone();
    let back = post(gw, &pro, "/v1/relink", &json!({"document": sanitized, "relink_token": token}).to_string());
    assert!(back.text().contains(PLANTED[1]), "{}", back.text());
    // Scan.
    let r = post(gw, &dev, "/v1/scan", &json!({"texts": [text, PLANTED[2]]}).to_string());
    assert_eq!(r.status, 200);
    // Certificates, as JSON and as a page.
    for id in ids.clone() {
        assert_eq!(gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"").status, 200);
        assert_eq!(gw.request("GET", &format!("/v1/certificates/{id}"), &[("Accept", "text/html")], b"").status, 200);
    }
    // Errors of every layer, each with values in it.
    let errors: Vec<(u16, Resp)> = vec![
        (400, gw.chat(&dev, &full[..full.len() - 5])),
        (400, gw.chat(&dev, &json!({"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}], "x": text}).to_string())),
        (400, gw.chat(&dev, &json!({"model": "m", "messages": [{"role": "robot", "content": text}]}).to_string())),
        (400, gw.chat(&dev, &format!("{{\"model\": \"m\", \"{}\": 1, \"{}\": 2}}", PLANTED[0], PLANTED[0]))),
        (401, gw.chat(PLANTED[0], &full)),
        (401, gw.chat("lcr_live_AAAAAAAAzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", &full)),
        (401, gw.chat(&format!("{}{}", &dev[..dev.len() - 1], if dev.ends_with('X') { 'Y' } else { 'X' }), &full)),
        (400, gw.chat_with(&dev, &full, &[("X-Lucairn-Relink", PLANTED[0])])),
        (403, gw.chat_with(&dev, &full, &[("X-Lucairn-Relink", "on")])),
        (404, gw.request("POST", &format!("/v1/{}", PLANTED[0]), &[], text.as_bytes())),
        (404, gw.request("GET", &format!("/v1/certificates/{}", PLANTED[0]), &[], b"")),
        (400, gw.chat(&dev, &chat_body(&format!("case:upstream-error {text}")))),
        (502, gw.chat(&dev, &chat_body(&format!("case:not-json {text}")))),
        (400, post(gw, &other, "/v1/relink", &json!({"document": sanitized, "relink_token": token}).to_string())),
        (400, post(gw, &pro, "/v1/sanitize", &json!({"document": {"a": text}, "fields": [format!("/{}", PLANTED[0])]}).to_string())),
        (400, post(gw, &dev, "/v1/scan", &json!({"texts": [text], "text": text}).to_string())),
    ];
    for (status, r) in &errors {
        assert_eq!(r.status, *status, "{}", r.text());
    }
    // Too large, over a small limit set for the corpus.
    let big = chat_body(&format!("{text} {}", "pad ".repeat(5000)));
    assert_eq!(gw.chat(&dev, &big).status, 413);
    Corpus { api_keys: vec![dev, pro, other], certificate_ids: ids }
}

/// Every secret the corpus planted: values, the canary, API keys (whole and their secret
/// part), provider keys.
fn secrets(c: &Corpus) -> Vec<String> {
    let mut s: Vec<String> = PLANTED.iter().map(|v| v.to_string()).collect();
    // Values as the engine might print them: without their spaces too.
    s.extend(PLANTED.iter().filter(|v| v.contains(' ')).map(|v| v.replace(' ', "")));
    s.push(CANARY.into());
    for k in &c.api_keys {
        s.push(k.clone());
        s.push(k["lcr_live_".len() + 8..].to_string());
    }
    s.push(PROVIDER_KEY.into());
    s.push(OTHER_PROVIDER_KEY.into());
    s
}

fn assert_holds_none(what: &str, haystack: &[u8], secrets: &[String]) {
    let text = String::from_utf8_lossy(haystack);
    for s in secrets {
        assert!(!text.contains(s.as_str()), "{what} holds {s:?}");
    }
}

#[test]
fn logs_at_the_most_verbose_level_hold_no_values_or_keys() {
    let dir = TempDir::new("logs");
    let mock = echo_model();
    let gw = Gateway::start(&dir, &mock.url(), &["--log", "trace", "--max-body-bytes", "16384"]);
    let corpus = run_corpus(&gw, &dir);
    // The upstream saw placeholders only (a sanity check of the corpus itself).
    for r in mock.requests() {
        assert_holds_none(
            "an upstream request",
            &r.body,
            &PLANTED[..5].iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        );
    }
    let logs = gw.logs();
    assert!(logs.contains("TRACE"), "trace logging is on");
    assert!(logs.lines().count() > 40, "{logs}");
    assert!(logs.contains("chat_completions") && logs.contains("relink"), "{logs}");
    assert_holds_none("the log", logs.as_bytes(), &secrets(&corpus));
}

#[test]
fn stored_data_holds_no_values_or_keys_and_api_keys_only_as_hashes() {
    let dir = TempDir::new("stored");
    let mock = echo_model();
    let gw = Gateway::start(&dir, &mock.url(), &["--max-body-bytes", "16384"]);
    let corpus = run_corpus(&gw, &dir);
    let secrets = secrets(&corpus);
    // Certificates, JSON and page, of every request of the corpus and all that are stored.
    let mut all: Vec<(String, String)> = stored_certificates(dir.path(), "acme");
    all.extend(stored_certificates(dir.path(), "globex"));
    assert!(all.len() >= corpus.certificate_ids.len() && corpus.certificate_ids.len() >= 6, "{}", all.len());
    for id in &corpus.certificate_ids {
        assert!(all.iter().any(|(s, _)| s == id), "{id}");
    }
    for (id, json) in &all {
        assert_holds_none(&format!("certificate {id}"), json.as_bytes(), &secrets);
        let page = gw.request("GET", &format!("/v1/certificates/{id}"), &[("Accept", "text/html")], b"");
        assert_holds_none(&format!("the page of certificate {id}"), &page.body, &secrets);
    }
    drop(gw);
    // Nothing in the data directory (database, its journal, key files) holds a value, an
    // API key or a provider key.
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).expect("read dir") {
        let p = entry.expect("entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name.starts_with("stderr-") || name.starts_with("chain-") {
            continue;
        }
        files += 1;
        assert_holds_none(&name, &std::fs::read(&p).expect("read"), &secrets);
    }
    let expected_columns = ["id", "hash", "tenant", "tier", "live", "relink", "created_at", "revoked_at", "rate_limit"];
    if let Some(url) = database_url(dir.path()) {
        // On PostgreSQL the data directory holds the two key files; the database's rows,
        // every table as text, hold no value or key either.
        assert!(files >= 2, "the signing key and the master key");
        for table in ["api_keys", "certificates", "chain_heads", "lucairn_meta"] {
            let rows = pg_execute(&url, &format!("SELECT t::text FROM {table} t")).expect("dump a table");
            let text: String = rows.into_iter().flatten().flatten().collect::<Vec<_>>().join("\n");
            assert_holds_none(table, text.as_bytes(), &secrets);
        }
        for key in &corpus.api_keys {
            let id = &key["lcr_live_".len().."lcr_live_".len() + 8];
            let rows = pg_execute(&url, &format!("SELECT encode(hash, 'hex') FROM api_keys WHERE id = '{id}'"))
                .expect("the key's row");
            let want = blake3::derive_key("lucairn 2025 api key hash v1", key.as_bytes());
            let want: String = want.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(rows, [[Some(want)]]);
        }
        let columns = pg_execute(
            &url,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'api_keys' ORDER BY ordinal_position",
        )
        .expect("columns");
        let columns: Vec<String> = columns.into_iter().flatten().flatten().collect();
        assert_eq!(columns, expected_columns);
        return;
    }
    assert!(files >= 3, "the database, the signing key and the master key");
    // The database keeps, per key, its id and the hash of the whole key.
    let db = rusqlite::Connection::open(dir.path().join("lucairn.db")).expect("db");
    for key in &corpus.api_keys {
        let id = &key["lcr_live_".len().."lcr_live_".len() + 8];
        let hash: Vec<u8> =
            db.query_row("SELECT hash FROM api_keys WHERE id = ?1", [id], |r| r.get(0)).expect("the key's row");
        assert_eq!(hash, blake3::derive_key("lucairn 2025 api key hash v1", key.as_bytes()).to_vec());
    }
    let columns: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('api_keys')")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(columns, expected_columns);
}

#[test]
fn certificate_ids_are_unguessable_and_their_url_reveals_nothing_else() {
    let dir = TempDir::new("cert-ids");
    let mock = echo_model();
    let acme = create_key(dir.str(), "developer", "acme");
    let globex = create_key(dir.str(), "developer", "globex");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let mut ids = Vec::new();
    for i in 0..40 {
        let body = if i % 2 == 0 { chat_body("hi a@b.example") } else { stream_body("hi a@b.example") };
        let r = gw.chat(&acme, &body);
        ids.push(certificate_id(&r).expect("id"));
    }
    // 128 bits from the operating system's generator: 32 hex digits, no two alike, the
    // digits evenly spread (each appears 80 times on average in 1280; a counter, a clock
    // or a hash of the request would not look like this).
    let mut counts: HashMap<char, usize> = HashMap::new();
    for id in &ids {
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
        for c in id.chars() {
            *counts.entry(c).or_default() += 1;
        }
    }
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    assert_eq!(counts.len(), 16);
    assert!(counts.values().all(|&n| (30..=140).contains(&n)), "{counts:?}");
    for pos in 0..32 {
        let at: HashSet<char> = ids.iter().filter_map(|id| id.chars().nth(pos)).collect();
        assert!(at.len() > 4, "position {pos} barely changes: {at:?}");
    }

    // The certificate alone: the stored JSON byte for byte, nothing about the tenant or
    // key, no cookie; the same answer whoever asks (the id is the capability, so there is
    // no tenant check whose answer could tell that an id exists).
    let id = &ids[0];
    let path = format!("/v1/certificates/{id}");
    let anonymous = gw.request("GET", &path, &[], b"");
    assert_eq!(anonymous.status, 200);
    let stored = stored_certificates(dir.path(), "acme");
    let json = &stored.iter().find(|(s, _)| s == id).expect("stored").1;
    assert_eq!(anonymous.text(), *json);
    let names: BTreeSet<String> = anonymous.headers.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(names, ["connection", "content-length", "content-type", "date"].map(String::from).into());
    let text = anonymous.text();
    for leak in ["acme", "globex", &acme["lcr_live_".len().."lcr_live_".len() + 8], "tenant", "tier"] {
        assert!(!text.contains(leak), "the certificate names {leak:?}");
    }
    let members: BTreeSet<String> = anonymous.json().as_object().expect("object").keys().cloned().collect();
    assert_eq!(
        members,
        [
            "counts",
            "engine_version",
            "findings",
            "id",
            "issued_at",
            "issuer",
            "key_id",
            "output_findings",
            "policy_digest",
            "previous",
            "request_digest",
            "response_digest",
            "signature",
            "version"
        ]
        .map(String::from)
        .into()
    );
    for key in [&acme, &globex] {
        let auth = format!("Bearer {key}");
        let r = gw.request("GET", &path, &[("Authorization", &auth)], b"");
        assert_eq!((r.status, r.text()), (200, anonymous.text()));
    }
    // Ids that do not exist, in any form, get one and the same answer.
    let missing = gw.request("GET", &format!("/v1/certificates/{}", "0".repeat(32)), &[], b"");
    missing.assert_error(404, "certificate_not_found");
    for probe in [
        id.to_uppercase(),
        format!("{id}0"),
        id[..31].to_string(),
        "_".repeat(32),
        format!("{id}%00"),
        "' OR '1'='1".replace(' ', "%20"),
        "x".repeat(65),
    ] {
        let r = gw.request("GET", &format!("/v1/certificates/{probe}"), &[], b"");
        assert_eq!((r.status, r.text()), (404, missing.text()), "{probe}");
    }
    // There is no listing, for any key.
    let auth = format!("Bearer {globex}");
    for p in ["/v1/certificates", "/v1/certificates/"] {
        let r = gw.request("GET", p, &[("Authorization", &auth)], b"");
        r.assert_error(404, "unknown_url");
    }
}

#[test]
fn hop_by_hop_and_credential_headers_never_reach_the_upstream() {
    let dir = TempDir::new("hop-req");
    let mock = echo_model();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let auth = format!("Bearer {key}");
    let body = chat_body("mail hop@leak.example please");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Authorization", "Bearer sk-second-authorization"),
        ("X-Upstream-Key", PROVIDER_KEY),
        ("Content-Type", "application/json"),
        ("Connection", "keep-alive, X-Hop-Secret, OpenAI-Beta"),
        ("Keep-Alive", "timeout=5"),
        ("X-Hop-Secret", "hop-value"),
        ("OpenAI-Beta", "named-by-connection"),
        ("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
        ("Proxy-Connection", "keep-alive"),
        ("TE", "trailers"),
        ("Trailer", "X-Checksum"),
        ("Upgrade", "h2c"),
        ("X-Api-Key", "sk-client-x-api-key"),
        ("Api-Key", "sk-client-api-key"),
        ("Cookie", "session=client"),
        ("User-Agent", "client-agent"),
        ("X-Forwarded-For", "10.0.0.1"),
        ("OpenAI-Organization", "org-kept"),
        ("Idempotency-Key", "idem-kept"),
        ("Accept", "application/json"),
    ];
    let r = gw.request("POST", "/v1/chat/completions", &headers, body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let got = mock.last();
    let names: BTreeSet<&str> = got.headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "accept",
            "authorization",
            "content-length",
            "content-type",
            "host",
            "idempotency-key",
            "openai-organization",
            "user-agent"
        ]
        .into()
    );
    // One Authorization, the provider key's; the body framed by the gateway.
    assert_eq!(got.headers.iter().filter(|(k, _)| k == "authorization").count(), 1);
    assert_eq!(got.header("authorization"), Some(format!("Bearer {PROVIDER_KEY}").as_str()));
    assert_eq!(got.header("host"), Some(format!("127.0.0.1:{}", mock.port).as_str()));
    assert!(got.header("user-agent").is_some_and(|u| u.starts_with("lucairn/")));
    assert_eq!(got.header("content-length"), Some(got.body.len().to_string().as_str()));
    assert_ne!(got.body.len(), body.len(), "the sanitised body is a different length, recomputed");
    assert!(unnumbered(&seen_text(&got)).contains("mail [EMAIL_ADDRESS_#] please"));
}

#[test]
fn hop_by_hop_headers_of_the_upstream_never_reach_the_client() {
    let dir = TempDir::new("hop-resp");
    let up = RawMock::start(Arc::new(|mut conn: TcpStream| {
        let Some((_, body)) = read_request(&mut conn) else { return };
        let stream = String::from_utf8_lossy(&body).contains("\"stream\":true");
        let hop = "Connection: close, X-Ratelimit-Hop\r\nKeep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\n\
                   Trailer: X-Checksum\r\nUpgrade: h2c\r\nSet-Cookie: upstream=1\r\nServer: upstream/1\r\n\
                   X-Ratelimit-Hop: 5\r\nX-Ratelimit-Remaining-Requests: 99\r\nX-Request-Id: req-1\r\n";
        if stream {
            let mut sse = chunk("streamed to s@leak.example", Some("stop"));
            sse.extend_from_slice(b"data: [DONE]\n\n");
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n{hop}Transfer-Encoding: chunked\r\n\r\n{:x}\r\n",
                sse.len()
            );
            let _ = conn.write_all(&sse);
            let _ = conn.write_all(b"\r\n0\r\n\r\n");
        } else {
            let answer = serde_json::to_vec(&completion("answer to a@leak.example")).expect("json");
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{hop}Content-Length: {}\r\n\r\n",
                answer.len()
            );
            let _ = conn.write_all(&answer);
        }
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &up.url(), &[]);
    for body in [chat_body("hi"), stream_body("hi")] {
        let r = gw.chat(&key, &body);
        assert_eq!(r.status, 200, "{}", r.text());
        for h in ["keep-alive", "proxy-authenticate", "trailer", "upgrade", "set-cookie", "server", "x-ratelimit-hop"] {
            assert!(r.header(h).is_none(), "{h} reached the client");
        }
        // The client's own hop: `Connection: close` because the client asked for it.
        assert!(r.header("connection").is_none_or(|c| c == "close"), "{:?}", r.header("connection"));
        assert_eq!(r.header("x-ratelimit-remaining-requests"), Some("99"));
        assert_eq!(r.header("x-request-id"), Some("req-1"));
        assert!(!r.text().contains("leak.example"));
        if r.header("content-type").is_some_and(|c| c.starts_with("application/json")) {
            // The gateway's answer is longer than the upstream's: its length is the gateway's.
            assert_eq!(r.header("content-length"), Some(r.body.len().to_string().as_str()));
            assert!(r.header("transfer-encoding").is_none());
        } else {
            assert!(r.header("content-length").is_none());
        }
    }
}

#[test]
fn smuggling_attempts_are_refused_or_cannot_carry_a_second_request() {
    let dir = TempDir::new("smuggle");
    let mock = echo_model();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let auth = format!("Authorization: Bearer {key}\r\nX-Upstream-Key: {PROVIDER_KEY}\r\n");
    let smuggled = "GET /v1/certificates/keys HTTP/1.1\r\nHost: x\r\n\r\n";
    let json = chat_body("hi");
    let chunked = format!("{:x}\r\n{json}\r\n0\r\n\r\n", json.len());
    let limit = Duration::from_secs(15);

    // Malformed framing: 400 from the HTTP layer, the connection closed, nothing forwarded.
    let refused = [
        format!(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 5\r\nContent-Length: 6\r\n\r\n{json}"
        ),
        format!("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 5, 6\r\n\r\n{json}"),
        format!("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: +5\r\n\r\n{json}"),
        format!("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Transfer-Encoding: gzip\r\n\r\n{json}"),
        format!(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Transfer-Encoding: chunked, identity\r\n\r\n{chunked}"
        ),
        format!("POST /v1/chat/completions HTTP/1.0\r\nHost: x\r\n{auth}Transfer-Encoding: chunked\r\n\r\n{chunked}"),
        format!("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Content-Length : {}\r\n\r\n{json}", json.len()),
        format!(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}X-Folded: a\r\n b\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        ),
        format!(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}X-Nul: a\0b\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        ),
    ];
    for req in &refused {
        let (got, closed) = send_and_read(gw.port, req.as_bytes(), limit);
        let rs = parse_responses(&got);
        assert_eq!(rs.len(), 1, "{req:?}: {}", String::from_utf8_lossy(&got));
        assert_eq!(rs[0].status, 400, "{req:?}");
        assert!(closed, "{req:?}: the connection stayed open");
    }
    assert_eq!(mock.count(), 0, "a malformed request was forwarded");

    // Content-Length and Transfer-Encoding together (either order): the chunked body is
    // read, the connection is closed after the answer, so bytes after the body are never
    // read as a second request; the upstream gets one request, framed by the gateway.
    for (first, second) in [
        ("Content-Length: 4".to_string(), "Transfer-Encoding: chunked".to_string()),
        ("Transfer-Encoding: chunked".to_string(), format!("Content-Length: {}", chunked.len() + smuggled.len())),
    ] {
        let before = mock.count();
        let req = format!(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}{first}\r\n{second}\r\n\r\n{chunked}{smuggled}"
        );
        let (got, closed) = send_and_read(gw.port, req.as_bytes(), limit);
        let rs = parse_responses(&got);
        assert_eq!(rs.len(), 1, "one answer only: {}", String::from_utf8_lossy(&got));
        assert_eq!(rs[0].status, 200, "{}", rs[0].text());
        assert!(rs[0].text().contains("chat.completion"), "the answer is the chat's, not the smuggled request's");
        assert!(closed);
        assert_eq!(mock.count(), before + 1);
        let up = mock.last();
        assert_eq!(up.header("content-length"), Some(up.body.len().to_string().as_str()));
        assert!(up.header("transfer-encoding").is_none());
        assert_eq!(up.json(), serde_json::from_str::<Value>(&json).expect("json"));
    }
    // A header value cannot smuggle a header upstream: a bare CR or LF is not a value.
    let req = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nX-Upstream-Key: sk-a\rX-Injected: 1\r\nContent-Length: {}\r\n\r\n{json}",
        json.len()
    );
    let (got, _) = send_and_read(gw.port, req.as_bytes(), limit);
    let rs = parse_responses(&got);
    assert_eq!(rs.first().map(|r| r.status), Some(400), "{}", String::from_utf8_lossy(&got));
    assert!(mock.requests().iter().all(|r| r.header("x-injected").is_none()));
}

#[test]
fn https_serves_http1_and_http2() {
    use http_body_util::{BodyExt, Full};

    let dir = TempDir::new("tls");
    let mock = echo_model();
    let key = create_key(dir.str(), "developer", "acme");
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("a self-signed certificate");
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, ck.cert.pem()).expect("write cert");
    std::fs::write(&key_path, ck.signing_key.serialize_pem()).expect("write key");
    let gw = Gateway::start(
        &dir,
        &mock.url(),
        &["--tls-cert", cert_path.to_str().expect("path"), "--tls-key", key_path.to_str().expect("path")],
    );
    let port = gw.port;

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client_config = |trusted: bool| {
        let mut roots = rustls::RootCertStore::empty();
        if trusted {
            roots.add(ck.cert.der().clone()).expect("root");
        }
        rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth()
    };
    let body = chat_body("mail tls@leak.example");
    rt.block_on(async {
        for h2 in [false, true] {
            // ALPN offers one version: the server must speak it.
            let https = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(client_config(true)).https_only();
            let https = if h2 { https.enable_http2().build() } else { https.enable_http1().build() };
            let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build::<_, Full<bytes::Bytes>>(https);
            let want = if h2 { http::Version::HTTP_2 } else { http::Version::HTTP_11 };
            let health = client
                .get(format!("https://127.0.0.1:{port}/healthz").parse().expect("uri"))
                .await
                .expect("GET over TLS");
            assert_eq!((health.status(), health.version()), (http::StatusCode::OK, want));
            let req = http::Request::post(format!("https://127.0.0.1:{port}/v1/chat/completions"))
                .header("authorization", format!("Bearer {key}"))
                .header("x-upstream-key", PROVIDER_KEY)
                .body(Full::new(bytes::Bytes::from(body.clone())))
                .expect("request");
            let resp = client.request(req).await.expect("POST over TLS");
            assert_eq!((resp.status(), resp.version()), (http::StatusCode::OK, want));
            let v: Value =
                serde_json::from_slice(&resp.into_body().collect().await.expect("body").to_bytes()).expect("json");
            let url = v["metadata"]["dsa_compliance"]["certificate_url"].as_str().expect("url");
            assert!(url.starts_with(&format!("https://127.0.0.1:{port}/v1/certificates/")), "{url}");
            let cert = client
                .get(format!("https://127.0.0.1:{port}{}", url_path(url)).parse().expect("uri"))
                .await
                .expect("certificate");
            assert_eq!(cert.status(), http::StatusCode::OK);
        }
        // A client that does not trust the certificate gets nothing.
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(client_config(false))
            .https_only()
            .enable_http1()
            .build();
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build::<_, Full<bytes::Bytes>>(https);
        assert!(client.get(format!("https://127.0.0.1:{port}/healthz").parse().expect("uri")).await.is_err());
    });
    // Plain HTTP on the TLS port gets no HTTP answer.
    let (got, _) = send_and_read(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", Duration::from_secs(15));
    assert!(!got.starts_with(b"HTTP/"), "{}", String::from_utf8_lossy(&got));
    // curl, if there is one, negotiates HTTP/2 by ALPN.
    if let Ok(o) = std::process::Command::new("curl")
        .args([
            "-sS",
            "--http2",
            "--cacert",
            cert_path.to_str().expect("path"),
            "-o",
            "/dev/null",
            "-w",
            "%{http_version}",
        ])
        .arg(format!("https://127.0.0.1:{port}/healthz"))
        .output()
    {
        assert!(o.status.success(), "curl: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(String::from_utf8_lossy(&o.stdout), "2");
    }
    assert!(mock.requests().iter().all(|r| !String::from_utf8_lossy(&r.body).contains("tls@leak")));
}

#[test]
fn tls_files_must_go_together_and_be_readable() {
    let dir = TempDir::new("tls-bad");
    let pem = dir.path().join("empty.pem");
    std::fs::write(&pem, "not a certificate").expect("write");
    let p = pem.to_str().expect("path");
    for (args, msg) in [
        (vec!["--tls-cert", p], "tls_cert and tls_key go together"),
        (vec!["--tls-cert", p, "--tls-key", p], "holds no certificate"),
        (vec!["--tls-cert", "/nonexistent/c.pem", "--tls-key", p], "cannot read the TLS certificate"),
    ] {
        let mut all = vec!["serve", "--data-dir", dir.str(), "--listen", "127.0.0.1:0"];
        all.extend(args);
        let o = crate::support::lucairn(&all, &[]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(msg), "{err}");
    }
    // In the configuration file, the paths are relative to the file, as the others are.
    let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).expect("cert");
    std::fs::write(dir.path().join("cert.pem"), ck.cert.pem()).expect("write");
    std::fs::write(dir.path().join("key.pem"), ck.signing_key.serialize_pem()).expect("write");
    let config = dir.path().join("lucairn.toml");
    std::fs::write(
        &config,
        "tls_cert = \"cert.pem\"\ntls_key = \"key.pem\"\nmax_concurrent_requests = 4\nrate_limit = 600\n\
         rate_limit_burst = 10\nheader_read_timeout = 5\nbody_read_timeout = 5\nshutdown_grace = 2\n",
    )
    .expect("write config");
    let mut gw = Gateway::start_with_env(&dir, None, &["--config", config.to_str().expect("path")], &[]);
    let (got, _) = send_and_read(gw.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", Duration::from_secs(10));
    assert!(!got.starts_with(b"HTTP/"), "plain HTTP on the TLS port: {}", String::from_utf8_lossy(&got));
    gw.signal("TERM");
    let status = gw.wait_exit(Duration::from_secs(30));
    assert!(status.is_some_and(|s| s.success()), "{status:?}\n{}", gw.logs());
}

/// Sanitises `text` as a document of `key`'s tenant: the sanitised text and the token.
fn sanitize(gw: &Gateway, key: &str, text: &str) -> (String, String) {
    let r = post(gw, key, "/v1/sanitize", &json!({"document": {"t": text}, "fields": ["/t"]}).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    (v["document"]["t"].as_str().expect("t").to_string(), v["relink_token"].as_str().expect("token").to_string())
}

#[test]
fn one_tenant_cannot_relink_or_read_another_tenants_values() {
    let dir = TempDir::new("tenant-relink");
    let mock = echo_model();
    let a = create_key(dir.str(), "pro", "acme");
    let b = create_key(dir.str(), "pro", "globex");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let secret = "bob.private@globex.example";
    let (b_text, b_token) = sanitize(&gw, &b, &format!("write to {secret}"));
    let b_placeholder = b_text.strip_prefix("write to ").expect("placeholder").to_string();
    assert!(b_placeholder.starts_with("[EMAIL_ADDRESS_"), "{b_text}");
    // B's token opens for B ...
    let own = post(&gw, &b, "/v1/relink", &json!({"document": b_text, "relink_token": b_token}).to_string());
    assert_eq!(own.json()["document"], format!("write to {secret}"));
    // ... not for A, with or without fields.
    for body in [
        json!({"document": b_text, "relink_token": b_token}),
        json!({"document": {"x": b_text}, "relink_token": b_token, "fields": ["/x"]}),
    ] {
        let r = post(&gw, &a, "/v1/relink", &body.to_string());
        r.assert_error(400, "invalid_relink_token");
        assert!(!r.text().contains(secret));
    }
    // A's own token does not open B's placeholder either: it maps only A's values.
    let (a_text, a_token) = sanitize(&gw, &a, "note from ann@acme.example");
    let r = post(
        &gw,
        &a,
        "/v1/relink",
        &json!({"document": format!("{a_text} {b_placeholder}"), "relink_token": a_token}).to_string(),
    );
    assert_eq!(r.json()["document"], format!("note from ann@acme.example {b_placeholder}"));
    // In chat completions with re-linking on, B's placeholder comes back as it went.
    for body in [chat_body(&format!("repeat {b_placeholder}")), stream_body(&format!("repeat {b_placeholder}"))] {
        let r = gw.chat_with(&a, &body, &[("X-Lucairn-Relink", "on")]);
        assert_eq!(r.status, 200, "{}", r.text());
        let text = answer_text(&r);
        assert!(text.contains(&format!("repeat {b_placeholder}")), "{text}");
        assert!(!r.text().contains(secret), "{}", r.text());
    }
}

#[test]
fn the_same_value_gets_unrelated_placeholders_and_digests_in_two_tenants() {
    let dir = TempDir::new("tenant-placeholders");
    let mock = echo_model();
    let a = create_key(dir.str(), "developer", "acme");
    let b = create_key(dir.str(), "developer", "globex");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let values: Vec<String> = (0..16).map(|i| format!("same.person{i}@shared.example")).collect();
    let number =
        |p: &str| -> u64 { p.trim_start_matches("[EMAIL_ADDRESS_").trim_end_matches(']').parse().expect("a number") };
    let mut pairs = Vec::new();
    for v in &values {
        let (pa, _) = sanitize(&gw, &a, v);
        let (pb, _) = sanitize(&gw, &b, v);
        // Stable within a tenant.
        assert_eq!(sanitize(&gw, &a, v).0, pa);
        pairs.push((number(&pa), number(&pb)));
    }
    assert!(pairs.iter().all(|(x, y)| x != y), "{pairs:?}");
    // Unrelated: no shared offset or order between the two tenants' numbers.
    let offsets: HashSet<i64> = pairs.iter().map(|(x, y)| *x as i64 - *y as i64).collect();
    assert!(offsets.len() > pairs.len() / 2, "{pairs:?}");
    let ordered = pairs.windows(2).filter(|w| (w[0].0 < w[1].0) == (w[0].1 < w[1].1)).count();
    assert!(ordered < pairs.len() - 1, "the two tenants' numbers rise and fall together: {pairs:?}");
    // The certificates' digests of the same value differ too: one tenant's certificates
    // cannot be matched against another's.
    let digests = |tenant: &str| -> HashSet<String> {
        stored_certificates(dir.path(), tenant)
            .iter()
            .flat_map(|(_, j)| {
                let v: Value = serde_json::from_str(j).expect("json");
                v["findings"].as_array().cloned().unwrap_or_default()
            })
            .filter_map(|f| f["value_digest"].as_str().map(str::to_string))
            .collect()
    };
    let (da, db) = (digests("acme"), digests("globex"));
    assert_eq!((da.len(), db.len()), (16, 16));
    assert!(da.is_disjoint(&db));
}

#[test]
fn concurrent_requests_of_two_tenants_never_see_each_others_values() {
    let dir = TempDir::new("tenant-concurrent");
    let mock = echo_model();
    let keys = [create_key(dir.str(), "pro", "acme"), create_key(dir.str(), "pro", "globex")];
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let port = gw.port;
    let value = |tenant: usize, thread: usize, i: usize| format!("t{tenant}.th{thread}.r{i}@tenant{tenant}.example");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let tenant = t % 2;
            let key = keys[tenant].clone();
            thread::spawn(move || {
                let auth = format!("Bearer {key}");
                let h = [
                    ("Authorization", auth.as_str()),
                    ("X-Upstream-Key", PROVIDER_KEY),
                    ("X-Lucairn-Relink", "on"),
                    ("Content-Type", "application/json"),
                ];
                let mut answers = Vec::new();
                for i in 0..9 {
                    let v = value(tenant, t, i);
                    let r = match i % 3 {
                        0 => crate::support::http(
                            port,
                            "POST",
                            "/v1/chat/completions",
                            &h,
                            chat_body(&format!("mail {v}")).as_bytes(),
                        ),
                        1 => crate::support::http(
                            port,
                            "POST",
                            "/v1/chat/completions",
                            &h,
                            stream_body(&format!("mail {v}")).as_bytes(),
                        ),
                        _ => {
                            let doc = json!({"document": {"t": format!("mail {v}")}, "fields": ["/t"]}).to_string();
                            let s = crate::support::http(port, "POST", "/v1/sanitize", &h, doc.as_bytes());
                            assert_eq!(s.status, 200, "{}", s.text());
                            let sv = s.json();
                            let back =
                                json!({"document": sv["document"], "relink_token": sv["relink_token"]}).to_string();
                            crate::support::http(port, "POST", "/v1/relink", &h, back.as_bytes())
                        }
                    };
                    assert_eq!(r.status, 200, "{}", r.text());
                    answers.push((v, r));
                }
                answers
            })
        })
        .collect();
    let answers: Vec<(String, Resp)> = threads.into_iter().flat_map(|t| t.join().expect("thread")).collect();
    let all: Vec<String> = answers.iter().map(|(v, _)| v.clone()).collect();
    for (own, r) in &answers {
        let text = r.text();
        let mut strings = Vec::new();
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            all_strings(&v, &mut strings);
        }
        let got = if strings.is_empty() { answer_text(r) } else { strings.join("\n") };
        assert!(got.contains(own.as_str()), "{own} did not come back: {got}");
        for other in all.iter().filter(|o| *o != own) {
            assert!(!text.contains(other.as_str()), "{other} surfaced in the answer of {own}");
        }
    }
    // The upstream saw none of them.
    for r in mock.requests() {
        let body = String::from_utf8_lossy(&r.body);
        assert!(!body.contains(".example"), "{body}");
    }
}

#[test]
fn plain_http_serves_http2_with_prior_knowledge() {
    use http_body_util::{BodyExt, Full};

    let dir = TempDir::new("h2c");
    let mock = echo_model();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let port = gw.port;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .http2_only(true)
            .build_http::<Full<bytes::Bytes>>();
        let req = http::Request::post(format!("http://127.0.0.1:{port}/v1/chat/completions"))
            .header("authorization", format!("Bearer {key}"))
            .header("x-upstream-key", PROVIDER_KEY)
            .body(Full::new(bytes::Bytes::from(chat_body("mail h2c@leak.example"))))
            .expect("request");
        let resp = client.request(req).await.expect("POST over h2c");
        assert_eq!((resp.status(), resp.version()), (http::StatusCode::OK, http::Version::HTTP_2));
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("dsa_compliance") && !text.contains("h2c@leak"), "{text}");
    });
}
