"""Every query behind the commands people run all day uses an index.

The commands run through the real entry point while a trace hook (sqlite3's set_trace_callback, on
every connection the store opens) records each statement as SQLite ran it, parameters inlined.
Each SELECT, UPDATE and DELETE is then explained (EXPLAIN QUERY PLAN) on the same store, and:

- no statement may read a table that grows with the desk in full without an index ("SCAN t");
- only the two whole-desk readers may walk a whole index ("SCAN t USING ... INDEX"): `status`
  counting stories per state, and the `stories` listing itself (which prints every story, in
  order, unless --limit stops it). Everything else must SEARCH.

SQLite plans without statistics here (no ANALYZE), assuming large tables, so the plans of this
small desk are those of a large one.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from cli_helpers import invoke
from review_support import NOW, make_story, open_desk

from translate import review

GROWING = {
    "stories",
    "units",
    "segments",
    "versions",
    "events",
    "findings",
    "comments",
    "approvals",
    "tm",
    "publications",
    "inbox_files",
}
# statements allowed to walk a whole index (see the module docstring)
WHOLE_DESK = (
    re.compile(r"^SELECT state, COUNT\(\*\) AS n FROM stories GROUP BY state$"),
    re.compile(
        r"^SELECT s\.id, s\.title, .* FROM stories s ORDER BY s\.seq( LIMIT \d+ OFFSET \d+)?$"
    ),
)
_FROM = re.compile(
    r"\b(?:FROM|JOIN|UPDATE)\s+[\"\[]?(\w+)[\"\]]?(?:\s+(?:AS\s+)?(\w+))?", re.IGNORECASE
)
_KEYWORDS = {"where", "on", "join", "left", "inner", "order", "group", "limit", "set", "using"}


@pytest.fixture
def traced(monkeypatch):
    """Record every statement run on any SQLite connection opened during the test."""
    statements: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return statements


def _tables(sql: str) -> dict[str, str]:
    """alias (or name) -> table, for the tables a statement names."""
    found = {}
    for table, alias in _FROM.findall(sql):
        found[table] = table
        if alias and alias.lower() not in _KEYWORDS:
            found[alias] = table
    return found


def _explain(db_path, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, plan line) for every full scan of a growing table."""
    bad = []
    conn = sqlite3.connect(str(db_path))
    try:
        seen = set()
        for sql in statements:
            text = " ".join(sql.split())
            head = text.split(" ", 1)[0].upper()
            if head not in ("SELECT", "UPDATE", "DELETE") or text in seen:
                continue
            seen.add(text)
            names = _tables(text)
            if not set(names.values()) & GROWING:
                continue
            for row in conn.execute("EXPLAIN QUERY PLAN " + text):
                detail = row[-1]
                m = re.match(r"SCAN (\w+)( USING (COVERING )?INDEX \w+)?", detail)
                if not m or names.get(m.group(1)) not in GROWING:
                    continue
                if m.group(2) and any(p.match(text) for p in WHOLE_DESK):
                    continue
                bad.append((text, detail))
    finally:
        conn.close()
    return bad


def run(*args: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, (args, result.stderr)


def test_every_query_of_the_daily_commands_uses_an_index(desk, monkeypatch, traced):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = open_desk(desk)
    store, workflow = d.store, d.workflow
    stories = [make_story(store, title=f"История {n}") for n in range(6)]
    waiting, reviewed, done = stories[:3]
    for sid in (reviewed, done):
        review.claim(store, workflow, sid, "ana")
        review.confirm_all(store, workflow, sid, "ana")
        review.submit(store, workflow, sid, "ana")
    review.approve(store, workflow, done, "eve")
    review.add_comment(store, waiting, 2, "check this", "ana")
    seg = store.segments(waiting)[0]
    store.replace_findings(
        waiting,
        seg["id"],
        seg["version_id"],
        [{"code": "mt.low_confidence", "severity": "warning", "message": "doubtful"}],
    )
    store.close()
    traced.clear()

    run("--user", "ana", "queue")
    run("--user", "ana", "queue", "--json", "--all")
    run("--user", "eve", "queue")
    run("--user", "olga", "queue", "--json")
    run("stories")
    run("stories", "--jsonl")
    run("stories", "--json", "--limit", "2", "--offset", "1")
    run("stories", "--state", "translated", "--lang", "ru")
    run("status")
    run("show", waiting)
    run("show", done, "--json")
    run("log", waiting)
    run("--user", "eve", "prioritize", waiting, "--priority", "3", "--deadline", "2012-10-16")
    run("--user", "ana", "claim", waiting)
    run("--user", "ana", "edit", waiting, "3", "--text", "A new text.")
    run("--user", "ana", "confirm", waiting, "--all")
    run("--user", "ana", "submit", waiting)
    run("--user", "eve", "approve", waiting)
    run("--user", "eve", "reject", reviewed, "--note", "again")
    assert len(traced) > 100  # the hook saw the commands' statements
    db = desk / ".translate" / "desk.db"
    assert _explain(db, traced) == []


def test_the_check_catches_a_full_scan(desk, traced):
    """The check itself can fail: a query with no usable index is reported."""
    d = open_desk(desk)
    d.store.db.execute("SELECT * FROM events WHERE note = 'x'").fetchall()
    d.store.db.execute("SELECT COUNT(*) FROM segments WHERE source = 'x'").fetchall()
    d.store.db.execute('update "versions" set "text" = 1 where "author" = ?', ["x"])
    d.store.close()
    bad = _explain(desk / ".translate" / "desk.db", traced)
    assert [detail for _sql, detail in bad] == ["SCAN events", "SCAN segments", "SCAN versions"]
