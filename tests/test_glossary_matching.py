"""Glossary matching: inflection tables (ru via pymorphy3, es via simplemma), near-misses, longest
match, whole words, case sensitivity, spans, and reloading when the file changes."""

from __future__ import annotations

import os
import time

import pytest

from translate.glossary.entry import Entry
from translate.glossary.matcher import Matcher

RU_ENTRIES = [
    Entry("Газпром", "Gazprom"),
    Entry(
        "Центр анализа стратегий и технологий", "Centre for Analysis of Strategies and Technologies"
    ),
    Entry("Центр", "centre"),
    Entry("Новатэк", "Novatek"),  # not in pymorphy3's dictionary: a predicted lemma
    Entry("орхидея", "orchid"),
    Entry("Путин", "Putin", case_sensitive=True),
    Entry("Исламабад", "Islamabad"),
    Entry("Ашфак Парвез Кайани", "Ashfaq Parvez Kayani"),
    Entry("перезагрузка", "reset"),
    Entry("Руслан Пухов", "Ruslan Pukhov"),
    Entry("атомная электростанция", "nuclear power plant"),
    Entry("пани", "pani"),
    Entry("сталь", "steel"),
]

# (text, glossary source term, plural?) — every one must match exactly that entry.
RU_TABLE = [
    ("Газпром", "Газпром", False),
    ("Газпрома", "Газпром", False),
    ("Газпрому", "Газпром", False),
    ("Газпромом", "Газпром", False),
    ("Газпроме", "Газпром", False),
    ("Новатэк", "Новатэк", False),
    ("Новатэка", "Новатэк", False),
    ("Новатэку", "Новатэк", False),
    ("Новатэком", "Новатэк", False),
    ("Новатэке", "Новатэк", False),
    ("орхидея", "орхидея", False),
    ("орхидею", "орхидея", False),
    ("орхидеи", "орхидея", True),
    ("орхидей", "орхидея", True),
    ("орхидеям", "орхидея", True),
    ("орхидеями", "орхидея", True),
    ("орхидеях", "орхидея", True),
    ("Путина", "Путин", False),
    ("Путину", "Путин", False),
    ("Путиным", "Путин", False),
    ("Исламабаде", "Исламабад", False),
    ("перезагрузку", "перезагрузка", False),
    ("Центр анализа стратегий и технологий", "Центр анализа стратегий и технологий", False),
    ("Центра анализа стратегий и технологий", "Центр анализа стратегий и технологий", False),
    ("Центру анализа стратегий и технологий", "Центр анализа стратегий и технологий", False),
    ("Центром анализа стратегий и технологий", "Центр анализа стратегий и технологий", False),
    ("Центре анализа стратегий и технологий", "Центр анализа стратегий и технологий", False),
    ("Ашфака Парвеза Кайани", "Ашфак Парвез Кайани", False),
    ("Ашфаку Парвезу Кайани", "Ашфак Парвез Кайани", False),
    ("Руслана Пухова", "Руслан Пухов", False),
    ("Русланом Пуховым", "Руслан Пухов", False),
    ("атомной электростанции", "атомная электростанция", False),
    ("атомные электростанции", "атомная электростанция", True),
    ("атомных электростанций", "атомная электростанция", True),
    ("стали", "сталь", False),  # ambiguous: стать / сталь — all normal forms are keys
]

RU_NEAR_MISSES = [
    "компании",  # contains «пани»: whole words only
    "Газпромнефть",
    "газопровод",
    "центральный анализ",
    "путина",  # «Путин» is case-sensitive
    "Новатэк-Юрхаровнефтегаз",  # one hyphenated word
    "орхидейный",
    "Исламабадский",
    "Руслан",
    "атомная энергия",
]

ES_ENTRIES = [
    Entry("orquídea", "orchid"),
    Entry("vivero", "nursery"),
    Entry("cafetalero", "coffee grower"),
    Entry("flor", "flower"),
    Entry("productor", "producer"),
    Entry("guardaparques", "park ranger"),
    Entry("Ciudad de México", "Mexico City"),
    Entry("bono", "bond"),
    Entry("Santa Rita Las Flores", "", kind="keep", case_sensitive=True),
    Entry("Santa Rita", "", kind="keep", case_sensitive=True),
    Entry("Salas Gómez", "", kind="keep"),
    Entry("Reserva de la Biosfera El Triunfo", "El Triunfo Biosphere Reserve"),
    Entry("El Triunfo", "", kind="keep", case_sensitive=True),
    Entry("EE. UU.", "US"),
]

ES_TABLE = [
    ("orquídea", "orquídea", False),
    ("orquídeas", "orquídea", True),  # plural
    ("Orquídeas", "orquídea", True),  # at a sentence start
    ("ORQUÍDEAS", "orquídea", True),
    ("orquidea", "orquídea", False),  # accent left out
    ("orquideítas", "orquídea", True),  # diminutive
    ("viveros", "vivero", True),
    ("viverito", "vivero", False),  # diminutive
    ("viveritos", "vivero", True),
    ("cafetalera", "cafetalero", False),  # gender
    ("cafetaleros", "cafetalero", True),
    ("cafetaleras", "cafetalero", True),
    ("flores", "flor", True),  # simplemma says «florar»; the plural rule finds «flor»
    ("florecitas", "flor", True),
    ("productora", "productor", False),
    ("productoras", "productor", True),
    ("guardaparques", "guardaparques", False),
    ("Ciudad de México", "Ciudad de México", False),
    ("Santa Rita Las Flores", "Santa Rita Las Flores", False),
    ("Reserva de la Biosfera El Triunfo", "Reserva de la Biosfera El Triunfo", False),
    ("EE. UU.", "EE. UU.", False),
]

