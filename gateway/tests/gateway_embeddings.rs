use std::sync::Arc;

use serde_json::{Value, json};

use crate::support::{Gateway, Mock, PROVIDER_KEY, Recorded, Reply, Resp, TempDir, create_key};

#[test]
fn other_v1_paths_are_refused_and_name_the_endpoints() {
    let dir = TempDir::new("unknown");
    let mock = Mock::echo();
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let key = create_key(dir.str(), "pro", "acme");
    let auth = format!("Bearer {key}");
    let h = [("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY), ("Content-Type", "application/json")];
    let body =
        json!({"model": "m", "prompt": "Mail anna@planted.example", "input": "anna@planted.example"}).to_string();
    let paths = [
        "/v1/completions",
        "/v1/responses",
        "/v1/audio/transcriptions",
        "/v1/images/generations",
        "/v1/files",
        "/v1/moderations",
        "/v1/models",
        "/v1/chat/completions/extra",
        "/v1/messages/count_tokens",
        "/v1/",
        "/v1",
        "/v2/chat/completions",
    ];
    for path in paths {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let r = gw.request(method, path, &h, body.as_bytes());
            r.assert_error(404, "unknown_url");
            let msg = r.json()["error"]["message"].as_str().expect("message").to_string();
            assert!(msg.contains(path), "{msg}");
            for endpoint in ["POST /v1/chat/completions", "GET /v1/certificates/{id}"] {
                assert!(msg.contains(endpoint), "{method} {path}: {msg}");
            }
            assert!(!msg.contains("anna"), "{msg}");
        }
    }
    assert_eq!(mock.count(), 0, "an unknown path was proxied");
}

/// A mock embeddings endpoint: one vector per input (base64 when asked), and an error
/// quoting a value the model side made up when the input says "fail".
fn embedder() -> Mock {
    Mock::start(Arc::new(|r: &Recorded| {
        let v = r.json();
        let inputs: Vec<Value> = match &v["input"] {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        if inputs.iter().any(|i| i.as_str().is_some_and(|s| s.contains("fail"))) {
            return Reply::json(
                400,
                &json!({"error": {"message": "bad input, ask made.up@corp.example", "type": "invalid_request_error",
                    "param": "input", "code": null}}),
            );
        }
        let base64 = v["encoding_format"] == "base64";
        let data: Vec<Value> = (0..inputs.len())
            .map(|i| {
                let emb = if base64 { json!("AACAPwAAAEAAAEBA") } else { json!([0.5, -0.25, i as f64]) };
                json!({"object": "embedding", "index": i, "embedding": emb})
            })
            .collect();
        Reply::json(
            200,
            &json!({"object": "list", "data": data, "model": "text-embedding-3-small",
                "usage": {"prompt_tokens": 8, "total_tokens": 8}}),
        )
    }))
}

fn embed(gw: &Gateway, key: &str, body: &Value) -> Resp {
    let auth = format!("Bearer {key}");
    let h = [("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY), ("Content-Type", "application/json")];
    gw.request("POST", "/v1/embeddings", &h, body.to_string().as_bytes())
}

const PLANTED: [&str; 3] = ["anna.schmidt@planted.example", "ben@planted.example", "carla@planted.example"];

#[test]
fn inputs_are_sanitised_and_certified() {
    let dir = TempDir::new("embed");
    let mock = embedder();
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let key = create_key(dir.str(), "pro", "acme");

    // A string, then an array of strings, with `user` and an unknown field.
    let one = json!({"model": "text-embedding-3-small", "input": format!("Ticket from {}", PLANTED[0])});
    let r = embed(&gw, &key, &one);
    assert_eq!(r.status, 200, "{}", r.text());
    let sent = mock.last();
    assert_eq!(sent.path, "/v1/embeddings");
    assert_eq!(sent.header("authorization"), Some(format!("Bearer {PROVIDER_KEY}").as_str()));
    let input = sent.json()["input"].as_str().expect("string input").to_string();
    assert!(input.starts_with("Ticket from [EMAIL_ADDRESS_") && !input.contains("planted"), "{input}");

    let many = json!({"model": "text-embedding-3-small",
        "input": [format!("Mail {}", PLANTED[0]), "nothing personal", format!("cc {} and {}", PLANTED[1], PLANTED[0])],
        "user": PLANTED[2], "dimensions": 3, "x_future_field": {"keep": true}});
    let r = embed(&gw, &key, &many);
    assert_eq!(r.status, 200, "{}", r.text());
    let raw = String::from_utf8(mock.last().body).expect("utf-8");
    for p in PLANTED {
        assert!(!raw.contains(p), "{p} reached the upstream: {raw}");
    }
    let got = mock.last().json();
    let inputs: Vec<String> = got["input"].as_array().expect("array").iter().map(|s| s.to_string()).collect();
    assert_eq!(inputs[1], "\"nothing personal\"");
    // One value, one placeholder: the vectors of the two texts describe the same placeholder.
    let first = inputs[0].trim_matches('"').strip_prefix("Mail ").expect("prefix").to_string();
    assert!(inputs[2].ends_with(&format!("and {first}\"")), "{inputs:?}");
    assert_eq!(got["x_future_field"], json!({"keep": true}));
    assert_eq!(got["dimensions"], 3);

    // The answer: vectors untouched, the certificate in metadata and in the header.
    let v = r.json();
    assert_eq!(v["data"][2]["embedding"], json!([0.5, -0.25, 2.0]));
    let dsa = &v["metadata"]["dsa_compliance"];
    assert_eq!(dsa["findings"]["EMAIL_ADDRESS"], 4, "{v}");
    let url = dsa["certificate_url"].as_str().expect("url");
    assert_eq!(r.header("x-lucairn-certificate"), Some(url));
    let path = url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("path");
    let cert = gw.request("GET", &path, &[], b"");
    assert_eq!(cert.status, 200);
    let c = cert.json();
    assert_eq!(c["counts"]["EMAIL_ADDRESS"], 4);
    assert!(!cert.text().contains("planted"));
    let fields: Vec<&str> =
        c["findings"].as_array().expect("findings").iter().filter_map(|f| f["location"]["field"].as_str()).collect();
    assert_eq!(fields, ["/input/0", "/input/2", "/input/2", "/user"]);

    // Base64 vectors are not text: they come back byte for byte.
    let b64 = json!({"model": "e", "input": ["a", "b"], "encoding_format": "base64"});
    let r = embed(&gw, &key, &b64);
    assert_eq!(r.json()["data"][1]["embedding"], "AACAPwAAAEAAAEBA");
}

#[test]
fn token_ids_and_bad_inputs_are_refused_and_errors_are_checked() {
    let dir = TempDir::new("embed-bad");
    let mock = embedder();
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let key = create_key(dir.str(), "developer", "acme");
    for bad in [json!({"model": "e", "input": [15339, 1917]}), json!({"model": "e", "input": [[15339], [1917]]})] {
        embed(&gw, &key, &bad).assert_error(400, "unsupported_content");
    }
    embed(&gw, &key, &json!({"model": "e", "input": []})).assert_error(400, "invalid_value");
    embed(&gw, &key, &json!({"model": "e", "input": {"text": PLANTED[0]}})).assert_error(400, "invalid_type");
    embed(&gw, &key, &json!({"input": "x"})).assert_error(400, "missing_required_parameter");
    let r = gw.request(
        "POST",
        "/v1/embeddings",
        &[("Authorization", &format!("Bearer {key}"))],
        b"{\"model\":\"e\",\"input\":\"x\"}",
    );
    r.assert_error(400, "missing_upstream_key");
    gw.request("GET", "/v1/embeddings", &[], b"").assert_error(405, "method_not_allowed");
    assert_eq!(mock.count(), 0, "a refused request was forwarded");

    // An upstream error keeps its status; its text is checked like any answer.
    let r = embed(&gw, &key, &json!({"model": "e", "input": format!("fail for {}", PLANTED[0])}));
    assert_eq!(r.status, 400);
    let msg = r.json()["error"]["message"].as_str().expect("message").to_string();
    assert!(msg.starts_with("bad input, ask [EMAIL_ADDRESS_") && !msg.contains("corp.example"), "{msg}");
    assert!(r.header("x-lucairn-certificate").is_some());
    assert!(!gw.logs().contains("planted"));
}
