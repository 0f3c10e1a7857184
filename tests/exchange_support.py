"""Helpers for the exchange and TM tests: one known story with fixed ids and versions, and the
external validators (msgfmt from gettext, xmllint with the OASIS/LISA schemas from scripts/setup).

The story (id moskva-zhdet-snega-1 in a fresh desk):
  #1 headline   Москва ждёт снега                          v1 machine  "Moscow awaits snow"
  #2 paragraph  В пятницу в Москве выпадет до 10 см снега.  v2 machine  "Up to 10 cm of snow ..."
  #3 paragraph  Синоптики предупреждают о гололёде.         v3 edited   "Forecasters warn of ice."
  #4 quote      «Готовьтесь к пробкам», — сказал мэр.        untranslated
The fixture files under tests/fixtures/ are translations of this story.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from translate.config import load_workflow
from translate.model import IngestedStory, Sentence, Unit
from translate.store import SegmentState, StoryState, open_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORY = "moskva-zhdet-snega-1"
SOURCES = [
    "Москва ждёт снега",
    "В пятницу в Москве выпадет до 10 см снега.",
    "Синоптики предупреждают о гололёде.",
    "«Готовьтесь к пробкам», — сказал мэр.",
]
TRANSLATIONS = [
    ("Moscow awaits snow", "mt", SegmentState.MACHINE),
    ("Up to 10 cm of snow will fall in Moscow on Friday.", "mt", SegmentState.MACHINE),
    ("Forecasters warn of ice.", "human", SegmentState.EDITED),
]


def make_story(store, translated: bool = True) -> str:
    units = [
        Unit("headline", SOURCES[0], [Sentence(SOURCES[0])]),
        Unit(
            "paragraph",
            f"{SOURCES[1]} {SOURCES[2]}",
            [Sentence(SOURCES[1], " "), Sentence(SOURCES[2])],
        ),
        Unit("quote", SOURCES[3], [Sentence(SOURCES[3])]),
    ]
    story = IngestedStory(
        title=SOURCES[0], language="ru", units=units, outlet="Тест", text_hash=uuid.uuid4().hex
    )
    story_id = store.add_story(story)
    if not translated:
        return story_id
    with store.write():
        for seg, (text, origin, state) in zip(store.segments(story_id), TRANSLATIONS, strict=False):
            store.add_version(
                seg["id"],
                story_id,
                text,
                origin=origin,
                state=state,
                engine="test" if origin == "mt" else None,
                author="ana" if origin == "human" else None,
            )
        store.set_story_state(story_id, StoryState.TRANSLATED)
    return story_id


def open_desk(folder: Path):
    workflow = load_workflow(folder / "workflow.yaml")
    return workflow, open_store(workflow.store)


def claimed_story(folder: Path, user: str = "ana"):
    """(workflow, store, story id) with the story claimed by `user`."""
    from translate.review import claim

    workflow, store = open_desk(folder)
    story_id = make_story(store)
    claim(store, workflow, story_id, user)
    return workflow, store, story_id


def current(store, story_id: str = STORY) -> list[tuple[str | None, str]]:
    """(translation, state label) of each segment."""
    return [(s["translation"], SegmentState(s["state"]).label) for s in store.segments(story_id)]


# ---------------------------------------------------------------- external validators


def schemas_dir() -> Path:
    """Where scripts/setup unpacks the XLIFF schemas and the TMX DTD."""
    for base in (Path(sys.prefix), ROOT / ".venv"):
        folder = base / "share" / "translate-schemas"
        if (folder / "tmx14.dtd").is_file():
            return folder
    raise AssertionError(
        "the XLIFF/TMX schemas are missing: run scripts/setup (it unpacks them into "
        ".venv/share/translate-schemas)"
    )


def xmllint(path: Path, *how: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["xmllint", "--nonet", "--noout", *how, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def validate_xsd(path: Path, schema: str) -> subprocess.CompletedProcess:
    return xmllint(path, "--schema", str(schemas_dir() / schema))


def validate_dtd(path: Path) -> subprocess.CompletedProcess:
    return xmllint(path, "--dtdvalid", str(schemas_dir() / "tmx14.dtd"))


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
