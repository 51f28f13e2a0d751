//! Test support: a gateway process, a recording mock upstream, a raw HTTP/1.1 client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_lucairn");

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "lucairn-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn str(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        drop_database(&self.0);
    }
}

/// Runs `lucairn` with `args` and `envs`, no stdin.
pub fn lucairn(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).stdin(Stdio::null());
    // On PostgreSQL, the commands that open the store use the data directory's database.
    if matches!(args.first(), Some(&"keys" | &"serve")) {
        let dir = args.windows(2).find(|w| w[0] == "--data-dir").map(|w| w[1]);
        let dir = dir.or_else(|| envs.iter().find(|(k, _)| *k == "LUCAIRN_DATA_DIR").map(|(_, v)| *v));
        if let Some(url) = dir.and_then(|d| database_url(Path::new(d))) {
            c.env("LUCAIRN_DATABASE_URL", url);
        }
    }
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("run lucairn")
}

/// `lucairn keys create` in `dir`; returns the key.
pub fn create_key(dir: &str, tier: &str, tenant: &str) -> String {
    let o = lucairn(&["keys", "create", "--data-dir", dir, "--tier", tier, "--tenant", tenant], &[]);
    assert!(o.status.success(), "keys create: {}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8(o.stdout).expect("utf-8");
    let key = s.trim().to_string();
    assert!(key.starts_with("lcr_live_"), "{s:?}");
    key
}

/// A running gateway. Killed on drop.
pub struct Gateway {
    pub child: Child,
    pub port: u16,
    /// Lines printed on stdout before "listening on".
    pub banner: Vec<String>,
    pub stderr_path: PathBuf,
}

impl Gateway {
    /// Starts `lucairn serve` on a random port with the data directory `dir`, the given
    /// upstream and extra flags.
    pub fn start(dir: &TempDir, upstream: &str, extra: &[&str]) -> Gateway {
        Gateway::start_with_env(dir, Some(upstream), extra, &[])
    }

    pub fn start_with_env(dir: &TempDir, upstream: Option<&str>, extra: &[&str], envs: &[(&str, &str)]) -> Gateway {
        static N: AtomicUsize = AtomicUsize::new(0);
        let stderr_path = dir.path().join(format!("stderr-{}.log", N.fetch_add(1, Ordering::SeqCst)));
        let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
        let mut args: Vec<&str> = vec!["serve", "--data-dir", dir.str(), "--listen", "127.0.0.1:0"];
        if let Some(u) = upstream {
            args.extend(["--upstream", u]);
        }
        args.extend(extra);
        let mut c = Command::new(BIN);
        c.args(&args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(stderr);
        // The environment of the test run must not leak settings into the gateway.
        for (k, _) in std::env::vars() {
            if k.starts_with("LUCAIRN_") {
                c.env_remove(k);
            }
        }
        if let Some(url) = database_url(dir.path()) {
            c.env("LUCAIRN_DATABASE_URL", url);
        }
        for (k, v) in envs {
            c.env(k, v);
        }
        let mut child = c.spawn().expect("spawn lucairn serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = Vec::new();
        let port = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(addr) = line
                        .strip_prefix("lucairn: listening on http://")
                        .or_else(|| line.strip_prefix("lucairn: listening on https://"))
                    {
                        break addr.rsplit(':').next().expect("port").parse().expect("port number");
                    }
                    banner.push(line);
                }
                _ => {
                    let _ = child.wait();
                    let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
                    panic!("gateway did not start: {banner:?}\n{err}");
                }
            }
        };
        // Keep draining stdout so the gateway never blocks on a full pipe.
        thread::spawn(move || for _ in lines {});
        Gateway { child, port, banner, stderr_path }
    }

    /// The developer key printed on first start.
    pub fn first_key(&self) -> Option<String> {
        self.banner.iter().map(|l| l.trim()).find(|l| l.starts_with("lcr_")).map(str::to_string)
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        http(self.port, method, path, headers, body)
    }

    /// POST /v1/chat/completions with a key and a provider key.
    pub fn chat(&self, key: &str, body: &str) -> Resp {
        self.chat_with(key, body, &[])
    }

    pub fn chat_with(&self, key: &str, body: &str, extra: &[(&str, &str)]) -> Resp {
        let auth = format!("Bearer {key}");
        let mut h = vec![
            ("Authorization", auth.as_str()),
            ("X-Upstream-Key", PROVIDER_KEY),
            ("Content-Type", "application/json"),
        ];
        h.extend_from_slice(extra);
        self.request("POST", "/v1/chat/completions", &h, body.as_bytes())
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Sends a signal (`"TERM"`, `"INT"`, `"KILL"`) without waiting.
    pub fn signal(&self, sig: &str) {
        let st = Command::new("kill").args([&format!("-{sig}"), &self.child.id().to_string()]).status().expect("kill");
        assert!(st.success());
    }

    /// Waits at most `limit` for the process to exit; `None` if it is still running.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = std::time::Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                return Some(st);
            }
            if start.elapsed() > limit {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let st = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(st.success());
        self.child.wait().expect("wait")
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The provider key tests send in X-Upstream-Key.
pub const PROVIDER_KEY: &str = "sk-test-provider-7f3a9c";

/// A parsed HTTP response.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts an OpenAI-style error with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        let v = self.json();
        let e = &v["error"];
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert!(e["type"].is_string(), "{v}");
        assert!(e.get("param").is_some(), "{v}");
        assert_eq!(e["code"], code, "{v}");
        assert_eq!(self.header("content-type"), Some("application/json"));
    }
}

