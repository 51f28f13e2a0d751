//! Network identifiers: IP_ADDRESS, MAC_ADDRESS and URL, plus the secrets URLs carry
//! (credentials and token-like query parameters), which are reported as SECRET.
//!
//! # IP_ADDRESS
//!
//! IPv4 is found from a run of 1 to 3 digits followed by `.`: four decimal octets 0-255
//! without leading zeros (`010.1.1.1` is not an address), with an optional CIDR suffix
//! `/0`..`/32`. A dotted quad that is part of a longer dotted number (`1.2.3.4.5`, OIDs)
//! or glued to a letter (`v1.2.3.4`) is not reported. After a version word (`version
//! 10.0.0.1`, `ver.`, `release`, `build`, `firmware`, `Versión` ...) it scores 0.3, below
//! the default threshold, whatever the context.
//!
//! IPv6 (full form, compressed `fe80::1`, v4-mapped `::ffff:192.0.2.1`) is found from
//! the first digit run of its token of hex digits and colons; an address must contain a
//! digit, so `::` in code (`std::io`, `a::b`) is never one and the anchor pass needs no
//! two-byte keyword. A zone (`%eth0`) is not part of the span; a CIDR suffix `/0`..`/128`
//! is. Short compressed forms whose first group is short or has no digit (`1::2`, as in
//! slices; `c::d1`) score 0.4 and need IP context; `::1`, `fe80::1`, `2001:db8::` and
//! longer forms do not. Times (`10:30:00`) and MAC addresses have too few groups to be
//! IPv6.
//!
//! # MAC_ADDRESS
//!
//! Six pairs of hex digits separated by `:` or `-` (one separator throughout), or three
//! groups of four separated by `.` (Cisco, `0011.2233.4455`). Forms made of digits only
//! score lower (0.6 with `:`, 0.45 with `-`, 0.4 dotted) and need MAC context when they
//! are below the threshold; a MAC address glued to more groups is not one, nor are the
//! null and broadcast addresses. An address without any digit (`AA:BB:CC:DD:EE:FF`) is
//! found within 48 bytes after `MAC`, `hardware address` or `physical address`.
//!
//! # URL
//!
//! Anchored on the `://` keyword, looking left for the scheme (`http`, `https`, `ftp`,
//! `ftps`, `sftp`, `ws`, `wss`, and the connection-string schemes `postgres`,
//! `postgresql`, `mysql`, `mariadb`, `mongodb`, `mongodb+srv`, `redis`, `rediss`, `amqp`,
//! `amqps`, `ldap`, `ldaps`, `smtp`, `smtps`, `ssh`), and on `www.` without scheme (then
//! the host needs a top-level label). Hosts may be IDN (letters of any script), IPv4 or
//! bracketed IPv6, with an optional port. A URL stops at whitespace, at characters that
//! cannot appear in one (`"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`), at
//! non-alphanumeric non-ASCII characters, at a closing `)` or `]` without its opening one
//! in the URL, and after [`URL_MAX`] bytes; trailing `. , ; : ! ? ' " *` are not part of
//! it. So `(see https://x.org/a_(b))` gives `https://x.org/a_(b)`, and
//! `[https://x.org](https://x.org/)` two URLs.
//!
//! Credentials `scheme://user:pass@host/...` are reported as SECRET (detector
//! `url_credentials`) for `user:pass` and as URL from the host onwards; a user name alone
//! stays inside the URL unless it looks like a token. The value of a token-like query or
//! fragment parameter (`token`, `access_token`, `api_key`, `key`, `secret`, `password`,
//! `sig`, `signature`, `auth`, `code`, `X-Amz-Signature`, names ending in `token`,
//! `secret`, `apikey`, `password` or `signature` ...) of at least 6 bytes is reported as
//! SECRET (detector `url_token`); the URL ends right before the first such value, and the
//! rest of the URL between and after the values ("&page=2") is reported as URL pieces, so
//! nothing of the URL is left unredacted. The spans never overlap.
//!
//! The e-mail detector sees `pass@host` in such URLs. Overlap resolution keeps the longer
//! span, so when neither the credentials nor the rest of the URL is certainly longer than
//! that e-mail candidate, the credentials and everything after them are reported as one
//! SECRET instead: the user name and password never survive as, or next to, an e-mail
//! address.
//!
//! # Windows
//!
//! A finding's existence and span depend only on the text in these windows around its
//! anchor (plus context words, looked for 64 bytes before and 32 bytes after a candidate):
//!
//! | finding               | looks left                              | looks right       | longest span |
//! |-----------------------|-----------------------------------------|-------------------|--------------|
//! | IPv4                  | 24 bytes (version word)                 | 19 bytes          | 18 bytes     |
//! | IPv6                  | 48 bytes                                | 51 bytes          | 49 bytes     |
//! | MAC                   | 48 bytes (`:`), 22 (`-`), 19 (`.`); 64 after a MAC keyword | 18 bytes | 17 bytes |
//! | URL (and its secrets) | 11 bytes (scheme), 512 after `/` or `=` | [`URL_MAX`] bytes | [`URL_MAX`]  |

