// Tables for the secret detectors. All keys below are made up.
//
// Tokens contain digit runs other families look at, so the tables use an engine limited
// to SECRET (and URL where a URL is part of the text).

use std::sync::OnceLock;

use lucairn_core::{Engine, Policy};

const SEC: &str = "SECRET";
const URL: &str = "URL";

fn secrets() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(Policy::parse(r#"{"only": ["SECRET", "URL"]}"#).expect("policy")).expect("engine"))
}

macro_rules! s {
    ($text:expr => [$(($kind:expr, $val:expr)),* $(,)?]) => {{
        let want: Vec<(String, String)> = vec![$(($kind.to_string(), $val.to_string())),*];
        assert_eq!(crate::detectors::found(secrets(), $text), want, "text: {:?}", $text);
    }};
}

/// The detector that reported the only finding in `text`.
fn detector(text: &str) -> &'static str {
    let f = secrets().scan(text);
    assert_eq!(f.len(), 1, "{text:?}: {f:?}");
    f[0].detector
}

const OPENAI: &str = "sk-U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8Oool8DklZDOCj2ISaJ";
const OPENAI_PROJ: &str =
    "sk-proj-iHkTj0rLGlkoMXGjtEkDnNfribxUdl7dXTPyLsxP-FkThf4VucSmEHgaKwVJ7_faC9qEwjky40UVsWmflzdE1F8ResqE";
const ANTHROPIC: &str =
    "sk-ant-api03-DusTpkr0cStY4qWB8dWKnHfDNxSIvPZZ63fFKcZjR4I0b3jRtaWr4Y9OJFLJOqOAf1lLQSAJaiXnkU8I-s2g8nprvDd53AA";
const GITHUB: &str = "ghp_x83rzjZZZZGeoZDMENcKHVmDGAkJiG8XnBE3";
const GITHUB_PAT: &str =
    "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";
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

#[test]
fn provider_keys() {
    s!(&format!("OPENAI_API_KEY={OPENAI}") => [(SEC, OPENAI)]);
    s!(&format!("key: {OPENAI_PROJ}.") => [(SEC, OPENAI_PROJ)]);
    s!(&format!("\"{ANTHROPIC}\"") => [(SEC, ANTHROPIC)]);
    s!("aws AKIAIOSFODNN7EXAMPLE, temp ASIAY34FZKBOKMUTVV7A" =>
        [(SEC, "AKIAIOSFODNN7EXAMPLE"), (SEC, "ASIAY34FZKBOKMUTVV7A")]);
    s!(&format!("token {GITHUB} and {GITHUB_PAT}") => [(SEC, GITHUB), (SEC, GITHUB_PAT)]);
    for p in ["gho_", "ghu_", "ghs_", "ghr_"] {
        let t = format!("{p}x83rzjZZZZGeoZDMENcKHVmDGAkJiG8XnBE3");
        s!(&format!("({t})") => [(SEC, t)]);
    }
    s!("export GITLAB_TOKEN=glpat-hfWuBByReQMsm9Wcz7uW" => [(SEC, "glpat-hfWuBByReQMsm9Wcz7uW")]);
    s!("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ok" =>
        [(SEC, "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")]);
    s!("xoxp-2718281828-3141592653-AbCdEf0123" => [(SEC, "xoxp-2718281828-3141592653-AbCdEf0123")]);
    s!("stripe sk_live_9XFOGOeMVNen5n1Ae6pWzpF1 rk_live_qH6YytwMe4LbyoVFz8uZdZv8 sk_test_FuKKIBJl5dzpJn0meq7WJjjI" => [
        (SEC, "sk_live_9XFOGOeMVNen5n1Ae6pWzpF1"),
        (SEC, "rk_live_qH6YytwMe4LbyoVFz8uZdZv8"),
        (SEC, "sk_test_FuKKIBJl5dzpJn0meq7WJjjI"),
    ]);
    s!("maps key=AIzaCBNR3YbDgbleph1QHt61QTC4XATWS8PHp9N;" => [(SEC, "AIzaCBNR3YbDgbleph1QHt61QTC4XATWS8PHp9N")]);
    s!("Authorization: Bearer lcr_live_4jDPMRCxGgcjBw56EcUngmgMsRcgizeg" =>
        [(SEC, "lcr_live_4jDPMRCxGgcjBw56EcUngmgMsRcgizeg")]);
    s!("lcr_test_8Psh4487Q7j58M1cIaHZcUEq" => [(SEC, "lcr_test_8Psh4487Q7j58M1cIaHZcUEq")]);
}

