//! SECRET: API keys and tokens with known prefixes, JWTs, PEM private keys, and values of
//! password and secret assignments.
//!
//! Everything here is anchored on literal keywords (case-sensitive; case variants are
//! listed); nothing runs per digit run. A prefix only counts at the start of a token (no
//! letter, digit, `_` or `-` right before it), and the token after it must be long enough
//! that prose never qualifies (`sk-` alone, "the `ghp_` prefix").
//!
//! | detector            | form                                                          | score |
//! |---------------------|---------------------------------------------------------------|-------|
//! | `openai`            | `sk-` + 20+ of `[A-Za-z0-9_-]` with a 16+ alphanumeric run, a digit and a letter; `sk-proj-`, `sk-svcacct-`, `sk-admin-` + 32+ | 0.9, 0.95 |
//! | `anthropic`         | `sk-ant-` + 32+ of `[A-Za-z0-9_-]`                              | 0.95  |
//! | `aws_access_key_id` | `AKIA` / `ASIA` + exactly 16 of `[A-Z0-9]` (`ASIA`, an English word, needs a digit) | 0.95 |
//! | `aws_secret_key`    | exactly 40 of `[A-Za-z0-9/+]` (with a digit, `/` or `+`) at most 48 bytes after `secret access key`, `secret_key`, `SecretAccessKey` ... | 0.9 |
//! | `github`            | `ghp_` `gho_` `ghu_` `ghs_` `ghr_` + 30+ alphanumerics; `github_pat_` + 40+ of `[A-Za-z0-9_]` | 0.95 |
//! | `gitlab`            | `glpat-` + 20+ of `[A-Za-z0-9_-]`                               | 0.95  |
//! | `slack`             | `xoxa-` `xoxb-` `xoxp-` `xoxr-` + 20+ of `[A-Za-z0-9-]` with a digit | 0.95 |
//! | `stripe`            | `sk_live_` `rk_live_` + 16+ alphanumerics; `sk_test_` `rk_test_` | 0.95, 0.85 |
//! | `google_api_key`    | `AIza` + exactly 35 of `[A-Za-z0-9_-]`                          | 0.95  |
//! | `lucairn_key`       | `lcr_live_` / `lcr_test_` + 16+ of `[A-Za-z0-9_-]`              | 1.0, 0.95 |
//! | `jwt`               | `eyJ` header `.` payload `.` signature, base64url; the header decodes to `{"` and printable ASCII, the payload to `{` and a quote or space; the signature is empty or 16+ | 0.95 |
//! | `private_key`       | `-----BEGIN ... PRIVATE KEY-----` to the matching `-----END ...-----` | 1.0 |
//! | `password`, `secret`| the value of `password`, `passwd`, `passwort`, `pwd`, `mot de passe`, `contraseña`, `wachtwoord`, `secret`, `client_secret` ... followed by `=`, `:`, `:=` or `=>` | 0.85-0.9 |
//!
//! Tokens stop at the first byte outside their alphabet. Assignment values are the text up
//! to whitespace or a quote, or the quoted string (also `\"...\"` inside JSON strings);
//! a name may carry a prefix (`DB_PASSWORD`, `userPassword`) and a closing quote
//! (`"password": "..."`). Placeholders (`${VAR}`, `<password>`, `****`, `null`, `str`,
//! `[SECRET_1]`), code (`getpass()`, `self.password`) and unquoted values shorter than 3
//! bytes are skipped; an unquoted all-letter value after `:` that runs on into prose
//! ("password: please choose ...") scores 0.4, below the default threshold.
//!
//! A PEM block without its `-----END` line (or with it beyond [`PEM_MAX`]) is reported up
//! to the end of its base64 body (lines of base64, `Proc-Type:`/`DEK-Info:` headers, real
//! or escaped `\n` line breaks) or to the cap.
//!
//! # Windows
//!
//! A finding's existence and span depend only on the text from its keyword to:
//!
//! | finding                     | looks left | looks right (from the keyword)    | longest span        |
//! |-----------------------------|------------|-----------------------------------|---------------------|
//! | prefixed tokens             | 1 byte     | prefix + [`TOKEN_MAX`] + 1        | prefix + [`TOKEN_MAX`] |
//! | AWS secret key              | 0          | keyword + 20 + 48 + 41 bytes      | 40 bytes            |
//! | JWT                         | 1 byte     | [`JWT_MAX`] bytes                 | [`JWT_MAX`]         |
//! | PEM private key             | 0          | [`PEM_MAX`] bytes                 | [`PEM_MAX`]         |
//! | password/secret assignment  | 32 bytes   | keyword + 20 + [`VALUE_MAX`] + 3  | [`VALUE_MAX`]       |

