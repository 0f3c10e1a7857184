"""Queries for publishing: publication records, who translated and edited, which MT was used."""

from __future__ import annotations

import json

from sqlite_utils import Database

from translate.store.states import StoryState


class PublishQueries:
    db: Database

    def publications(self, story_id: str) -> list[dict]:
        """Every published version of a story, oldest first (files and document decoded)."""
        rows = list(
            self.db.query(
                "SELECT * FROM publications WHERE story_id = ? ORDER BY version", [story_id]
            )
        )
        for row in rows:
            row["files"] = json.loads(row["files"] or "[]")
            row["document"] = json.loads(row["document"]) if row.get("document") else None
        return rows

    def last_publication(self, story_id: str) -> dict | None:
        rows = self.publications(story_id)
        return rows[-1] if rows else None

    def add_publication(
        self,
        story_id: str,
        version: int,
        digest: str,
        files: list[str],
        corrections: str | None,
        document: dict,
        at: str,
    ) -> int:
        return (
            self.db["publications"]
            .insert(
                {
                    "story_id": story_id,
                    "version": version,
                    "digest": digest,
                    "files": json.dumps(files, ensure_ascii=False),
                    "corrections": corrections,
                    "document": json.dumps(document, ensure_ascii=False, sort_keys=True),
                    "at": at,
                }
            )
            .last_pk
        )

    def set_publication_files(self, publication_id: int, files: list[str]) -> None:
        self.db["publications"].update(
            publication_id, {"files": json.dumps(files, ensure_ascii=False)}
        )

    def publishable_story_ids(self) -> list[str]:
        return [
            r["id"]
            for r in self.db.query(
                "SELECT id FROM stories WHERE state = ? ORDER BY seq", [int(StoryState.APPROVED)]
            )
        ]

    def approvers(self, story_id: str) -> list[str]:
        """Users whose approval of the story stands (not withdrawn), in approval order."""
        return list(
            dict.fromkeys(
                r["user"]
                for r in self.db.query(
                    'SELECT "user" FROM approvals WHERE story_id = ? AND withdrawn_at IS NULL '
                    "ORDER BY id",
                    [story_id],
                )
            )
        )

    def translators(self, story_id: str, actions: tuple[str, ...]) -> list[str]:
        """Who translated: the users who performed `actions` (e.g. claim, edit, confirm, submit)
        on the story, then any other author of a human version of the current text; in order of
        first appearance."""
        names: list[str] = []
        if actions:
            marks = ",".join("?" * len(actions))
            names += [
                r["user"]
                for r in self.db.query(
                    f'SELECT "user" FROM events WHERE story_id = ? AND action IN ({marks}) '
                    'AND "user" IS NOT NULL ORDER BY id',
                    [story_id, *actions],
                )
            ]
        names += [
            r["author"]
            for r in self.db.query(
                "SELECT v.author FROM segments g JOIN versions v ON v.id = g.version_id "
                "WHERE g.story_id = ? AND v.origin = 'human' AND v.author IS NOT NULL "
                "ORDER BY v.id",
                [story_id],
            )
        ]
        return list(dict.fromkeys(names))

    def machine_translation_used(self, story_id: str) -> list[dict]:
        """Distinct engine/model/version of every machine version the story ever had."""
        return list(
            self.db.query(
                "SELECT engine, model, model_version, MIN(id) AS first FROM versions "
                "WHERE story_id = ? AND origin = 'mt' "
                "GROUP BY engine, model, model_version ORDER BY first",
                [story_id],
            )
        )
