//! The engine: a compiled policy.

use std::collections::HashSet;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rayon::prelude::*;

use crate::detectors::{self, Handler};
use crate::error::{BuildError, BuildErrorKind};
use crate::kind::KindSet;
use crate::policy::Policy;
use crate::{Finding, Kind};

/// Kinds that are off unless a policy enables them.
const OFF_BY_DEFAULT: &[Kind] = &[];

/// Builds an [`Engine`] from a [`Policy`].
///
/// The builder is cheap, `Clone` and reusable; [`build`](EngineBuilder::build) does all
/// validation, so scanning with the engine cannot fail.
///
/// ```
/// use lucairn_core::{EngineBuilder, Kind, Policy};
///
/// let policy = Policy::from_toml(r#"disable = ["URL"]"#)?;
/// let engine = EngineBuilder::new().policy(policy).build()?;
/// let text = "write to anna.schmidt@example.org";
/// let found = engine.scan(text);
/// assert_eq!(found[0].kind, Kind::EmailAddress);
/// assert_eq!(found[0].as_str(text), "anna.schmidt@example.org");
/// # Ok::<(), lucairn_core::BuildError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct EngineBuilder {
    policy: Policy,
}

impl EngineBuilder {
    /// A builder with the default policy.
    pub fn new() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Sets the policy to compile.
    pub fn policy(&mut self, policy: Policy) -> &mut EngineBuilder {
        self.policy = policy;
        self
    }

    /// Compiles the policy. Fails with a [`BuildError`] naming the offending entry when
    /// the policy has an unknown kind, a threshold outside `[0, 1]`, an invalid regex or
    /// an empty term.
    pub fn build(&self) -> Result<Engine, BuildError> {
        Inner::build(self.policy.clone()).map(|inner| Engine { inner: Arc::new(inner) })
    }
}

/// A compiled policy, ready to scan text.
///
/// Immutable, `Send + Sync`, and cheap to clone (an `Arc`): build one and share it across
/// threads.
///
/// ```
/// use lucairn_core::Engine;
///
/// let engine = Engine::default();
/// let text = "IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111";
/// let kinds: Vec<String> = engine.scan(text).iter().map(|f| engine.kind_name(f.kind).to_string()).collect();
/// assert_eq!(kinds, ["IBAN", "CREDIT_CARD"]);
/// ```
#[derive(Clone, Debug)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl Default for Engine {
    /// An engine with the default policy.
    fn default() -> Engine {
        // The default policy is valid by construction; tests check it.
        match EngineBuilder::new().build() {
            Ok(e) => e,
            Err(e) => unreachable!("the default policy does not build: {e}"),
        }
    }
}

impl Engine {
    /// Builds an engine from a policy; shorthand for `EngineBuilder::new().policy(p).build()`.
    pub fn new(policy: Policy) -> Result<Engine, BuildError> {
        EngineBuilder::new().policy(policy).build()
    }

