"""The localize stage: each house-style rule on Spanish and Russian drafts (and what it must leave
alone), the style's presets and overrides, versions of origin `localize` stored after MT, shown,
logged and reverted one at a time, the migration that allows them, and workflow validation."""

from __future__ import annotations

import json

import pytest
from cli_helpers import invoke, invoke_json

from translate.config import WorkflowError, load_workflow
from translate.localize import Style, localize_text
from translate.localize.names import romanize
from translate.model import IngestedStory, Sentence, Unit
from translate.store import open_store

AP = Style.from_config(None)


def run(source: str, draft: str, lang: str, style: Style = AP) -> tuple[str, list[str]]:
    changes = localize_text(source, draft, lang, style)
    return (changes[-1].after if changes else draft), [c.rule for c in changes]


# (language, source, engine draft, house-style draft, rules that changed it)
CASES = [
    # numbers and separators
    (
        "es",
        "Tiene 3.000 habitantes.",
        "It has 3.000 inhabitants.",
        "It has 3,000 inhabitants.",
        ["numbers"],
    ),
    (
        "es",
        "Hay 1.200.000 votantes y 0,5 puntos.",
        "There are 1.200.000 voters and 0,5 points.",
        "There are 1,200,000 voters and 0.5 points.",
        ["numbers", "numbers"],
    ),
    (
        "ru",
        "Погибли 1 200 человек, рост 0,5.",
        "1 200 people died, growth 0,5.",
        "1,200 people died, growth 0.5.",
        ["numbers", "numbers"],
    ),
    (
        "es",
        "Llegaron 5 personas y 12 turistas.",
        "5 people and 12 tourists arrived.",
        "Five people and 12 tourists arrived.",
        ["numbers"],
    ),
    ("ru", "Пришли 3 человека.", "3 people came.", "Three people came.", ["numbers"]),
    # magnitudes
    (
        "es",
        "Invirtió 4,9 millones.",
        "It invested 4,9 million.",
        "It invested 4.9 million.",
        ["magnitudes"],
    ),
    (
        "es",
        "Costará 30.000 millones.",
        "It will cost 30.000 million.",
        "It will cost 30 billion.",
        ["magnitudes"],
    ),
    (
        "es",
        "Una deuda de 2 billones.",
        "A debt of 2 billion.",
        "A debt of 2 trillion.",
        ["magnitudes"],
    ),
    (
        "ru",
        "Выручка составила 4,9 млн.",
        "Revenue was 4,9 mln.",
        "Revenue was 4.9 million.",
        ["magnitudes"],
    ),
    # percentages
    (
        "es",
        "Creció un 11,6 % en 2012.",
        "It grew a 11,6 % in 2012.",
        "It grew a 11.6% in 2012.",
        ["percentages"],
    ),
    ("ru", "Рост на 3,5 процента.", "Growth by 3,5 percent.", "Growth by 3.5%.", ["percentages"]),
    # dates
    (
        "es",
        "El 12 de octubre de 2012 llegó.",
        "On 12 October 2012 it arrived.",
        "On Oct. 12, 2012 it arrived.",
        ["dates"],
    ),
    ("es", "Fue el 12.10.2012.", "It was the 12.10.2012.", "It was Oct. 12, 2012.", ["dates"]),
    (
        "es",
        "Ocurrió en julio de 2011.",
        "It happened in July of 2011.",
        "It happened in July 2011.",
        ["dates"],
    ),
    (
        "ru",
        "12 октября 2012 г. он уехал.",
        "On 12 October 2012 he left.",
        "On Oct. 12, 2012 he left.",
        ["dates"],
    ),
    ("ru", "Встреча 3 марта.", "Meeting on 3 March.", "Meeting on March 3.", ["dates"]),
    # times
    (
        "es",
        "Llegó a las 06.00 horas.",
        "It arrived to the 06.00 hours.",
        "It arrived at 6 a.m.",
        ["times"],
    ),
    (
        "ru",
        "Заседание начнётся в 18:30.",
        "The meeting will begin at 18:30.",
        "The meeting will begin at 6:30 p.m.",
        ["times"],
    ),
    ("es", "Cierra a las 12.00.", "It closes to the 12.00.", "It closes at noon.", ["times"]),
    # currencies
    (
        "ru",
        "Инвестиции составят 30 млрд долларов.",
        "Investments will be 30 billion dollars.",
        "Investments will be $30 billion.",
        ["currencies"],
    ),
    (
        "ru",
        "Долг 1,5 трлн рублей.",
        "Debt 1,5 trillion roubles.",
        "Debt 1.5 trillion rubles.",
        ["currencies"],
    ),
    (
        "es",
        "Costó 1.500 euros o US$ 2.000.",
        "It cost 1.500 euros or US$ 2.000.",
        "It cost 1,500 euros or $2,000.",
        ["currencies", "currencies"],
    ),
    (
        "es",
        "Invirtió 35 millones de euros.",
        "It invested 35 million of euros.",
        "It invested 35 million euros.",
        ["currencies"],
    ),
    # ordinals and centuries
    (
        "ru",
        "В XX в. всё изменилось.",
        "In XX century everything changed.",
        "In 20th century everything changed.",
        ["ordinals"],
    ),
    ("es", "En el siglo XXI.", "In the XXI century.", "In the 21st century.", ["ordinals"]),
    (
        "es",
        "El 3er puesto y el 21º aniversario.",
        "The 3er place and the 21º anniversary.",
        "The third place and the 21st anniversary.",
        ["ordinals", "ordinals"],
    ),
    # Russian personal names no glossary covers
    (
        "ru",
        "Сергей Лавров встретился с Алексеем Навальным.",
        "Sergey Lavrov met with Aleksei Naval'ny.",
        "Sergei Lavrov met with Alexei Navalny.",
        ["names", "names", "names"],
    ),
    (
        "ru",
        "Юрий Гагарин и Дмитрий Песков.",
        "Юрий Гагарин и Дмитрий Песков.",
        "Yuri Gagarin и Dmitry Peskov.",
        ["names", "names", "names", "names"],
    ),
    (
        "ru",
        "Заявление Натальи Горбачёвой.",
        "Statement by Natalya Gorbachyova.",
        "Statement by Natalia Gorbacheva.",
        ["names", "names"],
    ),
]

