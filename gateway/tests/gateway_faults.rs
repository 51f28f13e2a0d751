use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{
    Gateway, Mock, PROVIDER_KEY, RawMock, Recorded, Reply, Resp, StreamEnd, TempDir, completion, create_key, lucairn,
    parse_responses, read_request, read_until_closed, seen_text, send_and_read, stored_certificates,
};

fn chat_body(content: &str) -> String {
    json!({"model": "m", "messages": [{"role": "user", "content": content}]}).to_string()
}

fn stream_body(content: &str) -> String {
    json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": content}]}).to_string()
}

/// The raw bytes of a POST with the key, the provider key and `body`.
fn post_bytes(key: &str, path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {key}\r\n\
         X-Upstream-Key: {PROVIDER_KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Polls `cond` every 20 ms; fails the test with `what` if it is not true within 20 s.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(20));
    }
}

/// A gate the mock upstream waits at until the test opens it.
#[derive(Clone, Default)]
struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    fn wait(&self) {
        let (open, cv) = &*self.0;
        let mut g = open.lock().expect("lock");
        while !*g {
            g = cv.wait(g).expect("wait");
        }
    }

    fn open(&self) {
        let (open, cv) = &*self.0;
        *open.lock().expect("lock") = true;
        cv.notify_all();
    }
}

fn chunk(content: &str, finish: Option<&str>) -> Vec<u8> {
    let c = json!({"id": "chatcmpl-f", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": {"content": content}, "logprobs": null, "finish_reason": finish}]});
    format!("data: {c}\n\n").into_bytes()
}

/// A mock that answers what the model saw, whole or streamed, once `gate` is open.
fn gated_model(gate: &Gate) -> Mock {
    let gate = gate.clone();
    Mock::start(Arc::new(move |r: &Recorded| {
        gate.wait();
        let seen = seen_text(r);
        if r.json()["stream"] == true {
            let mut sse = chunk(&seen, None);
            sse.extend(chunk("", Some("stop")));
            sse.extend_from_slice(b"data: [DONE]\n\n");
            return Reply::sse(vec![sse], Duration::ZERO, StreamEnd::Finish);
        }
        Reply::json(200, &completion(&seen))
    }))
}

/// The `data` of each event of an SSE body.
fn events(text: &str) -> Vec<String> {
    text.split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|e| e.lines().filter_map(|l| l.strip_prefix("data: ")).collect::<Vec<_>>().join("\n"))
        .collect()
}

/// The certificate id of a complete answer (whole, or streamed up to its metadata event).
fn certificate_id(r: &Resp) -> Option<String> {
    if r.status != 200 {
        return None;
    }
    let dsa = |v: &Value| v["metadata"]["dsa_compliance"]["certificate_id"].as_str().map(str::to_string);
    if r.header("content-type").is_some_and(|c| c.starts_with("text/event-stream")) {
        return events(&r.text()).iter().filter_map(|e| serde_json::from_str::<Value>(e).ok()).find_map(|v| dsa(&v));
    }
    serde_json::from_slice::<Value>(&r.body).ok().and_then(|v| dsa(&v))
}

/// One request that may fail (the gateway may be gone): the response if one came whole.
fn try_request(port: u16, bytes: &[u8]) -> Option<Resp> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    s.write_all(bytes).ok()?;
    let mut out = Vec::new();
    // A reset after a whole response still leaves the response.
    let _ = s.read_to_end(&mut out);
    parse_responses(&out).into_iter().next()
}

