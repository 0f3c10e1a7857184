"""Team mode (a PostgreSQL desk): identity is the session user, the team lives in the database, and
the rules hold against the database itself — each attempt below is raw SQL through psycopg, as the
user's own login, with nothing but their credentials (what `psql` would send).

The throwaway cluster of the test suite (tests/pg_server.py); each test gets its own desk schema and
login roles named after it (roles are cluster-wide).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from cli_helpers import invoke, invoke_json
from review_support import make_story

from translate.store import open_store
from translate.store.location import parse_location

PASSWORDS = {"ana": "pw-ana-1", "eve": "pw-eve-1", "olga": "pw-olga-1", "cron": "pw-cron-1"}


def with_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}:{password}@{host}", parts.path, parts.query, ""))


class TeamDesk:
    def __init__(self, url: str, folder):
        self.url, self.folder = url, folder
        self.schema = parse_location(url).schema
        self.names = {k: f"{self.schema}_{k}" for k in PASSWORDS}

    def login_url(self, who: str) -> str:
        return with_user(self.url, self.names[who], PASSWORDS[who])

    def sql(self, who: str) -> psycopg.Connection:
        """A raw connection as `who`, search_path on the desk (as psql with their login)."""
        conn = psycopg.connect(parse_location(self.login_url(who)).conninfo, autocommit=True)
        conn.execute(f'SET search_path TO "{self.schema}"')
        return conn

    def open(self, who: str | None = None):
        return open_store(self.login_url(who) if who else self.url)

    def drop_logins(self) -> None:
        with psycopg.connect(parse_location(self.url).conninfo, autocommit=True) as conn:
            for name in self.names.values():
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone():
                    conn.execute(f'DROP OWNED BY "{name}" CASCADE')
                    conn.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def team(pg_url, desk, monkeypatch):
    """A PostgreSQL desk (store init) whose team lives in the database: ana translates ru-en, eve
    and olga edit, cron is the batch; logins created by `team add --create-login`."""
    monkeypatch.setenv("TRANSLATE_DATABASE_URL", pg_url)
    t = TeamDesk(pg_url, desk)
    assert invoke("store", "init", pg_url).exit_code == 0
    # the team moves to the database: workflow.yaml's team section goes
    text = (desk / "workflow.yaml").read_text(encoding="utf-8")
    start, end = text.index("team:\n"), text.index("\nrules:")
    (desk / "workflow.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    for who, role, pair in [
        ("ana", "translator", "ru-en"),
        ("eve", "editor", None),
        ("olga", "editor", "ru-en"),
        ("cron", "batch", None),
    ]:
        args = ["team", "add", t.names[who], "--role", role, "--create-login"]
        if pair:
            args += ["--pair", pair]
        pw = PASSWORDS[who]
        result = invoke(*args, input=f"{pw}\n{pw}\n")
        assert result.exit_code == 0, result.stderr
    monkeypatch.delenv("TRANSLATE_USER")
    yield t
    t.drop_logins()


def as_login(monkeypatch, team: TeamDesk, who: str) -> None:
    monkeypatch.setenv("TRANSLATE_DATABASE_URL", team.login_url(who))


def refused(conn: psycopg.Connection, sql: str, params=()) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
        conn.execute(sql, params)
    return str(exc.value)


# ---------------------------------------------------------------- the team in the database


def test_team_add_creates_logins_grants_group_roles_and_keeps_the_password_off_the_server(team):
    with psycopg.connect(parse_location(team.url).conninfo, autocommit=True) as conn:
        for who, group in [("ana", "translator"), ("eve", "editor"), ("cron", "batch")]:
            (member,) = conn.execute(
                "SELECT pg_has_role(%s, %s, 'MEMBER')", [team.names[who], f"{team.schema}_{group}"]
            ).fetchone()
            assert member
        (secret,) = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", [team.names["ana"]]
        ).fetchone()
        assert secret.startswith("SCRAM-SHA-256$") and PASSWORDS["ana"] not in secret
    listed = {(m["name"], tuple(m["roles"])) for m in invoke_json("team", "list")}
    assert (team.names["ana"], ("translator",)) in listed
    assert (team.names["cron"], ("batch",)) in listed


def test_a_team_section_in_workflow_yaml_is_refused_saying_where_the_team_lives(team):
    path = team.folder / "workflow.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "team:\n  translators:\n    x: [ru-en]\n",
        encoding="utf-8",
    )
    result = invoke("queue")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"translate: error: {path}: the team of this desk lives in the database ("
    )
    assert "'translate team list'" in result.stderr and "password" not in result.stderr


def test_only_the_desk_admin_changes_the_team(team, monkeypatch):
    as_login(monkeypatch, team, "eve")
    result = invoke("team", "add", "someone", "--role", "translator")
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: only the desk's admin ({team.schema}_admin) changes the team of a "
        f"PostgreSQL desk; '{team.names['eve']}' is not a member\n"
    )
    with team.sql("eve") as conn:
        refused(
            conn,
            "INSERT INTO team_members (name, role, pairs, at) VALUES ('x', 'editor', '[]', 'now')",
        )


# ---------------------------------------------------------------- identity


def test_identity_is_the_session_user_and_naming_anyone_else_is_refused(team, monkeypatch):
    store = team.open()
    sid = make_story(store)
    store.close()
    as_login(monkeypatch, team, "ana")
    result = invoke("--user", team.names["eve"], "approve", sid)
    assert (result.exit_code, result.stderr) == (
        1,
        f"translate: error: --user {team.names['eve']}: on this PostgreSQL desk you are "
        f"'{team.names['ana']}', the user the server authenticated; you cannot act as someone "
        "else\n",
    )
    monkeypatch.setenv("TRANSLATE_USER", "eve")
    assert "TRANSLATE_USER eve: on this PostgreSQL desk" in invoke("queue").stderr
    monkeypatch.delenv("TRANSLATE_USER")
    got = invoke_json("queue", "--next")
    assert (got["story"], got["claimed_by"]) == (sid, team.names["ana"])
    assert invoke("edit", sid, "2", "--text", "The talks lasted all day.").exit_code == 0
    assert invoke("confirm", sid, "--all").exit_code == 0
    assert invoke("submit", sid).exit_code == 0
    as_login(monkeypatch, team, "eve")
    assert invoke("approve", sid).exit_code == 0
    log = invoke_json("log", sid)
    assert [
        (e["action"], e["user"]) for e in log if e["action"] in ("edit", "submit", "approve")
    ] == [
        ("edit", team.names["ana"]),
        ("submit", team.names["ana"]),
        ("approve", team.names["eve"]),
    ]


# ---------------------------------------------------------------- the rules, against raw SQL


def _submitted_story(team: TeamDesk, edited_by: str | None = None) -> str:
    """A story submitted by ana (her login), with a human version by `edited_by` when given."""
    store = team.open()
    sid = make_story(store)
    store.close()
    with team.sql("ana") as conn:  # she claims it, as `translate claim` does
        conn.execute(
            "UPDATE stories SET claimed_by = session_user, claim_until = %s, state = 50 "
            "WHERE id = %s",
            ["2999-01-01T00:00:00+00:00", sid],
        )
    for who in ("ana", edited_by) if edited_by and edited_by != "ana" else ("ana",):
        store = team.open(who)
        with store.write():
            seg = store.segment(sid, 2)
            store.add_version(seg["id"], sid, f"Edited by {who}.", origin="human", state=30,
                              author="someone-else")  # fmt: skip
        store.close()
    with team.sql("ana") as conn:
        conn.execute("UPDATE stories SET state = 70 WHERE id = %s", [sid])
        conn.execute(
            "INSERT INTO events (story_id, action, at) VALUES (%s, 'submit', 'now')", [sid]
        )
    return sid


def test_a_translator_cannot_approve_a_story(team):
    sid = _submitted_story(team)
    with team.sql("ana") as conn:
        msg = refused(
            conn,
            "INSERT INTO approvals (story_id, \"user\", at) VALUES (%s, %s, 'now')",
            [sid, team.names["eve"]],
        )
        assert "only editors may approve stories" in msg
        assert "only editors may approve stories" in refused(
            conn, "UPDATE stories SET state = 90 WHERE id = %s", [sid]
        )
    store = team.open()
    assert store.story(sid)["state"] == 70 and store.active_approvals(sid) == []
    store.close()


def test_an_editor_cannot_approve_their_own_work_under_four_eyes(team):
    sid = _submitted_story(team, edited_by="olga")
    with team.sql("olga") as conn:
        msg = refused(
            conn, "INSERT INTO approvals (story_id, \"user\", at) VALUES (%s, 'eve', 'now')", [sid]
        )
        assert msg.startswith(f"four-eyes rule: {team.names['olga']} edited story {sid}")
    with team.sql("eve") as conn:  # another editor may, and the approval is in her own name
        conn.execute(
            "INSERT INTO approvals (story_id, \"user\", at) VALUES (%s, 'olga', 'now')", [sid]
        )
        conn.execute("UPDATE stories SET state = 90 WHERE id = %s", [sid])
    store = team.open()
    assert [a["user"] for a in store.active_approvals(sid)] == [team.names["eve"]]
    store.close()


def test_the_submitter_cannot_approve_under_four_eyes(team):
    store = team.open()
    sid = make_story(store)
    store.close()
    with team.sql("olga") as conn:
        conn.execute("UPDATE stories SET state = 70 WHERE id = %s", [sid])
        conn.execute(
            "INSERT INTO events (story_id, action, at) VALUES (%s, 'submit', 'now')", [sid]
        )
        msg = refused(
            conn, "INSERT INTO approvals (story_id, \"user\", at) VALUES (%s, 'x', 'now')", [sid]
        )
        assert msg.startswith(f"four-eyes rule: {team.names['olga']} submitted story {sid}")


def test_a_translator_cannot_mark_unapproved_text_published(team):
    sid = _submitted_story(team)
    with team.sql("ana") as conn:
        assert "only editors may publish stories" in refused(
            conn, "UPDATE stories SET state = 100 WHERE id = %s", [sid]
        )
        assert "only editors may publish stories" in refused(
            conn,
            "INSERT INTO publications (story_id, version, digest, at) VALUES (%s, 1, 'x', 'now')",
            [sid],
        )
        # nor change the submitted text behind the editors' backs
        assert "only editors change it" in refused(
            conn,
            "INSERT INTO versions (segment_id, story_id, text, origin, created_at) "
            "SELECT id, story_id, 'Forged.', 'human', 'now' FROM segments WHERE story_id = %s "
            "LIMIT 1",
            [sid],
        )
    with team.sql("eve") as conn:  # an editor neither: only approved text is published
        assert "not approved; only approved text is published" in refused(
            conn, "UPDATE stories SET state = 100 WHERE id = %s", [sid]
        )


def test_no_one_reads_or_writes_another_desks_schema(team, pg_server, tmp_path):
    from pg_server import drop_schema, with_schema

    other = with_schema(pg_server, team.schema + "_b")
    assert invoke("store", "init", other).exit_code == 0
    try:
        with team.sql("eve") as conn:
            for sql in (
                f'SELECT * FROM "{team.schema}_b".stories',
                f"INSERT INTO \"{team.schema}_b\".events (action, at) VALUES ('x', 'now')",
            ):
                assert "permission denied for schema" in refused(conn, sql)
    finally:
        drop_schema(pg_server, team.schema + "_b")


def test_no_one_updates_or_deletes_the_events_log_or_writes_it_in_anothers_name(team):
    store = team.open()
    sid = make_story(store)
    store.close()
    with team.sql("eve") as conn:
        refused(conn, "UPDATE events SET note = 'rewritten'")
        refused(conn, "DELETE FROM events")
        refused(conn, "TRUNCATE events")
        conn.execute(
            "INSERT INTO events (story_id, \"user\", action, at) VALUES (%s, 'ana', 'x', 'now')",
            [sid],
        )
        (who,) = conn.execute(
            "SELECT \"user\" FROM events WHERE story_id = %s AND action = 'x'", [sid]
        ).fetchone()
    assert who == team.names["eve"]


def test_the_batch_login_ingests_and_translates_but_cannot_review(team, monkeypatch):
    from cli_helpers import RU_MD

    as_login(monkeypatch, team, "cron")
    [story] = invoke_json("ingest", RU_MD)
    result = invoke("claim", story["id"])
    assert result.exit_code == 1
    assert "may not review stories" in result.stderr
    log = invoke_json("log", story["id"])
    assert (log[0]["action"], log[0]["user"]) == ("ingest", team.names["cron"])
    assert json.dumps(log)  # the log reads back as JSON


def test_a_translator_claims_only_their_pairs_only_for_themselves_and_no_running_lease(team):
    """What `translate claim`, `edit` and `submit` check, the server checks too: a translator's
    raw SQL cannot take a story of another pair, hand one to someone else, take one under
    another's running lease, work on a story they do not hold or submit it."""
    from translate.model import IngestedStory, Sentence, Unit

    store = team.open()
    ru = make_story(store)
    es = store.add_story(
        IngestedStory(
            title="Orquídeas", language="es", text_hash="es-1",
            units=[Unit("headline", "Orquídeas", [Sentence("Orquídeas")])],
        )
    )  # fmt: skip
    held = make_story(store, title="Чужая история")
    store.db.execute(  # olga's lease runs until 2999, another's lapsed in 2000
        "UPDATE stories SET claimed_by = ?, claim_until = ? WHERE id = ?",
        [team.names["olga"], "2999-01-01T00:00:00+00:00", held],
    )
    store.close()
    ana = team.names["ana"]
    with team.sql("ana") as conn:
        take = "UPDATE stories SET claimed_by = %s, claim_until = '2999-01-01' WHERE id = %s"
        assert f"{ana} does not work on es-en" in refused(conn, take, [ana, es])
        assert "only editors assign stories" in refused(conn, take, [team.names["eve"], ru])
        assert f"story {held} is claimed by {team.names['olga']}" in refused(
            conn, take, [ana, held]
        )
        version = (
            "INSERT INTO versions (segment_id, story_id, text, origin, created_at) "
            "SELECT id, story_id, 'Mine.', 'human', 'now' FROM segments WHERE story_id = %s LIMIT 1"
        )
        assert f"{ana} has not claimed story {ru}" in refused(conn, version, [ru])
        assert f"{ana} has not claimed story {ru}" in refused(
            conn, "UPDATE segments SET state = 40 WHERE story_id = %s", [ru]
        )
        assert "cannot submit it" in refused(
            conn, "UPDATE stories SET state = 70 WHERE id = %s", [ru]
        )
        assert "only editors change the language pair, priority or deadline" in refused(
            conn, "UPDATE stories SET priority = 5 WHERE id = %s", [ru]
        )
        conn.execute(take, [ana, ru])  # her own pair, free: hers
        conn.execute(version, [ru])  # now she may work on it
        conn.execute("UPDATE stories SET state = 70, claimed_by = NULL WHERE id = %s", [ru])
    with psycopg.connect(parse_location(team.url).conninfo, autocommit=True) as admin:
        admin.execute(f'SET search_path TO "{team.schema}"')
        admin.execute(
            "UPDATE stories SET claim_until = '2000-01-01T00:00:00+00:00' WHERE id = %s", [held]
        )
    with team.sql("ana") as conn:
        conn.execute(take, [ana, held])  # olga's lease lapsed: taking it over is allowed
    store = team.open()
    assert store.story(held)["claimed_by"] == ana
    assert store.story(ru)["state"] == 70
    store.close()
