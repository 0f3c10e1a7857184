"""The review screen's library parts without a terminal: where a translator resumes, their drafts,
confirming over a blocking finding, the editor file, and what fits on the screen."""

from __future__ import annotations

import pytest
from cli_helpers import invoke
from review_support import make_story, open_desk

from translate import review
from translate.errors import DeskError
from translate.review.context import next_with_finding
from translate.review.resume import Drafts, drafts_for, last_event_id, resume_point
from translate.reviewscreen import View, compose, key_bar, keys
from translate.store import SegmentState

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rd(desk):
    d = open_desk(desk)
    yield d
    d.store.close()


@pytest.fixture
def sid(rd):
    story_id = make_story(rd.store)
    review.claim(rd.store, rd.workflow, story_id, "ana")
    return story_id


# ---------------------------------------------------------------- resuming
def test_resume_goes_to_the_last_segment_the_user_touched(rd, sid):
    drafts = drafts_for(rd.workflow, "ana", sid)
    assert resume_point(rd.store, sid, "ana", drafts) == {"number": 1, "reason": "unconfirmed"}
    review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana")
    review.confirm_segment(rd.store, rd.workflow, sid, 2, "ana")
    assert resume_point(rd.store, sid, "ana", drafts) == {"number": 3, "reason": "touched"}
    review.edit_segment(rd.store, rd.workflow, sid, 5, "Journalists waited outside.", "ana")
    assert resume_point(rd.store, sid, "ana", drafts) == {"number": 5, "reason": "touched"}
    # someone else's work does not move ana's place
    review.add_comment(rd.store, sid, 2, "fine", "eve")
    assert resume_point(rd.store, sid, "ana", drafts)["number"] == 5
    assert resume_point(rd.store, sid, "eve", None) == {"number": 2, "reason": "touched"}
    # a comment is a touch too; confirming the last one goes back to the first unconfirmed
    review.add_comment(rd.store, sid, 4, "check", "ana")
    assert resume_point(rd.store, sid, "ana", drafts)["number"] == 4
    review.confirm_segment(rd.store, rd.workflow, sid, 6, "ana")
    assert resume_point(rd.store, sid, "ana", drafts)["number"] == 3


def test_a_draft_typed_after_the_last_change_wins_and_a_later_change_beats_it(rd, sid):
    drafts = drafts_for(rd.workflow, "ana", sid)
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came.", "ana")
    drafts.put(4, "The sides agr", base=None, event=last_event_id(rd.store, sid, "ana"))
    assert resume_point(rd.store, sid, "ana", drafts) == {"number": 4, "reason": "draft"}
    review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana")  # a later touch, same second
    assert resume_point(rd.store, sid, "ana", drafts) == {"number": 2, "reason": "touched"}


def test_drafts_are_files_per_user_and_story_that_outlive_the_process(rd, sid):
    odd = "ana/../x y"
    drafts = drafts_for(rd.workflow, odd, sid)
    assert drafts.latest() is None and drafts.get(1) is None
    drafts.put(3, "first", base=7, event=None)
    drafts.put(2, "second", base=8, event=12)
    assert drafts.path.parent.parent == rd.folder / ".translate" / "drafts"
    assert drafts.path.parent.name == "ana%2F..%2Fx%20y"  # one folder, whatever the name
    again = Drafts(rd.folder / ".translate" / "drafts", odd, sid)
    assert again.get(3) == {"text": "first", "base": 7, "event": 0, "seq": 1}
    assert again.latest()["number"] == 2
    assert again.numbers() == [2, 3]
    again.drop(2)
    again.drop(3)
    assert not again.path.exists()
    again.path.parent.mkdir(parents=True, exist_ok=True)
    again.path.write_text("not json")
    assert again.latest() is None  # a damaged file is no draft, never a crash