/// Writes each certificate to a file and checks them as one chain with `lucairn verify`.
fn verify_chain(dir: &TempDir, certs: &[(String, String)]) {
    let files: Vec<String> = certs
        .iter()
        .enumerate()
        .map(|(i, (_, json))| {
            let p = dir.path().join(format!("chain-{i:05}.json"));
            std::fs::write(&p, json).expect("write certificate");
            p.to_str().expect("path").to_string()
        })
        .collect();
    let mut args = vec!["verify", "--data-dir", dir.str()];
    args.extend(files.iter().map(String::as_str));
    let o = lucairn(&args, &[]);
    assert!(o.status.success(), "the chain does not verify: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn requests_past_the_in_flight_limit_are_refused_at_once() {
    let dir = TempDir::new("busy");
    let gate = Gate::default();
    let mock = gated_model(&gate);
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--max-concurrent-requests", "2"]);
    let port = gw.port;
    let done = Arc::new(AtomicUsize::new(0));
    let held: Vec<_> = (0..2)
        .map(|i| {
            let (key, done) = (key.clone(), done.clone());
            thread::spawn(move || {
                let r = try_request(port, &post_bytes(&key, "/v1/chat/completions", &chat_body(&format!("held {i}"))));
                done.fetch_add(1, Ordering::SeqCst);
                r
            })
        })
        .collect();
    wait_for("two requests upstream", || mock.count() == 2);

    // A third request, and one that needs no upstream, are answered 503 at once: while the
    // two are still in flight, so nothing waited in a queue.
    for (path, body) in [("/v1/chat/completions", chat_body("third")), ("/v1/scan", json!({"text": "x"}).to_string())] {
        let r = try_request(port, &post_bytes(&key, path, &body)).expect("an answer");
        r.assert_error(503, "overloaded");
        assert_eq!(r.header("retry-after"), Some("1"), "{path}");
        assert_eq!(r.json()["error"]["type"], "server_error");
    }
    assert_eq!(done.load(Ordering::SeqCst), 0, "the refusals did not wait for the requests in flight");
    assert_eq!(mock.count(), 2, "a refused request was forwarded");
    // Health checks and metrics answer under overload.
    assert_eq!(gw.request("GET", "/healthz", &[], b"").status, 200);
    let m = gw.request("GET", "/metrics", &[], b"").text();
    assert!(m.contains("lucairn_http_requests_total{route=\"overloaded\",status=\"503\"} 2"), "{m}");

    gate.open();
    for h in held {
        let r = h.join().expect("thread").expect("an answer");
        assert_eq!(r.status, 200, "{}", r.text());
    }
    // The places are given back.
    assert_eq!(gw.chat(&key, &chat_body("after")).status, 200);
}

/// A mock whose streamed answer sends one chunk, then waits at `gate`, then finishes.
fn gated_stream(gate: &Gate) -> RawMock {
    gated_stream_counted(gate, Arc::default())
}

/// [`gated_stream`], counting the requests it has read in `count`.
fn gated_stream_counted(gate: &Gate, count: Arc<AtomicUsize>) -> RawMock {
    let gate = gate.clone();
    RawMock::start(Arc::new(move |mut conn: TcpStream| {
        if read_request(&mut conn).is_none() {
            return;
        }
        count.fetch_add(1, Ordering::SeqCst);
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        let piece = |c: &[u8]| {
            let mut v = format!("{:x}\r\n", c.len()).into_bytes();
            v.extend_from_slice(c);
            v.extend_from_slice(b"\r\n");
            v
        };
        let _ = conn.write_all(head.as_bytes());
        // Text is held back while it could still turn out to be personal data: enough
        // words follow for the first ones to be sent at once.
        let _ = conn.write_all(&piece(&chunk(&format!("first words, {}", "and more plain words ".repeat(30)), None)));
        let _ = conn.flush();
        gate.wait();
        let mut rest = chunk("last words.", Some("stop"));
        rest.extend_from_slice(b"data: [DONE]\n\n");
        let _ = conn.write_all(&piece(&rest));
        let _ = conn.write_all(b"0\r\n\r\n");
    }))
}

#[test]
fn a_stream_holds_its_place_until_it_ends_or_its_client_goes() {
    let dir = TempDir::new("busy-stream");
    let gate = Gate::default();
    let mock = gated_stream(&gate);
    let key = create_key(dir.str(), "developer", "acme");
    // A header read timeout shorter than the stream: it bounds reading requests only.
    let gw = Gateway::start(&dir, &mock.url(), &["--max-concurrent-requests", "1", "--header-read-timeout", "1"]);
    let scan = json!({"text": "x"}).to_string();

    // A stream in progress takes the only place.
    let mut s = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    s.write_all(&post_bytes(&key, "/v1/chat/completions", &stream_body("hi"))).expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(11).any(|w| w == b"first words") {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "the stream ended early");
        got.extend_from_slice(&buf[..n]);
    }
    try_request(gw.port, &post_bytes(&key, "/v1/scan", &scan)).expect("answer").assert_error(503, "overloaded");
    thread::sleep(Duration::from_millis(2500));
    // Once it ends, the place is free.
    gate.open();
    let (rest, closed) = read_until_closed(&mut s, Duration::from_secs(20));
    assert!(closed && rest.windows(12).any(|w| w == b"data: [DONE]"), "{}", String::from_utf8_lossy(&rest));
    wait_for("the place to be free after the stream", || {
        try_request(gw.port, &post_bytes(&key, "/v1/scan", &scan)).is_some_and(|r| r.status == 200)
    });

    // A client that goes away mid-stream gives its place back too.
    let gate = Gate::default();
    let mock = gated_stream(&gate);
    drop(gw);
    let gw = Gateway::start(&dir, &mock.url(), &["--max-concurrent-requests", "1"]);
    let mut s = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    s.write_all(&post_bytes(&key, "/v1/chat/completions", &stream_body("hi"))).expect("write");
    let mut got = Vec::new();
    while !got.windows(11).any(|w| w == b"first words") {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "the stream ended early");
        got.extend_from_slice(&buf[..n]);
    }
    drop(s);
    wait_for("the place to be free after the client left", || {
        try_request(gw.port, &post_bytes(&key, "/v1/scan", &scan)).is_some_and(|r| r.status == 200)
    });
    gate.open();
}

