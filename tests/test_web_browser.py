"""The web front in a real browser: Debian's chromium driven by Playwright, against the real
server (`python -m translate serve` on a free port) on a desk built with the library.

Screenshots of the queue and the story page are saved under the test's folder, and also into
$TRANSLATE_SCREENSHOTS when set (that is how docs/web-*.png are refreshed).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import ROOT, invoke
from playwright.sync_api import expect, sync_playwright
from review_support import open_desk
from screen_support import Term
from web_support import EDITED, OVERRIDE, PASSWORDS, submitted_story, with_passwords

CHROMIUM = "/usr/bin/chromium"
XSS = "<script>alert(1)</script>"
NOTE = "Segment 2: 'early' is not in the source."
FIX = "The minister arrived in the capital in the morning, as planned."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site(desk, tmp_path):
    """The desk with passwords, a submitted story and a hostile-titled one, served for real."""
    d = open_desk(desk)
    with_passwords(d)
    sid = submitted_story(d)
    xss = submitted_story(d, title=XSS)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    from translate.clock import now_iso

    now = now_iso()  # the server's clock stands still, so its preview can be compared with publish
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        TRANSLATE_WORKFLOW=str(desk / "workflow.yaml"),
        TRANSLATE_NOW=now,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "translate", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    yield {
        "url": f"http://127.0.0.1:{port}",
        "desk": d,
        "sid": sid,
        "xss": xss,
        "log": log,
        "now": now,
    }
    server.terminate()
    server.wait(timeout=30)
    log.close()
    d.store.close()


@pytest.fixture
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def screenshots(tmp_path: Path, page, name: str) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    extra = os.environ.get("TRANSLATE_SCREENSHOTS")
    if extra:
        shutil.copy(path, Path(extra) / f"web-{name}.png")
    return path


class Watch:
    """A page's alerts and CSP complaints: a story must never run script."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on(
            "console",
            lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None,
        )


