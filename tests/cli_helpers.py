"""Helpers for CLI tests: run the real entry point under CliRunner, and count what the store holds.

`invoke()` goes through `translate.cli.run` (what the `translate` script calls), so exit codes and the
one-line error messages are the ones a user sees, not click's standalone handling of a bare group.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from click.testing import CliRunner, Result

from translate.cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "stories"
BAD = Path(__file__).resolve().parent / "bad_inputs"

RU_MD = EXAMPLES / "kommersant-russia-pakistan.md"
ES_MD = EXAMPLES / "gpj-chiapas-orchids.md"
ES_HTML = EXAMPLES / "html" / "gpj-banco-semillas.html"
RU_TXT = EXAMPLES / "text" / "gazprom-pipeline-cp1251.txt"


@click.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    }
)
@click.argument("argv", nargs=-1, type=click.UNPROCESSED)
def _entry(argv: tuple[str, ...]) -> None:
    sys.exit(run(list(argv)))


def invoke(*args: str | Path, input: str | None = None) -> Result:
    """Run `translate ARGS...` in-process; stdout and stderr are kept apart on the result."""
    return CliRunner().invoke(_entry, [str(a) for a in args], input=input, catch_exceptions=False)


def invoke_json(*args: str | Path):
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def counts(workflow_folder: Path) -> dict[str, int]:
    """Rows per table in the desk's store (stories, units, segments, events)."""
    from translate.config import load_workflow
    from translate.store import open_store

    store = open_store(load_workflow(workflow_folder / "workflow.yaml").store)
    try:
        return {t: store.db[t].count for t in ("stories", "units", "segments", "events")}
    finally:
        store.close()


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("translate: error:")]
