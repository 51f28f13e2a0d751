//! EMAIL_ADDRESS: practical RFC 5321 forms, found from each `@`.
//!
//! Local part: ASCII letters, digits, `. _ % + -` and letters of any script (EAI),
//! at most 64 bytes, no leading, trailing or doubled dot. Domain: at least two labels
//! (unless the policy allows local domains) of letters, digits and `-`, each 1 to 63
//! bytes and not starting or ending with `-`; the top-level label is alphabetic (any
//! script) of two or more characters, or punycode `xn--`. Trailing punctuation is never
//! part of the address.

use crate::Kind;
use crate::scan::Scanner;

const LOCAL_MAX: usize = 64;
const DOMAIN_MAX: usize = 253;
const SCORE: f32 = 0.95;

#[inline]
fn local_ascii(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Called at each `@` (byte offset `at`).
pub(crate) fn at_sign(s: &mut Scanner<'_>, at: usize) {
    if !s.wants(Kind::EmailAddress) {
        return;
    }
    let b = s.b;
    let n = b.len();

    // Local part, leftwards.
    let mut start = at;
    while start > 0 {
        let c = b[start - 1];
        if c < 0x80 {
            if !local_ascii(c) {
                break;
            }
            start -= 1;
        } else {
            match s.char_before(start) {
                Some(ch) if ch.is_alphanumeric() => start -= ch.len_utf8(),
                _ => break,
            }
        }
        if at - start > LOCAL_MAX {
            return;
        }
    }
    while start < at && b[start] == b'.' {
        start += 1;
    }
    // `scheme://user:pass@host` is a URL with credentials, not an address.
    if start > 0 && b[start - 1] == b':' {
        let line_start = memchr::memrchr2(b' ', b'\n', &b[..start]).map_or(0, |i| i + 1);
        if memchr::memmem::find(&b[line_start..start], b"://").is_some() {
            return;
        }
    }
    if start == at || b[at - 1] == b'.' || memchr::memmem::find(&b[start..at], b"..").is_some() {
        return;
    }

    // Domain, rightwards, label by label.
    let dom = at + 1;
    let mut end = dom; // start of the next label
    let mut labels = 0usize;
    let mut last = (dom, dom);
    loop {
        let ls = end;
        let mut e = ls;
        while e < n && e - dom <= DOMAIN_MAX {
            let c = b[e];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() || c == b'-' {
                    e += 1;
                } else {
                    break;
                }
            } else {
                match s.char_at(e) {
                    Some(ch) if ch.is_alphanumeric() => e += ch.len_utf8(),
                    _ => break,
                }
            }
        }
        if e - dom > DOMAIN_MAX {
            return;
        }
        let label = &b[ls..e];
        let ok = !label.is_empty() && label.len() <= 63 && label[0] != b'-' && label[label.len() - 1] != b'-';
        if !ok {
            break;
        }
        labels += 1;
        last = (ls, e);
        if e + 1 < n && b[e] == b'.' && (b[e + 1].is_ascii_alphanumeric() || b[e + 1] >= 0x80) {
            end = e + 1;
        } else {
            break;
        }
    }
    if labels == 0 {
        return;
    }
    let end = last.1;
    let tld = &s.text[last.0..last.1];
    if labels < 2 {
        if !s.eng.email_local_domains {
            return;
        }
    } else {
        let punycode = tld.len() > 4 && tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
        let alphabetic = tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic);
        if !(punycode || alphabetic) {
            return;
        }
    }
    s.push(start, end, Kind::EmailAddress, SCORE, "email");
}
