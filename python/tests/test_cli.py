"""`python -m lucairn`: the same commands and output as the `lucairn` binary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "lucairn", *args], input=stdin, capture_output=True, timeout=60, check=False
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    p = tmp_path / "mail.txt"
    p.write_text("Grüße an anna@example.com\nund bob@example.org\n", encoding="utf-8")
    return p


def test_scan_table(sample: Path) -> None:
    r = run("scan", str(sample))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0].split() == ["KIND", "START", "END", "SCORE", "VALUE"]
    assert lines[1].split()[:3] == ["EMAIL_ADDRESS", "11", "27"]  # UTF-8 byte offsets
    assert lines[1].endswith(f"{sample}:anna@example.com")
    assert len(lines) == 3


def test_scan_jsonl(sample: Path) -> None:
    r = run("scan", "--format", "jsonl", str(sample))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [(x["kind"], x["start"], x["end"], x["text"], x["file"]) for x in rows] == [
        ("EMAIL_ADDRESS", 11, 27, "anna@example.com", str(sample)),
        ("EMAIL_ADDRESS", 32, 47, "bob@example.org", str(sample)),
    ]
    assert list(rows[0]) == ["kind", "start", "end", "score", "text", "file"]
    data = sample.read_bytes()
    assert data[11:27] == b"anna@example.com"


def test_scan_stdin_and_policy(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text('[[custom]]\nkind = "EMPLOYEE_ID"\nregex = "EMP-[0-9]{6}"\n', encoding="utf-8")
    r = run("scan", "--format", "jsonl", "--policy", str(policy), stdin="Ærø EMP-123456".encode())
    assert r.returncode == 0, r.stderr
    [row] = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert row == {"kind": "EMPLOYEE_ID", "start": 6, "end": 16, "score": 0.8, "text": "EMP-123456"}


def test_scan_jsonl_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": 1, "text": "a@example.com"}\n\n{"id": "b", "text": "none"}\r\n{"text": "😀 c@example.com"}\n',
        encoding="utf-8",
    )
    r = run("scan", "--input", "jsonl", "--format", "jsonl", str(src))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [row["id"] for row in rows] == [1, "b", None]
    assert [[(f["kind"], f["start"], f["end"]) for f in row["findings"]] for row in rows] == [
        [("EMAIL_ADDRESS", 0, 13)],
        [],
        [("EMAIL_ADDRESS", 5, 18)],
    ]


def test_redact(sample: Path, tmp_path: Path) -> None:
    r = run("redact", str(sample))
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "Grüße an [EMAIL_ADDRESS]\nund [EMAIL_ADDRESS]\n"
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 7, "body": "to a@example.com", "n": 1}\n', encoding="utf-8")
    r = run("redact", "--input", "jsonl", "--field", "body", str(src))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"id": 7, "body": "to [EMAIL_ADDRESS]", "n": 1}


def test_fail_on_findings(sample: Path, tmp_path: Path) -> None:
    assert run("scan", "--fail-on-findings", str(sample)).returncode == 1
    clean = tmp_path / "clean.txt"
    clean.write_text("nothing", encoding="utf-8")
    r = run("scan", "--fail-on-findings", str(clean))
    assert r.returncode == 0
    assert r.stdout == b""


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["scan", "/no/such/file"], b"", "lucairn: error: cannot read /no/such/file: No such file or directory"),
        (["scan"], b"ok \xff bad", "lucairn: error: standard input is not valid UTF-8 (at byte 3)"),
        (["scan", "--policy", "/no/such/policy.toml"], b"", 'lucairn: error: cannot read policy file "/no/such/policy.toml": No such file or directory\n'),
        (["scan", "--input", "jsonl"], b"[1]\n", "lucairn: error: stdin:1: not a JSON object"),
        (["scan", "--input", "jsonl"], b"{\n", "lucairn: error: stdin:1: invalid JSON"),
        (["scan", "--input", "jsonl"], b'{"x": 1}\n', 'lucairn: error: stdin:1: no field "text"'),
        (["scan", "--input", "jsonl"], b'{"text": 1}\n', 'lucairn: error: stdin:1: field "text" is not a string'),
    ],
)
def test_errors(args: list[str], stdin: bytes, message: str) -> None:
    r = run(*args, stdin=stdin)
    assert r.returncode == 2
    assert r.stdout == b""
    err = r.stderr.decode()
    assert err.startswith(message), err
    assert err.count("\n") == 1


def test_bad_policy_file(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text('disable = ["NOPE"]\n', encoding="utf-8")
    r = run("scan", "--policy", str(policy), stdin=b"x")
    assert r.returncode == 2
    assert 'policy.disable: unknown kind "NOPE"' in r.stderr.decode()


def test_usage() -> None:
    r = run()
    assert r.returncode == 2
    assert b"usage:" in r.stderr
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.decode().startswith("lucairn ")


VECTORS = Path(__file__).resolve().parents[2] / "testdata" / "certificate"
PUBLIC = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"


def test_verify(tmp_path: Path) -> None:
    r = run("verify", str(VECTORS / "certificate.json"), "--key", PUBLIC)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == (
        "OK: certificate a0a1a2a3a4a5a6a7a8a9aaabacadaeaf verifies "
        "(key 98ba85304ac639f0, issued 2025-03-01T12:00:00Z, 3 findings)\n"
    )
    key_file = tmp_path / "key.pub"
    key_file.write_text(PUBLIC + "\n")
    pretty = (VECTORS / "certificate.pretty.json").read_bytes()
    r = run("verify", "-", "--key", "00" * 31 + "zz", "--key", str(key_file), stdin=pretty)
    assert r.returncode == 2 and b"neither 64 hex characters nor a readable file" in r.stderr
    r = run("verify", "-", "--key", str(key_file), stdin=pretty)
    assert r.returncode == 0, r.stderr


def test_verify_failures() -> None:
    r = run("verify", str(VECTORS / "certificate.tampered.json"), "--key", PUBLIC)
    assert (r.returncode, r.stdout) == (1, b"")
    assert r.stderr.decode() == "lucairn: certificate does not verify: bad signature\n"
    other = "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"  # the key of seed 0
    r = run("verify", str(VECTORS / "certificate.json"), "--key", other)
    assert r.returncode == 1
    assert r.stderr.decode() == "lucairn: certificate does not verify: unknown signing key 98ba85304ac639f0\n"
    r = run("verify", "-", "--key", PUBLIC, stdin=b"{}")
    assert r.returncode == 1 and b"malformed certificate" in r.stderr
    r = run("verify", "/nonexistent/cert.json", "--key", PUBLIC)
    assert r.returncode == 2 and r.stderr.startswith(b"lucairn: error: cannot read /nonexistent/cert.json")
    assert run("verify", str(VECTORS / "certificate.json")).returncode == 2  # --key is required