    /// Finds personal data in `text`. Findings are sorted by position and never overlap.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.scan_into(text, &mut out);
        out
    }

    /// Like [`scan`](Engine::scan), writing into `out` (cleared first) so a caller can
    /// reuse one buffer and allocate nothing in steady state.
    pub fn scan_into(&self, text: &str, out: &mut Vec<Finding>) {
        out.clear();
        crate::scan::run(&self.inner, text, out);
    }

    /// The offset of `text` before which no text appended later can change the findings
    /// (looking at anchors from `from` on); see `reach.rs`.
    pub(crate) fn open_from(&self, text: &str, from: usize) -> usize {
        crate::reach::open_from(&self.inner, text, from)
    }

    #[cfg(test)]
    pub(crate) fn inner_for_tests(&self) -> &Inner {
        &self.inner
    }

    /// Scans many texts in parallel on rayon's thread pool; results in input order.
    pub fn scan_many(&self, texts: &[&str]) -> Vec<Vec<Finding>> {
        texts.par_iter().map(|t| self.scan(t)).collect()
    }

    /// `text` with every finding replaced by `[KIND]` (the kind's name in brackets).
    ///
    /// ```
    /// let engine = lucairn_core::Engine::default();
    /// assert_eq!(engine.redact("mail bo@example.com now"), "mail [EMAIL_ADDRESS] now");
    /// ```
    pub fn redact(&self, text: &str) -> String {
        let mut findings = Vec::new();
        self.scan_into(text, &mut findings);
        self.redact_with(text, &findings)
    }

    /// `text` with the given findings (from scanning this `text`, sorted and not
    /// overlapping) replaced by `[KIND]`. Findings that do not fit `text` are skipped.
    pub fn redact_with(&self, text: &str, findings: &[Finding]) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for f in findings {
            let Some(before) = text.get(at..f.span.start) else { continue };
            if text.get(f.span.range()).is_none() {
                continue;
            }
            out.push_str(before);
            out.push('[');
            out.push_str(self.kind_name(f.kind));
            out.push(']');
            at = f.span.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The policy this engine was built from.
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// The policy digest (blake3 of its canonical form), as lower-case hex.
    pub fn policy_digest(&self) -> &str {
        &self.inner.digest_hex
    }

    /// The name of a kind: built-in names, or the custom names the policy defined.
    pub fn kind_name(&self, kind: Kind) -> &str {
        match kind {
            Kind::Custom(i) => self.inner.custom_kinds.get(usize::from(i)).map_or("CUSTOM", |s| s.as_str()),
            k => k.builtin_name().unwrap_or("CUSTOM"),
        }
    }

    /// Looks up a kind by name, built-in or custom.
    pub fn kind_by_name(&self, name: &str) -> Option<Kind> {
        self.inner.kind_by_name(name)
    }

    /// True when the engine reports this kind.
    pub fn is_enabled(&self, kind: Kind) -> bool {
        self.inner.enabled.contains(kind)
    }
}

/// A compiled custom detector.
#[derive(Debug)]
pub(crate) struct Custom {
    pub(crate) kind: Kind,
    pub(crate) score: f32,
    pub(crate) context_required: bool,
    pub(crate) regex: Option<regex_automata::meta::Regex>,
    pub(crate) words: Option<AhoCorasick>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) policy: Policy,
    pub(crate) digest_hex: String,
    pub(crate) enabled: KindSet,
    /// Region packs of the policy (bits of `detectors::region`).
    pub(crate) packs: u16,
    /// Region detector groups to run (bits of `detectors::region::Group`).
    pub(crate) groups: u32,
    /// Thresholds of built-in kinds by index, then custom kinds.
    pub(crate) thresholds: Vec<f32>,
    pub(crate) custom_kinds: Vec<String>,
    pub(crate) allow: HashSet<String>,
    /// Keyword anchors (secret prefixes, `://`, `BIC` ...) and their handlers.
    pub(crate) keywords: Option<AhoCorasick>,
    pub(crate) keyword_handlers: Vec<Handler>,
    /// Context words of every kind.
    pub(crate) context: ContextWords,
    pub(crate) customs: Vec<Custom>,
    pub(crate) deny: Option<AhoCorasick>,
    pub(crate) deny_kinds: Vec<Kind>,
    pub(crate) email_local_domains: bool,
    /// Keyword anchors that are words, found by the word pass.
    pub(crate) word_keywords: WordKeywords,
}

/// Keyword anchors that start with three ASCII letters ("passport", "BIC", "mot de
/// passe"): matched at the start of a token, case-sensitively, by the word pass, with a
/// bit set over the first three letters (case-folded) so most tokens cost one bit test.
pub(crate) struct WordKeywords {
    /// Sorted by key (stable: keywords with one key keep their order).
    words: Vec<WordKeyword>,
    bits: [u64; 1024],
}

/// A keyword with its key and handler, and its first eight bytes as a number so that
/// most comparisons with the text take one step.
struct WordKeyword {
    key: usize,
    word: &'static str,
    handler: Handler,
    /// The word's first (up to) eight bytes, little-endian.
    head: u64,
    /// 0xff in each of those bytes.
    mask: u64,
}

impl WordKeyword {
    fn new(key: usize, word: &'static str, handler: Handler) -> WordKeyword {
        let mut head = 0u64;
        for (i, &c) in word.as_bytes().iter().take(8).enumerate() {
            head |= u64::from(c) << (8 * i);
        }
        let mask = u64::MAX >> (64 - 8 * word.len().clamp(1, 8));
        WordKeyword { key, word, handler, head, mask }
    }

