"""Streams: for every way of cutting a text into chunks, the output equals the output for
the whole text — with `str` chunks and with `bytes` chunks cut inside characters."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterable
from typing import Union

import pytest

from lucairn import (
    Engine,
    FindingRecord,
    LucairnError,
    Mapping,
    OutputStream,
    Sanitizer,
    StreamRelinker,
    StreamSanitizer,
)

SECRET = bytes(range(32))  # fixed placeholders and value digests, so runs compare equal

Chunk = Union[str, bytes]

#: About 1 KB: three times the hold-back, so streams emit while text is still coming,
#: with findings, two-, three- and four-byte characters, and placeholder-like text.
TEXT = "".join(
    f"Bonjour {i} 😀, écrivez à marie{i}.dupont@exemple.fr ou 東京の tanaka{i}@example.jp; "
    f"Ana Lima (EMP-00421{i}) a dit « [EMAIL_ADDRESS_1] » puis person_1 — Grüße, Ærø. "
    for i in range(6)
) + "Fin: ANA@example.org"

#: The request whose mapping answers are scanned against.
REQUEST = "Mail ana@example.org and bo@example.net, signed Ana Lima (EMP-004211) 😀"

def records(rs: Iterable[FindingRecord]) -> list[tuple[int, str, str, int, int, str, str]]:
    return [(r.message, r.field, r.kind, r.byte_start, r.byte_end, r.placeholder, r.value_digest) for r in rs]


def run(push: Callable[[Chunk], str], finish: Callable[[], str], chunks: Iterable[Chunk]) -> str:
    return "".join(push(c) for c in chunks) + finish()


def cuts(n: int) -> Iterable[int]:
    return range(n + 1)


@pytest.fixture(scope="module")
def answer(custom_engine: Engine) -> str:
    """A model's answer to `REQUEST`: its placeholders in the forms models write them,
    and personal data of the model's own."""
    s = Sanitizer(custom_engine, SECRET)
    s.sanitize(REQUEST)
    email = next(p for p in s.mapping if p.startswith("[EMAIL_ADDRESS_"))
    person = next(p for p in s.mapping if p.startswith("[PERSON_"))
    forms = [email, email[1:-1], email[1:-1].lower(), f"**{email[1:-1].lower()}**", f"`{email}`."]
    return "".join(
        f"Réponse {i} 😀: j'ai écrit à {forms[i % len(forms)]} puis à new{i}@example.com (東京); "
        f"signé {person[1:-1]}. "
        for i in range(8)
    )


def test_text_is_long_enough(custom_engine: Engine) -> None:
    st = StreamSanitizer(Sanitizer(custom_engine, SECRET))
    assert st.max_hold_back == 350
    assert len(TEXT.encode()) > 3 * st.max_hold_back
    first = st.push(TEXT)
    assert first  # something is emitted before the text ends
    assert len(first.encode()) < len(TEXT.encode())
    assert 0 < st.held_back <= st.max_hold_back
    st.finish()
    assert st.held_back == 0


def test_prose_is_held_back_a_few_words(engine: Engine) -> None:
    st = StreamSanitizer(Sanitizer(engine))
    most = 0
    for word in ("thanks for the summary, let us keep the meeting short and focus on the open points " * 4).split(" "):
        st.push(word + " ")
        most = max(most, st.held_back)
    assert most < 200
    st.push("call me at +49 30 1234")
    assert st.held_back >= len("+49 30 1234")


@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_stream_sanitizer_every_cut(custom_engine: Engine, as_bytes: bool) -> None:
    whole = Sanitizer(custom_engine, SECRET)
    expected = whole.sanitize(TEXT, message=2)
    expected_records = records(whole.findings)
    data: Union[str, bytes] = TEXT.encode() if as_bytes else TEXT
    for i in cuts(len(data)):
        s = Sanitizer(custom_engine, SECRET)
        st = StreamSanitizer(s, message=2)
        out = run(st.push, st.finish, [data[:i], data[i:]])
        assert out == expected, i
        assert records(s.findings) == expected_records, i


