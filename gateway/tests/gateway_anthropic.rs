use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{
    Gateway, Mock, PROVIDER_KEY, RawMock, Recorded, Reply, Resp, StreamEnd, TempDir, all_strings, create_key,
    read_request,
};

const PLANTED: [&str; 6] = [
    "anna.schmidt@planted.example",
    "ben@planted.example",
    "carla@planted.example",
    "dora@planted.example",
    "emil@planted.example",
    "fritz@planted.example",
];

/// The first `[EMAIL_ADDRESS_N]` placeholder of `s`.
fn placeholder(s: &str) -> Option<String> {
    let i = s.find("[EMAIL_ADDRESS_")?;
    let j = s[i..].find(']')?;
    Some(s[i..=i + j].to_string())
}

/// The text of the first user message as the model saw it.
fn first_user_text(v: &Value) -> String {
    match &v["messages"][0]["content"] {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => blocks.iter().filter_map(|b| b["text"].as_str()).collect::<Vec<_>>().join(" "),
        _ => String::new(),
    }
}

/// The model's answer: the text back with an address of its own, and a tool call to the
/// first address it saw.
fn answer_text(seen: &str) -> String {
    format!("Noted: {seen}. I also copied model.made@corp.example — done. ")
}

fn message(seen: &str, to: &str) -> Value {
    json!({"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-mock",
        "content": [
            {"type": "text", "text": answer_text(seen)},
            {"type": "tool_use", "id": "toolu_01", "name": "send_mail", "input": {"to": to, "name": to, "n": 3}}
        ],
        "stop_reason": "tool_use", "stop_sequence": null,
        "usage": {"input_tokens": 20, "output_tokens": 10}})
}

fn sse(ty: &str, data: Value) -> Vec<u8> {
    format!("event: {ty}\ndata: {data}\n\n").into_bytes()
}

/// The same answer as Anthropic streams it.
fn streamed(seen: &str, to: &str) -> Vec<u8> {
    let mut s = sse(
        "message_start",
        json!({"type": "message_start", "message": {"id": "msg_01", "type": "message", "role": "assistant",
            "content": [], "model": "claude-mock", "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 20, "output_tokens": 1}}}),
    );
    s.extend(sse(
        "content_block_start",
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    ));
    s.extend(b"event: ping\ndata: {\"type\": \"ping\"}\n\n");
    let chars: Vec<char> = answer_text(seen).chars().collect();
    for c in chars.chunks(3) {
        let t: String = c.iter().collect();
        s.extend(sse(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}}),
        ));
    }
    s.extend(sse("content_block_stop", json!({"type": "content_block_stop", "index": 0})));
    s.extend(sse(
        "content_block_start",
        json!({"type": "content_block_start", "index": 1,
            "content_block": {"type": "tool_use", "id": "toolu_01", "name": "send_mail", "input": {}}}),
    ));
    let input = json!({"to": to, "name": to, "n": 3}).to_string();
    let chars: Vec<char> = input.chars().collect();
    for c in chars.chunks(4) {
        let t: String = c.iter().collect();
        s.extend(sse(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": t}}),
        ));
    }
    s.extend(sse("content_block_stop", json!({"type": "content_block_stop", "index": 1})));
    s.extend(sse(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null},
            "usage": {"output_tokens": 10}}),
    ));
    s.extend(sse("message_stop", json!({"type": "message_stop"})));
    s
}

/// A mock Anthropic upstream answering whole or streamed in pieces of `piece` bytes.
fn claude(piece: usize, end: StreamEnd) -> Mock {
    Mock::start(Arc::new(move |r: &Recorded| {
        let v = r.json();
        let seen = first_user_text(&v);
        let to = placeholder(&seen).unwrap_or_else(|| "nobody".into());
        if v["stream"] != true {
            return Reply::json(200, &message(&seen, &to));
        }
        let body = streamed(&seen, &to);
        let mut pieces: Vec<Vec<u8>> = body.chunks(piece).map(<[u8]>::to_vec).collect();
        if end != StreamEnd::Finish {
            // Break off in the middle of the text.
            pieces.truncate(pieces.len() / 3);
        }
        Reply::sse(pieces, Duration::ZERO, end)
    }))
}

fn start(dir: &TempDir, mock: &Mock, extra: &[&str]) -> Gateway {
    let up = format!("http://127.0.0.1:{}", mock.port);
    let mut args = vec!["--anthropic-upstream", up.as_str()];
    args.extend_from_slice(extra);
    Gateway::start(dir, &mock.url(), &args)
}

