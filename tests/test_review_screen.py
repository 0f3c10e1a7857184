"""The interactive review screen, driven through a real pseudo-terminal as a person would, and read
through a terminal emulator: what is asserted is what is on the screen, at 80x24 and 160x50."""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path

import pytest
from review_support import SENTENCES, add_localized, make_story, open_desk
from screen_support import Term

from translate import review
from translate.review.resume import drafts_for
from translate.store import SegmentState, StoryState

KEYS = r"\? help · q quit"  # the end of the key bar: the screen is drawn and waits for a key
SMALL, LARGE = (24, 80), (50, 160)


@pytest.fixture
def rd(desk):
    d = open_desk(desk)
    yield d
    d.store.close()


@pytest.fixture
def sid(rd):
    return make_story(rd.store)


def screen(story_id: str, size=SMALL, user: str = "ana", **env: str | None) -> Term:
    env.setdefault("TRANSLATE_USER", user)
    term = Term(["review", story_id], size[0], size[1], env)
    term.wait(KEYS)
    return term


def low_confidence(rd, sid: str, number: int) -> None:
    """Add an open mt.low_confidence finding to a segment, keeping its other open findings."""
    seg = rd.store.segment(sid, number)
    kept = [
        {"code": f["code"], "severity": f["severity"], "message": f["message"]}
        for f in rd.store.findings(sid, seg["id"], status="open")
    ]
    low = {"code": "mt.low_confidence", "severity": "warning", "message": "the engine was unsure"}
    rd.store.replace_findings(sid, seg["id"], seg["version_id"], [*kept, low])


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x50"])
def test_navigate_edit_with_the_default_text_confirm_quit_and_resume(rd, sid, size):
    t = screen(sid, size)
    t.wait(f"claimed '{sid}' until")
    t.wait(r"Визит министра\s+\[" + sid)
    t.wait(r"1/6  headline  ·  machine  ·  mt \(test\)")
    t.wait(r"source\s+Визит министра")
    t.wait(r"now\s+The minister's visit")
    t.wait(r"0 of 6 confirmed")
    assert len(t.lines) == size[0]  # one screen, redrawn in place
    t.send("a")  # accept the headline
    t.wait(r"confirmed 1/6")
    t.wait(r"2/6  paragraph  ·  machine")
    t.wait(r"1 of 6 confirmed")
    # the rest of the paragraph is shown around the current segment
    t.wait(r"3\s+Переговоры продолжались весь день\.")
    t.send("e")  # the field opens with the machine translation in it: append to it
    t.wait(r"edit> The minister arrived in the capital in the morning\.")
    t.wait(r"Enter save")
    t.send(" Indeed.\r")
    t.wait(r"saved \(version \d+\)")
    t.wait(r"2/6  paragraph  ·  edited  ·  ana")
    t.wait(r"now\s+The minister arrived in the capital in the morning\. Indeed\.")
    t.send("\r")  # Enter accepts too
    t.wait(r"confirmed 2/6")
    t.wait(r"3/6  paragraph")
    t.wait(r"2\s+Министр прибыл в столицу утром\.")  # the previous one, above
    t.send("b")
    t.wait(r"2/6  paragraph  ·  confirmed")
    t.send("s")
    t.wait(r"3/6  paragraph  ·  machine")
    t.send("e")
    t.wait(r"edit> The talks went on all day\.")
    t.send("\x15The talks lasted all day.\r")  # Ctrl-U clears the field, then retype
    t.wait(r"now\s+The talks lasted all day\.")
    t.send("s")  # moved on without confirming, then quit
    t.wait(r"4/6  paragraph")
    t.send("q")
    assert t.finish() == 0
    assert f"everything is saved; resume with 'translate review {sid}'" in t.output

    seg2, seg3 = rd.store.segment(sid, 2), rd.store.segment(sid, 3)
    assert seg2["translation"] == SENTENCES[0][1] + " Indeed."
    assert seg2["state"] == SegmentState.CONFIRMED
    assert seg3["translation"] == "The talks lasted all day."
    assert seg3["state"] == SegmentState.EDITED

    # reopening goes to the last segment ana touched (3), not the first unconfirmed one (1 is
    # confirmed, but 3 comes before 4, which she only looked at)
    t = screen(sid, size)
    t.wait(r"resuming at segment 3, where you stopped")
    t.wait(r"3/6  paragraph  ·  edited  ·  ana")
    t.send("a")
    t.wait(r"confirmed 3/6")
    t.wait(r"4/6")
    t.send("\x03")  # Ctrl-C at the keys: out at once, everything already saved
    assert t.finish() == 130
    assert "interrupted; nothing half-written, run again to continue" in t.output

    # after a confirmation the screen had moved on: resume at the next unconfirmed segment
    t = screen(sid, size)
    t.wait(r"resuming at segment 4, where you stopped")
    t.wait(r"4/6  paragraph")
    t.send("q")
    assert t.finish() == 0
    edits = [e for e in rd.store.events(sid) if e["action"] == "edit"]
    assert [(e["user"], e["after"]) for e in edits] == [
        ("ana", SENTENCES[0][1] + " Indeed."),
        ("ana", "The talks lasted all day."),
    ]


