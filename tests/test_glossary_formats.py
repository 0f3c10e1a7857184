"""Glossary files: CSV and TBX (v2 martif, v3 TBX-Basic) read/write round trips, foreign TBX files,
and malformed files -> one line naming the line or entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.glossary.entry import Entry
from translate.glossary.formats import (
    GlossaryFormatError,
    parse_csv,
    read_glossary_file,
    render_csv,
)
from translate.glossary.tbx import parse_tbx, render_tbx

ENTRIES = [
    Entry("Газпром", "Gazprom", "preferred", ["Gasprom"], False, "Russian gas company"),
    Entry(
        "Центр анализа стратегий и технологий",
        "Centre for Analysis of Strategies and Technologies",
        avoid=["Center of Strategic Analysis", "Centre of Strategic Analysis"],
        note='CAST, "a think tank", & more <b>',
    ),
    Entry("Путин", "Putin", case_sensitive=True),
    Entry("Коммерсантъ", "Kommersant", "keep", ["Businessman"]),
    Entry("Santa Rita Las Flores", "", "keep", [], True, "village, Chiapas"),
    Entry("Киев", "Kyiv", "forbidden", ["Kiev"]),
    Entry("", "Kyiv", "forbidden", ["Kiev region"], False, "a target-only rule"),
    Entry("", "", "forbidden", ["USA"]),
]

FOREIGN_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>from a CAT tool</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
      <termEntry id="t1">
        <descrip type="subjectField">energy</descrip>
        <note>State-controlled</note>
        <langSet xml:lang="ru-RU">
          <ntig><termGrp><term>Газпром</term></termGrp></ntig>
        </langSet>
        <langSet xml:lang="en-US">
          <ntig><termGrp><term>Gazprom</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
          <tig><term>Gasprom</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        </langSet>
      </termEntry>
      <termEntry id="t2">
        <langSet xml:lang="de"><tig><term>Gasleitung</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>gas pipeline</term></tig></langSet>
      </termEntry>
      <termEntry id="t3">
        <langSet xml:lang="ru"><tig><term>газопровод</term></tig><tig><term>трубопровод</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>gas pipeline</term></tig>
          <tig><term>pipeline</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""

FOREIGN_V3 = """<?xml version="1.0" encoding="utf-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed:3.0">
  <tbxHeader><fileDesc><sourceDesc><p>MultiTerm</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <transacGrp><transac type="transactionType">origination</transac></transacGrp>
        <langSec xml:lang="es">
          <termSec><term>orquídea</term>
            <termNote type="partOfSpeech">noun</termNote></termSec>
        </langSec>
        <langSec xml:lang="en">
          <descripGrp><descrip type="definition">A flowering plant.</descrip></descripGrp>
          <termSec><term>orchid</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
          <termSec><term>orchis</term>
            <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


def test_csv_round_trip():
    text = render_csv(ENTRIES)
    assert text.splitlines()[0] == "source,target,kind,avoid,case_sensitive,note"
    assert parse_csv(text, Path("g.csv")) == ENTRIES
    assert render_csv(parse_csv(text, Path("g.csv"))) == text


@pytest.mark.parametrize("version", [2, 3])
def test_tbx_round_trip(version):
    xml = render_tbx(ENTRIES, "ru", "en", version)
    assert ("<martif" in xml) == (version == 2)
    assert ('xmlns="urn:iso:std:iso:30042:ed:3.0"' in xml) == (version == 3)
    result = parse_tbx(xml.encode(), Path("g.tbx"), "ru", "en")
    assert result.entries == ENTRIES
    assert result.skipped == 0 and result.languages == ("en", "ru")


@pytest.mark.parametrize("version", [2, 3])
def test_tbx_files_are_well_formed_xml_for_xmllint(tmp_path, version):
    import shutil
    import subprocess

    path = tmp_path / "g.tbx"
    path.write_text(render_tbx(ENTRIES, "ru", "en", version), encoding="utf-8")
    if shutil.which("xmllint"):
        done = subprocess.run(["xmllint", "--noout", "--nonet", str(path)], capture_output=True)
        assert done.returncode == 0, done.stderr
    import xml.dom.minidom

    xml.dom.minidom.parse(str(path))


def test_foreign_tbx_v2_maps_statuses_and_skips_other_languages(tmp_path):
    path = tmp_path / "cat.tbx"
    path.write_text(FOREIGN_V2, encoding="utf-8")
    result = read_glossary_file(path, None, "ru", "en")
    assert [(e.source, e.target, e.avoid, e.note) for e in result.entries] == [
        ("Газпром", "Gazprom", ["Gasprom"], "State-controlled"),
        ("газопровод", "gas pipeline", [], ""),
        ("трубопровод", "gas pipeline", [], ""),  # one entry per source synonym
    ]
    assert result.skipped == 1  # t2 has no Russian term


def test_foreign_tbx_v3(tmp_path):
    path = tmp_path / "astro.tbx"
    path.write_text(FOREIGN_V3, encoding="utf-8")
    (entry,) = read_glossary_file(path, None, "es", "en").entries
    assert (entry.source, entry.target, entry.avoid, entry.kind) == (
        "orquídea",
        "orchid",
        ["orchis"],
        "preferred",
    )