/// POST /v1/messages as the anthropic SDK sends it: the gateway key in `x-api-key`.
fn post(gw: &Gateway, key: &str, body: &Value) -> Resp {
    let h = [
        ("x-api-key", key),
        ("anthropic-version", "2023-06-01"),
        ("X-Upstream-Key", PROVIDER_KEY),
        ("Content-Type", "application/json"),
    ];
    gw.request("POST", "/v1/messages", &h, body.to_string().as_bytes())
}

/// A request with planted values in every place the Messages API has text.
fn planted_request(stream: bool) -> Value {
    json!({
        "model": "claude-mock", "max_tokens": 256, "stream": stream,
        "system": [{"type": "text", "text": format!("Support desk of {}", PLANTED[5])}],
        "tools": [{"name": "send_mail", "description": format!("Sends mail, e.g. to {}", PLANTED[4]),
            "input_schema": {"type": "object", "properties": {"to": {"type": "string", "examples": [PLANTED[4]]}}}}],
        "metadata": {"user_id": PLANTED[3]},
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": format!("Please mail {} about ticket 7", PLANTED[0])}]},
            {"role": "assistant", "content": [
                {"type": "text", "text": "Sending."},
                {"type": "tool_use", "id": "toolu_00", "name": "send_mail", "input": {"to": PLANTED[0], PLANTED[1]: true}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_00", "content": [{"type": "text", "text": format!("bounced; try {}", PLANTED[2])}]},
                {"type": "text", "text": "Go on."}]}
        ]
    })
}

fn assert_nothing_planted(r: &Recorded) {
    let mut strings = Vec::new();
    all_strings(&r.json(), &mut strings);
    let raw = String::from_utf8_lossy(&r.body);
    for p in PLANTED {
        assert!(!raw.contains(p), "{p} reached the upstream: {raw}");
    }
    assert!(strings.iter().filter(|s| s.contains("[EMAIL_ADDRESS_")).count() >= 8, "{strings:?}");
}