#[test]
fn each_key_has_its_own_rate() {
    let dir = TempDir::new("rate");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let other = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--rate-limit", "60", "--rate-limit-burst", "3"]);
    for i in 0..3 {
        let r = gw.chat(&key, &chat_body("hi"));
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
    }
    let r = gw.chat(&key, &chat_body("one too many"));
    r.assert_error(429, "rate_limit_exceeded");
    assert_eq!(r.json()["error"]["type"], "requests");
    let wait: u64 = r.header("retry-after").and_then(|v| v.parse().ok()).expect("Retry-After in seconds");
    assert_eq!(wait, 1, "one request per second comes back");
    assert_eq!(mock.count(), 3, "a refused request was forwarded");
    // Every route with a key counts.
    let auth = format!("Bearer {key}");
    let scan = gw.request("POST", "/v1/scan", &[("Authorization", &auth)], b"{\"text\": \"x\"}");
    scan.assert_error(429, "rate_limit_exceeded");
    // Another key, even of the same tenant, has its own bucket.
    assert_eq!(gw.chat(&other, &chat_body("hi")).status, 200);
    // A wrong key is refused as such, not counted against anyone.
    gw.chat("lcr_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &chat_body("x")).assert_error(401, "invalid_api_key");
    // After Retry-After the key goes on.
    thread::sleep(Duration::from_millis(wait * 1000 + 100));
    assert_eq!(gw.chat(&key, &chat_body("again")).status, 200);
}

#[test]
fn slow_clients_are_cut_off() {
    let dir = TempDir::new("slow-client");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--header-read-timeout", "1", "--body-read-timeout", "1"]);
    let limit = Duration::from_secs(15);

    // A head that never ends, a connection that says nothing, half an HTTP/2 preface: each
    // is closed without an answer. Meanwhile the gateway serves others.
    let mut never = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    never.write_all(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nAuthorization: Bea").expect("write");
    let mut silent = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    let mut preface = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    preface.write_all(b"PRI * HTTP/2.0\r\n").expect("write");
    assert_eq!(gw.request("GET", "/healthz", &[], b"").status, 200);
    for (name, s) in [("unfinished head", &mut never), ("silent", &mut silent), ("half a preface", &mut preface)] {
        let (got, closed) = read_until_closed(s, limit);
        assert!(closed, "{name}: the connection stayed open");
        assert!(got.is_empty(), "{name}: {}", String::from_utf8_lossy(&got));
    }

    // An idle keep-alive connection is closed after its answer.
    let mut idle = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").expect("write");
    let (got, closed) = read_until_closed(&mut idle, limit);
    assert!(closed, "the idle connection stayed open");
    assert_eq!(parse_responses(&got).first().map(|r| r.status), Some(200));

    // A body that stops coming: 408, and the connection is closed.
    let auth = format!("Authorization: Bearer {key}\r\nX-Upstream-Key: {PROVIDER_KEY}\r\n");
    let cases = [
        format!("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 100\r\n\r\n{{\"model\": "),
        format!(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{auth}Transfer-Encoding: chunked\r\n\r\n9\r\n{{\"model\":"
        ),
        format!("POST /v1/sanitize HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 100\r\n\r\n{{"),
    ];
    for req in &cases {
        let (got, closed) = send_and_read(gw.port, req.as_bytes(), limit);
        assert!(closed, "the connection stayed open after a 408");
        let rs = parse_responses(&got);
        assert_eq!(rs.len(), 1, "{}", String::from_utf8_lossy(&got));
        rs[0].assert_error(408, "request_timeout");
        assert_eq!(rs[0].header("connection"), Some("close"));
    }
    assert_eq!(mock.count(), 0, "nothing of a slow client was forwarded");
    assert_eq!(gw.chat(&key, &chat_body("hi")).status, 200);
}

#[test]
fn clients_that_go_away_mid_request() {
    let dir = TempDir::new("gone");
    let gate = Gate::default();
    let mock = gated_model(&gate);
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);

    // Gone while sending the body: nothing is forwarded, nothing certified.
    let body = chat_body("a body that is never sent in full");
    let mut bytes = post_bytes(&key, "/v1/chat/completions", &body);
    bytes.truncate(bytes.len() - 10);
    let mut s = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    s.write_all(&bytes).expect("write");
    drop(s);

    // Gone while the upstream answers: the request was sent upstream, so it runs on and
    // its certificate is stored.
    let mut s = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    s.write_all(&post_bytes(&key, "/v1/chat/completions", &chat_body("mail x@gone.example"))).expect("write");
    wait_for("the request upstream", || mock.count() == 1);
    drop(s);
    thread::sleep(Duration::from_millis(200));
    gate.open();
    wait_for("the certificate", || !stored_certificates(dir.path(), "acme").is_empty());
    let certs = stored_certificates(dir.path(), "acme");
    assert_eq!(certs.len(), 1);
    let cert: Value = serde_json::from_str(&certs[0].1).expect("json");
    assert_eq!(cert["counts"], json!({"EMAIL_ADDRESS": 1}));
    assert!(cert["response_digest"].is_string(), "it covers the answer too");
    verify_chain(&dir, &certs);

    assert_eq!(mock.count(), 1, "the half-sent request was not forwarded");
    assert_eq!(gw.chat(&key, &chat_body("hi")).status, 200);
}

/// An upstream that misbehaves as the request's content says.
fn faulty_upstream() -> RawMock {
    RawMock::start(Arc::new(|mut conn: TcpStream| {
        let Some((_, body)) = read_request(&mut conn) else { return };
        let text = String::from_utf8_lossy(&body).to_string();
        let answer = serde_json::to_vec(&completion("fine, [EMAIL_ADDRESS_1] and new@leak.example")).expect("json");
        let head = |len: usize| {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
            )
        };
        if text.contains("case:reset") {
            // Closed without a word.
        } else if text.contains("case:truncated") {
            let _ = conn.write_all(head(answer.len()).as_bytes());
            let _ = conn.write_all(&answer[..20]);
        } else if text.contains("case:stalled-body") {
            let _ = conn.write_all(head(answer.len()).as_bytes());
            let _ = conn.write_all(&answer[..20]);
            thread::sleep(Duration::from_secs(8));
        } else if text.contains("case:stalled-head") {
            thread::sleep(Duration::from_secs(8));
        } else if text.contains("case:garbage") {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n{}");
        } else if text.contains("case:trickle") {
            let _ = conn.write_all(head(answer.len()).as_bytes());
            for piece in answer.chunks(answer.len() / 8 + 1) {
                let _ = conn.write_all(piece);
                let _ = conn.flush();
                thread::sleep(Duration::from_millis(100));
            }
        }
    }))
}

#[test]
fn upstream_resets_and_stalls() {
    let dir = TempDir::new("upstream-faults");
    let up = faulty_upstream();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &up.url(), &["--upstream-timeout", "2"]);
    let cases = [
        ("case:reset", false, 502, "upstream_unreachable"),
        ("case:truncated", false, 502, "upstream_invalid_response"),
        ("case:garbage", false, 502, "upstream_invalid_response"),
        ("case:stalled-body", false, 504, "upstream_timeout"),
        ("case:stalled-head", true, 504, "upstream_timeout"),
    ];
    for (case, stream, status, code) in cases {
        let content = format!("{case} for x@planted.example");
        let body = if stream { stream_body(&content) } else { chat_body(&content) };
        let r = gw.chat(&key, &body);
        assert_eq!(r.status, status, "{case}: {}", r.text());
        r.assert_error(status, code);
        assert!(!r.text().contains("planted"), "{case}");
    }
    // Slow but within the timeout: the whole answer, checked.
    let r = gw.chat(&key, &chat_body("case:trickle"));
    assert_eq!(r.status, 200, "{}", r.text());
    let content = r.json()["choices"][0]["message"]["content"].as_str().expect("content").to_string();
    assert!(content.starts_with("fine, [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_"), "{content}");
    assert!(!content.contains("leak.example"));
    // Nothing crashed, and the failures were counted.
    assert_eq!(gw.request("GET", "/healthz", &[], b"").status, 200);
    let m = gw.request("GET", "/metrics", &[], b"").text();
    assert!(m.contains("lucairn_upstream_errors_total{error=\"timeout\"} 2"), "{m}");
}

#[test]
fn shutdown_lets_requests_in_flight_finish() {
    let dir = TempDir::new("shutdown");
    let gate = Gate::default();
    let mock = gated_model(&gate);
    let key = create_key(dir.str(), "developer", "acme");
    let mut gw = Gateway::start(&dir, &mock.url(), &[]);
    let port = gw.port;
    let bodies = [chat_body("one a@x.example"), chat_body("two b@x.example"), stream_body("three c@x.example")];
    let threads: Vec<_> = bodies
        .iter()
        .map(|b| {
            let bytes = post_bytes(&key, "/v1/chat/completions", b);
            thread::spawn(move || try_request(port, &bytes))
        })
        .collect();
    wait_for("three requests upstream", || mock.count() == 3);
    gw.signal("TERM");
    // New connections are refused once the signal is handled.
    wait_for("the listener to close", || TcpStream::connect(("127.0.0.1", port)).is_err());
    gate.open();
    let mut ids = Vec::new();
    for t in threads {
        let r = t.join().expect("thread").expect("an answer");
        assert_eq!(r.status, 200, "{}", r.text());
        ids.push(certificate_id(&r).expect("a certificate id"));
    }
    let status = gw.wait_exit(Duration::from_secs(30)).expect("the gateway exits");
    assert!(status.success(), "{status:?}\n{}", gw.logs());
    // Every certificate is on disk and the chain verifies.
    let stored = stored_certificates(dir.path(), "acme");
    assert_eq!(stored.len(), 3);
    for id in &ids {
        assert!(stored.iter().any(|(s, _)| s == id), "{id} is not stored");
    }
    verify_chain(&dir, &stored);
    assert!(gw.logs().contains("all connections closed"), "{}", gw.logs());
}

/// Reads from `s` until `needle` has arrived; returns what was read.
fn read_until(s: &mut TcpStream, needle: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(needle.len()).any(|w| w == needle) {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "the stream ended early: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    got
}

/// The certificate id in the `X-Lucairn-Certificate` header of a response head.
fn header_certificate_id(head: &[u8]) -> String {
    let head = String::from_utf8_lossy(head);
    head.lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("x-lucairn-certificate")))
        .and_then(|(_, v)| v.trim().rsplit('/').next().map(str::to_string))
        .expect("a certificate header")
}

