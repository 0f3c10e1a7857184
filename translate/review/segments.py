"""Changing segments: edits (new versions, optimistic concurrency), confirmations, comments.

An edit based on a stale version is refused with both texts; nothing is ever overwritten. An edit to
an approved story withdraws the approval; an editor's correction to a published story reopens it.
"""

from __future__ import annotations

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _, ngettext
from translate.review.access import (
    EditConflict,
    lease_end,
    may_change,
    require_reviewer,
    story_pair,
)
from translate.store.states import SegmentState, StoryState


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DeskError(_("empty translation: nothing saved"))
    return text


def _conflict(store, story_id: str, seg: dict, yours: str | None) -> EditConflict:
    current = store.version(seg["version_id"]) if seg["version_id"] else None
    who = (current["author"] or current["engine"] or current["origin"]) if current else "-"
    theirs = seg["translation"] if seg["translation"] is not None else ""
    message = (
        _(
            "segment {n} of '{id}' changed since you read it (now version {v} by {who}); "
            "nothing saved"
        ).format(n=seg["number"], id=story_id, v=seg["version_id"], who=who)
        + "\n  "
        + _("theirs: {text}").format(text=theirs)
        + "\n  "
        + _("yours:  {text}").format(text=yours if yours is not None else "")
    )
    return EditConflict(message, theirs, yours, seg["version_id"])


def _after_change(store, workflow: Workflow, story: dict, user: str, mode: str) -> None:
    """What a changed segment does to its story: renew the lease, withdraw approvals, reopen."""
    story_id = story["id"]
    if mode == "claim":
        store.set_claim(story_id, user, lease_end(workflow))
        return
    store.withdraw_approvals(
        story_id, user, _("approval withdrawn: the story changed after it was approved")
    )
    if mode == "reopen":
        published = story["state"] == StoryState.PUBLISHED
        note = _("correction after publication") if published else _("changed after approval")
        store.set_story_state(
            story_id,
            StoryState.IN_TRANSLATION,
            user,
            note=note,
            claimed_by=user,
            claim_until=lease_end(workflow),
        )
        if published:
            store.log("reopen", story_id, user=user, note=note)


def _run_checks(store, workflow: Workflow, story_id: str, number: int) -> None:
    from translate.checks import check_segment

    check_segment(store, workflow, story_id, number)


def _changing(store, workflow, story_id, number, text, user, base_version_id):
    """Inside the caller's write transaction: the story, how `user` may change it and the
    segment; a stale `base_version_id` raises EditConflict with both texts."""
    story = store.story(story_id)
    mode = may_change(workflow, story, user)
    seg = store.segment(story_id, number)
    if base_version_id is not None and base_version_id != seg["version_id"]:
        raise _conflict(store, story_id, seg, text)
    return story, mode, seg


def edit_segment(
    store,
    workflow: Workflow,
    story_id: str,
    number: int,
    text: str,
    user: str,
    base_version_id: int | None = None,
) -> int:
    """Save a new human version of a segment; returns its version id (the current one when the
    text is unchanged). A stale `base_version_id` raises EditConflict with both texts."""
    text = _clean(text)
    with store.write():
        story, mode, seg = _changing(store, workflow, story_id, number, text, user, base_version_id)
        current = seg["version_id"]
        if seg["translation"] == text:
            return current
        version_id = store.add_version(
            seg["id"],
            story_id,
            text,
            origin="human",
            state=SegmentState.EDITED,
            author=user,
            base_version_id=current,
        )
        store.log("edit", story_id, seg["id"], user, before=seg["translation"], after=text)
        _after_change(store, workflow, story, user, mode)
    _run_checks(store, workflow, story_id, number)
    return version_id


def machine_segment(
    store,
    workflow: Workflow,
    story_id: str,
    number: int,
    text: str,
    user: str,
    base_version_id: int | None = None,
    note: str | None = None,
) -> tuple[int, int]:
    """Save machine text brought in by `user` (an import of a machine-translated file) as a
    machine draft (origin 'mt', state machine), then run the localize stage on it and then the
    segment's checks, as `translate mt` does. Same claim and conflict rules as edit_segment.
    Returns (the current version id, the number of house-style changes)."""
    from translate.localize.stage import localize_draft

    text = _clean(text)
    with store.write():
        story, mode, seg = _changing(store, workflow, story_id, number, text, user, base_version_id)
        current = seg["version_id"]
        if seg["translation"] == text:
            return current, 0
        version_id = store.add_version(
            seg["id"], story_id, text, origin="mt", state=SegmentState.MACHINE,
            base_version_id=current,
        )  # fmt: skip
        store.log("mt", story_id, seg["id"], user, before=seg["translation"], after=text, note=note)
        localized = localize_draft(store, workflow, story, seg, text, version_id, user)
        _after_change(store, workflow, story, user, mode)
        version_id = store.segment(story_id, number)["version_id"]
    _run_checks(store, workflow, story_id, number)
    return version_id, localized