#[test]
fn messages_are_sanitised_and_answers_relinked_or_redacted() {
    let dir = TempDir::new("anthropic");
    let mock = claude(usize::MAX, StreamEnd::Finish);
    let gw = start(&dir, &mock, &[]);
    let dev = create_key(dir.str(), "developer", "acme");
    let pro = create_key(dir.str(), "pro", "acme");

    for (key, tier) in [(&dev, "developer"), (&pro, "pro")] {
        let r = post(&gw, key, &planted_request(false));
        assert_eq!(r.status, 200, "{}", r.text());
        let up = mock.last();
        assert_eq!(up.path, "/v1/messages");
        assert_eq!(up.header("x-api-key"), Some(PROVIDER_KEY));
        assert_eq!(up.header("anthropic-version"), Some("2023-06-01"));
        assert_eq!(up.header("authorization"), None);
        assert!(!String::from_utf8_lossy(&up.body).contains("lcr_"));
        assert_nothing_planted(&up);
        // The tool input stays an object with its keys sanitised too.
        let input = &up.json()["messages"][1]["content"][1]["input"];
        assert!(input["to"].as_str().is_some_and(|s| s.starts_with("[EMAIL_ADDRESS_")), "{input}");
        assert_eq!(input.as_object().map(|o| o.len()), Some(2));

        let v = r.json();
        let text = v["content"][0]["text"].as_str().expect("text").to_string();
        let input = &v["content"][1]["input"];
        assert!(!text.contains("model.made@corp.example"), "the model's own address is replaced: {text}");
        assert_eq!(input["n"], 3);
        match tier {
            "developer" => {
                assert!(text.starts_with("Noted: Please mail [EMAIL_ADDRESS_"), "{text}");
                assert!(!r.text().contains("planted"), "{}", r.text());
                assert!(input["to"].as_str().is_some_and(|s| s.starts_with("[EMAIL_ADDRESS_")));
            }
            _ => {
                assert!(text.starts_with(&format!("Noted: Please mail {} about ticket 7.", PLANTED[0])), "{text}");
                assert_eq!(input["to"], PLANTED[0]);
                assert_eq!(input["name"], PLANTED[0]);
            }
        }
        assert_eq!(v["id"], "msg_01");
        assert_eq!(v["stop_reason"], "tool_use");
        let dsa = &v["metadata"]["dsa_compliance"];
        assert_eq!(dsa["findings"]["EMAIL_ADDRESS"], 8, "{v}");
        let url = dsa["certificate_url"].as_str().expect("url");
        assert_eq!(r.header("x-lucairn-certificate"), Some(url));
        let path = url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("path");
        let c = gw.request("GET", &path, &[], b"");
        assert_eq!(c.status, 200);
        assert!(!c.text().contains("planted") && !c.text().contains("corp.example"));
        let cert = c.json();
        assert_eq!(cert["output_findings"][0]["location"], json!({"message": 0, "field": "text"}));
        let fields: Vec<&str> = cert["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["location"]["field"].as_str())
            .collect();
        for f in
            ["content/0/text", "content/1/input#/to", "content/0/content/0/text", "/system/0/text", "/metadata/user_id"]
        {
            assert!(fields.contains(&f), "{f} not in {fields:?}");
        }
    }
    // Bearer authentication works too, and the client's anthropic-version is passed on.
    let auth = format!("Bearer {dev}");
    let h = [("Authorization", auth.as_str()), ("anthropic-version", "2024-01-01"), ("X-Upstream-Key", PROVIDER_KEY)];
    let body =
        json!({"model": "m", "max_tokens": 5, "system": "be brief", "messages": [{"role": "user", "content": "hi"}]});
    let r = gw.request("POST", "/v1/messages", &h, body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mock.last().header("anthropic-version"), Some("2024-01-01"));
    assert!(!gw.logs().contains("planted"));
}

#[test]
fn errors_come_in_anthropic_shape_and_nothing_is_forwarded() {
    let dir = TempDir::new("anthropic-err");
    let mock = claude(usize::MAX, StreamEnd::Finish);
    let gw = start(&dir, &mock, &[]);
    let key = create_key(dir.str(), "developer", "acme");
    let check = |r: &Resp, status: u16, kind: &str| {
        assert_eq!(r.status, status, "{}", r.text());
        let v = r.json();
        assert_eq!(v["type"], "error", "{v}");
        assert_eq!(v["error"]["type"], kind, "{v}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(r.header("content-type"), Some("application/json"));
    };
    let good = json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]});
    check(&post(&gw, "lcr_live_nope", &good), 401, "authentication_error");
    let r = gw.request("POST", "/v1/messages", &[], good.to_string().as_bytes());
    check(&r, 401, "authentication_error");
    check(&post(&gw, &key, &json!({"model": "m", "messages": []})), 400, "invalid_request_error");
    let image = json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]}]});
    check(&post(&gw, &key, &image), 400, "invalid_request_error");
    let unknown = json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": [
        {"type": "mystery", "text": PLANTED[0]}]}]});
    check(&post(&gw, &key, &unknown), 400, "invalid_request_error");
    let r = gw.request("POST", "/v1/messages", &[("x-api-key", &key)], good.to_string().as_bytes());
    check(&r, 400, "invalid_request_error");
    check(&gw.request("GET", "/v1/messages", &[], b""), 405, "invalid_request_error");
    check(&gw.request("POST", "/v1/messages", &[("x-api-key", &key)], &[b'{'; 100]), 400, "invalid_request_error");
    assert_eq!(mock.count(), 0, "a refused request was forwarded");

    // The upstream's own errors keep their status and shape; their text is checked.
    mock.set(Arc::new(|_: &Recorded| {
        Reply::json(
            529,
            &json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded; ask ops@corp.example"}}),
        )
    }));
    let r = post(&gw, &key, &good);
    check(&r, 529, "overloaded_error");
    assert!(r.json()["error"]["message"].as_str().is_some_and(|m| m.starts_with("Overloaded; ask [EMAIL_ADDRESS_")));
    assert!(r.header("x-lucairn-certificate").is_some());
}

/// The events of an SSE body: `(event, data)`.
fn events(r: &Resp) -> Vec<(String, Value)> {
    r.text()
        .split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            let name = e.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("").to_string();
            let data: String = e.lines().filter_map(|l| l.strip_prefix("data: ")).collect::<Vec<_>>().join("\n");
            (name, serde_json::from_str(&data).unwrap_or_else(|_| panic!("not JSON: {data}")))
        })
        .collect()
}

/// Text and tool input a client assembles from the deltas.
fn assembled(evs: &[(String, Value)]) -> (String, String) {
    let (mut text, mut input) = (String::new(), String::new());
    for (_, v) in evs.iter().filter(|(n, _)| n == "content_block_delta") {
        if let Some(t) = v["delta"]["text"].as_str() {
            text.push_str(t);
        }
        if let Some(t) = v["delta"]["partial_json"].as_str() {
            input.push_str(t);
        }
    }
    (text, input)
}

