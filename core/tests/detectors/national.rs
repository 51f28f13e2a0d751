// Tables for the national identifiers.

use std::sync::OnceLock;

use lucairn_core::{Engine, Policy};

const SSN: &str = "US_SSN";
const ITIN: &str = "US_ITIN";
const NINO: &str = "UK_NINO";
const NHS: &str = "UK_NHS";
const DE_TAX: &str = "DE_TAX_ID";
const NIR: &str = "FR_NIR";
const DNI: &str = "ES_DNI";
const NIE: &str = "ES_NIE";
const CF: &str = "IT_FISCAL_CODE";
const BSN: &str = "NL_BSN";
const PESEL: &str = "PL_PESEL";
const BE: &str = "BE_NATIONAL_NUMBER";
const SE: &str = "SE_PERSONNUMMER";
const PASSPORT: &str = "PASSPORT";

/// An engine reporting only this family's kinds, so other families' findings (phones,
/// dates) cannot interfere with these tables.
fn national() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let p = Policy::parse(
            r#"{"only": ["US_SSN", "US_ITIN", "UK_NINO", "UK_NHS", "DE_TAX_ID", "FR_NIR", "ES_DNI", "ES_NIE",
                "IT_FISCAL_CODE", "NL_BSN", "PL_PESEL", "BE_NATIONAL_NUMBER", "SE_PERSONNUMMER", "PASSPORT"]}"#,
        )
        .expect("policy");
        Engine::new(p).expect("engine")
    })
}

macro_rules! n {
    ($text:expr => [$(($kind:expr, $val:expr)),* $(,)?]) => {{
        let want: Vec<(String, String)> = vec![$(($kind.to_string(), $val.to_string())),*];
        assert_eq!(crate::detectors::found(national(), $text), want, "text: {:?}", $text);
    }};
}

/// The score of the single finding in `text`.
fn score(text: &str) -> f32 {
    let f = national().scan(text);
    assert_eq!(f.len(), 1, "{text:?}: {f:?}");
    f[0].score
}

#[test]
fn us_ssn() {
    n!("SSN 536-90-4399" => [(SSN, "536-90-4399")]);
    n!("id 536-90-4399." => [(SSN, "536-90-4399")]);
    n!("536 90 4399" => [(SSN, "536 90 4399")]);
    n!("social security number 536904399" => [(SSN, "536904399")]);
    n!("536904399" => []); // nine digits without context
    assert!(score("my SSN is 536-90-4399") > score("536-90-4399"));
}

#[test]
fn us_ssn_look_alikes() {
    n!("000-12-3456 666-12-3456 123-00-4567 123-45-0000" => []);
    n!("078-05-1120 219-09-9999 123-45-6789" => []); // numbers the SSA calls invalid
    n!("536-90-43990" => []);
    n!("1536-90-4399" => []);
    n!("2024-536-90-4399" => []);
    n!("536-90-4399-12" => []);
    n!("536-90 4399" => []); // mixed separators
}

#[test]
fn us_itin() {
    n!("ITIN 912-90-3456" => [(ITIN, "912-90-3456")]);
    n!("912-70-3456, 999-99-9999" => [(ITIN, "912-70-3456"), (ITIN, "999-99-9999")]);
    n!("912-93-3456 912-66-3456 912-40-3456" => []); // group outside the ITIN ranges
    n!("912903456" => []);
    n!("taxpayer identification 912903456" => [(ITIN, "912903456")]);
}

#[test]
fn uk_nino() {
    n!("NI number: AB123456C" => [(NINO, "AB123456C")]);
    n!("AB 12 34 56 C" => [(NINO, "AB 12 34 56 C")]);
    n!("JG103759A." => [(NINO, "JG103759A")]);
    n!("national insurance AB123456" => [(NINO, "AB123456")]);
    n!("AB123456" => []); // no suffix, no context
}

#[test]
fn uk_nino_look_alikes() {
    n!("QQ123456C DA123456A AO123456B GB123456A TN123456A" => []); // invalid prefixes
    n!("AB123456E" => []);
    n!("XAB123456C" => []);
    n!("ab123456c" => []);
}

#[test]
fn uk_nhs() {
    n!("NHS number 943 476 5919" => [(NHS, "943 476 5919")]);
    n!("NHS No: 9434765919" => [(NHS, "9434765919")]);
    n!("nhs 943-476-5919" => [(NHS, "943-476-5919")]);
    // Space-grouped 3-3-4 with a valid check digit stands on its own.
    n!("patient 401 023 2137" => [(NHS, "401 023 2137")]);
    assert!(score("NHS 401 023 2137") > score("401 023 2137"));
}