def signed_in(browser, site, name: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    page.goto(site["url"] + "/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    return context, page, watch


def unlabelled(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
               .filter(e => !e.labels || !e.labels.length).map(e => e.outerHTML)"""
    )


def fits(page, width: int) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= width


def review_screen_shows(story_id: str, pattern: str) -> None:
    """`translate review` (the terminal screen, in a pseudo-terminal read through a terminal
    emulator) shows the editor's note."""
    term = Term(["review", story_id], 40, 160, {"TRANSLATE_USER": "ana"})
    term.wait(r"q quit")
    term.wait(pattern)
    term.send("q")
    assert term.finish() == 0


def test_reject_fix_approve_preview_in_a_real_browser(site, browser, tmp_path, monkeypatch):
    url, d, sid = site["url"], site["desk"], site["sid"]

    # ---- the editor reads the story, sees the diff and the override, sends it back
    eve_ctx, eve, eve_watch = signed_in(browser, site, "eve")
    expect(eve.get_by_role("link", name="Визит министра")).to_be_visible()
    assert unlabelled(eve) == []
    screenshots(tmp_path, eve, "queue")
    eve.locator(f'a[href="/stories/{sid}"]').click()
    expect(eve.locator("h1")).to_have_text("Визит министра")
    diff = eve.locator("#s2 .diff")
    expect(diff).to_be_hidden()
    eve.keyboard.press("d")
    expect(diff).to_be_visible()
    expect(diff.locator("ins")).to_have_text("early ")
    expect(eve.locator("#s3 .finding")).to_contain_text("numbers.missing")
    expect(eve.locator("#s3 .override")).to_contain_text(f"overridden by ana: {OVERRIDE}")
    eve.keyboard.press("j")
    eve.keyboard.press("j")
    expect(eve.locator("#s2")).to_be_focused()
    eve.keyboard.press("k")
    expect(eve.locator("#s1")).to_be_focused()
    eve.keyboard.press("?")
    expect(eve.locator("dialog#help")).to_be_visible()
    eve.keyboard.press("Escape")
    assert unlabelled(eve) == []
    screenshots(tmp_path, eve, "story")
    eve.keyboard.press("r")
    expect(eve.locator("#reject-note")).to_be_focused()
    eve.keyboard.type(NOTE)
    eve.get_by_role("button", name="Send back (r)").click()
    expect(eve.locator(".flash")).to_have_text(f"sent '{sid}' back to ana")

    # ---- the translator sees the note in the terminal: `translate queue` and `translate review`
    queued = invoke("queue")
    assert queued.exit_code == 0, queued.stderr
    assert f"'{sid}' was sent back: {NOTE}" in queued.stdout
    review_screen_shows(sid, r"#\s+eve: " + re.escape(NOTE))

    # ---- the translator fixes segment 2 in the browser; a second window of hers is stale
    ana_ctx, ana, _ = signed_in(browser, site, "ana")
    expect(ana.locator(".note").first).to_have_text(NOTE)
    ana.goto(f"{url}/stories/{sid}")
    other_ctx, other, _ = signed_in(browser, site, "ana")
    other.goto(f"{url}/stories/{sid}/segments/2")
    ana.keyboard.press("j")
    ana.keyboard.press("j")
    ana.keyboard.press("e")  # opens segment 2 with its edit field
    expect(ana.get_by_role("heading", name="Segment 2")).to_be_visible()
    expect(ana.get_by_label("English for segment 2")).to_have_value(EDITED)
    ana.get_by_label("English for segment 2").fill(FIX)
    ana.get_by_role("button", name="Save and confirm").click()
    expect(ana.locator(".flash")).to_have_text("segment 2 saved and confirmed")
    expect(ana.locator("#s2 .current")).to_have_text(FIX)
    other.get_by_label("English for segment 2").fill("A competing edit.")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.locator(".conflict .theirs")).to_have_text(FIX)
    expect(other.locator(".conflict .yours")).to_have_text("A competing edit.")
    assert d.store.segment(sid, 2)["translation"] == FIX  # nothing saved from the stale form
    other_ctx.close()

    # ---- a translator's hand-made approve POST is refused and logged
    token = ana.locator('input[name="csrf"]').first.get_attribute("value")
    refused = ana.request.post(f"{url}/stories/{sid}/approve", form={"csrf": token})
    assert refused.status == 403
    last = d.store.events(sid)[-1]
    assert (last["action"], last["user"]) == ("refused", "ana")
    assert "approve" in last["after"]

    ana.get_by_role("button", name="Submit to the editors").click()
    expect(ana.locator(".flash")).to_have_text(f"submitted '{sid}' to the editors")
    ana_ctx.close()

    # ---- the editor approves (a, Enter) and opens the publish preview
    eve.goto(f"{url}/stories/{sid}")
    eve.keyboard.press("a")
    expect(eve.locator("#approve-note")).to_be_focused()
    eve.keyboard.type("Good to go.")
    eve.keyboard.press("Enter")
    expect(eve.locator(".flash")).to_have_text(f"approved '{sid}'")
    eve.get_by_role("link", name="Publish preview").click()
    frame = eve.frame_locator("iframe.published")
    expect(frame.locator("h1")).to_have_text("The minister's visit")
    expect(frame.locator("article")).to_contain_text(FIX)
    served = eve.request.get(f"{url}/stories/{sid}/preview.html").text()
    monkeypatch.setenv("TRANSLATE_NOW", site["now"])
    published = invoke(
        "--user", "eve", "publish", sid, "--format", "html", "--out", tmp_path / "out"
    )
    assert published.exit_code == 0, published.stderr
    [written] = (tmp_path / "out").glob("*.html")
    assert served == written.read_text(encoding="utf-8")  # the preview is what publish wrote
    eve.get_by_role("link", name="History").click()
    expect(eve.locator("tr.ev-reject")).to_contain_text(NOTE)
    expect(eve.locator("tr.ev-refused")).to_contain_text("ana")
    assert eve_watch.dialogs == [] and eve_watch.csp == []
    eve_ctx.close()

    # ---- nothing secret in the server's log
    site["log"].flush()
    logged = (tmp_path / "server.log").read_text()
    assert "GET /queue" in logged
    for secret in PASSWORDS.values():
        assert secret not in logged
    assert "desk_session" not in logged and token not in logged


def test_hostile_title_renders_as_text_and_runs_nothing(site, browser, tmp_path):
    context, page, watch = signed_in(browser, site, "eve", width=390)
    link = page.get_by_role("link", name=XSS)
    expect(link).to_be_visible()
    assert fits(page, 390)
    link.click()
    expect(page.locator("h1")).to_have_text(XSS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content()
    assert page.locator("main script").count() == 0
    assert fits(page, 390)
    assert unlabelled(page) == []
    page.keyboard.press("d")
    expect(page.locator("#s2 .diff")).to_be_visible()
    screenshots(tmp_path, page, "story-390")
    assert watch.dialogs == []
    assert watch.csp == []
    context.close()


def test_signin_refuses_wrong_password_and_sends_strangers_to_signin(site, browser, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site["url"] + f"/stories/{site['sid']}")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Name").fill("eve")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong name or password")
    cookies = {c["name"]: c for c in context.cookies()}
    session = cookies["desk_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    context.close()
    site["log"].flush()
    logged = (tmp_path / "server.log").read_text()
    assert "sign-in refused for 'eve' from 127.0.0.1" in logged
    assert "not-her-password" not in logged and session["value"] not in logged
