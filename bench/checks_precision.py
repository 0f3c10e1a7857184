"""Check precision: every check on faithful human translations, where every finding is a false alarm.

A human translation is the best draft there is, so a blocking finding on one is a false alarm
that costs a translator time for nothing. Runs every registered check (with the starter
glossaries and, where Apertium's eng→spa is installed, the back-translation) on the
source/reference pairs of bench/data/ and prints, per check, the findings per 100 segments,
split into the dev half (the checks were tuned on it) and the held-out half.

Run: `.venv/bin/python bench/checks_precision.py [--limit N] [--show CODE]`; the last line is
`checks: false_blocking_per_100=<x> false_warnings_per_100=<y>` (all pairs). Goal: x ≤ 0.5.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import load_pairs, run_checks  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs per language")
    parser.add_argument("--show", action="append", default=[], help="print the findings of CODE")
    parser.add_argument("--no-back-translation", action="store_true")
    args = parser.parse_args(argv)

    from corpus import bench_workflow

    pairs = load_pairs()
    if args.limit:
        pairs = [p for p in pairs if int(p["id"].split("-")[1].lstrip("h")) <= args.limit]
    items = [dict(p, translation=p["reference"]) for p in pairs]
    results = run_checks(items, bench_workflow(not args.no_back_translation))

    per: dict[str, Counter] = {"dev": Counter(), "heldout": Counter(), "all": Counter()}
    sizes = Counter(p["split"] for p in pairs)
    sizes["all"] = len(pairs)
    for pair, findings in zip(pairs, results, strict=True):
        for f in findings:
            for split in (pair["split"], "all"):
                per[split][(f.code, f.severity)] += 1
            if f.code in args.show or "all" in args.show:
                print(f"{pair['id']} {f.severity} {f.code}: {f.message}")
                print(f"    {pair['source']}\n    {pair['reference']}")

    def rate(split: str, severity: str, code: str | None = None) -> float:
        n = sum(c for (k, s), c in per[split].items() if s == severity and code in (None, k))
        return 100 * n / max(1, sizes[split])

    codes = sorted({k for (k, _s) in per["all"]})
    print(
        f"{len(pairs)} pairs (es {sum(p['lang'] == 'es' for p in pairs)}, "
        f"ru {sum(p['lang'] == 'ru' for p in pairs)}); findings per 100 segments"
    )
    print(f"{'check':24} {'blocking dev/held-out':>22} {'warning dev/held-out':>22}")
    for code in codes:
        print(
            f"{code:24} {rate('dev', 'blocking', code):10.2f} /{rate('heldout', 'blocking', code):6.2f}"
            f"    {rate('dev', 'warning', code):10.2f} /{rate('heldout', 'warning', code):6.2f}"
        )
    print(
        f"{'total':24} {rate('dev', 'blocking'):10.2f} /{rate('heldout', 'blocking'):6.2f}"
        f"    {rate('dev', 'warning'):10.2f} /{rate('heldout', 'warning'):6.2f}"
    )
    print(
        f"checks: false_blocking_per_100={rate('all', 'blocking'):.2f} "
        f"false_warnings_per_100={rate('all', 'warning'):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