use crate::Kind;
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Longest URL reported, in bytes; a longer URL is cut here.
pub(crate) const URL_MAX: usize = 2048;
/// How far left a URL right after `/` or `=` looks for the URL it may be part of.
const NESTED_MAX: usize = 512;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[
    ("://", at_scheme),
    ("www.", at_www),
    ("WWW.", at_www),
    ("MAC", at_mac_word),
    ("hardware address", at_mac_word),
    ("Hardware address", at_mac_word),
    ("physical address", at_mac_word),
    ("Physical address", at_mac_word),
];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::IpAddress,
        &[
            "ip",
            "ipv4",
            "ipv6",
            "inet",
            "inet6",
            "host",
            "server",
            "gateway",
            "router",
            "subnet",
            "netmask",
            "dns",
            "nameserver",
            "proxy",
            "firewall",
            "ping",
            "ssh",
            "addr",
            "endpoint",
            "loopback",
            "ip-adresse",
            "adresse ip",
            "dirección ip",
            "direccion ip",
            "indirizzo ip",
            "ip-adres",
            "servidor",
            "serveur",
            "passerelle",
        ],
    ),
    (
        Kind::MacAddress,
        &[
            "mac",
            "mac address",
            "hwaddr",
            "ether",
            "ethernet",
            "bssid",
            "hardware address",
            "physical address",
            "wlan",
            "wifi",
            "nic",
            "mac-adresse",
            "adresse mac",
            "dirección mac",
            "indirizzo mac",
            "mac-adres",
        ],
    ),
];

/// Score bonus for a context word near a candidate.
const CONTEXT_BONUS: f32 = 0.3;

// ---------------------------------------------------------------------------------------
// Digit anchors: IPv4, full-form IPv6, MAC.
// ---------------------------------------------------------------------------------------

/// Called at every maximal run of ASCII digits `b[start..end]`.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    if start < s.resume(Family::Net) {
        return;
    }
    let b = s.b;
    // The hex group around the run (at most 4 bytes), and the bytes on either side of it.
    let mut r = end;
    while r < b.len() && r - start < 4 && b[r].is_ascii_hexdigit() {
        r += 1;
    }
    let mut l = start;
    while l > 0 && end - l < 4 && b[l - 1].is_ascii_hexdigit() {
        l -= 1;
    }
    let after = b.get(r).copied().unwrap_or(0);
    let before = if l > 0 { b[l - 1] } else { 0 };
    let is_sep = |c: u8| c == b'.' || c == b':' || c == b'-';
    if !is_sep(after) && !is_sep(before) {
        return;
    }
    slow_digits(s, start, end, l, after, before);
}

#[inline(never)]
fn slow_digits(s: &mut Scanner<'_>, start: usize, end: usize, l: usize, after: u8, before: u8) {
    let b = s.b;
    let want_ip = s.wants(Kind::IpAddress);
    let want_mac = s.wants(Kind::MacAddress);
    if after == b':' || before == b':' {
        if let Some(t) = token_start(s, l, b':', 44) {
            if want_ip {
                if let Some(e) = ipv6_at(s, t, start) {
                    s.set_resume(Family::Net, e);
                    return;
                }
            }
            if want_mac && b[t] != b':' {
                if let Some(e) = mac_at(s, t, b':') {
                    s.set_resume(Family::Net, e);
                    return;
                }
            }
        }
    }
    if want_ip && end - start <= 3 && b.get(end) == Some(&b'.') {
        if let Some(e) = ipv4_at(s, start) {
            s.set_resume(Family::Net, e);
            return;
        }
    }
    if want_mac && (after == b'-' || before == b'-') {
        if let Some(t) = token_start(s, l, b'-', 18) {
            if let Some(e) = mac_at(s, t, b'-') {
                s.set_resume(Family::Net, e);
                return;
            }
        }
    }
    if want_mac && (after == b'.' || before == b'.') {
        if let Some(t) = token_start(s, l, b'.', 15) {
            if let Some(e) = mac_at(s, t, b'.') {
                s.set_resume(Family::Net, e);
            }
        }
    }
}

