"""`Sanitizer`: placeholders in, original values back out, records of what was replaced."""

from __future__ import annotations

import json
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

import lucairn
from lucairn import Engine, FindingRecord, LucairnError, Mapping, Sanitized, Sanitizer

VECTORS = Path(__file__).resolve().parents[2] / "testdata" / "certificate"

#: Texts with personal data among non-ASCII letters, emoji, CJK, combining marks and
#: text that looks like placeholders or contains the sanitiser's escape character.
TEXTS = [
    "Écrivez à marie.dupont@exemple.fr s'il vous plaît",
    "Straße 5, Grüße an anna.müller@example.de und anna.müller@example.de",
    "😀 mail 👩‍👩‍👧 bob@example.com 🇩🇪 done, again bob@example.com",
    "連絡先：tanaka@example.jp までお願いします、社員 EMP-004211",
    "e\u0301 combining then x@example.org and Ærø",
    "שלום x@example.org مرحبا y@example.net",
    "I typed [EMAIL_ADDRESS_1] myself, and email_address_2, then a@example.com",
    "mail a@example.com then [EMAIL_ADDRESS_1] again and EMAIL_ADDRESS_1.",
    "word\u2060joiner \u2060\u2060 and [PERSON_\u20601] near c@example.com",
    "Ana Lima (EMP-000001) wrote to ana@example.org on 東京",
    "",
    "nothing personal here at all",
]


def fresh(engine: Engine, secret: bytes | None = None) -> Sanitizer:
    return Sanitizer(engine, secret)


@pytest.mark.parametrize("text", TEXTS)
def test_relink_inverts_sanitize(custom_engine: Engine, text: str) -> None:
    s = fresh(custom_engine)
    clean = s.sanitize(text)
    for f in custom_engine.scan(text):
        # Every value the engine finds is gone (each spelling of one value included).
        assert text[f.start : f.end] not in clean
    assert s.relink(clean) == text
    assert lucairn.relink(clean, s.mapping) == text
    assert lucairn.relink(clean, s.mapping.entries) == text
    assert s.mapping.relink(clean) == text


def test_placeholders_are_shared_within_a_request(engine: Engine) -> None:
    s = Sanitizer(engine)
    a = s.sanitize("Mail ana@example.org and bo@example.net")
    b = s.sanitize("Did ANA@example.org answer?", message=1)
    assert a == "Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2]"
    assert b == "Did [EMAIL_ADDRESS_1] answer?"
    # One value spelled two ways shares a placeholder, which re-links to the first
    # spelling: the one exception to the exact inverse, by design.
    assert s.mapping["[EMAIL_ADDRESS_1]"] == "ana@example.org"
    assert s.relink(b) == "Did ana@example.org answer?"
    assert [(r.message, r.field, r.placeholder) for r in s.findings] == [
        (0, "content", "[EMAIL_ADDRESS_1]"),
        (0, "content", "[EMAIL_ADDRESS_2]"),
        (1, "content", "[EMAIL_ADDRESS_1]"),
    ]


def test_records_give_utf8_offsets(custom_engine: Engine) -> None:
    text = "Grüße 😀 東京 an anna@example.de, EMP-123456"
    s = Sanitizer(custom_engine)
    s.sanitize(text, message=3, field="content[1].text")
    data = text.encode()
    values = [data[r.byte_start : r.byte_end].decode() for r in s.findings]
    assert values == ["anna@example.de", "EMP-123456"]
    r = s.findings[0]
    assert (r.message, r.field, r.kind, r.placeholder) == (3, "content[1].text", "EMAIL_ADDRESS", "[EMAIL_ADDRESS_1]")
    assert r.value_digest == s.value_digest("anna@example.de")
    assert len(r.value_digest) == 64
    assert r.to_dict() == {
        "location": {"message": 3, "field": "content[1].text"},
        "kind": "EMAIL_ADDRESS",
        "start": r.byte_start,
        "end": r.byte_end,
        "placeholder": "[EMAIL_ADDRESS_1]",
        "value_digest": r.value_digest,
    }


