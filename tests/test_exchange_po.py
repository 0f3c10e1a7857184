"""PO export and import: msgfmt-valid files, round trips through editors, conflicts, charsets."""

from __future__ import annotations

import shutil

import polib
import pytest
from cli_helpers import invoke
from exchange_support import FIXTURES, STORY, claimed_story, current, msgfmt_check, open_desk

pytestmark = pytest.mark.both_backends

PO = FIXTURES / "po"
FIRST = "moskva-zhdet-snega-1#1"


@pytest.fixture
def story(desk):
    workflow, store, story_id = claimed_story(desk)
    assert story_id == STORY
    yield workflow, store
    store.close()


def export_po(tmp_path, name="story.po"):
    out = tmp_path / name
    result = invoke("export", STORY, "--format", "po", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    return out


def test_export_passes_msgfmt_and_describes_every_segment(story, tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", "2012-10-15T09:00:00+00:00")
    out = export_po(tmp_path)
    check = msgfmt_check(out)
    assert check.returncode == 0, check.stderr
    po = polib.pofile(str(out))
    meta = po.metadata
    assert meta["Language"] == "en"
    assert meta["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert meta["Project-Id-Version"] == STORY
    assert meta["X-Translate-Story"] == STORY
    assert meta["X-Translate-Source-Language"] == "ru"
    assert meta["PO-Revision-Date"] == "2012-10-15 09:00+0000"
    assert meta["Last-Translator"] == "ana"
    assert [e.msgctxt for e in po] == [f"{STORY}#{n}" for n in (1, 2, 3, 4)]
    assert [e.msgid for e in po][0] == "Москва ждёт снега"
    assert [e.msgstr for e in po] == [
        "Moscow awaits snow",
        "Up to 10 cm of snow will fall in Moscow on Friday.",
        "Forecasters warn of ice.",
        "",
    ]
    # machine drafts and the unconfirmed edit are fuzzy; the untranslated entry is not
    assert ["fuzzy" in e.flags for e in po] == [True, True, True, False]
    assert po[0].comment == "unit: headline\ndesk: version=1 state=machine"
    assert po[2].comment == "unit: paragraph\ndesk: version=3 state=edited"
    assert po[3].comment == "unit: quote\ndesk: version=- state=untranslated"


def test_export_to_stdout_is_the_same_document(story, tmp_path):
    out = export_po(tmp_path)
    result = invoke("export", STORY)
    assert result.exit_code == 0
    assert result.stdout_bytes == out.read_bytes()


def test_export_carries_glossary_hints_and_open_findings(story, desk, tmp_path):
    _workflow, store = story
    (desk / "glossaries" / "ru-en.csv").write_text(
        "source,target,kind,avoid,case_sensitive,note\n"
        "Москва,Moscow,preferred,,no,\n"
        "гололёд,black ice,preferred,ice,no,road surface\n",
        encoding="utf-8",
    )
    seg = store.segment(STORY, 3)
    store.replace_findings(
        STORY,
        seg["id"],
        seg["version_id"],
        [{"code": "glossary.missing", "severity": "blocking", "message": "'гололёде' → black ice"}],
    )
    out = export_po(tmp_path)
    assert msgfmt_check(out).returncode == 0
    po = polib.pofile(str(out))
    assert po[0].comment.splitlines() == [
        "unit: headline",
        "glossary: Москва → Moscow",
        "desk: version=1 state=machine",
    ]
    assert po[2].comment.splitlines() == [
        "unit: paragraph",
        "glossary: гололёде → black ice (not ice); road surface",
        "finding: blocking glossary.missing: 'гололёде' → black ice",
        "desk: version=3 state=edited",
    ]


def test_an_editors_file_is_applied_reordered_rewrapped_with_obsolete_entries(story):
    _workflow, store = story
    result = invoke("import", PO / "poedit-edited.po")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "segment 4: edit, confirm",
        "  - ",
        "  + “Get ready for traffic jams,” the mayor said.",
        "segment 3: confirm",
        "segment 1: edit, confirm",
        "  - Moscow awaits snow",
        "  + Moscow waits for snow",
        "segment 2: edit",
        "  - Up to 10 cm of snow will fall in Moscow on Friday.",
        "  + On Friday, up to 10 cm of snow will fall in Moscow.",
    ]
    assert result.stderr == (
        f"{STORY}: 3 edited, 3 confirmed, 0 unchanged, 0 untranslated; 2 obsolete entries ignored\n"
    )
    assert current(store) == [
        ("Moscow waits for snow", "confirmed"),
        ("On Friday, up to 10 cm of snow will fall in Moscow.", "edited"),
        ("Forecasters warn of ice.", "confirmed"),
        ("“Get ready for traffic jams,” the mayor said.", "confirmed"),
    ]
    versions = store.versions(store.segment(STORY, 1)["id"])
    assert (versions[-1]["origin"], versions[-1]["author"]) == ("human", "ana")
    assert versions[-1]["base_version_id"] == 1
    imports = [e for e in store.events(STORY) if e["action"] == "import"]
    assert len(imports) == 1 and imports[0]["user"] == "ana"
    # importing the same file again changes nothing
    again = invoke("import", PO / "poedit-edited.po")
    assert again.exit_code == 0
    assert again.stdout == ""
    assert again.stderr.startswith(f"{STORY}: 0 edited, 0 confirmed, 4 unchanged")


def test_dry_run_prints_the_diff_and_changes_nothing(story):
    _workflow, store = story
    before = current(store)
    events = len(store.events(STORY))
    result = invoke("import", PO / "poedit-edited.po", "--dry-run")
    assert result.exit_code == 0
    assert "segment 1: edit, confirm\n  - Moscow awaits snow\n  + Moscow waits for snow\n" in (
        result.stdout
    )
    assert result.stderr.endswith("(dry run: nothing changed)\n")
    assert current(store) == before
    assert len(store.events(STORY)) == events


def test_export_edit_in_polib_import_export_again(story, tmp_path):
    _workflow, store = story
    out = export_po(tmp_path)
    po = polib.pofile(str(out))
    po[0].msgstr = "Moscow braces for snow"
    po[0].flags.remove("fuzzy")  # confirmed
    po[1].flags.remove("fuzzy")  # confirmed as it is
    po[3].msgstr = "“Brace for traffic jams,” the mayor said."
    po[3].flags.append("fuzzy")  # a draft: edited, not confirmed
    po.wrapwidth = 30  # the editor rewraps everything
    po.save(str(out))
    result = invoke("import", out, "--json")
    assert result.exit_code == 0, result.stderr
    assert '"edited": [\n    1,\n    4\n  ]' in result.stdout
    assert current(store) == [
        ("Moscow braces for snow", "confirmed"),
        ("Up to 10 cm of snow will fall in Moscow on Friday.", "confirmed"),
        ("Forecasters warn of ice.", "edited"),
        ("“Brace for traffic jams,” the mayor said.", "edited"),
    ]
    again = polib.pofile(str(export_po(tmp_path, "again.po")))
    assert ["fuzzy" in e.flags for e in again] == [False, False, True, True]
    assert msgfmt_check(tmp_path / "again.po").returncode == 0


def test_an_edit_on_the_desk_since_export_is_a_conflict_and_nothing_is_applied(story, tmp_path):
    workflow, store = story
    from translate.review import edit_segment

    out = export_po(tmp_path)
    edit_segment(store, workflow, STORY, 2, "Snow is coming on Friday.", "ana")
    po = polib.pofile(str(out))
    po[0].msgstr = "Moscow braces for snow"
    po[1].msgstr = "On Friday Moscow gets snow."
    po.save(str(out))
    before = current(store)
    result = invoke("import", out)
    assert result.exit_code == 5
    assert result.stderr == (
        f"translate: error: {out}: 1 conflict with story '{STORY}', nothing applied:\n"
        "  segment 2: changed on the desk since export (now version 4)\n"
    )
    assert current(store) == before


def test_entries_that_do_not_match_the_story_are_listed(story, tmp_path):
    _workflow, store = story
    out = export_po(tmp_path)
    po = polib.pofile(str(out))
    po[0].msgstr = "Moscow braces for snow"
    po[1].msgid = "В субботу в Москве выпадет до 10 см снега."
    po[2].msgctxt = "other-story-2#3"
    po[3].msgctxt = f"{STORY}#9"
    po.append(polib.POEntry(msgctxt=f"{STORY}#1", msgid="Москва ждёт снега", msgstr="x"))
    po.append(polib.POEntry(msgid="Open", msgstr="Открыть"))
    po.append(
        polib.POEntry(
            msgctxt=f"{STORY}#2",
            msgid="%d снег",
            msgid_plural="%d снега",
            msgstr_plural={0: "%d snow", 1: "%d snows"},
        )
    )
    po.save(str(out))
    before = current(store)
    result = invoke("import", out)
    assert result.exit_code == 5
    message = result.stderr
    assert message.startswith(
        f"translate: error: {out}: 6 conflicts with story '{STORY}', nothing applied:\n"
    )
    assert message.count("\n") == 7  # the headline, then one line per conflict
    for part in (
        "segment 2: the source changed since export",
        f"segment other-story-2#3: belongs to another story than '{STORY}'",
        "segment 9: not in the story",
        "segment 1: appears twice in the file",
        f"no segment id (expected '{STORY}#<number>')",
        "a plural entry; the story's segments have none",
    ):
        assert part in message
    assert current(store) == before


def test_a_real_world_catalog_with_plurals_parses_but_is_not_a_story(story):
    from translate.exchange import read_file

    parsed = read_file(PO / "plurals.po")
    assert parsed.story_id is None
    assert parsed.ignored == {"obsolete": 1}
    plural = parsed.entries[0]
    assert plural.plural and plural.target == "%d новое сообщение"
    assert [e.ref for e in parsed.entries] == [None, "menu", "toolbar", None]
    assert (
        parsed.entries[3].target == "Нажмите F1 для справки.\nНажмите Esc, чтобы закрыть это окно."
    )
    assert not parsed.entries[3].done  # fuzzy
    raw = polib.pofile(str(PO / "plurals.po"))
    assert raw[0].msgstr_plural[2] == "%d новых сообщений"
    result = invoke("import", PO / "plurals.po")
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: {PO / 'plurals.po'}: no story id (PO header X-Translate-Story, "
        "XLIFF file 'original'); export the story with 'translate export' and translate that "
        "file; nothing applied\n"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "koi8-r.po",
            [
                ("Moscow waits for snow", "confirmed"),
                ("Up to 10 cm of snow will fall in Moscow on Friday.", "machine"),
                ("Forecasters warn of black ice.", "confirmed"),
                (None, "untranslated"),
            ],
        ),
        (
            "iso-8859-5.po",
            [
                ("Moscow waits for snow", "confirmed"),
                ("Up to 10 cm of snow will fall in Moscow on Friday.", "machine"),
                ("Forecasters warn of black ice.", "confirmed"),
                (None, "untranslated"),
            ],
        ),
        (
            "cp1251.po",
            [
                ("Moscow waits for snow", "confirmed"),
                ("Up to 10 cm of snow will fall in Moscow on Friday.", "machine"),
                ("Forecasters warn of black ice.", "confirmed"),
                ('"Get ready for traffic jams," the mayor said.', "confirmed"),
            ],
        ),
    ],
)
def test_legacy_charsets_are_read_per_their_header(story, name, expected):
    _workflow, store = story
    assert msgfmt_check(PO / name).returncode == 0  # honest files gettext accepts too
    result = invoke("import", PO / name)
    assert result.exit_code == 0, result.stderr
    assert current(store) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "lying-utf8-is-cp1251.po",
            "lying-utf8-is-cp1251.po:2: byte 0xEF is not valid UTF-8, the charset the header "
            "declares; fix the header or re-save the file; nothing applied",
        ),
        (
            "lying-koi8r-is-cp1251.po",
            "lying-koi8r-is-cp1251.po:2: the text does not read as KOI8-R, the charset the header "
            "declares ('ОПНБЕПЕМН'); fix the header's Content-Type line; nothing applied",
        ),
        (
            "lying-cp1251-is-utf8.po",
            "lying-cp1251-is-utf8.po:2: the header says charset=windows-1251 but the text is "
            "UTF-8; fix the header's Content-Type line; nothing applied",
        ),
        (
            "broken-utf8.po",
            "broken-utf8.po:27: byte 0xFF is not valid UTF-8, the charset the header declares; "
            "fix the header or re-save the file; nothing applied",
        ),
    ],
)
def test_a_header_that_lies_about_its_charset_is_one_line_and_nothing_applied(
    story, tmp_path, name, message
):
    _workflow, store = story
    copy = tmp_path / name
    shutil.copy(PO / name, copy)
    before = current(store)
    result = invoke("import", copy)
    assert result.exit_code == 1
    assert result.stderr == f"translate: error: {tmp_path}/{message}\n"
    assert current(store) == before


