"""`Mapping`: entries, JSON, pickling, and sealed tokens."""

from __future__ import annotations

import base64
import copy
import pickle
from typing import Any

import pytest

from lucairn import Engine, LucairnError, Mapping, MappingError, Sanitizer, TokenError

KEY = bytes(range(32))


def sample(engine: Engine) -> Mapping:
    s = Sanitizer(engine)
    s.sanitize("Écrivez à marie.dupont@exemple.fr 😀, Ana Lima, bo@example.net")
    return s.mapping


def test_token_round_trip(engine: Engine) -> None:
    m = sample(engine)
    token = m.seal(KEY, "tenant-a")
    assert isinstance(token, str)
    assert token.isascii() and "=" not in token and "+" not in token and "/" not in token
    for value in ["marie.dupont", "Ana Lima", "bo@example"]:
        assert value not in token
    back = Mapping.open(token, KEY, "tenant-a")
    assert back == m
    assert back.entries == m.entries
    assert back.relink("[EMAIL_ADDRESS_1] 😀") == "marie.dupont@exemple.fr 😀"
    # A random nonce: sealing twice gives two tokens that open to the same mapping.
    again = m.seal(bytearray(KEY), "tenant-a")
    assert again != token
    assert Mapping.open(again, memoryview(KEY), "tenant-a") == m
    # Tokens of an empty mapping work too.
    assert Mapping.open(Mapping().seal(KEY, "t"), KEY, "t") == Mapping()


def test_token_opens_only_for_its_tenant_and_key(engine: Engine) -> None:
    token = sample(engine).seal(KEY, "tenant-a")
    with pytest.raises(TokenError, match="does not open with this key and tenant"):
        Mapping.open(token, KEY, "tenant-b")
    with pytest.raises(TokenError, match="does not open with this key and tenant"):
        Mapping.open(token, bytes(32), "tenant-a")
    with pytest.raises(TokenError, match="does not open"):
        Mapping.open(token, KEY, "")
    # Any changed byte.
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[-1] ^= 1
    altered = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(TokenError):
        Mapping.open(altered, KEY, "tenant-a")
    assert issubclass(TokenError, LucairnError)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "malformed mapping token"),
        ("not a token!", "malformed mapping token"),
        ("AQ", "malformed mapping token"),
        (base64.urlsafe_b64encode(b"\x02" + bytes(60)).decode().rstrip("="), "unsupported mapping token version 2"),
    ],
)
def test_malformed_tokens(token: str, message: str) -> None:
    with pytest.raises(TokenError, match=message):
        Mapping.open(token, KEY, "t")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: m.seal("00" * 32, "t"), TypeError, r"key must be bytes, not str \(for a key in hex"),
        (lambda m: m.seal(KEY[:31], "t"), ValueError, "key must be 32 bytes long, not 31"),
        (lambda m: m.seal(None, "t"), TypeError, "key must be bytes, not NoneType"),
        (lambda m: m.seal(KEY, b"t"), TypeError, "tenant"),
        (lambda m: Mapping.open(b"token", KEY, "t"), TypeError, "token"),
        (lambda m: Mapping.open("token", 1, "t"), TypeError, "key must be bytes, not int"),
        (lambda m: Mapping.open("token", KEY, None), TypeError, "tenant"),
        (lambda m: m.relink(None), TypeError, "text must be str, not NoneType"),
    ],
)
def test_bad_arguments(engine: Engine, call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call(sample(engine))


def test_entries_make_a_mapping(engine: Engine) -> None:
    m = sample(engine)
    assert Mapping(m.entries) == m
    assert Mapping(m) == m
    assert Mapping(iter(m.entries)) == m
    assert Mapping() == Mapping([]) == Mapping(None)
    assert len(Mapping()) == 0 and not Mapping()
    assert m != Mapping(m.entries[:1])
    assert m != m.entries


@pytest.mark.parametrize(
    ("entries", "error", "message"),
    [
        ([{"placeholder": "EMAIL_1", "kind": "EMAIL", "value": "x"}], MappingError, 'invalid placeholder "EMAIL_1"'),
        ([{"placeholder": "[EMAIL_01]", "kind": "EMAIL", "value": "x"}], MappingError, "invalid placeholder"),
        ([{"placeholder": "[EMAIL_1]", "kind": "PHONE", "value": "x"}], MappingError, 'is not of kind "PHONE"'),
        ([{"placeholder": "[A_1]", "kind": "A", "value": "x"}] * 2, MappingError, 'duplicate placeholder "\\[A_1\\]"'),
        ([{"placeholder": "[A_1]", "kind": "A"}], MappingError, r'entries\[0\] has no "value"'),
        ([{"placeholder": "[A_1]", "kind": "A", "value": "x", "extra": 1}], MappingError, "keys other than"),
        ([{"placeholder": "[A_1]", "kind": "A", "value": 5}], TypeError, r'entries\[0\]\["value"\] must be str, not int'),
        ([("[A_1]", "A", "x")], TypeError, r"entries\[0\] must be a dict"),
        ({"[A_1]": "x"}, TypeError, "entries must be a Mapping or an iterable of entry dicts, not dict"),
        ("[A_1]", TypeError, "not str"),
        (5, TypeError, "not int"),
    ],
)
def test_invalid_entries(entries: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        Mapping(entries)


def test_json_and_pickle(engine: Engine) -> None:
    m = sample(engine)
    assert Mapping.from_json(m.to_json()) == m
    assert m.to_json().startswith('[{"placeholder":"[EMAIL_ADDRESS_1]","kind":"EMAIL_ADDRESS","value":')
    assert pickle.loads(pickle.dumps(m)) == m
    assert copy.deepcopy(m) == m
    with pytest.raises(MappingError):
        Mapping.from_json('[{"placeholder": "x", "kind": "X", "value": "v"}]')
    with pytest.raises(MappingError):
        Mapping.from_json("{")


def test_mappings_are_frozen_and_unhashable(engine: Engine) -> None:
    m = sample(engine)
    with pytest.raises(TypeError):
        hash(m)
    with pytest.raises((AttributeError, TypeError)):
        m["[EMAIL_ADDRESS_1]"] = "x"  # type: ignore[index]
