"""Typing: the stubs match the native module, and a sample program type-checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lucairn

HERE = Path(__file__).parent / "typing"


def mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--strict", "--python-version", "3.10", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def test_sample_program_type_checks(tmp_path: Path) -> None:
    r = mypy(str(HERE / "sample.py"), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_stubs_reject_misuse(tmp_path: Path) -> None:
    src = HERE / "errors.py"
    r = mypy(str(src), cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    expected = {i for i, line in enumerate(src.read_text().splitlines(), start=1) if "# E:" in line}
    reported = {int(line.split(":")[1]) for line in r.stdout.splitlines() if ": error:" in line}
    assert reported == expected, r.stdout


def test_stubs_match_the_native_module(tmp_path: Path) -> None:
    # mypy's stubtest imports the module and compares every name, signature and
    # property with the stub.
    r = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "lucairn._lucairn"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_package_is_typed() -> None:
    assert (Path(lucairn.__file__).parent / "py.typed").is_file()
    assert (Path(lucairn.__file__).parent / "_lucairn.pyi").is_file()


def test_docstrings() -> None:
    import doctest

    result = doctest.testmod(lucairn, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
    documented: list[object] = [lucairn.Engine, lucairn.Finding, lucairn.Engine.scan, lucairn.Engine.scan_batch]
    documented += [lucairn.Engine.redact, lucairn.relink, lucairn.verify_chain]
    for name in lucairn.__all__:
        obj = getattr(lucairn, name)
        if isinstance(obj, type) and not issubclass(obj, Exception):
            documented.append(obj)
            documented += [v for k, v in vars(obj).items() if not k.startswith("_") and callable(v)]
    for obj in documented:
        assert obj.__doc__ and len(obj.__doc__) > 20, obj
