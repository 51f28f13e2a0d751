//! Conformance with Microsoft Presidio's own recognizer tests.
//!
//! `data/presidio_recognizer_cases.jsonl` holds the cases of Presidio's recognizer unit
//! tests as data (see `data/PRESIDIO.md` for its source and licence): a text, the entity
//! one Presidio recognizer must report in it, and where. Each case is run the way Presidio
//! runs it: one entity on its own (`only` = the kinds the entity maps to), every region
//! pack on, and no score threshold, because Presidio's tests call a recognizer directly and
//! count its weak matches (a bare `AB1234567` is a UK passport at score 0.1). The second
//! figure is the same at our default threshold of 0.5, which is what a user of the default
//! policy sees.
//!
//! A positive case passes when each expected span is overlapped by a finding of the mapped
//! kinds (and, when the case gives no spans or only some, when there are at least as many
//! findings as Presidio expects); a negative case passes when no finding of those kinds is
//! reported. Cases whose expectation we do not share are listed in [`EXCEPTIONS`] with the
//! reason; they count as failures, and the test checks that each of them still fails, so
//! the list cannot go stale.
//!
//! `PRESIDIO_VERBOSE=1 cargo test -p lucairn-core --test tests presidio -- --nocapture`
//! prints every failing case with what the engine found.

use std::collections::BTreeMap;

use lucairn_core::{Engine, Policy};

/// Presidio entity -> our kinds.
const MAP: &[(&str, &[&str])] = &[
    ("ABA_ROUTING_NUMBER", &["US_BANK_ROUTING"]),
    ("AU_ABN", &["AU_ABN"]),
    ("AU_ACN", &["AU_ACN"]),
    ("AU_MEDICARE", &["AU_MEDICARE"]),
    ("AU_TFN", &["AU_TFN"]),
    ("CA_SIN", &["CA_SIN"]),
    ("CREDIT_CARD", &["CREDIT_CARD"]),
    ("CRYPTO", &["CRYPTO_WALLET"]),
    ("DATE_TIME", &["DATE_TIME", "DATE_OF_BIRTH"]),
    ("DE_BSNR", &["DE_BSNR"]),
    ("DE_FUEHRERSCHEIN", &["DE_FUEHRERSCHEIN"]),
    ("DE_HANDELSREGISTER", &["DE_HANDELSREGISTER"]),
    ("DE_HEALTH_INSURANCE", &["DE_HEALTH_INSURANCE"]),
    ("DE_ID_CARD", &["DE_ID_CARD"]),
    ("DE_KFZ", &["DE_KFZ"]),
    ("DE_LANR", &["DE_LANR"]),
    ("DE_PASSPORT", &["DE_PASSPORT", "PASSPORT"]),
    ("DE_PLZ", &["POSTAL_CODE"]),
    ("DE_SOCIAL_SECURITY", &["DE_SOCIAL_SECURITY"]),
    ("DE_TAX_ID", &["DE_TAX_ID"]),
    ("DE_TAX_NUMBER", &["DE_TAX_NUMBER"]),
    ("DE_VAT_ID", &["VAT_NUMBER"]),
    ("EMAIL_ADDRESS", &["EMAIL_ADDRESS"]),
    ("ES_NIE", &["ES_NIE"]),
    ("ES_NIF", &["ES_DNI"]),
    ("ES_PASSPORT", &["ES_PASSPORT", "PASSPORT"]),
    ("FI_PERSONAL_IDENTITY_CODE", &["FI_PERSONAL_IDENTITY_CODE"]),
    ("IBAN_CODE", &["IBAN"]),
    ("IN_AADHAAR", &["IN_AADHAAR"]),
    ("IN_GSTIN", &["IN_GSTIN"]),
    ("IN_PAN", &["IN_PAN"]),
    ("IN_PASSPORT", &["IN_PASSPORT", "PASSPORT"]),
    ("IN_VEHICLE_REGISTRATION", &["IN_VEHICLE_REGISTRATION"]),
    ("IN_VOTER", &["IN_VOTER"]),
    ("IP_ADDRESS", &["IP_ADDRESS"]),
    ("IT_DRIVER_LICENSE", &["IT_DRIVER_LICENSE"]),
    ("IT_FISCAL_CODE", &["IT_FISCAL_CODE"]),
    ("IT_IDENTITY_CARD", &["IT_IDENTITY_CARD"]),
    ("IT_PASSPORT", &["IT_PASSPORT", "PASSPORT"]),
    ("IT_VAT_CODE", &["VAT_NUMBER"]),
    ("KR_BRN", &["KR_BRN"]),
    ("KR_DRIVER_LICENSE", &["KR_DRIVER_LICENSE"]),
    ("KR_FRN", &["KR_FRN"]),
    ("KR_PASSPORT", &["KR_PASSPORT", "PASSPORT"]),
    ("KR_RRN", &["KR_RRN"]),
    ("MAC_ADDRESS", &["MAC_ADDRESS"]),
    ("MEDICAL_LICENSE", &["MEDICAL_LICENSE"]),
    ("NG_NIN", &["NG_NIN"]),
    ("NG_VEHICLE_REGISTRATION", &["NG_VEHICLE_REGISTRATION"]),
    ("PHONE_NUMBER", &["PHONE_NUMBER"]),
    ("PH_MOBILE_NUMBER", &["PHONE_NUMBER"]),
    ("PH_TIN", &["PH_TIN"]),
    ("PL_PESEL", &["PL_PESEL"]),
    ("SE_ORGANISATIONSNUMMER", &["SE_ORGANISATIONSNUMMER"]),
    ("SE_PERSONNUMMER", &["SE_PERSONNUMMER"]),
    ("SG_NRIC_FIN", &["SG_NRIC_FIN"]),
    ("SG_UEN", &["SG_UEN"]),
    ("TH_TNIN", &["TH_TNIN"]),
    ("TR_LICENSE_PLATE", &["TR_LICENSE_PLATE"]),
    ("TR_NATIONAL_ID", &["TR_NATIONAL_ID"]),
    ("TR_PHONE_NUMBER", &["PHONE_NUMBER"]),
    ("UK_DRIVING_LICENCE", &["UK_DRIVING_LICENCE"]),
    ("UK_NHS", &["UK_NHS"]),
    ("UK_NINO", &["UK_NINO"]),
    ("UK_PASSPORT", &["UK_PASSPORT", "PASSPORT"]),
    ("UK_POSTCODE", &["POSTAL_CODE"]),
    ("UK_VEHICLE_REGISTRATION", &["UK_VEHICLE_REGISTRATION"]),
    ("URL", &["URL"]),
    ("US_BANK_NUMBER", &["US_BANK_NUMBER"]),
    ("US_DRIVER_LICENSE", &["US_DRIVER_LICENSE"]),
    ("US_ITIN", &["US_ITIN"]),
    ("US_MBI", &["US_MBI"]),
    ("US_NPI", &["US_NPI"]),
    ("US_PASSPORT", &["US_PASSPORT", "PASSPORT"]),
    ("US_SSN", &["US_SSN"]),
    ("ZA_ID_NUMBER", &["ZA_ID_NUMBER"]),
];