def test_stream_sanitizer_random_cuts(custom_engine: Engine) -> None:
    expected = Sanitizer(custom_engine, SECRET).sanitize(TEXT)
    data = TEXT.encode()
    rng = random.Random(5)
    for _ in range(300):
        a, b, c = sorted(rng.randrange(len(data) + 1) for _ in range(3))
        st = StreamSanitizer(Sanitizer(custom_engine, SECRET))
        assert run(st.push, st.finish, [data[:a], data[a:b], data[b:c], data[c:]]) == expected, (a, b, c)


def test_stream_sanitizer_byte_by_byte_emits_prefixes(custom_engine: Engine) -> None:
    expected = Sanitizer(custom_engine, SECRET).sanitize(TEXT)
    st = StreamSanitizer(Sanitizer(custom_engine, SECRET))
    out = ""
    for i, b in enumerate(TEXT.encode()):
        out += st.push(bytes([b]))
        # What was emitted is final: a prefix of the output for the whole text.
        assert expected.startswith(out), i
    assert len(out) > len(expected) // 2
    assert out + st.finish() == expected


@pytest.mark.parametrize("mode", ["relink", "keep"])
@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_output_stream_every_cut(custom_engine: Engine, answer: str, mode: str, as_bytes: bool) -> None:
    def sanitizer() -> Sanitizer:
        s = Sanitizer(custom_engine, SECRET)
        s.sanitize(REQUEST)
        return s

    whole = sanitizer()
    expected = whole.scan_output(answer, mode, message=1, field="choices[0].message.content")  # type: ignore[arg-type]
    expected_records = records(whole.output_findings)
    assert "ana@example.org" in expected if mode == "relink" else "ana@example.org" not in expected
    assert "@example.com" not in expected
    data: Union[str, bytes] = answer.encode() if as_bytes else answer
    step = 1 if as_bytes else 2  # str cuts every other character, to keep the run short
    for i in range(0, len(data) + 1, step):
        s = sanitizer()
        o = OutputStream(s, mode, message=1, field="choices[0].message.content")  # type: ignore[arg-type]
        assert run(o.push, o.finish, [data[:i], data[i:]]) == expected, i
        assert records(s.output_findings) == expected_records, i


@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_stream_relinker_every_cut(custom_engine: Engine, answer: str, as_bytes: bool) -> None:
    s = Sanitizer(custom_engine, SECRET)
    clean = s.sanitize(REQUEST)
    text = clean + " / " + answer
    expected = s.relink(text)
    assert expected.startswith(REQUEST + " / ")
    data: Union[str, bytes] = text.encode() if as_bytes else text
    r = StreamRelinker(s.mapping)
    for i in cuts(len(data)):
        # One relinker takes text after text.
        assert run(r.push, r.finish, [data[:i], data[i:]]) == expected, i


def test_stream_relinker_byte_by_byte(custom_engine: Engine) -> None:
    s = Sanitizer(custom_engine)
    text = s.sanitize(TEXT)
    r = StreamRelinker(s)
    out = ""
    for b in text.encode():
        out += r.push(bytes([b]))
        assert TEXT.startswith(out)
    assert out + r.finish() == TEXT
    assert r.mapping == s.mapping


def test_invalid_utf8_reads_as_replacement_characters(engine: Engine) -> None:
    data = b"caf\xc3\xa9 \xff mail a@example.com \xe6\x9d and \xf0\x9f\x98"
    expected = Sanitizer(engine).sanitize(data.decode("utf-8", "replace"))
    assert expected.count("\ufffd") == 3
    for i in cuts(len(data)):
        st = StreamSanitizer(engine)
        assert run(st.push, st.finish, [data[:i], data[i:]]) == expected, i
    r = StreamRelinker(Mapping())
    assert run(r.push, r.finish, [b"\xe2\x82", b"\xac\xe2"]) == "€\ufffd"
    # A str chunk after an incomplete character ends it.
    assert run(r.push, r.finish, [b"x\xc3", "y", bytearray(b"\xc3\xa9"), memoryview(b"!")]) == "x\ufffdyé!"  # type: ignore[list-item]


