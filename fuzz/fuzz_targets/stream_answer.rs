//! The streamed answer path: the rewriter of an upstream's chat completion chunks.
//!
//! No panic; the stream cut into chunks of any sizes (empty ones included) gives exactly
//! the bytes and certificate records of the whole stream; what the client gets parses as
//! server-sent events, and no more of its events fail to be JSON than the upstream's.
//!
//! Byte 0: bit 0 re-links placeholders (else keeps them); byte 1: the number `n` (0 to 7)
//! of chunk-size bytes that follow (sizes 0 to 64, taken in turn); the rest is the stream.
#![no_main]

#[path = "common/chunks.rs"]
mod chunks;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lucairn_core::{Engine, Location, OutputMode};
use lucairn_gateway::openai::stream::Rewriter;
use lucairn_gateway::pipeline::{Pipeline, RequestScope};
use lucairn_gateway::secrets::Secrets;
use lucairn_gateway::{json, sse};

const DEPTH: usize = 64;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(Engine::default(), Secrets::from_master(&[5; 32])));

fn scope() -> RequestScope {
    let mut s = PIPELINE.request("acme");
    s.sanitize(Location::new(0, "content"), "mail ana@example.org or call +1 415 555 0100");
    s
}

/// The client's bytes and the records, for the stream given in `chunks`.
fn run<'a>(mode: OutputMode, chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<u8>, String) {
    let mut r = Rewriter::new(scope(), mode, DEPTH);
    let mut out = Vec::new();
    for c in chunks {
        out.extend(r.push(c).expect("events are far below the limit"));
        if r.done() {
            break;
        }
    }
    out.extend(r.flush());
    out.extend(r.metadata_event("{}"));
    let records = r.records();
    (out, format!("{:?} {:?}", records.findings, records.output_findings))
}

fn events(bytes: &[u8]) -> Vec<sse::Event> {
    let mut p = sse::Parser::new(usize::MAX);
    let mut out = Vec::new();
    p.push(bytes, &mut out).expect("no limit");
    out
}

fn is_json(s: &str) -> bool {
    json::check_depth(s.as_bytes(), DEPTH).is_ok() && serde_json::from_str::<serde_json::Value>(s).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let [flags, n, rest @ ..] = data else { return };
    let mode = if flags & 1 == 1 { OutputMode::Relink } else { OutputMode::Keep };
    let n = usize::from(*n % 8).min(rest.len());
    let (sizes, stream) = rest.split_at(n);
    if stream.len() > 1 << 16 {
        return;
    }

    let whole = run(mode, std::iter::once(stream));
    let chunked = run(mode, chunks::cut(stream, sizes, 65));
    assert!(whole == chunked, "chunk sizes {sizes:?}");

    let upstream = events(stream);
    let upstream: Vec<&sse::Event> = upstream.iter().take_while(|e| e.data.trim() != "[DONE]").collect();
    let not_json_in = upstream.iter().filter(|e| !is_json(&e.data)).count();
    let client = events(&whole.0);
    let not_json_out = client.iter().filter(|e| !is_json(&e.data)).count();
    assert!(not_json_out <= not_json_in, "{not_json_out} events the client gets are not JSON, {not_json_in} upstream");
});