#[test]
fn uk_nhs_look_alikes() {
    n!("9434765919" => []); // contiguous: needs context
    n!("415-555-2671 943-476-5919" => []); // dashed: needs context
    n!("943 476 5918" => []); // check digit
    n!("111 111 1111" => []);
    n!("+1 943 476 5919" => []); // a longer number
    n!("943 476 5919 12" => []);
}

#[test]
fn de_tax_id() {
    for id in ["86095742719", "47036892816", "65929970489", "57549285017", "25768131411"] {
        n!(&format!("Steuer-ID: {id}") => [(DE_TAX, id)]);
        n!(&format!("Steueridentifikationsnummer {id}") => [(DE_TAX, id)]);
    }
    n!("IdNr 86 095 742 719" => [(DE_TAX, "86 095 742 719")]);
    n!("86 095 742 719" => [(DE_TAX, "86 095 742 719")]);
}

#[test]
fn de_tax_id_look_alikes() {
    n!("Steuer-ID 86095742718" => []); // check digit
    n!("Steuer-ID 12345678903" => []); // no repeated digit
    n!("Steuer-ID 01234567891" => []);
    n!("Steuer-ID 11123456780" => []); // a digit three times in a row
    n!("86095742719" => []); // no context
}

#[test]
fn fr_nir() {
    n!("NIR 2 55 08 14 168 025 38" => [(NIR, "2 55 08 14 168 025 38")]);
    n!("n° de sécurité sociale : 295109912611193" => [(NIR, "295109912611193")]);
    n!("295109912611193" => [(NIR, "295109912611193")]);
    // Corsica: 2A and 2B count as 19 and 18 for the key.
    n!("1 80 12 2A 006 084 04" => [(NIR, "1 80 12 2A 006 084 04")]);
    n!("180122A00608404" => [(NIR, "180122A00608404")]);
    n!("2 80 12 2B 123 456 76" => [(NIR, "2 80 12 2B 123 456 76")]);
    assert!(score("sécurité sociale 295109912611193") > score("295109912611193"));
}

#[test]
fn fr_nir_look_alikes() {
    n!("295109912611194" => []); // key
    n!("595109912611193" => []); // sex digit
    n!("1 80 12 2A 006 084 05" => []);
    n!("1 80 12 2C 006 084 04" => []);
    n!("2951099126111930" => []);
}

#[test]
fn es_dni_nie() {
    n!("DNI 12345678Z" => [(DNI, "12345678Z")]);
    n!("12345678-Z" => [(DNI, "12345678-Z")]);
    n!("NIE X1234567L" => [(NIE, "X1234567L")]);
    n!("Y1234567X, Z1234567R" => [(NIE, "Y1234567X"), (NIE, "Z1234567R")]);
    n!("X-1234567-L" => [(NIE, "X-1234567-L")]);
}

#[test]
fn es_look_alikes() {
    n!("12345678A X1234567A" => []); // check letters
    n!("12345678Za" => []);
    n!("AX1234567L" => []);
    n!("123456789Z" => []);
}

#[test]
fn it_fiscal_code() {
    n!("codice fiscale RSSMRA85T10A562S" => [(CF, "RSSMRA85T10A562S")]);
    n!("MRTMTT91D08F205J." => [(CF, "MRTMTT91D08F205J")]);
    n!("omocodia RSSMRA85T10A56NH" => [(CF, "RSSMRA85T10A56NH")]);
    n!("rssmra85t10a562s" => [(CF, "rssmra85t10a562s")]);
}

#[test]
fn it_fiscal_code_look_alikes() {
    n!("RSSMRA85T10A562T" => []); // check character
    n!("RSSMRA85Z10A562S" => []); // month letter
    n!("RSSMRA85T10A562SX" => []);
    n!("RssMRA85T10A562S" => []); // mixed case
}

#[test]
fn nl_bsn() {
    n!("BSN 111222333" => [(BSN, "111222333")]);
    n!("burgerservicenummer: 123456782" => [(BSN, "123456782")]);
    n!("111222333" => []); // nine digits need context
    n!("BSN 111222334" => []); // 11-proof
}

