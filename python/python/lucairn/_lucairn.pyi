"""Native core of the ``lucairn`` package; import ``lucairn`` instead."""

import os
from collections.abc import Iterable, Mapping
from typing import Any, Final, final

from typing_extensions import Self, TypeAlias

__all__ = ["Engine", "Finding", "LucairnError", "PolicyError", "__version__"]

__version__: Final[str]

_PolicyLike: TypeAlias = Mapping[str, Any] | str | os.PathLike[str] | None

class LucairnError(Exception):
    """Base class of the errors Lucairn raises."""

class PolicyError(LucairnError):
    """A policy cannot be read or compiled."""

@final
class Finding:
    """One piece of personal data found in a text.

    ``text[f.start:f.end]`` is the value; ``byte_start``/``byte_end`` are the same span
    in the text's UTF-8 encoding.
    """

    def __new__(
        cls,
        kind: str,
        start: int,
        end: int,
        byte_start: int,
        byte_end: int,
        score: float,
        detector: str,
    ) -> Self: ...
    @property
    def kind(self) -> str:
        """The kind of data, such as ``"EMAIL_ADDRESS"`` or a kind the policy defines."""
    @property
    def start(self) -> int:
        """Index of the first character in the scanned ``str``."""
    @property
    def end(self) -> int:
        """Index one past the last character in the scanned ``str``."""
    @property
    def byte_start(self) -> int:
        """Offset of the first byte in the text's UTF-8 encoding."""
    @property
    def byte_end(self) -> int:
        """Offset one past the last byte in the text's UTF-8 encoding."""
    @property
    def score(self) -> float:
        """Confidence in ``[0, 1]``."""
    @property
    def detector(self) -> str:
        """Name of the detector that reported the finding."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[Finding], tuple[str, int, int, int, int, float, str]]: ...

@final
class Engine:
    """Finds personal data in text, following a policy.

    ``policy`` is ``None`` (the default policy), a ``dict`` of policy fields, a ``str``
    of policy text (when it contains ``{``, ``=`` or a line break) or else the path of a
    policy file, or a ``pathlib.Path``.
    """

    def __new__(cls, policy: _PolicyLike = None) -> Self: ...
    def scan(self, text: str, /) -> list[Finding]:
        """Finds personal data in ``text``; findings sorted by position."""
    def scan_batch(self, texts: Iterable[str], /) -> list[list[Finding]]:
        """Scans many texts in parallel; one list of findings per text, in order."""
    def redact(self, text: str, /) -> str:
        """``text`` with every finding replaced by ``[KIND]``."""
    @property
    def policy_digest(self) -> str:
        """blake3 digest of the policy's canonical form, lower-case hex."""
    @property
    def policy(self) -> dict[str, Any]:
        """The policy as a ``dict``, in canonical form."""
    @property
    def kinds(self) -> list[str]:
        """The names of the kinds this engine reports."""
    def __reduce__(self) -> tuple[type[Engine], tuple[str]]: ...

def _time_scan(engine: Engine, text: str, iterations: int) -> float:
    """Seconds taken by ``iterations`` scans of ``text`` in Rust (benchmarking support)."""