    /// True when `b[at..]` starts with the keyword.
    #[inline(always)]
    fn starts(&self, b: &[u8], at: usize) -> bool {
        let w = self.word.as_bytes();
        let Some(eight) = b.get(at..at + 8) else {
            return b.get(at..).is_some_and(|t| t.starts_with(w));
        };
        let mut x = [0u8; 8];
        x.copy_from_slice(eight);
        u64::from_le_bytes(x) & self.mask == self.head
            && (w.len() <= 8 || b.get(at + 8..).is_some_and(|t| t.starts_with(&w[8..])))
    }
}

impl Default for WordKeywords {
    fn default() -> WordKeywords {
        WordKeywords { words: Vec::new(), bits: [0; 1024] }
    }
}

impl std::fmt::Debug for WordKeywords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.words.iter().map(|w| w.word)).finish()
    }
}

impl WordKeywords {
    fn is_word(word: &str) -> bool {
        let b = word.as_bytes();
        b.len() >= 3
            && b[..3].iter().all(u8::is_ascii_alphabetic)
            && !matches!(word, "AKIA" | "ASIA" | "AIza" | "xox" | "eyJ")
    }

    /// A 16-bit key of three bytes, ignoring ASCII case.
    #[inline(always)]
    fn key(b0: u8, b1: u8, b2: u8) -> usize {
        let k = u32::from_le_bytes([b0, b1, b2, 0]) | 0x0020_2020;
        (k.wrapping_mul(0x9e37_79b1) >> 16) as usize
    }

    fn add(&mut self, word: &'static str, handler: Handler) {
        let b = word.as_bytes();
        let k = Self::key(b[0], b[1], b[2]);
        self.bits[k >> 6] |= 1 << (k & 63);
        let at = self.words.partition_point(|w| w.key <= k);
        self.words.insert(at, WordKeyword::new(k, word, handler));
    }

    /// True when a keyword may start at `at` in `b`, the start of a token of `len` bytes
    /// (false for most tokens).
    #[inline(always)]
    fn may_start(&self, b: &[u8], at: usize, len: usize) -> bool {
        let Some(&[b0, b1, b2]) = b.get(at..).and_then(|r| r.get(..3)) else { return false };
        let k = Self::key(b0, b1, b2);
        len >= 3 && self.bits[k >> 6] & (1 << (k & 63)) != 0
    }

    /// Whether a keyword starts at `b[at..]` (the keywords [`at_token`](WordKeywords::at_token)
    /// would call a handler for at a token starting there).
    pub(crate) fn may_match(&self, b: &[u8], at: usize) -> bool {
        self.may_start(b, at, 3) && self.matching(b, at).next().is_some()
    }

    /// The keywords that `b[at..]` starts with.
    fn matching<'s>(&'s self, b: &'s [u8], at: usize) -> impl Iterator<Item = &'s WordKeyword> + 's {
        let k = b.get(at..at + 3).map(|w| Self::key(w[0], w[1], w[2]));
        let from = k.map_or(self.words.len(), |k| self.words.partition_point(|w| w.key < k));
        self.words[from..].iter().take_while(move |w| Some(w.key) == k).filter(move |w| w.starts(b, at))
    }

    /// Calls the handler of every keyword that `text[at..]` starts with (`len` is the
    /// length of the token there).
    #[inline(always)]
    pub(crate) fn at_token(&self, s: &mut crate::scan::Scanner<'_>, at: usize, len: usize) {
        if self.may_start(s.b, at, len) {
            self.call(s, at);
        }
    }

    /// Calls the handler of every keyword that `text[at..]` starts with.
    #[inline(never)]
    fn call(&self, s: &mut crate::scan::Scanner<'_>, at: usize) {
        let b = s.b;
        for w in self.matching(b, at) {
            (w.handler)(s, at, at + w.word.len());
        }
    }
}

/// Context words by kind, matched ASCII-case-insensitively at word starts by
/// [`Scanner::context_in`](crate::scan::Scanner::context_in).
#[derive(Debug, Default)]
pub(crate) struct ContextWords {
    /// By kind: built-in kinds by index, then custom kinds.
    by_kind: Vec<KindWords>,
    /// Every word, each with a bit per built-in kind (by index, below 128) it is a context
    /// word of.
    pub(crate) all: KindWords<u128>,
    /// True when every word starts with an ASCII letter, digit or `_` or a non-ASCII
    /// byte, so that only such bytes need to be tried.
    pub(crate) word_initial: bool,
}

