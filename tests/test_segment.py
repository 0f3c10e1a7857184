"""Sentence splitting: exact splits per language and the join invariant for any text."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.model import Sentence
from translate.segment import split


def texts(text: str, lang: str) -> list[str]:
    return [s.text for s in split(text, lang)]


RUSSIAN = [
    # abbreviations that never end a sentence
    ("Это т. е. главное. Дальше.", ["Это т. е. главное.", "Дальше."]),
    ("Было т. к. он ушёл. Шёл дождь.", ["Было т. к. он ушёл.", "Шёл дождь."]),
    ("Он жил на ул. Ленина. Потом уехал.", ["Он жил на ул. Ленина.", "Потом уехал."]),
    ("Пр. Мира, им. Ленина, см. выше. Он ушёл.", ["Пр. Мира, им. Ленина, см. выше.", "Он ушёл."]),
    ("В г. Москва жарко. В г. Москве холодно.", ["В г. Москва жарко.", "В г. Москве холодно."]),
    # т. д., т. п. end a sentence before a capital only
    ("Шёл дождь и т. п. Дальше.", ["Шёл дождь и т. п.", "Дальше."]),
    (
        "Книги, журналы и т. д. были на столе. Ещё.",
        ["Книги, журналы и т. д. были на столе.", "Ещё."],
    ),
    ("Это т. е. главное. И т. д. Далее.", ["Это т. е. главное.", "И т. д.", "Далее."]),
    # initials
    ("А. С. Пушкин родился в Москве. Это факт.", ["А. С. Пушкин родился в Москве.", "Это факт."]),
    ("В. В. Путин заявил об этом. Потом ушёл.", ["В. В. Путин заявил об этом.", "Потом ушёл."]),
    # a year abbreviation before a capital ends the sentence, except in a bare date phrase
    (
        "А. С. Пушкин родился в 1799 г. Он был поэтом.",
        ["А. С. Пушкин родился в 1799 г.", "Он был поэтом."],
    ),
    ("Он родился в 1799г. Он был поэтом.", ["Он родился в 1799г.", "Он был поэтом."]),
    (
        "В 1799 г. Пушкин родился в Москве. Это факт.",
        ["В 1799 г. Пушкин родился в Москве.", "Это факт."],
    ),
    ("12 марта 1799 г. Пушкин родился. Всё.", ["12 марта 1799 г. Пушкин родился.", "Всё."]),
    ("В 1799 г. он родился. Всё.", ["В 1799 г. он родился.", "Всё."]),
    (
        "В V в. н. э. город рос. В 300 г. до н. э. тоже. В XIX в. Россия росла.",
        ["В V в. н. э. город рос.", "В 300 г. до н. э. тоже.", "В XIX в. Россия росла."],
    ),
    ("Рост 5 см. Вес 3 кг. Итог.", ["Рост 5 см.", "Вес 3 кг.", "Итог."]),
    ("Выплатили 5 млн. руб. Это много.", ["Выплатили 5 млн. руб.", "Это много."]),
    ("Петр I. Он был царём.", ["Петр I.", "Он был царём."]),
    # numbers
    (
        "Рост составил 3,5 %. Цена 1.000 руб. и 11.6 процента. Всё.",
        ["Рост составил 3,5 %.", "Цена 1.000 руб. и 11.6 процента.", "Всё."],
    ),
    # quotes and dashes
    ("«Мы победим!» — сказал он. Потом ушёл.", ["«Мы победим!» — сказал он.", "Потом ушёл."]),
    ("Он сказал: «Это конец.» Потом ушёл.", ["Он сказал: «Это конец.»", "Потом ушёл."]),
    ("Он ушёл... И пришёл. Что? Где?", ["Он ушёл...", "И пришёл.", "Что?", "Где?"]),
]

SPANISH = [
    ("El Sr. García llegó. La Sra. López no.", ["El Sr. García llegó.", "La Sra. López no."]),
    ("Srta. Ana, por ej. esto. Fin.", ["Srta. Ana, por ej. esto.", "Fin."]),
    (
        "La Dra. Pérez y el Lic. Gómez hablaron con el Ing. Ruiz. Todo bien.",
        ["La Dra. Pérez y el Lic. Gómez hablaron con el Ing. Ruiz.", "Todo bien."],
    ),
    (
        "Viven en EE. UU. desde 2010. Luego volvieron.",
        ["Viven en EE. UU. desde 2010.", "Luego volvieron."],
    ),
    ("Trabaja en EE. UU. Su hermano no.", ["Trabaja en EE. UU.", "Su hermano no."]),
    (
        "Llegó a las 10 a. m. y se fue a las 5 p. m. Nadie lo vio.",
        ["Llegó a las 10 a. m. y se fue a las 5 p. m.", "Nadie lo vio."],
    ),
    (
        "Ver pág. 5 y núm. 3. Véase art. 12 de la ley. Fin.",
        ["Ver pág. 5 y núm. 3.", "Véase art. 12 de la ley.", "Fin."],
    ),
    (
        "Vive en la av. Juárez. El gral. Pérez, p. ej. el mejor.",
        ["Vive en la av. Juárez.", "El gral. Pérez, p. ej. el mejor."],
    ),
    # etc. ends a sentence before a capital only (and at the end of the unit)
    ("Compró pan, leche, etc. Luego volvió.", ["Compró pan, leche, etc.", "Luego volvió."]),
    ("Compró pan, leche, etc. y volvió. Fin.", ["Compró pan, leche, etc. y volvió.", "Fin."]),
    ("Compró pan, leche, etc.", ["Compró pan, leche, etc."]),
    # ¿? ¡! and dialogue dashes
    ("¿Vienes? ¡Claro que sí! Vamos.", ["¿Vienes?", "¡Claro que sí!", "Vamos."]),
    ("Hola... ¿Qué tal?", ["Hola...", "¿Qué tal?"]),
    ("¿Qué? dijo él. Bien.", ["¿Qué? dijo él.", "Bien."]),
    ("—¿Vienes? —preguntó ella. —Sí.", ["—¿Vienes? —preguntó ella.", "—Sí."]),
    # closing quotes and brackets stay with their sentence
    ("Dijo: «No me voy.» Luego se fue.", ["Dijo: «No me voy.»", "Luego se fue."]),
    ('Dijo: "No me voy." Luego se fue.', ['Dijo: "No me voy."', "Luego se fue."]),
    ("Esto es (muy importante.) Sigue.", ["Esto es (muy importante.)", "Sigue."]),
    (
        "«No cederemos», dijo el Sr. Biden. «¡Nunca!», añadió.",
        ["«No cederemos», dijo el Sr. Biden.", "«¡Nunca!», añadió."],
    ),
    # numbers
    (
        "El PIB creció un 3,5 % en 2023. La inflación fue del 11.6 %. Hubo 1.000 muertos.",
        ["El PIB creció un 3,5 % en 2023.", "La inflación fue del 11.6 %.", "Hubo 1.000 muertos."],
    ),
    (
        "J. K. Rowling escribió. Felipe V. Luego.",
        ["J. K. Rowling escribió.", "Felipe V.", "Luego."],
    ),
]

ENGLISH = [
    (
        "Mr. Smith went to Washington. He met Dr. Jones, e.g. at 5 p.m. Then he left.",
        ["Mr. Smith went to Washington.", "He met Dr. Jones, e.g. at 5 p.m.", "Then he left."],
    ),
    ("It was No. 5. No. He said no.", ["It was No. 5.", "No.", "He said no."]),
    ('"Stop." She left (for good.) Then?', ['"Stop."', "She left (for good.)", "Then?"]),
]


@pytest.mark.parametrize(("text", "expected"), RUSSIAN)
def test_russian(text, expected):
    assert texts(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), SPANISH)
def test_spanish(text, expected):
    assert texts(text, "es") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_default(text, expected):
    assert texts(text, "en") == expected


def test_unknown_language_uses_a_default():
    assert texts("Dr. Müller kam spät. Er ging. Mr. Smith blieb.", "xx") == [
        "Dr. Müller kam spät.",
        "Er ging.",
        "Mr. Smith blieb.",
    ]
    assert texts("Hallo Welt. Dr. Müller kam z.B. spät. Ende.", "de") == [
        "Hallo Welt.",
        "Dr. Müller kam z.B. spät.",
        "Ende.",
    ]


def test_whitespace_goes_to_ws_and_leading_whitespace_to_the_first_text():
    assert split("  Привет.  Как дела?\n", "ru") == [
        Sentence("  Привет.", "  "),
        Sentence("Как дела?", "\n"),
    ]
    assert split("Hola.\u00a0Adiós.", "es") == [Sentence("Hola.", "\u00a0"), Sentence("Adiós.")]


def test_empty_and_blank_units():
    assert split("", "ru") == []
    assert split(" \n ", "es") == [Sentence(" \n ", "")]
    assert split("Без точки", "ru") == [Sentence("Без точки", "")]


def test_blank_line_ends_a_sentence_single_newline_does_not():
    assert texts("Заголовок без точки\n\nТекст идёт", "ru") == ["Заголовок без точки", "Текст идёт"]
    assert texts("Una línea\npartida sigue. Fin.", "es") == ["Una línea\npartida sigue.", "Fin."]


def test_punctuation_only_piece_stays_with_its_sentence():
    assert texts("Fin. ...", "es") == ["Fin. ..."]
    assert texts("Конец. »", "ru") == ["Конец. »"]


def test_language_code_variants():
    assert texts("Trabaja en EE. UU. Su hermano no.", "ES-mx") == [
        "Trabaja en EE. UU.",
        "Su hermano no.",
    ]
    assert texts("Это т. е. главное. Дальше.", "ru_RU") == ["Это т. е. главное.", "Дальше."]


def test_module_import_is_cheap():
    code = (
        "import sys, translate.segment; "
        "print(sorted(m for m in ('razdel', 'punkt') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ the invariant, for any text

FRAGMENTS = [
    # words
    "Он",
    "родился",
    "Москва",
    "жарко",
    "Пушкин",
    "El",
    "García",
    "llegó",
    "casa",
    "Hello",
    "world",
    "iPhone",
    "ÉL",
    "İstanbul",
    "straße",
    # abbreviations and initials
    "т. е.",
    "т.е.",
    "т. д.",
    "и т. п.",
    "ул.",
    "г.",
    "1799 г.",
    "в 1799г.",
    "н. э.",
    "XIX в.",
    "им.",
    "см.",
    "А. С.",
    "В.",
    "I.",
    "EE. UU.",
    "EE.UU.",
    "Sr.",
    "Sra.",
    "a. m.",
    "p. m.",
    "etc.",
    "núm.",
    "pág.",
    "ej.",
    "p. ej.",
    "Mr.",
    "Dr.",
    "e.g.",
    "i.e.",
    "No.",
    "z.B.",
    # numbers
    "3,5 %",
    "1.000",
    "11.6",
    "42",
    # punctuation
    ".",
    "!",
    "?",
    "…",
    "...",
    "?!",
    ",",
    ";",
    ":",
    "«",
    "»",
    '"',
    "'",
    "“",
    "”",
    "(",
    ")",
    "[",
    "]",
    "¿",
    "¡",
    "—",
    "-",
    "%",
    # whitespace
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    " \n \n ",
    "\t",
    "\u00a0",
    "\u2028",
    "\r\n",
]

generated_text = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=25).map("".join),
    st.text(max_size=60),
)


def check_invariant(text: str, lang: str) -> None:
    sentences = split(text, lang)
    assert "".join(s.text + s.ws for s in sentences) == text
    if text == "":
        assert sentences == []
        return
    assert sentences, text
    if not text.strip():
        assert sentences == [Sentence(text, "")]
        return
    for index, sentence in enumerate(sentences):
        assert sentence.text.strip(), (text, sentences)
        assert sentence.text == sentence.text.rstrip(), (text, sentences)
        assert sentence.ws == "" or sentence.ws.isspace(), (text, sentences)
        if index:
            assert not sentence.text[0].isspace(), (text, sentences)


@pytest.mark.parametrize("lang", ["ru", "es", "en", "de", "xx"])
@settings(max_examples=300, deadline=None)
@given(text=generated_text)
def test_join_invariant(lang, text):
    check_invariant(text, lang)


ABBREVIATION_ONLY = [
    ("explica la Sra. Salas Gómez, que", "es"),
    ("los EE. UU. y México firmaron", "es"),
    ("llegó de EE. UU. Biden lo recibió", "es"),
    ("según el Dr. Pérez (y la Sra. Ruiz)", "es"),
    ("Mr. Smith met Mrs. Jones", "en"),
    ("the U.S. Senate voted", "en"),
]


@pytest.mark.parametrize("text,lang", ABBREVIATION_ONLY)
def test_known_abbreviations_decide_without_punkt(monkeypatch, text, lang):
    """Where every possible sentence end is the stop of a known abbreviation, the abbreviation
    rules decide alone: the split is the one Punkt and the rules give, and Punkt is not asked
    (its models need not load)."""
    import translate.segment as segment

    monkeypatch.setattr(segment, "_abbreviations_decide", lambda *args: False)
    with_punkt = split(text, lang)
    monkeypatch.undo()

    def no_punkt(*args):
        raise AssertionError("Punkt was asked")

    monkeypatch.setattr(segment, "_base_ends", no_punkt)
    assert split(text, lang) == with_punkt


@pytest.mark.parametrize(
    "text,lang",
    [
        ('dijo la Sra. "Salas" que', "es"),  # Punkt moves the quote back: it must decide
        ("la Sra. » Salas", "es"),
        ("vino el Sr. Pérez. Luego se fue", "es"),  # a full stop that is no abbreviation's
    ],
)
def test_punkt_still_decides_where_the_rules_cannot(monkeypatch, text, lang):
    import translate.segment as segment

    asked = []
    real = segment._base_ends
    monkeypatch.setattr(segment, "_base_ends", lambda *a: asked.append(a) or real(*a))
    split(text, lang)
    assert asked
