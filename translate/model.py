"""Plain data that flows between stages (no SQL, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field

UNIT_KINDS = ("headline", "dek", "dateline", "paragraph", "caption", "quote", "subhead", "byline")


@dataclass
class Sentence:
    """One segment of a unit: its text and the whitespace that follows it in the unit."""

    text: str
    ws: str = ""


@dataclass
class Unit:
    kind: str
    text: str
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class IngestedStory:
    """What a reader produced from one file, before it is stored."""

    title: str
    language: str
    units: list[Unit]
    dek: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    updated: str | None = None
    dateline: str | None = None
    rights: str | None = None
    source_path: str | None = None
    source_format: str | None = None
    source_encoding: str | None = None
    source_sha256: str | None = None
    text_hash: str | None = None
    priority: int = 0
    deadline: str | None = None  # UTC ISO 8601 (see translate/deadlines.py)
    extra: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # said at ingest, not stored

    def plain_text(self) -> str:
        return "\n\n".join(u.text for u in self.units)
