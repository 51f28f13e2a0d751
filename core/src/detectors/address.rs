//! STREET_ADDRESS, POSTAL_CODE and PO boxes, anchored at house numbers and postcodes.
//!
//! A house number is a run of one to five digits, optionally with a letter ("221B", "3a")
//! or a range ("12-14"). Around it, in each language's order:
//!
//! - number first: "221B Baker Street", "10 Downing St.", "12 rue de la Paix",
//!   "5 avenue des Champs-Élysées";
//! - number last: "Hauptstraße 12", "Am Markt 3a", "Kerkstraat 5", "Via Roma 10",
//!   "Calle Mayor 5, 3º B", "ul. Długa 7/3";
//! - PO boxes: "PO Box 123", "Postfach 12 34", "BP 42", "Apartado 123", "Casella postale 9",
//!   "Postbus 12".
//!
//! A postcode and city that follow ("…, 10115 Berlin", "…, London SW1A 2AA",
//! "…, Springfield, IL 62704", "… 1012 AB Amsterdam") are part of the same span.
//! POSTAL_CODE alone is reported only with context ("ZIP", "PLZ", "code postal" ...).
//!
//! Look-around: at most 64 bytes before the number and 160 bytes after it; spans are at
//! most 256 bytes.

use crate::Kind;
use crate::detectors::Handler;
use crate::lexicon::{Fold, Lexicon, flag};
use crate::scan::Scanner;
use crate::token::{Shape, Tok, hash_lower_ascii_at, next_token};

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::PostalCode,
        &[
            "zip",
            "zip code",
            "zipcode",
            "postcode",
            "post code",
            "postal code",
            "PLZ",
            "Postleitzahl",
            "code postal",
            "CP",
            "código postal",
            "cod. postal",
            "CAP",
            "codice postale",
            "postcode",
            "kod pocztowy",
        ],
    ),
    (
        Kind::StreetAddress,
        &[
            "address",
            "live at",
            "lives at",
            "located at",
            "ship to",
            "deliver to",
            "Adresse",
            "Anschrift",
            "wohne in der",
            "adresse",
            "domicile",
            "dirección",
            "domicilio",
            "indirizzo",
            "residente in",
            "adres",
            "woonadres",
            "adres zamieszkania",
        ],
    ),
];

const LOOK_BEHIND: usize = 64;
const MAX_SPAN: usize = 256;

/// German and Dutch street names written as one word: "Hauptstraße", "Kerkstraat".
const SUFFIXES: &[&str] = &[
    "straße", "strasse", "str", "weg", "allee", "gasse", "platz", "ring", "damm", "ufer", "chaussee", "steig", "pfad",
    "markt", "straat", "laan", "plein", "gracht", "kade", "singel", "dijk", "dreef", "steeg", "hof",
];

fn has_street_suffix(word: &str) -> bool {
    // The suffixes are lower case; "ß" has no upper case, so ASCII folding suffices
    // ("HAUPTSTRASSE", "Hauptstraße").
    let w = word.as_bytes();
    SUFFIXES.iter().any(|s| w.len() > s.len() + 2 && w[w.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes()))
}

fn flags(lex: &Lexicon, text: &str, t: &Tok) -> u32 {
    // A plain ASCII word hashes in place (the same hash as `Fold::push` of one token).
    if t.ascii && t.end - t.start <= 64 {
        return lex.get(hash_lower_ascii_at(text.as_bytes(), t.start, t.end));
    }
    let mut f = Fold::new();
    f.push(&text[t.start..t.end]);
    lex.get(f.finish())
}

/// True when only spaces (one to three, no line break) separate `from..to`.
fn spaces(b: &[u8], from: usize, to: usize) -> bool {
    to > from && to - from <= 3 && b[from..to].iter().all(|&c| c == b' ' || c == b'\t')
}

