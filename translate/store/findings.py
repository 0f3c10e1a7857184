"""Findings of the checks: replaced per segment on every check, overridden with a reason.

A finding is `open` until an editor overrides it (`overridden`, with the reason and who). When a
segment is checked again its open findings are replaced; an overridden finding whose code and
message come back stays overridden (so an override survives a re-check), the others go.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from translate.clock import now_iso
from translate.errors import DeskError
from translate.i18n import _

SEVERITIES = ("blocking", "warning")


def _field(finding: Any, name: str) -> Any:
    if isinstance(finding, dict):
        return finding.get(name)
    return getattr(finding, name, None)


class FindingQueries:
    db: Database

    def replace_findings(
        self,
        story_id: str,
        segment_id: int | None,
        version_id: int | None,
        findings: Iterable[Any],
    ) -> list[dict]:
        """Replace the open findings of one segment (None: of the story itself) with `findings`
        (objects or dicts with code, message, severity, start, end); returns the stored ones."""
        rows = []
        for f in findings:
            severity = _field(f, "severity") or "warning"
            if severity not in SEVERITIES:
                raise ValueError(f"finding {_field(f, 'code')}: unknown severity {severity!r}")
            rows.append(
                {
                    "story_id": story_id,
                    "segment_id": segment_id,
                    "version_id": version_id,
                    "code": _field(f, "code"),
                    "severity": severity,
                    "span_start": _field(f, "start"),
                    "span_end": _field(f, "end"),
                    "message": _field(f, "message"),
                    "status": "open",
                    "created_at": now_iso(),
                }
            )
        with self.write():
            if segment_id is None:
                where, params = "story_id = ? AND segment_id IS NULL", [story_id]
            else:
                where, params = "story_id = ? AND segment_id = ?", [story_id, segment_id]
            kept: dict[tuple[str, str], list[int]] = {}
            for r in self.db.query(
                f"SELECT id, code, message FROM findings WHERE {where} AND status = 'overridden' "
                "ORDER BY id",
                params,
            ):
                kept.setdefault((r["code"], r["message"]), []).append(r["id"])
            self.db.execute(f"DELETE FROM findings WHERE {where} AND status = 'open'", params)
            survivors: list[int] = []
            fresh = []
            for row in rows:
                ids = kept.get((row["code"], row["message"]))
                if ids:
                    fid = ids.pop(0)
                    survivors.append(fid)
                    self.db["findings"].update(
                        fid,
                        {
                            "version_id": version_id,
                            "span_start": row["span_start"],
                            "span_end": row["span_end"],
                        },
                    )
                else:
                    fresh.append(row)
            stale = [fid for ids in kept.values() for fid in ids]
            if stale:
                marks = ",".join("?" * len(stale))
                self.db.execute(f"DELETE FROM findings WHERE id IN ({marks})", stale)
            if fresh:
                self.db["findings"].insert_all(fresh)
        return self.findings(story_id, segment_id)

    def findings(
        self, story_id: str, segment_id: int | None = None, status: str | None = None
    ) -> list[dict]:
        """Findings of a story (or one segment), in segment order, each with its segment number."""
        sql = (
            "SELECT f.*, g.number FROM findings f LEFT JOIN segments g ON g.id = f.segment_id "
            "WHERE f.story_id = ?"
        )
        params: list[Any] = [story_id]
        if segment_id is not None:
            sql += " AND f.segment_id = ?"
            params.append(segment_id)
        if status is not None:
            sql += " AND f.status = ?"
            params.append(status)
        return list(self.db.query(sql + " ORDER BY g.number NULLS FIRST, f.id", params))

    def open_blocking(self, story_id: str) -> list[dict]:
        """Open blocking findings: what stands between the story and submission or approval."""
        return [f for f in self.findings(story_id, status="open") if f["severity"] == "blocking"]

    def override_findings(
        self, story_id: str, reason: str, user: str, segment_id: int | None = None
    ) -> list[dict]:
        """Mark the open blocking findings of a story (or one segment) overridden, recording the
        reason on each and logging one `override` event per finding; returns them."""
        reason = (reason or "").strip()
        if not reason:
            raise DeskError(_("an override needs a reason"))
        with self.write():
            targets = [
                f
                for f in self.open_blocking(story_id)
                if segment_id is None or f["segment_id"] == segment_id
            ]
            for f in targets:
                self.db["findings"].update(
                    f["id"],
                    {"status": "overridden", "override_reason": reason, "override_by": user},
                )
                self.log(
                    "override",
                    story_id,
                    segment_id=f["segment_id"],
                    user=user,
                    before={"finding": f["id"], "code": f["code"], "message": f["message"]},
                    after="overridden",
                    note=reason,
                )
        return [
            {**f, "status": "overridden", "override_reason": reason, "override_by": user}
            for f in targets
        ]
