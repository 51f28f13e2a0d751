//! Where a value is in a request: a chain of segments kept on the stack.

use std::fmt::Write;

use crate::json::push_pointer_segment;

/// One step into a JSON document.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path from the document root; each level borrows its parent.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Option<Seg<'a>>,
}

impl<'a> Path<'a> {
    /// The root.
    pub const ROOT: Path<'static> = Path { parent: None, seg: None };

    /// The path of a field of this object.
    pub fn key(&'a self, k: &'a str) -> Path<'a> {
        Path { parent: Some(self), seg: Some(Seg::Key(k)) }
    }

    /// The path of an item of this array.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path { parent: Some(self), seg: Some(Seg::Index(i)) }
    }

    fn segments(&self) -> Vec<Seg<'a>> {
        let mut v = Vec::new();
        let mut p = Some(self);
        while let Some(at) = p {
            if let Some(s) = at.seg {
                v.push(s);
            }
            p = at.parent;
        }
        v.reverse();
        v
    }

    /// As a JSON Pointer (RFC 6901): `/messages/0/content`.
    pub fn pointer(&self) -> String {
        let mut s = String::new();
        for seg in self.segments() {
            match seg {
                Seg::Key(k) => push_pointer_segment(&mut s, k),
                Seg::Index(i) => {
                    let _ = write!(s, "/{i}");
                }
            }
        }
        s
    }

    /// As OpenAI names parameters in errors: `messages[0].content`.
    pub fn param(&self) -> String {
        let mut s = String::new();
        for seg in self.segments() {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(i) => {
                    let _ = write!(s, "[{i}]");
                }
            }
        }
        s
    }
}
