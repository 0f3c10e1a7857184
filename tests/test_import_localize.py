"""The localize stage after an import of machine text (issue 12 §1), through the real CLI and store.

A story goes out untranslated, comes back pre-translated by an MT engine in a CAT tool (XLIFF 1.2
`state-qualifier="mt-suggestion"`, XLIFF 2.0 `subState="desk:mt"`, or a PO file imported with
`--machine`): its machine text is stored as a machine draft and localized to the house style, one
`localize` version per change, revertible, before the checks run. A translator's own text — the
same Spanish-style draft without a machine mark, or marked translated/finished — stays as written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import polib
import pytest
from backends import store_at
from cli_helpers import invoke, invoke_json

from translate.config import load_workflow
from translate.model import IngestedStory, Sentence, Unit
from translate.store import open_store

pytestmark = pytest.mark.both_backends

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
SOURCE = "El 12 de octubre de 2012 la población creció un 11,6 % hasta 3.000."
DRAFT = "On 12 October 2012 the population grew a 11,6 % until 3.000."  # Apertium's own words
HOUSE = "On Oct. 12, 2012 the population grew a 11.6% until 3,000."
SECOND = "Llegaron 3.000 personas."
SECOND_DRAFT = "3.000 people arrived."


@pytest.fixture
def story(desk, store_backend):
    (desk / "workflow.yaml").write_text(
        "store: .translate/desk.db\n"
        "pairs:\n  - source: es\n    target: en\n    engines: [apertium]\n"
        "team:\n  translators:\n    ana: [es-en]\n  editors:\n    eve: [es-en]\n",
        encoding="utf-8",
    )
    store = open_store(store_at(desk / ".translate" / "desk.db"))
    units = [
        Unit("headline", "Cifras", [Sentence("Cifras")]),
        Unit("paragraph", f"{SOURCE} {SECOND}", [Sentence(SOURCE, " "), Sentence(SECOND)]),
    ]
    story_id = store.add_story(
        IngestedStory(title="Cifras", language="es", units=units, text_hash="h-import-cifras")
    )
    store.close()
    assert invoke("--user", "ana", "claim", story_id).exit_code == 0
    return story_id


def _store(desk):
    return open_store(load_workflow(desk / "workflow.yaml").store)


def chain(desk, story_id, number):
    """(origin, rule, text) of a segment's current version and those before it, newest first."""
    store = _store(desk)
    try:
        seg = store.segment(story_id, number)
        return [(v["origin"], v["rule"], v["text"]) for v in store.version_chain(seg["id"])]
    finally:
        store.close()


