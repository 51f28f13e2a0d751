"""A program written against the public API, checked with mypy --strict."""

from __future__ import annotations

from pathlib import Path

import lucairn
from lucairn import Engine, Finding, LucairnError, PolicyError


def emails(engine: Engine, text: str) -> list[str]:
    return [text[f.start : f.end] for f in engine.scan(text) if f.kind == "EMAIL_ADDRESS"]


def summary(findings: list[Finding]) -> dict[str, float]:
    out: dict[str, float] = {}
    for f in findings:
        out[f.kind] = max(out.get(f.kind, 0.0), f.score)
        span: tuple[int, int] = (f.byte_start, f.byte_end)
        assert span[0] <= span[1]
        detector: str = f.detector
        assert detector
    return out


def build(policy: dict[str, object] | str | Path | None) -> Engine | None:
    try:
        return Engine(policy)
    except PolicyError as e:
        print(f"bad policy: {e}")
    except LucairnError:
        raise
    return None


engine = Engine({"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]})
batch: list[list[Finding]] = engine.scan_batch(t for t in ["a@example.com", "EMP-000001"])
redacted: str = engine.redact("a@example.com")
digest: str = engine.policy_digest
kinds: list[str] = engine.kinds
version: str = lucairn.__version__
print(emails(engine, "x@example.com"), summary(batch[0]), build(Path("p.toml")), redacted, digest, kinds, version)
