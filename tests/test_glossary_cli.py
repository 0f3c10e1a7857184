"""`translate glossary ...` through the real entry point (CliRunner): exact output and exit codes."""

from __future__ import annotations

import json

from cli_helpers import RU_MD, error_lines, invoke, invoke_json

from translate.glossary.entry import Entry
from translate.glossary.tbx import render_tbx


def test_add_list_update_remove(desk):
    path = desk / "glossaries" / "ru-en.csv"
    result = invoke("glossary", "add", "ru", "en", "Газпром", "Gazprom", "--avoid", "Gasprom")
    assert (result.exit_code, result.stdout) == (0, f"added 'Газпром' to {path}\n")
    assert path.read_text("utf-8") == (
        "source,target,kind,avoid,case_sensitive,note\nГазпром,Gazprom,preferred,Gasprom,no,\n"
    )
    invoke("glossary", "add", "ru", "en", "НАТО", "NATO", "--case-sensitive", "--note", "alliance")
    result = invoke("glossary", "add", "ru", "en", "газпром", "Gazprom PJSC")
    assert result.stdout == f"updated 'газпром' in {path}\n"
    listed = invoke_json("glossary", "list", "--pair", "ru-en")
    assert listed == [
        {
            "pair": "ru-en",
            "path": str(path),
            "entries": [
                {
                    "source": "газпром",
                    "target": "Gazprom PJSC",
                    "kind": "preferred",
                    "avoid": [],
                    "case_sensitive": False,
                    "note": "",
                    "admitted": [],
                },
                {
                    "source": "НАТО",
                    "target": "NATO",
                    "kind": "preferred",
                    "avoid": [],
                    "case_sensitive": True,
                    "note": "alliance",
                    "admitted": [],
                },
            ],
        }
    ]
    table = invoke("glossary", "list").stdout.splitlines()
    assert table[0].split() == ["pair", "source", "target", "kind", "avoid", "case", "note"]
    assert table[2].split() == ["ru-en", "НАТО", "NATO", "preferred", "yes", "alliance"]
    result = invoke("glossary", "remove", "ru", "en", "Газпром")
    assert (result.exit_code, result.stdout) == (0, f"removed 'Газпром' from {path}\n")
    result = invoke("glossary", "remove", "ru", "en", "Газпром")
    assert result.exit_code == 1
    assert error_lines(result) == [f"translate: error: no entry for 'Газпром' in {path}"]


def test_add_to_a_pair_without_a_configured_glossary_uses_glossaries_folder(desk):
    result = invoke("glossary", "add", "de", "en", "Bundestag", "--kind", "keep")
    assert result.exit_code == 0
    assert (desk / "glossaries" / "de-en.csv").read_text("utf-8").splitlines()[1] == (
        "Bundestag,,keep,,no,"
    )


def test_add_refuses_an_incomplete_entry(desk):
    result = invoke("glossary", "add", "ru", "en", "Киев", "Kyiv", "--kind", "forbidden")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "translate: error: a forbidden entry needs the wordings to avoid (column 'avoid')"
    ]
    assert not (desk / "glossaries" / "ru-en.csv").exists()


def test_import_tbx_export_round_trip(desk, tmp_path):
    entries = [
        Entry("Газпром", "Gazprom", avoid=["Gasprom"]),
        Entry("Коммерсантъ", "Kommersant", "keep", case_sensitive=True, note="the daily"),
    ]
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(render_tbx(entries, "ru", "en", 2), encoding="utf-8")
    result = invoke("glossary", "import", tbx, "--pair", "ru-en")
    path = desk / "glossaries" / "ru-en.csv"
    assert result.stdout == f"imported {tbx} into {path}: 2 added, 0 updated, 2 entries\n"
    out = invoke("glossary", "export", "--pair", "ru-en", "--format", "tbx", "--tbx-version", "3")
    assert out.exit_code == 0 and out.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    again = tmp_path / "again.tbx"
    again.write_text(out.stdout, encoding="utf-8")
    before = path.read_text("utf-8")
    summary = invoke_json("glossary", "import", again, "--pair", "ru-en")
    assert summary == {
        "pair": "ru-en",
        "path": str(path),
        "added": 0,
        "updated": 2,
        "skipped": 0,
        "total": 2,
    }
    assert path.read_text("utf-8") == before
    csv_out = tmp_path / "out.csv"
    result = invoke("glossary", "export", "--pair", "ru-en", "--format", "csv", "-o", csv_out)
    assert result.stderr == f"wrote {csv_out}\n"
    assert csv_out.read_text("utf-8") == before


def test_import_infers_the_pair_from_the_file_name_and_replaces(desk, tmp_path):
    invoke("glossary", "add", "es", "en", "vivero", "nursery")
    src = tmp_path / "es-en.csv"
    src.write_text("source,target\norquídea,orchid\n", encoding="utf-8")
    result = invoke("glossary", "import", src, "--replace")
    assert result.exit_code == 0, result.stderr
    assert [
        e["source"] for e in invoke_json("glossary", "list", "--pair", "es-en")[0]["entries"]
    ] == ["orquídea"]
    other = tmp_path / "terms.csv"
    other.write_text("source,target\nx,y\n", encoding="utf-8")
    result = invoke("glossary", "import", other)
    assert result.exit_code == 2
    assert error_lines(result) == [
        "translate: error: name the pair with --pair (configured: ru-en, es-en)"
    ]


