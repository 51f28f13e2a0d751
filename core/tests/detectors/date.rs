//! DATE_OF_BIRTH and DATE_TIME: numeric and written dates in six languages, birth
//! context, calendar validation, look-alikes.

use std::sync::OnceLock;

use lucairn_core::{Engine, Policy};

const DT: &str = "DATE_TIME";
const DOB: &str = "DATE_OF_BIRTH";

fn dates_only(threshold: f32) -> Engine {
    Engine::new(Policy { only: Some(vec![DT.into(), DOB.into()]), threshold, ..Policy::default() }).expect("policy")
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| dates_only(0.5))
}

/// Dates at any score, to check scores below the default threshold.
fn any_score() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| dates_only(0.0))
}

/// Asserts the dates found in a text (dates-only engine, default threshold).
macro_rules! d {
    ($text:expr => [$(($kind:expr, $val:expr)),* $(,)?]) => {{
        let want: Vec<(String, String)> = vec![$(($kind.to_string(), $val.to_string())),*];
        assert_eq!(crate::detectors::found(engine(), $text), want, "text: {:?}", $text);
    }};
}

/// (kind, value, score) of the one date in `text`, at any threshold.
fn one(text: &str) -> (String, String, f32) {
    let e = any_score();
    let f = e.scan(text);
    assert_eq!(f.len(), 1, "want one date in {text:?}, got {f:?}");
    (e.kind_name(f[0].kind).to_string(), f[0].as_str(text).to_string(), f[0].score)
}

#[test]
fn iso_8601() {
    d!("on 2024-03-15." => [(DT, "2024-03-15")]);
    d!("at 2024-03-15T10:30:00Z" => [(DT, "2024-03-15T10:30:00Z")]);
    d!("2024-03-15T10:30:00.123+01:00 ok" => [(DT, "2024-03-15T10:30:00.123+01:00")]);
    d!("2024-03-15T10:30-05:00" => [(DT, "2024-03-15T10:30-05:00")]);
    d!("logged 2024-03-15 10:30:15, done" => [(DT, "2024-03-15 10:30:15")]);
    d!("2024/03/15 and 2024/3/5" => [(DT, "2024/03/15"), (DT, "2024/3/5")]);
    d!("2024.03.15" => [(DT, "2024.03.15")]);
    d!("2024-02-29" => [(DT, "2024-02-29")]);
}

#[test]
fn numeric_day_or_month_first() {
    d!("am 15.03.2024 um" => [(DT, "15.03.2024")]);
    d!("3.1.1990" => [(DT, "3.1.1990")]);
    d!("15/03/2024 or 03/15/2024" => [(DT, "15/03/2024"), (DT, "03/15/2024")]);
    d!("15-03-2024" => [(DT, "15-03-2024")]);
    d!("03-15-2024" => [(DT, "03-15-2024")]);
    d!("Termin: 15.03.2024 10:30 Uhr" => [(DT, "15.03.2024 10:30")]);
    d!("(12/31/1999)" => [(DT, "12/31/1999")]);
}

#[test]
fn written_months_in_six_languages() {
    d!("on 15 March 2024" => [(DT, "15 March 2024")]);
    d!("on 15 March, 2024" => [(DT, "15 March, 2024")]);
    d!("the 15th of March 2024" => [(DT, "15th of March 2024")]);
    d!("March 15, 2024" => [(DT, "March 15, 2024")]);
    d!("on Sunday, March 15th 2024." => [(DT, "March 15th 2024")]);
    d!("Mar. 15, 2024" => [(DT, "Mar. 15, 2024")]);
    d!("15 Mar 2024, 15-Mar-2024, 15 Sept. 2024" => [(DT, "15 Mar 2024"), (DT, "15-Mar-2024"), (DT, "15 Sept. 2024")]);
    d!("am 15. März 2024" => [(DT, "15. März 2024")]);
    d!("am 1. Jänner 2024 und 3. Okt. 2024" => [(DT, "1. Jänner 2024"), (DT, "3. Okt. 2024")]);
    d!("le 3 janvier 1990" => [(DT, "3 janvier 1990")]);
    d!("le 1er août 2024, le 14 juillet 1789" => [(DT, "1er août 2024"), (DT, "14 juillet 1789")]);
    d!("le 3 FÉVRIER 2020" => [(DT, "3 FÉVRIER 2020")]);
    d!("el 3 de enero de 1990" => [(DT, "3 de enero de 1990")]);
    d!("el 25 de diciembre del 2023" => [(DT, "25 de diciembre del 2023")]);
    d!("il 3 gennaio 1990" => [(DT, "3 gennaio 1990")]);
    d!("il 15 settembre 2024" => [(DT, "15 settembre 2024")]);
    d!("op 3 januari 1990" => [(DT, "3 januari 1990")]);
    d!("op 1 mei 2024 en 7 mrt 2024" => [(DT, "1 mei 2024"), (DT, "7 mrt 2024")]);
}

