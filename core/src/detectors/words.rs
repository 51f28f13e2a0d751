//! Word detectors: PERSON, LOCATION, MEDICAL_CONDITION and MEDICATION, from one pass over
//! the words of the text and one lexicon lookup per word (see `lexicon.rs`).
//!
//! - PERSON: a known given name (not a common word, or followed by a surname), extended
//!   over following capitalised words and surname particles ("Anna Schmidt", "Ludwig van
//!   Beethoven", "Xiang Zhou" after "Dear"); a given name that is also a word or a town
//!   before a surname no list knows ("Robert Grathfiaovic", "Fatima Al-Zahrani"); any
//!   capitalised words after a title ("Dr.", "Frau", "Mme", "Sra.", "dhr.", "titular"), a
//!   salutation or label ("Dear", "Hallo", "Patient:"), an introduction ("my name is", "ich
//!   heiße", "je m'appelle" — where lower-case names count too, and two unknown lower-case
//!   words after "soy", "sono", "ik ben") or a closing ("Best,\nAnna", "LG Anna" at the end
//!   of a line); a particle after a title ("Mevr. van Dijk"); a Vietnamese family name
//!   before the name ("Nguyen Thi Lan"). All-caps names score lower and end at the next
//!   capitalised word.
//! - LOCATION: a known city, multi-word cities included ("Frankfurt am Main"); one that is
//!   also a common word or a name ("Nice", "Victoria") needs a preposition, context or an
//!   office word next to it ("Büro Kassel", "the Bristol store"); in lower case only right
//!   after a preposition ("aus münchen").
//! - MEDICAL_CONDITION / MEDICATION: dictionary terms of up to six words, any case, simple
//!   plurals, after an elided article ("un'ernia del disco"); terms that are common words
//!   ("cold") need medical context in the same sentence, before them or (capitalised
//!   nouns) up to 40 bytes after. ICD-10 codes ("E11.9") with context come from `at_digits`.
//!
//! Look-ahead: at most six tokens (and 64 bytes of context) past the first word of a
//! finding; spans are at most 256 bytes.

use crate::Kind;
use crate::detectors::Handler;
use crate::lexicon::{Fold, Lexicon, flag};
use crate::scan::Scanner;
use crate::token::{Shape, Tok, Words, hash_lower_ascii_at, hash_word, next_token, token_hash};

/// True when token `t` (hash `h`) and the next token may start an entry of two or more
/// tokens. Entries join their words with spaces, hyphens or apostrophes only, so other
/// bytes right after `t` settle it without reading the next token.
///
/// The next token's hash is left in `carry` (its start and hash), so the word loop need
/// not hash it again when it gets there.
#[inline(always)]
fn pair_next(lex: &Lexicon, text: &str, t: &Tok, h: u64, ahead: &Words<'_>, carry: &mut Carry) -> bool {
    if !matches!(text.as_bytes().get(t.end), Some(b' ' | b'\t' | b'-' | b'\'' | 0xE2)) {
        return false;
    }
    let Some(m) = ahead.peek() else { return false };
    let hm = hash_tok(text, &m);
    *carry = Carry { start: m.start, hash: hm };
    pair_may_start(lex, h, hm)
}

/// The hash of a token that a pair check has already read ahead, by its start.
#[derive(Clone, Copy)]
struct Carry {
    start: usize,
    hash: u64,
}

impl Carry {
    /// The hash of token `t`: the carried one when `t` is the token it was taken from.
    #[inline(always)]
    fn hash(self, text: &str, t: &Tok) -> u64 {
        // Tokens are cut the same way from the same start, so the start settles it.
        if self.start == t.start { self.hash } else { hash_tok(text, t) }
    }
}

/// True when the words with hashes `h` and `hm`, in this order, may start an entry of two
/// or more tokens.
#[inline(always)]
fn pair_may_start(lex: &Lexicon, h: u64, hm: u64) -> bool {
    let mut f = Fold::new();
    f.push_hash(h);
    f.push_hash(hm);
    lex.pair.may_contain2(f.finish())
}

/// The token after a word whose hash is `h` (the next one `ahead` yields), with its hash,
/// when the two may start an entry of two or more tokens: the tokens after it are worth
/// reading only then.
#[inline(always)]
fn pair_ahead(lex: &Lexicon, text: &str, h: u64, ahead: &Words<'_>) -> Option<(Tok, u64)> {
    let m = ahead.peek()?;
    let hm = hash_tok(text, &m);
    pair_may_start(lex, h, hm).then_some((m, hm))
}

/// Keyword anchors of this family (none: the word pass visits every word).
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::MedicalCondition,
        &[
            "diagnosed",
            "diagnosis",
            "suffer",
            "suffers",
            "suffering",
            "symptom",
            "symptoms",
            "treated",
            "treatment",
            "patient",
            "history of",
            "have",
            "has",
            "had",
            "having",
            "chronic",
            "acute",
            "condition",
            "disease",
            "illness",
            "disorder",
            "sick",
            "ill with",
            "ICD",
            "Diagnose",
            "leidet",
            "erkrankt",
            "Krankheit",
            "Behandlung",
            "Symptome",
            "diagnostic",
            "diagnostiqué",
            "souffre",
            "maladie",
            "traitement",
            "diagnóstico",
            "diagnosticado",
            "padece",
            "enfermedad",
            "tratamiento",
            "diagnosi",
            "soffre",
            "malattia",
            "terapia",
            "diagnose",
            "lijdt",
            "ziekte",
            "behandeling",
            "referred for",
            "off with",
            "hat",
            "habe",
            "heeft",
            "tiene",
            "tengo",
            "ha",
            "krankgemeldet",
            "festgestellt",
            "diagnostiziert",
            "ziek gemeld",
            "vastgesteld",
            "diagnosticato",
            "diagnosticata",
            "arrêt",
            "de baja",
        ],
    ),
    (
        Kind::Medication,
        &[
            "prescribed",
            "prescription",
            "taking",
            "takes",
            "took",
            "dose",
            "dosage",
            "mg",
            "tablet",
            "tablets",
            "pill",
            "pills",
            "medication",
            "medicine",
            "drug",
            "verschrieben",
            "nimmt",
            "Medikament",
            "Tabletten",
            "ordonnance",
            "prend",
            "médicament",
            "comprimé",
            "receta",
            "toma",
            "medicamento",
            "pastillas",
            "prescritto",
            "prende",
            "farmaco",
            "compresse",
            "voorgeschreven",
            "neemt",
            "medicijn",
            "tabletten",
        ],
    ),
    (
        Kind::Location,
        &[
            "live in",
            "lives in",
            "living in",
            "moved to",
            "born in",
            "from",
            "visit",
            "visited",
            "visiting",
            "trip to",
            "flight to",
            "travel to",
            "travelled to",
            "traveled to",
            "city",
            "town",
            "located in",
            "wohne in",
            "wohnt in",
            "lebe in",
            "aus",
            "Stadt",
            "Wohnort",
            "Ort",
            "geboren in",
            "j'habite à",
            "habite à",
            "vivre à",
            "ville",
            "né à",
            "née à",
            "vivo en",
            "vive en",
            "ciudad",
            "nacido en",
            "abito a",
            "vivo a",
            "città",
            "nato a",
            "woon in",
            "woont in",
            "stad",
            "woonplaats",
            "geboren in",
            "mieszkam w",
            "office",
            "store",
            "branch",
            "clinic",
            "Büro",
            "Filiale",
            "bureau",
            "magasin",
            "agence",
            "oficina",
            "tienda",
            "sucursal",
            "ufficio",
            "negozio",
            "sede",
            "kantoor",
            "winkel",
            "vestiging",
        ],
    ),
];

