"""Currency: an amount keeps its currency ("100 рублей" must not become "$100").

Amounts are a figure (see numbers.py) with a currency sign or code before it, or a currency word
after it (a scale word may sit between: "2 млн долларов", "10 millones de dólares"). "$" in a
Spanish story may be pesos, so it stands for either. The check only reports an amount whose
figure survived with a different or no currency; a lost figure is the numbers check's finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.checks import CheckContext, Finding, check
from translate.checks.numbers import Number, numbers
from translate.i18n import _

# currency id -> (signs/codes written before the figure, words written after it)
CURRENCIES: dict[str, tuple[str, str]] = {
    "USD": (
        r"US\$|USD|\$",
        r"долл(?:ар[а-яё]*|\.)?|d[oó]lar(?:es)?|dollars?|USD|\$",
    ),
    "EUR": (r"€|EUR", r"евро|euros?|EUR|€"),
    "RUB": (r"₽|RUB|руб\.", r"руб(?:л[а-яё]*|\.)?|₽|rublos?|r[o]?ubles?|RUB"),
    "PESO": (r"\$|MXN|ARS|COP|CLP", r"pesos?|песо|MXN|ARS|COP|CLP"),
    "GBP": (r"£|GBP", r"фунт[а-яё]*(?:\s+стерлингов)?|libras?(?:\s+esterlinas?)?|pounds?|GBP"),
    "CNY": (r"¥|CNY|RMB", r"юан[а-яё]*|yuan(?:es)?|CNY"),
    "JPY": (r"JPY", r"иен[а-яё]*|йен[а-яё]*|yenes|yen|JPY"),
}
_BEFORE = {c: re.compile(r"(?:" + b + r")\s?$") for c, (b, _a) in CURRENCIES.items()}
_AFTER = {
    c: re.compile(r"^[\s-]?(?:de\s+|of\s+)?(?:" + a + r")(?![^\W\d_])", re.IGNORECASE)
    for c, (_b, a) in CURRENCIES.items()
}


@dataclass
class Amount:
    number: Number
    currencies: set[str]
    start: int
    end: int
    text: str


def amounts(text: str, lang: str) -> list[Amount]:
    """Figures of `text` that carry a currency."""
    out = []
    for n in numbers(text, lang):
        if n.word:
            continue
        before, after = text[max(0, n.start - 6) : n.start], text[n.end : n.end + 40]
        found: set[str] = set()
        start, end = n.start, n.end
        for cur in CURRENCIES:
            mb = _BEFORE[cur].search(before)
            if mb:
                found.add(cur)
                start = min(start, n.start - (len(before) - mb.start()))
            ma = _AFTER[cur].match(after)
            if ma:
                found.add(cur)
                end = max(end, n.end + ma.end())
        if found == {"USD", "PESO"} and lang == "ru":
            found = {"USD"}
        if found:
            out.append(Amount(n, found, start, end, text[start:end]))
    return out


@check("currency.mismatch")
def currency_mismatch(ctx: CheckContext):
    """An amount's currency was changed or dropped in the translation."""
    src = amounts(ctx.source, ctx.source_lang)
    tgt = amounts(ctx.target, ctx.target_lang)
    src_numbers = [n for n in numbers(ctx.source, ctx.source_lang) if not n.word]
    tgt_numbers = [n for n in numbers(ctx.target, ctx.target_lang) if not n.word]
    used: set[int] = set()
    for a in src:
        hit = next(
            (
                j
                for j, b in enumerate(tgt)
                if j not in used
                and a.number.values & b.number.values
                and a.currencies & b.currencies
            ),
            None,
        )
        if hit is not None:
            used.add(hit)
            continue
        same_value = next((n for n in tgt_numbers if n.values & a.number.values), None)
        if same_value is not None:
            yield Finding(
                "currency.mismatch",
                _("the amount '{amount}' lost or changed its currency in the translation").format(
                    amount=a.text
                ),
                start=same_value.start,
                end=same_value.end,
            )
            used.update(j for j, b in enumerate(tgt) if b.number.start == same_value.start)
    for j, b in enumerate(tgt):
        if j in used:
            continue
        src_same = [
            a for a in src if a.number.values & b.number.values and a.currencies & b.currencies
        ]
        bare = any(n.values & b.number.values for n in src_numbers)
        if not src_same and bare:
            yield Finding(
                "currency.mismatch",
                _("the amount '{amount}' has a currency the source does not give").format(
                    amount=b.text
                ),
                start=b.start,
                end=b.end,
            )
