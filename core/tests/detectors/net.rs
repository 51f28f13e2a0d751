// Tables for the net detectors: IP_ADDRESS, MAC_ADDRESS, URL and the secrets in URLs.
//
// Most tables use an engine limited to these kinds plus e-mail, so that look-alikes
// (times, dates, version strings) another family reports do not change the expectation.

use std::sync::OnceLock;

use lucairn_core::{Engine, Policy};

const IP: &str = "IP_ADDRESS";
const MAC: &str = "MAC_ADDRESS";
const URL: &str = "URL";
const SEC: &str = "SECRET";
const EMAIL: &str = "EMAIL_ADDRESS";

fn engine_with(only: &str) -> Engine {
    let p = Policy::parse(&format!(r#"{{"only": [{only}]}}"#)).expect("policy");
    Engine::new(p).expect("engine")
}

fn net() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| engine_with(r#""IP_ADDRESS", "MAC_ADDRESS", "URL", "SECRET", "EMAIL_ADDRESS""#))
}

macro_rules! n {
    ($text:expr => [$(($kind:expr, $val:expr)),* $(,)?]) => {{
        let want: Vec<(String, String)> = vec![$(($kind.to_string(), $val.to_string())),*];
        assert_eq!(crate::detectors::found(net(), $text), want, "text: {:?}", $text);
    }};
}

#[test]
fn ipv4() {
    n!("server at 192.168.0.1 is down" => [(IP, "192.168.0.1")]);
    n!("10.0.0.0/8 and 172.16.0.0/12." => [(IP, "10.0.0.0/8"), (IP, "172.16.0.0/12")]);
    n!("(8.8.8.8)" => [(IP, "8.8.8.8")]);
    n!("255.255.255.255, 0.0.0.0" => [(IP, "255.255.255.255"), (IP, "0.0.0.0")]);
    n!("connect to 127.0.0.1:8080 now" => [(IP, "127.0.0.1")]);
    n!("range 10.1.1.1-10.1.1.9" => [(IP, "10.1.1.1"), (IP, "10.1.1.9")]);
    n!("ip=203.0.113.7;" => [(IP, "203.0.113.7")]);
    n!("a /40 is not a prefix: 10.0.0.0/40" => [(IP, "10.0.0.0")]);
}

#[test]
fn ipv4_look_alikes() {
    n!("version 1.2.3.4 ships today" => []);
    n!("Version: 10.0.0.1" => []);
    n!("firmware 4.1.2.10 and ver. 2.0.0.1" => []);
    n!("v1.2.3.4 and build-1.2.3.4x" => []);
    n!("1.2.3.4.5 is a longer number" => []);
    n!("oid 1.3.6.1.4.1.311.21" => []);
    n!("256.1.1.1 and 1.2.3.256" => []);
    n!("leading zeros 010.001.001.001" => []);
    n!("pi is 3.14159 and 1.5.2 is semver" => []);
    n!("prices 1.299.000 and 12.05.2023" => []);
    n!("12:30:45.123" => []);
}

#[test]
fn ipv6() {
    n!("host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up" => [(IP, "2001:0db8:85a3:0000:0000:8a2e:0370:7334")]);
    n!("2001:db8:85a3:0:0:8a2e:370:7334." => [(IP, "2001:db8:85a3:0:0:8a2e:370:7334")]);
    n!("loopback ::1 and fe80::1%eth0" => [(IP, "::1"), (IP, "fe80::1")]);
    n!("prefix 2001:db8::/32 routed" => [(IP, "2001:db8::/32")]);
    n!("mapped ::ffff:192.0.2.1 here" => [(IP, "::ffff:192.0.2.1")]);
    n!("nat64 64:ff9b::192.0.2.33" => [(IP, "64:ff9b::192.0.2.33")]);
    n!("[2001:db8::8a2e:370:7334]" => [(IP, "2001:db8::8a2e:370:7334")]);
    n!("full with v4 0:0:0:0:0:ffff:192.0.2.1" => [(IP, "0:0:0:0:0:ffff:192.0.2.1")]);
    n!("upper case FE80::ABCD:1" => [(IP, "FE80::ABCD:1")]);
}

#[test]
fn ipv6_look_alikes() {
    n!("meet at 10:30:00 or 10:30" => []);
    n!("std::vector<int> and crate::io::Read" => []);
    n!("a::b and c::d1 and Foo::bar" => []);
    n!("python a[1::2] and b[::-1] and c[::2]" => []);
    n!("a lone :: here" => []);
    n!("1:2:3:4:5:6:7 is seven groups" => []);
    n!("1::2::3 is not an address" => []);
    n!("12345::1 has a long group" => []);
}

#[test]
fn ipv6_short_forms_need_context() {
    n!("slice 1::2" => []);
    n!("ipv6 1::2" => [(IP, "1::2")]);
}

#[test]
fn mac() {
    n!("eth0 00:1A:2B:3C:4D:5E up" => [(MAC, "00:1A:2B:3C:4D:5E")]);
    n!("a4-5e-60-c2-1b-07." => [(MAC, "a4-5e-60-c2-1b-07")]);
    n!("cisco 0011.22aa.4455" => [(MAC, "0011.22aa.4455")]);
    n!("ab:cd:ef:01:23:45" => [(MAC, "ab:cd:ef:01:23:45")]);
    n!("00:11:22:33:44:55" => [(MAC, "00:11:22:33:44:55")]);
    n!("MAC address 00-11-22-33-44-55" => [(MAC, "00-11-22-33-44-55")]);
}

#[test]
fn mac_look_alikes() {
    n!("call 12-34-56-78-90-12 now" => []);
    n!("ref 1234.5678.9012" => []);
    n!("00:11:22:33:44:55:66 has seven pairs" => []);
    n!("uuid 123e4567-e89b-12d3-a456-426614174000" => []);
    n!("sha e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" => []);
    n!("sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709" => []);
    n!("00:1A:2B:3C:4D:5Eg" => []);
}

#[test]
fn url() {
    n!("see https://example.com/a/b?x=1#top." => [(URL, "https://example.com/a/b?x=1#top")]);
    n!("(see https://en.wikipedia.org/wiki/Foo_(bar))" => [(URL, "https://en.wikipedia.org/wiki/Foo_(bar)")]);
    n!("[link](http://example.org/x)" => [(URL, "http://example.org/x")]);
    n!("<https://example.com/>," => [(URL, "https://example.com/")]);
    n!("\"ftp://files.example.net/pub/a.txt\"" => [(URL, "ftp://files.example.net/pub/a.txt")]);
    n!("wss://chat.example.com:8443/socket!" => [(URL, "wss://chat.example.com:8443/socket")]);
    n!("HTTPS://EXAMPLE.COM/Path" => [(URL, "HTTPS://EXAMPLE.COM/Path")]);
    n!("go to www.example.co.uk/about, then" => [(URL, "www.example.co.uk/about")]);
    n!("<img src=\"//www.example.com/a.png\">" => [(URL, "www.example.com/a.png")]);
    n!("gopher://www.example.com/x" => [(URL, "www.example.com/x")]);
    n!("idn https://bücher.example/straße?q=ü ok" => [(URL, "https://bücher.example/straße?q=ü")]);
    n!("http://例え.テスト/パス です" => [(URL, "http://例え.テスト/パス")]);
    n!("local http://localhost:3000/api" => [(URL, "http://localhost:3000/api")]);
    n!("ip http://10.0.0.1/admin" => [(URL, "http://10.0.0.1/admin")]);
    n!("v6 http://[2001:db8::1]:8080/x" => [(URL, "http://[2001:db8::1]:8080/x")]);
    n!("git+https://example.com/r.git" => [(URL, "https://example.com/r.git")]);
    n!("json {\"u\":\"https://example.com/a\\nb\"}" => [(URL, "https://example.com/a")]);
    n!("a https://example.com/path?q=a b" => [(URL, "https://example.com/path?q=a")]);
    n!("[https://example.com](https://example.com/docs)." =>
        [(URL, "https://example.com"), (URL, "https://example.com/docs")]);
    n!("http://example.com/list?ids[]=1&ids[]=2 ok" => [(URL, "http://example.com/list?ids[]=1&ids[]=2")]);
    n!("«https://example.com/a»" => [(URL, "https://example.com/a")]);
    // A URL inside another one is part of it; on its own after `=` it is still a URL.
    n!("https://web.archive.org/web/2012/http://example.com/a" =>
        [(URL, "https://web.archive.org/web/2012/http://example.com/a")]);
    n!("https://img.example.io/badge?url=https://example.com/b.json&x=1" =>
        [(URL, "https://img.example.io/badge?url=https://example.com/b.json&x=1")]);
    n!("HOMEPAGE=https://example.com/home" => [(URL, "https://example.com/home")]);
}

#[test]
fn url_look_alikes() {
    n!("mailto:x and xhttp://example.com and gopher://example.com" => []);
    n!("https:// and http://-bad and https://?q" => []);
    n!("www.example and www. alone" => []);
    n!("the wwww.example.com typo" => []);
}

#[test]
fn url_length_is_capped() {
    let text = format!("https://example.com/{}", "a".repeat(5000));
    let f = net().scan(&text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].span.start, 0);
    assert_eq!(f[0].span.len(), 2048);
}

#[test]
fn url_credentials() {
    n!("db postgres://app:s3cr3t@db.internal:5432/app ok" => [(SEC, "app:s3cr3t"), (URL, "db.internal:5432/app")]);
    n!("https://deploy:hunter2@git.example.com/org/repo.git" =>
        [(SEC, "deploy:hunter2"), (URL, "git.example.com/org/repo.git")]);
    n!("https://verylongusername.ops:pw@example.com" => [(SEC, "verylongusername.ops:pw"), (URL, "example.com")]);
    n!("ftp://:token123@ftp.example.org/pub/dir/file" => [(SEC, "token123"), (URL, "ftp.example.org/pub/dir/file")]);
    n!("ssh://git@example.com/repo.git" => [(URL, "ssh://git@example.com/repo.git")]);
    // No e-mail address is possible on an IP host: the usual two spans.
    n!("redis://:s3cr3tpass@10.0.0.5/0" => [(SEC, "s3cr3tpass"), (URL, "10.0.0.5/0")]);
}

#[test]
fn url_credentials_beat_the_email_candidate() {
    // The e-mail detector sees `hunter2@example.com` (or longer): it must never win.
    n!("https://admin:hunter2@example.com/ now" => [(SEC, "admin:hunter2@example.com/")]);
    n!("https://a:correcthorsebatterystaple@mail.example.com" => [(SEC, "a:correcthorsebatterystaple@mail.example.com")]);
    // Without the e-mail detector the spans are the usual two.
    let e = engine_with(r#""URL", "SECRET""#);
    let text = "https://admin:hunter2@example.com/ now";
    assert_eq!(
        crate::detectors::found(&e, text),
        [(SEC.to_string(), "admin:hunter2".to_string()), (URL.to_string(), "example.com/".to_string())]
    );
    // A plain e-mail address next to a URL is still an e-mail address.
    n!("mail bob@example.com or https://example.com/x" => [(EMAIL, "bob@example.com"), (URL, "https://example.com/x")]);
}

#[test]
fn url_token_parameters() {
    n!("https://api.example.com/v1/items?api_key=AbC123xyz789&page=2 done" =>
        [(URL, "https://api.example.com/v1/items?api_key="), (SEC, "AbC123xyz789"), (URL, "&page=2")]);
    n!("https://example.com/cb#access_token=ya29.a0AfH6SMBx&token_type=Bearer" =>
        [(URL, "https://example.com/cb#access_token="), (SEC, "ya29.a0AfH6SMBx"), (URL, "&token_type=Bearer")]);
    n!("https://s3.example.com/b/o?X-Amz-Expires=60&X-Amz-Signature=9f8e7d6c5b4a&x=1" =>
        [(URL, "https://s3.example.com/b/o?X-Amz-Expires=60&X-Amz-Signature="), (SEC, "9f8e7d6c5b4a"), (URL, "&x=1")]);
    n!("https://x.example.com/?token=abcdef123&sig=zyxwvu987654" =>
        [(URL, "https://x.example.com/?token="), (SEC, "abcdef123"), (URL, "&sig="), (SEC, "zyxwvu987654")]);
    // Short values and ordinary parameters are just part of the URL.
    n!("https://example.com/?code=42&lang=en&key=ab" => [(URL, "https://example.com/?code=42&lang=en&key=ab")]);
    n!("https://example.com/search?keyword=monkeys&page=3" => [(URL, "https://example.com/search?keyword=monkeys&page=3")]);
}

#[test]
fn url_credentials_and_token() {
    n!("https://user:pa55word@api.example.com/v2/data?token=Zm9vYmFyYmF6 x" =>
        [(SEC, "user:pa55word"), (URL, "api.example.com/v2/data?token="), (SEC, "Zm9vYmFyYmF6")]);
}

#[test]
fn urls_in_the_default_engine() {
    t!("docs at https://docs.example.org/guide/intro" => [(URL, "https://docs.example.org/guide/intro")]);
}

#[test]
fn random_network_text_keeps_the_invariants() {
    let pieces = [
        "1", "12", "255", "0", ".", ":", "::", "-", "/", "a", "f", "ff", "fe80", "g", "[", "]", "(", ")", "@", "?",
        "&", "=", "#", "%", " ", "\n", "é", "例", "😀", "\u{a0}", "http", "https", "://", "www.", "token=", "user:pw@",
        "v", "version ", "/24", "com", "xn--", "_", "'", "\"", "\\",
    ];
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..4000 {
        let mut text = String::new();
        for _ in 0..(x % 60) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        crate::detectors::found(net(), &text);
    }
}

#[test]
fn long_runs_do_not_blow_up() {
    for unit in ["1:", "1.", "1-", "a:", "::", "://", "https://a", "www.a.", "1:1::", "ab", "[(", "))"] {
        let text = unit.repeat(200_000 / unit.len());
        crate::detectors::found(net(), &text);
    }
}