#[test]
fn streamed_messages_are_checked_and_carry_the_certificate() {
    for piece in [1, 7, 100_000] {
        let dir = TempDir::new("anthropic-stream");
        let mock = claude(piece, StreamEnd::Finish);
        let gw = start(&dir, &mock, &[]);
        let dev = create_key(dir.str(), "developer", "acme");
        let pro = create_key(dir.str(), "pro", "acme");
        for key in [&dev, &pro] {
            let whole = post(&gw, key, &planted_request(false)).json();
            let r = post(&gw, key, &planted_request(true));
            assert_eq!(r.status, 200, "{}", r.text());
            assert_nothing_planted(&mock.last());
            assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/event-stream")));
            let evs = events(&r);
            let (text, input) = assembled(&evs);
            assert_eq!(text, whole["content"][0]["text"], "pieces of {piece}");
            let input: Value = serde_json::from_str(&input).expect("the streamed input is JSON");
            assert_eq!(input, whole["content"][1]["input"], "pieces of {piece}");
            if key == &dev {
                assert!(!r.text().contains("planted"));
            }
            assert!(!r.text().contains("model.made"));
            let names: Vec<&str> = evs.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names.first(), Some(&"message_start"));
            assert_eq!(&names[names.len() - 2..], ["message_delta", "message_stop"]);
            let md = &evs[evs.len() - 2].1;
            assert_eq!(md["delta"]["stop_reason"], "tool_use");
            let url = md["metadata"]["dsa_compliance"]["certificate_url"].as_str().expect("certificate url");
            assert_eq!(r.header("x-lucairn-certificate"), Some(url));
            // The certificate is stored before the event that names it.
            let path = url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("path");
            let c = gw.request("GET", &path, &[], b"").json();
            assert_eq!(c["counts"]["EMAIL_ADDRESS"], 8);
            assert_eq!(c["output_findings"][0]["location"], json!({"message": 0, "field": "text"}));
        }
    }
}

#[test]
fn streams_broken_off_end_with_an_error_event() {
    let dir = TempDir::new("anthropic-broken");
    let mock = claude(5, StreamEnd::Close);
    let gw = start(&dir, &mock, &[]);
    let key = create_key(dir.str(), "developer", "acme");
    let r = post(&gw, &key, &planted_request(true));
    assert_eq!(r.status, 200);
    let evs = events(&r);
    let (name, last) = evs.last().expect("events");
    assert_eq!(name, "error");
    assert_eq!(last["type"], "error");
    assert_eq!(last["error"]["type"], "api_error");
    assert!(last["metadata"]["dsa_compliance"]["certificate_url"].is_string(), "{last}");
    assert!(!evs.iter().any(|(n, _)| n == "message_stop"));
    assert!(!r.text().contains("planted"));
}

