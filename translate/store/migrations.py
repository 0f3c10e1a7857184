"""Schema as recorded migrations, applied when the store opens: ONE list for SQLite and PostgreSQL.

Never edit a migration that has shipped: add a new one at the end, as a decorated function that calls
`db.execute(...)` with plain SQLite DDL (CREATE TABLE/INDEX, ALTER TABLE ADD COLUMN): on PostgreSQL
the same text is translated (identity ids, DOUBLE PRECISION, "C" collation, a quoted `user`; see
translate/store/migrate.py). Where the dialects really differ, branch on `dialect_of(db)`.
"""

from __future__ import annotations

import re
from typing import Any

from translate.store.migrate import Migrations, dialect_of

Database = Any  # what a migration receives: sqlite-utils' Database, or the PostgreSQL one

migrations = Migrations("translate")


# The events log is append-only on both backends: SQLite triggers abort, PostgreSQL's raise.
_EVENTS_APPEND_ONLY = {
    "sqlite": """
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the events log is append-only'); END;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the events log is append-only'); END;
        """,
    "postgresql": """
        CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the events log is append-only' USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER events_append_only_update BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION events_append_only();
        CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
        """,
}


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            title TEXT NOT NULL,
            dek TEXT, author TEXT, outlet TEXT, url TEXT,
            language TEXT NOT NULL,
            target_language TEXT NOT NULL DEFAULT 'en',
            published TEXT, updated TEXT, dateline TEXT, rights TEXT,
            source_path TEXT, source_format TEXT, source_encoding TEXT, source_sha256 TEXT,
            text_hash TEXT NOT NULL,
            state INTEGER NOT NULL DEFAULT 10,
            rejected INTEGER NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 0,
            deadline TEXT,
            claimed_by TEXT, claim_until TEXT,
            untranslated_reason TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_url ON stories(url);
        CREATE INDEX stories_text_hash ON stories(text_hash);
        CREATE INDEX stories_state ON stories(state);

        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (story_id, position)
        );

        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            number INTEGER NOT NULL,
            position_in_unit INTEGER NOT NULL,
            source TEXT NOT NULL,
            ws TEXT NOT NULL DEFAULT '',
            state INTEGER NOT NULL DEFAULT 0,
            version_id INTEGER,
            UNIQUE (story_id, number)
        );
        CREATE INDEX segments_unit ON segments(unit_id);

        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            story_id TEXT NOT NULL REFERENCES stories(id),
            text TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('mt', 'tm', 'human')),
            engine TEXT, model TEXT, model_version TEXT, score REAL,
            author TEXT,
            base_version_id INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX versions_segment ON versions(segment_id);
        CREATE INDEX versions_story ON versions(story_id);

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            story_id TEXT,
            segment_id INTEGER,
            user TEXT,
            action TEXT NOT NULL,
            before TEXT, after TEXT, note TEXT,
            at TEXT NOT NULL
        );
        CREATE INDEX events_story ON events(story_id);

        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            segment_id INTEGER REFERENCES segments(id),
            version_id INTEGER,
            code TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('blocking', 'warning')),
            span_start INTEGER, span_end INTEGER,
            message TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'overridden')),
            override_reason TEXT, override_by TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX findings_story ON findings(story_id);
        CREATE INDEX findings_segment ON findings(segment_id);

        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            segment_id INTEGER REFERENCES segments(id),
            user TEXT NOT NULL,
            text TEXT NOT NULL,
            at TEXT NOT NULL
        );

        CREATE TABLE approvals (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            user TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL,
            withdrawn_at TEXT
        );

        CREATE TABLE tm (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            source_norm TEXT NOT NULL,
            target TEXT NOT NULL,
            story_id TEXT, segment_id INTEGER,
            at TEXT NOT NULL
        );
        CREATE INDEX tm_lookup ON tm(source_lang, target_lang, source_norm);

        CREATE TABLE publications (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            version INTEGER NOT NULL,
            digest TEXT NOT NULL,
            files TEXT NOT NULL DEFAULT '[]',
            corrections TEXT,
            at TEXT NOT NULL,
            UNIQUE (story_id, version)
        );

        CREATE TABLE inbox_files (
            sha256 TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            status TEXT NOT NULL,
            story_id TEXT,
            error TEXT,
            at TEXT NOT NULL
        );
        """
        + _EVENTS_APPEND_ONLY[dialect_of(db)]
    )


@migrations(name="m_publications_document")
def m_publications_document(db: Database) -> None:
    """The published document itself (JSON), so a correction can be diffed and a version
    re-rendered exactly; the files of a version are never rewritten from newer text."""
    db.execute("ALTER TABLE publications ADD COLUMN document TEXT")


@migrations(name="m_tm_story_index")
def m_tm_story_index(db: Database) -> None:
    """Re-approving a story replaces its translation-memory entries: find them by story."""
    db.execute("CREATE INDEX IF NOT EXISTS tm_story ON tm(story_id)")


@migrations(name="m_revisions")
def m_revisions(db: Database) -> None:
    """Source revisions of a story: the current revision on the story, the revision each segment's
    source entered with, the revision a unit or segment left the story (NULL: current), and one row
    per revision with its snapshot (source and English in reading order) for `translate diff`."""
    db.execute("ALTER TABLE stories ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
    db.execute("ALTER TABLE stories ADD COLUMN correction_note TEXT")
    db.execute("ALTER TABLE units ADD COLUMN retired_rev INTEGER")
    db.execute("ALTER TABLE segments ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
    db.execute("ALTER TABLE segments ADD COLUMN retired_rev INTEGER")
    db.execute(
        """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            number INTEGER NOT NULL,
            text_hash TEXT NOT NULL,
            source_path TEXT, source_sha256 TEXT,
            author TEXT,
            summary TEXT NOT NULL DEFAULT '{}',
            snapshot TEXT,
            at TEXT NOT NULL,
            UNIQUE (story_id, number)
        )
        """
    )


@migrations(name="m_batch_runs_and_mt_jobs")
def m_batch_runs_and_mt_jobs(db: Database) -> None:
    """Batch workers: a run (all workers of one night share it) and one MT job per story, taken
    under a lease that a heartbeat renews; a job whose lease ran out is taken over."""
    db.execute(
        "CREATE TABLE batch_runs ("
        " id TEXT PRIMARY KEY,"
        " started_at TEXT NOT NULL,"
        " seen_at TEXT NOT NULL,"
        " ingest_until TEXT)"
    )
    db.execute(
        "CREATE TABLE mt_jobs ("
        " story_id TEXT PRIMARY KEY REFERENCES stories(id),"
        " run_id TEXT NOT NULL,"
        " worker TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " lease_until TEXT NOT NULL,"
        " taken_at TEXT NOT NULL,"
        " finished_at TEXT,"
        " attempts INTEGER NOT NULL DEFAULT 1,"
        " result TEXT)"
    )
    db.execute("CREATE INDEX mt_jobs_run ON mt_jobs(run_id)")


@migrations(name="m_team_members_and_rules")
def m_team_members_and_rules(db: Database) -> None:
    """The team of a PostgreSQL desk lives in the database (name, role, pairs as a JSON list; a
    SQLite desk keeps it in workflow.yaml and leaves this table empty). On PostgreSQL the team rules
    the server enforces: triggers with SECURITY DEFINER functions (translate/store/rules_pg.py)."""
    db.execute(
        "CREATE TABLE team_members ("
        " name TEXT NOT NULL,"
        " role TEXT NOT NULL,"
        " pairs TEXT NOT NULL DEFAULT '[]',"
        " added_by TEXT,"
        " at TEXT NOT NULL,"
        " PRIMARY KEY (name, role))"
    )
    if dialect_of(db) == "postgresql":
        from translate.store.rules_pg import team_rules_sql

        schema = db.execute("SELECT current_schema()").fetchone()[0]
        db.executescript(team_rules_sql(schema))


@migrations(name="m_passwords")
def m_passwords(db: Database) -> None:
    """Local passwords for the web front on a SQLite desk (`translate team passwd`): an argon2id
    hash per user, never the password."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS passwords ("
        "name TEXT PRIMARY KEY, hash TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )


