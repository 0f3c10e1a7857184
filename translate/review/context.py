"""What the review screen shows beside a segment: glossary terms with their approved renderings,
the checks' findings, translation-memory matches and comments.

Each source is optional: a desk without a glossary file, a checks registry or a translation memory
still reviews. The glossary and TM modules are imported here, inside the functions, never at CLI
start-up.
"""

from __future__ import annotations

from typing import Any

from translate.config import Workflow

TM_LIMIT = 3


def glossary_finder(workflow: Workflow, story: dict):
    """A function source -> glossary hits for the story's pair, the glossary loaded once (a page
    of many segments asks it once per segment)."""
    pair = workflow.pair(story["language"], story["target_language"])
    if pair is None:
        return lambda source: []
    from translate.glossary import glossary_path, loaded

    path = glossary_path(workflow, pair)
    if not path.exists():
        return lambda source: []
    glossary, matcher = loaded(path, pair.source, pair.target)

    def find(source: str) -> list[dict[str, Any]]:
        hits = []
        for m in matcher.find(source):
            entry = glossary.entries[m.entry]
            hits.append(
                {
                    "text": source[m.start : m.end],
                    "term": entry.source,
                    "rendering": entry.rendering,
                    "kind": entry.kind,
                    "avoid": list(entry.avoid),
                    "note": entry.note,
                }
            )
        return hits

    return find


def glossary_hits(workflow: Workflow, story: dict, source: str) -> list[dict[str, Any]]:
    """Glossary terms found in `source`, each with what the translation should say."""
    return glossary_finder(workflow, story)(source)


def tm_matches(store, workflow: Workflow, story: dict, source: str) -> list[dict[str, Any]]:
    """The best fuzzy translation-memory matches for `source`, with score and a word diff."""
    from translate.tm import fuzzy_matches, render_diff

    found = fuzzy_matches(
        store,
        story["language"],
        story["target_language"],
        source,
        limit=TM_LIMIT,
        threshold=workflow.tm_fuzzy_threshold,
    )
    return [
        {
            "score": m["score"],
            "source": m["source"],
            "target": m["target"],
            "diff": render_diff(m["diff"]),
        }
        for m in found
    ]


def segment_findings(store, story_id: str, segment_id: int) -> list[dict]:
    return list(store.findings(story_id, segment_id=segment_id))


def numbers_with_findings(store, story_id: str, code: str | None = None) -> list[int]:
    """Segment numbers with open findings (of `code`, when given), in order."""
    return sorted(
        {
            f["number"]
            for f in store.findings(story_id, status="open")
            if f["number"] and (code is None or f["code"] == code)
        }
    )


def next_with_finding(store, story_id: str, number: int, code: str | None = None) -> int | None:
    """The next segment after `number` with an open finding (of `code`), wrapping round to the
    first; None when there is none."""
    found = numbers_with_findings(store, story_id, code)
    later = [n for n in found if n > number] or found
    return later[0] if later else None


def unit_neighbours(segments: list[dict], seg: dict) -> tuple[list[dict], list[dict]]:
    """The segments of `seg`'s unit (paragraph, headline...) before and after it, nearest last
    and first respectively; `segments` is the story's, as store.segments returns them."""
    same = [s for s in segments if s["unit_id"] == seg["unit_id"]]
    before = [s for s in same if s["number"] < seg["number"]]
    after = [s for s in same if s["number"] > seg["number"]]
    return before, after


def segment_context(store, workflow: Workflow, story: dict, seg: dict) -> dict[str, Any]:
    """Everything shown beside a segment. A failing optional source (glossary file, TM) becomes a
    line in `problems` instead of stopping the review."""
    from translate.i18n import _

    problems: list[str] = []

    def optional(label: str, fn, *args) -> list:
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - the screen must outlive a broken extra
            problems.append(_("{what} unavailable: {error}").format(what=label, error=exc))
            return []

    return {
        "glossary": optional(_("glossary"), glossary_hits, workflow, story, seg["source"]),
        "findings": segment_findings(store, story["id"], seg["id"]),
        "tm": optional(_("translation memory"), tm_matches, store, workflow, story, seg["source"]),
        "comments": store.comments(story["id"], seg["id"]),
        "problems": problems,
    }
