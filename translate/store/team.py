"""The team of a PostgreSQL desk, kept in the database: identity (the session user), members, roles
and pairs, and the group-role grants that make a login a member (team mode only; a SQLite desk's
team is workflow.yaml's)."""

from __future__ import annotations

import json
from typing import Any

from translate.clock import now_iso
from translate.errors import DeskError
from translate.i18n import _

TEAM_ROLES = ("translator", "editor", "batch")


class TeamQueries:
    db: Any

    @property
    def team_mode(self) -> bool:
        return getattr(self, "backend", "sqlite") == "postgresql"

    def session_user(self) -> str | None:
        """The login the server authenticated (None on SQLite, where nothing is authenticated)."""
        if not self.team_mode:
            return None
        return self.db.execute("SELECT session_user").fetchone()[0]

    def session_trusted(self) -> bool:
        """A superuser or a member of the desk's admin role (or a desk without group roles): such
        a session acts as the desk itself and may name the acting user, as on SQLite."""
        if not self.team_mode:
            return True
        return bool(self.db.execute("SELECT desk_trusted(?)", [self.location.schema]).fetchone()[0])

    def team_rows(self) -> list[dict]:
        rows = list(self.db.query("SELECT * FROM team_members ORDER BY name, role"))
        for r in rows:
            r["pairs"] = json.loads(r["pairs"] or "[]")
        return rows

    def _require_team_mode(self) -> None:
        if not self.team_mode:
            raise DeskError(_("the team of a SQLite desk lives in workflow.yaml"))

    def login_exists(self, name: str) -> bool:
        self._require_team_mode()
        return bool(self.db.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", [name]).fetchone())

    def scram_verifier(self, name: str, password: str) -> str:
        """The SCRAM-SHA-256 verifier of a password, computed by libpq on this side: the password
        itself never travels to the server or into its logs."""
        conn = self.db._conn()
        return conn.pgconn.encrypt_password(
            password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256"
        ).decode("ascii")

    def add_team_member(
        self,
        name: str,
        role: str,
        pairs: list[str],
        by: str | None,
        create_login: str | None = None,
    ) -> list[str]:
        """Grant the desk's group role to the login `name` (created with the SCRAM verifier
        `create_login` when given) and record the member's pairs; returns the pairs now held."""
        from psycopg import sql as pgsql

        self._require_team_mode()
        group = self.location.role(role)
        with self.write():
            if create_login is not None:
                if self.login_exists(name):
                    raise DeskError(
                        _(
                            "a role '{name}' already exists on the server; leave out --create-login"
                        ).format(name=name)
                    )
                self.db.execute(
                    pgsql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                        pgsql.Identifier(name), pgsql.Literal(create_login)
                    )
                )
            elif not self.login_exists(name):
                raise DeskError(
                    _(
                        "no login role '{name}' on the server: create it (CREATE ROLE {name} LOGIN) "
                        "or add --create-login"
                    ).format(name=name)
                )
            self.db.execute(
                pgsql.SQL("GRANT {} TO {}").format(pgsql.Identifier(group), pgsql.Identifier(name))
            )
            rows = list(
                self.db.query(
                    "SELECT pairs FROM team_members WHERE name = ? AND role = ?", [name, role]
                )
            )
            held = json.loads(rows[0]["pairs"]) if rows else []
            if rows and not held:
                now: list[str] = []  # already every pair
            else:
                now = [*held, *(p for p in pairs if p not in held)]
            self.db.execute("DELETE FROM team_members WHERE name = ? AND role = ?", [name, role])
            self.db["team_members"].insert(
                {
                    "name": name,
                    "role": role,
                    "pairs": json.dumps(now),
                    "added_by": by,
                    "at": now_iso(),
                }
            )
        return now

    def remove_team_member(self, name: str, roles: list[str]) -> None:
        from psycopg import sql as pgsql

        self._require_team_mode()
        with self.write():
            for role in roles:
                if self.login_exists(name):
                    self.db.execute(
                        pgsql.SQL("REVOKE {} FROM {}").format(
                            pgsql.Identifier(self.location.role(role)), pgsql.Identifier(name)
                        )
                    )
                self.db.execute(
                    "DELETE FROM team_members WHERE name = ? AND role = ?", [name, role]
                )
