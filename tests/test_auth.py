"""`translate team passwd` and `translate.auth.authenticate`: argon2id hashes in the store,
passwords asked twice on the terminal and never stored or logged."""

from __future__ import annotations

import pytest
from cli_helpers import error_lines, invoke
from review_support import open_desk

from translate.auth import authenticate


@pytest.fixture
def d(desk):
    d = open_desk(desk)
    yield d
    d.store.close()


def test_passwd_asks_twice_stores_an_argon2id_hash_and_logs_no_secret(d):
    r = invoke("--user", "ana", "team", "passwd", "ana", input="correct horse\ncorrect horse\n")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "password set for ana"
    stored = d.store.password_hash("ana")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert authenticate(d.store, d.workflow, "ana", "correct horse") == "ana"
    assert authenticate(d.store, d.workflow, "ana", "correct horsE") is None
    events = list(d.store.db.query("SELECT * FROM events WHERE action = 'team.passwd'"))
    assert len(events) == 1 and all(
        "correct horse" not in str(e) and "$argon2" not in str(e) for e in events
    )


def test_passwd_refuses_a_mismatch_a_short_password_and_strangers(d):
    r = invoke("--user", "ana", "team", "passwd", "ana", input="one-password\nanother-one\n")
    assert "do not match" in r.stderr  # asked again; the input ends: nothing set
    assert r.exit_code == 130 and d.store.password_hash("ana") is None
    r = invoke("--user", "ana", "team", "passwd", "ana", input="short\nshort\n")
    assert r.exit_code == 1
    assert error_lines(r) == ["translate: error: the password is too short: at least 8 characters"]
    r = invoke("--user", "ana", "team", "passwd", "eve", input="long-enough\nlong-enough\n")
    assert r.exit_code == 1
    assert "only 'eve' or an editor may set the password of 'eve'" in r.stderr
    r = invoke("--user", "eve", "team", "passwd", "mallory", input="long-enough\nlong-enough\n")
    assert r.exit_code == 1 and "unknown user 'mallory'" in r.stderr
    assert d.store.password_hash("ana") is None and d.store.password_hash("eve") is None
    r = invoke("--user", "eve", "team", "passwd", "ana", input="set-by-eve\nset-by-eve\n")
    assert r.exit_code == 0  # an editor may set a teammate's password
    assert authenticate(d.store, d.workflow, "ana", "set-by-eve") == "ana"


def test_no_password_means_no_sign_in(d):
    assert authenticate(d.store, d.workflow, "ana", "") is None
    assert authenticate(d.store, d.workflow, "", "anything") is None
    assert authenticate(d.store, d.workflow, "nobody", "anything") is None


def test_a_team_desk_refuses_local_passwords_in_one_line(d):
    class TeamStore:  # stands for a PostgreSQL store: only its backend is read
        backend = "postgresql"

    from translate.auth import set_password
    from translate.errors import DeskError

    with pytest.raises(DeskError, match="this is a team desk: passwords are PostgreSQL's"):
        set_password(TeamStore(), d.workflow, "ana", "long-enough", "ana")


def test_a_team_desk_signs_in_by_connecting_as_that_role(d, pg_url):
    """PostgreSQL checks the password (SCRAM); the login must be in one of the desk's group roles
    and on the team."""
    import psycopg
    from cli_helpers import invoke_json

    from translate.store import open_store, parse_location
    from translate.team import add_member

    schema = invoke_json("store", "init", pg_url)["schema"]
    editor, outsider = f"{schema}_eve", f"{schema}_out"
    admin = parse_location(pg_url).conninfo
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {editor} LOGIN PASSWORD 'eve-pg-secret'")
        conn.execute(f"GRANT {schema}_editor TO {editor}")
        conn.execute(f"CREATE ROLE {outsider} LOGIN PASSWORD 'out-pg-secret'")
    store = open_store(pg_url)
    try:
        for name in (editor, outsider):
            add_member(d.workflow, name, "editor", ["ru-en"])
        from translate.config import load_workflow

        workflow = load_workflow(d.folder / "workflow.yaml")
        assert authenticate(store, workflow, editor, "eve-pg-secret") == editor
        assert authenticate(store, workflow, editor, "wrong") is None
        assert authenticate(store, workflow, outsider, "out-pg-secret") is None  # not in the desk
        assert authenticate(store, workflow, f"{schema}_nobody", "x") is None
        assert authenticate(store, workflow, editor, "") is None
    finally:
        store.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in (editor, outsider):
                conn.execute(f"DROP ROLE IF EXISTS {name}")