/// What stands between two tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    /// One to three spaces or tabs.
    Space,
    /// A hyphen, no spaces.
    Hyphen,
    /// A period then spaces ("Dr. Who").
    Period,
    /// A comma, then spaces or line breaks.
    Comma,
    /// A colon, then spaces.
    Colon,
    /// A line break (and spaces).
    Newline,
    /// Anything else.
    Other,
}

#[inline(always)]
fn sep(b: &[u8], from: usize, to: usize) -> Sep {
    // Most words are one space apart.
    if to == from + 1 && b.get(from) == Some(&b' ') {
        return Sep::Space;
    }
    sep_other(b, from, to)
}

/// [`sep`] of the other gaps.
#[inline(never)]
fn sep_other(b: &[u8], from: usize, to: usize) -> Sep {
    let g = &b[from..to];
    if g.is_empty() {
        return Sep::Other;
    }
    if g.len() <= 3 && g.iter().all(|&c| c == b' ' || c == b'\t') {
        return Sep::Space;
    }
    if g == b"-" {
        return Sep::Hyphen;
    }
    if g.len() > 8 {
        return Sep::Other;
    }
    let rest_blank = |r: &[u8]| r.iter().all(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
    // French puts a space before the colon: "Client : Zoé".
    if g.len() >= 2 && g[0] == b' ' && g[1] == b':' && rest_blank(&g[2..]) {
        return Sep::Colon;
    }
    match g[0] {
        b'.' if g.len() > 1 && rest_blank(&g[1..]) => Sep::Period,
        b',' if rest_blank(&g[1..]) => Sep::Comma,
        b':' if rest_blank(&g[1..]) => Sep::Colon,
        _ if rest_blank(g) && g.contains(&b'\n') => Sep::Newline,
        _ => Sep::Other,
    }
}

#[inline(always)]
fn hash_tok(text: &str, t: &Tok) -> u64 {
    // Most words: ASCII, at most eight bytes, eight bytes readable from their start.
    let len = t.end - t.start;
    if t.ascii && len.wrapping_sub(1) < 8 {
        if let Some(eight) = text.as_bytes().get(t.start..t.start + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(eight);
            return hash_word(u64::from_le_bytes(w), len);
        }
    }
    if t.ascii && len <= 64 {
        hash_lower_ascii_at(text.as_bytes(), t.start, t.end)
    } else {
        token_hash(&text[t.start..t.end])
    }
}

/// Flags of a token, trying the singular of a simple plural when the word itself is not
/// in the lexicon ("migraines", "allergies").
#[inline]
fn flags_with_plural(lex: &Lexicon, text: &str, t: &Tok, h: u64, whole: bool) -> u32 {
    let f = if whole { lex.get(h) } else { 0 };
    if f != 0 || !t.ascii || t.end - t.start < 5 || t.end - t.start > 64 || text.as_bytes()[t.end - 1] | 0x20 != b's' {
        return f;
    }
    plural_flags(lex, text, t, h)
}

/// The medical flags of the singular of token `t` (hash `h`), a plain word of 5 to 64
/// bytes.
#[inline(never)]
pub(crate) fn plural_flags(lex: &Lexicon, text: &str, t: &Tok, h: u64) -> u32 {
    if !lex.plural.may_contain(h) {
        return 0;
    }
    let b = text.as_bytes();
    let (start, end) = (t.start, t.end);
    let h = if b[end - 3..end].eq_ignore_ascii_case(b"ies") {
        // "allergies" -> "allergy"
        let mut buf = [0u8; 64];
        let n = end - 2 - start;
        buf[..n].copy_from_slice(&b[start..end - 2]);
        buf[n - 1] = b'y';
        hash_lower_ascii_at(&buf, 0, n)
    } else if b[end - 1] == b's' || b[end - 1] == b'S' {
        hash_lower_ascii_at(b, start, end - 1)
    } else {
        return 0;
    };
    if !lex.lower_city.may_contain(h).0 {
        return 0;
    }
    lex.get(h) & (flag::CONDITION | flag::MEDICATION)
}

/// The last three tokens seen (with hash and flags), in a ring: a push writes one entry.
#[derive(Clone, Copy, Default)]
struct Recent {
    ring: [Option<(Tok, u64, u32)>; 4],
    /// Where the newest entry is.
    head: usize,
    /// The newest entry's hash (0 when there is none), read for every lower-case word.
    last_hash: u64,
}

impl Recent {
    #[inline(always)]
    fn push(&mut self, t: Tok, h: u64, f: u32) {
        self.head = (self.head + 1) & 3;
        self.ring[self.head] = Some((t, h, f));
        self.last_hash = h;
    }

    /// The `i`-th last token (0 is the newest), `i < 3`.
    #[inline(always)]
    fn get(&self, i: usize) -> Option<(Tok, u64, u32)> {
        debug_assert!(i < 3);
        // The fourth slot holds the token pushed before these three: not one of them.
        self.ring[(self.head.wrapping_sub(i)) & 3]
    }
}

/// Flags that let a lower-case word start a finding of the word pass: a medical term,
/// a city, a given name, a particle, or the first word of one.
const LOWER_STARTS: u32 = flag::CONDITION
    | flag::MEDICATION
    | flag::PREFIX_MEDICAL
    | flag::CITY
    | flag::PREFIX_CITY
    | flag::GIVEN
    | flag::PARTICLE;

/// Flags of words that lead to a name.
const LEADS: u32 = flag::TITLE | flag::TITLE_WEAK | flag::GREETING | flag::CLOSING | flag::INTRO | flag::LABEL;

/// Context before a name, found from the last tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Lead {
    None,
    Closing,
    Greeting,
    Title,
    Intro,
}

/// True when the words of `text[start..end]` could all be parts of a name: no acronym
/// ("HRB"), no city ("München"), no short common word ("Kimlik No").
fn plain_words(lex: &Lexicon, text: &str, start: usize, end: usize) -> bool {
    let mut at = start;
    while let Some(w) = next_token(text, at) {
        if w.start >= end {
            break;
        }
        let f = lex.get(hash_tok(text, &w));
        // "Kimlik No" is no name, "Al-Zahrani" is.
        let short_word = w.end - w.start <= 2 && f & flag::COMMON != 0 && text.as_bytes().get(w.end) != Some(&b'-');
        if w.shape == Shape::Upper || f & flag::CITY != 0 || short_word {
            return false;
        }
        at = w.end;
    }
    true
}

