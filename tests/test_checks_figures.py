"""The figure checks in detail: numbers, dates and currency amounts (ru→en, es→en)."""

from __future__ import annotations

import pytest

from translate.checks import CheckContext, run_segment_checks


def only(code: str, source: str, target: str, lang: str = "ru"):
    found = run_segment_checks(CheckContext(source, target, lang, "en"))
    return [f for f in found if f.code == code]


# ---------------------------------------------------------------- numbers in detail


@pytest.mark.parametrize(
    ("lang", "source", "target"),
    [
        ("ru", "Погибли 15 300 человек.", "15,300 people died."),
        ("ru", "В 2012 году 300 человек вышли.", "In 2012, 300 people came out."),
        ("ru", "Погибли 3 человека.", "Three people died."),
        ("ru", "Выборы прошли 12.10.2012.", "The election was held on October 12, 2012."),
        ("ru", "Это было в XXI веке.", "It was in the 21st century."),
        ("ru", "Бюджет 2,5 млрд рублей.", "A budget of 2.5 billion roubles."),
        ("ru", "Бюджет 2 млн рублей.", "A budget of 2,000,000 roubles."),
        (
            "ru",
            "Смотрите https://kremlin.ru/events/2012 и COVID-19.",
            "See https://kremlin.ru/events/2012 and COVID-19.",
        ),
        ("ru", "Встреча в 10.30, ужин в 22:30.", "A meeting at 10:30, dinner at 10:30 p.m."),
        ("ru", "Это было в 90-е годы.", "It was in the 1990s."),
        ("ru", "Это было в XXI веке.", "It was in the twenty-first century."),
        ("ru", "Открылся XX съезд.", "The 20th congress opened."),
        ("es", "Murieron tres personas.", "3 people died."),
        ("es", "Llegó el 1º de mayo de 2012.", "He arrived on May 1, 2012."),
        ("es", "Un total de 10 mil millones.", "A total of 10 billion."),
        ("es", "Llegaron 10 mil personas.", "10,000 people arrived."),
        ("es", "Costó 1.000.000 de pesos.", "It cost 1,000,000 pesos."),
    ],
)
def test_numbers_tolerated(lang, source, target):
    assert only("numbers.mismatch", source, target, lang) == []


def test_numbers_report_missing_and_invented_with_span():
    found = only("numbers.mismatch", "Погибли 12 человек.", "13 people died.")
    assert [(f.message, f.start, f.end) for f in found] == [
        ("the number 12 in the source is missing from the translation", None, None),
        ("the number 13 is not in the source", 0, 2),
    ]


def test_numbers_scale_must_agree():
    found = only("numbers.mismatch", "Un total de 10 mil millones.", "A total of 10 million.", "es")
    assert [f.message for f in found] == [
        "the number 10 mil millones in the source is missing from the translation",
        "the number 10 million is not in the source",
    ]


def test_dates_missing_year_and_extra_date():
    found = only(
        "dates.mismatch", "Это случилось 12 октября 2012 года.", "It happened on 12 October 2011."
    )
    assert [(f.message, f.start) for f in found] == [
        (
            "the date '12 октября 2012' of the source is missing or different in the translation",
            None,
        ),
        ("the date '12 October 2011' is not in the source", 15),
    ]


def test_dates_month_year_and_numeric_orders():
    assert only("dates.mismatch", "Это было в октябре 2012 года.", "It was in October 2012.") == []
    assert only("dates.mismatch", "Es del 12/10/2012.", "It is from 10/12/2012.", "es") == []


def test_currency_reports_once_with_span():
    found = only("currency.mismatch", "Он заплатил 100 рублей.", "He paid $100.")
    assert [(f.message, f.start, f.end) for f in found] == [
        ("the amount '100 рублей' lost or changed its currency in the translation", 9, 12)
    ]


def test_currency_peso_dollar_sign_in_spanish():
    assert only("currency.mismatch", "Cuesta $500.", "It costs 500 pesos.", "es") == []


@pytest.mark.parametrize(
    "source, target, flagged",
    [
        ("Cuida más de 3.000 orquídeas.", "It cares for more than 3.000 orchids.", ["3.000"]),
        ("Creció 11,6 % en un año.", "It grew 11,6 % in a year.", ["11,6"]),
        ("Вырос на 3,5 %.", "It grew by 3,5%.", ["3,5"]),
        ("Cuida más de 3.000 orquídeas.", "It cares for more than 3,000 orchids.", []),
        ("Creció 11,6 % en un año.", "It grew 11.6% in a year.", []),
        ("Llegaron 1.250.000 turistas.", "1,250,000 tourists came.", []),
    ],
)
def test_numbers_format_flags_source_number_style_in_english(source, target, flagged):
    from translate.checks import CheckContext, run_segment_checks

    ctx = CheckContext(source=source, target=target, source_lang="es", target_lang="en")
    found = [f for f in run_segment_checks(ctx) if f.code == "numbers.format"]
    assert [target[f.start : f.end] for f in found] == flagged
    assert all(f.severity == "blocking" for f in found)


# Issue 12: magnitudes, number words and English forms of the same date are not false alarms.
@pytest.mark.parametrize(
    "code, lang, source, good, bad",
    [
        (
            "numbers.mismatch",
            "es",
            "Unas 4,9 millones de personas viven en la pobreza.",
            "Some 4.9 million people live in poverty.",
            "Some 4.9 billion people live in poverty.",
        ),
        (
            "numbers.mismatch",
            "ru",
            "Банк заработал 30 млрд долларов.",
            "The bank earned $30 billion.",
            "The bank earned $30 million.",
        ),
        (
            "numbers.mismatch",
            "ru",
            "Число ДТП выросло в 2–3 раза.",
            "The number of accidents grew two- to threefold.",
            "The number of accidents grew two- to fourfold.",
        ),
        (
            "numbers.mismatch",
            "es",
            "Las piezas se compraron en los años setenta.",
            "The pieces were bought in the 1970s.",
            "The pieces were bought in the 1980s.",
        ),
        (
            "numbers.mismatch",
            "ru",
            "Завод построили в семидесятые годы.",
            "The plant was built in the 1970s.",
            "The plant was built in the 1960s.",
        ),
        (
            "dates.mismatch",
            "es",
            "El libro se publicó en julio de 2011.",
            "The book was published in July of 2011.",
            "The book was published in June of 2011.",
        ),
        (
            "dates.mismatch",
            "es",
            "La huelga será el 5 y 6 de julio.",
            "The strike will be on July 5 and 6.",
            "The strike will be on July 5 and 7.",
        ),
        (
            "dates.mismatch",
            "ru",
            "Фестиваль пройдёт с 5 по 12 июня.",
            "The festival will run from June 5 to 12.",
            "The festival will run from June 5 to 14.",
        ),
        (
            "currency.mismatch",
            "es",
            "El billete subió 30 pesos.",
            "The fare rose by a 30-peso increase.",
            "The fare rose by 30 euros.",
        ),
    ],
)
def test_magnitudes_number_words_and_date_forms(code, lang, source, good, bad):
    from translate.checks import CheckContext, run_segment_checks

    def found(target):
        ctx = CheckContext(source=source, target=target, source_lang=lang, target_lang="en")
        return {f.code for f in run_segment_checks(ctx)}

    assert code not in found(good)
    assert code in found(bad)
