"""Scanning: values, offsets in Python strings and in UTF-8, redaction, batches."""

from __future__ import annotations

import pytest

import lucairn
from lucairn import Engine, Finding


def values(text: str, findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in findings]


def check_offsets(text: str, findings: list[Finding]) -> None:
    """Both kinds of offsets address the same value."""
    data = text.encode("utf-8", "surrogatepass")
    for f in findings:
        assert data[f.byte_start : f.byte_end] == text[f.start : f.end].encode("utf-8", "surrogatepass")
        assert len(data[: f.byte_start].decode("utf-8", "surrogatepass")) == f.start


def test_version() -> None:
    assert lucairn.__version__.count(".") == 2
    assert lucairn.__version__ == lucairn._lucairn.__version__


def test_scan_finds_an_email(engine: Engine) -> None:
    text = "Contact: marie.dupont@exemple.fr, thanks"
    [f] = engine.scan(text)
    assert f.kind == "EMAIL_ADDRESS"
    assert text[f.start : f.end] == "marie.dupont@exemple.fr"
    assert (f.start, f.end) == (f.byte_start, f.byte_end) == (9, 32)
    assert f.detector == "email"
    assert 0.5 <= f.score <= 1.0


def test_nothing_to_find(engine: Engine) -> None:
    assert engine.scan("") == []
    assert engine.scan("Nothing personal here, just prose about the weather.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Écrivez à marie.dupont@exemple.fr s'il vous plaît",  # accents (two bytes)
        "Straße 5, Grüße an anna.müller@example.de",  # accents in the value's neighbourhood
        "😀 mail 👩‍👩‍👧 bob@example.com 🇩🇪 done",  # emoji: four bytes, ZWJ sequences, flags
        "連絡先：tanaka@example.jp までお願いします",  # CJK (three bytes), full-width colon
        "e\u0301 combining then x@example.org",  # combining mark: two code points
        "\u0000nul and \u2028 separators y@example.net",
    ],
)
def test_offsets_in_non_ascii_text(engine: Engine, text: str) -> None:
    findings = engine.scan(text)
    assert [k for k, _ in values(text, findings)] == ["EMAIL_ADDRESS"]
    value = values(text, findings)[0][1]
    assert "@example" in value or "@exemple" in value
    assert " " not in value
    check_offsets(text, findings)


def test_offsets_of_many_findings_in_one_text(custom_engine: Engine) -> None:
    text = "東京123 と Zürich Ost 😀 Ærø, 社員 EMP-004211 (employee) et Falcon; ünïcödé a@example.com"
    findings = custom_engine.scan(text)
    assert values(text, findings) == [
        ("CITY_CODE", "東京123"),
        ("PROJECT", "Zürich Ost"),
        ("PROJECT", "Ærø"),
        ("EMPLOYEE_ID", "EMP-004211"),
        ("DENY_LIST", "Falcon"),
        ("EMAIL_ADDRESS", "a@example.com"),
    ]
    check_offsets(text, findings)
    assert findings[0].byte_end == len("東京123".encode())
    starts = [f.start for f in findings]
    assert starts == sorted(starts)


def test_lone_surrogates_are_scanned(engine: Engine) -> None:
    # Lone surrogates cannot be encoded as UTF-8; the text is scanned all the same.
    text = "bad \ud800 data, mail x@example.com \udfff end"
    findings = engine.scan(text)
    assert values(text, findings) == [("EMAIL_ADDRESS", "x@example.com")]
    check_offsets(text, findings)
    assert engine.redact(text) == "bad \ud800 data, mail [EMAIL_ADDRESS] \udfff end"


def test_large_text_offsets(engine: Engine) -> None:
    # Long enough to be scanned with the GIL released.
    parts = [f"Grüße {i} 😀 user{i}@example.com 東京. " for i in range(2000)]
    text = "".join(parts)
    findings = engine.scan(text)
    assert len(findings) == 2000
    assert [text[f.start : f.end] for f in findings] == [f"user{i}@example.com" for i in range(2000)]
    check_offsets(text, findings[-3:])


def test_redact(engine: Engine, custom_engine: Engine) -> None:
    assert engine.redact("mail bo@example.com now") == "mail [EMAIL_ADDRESS] now"
    assert engine.redact("") == ""
    assert custom_engine.redact("Ærø: EMP-123456 😀") == "[PROJECT]: [EMPLOYEE_ID] 😀"
    big = "à b@example.com " * 2000
    assert engine.redact(big) == "à [EMAIL_ADDRESS] " * 2000


def test_str_subclasses_are_accepted(engine: Engine) -> None:
    class Text(str):
        pass

    [f] = engine.scan(Text("to: a@example.com"))
    assert f.start == 4


def test_scan_batch_equals_scan(custom_engine: Engine) -> None:
    texts = [
        "Ærø and EMP-000001",
        "",
        "nothing here",
        "😀 q@example.com",
        "東京123 " * 3000,  # large
    ]
    batch = custom_engine.scan_batch(texts)
    assert batch == [custom_engine.scan(t) for t in texts]
    assert len(batch[-1]) == 3000


def test_scan_batch_takes_any_iterable(engine: Engine) -> None:
    texts = [f"n{i}@example.com" for i in range(50)]
    expected = [engine.scan(t) for t in texts]
    assert engine.scan_batch(tuple(texts)) == expected
    assert engine.scan_batch(t for t in texts) == expected
    assert engine.scan_batch(iter(texts)) == expected
    assert engine.scan_batch([]) == []


def test_kinds(engine: Engine, custom_engine: Engine) -> None:
    assert "EMAIL_ADDRESS" in engine.kinds
    assert custom_engine.kinds[-4:] == ["EMPLOYEE_ID", "CITY_CODE", "PROJECT", "DENY_LIST"]
    only = Engine({"only": ["EMAIL_ADDRESS", "URL"]})
    assert only.kinds == ["EMAIL_ADDRESS", "URL"]
    assert "URL" not in Engine({"disable": ["URL"]}).kinds


def test_disabled_kind_is_not_reported() -> None:
    e = Engine({"disable": ["EMAIL_ADDRESS"]})
    assert e.scan("a@example.com") == []


def test_allow_list() -> None:
    e = Engine({"allow": ["support@example.com"]})
    assert values("support@example.com x@example.com", e.scan("support@example.com x@example.com")) == [
        ("EMAIL_ADDRESS", "x@example.com")
    ]


def test_engine_repr(engine: Engine) -> None:
    assert repr(engine) == f'<lucairn.Engine policy_digest="{engine.policy_digest}">'
