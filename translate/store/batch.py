"""Queries for the nightly batch: the inbox ledger (files by sha256), report figures, and the runs
and leased MT jobs that batch workers share."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database

from translate.clock import now_iso
from translate.store.states import StoryState


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

    # ------------------------------------------------------------ batch workers: runs and leases
    def _claim_rows(self) -> str:
        """The row-claiming suffix of a SELECT (FOR UPDATE SKIP LOCKED on PostgreSQL, nothing on
        SQLite, where the IMMEDIATE transaction already serialises claimers)."""
        for_update = getattr(self, "for_update", None)
        return for_update(skip_locked=True) if for_update else ""

    def join_run(
        self,
        run_id: str | None,
        new_id: str,
        now: str,
        alive_after: str,
        ingest_until: str | None = None,
    ) -> str:
        """The run a worker joins: `run_id` when given, else the newest run someone is still
        working on (seen after `alive_after`), else a new one named `new_id`. The inbox owner
        passes `ingest_until`, so the others wait for the stories it ingests."""
        with self.write():
            if run_id is None:
                rows = list(
                    self.db.query(
                        "SELECT id FROM batch_runs WHERE seen_at > ? "
                        "ORDER BY started_at DESC, id DESC LIMIT 1",
                        [alive_after],
                    )
                )
                run_id = rows[0]["id"] if rows else new_id
            if self.db.execute("SELECT 1 FROM batch_runs WHERE id = ?", [run_id]).fetchone():
                self.db.execute("UPDATE batch_runs SET seen_at = ? WHERE id = ?", [now, run_id])
            else:
                self.db["batch_runs"].insert({"id": run_id, "started_at": now, "seen_at": now})
            if ingest_until is not None:
                self.db.execute(
                    "UPDATE batch_runs SET ingest_until = ? WHERE id = ?", [ingest_until, run_id]
                )
        return run_id

    def set_run_ingest(self, run_id: str, until: str | None) -> None:
        """While the inbox owner ingests, workers of its run wait for the stories it adds."""
        with self.write():
            self.db.execute("UPDATE batch_runs SET ingest_until = ? WHERE id = ?", [until, run_id])

    def heartbeat(
        self, run_id: str, worker: str, story_id: str | None, now: str, until: str, ingest: bool
    ) -> bool:
        """Renew a worker's lease on its story's MT job (and the run's signs of life); False
        when the lease was lost (it ran out and another worker took the job over)."""
        kept = True
        with self.write():
            self.db.execute("UPDATE batch_runs SET seen_at = ? WHERE id = ?", [now, run_id])
            if ingest:
                self.db.execute(
                    "UPDATE batch_runs SET ingest_until = ? WHERE id = ?", [until, run_id]
                )
            if story_id is not None:
                cur = self.db.execute(
                    "UPDATE mt_jobs SET lease_until = ? "
                    "WHERE story_id = ? AND worker = ? AND status = 'running'",
                    [until, story_id, worker],
                )
                kept = cur.rowcount == 1
        return kept

    def take_mt_job(self, run_id: str, worker: str, now: str, until: str) -> dict | None:
        """Take the MT job of the next story that still needs machine translation and that no
        live worker holds; call inside a write transaction (IMMEDIATE on SQLite; the row lock
        with SKIP LOCKED on PostgreSQL). A job whose lease ran out is taken over: the result
        names the worker that lost it."""
        free = (
            "AND NOT EXISTS (SELECT 1 FROM mt_jobs j WHERE j.story_id = s.id AND "
            "((j.status = 'running' AND j.lease_until > ?) "
            "OR (j.status <> 'running' AND j.run_id = ?))) "
            "ORDER BY s.seq LIMIT 1" + self._claim_rows()
        )
        # ingested stories first, straight from the (state, seq) index; only when none is left,
        # queued stories with untranslated segments (one condition with OR made every take scan
        # all the stories the run had translated: quadratic over a night's batch)
        rows = list(
            self.db.query(
                "SELECT s.id FROM stories s WHERE s.state = ? " + free,
                [int(StoryState.INGESTED), now, run_id],
            )
        ) or list(
            self.db.query(
                "SELECT s.id FROM stories s WHERE s.state = ? AND EXISTS (SELECT 1 FROM "
                "segments g WHERE g.story_id = s.id AND g.version_id IS NULL AND "
                "g.retired_rev IS NULL) " + free,
                [int(StoryState.TRANSLATED), now, run_id],
            )
        )
        if not rows:
            return None
        story_id = rows[0]["id"]
        jobs = list(self.db.query("SELECT * FROM mt_jobs WHERE story_id = ?", [story_id]))
        row = {"id": story_id, "job_status": None, "job_run": None, "job_attempts": 0}
        if jobs:
            j = jobs[0]
            row.update(
                job_status=j["status"],
                job_run=j["run_id"],
                job_worker=j["worker"],
                job_until=j["lease_until"],
                job_attempts=j["attempts"],
            )
        lost = row["job_status"] == "running"
        attempts = (row["job_attempts"] or 0) + 1 if row["job_run"] == run_id else 1
        job = {
            "story_id": row["id"],
            "run_id": run_id,
            "worker": worker,
            "status": "running",
            "lease_until": until,
            "taken_at": now,
            "finished_at": None,
            "attempts": attempts,
            "result": None,
        }
        self.db.execute(
            f"INSERT INTO mt_jobs ({', '.join(job)}) VALUES ({', '.join('?' * len(job))}) "
            "ON CONFLICT (story_id) DO UPDATE SET "
            + ", ".join(f"{k} = excluded.{k}" for k in job if k != "story_id"),
            list(job.values()),
        )  # plain SQL (both backends): sqlite-utils' upsert() re-reads the schema each call
        return {
            "story": row["id"],
            "attempts": attempts,
            "lost_by": row["job_worker"] if lost else None,
            "lost_until": row["job_until"] if lost else None,
        }

    def finish_mt_job(
        self, story_id: str, worker: str, status: str, result: dict, now: str
    ) -> bool:
        """Record a job's outcome; False when the worker no longer held it (taken over)."""
        with self.write():
            cur = self.db.execute(
                "UPDATE mt_jobs SET status = ?, result = ?, finished_at = ? "
                "WHERE story_id = ? AND worker = ? AND status = 'running'",
                [status, json.dumps(result, ensure_ascii=False), now, story_id, worker],
            )
            return cur.rowcount == 1

    def run_busy(self, run_id: str, now: str) -> bool:
        """True while some worker of the run holds a live lease, or its inbox owner ingests."""
        row = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM mt_jobs WHERE run_id = ? AND status = 'running' "
            "AND lease_until > ?) + (SELECT COUNT(*) FROM batch_runs WHERE id = ? "
            "AND ingest_until > ?)",
            [run_id, now, run_id, now],
        ).fetchone()
        return bool(row[0])

    def run_jobs(self, run_id: str) -> list[dict]:
        """Every MT job of a run with its outcome (the report of all its workers)."""
        rows = list(
            self.db.query("SELECT * FROM mt_jobs WHERE run_id = ? ORDER BY taken_at", [run_id])
        )
        for r in rows:
            r["result"] = json.loads(r["result"]) if r["result"] else None
        return rows
