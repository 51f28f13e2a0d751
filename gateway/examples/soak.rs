//! Soak test: a bounded run of mixed requests through `lucairn serve`, with the gateway's
//! resident memory (RSS, from `/proc`) reported as it goes.
//!
//! ```text
//! cargo build --release -p lucairn-gateway --bin lucairn --example soak
//! target/release/examples/soak --gateway target/release/lucairn --requests 5000 --connections 4
//! ```
//!
//! Starts a mock OpenAI-compatible upstream in this process and the gateway in front of
//! it, sends `--warmup` requests, then `--requests` more: chat completions whole and
//! streamed (developer and pro keys), `/v1/sanitize` followed by `/v1/relink`, and
//! `/v1/scan`, each with personal data that differs from request to request. Prints the
//! gateway's RSS after the warm-up, every `--report-every` requests and at the end, and
//! the number of non-2xx answers. Linux only (reads `/proc/PID/status`). It asserts
//! nothing: the figures are for reading.

use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The mock model: answers what it saw, with an address of its own, whole or streamed.
async fn mock(listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let svc = service_fn(|req: Request<hyper::body::Incoming>| async move {
                let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let seen = v["messages"][0]["content"].as_str().unwrap_or_default().to_string();
                let text = format!("You wrote: {seen}. Copying model.{}@soak.example.", body.len());
                let (bytes, ct) = if v["stream"] == true {
                    let mut s = String::new();
                    let chars: Vec<char> = text.chars().collect();
                    for piece in chars.chunks(8) {
                        let delta = serde_json::json!({"id": "c", "object": "chat.completion.chunk", "created": 1,
                            "model": "m", "choices": [{"index": 0, "delta": {"content": piece.iter().collect::<String>()},
                            "finish_reason": null}]});
                        s.push_str(&format!("data: {delta}\n\n"));
                    }
                    s.push_str("data: [DONE]\n\n");
                    (Bytes::from(s), "text/event-stream")
                } else {
                    let c = serde_json::json!({"id": "c", "object": "chat.completion", "created": 1, "model": "m",
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]});
                    (Bytes::from(c.to_string()), "application/json")
                };
                let mut r = Response::new(Full::new(bytes));
                r.headers_mut().insert("content-type", ct.parse().expect("header"));
                Ok::<_, Infallible>(r)
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
        });
    }
}

/// Resident memory of `pid` in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().trim_end_matches(" kB").trim().to_string()))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

struct Client {
    addr: SocketAddr,
    dev: String,
    pro: String,
}

impl Client {
    /// Request number `n`; returns true for a 2xx answer read to its end.
    async fn one(&self, send: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>, n: usize) -> bool {
        let value = format!("person.{n}@soak{}.example, IBAN DE89 3704 0044 0532 0130 00", n % 97);
        let (key, path, body, relink) = match n % 10 {
            0..=2 => (&self.dev, "/v1/chat/completions", chat(&value, false), false),
            3 => (&self.pro, "/v1/chat/completions", chat(&value, false), true),
            4..=5 => (&self.dev, "/v1/chat/completions", chat(&value, true), false),
            6 => (&self.pro, "/v1/chat/completions", chat(&value, true), true),
            7..=8 => {
                let doc = serde_json::json!({"document": {"note": format!("write to {value}")}, "fields": ["/note"]});
                (&self.pro, "/v1/sanitize", doc.to_string(), false)
            }
            _ => (&self.dev, "/v1/scan", serde_json::json!({"texts": [value]}).to_string(), false),
        };
        let Some(answer) = self.post(send, key, path, body, relink).await else { return false };
        if path == "/v1/sanitize" {
            let v: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
            let back = serde_json::json!({"document": v["document"], "relink_token": v["relink_token"]}).to_string();
            return self.post(send, &self.pro, "/v1/relink", back, false).await.is_some();
        }
        true
    }

    async fn post(
        &self,
        send: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
        key: &str,
        path: &str,
        body: String,
        relink: bool,
    ) -> Option<Bytes> {
        let req = Request::post(format!("http://{}{path}", self.addr))
            .header("host", self.addr.to_string())
            .header("authorization", format!("Bearer {key}"))
            .header("x-upstream-key", "sk-soak")
            .header("x-lucairn-relink", if relink { "on" } else { "off" })
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .ok()?;
        let resp = send.send_request(req).await.ok()?;
        let ok = resp.status().is_success();
        let body = resp.into_body().collect().await.ok()?.to_bytes();
        ok.then_some(body)
    }
}

