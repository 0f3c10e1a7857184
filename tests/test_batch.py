"""The nightly batch in-process: inbox, rejects, report, lock, failures, the demo walkthrough.

MT runs on `slowecho`, a test engine registered through a real entry point (publish_support.py).
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from cli_helpers import invoke
from publish_support import desk_in, install_engines, write_story_file

from translate.lock import BatchLock
from translate.store import StoryState

pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("batch_user")]


@pytest.fixture
def desk(tmp_path, monkeypatch):
    plugins = tmp_path / "plugins"
    install_engines(plugins)
    monkeypatch.syspath_prepend(str(plugins))
    d = desk_in(tmp_path / "desk", engines=["slowecho"])
    monkeypatch.setenv("TRANSLATE_WORKFLOW", str(d.folder / "workflow.yaml"))
    yield d
    d.store.close()


def inbox(desk):
    return desk.workflow.inbox


def test_batch_ingests_translates_checks_and_reports(desk, tmp_path):
    write_story_file(inbox(desk), 1, "ru")
    write_story_file(inbox(desk), 2, "es")
    (inbox(desk) / "notes.docx").write_bytes(b"PK\x03\x04 not a story")
    (inbox(desk) / ".uploading.md").write_text("half a file", encoding="utf-8")
    report_file = tmp_path / "report.json"
    result = invoke("batch", "--report", report_file)
    assert result.exit_code == 3, result.stderr
    lines = result.stderr.splitlines()
    assert (
        "batch: 2 ingested, 1 rejected, 2 translated, 0 queued untranslated, 0 failed; "
        "2 in the queue" in lines
    )
    assert "batch: engine slowecho echo-ruen 1.0 for ru-en: 6 segments" in lines
    assert "batch: engine slowecho echo-esen 1.0 for es-en: 6 segments" in lines
    bad = inbox(desk) / "notes.docx"
    message = f"{bad}: unknown file type '.docx' (use .md, .html or .txt)"
    assert f"batch: rejected: {message}" in lines

    rejected = inbox(desk) / "rejected"
    assert sorted(p.name for p in rejected.iterdir()) == ["notes.docx", "notes.docx.error.txt"]
    assert (rejected / "notes.docx.error.txt").read_text(encoding="utf-8") == message + "\n"
    processed = sorted(p.name for p in (inbox(desk) / "processed").iterdir())
    assert processed == ["story-es-02.md", "story-ru-01.md"]
    assert (inbox(desk) / ".uploading.md").exists()  # hidden files are left alone

    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["exit_code"] == 3
    assert [r["title"] for r in report["ingested"]] == ["Noticias número 2", "Новости номер 1"]
    assert report["rejected"] == [
        {"file": str(bad), "error": message, "moved_to": str(rejected / "notes.docx")}
    ]
    assert {t["story"] for t in report["translated"]} == {r["story"] for r in report["ingested"]}
    assert [(e["engine"], e["model"], e["pairs"]) for e in report["engines"]] == [
        ("slowecho", "echo-esen", ["es-en"]),
        ("slowecho", "echo-ruen", ["ru-en"]),
    ]
    assert set(report["seconds"]) == {"ingest", "mt", "checks"}
    assert isinstance(report["findings"], dict) and report["failed"] == []
    for r in report["ingested"]:
        story = desk.store.story(r["story"])
        assert story["state"] == StoryState.TRANSLATED
        assert all(s["translation"].startswith("EN: ") for s in desk.store.segments(r["story"]))


def test_a_file_is_never_ingested_twice(desk):
    path = write_story_file(inbox(desk), 1, "ru")
    copy = path.read_bytes()
    assert invoke("batch").exit_code == 0
    assert invoke("batch").exit_code == 0  # nothing new
    path.write_bytes(copy)  # the same file dropped again (or left behind by a crash)
    result = invoke("batch", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(open("r.json", encoding="utf-8").read())
    assert report["ingested"] == [] and len(report["already_ingested"]) == 1
    assert len(desk.store.stories()) == 1
    assert sorted(p.name for p in (inbox(desk) / "processed").iterdir()) == [
        "story-ru-01-2.md",
        "story-ru-01.md",
    ]


def test_same_story_in_another_file_is_rejected_as_a_duplicate(desk):
    path = write_story_file(inbox(desk), 1, "ru")
    text = path.read_text(encoding="utf-8")
    assert invoke("batch").exit_code == 0
    other = inbox(desk) / "again.md"
    other.write_text(text + "\n", encoding="utf-8")  # other bytes, same story
    result = invoke("batch")
    assert result.exit_code == 3
    [story] = desk.store.stories()
    error = (inbox(desk) / "rejected" / "again.md.error.txt").read_text(encoding="utf-8")
    assert error == f"{other}: already ingested as '{story['id']}' ({story['title']})\n"


def test_language_comes_from_the_inbox_folder(desk):
    folder = inbox(desk) / "es"
    folder.mkdir(parents=True)
    (folder / "nota.txt").write_text(
        "Orquídeas en Mapastepec\n\nLas orquídeas rescatadas de la selva atraen de nuevo a "
        "quienes emigraron de la comunidad de Santa Rita.\n",
        encoding="utf-8",
    )
    assert invoke("batch").exit_code == 0
    [story] = desk.store.stories()
    assert story["language"] == "es" and story["title"] == "Orquídeas en Mapastepec"
    assert (inbox(desk) / "processed" / "es" / "nota.txt").exists()


def test_second_batch_exits_busy_while_one_runs(desk):
    write_story_file(inbox(desk), 1, "ru")
    from translate.batch import lock_path

    with BatchLock(lock_path(desk.workflow)):
        result = invoke("batch")
    assert result.exit_code == 4
    assert result.stderr.startswith(
        f"translate: error: another batch is running (pid {os.getpid()}, started "
    )
    assert result.stderr.endswith(f"lock file {lock_path(desk.workflow)}. Wait for it to finish.\n")
    assert desk.store.stories() == []  # it did nothing
    assert invoke("batch").exit_code == 0  # the lock was released


def test_stale_lock_of_a_dead_process_is_taken_over(desk):
    from translate.batch import lock_path

    path = lock_path(desk.workflow)
    path.parent.mkdir(parents=True, exist_ok=True)
    dead = 4_194_000  # above any pid_max default in use: no such process
    path.write_text(json.dumps({"pid": dead, "started": "2012-10-14T02:00:00+00:00"}))
    write_story_file(inbox(desk), 1, "ru")
    result = invoke("batch", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    assert (
        f"batch: took over a stale lock left by pid {dead} (started 2012-10-14T02:00:00+00:00), "
        "which is gone\n" in result.stderr
    )
    assert json.loads(open("r.json").read())["stale_lock"]["pid"] == dead
    assert len(desk.store.stories()) == 1
    assert path.read_text() == ""  # released


def test_one_bad_story_never_stops_the_batch(desk):
    write_story_file(inbox(desk), 1, "ru")
    write_story_file(inbox(desk), 2, "ru", extra="BOOM.")
    write_story_file(inbox(desk), 3, "es")
    result = invoke("batch", "--report", "r.json")
    assert result.exit_code == 3, result.stderr
    report = json.loads(open("r.json", encoding="utf-8").read())
    bad = next(r["story"] for r in report["ingested"] if r["title"].endswith("2"))
    reason = (
        "machine translation failed: engine 'slowecho' failed on ru-en: "
        "cannot translate a sentence with BOOM"
    )
    [failed] = report["failed"]
    assert (failed["story"], failed["stage"]) == (bad, "mt")
    assert failed["reason"].startswith(reason)  # MT may add advice after the cause
    assert len(report["translated"]) == 2 and bad not in {t["story"] for t in report["translated"]}
    assert f"batch: failed {bad} (mt): {failed['reason']}" in result.stderr.splitlines()
    story = desk.store.story(bad)
    assert story["state"] == StoryState.TRANSLATED
    assert story["untranslated_reason"] == failed["reason"]


def test_a_failing_check_is_reported_for_its_story_only(desk, monkeypatch):
    write_story_file(inbox(desk), 1, "ru")
    assert invoke("batch").exit_code == 0
    [old] = [s["id"] for s in desk.store.stories()]
    write_story_file(inbox(desk), 2, "ru")
    import translate.checks

    real = translate.checks.check_story

    def flaky(store, workflow, story_id, segment_ids=None):
        if story_id == old:
            raise RuntimeError("checker crashed")
        return real(store, workflow, story_id, segment_ids)

    monkeypatch.setattr(translate.checks, "check_story", flaky)
    result = invoke("batch", "--report", "r.json")
    assert result.exit_code == 3
    report = json.loads(open("r.json", encoding="utf-8").read())
    assert report["failed"] == [
        {"story": old, "stage": "checks", "reason": "RuntimeError: checker crashed"}
    ]
    assert len(report["ingested"]) == 1 and len(report["translated"]) == 1


def test_no_engine_for_a_pair_queues_the_story_untranslated_with_the_reason(desk):
    path = desk.folder / "workflow.yaml"
    path.write_text(path.read_text().replace("engines: [slowecho]", "engines: [nosuch]"))
    write_story_file(inbox(desk), 1, "ru")
    result = invoke("batch", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(open("r.json", encoding="utf-8").read())
    [row] = report["untranslated"]
    assert row["reason"].startswith("no engine for ru-en: install a model with")
    assert desk.store.story(row["story"])["state"] == StoryState.TRANSLATED


def test_empty_inbox_is_fine(desk):
    inbox(desk).mkdir()
    result = invoke("batch")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "batch: 0 ingested, 0 rejected, 0 translated, 0 queued untranslated, 0 failed; "
        "0 in the queue"
    )


def test_a_missing_inbox_is_said_and_a_missing_inbox_option_refused(desk, tmp_path):
    """A typo in workflow.yaml or a cron line must not pass for an empty inbox."""
    result = invoke("batch", "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.stderr
    note = f"inbox {inbox(desk)} does not exist; nothing ingested from it"
    assert result.stderr.splitlines()[0] == f"batch: {note}"
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["notes"] == [note]
    result = invoke("batch", "--inbox", tmp_path / "inbx")
    assert result.exit_code == 2
    assert result.stderr == f"translate: error: --inbox {tmp_path / 'inbx'}: no such folder\n"


def test_demo_walkthrough_publishes_with_the_review_library(desk):
    write_story_file(inbox(desk), 1, "ru")
    write_story_file(inbox(desk), 2, "es")
    result = invoke("batch", "--demo")
    assert result.exit_code == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "== DEMO WALKTHROUGH: simulated people, not a real review =="
    assert all(line.startswith("[demo] ") for line in out[1:])
    ru = next(s["id"] for s in desk.store.stories() if s["language"] == "ru")
    assert f"[demo] ana (translator) claims {ru}" in out
    assert f"[demo] eve (editor) approves {ru}" in out
    published = sorted(p.suffix for p in desk.workflow.output.iterdir())
    assert published == [".html", ".html", ".json", ".json", ".md", ".md"]
    assert {s["state"] for s in desk.store.stories()} == {StoryState.PUBLISHED}
    actions = [e["action"] for e in desk.store.events(ru)]
    assert actions.count("approve") == 1 and actions[-1] == "publish"
    approvals = desk.store.approvers(ru)
    assert approvals == ["eve"]


def test_demo_skips_a_story_without_a_machine_draft(desk):
    path = desk.folder / "workflow.yaml"
    path.write_text(path.read_text().replace("engines: [slowecho]", "engines: [nosuch]", 1))
    write_story_file(inbox(desk), 1, "ru")
    result = invoke("batch", "--demo")
    assert result.exit_code == 0
    [story] = desk.store.stories()
    assert any(
        line.startswith(f"[demo] skipped {story['id']}: no engine for ru-en")
        for line in result.stdout.splitlines()
    )
    assert not desk.workflow.output.exists()


def test_inbox_option_overrides_the_workflow(desk, tmp_path):
    other = tmp_path / "elsewhere"
    write_story_file(other, 1, "es")
    write_story_file(inbox(desk), 2, "ru")
    assert invoke("batch", "--inbox", other).exit_code == 0
    assert [s["language"] for s in desk.store.stories()] == ["es"]
    shutil.rmtree(other)


def test_a_rerun_sweeps_the_temporary_files_a_killed_batch_left(desk):
    write_story_file(inbox(desk), 1, "ru")
    rejected = inbox(desk) / "rejected"
    rejected.mkdir(parents=True)
    leftover = rejected / ".broken.md.error.txt.k3j2.tmp"  # an atomic write cut by kill -9
    leftover.write_text("half", encoding="utf-8")
    keep = rejected / "old.md"
    keep.write_text("a rejected story stays", encoding="utf-8")
    result = invoke("batch")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in rejected.iterdir()) == ["old.md"]
