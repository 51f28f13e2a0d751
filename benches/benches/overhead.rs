//! The Rust side of the Python per-call overhead benchmark: `Engine::scan` on the 1 KiB
//! text that `benches/python/bench_scan.py` scans from Python (the first 1024 bytes of
//! `chat(7, 1024)`). Run: `cargo bench -p lucairn-benches --bench overhead`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lucairn_core::Engine;
use std::hint::black_box;

const TEXT: &str = include_str!("../python/chat_1k.txt");

fn overhead(c: &mut Criterion) {
    let engine = Engine::default();
    let mut g = c.benchmark_group("overhead");
    g.throughput(Throughput::Bytes(TEXT.len() as u64));
    g.bench_function("scan_1k", |b| b.iter(|| engine.scan(black_box(TEXT))));
    let mut buf = Vec::new();
    g.bench_function("scan_into_1k", |b| {
        b.iter(|| {
            engine.scan_into(black_box(TEXT), &mut buf);
            buf.len()
        })
    });
    g.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