#[test]
fn client_disconnects_cancel_the_upstream_stream() {
    use std::io::{Read, Write};
    use std::sync::atomic::Ordering;
    use std::time::Instant;

    let dir = TempDir::new("anthropic-gone");
    let mock = Mock::start(Arc::new(|_: &Recorded| {
        let mut pieces = vec![sse(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        )];
        for i in 0..400 {
            pieces.push(sse(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": format!("word {i} ").repeat(20)}}),
            ));
        }
        Reply::sse(pieces, Duration::from_millis(20), StreamEnd::Finish)
    }));
    let gw = start(&dir, &mock, &[]);
    let key = create_key(dir.str(), "developer", "acme");
    let body = json!({"model": "m", "max_tokens": 5, "stream": true, "messages": [{"role": "user", "content": "hi"}]})
        .to_string();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    let req = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {key}\r\nX-Upstream-Key: {PROVIDER_KEY}\r\n\
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
    drop(s);
    let t = Instant::now();
    while mock.aborted.load(Ordering::SeqCst) == 0 {
        assert!(t.elapsed() < Duration::from_secs(5), "the upstream request was not cancelled");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_anthropic_upstream_must_be_an_http_url() {
    let dir = TempDir::new("anthropic-cfg");
    for bad in ["ftp://api.example", "https://api.example/?x=1", "not a url"] {
        let o = crate::support::lucairn(
            &["serve", "--data-dir", dir.str(), "--listen", "127.0.0.1:0", "--anthropic-upstream", bad],
            &[],
        );
        assert!(!o.status.success(), "{bad} accepted");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("anthropic_upstream"), "{err}");
    }
}

/// A raw Anthropic upstream whose answers (whole or streamed, as asked) carry the
/// provider's request id and rate-limit headers, and hop-by-hop headers that must stop
/// at the gateway.
fn claude_with_headers() -> RawMock {
    RawMock::start(Arc::new(|mut conn: TcpStream| {
        let Some((_, body)) = read_request(&mut conn) else { return };
        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let seen = first_user_text(&v);
        let (ct, body) = if v["stream"] == true {
            ("text/event-stream", streamed(&seen, "nobody"))
        } else {
            ("application/json", message(&seen, "nobody").to_string().into_bytes())
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nrequest-id: req_011CPanthropic\r\n\
             anthropic-ratelimit-requests-limit: 50\r\nanthropic-ratelimit-requests-remaining: 49\r\n\
             anthropic-ratelimit-tokens-reset: 2026-01-01T00:00:00Z\r\nretry-after: 7\r\n\
             Connection: close, anthropic-ratelimit-hop\r\nanthropic-ratelimit-hop: 1\r\nKeep-Alive: timeout=5\r\n\
             Set-Cookie: s=1\r\n\r\n",
            body.len()
        );
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(&body);
    }))
}

#[test]
fn request_ids_and_rate_limits_of_the_upstream_reach_the_client() {
    let dir = TempDir::new("anthropic-headers");
    let mock = claude_with_headers();
    let key = create_key(dir.str(), "developer", "acme");
    let up = format!("http://127.0.0.1:{}", mock.port);
    let gw = Gateway::start(&dir, &mock.url(), &["--anthropic-upstream", &up]);
    for stream in [false, true] {
        let body = json!({"model": "claude-mock", "max_tokens": 16, "stream": stream,
            "messages": [{"role": "user", "content": "hello"}]});
        let r = post(&gw, &key, &body);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("request-id"), Some("req_011CPanthropic"), "stream: {stream}");
        assert_eq!(r.header("anthropic-ratelimit-requests-limit"), Some("50"));
        assert_eq!(r.header("anthropic-ratelimit-requests-remaining"), Some("49"));
        assert_eq!(r.header("anthropic-ratelimit-tokens-reset"), Some("2026-01-01T00:00:00Z"));
        assert_eq!(r.header("retry-after"), Some("7"));
        // Named by the upstream's Connection header, or not the provider's: not passed on.
        assert_eq!(r.header("anthropic-ratelimit-hop"), None);
        assert_eq!(r.header("set-cookie"), None);
        assert_ne!(r.header("keep-alive"), Some("timeout=5"));
        assert!(r.header("x-lucairn-certificate").is_some());
    }
}

#[test]
fn a_stream_cut_at_shutdown_is_certified_as_cut() {
    let dir = TempDir::new("anthropic-shutdown");
    let release = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hold = release.clone();
    // The stream's start, then nothing until the test is over.
    let mock = RawMock::start(Arc::new(move |mut conn: TcpStream| {
        if read_request(&mut conn).is_none() {
            return;
        }
        let mut first = sse(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_01", "type": "message", "role": "assistant",
                "content": [], "model": "claude-mock", "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 20, "output_tokens": 1}}}),
        );
        first.extend(b"event: ping\ndata: {\"type\": \"ping\"}\n\n");
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(format!("{:x}\r\n", first.len()).as_bytes());
        let _ = conn.write_all(&first);
        let _ = conn.write_all(b"\r\n");
        let _ = conn.flush();
        let start = std::time::Instant::now();
        while !hold.load(std::sync::atomic::Ordering::SeqCst) && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let up = format!("http://127.0.0.1:{}", mock.port);
    let mut gw = Gateway::start(&dir, &mock.url(), &["--anthropic-upstream", &up, "--shutdown-grace", "1"]);
    let body = json!({"model": "claude-mock", "max_tokens": 16, "stream": true,
        "messages": [{"role": "user", "content": "hello"}]})
    .to_string();
    let mut s = TcpStream::connect(("127.0.0.1", gw.port)).expect("connect");
    let request = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-api-key: {key}\r\n\
         X-Upstream-Key: {PROVIDER_KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(13).any(|w| w == b"message_start") {
        let n = std::io::Read::read(&mut s, &mut buf).expect("read");
        assert!(n > 0, "the stream ended early: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&got).to_string();
    let id = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("x-lucairn-certificate")))
        .and_then(|(_, v)| v.trim().rsplit('/').next().map(str::to_string))
        .expect("a certificate header");
    gw.signal("TERM");
    let status = gw.wait_exit(Duration::from_secs(30)).expect("the gateway exits after its grace period");
    assert!(status.success(), "{status:?}");
    release.store(true, std::sync::atomic::Ordering::SeqCst);
    let stored = crate::support::stored_certificates(dir.path(), "acme");
    let cert = stored.iter().find(|(i, _)| *i == id).map(|(_, j)| j.clone()).expect("the stream's certificate");
    let cert: Value = serde_json::from_str(&cert).expect("json");
    assert_eq!(cert["upstream_error"], json!({"status": null, "kind": "shutdown"}));
}
