//! Region packs: which country-specific kinds a policy turns on, and what the region
//! families report (and do not report) at the default threshold.

use lucairn_core::{Engine, Kind, Policy};

use crate::detectors::found;

fn with_regions(regions: &[&str]) -> Engine {
    Engine::new(Policy { regions: regions.iter().map(|r| r.to_string()).collect(), ..Policy::default() })
        .expect("policy")
}

fn all() -> Engine {
    with_regions(&["all"])
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(k, s)| (k.to_string(), s.to_string())).collect()
}

#[test]
fn default_regions_are_eu_uk_us_and_stay_out_of_the_digest() {
    let p = Policy::default();
    assert_eq!(p.regions, ["eu", "uk", "us"]);
    assert!(!p.canonical_json().contains("regions"));
    let all = Policy::parse(r#"{"regions": ["all"]}"#).expect("json");
    assert!(all.canonical_json().contains(r#""regions":["all"]"#));
    assert_ne!(all.digest(), p.digest());
    assert_eq!(Policy::from_json(&all.canonical_json()).expect("round trip"), all);
    let toml = Policy::parse("regions = [\"in\", \"kr\"]\n").expect("toml");
    assert_eq!(toml.regions, ["in", "kr"]);
}

#[test]
fn unknown_regions_are_build_errors() {
    let e = Engine::new(Policy::parse(r#"{"regions": ["eu", "mars"]}"#).expect("json")).expect_err("unknown");
    let m = e.to_string();
    assert!(m.contains("policy.regions: unknown region \"mars\""), "{m}");
    assert!(m.contains("known: all, eu, uk, us"), "{m}");
}

#[test]
fn packs_switch_country_kinds() {
    let default = Engine::default();
    assert!(default.is_enabled(Kind::DeTaxId) && default.is_enabled(Kind::UkNino) && default.is_enabled(Kind::UsSsn));
    assert!(default.is_enabled(Kind::DeIdCard) && default.is_enabled(Kind::UsMbi));
    assert!(
        !default.is_enabled(Kind::KrRrn) && !default.is_enabled(Kind::InAadhaar) && !default.is_enabled(Kind::CaSin)
    );
    // Kinds of no pack are always on.
    let us = with_regions(&["us"]);
    assert!(us.is_enabled(Kind::UsSsn) && us.is_enabled(Kind::Iban) && us.is_enabled(Kind::EmailAddress));
    assert!(!us.is_enabled(Kind::DeTaxId) && !us.is_enabled(Kind::UkNino));
    let none = with_regions(&[]);
    assert!(none.is_enabled(Kind::CreditCard) && !none.is_enabled(Kind::UsSsn));
    let all = all();
    for &k in Kind::BUILTIN {
        assert!(all.is_enabled(k), "{k}");
    }
    // A kind named in `only` or `enable` is on whatever its pack.
    let only = Engine::new(Policy::parse(r#"{"only": ["KR_RRN"]}"#).expect("json")).expect("only");
    assert_eq!(found(&only, "RRN 960121-1021413"), pairs(&[("KR_RRN", "960121-1021413")]));
    let enable = Engine::new(Policy::parse(r#"{"enable": ["TH_TNIN"]}"#).expect("json")).expect("enable");
    assert_eq!(found(&enable, "Thai ID 1234567890121"), pairs(&[("TH_TNIN", "1234567890121")]));
    assert!(found(&Engine::default(), "RRN 960121-1021413, Thai ID 1234567890121").is_empty());
}

#[test]
fn region_kinds_with_their_checks() {
    let e = all();
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("Personalausweis: L01X00T44", &[("DE_ID_CARD", "L01X00T44")]),
        ("Reisepass C01234565 ausgestellt", &[("DE_PASSPORT", "C01234565")]),
        ("KVNR: A123456780", &[("DE_HEALTH_INSURANCE", "A123456780")]),
        ("RVNR 15070649C103", &[("DE_SOCIAL_SECURITY", "15070649C103")]),
        ("LANR: 123456601", &[("DE_LANR", "123456601")]),
        ("Amtsgericht München HRB 12345.", &[("DE_HANDELSREGISTER", "HRB 12345")]),
        ("Kennzeichen: HH-AB-1234.", &[("DE_KFZ", "HH-AB-1234")]),
        ("Steuernummer 181/815/08155", &[("DE_TAX_NUMBER", "181/815/08155")]),
        ("hetu 131052-308T", &[("FI_PERSONAL_IDENTITY_CODE", "131052-308T")]),
        ("Driving licence MORGA607054SM9IJ", &[("UK_DRIVING_LICENCE", "MORGA607054SM9IJ")]),
        ("car reg AB51 ABC", &[("UK_VEHICLE_REGISTRATION", "AB51 ABC")]),
        ("Medicare ID: 3CD5-FG7-HJ89", &[("US_MBI", "3CD5-FG7-HJ89")]),
        ("NPI: 1234567893", &[("US_NPI", "1234567893")]),
        ("DEA number BB1388568", &[("MEDICAL_LICENSE", "BB1388568")]),
        ("account number 945456787654", &[("US_BANK_NUMBER", "945456787654")]),
        ("ABN 51 824 753 556", &[("AU_ABN", "51 824 753 556")]),
        ("Aadhaar 3123 4567 8909", &[("IN_AADHAAR", "3123 4567 8909")]),
        ("GSTIN 27AAPFU0939F1ZV", &[("IN_GSTIN", "27AAPFU0939F1ZV")]),
        ("사업자등록번호 104-86-56659", &[("KR_BRN", "104-86-56659")]),
        ("NRIC S2740116C", &[("SG_NRIC_FIN", "S2740116C")]),
        ("TC Kimlik No: 10000000146", &[("TR_NATIONAL_ID", "10000000146")]),
        ("RSA ID: 8001015009087", &[("ZA_ID_NUMBER", "8001015009087")]),
        ("my SIN is 130-692-544", &[("CA_SIN", "130-692-544")]),
    ];
    for (text, want) in cases {
        assert_eq!(found(&e, text), pairs(want), "{text:?}");
    }
}

#[test]
fn look_alikes_are_not_region_identifiers() {
    let e = all();
    for text in [
        // A check digit that fails.
        "Personalausweis: L01X00T47",
        "KVNR: A123456787",
        "RVNR 15070649C100",
        "hetu 131052-308A",
        "ABN 52 824 753 556",
        "Aadhaar 1234 5678 9012",
        "Thai ID 1234567890123",
        "TC Kimlik No: 12345678900",
        "RSA ID: 8001015009086",
        "my SIN is 130-692-545",
        // Dates and plates that do not exist.
        "Driving licence MORGA613054SM9IJ",
        "car reg AB35 ABC",
        "Kennzeichen: BXYZ AB 1234",
        // Everyday numbers and tokens.
        "Order 20240315 shipped, 3 items for 12.50 EUR at 10:30 on 15.03.2024.",
        "Version 10.2.3 of the MP3 player, B2B, COVID-19, 2nd floor, room 4B.",
        "The meeting is in 2024 at 10:30; page 3 of 12; call me at 10.",
        "Grouped: +34 698 274 982 and 0049 30 1234567.",
    ] {
        let f = found(&e, text);
        assert!(
            f.iter().all(|(k, _)| matches!(
                k.as_str(),
                "PHONE_NUMBER" | "DATE_TIME" | "PERSON" | "LOCATION" | "MEDICAL_CONDITION"
            )),
            "{text:?}: {f:?}"
        );
    }
}

#[test]
fn weak_formats_need_context_at_the_default_threshold() {
    let e = all();
    // Bare: below the threshold.
    for text in ["AB1234567", "M12345678", "A3456781", "AAA123456", "HH98765432C", "5/21", "May-21"] {
        assert!(found(&e, text).is_empty(), "{text:?}");
    }
    // With context.
    assert_eq!(found(&e, "My passport number is CD7654321"), pairs(&[("PASSPORT", "CD7654321")]));
    assert_eq!(found(&e, "Führerschein: HH98765432C"), pairs(&[("DE_FUEHRERSCHEIN", "HH98765432C")]));
    // A low threshold shows the weak candidates, as Presidio reports them.
    let low = Engine::new(Policy { threshold: 0.05, only: Some(vec!["DATE_TIME".into()]), ..Policy::default() })
        .expect("policy");
    assert_eq!(found(&low, "Today is 5/21"), pairs(&[("DATE_TIME", "5/21")]));
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_identifier_soup_keeps_the_invariants() {
    // Every pack on and no threshold, so that every detector and its weak tier runs, on
    // texts made of the pieces identifiers are made of.
    let e = Engine::new(Policy { regions: vec!["all".into()], threshold: 0.0, ..Policy::default() }).expect("policy");
    let pieces = [
        "0", "1", "12", "123", "1234", "12345", "123456", "1234567", "99", "2024", "A", "AB", "ABC", "de", "DE", "HRB",
        "M", "T", "Z", "x", " ", " ", "-", "/", ".", ":", "+", "(", ")", "_", "é", "여권", "ß", "\n", "GIR", "0AA",
        "U1", "KA", "SW1A", "1AA", "Y", "MAC", "account", "license",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let n = 1 + rng.below(24);
        let text: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
        let f = e.scan(&text);
        crate::invariants::check(&text, &f);
    }
}
