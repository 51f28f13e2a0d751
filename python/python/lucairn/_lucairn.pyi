"""Native core of the ``lucairn`` package; import ``lucairn`` instead."""

import os
from collections.abc import Iterable, Iterator
from collections.abc import Mapping as _AbcMapping
from typing import Any, ClassVar, Final, Literal, TypeVar, final, overload

from typing_extensions import Self, TypeAlias

__all__ = [
    "BadSignatureError",
    "Certificate",
    "CertificateBuilder",
    "CertificateError",
    "ChainBreakError",
    "Engine",
    "Finding",
    "FindingRecord",
    "LucairnError",
    "MalformedCertificateError",
    "Mapping",
    "MappingError",
    "OutputStream",
    "PolicyError",
    "PublicKey",
    "Sanitized",
    "Sanitizer",
    "SigningKey",
    "StreamRelinker",
    "StreamSanitizer",
    "TokenError",
    "UnknownKeyError",
    "__version__",
    "relink",
    "verify_chain",
]

__version__: Final[str]

_T = TypeVar("_T")
_PolicyLike: TypeAlias = _AbcMapping[str, Any] | str | os.PathLike[str] | None
_Bytes: TypeAlias = bytes | bytearray | memoryview
_Mode: TypeAlias = Literal["relink", "keep"]
_Entries: TypeAlias = Iterable[_AbcMapping[str, str]]
_KeyLike: TypeAlias = PublicKey | str | _Bytes
_Keys: TypeAlias = _KeyLike | Iterable[_KeyLike]

class LucairnError(Exception):
    """Base class of the errors Lucairn raises."""

class PolicyError(LucairnError):
    """A policy cannot be read or compiled."""

class MappingError(LucairnError):
    """Entries do not make a valid mapping."""

class TokenError(LucairnError):
    """A mapping token cannot be opened (another key or tenant, altered, not a token)."""

class CertificateError(LucairnError):
    """Base class of the errors about certificates."""

class MalformedCertificateError(CertificateError):
    """Not a certificate, a field in the wrong format, or an unknown format version."""

class UnknownKeyError(CertificateError):
    """None of the given public keys has the certificate's key id."""

    key_id: str

class BadSignatureError(CertificateError):
    """The signature does not match the content."""

class ChainBreakError(CertificateError):
    """A certificate does not quote the digest of the one before it."""

    index: int

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

