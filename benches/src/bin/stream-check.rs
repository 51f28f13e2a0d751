//! Checks streamed sanitising against whole-text sanitising on whole corpora, and measures
//! how long the stream holds text back.
//!
//! ```sh
//! cargo build --release -p lucairn-benches --bin stream-check
//! target/release/stream-check benches/corpus/dev.jsonl benches/corpus/test.jsonl
//! ```
//!
//! 1. Every text of the JSONL corpora (a `text` field per line), alone and joined eight at a
//!    time, and 64 KB of each generated corpus (chat, prose, dense, in 4 KB pieces) is
//!    streamed cut after every byte, every 3, 7 and 16 bytes and after every word, through
//!    `StreamSanitizer` and `OutputStream`; each output must equal the whole-text output.
//!    Any difference is printed and the exit code is 1.
//! 2. Streamed a word at a time (as a model sends tokens), each input byte waits until
//!    the stream emits it: the table gives that delay in bytes of input received after
//!    it, per corpus, beside what a fixed hold-back of `max_hold_back()` bytes would give,
//!    and the time a push of one word takes (wall clock, one thread).

use lucairn_core::{Engine, Location, OutputMode, OutputStream, Sanitizer, StreamSanitizer};

fn main() {
    let engine = Engine::default();
    let mut corpora: Vec<(String, Vec<String>)> = Vec::new();
    for path in std::env::args().skip(1) {
        let data = match std::fs::read_to_string(&path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        let mut texts = Vec::new();
        for (n, line) in data.lines().enumerate() {
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(v) => texts.extend(v.get("text").and_then(|t| t.as_str()).map(str::to_string)),
                Err(e) => {
                    eprintln!("{path}:{}: {e}", n + 1);
                    std::process::exit(2);
                }
            }
        }
        let joined: Vec<String> = texts.chunks(8).map(|c| c.join("\n\n")).collect();
        corpora.push((path.clone(), texts));
        corpora.push((format!("{path} (8 joined)"), joined));
    }
    for (name, text) in [
        ("chat", lucairn_benches::chat(1, 64 << 10)),
        ("prose", lucairn_benches::prose(2, 64 << 10)),
        ("dense", lucairn_benches::dense(3, 64 << 10)),
    ] {
        corpora.push((name.to_string(), pieces(&text, 4 << 10)));
    }

    let mut failures = 0;
    let mut streams = 0;
    for (name, texts) in &corpora {
        for text in texts {
            let whole = Sanitizer::new(&engine).sanitize(Location::new(0, "content"), text);
            let whole_out = {
                let mut s = Sanitizer::new(&engine);
                s.scan_output(Location::new(0, "content"), text, OutputMode::Keep)
            };
            for cut in [Cut::Every(1), Cut::Every(3), Cut::Every(7), Cut::Every(16), Cut::Words] {
                let chunks = cut.apply(text);
                streams += 2;
                let got = sanitize_stream(&engine, &chunks).0;
                if got != whole {
                    failures += 1;
                    report(name, "StreamSanitizer", cut, text, &whole, &got);
                }
                let got = output_stream(&engine, &chunks);
                if got != whole_out {
                    failures += 1;
                    report(name, "OutputStream", cut, text, &whole_out, &got);
                }
            }
        }
    }
    println!("{streams} streams compared, {failures} differ\n");

    let fixed = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "content")).max_hold_back();
    println!("Delay of each input byte, in bytes received after it, streamed a word at a time:\n");
    println!("| corpus | bytes | mean | p50 | p90 | p99 | max | fixed {fixed}-byte hold: mean | p50 | µs per word |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, texts) in &corpora {
        let mut delays = Vec::new();
        let mut fixed_delays = Vec::new();
        let mut words = 0;
        let mut time = std::time::Duration::ZERO;
        for text in texts {
            let chunks = Cut::Words.apply(text);
            let t = std::time::Instant::now();
            delays.extend(sanitize_stream(&engine, &chunks).1);
            time += t.elapsed();
            words += chunks.len();
            fixed_delays.extend(fixed_hold(&chunks, fixed));
        }
        let (d, f) = (Stats::of(&mut delays), Stats::of(&mut fixed_delays));
        println!(
            "| {name} | {} | {:.1} | {} | {} | {} | {} | {:.1} | {} | {:.1} |",
            delays.len(),
            d.mean,
            d.p50,
            d.p90,
            d.p99,
            d.max,
            f.mean,
            f.p50,
            time.as_secs_f64() * 1e6 / words.max(1) as f64
        );
    }
    if failures > 0 {
        std::process::exit(1);
    }
}