use memchr::memmem;

use crate::Kind;
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Longest token reported after a prefix; a longer token is cut here.
pub(crate) const TOKEN_MAX: usize = 512;
/// Longest JWT reported; a longer one is cut here.
pub(crate) const JWT_MAX: usize = 8192;
/// Longest PEM private-key block reported, from `-----BEGIN` on.
pub(crate) const PEM_MAX: usize = 16 * 1024;
/// Longest assignment value reported.
pub(crate) const VALUE_MAX: usize = 256;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[
    ("sk-", at_sk),
    ("sk_live_", at_stripe),
    ("rk_live_", at_stripe),
    ("sk_test_", at_stripe),
    ("rk_test_", at_stripe),
    ("AKIA", at_aws_id),
    ("ASIA", at_aws_id),
    ("ghp_", at_github),
    ("gho_", at_github),
    ("ghu_", at_github),
    ("ghs_", at_github),
    ("ghr_", at_github),
    ("github_pat_", at_github_pat),
    ("glpat-", at_gitlab),
    ("xox", at_slack),
    ("AIza", at_google),
    ("lcr_", at_lucairn),
    ("eyJ", at_jwt),
    ("-----BEGIN", at_pem),
    ("secret", at_secret),
    ("Secret", at_secret),
    ("SECRET", at_secret),
    ("passw", at_passw),
    ("Passw", at_passw),
    ("PASSW", at_passw),
    ("pwd", at_password),
    ("Pwd", at_password),
    ("PWD", at_password),
    ("mot de passe", at_password),
    ("Mot de passe", at_password),
    ("MOT DE PASSE", at_password),
    ("contraseña", at_password),
    ("Contraseña", at_password),
    ("CONTRASEÑA", at_password),
    ("wachtwoord", at_password),
    ("Wachtwoord", at_password),
    ("WACHTWOORD", at_password),
];

/// Context words of this family, per kind (secrets are found by their own keywords).
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[];

