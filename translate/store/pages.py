"""Bulk reads for whole-story pages (the web front's story page, the queue's notes) and the local
password hashes of the web sign-in.

A page asks for a story's rows once per table, never once per segment, so its cost does not grow
with queries per segment.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from translate.clock import now_iso


class PageQueries:
    db: Database

    def machine_drafts(self, story_id: str) -> dict[int, dict[str, Any]]:
        """{segment id: the latest machine version (any origin but 'human')} of a story's segments:
        what the translator started from."""
        rows = self.db.query(
            "SELECT v.id, v.segment_id, v.text, v.origin, v.engine, v.created_at FROM versions v "
            "WHERE v.story_id = ? AND v.origin != 'human' ORDER BY v.id",
            [story_id],
        )
        return {r["segment_id"]: r for r in rows}  # later ids replace earlier ones

    def last_notes(self, story_ids: list[str], action: str) -> dict[str, dict[str, Any]]:
        """{story id: the latest `action` event (its user, note and time)} for many stories."""
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        found: dict[str, dict[str, Any]] = {}
        for r in self.db.query(
            f"SELECT story_id, user, note, at FROM events WHERE action = ? "
            f"AND story_id IN ({marks}) ORDER BY id",
            [action, *story_ids],
        ):
            found[r["story_id"]] = r
        return found

    # ------------------------------------------------------------ local passwords
    def password_hash(self, name: str) -> str | None:
        row = self.db.execute("SELECT hash FROM passwords WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def set_password_hash(self, name: str, hashed: str) -> None:
        self.db.execute(
            "INSERT INTO passwords (name, hash, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at",
            [name, hashed, now_iso()],
        )