#[test]
fn shutdown_waits_no_longer_than_the_grace_period_and_certifies_what_it_cuts() {
    let dir = TempDir::new("shutdown-grace");
    let gate = Gate::default();
    // Streams send their first words, then wait at the gate; whole answers never finish.
    let seen = Arc::new(AtomicUsize::new(0));
    let mock = gated_stream_counted(&gate, seen.clone());
    let key = create_key(dir.str(), "developer", "acme");
    let mut gw = Gateway::start(&dir, &mock.url(), &["--shutdown-grace", "2"]);
    let port = gw.port;
    // A whole answer waiting for the upstream.
    let bytes = post_bytes(&key, "/v1/chat/completions", &chat_body("never answered"));
    let whole = thread::spawn(move || try_request(port, &bytes));
    // A stream whose client stays, and one whose client leaves after the signal.
    let mut stays = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stays.write_all(&post_bytes(&key, "/v1/chat/completions", &stream_body("stays"))).expect("write");
    let stays_id = header_certificate_id(&read_until(&mut stays, b"first words"));
    let mut leaves = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    leaves.write_all(&post_bytes(&key, "/v1/chat/completions", &stream_body("leaves"))).expect("write");
    let leaves_id = header_certificate_id(&read_until(&mut leaves, b"first words"));
    wait_for("three requests upstream", || seen.load(Ordering::SeqCst) == 3);
    gw.signal("TERM");
    wait_for("the listener to close", || TcpStream::connect(("127.0.0.1", port)).is_err());
    drop(leaves);

    let status = gw.wait_exit(Duration::from_secs(30)).expect("the gateway exits after its grace period");
    assert!(status.success(), "{status:?}");
    let logs = gw.logs();
    assert!(logs.contains("after the grace period"), "{logs}");
    assert!(logs.contains("all certificates stored"), "{logs}");
    // The cut whole answer gets an error (if its connection still carries it), never an answer.
    if let Some(r) = whole.join().expect("thread") {
        r.assert_error(503, "shutting_down");
        assert!(r.header("x-lucairn-certificate").is_some());
    }
    // The stream that stayed was told why it ended, after its certificate's metadata.
    let (rest, _) = read_until_closed(&mut stays, Duration::from_secs(5));
    let rest = String::from_utf8_lossy(&rest);
    if !rest.is_empty() {
        assert!(rest.contains("dsa_compliance") && rest.contains("shutting_down"), "{rest}");
        assert!(!rest.contains("[DONE]"), "{rest}");
    }

    // Every certificate was stored before the process ended: the two cut calls say so.
    let stored = stored_certificates(dir.path(), "acme");
    assert_eq!(stored.len(), 3, "{stored:?}");
    let parsed: Vec<(String, Value)> =
        stored.iter().map(|(id, j)| (id.clone(), serde_json::from_str(j).expect("json"))).collect();
    let kind = |id: &str| parsed.iter().find(|(i, _)| i == id).map(|(_, c)| c["upstream_error"].clone());
    let shutdown = json!({"status": null, "kind": "shutdown"});
    assert_eq!(kind(&stays_id), Some(shutdown.clone()), "the stream cut at the end of the grace period");
    assert_eq!(kind(&leaves_id), Some(Value::Null), "the stream whose client left");
    let cut_whole: Vec<_> =
        parsed.iter().filter(|(i, _)| *i != stays_id && *i != leaves_id).map(|(_, c)| &c["upstream_error"]).collect();
    assert_eq!(cut_whole, [&shutdown], "the whole answer cut off");
    verify_chain(&dir, &stored);
    assert!(!logs.contains("may be missing"), "{logs}");
    gate.open();
}

