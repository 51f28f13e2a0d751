//! How far back text appended later can still change the findings of a text: what a
//! stream must hold back, beyond the fixed bound of its [`Limits`](crate::sanitize).
//!
//! Every finding comes from an anchor the scan driver visits (`scan::run`): a keyword, a
//! run of digits, an `@`, or a word of the word pass. Each family promises how far from
//! its anchor it looks and reports (the look-around documented at the top of its file).
//! So text appended to `text` can change findings only in two ways:
//!
//! - an anchor whose look-ahead does not end inside `text` may still decide otherwise;
//!   what it reports starts no earlier than its own reach to the left;
//! - an anchor in the appended text (or the token that the text ends inside, which can
//!   still grow) reports spans that start no earlier than its reach to the left, measured
//!   from where that token starts.
//!
//! [`open_from`] takes the minimum of those starts over the anchors near the end. Text
//! before it is final: the findings that overlap it are those of `text` alone, for any
//! continuation.

use crate::detectors::words::{after_elision, place_preposition, plural_flags};
use crate::engine::Inner;
use crate::lexicon::{Fold, Lexicon, flag};
use crate::scan::CONTEXT_AFTER;
use crate::token::{Shape, Tok, hash_lower_ascii_at, next_token, token_hash};

/// How far left of their anchor the digit, `@` and keyword detectors report: the street
/// before a house number ("Calle Mayor 5"), at most 64 bytes.
const LOOK_BEHIND: usize = 64;
/// How far right of a run of digits or a keyword the detectors read, context
/// words after a span included: a span is at most 256 bytes, context 32 bytes after it.
const AHEAD: usize = 256 + CONTEXT_AFTER;
/// Longer than any keyword anchor.
const KEYWORD_MAX: usize = 64;
/// The word pass decides about a medical term or a place from at most six tokens and the
/// context after them, and about a name once a token that cannot continue it is in (up to
/// 13 tokens: three particles with a name each, and one more).
const WORD_TOKENS_AHEAD: usize = 6;
const NAME_TOKENS_AHEAD: usize = 13;
/// Context words are looked for up to 40 bytes after a medical term, 32 after a place.
const CONTEXT_AHEAD: usize = 48;
/// A word-pass span may start this many bytes before the token that starts it: the
/// apostrophe of "'s-Hertogenbosch" (up to 3 bytes), a Vietnamese family name before the
/// name ("Nguyen Thi Lan": up to 6 bytes and 3 spaces).
const WORD_BEHIND: usize = 12;
/// How far left over spaces a run of digits reaches, short of a street before its house
/// number: "Casella postale 9" (a PO box phrase, at most 20 bytes), "March 5", "DE 136…",
/// "AB 12 34 56 C", "B AB 1234".
const PREFIX_BEHIND: usize = 24;

/// ASCII whitespace: no e-mail address, URL or secret contains it.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The last char boundary of `s` at or before `i` (its length past the end).
pub(crate) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The offset of `text` before which text appended later cannot change the findings,
/// looking at anchors from `from` on (anchors before `from` are the caller's to bound).
///
/// Returns 0 (nothing known) for policies with custom detectors or deny terms, whose
/// reach is not bounded here.
pub(crate) fn open_from(eng: &Inner, text: &str, from: usize) -> usize {
    if !eng.customs.is_empty() || eng.deny.is_some() {
        return 0;
    }
    let b = text.as_bytes();
    let n = b.len();
    let from = run_start(b, floor_boundary(text, from.min(n)));
    let lex = Lexicon::embedded();

    // The last run of non-space bytes can still grow into an e-mail address, a URL, a
    // secret or any token, and an anchor after it (or in it) reaches left from its start.
    let run = run_start(b, n);
    let mut r = run.min(digits_reach(lex, text, run));

    // Keywords whose handler still reads past the end (with a keyword's length to spare,
    // as the scan's matches need not line up with these from `from`). Their spans start
    // at the keyword, or at a URL's scheme in the same run.
    if let Some(k) = &eng.keywords {
        if let Some(m) = k.find_iter(&b[from..]).find(|m| from + m.start() + KEYWORD_MAX + AHEAD > n) {
            r = r.min(run_start(b, from + m.start()));
        }
    }

    // Runs of digits whose detectors still read past the end. Once one is open, the
    // ones after it are too: it may still move where a family resumes.
    let mut i = from;
    let mut open = false;
    while i < n {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < n && b[i].is_ascii_digit() {
                i += 1;
            }
            open = open || i + AHEAD > n && !digits_settled(lex, b, i);
            if open {
                let at = run_start(b, start);
                r = r.min(at).min(digits_reach(lex, text, at));
            }
        } else {
            i += 1;
        }
    }

    // Words the word pass may still decide about, and word keywords.
    r.min(words_open(eng, lex, text, from))
}

