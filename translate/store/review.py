"""Queries for the review workflow: claims, queues, approvals, comments, segment states, the log."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from translate.clock import now_iso
from translate.store.states import SegmentState, StoryState


class ReviewQueries:
    db: Database

    # ------------------------------------------------------------ claims and queues
    def set_claim(self, story_id: str, user: str | None, until: str | None) -> None:
        self.db["stories"].update(
            story_id, {"claimed_by": user, "claim_until": until, "updated_at": now_iso()}
        )

    def workable_stories(self, states: list[StoryState]) -> list[dict]:
        """Stories in any of `states`, with segment counts, in priority/deadline/age order."""
        marks = ",".join("?" * len(states))
        return list(
            self.db.query(
                "SELECT s.id, s.title, s.language, s.target_language, s.state, s.claimed_by, "
                "s.claim_until, s.priority, s.deadline, s.rejected, s.created_at, "
                "(SELECT COUNT(*) FROM segments g WHERE g.story_id = s.id AND g.retired_rev IS NULL) "
                "AS segments, (SELECT COUNT(*) FROM segments g WHERE g.story_id = s.id "
                "AND g.retired_rev IS NULL AND g.state >= ?) "
                "AS confirmed "
                f"FROM stories s WHERE s.state IN ({marks}) "
                "ORDER BY s.priority DESC, s.deadline IS NULL, s.deadline, s.created_at, s.seq",
                [int(SegmentState.CONFIRMED), *[int(s) for s in states]],
            )
        )

    def next_claimable(self, pairs: list[str] | None, now: str) -> dict | None:
        """The best story nobody holds (unclaimed, or a lease that ran out before `now`) waiting
        for translation in one of `pairs` (None: every pair), in queue order; call inside the
        write transaction that claims it, so two claimers never get the same story."""
        sql = (
            "SELECT s.id FROM stories s WHERE s.state IN (?, ?) "
            "AND (s.claimed_by IS NULL OR s.claim_until IS NULL OR s.claim_until <= ?)"
        )
        params: list[Any] = [int(StoryState.TRANSLATED), int(StoryState.IN_TRANSLATION), now]
        if pairs is not None:
            if not pairs:
                return None
            sql += f" AND s.language || '-' || s.target_language IN ({','.join('?' * len(pairs))})"
            params += list(pairs)
        sql += (
            " ORDER BY s.priority DESC, s.deadline IS NULL, s.deadline, s.created_at, s.seq LIMIT 1"
            + self._claim_rows()  # BatchQueries: FOR UPDATE SKIP LOCKED on PostgreSQL
        )
        rows = list(self.db.query(sql, params))
        return self.story(rows[0]["id"]) if rows else None

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

    def withdraw_approvals(self, story_id: str) -> list[str]:
        """Withdraw every active approval of the story; returns who had approved."""
        users = [a["user"] for a in self.active_approvals(story_id)]
        if users:
            self.db.execute(
                "UPDATE approvals SET withdrawn_at = ? WHERE story_id = ? AND withdrawn_at IS NULL",
                [now_iso(), story_id],
            )
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
