"""The command line: ``python -m lucairn scan|redact [FILE...]`` and
``python -m lucairn verify CERTIFICATE --key HEX``.

It mirrors the ``lucairn`` binary's ``scan`` and ``redact`` commands (same options, same
output, UTF-8 byte offsets) and does all detection through :class:`lucairn.Engine`;
``verify`` is the offline part of the binary's ``verify`` (keys given with ``--key``),
through :class:`lucairn.Certificate`. Exit status: 0 ok, 1 findings present with
``--fail-on-findings`` or a certificate that does not verify, 2 usage or input error (one
line on standard error).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from lucairn import Certificate, CertificateError, Engine, Finding, LucairnError, PublicKey, __version__


class InputError(Exception):
    """Input that cannot be read: reported on one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m lucairn",
        description="Lucairn finds personal data in text, and keeps it out of LLM traffic.",
    )
    p.add_argument("--version", action="version", version=f"lucairn {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def inputs(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("files", nargs="*", metavar="FILE", help="files to read; standard input when none")
        sp.add_argument("--policy", metavar="FILE", help="policy file (JSON or TOML)")
        sp.add_argument(
            "--input",
            choices=["text", "jsonl"],
            default="text",
            help="each file is one text (text) or holds one JSON object per line (jsonl)",
        )
        sp.add_argument("--field", default="text", help="with --input jsonl: the field that holds the text")

    scan = sub.add_parser("scan", help="find personal data and list it")
    inputs(scan)
    scan.add_argument("--format", choices=["table", "jsonl"], default="table", help="output format")
    scan.add_argument("--fail-on-findings", action="store_true", help="exit with status 1 when anything is found")

    redact = sub.add_parser("redact", help="print the text with every finding replaced by [KIND]")
    inputs(redact)

    verify = sub.add_parser("verify", help="check a certificate's signature offline")
    verify.add_argument("certificate", metavar="CERTIFICATE", help="the certificate: a JSON file, or - for standard input")
    verify.add_argument(
        "--key",
        action="append",
        required=True,
        metavar="HEX|FILE",
        help="a public key: 64 hex characters, or a file holding them (repeatable)",
    )
    return p


def _keys(specs: Sequence[str]) -> list[PublicKey]:
    keys = []
    for spec in specs:
        try:
            keys.append(PublicKey(spec.strip()))
            continue
        except ValueError:
            pass
        try:
            text = Path(spec).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputError(f"--key {json.dumps(spec)} is neither 64 hex characters nor a readable file") from None
        try:
            keys.append(PublicKey(text.strip()))
        except ValueError:
            raise InputError(f"{spec}: does not hold a 64-character hex public key") from None
    return keys


def _verify(args: argparse.Namespace, out: IO[str]) -> int:
    keys = _keys(args.key)
    if args.certificate == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(args.certificate).read_bytes()
        except OSError as e:
            raise InputError(f"cannot read {args.certificate}: {e.strerror or e}") from None
    try:
        cert = Certificate.from_json(data).verify(keys)
    except CertificateError as e:
        out.flush()
        print(f"lucairn: certificate does not verify: {e}", file=sys.stderr)
        return 1
    total = sum(cert.counts.values())
    out.write(f"OK: certificate {cert.id} verifies (key {cert.key_id}, issued {cert.issued_at}, {total} findings)\n")
    return 0


class _Source:
    def __init__(self, name: str | None, data: bytes) -> None:
        self.name = name
        self.data = data

    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"{self.name or 'standard input'} is not valid UTF-8 (at byte {e.start})") from None

    def json_lines(self, field: str) -> Iterator[tuple[Any, str, dict[str, Any]]]:
        """``(id, text, object)`` for each non-blank line."""
        name = self.name or "stdin"
        for i, raw in enumerate(self.data.split(b"\n"), start=1):
            line = raw[:-1] if raw.endswith(b"\r") else raw
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise InputError(f"{name}:{i}: invalid JSON: {e}") from None
            if not isinstance(obj, dict):
                raise InputError(f"{name}:{i}: not a JSON object")
            if field not in obj:
                raise InputError(f"{name}:{i}: no field {json.dumps(field)}")
            text = obj[field]
            if not isinstance(text, str):
                raise InputError(f"{name}:{i}: field {json.dumps(field)} is not a string")
            yield obj.get("id"), text, obj