def test_scan_output_relinks_or_keeps(engine: Engine) -> None:
    s = Sanitizer(engine)
    s.sanitize("Mail ana@example.org and bo@example.net")
    answer = "I wrote to EMAIL_ADDRESS_1 and cc'd new@example.com."
    assert s.scan_output(answer) == "I wrote to ana@example.org and cc'd [EMAIL_ADDRESS_3]."
    assert s.scan_output(answer, mode="keep", message=1) == "I wrote to EMAIL_ADDRESS_1 and cc'd [EMAIL_ADDRESS_3]."
    # A value the model produced never re-links.
    assert s.relink("[EMAIL_ADDRESS_3]") == "[EMAIL_ADDRESS_3]"
    assert [(r.message, r.placeholder) for r in s.output_findings] == [(0, "[EMAIL_ADDRESS_3]"), (1, "[EMAIL_ADDRESS_3]")]
    assert len(s.findings) == 2


def test_tenant_secret_gives_stable_placeholders(engine: Engine) -> None:
    secret = bytes(range(32))
    a = Sanitizer(engine, secret).sanitize("to ana@example.org")
    b = Sanitizer(engine, tenant_secret=secret).sanitize("cc bo@example.net, to ana@example.org")
    pa = a.removeprefix("to ")
    assert pa.startswith("[EMAIL_ADDRESS_") and len(pa) == len("[EMAIL_ADDRESS_123456]")
    assert b.endswith(pa)
    other = Sanitizer(engine, bytes(32)).sanitize("to ana@example.org")
    assert other != a  # another tenant, another number (1 in 900,000 to collide)


def test_value_digests_match_the_test_vectors(engine: Engine) -> None:
    expected = json.loads((VECTORS / "expected.json").read_text())
    s = Sanitizer(engine, bytes.fromhex(expected["tenant_secret"]))
    assert s.value_digest_key == bytes.fromhex(expected["value_digest_key"])
    for v in expected["values"]:
        assert s.value_digest(v["value"]) == v["value_digest"]
    # Without a tenant secret, the key is random per sanitizer.
    assert Sanitizer(engine).value_digest_key != Sanitizer(engine).value_digest_key


def test_finish(engine: Engine) -> None:
    s = Sanitizer(engine)
    s.sanitize("a@example.com and b@example.com")
    s.scan_output("also c@example.com", mode="keep")
    done = s.finish()
    assert isinstance(done, Sanitized)
    assert done.counts == {"EMAIL_ADDRESS": 2}
    assert len(done.findings) == 2 and len(done.output_findings) == 1
    assert done.mapping == s.mapping
    assert list(done.mapping) == ["[EMAIL_ADDRESS_1]", "[EMAIL_ADDRESS_2]"]
    # Reading still works; changing does not.
    assert s.findings == done.findings
    assert s.relink("[EMAIL_ADDRESS_2]") == "b@example.com"
    assert len(s.value_digest("x")) == 64
    with pytest.raises(LucairnError, match="finished"):
        s.sanitize("x")
    with pytest.raises(LucairnError, match="finished"):
        s.scan_output("x")
    with pytest.raises(LucairnError, match="finished"):
        s.finish()
    assert "finished" in repr(s)


def test_large_texts(engine: Engine) -> None:
    # Long enough to be processed with the GIL released.
    text = "".join(f"Grüße {i} 😀 user{i}@example.com 東京. " for i in range(2000))
    s = Sanitizer(engine)
    clean = s.sanitize(text)
    assert "@example.com" not in clean
    assert len(s.mapping) == 2000
    assert s.relink(clean) == text
    assert s.scan_output(clean) == text


def test_lone_surrogates_read_as_replacement_characters(engine: Engine) -> None:
    s = Sanitizer(engine)
    clean = s.sanitize("bad \ud800 mail x@example.com")
    assert clean == "bad \ufffd mail [EMAIL_ADDRESS_1]"
    assert s.relink(clean) == "bad \ufffd mail x@example.com"


def test_threads_share_one_sanitizer(engine: Engine) -> None:
    s = Sanitizer(engine)
    texts = [f"user{i % 50}@example.com and Grüße {i} " * (300 if i % 8 == 0 else 1) for i in range(200)]
    results: dict[int, str] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(k: int) -> None:
        try:
            start.wait()
            for i in range(k, len(texts), 8):
                results[i] = s.sanitize(texts[i], message=i)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # One placeholder per distinct value, whatever the order the threads ran in.
    assert len(s.mapping) == 50
    assert all(s.relink(results[i]) == texts[i] for i in range(len(texts)))


