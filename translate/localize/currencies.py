"""Currencies: «30 млрд долларов» -> $30 billion, «US$ 2.000» -> $2,000, «1,5 трлн рублей» -> 1.5
trillion rubles, «35 millones de euros» -> 35 million euros.

Currency words and symbols of the source language come from babel (its names of each currency in
the singular and plural, and its symbols); the English form is the preset's: a symbol written
before the amount ("$") or a word after it ("euros", "rubles"; by default the last word of babel's
English plural name). Amounts are written like magnitudes (babel's English long compact format).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache

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
from translate.localize.magnitudes import _ENGLISH_WORDS, english_power

RULE = "currencies"
OPTIONS = {"forms": dict}
DEFAULT_FORMS = {"USD": "$", "EUR": "euros", "GBP": "pounds", "RUB": "rubles", "MXN": "pesos"}


@cache
def _names(code: str, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, symbols) for a currency in a language: "dólares", "долларов", "US$", "$"."""
    from babel import numbers

    words = set()
    for count in (1, 2, 5):
        try:
            name = numbers.get_currency_name(code, count, lang)
        except Exception:  # noqa: BLE001 - a code babel lacks simply has no words
            continue
        first = name.split()[0].lower()
        if lang == "ru":  # the noun follows its adjective: российских рублей, доллар США
            nouns = [w for w in name.lower().split() if not w.endswith(("ий", "их", "ый", "ая"))]
            first = nouns[0] if nouns else name.split()[-1].lower()
        if first.isalpha() and first.lower() != code.lower():
            words.add(first)
    symbols = {code}
    for locale in (lang, "en"):
        symbol = numbers.get_currency_symbol(code, locale)
        if symbol and symbol != "$" or (symbol == "$" and locale == lang):
            symbols.add(symbol)
    return tuple(sorted(words, key=len, reverse=True)), tuple(
        sorted(symbols, key=len, reverse=True)
    )


@cache
def _english_words(code: str) -> tuple[str, ...]:
    from babel import numbers

    words = set()
    for count in (1, 2):
        name = numbers.get_currency_name(code, count, "en")
        words.add(name.split()[-1].lower())
    if code == "RUB":
        words |= {"rouble", "roubles"}
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _english_symbol(code: str) -> str:
    from babel import numbers

    return numbers.get_currency_symbol(code, "en")


def _alt(items) -> str:
    return "|".join(re.escape(i) for i in items)


def _form(code: str, ctx: Context) -> str:
    forms = {**DEFAULT_FORMS, **(ctx.options.get("forms") or {})}
    if code in forms:
        return forms[code]
    from babel import numbers

    return numbers.get_currency_name(code, 2, "en").split()[-1].lower()


def english_amount(value: Decimal, form: str) -> str:
    amount = english_compact(value)
    return f"{form}{amount}" if not form[:1].isalpha() else f"{amount} {form}"


@lru_cache(maxsize=256)
def _source_re(code: str, lang: str) -> re.Pattern | None:
    words, symbols = _names(code, lang)
    if not words and not symbols:
        return None
    number, magnitude = number_pattern(lang), magnitude_regex(lang)
    parts = []
    if words:
        after = rf"(?:{_alt(words)})\w*"
        parts.append(rf"(?P<n1>{number})(?:\s*(?P<m1>{magnitude}))?\s*(?:de\s+)?{after}")
    parts.append(rf"(?:{_alt(symbols)})\s?(?P<n2>{number})(?:\s*(?P<m2>{magnitude}))?")
    parts.append(rf"(?P<n3>{number})(?:\s*(?P<m3>{magnitude}))?\s?(?:{_alt(symbols)})(?!\w)")
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I)


@lru_cache(maxsize=256)
def _draft_re(code: str, lang: str) -> re.Pattern:
    words, symbols = _names(code, lang)
    symbols = tuple(sorted({*symbols, _english_symbol(code)}, key=len, reverse=True))
    nouns = _alt([*_english_words(code), *words])
    number = any_number_pattern()
    mag = rf"{_ENGLISH_WORDS}|{magnitude_regex(lang)}"
    before = r"(?:(?:US|U\.S\.|American|Russian|Mexican|British)\s+)?"
    return re.compile(
        rf"(?P<a>(?P<n1>{number})(?:\s*(?P<m1>{mag}))?\s*(?:of\s+|de\s+)?"
        rf"{before}(?:{nouns})\w*(?:\s+(?:США|estadounidenses?))?)"
        rf"|(?P<b>(?:{_alt(symbols)})\s?(?P<n2>{number})(?:\s*(?P<m2>{mag}))?"
        rf"(?:\s+(?:of\s+)?{before}(?:{nouns})\w*)?)",
        re.I,
    )


@lru_cache(maxsize=256)
def _cue_re(code: str, lang: str) -> re.Pattern | None:
    """The currency's words and symbols alone: _source_re cannot match a text without one of
    them, and looking for them costs a fraction of trying its three forms at every digit."""
    words, symbols = _names(code, lang)
    if not words and not symbols:
        return None
    items = sorted({*words, *symbols}, key=len, reverse=True)
    firsts = re.escape("".join(sorted({item[0] for item in items})))
    return re.compile(f"(?=[{firsts}])(?:{_alt(items)})", re.I)  # led by the first letters


def find(ctx: Context) -> list[Edit]:
    codes = list(dict.fromkeys([*DEFAULT_FORMS, *(ctx.options.get("forms") or {})]))
    wanted: list[tuple[str, Decimal]] = []
    for code in codes:
        cue = _cue_re(code, ctx.lang)
        if cue is None or not cue.search(ctx.source):
            continue
        pattern = _source_re(code, ctx.lang)
        for m in pattern.finditer(ctx.source):
            n = m.group("n1") or m.group("n2") or m.group("n3")
            mag = m.group("m1") or m.group("m2") or m.group("m3")
            value = parse_number(n, ctx.lang)
            power = magnitude_of(mag, ctx.lang) if mag else 0
            if value is not None and power is not None:
                wanted.append((code, value * Decimal(10) ** power))
    if not wanted:
        return []
    edits: list[Edit] = []
    for code, value in wanted:
        for m in _draft_re(code, ctx.lang).finditer(ctx.draft):
            if not ctx.free(*m.span()) or any(
                m.start() < e.end and e.start < m.end() for e in edits
            ):
                continue
            n = m.group("n1") or m.group("n2")
            mag = m.group("m1") or m.group("m2")
            if mag:
                power = english_power(mag)
                power = power if power is not None else magnitude_of(mag, ctx.lang)
            else:
                power = 0
            if power is None or value not in {
                v * Decimal(10) ** power for v in parse_any(n, ctx.lang)
            }:
                continue
            english = english_amount(value, _form(code, ctx))
            if english != m.group():
                edits.append(Edit(m.start(), m.end(), english, RULE))
            break
    return edits