@final
class FindingRecord:
    """What a replaced value was, without the value (the record certificates carry).

    ``byte_start``/``byte_end`` are offsets in the UTF-8 encoding of the original text.
    """

    def __new__(
        cls,
        message: int,
        field: str,
        kind: str,
        byte_start: int,
        byte_end: int,
        placeholder: str,
        value_digest: str,
    ) -> Self: ...
    @property
    def message(self) -> int:
        """Index of the message (of the choice, for answers) the value was in."""
    @property
    def field(self) -> str:
        """Field path inside the message, such as ``"content"``."""
    @property
    def kind(self) -> str:
        """The kind's name, such as ``"EMAIL_ADDRESS"``."""
    @property
    def byte_start(self) -> int:
        """Offset of the value's first byte in the UTF-8 encoding of the original text."""
    @property
    def byte_end(self) -> int:
        """Offset one past the value's last byte in the UTF-8 encoding of the original text."""
    @property
    def placeholder(self) -> str:
        """The placeholder that replaced the value."""
    @property
    def value_digest(self) -> str:
        """Keyed blake3 digest of the value's UTF-8 bytes, lower-case hex."""
    def to_dict(self) -> dict[str, Any]:
        """The record as in a certificate's JSON (``start``/``end`` are byte offsets)."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[FindingRecord], tuple[int, str, str, int, int, str, str]]: ...

@final
class Mapping:
    """The placeholders of a request and the values they stand for; reads like a
    read-only ``dict`` from placeholder to value."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __new__(cls, entries: Mapping | _Entries | None = None) -> Self: ...
    @property
    def entries(self) -> list[dict[str, str]]:
        """``{"placeholder", "kind", "value"}`` dicts, in the order given out."""
    @overload
    def get(self, placeholder: str, default: None = None) -> str | None: ...
    @overload
    def get(self, placeholder: str, default: _T) -> str | _T: ...
    def relink(self, text: str, /) -> str:
        """Restores the original values of this mapping's placeholders in ``text``."""
    def seal(self, key: _Bytes, tenant: str) -> str:
        """Seals the mapping into an encrypted, URL-safe token for ``tenant``."""
    @classmethod
    def open(cls, token: str, key: _Bytes, tenant: str) -> Mapping:
        """Opens a token made by ``seal``; raises ``TokenError``."""
    def to_json(self) -> str:
        """The mapping as a JSON array of entries."""
    @classmethod
    def from_json(cls, json: str, /) -> Mapping:
        """A mapping from the JSON ``to_json`` writes."""
    def __len__(self) -> int: ...
    def __contains__(self, placeholder: object, /) -> bool: ...
    def __getitem__(self, placeholder: str, /) -> str: ...
    def __iter__(self) -> Iterator[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[type[Mapping], tuple[list[dict[str, str]]]]: ...

def relink(text: str, mapping: Mapping | _Entries) -> str:
    """Restores the original values in ``text`` with ``mapping``."""

@final
class Sanitized:
    """The outcome of a request's sanitisation, from ``Sanitizer.finish()``."""

    @property
    def mapping(self) -> Mapping:
        """Placeholders and the values they stand for."""
    @property
    def findings(self) -> list[FindingRecord]:
        """One record per value replaced in the inputs, in order."""
    @property
    def output_findings(self) -> list[FindingRecord]:
        """One record per value replaced in answers."""
    @property
    def counts(self) -> dict[str, int]:
        """Number of values replaced in the inputs, per kind."""

@final
class Sanitizer:
    """Replaces personal data by placeholders in the texts of one request, and restores
    it in answers."""

    def __new__(cls, engine: Engine, tenant_secret: _Bytes | None = None) -> Self: ...
    def sanitize(self, text: str, /, message: int = 0, field: str = "content") -> str:
        """Replaces personal data in ``text`` by placeholders."""
    def scan_output(self, text: str, /, mode: _Mode = "relink", message: int = 0, field: str = "content") -> str:
        """Scans a model's answer: placeholders restored or kept, new personal data replaced."""
    def relink(self, text: str, /) -> str:
        """Restores the original values of this sanitizer's placeholders in ``text``."""
    @property
    def mapping(self) -> Mapping:
        """The mapping so far (a copy)."""
    @property
    def findings(self) -> list[FindingRecord]:
        """Records of the values replaced in inputs so far."""
    @property
    def output_findings(self) -> list[FindingRecord]:
        """Records of the values replaced in answers so far."""
    @property
    def engine(self) -> Engine:
        """The engine this sanitizer scans with."""
    @property
    def value_digest_key(self) -> bytes:
        """The 32-byte key of the value digests in the records."""
    def value_digest(self, value: str, /) -> str:
        """The keyed digest records carry for ``value``."""
    def finish(self) -> Sanitized:
        """Ends the request: the mapping and every record."""

@final
class StreamSanitizer:
    """Sanitises a text that arrives in chunks; the output equals ``sanitize`` of the whole."""

    def __new__(cls, sanitizer: Sanitizer | Engine, message: int = 0, field: str = "content") -> Self: ...
    def push(self, chunk: str | _Bytes, /) -> str:
        """Adds a chunk; returns the sanitised text that can be emitted now."""
    def finish(self) -> str:
        """Ends the text: the rest of the output."""
    @property
    def sanitizer(self) -> Sanitizer:
        """The sanitizer, with the mapping and records so far."""
    @property
    def message(self) -> int:
        """The message index recorded with each finding."""
    @property
    def field(self) -> str:
        """The field path recorded with each finding."""
    @property
    def max_hold_back(self) -> int:
        """The most bytes of input held back (outside an open PEM block)."""
    @property
    def held_back(self) -> int:
        """The bytes of input received and not emitted yet."""

@final
class OutputStream:
    """Scans a model's answer that arrives in chunks; the output equals ``scan_output``."""

    def __new__(
        cls, sanitizer: Sanitizer | Engine, mode: _Mode = "relink", message: int = 0, field: str = "content"
    ) -> Self: ...
    def push(self, chunk: str | _Bytes, /) -> str:
        """Adds a chunk; returns the text that can be emitted now."""
    def finish(self) -> str:
        """Ends the answer: the rest of the output."""
    @property
    def sanitizer(self) -> Sanitizer:
        """The sanitizer, with the mapping and records so far."""
    @property
    def mode(self) -> _Mode:
        """``"relink"`` or ``"keep"``."""
    @property
    def message(self) -> int:
        """The choice index recorded with each finding."""
    @property
    def field(self) -> str:
        """The field path recorded with each finding."""
    @property
    def max_hold_back(self) -> int:
        """The most bytes of input held back (outside an open PEM block)."""
    @property
    def held_back(self) -> int:
        """The bytes of input received and not emitted yet."""

@final
class StreamRelinker:
    """Re-links a text that arrives in chunks; the output equals ``mapping.relink`` of the whole."""

    def __new__(cls, mapping: Mapping | Sanitizer | _Entries) -> Self: ...
    def push(self, chunk: str | _Bytes, /) -> str:
        """Adds a chunk; returns the re-linked text that can be emitted now."""
    def finish(self) -> str:
        """Ends the text: the rest."""
    @property
    def mapping(self) -> Mapping:
        """The mapping."""

@final
class PublicKey:
    """An ed25519 public key that verifies certificates (64 hex digits or 32 bytes)."""

    def __new__(cls, key: str | _Bytes, /) -> Self: ...
    @property
    def key_id(self) -> str:
        """The key id certificates name it by."""
    def to_bytes(self) -> bytes:
        """The 32 bytes of the key."""
    def to_hex(self) -> str:
        """The key as 64 lower-case hex digits."""
    def __bytes__(self) -> bytes: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[PublicKey], tuple[str]]: ...

