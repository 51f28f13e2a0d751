//! Server-sent events: an incremental parser (the WHATWG event-stream format) and the
//! encoder.
//!
//! The parser takes the bytes of a stream as they arrive, cut anywhere (inside a line,
//! between `\r` and `\n`, inside a multi-byte character), and returns each event once its
//! closing blank line has arrived. Lines end with `\r\n`, `\n` or `\r`; comment lines
//! (`:` first, the usual keep-alive) and the `id` and `retry` fields are skipped; several
//! `data` lines of one event are joined with `\n`.

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The `event` field, if any.
    pub event: Option<String>,
    /// The `data` lines, joined with `\n`.
    pub data: String,
}

/// An event or line longer than the parser accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a server-sent event is longer than {0} bytes")]
pub struct TooLong(pub usize);

/// Parses a stream of server-sent events.
#[derive(Debug)]
pub struct Parser {
    /// Bytes of the line not complete yet.
    line: Vec<u8>,
    /// The previous byte was a `\r` that ended a line: skip a `\n` right after it.
    after_cr: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    max: usize,
}

impl Parser {
    /// A parser refusing events (and lines) longer than `max` bytes.
    pub fn new(max: usize) -> Parser {
        Parser { line: Vec::new(), after_cr: false, event: None, data: String::new(), has_data: false, max }
    }

    /// Adds bytes; appends the events they complete to `out`.
    pub fn push(&mut self, mut bytes: &[u8], out: &mut Vec<Event>) -> Result<(), TooLong> {
        // An empty chunk (a body may deliver an empty data frame) changes nothing: in
        // particular a `\r` that ended the last chunk still pairs with a `\n` opening the next.
        if bytes.is_empty() {
            return self.check();
        }
        if self.after_cr && bytes.first() == Some(&b'\n') {
            bytes = &bytes[1..];
        }
        self.after_cr = false;
        while let Some(i) = memchr2(b'\n', b'\r', bytes) {
            self.line.extend_from_slice(&bytes[..i]);
            self.check()?;
            self.end_line(out);
            if bytes[i] == b'\r' {
                if bytes.get(i + 1) == Some(&b'\n') {
                    bytes = &bytes[i + 2..];
                } else if i + 1 == bytes.len() {
                    self.after_cr = true;
                    bytes = &[];
                } else {
                    bytes = &bytes[i + 1..];
                }
            } else {
                bytes = &bytes[i + 1..];
            }
        }
        self.line.extend_from_slice(bytes);
        self.check()
    }

    fn check(&self) -> Result<(), TooLong> {
        if self.line.len() + self.data.len() > self.max { Err(TooLong(self.max)) } else { Ok(()) }
    }

    fn end_line(&mut self, out: &mut Vec<Event>) {
        let line = String::from_utf8_lossy(&self.line).into_owned();
        self.line.clear();
        if line.is_empty() {
            if self.has_data {
                out.push(Event { event: self.event.take(), data: std::mem::take(&mut self.data) });
            }
            self.event = None;
            self.data.clear();
            self.has_data = false;
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_str(), ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            _ => {}
        }
    }
}

fn memchr2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == a || c == b)
}

/// Appends the wire form of an event with `data` (one `data:` line per line of it).
pub fn encode(event: Option<&str>, data: &str, out: &mut Vec<u8>) {
    if let Some(e) = event {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(e.as_bytes());
        out.push(b'\n');
    }
    for line in data.split('\n') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line.strip_suffix('\r').unwrap_or(line).as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<Event> {
        let mut p = Parser::new(1 << 20);
        let mut out = Vec::new();
        for c in chunks {
            p.push(c, &mut out).expect("not too long");
        }
        out
    }

    fn ev(event: Option<&str>, data: &str) -> Event {
        Event { event: event.map(str::to_string), data: data.to_string() }
    }

    #[test]
    fn events_whatever_the_cuts_and_line_ends() {
        let stream = "data: {\"a\":\"é😀\"}\n\n: keep-alive\n\nevent: ping\ndata:x\r\ndata:  y\r\n\r\nid: 7\nretry: 10\ndata\n\rdata: [DONE]\r\r";
        let want = vec![ev(None, "{\"a\":\"é😀\"}"), ev(Some("ping"), "x\n y"), ev(None, ""), ev(None, "[DONE]")];
        let b = stream.as_bytes();
        assert_eq!(parse_all(&[b]), want);
        // Every single cut, and one byte at a time.
        for i in 0..=b.len() {
            assert_eq!(parse_all(&[&b[..i], &b[i..]]), want, "cut at {i}");
        }
        let bytes: Vec<&[u8]> = b.chunks(1).collect();
        assert_eq!(parse_all(&bytes), want);
        // A `\r` at the end of a chunk followed by `\n`: one line end, not two.
        assert_eq!(parse_all(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]), vec![ev(None, "a\nb")]);
        // Empty chunks between a `\r` and its `\n` (found by fuzzing): still one line end.
        assert_eq!(parse_all(&[b"data: a\r", b"", b"\ndata: b\n\n"]), vec![ev(None, "a\nb")]);
        // An event without its blank line is not complete.
        assert_eq!(parse_all(&[b"data: a\n"]), vec![]);
    }

    #[test]
    fn long_events_are_refused() {
        let mut p = Parser::new(8);
        let mut out = Vec::new();
        assert_eq!(p.push(b"data: 1234567", &mut out), Err(TooLong(8)));
        let mut p = Parser::new(16);
        assert!(p.push(b"data: 12345\ndata: 12345\n", &mut out).is_ok());
        assert_eq!(p.push(b"data: 12345\n", &mut out), Err(TooLong(16)));
    }

    #[test]
    fn encode_round_trips() {
        let mut out = Vec::new();
        encode(Some("x"), "a\nb", &mut out);
        encode(None, "[DONE]", &mut out);
        assert_eq!(out, b"event: x\ndata: a\ndata: b\n\ndata: [DONE]\n\n");
        assert_eq!(parse_all(&[&out]), vec![ev(Some("x"), "a\nb"), ev(None, "[DONE]")]);
    }
}
