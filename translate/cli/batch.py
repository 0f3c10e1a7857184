"""Command: batch (the nightly run, and the --demo walkthrough)."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import Progress, info, style
from translate.i18n import _


@click.command(
    help=_(
        "The nightly batch: ingest new inbox files, machine-translate every pending story (one "
        "model load per pair), run the checks and leave the stories in the review queue. Exit 3 "
        "when some file or story failed, 4 when another batch is running."
    )
)
@click.option(
    "--inbox",
    "inboxes",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Inbox folder (repeatable; default: workflow.yaml batch.inbox)."),
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Write the JSON report to this file."),
)
@click.option(
    "--demo",
    is_flag=True,
    help=_(
        "After the batch, play a translator confirming and an editor approving every queued "
        "story, and publish it. A walkthrough for newcomers: never on a real desk."
    ),
)
@click.option(
    "--worker",
    is_flag=True,
    help=_(
        "Share the MT work with other 'batch --worker' processes (on this or other machines): "
        "each story's MT job is taken under a lease that a heartbeat renews; a worker that dies "
        "loses its jobs to the others. The worker that gets the inbox lock ingests first."
    ),
)
@click.option(
    "--run",
    "run_id",
    metavar="ID",
    help=_(
        "With --worker: the run to join (default: the run a live worker is on, else a new one); "
        "--report covers every worker of the run."
    ),
)
@click.option(
    "--lease",
    metavar="DURATION",
    default="60s",
    show_default=True,
    help=_("With --worker: how long a job stays taken without a heartbeat (e.g. 30s, 2m)."),
)
@pass_desk
def batch(
    desk: Desk,
    inboxes: tuple[Path, ...],
    report_path: Path | None,
    demo: bool,
    worker: bool,
    run_id: str | None,
    lease: str,
) -> None:
    import json

    from translate.batch import run_batch, summary
    from translate.errors import UsageError
    from translate.publish.files import atomic_write

    for folder in inboxes:  # a typo in a cron line must not pass for an empty inbox
        if not folder.is_dir():
            raise UsageError(_("--inbox {path}: no such folder").format(path=folder))
    notify = lambda message: info(_("batch: {message}").format(message=message))  # noqa: E731
    if worker:
        from translate.config import DURATION_RE, parse_duration
        from translate.workers import run_worker

        if not DURATION_RE.match(lease.strip()):
            raise UsageError(
                _("--lease {value}: not a duration such as '30s' or '2m'").format(value=lease)
            )
        report = run_worker(
            desk.store,
            desk.workflow,
            desk.user,
            run_id,
            parse_duration(lease),
            list(inboxes) or None,
            notify=notify,
        )
    else:
        if run_id:
            raise UsageError(_("--run goes with --worker"))
        report = run_batch(
            desk.store,
            desk.workflow,
            list(inboxes) or None,
            desk.user,
            progress=lambda total, label: Progress(total, label),
            notify=notify,
        )
    if report_path:
        atomic_write(report_path, json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    for line in summary(report):
        info(line)
    if demo:
        from translate.demo import run_demo

        click.echo(style(_("== DEMO WALKTHROUGH: simulated people, not a real review =="),
                         bold=True))  # fmt: skip
        result = run_demo(desk.store, desk.workflow)
        for step in result.steps:
            click.echo(step)
    if report.exit_code:
        raise click.exceptions.Exit(int(report.exit_code))
