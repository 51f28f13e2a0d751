use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::support::{
    Gateway, Mock, PROVIDER_KEY, Recorded, Reply, TempDir, closed_port, completion, create_key, lucairn, raw,
};

fn ok_body() -> String {
    json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]}).to_string()
}

fn msgs(messages: serde_json::Value) -> String {
    json!({"model": "gpt-4o", "messages": messages}).to_string()
}

fn with(extra: serde_json::Value) -> String {
    let mut v = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]});
    for (k, x) in extra.as_object().expect("object") {
        v[k] = x.clone();
    }
    v.to_string()
}

#[test]
fn bad_inputs_answer_openai_errors_and_forward_nothing() {
    let dir = TempDir::new("bad");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--max-body-bytes", "4096", "--max-json-depth", "16"]);
    let auth = format!("Bearer {key}");
    let std_headers =
        vec![("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY), ("Content-Type", "application/json")];
    let deep = format!(
        "{{\"model\":\"m\",\"messages\":[{{\"role\":\"user\",\"content\":\"x\"}}],\"x\":{}1{}}}",
        "[".repeat(20),
        "]".repeat(20)
    );
    let big = with(json!({"x_pad": "a".repeat(5000)}));

    // (name, body, expected status, expected code)
    let table: Vec<(&str, String, u16, &str)> = vec![
        ("invalid JSON", "{\"model\": ".into(), 400, "invalid_json"),
        ("trailing garbage", format!("{} x", ok_body()), 400, "invalid_json"),
        ("empty body", String::new(), 400, "invalid_json"),
        ("top level array", "[1, 2]".into(), 400, "invalid_type"),
        (
            "missing model",
            json!({"messages": [{"role": "user", "content": "x"}]}).to_string(),
            400,
            "missing_required_parameter",
        ),
        (
            "empty model",
            json!({"model": "", "messages": [{"role": "user", "content": "x"}]}).to_string(),
            400,
            "invalid_value",
        ),
        (
            "model not a string",
            json!({"model": 4, "messages": [{"role": "user", "content": "x"}]}).to_string(),
            400,
            "invalid_type",
        ),
        ("missing messages", json!({"model": "m"}).to_string(), 400, "missing_required_parameter"),
        ("messages not an array", json!({"model": "m", "messages": "hi"}).to_string(), 400, "invalid_type"),
        ("no messages", msgs(json!([])), 400, "invalid_value"),
        ("message not an object", msgs(json!(["hi"])), 400, "invalid_type"),
        ("missing role", msgs(json!([{"content": "x"}])), 400, "missing_required_parameter"),
        ("unknown role", msgs(json!([{"role": "robot", "content": "x"}])), 400, "invalid_value"),
        ("missing content", msgs(json!([{"role": "user"}])), 400, "missing_required_parameter"),
        ("content a number", msgs(json!([{"role": "user", "content": 3}])), 400, "invalid_type"),
        ("null user content", msgs(json!([{"role": "user", "content": null}])), 400, "invalid_type"),
        (
            "part without type",
            msgs(json!([{"role": "user", "content": [{"text": "x"}]}])),
            400,
            "missing_required_parameter",
        ),
        (
            "text part without text",
            msgs(json!([{"role": "user", "content": [{"type": "text"}]}])),
            400,
            "missing_required_parameter",
        ),
        (
            "text not a string",
            msgs(json!([{"role": "user", "content": [{"type": "text", "text": 1}]}])),
            400,
            "invalid_type",
        ),
        (
            "image part",
            msgs(
                json!([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]),
            ),
            400,
            "unsupported_content",
        ),
        (
            "audio part",
            msgs(
                json!([{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]}]),
            ),
            400,
            "unsupported_content",
        ),
        (
            "file part",
            msgs(json!([{"role": "user", "content": [{"type": "file", "file": {"file_id": "f"}}]}])),
            400,
            "unsupported_content",
        ),
        (
            "unknown part type",
            msgs(json!([{"role": "user", "content": [{"type": "hologram", "data": "x"}]}])),
            400,
            "unsupported_content",
        ),
        (
            "image in a system message",
            msgs(json!([{"role": "system", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}])),
            400,
            "invalid_value",
        ),
        ("tool message without id", msgs(json!([{"role": "tool", "content": "x"}])), 400, "missing_required_parameter"),
        ("assistant without content", msgs(json!([{"role": "assistant"}])), 400, "missing_required_parameter"),
        (
            "tool call without id",
            msgs(
                json!([{"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{}"}}]}]),
            ),
            400,
            "missing_required_parameter",
        ),
        (
            "tool call arguments not a string",
            msgs(
                json!([{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": {}}}]}]),
            ),
            400,
            "invalid_type",
        ),
        (
            "tool call name with an address",
            msgs(
                json!([{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "a@b.example", "arguments": "{}"}}]}]),
            ),
            400,
            "invalid_value",
        ),
        (
            "tool with a bad name",
            with(json!({"tools": [{"type": "function", "function": {"name": "no spaces"}}]})),
            400,
            "invalid_value",
        ),
        ("tool of unknown type", with(json!({"tools": [{"type": "robot"}]})), 400, "invalid_value"),
        ("tools not an array", with(json!({"tools": {}})), 400, "invalid_type"),
        (
            "parameters not an object",
            with(json!({"tools": [{"type": "function", "function": {"name": "f", "parameters": "x"}}]})),
            400,
            "invalid_type",
        ),
        ("bad tool_choice", with(json!({"tool_choice": "sometimes"})), 400, "invalid_value"),
        ("bad response_format", with(json!({"response_format": {"type": "yaml"}})), 400, "invalid_value"),
        (
            "json_schema without name",
            with(json!({"response_format": {"type": "json_schema", "json_schema": {}}})),
            400,
            "missing_required_parameter",
        ),
        ("temperature too high", with(json!({"temperature": 3})), 400, "invalid_value"),
        ("temperature a string", with(json!({"temperature": "hot"})), 400, "invalid_type"),
        ("top_p too high", with(json!({"top_p": 1.5})), 400, "invalid_value"),
        ("n a string", with(json!({"n": "2"})), 400, "invalid_type"),
        ("n zero", with(json!({"n": 0})), 400, "invalid_value"),
        ("n fractional", with(json!({"n": 1.5})), 400, "invalid_type"),
        ("max_tokens negative", with(json!({"max_tokens": -1})), 400, "invalid_value"),
        ("stop a number", with(json!({"stop": 7})), 400, "invalid_type"),
        ("too many stops", with(json!({"stop": ["a", "b", "c", "d", "e"]})), 400, "invalid_value"),
        ("stream not a bool", with(json!({"stream": "yes"})), 400, "invalid_type"),
        ("metadata value not a string", with(json!({"metadata": {"k": 1}})), 400, "invalid_type"),
        ("logprobs", with(json!({"logprobs": true})), 400, "unsupported_content"),
        ("audio answers", with(json!({"modalities": ["text", "audio"]})), 400, "unsupported_content"),
        (
            "duplicate key",
            "{\"model\": \"m\", \"model\": \"n\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}".into(),
            400,
            "duplicate_key",
        ),
        (
            "duplicate content",
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\", \"content\": \"y\"}]}".into(),
            400,
            "duplicate_key",
        ),
        ("too deep", deep, 400, "json_too_deep"),
        ("too large", big, 413, "request_too_large"),
    ];
    for (name, body, status, code) in &table {
        let r = gw.request("POST", "/v1/chat/completions", &std_headers, body.as_bytes());
        assert_eq!(r.status, *status, "{name}: {}", r.text());
        r.assert_error(*status, code);
        assert_eq!(mock.count(), 0, "{name} was forwarded");
    }

    // Not UTF-8.
    let r = gw.request("POST", "/v1/chat/completions", &std_headers, b"{\"model\": \"\xff\"}");
    r.assert_error(400, "invalid_json");

    // Header problems.
    let body = ok_body();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case<'_>> = vec![
        ("no Authorization", vec![("X-Upstream-Key", PROVIDER_KEY)], 401, "missing_api_key"),
        (
            "not a bearer",
            vec![("Authorization", "Basic abc"), ("X-Upstream-Key", PROVIDER_KEY)],
            401,
            "invalid_api_key",
        ),
        (
            "unknown key",
            vec![
                ("Authorization", "Bearer lcr_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ("X-Upstream-Key", PROVIDER_KEY),
            ],
            401,
            "invalid_api_key",
        ),
        (
            "provider key as gateway key",
            vec![("Authorization", "Bearer sk-abc"), ("X-Upstream-Key", PROVIDER_KEY)],
            401,
            "invalid_api_key",
        ),
        ("no upstream key", vec![("Authorization", auth.as_str())], 400, "missing_upstream_key"),
        (
            "blank upstream key",
            vec![("Authorization", auth.as_str()), ("X-Upstream-Key", " ")],
            400,
            "missing_upstream_key",
        ),
        (
            "bad relink header",
            vec![("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY), ("X-Lucairn-Relink", "maybe")],
            400,
            "invalid_header",
        ),
    ];
    for (name, headers, status, code) in &cases {
        let r = gw.request("POST", "/v1/chat/completions", headers, body.as_bytes());
        assert_eq!(r.status, *status, "{name}: {}", r.text());
        r.assert_error(*status, code);
    }
    // A wrong key with the right id prefix is still refused.
    let forged = format!("{}{}", &key[..17], "B".repeat(32));
    let r = gw.chat(&forged, &body);
    r.assert_error(401, "invalid_api_key");

    // A declared length over the limit is refused before the body is sent.
    let req = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nX-Upstream-Key: k\r\nContent-Length: 999999999\r\n\r\n"
    );
    raw(gw.port, req.as_bytes()).assert_error(413, "request_too_large");
    // So is a chunked body that grows past it.
    let chunk = "a".repeat(3000);
    let req = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\nX-Upstream-Key: k\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n{chunk}\r\nbb8\r\n{chunk}\r\n0\r\n\r\n"
    );
    raw(gw.port, req.as_bytes()).assert_error(413, "request_too_large");

    // Routing.
    gw.request("GET", "/v1/chat/completions", &[], b"").assert_error(405, "method_not_allowed");
    let r = gw.request("DELETE", "/healthz", &[], b"");
    r.assert_error(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    gw.request("POST", "/v1/completions", &std_headers, body.as_bytes()).assert_error(404, "unknown_url");
    gw.request("GET", "/", &[], b"").assert_error(404, "unknown_url");
    gw.request("POST", "/v1/chat/completions/extra", &std_headers, body.as_bytes()).assert_error(404, "unknown_url");

    assert_eq!(mock.count(), 0, "a bad request was forwarded");
    // Nothing crashed: the gateway still answers, and a good request goes through.
    assert_eq!(gw.request("GET", "/healthz", &[], b"").status, 200);
    assert_eq!(gw.chat(&key, &body).status, 200);
    assert_eq!(mock.count(), 1);
}

