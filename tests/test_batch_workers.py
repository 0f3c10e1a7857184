"""`translate batch --worker`: several processes share the MT work of one desk under leases.

Real processes (`python -m translate batch --worker`) on `slowecho`, the slow test engine of
publish_support (registered through a real entry point; a test engine, not a translation model).
One worker is killed with SIGKILL while it holds a story's MT job: its lease runs out, another
worker takes the job over, and every segment still ends with exactly one machine version.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import pytest
from publish_support import desk_in, install_engines, subprocess_env, write_story_file

from translate.store import StoryState, open_store

pytestmark = pytest.mark.both_backends

STORIES = 30
DELAY = 0.05  # seconds per sentence: a story takes a few tenths of a second


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "translate", "batch", "--worker", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def team_desk(tmp_path):
    plugins = tmp_path / "plugins"
    install_engines(plugins)
    desk = desk_in(tmp_path / "desk", engines=["slowecho"])
    desk.store.close()
    for n in range(STORIES):
        write_story_file(desk.workflow.inbox, n, "ru" if n % 2 else "es")
    env = subprocess_env(plugins, desk.folder / "workflow.yaml", DELAY)
    return desk, env


def _wait(condition, what: str, procs=(), timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"a worker ended early: {p.communicate()}")
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _query(desk, sql: str, params=()) -> list[dict]:
    store = open_store(desk.workflow.store)
    try:
        return list(store.db.query(sql, list(params)))
    except Exception:  # noqa: BLE001 - the table may not exist before the first worker opens it
        return []
    finally:
        store.close()


def test_three_workers_one_killed_mid_story_every_story_translated_once(team_desk):
    desk, env = team_desk
    report_path = desk.folder / "report.json"
    owner = start(env, "--lease", "2s", "--report", str(report_path))
    lock = desk.workflow.state_dir / "batch.lock"
    _wait(lambda: lock.exists() and lock.read_text().strip(), "the inbox lock", [owner])
    others = [start(env, "--lease", "2s") for _ in range(2)]
    victim = others[1]
    victim_id = f"{socket.gethostname()}:{victim.pid}"
    held: list[dict] = []

    def victim_holds_a_job() -> bool:
        held[:] = _query(
            desk,
            "SELECT story_id FROM mt_jobs WHERE worker = ? AND status = 'running'",
            [victim_id],
        )
        return bool(held)

    _wait(victim_holds_a_job, "the victim to take a job", [owner, *others])
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    lost = held[0]["story_id"]
    results = [p.communicate(timeout=300) for p in (owner, others[0])]
    assert [p.returncode for p in (owner, others[0])] == [0, 0], results

    store = open_store(desk.workflow.store)
    try:
        stories = store.stories()
        assert len(stories) == STORIES  # the inbox owner alone ingested, each file once
        for s in stories:
            assert s["state"] == StoryState.TRANSLATED, s
            actions = Counter(e["action"] for e in store.events(s["id"]))
            assert actions["ingest"] == 1 and actions["mt"] == 1, (s["id"], actions)
            for seg in store.segments(s["id"]):
                versions = store.versions(seg["id"])
                assert [v["origin"] for v in versions] == ["mt"], versions
                assert seg["translation"] == f"EN: {seg['source']}"
        takeovers = [e for e in store.events(lost) if e["action"] == "mt.takeover"]
        assert len(takeovers) == 1
        assert json.loads(takeovers[0]["before"])["worker"] == victim_id
        assert json.loads(takeovers[0]["after"])["worker"] != victim_id
        assert store.inbox_status_counts() == {"ingested": STORIES}
    finally:
        store.close()

    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert len(report["ingested"]) == STORIES
    assert sorted(t["story"] for t in report["translated"]) == sorted(s["id"] for s in stories)
    assert [t["story"] for t in report["takeovers"]] == [lost]
    assert report["run"]
    by_worker = {w["worker"]: w for w in report["workers"]}
    assert len(by_worker) >= 2  # the run's report covers the other workers' jobs too
    assert sum(w["stories"] for w in by_worker.values()) == STORIES
    owner_err = results[0][1]
    assert "owning the inbox" in owner_err
    assert f"run {report['run']}" in results[1][1]  # the second worker joined the same run


def test_a_worker_needs_the_batch_or_editor_role(team_desk):
    desk, env = team_desk
    proc = start({**env, "TRANSLATE_USER": "ana"})
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err == (
        "translate: error: 'ana' may not run the batch: that needs the role batch/editor "
        "('ana' is translator)\n"
    )


def test_run_and_lease_need_worker_and_a_duration(team_desk):
    from cli_helpers import invoke

    desk, _env = team_desk
    result = invoke("--user", "nightly", "batch", "--run", "x")
    assert (result.exit_code, result.stderr) == (2, "translate: error: --run goes with --worker\n")
    result = invoke("--user", "nightly", "batch", "--worker", "--lease", "soon")
    assert result.exit_code == 2
    assert result.stderr == (
        "translate: error: --lease soon: not a duration such as '30s' or '2m'\n"
    )
