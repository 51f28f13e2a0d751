//! The scan driver: one anchor pass, bounded windows, deterministic overlap resolution.

use crate::detectors::{self, Family};
use crate::engine::{Inner, KindWords};
use crate::token::ScanMasks;
use crate::{Finding, Kind, Span};

/// How far before a candidate context words are looked for, in bytes.
pub(crate) const CONTEXT_BEFORE: usize = 64;
/// How far after a candidate context words are looked for, in bytes.
pub(crate) const CONTEXT_AFTER: usize = 32;

/// State of one scan, handed to detectors.
pub(crate) struct Scanner<'a> {
    pub(crate) text: &'a str,
    pub(crate) b: &'a [u8],
    pub(crate) eng: &'a Inner,
    out: &'a mut Vec<Finding>,
    /// Per detector family, the byte offset before which it has nothing more to do.
    resume: [usize; Family::COUNT],
}

impl<'a> Scanner<'a> {
    /// True when the policy reports `kind` (detectors skip work for disabled kinds).
    #[inline]
    pub(crate) fn wants(&self, kind: Kind) -> bool {
        self.eng.enabled.contains(kind)
    }

    /// Reports a candidate. `start..end` must lie on char boundaries.
    #[inline]
    pub(crate) fn push(&mut self, start: usize, end: usize, kind: Kind, score: f32, detector: &'static str) {
        debug_assert!(start < end && end <= self.b.len(), "{detector}: bad span {start}..{end}");
        debug_assert!(
            self.text.is_char_boundary(start) && self.text.is_char_boundary(end),
            "{detector}: span off char boundary"
        );
        if start < end && self.text.is_char_boundary(start) && self.text.is_char_boundary(end) {
            self.out.push(Finding { span: Span { start, end }, kind, score: score.clamp(0.0, 1.0), detector });
        }
    }

    /// The offset before which `family` has already looked (its last match end).
    #[inline]
    pub(crate) fn resume(&self, family: Family) -> usize {
        self.resume[family as usize]
    }

    /// Records that `family` has consumed everything before `at`.
    #[inline]
    pub(crate) fn set_resume(&mut self, family: Family, at: usize) {
        let r = &mut self.resume[family as usize];
        if at > *r {
            *r = at;
        }
    }

    /// True when a context word of `kind` occurs within [`CONTEXT_BEFORE`] bytes before
    /// `start` or [`CONTEXT_AFTER`] bytes after `end`.
    pub(crate) fn context(&self, kind: Kind, start: usize, end: usize) -> bool {
        self.context_in(kind, start.saturating_sub(CONTEXT_BEFORE), start)
            || self.context_in(kind, end, (end + CONTEXT_AFTER).min(self.b.len()))
    }

    /// True when a context word of `kind` occurs as a word in `b[from..to]`: it starts
    /// `from..to` or follows a byte that is not an ASCII letter, digit or `_`, ends by `to`,
    /// and a word of three bytes or less is not followed by an ASCII letter ("tel" is not
    /// "telescope").
    pub(crate) fn context_in(&self, kind: Kind, from: usize, to: usize) -> bool {
        let Some(words) = self.eng.context.of(kind) else { return false };
        let mut found = false;
        self.context_words(words, from, to, |_| {
            found = true;
            true
        });
        found
    }

    /// The built-in kinds (bits by index, below 128) with a context word as a word in
    /// `b[from..to]` (see [`context_in`](Scanner::context_in)).
    pub(crate) fn context_kinds_in(&self, from: usize, to: usize) -> u128 {
        let mut kinds = 0u128;
        self.context_words(&self.eng.context.all, from, to, |k| {
            kinds |= k;
            false
        });
        kinds
    }

    /// Calls `found` with the value of each word of `words` that occurs as a word in
    /// `b[from..to]`, until it returns true.
    #[inline]
    fn context_words<T: Copy + Default + std::ops::BitOrAssign>(
        &self,
        words: &KindWords<T>,
        from: usize,
        to: usize,
        mut found: impl FnMut(T) -> bool,
    ) {
        let b = self.b;
        let to = to.min(b.len());
        let initial = self.eng.context.word_initial;
        // Word starts 64 bytes at a time: bytes whose previous byte is no word byte.
        let mut base = from;
        let mut prev_word = from > 0 && from < to && is_word_byte(b[from - 1]);
        while base < to {
            let m = ScanMasks::at(b, base);
            let word = m.word;
            let mut starts = !((word << 1) | u64::from(prev_word));
            if initial {
                starts &= word | m.high;
            }
            if to - base < 64 {
                starts &= (1u64 << (to - base)) - 1;
            }
            prev_word = word >> 63 != 0;
            while starts != 0 {
                let s = base + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let c = b[s].to_ascii_lowercase();
                if !words.may_start(c) {
                    continue;
                }
                for w in words.starting_with(c) {
                    let e = s + w.word.len();
                    if e > to || !w.starts(b, s) {
                        continue;
                    }
                    if w.word.len() <= 3 && e < b.len() && b[e].is_ascii_alphabetic() {
                        continue;
                    }
                    if found(w.value) {
                        return;
                    }
                }
            }
            base += 64;
        }
    }

    /// The character before byte offset `i`, if any.
    #[inline]
    pub(crate) fn char_before(&self, i: usize) -> Option<char> {
        self.text.get(..i).and_then(|s| s.chars().next_back())
    }

