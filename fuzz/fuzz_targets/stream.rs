//! A stream cut anywhere gives exactly the whole-text output. The first byte chooses the
//! chunk size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lucairn_core::{Engine, Location, Sanitizer, StreamSanitizer};

fuzz_target!(|data: &[u8]| {
    let Some((&size, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    thread_local!(static ENGINE: Engine = Engine::default());
    ENGINE.with(|engine| {
        let whole = Sanitizer::new(engine).sanitize(Location::new(0, "content"), text);
        let mut st = StreamSanitizer::new(Sanitizer::new(engine), Location::new(0, "content"));
        let mut out = String::new();
        for chunk in rest.chunks(usize::from(size).max(1)) {
            out.push_str(&st.push_bytes(chunk));
        }
        out.push_str(&st.finish());
        assert_eq!(out, whole);
    });
});
