use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Gateway, Mock, PROVIDER_KEY, Recorded, Reply, Resp, StreamEnd, TempDir, closed_port, create_key};

const PLANTED: &str = "anna.schmidt@planted.example";

/// The certificate a response names in its header, verified by `lucairn verify`.
fn certificate(gw: &Gateway, r: &Resp) -> Value {
    let url = r.header("x-lucairn-certificate").unwrap_or_else(|| panic!("no certificate header: {}", r.text()));
    let path = url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("path");
    let c = gw.request("GET", &path, &[], b"");
    assert_eq!(c.status, 200);
    assert!(!c.text().contains("planted"), "{}", c.text());
    let o = crate::support::lucairn(&["verify", url, "--url", &format!("http://127.0.0.1:{}", gw.port)], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    c.json()
}

fn chat_body(stream: bool) -> String {
    json!({"model": "m", "stream": stream, "messages": [{"role": "user", "content": format!("Mail {PLANTED}")}]})
        .to_string()
}

fn sse_chunk(content: &str) -> Vec<u8> {
    let c = json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]});
    format!("data: {c}\n\n").into_bytes()
}

#[test]
fn chat_certificates_record_upstream_failures() {
    let dir = TempDir::new("uperr-chat");
    let mock = Mock::start(Arc::new(|r: &Recorded| {
        if r.json()["stream"] == true {
            // Two chunks, then the connection drops.
            return Reply::sse(vec![sse_chunk("Hello"), sse_chunk(" there")], Duration::ZERO, StreamEnd::Close);
        }
        Reply::json(503, &json!({"error": {"message": "busy", "type": "server_error", "param": null, "code": null}}))
    }));
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let key = create_key(dir.str(), "developer", "acme");

    // An error status: kept, and recorded with its status.
    let r = gw.chat(&key, &chat_body(false));
    assert_eq!(r.status, 503);
    let c = certificate(&gw, &r);
    assert_eq!(c["upstream_error"], json!({"status": 503, "kind": "http_status"}));
    assert_eq!(c["counts"]["EMAIL_ADDRESS"], 1);

    // A stream that breaks off: the error event, and the certificate says so.
    let r = gw.chat(&key, &chat_body(true));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("upstream_stream_error"), "{}", r.text());
    let c = certificate(&gw, &r);
    assert_eq!(c["upstream_error"], json!({"status": null, "kind": "stream_broken"}));

    // An error object in the stream (OpenAI's way of failing mid-stream).
    mock.set(Arc::new(|_: &Recorded| {
        let err =
            b"data: {\"error\": {\"message\": \"overloaded, ask ops@corp.example\", \"type\": \"server_error\"}}\n\n";
        Reply::sse(vec![sse_chunk("Hello"), err.to_vec()], Duration::ZERO, StreamEnd::Finish)
    }));
    let r = gw.chat(&key, &chat_body(true));
    assert!(r.text().contains("overloaded, ask [EMAIL_ADDRESS_"), "{}", r.text());
    assert_eq!(certificate(&gw, &r)["upstream_error"], json!({"status": null, "kind": "stream_error_event"}));

    // A 2xx answer that cannot be checked is not passed on; the certificate says why.
    mock.set(Arc::new(|_: &Recorded| Reply {
        content_type: "text/html",
        body: b"<html>boss@corp.example</html>".to_vec(),
        ..Reply::json(200, &json!({}))
    }));
    let r = gw.chat(&key, &chat_body(false));
    r.assert_error(502, "upstream_invalid_response");
    assert!(!r.text().contains("boss"));
    let c = certificate(&gw, &r);
    assert_eq!(c["upstream_error"], json!({"status": null, "kind": "invalid_response"}));
    assert!(c["response_digest"].is_string());

    // A success records nothing.
    mock.set(Arc::new(|_: &Recorded| Reply::json(200, &crate::support::completion("fine"))));
    let r = gw.chat(&key, &chat_body(false));
    assert_eq!(r.status, 200);
    assert!(certificate(&gw, &r).get("upstream_error").is_none());
}