    /// The character at byte offset `i`, if any.
    #[inline]
    pub(crate) fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..).and_then(|s| s.chars().next())
    }

    /// True when no letter or digit (of any script) or `_` is right before `i`.
    #[inline]
    pub(crate) fn boundary_before(&self, i: usize) -> bool {
        // An ASCII byte before `i` is a whole character.
        match i.checked_sub(1).and_then(|j| self.b.get(j)) {
            Some(&c) if c < 0x80 => !is_word_byte(c),
            _ => match self.char_before(i) {
                None => true,
                Some(c) => !(c.is_alphanumeric() || c == '_'),
            },
        }
    }

    /// True when no letter or digit (of any script) or `_` is at `i`.
    #[inline]
    pub(crate) fn boundary_after(&self, i: usize) -> bool {
        match self.b.get(i) {
            Some(&c) if c < 0x80 => !is_word_byte(c),
            _ => match self.char_at(i) {
                None => true,
                Some(c) => !(c.is_alphanumeric() || c == '_'),
            },
        }
    }
}

/// ASCII letters, digits and `_`: bytes that continue a word.
#[inline]
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(crate) fn run(eng: &Inner, text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let mut s = Scanner { text, b, eng, out, resume: [0; Family::COUNT] };

    // 1. Keyword anchors: secret prefixes, URL schemes, context-led formats.
    for m in eng.keywords.iter().flat_map(|k| k.find_iter(b)) {
        (eng.keyword_handlers[m.pattern().as_usize()])(&mut s, m.start(), m.end());
    }

    // 2. Byte anchors: runs of digits and `@`, found 64 bytes at a time.
    let n = b.len();
    let mut base = 0;
    'chunks: while base < n {
        // Bytes past the end of the text are zero: no anchor.
        let mut anchors = ScanMasks::at(b, base).anchor;
        while anchors != 0 {
            let i = base + anchors.trailing_zeros() as usize;
            if b[i] == b'@' {
                detectors::email::at_sign(&mut s, i);
                anchors &= anchors - 1;
                continue;
            }
            let mut j = i + 1;
            while j < n && b[j].is_ascii_digit() {
                j += 1;
            }
            detectors::at_digits(&mut s, i, j);
            if j - base >= 64 {
                // The run went past this chunk: go on from its end.
                base = j;
                continue 'chunks;
            }
            anchors &= !((1u64 << (j - base)) - 1);
        }
        base += 64;
    }

    // 3. Words: names, places, medical terms.
    detectors::words::scan(&mut s);

    // 4. What the policy adds: deny terms and custom detectors.
    detectors::custom::scan(&mut s);

    finish(eng, text, out);
}

/// Applies kinds, thresholds and the allow list, then resolves overlaps.
fn finish(eng: &Inner, text: &str, out: &mut Vec<Finding>) {
    out.retain(|f| {
        eng.enabled.contains(f.kind)
            && f.score >= eng.threshold(f.kind)
            && (eng.allow.is_empty() || !eng.allow.contains(&f.as_str(text).trim().to_lowercase()))
    });
    resolve_overlaps(out);
}

/// Total order for overlap resolution: a secret that contains another finding wins (a
/// checksum-valid number inside a token must not leave the rest of the token behind);
/// otherwise validated beats unvalidated, then longer, then higher score, then earlier,
/// then kind order.
fn better(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    let contains = |x: &Finding, y: &Finding| x.span.start <= y.span.start && y.span.end <= x.span.end;
    if a.kind == Kind::Secret && b.kind != Kind::Secret && contains(a, b) {
        return std::cmp::Ordering::Less;
    }
    if b.kind == Kind::Secret && a.kind != Kind::Secret && contains(b, a) {
        return std::cmp::Ordering::Greater;
    }
    b.kind
        .is_validated()
        .cmp(&a.kind.is_validated())
        .then(b.span.len().cmp(&a.span.len()))
        .then(b.score.total_cmp(&a.score))
        .then(a.span.start.cmp(&b.span.start))
        .then(a.kind.cmp(&b.kind))
        .then(a.detector.cmp(b.detector))
}

/// Keeps a set of non-overlapping findings and sorts them by position. Findings are
/// grouped into clusters of mutual overlap; within a cluster they are chosen greedily,
/// best first, by [`better`].
pub(crate) fn resolve_overlaps(out: &mut Vec<Finding>) {
    out.sort_unstable_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    if out.windows(2).all(|w| w[0].span.end <= w[1].span.start) {
        return;
    }
    let mut keep = vec![true; out.len()];
    let mut i = 0;
    while i < out.len() {
        // The cluster: findings that overlap, directly or through others, from `i`.
        let mut end = out[i].span.end;
        let mut j = i + 1;
        while j < out.len() && out[j].span.start < end {
            end = end.max(out[j].span.end);
            j += 1;
        }
        if j - i > 1 {
            let mut order: Vec<usize> = (i..j).collect();
            order.sort_unstable_by(|&x, &y| better(&out[x], &out[y]));
            let mut kept: Vec<Span> = Vec::new();
            for k in order {
                let span = out[k].span;
                if kept.iter().any(|s| s.overlaps(&span)) {
                    keep[k] = false;
                } else {
                    kept.push(span);
                }
            }
        }
        i = j;
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}