#[test]
fn pl_pesel() {
    n!("PESEL 44051401359" => [(PESEL, "44051401359")]);
    n!("02070803628" => [(PESEL, "02070803628")]);
    n!("02270803624" => [(PESEL, "02270803624")]);
    n!("44051401358" => []); // check digit
    n!("44135401357" => []); // month 13
    n!("PESEL 44023001351" => []); // 30 February
}

#[test]
fn be_national_number() {
    n!("rijksregisternummer 85.07.30-033.28" => [(BE, "85.07.30-033.28")]);
    n!("85.07.30-033.28" => [(BE, "85.07.30-033.28")]);
    n!("850730 033 28" => [(BE, "850730 033 28")]);
    n!("numéro national 17.07.30-033.84" => [(BE, "17.07.30-033.84")]); // born 2017
    n!("85.07.30-033.29" => []);
    n!("85.13.30-033.28" => []);
}

#[test]
fn se_personnummer() {
    n!("personnummer 811228-9874" => [(SE, "811228-9874")]);
    n!("670919-9530" => [(SE, "670919-9530")]);
    n!("811228+9874" => [(SE, "811228+9874")]);
    n!("19811228-9874" => [(SE, "19811228-9874")]);
    n!("198112289874" => [(SE, "198112289874")]);
    n!("samordningsnummer 701063-2391" => [(SE, "701063-2391")]);
    n!("personnummer 8112289874" => [(SE, "8112289874")]);
    n!("8112289874" => []);
    n!("log 202312011238 and 20231201-1238" => []); // date-time stamps
    n!("personnummer 202312011238" => [(SE, "202312011238")]);
    n!("811228-9875" => []); // Luhn
    n!("811328-9874" => []); // month 13
}

#[test]
fn passport_needs_its_keyword() {
    n!("passport number: C01X00T47" => [(PASSPORT, "C01X00T47")]);
    n!("Reisepassnummer C01X00T47" => [(PASSPORT, "C01X00T47")]);
    n!("numéro de passeport : 12AB34567" => [(PASSPORT, "12AB34567")]);
    n!("pasaporte n.º PAA000000" => [(PASSPORT, "PAA000000")]);
    n!("passaporto YA1234567" => [(PASSPORT, "YA1234567")]);
    n!("Paspoort: NW92BD1F4" => [(PASSPORT, "NW92BD1F4")]);
    n!("Passport No. 123456789" => [(PASSPORT, "123456789")]);
    n!("C01X00T47" => []);
    n!("passport 2019 expired" => []);
    n!("passport photos and C01X00T47" => [(PASSPORT, "C01X00T47")]);
    n!("passport stamp collection, many pages long, then 123456789" => []);
}

#[test]
fn look_alikes_are_not_ids() {
    for text in [
        "uuid 123e4567-e89b-12d3-a456-426614174000",
        "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "timestamp 1700000000 or 1700000000000",
        "version 10.2.3.4567 and 1.12.123",
        "price 1,234,567.89 EUR or 12.345.678,90",
        "order 2024-05-13 14:30:00",
        "tracking 1Z999AA10123456784",
        "12:34:56 on 12/05/2024",
    ] {
        n!(text => []);
    }
}

#[test]
fn pathological_inputs_stay_bounded() {
    n!(&"9".repeat(100_000) => []);
    n!(&"536-90-".repeat(20_000) => []);
    n!(&"AB12 ".repeat(20_000) => []);
    n!(&"passport ".repeat(20_000) => []);
    n!(&"RSSMRA85T".repeat(20_000) => []);
}

#[test]
fn random_pieces_keep_the_invariants() {
    // Pieces of this family's formats and of the finance family's, glued at random: no
    // panic, spans on char boundaries (checked by `found`).
    let pieces = [
        "1",
        "2",
        "9",
        "0",
        "12",
        "536",
        "90",
        "4399",
        "943",
        "476",
        "5919",
        " ",
        "-",
        ".",
        "+",
        "/",
        "A",
        "B",
        "C",
        "X",
        "Z",
        "AB",
        "RSSMRA",
        "85T10A562S",
        "2A",
        "é",
        "😀",
        "中",
        "bc1",
        "0x",
        "q",
        "DE",
        "89",
        "4111",
        "BIC ",
        "passport ",
        "Reisepass: ",
        "BSN ",
        "SSN ",
        "NHS ",
        "\u{0}",
        "ß",
        "aAeb",
        "F",
        "ff",
    ];
    let engine = Engine::default();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..4000 {
        let mut text = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 40) as usize;
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        crate::detectors::found(&engine, &text);
        crate::detectors::found(national(), &text);
    }
}
