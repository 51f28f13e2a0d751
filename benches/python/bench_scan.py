#!/usr/bin/env python3
"""Benchmarks of the Python package `lucairn`.

1. Per-call overhead of ``Engine.scan`` on a 1 KiB text: the time of a call from Python
   minus the time of the Rust scan of the same text in the same build. The Rust time
   comes from ``lucairn._lucairn._time_scan``, which loops over ``Engine::scan`` in Rust
   with the GIL released; ``cargo bench -p lucairn-benches --bench overhead`` measures
   the same text with criterion, as a cross-check. The text, ``chat_1k.txt``, is the
   first 1024 bytes of the benches crate's ``chat(7, 1024)``.
2. ``scan_batch`` throughput with 1 and 2 rayon threads (``RAYON_NUM_THREADS``, each in
   its own process, as rayon reads it once), beside a Python loop over ``scan``.
3. With ``--presidio``: throughput beside ``presidio-analyzer`` on the same texts in the
   same process, one thread each, and recall of both on the values the generator put in
   the texts.

Run from a virtual environment where ``lucairn`` is installed (``python/test.sh`` makes
one: ``python/.venv/bin/python benches/python/bench_scan.py``). Nothing here asserts a
speed; figures go to standard output as Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import timeit
from pathlib import Path
from typing import Any, Callable

import lucairn
from lucairn import Engine
from lucairn._lucairn import _time_scan

HERE = Path(__file__).resolve().parent
TEXT_1K = (HERE / "chat_1k.txt").read_text(encoding="utf-8")

# ---------------------------------------------------------------------------------------
# A deterministic chat-like corpus with known personal data.

FIRST = ["Anna", "Lukas", "Marie", "Pierre", "Lucía", "Giulia", "Sanne", "Oliver", "Sophie", "Mateo"]
LAST = ["Schmidt", "Dupont", "Garcia", "Rossi", "Smith", "Mueller", "Bernard", "Bianchi", "Jansen"]
DOMAINS = ["example.com", "mail.example.org", "beispiel.de", "exemple.fr", "ejemplo.es"]
PHONES = ["+49 30 1234567", "+44 20 7946 0958", "(415) 555-2671", "+33 1 42 68 53 00"]
IBANS = ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "NL91ABNA0417164300"]
CARDS = ["4111 1111 1111 1111", "5555555555554444", "3782 822463 10005"]
IPS = ["192.168.10.24", "10.20.30.40", "172.16.254.1"]
URLS = ["https://intranet.example.com/u/42", "https://docs.example.org/guide?id=7"]
FILLER = [
    "Hi team, quick update on the migration: the staging cluster is back up and the nightly jobs ran. ",
    "Could you have a look at the onboarding doc before Friday? Section three still needs examples. ",
    "Thanks for the summary. Let's keep the meeting short tomorrow and focus on the open questions. ",
    "The customer asked whether the export can include the last 12 months instead of 6. ",
    "Hallo zusammen, das Update ist live und die ersten Rückmeldungen sind positiv. ",
    "Bonjour à tous, la nouvelle version est en ligne et les premiers retours sont encourageants. ",
    "Hola equipo, la migración terminó anoche y todo parece funcionar correctamente. ",
    "Reminder: the office is closed on Monday, so please plan deployments for Tuesday. ",
]


def pii(rng: random.Random) -> tuple[str, str, str]:
    """``(kind, value, sentence)``; kinds are Lucairn's names."""
    k = rng.randrange(8)
    if k < 3:
        v = f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}@{rng.choice(DOMAINS)}"
        return "EMAIL_ADDRESS", v, f"Please reply to {v} when you can. "
    if k == 3:
        v = rng.choice(PHONES)
        return "PHONE_NUMBER", v, f"You can call me on {v} after lunch. "
    if k == 4:
        v = rng.choice(IBANS)
        return "IBAN", v, f"The refund goes to IBAN {v} as agreed. "
    if k == 5:
        v = rng.choice(CARDS)
        return "CREDIT_CARD", v, f"I paid with card {v} yesterday. "
    if k == 6:
        v = rng.choice(IPS)
        return "IP_ADDRESS", v, f"The server at {v} is down again. "
    v = rng.choice(URLS)
    return "URL", v, f"The details are on {v} for everyone. "


def corpus(seed: int, count: int, size: int) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """``count`` texts of about ``size`` bytes, one item of personal data per ~500 bytes,
    and the items of each text."""
    rng = random.Random(seed)
    texts, truth = [], []
    for _ in range(count):
        parts: list[str] = []
        items: list[tuple[str, str]] = []
        n = 0
        next_pii = rng.randrange(0, 300)
        while n < size:
            if n >= next_pii:
                kind, value, s = pii(rng)
                items.append((kind, value))
                next_pii = n + len(s) + 350 + rng.randrange(300)
            else:
                s = rng.choice(FILLER)
            parts.append(s)
            n += len(s.encode())
        texts.append("".join(parts))
        truth.append(items)
    return texts, truth


# ---------------------------------------------------------------------------------------
# Timing.


