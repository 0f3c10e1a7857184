"""Whole-store work: status (backend, schema version, counts) and copying a desk between backends.

`copy_store(FROM, TO)` copies every table of a desk (SQLite -> PostgreSQL, PostgreSQL -> SQLite as a
backup, or like to like), keeping every id, then checks row counts and a per-table checksum on the
target before it is made visible. It refuses a target that holds anything. An interrupted copy leaves
the target empty or complete: on PostgreSQL it is one transaction; on SQLite it is written to a
temporary file beside the target and renamed into place only when verified.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from translate.errors import DeskError
from translate.i18n import _
from translate.store import Store, open_store
from translate.store.location import Location, parse_location
from translate.store.migrate import PG_TABLE, SQLITE_TABLE
from translate.store.migrations import migrations

SKIP = {PG_TABLE, SQLITE_TABLE}


# ---------------------------------------------------------------- describing a store
def user_tables(store: Store) -> list[str]:
    """The desk's tables, parents before the tables whose foreign keys point at them."""
    names = [
        t for t in store.db.table_names() if t not in SKIP and not t.startswith(("sqlite_", "_"))
    ]
    refs = {t: set(_references(store, t)) & set(names) - {t} for t in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = sorted(t for t in names if t not in ordered and refs[t] <= set(ordered))
        if not ready:  # a cycle: keep the rest in name order
            ready = sorted(t for t in names if t not in ordered)
        ordered += ready
    return ordered


def _references(store: Store, table: str) -> list[str]:
    if store.backend == "postgresql":
        return [
            r[0]
            for r in store.db.execute(
                "SELECT DISTINCT cl.relname FROM pg_constraint c "
                "JOIN pg_class cl ON cl.oid = c.confrelid "
                "WHERE c.contype = 'f' AND c.conrelid = to_regclass(?)",
                [f'"{store.location.schema}"."{table}"'],
            ).fetchall()
        ]
    return [fk.other_table for fk in store.db[table].foreign_keys]


def _columns(store: Store, table: str) -> list[str]:
    return [c.name for c in store.db[table].columns]


def _pks(store: Store, table: str) -> list[str]:
    return list(store.db[table].pks)


def schema_version(store: Store) -> dict:
    applied = migrations.applied(store.db)
    return {
        "schema_version": len(applied),
        "latest_migration": applied[-1] if applied else None,
        "pending": migrations.pending(store.db),
    }


def store_status(store: Store) -> dict[str, Any]:
    """Backend, where, schema version and row counts of every table."""
    data: dict[str, Any] = {
        "backend": store.backend,
        "store": str(store.location),
        **schema_version(store),
    }
    if store.location.is_postgres:
        data["schema"] = store.location.schema
        data["server_version"] = store.db.execute("SHOW server_version").fetchone()[0]
        data["user"] = store.db.execute("SELECT session_user").fetchone()[0]
    data["counts"] = {t: store.db[t].count for t in user_tables(store)}
    data["stories_by_state"] = {str(k): v for k, v in sorted(store.status_counts().items())}
    return data


# ---------------------------------------------------------------- checksums
def _canon(value: Any) -> str:
    if value is None:
        return "N"
    if isinstance(value, bool):
        return f"i:{int(value)}"
    if isinstance(value, int):
        return f"i:{value}"
    if isinstance(value, float):
        return f"f:{value!r}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "b:" + bytes(value).hex()
    return "s:" + str(value)


def _sorted_rows(store: Store, table: str, columns: list[str]) -> list[tuple]:
    cols = ", ".join(f'"{c}"' for c in columns)
    rows = store.db.execute(f'SELECT {cols} FROM "{table}"').fetchall()
    pks = _pks(store, table)
    idx = [columns.index(p) for p in pks if p in columns] or list(range(len(columns)))
    return sorted((tuple(r) for r in rows), key=lambda r: tuple(_canon(r[i]) for i in idx))


def table_checksum(store: Store, table: str, columns: list[str]) -> tuple[int, str]:
    """(row count, sha256 over the rows in key order, every value in a typed canonical form)."""
    h = hashlib.sha256()
    rows = _sorted_rows(store, table, columns)
    for row in rows:
        h.update("\x1f".join(_canon(v) for v in row).encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return len(rows), h.hexdigest()


# ---------------------------------------------------------------- copying
def _is_empty(store: Store) -> str | None:
    """The first table holding rows, or None."""
    for t in user_tables(store):
        if store.db[t].count:
            return t
    return None


def _convert(value: Any, sqltype: str) -> Any:
    """A SQLite value (dynamically typed) in the PostgreSQL column's type."""
    if value is None:
        return None
    if sqltype in ("text", "character varying") and not isinstance(value, str):
        return str(value)
    if sqltype in ("integer", "bigint", "smallint") and not isinstance(value, int):
        return int(value)
    if sqltype in ("double precision", "real", "numeric") and not isinstance(value, float):
        return float(value)
    return value


def _open_source(location: Location) -> Store:
    if location.is_postgres:
        from translate.store.pg import PgDatabase
        from translate.store.postgres import schema_exists

        probe = PgDatabase(location)
        try:
            exists = schema_exists(probe, location.schema)
        finally:
            probe.close()
        if not exists:
            raise DeskError(_("{store}: no desk there").format(store=location))
    elif not Path(location.path).is_file():
        raise DeskError(_("{store}: no desk there").format(store=location))
    return open_store(location)


def copy_store(
    source: str | Path | Location,
    target: str | Path | Location,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Copy a whole desk; returns {"tables": {name: {"rows": n, "checksum": sha256}}, ...}.
    `progress(table, rows_done)` is called as rows are written."""
    src_loc = source if isinstance(source, Location) else parse_location(source)
    dst_loc = target if isinstance(target, Location) else parse_location(target)
    if src_loc.display == dst_loc.display:
        raise DeskError(_("{store}: source and target are the same store").format(store=src_loc))
    src = _open_source(src_loc)
    try:
        if dst_loc.is_postgres:
            return _copy_to_postgres(src, dst_loc, progress)
        return _copy_to_sqlite(src, dst_loc, progress)
    finally:
        src.close()


def _refuse_non_empty(dst: Store) -> None:
    table = _is_empty(dst)
    if table:
        raise DeskError(
            _(
                "{store}: the target is not empty (table '{table}' has rows); copy into an empty store"
            ).format(store=dst.location, table=table)
        )


def _copy_tables(
    src: Store, dst: Store, progress: Callable[[str, int], None] | None
) -> dict[str, dict]:
    report: dict[str, dict] = {}
    src_tables = user_tables(src)
    dst_tables = set(user_tables(dst))
    missing = [t for t in src_tables if t not in dst_tables]
    if missing:
        raise DeskError(
            _("{store}: the target has no table '{table}' (schema versions differ)").format(
                store=dst.location, table=missing[0]
            )
        )
    for table in src_tables:
        columns = _columns(src, table)
        types = dict((c.name, getattr(c, "type", "")) for c in dst.db[table].columns)
        absent = [c for c in columns if c not in types]
        if absent:
            raise DeskError(
                _("{store}: the target's table '{table}' has no column '{column}'").format(
                    store=dst.location, table=table, column=absent[0]
                )
            )
        rows = _sorted_rows(src, table, columns)
        pg = dst.backend == "postgresql"
        batch: list[dict] = []
        done = 0
        for row in rows:
            if pg:
                row = tuple(_convert(v, types[c]) for v, c in zip(row, columns, strict=True))
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) >= 1000:
                dst.db[table].insert_all(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(table, done)
        if batch:
            dst.db[table].insert_all(batch)
            done += len(batch)
        if progress:
            progress(table, done)
        report[table] = {"columns": columns}
    if dst.backend == "postgresql":
        _reset_identities(dst)
    for table in src_tables:
        columns = report[table].pop("columns")
        n_src, sum_src = table_checksum(src, table, columns)
        n_dst, sum_dst = table_checksum(dst, table, columns)
        if n_src != n_dst or sum_src != sum_dst:
            raise DeskError(
                _(
                    "{store}: table '{table}' differs after the copy ({n_dst} rows, {n_src} "
                    "expected); nothing was kept"
                ).format(store=dst.location, table=table, n_dst=n_dst, n_src=n_src)
            )
        report[table] = {"rows": n_src, "checksum": sum_src}
    return report


def _reset_identities(dst: Store) -> None:
    """Identity columns continue after the highest copied id."""
    schema = dst.location.schema
    for table, column in dst.db.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND is_identity = 'YES'",
        [schema],
    ).fetchall():
        dst.db.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
            [f'"{schema}"."{table}"', column],
        )


def _copy_to_postgres(src: Store, dst_loc: Location, progress) -> dict[str, Any]:
    dst = open_store(dst_loc)
    try:
        _refuse_non_empty(dst)
        with dst.write():  # one transaction: all or nothing
            dst.db.execute("LOCK TABLE " + ", ".join(f'"{t}"' for t in user_tables(dst)))
            _refuse_non_empty(dst)
            tables = _copy_tables(src, dst, progress)
    finally:
        dst.close()
    return {"from": str(src.location), "to": str(dst_loc), "tables": tables}


def _copy_to_sqlite(src: Store, dst_loc: Location, progress) -> dict[str, Any]:
    path = Path(dst_loc.path)
    if path.exists():
        existing = open_store(path)
        try:
            _refuse_non_empty(existing)
        finally:
            existing.close()
    tmp = path.with_name(f".{path.name}.copy-{os.getpid()}.tmp")
    _remove_sqlite(tmp)
    try:
        dst = open_store(tmp)
        try:
            with dst.write():
                dst.db.execute("PRAGMA defer_foreign_keys = ON")
                tables = _copy_tables(src, dst, progress)
            dst.db.execute("PRAGMA journal_mode = DELETE")  # one file to rename, no -wal beside
        finally:
            dst.close()
        if path.exists():  # an empty store: check again, then replace it with the copy
            existing = open_store(path)
            try:
                _refuse_non_empty(existing)
                existing.db.execute("PRAGMA journal_mode = DELETE")
            finally:
                existing.close()
        os.replace(tmp, path)
    except BaseException:
        _remove_sqlite(tmp)
        raise
    return {"from": str(src.location), "to": str(dst_loc), "tables": tables}


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def count_rows(source: str | Path | Location) -> int:
    """Rows a copy of `source` will write (for a progress bar)."""
    location = source if isinstance(source, Location) else parse_location(source)
    store = _open_source(location)
    try:
        return sum(store.db[t].count for t in user_tables(store))
    finally:
        store.close()


def init_store(where: str | Path | Location) -> dict[str, Any]:
    """Create or bring up to date the store at `where`; on PostgreSQL with the desk's group roles
    and grants (see translate/store/postgres.py)."""
    location = where if isinstance(where, Location) else parse_location(where)
    created: dict[str, list[str]] = {"roles": [], "schema": []}
    if location.is_postgres:
        from translate.store.postgres import init_postgres

        created = init_postgres(location)
    store = open_store(location)
    try:
        data = {"backend": store.backend, "store": str(location), **schema_version(store)}
    finally:
        store.close()
    if location.is_postgres:
        data["schema"] = location.schema
        data["roles"] = {
            name: location.role(name) for name in ("translator", "editor", "batch", "admin")
        }
        data["roles_created"] = created["roles"]
    return data
