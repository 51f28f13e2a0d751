use serde_json::json;

use crate::support::{Gateway, Mock, Resp, TempDir, create_key, lucairn, unnumbered};

fn post(gw: &Gateway, key: &str, path: &str, body: &str) -> Resp {
    let auth = format!("Bearer {key}");
    gw.request("POST", path, &[("Authorization", auth.as_str()), ("Content-Type", "application/json")], body.as_bytes())
}

/// A document as a client would send it: its own layout, values in selected and
/// unselected fields, data in keys.
const DOCUMENT: &str = r#"{
    "ticket": {"id": 7, "body": "Mail ana@example.org or call her", "score": 0.50},
    "contacts": {"bo@example.net": {"name": "cc cy@example.com", "vip": true}, "list": ["ana@example.org", 3]},
    "notes": ["first note by dee@example.org", "second"],
    "audit": "kept as sent: eve@example.org"
}"#;

#[test]
fn sanitize_chosen_fields_and_relink_them_with_the_token() {
    let dir = TempDir::new("sanitize");
    let mock = Mock::echo();
    let dev = create_key(dir.str(), "developer", "acme");
    let pro = create_key(dir.str(), "pro", "acme");
    let other = create_key(dir.str(), "pro", "globex");
    let gw = Gateway::start(&dir, &mock.url(), &[]);
    let fields = json!(["/ticket/body", "/contacts", "/notes/0", "/contacts/list/0"]);
    let body = format!("{{\"document\": {DOCUMENT}, \"fields\": {fields}}}");
    let r = post(&gw, &dev, "/v1/sanitize", &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mock.count(), 0, "no model call");
    let v = r.json();
    let doc = &v["document"];
    assert_eq!(unnumbered(doc["ticket"]["body"].as_str().expect("body")), "Mail [EMAIL_ADDRESS_#] or call her");
    assert_eq!(doc["ticket"]["id"], 7);
    // Everything under a selected object, keys included; one value, one placeholder.
    let contacts = doc["contacts"].as_object().expect("contacts");
    let ana = doc["contacts"]["list"][0].as_str().expect("ana");
    assert!(doc["ticket"]["body"].as_str().is_some_and(|b| b.contains(ana)));
    assert!(contacts.keys().all(|k| !k.contains('@')), "{contacts:?}");
    assert_eq!(doc["contacts"]["list"][1], 3);
    assert_eq!(unnumbered(doc["notes"][0].as_str().expect("note")), "first note by [EMAIL_ADDRESS_#]");
    // Unselected fields are not touched: explicit routing means exactly these fields.
    assert_eq!(doc["audit"], "kept as sent: eve@example.org");
    // The document keeps its layout and number spellings.
    let text = r.text();
    assert!(
        text.starts_with("{\"document\":{\n    \"ticket\": {\"id\": 7, \"body\": \"Mail [EMAIL_ADDRESS_"),
        "{text}"
    );
    assert!(text.contains("\"score\": 0.50}"), "{text}");

    // A certificate, as for chat completions; it names no value.
    let dsa = &v["metadata"]["dsa_compliance"];
    assert_eq!(dsa["findings"], json!({"EMAIL_ADDRESS": 5}));
    let url = dsa["certificate_url"].as_str().expect("url");
    assert_eq!(r.header("x-lucairn-certificate"), Some(url));
    let id = dsa["certificate_id"].as_str().expect("id");
    let c = gw.request("GET", &format!("/v1/certificates/{id}"), &[], b"");
    assert!(!c.text().contains("example."), "{}", c.text());
    // It covers the sanitised document, byte for byte as answered.
    let sanitized = text.strip_prefix("{\"document\":").and_then(|t| t.split(",\"relink_token\"").next()).expect("doc");
    assert_eq!(c.json()["request_digest"], blake3::hash(sanitized.as_bytes()).to_hex().to_string());
    assert_eq!(c.json()["response_digest"], json!(null));
    let base = format!("http://127.0.0.1:{}", gw.port);
    let o = lucairn(&["verify", url, "--url", &base], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // The token restores the original values, exactly, in any document of the tenant.
    let token = v["relink_token"].as_str().expect("token");
    let back = post(&gw, &pro, "/v1/relink", &format!("{{\"document\": {sanitized}, \"relink_token\": \"{token}\"}}"));
    assert_eq!(back.status, 200, "{}", back.text());
    assert_eq!(back.text(), format!("{{\"document\":{DOCUMENT}}}"));
    // Only the chosen fields, when fields are given; a model's answer works too.
    let answer = json!({"reply": format!("Wrote to {ana}."), "other": format!("{ana}")});
    let r = post(
        &gw,
        &pro,
        "/v1/relink",
        &json!({"document": answer, "relink_token": token, "fields": ["/reply"]}).to_string(),
    );
    assert_eq!(r.json()["document"], json!({"reply": "Wrote to ana@example.org.", "other": ana}));

    // The token is bound to the tenant: another tenant's key cannot open it.
    let relink_body = json!({"document": answer, "relink_token": token}).to_string();
    post(&gw, &other, "/v1/relink", &relink_body).assert_error(400, "invalid_relink_token");
    // Re-linking needs a pro or enterprise key.
    post(&gw, &dev, "/v1/relink", &relink_body).assert_error(403, "relink_not_allowed");
    // A changed token does not open.
    let mut bad = token.to_string();
    let last = if bad.ends_with('A') { 'B' } else { 'A' };
    bad.pop();
    bad.push(last);
    let r = post(&gw, &pro, "/v1/relink", &json!({"document": answer, "relink_token": bad}).to_string());
    r.assert_error(400, "invalid_relink_token");
}

#[test]
fn sanitize_and_relink_refuse_bad_requests() {
    let dir = TempDir::new("sanitize-bad");
    let mock = Mock::echo();
    let pro = create_key(dir.str(), "pro", "acme");
    let gw = Gateway::start(&dir, &mock.url(), &["--max-json-depth", "8"]);
    let doc = json!({"a": {"b": "x@example.org", "n": 1, "z": null}, "l": [1]});
    let table: Vec<(&str, String, u16, &str)> = vec![
        ("not JSON", "{\"document\": ".into(), 400, "invalid_json"),
        ("not an object", "[]".into(), 400, "invalid_type"),
        ("no document", json!({"fields": ["/a"]}).to_string(), 400, "missing_required_parameter"),
        ("no fields", json!({"document": doc}).to_string(), 400, "missing_required_parameter"),
        ("fields not an array", json!({"document": doc, "fields": "/a"}).to_string(), 400, "invalid_type"),
        ("field not a string", json!({"document": doc, "fields": [1]}).to_string(), 400, "invalid_type"),
        ("not a pointer", json!({"document": doc, "fields": ["a/b"]}).to_string(), 400, "invalid_value"),
        ("bad escape", json!({"document": doc, "fields": ["/a~2"]}).to_string(), 400, "invalid_value"),
        ("missing member", json!({"document": doc, "fields": ["/a/c"]}).to_string(), 400, "invalid_value"),
        ("index out of range", json!({"document": doc, "fields": ["/l/1"]}).to_string(), 400, "invalid_value"),
        ("a number", json!({"document": doc, "fields": ["/a/n"]}).to_string(), 400, "invalid_value"),
        ("null", json!({"document": doc, "fields": ["/a/z"]}).to_string(), 400, "invalid_value"),
        ("unknown member", json!({"document": doc, "fields": ["/a"], "x": 1}).to_string(), 400, "invalid_value"),
        ("duplicate key", "{\"document\": {}, \"document\": {}, \"fields\": []}".into(), 400, "duplicate_key"),
        (
            "too deep",
            format!("{{\"document\": {}1{}, \"fields\": [\"\"]}}", "[".repeat(10), "]".repeat(10)),
            400,
            "json_too_deep",
        ),
    ];
    for (name, body, status, code) in &table {
        let r = post(&gw, &pro, "/v1/sanitize", body);
        assert_eq!(r.status, *status, "{name}: {}", r.text());
        r.assert_error(*status, code);
        // Error messages never quote the document.
        assert!(!r.text().contains("example.org"), "{name}: {}", r.text());
    }
    let r = post(&gw, &pro, "/v1/relink", &json!({"document": doc}).to_string());
    r.assert_error(400, "missing_required_parameter");
    let r = post(&gw, &pro, "/v1/relink", &json!({"document": doc, "relink_token": "not a token"}).to_string());
    r.assert_error(400, "invalid_relink_token");
    gw.request("POST", "/v1/sanitize", &[], b"{}").assert_error(401, "missing_api_key");
    gw.request("GET", "/v1/sanitize", &[], b"").assert_error(405, "method_not_allowed");
    // A whole document, and a string document.
    let r = post(&gw, &pro, "/v1/sanitize", &json!({"document": "to x@example.org", "fields": [""]}).to_string());
    assert_eq!(unnumbered(r.json()["document"].as_str().expect("string")), "to [EMAIL_ADDRESS_#]");
    assert_eq!(mock.count(), 0);
}
