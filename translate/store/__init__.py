"""The store: the one place that knows SQL.

SQLite through sqlite-utils, schema as recorded migrations applied on open, WAL and a busy timeout.
`Store` is assembled from one query mixin per concern (core, findings, review, tm, publish, batch);
stages call its methods and never write SQL themselves.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from translate.errors import DeskError
from translate.i18n import _
from translate.store.batch import BatchQueries
from translate.store.core import CoreQueries
from translate.store.findings import FindingQueries
from translate.store.migrations import migrations
from translate.store.publish import PublishQueries
from translate.store.review import ReviewQueries
from translate.store.revisions import RevisionQueries
from translate.store.states import SegmentState, StoryState
from translate.store.tm import TMQueries

BUSY_TIMEOUT_MS = 30_000

__all__ = ["Store", "open_store", "StoryState", "SegmentState"]


class Store(
    CoreQueries,
    ReviewQueries,
    FindingQueries,
    PublishQueries,
    TMQueries,
    BatchQueries,
    RevisionQueries,
):
    def __init__(self, db: Database, path: Path | None = None):
        self.db = db
        self.path = path

    def close(self) -> None:
        self.db.close()


def open_store(path: Path) -> Store:
    """Open (creating if needed) the store at `path` and apply pending migrations."""
    path = Path(path)
    try:
        # a regular file where a folder should be: say so (mkdir would report "File exists")
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
                break
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(path)
        if not os.access(path.parent, os.W_OK):
            raise PermissionError(path.parent)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = Database(conn)
        db.enable_wal()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(db)
    except (OSError, sqlite3.OperationalError) as exc:
        raise DeskError(
            _("{path}: the store cannot be written ({reason})").format(path=path, reason=exc)
        ) from None
    except sqlite3.DatabaseError as exc:
        raise DeskError(
            _("{path}: not a usable store ({reason})").format(path=path, reason=exc)
        ) from None
    return Store(db, path)
