"""Exception classes and wrong argument types: clear errors, never a crash."""

from __future__ import annotations

from typing import Any

import pytest

import lucairn
from lucairn import Engine, LucairnError, PolicyError


def test_hierarchy() -> None:
    assert issubclass(LucairnError, Exception)
    assert issubclass(PolicyError, LucairnError)
    assert LucairnError.__module__ == "lucairn"
    assert PolicyError.__module__ == "lucairn"
    assert lucairn.LucairnError is lucairn._lucairn.LucairnError
    assert PolicyError.__doc__ and "policy" in PolicyError.__doc__


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"a@example.com", 'text must be str, not bytes (decode it first, for example data.decode("utf-8"))'),
        (bytearray(b"x"), "text must be str, not bytearray (decode it first"),
        (None, "text must be str, not NoneType"),
        (42, "text must be str, not int"),
        (["a@example.com"], "text must be str, not list"),
    ],
)
def test_scan_and_redact_want_str(engine: Engine, value: Any, message: str) -> None:
    with pytest.raises(TypeError) as info:
        engine.scan(value)
    assert str(info.value) == message or str(info.value).startswith(message)
    with pytest.raises(TypeError, match="text must be str"):
        engine.redact(value)


def test_scan_batch_wants_an_iterable_of_str(engine: Engine) -> None:
    with pytest.raises(TypeError, match=r"not a single str \(use scan\(\) for one text\)"):
        engine.scan_batch("a@example.com")
    with pytest.raises(TypeError, match="texts must be an iterable of str, not int"):
        engine.scan_batch(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"texts\[2\] must be str, not bytes"):
        engine.scan_batch(["a", "b", b"c"])  # type: ignore[list-item]


def test_errors_from_the_iterable_propagate(engine: Engine) -> None:
    def texts() -> Any:
        yield "a@example.com"
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        engine.scan_batch(texts())


def test_argument_count(engine: Engine) -> None:
    with pytest.raises(TypeError):
        engine.scan()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        engine.scan("a", "b")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        engine.scan(text="a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Engine({}, {})  # type: ignore[call-arg]
    assert Engine(policy={"disable": ["URL"]}).kinds.count("URL") == 0


def test_engine_cannot_be_subclassed_or_mutated(engine: Engine) -> None:
    with pytest.raises(TypeError):

        class Sub(Engine):  # type: ignore[misc]
            pass

    with pytest.raises(AttributeError):
        engine.policy_digest = "x"  # type: ignore[misc]
