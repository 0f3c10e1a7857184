"""Commands: diff (what changed between source revisions), correct (open a published story for a
correction). Thin over translate.revisions."""

from __future__ import annotations

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, style
from translate.i18n import _

_MARK = {"changed": "~", "added": "+", "removed": "-", "english": "=", "equal": " "}


@click.command(
    name="diff",
    help=_(
        "The source changes and the English changes between two revisions of a story, sentence "
        "by sentence (default: the previous revision against the current one)."
    ),
)
@click.argument("story")
@click.option("--from", "start", type=int, metavar="REV", help=_("The earlier revision."))
@click.option(
    "--to", "end", type=int, metavar="REV", help=_("The later revision (default: current).")
)
@click.option("--all", "show_all", is_flag=True, help=_("Also list the unchanged sentences."))
@json_option
@pass_desk
def diff(
    desk: Desk, story: str, start: int | None, end: int | None, show_all: bool, as_json: bool
) -> None:
    from translate.revisions import diff as revision_diff

    result = revision_diff(desk.store, story, start, end)
    if as_json:
        emit_json(result)
        return
    changes = [r for r in result["changes"] if show_all or r["op"] != "equal"]
    click.echo(
        _("{id}: revision {a} → {b}").format(
            id=style(result["story"], bold=True), a=result["from"], b=result["to"]
        )
    )
    if not changes:
        info(_("no changes"))
        return
    for row in changes:
        mark = _MARK[row["op"]]
        if row["source_before"] != row["source_after"]:
            if row["source_before"] is not None:
                click.echo(style(f"- {row['source_before']}", fg="red"))
            if row["source_after"] is not None:
                click.echo(style(f"+ {row['source_after']}", fg="green"))
        else:
            click.echo(f"{mark} {row['source_after']}")
        if row["english_before"] != row["english_after"]:
            if row["english_before"] is not None:
                click.echo(style(f"  - {row['english_before']}", fg="red"))
            if row["english_after"] is not None:
                click.echo(style(f"  + {row['english_after']}", fg="green"))
        elif row["english_after"]:
            click.echo(f"    {row['english_after']}")
        click.echo("")


@click.command(
    help=_(
        "Open an approved or published story for a correction of our English (editors); the "
        "note becomes the corrections entry of the next published version."
    )
)
@click.argument("story")
@click.option("--note", required=True, metavar="TEXT", help=_("What is corrected, and why."))
@pass_desk
def correct(desk: Desk, story: str, note: str) -> None:
    from translate.revisions import open_correction

    result = open_correction(desk.store, desk.workflow, story, desk.user, note)
    click.echo(
        _(
            "{id}: open for a correction by {user}; edit, confirm, submit, then an editor approves"
        ).format(id=style(result["story"], bold=True), user=result["claimed_by"])
    )
