use lucairn_core::{Engine, Policy};

const P: &str = "PERSON";
const L: &str = "LOCATION";
const M: &str = "MEDICAL_CONDITION";
const D: &str = "MEDICATION";

fn only(kinds: &[&str]) -> Engine {
    let p = Policy { only: Some(kinds.iter().map(|k| k.to_string()).collect()), ..Policy::default() };
    Engine::new(p).expect("policy builds")
}

macro_rules! w {
    ($engine:expr, $text:expr => [$(($kind:expr, $val:expr)),* $(,)?]) => {{
        let want: Vec<(String, String)> = vec![$(($kind.to_string(), $val.to_string())),*];
        assert_eq!(crate::detectors::found(&$engine, $text), want, "text: {:?}", $text);
    }};
}

#[test]
fn names_from_dictionary_and_context() {
    let e = only(&[P]);
    w!(e, "Anna Schmidt met Dr. Müller." => [(P, "Anna Schmidt"), (P, "Müller")]);
    w!(e, "Dear Xiang Zhou, thanks for the call." => [(P, "Xiang Zhou")]);
    w!(e, "Patient: Oluwaseun Adeyemi was admitted." => [(P, "Oluwaseun Adeyemi")]);
    w!(e, "a concert by Ludwig van Beethoven" => [(P, "Ludwig van Beethoven")]);
    w!(e, "Mr. John F. Kennedy spoke" => [(P, "John F. Kennedy")]);
    w!(e, "my name is anna schmidt" => [(P, "anna schmidt")]);
    w!(e, "Ich heiße Lukas Weber und wohne hier." => [(P, "Lukas Weber")]);
    w!(e, "Je m'appelle Marie Dupont." => [(P, "Marie Dupont")]);
    w!(e, "Best,\nAnna" => [(P, "Anna")]);
    w!(e, "Sehr geehrte Frau Becker," => [(P, "Becker")]);
    w!(e, "Hola Sra. García, gracias." => [(P, "García")]);
    w!(e, "ANNA SCHMIDT signed." => [(P, "ANNA SCHMIDT")]);
}

#[test]
fn common_words_need_context() {
    let e = only(&[P]);
    w!(e, "Will you come? May I ask? Mark the date." => []);
    w!(e, "Will Smith will come." => [(P, "Will Smith")]);
    w!(e, "Dear Customer, Hi Team, Hello World" => []);
    w!(e, "The report is ready. Could you check it?" => []);
}

#[test]
fn places() {
    let e = only(&[L]);
    w!(e, "I live in Frankfurt am Main now." => [(L, "Frankfurt am Main")]);
    w!(e, "We visited Paris in May." => [(L, "Paris")]);
    w!(e, "All the Best,\nAnna" => []);
}

#[test]
fn medical_terms() {
    let e = only(&[M, D]);
    w!(e, "diagnosed with type 2 diabetes and takes metformin" => [(M, "type 2 diabetes"), (D, "metformin")]);
    w!(e, "She has migraines and allergies." => [(M, "migraines"), (M, "allergies")]);
    w!(e, "I have a cold." => [(M, "cold")]);
    w!(e, "The weather is cold. A cold front." => []);
    w!(e, "the Great Depression hit the markets" => []);
    w!(e, "ICD-10 diagnosis E11.9 confirmed" => [(M, "E11.9")]);
    w!(e, "version E11.9 of the firmware" => []);
}

#[test]
fn a_pronoun_after_a_greeting_is_not_a_name() {
    let e = only(&[P]);
    w!(e, "Hi, I am new here." => []);
    w!(e, "Hi, I am Anna Schmidt." => [(P, "Anna Schmidt")]);
}
