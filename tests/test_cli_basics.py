"""init, paths, stories, show, status, usage errors and `python -m translate`."""

from __future__ import annotations

import os
import subprocess
import sys

from cli_helpers import ES_HTML, ES_MD, ROOT, RU_MD, RU_TXT, invoke, invoke_json

from translate.config import TEMPLATE


def test_init_writes_workflow_and_store(tmp_path):
    folder = tmp_path / "newsdesk"
    result = invoke("init", folder)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"wrote {folder / 'workflow.yaml'}\nstore ready at {folder / '.translate' / 'desk.db'}\n"
    )
    assert (folder / "workflow.yaml").read_text(encoding="utf-8") == TEMPLATE
    assert (folder / ".translate" / "desk.db").is_file()
    assert (folder / "glossaries").is_dir()


def test_init_twice_keeps_the_file(tmp_path):
    folder = tmp_path / "newsdesk"
    assert invoke("init", folder).exit_code == 0
    workflow = folder / "workflow.yaml"
    edited = TEMPLATE.replace("max_file_size: 2MB", "max_file_size: 5MB") + "# our desk\n"
    workflow.write_text(edited, encoding="utf-8")
    result = invoke("init", folder)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{workflow} already exists; kept it"
    assert workflow.read_text(encoding="utf-8") == edited


def test_init_in_the_current_folder(tmp_path):
    result = invoke("init")
    assert result.exit_code == 0
    assert (tmp_path / "workflow.yaml").is_file()


def test_init_refuses_an_invalid_existing_workflow(tmp_path):
    (tmp_path / "workflow.yaml").write_text("stor: x.db\n", encoding="utf-8")
    result = invoke("init", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: {tmp_path / 'workflow.yaml'}:1: unknown key 'stor', "
        "did you mean 'store'?\n"
    )
    assert (tmp_path / "workflow.yaml").read_text(encoding="utf-8") == "stor: x.db\n"


def test_paths(desk, tmp_path):
    expected = {
        "workflow": str(desk / "workflow.yaml"),
        "store": str(desk / ".translate" / "desk.db"),
        "glossaries": str(desk / "glossaries"),
        "models": str(tmp_path / "argos-packages"),
        "output": str(desk / "published"),
        "inbox": str(desk / "inbox"),
    }
    assert invoke_json("paths") == expected
    result = invoke("paths")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["what", "path"]
    assert [line.split() for line in lines[1:]] == [[k, v] for k, v in expected.items()]


def ingest_samples() -> dict[str, str]:
    """Ingest the four samples; return {language/format: id}."""
    ids = {}
    for key, path in (("es-md", ES_MD), ("es-html", ES_HTML), ("ru-md", RU_MD), ("ru-txt", RU_TXT)):
        [story] = invoke_json("--user", "nightly", "ingest", path)
        ids[key] = story["id"]
    return ids


def test_stories_lists_and_filters(desk):
    assert invoke("stories").stderr == "no stories\n"
    assert invoke_json("stories") == []
    ids = ingest_samples()
    rows = invoke_json("stories")
    assert [r["id"] for r in rows] == list(ids.values())
    assert rows[0] == {
        "id": ids["es-md"],
        "title": "Las orquídeas que devolvieron a los migrantes a Santa Rita Las Flores",
        "language": "es",
        "state": "ingested",
        "segments": 27,
        "confirmed": 0,
        "claimed_by": None,
        "priority": 0,
        "deadline": None,
        "revision": 1,
    }
    assert [r["id"] for r in invoke_json("stories", "--lang", "ru")] == [
        ids["ru-md"],
        ids["ru-txt"],
    ]
    assert [r["id"] for r in invoke_json("stories", "--state", "ingested", "--lang", "es")] == [
        ids["es-md"],
        ids["es-html"],
    ]
    assert invoke_json("stories", "--state", "approved") == []
    table = invoke("stories", "--lang", "ru").stdout.splitlines()
    assert table[0].split() == ["id", "state", "language", "confirmed", "claimed", "by", "title"]
    assert table[1].split()[:4] == [ids["ru-md"], "ingested", "Russian", "0/29"]


def test_stories_unknown_state_is_a_usage_error(desk):
    result = invoke("stories", "--state", "done")
    assert result.exit_code == 2
    assert result.stderr == (
        "translate: error: unknown state 'done' (one of: ingested, translated, in_translation, "
        "submitted, approved, published)\n"
    )


def test_show_json_keys(desk):
    ids = ingest_samples()
    view = invoke_json("show", ids["ru-md"])
    assert {"id", "title", "language", "state", "units"} <= set(view)
    assert (view["id"], view["language"], view["state"]) == (ids["ru-md"], "ru", "ingested")
    assert view["title"] == "Исламабад ищет свою «перезагрузку»"
    for unit in view["units"]:
        assert {"kind", "segments"} <= set(unit)
        for seg in unit["segments"]:
            assert {"id", "source", "translation", "state"} <= set(seg)
    numbers = [s["id"] for u in view["units"] for s in u["segments"]]
    assert numbers == list(range(1, 30))


def test_show_text(desk):
    ids = ingest_samples()
    result = invoke("show", ids["es-html"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (
        lines[0] == f"Un banco de semillas guarda el maíz criollo de Mapastepec  [{ids['es-html']}]"
    )
    assert lines[1] == "Spanish · ingested · GPJ México · Adriana Alcázar González"
    assert "[headline]" in lines and "[quote]" in lines and "[caption]" in lines
    assert "    1 untranslated Un banco de semillas guarda el maíz criollo de Mapastepec" in lines


def test_show_unknown_story_suggests(desk):
    ids = ingest_samples()
    result = invoke("show", "islamabad")
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: no story 'islamabad'; did you mean {ids['ru-md']}?\n"
    )
    assert (
        invoke("show", "nothing-like-it").stderr == "translate: error: no story 'nothing-like-it'\n"
    )


def test_status(desk):
    empty = invoke_json("status")
    assert empty == {
        "ingested": 0,
        "translated": 0,
        "in_translation": 0,
        "submitted": 0,
        "approved": 0,
        "published": 0,
    }
    ingest_samples()
    assert invoke_json("status")["ingested"] == 4
    lines = invoke("status").stdout.splitlines()
    assert lines[0].split() == ["state", "stories"]
    assert lines[1].split() == ["ingested", "4"]
    assert lines[-1] == "total: 4"


def test_usage_errors_exit_2(desk):
    result = invoke("ingest")
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr
    assert invoke("no-such-command").exit_code == 2
    assert invoke("stories", "--bogus").exit_code == 2


def test_help_and_version():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("init", "paths", "ingest", "stories", "show", "status"):
        assert f"  {command} " in result.stdout
    assert invoke("--version").stdout == "translate, version 0.1.0\n"


def test_python_dash_m_translate_help(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "translate", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: translate [OPTIONS] COMMAND [ARGS]...")
    assert "ingest" in proc.stdout


def test_python_dash_m_translate_exit_code(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "translate", "status"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("translate: error: no workflow.yaml here")
    assert proc.stdout == ""
