//! The server-sent events parser: a stream cut into chunks of any sizes, empty chunks
//! included (an HTTP body may deliver an empty data frame), gives the same events and
//! the same "too long" verdict as the whole stream; and events encoded again parse back
//! to themselves.
//!
//! Input: byte 0 picks the length limit (bit 7 set: a small one, so the limit is hit),
//! byte 1 the number `n` (0 to 7) of chunk-size bytes that follow; the chunk sizes
//! (0 to 16 bytes, repeated in turn) cut the rest, which is the stream.
#![no_main]

#[path = "common/chunks.rs"]
mod chunks;

use libfuzzer_sys::fuzz_target;
use lucairn_gateway::sse::{self, Event, Parser, TooLong};

fn parse<'a>(max: usize, chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<Event>, Result<(), TooLong>) {
    let mut p = Parser::new(max);
    let mut out = Vec::new();
    for c in chunks {
        if let Err(e) = p.push(c, &mut out) {
            return (out, Err(e));
        }
    }
    (out, Ok(()))
}

fuzz_target!(|data: &[u8]| {
    let [limit, n, rest @ ..] = data else { return };
    let n = usize::from(*n % 8).min(rest.len());
    let (sizes, stream) = rest.split_at(n);
    let max = if limit & 0x80 != 0 { 8 + usize::from(limit & 0x7f) } else { 1 << 20 };

    let whole = parse(max, std::iter::once(stream));
    let chunked = parse(max, chunks::cut(stream, sizes, 17));
    assert_eq!(chunked, whole, "chunk sizes {sizes:?}");

    // Encoding the events and parsing them again gives them back.
    let (events, _) = whole;
    let mut wire = Vec::new();
    for e in &events {
        sse::encode(e.event.as_deref(), &e.data, &mut wire);
    }
    let (again, verdict) = parse(usize::MAX, std::iter::once(&wire[..]));
    assert!(verdict.is_ok());
    assert_eq!(again, events);
});
