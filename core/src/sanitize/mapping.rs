//! The mapping from placeholders to original values, and re-linking.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::sanitize::placeholder::{self, Hay, Tok};

/// One placeholder and the value it stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingEntry {
    /// The placeholder, such as `[EMAIL_ADDRESS_1]`.
    pub placeholder: String,
    /// The kind's name, such as `EMAIL_ADDRESS` (custom kinds use their policy name).
    pub kind: String,
    /// The original value, spelled as it first appeared in the request.
    pub value: String,
}

/// The placeholders of one request and the original values they stand for.
///
/// A mapping is plain data: it serialises (serde) as a JSON array of
/// `{"placeholder", "kind", "value"}` objects in the order the placeholders were given
/// out, and can be sealed into an opaque token with [`Mapping::seal`] for stateless
/// re-linking later. [`Mapping::relink`] restores the original values in a text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<MappingEntry>", into = "Vec<MappingEntry>")]
pub struct Mapping {
    entries: Vec<MappingEntry>,
    /// Number -> indexes of entries with that number.
    index: HashMap<u32, Vec<usize>>,
}

/// Splits a canonical placeholder `[KIND_N]` into its kind and number.
pub(crate) fn split_placeholder(p: &str) -> Option<(&str, u32)> {
    let inner = p.strip_prefix('[')?.strip_suffix(']')?;
    let (kind, num) = inner.rsplit_once('_')?;
    let valid_kind = !kind.is_empty()
        && kind.len() <= placeholder::MAX_NAME
        && kind.as_bytes()[0].is_ascii_uppercase()
        && kind.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let valid_num =
        !num.is_empty() && num.len() <= 9 && !num.starts_with('0') && num.bytes().all(|b| b.is_ascii_digit());
    if !valid_kind || !valid_num {
        return None;
    }
    Some((kind, num.parse().ok()?))
}

/// An invalid serialised mapping.
#[derive(Debug)]
pub struct MappingError(String);

impl core::fmt::Display for MappingError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MappingError {}

impl TryFrom<Vec<MappingEntry>> for Mapping {
    type Error = MappingError;

    fn try_from(entries: Vec<MappingEntry>) -> Result<Mapping, MappingError> {
        let mut m = Mapping::default();
        for e in entries {
            let Some((kind, _)) = split_placeholder(&e.placeholder) else {
                return Err(MappingError(format!("invalid placeholder {:?}", e.placeholder)));
            };
            if kind != e.kind {
                return Err(MappingError(format!("placeholder {:?} is not of kind {:?}", e.placeholder, e.kind)));
            }
            if m.get(&e.placeholder).is_some() {
                return Err(MappingError(format!("duplicate placeholder {:?}", e.placeholder)));
            }
            m.push(e);
        }
        Ok(m)
    }
}

impl From<Mapping> for Vec<MappingEntry> {
    fn from(m: Mapping) -> Vec<MappingEntry> {
        m.entries
    }
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Mapping {
        Mapping::default()
    }

    /// Adds an entry; the placeholder must be canonical (`[KIND_N]`) and new.
    pub(crate) fn push(&mut self, e: MappingEntry) {
        if let Some((_, n)) = split_placeholder(&e.placeholder) {
            self.index.entry(n).or_default().push(self.entries.len());
            self.entries.push(e);
        }
    }

    /// The entries, in the order the placeholders were given out.
    pub fn entries(&self) -> &[MappingEntry] {
        &self.entries
    }

    /// Number of placeholders.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no placeholder.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of a canonical placeholder such as `[EMAIL_ADDRESS_1]`.
    pub fn get(&self, placeholder: &str) -> Option<&MappingEntry> {
        let (kind, n) = split_placeholder(placeholder)?;
        self.lookup(kind, n)
    }

    /// The entry of kind `kind` (canonical name) and number `n`.
    pub(crate) fn lookup(&self, kind: &str, n: u32) -> Option<&MappingEntry> {
        self.lookup_index(kind, n).map(|i| &self.entries[i])
    }

    /// Index in `entries` of kind `kind` and number `n`.
    pub(crate) fn lookup_index(&self, kind: &str, n: u32) -> Option<usize> {
        self.index.get(&n)?.iter().copied().find(|&i| self.entries[i].kind == kind)
    }

    pub(crate) fn lookup_tok(&self, t: &Tok) -> Option<&MappingEntry> {
        self.lookup(t.name.as_str(), t.number)
    }

    /// Restores original values in `text`: every placeholder of this mapping, in any form
    /// models give it (brackets dropped, case changed, markdown escapes, a line break
    /// inside, punctuation or quotes around), becomes the value it stands for.
    /// Placeholders the mapping does not know are left as they are; nothing else changes,
    /// except that escape characters the sanitiser added are removed.
    ///
    /// For a text `x` sanitised with this mapping, `relink(sanitized) == x`.
    ///
    /// ```
    /// use lucairn_core::{Engine, Location, Sanitizer};
    ///
    /// let engine = Engine::default();
    /// let mut s = Sanitizer::new(&engine);
    /// let text = "Write to ana@example.org.";
    /// let clean = s.sanitize(Location::new(0, "content"), text);
    /// assert_eq!(clean, "Write to [EMAIL_ADDRESS_1].");
    /// let m = s.mapping();
    /// assert_eq!(m.relink(&clean), text);
    /// assert_eq!(m.relink("Sent to **email_address_1**!"), "Sent to **ana@example.org**!");
    /// assert_eq!(m.relink("[EMAIL_ADDRESS_2] is unknown"), "[EMAIL_ADDRESS_2] is unknown");
    /// ```
    pub fn relink(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        self.relink_into(&Hay::whole(text.as_bytes()), text, false, &mut out);
        out
    }

    /// Re-links `text[..h.a.len()]` (the part tokens may start in), appending to `out`.
    pub(crate) fn relink_into(&self, h: &Hay<'_>, text: &str, prev_word: bool, out: &mut String) {
        let mut last = 0;
        let upto = h.a.len();
        placeholder::scan(h, prev_word, |t| {
            if let Some(e) = self.lookup_tok(t) {
                placeholder::decode_into(&text[last..t.start], out);
                out.push_str(&e.value);
                last = t.end;
            }
        });
        if last < upto {
            placeholder::decode_into(&text[last..upto], out);
        }
    }
}