UNTOUCHED = [
    ("es", "En 2012 creció.", "In 2012 it grew."),  # a year
    ("es", "Pi vale 3,14.", "Pi is 3.14."),  # already English
    ("es", "Llame al 91 123 45 67.", "Call 91 123 45 67."),  # a phone number
    ("ru", "Звоните +7 495 123-45-67.", "Call +7 495 123-45-67."),
    ("es", "Visite https://ejemplo.com/a/3.000 hoy.", "Visit https://ejemplo.com/a/3.000 today."),
    ("es", "Publicó «El año 2.000 en cifras».", "It published «The year 2.000 in figures»."),
    ("ru", "Книга «Война и мир 1.000».", "The book «War and Peace 1.000»."),  # a quoted title
    ("es", "El artículo 5 dice.", "Article 5 says."),  # a label, not a count
    ("es", "Costó 3 dólares.", "It cost $3."),  # already house style
    ("es", "Ganó 2-1.", "It won 2-1."),  # a score
    ("es", "Noticias número 2", "News number 2"),  # a figure that names
    ("ru", "Глава 3 начинается.", "Chapter 3 begins."),
]


@pytest.mark.parametrize(("lang", "source", "draft", "expected", "rules"), CASES)
def test_each_rule_writes_the_house_style(lang, source, draft, expected, rules):
    assert run(source, draft, lang) == (expected, rules)


@pytest.mark.parametrize(("lang", "source", "draft"), UNTOUCHED)
def test_what_must_stay_untouched(lang, source, draft):
    assert run(source, draft, lang) == (draft, [])


def test_each_change_is_one_step_on_the_previous_text():
    changes = localize_text(
        "El 12 de octubre de 2012 invirtió 4,9 millones.",
        "On 12 October 2012 it invested 4,9 million.",
        "es",
        AP,
    )
    assert [(c.rule, c.old, c.new) for c in changes] == [
        ("dates", "12 October 2012", "Oct. 12, 2012"),
        ("magnitudes", "4,9 million", "4.9 million"),
    ]
    assert changes[0].after == changes[1].before


def test_presets_and_overrides():
    source, draft = "Creció un 3,5 % el 12 de octubre.", "It grew a 3,5 % on 12 October."
    assert run(source, draft, "es", Style.from_config({"preset": "nyt"}))[0] == (
        "It grew a 3.5 percent on Oct. 12."
    )
    full = Style.from_config({"rules": {"dates": {"months": "full"}, "percentages": False}})
    # percentages off: the number is still written the English way, the sign left as it was
    assert run(source, draft, "es", full)[0] == "It grew a 3.5 % on October 12."
    assert run(source, draft, "es", Style.from_config({"preset": "none"})) == (draft, [])
    figures = Style.from_config({"rules": {"numbers": {"spell_out_below": 0}}})
    assert run("Llegaron 5 personas.", "5 people arrived.", "es", figures) == (
        "5 people arrived.",
        [],
    )