def test_what_stays_on_an_80x24_screen_and_what_a_160x50_one_adds(rd):
    """A long title, a long paragraph and several findings: at 80x24 the title is one line and
    the source, translation, findings summary and keys are all there; 160x50 shows more."""
    title = "Визит министра " + "очень длинный заголовок " * 8
    sid = make_story(rd.store, title=title)
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana")
    review.edit_segment(rd.store, rd.workflow, sid, 4, "The sides agreed, 7 times.", "ana")
    low_confidence(rd, sid, 4)
    review.add_comment(rd.store, sid, 4, "check the figure", "eve")

    t = screen(sid, SMALL)
    t.wait(r"resuming at segment 4, where you stopped")
    top = t.lines[0]
    assert top.startswith(" Визит министра очень длинный") and "…" in top
    assert top.endswith("1 of 6 confirmed")
    t.wait(r"4/6  paragraph  ·  edited  ·  ana")
    t.wait(r"source\s+Стороны договорились встретиться снова\.")
    t.wait(r"now\s+The sides agreed, 7 times\.")
    t.wait(r"numbers\.\w+ \(blocking\)")
    t.wait(r"mt\.low_confidence")
    t.wait(r"eve: check the figure")
    t.wait(r"3\s+Переговоры продолжались весь день\.")  # the neighbours, dimmed
    t.wait(r"5\s+Журналисты ждали у входа в здание\.")
    assert t.lines[-1].rstrip().endswith("q quit")  # the key bar, at the bottom
    assert all(len(line) <= 80 for line in t.lines)
    t.send("q")
    assert t.finish() == 0

    t = screen(sid, LARGE)
    t.wait(r"4/6  paragraph")
    t.wait(r"2\s+Министр прибыл в столицу утром\.")
    t.wait(r"The minister arrived in the capital in the morning\.")
    t.wait(r"6\s+Вечером министр уехал домой\.")
    t.wait(r"In the evening the minister went home\.")
    t.wait(r"!\s+numbers\.\w+ \(blocking\): ")  # each finding in full, with its message
    t.wait(r"!\s+mt\.low_confidence \(warning\): the engine was unsure")
    assert "a accept · e edit · E editor" in t.lines[-1]  # one line of keys is enough
    t.send("q")
    assert t.finish() == 0


