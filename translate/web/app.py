"""The web front's Starlette application: routes parse, call the library, render.

Every route reads or changes the desk through the functions the CLI calls (translate.review,
translate.publish, translate.views, translate.auth); a refusal of the library (DeskError) becomes
the page's answer: 403 for a role the user lacks (and a `refused` event in the story's log), 409
for a stale edit or someone else's claim, 400 otherwise. Store work runs in the thread pool, each
thread with its own store connection.
"""

from __future__ import annotations

import logging
import secrets
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from translate import i18n
from translate.errors import ConflictError, DeskError, RoleError
from translate.i18n import _, ngettext
from translate.review.access import ClaimError
from translate.web.security import (
    COOKIE,
    CSP,
    HEADERS,
    PREVIEW_CSP,
    Sessions,
    SignInLimiter,
    csrf_ok,
)

HERE = Path(__file__).resolve().parent
# Operational lines (refused sign-ins, refused actions): names and addresses, never a password,
# a cookie or a token. `translate serve` prints them beside uvicorn's access log.
log = logging.getLogger("translate.web")


class ServedDesk:
    """The desk a server serves: its workflow (reloaded when workflow.yaml changes, so team
    changes apply at once; on a PostgreSQL desk whose team lives in the database, with that team,
    read per request) and one store connection per worker thread."""

    def __init__(self, workflow_path: str | Path | None = None):
        from translate.config import load

        self.path = load(workflow_path).path
        self._workflow = None
        self._stamp: tuple | None = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def _file(self):
        from translate.config import load_workflow

        st = self.path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if self._workflow is None or stamp != self._stamp:
                self._workflow, self._stamp = load_workflow(self.path), stamp
            return self._workflow

    def workflow(self):
        workflow = self._file()
        if getattr(workflow, "team_mode", False):
            from translate.team import team_from_store

            return team_from_store(self.store(), workflow)
        return workflow

    def store(self):
        store = getattr(self._local, "store", None)
        if store is None:
            from translate.store import open_store

            store = self._local.store = open_store(self._file().store)
        return store


# ---------------------------------------------------------------- rendering


def _environment() -> Environment:
    from translate.publish.render_html import safe_url
    from translate.review.access import format_time

    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_=lambda m: _(m), ngettext=ngettext, format_time=format_time, quote=quote)
    env.filters["safe_url"] = safe_url  # links only to http(s): never javascript:
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = request.state.session
    user = session.get("user")
    workflow = request.app.state.desk.workflow() if user else None
    base = {
        "request": request,
        "user": user,
        "roles": workflow.roles_of(user) if user else [],
        "csrf": session["csrf"],
        "flash": session.pop("flash", None),
        "ui_lang": i18n.ui_language(),
    }
    html = request.app.state.templates.get_template(template).render({**base, **context})
    return HTMLResponse(html, status_code=status)


# ---------------------------------------------------------------- request helpers


class SignInRequired(Exception):
    pass


def _user(request: Request) -> str:
    """The signed-in user; a person taken off the team is signed out at once."""
    session = request.state.session
    user = session.get("user")
    if not user:
        raise SignInRequired
    if not request.app.state.desk.workflow().roles_of(user):
        session["user"] = None
        raise SignInRequired
    return user


async def _form(request: Request) -> dict[str, str]:
    """The POSTed form, refused (403) without the session's CSRF token."""
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    if not csrf_ok(request.state.session, data.get("csrf")):
        raise HTTPException(403, _("the form has expired or did not come from this desk; reload"))
    return data


async def _call(request: Request, fn, *args, **kwargs):
    """Run a library call with this thread's store and the current workflow."""
    desk: ServedDesk = request.app.state.desk

    def work():
        return fn(desk.store(), desk.workflow(), *args, **kwargs)

    return await run_in_threadpool(work)


def _back(request: Request, story_id: str, message: str, anchor: str = "") -> RedirectResponse:
    request.state.session["flash"] = message
    return RedirectResponse(f"/stories/{quote(story_id, safe='')}{anchor}", status_code=303)


# ---------------------------------------------------------------- pages


async def home(request: Request) -> Response:
    target = "/queue" if request.state.session.get("user") else "/signin"
    return RedirectResponse(target, status_code=303)


