use std::io::Write;
use std::process::{Command, Output, Stdio};

fn lucairn(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lucairn"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lucairn");
    // The program may exit before reading its input (a bad policy): a broken pipe is fine.
    if let Err(e) = child.stdin.take().expect("stdin").write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

#[test]
fn scan_table_and_jsonl() {
    let o = lucairn(&["scan"], b"Mail anna@example.org please");
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("KIND"));
    assert!(out.contains("EMAIL_ADDRESS") && out.contains("anna@example.org"));

    let o = lucairn(&["scan", "--format", "jsonl"], "é anna@example.org".as_bytes());
    assert_eq!(
        stdout(&o),
        "{\"kind\":\"EMAIL_ADDRESS\",\"start\":3,\"end\":19,\"score\":0.95,\"text\":\"anna@example.org\"}\n"
    );
}

#[test]
fn scan_jsonl_input_keeps_ids() {
    let input = b"{\"id\": \"a1\", \"text\": \"x bo@example.com\"}\n\n{\"text\": \"nothing\"}\n";
    let o = lucairn(&["scan", "--input", "jsonl", "--field", "text", "--format", "jsonl"], input);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        stdout(&o),
        "{\"id\":\"a1\",\"findings\":[{\"kind\":\"EMAIL_ADDRESS\",\"start\":2,\"end\":16,\"score\":0.95}]}\n{\"id\":null,\"findings\":[]}\n"
    );
}

#[test]
fn redact_text_and_jsonl() {
    let o = lucairn(&["redact"], b"to bo@example.com.\n");
    assert_eq!(stdout(&o), "to [EMAIL_ADDRESS].\n");
    let o = lucairn(&["redact", "--input", "jsonl", "--field", "body"], b"{\"body\": \"bo@example.com\", \"n\": 1}\n");
    assert_eq!(stdout(&o), "{\"body\":\"[EMAIL_ADDRESS]\",\"n\":1}\n");
}

#[test]
fn exit_codes() {
    assert_eq!(lucairn(&["scan", "--fail-on-findings"], b"bo@example.com").status.code(), Some(1));
    assert_eq!(lucairn(&["scan", "--fail-on-findings"], b"nothing").status.code(), Some(0));
    for (args, input, msg) in [
        (&["scan", "/nonexistent/file"][..], &b""[..], "cannot read /nonexistent/file"),
        (&["scan"][..], &b"\xff\xfe"[..], "not valid UTF-8"),
        (&["scan", "--input", "jsonl"][..], &b"{oops\n"[..], "stdin:1: invalid JSON"),
        (&["scan", "--input", "jsonl"][..], &b"{\"text\": 3}\n"[..], "field \"text\" is not a string"),
        (&["scan", "--bogus"][..], &b""[..], "--bogus"),
    ] {
        let o = lucairn(args, input);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
    }
}

#[test]
fn policy_file_is_applied_and_checked() {
    let dir = std::env::temp_dir().join(format!("lucairn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let good = dir.join("p.toml");
    std::fs::write(&good, "disable = [\"EMAIL_ADDRESS\"]\n").expect("write");
    let o = lucairn(&["scan", "--format", "jsonl", "--policy", good.to_str().expect("path")], b"bo@example.com");
    assert!(o.status.success() && o.stdout.is_empty());
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"disable\": [\"NOPE\"]}").expect("write");
    let o = lucairn(&["scan", "--policy", bad.to_str().expect("path")], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown kind \"NOPE\""));
    let _ = std::fs::remove_dir_all(&dir);
}
