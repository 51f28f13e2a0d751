//! Load test of the gateway against a fast mock upstream on loopback.
//!
//! ```text
//! cargo build --release -p lucairn-gateway --bin lucairn --example load
//! target/release/examples/load --gateway target/release/lucairn --seconds 10 --connections 32
//! ```
//!
//! Starts a mock OpenAI-compatible upstream in this process, measures requests/s and
//! latency percentiles calling the mock directly, then starts `lucairn serve` in front of
//! the mock and measures again with the same 2 KB request carrying 5 e-mail addresses.
//! Prints both and the latency the gateway adds.
//!
//! Arguments after `--` are passed to `lucairn serve`, e.g.
//! `-- --sqlite-synchronous normal`. `--help` prints the options.
//!
//! With `--stream`, the request asks for `stream: true` and the mock streams a 64-chunk
//! answer (768 bytes of text) at once; the time to the first text byte and to the
//! end of the stream are measured, directly and through the gateway.

use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const COMPLETION: &str = r#"{"id":"chatcmpl-load","object":"chat.completion","created":1700000000,"model":"mock","choices":[{"index":0,"message":{"role":"assistant","content":"Ticket classified as billing. Contact [EMAIL_ADDRESS_1] about the refund.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":500,"completion_tokens":20,"total_tokens":520}}"#;

/// A chat request of about 2 KB with 5 e-mail addresses.
fn request_body(stream: bool) -> String {
    let filler = "The customer reports that the invoice total does not match the order confirmation and asks \
                  for a correction before the end of the month. ";
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(filler);
        text.push_str(&format!("Reach them at customer.{i}@example.org. "));
    }
    while text.len() < 1800 {
        text.push_str("Nothing else to add. ");
    }
    serde_json::json!({
        "model": "gpt-4o",
        "stream": stream,
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": "Classify support tickets into billing, technical or other."},
            {"role": "user", "content": text}
        ]
    })
    .to_string()
}

/// Number of chunks of a streamed answer.
const CHUNKS: usize = 64;

/// A streamed answer: a role chunk, [`CHUNKS`] text chunks, a finish chunk, `[DONE]`.
fn stream_body() -> Bytes {
    let chunk = |delta: &str, finish: &str| {
        format!(
            "data: {{\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\
             \"model\":\"mock\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\
             \"finish_reason\":{finish}}}]}}\n\n"
        )
    };
    let mut s = chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null");
    for i in 0..CHUNKS {
        s.push_str(&chunk(&format!("{{\"content\":\"word{i:02} more \"}}"), "null"));
    }
    s.push_str(&chunk("{}", "\"stop\""));
    s.push_str("data: [DONE]\n\n");
    Bytes::from(s)
}

async fn mock(listener: TcpListener) {
    let streamed = stream_body();
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        let streamed = streamed.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: Request<hyper::body::Incoming>| {
                let streamed = streamed.clone();
                async move {
                    let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                    let is_stream = body.windows(14).any(|w| w == b"\"stream\": true" || w == b"\"stream\":true,");
                    let (bytes, ct) = if is_stream {
                        (streamed, "text/event-stream")
                    } else {
                        (Bytes::from_static(COMPLETION.as_bytes()), "application/json")
                    };
                    let mut r = Response::new(Full::new(bytes));
                    r.headers_mut().insert("content-type", ct.parse().expect("header"));
                    Ok::<_, Infallible>(r)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
        });
    }
}

struct Stats {
    rps: f64,
    p50: Duration,
    p99: Duration,
    /// Time to the first text byte of a streamed answer.
    first_p50: Duration,
    first_p99: Duration,
    errors: usize,
}

/// True when `b` holds a chunk with non-empty `content`.
fn has_text(b: &[u8]) -> bool {
    let pat = b"\"content\":\"";
    b.windows(pat.len() + 1).any(|w| &w[..pat.len()] == pat && w[pat.len()] != b'"')
}

