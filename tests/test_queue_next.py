"""`translate queue --next`: the best next story, claimed atomically.

Eight translator processes (multiprocessing, spawn) each run the real CLI (`queue --next --json`)
in a loop until nothing is left: every one of 200 stories is claimed exactly once, and no error
surfaces as a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing

import pytest
from cli_helpers import invoke, invoke_json
from review_support import make_story, open_desk

from translate.store import StoryState, open_store

pytestmark = pytest.mark.both_backends

N = 8
STORIES = 200


def _team(desk, n: int = N) -> list[str]:
    from translate.config import load_workflow
    from translate.team import add_member

    users = [f"t{i}" for i in range(n)]
    for user in users:
        add_member(load_workflow(desk / "workflow.yaml"), user, "translator", ["ru-en"])
    return users


def _next_worker(user: str, barrier, results) -> None:
    """Claim with the real CLI until nothing is left; report every claim and every failure."""
    from translate.cli import run

    claimed, problems = [], []
    barrier.wait()
    try:
        while True:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(["--user", user, "queue", "--next", "--json"])
            if code != 0 or err.getvalue():
                problems.append((code, err.getvalue()))
                break
            got = json.loads(out.getvalue())
            if got is None:
                break
            claimed.append(got["story"])
        results.put((user, claimed, problems))
    except BaseException as exc:  # report, never leave the parent waiting
        results.put((user, claimed, [(-1, repr(exc))]))


def test_eight_translators_claim_two_hundred_stories_each_exactly_once(desk):
    users = _team(desk)
    d = open_desk(desk)
    ids = [make_story(d.store, title=f"Визит министра {i}") for i in range(STORIES)]
    d.store.close()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(N), ctx.Queue()
    procs = [ctx.Process(target=_next_worker, args=(u, barrier, results)) for u in users]
    for p in procs:
        p.start()
    got = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert [problems for _u, _c, problems in got] == [[]] * N
    claimed = [sid for _u, c, _p in got for sid in c]
    assert sorted(claimed) == sorted(ids)  # every story once, none twice
    store = open_store(d.workflow.store)
    by_user = {u: set(c) for u, c, _p in got}
    for sid in ids:
        story = store.story(sid)
        assert story["state"] == StoryState.IN_TRANSLATION
        claims = [e["user"] for e in store.events(sid) if e["action"] == "claim"]
        assert len(claims) == 1 and sid in by_user[claims[0]]
        assert story["claimed_by"] == claims[0]
    store.close()


def test_next_takes_the_best_story_of_my_pairs_and_says_so(desk, monkeypatch):
    d = open_desk(desk)
    low = make_story(d.store, title="Первая")
    high = make_story(d.store, title="Вторая")
    d.store.db["stories"].update(high, {"priority": 5})
    d.store.close()
    result = invoke("--user", "ana", "queue", "--next")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"claimed '{high}' until ")
    assert result.stdout.endswith(": Вторая (ru-en)\n")
    got = invoke_json("--user", "ana", "queue", "--next")
    assert (got["story"], got["claimed_by"], got["pair"], got["previous"]) == (
        low,
        "ana",
        "ru-en",
        None,
    )
    assert invoke_json("--user", "ana", "queue", "--next") is None
    result = invoke("--user", "ana", "queue", "--next")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "nothing to claim: no story in your pairs is waiting for a translator\n"
    # marta translates es-en only: the ru stories are not hers
    assert invoke_json("--user", "marta", "queue", "--next") is None


def test_next_takes_over_an_expired_lease(desk, monkeypatch):
    d = open_desk(desk)
    sid = make_story(d.store)
    d.store.close()
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T09:00:00+00:00")
    assert invoke_json("--user", "ana", "queue", "--next")["story"] == sid
    _team(desk, 1)
    assert invoke_json("--user", "t0", "queue", "--next") is None  # ana's lease runs
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T13:00:01+00:00")  # 4 h later
    got = invoke_json("--user", "t0", "queue", "--next")
    assert (got["story"], got["previous"]) == (sid, "ana")


@pytest.mark.parametrize("user", ["nightly", "mallory"])
def test_next_needs_a_reviewer(desk, user):
    result = invoke("--user", user, "queue", "--next")
    assert result.exit_code == 1
    assert result.stderr.startswith("translate: error: ")