/// Up to `N` tokens that end at or before `pos`, on the same line, newest last.
fn tokens_before<const N: usize>(text: &str, pos: usize) -> ([Option<Tok>; N], usize) {
    let b = text.as_bytes();
    let mut from = pos.saturating_sub(LOOK_BEHIND);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    if let Some(nl) = memchr::memrchr(b'\n', &b[from..pos]) {
        from += nl + 1;
    }
    let mut ring: [Option<Tok>; N] = [None; N];
    let mut count = 0;
    let mut at = from;
    while let Some(t) = next_token(text, at) {
        if t.end > pos {
            break;
        }
        ring.rotate_left(1);
        ring[N - 1] = Some(t);
        count += 1;
        at = t.end;
    }
    (ring, count.min(N))
}

/// The end of a house number starting at the digit run `start..end`: an optional letter
/// ("3a"), a range ("12-14") or a flat ("7/3"); `None` when the run is not one.
fn house_number(b: &[u8], start: usize, end: usize) -> Option<usize> {
    // Not part of a time, an amount or a decimal ("10:30", "377,80", "1.5").
    if end - start > 5
        || (start > 0 && (b[start - 1].is_ascii_alphanumeric() || matches!(b[start - 1], b'.' | b':' | b',')))
    {
        return None;
    }
    let mut e = end;
    if e < b.len() && b[e].is_ascii_alphabetic() && !b.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
        e += 1;
    }
    if e + 1 < b.len() && matches!(b[e], b'-' | b'/') && b[e + 1].is_ascii_digit() {
        let mut j = e + 1;
        while j < b.len() && b[j].is_ascii_digit() && j - e <= 4 {
            j += 1;
        }
        if !b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
            e = j;
        }
    }
    if b.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(e)
}

/// UK postcode at `i` ("SW1A 2AA", "M1 1AE"): returns its end.
fn uk_postcode(b: &[u8], i: usize) -> Option<usize> {
    let up = |j: usize| b.get(j).is_some_and(u8::is_ascii_uppercase);
    let dg = |j: usize| b.get(j).is_some_and(u8::is_ascii_digit);
    if !up(i) {
        return None;
    }
    // Outward code: A9, A99, A9A, AA9, AA99, AA9A.
    let mut j = i + 1;
    if up(j) {
        j += 1;
    }
    if !dg(j) {
        return None;
    }
    j += 1;
    if dg(j) || up(j) {
        j += 1;
    }
    if b.get(j) != Some(&b' ') {
        return None;
    }
    j += 1;
    // Inward code: 9AA.
    if dg(j) && up(j + 1) && up(j + 2) && !b.get(j + 3).is_some_and(u8::is_ascii_alphanumeric) {
        Some(j + 3)
    } else {
        None
    }
}

/// A postcode at `i`: 4-5 digits (with "-dddd" ZIP+4), Polish "00-950", Dutch "1012 AB",
/// or a UK postcode. Returns its end.
fn postcode(b: &[u8], i: usize) -> Option<usize> {
    if let Some(e) = uk_postcode(b, i) {
        return Some(e);
    }
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let n = j - i;
    if n == 2 && b.get(j) == Some(&b'-') && (1..=3).all(|k| b.get(j + k).is_some_and(u8::is_ascii_digit)) {
        return Some(j + 4).filter(|&e| !b.get(e).is_some_and(u8::is_ascii_alphanumeric));
    }
    if !(4..=5).contains(&n) {
        return None;
    }
    if n == 5 && b.get(j) == Some(&b'-') && (1..=4).all(|k| b.get(j + k).is_some_and(u8::is_ascii_digit)) {
        j += 5;
    } else if n == 4
        && b.get(j) == Some(&b' ')
        && b.get(j + 1).is_some_and(u8::is_ascii_uppercase)
        && b.get(j + 2).is_some_and(u8::is_ascii_uppercase)
        && !b.get(j + 3).is_some_and(u8::is_ascii_alphanumeric)
    {
        j += 3;
    }
    if b.get(j).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    Some(j)
}