def best_per_call(f: Callable[[], object], number: int, repeat: int, cpu: bool = False) -> float:
    """Seconds per call: the best of `repeat` runs of `number` calls. With `cpu`, the
    calling thread's CPU time rather than wall time: on a machine shared with other work
    it is far steadier, and it is what a single-threaded call costs."""
    timer = time.thread_time if cpu else time.perf_counter
    return min(timeit.repeat(f, number=number, repeat=repeat, timer=timer)) / number


def rust_scan_per_call(engine: Engine, text: str, number: int, repeat: int) -> float:
    """CPU seconds of one Rust scan of `text`, looped in Rust (`_time_scan` runs on this
    thread, so its thread CPU time is the loop's)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.thread_time()
        _time_scan(engine, text, number)
        best = min(best, time.thread_time() - t0)
    return best / number


def fmt_ns(s: float) -> str:
    return f"{s * 1e9:,.0f} ns" if s < 1e-5 else f"{s * 1e6:,.1f} µs"


def overhead(quick: bool) -> None:
    engine = Engine()
    number, repeat = (20_000, 5) if not quick else (2_000, 3)
    ascii_1k = TEXT_1K.encode("ascii", "replace").decode("ascii")
    print(f"## Per-call overhead of Engine.scan (lucairn {lucairn.__version__})\n")
    print(f"Best of {repeat} runs of {number:,} calls, thread CPU time; default policy.\n")
    print("| text | findings | Rust scan | Python `engine.scan` | overhead |")
    print("|---|---:|---:|---:|---:|")
    for name, text in [("chat_1k.txt (1024 B, non-ASCII)", TEXT_1K), ("same, made ASCII", ascii_1k), ("empty", "")]:
        rust = rust_scan_per_call(engine, text, number, repeat)
        scan = engine.scan
        py = best_per_call(lambda: scan(text), number, repeat, cpu=True)
        n = len(engine.scan(text))
        print(f"| {name} | {n} | {fmt_ns(rust)} | {fmt_ns(py)} | {fmt_ns(py - rust)} |")
    redact = engine.redact
    py = best_per_call(lambda: redact(TEXT_1K), number, repeat, cpu=True)
    print(f"\n`engine.redact` on chat_1k.txt: {fmt_ns(py)} per call.\n")


def batch_child(threads: int, quick: bool) -> list[dict[str, Any]]:
    count = 512 if not quick else 128
    repeat = 5 if not quick else 3
    texts, _ = corpus(11, count, 4096)
    engine = Engine()
    engine.scan_batch(texts[:8])  # start rayon's pool
    scan = engine.scan
    rows = []
    for name, ts in [("chat (non-ASCII)", texts), ("chat made ASCII", [t.encode("ascii", "replace").decode() for t in texts])]:
        rows.append(
            {
                "corpus": name,
                "threads": threads,
                "bytes": sum(len(t.encode()) for t in ts),
                "texts": count,
                "batch_s": best_per_call(lambda: engine.scan_batch(ts), 1, repeat),
                "loop_s": best_per_call(lambda: [scan(t) for t in ts], 1, repeat),
                "encode_s": best_per_call(lambda: [t.encode() for t in ts], 1, repeat),
            }
        )
    return rows


def batch(quick: bool) -> None:
    rows = []
    for threads in (1, 2):
        env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        cmd = [sys.executable, __file__, "--child-batch", str(threads)] + (["--quick"] if quick else [])
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
        rows.extend(json.loads(out))
    order = {c: i for i, c in enumerate(dict.fromkeys(r["corpus"] for r in rows))}
    rows.sort(key=lambda r: (order[r["corpus"]], r["threads"]))
    print(f"## scan_batch scaling ({rows[0]['texts']} texts of ~4 KiB; machine: {os.cpu_count()} cores)\n")
    print("| corpus | RAYON_NUM_THREADS | `scan_batch` | MB/s | speed-up | loop over `scan` | MB/s | `str.encode` alone |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    base: dict[str, float] = {}
    for r in rows:
        mb = r["bytes"] / 1e6
        base.setdefault(r["corpus"], r["batch_s"])
        print(
            f"| {r['corpus']} | {r['threads']} | {r['batch_s'] * 1e3:.2f} ms | {mb / r['batch_s']:,.0f} | "
            f"{base[r['corpus']] / r['batch_s']:.2f}× | {r['loop_s'] * 1e3:.2f} ms | {mb / r['loop_s']:,.0f} | "
            f"{r['encode_s'] * 1e3:.2f} ms |"
        )
    print(
        "\n`str.encode` alone is CPython's UTF-8 encoding of the same texts: the conversion "
        "`scan_batch` does serially, under the GIL, before it scans in parallel.\n"
    )


# ---------------------------------------------------------------------------------------
# Presidio.

PRESIDIO_KIND = {"IBAN_CODE": "IBAN"}


def make_presidio() -> tuple[Any, str]:
    """An AnalyzerEngine and a description of its NLP engine. Uses a spaCy English model
    when one is installed, else spaCy's blank English tokenizer (no NER: a lower bound on
    Presidio's cost, and no PERSON/LOCATION findings)."""
    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    # Use the public suffix list bundled with tldextract; never fetch it.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())

    model = next((m for m in ("en_core_web_lg", "en_core_web_md", "en_core_web_sm") if spacy.util.is_package(m)), None)

    class Blank(SpacyNlpEngine):  # type: ignore[misc]
        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    if model is not None:
        nlp = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
        what = f"spaCy {spacy.__version__}, model {model}"
    else:
        nlp = Blank(models=[{"lang_code": "en", "model_name": "blank"}])
        what = f"spaCy {spacy.__version__}, blank English tokenizer (no NER model installed)"
    nlp.load()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"]), what


