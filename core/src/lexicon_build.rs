//! Builds the dictionary tables from the word lists: run by `build.rs` when the crate is
//! compiled, so an engine starts with ready tables. Uses nothing outside `std` and
//! `crate::token`.

use std::collections::HashMap;

use crate::token::{Fold, flag, next_token, table, token_hash};

/// Kinds of entries a lower-case token of a text can start.
pub const LOWER_RELEVANT: u32 = flag::CONDITION
    | flag::MEDICATION
    | flag::PARTICLE
    | flag::INTRO
    | flag::GREETING
    | flag::CLOSING
    | flag::STREET_BEFORE
    | flag::STREET_AFTER
    | flag::TITLE
    | flag::TITLE_WEAK
    | flag::LABEL;

/// Kinds of phrases that lead to a name.
pub const LEADS: u32 = flag::TITLE | flag::TITLE_WEAK | flag::GREETING | flag::CLOSING | flag::INTRO | flag::LABEL;

/// The tables, as bytes ready to embed.
pub struct Tables {
    pub slots: Vec<u8>,
    pub lower: Vec<u8>,
    pub intro: Vec<u8>,
    pub phrase: Vec<u8>,
    pub pair: Vec<u8>,
    pub city: Vec<u8>,
    pub plural: Vec<u8>,
}

fn set_bit(bits: &mut [u8], h: u64, log2: u32) {
    let i = table::bit(h, log2);
    bits[i >> 3] |= 1 << (i & 7);
}

pub struct Builder {
    map: HashMap<u64, u32>,
    lower: Vec<u8>,
    intro: Vec<u8>,
    phrase: Vec<u8>,
    pair: Vec<u8>,
    city: Vec<u8>,
    plural: Vec<u8>,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            map: HashMap::new(),
            lower: vec![0; 1 << (table::LOWER_BITS - 3)],
            intro: vec![0; 1 << (table::INTRO_BITS - 3)],
            phrase: vec![0; 1 << (table::PHRASE_BITS - 3)],
            pair: vec![0; 1 << (table::PAIR_BITS - 3)],
            city: vec![0; 1 << (table::CITY_BITS - 3)],
            plural: vec![0; 1 << (table::PLURAL_BITS - 3)],
        }
    }
}

/// The entries of a list: non-empty lines that are not `#` comments, with any
/// tab-separated extra columns dropped.
pub fn lines(list: &str) -> impl Iterator<Item = &str> {
    list.lines().filter_map(|l| {
        let l = l.split('\t').next().unwrap_or("").trim();
        (!l.is_empty() && !l.starts_with('#')).then_some(l)
    })
}

impl Builder {
    /// Adds a word or phrase with its flags; its proper prefixes get a prefix flag.
    pub fn add(&mut self, phrase: &str, flags: u32) {
        let mut toks = [0u64; 16];
        let mut n = 0;
        let mut at = 0;
        let mut first = "";
        while let Some(t) = next_token(phrase, at) {
            if n == toks.len() {
                return;
            }
            if n == 0 {
                first = &phrase[t.start..t.end];
            }
            toks[n] = token_hash(&phrase[t.start..t.end]);
            n += 1;
            at = t.end;
        }
        let toks = &toks[..n];
        if n == 1 && flags & (flag::CONDITION | flag::MEDICATION) != 0 {
            self.add_plurals(first);
        }
        let prefix = if flags & flag::CITY != 0 {
            flag::PREFIX_CITY
        } else if flags & (flag::CONDITION | flag::MEDICATION) != 0 {
            flag::PREFIX_MEDICAL
        } else {
            flag::PREFIX
        };
        let mut f = Fold::new();
        for (i, &t) in toks.iter().enumerate() {
            f.push_hash(t);
            let h = f.finish();
            *self.map.entry(h).or_insert(0) |= if i + 1 == toks.len() { flags } else { prefix };
            if i == 0 && flags & LOWER_RELEVANT != 0 {
                set_bit(&mut self.lower, h, table::LOWER_BITS);
            }
            if i == 0 && flags & flag::CITY != 0 {
                set_bit(&mut self.city, h, table::CITY_BITS);
            }
            if i == 1 {
                // Two bits per pair: a filter checked about once every three words.
                set_bit(&mut self.pair, h, table::PAIR_BITS);
                set_bit(&mut self.pair, h.rotate_left(32), table::PAIR_BITS);
            }
        }
        if let Some(&last) = toks.last() {
            // A lower-case word after these may be a name ("my name is anna", "hi anna").
            if flags & (flag::INTRO | flag::GREETING | flag::CLOSING) != 0 {
                set_bit(&mut self.intro, last, table::INTRO_BITS);
            }
            if toks.len() > 1 && flags & LEADS != 0 {
                set_bit(&mut self.phrase, last, table::PHRASE_BITS);
            }
        }
    }

    /// Marks the plural forms of a one-word medical term, as the scanner's plural test
    /// reads them back to the term ("migraine" from "migraines", "allergy" from
    /// "allergies"): that test hashes the singular only for a word in this filter.
    fn add_plurals(&mut self, word: &str) {
        if !word.is_ascii() {
            return;
        }
        let w = word.to_ascii_lowercase();
        set_bit(&mut self.plural, token_hash(&format!("{w}s")), table::PLURAL_BITS);
        if let Some(stem) = w.strip_suffix('y') {
            set_bit(&mut self.plural, token_hash(&format!("{stem}ies")), table::PLURAL_BITS);
        }
    }

