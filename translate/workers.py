"""Batch workers: several `translate batch --worker` processes share the MT work of one desk.

    a worker joins a run (all workers of one night: `--run ID`, else the run someone is still
    working on, else a new one), then, until no story needs MT and no live worker holds a job:
      - the worker that gets the inbox lock (translate.lock) ingests the inbox first; the others
        wait for the stories it adds (ingest stays with the one batch that owns the inbox)
      - take one story's MT job under a lease (store.take_mt_job, in a write transaction:
        IMMEDIATE on SQLite, a row lock with SKIP LOCKED on PostgreSQL)
      - translate it (translate.mt.run_mt, one transaction per story; the worker's engines stay
        loaded across stories) while a heartbeat thread renews the lease
      - record the outcome on the job
    and the inbox owner checks the stories MT did not check (as the plain batch does).

A worker that dies mid-story (kill -9, a lost machine) stops renewing its lease; once the lease
has run out another worker takes the job over, and the events log says so (`mt.takeover`). The
dead worker's transaction never committed, and MT stores a segment only when it is still the
version it read, so every segment ends with exactly one machine version. Leases use the real
time, never TRANSLATE_NOW (a frozen clock would never let a lease run out).

The report (`--report FILE`) covers every job of the run, whichever worker did it.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from translate.batch import (
    BatchReport,
    _record_mt,
    _stage,
    check_queued,
    ingest_inbox,
    lock_path,
)
from translate.clock import now_iso
from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _
from translate.store.states import StoryState

DEFAULT_LEASE = 60  # seconds; the heartbeat renews it every third of that


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


class Heartbeat(threading.Thread):
    """Renews the worker's lease on its current job (its own store connection)."""

    def __init__(self, workflow: Workflow, run_id: str, worker: str, lease: float, opener):
        super().__init__(daemon=True, name="translate-heartbeat")
        self.workflow, self.run_id, self.worker, self.lease = workflow, run_id, worker, lease
        self.opener = opener
        self.story: str | None = None
        self.ingesting = False
        self.lost: set[str] = set()
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def beat(self, store) -> None:
        with self._lock:
            story, ingesting = self.story, self.ingesting
        now = _now()
        until = _iso(now + timedelta(seconds=self.lease))
        kept = store.heartbeat(self.run_id, self.worker, story, _iso(now), until, ingesting)
        if story and not kept:
            self.lost.add(story)

    def set(self, story: str | None = None, ingesting: bool = False) -> None:
        with self._lock:
            self.story, self.ingesting = story, ingesting

    def run(self) -> None:
        store = self.opener()
        try:
            while not self._halt.wait(max(0.05, self.lease / 3)):
                try:
                    self.beat(store)
                except Exception:  # noqa: BLE001 - a missed beat only shortens the lease
                    pass
        finally:
            store.close()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


def _job_result(report: BatchReport, story_id: str) -> dict:
    """What a job did, stored on it so the run's report covers every worker."""
    return {
        "translated": [t for t in report.translated if t["story"] == story_id],
        "untranslated": [u for u in report.untranslated if u["story"] == story_id],
        "failed": [f for f in report.failed if f["story"] == story_id],
        "missing_engines": dict(report.missing_engines),
        "notes": list(report.notes),
    }


