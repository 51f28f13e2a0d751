use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{
    Gateway, Mock, PROVIDER_KEY, Recorded, Reply, Resp, StreamEnd, TempDir, completion, create_key, lucairn, seen_text,
    unnumbered,
};

/// The events of an SSE body: the `data` of each.
fn events(r: &Resp) -> Vec<String> {
    let text = r.text();
    text.split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            e.lines()
                .filter_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// The content the client assembles from the chunks of choice 0.
fn assembled(evs: &[String]) -> String {
    evs.iter()
        .filter(|e| e.as_str() != "[DONE]")
        .filter_map(|e| serde_json::from_str::<Value>(e).ok())
        .filter_map(|v| v["choices"][0]["delta"]["content"].as_str().map(str::to_string))
        .collect()
}

fn chunk(delta: Value, finish: Option<&str>) -> Vec<u8> {
    let c = json!({"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]});
    format!("data: {c}\n\n").into_bytes()
}

/// The model's answer to what it saw: the text back, with an address of its own.
fn answer_to(seen: &str) -> String {
    format!("You wrote: {seen}. I also wrote to model.made@corp.example — done. ")
}

/// A mock answering like a model: as one completion, or streamed in pieces of `piece`
/// bytes of SSE cut anywhere (in JSON, in placeholders, in multi-byte characters).
fn model(piece: usize, end: StreamEnd) -> Mock {
    Mock::start(Arc::new(move |r: &Recorded| {
        let seen = seen_text(r);
        let text = answer_to(&seen);
        if r.json()["stream"] != true {
            return Reply::json(200, &completion(&text));
        }
        let mut sse = chunk(json!({"role": "assistant", "content": ""}), None);
        sse.extend_from_slice(b": keep-alive\r\n\r\n");
        let chars: Vec<char> = text.chars().collect();
        for c in chars.chunks(3) {
            sse.extend(chunk(json!({"content": c.iter().collect::<String>()}), None));
        }
        sse.extend(chunk(json!({}), Some("stop")));
        sse.extend_from_slice(b"data: [DONE]\n\n");
        let pieces = sse.chunks(piece).map(<[u8]>::to_vec).collect();
        Reply::sse(pieces, Duration::ZERO, end)
    }))
}

fn stream_body(content: &str) -> String {
    json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": content}]}).to_string()
}

const PLANTED: &str = "Please mail anna.schmidt@planted.example about ticket 7, and copy ben@planted.example";

#[test]
fn streamed_answers_are_checked_and_end_with_the_certificate() {
    for piece in [1, 2, 7, 64, 100_000] {
        let dir = TempDir::new("stream");
        let mock = model(piece, StreamEnd::Finish);
        let key = create_key(dir.str(), "developer", "acme");
        let gw = Gateway::start(&dir, &mock.url(), &[]);
        let r = gw.chat(&key, &stream_body(PLANTED));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("text/event-stream; charset=utf-8"));
        assert!(!mock.last().body.windows(7).any(|w| w == b"planted"), "a value reached the upstream");
        assert_eq!(mock.last().json()["stream"], true);
        let text = r.text();
        assert!(!text.contains("planted") && !text.contains("model.made"), "{text}");
        let evs = events(&r);
        // The concatenated stream is the non-streamed answer.
        let whole =
            gw.chat(&key, &json!({"model": "m", "messages": [{"role": "user", "content": PLANTED}]}).to_string());
        assert_eq!(assembled(&evs), whole.json()["choices"][0]["message"]["content"], "pieces of {piece}");
        assert_eq!(
            unnumbered(&assembled(&evs)),
            "You wrote: Please mail [EMAIL_ADDRESS_#] about ticket 7, and copy [EMAIL_ADDRESS_#]. I also wrote to \
             [EMAIL_ADDRESS_#] — done. "
        );
        // Every event is a chunk; the last two are the certificate and [DONE].
        let n = evs.len();
        assert_eq!(evs[n - 1], "[DONE]");
        let meta: Value = serde_json::from_str(&evs[n - 2]).expect("json");
        assert_eq!(meta["choices"], json!([]));
        assert_eq!(meta["id"], "chatcmpl-s");
        let dsa = &meta["metadata"]["dsa_compliance"];
        assert_eq!(dsa["findings"], json!({"EMAIL_ADDRESS": 2}));
        let url = dsa["certificate_url"].as_str().expect("url");
        assert_eq!(r.header("x-lucairn-certificate"), Some(url));
        assert!(evs.iter().any(|e| e.contains("\"finish_reason\":\"stop\"")));
        for e in &evs[..n - 1] {
            let v: Value = serde_json::from_str(e).expect("every event is JSON");
            assert_eq!(v["object"], "chat.completion.chunk");
        }
        // The certificate covers the streamed answer and verifies.
        let c =
            gw.request("GET", &format!("/v1/certificates/{}", dsa["certificate_id"].as_str().expect("id")), &[], b"");
        let cert = c.json();
        assert_eq!(cert["output_findings"].as_array().map(Vec::len), Some(1));
        assert_eq!(cert["output_findings"][0]["location"], json!({"message": 0, "field": "message/content"}));
        let o = lucairn(&["verify", url, "--url", &format!("http://127.0.0.1:{}", gw.port)], &[]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn pro_keys_get_the_exact_values_in_streams() {
    for piece in [1, 5, 100_000] {
        let dir = TempDir::new("stream-pro");
        let mock = model(piece, StreamEnd::Finish);
        let key = create_key(dir.str(), "pro", "acme");
        let gw = Gateway::start(&dir, &mock.url(), &[]);
        let r = gw.chat(&key, &stream_body(PLANTED));
        assert_eq!(r.status, 200, "{}", r.text());
        let got = assembled(&events(&r));
        assert!(got.starts_with(&format!("You wrote: {PLANTED}. I also wrote to [EMAIL_ADDRESS_")), "{got}");
        assert!(!got.contains("model.made"), "{got}");
    }
}

#[test]
fn upstream_failures_mid_stream_become_error_events() {
    for (end, code) in
        [(StreamEnd::Close, "upstream_stream_error"), (StreamEnd::Stall(Duration::from_secs(5)), "upstream_timeout")]
    {
        let dir = TempDir::new("stream-fail");
        let mock = Mock::start(Arc::new(move |r: &Recorded| {
            let mut sse = chunk(json!({"role": "assistant", "content": ""}), None);
            sse.extend(chunk(json!({"content": format!("Partial answer about {}", seen_text(r))}), None));
            Reply::sse(vec![sse], Duration::ZERO, end)
        }));
        let key = create_key(dir.str(), "developer", "acme");
        let gw = Gateway::start(&dir, &mock.url(), &["--stream-idle-timeout", "0.5"]);
        let started = Instant::now();
        let r = gw.chat(&key, &stream_body("about x@planted.example"));
        assert!(started.elapsed() < Duration::from_secs(4), "{end:?}: the stall was not cut off");
        assert_eq!(r.status, 200);
        let evs = events(&r);
        let n = evs.len();
        // What was checked so far, the certificate, then the error; no [DONE].
        assert!(unnumbered(&assembled(&evs)).starts_with("Partial answer about about [EMAIL_ADDRESS_#]"), "{evs:?}");
        let err: Value = serde_json::from_str(&evs[n - 1]).expect("json");
        assert_eq!(err["error"]["code"], code, "{evs:?}");
        let meta: Value = serde_json::from_str(&evs[n - 2]).expect("json");
        let id = meta["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("id");
        assert_eq!(gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"").status, 200);
        assert!(!r.text().contains("planted"));
    }
}

#[test]
fn client_disconnects_cancel_the_upstream_request() {
    let dir = TempDir::new("stream-gone");
    let mock = Mock::start(Arc::new(|_: &Recorded| {
        let pieces = (0..400).map(|i| chunk(json!({"content": format!("word {i} ").repeat(20)}), None)).collect();
        Reply::sse(pieces, Duration::from_millis(20), StreamEnd::Finish)
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = stream_body("hi");
    let mut s = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    let req = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nX-Upstream-Key: {PROVIDER_KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(5).any(|w| w == b"word ") {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "the stream ended early");
        got.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&got).to_string();
    let url = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().starts_with("x-lucairn-certificate:").then(|| l[22..].trim().to_string()))
        .expect("certificate header");
    drop(s);
    // The gateway drops the upstream request: the mock sees its writes fail.
    let t = Instant::now();
    while mock.aborted.load(Ordering::SeqCst) == 0 {
        assert!(t.elapsed() < Duration::from_secs(5), "the upstream request was not cancelled");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The certificate of what was sent upstream is stored all the same.
    let path = url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("path");
    let t = Instant::now();
    loop {
        let c = gw.request("GET", &path, &[], b"");
        if c.status == 200 {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(5), "no certificate");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn streamed_requests_the_upstream_refuses_get_its_error() {
    let dir = TempDir::new("stream-refused");
    let mock = Mock::start(Arc::new(|_: &Recorded| {
        Reply::json(
            429,
            &json!({"error": {"message": "slow down, ops@corp.example", "type": "rate_limit", "param": null, "code": "rate"}}),
        )
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let r = gw.chat(&key, &stream_body("hi"));
    assert_eq!(r.status, 429);
    assert_eq!(unnumbered(r.json()["error"]["message"].as_str().expect("message")), "slow down, [EMAIL_ADDRESS_#]");
}