def recall(found: list[set[tuple[str, str]]], truth: list[list[tuple[str, str]]]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for f, items in zip(found, truth):
        for kind, value in items:
            hit, total = out.get(kind, (0, 0))
            out[kind] = (hit + ((kind, value) in f), total + 1)
    return out


def presidio(quick: bool) -> None:
    try:
        import presidio_analyzer  # noqa: F401
    except ImportError:
        print("## Presidio\n\npresidio-analyzer is not installed (`pip install presidio-analyzer`); skipped.\n")
        return
    analyzer, what = make_presidio()
    count = 200 if not quick else 40
    texts, truth = corpus(23, count, 1024)
    total = sum(len(t.encode()) for t in texts)
    engine = Engine()

    analyzer.analyze(texts[0], language="en")  # warm up
    t0 = time.thread_time()
    theirs = [analyzer.analyze(t, language="en") for t in texts]
    presidio_s = time.thread_time() - t0

    t0 = time.thread_time()
    for t in texts:
        analyzer.analyze(t, language="en", entities=["EMAIL_ADDRESS"])
    presidio_email_s = time.thread_time() - t0

    scan = engine.scan
    ours_s = best_per_call(lambda: [scan(t) for t in texts], 1, 5, cpu=True)
    ours = [scan(t) for t in texts]
    batch_s = best_per_call(lambda: engine.scan_batch(texts), 1, 5)

    ours_found = [{(f.kind, t[f.start : f.end]) for f in fs} for t, fs in zip(texts, ours)]
    theirs_found = [
        {(PRESIDIO_KIND.get(r.entity_type, r.entity_type), t[r.start : r.end]) for r in rs} for t, rs in zip(texts, theirs)
    ]
    r_ours, r_theirs = recall(ours_found, truth), recall(theirs_found, truth)

    mb = total / 1e6
    from importlib.metadata import version

    print(f"## Beside presidio-analyzer {version('presidio-analyzer')}\n")
    print(
        f"{count} chat-like texts of ~1 KiB ({total:,} bytes), one thread each (thread CPU time; "
        f"`scan_batch`: wall time); Presidio with {what}.\n"
    )
    print("| | time | MB/s | per text |")
    print("|---|---:|---:|---:|")
    print(f"| presidio `analyze` | {presidio_s * 1e3:,.0f} ms | {mb / presidio_s:.3f} | {fmt_ns(presidio_s / count)} |")
    print(
        f"| presidio `analyze(entities=[\"EMAIL_ADDRESS\"])` | {presidio_email_s * 1e3:,.0f} ms | "
        f"{mb / presidio_email_s:.3f} | {fmt_ns(presidio_email_s / count)} |"
    )
    print(f"| lucairn `scan` | {ours_s * 1e3:,.2f} ms | {mb / ours_s:,.0f} | {fmt_ns(ours_s / count)} |")
    print(f"| lucairn `scan_batch` (all cores) | {batch_s * 1e3:,.2f} ms | {mb / batch_s:,.0f} | {fmt_ns(batch_s / count)} |")
    print(
        f"\nRatio, one thread each: lucairn `scan` is {presidio_s / ours_s:,.0f}× faster than presidio `analyze` "
        f"with all its recognizers, {presidio_email_s / ours_s:,.0f}× faster than presidio restricted to e-mail "
        "addresses.\n"
    )
    print("Recall on the values the generator inserted (exact span):\n")
    print("| kind | items | lucairn | presidio |")
    print("|---|---:|---:|---:|")
    for kind in sorted(set(r_ours) | set(r_theirs)):
        h1, n = r_ours.get(kind, (0, 0))
        h2, _ = r_theirs.get(kind, (0, 0))
        print(f"| {kind} | {n} | {h1 / n:.0%} | {h2 / n:.0%} |")
    print()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    p.add_argument("--presidio", action="store_true", help="also compare with presidio-analyzer")
    p.add_argument("--only", choices=["overhead", "batch", "presidio"], help="run one benchmark")
    p.add_argument("--child-batch", type=int, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child_batch is not None:
        print(json.dumps(batch_child(a.child_batch, a.quick)))
        return
    if a.only in (None, "overhead"):
        overhead(a.quick)
    if a.only in (None, "batch"):
        batch(a.quick)
    if a.only == "presidio" or (a.only is None and a.presidio):
        presidio(a.quick)


if __name__ == "__main__":
    main()
