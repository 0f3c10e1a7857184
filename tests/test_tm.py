"""Translation memory: approved pairs recorded, exact reuse, fuzzy matches with a word diff,
`tm search`, TMX export (valid per the TMX 1.4 DTD) and import, the configurable threshold."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from cli_helpers import invoke
from exchange_support import FIXTURES, STORY, claimed_story, open_desk, validate_dtd

from translate import tm
from translate.store.states import StoryState

pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("editor_user")]

pytest_plugins = ["mt_fixtures"]  # the test engines, registered through an entry point

NOW = "2012-10-15T09:00:00+00:00"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def approve_story(workflow, store) -> None:
    """Translate the last segment, confirm everything, submit (ana) and approve (eve)."""
    from translate.review import approve, confirm_all, edit_segment, submit

    edit_segment(store, workflow, STORY, 4, "“Get ready for traffic jams,” the mayor said.", "ana")
    confirm_all(store, workflow, STORY, "ana")
    submit(store, workflow, STORY, "ana")
    assert approve(store, workflow, STORY, "eve")["approved"]


@pytest.fixture
def approved(desk, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    workflow, store, _story = claimed_story(desk)
    approve_story(workflow, store)
    yield workflow, store
    store.close()


def add(store, pairs, source_lang="ru", target_lang="en", story=None, at=NOW):
    with store.write():
        store.tm_add(
            {
                "source_lang": source_lang,
                "target_lang": target_lang,
                "source": s,
                "source_norm": tm.normalize(s),
                "target": t,
                "story_id": story,
                "segment_id": None,
                "at": at,
            }
            for s, t in pairs
        )


def test_approval_records_every_segment_pair_with_story_pair_and_time(approved):
    _workflow, store = approved
    entries = list(store.tm_entries())
    assert [(e["source"], e["target"]) for e in entries] == [
        ("Москва ждёт снега", "Moscow awaits snow"),
        ("В пятницу в Москве выпадет до 10 см снега.", "Up to 10 cm of snow will fall in Moscow on Friday."),
        ("Синоптики предупреждают о гололёде.", "Forecasters warn of ice."),
        ("«Готовьтесь к пробкам», — сказал мэр.", "“Get ready for traffic jams,” the mayor said."),
    ]  # fmt: skip
    assert {(e["source_lang"], e["target_lang"], e["story_id"], e["at"]) for e in entries} == {
        ("ru", "en", STORY, NOW)
    }
    numbers = store.tm_segment_numbers([e["segment_id"] for e in entries])
    assert sorted(numbers.values()) == [1, 2, 3, 4]


def test_a_second_approval_replaces_the_storys_entries(approved):
    workflow, store = approved
    from translate.review import reject

    reject(store, workflow, STORY, "eve", "headline too flat")
    from translate.review import claim, edit_segment

    claim(store, workflow, STORY, "ana")
    edit_segment(store, workflow, STORY, 1, "Moscow braces for snow", "ana")
    approve_story_again(workflow, store)
    entries = list(store.tm_entries())
    assert len(entries) == 4
    assert tm.exact_match(store, "ru", "en", "Москва ждёт снега") == "Moscow braces for snow"


def approve_story_again(workflow, store) -> None:
    from translate.review import approve, confirm_all, submit

    confirm_all(store, workflow, STORY, "ana")
    submit(store, workflow, STORY, "ana")
    approve(store, workflow, STORY, "eve")


def test_exact_match_compares_normalised_sources_in_the_same_pair(approved):
    _workflow, store = approved
    assert tm.exact_match(store, "ru", "en", "  Москва   ждёт\nснега ") == "Moscow awaits snow"
    # NFC: "ё" written as "е" + combining diaeresis is the same text
    assert tm.exact_match(store, "ru", "en", "Москва жде\u0308т снега") == "Moscow awaits snow"
    assert tm.exact_match(store, "ru", "en", "москва ждёт снега") is None  # case counts
    assert tm.exact_match(store, "ru", "es", "Москва ждёт снега") is None  # another pair
    assert tm.exact_match(store, "ru", "en", "") is None
    add(
        store, [("Москва ждёт снега", "Moscow is waiting for snow")], at="2012-10-16T09:00:00+00:00"
    )
    assert tm.exact_match(store, "ru", "en", "Москва ждёт снега") == "Moscow is waiting for snow"


def test_exact_matches_of_a_wave_are_one_lookup_with_the_same_answers(approved):
    _workflow, store = approved
    add(
        store, [("Москва ждёт снега", "Moscow is waiting for snow")], at="2012-10-16T09:00:00+00:00"
    )
    texts = [
        "  Москва   ждёт\nснега ",
        "Москва жде\u0308т снега",
        "москва ждёт снега",
        "",
        "Никто этого не писал.",
    ]
    one_by_one = {t: tm.exact_match(store, "ru", "en", t) for t in texts}
    assert tm.exact_matches(store, "ru", "en", texts) == {
        t: v for t, v in one_by_one.items() if v is not None
    }
    assert set(tm.exact_matches(store, "ru", "en", texts).values()) == {
        "Moscow is waiting for snow"
    }
    assert tm.exact_matches(store, "ru", "es", texts) == {}
    many = [f"Фраза номер {n}." for n in range(1200)] + ["Москва ждёт снега"]  # three queries
    assert tm.exact_matches(store, "ru", "en", many) == {
        "Москва ждёт снега": "Moscow is waiting for snow"
    }


def test_fuzzy_matches_score_diff_threshold_and_limit(approved):
    _workflow, store = approved
    matches = tm.fuzzy_matches(store, "ru", "en", "В субботу в Москве выпадет до 10 см снега.")
    assert len(matches) == 1
    best = matches[0]
    assert best["score"] == 88
    assert best["target"] == "Up to 10 cm of snow will fall in Moscow on Friday."
    assert best["story_id"] == STORY
    assert (
        tm.render_diff(best["diff"]) == "В [-пятницу-]{+субботу+} в Москве выпадет до 10 см снега."
    )
    assert best["diff"][:3] == [("=", "В "), ("-", "пятницу"), ("+", "субботу")]
    # below the default 75: nothing; with a lower threshold: found
    far = "Москва готовится к снегопаду"
    assert tm.fuzzy_matches(store, "ru", "en", far) == []
    low = tm.fuzzy_matches(store, "ru", "en", far, threshold=50)
    assert [m["target"] for m in low] == ["Moscow awaits snow"]
    assert tm.fuzzy_matches(store, "ru", "en", "Москва ждёт снега", limit=0) == []
    exact = tm.fuzzy_matches(store, "ru", "en", "москва ждёт снега!")
    assert exact[0]["score"] == 97


def test_fuzzy_index_follows_new_entries(approved):
    _workflow, store = approved
    query = "Мэр просит готовиться к пробкам."
    assert tm.fuzzy_matches(store, "ru", "en", query) == []
    add(store, [("Мэр просит готовиться к пробкам", "The mayor asks people to expect jams")])
    found = tm.fuzzy_matches(store, "ru", "en", query)
    assert [(m["score"], m["target"]) for m in found] == [
        (98, "The mayor asks people to expect jams")
    ]


def test_many_entries_find_the_right_neighbours(desk):
    _workflow, store = open_desk(desk)
    add(
        store,
        [
            (f"Курс доллара {n} рублей на торгах в понедельник", f"Dollar at {n}")
            for n in range(2000)
        ],
    )
    add(store, [("Курс евро вырос на торгах во вторник", "Euro up on Tuesday")])
    euro = tm.fuzzy_matches(store, "ru", "en", "Курс евро вырос на торгах в среду", limit=3)
    assert [m["target"] for m in euro] == ["Euro up on Tuesday"]
    found = tm.fuzzy_matches(store, "ru", "en", "Курс доллара 1234 рубля на торгах в понедельник")
    assert found[0]["target"] == "Dollar at 1234"
    assert len(found) == 3
    assert found[0]["score"] > found[1]["score"] >= found[2]["score"] >= 75
    store.close()


def test_word_diff_keeps_spaces_and_punctuation():
    ops = tm.word_diff("Мэр сказал: «нет».", "Мэр ответил: «да».")
    assert tm.render_diff(ops) == "Мэр [-сказал-]{+ответил+}: «[-нет-]{+да+}»."
    assert tm.word_diff("", "а") == [("+", "а")]


def test_tm_search_prints_score_diff_and_target(approved):
    result = invoke("tm", "search", "В субботу в Москве выпадет до 10 см снега.")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        " 88%  В [-пятницу-]{+субботу+} в Москве выпадет до 10 см снега.",
        "      → Up to 10 cm of snow will fall in Moscow on Friday.",
        f"      ru-en · {STORY} · {NOW}",
    ]
    data = json.loads(
        invoke(
            "tm", "search", "В субботу в Москве выпадет до 10 см снега.", "--lang", "ru", "--json"
        ).stdout
    )
    assert data == [
        {
            "score": 88,
            "source": "В пятницу в Москве выпадет до 10 см снега.",
            "target": "Up to 10 cm of snow will fall in Moscow on Friday.",
            "source_lang": "ru",
            "target_lang": "en",
            "story_id": STORY,
            "at": NOW,
            "diff": "В [-пятницу-]{+субботу+} в Москве выпадет до 10 см снега.",
            "diff_ops": [["=", "В "], ["-", "пятницу"], ["+", "субботу"], ["=", " в Москве выпадет до 10 см снега."]],
        }
    ]  # fmt: skip
    none = invoke("tm", "search", "В субботу в Москве выпадет до 10 см снега.", "--lang", "es")
    assert none.exit_code == 0
    assert none.stdout == ""
    assert none.stderr == "no match at or above 75%\n"


def test_the_threshold_comes_from_workflow_yaml(approved, desk):
    path = desk / "workflow.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("fuzzy_threshold: 75", "fuzzy_threshold: 95"),
        encoding="utf-8",
    )
    result = invoke("tm", "search", "В субботу в Москве выпадет до 10 см снега.")
    assert result.stderr == "no match at or above 95%\n"
    assert (
        "88%"
        in invoke(
            "tm", "search", "В субботу в Москве выпадет до 10 см снега.", "--threshold", "80"
        ).stdout
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "'tm.fuzzy_threshold' must be a percentage from 1 to 100"),
        ("high", "'tm.fuzzy_threshold' must be a whole number"),
    ],
)
def test_a_bad_threshold_names_the_line(desk, value, message):
    path = desk / "workflow.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("fuzzy_threshold: 75", f"fuzzy_threshold: {value}"), encoding="utf-8"
    )
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "fuzzy_threshold" in t)
    result = invoke("tm", "search", "x")
    assert result.exit_code == 1
    assert result.stderr == f"translate: error: {path}:{line}: {message}\n"


def test_tmx_export_is_valid_per_the_dtd_and_imports_into_another_desk(
    approved, tmp_path, monkeypatch
):
    out = tmp_path / "memory.tmx"
    result = invoke("tm", "export", "--format", "tmx", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n4 translation units\n"
    check = validate_dtd(out)
    assert check.returncode == 0, check.stderr
    assert "validity error" not in check.stderr
    root = ET.parse(out).getroot()
    assert root.get("version") == "1.4"
    tus = root.findall("body/tu")
    assert [tu.get("creationdate") for tu in tus] == ["20121015T090000Z"] * 4
    assert tus[0].find("prop").text == STORY
    assert [(v.get(XML_LANG), v.find("seg").text) for v in tus[0].findall("tuv")] == [
        ("ru", "Москва ждёт снега"),
        ("en", "Moscow awaits snow"),
    ]
    # a fresh desk (a SQLite one: TRANSLATE_DATABASE_URL would name this desk's store) learns the
    # memory; a second import adds nothing
    monkeypatch.delenv("TRANSLATE_DATABASE_URL", raising=False)
    other = tmp_path / "other"
    invoke("init", other)
    wf = other / "workflow.yaml"
    first = invoke("--workflow", wf, "tm", "import", out)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == "4 added, 0 already in the memory (ru-en: 4)\n"
    assert (
        invoke("--workflow", wf, "tm", "import", out).stdout == "0 added, 4 already in the memory\n"
    )
    found = json.loads(
        invoke("--workflow", wf, "tm", "search", "Москва ждёт снега", "--json").stdout
    )
    assert [(m["score"], m["target"], m["story_id"], m["at"]) for m in found] == [
        (100, "Moscow awaits snow", STORY, NOW)
    ]


def test_tmx_from_another_tool_utf16_regions_inline_codes(desk):
    tmx = FIXTURES / "tmx" / "somecat-utf16.tmx"
    assert validate_dtd(tmx).returncode == 0
    dry = invoke("tm", "import", tmx, "--dry-run")
    assert (
        dry.stdout == "4 added, 0 already in the memory (es-en: 1, ru-en: 3); 1 unit with no "
        "language pair of this desk (ru-en, es-en) (dry run: nothing changed)\n"
    )  # the desk has ru-en and es-en: ru-es is not taken, the en/es variants serve es-en
    result = invoke("tm", "import", tmx)
    assert result.exit_code == 0, result.stderr
    _workflow, store = open_desk(desk)
    rows = [
        (e["source_lang"], e["target_lang"], e["source"], e["target"], e["at"])
        for e in store.tm_entries()
    ]
    assert rows == [
        ("ru", "en", "Москва ждёт снега", "Moscow awaits snow", "2011-03-03T12:00:00+00:00"),
        ("es", "en", "Moscú espera nieve", "Moscow awaits snow", "2011-03-03T12:00:00+00:00"),
        ("ru", "en", "Нажмите Отправить, чтобы продолжить.", "Press Send to continue.", "2011-03-02T10:16:00+00:00"),
        ("ru", "en", "Синоптики предупреждают о гололёде", "Forecasters warn of black ice", rows[3][4]),
    ]  # fmt: skip
    assert tm.exact_match(store, "es", "en", "Moscú espera nieve") == "Moscow awaits snow"
    store.close()


def test_import_points_tmx_files_to_tm_import_and_tm_import_refuses_other_files(desk, tmp_path):
    tmx = FIXTURES / "tmx" / "somecat-utf16.tmx"
    result = invoke("import", tmx)
    assert result.exit_code == 2
    assert result.stderr == (
        f"translate: error: {tmx} is a TMX translation memory; import it with 'translate tm import'\n"
    )
    po = FIXTURES / "po" / "plurals.po"
    result = invoke("tm", "import", po)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"translate: error: {po}:1: not well-formed XML (")


def test_mt_reuses_exact_matches_as_tm_origin(desk, plugins):
    """`translate mt` takes an approved human translation from the memory instead of MT."""
    from exchange_support import make_story

    path = desk / "workflow.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("engines: [argos]\n", "engines: [echo]\n", 1),
        encoding="utf-8",
    )
    _workflow, store = open_desk(desk)
    add(store, [("Синоптики предупреждают о гололёде.", "Forecasters warn of black ice.")])
    story = make_story(store, translated=False)
    result = invoke("mt", story)
    assert result.exit_code == 0, result.stderr
    rows = [(s["translation"], s["origin"], s["engine"], s["model"]) for s in store.segments(story)]
    assert rows[2] == ("Forecasters warn of black ice.", "tm", None, None)
    assert rows[0] == ("ru→en: Москва ждёт снега", "mt", "echo", "echo-ruen")
    sent = [text for call in plugins.EchoEngine.calls for text in call]
    assert "Синоптики предупреждают о гололёде." not in sent
    assert len(sent) == 3
    store.close()


def test_prefix_index_of_empty_text_is_empty():
    from translate.tm import _prefix_keys

    keys, owner = _prefix_keys("")
    assert len(keys) == 0 and len(owner) == 0


def test_exact_matches_are_reused_even_where_no_engine_serves_the_pair(desk):
    """No argos package for ru-en here: the TM still fills what it knows; the rest waits."""
    from exchange_support import SOURCES, make_story

    _workflow, store = open_desk(desk)
    add(store, [(SOURCES[2], "Forecasters warn of black ice.")])
    story = make_story(store, translated=False)
    result = invoke("mt", story)
    assert result.exit_code == 0, result.stderr
    assert f"{story}: queued untranslated (no engine for ru-en)" in result.stdout
    rows = [(s["translation"], s["origin"]) for s in store.segments(story)]
    assert rows == [
        (None, None),
        (None, None),
        ("Forecasters warn of black ice.", "tm"),
        (None, None),
    ]
    row = store.story(story)
    assert row["state"] == StoryState.TRANSLATED
    assert row["untranslated_reason"].startswith("no engine for ru-en")
    assert invoke("mt", story).exit_code == 0  # nothing new: no second version
    third = store.segments(story)[2]["id"]
    assert [v["origin"] for v in store.versions(third)] == ["tm"]
    store.close()


def test_batch_reports_tm_reuse_apart_from_engines(desk, tmp_path):
    from publish_support import RU_LINES, write_story_file

    workflow, store = open_desk(desk)
    add(store, [(RU_LINES[0], "Reused from the memory.")])
    write_story_file(workflow.inbox, 1, "ru")
    result = invoke("batch", "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.stderr
    assert "batch: translation memory (exact matches) for ru-en: 2 segments" in result.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (done,) = report["translated"]
    assert (done["engine"], done["segments"], done["from_tm"]) == ("tm", 2, 2)
    assert [u["story"] for u in report["untranslated"]] == [done["story"]]
    assert report["engines"] == [
        {"engine": "tm", "model": None, "model_version": None, "pairs": ["ru-en"], "segments": 2}
    ]
    store.close()


def test_batch_counts_tm_matches_apart_from_the_engines_segments():
    from translate.batch import BatchReport, _engines_used

    report = BatchReport()
    report.translated = [
        {"story": "a", "pair": "es-en", "engine": "apertium", "model": "spa-eng",
         "model_version": "1", "segments": 4, "from_tm": 2},
        {"story": "b", "pair": "es-en", "engine": "apertium", "model": "spa-eng",
         "model_version": "1", "segments": 3, "from_tm": 0},
    ]  # fmt: skip
    assert [(e["engine"], e["segments"]) for e in _engines_used(report)] == [
        ("apertium", 5),
        ("tm", 2),
    ]
