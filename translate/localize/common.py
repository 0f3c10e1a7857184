"""What every localize rule shares: the edit record, the draft's protected spans, numbers read with
the source locale's symbols and written in English (babel), and English words babel lacks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any


@dataclass(frozen=True)
class Edit:
    """Replace draft[start:end] with `text` (what one rule changed, and so one version)."""

    start: int
    end: int
    text: str
    rule: str


@dataclass
class Context:
    """One segment as a rule sees it: the source, the current draft, the pair and the options."""

    source: str
    draft: str
    lang: str
    options: dict[str, Any]
    style: Any  # translate.localize.Style
    protected: list[tuple[int, int]] = field(default_factory=list)  # in draft coordinates

    def free(self, start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in self.protected)


# ---------------------------------------------------------------- spans no rule touches

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
# a phone number: "+7 495 123-45-67", "91 123 45 67", "(55) 5555-1234"; told from a number with
# thousands separators by its groups (a thousands group has exactly 3 digits)
_PHONE = re.compile(
    r"(?<![\w.,])(?:\+\d{1,3}[\s-]?)?(?:\(\d{1,4}\)[\s-]?)?\d{2,4}(?:[\s-]\d{2,4}){2,}(?![\w])"
)
_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|„[^„“]*“|\"[^\"]*\"")
_SPEECH_PUNCT = re.compile(r"[.!?,;:](?!\d)")


@lru_cache(maxsize=1024)  # asked by every rule of a segment, of the same draft
def protected_spans(draft: str) -> tuple[tuple[int, int], ...]:
    """URLs and e-mail addresses, phone numbers and quoted titles: never rewritten.

    A quoted span counts as a title when it is short (at most 8 words) and has no punctuation of
    its own (quoted speech usually has); quoted speech is left to the rules.
    """
    spans = [m.span() for m in _URL.finditer(draft)]
    for m in _PHONE.finditer(draft):
        groups = re.split(r"[\s-]+", re.sub(r"[()+]", " ", m.group()).strip())
        if m.group().startswith("+") or any(len(g) != 3 for g in groups[1:]):
            spans.append(m.span())
    for m in _QUOTED.finditer(draft):
        inner = m.group()[1:-1]
        if len(inner.split()) <= 8 and not _SPEECH_PUNCT.search(inner):
            spans.append(m.span())
    return tuple(spans)


# ---------------------------------------------------------------- numbers (babel)


@cache
def symbols(lang: str) -> tuple[str, str]:
    """(decimal symbol, thousands-group symbols) of a language, from babel's locale data; a
    no-break space as group also stands for the plain and the narrow no-break space."""
    from babel import numbers

    decimal = numbers.get_decimal_symbol(lang)
    group = numbers.get_group_symbol(lang)
    groups = group + (" \u202f\u00a0" if group.isspace() else "")
    return decimal, groups


@cache
def number_pattern(lang: str) -> str:
    """A regex for a number written the source language's way (groups of three, its decimal)."""
    decimal, groups = symbols(lang)
    g = "[" + re.escape(groups) + "]"
    d = re.escape(decimal)
    return rf"(?=\d)(?<![\w.,])(?:\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?|\d+{d}\d+|\d+)(?![\w]|[.,]\d)"


@cache
def any_number_pattern() -> str:
    """A number in either style (source or English), for finding an engine's rendering."""
    return r"(?=\d)(?<![\w.,])\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})*(?:[.,]\d+)?(?![\w]|[.,]\d)"


def parse_number(text: str, lang: str) -> Decimal | None:
    """A number as the source language writes it ("3.000" es, "1 500,5" ru) -> its value."""
    decimal, groups = symbols(lang)
    plain = text
    for ch in groups:
        plain = plain.replace(ch, "")
    plain = plain.replace(decimal, ".")
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def parse_any(text: str, lang: str) -> set[Decimal]:
    """The values a number found in an English draft may have: as the source writes numbers, and
    as English does ("3.000" is 3000 in Spanish style, 3 in English style)."""
    values = set()
    source = parse_number(text, lang)
    if source is not None:
        values.add(source)
    try:
        values.add(Decimal(re.sub(r"[,\s\u00a0\u202f]", "", text)))
    except InvalidOperation:
        pass
    return values


def english_number(value: Decimal) -> str:
    """3000 -> "3,000"; 11.6 -> "11.6" (babel, every given decimal kept)."""
    from babel import numbers

    return numbers.format_decimal(value.normalize(), locale="en", decimal_quantization=False)


def english_compact(value: Decimal) -> str:
    """30000000000 -> "30 billion"; 4900000 -> "4.9 million" (babel's long compact format)."""
    from babel import numbers

    exponent = 0
    while exponent < 12 and abs(value) >= Decimal(10) ** (exponent + 3):
        exponent += 3
    if exponent < 6:
        return english_number(value)
    mantissa = (value / Decimal(10) ** exponent).normalize()
    digits = max(0, -mantissa.as_tuple().exponent)
    return numbers.format_compact_decimal(
        value, format_type="long", locale="en", fraction_digits=digits
    )


@cache
def magnitude_words(lang: str) -> dict[str, int]:
    """Magnitude words of a language -> power of ten, from babel's compact number formats
    ("millones" 6, "mil millones" 9, "млрд" 9, "billones" 12), with their inflected variants
    reduced to a stem the matcher extends (миллиона/миллионов/миллион)."""
    from babel import Locale

    locale = Locale.parse(lang)
    words: dict[str, int] = {}
    for kind in ("long", "short"):
        for forms in locale.compact_decimal_formats.get(kind, {}).values():
            for key, pattern in forms.items():
                text = str(pattern.pattern) if hasattr(pattern, "pattern") else str(pattern)
                power = (len(key) - 1) - (text.count("0") - 1)
                word = text.replace("'", "").strip("0 \u00a0").replace("\u00a0", " ").strip()
                if word and power >= 3 and not re.search(r"\b[A-Z]+\b", word):
                    words.setdefault(word, power)
    return words


def magnitude_regex(lang: str) -> str:
    """Alternation of a language's magnitude words, longest first; in Russian open to endings
    (миллион, миллиона, миллионами)."""
    words = sorted(magnitude_words(lang), key=len, reverse=True)
    inflected = lang in ("ru", "uk", "be")
    return "|".join(
        re.escape(w) + (r"\w*" if inflected and not w.endswith(".") else "") for w in words
    )


def magnitude_of(word: str, lang: str) -> int | None:
    """The power of ten of a magnitude word as found by magnitude_regex."""
    word = " ".join(word.lower().split())
    words = magnitude_words(lang)
    if word in words:
        return words[word]
    best = None
    for known, power in words.items():
        if not known.endswith(".") and word.startswith(known.lower()):
            if best is None or len(known) > best[0]:
                best = (len(known), power)
    return best[1] if best else None


# English words babel has no data for (it has no spell-out rules): the house style's own.
SMALL_NUMBERS = "zero one two three four five six seven eight nine".split()
SMALL_ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth".split()


def english_ordinal(n: int, spell_below: int = 0) -> str:
    """21 -> "21st" (suffix from babel's English ordinal plural rules); below `spell_below` words."""
    if 0 < n < min(spell_below, 10):
        return SMALL_ORDINALS[n]
    from babel import Locale

    suffix = {"one": "st", "two": "nd", "few": "rd"}.get(Locale.parse("en").ordinal_form(n), "th")
    return f"{n}{suffix}"


def roman_value(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not text or any(ch not in values for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if 0 < total < 200 else None
