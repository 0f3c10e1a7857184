"""Glossaries: one file per language pair, matched with inflection, enforced around MT.

The glossary files are the source of truth (versionable): they are re-read whenever they change,
so an edit takes effect on the next `mt` or `check` without restarting anything. Parsed glossaries and
built automata are cached per (path, inode, mtime, size).

    load_glossary(path)            -> Glossary (an empty one when the file does not exist yet)
    save_glossary(glossary)        atomically rewrites the CSV file
    glossary_path(workflow, pair)  the pair's file: workflow.yaml's `glossary`, else glossaries/<pair>.csv
    loaded(path, source, target)   -> (Glossary, Matcher) from the cache
    enforcer_for(workflow, pair)   -> Enforcer (mask/restore around MT; translate/glossary/enforce.py)
"""

from __future__ import annotations

import threading
from pathlib import Path

from translate.errors import DeskError
from translate.glossary.entry import KINDS, Entry, Glossary
from translate.i18n import _

__all__ = [
    "KINDS",
    "Entry",
    "Glossary",
    "enforcer_for",
    "glossary_path",
    "load_glossary",
    "loaded",
    "save_glossary",
]

_lock = threading.Lock()
_cache: dict[tuple, tuple] = {}


def glossary_path(workflow, pair) -> Path:
    if pair.glossary:
        return Path(pair.glossary)
    return Path(workflow.glossaries_dir) / f"{pair.code}.csv"


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def load_glossary(path: Path, source_lang: str | None = None, target_lang: str | None = None):
    """Read a pair's glossary file (CSV, or TBX when so named); a missing file is an empty glossary."""
    from translate.glossary.formats import read_glossary_file

    path = Path(path)
    if not path.exists():
        return Glossary([], path)
    return Glossary(read_glossary_file(path, None, source_lang, target_lang).entries, path)


def save_glossary(glossary: Glossary) -> None:
    from translate.glossary.formats import render_csv, write_atomic

    assert glossary.path is not None
    if glossary.path.suffix.lower() != ".csv":
        raise DeskError(
            _(
                "{path}: only CSV glossaries can be edited; export it to CSV and point workflow.yaml at that"
            ).format(path=glossary.path)
        )
    write_atomic(glossary.path, render_csv(glossary.entries))


def loaded(path: Path, source_lang: str, target_lang: str):
    """(Glossary, Matcher for the source language), cached until the file changes."""
    from translate.glossary.matcher import Matcher

    path = Path(path).resolve()
    key = (str(path), source_lang, target_lang)
    stamp = _stamp(path)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1], hit[2]
    glossary = load_glossary(path, source_lang, target_lang)
    matcher = Matcher.build(glossary.entries, source_lang)
    with _lock:
        _cache[key] = (stamp, glossary, matcher)
    return glossary, matcher


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def enforcer_for(workflow, pair):
    from translate.glossary.enforce import enforcer_for as make

    return make(workflow, pair)
