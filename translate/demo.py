"""`translate batch --demo`: a labelled walkthrough for newcomers, never for a real desk.

For every story waiting in the queue with a complete machine draft, the demo plays the people of
the workflow's team through the real review library (translate.review): a translator of the pair
claims the story and confirms every segment unchanged, submits it (overriding open blocking
findings with the reason "demo walkthrough", which the events log keeps), an editor of the pair
who is not that translator approves it, and the story is published. Stories without a complete
draft (no engine for the pair) are skipped with the reason. Every step is returned as a line that
starts with "[demo]".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _
from translate.store.states import StoryState

DEMO_REASON = "demo walkthrough: played by 'translate batch --demo', not a real review"


@dataclass
class DemoResult:
    steps: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def _person(workflow: Workflow, role: str, pair: str, avoid: str | None = None) -> str | None:
    from translate.review import has_role

    people = workflow.translators if role == "translator" else workflow.editors
    for user in people:
        if user != avoid and has_role(workflow, user, role, pair):
            return user
    return None


def run_demo(
    store,
    workflow: Workflow,
    formats: list[str] | None = None,
    out_dir: Path | None = None,
) -> DemoResult:
    from translate.publish import publish_story
    from translate.review import approve, claim, confirm_all, story_pair, submit

    result = DemoResult()
    say = result.steps.append
    for row in store.stories(StoryState.TRANSLATED):
        story_id = row["id"]
        story = store.story(story_id)
        pair = story_pair(story)
        if store.translated_segment_count(story_id) < row["segments"]:
            reason = story["untranslated_reason"] or _("some segments have no machine draft")
            result.skipped.append({"story": story_id, "reason": reason})
            say(_("[demo] skipped {id}: {reason}").format(id=story_id, reason=reason))
            continue
        translator = _person(workflow, "translator", pair)
        editor = _person(workflow, "editor", pair, avoid=translator)
        if not translator or not editor:
            reason = _("the team in workflow.yaml needs a translator and another editor for {pair}")
            reason = reason.format(pair=pair)
            result.skipped.append({"story": story_id, "reason": reason})
            say(_("[demo] skipped {id}: {reason}").format(id=story_id, reason=reason))
            continue
        try:
            claim(store, workflow, story_id, translator)
            say(_("[demo] {user} (translator) claims {id}").format(user=translator, id=story_id))
            done = confirm_all(store, workflow, story_id, translator)
            say(
                _("[demo] {user} confirms {n} machine-drafted segments unchanged").format(
                    user=translator, n=len(done["confirmed"])
                )
            )
            sent = submit(store, workflow, story_id, translator, override=DEMO_REASON)
            if sent["overridden"]:
                codes = ", ".join(sorted({f["code"] for f in sent["overridden"]}))
                say(
                    _(
                        "[demo] {user} submits, overriding {n} blocking findings ({codes}); "
                        "a real translator would fix them"
                    ).format(user=translator, n=len(sent["overridden"]), codes=codes)
                )
            else:
                say(_("[demo] {user} submits {id}").format(user=translator, id=story_id))
            approve(store, workflow, story_id, editor, note=DEMO_REASON)
            say(_("[demo] {user} (editor) approves {id}").format(user=editor, id=story_id))
            if StoryState(store.story(story_id)["state"]) != StoryState.APPROVED:
                say(_("[demo] {id} needs more approvals; not published").format(id=story_id))
                continue
            published = publish_story(store, workflow, story_id, formats, out_dir, editor)
        except DeskError as exc:
            result.skipped.append({"story": story_id, "reason": exc.message})
            say(_("[demo] stopped on {id}: {reason}").format(id=story_id, reason=exc.message))
            continue
        result.published.extend(published.files)
        for path in published.files:
            say(_("[demo] published {path}").format(path=path))
    if not result.steps:
        say(_("[demo] nothing in the queue to walk through"))
    return result
