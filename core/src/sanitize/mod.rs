//! Sanitisation: placeholders in, original values back out.
//!
//! The behaviour is documented on [`Sanitizer`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Engine, Finding, Kind};

pub(crate) mod mapping;
pub(crate) mod placeholder;
pub(crate) mod stream;

pub use self::mapping::{Mapping, MappingEntry, MappingError};
use self::placeholder::{ESCAPE, Hay};

/// Where a text sits in a request: the message index and the field path inside it
/// (`"content"`, `"content[1].text"`, `"tool_calls[0].function.arguments"` ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Index of the message (or of the choice, for answers).
    pub message: u32,
    /// Field path inside the message.
    pub field: String,
}

impl Location {
    /// A location from a message index and a field path.
    pub fn new(message: u32, field: impl Into<String>) -> Location {
        Location { message, field: field.into() }
    }
}

/// What was replaced, without the value: the record certificates carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    /// Which text.
    pub location: Location,
    /// The kind's name.
    pub kind: String,
    /// First byte of the value in the original text.
    pub start: u64,
    /// One past the last byte of the value in the original text.
    pub end: u64,
    /// The placeholder that replaced it.
    pub placeholder: String,
    /// Keyed blake3 digest of the value's exact UTF-8 bytes, lower-case hex (see
    /// [`Sanitizer::value_digest`]).
    pub value_digest: String,
}

/// What to do with the request's placeholders in a model's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputMode {
    /// Restore the original values (the caller may see its own data).
    Relink,
    /// Leave placeholders as the model wrote them.
    Keep,
}

/// The outcome of a request's sanitisation: the mapping and what was replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sanitized {
    /// Placeholders and the values they stand for.
    pub mapping: Mapping,
    /// One record per replaced value in the inputs, in order.
    pub findings: Vec<FindingRecord>,
    /// One record per value replaced in answers.
    pub output_findings: Vec<FindingRecord>,
}

impl Sanitized {
    /// Number of replaced values in the inputs, per kind.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        counts(&self.findings)
    }
}

/// Number of records per kind name.
pub fn counts(records: &[FindingRecord]) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for r in records {
        *m.entry(r.kind.clone()).or_insert(0) += 1;
    }
    m
}

const PLACEHOLDER_CONTEXT: &str = "lucairn 2025 placeholder number v1";
const DIGEST_CONTEXT: &str = "lucairn 2025 value digest v1";

