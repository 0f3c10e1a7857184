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
    localized = store.localized_changes(story_id)
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
                "confidence": seg["confidence"],
                "localized": localized.get(seg["id"], []),
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


def story_page(store, workflow, story_id: str) -> dict[str, Any]:
    """Everything the web front's story page shows, from one round of bulk reads (a fixed number of
    queries whatever the story's length): provenance, units of segments with source, current and
    machine-draft text with a word diff, findings with overrides, comments, glossary terms, the
    house-style changes of the localize stage still in the text, the active approvals and the
    editors' notes."""
    from translate.i18n import _
    from translate.localize.revert import applied_changes
    from translate.review.context import glossary_finder
    from translate.tm import word_diff

    story = store.story(story_id)
    units = store.units(story_id)
    segments = store.segments(story_id)
    findings = store.findings(story_id)
    comments = store.comments(story_id)
    drafts = store.machine_drafts(story_id)
    approvals = store.active_approvals(story_id)
    notes = store.last_notes([story_id], "reject")
    localized = store.localized_changes(story_id)  # the house-style changes, one query

    by_segment: dict[int | None, list[dict]] = {}
    for f in findings:
        by_segment.setdefault(f["segment_id"], []).append(f)
    comments_by: dict[int | None, list[dict]] = {}
    for c in comments:
        comments_by.setdefault(c["segment_id"], []).append(c)

    problems: list[str] = []
    try:
        find = glossary_finder(workflow, story)
    except Exception as exc:  # noqa: BLE001 - a broken glossary must not hide the story
        problems.append(_("{what} unavailable: {error}").format(what=_("glossary"), error=exc))
        find = None

    def glossary(source: str) -> list[dict]:
        if find is None:
            return []
        try:
            return find(source)
        except Exception as exc:  # noqa: BLE001
            problems.append(_("{what} unavailable: {error}").format(what=_("glossary"), error=exc))
            return []

    out_units: list[dict] = []
    by_unit: dict[int, dict] = {}
    for unit in units:
        entry = {"kind": unit["kind"], "position": unit["position"], "segments": []}
        out_units.append(entry)
        by_unit[unit["id"]] = entry
    open_blocking = 0
    for seg in segments:
        draft = drafts.get(seg["id"])
        current = seg["translation"]
        changed = draft is not None and current is not None and draft["text"] != current
        seg_findings = by_segment.get(seg["id"], [])
        open_blocking += sum(
            1 for f in seg_findings if f["status"] == "open" and f["severity"] == "blocking"
        )
        by_unit[seg["unit_id"]]["segments"].append(
            {
                "number": seg["number"],
                "source": seg["source"],
                "translation": current,
                "version_id": seg["version_id"],
                "state": SegmentState(seg["state"]).label,
                "confirmed": seg["state"] >= SegmentState.CONFIRMED,
                "origin": seg["origin"],
                "engine": seg["engine"],
                "author": seg["author"],
                "draft": draft["text"] if draft else None,
                "draft_engine": (draft["engine"] or draft["origin"]) if draft else None,
                "changed": changed,
                "diff": word_diff(draft["text"], current) if changed else None,
                "findings": seg_findings,
                "comments": comments_by.get(seg["id"], []),
                "glossary": glossary(seg["source"]),
                # the localize stage's changes still in the text (each revertible on the page)
                "localized": applied_changes(localized.get(seg["id"], []), current),
            }
        )
    open_blocking += sum(
        1 for f in by_segment.get(None, []) if f["status"] == "open" and f["severity"] == "blocking"
    )
    confirmed = sum(1 for s in segments if s["state"] >= SegmentState.CONFIRMED)
    rejection = notes.get(story_id)
    return {
        "id": story["id"],
        "title": story["title"],
        "language": story["language"],
        "target_language": story["target_language"],
        "pair": f"{story['language']}-{story['target_language']}",
        "state": StoryState(story["state"]).label,
        "state_value": int(story["state"]),
        "rejected": bool(story["rejected"]),
        "rejection": rejection if story["rejected"] else None,
        "claimed_by": story["claimed_by"],
        "claim_until": story["claim_until"],
        "priority": story["priority"],
        "deadline": story["deadline"],
        "untranslated_reason": story["untranslated_reason"],
        "provenance": {
            k: story[k]
            for k in ("outlet", "author", "url", "published", "updated", "dateline", "rights")
        },
        "source_path": story["source_path"],
        "dek": story["dek"],
        "units": out_units,
        "segments": len(segments),
        "confirmed": confirmed,
        "open_blocking": open_blocking,
        "story_findings": by_segment.get(None, []),
        "story_comments": comments_by.get(None, []),
        "approvals": approvals,
        "problems": problems,
    }


def segment_page(store, workflow, story_id: str, number: int) -> dict[str, Any]:
    """One segment with what the review screen shows beside it (glossary, findings, translation
    memory, comments), its machine draft and word diff, and its neighbours' numbers: the web
    front's edit page."""
    from translate.review.context import segment_context
    from translate.tm import word_diff

    story = store.story(story_id)
    seg = store.review_segment(story_id, number)
    draft = store.machine_drafts(story_id).get(seg["id"])
    current = seg["translation"]
    changed = draft is not None and current is not None and draft["text"] != current
    numbers = [s["number"] for s in store.segments(story_id)]
    at = numbers.index(number) if number in numbers else -1
    return {
        "story": {
            "id": story["id"],
            "title": story["title"],
            "language": story["language"],
            "target_language": story["target_language"],
            "state": StoryState(story["state"]).label,
        },
        "number": seg["number"],
        "unit_kind": seg["unit_kind"],
        "source": seg["source"],
        "translation": current,
        "version_id": seg["version_id"],
        "state": SegmentState(seg["state"]).label,
        "confirmed": seg["state"] >= SegmentState.CONFIRMED,
        "draft": draft["text"] if draft else None,
        "diff": word_diff(draft["text"], current) if changed else None,
        "previous": numbers[at - 1] if at > 0 else None,
        "next": numbers[at + 1] if 0 <= at < len(numbers) - 1 else None,
        **segment_context(store, workflow, story, seg),
    }