/// Context words, each with a value `T`.
#[derive(Clone, Debug, Default)]
pub(crate) struct KindWords<T = bool> {
    /// A bit per first byte of the words (ASCII lower-cased).
    first: [u64; 4],
    /// The words, sorted.
    words: Vec<ContextWord<T>>,
    /// `words[at[c]..at[c + 1]]` start with byte `c` (filled by `seal`).
    at: Vec<u32>,
}

/// A context word with its value, and its first eight bytes as a number so that most
/// comparisons with the text take one step.
#[derive(Clone, Debug)]
pub(crate) struct ContextWord<T> {
    /// The word, ASCII lower-cased (not empty).
    pub(crate) word: Box<[u8]>,
    pub(crate) value: T,
    /// The word's first (up to) eight bytes, little-endian.
    head: u64,
    /// 0x20 in each of those bytes that is an ASCII letter: or-ed into the text's bytes, it
    /// lower-cases an ASCII letter and makes no other byte equal to a letter.
    fold: u64,
    /// 0xff in each of those bytes.
    mask: u64,
}

impl<T> ContextWord<T> {
    fn new(word: Box<[u8]>, value: T) -> ContextWord<T> {
        let (mut head, mut fold) = (0u64, 0u64);
        for (i, &c) in word.iter().take(8).enumerate() {
            head |= u64::from(c) << (8 * i);
            if c.is_ascii_alphabetic() {
                fold |= 0x20 << (8 * i);
            }
        }
        let mask = u64::MAX >> (64 - 8 * word.len().clamp(1, 8));
        ContextWord { word, value, head, fold, mask }
    }

    /// True when `b[at..]` starts with the word, ignoring ASCII case.
    #[inline(always)]
    pub(crate) fn starts(&self, b: &[u8], at: usize) -> bool {
        let Some(eight) = b.get(at..at + 8) else {
            return b.get(at..at + self.word.len()).is_some_and(|t| t.eq_ignore_ascii_case(&self.word));
        };
        let mut w = [0u8; 8];
        w.copy_from_slice(eight);
        if (u64::from_le_bytes(w) | self.fold) & self.mask != self.head {
            return false;
        }
        let rest = self.word.get(8..).unwrap_or_default();
        rest.is_empty() || b.get(at + 8..at + 8 + rest.len()).is_some_and(|t| t.eq_ignore_ascii_case(rest))
    }
}

impl<T: Copy + Default + std::ops::BitOrAssign> KindWords<T> {
    fn add(&mut self, w: Box<[u8]>, value: T) {
        let Some(&c) = w.first() else { return };
        match self.words.binary_search_by(|x| x.word.cmp(&w)) {
            Ok(at) => self.words[at].value |= value,
            Err(at) => self.words.insert(at, ContextWord::new(w, value)),
        }
        self.first[usize::from(c >> 6)] |= 1 << (c & 63);
    }

    /// Fills the index by first byte, once every word is in.
    fn seal(&mut self) {
        self.at = (0..=256).map(|c| self.words.partition_point(|w| usize::from(w.word[0]) < c) as u32).collect();
    }

    /// True when some word starts with byte `c` (ASCII lower-cased).
    #[inline(always)]
    pub(crate) fn may_start(&self, c: u8) -> bool {
        self.first[usize::from(c >> 6)] >> (c & 63) & 1 != 0
    }

    /// The words that start with byte `c` (ASCII lower-cased).
    #[inline]
    pub(crate) fn starting_with(&self, c: u8) -> &[ContextWord<T>] {
        let c = usize::from(c);
        match (self.at.get(c), self.at.get(c + 1)) {
            (Some(&from), Some(&to)) => &self.words[from as usize..to as usize],
            _ => &[],
        }
    }
}

impl ContextWords {
    fn index(kind: Kind) -> usize {
        match kind {
            Kind::Custom(i) => Kind::BUILTIN.len() + usize::from(i),
            k => k.builtin_index().unwrap_or(0),
        }
    }

    /// Adds a word (trimmed; empty words are ignored) to a kind.
    fn add(&mut self, word: &str, kind: Kind) {
        let w = word.trim().to_ascii_lowercase().into_bytes().into_boxed_slice();
        if w.is_empty() {
            return;
        }
        let i = Self::index(kind);
        if self.by_kind.len() <= i {
            self.by_kind.resize(i + 1, KindWords::default());
        }
        let bit = kind.builtin_index().filter(|&i| i < 128).map_or(0, |i| 1u128 << i);
        self.all.add(w.clone(), bit);
        self.by_kind[i].add(w, true);
    }