/// True when `at` starts the line after a signature marker ("--" alone on a line).
#[inline(always)]
fn after_signature_marker(b: &[u8], at: usize) -> bool {
    // Most words follow a space after another word, or punctuation: no marker line ends
    // right before them.
    let blank = |c: u8| matches!(c, b' ' | b'\t' | b'\r');
    match at.checked_sub(1).and_then(|i| b.get(i)) {
        None => return false,
        Some(b'\n') => {}
        Some(&c) if !blank(c) => return false,
        Some(_) => {
            if at >= 2 && !blank(b[at - 2]) && b[at - 2] != b'\n' {
                return false;
            }
        }
    }
    after_signature_marker_line(b, at)
}

/// The part of [`after_signature_marker`] that reads the line before.
#[inline(never)]
fn after_signature_marker_line(b: &[u8], at: usize) -> bool {
    let mut i = at;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\r') {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b'\n' {
        return false;
    }
    let line = &b[..i - 1];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let trimmed = line.iter().rposition(|&c| c != b' ').map_or(&line[..0], |e| &line[..=e]);
    trimmed.ends_with(b"--") && (trimmed.len() == 2 || trimmed[trimmed.len() - 3] == b'\n')
}

fn lead(lex: &Lexicon, text: &str, recent: &Recent, t: &Tok) -> Lead {
    let b = text.as_bytes();
    if after_signature_marker(b, t.start) {
        return Lead::Closing;
    }
    let Some((p1, _, f1)) = recent.get(0) else { return Lead::None };

    let s1 = sep(b, p1.end, t.start);
    // "gmx.de. Ich", "HR. Fijn", "5 pm. Please": a domain label, an acronym or a
    // lower-case word of two letters is no title ("Fr.", "Hr.", "Me.").
    let in_domain = p1.start > 0 && matches!(b[p1.start - 1], b'.' | b'@' | b'/' | b'_');
    let short = p1.end - p1.start <= 2;
    let f1 = if in_domain || short && p1.shape == Shape::Upper {
        f1 & !(flag::TITLE | flag::TITLE_WEAK)
    } else if short && p1.shape == Shape::Lower {
        f1 & !flag::TITLE_WEAK
    } else {
        f1
    };
    let mut best = Lead::None;
    let mut consider = |flags: u32, s: Sep| {
        let l = if flags & flag::INTRO != 0 && matches!(s, Sep::Space | Sep::Colon) {
            Lead::Intro
        } else if (flags & flag::TITLE != 0
            || flags & flag::TITLE_WEAK != 0 && (flags & flag::COMMON == 0 || s == Sep::Period))
            && matches!(s, Sep::Space | Sep::Period)
        {
            Lead::Title
        } else if flags & flag::GREETING != 0 && matches!(s, Sep::Space | Sep::Comma | Sep::Colon)
            || flags & (flag::LABEL | flag::TITLE) != 0 && s == Sep::Colon
        {
            Lead::Greeting
        } else if flags & flag::CLOSING != 0 && matches!(s, Sep::Comma | Sep::Newline) {
            Lead::Closing
        } else {
            Lead::None
        };
        best = best.max(l);
    };
    consider(f1, s1);
    // Two- and three-word phrases ("my name is", "Kind regards"), from the stored hashes;
    // only when the last word ends some phrase.
    let Some(e1) = recent.get(0) else { return best };
    if !lex.phrase_last.may_contain(e1.1) {
        return best;
    }
    let mut toks = [e1; 3];
    for i in 1..3 {
        let Some(e) = recent.get(i) else { break };
        let glue = &b[e.0.end..toks[i - 1].0.start];
        if !(sep(b, e.0.end, toks[i - 1].0.start) == Sep::Space || glue == b"." || glue == b"-") {
            break;
        }
        toks[i] = e;
        let mut f = Fold::new();
        for q in toks[..=i].iter().rev() {
            f.push_hash(q.1);
        }
        consider(lex.get(f.finish()), s1);
    }
    best
}

/// Extends a name rightwards from token `t` over capitalised words and particles on the
/// same line; returns the end of the name, the number of added words, whether one of
/// them is a known surname and whether the last one is also a common word.
///
/// `words` yields the tokens after `t` (its [`peek`](Words::peek) is cheaper than
/// `next_token` for the first of them).
fn extend_name(lex: &Lexicon, text: &str, t: &Tok, words: &Words<'_>, lower_ok: bool) -> (usize, u32, bool, bool) {
    let b = text.as_bytes();
    let mut end = t.end;
    let mut added = 0;
    let mut surname = false;
    let mut common = false;
    let mut at = t.end;
    let name_like = |tok: &Tok, fl: u32| -> bool {
        let shape_ok = match tok.shape {
            // "GIULIA MARINO Un abbraccio": a name in capitals ends at a capitalised word.
            Shape::Cap => t.shape != Shape::Upper,
            Shape::Upper => true,
            // "ik ben ruben mulder": a surname that is also a word, in lower case.
            Shape::Lower => {
                lower_ok
                    && fl & (flag::SURNAME | flag::GIVEN) != 0
                    && (fl & flag::COMMON == 0 || fl & flag::SURNAME != 0 && tok.end - tok.start >= 4)
            }
            _ => false,
        };
        let lead_word = fl & (flag::GREETING | flag::CLOSING | flag::INTRO | flag::LABEL) != 0;
        shape_ok && !lead_word && (fl & flag::COMMON == 0 || fl & (flag::SURNAME | flag::GIVEN) != 0)
    };
    let mut first = Some(words.peek());
    while added < 3 {
        let Some(n) = first.take().unwrap_or_else(|| next_token(text, at)) else { break };
        let s = sep(b, end, n.start);
        if !matches!(s, Sep::Space | Sep::Hyphen) {
            // An initial: "John F. Kennedy".
            break;
        }
        let h = hash_tok(text, &n);
        let fl = lex.get(h);
        if name_like(&n, fl) {
            surname |= fl & flag::SURNAME != 0;
            common = fl & flag::COMMON != 0;
            end = n.end;
            at = n.end;
            added += 1;
            continue;
        }
        // A particle followed by a capitalised word: "van der Berg", "de la Cruz",
        // "Al-Zahrani".
        if fl & flag::PARTICLE != 0 && s == Sep::Space {
            if let Some((m_end, m_surname)) = after_particle(lex, text, &n) {
                surname |= m_surname;
                common = false;
                end = m_end;
                at = m_end;
                added += 1;
                continue;
            }
        }
        // A single-letter initial with a period: "John F. Kennedy".
        if n.end - n.start == 1 && b[n.start].is_ascii_uppercase() && b.get(n.end) == Some(&b'.') {
            if let Some(m) = next_token(text, n.end) {
                if sep(b, n.end, m.start) == Sep::Period && matches!(m.shape, Shape::Cap | Shape::Upper) {
                    let fm = lex.get(hash_tok(text, &m));
                    if name_like(&m, fm) {
                        surname |= fm & flag::SURNAME != 0;
                        common = fm & flag::COMMON != 0;
                        end = m.end;
                        at = m.end;
                        added += 1;
                        continue;
                    }
                }
            }
        }
        break;
    }
    (end, added, surname, common)
}

