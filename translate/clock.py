"""One clock for the desk, so tests can freeze time (TRANSLATE_NOW=2012-10-15T09:00:00+00:00)."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    frozen = os.environ.get("TRANSLATE_NOW")
    if frozen:
        value = datetime.fromisoformat(frozen)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


def now_iso() -> str:
    return now().isoformat(timespec="seconds")
