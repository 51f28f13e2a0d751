//! Sanitise + certify a 2 KB, 10-finding request, and re-link its answer.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lucairn_core::{CertificateBuilder, Engine, Location, OutputMode, Policy, Sanitizer, SigningKey, StreamRelinker};

fn engine() -> Engine {
    let policy = Policy::from_json(
        r#"{"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}, {"kind": "PROJECT", "words": ["Falcon", "Heron"]}]}"#,
    )
    .expect("policy");
    Engine::new(policy).expect("engine")
}

/// About 2 KB of chat text with 10 findings (6 e-mail addresses, 2 employee ids, 2 project names).
fn request() -> String {
    let filler = "Thanks for the update on the quarterly numbers; the second region still looks low to me and \
                  I would like to understand why before we send anything to the board. ";
    let values = [
        "ana.lima@example.org",
        "EMP-004211",
        "bo.chen@mail.example.com",
        "Falcon",
        "carla+ops@example.net",
        "EMP-771100",
        "d.okafor@example.co.uk",
        "Heron",
        "eve@example.com",
        "frank.mueller@example.de",
    ];
    let mut t = String::new();
    for v in values {
        t += filler;
        t += "Please loop in ";
        t += v;
        t += ". ";
    }
    t.truncate(t.len().min(2100));
    t
}

fn bench(c: &mut Criterion) {
    let engine = engine();
    let text = request();
    assert_eq!(engine.scan(&text).len(), 10, "the request must have 10 findings");
    let key = SigningKey::from_seed(&[7; 32]);
    let secret = [1u8; 32];

    c.bench_function("scan-only/2KB-10-findings", |b| b.iter(|| black_box(engine.scan(black_box(&text)))));

    c.bench_function("sanitize/2KB-10-findings", |b| {
        b.iter(|| {
            let mut s = Sanitizer::with_secret(&engine, &secret);
            black_box(s.sanitize(Location::new(0, "content"), black_box(&text)))
        })
    });

    c.bench_function("sanitize+certificate/2KB-10-findings", |b| {
        b.iter(|| {
            let mut s = Sanitizer::with_secret(&engine, &secret);
            let sent = s.sanitize(Location::new(0, "content"), black_box(&text));
            let done = s.finish();
            let cert = CertificateBuilder::new("bench.example", "2025-03-01T12:00:00Z")
                .engine(&engine)
                .sanitized(&done)
                .request(sent.as_bytes())
                .response(b"answer")
                .sign(&key)
                .expect("sign");
            black_box(cert.to_json())
        })
    });

    let mut s = Sanitizer::with_secret(&engine, &secret);
    let sent = s.sanitize(Location::new(0, "content"), &text);
    // The model's answer: the sanitised text with some placeholders reformatted.
    let answer = sent.replacen("]", "]**", 3).replace("[EMPLOYEE_ID", "EMPLOYEE_ID").replace("_ID_", "_id_");
    let mapping = s.mapping().clone();
    c.bench_function("relink/2KB-10-placeholders", |b| b.iter(|| black_box(mapping.relink(black_box(&answer)))));
    c.bench_function("scan_output/2KB-10-placeholders", |b| {
        b.iter(|| {
            let mut o = s.clone();
            black_box(o.scan_output(Location::new(0, "content"), black_box(&answer), OutputMode::Relink))
        })
    });
    c.bench_function("stream_relink/2KB-in-8-byte-chunks", |b| {
        b.iter(|| {
            let mut r = StreamRelinker::new(mapping.clone());
            let mut n = 0;
            for chunk in answer.as_bytes().chunks(8) {
                n += r.push_bytes(chunk).len();
            }
            n + r.finish().len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