def test_names_scheme_is_the_desks_choice():
    assert [romanize(w) for w in ("Сергей", "Алексей", "Юрий", "Дмитрий", "Навальный")] == [
        "Sergei", "Alexei", "Yuri", "Dmitry", "Navalny",
    ]  # fmt: skip
    assert romanize("Горбачёв") == "Gorbachev" and romanize("Чайковский") == "Tchaikovsky"
    style = Style.from_config({"rules": {"names": {"scheme": "bgn_pcgn"}}})
    assert run("Сергей Лавров.", "Sergey Lavrov.", "ru", style)[0] == "Sergey Lavrov."
    own = Style.from_config({"rules": {"names": {"exceptions": {"Сергей": "Serguei"}}}})
    assert run("Сергей Лавров.", "Sergey Lavrov.", "ru", own)[0] == "Serguei Lavrov."


def test_names_a_glossary_covers_are_left_to_it():
    changes = localize_text(
        "Сергей Лавров приехал.", "Sergey Lavrov arrived.", "ru", AP, covered={"сергей"}
    )
    assert changes == []


# ---------------------------------------------------------------- stored, shown, reverted


@pytest.fixture
def es_desk(desk):
    (desk / "workflow.yaml").write_text(
        "store: .translate/desk.db\n"
        "pairs:\n  - source: es\n    target: en\n    engines: [apertium]\n"
        "team:\n  translators:\n    ana: [es-en]\n  editors:\n    eve: [es-en]\n",
        encoding="utf-8",
    )
    store = open_store(load_workflow(desk / "workflow.yaml").store)
    units = [
        Unit("headline", "Cifras", [Sentence("Cifras")]),
        Unit(
            "paragraph",
            "x",
            [
                Sentence(
                    "El 12 de octubre de 2012 la población creció un 11,6 % hasta 3.000.", " "
                ),
                Sentence("Hola mundo.", " "),
            ],
        ),
    ]
    story = store.add_story(
        IngestedStory(title="Cifras", language="es", units=units, text_hash="h-cifras")
    )
    store.close()
    return desk, story


def _chain(desk, story, number):
    store = open_store(load_workflow(desk / "workflow.yaml").store)
    try:
        seg = store.segment(story, number)
        return [(v["origin"], v["rule"], v["text"]) for v in store.version_chain(seg["id"])]
    finally:
        store.close()


def test_mt_stores_each_change_as_a_version_and_show_log_and_revert_use_them(es_desk):
    desk, story = es_desk
    assert invoke("--user", "eve", "mt").exit_code == 0
    chain = _chain(desk, story, 2)
    assert [(o, r) for o, r, _t in chain] == [
        ("localize", "numbers"),
        ("localize", "percentages"),
        ("localize", "dates"),
        ("mt", None),
    ]
    assert chain[-1][2] == (
        "On 12 October 2012 the population grew a 11,6 % until 3.000."
    )  # Apertium's own draft, kept as the first version
    assert chain[0][2] == "On Oct. 12, 2012 the population grew a 11.6% until 3,000."
    assert [o for o, _r, _t in _chain(desk, story, 3)] == ["mt"]  # nothing to localize

    view = invoke_json("show", story)
    seg = view["units"][1]["segments"][0]
    assert seg["origin"] == "localize"
    assert [(c["rule"], c["before"], c["after"]) for c in seg["localized"]] == [
        ("dates", "12 October 2012", "Oct. 12, 2012"),
        ("percentages", "11,6 %", "11.6%"),
        ("numbers", "3.000", "3,000"),
    ]
    shown = invoke("show", story).stdout
    assert "house style (percentages, version " in shown
    from translate.review.context import segment_context

    wf = load_workflow(desk / "workflow.yaml")
    store = open_store(wf.store)
    try:
        beside = segment_context(store, wf, store.story(story), store.segment(story, 2))
    finally:
        store.close()
    assert [c["rule"] for c in beside["localized"]] == ["dates", "percentages", "numbers"]
    log = invoke_json("log", story)
    assert [
        (e["action"], e["before"], e["after"], e["note"]) for e in log if e["action"] == "localize"
    ] == [
        ("localize", "12 October 2012", "Oct. 12, 2012", "dates"),
        ("localize", "11,6 %", "11.6%", "percentages"),
        ("localize", "3.000", "3,000", "numbers"),
    ]

    # undo the percentage only: the date and the number stay in house style
    percent = seg["localized"][1]["version"]
    assert invoke("--user", "ana", "claim", story).exit_code == 0
    done = invoke("--user", "ana", "revert", story, "2", "--version", str(percent))
    assert done.exit_code == 0, done.stderr
    assert "reverted percentages change '11.6%' → '11,6 %'" in done.stdout
    text = _chain(desk, story, 2)[0]
    assert text[:2] == ("human", None)
    assert text[2] == "On Oct. 12, 2012 the population grew a 11,6 % until 3,000."
    # then the newest remaining change (numbers)
    again = invoke_json("--user", "ana", "revert", story, "2")
    assert again["reverted"]["rule"] == "numbers"
    assert _chain(desk, story, 2)[0][2] == (
        "On Oct. 12, 2012 the population grew a 11,6 % until 3.000."
    )
    # a re-run of MT leaves the translator's work alone
    assert invoke("--user", "eve", "mt").exit_code == 0
    assert _chain(desk, story, 2)[0][0] == "human"