/// After a particle token `p` (possibly the first of a multi-word particle such as "van
/// der"), the end of the capitalised word that completes the name, and whether it is a
/// known surname.
fn after_particle(lex: &Lexicon, text: &str, p: &Tok) -> Option<(usize, bool)> {
    let b = text.as_bytes();
    let mut f = Fold::new();
    f.push_hash(hash_tok(text, p));
    let mut q = *p;
    let mut pf = lex.get(f.finish());
    for _ in 0..3 {
        let m = next_token(text, q.end)?;
        if !matches!(sep(b, q.end, m.start), Sep::Space | Sep::Hyphen) {
            return None;
        }
        let fm = lex.get(hash_tok(text, &m));
        if pf & flag::PARTICLE != 0 && matches!(m.shape, Shape::Cap | Shape::Upper) && fm & flag::PARTICLE == 0 {
            return Some((m.end, fm & flag::SURNAME != 0));
        }
        f.push_hash(hash_tok(text, &m));
        pf = lex.get(f.finish());
        if pf & (flag::PARTICLE | flag::PREFIX) == 0 {
            return None;
        }
        q = m;
    }
    None
}

pub(crate) fn scan(s: &mut Scanner<'_>) {
    let lex = Lexicon::embedded();
    let want_person = s.wants(Kind::Person);
    let want_loc = s.wants(Kind::Location);
    let want_med = s.wants(Kind::MedicalCondition) || s.wants(Kind::Medication);
    let eng = s.eng;
    let keywords = &eng.word_keywords;
    if !(want_person || want_loc || want_med) {
        // Keywords ride on this pass only when a word kind is on (see the engine build).
        return;
    }
    let text = s.text;
    let b = s.b;
    let mut recent = Recent::default();
    let mut pos = 0;
    let mut covered = 0; // end of the last finding of this pass
    let mut carry = Carry { start: usize::MAX, hash: 0 };
    let mut words = Words::new(text, 0);
    let mut t = Tok { start: 0, end: 0, shape: Shape::Other, ascii: true, plain: true };
    while words.next_into(&mut t) {
        if t.start < pos {
            // Inside a finding that ended at `pos`.
            words.seek(pos);
            continue;
        }
        pos = t.end;
        if t.shape == Shape::Digit {
            // A number starts no keyword (those start with letters) and nothing of this pass.
            recent.push(t, 0, 0);
            continue;
        }
        keywords.at_token(s, t.start, t.end - t.start);
        if t.shape == Shape::Other {
            // camelCase: keywords at inner capitals ("userPassword").
            for i in t.start + 1..t.end.saturating_sub(2) {
                if b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() {
                    keywords.at_token(s, i, t.end - i);
                }
            }
        }
        // An elided article joined to a medical term: "un'ernia del disco", "l'insuline".
        // (Elided articles start with one of "acdjlmnsqu"; a plain token has no apostrophe.)
        if !t.plain
            && want_med
            && t.end - t.start > 2
            && t.start >= covered
            && matches!(b[t.start] | 0x20, b'a' | b'c' | b'd' | b'j' | b'l' | b'm' | b'n' | b's' | b'q' | b'u')
            && matches!(t.shape, Shape::Lower | Shape::Other)
        {
            if let Some(end) = after_elision(text, &t).and_then(|w| {
                let hw = hash_tok(text, &w);
                let fw = flags_with_plural(lex, text, &w, hw, true);
                if fw & (flag::CONDITION | flag::MEDICATION | flag::PREFIX_MEDICAL) != 0 {
                    medical(s, lex, &w, hw, fw, &words)
                } else {
                    None
                }
            }) {
                covered = end;
                pos = end;
                recent.push(t, 0, 0);
                continue;
            }
        }
        let (h, fl) = match t.shape {
            // Lower-case words are looked up only when the lexicon may have them in lower
            // case (medical terms, particles, phrases) or right after "my name is".
            Shape::Lower => {
                let h = carry.hash(text, &t);
                let prev = recent.last_hash;
                let after_intro = lex.intro_last.may_contain(prev);
                let (in_lower, in_city) = lex.lower_city.may_contain(h);
                let fl = if in_lower || after_intro {
                    if want_med { flags_with_plural(lex, text, &t, h, true) } else { lex.get(h) }
                } else if want_med && t.end - t.start >= 5 && b[t.end - 1] == b's' {
                    flags_with_plural(lex, text, &t, h, false)
                } else {
                    0
                };
                if after_intro && (fl == 0 || fl & flag::GIVEN != 0) && want_person && t.start >= covered {
                    // "soy brandkreilia quiarzhyzardo,": two unknown words after an introduction.
                    if let Some(end) = lower_unknown_name(s, lex, &recent, &t) {
                        covered = end;
                        pos = end;
                        recent.push(t, h, 0);
                        continue;
                    }
                }
                if fl == 0 {
                    // A city in lower case right after a preposition ("aus münchen").
                    let short = t.end - t.start < 3;
                    if want_loc && in_city && t.start >= covered && (!short || apostrophe_s(text, &t).is_some()) {
                        if let Some((p, _, _)) = recent.get(0).filter(|(p, _, _)| p.end - p.start <= 6) {
                            let at = if short { apostrophe_s(text, &t).unwrap_or(t.start) } else { t.start };
                            if place_preposition(b, p.start, p.end) && sep(b, p.end, at) == Sep::Space {
                                let fc = lex.get(h);
                                if fc & flag::CITY != 0
                                    || fc & flag::PREFIX_CITY != 0 && pair_next(lex, text, &t, h, &words, &mut carry)
                                {
                                    if let Some(end) = location(s, lex, &recent, &t, h, fc, false, true, &words) {
                                        covered = end;
                                        pos = end;
                                    }
                                }
                            }
                        }
                    }
                    recent.push(t, h, 0);
                    continue;
                }
                if fl & LOWER_STARTS == 0 {
                    // A lower-case word that starts nothing below ("the", "is").
                    recent.push(t, h, fl);
                    continue;
                }
                (h, fl)
            }
            _ => {
                let h = carry.hash(text, &t);
                (h, lex.get(h))
            }
        };
        if t.start >= covered {
            // Whether this word and the next may start an entry of two or more words: a
            // word that only starts longer entries ("at", "short", "The") is nothing
            // without it.
            let pair = (want_loc && fl & flag::PREFIX_CITY != 0
                || want_med
                    && fl & (flag::PREFIX_MEDICAL | flag::CONDITION | flag::MEDICATION) == flag::PREFIX_MEDICAL)
                && pair_next(lex, text, &t, h, &words, &mut carry);
            if want_med && (fl & (flag::CONDITION | flag::MEDICATION) != 0 || fl & flag::PREFIX_MEDICAL != 0 && pair) {
                if let Some(end) = medical(s, lex, &t, h, fl, &words) {
                    covered = end;
                    pos = end;
                    recent.push(t, h, fl);
                    continue;
                }
            }
            let capitalised = match t.shape {
                Shape::Cap | Shape::Upper => true,
                Shape::Other if t.ascii => b[t.start].is_ascii_uppercase(),
                Shape::Other => text[t.start..].chars().next().is_some_and(char::is_uppercase),
                _ => false,
            };
            if want_loc && t.shape == Shape::Lower && (fl & flag::CITY != 0 || fl & flag::PREFIX_CITY != 0 && pair) {
                let at = apostrophe_s(text, &t).unwrap_or(t.start);
                let after_preposition = recent
                    .get(0)
                    .is_some_and(|(p, _, _)| place_preposition(b, p.start, p.end) && sep(b, p.end, at) == Sep::Space);
                if after_preposition {
                    if let Some(end) = location(s, lex, &recent, &t, h, fl, false, true, &words) {
                        covered = end;
                        pos = end;
                        recent.push(t, h, fl);
                        continue;
                    }
                }
            }
            // A multi-word city ("Den Haag", "Saint-Étienne") before a name made of the same
            // words; when the first word is a given name, only the multi-word city.
            if want_loc
                && capitalised
                && fl & flag::PREFIX_CITY != 0
                && (fl & (flag::CITY | flag::GIVEN) == flag::CITY || pair)
            {
                let multi_only = fl & flag::GIVEN != 0;
                if let Some(end) = location(s, lex, &recent, &t, h, fl, multi_only, false, &words) {
                    covered = end;
                    pos = end;
                    recent.push(t, h, fl);
                    continue;
                }
            }
            let particle_after_lead = fl & flag::PARTICLE != 0 && recent.get(0).is_some_and(|e| e.2 & LEADS != 0);
            if want_person && (capitalised || fl & flag::GIVEN != 0 || particle_after_lead) {
                if let Some(end) = person(s, lex, &recent, &t, &words, fl, capitalised) {
                    covered = end;
                    pos = end;
                    recent.push(t, h, fl);
                    continue;
                }
            }
            if want_loc && capitalised && (fl & flag::CITY != 0 || fl & flag::PREFIX_CITY != 0 && pair) {
                if let Some(end) = location(s, lex, &recent, &t, h, fl, false, false, &words) {
                    covered = end;
                    pos = end;
                }
            }
        }
        recent.push(t, h, fl);
    }
}

