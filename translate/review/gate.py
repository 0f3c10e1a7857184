"""The approval gate: submit (all confirmed, no open blocking finding unless overridden with a
reason), approve (editors only, four-eyes, N approvals), reject (back to the translator with notes)."""

from __future__ import annotations

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _, ngettext
from translate.review.access import (
    claimed_by_other,
    lease_active,
    lease_end,
    require_editor,
    require_pair,
    require_role,
    story_pair,
)
from translate.store.states import StoryState


def _open_blocking(store, story_id: str) -> list[dict]:
    return list(store.open_blocking(story_id))


def _describe_findings(findings: list[dict]) -> str:
    parts = []
    for f in findings[:5]:
        n = f.get("number")
        parts.append(_("{code} (segment {n})").format(code=f["code"], n=n) if n else f["code"])
    if len(findings) > 5:
        parts.append("…")
    return ", ".join(parts)


def _require_all_confirmed(store, story_id: str) -> None:
    unconfirmed = store.unconfirmed_numbers(story_id)
    if unconfirmed:
        shown = ", ".join(map(str, unconfirmed[:10])) + (", …" if len(unconfirmed) > 10 else "")
        raise DeskError(
            ngettext(
                "'{id}' has {n} unconfirmed segment ({numbers}); confirm it first",
                "'{id}' has {n} unconfirmed segments ({numbers}); confirm them first",
                len(unconfirmed),
            ).format(id=story_id, n=len(unconfirmed), numbers=shown)
        )


def submit(store, workflow: Workflow, story_id: str, user: str, override: str | None = None):
    """Hand a fully confirmed story to the editors. Open blocking findings refuse it unless
    `override` gives a reason, which is recorded on each of them."""
    require_role(workflow, user, "review")
    with store.write():
        story = store.story(story_id)
        require_pair(workflow, user, story_pair(story))
        state = StoryState(story["state"])
        if state >= StoryState.SUBMITTED:
            raise DeskError(_("'{id}' is already {state}").format(id=story_id, state=state.label))
        if story["claimed_by"] != user:
            if lease_active(story):
                raise claimed_by_other(story)
            raise DeskError(_("claim '{id}' first ('translate claim {id}')").format(id=story_id))
        _require_all_confirmed(store, story_id)
        blocking = _open_blocking(store, story_id)
        overridden = []
        if blocking:
            reason = (override or "").strip()
            if not reason:
                raise DeskError(
                    ngettext(
                        "'{id}' has {n} open blocking finding: {list}; fix it or submit with "
                        "--override REASON",
                        "'{id}' has {n} open blocking findings: {list}; fix them or submit with "
                        "--override REASON",
                        len(blocking),
                    ).format(id=story_id, n=len(blocking), list=_describe_findings(blocking))
                )
            # recorded on each finding, one `override` event each, in this transaction
            overridden = [
                {"segment": f.get("number"), "code": f["code"]}
                for f in store.override_findings(story_id, reason, user)
            ]
        store.set_story_state(
            story_id, StoryState.SUBMITTED, user, claimed_by=None, claim_until=None, rejected=0
        )
        store.log("submit", story_id, user=user, note=override if blocking else None)
    return {"story": story_id, "overridden": overridden}


def _record_tm(store, story_id: str) -> None:
    from translate.tm import record_approved

    record_approved(store, story_id)


def approve(store, workflow: Workflow, story_id: str, user: str, note: str | None = None) -> dict:
    """An editor's approval of the story as it stands; the last one needed moves it to approved."""
    with store.write():
        story = store.story(story_id)
        require_editor(workflow, user, story_pair(story), _("only editors may approve stories"))
        state = StoryState(story["state"])
        if state != StoryState.SUBMITTED:
            raise DeskError(
                _("'{id}' is {state}; only submitted stories can be approved").format(
                    id=story_id, state=state.label
                )
            )
        approvals = store.active_approvals(story_id)
        if any(a["user"] == user for a in approvals):
            raise DeskError(
                _("'{user}' has already approved '{id}'; it needs another editor").format(
                    user=user, id=story_id
                )
            )
        if workflow.four_eyes:
            edited = store.human_edits_by(story_id, user)
            if edited:
                raise DeskError(
                    _(
                        "four-eyes rule: '{user}' edited '{id}' (segments {numbers}), so another "
                        "editor must approve it"
                    ).format(user=user, id=story_id, numbers=", ".join(map(str, edited[:10])))
                )
            if store.last_actor(story_id, "submit") == user:
                raise DeskError(
                    _(
                        "four-eyes rule: '{user}' submitted '{id}', so another editor must "
                        "approve it"
                    ).format(user=user, id=story_id)
                )
        _require_all_confirmed(store, story_id)
        blocking = _open_blocking(store, story_id)
        if blocking:
            raise DeskError(
                _("'{id}' has open blocking findings: {list}; fix them or reject it").format(
                    id=story_id, list=_describe_findings(blocking)
                )
            )
        store.add_approval(story_id, user, note)
        count, needed = len(approvals) + 1, max(1, workflow.approvals_needed)
        store.log(
            "approve", story_id, user=user, after={"approvals": count, "needed": needed}, note=note
        )
        if count >= needed:
            store.set_story_state(story_id, StoryState.APPROVED, user, note=note)
            _record_tm(store, story_id)
    return {"story": story_id, "approvals": count, "needed": needed, "approved": count >= needed}


def reject(store, workflow: Workflow, story_id: str, user: str, note: str) -> dict:
    """Send a submitted (or approved) story back to its translator with the editor's notes."""
    note = (note or "").strip()
    if not note:
        raise DeskError(_("a rejection needs a note for the translator (--note)"))
    with store.write():
        story = store.story(story_id)
        require_editor(workflow, user, story_pair(story), _("only editors may reject stories"))
        state = StoryState(story["state"])
        if state not in (StoryState.SUBMITTED, StoryState.APPROVED):
            raise DeskError(
                _("'{id}' is {state}; only submitted or approved stories can be rejected").format(
                    id=story_id, state=state.label
                )
            )
        translator = store.last_actor(story_id, "submit")
        store.withdraw_approvals(story_id, user, note)
        store.add_comment_row(story_id, None, user, note)
        store.set_story_state(
            story_id,
            StoryState.IN_TRANSLATION,
            user,
            note=note,
            rejected=1,
            claimed_by=translator,
            claim_until=lease_end(workflow) if translator else None,
        )
        store.log("reject", story_id, user=user, after={"returned_to": translator}, note=note)
    return {"story": story_id, "returned_to": translator}
