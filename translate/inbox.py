"""The batch inbox: which files are new, ingesting one file, moving files aside.

- Every regular file under the inbox folder is a candidate (FIFOs, devices and sockets are
  skipped, never opened, and listed in the batch report's `skipped`), except hidden files (a name starting
  with "."; write uploads as `.name` and rename them when complete) and the `processed/` and
  `rejected/` folders the batch itself keeps there.
- A file is known by the sha256 of its bytes (table inbox_files). Its story and its ledger row are
  stored in one transaction, then the file is moved to `processed/`; after a crash between the
  two, the next run finds the sha256 and only moves the file. A file is never ingested twice.
- A file that cannot be ingested is moved to `rejected/` with `NAME.error.txt` beside it holding
  the one-line reason.
- A file in a folder named after a source language of the workflow (`inbox/ru/note.txt`) gets that
  language when it declares none.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _

PROCESSED, REJECTED = "processed", "rejected"


@dataclass
class InboxResult:
    path: str
    status: str  # ingested | already | rejected
    story_id: str | None = None
    title: str | None = None
    language: str | None = None
    segments: int = 0
    error: str | None = None
    moved_to: str | None = None
    warnings: list[str] = field(default_factory=list)
    revision: int | None = None  # the source revision made, when the file updated a known story


def scan(inbox: Path) -> list[Path]:
    """Candidate files in the inbox, sorted (see the module docstring)."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        return []
    found = []
    for path in inbox.rglob("*"):
        rel = path.relative_to(inbox).parts
        if rel[0] in (PROCESSED, REJECTED) or any(p.startswith(".") for p in rel):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return sorted(found)


def special_files(inbox: Path) -> list[tuple[Path, str]]:
    """(path, what it is) for the FIFOs, devices and sockets in the inbox that scan() skips:
    only regular files are ingested, and the batch report says what it skipped."""
    from translate.ingest.decode import special_kind

    inbox = Path(inbox)
    if not inbox.is_dir():
        return []
    found = []
    for path in inbox.rglob("*"):
        rel = path.relative_to(inbox).parts
        if rel[0] in (PROCESSED, REJECTED) or any(p.startswith(".") for p in rel):
            continue
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue
        kind = special_kind(mode)
        if kind is not None and not path.is_symlink():
            found.append((path, kind))
    return sorted(found)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _destination(inbox: Path, folder: str, path: Path) -> Path:
    """inbox/<folder>/<relative path>, with -2, -3... before the suffix when taken."""
    rel = path.relative_to(inbox)
    target = inbox / folder / rel
    n = 1
    while target.exists():
        n += 1
        target = inbox / folder / rel.parent / f"{rel.stem}-{n}{rel.suffix}"
    return target


def move_aside(inbox: Path, path: Path, folder: str = PROCESSED) -> Path:
    target = _destination(inbox, folder, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    return target


def sweep_leftovers(inbox: Path) -> int:
    """Remove the temporary files a killed batch left half-written in processed/ and rejected/
    (atomic writes use hidden `.NAME.XXXX.tmp` files; only the lock holder calls this)."""
    removed = 0
    for folder in (PROCESSED, REJECTED):
        where = Path(inbox) / folder
        if not where.is_dir():
            continue
        for leftover in where.glob(".*.tmp"):
            try:
                leftover.unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def reject(inbox: Path, path: Path, error: str) -> Path:
    """Move a bad file to rejected/ with its error next to it (written first)."""
    from translate.publish.files import atomic_write

    target = _destination(inbox, REJECTED, path)
    atomic_write(target.with_name(target.name + ".error.txt"), error.rstrip() + "\n")
    os.replace(path, target)
    return target


def _language_default(inbox: Path, path: Path, workflow: Workflow) -> str | None:
    sources = {p.source for p in workflow.pairs.values()}
    for part in path.relative_to(inbox).parts[:-1]:
        if part in sources:
            return part
    return None


def ingest_file(
    store, workflow: Workflow, inbox: Path, path: Path, user: str | None
) -> InboxResult:
    """Ingest one inbox file exactly once; never raises for a bad file (it is rejected)."""
    from translate.ingest import parse_file, store_story

    result = InboxResult(str(path), "rejected")
    try:
        digest = sha256_of(path)
    except OSError as exc:
        result.error = _("{path}: cannot be read ({reason})").format(path=path, reason=exc)
        return result
    known = store.inbox_file(digest)
    if known and known["status"] == "ingested":
        result.status, result.story_id = "already", known["story_id"]
        result.moved_to = str(move_aside(inbox, path))
        return result
    try:
        defaults = {"language": _language_default(inbox, path, workflow), "outlet": None}
        story = parse_file(path, workflow, defaults)
        story_id = store_story(
            store,
            workflow,
            story,
            path,
            user,
            then=lambda sid: store.record_inbox_file(digest, str(path), "ingested", sid),
            revised=lambda revision: setattr(result, "revision", revision.revision),
        )
    except DeskError as exc:
        result.error = exc.message
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        result.error = _("{path}: could not be ingested ({kind}: {reason})").format(
            path=path, kind=type(exc).__name__, reason=exc
        )
    if result.error is not None:
        store.record_inbox_file(digest, str(path), "rejected", None, result.error)
        result.moved_to = str(reject(inbox, path, result.error))
        return result
    result.status, result.story_id = "ingested", story_id
    result.title, result.language = story.title, story.language
    result.warnings = list(story.warnings)
    result.segments = sum(len(u.sentences) for u in story.units)
    result.moved_to = str(move_aside(inbox, path))
    return result