def test_confirming_over_a_blocking_finding_needs_a_reason(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.edit_segment(rd.store, rd.workflow, sid, 5, "Journalists waited at door 7.", "ana")
    [blocking] = review.segment_blocking(rd.store, sid, 5)
    t = screen(sid)
    t.wait("5/6")
    t.send("a")
    t.wait(r"segment 5 has an open blocking finding \(numbers\.\w+\)")
    t.wait(r"reason>")
    t.send("\x1b")  # Esc: not confirmed
    t.wait(r"not confirmed")
    t.gone(r"reason>")
    assert rd.store.segment(sid, 5)["state"] == SegmentState.EDITED
    t.send("a")
    t.wait(r"reason>")
    t.send("\r")  # an empty reason is not a reason
    t.wait(r"an override needs a reason")
    t.send("the door number is in the photo caption\r")
    t.wait(r"confirmed 5/6\s+\(override: the door number is in the photo caption\)")
    t.wait(r"6/6")
    t.send("q")
    assert t.finish() == 0
    assert rd.store.segment(sid, 5)["state"] == SegmentState.CONFIRMED
    [finding] = [f for f in rd.store.findings(sid) if f["id"] == blocking["id"]]
    assert (finding["status"], finding["override_by"]) == ("overridden", "ana")
    assert finding["override_reason"] == "the door number is in the photo caption"
    overrides = [e for e in rd.store.story_events(sid) if e["action"] == "override"]
    assert [(e["number"], e["note"]) for e in overrides] == [
        (5, "the door number is in the photo caption")
    ]


def test_text_typed_before_ctrl_c_is_offered_back_after_the_program_exits(rd, sid):
    t = screen(sid)
    t.send("s")
    t.wait("2/6")
    t.send("e")
    t.wait(r"edit> The minister arrived")
    t.send("\x15The minister landed in the capital at")  # half-way through, then Ctrl-C
    t.wait(r"edit> The minister landed in the capital at")
    t.send("\x03")
    t.wait(r"edit cancelled; your text is kept: press e to go on with it")
    t.wait(r"yours\s+The minister landed in the capital at")
    t.wait(r"now\s+The minister arrived in the capital in the morning\.")
    t.send("q")
    assert t.finish() == 0
    assert rd.store.segment(sid, 2)["translation"] == SENTENCES[0][1]  # nothing saved
    drafts = drafts_for(rd.workflow, "ana", sid)
    assert drafts.get(2)["text"] == "The minister landed in the capital at"
    assert drafts.path.is_relative_to(rd.folder / ".translate" / "drafts")

    t = screen(sid)
    t.wait(r"resuming at segment 2: your unsaved text is kept, press e")
    t.wait(r"yours\s+The minister landed in the capital at")
    t.send("e")
    t.wait(r"your unsaved text is in the field")
    t.wait(r"edit> The minister landed in the capital at")
    t.send(" dawn.\r")
    t.wait(r"now\s+The minister landed in the capital at dawn\.")
    t.gone(r"yours\s+")
    t.send("q")
    assert t.finish() == 0
    assert rd.store.segment(sid, 2)["translation"] == "The minister landed in the capital at dawn."
    assert drafts.get(2) is None and not drafts.path.exists()


def test_a_terminal_closed_mid_edit_keeps_the_text(rd, sid):
    t = screen(sid)
    t.send("e")
    t.wait(r"edit> The minister's visit")
    t.send(" to Islamabad")
    t.wait(r"edit> The minister's visit to Islamabad")
    t.child.kill(signal.SIGHUP)
    assert t.finish() == 130
    assert drafts_for(rd.workflow, "ana", sid).get(1)["text"] == "The minister's visit to Islamabad"
    assert rd.store.segment(sid, 1)["translation"] == "The minister's visit"


def _fake_editor(folder: Path, replace: tuple[str, str]) -> Path:
    """An editor that keeps a copy of what it was shown and rewrites one phrase of it."""
    script = folder / "fake-editor"
    script.write_text(
        "#!/bin/sh\n"
        f'cp "$1" "{folder}/shown.txt"\n'
        f"sed -i -e 's/{replace[0]}/{replace[1]}/' \"$1\"\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_editor_shows_the_source_as_comments_and_strips_them(rd, sid, tmp_path):
    editor = _fake_editor(tmp_path, ("went on all day", "lasted all day"))
    t = screen(sid, EDITOR=str(editor))
    t.send("s")
    t.wait("2/6")
    t.send("s")
    t.wait("3/6")
    t.send("E")
    t.wait(r"saved \(version \d+\)")
    t.wait(r"now\s+The talks lasted all day\.")
    t.wait(KEYS)  # the screen is back, whole
    t.send("q")
    assert t.finish() == 0
    shown = (tmp_path / "shown.txt").read_text().splitlines()
    assert shown[0] == f"# Segment 3/6 of '{sid}', source:"
    assert "# Переговоры продолжались весь день." in shown
    assert shown[-1] == "The talks went on all day."
    assert rd.store.segment(sid, 3)["translation"] == "The talks lasted all day."


def test_without_editor_or_visual_no_interactive_chooser_starts(rd, sid, tmp_path):
    """EDITOR and VISUAL unset, no ~/.selected_editor: Debian's sensible-editor would start
    select-editor's menu; the screen names the system's `editor` for it instead."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_editor(bin_dir, ("went on all day", "lasted all day")).rename(bin_dir / "editor")
    chooser = bin_dir / "select-editor"
    chooser.write_text(f'#!/bin/sh\ntouch "{tmp_path}/chooser-ran"\nexit 1\n')
    chooser.chmod(0o755)
    home = tmp_path / "editor-home"
    home.mkdir()
    t = screen(
        sid,
        EDITOR=None,
        VISUAL=None,
        SELECTED_EDITOR=None,
        HOME=str(home),
        PATH=f"{bin_dir}:{os.environ['PATH']}",
    )
    t.send("s")
    t.wait("2/6")
    t.send("s")
    t.wait("3/6")
    t.send("E")
    t.wait(r"now\s+The talks lasted all day\.")
    t.send("q")
    assert t.finish() == 0
    assert not (tmp_path / "chooser-ran").exists()
    assert (bin_dir / "shown.txt").exists()


def test_comment_help_next_finding_next_low_confidence_and_the_end(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.edit_segment(rd.store, rd.workflow, sid, 5, "Journalists waited at door 7.", "ana")
    low_confidence(rd, sid, 3)
    t = screen(sid)
    t.wait(r"resuming at segment 5")
    t.wait(r"l low confidence")  # the key is on the bar
    t.send("?")
    t.wait(r"l\s+next segment the engine was unsure of \(mt\.low_confidence\)")
    t.wait(r"n\s+next segment with an open finding")
    t.send("x")  # any key closes the help
    t.wait(KEYS)
    t.send("l")
    t.wait(r"3/6  paragraph")
    t.wait(r"mt\.low_confidence")
    t.send("l")  # the only one: it wraps round to itself
    t.wait(r"3/6  paragraph")
    t.send("n")
    t.wait(r"5/6  paragraph")
    t.send("n")  # wraps round to 3
    t.wait(r"3/6  paragraph")
    t.send("c")
    t.wait("comment>")
    t.send("check the tense\r")
    t.wait("comment saved")
    t.wait(r"#\s+ana: check the tense")
    t.send("z")
    t.wait(r"unknown key 'z': press \? for help")
    t.send("b")
    t.wait(r"2/6")
    for n in range(2, 5):  # accept 2..4; 5 has a blocking finding
        t.send("a")
        t.wait(f"confirmed {n}/6")
    t.wait(r"5/6")
    t.send("a")
    t.wait("reason>")
    t.send("checked with the desk\r")
    t.wait(r"confirmed 5/6")
    t.send("a")  # accepting 6 goes back to the first unconfirmed
    t.wait(r"back to the first unconfirmed segment \(1 left\)")
    t.wait(r"1/6  headline")
    t.send("a")
    assert t.finish() == 0
    assert "all 6 segments confirmed" in t.output
    assert f"submit with 'translate submit {sid}'" in t.output
    assert rd.store.unconfirmed_numbers(sid) == []
    assert [c["text"] for c in rd.store.comments(sid)] == ["check the tense"]


def test_a_stale_edit_in_the_screen_shows_both_texts_and_keeps_yours(rd, sid):
    t = screen(sid)
    t.send("s")
    t.wait("2/6")
    # meanwhile the same translator saves segment 2 from another terminal
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came early.", "ana")
    t.send("e")
    t.wait("edit>")
    t.send("\x15The minister arrived at dawn.\r")
    t.wait("changed since you read it")
    t.wait("press e to edit again, starting from your text")
    t.wait(r"now\s+The minister came early\.")
    t.wait(r"yours\s+The minister arrived at dawn\.")
    t.send("e")
    t.wait(r"edit> The minister arrived at dawn\.")
    t.send("\r")  # the field held your text: save it on top of the new version
    t.wait(r"now\s+The minister arrived at dawn\.")
    t.send("q")
    assert t.finish() == 0
    assert rd.store.segment(sid, 2)["translation"] == "The minister arrived at dawn."


def test_no_color_is_respected(rd, sid):
    t = screen(sid, NO_COLOR=None)
    t.send("a")
    t.wait(r"confirmed 1/6")  # in green
    coloured = {c.fg for row in t.screen.buffer.values() for c in row.values()}
    t.send("q")
    t.finish()
    t = screen(sid, NO_COLOR="1")
    t.send("a")
    t.wait(r"confirmed 2/6")
    plain = {c.fg for row in t.screen.buffer.values() for c in row.values()}
    t.send("q")
    t.finish()
    assert coloured - {"default"}
    assert plain == {"default"}


def test_a_story_claimed_by_someone_else_does_not_open(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "eve")
    t = Term(["review", sid], 24, 80, {})
    assert t.finish() == 4
    assert f"translate: error: '{sid}' is claimed by eve until" in t.output


def test_a_translator_cannot_open_a_submitted_story_but_an_editor_can(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.confirm_all(rd.store, rd.workflow, sid, "ana")
    review.submit(rd.store, rd.workflow, sid, "ana")
    t = Term(["review", sid], 24, 80, {})
    assert t.finish() == 1
    assert f"'{sid}' is submitted and waits for an editor; only editors change it now" in t.output
    t = screen(sid, user="eve")
    t.wait("1/6  headline  ·  confirmed")
    t.send("q")
    assert t.finish() == 0
    assert rd.store.story(sid)["state"] == StoryState.SUBMITTED


def test_show_json_gives_the_version_that_edit_base_takes(rd, sid):
    from cli_helpers import invoke, invoke_json

    review.claim(rd.store, rd.workflow, sid, "ana")
    view = invoke_json("show", sid)
    segs = [s for unit in view["units"] for s in unit["segments"]]
    assert [s["version"] for s in segs] == [
        rd.store.segment(sid, n)["version_id"] for n in range(1, 7)
    ]
    base = str(segs[1]["version"])
    done = json.loads(
        invoke("edit", sid, "2", "--text", "The minister came.", "--base", base, "--json").stdout
    )
    assert done["version"] == invoke_json("show", sid)["units"][1]["segments"][0]["version"]
    stale = invoke("edit", sid, "2", "--text", "The minister went.", "--base", base)
    assert stale.exit_code == 5
    assert "'translate show STORY --json'" in " ".join(invoke("edit", "--help").stdout.split())


def test_house_style_changes_are_listed_and_u_undoes_the_newest(rd, sid):
    add_localized(
        rd.store,
        sid,
        2,
        [("times", "in the morning", "at 6 a.m."), ("names", "the capital", "Moscow")],
    )
    add_localized(rd.store, sid, 3, [("numbers", "all day", "all 3,000 days")])
    review.claim(rd.store, rd.workflow, sid, "ana")
    t = screen(sid)
    t.wait(r"u undo style")  # the key is on the bar
    t.send("?")
    t.wait(r"u\s+undo the newest house-style change still in the text")
    t.send("x")
    t.wait(KEYS)
    t.send("s")
    t.wait(r"2/6  paragraph  ·  machine  ·  localize")
    t.wait(r"now\s+The minister arrived in Moscow at 6 a\.m\.")
    t.wait(r"style\s+times: in the morning → at 6 a\.m\.")  # one line each, oldest first
    t.wait(r"style\s+names: the capital → Moscow")
    assert all(len(line) <= 80 for line in t.lines)
    t.send("u")  # the newest: names
    t.wait(r"segment 2: reverted names change 'Moscow' → 'the capital' \(saved as version \d+\)")
    t.wait(r"now\s+The minister arrived in the capital at 6 a\.m\.")
    t.wait(r"2/6  paragraph  ·  edited  ·  ana")
    assert not any("names: the capital" in line for line in t.lines)  # undone: no longer listed
    t.wait(r"style\s+times: in the morning → at 6 a\.m\.")
    t.send("u")  # then the one left (the undone one is passed over)
    t.wait(r"reverted times change 'at 6 a\.m\.' → 'in the morning'")
    t.wait(r"now\s+The minister arrived in the capital in the morning\.")
    t.send("u")
    t.wait(r"no house-style change to undo in this segment")
    t.send("s")
    t.wait(r"3/6  paragraph")
    t.wait(r"style\s+numbers: all day → all 3,000 days")
    # meanwhile someone edits segment 3 elsewhere: the undo is refused as a stale edit is
    review.edit_segment(rd.store, rd.workflow, sid, 3, "The talks went on all 3,000 days!", "ana")
    t.send("u")
    t.wait("changed since you read it")
    t.wait(r"now\s+The talks went on all 3,000 days!")  # the screen reads the segment again
    t.send("u")  # now from the current version: the change is undone in the new text
    t.wait(r"reverted numbers change")
    t.send("q")
    assert t.finish() == 0
    assert rd.store.segment(sid, 2)["translation"] == (
        "The minister arrived in the capital in the morning."
    )
    assert rd.store.segment(sid, 3)["translation"] == "The talks went on all day!"


def test_house_style_changes_collapse_to_a_count_when_short_of_room():
    from translate.reviewscreen import View, compose

    seg = {
        "number": 1,
        "unit_kind": "paragraph",
        "state": SegmentState.MACHINE,
        "origin": "localize",
        "source": "Источник " * 30,
        "translation": "One two three four five six seven eight nine ten.",
        "version_id": 9,
    }
    changes = [
        {"version": i, "rule": "numbers", "before": w, "after": w.upper()}
        for i, w in enumerate(["one", "two", "three", "four", "five", "six", "seven"])
    ]
    changes[0]["after"] = "One"
    view = View("s", "Title", 1, 0, seg, ctx={"localized": changes})

    def text(lines):
        return ["".join(t for _s, t in line) for line in lines]

    tall = text(compose(view, 80, 30))
    assert sum(1 for line in tall if line.startswith("style")) == 1  # only "one" → "One" is there
    assert any("numbers: one → One" in line for line in tall)
    changes[1:] = [
        {"version": i, "rule": "numbers", "before": w.lower(), "after": w}
        for i, w in enumerate(["Two", "three", "four", "five", "six", "seven", "eight"], 1)
    ]
    seg["translation"] = "One Two three four five six seven eight nine ten."
    full = text(compose(view, 80, 30))
    assert sum(1 for line in full if line.startswith("style")) == 8
    short = text(compose(view, 80, 12))
    assert [line for line in short if line.startswith("style")] == [
        "style     8 house-style changes (u undoes the newest)"
    ]
    assert all(len(line) <= 80 for line in short + full)
