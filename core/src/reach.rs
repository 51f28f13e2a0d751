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

use crate::engine::Inner;
use crate::lexicon::Lexicon;
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
/// The word pass decides about a word from at most six tokens after it and 64 bytes of
/// context after those.
const WORD_TOKENS_AHEAD: usize = 6;
const WORD_BYTES_AHEAD: usize = 64;
/// A word-pass span may start this many bytes before the token that starts it (the
/// apostrophe of "'s-Hertogenbosch", in any of its encodings).
const WORD_BEHIND: usize = 3;

/// ASCII whitespace: no e-mail address, URL or secret contains it.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
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
    // Start after a space, where the scan's tokens start too.
    let mut from = floor_boundary(text, from.min(n));
    while from > 0 && !is_space(b[from - 1]) {
        from -= 1;
    }
    let back = |at: usize, by: usize| floor_boundary(text, at.saturating_sub(by));

    // The last run of non-space bytes can still grow into an e-mail address, a URL, a
    // secret or any token; an anchor after it (or in it) reaches left from its start.
    let mut run = n;
    while run > 0 && !is_space(b[run - 1]) {
        run -= 1;
    }
    let mut r = back(run, LOOK_BEHIND);

    // Keywords whose handler still reads past the end (with a keyword's length to spare,
    // as the scan's matches need not line up with these from `from`).
    if let Some(k) = &eng.keywords {
        if let Some(m) = k.find_iter(&b[from..]).find(|m| from + m.start() + KEYWORD_MAX + AHEAD > n) {
            r = r.min(back(from + m.start(), LOOK_BEHIND));
        }
    }

    // Runs of digits whose detectors still read past the end.
    let mut i = from;
    while i < n {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < n && b[i].is_ascii_digit() {
                i += 1;
            }
            if i + AHEAD > n {
                r = r.min(back(start, LOOK_BEHIND));
                break;
            }
        } else {
            i += 1;
        }
    }

    // Words the word pass may still decide about, and word keywords.
    r.min(words_open(eng, text, from))
}

/// The start of the first word at or after `from` that may start or lead to a finding
/// of the word pass and whose look-ahead reaches past the end of `text`.
fn words_open(eng: &Inner, text: &str, from: usize) -> usize {
    let lex = Lexicon::embedded();
    let b = text.as_bytes();
    let n = b.len();
    let keyword = |at: usize, end: usize| eng.word_keywords.may_match(b, at, end);
    // The tokens from `from`: each one's look-ahead ends six tokens later.
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = from;
    while let Some(t) = next_token(text, i) {
        i = t.end;
        toks.push(t);
    }
    let mut prev_hash = 0;
    for (k, t) in toks.iter().enumerate() {
        // Word keywords at the token and, in camelCase, at its inner capitals.
        if t.end + AHEAD > n
            && (keyword(t.start, t.end)
                || t.shape == Shape::Other
                    && (t.start + 1..t.end)
                        .any(|i| b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() && keyword(i, t.end)))
        {
            return floor_boundary(text, t.start.saturating_sub(LOOK_BEHIND));
        }
        let h = if t.ascii && t.end - t.start <= 64 {
            hash_lower_ascii_at(b, t.start, t.end)
        } else {
            token_hash(&text[t.start..t.end])
        };
        let settled = toks.get(k + WORD_TOKENS_AHEAD).is_some_and(|last| last.end + WORD_BYTES_AHEAD <= n);
        // The first token's predecessor is unknown: it counts as an introduction.
        if !settled && (k == 0 || may_start(lex, b, t, h, prev_hash)) {
            return floor_boundary(text, t.start.saturating_sub(WORD_BEHIND));
        }
        prev_hash = h;
    }
    n
}

/// Whether the word pass may start a finding at token `t` (hash `h`, after a token with
/// hash `prev`) or take it as the lead of one: every word but a lower-case one that the
/// lexicon cannot have in lower case, that follows no introduction and is no plural or
/// elision.
fn may_start(lex: &Lexicon, b: &[u8], t: &Tok, h: u64, prev: u64) -> bool {
    match t.shape {
        Shape::Digit => false,
        Shape::Lower => {
            let (in_lower, in_city) = lex.lower_city.may_contain(h);
            in_lower
                || in_city
                || lex.intro_last.may_contain(prev)
                || !t.plain
                || (t.end - t.start >= 5 && b[t.end - 1] == b's')
                || lex.get(h) != 0
        }
        _ => true,
    }
}
