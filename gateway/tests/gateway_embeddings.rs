use serde_json::json;

use crate::support::{Gateway, Mock, PROVIDER_KEY, TempDir, create_key};

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
