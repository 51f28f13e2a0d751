const E: &str = "EMAIL_ADDRESS";

#[test]
fn practical_forms() {
    t!("mail anna.schmidt@example.org today" => [(E, "anna.schmidt@example.org")]);
    t!("x john.doe+news@mail.eu.example.com." => [(E, "john.doe+news@mail.eu.example.com")]);
    t!("<first_last-1%x@sub.domain.co.uk>" => [(E, "first_last-1%x@sub.domain.co.uk")]);
    t!("(contact: info@例え.テスト)" => [(E, "info@例え.テスト")]);
    t!("josé.garcía@correo.es," => [(E, "josé.garcía@correo.es")]);
    t!("long tld: a@b.photography!" => [(E, "a@b.photography")]);
    t!("punycode a@xn--bcher-kva.xn--p1ai" => [(E, "a@xn--bcher-kva.xn--p1ai")]);
    t!("mailto:x@y.de?subject=hi" => [(E, "x@y.de")]);
    t!("'quoted@example.com'" => [(E, "quoted@example.com")]);
}

#[test]
fn look_alikes() {
    t!("ping root@localhost now" => []);
    t!("@mention and trailing@ and a@b" => []);
    t!("bad..dots@example.com" => []);
    t!("dot.@example.com" => []);
    t!("a@-bad.com" => []);
    t!("v@1.2.3" => []);
    t!("user@example.c" => []);
}

#[test]
fn local_domains_when_policy_asks() {
    let p = lucairn_core::Policy::parse(r#"{"email_local_domains": true}"#).expect("p");
    let e = lucairn_core::Engine::new(p).expect("e");
    assert_eq!(
        crate::detectors::found(&e, "root@localhost"),
        [("EMAIL_ADDRESS".to_string(), "root@localhost".to_string())]
    );
}
