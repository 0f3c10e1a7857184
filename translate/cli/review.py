"""Commands: queue, claim, release, reassign, review, edit, confirm, comment, submit, approve, reject,
log. Thin over translate.review; the interactive screen is translate/reviewscreen.py."""

from __future__ import annotations

import json
import sys

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, style, table
from translate.errors import UsageError
from translate.i18n import _, ngettext


def _asserted() -> str:
    return _(
        "Acts as --user, else $TRANSLATE_USER, else the OS user: a local CLI asserts who you are, "
        "it does not authenticate you (the store file's permissions are the boundary)."
    )


def _help(text: str) -> str:
    return text + "\n\n" + _asserted()


@click.command(
    help=_help(
        _(
            "What you can work on now: your claims first, then overdue stories, then by deadline, "
            "priority and age. Shows the first 50 (--limit N, --all) and how many more wait. With "
            "--next, claim the best story nobody holds and print it (two translators never get "
            "the same one)."
        )
    )
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help=_("Show the first N stories (default 50)."),
)
@click.option("--all", "all_", is_flag=True, help=_("Show every story in the queue."))
@click.option(
    "--next",
    "next_",
    is_flag=True,
    help=_("Claim the best next story waiting for translation in your pairs and print it."),
)
@json_option
@pass_desk
def queue(desk: Desk, limit: int | None, all_: bool, next_: bool, as_json: bool) -> None:
    from translate.i18n import ui_language
    from translate.review import DEFAULT_LIMIT, format_time, queue_page

    if next_:
        _claim_next(desk, as_json)
        return
    if all_ and limit is not None:
        raise UsageError(_("give --limit N or --all (not both)"))
    page = queue_page(
        desk.store, desk.workflow, desk.user, None if all_ else (limit or DEFAULT_LIMIT)
    )
    rows = page.rows
    if as_json:
        keys = (
            "id",
            "title",
            "pair",
            "state",
            "task",
            "claimed_by",
            "claim_until",
            "priority",
            "deadline",
            "due_in",
            "overdue",
            "segments",
            "confirmed",
            "low_confidence",
            "rejected",
            "note",
        )
        emit_json([{k: r[k] for k in keys} for r in rows])
    elif not rows:
        info(_("nothing in your queue"))
    else:
        from babel.numbers import format_percent

        from translate import clock
        from translate.deadlines import describe_due, format_deadline

        locale, zone, now = ui_language(), desk.workflow.zone, clock.now()

        def due(r) -> str:
            if not r["deadline"]:
                return ""
            when = describe_due(r["deadline"], now, locale)
            text = f"{format_deadline(r['deadline'], zone, locale)} ({when})"
            return style(text, fg="red") if r["overdue"] else text

        table(
            [
                [
                    r["id"],
                    r["task"] + (" " + _("(rejected)") if r["rejected"] else ""),
                    r["pair"],
                    f"{r['confirmed']}/{r['segments']}",
                    format_percent(r["low_confidence"], locale=locale)
                    if r["low_confidence"]
                    else "",
                    f"{r['claimed_by']} → {format_time(r['claim_until'])}"
                    if r["claimed_by"]
                    else "",
                    r["priority"] or "",
                    due(r),
                    r["title"][:50],
                ]
                for r in rows
            ],
            [
                _("id"),
                _("task"),
                _("pair"),
                _("confirmed"),
                _("low confidence"),
                _("claim"),
                _("priority"),
                _("deadline"),
                _("title"),
            ],
        )
        for r in rows:
            if r["note"]:
                click.echo(_("'{id}' was sent back: {note}").format(id=r["id"], note=r["note"]))
    if page.more:
        info(
            ngettext(
                "{n} more story waits (--all to list every one)",
                "{n} more stories wait (--all to list every one)",
                page.more,
            ).format(n=page.more)
        )


@click.command(
    help=_help(
        _(
            "Set a story's priority (a whole number, higher first among equal deadlines) and/or "
            "deadline (a date: the end of that day in the desk's time zone; or a date and time "
            "with a zone). Editors only; logged."
        )
    )
)
@click.argument("story")
@click.option("--priority", metavar="N", help=_("A whole number; higher comes first."))
@click.option(
    "--deadline",
    metavar="WHEN",
    help=_("2012-10-16 (end of that day, desk time) or 2012-10-16T18:00:00+03:00."),
)
@click.option("--no-deadline", is_flag=True, help=_("Remove the deadline."))
@json_option
@pass_desk
def prioritize(
    desk: Desk,
    story: str,
    priority: str | None,
    deadline: str | None,
    no_deadline: bool,
    as_json: bool,
) -> None:
    from translate.review.schedule import KEEP, prioritize

    if deadline is not None and no_deadline:
        raise UsageError(_("give --deadline WHEN or --no-deadline (not both)"))
    done = prioritize(
        desk.store,
        desk.workflow,
        story,
        desk.user,
        priority=KEEP if priority is None else priority,
        deadline=None if no_deadline else (KEEP if deadline is None else deadline),
    )
    if as_json:
        emit_json(done)
        return
    from translate.deadlines import format_deadline
    from translate.i18n import ui_language

    when = format_deadline(done["deadline"], desk.workflow.zone, ui_language()) or "-"
    message = _("'{id}': priority {priority}, deadline {deadline}").format(
        id=done["story"], priority=done["priority"], deadline=when
    )
    click.echo(message if done["changed"] else _("{what} (unchanged)").format(what=message))