#[test]
fn calendar_is_validated() {
    d!("31 February 2024" => []);
    d!("29.02.2023" => []);
    d!("29.02.2024" => [(DT, "29.02.2024")]);
    d!("29.02.1900" => []);
    d!("2024-13-01" => []);
    d!("2024-02-30" => []);
    d!("2024-00-10" => []);
    d!("32.01.2024" => []);
    d!("00.01.2024" => []);
    d!("15.13.2024" => []);
    d!("13/13/2024" => []);
    d!("31 April 2024" => []);
    d!("April 31, 2024" => []);
    d!("15.03.1700 and 15.03.2300" => []);
    d!("15 March 3024" => []);
    d!("am 31. April 2024, le 30 février 2024" => []);
    d!("el 31 de junio de 2024, il 31 settembre 2024, op 31 november 2024" => []);
    d!("29 febbraio 2023, 29 februari 2024" => [(DT, "29 februari 2024")]);
}

#[test]
fn not_dates() {
    d!("at 10:30 and 23:59:59" => []);
    d!("in 2024, since 1990" => []);
    d!("1990 - 2024" => []);
    d!("version 1.2.3 and 10.0.19041.1234" => []);
    d!("version 2024.1.1" => []);
    d!("v1.15.03.2024" => []);
    d!("192.168.1.1 and 10.10.20.20" => []);
    d!("pi is 3.14, e is 2.71" => []);
    d!("15.03.2024.1" => []);
    d!("2024-03-15-0001" => []);
    d!("2024-03-15Tfoo" => []);
    d!("ID12.03.2024" => []);
    d!("15.03 and 12/2024" => []);
    d!("3 apples, 15 Marches, 15 marzipan" => []);
    d!("15.03.20245" => []);
    d!("May 5 and may 2024" => []);
    d!("1/2/3" => []);
    d!("20240315" => []);
}

#[test]
fn ambiguous_forms_score_lower() {
    let (k, v, s) = one("15.03.24");
    assert_eq!((k.as_str(), v.as_str()), (DT, "15.03.24"));
    assert!(s < 0.5);
    let (k, v, s) = one("see you on 15 March");
    assert_eq!((k.as_str(), v.as_str()), (DT, "15 March"));
    assert!(s < 0.5);
    let (k, v, s) = one("see you on March 15");
    assert_eq!((k.as_str(), v.as_str()), (DT, "March 15"));
    assert!(s < 0.5);
    let (_, _, numeric) = one("15.03.2024");
    let (_, _, written) = one("15 March 2024");
    let (_, _, iso) = one("2024-03-15");
    assert!((0.5..=0.6).contains(&numeric));
    assert!((0.5..=0.6).contains(&written));
    assert!((0.5..=0.6).contains(&iso));
    d!("15.03.24" => []);
    d!("15 March" => []);
}

