//! `GET /v1/certificates/keys` and `GET /v1/certificates/{id}` (JSON, or HTML for
//! browsers).

use std::fmt::Write;
use std::sync::Arc;

use http::header::{self, HeaderMap, HeaderValue};
use http::{Response, StatusCode};
use serde::Serialize;

use crate::certify::Certificate;
use crate::error::ApiError;
use crate::routes::{full, json_response};
use crate::server::{Body, State};
use crate::util;

#[derive(Serialize)]
struct PublicKey<'a> {
    key_id: &'a str,
    algorithm: &'static str,
    public_key: String,
}

#[derive(Serialize)]
struct Keys<'a> {
    keys: Vec<PublicKey<'a>>,
}

pub(crate) fn keys(state: &Arc<State>) -> Result<Response<Body>, ApiError> {
    let keys = Keys {
        keys: vec![PublicKey {
            key_id: state.signer.id(),
            algorithm: "ed25519",
            public_key: util::hex(&state.signer.public_key()),
        }],
    };
    Ok(json_response(StatusCode::OK, serde_json::to_vec(&keys).map_err(|_| ApiError::Internal)?))
}

/// True when the client prefers HTML (a browser).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.split(',').next().is_some_and(|first| first.trim().starts_with("text/html")))
}

fn valid_id(id: &str) -> bool {
    id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub(crate) async fn certificate(state: &Arc<State>, id: &str, headers: &HeaderMap) -> Result<Response<Body>, ApiError> {
    if !valid_id(id) {
        return Err(ApiError::CertificateNotFound);
    }
    let store = state.store.clone();
    let owned = id.to_string();
    let json = tokio::task::spawn_blocking(move || store.certificate(&owned))
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "reading a certificate failed");
            ApiError::Storage
        })?
        .ok_or(ApiError::CertificateNotFound)?;
    if !wants_html(headers) {
        return Ok(json_response(StatusCode::OK, json.into_bytes()));
    }
    let keys = [(state.signer.id().to_string(), state.signer.public_key())];
    let verified = Certificate::verify(&json, &keys);
    let cert: Option<Certificate> = match &verified {
        Ok(c) => Some(c.clone()),
        Err(_) => serde_json::from_str(&json).ok(),
    };
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lucairn certificate</title>\
         <style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}\
         table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}\
         .ok{color:#075}.bad{color:#a00}code{word-break:break-all}</style></head><body>",
    );
    let _ = write!(html, "<h1>Certificate <code>{}</code></h1>", esc(id));
    match &verified {
        Ok(_) => {
            html.push_str("<p class=\"ok\">&#10003; The signature verifies with this gateway's published key.</p>")
        }
        Err(e) => {
            let _ = write!(html, "<p class=\"bad\">&#10007; Does not verify: {}</p>", esc(&e.to_string()));
        }
    }
    if let Some(c) = cert {
        let total: u64 = c.findings.values().sum();
        let _ = write!(
            html,
            "<p>Issued {} by <code>{}</code> (key <code>{}</code>). {} value{} replaced by placeholders before \
             the request was forwarded.</p>",
            esc(&c.issued_at),
            esc(&c.issuer),
            esc(&c.key_id),
            total,
            if total == 1 { " was" } else { "s were" }
        );
        let table = |title: &str, counts: &std::collections::BTreeMap<String, u64>| {
            let mut t = format!("<h2>{}</h2>", esc(title));
            if counts.is_empty() {
                t.push_str("<p>None.</p>");
            } else {
                t.push_str("<table><tr><th>Kind</th><th>Count</th></tr>");
                for (k, n) in counts {
                    let _ = write!(t, "<tr><td>{}</td><td>{n}</td></tr>", esc(k));
                }
                t.push_str("</table>");
            }
            t
        };
        html.push_str(&table("Sanitised in the request", &c.findings));
        html.push_str(&table("Redacted in the answer", &c.answer_findings));
        let _ = write!(
            html,
            "<h2>Digests</h2><table><tr><th>Policy</th><td><code>{}</code></td></tr>\
             <tr><th>Request sent upstream</th><td><code>{}</code></td></tr>\
             <tr><th>Upstream answer (status {})</th><td><code>{}</code></td></tr>\
             <tr><th>Previous certificate</th><td><code>{}</code></td></tr></table>",
            esc(&c.policy_digest),
            esc(&c.request_digest),
            c.upstream_status,
            esc(&c.response_digest),
            esc(c.previous.as_deref().unwrap_or("(first in chain)")),
        );
    }
    html.push_str("</body></html>");
    let mut r = full(StatusCode::OK, html.into_bytes());
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Ok(r)
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}
