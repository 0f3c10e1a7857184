"""Who is signing in to the web front: one function, `authenticate`, for every kind of desk.

On a SQLite desk a person has a local password (`translate team passwd NAME`): an argon2id hash
(argon2-cffi) kept in the store, never the password. Only team members can sign in, so a person
taken off the team in workflow.yaml loses the page at once, hash or not.

On a team desk (PostgreSQL) the server proves who it is: `authenticate` connects to the desk's
database as NAME with the password (the password is never kept), and NAME must be a member of one of
the desk's group roles and on the team. Routes never know which kind of desk they serve.
"""

from __future__ import annotations

from translate.config import Workflow
from translate.errors import DeskError, RoleError
from translate.i18n import _

MIN_LENGTH = 8


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters


# A hash of nothing anyone knows, checked when the name has no hash, so a wrong name costs the
# same time as a wrong password and the page cannot be used to learn who has an account.
_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        import secrets

        _DUMMY.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def _team_desk(store) -> bool:
    return getattr(store, "backend", "sqlite") != "sqlite"


def _local_only(store) -> None:
    """Local passwords belong to SQLite desks: a team desk's passwords are PostgreSQL's own."""
    if _team_desk(store):
        raise DeskError(
            _(
                "this is a team desk: passwords are PostgreSQL's (ALTER ROLE … PASSWORD, or "
                "'translate team add --create-login'); 'translate team passwd' is for SQLite desks"
            )
        )


def set_password(store, workflow: Workflow, name: str, password: str, user: str) -> None:
    """Give team member `name` a local password. `user` (who is acting) must be `name` or an
    editor. The hash and the event share one transaction; the log never holds either."""
    _local_only(store)
    roles = workflow.roles_of(name)
    if not roles:
        raise RoleError(
            _("unknown user '{user}': not on the team in {path} (see 'translate team add')").format(
                user=name, path=workflow.path
            )
        )
    if user != name and "editor" not in workflow.roles_of(user):
        raise RoleError(
            _("only '{name}' or an editor may set the password of '{name}'").format(name=name)
        )
    if len(password) < MIN_LENGTH:
        raise DeskError(
            _("the password is too short: at least {n} characters").format(n=MIN_LENGTH)
        )
    hashed = _hasher().hash(password)
    with store.write():
        store.set_password_hash(name, hashed)
        store.log("team.passwd", user=user, after={"name": name})


def authenticate(store, workflow: Workflow, name: str, password: str) -> str | None:
    """The team member `name` when `password` is theirs, else None (unknown name, no password set,
    wrong password or not on the team: the caller cannot tell which). On a team desk the
    PostgreSQL server checks the password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    name = (name or "").strip()
    if _team_desk(store):
        from translate.store.postgres import verify_login

        if not name or not password:
            return None
        ok = verify_login(store.location, name, password)
        return name if ok and workflow.roles_of(name) else None
    hasher = _hasher()
    stored = store.password_hash(name) if name else None
    try:
        ok = hasher.verify(stored or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    if not (ok and stored and workflow.roles_of(name)):
        return None
    if hasher.check_needs_rehash(stored):
        with store.write():
            store.set_password_hash(name, hasher.hash(password))
    return name