#[test]
fn detector_names() {
    assert_eq!(detector(OPENAI), "openai");
    assert_eq!(detector(ANTHROPIC), "anthropic");
    assert_eq!(detector("AKIAIOSFODNN7EXAMPLE"), "aws_access_key_id");
    assert_eq!(detector(GITHUB), "github");
    assert_eq!(detector(JWT), "jwt");
    assert_eq!(detector("lcr_live_4jDPMRCxGgcjBw56EcUngmgMsRcgizeg"), "lucairn_key");
}

#[test]
fn strong_prefixes_score_high() {
    for t in [OPENAI, ANTHROPIC, GITHUB, JWT, "AKIAIOSFODNN7EXAMPLE", "lcr_live_4jDPMRCxGgcjBw56EcUngmgMsRcgizeg"] {
        let f = secrets().scan(t);
        assert!(f[0].score >= 0.9, "{t}: {}", f[0].score);
    }
}

#[test]
fn prefix_look_alikes() {
    s!("the sk- prefix, sk-learn, task-force and risk-free" => []);
    s!("sk-this-is-not-a-real-key-at-all-v2 and sk-1234567890123456789012" => []);
    s!("the ghp_ prefix, ghp_short and xghp_x83rzjZZZZGeoZDMENcKHVmDGAkJiG8XnBE3" => []);
    s!("AKIA alone, AKIASHORT1, ASIAPACIFICREGIONSALE, AKIAIOSFODNN7EXAMPLE2" => []);
    s!("glpat-short and xoxb-notatoken and xoxz-123456789012345678901234" => []);
    s!("sk_live_short, AIzaTooShort, lcr_live_short and lcr_other_4jDPMRCxGgcjBw56EcUngmgMsRcgizeg" => []);
    s!("uuid 123e4567-e89b-12d3-a456-426614174000" => []);
    s!("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" => []);
}