BAD_CSV = {
    "kind": (
        "source,target,kind\nГазпром,Gazprom,preferred\nНАТО,NATO,prefered\n",
        "{p}:3: unknown kind 'prefered' (expected preferred, forbidden or keep)",
    ),
    "header": (
        "source,trget\nГазпром,Gazprom\n",
        "{p}:1: unknown column 'trget' (known: source, target, kind, avoid, case_sensitive, note, "
        "admitted)",
    ),
    "no_target_column": ("source,kind\nГазпром,keep\n", "{p}:1: the header has no 'target' column"),
    "fields": (
        "source,target\nГазпром,Gazprom\nНАТО,NATO,extra\n",
        "{p}:3: 3 fields, but the header names 2",
    ),
    "duplicate": (
        "source,target\nГазпром,Gazprom\nНАТО,NATO\nгазпром,Gasprom\n",
        "{p}:4: duplicate entry for 'газпром' (first at 2)",
    ),
    "flag": (
        "source,target,case_sensitive\nНАТО,NATO,maybe\n",
        "{p}:2: case_sensitive must be yes or no, not 'maybe'",
    ),
    "quote": ('source,target\nГазпром,"Gazprom\n', "{p}:2: CSV error: unexpected end of data"),
    "no_target": ("source,target\nГазпром,\n", "{p}:2: a preferred entry needs a target term"),
    "forbidden": (
        "source,target,kind\nКиев,Kyiv,forbidden\n",
        "{p}:2: a forbidden entry needs the wordings to avoid (column 'avoid')",
    ),
    "punctuation": (
        "source,target\n---,dash\n",
        "{p}:2: source term '---' has no letters or digits",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CSV))
def test_malformed_csv_names_the_line(tmp_path, case):
    text, message = BAD_CSV[case]
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryFormatError) as err:
        read_glossary_file(path)
    assert str(err.value) == message.format(p=path)
    assert "\n" not in str(err.value)


def test_csv_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("source,target\nГазпром,Gazprom\n".encode() + "Дели,Delhi\n".encode("cp1251"))
    with pytest.raises(GlossaryFormatError, match=r"bad\.csv:3: not UTF-8 text$"):
        read_glossary_file(path)


_V3_HEAD = '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed:3.0"><text><body>\n'
BAD_TBX = {
    "syntax": (
        _V3_HEAD + '<conceptEntry id="c1">\n<langSec xml:lang="ru"><termSec><term>Газпром</term>'
        "</langSec>\n</conceptEntry></body></text></tbx>",
        "{p}:3: XML error: mismatched tag",
    ),
    "no_lang": (
        _V3_HEAD + '<conceptEntry id="c7">\n<langSec><termSec><term>Газпром</term></termSec>'
        "</langSec>\n</conceptEntry></body></text></tbx>",
        "{p}:3: entry c7: <langSec> without xml:lang",
    ),
    "no_term": (
        _V3_HEAD + '<conceptEntry id="c2">\n<langSec xml:lang="ru">\n<termSec><termNote '
        'type="partOfSpeech">noun</termNote></termSec></langSec>\n</conceptEntry></body></text></tbx>',
        "{p}:4: entry c2: a <termSec> without a term",
    ),
    "root": (
        "<glossary><entry/></glossary>",
        "{p}:1: not a TBX file (root element <glossary>, expected <martif> or <tbx>)",
    ),
    "flags": (
        _V3_HEAD + '<conceptEntry id="c3">\n<note>translate: kind=maybe</note>\n'
        '<langSec xml:lang="ru"><termSec><term>Газпром</term></termSec></langSec>'
        '<langSec xml:lang="en"><termSec><term>Gazprom</term></termSec></langSec>'
        "</conceptEntry></body></text></tbx>",
        "{p}:3: entry c3: cannot read 'kind=maybe' in the translate: note",
    ),
    "duplicate": (
        _V3_HEAD
        + "".join(
            f'<conceptEntry id="c{n}">\n<langSec xml:lang="ru"><termSec><term>Газпром</term>'
            f'</termSec></langSec><langSec xml:lang="en"><termSec><term>Gazprom</term></termSec>'
            "</langSec></conceptEntry>\n"
            for n in (1, 2)
        )
        + "</body></text></tbx>",
        "{p}:4: entry c2: duplicate entry for 'Газпром' (first at 2: entry c1)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TBX))
def test_malformed_tbx_names_the_line_and_entry(tmp_path, case):
    text, message = BAD_TBX[case]
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryFormatError) as err:
        read_glossary_file(path, None, "ru", "en")
    assert str(err.value) == message.format(p=path)


def test_starter_glossaries_load_and_match_the_sample_stories():
    from translate.glossary import load_glossary
    from translate.glossary.matcher import Matcher

    root = Path(__file__).resolve().parent.parent
    for pair, story, expected in [
        (
            "ru-en",
            "kommersant-russia-pakistan.md",
            {
                "Газпром",
                "Центр анализа стратегий и технологий",
                "Ашфак Парвез Кайани",
                "Дели",
                "НАТО",
                "Таджикистан",
                "Руслан Пухов",
                "Пухов",
                "Ъ",
                "Владимир Путин",
                "перезагрузка",
            },
        ),
        (
            "es-en",
            "gpj-chiapas-orchids.md",
            {
                "Santa Rita Las Flores",
                "Mapastepec",
                "Chiapas",
                "orquídea",
                "vivero",
                "Reserva de la Biosfera El Triunfo",
                "Candelaria Salas Gómez",
                "Salas Gómez",
                "El Triunfo",
                "EE. UU.",
                "guardaparques",
                "Ciudad de México",
                "Carolina del Norte",
            },
        ),
    ]:
        glossary = load_glossary(root / "glossaries" / f"{pair}.csv")
        matcher = Matcher.build(glossary.entries, pair[:2])
        text = (root / "examples" / "stories" / story).read_text(encoding="utf-8")
        found = {glossary.entries[m.entry].source for m in matcher.find(text)}
        assert expected <= found, expected - found
