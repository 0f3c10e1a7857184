"""What the exchange formats carry: a story's segments going out, translated entries coming back.

Every format names a segment `<story_id>#<number>` (segment numbers are stable within a story) and
records, next to it, the translation version it was exported with, so an import can tell an edit
made on the desk since the export (a conflict) from the translator's own change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translate.store.states import SegmentState

REF_RE = re.compile(r"^(?P<story>.+)#(?P<number>[0-9]+)$")
# "version=12 state=machine" (version "-" when the segment had no translation at export)
META_RE = re.compile(r"^version=(?P<version>[0-9]+|-) state=(?P<state>[a-z]+)$")


def segment_ref(story_id: str, number: int) -> str:
    return f"{story_id}#{number}"


def parse_ref(ref: str | None) -> tuple[str, int] | None:
    m = REF_RE.match((ref or "").strip())
    return (m.group("story"), int(m.group("number"))) if m else None


def meta_text(version_id: int | None, state: int) -> str:
    return (
        f"version={version_id if version_id is not None else '-'} state={SegmentState(state).label}"
    )


def parse_meta(text: str | None) -> tuple[int | None, str] | None:
    """(version id or None, state label) from a meta_text(), else None."""
    m = META_RE.match((text or "").strip())
    if not m:
        return None
    version = m.group("version")
    return (None if version == "-" else int(version)), m.group("state")


@dataclass
class OutSegment:
    """One segment as every export format needs it."""

    number: int
    ref: str
    source: str
    translation: str | None
    state: int  # SegmentState
    origin: str | None
    version_id: int | None
    unit_kind: str
    unit_position: int
    glossary: list[str] = field(default_factory=list)  # "Кремль → Kremlin (preferred)"
    findings: list[dict] = field(default_factory=list)  # open findings: code, severity, message

    @property
    def meta(self) -> str:
        return meta_text(self.version_id, self.state)

    @property
    def needs_review(self) -> bool:
        """Translated but not confirmed yet (a machine draft or an unconfirmed edit)."""
        return self.translation is not None and self.state < SegmentState.CONFIRMED


@dataclass
class OutStory:
    id: str
    title: str
    source_lang: str
    target_lang: str
    segments: list[OutSegment]


@dataclass
class InEntry:
    """One translated entry read back from a file."""

    where: str  # "file:line" or "file: unit 3", for messages
    ref: str | None
    source: str
    target: str | None
    done: bool  # the translator marked it finished (PO: not fuzzy; XLIFF: signed-off/final)
    meta: tuple[int | None, str] | None  # (exported version id, exported state) when present
    plural: bool = False
    # the file marks the target as machine text not yet reviewed (XLIFF 1.2 state-qualifier
    # mt-suggestion / leveraged-mt on a needs-* state; XLIFF 2.0 initial + subState desk:mt)
    machine: bool = False


@dataclass
class InFile:
    path: str
    format: str  # po, xliff, xliff2
    story_id: str | None
    entries: list[InEntry]
    ignored: dict[str, int] = field(default_factory=dict)  # obsolete entries etc.
    # (language code, where the file says it) when the file declares it
    source_lang: tuple[str, str] | None = None
    target_lang: tuple[str, str] | None = None
