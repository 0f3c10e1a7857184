"""Command group: team (add, list, remove) — who works on the desk, edited in workflow.yaml."""

from __future__ import annotations

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import emit_json, info, json_option, table
from translate.i18n import _


@click.group(
    help=_(
        "Who works on the desk: translators, editors and the batch user with their language pairs, "
        "kept in workflow.yaml's 'team' (comments preserved) on a SQLite desk, where names are "
        "asserted, not authenticated; on a PostgreSQL desk, in the database, as grants of the "
        "desk's group roles to login roles."
    )
)
def team() -> None:
    pass


@team.command(
    "add",
    help=_(
        "Give NAME a role for some pairs (default: every pair in workflow.yaml); adds to the pairs "
        "they already have."
    ),
)
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["translator", "editor", "batch"]),
    help=_("The role (batch: the nightly job's user, for every pair)."),
)
@click.option("--pair", "pairs", multiple=True, metavar="PAIR", help=_("A pair such as ru-en."))
@click.option(
    "--create-login",
    is_flag=True,
    help=_(
        "PostgreSQL desk: also create NAME's login role; the password is asked on the terminal "
        "(never on the command line)."
    ),
)
@pass_desk
def add(desk: Desk, name: str, role: str, pairs: tuple[str, ...], create_login: bool) -> None:
    from translate.errors import UsageError
    from translate.team import add_member, add_member_db

    if desk.workflow.team_mode:
        password = None
        if create_login:
            password = click.prompt(
                _("password for {name}").format(name=name),
                hide_input=True,
                confirmation_prompt=True,
                err=True,
            )
        now = add_member_db(desk.store, desk.workflow, name, role, list(pairs), desk.user, password)
    else:
        if create_login:
            raise UsageError(
                _("--create-login is for a PostgreSQL desk; a SQLite desk has no logins")
            )
        now = add_member(desk.workflow, name, role, list(pairs), user=desk.user)
        desk.store.log("team.add", user=desk.user, after={"name": name, "role": role, "pairs": now})
    click.echo(
        _("{name}: {role} for {pairs}").format(
            name=name, role=role, pairs=", ".join(now) or _("every pair")
        )
    )


@team.command("list", help=_("List the team: names, roles and pairs."))
@json_option
@pass_desk
def list_(desk: Desk, as_json: bool) -> None:
    from translate.team import members

    found = members(desk.workflow)
    if as_json:
        emit_json(found)
        return
    if not found:
        info(_("nobody on the team yet (see 'translate team add')"))
        return
    rows = []
    for m in found:
        for role, pairs in m["pairs"].items():
            rows.append([m["name"], role, ", ".join(pairs) or _("every pair")])
    table(rows, [_("name"), _("role"), _("pairs")])


@team.command("remove", help=_("Take NAME off the team (or off one role with --role)."))
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["translator", "editor", "batch"]), help=_("Only this role.")
)
@pass_desk
def remove(desk: Desk, name: str, role: str | None) -> None:
    from translate.review import lease_active
    from translate.team import remove_member, remove_member_db

    if desk.workflow.team_mode:
        removed = remove_member_db(desk.store, name, role, user=desk.user)
    else:
        removed = remove_member(desk.workflow, name, role, user=desk.user)
        desk.store.log("team.remove", user=desk.user, before={"name": name, "roles": removed})
    click.echo(_("removed {name} ({roles})").format(name=name, roles=", ".join(removed)))
    held = [s["id"] for s in desk.store.stories() if s["claimed_by"] == name and lease_active(s)]
    if held:
        info(
            _("{name} still holds claims on: {ids}; an editor can reassign them").format(
                name=name, ids=", ".join(held)
            )
        )


@team.command(
    "passwd",
    help=_(
        "Set NAME's password for the web front ('translate serve') on this desk: asked twice on "
        "the terminal, never on the command line; only an argon2id hash is stored. NAME or an "
        "editor may set it."
    ),
)
@click.argument("name")
@pass_desk
def passwd(desk: Desk, name: str) -> None:
    from translate.auth import set_password

    workflow, user = desk.workflow, desk.user
    password = click.prompt(
        _("New password for {name}").format(name=name),
        hide_input=True,
        confirmation_prompt=_("Repeat the password"),
        err=True,
    )
    set_password(desk.store, workflow, name, password, user)
    click.echo(_("password set for {name}").format(name=name))