@migrations(name="m_versions_localize")
def m_versions_localize(db: Database) -> None:
    """Versions written by the localize stage (origin 'localize', with the `rule` that made the
    change and its `detail`: offset, old and new text as JSON) and each machine version's
    `confidence` (0..1).

    Adding the columns is plain ALTER TABLE ADD COLUMN. Relaxing the CHECK on origin is not
    portable: SQLite cannot alter a constraint, so the table is rebuilt from its own recorded
    definition with only the CHECK changed (every column, row id, index and trigger kept, whatever
    earlier migrations added). PostgreSQL does the same with
    `ALTER TABLE versions DROP CONSTRAINT versions_origin_check, ADD CONSTRAINT versions_origin_check
    CHECK (origin IN ('mt', 'tm', 'human', 'localize'))`.
    """
    db.execute("ALTER TABLE versions ADD COLUMN confidence REAL")
    db.execute("ALTER TABLE versions ADD COLUMN rule TEXT")
    db.execute("ALTER TABLE versions ADD COLUMN detail TEXT")  # JSON: what the rule changed
    origins = "CHECK (origin IN ('mt', 'tm', 'human', 'localize'))"
    if dialect_of(db) == "postgresql":  # the column's CHECK is named versions_origin_check there
        db.execute("ALTER TABLE versions DROP CONSTRAINT IF EXISTS versions_origin_check")
        db.execute(f"ALTER TABLE versions ADD CONSTRAINT versions_origin_check {origins}")
        return
    conn = db.conn
    table_sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'versions'"
    ).fetchone()[0]
    relaxed = re.sub(r"CHECK\s*\(\s*origin\s+IN\s*\([^)]*\)\s*\)", origins, table_sql, count=1)
    if relaxed == table_sql:
        return  # no CHECK on origin: nothing to relax
    extras = [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'versions' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        )
    ]
    rebuilt = re.sub(r"^\s*CREATE TABLE\s+\"?versions\"?", "CREATE TABLE versions_rebuilt", relaxed)
    conn.execute(rebuilt)
    conn.execute("INSERT INTO versions_rebuilt SELECT * FROM versions")
    conn.execute("DROP TABLE versions")
    conn.execute("ALTER TABLE versions_rebuilt RENAME TO versions")
    for sql in extras:
        conn.execute(sql)


