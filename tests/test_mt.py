"""`translate mt` end to end: the argos TEST PACKAGE (a copy model built offline, NOT a translation
model: it returns its SentencePiece-normalised input), real Apertium, and test engines registered
through an entry point (tests/engine_plugins.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate import mt as mt_stage
from translate.config import load_workflow
from translate.engines.apertium import ApertiumEngine
from translate.model import IngestedStory, Sentence, Unit
from translate.store import SegmentState, StoryState, open_store

pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("batch_user")]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "stories"

pytest_plugins = ["mt_fixtures"]  # the TEST PACKAGE and test-engine fixtures


WORKFLOW = """\
store: .translate/desk.db
pairs:
  - source: ru
    target: en
    engines: {ru}
  - source: es
    target: en
    engines: {es}
team:
  translators:
    ana: [ru-en, es-en]
  editors:
    eve: [ru-en, es-en]
  batch:
    nightly: []
mt:
  beam_size: 2
  max_batch_size: 4
"""

HINT = (
    "no engine for ru-en: install a model with 'translate models install ru en' or "
    "'translate models install --file PKG.argosmodel'"
)


def cli(*args: str):
    from translate.cli import run

    runner = CliRunner()
    with runner.isolation() as (out, err, *_rest):
        code = run(list(args))
        return code, out.getvalue().decode(), err.getvalue().decode()


@pytest.fixture
def workflow(desk):
    def write(ru="[argos]", es="[argos, apertium]"):
        (desk / "workflow.yaml").write_text(WORKFLOW.format(ru=ru, es=es), encoding="utf-8")
        return load_workflow(desk / "workflow.yaml")

    write()
    return write


@pytest.fixture
def store(workflow):
    s = open_store(workflow().store)
    yield s
    s.close()


def add_story(store, title: str, paragraphs: list[list[str]], lang: str = "ru") -> str:
    units = [Unit("headline", title, [Sentence(title)])]
    for sentences in paragraphs:
        units.append(Unit("paragraph", " ".join(sentences), [Sentence(s, " ") for s in sentences]))
    story = IngestedStory(title=title, language=lang, units=units, text_hash=f"h-{title}")
    return store.add_story(story)


def translations(store, story_id: str) -> list[tuple]:
    return [
        (s["translation"], s["origin"], s["engine"], s["model"], s["model_version"], s["state"])
        for s in store.segments(story_id)
    ]


def version_count(store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]


# ---------------------------------------------------------------- end to end


def test_mt_end_to_end_on_the_sample_stories(store, installed_copy, normalise):
    code, out, err = cli("ingest", *map(str, sorted(EXAMPLES.glob("*.md"))))
    assert code == 0, err
    code, out, err = cli("mt")
    assert code == 0, err
    stories = {r["language"]: r for r in store.stories()}
    ru, es = stories["ru"]["id"], stories["es"]["id"]
    ru_segments = store.segments(ru)
    es_segments = store.segments(es)
    spa = ApertiumEngine().model_for("es", "en")
    assert out.splitlines() == [
        f"{es}: {len(es_segments)} segments translated with apertium (spa-eng {spa.version})",
        f"{ru}: {len(ru_segments)} segments translated with argos (translate-ru_en 1.0)",
    ]
    total = len(ru_segments) + len(es_segments)
    assert f"translating: {total}/{total}" in err.splitlines()
    assert re.fullmatch(
        rf"{total} sentences in \d+\.\d s \(\d+\.\d sentences/s\)", err.splitlines()[-1]
    )
    # The copy model returns the SentencePiece-normalised source, in segment order: that is the
    # engine's version; the localize stage then writes names in the house style on top of it.
    engine_texts = [store.version_chain(s["id"])[-1]["text"] for s in ru_segments]
    assert engine_texts == [normalise(s["source"]) for s in ru_segments]
    assert ru_segments[0]["translation"] == "Исламабад ищет свою «перезагрузку»"
    assert "Vladimir Putin" in ru_segments[1]["translation"]  # «Владимира Путина», romanized
    assert {(s["origin"], s["engine"], s["model"], s["model_version"]) for s in ru_segments} == {
        ("mt", "argos", "translate-ru_en", "1.0"),
        ("localize", "argos", "translate-ru_en", "1.0"),
    }
    assert {s["state"] for s in ru_segments + es_segments} == {int(SegmentState.MACHINE)}
    assert {(s["engine"], s["model"]) for s in es_segments} == {("apertium", "spa-eng")}
    for story_id in (ru, es):
        story = store.story(story_id)
        assert (story["state"], story["untranslated_reason"]) == (int(StoryState.TRANSLATED), None)
        assert [e["action"] for e in store.events(story_id)][-2:] == ["state", "mt"]
    code, out, err = cli("show", ru, "--json")
    segment = json.loads(out)["units"][0]["segments"][0]
    assert (segment["engine"], segment["model"], segment["model_version"]) == (
        "argos",
        "translate-ru_en",
        "1.0",
    )


def test_apertium_output_is_stored_for_spanish(workflow, store):
    workflow(es="[apertium]")
    story = add_story(
        store, "Hola mundo.", [["El precio del café cayó un 11,6 % el año pasado."]], lang="es"
    )
    assert cli("mt")[0] == 0
    assert [t[0] for t in translations(store, story)] == [
        "Hello World.",
        "The price of the coffee fell a 11.6% the past year.",  # Apertium: "11,6 %"; localized
    ]


def test_rerun_translates_nothing_new_and_force_spares_human_work(store, installed_copy):
    story = add_story(store, "Первый.", [["Второе предложение.", "Третье предложение."]])
    assert cli("mt")[0] == 0
    before = version_count(store)
    code, out, err = cli("mt")
    assert (code, out) == (0, f"{story}: up to date\n")
    assert version_count(store) == before
    seg = store.segments(story)[1]
    store.add_version(
        seg["id"], story, "Second sentence.", origin="human", state=SegmentState.EDITED,
        author="ana",
    )  # fmt: skip
    code, out, err = cli("mt", "--force", story)
    assert (code, out) == (0, f"{story}: 2 segments translated with argos (translate-ru_en 1.0)\n")
    rows = translations(store, story)
    assert rows[1] == ("Second sentence.", "human", None, None, None, int(SegmentState.EDITED))
    assert rows[0][:3] == ("Первый.", "mt", "argos")
    assert version_count(store) == before + 1 + 2


def test_a_new_model_version_retranslates_machine_drafts(store, installed_copy, package_factory):
    from translate.engines.models import install_file

    story = add_story(store, "Первый.", [["Второе."]])
    assert cli("mt")[0] == 0
    install_file(package_factory("ru", "en", "1.1"), installed_copy.path.parent)
    code, out, err = cli("mt")
    assert (code, out) == (0, f"{story}: 2 segments translated with argos (translate-ru_en 1.1)\n")
    assert {t[4] for t in translations(store, story)} == {"1.1"}
    assert cli("mt")[1] == f"{story}: up to date\n"


# ---------------------------------------------------------------- no engine


def test_no_engine_for_a_pair_queues_the_story_untranslated(store):
    story = add_story(store, "Первый.", [["Второе."]])
    code, out, err = cli("mt")
    assert code == 0
    assert out == f"{story}: queued untranslated (no engine for ru-en)\n"
    assert err == f"translate: {HINT}\n"
    row = store.story(story)
    assert (row["state"], row["untranslated_reason"]) == (int(StoryState.TRANSLATED), HINT)
    assert [t[0] for t in translations(store, story)] == [None, None]
    code, out, err = cli("show", story, "--json")
    assert json.loads(out)["untranslated_reason"] == HINT


def test_engines_not_installed_are_skipped_in_the_fallback_order(workflow, store):
    workflow(es="[deepl, apertium]")
    story = add_story(store, "Hola mundo.", [], lang="es")
    code, out, err = cli("mt")
    assert (code, out) == (
        0,
        f"{story}: 1 segment translated with apertium "
        f"(spa-eng {ApertiumEngine().model_for('es', 'en').version})\n",
    )
    assert translations(store, story)[0][:3] == ("Hello World.", "mt", "apertium")


def test_engine_option_overrides_the_workflow(store, plugins):
    ru = add_story(store, "Первый.", [])
    es = add_story(store, "Hola.", [], lang="es")
    code, out, err = cli("mt", "--engine", "echo")
    assert code == 0, err
    assert translations(store, ru)[0][:5] == ("ru→en: Первый.", "mt", "echo", "echo-ruen", "1")
    assert translations(store, es)[0][0] == "es→en: Hola."
    code, out, err = cli("mt", "--engine", "apertium", ru)
    assert code == 0
    assert err == "translate: engine 'apertium' does not serve ru-en here\n"
    assert out == f"{ru}: kept as it is (no engine for ru-en)\n"
    code, out, err = cli("mt", "--engine", "nope")
    assert (code, err) == (2, "translate: error: unknown engine 'nope' (installed: apertium, "
                              "argos, broken, echo, flaky, lossy)\n")  # fmt: skip


# ---------------------------------------------------------------- failures


@pytest.fixture
def three_stories(store, workflow, plugins, monkeypatch):
    workflow(ru="[flaky]")
    monkeypatch.setattr(mt_stage, "WAVE_SENTENCES", 3)  # one story per wave
    return [add_story(store, f"Заголовок {i}.", [["Раз.", "Два."]]) for i in (1, 2, 3)]


def test_an_engine_crash_mid_job_keeps_finished_stories_and_the_next_run_continues(
    store, three_stories, plugins
):
    plugins.FlakyEngine.fail_after = 3
    first, second, third = three_stories
    code, out, err = cli("mt")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "translating: 3/9",
        "translate: error: engine 'flaky' failed on ru-en: model server went away; "
        "1 story stored before it, run 'translate mt' again to continue",
    ]
    assert [t[0] for t in translations(store, first)] == ["ru→en: Заголовок 1.", "ru→en: Раз.",
                                                          "ru→en: Два."]  # fmt: skip
    assert store.story(first)["state"] == int(StoryState.TRANSLATED)
    for story in (second, third):
        assert [t[0] for t in translations(store, story)] == [None, None, None]
        assert store.story(story)["state"] == int(StoryState.INGESTED)
    plugins.FlakyEngine.fail_after = None
    code, out, err = cli("mt")
    assert code == 0
    assert out.splitlines() == [
        f"{first}: up to date",
        f"{second}: 3 segments translated with flaky (echo-ruen 1)",
        f"{third}: 3 segments translated with flaky (echo-ruen 1)",
    ]


def test_ctrl_c_writes_nothing_half_done(store, three_stories, plugins):
    plugins.FlakyEngine.fail_after = 4
    plugins.FlakyEngine.interrupt = True
    code, out, err = cli("mt")
    assert code == 130
    assert err.endswith("\ntranslate: interrupted; nothing half-written, run again to continue\n")
    assert store.story(three_stories[0])["state"] == int(StoryState.TRANSLATED)
    assert [t[0] for t in translations(store, three_stories[1])] == [None, None, None]


def test_a_corrupt_model_stops_with_one_line_and_writes_nothing(store, installed_copy):
    story = add_story(store, "Первый.", [])
    (installed_copy.path / "model" / "model.bin").write_bytes(b"\0" * 64)
    code, out, err = cli("mt")
    assert (code, out) == (1, "")
    assert err.startswith(
        f"translate: error: argos package translate-ru_en 1.0 at {installed_copy.path} cannot be "
        "loaded ("
    )
    assert err.endswith(
        "reinstall it with 'translate models install --file PATH.argosmodel'; 0 stories stored "
        "before it, run 'translate mt' again to continue\n"
    )
    assert version_count(store) == 0 and store.story(story)["state"] == int(StoryState.INGESTED)


# ---------------------------------------------------------------- guards and glossary hooks


def test_claimed_stories_are_left_alone(store, installed_copy):
    story = add_story(store, "Первый.", [])
    with store.write():
        store.set_story_state(story, StoryState.IN_TRANSLATION, user="ana")
    code, out, err = cli("mt", story)
    assert (code, out) == (1, "")
    assert err == (
        f"translate: story '{story}' is in_translation: machine drafts are only made before a "
        "translator claims a story\n"
    )
    code, out, err = cli("mt")
    assert (code, out, err) == (0, "", "nothing to translate\n")
    code, out, err = cli("mt", "no-such-story")
    assert (code, err) == (1, "translate: error: no story 'no-such-story'\n")


def test_an_edit_made_while_mt_runs_is_never_overwritten(store, workflow, plugins):
    workflow(ru="[echo]")
    story = add_story(store, "Первый.", [["Второе."]])
    seg = store.segments(story)[1]

    def edit_now():
        from translate.store import open_store as reopen

        other = reopen(store.location)
        with other.write():
            other.add_version(seg["id"], story, "Edited.", origin="human",
                              state=SegmentState.EDITED, author="ana")  # fmt: skip
        other.close()

    plugins.EchoEngine.during = edit_now
    code, out, err = cli("mt")
    assert (code, out) == (0, f"{story}: 1 segment translated with echo (echo-ruen 1)\n")
    assert [t[:2] for t in translations(store, story)] == [
        ("ru→en: Первый.", "mt"),
        ("Edited.", "human"),
    ]


class FakeEnforcer:
    """Masks 'Газпром' as ⟦Газпром⟧ and wants it back; restores it as 'Gazprom'."""

    def mask(self, text):
        return text.replace("Газпром", "⟦Газпром⟧"), "Газпром" in text

    def restore(self, text, state):
        if not state:
            return text, True
        if "⟦Газпром⟧" not in text:
            return text, False
        return text.replace("⟦Газпром⟧", "Gazprom"), True


@pytest.mark.parametrize(
    ("engine", "expected", "retries"),
    [
        ("echo", "ru→en: Gazprom молчит.", 0),
        ("lossy", "lossy: Газпром молчит.", 1),  # placeholders lost: translated again unmasked
    ],
)
def test_glossary_masking_and_unmasked_retry(store, workflow, plugins, monkeypatch, engine,
                                             expected, retries):  # fmt: skip
    workflow(ru=f"[{engine}]")
    monkeypatch.setattr(mt_stage, "_enforcer", lambda wf, pair: FakeEnforcer())
    story = add_story(store, "Газпром молчит.", [["Без терминов."]])
    code, out, err = cli("mt", "--json")
    assert code == 0
    [result] = json.loads(out)["stories"]
    assert result["unmasked_retries"] == retries
    assert translations(store, story)[0][0] == expected
    calls = plugins.EchoEngine.calls if engine == "echo" else plugins.LossyEngine.calls
    assert calls[0] == ["⟦Газпром⟧ молчит.", "Без терминов."]
    assert calls[1:] == ([] if not retries else [["Газпром молчит."]])


def test_mt_library_call_reports_without_the_cli(store, workflow, plugins):
    wf = workflow(ru="[echo]")
    story = add_story(store, "Первый.", [["Второе.", "Третье."]])
    seen = []

    class Bar:
        def __init__(self, total, label):
            seen.append((total, label))

        def __enter__(self):
            return self

        def advance(self, n):
            seen.append(n)

        def __exit__(self, *exc):
            pass

    report = mt_stage.run_mt(store, wf, [story], user="nightly", progress=Bar)
    assert seen == [(3, "translating"), 3]
    data = report.as_dict()
    assert data["sentences"] == 3
    assert data["stories"][0] | {"id": story} == {
        "id": story,
        "pair": "ru-en",
        "engine": "echo",
        "model": "echo-ruen",
        "model_version": "1",
        "translated": 3,
        "unmasked_retries": 0,
        "aligned_terms": 0,
        "localized": 0,
        "from_tm": 0,
        "state": "translated",
        "untranslated_reason": None,
        "skipped": None,
    }
    assert [(e["action"], e["user"]) for e in store.events(story)][-2:] == [
        ("state", "nightly"),
        ("mt", "nightly"),
    ]


def test_real_glossary_enforcement_through_the_copy_model(store, desk, installed_copy):
    (desk / "glossaries" / "ru-en.csv").write_text(
        "source,target,kind\nГазпром,Gazprom,preferred\n", encoding="utf-8"
    )
    story = add_story(store, "Переговоры с Газпромом буксуют.", [["Газпром молчит."]])
    code, out, err = cli("mt", "--json")
    assert code == 0, err
    assert json.loads(out)["stories"][0]["unmasked_retries"] == 0
    # The TEST PACKAGE copies the masked sentence; restoring puts the approved term in.
    assert [t[0] for t in translations(store, story)] == [
        "Переговоры с Gazprom буксуют.",
        "Gazprom молчит.",
    ]


def test_a_broken_plugin_in_the_fallback_order_is_skipped_with_a_note(workflow, store, plugins):
    workflow(ru="[broken, echo]")
    story = add_story(store, "Первый.", [])
    code, out, err = cli("mt")
    assert (code, out) == (0, f"{story}: 1 segment translated with echo (echo-ruen 1)\n")
    assert translations(store, story)[0][2] == "echo"


def test_a_misspelt_engine_name_gets_a_hint(store, workflow, plugins):
    wf = workflow(ru="[echoo]")
    story = add_story(store, "Первый.", [["Второе."]])
    report = mt_stage.run_mt(store, wf, [story])
    assert "engine 'echoo' is not installed; did you mean 'echo'?" in report.notes


def test_apertium_works_waves_ahead_at_a_lower_priority_and_every_story_is_stored(
    workflow, store, monkeypatch
):
    """With waves of two sentences, the engine gets up to WAVES_AHEAD of them before the first is
    stored; its programs run at nice +ENGINE_NICE; every story ends up translated, in order."""
    import os

    from translate.engines.running import Engines

    monkeypatch.setattr(mt_stage, "BACKGROUND_WAVE_SENTENCES", 2)
    wf = workflow(es="[apertium]")
    stories = [
        add_story(store, f"Noticia {n}", [[f"El precio cayó un {n} % el año pasado."]], lang="es")
        for n in range(7)
    ]
    engines = Engines(wf, lambda message: None)
    try:
        report = mt_stage.run_mt(store, wf, user="nightly", engines=engines)
        engine = engines.get("apertium")
        assert engine.nice == mt_stage.ENGINE_NICE
        (stream,) = engine._running.values()  # kept for the worker's next job, still running
        pipeline = stream.pipeline
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert {os.getpriority(os.PRIO_PROCESS, p.pid) for p in pipeline.procs} == {
            min(19, mine + mt_stage.ENGINE_NICE)
        }
    finally:
        engines.close()
    assert [s.id for s in report.stories] == stories
    assert all(s.translated == 2 for s in report.stories)
    for n, story in enumerate(stories):
        assert [t[0] for t in translations(store, story)] == [
            f"News {n}",
            f"The price fell a {n}% the past year.",
        ]
