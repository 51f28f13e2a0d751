use std::sync::Arc;

use serde_json::json;

use crate::support::{
    Gateway, Mock, PROVIDER_KEY, Recorded, Reply, TempDir, all_strings, completion, create_key, lucairn, unnumbered,
};

/// A request with a distinct e-mail address planted in every field the provider sees.
/// `{N}` markers are replaced by `p{N}@planted.example`.
const PLANTED: &str = r#"{
  "model": "gpt-4o",
  "messages": [
    {"role": "system", "content": "You help {1}. Escalate to {1} or {2}.", "name": "{3}"},
    {"role": "developer", "content": [{"type": "text", "text": "Internal contact: {4}"}]},
    {"role": "user", "name": "{5}", "content": [
        {"type": "text", "text": "Hi, I am {6}"},
        {"type": "text", "text": "Also write to {1}"}
    ]},
    {"role": "user", "content": "escaped form: p7\u0040planted.example"},
    {"role": "assistant", "content": "I will email {8}.", "refusal": "no {9}",
     "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "send_mail",
        "arguments": "{\"to\": \"{10}\", \"cc\": [\"{11}\", {\"nested\": \"{12}\"}], \"n\": 3, \"seen\": {\"{34}\": true}}"}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "sent to {10}, bounce from {13}"},
    {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "log {14}"}]},
    {"role": "assistant", "content": null,
     "function_call": {"name": "lookup", "arguments": "{\"who\": \"{15}\"}"}},
    {"role": "function", "name": "lookup", "content": "found {16}"},
    {"role": "assistant", "content": [{"type": "text", "text": "ok {17}"}, {"type": "refusal", "refusal": "nope {18}"}],
     "tool_calls": [{"id": "call_3", "type": "function", "function": {"name": "f", "arguments": "not json {19}"}}]}
  ],
  "tools": [{"type": "function", "function": {
      "name": "send_mail",
      "description": "Sends mail, e.g. to {20}",
      "parameters": {"type": "object", "title": "mail to {21}",
        "properties": {
          "to": {"type": "string", "description": "recipient such as {22}", "enum": ["{23}", "other"]},
          "cc": {"type": "array", "items": {"type": "string", "default": "{24}", "examples": ["{25}"]}}
        },
        "required": ["to"]}
  }}],
  "functions": [{"name": "lookup", "description": "find {26}", "parameters": {"type": "object", "properties": {}}}],
  "response_format": {"type": "json_schema", "json_schema": {"name": "reply", "description": "for {27}",
      "schema": {"type": "object", "properties": {"email": {"type": "string", "description": "like {28}"}}}}},
  "prediction": {"type": "content", "content": "draft for {29}"},
  "stop": ["{30}", "END"],
  "user": "{31}",
  "metadata": {"customer": "{32}"},
  "web_search_options": {"user_location": {"type": "approximate", "approximate": {"city": "{33}"}}},
  "temperature": 0.70,
  "x_vendor_field": {"b": 1, "a": [1.50, 2e3, "kept as is"]}
}"#;

fn planted_request() -> (String, Vec<String>) {
    let mut body = PLANTED.to_string();
    let mut values = Vec::new();
    for n in (1..=34).rev() {
        let v = format!("p{n}@planted.example");
        body = body.replace(&format!("{{{n}}}"), &v);
        values.push(v);
    }
    values.push("p7@planted.example".into());
    (body, values)
}

fn assert_clean(r: &Recorded, values: &[String]) {
    let raw = String::from_utf8_lossy(&r.body);
    let mut strings = Vec::new();
    all_strings(&r.json(), &mut strings);
    for v in values {
        assert!(!raw.contains(v.as_str()), "{v} reached the upstream:\n{raw}");
        assert!(!strings.iter().any(|s| s.contains(v.as_str())), "{v} reached the upstream (decoded):\n{raw}");
    }
    // Nothing that looks like the planted domain at all, in any spelling.
    assert!(!strings.iter().any(|s| s.contains("@planted.example")), "{raw}");
}

