"""Sessions, CSRF, sign-in rate limits and security headers for the web front.

- The session is a cookie signed with itsdangerous (HMAC-SHA1 over a key derived from the
  server's secret) holding the user's name, a CSRF token and when it began. It is re-signed on
  every response, and a signature older than the idle timeout is refused, so an unused session
  expires; a session also ends after `MAX_SESSION_SECONDS` whatever its use. HttpOnly,
  SameSite=Strict, and Secure when the request came over HTTPS (directly or through a proxy that
  uvicorn trusts for X-Forwarded-Proto).
- Every form carries the session's CSRF token; a POST without the right one is refused (403).
- Failed sign-ins are counted per user name and per client address in a sliding window; over
  the limit, sign-in is refused (429) until the window passes. Kept in memory (one process).
- Nothing here logs a password, a cookie or a token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "desk_session"
IDLE_SECONDS = 30 * 60
MAX_SESSION_SECONDS = 12 * 3600

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# The publish preview is the exact page `translate publish` writes: shown in a sandboxed frame
# of our own pages only; it runs nothing (its only <script> is JSON-LD data).
PREVIEW_CSP = "default-src 'none'; img-src 'self' data:; sandbox; frame-ancestors 'self'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class Sessions:
    """Encode and decode the session cookie."""

    def __init__(self, secret: bytes, idle_seconds: int = IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self._serializer = URLSafeTimedSerializer(secret, salt="translate.web.session")

    def new(self) -> dict:
        return {"csrf": secrets.token_urlsafe(32), "user": None, "start": int(time.time())}

    def load(self, cookie: str | None) -> dict:
        """The session in `cookie`, or a fresh anonymous one (missing, forged, idle or too old)."""
        if cookie:
            try:
                data = self._serializer.loads(cookie, max_age=self.idle_seconds)
            except BadSignature:  # includes SignatureExpired: idle for too long
                data = None
            if (
                isinstance(data, dict)
                and isinstance(data.get("csrf"), str)
                and time.time() - int(data.get("start", 0)) < MAX_SESSION_SECONDS
            ):
                return data
        return self.new()

    def dump(self, session: dict) -> str:
        return self._serializer.dumps(session)

    def cookie_args(self, secure: bool) -> dict:
        return {
            "key": COOKIE,
            "max_age": self.idle_seconds,
            "httponly": True,
            "samesite": "strict",
            "secure": secure,
            "path": "/",
        }


def csrf_ok(session: dict, token: str | None) -> bool:
    expected = session.get("csrf") or ""
    return bool(token) and hmac.compare_digest(expected.encode(), str(token).encode())


@dataclass
class SignInLimiter:
    """Failed sign-ins per user name and per address within `window` seconds."""

    per_user: int = 5
    per_address: int = 20
    window: float = 15 * 60
    _failures: dict[tuple[str, str], deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str], now: float) -> deque:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def allowed(self, name: str, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return (
                len(self._recent(("user", name.lower()), now)) < self.per_user
                and len(self._recent(("addr", address), now)) < self.per_address
            )

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(("user", name.lower()), now).append(now)
            self._recent(("addr", address), now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(("user", name.lower()), None)
