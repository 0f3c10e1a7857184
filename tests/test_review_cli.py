"""The review commands through the real entry point: output, exact errors and exit codes."""

from __future__ import annotations

import json

import pytest
from cli_helpers import error_lines, invoke, invoke_json
from review_support import NOW, SENTENCES, make_story, open_desk

from translate.store import SegmentState, StoryState

pytestmark = pytest.mark.both_backends

REVIEW_COMMANDS = [
    "queue",
    "claim",
    "release",
    "reassign",
    "review",
    "edit",
    "confirm",
    "comment",
    "submit",
    "approve",
    "reject",
]


@pytest.fixture
def rd(desk, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = open_desk(desk)
    yield d
    d.store.close()


@pytest.fixture
def sid(rd):
    return make_story(rd.store)


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def fails(code: int, *args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = error_lines(result)
    assert lines, result.stderr
    return result.stderr.strip().removeprefix("translate: error: ")


@pytest.mark.parametrize("command", REVIEW_COMMANDS)
def test_help_says_identity_is_asserted_not_authenticated(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "asserts who you are, it does not authenticate you" in text
    assert "permissions are the boundary" in text


def test_claim_release_and_the_busy_exit_code(rd, sid):
    assert ok("claim", sid) == f"claimed '{sid}' until Oct 15, 2012, 13:00 UTC\n"
    assert fails(4, "--user", "eve", "claim", sid) == (
        f"'{sid}' is claimed by ana until Oct 15, 2012, 13:00 UTC"
    )
    assert ok("release", sid) == f"released '{sid}'\n"
    got = invoke_json("--user", "eve", "claim", sid)
    assert got == {
        "story": sid,
        "claimed_by": "eve",
        "claim_until": "2012-10-15T13:00:00+00:00",
        "previous": None,
    }


def test_unknown_user_is_refused(rd, sid):
    assert fails(1, "--user", "mallory", "queue") == (
        f"unknown user 'mallory': not on the team in {rd.workflow.path} (see 'translate team add')"
    )
    assert fails(1, "--user", "mallory", "comment", sid, "--text", "hi").startswith(
        "unknown user 'mallory'"
    )


def test_queue_json_and_table(rd, sid):
    assert invoke_json("queue") == [
        {
            "id": sid,
            "title": "Визит министра",
            "pair": "ru-en",
            "state": "translated",
            "task": "translate",
            "claimed_by": None,
            "claim_until": None,
            "priority": 0,
            "deadline": None,
            "due_in": None,
            "overdue": False,
            "segments": 6,
            "confirmed": 0,
            "low_confidence": 0.0,
            "rejected": False,
            "note": None,
        }
    ]
    table = ok("queue").splitlines()
    assert table[0].split() == [
        "id",
        "task",
        "pair",
        "confirmed",
        "low",
        "confidence",
        "claim",
        "priority",
        "deadline",
        "title",
    ]
    assert table[1].split()[:4] == [sid, "translate", "ru-en", "0/6"]
    result = invoke("--user", "eve", "queue")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "nothing in your queue\n")


def test_edit_from_text_file_and_stdin(rd, sid, tmp_path):
    ok("claim", sid)
    out = ok("edit", sid, "2", "--text", "The minister arrived early.")
    vid = rd.store.segment(sid, 2)["version_id"]
    assert out == f"segment 2: saved as version {vid}\n"
    path = tmp_path / "t.txt"
    path.write_text("The talks lasted all day.\n", encoding="utf-8")
    ok("edit", sid, "3", "--file", str(path))
    assert rd.store.segment(sid, 3)["translation"] == "The talks lasted all day."
    result = invoke("edit", sid, "4", "--file", "-", input="They agreed to meet again.\n")
    assert result.exit_code == 0, result.stderr
    assert rd.store.segment(sid, 4)["translation"] == "They agreed to meet again."
    assert ok("edit", sid, "4", "--text", "They agreed to meet again.").startswith(
        "segment 4: unchanged"
    )


def test_edit_usage_errors(rd, sid):
    assert fails(2, "edit", sid, "2") == "give the translation with exactly one of --text or --file"
    assert invoke("edit", sid, "two", "--text", "x").exit_code == 2


def test_a_stale_edit_exits_5_showing_both_texts(rd, sid):
    ok("claim", sid)
    base = str(rd.store.segment(sid, 2)["version_id"])
    ok("edit", sid, "2", "--text", "The minister arrived early.", "--base", base)
    result = invoke("edit", sid, "2", "--text", "The minister came at dawn.", "--base", base)
    assert result.exit_code == 5
    now = rd.store.segment(sid, 2)["version_id"]
    assert result.stderr == (
        f"translate: error: segment 2 of '{sid}' changed since you read it (now version {now} by "
        "ana); nothing saved\n"
        "  theirs: The minister arrived early.\n"
        "  yours:  The minister came at dawn.\n"
    )


def test_confirm_one_all_and_usage(rd, sid):
    ok("claim", sid)
    assert fails(2, "confirm", sid) == "give a SEGMENT number or --all (not both)"
    assert fails(2, "confirm", sid, "1", "--all") == "give a SEGMENT number or --all (not both)"
    assert ok("confirm", sid, "1") == "segment 1 confirmed\n"
    assert ok("confirm", sid, "1") == "segment 1 was already confirmed\n"
    assert ok("confirm", sid, "--all") == "5 segments confirmed\n"
    assert all(s["state"] == SegmentState.CONFIRMED for s in rd.store.segments(sid))


def test_comment_on_story_and_segment(rd, sid):
    assert ok("comment", sid, "--text", "Who is the minister?") == "comment saved\n"
    ok("--user", "eve", "comment", sid, "2", "--text", "Time of arrival?")
    assert [(c["user"], c["number"], c["text"]) for c in rd.store.comments(sid)] == [
        ("ana", None, "Who is the minister?"),
        ("eve", 2, "Time of arrival?"),
    ]


def test_submit_override_approve_reject_through_the_cli(rd, sid):
    ok("claim", sid)
    ok("edit", sid, "2", "--text", "The minister arrived at 9 in the morning.")
    ok("confirm", sid, "--all")
    assert fails(1, "submit", sid) == (
        f"'{sid}' has 1 open blocking finding: numbers.mismatch (segment 2); fix it or submit "
        "with --override REASON"
    )
    result = invoke("submit", sid, "--override", "nine is in the original's photo caption")
    assert (result.exit_code, result.stdout) == (0, f"submitted '{sid}'\n")
    assert result.stderr == "1 blocking finding overridden\n"
    assert fails(1, "approve", sid) == (
        "only editors may approve stories; 'ana' is on the team as translator"
    )
    assert invoke("--user", "eve", "reject", sid).exit_code == 2  # --note is required
    assert ok("--user", "eve", "reject", sid, "--note", "Say 'at nine'.") == (
        f"rejected '{sid}': back to ana\n"
    )
    [row] = invoke_json("queue")  # the translator's queue carries the editor's note
    assert (row["rejected"], row["note"]) == (True, "Say 'at nine'.")
    assert f"'{sid}' was sent back: Say 'at nine'." in ok("queue")
    ok("edit", sid, "2", "--text", "The minister arrived at nine in the morning.")
    ok("confirm", sid, "2")
    ok("submit", sid)
    assert ok("--user", "eve", "approve", sid, "--note", "good") == f"approved '{sid}'\n"
    assert rd.store.story(sid)["state"] == StoryState.APPROVED


def test_self_approval_is_refused_under_four_eyes(rd, sid):
    ok("--user", "eve", "claim", sid)
    ok("--user", "eve", "edit", sid, "2", "--text", "The minister arrived early.")
    ok("--user", "eve", "confirm", sid, "--all")
    ok("--user", "eve", "submit", sid)
    assert fails(1, "--user", "eve", "approve", sid) == (
        f"four-eyes rule: 'eve' edited '{sid}' (segments 2), so another editor must approve it"
    )
    assert ok("--user", "olga", "approve", sid) == f"approved '{sid}'\n"


def test_reassign_by_an_editor(rd, sid):
    ok("claim", sid)
    assert fails(1, "reassign", sid, "olga") == (
        "only editors may reassign stories; 'ana' is on the team as translator"
    )
    assert ok("--user", "eve", "reassign", sid, "olga") == (
        f"'{sid}' is now claimed by olga until Oct 15, 2012, 13:00 UTC\n"
    )


def test_log_shows_every_step_and_json_decodes_before_and_after(rd, sid):
    ok("claim", sid)
    ok("edit", sid, "2", "--text", "The minister arrived early.")
    ok("comment", sid, "2", "--text", "shorter")
    events = invoke_json("log", sid)
    assert [e["action"] for e in events] == ["ingest", "state", "state", "claim", "edit", "comment"]
    claim = events[3]
    assert claim["after"] == {"claimed_by": "ana", "claim_until": "2012-10-15T13:00:00+00:00"}
    edit = events[4]
    assert (edit["segment"], edit["user"], edit["at"]) == (2, "ana", NOW)
    assert (edit["before"], edit["after"]) == (SENTENCES[0][1], "The minister arrived early.")
    lines = ok("log", sid).splitlines()
    assert lines[0].split() == ["at", "user", "action", "segment", "change", "note"]
    assert lines[5].split()[:5] == ["2012-10-15", "09:00:00", "ana", "edit", "2"]
    assert "→ The minister arrived early." in lines[5]
    assert json.loads(json.dumps(events))  # plain JSON


def test_review_needs_a_terminal(rd, sid):
    assert fails(2, "review", sid) == (
        "'translate review' needs a terminal; scripts use 'translate edit', 'translate confirm' "
        "and 'translate comment'"
    )