def test_malformed_import_leaves_the_glossary_unchanged(desk, tmp_path):
    invoke("glossary", "add", "ru", "en", "Газпром", "Gazprom")
    path = desk / "glossaries" / "ru-en.csv"
    before = path.read_bytes()
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("source,target,kind\nНАТО,NATO\nДели,Delhi,prefered\n", encoding="utf-8")
    result = invoke("glossary", "import", bad_csv, "--pair", "ru-en")
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: {bad_csv}:3: unknown kind 'prefered' (expected preferred, forbidden "
        "or keep)\n"
    )
    bad_tbx = tmp_path / "bad.tbx"
    bad_tbx.write_text(
        '<martif type="TBX"><text><body>\n<termEntry id="x1">\n'
        "<langSet><tig><term>Дели</term></tig></langSet>\n"
        "</termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    result = invoke("glossary", "import", bad_tbx, "--pair", "ru-en")
    assert result.stderr == f"translate: error: {bad_tbx}:3: entry x1: <langSet> without xml:lang\n"
    assert path.read_bytes() == before


def test_a_broken_glossary_file_is_reported_with_its_line(desk):
    path = desk / "glossaries" / "ru-en.csv"
    path.write_text("source,target\nГазпром,Gazprom\nГазпром,Gasprom\n", encoding="utf-8")
    result = invoke("glossary", "add", "ru", "en", "НАТО", "NATO")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"translate: error: {path}:3: duplicate entry for 'Газпром' (first at 2)"
    ]


def test_match_shows_spans_and_lemma_path(desk):
    invoke(
        "glossary",
        "add",
        "ru",
        "en",
        "Центр анализа стратегий и технологий",
        "Centre for Analysis of Strategies and Technologies",
    )
    invoke("glossary", "add", "ru", "en", "орхидея", "orchid")
    text = "Эксперты Центра анализа стратегий и технологий любят орхидеи."
    found = invoke_json("glossary", "match", text, "--lang", "ru")
    assert found["pair"] == "ru-en" and found["entries"] == 2
    first, second = found["matches"]
    assert (first["start"], first["end"], first["text"]) == (
        9,
        46,
        "Центра анализа стратегий и технологий",
    )
    assert first["via"][0] == {"word": "Центра", "key": "центр", "how": "lemma"}
    assert (second["text"], second["rendering"], second["plural"]) == ("орхидеи", "orchids", True)
    table = invoke("glossary", "match", text, "--lang", "ru").stdout.splitlines()
    assert table[0].split() == ["span", "text", "entry", "rendering", "kind", "via"]
    assert table[2].startswith("53-60") and "орхидеи→орхидея(lemma)" in table[2]
    none = invoke("glossary", "match", "Ничего.", "--lang", "ru")
    assert (none.exit_code, none.stdout) == (0, "")
    assert none.stderr.startswith("no glossary entry matched (2 entries in ")


def test_check_story_stores_glossary_findings_shown_by_show(desk):
    from translate.config import load_workflow
    from translate.store import SegmentState, open_store

    invoke("glossary", "add", "ru", "en", "Газпром", "Gazprom", "--avoid", "Gasprom")
    [story] = invoke_json("--user", "nightly", "ingest", RU_MD)
    store = open_store(load_workflow(desk / "workflow.yaml").store)
    seg = next(s for s in store.segments(story["id"]) if "Газпромом" in s["source"])
    with store.write():
        store.add_version(
            seg["id"],
            story["id"],
            "But talks with Gasprom are stalling.",
            "human",
            SegmentState.EDITED,
            author="ana",
        )
    store.close()
    found = invoke_json("glossary", "check", story["id"])
    assert [
        (f["number"], f["code"], f["severity"], f["span_start"], f["span_end"]) for f in found
    ] == [
        (seg["number"], "glossary.missing", "blocking", None, None),
        (seg["number"], "glossary.forbidden", "blocking", 15, 22),
    ]
    view = invoke_json("show", story["id"])
    shown = [
        f
        for u in view["units"]
        for s in u["segments"]
        for f in s.get("findings", [])
        if f["code"].startswith("glossary.")
    ]
    assert len(shown) == 2
    # the glossary file is the source of truth: fix it and re-check, no restart
    invoke("glossary", "add", "ru", "en", "Газпром", "Gasprom")
    assert invoke_json("glossary", "check", story["id"]) == []
    text = invoke("glossary", "check", story["id"])
    assert text.stderr == f"{story['id']}: no glossary findings\n"


def test_glossary_commands_have_help():
    result = invoke("glossary", "--help")
    assert result.exit_code == 0
    for name in ("list", "add", "remove", "import", "export", "match", "check"):
        assert name in result.stdout
        assert invoke("glossary", name, "--help").exit_code == 0


def test_list_json_is_valid_for_every_pair(desk):
    data = json.loads(invoke("glossary", "list", "--json").stdout)
    assert [b["pair"] for b in data] == ["ru-en", "es-en"] and all(not b["entries"] for b in data)
