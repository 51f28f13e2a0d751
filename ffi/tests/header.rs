use std::path::Path;

/// The header as cbindgen generates it from the sources, cbindgen.toml and the crate
/// version.
fn generate() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    config.after_includes = Some(format!(
        "\n/* The version of this header; lucairn_version() returns the library's. */\n\
         #define LUCAIRN_VERSION \"{}\"\n\
         #define LUCAIRN_VERSION_MAJOR {}\n\
         #define LUCAIRN_VERSION_MINOR {}\n\
         #define LUCAIRN_VERSION_PATCH {}",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
    ));
    let bindings =
        cbindgen::Builder::new().with_config(config).with_crate(dir).generate().expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("header is UTF-8")
}

#[test]
fn header_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/lucairn.h");
    let generated = generate();
    if std::env::var_os("LUCAIRN_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write include/lucairn.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        panic!(
            "ffi/include/lucairn.h is out of date; regenerate it with \
             `LUCAIRN_BLESS=1 cargo test -p lucairn-ffi --test tests header` and commit it"
        );
    }
}
