//! Generates a corpus, builds the default engine and scans the corpus, printing the time
//! of each step. Used for instruction counts (`valgrind --tool=callgrind`) where wall-clock
//! figures are too noisy:
//!
//! ```sh
//! cargo build --release -p lucairn-benches --bin scan-corpus
//! valgrind --tool=callgrind --toggle-collect='*Engine::scan_into*' target/release/scan-corpus chat 1000000
//! ```
//!
//! Arguments: `chat|prose|dense`, a size in bytes (default `chat 10485760`) and
//! optionally a policy file (JSON or TOML).
//!
//! `scan-corpus --dump [corpus.jsonl ...]` instead prints every finding of the default
//! engine, one per line (`corpus start end kind score detector`), on the three
//! generated corpora (1 MB each) and on the given JSONL corpora (a `text` field per line):
//! diff two dumps to check that a change to the scanner leaves the findings as they were.

use std::time::Instant;

use lucairn_core::Engine;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--dump") {
        dump(std::env::args().skip(2).collect());
        return;
    }
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "chat".to_string());
    let size: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10 << 20);
    let text = match kind.as_str() {
        "chat" => lucairn_benches::chat(1, size),
        "prose" => lucairn_benches::prose(2, size),
        "dense" => lucairn_benches::dense(3, size),
        other => {
            eprintln!("unknown corpus {other:?}: use chat, prose or dense");
            std::process::exit(2);
        }
    };
    let policy = match args.next() {
        None => lucairn_core::Policy::default(),
        Some(path) => {
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|s| lucairn_core::Policy::parse(&s).map_err(|e| e.to_string()));
            match parsed {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("policy {path}: {e}");
                    std::process::exit(2);
                }
            }
        }
    };
    let rss_before = rss_kib();
    let t = Instant::now();
    let engine = match Engine::new(policy) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let build = t.elapsed();
    let rss_built = rss_kib();
    let mut out = Vec::new();
    let cpu = cpu_ns();
    let t = Instant::now();
    engine.scan_into(&text, &mut out);
    let scan = t.elapsed();
    let cpu = cpu_ns().zip(cpu).map(|(b, a)| b.saturating_sub(a));
    let rss_scanned = rss_kib();
    println!(
        "{kind}: {} bytes, {} findings, build {:.1} ms, scan {:.1} ms ({:.0} MB/s)",
        text.len(),
        out.len(),
        build.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        text.len() as f64 / scan.as_secs_f64() / 1e6
    );
    if let Some(ns) = cpu {
        // On a shared machine the time this thread was on a CPU is steadier than the clock.
        println!("scan on-CPU {:.1} ms ({:.0} MB/s)", ns as f64 / 1e6, text.len() as f64 / (ns as f64 / 1e9) / 1e6);
    }
    if let (Some(a), Some(b), Some(c)) = (rss_before, rss_built, rss_scanned) {
        // The corpus is in memory before the engine is built; the dictionary tables are
        // static data, paged in as a scan touches them.
        println!(
            "resident: {:.1} MB with the corpus, {:.1} MB once the engine is built, {:.1} MB after the scan",
            a as f64 / 1024.0,
            b as f64 / 1024.0,
            c as f64 / 1024.0
        );
    }
}

/// Time this thread has spent on a CPU, in nanoseconds (Linux only).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Resident set size of this process in KiB (Linux only).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn dump(files: Vec<String>) {
    use std::io::Write;
    let engine = Engine::default();
    let mut texts: Vec<(String, String)> = vec![
        ("chat".into(), lucairn_benches::chat(1, 1 << 20)),
        ("prose".into(), lucairn_benches::prose(2, 1 << 20)),
        ("dense".into(), lucairn_benches::dense(3, 1 << 20)),
    ];
    for path in files {
        let data = match std::fs::read_to_string(&path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        for (n, line) in data.lines().enumerate() {
            let v: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("{path}:{}: {e}", n + 1);
                    std::process::exit(2);
                }
            };
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                texts.push((format!("{path}:{}", n + 1), t.to_string()));
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut found = Vec::new();
    for (name, text) in &texts {
        engine.scan_into(text, &mut found);
        for f in &found {
            let r = writeln!(
                out,
                "{name} {} {} {} {:.4} {}",
                f.span.start,
                f.span.end,
                engine.kind_name(f.kind),
                f.score,
                f.detector
            );
            if r.is_err() {
                std::process::exit(1);
            }
        }
    }
    if out.flush().is_err() {
        std::process::exit(1);
    }
}
