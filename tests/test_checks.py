"""The quality checks: one passing and one failing case per check, ru→en and es→en, plus the
registry and the severity rules."""

from __future__ import annotations

import pytest

from translate import checks
from translate.checks import CheckContext, Finding, registry, resolve_severity, run_segment_checks


def run(source: str, target: str, lang: str = "ru", kind: str = "paragraph", **extras):
    ctx = CheckContext(source, target, lang, "en", unit_kind=kind, extras=extras)
    return run_segment_checks(ctx)


def codes(source: str, target: str, lang: str = "ru", kind: str = "paragraph") -> set[str]:
    return {f.code for f in run(source, target, lang, kind)}


def only(code: str, source: str, target: str, lang: str = "ru", kind: str = "paragraph"):
    return [f for f in run(source, target, lang, kind) if f.code == code]


# (code, source language, source, target that passes, target that fails)
CASES = [
    ("numbers.mismatch", "ru", "Погибли 1.000 человек.", "1,000 people died.", "100 people died."),
    (
        "numbers.format",
        "es",
        "Hay 3.000 orquídeas.",
        "There are 3,000 orchids.",
        "There are 3.000 orchids.",
    ),
    (
        "numbers.mismatch",
        "ru",
        "Инфляция составила 3,5 %.",
        "Inflation was 3.5%.",
        "Inflation was 5%.",
    ),
    (
        "numbers.mismatch",
        "ru",
        "Доля выросла до 11,6.",
        "The share rose to 11.6.",
        "The share rose to 11.5.",
    ),
    (
        "numbers.mismatch",
        "ru",
        "Бюджет составит 2 млн рублей.",
        "The budget will be 2 million roubles.",
        "The budget will be 2 billion roubles.",
    ),
    (
        "numbers.mismatch",
        "es",
        "Murieron 1.500 personas.",
        "1,500 people died.",
        "1,050 people died.",
    ),
    (
        "numbers.mismatch",
        "es",
        "El paro bajó al 11,6 %.",
        "Unemployment fell to 11.6%.",
        "Unemployment fell to 16%.",
    ),
    (
        "dates.mismatch",
        "ru",
        "Это случилось 12 октября 2012 года.",
        "It happened on 12 October 2012.",
        "It happened on 12 November 2012.",
    ),
    (
        "dates.mismatch",
        "ru",
        "Это случилось 12 октября 2012 года.",
        "It happened on October 12, 2012.",
        "It happened on October 21, 2012.",
    ),
    (
        "dates.mismatch",
        "es",
        "Ocurrió el 12 de octubre de 2012.",
        "It happened on October 12, 2012.",
        "It happened on October 12.",
    ),
    ("currency.mismatch", "ru", "Он заплатил 100 рублей.", "He paid 100 roubles.", "He paid $100."),
    (
        "currency.mismatch",
        "es",
        "Costó 10 millones de dólares.",
        "It cost $10 million.",
        "It cost 10 million euros.",
    ),
    (
        "urls.missing",
        "ru",
        "Подробности на сайте kremlin.ru.",
        "Details on the kremlin.ru website.",
        "Details on the Kremlin website.",
    ),
    (
        "urls.missing",
        "es",
        "Escriba a prensa@elpais.es o vea https://elpais.com/a/1.html hoy.",
        "Write to prensa@elpais.es or see https://elpais.com/a/1.html today.",
        "Write to prensa@elpais.es or see https://elpais.com/a/1 today.",
    ),
    (
        "untranslated",
        "ru",
        "Мэр Москвы заявил об этом в понедельник.",
        "The mayor of Moscow said so on Monday.",
        "Мэр Москвы заявил об этом в понедельник.",
    ),
    (
        "untranslated",
        "ru",
        "Мэр Москвы заявил об этом в понедельник.",
        "The mayor of Moscow said so on Monday.",
        "Мэр Moscow заявил об этом в понедельник.",
    ),
    (
        "untranslated",
        "es",
        "El Gobierno anunció nuevas medidas para la economía.",
        "The government announced new measures for the economy.",
        "El Gobierno anunció nuevas medidas para la economía.",
    ),
    (
        "untranslated",
        "es",
        "El Gobierno anunció nuevas medidas para la economía.",
        "The government announced new measures for the economy.",
        "El Gobierno announced que las medidas para la economy.",
    ),
    (
        "script.mixed",
        "ru",
        "Мэр Москвы заявил об этом.",
        "The mayor of Moscow said so.",
        "The мэр of Moscow said so.",
    ),
    (
        "sentences.count",
        "ru",
        "Мэр заявил об этом в понедельник.",
        "The mayor said so on Monday.",
        "The mayor said so. It was Monday. Nobody listened.",
    ),
    (
        "sentences.count",
        "es",
        "El alcalde habló. Nadie le escuchó.",
        "The mayor spoke. Nobody listened.",
        "The mayor spoke and nobody listened.",
    ),
    (
        "repetition.loop",
        "ru",
        "Мэр Москвы заявил об этом в понедельник.",
        "The mayor of Moscow said so on Monday.",
        "The mayor of Moscow of Moscow of Moscow of Moscow said so.",
    ),
    (
        "repetition.loop",
        "es",
        "El alcalde habló ayer con los vecinos del barrio.",
        "The mayor spoke with the residents of the district yesterday.",
        "The mayor spoke with residents residents residents residents residents.",
    ),
    (
        "length.ratio",
        "ru",
        "Мэр Москвы заявил об этом журналистам в понедельник.",
        "The mayor of Moscow told reporters so on Monday.",
        "The mayor spoke.",
    ),
    (
        "length.ratio",
        "es",
        "El alcalde habló ayer con los vecinos del barrio.",
        "The mayor spoke with the residents of the district yesterday.",
        "He spoke.",
    ),
    (
        "quotes.unbalanced",
        "ru",
        "Он сказал: «Мы победим».",
        "He said: “We will win.”",
        "He said: “We will win.",
    ),
    (
        "quotes.unbalanced",
        "es",
        "Dijo: «Ganaremos».",
        "He said: “We will win.”",
        'He said: "We will win.',
    ),
    (
        "quotes.style",
        "ru",
        "Он сказал: «Мы победим».",
        "He said: “We will win.”",
        "He said: «We will win».",
    ),
    (
        "brackets.unbalanced",
        "ru",
        "Партия (ЛДПР) победила.",
        "The party (LDPR) won.",
        "The party (LDPR won.",
    ),
    (
        "brackets.unbalanced",
        "es",
        "El partido (PP) ganó.",
        "The party (PP) won.",
        "The party PP) won.",
    ),
    (
        "spaces.double",
        "ru",
        "Мэр Москвы выступил.",
        "The mayor of Moscow spoke.",
        "The mayor of  Moscow spoke.",
    ),
    ("spaces.edges", "es", "El alcalde habló.", "The mayor spoke.", "The mayor spoke. "),
    (
        "spaces.punctuation",
        "ru",
        "Мэр, как обычно, выступил.",
        "The mayor, as usual, spoke.",
        "The mayor , as usual, spoke.",
    ),
    ("punctuation.end", "ru", "Где деньги?", "Where is the money?", "Where is the money."),
    ("punctuation.end", "es", "¡Ganamos!", "We won!", "We won."),
    ("punctuation.end", "ru", "Мэр выступил.", "The mayor spoke.", "The mayor spoke"),
    ("case.start", "ru", "Мэр выступил.", "The mayor spoke.", "the mayor spoke."),
    ("case.start", "es", "¿Quién ganó?", "Who won?", "who won?"),
    ("empty", "ru", "Мэр выступил.", "The mayor spoke.", "  "),
    ("empty", "es", "El alcalde habló.", "The mayor spoke.", ""),
    (
        "placeholder.leftover",
        "ru",
        "Мэр Москвы выступил.",
        "The mayor of Moscow spoke.",
        "The __T1__ of Moscow spoke.",
    ),
    (
        "placeholder.leftover",
        "es",
        "El alcalde de Madrid habló.",
        "The mayor of Madrid spoke.",
        "The ZZTERM1ZZ of Madrid spoke.",
    ),
    (
        "placeholder.leftover",
        "ru",
        "Мэр Москвы выступил.",
        "The mayor of Moscow spoke.",
        "The mayor of {0} spoke.",
    ),
    (
        "omission.clause",
        "es",
        "El ministro defendió la medida, pero la oposición criticó duramente el plan del Gobierno.",
        "The minister defended the measure, but the opposition harshly criticized the government's plan.",
        "The minister defended the measure.",
    ),
    (
        "omission.sentence",
        "ru",
        "Компания объявила о сокращении сотрудников. Профсоюз пообещал оспорить решение в суде.",
        "The company announced job cuts. The union promised to challenge the decision in court.",
        "The company announced job cuts.",
    ),
    (
        "names.missing",
        "ru",
        "Министр Сергей Лавров провёл переговоры в Анкаре.",
        "Minister Sergei Lavrov held talks in Ankara.",
        "Minister Sergei Kozlov held talks in Ankara.",
    ),
    (
        "names.added",
        "es",
        "El alcalde habló con los vecinos.",
        "The mayor spoke with residents.",
        "The mayor spoke with residents and Cuerden.",
    ),
]