/// Whether the detectors called at a run of digits ending at `end` have read all they
/// will read, whatever follows the text: after the run comes one of
///
/// - a word that ends every family's parse (a [`stopper`]) and 38 bytes after it (context
///   words 32 bytes after a span that ends before it; spans that take it in, such as
///   "E11.abc", a plate or a Cisco MAC group, with their context), and the up to three
///   tokens an address's city may still take after it, and 19 bytes after those (a
///   postcode or a state and ZIP after the city);
/// - a `;`, `!` or `?`, which no family parses across, and 33 bytes after it;
/// - a blank line (an address goes on across one line break only), and 33 bytes after it.
fn digits_settled(lex: &Lexicon, b: &[u8], end: usize) -> bool {
    let n = b.len();
    let letter = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'\'';
    let mut i = end;
    while i < n {
        let c = b[i];
        if matches!(c, b';' | b'!' | b'?') {
            return i + 1 + CONTEXT_MARGIN <= n;
        }
        if c == b'\n' {
            let mut j = i + 1;
            while j < n && matches!(b[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            if j < n && b[j] == b'\n' {
                return j + 1 + CONTEXT_MARGIN <= n;
            }
        }
        if c.is_ascii_lowercase() && b[i - 1] < 0x80 && !letter(b[i - 1]) {
            let mut q = i;
            while q < n && b[q].is_ascii_lowercase() {
                q += 1;
            }
            if q < n && !letter(b[q]) && b[q] < 0x80 && stopper(lex, b, i, q) {
                return q + STOPPER_MARGIN <= n && city_chain_end(b, q).is_some_and(|e| e + 19 <= n);
            }
            i = q;
            continue;
        }
        i += 1;
    }
    false
}

/// Context windows: 32 bytes after a span, and the byte after them.
const CONTEXT_MARGIN: usize = 33;
/// What the digit families read after a stopper word that ends at `q`: up to `q + 37`.
const STOPPER_MARGIN: usize = 38;

/// Whether the lower-case ASCII word `b[p..q]` (a whole word) ends the parse of every
/// family called at digits: three letters or more, and no month name (a date goes on to
/// its year: "12 March 2024"), no phone extension ("ext 12"), no street type or particle
/// ("12 rue de la Paix"), no floor side ("3º izq"), and no hex group after a colon (IPv6).
fn stopper(lex: &Lexicon, b: &[u8], p: usize, q: usize) -> bool {
    let w = &b[p..q];
    w.len() >= 3
        && crate::detectors::date::month(w).is_none()
        && w != b"del"
        && !crate::detectors::phone::EXTENSIONS.contains(&w)
        && lex.get(hash_lower_ascii_at(b, p, q)) & (flag::STREET_BEFORE | flag::PARTICLE) == 0
        && ![&b"des"[..], b"sur", b"upon", b"izq", b"izda", b"dcha", b"centro", b"dra", b"der"].contains(&w)
        && !(b[p - 1] == b':' && w.len() <= 4 && w.iter().all(|c| (b'a'..=b'f').contains(c)))
}

/// After a word ending at `q`, the end of the up to three tokens an address's city may
/// still read (each joined by one space or hyphen, made of letters, digits, apostrophes or
/// non-ASCII bytes), or `None` while the last of them may still grow.
fn city_chain_end(b: &[u8], q: usize) -> Option<usize> {
    let mut e = q;
    for _ in 0..3 {
        if !(matches!(b.get(e), Some(b' ' | b'-'))
            && b.get(e + 1).is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80))
        {
            return Some(e);
        }
        let mut j = e + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'\'' || b[j] >= 0x80) {
            j += 1;
        }
        if j == b.len() {
            return None;
        }
        e = j;
    }
    Some(e)
}

