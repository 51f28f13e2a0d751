//! TLS to PostgreSQL, as the database URL's `sslmode` and `sslrootcert` ask, with the
//! meanings libpq gives them:
//!
//! | `sslmode` | TLS | the server's certificate |
//! | --- | --- | --- |
//! | `disable` | never | |
//! | `prefer` (the default) | if the server offers it | not checked |
//! | `require` | always | not checked (checked as by `verify-ca` when `sslrootcert` is given) |
//! | `verify-ca` | always | signed by a trusted root |
//! | `verify-full` | always | signed by a trusted root, and for the host of the URL |
//!
//! The trusted roots are those of the PEM file `sslrootcert`, else (or with
//! `sslrootcert=system`) Mozilla's (`webpki-roots`). Client certificates (`sslcert`,
//! `sslkey`) are not supported: a URL with them is refused rather than connected without.
//!
//! tokio-postgres knows only `disable`, `prefer` and `require` and no `sslrootcert`; the
//! URL it is given is rewritten by [`split`].

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// What the server's certificate is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Nothing: the connection is encrypted, the server not authenticated.
    None,
    /// The certificate chains to a trusted root.
    Ca,
    /// And it is for the URL's host.
    Full,
}

/// The TLS a database URL asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    /// `None`: `sslmode=disable`.
    pub verify: Option<Verify>,
    /// `sslrootcert`: a PEM file of trusted roots; `None` for Mozilla's.
    pub root_cert: Option<PathBuf>,
}

/// Decodes `%XX` escapes (and `+` is kept: libpq does not turn it into a space).
fn percent_decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let v = hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or("an invalid %-escape")?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a %-escape that is not UTF-8".to_string())
}

/// Splits a `postgres://` URL into the URL tokio-postgres is given (`sslmode` one it
/// knows, no `sslrootcert`) and the TLS to use. The error names the parameter, never
/// the URL (it may hold a password).
pub fn split(url: &str) -> Result<(String, Tls), String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let mut mode = None;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match percent_decode(k)?.as_str() {
            "sslmode" => mode = Some(percent_decode(v).map_err(|e| format!("sslmode: {e}"))?),
            "sslrootcert" => root_cert = Some(percent_decode(v).map_err(|e| format!("sslrootcert: {e}"))?),
            "sslcert" | "sslkey" | "sslpassword" | "sslcrl" | "sslcrldir" => {
                return Err(format!("{k}: client certificates and CRLs are not supported"));
            }
            _ => kept.push(pair),
        }
    }
    let root_cert = root_cert.filter(|p| p != "system" && !p.is_empty()).map(PathBuf::from);
    // As libpq: a root certificate file makes `prefer` and `require` check the chain.
    let unverified = if root_cert.is_some() { Verify::Ca } else { Verify::None };
    let (verify, given) = match mode.as_deref() {
        None | Some("prefer") => (Some(unverified), "prefer"),
        Some("disable") => (None, "disable"),
        Some("require") => (Some(unverified), "require"),
        Some("verify-ca") => (Some(Verify::Ca), "require"),
        Some("verify-full") => (Some(Verify::Full), "require"),
        Some(_) => return Err("sslmode must be disable, prefer, require, verify-ca or verify-full".to_string()),
    };
    kept.push(match given {
        "disable" => "sslmode=disable",
        "require" => "sslmode=require",
        _ => "sslmode=prefer",
    });
    Ok((format!("{base}?{}", kept.join("&")), Tls { verify, root_cert }))
}

/// Checks the chain as `inner` does, but not the name (`verify-ca`), or nothing
/// (`prefer`, `require`); handshake signatures are always checked.
#[derive(Debug)]
struct Lenient {
    /// `None`: no check of the chain.
    inner: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(inner) = &self.inner else { return Ok(ServerCertVerified::assertion()) };
        match inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            r => r,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The connector for `tls`; `Ok(None)` for `sslmode=disable`.
pub fn connector(tls: &Tls) -> Result<Option<MakeRustlsConnect>, String> {
    let Some(verify) = tls.verify else { return Ok(None) };
    // ring, as for the upstream client and the server.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    match &tls.root_cert {
        Some(path) => {
            let shown = path.display();
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("sslrootcert {shown}: {e}"))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!("sslrootcert {shown} holds no usable certificate"));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let config = match verify {
        Verify::Full => builder.with_root_certificates(roots).with_no_client_auth(),
        Verify::Ca | Verify::None => {
            let inner = match verify {
                Verify::Ca => Some(
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| e.to_string())?,
                ),
                _ => None,
            };
            let algorithms = provider.signature_verification_algorithms;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Lenient { inner, algorithms }))
                .with_no_client_auth()
        }
    };
    Ok(Some(MakeRustlsConnect::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(verify: Option<Verify>, root: Option<&str>) -> Tls {
        Tls { verify, root_cert: root.map(PathBuf::from) }
    }

    #[test]
    fn sslmodes_as_libpq_reads_them() {
        let base = "postgres://u:pw@db.internal:5432/ledger";
        let cases = [
            ("", "sslmode=prefer", tls(Some(Verify::None), None)),
            ("?sslmode=disable", "sslmode=disable", tls(None, None)),
            ("?sslmode=prefer", "sslmode=prefer", tls(Some(Verify::None), None)),
            (
                "?sslmode=require&application_name=x",
                "application_name=x&sslmode=require",
                tls(Some(Verify::None), None),
            ),
            ("?sslmode=verify-ca", "sslmode=require", tls(Some(Verify::Ca), None)),
            ("?sslmode=verify-full", "sslmode=require", tls(Some(Verify::Full), None)),
            (
                "?sslmode=require&sslrootcert=%2Fetc%2Fpg%2Froot.crt",
                "sslmode=require",
                tls(Some(Verify::Ca), Some("/etc/pg/root.crt")),
            ),
            ("?sslrootcert=system&sslmode=verify-full", "sslmode=require", tls(Some(Verify::Full), None)),
        ];
        for (query, rewritten, want) in cases {
            let (url, got) = split(&format!("{base}{query}")).expect(query);
            assert_eq!(url, format!("{base}?{rewritten}"), "{query}");
            assert_eq!(got, want, "{query}");
            // tokio-postgres takes what is left.
            assert!(url.parse::<tokio_postgres::Config>().is_ok(), "{query}");
        }
        for bad in ["?sslmode=allow", "?sslmode=VERIFY-FULL", "?sslcert=c.pem", "?sslrootcert=%zz"] {
            let e = split(&format!("{base}{bad}")).expect_err(bad);
            assert!(!e.contains("pw"), "{e}");
        }
    }

    #[test]
    fn connectors() {
        assert!(connector(&tls(None, None)).expect("disable").is_none());
        for v in [Verify::None, Verify::Ca, Verify::Full] {
            assert!(connector(&tls(Some(v), None)).expect("Mozilla's roots").is_some());
        }
        let e = connector(&tls(Some(Verify::Full), Some("/nonexistent/root.crt"))).err().expect("no file");
        assert!(e.starts_with("sslrootcert /nonexistent/root.crt"), "{e}");
    }
}
