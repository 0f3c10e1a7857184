"""Read-only views of stories for `show`, `stories` and `status` (and the review screen)."""

from __future__ import annotations

from typing import Any

from translate.store.states import SegmentState, StoryState


def story_state_label(row: dict) -> str:
    return StoryState(row["state"]).label


def story_view(store, story_id: str) -> dict[str, Any]:
    """The story as `show --json` prints it: units → segments with translation, state, findings.

    Each segment's `version` is the id of its current translation version (None before any): the
    VERSION that `translate edit --base` takes to refuse a stale edit."""
    story = store.story(story_id)
    segments = store.segments(story_id)
    findings_by_segment: dict[int, list[dict]] = {}
    for f in store.findings(story_id):
        findings_by_segment.setdefault(f["segment_id"], []).append(
            {
                "code": f["code"],
                "severity": f["severity"],
                "message": f["message"],
                "span": [f["span_start"], f["span_end"]] if f["span_start"] is not None else None,
                "status": f["status"],
            }
        )
    units: list[dict] = []
    by_unit: dict[int, dict] = {}
    for unit in store.units(story_id):
        entry = {"kind": unit["kind"], "position": unit["position"], "segments": []}
        units.append(entry)
        by_unit[unit["id"]] = entry
    for seg in segments:
        by_unit[seg["unit_id"]]["segments"].append(
            {
                "id": seg["number"],
                "version": seg["version_id"],
                "source": seg["source"],
                "translation": seg["translation"],
                "state": SegmentState(seg["state"]).label,
                "ws": seg["ws"],
                "origin": seg["origin"],
                "engine": seg["engine"],
                "model": seg["model"],
                "model_version": seg["model_version"],
                "author": seg["author"],
                "revision": seg["revision"],
                "reopened": seg["revision"] > 1 and seg["revision"] == story["revision"],
                "findings": findings_by_segment.get(seg["id"], []),
            }
        )
    return {
        "id": story["id"],
        "title": story["title"],
        "language": story["language"],
        "target_language": story["target_language"],
        "state": StoryState(story["state"]).label,
        "revision": story["revision"],
        "rejected": bool(story["rejected"]),
        "untranslated_reason": story["untranslated_reason"],
        "claimed_by": story["claimed_by"],
        "claim_until": story["claim_until"],
        "provenance": {
            k: story[k]
            for k in (
                "author",
                "outlet",
                "url",
                "published",
                "updated",
                "dateline",
                "rights",
                "source_path",
                "source_format",
                "source_encoding",
                "source_sha256",
            )
        },
        "dek": story["dek"],
        "units": units,
    }
