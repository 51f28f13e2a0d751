"""`Finding`: immutable, hashable, comparable, picklable, readable."""

from __future__ import annotations

import copy
import pickle

import pytest

from lucairn import Engine, Finding


def sample() -> Finding:
    return Finding("EMAIL_ADDRESS", 10, 33, 12, 35, 0.95, "email")


def test_fields() -> None:
    f = sample()
    assert (f.kind, f.start, f.end, f.byte_start, f.byte_end, f.score, f.detector) == (
        "EMAIL_ADDRESS",
        10,
        33,
        12,
        35,
        0.95,
        "email",
    )


def test_scores_read_as_decimals(engine: Engine) -> None:
    [f] = Engine({"custom": [{"kind": "X_ID", "regex": "X-[0-9]+", "score": 0.7}]}).scan("X-1")
    assert f.score == 0.7  # not 0.699999988079071, the float32 the engine computes
    assert repr(f.score) == "0.7"


def test_frozen() -> None:
    f = sample()
    with pytest.raises(AttributeError):
        f.start = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        f.extra = 1  # type: ignore[attr-defined]


def test_equality_and_hash(engine: Engine) -> None:
    a, b = sample(), sample()
    assert a == b and hash(a) == hash(b)
    assert a != Finding("EMAIL_ADDRESS", 10, 33, 12, 35, 0.9, "email")
    assert a != Finding("URL", 10, 33, 12, 35, 0.95, "email")
    assert a != ("EMAIL_ADDRESS", 10, 33, 12, 35, 0.95, "email")
    assert len({a, b, Finding("URL", 0, 1, 0, 1, 1.0, "url")}) == 2
    text = "é x@example.com"
    assert engine.scan(text) == engine.scan(text)
    assert {engine.scan(text)[0]: 1}[engine.scan(text)[0]] == 1


def test_repr_evaluates_to_an_equal_finding() -> None:
    f = sample()
    assert repr(f) == (
        "Finding(kind='EMAIL_ADDRESS', start=10, end=33, byte_start=12, byte_end=35, score=0.95, detector='email')"
    )
    assert eval(repr(f), {"Finding": Finding}) == f


def test_pickle_and_copy(engine: Engine) -> None:
    [f] = engine.scan("😀 x@example.com")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(f, protocol)) == f
    assert copy.copy(f) == f
    assert copy.deepcopy(f) == f


def test_engine_pickles(engine: Engine) -> None:
    e = Engine({"custom": [{"kind": "X_ID", "regex": "X-[0-9]+"}]})
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.policy_digest == e.policy_digest
    assert e2.scan("X-12") == e.scan("X-12")


def test_constructor_type_errors() -> None:
    with pytest.raises(TypeError):
        Finding(1, 0, 1, 0, 1, 1.0, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Finding("X", "0", 1, 0, 1, 1.0, "x")  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        Finding("X", -1, 1, 0, 1, 1.0, "x")
    with pytest.raises(TypeError):
        Finding("X", 0, 1)  # type: ignore[call-arg]