def test_revert_refuses_what_it_cannot_do(es_desk):
    desk, story = es_desk
    assert invoke("--user", "eve", "mt").exit_code == 0
    none = invoke("--user", "ana", "revert", story, "3")
    assert none.exit_code == 1
    assert f"segment 3 of '{story}' has no house-style change to revert" in none.stderr
    wrong = invoke("--user", "ana", "revert", story, "2", "--version", "1")
    assert wrong.exit_code == 1
    assert "version 1 is not a house-style change in segment 2's current draft" in wrong.stderr


# ---------------------------------------------------------------- migration and workflow


def test_an_old_store_is_upgraded_and_the_origin_check_still_holds(tmp_path):
    import sqlite3

    from sqlite_utils import Database

    from translate.store.migrations import migrations

    db = Database(tmp_path / "old.db")
    migrations._sqlite().apply(db, stop_before="m_versions_localize")  # a store of before
    db.execute(
        "INSERT INTO versions (segment_id, story_id, text, origin, created_at) "
        "VALUES (1, 's', 'old text', 'mt', 'now')"
    )
    db.execute("CREATE INDEX versions_extra ON versions(created_at)")  # kept by the rebuild
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO versions (segment_id, story_id, text, origin, created_at) "
            "VALUES (1, 's', 'x', 'localize', 'now')"
        )
    migrations.apply(db)
    db.execute(
        "INSERT INTO versions (segment_id, story_id, text, origin, rule, confidence, created_at) "
        "VALUES (1, 's', 'new text', 'localize', 'numbers', 0.9, 'now')"
    )
    rows = list(db.query("SELECT id, text, origin, rule FROM versions ORDER BY id"))
    assert rows == [
        {"id": 1, "text": "old text", "origin": "mt", "rule": None},
        {"id": 2, "text": "new text", "origin": "localize", "rule": "numbers"},
    ]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO versions (segment_id, story_id, text, origin, created_at) "
            "VALUES (1, 's', 'x', 'bogus', 'now')"
        )
    indexes = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"versions_segment", "versions_story", "versions_extra"} <= indexes


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("house_style:\n  preset: app\n", ":2: 'house_style.preset': unknown value 'app', did you mean 'ap'?"),
        ("house_style:\n  rules:\n    dats: false\n", ":3: 'house_style.rules': unknown value 'dats', did you mean 'dates'?"),
        ("house_style:\n  rules:\n    dates:\n      months: short\n", ":4: 'house_style.rules.dates.months' must be one of: ap, full"),
        ("house_style:\n  rules:\n    percentages: {stile: word}\n", ":3: 'house_style.rules.percentages': unknown value 'stile', did you mean 'style'?"),
        ("house_style:\n  rules:\n    names: {scheme: wikipedya}\n", ":3: 'house_style.rules.names.scheme': unknown value 'wikipedya', did you mean 'wikipedia'?"),
        ("house_style:\n  rules:\n    numbers: {spell_out_below: -1}\n", ":3: 'house_style.rules.numbers.spell_out_below' must be a whole number of at least 0"),
        ("checks:\n  low_confidence: 2\n", ":2: 'checks.low_confidence' must be a number from 0 to 1"),
    ],
)  # fmt: skip
def test_house_style_settings_are_validated_with_file_and_line(tmp_path, yaml, message):
    path = tmp_path / "workflow.yaml"
    path.write_text("store: desk.db\n" + yaml, encoding="utf-8")
    # the line numbers above count from the line after 'store:'
    with pytest.raises(WorkflowError) as info:
        load_workflow(path)
    file, _sep, rest = str(info.value.message).partition(":")
    assert file == str(path)
    line, _sep, text = rest.partition(":")
    assert f":{int(line) - 1}:{text}" == message


def test_the_template_names_the_house_style(desk):
    wf = load_workflow(desk / "workflow.yaml")
    assert wf.house_style == {"preset": "ap"} and wf.low_confidence == 0.5
    assert json.dumps(Style.from_config(wf.house_style).rules["percentages"]) == '{"style": "sign"}'
