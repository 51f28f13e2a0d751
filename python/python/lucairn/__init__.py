"""Lucairn finds personal data in text: names, e-mail addresses, phone numbers, national
identifiers with their checksums, bank and card numbers, secrets and more. It replaces
them by placeholders before text goes to a language model, restores them in the answer,
and signs certificates of what it replaced.

The engine is written in Rust; this package is a thin layer over it.

>>> import lucairn
>>> engine = lucairn.Engine()
>>> text = "Écrivez à marie.dupont@exemple.fr"
>>> [f] = engine.scan(text)
>>> f.kind, text[f.start:f.end]
('EMAIL_ADDRESS', 'marie.dupont@exemple.fr')
>>> engine.redact(text)
'Écrivez à [EMAIL_ADDRESS]'
>>> s = lucairn.Sanitizer(engine)
>>> s.sanitize(text)
'Écrivez à [EMAIL_ADDRESS_1]'
>>> s.relink("Réponse envoyée à [EMAIL_ADDRESS_1].")
'Réponse envoyée à marie.dupont@exemple.fr.'

Scanning:

- :class:`Engine` compiles a policy once and scans any number of texts, from any number
  of threads; :meth:`Engine.scan_batch` scans many texts on all cores.
- :class:`Finding` is one result: ``kind``, ``start``/``end`` (indices into the ``str``),
  ``byte_start``/``byte_end`` (UTF-8), ``score`` and ``detector``.

Sanitising and re-linking:

- :class:`Sanitizer` replaces personal data by placeholders in the texts of one request
  (``sanitize``), and restores or keeps them in the model's answer (``scan_output``,
  ``relink``); ``finish()`` returns a :class:`Sanitized` with the :class:`Mapping` and
  the :class:`FindingRecord` of each replaced value.
- :class:`Mapping` maps placeholders to values; ``seal``/``Mapping.open`` turn it into an
  encrypted token and back. :func:`relink` restores values with a mapping.
- :class:`StreamSanitizer`, :class:`OutputStream` and :class:`StreamRelinker` do the same
  chunk by chunk, with the same output as for the whole text.

Certificates:

- :class:`Certificate` reads a signed certificate; ``verify`` checks it with
  :class:`PublicKey` objects, :func:`verify_chain` checks a chain.
- :class:`SigningKey` and :class:`CertificateBuilder` make them.

Errors: :class:`LucairnError` is the base of every error Lucairn raises;
:class:`PolicyError` (a policy that cannot be read or compiled), :class:`MappingError`,
:class:`TokenError` and :class:`CertificateError` (with
:class:`MalformedCertificateError`, :class:`UnknownKeyError`, :class:`BadSignatureError`
and :class:`ChainBreakError`) derive from it.
"""

from lucairn._lucairn import (
    BadSignatureError,
    Certificate,
    CertificateBuilder,
    CertificateError,
    ChainBreakError,
    Engine,
    Finding,
    FindingRecord,
    LucairnError,
    MalformedCertificateError,
    Mapping,
    MappingError,
    OutputStream,
    PolicyError,
    PublicKey,
    Sanitized,
    Sanitizer,
    SigningKey,
    StreamRelinker,
    StreamSanitizer,
    TokenError,
    UnknownKeyError,
    __version__,
    relink,
    verify_chain,
)

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
