"""The review rules (translate.review) through the library: claims and leases, edits with optimistic
concurrency, confirmations, comments, and the events log written with each change."""

from __future__ import annotations

import pytest
from review_support import NOW, SENTENCES, actions, make_story, open_desk

from translate import review
from translate.errors import ConflictError, DeskError, ExitCode
from translate.store import SegmentState, StoryState

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rd(desk, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = open_desk(desk)
    yield d
    d.store.close()


@pytest.fixture
def sid(rd):
    return make_story(rd.store)


# ------------------------------------------------------------------ claims and leases


def test_claim_takes_a_lease_and_moves_the_story_to_in_translation(rd, sid):
    got = review.claim(rd.store, rd.workflow, sid, "ana")
    story = rd.store.story(sid)
    assert story["state"] == StoryState.IN_TRANSLATION
    assert story["claimed_by"] == "ana"
    assert story["claim_until"] == "2012-10-15T13:00:00+00:00"  # the 4h lease of the template
    assert got["claim_until"] == story["claim_until"]
    event = rd.store.events(sid)[-1]
    assert (event["action"], event["user"]) == ("claim", "ana")
    assert "state" in actions(rd.store, sid)


def test_a_claim_held_by_someone_else_is_refused_naming_who_and_until(rd, sid):
    rd.reload()
    from translate.team import add_member

    add_member(rd.workflow, "boris", "translator", ["ru-en"])
    rd.reload()
    review.claim(rd.store, rd.workflow, sid, "ana")
    with pytest.raises(review.ClaimError) as exc:
        review.claim(rd.store, rd.workflow, sid, "boris")
    assert str(exc.value) == f"'{sid}' is claimed by ana until Oct 15, 2012, 13:00 UTC"
    assert exc.value.exit_code == ExitCode.BUSY
    assert rd.store.story(sid)["claimed_by"] == "ana"


def test_an_expired_lease_can_be_taken_over(rd, sid, monkeypatch):
    from translate.team import add_member

    add_member(rd.workflow, "boris", "translator", ["ru-en"])
    rd.reload()
    review.claim(rd.store, rd.workflow, sid, "ana")
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T13:00:01+00:00")
    got = review.claim(rd.store, rd.workflow, sid, "boris")
    assert got["previous"] == "ana"
    assert rd.store.story(sid)["claimed_by"] == "boris"
    event = rd.store.events(sid)[-1]
    assert event["note"] == "the lease of ana ran out at Oct 15, 2012, 13:00 UTC"


def test_claiming_again_renews_ones_own_lease(rd, sid, monkeypatch):
    review.claim(rd.store, rd.workflow, sid, "ana")
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T12:00:00+00:00")
    review.claim(rd.store, rd.workflow, sid, "ana")
    assert rd.store.story(sid)["claim_until"] == "2012-10-15T16:00:00+00:00"


def test_unknown_user_and_wrong_pair_are_refused(rd, sid):
    with pytest.raises(DeskError) as exc:
        review.claim(rd.store, rd.workflow, sid, "mallory")
    assert str(exc.value) == (
        f"unknown user 'mallory': not on the team in {rd.workflow.path} (see 'translate team add')"
    )
    with pytest.raises(DeskError) as exc:
        review.claim(rd.store, rd.workflow, sid, "marta")
    assert str(exc.value) == "'marta' does not work on ru-en (their pairs: es-en)"
    assert rd.store.story(sid)["claimed_by"] is None


def test_release_returns_the_story_and_only_the_holder_may(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    with pytest.raises(DeskError) as exc:
        review.release(rd.store, rd.workflow, sid, "eve")
    assert str(exc.value) == f"'{sid}' is claimed by ana, not you; an editor can reassign it"
    review.release(rd.store, rd.workflow, sid, "ana")
    story = rd.store.story(sid)
    assert (story["state"], story["claimed_by"], story["claim_until"]) == (
        StoryState.TRANSLATED,
        None,
        None,
    )
    assert actions(rd.store, sid)[-1] == "release"
    with pytest.raises(DeskError, match="is not claimed"):
        review.release(rd.store, rd.workflow, sid, "ana")


def test_only_editors_reassign(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    with pytest.raises(DeskError) as exc:
        review.reassign(rd.store, rd.workflow, sid, "olga", "ana")
    assert str(exc.value) == "only editors may reassign stories; 'ana' is on the team as translator"
    got = review.reassign(rd.store, rd.workflow, sid, "olga", "eve")
    assert got["previous"] == "ana"
    assert rd.store.story(sid)["claimed_by"] == "olga"
    with pytest.raises(DeskError, match="unknown user 'nobody'"):
        review.reassign(rd.store, rd.workflow, sid, "nobody", "eve")


# ------------------------------------------------------------------ edits


def test_editing_needs_a_claim(rd, sid):
    with pytest.raises(DeskError) as exc:
        review.edit_segment(rd.store, rd.workflow, sid, 2, "Text.", "ana")
    assert str(exc.value) == f"claim '{sid}' first ('translate claim {sid}')"
    review.claim(rd.store, rd.workflow, sid, "eve")
    with pytest.raises(review.ClaimError, match="is claimed by eve until"):
        review.edit_segment(rd.store, rd.workflow, sid, 2, "Text.", "ana")


def test_an_edit_is_a_new_human_version_logged_with_before_and_after(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    old = rd.store.segment(sid, 2)
    vid = review.edit_segment(
        rd.store, rd.workflow, sid, 2, "  The minister came to the capital in the morning.\n", "ana"
    )
    seg = rd.store.segment(sid, 2)
    assert seg["version_id"] == vid
    assert seg["translation"] == "The minister came to the capital in the morning."
    assert seg["state"] == SegmentState.EDITED
    version = rd.store.version(vid)
    assert (version["origin"], version["author"], version["base_version_id"]) == (
        "human",
        "ana",
        old["version_id"],
    )
    assert len(rd.store.versions(seg["id"])) == 2  # the machine version is kept
    event = [e for e in rd.store.events(sid) if e["action"] == "edit"][-1]
    assert (event["user"], event["segment_id"]) == ("ana", seg["id"])
    assert event["before"] == SENTENCES[0][1]
    assert event["after"] == "The minister came to the capital in the morning."


def test_an_unchanged_or_empty_edit_saves_nothing(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    before = len(rd.store.events(sid))
    current = rd.store.segment(sid, 2)["version_id"]
    assert review.edit_segment(rd.store, rd.workflow, sid, 2, SENTENCES[0][1], "ana") == current
    with pytest.raises(DeskError, match="empty translation: nothing saved"):
        review.edit_segment(rd.store, rd.workflow, sid, 2, "   ", "ana")
    assert len(rd.store.events(sid)) == before


def test_a_stale_edit_is_refused_with_both_texts_and_nothing_saved(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    base = rd.store.segment(sid, 3)["version_id"]
    review.edit_segment(rd.store, rd.workflow, sid, 3, "Talks lasted all day.", "ana", base)
    events = len(rd.store.events(sid))
    with pytest.raises(ConflictError) as exc:
        review.edit_segment(rd.store, rd.workflow, sid, 3, "The talks ran all day.", "ana", base)
    now = rd.store.segment(sid, 3)["version_id"]
    assert str(exc.value) == (
        f"segment 3 of '{sid}' changed since you read it (now version {now} by ana); "
        "nothing saved\n"
        "  theirs: Talks lasted all day.\n"
        "  yours:  The talks ran all day."
    )
    assert exc.value.exit_code == ExitCode.CONFLICT
    assert (exc.value.theirs, exc.value.yours) == (
        "Talks lasted all day.",
        "The talks ran all day.",
    )
    assert rd.store.segment(sid, 3)["translation"] == "Talks lasted all day."
    assert len(rd.store.events(sid)) == events


def test_an_untranslated_story_is_workable_by_typing_the_translation(rd):
    sid = make_story(rd.store, translated=False)
    review.claim(rd.store, rd.workflow, sid, "ana")
    with pytest.raises(DeskError) as exc:
        review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana")
    assert str(exc.value) == (
        f"segment 1 of '{sid}' has no translation yet; write one with 'translate edit'"
    )
    vid = review.edit_segment(rd.store, rd.workflow, sid, 1, "The minister's visit", "ana")
    assert rd.store.version(vid)["base_version_id"] is None
    done = review.confirm_all(rd.store, rd.workflow, sid, "ana")
    assert done == {"confirmed": [1], "untranslated": [2, 3, 4, 5, 6]}


def test_edits_and_confirmations_renew_the_lease(rd, sid, monkeypatch):
    review.claim(rd.store, rd.workflow, sid, "ana")
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T15:00:00+00:00")  # the lease ran out at 13:00
    review.edit_segment(rd.store, rd.workflow, sid, 2, "The minister arrived early.", "ana")
    assert rd.store.story(sid)["claim_until"] == "2012-10-15T19:00:00+00:00"


# ------------------------------------------------------------------ confirmations and comments


def test_confirm_one_and_all(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    assert review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana") is True
    assert review.confirm_segment(rd.store, rd.workflow, sid, 1, "ana") is False
    assert rd.store.segment(sid, 1)["state"] == SegmentState.CONFIRMED
    done = review.confirm_all(rd.store, rd.workflow, sid, "ana")
    assert done == {"confirmed": [2, 3, 4, 5, 6], "untranslated": []}
    confirms = [e for e in rd.store.events(sid) if e["action"] == "confirm"]
    assert len(confirms) == 6
    assert (confirms[0]["before"], confirms[0]["after"]) == ("machine", "confirmed")
    assert rd.store.unconfirmed_numbers(sid) == []


def test_confirming_a_version_that_changed_meanwhile_is_a_conflict(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    seen = rd.store.segment(sid, 4)["version_id"]
    review.edit_segment(rd.store, rd.workflow, sid, 4, "Both sides will meet again.", "ana")
    with pytest.raises(ConflictError, match="theirs: Both sides will meet again."):
        review.confirm_segment(rd.store, rd.workflow, sid, 4, "ana", base_version_id=seen)
    assert rd.store.segment(sid, 4)["state"] == SegmentState.EDITED


def test_comments_on_story_and_segment_are_stored_and_logged(rd, sid):
    review.add_comment(rd.store, sid, None, "Check the minister's title.", "eve")
    review.add_comment(rd.store, sid, 3, "'went on' reads better", "ana")
    seg_id = rd.store.segment(sid, 3)["id"]
    assert [c["text"] for c in rd.store.comments(sid, None)] == ["Check the minister's title."]
    assert [(c["user"], c["number"]) for c in rd.store.comments(sid, seg_id)] == [("ana", 3)]
    logged = [e for e in rd.store.events(sid) if e["action"] == "comment"]
    assert [(e["user"], e["after"]) for e in logged] == [
        ("eve", "Check the minister's title."),
        ("ana", "'went on' reads better"),
    ]
    with pytest.raises(DeskError, match="empty comment"):
        review.add_comment(rd.store, sid, 3, " ", "ana")
    with pytest.raises(DeskError, match="has no segment 99"):
        review.add_comment(rd.store, sid, 99, "where?", "ana")


def test_a_failed_action_writes_no_event(rd, sid):
    review.claim(rd.store, rd.workflow, sid, "ana")
    before = rd.store.events(sid)
    for attempt in (
        lambda: review.claim(rd.store, rd.workflow, sid, "eve"),
        lambda: review.submit(rd.store, rd.workflow, sid, "ana"),
        lambda: review.approve(rd.store, rd.workflow, sid, "eve"),
        lambda: review.edit_segment(rd.store, rd.workflow, sid, 2, "x", "ana", base_version_id=1),
    ):
        with pytest.raises(DeskError):
            attempt()
    assert rd.store.events(sid) == before


# ------------------------------------------------------------------ queues


def test_queue_mine_first_then_deadline_priority_age_and_hides_others_claims(rd, monkeypatch):
    from translate.team import add_member

    add_member(rd.workflow, "boris", "translator", ["ru-en"])
    rd.reload()
    old = make_story(rd.store, title="Старая история")
    urgent = make_story(rd.store, title="Срочная история")
    due = make_story(rd.store, title="История со сроком")
    mine = make_story(rd.store, title="Моя история")
    taken = make_story(rd.store, title="Чужая история")
    rd.store.db["stories"].update(urgent, {"priority": 5})
    rd.store.db["stories"].update(due, {"deadline": "2012-10-16T12:00:00+00:00"})
    review.claim(rd.store, rd.workflow, mine, "ana")
    review.claim(rd.store, rd.workflow, taken, "boris")
    ids = [r["id"] for r in review.queue(rd.store, rd.workflow, "ana")]
    assert ids == [mine, due, urgent, old]  # a deadline outranks a priority (docs/review.md)
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T14:00:00+00:00")  # boris's lease ran out
    assert taken in [r["id"] for r in review.queue(rd.store, rd.workflow, "ana")]
    assert review.queue(rd.store, rd.workflow, "marta") == []  # es-en only
