"""Recorded schema migrations from ONE list for both backends.

Migrations are registered exactly as with sqlite-utils (`@migrations(name=...)` over a function that
receives `db`), and every function runs on both backends:

- SQLite: the list is handed to sqlite-utils' own `Migrations`, so desks keep their
  `_sqlite_migrations` records and upgrade as they always did.
- PostgreSQL: each migration runs in its own transaction (PostgreSQL's DDL is transactional) together
  with its row in `translate_migrations`, under an advisory lock so two processes opening a fresh desk
  do not both migrate it. The `db` a migration receives rewrites SQLite DDL into PostgreSQL's words
  (see `dialect.sqlite_ddl_to_pg`): plain CREATE TABLE / CREATE INDEX / ALTER TABLE ADD COLUMN written
  for SQLite work unchanged. Where the dialects really differ, branch on `dialect_of(db)`.

A store holding a migration this code does not know is newer than this program: it is refused, never
migrated down or written to.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from translate.errors import DeskError
from translate.i18n import _
from translate.store.dialect import POSTGRES, advisory_key

PG_TABLE = "translate_migrations"
SQLITE_TABLE = "_sqlite_migrations"


def dialect_of(db: Any) -> str:
    """'sqlite' or 'postgresql': for the few migrations whose SQL differs."""
    return getattr(db, "dialect_name", "sqlite")


class _PgMigrationDB:
    """The PostgreSQL database as a migration sees it: SQLite DDL translated on the way."""

    dialect_name = "postgresql"

    def __init__(self, db: Any):
        self._db = db

    def execute(self, sql: str, params: Any = None):
        return self._db.execute(POSTGRES.ddl(sql), params)

    def executescript(self, script: str) -> None:
        self._db.executescript(POSTGRES.ddl(script))

    def __getitem__(self, name: str):
        return self._db[name]

    def __getattr__(self, name: str):
        return getattr(self._db, name)


@dataclass
class Migration:
    name: str
    fn: Callable[[Any], None]
    transactional: bool = True


class Migrations:
    def __init__(self, name: str):
        self.name = name
        self.migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        def inner(func):
            migration_name = name or func.__name__
            if any(m.name == migration_name for m in self.migrations):
                raise ValueError(f"migration '{migration_name}' is registered twice")
            self.migrations.append(Migration(migration_name, func, transactional))
            return func

        return inner

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.migrations]

    # ------------------------------------------------------------ reading the record
    def applied(self, db: Any) -> list[str]:
        if dialect_of(db) == "postgresql":
            if PG_TABLE not in db.table_names():
                return []
            return [
                r[0]
                for r in db.execute(
                    f"SELECT name FROM {PG_TABLE} WHERE migration_set = ? ORDER BY id", [self.name]
                ).fetchall()
            ]
        return [m.name for m in self._sqlite().applied(db)]

    def pending(self, db: Any) -> list[str]:
        done = set(self.applied(db))
        return [m.name for m in self.migrations if m.name not in done]

    def check_not_newer(self, db: Any, where: str) -> None:
        unknown = [n for n in self.applied(db) if n not in set(self.names)]
        if unknown:
            raise DeskError(
                _(
                    "{store}: the store's schema is newer than this version of translate "
                    "(unknown migration '{name}'); upgrade translate"
                ).format(store=where, name=unknown[0])
            )

    # ------------------------------------------------------------ applying
    def _sqlite(self):
        from sqlite_utils import Migrations as SqliteUtilsMigrations

        out = SqliteUtilsMigrations(self.name)
        for m in self.migrations:
            out(name=m.name, transactional=m.transactional)(m.fn)
        return out

    def apply(self, db: Any, where: str = "") -> None:
        self.check_not_newer(db, where)
        if dialect_of(db) != "postgresql":
            self._sqlite().apply(db)
            return
        if not self.pending(db):
            return
        key = advisory_key(db.schema, "migrate")
        db.execute("SELECT pg_advisory_lock(?)", [key])
        # the schema's objects belong to the desk's admin group role when the user is in it (so
        # any admin can run the next migration); else to the user who opened a fresh desk
        admin = f"{db.schema}_admin"
        row = db.execute(
            "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = ?",
            [admin],
        ).fetchone()
        as_admin = bool(row and row[0])
        try:
            if as_admin:
                db.execute(f'SET ROLE "{admin}"')
            if PG_TABLE not in db.table_names():
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
                    "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    'migration_set TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, '
                    'applied_at TEXT COLLATE "C" NOT NULL, UNIQUE (migration_set, name))'
                )
            done = set(self.applied(db))  # again, under the lock: another process may have run
            proxy = _PgMigrationDB(db)
            for m in self.migrations:
                if m.name in done:
                    continue
                with db.atomic():
                    m.fn(proxy)
                    db.execute(
                        f"INSERT INTO {PG_TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                        [self.name, m.name, str(datetime.datetime.now(datetime.UTC))],
                    )
                db._schema_cache.clear()
        finally:
            try:
                if as_admin:
                    db.execute("RESET ROLE")
                db.execute("SELECT pg_advisory_unlock(?)", [key])
            except DeskError:
                pass  # the connection went: the server dropped the lock with it
