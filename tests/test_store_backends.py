"""The store on both backends: migrations from one list, `store init/status/copy`, team-mode errors,
the append-only log, and a connection lost mid-transaction (real PostgreSQL, never a mock)."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from cli_helpers import ES_MD, RU_MD, error_lines, invoke, invoke_json
from review_support import NOW, make_story, open_desk

from translate.errors import ConnectionLost, DeskError
from translate.store import SegmentState, open_store, parse_location
from translate.store.migrations import migrations

both = pytest.mark.both_backends


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def with_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}:{password}@{host}", parts.path, parts.query, ""))


def superuser(url: str) -> psycopg.Connection:
    return psycopg.connect(parse_location(url).conninfo, autocommit=True)


@pytest.fixture
def busy_desk(desk, monkeypatch):
    """A desk with a reviewed, approved story, a submitted one, comments, findings, an ingested
    file and a TM."""
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = open_desk(desk)
    sid = make_story(d.store)
    ok("claim", sid)
    ok("edit", sid, "2", "--text", "The minister arrived at nine.")
    ok("comment", sid, "2", "--text", "Check the time.")
    ok("confirm", sid, "--all")
    ok("submit", sid)
    ok("--user", "eve", "approve", sid, "--note", "good")
    other = make_story(d.store, title="Второй визит")
    ok("--user", "olga", "claim", other)
    ok("--user", "olga", "edit", other, "3", "--text", "The talks lasted all day.")
    invoke_json("--user", "nightly", "ingest", RU_MD, ES_MD)  # the batch role ingests
    d.store.close()
    return desk


def snapshot(store) -> dict:
    """Everything a reader sees: `show --json` of every story and the whole events log."""
    shows = {s["id"]: invoke_json("show", s["id"]) for s in store.stories()}
    events = [dict(r) for r in store.db.query("SELECT * FROM events ORDER BY id")]
    return {"shows": shows, "events": events}


# ---------------------------------------------------------------- migrations
@both
def test_migrations_are_recorded_once_and_a_reopen_is_a_no_op(tmp_path, store_backend):
    from backends import store_at

    store = open_store(store_at(tmp_path / "desk.db"))
    try:
        assert migrations.applied(store.db) == migrations.names
        assert migrations.pending(store.db) == []
    finally:
        store.close()
    again = open_store(store_at(tmp_path / "desk.db"))
    try:
        assert migrations.applied(again.db) == migrations.names
        table = "translate_migrations" if store_backend == "postgresql" else "_sqlite_migrations"
        assert again.db[table].count == len(migrations.names)
    finally:
        again.close()


def test_a_sqlite_desk_from_before_upgrades_keeping_sqlite_utils_records(tmp_path):
    """A desk made by sqlite-utils' own Migrations with only the first migration upgrades."""
    from sqlite_utils import Database
    from sqlite_utils import Migrations as Old

    path = tmp_path / "old.db"
    old = Old("translate")
    first = migrations.migrations[0]
    old(name=first.name)(first.fn)
    db = Database(path)
    old.apply(db)
    db.execute("INSERT INTO inbox_files VALUES ('abc', 'x.md', 'ingested', NULL, NULL, 't')")
    db.close()
    store = open_store(path)
    try:
        names = [
            r["name"] for r in store.db.query("SELECT name FROM _sqlite_migrations ORDER BY id")
        ]
        assert names == migrations.names
        assert store.inbox_file("abc")["path"] == "x.md"
        assert "document" in {c.name for c in store.db["publications"].columns}
    finally:
        store.close()


@both
def test_a_newer_schema_is_refused_in_one_line(desk, store_backend):
    store = open_desk(desk).store
    table = "translate_migrations" if store_backend == "postgresql" else "_sqlite_migrations"
    store.db.execute(
        f"INSERT INTO {table} (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ["translate", "m999_from_the_future", "2030-01-01"],
    )
    store.close()
    result = invoke("stories")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.endswith(
        "the store's schema is newer than this version of translate "
        "(unknown migration 'm999_from_the_future'); upgrade translate"
    )
    assert "translate: error:" in result.stderr and "Traceback" not in result.stderr


@both
def test_the_events_log_is_append_only(desk):
    store = open_desk(desk).store
    sid = make_story(store)
    for sql in ("UPDATE events SET note = 'x'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"):
            with store.write():
                store.db.execute(sql)
    assert [e["action"] for e in store.events(sid)] == ["ingest", "state"]
    store.close()