#[test]
fn revoked_keys_are_refused() {
    let dir = TempDir::new("revoke");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "pro", "acme");
    let other = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    assert_eq!(gw.chat(&key, &ok_body()).status, 200);
    let id = &key["lcr_live_".len().."lcr_live_".len() + 8];
    let o = lucairn(&["keys", "revoke", "--data-dir", dir.str(), id], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    gw.chat(&key, &ok_body()).assert_error(401, "api_key_revoked");
    assert_eq!(gw.chat(&other, &ok_body()).status, 200);
    assert_eq!(mock.count(), 2);
}

#[test]
fn upstream_down_is_502() {
    let dir = TempDir::new("down");
    let key = create_key(dir.str(), "developer", "acme");
    let url = format!("http://127.0.0.1:{}/v1", closed_port());
    let gw = Gateway::start(&dir, &url, &["--connect-timeout", "5"]);
    gw.chat(&key, &ok_body()).assert_error(502, "upstream_unreachable");
    let m = gw.request("GET", "/metrics", &[], b"").text();
    assert!(m.contains("lucairn_upstream_errors_total{error=\"unreachable\"} 1"), "{m}");
}

#[test]
fn upstream_slow_is_504() {
    let dir = TempDir::new("slow");
    let mock = Mock::start(Arc::new(|_: &Recorded| Reply {
        delay: Duration::from_secs(4),
        ..Reply::json(200, &completion("late"))
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--upstream-timeout", "1"]);
    gw.chat(&key, &ok_body()).assert_error(504, "upstream_timeout");
    assert_eq!(mock.count(), 1);
}

#[test]
fn upstream_answers_that_cannot_be_checked_are_502() {
    let dir = TempDir::new("invalid");
    let mock = Mock::start(Arc::new(|_: &Recorded| Reply {
        status: 200,
        content_type: "text/html",
        body: b"<html>anna@example.org</html>".to_vec(),
        delay: Duration::ZERO,
        stream: None,
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let r = gw.chat(&key, &ok_body());
    r.assert_error(502, "upstream_invalid_response");
    assert!(!r.text().contains("anna@example.org"));
}

#[test]
fn scan_endpoint_reports_findings() {
    let dir = TempDir::new("scan");
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, "http://127.0.0.1:9/v1", &[]);
    let auth = format!("Bearer {key}");
    let r =
        gw.request("POST", "/v1/scan", &[("Authorization", &auth)], br#"{"texts": ["mail anna@example.org", "none"]}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"results": [{"findings": [{"kind": "EMAIL_ADDRESS", "start": 5, "end": 21, "score": 0.95}]}, {"findings": []}]})
    );
    assert!(!r.text().contains("anna@"));
    gw.request("POST", "/v1/scan", &[], b"{}").assert_error(401, "missing_api_key");
    gw.request("POST", "/v1/scan", &[("Authorization", &auth)], b"{\"texts\": [1]}").assert_error(400, "invalid_json");
    gw.request("POST", "/v1/scan", &[("Authorization", &auth)], b"{}").assert_error(400, "missing_required_parameter");
}

#[test]
fn optional_fields_may_be_null() {
    let dir = TempDir::new("nulls");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "user", "content": "hi", "name": null},
            {"role": "assistant", "content": null, "tool_calls": null, "function_call": {"name": "f", "arguments": "{}"}, "refusal": null}
        ],
        "functions": null, "function_call": null, "tools": null, "tool_choice": null, "response_format": null,
        "stop": null, "n": null, "temperature": null, "top_p": null, "max_tokens": null, "seed": null,
        "stream": null, "stream_options": null, "user": null, "metadata": null, "modalities": null,
        "logprobs": false, "top_logprobs": 0, "prediction": null, "web_search_options": null, "parallel_tool_calls": null
    })
    .to_string();
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mock.last().body, body.as_bytes());
}
