"""The web front through its ASGI app (Starlette's TestClient): sessions, CSRF, rate limits,
headers, role refusals, and the story page's fixed number of queries. The real-browser scenario
is in test_web_browser.py."""

from __future__ import annotations

import time

import pytest
from review_support import add_localized, make_story, open_desk
from starlette.testclient import TestClient
from web_support import OVERRIDE, PASSWORDS, csrf_of, sign_in, submitted_story, with_passwords

from translate import review
from translate.web.app import create_app
from translate.web.security import COOKIE, SignInLimiter


@pytest.fixture
def d(desk):
    d = open_desk(desk)
    with_passwords(d)
    yield d
    d.store.close()


@pytest.fixture
def app(d):
    return create_app(d.folder / "workflow.yaml", secret=b"k" * 32)


def client(app, base_url: str = "http://testserver") -> TestClient:
    return TestClient(app, base_url=base_url)


def test_pages_need_sign_in_and_signing_in_rotates_the_session(app, d):
    c = client(app)
    r = c.get("/queue", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")
    before = csrf_of(c.get("/signin").text)
    r = sign_in(c, "eve")
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    after = csrf_of(c.get("/queue").text)
    assert after != before  # a new token after sign-in: no session fixation


def test_sign_in_returns_to_the_page_asked_for_and_only_on_this_site(app, d):
    sid = submitted_story(d)
    c = client(app)
    r = c.get(f"/stories/{sid}", follow_redirects=True)
    token = csrf_of(r.text)
    assert f'name="next" value="/stories/{sid}"' in r.text
    data = {"csrf": token, "name": "eve", "password": PASSWORDS["eve"]}
    r = c.post("/signin", data={**data, "next": f"/stories/{sid}"}, follow_redirects=False)
    assert r.headers["location"] == f"/stories/{sid}"
    for elsewhere in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        c2 = client(app)
        token = csrf_of(c2.get("/signin").text)
        r = c2.post(
            "/signin", data={**data, "csrf": token, "next": elsewhere}, follow_redirects=False
        )
        assert r.headers["location"] == "/queue"


def test_wrong_password_unknown_user_and_non_members_are_refused_alike(app, d):
    c = client(app)
    assert sign_in(c, "eve", "wrong-password").status_code == 401
    assert sign_in(c, "mallory", "whatever-pass").status_code == 401
    review.claim(d.store, d.workflow, make_story(d.store), "ana")
    from translate.team import remove_member

    remove_member(d.workflow, "ana", None)  # off the team: her hash no longer signs her in
    assert sign_in(c, "ana").status_code == 401


def test_a_member_taken_off_the_team_is_signed_out_at_once(app, d):
    c = client(app)
    assert sign_in(c, "ana").status_code == 303
    assert c.get("/queue").status_code == 200
    from translate.team import remove_member

    remove_member(d.workflow, "ana", None)
    r = c.get("/queue", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_every_form_needs_the_csrf_token(app, d):
    sid = submitted_story(d)
    c = client(app)
    sign_in(c, "eve")
    r = c.post(f"/stories/{sid}/approve", data={"note": "ok"})
    assert r.status_code == 403
    r = c.post(f"/stories/{sid}/approve", data={"csrf": "forged", "note": "ok"})
    assert r.status_code == 403
    assert d.store.story(sid)["state"] == 70  # still submitted
    r = c.post("/signin", data={"name": "eve", "password": PASSWORDS["eve"]})
    assert r.status_code == 403  # even the sign-in form


def test_sign_in_attempts_are_limited_per_user_and_per_address(d):
    app = create_app(
        d.folder / "workflow.yaml", limiter=SignInLimiter(per_user=3, per_address=5, window=60)
    )
    c = client(app)
    for _ in range(3):
        assert sign_in(c, "eve", "wrong-password").status_code == 401
    r = sign_in(c, "eve")  # the right password, but too late
    assert r.status_code == 429
    assert "too many failed sign-ins" in r.text
    assert sign_in(c, "olga", "wrong-password").status_code == 401
    assert sign_in(c, "ana", "wrong-password").status_code == 401
    assert sign_in(c, "ana").status_code == 429  # the address is over its limit now


def test_an_idle_session_expires(d):
    app = create_app(d.folder / "workflow.yaml", secret=b"k" * 32, idle_seconds=1)
    c = client(app)
    sign_in(c, "eve")
    assert c.get("/queue", follow_redirects=False).status_code == 200
    time.sleep(2.1)
    r = c.get("/queue", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_cookie_flags_and_security_headers(app, d):
    c = client(app, "https://desk.example")
    r = sign_in(c, "eve")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(COOKIE + "=")
    for flag in ("HttpOnly", "SameSite=strict", "Secure", "Path=/"):
        assert flag.lower() in cookie.lower()
    page = c.get("/queue")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    plain = sign_in(client(app), "eve").headers["set-cookie"]
    assert "secure" not in plain.lower()  # plain HTTP (a local desk): no Secure flag


def test_a_translators_approve_is_refused_403_and_logged(app, d):
    sid = submitted_story(d)
    c = client(app)
    sign_in(c, "ana")
    token = csrf_of(c.get(f"/stories/{sid}").text)
    r = c.post(f"/stories/{sid}/approve", data={"csrf": token})
    assert r.status_code == 403
    assert "only editors may approve stories" in r.text
    event = d.store.events(sid)[-1]
    assert (event["action"], event["user"]) == ("refused", "ana")
    assert "only editors may approve stories" in event["note"]
    r = c.post(f"/stories/{sid}/reject", data={"csrf": token, "note": "no"})
    assert r.status_code == 403
    assert d.store.story(sid)["state"] == 70


def test_reject_needs_a_note_and_approve_follows_four_eyes(app, d):
    sid = submitted_story(d)
    c = client(app)
    sign_in(c, "eve")
    token = csrf_of(c.get(f"/stories/{sid}").text)
    r = c.post(f"/stories/{sid}/reject", data={"csrf": token, "note": "  "})
    assert r.status_code == 400 and "needs a note" in r.text
    r = c.post(f"/stories/{sid}/approve", data={"csrf": token}, follow_redirects=True)
    assert r.status_code == 200 and f"approved &#39;{sid}&#39;" in r.text
    assert d.store.story(sid)["state"] == 90


def test_stale_edit_shows_both_texts_and_saves_nothing(app, d):
    sid = make_story(d.store)
    review.claim(d.store, d.workflow, sid, "ana")
    c = client(app)
    sign_in(c, "ana")
    page = c.get(f"/stories/{sid}").text
    token = csrf_of(page)
    base = d.store.segment(sid, 2)["version_id"]
    review.edit_segment(d.store, d.workflow, sid, 2, "Theirs, saved first.", "ana")
    r = c.post(
        f"/stories/{sid}/segments/2/edit",
        data={"csrf": token, "base": str(base), "text": "Mine, too late.", "action": "save"},
    )
    assert r.status_code == 409
    assert "Theirs, saved first." in r.text and "Mine, too late." in r.text
    assert d.store.segment(sid, 2)["translation"] == "Theirs, saved first."
    fresh = d.store.segment(sid, 2)["version_id"]
    r = c.post(
        f"/stories/{sid}/segments/2/edit",
        data={"csrf": token, "base": str(fresh), "text": "Mine, now.", "action": "confirm"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("#s2")
    seg = d.store.segment(sid, 2)
    assert (seg["translation"], seg["state"]) == ("Mine, now.", 50)


def test_story_text_is_escaped_everywhere(app, d):
    hostile = '<img src=x onerror="alert(1)">'
    sid = submitted_story(d, title=hostile)
    review.add_comment(d.store, sid, 2, "<b>bold</b>", "eve")
    c = client(app)
    sign_in(c, "eve")
    for path in ("/queue", f"/stories/{sid}", f"/stories/{sid}/history"):
        html = c.get(path).text
        assert "<img src=x" not in html and "<b>bold</b>" not in html
        assert "&lt;img src=x" in html


def test_story_page_shows_provenance_diff_findings_and_overrides(app, d):
    sid = submitted_story(d)
    c = client(app)
    sign_in(c, "eve")
    html = c.get(f"/stories/{sid}").text
    assert "Тест" in html  # the outlet
    assert "<ins>early </ins>" in html
    assert f"overridden by ana: {OVERRIDE}" in html
    assert "numbers.missing" in html and "sev-blocking" in html


def _queries(store, fn) -> int:
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        store.db.conn.set_trace_callback(None)
    return len([q for q in seen if q.lstrip().upper().startswith("SELECT")])


def test_the_story_page_reads_a_fixed_number_of_queries_whatever_its_length(d):
    from review_support import SENTENCES

    from translate.model import IngestedStory, Sentence, Unit
    from translate.views import story_page

    def story_of(n: int) -> str:
        units = [
            Unit("paragraph", s, [Sentence(s, " ")])
            for s, _ in (SENTENCES * (n // len(SENTENCES) + 1))[:n]
        ]
        return d.store.add_story(
            IngestedStory(title=f"t{n}", language="ru", units=units, text_hash=f"h{n}")
        )

    small, large = story_of(5), story_of(60)
    a = _queries(d.store, lambda: story_page(d.store, d.workflow, small))
    b = _queries(d.store, lambda: story_page(d.store, d.workflow, large))
    assert a == b and a < 15


def test_the_preview_of_an_unfinished_story_says_why_instead_of_a_frame(app, d):
    sid = make_story(d.store)
    c = client(app)
    sign_in(c, "eve")
    r = c.get(f"/stories/{sid}/preview")
    assert r.status_code == 200
    assert "segment 1 is not confirmed; nothing published" in r.text
    assert "<iframe" not in r.text


def test_a_translator_confirms_every_segment_and_submits_from_the_page(app, d):
    sid = make_story(d.store)
    c = client(app)
    sign_in(c, "ana")
    token = csrf_of(c.get(f"/stories/{sid}").text)
    r = c.post(f"/stories/{sid}/claim", data={"csrf": token}, follow_redirects=True)
    assert f"claimed &#39;{sid}&#39;" in r.text and "Confirm every segment" in r.text
    r = c.post(f"/stories/{sid}/confirm-all", data={"csrf": token}, follow_redirects=True)
    assert "6 segments confirmed" in r.text
    r = c.post(f"/stories/{sid}/submit", data={"csrf": token}, follow_redirects=True)
    assert f"submitted &#39;{sid}&#39; to the editors" in r.text
    assert d.store.story(sid)["state"] == 70


def test_the_segment_page_edits_for_those_who_may_and_says_why_to_others(app, d):
    sid = submitted_story(d)
    editor = client(app)
    sign_in(editor, "eve")
    html = editor.get(f"/stories/{sid}/segments/2").text
    version = d.store.segment(sid, 2)["version_id"]
    assert f'name="base" value="{version}"' in html
    assert "<ins>early </ins>" in html and 'id="next-seg"' in html and 'id="prev-seg"' in html
    translator = client(app)
    sign_in(translator, "ana")
    html = translator.get(f"/stories/{sid}/segments/2").text
    assert 'name="base"' not in html
    assert "is submitted and waits for an editor; only editors change it now" in html
    assert 'name="segment" value="2"' in html  # she may still comment on it


def test_serve_refuses_a_taken_port_in_one_line(d):
    import socket

    from cli_helpers import error_lines, invoke

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = invoke("serve", "--port", str(port))
    assert r.exit_code == 1
    [line] = error_lines(r)
    assert line.startswith(f"translate: error: cannot listen on 127.0.0.1:{port} (")


def test_house_style_changes_are_listed_and_a_translator_reverts_one(app, d):
    sid = make_story(d.store)
    names = add_localized(
        d.store,
        sid,
        2,
        [("times", "in the morning", "at 6 a.m."), ("names", "the capital", "Moscow")],
    )
    review.claim(d.store, d.workflow, sid, "ana")
    c = client(app)
    sign_in(c, "ana")
    html = c.get(f"/stories/{sid}").text
    times_line = (
        '<span class="rule">times</span>: <span class="before">in the morning</span> → '
        '<span class="after">at 6 a.m.</span>'
    )
    assert times_line in html
    assert '<span class="rule">names</span>: <span class="before">the capital</span>' in html
    assert html.count(f'action="/stories/{sid}/segments/2/revert"') == 2
    token = csrf_of(html)
    base = d.store.segment(sid, 2)["version_id"]
    form = {"base": str(base), "version": str(names[1])}

    r = c.post(f"/stories/{sid}/segments/2/revert", data=form)  # no CSRF token
    assert r.status_code == 403
    assert d.store.segment(sid, 2)["version_id"] == base

    r = c.post(f"/stories/{sid}/segments/2/revert", data={**form, "csrf": token})
    assert r.status_code == 200  # after the redirect back to the story
    assert "segment 2: reverted names change &#39;Moscow&#39; → &#39;the capital&#39;" in r.text
    assert d.store.segment(sid, 2)["translation"] == (
        "The minister arrived in the capital at 6 a.m.."
    )
    assert times_line in r.text and '<span class="rule">names</span>' not in r.text
    assert d.store.version(d.store.segment(sid, 2)["version_id"])["author"] == "ana"

    # a page read before that revert: stale, refused as a stale edit is, nothing saved
    stale = {"csrf": token, "base": str(base), "version": str(names[0])}
    r = c.post(f"/stories/{sid}/segments/2/revert", data=stale)
    assert r.status_code == 409
    assert "changed since you read it" in r.text
    assert d.store.segment(sid, 2)["translation"] == (
        "The minister arrived in the capital at 6 a.m.."
    )


def test_reverting_a_house_style_change_follows_the_library_roles(app, d):
    sid = make_story(d.store)
    [version] = add_localized(d.store, sid, 5, [("numbers", "the building", "building 3,000")])
    review.claim(d.store, d.workflow, sid, "ana")
    review.confirm_all(d.store, d.workflow, sid, "ana")
    review.submit(d.store, d.workflow, sid, "ana")
    c = client(app)
    sign_in(c, "ana")
    html = c.get(f"/stories/{sid}").text
    assert '<span class="rule">numbers</span>' in html  # still listed for her
    assert "/segments/5/revert" not in html  # but submitted: no button for a translator
    base = d.store.segment(sid, 5)["version_id"]
    data = {"csrf": csrf_of(html), "base": str(base), "version": str(version)}
    r = c.post(f"/stories/{sid}/segments/5/revert", data=data)
    assert r.status_code == 403
    assert d.store.segment(sid, 5)["version_id"] == base
    assert "refused" in [e["action"] for e in d.store.events(sid)]


def test_the_story_page_reads_house_style_changes_in_one_query(d):
    from translate.views import story_page

    plain = make_story(d.store)
    styled = make_story(d.store)
    for n in range(2, 7):
        add_localized(d.store, styled, n, [("numbers", ".", "!"), ("names", "e", "é")])
    assert (
        sum(
            len(s["localized"])
            for u in story_page(d.store, d.workflow, styled)["units"]
            for s in u["segments"]
        )
        >= 5
    )
    a = _queries(d.store, lambda: story_page(d.store, d.workflow, plain))
    b = _queries(d.store, lambda: story_page(d.store, d.workflow, styled))
    assert a == b
