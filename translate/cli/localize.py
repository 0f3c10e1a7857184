"""Command: revert (undo one house-style change of the localize stage). Thin over
translate.localize.revert."""

from __future__ import annotations

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, json_option
from translate.i18n import _


@click.command(
    help=_(
        "Undo one house-style change the machine made to a segment (the newest, or --version V "
        "from 'translate show'); the other changes stay. Saved as your edit."
    )
)
@click.argument("story")
@click.argument("segment", type=int)
@click.option(
    "--version",
    "version",
    type=int,
    metavar="V",
    help=_("The change to undo (its version, listed by 'translate show')."),
)
@json_option
@pass_desk
def revert(desk: Desk, story: str, segment: int, version: int | None, as_json: bool) -> None:
    from translate.localize.revert import revert_change

    new, change = revert_change(desk.store, desk.workflow, story, segment, desk.user, version)
    if as_json:
        emit_json({"story": story, "segment": segment, "version": new, "reverted": change})
        return
    click.echo(
        _(
            "segment {n}: reverted {rule} change '{before}' → '{after}' (saved as version {v})"
        ).format(
            n=segment, rule=change["rule"], before=change["after"], after=change["before"], v=new
        )
    )
