"""Misuses the stubs must reject; each line is expected to fail type checking."""

from lucairn import Engine, Finding

engine = Engine()
engine.scan(b"bytes")  # E: bytes is not str
engine.scan_batch([1, 2])  # E: ints are not str
n: int = engine.redact("x")  # E: redact returns str
f: Finding = engine.scan("x")  # E: scan returns a list
engine.scan("x")[0].start = 1  # E: read-only property
Engine(42)  # E: not a policy

from lucairn import Certificate, Mapping, Sanitizer, StreamSanitizer

s = Sanitizer(engine, tenant_secret="secret")  # E: the secret is bytes
s.sanitize("x", message="0")  # E: message is an int
s.scan_output("x", mode="redact")  # E: not a mode
t: bytes = s.mapping.seal(b"k" * 32, "t")  # E: a token is str
Mapping.open("token", b"k" * 32)  # E: the tenant is missing
StreamSanitizer(s).push(5)  # E: chunks are str or bytes
Certificate.from_json("{}").issuer = "x"  # E: read-only property
Certificate("{}")  # E: no constructor: use from_json