/// The start of the run of non-space bytes that `at` is in or ends.
fn run_start(b: &[u8], mut at: usize) -> usize {
    while at > 0 && !is_space(b[at - 1]) {
        at -= 1;
    }
    at
}

/// Particles a street name may have in lower case between its type and its number
/// ("Calle de la Paz 5"), beside the lexicon's particles.
const STREET_PARTICLES: &[&str] = &["dei", "degli", "delle", "del", "della", "dello", "de", "la", "los", "las"];

/// How far left over spaces a run of digits whose run of non-space bytes starts at `at`
/// can report: a short prefix ([`PREFIX_BEHIND`]), or a street before the house number.
///
/// A street before its number is at most 64 bytes on the same line, made of capitalised
/// words, street types, particles and words of the lexicon ("Calle Mayor 5", "gran via
/// 5"); a lower-case word that is in no list and no particle ends it (it may still be the
/// first word of a two-word street type, so the reach includes it).
fn digits_reach(lex: &Lexicon, text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let limit = floor_boundary(text, at.saturating_sub(LOOK_BEHIND));
    let mut reach = floor_boundary(text, at.saturating_sub(PREFIX_BEHIND));
    let mut line = at;
    while line > limit && b[line - 1] != b'\n' {
        line -= 1;
    }
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = line;
    while let Some(t) = next_token(text, i).filter(|t| t.start < at) {
        i = t.end;
        toks.push(t);
    }
    let mut street = at;
    for t in toks.iter().rev() {
        street = t.start;
        if t.shape == Shape::Lower
            && lex.get(hash(text, t)) & !flag::COMMON == 0
            && !STREET_PARTICLES.contains(&&text[t.start..t.end])
        {
            break;
        }
        // Reaching the line start (or the 64-byte limit) leaves the whole stretch open.
        street = line;
    }
    reach = reach.min(street);
    reach
}

fn hash(text: &str, t: &Tok) -> u64 {
    if t.ascii && t.end - t.start <= 64 {
        hash_lower_ascii_at(text.as_bytes(), t.start, t.end)
    } else {
        token_hash(&text[t.start..t.end])
    }
}

/// Whether a name that runs up to token `k - 1` cannot take token `k`: the two are not
/// joined by spaces or a hyphen (nor by the period of an initial, "John F. Kennedy"), or
/// token `k` is digits or a lower-case word that is no name and no particle, and no
/// particle in the three tokens before reads on past it ("van der Berg").
fn stops_name(b: &[u8], toks: &[(Tok, u64, u32)], k: usize) -> bool {
    let (p, t, fl) = (&toks[k - 1].0, &toks[k].0, toks[k].2);
    let gap = &b[p.end..t.start];
    let joined = gap.len() <= 3 && gap.iter().all(|&c| c == b' ' || c == b'\t')
        || gap == b"-"
        || p.end - p.start == 1 && b[p.start].is_ascii_uppercase() && gap.first() == Some(&b'.');
    if !joined {
        return true;
    }
    let word =
        t.shape == Shape::Digit || t.shape == Shape::Lower && fl & (flag::GIVEN | flag::SURNAME | flag::PARTICLE) == 0;
    word && toks[k.saturating_sub(3)..k].iter().all(|(_, _, f)| f & flag::PARTICLE == 0)
}

