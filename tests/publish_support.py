"""Helpers for the publish and batch tests.

- `desk_in(folder)`: an initialised desk with a second editor (bob) and a frozen clock.
- `story()`: a ru story built through the store API with machine drafts (engine "test-mt").
- `approve()`: the real review path (translate.review): ana claims, confirms, submits; eve approves.
- Test engines registered through a real `translate.engines` entry point (`install_engines`):
  `slowecho` echoes "EN: <text>" and sleeps BATCH_TEST_ENGINE_DELAY seconds per sentence (so a
  test can kill a batch mid-way); it raises on a sentence containing "BOOM" (one bad story).
  They are test engines, not translation models.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.config import Workflow, load_workflow
from translate.engines.base import Capabilities, Engine, ModelInfo, Translation
from translate.model import IngestedStory, Sentence, Unit
from translate.store import SegmentState, Store, StoryState, open_store

NOW = "2012-10-15T09:00:00+00:00"
TESTS = Path(__file__).resolve().parent


@dataclass
class Desk:
    folder: Path
    workflow: Workflow
    store: Store

    @property
    def out(self) -> Path:
        return self.workflow.output


def desk_in(folder: Path, engines: list[str] | None = None) -> Desk:
    """init a desk in `folder`; bob is a second editor; pairs use `engines` when given."""
    from translate.desk import init_desk

    path, _created = init_desk(folder)
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    eve: [ru-en, es-en]\n", "    eve: [ru-en, es-en]\n    bob: [ru-en, es-en]\n"
    )
    if engines is not None:
        text = text.replace("engines: [argos, apertium]", f"engines: [{', '.join(engines)}]")
        text = text.replace("engines: [argos]", f"engines: [{', '.join(engines)}]")
    path.write_text(text, encoding="utf-8")
    workflow = load_workflow(path)
    return Desk(Path(folder), workflow, open_store(workflow.store))


def story(
    store: Store,
    headline: str = "The minister's visit",
    sentences: Sequence[str] = ("The minister arrived.", "The talks went on."),
    outlet: str | None = "Коммерсантъ",
    published: str | None = "2012-10-12",
    url: str | None = "https://www.kommersant.ru/doc/2043188",
    author: str | None = "Сергей Строкань",
    language: str = "ru",
    machine: bool = True,
) -> str:
    """A story of a headline and one paragraph; machine drafts are the given English texts."""
    sources = [f"Заголовок {uuid.uuid4().hex[:6]}"] + [
        f"Предложение {i}." for i in range(len(sentences))
    ]
    units = [
        Unit("headline", sources[0], [Sentence(sources[0])]),
        Unit("paragraph", " ".join(sources[1:]), [Sentence(s, " ") for s in sources[1:]]),
    ]
    ingested = IngestedStory(
        title=sources[0],
        language=language,
        units=units,
        outlet=outlet,
        url=url,
        author=author,
        published=published,
        text_hash=uuid.uuid4().hex,
    )
    story_id = store.add_story(ingested)
    with store.write():
        for seg, text in zip(store.segments(story_id), [headline, *sentences], strict=True):
            if not machine:
                continue
            store.add_version(
                seg["id"], story_id, text, origin="mt", state=SegmentState.MACHINE,
                engine="test-mt", model="test-model", model_version="0.1",
            )  # fmt: skip
        store.set_story_state(story_id, StoryState.TRANSLATED)
    return story_id


def approve(desk: Desk, story_id: str, translator: str = "ana", editor: str = "eve") -> None:
    from translate.review import approve as approve_story
    from translate.review import claim, confirm_all, submit

    claim(desk.store, desk.workflow, story_id, translator)
    confirm_all(desk.store, desk.workflow, story_id, translator)
    submit(desk.store, desk.workflow, story_id, translator, override="test")
    approve_story(desk.store, desk.workflow, story_id, editor)


# ---------------------------------------------------------------- test engines

ENTRY_POINTS = {"slowecho": "publish_support:SlowEchoEngine"}


def install_engines(folder: Path) -> Path:
    """A dist-info declaring the test engines, as an installed plugin package would."""
    dist = Path(folder) / "desk_batch_test_engines-0.1.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: desk-batch-test-engines\nVersion: 0.1\n", encoding="utf-8"
    )
    lines = ["[translate.engines]"] + [f"{k} = {v}" for k, v in ENTRY_POINTS.items()]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dist


class SlowEchoEngine(Engine):
    """Test engine: 'EN: <text>', optionally slow; fails the batch on a sentence with BOOM."""

    name = "slowecho"
    description = "test engine for the batch tests (not a translation model)"
    capabilities = Capabilities(batching=True)

    def pairs(self):
        return [("ru", "en"), ("es", "en")]

    def model_for(self, source, target):
        return ModelInfo(f"echo-{source}{target}", "1.0")

    def translate_batch(self, texts, source, target, progress=None):
        delay = float(os.environ.get("BATCH_TEST_ENGINE_DELAY", "0") or 0)
        model = self.model_for(source, target)
        out = []
        for text in texts:
            if "BOOM" in text:
                raise RuntimeError("cannot translate a sentence with BOOM")
            if delay:
                time.sleep(delay)
            out.append(Translation(f"EN: {text}", self.name, model.name, model.version))
            if progress:
                progress(1)
        return out


# ---------------------------------------------------------------- inbox stories

RU_LINES = [
    "Пакистан пытается найти новую точку отсчета в отношениях с Россией после долгих лет холода.",
    "Визит начальника штаба в Москву стал знаком того, что стороны готовы к переговорам.",
    "Эксперты считают, что Москва пересматривает свой подход к региону и к старым союзникам.",
]
ES_LINES = [
    "Las orquídeas rescatadas de la selva atraen de nuevo a quienes emigraron de la comunidad.",
    "El grupo de ecoturismo cuida más de mil flores recuperadas después de las tormentas.",
    "Los vecinos dicen que el proyecto les da un ingreso digno sin tener que irse lejos.",
]


def write_story_file(folder: Path, n: int, language: str = "ru", extra: str = "") -> Path:
    lines = RU_LINES if language == "ru" else ES_LINES
    title = ("Новости номер " if language == "ru" else "Noticias número ") + str(n)
    body = " ".join(lines) + f" {n}. {extra}".rstrip()
    path = Path(folder) / f"story-{language}-{n:02d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\nlanguage: {language}\noutlet: Test\n---\n\n{body}\n\n{lines[0]}\n",
        encoding="utf-8",
    )
    return path


def subprocess_env(plugins: Path, workflow: Path, delay: float = 0.0) -> dict[str, str]:
    env = dict(os.environ)
    # the checkout under test first: a shared venv may have another checkout installed
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS.parent), str(plugins), str(TESTS)])
    env["TRANSLATE_WORKFLOW"] = str(workflow)
    env["TRANSLATE_USER"] = "nightly"  # the template team's batch user
    env["BATCH_TEST_ENGINE_DELAY"] = str(delay)
    env.pop("TRANSLATE_NOW", None)
    return env
