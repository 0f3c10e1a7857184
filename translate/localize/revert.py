"""Undo one house-style change: the translator's answer to a machine change they disagree with.

A change is a version of origin `localize`; reverting it writes a new human version (through
translate.review.edit_segment, so claims, approvals and checks work as for any edit) with that one
change undone and every other change — earlier or later — kept.
"""

from __future__ import annotations

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _


def change_of(version: dict, base_text: str) -> tuple[int, str, str]:
    """What a localize version changed: (offset, old text, new text), from its recorded detail,
    else from where its text differs from its base's."""
    import json

    detail = json.loads(version.get("detail") or "{}")
    if isinstance(detail.get("old"), str) and isinstance(detail.get("new"), str):
        return int(detail.get("at") or 0), detail["old"], detail["new"]
    return text_diff(base_text, version["text"])


def text_diff(before: str, after: str, widen: bool = True) -> tuple[int, str, str]:
    """Where two texts differ: (offset in `before`, old text, new text); widened to whole words."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    if widen:
        while start > 0 and not before[start - 1].isspace():
            start -= 1
        while end_b < len(before) and end_a < len(after) and not before[end_b].isspace():
            end_b += 1
            end_a += 1
    return start, before[start:end_b], after[start:end_a]


def localized_changes(store, segment_id: int) -> list[dict]:
    """The house-style changes in a segment's current draft, oldest first: version, rule, old, new."""
    chain = store.version_chain(segment_id)
    by_id = {v["id"]: v for v in chain}
    out = []
    for version in reversed(chain):
        if version["origin"] != "localize":
            continue
        base = by_id.get(version["base_version_id"])
        if base is None:
            continue
        _at, old, new = change_of(version, base["text"])
        out.append({"version": version["id"], "rule": version["rule"], "before": old, "after": new})
    return out


def still_applied(change: dict, current: str | None) -> bool:
    """Whether a change (as localized_changes or store.localized_changes give it) can still be
    reverted in `current`: its new text is there exactly once (not undone, not edited away)."""
    after = change.get("after")
    return bool(current) and isinstance(after, str) and bool(after) and current.count(after) == 1


def applied_changes(changes: list[dict], current: str | None) -> list[dict]:
    """The changes of `changes` still in `current` (what a revert key or button may undo)."""
    return [c for c in changes if still_applied(c, current)]


def revert_change(
    store,
    workflow: Workflow,
    story_id: str,
    number: int,
    user: str,
    version_id: int | None = None,
    base_version_id: int | None = None,
) -> tuple[int, dict]:
    """Undo one localize change (the newest still in the text, or `version_id`) in a segment's
    current draft; returns (the new version's id, the change undone). Refuses when the change was
    edited since; a stale `base_version_id` (the version the caller saw) raises EditConflict."""
    from translate.review import edit_segment
    from translate.review.segments import _conflict

    story_id = store.story(story_id)["id"]
    seg = store.segment(story_id, number)
    if base_version_id is not None and base_version_id != seg["version_id"]:
        raise _conflict(store, story_id, seg, None)
    chain = store.version_chain(seg["id"])
    by_id = {v["id"]: v for v in chain}
    changes = [v for v in chain if v["origin"] == "localize"]
    if not changes:
        raise DeskError(
            _("segment {n} of '{id}' has no house-style change to revert").format(
                n=number, id=story_id
            )
        )
    if version_id is None:
        # the newest change still in the text: one already undone is passed over
        current_text = chain[0]["text"]
        target = next(
            (
                v
                for v in changes
                if v["text"] == current_text
                or (
                    v["base_version_id"] in by_id
                    and current_text.count(change_of(v, by_id[v["base_version_id"]]["text"])[2])
                    == 1
                )
            ),
            changes[0],
        )
    else:
        target = next((v for v in changes if v["id"] == version_id), None)
        if target is None:
            raise DeskError(
                _(
                    "version {v} is not a house-style change in segment {n}'s current draft "
                    "(changes: {versions})"
                ).format(v=version_id, n=number, versions=", ".join(str(v["id"]) for v in changes))
            )
    base = by_id[target["base_version_id"]]
    current = chain[0]["text"]
    _at, old, new = change_of(target, base["text"])
    if current == target["text"]:
        text = base["text"]
    elif current.count(new) == 1:
        text = current.replace(new, old, 1)
    else:
        raise DeskError(
            _(
                "segment {n} of '{id}': the change '{old}' → '{new}' was edited since; "
                "change it with 'translate edit'"
            ).format(n=number, id=story_id, old=old, new=new)
        )
    version = edit_segment(
        store, workflow, story_id, number, text, user, base_version_id=seg["version_id"]
    )
    return version, {
        "version": target["id"],
        "rule": target["rule"],
        "before": old,
        "after": new,
    }
