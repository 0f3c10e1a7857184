"""PostgreSQL behind the small part of sqlite-utils' `Database` API the query mixins use.

The mixins write `?` placeholders and call `db.query`, `db.execute`, `db["table"].insert(...).last_pk`,
`.update`, `.upsert`, `.insert_all`, `.count`; this module gives them the same calls over psycopg 3,
so no mixin has two versions of a query. Imported only when a store URL is `postgresql://` (psycopg is a
heavy import the SQLite desk never pays for).

- Placeholders: `?` becomes `%s` (and a literal `%` becomes `%%`) outside quoted text.
- IDs: identity columns; `insert()` returns the new key with `RETURNING`.
- Upserts: `INSERT ... ON CONFLICT (pk) DO UPDATE`.
- Transactions: the connection runs in autocommit; `atomic()` opens BEGIN/COMMIT and nests with
  savepoints, as sqlite-utils does.
- One connection per thread; with `pool_size` > 1 they come from a psycopg_pool `ConnectionPool`.
- A connection lost in the middle of a transaction: the server has rolled it back; the caller gets
  `ConnectionLost` (one line, the URL without password) and the next call reconnects, so a retry
  applies the change exactly once.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row

from translate.errors import ConnectionLost, DeskError
from translate.i18n import _
from translate.store.location import Location

_STREAMS = itertools.count(1)  # names of server-side cursors
_TOKEN = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\bIS\s+NOT\s+\?|\bIS\s+\?|\?|%|(?<![\w\"])user(?![\w\"])",
    re.I,
)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.I)


_DML = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.I)


def _prepared(
    sql: str, params: Sequence | dict | None, translate: bool = True
) -> tuple[str, Sequence | dict | None]:
    """A query written for sqlite-utils, as psycopg takes it: `?` placeholders become `%s`
    (unless `translate` is off), and empty parameters for a query without placeholders become
    none (so a literal `%` stays)."""
    if params is not None and len(params) == 0 and "?" not in sql:
        params = None
    return (placeholders(sql, params is not None) if translate else sql), params


@lru_cache(maxsize=2048)
def placeholders(sql: str, params: bool = True) -> str:
    """With parameters, `?` -> `%s` and `%` -> `%%` outside quoted literals and identifiers
    (psycopg's format), and SQLite's null-safe `IS ?` / `IS NOT ?` -> `IS [NOT] DISTINCT FROM`. In a
    query (SELECT/INSERT/UPDATE/DELETE/WITH) a bare `user` (our column; a reserved word meaning
    current_user on PostgreSQL) becomes `"user"`; `INSERT OR IGNORE` -> `ON CONFLICT DO NOTHING`."""
    dml = bool(_DML.match(sql) or _OR_IGNORE.match(sql))
    if not params and not dml:
        return sql
    if _OR_IGNORE.match(sql) and " RETURNING " not in sql.upper():
        sql = _OR_IGNORE.sub("INSERT INTO", sql).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"

    def swap(m: re.Match) -> str:
        t = m.group(0)
        if t == "?":
            return "%s" if params else t
        if params and t[:2].upper() == "IS" and t.endswith("?"):  # SQLite's null-safe `IS ?`
            negated = "NOT" in t.upper()
            return "IS DISTINCT FROM %s" if negated else "IS NOT DISTINCT FROM %s"
        if t == "%":
            return "%%" if params else t
        if t.lower() == "user":
            return '"user"' if dml else t
        return t.replace("%", "%%") if params else t

    return _TOKEN.sub(swap, sql)


def _safe_to_repeat(sql: Any) -> bool:
    """A read, or the BEGIN of a transaction: repeating it on a new connection changes nothing."""
    return isinstance(sql, str) and bool(re.match(r"\s*(SELECT|SHOW|BEGIN)\b", sql, re.I))


class PermissionDenied(DeskError):
    """The server refused a statement for want of a privilege (missing grants)."""

    reason = ""


class _NumericLoader(Loader):
    """numeric (SUM/AVG of integers) as int when whole, float otherwise: what SQLite returns."""

    def load(self, data: Any) -> int | float:
        d = Decimal(bytes(data).decode())
        return int(d) if d == d.to_integral_value() else float(d)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    for prefix in ("connection failed: ",):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PgCursor:
    """What `db.execute()` returns: fetchone/fetchall/iteration over tuples, and rowcount."""

    def __init__(self, rows: list[tuple], rowcount: int):
        self._rows, self.rowcount, self._i = rows, rowcount, 0

    def fetchone(self) -> tuple | None:
        if self._i >= len(self._rows):
            return None
        self._i += 1
        return self._rows[self._i - 1]

    def fetchall(self) -> list[tuple]:
        rows, self._i = self._rows[self._i :], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())


class PgTable:
    def __init__(self, db: PgDatabase, name: str):
        self.db, self.name = db, name
        self.last_pk: Any = None

    # -- schema
    @property
    def pks(self) -> list[str]:
        return self.db._pks(self.name)

    @property
    def columns_dict(self) -> dict[str, str]:
        return dict(self.db._columns(self.name))

    @property
    def columns(self) -> list[Any]:
        from types import SimpleNamespace

        return [SimpleNamespace(name=n, type=t) for n, t in self.db._columns(self.name)]

    def exists(self) -> bool:
        return self.name in self.db.table_names()

    # -- reads
    @property
    def count(self) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {_quote(self.name)}").fetchone()[0]

    def count_where(self, where: str | None = None, where_args: Sequence | None = None) -> int:
        sql = f"SELECT COUNT(*) FROM {_quote(self.name)}"
        if where:
            sql += f" WHERE {where}"
        return self.db.execute(sql, where_args or []).fetchone()[0]

    @property
    def rows(self) -> Iterator[dict]:
        return self.rows_where()

    def rows_where(
        self,
        where: str | None = None,
        where_args: Sequence | None = None,
        order_by: str | None = None,
        select: str = "*",
        limit: int | None = None,
    ) -> Iterator[dict]:
        sql = f"SELECT {select} FROM {_quote(self.name)}"
        if where:
            sql += f" WHERE {where}"
        if order_by:
            sql += f" ORDER BY {order_by}"
        elif self.pks:
            sql += " ORDER BY " + ", ".join(_quote(p) for p in self.pks)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.db.query(sql, where_args or [])

    def get(self, pk_value: Any) -> dict:
        pk = self._pk()
        rows = list(self.db.query(f"SELECT * FROM {_quote(self.name)} WHERE {pk} = ?", [pk_value]))
        if not rows:
            raise DeskError(f"{self.name}: no row {pk_value!r}")
        return rows[0]

    # -- writes
    def _pk(self, pk: str | None = None) -> str:
        if pk:
            return _quote(pk)
        pks = self.pks
        if len(pks) != 1:
            raise ValueError(f"table {self.name} has no single-column primary key")
        return _quote(pks[0])

    def _insert_sql(
        self, keys: Sequence[str], pk: str | None, ignore: bool, replace: bool, upsert: bool
    ) -> str:
        cols = ", ".join(_quote(k) for k in keys)
        marks = ", ".join(["%s"] * len(keys))
        sql = f"INSERT INTO {_quote(self.name)} ({cols}) VALUES ({marks})"
        pks = [pk] if pk else self.pks
        if ignore:
            sql += " ON CONFLICT DO NOTHING"
        elif replace or upsert:
            conflict = ", ".join(_quote(p) for p in pks)
            others = [k for k in keys if k not in pks]
            if others:
                sets = ", ".join(f"{_quote(k)} = EXCLUDED.{_quote(k)}" for k in others)
                sql += f" ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
            else:
                sql += f" ON CONFLICT ({conflict}) DO NOTHING"
        if len(pks) == 1:
            sql += f" RETURNING {_quote(pks[0])}"
        return sql

    def insert(
        self,
        record: dict,
        pk: str | None = None,
        ignore: bool = False,
        replace: bool = False,
        **_kwargs: Any,
    ) -> PgTable:
        keys = list(record)
        sql = self._insert_sql(keys, pk, ignore, replace, upsert=False)
        rows = self.db._run(sql, [record[k] for k in keys], fetch=True, translate=False)
        self.last_pk = rows[0][0] if rows and rows[0] else None
        return self

    def upsert(self, record: dict, pk: str | None = None, **_kwargs: Any) -> PgTable:
        keys = list(record)
        sql = self._insert_sql(keys, pk, ignore=False, replace=False, upsert=True)
        rows = self.db._run(sql, [record[k] for k in keys], fetch=True, translate=False)
        self.last_pk = rows[0][0] if rows and rows[0] else None
        return self

    def insert_all(
        self,
        records: Iterable[dict],
        pk: str | None = None,
        ignore: bool = False,
        replace: bool = False,
        upsert: bool = False,
        **_kwargs: Any,
    ) -> PgTable:
        records = list(records)
        if not records:
            return self
        keys: list[str] = []
        for r in records:
            keys += [k for k in r if k not in keys]
        sql = self._insert_sql(keys, pk, ignore, replace, upsert)
        sql = sql.split(" RETURNING ")[0]
        self.db._run_many(sql, [[r.get(k) for k in keys] for r in records])
        return self

    def upsert_all(self, records: Iterable[dict], pk: str | None = None, **kw: Any) -> PgTable:
        return self.insert_all(records, pk=pk, upsert=True)

    def update(self, pk_value: Any, updates: dict | None = None, **_kwargs: Any) -> PgTable:
        updates = updates or {}
        if not updates:
            return self
        sets = ", ".join(f"{_quote(k)} = %s" for k in updates)
        self.db._run(
            f"UPDATE {_quote(self.name)} SET {sets} WHERE {self._pk()} = %s",
            [*updates.values(), pk_value],
            translate=False,
        )
        self.last_pk = pk_value
        return self

    def delete(self, pk_value: Any) -> PgTable:
        self.db._run(
            f"DELETE FROM {_quote(self.name)} WHERE {self._pk()} = %s", [pk_value], translate=False
        )
        return self

    def delete_where(self, where: str | None = None, where_args: Sequence | None = None) -> None:
        sql = f"DELETE FROM {_quote(self.name)}"
        if where:
            sql += f" WHERE {where}"
        self.db.execute(sql, where_args or [])

    def create_index(self, columns: Sequence[str], index_name: str | None = None, **kw: Any):
        name = index_name or f"idx_{self.name}_{'_'.join(columns)}"
        unique = "UNIQUE " if kw.get("unique") else ""
        cols = ", ".join(_quote(c) for c in columns)
        self.db.execute(
            f"CREATE {unique}INDEX IF NOT EXISTS {_quote(name)} ON {_quote(self.name)} ({cols})"
        )

    def add_column(self, name: str, col_type: Any = None, **_kw: Any) -> PgTable:
        types = {int: "BIGINT", float: "DOUBLE PRECISION", str: 'TEXT COLLATE "C"', bytes: "BYTEA"}
        sqltype = types.get(col_type, col_type if isinstance(col_type, str) else 'TEXT COLLATE "C"')
        self.db.execute(f"ALTER TABLE {_quote(self.name)} ADD COLUMN {_quote(name)} {sqltype}")
        self.db._schema_cache.clear()
        return self


class PgDatabase:
    """sqlite-utils-shaped access to one desk schema on a PostgreSQL server."""

    dialect_name = "postgresql"

    def __init__(self, location: Location, pool_size: int = 1):
        self.location = location
        self.schema = location.schema
        self._local = threading.local()
        self._all: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._pool = None
        self._schema_cache: dict[tuple[str, str], Any] = {}
        self._conn()  # connect now: a bad URL or password fails here, in one line
        if pool_size > 1:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(
                location.conninfo,
                min_size=1,
                max_size=pool_size,
                kwargs={"autocommit": True},
                configure=self._configure,
                open=True,
                name=f"translate-{self.schema}",
            )

    # ------------------------------------------------------------ connections
    def _configure(self, conn: psycopg.Connection) -> None:
        conn.adapters.register_loader("numeric", _NumericLoader)
        conn.execute(
            pgsql.SQL("SET search_path TO {}, public").format(pgsql.Identifier(self.schema))
        )

    def _connect(self) -> psycopg.Connection:
        if self._pool is not None:
            conn = self._pool.getconn()
        else:
            try:
                conn = psycopg.connect(self.location.conninfo, autocommit=True)
            except psycopg.Error as exc:
                raise DeskError(
                    _("{url}: cannot connect ({reason})").format(
                        url=self.location.display, reason=first_line(exc)
                    )
                ) from None
            self._configure(conn)
        with self._lock:
            self._all.append(conn)
        return conn

    def _conn(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and (conn.closed or conn.broken):
            self._discard(conn)
            conn = None
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _discard(self, conn: psycopg.Connection) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        if self._pool is not None:
            self._pool.putconn(conn)
        else:
            conn.close()
        if getattr(self._local, "conn", None) is conn:
            self._local.conn = None

    def release_thread(self) -> None:
        """Give the calling thread's connection back (to the pool, or close it)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._discard(conn)

    def close(self) -> None:
        for conn in list(self._all):
            try:
                self._discard(conn)
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @property
    def conn(self) -> psycopg.Connection:
        return self._conn()

    # ------------------------------------------------------------ errors
    def _error(self, exc: psycopg.Error, conn: psycopg.Connection | None) -> Exception:
        display = self.location.display
        if conn is not None and (conn.closed or conn.broken):
            self._discard(conn)
            return ConnectionLost(
                _(
                    "{url}: the connection to the server was lost; the change was rolled back, "
                    "run the command again"
                ).format(url=display)
            )
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            denied = PermissionDenied(
                _("{url}: permission denied ({reason})").format(url=display, reason=first_line(exc))
            )
            denied.reason = first_line(exc)
            return denied
        return exc

    def _run(
        self,
        sql: str,
        params: Sequence | dict | None = None,
        fetch: bool = True,
        translate: bool = True,
        dicts: bool = False,
    ) -> list:
        if isinstance(sql, str):
            sql, params = _prepared(sql, params, translate)
        for attempt in (1, 2):
            conn = self._conn()
            idle = conn.info.transaction_status == TransactionStatus.IDLE
            try:
                with conn.cursor(row_factory=dict_row if dicts else None) as cur:
                    cur.execute(sql, params, prepare=False)
                    self._rowcount = cur.rowcount
                    return cur.fetchall() if fetch and cur.description is not None else []
            except psycopg.Error as exc:
                err = self._error(exc, conn)
                if err is exc:
                    raise
                # a read or a BEGIN outside any transaction on a connection that had gone stale (a
                # server restart, an idle timeout): once more on a fresh connection
                if (
                    isinstance(err, ConnectionLost)
                    and idle
                    and attempt == 1
                    and _safe_to_repeat(sql)
                ):
                    continue
                raise err from None
        raise AssertionError("unreachable")

    def _run_many(self, sql: str, rows: list[Sequence]) -> None:
        conn = self._conn()
        try:
            with conn.cursor() as cur:
                cur.executemany(sql, rows)
        except psycopg.Error as exc:
            err = self._error(exc, conn)
            if err is exc:
                raise
            raise err from None

    # ------------------------------------------------------------ sqlite-utils API
    def query(self, sql: str, params: Sequence | dict | None = None) -> Iterator[dict]:
        yield from self._run(sql, params, dicts=True)

    def stream(
        self, sql: str, params: Sequence | dict | None = None, size: int = 500
    ) -> Iterator[dict]:
        """The rows of a long listing `size` at a time through a server-side cursor, so the
        client's memory stays flat (`query` fetches the whole result first). The cursor is WITH
        HOLD, so it outlives the statement on this autocommit connection and the caller may run
        other queries between rows; it is closed when the iteration ends or is abandoned."""
        sql, params = _prepared(sql, params)
        conn = self._conn()
        name = f"translate_stream_{next(_STREAMS)}"
        try:
            with conn.cursor(name, row_factory=dict_row, withhold=True) as cur:
                cur.itersize = size
                cur.execute(sql, params)
                yield from cur
        except psycopg.Error as exc:
            err = self._error(exc, conn)
            if err is exc:
                raise
            raise err from None

    def execute(self, sql: str, params: Sequence | dict | None = None) -> PgCursor:
        rows = self._run(sql, params)
        return PgCursor(rows, self._rowcount)

    def executescript(self, script: str) -> None:
        self._run(script, None, fetch=False)

    def __getitem__(self, name: str) -> PgTable:
        return PgTable(self, name)

    def table(self, name: str) -> PgTable:
        return PgTable(self, name)

    def table_names(self) -> list[str]:
        return [
            r[0]
            for r in self._run(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' ORDER BY table_name",
                [self.schema],
                translate=False,
            )
        ]

    def _columns(self, table: str) -> list[tuple[str, str]]:
        key = ("columns", table)
        if key not in self._schema_cache:
            self._schema_cache[key] = [
                (r[0], r[1])
                for r in self._run(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                    [self.schema, table],
                    translate=False,
                )
            ]
        return self._schema_cache[key]

    def _pks(self, table: str) -> list[str]:
        key = ("pks", table)
        if key not in self._schema_cache:
            self._schema_cache[key] = [
                r[0]
                for r in self._run(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = to_regclass(%s) AND i.indisprimary ORDER BY a.attnum",
                    [f"{_quote(self.schema)}.{_quote(table)}"],
                    translate=False,
                )
            ]
        return self._schema_cache[key]

    # ------------------------------------------------------------ transactions
    @property
    def in_transaction(self) -> bool:
        return self._conn().info.transaction_status != TransactionStatus.IDLE

    def begin(self) -> None:
        self._run("BEGIN", None, fetch=False)

    def commit(self) -> None:
        self._run("COMMIT", None, fetch=False)

    def rollback(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            return  # the server rolled it back when the connection went
        try:
            conn.execute("ROLLBACK")
        except psycopg.Error:
            if conn.closed or conn.broken:
                self._discard(conn)
                return
            raise

    @contextmanager
    def atomic(self) -> Iterator[PgDatabase]:
        if self.in_transaction:
            depth = getattr(self._local, "depth", 0) + 1
            self._local.depth = depth
            name = f"translate_sp_{depth}"
            try:
                self._run(f"SAVEPOINT {name}", None, fetch=False)
                try:
                    yield self
                except BaseException:
                    conn = getattr(self._local, "conn", None)
                    if conn is not None and not (conn.closed or conn.broken):
                        status = conn.info.transaction_status
                        if status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                            self._run(f"ROLLBACK TO SAVEPOINT {name}", None, fetch=False)
                            self._run(f"RELEASE SAVEPOINT {name}", None, fetch=False)
                    raise
                else:
                    self._run(f"RELEASE SAVEPOINT {name}", None, fetch=False)
            finally:
                self._local.depth = depth - 1
            return
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.commit()
            except BaseException:
                self.rollback()
                raise
