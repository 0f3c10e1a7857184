"""Translation-memory lookup latency at 100,000 entries (goal: fuzzy lookup < 50 ms).

Fills a fresh store with synthetic Russian-like news sentences (a Zipf-distributed vocabulary with
inflected endings, 5-35 words each), then times `exact_match` (half hits, half misses) and warm
`fuzzy_matches` (a stored sentence with one or two words changed, or an unrelated sentence), and
reports the one-off cost of building the fuzzy index. Medians over the queries.

Run: `.venv/bin/python bench/tm.py [--entries N] [--queries N]`; the last line is
`tm: exact_ms=<x> fuzzy_ms=<y>`.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue module (multiprocessing imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"
ENDINGS = ["", "а", "у", "ом", "е", "ы", "ов", "ами", "ий", "ая", "ое", "ых"]
GOAL_MS = 50.0


def sentences(n: int, rng: random.Random) -> list[str]:
    stems = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 8))) for _ in range(20_000)]
    cumulative = list(itertools.accumulate(1 / (i + 1) for i in range(len(stems))))
    out = []
    for _ in range(n):
        words = [
            stem + rng.choice(ENDINGS)
            for stem in rng.choices(stems, cum_weights=cumulative, k=rng.randint(5, 35))
        ]
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + ".")
    return out


def fill(store, texts: list[str]) -> None:
    from translate.tm import normalize

    rows = [
        {
            "source_lang": "ru",
            "target_lang": "en",
            "source": text,
            "source_norm": normalize(text),
            "target": f"translation {i}",
            "story_id": f"story-{i // 40}",
            "segment_id": i,
            "at": "2012-10-15T09:00:00+00:00",
        }
        for i, text in enumerate(texts)
    ]
    with store.write():
        for start in range(0, len(rows), 5_000):
            store.tm_add(rows[start : start + 5_000])


def changed(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(rng.randint(1, 2)):
        words[rng.randrange(len(words))] = "изменено"
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    from translate.store import open_store
    from translate.tm import exact_match, fuzzy_matches

    rng = random.Random(7)
    texts = sentences(args.entries, rng)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        started = time.perf_counter()
        fill(store, texts)
        print(f"filled {args.entries} entries in {time.perf_counter() - started:.1f} s")

        others = sentences(args.queries, random.Random(99))
        exact_queries = [
            rng.choice(texts) if i % 2 == 0 else others[i] for i in range(args.queries)
        ]
        exact_times, hits = [], 0
        for q in exact_queries:
            t = time.perf_counter()
            hits += exact_match(store, "ru", "en", q) is not None
            exact_times.append((time.perf_counter() - t) * 1000)

        t = time.perf_counter()
        fuzzy_matches(store, "ru", "en", texts[0])
        build_ms = (time.perf_counter() - t) * 1000

        fuzzy_queries = [
            changed(rng.choice(texts), rng) if i % 4 else others[i] for i in range(args.queries)
        ]
        fuzzy_times, found = [], 0
        for q in fuzzy_queries:
            t = time.perf_counter()
            found += bool(fuzzy_matches(store, "ru", "en", q, limit=3))
            fuzzy_times.append((time.perf_counter() - t) * 1000)
        store.close()

    exact_ms = statistics.median(exact_times)
    fuzzy_ms = statistics.median(fuzzy_times)
    p95 = sorted(fuzzy_times)[int(len(fuzzy_times) * 0.95) - 1]
    print(f"exact: {hits}/{len(exact_queries)} hits, median {exact_ms:.2f} ms")
    print(f"fuzzy index build (first lookup): {build_ms:.0f} ms")
    print(
        f"fuzzy: {found}/{len(fuzzy_queries)} with matches, median {fuzzy_ms:.2f} ms, "
        f"p95 {p95:.2f} ms (goal < {GOAL_MS:.0f} ms)"
    )
    print(f"tm: exact_ms={exact_ms:.2f} fuzzy_ms={fuzzy_ms:.2f}")


if __name__ == "__main__":
    main()
