"""Ordinals and centuries: «XX в.», «siglo XXI» -> 20th century, 21st century; «3er», «21º», «5-й»
-> third, 21st (AP: first to ninth in words, 10th and above in figures).

English suffixes come from babel's ordinal plural rules for English (21 "one" -> st, 22 "two" ->
nd, 23 "few" -> rd). The draft's rendering is the source's own token, the Roman numeral with or
without "century", or Apertium's "3er".
"""

from __future__ import annotations

import re

from translate.localize.common import Context, Edit, english_ordinal, roman_value

RULE = "ordinals"
OPTIONS = {"spell_out_below": int}

_ROMAN = r"[IVXLC]+"
_CENTURY_SOURCE = (
    rf"(?:\bsiglos?\s+({_ROMAN})\b)|(?:(?<!\w)({_ROMAN})\s*(?:в\.|вв\.|век\w*|столети\w*))"
)
_ORDINAL_SOURCE = (
    r"(?<![\w.,])(\d{1,4})\s?(\.?º|\.?ª|er|ero|era|-?й|-?я|-?е|-?го|-?му|-?м|-?х|-?ю)(?!\w)"
)


def find(ctx: Context) -> list[Edit]:
    below = int(ctx.options.get("spell_out_below", 10) or 0)
    edits: list[Edit] = []
    centuries = set()
    for m in re.finditer(_CENTURY_SOURCE, ctx.source):
        value = roman_value(m.group(1) or m.group(2))
        if value:
            centuries.add((m.group(1) or m.group(2), value))
    for roman, value in centuries:
        english = english_ordinal(value, below) + " century"
        pattern = re.compile(
            rf"(?<!\w)(?:(?:the\s+)?(?:century\s+{roman}|{roman}\s+(?:century|в\.|вв\.|век\w*)|"
            rf"siglo\s+{roman}))(?!\w)"
        )
        for m in pattern.finditer(ctx.draft):
            if ctx.free(*m.span()):
                text = ("the " if m.group().lower().startswith("the ") else "") + english
                if m.group().lower().startswith("the ") and m.group()[0] == "T":
                    text = "T" + text[1:]
                edits.append(Edit(m.start(), m.end(), text, RULE))
    tokens = {}
    for m in re.finditer(_ORDINAL_SOURCE, ctx.source):
        tokens[m.group()] = int(m.group(1))
        tokens[m.group(1) + m.group(2).lstrip("-.")] = int(m.group(1))
    for token, value in sorted(tokens.items(), key=lambda kv: -len(kv[0])):
        english = english_ordinal(value, below)
        for m in re.finditer(rf"(?<![\w.,]){re.escape(token)}(?!\w)", ctx.draft):
            if ctx.free(*m.span()) and not any(
                m.start() < e.end and e.start < m.end() for e in edits
            ):
                edits.append(Edit(m.start(), m.end(), english, RULE))
    return edits
