"""Who may do what: identity, roles and pairs, claim leases, the edit permission.

Every writing action names the roles it needs in ACTION_ROLES, and `require_role` checks the acting
user against the team before any work starts: a user not on the team is refused for every writing
action, a translator cannot ingest, approve or publish, the nightly job's `batch` user cannot review.
Review actions also need the story's pair (`require_reviewer`).

On a SQLite desk identity is asserted, not authenticated: `user` is whoever the caller says it is
(--user, TRANSLATE_USER, the OS user), so these checks keep honest people on their own tasks; the
store file's permissions are the real boundary.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from translate import clock
from translate.config import Workflow
from translate.errors import ConflictError, DeskError, ExitCode, RoleError
from translate.i18n import _
from translate.store.states import StoryState

ROLES = ("translator", "editor", "batch")
REVIEW_ROLES = ("translator", "editor")

# The roles each writing action needs (any one of them). Review actions (claim, edit, confirm,
# comment, submit, release) also need the story's pair; see require_reviewer.
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "ingest": ("batch", "editor"),
    "mt": ("batch", "editor"),
    "batch": ("batch", "editor"),
    "review": REVIEW_ROLES,
    "approve": ("editor",),
    "reject": ("editor",),
    "reassign": ("editor",),
    "publish": ("editor",),
    "import": REVIEW_ROLES,
    "tm.import": ("editor",),
    "team": ("editor",),
}


class ClaimError(DeskError):
    """The story is held by someone else (exit 4, like any other busy resource)."""

    exit_code = ExitCode.BUSY


class EditConflict(ConflictError):
    """An edit or confirmation based on a version that is no longer the current one."""

    def __init__(self, message: str, theirs: str | None, yours: str | None, version_id: int | None):
        super().__init__(message)
        self.theirs, self.yours, self.version_id = theirs, yours, version_id


# ---------------------------------------------------------------- time and leases


def _parse_time(value: str) -> datetime:
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def format_time(value: str | None) -> str:
    """An ISO timestamp from the store as people read it in the UI language, through babel:
    'Oct 15, 2012, 13:00 UTC' in English, '15 окт. 2012 г., 13:00 UTC' in Russian."""
    if not value:
        return "-"
    from babel import dates

    from translate.i18n import ui_language

    dt = _parse_time(value).astimezone(UTC)
    day = dates.format_date(dt, "medium", locale=ui_language())
    return f"{day}, {dt:%H:%M} UTC"


def lease_end(workflow: Workflow) -> str:
    end = clock.now().astimezone(UTC) + timedelta(seconds=workflow.claim_lease_seconds)
    return end.isoformat(timespec="seconds")  # UTC, so the queue compares leases as text


def lease_active(story: dict) -> bool:
    """True while someone holds an unexpired claim on the story."""
    if not story.get("claimed_by") or not story.get("claim_until"):
        return False
    return _parse_time(story["claim_until"]) > clock.now()


# ---------------------------------------------------------------- identity and roles


def story_pair(story: dict) -> str:
    return f"{story['language']}-{story['target_language']}"


def member_pairs(workflow: Workflow, user: str, role: str) -> set[str] | None:
    """The pairs `user` works on in `role`: a set, None for every pair (an empty list), or an empty
    set when the user does not have the role."""
    table = {
        "translator": workflow.translators,
        "editor": workflow.editors,
        "batch": workflow.batch,
    }[role]
    if user not in table:
        return set()
    return set(table[user]) or None


def has_role(workflow: Workflow, user: str, role: str, pair: str | None = None) -> bool:
    pairs = member_pairs(workflow, user, role)
    if pairs is None:
        return True
    return bool(pairs) and (pair is None or pair in pairs)


def require_member(workflow: Workflow, user: str) -> list[str]:
    """The user's roles; unknown users are refused."""
    roles = workflow.roles_of(user)
    if not roles:
        raise RoleError(
            _("unknown user '{user}': not on the team in {path} (see 'translate team add')").format(
                user=user, path=workflow.path
            )
        )
    return roles


