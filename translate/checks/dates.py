"""Dates: a date of the source (day, month name, year) comes back as the same date.

«12 октября 2012 года» ↔ "12 October 2012" / "October 12, 2012"; «12 de octubre de 2012» likewise;
«в октябре 2012 года» ↔ "in October 2012"; numeric dates (12.10.2012, 2012-10-12; in English
10/12/2012 may be either order). A year that the target date leaves out must still appear in the
target as a number. Extra dates in the translation are reported with their span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from translate.checks import CheckContext, Finding, check
from translate.checks.text import NUMERIC_DATE_RE, date_parts, mask_protected, valid_day_month
from translate.i18n import _

MONTHS: dict[str, list[str]] = {
    "ru": [
        r"январ[ьяе]|янв\.?",
        r"феврал[ьяе]|фев\.?",
        r"март[аеу]?|мар\.?",
        r"апрел[ьяе]|апр\.?",
        r"ма[йяе]",
        r"июн[ьяе]|июн\.",
        r"июл[ьяе]|июл\.",
        r"август[аеу]?|авг\.?",
        r"сентябр[ьяе]|сент?\.?",
        r"октябр[ьяе]|окт\.?",
        r"ноябр[ьяе]|нояб?\.?",
        r"декабр[ьяе]|дек\.?",
    ],
    "es": [
        r"enero|ene\.?",
        r"febrero|feb\.?",
        r"marzo|mar\.?",
        r"abril|abr\.?",
        r"mayo|may\.?",
        r"junio|jun\.?",
        r"julio|jul\.?",
        r"agosto|ago\.?",
        r"se(?:p|t)?tiembre|sept?\.?",
        r"octubre|oct\.?",
        r"noviembre|nov\.?",
        r"diciembre|dic\.?",
    ],
    "en": [
        r"January|Jan\.?",
        r"February|Feb\.?",
        r"March|Mar\.?",
        r"April|Apr\.?",
        r"May",
        r"June|Jun\.?",
        r"July|Jul\.?",
        r"August|Aug\.?",
        r"September|Sept?\.?",
        r"October|Oct\.?",
        r"November|Nov\.?",
        r"December|Dec\.?",
    ],
}

_D = r"(?P<d>\d{1,2})(?:\.?[º°ª])?"
_Y = r"(?P<y>\d{4})"
# {M} stands for the month alternation of the language; patterns are tried in order.
PATTERNS: dict[str, list[str]] = {
    "ru": [
        _D + r"(?:-?го)?\s+(?P<m>{M})(?:\s+" + _Y + r")?",
        r"(?P<m>{M})\s+" + _Y,
    ],
    "es": [
        _D + r"\s+(?:de\s+)?(?P<m>{M})(?:\s+(?:de|del)\s+" + _Y + r")?",
        r"(?P<m>{M})\s+(?:de|del)\s+" + _Y,
    ],
    "en": [
        _D + r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{M})(?:,?\s+" + _Y + r")?",
        r"(?P<m>{M})\s+" + _D + r"(?:st|nd|rd|th)?(?!\d)(?:,?\s+" + _Y + r")?",
        r"(?P<m>{M}),?\s+(?:of\s+)?" + _Y,
    ],
}
_FLAGS = {"ru": re.IGNORECASE, "es": re.IGNORECASE, "en": 0}


@dataclass
class Date:
    start: int
    end: int
    text: str
    readings: list[tuple[int | None, int, int | None]]  # (day, month, year) alternatives


def _compile(lang: str) -> list[tuple[re.Pattern[str], list[re.Pattern[str]]]]:
    months = [re.compile(r"^(?:" + m + r")$", _FLAGS[lang]) for m in MONTHS[lang]]
    alternation = "|".join(MONTHS[lang])
    # each pattern led by what its first character must be (a digit, or a month's first
    # letter): the scan skips the other positions at once instead of trying the pattern there
    firsts = {alt[0] for m in MONTHS[lang] for alt in m.split("|")}
    leads = {
        "(?P<d>": r"(?=\d)",
        "(?P<m>": "(?=[" + re.escape("".join(sorted(firsts))) + "])"
        if all(f.isalpha() for f in firsts)
        else "",
    }
    compiled = []
    for p in PATTERNS[lang]:
        lead = leads.get(p[:6], "")
        body = lead + r"(?<![\w])" + p.replace("{M}", alternation) + r"(?![^\W\d_])"
        compiled.append((re.compile(body, _FLAGS[lang]), months))
    return compiled


_COMPILED: dict[str, list] = {}


# A second day joined to a date: «del 5 y 6 de julio», «с 5 по 12 июня», "July 5 and 6",
# "5-6 July": the other day is a date of the same month too.
_JOIN_BEFORE = {
    "es": r"(?<![\d.,])(\d{1,2})\s*(?:y|e|al|a|-|–|,)\s*$",
    "ru": r"(?<![\d.,])(\d{1,2})\s*(?:и|по|до|-|–|,)\s*$",
    "en": r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|to|through|-|–|,)\s*$",
}
_JOIN_AFTER_EN = re.compile(r"^\s*(?:and|to|through|-|–|,)\s*(\d{1,2})(?:st|nd|rd|th)?(?![\d.,]\d)")


def _coordinated(text: str, m: re.Match, lang: str, month: int, year: int | None) -> list[Date]:
    out = []
    before = re.search(_JOIN_BEFORE.get(lang, "$^"), text[max(0, m.start() - 12) : m.start()])
    if before:
        start = m.start() - 12 + before.start(1) if m.start() >= 12 else before.start(1)
        day = int(before.group(1))
        if valid_day_month(day, month):
            out.append(
                Date(start, start + len(before.group(1)), before.group(1), [(day, month, year)])
            )
    if lang == "en" and m.group("m") and m.start("m") < m.start("d"):
        after = _JOIN_AFTER_EN.match(text[m.end() :])
        if after and valid_day_month(int(after.group(1)), month):
            start = m.end() + after.start(1)
            out.append(
                Date(
                    start,
                    start + len(after.group(1)),
                    after.group(1),
                    [(int(after.group(1)), month, year)],
                )
            )
    return out


def dates(text: str, lang: str) -> list[Date]:
    """Dates in `text` with month names (when `lang` has them) and numeric dates."""
    return list(_dates(text, lang))


@lru_cache(maxsize=4096)  # a re-check reads the same source again (and a job repeated lines)
def _dates(text: str, lang: str) -> tuple[Date, ...]:
    text = mask_protected(text)
    found: list[Date] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    if lang in MONTHS:
        if lang not in _COMPILED:
            _COMPILED[lang] = _compile(lang)
        for regex, months in _COMPILED[lang]:
            for m in regex.finditer(text):
                if not free(*m.span()):
                    continue
                name = m.group("m")
                month = next(i for i, r in enumerate(months, 1) if r.match(name))
                groups = m.groupdict()
                day = int(groups["d"]) if groups.get("d") else None
                year = int(groups["y"]) if groups.get("y") else None
                if day is not None and not valid_day_month(day, month):
                    continue
                taken.append(m.span())
                found.append(Date(m.start(), m.end(), m.group(), [(day, month, year)]))
                if day is not None:
                    found += _coordinated(text, m, lang, month, year)
    for m in NUMERIC_DATE_RE.finditer(text):
        if not free(*m.span()):
            continue
        first, second, year, iso = date_parts(m)
        readings = [(first, second, year)]
        if not iso and (lang == "en" or m.group("sep") == "/"):
            readings.append((second, first, year))
        readings = [r for r in readings if valid_day_month(r[0], r[1])]
        if readings:
            found.append(Date(m.start(), m.end(), m.group(), readings))
    return tuple(sorted(found, key=lambda d: d.start))


def _same(a, b, a_text: str, b_text: str) -> bool:
    (ad, am, ay), (bd, bm, by) = a, b
    if am != bm or ad != bd:
        return False
    if ay is not None and by is not None:
        return ay == by
    if ay is not None:  # the other side dropped the year from the date: it must be nearby
        return re.search(rf"(?<!\d){ay}(?!\d)", b_text) is not None
    if by is not None:
        return re.search(rf"(?<!\d){by}(?!\d)", a_text) is not None
    return True


def _fmt(d: Date) -> str:
    return d.text.strip()


@check("dates.mismatch")
def dates_mismatch(ctx: CheckContext):
    """A date of the source is missing or different in the translation, or a date was added."""
    src = dates(ctx.source, ctx.source_lang)
    tgt = dates(ctx.target, ctx.target_lang)
    used: set[int] = set()
    for s in src:
        hit = next(
            (
                j
                for j, t in enumerate(tgt)
                if j not in used
                and any(_same(a, b, ctx.source, ctx.target) for a in s.readings for b in t.readings)
            ),
            None,
        )
        if hit is None:
            yield Finding(
                "dates.mismatch",
                _(
                    "the date '{date}' of the source is missing or different in the translation"
                ).format(date=_fmt(s)),
            )
        else:
            used.add(hit)
    if not src and ctx.source_lang not in MONTHS:
        return  # no way to read the source's dates: do not call the target's invented
    for j, t in enumerate(tgt):
        if j not in used:
            yield Finding(
                "dates.mismatch",
                _("the date '{date}' is not in the source").format(date=_fmt(t)),
                start=t.start,
                end=t.end,
            )