ES_NEAR_MISSES = [
    "santos ritos",  # simplemma lemmatises «Santa Rita» to «santo rito»; names match on surface
    "vivir",
    "vivía",
    "orquesta",
    "Salas",
    "bonita",  # a known word, not a diminutive of «bono»
    "reservado",
    "el triunfo",  # case-sensitive «El Triunfo»
]


@pytest.fixture(scope="module")
def ru():
    return Matcher.build(RU_ENTRIES, "ru")


@pytest.fixture(scope="module")
def es():
    return Matcher.build(ES_ENTRIES, "es")


def _only(matcher, text):
    found = matcher.find(text)
    assert len(found) == 1, (text, found)
    m = found[0]
    assert (m.start, m.end) == (0, len(text.rstrip(".")))  # spans cover words, not final dots
    return matcher.entries[m.entry].source, m.plural


@pytest.mark.parametrize(("text", "term", "plural"), RU_TABLE)
def test_russian_inflected_forms_match(ru, text, term, plural):
    assert _only(ru, text) == (term, plural)


@pytest.mark.parametrize(("text", "term", "plural"), ES_TABLE)
def test_spanish_inflected_forms_match(es, text, term, plural):
    assert _only(es, text) == (term, plural)


@pytest.mark.parametrize("text", RU_NEAR_MISSES)
def test_russian_near_misses_do_not_match(ru, text):
    assert [ru.entries[m.entry].source for m in ru.find(text)] == []


@pytest.mark.parametrize("text", ES_NEAR_MISSES)
def test_spanish_near_misses_do_not_match(es, text):
    assert [es.entries[m.entry].source for m in es.find(text)] == []


def test_tables_are_big_enough():
    assert len(RU_TABLE) >= 20 and len(ES_TABLE) >= 10


def test_longest_match_wins_and_spans_are_exact(ru):
    text = "Директор Центра анализа стратегий и технологий Руслан Пухов и Центр."
    found = [(text[m.start : m.end], ru.entries[m.entry].source) for m in ru.find(text)]
    assert found == [
        ("Центра анализа стратегий и технологий", "Центр анализа стратегий и технологий"),
        ("Руслан Пухов", "Руслан Пухов"),
        ("Центр", "Центр"),
    ]
    # every overlapping candidate is still visible before resolution
    assert len(ru.find_all(text)) == 4


def test_punctuation_breaks_a_multi_word_term(ru):
    text = "Центр, анализа стратегий и технологий"
    assert [text[m.start : m.end] for m in ru.find(text)] == ["Центр"]


def test_case_sensitive_term_falls_back_to_the_shorter_entry(es):
    text = "La regla se cumple: en Santa Rita las flores no se llevan."
    found = [(text[m.start : m.end], es.entries[m.entry].source) for m in es.find(text)]
    assert found == [("Santa Rita", "Santa Rita"), ("flores", "flor")]


def test_match_reports_the_lemma_path(ru):
    (m,) = ru.find("с Газпромом")
    assert m.words == [("Газпромом", "газпром", "lemma")]
    (m,) = Matcher.build(ES_ENTRIES, "es").find("viveritos")
    assert m.words == [("viveritos", "vivero", "diminutive")]


def test_other_languages_match_case_folded_surface_forms():
    m = Matcher.build([Entry("Bundestag", "Bundestag"), Entry("Deutsche Bahn", "DB")], "de")
    text = "Im BUNDESTAG sprach die deutsche bahn; Bundestages nicht."
    assert [text[x.start : x.end] for x in m.find(text)] == ["BUNDESTAG", "deutsche bahn"]


def test_ambiguous_words_get_every_normal_form(ru):
    from translate.glossary.morph import text_keys

    keys = {k for k, _how in text_keys("стали", "ru")}
    assert {"сталь", "стать"} <= keys


def test_glossary_file_changes_take_effect_without_restart(tmp_path):
    from translate.glossary import loaded

    path = tmp_path / "ru-en.csv"
    path.write_text("source,target\nГазпром,Gazprom\n", encoding="utf-8")
    g1, m1 = loaded(path, "ru", "en")
    assert [g1.entries[x.entry].target for x in m1.find("Новатэком и Газпромом")] == ["Gazprom"]
    assert loaded(path, "ru", "en")[1] is m1  # cached while the file is unchanged
    path.write_text("source,target\nГазпром,Gazprom\nНоватэк,Novatek\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    g2, m2 = loaded(path, "ru", "en")
    assert [g2.entries[x.entry].target for x in m2.find("Новатэком и Газпромом")] == [
        "Novatek",
        "Gazprom",
    ]


def test_missing_glossary_file_is_an_empty_glossary(tmp_path):
    from translate.glossary import loaded

    glossary, matcher = loaded(tmp_path / "none.csv", "ru", "en")
    assert glossary.entries == [] and matcher.find("Газпром") == []