/// The start of the token of hex digits and `sep` that holds the group starting at `l`,
/// looking at most `max` bytes left. `None` when an earlier digit run of the same token
/// has already been looked at (it holds a digit), when the token is too long, or when it
/// does not start at a word boundary. Only a `:` token may start with its separator, as
/// `::`.
fn token_start(s: &Scanner<'_>, l: usize, sep: u8, max: usize) -> Option<usize> {
    let b = s.b;
    let lim = l.saturating_sub(max);
    let mut t = l;
    while t > lim {
        let c = b[t - 1];
        if c.is_ascii_digit() {
            return None;
        }
        if c.is_ascii_hexdigit() || c == sep {
            t -= 1;
        } else {
            break;
        }
    }
    if t == lim && t > 0 && (b[t - 1].is_ascii_hexdigit() || b[t - 1] == sep) {
        return None;
    }
    let leading_sep = b[t] == sep && !(sep == b':' && b.get(t + 1) == Some(&b':'));
    if leading_sep || !s.boundary_before(t) {
        return None;
    }
    Some(t)
}

/// Parses a dotted quad at `i`: four octets 0-255, no leading zeros. Returns its end.
fn parse_v4(b: &[u8], i: usize) -> Option<usize> {
    let mut p = i;
    for k in 0..4 {
        let gs = p;
        let mut v = 0u32;
        while p < b.len() && p - gs < 4 && b[p].is_ascii_digit() {
            v = v * 10 + u32::from(b[p] - b'0');
            p += 1;
        }
        let len = p - gs;
        if len == 0 || len > 3 || v > 255 || (len > 1 && b[gs] == b'0') {
            return None;
        }
        if k < 3 {
            if b.get(p) != Some(&b'.') {
                return None;
            }
            p += 1;
        }
    }
    Some(p)
}

/// Extends `end` over a CIDR suffix `/n` with `n <= max` (no leading zero).
fn cidr(b: &[u8], end: usize, max: u32) -> usize {
    if b.get(end) != Some(&b'/') {
        return end;
    }
    let ds = end + 1;
    let mut p = ds;
    let mut v = 0u32;
    while p < b.len() && p - ds < 4 && b[p].is_ascii_digit() {
        v = v * 10 + u32::from(b[p] - b'0');
        p += 1;
    }
    let len = p - ds;
    let tail_ok = p == b.len() || !(b[p].is_ascii_alphanumeric() || b[p] == b'_');
    if len == 0 || len > 3 || v > max || (len > 1 && b[ds] == b'0') || !tail_ok {
        return end;
    }
    p
}

/// Words that make a following dotted quad a version number.
const VERSION_WORDS: &[&str] = &[
    "version", "versions", "ver", "vers", "v", "release", "rel", "build", "firmware", "fw", "rev", "revision",
    "update", "patch", "versión", "versione", "versie", "versão", "versao",
];

/// True when a version word is right before `start` (separated by spaces, `:`, `=` or `#`).
fn version_before(b: &[u8], start: usize) -> bool {
    let lim = start.saturating_sub(24);
    let mut p = start;
    while p > lim && matches!(b[p - 1], b' ' | b'\t' | b':' | b'=' | b'#') {
        p -= 1;
    }
    if p > lim && b[p - 1] == b'.' {
        p -= 1;
    }
    let we = p;
    while p > lim && (b[p - 1].is_ascii_alphabetic() || b[p - 1] >= 0x80) {
        p -= 1;
    }
    if p == we || (p == lim && p > 0 && (b[p - 1].is_ascii_alphabetic() || b[p - 1] >= 0x80)) {
        return false;
    }
    let w = &b[p..we];
    VERSION_WORDS.iter().any(|v| w.eq_ignore_ascii_case(v.as_bytes()))
}

/// IPv4 whose first octet starts at `start`. Reports it and returns its end.
fn ipv4_at(s: &mut Scanner<'_>, start: usize) -> Option<usize> {
    let b = s.b;
    if start >= 2 && b[start - 1] == b'.' && b[start - 2].is_ascii_digit() {
        return None;
    }
    if !s.boundary_before(start) {
        return None;
    }
    // The host of a URL (`http://10.0.0.1/`) is part of that URL.
    if start >= 3 && &b[start - 3..start] == b"://" && s.wants(Kind::Url) && scheme_start(s, start - 3).is_some() {
        return None;
    }
    let e = parse_v4(b, start)?;
    if b.get(e) == Some(&b'.') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !s.boundary_after(e) {
        return None;
    }
    let e = cidr(b, e, 32);
    let score = if version_before(b, start) {
        0.3
    } else if s.context(Kind::IpAddress, start, e) {
        0.65 + CONTEXT_BONUS
    } else {
        0.65
    };
    s.push(start, e, Kind::IpAddress, score, "ipv4");
    Some(e)
}

/// What [`parse_v6`] found.
struct V6 {
    end: usize,
    /// Groups written out (a trailing dotted quad counts as two).
    groups: u8,
    compressed: bool,
    v4: bool,
    /// Length of the first group when the address does not start with `::`.
    first_len: usize,
    /// Whether the first group holds a digit.
    first_digit: bool,
}