#[test]
fn kill_9_under_load_loses_no_certificate_whose_answer_was_sent() {
    let dir = TempDir::new("kill9");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let port = gw.port;
    let received = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let (key, received, stop) = (key.clone(), received.clone(), stop.clone());
            thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let content = format!("worker {w} request {i}: mail w{w}.r{i}@load.example");
                    let (path, body) = match i % 3 {
                        0 => ("/v1/chat/completions", chat_body(&content)),
                        1 => ("/v1/chat/completions", stream_body(&content)),
                        _ => ("/v1/sanitize", json!({"document": {"t": content}, "fields": ["/t"]}).to_string()),
                    };
                    i += 1;
                    match try_request(port, &post_bytes(&key, path, &body)) {
                        Some(r) => {
                            if let Some(id) = certificate_id(&r) {
                                received.lock().expect("lock").push(id);
                            }
                        }
                        None => break,
                    }
                }
            })
        })
        .collect();
    wait_for("answers under load", || received.lock().expect("lock").len() >= 90);
    gw.signal("KILL");
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().expect("worker");
    }
    drop(gw);
    let received = received.lock().expect("lock").clone();

    // After a restart every certificate whose answer arrived is served, and the chain,
    // continued after the restart, verifies from its first certificate to its last.
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    for id in &received {
        let c = gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"");
        assert_eq!(c.status, 200, "certificate {id} of an answer that was sent is lost");
    }
    let r = gw.chat(&key, &chat_body("after the crash"));
    assert_eq!(r.status, 200);
    let last = certificate_id(&r).expect("id");
    let stored = stored_certificates(dir.path(), "acme");
    assert!(stored.len() > received.len(), "{} stored, {} received", stored.len(), received.len());
    assert_eq!(stored.last().map(|(id, _)| id.as_str()), Some(last.as_str()));
    verify_chain(&dir, &stored);
    let url = format!("http://127.0.0.1:{}", gw.port);
    let o = lucairn(&["verify", &format!("{url}/v1/certificates/{last}"), "--url", &url], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A request body that sends its first bytes, then nothing more.
struct Stalled(bool);

impl hyper::body::Body for Stalled {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<bytes::Bytes>, Self::Error>>> {
        if self.0 {
            return std::task::Poll::Pending;
        }
        self.0 = true;
        std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(bytes::Bytes::from_static(b"{\"model\": ")))))
    }
}