#[test]
fn unanswered_calls_are_certified_too() {
    let dir = TempDir::new("uperr-down");
    let key = create_key(dir.str(), "developer", "acme");
    let url = format!("http://127.0.0.1:{}", closed_port());
    let gw = Gateway::start(&dir, &format!("{url}/v1"), &["--anthropic-upstream", &url, "--connect-timeout", "5"]);
    let r = gw.chat(&key, &chat_body(false));
    r.assert_error(502, "upstream_unreachable");
    let c = certificate(&gw, &r);
    assert_eq!(c["upstream_error"], json!({"status": null, "kind": "unreachable"}));
    assert_eq!(c["counts"]["EMAIL_ADDRESS"], 1, "what would have been sent is recorded");
    assert_eq!(c["response_digest"], Value::Null);

    let body = json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": PLANTED}]});
    let h = [("x-api-key", key.as_str()), ("X-Upstream-Key", PROVIDER_KEY)];
    let r = gw.request("POST", "/v1/messages", &h, body.to_string().as_bytes());
    assert_eq!(r.status, 502);
    assert_eq!(r.json()["error"]["type"], "api_error");
    assert_eq!(certificate(&gw, &r)["upstream_error"], json!({"status": null, "kind": "unreachable"}));

    let auth = format!("Bearer {key}");
    let h = [("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY)];
    let r = gw.request("POST", "/v1/embeddings", &h, json!({"model": "e", "input": PLANTED}).to_string().as_bytes());
    r.assert_error(502, "upstream_unreachable");
    assert_eq!(certificate(&gw, &r)["upstream_error"], json!({"status": null, "kind": "unreachable"}));
}

#[test]
fn messages_and_embeddings_record_upstream_failures() {
    let dir = TempDir::new("uperr-msg");
    let mock = Mock::start(Arc::new(|r: &Recorded| {
        let v = r.json();
        if r.path == "/v1/embeddings" {
            return Reply::json(
                429,
                &json!({"error": {"message": "slow down", "type": "rate_limit", "param": null, "code": null}}),
            );
        }
        if v["stream"] == true {
            let ev = |ty: &str, d: Value| format!("event: {ty}\ndata: {d}\n\n").into_bytes();
            let start = ev(
                "content_block_start",
                json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
            );
            let delta = ev(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}),
            );
            let err =
                ev("error", json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}));
            let pieces = if v["max_tokens"] == 7 { vec![start, delta] } else { vec![start, delta, err] };
            let end = if v["max_tokens"] == 7 { StreamEnd::Close } else { StreamEnd::Finish };
            return Reply::sse(pieces, Duration::ZERO, end);
        }
        Reply::json(529, &json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}))
    }));
    let up = format!("http://127.0.0.1:{}", mock.port);
    let gw = Gateway::start(&dir, &mock.url(), &["--anthropic-upstream", &up]);
    let key = create_key(dir.str(), "pro", "acme");
    let post = |max_tokens: u32, stream: bool| {
        let body = json!({"model": "m", "max_tokens": max_tokens, "stream": stream,
            "messages": [{"role": "user", "content": format!("Mail {PLANTED}")}]});
        let h = [("x-api-key", key.as_str()), ("X-Upstream-Key", PROVIDER_KEY)];
        gw.request("POST", "/v1/messages", &h, body.to_string().as_bytes())
    };
    let r = post(5, false);
    assert_eq!(r.status, 529);
    assert_eq!(certificate(&gw, &r)["upstream_error"], json!({"status": 529, "kind": "http_status"}));
    // The upstream's own error event, passed on with the certificate.
    let r = post(5, true);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("overloaded_error"), "{}", r.text());
    assert_eq!(certificate(&gw, &r)["upstream_error"], json!({"status": null, "kind": "stream_error_event"}));
    // A stream that breaks off.
    let r = post(7, true);
    assert!(r.text().contains("event: error"), "{}", r.text());
    let kind = certificate(&gw, &r)["upstream_error"]["kind"].clone();
    assert!(kind == "stream_broken" || kind == "stream_ended_early", "{kind}");

    let auth = format!("Bearer {key}");
    let h = [("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY)];
    let r = gw.request("POST", "/v1/embeddings", &h, json!({"model": "e", "input": PLANTED}).to_string().as_bytes());
    assert_eq!(r.status, 429);
    assert_eq!(certificate(&gw, &r)["upstream_error"], json!({"status": 429, "kind": "http_status"}));
}