/// Parses an IPv6 address (without zone or prefix length) at `i`.
fn parse_v6(b: &[u8], i: usize) -> Option<V6> {
    let n = b.len();
    let mut p = i;
    let mut v = V6 { end: i, groups: 0, compressed: false, v4: false, first_len: 0, first_digit: false };
    if b[p..].starts_with(b"::") {
        v.compressed = true;
        p += 2;
    }
    loop {
        let gs = p;
        while p < n && p - gs < 5 && b[p].is_ascii_hexdigit() {
            p += 1;
        }
        let glen = p - gs;
        if glen == 0 {
            break;
        }
        if glen > 4 {
            return None;
        }
        if b.get(p) == Some(&b'.') && (v.compressed || v.groups == 6) && v.groups <= 6 && (v.groups > 0 || v.compressed)
        {
            // An embedded IPv4 address; otherwise the `.` ends the address (a full stop).
            if let Some(q) = parse_v4(b, gs) {
                p = q;
                v.groups += 2;
                v.v4 = true;
                break;
            }
        }
        if v.groups == 0 && !v.compressed {
            v.first_len = glen;
            v.first_digit = b[gs..p].iter().any(u8::is_ascii_digit);
        }
        v.groups += 1;
        if v.groups > 8 {
            return None;
        }
        if b[p..].starts_with(b"::") {
            if v.compressed {
                return None;
            }
            v.compressed = true;
            p += 2;
            continue;
        }
        if p + 1 < n && b[p] == b':' && b[p + 1].is_ascii_hexdigit() {
            p += 1;
            continue;
        }
        break;
    }
    let ok = if v.compressed { v.groups <= 7 } else { v.groups == 8 };
    if !ok || !b[i..p].iter().any(u8::is_ascii_digit) {
        return None;
    }
    v.end = p;
    Some(v)
}

/// True when nothing right after an address at `e` continues it.
fn v6_tail_ok(s: &Scanner<'_>, e: usize) -> bool {
    let b = s.b;
    match b.get(e) {
        None => true,
        Some(&c) if c == b':' || c == b'.' => !b.get(e + 1).is_some_and(u8::is_ascii_hexdigit),
        Some(_) => s.boundary_after(e),
    }
}

fn v6_score(s: &Scanner<'_>, v: &V6, start: usize, end: usize) -> f32 {
    let base = if !v.compressed || v.v4 {
        0.8
    } else if v.groups >= 3 {
        0.75
    } else if (v.first_len >= 3 && v.first_digit) || &s.b[start..v.end] == b"::1" {
        0.7
    } else {
        0.4
    };
    if s.context(Kind::IpAddress, start, end) { base + CONTEXT_BONUS } else { base }
}

/// IPv6 starting at `t` and covering the digit run at `run`; reports it and returns its end.
fn ipv6_at(s: &mut Scanner<'_>, t: usize, run: usize) -> Option<usize> {
    let v = parse_v6(s.b, t)?;
    if v.end <= run || !v6_tail_ok(s, v.end) {
        return None;
    }
    let e = cidr(s.b, v.end, 128);
    let score = v6_score(s, &v, t, e);
    s.push(t, e, Kind::IpAddress, score, "ipv6");
    Some(e)
}

/// MAC address starting at `t` with separator `sep` (`:` or `-`: six pairs; `.`: three
/// groups of four). Reports it and returns its end.
fn mac_at(s: &mut Scanner<'_>, t: usize, sep: u8) -> Option<usize> {
    let b = s.b;
    let (groups, width) = if sep == b'.' { (3, 4) } else { (6, 2) };
    let mut p = t;
    for g in 0..groups {
        if p + width > b.len() || !b[p..p + width].iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        p += width;
        if g + 1 < groups {
            if b.get(p) != Some(&sep) {
                return None;
            }
            p += 1;
        }
    }
    let continues = match b.get(p) {
        None => false,
        Some(&c) if c == sep || c == b':' || c == b'-' || c == b'.' => b.get(p + 1).is_some_and(u8::is_ascii_hexdigit),
        Some(_) => !s.boundary_after(p),
    };
    if continues {
        return None;
    }
    // The null and broadcast addresses identify no device.
    if b[t..p].iter().all(|&c| c == b'0' || c == sep)
        || b[t..p].iter().all(|&c| c.eq_ignore_ascii_case(&b'F') || c == sep)
    {
        return None;
    }
    let letters = b[t..p].iter().any(u8::is_ascii_alphabetic);
    let base = match (sep, letters) {
        (b':', true) => 0.85,
        (b':', false) => 0.6,
        (b'-', true) => 0.8,
        (b'-', false) => 0.45,
        (_, true) => 0.75,
        (_, false) => 0.4,
    };
    let score = if s.context(Kind::MacAddress, t, p) { base + CONTEXT_BONUS } else { base };
    s.push(t, p, Kind::MacAddress, score, "mac");
    Some(p)
}