/// Sanitises the texts of one request, sharing one mapping.
///
/// Create one per request with [`Sanitizer::new`] (placeholders numbered in order of
/// appearance) or [`Sanitizer::with_secret`] (placeholders derived from a tenant secret,
/// stable across requests). Call [`sanitize`](Sanitizer::sanitize) for every text the
/// model will see, then [`scan_output`](Sanitizer::scan_output) (or an
/// [`OutputStream`](crate::OutputStream)) on its answer, then
/// [`finish`](Sanitizer::finish) for the mapping and the records a certificate needs.
///
/// # Placeholders
///
/// Each finding is replaced by `[KIND_N]`, where `KIND` is the engine's kind name
/// (`EMAIL_ADDRESS`, `PERSON`, or a custom kind's policy name) and `N` a number. The same
/// value gets the same placeholder everywhere in a request: values are compared after
/// normalisation (Unicode lower case and white space collapsed; for phone numbers, card,
/// bank and identity numbers also without spaces, `-`, `.`, `/`, `(`, `)`, and a leading
/// `00` on a phone number read as `+`). The placeholder stands for the value as it was
/// first spelled in the request.
///
/// Numbers: without a tenant secret, each kind counts 1, 2, 3 ... in order of first
/// appearance. With a tenant secret, the number is derived from a keyed blake3 hash of
/// the kind and normalised value (`100000 + h mod 900000`, six digits), so a conversation
/// resent by the client gets the same placeholders in every request without any stored
/// state; if that number is taken in the request, the next free one is used.
///
/// # Placeholder-like text in the input
///
/// A user may type text that looks like a placeholder (`[PERSON_1]`, `person_1`, in any
/// form re-linking recognises). Such text is kept apart from ours, so that re-linking
/// never turns it into a value:
///
/// - if it names a placeholder not given out yet, its number is *reserved*: no value of
///   this request will get it, and re-linking leaves the text as typed;
/// - if it names a placeholder already given out (earlier in the request, or earlier in
///   the same text), it is *escaped*: a U+2060 WORD JOINER is inserted before its number
///   (`[PERSON_` U+2060 `1]`). Re-linking removes the escape. Escape characters the input already
///   contains are doubled, and re-linking halves them, so the round trip is exact.
///
/// Texts are processed left to right, so a streamed text and the same text in one piece
/// give the same result.
///
/// # Exact inverse
///
/// For every text `x`, [`Mapping::relink`] of `sanitize(x)` gives back `x`, with one
/// exception by design: when a request spells one value several ways (`Ana@Example.org`
/// and `ana@example.org`), they share one placeholder, which re-links to the first
/// spelling.
///
/// # Answers
///
/// [`Sanitizer::scan_output`] handles a model's answer in one pass: placeholders of the
/// request are re-linked ([`OutputMode::Relink`]) or kept as written
/// ([`OutputMode::Keep`]); personal data the model produced itself is always replaced,
/// by the request's placeholder if the value is one of the request's (in `Keep` mode; in
/// `Relink` mode the caller's own value stays), otherwise by a new numbered placeholder of
/// its kind that is not added to the mapping (it can never be re-linked). Each
/// replacement is recorded in [`Sanitized::output_findings`].
///
/// # Example
///
/// ```
/// use lucairn_core::{Engine, Location, OutputMode, Sanitizer};
///
/// let engine = Engine::default();
/// let mut s = Sanitizer::new(&engine);
/// let a = s.sanitize(Location::new(0, "content"), "Mail ana@example.org and bo@example.net");
/// let b = s.sanitize(Location::new(1, "content"), "Did ANA@example.org answer?");
/// assert_eq!(a, "Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2]");
/// assert_eq!(b, "Did [EMAIL_ADDRESS_1] answer?");
///
/// let answer = "I wrote to EMAIL_ADDRESS_1 and cc'd new@example.com.";
/// let shown = s.scan_output(Location::new(0, "content"), answer, OutputMode::Relink);
/// assert_eq!(shown, "I wrote to ana@example.org and cc'd [EMAIL_ADDRESS_3].");
///
/// let done = s.finish();
/// assert_eq!(done.findings.len(), 3);
/// assert_eq!(done.output_findings[0].placeholder, "[EMAIL_ADDRESS_3]");
/// assert_eq!(done.counts()["EMAIL_ADDRESS"], 3);
/// ```
#[derive(Clone)]
pub struct Sanitizer {
    pub(crate) engine: Engine,
    placeholder_key: Option<[u8; 32]>,
    digest_key: [u8; 32],
    mapping: Mapping,
    /// (kind, normalised value) -> index in the mapping.
    by_value: HashMap<(Kind, String), usize>,
    /// (kind, normalised value) -> placeholder, for values first seen in answers.
    output_values: HashMap<(Kind, String), String>,
    /// Numbers taken per kind name: given out or reserved.
    used: HashMap<String, HashSet<u32>>,
    next: HashMap<Kind, u32>,
    records: Vec<FindingRecord>,
    output_records: Vec<FindingRecord>,
    scratch: Vec<Finding>,
}

impl fmt::Debug for Sanitizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sanitizer")
            .field("tenant_secret", &self.placeholder_key.is_some())
            .field("placeholders", &self.mapping.len())
            .field("findings", &self.records.len())
            .field("output_findings", &self.output_records.len())
            .finish_non_exhaustive()
    }
}

/// 32 bytes from the operating system; if it has none to give, from the standard
/// library's per-process random hash keys.
pub(crate) fn random_key() -> [u8; 32] {
    let mut k = [0u8; 32];
    if getrandom::getrandom(&mut k).is_err() {
        use std::hash::{BuildHasher, Hasher};
        let mut h = blake3::Hasher::new();
        for i in 0..4u64 {
            let mut x = std::collections::hash_map::RandomState::new().build_hasher();
            x.write_u64(i);
            h.update(&x.finish().to_le_bytes());
        }
        k = *h.finalize().as_bytes();
    }
    k
}

impl Sanitizer {
    /// A sanitizer numbering placeholders in order of appearance. Value digests in the
    /// records are keyed with a random key (see [`value_digest_key`](Sanitizer::value_digest_key)).
    pub fn new(engine: &Engine) -> Sanitizer {
        Sanitizer::build(engine, None, random_key())
    }

