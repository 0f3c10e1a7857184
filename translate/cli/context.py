"""The `Desk` context object every command receives: workflow, store and user, loaded lazily."""

from __future__ import annotations

import getpass
import os
from functools import cached_property

import click

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _


class Desk:
    def __init__(self, workflow_path: str | None = None, user: str | None = None):
        self.workflow_path = workflow_path
        self._user = user
        self._store = None

    @cached_property
    def workflow(self) -> Workflow:
        """workflow.yaml; on a PostgreSQL desk whose team lives in the database, with that team."""
        from translate.config import load

        workflow = load(self.workflow_path)
        if workflow.team_mode:
            from translate.team import team_from_store

            workflow = team_from_store(self._open(workflow), workflow)
        return workflow

    def _open(self, workflow: Workflow):
        if self._store is None:
            from translate.store import open_store

            self._store = open_store(workflow.store)
        return self._store

    @property
    def store(self):
        return self._open(self.workflow)

    @cached_property
    def user(self) -> str:
        """SQLite: --user, else TRANSLATE_USER, else the OS user (asserted, not authenticated).
        PostgreSQL: the session user the server authenticated; naming anyone else is refused,
        except for the desk's admin (translate.team.acting_user)."""
        asserted = self._user or os.environ.get("TRANSLATE_USER") or None
        if self.workflow.team_mode:
            from translate.team import acting_user

            return acting_user(self.store, asserted, bool(self._user))
        if asserted:
            return asserted
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no passwd entry in some containers
            return "unknown"

    def member(self, role: str | None = None) -> str:
        """The current user, refused unless on the team (and in `role` when given)."""
        user = self.user
        roles = self.workflow.roles_of(user)
        if not roles:
            raise DeskError(
                _(
                    "unknown user '{user}': not on the team in {path} (see 'translate team add')"
                ).format(user=user, path=self.workflow.path)
            )
        if role and role not in roles:
            raise DeskError(
                _("'{user}' does not have the role '{role}' (roles: {roles})").format(
                    user=user, role=role, roles=", ".join(roles)
                )
            )
        return user

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_desk = click.make_pass_decorator(Desk)
