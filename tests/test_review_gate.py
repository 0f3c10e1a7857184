"""The approval gate: submit (all confirmed, blocking findings or --override), approve (editors only,
four-eyes, N approvals), reject, and what a later edit does to an approval."""

from __future__ import annotations

import sys
import types

import pytest
from review_support import NOW, actions, make_story, open_desk

from translate import review
from translate.errors import DeskError
from translate.store import SegmentState, StoryState

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rd(desk, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = open_desk(desk)
    yield d
    d.store.close()


def ready(rd, user: str = "ana") -> str:
    """A claimed story with every segment confirmed."""
    sid = make_story(rd.store)
    review.claim(rd.store, rd.workflow, sid, user)
    review.confirm_all(rd.store, rd.workflow, sid, user)
    return sid


def submitted(rd) -> str:
    sid = ready(rd)
    review.submit(rd.store, rd.workflow, sid, "ana")
    return sid


# ------------------------------------------------------------------ submit


def test_submit_needs_every_segment_confirmed(rd):
    sid = make_story(rd.store)
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana")
    with pytest.raises(DeskError) as exc:
        review.submit(rd.store, rd.workflow, sid, "ana")
    assert (
        str(exc.value) == f"'{sid}' has 5 unconfirmed segments (2, 3, 4, 5, 6); confirm them first"
    )


def test_submit_hands_the_story_to_editors_and_frees_the_claim(rd):
    sid = ready(rd)
    assert review.submit(rd.store, rd.workflow, sid, "ana") == {"story": sid, "overridden": []}
    story = rd.store.story(sid)
    assert (story["state"], story["claimed_by"], story["rejected"]) == (
        StoryState.SUBMITTED,
        None,
        0,
    )
    assert actions(rd.store, sid)[-2:] == ["state", "submit"]
    with pytest.raises(DeskError, match="is already submitted"):
        review.submit(rd.store, rd.workflow, sid, "ana")


def test_submit_only_by_the_claim_holder(rd):
    sid = ready(rd)
    with pytest.raises(review.ClaimError, match="is claimed by ana"):
        review.submit(rd.store, rd.workflow, sid, "eve")


def test_open_blocking_findings_refuse_submission_unless_overridden_with_a_reason(rd):
    sid = ready(rd)
    # a number that is not in the source: the numbers check's blocking finding
    review.edit_segment(
        rd.store, rd.workflow, sid, 2, "The minister arrived at 9 in the morning.", "ana"
    )
    review.confirm_segment(rd.store, rd.workflow, sid, 2, "ana")
    blocking = rd.store.open_blocking(sid)
    assert [(f["code"], f["number"]) for f in blocking] == [("numbers.mismatch", 2)]
    with pytest.raises(DeskError) as exc:
        review.submit(rd.store, rd.workflow, sid, "ana")
    assert str(exc.value) == (
        f"'{sid}' has 1 open blocking finding: numbers.mismatch (segment 2); fix it or submit "
        "with --override REASON"
    )
    with pytest.raises(DeskError, match="open blocking finding"):
        review.submit(rd.store, rd.workflow, sid, "ana", override="  ")
    done = review.submit(rd.store, rd.workflow, sid, "ana", override="the source says nine")
    assert done["overridden"] == [{"segment": 2, "code": "numbers.mismatch"}]
    finding = rd.store.findings(sid, status="overridden")[0]
    assert (finding["override_reason"], finding["override_by"]) == ("the source says nine", "ana")
    override = [e for e in rd.store.events(sid) if e["action"] == "override"]
    assert [(e["user"], e["note"]) for e in override] == [("ana", "the source says nine")]
    assert rd.store.story(sid)["state"] == StoryState.SUBMITTED


# ------------------------------------------------------------------ approve


def test_a_translator_cannot_approve(rd):
    sid = submitted(rd)
    with pytest.raises(DeskError) as exc:
        review.approve(rd.store, rd.workflow, sid, "ana")
    assert str(exc.value) == "only editors may approve stories; 'ana' is on the team as translator"


def test_an_unknown_user_cannot_approve(rd):
    sid = submitted(rd)
    with pytest.raises(DeskError, match="unknown user 'mallory': not on the team"):
        review.approve(rd.store, rd.workflow, sid, "mallory")


def test_approve_moves_a_submitted_story_to_approved_and_records_it(rd):
    sid = submitted(rd)
    done = review.approve(rd.store, rd.workflow, sid, "eve", note="clean")
    assert done == {"story": sid, "approvals": 1, "needed": 1, "approved": True}
    assert rd.store.story(sid)["state"] == StoryState.APPROVED
    (approval,) = rd.store.active_approvals(sid)
    assert (approval["user"], approval["note"], approval["withdrawn_at"]) == ("eve", "clean", None)
    event = [e for e in rd.store.events(sid) if e["action"] == "approve"][0]
    assert event["note"] == "clean"
    with pytest.raises(DeskError, match="only submitted stories can be approved"):
        review.approve(rd.store, rd.workflow, sid, "olga")


def test_four_eyes_an_editor_who_edited_cannot_approve(rd):
    sid = submitted(rd)
    review.edit_segment(rd.store, rd.workflow, sid, 3, "The talks lasted the whole day.", "eve")
    review.confirm_segment(rd.store, rd.workflow, sid, 3, "eve")
    with pytest.raises(DeskError) as exc:
        review.approve(rd.store, rd.workflow, sid, "eve")
    assert str(exc.value) == (
        f"four-eyes rule: 'eve' edited '{sid}' (segments 3), so another editor must approve it"
    )
    assert review.approve(rd.store, rd.workflow, sid, "olga")["approved"] is True


def test_four_eyes_an_editor_who_submitted_cannot_approve(rd):
    sid = ready(rd, user="eve")
    review.submit(rd.store, rd.workflow, sid, "eve")
    with pytest.raises(DeskError, match="four-eyes rule: 'eve' submitted"):
        review.approve(rd.store, rd.workflow, sid, "eve")


def test_without_four_eyes_the_editor_may_approve_their_own_edit(rd):
    sid = submitted(rd)
    review.edit_segment(rd.store, rd.workflow, sid, 3, "The talks lasted the whole day.", "eve")
    review.confirm_segment(rd.store, rd.workflow, sid, 3, "eve")
    rd.workflow.four_eyes = False
    assert review.approve(rd.store, rd.workflow, sid, "eve")["approved"] is True


def test_approve_refuses_unconfirmed_segments_left_by_an_editors_edit(rd):
    sid = submitted(rd)
    review.edit_segment(rd.store, rd.workflow, sid, 3, "The talks lasted the whole day.", "eve")
    with pytest.raises(DeskError, match="has 1 unconfirmed segment \\(3\\); confirm it first"):
        review.approve(rd.store, rd.workflow, sid, "olga")


def test_approvals_needed_counts_distinct_editors(rd):
    rd.workflow.approvals_needed = 2
    sid = submitted(rd)
    first = review.approve(rd.store, rd.workflow, sid, "eve")
    assert (first["approved"], first["approvals"], first["needed"]) == (False, 1, 2)
    assert rd.store.story(sid)["state"] == StoryState.SUBMITTED
    with pytest.raises(DeskError) as exc:
        review.approve(rd.store, rd.workflow, sid, "eve")
    assert str(exc.value) == f"'eve' has already approved '{sid}'; it needs another editor"
    assert review.approve(rd.store, rd.workflow, sid, "olga")["approved"] is True
    assert rd.store.story(sid)["state"] == StoryState.APPROVED


def test_approval_records_the_story_in_translation_memory(rd, monkeypatch):
    recorded = []
    fake = types.ModuleType("translate.tm")
    fake.record_approved = lambda store, story_id: recorded.append(story_id)
    monkeypatch.setitem(sys.modules, "translate.tm", fake)
    sid = submitted(rd)
    review.approve(rd.store, rd.workflow, sid, "eve")
    assert recorded == [sid]


# ------------------------------------------------------------------ later edits, reject


def test_any_edit_after_approval_withdraws_it(rd):
    sid = submitted(rd)
    review.approve(rd.store, rd.workflow, sid, "eve")
    with pytest.raises(DeskError) as exc:
        review.edit_segment(rd.store, rd.workflow, sid, 2, "Changed.", "ana")
    assert str(exc.value) == (
        f"'{sid}' is approved; only an editor can change it (withdrawing the approval)"
    )
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came in the morning.", "olga")
    story = rd.store.story(sid)
    assert (story["state"], story["claimed_by"]) == (StoryState.IN_TRANSLATION, "olga")
    assert rd.store.active_approvals(sid) == []
    withdraw = [e for e in rd.store.events(sid) if e["action"] == "withdraw"][0]
    assert withdraw["user"] == "olga"
    assert withdraw["note"] == "approval withdrawn: the story changed after it was approved"
    assert actions(rd.store, sid)[-3:] == ["edit", "withdraw", "state"]


def test_an_edit_while_submitted_withdraws_a_partial_approval(rd):
    rd.workflow.approvals_needed = 2
    sid = submitted(rd)
    review.approve(rd.store, rd.workflow, sid, "eve")
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came in the morning.", "olga")
    assert rd.store.active_approvals(sid) == []
    assert rd.store.story(sid)["state"] == StoryState.SUBMITTED


def test_a_translator_cannot_change_a_submitted_story(rd):
    sid = submitted(rd)
    with pytest.raises(DeskError) as exc:
        review.edit_segment(rd.store, rd.workflow, sid, 2, "Changed.", "ana")
    assert str(exc.value) == (
        f"'{sid}' is submitted and waits for an editor; only editors change it now"
    )


def test_a_correction_after_publication_reopens_the_story(rd):
    sid = submitted(rd)
    review.approve(rd.store, rd.workflow, sid, "eve")
    with rd.store.write():
        rd.store.set_story_state(sid, StoryState.PUBLISHED, "eve")
    with pytest.raises(DeskError, match="is published; only an editor can correct it"):
        review.edit_segment(rd.store, rd.workflow, sid, 2, "Changed.", "ana")
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister came in the morning.", "eve")
    assert rd.store.story(sid)["state"] == StoryState.IN_TRANSLATION
    reopen = [e for e in rd.store.events(sid) if e["action"] == "reopen"][0]
    assert (reopen["user"], reopen["note"]) == ("eve", "correction after publication")


def test_reject_sends_the_story_back_to_its_translator_with_the_notes(rd):
    sid = submitted(rd)
    with pytest.raises(DeskError, match="needs a note"):
        review.reject(rd.store, rd.workflow, sid, "eve", " ")
    with pytest.raises(DeskError, match="only editors may reject stories"):
        review.reject(rd.store, rd.workflow, sid, "ana", "no")
    done = review.reject(rd.store, rd.workflow, sid, "eve", "Segment 3: 'went on' is too loose.")
    assert done == {"story": sid, "returned_to": "ana"}
    story = rd.store.story(sid)
    assert (story["state"], story["claimed_by"], story["rejected"]) == (
        StoryState.IN_TRANSLATION,
        "ana",
        1,
    )
    assert story["claim_until"] == "2012-10-15T13:00:00+00:00"
    assert [c["text"] for c in rd.store.comments(sid, None)] == [
        "Segment 3: 'went on' is too loose."
    ]
    first = review.queue(rd.store, rd.workflow, "ana")[0]
    assert (first["id"], first["rejected"], first["mine"]) == (sid, True, True)
    # the translator fixes it, confirms and submits again
    review.edit_segment(rd.store, rd.workflow, sid, 3, "The talks lasted all day.", "ana")
    review.confirm_segment(rd.store, rd.workflow, sid, 3, "ana")
    review.submit(rd.store, rd.workflow, sid, "ana")
    assert rd.store.story(sid)["rejected"] == 0


def test_the_whole_flow_is_in_the_log_in_order(rd):
    sid = make_story(rd.store)
    review.claim(rd.store, rd.workflow, sid, "ana")
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister arrived early.", "ana")
    review.confirm_all(rd.store, rd.workflow, sid, "ana")
    review.add_comment(rd.store, sid, 2, "shortened", "ana")
    review.submit(rd.store, rd.workflow, sid, "ana")
    review.approve(rd.store, rd.workflow, sid, "eve")
    got = [
        (e["action"], e["user"])
        for e in rd.store.events(sid)
        if e["action"] not in ("ingest", "state")
    ]
    assert got == [("claim", "ana"), ("edit", "ana")] + [("confirm", "ana")] * 6 + [
        ("comment", "ana"),
        ("submit", "ana"),
        ("approve", "eve"),
    ]
    states = [(e["before"], e["after"]) for e in rd.store.events(sid) if e["action"] == "state"]
    assert states == [
        ("ingested", "translated"),
        ("translated", "in_translation"),
        ("in_translation", "submitted"),
        ("submitted", "approved"),
    ]
    assert all(e["at"] == NOW for e in rd.store.events(sid))
    assert rd.store.segment(sid, 2)["state"] == SegmentState.CONFIRMED