def _sources(files: Sequence[str]) -> list[_Source]:
    if not files:
        return [_Source(None, sys.stdin.buffer.read())]
    out = []
    for f in files:
        try:
            out.append(_Source(f, Path(f).read_bytes()))
        except OSError as e:
            raise InputError(f"cannot read {f}: {e.strerror or e}") from None
    return out


def _display(value: str) -> str:
    """A value on one line: control characters escaped, long values shortened."""
    out = []
    for i, c in enumerate(value):
        if i == 60:
            out.append("…")
            break
        if c in "\t\r\n":
            out.append({"\t": "\\t", "\r": "\\r", "\n": "\\n"}[c])
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0:
            out.append(f"\\u{{{ord(c):x}}}")
        else:
            out.append(c)
    return "".join(out)


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _finding_out(f: Finding) -> dict[str, Any]:
    return {"kind": f.kind, "start": f.byte_start, "end": f.byte_end, "score": round(f.score, 3)}


def _scan(engine: Engine, args: argparse.Namespace, srcs: list[_Source], out: IO[str]) -> int:
    table = args.format == "table"
    header = [table]
    found_any = False

    def row(f: Finding, label: str, value: str) -> None:
        if header[0]:
            header[0] = False
            out.write(f"{'KIND':<28} {'START':>10} {'END':>10} {'SCORE':>6}  VALUE\n")
        out.write(f"{f.kind:<28} {f.byte_start:>10} {f.byte_end:>10} {f.score:>6.2f}  {label}{_display(value)}\n")

    # Read and check every input before printing anything.
    texts = [s.text() for s in srcs] if args.input == "text" else None
    lines = [list(s.json_lines(args.field)) for s in srcs] if args.input == "jsonl" else None
    for n, src in enumerate(srcs):
        prefix = f"{src.name}:" if src.name is not None else ""
        if texts is not None:
            text = texts[n]
            for f in engine.scan(text):
                found_any = True
                value = text[f.start : f.end]
                if table:
                    row(f, prefix, value)
                else:
                    line = _finding_out(f) | {"text": value}
                    if src.name is not None:
                        line["file"] = src.name
                    out.write(_dumps(line) + "\n")
        elif lines is not None:
            batch = lines[n]
            results = engine.scan_batch(t for _, t, _ in batch)
            for (id_, text, _), findings in zip(batch, results):
                found_any = found_any or bool(findings)
                if table:
                    label = f"{prefix}{_dumps(id_) if id_ is not None else ''} "
                    for f in findings:
                        row(f, label, text[f.start : f.end])
                else:
                    out.write(_dumps({"id": id_, "findings": [_finding_out(f) for f in findings]}) + "\n")
    return 1 if found_any and args.fail_on_findings else 0


def _redact(engine: Engine, args: argparse.Namespace, srcs: list[_Source], out: IO[str]) -> int:
    for src in srcs:
        if args.input == "text":
            out.write(engine.redact(src.text()))
        else:
            for _, text, obj in src.json_lines(args.field):
                obj[args.field] = engine.redact(text)
                out.write(_dumps(obj) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    # UTF-8 output whatever the locale, as the binary writes it.
    buffer = getattr(sys.stdout, "buffer", None)
    out: IO[str] = io.TextIOWrapper(buffer, encoding="utf-8", newline="") if buffer is not None else sys.stdout
    try:
        if args.command == "verify":
            return _verify(args, out)
        engine = Engine(Path(args.policy)) if args.policy is not None else Engine()
        srcs = _sources(args.files)
        if args.command == "scan":
            return _scan(engine, args, srcs, out)
        return _redact(engine, args, srcs, out)
    except (InputError, LucairnError) as e:
        out.flush()
        print(f"lucairn: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other tools do.
        _silence_stdout()
        return 1
    finally:
        if isinstance(out, io.TextIOWrapper):
            try:
                out.detach()  # flushes
            except BrokenPipeError:
                _silence_stdout()


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
