"""Commands: export (a story as PO / XLIFF 1.2 / XLIFF 2.0) and import (a translated file back).

Thin over translate.exchange."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, output_file_option
from translate.i18n import _, ngettext


def write_output(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, with the mode the umask gives (publish.files)."""
    from translate.publish.files import atomic_write

    atomic_write(Path(path), data)


@click.command(
    help=_(
        "Export a story for a translator's own editor: PO (Poedit, Lokalize, OmegaT), XLIFF 1.2 "
        "or XLIFF 2.0. Unconfirmed translations are marked fuzzy / needs-review; translate the "
        "file and bring it back with 'translate import'."
    )
)
@click.argument("story")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["po", "xliff", "xliff2"]),
    default="po",
    show_default=True,
    help=_("File format (xliff is XLIFF 1.2)."),
)
@output_file_option
@pass_desk
def export(desk: Desk, story: str, fmt: str, output: Path | None) -> None:
    from translate.exchange import export_story

    data = export_story(desk.store, desk.workflow, story, fmt, desk.user)
    if output is None:
        click.echo(data, nl=False)
        return
    write_output(output, data)
    info(_("wrote {path}").format(path=output))


@click.command(
    "import",
    help=_(
        "Bring a translated PO or XLIFF file back: checks that it belongs to its story and that "
        "nothing changed on the desk since export, then applies changed translations as your "
        "edits and confirms entries no longer fuzzy — all or nothing. Conflicts exit 5."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=_("Print what would change; change nothing."))
@click.option(
    "--machine",
    is_flag=True,
    help=_(
        "The file's new translations not marked finished are machine text (pre-translated by an "
        "MT engine): store them as machine drafts and apply the house style, as after "
        "'translate mt'. XLIFF units marked as machine suggestions are machine text anyway."
    ),
)
@json_option
@pass_desk
def import_(desk: Desk, file: Path, dry_run: bool, machine: bool, as_json: bool) -> None:
    from translate.exchange import import_file
    from translate.exchange.apply import render_plan

    plan = import_file(desk.store, desk.workflow, file, desk.user, dry_run=dry_run, machine=machine)
    if as_json:
        emit_json({**plan.as_dict(), "dry_run": dry_run})
        return
    for line in render_plan(plan):
        click.echo(line)
    summary = _(
        "{story}: {edited} edited, {confirmed} confirmed, {unchanged} unchanged, "
        "{empty} untranslated"
    ).format(
        story=plan.story_id,
        edited=len(plan.edited),
        confirmed=len(plan.confirmed),
        unchanged=plan.unchanged,
        empty=plan.empty,
    )
    if plan.machine:
        summary += "; " + ngettext(
            "{n} machine draft ({changes} house-style changes)",
            "{n} machine drafts ({changes} house-style changes)",
            len(plan.machine),
        ).format(n=len(plan.machine), changes=plan.localized)
    if plan.kept:
        summary += "; " + ngettext(
            "{n} segment changed on the desk since export and not in the file's changes: kept",
            "{n} segments changed on the desk since export and not in the file's changes: kept",
            plan.kept,
        ).format(n=plan.kept)
    if plan.ignored.get("obsolete"):
        summary += "; " + ngettext(
            "{n} obsolete entry ignored", "{n} obsolete entries ignored", plan.ignored["obsolete"]
        ).format(n=plan.ignored["obsolete"])
    if dry_run:
        summary += " " + _("(dry run: nothing changed)")
    info(summary)
