"""XLIFF 1.2 and 2.0: schema-valid exports (xmllint against the OASIS schemas), state mapping, round
trips through CAT tools, conflicts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from cli_helpers import invoke
from exchange_support import FIXTURES, STORY, claimed_story, current, validate_xsd

pytestmark = pytest.mark.both_backends

XLIFF = FIXTURES / "xliff"
NS12 = "{urn:oasis:names:tc:xliff:document:1.2}"
NS20 = "{urn:oasis:names:tc:xliff:document:2.0}"
DESK = "{urn:translate-desk:exchange}"
SCHEMA = {"xliff": "xliff-core-1.2-strict.xsd", "xliff2": "xliff-core-2.0.xsd"}


@pytest.fixture
def story(desk):
    workflow, store, story_id = claimed_story(desk)
    seg = store.segment(story_id, 3)
    store.replace_findings(
        story_id,
        seg["id"],
        seg["version_id"],
        [{"code": "numbers.mismatch", "severity": "warning", "message": "10 <> 12"}],
    )
    (desk / "glossaries" / "ru-en.csv").write_text(
        "source,target\nМосква,Moscow\n", encoding="utf-8"
    )
    yield workflow, store
    store.close()


def export(tmp_path, fmt: str):
    out = tmp_path / f"story.{fmt}.xlf"
    result = invoke("export", STORY, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_exports_are_valid_against_the_oasis_schemas(story, tmp_path, fmt):
    out = export(tmp_path, fmt)
    check = validate_xsd(out, SCHEMA[fmt])
    assert check.returncode == 0, check.stderr
    assert check.stderr.strip() == f"{out} validates"


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_the_validator_is_not_vacuous(story, tmp_path, fmt):
    out = export(tmp_path, fmt)
    bad = tmp_path / "bad.xlf"
    text = out.read_text(encoding="utf-8")
    bad.write_text(text.replace('state="', 'state="bogus-', 1), encoding="utf-8")
    assert validate_xsd(bad, SCHEMA[fmt]).returncode != 0


def test_xliff12_maps_the_ladder_and_carries_notes(story, tmp_path):
    root = ET.parse(export(tmp_path, "xliff")).getroot()
    file = root.find(f"{NS12}file")
    assert (file.get("original"), file.get("source-language"), file.get("target-language")) == (
        STORY,
        "ru",
        "en",
    )
    units = list(root.iter(f"{NS12}trans-unit"))
    assert [u.get("resname") for u in units] == [f"{STORY}#{n}" for n in (1, 2, 3, 4)]
    assert [u.get("extradata") for u in units] == [
        "version=1 state=machine",
        "version=2 state=machine",
        "version=3 state=edited",
        "version=- state=untranslated",
    ]
    targets = [u.find(f"{NS12}target") for u in units]
    assert [t.get("state") if t is not None else None for t in targets] == [
        "needs-review-translation",
        "needs-review-translation",
        "translated",
        None,
    ]
    assert targets[0].get("state-qualifier") == "mt-suggestion"
    assert [g.get("restype") for g in root.iter(f"{NS12}group")] == [
        "x-headline",
        "x-paragraph",
        "x-quote",
    ]
    notes = [(n.get("from"), n.get("priority"), n.text) for n in units[2].iter(f"{NS12}note")]
    assert notes == [("checks", "5", "warning numbers.mismatch: 10 <> 12")]
    assert [n.text for n in units[1].iter(f"{NS12}note")] == ["Москве → Moscow"]


def test_xliff20_maps_the_ladder_and_carries_notes(story, tmp_path):
    root = ET.parse(export(tmp_path, "xliff2")).getroot()
    assert (root.get("srcLang"), root.get("trgLang")) == ("ru", "en")
    units = list(root.iter(f"{NS20}unit"))
    assert [u.get("name") for u in units] == [f"{STORY}#{n}" for n in (1, 2, 3, 4)]
    assert units[2].get(f"{DESK}meta") == "version=3 state=edited"
    segments = [u.find(f"{NS20}segment") for u in units]
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        ("initial", "desk:mt"),
        ("initial", "desk:mt"),
        ("translated", None),
        ("initial", None),
    ]
    assert segments[3].find(f"{NS20}target") is None
    notes = [(n.get("category"), n.get("priority"), n.text) for n in units[2].iter(f"{NS20}note")]
    assert notes == [("finding", "5", "warning numbers.mismatch: 10 <> 12")]


def test_a_cat_tools_xliff12_is_applied(story):
    _workflow, store = story
    assert validate_xsd(XLIFF / "edited-1.2.xlf", SCHEMA["xliff"]).returncode == 0
    result = invoke("import", XLIFF / "edited-1.2.xlf")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"{STORY}: 2 edited, 2 confirmed, 1 unchanged, 0 untranslated\n"
    assert current(store) == [
        ("Moscow braces for snow", "confirmed"),
        ("Up to 10 cm of snow will fall in Moscow on Friday.", "machine"),
        ("Forecasters warn of ice.", "confirmed"),
        ("‘Get ready for traffic jams,’ the mayor said.", "edited"),
    ]


def test_a_cat_tools_xliff20_is_applied(story):
    _workflow, store = story
    assert validate_xsd(XLIFF / "edited-2.0.xlf", SCHEMA["xliff2"]).returncode == 0
    result = invoke("import", XLIFF / "edited-2.0.xlf")
    assert result.exit_code == 0, result.stderr
    assert current(store) == [
        ("Moscow braces for snow", "confirmed"),
        ("On Friday, up to 10 cm of snow will fall in Moscow.", "edited"),
        ("Forecasters warn of ice.", "edited"),
        ("“Get ready for traffic jams,” the mayor said\u2060.", "confirmed"),
    ]


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_round_trip_export_edit_import(story, tmp_path, fmt):
    _workflow, store = story
    out = export(tmp_path, fmt)
    tree = ET.parse(out)
    root = tree.getroot()
    if fmt == "xliff":
        ET.register_namespace("", NS12[1:-1])
        units = list(root.iter(f"{NS12}trans-unit"))
        units[0].find(f"{NS12}target").text = "Moscow braces for snow"
        units[0].find(f"{NS12}target").set("state", "signed-off")
        target = ET.Element(f"{NS12}target", {"state": "translated"})
        units[3].insert(1, target)  # right after <source>
        target.text = "“Brace for jams,” said the mayor."
    else:
        ET.register_namespace("", NS20[1:-1])
        ET.register_namespace("desk", DESK[1:-1])
        segments = [u.find(f"{NS20}segment") for u in root.iter(f"{NS20}unit")]
        segments[0].find(f"{NS20}target").text = "Moscow braces for snow"
        segments[0].set("state", "final")
        segments[0].attrib.pop("subState")
        ET.SubElement(segments[3], f"{NS20}target").text = "“Brace for jams,” said the mayor."
        segments[3].set("state", "translated")
    tree.write(out, encoding="utf-8", xml_declaration=True)
    assert validate_xsd(out, SCHEMA[fmt]).returncode == 0
    result = invoke("import", out)
    assert result.exit_code == 0, result.stderr
    assert current(store) == [
        ("Moscow braces for snow", "confirmed"),
        ("Up to 10 cm of snow will fall in Moscow on Friday.", "machine"),
        ("Forecasters warn of ice.", "edited"),
        ("“Brace for jams,” said the mayor.", "edited"),
    ]
    again = export(tmp_path, fmt)
    assert validate_xsd(again, SCHEMA[fmt]).returncode == 0


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_a_desk_edit_since_export_is_a_conflict(story, tmp_path, fmt):
    workflow, store = story
    from translate.review import edit_segment

    out = export(tmp_path, fmt)
    edit_segment(store, workflow, STORY, 1, "Moscow expects snow", "ana")
    text = out.read_text(encoding="utf-8").replace(">Moscow awaits snow<", ">Moscow, snow<")
    out.write_text(text, encoding="utf-8")
    before = current(store)
    result = invoke("import", out)
    assert result.exit_code == 5
    assert result.stderr == (
        f"translate: error: {out}: 1 conflict with story '{STORY}', nothing applied:\n"
        "  segment 1: changed on the desk since export (now version 4)\n"
    )
    assert current(store) == before


def test_not_well_formed_xml_and_foreign_xml_are_named(story, tmp_path):
    broken = tmp_path / "broken.xlf"
    broken.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n')
    result = invoke("import", broken)
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: {broken}:4: not well-formed XML (mismatched tag); nothing applied\n"
    )
    other = tmp_path / "other.xml"
    other.write_text("<rss version='2.0'/>")
    result = invoke("import", other)
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: {other}: not a PO or XLIFF 1.2/2.0 file (root element <rss>)\n"
    )