/// Called at every maximal run of ASCII digits; secrets have no digit anchors.
#[inline]
pub(crate) fn at_digits(_s: &mut Scanner<'_>, _start: usize, _end: usize) {}

// ---------------------------------------------------------------------------------------
// Byte classes and small helpers.
// ---------------------------------------------------------------------------------------

#[inline]
fn tok(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

#[inline]
fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

#[inline]
fn alnum_us(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[inline]
fn alnum_dash(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

#[inline]
fn upper_digit(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

#[inline]
fn b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// End of the run of `class` bytes starting at `i`, stopping at `lim` at the latest.
#[inline]
fn run_to(b: &[u8], i: usize, lim: usize, class: fn(u8) -> bool) -> usize {
    let lim = lim.min(b.len());
    let mut p = i;
    while p < lim && class(b[p]) {
        p += 1;
    }
    p
}

/// True when no letter or digit (of any script), `_` or `-` is right before `k`: a prefix
/// starts a token, it is not inside one.
#[inline]
fn prefix_ok(s: &Scanner<'_>, k: usize) -> bool {
    match s.b[..k].last() {
        None => true,
        Some(&c) if c < 0x80 => !tok(c),
        Some(_) => s.char_before(k).is_none_or(|c| !c.is_alphanumeric()),
    }
}

/// True when `b[p..]` starts with `lit`, ignoring ASCII case.
#[inline]
fn ci_starts(b: &[u8], p: usize, lit: &[u8]) -> bool {
    b.get(p..p + lit.len()).is_some_and(|w| w.eq_ignore_ascii_case(lit))
}

/// Reports the prefix at `k` and the token from `ts` of `min..` bytes of `class`. With
/// `exact`, the token must be exactly `min` bytes; otherwise it is cut at [`TOKEN_MAX`].
#[allow(clippy::too_many_arguments)]
fn token(
    s: &mut Scanner<'_>,
    k: usize,
    ts: usize,
    min: usize,
    exact: bool,
    class: fn(u8) -> bool,
    score: f32,
    name: &'static str,
) -> Option<usize> {
    let max = if exact { min } else { TOKEN_MAX };
    let e = run_to(s.b, ts, ts + max + 1, class);
    let len = e - ts;
    if len < min || (exact && len > min) {
        return None;
    }
    let e = e.min(ts + max);
    s.push(k, e, Kind::Secret, score, name);
    Some(e)
}

// ---------------------------------------------------------------------------------------
// Prefixed tokens.
// ---------------------------------------------------------------------------------------

fn at_sk(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) || !prefix_ok(s, k) {
        return;
    }
    let b = s.b;
    if b[ke..].starts_with(b"ant-") {
        token(s, k, ke, 32, false, tok, 0.95, "anthropic");
    } else if b[ke..].starts_with(b"proj-") || b[ke..].starts_with(b"svcacct-") || b[ke..].starts_with(b"admin-") {
        token(s, k, ke, 32, false, tok, 0.95, "openai");
    } else {
        let e = run_to(b, ke, ke + TOKEN_MAX, tok);
        let t = &b[ke..e];
        let longest_alnum = t.split(|&c| !alnum(c)).map(<[u8]>::len).max().unwrap_or(0);
        if t.len() >= 20
            && longest_alnum >= 16
            && t.iter().any(u8::is_ascii_digit)
            && t.iter().any(u8::is_ascii_alphabetic)
        {
            s.push(k, e, Kind::Secret, 0.9, "openai");
        }
    }
}

fn at_stripe(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) || !prefix_ok(s, k) {
        return;
    }
    let live = s.b[k + 3..].starts_with(b"live");
    token(s, k, ke, 16, false, alnum, if live { 0.95 } else { 0.85 }, "stripe");
}

fn at_aws_id(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) || !prefix_ok(s, k) {
        return;
    }
    let b = s.b;
    let e = run_to(b, ke, ke + 17, upper_digit);
    if e - ke != 16 || b.get(e).is_some_and(|&c| alnum_us(c)) {
        return;
    }
    if b[k + 1] == b'S' && !b[ke..e].iter().any(u8::is_ascii_digit) {
        return;
    }
    s.push(k, e, Kind::Secret, 0.95, "aws_access_key_id");
}

fn at_github(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if s.wants(Kind::Secret) && prefix_ok(s, k) {
        token(s, k, ke, 30, false, alnum, 0.95, "github");
    }
}

fn at_github_pat(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if s.wants(Kind::Secret) && prefix_ok(s, k) {
        token(s, k, ke, 40, false, alnum_us, 0.95, "github");
    }
}

fn at_gitlab(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if s.wants(Kind::Secret) && prefix_ok(s, k) {
        token(s, k, ke, 20, false, tok, 0.95, "gitlab");
    }
}

fn at_slack(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) || !prefix_ok(s, k) {
        return;
    }
    let b = s.b;
    if !(matches!(b.get(ke), Some(b'a' | b'b' | b'p' | b'r')) && b.get(ke + 1) == Some(&b'-')) {
        return;
    }
    let ts = ke + 2;
    let e = run_to(b, ts, ts + TOKEN_MAX, alnum_dash);
    if e - ts >= 20 && b[ts..e].iter().any(u8::is_ascii_digit) {
        s.push(k, e, Kind::Secret, 0.95, "slack");
    }
}

fn at_google(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if s.wants(Kind::Secret) && prefix_ok(s, k) {
        token(s, k, ke, 35, true, tok, 0.95, "google_api_key");
    }
}

fn at_lucairn(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) || !prefix_ok(s, k) {
        return;
    }
    let b = s.b;
    let score = if b[ke..].starts_with(b"live_") {
        1.0
    } else if b[ke..].starts_with(b"test_") {
        0.95
    } else {
        return;
    };
    token(s, k, ke + 5, 16, false, tok, score, "lucairn_key");
}