/// How far after a MAC keyword a MAC address without digits is looked for.
const MAC_WORD_WINDOW: usize = 48;

/// Handler of `MAC`, `hardware address` and `physical address`: a MAC address made of
/// letters only (`AA:BB:CC:DD:EE:FF`) has no digit run to anchor it, so it is looked for in
/// the [`MAC_WORD_WINDOW`] bytes after such a word. Addresses with a digit are left to
/// the digit anchor.
fn at_mac_word(s: &mut Scanner<'_>, _ks: usize, ke: usize) {
    if !s.wants(Kind::MacAddress) {
        return;
    }
    let b = s.b;
    let lim = (ke + MAC_WORD_WINDOW).min(b.len());
    let mut i = ke;
    while i < lim {
        let start_ok = b[i].is_ascii_hexdigit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        let sep = match (b.get(i + 2), b.get(i + 4)) {
            (Some(&c @ (b':' | b'-')), _) => c,
            (_, Some(b'.')) => b'.',
            _ => 0,
        };
        let width = if sep == b'.' { 14 } else { 17 };
        if start_ok && sep != 0 && i + width <= b.len() && !b[i..i + width].iter().any(u8::is_ascii_digit) {
            if let Some(e) = mac_at(s, i, sep) {
                i = e;
                continue;
            }
        }
        i += 1;
    }
}

// ---------------------------------------------------------------------------------------
// URLs.
// ---------------------------------------------------------------------------------------

/// Schemes reported as URLs, longest first where one ends another.
const SCHEMES: &[&str] = &[
    "https",
    "http",
    "ftps",
    "sftp",
    "ftp",
    "wss",
    "ws",
    "postgresql",
    "postgres",
    "mysql",
    "mariadb",
    "mongodb+srv",
    "mongodb",
    "rediss",
    "redis",
    "amqps",
    "amqp",
    "ldaps",
    "ldap",
    "smtps",
    "smtp",
    "ssh",
];

const URL_SCORE: f32 = 0.7;
const WWW_SCORE: f32 = 0.6;
const CREDENTIALS_SCORE: f32 = 0.95;
const TOKEN_SCORE: f32 = 0.9;
/// Shortest query-parameter value reported as a secret.
const MIN_PARAM_VALUE: usize = 6;
/// At most this many secret parameters are split out of one URL.
const MAX_PARAM_SECRETS: usize = 8;

/// Classes of URL bytes: [`U_STOP`] ends a URL, [`U_OK`] continues it, [`U_UTF8`] starts
/// a non-ASCII character (a letter or digit continues the URL), [`U_OPEN`] / [`U_CLOSE`]
/// are brackets, kept only when balanced.
static URL_BYTES: [u8; 256] = {
    let mut t = [U_STOP; 256];
    let mut c = 0x21;
    while c < 0x7f {
        t[c] = U_OK;
        c += 1;
    }
    let mut c = 0x80;
    while c < 0x100 {
        t[c] = U_UTF8;
        c += 1;
    }
    let stop = [b'"', b'<', b'>', b'\\', b'^', b'`', b'{', b'|', b'}'];
    let mut i = 0;
    while i < stop.len() {
        t[stop[i] as usize] = U_STOP;
        i += 1;
    }
    t[b'(' as usize] = U_OPEN;
    t[b'[' as usize] = U_OPEN;
    t[b')' as usize] = U_CLOSE;
    t[b']' as usize] = U_CLOSE;
    t
};
const U_STOP: u8 = 0;
const U_OK: u8 = 1;
const U_UTF8: u8 = 2;
const U_OPEN: u8 = 3;
const U_CLOSE: u8 = 4;

/// Length of the non-ASCII character at `p` if it is a letter or digit, else 0.
#[cold]
fn alnum_char_len(s: &Scanner<'_>, p: usize) -> usize {
    match s.char_at(p) {
        Some(ch) if ch.is_alphanumeric() => ch.len_utf8(),
        _ => 0,
    }
}

/// End of the authority (user information, host, port) starting at `p`, and the last `@`
/// in it.
fn authority(s: &Scanner<'_>, mut p: usize, cap: usize) -> (usize, Option<usize>) {
    let b = s.b;
    let mut at = None;
    while p < cap {
        let c = b[p];
        match URL_BYTES[usize::from(c)] {
            U_OK => {
                if c == b'/' || c == b'?' || c == b'#' {
                    break;
                }
                if c == b'@' {
                    at = Some(p);
                }
                p += 1;
            }
            U_UTF8 => match alnum_char_len(s, p) {
                0 => break,
                l => p += l,
            },
            // Brackets hold IPv6 literals; parentheses end the authority.
            U_OPEN | U_CLOSE if c == b'[' || c == b']' => p += 1,
            _ => break,
        }
    }
    (p, at)
}