# ---------------------------------------------------------------- status
@both
def test_store_status(busy_desk, store_backend):
    data = invoke_json("store", "status")
    assert data["backend"] == store_backend
    assert data["schema_version"] == len(migrations.names)
    assert data["latest_migration"] == migrations.names[-1]
    assert data["pending"] == []
    assert data["counts"]["stories"] == 4
    assert data["counts"]["approvals"] == 1
    assert sum(data["stories_by_state"].values()) == 4
    if store_backend == "postgresql":
        assert data["user"] == "postgres" and data["schema"].startswith("t_")
        assert ":" not in urlsplit(data["store"]).netloc.split("@")[0]  # no password shown
    text = ok("store", "status")
    assert store_backend in text and "stories" in text


# ---------------------------------------------------------------- copy
def test_copy_round_trip_sqlite_postgresql_sqlite(busy_desk, pg_url, tmp_path, monkeypatch):
    """SQLite -> PostgreSQL -> SQLite: identical `show --json` for every story, identical log."""
    first = busy_desk / ".translate" / "desk.db"
    before = snapshot(open_store(first))
    result = invoke("store", "copy", first, pg_url)
    assert result.exit_code == 0, result.stderr
    assert "counts and checksums match" in result.stderr
    monkeypatch.setenv("TRANSLATE_DATABASE_URL", pg_url)
    on_pg = snapshot(open_store(pg_url))
    back = tmp_path / "back" / "desk.db"
    assert invoke("store", "copy", pg_url, back).exit_code == 0
    monkeypatch.setenv("TRANSLATE_DATABASE_URL", str(back))
    after = snapshot(open_store(back))
    assert on_pg == before
    assert after == before
    assert len(before["shows"]) == 4 and len(before["events"]) > 10
    # the copy goes on: new rows get fresh ids on PostgreSQL
    monkeypatch.setenv("TRANSLATE_DATABASE_URL", pg_url)
    store = open_store(pg_url)
    sid = make_story(store, title="Третий визит")
    assert sid not in before["shows"]
    assert store.events(sid)[0]["id"] > max(e["id"] for e in before["events"])
    store.close()


@both
def test_copy_from_the_desk_under_test(busy_desk, tmp_path, store_backend, monkeypatch):
    """Whichever backend the desk is on, a copy to a SQLite file reads back the same."""
    import os

    source = os.environ.get("TRANSLATE_DATABASE_URL") or str(busy_desk / ".translate" / "desk.db")
    before = snapshot(open_store(source))
    target = tmp_path / "copy.db"
    data = invoke_json("store", "copy", source, target)
    assert data["tables"]["stories"]["rows"] == 4
    monkeypatch.setenv("TRANSLATE_DATABASE_URL", str(target))
    assert snapshot(open_store(target)) == before


@both
def test_copy_refuses_a_non_empty_target(busy_desk, tmp_path, store_backend, pg_url):
    import os

    source = os.environ.get("TRANSLATE_DATABASE_URL") or str(busy_desk / ".translate" / "desk.db")
    target = tmp_path / "copy.db"
    ok("store", "copy", source, target)
    if store_backend == "sqlite":
        ok("store", "copy", source, pg_url)
    for again, origin in ((target, source), (pg_url, target)):  # both targets hold a desk now
        result = invoke("store", "copy", origin, again)
        assert result.exit_code == 1
        [line] = error_lines(result)
        assert "the target is not empty (table '" in line and "has rows" in line


@pytest.mark.parametrize("to", ["sqlite", "postgresql"])
def test_an_interrupted_copy_leaves_the_target_empty(busy_desk, tmp_path, pg_url, to):
    import os

    from translate.store.admin import copy_store

    source = os.environ.get("TRANSLATE_DATABASE_URL") or str(busy_desk / ".translate" / "desk.db")
    target = str(tmp_path / "copy.db") if to == "sqlite" else pg_url

    def interrupt(table: str, done: int) -> None:
        if table == "versions":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_store(source, target, interrupt)
    if to == "sqlite":
        assert list(tmp_path.glob("*copy*")) == []
    else:
        store = open_store(pg_url)
        assert all(store.db[t].count == 0 for t in ("stories", "units", "segments", "events"))
        store.close()
    data = invoke_json("store", "copy", source, target)  # and a second attempt completes
    assert data["tables"]["segments"]["rows"] > 0