#[test]
fn a_stalled_body_over_http2_is_408_and_the_connection_serves_on() {
    let dir = TempDir::new("slow-h2");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--body-read-timeout", "1"]);
    let port = gw.port;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
        let (mut send, conn) = hyper::client::conn::http2::handshake(
            hyper_util::rt::TokioExecutor::new(),
            hyper_util::rt::TokioIo::new(stream),
        )
        .await
        .expect("h2 handshake");
        tokio::spawn(conn);
        let req = http::Request::post(format!("http://127.0.0.1:{port}/v1/chat/completions"))
            .header("authorization", format!("Bearer {key}"))
            .header("x-upstream-key", PROVIDER_KEY)
            .body(Stalled(false))
            .expect("request");
        let resp = send.send_request(req).await.expect("an answer");
        assert_eq!((resp.status(), resp.version()), (http::StatusCode::REQUEST_TIMEOUT, http::Version::HTTP_2));
        assert!(resp.headers().get("connection").is_none(), "no connection header in HTTP/2");
        let body = http_body_util::BodyExt::collect(resp.into_body()).await.expect("body").to_bytes();
        let v: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["error"]["code"], "request_timeout");
        // Only that stream failed: the connection carries the next request.
        let req = http::Request::get(format!("http://127.0.0.1:{port}/healthz")).body(Stalled(true)).expect("request");
        let resp = send.send_request(req).await.expect("the connection is still up");
        assert_eq!(resp.status(), http::StatusCode::OK);
    });
    assert_eq!(mock.count(), 0);
}

