"""Command group: store (init, status, copy) — where the desk's data lives, on SQLite or PostgreSQL."""

from __future__ import annotations

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import Progress, emit_json, info, json_option, table
from translate.i18n import _


@click.group(
    help=_(
        "The desk's store: a SQLite file (the default) or a PostgreSQL server (team mode, a "
        "postgresql:// URL in workflow.yaml's 'store' or TRANSLATE_DATABASE_URL)."
    )
)
def store() -> None:
    pass


@store.command(
    "init",
    help=_(
        "Create the store at URL (or a SQLite path): on PostgreSQL the desk's schema, its group "
        "roles (<schema>_translator, _editor, _batch, _admin) and their grants. Safe to run again: "
        "it brings the schema and grants up to date."
    ),
)
@click.argument("url")
@json_option
def init(url: str, as_json: bool) -> None:
    from translate.store.admin import init_store

    result = init_store(url)
    if as_json:
        emit_json(result)
        return
    click.echo(
        _("store ready at {store} ({backend}, schema version {version})").format(
            store=result["store"], backend=result["backend"], version=result["schema_version"]
        )
    )
    for role in result.get("roles_created", []):
        click.echo(_("created role {role}").format(role=role))


@store.command(
    "status",
    help=_(
        "Backend, schema version and row counts of the desk's store (or of STORE, a path or URL)."
    ),
)
@click.argument("where", metavar="[STORE]", required=False)
@json_option
@pass_desk
def status(desk: Desk, where: str | None, as_json: bool) -> None:
    from translate.store import open_store
    from translate.store.admin import store_status

    opened = open_store(where) if where else desk.store
    try:
        data = store_status(opened)
    finally:
        if where:
            opened.close()
    if as_json:
        emit_json(data)
        return
    rows = [(_("backend"), data["backend"]), (_("store"), data["store"])]
    if "schema" in data:
        rows += [(_("schema"), data["schema"]), (_("user"), data["user"])]
        rows.append((_("server"), data["server_version"]))
    rows.append(
        (_("schema version"), f"{data['schema_version']} ({data['latest_migration'] or '-'})")
    )
    if data["pending"]:
        rows.append((_("pending migrations"), ", ".join(data["pending"])))
    table(rows, [_("what"), _("value")])
    click.echo("")
    table(sorted(data["counts"].items()), [_("table"), _("rows")])


@store.command(
    "copy",
    help=_(
        "Copy a whole desk from FROM to TO (a SQLite path or a postgresql:// URL, either way). "
        "Refuses a target that holds anything; checks row counts and a checksum per table; an "
        "interrupted copy leaves the target empty."
    ),
)
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@json_option
def copy(source: str, target: str, as_json: bool) -> None:
    from translate.store.admin import copy_store, count_rows

    total = count_rows(source)
    with Progress(total, _("copying"), min_log_total=1000) as bar:
        seen: dict[str, int] = {}

        def step(table_name: str, done: int) -> None:
            bar.advance(done - seen.get(table_name, 0))
            seen[table_name] = done

        result = copy_store(source, target, step)
    if as_json:
        emit_json(result)
        return
    rows = sum(t["rows"] for t in result["tables"].values())
    info(
        _(
            "copied {rows} rows in {tables} tables from {source} to {target}; counts and checksums match"
        ).format(
            rows=rows, tables=len(result["tables"]), source=result["from"], target=result["to"]
        )
    )