async fn load(url: String, headers: Vec<(String, String)>, body: Bytes, conns: usize, secs: u64) -> Stats {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let url: hyper::Uri = url.parse().expect("url");
    let addr: SocketAddr =
        format!("{}:{}", url.host().expect("host"), url.port_u16().expect("port")).parse().expect("addr");
    let headers = Arc::new(headers);
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (url, headers, body) = (url.clone(), headers.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let _ = stream.set_nodelay(true);
            let (mut send, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
            tokio::spawn(conn);
            let mut lat = Vec::new();
            let mut first = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let mut b = Request::post(url.clone()).header("content-type", "application/json");
                for (k, v) in headers.iter() {
                    b = b.header(k, v);
                }
                let req = b.body(Full::new(body.clone())).expect("request");
                let t = Instant::now();
                match send.send_request(req).await {
                    Ok(resp) => {
                        let ok = resp.status().is_success();
                        let mut body = resp.into_body();
                        let mut seen = None;
                        while let Some(Ok(frame)) = body.frame().await {
                            if seen.is_none() && frame.data_ref().is_some_and(|d| has_text(d)) {
                                seen = Some(t.elapsed());
                            }
                        }
                        if ok {
                            lat.push(t.elapsed());
                            first.push(seen.unwrap_or_else(|| t.elapsed()));
                        } else {
                            errors += 1;
                        }
                    }
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
            (lat, first, errors)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    let mut firsts = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, f, e) = t.await.expect("task");
        all.extend(l);
        firsts.extend(f);
        errors += e;
    }
    let took = started.elapsed().as_secs_f64();
    all.sort();
    firsts.sort();
    let pct = |v: &[Duration], p: f64| v.get(((v.len() as f64 - 1.0) * p) as usize).copied().unwrap_or_default();
    Stats {
        rps: all.len() as f64 / took,
        p50: pct(&all, 0.5),
        p99: pct(&all, 0.99),
        first_p50: pct(&firsts, 0.5),
        first_p99: pct(&firsts, 0.99),
        errors,
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

const USAGE: &str = "\
usage: load [--gateway PATH] [--seconds N] [--connections N] [--threads N] [--stream] [-- SERVE_ARGS...]

  --gateway PATH     the lucairn binary [default: target/release/lucairn]
  --seconds N        seconds of load, directly and through the gateway [default: 10]
  --connections N    connections sending requests one after another [default: 32]
  --threads N        worker threads of this load generator [default: 1]
  --stream           stream: true, the mock streams 64 chunks
  -- SERVE_ARGS...   passed to `lucairn serve` (e.g. --sqlite-synchronous normal)";

fn main() {
    let all: Vec<String> = std::env::args().collect();
    let (args, serve_args) = match all.iter().position(|a| a == "--") {
        Some(i) => (all[..i].to_vec(), all[i + 1..].to_vec()),
        None => (all, Vec::new()),
    };
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    let gateway = arg(&args, "--gateway").unwrap_or_else(|| "target/release/lucairn".into());
    let secs: u64 = arg(&args, "--seconds").and_then(|s| s.parse().ok()).unwrap_or(10);
    let conns: usize = arg(&args, "--connections").and_then(|s| s.parse().ok()).unwrap_or(32);
    let threads: usize = arg(&args, "--threads").and_then(|s| s.parse().ok()).unwrap_or(1);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build().expect("rt");
    let stream = args.iter().any(|a| a == "--stream");
    let body = Bytes::from(request_body(stream));
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let mock_addr = listener.local_addr().expect("addr");
        tokio::spawn(mock(listener));
        let direct = load(format!("http://{mock_addr}/v1/chat/completions"), vec![], body.clone(), conns, secs).await;

        let dir = std::env::temp_dir().join(format!("lucairn-load-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let d = dir.to_str().expect("path").to_string();
        let out = Command::new(&gateway)
            .args(["keys", "create", "--data-dir", &d, "--tier", "developer", "--tenant", "load"])
            .output()
            .expect("run lucairn keys create");
        let key = String::from_utf8(out.stdout).expect("utf-8").trim().to_string();
        let upstream = format!("http://{mock_addr}/v1");
        let mut child = Command::new(&gateway)
            .args(["serve", "--data-dir", &d, "--listen", "127.0.0.1:0", "--upstream", &upstream, "--log", "warn"])
            .args(&serve_args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start lucairn serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let gw = loop {
            let line = lines.next().expect("gateway output").expect("line");
            if let Some(a) = line.strip_prefix("lucairn: listening on ") {
                break a.to_string();
            }
        };
        let headers =
            vec![("authorization".into(), format!("Bearer {key}")), ("x-upstream-key".into(), "sk-load".into())];
        let via = load(format!("{gw}/v1/chat/completions"), headers, body.clone(), conns, secs).await;
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&dir);

        println!("request: {} bytes, 5 e-mail addresses; {conns} connections, {secs} s each", body.len());
        if stream {
            println!("streamed answer: {CHUNKS} text chunks");
            println!(
                "{:<14} {:>10} {:>12} {:>12} {:>10} {:>10} {:>7}",
                "", "req/s", "first p50", "first p99", "end p50", "end p99", "errors"
            );
            for (name, s) in [("mock direct", &direct), ("via gateway", &via)] {
                println!(
                    "{name:<14} {:>10.0} {:>12.2?} {:>12.2?} {:>10.2?} {:>10.2?} {:>7}",
                    s.rps, s.first_p50, s.first_p99, s.p50, s.p99, s.errors
                );
            }
            println!(
                "added to the first text: p50 {:.2?}, p99 {:.2?}; added per chunk (whole stream / {CHUNKS}): p50 {:.2?}",
                via.first_p50.saturating_sub(direct.first_p50),
                via.first_p99.saturating_sub(direct.first_p99),
                via.p50.saturating_sub(direct.p50) / CHUNKS as u32,
            );
            return;
        }
        println!("{:<14} {:>10} {:>10} {:>10} {:>7}", "", "req/s", "p50", "p99", "errors");
        for (name, s) in [("mock direct", &direct), ("via gateway", &via)] {
            println!("{name:<14} {:>10.0} {:>10.2?} {:>10.2?} {:>7}", s.rps, s.p50, s.p99, s.errors);
        }
        println!(
            "added latency: p50 {:.2?}, p99 {:.2?}",
            via.p50.saturating_sub(direct.p50),
            via.p99.saturating_sub(direct.p99)
        );
    });
}
