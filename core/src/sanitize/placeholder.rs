//! The placeholder grammar: what re-linking recognises as a placeholder, and the escape
//! that keeps placeholder-like text typed by users apart from ours.
//!
//! A *token* is placeholder-like text, in any of the forms models turn `[EMAIL_ADDRESS_1]`
//! into (all matched ASCII-case-insensitively):
//!
//! - bracketed: `[` or `\[`, optional white space (line breaks included), the kind's
//!   words, the number, optional white space, `]` or `\]`. Between words and before the
//!   number any short run of `_`, `\_`, `-`, spaces and line breaks separates
//!   (`[EMAIL_ADDRESS_1]`, `[email address 1]`, `[EMAIL_ADDRESS_\n1]`, `\[EMAIL\_ADDRESS\_1\]`);
//! - bare (brackets dropped): the kind's words and the number joined by `_` or `\_`, each
//!   optionally followed by a line break (`EMAIL_ADDRESS_1`, `Email_Address_1.`,
//!   `EMAIL_\nADDRESS_1`), not preceded by a letter, digit or `_` and not followed by one.
//!
//! The number is 1 to 9 digits without a leading zero. Scanning is left to right; a token
//! that parses is consumed whole whether or not it names a known placeholder, so every
//! caller (sanitiser, re-linker, output scanner, streams) sees the same tokens.

/// U+2060 WORD JOINER: the escape character. Invisible, and not part of any token.
pub(crate) const ESCAPE: char = '\u{2060}';
const ESC0: u8 = 0xE2;
const ESC: &[u8] = "\u{2060}".as_bytes();

/// Longest kind name, in bytes (as `Engine` enforces for custom kinds).
pub(crate) const MAX_NAME: usize = 64;
/// Longest token, in bytes; longer look-alikes are not tokens.
pub(crate) const MAX_TOKEN: usize = 128;
const MAX_DIGITS: usize = 9;
/// Longest separator run inside a token.
const MAX_SEP: usize = 8;

/// A kind name in canonical form (upper case, words joined by `_`), without allocating.
#[derive(Clone, Copy)]
pub(crate) struct Name {
    buf: [u8; MAX_NAME],
    len: usize,
}

impl Name {
    fn new() -> Name {
        Name { buf: [0; MAX_NAME], len: 0 }
    }