/// One HTTP/1.1 request over a fresh connection.
pub fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    let mut has_len = false;
    for (k, v) in headers {
        has_len |= k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("transfer-encoding");
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !has_len {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    raw(port, &bytes)
}

/// Sends raw bytes and parses the response.
pub fn raw(port: u16, bytes: &[u8]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to gateway");
    s.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    // The server may answer (413) and close before reading everything.
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse_response(&out).unwrap_or_else(|| panic!("bad response: {:?}", String::from_utf8_lossy(&out)))
}

fn parse_response(data: &[u8]) -> Option<Resp> {
    let end = data.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&data[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())))
        .collect();
    let mut body = data[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body)?;
    }
    Some(Resp { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = data.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&data[..nl]).ok()?.split(';').next()?.trim(), 16).ok()?;
        data = &data[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// What the mock upstream received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("upstream received JSON")
    }
}

/// What the mock answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Instead of `body`: a chunked body sent piece by piece.
    pub stream: Option<Streamed>,
}

/// A body sent in pieces (chunked transfer coding), each written and flushed on its own.
#[derive(Debug, Clone)]
pub struct Streamed {
    pub pieces: Vec<Vec<u8>>,
    /// Wait between pieces.
    pub pause: Duration,
    pub end: StreamEnd,
}

/// How a streamed body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// The last chunk, as it should.
    Finish,
    /// The connection is closed without the last chunk.
    Close,
    /// Nothing more is sent for this long, then the connection is closed.
    Stall(Duration),
}

impl Reply {
    pub fn json(status: u16, v: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(v).expect("json"),
            delay: Duration::ZERO,
            stream: None,
        }
    }

    /// A `text/event-stream` answer sent in `pieces`.
    pub fn sse(pieces: Vec<Vec<u8>>, pause: Duration, end: StreamEnd) -> Reply {
        Reply {
            status: 200,
            content_type: "text/event-stream",
            body: Vec::new(),
            delay: Duration::ZERO,
            stream: Some(Streamed { pieces, pause, end }),
        }
    }
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// A mock OpenAI-compatible upstream on 127.0.0.1 that records every request.
pub struct Mock {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Recorded>>>,
    /// Streamed answers whose client (the gateway) went away before the end.
    pub aborted: Arc<AtomicUsize>,
    handler: Arc<Mutex<Handler>>,
}

/// A chat.completion whose message content is `content`.
pub fn completion(content: &str) -> serde_json::Value {
    serde_json::json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mock",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    })
}

/// Every string of the user, system and other messages joined: what the model "saw".
pub fn seen_text(r: &Recorded) -> String {
    let v = r.json();
    let mut out = Vec::new();
    if let Some(ms) = v["messages"].as_array() {
        for m in ms {
            match &m["content"] {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(parts) => {
                    out.extend(parts.iter().filter_map(|p| p["text"].as_str().map(str::to_string)))
                }
                _ => {}
            }
        }
    }
    out.join("\n")
}

impl Mock {
    /// A mock that echoes what the model saw as the answer.
    pub fn echo() -> Mock {
        Mock::start(Arc::new(|r: &Recorded| Reply::json(200, &completion(&seen_text(r)))))
    }

    pub fn start(handler: Handler) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind mock");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let aborted = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(Mutex::new(handler));
        let (rec, h, ab) = (received.clone(), handler.clone(), aborted.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (rec, h, ab) = (rec.clone(), h.clone(), ab.clone());
                thread::spawn(move || serve_conn(conn, &rec, &h, &ab));
            }
        });
        Mock { port, received, aborted, handler }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn set(&self, handler: Handler) {
        *self.handler.lock().expect("lock") = handler;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.received.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().expect("lock").len()
    }

    pub fn last(&self) -> Recorded {
        self.requests().pop().expect("the upstream received a request")
    }
}