#[test]
fn no_planted_value_reaches_the_upstream() {
    let dir = TempDir::new("planted");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--log", "debug"]);
    let (body, values) = planted_request();
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mock.count(), 1);
    let up = mock.last();
    assert_eq!(up.method, "POST");
    assert_eq!(up.path, "/v1/chat/completions");
    assert_clean(&up, &values);

    // One value, one placeholder, across every message and field.
    let sent = up.json();
    let system = sent["messages"][0]["content"].as_str().expect("system content");
    let user_part = sent["messages"][2]["content"][1]["text"].as_str().expect("user part");
    let ph = system.split("You help ").nth(1).and_then(|s| s.split('.').next()).expect("placeholder");
    assert!(ph.starts_with("[EMAIL_ADDRESS_"), "{system}");
    assert_eq!(user_part, format!("Also write to {ph}"));
    assert!(system.contains(&format!("Escalate to {ph} or ")));

    // Tool-call arguments stay valid JSON with the same structure.
    let args = sent["messages"][4]["tool_calls"][0]["function"]["arguments"].as_str().expect("arguments");
    let args: serde_json::Value = serde_json::from_str(args).expect("arguments are still JSON");
    assert_eq!(args["n"], 3);
    assert!(args["to"].as_str().is_some_and(|s| s.starts_with("[EMAIL_ADDRESS_")));
    assert!(args["cc"][1]["nested"].as_str().is_some_and(|s| s.starts_with("[EMAIL_ADDRESS_")));
    // Schemas keep their structure; only texts change.
    let to = &sent["tools"][0]["function"]["parameters"]["properties"]["to"];
    assert_eq!(to["type"], "string");
    assert_eq!(to["enum"][1], "other");
    assert_eq!(sent["tools"][0]["function"]["parameters"]["required"], json!(["to"]));

    // Everything that is not a sanitised text is forwarded byte for byte.
    let raw = String::from_utf8_lossy(&up.body);
    assert!(raw.starts_with("{\n  \"model\": \"gpt-4o\",\n  \"messages\": [\n"), "{raw}");
    assert!(
        raw.contains("\"temperature\": 0.70,\n  \"x_vendor_field\": {\"b\": 1, \"a\": [1.50, 2e3, \"kept as is\"]}\n}")
    );

    // The provider key is sent as the upstream Authorization; the gateway key is not.
    assert_eq!(up.header("authorization"), Some(format!("Bearer {PROVIDER_KEY}").as_str()));
    assert!(!up.headers.iter().any(|(_, v)| v.contains(&key)));
    assert!(up.header("x-upstream-key").is_none());

    // Logs (at debug level) hold no value and no key.
    let logs = gw.logs();
    for v in &values {
        assert!(!logs.contains(v.as_str()), "log contains {v}");
    }
    assert!(!logs.contains(&key) && !logs.contains(PROVIDER_KEY), "log contains a key");
}

#[test]
fn requests_without_personal_data_are_forwarded_byte_for_byte() {
    let dir = TempDir::new("bytes");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = "{ \"messages\":[{\"content\":\"Classify: printer \\u00e9 jammed\",\"role\":\"user\"}],\n\t\"model\":\"gpt-4o\", \"n\": 1, \"seed\": -7, \"zz\": {\"y\": null, \"x\": [true, 1e-3]} }";
    let r = gw.chat(&key, body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mock.last().body, body.as_bytes());
}