/// Vietnamese family names, written first ("Nguyen Thi Lan", "Do Thanh Tung"): a name
/// found right after one starts at it.
const FAMILY_FIRST: &[&str] = &[
    "Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong",
    "Ly", "NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "DO",
];

/// `words` yields the tokens after `t`.
fn person(
    s: &mut Scanner<'_>,
    lex: &Lexicon,
    recent: &Recent,
    t: &Tok,
    words: &Words<'_>,
    fl: u32,
    capitalised: bool,
) -> Option<usize> {
    let text = s.text;
    let b = text.as_bytes();
    // One letter is an initial or a pronoun ("Hi, I am"), never a name by itself. (An
    // ASCII word has one character per byte.)
    if t.end - t.start < 2 || !t.ascii && text[t.start..t.end].chars().nth(1).is_none() {
        return None;
    }
    // Most capitalised words start a sentence: without a given name, only a title,
    // greeting or introduction right before can make them a name.
    let (prev_h, prev_f) = recent.get(0).map_or((0, 0), |e| (e.1, e.2));
    // An unknown capitalised word that is no word of any list may start an unknown name.
    let unknown = capitalised && fl & !(flag::SURNAME | flag::PREFIX) == 0;
    // No word or phrase that leads to a name ends right before: the lead is none (what
    // `lead` would find, without its work).
    let no_lead = prev_f & LEADS == 0 && !lex.phrase_last.may_contain(prev_h) && !after_signature_marker(b, t.start);
    if fl & flag::GIVEN == 0 && !unknown && no_lead {
        return None;
    }
    // A lower-case word that is no particle and no given name of its own ("can", "so")
    // is a name only after an introduction ("my name is"), which the last token ends.
    if !capitalised
        && fl & flag::PARTICLE == 0
        && (fl & flag::GIVEN == 0 || fl & flag::COMMON != 0)
        && prev_f & flag::INTRO == 0
        && !lex.phrase_last.may_contain(prev_h)
    {
        return None;
    }
    let mut lead = if no_lead { Lead::None } else { lead(lex, text, recent, t) };
    let given = fl & flag::GIVEN != 0;
    let common = fl & flag::COMMON != 0;
    let title_word =
        fl & (flag::TITLE | flag::GREETING | flag::CLOSING | flag::PARTICLE | flag::INTRO | flag::LABEL) != 0;
    // A greeting or closing word is not a name itself ("Cordialement,\nAntoine").
    if fl & (flag::GREETING | flag::CLOSING | flag::INTRO | flag::LABEL) != 0 && fl & (flag::GIVEN | flag::SURNAME) == 0
        || fl & flag::TITLE != 0 && fl & flag::GIVEN == 0
    {
        return None;
    }
    // "Mevr. van Dijk", "Geachte mevrouw de Groot".
    if !capitalised && fl & flag::PARTICLE != 0 && lead >= Lead::Greeting && lead != Lead::Intro {
        let (end, _) = after_particle(lex, text, t)?;
        if end - t.start > 256 {
            return None;
        }
        s.push(t.start, end, Kind::Person, 0.85, "person");
        return Some(end);
    }
    // Lower case only after "my name is", or a known given name after a greeting ("hi anna").
    let lower_ok = lead == Lead::Intro || lead >= Lead::Closing && fl & flag::GIVEN != 0 && fl & flag::COMMON == 0;
    if !capitalised && !lower_ok {
        return None;
    }
    if title_word && lead == Lead::None {
        return None;
    }
    let (end, added, surname, last_common) = extend_name(lex, text, t, words, lead == Lead::Intro || !capitalised);
    if lead == Lead::None && capitalised && (given || unknown) {
        let prev_sep = recent.get(0).map(|(p, _, _)| sep(b, p.end, t.start));
        let next = b.get(end).copied();
        // Addressing someone: "…the format, David." / "Dank je Koen!"
        if prev_sep == Some(Sep::Comma) && matches!(next, Some(b'.' | b'!' | b'?')) {
            lead = Lead::Greeting;
        }
        // A closing written on one line with the name: "LG Haoran" at the end.
        if prev_sep == Some(Sep::Space) && prev_f & flag::CLOSING != 0 && matches!(next, None | Some(b'\n' | b'\r')) {
            lead = Lead::Closing;
        }
    }
    let mut score: f32 = match lead {
        Lead::Intro | Lead::Title => 0.9,
        Lead::Greeting | Lead::Closing => {
            if common && !given && (added == 0 || last_common) {
                return None;
            }
            if given || added > 0 { 0.85 } else { 0.7 }
        }
        Lead::None => {
            let ambiguous = common || fl & flag::CITY != 0;
            if given && !ambiguous {
                if surname {
                    0.9
                } else if added > 0 {
                    0.8
                } else {
                    0.6
                }
            } else if given && surname && !(common && last_common && t.end - t.start <= 2) {
                0.8
            } else if given
                && added > 0
                && !last_common
                && next_token(text, t.end).is_some_and(|n| matches!(n.shape, Shape::Cap | Shape::Upper))
                && plain_words(lex, text, t.end, end)
            {
                // A given name that is also a word or a place, followed by a name that is
                // not ("Robert Grathfiaovic", "Fatima Al-Zahrani").
                if common { 0.6 } else { 0.7 }
            } else if unknown && added > 0 && plain_words(lex, text, t.start, end) {
                // Two or more capitalised words that no list knows ("Xiang Zhou",
                // "Marloes de Jong"): most likely a name.
                if surname { 0.7 } else { 0.6 }
            } else {
                return None;
            }
        }
    };
    if t.shape == Shape::Upper && lead == Lead::None {
        score -= 0.15;
    }
    if !capitalised {
        score -= 0.2;
    }
    // A Vietnamese family name before the name: "Nguyen Thi Lan".
    let mut start = t.start;
    if added > 0 {
        if let Some((p, _, _)) = recent.get(0) {
            if sep(b, p.end, t.start) == Sep::Space && FAMILY_FIRST.contains(&&text[p.start..p.end]) {
                start = p.start;
            }
        }
    }
    if end - start > 256 {
        return None;
    }
    s.push(start, end, Kind::Person, score, "person");
    Some(end)
}

