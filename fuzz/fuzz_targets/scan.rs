//! Any text, with the default policy: no panic; spans in bounds, on char boundaries,
//! sorted and never overlapping; scores in [0, 1].
#![no_main]

use libfuzzer_sys::fuzz_target;
use lucairn_core::Engine;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    thread_local!(static ENGINE: Engine = Engine::default());
    ENGINE.with(|engine| {
        let mut last = 0;
        for f in engine.scan(text) {
            assert!(f.span.start < f.span.end && f.span.end <= text.len());
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            assert!(f.span.start >= last);
            assert!((0.0..=1.0).contains(&f.score));
            last = f.span.end;
        }
    });
});
