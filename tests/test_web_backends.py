"""The web front on both backends: the same pages and the same refusals over a SQLite desk and a
team desk on PostgreSQL (where signing in means connecting as that role)."""

from __future__ import annotations

import os

import pytest
from review_support import open_desk
from starlette.testclient import TestClient
from web_support import OVERRIDE, PASSWORDS, csrf_of, sign_in, submitted_story, with_passwords

from translate.web.app import create_app

pytestmark = pytest.mark.both_backends


@pytest.fixture
def d(desk, store_backend):
    location = None
    if store_backend == "postgresql":
        import psycopg

        from translate.store import parse_location

        location = parse_location(os.environ["TRANSLATE_DATABASE_URL"])
        with psycopg.connect(location.conninfo, autocommit=True) as conn:
            for name, role in (("ana", "translator"), ("eve", "editor")):
                # the desk's group role (as `store init` makes it; the server itself connects
                # as the superuser of the test cluster, so no grants are needed here)
                if not conn.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", [location.role(role)]
                ).fetchone():
                    conn.execute(f"CREATE ROLE {location.role(role)} NOLOGIN")
                conn.execute(f"DROP ROLE IF EXISTS {name}")
                conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORDS[name]}'")
                conn.execute(f"GRANT {location.role(role)} TO {name}")
    d = open_desk(desk)
    if location is None:
        with_passwords(d)
    yield d
    d.store.close()
    if location is not None:
        import psycopg

        with psycopg.connect(location.conninfo, autocommit=True) as conn:
            for name in ("ana", "eve"):
                conn.execute(f"DROP OWNED BY {name}")
                conn.execute(f"DROP ROLE {name}")


def test_read_refuse_and_approve_on_either_backend(d):
    sid = submitted_story(d)
    app = create_app(d.folder / "workflow.yaml", secret=b"k" * 32)
    ana, eve = TestClient(app), TestClient(app)
    assert sign_in(eve, "eve", "not-her-password").status_code == 401
    assert sign_in(ana, "ana").status_code == 303
    assert sign_in(eve, "eve").status_code == 303
    html = eve.get(f"/stories/{sid}").text
    assert "<ins>early </ins>" in html and f"overridden by ana: {OVERRIDE}" in html
    token = csrf_of(ana.get(f"/stories/{sid}").text)
    assert ana.post(f"/stories/{sid}/approve", data={"csrf": token}).status_code == 403
    assert [e["action"] for e in d.store.events(sid)][-1] == "refused"
    r = eve.post(f"/stories/{sid}/approve", data={"csrf": csrf_of(html)}, follow_redirects=True)
    assert r.status_code == 200 and d.store.story(sid)["state"] == 90
    preview = eve.get(f"/stories/{sid}/preview.html")
    assert preview.status_code == 200 and "<h1>The minister&#x27;s visit</h1>" in preview.text