# ---------------------------------------------------------------- team-mode errors
def test_unreachable_server_and_wrong_password_are_one_line_without_the_password(pg_server, desk):
    from pg_server import free_port

    parts = urlsplit(pg_server)
    dead = urlunsplit((parts.scheme, f"ana:s3cret@127.0.0.1:{free_port()}", "/postgres", "", ""))
    wrong = with_user(pg_server, "postgres", "not-the-password")
    for url in (dead, wrong):
        result = invoke("store", "status", url)
        assert result.exit_code == 1
        [line] = error_lines(result)
        assert "s3cret" not in result.stderr and "not-the-password" not in result.stderr
        assert line.startswith(f"translate: error: {parse_location(url).display}: cannot connect")
        assert len(result.stderr.strip().splitlines()) == 1
    assert "password authentication failed" in invoke("store", "status", wrong).stderr


def test_store_init_creates_roles_and_grants(pg_url):
    data = invoke_json("store", "init", pg_url)
    schema = data["schema"]
    assert data["roles"]["translator"] == f"{schema}_translator"
    assert sorted(data["roles_created"]) == sorted(f"{schema}_{r}" for r in data["roles"])
    assert invoke_json("store", "init", pg_url)["roles_created"] == []  # idempotent
    with superuser(pg_url) as conn:
        conn.execute(f"CREATE ROLE {schema}_tina LOGIN PASSWORD 'pw-tina'")
        conn.execute(f"GRANT {schema}_translator TO {schema}_tina")
        conn.execute(f"CREATE ROLE {schema}_nobody LOGIN PASSWORD 'pw-nobody'")
    tina = with_user(pg_url, f"{schema}_tina", "pw-tina")
    store = open_store(tina)
    # her grants let her write the desk (machine versions of a story she does not hold, no)
    sid = make_story(store, translated=False)
    assert store.story(sid)["state"] == 10
    with pytest.raises(Exception, match="append-only|permission denied"):
        with store.write():
            store.db.execute("DELETE FROM events")
    store.close()
    with psycopg.connect(parse_location(tina).conninfo, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'UPDATE "{schema}".events SET note = %s', ["rewritten"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'TRUNCATE "{schema}".events')
    # a pending migration (as after an upgrade of translate) is the admin's to apply
    with superuser(pg_url) as conn:
        conn.execute(
            f'DELETE FROM "{schema}".translate_migrations WHERE name = %s', [migrations.names[-1]]
        )
    result = invoke("store", "status", tina)
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert (
        line.endswith("ask them to run 'translate store init'")
        and "needs 1 migration(s) that only the desk's admin may apply" in line
    )
    nobody = with_user(pg_url, f"{schema}_nobody", "pw-nobody")
    result = invoke("store", "status", nobody)
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert "permission denied" in line and "pw-nobody" not in line
    with superuser(pg_url) as conn:
        for role in ("tina", "nobody"):
            conn.execute(f"DROP OWNED BY {schema}_{role}")
            conn.execute(f"DROP ROLE {schema}_{role}")


def test_a_password_in_workflow_yaml_is_refused(desk):
    path = desk / "workflow.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("store: .translate/desk.db", "store: postgresql://ana:s3cret@db.example/news"),
        encoding="utf-8",
    )
    import os

    os.environ.pop("TRANSLATE_DATABASE_URL", None)
    result = invoke("stories")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert "no password in workflow.yaml" in line and "s3cret" not in line


# ---------------------------------------------------------------- lost connections
def test_a_connection_lost_mid_transaction_rolls_back_and_a_retry_applies_once(
    pg_url, tmp_path, monkeypatch
):
    from translate import review
    from translate.config import load_workflow
    from translate.desk import init_desk

    monkeypatch.setenv("TRANSLATE_DATABASE_URL", pg_url)
    init_desk(tmp_path / "d")
    workflow = load_workflow(tmp_path / "d" / "workflow.yaml")
    store = open_store(workflow.store)
    sid = make_story(store)
    review.claim(store, workflow, sid, "ana")
    seg = store.segment(sid, 2)
    versions_before = len(store.versions(seg["id"]))
    killer = superuser(pg_url)
    with pytest.raises(ConnectionLost) as lost:
        with store.write():
            store.add_version(
                seg["id"], sid, "Lost.", origin="human", state=SegmentState.EDITED, author="ana"
            )
            pid = store.db.execute("SELECT pg_backend_pid()").fetchone()[0]
            killer.execute("SELECT pg_terminate_backend(%s)", [pid])
            store.log("edit", sid, segment_id=seg["id"], user="ana")
    assert lost.value.message == (
        f"{parse_location(pg_url).display}: the connection to the server was lost; the change "
        "was rolled back, run the command again"
    )
    assert len(store.versions(seg["id"])) == versions_before  # rolled back; reconnected
    # the retry (the user's second attempt, through the review library) applies exactly once
    review.edit_segment(store, workflow, sid, 2, "Found.", "ana", seg["version_id"])
    texts = [v["text"] for v in store.versions(seg["id"])]
    assert texts.count("Found.") == 1 and "Lost." not in texts
    assert [e["action"] for e in store.events(sid)].count("edit") == 1
    killer.close()
    store.close()


