"""Opening and setting up a desk on a PostgreSQL server (team mode).

`open_postgres` connects, checks the schema version and applies pending migrations (owned by the
desk's admin group role when the user is in it, so any admin can run the next migration).
`init_postgres` (`translate store init URL`) also creates the desk's group roles and their grants:

| role                  | may                                                                     |
|-----------------------|-------------------------------------------------------------------------|
| `<schema>_translator` | read the desk; write versions, segments, claims, comments, findings    |
| `<schema>_editor`     | the translator's rights (approvals, publications: the rules layer)     |
| `<schema>_batch`      | the nightly job: stories, units, segments, versions, findings, tm, inbox |
| `<schema>_admin`      | owns the schema and its tables (runs migrations, grants membership)    |

Every role may INSERT into and SELECT from `events`, never UPDATE/DELETE/TRUNCATE it (and a trigger
refuses those even to the owner). Finer rules (row-level security, four-eyes, SECURITY DEFINER
functions) are laid on top of these roles by the team rules.
"""

from __future__ import annotations

import psycopg
from psycopg import sql as pgsql

from translate.errors import DeskError
from translate.i18n import _
from translate.store.location import Location
from translate.store.migrations import migrations
from translate.store.pg import PermissionDenied, PgDatabase, first_line

ROLES = ("translator", "editor", "batch", "admin")


def _fail(location: Location, exc: BaseException) -> DeskError:
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return DeskError(
            _("{url}: permission denied ({reason}); ask the desk's admin").format(
                url=location.display, reason=first_line(exc)
            )
        )
    return DeskError(
        _("{url}: the store cannot be used ({reason})").format(
            url=location.display, reason=first_line(exc)
        )
    )


def schema_exists(db: PgDatabase, schema: str) -> bool:
    return bool(db.execute("SELECT 1 FROM pg_namespace WHERE nspname = ?", [schema]).fetchone())


def role_exists(db: PgDatabase, role: str) -> bool:
    return bool(db.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", [role]).fetchone())


def open_postgres(location: Location, pool_size: int = 1) -> PgDatabase:
    db = PgDatabase(location, pool_size)
    try:
        if not schema_exists(db, location.schema):
            db.execute(pgsql.SQL("CREATE SCHEMA {}").format(pgsql.Identifier(location.schema)))
        try:
            migrations.apply(db, location.display)
        except PermissionDenied as exc:
            pending = migrations.pending(db)
            if not pending:
                raise
            raise DeskError(
                _(
                    "{url}: the store needs {n} migration(s) that only the desk's admin may "
                    "apply ({reason}); ask them to run 'translate store init'"
                ).format(url=location.display, n=len(pending), reason=exc.reason)
            ) from None
    except DeskError:
        db.close()
        raise
    except psycopg.Error as exc:
        db.close()
        raise _fail(location, exc) from None
    return db


def _grant_sql(location: Location) -> list[pgsql.Composable]:
    ident = pgsql.Identifier
    schema = ident(location.schema)
    role = {name: ident(location.role(name)) for name in ROLES}
    workers = pgsql.SQL(", ").join([role["translator"], role["editor"], role["batch"]])
    everyone = pgsql.SQL(", ").join([*(role[n] for n in ROLES)])
    out: list[pgsql.Composable] = [
        pgsql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, everyone),
        pgsql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema, everyone),
        pgsql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            schema, everyone
        ),
        pgsql.SQL("GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            schema, workers
        ),
        pgsql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {}.events FROM {}").format(schema, everyone),
        pgsql.SQL("REVOKE ALL ON {}.{} FROM {}").format(
            schema, ident("translate_migrations"), workers
        ),
        pgsql.SQL("GRANT SELECT ON {}.{} TO {}").format(
            schema, ident("translate_migrations"), workers
        ),
    ]
    return out


def _membership_sql(location: Location) -> list[pgsql.Composable]:
    """The admin group may grant the other three roles (to add people to the team)."""
    admin = pgsql.Identifier(location.role("admin"))
    return [
        pgsql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
            pgsql.Identifier(location.role(name)), admin
        )
        for name in ("translator", "editor", "batch")
    ]


def init_postgres(location: Location) -> dict:
    """Create (or bring up to date) the desk's schema, group roles and grants; idempotent.
    Returns what was created."""
    db = PgDatabase(location)
    created: dict[str, list[str]] = {"roles": [], "schema": []}
    try:
        for name in ROLES:
            rolname = location.role(name)
            if not role_exists(db, rolname):
                db.execute(pgsql.SQL("CREATE ROLE {} NOLOGIN").format(pgsql.Identifier(rolname)))
                created["roles"].append(rolname)
        admin = pgsql.Identifier(location.role("admin"))
        me = db.execute("SELECT current_user").fetchone()[0]
        is_super = db.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not is_super.fetchone()[0]:
            # the runner must be able to act as the owner (admin) of what it creates
            db.execute(pgsql.SQL("GRANT {} TO {}").format(admin, pgsql.Identifier(me)))
        if not schema_exists(db, location.schema):
            db.execute(
                pgsql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(
                    pgsql.Identifier(location.schema), admin
                )
            )
            created["schema"].append(location.schema)
        migrations.apply(db, location.display)
        for statement in _membership_sql(location):
            db.execute(statement)
        with db.atomic():
            db.execute(pgsql.SQL("SET LOCAL ROLE {}").format(admin))
            for statement in _grant_sql(location):
                db.execute(statement)
            workers = pgsql.SQL(", ").join(
                [pgsql.Identifier(location.role(n)) for n in ("translator", "editor", "batch")]
            )
            db.execute(
                pgsql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE "
                    "ON TABLES TO {}"
                ).format(pgsql.Identifier(location.schema), workers)
            )
            db.execute(
                pgsql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}"
                ).format(pgsql.Identifier(location.schema), workers)
            )
    except DeskError:
        db.close()
        raise
    except psycopg.Error as exc:
        db.close()
        raise _fail(location, exc) from None
    db.close()
    return created


def verify_login(location: Location, name: str, password: str) -> bool:
    """True when the server accepts `name` with `password` (SCRAM, proved by the server itself) and
    that login is a member of one of the desk's group roles; False for a wrong name or password or
    a login outside the desk. A server that cannot be reached is an error (one line, no password)."""
    desk_roles = [location.role(r) for r in ROLES]
    try:
        conn = psycopg.connect(
            location.conninfo,
            user=name,
            password=password,
            passfile="/dev/null",  # only the password given here, never one from ~/.pgpass
            autocommit=True,
            connect_timeout=10,
        )
    except psycopg.OperationalError as exc:
        reason = first_line(exc)
        if "authentication failed" in reason or "does not exist" in reason:
            return False
        raise DeskError(
            _("{url}: cannot connect ({reason})").format(url=location.display, reason=reason)
        ) from None
    with conn:
        row = conn.execute(
            "SELECT bool_or(pg_has_role(current_user, rolname, 'MEMBER')) FROM pg_roles "
            "WHERE rolname = ANY(%s)",
            [desk_roles],
        ).fetchone()
    return bool(row and row[0])
