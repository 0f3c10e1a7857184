"""The nightly batch: inbox → ingest → MT (one model load per pair) → checks → the review queue.

    with the batch lock held:
      1. ingest every new inbox file (translate.inbox: exactly once, bad files to rejected/)
      2. machine-translate every pending story in one job (translate.mt.run_mt: one engine per
         pair, masked glossary terms, one transaction per story, checks after each story)
      3. check every queued story MT did not just check (a re-run after a crash, a changed
         glossary); check_story replaces findings, so checking twice never duplicates them
    and report what happened (BatchReport.as_dict() is the --report JSON).

Failures are contained: a bad file is rejected, an engine crash falls back to one MT job per story
so one bad story cannot take the others down, a check that fails is recorded for its story. Any
of these makes the exit code 3 (ExitCode.PARTIAL). Work is committed story by story: after a
kill -9 the next batch finishes the job and nothing is done twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from translate.clock import now_iso
from translate.config import Workflow
from translate.errors import DeskError, ExitCode
from translate.i18n import _, ngettext
from translate.store.states import StoryState

ProgressFactory = Callable[[int, str], AbstractContextManager[Any]]
Notify = Callable[[str], None]


@dataclass
class BatchReport:
    started: str = ""
    finished: str = ""
    inbox: list[str] = field(default_factory=list)
    ingested: list[dict] = field(default_factory=list)
    already_ingested: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # inbox FIFOs, devices, sockets
    translated: list[dict] = field(default_factory=list)
    untranslated: list[dict] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    engines: list[dict] = field(default_factory=list)
    missing_engines: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    queue: int = 0
    stale_lock: dict | None = None
    run: str | None = None  # batch workers: the run every worker's jobs belong to
    workers: list[dict] = field(default_factory=list)
    takeovers: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if (self.failed or self.rejected) else ExitCode.OK

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["exit_code"] = int(self.exit_code)
        data["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return data


def lock_path(workflow: Workflow) -> Path:
    return workflow.state_dir / "batch.lock"


def _stage(report: BatchReport, name: str):
    class _Timer:
        def __enter__(self):
            self.t = time.monotonic()

        def __exit__(self, *exc):
            report.seconds[name] = report.seconds.get(name, 0.0) + time.monotonic() - self.t

    return _Timer()


def _bar(progress: ProgressFactory | None, total: int, label: str):
    return progress(total, label) if (progress and total) else nullcontext()


# ---------------------------------------------------------------- stages


def ingest_inbox(store, workflow, inboxes, user, report, progress, notify) -> None:
    from translate.inbox import ingest_file, scan, special_files, sweep_leftovers

    for inbox in inboxes:
        if not Path(inbox).is_dir():
            note = _("inbox {path} does not exist; nothing ingested from it").format(path=inbox)
            report.notes.append(note)
            notify(note)
    for inbox in inboxes:
        for path, kind in special_files(inbox):
            reason = _("{kind}, not a regular file; skipped").format(kind=kind)
            report.skipped.append({"file": str(path), "reason": reason})
            notify(_("{path}: {reason}").format(path=path, reason=reason))
    for inbox in inboxes:
        if Path(inbox).is_dir():
            sweep_leftovers(inbox)
    files = [(inbox, path) for inbox in inboxes for path in scan(inbox)]
    with _bar(progress, len(files), _("ingesting")) as bar:
        for inbox, path in files:
            r = ingest_file(store, workflow, inbox, path, user)
            if r.status == "ingested":
                report.ingested.append(
                    {
                        "file": r.path,
                        "story": r.story_id,
                        "title": r.title,
                        "language": r.language,
                        "segments": r.segments,
                        **({"warnings": r.warnings} if r.warnings else {}),
                        **({"revision": r.revision} if r.revision else {}),
                    }
                )
            elif r.status == "already":
                report.already_ingested.append({"file": r.path, "story": r.story_id})
            else:
                report.rejected.append({"file": r.path, "error": r.error, "moved_to": r.moved_to})
            if bar is not None and hasattr(bar, "advance"):
                bar.advance()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DeskError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"


def _record_mt(report: BatchReport, mt_report) -> set[str]:
    """Fold an MTReport into the batch report; returns the ids of stories MT checked."""
    checked = set()
    for s in mt_report.stories:
        if s.skipped:
            continue
        if s.translated:
            checked.add(s.id)
            report.translated.append(
                {
                    "story": s.id,
                    "pair": s.pair,
                    "engine": s.engine,
                    "model": s.model,
                    "model_version": s.model_version,
                    "segments": s.translated,
                    "from_tm": s.from_tm,
                    "unmasked_retries": s.unmasked_retries,
                    "aligned_terms": s.aligned_terms,
                }
            )
        if s.untranslated_reason:  # also after a partial fill from the TM
            report.untranslated.append({"story": s.id, "reason": s.untranslated_reason})
    report.missing_engines.update(mt_report.missing)
    report.notes.extend(n for n in mt_report.notes if n not in report.notes)
    return checked


def _pending_ids(store) -> list[str]:
    """Stories MT still owes something: ingested ones, and queued ones with untranslated segments."""
    from translate.mt import MT_STATES

    return [
        r["id"]
        for state in MT_STATES
        for r in store.stories(state)
        if state == StoryState.INGESTED or store.translated_segment_count(r["id"]) < r["segments"]
    ]


def translate_pending(store, workflow, user, report, progress, notify) -> set[str]:
    """One MT job for everything pending; on an engine failure, one job per story."""
    from translate.mt import run_mt

    before = _pending_ids(store)
    try:
        return _record_mt(report, run_mt(store, workflow, None, user=user, progress=progress,
                                         notify=notify))  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - isolate the bad story below
        notify(_("machine translation failed ({reason}); retrying story by story").format(
            reason=_reason(exc)))  # fmt: skip
    remaining = _pending_ids(store)
    # stories the failed job stored before it stopped (MT checked each as it stored it)
    checked = {sid for sid in before if sid not in remaining}
    for story_id in checked:
        _record_stored(store, story_id, report)
    for story_id in remaining:
        try:
            checked |= _record_mt(report, run_mt(store, workflow, [story_id], user=user,
                                                 notify=notify))  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - one bad story never stops the batch
            reason = _("machine translation failed: {reason}").format(reason=_reason(exc))
            report.failed.append({"story": story_id, "stage": "mt", "reason": reason})
            if store.translated_segment_count(story_id) < len(store.segments(story_id)):
                with store.write():
                    store.set_story_state(
                        story_id, StoryState.TRANSLATED, user=user, untranslated_reason=reason
                    )
    return checked


def _record_stored(store, story_id: str, report: BatchReport) -> None:
    story = store.story(story_id)
    for used in store.machine_translation_used(story_id)[-1:]:
        report.translated.append(
            {
                "story": story_id,
                "pair": f"{story['language']}-{story['target_language']}",
                "engine": used["engine"],
                "model": used["model"],
                "model_version": used["model_version"],
                "segments": store.translated_segment_count(story_id),
                "unmasked_retries": 0,
                "aligned_terms": 0,
            }
        )


def check_queued(store, workflow, already: set[str], report, progress) -> None:
    from translate.checks import check_story

    todo = [
        r["id"]
        for r in store.stories(StoryState.TRANSLATED)
        if r["id"] not in already and store.translated_segment_count(r["id"])
    ]
    with _bar(progress, len(todo), _("checking")) as bar:
        for story_id in todo:
            try:
                check_story(store, workflow, story_id)
                report.checked.append(story_id)
            except Exception as exc:  # noqa: BLE001 - one story's failure is reported, not fatal
                report.failed.append({"story": story_id, "stage": "checks", "reason": _reason(exc)})
            if bar is not None and hasattr(bar, "advance"):
                bar.advance()


def _engines_used(report: BatchReport) -> list[dict]:
    """Segments per engine and model; exact TM matches count under the engine "tm"."""
    from translate.mt import TM_ENGINE

    used: dict[tuple, dict] = {}
    for t in report.translated:
        from_tm = t.get("from_tm", 0)
        for key, n in (
            ((t["engine"], t["model"], t["model_version"]), t["segments"] - from_tm),
            ((TM_ENGINE, None, None), from_tm),
        ):
            if n <= 0:
                continue
            row = used.setdefault(
                key,
                {
                    "engine": key[0],
                    "model": key[1],
                    "model_version": key[2],
                    "pairs": [],
                    "segments": 0,
                },
            )
            if t["pair"] not in row["pairs"]:
                row["pairs"].append(t["pair"])
            row["segments"] += n
    return list(used.values())


def run_batch(
    store,
    workflow: Workflow,
    inboxes: list[Path] | None = None,
    user: str | None = None,
    progress: ProgressFactory | None = None,
    notify: Notify | None = None,
) -> BatchReport:
    """Run the nightly batch under the batch lock; raises lock.BusyError when one is running.
    Needs the batch or editor role."""
    from translate.lock import BatchLock
    from translate.review.access import require_role

    require_role(workflow, user, "batch")
    notify = notify or (lambda message: None)
    report = BatchReport(started=now_iso())
    inboxes = [Path(p) for p in (inboxes or [workflow.inbox])]
    report.inbox = [str(p) for p in inboxes]
    with BatchLock(lock_path(workflow)) as lock:
        if lock.stale:
            report.stale_lock = lock.stale
            notify(
                _("took over a stale lock left by pid {pid} (started {at}), which is gone").format(
                    pid=lock.stale.get("pid"), at=lock.stale.get("started", "?")
                )
            )
        with _stage(report, "ingest"):
            ingest_inbox(store, workflow, inboxes, user, report, progress, notify)
        with _stage(report, "mt"):
            checked = translate_pending(store, workflow, user, report, progress, notify)
        with _stage(report, "checks"):
            check_queued(store, workflow, checked, report, progress)
        touched = [t["story"] for t in report.translated] + report.checked
        report.findings = store.findings_by_code(dict.fromkeys(touched))
        report.engines = _engines_used(report)
        report.queue = sum(
            len(store.stories(s)) for s in (StoryState.TRANSLATED, StoryState.IN_TRANSLATION)
        )
    report.finished = now_iso()
    return report


def summary(report: BatchReport) -> list[str]:
    """The short human summary printed on stderr."""
    lines = [
        _("batch: {ingested} ingested, {rejected} rejected, {translated} translated, "
          "{untranslated} queued untranslated, {failed} failed; {queue} in the queue").format(
            ingested=len(report.ingested),
            rejected=len(report.rejected),
            translated=len(report.translated),
            untranslated=len(report.untranslated),
            failed=len(report.failed),
            queue=report.queue,
        )
    ]  # fmt: skip
    for e in report.engines:
        model = " ".join(x for x in (e["model"], e["model_version"]) if x)
        n = ngettext("{n} segment", "{n} segments", e["segments"]).format(n=e["segments"])
        if e["engine"] == "tm" and not model:
            line = _("batch: translation memory (exact matches) for {pairs}: {n}")
        else:
            line = _("batch: engine {engine} {model} for {pairs}: {n}")
        lines.append(line.format(engine=e["engine"], model=model, pairs=", ".join(e["pairs"]), n=n))
    for pair, why in report.missing_engines.items():
        lines.append(_("batch: {pair}: {why}").format(pair=pair, why=why))
    if report.findings:
        found = ", ".join(f"{code} {n}" for code, n in sorted(report.findings.items()))
        lines.append(_("batch: findings: {list}").format(list=found))
    for w in report.workers:
        lines.append(
            _("batch: run {run}: worker {worker}: {stories} stories, {segments} segments, "
              "{takeovers} taken over").format(run=report.run, **w)
        )  # fmt: skip
    timing = ", ".join(f"{stage} {secs:.1f} s" for stage, secs in report.seconds.items())
    lines.append(_("batch: time: {list}").format(list=timing))
    for r in report.rejected:
        lines.append(_("batch: rejected: {error}").format(error=r["error"]))
    for r in report.skipped:
        lines.append(_("batch: skipped {file}: {reason}").format(**r))
    for f in report.failed:
        lines.append(
            _("batch: failed {story} ({stage}): {reason}").format(
                story=f["story"], stage=f["stage"], reason=f["reason"]
            )
        )
    return lines
