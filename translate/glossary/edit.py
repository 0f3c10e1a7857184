"""Edit a pair's glossary file: add, remove, import, export; and explain matches.

Every edit re-reads the file, validates the whole result, then replaces the file atomically, so a
failed command leaves the glossary as it was. The file is the source of truth: nothing is copied
into the store.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from translate.config import Pair, Workflow
from translate.errors import DeskError, UsageError
from translate.glossary import glossary_path, load_glossary, loaded, save_glossary
from translate.glossary.entry import Entry
from translate.i18n import _


def pair_of(workflow: Workflow, source: str, target: str) -> Pair:
    """The configured pair, or an unconfigured one whose glossary is glossaries/<pair>.csv."""
    return workflow.pair(source, target) or Pair(source, target, [], None)


def parse_pair(workflow: Workflow, code: str | None, file: Path | None = None) -> Pair:
    """--pair ru-en; else a pair named by the file (ru-en.csv) or the only pair configured."""
    if code:
        parts = code.strip().lower().split("-")
        if len(parts) != 2 or not all(parts):
            raise UsageError(_("'{code}' is not a pair such as 'ru-en'").format(code=code))
        return pair_of(workflow, parts[0], parts[1])
    if file is not None:
        for pair in workflow.pairs.values():
            if pair.code in Path(file).stem.lower():
                return pair
    if len(workflow.pairs) == 1:
        return next(iter(workflow.pairs.values()))
    raise UsageError(
        _("name the pair with --pair (configured: {pairs})").format(
            pairs=", ".join(workflow.pairs) or "-"
        )
    )


@dataclass
class EditResult:
    path: Path
    added: int = 0
    updated: int = 0
    skipped: int = 0
    total: int = 0


def _load_for_edit(workflow: Workflow, pair: Pair):
    path = glossary_path(workflow, pair)
    return load_glossary(path, pair.source, pair.target)


def add_entry(workflow: Workflow, pair: Pair, entry: Entry) -> EditResult:
    problem = entry.problem()
    if problem:
        raise UsageError(problem)
    glossary = _load_for_edit(workflow, pair)
    new = glossary.upsert(entry)
    save_glossary(glossary)
    return EditResult(glossary.path, int(new), int(not new), 0, len(glossary.entries))


def remove_entry(workflow: Workflow, pair: Pair, source: str) -> EditResult:
    glossary = _load_for_edit(workflow, pair)
    index = glossary.index(source)
    if index is None:
        index = next(
            (
                i
                for i, e in enumerate(glossary.entries)
                if source.casefold() in [a.casefold() for a in e.avoid] and not e.source
            ),
            None,
        )
    if index is None:
        raise DeskError(
            _("no entry for '{term}' in {path}").format(term=source, path=glossary.path)
        )
    del glossary.entries[index]
    save_glossary(glossary)
    return EditResult(glossary.path, total=len(glossary.entries))


def import_file(
    workflow: Workflow, pair: Pair, file: Path, fmt: str | None = None, replace: bool = False
) -> EditResult:
    from translate.glossary.formats import read_glossary_file

    if workflow.pair(pair.source, pair.target) is None:
        raise DeskError(
            _(
                "pair '{pair}' is not configured in {workflow} (configured: {pairs}); add it "
                "under 'pairs:' as '- {{source: {source}, target: {target}}}' and import again; "
                "nothing imported"
            ).format(
                pair=pair.code,
                workflow=workflow.path,
                pairs=", ".join(workflow.pairs) or "-",
                source=pair.source,
                target=pair.target,
            )
        )
    read = read_glossary_file(Path(file), fmt, pair.source, pair.target)
    glossary = _load_for_edit(workflow, pair)
    result = EditResult(glossary.path, skipped=read.skipped)
    if replace:
        glossary.entries = []
    for entry in read.entries:
        entry.line = None
        if glossary.upsert(entry):
            result.added += 1
        else:
            result.updated += 1
    save_glossary(glossary)
    result.total = len(glossary.entries)
    return result


def export_text(
    workflow: Workflow, pair: Pair, fmt: str, tbx_version: int = 3, tbx_style: str = "dca"
) -> str:
    from translate.glossary.formats import render

    glossary = _load_for_edit(workflow, pair)
    return render(glossary.entries, fmt, pair.source, pair.target, tbx_version, tbx_style)


def entry_dict(entry: Entry) -> dict:
    data = asdict(entry)
    data.pop("line", None)
    return data


def explain(workflow: Workflow | None, text: str, source: str, target: str = "en") -> dict:
    """What `glossary match` shows: each match's entry, span and the keys it matched through."""
    if workflow is None:
        raise DeskError(_("no workflow: pass --workflow or run inside a desk"))
    pair = pair_of(workflow, source, target)
    glossary, matcher = loaded(glossary_path(workflow, pair), pair.source, pair.target)
    from translate.glossary.enforce import replacement

    matches = []
    for m in matcher.find(text):
        entry = glossary.entries[m.entry]
        matches.append(
            {
                "start": m.start,
                "end": m.end,
                "text": text[m.start : m.end],
                "entry": entry_dict(entry),
                "rendering": replacement(entry, m.plural),
                "plural": m.plural,
                "via": [{"word": w, "key": k, "how": how} for w, k, how in m.words],
            }
        )
    return {
        "pair": pair.code,
        "glossary": str(glossary_path(workflow, pair)),
        "entries": len(glossary.entries),
        "matches": matches,
    }
