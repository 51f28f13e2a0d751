#!/usr/bin/env python3
"""Prints two or more `eval --json` reports side by side (standard library only).

    python3 benches/presidio/side_by_side.py lucairn.json presidio.json [--markdown]
"""

import argparse
import json

KINDS = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS", "LOCATION", "CREDIT_CARD", "IBAN",
         "IP_ADDRESS", "URL", "DATE_OF_BIRTH", "MEDICAL_CONDITION", "MEDICATION", "US_SSN", "UK_NHS"]


def f(x):
    return "-" if x is None else f"{x:.3f}"


def cells(k):
    return [f(k["exact"]["f1"]), f(k["overlap"]["precision"]), f(k["overlap"]["recall"]), f(k["overlap"]["f1"]),
            f(k["redaction_recall"])]


def throughput(r):
    t = r.get("throughput_mb_s")
    if t is None:
        return "-"
    return f"{t:.4f} MB/s" if t < 1 else f"{t:.1f} MB/s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("reports", nargs="+")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    reports = [json.load(open(p, encoding="utf-8")) for p in args.reports]
    short = [r["system"].split()[0] for r in reports]
    sub = ["exact F1", "P", "R", "F1", "redact"]

    rows = []
    for kind in KINDS:
        row = [kind, str(reports[0]["kinds"][kind]["gold"])]
        for r in reports:
            row += cells(r["kinds"][kind])
        rows.append(row)
    micro = ["micro average", str(reports[0]["micro"]["gold"])]
    for r in reports:
        micro += cells(r["micro"])
    rows.append(micro)

    if args.markdown:
        head = ["kind", "gold"] + [f"{s} {c}" for s in short for c in sub]
        print("| " + " | ".join(head) + " |")
        print("|---|---:|" + "---:|" * (len(head) - 2))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
        print("| | " + " | ".join(short) + " |")
        print("|---|" + "---:|" * len(short))
        print("| redaction recall | " + " | ".join(f(r["redaction_recall"]) for r in reports) + " |")
        print("| gold spans fully covered | " + " | ".join(f(r["spans_fully_covered"]) for r in reports) + " |")
        print("| micro F1 (exact) | " + " | ".join(f(r["micro"]["exact"]["f1"]) for r in reports) + " |")
        print("| micro F1 (overlap) | " + " | ".join(f(r["micro"]["overlap"]["f1"]) for r in reports) + " |")
        print("| throughput | " + " | ".join(throughput(r) for r in reports) + " |")
        print("| build / load | " + " | ".join(
            "-" if r.get("build_ms") is None else f"{r['build_ms']:.0f} ms" for r in reports) + " |")
    else:
        width = 6 * len(sub)
        print(f"{'':<18} {'':>5}  " + "  ".join(f"{s[:width]:^{width}}" for s in short))
        print(f"{'kind':<18} {'gold':>5}  " + "  ".join(" ".join(f"{c[:5]:>5}" for c in sub) for _ in short))
        for row in rows:
            line = f"{row[0]:<18} {row[1]:>5}  "
            groups = [row[2 + i * len(sub):2 + (i + 1) * len(sub)] for i in range(len(reports))]
            line += "  ".join(" ".join(f"{c:>5}" for c in g) for g in groups)
            print(line)
        print("(exact F1; overlap precision, recall and F1; redaction recall)")
        print()
        for s, r in zip(short, reports):
            print(f"{s}: {r['system']}")
            if r.get("note"):
                print(f"  {r['note']}")
            print(f"  redaction recall {f(r['redaction_recall'])}, gold spans fully covered {f(r['spans_fully_covered'])}, "
                  f"micro F1 exact {f(r['micro']['exact']['f1'])} / overlap {f(r['micro']['overlap']['f1'])}")
            build = "-" if r.get("build_ms") is None else f"{r['build_ms']:.0f} ms"
            print(f"  throughput {throughput(r)}, build {build}")
            un = ", ".join(f"{k} {v['count']}" for k, v in r["unlabelled"].items()) or "none"
            print(f"  findings of kinds without gold labels: {un}")
            pd = "; ".join(f"{k}: {f(v['overlap_recall'])} of {v['gold']}" for k, v in r["person_by_dictionary"].items())
            if pd:
                print(f"  PERSON recall by dictionary coverage: {pd}")


if __name__ == "__main__":
    main()