#[test]
fn developer_tier_gets_placeholders_and_model_pii_redacted() {
    let dir = TempDir::new("dev");
    let mock = Mock::start(Arc::new(|r: &Recorded| {
        let seen = crate::support::seen_text(r);
        let reply = completion(&format!("{seen} / I also know boss@corp.example"));
        Reply::json(200, &reply)
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "mail anna@example.org"}]}).to_string();
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let content = v["choices"][0]["message"]["content"].as_str().expect("content");
    assert_eq!(unnumbered(content), "mail [EMAIL_ADDRESS_#] / I also know [EMAIL_ADDRESS_#]");
    // The model's own value gets a placeholder of its own, not the request's.
    let sent = crate::support::seen_text(&mock.last());
    assert!(content.starts_with(&format!("{sent} / I also know ")), "{content}");
    assert!(!content.ends_with(&format!("know {}", sent.trim_start_matches("mail "))), "{content}");
    assert!(!content.contains("anna@example.org") && !content.contains("boss@corp.example"), "{content}");
    // The rest of the completion is untouched.
    assert_eq!(v["id"], "chatcmpl-test");
    assert_eq!(v["usage"]["total_tokens"], 15);
    assert_eq!(v["choices"][0]["finish_reason"], "stop");

    // A developer key cannot ask for original values.
    let r = gw.chat_with(&key, &body, &[("X-Lucairn-Relink", "on")]);
    r.assert_error(403, "relink_not_allowed");
}

#[test]
fn pro_tier_gets_original_values_back() {
    let dir = TempDir::new("pro");
    let mock = Mock::start(Arc::new(|r: &Recorded| {
        let seen = crate::support::seen_text(r);
        let mut reply = completion(&format!("Reply to {seen}"));
        // The model calls a tool with a placeholder in its arguments.
        let to = seen.split_whitespace().find(|w| w.starts_with("[EMAIL")).unwrap_or("").to_string();
        reply["choices"][0]["message"]["tool_calls"] = json!([{
            "id": "call_9", "type": "function",
            "function": {"name": "send", "arguments": json!({"to": to}).to_string()}
        }]);
        Reply::json(200, &reply)
    }));
    let key = create_key(dir.str(), "pro", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "anna@example.org"}]}).to_string();
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(!String::from_utf8_lossy(&mock.last().body).contains("anna@example.org"));
    let v = r.json();
    assert_eq!(v["choices"][0]["message"]["content"], "Reply to anna@example.org");
    let args = v["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"].as_str().expect("arguments");
    assert_eq!(serde_json::from_str::<serde_json::Value>(args).expect("json"), json!({"to": "anna@example.org"}));

    // Per request, re-linking can be switched off.
    let r = gw.chat_with(&key, &body, &[("X-Lucairn-Relink", "off")]);
    let sent = crate::support::seen_text(&mock.last());
    assert!(unnumbered(&sent) == "[EMAIL_ADDRESS_#]", "{sent}");
    assert_eq!(r.json()["choices"][0]["message"]["content"], format!("Reply to {sent}"));
}

