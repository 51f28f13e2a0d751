//! Certificates: issuing them (through the ledger), `GET /v1/certificates/keys` and
//! `GET /v1/certificates/{id}` (JSON, or HTML for browsers).
//!
//! Certificates are the engine's ([`lucairn_core::Certificate`], specified in
//! `docs/certificate.md`), stored and served in their canonical JSON form.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use http::header::{self, HeaderMap, HeaderValue};
use http::{Response, StatusCode};
use lucairn_core::{Certificate, CertificateBuilder, ENGINE_VERSION, FindingRecord, verify};
use serde::Serialize;

use crate::error::ApiError;
use crate::routes::{full, json_response};
use crate::server::{Body, State};

/// Chains, signs and stores a certificate of `tenant` made at `now` (Unix seconds);
/// returns its id and URL.
pub async fn issue(
    state: &Arc<State>,
    tenant: &str,
    cert: CertificateBuilder,
    now: i64,
) -> Result<(String, String), ApiError> {
    let id = state.ledger.append(cert, tenant.to_string(), now).await.map_err(|e| {
        tracing::error!(error = %e, "certificate not stored");
        ApiError::Storage
    })?;
    state.metrics.certificate();
    let url = format!("{}/v1/certificates/{id}", state.public_url);
    Ok((id, url))
}

/// `metadata.dsa_compliance`.
#[derive(Serialize)]
struct Dsa<'a> {
    certificate_id: &'a str,
    certificate_url: &'a str,
    sanitized: bool,
    findings: &'a BTreeMap<String, u64>,
    engine_version: &'a str,
    policy_digest: &'a str,
}

/// The JSON of `metadata.dsa_compliance` for a certificate.
pub fn dsa_compliance(
    state: &State,
    id: &str,
    url: &str,
    findings: &BTreeMap<String, u64>,
) -> Result<String, ApiError> {
    let dsa = Dsa {
        certificate_id: id,
        certificate_url: url,
        sanitized: true,
        findings,
        engine_version: ENGINE_VERSION,
        policy_digest: state.pipeline.policy_digest(),
    };
    serde_json::to_string(&dsa).map_err(|_| ApiError::Internal)
}

#[derive(Serialize)]
struct PublishedKey<'a> {
    key_id: &'a str,
    algorithm: &'static str,
    public_key: String,
}

#[derive(Serialize)]
struct Keys<'a> {
    keys: Vec<PublishedKey<'a>>,
}

pub fn keys(state: &Arc<State>) -> Result<Response<Body>, ApiError> {
    let public = state.signer.public_key();
    let keys = Keys {
        keys: vec![PublishedKey { key_id: public.key_id(), algorithm: "ed25519", public_key: public.to_hex() }],
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

pub async fn certificate(state: &Arc<State>, id: &str, headers: &HeaderMap) -> Result<Response<Body>, ApiError> {
    if !valid_id(id) {
        return Err(ApiError::CertificateNotFound);
    }
    let json = state
        .store
        .certificate(id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading a certificate failed");
            ApiError::Storage
        })?
        .ok_or(ApiError::CertificateNotFound)?;
    if !wants_html(headers) {
        return Ok(json_response(StatusCode::OK, json.into_bytes()));
    }
    let verified = verify(&json, std::slice::from_ref(state.signer.public_key()));
    let cert: Option<Certificate> = match &verified {
        Ok(c) => Some(c.clone()),
        Err(_) => serde_json::from_str(&json).ok(),
    };
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lucairn certificate</title>\
         <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
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
        let total: u64 = c.counts.values().sum();
        let _ = write!(
            html,
            "<p>Issued {} by <code>{}</code> (key <code>{}</code>, engine {}). {} value{} replaced by \
             placeholders before the request was forwarded; {} value{} the model produced replaced in \
             the answer. No value appears on this page or in the certificate: each is named by a keyed \
             digest only its tenant can check.</p>",
            esc(&c.issued_at),
            esc(&c.issuer),
            esc(&c.key_id),
            esc(&c.engine_version),
            total,
            if total == 1 { " was" } else { "s were" },
            c.output_findings.len(),
            if c.output_findings.len() == 1 { " that" } else { "s that" },
        );
        html.push_str("<h2>Sanitised, per kind</h2>");
        if c.counts.is_empty() {
            html.push_str("<p>None.</p>");
        } else {
            html.push_str("<table><tr><th>Kind</th><th>Count</th></tr>");
            for (k, n) in &c.counts {
                let _ = write!(html, "<tr><td>{}</td><td>{n}</td></tr>", esc(k));
            }
            html.push_str("</table>");
        }
        if let Some(e) = &c.upstream_error {
            let status = e.status.map_or_else(|| "no error status".to_string(), |s| format!("status {s}"));
            let _ = write!(html, "<p class=\"bad\">The upstream failed: <code>{}</code> ({status}).</p>", esc(&e.kind));
        }
        records(&mut html, "Replaced in the request", &c.findings, "Message");
        records(&mut html, "Replaced in the answer", &c.output_findings, "Choice");
        let _ = write!(
            html,
            "<h2>Digests</h2><table><tr><th>Policy</th><td><code>{}</code></td></tr>\
             <tr><th>Request sent upstream</th><td><code>{}</code></td></tr>\
             <tr><th>Upstream answer</th><td><code>{}</code></td></tr>\
             <tr><th>Previous certificate</th><td><code>{}</code></td></tr></table>",
            esc(&c.policy_digest),
            esc(&c.request_digest),
            esc(c.response_digest.as_deref().unwrap_or("(none)")),
            esc(c.previous.as_deref().unwrap_or("(first of its tenant)")),
        );
    }
    html.push_str("</body></html>");
    let mut r = full(StatusCode::OK, html.into_bytes());
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Ok(r)
}

fn records(html: &mut String, title: &str, rs: &[FindingRecord], message: &str) {
    let _ = write!(html, "<h2>{}</h2>", esc(title));
    if rs.is_empty() {
        html.push_str("<p>None.</p>");
        return;
    }
    let _ =
        write!(html, "<table><tr><th>{message}</th><th>Field</th><th>Bytes</th><th>Kind</th><th>Placeholder</th></tr>");
    for r in rs {
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}&ndash;{}</td><td>{}</td><td><code>{}</code></td></tr>",
            r.location.message,
            esc(&r.location.field),
            r.start,
            r.end,
            esc(&r.kind),
            esc(&r.placeholder)
        );
    }
    html.push_str("</table>");
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
