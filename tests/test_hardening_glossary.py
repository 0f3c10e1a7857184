"""Glossary files are untrusted XML: entity declarations and remote DTDs refused in every XML the
desk reads (TBX, XLIFF, TMX) through one hardened parser, the TBX structure validated, TBX term
statuses mapped onto the desk's kinds in DCA and DCT style and exported back, and no import into a
pair the desk does not have."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import BAD, error_lines, invoke, invoke_json

from translate.exchange import read_file
from translate.exchange.tmx import read_tmx
from translate.glossary.entry import Entry
from translate.glossary.formats import GlossaryFormatError, parse_csv, read_glossary_file
from translate.glossary.tbx import parse_tbx, render_tbx
from translate.xmlsafe import UnsafeXMLError

# ------------------------------------------------------------------ entity declarations, DTDs

HOSTILE_TBX = {
    "entity-bomb.tbx": "3: refused: the XML declares the entity 'lol'; nothing imported",
    "external-entity.tbx": (
        "3: refused: the XML declares the external entity 'xxe' (SYSTEM 'file:///etc/passwd'); "
        "nothing imported"
    ),
    "parameter-entity.tbx": "3: refused: the XML declares the parameter entity '%remote'; "
    "nothing imported",
    "external-dtd.tbx": "2: refused: the XML refers to the external DTD "
    "'http://attacker.invalid/evil.dtd'; nothing imported",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TBX))
def test_hostile_tbx_is_refused_with_one_line_and_the_glossary_is_untouched(desk, tmp_path, name):
    invoke("glossary", "add", "ru", "en", "НАТО", "NATO")
    path = desk / "glossaries" / "ru-en.csv"
    before = path.read_bytes()
    hostile = tmp_path / name
    shutil.copy(BAD / name, hostile)
    result = invoke("glossary", "import", hostile, "--pair", "ru-en")
    assert result.exit_code == 1
    assert result.stderr == f"translate: error: {hostile}:{HOSTILE_TBX[name]}\n"
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["entity-bomb.xlf", "external-entity.xlf"])
def test_hostile_xliff_is_refused_at_the_declaration(name):
    with pytest.raises(UnsafeXMLError) as err:
        read_file(BAD / name)
    message = str(err.value)
    assert message.startswith(f"{BAD / name}:3: refused: the XML declares the ")
    assert message.endswith("; nothing applied") and "\n" not in message


def test_hostile_tmx_is_refused_at_the_declaration():
    path = BAD / "entity-bomb.tmx"
    with pytest.raises(UnsafeXMLError) as err:
        read_tmx(path.read_bytes(), str(path))
    assert (
        str(err.value) == f"{path}:3: refused: the XML declares the entity 'lol'; nothing imported"
    )


def test_a_bare_standard_dtd_name_is_accepted_but_an_undefined_entity_is_not(tmp_path):
    """TMX and TBX v2 files name their DTD (`tmx14.dtd`); it is never loaded, and an entity it
    would have defined is refused instead of silently dropped."""
    body = (
        '<martif type="TBX"><text><body><termEntry id="t1">'
        '<langSet xml:lang="ru"><tig><term>Газпром</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Gazprom{extra}</term></tig></langSet>'
        "</termEntry></body></text></martif>"
    )
    head = '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">\n'
    ok = parse_tbx((head + body.format(extra="")).encode(), Path("ok.tbx"), "ru", "en")
    assert [(e.source, e.target) for e in ok.entries] == [("Газпром", "Gazprom")]
    with pytest.raises(UnsafeXMLError, match=r"^bad\.tbx:3: refused: the XML refers to the "):
        parse_tbx((head + body.format(extra=" &hidden;")).encode(), Path("bad.tbx"), "ru", "en")


# ------------------------------------------------------------------ TBX structure


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("misordered.tbx", "7: <term> must come before <termNote> (line 7) (TBX structure)"),
        ("misplaced-term.tbx", "7: <term> is not allowed inside <langSet> (TBX structure)"),
        (
            "note-after-langset.tbx",
            "7: <note> must come before <langSec> (line 5) (TBX structure)",
        ),
    ],
)
def test_a_tbx_out_of_structure_is_refused_naming_the_line(desk, tmp_path, name, message):
    hostile = tmp_path / name
    shutil.copy(BAD / name, hostile)
    result = invoke("glossary", "import", hostile, "--pair", "ru-en")
    assert result.exit_code == 1
    assert error_lines(result) == [f"translate: error: {hostile}:{message}"]
    assert not (desk / "glossaries" / "ru-en.csv").exists()


def test_two_terms_in_one_term_section_are_refused():
    xml = (
        '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed:3.0"><text><body>\n'
        '<conceptEntry id="c1"><langSec xml:lang="ru"><termSec><term>Газпром</term></termSec>'
        '</langSec>\n<langSec xml:lang="en"><termSec><term>Gazprom</term>\n<term>Gasprom</term>'
        "</termSec></langSec></conceptEntry></body></text></tbx>"
    )
    with pytest.raises(GlossaryFormatError) as err:
        parse_tbx(xml.encode(), Path("g.tbx"), "ru", "en")
    assert str(err.value) == "g.tbx:4: entry c1: a second <term> in one <termSec>"


# ------------------------------------------------------------------ term status


def _v3(style: str, statuses: list[tuple[str, str]]) -> str:
    """A one-concept TBX v3 with the given (term, status) target terms, in DCA or DCT style."""
    terms = []
    for term, status in statuses:
        if not status:
            note = ""
        elif style == "dca":
            note = f'<termNote type="administrativeStatus">{status}</termNote>'
        else:
            note = f"<basic:administrativeStatus>{status}</basic:administrativeStatus>"
        terms.append(f"<termSec><term>{term}</term>{note}</termSec>")
    return (
        f'<tbx type="TBX-Basic" style="{style}" xmlns="urn:iso:std:iso:30042:ed:3.0" '
        'xmlns:basic="http://www.tbxinfo.net/ns/basic"><text><body>'
        '<conceptEntry id="c1"><langSec xml:lang="ru"><termSec><term>Киев</term></termSec>'
        f'</langSec><langSec xml:lang="en">{"".join(terms)}</langSec></conceptEntry>'
        "</body></text></tbx>"
    )


@pytest.mark.parametrize("style", ["dca", "dct"])
def test_statuses_map_onto_kinds_in_both_styles(style):
    def read(statuses):
        (entry,) = parse_tbx(_v3(style, statuses).encode(), Path("g.tbx"), "ru", "en").entries
        return entry.kind, entry.target, entry.admitted, entry.avoid

    # a deprecated term listed first is never the rendering
    assert read([("Kiev", "deprecatedTerm-admn-sts"), ("Kyiv", "preferredTerm-admn-sts")]) == (
        "preferred",
        "Kyiv",
        [],
        ["Kiev"],
    )
    # the preferred term wins over an admitted one listed before it; the admitted one is kept
    assert read([("Kyiv city", "admittedTerm-admn-sts"), ("Kyiv", "preferredTerm-admn-sts")]) == (
        "preferred",
        "Kyiv",
        ["Kyiv city"],
        [],
    )
    # only terms to avoid: a forbidden entry, not a preferred one
    assert read([("Kiev", "deprecatedTerm"), ("Kiew", "supersededTerm-admn-sts")]) == (
        "forbidden",
        "",
        [],
        ["Kiev", "Kiew"],
    )
    assert read([("Kiev", "avoid")]) == ("forbidden", "", [], ["Kiev"])


def test_an_unknown_status_is_refused_naming_the_line():
    with pytest.raises(GlossaryFormatError, match=r"^g\.tbx:1: entry c1: unknown term status 'x'"):
        parse_tbx(_v3("dca", [("Kyiv", "x")]).encode(), Path("g.tbx"), "ru", "en")


@pytest.mark.parametrize(("version", "style"), [(2, "dca"), (3, "dca"), (3, "dct")])
def test_statuses_are_exported_back_and_read_again(version, style):
    entries = [
        Entry("Киев", "Kyiv", avoid=["Kiev"], admitted=["Kyiv city"]),
        Entry("Харьков", "", "forbidden", ["Kharkov"]),
    ]
    xml = render_tbx(entries, "ru", "en", version, style)
    assert "admittedTerm-admn-sts" in xml and "deprecatedTerm-admn-sts" in xml
    assert ("<basic:administrativeStatus>" in xml) == (style == "dct")
    assert parse_tbx(xml.encode(), Path("g.tbx"), "ru", "en").entries == entries


def test_admitted_wordings_survive_csv_and_satisfy_the_check():
    from translate.glossary.entry import Glossary
    from translate.glossary.matcher import Matcher
    from translate.glossary.verify import Verifier

    entries = [Entry("Киев", "Kyiv", admitted=["Kyiv city"])]
    from translate.glossary.formats import render_csv

    text = render_csv(entries)
    assert text.splitlines()[0] == "source,target,kind,avoid,case_sensitive,note,admitted"
    assert parse_csv(text, Path("g.csv")) == entries
    glossary = Glossary(entries)
    verifier = Verifier(glossary, Matcher.build(entries, "ru"))
    assert verifier.issues("Киев растёт.", "Kyiv city grows.") == []
    assert [i.code for i in verifier.issues("Киев растёт.", "The city grows.")] == [
        "glossary.missing"
    ]


def test_cli_export_writes_dct_style(desk, tmp_path):
    invoke("glossary", "add", "ru", "en", "Киев", "Kyiv", "--avoid", "Kiev")
    out = invoke("glossary", "export", "--pair", "ru-en", "--tbx-style", "dct")
    assert out.exit_code == 0
    assert 'style="dct"' in out.stdout
    assert "<basic:administrativeStatus>deprecatedTerm-admn-sts<" in out.stdout
    path = tmp_path / "back.tbx"
    path.write_text(out.stdout, encoding="utf-8")
    (entry,) = read_glossary_file(path, None, "ru", "en").entries
    assert (entry.target, entry.avoid) == ("Kyiv", ["Kiev"])


# ------------------------------------------------------------------ pairs


def test_import_into_a_pair_the_desk_does_not_have_is_refused(desk, tmp_path):
    src = tmp_path / "terms.csv"
    src.write_text("source,target\nBundestag,Bundestag\n", encoding="utf-8")
    result = invoke("glossary", "import", src, "--pair", "de-en")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line == (
        f"translate: error: pair 'de-en' is not configured in {desk / 'workflow.yaml'} "
        "(configured: ru-en, es-en); add it under 'pairs:' as '- {source: de, target: en}' and "
        "import again; nothing imported"
    )
    assert not (desk / "glossaries" / "de-en.csv").exists()
    assert invoke_json("glossary", "list", "--pair", "ru-en")[0]["entries"] == []


def test_a_glossary_with_control_characters_exports_tbx_that_parses(desk, tmp_path):
    path = desk / "glossaries" / "ru-en.csv"
    path.write_text("source,target,note\nКиев,Kyiv,bell\x07 here\n", encoding="utf-8")
    out = invoke("glossary", "export", "--pair", "ru-en", "--tbx-version", "2")
    assert out.exit_code == 0, out.stderr
    assert "\x07" not in out.stdout and "<note>bell here</note>" in out.stdout
