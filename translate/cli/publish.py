"""Command: publish."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, style
from translate.errors import ExitCode
from translate.i18n import _


@click.command(
    help=_(
        "Publish approved stories (default: every approved one) as Markdown, HTML with JSON-LD "
        "and JSON. A corrected story gets a new version; earlier files are kept."
    )
)
@click.argument("story_ids", nargs=-1, metavar="[STORY]...")
@click.option(
    "--format",
    "formats",
    metavar="LIST",
    help=_("Comma-separated formats: md, html, json (default: workflow.yaml publishing.formats)."),
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Output folder (default: workflow.yaml publishing.output)."),
)
@click.option("--note", metavar="TEXT", help=_("The corrections note of a new version."))
@json_option
@pass_desk
def publish(
    desk: Desk,
    story_ids: tuple[str, ...],
    formats: str | None,
    out_dir: Path | None,
    note: str | None,
    as_json: bool,
) -> None:
    from translate.publish import publish_stories

    results = publish_stories(
        desk.store, desk.workflow, list(story_ids), formats, out_dir, desk.user, note
    )
    failed = [r for r in results if r.error]
    for r in failed:
        info(_("translate: error: {message}").format(message=r.error))
    if as_json:
        emit_json(
            [
                {
                    "story": r.story_id,
                    "version": r.version,
                    "files": r.files,
                    "written": r.written,
                    "unchanged": r.unchanged,
                    "changes": r.changes,
                    "error": r.error,
                }
                for r in results
            ]
        )
    else:
        for r in results:
            if r.error:
                continue
            name = style(r.story_id, bold=True)
            if r.unchanged and not r.written:
                info(_("{id}: unchanged since v{n}; nothing written").format(id=name, n=r.version))
                continue
            click.echo(_("{id}: published v{n}").format(id=name, n=r.version))
            for path in r.files:
                click.echo(f"  {path}")
    if not results:
        info(_("no approved stories to publish"))
    if failed:
        code = ExitCode.PARTIAL if len(failed) < len(results) else ExitCode.ERROR
        raise click.exceptions.Exit(int(code))
