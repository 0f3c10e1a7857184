"""Output helpers shared by every command: JSON for scripts, tables for people, colours that respect
NO_COLOR, progress bars on a terminal and plain log lines when piped."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from translate.i18n import _

json_option = click.option("--json", "as_json", is_flag=True, help=_("Print JSON for scripts."))


def output_file_option(func):
    """`-o/--output FILE` for commands that write a file (standard output when absent)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help=_("Write to this file (default: standard output)."),
    )(func)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_json_stream(items: Iterable[Any]) -> None:
    """A JSON array written item by item as it is read (the same text as `emit_json` of the
    list), so memory stays flat however long the list."""
    out = sys.stdout
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2, default=str)
        out.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")
    out.flush()


def emit_jsonl(items: Iterable[Any]) -> None:
    """One compact JSON object per line, written as each is read (buffered by the stream, not
    flushed per line: a pipe gets whole blocks)."""
    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
    for item in items:
        out.write(dumps(item) + "\n")
    out.flush()


def use_color() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


def style(text: str, **kwargs: Any) -> str:
    return click.style(text, **kwargs) if use_color() else text


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        line = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        click.echo(style(line, bold=True) if n == 0 else line)


def info(message: str) -> None:
    """A diagnostic line on stderr."""
    click.echo(message, err=True)


class Progress:
    """A progress bar on a terminal; plain 'label: n/total' log lines when stderr is not a terminal."""

    def __init__(self, total: int, label: str, min_log_total: int = 0):
        """`min_log_total`: below this many items, log nothing when not on a terminal (short work
        needs no progress lines; errors stay the only lines on stderr)."""
        self.total, self.label, self.done = total, label, 0
        self.quiet = total < min_log_total
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._last_logged = -1

    def __enter__(self) -> Progress:
        if self.tty and self.total:
            self._bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        return self

    def advance(self, n: int = 1, note: str | None = None) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.total and not self.quiet:
            step = max(1, self.total // 10)
            if self.done == self.total or self.done - self._last_logged >= step:
                self._last_logged = self.done
                line = f"{self.label}: {self.done}/{self.total}"
                click.echo(f"{line} {note}" if note else line, err=True)

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def progress_iter(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    with Progress(total, label) as p:
        for item in items:
            yield item
            p.advance()
