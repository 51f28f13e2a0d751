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


def sanitise_and_certify(engine: Engine, texts: list[str], key: lucairn.SigningKey) -> lucairn.Certificate:
    s = lucairn.Sanitizer(engine, tenant_secret=bytes(32))
    sent = [s.sanitize(t, message=i, field="content") for i, t in enumerate(texts)]
    shown: str = s.scan_output("answer", mode="keep")
    back: str = s.relink(sent[0]) + lucairn.relink(shown, s.mapping) + lucairn.relink(shown, s.mapping.entries)
    records: list[lucairn.FindingRecord] = s.findings
    spans = [(r.message, r.field, r.kind, r.byte_start, r.byte_end, r.placeholder, r.value_digest) for r in records]
    token: str = s.mapping.seal(bytes(32), "tenant")
    try:
        m: lucairn.Mapping = lucairn.Mapping.open(token, bytes(32), "tenant")
        value: str | None = m.get("[EMAIL_ADDRESS_1]")
        placeholders: list[str] = list(m)
        print(value, placeholders, m.entries[0]["kind"] if m else "")
    except lucairn.TokenError:
        pass
    done: lucairn.Sanitized = s.finish()
    counts: dict[str, int] = done.counts
    print(back, spans, counts)
    return (
        lucairn.CertificateBuilder("gateway.example", 1740830400)
        .engine(engine)
        .sanitized(done)
        .request("".join(sent).encode())
        .previous(None)
        .sign(key)
    )


def stream(engine: Engine, chunks: list[bytes]) -> str:
    st = lucairn.StreamSanitizer(lucairn.Sanitizer(engine), message=0)
    out = "".join(st.push(c) for c in chunks) + st.finish()
    o = lucairn.OutputStream(st.sanitizer, mode="relink")
    out += o.push("text") + o.finish()
    r = lucairn.StreamRelinker(st.sanitizer.mapping)
    return out + r.push(b"bytes") + r.push("str") + r.finish()


def check(json_text: str, keys: list[lucairn.PublicKey]) -> int | None:
    try:
        cert = lucairn.Certificate.from_json(json_text).verify(keys)
    except lucairn.UnknownKeyError as e:
        print(e.key_id)
        return None
    except lucairn.BadSignatureError:
        return None
    except lucairn.ChainBreakError as e:
        return e.index
    except lucairn.CertificateError:
        raise
    digest: str | None = cert.previous
    print(digest, cert.counts.get("PERSON", 0), cert.findings[0].byte_start, cert.digest(), cert.signing_bytes())
    return len(lucairn.verify_chain([json_text, cert], lucairn.PublicKey("00" * 32)))


signing = lucairn.SigningKey.generate()
print(sanitise_and_certify(engine, ["a@example.com"], signing).to_json(), stream(engine, [b"x"]))
print(check("{}", [signing.public_key]), signing.public_key.key_id, signing.seed.hex())