/// The word after an elided article or preposition inside token `t` ("l'", "d'", "un'",
/// "dell'"), if any.
pub(crate) fn after_elision(text: &str, t: &Tok) -> Option<Tok> {
    let b = text.as_bytes();
    // The apostrophe is the second to sixth byte ("l'", "quell'"). Most words have none:
    // look at those bytes with one load first.
    if let Some(eight) = b.get(t.start..t.start + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(eight);
        let n = (t.end - t.start).min(6);
        let x = u64::from_le_bytes(w) & ((1u64 << (8 * n)) - 1) & !0xff;
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let zero = |y: u64| y.wrapping_sub(LO) & !y & HI != 0;
        if !zero(x ^ (LO * 0x27)) && !zero(x ^ (LO * 0xE2)) {
            return None;
        }
    }
    let head = &b[t.start + 1..t.end.min(t.start + 6)];
    let i = 1 + head.iter().position(|&c| c == b'\'' || c == 0xE2)?;
    let len = if b[t.start + i] == b'\'' {
        1
    } else if text[t.start + i..].starts_with('\u{2019}') {
        3
    } else {
        return None;
    };
    let article = text[t.start..t.start + i].to_ascii_lowercase();
    if !matches!(
        article.as_str(),
        "l" | "d" | "j" | "n" | "s" | "c" | "m" | "qu" | "un" | "dell" | "nell" | "all" | "dall" | "sull" | "quell"
    ) {
        return None;
    }
    let w = next_token(text, t.start + i + len)?;
    (w.end == t.end && w.start == t.start + i + len).then_some(w)
}

/// A name in lower-case chat right after an introduction ("soy brandkreilia
/// quiarzhyzardo, de córdoba", "ciao sono marco bruno,"): exactly two words that are
/// names or in no list, then the end of the clause.
fn lower_unknown_name(s: &mut Scanner<'_>, lex: &Lexicon, recent: &Recent, t: &Tok) -> Option<usize> {
    let text = s.text;
    let b = text.as_bytes();
    let (_, prev_h, _) = recent.get(0)?;
    if t.end - t.start < 3 || !lex.intro_last.may_contain(prev_h) || lead(lex, text, recent, t) < Lead::Greeting {
        return None;
    }
    let n = next_token(text, t.end)?;
    if sep(b, t.end, n.start) != Sep::Space || n.shape != Shape::Lower || n.end - n.start < 3 {
        return None;
    }
    // The surname: no list knows it, or a name list does (a common word or a town too
    // only when the first word is a known given name: "ciao sono marco bruno").
    let fn_ = lex.get(hash_tok(text, &n));
    let first_given = lex.get(hash_tok(text, t)) & flag::GIVEN != 0;
    let names_only = fn_ & !(flag::SURNAME | flag::GIVEN) == 0;
    let common_surname = first_given
        && fn_ & flag::SURNAME != 0
        && fn_ & !(flag::SURNAME | flag::GIVEN | flag::COMMON | flag::CITY | flag::AMBIGUOUS_CITY) == 0;
    if !(names_only || common_surname) {
        return None;
    }
    let clause_end = match b.get(n.end) {
        None | Some(b',' | b'.' | b'!' | b'?' | b'\n' | b'\r') => true,
        Some(b' ') => next_token(text, n.end)
            .is_some_and(|m| sep(b, n.end, m.start) == Sep::Space && place_preposition(b, m.start, m.end)),
        _ => false,
    };
    if !clause_end {
        return None;
    }
    s.push(t.start, n.end, Kind::Person, 0.55, "person");
    Some(n.end)
}

/// A one-word city that is also a word or a given name ("Best", "Paris", "Nice"). Most
/// cities are somebody's surname too, which alone does not make them ambiguous; nor does
/// being a local name ("München"), which only lowers the score.
fn ambiguous_word(flags: u32, multi: bool) -> bool {
    !multi && flags & (flag::COMMON | flag::GIVEN) != 0
}

/// The start of the apostrophe when token `t` is the "s" of "'s-Hertogenbosch".
#[inline]
fn apostrophe_s(text: &str, t: &Tok) -> Option<usize> {
    if t.end - t.start != 1 || !text[t.start..t.end].eq_ignore_ascii_case("s") {
        return None;
    }
    let before = &text[..t.start];
    before.strip_suffix('\'').or_else(|| before.strip_suffix('\u{2019}')).map(str::len)
}

