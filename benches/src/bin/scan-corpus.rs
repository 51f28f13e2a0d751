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

use std::time::Instant;

use lucairn_core::Engine;

fn main() {
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
    let t = Instant::now();
    let engine = match Engine::new(policy) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let build = t.elapsed();
    let mut out = Vec::new();
    let t = Instant::now();
    engine.scan_into(&text, &mut out);
    let scan = t.elapsed();
    println!(
        "{kind}: {} bytes, {} findings, build {:.1} ms, scan {:.1} ms ({:.0} MB/s)",
        text.len(),
        out.len(),
        build.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        text.len() as f64 / scan.as_secs_f64() / 1e6
    );
}