#[test]
fn answers_carry_a_certificate_that_verifies() {
    let dir = TempDir::new("cert");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = json!({"model": "m", "messages": [
        {"role": "system", "content": "a@example.org"},
        {"role": "user", "content": "b@example.org and a@example.org"}
    ]})
    .to_string();
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let dsa = &v["metadata"]["dsa_compliance"];
    assert_eq!(dsa["sanitized"], true);
    assert_eq!(dsa["findings"], json!({"EMAIL_ADDRESS": 3}));
    assert!(dsa["policy_digest"].as_str().is_some_and(|d| d.len() == 64));
    assert!(dsa["engine_version"].is_string());
    let id = dsa["certificate_id"].as_str().expect("id");
    let url = dsa["certificate_url"].as_str().expect("url");
    assert_eq!(url, format!("http://127.0.0.1:{}/v1/certificates/{id}", gw.port));
    assert_eq!(r.header("x-lucairn-certificate"), Some(url));

    let path = format!("/v1/certificates/{id}");
    let c = gw.request("GET", &path, &[], b"");
    assert_eq!(c.status, 200);
    let cert = c.json();
    assert_eq!(cert["id"], id);
    assert_eq!(cert["version"], 1);
    assert_eq!(cert["counts"], json!({"EMAIL_ADDRESS": 3}));
    let records = cert["findings"].as_array().expect("findings");
    let places: Vec<(u64, &str, u64, u64)> = records
        .iter()
        .map(|r| {
            let l = &r["location"];
            (
                l["message"].as_u64().expect("message"),
                l["field"].as_str().expect("field"),
                r["start"].as_u64().expect("start"),
                r["end"].as_u64().expect("end"),
            )
        })
        .collect();
    assert_eq!(places, [(0, "content", 0, 13), (1, "content", 0, 13), (1, "content", 18, 31)]);
    // One value, one placeholder and one digest, wherever it appears.
    assert_eq!(records[0]["placeholder"], records[2]["placeholder"]);
    assert_eq!(records[0]["value_digest"], records[2]["value_digest"]);
    assert_ne!(records[0]["value_digest"], records[1]["value_digest"]);
    assert_eq!(cert["output_findings"], json!([]));
    assert_eq!(cert["issuer"], format!("http://127.0.0.1:{}", gw.port));
    assert!(cert["response_digest"].as_str().is_some_and(|d| d.len() == 64));
    assert_eq!(cert["request_digest"], blake3::hash(&mock.last().body).to_hex().to_string());
    assert!(!c.text().contains("example.org"), "the certificate holds a raw value");

    // Offline verification with the published key, and by URL.
    let file = dir.path().join("cert.json");
    std::fs::write(&file, &c.body).expect("write");
    let base = format!("http://127.0.0.1:{}", gw.port);
    let o = lucairn(&["verify", file.to_str().expect("path"), "--url", &base], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with(&format!("OK: certificate {id} verifies")));
    let o = lucairn(&["verify", url, "--data-dir", dir.str()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A changed certificate does not verify.
    let tampered = c.text().replace("\"start\":18", "\"start\":17");
    assert_ne!(tampered, c.text());
    std::fs::write(&file, tampered).expect("write");
    let o = lucairn(&["verify", file.to_str().expect("path"), "--url", &base], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad signature"));

    // The next certificate chains to this one.
    let r2 = gw.chat(&key, &body);
    let id2 = r2.json()["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("id").to_string();
    let c2 = gw.request("GET", &format!("/v1/certificates/{id2}"), &[], b"").json();
    assert_eq!(c2["previous"], blake3::hash(&c.body).to_hex().to_string());
    // `lucairn verify` checks several certificates as a chain, oldest first.
    let (f1, f2) = (dir.path().join("c1.json"), dir.path().join("c2.json"));
    std::fs::write(&f1, &c.body).expect("write");
    std::fs::write(&f2, c2.to_string()).expect("write");
    let (f1, f2) = (f1.to_str().expect("path"), f2.to_str().expect("path"));
    let o = lucairn(&["verify", f1, f2, "--url", &base], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("form an unbroken chain"));
    let o = lucairn(&["verify", f2, f1, "--url", &base], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("chain broken"), "{}", String::from_utf8_lossy(&o.stderr));

    // Keys, HTML view, unknown id.
    let keys = gw.request("GET", "/v1/certificates/keys", &[], b"").json();
    assert_eq!(keys["keys"][0]["algorithm"], "ed25519");
    assert_eq!(keys["keys"][0]["key_id"], cert["key_id"]);
    let html = gw.request("GET", &path, &[("Accept", "text/html,application/xhtml+xml")], b"");
    assert_eq!(html.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(html.text().contains("signature verifies") && html.text().contains("EMAIL_ADDRESS"));
    gw.request("GET", "/v1/certificates/cert_0000", &[], b"").assert_error(404, "certificate_not_found");
}

#[test]
fn upstream_metadata_cannot_spoof_the_certificate() {
    let dir = TempDir::new("spoof");
    let mock = Mock::start(Arc::new(|_: &Recorded| {
        let mut c = completion("hello");
        c["metadata"] = json!({"dsa_compliance": {"certificate_id": "fake"}, "other": "x"});
        Reply::json(200, &c)
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let r = gw.chat(&key, &json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string());
    let v = r.json();
    let id = v["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("id");
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{v}");
    assert_eq!(v["metadata"]["other"], "x");
}

#[test]
fn pretty_printed_answers_keep_their_layout() {
    let dir = TempDir::new("pretty");
    let mock = Mock::start(Arc::new(|_: &Recorded| {
        let body =
            format!("\n  {}\n", serde_json::to_string_pretty(&completion("write to x@corp.example")).expect("json"));
        Reply { body: body.into_bytes(), ..Reply::json(200, &json!({})) }
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let r = gw.chat(&key, &json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let text = r.text();
    assert!(text.starts_with("\n  {\n  \"choices\": [\n    {\n"), "{text}");
    assert!(text.ends_with("}\n"), "{text}");
    let v = r.json();
    assert_eq!(
        unnumbered(v["choices"][0]["message"]["content"].as_str().expect("content")),
        "write to [EMAIL_ADDRESS_#]"
    );
    assert!(v["metadata"]["dsa_compliance"]["certificate_id"].is_string());
}

#[test]
fn upstream_errors_keep_their_status_and_are_scanned() {
    let dir = TempDir::new("uperr");
    let mock = Mock::start(Arc::new(|_: &Recorded| {
        Reply::json(
            400,
            &json!({"error": {"message": "bad input near leak@corp.example", "type": "invalid_request_error",
                              "param": null, "code": "bad"}}),
        )
    }));
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string();
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(unnumbered(v["error"]["message"].as_str().expect("message")), "bad input near [EMAIL_ADDRESS_#]");
    assert_eq!(v["error"]["code"], "bad");
    assert!(r.header("x-lucairn-certificate").is_some());

    mock.set(Arc::new(|_: &Recorded| Reply {
        status: 503,
        content_type: "text/plain",
        body: b"overloaded, ask ops@corp.example".to_vec(),
        delay: std::time::Duration::ZERO,
        stream: None,
    }));
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 503);
    assert_eq!(unnumbered(&r.text()), "overloaded, ask [EMAIL_ADDRESS_#]");
    assert_eq!(r.header("content-type"), Some("text/plain"));
}

#[test]
fn media_parts_pass_only_when_the_policy_allows() {
    let dir = TempDir::new("media");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let body = json!({"model": "m", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "what is this? a@example.org"},
        {"type": "image_url", "image_url": {"url": "https://img.example/x.png"}}
    ]}]})
    .to_string();
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    gw.chat(&key, &body).assert_error(400, "unsupported_content");
    assert_eq!(mock.count(), 0);
    drop(gw);
    let gw = Gateway::start(&dir, &mock.url(), &["--allow-media"]);
    let r = gw.chat(&key, &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let sent = String::from_utf8_lossy(&mock.last().body).into_owned();
    assert!(sent.contains("https://img.example/x.png") && !sent.contains("a@example.org"));
}

#[test]
fn concurrent_requests_form_one_unbroken_chain() {
    let dir = TempDir::new("chain");
    let mock = Mock::echo();
    let key = create_key(dir.str(), "developer", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let port = gw.port;
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let key = key.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|i| {
                        let body = json!({"model": "m", "messages": [
                            {"role": "user", "content": format!("from t{t}.{i}@example.org")}
                        ]})
                        .to_string();
                        let auth = format!("Bearer {key}");
                        let h = [("Authorization", auth.as_str()), ("X-Upstream-Key", PROVIDER_KEY)];
                        let r = crate::support::http(port, "POST", "/v1/chat/completions", &h, body.as_bytes());
                        assert_eq!(r.status, 200, "{}", r.text());
                        r.json()["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("id").to_string()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<String> = threads.into_iter().flat_map(|t| t.join().expect("thread")).collect();
    assert_eq!(ids.len(), 40);
    // Every certificate links to exactly one other, and exactly one starts the chain.
    let mut digests = std::collections::HashSet::new();
    let mut previous = Vec::new();
    for id in &ids {
        let c = gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"");
        assert_eq!(c.status, 200);
        digests.insert(blake3::hash(&c.body).to_hex().to_string());
        previous.push(c.json()["previous"].as_str().map(str::to_string));
    }
    assert_eq!(previous.iter().filter(|p| p.is_none()).count(), 1, "one chain start");
    let linked: std::collections::HashSet<String> = previous.into_iter().flatten().collect();
    assert_eq!(linked.len(), 39, "no two certificates share a predecessor");
    assert!(linked.is_subset(&digests), "every link points at a stored certificate");
}

#[test]
fn placeholders_are_stable_per_tenant_and_differ_between_tenants() {
    let dir = TempDir::new("tenants");
    let mock = Mock::echo();
    let acme = create_key(dir.str(), "developer", "acme");
    let acme2 = create_key(dir.str(), "pro", "acme");
    let globex = create_key(dir.str(), "developer", "globex");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let seen = |key: &str, text: &str| {
        let body = json!({"model": "m", "messages": [{"role": "user", "content": text}]}).to_string();
        let r = gw.chat_with(key, &body, &[("X-Lucairn-Relink", "off")]);
        assert_eq!(r.status, 200, "{}", r.text());
        crate::support::seen_text(&mock.last())
    };
    let first = seen(&acme, "ana@example.org");
    assert_eq!(unnumbered(&first), "[EMAIL_ADDRESS_#]");
    // Later requests of the tenant, with any of its keys, in any spelling, get the same one,
    // so multi-turn conversations and prompt caches stay consistent.
    assert_eq!(
        seen(&acme, "bo@example.net then Ana@Example.org"),
        format!("{} then {first}", seen(&acme, "bo@example.net"))
    );
    assert_eq!(seen(&acme2, "ana@example.org"), first);
    assert_ne!(seen(&globex, "ana@example.org"), first);
}

/// The string a certificate record points at in `request`.
fn text_at(request: &serde_json::Value, message: u64, field: &str) -> Option<String> {
    let (outer, inner) = match field.split_once('#') {
        Some((o, i)) => (o, Some(i)),
        None => (field, None),
    };
    let pointer = if outer.starts_with('/') { outer.to_string() } else { format!("/messages/{message}/{outer}") };
    let s = request.pointer(&pointer)?.as_str()?;
    match inner {
        None => Some(s.to_string()),
        Some(ip) => {
            let v: serde_json::Value = serde_json::from_str(s).ok()?;
            Some(v.pointer(ip)?.as_str()?.to_string())
        }
    }
}

#[test]
fn certificates_hold_no_personal_data() {
    for tier in ["developer", "pro"] {
        let dir = TempDir::new("certpii");
        // The model echoes what it saw and adds a value of its own.
        let mock = Mock::start(Arc::new(|r: &Recorded| {
            let seen = crate::support::seen_text(r);
            Reply::json(200, &completion(&format!("{seen}\nAlso cc p99@planted.example")))
        }));
        let key = create_key(dir.str(), tier, "acme");
        let gw = Gateway::start(&dir, &mock.url(), &[]);
        let (body, mut values) = planted_request();
        values.push("p99@planted.example".into());
        let r = gw.chat(&key, &body);
        assert_eq!(r.status, 200, "{}", r.text());
        if tier == "pro" {
            // The caller gets its own values back, so the answer holds them ...
            assert!(r.text().contains("p1@planted.example"), "{}", r.text());
        }
        // ... but the certificate, in JSON and as a page, holds none.
        let url = r.json()["metadata"]["dsa_compliance"]["certificate_url"].as_str().expect("url").to_string();
        let path = url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).expect("path");
        let c = gw.request("GET", &path, &[], b"");
        let html = gw.request("GET", &path, &[("Accept", "text/html")], b"").text();
        for text in [c.text(), html] {
            assert!(!text.contains("planted"), "{tier}: the certificate holds a value:\n{text}");
            for v in &values {
                assert!(!text.contains(v.as_str()), "{tier}: {v}");
            }
        }

        // Every record points at a planted value in the original request, by position, and
        // its keyed digest is the tenant's digest of exactly that value.
        let master: [u8; 32] = std::fs::read(dir.path().join("master.key")).expect("master").try_into().expect("32");
        let tenant_secret =
            blake3::keyed_hash(&blake3::derive_key("lucairn gateway tenant secret v1", &master), b"acme");
        let digest_key = blake3::derive_key("lucairn 2025 value digest v1", tenant_secret.as_bytes());
        let request: serde_json::Value = serde_json::from_str(&body).expect("json");
        let cert = c.json();
        let records = cert["findings"].as_array().expect("findings");
        assert!(records.len() >= 34, "{}", records.len());
        let mut covered = std::collections::HashSet::new();
        for rec in records {
            let (m, field) =
                (rec["location"]["message"].as_u64().expect("m"), rec["location"]["field"].as_str().expect("f"));
            let (s, e) = (rec["start"].as_u64().expect("s") as usize, rec["end"].as_u64().expect("e") as usize);
            let value = match text_at(&request, m, field) {
                Some(text) => text[s..e].to_string(),
                // A key: its path names the kind instead of the value.
                None => {
                    assert!(field.ends_with("/[EMAIL_ADDRESS]"), "{field}");
                    "p34@planted.example".to_string()
                }
            };
            // Other detectors may find more (the engine reads the "I" of "I am" as a name).
            assert!(values.contains(&value) || rec["kind"] != "EMAIL_ADDRESS", "{m} {field} {s}..{e}: {value:?}");
            let want = blake3::keyed_hash(&digest_key, value.as_bytes()).to_hex().to_string();
            assert_eq!(rec["value_digest"], want, "{value}");
            covered.insert(value);
        }
        assert!(
            values.iter().all(|v| v == "p99@planted.example" || covered.contains(v)),
            "every planted value is recorded"
        );
        // The value the model produced is recorded in the answer's records.
        let out = cert["output_findings"].as_array().expect("output findings");
        let own = blake3::keyed_hash(&digest_key, b"p99@planted.example").to_hex().to_string();
        assert!(out.iter().any(|r| r["value_digest"] == own), "{out:?}");
        let emails = records.iter().filter(|r| r["kind"] == "EMAIL_ADDRESS").count();
        assert_eq!(cert["counts"]["EMAIL_ADDRESS"].as_u64(), Some(emails as u64));
    }
}

#[test]
fn each_tenant_has_its_own_chain() {
    let dir = TempDir::new("chains");
    let mock = Mock::echo();
    let (a, b) = (create_key(dir.str(), "developer", "acme"), create_key(dir.str(), "developer", "globex"));
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}).to_string();
    let cert = |key: &str| {
        let r = gw.chat(key, &body);
        let id = r.json()["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("id").to_string();
        gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"")
    };
    let a1 = cert(&a);
    let b1 = cert(&b);
    let a2 = cert(&a);
    assert_eq!(a1.json()["previous"], json!(null));
    assert_eq!(b1.json()["previous"], json!(null), "globex's chain does not run through acme's");
    assert_eq!(a2.json()["previous"], blake3::hash(&a1.body).to_hex().to_string());
    // The chain continues after a restart.
    drop(gw);
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let r = gw.chat(&b, &body);
    let id = r.json()["metadata"]["dsa_compliance"]["certificate_id"].as_str().expect("id").to_string();
    let b2 = gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"").json();
    assert_eq!(b2["previous"], blake3::hash(&b1.body).to_hex().to_string());
}
