"""Shared fixtures: no test touches the user's real paths or the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "stories"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Point HOME, XDG dirs, argos's package folder and the workflow at tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/index.json")
    monkeypatch.setenv("TRANSLATE_USER", "ana")
    monkeypatch.setenv("NO_COLOR", "1")
    for var in ("TRANSLATE_WORKFLOW", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "TRANSLATE_NOW"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    from translate import i18n

    i18n.setup("en")
    yield
    i18n.setup("en")


@pytest.fixture
def desk(tmp_path):
    """An initialised desk (workflow.yaml + store) in tmp_path/desk; returns its folder."""
    from translate.desk import init_desk

    folder = tmp_path / "desk"
    init_desk(folder)
    os.environ["TRANSLATE_WORKFLOW"] = str(folder / "workflow.yaml")
    yield folder
    os.environ.pop("TRANSLATE_WORKFLOW", None)


@pytest.fixture
def batch_user(monkeypatch):
    """Act as the template team's nightly job ('nightly', the batch role): ingest, mt, batch."""
    monkeypatch.setenv("TRANSLATE_USER", "nightly")


@pytest.fixture
def editor_user(monkeypatch):
    """Act as the template team's editor ('eve'): publish, TM import, team changes."""
    monkeypatch.setenv("TRANSLATE_USER", "eve")