    /// Fills the indexes, once every word is in.
    fn seal(&mut self) {
        self.word_initial =
            self.all.words.iter().all(|w| w.word[0].is_ascii_alphanumeric() || w.word[0] == b'_' || w.word[0] >= 0x80);
        self.all.seal();
        for k in &mut self.by_kind {
            k.seal();
        }
    }

    /// The words of a kind, if it has any.
    #[inline]
    pub(crate) fn of(&self, kind: Kind) -> Option<&KindWords> {
        self.by_kind.get(Self::index(kind)).filter(|k| !k.words.is_empty())
    }
}

fn valid_kind_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes()[0].is_ascii_uppercase()
}

fn ac(patterns: &[&str], case_insensitive: bool, kind: MatchKind) -> AhoCorasick {
    // Patterns here are literal strings; building cannot fail for the sizes we use.
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(case_insensitive)
        .match_kind(kind)
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
        .or_else(|_| {
            AhoCorasickBuilder::new().ascii_case_insensitive(case_insensitive).match_kind(kind).build(patterns)
        })
        .unwrap_or_else(|e| unreachable!("literal automaton failed to build: {e}"))
}

impl Inner {
    pub(crate) fn kind_by_name(&self, name: &str) -> Option<Kind> {
        Kind::from_builtin_name(name).or_else(|| {
            self.custom_kinds.iter().position(|k| k == name).and_then(|i| u16::try_from(i).ok()).map(Kind::Custom)
        })
    }

    #[inline]
    pub(crate) fn threshold(&self, kind: Kind) -> f32 {
        let i = match kind {
            Kind::Custom(i) => Kind::BUILTIN.len() + usize::from(i),
            k => k.builtin_index().unwrap_or(0),
        };
        self.thresholds.get(i).copied().unwrap_or(self.policy.threshold)
    }

    fn build(policy: Policy) -> Result<Inner, BuildError> {
        use BuildErrorKind as E;
        let check_threshold = |field: String, v: f32| {
            if (0.0..=1.0).contains(&v) { Ok(()) } else { Err(BuildError::new(E::Threshold { field, value: v })) }
        };
        check_threshold("threshold".into(), policy.threshold)?;
        // The tokenizer's table of two-byte characters, built here rather than in the
        // first scan.
        crate::token::warm();

        // Custom kinds: from custom detectors and deny terms, in order of appearance.
        let mut custom_kinds: Vec<String> = Vec::new();
        let mut intern = |field: &'static str, name: &str| -> Result<Kind, BuildError> {
            if let Some(k) = Kind::from_builtin_name(name) {
                return Ok(k);
            }
            if !valid_kind_name(name) {
                return Err(BuildError::new(E::InvalidKindName { field, name: name.to_string() }));
            }
            let i = match custom_kinds.iter().position(|k| k == name) {
                Some(i) => i,
                None => {
                    custom_kinds.push(name.to_string());
                    custom_kinds.len() - 1
                }
            };
            u16::try_from(i).map(Kind::Custom).map_err(|_| BuildError::new(E::TooManyKinds))
        };

        let mut customs = Vec::new();
        for (index, c) in policy.custom.iter().enumerate() {
            let kind = intern("custom", &c.kind)?;
            check_threshold(format!("custom[{index}].score"), c.score)?;
            let regex = match c.regex.as_deref() {
                Some(r) if !r.is_empty() => {
                    let re = regex_automata::meta::Regex::builder()
                        .syntax(regex_automata::util::syntax::Config::new().case_insensitive(c.case_insensitive))
                        .build(r)
                        .map_err(|e| {
                            BuildError::new(E::Regex { index, kind: c.kind.clone(), message: e.to_string() })
                        })?;
                    Some(re)
                }
                _ => None,
            };
            let words: Vec<&str> = c.words.iter().map(|w| w.trim()).filter(|w| !w.is_empty()).collect();
            let words =
                if words.is_empty() { None } else { Some(ac(&words, c.case_insensitive, MatchKind::LeftmostLongest)) };
            if regex.is_none() && words.is_none() {
                return Err(BuildError::new(E::EmptyCustom { index, kind: c.kind.clone() }));
            }
            customs.push(Custom { kind, score: c.score, context_required: c.context_required, regex, words });
        }

