use lucairn_core::{Engine, Policy};

const A: &str = "STREET_ADDRESS";
const Z: &str = "POSTAL_CODE";

fn engine() -> Engine {
    Engine::new(Policy { only: Some(vec![A.into(), Z.into()]), ..Policy::default() }).expect("builds")
}

#[test]
fn addresses_in_each_language() {
    let e = engine();
    for (text, want) in [
        ("at 221B Baker Street, London NW1 6XE today", "221B Baker Street, London NW1 6XE"),
        ("10 Downing St. is busy", "10 Downing St."),
        ("Hauptstraße 12, 10115 Berlin", "Hauptstraße 12, 10115 Berlin"),
        ("wohne Am Markt 3a seit Jahren", "Am Markt 3a"),
        ("12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris"),
        ("Calle Mayor 5, 3º B, 28013 Madrid", "Calle Mayor 5, 3º B, 28013 Madrid"),
        ("Via Roma 10, 00184 Roma", "Via Roma 10, 00184 Roma"),
        ("Kerkstraat 5, 1012 AB Amsterdam", "Kerkstraat 5, 1012 AB Amsterdam"),
        ("ul. Długa 7/3, 00-950 Warszawa", "ul. Długa 7/3, 00-950 Warszawa"),
        ("PO Box 123, Springfield, IL 62704", "PO Box 123, Springfield, IL 62704"),
        ("Postfach 1234", "Postfach 1234"),
        // Multi-word towns of the lexicon after the postcode or the street.
        ("Kirchplatz 93, 98323 Frankfurt am Main.", "Kirchplatz 93, 98323 Frankfurt am Main"),
        ("158 rue des Tilleuls, 52967 Aix-en-Provence", "158 rue des Tilleuls, 52967 Aix-en-Provence"),
        ("Juliannaweg 60, 1649 MK Den Haag. Fijn weekend!", "Juliannaweg 60, 1649 MK Den Haag"),
        ("Berkenplein 32\n1827 CZ 's-Hertogenbosch", "Berkenplein 32\n1827 CZ 's-Hertogenbosch"),
        ("46 Mulberry Ave\nAnn Arbor, OH 43887", "46 Mulberry Ave\nAnn Arbor, OH 43887"),
        ("94 Xorkfox Rd, New Haven, AZ 85758.", "94 Xorkfox Rd, New Haven, AZ 85758"),
        // The floor and side of a Spanish address.
        ("Plaza Ryszia, 54a, 2º izq., 34558 Córdoba", "Plaza Ryszia, 54a, 2º izq., 34558 Córdoba"),
        // A full street type at the end of a sentence leaves the period out.
        ("at 121 Park Crescent. Order 589029", "121 Park Crescent"),
    ] {
        assert_eq!(crate::detectors::found(&e, text), [(A.to_string(), want.to_string())], "{text}");
    }
}

#[test]
fn numbers_that_are_not_addresses() {
    let e = engine();
    for text in
        ["I have 3 cats and Windows 11.", "Terminal 2 at 10 am", "Chapter 12 of 30", "we sold 500 units in 2024"]
    {
        assert_eq!(crate::detectors::found(&e, text), Vec::<(String, String)>::new(), "{text}");
    }
}

#[test]
fn postal_codes_need_context() {
    let e = engine();
    assert_eq!(crate::detectors::found(&e, "My ZIP code is 90210."), [(Z.to_string(), "90210".to_string())]);
    assert_eq!(crate::detectors::found(&e, "PLZ: 10115"), [(Z.to_string(), "10115".to_string())]);
    assert!(crate::detectors::found(&e, "we shipped 90210 units").is_empty());
}