def _claim_next(desk: Desk, as_json: bool) -> None:
    from translate.review import claim_next, format_time

    got = claim_next(desk.store, desk.workflow, desk.user)
    if as_json:
        emit_json(got)
        return
    if got is None:
        info(_("nothing to claim: no story in your pairs is waiting for a translator"))
        return
    click.echo(
        _("claimed '{id}' until {until}: {title} ({pair})").format(
            id=got["story"],
            until=format_time(got["claim_until"]),
            title=got["title"],
            pair=got["pair"],
        )
    )
    if got["previous"] and got["previous"] != desk.user:
        info(_("taken over from {user}, whose lease had run out").format(user=got["previous"]))


@click.command(
    help=_help(
        _("Claim a story: a lease (rules.claim_lease in workflow.yaml) while you translate it.")
    )
)
@click.argument("story")
@json_option
@pass_desk
def claim(desk: Desk, story: str, as_json: bool) -> None:
    from translate.review import claim, format_time

    got = claim(desk.store, desk.workflow, story, desk.user)
    if as_json:
        emit_json(got)
        return
    click.echo(
        _("claimed '{id}' until {until}").format(id=story, until=format_time(got["claim_until"]))
    )
    if got["previous"] and got["previous"] != desk.user:
        info(_("taken over from {user}, whose lease had run out").format(user=got["previous"]))


@click.command(help=_help(_("Release your claim on a story.")))
@click.argument("story")
@pass_desk
def release(desk: Desk, story: str) -> None:
    from translate.review import release

    release(desk.store, desk.workflow, story, desk.user)
    click.echo(_("released '{id}'").format(id=story))


@click.command(help=_help(_("Hand a story to another team member with a fresh lease (editors).")))
@click.argument("story")
@click.argument("user_to", metavar="USER")
@pass_desk
def reassign(desk: Desk, story: str, user_to: str) -> None:
    from translate.review import format_time, reassign

    got = reassign(desk.store, desk.workflow, story, user_to, desk.user)
    click.echo(
        _("'{id}' is now claimed by {user} until {until}").format(
            id=story, user=user_to, until=format_time(got["claim_until"])
        )
    )


@click.command(
    help=_help(
        _(
            "Review a story in a full-screen view: one segment at a time with its neighbours, one key "
            "per action (a/Enter accept, e edit, E $EDITOR, s skip, b back, c comment, n next "
            "finding, l next low-confidence segment, ? help, q quit). Opening a story claims it; "
            "every action is saved at once; reopening resumes where you stopped, with any text you "
            "typed and did not save."
        )
    )
)
@click.argument("story")
@pass_desk
def review(desk: Desk, story: str) -> None:
    desk.member()
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            _(
                "'translate review' needs a terminal; scripts use 'translate edit', "
                "'translate confirm' and 'translate comment'"
            )
        )
    from translate.reviewscreen import run_screen

    run_screen(desk.store, desk.workflow, story, desk.user)


@click.command(
    help=_help(
        _(
            "Save a new translation of one segment (from --text, or --file, '-' for stdin). With --base, "
            "refused (exit 5, both texts shown) when the segment changed since that version."
        )
    )
)
@click.argument("story")
@click.argument("segment", type=int)
@click.option("--text", metavar="TEXT", help=_("The new translation."))
@click.option(
    "--file",
    "file",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help=_("Read the new translation from FILE ('-' for stdin)."),
)
@click.option(
    "--base",
    "base",
    type=int,
    metavar="VERSION",
    help=_(
        "The version you edited (the segment's \"version\" in 'translate show STORY --json'); "
        "refuses a stale edit."
    ),
)
@json_option
@pass_desk
def edit(
    desk: Desk, story: str, segment: int, text: str | None, file, base: int | None, as_json: bool
) -> None:
    from translate.review import edit_segment

    if (text is None) == (file is None):
        raise UsageError(_("give the translation with exactly one of --text or --file"))
    if file is not None:
        text = file.read()
    before = desk.store.segment(story, segment)["version_id"]
    version = edit_segment(desk.store, desk.workflow, story, segment, text, desk.user, base)
    if as_json:
        emit_json(
            {"story": story, "segment": segment, "version": version, "changed": version != before}
        )
    elif version == before:
        click.echo(_("segment {n}: unchanged (version {v})").format(n=segment, v=version))
    else:
        click.echo(_("segment {n}: saved as version {v}").format(n=segment, v=version))