# ---------------------------------------------------------------- confirming over findings
def test_confirm_refuses_over_a_blocking_finding_unless_overridden(rd, sid):
    review.edit_segment(rd.store, rd.workflow, sid, 5, "Journalists waited at door 7.", "ana")
    assert [f["code"] for f in review.segment_blocking(rd.store, sid, 5)] == ["numbers.mismatch"]
    with pytest.raises(review.BlockingFindings) as refused:
        review.confirm_segment(rd.store, rd.workflow, sid, 5, "ana", refuse_blocking=True)
    assert str(refused.value) == (
        "segment 5 has an open blocking finding (numbers.mismatch); confirm it with an "
        "override reason"
    )
    assert rd.store.segment(sid, 5)["state"] == SegmentState.EDITED
    with pytest.raises(DeskError, match="an override needs a reason"):
        review.confirm_segment(rd.store, rd.workflow, sid, 5, "ana", override="  ")
    assert rd.store.segment(sid, 5)["state"] == SegmentState.EDITED  # nothing half-done
    assert review.confirm_segment(rd.store, rd.workflow, sid, 5, "ana", override="in the photo")
    assert review.segment_blocking(rd.store, sid, 5) == []
    [f] = rd.store.findings(sid, rd.store.segment(sid, 5)["id"])
    assert (f["status"], f["override_reason"], f["override_by"]) == (
        "overridden",
        "in the photo",
        "ana",
    )


def test_confirm_override_through_the_cli(rd, sid):
    review.edit_segment(rd.store, rd.workflow, sid, 5, "Journalists waited at door 7.", "ana")
    result = invoke("confirm", sid, "5", "--override", "the door is in the caption")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "segment 5 confirmed\n"
    actions = [e["action"] for e in rd.store.events(sid)][-2:]
    assert actions == ["override", "confirm"]
    assert invoke("confirm", sid, "--all", "--override", "x").exit_code == 2


def test_next_with_finding_by_code_wraps_round(rd, sid):
    seg = rd.store.segment(sid, 4)
    low = {"code": "mt.low_confidence", "severity": "warning", "message": "unsure"}
    rd.store.replace_findings(sid, seg["id"], seg["version_id"], [low])
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came at 7.", "ana")
    assert next_with_finding(rd.store, sid, 1) == 2
    assert next_with_finding(rd.store, sid, 2) == 4
    assert next_with_finding(rd.store, sid, 4) == 2
    assert next_with_finding(rd.store, sid, 1, "mt.low_confidence") == 4
    assert next_with_finding(rd.store, sid, 5, "mt.low_confidence") == 4
    assert next_with_finding(rd.store, sid, 1, "no.such") is None


# ---------------------------------------------------------------- the editor file
def test_editor_file_shows_the_source_as_comments_and_drops_them():
    from translate.editor import compose as compose_file
    from translate.editor import strip_comments

    text = compose_file("Министр прибыл в столицу. " * 6, "#MeToo reached the capital.", "Seg 1:")
    lines = text.splitlines()
    assert lines[0] == "# Seg 1:"
    assert all(line == "#" or line.startswith("# ") for line in lines[:-1])
    assert all(len(line) <= 72 for line in lines[:-1])
    assert strip_comments(text) == "#MeToo reached the capital."  # a hashtag is not a comment
    assert strip_comments(text + "and more\n\n") == "#MeToo reached the capital. and more"
    assert strip_comments("# only comments\n#\n") == ""


def test_editor_choice_never_starts_a_chooser():
    from translate.editor import editor_command

    def which(found: set[str]):
        return lambda name: f"/usr/bin/{name}" if name in found else None

    everything = which({"sensible-editor", "editor", "nano", "vi"})
    assert editor_command({"VISUAL": "vim", "EDITOR": "nano"}, everything) == ("vim", {})
    assert editor_command({"EDITOR": "code --wait"}, everything) == ("code --wait", {})
    assert editor_command({"EDITOR": " "}, everything) == (
        "/usr/bin/sensible-editor",
        {"SELECTED_EDITOR": "editor"},
    )
    assert editor_command({"SELECTED_EDITOR": "nano"}, everything) == (
        "/usr/bin/sensible-editor",
        {},
    )
    assert editor_command({}, which({"nano", "vi"})) == ("/usr/bin/nano", {})
    assert editor_command({}, which({"vi"})) == ("/usr/bin/vi", {})
    with pytest.raises(DeskError, match="no editor found: set EDITOR"):
        editor_command({}, which(set()))


