"""Exchange files are untrusted too: languages checked against the story, TMX imported
symmetrically into the desk's pairs, control characters cleaned at ingest and never written into
XML, stale files applied where they do not touch what the desk changed, long conflict lists capped,
MO files named, and every written file respecting the umask."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import polib
import pytest
from cli_helpers import error_lines, invoke, invoke_json
from exchange_support import STORY, claimed_story, current, open_desk

from translate.exchange.apply import listing


@pytest.fixture
def story(desk):
    workflow, store, story_id = claimed_story(desk)
    assert story_id == STORY
    yield workflow, store
    store.close()


def export(tmp_path, fmt="po", name=None):
    out = tmp_path / (name or f"story.{'po' if fmt == 'po' else 'xlf'}")
    result = invoke("export", STORY, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


# ------------------------------------------------------------------ languages


def test_a_po_for_another_language_is_refused(story, tmp_path):
    _workflow, store = story
    out = export(tmp_path)
    po = polib.pofile(str(out))
    po.metadata["Language"] = "fr"
    po[0].msgstr = "Moscou attend la neige"
    po.save(str(out))
    before = current(store)
    result = invoke("import", out)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"translate: error: {out}: the file's target language is 'fr' (PO header Language) but "
        f"story '{STORY}' is ru → en; nothing applied"
    ]
    assert current(store) == before


def test_a_po_with_a_region_of_the_right_language_is_fine(story, tmp_path):
    out = export(tmp_path)
    po = polib.pofile(str(out))
    po.metadata["Language"] = "en_GB"
    po.save(str(out))
    assert invoke("import", out).exit_code == 0


@pytest.mark.parametrize(
    ("fmt", "old", "new", "where", "side", "code"),
    [
        ("xliff", 'target-language="en"', 'target-language="fr"', "XLIFF target-language",
         "target", "fr"),
        ("xliff", 'source-language="ru"', 'source-language="uk"', "XLIFF source-language",
         "source", "uk"),
        ("xliff2", 'trgLang="en"', 'trgLang="fr-FR"', "XLIFF trgLang", "target", "fr-FR"),
        ("xliff2", 'srcLang="ru"', 'srcLang="es"', "XLIFF srcLang", "source", "es"),
    ],
)  # fmt: skip
def test_an_xliff_for_other_languages_is_refused(story, tmp_path, fmt, old, new, where, side, code):
    _workflow, store = story
    out = export(tmp_path, fmt)
    text = out.read_text(encoding="utf-8")
    assert old in text
    out.write_text(text.replace(old, new).replace(">Moscow awaits snow<", ">X<"), "utf-8")
    before = current(store)
    result = invoke("import", out)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"translate: error: {out}: the file's {side} language is '{code}' ({where}) but story "
        f"'{STORY}' is ru → en; nothing applied"
    ]
    assert current(store) == before


# ------------------------------------------------------------------ TMX is symmetric

EN_ES_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
          srclang="en" datatype="plaintext"/>
  <body>
    <tu><tuv xml:lang="en"><seg>The orchids bloom.</seg></tuv>
        <tuv xml:lang="es-MX"><seg>Las orquídeas florecen.</seg></tuv></tu>
    <tu><tuv xml:lang="en-US"><seg>The nursery opens.</seg></tuv>
        <tuv xml:lang="es"><seg>El vivero abre.</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Snow.</seg></tuv>
        <tuv xml:lang="ru"><seg>Снег.</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Hello.</seg></tuv>
        <tuv xml:lang="de"><seg>Hallo.</seg></tuv></tu>
  </body>
</tmx>
"""


