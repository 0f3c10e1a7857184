"""Numbers and separators: «3.000» -> 3,000, «11,6» -> 11.6, and small numbers spelled out.

A number is rewritten only where the draft still has it exactly as the source wrote it, with the
source's thousands or decimal separator (so "3.14" already in English, a year 2012 or a phone number
stay as they are). Under `spell_out_below` (AP: 10) a figure that stands alone becomes a word
("5 people" -> "five people"), except in ages, money, percentages, times, dates, measures and
scores, after a capitalised word ("Article 5") or before a magnitude.
"""

from __future__ import annotations

import re
from functools import cache

from translate.localize.common import (
    SMALL_NUMBERS,
    Context,
    Edit,
    english_number,
    number_pattern,
    parse_number,
    symbols,
)

RULE = "numbers"
OPTIONS = {"spell_out_below": int}

_NOT_AFTER = re.compile(
    r"\s*(?:%|[-‐–]|\.\d|,\d|:\d|/|\s*(?:percent|per\s*cent|million|billion|trillion|thousand|"
    r"a\.m\.|p\.m\.|o'clock|years?[- ]old|-year|km|kilomet|mile|met(?:er|re)|kg|kilo|ton|tonne|"
    r"degree|°|inch|feet|foot|cm|mm|points?\b|percentage|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.))",
    re.I,
)
_MONTHS = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.?\s*$"
)


# "No. 5", "número 2", "page 3", "Article 5": a figure that names, not counts
_LABEL = re.compile(
    r"(?:\b(?:No|Nos|nº|n\.º|num|núm|vol|art|p|pp)\.?|[#№$€£¥₽]|\b(?:numbers?|número|номер\w*|"
    r"page|página|стр|article|artículo|стать\w+|chapter|capítulo|глав\w+|room|level|nivel|phase|"
    r"fase|round|ronda|step|paso|grade|grado|class|clase|versions?|versión|верси\w+|item|points?|"
    r"part|parte|част\w+|sections?|sección|раздел\w*|volume|tomo|line|línea|route|ruta|"
    r"platform|gate|seat|table|tabla|figure|figura|group|grupo|team|equipo|category|categoría))"
    r"\s*$",
    re.I,
)


def _has_separator(token: str, lang: str) -> bool:
    decimal, groups = symbols(lang)
    return any(ch in token for ch in decimal + groups)


def _norm(token: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]", " ", token)


@cache
def _pattern(lang: str) -> re.Pattern:
    return re.compile(number_pattern(lang))


# The digit first, then what may not stand before it: the same matches as a leading look-behind,
# but the scan jumps from digit to digit.
_SMALL = re.compile(r"([1-9])(?<![\w.,$€£¥₽#/:+-][1-9])(?![\w])")


def find(ctx: Context) -> list[Edit]:
    edits: list[Edit] = []
    pattern = _pattern(ctx.lang)
    in_source = {
        _norm(m.group())
        for m in pattern.finditer(ctx.source)
        if _has_separator(m.group(), ctx.lang)
    }
    for m in pattern.finditer(ctx.draft):
        token = m.group()
        if _norm(token) not in in_source or not ctx.free(*m.span()):
            continue
        value = parse_number(token, ctx.lang)
        if value is None:
            continue
        english = english_number(value)
        if english != token:
            edits.append(Edit(m.start(), m.end(), english, RULE))
    below = int(ctx.options.get("spell_out_below", 0) or 0)
    if below > 1:
        edits += _spell_out(ctx, min(below, 10))
    return edits


def _spell_out(ctx: Context, below: int) -> list[Edit]:
    edits = []
    draft = ctx.draft
    for m in _SMALL.finditer(draft):
        n = int(m.group(1))
        if n >= below or not ctx.free(*m.span()):
            continue
        if not re.search(rf"(?<![\w.,:/-]){n}(?![\w]|[.,:/-]\d)", ctx.source):
            continue  # the source did not have this figure standing alone
        if _NOT_AFTER.match(draft, m.end()):
            continue
        before = draft[: m.start()]
        # a month or label is the last word before the figure (none has a space inside): look
        # there only, not along the whole draft at every small figure
        last = len(before.rstrip())
        word_start = max(before.rfind(ch, 0, last) for ch in " \t\n\u00a0\u202f") + 1
        if _MONTHS.search(draft, word_start, m.start()) or _LABEL.search(
            draft, word_start, m.start()
        ):
            continue
        previous = re.search(r"(\S+)\s+$", before)
        start = not before.strip() or bool(re.search(r"[.!?]\s*[«\"“'(—–-]?\s*$", before))
        if previous and previous.group(1)[:1].isupper() and not start:
            continue  # "Article 5", "Level 3": a label, not a count
        word = SMALL_NUMBERS[n]
        if start:
            word = word.capitalize()
        edits.append(Edit(m.start(), m.end(), word, RULE))
    return edits
