"""Command: serve — the editors' desk in the browser (translate/web), run by uvicorn.

Starlette, Jinja2 and uvicorn are imported inside the command, never at CLI start-up.
"""

from __future__ import annotations

import os

import click

from translate.cli.context import Desk, pass_desk
from translate.cli.output import info
from translate.i18n import _


def _check_address(host: str, port: int) -> None:
    """Refuse in one line an address we cannot listen on (taken port, unknown host), before
    anything starts."""
    import socket

    from translate.errors import DeskError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _canon, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise DeskError(
            _("cannot listen on {host}:{port} ({reason})").format(
                host=host, port=port, reason=exc.strerror or exc
            )
        ) from None


@click.command(
    help=_(
        "Serve the desk in a browser: the queue, each story side by side with its changes, "
        "findings and history, approve and send back, the publish preview. Sign-in with "
        "'translate team passwd' passwords. Listens on 127.0.0.1 unless told; put it behind a "
        "reverse proxy with TLS to serve a network (docs/web.md)."
    )
)
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Address to listen on."))
@click.option("--port", default=8000, show_default=True, type=int, help=_("Port to listen on."))
@click.option(
    "--idle-minutes",
    default=30,
    show_default=True,
    type=click.IntRange(1, 24 * 60),
    help=_("Sign a session out after this many minutes without a request."),
)
@pass_desk
def serve(desk: Desk, host: str, port: int, idle_minutes: int) -> None:
    import logging

    import uvicorn

    from translate.web.app import create_app

    workflow = desk.workflow
    _check_address(host, port)
    desk.store  # noqa: B018 - open (and migrate) the store now: a bad store fails before listening
    # TRANSLATE_WEB_SECRET keeps sessions across restarts (and across workers); else a random key
    secret = os.environ.get("TRANSLATE_WEB_SECRET")
    app = create_app(
        workflow.path,
        secret=secret.encode("utf-8") if secret else None,
        idle_seconds=idle_minutes * 60,
    )
    info(
        _("serving {path} at http://{host}:{port}/").format(
            path=workflow.path, host=host, port=port
        )
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        info(
            _(
                "warning: {host} is reachable from other machines over plain HTTP; serve it "
                "through a reverse proxy with TLS (docs/web.md)"
            ).format(host=host)
        )
    web_log = logging.getLogger("translate.web")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    web_log.addHandler(handler)
    web_log.setLevel(logging.INFO)
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,  # X-Forwarded-Proto from a proxy on this machine marks HTTPS
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        log_level="info",
    )