def test_a_placeholder_or_unknown_charset_is_named(story, tmp_path):
    text = (PO / "poedit-edited.po").read_text(encoding="utf-8")
    for charset, message in (
        ("CHARSET", "the header's Content-Type still says charset=CHARSET; set the file's real "
         "charset; nothing applied"),
        ("x-klingon", "unknown charset 'x-klingon' in the header; nothing applied"),
    ):  # fmt: skip
        bad = tmp_path / f"{charset}.po"
        bad.write_text(text.replace("charset=UTF-8", f"charset={charset}"), encoding="utf-8")
        result = invoke("import", bad)
        assert result.exit_code == 1
        assert result.stderr == f"translate: error: {bad}:15: {message}\n"


def test_a_syntax_error_names_the_line(story, tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text(
        'msgid ""\nmsgstr ""\n"X-Translate-Story: x\\n"\n\nmsgid "a"\nmsgstr "b"\nnonsense\n',
        encoding="utf-8",
    )
    result = invoke("import", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"translate: error: {bad}:7: not a valid PO file (")


def test_import_follows_the_review_rules_claim_first(desk, tmp_path):
    from exchange_support import make_story

    workflow, store = open_desk(desk)
    make_story(store)
    before = current(store)
    result = invoke("import", PO / "poedit-edited.po")
    assert result.exit_code == 1
    assert result.stderr == f"translate: error: claim '{STORY}' first ('translate claim {STORY}')\n"
    assert current(store) == before
    store.close()


def test_unknown_story_and_emptied_translations(story, tmp_path):
    _workflow, store = story
    out = export_po(tmp_path)
    po = polib.pofile(str(out))
    po[0].msgstr = ""  # emptied: not a change
    po.save(str(out))
    result = invoke("import", out)
    assert result.exit_code == 0
    assert result.stderr == f"{STORY}: 0 edited, 0 confirmed, 2 unchanged, 2 untranslated\n"
    po.metadata["X-Translate-Story"] = "moskva-2"
    po.save(str(out))
    result = invoke("import", out)
    assert result.exit_code == 1
    assert result.stderr == "translate: error: no story 'moskva-2'\n"
    assert current(store)[0] == ("Moscow awaits snow", "machine")