        let mut deny_terms = Vec::new();
        let mut deny_kinds = Vec::new();
        for (index, d) in policy.deny.iter().enumerate() {
            let t = d.term().trim();
            if t.is_empty() {
                return Err(BuildError::new(E::EmptyTerm { field: "deny", index }));
            }
            deny_kinds.push(intern("deny", d.kind())?);
            deny_terms.push(t);
        }
        let deny = if deny_terms.is_empty() { None } else { Some(ac(&deny_terms, true, MatchKind::LeftmostLongest)) };

        let lookup = |field: &'static str, name: &str| -> Result<Kind, BuildError> {
            Kind::from_builtin_name(name)
                .or_else(|| {
                    custom_kinds.iter().position(|k| k == name).and_then(|i| u16::try_from(i).ok()).map(Kind::Custom)
                })
                .ok_or_else(|| BuildError::new(E::UnknownKind { field, name: name.to_string() }))
        };

        let packs =
            detectors::region::parse(&policy.regions).map_err(|name| BuildError::new(E::UnknownRegion { name }))?;

        let mut enabled = KindSet::default();
        match &policy.only {
            Some(only) => {
                for n in only {
                    enabled.insert(lookup("only", n)?);
                }
            }
            None => {
                for &k in Kind::BUILTIN {
                    if !OFF_BY_DEFAULT.contains(&k) && detectors::region::on(k, packs) {
                        enabled.insert(k);
                    }
                }
                for i in 0..custom_kinds.len() {
                    if let Ok(i) = u16::try_from(i) {
                        enabled.insert(Kind::Custom(i));
                    }
                }
            }
        }
        for n in &policy.enable {
            enabled.insert(lookup("enable", n)?);
        }
        for n in &policy.disable {
            enabled.remove(lookup("disable", n)?);
        }

        let mut thresholds = vec![policy.threshold; Kind::BUILTIN.len() + custom_kinds.len()];
        for (name, &v) in &policy.thresholds {
            check_threshold(format!("thresholds.{name}"), v)?;
            let i = match lookup("thresholds", name)? {
                Kind::Custom(i) => Kind::BUILTIN.len() + usize::from(i),
                k => k.builtin_index().unwrap_or(0),
            };
            thresholds[i] = v;
        }
        let date_threshold = Kind::DateTime.builtin_index().and_then(|i| thresholds.get(i)).copied();
        let groups = detectors::region::groups(&enabled, packs, date_threshold.unwrap_or(policy.threshold));

        let mut allow = HashSet::new();
        for (index, a) in policy.allow.iter().enumerate() {
            let a = a.trim();
            if a.is_empty() {
                return Err(BuildError::new(E::EmptyTerm { field: "allow", index }));
            }
            allow.insert(a.to_lowercase());
        }

        // Keyword anchors: words go to the word pass (which visits every word anyway),
        // the rest ("://", "sk-", "-----BEGIN") to one automaton over the bytes.
        let mut kw: Vec<&str> = Vec::new();
        let mut keyword_handlers = Vec::new();
        let mut word_keywords = WordKeywords::default();
        // Without a word kind there is no word pass to ride on: then every keyword goes to
        // the automaton.
        let word_pass = [Kind::Person, Kind::Location, Kind::MedicalCondition, Kind::Medication]
            .iter()
            .any(|&k| enabled.contains(k));
        for table in detectors::KEYWORDS {
            for &(word, handler) in *table {
                if word_pass && WordKeywords::is_word(word) {
                    word_keywords.add(word, handler);
                } else {
                    kw.push(word);
                    keyword_handlers.push(handler);
                }
            }
        }
        let keywords = if kw.is_empty() { None } else { Some(ac(&kw, false, MatchKind::LeftmostLongest)) };

        // Context words, built-in then custom.
        let mut context = ContextWords::default();
        for table in detectors::CONTEXT {
            for &(k, list) in *table {
                for w in list {
                    context.add(w, k);
                }
            }
        }
        for (c, compiled) in policy.custom.iter().zip(&customs) {
            for w in &c.context {
                context.add(w, compiled.kind);
            }
        }
        context.seal();

        Ok(Inner {
            word_keywords,
            digest_hex: policy.digest_hex(),
            email_local_domains: policy.email_local_domains,
            policy,
            enabled,
            packs,
            groups,
            thresholds,
            custom_kinds,
            allow,
            keywords,
            keyword_handlers,
            context,
            customs,
            deny,
            deny_kinds,
        })
    }
}