// ---------------------------------------------------------------------------------------
// JWT.
// ---------------------------------------------------------------------------------------

/// The 6-bit value of a base64url character.
#[inline]
fn b64url_val(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes the first `3 * N / 4` bytes of a base64url segment (`seg.len() >= N`,
/// `N` a multiple of 4).
fn decode_head<const N: usize>(seg: &[u8], out: &mut [u8]) -> bool {
    if seg.len() < N || out.len() < N / 4 * 3 {
        return false;
    }
    for (i, quad) in seg[..N].chunks_exact(4).enumerate() {
        let mut v = 0u32;
        for &c in quad {
            match b64url_val(c) {
                Some(x) => v = (v << 6) | x,
                None => return false,
            }
        }
        out[i * 3] = (v >> 16) as u8;
        out[i * 3 + 1] = (v >> 8) as u8;
        out[i * 3 + 2] = v as u8;
    }
    true
}

fn at_jwt(s: &mut Scanner<'_>, k: usize, _ke: usize) {
    if !s.wants(Kind::Secret) {
        return;
    }
    let b = s.b;
    if k > 0 && tok(b[k - 1]) {
        return;
    }
    let cap = (k + JWT_MAX).min(b.len());
    // Header: `{"` then printable ASCII.
    let e1 = run_to(b, k, cap, tok);
    if e1 - k < 10 || e1 >= cap || b[e1] != b'.' {
        return;
    }
    let mut head = [0u8; 6];
    if !decode_head::<8>(&b[k..e1], &mut head) || !head[2..].iter().all(|&c| (0x20..0x7f).contains(&c)) {
        return;
    }
    // Payload: `{` then a quote or white space.
    let p2 = e1 + 1;
    let e2 = run_to(b, p2, cap, tok);
    let mut body = [0u8; 3];
    if e2 - p2 < 10
        || !decode_head::<4>(&b[p2..e2], &mut body)
        || body[0] != b'{'
        || !matches!(body[1], b'"' | b' ' | b'\n' | b'\r' | b'\t')
    {
        return;
    }
    if e2 == cap {
        // Cut at the cap.
        s.push(k, e2, Kind::Secret, 0.95, "jwt");
        return;
    }
    if b[e2] != b'.' {
        return;
    }
    // Signature: empty (unsecured) or 16+ characters.
    let p3 = e2 + 1;
    let e3 = run_to(b, p3, cap, tok);
    if e3 > p3 && e3 - p3 < 16 {
        return;
    }
    s.push(k, e3, Kind::Secret, 0.95, "jwt");
}

// ---------------------------------------------------------------------------------------
// PEM private keys.
// ---------------------------------------------------------------------------------------

fn at_pem(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) || k < s.resume(Family::Secret) {
        return;
    }
    let b = s.b;
    if b.get(ke) != Some(&b' ') {
        return;
    }
    let lim = (ke + 64).min(b.len());
    let Some(close) = memmem::find(&b[ke..lim], b"-----").map(|i| ke + i) else { return };
    let label = &b[ke + 1..close];
    if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK"))
        || !label.iter().all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ')
    {
        return;
    }
    let body = close + 5;
    let mut cap = (k + PEM_MAX).min(b.len());
    while !s.text.is_char_boundary(cap) {
        cap -= 1;
    }
    // The body holds no `-----`: the next one is the `-----END` line, or the block is
    // unterminated (another `-----BEGIN`, or none before the cap). Searching only up to
    // the next `-----` keeps repeated headers linear.
    let body = body.min(cap);
    let terminated =
        memmem::find(&b[body..cap], b"-----").filter(|&i| b[body + i..cap].starts_with(b"-----END")).and_then(|i| {
            let e0 = body + i + 8;
            memmem::find(&b[e0..(e0 + 64).min(cap)], b"-----").map(|j| e0 + j + 5)
        });
    let end = match terminated {
        Some(e) => e,
        None => pem_body_end(b, body, cap),
    };
    s.push(k, end, Kind::Secret, 1.0, "private_key");
    // Later keywords inside the block have nothing to add to it.
    s.set_resume(Family::Secret, end);
}

/// End of the base64 body of a PEM block starting at `p`: base64 lines, encryption
/// headers and line breaks (real or escaped as `\n`), at most up to `cap`.
fn pem_body_end(b: &[u8], p: usize, cap: usize) -> usize {
    let mut q = p;
    let mut last = p;
    while q < cap {
        let c = b[q];
        if b64(c) || c == b'=' {
            q += 1;
            last = q;
        } else if c == b'\r' || c == b'\n' {
            q += 1;
        } else if c == b'\\' && q + 1 < cap && matches!(b[q + 1], b'n' | b'r') {
            q += 2;
        } else {
            break;
        }
        // Encryption headers of legacy PEM: `Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`.
        if (b[q - 1] == b'\n' || b[q - 1] == b'n')
            && (b[q..cap].starts_with(b"Proc-Type:") || b[q..cap].starts_with(b"DEK-Info:"))
        {
            while q < cap && b[q] != b'\n' && b[q] != b'\r' && b[q] != b'\\' {
                q += 1;
            }
            last = q;
        }
    }
    last
}

// ---------------------------------------------------------------------------------------
// Password and secret assignments.
// ---------------------------------------------------------------------------------------

/// `passw`: `password`, `passwd` or `passwort` in any case.
fn at_passw(s: &mut Scanner<'_>, k: usize, ke: usize) {
    let b = s.b;
    let l = if ci_starts(b, ke, b"ord") || ci_starts(b, ke, b"ort") {
        3
    } else if ci_starts(b, ke, b"d") {
        1
    } else {
        return;
    };
    assignment(s, k, ke + l, "password");
}

fn at_password(s: &mut Scanner<'_>, k: usize, ke: usize) {
    assignment(s, k, ke, "password");
}

/// `secret`: `secret access key` / `secret_key` forms (AWS secret keys) and
/// `secret = ...` assignments (`client_secret`, `SECRET` ...).
fn at_secret(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Secret) {
        return;
    }
    let b = s.b;
    let sep = |p: usize| if matches!(b.get(p), Some(b'_' | b'-' | b' ')) { p + 1 } else { p };
    let mut p = ke;
    let mut keyed = false;
    let q = sep(p);
    if ci_starts(b, q, b"access") {
        let q2 = sep(q + 6);
        if ci_starts(b, q2, b"key") {
            p = q2 + 3;
            keyed = true;
        }
    } else if ci_starts(b, q, b"key") {
        p = q + 3;
        keyed = true;
    }
    if b.get(p).is_some_and(|&c| alnum_us(c)) {
        return;
    }
    if keyed && aws_secret_after(s, p) {
        return;
    }
    assignment(s, k, p, "secret");
}

