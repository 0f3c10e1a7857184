"""Findings in the store: check_story replaces them, overrides survive a re-check, events logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from backends import store_at

from translate.checks import Finding, check_segment, check_story
from translate.config import Workflow
from translate.errors import DeskError
from translate.model import IngestedStory, Sentence, Unit
from translate.store import SegmentState, open_store

pytestmark = pytest.mark.both_backends

SOURCES = [
    "Погибли 12 человек.",
    "Мэр Москвы выступил в понедельник.",
    "Где деньги?",
]


@pytest.fixture
def store(tmp_path):
    s = open_store(store_at(tmp_path / "desk.db"))
    yield s
    s.close()


@pytest.fixture
def story_id(store):
    story = IngestedStory(
        title="Мэр выступил",
        language="ru",
        units=[
            Unit("paragraph", " ".join(SOURCES), [Sentence(t, " ") for t in SOURCES]),
        ],
        text_hash="hash",
    )
    return store.add_story(story, user="ana")


def workflow(blocking=()) -> Workflow:
    return Workflow(
        path=Path("workflow.yaml"),
        root=Path("."),
        store=Path("desk.db"),
        pairs={},
        translators={},
        editors={},
        blocking_checks=list(blocking),
    )


def translate(store, story_id, number, text, origin="mt"):
    seg = store.segment(story_id, number)
    state = SegmentState.MACHINE if origin == "mt" else SegmentState.EDITED
    return store.add_version(seg["id"], story_id, text, origin, state)


def summary(rows):
    return [(r["number"], r["code"], r["severity"], r["status"]) for r in rows]


def test_check_story_stores_findings_for_translated_segments_only(store, story_id):
    translate(store, story_id, 1, "13 people died.")
    translate(store, story_id, 2, "The mayor of  Moscow spoke on Monday.")
    rows = check_story(store, workflow(), story_id)
    assert summary(rows) == [
        (1, "numbers.mismatch", "blocking", "open"),
        (1, "numbers.mismatch", "blocking", "open"),
        (2, "spaces.double", "warning", "open"),
    ]
    assert rows[1]["message"] == "the number 13 is not in the source"
    assert (rows[1]["span_start"], rows[1]["span_end"]) == (0, 2)
    assert rows[0]["version_id"] == store.segment(story_id, 1)["version_id"]
    assert summary(store.open_blocking(story_id)) == summary(rows[:2])
    assert summary(store.findings(story_id, status="overridden")) == []


def test_recheck_replaces_open_findings(store, story_id):
    translate(store, story_id, 1, "13 people died.")
    check_story(store, workflow(), story_id)
    translate(store, story_id, 1, "12 people died.", origin="human")
    assert check_segment(store, workflow(), story_id, 1) == []
    assert store.findings(story_id) == []


def test_workflow_blocking_list_decides(store, story_id):
    translate(store, story_id, 2, "The mayor of  Moscow spoke on Monday.")
    rows = check_story(store, workflow(["spaces.double"]), story_id)
    assert summary(rows) == [(2, "spaces.double", "blocking", "open")]


def test_override_survives_recheck_while_the_problem_remains(store, story_id):
    translate(store, story_id, 1, "13 people died.")
    translate(store, story_id, 3, "Where is the money")
    check_story(store, workflow(), story_id)
    overridden = store.override_findings(story_id, "the source has a typo", "eve")
    assert [(r["code"], r["override_by"]) for r in overridden] == [
        ("numbers.mismatch", "eve"),
        ("numbers.mismatch", "eve"),
    ]
    assert store.open_blocking(story_id) == []
    events = [e for e in store.events(story_id) if e["action"] == "override"]
    assert [(e["user"], e["note"]) for e in events] == [("eve", "the source has a typo")] * 2
    assert '"code": "numbers.mismatch"' in events[0]["before"]

    rows = check_story(store, workflow(), story_id)
    assert summary(rows) == [
        (1, "numbers.mismatch", "blocking", "overridden"),
        (1, "numbers.mismatch", "blocking", "overridden"),
        (3, "punctuation.end", "warning", "open"),
    ]
    assert rows[0]["override_reason"] == "the source has a typo"

    # a different wrong number is a new problem: the old override goes, a new finding opens
    translate(store, story_id, 1, "14 people died.", origin="human")
    rows = check_segment(store, workflow(), story_id, 1)
    assert [(r["message"], r["status"]) for r in rows] == [
        ("the number 12 in the source is missing from the translation", "overridden"),
        ("the number 14 is not in the source", "open"),
    ]
    assert [r["message"] for r in store.open_blocking(story_id)] == [
        "the number 14 is not in the source"
    ]


def test_override_needs_a_reason(store, story_id):
    with pytest.raises(DeskError, match="an override needs a reason"):
        store.override_findings(story_id, "  ", "eve")


def test_override_one_segment(store, story_id):
    translate(store, story_id, 1, "13 people died.")
    translate(store, story_id, 2, "")
    check_story(store, workflow(), story_id)
    seg2 = store.segment(story_id, 2)["id"]
    done = store.override_findings(story_id, "left empty on purpose", "eve", segment_id=seg2)
    assert [r["code"] for r in done] == ["empty"]
    assert [r["code"] for r in store.open_blocking(story_id)] == ["numbers.mismatch"] * 2


def test_check_segment_leaves_other_segments_alone(store, story_id):
    translate(store, story_id, 1, "13 people died.")
    translate(store, story_id, 2, "the mayor of Moscow spoke on Monday.")
    check_story(store, workflow(), story_id)
    rows = check_segment(store, workflow(), story_id, 2)
    assert summary(rows) == [(2, "case.start", "warning", "open")]
    assert len(store.findings(story_id)) == 3


def test_check_segment_unknown_number(store, story_id):
    with pytest.raises(DeskError, match="has no segment 9"):
        check_segment(store, workflow(), story_id, 9)


def test_replace_findings_accepts_dicts_and_story_level(store, story_id):
    rows = store.replace_findings(
        story_id, None, None, [{"code": "story.note", "message": "m", "severity": "warning"}]
    )
    assert [(r["segment_id"], r["code"], r["number"]) for r in rows] == [(None, "story.note", None)]
    seg = store.segment(story_id, 1)["id"]
    stored = store.replace_findings(story_id, seg, None, [Finding("x.y", "n", "blocking", 1, 3)])
    assert [(r["code"], r["span_start"], r["span_end"]) for r in stored] == [("x.y", 1, 3)]
    with pytest.raises(ValueError, match="unknown severity"):
        store.replace_findings(story_id, seg, None, [Finding("x.y", "n", "fatal")])


def test_context_provider_fills_extras(store, story_id, monkeypatch):
    from translate import checks

    seen = []

    def provider(store_, workflow_, story, segments):
        seen.append((story["id"], [s["number"] for s in segments]))
        return {segments[0]["id"]: {"placeholders": ["@@1@@"]}}

    monkeypatch.setattr(checks, "_PROVIDERS", [provider])
    translate(store, story_id, 1, "@@1@@ 12 people died.")
    rows = check_story(store, workflow(), story_id)
    assert seen == [(story_id, [1])]
    assert [(r["code"], r["message"]) for r in rows] == [
        ("placeholder.leftover", "placeholder '@@1@@' left in the translation")
    ]


def test_a_story_replaced_at_once_keeps_each_segments_override_on_its_own_segment(store, story_id):
    """replace_story_findings (a whole story's check in a few statements) matches overridden
    findings per segment: the same code and message on another segment is a new open finding."""
    one, two = store.segment(story_id, 1), store.segment(story_id, 2)
    same = Finding("numbers.mismatch", "the number 12 is missing", "blocking")
    store.replace_story_findings(
        story_id, [(one["id"], None, [same]), (two["id"], None, [same]), (None, None, [])]
    )
    store.override_findings(story_id, "the source is wrong", "eve", segment_id=one["id"])
    store.replace_story_findings(
        story_id, [(one["id"], 7, [same]), (two["id"], 8, [same]), (None, None, [])]
    )
    rows = {(f["segment_id"], f["status"], f["version_id"]) for f in store.findings(story_id)}
    assert rows == {(one["id"], "overridden", 7), (two["id"], "open", 8)}
    store.replace_story_findings(story_id, [(one["id"], 9, []), (two["id"], 9, [])])
    assert store.findings(story_id) == []