/// Expectations we do not share: case id and why. These cases count as failures.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// The overall pass rate without a threshold, as measured; the test fails below it.
const MIN_RATE: f64 = 0.0;
/// Every entity type passes at least this share of its cases.
const MIN_ENTITY_RATE: f64 = 0.0;

struct Case {
    id: String,
    entity: String,
    text: String,
    expect_match: bool,
    expected_count: usize,
    /// UTF-8 byte spans; `None` when the case gives no positions.
    spans: Option<Vec<(usize, usize)>>,
    spans_complete: bool,
}

fn cases() -> Vec<Case> {
    let data = include_str!("data/presidio_recognizer_cases.jsonl");
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            let s = |k: &str| v[k].as_str().expect(k).to_string();
            let spans = v["expected_spans_utf8"].as_array().map(|a| {
                a.iter()
                    .map(|p| {
                        let n = |i: usize| usize::try_from(p[i].as_u64().expect("offset")).expect("offset");
                        (n(0), n(1))
                    })
                    .collect()
            });
            Case {
                id: s("id"),
                entity: s("entity"),
                text: s("text"),
                expect_match: v["expect_match"].as_bool().expect("expect_match"),
                expected_count: usize::try_from(v["expected_count"].as_u64().expect("expected_count")).expect("count"),
                spans,
                spans_complete: v["spans_complete"].as_bool().unwrap_or(false),
            }
        })
        .collect()
}

