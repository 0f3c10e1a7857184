"""Which store a test opens: the given SQLite path, or the PostgreSQL schema of this test when the
test runs on the postgresql half of a both_backends module (TRANSLATE_DATABASE_URL, see conftest)."""

from __future__ import annotations

import os
from pathlib import Path


def store_at(path: Path) -> Path | str:
    return os.environ.get("TRANSLATE_DATABASE_URL") or path
