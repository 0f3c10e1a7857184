"""The interactive review screen, driven through a real pseudo-terminal (pexpect) as a person would."""

from __future__ import annotations

import os
import sys

import pexpect
import pytest
from review_support import SENTENCES, make_story, open_desk

from translate import review
from translate.store import SegmentState, StoryState

KEYS = r"q quit"  # the last words of the keys line: the screen is waiting for a key


@pytest.fixture
def rd(desk):
    d = open_desk(desk)
    yield d
    d.store.close()


@pytest.fixture
def sid(rd):
    return make_story(rd.store)


def spawn(story_id: str, user: str = "ana", **env: str) -> pexpect.spawn:
    environ = dict(os.environ, TRANSLATE_USER=user, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    environ.update(env)
    for key, value in env.items():
        if value is None:
            environ.pop(key)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "translate", "review", story_id],
        env=environ,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 110),
    )
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_edit_two_segments_interrupt_reopen_and_resume(rd, sid):
    child = spawn(sid)
    child.expect(f"claimed '{sid}' until")
    child.expect("1/6  headline")
    child.expect("The minister's visit")
    child.expect(KEYS)
    child.send("a")  # accept the headline
    child.expect("2/6  paragraph")
    child.expect(KEYS)
    child.send("e")  # the field opens with the machine translation in it: append to it
    child.expect("edit>")
    child.send(" Indeed.\r")
    child.expect("saved")
    child.expect("2/6  paragraph  ·  edited  ·  ana")
    child.expect(r"now\s+The minister arrived in the capital in the morning\. Indeed\.")
    child.expect(KEYS)
    child.send("\r")  # Enter accepts too
    child.expect("3/6")
    child.expect(KEYS)
    child.send("e")
    child.expect("edit>")
    child.send("\x15The talks lasted all day.\r")  # Ctrl-U clears the field, then retype
    child.expect("saved")
    child.expect(KEYS)
    child.sendintr()  # Ctrl-C at the key prompt
    child.expect("interrupted; nothing half-written, run again to continue")
    assert finish(child) == 130

    # both edits were saved at once; the second was never confirmed
    seg2, seg3 = rd.store.segment(sid, 2), rd.store.segment(sid, 3)
    assert seg2["translation"] == SENTENCES[0][1] + " Indeed."
    assert seg2["state"] == SegmentState.CONFIRMED
    assert seg3["translation"] == "The talks lasted all day."
    assert seg3["state"] == SegmentState.EDITED

    child = spawn(sid)
    child.expect("resuming at segment 3 \\(the first unconfirmed\\)")
    child.expect("3/6  paragraph  ·  edited")
    child.expect(r"now\s+The talks lasted all day\.")
    child.expect(KEYS)
    child.send("b")
    child.expect("2/6  paragraph  ·  confirmed")
    child.expect(r"Indeed\.")
    child.expect(KEYS)
    child.send("q")
    child.expect(f"everything is saved; resume with 'translate review {sid}'")
    assert finish(child) == 0
    edits = [e for e in rd.store.events(sid) if e["action"] == "edit"]
    assert [(e["user"], e["after"]) for e in edits] == [
        ("ana", SENTENCES[0][1] + " Indeed."),
        ("ana", "The talks lasted all day."),
    ]


def test_editor_comment_help_skip_and_the_end_of_the_story(rd, sid):
    child = spawn(sid, EDITOR="sed -i -e 's/went on all day/lasted all day/'")
    child.expect(KEYS)
    child.send("?")
    child.expect("n          next segment with an open finding")
    child.expect(KEYS)
    child.send("s")
    child.expect("2/6")
    child.expect(KEYS)
    child.send("s")
    child.expect("3/6")
    child.expect(KEYS)
    child.send("E")  # $EDITOR rewrites the file
    child.expect("saved")
    child.expect(r"now\s+The talks lasted all day\.")
    child.expect(KEYS)
    child.send("c")
    child.expect("comment>")
    child.send("check the tense\r")
    child.expect("comment saved")
    child.expect("#\\s+ana: check the tense")
    child.expect(KEYS)
    child.send("n")
    child.expect("no open findings")
    child.expect(KEYS)
    for n in range(3, 6):  # accept 3..5
        child.send("a")
        child.expect(f"{n + 1}/6")
        child.expect(KEYS)
    child.send("a")  # accepting 6 goes back to the first unconfirmed
    child.expect("back to the first unconfirmed segment \\(2 left\\)")
    child.expect("1/6")
    child.expect(KEYS)
    child.send("a")
    child.expect("2/6")
    child.expect(KEYS)
    child.send("a")
    child.expect("all 6 segments confirmed")
    child.expect(f"submit with 'translate submit {sid}'")
    assert finish(child) == 0
    assert rd.store.unconfirmed_numbers(sid) == []
    assert [c["text"] for c in rd.store.comments(sid)] == ["check the tense"]


def test_next_finding_jumps_to_a_segment_with_an_open_finding(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.edit_segment(rd.store, rd.workflow, sid, 5, "Journalists waited at door 7.", "ana")
    child = spawn(sid)
    child.expect("1/6")
    child.expect(KEYS)
    child.send("n")
    child.expect("5/6")
    child.expect(r"!\s+numbers.mismatch \(blocking\)")
    child.expect(KEYS)
    child.send("q")
    assert finish(child) == 0


def test_a_stale_edit_in_the_screen_shows_both_texts_and_keeps_yours(rd, sid):
    child = spawn(sid)
    child.expect("1/6")
    child.expect(KEYS)
    child.send("s")
    child.expect("2/6")
    child.expect(KEYS)
    # meanwhile the same translator saves segment 2 from another terminal
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came early.", "ana")
    child.send("e")
    child.expect("edit>")
    child.send("\x15The minister arrived at dawn.\r")
    child.expect("changed since you read it")
    child.expect("theirs: The minister came early.")
    child.expect("yours:  The minister arrived at dawn.")
    child.expect("press e to edit again, starting from your text")
    child.expect(r"now\s+The minister came early\.")
    child.expect(r"yours\s+The minister arrived at dawn\.")
    child.expect(KEYS)
    child.send("e")
    child.expect("edit>")
    child.send("\r")  # the field held the draft: save it on top of the new version
    child.expect("saved")
    child.expect(KEYS)
    child.send("q")
    assert finish(child) == 0
    assert rd.store.segment(sid, 2)["translation"] == "The minister arrived at dawn."


def test_no_color_is_respected(rd, sid):
    child = spawn(sid, NO_COLOR=None)
    child.expect(KEYS)
    coloured = child.before
    child.send("q")
    finish(child)
    child = spawn(sid, NO_COLOR="1")
    child.expect(KEYS)
    plain = child.before
    child.send("q")
    finish(child)
    assert "\x1b[1m" in coloured
    assert "\x1b[" not in plain


def test_a_story_claimed_by_someone_else_does_not_open(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "eve")
    child = spawn(sid)
    child.expect(f"translate: error: '{sid}' is claimed by eve until")
    assert finish(child) == 4


def test_a_translator_cannot_open_a_submitted_story_but_an_editor_can(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.confirm_all(rd.store, rd.workflow, sid, "ana")
    review.submit(rd.store, rd.workflow, sid, "ana")
    child = spawn(sid)
    child.expect(f"'{sid}' is submitted and waits for an editor; only editors change it now")
    assert finish(child) == 1
    child = spawn(sid, user="eve")
    child.expect("1/6  headline  ·  confirmed")
    child.expect(KEYS)
    child.send("q")
    assert finish(child) == 0
    assert rd.store.story(sid)["state"] == StoryState.SUBMITTED
