"""Check recall: one error injected into each copy of a faithful translation — are they caught?

On the source/reference pairs of bench/data/ (the check-precision corpus), each error type is
injected into a copy of every reference it applies to:

  number        one figure of the English changed (its last digit +1): "4.9 million" -> "4.0…"
  omission      the last sentence dropped (two or more sentences), else the last clause: the
                English cut at its last ", " "; " " — " " and " " but " " while " " which "
                " who " " although " past the first third (the cut must drop 2+ words)
  name          a name of the English (capitalised words that are no English words, not at a
                sentence start; for Spanish also found in the source) replaced by another name
                of the same length in words, unlike it (a pool of Spanish and romanized Russian
                names and places)
  untranslated  the source itself as the translation
  loop          a 4-word chunk repeated so that it occurs three times in a row

and every check runs on the clean and the corrupted copies (with the starter glossaries and,
where installed, the back-translation). A corrupted copy counts as caught when it has a finding
(code and message) that its clean copy does not have; "blocking" when that finding is blocking.
Reported per type and split (dev: the checks were tuned on it; held-out: not), beside the false
alarms on the clean pairs.

Run: `.venv/bin/python bench/checks_recall.py [--show TYPE] [--missed TYPE]`; the last line is
`checks_recall: omission=<a> name=<b> number=<c> untranslated=<d> loop=<e> false_blocking_per_100=<f>`
(shares of any new finding, 0-1, all pairs). Goals: omission >= 0.8, name >= 0.9, the others
>= 0.98, false_blocking_per_100 <= 0.5.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import bench_workflow, load_pairs, run_checks  # noqa: E402

TYPES = ("omission", "name", "number", "untranslated", "loop")
NAME_POOL = {
    "es": [
        "Frank Cuerden", "Tomás Aranguren", "Paula Ordóñez", "Lucas Peralta", "Rafael Ortuño",
        "Nieves Bustamante", "Hugo Zavaleta", "Irene Mendizábal", "Cuerden", "Aranguren",
        "Zavaleta", "Ordóñez", "Antofagasta", "Tampico", "Cádiz", "Mendoza", "Paysandú",
    ],
    "ru": [
        "Pavel Zhdanov", "Oksana Lebedeva", "Gennady Kulikov", "Frank Cuerden", "Zhdanov",
        "Kulikov", "Lebedeva", "Shcherbakov", "Tomsk", "Vologda", "Samara", "Ivanovo",
        "Tver", "Cherepovets",
    ],
}  # fmt: skip
_CLAUSE_CUTS = re.compile(r",\s|;\s|\s[—–]\s|\s(?:and|but|while|which|who|although)\s")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _english_word(word: str) -> bool:
    from translate.checks.names import english_word

    return english_word(word)


def _fold(text: str) -> str:
    from translate.checks.names import fold

    return fold(text)


def inject_number(pair: dict, rng: random.Random) -> str | None:
    ref = pair["reference"]
    figures = list(re.finditer(r"\d+", ref))
    if not figures:
        return None
    m = rng.choice(figures)
    digits = m.group()
    changed = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    return ref[: m.start()] + changed + ref[m.end() :]


def inject_omission(pair: dict, rng: random.Random) -> str | None:
    from translate.segment import split

    ref = pair["reference"].strip()
    if pair["kind"] == "headline":
        return None
    sentences = [s.text for s in split(ref, "en") if s.text.strip()]
    if len(sentences) >= 2:
        return " ".join(sentences[:-1]).strip()
    cuts = [m.start() for m in _CLAUSE_CUTS.finditer(ref) if m.start() > len(ref) / 3]
    if not cuts:
        return None
    head = ref[: cuts[-1]].rstrip(" ,;—–")
    dropped = ref[cuts[-1] :]
    if len(_WORD.findall(dropped)) < 2 or len(_WORD.findall(head)) < 3:
        return None
    if head.count('"') % 2 or head.count("“") != head.count("”"):
        head += '"' if head.count('"') % 2 else "”"
    return head + ("." if ref.endswith((".", '."', ".”")) else "")


_MONTHS = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*$"
)


def _from_source(word: str, lang: str, source_words: set[str]) -> bool:
    """The English word is a source word: the same (es) or a romanization of one (ru)."""
    folded = _fold(word)
    if lang != "ru":
        return folded in source_words
    from rapidfuzz.fuzz import ratio

    from translate.checks.names import romanizations

    return any(
        ratio(form[: len(folded) + 2], folded) >= 75
        for w in source_words
        for form in romanizations(w)
    )


def _name_runs(pair: dict) -> list[tuple[int, int]]:
    """Spans of names in the reference that come from the source."""
    ref = pair["reference"]
    source_words = {_fold(w) for w in _WORD.findall(pair["source"])}
    runs: list[list[re.Match]] = []
    for m in _WORD.finditer(ref):
        w = m.group()
        before = ref[: m.start()].rstrip()
        sentence_start = not before or before[-1] in '.!?"“—:'
        is_name = (
            w[:1].isupper()
            and not w.isupper()
            and len(w) > 2
            and not sentence_start
            and not _english_word(w)
            and not _MONTHS.match(w)
            and _from_source(w, pair["lang"], source_words)
        )
        if is_name and runs and ref[runs[-1][-1].end() : m.start()] == " ":
            runs[-1].append(m)
        elif is_name:
            runs.append([m])
    return [(r[0].start(), r[-1].end()) for r in runs]


def inject_name(pair: dict, rng: random.Random) -> str | None:
    from rapidfuzz.fuzz import ratio

    runs = _name_runs(pair)
    if not runs:
        return None
    start, end = rng.choice(runs)
    old = pair["reference"][start:end]
    words = len(old.split())
    pool = [
        n
        for n in NAME_POOL[pair["lang"]]
        if len(n.split()) == min(words, 2) and ratio(_fold(n), _fold(old)) < 50
    ]
    if not pool:
        return None
    return pair["reference"][:start] + rng.choice(pool) + pair["reference"][end:]


def inject_untranslated(pair: dict, rng: random.Random) -> str | None:
    return pair["source"]


def inject_loop(pair: dict, rng: random.Random) -> str | None:
    words = pair["reference"].split()
    if len(words) < 4:
        return None
    i = rng.randrange(0, len(words) - 3)
    chunk = words[i : i + 4]
    return " ".join(words[: i + 4] + chunk + chunk + words[i + 4 :])


INJECT = {
    "omission": inject_omission,
    "name": inject_name,
    "number": inject_number,
    "untranslated": inject_untranslated,
    "loop": inject_loop,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="append", default=[], help="print the caught TYPE")
    parser.add_argument("--missed", action="append", default=[], help="print the missed TYPE")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--no-back-translation", action="store_true")
    args = parser.parse_args(argv)

    pairs = [p for p in load_pairs() if args.split in ("all", p["split"])]
    from translate.checks.backtranslate import analyse

    words = {w for p in pairs for w in _WORD.findall(p["reference"])}
    analyse(sorted(words | {w.lower() for w in words}), "en")  # one process for them all
    items = [dict(p, translation=p["reference"], type="clean", pair=i) for i, p in enumerate(pairs)]
    for i, p in enumerate(pairs):
        for kind in TYPES:
            rng = random.Random(f"{p['id']}/{kind}")
            corrupted = INJECT[kind](p, rng)
            if corrupted is not None and corrupted != p["reference"]:
                items.append(dict(p, translation=corrupted, type=kind, pair=i))
    results = run_checks(items, bench_workflow(not args.no_back_translation))

    clean = {
        it["pair"]: res for it, res in zip(items, results, strict=True) if it["type"] == "clean"
    }
    stats: dict[tuple[str, str], list[int]] = {}  # (type, split) -> [n, blocking, any]
    false_blocking = {"dev": 0, "heldout": 0}
    sizes = {"dev": 0, "heldout": 0}
    for it, res in zip(items, results, strict=True):
        split = it["split"]
        if it["type"] == "clean":
            sizes[split] += 1
            false_blocking[split] += sum(f.severity == "blocking" for f in res)
            continue
        before = {(f.code, f.message) for f in clean[it["pair"]]}
        new = [f for f in res if (f.code, f.message) not in before]
        for key in ((it["type"], split), (it["type"], "all")):
            row = stats.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += any(f.severity == "blocking" for f in new)
            row[2] += bool(new)
        wanted = args.show if new else args.missed
        if it["type"] in wanted:
            print(f"{it['id']} {it['type']}: {'; '.join(f'{f.code}' for f in new) or '-'}")
            print(f"    {it['source']}\n    {it['translation']}")

    def share(kind: str, split: str, col: int) -> float:
        row = stats.get((kind, split), [0, 0, 0])
        return row[col] / row[0] if row[0] else 0.0

    print(f"{len(pairs)} clean pairs; share of corrupted copies with a new finding")
    print(f"{'error':13} {'n':>5} {'blocking dev/held-out/all':>27} {'any dev/held-out/all':>24}")
    for kind in TYPES:
        n = stats.get((kind, "all"), [0])[0]
        print(
            f"{kind:13} {n:5d} {share(kind, 'dev', 1):9.3f} /{share(kind, 'heldout', 1):6.3f} /"
            f"{share(kind, 'all', 1):6.3f}   {share(kind, 'dev', 2):7.3f} /"
            f"{share(kind, 'heldout', 2):6.3f} /{share(kind, 'all', 2):6.3f}"
        )
    per100 = {s: 100 * false_blocking[s] / max(1, sizes[s]) for s in sizes}
    total = 100 * sum(false_blocking.values()) / max(1, sum(sizes.values()))
    print(
        f"false blocking findings on clean pairs per 100: dev {per100['dev']:.2f}, "
        f"held-out {per100['heldout']:.2f}"
    )
    print(
        "checks_recall: "
        + " ".join(f"{kind}={share(kind, 'all', 2):.3f}" for kind in TYPES)
        + f" false_blocking_per_100={total:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
