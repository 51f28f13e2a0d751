//! The seam between the gateway and sanitisation.
//!
//! The gateway sees sanitisation through two types: [`Pipeline`] (built once from the
//! policy, shared by all requests) and [`RequestScope`] (one per request: every text of
//! the request goes through the same scope, so one value gets one placeholder across all
//! messages, and the scope re-links or redacts the answer). Nothing else in the gateway
//! scans or rewrites text.
//!
//! This implementation keeps its mapping in memory for the request: placeholders are
//! numbered per kind in order of appearance (`[EMAIL_ADDRESS_1]`), equal values share one,
//! re-linking replaces exact placeholders, and personal data found in an answer is
//! replaced by `[KIND]`.

use std::collections::{BTreeMap, HashMap};

use lucairn_core::{Engine, Finding, Kind};

use crate::json::{self, Edits};
use crate::openai::chat::{TextField, TextKind};

/// The version quoted in certificates.
pub(crate) const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Sanitisation failed; the request must not be forwarded.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SanitizeError {
    #[error("a text could not be sanitised")]
    Failed,
}

/// Sanitisation for the whole server.
#[derive(Debug, Clone)]
pub(crate) struct Pipeline {
    engine: Engine,
}

impl Pipeline {
    pub(crate) fn new(engine: Engine) -> Pipeline {
        Pipeline { engine }
    }

    /// The detection engine.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Digest of the policy, as certificates quote it.
    pub(crate) fn policy_digest(&self) -> &str {
        self.engine.policy_digest()
    }

    /// A scope for one request of `tenant`.
    pub(crate) fn request(&self, tenant: &str) -> RequestScope {
        let _ = tenant;
        RequestScope {
            engine: self.engine.clone(),
            scratch: Vec::new(),
            by_value: HashMap::new(),
            originals: HashMap::new(),
            next: HashMap::new(),
            request_counts: BTreeMap::new(),
            answer_counts: BTreeMap::new(),
        }
    }
}

/// Sanitisation state of one request.
#[derive(Debug)]
pub(crate) struct RequestScope {
    engine: Engine,
    scratch: Vec<Finding>,
    by_value: HashMap<(Kind, String), String>,
    originals: HashMap<String, String>,
    next: HashMap<Kind, u32>,
    request_counts: BTreeMap<String, u64>,
    answer_counts: BTreeMap<String, u64>,
}

impl RequestScope {
    /// Sanitises one text of the request found at `pointer`. `Ok(None)`: unchanged.
    pub(crate) fn sanitize(&mut self, pointer: &str, text: &str) -> Result<Option<String>, SanitizeError> {
        let _ = pointer;
        self.engine.scan_into(text, &mut self.scratch);
        if self.scratch.is_empty() {
            return Ok(None);
        }
        let mut out = String::with_capacity(text.len() + 16 * self.scratch.len());
        let mut at = 0;
        for f in &self.scratch {
            let (Some(before), Some(value)) = (text.get(at..f.span.start), text.get(f.span.range())) else {
                return Err(SanitizeError::Failed);
            };
            out.push_str(before);
            let name = self.engine.kind_name(f.kind);
            *self.request_counts.entry(name.to_string()).or_default() += 1;
            let key = (f.kind, value.to_string());
            let placeholder = match self.by_value.get(&key) {
                Some(p) => p.clone(),
                None => {
                    let n = self.next.entry(f.kind).or_insert(0);
                    *n += 1;
                    let p = format!("[{name}_{n}]");
                    self.originals.insert(p.clone(), value.to_string());
                    self.by_value.insert(key, p.clone());
                    p
                }
            };
            out.push_str(&placeholder);
            at = f.span.end;
        }
        out.push_str(text.get(at..).ok_or(SanitizeError::Failed)?);
        Ok(Some(out))
    }

    /// Checks one text of the answer: personal data the model produced is redacted, and
    /// with `relink` this request's placeholders become the original values again.
    /// `None`: unchanged.
    pub(crate) fn answer(&mut self, pointer: &str, text: &str, relink: bool) -> Option<String> {
        let _ = pointer;
        self.engine.scan_into(text, &mut self.scratch);
        for f in &self.scratch {
            *self.answer_counts.entry(self.engine.kind_name(f.kind).to_string()).or_default() += 1;
        }
        let redacted = if self.scratch.is_empty() { None } else { Some(self.engine.redact_with(text, &self.scratch)) };
        if !relink {
            return redacted;
        }
        let base = redacted.as_deref().unwrap_or(text);
        match self.relink(base) {
            Some(r) => Some(r),
            None => redacted,
        }
    }

    fn relink(&self, text: &str) -> Option<String> {
        if self.originals.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut at = 0;
        let mut changed = false;
        let mut i = 0;
        while let Some(off) = text[i..].find('[') {
            let open = i + off;
            let close = match text[open..].find(']') {
                Some(c) if c <= 80 => open + c + 1,
                _ => {
                    i = open + 1;
                    continue;
                }
            };
            match self.originals.get(&text[open..close]) {
                Some(v) => {
                    out.push_str(&text[at..open]);
                    out.push_str(v);
                    at = close;
                    changed = true;
                    i = close;
                }
                None => i = open + 1,
            }
        }
        if !changed {
            return None;
        }
        out.push_str(&text[at..]);
        Some(out)
    }

    /// Findings per kind in the request.
    pub(crate) fn request_counts(&self) -> &BTreeMap<String, u64> {
        &self.request_counts
    }

    /// Findings per kind the model produced itself.
    pub(crate) fn answer_counts(&self) -> &BTreeMap<String, u64> {
        &self.answer_counts
    }
}

/// Sanitises every text of a request and returns the body to forward (`src` with the
/// sanitised string literals spliced in).
pub(crate) fn sanitize_request(
    scope: &mut RequestScope,
    src: &str,
    texts: &[TextField<'_>],
    max_depth: usize,
) -> Result<String, SanitizeError> {
    let mut edits = Edits::default();
    for t in texts {
        let new = match t.kind {
            TextKind::Plain => scope.sanitize(&t.pointer, &t.value)?,
            TextKind::Json => {
                let mut f = |inner: &str, s: &str| {
                    let mut p = t.pointer.clone();
                    p.push('#');
                    p.push_str(inner);
                    scope.sanitize(&p, s)
                };
                match json::map_strings(&t.value, max_depth, &mut f) {
                    Ok(r) => r?,
                    // Not JSON: sanitise it as text.
                    Err(()) => scope.sanitize(&t.pointer, &t.value)?,
                }
            }
        };
        if let Some(new) = new {
            edits.string(t.range.clone(), &new);
        }
    }
    Ok(edits.apply(src))
}

/// Checks one answer text of `kind` (JSON-aware for tool-call arguments).
pub(crate) fn answer_text(
    scope: &mut RequestScope,
    pointer: &str,
    text: &str,
    kind: TextKind,
    relink: bool,
    max_depth: usize,
) -> Option<String> {
    if kind == TextKind::Json {
        let mut f = |inner: &str, s: &str| -> Result<Option<String>, ()> {
            let mut p = pointer.to_string();
            p.push('#');
            p.push_str(inner);
            Ok(scope.answer(&p, s, relink))
        };
        if let Ok(Ok(r)) = json::map_strings(text, max_depth, &mut f) {
            return r;
        }
    }
    scope.answer(pointer, text, relink)
}
