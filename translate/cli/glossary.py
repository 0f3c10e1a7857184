"""Command group `glossary`: list, add, remove, import, export, match, check.

Thin over translate/glossary/edit.py; the glossary files are the source of truth and every command
re-reads them, so edits take effect on the next `mt` or `check`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, output_file_option, table
from translate.i18n import _

KIND_CHOICE = click.Choice(["preferred", "forbidden", "keep"])


@click.group(help=_("Glossaries: approved terms per language pair (CSV or TBX)."))
def glossary() -> None:
    pass


@glossary.command("list", help=_("List the glossary entries of one pair or of every pair."))
@click.option("--pair", "pair_code", metavar="PAIR", help=_("Only this pair, e.g. ru-en."))
@json_option
@pass_desk
def list_(desk: Desk, pair_code: str | None, as_json: bool) -> None:
    from translate.glossary import glossary_path, load_glossary
    from translate.glossary.edit import entry_dict, parse_pair

    wf = desk.workflow
    pairs = [parse_pair(wf, pair_code)] if pair_code else list(wf.pairs.values())
    out = []
    for pair in pairs:
        path = glossary_path(wf, pair)
        g = load_glossary(path, pair.source, pair.target)
        out.append(
            {"pair": pair.code, "path": str(path), "entries": [entry_dict(e) for e in g.entries]}
        )
    if as_json:
        emit_json(out)
        return
    rows = []
    for block in out:
        for e in block["entries"]:
            rows.append(
                [
                    block["pair"],
                    e["source"],
                    e["target"],
                    e["kind"],
                    "|".join(e["avoid"]),
                    _("yes") if e["case_sensitive"] else "",
                    e["note"],
                ]
            )
    if not rows:
        info(_("no glossary entries"))
        return
    table(
        rows,
        [_("pair"), _("source"), _("target"), _("kind"), _("avoid"), _("case"), _("note")],
    )


@glossary.command(help=_("Add an entry (or replace the entry with the same source term)."))
@click.argument("source_lang")
@click.argument("target_lang")
@click.argument("source")
@click.argument("target", required=False, default="")
@click.option(
    "--kind",
    type=KIND_CHOICE,
    default="preferred",
    show_default=True,
    help=_("preferred, forbidden (with --avoid) or keep (do not translate)."),
)
@click.option(
    "--avoid",
    multiple=True,
    metavar="WORDING",
    help=_("A target wording that must not appear (repeatable)."),
)
@click.option(
    "--case-sensitive",
    is_flag=True,
    help=_("Capitals in the term must be capitals in the text (НАТО, Путин)."),
)
@click.option("--note", default="", help=_("A note for translators."))
@pass_desk
def add(desk: Desk, source_lang, target_lang, source, target, kind, avoid, case_sensitive, note):
    from translate.glossary.edit import add_entry, pair_of
    from translate.glossary.entry import Entry

    pair = pair_of(desk.workflow, source_lang.lower(), target_lang.lower())
    entry = Entry(
        source=source.strip(),
        target=target.strip(),
        kind=kind,
        avoid=[a.strip() for a in avoid if a.strip()],
        case_sensitive=case_sensitive,
        note=note.strip(),
    )
    result = add_entry(desk.workflow, pair, entry)
    message = _("added '{source}' to {path}") if result.added else _("updated '{source}' in {path}")
    click.echo(message.format(source=source or "|".join(entry.avoid), path=result.path))


@glossary.command(help=_("Remove the entry for a source term."))
@click.argument("source_lang")
@click.argument("target_lang")
@click.argument("source")
@pass_desk
def remove(desk: Desk, source_lang: str, target_lang: str, source: str) -> None:
    from translate.glossary.edit import pair_of, remove_entry

    pair = pair_of(desk.workflow, source_lang.lower(), target_lang.lower())
    result = remove_entry(desk.workflow, pair, source)
    click.echo(_("removed '{source}' from {path}").format(source=source, path=result.path))


@glossary.command("import", help=_("Import a TBX (v2 martif or v3 TBX-Basic) or CSV glossary."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pair", "pair_code", metavar="PAIR", help=_("Pair to import into, e.g. ru-en."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tbx"]),
    help=_("File format (default: from the file name)."),
)
@click.option("--replace", is_flag=True, help=_("Replace the whole glossary instead of merging."))
@json_option
@pass_desk
def import_(desk: Desk, file: Path, pair_code, fmt, replace: bool, as_json: bool) -> None:
    from translate.glossary.edit import import_file, parse_pair

    pair = parse_pair(desk.workflow, pair_code, file)
    result = import_file(desk.workflow, pair, file, fmt, replace)
    if as_json:
        emit_json(
            {
                "pair": pair.code,
                "path": str(result.path),
                "added": result.added,
                "updated": result.updated,
                "skipped": result.skipped,
                "total": result.total,
            }
        )
        return
    click.echo(
        _("imported {file} into {path}: {added} added, {updated} updated, {total} entries").format(
            file=file,
            path=result.path,
            added=result.added,
            updated=result.updated,
            total=result.total,
        )
    )
    if result.skipped:
        info(
            _("skipped {n} TBX entries with no {source} or {target} term").format(
                n=result.skipped, source=pair.source, target=pair.target
            )
        )


@glossary.command(help=_("Export a pair's glossary as CSV or TBX (to stdout unless -o)."))
@click.option("--pair", "pair_code", metavar="PAIR", help=_("Pair to export, e.g. ru-en."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tbx"]),
    default="tbx",
    show_default=True,
    help=_("Output format."),
)
@click.option(
    "--tbx-version",
    type=click.Choice(["2", "3"]),
    default="3",
    show_default=True,
    help=_("TBX v2 (martif) or v3 (TBX-Basic)."),
)
@click.option(
    "--tbx-style",
    type=click.Choice(["dca", "dct"]),
    default="dca",
    show_default=True,
    help=_(
        'TBX v3 style: term status as <termNote type="administrativeStatus"> (dca) or '
        "<basic:administrativeStatus> (dct)."
    ),
)
@output_file_option
@pass_desk
def export(
    desk: Desk, pair_code, fmt: str, tbx_version: str, tbx_style: str, output: Path | None
) -> None:
    from translate.glossary.edit import export_text, parse_pair
    from translate.glossary.formats import write_atomic

    pair = parse_pair(desk.workflow, pair_code)
    text = export_text(desk.workflow, pair, fmt, int(tbx_version), tbx_style)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text)
    info(_("wrote {path}").format(path=output))


@glossary.command(
    help=_("Show which glossary entries match a text, where, and through which lemma.")
)
@click.argument("text")
@click.option("--lang", "source_lang", required=True, metavar="CODE", help=_("Language of TEXT."))
@click.option(
    "--target",
    "target_lang",
    default="en",
    show_default=True,
    metavar="CODE",
    help=_("Target language of the pair."),
)
@json_option
@pass_desk
def match(desk: Desk, text: str, source_lang: str, target_lang: str, as_json: bool) -> None:
    from translate.glossary.edit import explain

    if text == "-":
        text = sys.stdin.read()
    found = explain(desk.workflow, text, source_lang.lower(), target_lang.lower())
    if as_json:
        emit_json(found)
        return
    if not found["matches"]:
        info(
            _("no glossary entry matched ({n} entries in {path})").format(
                n=found["entries"], path=found["glossary"]
            )
        )
        return
    rows = []
    for m in found["matches"]:
        via = " ".join(f"{v['word']}→{v['key']}({v['how']})" for v in m["via"])
        rows.append(
            [
                f"{m['start']}-{m['end']}",
                m["text"],
                m["entry"]["source"],
                m["rendering"],
                m["entry"]["kind"],
                via,
            ]
        )
    table(rows, [_("span"), _("text"), _("entry"), _("rendering"), _("kind"), _("via")])


@glossary.command(help=_("Check a story's current translations against its glossary."))
@click.argument("story")
@json_option
@pass_desk
def check(desk: Desk, story: str, as_json: bool) -> None:
    from translate.checks import check_story

    found = check_story(desk.store, desk.workflow, story)
    mine = [f for f in found if f["code"].startswith("glossary.")]
    if as_json:
        emit_json(mine)
        return
    if not mine:
        info(_("{story}: no glossary findings").format(story=story))
        return
    table(
        [
            [
                f["number"],
                f["code"],
                f["severity"],
                f["status"],
                "" if f["span_start"] is None else f"{f['span_start']}-{f['span_end']}",
                f["message"],
            ]
            for f in mine
        ],
        [_("segment"), _("code"), _("severity"), _("status"), _("span"), _("message")],
    )
