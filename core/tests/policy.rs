use lucairn_core::{Engine, Kind, Policy};

fn build_err(json: &str) -> String {
    let p = Policy::parse(json).expect("parses");
    Engine::new(p).expect_err("should not build").to_string()
}

#[test]
fn default_policy_builds_and_round_trips() {
    let p = Policy::default();
    assert_eq!(Policy::from_json(&p.canonical_json()).expect("json"), p);
    assert!(Engine::new(p).is_ok());
}

#[test]
fn json_and_toml_give_the_same_digest() {
    let j =
        Policy::parse(r#"{"threshold": 0.6, "disable": ["URL"], "thresholds": {"PHONE_NUMBER": 0.7}}"#).expect("json");
    let t = Policy::parse("threshold = 0.6\ndisable = [\"URL\"]\n[thresholds]\nPHONE_NUMBER = 0.7\n").expect("toml");
    assert_eq!(j, t);
    assert_eq!(j.digest(), t.digest());
    assert_ne!(j.digest(), Policy::default().digest());
    assert_eq!(j.digest_hex().len(), 64);
}

#[test]
fn bad_policies_name_the_entry() {
    assert!(build_err(r#"{"disable": ["EMAIL"]}"#).contains("policy.disable: unknown kind \"EMAIL\""));
    assert!(build_err(r#"{"threshold": 1.5}"#).contains("threshold 1.5 is outside [0, 1]"));
    assert!(build_err(r#"{"thresholds": {"IBAN": -0.1}}"#).contains("policy.thresholds.IBAN"));
    assert!(
        build_err(r#"{"custom": [{"kind": "X_ID", "regex": "EMP-("}]}"#)
            .contains("policy.custom[0] (X_ID): invalid regex")
    );
    assert!(build_err(r#"{"custom": [{"kind": "X_ID"}]}"#).contains("needs a non-empty"));
    assert!(build_err(r#"{"custom": [{"kind": "lower", "words": ["a"]}]}"#).contains("UPPER_SNAKE_CASE"));
    assert!(build_err(r#"{"allow": [" "]}"#).contains("policy.allow[0]: empty term"));
    assert!(build_err(r#"{"only": ["NOPE"]}"#).contains("policy.only: unknown kind \"NOPE\""));
}

#[test]
fn unknown_fields_and_bad_syntax_are_errors() {
    assert!(Policy::parse(r#"{"treshold": 0.5}"#).expect_err("unknown field").to_string().contains("treshold"));
    assert!(Policy::parse("threshold = ").is_err());
}

#[test]
fn only_disable_enable_and_thresholds_apply() {
    let text = "mail a.b@example.com";
    let e = Engine::new(Policy::parse(r#"{"only": ["IBAN"]}"#).expect("p")).expect("e");
    assert!(e.scan(text).is_empty());
    assert!(!e.is_enabled(Kind::EmailAddress));
    let e = Engine::new(Policy::parse(r#"{"disable": ["EMAIL_ADDRESS"]}"#).expect("p")).expect("e");
    assert!(e.scan(text).is_empty());
    let e = Engine::new(Policy::parse(r#"{"thresholds": {"EMAIL_ADDRESS": 1.0}}"#).expect("p")).expect("e");
    assert!(e.scan(text).is_empty());
    let e = Engine::new(Policy::parse(r#"{"only": ["IBAN"], "enable": ["EMAIL_ADDRESS"]}"#).expect("p")).expect("e");
    assert_eq!(e.scan(text).len(), 1);
}

#[test]
fn allow_list_suppresses_exact_values() {
    let e = Engine::new(Policy::parse(r#"{"allow": ["Support@Example.com"]}"#).expect("p")).expect("e");
    let text = "support@example.com or anna@example.com";
    let f = e.scan(text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].as_str(text), "anna@example.com");
}

#[test]
fn deny_terms_and_custom_detectors() {
    let p = Policy::parse(
        r#"
        deny = ["Project Falcon", { term = "Zephyr", kind = "CODENAME" }]
        [[custom]]
        kind = "EMPLOYEE_ID"
        regex = "EMP-[0-9]{6}"
        score = 0.4
        context = ["employee"]
        [[custom]]
        kind = "TEAM"
        words = ["red team", "blue team"]
        case_insensitive = true
        context_required = true
        context = ["member"]
        "#,
    )
    .expect("toml");
    let e = Engine::new(p).expect("builds");
    let filler = "nothing to see in this part of the text, just some words to fill it. ";
    let text = format!(
        "project falcon and zephyrs: Zephyr. EMP-000001; {filler}employee EMP-000002. member of the Red Team. {filler}blue team"
    );
    let text = text.as_str();
    let got: Vec<(String, &str)> =
        e.scan(text).iter().map(|f| (e.kind_name(f.kind).to_string(), f.as_str(text))).collect();
    assert_eq!(
        got,
        [
            ("DENY_LIST".to_string(), "project falcon"),
            ("CODENAME".to_string(), "Zephyr"),
            ("EMPLOYEE_ID".to_string(), "EMP-000002"),
            ("TEAM".to_string(), "Red Team"),
        ]
    );
    assert_eq!(e.kind_by_name("CODENAME"), Some(Kind::Custom(3)));
}
