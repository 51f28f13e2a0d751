//! Streaming: sanitise, re-link and scan answers chunk by chunk.
//!
//! The behaviour is documented on [`StreamSanitizer`].

use crate::reach::floor_boundary;
use crate::sanitize::placeholder::{self, Hay, MAX_TOKEN};
use crate::sanitize::{Mapping, Next, OutputMode, Sanitizer};
use crate::{Engine, Finding, Location};

/// Longest finding of the built-in detectors, in bytes: an e-mail address.
const BUILTIN_MAX_SPAN: usize = 64 + 1 + 253;
/// How far after a finding context words can still change it.
const CONTEXT_AFTER: usize = 32;
/// Detectors look at most 64 bytes left and 128 bytes right of an anchor.
const ANCHOR_WINDOW: usize = 64 + 128;
/// How far before the hold-back anchors can still report into it: a word decided from six
/// tokens and 64 bytes after it, a run of digits from 288 bytes after it.
const REACH_BACK: usize = 512;
/// Longest PEM block the secret detector reports.
const PEM_MAX: usize = 16 * 1024;

/// Hold-back and left context for an engine.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Bytes at the end of the buffer that are never emitted before the text ends.
    hold: usize,
    /// Bytes kept before the emitted point, as left context for the next scan.
    keep: usize,
}

impl Limits {
    pub(crate) fn of(engine: &Engine) -> Limits {
        let mut span = BUILTIN_MAX_SPAN;
        let policy = engine.policy();
        for c in &policy.custom {
            if let Some(r) = c.regex.as_deref() {
                let hir = regex_syntax::ParserBuilder::new().case_insensitive(c.case_insensitive).build().parse(r);
                if let Some(max) = hir.ok().and_then(|h| h.properties().maximum_len()) {
                    span = span.max(max);
                }
            }
            for w in &c.words {
                span = span.max(w.trim().len());
            }
        }
        for d in &policy.deny {
            span = span.max(d.term().trim().len());
        }
        Limits { hold: (span + CONTEXT_AFTER).max(ANCHOR_WINDOW).max(MAX_TOKEN), keep: span + ANCHOR_WINDOW }
    }
}

/// Incremental UTF-8 decoding with the same replacements as `String::from_utf8_lossy`.
#[derive(Clone, Debug, Default)]
struct Utf8 {
    pending: Vec<u8>,
}