/// The longest city of the lexicon starting at `i`, of two to four words joined by spaces
/// or hyphens ("Frankfurt am Main", "Aix-en-Provence", "Ann Arbor", "'s-Hertogenbosch").
fn lexicon_city(lex: &Lexicon, text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let from = if text[i..].starts_with('\'') {
        i + 1
    } else if text[i..].starts_with('\u{2019}') {
        i + 3
    } else {
        i
    };
    let t = next_token(text, from)?;
    if t.start != from || t.shape == Shape::Digit {
        return None;
    }
    let mut best = None;
    let mut end = t.end;
    for _ in 0..3 {
        let Some(n) = next_token(text, end) else { break };
        let glue = &b[end..n.start];
        if !(glue == b" " || glue == b"-") {
            break;
        }
        end = n.end;
        if lex_city(lex, text, i, end) {
            best = Some(end);
        }
    }
    best
}

/// Capitalised words (a city) starting at `i`: a multi-word city of the lexicon, or up to
/// three capitalised words with particles between.
fn city(lex: &Lexicon, text: &str, i: usize) -> Option<usize> {
    if let Some(end) = lexicon_city(lex, text, i) {
        return Some(end);
    }
    let b = text.as_bytes();
    let t = next_token(text, i)?;
    if t.start != i || !matches!(t.shape, Shape::Cap | Shape::Upper) {
        return None;
    }
    let mut end = t.end;
    for _ in 0..2 {
        let Some(n) = next_token(text, end) else { break };
        let glue = &b[end..n.start];
        if !(glue == b" " || glue == b"-") {
            break;
        }
        let fl = flags(lex, text, &n);
        let particle = fl & flag::PARTICLE != 0 || matches!(&text[n.start..n.end], "am" | "an" | "im" | "sur" | "upon");
        if matches!(n.shape, Shape::Cap) && fl & flag::COMMON == 0 || (particle && glue == b" ") {
            end = n.end;
        } else {
            break;
        }
    }
    // A particle cannot end a city.
    Some(end).filter(|&e| !text[t.start..e].ends_with(" am"))
}

/// Extends an address ending at `end` over ", 10115 Berlin", ", London SW1A 2AA",
/// ", Springfield, IL 62704", " 1012 AB Amsterdam", ", 3º B".
fn continuation(lex: &Lexicon, text: &str, mut end: usize) -> usize {
    let b = text.as_bytes();
    // A comma and up to two spaces, or one line break (address blocks).
    let skip = |i: usize| {
        let mut j = i;
        if b.get(j) == Some(&b',') {
            j += 1;
        }
        if b.get(j) == Some(&b'\r') {
            j += 1;
        }
        if b.get(j) == Some(&b'\n') {
            j += 1;
        }
        let k = j;
        while j < b.len() && j - k < 2 && b[j] == b' ' {
            j += 1;
        }
        (j > i).then_some(j)
    };
    // Spanish floor and door: ", 3º B", ", 2ª izq.".
    if let Some(j) = skip(end) {
        let mut k = j;
        while k < b.len() && b[k].is_ascii_digit() && k - j < 2 {
            k += 1;
        }
        if k > j && (text[k..].starts_with('º') || text[k..].starts_with('ª')) {
            k += 2;
            if b.get(k) == Some(&b' ')
                && b.get(k + 1).is_some_and(u8::is_ascii_uppercase)
                && !b.get(k + 2).is_some_and(u8::is_ascii_alphanumeric)
            {
                k += 2;
            } else if b.get(k) == Some(&b' ') {
                // The side: "2º izq.", "3º dcha.", "1º centro".
                for side in ["izq.", "izda.", "dcha.", "dcha", "izq", "izda", "centro", "dra.", "der."] {
                    let e = k + 1 + side.len();
                    if text.get(k + 1..e).is_some_and(|w| w.eq_ignore_ascii_case(side))
                        && !b.get(e).is_some_and(u8::is_ascii_alphanumeric)
                    {
                        k = e;
                        break;
                    }
                }
            }
            end = k;
        }
    }
    let Some(j) = skip(end) else { return end };
    // Postcode then city.
    if let Some(pe) = postcode(b, j) {
        if b.get(pe) == Some(&b' ') {
            if let Some(ce) = city(lex, text, pe + 1) {
                return ce;
            }
        }
        return pe;
    }
    // City then postcode (UK), or city, state ZIP (US).
    if let Some(ce) = city(lex, text, j) {
        if let Some(k) = skip(ce) {
            if let Some(pe) = uk_postcode(b, k) {
                return pe;
            }
            // US state code then ZIP.
            if b.get(k).is_some_and(u8::is_ascii_uppercase)
                && b.get(k + 1).is_some_and(u8::is_ascii_uppercase)
                && b.get(k + 2) == Some(&b' ')
            {
                if let Some(pe) = postcode(b, k + 3) {
                    return pe;
                }
            }
            if let Some(pe) = postcode(b, k) {
                return pe;
            }
        }
        if lex_city(lex, text, j, ce) {
            return ce;
        }
    }
    end
}