def run_worker(
    store,
    workflow: Workflow,
    user: str | None = None,
    run_id: str | None = None,
    lease: float = DEFAULT_LEASE,
    inboxes: list[Path] | None = None,
    notify: Callable[[str], None] | None = None,
    opener=None,
    poll: float | None = None,
) -> BatchReport:
    """Work one desk's MT jobs with the other workers of a run; returns the run's report.
    `opener()` opens another connection to the same store (the heartbeat's)."""
    from translate.engines.running import Engines
    from translate.lock import BatchLock, BusyError
    from translate.mt import run_mt
    from translate.review.access import require_role
    from translate.store import open_store

    require_role(workflow, user, "batch")
    if lease <= 0:
        raise DeskError(_("--lease must be longer than 0 seconds"))
    notify = notify or (lambda message: None)
    opener = opener or (lambda: open_store(workflow.store))
    # with nothing left to take, look again soon: the last job of another worker usually ends
    # within a second, and the run's checks and report wait for it (one cheap query a time)
    poll = poll if poll is not None else min(0.25, max(0.05, lease / 4))
    me = worker_id()
    report = BatchReport(started=now_iso())
    inboxes = [Path(p) for p in (inboxes or [workflow.inbox])]
    lock = BatchLock(lock_path(workflow))
    try:
        lock.acquire()
        owner = True
    except BusyError:
        owner = False
    now = _now()
    run_id = store.join_run(
        run_id,
        now.strftime("%Y%m%dT%H%M%SZ") + f"-{me}",
        _iso(now),
        _iso(now - timedelta(seconds=lease)),
        _iso(now + timedelta(seconds=lease)) if owner else None,
    )
    report.run = run_id
    say = lambda message: notify(_("worker {worker}: {message}").format(worker=me, message=message))  # noqa: E731
    say(
        _("run {run}, owning the inbox").format(run=run_id)
        if owner
        else _("run {run}").format(run=run_id)
    )
    beat = Heartbeat(workflow, run_id, me, lease, opener)
    checked: set[str] = set()
    engines = Engines(workflow, notify)
    try:
        if owner:
            report.inbox = [str(p) for p in inboxes]
            beat.set(ingesting=True)
            beat.start()
            with _stage(report, "ingest"):
                ingest_inbox(store, workflow, inboxes, user, report, None, notify)
            beat.set(ingesting=False)
            store.set_run_ingest(run_id, None)
        else:
            beat.start()
        with _stage(report, "mt"):
            while True:
                now = _now()
                with store.write():
                    job = store.take_mt_job(
                        run_id, me, _iso(now), _iso(now + timedelta(seconds=lease))
                    )
                    if job and job["lost_by"]:
                        store.log(
                            "mt.takeover",
                            job["story"],
                            user=user,
                            before={"worker": job["lost_by"], "lease_until": job["lost_until"]},
                            after={"worker": me, "run": run_id},
                            note=_("the MT lease of worker {worker} ran out").format(
                                worker=job["lost_by"]
                            ),
                        )
                if job is None:
                    if store.run_busy(run_id, _iso(_now())):
                        time.sleep(poll)
                        continue
                    break
                story_id = job["story"]
                beat.set(story=story_id)
                if job["lost_by"]:
                    say(
                        _("took over {id} from worker {worker}, whose lease ran out").format(
                            id=story_id, worker=job["lost_by"]
                        )
                    )
                one = BatchReport()
                status = "done"
                try:
                    checked |= _record_mt(
                        one,
                        run_mt(store, workflow, [story_id], user=user, notify=notify,
                               engines=engines),
                    )  # fmt: skip
                except Exception as exc:  # noqa: BLE001 - one bad story never stops a worker
                    from translate.batch import _reason

                    status = "failed"
                    reason = _("machine translation failed: {reason}").format(reason=_reason(exc))
                    one.failed.append({"story": story_id, "stage": "mt", "reason": reason})
                    engines.close()  # an engine that failed is not reused
                    engines = Engines(workflow, notify)
                    if store.translated_segment_count(story_id) < len(store.segments(story_id)):
                        with store.write():
                            store.set_story_state(
                                story_id,
                                StoryState.TRANSLATED,
                                user=user,
                                untranslated_reason=reason,
                            )
                beat.set(story=None)
                result = {**_job_result(one, story_id), "worker": me}
                store.finish_mt_job(story_id, me, status, result, _iso(_now()))
                n = sum(t["segments"] for t in one.translated)
                say(
                    _("{id}: {status}, {n} segments").format(id=story_id, status=status, n=n)
                    if status == "done"
                    else _("{id}: failed ({reason})").format(
                        id=story_id, reason=one.failed[0]["reason"]
                    )
                )
        if owner:
            # every worker's MT checked the stories it translated: those are not checked again
            checked |= {
                job["story_id"]
                for job in store.run_jobs(run_id)
                if job["status"] == "done" and (job["result"] or {}).get("translated")
            }
            with _stage(report, "checks"):
                check_queued(store, workflow, checked, report, None)
    finally:
        beat.stop()
        engines.close()
        if owner:
            lock.release()
    _fold_run(store, run_id, report)
    report.finished = now_iso()
    return report


def _fold_run(store, run_id: str, report: BatchReport) -> None:
    """Fill the report with every job of the run, whichever worker did it."""
    from translate.batch import _engines_used

    workers: dict[str, dict] = {}
    report.translated, report.untranslated, report.failed[:] = (
        [],
        [],
        [f for f in report.failed if f["stage"] != "mt"],
    )
    takeovers = []
    for job in store.run_jobs(run_id):
        result = job["result"] or {}
        w = workers.setdefault(
            job["worker"], {"worker": job["worker"], "stories": 0, "segments": 0, "takeovers": 0}
        )
        if job["status"] == "running":
            continue
        w["stories"] += 1
        for t in result.get("translated", []):
            report.translated.append({**t, "worker": job["worker"]})
            w["segments"] += t["segments"]
        report.untranslated.extend(result.get("untranslated", []))
        report.failed.extend(result.get("failed", []))
        report.missing_engines.update(result.get("missing_engines", {}))
        for note in result.get("notes", []):
            if note not in report.notes:
                report.notes.append(note)
        if job["attempts"] > 1:
            w["takeovers"] += 1
            takeovers.append({"story": job["story_id"], "worker": job["worker"]})
    report.workers = sorted(workers.values(), key=lambda w: w["worker"])
    report.takeovers = takeovers
    touched = [t["story"] for t in report.translated] + report.checked
    report.findings = store.findings_by_code(dict.fromkeys(touched))
    report.engines = _engines_used(report)
    report.queue = sum(
        len(store.stories(s)) for s in (StoryState.TRANSLATED, StoryState.IN_TRANSLATION)
    )
