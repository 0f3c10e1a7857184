"""Commands: mt, engines, models (list, install, remove)."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import Progress, emit_json, info, json_option, style, table
from translate.errors import ExitCode, UsageError
from translate.i18n import _, ngettext


@click.command(
    help=_(
        "Machine-translate pending segments of the given stories (default: every story not yet "
        "claimed). Re-runs translate nothing new unless --force or the pair's model changed."
    )
)
@click.argument("story_ids", nargs=-1, metavar="[STORY]...")
@click.option("--engine", metavar="NAME", help=_("Use this engine for every pair."))
@click.option(
    "--force", is_flag=True, help=_("Redo machine drafts even when the model has not changed.")
)
@json_option
@pass_desk
def mt(desk: Desk, story_ids: tuple[str, ...], engine: str | None, force: bool, as_json: bool):
    from translate.mt import run_mt

    report = run_mt(
        desk.store,
        desk.workflow,
        story_ids=list(story_ids),
        engine=engine,
        force=force,
        user=desk.user,
        progress=lambda total, label: Progress(total, label),
        notify=info,
    )
    for note in report.notes:
        info(_("translate: {note}").format(note=note))
    for hint in report.missing.values():
        info(_("translate: {hint}").format(hint=hint))
    skipped = [s for s in report.stories if s.skipped]
    for s in skipped:
        info(_("translate: {reason}").format(reason=s.skipped))
    if as_json:
        emit_json(report.as_dict())
    else:
        _print_report(report)
    if skipped and story_ids:
        worked = any(s.translated or s.untranslated_reason for s in report.stories)
        raise click.exceptions.Exit(int(ExitCode.PARTIAL if worked else ExitCode.ERROR))


def _print_report(report) -> None:
    for s in report.stories:
        if s.skipped:
            continue
        if s.untranslated_reason:
            click.echo(_("{id}: queued untranslated (no engine for {pair})").format(
                id=style(s.id, bold=True), pair=s.pair))  # fmt: skip
        elif s.translated:
            segments = ngettext("{n} segment", "{n} segments", s.translated).format(n=s.translated)
            model = " ".join(x for x in (s.model, s.model_version) if x)
            line = _("{id}: {segments} translated with {engine}").format(
                id=style(s.id, bold=True), segments=segments, engine=s.engine
            )
            click.echo(f"{line} ({model})" if model else line)
        elif s.engine:
            click.echo(_("{id}: up to date").format(id=style(s.id, bold=True)))
        else:
            click.echo(
                _("{id}: kept as it is (no engine for {pair})").format(
                    id=style(s.id, bold=True), pair=s.pair
                )
            )
    if not report.stories:
        info(_("nothing to translate"))
    elif report.sentences:
        rate = report.sentences / report.seconds if report.seconds else 0.0
        info(
            _("{n} sentences in {seconds:.1f} s ({rate:.1f} sentences/s)").format(
                n=report.sentences, seconds=report.seconds, rate=rate
            )
        )


@click.command(help=_("List MT engines, whether each can run here, and the pairs it serves."))
@json_option
@pass_desk
def engines(desk: Desk, as_json: bool) -> None:
    from translate.engines.registry import describe_all

    workflow = _workflow_or_none(desk)
    settings = dict(workflow.mt_options) if workflow else {}
    settings["packages_dir"] = str(_folder(desk))
    rows = describe_all(settings)
    if as_json:
        emit_json(rows)
        return
    table(
        [
            [
                r["name"],
                _("yes") if r["available"] else _("no"),
                ", ".join(r["pairs"]) or "-",
                r["reason"] or r["description"],
            ]
            for r in rows
        ],
        [_("engine"), _("available"), _("pairs"), _("notes")],
    )


# ---------------------------------------------------------------- models


def _workflow_or_none(desk: Desk):
    from translate.config import find_workflow

    if find_workflow(desk.workflow_path) is None:
        return None  # model management works before 'translate init'
    return desk.workflow


def _folder(desk: Desk) -> Path:
    from translate.engines.models import packages_dir

    return packages_dir(_workflow_or_none(desk))


@click.group(help=_("Manage argos translation packages (shared with argospm)."))
def models() -> None:
    pass


@models.command("list", help=_("List installed argos packages (or those in the online index)."))
@click.option(
    "--available", is_flag=True, help=_("List the packages of the argos index (needs network).")
)
@json_option
@pass_desk
def list_models(desk: Desk, available: bool, as_json: bool) -> None:
    from translate.engines import models as pkgs

    folder = _folder(desk)
    found, problems = pkgs.installed(folder)
    for problem in problems:
        info(
            _("translate: warning: {path}: not a usable package ({reason})").format(
                path=problem.path, reason=problem.reason
            )
        )
    if available:
        installed = {(p.source, p.target): p.version for p in found}
        rows = pkgs.available()
        if as_json:
            emit_json(
                [{**p.as_dict(), "installed": installed.get((p.source, p.target))} for p in rows]
            )
            return
        table(
            [[p.pair, p.name, p.version, installed.get((p.source, p.target)) or ""] for p in rows],
            [_("pair"), _("package"), _("version"), _("installed")],
        )
        return
    if as_json:
        emit_json([p.as_dict() for p in found])
        return
    if not found:
        info(_("no argos packages in {folder}").format(folder=folder))
        return
    table(
        [[p.pair, p.name, p.version, p.tokenizer or "-", str(p.path)] for p in found],
        [_("pair"), _("package"), _("version"), _("tokenizer"), _("path")],
    )


@models.command(
    "install",
    help=_(
        "Install the argos package for SOURCE TARGET from the online index, or a package file "
        "with --file (offline)."
    ),
)
@click.argument("source", required=False)
@click.argument("target", required=False)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help=_("An .argosmodel file to install."),
)
@pass_desk
def install(desk: Desk, source: str | None, target: str | None, path: Path | None) -> None:
    from translate.engines import models as pkgs

    folder = _folder(desk)
    if path is not None:
        if source or target:
            raise UsageError(_("give either SOURCE TARGET or --file, not both"))
        result = pkgs.install_file(path, folder)
    else:
        if not (source and target):
            raise UsageError(
                _("give SOURCE TARGET (e.g. 'translate models install ru en') or --file PATH")
            )
        bar: dict[str, Progress] = {}

        def progress(done: int, total: int) -> None:
            if "bar" not in bar:
                bar["bar"] = Progress(total, _("downloading")).__enter__()
            bar["bar"].advance(done - bar["bar"].done)

        try:
            result = pkgs.install_from_index(source, target, folder, progress)
        finally:
            if "bar" in bar:
                bar["bar"].__exit__(None, None, None)
    click.echo(
        _("installed {name} {version} ({pair}) in {folder}").format(
            name=result.name, version=result.version, pair=result.pair, folder=folder
        )
    )


@models.command("remove", help=_("Remove the installed argos package for SOURCE TARGET."))
@click.argument("source")
@click.argument("target")
@pass_desk
def remove(desk: Desk, source: str, target: str) -> None:
    from translate.engines import models as pkgs

    folder = _folder(desk)
    result = pkgs.remove(source, target, folder)
    click.echo(
        _("removed {name} {version} ({pair}) from {folder}").format(
            name=result.name, version=result.version, pair=result.pair, folder=folder
        )
    )
