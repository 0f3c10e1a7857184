"""Claims (leases on a story), release, reassignment, and the queue of what a person can work on."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC
from itertools import chain, islice
from typing import Any

from translate import clock
from translate.config import Workflow
from translate.deadlines import due_in, iso_duration
from translate.errors import DeskError
from translate.i18n import _
from translate.review.access import (
    claimed_by_other,
    format_time,
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
from translate.store.review import queue_key
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
            None if pairs is None else sorted(pairs),
            clock.now().astimezone(UTC).isoformat(timespec="seconds"),
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


DEFAULT_LIMIT = 50
LOW_CONFIDENCE = "mt.low_confidence"  # the MT stage's finding for a doubtful machine draft


@dataclass
class QueuePage:
    """The first rows of a user's queue and how many rows the whole queue has."""

    rows: list[dict[str, Any]]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def queue_page(
    store, workflow: Workflow, user: str, limit: int | None = DEFAULT_LIMIT
) -> QueuePage:
    """What `user` can work on now, in the desk's order (docs/review.md): their own claims first,
    then by deadline (overdue first, soonest next, none last), then priority (highest first), then
    age (oldest first). Translators see the translated and in-translation stories of their pairs
    that nobody else holds; editors the submitted stories of their pairs they have not approved. A
    rejected story carries the editor's note (`note`).

    Only the first `limit` rows (None: all) are read, by walking each state's queue index and
    merging; the total comes from counting the same index, so a page costs the same on a desk of
    a thousand stories and of a hundred thousand."""
    roles = require_member(workflow, user)
    now = clock.now().astimezone(UTC)
    now_iso = now.isoformat(timespec="seconds")
    translating = (StoryState.TRANSLATED, StoryState.IN_TRANSLATION)

    def pairs_of(state: StoryState, role: str) -> list[str]:
        pairs = member_pairs(workflow, user, role)  # None: every pair
        return sorted(pairs) if pairs is not None else store.queue_pairs(state)

    # each part of the queue: one state (and pair), read in queue order by the store
    mine = [dict(state=state, held_by=user) for state in translating]
    others: list[dict[str, Any]] = []
    if "translator" in roles:
        for state in translating:
            others += [
                dict(state=state, pair=p, free_for=user, now=now_iso)
                for p in pairs_of(state, "translator")
            ]
    if "editor" in roles:
        state = StoryState.SUBMITTED
        others += [
            dict(state=state, pair=p, not_approved_by=user) for p in pairs_of(state, "editor")
        ]
    total = sum(store.queue_count(**part) for part in mine + others)
    streams = [store.queue_stream(**part, limit=limit) for part in mine + others]
    ordered = chain(
        heapq.merge(*streams[: len(mine)], key=queue_key),
        heapq.merge(*streams[len(mine) :], key=queue_key),
    )
    rows = list(islice(ordered, limit) if limit is not None else ordered)
    for stream in streams:
        stream.close()
    counts = store.segment_counts(r["id"] for r in rows)
    doubtful = store.segments_with_open_finding((r["id"] for r in rows), LOW_CONFIDENCE)
    notes = store.last_notes([r["id"] for r in rows if r["rejected"]], "reject")
    for r in rows:
        r["note"] = notes[r["id"]]["note"] if r["rejected"] and r["id"] in notes else None
        state = StoryState(r["state"])
        r["task"] = "review" if state == StoryState.SUBMITTED else "translate"
        r["mine"] = r["claimed_by"] == user and state == StoryState.IN_TRANSLATION
        r["state"] = state.label
        r["pair"] = story_pair(r)
        r["rejected"] = bool(r["rejected"])
        r["segments"], r["confirmed"] = counts.get(r["id"], (0, 0))
        r["low_confidence"] = (
            round(doubtful.get(r["id"], 0) / r["segments"], 4) if r["segments"] else 0.0
        )
        r["overdue"] = bool(r["deadline"]) and r["deadline"] < now_iso
        r["due_in"] = iso_duration(due_in(r["deadline"], now))
    return QueuePage(rows, total)


def queue(store, workflow: Workflow, user: str) -> list[dict[str, Any]]:
    """The whole of `user`'s queue, in order (see `queue_page`)."""
    return queue_page(store, workflow, user, limit=None).rows


def resume_number(store, story_id: str) -> int:
    """Where the review screen opens: the first unconfirmed segment (or the first one)."""
    unconfirmed = store.unconfirmed_numbers(story_id)
    return unconfirmed[0] if unconfirmed else 1