/// End of the path, query and fragment starting at `p`: stops at a byte that cannot be
/// in a URL and at a closing bracket without its opening one.
fn path_end(s: &Scanner<'_>, mut p: usize, cap: usize) -> usize {
    let b = s.b;
    let (mut paren, mut square) = (0u32, 0u32);
    while p < cap {
        let c = b[p];
        match URL_BYTES[usize::from(c)] {
            U_OK => p += 1,
            U_UTF8 => match alnum_char_len(s, p) {
                0 => break,
                l => p += l,
            },
            U_OPEN => {
                if c == b'(' {
                    paren += 1;
                } else {
                    square += 1;
                }
                p += 1;
            }
            U_CLOSE => {
                let depth = if c == b')' { &mut paren } else { &mut square };
                if *depth == 0 {
                    break;
                }
                *depth -= 1;
                p += 1;
            }
            _ => break,
        }
    }
    p
}

/// Length of a host-label character at `p` (ASCII letter, digit, `-`, `_`, or a letter
/// or digit of any script), else 0.
#[inline]
fn label_char(s: &Scanner<'_>, p: usize) -> usize {
    let c = s.b[p];
    if c < 0x80 { usize::from(c.is_ascii_alphanumeric() || c == b'-' || c == b'_') } else { alnum_char_len(s, p) }
}

/// A parsed host: its end, the number of labels and where the last label starts.
struct Host {
    end: usize,
    labels: usize,
    last: usize,
}

/// Parses a host at `p` (a bracketed IPv6 literal or dot-separated labels), before `cap`.
fn parse_host(s: &Scanner<'_>, p: usize, cap: usize) -> Option<Host> {
    let b = s.b;
    if p >= cap {
        return None;
    }
    if b[p] == b'[' {
        let lim = (p + 64).min(cap);
        let mut q = p + 1;
        while q < lim && (b[q].is_ascii_alphanumeric() || matches!(b[q], b':' | b'.' | b'%')) {
            q += 1;
        }
        return if q < lim && b[q] == b']' && q > p + 2 { Some(Host { end: q + 1, labels: 1, last: p }) } else { None };
    }
    if label_char(s, p) == 0 || b[p] == b'-' || b[p] == b'_' {
        return None;
    }
    let mut q = p;
    let mut labels = 0;
    let mut last = p;
    loop {
        let ls = q;
        while q < cap {
            let l = label_char(s, q);
            if l == 0 {
                break;
            }
            q += l;
        }
        if q == ls {
            // An empty label: the host ends before the dot.
            q = ls - 1;
            break;
        }
        labels += 1;
        last = ls;
        if q < cap && b[q] == b'.' {
            q += 1;
        } else {
            break;
        }
    }
    Some(Host { end: q, labels, last })
}

