"""`translate ingest`: bad inputs refused with one line and the store unchanged; good stories stored
with their units, segments and provenance."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from cli_helpers import BAD, ES_HTML, ES_MD, EXAMPLES, RU_MD, RU_TXT, counts, invoke, invoke_json

from translate.errors import DeskError

pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("batch_user")]

RU_TITLE = "Исламабад ищет свою «перезагрузку»"
TXT_TITLE = "«Газпром» отложил решение по газопроводу через Пакистан"


def refused(desk: Path, *args: str | Path, code: int = 1) -> str:
    """Run `ingest ARGS`; assert it fails with one error line and stores nothing; return the line."""
    before = counts(desk)
    result = invoke("ingest", *args)
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert counts(desk) == before
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def units_of(story_id: str) -> list[dict]:
    return invoke_json("show", story_id)["units"]


def kinds(story_id: str) -> list[str]:
    return [u["kind"] for u in units_of(story_id)]


def sources(story_id: str) -> list[str]:
    return [s["source"] for u in units_of(story_id) for s in u["segments"]]


# ------------------------------------------------------------------ bad inputs, one test each

BAD_FILES = {
    "empty.md": "{p}: the file is empty",
    "binary.html": "{p}: a binary file, not a story",
    "undecodable.txt": (
        "{p}:3: bytes that no known encoding decodes (not UTF-8, cp1251, KOI8-R or latin-1)"
    ),
    "yaml-error.md": "{p}:5: front matter is not valid YAML: expected ',' or ']', but got ':'",
    "missing-title.md": "{p}: missing 'title' (front matter)",
    "list-title.md": "{p}: front matter 'title' must be text, not a list or mapping",
    "unknown-language.md": "{p}: unknown language code 'xx' (use ISO 639-1, e.g. ru, es)",
    "wrong-language.md": (
        "{p}: declared language 'es' (Spanish) but the text reads as 'ru' (Russian); "
        "fix 'language' or use --force"
    ),
    "unclosed-front-matter.md": "{p}:1: front matter opened with '---' is never closed",
    "unknown-front-matter-key.md": (
        "{p}: unknown front matter key 'autor' (known: title, dek, author, outlet, url, language, "
        "published, updated, dateline, rights, captions, priority, deadline)"
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_with_one_line(desk, name):
    path = BAD / name
    line = refused(desk, path)
    assert line == "translate: error: " + BAD_FILES[name].format(p=path)


def test_headline_without_text_is_refused(desk):
    path = BAD / "headline-only.txt"
    line = refused(desk, path, "--lang", "ru")
    assert line == f"translate: error: {path}: the story has a headline but no text"


def test_plain_text_without_lang_and_no_clear_language_is_refused(desk, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Orquídeas\n\nSí.\n", encoding="utf-8")
    line = refused(desk, path)
    assert (
        line
        == f"translate: error: {path}: missing 'language' (the first line is the title; give the language with --lang)"
    )


def test_wrong_language_is_ingested_with_force(desk):
    story = invoke_json("ingest", "--force", BAD / "wrong-language.md")
    assert [(s["title"], s["language"]) for s in story] == [("Переговоры в Москве", "es")]


def test_missing_path(desk, tmp_path):
    path = tmp_path / "nowhere" / "story.md"
    line = refused(desk, path)
    assert line == f"translate: error: {path}: no such file or folder"


def test_missing_path_next_to_a_good_file_is_partial(desk, tmp_path):
    path = tmp_path / "nowhere.md"
    result = invoke("ingest", path, ES_MD)
    assert result.exit_code == 3
    assert f"translate: error: {path}: no such file or folder" in result.stderr.splitlines()
    assert counts(desk)["stories"] == 1


def test_duplicate_url_names_the_existing_story(desk):
    [first] = invoke_json("ingest", RU_MD)
    path = BAD / "duplicate-url.md"
    line = refused(desk, path)
    # another text at the same URL would be the story's next revision; this one shares almost
    # nothing with it (a different article at that address), so it is refused (docs/revisions.md)
    assert line.startswith(f"translate: error: {path}: shares almost nothing with '{first['id']}'")
    assert line.endswith("Use --force to make it the story's next revision")


def test_duplicate_normalised_text_names_the_existing_story(desk):
    # the same story in UTF-8 instead of cp1251, hard-wrapped, its headline in capitals
    [first] = invoke_json("ingest", RU_TXT)
    path = BAD / "duplicate-text.txt"
    line = refused(desk, path, "--lang", "ru")
    assert line == f"translate: error: {path}: already ingested as '{first['id']}' ({TXT_TITLE})"


def test_same_file_twice_in_one_run(desk):
    result = invoke("ingest", ES_MD, ES_MD)
    assert result.exit_code == 3
    assert counts(desk)["stories"] == 1
    assert "already ingested as 'las-orquideas-que-devolvieron-1'" in result.stderr


def test_file_over_the_size_limit(desk):
    workflow = desk / "workflow.yaml"
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace("max_file_size: 2MB", "max_file_size: 1KB"), encoding="utf-8")
    size = RU_MD.stat().st_size
    line = refused(desk, RU_MD)
    assert line == (
        f"translate: error: {RU_MD}: {size} bytes is over the ingest size limit of 1000 bytes "
        "(ingest.max_file_size in workflow.yaml)"
    )


def test_folder_with_some_bad_files(desk, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(ES_MD, folder / "a-orchids.md")
    shutil.copy(RU_MD, folder / "sub" / "b-pakistan.md")
    for name in ("empty.md", "binary.html", "missing-title.md"):
        shutil.copy(BAD / name, folder / name)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a story format: skipped in folders
    (folder / ".hidden.md").write_text("", encoding="utf-8")  # hidden: skipped
    before = counts(desk)
    result = invoke("ingest", folder)
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "las-orquideas-que-devolvieron-1  Las orquídeas que devolvieron a los migrantes a Santa "
        "Rita Las Flores (es, 27 segments)",
        f"islamabad-ishchet-svoyu-perezagruzku-2  {RU_TITLE} (ru, 29 segments)",
    ]
    assert result.stderr.splitlines() == [
        f"translate: error: {folder / 'binary.html'}: a binary file, not a story",
        f"translate: error: {folder / 'empty.md'}: the file is empty",
        f"translate: error: {folder / 'missing-title.md'}: missing 'title' (front matter)",
        "2 ingested, 3 failed",
    ]
    after = counts(desk)
    assert after["stories"] == before["stories"] + 2
    assert after["segments"] == before["segments"] + 27 + 29


def test_a_failure_while_storing_leaves_nothing_of_that_story(desk, monkeypatch):
    from translate.store.core import CoreQueries

    real_log = CoreQueries.log

    def failing_log(self, action, story_id=None, *args, **kwargs):
        if story_id and story_id.startswith("islamabad"):
            raise DeskError("disk full (simulated)")
        return real_log(self, action, story_id, *args, **kwargs)

    monkeypatch.setattr(CoreQueries, "log", failing_log)
    result = invoke("ingest", ES_MD, RU_MD)
    assert result.exit_code == 3
    assert "translate: error: disk full (simulated)" in result.stderr.splitlines()
    assert counts(desk) == {"stories": 1, "units": 14, "segments": 27, "events": 1}
    stored = invoke_json("stories")
    assert [s["id"] for s in stored] == ["las-orquideas-que-devolvieron-1"]


# ------------------------------------------------------------------ good stories


def test_examples_folder_ingests_cleanly(desk):
    result = invoke("ingest", "--json", EXAMPLES)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    import json

    data = json.loads(result.stdout)
    assert [sorted(item) for item in data] == [["id", "language", "segments", "title"]] * 4
    assert [(d["id"], d["language"]) for d in data] == [
        ("las-orquideas-que-devolvieron-1", "es"),
        ("un-banco-de-semillas-2", "es"),
        ("islamabad-ishchet-svoyu-perezagruzku-3", "ru"),
        ("gazprom-otlozhil-reshenie-po-4", "ru"),
    ]
    for d in data:
        shown = sum(len(u["segments"]) for u in units_of(d["id"]))
        assert d["segments"] == shown > 0
    assert counts(desk)["stories"] == 4


def test_markdown_story_units_and_provenance(desk):
    [story] = invoke_json("ingest", RU_MD)
    assert story == {
        "id": "islamabad-ishchet-svoyu-perezagruzku-1",
        "title": RU_TITLE,
        "language": "ru",
        "segments": 29,
    }
    view = invoke_json("show", story["id"])
    assert view["provenance"] == {
        "author": "Сергей Строкань",
        "outlet": "Коммерсантъ",
        "url": "https://www.kommersant.ru/doc/2043188",
        "published": "2012-10-12",
        "updated": None,
        "dateline": "МОСКВА",
        "rights": "permission granted 2012-10-15",
        "source_path": str(RU_MD),
        "source_format": "markdown",
        "source_encoding": "utf-8",
        "source_sha256": hashlib.sha256(RU_MD.read_bytes()).hexdigest(),
    }
    assert kinds(story["id"]) == (
        ["headline", "dek", "dateline"] + ["paragraph"] * 5 + ["quote"] + ["paragraph"] * 2
    ) + ["caption"]
    units = units_of(story["id"])
    assert [s["source"] for s in units[2]["segments"]] == ["МОСКВА"]
    assert units[8]["segments"][0]["source"].startswith("«Индия была и будет")
    assert units[-1]["segments"][0]["source"].startswith("Генерал Ашфак Парвез Кайани")
    texts = sources(story["id"])
    assert (
        "Официальное объяснение, т. е. «плотный график президента», в Исламабаде сочли "
        "отговоркой." in texts
    )
    assert all(
        s["state"] == "untranslated" and s["translation"] is None
        for u in units
        for s in u["segments"]
    )


def test_spanish_markdown_keeps_abbreviations_inside_sentences(desk):
    [story] = invoke_json("ingest", ES_MD)
    assert kinds(story["id"]) == ["headline", "dek", "dateline"] + ["paragraph"] * 10 + ["caption"]
    texts = sources(story["id"])
    assert any("la Sra. Salas Gómez, de 32 años" in t for t in texts)
    assert any(t.endswith("y hasta de EE. UU.") for t in texts)
    assert any("más de 3.000 orquídeas" in t for t in texts)
    view = invoke_json("show", story["id"])
    assert view["provenance"]["dateline"] == "MAPASTEPEC"
    assert view["provenance"]["author"] == "Adriana Alcázar González"


def test_html_story_units_and_meta_provenance(desk):
    [story] = invoke_json("ingest", ES_HTML)
    assert story["title"] == "Un banco de semillas guarda el maíz criollo de Mapastepec"
    assert story["language"] == "es"
    assert kinds(story["id"]) == [
        "headline",
        "dek",
        "paragraph",
        "caption",
        "paragraph",
        "quote",
        "paragraph",
    ]
    view = invoke_json("show", story["id"])
    p = view["provenance"]
    assert (p["author"], p["outlet"], p["published"], p["rights"], p["source_format"]) == (
        "Adriana Alcázar González",
        "GPJ México",
        "2023-08-07",
        "permission granted 2023-08-20",
        "html",
    )
    assert (
        p["url"] == "https://globalpressjournal.com/americas/mexico/banco-semillas-mapastepec/es/"
    )
    joined = " ".join(sources(story["id"]))
    assert "Inicio" not in joined and "font-family" not in joined and "©" not in joined


def test_plain_text_cp1251_language_identified_without_lang(desk):
    [story] = invoke_json("ingest", "--outlet", "Коммерсантъ", RU_TXT)
    assert (story["title"], story["language"]) == (TXT_TITLE, "ru")
    view = invoke_json("show", story["id"])
    assert view["provenance"]["source_encoding"] == "cp1251"
    assert view["provenance"]["source_format"] == "text"
    assert view["provenance"]["outlet"] == "Коммерсантъ"
    assert kinds(story["id"]) == ["headline", "paragraph", "paragraph", "paragraph"]
    text = RU_TXT.read_bytes().decode("cp1251")
    assert sources(story["id"])[1] in text


RU_PLAIN = """Пухов: Москва не откажется от Дели