# ---------------------------------------------------------------- what fits
def _view(n_findings: int, before: int, after: int, long: bool) -> View:
    words = "Министерство финансов сообщило о росте доходов бюджета на 3,5 процента. "
    source = words * (3 if long else 1)

    def seg(number: int) -> dict:
        return {
            "number": number,
            "unit_kind": "paragraph",
            "state": int(SegmentState.MACHINE),
            "source": source,
            "translation": "The Finance Ministry reported a 3.5% rise. " * (3 if long else 1),
            "origin": "mt",
            "engine": "argos",
            "author": None,
        }

    findings = [
        {
            "code": f"check.{i}",
            "severity": "blocking" if i == 0 else "warning",
            "message": "something is off here " * 3,
            "status": "open",
        }
        for i in range(n_findings)
    ]
    ctx = {
        "glossary": [
            {"text": "Минфин", "rendering": "Ministry of Finance", "kind": "term", "avoid": []}
        ],
        "findings": findings,
        "tm": [{"score": 92, "target": "The Ministry of Finance reported", "diff": "…"}],
        "comments": [{"user": "eve", "text": "check the figure"}],
        "problems": [],
    }
    return View(
        story_id="minfin-1",
        title="Минфин: " + "очень длинный заголовок " * 10,
        total=60,
        confirmed=12,
        seg=seg(20),
        before=[seg(20 - i) for i in range(before, 0, -1)],
        after=[seg(20 + i) for i in range(1, after + 1)],
        ctx=ctx,
    )


def _text(lines) -> list[str]:
    return ["".join(text for _style, text in line) for line in lines]


@pytest.mark.parametrize("long", [False, True])
def test_at_80x24_the_essentials_always_fit(long):
    body_height = 24 - 2 - 1  # two lines of keys and the message line
    view = _view(n_findings=8, before=6, after=6, long=long)
    lines = _text(compose(view, 80, body_height))
    assert len(lines) <= body_height
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith(" Минфин: очень длинный") and lines[0].endswith(
        " 12 of 60 confirmed "
    )
    assert lines[1] == "20/60  paragraph  ·  machine  ·  mt (argos)"
    assert any(line.startswith("source    Министерство") for line in lines)
    joined = " ".join(" ".join(line.split()) for line in lines)
    assert view.seg["translation"].strip() in joined  # the whole draft
    assert view.seg["source"].strip() in joined
    assert any(
        line.startswith("!") and "8 open findings: check.0 (blocking)" in line for line in lines
    )
    assert len(key_bar(keys(), 80)) == 2


def test_a_large_screen_shows_the_paragraph_and_every_finding():
    view = _view(n_findings=3, before=2, after=2, long=False)
    lines = _text(compose(view, 160, 50 - 1 - 1))
    joined = "\n".join(lines)
    for number in (18, 19, 21, 22):
        assert f"  {number}      Министерство" in joined
    assert joined.count("The Finance Ministry reported") == 5
    assert "check.2 (warning): something is off here" in joined
    assert "glossary  Минфин → Ministry of Finance" in joined
    assert "TM        92% The Ministry of Finance reported" in joined
    assert "#         eve: check the figure" in joined
    styles = {style for line in compose(view, 160, 48) for style, text in line if "18" in text}
    assert styles == {"class:context"}  # the neighbours are dimmed
    assert len(key_bar(keys(), 160)) == 1


def test_a_segment_longer_than_the_screen_is_cut_but_findings_and_header_stay():
    view = _view(n_findings=2, before=1, after=1, long=True)
    view.seg["source"] *= 8
    view.seg["translation"] *= 8
    lines = _text(compose(view, 80, 21))
    assert len(lines) <= 21
    assert lines[1].startswith("20/60  paragraph")
    assert any(line.startswith("source    Министерство") for line in lines)
    assert any(line.startswith("now       The Finance Ministry") for line in lines)
    cut = [line for line in lines if line.endswith("…")]  # a neighbour, the source, the translation
    assert len(cut) == 3
    assert any(line.startswith("!") and "2 open findings" in line for line in lines)
    assert any(line.startswith("glossary  Минфин") for line in lines)


def test_a_segment_reopened_by_a_source_update_says_so_in_the_header():
    view = _view(n_findings=0, before=0, after=0, long=False)
    assert "reopened" not in _text(compose(view, 80, 21))[1]
    view.revision, view.seg["revision"] = 2, 2
    assert _text(compose(view, 80, 21))[1].endswith("  ·  reopened in revision 2")
    view.seg["revision"] = 1  # unchanged by the update
    assert "reopened" not in _text(compose(view, 80, 21))[1]
