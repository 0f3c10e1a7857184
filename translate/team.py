"""The team in workflow.yaml: add, list and remove members, editing the file in place.

The file is rewritten with ruamel's round-trip mode, so its comments, key order and flow lists stay
as the user wrote them; the new text is validated before it replaces the old one (atomically, under
a lock on the folder so two `team` commands never lose each other's change).

`team: {translators: {name: [pairs]}, editors: {name: [pairs]}, batch: {name: []}}`; an empty list
of pairs means every pair (the batch role, the nightly job's user, always covers every pair).
Only editors change the team through these functions (anyone may add the first editor of a team
that has none). Membership is asserted, not authenticated: anyone who can write workflow.yaml can
add people.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from translate.config import PAIR_RE, Workflow, load_workflow, yaml_roundtrip
from translate.errors import DeskError, UsageError
from translate.i18n import _

ROLE_KEYS = {"translator": "translators", "editor": "editors", "batch": "batch"}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")


def members(workflow: Workflow) -> list[dict[str, Any]]:
    """Everyone on the team, by name: their roles and the pairs of each role."""
    tables = _tables(workflow)
    names = sorted(set().union(*tables.values()))
    out = []
    for name in names:
        pairs = {role: list(table[name]) for role, table in tables.items() if name in table}
        out.append({"name": name, "roles": list(pairs), "pairs": pairs})
    return out


def _tables(workflow: Workflow) -> dict[str, dict[str, list[str]]]:
    return {
        "translator": workflow.translators,
        "editor": workflow.editors,
        "batch": workflow.batch,
    }


def _require_team_editor(workflow: Workflow, user: str | None, role: str | None) -> None:
    """Only editors change the team; until it has an editor, anyone may change it (so a new desk
    can be set up: add its editors first)."""
    if user is None or not workflow.editors:
        return
    from translate.review.access import require_role

    require_role(workflow, user, "team")


def _mapping_indent(text: str) -> int:
    """How far the file indents a nested mapping key (2 unless it says otherwise)."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if re.match(r"^[A-Za-z_][\w-]*:\s*(#.*)?$", line):
            nxt = lines[i + 1]
            m = re.match(r"^( +)[A-Za-z_]", nxt)
            if m:
                return len(m.group(1))
    return 2


def _yaml(text: str):
    from ruamel.yaml.util import load_yaml_guess_indent

    _data, seq_indent, offset = load_yaml_guess_indent(text)
    yaml = yaml_roundtrip()
    yaml.width = 4096  # never fold long lines such as the credit line
    yaml.indent(mapping=_mapping_indent(text), sequence=seq_indent or 4, offset=offset or 2)
    return yaml


def _flow(items: list[str]):
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _delete(mapping, key: str) -> None:
    """Delete a key, handing a trailing comment (a blank line, the next section's comment) to the
    key before it so the file keeps its shape."""
    keys = list(mapping)
    index = keys.index(key)
    token = mapping.ca.items.pop(key, None)
    del mapping[key]
    if token and index == len(keys) - 1 and index > 0 and keys[index - 1] not in mapping.ca.items:
        mapping.ca.items[keys[index - 1]] = token


@contextmanager
def _locked(folder: Path):
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _rewrite(path: Path, change) -> Workflow:
    """Load workflow.yaml round-trip, apply `change(data)`, validate, replace atomically."""
    with _locked(path.parent):
        text = path.read_text(encoding="utf-8")
        yaml = _yaml(text)
        data = yaml.load(text)
        if data is None:
            from ruamel.yaml.comments import CommentedMap

            data = CommentedMap()
        change(data)
        buf = io.StringIO()
        yaml.dump(data, buf)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(buf.getvalue())
            os.chmod(tmp, path.stat().st_mode & 0o7777)
            load_workflow(Path(tmp))  # never replace a good file with one that does not load
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    return load_workflow(path)


def _team_section(data, role_key: str):
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(data.get("team"), dict):
        data["team"] = CommentedMap()
    team = data["team"]
    if not isinstance(team.get(role_key), dict):
        team[role_key] = CommentedMap()
    return team[role_key]


def _check_member_args(workflow: Workflow, name: str, role: str, pairs: list[str] | None) -> None:
    """The role, the name and the pairs of a `team add`, on either backend."""
    if role not in ROLE_KEYS:
        raise UsageError(_("unknown role '{role}' (translator, editor or batch)").format(role=role))
    if role == "batch" and pairs:
        raise UsageError(_("the batch role covers every pair; give no --pair"))
    if not NAME_RE.match(name or ""):
        raise UsageError(
            _("'{name}' is not a usable name (letters, digits, '.', '_', '@', '-')").format(
                name=name
            )
        )
    for pair in dict.fromkeys(pairs or []):
        if not PAIR_RE.match(pair):
            raise UsageError(_("'{pair}' is not a pair such as 'ru-en'").format(pair=pair))
        if workflow.pairs and pair not in workflow.pairs:
            raise DeskError(
                _("{path}: no pair '{pair}' under 'pairs' (configured: {pairs})").format(
                    path=workflow.path, pair=pair, pairs=", ".join(workflow.pairs) or "-"
                )
            )


def add_member(
    workflow: Workflow,
    name: str,
    role: str,
    pairs: list[str] | None = None,
    user: str | None = None,
) -> list[str]:
    """Give `name` the role for `pairs` (default: every pair in workflow.yaml), adding to the pairs
    they already have. Returns their pairs in that role afterwards. `user` (who asks) must be an
    editor. The batch role takes no pairs: it covers every pair."""
    _check_member_args(workflow, name, role, pairs)
    _require_team_editor(workflow, user, role)
    wanted = list(dict.fromkeys(pairs or [])) or ([] if role == "batch" else list(workflow.pairs))
    result: list[str] = []

    def change(data) -> None:
        section = _team_section(data, ROLE_KEYS[role])
        current = section.get(name)
        if isinstance(current, list):
            for pair in wanted:
                if pair not in current:
                    current.append(pair)
            result.extend(current)
        else:
            section[name] = _flow(wanted)
            result.extend(wanted)

    _rewrite(workflow.path, change)
    return result


def remove_member(
    workflow: Workflow, name: str, role: str | None = None, user: str | None = None
) -> list[str]:
    """Take `name` off the team (or off one role); returns the roles removed. `user` (who asks)
    must be an editor."""
    roles = [role] if role else list(ROLE_KEYS)
    for r in roles:
        if r not in ROLE_KEYS:
            raise UsageError(
                _("unknown role '{role}' (translator, editor or batch)").format(role=r)
            )
    _require_team_editor(workflow, user, None)
    held = [r for r in roles if name in _tables(workflow)[r]]
    if not held:
        if role:
            raise DeskError(
                _("'{name}' has no {role} role on the team").format(name=name, role=role)
            )
        raise DeskError(
            _("'{name}' is not on the team in {path}").format(name=name, path=workflow.path)
        )

    def change(data) -> None:
        team = data.get("team") or {}
        for r in held:
            section = team.get(ROLE_KEYS[r])
            if isinstance(section, dict) and name in section:
                _delete(section, name)

    _rewrite(workflow.path, change)
    return held


# ---------------------------------------------------------------- team mode (PostgreSQL)


def team_from_store(store, workflow: Workflow) -> Workflow:
    """On a PostgreSQL desk whose team is in the database, the workflow with that team (one truth
    for every machine). A team section left in workflow.yaml is then refused, saying where the team
    lives; a desk whose database holds no team yet still reads workflow.yaml's (moving over)."""
    import dataclasses

    rows = store.team_rows()
    if not rows:
        return workflow
    if workflow.translators or workflow.editors or workflow.batch:
        raise DeskError(
            _(
                "{path}: the team of this desk lives in the database ({url}): see 'translate team "
                "list'; remove the 'team' section from workflow.yaml"
            ).format(path=workflow.path, url=store.location.display)
        )
    tables: dict[str, dict[str, list[str]]] = {r: {} for r in ROLE_KEYS}
    for row in rows:
        if row["role"] in tables:
            tables[row["role"]][row["name"]] = list(row["pairs"])
    return dataclasses.replace(
        workflow,
        translators=tables["translator"],
        editors=tables["editor"],
        batch=tables["batch"],
    )


def acting_user(store, asserted: str | None, from_option: bool) -> str:
    """Who acts on a PostgreSQL desk: the session user the server authenticated. Naming anyone else
    (--user, TRANSLATE_USER) is refused, except for the desk's admin (a superuser or a member of
    `<schema>_admin`, who owns the schema anyway), who may act for the desk as on SQLite."""
    me = store.session_user()
    if asserted and asserted != me:
        if store.session_trusted():
            return asserted
        source = "--user" if from_option else "TRANSLATE_USER"
        raise DeskError(
            _(
                "{source} {name}: on this PostgreSQL desk you are '{me}', the user the server "
                "authenticated; you cannot act as someone else"
            ).format(source=source, name=asserted, me=me)
        )
    return me


def _require_admin(store) -> None:
    if not store.session_trusted():
        raise DeskError(
            _(
                "only the desk's admin ({role}) changes the team of a PostgreSQL desk; '{me}' is not "
                "a member"
            ).format(role=store.location.role("admin"), me=store.session_user())
        )


def add_member_db(
    store,
    workflow: Workflow,
    name: str,
    role: str,
    pairs: list[str] | None = None,
    user: str | None = None,
    password: str | None = None,
) -> list[str]:
    """Team mode: grant the desk's group role for `role` to the login `name` and record its pairs
    in the database (created as a login with `password` when given, as a SCRAM verifier computed
    here: the password never reaches the server). Only the desk's admin."""
    _check_member_args(workflow, name, role, pairs)
    _require_admin(store)
    wanted = list(dict.fromkeys(pairs or [])) or ([] if role == "batch" else list(workflow.pairs))
    verifier = store.scram_verifier(name, password) if password is not None else None
    now = store.add_team_member(name, role, wanted, user, create_login=verifier)
    store.log("team.add", user=user, after={"name": name, "role": role, "pairs": now})
    return now


def remove_member_db(
    store, name: str, role: str | None = None, user: str | None = None
) -> list[str]:
    """Team mode: revoke the group roles and forget the member (the login itself stays)."""
    _require_admin(store)
    held = [r["role"] for r in store.team_rows() if r["name"] == name]
    roles = [r for r in held if role is None or r == role]
    if not roles:
        raise DeskError(_("'{name}' is not on the team in the database").format(name=name))
    store.remove_team_member(name, roles)
    store.log("team.remove", user=user, before={"name": name, "roles": roles})
    return roles
