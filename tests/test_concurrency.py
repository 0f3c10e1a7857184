"""Racing processes: claims are atomic, and edits from the same version never overwrite each other.

Eight real processes (multiprocessing, spawn) each open their own connection to the store, wait at a
barrier and then act at once; the IMMEDIATE transaction around each read-check-write serialises them.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing

import pytest
from review_support import make_story, open_desk

from translate.store import open_store

pytestmark = pytest.mark.both_backends

N = 8


def _claim_worker(workflow_path: str, story_id: str, user: str, barrier, results) -> None:
    from pathlib import Path

    from translate import review
    from translate.config import load_workflow

    workflow = load_workflow(Path(workflow_path))
    store = open_store(workflow.store)
    barrier.wait()
    try:
        review.claim(store, workflow, story_id, user)
        results.put((user, 0, ""))
    except review.ClaimError as exc:
        results.put((user, int(exc.exit_code), exc.message))
    except BaseException as exc:  # report, never leave the parent waiting
        results.put((user, -1, repr(exc)))
    finally:
        store.close()


def _edit_worker(story_id: str, base: int, user: str, barrier, results) -> None:
    """Run the real CLI (`translate edit ... --base`) in this process, capturing its stderr."""
    from translate.cli import run

    err = io.StringIO()
    barrier.wait()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = run(
                ["edit", story_id, "2", "--text", f"Version by {user}.", "--base", str(base)]
            )
        results.put((user, code, err.getvalue()))
    except BaseException as exc:  # report, never leave the parent waiting
        results.put((user, -1, repr(exc)))


def _race(target, args_for) -> list[tuple[str, int, str]]:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(N), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(i), barrier, results)) for i in range(N)]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return got


def _team_of_eight(desk) -> list[str]:
    from translate.config import load_workflow
    from translate.team import add_member

    users = [f"t{i}" for i in range(N)]
    for user in users:
        add_member(load_workflow(desk / "workflow.yaml"), user, "translator", ["ru-en"])
    return users


def test_eight_processes_claim_the_same_story_exactly_one_wins(desk):
    users = _team_of_eight(desk)
    d = open_desk(desk)
    sid = make_story(d.store)
    d.store.close()
    got = _race(_claim_worker, lambda i: (str(d.workflow.path), sid, users[i]))
    winners = [u for u, code, _ in got if code == 0]
    assert len(winners) == 1
    (winner,) = winners
    losers = [(code, msg) for u, code, msg in got if code != 0]
    assert len(losers) == N - 1
    assert all(code == 4 for code, _ in losers)
    assert all(msg.startswith(f"'{sid}' is claimed by {winner} until ") for _, msg in losers)
    store = open_store(d.workflow.store)
    assert store.story(sid)["claimed_by"] == winner
    assert [e["user"] for e in store.events(sid) if e["action"] == "claim"] == [winner]
    store.close()


def test_eight_processes_edit_the_same_segment_from_the_same_version_one_wins(desk, monkeypatch):
    from translate import review

    _team_of_eight(desk)
    d = open_desk(desk)
    sid = make_story(d.store)
    # the claim holder edits from 8 terminals at once (a claim admits one person, not one process)
    review.claim(d.store, d.workflow, sid, "t0")
    seg = d.store.segment(sid, 2)
    base, old_text = seg["version_id"], seg["translation"]
    versions_before = len(d.store.versions(seg["id"]))
    d.store.close()
    monkeypatch.setenv("TRANSLATE_USER", "t0")
    got = _race(_edit_worker, lambda i: (sid, base, f"p{i}"))
    winners = [u for u, code, _ in got if code == 0]
    assert len(winners) == 1
    (winner,) = winners
    losers = [(code, err) for u, code, err in got if code != 0]
    assert all(code == 5 for code, _ in losers)
    for _, err in losers:
        lines = err.splitlines()
        assert lines[0].startswith(
            f"translate: error: segment 2 of '{sid}' changed since you read it"
        )
        assert lines[0].endswith("by t0); nothing saved")
        assert lines[1] == f"  theirs: Version by {winner}."
        assert lines[2].startswith("  yours:  Version by p")
        assert lines[2] != f"  yours:  Version by {winner}."
    store = open_store(d.workflow.store)
    seg = store.segment(sid, 2)
    assert seg["translation"] == f"Version by {winner}."
    assert len(store.versions(seg["id"])) == versions_before + 1
    edits = [e for e in store.events(sid) if e["action"] == "edit"]
    assert [(e["before"], e["after"]) for e in edits] == [(old_text, f"Version by {winner}.")]
    store.close()
