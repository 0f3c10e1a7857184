"""Queries for the nightly batch: the inbox ledger (files by sha256) and report figures."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from translate.clock import now_iso


class BatchQueries:
    db: Database

    def inbox_file(self, sha256: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM inbox_files WHERE sha256 = ?", [sha256]))
        return rows[0] if rows else None

    def record_inbox_file(
        self,
        sha256: str,
        path: str,
        status: str,
        story_id: str | None = None,
        error: str | None = None,
    ) -> None:
        """Remember what became of an inbox file (ingested/rejected); the latest outcome wins."""
        self.db["inbox_files"].upsert(
            {
                "sha256": sha256,
                "path": path,
                "status": status,
                "story_id": story_id,
                "error": error,
                "at": now_iso(),
            },
            pk="sha256",
        )

    def inbox_status_counts(self) -> dict[str, int]:
        return {
            r["status"]: r["n"]
            for r in self.db.query(
                "SELECT status, COUNT(*) AS n FROM inbox_files GROUP BY status ORDER BY status"
            )
        }

    def findings_by_code(self, story_ids: Iterable[str]) -> dict[str, int]:
        """Open findings of the given stories counted by code."""
        ids = list(story_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            r["code"]: r["n"]
            for r in self.db.query(
                f"SELECT code, COUNT(*) AS n FROM findings WHERE story_id IN ({marks}) "
                "AND status = 'open' GROUP BY code ORDER BY code",
                ids,
            )
        }

    def translated_segment_count(self, story_id: str) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM segments WHERE story_id = ? AND version_id IS NOT NULL "
            "AND retired_rev IS NULL",
            [story_id],
        ).fetchone()[0]