def test_an_en_es_tmx_serves_an_es_en_desk(desk, tmp_path):
    from translate import tm

    path = tmp_path / "en-es.tmx"
    path.write_text(EN_ES_TMX, encoding="utf-8")
    result = invoke("--user", "eve", "tm", "import", path)  # editors import into the TM
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "3 added, 0 already in the memory (es-en: 2, ru-en: 1); 1 unit with no language pair of "
        "this desk (ru-en, es-en)\n"
    )
    _workflow, store = open_desk(desk)
    assert tm.exact_match(store, "es", "en", "Las orquídeas florecen.") == "The orchids bloom."
    assert tm.exact_match(store, "ru", "en", "Снег.") == "Snow."
    assert tm.exact_match(store, "en", "es", "The orchids bloom.") is None
    store.close()
    again = invoke_json("--user", "eve", "tm", "import", path)
    assert again["per_pair"] == {
        "es-en": {"added": 0, "duplicates": 2},
        "ru-en": {"added": 0, "duplicates": 1},
    }
    assert (again["added"], again["duplicates"], again["unused"]) == (0, 3, 1)


# ------------------------------------------------------------------ control characters

CONTROL_STORY = (
    '---\ntitle: "Snow\\x07 in Moscow"\nlanguage: en\n---\n\n'
    "Up to ten\x01 centimetres of snow\x1b[31m will fall in Moscow on Friday, forecasters said.\n\n"
    "Drivers\x0bare warned\x85 of black ice on the ring road and the bridges.\n"
)


def test_control_characters_are_cleaned_at_ingest_and_recorded(desk, tmp_path):
    path = tmp_path / "control.md"
    path.write_text(CONTROL_STORY, encoding="utf-8")
    (story,) = invoke_json("--user", "nightly", "ingest", path, "--force")
    _workflow, store = open_desk(desk)
    sources = [s["source"] for s in store.segments(story["id"])]
    assert sources == [
        "Snow in Moscow",
        "Up to ten centimetres of snow[31m will fall in Moscow on Friday, forecasters said.",
        "Drivers are warned of black ice on the ring road and the bridges.",
    ]
    row = store.story(story["id"])
    assert row["extra"]["cleaned_control_characters"] == 5
    (event,) = [e for e in store.db.query("SELECT * FROM events WHERE action = 'ingest'")]
    assert json.loads(event["after"])["cleaned_control_characters"] == 5
    store.close()


@pytest.mark.parametrize("fmt", ["xliff", "xliff2", "po"])
def test_a_story_stored_with_control_characters_still_exports_files_that_parse(desk, tmp_path, fmt):
    """Stories stored before ingest cleaned them: the export strips what XML cannot hold and
    parses what it wrote; the file imports back."""
    workflow, store, _sid = claimed_story(desk)
    with store.write():
        store.db.execute(
            "UPDATE segments SET source = ? WHERE number = 1", ["Москва\x01 ждёт\x1f снега"]
        )
        store.db.execute(
            "UPDATE versions SET text = ? WHERE id = 1", ["Moscow\x0c awaits\x00 snow"]
        )
    store.close()
    out = export(tmp_path, fmt)
    raw = out.read_bytes()
    assert not any(b in raw for b in (b"\x00", b"\x01", b"\x0c", b"\x1f"))
    if fmt != "po":
        ET.fromstring(raw)  # well-formed
    result = invoke("import", out)
    assert result.exit_code == 0, result.stderr


def test_the_tm_export_never_writes_xml_that_does_not_parse(desk, tmp_path):
    from exchange_support import validate_dtd

    _workflow, store = open_desk(desk)
    with store.write():
        store.tm_add(
            [
                {
                    "source_lang": "ru",
                    "target_lang": "en",
                    "source": "Снег\x02",
                    "source_norm": "снег\x02",
                    "target": "Snow\x1b",
                    "story_id": None,
                    "segment_id": None,
                    "at": "2012-10-15T09:00:00+00:00",
                }
            ]
        )
    store.close()
    out = tmp_path / "tm.tmx"
    assert invoke("tm", "export", "-o", out).exit_code == 0
    assert validate_dtd(out).returncode == 0
    seg = [s.text for s in ET.parse(out).getroot().iter("seg")]
    assert seg == ["Снег", "Snow"]


# ------------------------------------------------------------------ stale imports