fn lex_city(lex: &Lexicon, text: &str, start: usize, end: usize) -> bool {
    lex.lookup(&text[start..end]) & flag::CITY != 0
}

/// Called at every maximal run of ASCII digits `b[start..end]`.
#[inline]
pub(crate) fn at_digits(s: &mut Scanner<'_>, start: usize, end: usize) {
    let b = s.b;
    if end - start > 5 || start < s.resume(super::Family::Address) {
        return;
    }
    let lex = Lexicon::embedded();
    let want_street = s.wants(Kind::StreetAddress);
    if want_street {
        if let Some(hn) = house_number(b, start, end) {
            if let Some((a_start, a_end)) = number_first(s, lex, start, hn).or_else(|| number_last(s, lex, start, hn)) {
                let a_end = continuation(lex, s.text, a_end);
                if a_end - a_start <= MAX_SPAN {
                    s.push(a_start, a_end, Kind::StreetAddress, 0.8, "street_address");
                    s.set_resume(super::Family::Address, a_end);
                    return;
                }
            }
            if let Some(a_start) = po_box(s, lex, start) {
                let a_end = continuation(lex, s.text, hn);
                s.push(a_start, a_end, Kind::StreetAddress, 0.8, "po_box");
                s.set_resume(super::Family::Address, a_end);
                return;
            }
        }
    }
    if s.wants(Kind::PostalCode) && s.boundary_before(start) {
        let pc_start = if start >= 2 && b[start - 1].is_ascii_uppercase() {
            // UK outward codes start with one or two letters.
            let mut i = start - 1;
            if i > 0 && b[i - 1].is_ascii_uppercase() {
                i -= 1;
            }
            i
        } else {
            start
        };
        if let Some(pe) = postcode(b, pc_start) {
            if s.boundary_before(pc_start) && s.context(Kind::PostalCode, pc_start, pe) {
                s.push(pc_start, pe, Kind::PostalCode, 0.7, "postal_code");
                s.set_resume(super::Family::Address, pe);
            }
        }
    }
}