fn chat(value: &str, stream: bool) -> String {
    serde_json::json!({"model": "m", "stream": stream,
        "messages": [{"role": "user", "content": format!("Please mail {value} about the refund.")}]})
    .to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let gateway = arg(&args, "--gateway").unwrap_or_else(|| "target/release/lucairn".into());
    let total: usize = arg(&args, "--requests").and_then(|s| s.parse().ok()).unwrap_or(5000);
    let warmup: usize = arg(&args, "--warmup").and_then(|s| s.parse().ok()).unwrap_or(500);
    let conns: usize = arg(&args, "--connections").and_then(|s| s.parse().ok()).unwrap_or(4);
    let every: usize = arg(&args, "--report-every").and_then(|s| s.parse().ok()).unwrap_or(1000);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let mock_addr = listener.local_addr().expect("addr");
        tokio::spawn(mock(listener));

        let dir = std::env::temp_dir().join(format!("lucairn-soak-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let d = dir.to_str().expect("path").to_string();
        let key = |tier: &str| {
            let out = Command::new(&gateway)
                .args(["keys", "create", "--data-dir", &d, "--tier", tier, "--tenant", "soak"])
                .output()
                .expect("run lucairn keys create");
            String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
        };
        let (dev, pro) = (key("developer"), key("pro"));
        let upstream = format!("http://{mock_addr}/v1");
        let mut child = Command::new(&gateway)
            .args(["serve", "--data-dir", &d, "--listen", "127.0.0.1:0", "--upstream", &upstream, "--log", "warn"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start lucairn serve");
        let pid = child.id();
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let addr: SocketAddr = loop {
            let line = lines.next().expect("gateway output").expect("line");
            if let Some(a) = line.strip_prefix("lucairn: listening on http://") {
                break a.parse().expect("address");
            }
        };
        let client = Arc::new(Client { addr, dev, pro });
        let rss_start = rss_kib(pid);
        println!("gateway pid {pid}: RSS at start {rss_start} KiB");

        let next = Arc::new(AtomicUsize::new(0));
        let errors = Arc::new(AtomicUsize::new(0));
        let run = |upto: usize| {
            let (client, next, errors) = (client.clone(), next.clone(), errors.clone());
            async move {
                let mut tasks = Vec::new();
                for _ in 0..conns {
                    let (client, next, errors) = (client.clone(), next.clone(), errors.clone());
                    tasks.push(tokio::spawn(async move {
                        let stream = tokio::net::TcpStream::connect(client.addr).await.expect("connect");
                        let (mut send, conn) =
                            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
                        tokio::spawn(conn);
                        loop {
                            let n = next.fetch_add(1, Ordering::SeqCst);
                            if n >= upto {
                                break;
                            }
                            if !client.one(&mut send, n).await {
                                errors.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                    }));
                }
                for t in tasks {
                    t.await.expect("task");
                }
            }
        };
        run(warmup).await;
        let rss_warm = rss_kib(pid);
        println!("after {warmup} warm-up requests: RSS {rss_warm} KiB");
        let started = Instant::now();
        let mut done = warmup;
        while done < warmup + total {
            let upto = (done + every).min(warmup + total);
            run(upto).await;
            done = upto;
            println!(
                "after {:>6} requests: RSS {:>7} KiB ({:+} KiB since the warm-up), {} errors, {:.1} s",
                done - warmup,
                rss_kib(pid),
                rss_kib(pid) as i64 - rss_warm as i64,
                errors.load(Ordering::SeqCst),
                started.elapsed().as_secs_f64()
            );
        }
        let rss_end = rss_kib(pid);
        println!(
            "RSS: start {rss_start} KiB, after warm-up {rss_warm} KiB, end {rss_end} KiB ({:+} KiB over {total} requests); {} errors",
            rss_end as i64 - rss_warm as i64,
            errors.load(Ordering::SeqCst)
        );
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&dir);
    });
}