    fn push_word(&mut self, w: &[u8]) -> bool {
        let extra = w.len() + usize::from(self.len > 0);
        if self.len + extra > MAX_NAME {
            return false;
        }
        if self.len > 0 {
            self.buf[self.len] = b'_';
            self.len += 1;
        }
        for &c in w {
            self.buf[self.len] = c.to_ascii_uppercase();
            self.len += 1;
        }
        true
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII letters, digits and `_` are ever pushed.
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// A token found in a text.
#[derive(Clone, Copy)]
pub(crate) struct Tok {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Where the number begins (the escape goes right before it).
    pub(crate) num_start: usize,
    pub(crate) number: u32,
    pub(crate) name: Name,
}

/// The text being scanned: `a` followed by `b`. Tokens may start only in `a`; `b` is
/// look-ahead. Past `b`, the text ends if `complete`, else more may come.
pub(crate) struct Hay<'a> {
    pub(crate) a: &'a [u8],
    pub(crate) b: &'a [u8],
    pub(crate) complete: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    B(u8),
    End,
    More,
}

enum P {
    Tok(Tok),
    No,
    More,
}

/// True for bytes that continue a word: ASCII letters, digits and `_`.
#[inline]
pub(crate) fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'a> Hay<'a> {
    /// The whole of `text`, complete.
    pub(crate) fn whole(text: &'a [u8]) -> Hay<'a> {
        Hay { a: text, b: &[], complete: true }
    }

    #[inline]
    fn at(&self, j: usize) -> At {
        if let Some(&c) = self.a.get(j) {
            return At::B(c);
        }
        match self.b.get(j - self.a.len()) {
            Some(&c) => At::B(c),
            None if self.complete => At::End,
            None => At::More,
        }
    }

    fn slice(&self, s: usize, e: usize) -> Option<&[u8]> {
        if e <= self.a.len() {
            self.a.get(s..e)
        } else if s >= self.a.len() {
            self.b.get(s - self.a.len()..e - self.a.len())
        } else {
            None
        }
    }

    /// Reads a word `[A-Za-z0-9]+` at `j`; returns its end.
    fn word(&self, j: usize, limit: usize) -> Result<usize, P> {
        let mut k = j;
        loop {
            match self.at(k) {
                At::B(c) if c.is_ascii_alphanumeric() => k += 1,
                At::B(_) | At::End => return Ok(k),
                At::More => return Err(P::More),
            }
            if k > limit {
                return Err(P::No);
            }
        }
    }

    /// Skips at most `MAX_SEP` bytes of `[ \t]`; returns the end.
    fn blanks(&self, mut k: usize) -> Result<usize, P> {
        let start = k;
        loop {
            match self.at(k) {
                At::B(b' ' | b'\t') if k - start < MAX_SEP => k += 1,
                At::More => return Err(P::More),
                _ => return Ok(k),
            }
        }
    }

    /// Skips white space including line breaks, at most `MAX_SEP` bytes.
    fn spaces(&self, mut k: usize) -> Result<usize, P> {
        let start = k;
        loop {
            match self.at(k) {
                At::B(b' ' | b'\t' | b'\r' | b'\n') if k - start < MAX_SEP => k += 1,
                At::More => return Err(P::More),
                _ => return Ok(k),
            }
        }
    }

    /// A bare separator at `j` (right after a word): `_` or `\_`, optionally followed by a
    /// line break with blanks around it. `Ok(Some(k))`: a word starts at `k`. `Ok(None)`:
    /// no separator. `Err(No)`: a separator not followed by a word (no token here).
    fn bare_sep(&self, j: usize) -> Result<Option<usize>, P> {
        let k = match self.at(j) {
            At::B(b'_') => j + 1,
            At::B(b'\\') => match self.at(j + 1) {
                At::B(b'_') => j + 2,
                At::More => return Err(P::More),
                _ => return Ok(None),
            },
            At::More => return Err(P::More),
            _ => return Ok(None),
        };
        // Optional line break.
        let mut m = self.blanks(k)?;
        if self.at(m) == At::B(b'\r') {
            m += 1;
        }
        let k = match self.at(m) {
            At::B(b'\n') => self.blanks(m + 1)?,
            At::More => return Err(P::More),
            _ => k,
        };
        match self.at(k) {
            At::B(c) if c.is_ascii_alphanumeric() => Ok(Some(k)),
            At::More => Err(P::More),
            _ => Err(P::No),
        }
    }

    /// A separator inside brackets at `j`: white space and at most one of `_`, `\_`, `-`.
    fn bracket_sep(&self, j: usize) -> Result<Option<usize>, P> {
        let mut k = self.spaces(j)?;
        match self.at(k) {
            At::B(b'_' | b'-') => k = self.spaces(k + 1)?,
            At::B(b'\\') => match self.at(k + 1) {
                At::B(b'_') => k = self.spaces(k + 2)?,
                At::More => return Err(P::More),
                _ => {}
            },
            At::More => return Err(P::More),
            _ => {}
        }
        if k == j || k - j > MAX_SEP {
            return Ok(None);
        }
        match self.at(k) {
            At::B(c) if c.is_ascii_alphanumeric() => Ok(Some(k)),
            At::More => Err(P::More),
            _ => Ok(None),
        }
    }

    /// Words and separators from `j`; returns (name, number, num_start, end of number).
    fn body(&self, start: usize, j: usize, bracketed: bool) -> Result<(Name, u32, usize, usize), P> {
        let limit = start + MAX_TOKEN;
        let mut name = Name::new();
        let mut pending: Option<(usize, usize)> = None;
        let mut words = 0usize;
        let mut j = j;
        loop {
            let e = self.word(j, limit)?;
            if words == 0 && !matches!(self.at(j), At::B(c) if c.is_ascii_alphabetic()) {
                return Err(P::No);
            }
            if let Some((ps, pe)) = pending {
                let w = self.slice(ps, pe).ok_or(P::No)?;
                if !name.push_word(w) {
                    return Err(P::No);
                }
            }
            pending = Some((j, e));
            words += 1;
            let sep = if bracketed { self.bracket_sep(e)? } else { self.bare_sep(e)? };
            match sep {
                Some(k) if k <= limit => j = k,
                Some(_) => return Err(P::No),
                None => {
                    j = e;
                    break;
                }
            }
        }
        let (ns, ne) = pending.ok_or(P::No)?;
        let digits = self.slice(ns, ne).ok_or(P::No)?;
        if words < 2
            || digits.is_empty()
            || digits.len() > MAX_DIGITS
            || digits[0] == b'0'
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return Err(P::No);
        }
        let number = digits.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        Ok((name, number, ns, j))
    }

    fn parse_bare(&self, i: usize) -> P {
        let (name, number, num_start, end) = match self.body(i, i, false) {
            Ok(x) => x,
            Err(p) => return p,
        };
        // The word ended and no separator followed: the next byte is not a word byte,
        // except a backslash not escaping `_`.
        match self.at(end) {
            At::More => P::More,
            _ => P::Tok(Tok { start: i, end, num_start, number, name }),
        }
    }

    fn parse_bracketed(&self, i: usize) -> P {
        let open = if self.at(i) == At::B(b'\\') { i + 2 } else { i + 1 };
        let j = match self.spaces(open) {
            Ok(j) => j,
            Err(p) => return p,
        };
        let (name, number, num_start, e) = match self.body(i, j, true) {
            Ok(x) => x,
            Err(p) => return p,
        };
        let k = match self.spaces(e) {
            Ok(k) => k,
            Err(p) => return p,
        };
        let (end, escaped_close) = match self.at(k) {
            At::B(b']') => (k + 1, false),
            At::B(b'\\') => match self.at(k + 1) {
                At::B(b']') => (k + 2, true),
                At::More => return P::More,
                _ => return P::No,
            },
            At::More => return P::More,
            _ => return P::No,
        };
        if end - i > MAX_TOKEN {
            return P::No;
        }
        // A backslash before `[` belongs to the token only if `]` is escaped too
        // (markdown escaping); otherwise it is text of its own.
        let start = if open == i + 2 && !escaped_close { i + 1 } else { i };
        P::Tok(Tok { start, end, num_start, number, name })
    }
}

/// Scans `h.a` for tokens, left to right, calling `f` for each. `prev_word` tells whether
/// the byte before `h.a` continues a word. Returns `Some(i)` when the token that may
/// start at `i` depends on text not available yet (only when `h` is incomplete).
pub(crate) fn scan(h: &Hay<'_>, mut prev_word: bool, mut f: impl FnMut(&Tok)) -> Option<usize> {
    let n = h.a.len();
    let mut i = 0;
    while i < n {
        let c = h.a[i];
        let parsed = if c == b'[' {
            Some(h.parse_bracketed(i))
        } else if c == b'\\' {
            match h.at(i + 1) {
                // A token that leaves the backslash out is found again at the `[`.
                At::B(b'[') => match h.parse_bracketed(i) {
                    P::Tok(t) if t.start > i => None,
                    p => Some(p),
                },
                At::More => return Some(i),
                _ => None,
            }
        } else if c.is_ascii_alphabetic() && !prev_word {
            // Fast path: a bare token's first word is followed by `_` or `\_`.
            let mut j = i + 1;
            while j < n && h.a[j].is_ascii_alphanumeric() {
                j += 1;
            }
            if j < n && h.a[j] != b'_' && h.a[j] != b'\\' {
                prev_word = true;
                i = j;
                continue;
            }
            Some(h.parse_bare(i))
        } else {
            None
        };
        match parsed {
            Some(P::Tok(t)) => {
                f(&t);
                i = t.end;
                // Tokens end with a digit (a word byte) or a bracket.
                prev_word = matches!(h.at(t.end - 1), At::B(c) if is_word(c));
            }
            Some(P::More) => return Some(i),
            Some(P::No) | None => {
                prev_word = is_word(c);
                i += 1;
            }
        }
    }
    None
}

/// Appends `plain` to `out`, decoding escapes: a run of `k` escape characters becomes
/// `k / 2` of them (a lone one, which marks an escaped token, disappears).
pub(crate) fn decode_into(plain: &str, out: &mut String) {
    let b = plain.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(ESC0, &b[i..]) {
        let s = i + p;
        if !b[s..].starts_with(ESC) {
            i = s + 1;
            continue;
        }
        let mut e = s;
        while b[e..].starts_with(ESC) {
            e += ESC.len();
        }
        out.push_str(&plain[last..s]);
        let k = (e - s) / ESC.len();
        for _ in 0..k / 2 {
            out.push(ESCAPE);
        }
        last = e;
        i = e;
    }
    out.push_str(&plain[last..]);
}

/// Appends `plain` to `out`, doubling every escape character (so that decoding restores
/// it exactly).
pub(crate) fn double_escapes_into(plain: &str, out: &mut String) {
    let b = plain.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(ESC0, &b[i..]) {
        let s = i + p;
        if b[s..].starts_with(ESC) {
            out.push_str(&plain[last..s + ESC.len()]);
            out.push(ESCAPE);
            last = s + ESC.len();
            i = last;
        } else {
            i = s + 1;
        }
    }
    out.push_str(&plain[last..]);
}

/// If `text[..end]` ends with escape characters, the offset where that run begins
/// (else `end`).
pub(crate) fn trailing_escapes(text: &str, end: usize) -> usize {
    let b = &text.as_bytes()[..end];
    let mut s = end;
    while s >= ESC.len() && &b[s - ESC.len()..s] == ESC {
        s -= ESC.len();
    }
    s
}

/// Moves a cut at `at` (a char boundary) left so that it does not split a run of escape
/// characters; `more` says whether text may still be appended after `text`.
pub(crate) fn cut_outside_escapes(text: &str, at: usize, more: bool) -> usize {
    let b = text.as_bytes();
    let before = at >= ESC.len() && &b[at - ESC.len()..at] == ESC;
    let after = b.get(at..at + ESC.len()) == Some(ESC) || (more && at == b.len());
    if before && after { trailing_escapes(text, at) } else { at }
}
