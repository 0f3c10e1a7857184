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
CHUNK = 500  # segments per statement when a story's findings are replaced


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
        fetch: bool = True,
    ) -> list[dict]:
        """Replace the open findings of one segment (None: of the story itself) with `findings`
        (objects or dicts with code, message, severity, start, end); returns the stored ones
        (unless `fetch` is false)."""
        self.replace_story_findings(story_id, [(segment_id, version_id, findings)])
        return self.findings(story_id, segment_id) if fetch else []

    def replace_story_findings(
        self, story_id: str, checked: list[tuple[int | None, int | None, Iterable[Any]]]
    ) -> None:
        """replace_findings for several segments of one story at once — (segment id or None,
        version id, findings) each — in one transaction and a few statements (a story's check
        stored segment by segment cost ~5 statements a segment)."""
        if len(checked) > CHUNK:  # keep the statements' parameter lists short
            with self.write():
                for i in range(0, len(checked), CHUNK):
                    self.replace_story_findings(story_id, checked[i : i + CHUNK])
            return
        created = now_iso()
        rows: dict[int | None, list[dict]] = {}
        versions: dict[int | None, int | None] = {}
        for segment_id, version_id, findings in checked:
            versions[segment_id] = version_id
            mine = rows.setdefault(segment_id, [])
            for f in findings:
                severity = _field(f, "severity") or "warning"
                if severity not in SEVERITIES:
                    raise ValueError(f"finding {_field(f, 'code')}: unknown severity {severity!r}")
                mine.append(
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
                        "created_at": created,
                    }
                )
        if not rows:
            return
        ids = [i for i in rows if i is not None]
        clauses, params = [], [story_id]
        if ids:
            clauses.append(f"segment_id IN ({','.join('?' * len(ids))})")
            params += ids
        if None in rows:
            clauses.append("segment_id IS NULL")
        where = f"story_id = ? AND ({' OR '.join(clauses)})"
        with self.write():
            kept: dict[tuple, list[int]] = {}
            for r in self.db.query(
                f"SELECT id, segment_id, code, message FROM findings WHERE {where} "
                "AND status = 'overridden' ORDER BY id",
                params,
            ):
                kept.setdefault((r["segment_id"], r["code"], r["message"]), []).append(r["id"])
            self.db.execute(f"DELETE FROM findings WHERE {where} AND status = 'open'", params)
            fresh = []
            for segment_id, mine in rows.items():
                for row in mine:
                    same = kept.get((segment_id, row["code"], row["message"]))
                    if same:  # an overridden finding that came back stays overridden
                        self.db.execute(
                            "UPDATE findings SET version_id = ?, span_start = ?, span_end = ? "
                            "WHERE id = ?",
                            [versions[segment_id], row["span_start"], row["span_end"],
                             same.pop(0)],
                        )  # fmt: skip
                    else:
                        fresh.append(row)
            stale = [fid for same in kept.values() for fid in same]
            if stale:
                marks = ",".join("?" * len(stale))
                self.db.execute(f"DELETE FROM findings WHERE id IN ({marks})", stale)
            if fresh:
                columns = list(fresh[0])
                sql = (
                    f"INSERT INTO findings ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})"
                )  # plain SQL (both backends): sqlite-utils' insert_all() re-reads the schema
                for row in fresh:
                    self.db.execute(sql, [row[c] for c in columns])

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