def test_a_stale_file_that_does_not_touch_the_desks_changes_is_applied(story, tmp_path):
    workflow, store = story
    from translate.review import edit_segment

    out = export(tmp_path)
    edit_segment(
        store, workflow, STORY, 2, "Snow is coming on Friday.", "ana"
    )  # desk, after export
    po = polib.pofile(str(out))
    po[0].msgstr = "Moscow braces for snow"  # the translator's change: another segment
    po.save(str(out))
    result = invoke("import", out)
    assert result.exit_code == 0, result.stderr
    assert "1 segment changed on the desk since export and not in the file's changes: kept" in (
        result.stderr
    )
    assert [t for t, _state in current(store)][:2] == [
        "Moscow braces for snow",
        "Snow is coming on Friday.",  # the desk's edit is kept
    ]


def test_a_stale_file_confirming_a_segment_changed_on_the_desk_is_a_conflict(story, tmp_path):
    workflow, store = story
    from translate.review import edit_segment

    out = export(tmp_path)
    edit_segment(store, workflow, STORY, 2, "Snow is coming on Friday.", "ana")
    po = polib.pofile(str(out))
    po[1].flags.remove("fuzzy")  # confirms the text the desk has since replaced
    po.save(str(out))
    before = current(store)
    result = invoke("import", out)
    assert result.exit_code == 5
    assert "segment 2: changed on the desk since export" in result.stderr
    assert current(store) == before


# ------------------------------------------------------------------ lists, MO files


def test_conflict_lists_are_one_line_per_item_and_capped():
    items = [f"segment {n}: not in the story" for n in range(1, 1001)]
    text = listing(items)
    lines = text.splitlines()
    assert len(lines) == 21
    assert lines[0] == "  segment 1: not in the story"
    assert lines[-1] == "  ... and 980 more"
    assert listing(items[:3]).count("\n") == 2


def test_a_thousand_conflicts_are_a_short_message(story, tmp_path):
    out = export(tmp_path)
    po = polib.pofile(str(out))
    for n in range(100, 1100):
        po.append(polib.POEntry(msgctxt=f"{STORY}#{n}", msgid="x", msgstr="y"))
    po.save(str(out))
    result = invoke("import", out)
    assert result.exit_code == 5
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"translate: error: {out}: 1000 conflicts with story '{STORY}', nothing applied:"
    )
    assert lines[1:3] == ["  segment 100: not in the story", "  segment 101: not in the story"]
    assert lines[-1] == "  ... and 980 more"
    assert max(len(line) for line in lines) < 200


def test_a_compiled_mo_file_is_named_as_such(story, tmp_path):
    out = export(tmp_path)
    mo = tmp_path / "story.mo"
    polib.pofile(str(out)).save_as_mofile(str(mo))
    result = invoke("import", mo)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"translate: error: {mo}: a compiled MO catalogue, not a PO file; import the .po file it "
        "was compiled from; nothing applied"
    ]


# ------------------------------------------------------------------ umask


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_every_written_file_follows_the_umask(story, tmp_path, umask_027):
    invoke("glossary", "add", "ru", "en", "Москва", "Moscow")
    written = {
        "po": export(tmp_path, "po"),
        "xliff": export(tmp_path, "xliff"),
        "tmx": tmp_path / "tm.tmx",
        "glossary": tmp_path / "g.tbx",
    }
    assert invoke("tm", "export", "-o", written["tmx"]).exit_code == 0
    assert invoke("glossary", "export", "--pair", "ru-en", "-o", written["glossary"]).exit_code == 0
    for name, path in written.items():
        assert path.stat().st_mode & 0o777 == 0o640, name
    desk_glossary = tmp_path / "desk" / "glossaries" / "ru-en.csv"
    assert desk_glossary.stat().st_mode & 0o777 == 0o640
    os.chmod(written["po"], 0o644)  # a file replaced keeps its mode
    export(tmp_path, "po")
    assert written["po"].stat().st_mode & 0o777 == 0o644