/// True when a top-level label `b[from..to]` is alphabetic (any script, 2+ characters) or
/// punycode.
fn tld_ok(s: &Scanner<'_>, from: usize, to: usize) -> bool {
    let Some(t) = s.text.get(from..to) else { return false };
    (t.len() > 4 && t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
        || (t.chars().count() >= 2 && t.chars().all(char::is_alphabetic))
}

/// Keyword `://`: a URL with a scheme.
fn at_scheme(s: &mut Scanner<'_>, k: usize, ke: usize) {
    if !s.wants(Kind::Url) && !s.wants(Kind::Secret) {
        return;
    }
    let Some(st) = scheme_start(s, k) else { return };
    if inside_url(s, st) {
        return;
    }
    url(s, st, ke, false);
}

/// True when a URL starting at `st` is part of the path or query of another one
/// (`https://web.archive.org/web/2012/http://...`, `...?url=https://...`): then that URL
/// covers it. Looks at most [`NESTED_MAX`] bytes left.
fn inside_url(s: &Scanner<'_>, st: usize) -> bool {
    let b = s.b;
    if st == 0 || !matches!(b[st - 1], b'/' | b'=') {
        return false;
    }
    let lim = st.saturating_sub(NESTED_MAX);
    let mut p = st - 1;
    while p > lim && URL_BYTES[usize::from(b[p - 1])] != U_STOP && b[p - 1] < 0x80 {
        p -= 1;
        if b[p..].starts_with(b"://") && scheme_start(s, p).is_some() {
            return true;
        }
    }
    false
}

/// Where the scheme of a `://` at `k` starts, if it is one of [`SCHEMES`] at a word start.
fn scheme_start(s: &Scanner<'_>, k: usize) -> Option<usize> {
    let head = &s.b[..k];
    let len = SCHEMES
        .iter()
        .map(|sc| sc.as_bytes())
        .find(|sc| sc.len() <= k && head[k - sc.len()..].eq_ignore_ascii_case(sc))
        .map(<[u8]>::len)?;
    let st = k - len;
    s.boundary_before(st).then_some(st)
}

/// Keyword `www.`: a URL without scheme.
fn at_www(s: &mut Scanner<'_>, k: usize, _ke: usize) {
    if !s.wants(Kind::Url) && !s.wants(Kind::Secret) {
        return;
    }
    let b = s.b;
    // After a known scheme the `://` keyword has it; protocol-relative `//www.` is one
    // without scheme. Otherwise `www.` must start a word, not continue a host, a path or
    // an e-mail domain.
    let after_scheme = k >= 3 && &b[k - 3..k] == b"://";
    if after_scheme && scheme_start(s, k - 3).is_some() {
        return;
    }
    let protocol_relative = k >= 2 && &b[k - 2..k] == b"//";
    if !protocol_relative && k > 0 && matches!(b[k - 1], b'.' | b'@' | b'/' | b'-' | b':') {
        return;
    }
    if !s.boundary_before(k) {
        return;
    }
    url(s, k, k, true);
}

/// The URL starting at `st` whose authority starts at `auth` (`st == auth` for `www.`).
fn url(s: &mut Scanner<'_>, st: usize, auth: usize, www: bool) {
    let b = s.b;
    let cap = cap_at(s.text, st + URL_MAX);
    if auth >= cap {
        return;
    }

    // Authority: the last `@` before the path is the end of the user information.
    let (_, mut at) = authority(s, auth, cap);
    if www {
        at = None;
    }
    let host_start = at.map_or(auth, |a| a + 1);
    let Some(host) = parse_host(s, host_start, cap) else { return };
    if www && (host.labels < 3 || !tld_ok(s, host.last, host.end)) {
        return;
    }

    // Port, then path, query and fragment.
    let mut end = host.end;
    if end + 1 < cap && b[end] == b':' && b[end + 1].is_ascii_digit() {
        let mut q = end + 1;
        while q < cap && q - end <= 6 && b[q].is_ascii_digit() {
            q += 1;
        }
        end = q;
    }
    if end < cap && matches!(b[end], b'/' | b'?' | b'#') {
        end = path_end(s, end, cap);
    }
    let end = trim_url(b, st, end);
    if end <= host_start {
        return;
    }

    // Secrets in the URL.
    let mut creds: Option<(usize, usize)> = None;
    if let Some(a) = at {
        let info = &b[auth..a];
        match info.iter().position(|&c| c == b':') {
            Some(c) if c + 1 < info.len() => creds = Some((if c == 0 { auth + 1 } else { auth }, a)),
            Some(_) => {}
            None => {
                if info.len() >= 20 && info.iter().any(u8::is_ascii_digit) && info.iter().any(u8::is_ascii_alphabetic) {
                    creds = Some((auth, a));
                }
            }
        }
    }
    let mut params = [(0usize, 0usize); MAX_PARAM_SECRETS];
    let np = query_secrets(b, host.end, end, &mut params);
    let want_secret = s.wants(Kind::Secret);

    let url_start = match creds {
        Some((_, a)) => a + 1,
        None => st,
    };
    let url_end = if np > 0 { params[0].0 } else { end };

    if let (Some((cs, ce)), true) = (creds, want_secret) {
        // The e-mail detector reports `local@domain` around this `@`; make sure one of our
        // spans is longer, or report credentials and the rest as one secret.
        let mut ls = ce;
        while ls > cs
            && (b[ls - 1].is_ascii_alphanumeric()
                || b[ls - 1] >= 0x80
                || matches!(b[ls - 1], b'.' | b'_' | b'%' | b'+' | b'-'))
        {
            ls -= 1;
        }
        let email_max = (ce - ls) + (host.end - ce);
        let url_len = if s.wants(Kind::Url) { url_end - url_start } else { 0 };
        let creds_wins = ce - cs > email_max;
        let url_wins = url_len > email_max;
        // Whether the e-mail detector can see an address here: a dotted host with an
        // alphabetic top-level label (its domain stops at `_`, so assume it can then).
        let email_possible =
            b[host_start..host.end].contains(&b'_') || (host.labels >= 2 && tld_ok(s, host.last, host.end));
        if !(creds_wins || url_wins) && email_possible && s.wants(Kind::EmailAddress) && ce > ls {
            s.push(cs, end, Kind::Secret, CREDENTIALS_SCORE, "url_credentials");
            return;
        }
        s.push(cs, ce, Kind::Secret, CREDENTIALS_SCORE, "url_credentials");
    }
    if s.wants(Kind::Url) && url_end > url_start {
        s.push(url_start, url_end, Kind::Url, if www { WWW_SCORE } else { URL_SCORE }, "url");
    }
    if want_secret {
        for &(vs, ve) in &params[..np] {
            s.push(vs, ve, Kind::Secret, TOKEN_SCORE, "url_token");
        }
    }
    // The rest of the URL between and after its secrets ("&uid=8741") is URL too.
    if s.wants(Kind::Url) && np > 0 {
        for i in 0..np {
            let from = params[i].1;
            let to = if i + 1 < np { params[i + 1].0 } else { end };
            if to > from + 1 {
                s.push(from, to, Kind::Url, if www { WWW_SCORE } else { URL_SCORE }, "url");
            }
        }
    }
}

/// The largest char boundary `<= i` (and `<= text.len()`).
fn cap_at(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Drops trailing punctuation from the URL `b[st..end]`.
fn trim_url(b: &[u8], st: usize, mut end: usize) -> usize {
    while end > st && matches!(b[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' | b'*') {
        end -= 1;
    }
    end
}

/// Parameter names whose values are secrets, lower case without `_`, `-` and `.`.
const SECRET_PARAMS: &[&[u8]] = &[
    b"token",
    b"key",
    b"secret",
    b"password",
    b"passwd",
    b"pwd",
    b"pass",
    b"sig",
    b"signature",
    b"auth",
    b"code",
    b"jwt",
    b"bearer",
    b"accesskey",
    b"secretkey",
    b"privatekey",
    b"sessionid",
    b"xamzcredential",
];

/// Endings of parameter names whose values are secrets (same normalisation).
const SECRET_PARAM_ENDINGS: &[&[u8]] = &[b"token", b"secret", b"apikey", b"password", b"signature"];

/// True when a query parameter called `name` carries a secret.
fn secret_param(name: &[u8]) -> bool {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for &c in name {
        if matches!(c, b'_' | b'-' | b'.') {
            continue;
        }
        if n == buf.len() || !c.is_ascii_alphanumeric() {
            return false;
        }
        buf[n] = c.to_ascii_lowercase();
        n += 1;
    }
    let w = &buf[..n];
    !w.is_empty() && (SECRET_PARAMS.contains(&w) || SECRET_PARAM_ENDINGS.iter().any(|e| w.ends_with(e)))
}

/// Values of secret parameters in the query and fragment of `b[from..end]`; returns how
/// many were written to `out`, in order.
fn query_secrets(b: &[u8], from: usize, end: usize, out: &mut [(usize, usize)]) -> usize {
    let Some(q) = memchr::memchr2(b'?', b'#', &b[from..end]) else { return 0 };
    let mut n = 0;
    let mut p = from + q + 1;
    while p < end && n < out.len() {
        let mut e = p;
        while e < end && !matches!(b[e], b'&' | b';' | b'#' | b'?') {
            e += 1;
        }
        if let Some(eq) = b[p..e].iter().position(|&c| c == b'=') {
            let (vs, ve) = (p + eq + 1, e);
            if ve - vs >= MIN_PARAM_VALUE && secret_param(&b[p..p + eq]) {
                out[n] = (vs, ve);
                n += 1;
            }
        }
        p = e + 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_octets() {
        assert_eq!(parse_v4(b"192.168.0.1", 0), Some(11));
        assert_eq!(parse_v4(b"255.255.255.255", 0), Some(15));
        assert_eq!(parse_v4(b"256.1.1.1", 0), None);
        assert_eq!(parse_v4(b"01.1.1.1", 0), None);
        assert_eq!(parse_v4(b"1.1.1", 0), None);
        assert_eq!(parse_v4(b"1.1.1.1234", 0), None);
    }

    #[test]
    fn v6_forms() {
        let ok = |t: &str| parse_v6(t.as_bytes(), 0).map(|v| v.end);
        assert_eq!(ok("2001:db8:85a3:0:0:8a2e:370:7334"), Some(31));
        assert_eq!(ok("::1"), Some(3));
        assert_eq!(ok("fe80::"), Some(6));
        assert_eq!(ok("::ffff:192.0.2.1"), Some(16));
        assert_eq!(ok("::"), None);
        assert_eq!(ok("1::2::3"), None);
        assert_eq!(ok("1:2:3:4:5:6:7"), None);
        assert_eq!(ok("1:2:3:4:5:6:7:8:9"), None);
        assert_eq!(ok("12345::1"), None);
    }

    #[test]
    fn secret_param_names() {
        for n in ["token", "access_token", "api_key", "apiKey", "X-Amz-Signature", "client_secret", "sig", "code"] {
            assert!(secret_param(n.as_bytes()), "{n}");
        }
        for n in ["page", "lang", "q", "utm_source", "monkey", "keyword"] {
            assert!(!secret_param(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn version_words() {
        assert!(version_before(b"version 10.0.0.1", 8));
        assert!(version_before(b"Ver. 1.2.3.4", 5));
        assert!(!version_before(b"conversion 1.2.3.4", 11));
        assert!(!version_before(b"ipv4: 1.2.3.4", 6));
    }
}
