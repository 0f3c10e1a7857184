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
        from translate.config import load

        return load(self.workflow_path)

    @property
    def store(self):
        if self._store is None:
            from translate.store import open_store

            self._store = open_store(self.workflow.store)
        return self._store

    @property
    def user(self) -> str:
        """--user, else TRANSLATE_USER, else the OS user. Asserted, not authenticated."""
        if self._user:
            return self._user
        env = os.environ.get("TRANSLATE_USER")
        if env:
            return env
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
