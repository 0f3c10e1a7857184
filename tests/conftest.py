"""Shared fixtures: no test touches the user's real paths or the network.

Both backends: a test module marked `pytestmark = pytest.mark.both_backends` runs every test twice,
on SQLite and on PostgreSQL (`store_backend` is "sqlite" or "postgresql"; on PostgreSQL each test
gets its own fresh schema of one session-wide server and TRANSLATE_DATABASE_URL names it, so every
`open_store(workflow.store)` and every CLI call, in-process or not, uses it). The server is
TRANSLATE_TEST_DATABASE_URL when set, else a throwaway cluster (tests/pg_server.py). With CI=true a
server that cannot start fails the run; elsewhere the PostgreSQL half is skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
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
    for var in (
        "TRANSLATE_DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE",
        "PGSERVICE", "PGSERVICEFILE", "PGPASSFILE", "PGSSLMODE", "PGOPTIONS",
    ):  # fmt: skip
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


# ---------------------------------------------------------------- PostgreSQL


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "both_backends: run each test on SQLite and on PostgreSQL (store_backend)"
    )


def pytest_generate_tests(metafunc):
    if "store_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("store_backend", ["sqlite", "postgresql"], indirect=True)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server for this session (with a superuser's credentials)."""
    url = os.environ.get("TRANSLATE_TEST_DATABASE_URL")
    if url:
        yield url
        return
    from pg_server import start_cluster

    try:
        cluster = start_cluster()
    except Exception as exc:  # noqa: BLE001 - any reason the server cannot start
        if _in_ci():
            pytest.fail(f"PostgreSQL test server cannot start (CI=true): {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL test server cannot start: {exc}")
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server):
    """A postgresql:// URL naming a fresh schema of its own (dropped afterwards, roles too)."""
    from pg_server import drop_schema, with_schema

    schema = "t_" + uuid.uuid4().hex[:12]
    yield with_schema(pg_server, schema)
    drop_schema(pg_server, schema)


@pytest.fixture(autouse=True)
def store_backend(request, isolated_env, monkeypatch):
    """ "sqlite" (the default) or, in modules marked both_backends, "postgresql" too."""
    backend = getattr(request, "param", "sqlite")
    if backend == "postgresql":
        monkeypatch.setenv("TRANSLATE_DATABASE_URL", request.getfixturevalue("pg_url"))
    return backend
