"""Commands: init, paths, ingest, stories, show, status."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import Progress, emit_json, info, json_option, style, table
from translate.errors import ExitCode, UsageError
from translate.i18n import _, ngettext, ui_language


def _lang_name(code: str) -> str:
    from translate.ingest.langid import language_name

    return language_name(code, ui_language())


@click.command(help=_("Write a commented workflow.yaml (when absent) and create the store."))
@click.argument(
    "folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def init(folder: Path) -> None:
    from translate.desk import init_desk

    path, created = init_desk(folder)
    if created:
        click.echo(_("wrote {path}").format(path=path))
    else:
        click.echo(_("{path} already exists; kept it").format(path=path))
    from translate.config import load_workflow
    from translate.desk import paths_in_use

    click.echo(_("store ready at {path}").format(path=paths_in_use(load_workflow(path))["store"]))


@click.command(
    help=_("Print the workflow file, store, glossaries, model packages and output folders in use.")
)
@json_option
@pass_desk
def paths(desk: Desk, as_json: bool) -> None:
    from translate.desk import paths_in_use

    found = paths_in_use(desk.workflow)
    if as_json:
        emit_json(found)
        return
    table(list(found.items()), [_("what"), _("path")])


def ingest_progress(total: int, label: str) -> Progress:
    """A bar on a terminal; plain log lines when piped, for folders of 20 files or more."""
    return Progress(total, label, min_log_total=20)


@click.command(
    help=_("Ingest story files or folders (Markdown with front matter, HTML, plain text).")
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lang",
    "language",
    metavar="CODE",
    help=_("Source language (ISO 639-1) for HTML and plain text."),
)
@click.option(
    "--outlet", metavar="NAME", help=_("Original outlet, for files without front matter.")
)
@click.option(
    "--force",
    is_flag=True,
    help=_("Ingest even when the text does not read as the declared language."),
)
@click.option(
    "--update",
    metavar="STORY",
    help=_("The file is a new revision of STORY (a story with the same URL is updated anyway)."),
)
@json_option
@pass_desk
def ingest(
    desk: Desk,
    paths: tuple[Path, ...],
    language: str | None,
    outlet: str | None,
    force: bool,
    update: str | None,
    as_json: bool,
) -> None:
    from translate.ingest import ingest_paths

    report = ingest_paths(
        desk.store,
        desk.workflow,
        list(paths),
        language,
        outlet,
        force,
        desk.user,
        ingest_progress,
        update=update,
    )
    for failed in report.failed:
        info(_("translate: error: {message}").format(message=failed.error))
    for r in report.ok:
        for warning in r.warnings:
            info(_("translate: warning: {message}").format(message=warning))
    if as_json:
        emit_json(
            [
                {
                    "id": r.id,
                    "title": r.title,
                    "language": r.language,
                    "segments": r.segments,
                    **_revision_json(r.revision),
                }
                for r in report.ok
            ]
        )
    else:
        for r in report.ok:
            if r.revision is not None:
                click.echo(_revision_line(r.id, r.revision))
                continue
            click.echo(
                _("{id}  {title} ({language}, {n})").format(
                    id=style(r.id, bold=True),
                    title=r.title,
                    language=r.language,
                    n=ngettext("{n} segment", "{n} segments", r.segments).format(n=r.segments),
                )
            )
    if report.failed:
        if report.ok:
            info(
                _("{ok} ingested, {failed} failed").format(
                    ok=len(report.ok), failed=len(report.failed)
                )
            )
            raise click.exceptions.Exit(int(ExitCode.PARTIAL))
        raise click.exceptions.Exit(int(ExitCode.ERROR))


def _revision_json(revision) -> dict:
    if revision is None:
        return {}
    return {
        "revision": revision.revision,
        "unchanged": revision.unchanged,
        "kept": revision.kept,
        "added": revision.added,
        "removed": revision.removed,
        "reopened": revision.reopened,
        "state": revision.state,
    }


def _revision_line(story_id: str, revision) -> str:
    if revision.unchanged:
        return _("{id}: the same text as revision {n}; nothing changed").format(
            id=style(story_id, bold=True), n=revision.revision
        )
    return _(
        "{id}: source revision {n} ({kept} segments kept, {added} new or changed, {removed} "
        "removed); {state}"
    ).format(
        id=style(story_id, bold=True),
        n=revision.revision,
        kept=revision.kept,
        added=revision.added,
        removed=revision.removed,
        state=revision.state,
    )


@click.command(help=_("List stories, optionally by state and language."))
@click.option(
    "--state",
    metavar="STATE",
    help=_("ingested, translated, in_translation, submitted, approved, published"),
)
@click.option("--lang", "language", metavar="CODE", help=_("Source language."))
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help=_("List at most N stories."))
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help=_("Skip the first N stories (in ingest order)."),
)
@click.option(
    "--jsonl",
    "as_jsonl",
    is_flag=True,
    help=_("Print one JSON object per story and line, written as read (any desk size)."),
)
@json_option
@pass_desk
def stories(
    desk: Desk,
    state: str | None,
    language: str | None,
    limit: int | None,
    offset: int,
    as_jsonl: bool,
    as_json: bool,
) -> None:
    from translate.cli.output import emit_json_stream, emit_jsonl
    from translate.store.states import StoryState

    if as_json and as_jsonl:
        raise UsageError(_("give --json or --jsonl (not both)"))
    wanted = None
    if state:
        try:
            wanted = StoryState.parse(state)
        except KeyError:
            raise UsageError(
                _("unknown state '{state}' (one of: {states})").format(
                    state=state, states=", ".join(s.label for s in StoryState)
                )
            ) from None
    rows = desk.store.iter_stories(wanted, language, limit, offset)
    if as_json or as_jsonl:
        items = (
            {
                "id": r["id"],
                "title": r["title"],
                "language": r["language"],
                "state": StoryState(r["state"]).label,
                "segments": r["segments"],
                "confirmed": r["confirmed"],
                "claimed_by": r["claimed_by"],
                "revision": r["revision"],
                "priority": r["priority"],
                "deadline": r["deadline"],
            }
            for r in rows
        )
        (emit_jsonl if as_jsonl else emit_json_stream)(items)
        return
    rows = list(rows)
    if not rows:
        info(_("no stories"))
        return
    table(
        [
            [
                r["id"],
                StoryState(r["state"]).label,
                _lang_name(r["language"]),
                f"{r['confirmed']}/{r['segments']}",
                r["claimed_by"] or "",
                r["title"][:60],
            ]
            for r in rows
        ],
        [_("id"), _("state"), _("language"), _("confirmed"), _("claimed by"), _("title")],
    )


@click.command(help=_("Show a story: units, segments, states, translations and findings."))
@click.argument("story")
@json_option
@pass_desk
def show(desk: Desk, story: str, as_json: bool) -> None:
    from translate.views import story_view

    view = story_view(desk.store, story)
    if as_json:
        emit_json(view)
        return
    click.echo(style(view["title"], bold=True) + f"  [{view['id']}]")
    p = view["provenance"]
    click.echo(
        _("{language} · {state} · {outlet} · {author}").format(
            language=_lang_name(view["language"]),
            state=view["state"],
            outlet=p["outlet"] or "-",
            author=p["author"] or "-",
        )
    )
    if view["untranslated_reason"]:
        click.echo(style(view["untranslated_reason"], fg="yellow"))
    for unit in view["units"]:
        click.echo("")
        click.echo(style(f"[{unit['kind']}]", fg="cyan"))
        for seg in unit["segments"]:
            click.echo(f"  {seg['id']:>3} {seg['state']:<12} {seg['source']}")
            if seg["translation"] is not None:
                click.echo(f"      {'':<12} → {seg['translation']}")
            for change in seg.get("localized", []):
                click.echo(
                    "      "
                    + style(
                        _("house style ({rule}, version {v}): '{before}' → '{after}'").format(
                            rule=change["rule"],
                            v=change["version"],
                            before=change["before"],
                            after=change["after"],
                        ),
                        fg="blue",
                    )
                )
            for f in seg["findings"]:
                colour = "red" if f["severity"] == "blocking" else "yellow"
                click.echo(
                    "      " + style(f"! {f['code']} ({f['severity']}): {f['message']}", fg=colour)
                )


@click.command(help=_("Count stories by state."))
@json_option
@pass_desk
def status(desk: Desk, as_json: bool) -> None:
    from babel.numbers import format_decimal

    from translate.store.states import StoryState

    counts = desk.store.status_counts()
    data = {s.label: counts.get(int(s), 0) for s in StoryState}
    if as_json:
        emit_json(data)
        return
    table(
        [[label, format_decimal(n, locale=ui_language())] for label, n in data.items()],
        [_("state"), _("stories")],
    )
    click.echo(_("total: {n}").format(n=format_decimal(sum(data.values()), locale=ui_language())))
