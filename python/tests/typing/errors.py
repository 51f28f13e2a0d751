"""Misuses the stubs must reject; each line is expected to fail type checking."""

from lucairn import Engine, Finding

engine = Engine()
engine.scan(b"bytes")  # E: bytes is not str
engine.scan_batch([1, 2])  # E: ints are not str
n: int = engine.redact("x")  # E: redact returns str
f: Finding = engine.scan("x")  # E: scan returns a list
engine.scan("x")[0].start = 1  # E: read-only property
Engine(42)  # E: not a policy