def _local_path(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never //elsewhere or a URL)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/queue"


async def signin_page(request: Request) -> Response:
    return render(request, "signin.html", next=_local_path(request.query_params.get("next")))


async def signin(request: Request) -> Response:
    form = await _form(request)
    name, password = form.get("name", "").strip(), form.get("password", "")
    address = request.client.host if request.client else "-"
    limiter: SignInLimiter = request.app.state.limiter
    if not limiter.allowed(name, address):
        log.warning("sign-in over the limit for %r from %s", name, address)
        return render(
            request,
            "signin.html",
            429,
            error=_("too many failed sign-ins; wait a few minutes and try again"),
            name=name,
            next=_local_path(form.get("next")),
        )
    from translate.auth import authenticate

    def check(store, workflow):
        return authenticate(store, workflow, name, password)

    user = await _call(request, check)
    if not user:
        limiter.failed(name, address)
        log.warning("sign-in refused for %r from %s", name, address)
        return render(
            request,
            "signin.html",
            401,
            error=_("wrong name or password"),
            name=name,
            next=_local_path(form.get("next")),
        )
    limiter.succeeded(name)
    fresh = request.app.state.sessions.new()  # a new token: no session fixation
    request.state.session.clear()
    request.state.session.update(fresh, user=user)
    return RedirectResponse(_local_path(form.get("next")), status_code=303)


async def signout(request: Request) -> Response:
    await _form(request)
    request.state.session.clear()
    request.state.session.update(request.app.state.sessions.new())
    return RedirectResponse("/signin", status_code=303)


async def queue_page(request: Request) -> Response:
    from translate.review import queue

    user = _user(request)
    rows = await _call(request, queue, user)
    review = [r for r in rows if r["task"] == "review"]
    translate = [r for r in rows if r["task"] != "review"]
    return render(request, "queue.html", review=review, translate=translate)


def _story_data(store, workflow, story_id: str, user: str) -> dict:
    from translate.review.access import may_change, require_member
    from translate.views import story_page

    require_member(workflow, user)
    page = story_page(store, workflow, story_id)
    try:
        may_change(workflow, store.story(story_id), user)
        page["can_edit"] = True
    except DeskError:
        page["can_edit"] = False
    return page


async def story_page(request: Request) -> Response:
    user = _user(request)
    story_id = request.path_params["id"]
    page = await _call(request, _story_data, story_id, user)
    return render(
        request, "story.html", story=page, show_diff=request.query_params.get("diff") == "1"
    )


async def segment_page(request: Request) -> Response:
    user = _user(request)
    story_id, number = request.path_params["id"], request.path_params["n"]

    def load(store, workflow):
        from translate.review.access import may_change, require_member
        from translate.views import segment_page as view

        require_member(workflow, user)
        page = view(store, workflow, story_id, number)
        try:
            may_change(workflow, store.story(story_id), user)
            page["can_edit"] = True
        except DeskError as exc:
            page["can_edit"], page["why_not"] = False, exc.message
        return page

    page = await _call(request, load)
    return render(request, "segment.html", seg=page)


async def history_page(request: Request) -> Response:
    user = _user(request)
    story_id = request.path_params["id"]

    def load(store, workflow):
        from translate.review.access import require_member

        require_member(workflow, user)
        return store.story(story_id), store.story_events(story_id)

    story, events = await _call(request, load)
    return render(request, "history.html", story=story, events=events)


async def preview_page(request: Request) -> Response:
    user = _user(request)
    story_id = request.path_params["id"]

    def load(store, workflow):
        from translate.publish import preview
        from translate.review.access import require_member

        require_member(workflow, user)
        story = store.story(story_id)
        try:
            preview(store, workflow, story_id, "html")
        except DeskError as exc:  # e.g. unconfirmed segments: say so here, not in the frame
            return story, exc.message
        return story, None

    story, problem = await _call(request, load)
    return render(request, "preview.html", story=story, problem=problem)


async def preview_html(request: Request) -> Response:
    user = _user(request)
    story_id = request.path_params["id"]
    from translate.publish import preview

    def load(store, workflow):
        from translate.review.access import require_member

        require_member(workflow, user)
        return preview(store, workflow, story_id, "html")

    html = await _call(request, load)
    response = HTMLResponse(html)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


# ---------------------------------------------------------------- actions


async def approve(request: Request) -> Response:
    from translate.review import approve as do

    user = _user(request)
    form = await _form(request)
    story_id = request.path_params["id"]
    done = await _call(request, do, story_id, user, (form.get("note") or "").strip() or None)
    if done["approved"]:
        message = _("approved '{id}'").format(id=story_id)
    else:
        message = _("approval {n} of {needed} recorded for '{id}'").format(
            n=done["approvals"], needed=done["needed"], id=story_id
        )
    return _back(request, story_id, message)


async def reject(request: Request) -> Response:
    from translate.review import reject as do

    user = _user(request)
    form = await _form(request)
    story_id = request.path_params["id"]
    done = await _call(request, do, story_id, user, form.get("note", ""))
    who = done["returned_to"] or "-"
    return _back(request, story_id, _("sent '{id}' back to {user}").format(id=story_id, user=who))


async def claim(request: Request) -> Response:
    from translate.review import claim as do

    user = _user(request)
    await _form(request)
    story_id = request.path_params["id"]
    await _call(request, do, story_id, user)
    return _back(request, story_id, _("claimed '{id}'").format(id=story_id))


async def submit(request: Request) -> Response:
    from translate.review import submit as do

    user = _user(request)
    form = await _form(request)
    story_id = request.path_params["id"]
    await _call(request, do, story_id, user, (form.get("override") or "").strip() or None)
    return _back(request, story_id, _("submitted '{id}' to the editors").format(id=story_id))


async def comment(request: Request) -> Response:
    from translate.review import add_comment

    user = _user(request)
    form = await _form(request)
    story_id = request.path_params["id"]
    number = int(form["segment"]) if form.get("segment", "").isdigit() else None

    def do(store, workflow):
        from translate.review.access import require_member

        require_member(workflow, user)
        return add_comment(store, story_id, number, form.get("text", ""), user)

    await _call(request, do)
    anchor = f"#s{number}" if number else ""
    return _back(request, story_id, _("comment saved"), anchor)


def _base(form: dict[str, str]) -> int | None:
    value = form.get("base", "")
    if not value.isdigit():
        raise DeskError(_("the form lacks the version it was based on; reload the page"))
    return int(value)


async def edit(request: Request) -> Response:
    from translate.review import confirm_segment, edit_segment

    user = _user(request)
    form = await _form(request)
    story_id, number = request.path_params["id"], request.path_params["n"]
    base = _base(form)
    confirm = form.get("action") == "confirm"

    def do(store, workflow):
        version = edit_segment(store, workflow, story_id, number, form.get("text", ""), user, base)
        if confirm:
            confirm_segment(store, workflow, story_id, number, user, base_version_id=version)
        return version

    await _call(request, do)
    message = (_("segment {n} saved and confirmed") if confirm else _("segment {n} saved")).format(
        n=number
    )
    return _back(request, story_id, message, f"#s{number}")


async def confirm(request: Request) -> Response:
    from translate.review import confirm_segment

    user = _user(request)
    form = await _form(request)
    story_id, number = request.path_params["id"], request.path_params["n"]
    base = _base(form)
    await _call(request, confirm_segment, story_id, number, user, base_version_id=base)
    return _back(request, story_id, _("segment {n} confirmed").format(n=number), f"#s{number}")


async def revert(request: Request) -> Response:
    """Undo one house-style change (the form names its version) through the library function of
    `translate revert`: roles and claims are the library's, a stale page gets 409."""
    from translate.localize.revert import revert_change

    user = _user(request)
    form = await _form(request)
    story_id, number = request.path_params["id"], request.path_params["n"]
    base = _base(form)
    version = int(form["version"]) if form.get("version", "").isdigit() else None
    new, change = await _call(request, revert_change, story_id, number, user, version, base)
    message = _(
        "segment {n}: reverted {rule} change '{before}' → '{after}' (saved as version {v})"
    ).format(n=number, rule=change["rule"], before=change["after"], after=change["before"], v=new)
    return _back(request, story_id, message, f"#s{number}")


async def confirm_all(request: Request) -> Response:
    from translate.review import confirm_all as do

    user = _user(request)
    await _form(request)
    story_id = request.path_params["id"]
    done = await _call(request, do, story_id, user)
    message = ngettext(
        "{n} segment confirmed", "{n} segments confirmed", len(done["confirmed"])
    ).format(n=len(done["confirmed"]))
    return _back(request, story_id, message)


# ---------------------------------------------------------------- errors


async def _refused(request: Request, exc: DeskError) -> None:
    """Record a refused action in the story's events log (who, what, the library's reason)."""
    story_id = request.path_params.get("id")
    action = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    user = request.state.session.get("user")

    def record(store, workflow):
        with store.write():
            store.log("refused", story_id, user=user, after={"action": action}, note=exc.message)

    await _call(request, record)
    log.warning("refused %s of %r for %r: %s", action, story_id, user, exc.message)


async def desk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DeskError)
    if isinstance(exc, RoleError):
        status = 403
        if request.method == "POST":
            await _refused(request, exc)
    elif isinstance(exc, ConflictError | ClaimError):
        status = 409
    else:
        status = 400
    conflict = None
    if hasattr(exc, "theirs"):
        conflict = {"theirs": exc.theirs, "yours": exc.yours, "version": exc.version_id}
    story_id = request.path_params.get("id")
    return render(
        request, "error.html", status, message=exc.message, conflict=conflict, story_id=story_id
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return render(request, "error.html", exc.status_code, message=exc.detail, conflict=None)


async def sign_in_first(request: Request, exc: Exception) -> Response:
    if request.method == "GET":
        return RedirectResponse("/signin?next=" + quote(request.url.path), status_code=303)
    return render(request, "error.html", 401, message=_("sign in first"), conflict=None)


# ---------------------------------------------------------------- the application


class SessionAndHeaders:
    """Loads the session from its signed cookie, re-signs it on the way out (the idle timeout
    counts from the last request) and sets the security headers on every answer. Plain ASGI, so
    a large page streams through untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        sessions: Sessions = scope["app"].state.sessions
        static = request.url.path.startswith("/static/")
        session = sessions.load(None if static else request.cookies.get(COOKIE))
        request.state.session = session
        secure = request.url.scheme == "https"

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**HEADERS, "Content-Security-Policy": CSP}.items():
                    if name not in headers:
                        headers[name] = value
                if not static:
                    if "cache-control" not in headers:
                        headers["Cache-Control"] = "no-store"
                    cookie = Response()
                    cookie.set_cookie(value=sessions.dump(session), **sessions.cookie_args(secure))
                    headers.append("set-cookie", cookie.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    workflow_path: str | Path | None = None,
    *,
    secret: bytes | None = None,
    idle_seconds: int | None = None,
    limiter: SignInLimiter | None = None,
) -> Starlette:
    """The application serving the desk of `workflow_path` (default: found from the cwd).
    `secret` signs the session cookies (default: random per process, so a restart signs
    everyone out)."""
    from translate.web.security import IDLE_SECONDS

    desk = ServedDesk(workflow_path)
    routes = [
        Route("/", home),
        Route("/signin", signin_page, methods=["GET"]),
        Route("/signin", signin, methods=["POST"]),
        Route("/signout", signout, methods=["POST"]),
        Route("/queue", queue_page),
        Route("/stories/{id}", story_page),
        Route("/stories/{id}/history", history_page),
        Route("/stories/{id}/preview", preview_page),
        Route("/stories/{id}/preview.html", preview_html),
        Route("/stories/{id}/approve", approve, methods=["POST"]),
        Route("/stories/{id}/reject", reject, methods=["POST"]),
        Route("/stories/{id}/claim", claim, methods=["POST"]),
        Route("/stories/{id}/submit", submit, methods=["POST"]),
        Route("/stories/{id}/comment", comment, methods=["POST"]),
        Route("/stories/{id}/segments/{n:int}", segment_page),
        Route("/stories/{id}/segments/{n:int}/edit", edit, methods=["POST"]),
        Route("/stories/{id}/segments/{n:int}/confirm", confirm, methods=["POST"]),
        Route("/stories/{id}/segments/{n:int}/revert", revert, methods=["POST"]),
        Route("/stories/{id}/confirm-all", confirm_all, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SessionAndHeaders)],
        exception_handlers={
            DeskError: desk_error,
            HTTPException: http_error,
            SignInRequired: sign_in_first,
        },
    )
    app.state.desk = desk
    app.state.sessions = Sessions(secret or secrets.token_bytes(32), idle_seconds or IDLE_SECONDS)
    app.state.limiter = limiter or SignInLimiter()
    app.state.templates = _environment()
    return app
