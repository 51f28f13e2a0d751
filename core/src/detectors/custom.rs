//! What the policy adds: deny-list terms and custom detectors (regex or word list).

use crate::scan::{Scanner, is_word_byte};

/// Bonus for a context word near a custom match.
const CONTEXT_BONUS: f32 = 0.3;

/// True when `b[start..end]` is a whole word: no word byte continues it on a side where
/// the term itself starts or ends with a word byte.
fn whole_word(s: &Scanner<'_>, start: usize, end: usize) -> bool {
    let b = s.b;
    let (first, last) = (b[start], b[end - 1]);
    (!is_word_byte(first) || s.boundary_before(start)) && (!is_word_byte(last) || s.boundary_after(end))
}

pub(crate) fn scan(s: &mut Scanner<'_>) {
    let eng = s.eng;
    if let Some(ac) = &eng.deny {
        for m in ac.find_iter(s.b) {
            let (st, en) = (m.start(), m.end());
            let kind = eng.deny_kinds[m.pattern().as_usize()];
            if s.wants(kind) && s.text.is_char_boundary(st) && s.text.is_char_boundary(en) && whole_word(s, st, en) {
                s.push(st, en, kind, 1.0, "deny_list");
            }
        }
    }
    for c in &eng.customs {
        if !s.wants(c.kind) {
            continue;
        }
        let report = |s: &mut Scanner<'_>, st: usize, en: usize, detector: &'static str| {
            let ctx = s.context(c.kind, st, en);
            if c.context_required && !ctx {
                return;
            }
            let score = if ctx { (c.score + CONTEXT_BONUS).min(1.0) } else { c.score };
            s.push(st, en, c.kind, score, detector);
        };
        if let Some(re) = &c.regex {
            for m in re.find_iter(s.text) {
                if !m.is_empty() {
                    report(s, m.start(), m.end(), "custom_regex");
                }
            }
        }
        if let Some(ac) = &c.words {
            for m in ac.find_iter(s.b) {
                let (st, en) = (m.start(), m.end());
                if s.text.is_char_boundary(st) && s.text.is_char_boundary(en) && whole_word(s, st, en) {
                    report(s, st, en, "custom_words");
                }
            }
        }
    }
}
