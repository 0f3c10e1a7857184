"""JSON for a CMS: the published document as it is, one object, UTF-8, keys sorted."""

from __future__ import annotations

import json
from typing import Any

SCHEMA = "translate-desk/publication/1"


def render(doc: dict[str, Any]) -> str:
    return (
        json.dumps({"schema": SCHEMA, **doc}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