def _confirm(store, story_id: str, seg: dict, user: str) -> bool:
    if seg["version_id"] is None:
        raise DeskError(
            _(
                "segment {n} of '{id}' has no translation yet; write one with 'translate edit'"
            ).format(n=seg["number"], id=story_id)
        )
    if seg["state"] >= SegmentState.CONFIRMED:
        return False
    store.set_segment_state(seg["id"], SegmentState.CONFIRMED)
    store.log(
        "confirm",
        story_id,
        seg["id"],
        user,
        before=SegmentState(seg["state"]).label,
        after=SegmentState.CONFIRMED.label,
    )
    return True


class BlockingFindings(DeskError):
    """Confirming would accept open blocking findings: the caller asks for an override reason."""

    def __init__(self, message: str, findings: list[dict]):
        super().__init__(message)
        self.findings = findings


def segment_blocking(store, story_id: str, number: int) -> list[dict]:
    """The open blocking findings of one segment."""
    seg = store.segment(story_id, number)
    return [f for f in store.open_blocking(story_id) if f["segment_id"] == seg["id"]]


def confirm_segment(
    store,
    workflow: Workflow,
    story_id: str,
    number: int,
    user: str,
    *,
    base_version_id: int | None = None,
    override: str | None = None,
    refuse_blocking: bool = False,
) -> bool:
    """Mark a segment's current translation as confirmed; False when it already was.

    `override` accepts the segment's open blocking findings with that reason (recorded on each,
    one `override` event each, as `submit --override` does), in the same transaction. Without
    it, `refuse_blocking` raises BlockingFindings instead of confirming over them (the review
    screen asks for the reason); the scriptable `confirm` leaves them to the submit gate."""
    with store.write():
        story = store.story(story_id)
        mode = may_change(workflow, story, user)
        seg = store.segment(story_id, number)
        if base_version_id is not None and base_version_id != seg["version_id"]:
            seen = store.version(base_version_id)
            raise _conflict(store, story_id, seg, seen["text"] if seen else None)
        blocking = [f for f in store.open_blocking(story_id) if f["segment_id"] == seg["id"]]
        if blocking and override is not None:
            store.override_findings(story_id, override, user, segment_id=seg["id"])
        elif blocking and refuse_blocking and seg["state"] < SegmentState.CONFIRMED:
            raise BlockingFindings(
                ngettext(
                    "segment {n} has an open blocking finding ({codes}); confirm it with an "
                    "override reason",
                    "segment {n} has {count} open blocking findings ({codes}); confirm them with "
                    "an override reason",
                    len(blocking),
                ).format(
                    n=number,
                    count=len(blocking),
                    codes=", ".join(dict.fromkeys(f["code"] for f in blocking)),
                ),
                blocking,
            )
        changed = _confirm(store, story_id, seg, user)
        if changed and mode == "claim":
            store.set_claim(story_id, user, lease_end(workflow))
    return changed


def confirm_all(store, workflow: Workflow, story_id: str, user: str) -> dict:
    """Confirm every translated segment; returns {'confirmed': [n...], 'untranslated': [n...]}."""
    confirmed, untranslated = [], []
    with store.write():
        story = store.story(story_id)
        mode = may_change(workflow, story, user)
        for seg in store.segments(story_id):
            if seg["version_id"] is None:
                untranslated.append(seg["number"])
            elif _confirm(store, story_id, seg, user):
                confirmed.append(seg["number"])
        if confirmed and mode == "claim":
            store.set_claim(story_id, user, lease_end(workflow))
    return {"confirmed": confirmed, "untranslated": untranslated}


def add_comment(
    store,
    story_id: str,
    number: int | None,
    text: str,
    user: str,
    workflow: Workflow | None = None,
) -> int:
    """A comment on a story (number None) or one of its segments; returns its id. With the
    workflow, only a translator or editor of the story's pair may comment."""
    text = (text or "").strip()
    if not text:
        raise DeskError(_("empty comment: nothing saved"))
    with store.write():
        story = store.story(story_id)
        if workflow is not None:
            require_reviewer(workflow, user, story_pair(story))
        segment_id = store.segment(story_id, number)["id"] if number is not None else None
        comment_id = store.add_comment_row(story_id, segment_id, user, text)
        store.log("comment", story_id, segment_id, user, after=text)
    return comment_id