@final
class SigningKey:
    """An ed25519 key that signs certificates, from its 32-byte seed."""

    def __new__(cls, seed: _Bytes, /) -> Self: ...
    @classmethod
    def generate(cls) -> SigningKey:
        """A new key from the operating system's randomness."""
    @property
    def seed(self) -> bytes:
        """The 32-byte seed, to store the key."""
    @property
    def public_key(self) -> PublicKey:
        """The public key that verifies this key's signatures."""
    @property
    def key_id(self) -> str:
        """The key id."""

@final
class Certificate:
    """A signed certificate: proof of what was sanitised in a request."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    @classmethod
    def from_json(cls, json: str | _Bytes, /) -> Certificate:
        """Reads a certificate from its JSON; raises ``MalformedCertificateError``."""
    def verify(self, public_keys: _Keys, /) -> Self:
        """Checks the format and the signature; returns the certificate."""
    def to_json(self) -> str:
        """The certificate as canonical JSON, signature included."""
    def to_dict(self) -> dict[str, Any]:
        """The certificate as a ``dict``."""
    def signing_bytes(self) -> bytes:
        """The bytes the signature covers."""
    def digest(self) -> str:
        """blake3 of ``to_json()``, hex: what the next certificate quotes as ``previous``."""
    @property
    def version(self) -> int:
        """Format version."""
    @property
    def id(self) -> str:
        """128 random bits, 32 lower-case hex digits."""
    @property
    def issuer(self) -> str:
        """Who issued it."""
    @property
    def key_id(self) -> str:
        """Id of the signing key."""
    @property
    def issued_at(self) -> str:
        """When, as RFC 3339 UTC."""
    @property
    def engine_version(self) -> str:
        """Version of the engine that sanitised."""
    @property
    def policy_digest(self) -> str:
        """blake3 of the policy's canonical form, hex."""
    @property
    def request_digest(self) -> str:
        """blake3 of the exact bytes sent upstream, hex."""
    @property
    def response_digest(self) -> str | None:
        """blake3 of the exact bytes of the upstream answer, hex, or ``None``."""
    @property
    def upstream_error(self) -> dict[str, int | str | None] | None:
        """How the upstream call failed (``{"status": int | None, "kind": str}``), or ``None``."""
    @property
    def previous(self) -> str | None:
        """Digest of the previous certificate of the chain, or ``None``."""
    @property
    def findings(self) -> list[FindingRecord]:
        """What was replaced in the inputs."""
    @property
    def output_findings(self) -> list[FindingRecord]:
        """What was replaced in the answer."""
    @property
    def counts(self) -> dict[str, int]:
        """Number of ``findings`` per kind."""
    @property
    def signature(self) -> str:
        """ed25519 signature, 128 lower-case hex digits."""
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

def verify_chain(certificates: Iterable[str | _Bytes | Certificate], public_keys: _Keys) -> list[Certificate]:
    """Verifies a chain of certificates, oldest first; raises ``ChainBreakError``."""

@final
class CertificateBuilder:
    """Builds and signs a certificate; each method returns the builder."""

    def __new__(cls, issuer: str, issued_at: str | int | None = None) -> Self: ...
    def engine(self, engine: Engine, /) -> Self:
        """Quotes the engine's version and policy digest."""
    def engine_version(self, version: str, /) -> Self:
        """Sets the engine version."""
    def policy_digest(self, digest: str, /) -> Self:
        """Sets the policy digest (hex)."""
    def sanitized(self, sanitized: Sanitized, /) -> Self:
        """Takes the records of a finished sanitisation."""
    def findings(self, records: Iterable[FindingRecord], /) -> Self:
        """Sets the records of the inputs."""
    def output_findings(self, records: Iterable[FindingRecord], /) -> Self:
        """Sets the records of the answer."""
    def request(self, data: str | _Bytes, /) -> Self:
        """The exact bytes sent upstream."""
    def response(self, data: str | _Bytes, /) -> Self:
        """The exact bytes of the upstream answer."""
    def upstream_error(self, status: int | None, kind: str, /) -> Self:
        """Records that the upstream call failed (a status or ``None``, and a kind)."""
    def previous(self, previous: Certificate | str | None, /) -> Self:
        """The previous certificate of the chain, or its digest, or ``None``."""
    def id(self, id: _Bytes, /) -> Self:
        """Uses this 16-byte id instead of a random one."""
    def sign(self, key: SigningKey, /) -> Certificate:
        """Signs the certificate with ``key``."""

def _time_scan(engine: Engine, text: str, iterations: int) -> float:
    """Seconds taken by ``iterations`` scans of ``text`` in Rust (benchmarking support)."""
