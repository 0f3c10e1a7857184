"""Issue 16's errors — a dropped clause or sentence, a wrong name, an untranslated short segment, a
changed number, a repetition loop — caught in Russian and Spanish; the same sentences correct not
flagged; names that legitimately change not flagged; the check benches as smoke runs.

The checks run as `check_story` runs them: the context providers first (glossary, Apertium's
back-translation and proper-noun analysis, one process per "story"), then every check. The
sentences here are not in bench/data/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from translate.checks import CheckContext, run_segment_checks, story_extras

ROOT = Path(__file__).resolve().parent.parent


def workflow(tmp_path, glossary_rows=(), back_translation=True):
    from translate.config import Workflow

    folder = tmp_path / "glossaries"
    folder.mkdir(exist_ok=True)
    for pair, rows in glossary_rows:
        lines = ["source,target,kind,avoid,case_sensitive,note", *rows]
        (folder / f"{pair}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wf = Workflow(
        path=tmp_path / "workflow.yaml",
        root=tmp_path,
        store=tmp_path / "desk.db",
        pairs={},
        translators={},
        editors={},
        glossaries_dir=folder,
    )
    wf.back_translation = back_translation
    return wf


def check_all(wf, lang: str, source: str, targets: list[str], kind: str = "paragraph"):
    """Findings for each target of one source, all checked as one story."""
    segments = [{"id": i, "source": source, "translation": t} for i, t in enumerate(targets)]
    story = {"id": "s", "language": lang, "target_language": "en"}
    extras = story_extras(None, wf, story, segments)
    return [
        run_segment_checks(
            CheckContext(source, t, lang, "en", unit_kind=kind, extras=extras.get(i, {}))
        )
        for i, t in enumerate(targets)
    ]


# (lang, source, faithful translation, {error: corrupted translation})
STORIES = [
    (
        "es",
        "La ministra de Hacienda, Noelia Ferrándiz, anunció un recorte de 1.200 millones de "
        "euros, pero los sindicatos rechazaron la medida.",
        "Finance Minister Noelia Ferrándiz announced a 1.2 billion euro cut, but the unions "
        "rejected the measure.",
        {
            "number": "Finance Minister Noelia Ferrándiz announced a 1.3 billion euro cut, but the "
            "unions rejected the measure.",
            "omission": "Finance Minister Noelia Ferrándiz announced a 1.2 billion euro cut.",
            "name": "Finance Minister Paula Ordóñez announced a 1.2 billion euro cut, but the "
            "unions rejected the measure.",
            "untranslated": "La ministra de Hacienda, Noelia Ferrándiz, anunció un recorte de "
            "1.200 millones de euros, pero los sindicatos rechazaron la medida.",
            "loop": "Finance Minister Noelia Ferrándiz announced a 1.2 billion a 1.2 billion a 1.2 "
            "billion euro cut, but the unions rejected the measure.",
        },
    ),
    (
        "es",
        "El alcalde de Rosario inauguró el puente. Las obras costaron 45 millones de dólares.",
        "The mayor of Rosario opened the bridge. The work cost $45 million.",
        {
            "omission": "The mayor of Rosario opened the bridge.",
            "name": "The mayor of Tampico opened the bridge. The work cost $45 million.",
        },
    ),
    (
        "ru",
        "Глава Минфина Антон Силин заявил, что дефицит бюджета составит 1,5 трлн рублей, однако "
        "экономисты считают прогноз слишком оптимистичным.",
        "Finance Minister Anton Silin said the budget deficit would amount to 1.5 trillion "
        "rubles, but economists consider the forecast too optimistic.",
        {
            "number": "Finance Minister Anton Silin said the budget deficit would amount to 1.6 "
            "trillion rubles, but economists consider the forecast too optimistic.",
            "omission": "Finance Minister Anton Silin said the budget deficit would amount to 1.5 "
            "trillion rubles.",
            "name": "Finance Minister Anton Zhdanov said the budget deficit would amount to 1.5 "
            "trillion rubles, but economists consider the forecast too optimistic.",
            "untranslated": "Глава Минфина Антон Силин заявил, что дефицит бюджета составит 1,5 "
            "трлн рублей, однако экономисты считают прогноз слишком оптимистичным.",
            "loop": "Finance Minister Anton Silin said the budget said the budget said the budget "
            "deficit would amount to 1.5 trillion rubles, but economists consider the forecast "
            "too optimistic.",
        },
    ),
    (
        "ru",
        "Пожар в Томске потушили за три часа. Пострадавших нет, сообщили в МЧС.",
        "The fire in Tomsk was put out in three hours. No one was hurt, the Emergencies "
        "Ministry said.",
        {
            "omission": "The fire in Tomsk was put out in three hours.",
            "name": "The fire in Vologda was put out in three hours. No one was hurt, the "
            "Emergencies Ministry said.",
        },
    ),
]
SHORT = [
    ("es", "El peso", "The peso"),
    ("es", "Regularmente.", "Regularly."),
    ("ru", "Регулярно.", "Regularly."),
    ("ru", "Экономика", "Economy"),
]


def _ids():
    return [f"{lang}-{i}-{err}" for i, (lang, _s, _g, bad) in enumerate(STORIES) for err in bad]


@pytest.mark.parametrize(
    ("lang", "source", "good", "error", "bad"),
    [(lang, s, g, err, b) for lang, s, g, bad in STORIES for err, b in bad.items()],
    ids=_ids(),
)
def test_injected_error_is_caught_and_the_correct_sentence_is_not_flagged(
    tmp_path, lang, source, good, error, bad
):
    clean, corrupted = check_all(workflow(tmp_path), lang, source, [good, bad])
    assert clean == [], [f.message for f in clean]
    new = {f.code for f in corrupted}
    expected = {
        "number": {"numbers.mismatch"},
        "omission": {"omission.clause", "omission.sentence"},
        "name": {"names.missing", "names.added"},
        "untranslated": {"untranslated"},
        "loop": {"repetition.loop"},
    }[error]
    assert new & expected, [f.message for f in corrupted]


@pytest.mark.parametrize(("lang", "source", "good"), SHORT)
def test_short_segment_left_untranslated(tmp_path, lang, source, good):
    clean, left = check_all(workflow(tmp_path), lang, source, [good, source], kind="headline")
    assert clean == []
    assert [f.code for f in left] == ["untranslated"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [("es", "Caracas"), ("es", "Real Madrid"), ("es", "2024"), ("ru", "IT"), ("ru", "X5")],
)
def test_names_and_numbers_that_stay_the_same_are_not_untranslated(tmp_path, lang, text):
    assert check_all(workflow(tmp_path), lang, text, [text], kind="headline") == [[]]


def test_omission_finding_says_what_is_missing(tmp_path):
    source, _good, bad = STORIES[0][1], STORIES[0][2], STORIES[0][3]["omission"]
    [found] = check_all(workflow(tmp_path), "es", source, [bad])
    messages = [f.message for f in found if f.code == "omission.clause"]
    assert messages == [
        "the clause «pero los sindicatos rechazaron la medida.» has no counterpart in the "
        "translation"
    ]


def test_name_findings_name_the_names(tmp_path):
    _lang, source, _good, bad = STORIES[2][0], STORIES[2][1], STORIES[2][2], STORIES[2][3]
    [found] = check_all(workflow(tmp_path), "ru", source, [bad["name"]])
    by_code = {f.code: f for f in found}
    assert by_code["names.missing"].message == (
        "the name «Силин» of the source is not in the translation"
    )
    added = by_code["names.added"]
    assert bad["name"][added.start : added.end] == "Zhdanov"


LEGIT = [
    ("ru", "Мэр Москвы выступил на форуме.", "The mayor of Moscow spoke at the forum."),
    ("ru", "Пожар в Подмосковье потушили.", "The fire in the Moscow region was put out."),
    ("ru", "Председатель ЦБ Эльвира Набиуллиной встретилась с Сергеем Лавровым.", None),
    ("es", "Las exportaciones a EE. UU. crecieron un 5 %.", "Exports to the U.S. grew 5%."),
    ("es", "El Gobierno de Estados Unidos respondió.", "The U.S. government responded."),
    ("es", "La cumbre se celebrará en Bruselas.", "The summit will be held in Brussels."),
    ("es", "La sonda llegará a Marte en 2026.", "The probe will reach Mars in 2026."),
    ("es", "La embajada de España cerró.", "The Spanish embassy closed."),
    ("ru", "Мэр Санкт-Петербурга выступил.", "The mayor of St. Petersburg spoke."),
]


@pytest.mark.parametrize(("lang", "source", "good"), [r for r in LEGIT if r[2]])
def test_names_that_legitimately_change_are_not_flagged(tmp_path, lang, source, good):
    wf = workflow(
        tmp_path,
        [
            ("ru-en", ["Москва,Moscow,preferred,,no,", "Подмосковье,Moscow region,preferred,,no,"]),
        ],
    )
    [found] = check_all(wf, lang, source, [good])
    assert [f for f in found if f.code.startswith(("names", "omission"))] == [], [
        f.message for f in found
    ]


def test_inflected_russian_names_match_their_romanization(tmp_path):
    source = "Председатель ЦБ Эльвира Набиуллина встретилась с Сергеем Лавровым."
    good = "Central bank governor Elvira Nabiullina met Sergei Lavrov."
    [found] = check_all(workflow(tmp_path), "ru", source, [good])
    assert found == []


def test_back_translation_runs_once_per_story_and_can_be_turned_off(tmp_path, monkeypatch):
    from translate.checks import backtranslate

    calls = []
    real = backtranslate.back_translate

    def counting(texts, mode):
        calls.append(len(texts))
        return real(texts, mode)

    monkeypatch.setattr(backtranslate, "back_translate", counting)
    source, good = STORIES[0][1], STORIES[0][2]
    segments = [{"id": i, "source": source, "translation": good} for i in range(3)]
    story = {"id": "s", "language": "es", "target_language": "en"}
    backtranslate._lines_cache.clear()
    backtranslate._words_cache.clear()
    extras = story_extras(None, workflow(tmp_path), story, segments)
    # one call: the three equal segments go once (+ the capitalised words alone)
    assert len(calls) == 1 and calls[0] >= 2
    assert set(extras) == {0, 1, 2} and "Ferrándiz" in extras[0]["back_translation"]
    assert extras[1]["back_translation"] == extras[0]["back_translation"]
    calls.clear()
    again = story_extras(None, workflow(tmp_path), story, segments)  # a re-check: all cached
    assert calls == [] and again == extras
    off = story_extras(None, workflow(tmp_path, back_translation=False), story, segments)
    assert calls == [] and all("back_translation" not in v for v in off.values())


def test_an_mt_wave_back_translates_its_stories_in_one_call(tmp_path, monkeypatch):
    from translate.checks import backtranslate

    calls = []
    real = backtranslate.back_translate

    def counting(texts, mode):
        calls.append(list(texts))
        return real(texts, mode)

    monkeypatch.setattr(backtranslate, "back_translate", counting)
    backtranslate._lines_cache.clear()
    backtranslate._words_cache.clear()
    wf = workflow(tmp_path)
    stories = [
        (
            {"id": f"s{i}", "language": "es", "target_language": "en"},
            [{"id": i, "source": r[1], "translation": r[3]["omission"]}],
        )
        for i, r in enumerate(r for r in STORIES if r[0] == "es")
    ]  # shorter English: each is back-translated
    assert len(stories) >= 2
    backtranslate.prefetch_back_translations(wf, stories)
    assert len(calls) == 1  # every story's lines in one call
    sent = calls[0]
    calls.clear()
    for story, segments in stories:
        extras = story_extras(None, wf, story, segments)
        assert calls == []  # each story's check finds its back-translation waiting
        seg = segments[0]
        assert seg["translation"] in sent
        assert extras[seg["id"]]["back_translation"] == real([seg["translation"]], "eng-spa")[0]


def test_back_translation_keeps_a_headline_apart_from_the_next_line():
    from translate.checks.backtranslate import back_translate

    out = back_translate(["Culture", "Breaking news", "Government gives in to farmers"], "eng-spa")
    assert out[0].rstrip(".") == "Cultura"
    assert "gobierno" in out[2].lower()


def test_workflow_yaml_switches_back_translation_off(tmp_path):
    from translate.config import load_workflow

    path = tmp_path / "workflow.yaml"
    path.write_text("checks:\n  back_translation: false\n", encoding="utf-8")
    assert load_workflow(path).back_translation is False
    path.write_text("checks:\n  blocking: [numbers]\n", encoding="utf-8")
    assert load_workflow(path).back_translation is True


def _bench(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_precision_bench_smoke():
    last = _bench("checks_precision.py", "--limit", "4")
    assert re.fullmatch(
        r"checks: false_blocking_per_100=\d+\.\d\d false_warnings_per_100=\d+\.\d\d", last
    )


def test_bench_corpus_is_big_enough_and_well_formed(monkeypatch):
    # only for this test: a bench/ left on sys.path shadows the standard library's `queue` with
    # bench/queue.py in every process spawned later (multiprocessing breaks)
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from corpus import load_pairs

    pairs = load_pairs()
    langs = [p["lang"] for p in pairs]
    assert len(pairs) >= 300 and langs.count("es") >= 120 and langs.count("ru") >= 120
    assert {p["split"] for p in pairs} == {"dev", "heldout"}
    assert len({p["id"] for p in pairs}) == len(pairs)
    assert all(p["source"] and p["reference"] for p in pairs)


def test_back_translation_gives_the_source_languages_lemmas():
    """The checks compare lemmas, so the reverse pipeline stops at the bilingual dictionary: no
    structural transfer, no generation. Names pass through; a word the dictionary lacks stays."""
    from translate.checks.backtranslate import back_translate

    (sentence, place, planet) = back_translate(
        ["The minister rejected the new laws in Chiapas.", "Geneva", "Mars"], "eng-spa"
    )
    words = sentence.split()
    assert words[:4] == ["El", "ministro", "rehusar", "el"]  # lemmas, not "rehusó las"
    assert "ley" in words and "Chiapas" in words and "leyes" not in words
    assert (place, planet) == ("Geneva", "Marte")


def test_lexical_units_become_lemmas():
    from translate.engines.apertium_format import lemma_of as _lemma

    assert _lemma("law<n><pl>/ley<n><f><pl>/derecho<n><f><pl>") == "ley"  # the first choice
    assert _lemma("will<vaux><pres>/@will<vaux><pres>") == "will"  # no translation: the word
    assert _lemma("*Mapastepec") == "Mapastepec"  # unknown to the analyser
    assert _lemma(".<sent>/.<sent>") == ""  # punctuation is no word
    assert _lemma("take# out<vblex>/sacar<vblex>") == "sacar"
    assert _lemma("a\\/b<n>/x<n>") == "x"  # an escaped slash belongs to the word