/// `b[start..end]` is a preposition that puts a place after it ("in", "aus", "uit", "de").
#[inline]
pub(crate) fn place_preposition(b: &[u8], start: usize, end: usize) -> bool {
    /// Up to eight bytes as a little-endian number.
    const fn key(w: &[u8]) -> u64 {
        let mut k = 0u64;
        let mut i = 0;
        while i < w.len() && i < 8 {
            k |= (w[i] as u64) << (8 * i);
            i += 1;
        }
        k
    }
    const WORDS: &[&str] = &[
        "in", "from", "to", "near", "at", "nach", "aus", "von", "bei", "à", "vers", "en", "a", "de", "da", "para",
        "per", "uit", "van", "naar", "bij", "te", "w", "we", "z", "ze", "im", "depuis", "desde", "dal", "vanuit", "di",
    ];
    /// A multiplier that sends the keys of `WORDS` to distinct slots of `TABLE` (by the
    /// top six bits of the product).
    const M: u64 = 0x86f8_7b33_09d9_788d;
    const fn slot(k: u64) -> usize {
        (k.wrapping_mul(M) >> 58) as usize
    }
    /// The key of each word in its slot, 0 elsewhere (a word's key is never 0).
    const TABLE: [u64; 64] = {
        let mut t = [0u64; 64];
        let mut i = 0;
        while i < WORDS.len() {
            let k = key(WORDS[i].as_bytes());
            assert!(WORDS[i].len() <= 6 && t[slot(k)] == 0, "a preposition over six bytes, or two in one slot");
            t[slot(k)] = k;
            i += 1;
        }
        t
    };
    let len = end - start;
    if len == 0 || len > 6 {
        return false;
    }
    // One unaligned load when eight bytes are readable from the word's start.
    let k = match b.get(start..start + 8) {
        Some(eight) => {
            let mut w = [0u8; 8];
            w.copy_from_slice(eight);
            u64::from_le_bytes(w) & ((1u64 << (8 * len)) - 1)
        }
        None => key(&b[start..end]),
    };
    TABLE[slot(k)] == k
}

/// A word for a branch or office right next to a city ("the Bristol store", "Büro
/// Kassel", "magasin de Lyon").
fn place_noun(word: &str) -> bool {
    // ASCII case folding is enough: "Büro" and "büro" differ only in their first byte.
    let mut buf = [0u8; 12];
    if word.len() > buf.len() || word.len() < 4 {
        return false;
    }
    buf[..word.len()].copy_from_slice(word.as_bytes());
    buf[..word.len()].make_ascii_lowercase();
    matches!(
        std::str::from_utf8(&buf[..word.len()]).unwrap_or(""),
        "office"
            | "store"
            | "shop"
            | "branch"
            | "clinic"
            | "hospital"
            | "büro"
            | "filiale"
            | "standort"
            | "bureau"
            | "magasin"
            | "agence"
            | "oficina"
            | "tienda"
            | "sucursal"
            | "ufficio"
            | "negozio"
            | "sede"
            | "kantoor"
            | "winkel"
            | "vestiging"
    )
}

/// A city at token `t`: capitalised, or in lower case (`lower`) right after a
/// preposition ("aus münchen", "from denver"). With `multi_only`, only a multi-word city
/// ("Den Haag", "Saint-Étienne", whose first word is also a given name). `h` is the hash of
/// `t`, `ahead` the tokens after it.
#[allow(clippy::too_many_arguments)]
fn location(
    s: &mut Scanner<'_>,
    lex: &Lexicon,
    recent: &Recent,
    t: &Tok,
    h: u64,
    fl: u32,
    multi_only: bool,
    lower: bool,
    ahead: &Words<'_>,
) -> Option<usize> {
    let text = s.text;
    let b = text.as_bytes();
    // Longest multi-word city from here.
    let mut best = if fl & flag::CITY != 0 && !multi_only { Some((t.end, fl)) } else { None };
    let first = if fl & flag::PREFIX_CITY != 0 { pair_ahead(lex, text, h, ahead) } else { None };
    if let Some(first) = first {
        let mut ahead = ahead.clone();
        ahead.next_tok();
        let mut f = Fold::new();
        f.push_hash(h);
        let mut q = *t;
        let mut next = Some(first);
        for _ in 0..4 {
            let Some((m, hm)) = next.take().or_else(|| ahead.next_tok().map(|m| (m, hash_tok(text, &m)))) else {
                break;
            };
            if !matches!(sep(b, q.end, m.start), Sep::Space | Sep::Hyphen) {
                break;
            }
            f.push_hash(hm);
            let fm = lex.get(f.finish());
            // "La Salle" is a city, "La salle 4B" a room.
            let shape_ok = lower || m.shape != Shape::Lower;
            if fm & flag::CITY != 0 && shape_ok {
                best = Some((m.end, fm));
            }
            if fm & flag::PREFIX_CITY == 0 {
                break;
            }
            q = m;
        }
    }
    let (end, cf) = best?;
    let multi = end > t.end;
    // "'s-Hertogenbosch": the span starts at the apostrophe.
    let start = apostrophe_s(text, t).unwrap_or(t.start);
    // A word or a given name ("Nice", "Paris") needs context; a local or historical
    // name ("München", "Kassel") is weaker evidence than the English name.
    let ambiguous = ambiguous_word(cf, multi);
    // "Best regards".
    if ambiguous && cf & (flag::CLOSING | flag::GREETING) != 0 {
        return None;
    }
    let local = !multi && cf & flag::AMBIGUOUS_CITY != 0;
    let prev = recent.get(0).filter(|(p, _, _)| sep(b, p.end, start) == Sep::Space);
    let after_preposition = prev.is_some_and(|(p, _, _)| place_preposition(b, p.start, p.end));
    // "Büro Kassel", "the Bristol store", "magasin de Saint-Étienne".
    let place_before = || {
        prev.is_some_and(|(p, _, _)| {
            place_noun(&text[p.start..p.end])
                || place_preposition(b, p.start, p.end)
                    && recent.get(1).is_some_and(|(q, _, _)| {
                        sep(b, q.end, p.start) == Sep::Space && place_noun(&text[q.start..q.end])
                    })
        })
    };
    let place_after = || {
        next_token(text, end).is_some_and(|n| sep(b, end, n.start) == Sep::Space && place_noun(&text[n.start..n.end]))
    };
    if lower {
        // Lower-case chat: only right after a preposition; a city that is also a word or
        // a name only when its clause ends there ("from denver, anyone up for…").
        let clause_end = matches!(b.get(end), None | Some(b',' | b'.' | b'!' | b'?' | b'\n' | b'\r'));
        if !after_preposition || ambiguous && (!clause_end || end - t.start < 4) {
            return None;
        }
        let score = if ambiguous {
            0.5
        } else if local {
            0.55
        } else {
            0.6
        };
        s.push(start, end, Kind::Location, score, "location");
        return Some(end);
    }
    // Context right before the city ("live in", "visited"), or anywhere near for a city
    // that is no other word.
    let near = recent.get(1).or(recent.get(0)).map_or(t.start, |(p, _, _)| p.start);
    let context =
        if ambiguous { s.context_in(Kind::Location, near, t.start) } else { s.context(Kind::Location, t.start, end) }
            || (ambiguous || local) && (place_before() || place_after());
    // A city that is also a word or a name needs a preposition right before it.
    let score = match (ambiguous, context, after_preposition) {
        (false, true, _) => 0.85,
        (false, false, true) => 0.7,
        (false, false, false) if local => return None,
        (false, false, false) => 0.6,
        (true, true, _) => 0.7,
        (true, false, true) => 0.55,
        (true, false, false) => return None,
    };
    s.push(start, end, Kind::Location, score, "location");
    Some(end)
}