/// The start of the first word at or after `from` that may start a finding of the word
/// pass whose look-ahead reaches past the end of `text`, or of the first word keyword
/// whose handler does.
fn words_open(eng: &Inner, lex: &Lexicon, text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    let mut toks: Vec<(Tok, u64, u32)> = Vec::new();
    let mut i = from;
    while let Some(t) = next_token(text, i) {
        i = t.end;
        let h = hash(text, &t);
        toks.push((t, h, lex.get(h)));
    }
    let complete = |j: usize| j + 1 < toks.len();
    for (k, &(t, _, fl)) in toks.iter().enumerate() {
        let word_start = floor_boundary(text, t.start.saturating_sub(WORD_BEHIND));
        // Word keywords at the token and, in camelCase, at its inner capitals: the span
        // follows the keyword.
        let keyword = |at: usize| eng.word_keywords.may_match(b, at);
        if t.end + AHEAD > n
            && (keyword(t.start)
                || t.shape == Shape::Other
                    && (t.start + 1..t.end)
                        .any(|i| b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() && keyword(i)))
        {
            return t.start;
        }
        if t.shape == Shape::Digit {
            continue;
        }
        let lower = t.shape == Shape::Lower;
        let capitalised = !lower && text[t.start..].chars().next().is_some_and(char::is_uppercase);
        // The tokens before, as far back as a finding of the word pass reaches: the word
        // pass looks at the last token it saw, which may be the first of such a finding.
        let before = &toks[k.saturating_sub(NAME_TOKENS_AHEAD)..k];

        // Medical terms (plurals and elided articles too) and places: decided from up to
        // six tokens and 40 bytes of context after them. A lower-case place only follows
        // a preposition.
        // A word that only starts longer entries starts nothing unless the pair it makes
        // with the next token may start one.
        let pair = || {
            !complete(k + 1)
                || matches!(b.get(t.end), Some(b' ' | b'\t' | b'-' | b'\'' | 0xE2)) && {
                    let mut f = Fold::new();
                    f.push_hash(toks[k].1);
                    f.push_hash(toks[k + 1].1);
                    lex.pair.may_contain2(f.finish())
                }
        };
        let medical = fl & (flag::CONDITION | flag::MEDICATION) != 0
            || fl & flag::PREFIX_MEDICAL != 0 && pair()
            || !t.plain && matches!(t.shape, Shape::Lower | Shape::Other) && after_elision(text, &t).is_some()
            || lower
                && t.ascii
                && (5..=64).contains(&(t.end - t.start))
                && b[t.end - 1] | 0x20 == b's'
                && plural_flags(lex, text, &t, toks[k].1) != 0;
        let place = (fl & flag::CITY != 0 || fl & flag::PREFIX_CITY != 0 && pair())
            && (!lower || k == 0 || place_preposition(b, toks[k - 1].0.start, toks[k - 1].0.end));
        if (medical || place)
            && !(complete(k + WORD_TOKENS_AHEAD) && toks[k + WORD_TOKENS_AHEAD - 1].0.end + CONTEXT_AHEAD <= n)
        {
            return word_start;
        }

        // Names: a capitalised word starts one when it is a given name, in no list, or
        // after a word that leads to a name (a title, a greeting, a signature marker at
        // the line start); a lower-case one when it is a given name or a particle. The
        // name is decided once a token that stops it is in.
        let unknown = capitalised && fl & !(flag::SURNAME | flag::PREFIX) == 0;
        let led = k == 0
            || before.iter().any(|(_, h, f)| f & LEADS != 0 || lex.phrase_last.may_contain(*h))
            || line_start(b, t.start);
        let name = if capitalised {
            fl & flag::GIVEN != 0 || unknown || led
        } else {
            fl & (flag::GIVEN | flag::PARTICLE) != 0
        };
        if name && !(k + 1..=k + NAME_TOKENS_AHEAD).any(|j| complete(j) && stops_name(b, &toks, j)) {
            return word_start;
        }

        // After an introduction, two lower-case words and the end of a clause make a name
        // ("soy marco bruno,"), read up to the token after them.
        if lower && !complete(k + 2) {
            let after_intro = k == 0
                || lex.intro_last.may_contain(0)
                || before.iter().any(|(_, p, _)| lex.intro_last.may_contain(*p));
            if after_intro {
                return word_start;
            }
        }
    }
    n
}

