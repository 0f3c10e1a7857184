"""Where the store lives: a path (SQLite, the embedded default) or a `postgresql://` URL (team mode).

The URL is libpq's own (credentials come from libpq: a password prompt, ~/.pgpass, PGPASSWORD, service
files, client certificates, peer auth), plus one parameter of ours that libpq never sees: `schema`
(default `desk`), the PostgreSQL schema that holds this desk, so several desks can share a database.
The desk's group roles are named after it: `<schema>_translator`, `_editor`, `_batch`, `_admin`.
Messages show `display` (the URL without any password), never the URL itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from translate.errors import DeskError
from translate.i18n import _

PG_SCHEMES = ("postgresql://", "postgres://")
DEFAULT_SCHEMA = "desk"
SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(PG_SCHEMES)


def redact(url: str) -> str:
    """The URL without a password (in the user part or as a `password=` parameter)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), parts.fragment))


def has_password(url: str) -> bool:
    parts = urlsplit(url)
    if "@" in parts.netloc and ":" in parts.netloc.rsplit("@", 1)[0]:
        return True
    return any(k == "password" for k, _v in parse_qsl(parts.query, keep_blank_values=True))


@dataclass(frozen=True)
class Location:
    kind: str  # "sqlite" | "postgresql"
    path: Path | None = None
    conninfo: str | None = None  # the URL handed to libpq (our own parameters removed)
    schema: str = DEFAULT_SCHEMA
    display: str = ""

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgresql"

    def role(self, name: str) -> str:
        """The desk's group role `name` (translator, editor, batch, admin)."""
        return f"{self.schema}_{name}"

    def __str__(self) -> str:
        return self.display


def parse_location(value: str | Path) -> Location:
    """A path or a postgresql:// URL; a bad `schema=` parameter is refused in one line."""
    if not is_url(value):
        path = Path(value)
        return Location("sqlite", path=path, display=str(path))
    url = str(value)
    parts = urlsplit(url)
    schema = DEFAULT_SCHEMA
    query = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k == "schema":
            schema = v
        else:
            query.append((k, v))
    display = redact(url)
    if not SCHEMA_RE.match(schema):
        raise DeskError(
            _(
                "{url}: schema '{schema}' must be lower-case letters, digits and '_', "
                "starting with a letter"
            ).format(url=display, schema=schema)
        )
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return Location("postgresql", conninfo=conninfo, schema=schema, display=display)
