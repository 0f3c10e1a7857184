"""The batch as a real process: kill -9 at random points then a re-run; two concurrent batches.

The batch runs `python -m translate batch` in a subprocess on `slowecho` (a test engine registered
through a real entry point; BATCH_TEST_ENGINE_DELAY makes it sleep per sentence so the process can
be killed while it works). No assertion depends on timing: wherever the kill lands, the re-run must
finish the job with every story processed exactly once and the store intact.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from publish_support import desk_in, install_engines, subprocess_env, write_story_file

from translate.store import StoryState, open_store

GOOD_FILES = 6
DELAY = 0.03  # seconds per sentence while a test wants the batch slow


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "translate", "batch", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def setup(tmp_path):
    plugins = tmp_path / "plugins"
    install_engines(plugins)

    def make(name: str):
        desk = desk_in(tmp_path / name, engines=["slowecho"])
        desk.store.close()
        for n in range(GOOD_FILES):
            write_story_file(desk.workflow.inbox, n, "ru" if n % 2 else "es")
        (desk.workflow.inbox / "broken.md").write_text("---\ntitle: [unclosed\n", "utf-8")
        workflow = desk.folder / "workflow.yaml"
        return desk, lambda delay=0.0: subprocess_env(plugins, workflow, delay)

    return make


def check_done_exactly_once(desk) -> None:
    inbox = desk.workflow.inbox
    left = sorted(p.name for p in inbox.iterdir())
    assert left == ["processed", "rejected"], left
    assert len(list((inbox / "processed").iterdir())) == GOOD_FILES
    assert sorted(p.name for p in (inbox / "rejected").iterdir()) == [
        "broken.md",
        "broken.md.error.txt",
    ]
    store = open_store(desk.workflow.store)
    try:
        assert store.integrity_ok()
        stories = store.stories()
        assert len(stories) == GOOD_FILES  # each file ingested once
        assert len({s["title"] for s in stories}) == GOOD_FILES
        for s in stories:
            assert s["state"] == StoryState.TRANSLATED, s
            actions = Counter(e["action"] for e in store.events(s["id"]))
            assert actions["ingest"] == 1 and actions["mt"] == 1, actions
            for seg in store.segments(s["id"]):
                versions = store.versions(seg["id"])
                assert [v["origin"] for v in versions] == ["mt"], versions
                assert seg["translation"] == f"EN: {seg['source']}"
            findings = [(f["segment_id"], f["code"], f["message"]) for f in store.findings(s["id"])]
            assert len(findings) == len(set(findings))  # checks never stored twice
        assert store.inbox_status_counts() == {"ingested": GOOD_FILES, "rejected": 1}
    finally:
        store.close()


def wait_for_lock(desk, proc: subprocess.Popen) -> None:
    lock = Path(desk.workflow.store).parent / "batch.lock"
    for _ in range(600):
        if lock.exists() and lock.read_text().strip():
            return
        if proc.poll() is not None:
            raise AssertionError(f"batch ended early: {proc.communicate()}")
        time.sleep(0.05)
    raise AssertionError("the batch never took its lock")


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kill_9_at_a_random_point_then_rerun_processes_everything_once(setup, seed):
    desk, env = setup(f"desk{seed}")
    rng = random.Random(seed)
    # two kills per desk: one early (ingest, MT start), one later (MT, checks), then a clean run
    kills = [rng.uniform(0.0, 0.5), rng.uniform(0.2, 1.5)]
    for delay in kills:
        proc = start(env(DELAY))
        wait_for_lock(desk, proc)  # the batch is running: it holds the lock
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    final = start(env(), "--report", str(desk.folder / "report.json"))
    out, err = final.communicate(timeout=300)
    assert final.returncode in (0, 3), err  # 3 when this run (not a killed one) met broken.md
    check_done_exactly_once(desk)
    report = json.loads((desk.folder / "report.json").read_text(encoding="utf-8"))
    if report["stale_lock"] is not None:
        assert "took over a stale lock left by pid" in err


def test_two_concurrent_batches(setup):
    desk, env = setup("desk")
    first = start(env(DELAY))
    wait_for_lock(desk, first)
    second = start(env())
    out, err = second.communicate(timeout=120)
    assert second.returncode == 4
    assert err.startswith(f"translate: error: another batch is running (pid {first.pid}, started ")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 3, err
    check_done_exactly_once(desk)
    lock = Path(desk.workflow.store).parent / "batch.lock"
    assert lock.read_text() == ""
    assert os.path.exists(lock)
