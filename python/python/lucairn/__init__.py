"""Lucairn finds personal data in text: names, e-mail addresses, phone numbers, national
identifiers with their checksums, bank and card numbers, secrets and more.

The engine is written in Rust; this package is a thin layer over it.

>>> import lucairn
>>> engine = lucairn.Engine()
>>> text = "Écrivez à marie.dupont@exemple.fr"
>>> [f] = engine.scan(text)
>>> f.kind, text[f.start:f.end]
('EMAIL_ADDRESS', 'marie.dupont@exemple.fr')
>>> engine.redact(text)
'Écrivez à [EMAIL_ADDRESS]'

- :class:`Engine` compiles a policy once and scans any number of texts, from any number
  of threads; :meth:`Engine.scan_batch` scans many texts on all cores.
- :class:`Finding` is one result: ``kind``, ``start``/``end`` (indices into the ``str``),
  ``byte_start``/``byte_end`` (UTF-8), ``score`` and ``detector``.
- :class:`LucairnError` is the base of every error Lucairn raises; :class:`PolicyError`
  reports a policy that cannot be read or compiled.
"""

from lucairn._lucairn import (
    Engine,
    Finding,
    LucairnError,
    PolicyError,
    __version__,
)

__all__ = [
    "Engine",
    "Finding",
    "LucairnError",
    "PolicyError",
    "__version__",
]
