"""Glossary files: CSV (the desk's own format) and TBX (read and written by translate/glossary/tbx.py).

CSV: UTF-8, a header row naming the columns, one entry per row:
    source,target,kind,avoid,case_sensitive,note[,admitted]
`source` and `target` are required columns; the others may be left out (kind defaults to preferred,
case_sensitive to no). `avoid` and `admitted` hold '|'-separated target wordings; the `admitted`
column is written only when some entry has admitted wordings (from a TBX admittedTerm). Errors name the file and line and
leave every file untouched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from translate.errors import DeskError
from translate.glossary.entry import Entry
from translate.i18n import _

COLUMNS = ("source", "target", "kind", "avoid", "case_sensitive", "note", "admitted")
BASE_COLUMNS = COLUMNS[:6]
FORMATS = ("csv", "tbx")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}


class GlossaryFormatError(DeskError):
    """A glossary file that cannot be read; the message names the file and the line or entry."""


@dataclass
class ReadResult:
    entries: list[Entry]
    skipped: int = 0  # TBX entries without a term in the pair's languages
    languages: tuple[str, ...] = ()


def format_of(path: Path, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("tbx", "xml"):
        return "tbx"
    if suffix in ("csv", "txt", ""):
        return "csv"
    raise GlossaryFormatError(
        _(
            "{path}: unknown glossary format '.{suffix}' (use .csv or .tbx, or pass --format)"
        ).format(path=path, suffix=suffix)
    )


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryFormatError(
            _("{path}:{line}: not UTF-8 text").format(path=path, line=line)
        ) from None


def _flag(value: str, path: Path, line: int) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise GlossaryFormatError(
        _("{path}:{line}: case_sensitive must be yes or no, not '{value}'").format(
            path=path, line=line, value=value
        )
    )


def check_entries(entries: list[Entry], path: Path, where) -> None:
    """Validate each entry and refuse duplicates; `where(entry)` names its line or TBX entry."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        problem = entry.problem()
        if problem:
            raise GlossaryFormatError(f"{path}:{where(entry)}: {problem}")
        first = seen.get(entry.key)
        if first is not None:
            raise GlossaryFormatError(
                _("{path}:{where}: duplicate entry for '{term}' (first at {first})").format(
                    path=path,
                    where=where(entry),
                    term=entry.source or "|".join(entry.avoid),
                    first=where(first),
                )
            )
        seen[entry.key] = entry


def parse_csv(text: str, path: Path) -> list[Entry]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    entries: list[Entry] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                for name in header:
                    if name not in COLUMNS:
                        raise GlossaryFormatError(
                            _("{path}:{line}: unknown column '{name}' (known: {known})").format(
                                path=path, line=line, name=name, known=", ".join(COLUMNS)
                            )
                        )
                for required in ("source", "target"):
                    if required not in header:
                        raise GlossaryFormatError(
                            _("{path}:{line}: the header has no '{name}' column").format(
                                path=path, line=line, name=required
                            )
                        )
                continue
            if len(row) > len(header):
                raise GlossaryFormatError(
                    _("{path}:{line}: {n} fields, but the header names {m}").format(
                        path=path, line=line, n=len(row), m=len(header)
                    )
                )
            cells = dict(zip(header, row, strict=False))
            entries.append(
                Entry(
                    source=cells.get("source", "").strip(),
                    target=cells.get("target", "").strip(),
                    kind=cells.get("kind", "").strip().lower() or "preferred",
                    avoid=[a.strip() for a in cells.get("avoid", "").split("|") if a.strip()],
                    case_sensitive=_flag(cells.get("case_sensitive", ""), path, line),
                    note=cells.get("note", "").strip(),
                    admitted=[a.strip() for a in cells.get("admitted", "").split("|") if a.strip()],
                    line=line,
                )
            )
    except csv.Error as exc:
        raise GlossaryFormatError(
            _("{path}:{line}: CSV error: {problem}").format(
                path=path, line=reader.line_num, problem=exc
            )
        ) from None
    check_entries(entries, path, lambda e: e.line)
    return entries


def render_csv(entries: list[Entry]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    with_admitted = any(e.admitted for e in entries)
    writer.writerow(COLUMNS if with_admitted else BASE_COLUMNS)
    for e in entries:
        row = [
            e.source,
            e.target,
            e.kind,
            "|".join(e.avoid),
            "yes" if e.case_sensitive else "no",
            e.note,
        ]
        writer.writerow(row + ["|".join(e.admitted)] if with_admitted else row)
    return buf.getvalue()


def read_glossary_file(
    path: Path,
    fmt: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> ReadResult:
    """Read a CSV or TBX glossary (TBX needs the pair's languages to pick its terms)."""
    path = Path(path)
    fmt = format_of(path, fmt)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GlossaryFormatError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise GlossaryFormatError(f"{path}: {exc.strerror or exc}") from None
    if fmt == "tbx":
        from translate.glossary.tbx import parse_tbx

        return parse_tbx(data, path, source_lang, target_lang)
    return ReadResult(parse_csv(_decode(path, data), path))


def render(
    entries: list[Entry],
    fmt: str,
    source_lang: str,
    target_lang: str,
    version: int = 3,
    style: str = "dca",
):
    if fmt == "tbx":
        from translate.glossary.tbx import render_tbx
        from translate.xmlsafe import parse_tree

        text = render_tbx(entries, source_lang, target_lang, version, style)
        parse_tree(text.encode("utf-8"), "TBX export", _("nothing written"))  # never malformed
        return text
    return render_csv(entries)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never half of it (the mode
    follows the umask, or the replaced file's mode: translate.publish.files.atomic_write)."""
    from translate.publish.files import atomic_write

    atomic_write(Path(path), text.encode("utf-8"))
