//! The cost of the C ABI per call: the engine's own `scan_into` beside
//! `lucairn_engine_scan` on the same short texts (the Go package's benchmark,
//! `go test -bench . ./ffi/go`, uses the same texts). Run:
//! `cargo bench -p lucairn-ffi --bench ffi`.

use std::hint::black_box;
use std::ptr;

use criterion::{Criterion, criterion_group, criterion_main};
use lucairn::{lucairn_engine, lucairn_engine_free, lucairn_engine_new, lucairn_engine_scan, lucairn_finding};
use lucairn_core::Engine;

/// The texts of the Go benchmark: nothing, a short message with one e-mail address.
const TEXTS: &[(&str, &str)] =
    &[("empty", ""), ("short", "Please write to marie.dupont@exemple.fr before Friday, thanks!")];

fn overhead(c: &mut Criterion) {
    let engine = Engine::default();
    let mut handle: *mut lucairn_engine = ptr::null_mut();
    // SAFETY: NULL policy with length 0, valid out pointer.
    let r = unsafe { lucairn_engine_new(ptr::null(), 0, &mut handle) };
    assert_eq!(r as u32, 0);
    let empty = lucairn_finding { start: 0, end: 0, kind: 0, score: 0.0, detector: ptr::null() };
    let mut out = vec![empty; 64];
    let mut buf = Vec::new();
    let mut g = c.benchmark_group("ffi");
    for &(name, text) in TEXTS {
        g.bench_function(format!("rust_scan_into/{name}"), |b| {
            b.iter(|| {
                engine.scan_into(black_box(text), &mut buf);
                buf.len()
            })
        });
        g.bench_function(format!("c_abi_scan/{name}"), |b| {
            b.iter(|| {
                let mut n = 0;
                // SAFETY: live engine, text and buffer valid for their lengths.
                unsafe {
                    lucairn_engine_scan(
                        handle,
                        black_box(text).as_ptr(),
                        text.len(),
                        out.as_mut_ptr(),
                        out.len(),
                        &mut n,
                    )
                };
                n
            })
        });
    }
    g.finish();
    // SAFETY: created above, freed once.
    unsafe { lucairn_engine_free(handle) };
}

criterion_group!(benches, overhead);
criterion_main!(benches);