/// Whether only spaces stand between the start of the line and `at`.
fn line_start(b: &[u8], at: usize) -> bool {
    b[..at].iter().rev().find(|&&c| c != b' ' && c != b'\t').is_none_or(|&c| c == b'\n' || c == b'\r')
}

/// Flags of words that lead to a name.
const LEADS: u32 = flag::TITLE | flag::TITLE_WEAK | flag::GREETING | flag::CLOSING | flag::INTRO | flag::LABEL;

#[cfg(test)]
mod tests {
    use crate::Engine;

    /// `open_from` of `text` with the default engine.
    fn open(text: &str) -> usize {
        super::open_from(Engine::default().inner_for_tests(), text, 0)
    }

    /// The offset of `part` in `text`.
    fn at(text: &str, part: &str) -> usize {
        text.find(part).unwrap_or_else(|| panic!("{part:?} not in {text:?}"))
    }

    #[test]
    fn plain_prose_is_held_back_only_near_its_end() {
        let text = "Thanks for the summary. Let's keep the meeting short tomorrow and focus on the open questions \
                    from the review, then we can wrap up the rest of the week without any rush at all and go ho";
        let r = open(text);
        // Here "we" may be Polish ("we Krakowie") and "can" a place: six tokens and the
        // context after them decide.
        assert!(r > text.len() - 100, "open from {r} of {}: {:?}", text.len(), &text[r..]);
        assert!(r <= at(text, "go ho"), "a street or short prefix before a number may still come: {:?}", &text[r..]);
    }

    #[test]
    fn text_that_may_still_be_personal_data_is_held_back() {
        for (text, from) in [
            // Digits: a phone number still growing, with its prefix.
            ("the weather is fine, call me at +49 30 12", "+49"),
            // A street before a house number that may follow.
            ("we met yesterday and then I moved to Calle Mayor", "Calle"),
            ("we met yesterday and then I moved to the gran via", "gran"),
            // A house number before a street that may follow.
            ("we met yesterday and the new office is at 12 rue de la", "12"),
            // A name that may go on.
            ("we met yesterday and then I talked a lot with Anna", "Anna"),
            ("we met yesterday and then I talked a lot with Anna van", "Anna"),
            // Lower-case names after an introduction.
            ("we met yesterday and the man said hola soy marco", "marco"),
            // A medical term of several words.
            ("we met yesterday and the doctor told me about chronic kidney", "chronic"),
            // An e-mail address, a URL.
            ("we met yesterday and the address to write to is anna.maria", "anna.maria"),
            ("we met yesterday and the page is at https://example.org/a", "https"),
            // A keyword whose value follows.
            ("we met yesterday and they asked for my passport", "passport"),
        ] {
            let r = open(text);
            assert!(r <= at(text, from), "{text:?}: open from {:?}", &text[r..]);
        }
    }

    #[test]
    fn numbers_followed_by_plain_words_are_settled() {
        let text = "the customer asked whether the export can include the last 12 months instead of 6; \
                    I said that we would check it with the team and come back to them later this week";
        assert!(open(text) > at(text, "check it"), "{:?}", &text[open(text)..]);
        // A month, a street type or an extension keeps the number open.
        for (text, from) in [
            ("the customer asked whether we could meet again on 12 March when the office opens", "12"),
            ("the customer asked whether we could meet again at 12 rue de la Paix when it opens", "12"),
            ("the customer asked whether we could call again on 555 1234 ext 56 when it opens", "555"),
        ] {
            assert!(open(text) <= at(text, from), "{text:?}: open from {:?}", &text[open(text)..]);
        }
    }

    #[test]
    fn policies_with_custom_detectors_are_not_bounded_here() {
        let policy = crate::Policy::from_toml("[[custom]]\nkind = \"TICKET\"\nregex = \"T-[0-9]+\"\n").expect("policy");
        let engine = Engine::new(policy).expect("engine");
        assert_eq!(super::open_from(engine.inner_for_tests(), "plain words and more plain words", 0), 0);
    }
}
