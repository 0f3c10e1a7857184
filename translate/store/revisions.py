"""Source revisions: the rows that follow a story through its updates (see translate/revisions)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from translate.clock import now_iso
from translate.store.states import SegmentState


class RevisionQueries:
    db: Database

    def revisions(self, story_id: str) -> list[dict]:
        rows = list(
            self.db.query("SELECT * FROM revisions WHERE story_id = ? ORDER BY number", [story_id])
        )
        for row in rows:
            row["summary"] = json.loads(row["summary"] or "{}")
            row["snapshot"] = json.loads(row["snapshot"]) if row["snapshot"] else None
        return rows

    def snapshot(self, story_id: str) -> list[dict]:
        """The story's current source and English, unit by unit, sentence by sentence."""
        units = {
            u["id"]: {"kind": u["kind"], "text": u["text"], "sentences": []}
            for u in self.units(story_id)
        }
        for seg in self.segments(story_id):
            units[seg["unit_id"]]["sentences"].append(
                {"number": seg["number"], "source": seg["source"], "english": seg["translation"]}
            )
        return list(units.values())

    def record_revision(
        self,
        story_id: str,
        number: int,
        text_hash: str,
        source_path: str | None,
        source_sha256: str | None,
        author: str | None,
        summary: dict[str, Any],
        snapshot: list[dict] | None,
        at: str | None = None,
    ) -> None:
        self.db["revisions"].insert(
            {
                "story_id": story_id,
                "number": number,
                "text_hash": text_hash,
                "source_path": source_path,
                "source_sha256": source_sha256,
                "author": author,
                "summary": json.dumps(summary, ensure_ascii=False),
                "snapshot": json.dumps(snapshot, ensure_ascii=False) if snapshot else None,
                "at": at or now_iso(),
            }
        )

    def set_revision_snapshot(self, story_id: str, number: int, snapshot: list[dict]) -> None:
        """Freeze a superseded revision's source and English (written once, when it is left)."""
        self.db.execute(
            "UPDATE revisions SET snapshot = ? WHERE story_id = ? AND number = ?",
            [json.dumps(snapshot, ensure_ascii=False), story_id, number],
        )

    def apply_revision(self, story_id: str, revision: int, plan, meta: dict[str, Any]) -> dict:
        """Rewrite the story's current units and segments to `plan` (translate.revisions.align.Plan).

        Kept segments keep their rows (translations, states, findings); retired units and segments
        stay in their tables with `retired_rev` set and a negative position/number, out of the way
        of the current ones, which are renumbered in reading order. Call inside a transaction.
        Returns the ids of the new segments.
        """
        db = self.db
        if plan.retired_units:
            marks = ",".join("?" * len(plan.retired_units))
            db.execute(
                f"UPDATE units SET retired_rev = ? WHERE id IN ({marks})",
                [revision, *plan.retired_units],
            )
        if plan.retired_segments:
            marks = ",".join("?" * len(plan.retired_segments))
            db.execute(
                f"UPDATE segments SET retired_rev = ? WHERE id IN ({marks})",
                [revision, *plan.retired_segments],
            )
            db.execute(
                f"DELETE FROM findings WHERE segment_id IN ({marks}) AND status = 'open'",
                plan.retired_segments,
            )
        # out of the way: every row of the story moves to a negative position/number, unique by id
        db.execute("UPDATE units SET position = -id WHERE story_id = ?", [story_id])
        db.execute("UPDATE segments SET number = -id WHERE story_id = ?", [story_id])
        new_ids: list[int] = []
        number = 0
        for position, unit in enumerate(plan.units, 1):
            if unit.old_id is None:
                unit_id = (
                    db["units"]
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
            else:
                unit_id = unit.old_id
                db.execute(
                    "UPDATE units SET position = ?, kind = ?, text = ? WHERE id = ?",
                    [position, unit.kind, unit.text, unit_id],
                )
            for i, ((text, ws), seg_id) in enumerate(
                zip(unit.sentences, unit.segments, strict=True), 1
            ):
                number += 1
                if seg_id is None:
                    new_ids.append(
                        db["segments"]
                        .insert(
                            {
                                "story_id": story_id,
                                "unit_id": unit_id,
                                "number": number,
                                "position_in_unit": i,
                                "source": text,
                                "ws": ws,
                                "state": int(SegmentState.UNTRANSLATED),
                                "revision": revision,
                            }
                        )
                        .last_pk
                    )
                else:
                    db.execute(
                        "UPDATE segments SET unit_id = ?, number = ?, position_in_unit = ?, "
                        "ws = ? WHERE id = ?",
                        [unit_id, number, i, ws, seg_id],
                    )
        db["stories"].update(story_id, {**meta, "revision": revision, "updated_at": now_iso()})
        return new_ids

    def reopened_numbers(self, story_id: str, revision: int) -> list[int]:
        """Segments that entered with `revision` (changed or new source) and are still current."""
        return [
            r["number"]
            for r in self.db.query(
                "SELECT number FROM segments WHERE story_id = ? AND revision = ? "
                "AND retired_rev IS NULL ORDER BY number",
                [story_id, revision],
            )
        ]

    def set_correction_note(self, story_id: str, note: str | None) -> None:
        self.db["stories"].update(story_id, {"correction_note": note})

    def stories_needing_mt(self) -> list[str]:
        """Stories past the machine-draft states whose current source revision brought segments
        still untranslated. (A story claimed untranslated, e.g. for want of an engine, is the
        translator's to translate by hand: never these.)"""
        return [
            r["id"]
            for r in self.db.query(
                "SELECT DISTINCT s.id, s.seq FROM stories s JOIN segments g ON g.story_id = s.id "
                "WHERE s.state > 30 AND s.revision > 1 AND g.revision = s.revision "
                "AND g.version_id IS NULL AND g.retired_rev IS NULL "
                "ORDER BY s.seq"
            )
        ]
