//! Per-detector tables: `t!(text => [(KIND, "value"), ...])` asserts exactly these
//! findings (kind name and value, in order) with the default policy.

use std::sync::OnceLock;

use lucairn_core::Engine;

pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(Engine::default)
}

/// (kind name, value) of every finding in `text`, after checking the invariants.
pub fn found(engine: &Engine, text: &str) -> Vec<(String, String)> {
    let f = engine.scan(text);
    crate::invariants::check(text, &f);
    f.iter().map(|f| (engine.kind_name(f.kind).to_string(), f.as_str(text).to_string())).collect()
}

macro_rules! t {
    ($text:expr => [$(($kind:expr, $val:expr)),* $(,)?]) => {{
        let want: Vec<(String, String)> = vec![$(($kind.to_string(), $val.to_string())),*];
        assert_eq!(crate::detectors::found(crate::detectors::engine(), $text), want, "text: {:?}", $text);
    }};
}

mod address;
mod date;
mod email;
mod finance;
mod national;
mod net;
mod phone;
mod secret;
mod words;
