"""Context conditions on ambiguous glossary entries (CSV column `context`, TBX `translate:` note):
"fiscal" -> "prosecutor" stays out of «leyes fiscales»."""

from __future__ import annotations

import pytest

from translate.glossary.entry import Entry
from translate.glossary.formats import GlossaryFormatError, parse_csv, render_csv
from translate.glossary.matcher import Matcher
from translate.glossary.tbx import parse_tbx, render_tbx

CSV = """\
source,target,kind,avoid,case_sensitive,note,context
fiscal,prosecutor,preferred,,no,the person,-ley|-política|-re:reforma\\s+fiscal
ley,statute,preferred,,no,,
juez,judge,preferred,,no,,+federal|+re:tribunal
"""


def _found(matcher: Matcher, text: str) -> list[str]:
    return [text[m.start : m.end] for m in matcher.find(text)]


def test_must_not_and_must_conditions_decide_a_match(tmp_path):
    entries = parse_csv(CSV, tmp_path / "es-en.csv")
    assert entries[0].context == "-ley|-política|-re:reforma\\s+fiscal"
    m = Matcher.build(entries, "es")
    assert _found(m, "Los fiscales federales llegaron.") == ["fiscales"]
    assert _found(m, "El fiscal habló.") == ["fiscal"]
    assert _found(m, "Las leyes fiscales nuevas.") == ["leyes"]  # «leyes» is a form of «ley»
    assert _found(m, "La política fiscal del país.") == []
    assert _found(m, "La reforma fiscal preocupa a los fiscales.") == []  # the pattern, anywhere
    assert _found(m, "El juez federal habló.") == ["juez"]
    assert _found(m, "Habló ante el tribunal el juez.") == ["juez"]
    assert _found(m, "El juez habló.") == []  # none of the + conditions holds


def test_the_context_column_round_trips_and_appears_only_when_used(tmp_path):
    entries = parse_csv(CSV, tmp_path / "es-en.csv")
    text = render_csv(entries)
    assert text.splitlines()[0].endswith(",note,context")
    assert parse_csv(text, tmp_path / "again.csv") == entries
    plain = render_csv([Entry("ley", "statute")])
    assert plain.splitlines()[0] == "source,target,kind,avoid,case_sensitive,note"


def test_tbx_carries_the_context_in_its_translate_note(tmp_path):
    entries = parse_csv(CSV, tmp_path / "es-en.csv")
    xml = render_tbx(entries, "es", "en")
    assert "context=-ley|-política|-re:reforma\\s+fiscal" in xml
    back = parse_tbx(xml.encode("utf-8"), tmp_path / "g.tbx", "es", "en").entries
    assert [(e.source, e.context) for e in back] == [(e.source, e.context) for e in entries]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ("ley", "context condition 'ley' must start with + or -"),
        ("-re:(fiscal", "context pattern '(fiscal' is not a regular expression"),
    ],
)
def test_a_broken_condition_is_refused_with_file_and_line(tmp_path, context, message):
    text = f"source,target,context\nfiscal,prosecutor,{context}\n"
    with pytest.raises(GlossaryFormatError) as info:
        parse_csv(text, tmp_path / "es-en.csv")
    assert str(info.value.message).startswith(f"{tmp_path / 'es-en.csv'}:2: ")
    assert message in str(info.value.message)