#[test]
fn aws_secret_keys_need_context() {
    s!("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" =>
        [(SEC, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]);
    s!("AWS_SECRET_ACCESS_KEY=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"" =>
        [(SEC, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]);
    s!("{\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}" =>
        [(SEC, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]);
    s!("the secret key is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" =>
        [(SEC, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]);
    // 40 base64 characters without context are not a secret.
    s!("blob wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" => []);
    assert_eq!(detector("aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "aws_secret_key");
}

#[test]
fn jwt() {
    s!(&format!("Authorization: Bearer {JWT}") => [(SEC, JWT)]);
    s!(&format!("token=\"{JWT}\".") => [(SEC, JWT)]);
    // Unsecured: empty signature.
    s!("t eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ. ok" =>
        [(SEC, "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.")]);
}

#[test]
fn jwt_length_is_capped() {
    let text = format!("{}.{}", &JWT[..JWT.len() - 44], "A".repeat(9000));
    let f = secrets().scan(&text);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].span.start, f[0].span.len()), (0, 8192));
}

#[test]
fn jwt_look_alikes() {
    // Base64 JSON without the three segments.
    s!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 alone" => []);
    s!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.notjsonpayload.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV" => []);
    // The header does not decode to JSON-looking text.
    s!("eyJBAQIDBAUGBwgJ.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV" => []);
    // A short signature, and a JWT-like run inside a longer base64 string.
    s!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc" => []);
    s!(&format!("QUJD{JWT}") => []);
    s!("data:image/png;base64,WzEsMiwzLDQsNSw2LDcsOCw5XQ==" => []);
}

const PEM: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----";

#[test]
fn pem_private_keys() {
    s!(&format!("key:\n{PEM}\nthanks") => [(SEC, PEM)]);
    let pkcs8 = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----";
    s!(&format!("{{\"key\": \"{pkcs8}\\n\"}}") => [(SEC, pkcs8)]);
    let openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----";
    s!(openssh => [(SEC, openssh)]);
    let encrypted = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\nMHcCAQEEIBkg\n-----END EC PRIVATE KEY-----";
    s!(encrypted => [(SEC, encrypted)]);
}

#[test]
fn pem_unterminated_and_capped() {
    // Up to the end of the base64 body.
    s!("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\nand then prose" =>
        [(SEC, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\nand")]);
    s!("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC" =>
        [(SEC, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC")]);
    // A huge block is cut at 16 KiB.
    let body = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789abcdef\n".repeat(1000);
    let text = format!("-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----");
    let f = secrets().scan(&text);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].span.start, f[0].span.len()), (0, 16 * 1024));
}

#[test]
fn pem_look_alikes() {
    s!("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" => []);
    s!("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----" => []);
    s!("-----BEGIN private key-----" => []);
}

#[test]
fn password_assignments() {
    s!("password=hunter2" => [(SEC, "hunter2")]);
    s!("DB_PASSWORD=Tr0ub4dor&3 next" => [(SEC, "Tr0ub4dor&3")]);
    s!("{\"password\": \"correct horse battery\"}" => [(SEC, "correct horse battery")]);
    s!("'passwd' => 'p@ss w0rd'," => [(SEC, "p@ss w0rd")]);
    s!("Passwort: Geheim123!" => [(SEC, "Geheim123!")]);
    s!("pwd: s3cr3t." => [(SEC, "s3cr3t")]);
    s!("mot de passe : azerty123" => [(SEC, "azerty123")]);
    s!("Mot de passe\u{a0}: Soleil2024" => [(SEC, "Soleil2024")]);
    s!("contraseña: Segura#2024" => [(SEC, "Segura#2024")]);
    s!("Wachtwoord=Welkom01" => [(SEC, "Welkom01")]);
    s!("userPassword := `xyz987`" => [(SEC, "xyz987")]);
    s!("PASSWORD: qwerty\nUSER: bob" => [(SEC, "qwerty")]);
    s!("{\"msg\": \"login with {\\\"password\\\": \\\"hunter2\\\"}\"}" => [(SEC, "hunter2")]);
    s!("password: mañana2024 ok" => [(SEC, "mañana2024")]);
    s!("client_secret=Q2xpZW50U2VjcmV0MTIz&x" => [(SEC, "Q2xpZW50U2VjcmV0MTIz&x")]);
    s!("SECRET: 's3cr3t-value'" => [(SEC, "s3cr3t-value")]);
}

#[test]
fn password_look_alikes() {
    s!("Forgot your password? Reset your Passwort here." => []);
    s!("Your password: must be at least 12 characters" => []);
    s!("password = getpass() and password: self.password" => []);
    s!("password: ${DB_PASSWORD} password=$DB_PASS password=<password>" => []);
    s!("password: ********, password: null, password: str" => []);
    s!("password == other and pwd: /home/anna and passwords: many" => []);
    s!("password: [SECRET_1] and password=\"\"" => []);
    s!("secrets: none; secretary: Anna; a secret: it is" => []);
    s!("password=ab" => []);
}

#[test]
fn password_in_a_url_query() {
    s!("https://example.com/login?user=anna&password=hunter22&next=%2F" =>
        [(URL, "https://example.com/login?user=anna&password="), (SEC, "hunter22"), (URL, "&next=%2F")]);
}

#[test]
fn random_secret_text_keeps_the_invariants() {
    let pieces = [
        "sk-",
        "ant-",
        "proj-",
        "ghp_",
        "github_pat_",
        "glpat-",
        "xoxb-",
        "AKIA",
        "ASIA",
        "AIza",
        "lcr_live_",
        "eyJ",
        "hbGci",
        "OiJ",
        ".",
        "-----BEGIN ",
        "RSA ",
        "PRIVATE KEY",
        "-----",
        "-----END ",
        "password",
        "Passwort",
        "pwd",
        "secret",
        "_access_key",
        " ",
        "=",
        ":",
        "\"",
        "'",
        "\\",
        "\\n",
        "\n",
        "abc",
        "XYZ",
        "0123456789",
        "_",
        "-",
        "é",
        "ñ",
        "😀",
        "\u{a0}",
        "mot de passe",
        "contraseña",
        "?",
        "&",
        "/",
        "+",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..4000 {
        let mut text = String::new();
        for _ in 0..(x % 50) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        crate::detectors::found(secrets(), &text);
    }
}

#[test]
fn long_runs_do_not_blow_up() {
    for unit in ["sk-", "eyJ", "-----BEGIN PRIVATE KEY-----", "password=", "secret key ", "A", "xox", "é"] {
        let text = unit.repeat(200_000 / unit.len());
        crate::detectors::found(secrets(), &text);
    }
}