def test_sqlite_errors_are_still_one_line(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(DeskError, match="not a usable store"):
        open_store(bad)
    assert isinstance(sqlite3.sqlite_version, str)


@both
def test_store_copy_help_and_json(busy_desk, tmp_path):
    import os

    source = os.environ.get("TRANSLATE_DATABASE_URL") or str(busy_desk / ".translate" / "desk.db")
    result = invoke("store", "copy", source, tmp_path / "c.db", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"from", "to", "tables"}
    assert all(len(t["checksum"]) == 64 for t in data["tables"].values())


# ---------------------------------------------------------------- the dialect layer, as text
def test_placeholders_and_ddl_translation():
    from translate.store.dialect import sqlite_ddl_to_pg
    from translate.store.pg import placeholders

    assert placeholders("SELECT user FROM e WHERE a = ? AND b LIKE '%?'") == (
        "SELECT \"user\" FROM e WHERE a = %s AND b LIKE '%%?'"
    )
    assert placeholders("SELECT e.user, current_user FROM e", False) == (
        'SELECT e."user", current_user FROM e'
    )
    assert placeholders("CREATE ROLE user_x LOGIN", False) == "CREATE ROLE user_x LOGIN"
    assert sqlite_ddl_to_pg(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL DEFAULT 'TEXT', "
        "score REAL, user TEXT, raw BLOB)"
    ) == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
        "text TEXT COLLATE \"C\" NOT NULL DEFAULT 'TEXT', score DOUBLE PRECISION, "
        '"user" TEXT COLLATE "C", raw BYTEA)'
    )
    pg_text = 'CREATE TABLE t (id BIGINT, note TEXT COLLATE "C", "user" TEXT COLLATE "C")'
    assert sqlite_ddl_to_pg(pg_text) == pg_text  # PostgreSQL's own words pass unchanged


def test_a_pool_gives_each_thread_its_own_connection(pg_url):
    import threading

    store = open_store(pg_url, pool_size=3)
    sid = make_story(store)
    pids: list[int] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with store.write():
                store.add_comment_row(sid, None, f"user{n}", f"comment {n}")
            pids.append(store.db.execute("SELECT pg_backend_pid()").fetchone()[0])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.db.release_thread()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(c["text"] for c in store.comments(sid)) == [f"comment {n}" for n in range(3)]
    assert len(pids) == 3
    store.close()


@both
def test_sqlite_idioms_in_a_query_work_on_both(tmp_path):
    """`IS ?` (null-safe), `INSERT OR IGNORE` and a bare `user` column mean the same on both."""
    from backends import store_at

    store = open_store(store_at(tmp_path / "desk.db"))
    sid = make_story(store)
    with store.write():
        store.add_comment_row(sid, None, "ana", "on the story")
        seg = store.segment(sid, 1)
        store.add_comment_row(sid, seg["id"], "eve", "on a segment")
        for _ in range(2):
            store.db.execute(
                "INSERT OR IGNORE INTO inbox_files (sha256, path, status, at) VALUES (?, ?, ?, ?)",
                ["abc", "a.md", "ingested", NOW],
            )
    for segment_id, who in ((None, "ana"), (seg["id"], "eve")):
        rows = list(
            store.db.query(
                "SELECT user FROM comments WHERE story_id = ? AND segment_id IS ?",
                [sid, segment_id],
            )
        )
        assert rows == [{"user": who}]
    assert store.db["inbox_files"].count == 1
    store.close()