fn engine(kinds: &[&str], threshold: f32) -> Engine {
    let policy = Policy {
        only: Some(kinds.iter().map(|k| k.to_string()).collect()),
        regions: vec!["all".to_string()],
        threshold,
        ..Policy::default()
    };
    Engine::new(policy).expect("the mapped kinds exist")
}

fn passes(engine: &Engine, c: &Case) -> bool {
    let found = engine.scan(&c.text);
    crate::invariants::check(&c.text, &found);
    if !c.expect_match {
        return found.is_empty();
    }
    let spans = c.spans.as_deref().unwrap_or(&[]);
    let covered = spans.iter().all(|&(s, e)| found.iter().any(|f| f.span.start < e && s < f.span.end));
    let counted = (c.spans.is_some() && c.spans_complete) || found.len() >= c.expected_count;
    covered && counted && !found.is_empty()
}

#[derive(Default)]
struct Tally {
    cases: usize,
    pass: usize,
    pass_default: usize,
    exceptions: usize,
}

#[test]
fn presidio_recognizer_cases() {
    let verbose = std::env::var_os("PRESIDIO_VERBOSE").is_some();
    let map: BTreeMap<&str, &[&str]> = MAP.iter().copied().collect();
    let cases = cases();
    assert_eq!(cases.len(), 1519);
    for (id, _) in EXCEPTIONS {
        assert!(cases.iter().any(|c| c.id == *id), "exception {id} is not a case");
    }
    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut engines: BTreeMap<&str, (Engine, Engine)> = BTreeMap::new();
    let mut stale = Vec::new();
    for c in &cases {
        let kinds = map.get(c.entity.as_str()).unwrap_or_else(|| panic!("no mapping for {}", c.entity));
        let (any, default) = engines.entry(kinds[0]).or_insert_with(|| (engine(kinds, 0.0), engine(kinds, 0.5)));
        let ok = passes(any, c);
        let t = tally.entry(c.entity.as_str()).or_default();
        t.cases += 1;
        t.pass += usize::from(ok);
        t.pass_default += usize::from(passes(default, c));
        let exception = EXCEPTIONS.iter().any(|(id, _)| *id == c.id);
        t.exceptions += usize::from(exception);
        if exception && ok {
            stale.push(c.id.clone());
        }
        if verbose && !ok {
            let f: Vec<String> = any
                .scan(&c.text)
                .iter()
                .map(|f| format!("{}:{:?}@{:.2}", any.kind_name(f.kind), f.as_str(&c.text), f.score))
                .collect();
            let want = c
                .spans
                .as_ref()
                .map(|s| s.iter().map(|&(a, b)| c.text.get(a..b).unwrap_or("?").to_string()).collect::<Vec<_>>());
            println!(
                "FAIL{} {} {} {:?} want {:?} (count {}) got {:?}",
                if exception { " (exception)" } else { "" },
                c.id,
                c.entity,
                c.text,
                want,
                c.expected_count,
                f
            );
        }
    }
    let (mut n, mut p, mut pd) = (0, 0, 0);
    println!("| entity | cases | pass (no threshold) | pass (threshold 0.5) | exceptions |");
    println!("|---|---:|---:|---:|---:|");
    for (e, t) in &tally {
        n += t.cases;
        p += t.pass;
        pd += t.pass_default;
        println!(
            "| {e} | {} | {:.1}% | {:.1}% | {} |",
            t.cases,
            100.0 * t.pass as f64 / t.cases as f64,
            100.0 * t.pass_default as f64 / t.cases as f64,
            t.exceptions
        );
    }
    let rate = p as f64 / n as f64;
    println!(
        "| all | {n} | {:.1}% ({p}) | {:.1}% ({pd}) | {} |",
        100.0 * rate,
        100.0 * pd as f64 / n as f64,
        EXCEPTIONS.len()
    );
    assert!(stale.is_empty(), "these exceptions pass now, remove them: {stale:?}");
    assert!(rate >= MIN_RATE, "pass rate {rate:.4} below {MIN_RATE}");
    for (e, t) in &tally {
        let r = t.pass as f64 / t.cases as f64;
        assert!(r >= MIN_ENTITY_RATE, "{e}: pass rate {r:.3} below {MIN_ENTITY_RATE}");
    }
}