#[test]
fn dates_of_birth() {
    d!("born 15 March 1990" => [(DOB, "15 March 1990")]);
    d!("Born on March 15, 1990 in Leeds" => [(DOB, "March 15, 1990")]);
    d!("DOB: 01/02/1980" => [(DOB, "01/02/1980")]);
    d!("d.o.b. 1980-02-01" => [(DOB, "1980-02-01")]);
    d!("D.O.B.: 1980-02-01" => [(DOB, "1980-02-01")]);
    d!("Date of birth (DD.MM.YYYY): 15.03.1990" => [(DOB, "15.03.1990")]);
    d!("Birthday: 3 April 1985" => [(DOB, "3 April 1985")]);
    d!("geb. 15.03.1990" => [(DOB, "15.03.1990")]);
    d!("geboren am 15. März 1990 in Köln" => [(DOB, "15. März 1990")]);
    d!("Geburtsdatum: 15.03.1990" => [(DOB, "15.03.1990")]);
    d!("né le 3 janvier 1990" => [(DOB, "3 janvier 1990")]);
    d!("Marie, née le 3 janvier 1990 à Lyon" => [(DOB, "3 janvier 1990")]);
    d!("date de naissance : 03/01/1990" => [(DOB, "03/01/1990")]);
    d!("nacido el 3 de enero de 1990" => [(DOB, "3 de enero de 1990")]);
    d!("nacida el 3 de enero de 1990" => [(DOB, "3 de enero de 1990")]);
    d!("fecha de nacimiento: 03/01/1990" => [(DOB, "03/01/1990")]);
    d!("nato il 3 gennaio 1990" => [(DOB, "3 gennaio 1990")]);
    d!("Nata a Roma il 3 gennaio 1990" => [(DOB, "3 gennaio 1990")]);
    d!("data di nascita: 03/01/1990" => [(DOB, "03/01/1990")]);
    d!("geboren op 3 januari 1990" => [(DOB, "3 januari 1990")]);
    d!("geboortedatum: 03-01-1990" => [(DOB, "03-01-1990")]);
    d!("15.03.1990 (DOB)" => [(DOB, "15.03.1990")]);
    d!("1990-03-15 (date of birth)" => [(DOB, "1990-03-15")]);
}

#[test]
fn dates_of_birth_partial_and_scores() {
    let (k, v, s) = one("born on 3 April");
    assert_eq!((k.as_str(), v.as_str()), (DOB, "3 April"));
    assert!(s >= 0.5);
    let (k, v, s) = one("geb. 15.03.90");
    assert_eq!((k.as_str(), v.as_str()), (DOB, "15.03.90"));
    assert!(s >= 0.5);
    let (k, _, s) = one("DOB 1990-03-15");
    assert_eq!(k, DOB);
    assert!(s >= 0.8);
    // A birth date carries no time.
    d!("born 1990-03-15T04:30" => [(DOB, "1990-03-15")]);
}

#[test]
fn birth_context_is_near_and_whole() {
    d!("DOB: 01/02/1980, appointment 03/04/2024" => [(DOB, "01/02/1980"), (DT, "03/04/2024")]);
    d!("born in 1990; married on 3 May 2015" => [(DT, "3 May 2015")]);
    d!("NATO summit on 3 July 2024" => [(DT, "3 July 2024")]);
    d!("Borneo trip 12 March 2024" => [(DT, "12 March 2024")]);
    d!("newborn care from 12.03.2024" => [(DT, "12.03.2024")]);
    d!("Meeting 15.03.2024. Born in Rome." => [(DT, "15.03.2024")]);
}

#[test]
fn birth_dates_as_date_time_when_dob_is_off() {
    let e = Engine::new(Policy { only: Some(vec![DT.into()]), ..Policy::default() }).expect("policy");
    assert_eq!(crate::detectors::found(&e, "born 15 March 1990"), [(DT.to_string(), "15 March 1990".to_string())]);
    let e = Engine::new(Policy { only: Some(vec![DOB.into()]), ..Policy::default() }).expect("policy");
    assert_eq!(crate::detectors::found(&e, "on 15 March 1990"), []);
}

#[test]
fn on_the_default_engine() {
    t!("Geburtsdatum 01.02.1980, Termin am 2024-03-15T10:30:00Z" => [
        (DOB, "01.02.1980"),
        (DT, "2024-03-15T10:30:00Z"),
    ]);
}

#[test]
fn long_and_odd_inputs() {
    let e = engine();
    for text in [
        "1.".repeat(100_000),
        "12/".repeat(100_000),
        "2024-".repeat(100_000),
        "15 March ".repeat(10_000),
        "March 1".repeat(10_000),
        "1 ".repeat(100_000) + "März",
        "15 M\u{e4}".repeat(10_000),
    ] {
        crate::invariants::check(&text, &e.scan(&text));
    }
    let many = "born 15.03.1990\n".repeat(1000);
    assert_eq!(e.scan(&many).len(), 1000);
}