/// "221B Baker Street", "12 rue de la Paix": the street after the number.
fn number_first(s: &Scanner<'_>, lex: &Lexicon, start: usize, hn: usize) -> Option<(usize, usize)> {
    let text = s.text;
    let b = s.b;
    // "12 rue …", "96A, avenue …": the number is followed by spaces or ", " (checked
    // below; this first test spares the tokenizer most numbers).
    if !matches!(b.get(hn), Some(b' ' | b'\t' | b',')) {
        return None;
    }
    let first = next_token(text, hn)?;
    // No street type is a number, and the English form wants a word.
    if first.shape == Shape::Digit {
        return None;
    }
    if !(spaces(b, hn, first.start) || &b[hn..first.start] == b", ") {
        return None;
    }
    let ff = flags(lex, text, &first);
    // German types ("Am Markt 3") come before the name and the number; a number before
    // them is something else ("10 am", "80 al IBAN").
    let german = || {
        let w = &text[first.start..first.end];
        ["am", "im", "an", "al", "in", "auf"].iter().any(|g| w.eq_ignore_ascii_case(g))
    };
    if ff & flag::STREET_BEFORE != 0 && first.shape != Shape::Upper && !german() {
        // French: "12 rue de la Paix", "5 avenue des Champs-Élysées".
        let mut end = first.end;
        if b.get(end) == Some(&b'.') {
            end += 1;
        }
        let mut words = 0;
        let mut at = end;
        while words < 6 {
            let Some(t) = next_token(text, at) else { break };
            let glue = &b[at..t.start];
            if !(glue == b" " || glue == b"-" || glue == b"'" || glue == "\u{2019}".as_bytes()) {
                break;
            }
            let fl = flags(lex, text, &t);
            let lower_glue = t.shape == Shape::Lower
                && (fl & flag::PARTICLE != 0 || matches!(&text[t.start..t.end], "des" | "du" | "d" | "l"));
            if t.shape == Shape::Cap || lower_glue {
                at = t.end;
                if !lower_glue {
                    end = t.end;
                }
                words += 1;
            } else {
                break;
            }
        }
        return (end > first.end + 1).then_some((start, end));
    }
    // English: capitalised words then a street type.
    let mut at = hn;
    for named in 0..5 {
        let t = if named == 0 { first } else { next_token(text, at)? };
        if !spaces(b, at, t.start) || !matches!(t.shape, Shape::Cap | Shape::Upper | Shape::Other) {
            return None;
        }
        let fl = if named == 0 { ff } else { flags(lex, text, &t) };
        if fl & flag::STREET_AFTER != 0 && named > 0 {
            let mut end = t.end;
            // An abbreviated type keeps its period ("St.", "Blvd."); a full word
            // ("Crescent.") ends the sentence.
            let word = &text[t.start..t.end];
            let abbreviation =
                word.len() <= 3 && !word.eq_ignore_ascii_case("way") && !word.eq_ignore_ascii_case("row")
                    || ["blvd", "pkwy", "cres", "terr", "gdns", "hwy"].iter().any(|a| word.eq_ignore_ascii_case(a));
            if b.get(end) == Some(&b'.') && abbreviation {
                end += 1;
            }
            return Some((start, end));
        }
        at = t.end;
    }
    None
}

