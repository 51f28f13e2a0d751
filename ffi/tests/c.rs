use std::path::{Path, PathBuf};
use std::process::Command;

/// The tests in c-tests/, each a program that exits 0 and prints "<name>: ok".
const TESTS: &[&str] = &["scan", "errors", "threads", "sanitize", "certificate"];

fn gcc() -> Option<&'static str> {
    let found = Command::new("gcc").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !found {
        eprintln!("SKIPPED: gcc not found; the C tests need gcc with AddressSanitizer (CI has it)");
    }
    found.then_some("gcc")
}

/// The directory with the library's artifacts: the `deps` folder the test binary lives in.
/// Cargo builds liblucairn.a and liblucairn.so there before the tests, from the same
/// sources; it copies them up to target/debug (or target/release) only on `cargo build`,
/// so the copies there may be older than the code under test.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("deps directory");
    assert!(deps.join("liblucairn.a").exists(), "{} has no liblucairn.a", deps.display());
    deps.to_path_buf()
}

fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("c-tests")
}

fn compile(gcc: &str, name: &str, out: &Path, link: &[&str], extra: &[&str]) {
    compile_file(gcc, name, &sources().join(format!("{name}.c")), out, link, extra)
}

fn compile_file(gcc: &str, name: &str, source: &Path, out: &Path, link: &[&str], extra: &[&str]) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(gcc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-g"])
        .args(extra)
        .arg("-I")
        .arg(manifest.join("include"))
        .arg(source)
        .args(link)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(out)
        .output()
        .expect("run gcc");
    assert!(
        output.status.success(),
        "gcc failed on c-tests/{name}.c:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn run(name: &str, exe: &Path, env: &[(&str, &str)]) {
    let stdout = run_output(name, exe, env);
    assert!(stdout.contains(&format!("{name}: ok")), "c-tests/{name}.c did not finish:\n{stdout}");
}

const SANITIZER_ENV: &[(&str, &str)] = &[
    ("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"),
    ("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
];

const SANITIZER_FLAGS: &[&str] = &["-fsanitize=address,undefined", "-fno-sanitize-recover=all"];

/// Runs a compiled test and returns its standard output; fails on a non-zero exit or a
/// sanitizer report.
fn run_output(name: &str, exe: &Path, env: &[(&str, &str)]) -> String {
    let output = Command::new(exe).envs(env.iter().copied()).output().expect("run the C test");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{name} failed ({}):\n{stdout}{stderr}", output.status);
    // A report from a sanitizer would fail the run, but check the output too.
    assert!(!stderr.contains("Sanitizer"), "{name}:\n{stderr}");
    stdout
}

fn scratch() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("c-tests");
    std::fs::create_dir_all(&out).expect("create the C test directory");
    out
}

/// Compiles `c-tests/<name>.c` against the header and the static library with
/// AddressSanitizer (leak checks included) and UBSan, and runs it.
fn sanitized(name: &str) {
    let Some(gcc) = gcc() else { return };
    let exe = scratch().join(format!("{name}-asan"));
    let lib = lib_dir().join("liblucairn.a");
    let lib = lib.to_str().expect("UTF-8 path");
    compile(gcc, name, &exe, &[lib], SANITIZER_FLAGS);
    run(name, &exe, SANITIZER_ENV);
}

#[test]
fn c_scan() {
    sanitized("scan");
}

#[test]
fn c_errors() {
    sanitized("errors");
}

#[test]
fn c_threads() {
    sanitized("threads");
}

#[test]
fn c_sanitize() {
    sanitized("sanitize");
}

/// The committed certificate vectors: the valid ones verify, the tampered copy fails with
/// a bad signature.
#[test]
fn c_certificate() {
    let Some(gcc) = gcc() else { return };
    let exe = scratch().join("certificate-asan");
    let lib = lib_dir().join("liblucairn.a");
    compile(gcc, "certificate", &exe, &[lib.to_str().expect("UTF-8 path")], SANITIZER_FLAGS);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/certificate");
    let mut env = SANITIZER_ENV.to_vec();
    env.push(("LUCAIRN_TESTDATA", data.to_str().expect("UTF-8 path")));
    run("certificate", &exe, &env);
}

/// The shared library exports the same API: the scan test linked with -llucairn.
#[test]
fn c_scan_shared_library() {
    let Some(gcc) = gcc() else { return };
    let exe = scratch().join("scan-shared");
    let dir = lib_dir();
    let dir = dir.to_str().expect("UTF-8 path");
    compile(gcc, "scan", &exe, &["-L", dir, "-llucairn"], &[]);
    run("scan", &exe, &[("LD_LIBRARY_PATH", dir)]);
}

/// The C examples in ffi/README.md compile without warnings, run cleanly under the
/// sanitizers and print what they say.
#[test]
fn c_readme_examples() {
    let Some(gcc) = gcc() else { return };
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let want: &[&[&str]] =
        &[&["EMAIL_ADDRESS anna@example.org"], &["Reply to [EMAIL_ADDRESS_1]", "Sent to ana@example.org."]];
    let mut rest = readme.as_str();
    let mut i = 0;
    while let Some(start) = rest.find("```c\n") {
        let body = &rest[start + 5..];
        let len = body.find("```").expect("end of a C example");
        let source = scratch().join(format!("readme-{i}.c"));
        std::fs::write(&source, &body[..len]).expect("write the example");
        let exe = scratch().join(format!("readme-{i}-asan"));
        let lib = lib_dir().join("liblucairn.a");
        let name = format!("README example {i}");
        compile_file(gcc, &name, &source, &exe, &[lib.to_str().expect("UTF-8 path")], SANITIZER_FLAGS);
        let stdout = run_output(&name, &exe, SANITIZER_ENV);
        let lines = want.get(i).unwrap_or_else(|| panic!("no expected output for {name}"));
        for line in *lines {
            assert!(stdout.lines().any(|l| l == *line), "{name}: no line {line:?} in\n{stdout}");
        }
        rest = &body[len..];
        i += 1;
    }
    assert_eq!(i, want.len(), "C examples in ffi/README.md");
}

/// The header compiles as C++ too: c-tests/header.cc, built with g++.
#[test]
fn cpp_header() {
    let found = Command::new("g++").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !found {
        eprintln!("SKIPPED: g++ not found");
        return;
    }
    let exe = scratch().join("header-cpp");
    let lib = lib_dir().join("liblucairn.a");
    let output = Command::new("g++")
        .args(["-std=c++11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-g", "-I"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("include"))
        .arg(sources().join("header.cc"))
        .arg(lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("run g++");
    assert!(output.status.success(), "g++ failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let stdout = run_output("c-tests/header.cc", &exe, &[]);
    assert!(stdout.contains("header: ok"), "{stdout}");
}

/// Every C file in c-tests/ is run by one of the tests above.
#[test]
fn every_c_test_is_run() {
    let mut found: Vec<String> = std::fs::read_dir(sources())
        .expect("read c-tests")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".c").map(str::to_string))
        .collect();
    found.sort();
    let mut listed: Vec<String> = TESTS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed);
}
