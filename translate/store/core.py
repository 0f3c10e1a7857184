"""Stories, units, segments, translation versions and the events log."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlite_utils import Database

from translate.clock import now_iso
from translate.errors import DeskError
from translate.i18n import _
from translate.model import IngestedStory
from translate.store.dialect import Dialect
from translate.store.states import SegmentState, StoryState


def slugify(title: str, max_words: int = 4) -> str:
    """A short readable ASCII slug: Cyrillic romanized with iuliia's `wikipedia` scheme (the base of
    the house scheme, translate/localize/names.py), accents dropped; ё read as е, as most Russian
    text writes it, so a title slugs the same with or without it."""
    text = title.lower().replace("ё", "е")
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        import iuliia

        text = iuliia.WIKIPEDIA.translate(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:max_words]) or "story"


LISTING_BATCH = 500  # stories read (and counted) at a time by iter_stories


class CoreQueries:
    db: Database
    dialect: Dialect

    # ------------------------------------------------------------ transactions & events
    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction (a savepoint when one is open); no desk-wide write lock."""
        with self.db.atomic() as db:
            yield db

    def begin_immediate(self) -> None:
        """Start a serialised write transaction at once (SQLite: BEGIN IMMEDIATE, so racing
        writers queue on the busy timeout; PostgreSQL: BEGIN + the desk's advisory lock)."""
        self.dialect.begin_write(self.db)

    @contextmanager
    def write(self, desk_lock: bool = True) -> Iterator[Database]:
        """A serialised write transaction: read-check-write sequences inside it run one at a time
        per desk, on both backends (nested: a savepoint).

        `desk_lock=False`: on PostgreSQL a plain transaction, for work that locks the rows it
        claims itself (`self.for_update(skip_locked=True)`) so that claimers never wait on each
        other; on SQLite it is the same IMMEDIATE transaction."""
        if self.dialect.in_transaction(self.db):
            with self.db.atomic() as db:
                yield db
            return
        if desk_lock or self.dialect.name == "sqlite":
            self.begin_immediate()
        else:
            self.dialect.begin(self.db)
        try:
            yield self.db
        except BaseException:
            self.dialect.rollback(self.db)
            raise
        else:
            self.dialect.commit(self.db)

    def for_update(self, skip_locked: bool = False) -> str:
        """Suffix for a SELECT that claims rows: '' on SQLite (the IMMEDIATE transaction already
        serialises), ' FOR UPDATE [SKIP LOCKED]' on PostgreSQL."""
        return self.dialect.for_update(skip_locked)

    def log(
        self,
        action: str,
        story_id: str | None = None,
        segment_id: int | None = None,
        user: str | None = None,
        before: Any = None,
        after: Any = None,
        note: str | None = None,
    ) -> None:
        def enc(v: Any) -> str | None:
            if v is None or isinstance(v, str):
                return v
            return json.dumps(v, ensure_ascii=False, sort_keys=True)

        self.db.execute(
            'INSERT INTO events (story_id, segment_id, "user", action, "before", "after", note, at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [story_id, segment_id, user, action, enc(before), enc(after), note, now_iso()],
        )  # plain SQL: sqlite-utils' insert() re-reads the table's schema on every call

    def events(self, story_id: str) -> list[dict]:
        return list(
            self.db.query("SELECT * FROM events WHERE story_id = ? ORDER BY id", [story_id])
        )

    # ------------------------------------------------------------ stories
    def find_duplicate(self, url: str | None, text_hash: str) -> dict | None:
        if url:
            rows = list(
                self.db.query(
                    "SELECT id, title, text_hash FROM stories WHERE url = ? ORDER BY seq LIMIT 1",
                    [url],
                )
            )
            if rows:
                return rows[0]
        rows = list(
            self.db.query(
                "SELECT id, title, text_hash FROM stories WHERE text_hash = ? LIMIT 1", [text_hash]
            )
        )
        return rows[0] if rows else None

    def add_story(self, story: IngestedStory, user: str | None = None, target: str = "en") -> str:
        """Store a story with its units and segments in one transaction; returns its id."""
        with self.write():
            seq = (self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM stories").fetchone())[0]
            story_id = f"{slugify(story.title)}-{seq}"
            now = now_iso()
            self.db["stories"].insert(
                {
                    "id": story_id,
                    "seq": seq,
                    "title": story.title,
                    "dek": story.dek,
                    "author": story.author,
                    "outlet": story.outlet,
                    "url": story.url,
                    "language": story.language,
                    "target_language": target,
                    "published": story.published,
                    "updated": story.updated,
                    "dateline": story.dateline,
                    "rights": story.rights,
                    "source_path": story.source_path,
                    "source_format": story.source_format,
                    "source_encoding": story.source_encoding,
                    "source_sha256": story.source_sha256,
                    "text_hash": story.text_hash,
                    "state": int(StoryState.INGESTED),
                    "priority": int(story.priority or 0),
                    "deadline": story.deadline,
                    "extra": json.dumps(story.extra, ensure_ascii=False, default=str),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            number = 0
            for position, unit in enumerate(story.units, 1):
                unit_id = (
                    self.db["units"]
                    .insert(
                        {
                            "story_id": story_id,
                            "position": position,
                            "kind": unit.kind,
                            "text": unit.text,
                        }
                    )
                    .last_pk
                )
                rows = []
                for i, sentence in enumerate(unit.sentences, 1):
                    number += 1
                    rows.append(
                        {
                            "story_id": story_id,
                            "unit_id": unit_id,
                            "number": number,
                            "position_in_unit": i,
                            "source": sentence.text,
                            "ws": sentence.ws,
                            "state": int(SegmentState.UNTRANSLATED),
                        }
                    )
                self.db["segments"].insert_all(rows)
            self.log(
                "ingest",
                story_id,
                user=user,
                after={"segments": number, "source": story.source_path}
                | {k: v for k, v in story.extra.items() if k.startswith("cleaned_")},
            )
        return story_id

    def story(self, story_id: str) -> dict:
        rows = list(self.db.query("SELECT * FROM stories WHERE id = ?", [story_id]))
        if not rows:
            hint = list(
                self.db.query(
                    "SELECT id FROM stories WHERE id LIKE ? ORDER BY seq LIMIT 3", [f"%{story_id}%"]
                )
            )
            msg = _("no story '{id}'").format(id=story_id)
            if hint:
                msg += "; " + _("did you mean {ids}?").format(ids=", ".join(r["id"] for r in hint))
            raise DeskError(msg)
        row = rows[0]
        row["extra"] = json.loads(row["extra"] or "{}")
        return row

    def stories(self, state: StoryState | None = None, language: str | None = None) -> list[dict]:
        return list(self.iter_stories(state, language))

    def iter_stories(
        self,
        state: StoryState | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[dict]:
        """Stories in ingest order, each with its segment and confirmed counts, read lazily (on
        PostgreSQL through a server-side cursor): the counts come from one query per 500 stories
        (the segments_story_state index), so memory stays flat at any desk size."""
        where, params = [], []
        if state is not None:
            where.append("s.state = ?")
            params.append(int(state))
        if language:
            where.append("s.language = ?")
            params.append(language)
        sql = (
            "SELECT s.id, s.title, s.language, s.target_language, s.state, s.outlet, s.claimed_by, "
            "s.claim_until, s.priority, s.deadline, s.created_at, s.rejected, s.revision "
            "FROM stories s"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY s.seq"
        if limit is not None or offset:
            # LIMIT/OFFSET as both dialects read them (a huge limit stands for "no limit")
            sql += " LIMIT ? OFFSET ?"
            params += [limit if limit is not None else 2**62, max(0, offset)]
        # lazy on SQLite; on PostgreSQL through a server-side cursor, a batch at a time
        stream = getattr(self.db, "stream", None)
        rows = stream(sql, params, LISTING_BATCH) if stream else self.db.query(sql, params)
        while batch := list(islice(rows, LISTING_BATCH)):
            counts = self.segment_counts(r["id"] for r in batch)
            for r in batch:
                r["segments"], r["confirmed"] = counts.get(r["id"], (0, 0))
                yield r

    def status_counts(self) -> dict[int, int]:
        return {
            r["state"]: r["n"]
            for r in self.db.query("SELECT state, COUNT(*) AS n FROM stories GROUP BY state")
        }

    def set_story_state(
        self,
        story_id: str,
        state: StoryState,
        user: str | None = None,
        note: str | None = None,
        **fields: Any,
    ) -> None:
        """Move a story on the ladder and log it (call inside a transaction with the change)."""
        before = self.story(story_id)["state"]
        values = {"state": int(state), "updated_at": now_iso(), **fields}
        self.db.execute(
            f"UPDATE stories SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            [*values.values(), story_id],
        )  # plain SQL (both backends): sqlite-utils' update() re-reads the schema each call
        if before != int(state):
            self.log(
                "state",
                story_id,
                user=user,
                before=StoryState(before).label,
                after=state.label,
                note=note,
            )

    # ------------------------------------------------------------ units, segments, versions
    def units(self, story_id: str) -> list[dict]:
        return list(
            self.db.query(
                "SELECT * FROM units WHERE story_id = ? AND retired_rev IS NULL ORDER BY position",
                [story_id],
            )
        )

    def segments(self, story_id: str) -> list[dict]:
        """Segments in order, each with its unit kind and current translation (or None)."""
        return list(
            self.db.query(
                "SELECT g.*, u.kind AS unit_kind, u.position AS unit_position, "
                "v.text AS translation, v.origin, v.engine, v.model, v.model_version, v.author, "
                "v.confidence, v.rule, v.created_at AS translated_at "
                "FROM segments g JOIN units u ON u.id = g.unit_id "
                "LEFT JOIN versions v ON v.id = g.version_id "
                "WHERE g.story_id = ? AND g.retired_rev IS NULL ORDER BY g.number",
                [story_id],
            )
        )

    def segment(self, story_id: str, number: int) -> dict:
        rows = list(
            self.db.query(
                "SELECT g.*, u.kind AS unit_kind, v.text AS translation, v.origin "
                "FROM segments g JOIN units u ON u.id = g.unit_id "
                "LEFT JOIN versions v ON v.id = g.version_id "
                "WHERE g.story_id = ? AND g.number = ?",
                [story_id, number],
            )
        )
        if not rows:
            raise DeskError(_("story '{id}' has no segment {n}").format(id=story_id, n=number))
        return rows[0]

    def versions(self, segment_id: int) -> list[dict]:
        return list(
            self.db.query("SELECT * FROM versions WHERE segment_id = ? ORDER BY id", [segment_id])
        )

    def add_version(
        self,
        segment_id: int,
        story_id: str,
        text: str,
        origin: str,
        state: SegmentState,
        engine: str | None = None,
        model: str | None = None,
        model_version: str | None = None,
        score: float | None = None,
        author: str | None = None,
        base_version_id: int | None = None,
        confidence: float | None = None,
        rule: str | None = None,
        detail: Any = None,
    ) -> int:
        """Append a translation version and make it the segment's current one (never overwrites).

        `confidence`: the engine's 0..1 trust in a machine version; `rule` and `detail` (stored as
        JSON): the localize rule that made a version of origin 'localize' and what it changed."""
        row = {
            "segment_id": segment_id, "text": text, "origin": origin, "engine": engine,
            "model": model, "model_version": model_version, "score": score, "author": author,
            "base_version_id": base_version_id, "confidence": confidence, "rule": rule,
            "detail": detail,
        }  # fmt: skip
        return self.add_versions(story_id, [row], state)[segment_id]

    _VERSION_COLUMNS = (
        "segment_id", "story_id", "text", "origin", "engine", "model", "model_version", "score",
        "author", "base_version_id", "confidence", "rule", "detail", "created_at",
    )  # fmt: skip

    def add_versions(self, story_id: str, rows: list[dict], state: SegmentState) -> dict[int, int]:
        """add_version for many segments of one story, one new version each (`rows`: dicts with
        segment_id, text, origin and add_version's optional fields), made current in `state`:
        {segment_id: version id}. Two statements per 200 versions, not two per version (on
        PostgreSQL each is a round trip to the server)."""
        out: dict[int, int] = {}
        at = now_iso()
        columns = ", ".join(self._VERSION_COLUMNS)
        one = "(" + ", ".join("?" for _ in self._VERSION_COLUMNS) + ")"
        for i in range(0, len(rows), 200):
            chunk = rows[i : i + 200]
            values: list[Any] = []
            for r in chunk:
                detail = r.get("detail")
                values += [
                    r["segment_id"], story_id, r["text"], r["origin"], r.get("engine"),
                    r.get("model"), r.get("model_version"), r.get("score"), r.get("author"),
                    r.get("base_version_id"), r.get("confidence"), r.get("rule"),
                    None if detail is None else json.dumps(detail, ensure_ascii=False), at,
                ]  # fmt: skip
            got = self.db.execute(
                f"INSERT INTO versions ({columns}) VALUES {', '.join(one for _ in chunk)} "
                "RETURNING id, segment_id",
                values,
            ).fetchall()
            made = {segment_id: version_id for version_id, segment_id in got}
            out.update(made)
            self.db.execute(
                "UPDATE segments SET version_id = CASE id "
                + " ".join("WHEN ? THEN ?" for _ in made)
                + f" END, state = ? WHERE id IN ({', '.join('?' for _ in made)})",
                [*(x for pair in made.items() for x in pair), int(state), *made],
            )
        return out

    def version_chain(self, segment_id: int) -> list[dict]:
        """The segment's current version and those it was based on, newest first."""
        by_id = {v["id"]: v for v in self.versions(segment_id)}
        seg = self.db.execute(
            "SELECT version_id FROM segments WHERE id = ?", [segment_id]
        ).fetchone()
        chain, current = [], seg[0] if seg else None
        while current is not None and current in by_id and len(chain) <= len(by_id):
            chain.append(by_id[current])
            current = by_id[current]["base_version_id"]
        return chain

    def localized_changes(self, story_id: str) -> dict[int, list[dict]]:
        """Per segment id, the house-style changes (localize versions) since its last machine
        draft, oldest first: version, rule, and the text the rule replaced and wrote."""
        rows = self.db.query(
            "SELECT v.id, v.segment_id, v.rule, v.detail FROM versions v "
            "WHERE v.story_id = ? AND v.origin = 'localize' AND v.id > (SELECT MAX(m.id) "
            "FROM versions m WHERE m.segment_id = v.segment_id AND m.origin IN ('mt', 'tm')) "
            "ORDER BY v.id",
            [story_id],
        )
        out: dict[int, list[dict]] = {}
        for row in rows:
            detail = json.loads(row["detail"] or "{}")
            out.setdefault(row["segment_id"], []).append(
                {
                    "version": row["id"],
                    "rule": row["rule"],
                    "before": detail.get("old"),
                    "after": detail.get("new"),
                }
            )
        return out

    def pending_segments(
        self, story_ids: Iterable[str] | None = None, force: bool = False
    ) -> list[dict]:
        """Segments MT may (re)translate: no translation yet, or an untouched machine draft.

        A localized machine draft (origin 'localize', still untouched) counts as a machine draft.
        Human and TM versions and edited/confirmed segments are never returned, with or without
        `force` (the MT stage decides which machine drafts to redo: --force or a changed model).
        """
        sql = (
            "SELECT g.id, g.story_id, g.number, g.source, g.state, g.version_id, "
            "s.language, s.target_language, s.state AS story_state, "
            "v.engine, v.model, v.model_version, v.origin "
            "FROM segments g JOIN stories s ON s.id = g.story_id "
            "LEFT JOIN versions v ON v.id = g.version_id WHERE g.retired_rev IS NULL"
        )
        params: list[Any] = []
        ids = list(story_ids or [])
        if ids:
            sql += f" AND g.story_id IN ({','.join('?' * len(ids))})"
            params += ids
        sql += " AND (g.version_id IS NULL OR (v.origin IN ('mt', 'localize') AND g.state = ?))"
        params.append(int(SegmentState.MACHINE))
        return list(self.db.query(sql + " ORDER BY s.seq, g.number", params))

    def integrity_ok(self) -> bool:
        return self.dialect.integrity_ok(self.db)
