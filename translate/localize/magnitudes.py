"""Magnitudes: «4,9 millones» -> 4.9 million, «30.000 millones» -> 30 billion, «1,5 трлн» -> 1.5
trillion (Spanish "billones" are English trillions).

The source's amount is read with babel's locale data (its compact number words: millones, mil
millones, млн, млрд, трлн); the draft's rendering of it (a number in either style with an English
or source magnitude word) is found by value and written with babel's English long compact format.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from translate.localize.common import (
    Context,
    Edit,
    any_number_pattern,
    english_compact,
    magnitude_of,
    magnitude_regex,
    number_pattern,
    parse_any,
    parse_number,
)

RULE = "magnitudes"
OPTIONS: dict = {}

ENGLISH = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_ENGLISH_WORDS = r"thousand\s+millions?|thousands?|millions?|billions?|trillions?|bn|mln"


def english_power(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word.startswith("thousand million"):
        return 9
    if word in ("bn",):
        return 9
    if word in ("mln",):
        return 6
    return ENGLISH.get(word.rstrip("s"))


@cache
def _source_re(lang: str) -> re.Pattern:
    return re.compile(
        rf"({number_pattern(lang)})\s*(?:de\s+)?({magnitude_regex(lang)})(?!\w)", re.I
    )


@cache
def _draft_re(lang: str) -> re.Pattern:
    return re.compile(draft_amount_regex(lang), re.I)


def source_amounts(ctx: Context) -> list[tuple[Decimal, Decimal]]:
    """(number as written, value) of every number with a magnitude word in the source."""
    pattern = _source_re(ctx.lang)
    found = []
    for m in pattern.finditer(ctx.source):
        value = parse_number(m.group(1), ctx.lang)
        power = magnitude_of(m.group(2), ctx.lang)
        if value is not None and power is not None:
            found.append((value, value * Decimal(10) ** power))
    return found


def draft_amount_regex(lang: str) -> str:
    return (
        rf"({any_number_pattern()})\s*(?:of\s+|de\s+)?"
        rf"({_ENGLISH_WORDS}|{magnitude_regex(lang)})(?!\w)"
    )


def draft_values(number: str, word: str, lang: str) -> set[Decimal]:
    power = english_power(word)
    if power is None:
        power = magnitude_of(word, lang)
    if power is None:
        return set()
    return {v * Decimal(10) ** power for v in parse_any(number, lang)}


def find(ctx: Context) -> list[Edit]:
    wanted = source_amounts(ctx)
    if not wanted:
        return []
    edits = []
    for m in _draft_re(ctx.lang).finditer(ctx.draft):
        if not ctx.free(*m.span()):
            continue
        values = draft_values(m.group(1), m.group(2), ctx.lang)
        hit = next((v for _n, v in wanted if v in values), None)
        if hit is None:  # the same figure with a false friend: «2 billones» is not "2 billion"
            numbers = parse_any(m.group(1), ctx.lang)
            same = [v for n, v in wanted if n in numbers]
            hit = same[0] if len(same) == 1 else None
        if hit is None:
            continue
        english = english_compact(hit)
        if english != m.group():
            edits.append(Edit(m.start(), m.end(), english, RULE))
    return edits