    /// A sanitizer whose placeholders and value digests are derived from a tenant secret:
    /// the same value gets the same placeholder in every request of the tenant.
    pub fn with_secret(engine: &Engine, secret: &[u8; 32]) -> Sanitizer {
        let ph = blake3::derive_key(PLACEHOLDER_CONTEXT, secret);
        let dg = blake3::derive_key(DIGEST_CONTEXT, secret);
        Sanitizer::build(engine, Some(ph), dg)
    }

    fn build(engine: &Engine, placeholder_key: Option<[u8; 32]>, digest_key: [u8; 32]) -> Sanitizer {
        Sanitizer {
            engine: engine.clone(),
            placeholder_key,
            digest_key,
            mapping: Mapping::new(),
            by_value: HashMap::new(),
            output_values: HashMap::new(),
            used: HashMap::new(),
            next: HashMap::new(),
            records: Vec::new(),
            output_records: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// The engine this sanitizer scans with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The key of the value digests in the records: `blake3::derive_key("lucairn 2025
    /// value digest v1", secret)` with a tenant secret, else random per sanitizer. Whoever
    /// holds it can check whether a given value is the one a record was made for.
    pub fn value_digest_key(&self) -> &[u8; 32] {
        &self.digest_key
    }

    /// The keyed digest records carry for `value`: lower-case hex of
    /// `blake3::keyed_hash(value_digest_key, value)`.
    pub fn value_digest(&self, value: &str) -> String {
        blake3::keyed_hash(&self.digest_key, value.as_bytes()).to_hex().to_string()
    }

    /// Replaces personal data in `text` by placeholders and returns the sanitised text;
    /// `location` is recorded with each finding.
    pub fn sanitize(&mut self, location: Location, text: &str) -> String {
        let mut fs = std::mem::take(&mut self.scratch);
        self.engine.scan_into(text, &mut fs);
        let mut out = String::with_capacity(text.len() + text.len() / 8 + 16);
        let mut prev_word = false;
        let end = Next { bytes: b"", complete: true };
        self.sanitize_range(&location, text, 0, text.len(), &fs, end, 0, &mut out, &mut prev_word);
        self.scratch = fs;
        out
    }

    /// Scans a model's answer: re-links or keeps the request's placeholders (`mode`) and
    /// replaces personal data the model produced itself. See [Answers](Sanitizer#answers).
    pub fn scan_output(&mut self, location: Location, text: &str, mode: OutputMode) -> String {
        let mut fs = std::mem::take(&mut self.scratch);
        self.engine.scan_into(text, &mut fs);
        let mut out = String::with_capacity(text.len() + 16);
        let mut prev_word = false;
        let end = Next { bytes: b"", complete: true };
        self.output_range(&location, text, 0, text.len(), &fs, end, 0, mode, &mut out, &mut prev_word);
        self.scratch = fs;
        out
    }

    /// Restores original values in `text`; see [`Mapping::relink`].
    pub fn relink(&self, text: &str) -> String {
        self.mapping.relink(text)
    }

    /// The mapping so far.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// Records of the values replaced in inputs so far.
    pub fn findings(&self) -> &[FindingRecord] {
        &self.records
    }

    /// Records of the values replaced in answers so far.
    pub fn output_findings(&self) -> &[FindingRecord] {
        &self.output_records
    }

    /// The mapping and every record.
    pub fn finish(self) -> Sanitized {
        Sanitized { mapping: self.mapping, findings: self.records, output_findings: self.output_records }
    }

    fn is_used(&self, name: &str, n: u32) -> bool {
        self.used.get(name).is_some_and(|s| s.contains(&n))
    }

    fn mark_used(&mut self, name: &str, n: u32) {
        match self.used.get_mut(name) {
            Some(s) => {
                s.insert(n);
            }
            None => {
                self.used.insert(name.to_string(), HashSet::from([n]));
            }
        }
    }

    /// A free number for a new value of `kind`.
    fn number(&mut self, kind: Kind, name: &str, norm: &str) -> u32 {
        match &self.placeholder_key {
            Some(key) => {
                let mut h = blake3::Hasher::new_keyed(key);
                h.update(name.as_bytes());
                h.update(&[0]);
                h.update(norm.as_bytes());
                let d = h.finalize();
                let mut first = [0u8; 8];
                first.copy_from_slice(&d.as_bytes()[..8]);
                let mut n = 100_000 + (u64::from_le_bytes(first) % 900_000) as u32;
                for _ in 0..900_000 {
                    if !self.is_used(name, n) {
                        return n;
                    }
                    n = if n == 999_999 { 100_000 } else { n + 1 };
                }
                // Every six-digit number is taken: count on from a million.
                let mut n = 1_000_000;
                while self.is_used(name, n) {
                    n += 1;
                }
                n
            }
            None => {
                let mut n = self.next.get(&kind).copied().unwrap_or(1);
                while self.is_used(name, n) {
                    n += 1;
                }
                self.next.insert(kind, n + 1);
                n
            }
        }
    }

    /// The mapping index of `value`'s placeholder, given out now if new.
    fn assign(&mut self, kind: Kind, value: &str) -> usize {
        let norm = normalise(kind, value);
        if let Some(&i) = self.by_value.get(&(kind, norm.clone())) {
            return i;
        }
        let name = self.engine.kind_name(kind).to_string();
        let n = self.number(kind, &name, &norm);
        self.mark_used(&name, n);
        let i = self.mapping.len();
        self.mapping.push(MappingEntry { placeholder: format!("[{name}_{n}]"), kind: name, value: value.to_string() });
        self.by_value.insert((kind, norm), i);
        i
    }

    fn record(
        &self,
        location: &Location,
        kind: &str,
        start: usize,
        end: usize,
        placeholder: &str,
        value: &str,
    ) -> FindingRecord {
        FindingRecord {
            location: location.clone(),
            kind: kind.to_string(),
            start: start as u64,
            end: end as u64,
            placeholder: placeholder.to_string(),
            value_digest: self.value_digest(value),
        }
    }

    /// Sanitises `t[from..to]`, whose findings are `fs` (findings outside the range are
    /// ignored), appending to `out`. `next` is what follows `to`; `origin` the offset of
    /// `t` in the whole text; `prev_word` the class of the last output byte (updated).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn sanitize_range(
        &mut self,
        location: &Location,
        t: &str,
        from: usize,
        to: usize,
        fs: &[Finding],
        next: Next<'_>,
        origin: usize,
        out: &mut String,
        prev_word: &mut bool,
    ) {
        let mut pos = from;
        for f in fs.iter().filter(|f| f.span.start >= from && f.span.end <= to) {
            let before = Next { bytes: b"[", complete: true };
            self.user_text(&t[pos..f.span.start], before, out, prev_word);
            let value = f.as_str(t);
            let i = self.assign(f.kind, value);
            let e = &self.mapping.entries()[i];
            out.push_str(&e.placeholder);
            let r = self.record(location, &e.kind, origin + f.span.start, origin + f.span.end, &e.placeholder, value);
            self.records.push(r);
            *prev_word = false;
            pos = f.span.end;
        }
        self.user_text(&t[pos..to], next, out, prev_word);
    }

    /// Copies text that is not a finding: escape characters doubled, placeholder-like
    /// text naming a placeholder already given out escaped, the rest reserved.
    fn user_text(&mut self, seg: &str, next: Next<'_>, out: &mut String, prev_word: &mut bool) {
        if seg.is_empty() {
            return;
        }
        let start = out.len();
        placeholder::double_escapes_into(seg, out);
        let mut reserve: Vec<(String, u32)> = Vec::new();
        loop {
            let mut escapes: Vec<usize> = Vec::new();
            reserve.clear();
            let h = Hay { a: &out.as_bytes()[start..], b: next.bytes, complete: next.complete };
            placeholder::scan(&h, *prev_word, |tok| {
                if self.mapping.lookup_tok(tok).is_some() {
                    escapes.push(tok.num_start);
                } else if self.engine.kind_by_name(tok.name.as_str()).is_some() {
                    reserve.push((tok.name.as_str().to_string(), tok.number));
                }
            });
            if escapes.is_empty() {
                break;
            }
            for &p in escapes.iter().rev() {
                out.insert(start + p, ESCAPE);
            }
        }
        for (name, n) in reserve {
            self.mark_used(&name, n);
        }
        *prev_word = out.as_bytes().last().is_some_and(|&c| placeholder::is_word(c));
    }

    /// Scans the answer range `t[from..to]` (findings `fs`), appending to `out`.
    /// `prev_word` is the class of the byte of `t` before `from` (updated).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn output_range(
        &mut self,
        location: &Location,
        t: &str,
        from: usize,
        to: usize,
        fs: &[Finding],
        next: Next<'_>,
        origin: usize,
        mode: OutputMode,
        out: &mut String,
        prev_word: &mut bool,
    ) {
        // Known placeholders, as spans of `t`.
        let mut known: Vec<(usize, usize, usize)> = Vec::new();
        {
            let h = Hay { a: &t.as_bytes()[from..to], b: next.bytes, complete: next.complete };
            let mapping = &self.mapping;
            placeholder::scan(&h, *prev_word, |tok| {
                if let Some(idx) = mapping.lookup_index(tok.name.as_str(), tok.number) {
                    known.push((from + tok.start, from + tok.end, idx));
                }
            });
        }
        if to > from {
            *prev_word = placeholder::is_word(t.as_bytes()[to - 1]);
        }
        let mut pos = from;
        let mut ki = 0;
        let mut fi = fs.iter().filter(|f| f.span.start >= from && f.span.end <= to).peekable();
        loop {
            // Next event: a known placeholder, or a finding not overlapping one.
            let k = known.get(ki).copied();
            while let Some(f) = fi.peek() {
                if known.iter().any(|&(s, e, _)| f.span.start < e && s < f.span.end) {
                    fi.next();
                } else {
                    break;
                }
            }
            let f = fi.peek().copied();
            let placeholder_first = match (k, f) {
                (None, None) => break,
                (Some((s, _, _)), Some(f)) => s < f.span.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
            };
            match (k, f) {
                (Some((s, e, idx)), _) if placeholder_first => {
                    placeholder::decode_into(&t[pos..s], out);
                    match mode {
                        OutputMode::Relink => out.push_str(&self.mapping.entries()[idx].value),
                        OutputMode::Keep => out.push_str(&t[s..e]),
                    }
                    pos = e;
                    ki += 1;
                }
                (_, Some(f)) => {
                    fi.next();
                    placeholder::decode_into(&t[pos..f.span.start], out);
                    let value = f.as_str(t);
                    let (s, e) = (origin + f.span.start, origin + f.span.end);
                    let norm = normalise(f.kind, value);
                    if let Some(&i) = self.by_value.get(&(f.kind, norm.clone())) {
                        match mode {
                            OutputMode::Relink => out.push_str(value),
                            OutputMode::Keep => {
                                let entry = &self.mapping.entries()[i];
                                out.push_str(&entry.placeholder);
                                let r = self.record(location, &entry.kind, s, e, &entry.placeholder, value);
                                self.output_records.push(r);
                            }
                        }
                    } else {
                        let name = self.engine.kind_name(f.kind).to_string();
                        let ph = match self.output_values.get(&(f.kind, norm.clone())) {
                            Some(p) => p.clone(),
                            None => {
                                let n = self.number(f.kind, &name, &norm);
                                self.mark_used(&name, n);
                                let p = format!("[{name}_{n}]");
                                self.output_values.insert((f.kind, norm), p.clone());
                                p
                            }
                        };
                        out.push_str(&ph);
                        let r = self.record(location, &name, s, e, &ph, value);
                        self.output_records.push(r);
                    }
                    pos = f.span.end;
                }
                _ => break,
            }
        }
        placeholder::decode_into(&t[pos..to], out);
    }
}

