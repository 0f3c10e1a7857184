"""Commands: tm export, tm import, tm search — the translation memory. Thin over translate.tm and
translate.exchange.tmx."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, output_file_option, style
from translate.i18n import _, ngettext


@click.group(
    help=_(
        "The translation memory: every approved segment pair, reused exactly during MT and "
        "offered as fuzzy matches in review."
    )
)
def tm() -> None:
    pass


@tm.command("export", help=_("Export the translation memory as TMX 1.4."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tmx"]),
    default="tmx",
    show_default=True,
    help=_("File format."),
)
@output_file_option
@pass_desk
def export_(desk: Desk, fmt: str, output: Path | None) -> None:
    from translate.cli.exchange import write_output
    from translate.exchange.tmx import export_tmx

    data, count = export_tmx(desk.store, desk.user)
    if output is None:
        click.echo(data, nl=False)
    else:
        write_output(output, data)
        info(_("wrote {path}").format(path=output))
    info(ngettext("{n} translation unit", "{n} translation units", count).format(n=count))


@tm.command(
    "import",
    help=_(
        "Add the units of a TMX file (1.1-1.4) to the translation memory, into each of the "
        "desk's language pairs the units hold (in either direction); entries already there are "
        "skipped."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=_("Count what would be added; add nothing."))
@json_option
@pass_desk
def import_(desk: Desk, file: Path, dry_run: bool, as_json: bool) -> None:
    from translate.exchange.tmx import import_tmx

    pairs = [(p.source, p.target) for p in desk.workflow.pairs.values()]
    result = import_tmx(
        desk.store, file, dry_run=dry_run, pairs=pairs, workflow=desk.workflow, user=desk.user
    )
    if as_json:
        emit_json({**result, "dry_run": dry_run})
        return
    line = _("{added} added, {duplicates} already in the memory").format(**result)
    if result["pairs"]:
        line += (
            " ("
            + ", ".join(f"{p}: {result['per_pair'][p]['added']}" for p in result["pairs"])
            + ")"
        )
    if result["unused"]:
        line += "; " + ngettext(
            "{n} unit with no language pair of this desk ({pairs})",
            "{n} units with no language pair of this desk ({pairs})",
            result["unused"],
        ).format(n=result["unused"], pairs=", ".join(desk.workflow.pairs) or "-")
    if dry_run:
        line += " " + _("(dry run: nothing changed)")
    click.echo(line)


_MARKS = {"-": ("[-", "-]", "red"), "+": ("{+", "+}", "green")}


def _colour_diff(ops: list[tuple[str, str]]) -> str:
    """The word diff as `[-old-]{+new+}` (coloured on a terminal)."""
    return "".join(
        text if op == "=" else style(f"{_MARKS[op][0]}{text}{_MARKS[op][1]}", fg=_MARKS[op][2])
        for op, text in ops
    )


@tm.command(
    "search",
    help=_(
        "Fuzzy-search the memory: matches at or above the threshold (workflow.yaml "
        "tm.fuzzy_threshold, default 75), with their score and a word diff against your text."
    ),
)
@click.argument("text")
@click.option("--lang", "source_lang", metavar="CODE", help=_("Source language (default: all)."))
@click.option("--target", "target_lang", metavar="CODE", help=_("Target language (default: all)."))
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help=_("How many matches at most."),
)
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    help=_("Lowest score shown, in percent (default: tm.fuzzy_threshold)."),
)
@json_option
@pass_desk
def search(
    desk: Desk,
    text: str,
    source_lang: str | None,
    target_lang: str | None,
    limit: int,
    threshold: int | None,
    as_json: bool,
) -> None:
    from translate.tm import render_diff
    from translate.tm import search as tm_search

    if threshold is None:
        threshold = desk.workflow.tm_fuzzy_threshold
    matches = tm_search(desk.store, text, source_lang, target_lang, limit, threshold)
    if as_json:
        emit_json(
            [
                {
                    **{k: m[k] for k in ("score", "source", "target", "source_lang")},
                    "target_lang": m["target_lang"],
                    "story_id": m["story_id"],
                    "at": m["at"],
                    "diff": render_diff(m["diff"]),
                    "diff_ops": [list(op) for op in m["diff"]],
                }
                for m in matches
            ]
        )
        return
    if not matches:
        info(_("no match at or above {threshold}%").format(threshold=threshold))
        return
    for m in matches:
        score = style(f"{m['score']:>3}%", bold=True)
        click.echo(f"{score}  {_colour_diff(m['diff'])}")
        click.echo(f"      → {m['target']}")
        origin = m["story_id"] or _("imported")
        click.echo(
            "      "
            + _("{pair} · {origin} · {at}").format(
                pair=f"{m['source_lang']}-{m['target_lang']}", origin=origin, at=m["at"] or "-"
            )
        )
