"""Percentages: «3,5 %» -> 3.5% (AP) or 3.5 percent, per the preset's `style`."""

from __future__ import annotations

import re
from functools import cache

from translate.localize.common import (
    Context,
    Edit,
    any_number_pattern,
    english_number,
    number_pattern,
    parse_any,
    parse_number,
)

RULE = "percentages"
OPTIONS = {"style": ("sign", "word")}

_SOURCE_SIGN = r"\s?%|\s+por\s+ciento|\s+процент\w*|\s+pour\s+cent"
_DRAFT_SIGN = r"\s?%|\s+per\s?cent\b|\s+por\s+ciento|\s+процент\w*"


@cache
def _source_re(lang: str) -> re.Pattern:
    return re.compile(rf"({number_pattern(lang)})(?:{_SOURCE_SIGN})", re.I)


_DRAFT_RE = re.compile(rf"({any_number_pattern()})(?:{_DRAFT_SIGN})", re.I)


def find(ctx: Context) -> list[Edit]:
    wanted = set()
    for m in _source_re(ctx.lang).finditer(ctx.source):
        value = parse_number(m.group(1), ctx.lang)
        if value is not None:
            wanted.add(value)
    if not wanted:
        return []
    sign = "%" if ctx.options.get("style", "sign") == "sign" else " percent"
    edits = []
    for m in _DRAFT_RE.finditer(ctx.draft):
        if not ctx.free(*m.span()):
            continue
        hit = next((v for v in parse_any(m.group(1), ctx.lang) if v in wanted), None)
        if hit is None:
            continue
        english = english_number(hit) + sign
        if english != m.group():
            edits.append(Edit(m.start(), m.end(), english, RULE))
    return edits