def export(tmp_path, story_id, fmt):
    out = tmp_path / f"out.{fmt}"
    result = invoke("--user", "ana", "export", story_id, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def pretranslate_xliff12(path, targets: dict[int, tuple[str, dict[str, str]]]):
    """What a CAT tool's MT pre-translation does to an XLIFF 1.2 file: a <target> per unit."""
    ET.register_namespace("", NS12)
    tree = ET.parse(path)
    for unit in tree.iter(f"{{{NS12}}}trans-unit"):
        number = int(unit.get("resname").rsplit("#", 1)[1])
        if number in targets:
            text, attrs = targets[number]
            target = ET.SubElement(unit, f"{{{NS12}}}target", attrs)
            target.text = text
    tree.write(path, encoding="utf-8", xml_declaration=True)


MT12 = {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}


def test_machine_text_in_xliff_is_localized_one_version_per_change(story, desk, tmp_path):
    path = export(tmp_path, story, "xliff")
    pretranslate_xliff12(path, {2: (DRAFT, MT12), 3: (SECOND_DRAFT, MT12)})
    result = invoke("--user", "ana", "import", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        "segment 2: machine draft, house style applied",
        "  - ",
        f"  + {DRAFT}",
        f"  house style: {HOUSE}",
    ]
    assert result.stderr == (
        f"{story}: 0 edited, 0 confirmed, 0 unchanged, 1 untranslated; "
        "2 machine drafts (4 house-style changes)\n"
    )
    assert chain(desk, story, 2) == [
        ("localize", "numbers", HOUSE),
        ("localize", "percentages", "On Oct. 12, 2012 the population grew a 11.6% until 3.000."),
        ("localize", "dates", "On Oct. 12, 2012 the population grew a 11,6 % until 3.000."),
        ("mt", None, DRAFT),  # the imported machine text, kept as it came
    ]
    assert chain(desk, story, 3)[0] == ("localize", "numbers", "3,000 people arrived.")

    # show, log and revert know the changes as they know those after `translate mt`
    seg = invoke_json("show", story)["units"][1]["segments"][0]
    assert (seg["origin"], seg["state"]) == ("localize", "machine")
    assert [(c["rule"], c["before"], c["after"]) for c in seg["localized"]] == [
        ("dates", "12 October 2012", "Oct. 12, 2012"),
        ("percentages", "11,6 %", "11.6%"),
        ("numbers", "3.000", "3,000"),
    ]
    log = invoke_json("log", story)
    assert [(e["action"], e["segment"], e["note"]) for e in log if e["action"] == "mt"] == [
        ("mt", 2, f"import xliff {path}"),
        ("mt", 3, f"import xliff {path}"),
    ]
    assert [e["note"] for e in log if e["action"] == "localize"] == [
        "dates", "percentages", "numbers", "numbers",
    ]  # fmt: skip
    imported = [e for e in log if e["action"] == "import"][-1]["after"]
    assert (imported["machine"], imported["edited"], imported["localized"]) == ([2, 3], [], 4)
    undo = invoke_json("--user", "ana", "revert", story, "2", "--version",
                       str(seg["localized"][1]["version"]))  # fmt: skip
    assert undo["reverted"]["rule"] == "percentages"
    assert chain(desk, story, 2)[0] == (
        "human", None, "On Oct. 12, 2012 the population grew a 11,6 % until 3,000."
    )  # fmt: skip


def test_checks_run_on_the_localized_text(story, desk, tmp_path):
    (desk / "glossaries" / "es-en.csv").write_text(
        "source,target\npoblación,populace\n", encoding="utf-8"
    )  # a term the machine text misses: the checks must say so about the current version
    path = export(tmp_path, story, "xliff")
    pretranslate_xliff12(path, {2: (DRAFT, MT12)})
    assert invoke("--user", "ana", "import", path).exit_code == 0
    store = _store(desk)
    try:
        seg = store.segment(story, 2)
        found = [(f["code"], f["version_id"]) for f in store.findings(story, seg["id"])]
    finally:
        store.close()
    # checked after the localize stage: on its last version, and the figures agree with the source
    assert ("glossary.missing", seg["version_id"]) in found
    assert chain(desk, story, 2)[0] == ("localize", "numbers", HOUSE)
    assert [code for code, _v in found if code.startswith("numbers")] == []


def test_a_translators_text_is_never_localized(story, desk, tmp_path):
    # XLIFF: a target declared translated is a person's, even with an MT qualifier left on it
    path = export(tmp_path, story, "xliff")
    pretranslate_xliff12(
        path, {2: (DRAFT, {"state": "translated", "state-qualifier": "mt-suggestion"})}
    )
    result = invoke_json("--user", "ana", "import", path)
    assert (result["edited"], result["machine"], result["localized"]) == ([2], [], 0)
    assert chain(desk, story, 2) == [("human", None, DRAFT)]


def test_po_is_machine_text_only_when_the_import_says_so(story, desk, tmp_path):
    path = export(tmp_path, story, "po")
    po = polib.pofile(str(path))
    po[1].msgstr, po[2].msgstr = DRAFT, SECOND_DRAFT
    po[1].flags, po[2].flags = ["fuzzy"], []  # segment 3 marked finished: a person's word
    po.save(str(path))
    human = tmp_path / "human.po"
    human.write_bytes(path.read_bytes())

    # the same file without --machine: the translator's own (unconfirmed) text, as written
    dry = invoke("--user", "ana", "import", human, "--dry-run")
    assert "segment 2: edit" in dry.stdout.splitlines()
    result = invoke_json("--user", "ana", "import", path, "--machine", "--dry-run")
    assert (result["machine"], result["edited"], result["confirmed"]) == ([2], [3], [3])
    assert result["localized"] == 3  # foreseen
    dry = invoke("--user", "ana", "import", path, "--machine", "--dry-run")
    assert f"  house style: {HOUSE}" in dry.stdout.splitlines()
    assert chain(desk, story, 2) == []  # a dry run changes nothing

    result = invoke_json("--user", "ana", "import", path, "--machine")
    assert (result["machine"], result["edited"], result["localized"]) == ([2], [3], 3)
    assert chain(desk, story, 2)[0] == ("localize", "numbers", HOUSE)
    assert chain(desk, story, 2)[-1] == ("mt", None, DRAFT)
    assert chain(desk, story, 3) == [("human", None, SECOND_DRAFT)]  # finished: untouched


def test_a_po_file_without_machine_stays_as_the_translator_wrote_it(story, desk, tmp_path):
    path = export(tmp_path, story, "po")
    po = polib.pofile(str(path))
    po[1].msgstr = DRAFT
    po[1].flags = ["fuzzy"]
    po.save(str(path))
    result = invoke_json("--user", "ana", "import", path)
    assert (result["edited"], result["machine"], result["localized"]) == ([2], [], 0)
    assert chain(desk, story, 2) == [("human", None, DRAFT)]
    log = invoke_json("log", story)
    assert [e for e in log if e["action"] in ("localize", "mt")] == []


def test_xliff2_desk_mt_substate_is_machine_text(story, desk, tmp_path):
    path = export(tmp_path, story, "xliff2")
    ET.register_namespace("", NS20)
    ET.register_namespace("desk", "urn:translate-desk:exchange")
    tree = ET.parse(path)
    for unit in tree.iter(f"{{{NS20}}}unit"):
        if unit.get("name").endswith("#2"):
            segment = unit.find(f"{{{NS20}}}segment")
            segment.set("state", "initial")
            segment.set("subState", "desk:mt")
            ET.SubElement(segment, f"{{{NS20}}}target").text = DRAFT
        if unit.get("name").endswith("#3"):
            segment = unit.find(f"{{{NS20}}}segment")
            segment.set("state", "translated")
            ET.SubElement(segment, f"{{{NS20}}}target").text = SECOND_DRAFT
    tree.write(path, encoding="utf-8", xml_declaration=True)
    result = invoke_json("--user", "ana", "import", path)
    assert (result["machine"], result["edited"], result["localized"]) == ([2], [3], 3)
    assert chain(desk, story, 2)[0] == ("localize", "numbers", HOUSE)
    assert chain(desk, story, 3) == [("human", None, SECOND_DRAFT)]


def test_house_style_none_stores_the_machine_text_as_it_came(story, desk, tmp_path):
    with (desk / "workflow.yaml").open("a", encoding="utf-8") as f:
        f.write("house_style:\n  preset: none\n")
    path = export(tmp_path, story, "xliff")
    pretranslate_xliff12(path, {2: (DRAFT, MT12)})
    result = invoke_json("--user", "ana", "import", path)
    assert (result["machine"], result["localized"]) == ([2], 0)
    assert chain(desk, story, 2) == [("mt", None, DRAFT)]