/// What follows a range: bytes of look-ahead, and whether the text ends after them.
#[derive(Clone, Copy)]
pub(crate) struct Next<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) complete: bool,
}

/// Kinds whose values are compared without separators.
fn compact(kind: Kind) -> bool {
    use Kind::*;
    matches!(
        kind,
        PhoneNumber
            | CreditCard
            | Iban
            | Bic
            | VatNumber
            | UsSsn
            | UsItin
            | UsBankRouting
            | UkNino
            | UkNhs
            | DeTaxId
            | FrNir
            | EsDni
            | EsNie
            | ItFiscalCode
            | NlBsn
            | PlPesel
            | BeNationalNumber
            | SePersonnummer
            | Passport
    )
}

/// The form in which values are compared (see [`Sanitizer`]).
pub(crate) fn normalise(kind: Kind, v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    if v.is_ascii() && !compact(kind) && !v.bytes().any(|b| b.is_ascii_whitespace()) {
        // The common case (an e-mail address, an identifier): ASCII, one word.
        s.push_str(v);
        s.make_ascii_lowercase();
        return s;
    }
    if compact(kind) {
        for c in v.chars() {
            if !(c.is_whitespace() || matches!(c, '-' | '.' | '/' | '(' | ')')) {
                s.extend(c.to_lowercase());
            }
        }
        if kind == Kind::PhoneNumber {
            if let Some(rest) = s.strip_prefix("00") {
                s = format!("+{rest}");
            }
        }
    } else {
        for (i, w) in v.split_whitespace().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
    s
}