fn serve_conn(conn: TcpStream, rec: &Mutex<Vec<Recorded>>, handler: &Mutex<Handler>, aborted: &AtomicUsize) {
    let mut reader = BufReader::new(conn.try_clone().expect("clone"));
    let mut conn = conn;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len: usize =
            headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let r = Recorded { method, path, headers, body };
        rec.lock().expect("lock").push(r.clone());
        let h = handler.lock().expect("lock").clone();
        let reply = h(&r);
        if !reply.delay.is_zero() {
            thread::sleep(reply.delay);
        }
        if let Some(st) = &reply.stream {
            let head = format!(
                "HTTP/1.1 {} X\r\nContent-Type: {}\r\nTransfer-Encoding: chunked\r\nX-Request-Id: req-mock\r\n\r\n",
                reply.status, reply.content_type
            );
            if conn.write_all(head.as_bytes()).and_then(|_| conn.flush()).is_err() {
                return;
            }
            for p in &st.pieces {
                let mut chunk = format!("{:x}\r\n", p.len()).into_bytes();
                chunk.extend_from_slice(p);
                chunk.extend_from_slice(b"\r\n");
                if conn.write_all(&chunk).and_then(|_| conn.flush()).is_err() {
                    aborted.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                if !st.pause.is_zero() {
                    thread::sleep(st.pause);
                }
            }
            match st.end {
                StreamEnd::Finish => {
                    if conn.write_all(b"0\r\n\r\n").is_err() {
                        return;
                    }
                    continue;
                }
                StreamEnd::Close => return,
                StreamEnd::Stall(d) => {
                    thread::sleep(d);
                    return;
                }
            }
        }
        let head = format!(
            "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nX-Request-Id: req-mock\r\n\r\n",
            reply.status,
            reply.content_type,
            reply.body.len()
        );
        if conn.write_all(head.as_bytes()).and_then(|_| conn.write_all(&reply.body)).is_err() {
            return;
        }
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Every string (keys and values) of a JSON value.
pub fn all_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.push(s.clone());
            // Tool-call arguments are JSON inside a string.
            if let Ok(inner) = serde_json::from_str::<serde_json::Value>(s) {
                if inner.is_object() || inner.is_array() {
                    all_strings(&inner, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| all_strings(x, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.push(k.clone());
                all_strings(x, out);
            }
        }
        _ => {}
    }
}

/// `text` with the number of every placeholder `[KIND_N]` replaced by `#`, so tests can
/// compare texts whose placeholders are numbered from a tenant secret.
pub fn unnumbered(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = after.find(']').unwrap_or(0);
        let inner = &after[1..close.max(1)];
        let numbered = inner.rsplit_once('_').filter(|(k, n)| {
            !k.is_empty()
                && k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        });
        match numbered {
            Some((k, _)) if close > 0 => {
                out.push_str(&format!("[{k}_#]"));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A mock upstream on 127.0.0.1 that hands each connection to `serve`: for faults a
/// well-behaved server never makes (resets, truncated bodies, odd headers).
pub struct RawMock {
    pub port: u16,
}

impl RawMock {
    pub fn start(serve: Arc<dyn Fn(TcpStream) + Send + Sync>) -> RawMock {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind mock");
        let port = listener.local_addr().expect("addr").port();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let serve = serve.clone();
                thread::spawn(move || serve(conn));
            }
        });
        RawMock { port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }
}

/// Reads one HTTP/1.1 request with a Content-Length body from `conn`: head and body.
pub fn read_request(conn: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if conn.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    conn.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// Sends `bytes` on a fresh connection to `port` and reads until the server closes it
/// (or `limit` passes); returns what was read and whether the server closed.
pub fn send_and_read(port: u16, bytes: &[u8], limit: Duration) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(bytes).expect("write");
    read_until_closed(&mut s, limit)
}

/// Reads from `s` until the peer closes (`true`) or `limit` passes (`false`).
pub fn read_until_closed(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let start = std::time::Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(100))).expect("timeout");
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    while start.elapsed() < limit {
        match s.read(&mut buf) {
            Ok(0) => return (out, true),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            // A reset is a close too.
            Err(_) => return (out, true),
        }
    }
    (out, false)
}

/// Parses every HTTP/1.1 response in `data` (bodies framed by Content-Length or chunked).
pub fn parse_responses(mut data: &[u8]) -> Vec<Resp> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
        let Ok(head) = std::str::from_utf8(&data[..end]) else { break };
        let mut lines = head.split("\r\n");
        let Some(status) = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()) else { break };
        let headers = lines
            .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())))
            .collect();
        let mut r = Resp { status, headers, body: Vec::new() };
        let rest = &data[end + 4..];
        let len = r.header("content-length").and_then(|v| v.parse::<usize>().ok());
        match len {
            Some(n) if rest.len() >= n => {
                r.body = rest[..n].to_vec();
                data = &rest[n..];
            }
            _ => {
                r.body = rest.to_vec();
                if r.header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
                    r.body = dechunk(rest).unwrap_or_default();
                }
                data = &[];
            }
        }
        out.push(r);
    }
    out
}

