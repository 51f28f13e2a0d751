"""Certificates: the committed test vectors in testdata/certificate/ verify, altered ones
fail with the right exception, and certificates made here verify too."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import lucairn
from lucairn import (
    BadSignatureError,
    Certificate,
    CertificateBuilder,
    CertificateError,
    ChainBreakError,
    Engine,
    FindingRecord,
    LucairnError,
    MalformedCertificateError,
    PublicKey,
    Sanitizer,
    SigningKey,
    UnknownKeyError,
)

VECTORS = Path(__file__).resolve().parents[2] / "testdata" / "certificate"
EXPECTED = json.loads((VECTORS / "expected.json").read_text())
PUBLIC = EXPECTED["key"]["public_key"]


def read(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8")


@pytest.fixture()
def key() -> PublicKey:
    return PublicKey(PUBLIC)


def test_exception_hierarchy() -> None:
    for cls in [MalformedCertificateError, UnknownKeyError, BadSignatureError, ChainBreakError]:
        assert issubclass(cls, CertificateError)
        assert cls.__module__ == "lucairn"
        assert cls.__doc__
    assert issubclass(CertificateError, LucairnError)
    assert issubclass(lucairn.TokenError, LucairnError)
    assert issubclass(lucairn.MappingError, LucairnError)


def test_vector_verifies(key: PublicKey) -> None:
    c = Certificate.from_json(read("certificate.json"))
    assert c.verify(key) is c
    assert c.verify([key]) is c
    assert c.verify(PUBLIC) is c
    assert c.verify(bytes.fromhex(PUBLIC)) is c
    assert c.verify([SigningKey.generate().public_key, key]) is c  # keys of several generations
    assert c.version == 1
    assert c.id == "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    assert c.issuer == "gateway.example"
    assert c.key_id == EXPECTED["key"]["key_id"] == key.key_id
    assert c.issued_at == "2025-03-01T12:00:00Z"
    assert c.engine_version == "0.1.0"
    assert c.policy_digest == "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
    assert c.request_digest == EXPECTED["request_digest"]
    assert c.response_digest == EXPECTED["response_digest"]
    assert c.previous is None
    assert c.counts == {"EMAIL_ADDRESS": 1, "EMPLOYEE_ID": 1, "PERSON": 1}
    assert c.signature == EXPECTED["signature"]
    assert [r.kind for r in c.findings] == ["EMAIL_ADDRESS", "PERSON", "EMPLOYEE_ID"]
    assert [r.value_digest for r in c.findings] == [v["value_digest"] for v in EXPECTED["values"]]
    [out] = c.output_findings
    assert (out.message, out.field, out.byte_start, out.byte_end, out.placeholder) == (
        0,
        "choices[0].message.content",
        27,
        40,
        "[EMAIL_ADDRESS_2]",
    )
    assert c.signing_bytes() == EXPECTED["signing_bytes"].encode()
    assert c.digest() == EXPECTED["certificate_digest"]
    assert c.to_json() == read("certificate.json").strip()
    assert c.to_dict() == json.loads(read("certificate.json"))


def test_pretty_printed_vector_verifies(key: PublicKey) -> None:
    pretty = read("certificate.pretty.json")
    c = Certificate.from_json(pretty.encode()).verify(key)
    assert c == Certificate.from_json(read("certificate.json"))
    assert c.digest() == EXPECTED["certificate_digest"]


def test_tampered_vector_fails_with_a_bad_signature(key: PublicKey) -> None:
    c = Certificate.from_json(read("certificate.tampered.json"))
    assert c.findings[0].byte_start == 6
    with pytest.raises(BadSignatureError, match="bad signature"):
        c.verify(key)


def test_chain_vectors(key: PublicKey) -> None:
    first, second = read("certificate.json"), read("certificate-2.json")
    certs = lucairn.verify_chain([first, second], [key])
    assert [c.id for c in certs] == ["a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", "b0" * 16]
    assert certs[1].previous == EXPECTED["certificate_digest"]
    assert certs[1].digest() == EXPECTED["certificate_2_digest"]
    # Certificates, JSON text and bytes mix; a generator works.
    assert lucairn.verify_chain((c for c in [Certificate.from_json(first), second.encode()]), key) == certs
    with pytest.raises(ChainBreakError, match="certificate 1 does not quote the previous one") as info:
        lucairn.verify_chain([second, first], key)
    assert info.value.index == 1
    with pytest.raises(ChainBreakError) as info:
        lucairn.verify_chain([first, first], key)
    assert info.value.index == 1
    with pytest.raises(BadSignatureError):
        lucairn.verify_chain([first, read("certificate.tampered.json")], key)
    assert lucairn.verify_chain([], key) == []


def test_unknown_key(key: PublicKey) -> None:
    c = Certificate.from_json(read("certificate.json"))
    other = SigningKey(bytes(32)).public_key
    with pytest.raises(UnknownKeyError, match="unknown signing key 98ba85304ac639f0") as info:
        c.verify(other)
    assert info.value.key_id == "98ba85304ac639f0"
    with pytest.raises(UnknownKeyError):
        c.verify([])


def edited(**changes: Any) -> str:
    doc = json.loads(read("certificate.json"))
    doc.update(changes)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "malformed certificate"),
        ("{", "malformed certificate"),
        ("[]", "malformed certificate"),
        (edited(extra=1), "unknown field `extra`"),
        (edited(version="1"), "malformed certificate"),
    ],
)
def test_malformed_documents(text: str, message: str) -> None:
    with pytest.raises(MalformedCertificateError, match=message):
        Certificate.from_json(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (edited(version=2), "unsupported certificate version 2"),
        (edited(id="A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"), "id: must be 32 lower-case hex digits"),
        (edited(issued_at="2025-03-01 12:00:00"), "issued_at"),
        (edited(counts={"PERSON": 1}), "counts"),
        (edited(signature="00"), "signature"),
    ],
)
def test_malformed_fields(key: PublicKey, text: str, message: str) -> None:
    c = Certificate.from_json(text)
    with pytest.raises(MalformedCertificateError, match=message):
        c.verify(key)


def test_builder_reproduces_the_vector() -> None:
    v = Certificate.from_json(read("certificate.json"))
    seed = bytes.fromhex(EXPECTED["key"]["seed"])
    signing = SigningKey(seed)
    assert signing.seed == seed
    assert signing.public_key == PublicKey(PUBLIC)
    assert signing.key_id == v.key_id
    assert "seed" not in repr(signing) and seed.hex() not in repr(signing)
    c = (
        CertificateBuilder("gateway.example", "2025-03-01T12:00:00Z")
        .engine_version("0.1.0")
        .policy_digest(v.policy_digest)
        .findings(v.findings)
        .output_findings(tuple(v.output_findings))
        .request(EXPECTED["request"])
        .response(EXPECTED["response"].encode())
        .id(bytes(range(0xA0, 0xB0)))
        .sign(signing)
    )
    assert c == v  # ed25519 signatures are deterministic
    second = (
        CertificateBuilder("gateway.example", "2025-03-01T12:00:05.250Z")
        .engine_version("0.1.0")
        .policy_digest(v.policy_digest)
        .request(b"{}")
        .previous(c)
        .id(bytes([0xB0] * 16))
        .sign(signing)
    )
    assert second.to_json() == read("certificate-2.json").strip()


def test_sanitise_then_certify(engine: Engine) -> None:
    s = Sanitizer(engine, bytes(32))
    sent = s.sanitize("Écrivez à marie.dupont@exemple.fr 😀")
    s.scan_output("copie à x@example.com", mode="keep")
    done = s.finish()
    key = SigningKey.generate()
    c = CertificateBuilder("gateway.example", 1740830400).engine(engine).sanitized(done).request(sent).sign(key)
    assert c.issued_at == "2025-03-01T12:00:00Z"
    assert c.policy_digest == engine.policy_digest
    assert c.engine_version == lucairn.__version__
    assert c.request_digest != c.policy_digest and c.response_digest is None
    assert c.counts == done.counts == {"EMAIL_ADDRESS": 1}
    assert c.findings == done.findings and c.output_findings == done.output_findings
    assert Certificate.from_json(c.to_json()).verify(key.public_key) == c
    # Now, by default; the id is random.
    now = CertificateBuilder("x").engine(engine).request("").sign(key)
    assert now.issued_at.endswith("Z") and now.issued_at >= "2025"
    assert now.id != CertificateBuilder("x").engine(engine).request("").sign(key).id
    chain = [c, CertificateBuilder("x").engine(engine).request("").previous(c.digest()).sign(key)]
    assert lucairn.verify_chain(chain, key.public_key) == chain


def test_upstream_errors_are_recorded(engine: Engine) -> None:
    key = SigningKey(bytes(32))
    plain = CertificateBuilder("x", "2025-03-01T12:00:00Z").engine(engine).request("").sign(key)
    assert plain.upstream_error is None and "upstream_error" not in plain.to_json()
    failed = CertificateBuilder("x", "2025-03-01T12:00:00Z").engine(engine).request("").upstream_error(503, "http_status").sign(key)
    assert failed.upstream_error == {"status": 503, "kind": "http_status"}
    assert Certificate.from_json(failed.to_json()).verify(key.public_key) == failed
    cut = CertificateBuilder("x").engine(engine).request("").upstream_error(None, "stream_broken").sign(key)
    assert cut.upstream_error == {"status": None, "kind": "stream_broken"}
    with pytest.raises(MalformedCertificateError, match="upstream_error.kind"):
        CertificateBuilder("x").engine(engine).request("").upstream_error(None, "Broken Pipe").sign(key)
    with pytest.raises(MalformedCertificateError, match="upstream_error.status"):
        CertificateBuilder("x").engine(engine).request("").upstream_error(200, "http_status").sign(key)


def test_builder_rejects_bad_fields() -> None:
    key = SigningKey(bytes(32))
    with pytest.raises(MalformedCertificateError, match="policy_digest"):
        CertificateBuilder("x", "2025-03-01T12:00:00Z").request("").policy_digest("abc").sign(key)
    with pytest.raises(MalformedCertificateError, match="issued_at"):
        CertificateBuilder("x", "yesterday").request("").sign(key)
    with pytest.raises(TypeError, match="issued_at must be"):
        CertificateBuilder("x", 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="issued_at must be"):
        CertificateBuilder("x", True)
    with pytest.raises(ValueError, match="id must be 16 bytes long, not 3"):
        CertificateBuilder("x").id(b"abc")
    with pytest.raises(TypeError, match=r"records\[0\] must be a FindingRecord, not dict"):
        CertificateBuilder("x").findings([{"kind": "X"}])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="previous must be a Certificate, its digest"):
        CertificateBuilder("x").previous(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="data must be bytes or str, not int"):
        CertificateBuilder("x").request(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CertificateBuilder("x").sign(key.public_key)  # type: ignore[arg-type]
    with pytest.raises(UnicodeEncodeError):
        CertificateBuilder("x").request("\ud800")


def test_public_keys() -> None:
    k = PublicKey(PUBLIC)
    assert PublicKey(PUBLIC.upper()) == k == PublicKey(bytes.fromhex(PUBLIC)) == PublicKey(k)
    assert k.to_hex() == str(k) == PUBLIC
    assert k.to_bytes() == bytes(k) == bytes.fromhex(PUBLIC)
    assert repr(k) == f"PublicKey('{PUBLIC}')"
    assert len({k, PublicKey(PUBLIC)}) == 1
    assert pickle.loads(pickle.dumps(k)) == k
    with pytest.raises(ValueError, match="64 hex digits"):
        PublicKey("abc")
    with pytest.raises(ValueError, match="32 bytes long, not 3"):
        PublicKey(b"abc")
    with pytest.raises(TypeError, match="key must be a PublicKey, 64 hex digits"):
        PublicKey(5)  # type: ignore[arg-type]


def test_certificates_are_values(key: PublicKey) -> None:
    c = Certificate.from_json(read("certificate.json"))
    assert pickle.loads(pickle.dumps(c)) == c
    assert copy.copy(c) == c
    assert c != Certificate.from_json(read("certificate-2.json"))
    assert repr(c).startswith("<lucairn.Certificate id='a0a1a2a3a4a5a6a7a8a9aaabacadaeaf' issuer='gateway.example'")
    with pytest.raises(AttributeError):
        c.issuer = "x"  # type: ignore[misc]
    assert isinstance(c.findings[0], FindingRecord)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.verify(5), "public_keys must be a PublicKey, a key in hex or bytes, or an iterable of them, not int"),
        (lambda c: c.verify([5]), r"public_keys\[0\] must be a PublicKey"),
        (lambda c: c.verify(None), "not NoneType"),
        (lambda c: Certificate.from_json(5), "json must be str or bytes, not int"),
        (lambda c: Certificate.from_json({}), "json must be str or bytes, not dict"),
        (lambda c: lucairn.verify_chain(read("certificate.json"), PUBLIC), "not a single one"),
        (lambda c: lucairn.verify_chain(c, PUBLIC), "not a single one"),
        (lambda c: lucairn.verify_chain(5, PUBLIC), "certificates must be an iterable, not int"),
        (lambda c: lucairn.verify_chain([5], PUBLIC), r"certificates\[0\] must be str or bytes, not int"),
    ],
)
def test_bad_types(call: Any, message: str) -> None:
    c = Certificate.from_json(read("certificate.json"))
    with pytest.raises(TypeError, match=message):
        call(c)
    with pytest.raises(ValueError, match=r"public_keys\[1\]: public key must be 64 hex digits"):
        c.verify([PUBLIC, "xyz"])
    with pytest.raises(MalformedCertificateError, match="not UTF-8"):
        Certificate.from_json(b"\xff")
