//! Scan throughput (MB/s) on the generated corpora, with the default region packs and with
//! all of them, engine build time, and `scan_many` scaling.
//! Run: `cargo bench -p lucairn-benches --bench scan`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lucairn_benches::{chat, dense, prose};
use lucairn_core::{Engine, EngineBuilder, Policy};
use std::hint::black_box;

const SIZE: usize = 10 << 20;

fn scan(c: &mut Criterion) {
    let engine = Engine::default();
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    let mut buf = Vec::new();
    for (name, text) in [("chat", chat(1, SIZE)), ("prose", prose(2, SIZE)), ("dense", dense(3, SIZE))] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                engine.scan_into(black_box(&text), &mut buf);
                buf.len()
            })
        });
    }
    g.finish();
}

/// The structured detectors of the catalogue (no dictionaries), as a policy in
/// `benches/policies/structured.toml`.
fn scan_structured(c: &mut Criterion) {
    let policy = lucairn_core::Policy::parse(include_str!("../policies/structured.toml"));
    let engine = match policy.and_then(Engine::new) {
        Ok(e) => e,
        Err(e) => panic!("benches/policies/structured.toml: {e}"),
    };
    let mut g = c.benchmark_group("scan_structured");
    g.sample_size(10);
    let mut buf = Vec::new();
    for (name, text) in [("chat", chat(1, SIZE)), ("prose", prose(2, SIZE)), ("dense", dense(3, SIZE))] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                engine.scan_into(black_box(&text), &mut buf);
                buf.len()
            })
        });
    }
    g.finish();
}

/// The default policy beside every region pack (`regions = ["all"]`): a pack that is off
/// costs one bit test per digit run, so the first figure is the default scan's.
fn regions(c: &mut Criterion) {
    let text = chat(5, SIZE);
    let mut g = c.benchmark_group("regions");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    let mut buf = Vec::new();
    for (name, policy) in [("default", "{}"), ("all", r#"{"regions": ["all"]}"#)] {
        let engine = match Policy::from_json(policy).and_then(Engine::new) {
            Ok(e) => e,
            Err(e) => panic!("policy {name}: {e}"),
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                engine.scan_into(black_box(&text), &mut buf);
                buf.len()
            })
        });
    }
    g.finish();
}

fn scan_many(c: &mut Criterion) {
    let engine = Engine::default();
    let text = chat(4, SIZE);
    // 4 KiB messages, cut on char boundaries.
    let mut parts = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + 4096).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        parts.push(&text[at..end]);
        at = end;
    }
    let mut g = c.benchmark_group("scan_many");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    for threads in [1, 2] {
        let pool = rayon_pool(threads);
        g.bench_function(format!("chat_{threads}_threads"), |b| b.iter(|| pool.install(|| engine.scan_many(&parts))));
    }
    g.finish();
}

fn rayon_pool(threads: usize) -> rayon::ThreadPool {
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => panic!("cannot build a thread pool: {e}"),
    }
}

fn build(c: &mut Criterion) {
    c.bench_function("engine_build", |b| b.iter(|| EngineBuilder::new().build()));
}

criterion_group!(benches, scan, scan_structured, regions, scan_many, build);
criterion_main!(benches);
