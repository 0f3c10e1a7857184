"""The check benchmarks' corpus: es→en and ru→en news sentence pairs in bench/data/ (see its
README), and a helper that runs every registered check on them the way `check_story` does.

Each pair is a dict: id ("es-017", "es-h005"), lang, kind ("headline" for the "h:" lines, else
"paragraph"), source, reference, split: "dev" for <lang>-en.txt (the checks were tuned looking at
these), "heldout" for <lang>-en.heldout.txt (written after the tuning, never looked at for it).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))


def load_pairs(folder: Path = DATA, langs=("es", "ru")) -> list[dict]:
    pairs = []
    for lang in langs:
        for split, name, prefix in (
            ("dev", f"{lang}-en.txt", ""),
            ("heldout", f"{lang}-en.heldout.txt", "h"),
        ):
            path = folder / name
            if not path.exists():
                continue
            n = 0
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                kind = "paragraph"
                if line.startswith("h:"):
                    kind, line = "headline", line[2:]
                source, reference = (part.strip() for part in line.split("|||"))
                n += 1
                pairs.append(
                    {
                        "id": f"{lang}-{prefix}{n:03d}",
                        "lang": lang,
                        "kind": kind,
                        "source": source,
                        "reference": reference,
                        "split": split,
                    }
                )
    return pairs


def bench_workflow(back_translation: bool = True):
    """A workflow with no pairs configured: each pair's glossary is glossaries/<pair>.csv of the
    repository (the sample desk's starter glossaries)."""
    from translate.config import Workflow

    wf = Workflow(
        path=ROOT / "workflow.yaml",
        root=ROOT,
        store=ROOT / "bench.db",
        pairs={},
        translators={},
        editors={},
        glossaries_dir=ROOT / "glossaries",
    )
    wf.back_translation = back_translation
    return wf


def run_checks(items: list[dict], workflow=None) -> list[list]:
    """Findings (severity resolved as `check_story` does) for each item, a dict with lang, kind,
    source and translation. Items of one language form one "story", so the context providers
    (glossary, back-translation) run once per language as they run once per story on a desk."""
    from translate.checks import CheckContext, run_segment_checks, story_extras, validate_blocking

    workflow = workflow or bench_workflow()
    blocking = validate_blocking(workflow)
    out: list[list] = [[] for _ in items]
    for lang in sorted({it["lang"] for it in items}):
        idx = [i for i, it in enumerate(items) if it["lang"] == lang]
        segments = [
            {"id": i, "source": items[i]["source"], "translation": items[i]["translation"]}
            for i in idx
        ]
        story = {"id": f"bench-{lang}", "language": lang, "target_language": "en"}
        extras = story_extras(None, workflow, story, segments)
        for i in idx:
            it = items[i]
            ctx = CheckContext(
                it["source"],
                it["translation"],
                lang,
                "en",
                unit_kind=it.get("kind", "paragraph"),
                story_id=story["id"],
                segment_id=i,
                extras=dict(extras.get(i, {})),
            )
            out[i] = run_segment_checks(ctx, blocking)
    return out