Директор Центра анализа стратегий и технологий Руслан Пухов считает, что Индия останется \
главным покупателем российского оружия.

По его словам, сближение с Исламабадом не означает разворота: речь идет лишь о сигнале \
партнерам в Дели.
"""
ES_PLAIN = """Señora de las orquídeas

La Sra. Candelaria Salas Gómez enseña a los niños de Mapastepec cómo se riega una orquídea \
sin ahogarla.

Según ella, año tras año más jóvenes se interesan por el vivero y por la montaña.
"""


@pytest.mark.parametrize(
    ("text", "codec", "lang", "expected"),
    [
        (RU_PLAIN, "koi8_r", "ru", {"koi8_r"}),
        (RU_PLAIN, "cp1251", "ru", {"cp1251"}),
        # cp1252 is latin-1 plus printable characters in 0x80-0x9f: either name is right
        (ES_PLAIN, "latin_1", "es", {"latin_1", "cp1252"}),
        (ES_PLAIN, "utf-8-sig", "es", {"utf-8"}),
        (RU_PLAIN, "utf-16", "ru", {"utf_16"}),  # with a BOM, as Windows Notepad writes it
    ],
)
def test_plain_text_encodings_stored_as_unicode(desk, tmp_path, text, codec, lang, expected):
    path = tmp_path / f"story-{codec}.txt"
    path.write_bytes(text.encode(codec))
    [story] = invoke_json("ingest", "--lang", lang, path)
    assert story["title"] == text.splitlines()[0]
    view = invoke_json("show", story["id"])
    assert view["provenance"]["source_encoding"] in expected
    paragraphs = ["".join(s["source"] + s["ws"] for s in u["segments"]) for u in view["units"]]
    assert paragraphs == [" ".join(b.split()) for b in text.split("\n\n")]


def test_text_output_names_each_story(desk):
    result = invoke("ingest", ES_HTML)
    assert result.exit_code == 0
    assert result.stdout == (
        "un-banco-de-semillas-1  Un banco de semillas guarda el maíz criollo de Mapastepec "
        "(es, 9 segments)\n"
    )


def test_folder_with_no_stories(desk, tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "page1.pdf").write_bytes(b"%PDF-1.4")
    line = refused(desk, folder)
    assert line == f"translate: error: {folder}: a folder with no stories"


def test_markdown_lists_rules_and_headings_without_blank_lines(desk, tmp_path):
    path = tmp_path / "estructura.md"
    path.write_text(
        "---\ntitle: Las lluvias en la costa\nlanguage: es\n---\n\n"
        "Las lluvias afectaron la costa de Chiapas durante todo el verano.\n\n"
        "---\n\n"
        "## Lo que perdieron\nLos campesinos perdieron buena parte de la cosecha de maíz.\n\n"
        "- Las redes de los pescadores quedaron dañadas.\n"
        "- Las lanchas no pudieron salir\n  durante tres semanas.\n\n"
        "1. El gobierno prometió créditos.\n2) La cooperativa pidió semillas.\n\n"
        "***\n",
        encoding="utf-8",
    )
    [story] = invoke_json("ingest", path)
    assert kinds(story["id"]) == ["headline", "paragraph", "subhead"] + ["paragraph"] * 5
    assert sources(story["id"])[1:] == [
        "Las lluvias afectaron la costa de Chiapas durante todo el verano.",
        "Lo que perdieron",
        "Los campesinos perdieron buena parte de la cosecha de maíz.",
        "Las redes de los pescadores quedaron dañadas.",
        "Las lanchas no pudieron salir durante tres semanas.",
        "El gobierno prometió créditos.",
        "La cooperativa pidió semillas.",
    ]


def test_ingest_of_a_big_folder_logs_progress_lines_when_not_a_terminal(desk, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(20):
        (folder / f"story-{n:02}.md").write_text(
            f"---\ntitle: Нота {n}\nlanguage: ru\n---\n\n"
            f"Сегодня в Москве прошла встреча номер {n} министров иностранных дел двух стран.\n",
            encoding="utf-8",
        )
    result = invoke("ingest", folder, "--force")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("ingesting:")]
    assert lines[0] == "ingesting: 1/20" and lines[-1] == "ingesting: 20/20"
    assert len(lines) <= 11  # about every tenth, not one line per file
