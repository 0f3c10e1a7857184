"""Stories change after we translate them: source revisions, corrections and diffs.

- `revise_story`: a re-ingested story (same URL, or `ingest --update STORY`) with changed text becomes
  the story's next source revision. Units and sentences are aligned (translate/revisions/align.py);
  unchanged segments keep their translations, confirmations and approvals' text; changed and new
  segments are new, untranslated segments that `translate mt` (TM first) fills; removed ones leave the
  current revision and stay in the history. A story in review stays with its translator; a submitted,
  approved or published story goes back to in_translation with its translator, its approvals are
  withdrawn, and the events log says what changed and whom it concerns.
- `open_correction`: an editor opens an approved or published story for a correction of our own
  English (`translate correct STORY --note ...`); the note becomes the published corrections entry.
- `diff`: the source and English changes between two revisions, sentence by sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _
from translate.model import IngestedStory
from translate.revisions.align import (
    UNRELATED_MAX_SHARED,
    NewUnit,
    OldUnit,
    align,
    diff_units,
    shared_share,
)
from translate.store.states import StoryState


@dataclass
class Revision:
    story_id: str
    revision: int
    unchanged: bool = False
    kept: int = 0
    added: int = 0
    removed: int = 0
    reopened: list[int] = field(default_factory=list)
    state: str = ""
    notified: list[str] = field(default_factory=list)


def _old_units(store, story_id: str) -> list[OldUnit]:
    units = {u["id"]: OldUnit(u["id"], u["kind"], u["text"], []) for u in store.units(story_id)}
    for seg in store.segments(story_id):
        units[seg["unit_id"]].segments.append((seg["id"], seg["source"]))
    return list(units.values())


def _new_units(story: IngestedStory) -> list[NewUnit]:
    return [NewUnit(u.kind, u.text, [(s.text, s.ws) for s in u.sentences]) for u in story.units]


def _translator(store, story: dict) -> str | None:
    """Who should get a reopened story back: its claimant, else whoever last submitted it."""
    if story["claimed_by"]:
        return story["claimed_by"]
    return store.last_actor(story["id"], "submit")


def revise_story(
    store,
    workflow: Workflow,
    story_id: str,
    new: IngestedStory,
    path: Path | str,
    user: str | None,
    force: bool = False,
) -> Revision:
    """Make `new` the next source revision of `story_id`. Call inside the store's write
    transaction (ingest's store_story does): a refusal raises before anything is written."""
    from translate.ingest.decode import IngestError
    from translate.review.access import lease_end

    story = store.story(story_id)
    current = int(story.get("revision") or 1)
    if new.language != story["language"]:
        raise IngestError(
            _(
                "{path}: an update of '{id}' must be in {language} like the story, not in {other}"
            ).format(path=path, id=story_id, language=story["language"], other=new.language)
        )
    if new.text_hash == story["text_hash"]:
        return Revision(story_id, current, unchanged=True, state=StoryState(story["state"]).label)
    old = _old_units(store, story_id)
    new_units = _new_units(new)
    shared = shared_share(old, new_units)
    if shared < UNRELATED_MAX_SHARED and not force:
        raise IngestError(
            _(
                "{path}: shares almost nothing with '{id}' ({share:.0%}): a different article at "
                "the same address? Use --force to make it the story's next revision"
            ).format(path=path, id=story_id, share=shared)
        )
    plan = align(old, new_units)
    revision = current + 1
    before = store.snapshot(story_id)
    known = store.revisions(story_id)
    if not known:  # the story's first revision is written when it is first left
        store.record_revision(
            story_id,
            1,
            story["text_hash"],
            story["source_path"],
            story["source_sha256"],
            None,
            {},
            before,
            at=story["created_at"],
        )
    else:
        store.set_revision_snapshot(story_id, current, before)
    meta = {
        "title": new.title,
        "dek": new.dek,
        "author": new.author or story["author"],
        "outlet": new.outlet or story["outlet"],
        "url": new.url or story["url"],
        "published": new.published or story["published"],
        "updated": new.updated,
        "dateline": new.dateline,
        "text_hash": new.text_hash,
        "source_path": new.source_path,
        "source_format": new.source_format,
        "source_encoding": new.source_encoding,
        "source_sha256": new.source_sha256,
    }
    store.apply_revision(story_id, revision, plan, meta)
    summary = {
        "kept": plan.kept,
        "added": plan.added,
        "removed": len(plan.retired_segments),
        "units_added": sum(1 for u in plan.units if u.old_id is None),
        "units_removed": len(plan.retired_units),
        "units_moved": sum(1 for u in plan.units if u.moved),
    }
    store.record_revision(
        story_id,
        revision,
        new.text_hash,
        new.source_path,
        new.source_sha256,
        user,
        summary,
        None,
    )
    result = Revision(
        story_id, revision, kept=plan.kept, added=plan.added, removed=len(plan.retired_segments)
    )
    result.reopened = store.reopened_numbers(story_id, revision)
    state = StoryState(story["state"])
    notified: list[str] = []
    if state >= StoryState.SUBMITTED and plan.changed:
        translator = _translator(store, story)
        withdrawn = store.withdraw_approvals(
            story_id,
            user,
            _("approval withdrawn: the source was updated (revision {n})").format(n=revision),
        )
        notified = [u for u in [translator, *withdrawn] if u]
        store.set_story_state(
            story_id,
            StoryState.IN_TRANSLATION,
            user,
            note=_("source revision {n}").format(n=revision),
            claimed_by=translator,
            claim_until=lease_end(workflow) if translator else None,
        )
        state = StoryState.IN_TRANSLATION
    elif state == StoryState.IN_TRANSLATION and story["claimed_by"]:
        notified = [story["claimed_by"]]
    result.state = state.label
    result.notified = list(dict.fromkeys(notified))
    store.log(
        "revision",
        story_id,
        user=user,
        before={"revision": current},
        after={
            "revision": revision,
            **summary,
            "reopened": result.reopened,
            "notify": result.notified,
            "source": new.source_path,
        },
        note=_(
            "source revision {n}: {kept} segments kept, {added} new or changed, {removed} removed"
        ).format(n=revision, kept=plan.kept, added=plan.added, removed=len(plan.retired_segments)),
    )
    return result


def open_correction(store, workflow: Workflow, story_id: str, user: str, note: str) -> dict:
    """Open an approved or published story for a correction of our English; the editor who asks
    holds the story and approves it like any revision (four-eyes applies)."""
    from translate.review.access import lease_end, require_editor, story_pair

    note = (note or "").strip()
    if not note:
        raise DeskError(_("a correction needs --note: what is being corrected and why"))
    with store.write():
        story = store.story(story_id)
        require_editor(
            workflow, user, story_pair(story), _("only an editor opens a story for correction")
        )
        state = StoryState(story["state"])
        if state not in (StoryState.APPROVED, StoryState.PUBLISHED):
            raise DeskError(
                _("'{id}' is {state}: only an approved or published story is corrected").format(
                    id=story_id, state=state.label
                )
            )
        store.withdraw_approvals(story_id, user, note)
        store.set_correction_note(story_id, note)
        store.set_story_state(
            story_id,
            StoryState.IN_TRANSLATION,
            user,
            note=note,
            claimed_by=user,
            claim_until=lease_end(workflow),
        )
        store.log("correct", story_id, user=user, note=note)
    return {"story": story_id, "state": StoryState.IN_TRANSLATION.label, "claimed_by": user}


def diff(store, story_id: str, start: int | None = None, end: int | None = None) -> dict:
    """Source and English changes between revision `start` (default: the one before `end`) and
    `end` (default: the current one)."""
    story = store.story(story_id)
    current = int(story.get("revision") or 1)
    end = current if end is None else end
    start = end - 1 if start is None else start
    for name, value in (("--from", start), ("--to", end)):
        if not 1 <= value <= current:
            raise DeskError(
                _("'{id}' has revisions 1 to {n}; {option} {value} is not one of them").format(
                    id=story_id, n=current, option=name, value=value
                )
            )
    snapshots = {r["number"]: r["snapshot"] for r in store.revisions(story_id)}
    snapshots[current] = store.snapshot(story_id)
    rows = diff_units(snapshots.get(start) or [], snapshots.get(end) or [])
    return {"story": story_id, "from": start, "to": end, "changes": rows}