def test_stream_borrows_the_sanitizer(engine: Engine) -> None:
    s = Sanitizer(engine)
    assert s.sanitize("first a@example.com") == "first [EMAIL_ADDRESS_1]"
    st = StreamSanitizer(s, message=1)
    assert st.sanitizer is s
    assert st.finish() == ""  # nothing open yet
    out = st.push("to a@example.com and b@example.com ")
    assert "open" in repr(st) and "streaming" in repr(s)
    # The sanitizer belongs to the stream until it finishes: readable, not usable.
    with pytest.raises(LucairnError, match="finish"):
        s.sanitize("x")
    with pytest.raises(LucairnError, match="finish"):
        s.finish()
    other = StreamSanitizer(s)
    assert other.finish() == ""
    with pytest.raises(LucairnError, match="finish"):
        other.push("x")
    assert len(s.mapping) == 1
    out += st.finish()
    assert out == "to [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2] "
    assert [(r.message, r.byte_start) for r in s.findings] == [(0, 6), (1, 3), (1, 21)]
    # Free again; the stream takes a new text, with offsets from 0.
    assert s.sanitize("b@example.com") == "[EMAIL_ADDRESS_2]"
    assert st.push("c@example.com") == "" and st.finish() == "[EMAIL_ADDRESS_3]"
    assert s.findings[-1].byte_start == 0


def test_dropped_stream_gives_the_sanitizer_back(engine: Engine) -> None:
    s = Sanitizer(engine)
    st = StreamSanitizer(s)
    st.push("held back a@example.com")
    o = OutputStream(s)
    with pytest.raises(LucairnError):
        o.push("x")
    del st
    gc.collect()
    assert s.sanitize("b@example.com") == "[EMAIL_ADDRESS_1]"  # the held-back text never counted
    assert o.push("[EMAIL_ADDRESS_1]") == "" and o.finish() == "b@example.com"


def test_streams_over_an_engine_make_their_own_sanitizer(engine: Engine) -> None:
    st = StreamSanitizer(engine)
    assert run(st.push, st.finish, ["x@exa", "mple.com"]) == "[EMAIL_ADDRESS_1]"
    assert st.sanitizer.mapping["[EMAIL_ADDRESS_1]"] == "x@example.com"
    o = OutputStream(engine, mode="keep")
    assert o.mode == "keep"
    assert run(o.push, o.finish, ["model said y@exa", "mple.com"]) == "model said [EMAIL_ADDRESS_1]"
    assert len(o.sanitizer.output_findings) == 1
    assert len(o.sanitizer.mapping) == 0


def test_stream_properties(engine: Engine) -> None:
    st = StreamSanitizer(Sanitizer(engine), 4, "tool_calls[0].function.arguments")
    assert (st.message, st.field) == (4, "tool_calls[0].function.arguments")
    assert repr(st) == "<lucairn.StreamSanitizer message=4 field='tool_calls[0].function.arguments'>"
    o = OutputStream(Sanitizer(engine))
    assert (o.mode, o.message, o.field, o.max_hold_back) == ("relink", 0, "content", 350)


def test_bad_arguments(engine: Engine) -> None:
    with pytest.raises(TypeError, match="sanitizer must be a Sanitizer or an Engine, not str"):
        StreamSanitizer("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sanitizer must be a Sanitizer or an Engine"):
        OutputStream(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mode must be"):
        OutputStream(engine, "redact")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="mapping must be a Mapping or an iterable of entry dicts, not int"):
        StreamRelinker(5)  # type: ignore[arg-type]
    for stream in [StreamSanitizer(engine), OutputStream(engine), StreamRelinker(Mapping())]:
        with pytest.raises(TypeError, match="chunk must be str or bytes, not int"):
            stream.push(5)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="chunk must be str or bytes, not list"):
            stream.push(["a"])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            stream.push()  # type: ignore[call-arg]