@click.command(
    help=_help(_("Confirm one segment's translation, or every translated one with --all."))
)
@click.argument("story")
@click.argument("segment", type=int, required=False)
@click.option("--all", "all_", is_flag=True, help=_("Confirm every translated segment."))
@click.option(
    "--override",
    metavar="REASON",
    help=_("Accept the segment's open blocking findings, recording REASON on each."),
)
@pass_desk
def confirm(desk: Desk, story: str, segment: int | None, all_: bool, override: str | None) -> None:
    from translate.review import confirm_all, confirm_segment

    if (segment is None) == (not all_):
        raise UsageError(_("give a SEGMENT number or --all (not both)"))
    if override is not None and all_:
        raise UsageError(_("--override goes with one SEGMENT (submit --override covers a story)"))
    if all_:
        done = confirm_all(desk.store, desk.workflow, story, desk.user)
        n = len(done["confirmed"])
        click.echo(ngettext("{n} segment confirmed", "{n} segments confirmed", n).format(n=n))
        if done["untranslated"]:
            info(
                _("not confirmed, no translation yet: segments {numbers}").format(
                    numbers=", ".join(map(str, done["untranslated"]))
                )
            )
        return
    if confirm_segment(desk.store, desk.workflow, story, segment, desk.user, override=override):
        click.echo(_("segment {n} confirmed").format(n=segment))
    else:
        click.echo(_("segment {n} was already confirmed").format(n=segment))


@click.command(help=_help(_("Comment on a story, or on one of its segments.")))
@click.argument("story")
@click.argument("segment", type=int, required=False)
@click.option("--text", required=True, metavar="TEXT", help=_("The comment."))
@pass_desk
def comment(desk: Desk, story: str, segment: int | None, text: str) -> None:
    from translate.review import add_comment

    add_comment(desk.store, story, segment, text, desk.user, desk.workflow)
    click.echo(_("comment saved"))


@click.command(
    help=_help(
        _(
            "Hand a story to the editors: every segment confirmed and no open blocking finding, unless "
            "--override REASON accepts them (the reason is recorded on each)."
        )
    )
)
@click.argument("story")
@click.option(
    "--override",
    metavar="REASON",
    help=_("Accept the open blocking findings, recording REASON on each."),
)
@pass_desk
def submit(desk: Desk, story: str, override: str | None) -> None:
    from translate.review import submit

    done = submit(desk.store, desk.workflow, story, desk.user, override)
    if done["overridden"]:
        n = len(done["overridden"])
        info(
            ngettext(
                "{n} blocking finding overridden", "{n} blocking findings overridden", n
            ).format(n=n)
        )
    click.echo(_("submitted '{id}'").format(id=story))


@click.command(
    help=_help(
        _(
            "Approve a submitted story as it stands (editors). Under four-eyes the approver must not have "
            "edited or submitted it; any later edit withdraws the approval."
        )
    )
)
@click.argument("story")
@click.option("--note", metavar="TEXT", help=_("A note kept with the approval."))
@pass_desk
def approve(desk: Desk, story: str, note: str | None) -> None:
    from translate.review import approve

    done = approve(desk.store, desk.workflow, story, desk.user, note)
    if done["approved"]:
        click.echo(_("approved '{id}'").format(id=story))
    else:
        click.echo(
            _("approval {n} of {needed} recorded for '{id}'").format(
                n=done["approvals"], needed=done["needed"], id=story
            )
        )


@click.command(
    help=_help(_("Send a submitted story back to its translator with your notes (editors)."))
)
@click.argument("story")
@click.option("--note", required=True, metavar="TEXT", help=_("What the translator should fix."))
@pass_desk
def reject(desk: Desk, story: str, note: str) -> None:
    from translate.review import reject

    done = reject(desk.store, desk.workflow, story, desk.user, note)
    if done["returned_to"]:
        click.echo(_("rejected '{id}': back to {user}").format(id=story, user=done["returned_to"]))
    else:
        click.echo(_("rejected '{id}'").format(id=story))


def _decode(value: str | None):
    if value is None:
        return None
    if value[:1] not in "{[":  # plain text ("3.000", "12") stays text, not a JSON number
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _short(value, limit: int = 60) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        text = ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    elif isinstance(value, list):
        text = ", ".join(_short(v, limit) for v in value)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@click.command(
    "log",
    help=_(
        "The story's events log: every claim, edit, confirmation, comment, "
        "override, submission, approval and rejection, with who and when."
    ),
)
@click.argument("story")
@json_option
@pass_desk
def log_(desk: Desk, story: str, as_json: bool) -> None:
    story_id = desk.store.story(story)["id"]
    events = desk.store.story_events(story_id)
    if as_json:
        emit_json(
            [
                {
                    "at": e["at"],
                    "user": e["user"],
                    "action": e["action"],
                    "segment": e["number"],
                    "before": _decode(e["before"]),
                    "after": _decode(e["after"]),
                    "note": e["note"],
                }
                for e in events
            ]
        )
        return
    rows = []
    for e in events:
        before, after = _short(_decode(e["before"])), _short(_decode(e["after"]))
        change = f"{before} → {after}" if before and after else (after or before)
        rows.append(
            [
                e["at"][:19].replace("T", " "),
                e["user"] or "",
                e["action"],
                e["number"] or "",
                change,
                e["note"] or "",
            ]
        )
    table(rows, [_("at"), _("user"), _("action"), _("segment"), _("change"), _("note")])
