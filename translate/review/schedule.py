"""Priority and deadline set by an editor (`translate prioritize`), logged like every change."""

from __future__ import annotations

from typing import Any

from translate.config import Workflow
from translate.errors import DeskError, UsageError
from translate.i18n import _
from translate.review.access import require_editor, story_pair
from translate.store.states import StoryState

KEEP: Any = object()  # "leave as it is" (None clears a deadline)


def prioritize(
    store,
    workflow: Workflow,
    story_id: str,
    user: str,
    priority: Any = KEEP,
    deadline: Any = KEEP,
) -> dict:
    """Set a story's priority (a whole number) and/or deadline (a date — the end of that day in
    the desk's time zone — or a date and time with a zone; None clears it). Editors of the pair
    only; one `prioritize` event with before and after, in the change's transaction."""
    from translate.deadlines import ScheduleError, parse_deadline, parse_priority

    if priority is KEEP and deadline is KEEP:
        raise UsageError(_("give --priority, --deadline or --no-deadline"))
    changes: dict[str, Any] = {}
    try:
        if priority is not KEEP:
            changes["priority"] = parse_priority(priority)
    except ScheduleError as exc:
        raise DeskError(_("--priority: {problem}").format(problem=exc)) from None
    try:
        if deadline is not KEEP:
            changes["deadline"] = (
                None if deadline is None else parse_deadline(deadline, workflow.zone)
            )
    except ScheduleError as exc:
        raise DeskError(_("--deadline: {problem}").format(problem=exc)) from None
    with store.write():
        story = store.story(story_id)
        require_editor(
            workflow, user, story_pair(story), _("only editors may set priorities and deadlines")
        )
        if story["state"] >= StoryState.PUBLISHED:
            raise DeskError(
                _("'{id}' is published; priorities and deadlines are for stories in work").format(
                    id=story["id"]
                )
            )
        before = {"priority": story["priority"], "deadline": story["deadline"]}
        after = {**before, **changes}
        changed = after != before
        if changed:
            store.set_schedule(story["id"], after["priority"], after["deadline"])
            store.log("prioritize", story["id"], user=user, before=before, after=after)
    return {"story": story["id"], **after, "changed": changed}