/// "Hauptstraße 12", "Via Roma 10", "ul. Długa 7": the street before the number.
fn number_last(s: &Scanner<'_>, lex: &Lexicon, start: usize, _hn: usize) -> Option<(usize, usize)> {
    let text = s.text;
    let b = s.b;
    if start < 2 || b[start - 1] != b' ' {
        return None;
    }
    // The street may end with an abbreviation's period ("Bergstr. 40") or a comma before
    // the number ("Vicolo dei Tigli, 9").
    let mut e = start - 1;
    if matches!(b[e - 1], b'.' | b',') {
        e -= 1;
    }
    // Cheap test first: the word before the number is capitalised ("Roma 10", "Hauptstraße 12").
    let mut w = e;
    while w > 0 && start - w < 40 && (b[w - 1].is_ascii_alphabetic() || b[w - 1] >= 0x80) {
        w -= 1;
    }
    if !s.text.is_char_boundary(w) || !s.text[w..].chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let (toks, count) = tokens_before::<6>(text, start);
    if count == 0 {
        return None;
    }
    let last = toks[5]?;
    let glue = &b[last.end..start];
    if !(spaces(b, last.end, start) || glue == b". " || glue == b", " || glue == b"., ") {
        return None;
    }
    // One word with a street suffix: "Hauptstraße 12", "Kerkstraat 5", "Lindenstr. 3".
    let word = &text[last.start..last.end];
    let lf = flags(lex, text, &last);
    if matches!(last.shape, Shape::Cap | Shape::Upper) && (has_street_suffix(word) || lf & flag::STREET_AFTER != 0) {
        // Include capitalised words before a separate type: "Baker Street 12", "Unter den Linden 5".
        let mut st = last.start;
        for i in (0..5).rev() {
            let Some(t) = toks[i] else { break };
            let joined = spaces(b, t.end, st) || &b[t.end..st] == b"-";
            if !joined || !matches!(t.shape, Shape::Cap) || flags(lex, text, &t) & flag::COMMON != 0 {
                break;
            }
            if lf & flag::STREET_AFTER == 0 {
                break;
            }
            st = t.start;
        }
        // A type word alone ("Terminal 2", "Level 3") is not a street.
        if st == last.start && !has_street_suffix(word) {
            return None;
        }
        return Some((st, _hn));
    }
    // A street type before capitalised words: "Via Roma 10", "Calle Mayor 5", "Am Markt 3a",
    // "ul. Długa 7", "Avenida de la Constitución 12".
    for i in (0..6).rev() {
        let Some(t) = toks[i] else { break };
        let fl = flags(lex, text, &t);
        // Two-word types ("An der", "In der").
        let two = i > 0
            && toks[i - 1].is_some_and(|p| {
                spaces(b, p.end, t.start) && lex.lookup(&text[p.start..t.end]) & flag::STREET_BEFORE != 0
            });
        // The type is capitalised ("Via", "Calle", "Am") or abbreviated ("ul.").
        let shaped = matches!(t.shape, Shape::Cap | Shape::Upper) || matches!(b.get(t.end), Some(b'.' | b'/'));
        if (fl & flag::STREET_BEFORE != 0 && shaped) || two {
            let type_start = if two { toks[i - 1].map_or(t.start, |p| p.start) } else { t.start };
            if i == 5 {
                return None; // the type itself right before the number
            }
            // Everything between the type and the number: capitalised words and particles.
            let mut ok = true;
            let mut prev_end = t.end;
            if matches!(b.get(prev_end), Some(b'.' | b'/')) {
                prev_end += 1;
            }
            let mut cap = 0;
            for w in &toks[i + 1..6] {
                let Some(w) = *w else {
                    ok = false;
                    break;
                };
                let glue = &b[prev_end..w.start];
                if !(glue == b" " || glue == b"-" || glue == b"'") {
                    ok = false;
                    break;
                }
                let wf = flags(lex, text, &w);
                match w.shape {
                    Shape::Cap | Shape::Upper => cap += 1,
                    Shape::Lower
                        if wf & flag::PARTICLE != 0
                            || matches!(
                                &text[w.start..w.end],
                                "dei" | "degli" | "delle" | "del" | "della" | "dello" | "de" | "la" | "los" | "las"
                            ) => {}
                    _ => {
                        ok = false;
                        break;
                    }
                }
                prev_end = w.end;
            }
            if ok && cap > 0 && matches!(text[type_start..].chars().next(), Some(c) if c.is_alphabetic()) {
                return Some((type_start, _hn));
            }
            return None;
        }
    }
    None
}

/// "PO Box 123", "Postfach 12 34", "BP 42", "Apartado 123", "Casella postale 9",
/// "Postbus 12": the start of the box phrase before the number at `start`.
fn po_box(s: &Scanner<'_>, _lex: &Lexicon, start: usize) -> Option<usize> {
    const PHRASES: &[&str] = &[
        "po box",
        "p.o. box",
        "p. o. box",
        "p.o.box",
        "post office box",
        "postfach",
        "bp",
        "b.p.",
        "boîte postale",
        "apartado",
        "apartado de correos",
        "casella postale",
        "c.p.",
        "postbus",
        "skrytka pocztowa",
    ];
    let b = s.b;
    // The phrase, then one space, then the number.
    if start < 3 || b[start - 1] != b' ' || !(b[start - 2].is_ascii_alphabetic() || b[start - 2] == b'.') {
        return None;
    }
    // The last bytes of the phrases, ASCII lower-cased: most numbers follow none of them.
    if !matches!(b[start - 2] | 0x20, b'x' | b'h' | b'p' | b'.' | b'e' | b'o' | b's' | b'a') {
        return None;
    }
    let before = &b[..start - 1];
    for p in PHRASES {
        let pb = p.as_bytes();
        // The last byte first: most numbers follow no phrase.
        if before.len() >= pb.len()
            && before[before.len() - 1].eq_ignore_ascii_case(&pb[pb.len() - 1])
            && before[before.len() - pb.len()..].eq_ignore_ascii_case(pb)
        {
            let st = before.len() - pb.len();
            if s.boundary_before(st) {
                return Some(st);
            }
        }
    }
    None
}