impl Utf8 {
    fn decode(&mut self, bytes: &[u8], out: &mut String) {
        let joined;
        let mut rest: &[u8] = if self.pending.is_empty() {
            bytes
        } else {
            let mut v = std::mem::take(&mut self.pending);
            v.extend_from_slice(bytes);
            joined = v;
            &joined
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    out.push_str(s);
                    return;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // `valid` is valid UTF-8 by the error's contract.
                    out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            rest = &after[n..];
                        }
                        None => {
                            self.pending = after.to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    fn flush(&mut self, out: &mut String) {
        if !self.pending.is_empty() {
            self.pending.clear();
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
}

/// Text not emitted yet.
#[derive(Clone, Debug, Default)]
struct Buf {
    /// Buffered text; `text[..done]` is left context already emitted.
    text: String,
    /// Offset of `text` in the whole stream.
    origin: usize,
    done: usize,
    /// Class of the byte before `done` (in the output view for the sanitiser).
    prev_word: bool,
    utf8: Utf8,
}

impl Buf {
    fn push(&mut self, chunk: &str) {
        if !self.utf8.pending.is_empty() {
            self.utf8.flush(&mut self.text);
        }
        self.text.push_str(chunk);
    }

    fn push_bytes(&mut self, chunk: &[u8]) {
        self.utf8.decode(chunk, &mut self.text);
    }

    /// Bytes received and not emitted yet (an incomplete character included).
    fn held(&self) -> usize {
        self.text.len() - self.done + self.utf8.pending.len()
    }

    fn end(&mut self) {
        self.utf8.flush(&mut self.text);
    }

    /// Forgets emitted text beyond `keep` bytes of left context.
    fn trim(&mut self, keep: usize) {
        if self.done > keep {
            let cut = floor_boundary(&self.text, self.done - keep);
            self.text.drain(..cut);
            self.origin += cut;
            self.done -= cut;
        }
    }

    fn reset(&mut self) {
        *self = Buf::default();
    }
}

/// Start of the first `-----BEGIN` in `t[from..]` that has no complete `-----END` after
/// it, unless it is older than the PEM cap.
fn open_pem(t: &str, from: usize, hold: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"-----BEGIN") {
        let p = i + p;
        let closed = memchr::memmem::find(&b[p..], b"-----END").is_some_and(|q| p + q + 128 < b.len());
        if !closed && b.len() - p <= PEM_MAX + hold {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Moves `c` left out of any token of `h` (scanned from `base`); `None` if unchanged.
fn out_of_tokens(h: &Hay<'_>, base: usize, prev_word: bool, c: usize) -> usize {
    let mut cut = c;
    let more = placeholder::scan(h, prev_word, |t| {
        let (s, e) = (base + t.start, base + t.end);
        if s < cut && cut < e {
            cut = s;
        }
    });
    if let Some(q) = more {
        cut = cut.min(base + q);
    }
    cut
}

fn out_of_findings(fs: &[Finding], mut c: usize) -> usize {
    for f in fs {
        if f.span.start < c && c < f.span.end {
            c = f.span.start;
        }
    }
    c
}

/// The text between the emitted point and a safe cut, as a scanning stream emits it.
struct Piece<'a> {
    /// The buffered text.
    text: &'a str,
    /// Emitted point: the piece is `text[start..end]`.
    start: usize,
    /// The cut.
    end: usize,
    /// Findings of the whole buffer.
    findings: &'a [Finding],
    /// Offset of `text` in the whole stream.
    origin: usize,
    /// Whether the text has ended.
    last: bool,
}

/// State shared by the streams that scan the text with the engine ([`StreamSanitizer`]
/// and [`OutputStream`]).
#[derive(Clone, Debug)]
struct Scanning {
    san: Sanitizer,
    location: Location,
    buf: Buf,
    limits: Limits,
    scratch: Vec<Finding>,
}

impl Scanning {
    fn new(sanitizer: Sanitizer, location: Location) -> Scanning {
        let limits = Limits::of(&sanitizer.engine);
        Scanning { san: sanitizer, location, buf: Buf::default(), limits, scratch: Vec::new() }
    }

    /// Emits the longest prefix whose output can no longer change.
    ///
    /// The cut starts `hold` bytes before the end (or before an open PEM block) and moves
    /// left out of findings and out of whatever `settle` says it would split, until it
    /// stays put; `emit` then writes the output for the piece before it.
    fn advance(
        &mut self,
        last: bool,
        settle: impl Fn(&Buf, &[Finding], usize, bool) -> usize,
        emit: impl FnOnce(&mut Sanitizer, &Location, Piece<'_>, &mut String, &mut bool),
    ) -> String {
        let mut out = String::new();
        let b = &mut self.buf;
        let n = b.text.len();
        let hold = self.limits.hold;
        let mut c = if last {
            n
        } else {
            // Nothing before `n - hold` can change; nor before the anchors' reach.
            let fixed = floor_boundary(&b.text, n.saturating_sub(hold));
            let open = self.san.engine.open_from(&b.text, n.saturating_sub(hold + REACH_BACK));
            fixed.max(open)
        };
        if !last {
            if let Some(p) = open_pem(&b.text, b.done, hold) {
                c = c.min(p);
            }
        }
        if c <= b.done {
            return out;
        }
        let mut fs = std::mem::take(&mut self.scratch);
        self.san.engine.scan_into(&b.text, &mut fs);
        loop {
            let c0 = c;
            c = out_of_findings(&fs, c);
            c = settle(b, &fs, c, last);
            if c == c0 {
                break;
            }
        }
        if c > b.done {
            let piece = Piece { text: &b.text, start: b.done, end: c, findings: &fs, origin: b.origin, last };
            emit(&mut self.san, &self.location, piece, &mut out, &mut b.prev_word);
            b.done = c;
        }
        self.scratch = fs;
        b.trim(self.limits.keep);
        out
    }
}

/// Sanitises a text that arrives in chunks.
///
/// Wraps a [`Sanitizer`] (so the placeholders are those of the request) and a
/// [`Location`]. Each push returns the sanitised text that is safe to emit now;
/// [`finish`](StreamSanitizer::finish) flushes the rest. The concatenation equals what
/// [`Sanitizer::sanitize`] returns for the whole text.
///
/// Every stream keeps a buffer of text not emitted yet and, on each push, emits the
/// longest prefix whose output can no longer change, whatever text comes next. So for any
/// way of cutting a text into chunks, the concatenated output equals the output for the
/// whole text, and no byte of a finding is emitted before the finding is known.
///
/// # How much is held back
///
/// Only text that could still become or change a finding. Every finding comes from an
/// anchor (a run of digits, an `@`, a keyword, a word of the word pass) and each detector
/// family promises how far around its anchor it looks. After each push the stream finds
/// the anchors near the end whose look-ahead is not complete yet (a run of digits not yet
/// followed by a word that ends every digit format — "12 months", not "12 March" or "12
/// rue" — and the context after it, a name not yet followed by a word that ends it, a
/// medical term or place with fewer than six tokens and 48 bytes after it, a keyword
/// such as `passport` or `://`) and holds back from the leftmost span any of them can
/// still report, together with the last run of non-space text and what an anchor arriving
/// next could reach left of it (24 bytes, or a street before a house number on the same
/// line). Plain prose is released a few words behind the input; a phone number, an
/// address or a name is held until it is complete.
///
/// That is never more than a fixed bound: a finding is at most `S` bytes long and whether
/// it exists depends on at most 32 bytes after it (context words) and 64 + 128 bytes
/// around its anchor, so a finding that covers a position `p` can still appear or change
/// only while fewer than `max(S + 32, 192)` bytes follow `p`. `S` is 318 for the built-in
/// detectors (an e-mail address: 64 + 1 + 253 bytes), or the longest match of the
/// policy's custom detectors if that is longer (a custom regex with no bound on its
/// length counts as `S`: matches longer than that may be cut when streamed). With the
/// default policy the bound, [`max_hold_back`](StreamSanitizer::max_hold_back), is **350
/// bytes**; a policy with custom detectors or deny terms is held back by the bound alone.
/// While a PEM block (`-----BEGIN`) is open the hold-back grows up to 16 KiB plus the
/// bound, from the `-----BEGIN`. [`held_back`](StreamSanitizer::held_back) says how much is
/// held back now; `stream-check` (in `benches/`) measures it on whole corpora.
///
/// Re-linking alone ([`StreamRelinker`]) holds back only what could still become a
/// placeholder: from the start of a trailing token prefix (at most 128 bytes, typically
/// the last word) and trailing escape characters.
///
/// The byte APIs (`push_bytes`) accept cuts inside multi-byte UTF-8 characters: they keep
/// the incomplete tail (at most 3 bytes) for the next push, and decode invalid bytes to
/// U+FFFD exactly as [`String::from_utf8_lossy`] does for the whole input.
///
/// # Example
///
/// ```
/// use lucairn_core::{Engine, Location, Sanitizer, StreamSanitizer};
///
/// let engine = Engine::default();
/// let mut s = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "content"));
/// let mut out = String::new();
/// for chunk in ["Reach me at an", "a@exam", "ple.org, thanks"] {
///     out += &s.push(chunk);
/// }
/// out += &s.finish();
/// assert_eq!(out, "Reach me at [EMAIL_ADDRESS_1], thanks");
/// assert_eq!(s.sanitizer().findings()[0].start, 12);
/// ```
#[derive(Clone, Debug)]
pub struct StreamSanitizer {
    s: Scanning,
}

impl StreamSanitizer {
    /// A stream sanitising one text at `location` with `sanitizer`'s mapping.
    pub fn new(sanitizer: Sanitizer, location: Location) -> StreamSanitizer {
        StreamSanitizer { s: Scanning::new(sanitizer, location) }
    }

    /// Adds a chunk; returns the sanitised text that can be emitted now.
    pub fn push(&mut self, chunk: &str) -> String {
        self.s.buf.push(chunk);
        self.advance(false)
    }

    /// Adds a chunk of UTF-8 bytes, which may end inside a character.
    pub fn push_bytes(&mut self, chunk: &[u8]) -> String {
        self.s.buf.push_bytes(chunk);
        self.advance(false)
    }

    /// Ends the text and returns the rest of the output. The stream can then take a new
    /// text (at the same location, offsets from 0).
    pub fn finish(&mut self) -> String {
        self.s.buf.end();
        let out = self.advance(true);
        self.s.buf.reset();
        out
    }

    /// The most bytes of input held back (outside an open PEM block).
    pub fn max_hold_back(&self) -> usize {
        self.s.limits.hold
    }

    /// The bytes of input received and not emitted yet.
    pub fn held_back(&self) -> usize {
        self.s.buf.held()
    }

    /// The sanitizer, with the mapping and records so far.
    pub fn sanitizer(&self) -> &Sanitizer {
        &self.s.san
    }

    /// Gives back the sanitizer (call [`finish`](StreamSanitizer::finish) first).
    pub fn into_sanitizer(self) -> Sanitizer {
        self.s.san
    }

    fn advance(&mut self, last: bool) -> String {
        self.s.advance(last, settle_input, |san, loc, p, out, prev_word| {
            // In the output, a placeholder follows if a finding starts at the cut.
            let next = if p.findings.iter().any(|f| f.span.start == p.end) {
                Next { bytes: b"[", complete: true }
            } else {
                Next { bytes: &p.text.as_bytes()[p.end..], complete: p.last }
            };
            san.sanitize_range(loc, p.text, p.start, p.end, p.findings, next, p.origin, out, prev_word);
        })
    }
}

/// Moves the cut `c` of a text to sanitise out of the tokens in the stretch of text
/// between findings that contains it.
fn settle_input(b: &Buf, fs: &[Finding], c: usize, last: bool) -> usize {
    let t = b.text.as_bytes();
    let seg_start = fs.iter().map(|f| f.span.end).filter(|&e| e <= c).max().unwrap_or(0).max(b.done);
    let next_finding = fs.iter().map(|f| f.span.start).filter(|&s| s >= c).min();
    let seg_end = next_finding.unwrap_or(t.len());
    if seg_start >= seg_end {
        return c;
    }
    let prev = if seg_start == b.done { b.prev_word } else { false };
    let h = match next_finding {
        Some(_) => Hay { a: &t[seg_start..seg_end], b: b"[", complete: true },
        None => Hay { a: &t[seg_start..seg_end], b: b"", complete: last },
    };
    out_of_tokens(&h, seg_start, prev, c)
}

/// Moves the cut `c` of a text to re-link (or scan as output) out of tokens and from
/// between escape characters.
fn settle_output(b: &Buf, c: usize, last: bool) -> usize {
    let t = b.text.as_str();
    let h = Hay { a: &t.as_bytes()[b.done..], b: b"", complete: last };
    let c = out_of_tokens(&h, b.done, b.prev_word, c);
    placeholder::cut_outside_escapes(t, c, !last)
}

/// Re-links a text (a model's answer) that arrives in chunks.
///
/// Holds back only a trailing stretch that could still become a placeholder. The
/// concatenated output equals [`Mapping::relink`] of the whole text.
///
/// ```
/// use lucairn_core::{Engine, Location, Sanitizer, StreamRelinker};
///
/// let engine = Engine::default();
/// let mut s = Sanitizer::new(&engine);
/// s.sanitize(Location::new(0, "content"), "I am ana@example.org");
/// let mut r = StreamRelinker::new(s.mapping().clone());
/// let mut out = r.push("Hello [EMAIL_ADD");
/// assert_eq!(out, "Hello ");
/// out += &r.push("RESS_1]!");
/// out += &r.finish();
/// assert_eq!(out, "Hello ana@example.org!");
/// ```
#[derive(Clone, Debug)]
pub struct StreamRelinker {
    mapping: Mapping,
    buf: Buf,
}

impl StreamRelinker {
    /// A stream re-linking with `mapping`.
    pub fn new(mapping: Mapping) -> StreamRelinker {
        StreamRelinker { mapping, buf: Buf::default() }
    }

    /// Adds a chunk; returns the re-linked text that can be emitted now.
    pub fn push(&mut self, chunk: &str) -> String {
        self.buf.push(chunk);
        self.advance(false)
    }

    /// Adds a chunk of UTF-8 bytes, which may end inside a character.
    pub fn push_bytes(&mut self, chunk: &[u8]) -> String {
        self.buf.push_bytes(chunk);
        self.advance(false)
    }

    /// Ends the text and returns the rest; the stream can then take a new text.
    pub fn finish(&mut self) -> String {
        self.buf.end();
        let out = self.advance(true);
        self.buf.reset();
        out
    }

    /// The mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    fn advance(&mut self, last: bool) -> String {
        let mut out = String::new();
        let b = &mut self.buf;
        let t = b.text.as_str();
        let n = t.len();
        let mut c = n;
        loop {
            let c0 = c;
            c = settle_output(b, c, last);
            if c == c0 {
                break;
            }
        }
        if c > b.done {
            let h = Hay { a: &t.as_bytes()[b.done..c], b: &t.as_bytes()[c..], complete: last };
            self.mapping.relink_into(&h, &t[b.done..], b.prev_word, &mut out);
            b.prev_word = placeholder::is_word(t.as_bytes()[c - 1]);
            b.done = c;
        }
        b.trim(0);
        out
    }
}

/// Scans a model's answer that arrives in chunks: the streaming form of
/// [`Sanitizer::scan_output`]. It holds back what [`StreamSanitizer`] would (and what
/// could still become a placeholder).
///
/// ```
/// use lucairn_core::{Engine, Location, OutputMode, OutputStream, Sanitizer};
///
/// let engine = Engine::default();
/// let mut s = Sanitizer::new(&engine);
/// s.sanitize(Location::new(0, "content"), "I am ana@example.org");
/// let mut o = OutputStream::new(s, Location::new(0, "content"), OutputMode::Keep);
/// let mut out = String::new();
/// for chunk in ["Dear [EMAIL_ADDRESS_1], write to ", "x@exa", "mple.com"] {
///     out += &o.push(chunk);
/// }
/// out += &o.finish();
/// assert_eq!(out, "Dear [EMAIL_ADDRESS_1], write to [EMAIL_ADDRESS_2]");
/// assert_eq!(o.into_sanitizer().output_findings().len(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct OutputStream {
    s: Scanning,
    mode: OutputMode,
}

impl OutputStream {
    /// A stream scanning one answer at `location` against `sanitizer`'s mapping.
    pub fn new(sanitizer: Sanitizer, location: Location, mode: OutputMode) -> OutputStream {
        OutputStream { s: Scanning::new(sanitizer, location), mode }
    }

    /// Adds a chunk; returns the text that can be emitted now.
    pub fn push(&mut self, chunk: &str) -> String {
        self.s.buf.push(chunk);
        self.advance(false)
    }

    /// Adds a chunk of UTF-8 bytes, which may end inside a character.
    pub fn push_bytes(&mut self, chunk: &[u8]) -> String {
        self.s.buf.push_bytes(chunk);
        self.advance(false)
    }

    /// Ends the answer and returns the rest; the stream can then take a new answer.
    pub fn finish(&mut self) -> String {
        self.s.buf.end();
        let out = self.advance(true);
        self.s.buf.reset();
        out
    }

    /// The most bytes of input held back (outside an open PEM block).
    pub fn max_hold_back(&self) -> usize {
        self.s.limits.hold
    }

    /// The bytes of input received and not emitted yet.
    pub fn held_back(&self) -> usize {
        self.s.buf.held()
    }

    /// The sanitizer, with the output records so far.
    pub fn sanitizer(&self) -> &Sanitizer {
        &self.s.san
    }

    /// Gives back the sanitizer (call [`finish`](OutputStream::finish) first).
    pub fn into_sanitizer(self) -> Sanitizer {
        self.s.san
    }

    fn advance(&mut self, last: bool) -> String {
        let mode = self.mode;
        let settle = |b: &Buf, _: &[Finding], c, last| settle_output(b, c, last);
        self.s.advance(last, settle, |san, loc, p, out, prev_word| {
            let next = Next { bytes: &p.text.as_bytes()[p.end..], complete: p.last };
            san.output_range(loc, p.text, p.start, p.end, p.findings, next, p.origin, mode, out, prev_word);
        })
    }
}