/// A 40-character AWS secret access key within 48 bytes after `p` (separators and at
/// most two short words such as "is" may come first).
fn aws_secret_after(s: &mut Scanner<'_>, p: usize) -> bool {
    let b = s.b;
    let lim = (p + 48).min(b.len());
    let mut q = p;
    let mut words = 0;
    while q < lim {
        let c = b[q];
        if b64(c) {
            let e = run_to(b, q, q + 41, b64);
            let t = &b[q..e];
            if t.len() == 40
                && !b.get(e).is_some_and(|&c| b64(c) || c == b'=')
                && !b64(b[q - 1])
                && t.iter().any(|&c| c.is_ascii_digit() || c == b'/' || c == b'+')
            {
                s.push(q, e, Kind::Secret, 0.9, "aws_secret_key");
                return true;
            }
            if t.len() <= 4 && words < 2 && t.iter().all(u8::is_ascii_alphabetic) {
                words += 1;
                q = e;
                continue;
            }
            return false;
        }
        if !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b':' | b'=' | b'"' | b'\'' | b'>' | b',') {
            return false;
        }
        q += 1;
    }
    false
}

/// Skips horizontal white space (also no-break spaces) after `p`, at most `max` bytes.
fn skip_hspace(b: &[u8], mut p: usize, max: usize) -> usize {
    let lim = (p + max).min(b.len());
    while p < lim {
        if b[p] == b' ' || b[p] == b'\t' {
            p += 1;
        } else if b[p..].starts_with("\u{a0}".as_bytes()) {
            p += 2;
        } else if b[p..].starts_with("\u{202f}".as_bytes()) {
            p += 3;
        } else {
            break;
        }
    }
    p
}

