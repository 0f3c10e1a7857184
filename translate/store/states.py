"""The state ladders (ordered, as in Translate Toolkit's workflow): a queue is `state >= X`."""

from __future__ import annotations

from enum import IntEnum


class StoryState(IntEnum):
    INGESTED = 10
    TRANSLATED = 30  # machine draft ready (or queued untranslated when no engine serves the pair)
    IN_TRANSLATION = 50  # claimed by a translator (also where a rejected story returns)
    SUBMITTED = 70
    APPROVED = 90
    PUBLISHED = 100

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> StoryState:
        return cls[name.strip().upper().replace("-", "_").replace(" ", "_")]


class SegmentState(IntEnum):
    UNTRANSLATED = 0
    MACHINE = 10
    EDITED = 30
    CONFIRMED = 50

    @property
    def label(self) -> str:
        return self.name.lower()
