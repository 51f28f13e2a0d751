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

#[test]
fn given_names_that_are_also_words_or_places_before_a_surname() {
    let e = only(&[P]);
    // "Robert" is a Dutch word, "Fatima" and "Lucas" are towns: an unknown surname after
    // them still makes a name.
    w!(e, "Please call Robert Grathfiaovic today." => [(P, "Robert Grathfiaovic")]);
    w!(e, "J'ai eu Fatima Al-Zahrani au téléphone." => [(P, "Fatima Al-Zahrani")]);
    w!(e, "Le salarié Lucas Rontiaxridge arrive." => [(P, "Lucas Rontiaxridge")]);
    w!(e, "Wer kann dabei sein? Nguyen Thi Lan hat eine Mail." => [(P, "Nguyen Thi Lan")]);
    // Hard negatives: common words at the start of a sentence.
    w!(e, "In May we're moving the server." => []);
    w!(e, "Der Link zum Zurücksetzen funktioniert nicht." => []);
    w!(e, "Guten Tag, hier ist Felix Schneider." => [(P, "Felix Schneider")]);
}

#[test]
fn names_after_titles_greetings_and_closings() {
    let e = only(&[P]);
    w!(e, "Mevr. van Dijk heeft zich ziek gemeld." => [(P, "van Dijk")]);
    w!(e, "Geachte mevrouw de Groot, dank voor uw bericht." => [(P, "de Groot")]);
    w!(e, "Sehr geehrter Herr Wagner, danke." => [(P, "Wagner")]);
    w!(e, "Geachte heer Xerkdiathovic, wij bieden u graag" => [(P, "Xerkdiathovic")]);
    w!(e, "Dear Mr Xu, we are pleased." => [(P, "Xu")]);
    w!(e, "Karteninhaber DYRIS NOLVYIARENKO" => [(P, "DYRIS NOLVYIARENKO")]);
    // A name in capitals ends at the next capitalised word.
    w!(e, "name on card LAKSHMI IYER In May we move." => [(P, "LAKSHMI IYER")]);
    w!(e, "Grüß Katharina Schneider von mir." => [(P, "Katharina Schneider")]);
    w!(e, "Dank je Koen!" => [(P, "Koen")]);
    w!(e, "Schönes Wochenende! LG Haoran" => [(P, "Haoran")]);
    w!(e, "Distinti saluti,\nMalven Xunthouthez\nServizio clienti" => [(P, "Malven Xunthouthez")]);
    // A title inside a domain or an acronym is no title.
    w!(e, "Schreib an anna@web.de. Schönes Wochenende!" => []);
    w!(e, "Frag bei HR. Fijn weekend!" => []);
    w!(e, "Cordialement,\nAntoine Zeirshiaridge" => [(P, "Antoine Zeirshiaridge")]);
}

#[test]
fn names_in_lower_case_chat() {
    let e = only(&[P]);
    w!(e, "hola soy brandkreilia quiarzhyzardo, de córdoba" => [(P, "brandkreilia quiarzhyzardo")]);
    w!(e, "ciao sono marco bruno, mi cambi la mail?" => [(P, "marco bruno")]);
    w!(e, "ik ben ruben mulder uit rotterdam" => [(P, "ruben mulder")]);
    w!(e, "hey its zhulvec zaerkvysault, can u change it" => [(P, "zhulvec zaerkvysault")]);
    // Not names: ordinary words after an introduction.
    w!(e, "soy muy feliz, gracias" => []);
    w!(e, "ik ben heel blij, dank je" => []);
    w!(e, "i'm going home, see you" => []);
}

#[test]
fn places_in_lower_case_and_next_to_an_office() {
    let e = only(&[L]);
    w!(e, "bin niklas wagner aus münchen, wer hat lust" => [(L, "münchen")]);
    w!(e, "i'm andrew, from denver, anyone up for football" => [(L, "denver")]);
    w!(e, "ik ben fleur uit den haag, wie heeft zin" => [(L, "den haag")]);
    w!(e, "Der Kurs beginnt im Büro Kassel." => [(L, "Kassel")]);
    w!(e, "Can I pick it up in your Bristol store?" => [(L, "Bristol")]);
    w!(e, "Mag ik naar 's-Hertogenbosch reizen?" => [(L, "'s-Hertogenbosch")]);
    w!(e, "Ik ben vorige maand naar Den Haag verhuisd." => [(L, "Den Haag")]);
    w!(e, "une réunion au bureau de Saint-Étienne" => [(L, "Saint-Étienne")]);
    // Hard negatives: a room, a lower-case word after a preposition, a closing.
    w!(e, "La salle 4B est réservée." => []);
    w!(e, "we went from home to work" => []);
    w!(e, "Looking forward to hearing from you.\n\nBest regards,\nYoussef" => []);
    w!(e, "Amtsgericht München" => []);
}

#[test]
fn medicines_and_conditions_in_each_language() {
    let e = only(&[M, D]);
    w!(e, "uw recept voor amoxicilline ligt klaar" => [(D, "amoxicilline")]);
    w!(e, "su receta de insulina está lista" => [(D, "insulina")]);
    w!(e, "je prends Kardégic tous les matins" => [(D, "Kardégic")]);
    w!(e, "con Nolotil no mejora" => [(D, "Nolotil")]);
    w!(e, "Mein Sohn hat wieder Grippe und Paracetamol hilft nicht." => [(M, "Grippe"), (D, "Paracetamol")]);
    w!(e, "mir wurde letztes Jahr Depression festgestellt" => [(M, "Depression")]);
    w!(e, "referred for Crohn's disease." => [(M, "Crohn's disease")]);
    w!(e, "è in malattia per un'ernia del disco; rientra" => [(M, "ernia del disco")]);
    w!(e, "ho bisogno dell'insulina, soffre d'asma" => [(D, "insulina"), (M, "asma")]);
    w!(e, "j'ai de l’asthme depuis 2010" => [(M, "asthme")]);
    w!(e, "vandaag ziek gemeld met hooikoorts" => [(M, "hooikoorts")]);
    w!(e, "Diagnostic : polyarthrite rhumatoïde" => [(M, "polyarthrite rhumatoïde")]);
    // Hard negatives: the economic sense, German "ist", a title, "rufen".
    w!(e, "Der Kurs behandelt die Große Depression." => []);
    w!(e, "Le cours porte sur la Grande Dépression et le New Deal." => []);
    w!(e, "De cursus gaat over de Grote Depressie." => []);
    w!(e, "Sie hat sich mit Asthma krankgemeldet und ist morgen zurück." => [(M, "Asthma")]);
    w!(e, "Ms Xu called in sick today." => []);
    w!(e, "wir rufen Sie zurück" => []);
    w!(e, "Ananas und Titan" => []);
}
