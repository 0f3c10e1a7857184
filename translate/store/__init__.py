"""The store: the one place that knows SQL.

Two backends behind one `Store` API: SQLite through sqlite-utils (the embedded default: WAL and a busy
timeout) and PostgreSQL through psycopg 3 (team mode, a `postgresql://` URL; translate/store/pg.py
gives it sqlite-utils' calls). Schema as recorded migrations from one list, applied on open.
`Store` is assembled from one query mixin per concern (core, findings, review, tm, publish, batch,
pages);
stages call its methods and never write SQL themselves. translate/store/dialect.py says what differs.
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
from translate.store.dialect import POSTGRES, SQLITE, Dialect
from translate.store.findings import FindingQueries
from translate.store.location import Location, parse_location
from translate.store.migrations import migrations
from translate.store.pages import PageQueries
from translate.store.publish import PublishQueries
from translate.store.review import ReviewQueries
from translate.store.revisions import RevisionQueries
from translate.store.states import SegmentState, StoryState
from translate.store.team import TeamQueries
from translate.store.tm import TMQueries

BUSY_TIMEOUT_MS = 30_000

__all__ = ["Store", "open_store", "StoryState", "SegmentState", "Location", "parse_location"]


class Store(
    CoreQueries,
    ReviewQueries,
    FindingQueries,
    PublishQueries,
    TMQueries,
    BatchQueries,
    RevisionQueries,
    TeamQueries,
    PageQueries,
):
    def __init__(self, db: Database, path: Path | None = None, location: Location | None = None):
        self.db = db
        self.path = path
        self.location = location or Location("sqlite", path=path, display=str(path))
        self.dialect: Dialect = POSTGRES if self.location.is_postgres else SQLITE

    @property
    def backend(self) -> str:
        return self.dialect.name

    def close(self) -> None:
        self.db.close()


def open_store(where: Path | str | Location, pool_size: int = 1) -> Store:
    """Open (creating if needed) the store at `where` (a path, or a postgresql:// URL) and apply
    pending migrations. `pool_size` > 1: a PostgreSQL connection pool (one connection per thread)."""
    location = where if isinstance(where, Location) else parse_location(where)
    if location.is_postgres:
        from translate.store.postgres import open_postgres

        return Store(open_postgres(location, pool_size), None, location)
    return _open_sqlite(location.path)


def _open_sqlite(path: Path) -> Store:
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
        migrations.apply(db, str(path))
    except (OSError, sqlite3.OperationalError) as exc:
        raise DeskError(
            _("{path}: the store cannot be written ({reason})").format(path=path, reason=exc)
        ) from None
    except sqlite3.DatabaseError as exc:
        raise DeskError(
            _("{path}: not a usable store ({reason})").format(path=path, reason=exc)
        ) from None
    return Store(db, path)
