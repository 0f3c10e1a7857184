"""Queries for the review workflow: claims, queues, approvals, comments, segment states, the log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlite_utils import Database

from translate.clock import now_iso
from translate.store.states import SegmentState, StoryState

# what a queue row carries (all but title read from the stories_queue index)
QUEUE_COLUMNS = (
    "s.id, s.seq, s.title, s.language, s.target_language, s.state, s.claimed_by, "
    "s.claim_until, s.priority, s.deadline, s.rejected, s.created_at"
)
CHUNK = 500


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    it = iter(ids)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def queue_key(row: dict) -> tuple:
    """The order queue_stream gives: deadline (soonest, so overdue first; none last), then
    priority (highest first), then age (oldest first)."""
    deadline = row["deadline"]
    return (
        deadline is None,
        deadline or "",
        -(row["priority"] or 0),
        row["created_at"],
        row["seq"],
    )


class ReviewQueries:
    db: Database

    # ------------------------------------------------------------ claims and queues
    def set_claim(self, story_id: str, user: str | None, until: str | None) -> None:
        self.db["stories"].update(
            story_id, {"claimed_by": user, "claim_until": until, "updated_at": now_iso()}
        )

    def queue_pairs(self, state: StoryState) -> list[str]:
        """The pairs ('ru-en') that stories in `state` have (read from the stories_queue index)."""
        return [
            f"{r[0]}-{r[1]}"
            for r in self.db.execute(
                "SELECT DISTINCT language, target_language FROM stories WHERE state = ?",
                [int(state)],
            )
        ]

    def _queue_where(
        self,
        state: StoryState,
        pair: str | None,
        held_by: str | None,
        free_for: str | None,
        now: str | None,
        not_approved_by: str | None,
    ) -> tuple[str, list[Any]]:
        where, params = ["s.state = ?"], [int(state)]
        if pair is not None:
            source, target = pair.split("-", 1)
            where.append("s.language = ? AND s.target_language = ?")
            params += [source, target]
        if held_by is not None:
            where.append("s.claimed_by = ?")
            params.append(held_by)
        if free_for is not None:
            # nobody holds it, or someone else's lease has run out (the user's own claims are
            # listed apart, first)
            where.append(
                "(s.claimed_by IS NULL OR (s.claimed_by <> ? "
                "AND (s.claim_until IS NULL OR s.claim_until <= ?)))"
            )
            params += [free_for, now]
        if not_approved_by is not None:
            where.append(
                "NOT EXISTS (SELECT 1 FROM approvals a WHERE a.story_id = s.id "
                'AND a."user" = ? AND a.withdrawn_at IS NULL)'
            )
            params.append(not_approved_by)
        return " AND ".join(where), params

    def queue_stream(
        self,
        state: StoryState,
        pair: str | None = None,
        held_by: str | None = None,
        free_for: str | None = None,
        now: str | None = None,
        not_approved_by: str | None = None,
        limit: int | None = None,
    ) -> Iterator[dict]:
        """Stories in `state` in queue order (`queue_key`), read lazily: of one `pair` ('ru-en';
        None: any), claimed by `held_by`, or with `free_for` neither held by that user nor by
        anyone else's lease still running at `now` (UTC ISO), with `not_approved_by` not approved
        by that editor; at most `limit` (None: all). Walks the stories_queue index (with a pair)
        or stories_claims (with `held_by`), so taking the first N costs about N rows, not the
        desk; LIMIT keeps it so where a driver fetches a whole result at once."""
        where, params = self._queue_where(state, pair, held_by, free_for, now, not_approved_by)
        base = f"SELECT {QUEUE_COLUMNS} FROM stories s WHERE {where}"
        tail, extra = ("", []) if limit is None else (" LIMIT ?", [int(limit)])
        given = 0
        for row in self.db.query(
            f"{base} AND s.deadline IS NOT NULL "
            f"ORDER BY s.deadline, s.priority DESC, s.created_at, s.seq{tail}",
            params + extra,
        ):
            given += 1
            yield row
        if limit is not None:
            if given >= limit:
                return
            extra = [int(limit) - given]
        yield from self.db.query(
            f"{base} AND s.deadline IS NULL ORDER BY s.priority DESC, s.created_at, s.seq{tail}",
            params + extra,
        )

    def queue_count(
        self,
        state: StoryState,
        pair: str | None = None,
        held_by: str | None = None,
        free_for: str | None = None,
        now: str | None = None,
        not_approved_by: str | None = None,
    ) -> int:
        """How many stories `queue_stream` would give (read from an index alone)."""
        where, params = self._queue_where(state, pair, held_by, free_for, now, not_approved_by)
        return int(
            self.db.execute(f"SELECT COUNT(*) FROM stories s WHERE {where}", params).fetchone()[0]
        )

    def segment_counts(self, story_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
        """story id -> (segments, confirmed segments) of the current revision (retired segments
        left out), one query per 500 stories, from the segments_story_live index alone."""
        found: dict[str, tuple[int, int]] = {}
        for chunk in _chunks(story_ids):
            for row in self.db.execute(
                "SELECT story_id, COUNT(*), "
                "SUM(CASE WHEN state >= ? THEN 1 ELSE 0 END) FROM segments "
                f"WHERE story_id IN ({','.join('?' * len(chunk))}) AND retired_rev IS NULL "
                "GROUP BY story_id",
                [int(SegmentState.CONFIRMED), *chunk],
            ):
                found[row[0]] = (int(row[1]), int(row[2] or 0))
        return found

    def segments_with_open_finding(self, story_ids: Iterable[str], code: str) -> dict[str, int]:
        """story id -> how many of its segments have an open finding of `code` (stories with none
        are absent), one query per 500 stories."""
        found: dict[str, int] = {}
        for chunk in _chunks(story_ids):
            for row in self.db.execute(
                "SELECT f.story_id, COUNT(DISTINCT f.segment_id) FROM findings f "
                "JOIN segments g ON g.id = f.segment_id "
                f"WHERE f.story_id IN ({','.join('?' * len(chunk))}) AND f.code = ? "
                "AND f.status = 'open' AND g.retired_rev IS NULL GROUP BY f.story_id",
                [*chunk, code],
            ):
                found[row[0]] = int(row[1])
        return found

    def set_schedule(self, story_id: str, priority: int, deadline: str | None) -> None:
        """A story's priority and deadline (UTC ISO 8601 or None); log it in the same
        transaction."""
        self.db["stories"].update(
            story_id, {"priority": int(priority), "deadline": deadline, "updated_at": now_iso()}
        )

    def next_claimable(self, pairs: list[str] | None, now: str) -> dict | None:
        """The best story nobody holds (unclaimed, or a lease that ran out before `now`, UTC ISO)
        waiting for translation in one of `pairs` (None: every pair), in queue order
        (`queue_key`); call inside the write transaction that claims it, so two claimers never get
        the same story. One LIMIT 1 query per state, pair and dated/undated part over the
        stories_queue index (each row-locked with SKIP LOCKED on PostgreSQL), the best of them
        wins."""
        if pairs is not None and not pairs:
            return None
        candidates = []
        for state in (StoryState.TRANSLATED, StoryState.IN_TRANSLATION):
            for pair in sorted(pairs) if pairs is not None else self.queue_pairs(state):
                where, params = self._queue_where(state, pair, None, None, None, None)
                where += (
                    " AND (s.claimed_by IS NULL OR s.claim_until IS NULL OR s.claim_until <= ?)"
                )
                params.append(now)
                for part, order in (
                    ("s.deadline IS NOT NULL", "s.deadline, s.priority DESC, s.created_at, s.seq"),
                    ("s.deadline IS NULL", "s.priority DESC, s.created_at, s.seq"),
                ):
                    rows = list(
                        self.db.query(
                            f"SELECT {QUEUE_COLUMNS} FROM stories s WHERE {where} AND {part} "
                            f"ORDER BY {order} LIMIT 1" + self._claim_rows(),
                            params,
                        )
                    )
                    if rows:
                        candidates.append(rows[0])
                        break  # a dated story comes before every undated one
        if not candidates:
            return None
        return self.story(min(candidates, key=queue_key)["id"])

    # ------------------------------------------------------------ segments
    def set_segment_state(self, segment_id: int, state: SegmentState) -> None:
        self.db["segments"].update(segment_id, {"state": int(state)})

    def review_segment(self, story_id: str, number: int) -> dict:
        """One segment as the review screen shows it: with its unit, translation and provenance."""
        rows = list(
            self.db.query(
                "SELECT g.*, u.kind AS unit_kind, v.text AS translation, v.origin, v.engine, "
                "v.author FROM segments g JOIN units u ON u.id = g.unit_id "
                "LEFT JOIN versions v ON v.id = g.version_id "
                "WHERE g.story_id = ? AND g.number = ?",
                [story_id, number],
            )
        )
        return rows[0] if rows else self.segment(story_id, number)  # the latter raises

    def version(self, version_id: int) -> dict | None:
        rows = list(self.db.query("SELECT * FROM versions WHERE id = ?", [version_id]))
        return rows[0] if rows else None

    def unconfirmed_numbers(self, story_id: str) -> list[int]:
        return [
            r["number"]
            for r in self.db.query(
                "SELECT number FROM segments WHERE story_id = ? AND state < ? "
                "AND retired_rev IS NULL ORDER BY number",
                [story_id, int(SegmentState.CONFIRMED)],
            )
        ]

    def segment_count(self, story_id: str) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM segments WHERE story_id = ? AND retired_rev IS NULL", [story_id]
        ).fetchone()[0]

    def human_edits_by(self, story_id: str, user: str) -> list[int]:
        """Segment numbers of `story_id` that `user` ever wrote a version of."""
        return [
            r["number"]
            for r in self.db.query(
                "SELECT DISTINCT g.number FROM versions v JOIN segments g ON g.id = v.segment_id "
                "WHERE v.story_id = ? AND v.author = ? AND v.origin = 'human' ORDER BY g.number",
                [story_id, user],
            )
        ]

    def last_actor(self, story_id: str, action: str) -> str | None:
        row = self.db.execute(
            'SELECT "user" FROM events WHERE story_id = ? AND action = ? ORDER BY id DESC LIMIT 1',
            [story_id, action],
        ).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------ approvals
    def active_approvals(self, story_id: str) -> list[dict]:
        return list(
            self.db.query(
                "SELECT * FROM approvals WHERE story_id = ? AND withdrawn_at IS NULL ORDER BY id",
                [story_id],
            )
        )

    def add_approval(self, story_id: str, user: str, note: str | None) -> int:
        return (
            self.db["approvals"]
            .insert({"story_id": story_id, "user": user, "note": note, "at": now_iso()})
            .last_pk
        )

    def withdraw_approvals(
        self, story_id: str, user: str | None = None, note: str | None = None
    ) -> list[str]:
        """Withdraw every active approval of the story and log it (a `withdraw` event naming who
        had approved, in the caller's transaction); returns who had approved."""
        users = [a["user"] for a in self.active_approvals(story_id)]
        if users:
            self.db.execute(
                "UPDATE approvals SET withdrawn_at = ? WHERE story_id = ? AND withdrawn_at IS NULL",
                [now_iso(), story_id],
            )
            self.log("withdraw", story_id, user=user, before=users, note=note)
        return users

    # ------------------------------------------------------------ comments
    def add_comment_row(self, story_id: str, segment_id: int | None, user: str, text: str) -> int:
        return (
            self.db["comments"]
            .insert(
                {
                    "story_id": story_id,
                    "segment_id": segment_id,
                    "user": user,
                    "text": text,
                    "at": now_iso(),
                }
            )
            .last_pk
        )

    def comments(self, story_id: str, segment_id: Any = ...) -> list[dict]:
        """Comments on a story: all of them, or one segment's (an id), or the story's own (None)."""
        sql = (
            "SELECT c.*, g.number FROM comments c LEFT JOIN segments g ON g.id = c.segment_id "
            "WHERE c.story_id = ?"
        )
        params: list[Any] = [story_id]
        if segment_id is None:
            sql += " AND c.segment_id IS NULL"
        elif segment_id is not ...:
            sql += " AND c.segment_id = ?"
            params.append(segment_id)
        return list(self.db.query(sql + " ORDER BY c.id", params))

    # ------------------------------------------------------------ the log
    def story_events(self, story_id: str) -> list[dict]:
        """The events log of a story, each event with its segment number (or None)."""
        return list(
            self.db.query(
                "SELECT e.*, g.number FROM events e LEFT JOIN segments g ON g.id = e.segment_id "
                "WHERE e.story_id = ? ORDER BY e.id",
                [story_id],
            )
        )

    def last_touched_segment(self, story_id: str, user: str) -> dict | None:
        """The segment `user` last changed in `story_id` (edit, confirmation, comment, override):
        {'id' (the event's), 'number', 'action', 'at'}, or None when they touched none."""
        rows = list(
            self.db.query(
                "SELECT e.id, g.number, e.action, e.at FROM events e "
                "JOIN segments g ON g.id = e.segment_id "
                "WHERE e.story_id = ? AND e.user = ? ORDER BY e.id DESC LIMIT 1",
                [story_id, user],
            )
        )
        return rows[0] if rows else None
