"""Dates: «12 октября 2012 г.», «12 de octubre de 2012», «12.10.2012» -> Oct. 12, 2012 (AP).

Dates are read in the source with babel's month names for its language (the genitive "format"
forms: октября; stand-alone: октябрь) and the draft's rendering of the same date (the source's own
words, "12 October 2012", "12 of October of 2012", "October 12, 2012", "12.10.2012") is rewritten:
`months: ap` abbreviates months longer than five letters with a specific day (Jan., Feb., Aug.,
Sept., Oct., Nov., Dec.; March to July in full), `full` writes them out. A month with a year and no
day is "July 2011".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from translate.localize.common import Context, Edit

RULE = "dates"
OPTIONS = {"months": ("ap", "full")}


@cache
def month_names(lang: str) -> dict[str, int]:
    """Lower-case month names of a language (wide and abbreviated, format and stand-alone)."""
    from babel import dates

    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in dates.get_month_names(width, context, lang).items():
                name = name.lower().rstrip(".")
                if len(name) >= 3:
                    names.setdefault(name, number)
    return names


def english_month(number: int, style: str, with_day: bool) -> str:
    from babel import dates

    name = dates.get_month_names("wide", "format", "en")[number]
    if style != "ap" or not with_day or len(name) <= 5:
        return name
    return "Sept." if number == 9 else name[:3] + "."


@dataclass(frozen=True)
class SourceDate:
    day: int | None
    month: int
    year: int | None
    text: str


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@cache
def _source_res(lang: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    months = month_names(lang)
    alt = _alternation(months)
    year_tail = r"(?:\s*(?:г\.|гг\.|года|год)(?!\w))?"
    full = re.compile(
        rf"(?<!\d)(\d{{1,2}})(?:\s+de)?\s+({alt})\.?(?:(?:\s+de|\s+del|,)?\s+(\d{{4}}){year_tail})?(?!\w)",
        re.I,
    )
    numeric = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\d])")
    month_year = re.compile(
        rf"(?<!\w)({alt})\.?\s+(?:de\s+|del\s+)?(\d{{4}}){year_tail}(?!\w)", re.I
    )
    return full, numeric, month_year


def source_dates(source: str, lang: str) -> list[SourceDate]:
    months = month_names(lang)
    full, numeric, month_year = _source_res(lang)
    found: list[SourceDate] = []
    taken: list[tuple[int, int]] = []
    for m in full.finditer(source):
        day, month = int(m.group(1)), months[m.group(2).lower()]
        if 1 <= day <= 31:
            year = int(m.group(3)) if m.group(3) else None
            found.append(SourceDate(day, month, year, m.group()))
            taken.append(m.span())
    for m in numeric.finditer(source):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append(SourceDate(day, month, year, m.group()))
            taken.append(m.span())
    for m in month_year.finditer(source):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found.append(SourceDate(None, months[m.group(1).lower()], int(m.group(2)), m.group()))
    return found


@lru_cache(maxsize=4096)
def _draft_patterns(date: SourceDate, lang: str) -> list[re.Pattern]:
    from babel import dates

    wide = dates.get_month_names("wide", "format", "en")[date.month]
    short = {dates.get_month_names("abbreviated", "format", "en")[date.month].rstrip(".")}
    if date.month == 9:
        short.add("Sept")
    short.discard(wide)
    forms = [re.escape(wide) + r"\b"] + [re.escape(a) + r"(?:\.|\b)" for a in sorted(short)]
    month = "(?:" + "|".join(forms) + ")"
    patterns = []
    if date.day is not None:
        d = rf"0?{date.day}(?:st|nd|rd|th)?"
        year = rf"(?:,?\s+(?:of\s+)?{date.year})" if date.year else ""
        patterns += [
            re.compile(rf"(?<!\d)(?:the\s+)?{d}\s+(?:of\s+)?{month}{year}(?![\w])"),
            re.compile(rf"(?<!\w){month}\s+(?:the\s+)?{d}{year}(?![\w])"),
        ]
        if date.year:
            patterns.append(
                re.compile(
                    rf"(?<![\d.])(?:the\s+)?0?{date.day}[./]0?{date.month}[./]{date.year}(?!\d)"
                )
            )
    else:
        patterns.append(re.compile(rf"(?<!\w){month}\s*(?:,\s*|of\s+)?{date.year}(?![\w])"))
    patterns.append(re.compile(re.escape(date.text)))  # left as the source wrote it
    return patterns


def english_date(date: SourceDate, style: str) -> str:
    month = english_month(date.month, style, date.day is not None)
    if date.day is None:
        return f"{month} {date.year}"
    text = f"{month} {date.day}"
    return f"{text}, {date.year}" if date.year else text


def find(ctx: Context) -> list[Edit]:
    edits: list[Edit] = []
    style = ctx.options.get("months", "ap")
    claimed: list[tuple[int, int]] = []
    for date in source_dates(ctx.source, ctx.lang):
        english = english_date(date, style)
        for pattern in _draft_patterns(date, ctx.lang):
            m = next(
                (
                    m
                    for m in pattern.finditer(ctx.draft)
                    if ctx.free(*m.span())
                    and not any(m.start() < b and a < m.end() for a, b in claimed)
                ),
                None,
            )
            if m is None:
                continue
            claimed.append(m.span())
            # "the 12 of October" -> "Oct. 12": the article goes with the old word order
            if m.group() != english:
                edits.append(Edit(m.start(), m.end(), english, RULE))
            break
    return edits
