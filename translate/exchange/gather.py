"""Collect what an export says about each segment: source, translation, state, version, unit kind,
glossary hints (terms of the pair's glossary found in the source) and open findings.

Texts are passed through textclean.xml_safe: a story stored before ingest cleaned control
characters must still export as a file that parses (PO and XLIFF alike)."""

from __future__ import annotations

from translate.exchange.model import OutSegment, OutStory, segment_ref
from translate.textclean import xml_safe


def _glossary_hints(workflow, story: dict, segments: list[dict]) -> dict[int, list[str]]:
    """segment number -> ["Кремль → Kremlin (preferred)", ...] from the pair's glossary."""
    pair = workflow.pair(story["language"], story["target_language"] or "en") if workflow else None
    if pair is None:
        return {}
    from translate.glossary import glossary_path, loaded

    path = glossary_path(workflow, pair)
    if not path.exists():
        return {}
    glossary, matcher = loaded(path, pair.source, pair.target)
    hints: dict[int, list[str]] = {}
    for seg in segments:
        for match in matcher.find(seg["source"]):
            entry = glossary.entries[match.entry]
            term = seg["source"][match.start : match.end]
            if entry.kind == "forbidden":
                text = f"{term}: avoid {', '.join(entry.avoid)}"
                if entry.target:
                    text += f" (use {entry.target})"
            elif entry.kind == "keep":
                text = f"{term} → {entry.rendering} (keep)"
            else:
                text = f"{term} → {entry.rendering}"
                if entry.avoid:
                    text += f" (not {', '.join(entry.avoid)})"
            if entry.note:
                text += f"; {entry.note}"
            hints.setdefault(seg["number"], []).append(xml_safe(text))
    return hints


def gather(store, workflow, story_id: str) -> OutStory:
    story = store.story(story_id)
    rows = store.segments(story_id)
    findings: dict[int, list[dict]] = {}
    for f in store.findings(story_id, status="open"):
        if f["segment_id"] is not None:
            findings.setdefault(f["segment_id"], []).append(
                {"code": f["code"], "severity": f["severity"], "message": f["message"]}
            )
    hints = _glossary_hints(workflow, story, rows)
    segments = [
        OutSegment(
            number=r["number"],
            ref=segment_ref(story_id, r["number"]),
            source=xml_safe(r["source"]),
            translation=xml_safe(r["translation"]),
            state=r["state"],
            origin=r["origin"],
            version_id=r["version_id"],
            unit_kind=r["unit_kind"],
            unit_position=r["unit_position"],
            glossary=hints.get(r["number"], []),
            findings=findings.get(r["id"], []),
        )
        for r in rows
    ]
    return OutStory(
        id=story_id,
        title=xml_safe(story["title"]),
        source_lang=story["language"],
        target_lang=story["target_language"] or "en",
        segments=segments,
    )