@migrations(name="m_queue_indexes")
def m_queue_indexes(db: Database) -> None:
    """Every query behind queue, stories, status, show, log, claim and submit/approve uses an
    index (tests/test_query_plans.py checks the plans):

    - stories_queue: the queue walks one state and pair in queue order (deadline, priority, age),
      reading the claim and id from the index itself, so a page costs what it shows and the count
      of what waits reads the index alone;
    - stories_claims: a user's own claims, in queue order;
    - stories_state_seq: `stories --state X` in order (replaces stories_state, its prefix);
    - approvals_story: the approvals of a story (the editor's queue, approve, reject), with who
      and whether withdrawn, so "not approved by me" is read from the index;
    - segments_story_live: segment and confirmed counts per story (retired segments left out)
      from the index alone;
    - comments_story: the comments of a story."""
    for sql in (
        "CREATE INDEX IF NOT EXISTS stories_queue ON stories(state, language, target_language, "
        "deadline, priority DESC, created_at, seq, claimed_by, claim_until, id)",
        "CREATE INDEX IF NOT EXISTS stories_claims ON stories(claimed_by, state, deadline, "
        "priority DESC, created_at, seq)",
        "CREATE INDEX IF NOT EXISTS stories_state_seq ON stories(state, seq)",
        "DROP INDEX IF EXISTS stories_state",
        "CREATE INDEX IF NOT EXISTS approvals_story ON approvals(story_id, user, withdrawn_at)",
        "CREATE INDEX IF NOT EXISTS segments_story_live ON segments(story_id, retired_rev, state)",
        "CREATE INDEX IF NOT EXISTS comments_story ON comments(story_id)",
    ):
        db.execute(sql)


@migrations(name="m_schedule_backfill")
def m_schedule_backfill(db: Database) -> None:
    """Priority and deadline were kept only in a story's `extra` JSON: copy them into the columns
    the queue sorts by. Parsed in Python (no dialect's JSON functions); a bare-date deadline ends
    that day in UTC (the store does not know the desk's time zone); a value that does not parse is
    left in `extra` alone, and a column already set is kept."""
    import json

    from translate.deadlines import ScheduleError, parse_deadline, parse_priority

    rows = db.execute(
        "SELECT id, extra, priority, deadline FROM stories WHERE extra LIKE ? OR extra LIKE ?",
        ['%"priority"%', '%"deadline"%'],
    ).fetchall()
    for story_id, extra, priority, deadline in rows:
        try:
            data = json.loads(extra or "{}")
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        new_priority, new_deadline = priority, deadline
        if not priority and data.get("priority") is not None:
            try:
                new_priority = parse_priority(data["priority"])
            except ScheduleError:
                pass
        if not deadline and data.get("deadline"):
            value = data["deadline"]
            try:
                new_deadline = parse_deadline(value)
            except ScheduleError:
                # stored with str(): '2012-10-16 18:00:00' from a YAML time without a zone
                try:
                    new_deadline = parse_deadline(f"{value}+00:00")
                except ScheduleError:
                    pass
        if (new_priority, new_deadline) != (priority, deadline):
            db.execute(
                "UPDATE stories SET priority = ?, deadline = ? WHERE id = ?",
                [new_priority, new_deadline, story_id],
            )


@migrations(name="m_team_rules_claims")
def m_team_rules_claims(db: Database) -> None:
    """On PostgreSQL the server also enforces claims and language pairs for translators
    (translate/store/rules_pg.py `claim_rules_sql`); nothing on SQLite."""
    if dialect_of(db) == "postgresql":
        from translate.store.rules_pg import claim_rules_sql

        schema = db.execute("SELECT current_schema()").fetchone()[0]
        db.executescript(claim_rules_sql(schema))