/// Short words of the languages the engine reads that some medical list has as an
/// abbreviation.
const FUNCTION_WORDS: &[&str] = &["ist", "und", "oder", "les", "des", "una", "con", "per", "het", "een", "was", "has"];

fn medical(s: &mut Scanner<'_>, lex: &Lexicon, t: &Tok, h: u64, fl: u32, ahead: &Words<'_>) -> Option<usize> {
    let text = s.text;
    let b = text.as_bytes();
    let kind_of = |f: u32| {
        if f & flag::MEDICATION != 0 {
            Some(Kind::Medication)
        } else if f & flag::CONDITION != 0 {
            Some(Kind::MedicalCondition)
        } else {
            None
        }
    };
    let mut best = kind_of(fl).map(|k| (t.end, k, fl, 1));
    let first = if fl & flag::PREFIX_MEDICAL != 0 { pair_ahead(lex, text, h, ahead) } else { None };
    if let Some(first) = first {
        let mut ahead = ahead.clone();
        ahead.next_tok();
        let mut f = Fold::new();
        f.push_hash(h);
        let mut q = *t;
        let mut next = Some(first);
        for words in 2..=6 {
            let Some((m, hm)) = next.take().or_else(|| ahead.next_tok().map(|m| (m, hash_tok(text, &m)))) else {
                break;
            };
            // "Crohn's disease": the apostrophe joins like a hyphen.
            let glue = &b[q.end..m.start];
            if !(matches!(sep(b, q.end, m.start), Sep::Space | Sep::Hyphen) || glue == b"'" || glue == "’".as_bytes())
            {
                break;
            }
            f.push_hash(hm);
            let fm = lex.get(f.finish());
            if let Some(k) = kind_of(fm) {
                best = Some((m.end, k, fm, words));
            }
            if fm & flag::PREFIX_MEDICAL == 0 {
                break;
            }
            q = m;
        }
    }
    let (end, kind, f, words) = best?;
    if !s.wants(kind) {
        return None;
    }
    let len = end - t.start;
    // "Ms Xu called in sick": a title is not multiple sclerosis; "ist" is German for "is".
    if words == 1
        && (f & (flag::TITLE | flag::TITLE_WEAK) != 0 && t.shape != Shape::Upper
            || len <= 4 && t.shape == Shape::Lower && FUNCTION_WORDS.contains(&&text[t.start..end]))
    {
        return None;
    }
    // Single words that are common words, short words and names need medical context.
    // The lists mark the terms that are everyday English words; names and short words
    // need context too.
    let short = len < 4 && t.shape != Shape::Upper;
    let needs_context =
        words == 1 && (f & (flag::AMBIGUOUS_MEDICAL | flag::GIVEN | flag::SURNAME | flag::CITY) != 0 || short);
    // The start of the sentence, at most 48 bytes back.
    let sentence_start = || {
        let mut from = t.start.saturating_sub(48);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        memchr::memrchr3(b'.', b'!', b'?', &b[from..t.start]).map_or(from, |i| from + i + 1)
    };
    // The economic sense in each language: "the Great Depression", "die Große
    // Depression", "la Grande Dépression", "la Gran Depresión", "de Grote Depressie".
    if words == 1 && (needs_context || t.shape != Shape::Lower) {
        let from = sentence_start();
        let last_word = text[from..t.start].split_whitespace().next_back().unwrap_or("");
        const NEGATIVE: &[&str] = &[
            "great",
            "economic",
            "economical",
            "tropical",
            "financial",
            "market",
            "große",
            "grosse",
            "grande",
            "gran",
            "grote",
        ];
        if NEGATIVE.iter().any(|n| n.eq_ignore_ascii_case(last_word))
            || matches!(text[end..].split_whitespace().next(), Some("front" | "war" | "weather" | "snap"))
        {
            return None;
        }
    }
    // A common word ("cold", "depression") needs context in the same sentence: before
    // it, or, for a capitalised noun, a few words after it ("mir wurde Grippe
    // festgestellt"; German writes nouns capitalised, and most English ones are not).
    let context = if needs_context {
        let from = sentence_start();
        let after = || {
            let mut to = (end + 40).min(b.len());
            while !text.is_char_boundary(to) {
                to -= 1;
            }
            let to = memchr::memchr3(b'.', b'!', b'?', &b[end..to]).map_or(to, |i| end + i);
            s.context_in(Kind::MedicalCondition, end, to)
        };
        s.context_in(Kind::MedicalCondition, from, t.start)
            || s.context_in(Kind::Medication, from, t.start)
            || !short && t.shape == Shape::Cap && after()
    } else {
        s.context(Kind::MedicalCondition, t.start, end) || s.context(Kind::Medication, t.start, end)
    };
    let score = match (needs_context, context) {
        (true, false) => return None,
        (true, true) => 0.65,
        (false, true) => 0.85,
        (false, false) if words > 1 => 0.75,
        (false, false) => 0.65,
    };
    s.push(t.start, end, kind, score, "medical");
    Some(end)
}

/// ICD-10 codes with context ("diagnosis E11.9"): called at every digit run.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    // A letter, two digits, optionally a dot and one to four characters.
    if end - start != 2 || start == 0 || !s.b[start - 1].is_ascii_uppercase() {
        return;
    }
    let lex = Lexicon::embedded();
    if !s.wants(Kind::MedicalCondition) {
        return;
    }
    let b = s.b;
    let code_start = start - 1;
    if !s.boundary_before(code_start) {
        return;
    }
    let mut code_end = end;
    if b.get(end) == Some(&b'.') {
        let mut j = end + 1;
        while j < b.len() && j - end <= 4 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j > end + 1 && j - end <= 4 {
            code_end = j;
        }
    }
    if !s.boundary_after(code_end) {
        return;
    }
    // The code without its dot, on the stack (at most a letter, 2 digits and 4 more).
    let mut buf = [0u8; 8];
    let mut n = 0;
    for &c in &b[code_start..code_end] {
        if c != b'.' && n < buf.len() {
            buf[n] = c;
            n += 1;
        }
    }
    if !std::str::from_utf8(&buf[..n]).is_ok_and(|code| lex.is_icd10(code)) {
        return;
    }
    if s.context(Kind::MedicalCondition, code_start, code_end) {
        s.push(code_start, code_end, Kind::MedicalCondition, 0.8, "icd10");
    }
}
