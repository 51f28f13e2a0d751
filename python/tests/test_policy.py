"""Policies from dicts, text and files; the digest; policy errors."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from lucairn import Engine, LucairnError, PolicyError

from conftest import CUSTOM_POLICY

TOML = """
threshold = 0.6
disable = ["URL"]
deny = ["Falcon"]

[[custom]]
kind = "EMPLOYEE_ID"
regex = "EMP-[0-9]{6}"
"""

DICT: dict[str, Any] = {
    "threshold": 0.6,
    "disable": ["URL"],
    "deny": ["Falcon"],
    "custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}],
}


def kinds_found(e: Engine, text: str) -> list[str]:
    return [f.kind for f in e.scan(text)]


def test_default_policy() -> None:
    default = Engine()
    for same in [Engine(None), Engine({}), Engine(""), Engine("   "), Engine("{}"), Engine("\n")]:
        assert same.policy_digest == default.policy_digest
    assert len(default.policy_digest) == 64
    assert int(default.policy_digest, 16) >= 0


def test_dict_json_toml_and_files_agree(tmp_path: Path) -> None:
    (tmp_path / "p.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(DICT), encoding="utf-8")
    (tmp_path / "policy").write_text(TOML, encoding="utf-8")  # no extension: sniffed
    (tmp_path / "policy2").write_text(json.dumps(DICT), encoding="utf-8")
    engines = [
        Engine(DICT),
        Engine(json.dumps(DICT)),
        Engine(TOML),
        Engine(tmp_path / "p.toml"),
        Engine(tmp_path / "p.json"),
        Engine(str(tmp_path / "p.toml")),
        Engine(str(tmp_path / "policy")),
        Engine(str(tmp_path / "policy2")),
    ]
    digests = {e.policy_digest for e in engines}
    assert len(digests) == 1
    assert digests != {Engine().policy_digest}
    for e in engines:
        assert kinds_found(e, "EMP-123456 on Falcon") == ["EMPLOYEE_ID", "DENY_LIST"]


def test_a_str_without_braces_equals_or_newline_is_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules").write_text('only = ["EMAIL_ADDRESS"]\n', encoding="utf-8")
    assert Engine("rules").kinds == ["EMAIL_ADDRESS"]
    # Text is never mistaken for a path, even when a file of that name exists.
    Path("threshold = 0.9").write_text('only = ["URL"]\n', encoding="utf-8")
    assert Engine("threshold = 0.9").policy["threshold"] == 0.9


def test_mapping_types_are_accepted() -> None:
    class Policy(Mapping[str, Any]):
        def __init__(self, d: dict[str, Any]) -> None:
            self.d = d

        def __getitem__(self, k: str) -> Any:
            return self.d[k]

        def __iter__(self) -> Iterator[str]:
            return iter(self.d)

        def __len__(self) -> int:
            return len(self.d)

    assert Engine(Policy(DICT)).policy_digest == Engine(DICT).policy_digest
    # Tuples are lists.
    assert Engine({"disable": ("URL",)}).policy_digest == Engine({"disable": ["URL"]}).policy_digest


def test_policy_round_trip() -> None:
    e = Engine(CUSTOM_POLICY)
    p = e.policy
    assert p["deny"] == ["Falcon"]
    assert p["custom"][0]["kind"] == "EMPLOYEE_ID"
    assert p["threshold"] == 0.5
    assert Engine({"threshold": 0.6, "thresholds": {"URL": 0.7}}).policy["thresholds"] == {"URL": 0.7}
    assert Engine({"threshold": 0.6}).policy["threshold"] == 0.6
    assert Engine(p).policy_digest == e.policy_digest
    assert Engine(json.dumps(p)).policy_digest == e.policy_digest


def test_policy_digest_is_stable() -> None:
    # Key order and spelling of equal values do not matter.
    a = Engine({"threshold": 0.5, "disable": ["URL"]})
    b = Engine('{"disable": ["URL"], "threshold": 0.50}')
    assert a.policy_digest == b.policy_digest
    assert a.policy_digest != Engine({"disable": ["IBAN"]}).policy_digest


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"treshold": 0.5}, "unknown field `treshold`"),
        ({"threshold": 1.5}, "policy.threshold: threshold 1.5 is outside [0, 1]"),
        ({"threshold": "high"}, "invalid policy"),
        ({"disable": ["NOT_A_KIND"]}, 'policy.disable: unknown kind "NOT_A_KIND"'),
        ({"custom": [{"kind": "X_ID", "regex": "("}]}, "policy.custom[0] (X_ID): invalid regex"),
        ({"custom": [{"kind": "lower", "regex": "x"}]}, "must be UPPER_SNAKE_CASE"),
        ({"custom": [{"kind": "EMPTY"}]}, "policy.custom[0] (EMPTY): needs a non-empty `regex` or `words`"),
        ({"deny": [""]}, "policy.deny[0]: empty term"),
        ({"threshold": 2**70}, 'policy["threshold"]: integer out of range'),
        ({"threshold": math.nan}, 'policy["threshold"]: NaN is not a finite number'),
        ('{"threshold": ', "invalid policy"),
        ("threshold = ", "invalid policy: TOML parse error"),
        ('disable = ["URL"', "invalid policy"),
    ],
)
def test_policy_errors(policy: Any, message: str) -> None:
    with pytest.raises(PolicyError) as info:
        Engine(policy)
    assert message in str(info.value)
    assert isinstance(info.value, LucairnError)


def test_missing_file() -> None:
    with pytest.raises(PolicyError, match=r'cannot read policy file "no-such-policy.toml": No such file') as info:
        Engine("no-such-policy.toml")
    assert "taken as a file path" in str(info.value)
    cause = info.value.__cause__
    assert isinstance(cause, FileNotFoundError)
    assert cause.filename == "no-such-policy.toml"


def test_bad_file(tmp_path: Path) -> None:
    p = tmp_path / "p.json"
    p.write_text("threshold = 0.5", encoding="utf-8")  # TOML in a .json file
    with pytest.raises(PolicyError, match=r'policy file ".*p.json": invalid policy'):
        Engine(p)
    with pytest.raises(PolicyError, match="cannot read policy file"):
        Engine(tmp_path)  # a directory
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"threshold = 0.5 # \xff\n")
    with pytest.raises(PolicyError, match="cannot read policy file"):
        Engine(bad)


def test_policy_type_errors() -> None:
    for bad in [5, 1.5, b"{}", ["URL"], object()]:
        with pytest.raises(TypeError, match="policy must be a dict, policy text, a file path or None"):
            Engine(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="keys must be str, not int"):
        Engine({1: 2})
    with pytest.raises(TypeError, match=r'policy\["allow"\]\[0\]: a policy holds only .* not bytes'):
        Engine({"allow": [b"x"]})


def test_self_containing_policy_is_an_error() -> None:
    d: dict[str, Any] = {}
    d["custom"] = d
    with pytest.raises(PolicyError, match="nests more than 32 levels deep"):
        Engine(d)
    lst: list[Any] = []
    lst.append(lst)
    with pytest.raises(PolicyError, match="nests more than"):
        Engine({"allow": lst})


def test_path_like_objects(tmp_path: Path) -> None:
    class P(os.PathLike[str]):
        def __fspath__(self) -> str:
            return str(tmp_path / "p.toml")

    (tmp_path / "p.toml").write_text(TOML, encoding="utf-8")
    assert Engine(P()).policy_digest == Engine(TOML).policy_digest
