"""Helpers for the review tests: a desk with a second editor, and stories built through the store API
(a headline and a paragraph of sentences, machine-translated or not)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from translate.config import Workflow, load_workflow
from translate.model import IngestedStory, Sentence, Unit
from translate.store import SegmentState, Store, StoryState, open_store

HEADLINE = ("Визит министра", "The minister's visit")
SENTENCES = [
    ("Министр прибыл в столицу утром.", "The minister arrived in the capital in the morning."),
    ("Переговоры продолжались весь день.", "The talks went on all day."),
    ("Стороны договорились встретиться снова.", "The sides agreed to meet again."),
    ("Журналисты ждали у входа в здание.", "Journalists waited at the entrance to the building."),
    ("Вечером министр уехал домой.", "In the evening the minister went home."),
]
NOW = "2012-10-15T09:00:00+00:00"


def make_story(store: Store, translated: bool = True, title: str = HEADLINE[0]) -> str:
    """A ru story of 6 segments (headline + 5 sentences); with machine translations unless told."""
    pairs = [(title, HEADLINE[1])] + SENTENCES
    units = [
        Unit("headline", title, [Sentence(title)]),
        Unit(
            "paragraph",
            " ".join(s for s, _ in SENTENCES),
            [Sentence(s, " ") for s, _ in SENTENCES],
        ),
    ]
    story = IngestedStory(
        title=title, language="ru", units=units, outlet="Тест", text_hash=uuid.uuid4().hex
    )
    story_id = store.add_story(story)
    if translated:
        with store.write():
            for seg, (_, target) in zip(store.segments(story_id), pairs, strict=True):
                store.add_version(
                    seg["id"],
                    story_id,
                    target,
                    origin="mt",
                    state=SegmentState.MACHINE,
                    engine="test",
                )
            store.set_story_state(story_id, StoryState.TRANSLATED)
    return story_id


@dataclass
class Desk:
    folder: Path
    workflow: Workflow
    store: Store

    def reload(self) -> Workflow:
        self.workflow = load_workflow(self.folder / "workflow.yaml")
        return self.workflow


def open_desk(folder: Path) -> Desk:
    """The desk in `folder`, with 'olga' added as a second ru-en editor."""
    from translate.team import add_member

    workflow = load_workflow(folder / "workflow.yaml")
    if "olga" not in workflow.editors:
        add_member(workflow, "olga", "editor", ["ru-en"])
        workflow = load_workflow(folder / "workflow.yaml")
    return Desk(folder, workflow, open_store(workflow.store))


def actions(store: Store, story_id: str) -> list[str]:
    return [e["action"] for e in store.events(story_id)]


def add_localized(store: Store, story_id: str, number: int, changes: list[tuple[str, str, str]]):
    """Store house-style changes (rule, old, new) on a segment's current draft, one localize
    version each, as the localize stage does after MT; returns their version ids."""
    seg = store.segment(story_id, number)
    text, base, ids = seg["translation"], seg["version_id"], []
    with store.write():
        for rule, old, new in changes:
            at = text.index(old)
            text = text[:at] + new + text[at + len(old) :]
            base = store.add_version(
                seg["id"],
                story_id,
                text,
                origin="localize",
                state=SegmentState.MACHINE,
                base_version_id=base,
                rule=rule,
                detail={"at": at, "old": old, "new": new},
                engine="test",
            )
            ids.append(base)
    return ids
