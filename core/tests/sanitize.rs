use lucairn_core::{Engine, Location, Mapping, OutputMode, Policy, Sanitizer, TokenError};

fn loc(i: u32) -> Location {
    Location::new(i, "content")
}

/// An engine with e-mail addresses plus a custom regex, a word list and a deny term.
pub fn engine() -> Engine {
    let policy = Policy::from_json(
        r#"{
            "custom": [
                {"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"},
                {"kind": "PERSON", "words": ["Ana Lima", "Bo Chen"], "case_insensitive": true}
            ],
            "deny": ["Project Falcon"]
        }"#,
    )
    .expect("policy");
    Engine::new(policy).expect("engine")
}

/// Rounds of the random tests: `LUCAIRN_ROUNDS` overrides the default.
pub fn rounds(default: usize) -> usize {
    std::env::var("LUCAIRN_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Pieces random texts are made of: values, placeholder look-alikes in every form,
/// escape characters, brackets, separators and multi-byte characters.
pub const PIECES: &[&str] = &[
    "ana@example.org",
    "bo.chen+x@mail.example.com",
    "EMP-004211",
    "EMP-771100",
    "Ana Lima",
    "bo chen",
    "Project Falcon",
    "[EMAIL_ADDRESS_1]",
    "[EMAIL_ADDRESS_2]",
    "EMAIL_ADDRESS_1",
    "email_address_2",
    "[PERSON_1]",
    "person_1",
    "[EMPLOYEE_ID_1]",
    "EMPLOYEE\\_ID\\_2",
    "[DENY_LIST_1]",
    "[Email Address 1]",
    "EMAIL_\nADDRESS_1",
    "[EMAIL_ADDRESS_\n1]",
    "\\[PERSON_1\\]",
    "[UNKNOWN_KIND_1]",
    "\u{2060}",
    "\u{2060}\u{2060}",
    "[",
    "]",
    "\\",
    "_",
    "_1",
    "1",
    "12",
    "EMAIL",
    "ADDRESS",
    " ",
    "  ",
    "\n",
    "\r\n",
    "-",
    ".",
    ",",
    "@",
    "**",
    "`",
    "\"",
    "a",
    "Z",
    "x_",
    "é",
    "😀",
    "中文",
    "Hello, ",
    "write to ",
];

pub fn random_text(rng: &mut Rng, max_pieces: usize) -> String {
    let n = rng.below(max_pieces + 1);
    (0..n).map(|_| rng.pick(PIECES)).collect()
}

#[test]
fn placeholders_are_numbered_per_kind_and_shared() {
    let engine = engine();
    let mut s = Sanitizer::new(&engine);
    let a = s.sanitize(loc(0), "Ana Lima (ana@example.org, EMP-004211) and Bo Chen <bo@example.net>");
    assert_eq!(a, "[PERSON_1] ([EMAIL_ADDRESS_1], [EMPLOYEE_ID_1]) and [PERSON_2] <[EMAIL_ADDRESS_2]>");
    // Same values, other spellings, another message.
    let b = s.sanitize(loc(1), "ANA LIMA wrote to Ana@Example.org about project falcon");
    assert_eq!(b, "[PERSON_1] wrote to [EMAIL_ADDRESS_1] about [DENY_LIST_1]");
    let m = s.mapping();
    assert_eq!(m.len(), 6);
    let e = m.get("[PERSON_1]").expect("entry");
    assert_eq!((e.kind.as_str(), e.value.as_str()), ("PERSON", "Ana Lima"));
    assert_eq!(m.get("[EMPLOYEE_ID_1]").expect("entry").value, "EMP-004211");
    // The second spelling re-links to the first.
    assert_eq!(s.relink(&b), "Ana Lima wrote to ana@example.org about project falcon");

    let done = s.finish();
    assert_eq!(done.findings.len(), 8);
    let r = &done.findings[1];
    assert_eq!((r.location.message, r.location.field.as_str()), (0, "content"));
    assert_eq!(
        (r.kind.as_str(), r.start, r.end, r.placeholder.as_str()),
        ("EMAIL_ADDRESS", 10, 25, "[EMAIL_ADDRESS_1]")
    );
    assert_eq!(r.value_digest.len(), 64);
    assert!(!r.value_digest.contains("ana"));
    assert_eq!(done.findings[5].start, 0); // message 1
    let counts = done.counts();
    assert_eq!(counts["PERSON"], 3);
    assert_eq!(counts["EMAIL_ADDRESS"], 3);
    assert_eq!(counts["DENY_LIST"], 1);
}

#[test]
fn value_digests_are_keyed() {
    let engine = engine();
    let secret = [1u8; 32];
    let a = Sanitizer::with_secret(&engine, &secret);
    let b = Sanitizer::with_secret(&engine, &secret);
    let c = Sanitizer::with_secret(&engine, &[2u8; 32]);
    let d = Sanitizer::new(&engine);
    let v = "ana@example.org";
    assert_eq!(a.value_digest(v), b.value_digest(v));
    assert_ne!(a.value_digest(v), c.value_digest(v));
    assert_ne!(a.value_digest(v), d.value_digest(v));
    // Not the plain hash of the value.
    assert_ne!(a.value_digest(v), blake3::hash(v.as_bytes()).to_hex().to_string());
    let key = blake3::derive_key("lucairn 2025 value digest v1", &secret);
    assert_eq!(a.value_digest_key(), &key);
    assert_eq!(a.value_digest(v), blake3::keyed_hash(&key, v.as_bytes()).to_hex().to_string());
}

#[test]
fn tenant_secret_gives_stable_placeholders() {
    let engine = engine();
    let secret = [42u8; 32];
    let mut s1 = Sanitizer::with_secret(&engine, &secret);
    let x1 = s1.sanitize(loc(0), "from ana@example.org to bo@example.net");
    // A later request sees the values in another order, with other values before them.
    let mut s2 = Sanitizer::with_secret(&engine, &secret);
    let x2 = s2.sanitize(loc(0), "cc zed@example.com, BO@example.net and ana@example.org");
    let p = |s: &Sanitizer, v: &str| {
        s.mapping().entries().iter().find(|e| e.value.eq_ignore_ascii_case(v)).expect("entry").placeholder.clone()
    };
    assert_eq!(p(&s1, "ana@example.org"), p(&s2, "ana@example.org"));
    assert_eq!(p(&s1, "bo@example.net"), p(&s2, "bo@example.net"));
    let ph = p(&s1, "ana@example.org");
    let digits = ph.trim_start_matches("[EMAIL_ADDRESS_").trim_end_matches(']');
    assert_eq!(digits.len(), 6, "{ph}");
    assert_eq!(s1.relink(&x1), "from ana@example.org to bo@example.net");
    assert_eq!(s2.relink(&x2), "cc zed@example.com, BO@example.net and ana@example.org");

    // Another tenant gets other numbers.
    let mut s3 = Sanitizer::with_secret(&engine, &[43u8; 32]);
    s3.sanitize(loc(0), "ana@example.org");
    assert_ne!(p(&s3, "ana@example.org"), ph);

    // When the derived number is taken (typed in the input), the next free one is used.
    let mut s4 = Sanitizer::with_secret(&engine, &secret);
    let typed = format!("{ph} is a template; mail ana@example.org");
    let out = s4.sanitize(loc(0), &typed);
    let got = p(&s4, "ana@example.org");
    assert_ne!(got, ph);
    assert_eq!(out, format!("{ph} is a template; mail {got}"));
    assert_eq!(s4.relink(&out), typed);
}

#[test]
fn typed_placeholders_are_kept_apart() {
    let engine = engine();
    let mut s = Sanitizer::new(&engine);
    // Typed before and after the value, in one text: numbers 1 and 2 are reserved.
    // Typed before the value: reserved. Typed after it, naming its placeholder: escaped.
    let x = "[EMAIL_ADDRESS_1] is a template field; ana@example.org; see email_address_2";
    let y = s.sanitize(loc(0), x);
    assert_eq!(y, "[EMAIL_ADDRESS_1] is a template field; [EMAIL_ADDRESS_2]; see email_address_\u{2060}2");
    assert_eq!(s.relink(&y), x);

    // The same in a later text.
    let x2 = "Is [EMAIL_ADDRESS_2] right? Or EMAIL_ADDRESS_2? [EMAIL_ADDRESS_1] is not ours.";
    let y2 = s.sanitize(loc(1), x2);
    assert_eq!(y2, "Is [EMAIL_ADDRESS_\u{2060}2] right? Or EMAIL_ADDRESS_\u{2060}2? [EMAIL_ADDRESS_1] is not ours.");
    assert_eq!(s.relink(&y2), x2);
    // A model echoing the escaped text gets the typed text back, not the value.
    assert_eq!(s.relink("You typed [EMAIL_ADDRESS_\u{2060}2]."), "You typed [EMAIL_ADDRESS_2].");

    // Escape characters already in the input survive the round trip.
    let x3 = "a\u{2060}b \u{2060}\u{2060} ana@example.org\u{2060}";
    let y3 = s.sanitize(loc(2), x3);
    assert_eq!(y3, "a\u{2060}\u{2060}b \u{2060}\u{2060}\u{2060}\u{2060} [EMAIL_ADDRESS_2]\u{2060}\u{2060}");
    assert_eq!(s.relink(&y3), x3);

    // Look-alikes of kinds the engine does not have are plain text.
    let x4 = "[TICKET_1] and [EMAIL_ADDRESS_3]";
    let y4 = s.sanitize(loc(3), x4);
    assert_eq!(y4, x4);
    let z = s.sanitize(loc(4), "new@example.com");
    assert_eq!(z, "[EMAIL_ADDRESS_4]");
}

#[test]
fn relink_tolerates_what_models_do() {
    let engine = engine();
    let mut s = Sanitizer::new(&engine);
    s.sanitize(loc(0), "ana@example.org, Ana Lima, EMP-004211");
    let m = s.mapping();
    let t = |input: &str, want: &str| assert_eq!(m.relink(input), want, "input {input:?}");
    let v = "ana@example.org";
    t("[EMAIL_ADDRESS_1]", v);
    t("EMAIL_ADDRESS_1", v);
    t("email_address_1", v);
    t("[Email_Address_1]", v);
    t("[email address 1]", v);
    t("[EMAIL-ADDRESS-1]", v);
    t("**[EMAIL_ADDRESS_1]**", &format!("**{v}**"));
    t("`EMAIL_ADDRESS_1`", &format!("`{v}`"));
    t("\"[EMAIL_ADDRESS_1]\"", &format!("\"{v}\""));
    t("'EMAIL_ADDRESS_1'.", &format!("'{v}'."));
    t("(EMAIL_ADDRESS_1),", &format!("({v}),"));
    t("Write to EMAIL_ADDRESS_1.", &format!("Write to {v}."));
    t("EMAIL_ADDRESS_1: EMAIL_ADDRESS_1!", &format!("{v}: {v}!"));
    t("[EMAIL_ADDRESS_\n1]", v);
    t("[EMAIL_\nADDRESS_1]", v);
    t("EMAIL_ADDRESS_\n1", v);
    t("[\nEMAIL_ADDRESS_1\n]", v);
    t("EMAIL\\_ADDRESS\\_1", v);
    t("\\[EMAIL\\_ADDRESS\\_1\\]", v);
    t("[EMAIL_ADDRESS_1 (one bracket)", &format!("[{v} (one bracket)"));
    t("[ PERSON_1 ] met [employee_id_1]", "Ana Lima met EMP-004211");
    // Never invents, never touches what is not a placeholder of the mapping.
    for same in [
        "[EMAIL_ADDRESS_2]",
        "EMAIL_ADDRESS_12",
        "EMAIL_ADDRESS_01",
        "X_EMAIL_ADDRESS_1",
        "EMAIL_ADDRESS_1_",
        "EMAIL_ADDRESS_1x",
        "EMAIL_ADDRESS 1",
        "email address 1",
        "[PHONE_NUMBER_1]",
        "EMAIL_ADDRESS_]",
        "[EMAIL__]",
        "person 1 said",
        "",
    ] {
        t(same, same);
    }
}

#[test]
fn relink_inverts_sanitize_on_random_texts() {
    let engine = engine();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..rounds(3000) {
        let secret = [round as u8; 32];
        let mut s = if round % 3 == 0 { Sanitizer::with_secret(&engine, &secret) } else { Sanitizer::new(&engine) };
        // Several texts of one request.
        let texts: Vec<String> = (0..1 + rng.below(3)).map(|_| random_text(&mut rng, 12)).collect();
        let outs: Vec<String> = texts.iter().enumerate().map(|(i, t)| s.sanitize(loc(i as u32), t)).collect();
        for (t, o) in texts.iter().zip(&outs) {
            if spelled_two_ways(&s, &texts) {
                continue;
            }
            assert_eq!(&s.relink(o), t, "round {round}: sanitised {o:?}");
        }
        // Every finding was replaced, and recorded with its span.
        for (i, t) in texts.iter().enumerate() {
            let want: Vec<(u64, u64)> =
                engine.scan(t).iter().map(|f| (f.span.start as u64, f.span.end as u64)).collect();
            let got: Vec<(u64, u64)> =
                s.findings().iter().filter(|r| r.location.message == i as u32).map(|r| (r.start, r.end)).collect();
            assert_eq!(got, want, "round {round}");
        }
        // The mapping survives serialisation.
        let json = serde_json::to_string(s.mapping()).expect("json");
        let back: Mapping = serde_json::from_str(&json).expect("mapping");
        assert_eq!(&back, s.mapping());
    }
}

/// True when a request spells one value two ways (those share a placeholder that
/// re-links to the first spelling, by design).
fn spelled_two_ways(s: &Sanitizer, texts: &[String]) -> bool {
    let engine = s.engine();
    let mut seen: Vec<(String, String)> = Vec::new();
    for t in texts {
        for f in engine.scan(t) {
            let v = f.as_str(t).to_string();
            let norm = v.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
            if seen.iter().any(|(n, w)| *n == norm && *w != v) {
                return true;
            }
            seen.push((norm, v));
        }
    }
    false
}

#[test]
fn answers_are_relinked_or_kept_and_new_data_redacted() {
    let engine = engine();
    let mut s = Sanitizer::new(&engine);
    s.sanitize(loc(0), "I am Ana Lima, ana@example.org");
    let answer =
        "Dear PERSON_1, I wrote to [EMAIL_ADDRESS_1] and to ANA@example.org; cc zed@example.com, zed@example.com.";

    let mut pro = s.clone();
    let shown = pro.scan_output(loc(0), answer, OutputMode::Relink);
    assert_eq!(
        shown,
        "Dear Ana Lima, I wrote to ana@example.org and to ANA@example.org; cc [EMAIL_ADDRESS_2], [EMAIL_ADDRESS_2]."
    );
    let done = pro.finish();
    assert_eq!(done.output_findings.len(), 2);
    let r = &done.output_findings[0];
    assert_eq!((r.kind.as_str(), &answer[r.start as usize..r.end as usize]), ("EMAIL_ADDRESS", "zed@example.com"));
    assert_eq!(r.placeholder, "[EMAIL_ADDRESS_2]");
    // Values first seen in answers are not added to the mapping.
    assert_eq!(done.mapping.len(), 2);
    assert_eq!(done.mapping.relink("[EMAIL_ADDRESS_2]"), "[EMAIL_ADDRESS_2]");

    let mut dev = s.clone();
    let shown = dev.scan_output(loc(0), answer, OutputMode::Keep);
    assert_eq!(
        shown,
        "Dear PERSON_1, I wrote to [EMAIL_ADDRESS_1] and to [EMAIL_ADDRESS_1]; cc [EMAIL_ADDRESS_2], [EMAIL_ADDRESS_2]."
    );
    assert_eq!(dev.output_findings().len(), 3);
}

#[test]
fn mapping_tokens_are_bound_to_key_and_tenant() {
    let engine = engine();
    let mut s = Sanitizer::new(&engine);
    let sent = s.sanitize(loc(0), "Ana Lima <ana@example.org>");
    let key = [3u8; 32];
    let token = s.mapping().seal(&key, "tenant-a").expect("seal");
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
    assert!(!token.contains("ana"));
    let back = Mapping::open(&token, &key, "tenant-a").expect("open");
    assert_eq!(back.relink(&sent), "Ana Lima <ana@example.org>");
    // Random nonces: sealing twice gives different tokens.
    assert_ne!(token, s.mapping().seal(&key, "tenant-a").expect("seal"));

    assert_eq!(Mapping::open(&token, &key, "tenant-b"), Err(TokenError::Decrypt));
    assert_eq!(Mapping::open(&token, &[4u8; 32], "tenant-a"), Err(TokenError::Decrypt));
    assert_eq!(Mapping::open("not a token!", &key, "tenant-a"), Err(TokenError::Malformed));
    assert_eq!(Mapping::open("AQ", &key, "tenant-a"), Err(TokenError::Malformed));
    assert_eq!(Mapping::open("Ag", &key, "tenant-a"), Err(TokenError::UnsupportedVersion(2)));
    // Any changed character fails.
    let bytes = token.as_bytes();
    for i in 0..bytes.len() {
        let mut t = bytes.to_vec();
        t[i] = if t[i] == b'A' { b'B' } else { b'A' };
        let t = String::from_utf8(t).expect("ascii");
        assert!(Mapping::open(&t, &key, "tenant-a").is_err(), "byte {i}");
    }
}

#[test]
fn mapping_json_is_checked() {
    let ok = r#"[{"placeholder":"[EMAIL_ADDRESS_1]","kind":"EMAIL_ADDRESS","value":"a@b.co"}]"#;
    let m: Mapping = serde_json::from_str(ok).expect("mapping");
    assert_eq!(m.relink("x EMAIL_ADDRESS_1"), "x a@b.co");
    for bad in [
        r#"[{"placeholder":"EMAIL_ADDRESS_1","kind":"EMAIL_ADDRESS","value":"a"}]"#,
        r#"[{"placeholder":"[EMAIL_ADDRESS_1]","kind":"PERSON","value":"a"}]"#,
        r#"[{"placeholder":"[EMAIL_ADDRESS_0]","kind":"EMAIL_ADDRESS","value":"a"}]"#,
        r#"[{"placeholder":"[X_1]","kind":"X","value":"a"},{"placeholder":"[X_1]","kind":"X","value":"b"}]"#,
        r#"[{"placeholder":"[X_1]","kind":"X","value":"a","extra":1}]"#,
    ] {
        assert!(serde_json::from_str::<Mapping>(bad).is_err(), "{bad}");
    }
}