/// A name ending at `p` (its keyword starting at `k`), then a separator and a value:
/// reports the value.
fn assignment(s: &mut Scanner<'_>, k: usize, p: usize, name: &'static str) -> bool {
    if !s.wants(Kind::Secret) {
        return false;
    }
    let b = s.b;
    let n = b.len();
    if p < n && alnum_us(b[p]) {
        return false;
    }
    // In a query string, values end at `&`.
    let mut ns = k;
    while ns > 0 && k - ns < 32 && (alnum_us(b[ns - 1]) || b[ns - 1] == b'-' || b[ns - 1] == b'.') {
        ns -= 1;
    }
    let in_query = ns > 0 && matches!(b[ns - 1], b'?' | b'&');

    let mut p = p;
    if p < n && (b[p] == b'"' || b[p] == b'\'') {
        p += 1;
    } else if b[p..].starts_with(b"\\\"") {
        p += 2;
    }
    p = skip_hspace(b, p, 4);
    let colon = match b.get(p) {
        Some(b'=') => {
            if b.get(p + 1) == Some(&b'=') {
                return false;
            }
            p += 1;
            if b.get(p) == Some(&b'>') {
                p += 1;
            }
            false
        }
        Some(b':') => {
            p += 1;
            match b.get(p) {
                Some(b'=') => p += 1,
                Some(b':') => return false,
                _ => {}
            }
            true
        }
        _ => return false,
    };
    p = skip_hspace(b, p, 8);
    value(s, p, colon, in_query, name)
}

/// Values that stand for a password rather than being one.
const PLACEHOLDERS: &[&str] = &[
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "empty",
    "string",
    "str",
    "&str",
    "required",
    "optional",
    "redacted",
    "hidden",
    "masked",
    "secret",
    "password",
    "passwort",
    "pwd",
    "n/a",
];

/// True when `v` is a placeholder, a variable reference or a mask, not a secret.
fn placeholder(v: &str) -> bool {
    let bytes = v.as_bytes();
    if matches!(bytes[0], b'%' | b'{' | b'<' | b'[' | b'/') || v.starts_with("${") {
        return true;
    }
    // `$VAR` as the whole value.
    if bytes[0] == b'$'
        && bytes.len() > 1
        && (bytes[1].is_ascii_alphabetic() || bytes[1] == b'_')
        && bytes[1..].iter().all(|&c| alnum_us(c))
    {
        return true;
    }
    if v.chars().all(|c| matches!(c, '*' | '•' | '●' | 'x' | 'X' | '.' | '#' | '-' | '_')) {
        return true;
    }
    PLACEHOLDERS.iter().any(|p| v.eq_ignore_ascii_case(p))
}

/// True for code rather than a value: a call, an index, or a dotted identifier path
/// (`self.password`, `config.db.pass`).
fn code_like(v: &[u8]) -> bool {
    if v.iter().any(|&c| matches!(c, b'(' | b'[' | b'{')) {
        return true;
    }
    let mut segments = 0;
    for seg in v.split(|&c| c == b'.') {
        let ident =
            seg.first().is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_') && seg.iter().all(|&c| alnum_us(c));
        if !ident {
            return false;
        }
        segments += 1;
    }
    segments > 1
}