#[test]
fn a_key_may_have_a_rate_of_its_own() {
    let dir = TempDir::new("key-rate");
    let mock = Mock::echo();
    let make = |extra: &[&str]| {
        let mut args = vec!["keys", "create", "--data-dir", dir.str(), "--tenant", "acme"];
        args.extend_from_slice(extra);
        let o = lucairn(&args, &[]);
        assert!(o.status.success(), "keys create: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).expect("utf-8").trim().to_string()
    };
    let limited = make(&["--rate-limit", "2"]);
    let free = make(&["--rate-limit", "0"]);
    let plain = make(&[]);
    // Keys without a rate of their own get the server's: 3 a minute.
    let gw = Gateway::start(&dir, &mock.url(), &["--rate-limit", "3"]);
    for i in 0..2 {
        let r = gw.chat(&limited, &chat_body("hi"));
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
    }
    let r = gw.chat(&limited, &chat_body("one too many"));
    r.assert_error(429, "rate_limit_exceeded");
    let message = r.json()["error"]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("2 requests per minute"), "{message}");
    assert_eq!(r.header("retry-after"), Some("30"), "two a minute: one back every 30 s");
    // Another key of the same tenant is unaffected: it has the server's rate.
    for i in 0..3 {
        let r = gw.chat(&plain, &chat_body("hi"));
        assert_eq!(r.status, 200, "request {i} of the other key: {}", r.text());
    }
    gw.chat(&plain, &chat_body("one too many")).assert_error(429, "rate_limit_exceeded");
    // 0: no limit, though the server has one.
    for i in 0..8 {
        let r = gw.chat(&free, &chat_body("hi"));
        assert_eq!(r.status, 200, "request {i} of the unlimited key: {}", r.text());
    }
    assert_eq!(mock.count(), 2 + 3 + 8, "a refused request was forwarded");

    // `keys list` shows each key's rate.
    let o = lucairn(&["keys", "list", "--data-dir", dir.str(), "--format", "json"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed: Value = serde_json::from_slice(&o.stdout).expect("json");
    let rate = |key: &str| {
        let id = &key["lcr_live_".len().."lcr_live_".len() + 8];
        listed.as_array().expect("array").iter().find(|k| k["id"] == id).map(|k| k["rate_limit"].clone())
    };
    assert_eq!(rate(&limited), Some(json!(2)));
    assert_eq!(rate(&free), Some(json!(0)));
    assert_eq!(rate(&plain), Some(Value::Null));
    let o = lucairn(&["keys", "list", "--data-dir", dir.str()], &[]);
    let table = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(table.contains("RATE") && table.contains("2/min") && table.contains("unlimited"), "{table}");
}

#[test]
fn a_first_version_sqlite_database_gains_key_rates() {
    if crate::support::test_database_url().is_some() {
        return; // SQLite's migration; PostgreSQL's runs in its own test.
    }
    let dir = TempDir::new("migrate-rate");
    std::fs::create_dir_all(dir.path()).expect("dir");
    {
        let db = rusqlite::Connection::open(dir.path().join("lucairn.db")).expect("open");
        db.execute_batch(
            "CREATE TABLE api_keys (id TEXT PRIMARY KEY, hash BLOB NOT NULL, tenant TEXT NOT NULL, tier TEXT NOT NULL, \
             live INTEGER NOT NULL, relink INTEGER NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
             CREATE TABLE certificates (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, \
             tenant TEXT NOT NULL, created_at INTEGER NOT NULL, digest TEXT NOT NULL, previous TEXT, json TEXT NOT NULL);
             INSERT INTO api_keys VALUES ('OldKey01', x'00', 'acme', 'developer', 1, 0, 1700000000, NULL);
             PRAGMA user_version = 1;",
        )
        .expect("a first-version database");
    }
    let limited = create_key(dir.str(), "developer", "acme");
    let o = lucairn(&["keys", "create", "--data-dir", dir.str(), "--rate-limit", "5"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = lucairn(&["keys", "list", "--data-dir", dir.str(), "--format", "json"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed: Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut rates: Vec<Value> = listed.as_array().expect("array").iter().map(|k| k["rate_limit"].clone()).collect();
    rates.sort_by_key(Value::to_string);
    assert_eq!(listed[0]["id"], "OldKey01", "the old key is kept");
    assert_eq!(rates, [json!(5), Value::Null, Value::Null]);
    assert!(limited.starts_with("lcr_live_"));
    let db = rusqlite::Connection::open(dir.path().join("lucairn.db")).expect("open");
    let v: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(v, 2);
}

#[test]
fn connections_past_the_cap_are_closed_at_accept_and_counted() {
    let dir = TempDir::new("max-connections");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--max-connections", "2"]);
    // Two idle connections take both places.
    let first = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    let second = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    // A third is accepted by the system, then closed by the gateway without an answer.
    let (got, closed) = send_and_read(gw.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", Duration::from_secs(10));
    assert!(closed && got.is_empty(), "{}", String::from_utf8_lossy(&got));
    // A place comes back when a connection closes.
    drop(first);
    wait_for("a place to be free", || {
        try_request(gw.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .is_some_and(|r| r.status == 200)
    });
    // (The health check's connection may not be counted as closed yet: ask until a place
    // is free again.)
    let mut metrics = None;
    wait_for("the metrics", || {
        metrics = try_request(gw.port, b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .filter(|r| r.status == 200);
        metrics.is_some()
    });
    let m = metrics.expect("metrics");
    let text = m.text();
    let refused: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("lucairn_connections_refused_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the refused connections are counted");
    assert!(refused >= 1, "{text}");
    assert!(text.contains("lucairn_connections_open "), "{text}");
    // Requests are served as usual within the cap.
    drop(second);
    wait_for("both places to be free", || {
        try_request(gw.port, &post_bytes(&key, "/v1/chat/completions", &chat_body("hi")))
            .is_some_and(|r| r.status == 200)
    });
}
