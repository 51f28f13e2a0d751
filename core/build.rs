//! Builds the dictionary tables from the word lists in `data/` and `src/lexicon/`, so that
//! an engine starts with ready tables instead of parsing 12 MB of text at run time.

use std::path::Path;

#[path = "src/token.rs"]
#[allow(dead_code)]
mod token;

#[path = "src/lexicon_build.rs"]
#[allow(dead_code)]
mod lexicon_build;

use token::flag::*;

/// Each list and what its words are.
const LISTS: &[(&str, u32)] = &[
    ("data/given_names.txt", GIVEN),
    ("data/surnames.txt", SURNAME),
    ("data/surname_particles.txt", PARTICLE),
    ("data/cities.txt", CITY),
    // Local names (München, Warszawa) are noisier: a city, but one that needs context.
    ("data/cities_alt.txt", CITY | AMBIGUOUS_CITY),
    ("src/lexicon/cities.txt", CITY),
    ("data/medical_conditions.txt", CONDITION),
    ("data/medications.txt", MEDICATION),
    ("src/lexicon/conditions.txt", CONDITION),
    ("src/lexicon/medical_ambiguous.txt", AMBIGUOUS_MEDICAL),
    ("src/lexicon/medications.txt", MEDICATION),
    ("data/common_words/en.txt", COMMON),
    ("data/common_words/de.txt", COMMON),
    ("data/common_words/fr.txt", COMMON),
    ("data/common_words/es.txt", COMMON),
    ("data/common_words/it.txt", COMMON),
    ("data/common_words/nl.txt", COMMON),
    ("data/common_words/pl.txt", COMMON),
    ("data/personal_titles/en.txt", TITLE_WEAK),
    ("data/personal_titles/de.txt", TITLE_WEAK),
    ("data/personal_titles/fr.txt", TITLE_WEAK),
    ("data/personal_titles/es.txt", TITLE_WEAK),
    ("data/personal_titles/it.txt", TITLE_WEAK),
    ("data/personal_titles/nl.txt", TITLE_WEAK),
    ("data/personal_titles/pl.txt", TITLE_WEAK),
    ("data/street_types/en.txt", STREET_AFTER),
    ("data/street_types/de.txt", STREET_AFTER),
    ("data/street_types/nl.txt", STREET_AFTER),
    ("data/street_types/fr.txt", STREET_BEFORE),
    ("data/street_types/es.txt", STREET_BEFORE),
    ("data/street_types/it.txt", STREET_BEFORE),
    ("data/street_types/pl.txt", STREET_BEFORE),
    ("src/lexicon/common_extra.txt", COMMON),
    ("src/lexicon/titles.txt", TITLE),
    ("src/lexicon/particles.txt", PARTICLE),
    ("src/lexicon/greetings.txt", GREETING),
    ("src/lexicon/closings.txt", CLOSING),
    ("src/lexicon/intros.txt", INTRO),
    ("src/lexicon/labels.txt", LABEL),
    ("src/lexicon/street_after.txt", STREET_AFTER),
    ("src/lexicon/street_before.txt", STREET_BEFORE),
];

const TAGGED: &[&str] = &[
    "data/salutations/en.txt",
    "data/salutations/de.txt",
    "data/salutations/fr.txt",
    "data/salutations/es.txt",
    "data/salutations/it.txt",
    "data/salutations/nl.txt",
    "data/salutations/pl.txt",
];

fn read(path: &str) -> String {
    println!("cargo::rerun-if-changed={path}");
    match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => panic!("cannot read {path}: {e}"),
    }
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/token.rs");
    println!("cargo::rerun-if-changed=src/lexicon_build.rs");
    let mut b = lexicon_build::Builder::default();
    for (path, flags) in LISTS {
        b.add_list(&read(path), *flags);
    }
    for path in TAGGED {
        b.add_tagged(&read(path));
    }
    b.add_icd10(&read("data/icd10_codes.txt"));
    // Medicine names in their French, Spanish, Italian, Dutch and German spellings
    // (amoxicilline, metformina, omeprazol), unless the spelling is a word of some language.
    b.add_spelling_variants(&read("data/medications.txt"), MEDICATION);
    let t = b.finish();
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| panic!("OUT_DIR is not set"));
    let out = Path::new(&out);
    // The lower-case and city filters have the same size and index: interleaved by byte,
    // one read gives both.
    let lower_city: Vec<u8> = t.lower.iter().zip(&t.city).flat_map(|(&l, &c)| [l, c]).collect();
    for (name, bytes) in [
        ("slots", &t.slots),
        ("lower_city", &lower_city),
        ("intro", &t.intro),
        ("phrase", &t.phrase),
        ("pair", &t.pair),
        ("plural", &t.plural),
    ] {
        let path = out.join(format!("lexicon_{name}.bin"));
        if let Err(e) = std::fs::write(&path, bytes) {
            panic!("cannot write {}: {e}", path.display());
        }
    }
}