/// The value at `p`: quoted, escaped-quoted (inside a JSON string) or bare.
fn value(s: &mut Scanner<'_>, p: usize, colon: bool, in_query: bool, name: &'static str) -> bool {
    let b = s.b;
    let n = b.len();
    if p >= n {
        return false;
    }
    let (vs, ve, quoted) = if matches!(b[p], b'"' | b'\'' | b'`') {
        let q = b[p];
        let vs = p + 1;
        let lim = (vs + VALUE_MAX).min(n);
        let mut e = vs;
        loop {
            if e >= lim || b[e] == b'\n' {
                return false;
            }
            if b[e] == b'\\' {
                e += 2;
                continue;
            }
            if b[e] == q {
                break;
            }
            e += 1;
        }
        (vs, e, true)
    } else if b[p] == b'\\' && matches!(b.get(p + 1), Some(b'"' | b'\'')) {
        let q = b[p + 1];
        let vs = p + 2;
        let lim = (vs + VALUE_MAX).min(n);
        let mut e = vs;
        loop {
            if e + 1 >= lim {
                return false;
            }
            if b[e] == b'\\' {
                if b[e + 1] == q {
                    break;
                }
                e += 2;
                continue;
            }
            e += 1;
        }
        (vs, e, true)
    } else {
        let lim = (p + VALUE_MAX).min(n);
        let mut e = p;
        while e < lim {
            let c = b[e];
            if c < 0x80 {
                let stop = c <= b' '
                    || c == 0x7f
                    || matches!(c, b'"' | b'\'' | b'`')
                    || (in_query && matches!(c, b'&' | b'#'))
                    || (c == b'\\' && matches!(b.get(e + 1), Some(b'n' | b'r' | b't' | b'"' | b'\'' | b'\\')));
                if stop {
                    break;
                }
                e += 1;
            } else {
                match s.char_at(e) {
                    Some(ch) if !ch.is_whitespace() && !ch.is_control() && e + ch.len_utf8() <= lim => {
                        e += ch.len_utf8()
                    }
                    _ => break,
                }
            }
        }
        while e > p && matches!(b[e - 1], b'.' | b',' | b';' | b':' | b')' | b']' | b'}' | b'>') {
            e -= 1;
        }
        (p, e, false)
    };
    if ve <= vs {
        return false;
    }
    let Some(v) = s.text.get(vs..ve) else { return false };
    if placeholder(v) || (!quoted && (v.len() < 3 || code_like(v.as_bytes()))) {
        return false;
    }
    let prose = colon
        && !quoted
        && v.bytes().all(|c| c.is_ascii_alphabetic())
        && b.get(ve) == Some(&b' ')
        && b.get(ve + 1).is_some_and(u8::is_ascii_alphabetic);
    let score = if quoted {
        0.9
    } else if prose {
        0.4
    } else {
        0.85
    };
    s.push(vs, ve, Kind::Secret, score, name);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_head() {
        let mut out = [0u8; 6];
        assert!(decode_head::<8>(b"eyJhbGciOiJIUzI1NiJ9", &mut out));
        assert_eq!(&out, b"{\"alg\"");
        assert!(!decode_head::<8>(b"eyJh", &mut out));
        assert!(!decode_head::<8>(b"eyJh+GciOiJ", &mut out));
    }

    #[test]
    fn placeholders_and_code() {
        for v in ["${DB_PASS}", "$DB_PASS", "<password>", "****", "•••••", "null", "None", "[SECRET_1]", "%(pw)s"]
        {
            assert!(placeholder(v), "{v}");
        }
        for v in ["hunter2", "$ecr3t!", "x9-Y"] {
            assert!(!placeholder(v), "{v}");
        }
        assert!(code_like(b"self.password"));
        assert!(code_like(b"getpass()"));
        assert!(!code_like(b"my.pass.123"));
        assert!(!code_like(b"hunter2"));
    }
}