    pub fn add_list(&mut self, list: &str, flags: u32) {
        for l in lines(list) {
            self.add(l, flags);
        }
    }

    /// `kind<TAB>phrase` lines, kind one of greeting, closing, intro.
    pub fn add_tagged(&mut self, list: &str) {
        for line in list.lines().filter(|l| !l.starts_with('#')) {
            if let Some((kind, phrase)) = line.split_once('\t') {
                let phrase = phrase.trim();
                // "Name:", "to:": labels, a name only after their colon. "I am", "ich bin":
                // weak introductions, a name only when capitalised.
                const WEAK: &[&str] = &[
                    "i am",
                    "i'm",
                    "this is",
                    "ich bin",
                    "hier ist",
                    "je suis",
                    "ici",
                    "moi c'est",
                    "soy",
                    "sono",
                    "ik ben",
                    "jestem",
                ];
                let f = match kind.trim() {
                    _ if phrase.ends_with(':') => flag::LABEL,
                    "greeting" => flag::GREETING,
                    "closing" => flag::CLOSING,
                    "intro" if WEAK.contains(&phrase) => flag::GREETING,
                    "intro" => flag::INTRO,
                    _ => 0,
                };
                if f != 0 {
                    self.add(phrase, f);
                }
            }
        }
    }

    /// ICD-10 codes (`code<TAB>title` lines), stored without the dot.
    pub fn add_icd10(&mut self, list: &str) {
        for code in lines(list) {
            *self.map.entry(token_hash(&code.replace('.', ""))).or_insert(0) |= flag::ICD10;
        }
    }

    /// Local spellings of single-word international names: "insulin" -> "insuline",
    /// "insulina"; "sertraline" -> "sertralina"; "omeprazole" -> "omeprazol";
    /// "ibuprofen" -> "ibuprofène", "ibuprofeno". A spelling that is already an entry
    /// of another kind (a name, a city) is skipped; one that is only a common word gets
    /// the medicine's flags too, unless it is an everyday word.
    pub fn add_spelling_variants(&mut self, list: &str, flags: u32) {
        /// Spellings that are common words and no medicine ("ananas" from "ananase").
        const NOT_MEDICINES: &[&str] = &[
            "americain",
            "ananas",
            "breeze",
            "cardamomo",
            "curar",
            "excipiente",
            "filipina",
            "filipino",
            "heroine",
            "madrina",
            "metadata",
            "pancreas",
            "prepare",
            "renes",
            "silicone",
            "titan",
            "ultras",
        ];
        for w in lines(list) {
            if w.len() < 6 || !w.bytes().all(|c| c.is_ascii_lowercase()) {
                continue;
            }
            let mut variants: Vec<String> = Vec::new();
            if let Some(stem) = w.strip_suffix('e') {
                variants.extend([stem.to_string(), format!("{stem}a"), format!("{stem}o")]);
            } else {
                variants.extend([format!("{w}e"), format!("{w}a"), format!("{w}o")]);
            }
            if let Some(stem) = w.strip_suffix("en") {
                variants.push(format!("{stem}ène"));
            }
            for v in variants {
                let h = token_hash(&v);
                match self.map.entry(h) {
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(flags);
                        set_bit(&mut self.lower, h, table::LOWER_BITS);
                        self.add_plurals(&v);
                    }
                    // The big Dutch and Spanish word lists have the local spellings of
                    // medicines ("insuline", "amoxicilline", "insulina"): a spelling that
                    // is only a common word is still the medicine, unless it is an
                    // everyday word too.
                    std::collections::hash_map::Entry::Occupied(mut e)
                        if *e.get() == flag::COMMON && !NOT_MEDICINES.contains(&v.as_str()) =>
                    {
                        *e.get_mut() |= flags;
                        set_bit(&mut self.lower, h, table::LOWER_BITS);
                        self.add_plurals(&v);
                    }
                    std::collections::hash_map::Entry::Occupied(_) => {}
                }
            }
        }
    }

    pub fn finish(self) -> Tables {
        let size = 1usize << table::TABLE_BITS;
        assert!(self.map.len() * 4 < size * 3, "dictionary table over 75% full: raise TABLE_BITS");
        let mut slots = vec![0u64; size];
        // Insert in a fixed order so the table is the same on every build.
        let mut entries: Vec<(u64, u32)> = self.map.into_iter().collect();
        entries.sort_unstable();
        for (h, flags) in entries {
            let mut i = table::home(h);
            while slots[i] != 0 {
                i = (i + 1) & (size - 1);
            }
            slots[i] = table::fingerprint(h) << table::FLAG_BITS | u64::from(flags);
        }
        let mut bytes = Vec::with_capacity(size * 8);
        for s in slots {
            bytes.extend_from_slice(&s.to_le_bytes());
        }
        Tables {
            slots: bytes,
            lower: self.lower,
            intro: self.intro,
            phrase: self.phrase,
            pair: self.pair,
            city: self.city,
            plural: self.plural,
        }
    }
}