/// Splits `text` into pieces of about `size` bytes, at line ends.
fn pieces(text: &str, size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.split_inclusive('\n') {
        cur.push_str(line);
        if cur.len() >= size {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Cut {
    /// Every `n` bytes, inside characters too.
    Every(usize),
    /// After each run of spaces: a word and the spaces after it.
    Words,
}

impl Cut {
    fn apply(self, text: &str) -> Vec<Vec<u8>> {
        let b = text.as_bytes();
        match self {
            Cut::Every(n) => b.chunks(n).map(<[u8]>::to_vec).collect(),
            Cut::Words => {
                let mut out = Vec::new();
                let mut start = 0;
                for i in 1..b.len() {
                    if b[i - 1].is_ascii_whitespace() && !b[i].is_ascii_whitespace() {
                        out.push(b[start..i].to_vec());
                        start = i;
                    }
                }
                out.push(b[start..].to_vec());
                out
            }
        }
    }
}

/// The streamed output, and for each input byte the bytes received after it before it was
/// emitted.
fn sanitize_stream(engine: &Engine, chunks: &[Vec<u8>]) -> (String, Vec<usize>) {
    let mut st = StreamSanitizer::new(Sanitizer::new(engine), Location::new(0, "content"));
    let mut out = String::new();
    let mut delays = Vec::new();
    let mut received = 0;
    for c in chunks {
        out.push_str(&st.push_bytes(c));
        received += c.len();
        let emitted = received - st.held_back();
        while delays.len() < emitted {
            delays.push(received - delays.len() - 1);
        }
    }
    out.push_str(&st.finish());
    while delays.len() < received {
        delays.push(received - delays.len() - 1);
    }
    (out, delays)
}

fn output_stream(engine: &Engine, chunks: &[Vec<u8>]) -> String {
    let mut st = OutputStream::new(Sanitizer::new(engine), Location::new(0, "content"), OutputMode::Keep);
    let mut out = String::new();
    for c in chunks {
        out.push_str(&st.push_bytes(c));
    }
    out.push_str(&st.finish());
    out
}

/// The delays a stream holding back exactly `hold` bytes would give.
fn fixed_hold(chunks: &[Vec<u8>], hold: usize) -> Vec<usize> {
    let mut delays = Vec::new();
    let mut received = 0;
    for c in chunks {
        received += c.len();
        while delays.len() + hold < received {
            delays.push(received - delays.len() - 1);
        }
    }
    while delays.len() < received {
        delays.push(received - delays.len() - 1);
    }
    delays
}

fn report(corpus: &str, stream: &str, cut: Cut, text: &str, want: &str, got: &str) {
    let at = want.bytes().zip(got.bytes()).take_while(|(a, b)| a == b).count();
    let from = at.saturating_sub(60);
    let show = |s: &str| s.get(from..(at + 60).min(s.len())).unwrap_or("").to_string();
    println!("DIFFERS: {corpus}, {stream}, cut {cut:?}, text {:?}", text.get(..80).unwrap_or(text));
    println!("  want …{:?}", show(want));
    println!("  got  …{:?}", show(got));
}

struct Stats {
    mean: f64,
    p50: usize,
    p90: usize,
    p99: usize,
    max: usize,
}

impl Stats {
    fn of(v: &mut [usize]) -> Stats {
        v.sort_unstable();
        let at = |q: f64| v.get(((v.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0);
        let mean = if v.is_empty() { 0.0 } else { v.iter().sum::<usize>() as f64 / v.len() as f64 };
        Stats { mean, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v.last().copied().unwrap_or(0) }
    }
}
