"""Times: «в 06.00», «a las 18:30 horas» -> at 6 a.m., at 6:30 p.m. (noon, midnight).

A time is taken from the source only where it is marked as one (a preposition such as «a las»,
«в», «к», or «horas», «ч.» after it), so "3.14" or a score stay numbers. The draft's rendering is the
same figures ("06.00", "6:00", "18.30") with the engine's preposition and hour word around them
("to the 06.00 hours" -> "at 6 a.m."). The hour is written with babel's English time pattern
(h:mm a), in AP's a.m./p.m. with ":00" dropped.
"""

from __future__ import annotations

import datetime
import re

from translate.localize.common import Context, Edit

RULE = "times"
OPTIONS = {"style": ("ap", "24h")}

_BEFORE = (
    r"(?:\b(?:a\s+las?|de\s+las?|desde\s+las?|hasta\s+las?|en)\s+|(?<!\w)(?:в|к|с|до|после)\s+)"
)
_AFTER = r"(?:\s*(?:horas|hrs\.?|h\b|ч\b\.?|часов|часа|hs\b\.?))"


def english_time(hour: int, minute: int, style: str) -> str:
    if style == "24h":
        return f"{hour:02d}:{minute:02d}"
    if minute == 0 and hour == 12:
        return "noon"
    if minute == 0 and hour in (0, 24):
        return "midnight"
    from babel import dates

    text = dates.format_time(datetime.time(hour % 24, minute), "h:mm a", locale="en")
    text = text.replace(":00 ", " ")
    return text.replace("AM", "a.m.").replace("PM", "p.m.")


_CLOCK = r"(?<![\d.,])([01]?\d|2[0-4])[.:]([0-5]\d)(?![\d.,]\d)"
_SOURCE = re.compile(rf"{_BEFORE}{_CLOCK}|{_CLOCK}{_AFTER}", re.I)
_DRAFT = re.compile(
    r"(?P<prep>\b(?:at|to|in|from|until|by)\s+(?:the\s+)?)?"
    r"(?<![\d.,])(?P<h>[01]?\d|2[0-4])[.:](?P<m>[0-5]\d)(?![\d.,]\d)"
    rf"(?P<word>\s*(?:hours|hrs\.?|h\b|o'clock)|{_AFTER})?",
    re.I,
)


# What every time of _SOURCE has: a quick look before its scan (most figures are no times).
_CLOCK_CUE = re.compile(r"\d[.:][0-5]\d")


def find(ctx: Context) -> list[Edit]:
    if not _CLOCK_CUE.search(ctx.source):
        return []
    times = set()
    for m in _SOURCE.finditer(ctx.source):
        hour, minute = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        times.add((int(hour), int(minute)))
    if not times:
        return []
    style = ctx.options.get("style", "ap")
    edits = []
    for m in _DRAFT.finditer(ctx.draft):
        if (int(m.group("h")), int(m.group("m"))) not in times or not ctx.free(*m.span()):
            continue
        english = english_time(int(m.group("h")), int(m.group("m")), style)
        if m.group("prep"):
            english = ("At " if m.group("prep")[:1].isupper() else "at ") + english
        if english != m.group():
            edits.append(Edit(m.start(), m.end(), english, RULE))
    return edits
