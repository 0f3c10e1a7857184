"""Claims (leases on a story), release, reassignment, and the queue of what a person can work on."""

from __future__ import annotations

from typing import Any

from translate import clock
from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _
from translate.review.access import (
    claimed_by_other,
    format_time,
    has_role,
    lease_active,
    lease_end,
    member_pairs,
    require_editor,
    require_member,
    require_pair,
    require_reviewer,
    require_role,
    story_pair,
)
from translate.store.states import StoryState


def claim(store, workflow: Workflow, story_id: str, user: str) -> dict:
    """Take (or renew) the lease on a story; refused while someone else's lease runs."""
    require_role(workflow, user, "review")
    with store.write():
        story = store.story(story_id)
        require_pair(workflow, user, story_pair(story))
        state = StoryState(story["state"])
        if state >= StoryState.SUBMITTED:
            raise DeskError(
                _("'{id}' is {state}; only stories waiting for translation can be claimed").format(
                    id=story_id, state=state.label
                )
            )
        holder = story["claimed_by"]
        if holder and holder != user and lease_active(story):
            raise claimed_by_other(story)
        return _take(store, workflow, story, user)


def _take(store, workflow: Workflow, story: dict, user: str) -> dict:
    """Give `user` the lease on `story` (inside the caller's write transaction) and log it."""
    story_id, holder = story["id"], story["claimed_by"]
    until = lease_end(workflow)
    note = None
    if holder and holder != user:
        note = _("the lease of {user} ran out at {until}").format(
            user=holder, until=format_time(story["claim_until"])
        )
    store.set_story_state(
        story_id, StoryState.IN_TRANSLATION, user, claimed_by=user, claim_until=until
    )
    store.log(
        "claim",
        story_id,
        user=user,
        before={"claimed_by": holder, "claim_until": story["claim_until"]} if holder else None,
        after={"claimed_by": user, "claim_until": until},
        note=note,
    )
    return {"story": story_id, "claimed_by": user, "claim_until": until, "previous": holder}


def claim_next(store, workflow: Workflow, user: str) -> dict | None:
    """Claim the best story waiting for translation that nobody holds, in the pairs `user`
    translates (an editor without the translator role: the pairs they edit); None when there is
    none. The choice and the claim are one write transaction (IMMEDIATE on SQLite, a row lock
    with SKIP LOCKED on PostgreSQL), so two translators never get the same story."""
    roles = require_role(workflow, user, "review")
    role = "translator" if "translator" in roles else "editor"
    pairs = member_pairs(workflow, user, role)
    with store.write():
        story = store.next_claimable(
            None if pairs is None else sorted(pairs), clock.now().isoformat(timespec="seconds")
        )
        if story is None:
            return None
        got = _take(store, workflow, story, user)
    return {**got, "title": story["title"], "pair": story_pair(story)}


def release(store, workflow: Workflow, story_id: str, user: str) -> None:
    require_role(workflow, user, "review")
    with store.write():
        story = store.story(story_id)
        holder = story["claimed_by"]
        if holder != user:
            if not holder:
                raise DeskError(_("'{id}' is not claimed").format(id=story_id))
            raise DeskError(
                _("'{id}' is claimed by {user}, not you; an editor can reassign it").format(
                    id=story_id, user=holder
                )
            )
        state = StoryState(story["state"])
        new_state = StoryState.TRANSLATED if state == StoryState.IN_TRANSLATION else state
        store.set_story_state(story_id, new_state, user, claimed_by=None, claim_until=None)
        store.log("release", story_id, user=user, before={"claimed_by": holder}, after=None)


def reassign(store, workflow: Workflow, story_id: str, to_user: str, user: str) -> dict:
    """An editor hands a story (and a fresh lease) to another member."""
    with store.write():
        story = store.story(story_id)
        pair = story_pair(story)
        require_editor(workflow, user, pair, _("only editors may reassign stories"))
        require_reviewer(workflow, to_user, pair)
        state = StoryState(story["state"])
        if state >= StoryState.SUBMITTED:
            raise DeskError(
                _(
                    "'{id}' is {state}; only stories waiting for translation can be reassigned"
                ).format(id=story_id, state=state.label)
            )
        until = lease_end(workflow)
        holder = story["claimed_by"]
        store.set_story_state(
            story_id, StoryState.IN_TRANSLATION, user, claimed_by=to_user, claim_until=until
        )
        store.log(
            "reassign",
            story_id,
            user=user,
            before={"claimed_by": holder} if holder else None,
            after={"claimed_by": to_user, "claim_until": until},
        )
    return {"story": story_id, "claimed_by": to_user, "claim_until": until, "previous": holder}


def queue(store, workflow: Workflow, user: str) -> list[dict[str, Any]]:
    """What `user` can work on now: their claims first, then by priority, deadline and age. A
    rejected story carries the editor's note (`note`)."""
    roles = require_member(workflow, user)
    rows: list[dict[str, Any]] = []
    for s in store.workable_stories([StoryState.TRANSLATED, StoryState.IN_TRANSLATION]):
        holder = s["claimed_by"]
        if holder == user:
            rows.append({**s, "task": "translate"})
        elif "translator" in roles and has_role(workflow, user, "translator", story_pair(s)):
            if not (holder and lease_active(s)):
                rows.append({**s, "task": "translate"})
    if "editor" in roles:
        for s in store.workable_stories([StoryState.SUBMITTED]):
            if not has_role(workflow, user, "editor", story_pair(s)):
                continue
            if any(a["user"] == user for a in store.active_approvals(s["id"])):
                continue
            rows.append({**s, "task": "review"})
    notes = store.last_notes([r["id"] for r in rows if r["rejected"]], "reject")
    for r in rows:
        r["note"] = notes[r["id"]]["note"] if r["rejected"] and r["id"] in notes else None
        r["mine"] = r["claimed_by"] == user and (r["state"] == StoryState.IN_TRANSLATION)
        r["state"] = StoryState(r["state"]).label
        r["pair"] = story_pair(r)
        r["rejected"] = bool(r["rejected"])
    rows.sort(
        key=lambda r: (
            not r["mine"],
            -(r["priority"] or 0),
            r["deadline"] is None,
            r["deadline"] or "",
            r["created_at"],
        )
    )
    return rows


def resume_number(store, story_id: str) -> int:
    """Where the review screen opens: the first unconfirmed segment (or the first one)."""
    unconfirmed = store.unconfirmed_numbers(story_id)
    return unconfirmed[0] if unconfirmed else 1