def test_mapping_is_a_copy_and_reads_like_a_dict(engine: Engine) -> None:
    s = Sanitizer(engine)
    s.sanitize("a@example.com")
    m = s.mapping
    s.sanitize("b@example.com")
    assert len(m) == 1 and len(s.mapping) == 2
    assert "[EMAIL_ADDRESS_1]" in m and "[EMAIL_ADDRESS_2]" not in m and 5 not in m
    assert m.get("[EMAIL_ADDRESS_1]") == "a@example.com"
    assert m.get("[EMAIL_ADDRESS_9]") is None
    assert m.get("[EMAIL_ADDRESS_9]", "?") == "?"
    with pytest.raises(KeyError):
        m["[EMAIL_ADDRESS_9]"]
    assert dict(zip(m, [m[p] for p in m])) == {"[EMAIL_ADDRESS_1]": "a@example.com"}
    assert m.entries == [{"placeholder": "[EMAIL_ADDRESS_1]", "kind": "EMAIL_ADDRESS", "value": "a@example.com"}]
    assert "a@example.com" not in repr(m)
    assert repr(m) == "<lucairn.Mapping with 1 placeholder>"


def test_records_are_values() -> None:
    r = FindingRecord(0, "content", "EMAIL_ADDRESS", 5, 20, "[EMAIL_ADDRESS_1]", "ab" * 32)
    assert r == FindingRecord(0, "content", "EMAIL_ADDRESS", 5, 20, "[EMAIL_ADDRESS_1]", "ab" * 32)
    assert r != FindingRecord(1, "content", "EMAIL_ADDRESS", 5, 20, "[EMAIL_ADDRESS_1]", "ab" * 32)
    assert len({r, pickle.loads(pickle.dumps(r))}) == 1
    assert eval(repr(r), {"FindingRecord": FindingRecord}) == r
    with pytest.raises(AttributeError):
        r.byte_start = 3  # type: ignore[misc]


def test_repr(engine: Engine) -> None:
    s = Sanitizer(engine, bytes(32))
    s.sanitize("a@example.com")
    assert repr(s) == "<lucairn.Sanitizer tenant_secret=True placeholders=1 findings=1>"
    assert s.engine is engine


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: s.sanitize(b"a@example.com"), TypeError, "text must be str, not bytes"),
        (lambda s: s.sanitize(None), TypeError, "text must be str, not NoneType"),
        (lambda s: s.sanitize("x", field=3), TypeError, "field"),
        (lambda s: s.sanitize("x", message="0"), TypeError, "message"),
        (lambda s: s.sanitize("x", message=-1), OverflowError, "message"),
        (lambda s: s.scan_output("x", mode="both"), ValueError, 'mode must be "relink" or "keep", not "both"'),
        (lambda s: s.scan_output("x", mode=1), TypeError, "mode"),
        (lambda s: s.scan_output(1), TypeError, "text must be str, not int"),
        (lambda s: s.relink(["x"]), TypeError, "text must be str, not list"),
        (lambda s: s.value_digest(b"x"), TypeError, "value must be str, not bytes"),
    ],
)
def test_bad_arguments(engine: Engine, call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call(Sanitizer(engine))


def test_bad_constructor_arguments(engine: Engine) -> None:
    with pytest.raises(TypeError, match="engine"):
        Sanitizer("engine")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"tenant_secret must be bytes, not str \(for a key in hex"):
        Sanitizer(engine, "00" * 32)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tenant_secret must be 32 bytes long, not 16"):
        Sanitizer(engine, bytes(16))
    Sanitizer(engine, bytearray(32))
    Sanitizer(engine, memoryview(bytes(32)))


def test_relink_function_wants_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping must be a Mapping or an iterable of entry dicts, not int"):
        lucairn.relink("x", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not dict"):
        lucairn.relink("x", {"[EMAIL_ADDRESS_1]": "a@example.com"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text must be str"):
        lucairn.relink(b"x", Mapping())  # type: ignore[arg-type]