def test_skip_locked_claims_on_postgresql_never_wait_or_collide(pg_url):
    """Two claimers in plain transactions (desk_lock=False) each lock a different story."""
    a, b = open_store(pg_url), open_store(pg_url)
    ids = [make_story(a, title=f"Визит {n}") for n in range(2)]
    sql = "SELECT id FROM stories ORDER BY seq LIMIT 1" + a.for_update(skip_locked=True)
    with a.write(desk_lock=False):
        first = a.db.execute(sql).fetchone()[0]
        with b.write(desk_lock=False):  # another connection, while a's lock is held
            second = b.db.execute(sql).fetchone()[0]
    assert (first, second) == (ids[0], ids[1])
    assert a.for_update() == " FOR UPDATE"
    a.close()
    b.close()


def test_a_read_after_the_server_dropped_an_idle_connection_reconnects(pg_url):
    store = open_store(pg_url)
    sid = make_story(store)
    pid = store.db.execute("SELECT pg_backend_pid()").fetchone()[0]
    with superuser(pg_url) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert store.story(sid)["id"] == sid  # read again on a fresh connection
    pid = store.db.execute("SELECT pg_backend_pid()").fetchone()[0]
    with superuser(pg_url) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
    with store.write():  # BEGIN on a fresh connection too: nothing had been sent
        store.log("note", sid, user="ana")
    assert store.events(sid)[-1]["action"] == "note"
    store.close()


@both
def test_nested_transactions_roll_back_only_the_inner_part(tmp_path):
    from backends import store_at

    store = open_store(store_at(tmp_path / "desk.db"))
    sid = make_story(store)
    with store.write():
        store.add_comment_row(sid, None, "ana", "kept")
        with pytest.raises(ValueError):
            with store.atomic():
                store.add_comment_row(sid, None, "ana", "dropped")
                raise ValueError
        with store.write():
            store.add_comment_row(sid, None, "ana", "kept too")
    assert [c["text"] for c in store.comments(sid)] == ["kept", "kept too"]
    store.close()


@both
def test_the_stories_listing_is_read_lazily_on_both_backends(desk, store_backend, monkeypatch):
    """`stories --jsonl` walks the listing as it writes it: on PostgreSQL through a server-side
    cursor (the driver would otherwise fetch the whole result first), closed at the end."""
    from translate.store import core

    monkeypatch.setattr(core, "LISTING_BATCH", 2)  # 3 stories: two batches
    d = open_desk(desk)
    ids = [make_story(d.store, title=f"Story {n}") for n in range(3)]

    def cursors() -> list[str]:
        rows = d.store.db.query("SELECT name FROM pg_cursors")  # this session's cursors
        return [r["name"] for r in rows if r["name"].startswith("translate_stream_")]

    rows = d.store.iter_stories()
    first = next(rows)
    if store_backend == "postgresql":
        assert len(cursors()) == 1  # open while the listing is read, beside other queries
    listed = [first, *rows]
    assert [r["id"] for r in listed] == ids
    assert {(r["segments"], r["confirmed"]) for r in listed} == {(6, 0)}
    if store_backend == "postgresql":
        assert cursors() == []
        abandoned = d.store.iter_stories()
        next(abandoned)
        abandoned.close()  # a reader that stops early closes it too
        assert cursors() == []
    assert [r["id"] for r in d.store.iter_stories(limit=1, offset=1)] == ids[1:2]
    page = [json.loads(line)["id"] for line in ok("stories", "--jsonl").splitlines()]
    assert page == ids


@both
def test_add_versions_makes_each_new_version_its_segments_current_one(desk, store_backend):
    """MT stores a story's machine versions in one INSERT … RETURNING and one UPDATE (per 200)."""
    d = open_desk(desk)
    sid = make_story(d.store, translated=False)
    segs = d.store.segments(sid)
    rows = [
        {"segment_id": s["id"], "text": f"EN {n}", "origin": "mt", "engine": "e", "confidence": 0.5}
        for n, s in enumerate(reversed(segs))  # any order: matched back by segment id
    ]
    with d.store.write():
        made = d.store.add_versions(sid, rows, SegmentState.MACHINE)
    assert sorted(made) == sorted(s["id"] for s in segs)
    after = {s["id"]: s for s in d.store.segments(sid)}
    for row in rows:
        seg = after[row["segment_id"]]
        assert (seg["version_id"], seg["translation"], seg["state"]) == (
            made[row["segment_id"]],
            row["text"],
            int(SegmentState.MACHINE),
        )
        assert (seg["engine"], seg["confidence"], seg["origin"]) == ("e", 0.5, "mt")
    with d.store.write():
        assert d.store.add_versions(sid, [], SegmentState.MACHINE) == {}