@pytest.mark.parametrize(
    ("code", "lang", "source", "good", "bad"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_check_passes_and_fails(code, lang, source, good, bad):
    assert run(source, good, lang) == []
    assert code in codes(source, bad, lang)


def builtin_checks() -> dict:
    """The checks of this package's own families (glossary checks are tested with the glossary)."""
    families = tuple(f"translate.checks.{name}" for name in checks.BUILTIN_FAMILIES)
    return {code: spec for code, spec in registry().items() if spec.fn.__module__ in families}


def test_every_registered_check_has_a_case():
    assert {c[0] for c in CASES} == set(builtin_checks()), (
        "each check needs a passing and failing case"
    )
    assert len(builtin_checks()) >= 16


def test_default_severities():
    blocking = {c for c, spec in builtin_checks().items() if spec.severity == "blocking"}
    assert blocking == {
        "numbers.mismatch",
        "numbers.format",
        "untranslated",
        "empty",
        "placeholder.leftover",
        "repetition.loop",
    }


# ---------------------------------------------------------------- other details


def test_untranslated_leaves_names_alone():
    assert run("Real Madrid", "Real Madrid", "es", kind="headline") == []
    assert codes("Мэр Москвы", "Мэр Москвы", "ru", kind="headline") == {"untranslated"}


def test_repetition_in_source_is_not_a_loop():
    src = "«Нет, нет, нет», — сказал он."
    assert only("repetition.loop", src, "“No, no, no,” he said.") == []


def test_repetition_of_one_word_many_times():
    src = "Власти обсудили бюджет, налоги, пенсии, тарифы и зарплаты."
    tgt = "The budget, the budget rules, budget taxes, budget pensions and budget wages."
    assert [f.message for f in only("repetition.loop", src, tgt)] == ["'budget' occurs 5 times"]


def test_sentence_split_in_two_is_tolerated_and_abbreviations_do_not_count():
    assert (
        only("sentences.count", "Мэр выступил, и все ушли.", "The mayor spoke. Everyone left.")
        == []
    )
    src = "В 2012 г. в Москве жили 11,5 млн чел. по данным Росстата."
    assert (
        only("sentences.count", src, "In 2012, 11.5 million people lived in Moscow, Rosstat says.")
        == []
    )


def test_headline_gains_no_full_stop():
    found = only("punctuation.end", "Мэр выступил", "The mayor spoke.", kind="headline")
    assert [(f.message, f.start) for f in found] == [("a headline takes no full stop", 15)]
    assert only("punctuation.end", "Мэр выступил", "The mayor spoke.", kind="paragraph") == []


def test_quotes_open_in_source_are_not_required_to_close():
    assert only("quotes.unbalanced", "«Мы победим.", "“We will win.") == []


def test_placeholder_tokens_from_extras():
    found = [
        f
        for f in run("Мэр выступил.", "The @@1@@ spoke.", placeholders=["@@1@@"])
        if f.code == "placeholder.leftover"
    ]
    assert [(f.message, f.start, f.end) for f in found] == [
        ("placeholder '@@1@@' left in the translation", 4, 9)
    ]


def test_empty_translation_gets_only_the_empty_finding():
    assert [(f.code, f.severity) for f in run("Погибли 12 человек.", "")] == [("empty", "blocking")]


# ---------------------------------------------------------------- severity and the registry


def test_severity_defaults_when_workflow_lists_nothing():
    spec = registry()["spaces.double"]
    assert resolve_severity(Finding("spaces.double", "m"), spec, []) == "warning"
    assert resolve_severity(Finding("spaces.double", "m", "blocking"), spec, []) == "blocking"


def test_severity_workflow_list_is_authoritative():
    blocking = ["numbers", "spaces.double"]
    reg = registry()
    assert (
        resolve_severity(Finding("numbers.mismatch", "m"), reg["numbers.mismatch"], blocking)
        == "blocking"
    )
    assert (
        resolve_severity(Finding("spaces.double", "m"), reg["spaces.double"], blocking)
        == "blocking"
    )
    assert resolve_severity(Finding("empty", "m", "blocking"), reg["empty"], blocking) == "warning"


def test_runner_applies_blocking_list():
    ctx = CheckContext("Мэр выступил.", "The mayor  spoke.", "ru", "en")
    assert [(f.code, f.severity) for f in run_segment_checks(ctx, ["spaces"])] == [
        ("spaces.double", "blocking")
    ]


def test_a_broken_check_becomes_a_warning(monkeypatch):
    def broken(ctx):
        raise RuntimeError("boom")

    reg = dict(checks._REGISTRY)
    reg["test.broken"] = checks.CheckSpec("test.broken", broken)
    monkeypatch.setattr(checks, "_REGISTRY", reg)
    found = run("Мэр выступил.", "The mayor spoke.")
    assert [(f.code, f.message, f.severity) for f in found] == [
        ("check.error", "check test.broken failed: boom", "warning")
    ]


def test_register_twice_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        checks.check("empty")(lambda ctx: [])
    with pytest.raises(ValueError, match="severity"):
        checks.check("x.y", severity="fatal")


def test_registry_loads_glossary_module_when_present(monkeypatch):
    import importlib.util

    seen = []
    real = importlib.util.find_spec
    monkeypatch.setattr(checks, "_loaded", False)
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: seen.append(name) or real(name, *a)
    )
    registry()
    assert "translate.checks.glossary" in seen


def test_checks_import_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, translate.checks as c; c.registry();"
        "heavy = {'argostranslate','ctranslate2','pymorphy3','simplemma','torch','spacy','stanza',"
        "'ahocorasick','rapidfuzz','inflect','prompt_toolkit','sentencepiece'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docs_list_every_check_with_its_default_severity():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "checks.md").read_text()
    for code, spec in builtin_checks().items():
        assert f"| `{code}` | {spec.severity} |" in doc, code


def test_a_misspelt_blocking_check_in_workflow_yaml_is_refused(tmp_path):
    from translate.checks import validate_blocking
    from translate.config import load_workflow
    from translate.errors import DeskError

    path = tmp_path / "workflow.yaml"
    path.write_text("checks:\n  blocking: [numbers, glossary.missing, punctuation]\n", "utf-8")
    assert validate_blocking(load_workflow(path)) == ["numbers", "glossary.missing", "punctuation"]
    path.write_text("checks:\n  blocking: [numbers, glosary]\n", "utf-8")
    with pytest.raises(DeskError) as info:
        validate_blocking(load_workflow(path))
    assert info.value.message == (
        f"{path}: checks.blocking: unknown check 'glosary', did you mean 'glossary'?"
    )
