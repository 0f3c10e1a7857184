"""Low-confidence routing: each machine version carries the engine's confidence and segments below
workflow.yaml's checks.low_confidence get an `mt.low_confidence` warning (real Apertium; the argos
TEST PACKAGE, a copy model built offline, not a translation model)."""

from __future__ import annotations

import math

import pytest
from cli_helpers import invoke, invoke_json

from translate.config import load_workflow
from translate.engines.argos import token_confidence
from translate.model import IngestedStory, Sentence, Unit
from translate.store import open_store

pytest_plugins = ["mt_fixtures"]

WORKFLOW = """\
store: .translate/desk.db
pairs:
  - source: es
    target: en
    engines: [apertium]
  - source: ru
    target: en
    engines: [argos]
team:
  translators:
    ana: [es-en, ru-en]
  editors:
    eve: [es-en, ru-en]
checks:
  low_confidence: {threshold}
"""


def _desk(desk, threshold=0.9):
    (desk / "workflow.yaml").write_text(WORKFLOW.format(threshold=threshold), encoding="utf-8")
    return load_workflow(desk / "workflow.yaml")


def _story(workflow, lang: str, sentences: list[str], title: str = "Título") -> str:
    store = open_store(workflow.store)
    try:
        units = [
            Unit("headline", title, [Sentence(title)]),
            Unit("paragraph", " ".join(sentences), [Sentence(s, " ") for s in sentences]),
        ]
        return store.add_story(
            IngestedStory(title=title, language=lang, units=units, text_hash=f"h-{title}")
        )
    finally:
        store.close()


def _low(seg: dict) -> list[str]:
    return [f["code"] for f in seg["findings"] if f["code"] == "mt.low_confidence"]


def _segments(story: str) -> list[dict]:
    view = invoke_json("show", story)
    return [s for unit in view["units"] for s in unit["segments"]]


def test_apertium_unknown_words_route_a_segment_to_low_confidence(desk):
    wf = _desk(desk, threshold=0.9)
    story = _story(wf, "es", ["El zorbulón de Mapastepec brilla.", "Hola mundo."], "Noticias")
    assert invoke("--user", "eve", "mt").exit_code == 0
    segs = _segments(story)
    by_text = {s["source"]: s for s in segs}
    odd = by_text["El zorbulón de Mapastepec brilla."]
    assert odd["translation"] == "The zorbulón of Mapastepec shines."  # marks stripped
    assert odd["confidence"] == pytest.approx(0.8)  # 4 of 5 words known; a name does not count
    assert [(f["code"], f["severity"]) for f in odd["findings"]] == [
        ("mt.low_confidence", "warning")
    ]
    assert "80% below 90%" in odd["findings"][0]["message"]
    assert by_text["Hola mundo."]["confidence"] == 1.0
    assert not [
        f for s in segs if s is not odd for f in s["findings"] if f["code"] == "mt.low_confidence"
    ]


def test_the_threshold_is_the_workflows_and_a_human_edit_clears_the_finding(desk):
    wf = _desk(desk, threshold=0.5)
    story = _story(wf, "es", ["El zorbulón de Mapastepec brilla."], "Otra")
    assert invoke("--user", "eve", "mt").exit_code == 0
    low = [f for s in _segments(story) for f in s["findings"] if f["code"] == "mt.low_confidence"]
    assert low == []  # 0.8 is not below 0.5
    _desk(desk, threshold=0.9)
    assert invoke("--user", "eve", "mt", "--force").exit_code == 0
    assert _low(_segments(story)[1]) == ["mt.low_confidence"]
    assert invoke("--user", "ana", "claim", story).exit_code == 0
    edited = invoke("--user", "ana", "edit", story, "2", "--text", "The zorbulón shines.")
    assert edited.exit_code == 0
    assert _low(_segments(story)[1]) == []


def test_argos_confidence_comes_from_ctranslate2_scores(desk, installed_copy):
    wf = _desk(desk)
    story = _story(wf, "ru", ["Первое предложение."], "Заголовок")
    assert invoke("--user", "eve", "mt").exit_code == 0
    confidences = [s["confidence"] for s in _segments(story)]
    assert all(c is not None and 0 < c <= 1 for c in confidences)
    # the score is the sum of log-probabilities over length ** 0.2: the mean comes back
    assert token_confidence(math.log(0.5) * 5 / 5**0.2, 4) == pytest.approx(0.5)
    assert token_confidence(None, 3) is None