def _action_label(action: str) -> str:
    labels = {
        "ingest": _("ingest stories"),
        "mt": _("run machine translation"),
        "batch": _("run the batch"),
        "review": _("review stories"),
        "approve": _("approve stories"),
        "reject": _("reject stories"),
        "reassign": _("reassign stories"),
        "publish": _("publish stories"),
        "import": _("import translations"),
        "tm.import": _("import into the translation memory"),
        "team": _("change the team"),
    }
    return labels.get(action, action)


def require_role(workflow: Workflow, user: str | None, action: str) -> list[str]:
    """Refuse `user` unless they hold one of the roles `action` needs (ACTION_ROLES); returns their
    roles. One line names what they tried, the roles it needs and the roles they have.

    `user=None` is an in-process caller that names nobody (the library's own tests, the demo's
    set-up): every front (CLI, web) passes the acting user, so no person reaches a writing action
    unchecked."""
    if user is None:
        return list(ACTION_ROLES[action])  # an in-process caller acting as the desk itself
    roles = require_member(workflow, user)
    needed = ACTION_ROLES[action]
    if not any(r in roles for r in needed):
        raise RoleError(
            _(
                "'{user}' may not {action}: that needs the role {needed} ('{user}' is {roles})"
            ).format(
                user=user,
                action=_action_label(action),
                needed="/".join(needed),
                roles=", ".join(roles),
            )
        )
    return roles


def require_reviewer(workflow: Workflow, user: str, pair: str) -> None:
    """A translator or editor of `pair` (review actions); others are refused in one line."""
    require_role(workflow, user, "review")
    require_pair(workflow, user, pair)


def require_pair(workflow: Workflow, user: str, pair: str) -> None:
    if not any(has_role(workflow, user, role, pair) for role in REVIEW_ROLES):
        pairs = sorted(member_pairs(workflow, user, "translator") or set()) + sorted(
            member_pairs(workflow, user, "editor") or set()
        )
        raise RoleError(
            _("'{user}' does not work on {pair} (their pairs: {pairs})").format(
                user=user, pair=pair, pairs=", ".join(sorted(set(pairs))) or "-"
            )
        )


def require_editor(workflow: Workflow, user: str, pair: str, rule: str) -> None:
    roles = require_member(workflow, user)
    if "editor" not in roles:
        raise RoleError(
            _("{rule}; '{user}' is on the team as {roles}").format(
                rule=rule, user=user, roles=", ".join(roles)
            )
        )
    if not has_role(workflow, user, "editor", pair):
        raise RoleError(
            _("'{user}' does not edit {pair} (their pairs: {pairs})").format(
                user=user,
                pair=pair,
                pairs=", ".join(sorted(member_pairs(workflow, user, "editor") or set())),
            )
        )


def claimed_by_other(story: dict) -> ClaimError:
    return ClaimError(
        _("'{id}' is claimed by {user} until {until}").format(
            id=story["id"], user=story["claimed_by"], until=format_time(story["claim_until"])
        )
    )


def may_change(workflow: Workflow, story: dict, user: str) -> str:
    """How `user` may change this story's segments: 'claim' (holds the claim), 'editor' (a
    submitted story) or 'reopen' (an approved or published story, which the change reopens)."""
    require_reviewer(workflow, user, story_pair(story))
    state = StoryState(story["state"])
    if state >= StoryState.SUBMITTED:
        if not has_role(workflow, user, "editor", story_pair(story)):
            if state == StoryState.SUBMITTED:
                msg = _("'{id}' is submitted and waits for an editor; only editors change it now")
            elif state == StoryState.APPROVED:
                msg = _(
                    "'{id}' is approved; only an editor can change it (withdrawing the approval)"
                )
            else:
                msg = _("'{id}' is published; only an editor can correct it (reopening it)")
            raise RoleError(msg.format(id=story["id"]))
        return "editor" if state == StoryState.SUBMITTED else "reopen"
    if story["claimed_by"] == user:
        return "claim"  # an expired lease nobody else took still counts
    if lease_active(story):
        raise claimed_by_other(story)
    raise DeskError(_("claim '{id}' first ('translate claim {id}')").format(id=story["id"]))