/// Every certificate of `tenant` stored for the data directory `dir` (in its SQLite file,
/// or in its PostgreSQL database when the suite runs on PostgreSQL), oldest first.
pub fn stored_certificates(dir: &Path, tenant: &str) -> Vec<(String, String)> {
    if let Some(url) = database_url(dir) {
        assert!(tenant.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "a plain tenant name");
        let rows =
            pg_execute(&url, &format!("SELECT id, json FROM certificates WHERE tenant = '{tenant}' ORDER BY seq"))
                .expect("query the certificates");
        return rows
            .into_iter()
            .map(|r| (r[0].clone().expect("an id"), r[1].clone().expect("a certificate")))
            .collect();
    }
    let db = rusqlite::Connection::open(dir.join("lucairn.db")).expect("open the database");
    let mut st = db.prepare("SELECT id, json FROM certificates WHERE tenant = ?1 ORDER BY seq").expect("prepare");
    st.query_map([tenant], |r| Ok((r.get(0)?, r.get(1)?))).expect("query").map(|r| r.expect("row")).collect()
}

/// The path of a certificate URL (`/v1/certificates/ID`).
pub fn url_path(url: &str) -> String {
    url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("a /v1/ URL")
}

/// The variable naming a PostgreSQL server (a URL whose database the test user may create
/// databases from). When it is set, every gateway and `lucairn keys` of the suite keeps
/// its keys and certificates in PostgreSQL, in a database of its data directory's own;
/// otherwise in SQLite.
pub const TEST_DATABASE_ENV: &str = "LUCAIRN_TEST_DATABASE_URL";

/// The PostgreSQL server the suite runs against, or `None` (SQLite).
pub fn test_database_url() -> Option<String> {
    std::env::var(TEST_DATABASE_ENV).ok().filter(|v| !v.is_empty())
}

/// Databases made for test directories, dropped with them.
static DATABASES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// On PostgreSQL: the URL of the database of the data directory `dir`, made on first use
/// and dropped with the [`TempDir`]. `None` on SQLite.
pub fn database_url(dir: &Path) -> Option<String> {
    let base = test_database_url()?;
    let name = database_name(dir);
    let mut made = DATABASES.lock().expect("lock");
    if !made.contains(&name) {
        // (Left over by an earlier run that was killed.)
        let _ = pg_execute(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        pg_execute(&base, &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("cannot make a test database on {TEST_DATABASE_ENV}: {e}"));
        made.push(name.clone());
    }
    Some(with_database(&base, &name))
}

fn drop_database(dir: &Path) {
    let Some(base) = test_database_url() else { return };
    let name = database_name(dir);
    let Ok(mut made) = DATABASES.lock() else { return };
    if let Some(i) = made.iter().position(|n| *n == name) {
        made.swap_remove(i);
        let _ = pg_execute(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

/// `lt_` and the directory's name in lower case, `_` for anything else: a plain SQL name.
fn database_name(dir: &Path) -> String {
    let leaf = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let leaf = leaf.strip_prefix("lucairn-test-").unwrap_or(&leaf);
    let mut name: String =
        leaf.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if name.len() > 60 {
        name = name.split_off(name.len() - 60);
    }
    format!("lt_{name}")
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = main.find("://").map_or(0, |i| i + 3);
    let base = match main[scheme_end..].find('/') {
        Some(i) => &main[..scheme_end + i],
        None => main,
    };
    format!("{base}/{name}{query}")
}

/// Runs SQL (any number of statements, in one implicit transaction) on the database at
/// `url`; returns the rows of the last statement that returned rows, each value as text.
pub fn pg_execute(url: &str, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let message = |e: tokio_postgres::Error| e.as_db_error().map_or(e.to_string(), |d| d.message().to_string());
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(message)?;
        let driver = tokio::spawn(conn);
        let r = client.simple_query(sql).await.map_err(message);
        drop(client);
        let _ = driver.await;
        let mut rows = Vec::new();
        for m in r? {
            match m {
                tokio_postgres::SimpleQueryMessage::Row(row) => {
                    rows.push((0..row.len()).map(|i| row.get(i).map(str::to_string)).collect())
                }
                tokio_postgres::SimpleQueryMessage::RowDescription(_) => rows.clear(),
                _ => {}
            }
        }
        Ok(rows)
    })
}
