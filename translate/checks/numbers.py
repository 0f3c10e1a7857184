"""Numbers: every figure of the source is in the translation, and no figure is invented.

Separators follow the languages ("1.000" / "1 000" ↔ "1,000", "3,5" ↔ "3.5"); a token whose
separator is ambiguous ("1.000", "1,500") may be read either way, so the check tolerates both.
Scale words are tolerated ("2 млн" ↔ "2 million" ↔ "2,000,000"), so are English number words
for source digits ("3" ↔ "three") and source number words for target digits. Numeric dates
count by their day and year (the month is the dates check's business); URLs, e-mails and
placeholders are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from translate.checks import CheckContext, Finding, check
from translate.checks.text import NUMERIC_DATE_RE, date_parts, mask, mask_protected
from translate.i18n import _

_SPACES = " \u00a0\u202f"
NUMBER_RE = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*")

# Scale words: a figure followed by one denotes the scaled value only ("2 млн" is 2,000,000,
# never 2); the one-letter forms (which may be units: "5 m") keep the bare value too.
_SCALES: list[tuple[str, int, bool]] = [
    (r"mil\s+millones", 10**9, True),
    (r"тыс(?:\.|[а-яё]*)|thousand|mil", 10**3, True),
    (r"млн\.?|миллион[а-яё]*|mill[oó]n(?:es)?|million|mln|mn", 10**6, True),
    (r"млрд\.?|миллиард[а-яё]*|billion|bn", 10**9, True),
    (r"трлн\.?|триллион[а-яё]*|bill[oó]n(?:es)?|trillion|tn", 10**12, True),
    (r"k", 10**3, False),
    (r"m", 10**6, False),
    (r"b", 10**9, False),
]
# One pattern, its alternatives in the order above (the first that fits wins), each a group of
# its own: matched once at a figure's end instead of once per scale.
_SCALE_RE = re.compile(
    "|".join(rf"(?P<s{i}>\s?(?:{p})(?![\w]))" for i, (p, _v, _s) in enumerate(_SCALES)),
    re.IGNORECASE,
)

_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
    "quince dieciséis diecisiete dieciocho diecinueve veinte",
}
NUMBER_WORDS: dict[str, dict[str, int]] = {
    lang: {w: i for i, w in enumerate(text.split())} for lang, text in _WORDS.items()
}
NUMBER_WORDS["en"].update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
)
NUMBER_WORDS["en"].update({"ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12})
NUMBER_WORDS["es"].update({"una": 1, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100})
_RU_STEMS = [
    (r"одн(?:а|о|ого|ой|ому|им|ом)|один", 1),
    (r"дв(?:а|е|ух|ум|умя)", 2),
    (r"тр(?:и|[её]х|[её]м|емя)", 3),
    (r"четыр(?:е|[её]х|[её]м|ьмя)", 4),
    (r"пят(?:ь|и|ью)", 5),
    (r"шест(?:ь|и|ью)", 6),
    (r"сем(?:ь|и|ью)", 7),
    (r"вос(?:емь|ьми|емью)", 8),
    (r"девят(?:ь|и|ью)", 9),
    (r"десят(?:ь|и|ью)", 10),
]
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# Roman numerals (centuries, congresses, monarchs): like number words, they may stand for a figure
# of the other side but are never reported themselves.
_ROMAN_RE = re.compile(
    r"(?=[IVXLC])(?:(?<=siglo )([IVXLC]{1,7})\b|(?<![\w])([IVXLC]{1,7})(?=\s*(?:век|вв?\.|столети))"
    r"|(?<![\w])([IVXLC]{2,7})(?![\w]))"
)
_TIME_RE = re.compile(r"(?=\d)(?<![\d.,:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_PM_RE = re.compile(r"\s?(?:p\.\s?m\.|pm\b)", re.IGNORECASE)
_AM_RE = re.compile(r"\s?(?:a\.\s?m\.|am\b)", re.IGNORECASE)
_DECADE_RE = re.compile(r"-(?:е|х|ые|ых)(?![а-яё])")
_HOUR_DOT_RE = re.compile(r"(\d{1,2})\.(\d{2})")
_NON_DIGIT_RE = re.compile(r"\D")


@dataclass
class Number:
    start: int
    end: int
    text: str
    values: set = field(default_factory=set)
    word: bool = False  # a spelled-out number: may satisfy a figure, never reported itself


def _grouped(groups: list[str]) -> bool:
    return len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def values_of(token: str) -> set:
    """Every value `token` can denote: Decimals, or the tuple of its digit groups if it is no
    number at all (a version, a code)."""
    groups = _NON_DIGIT_RE.split(token)
    seps = [c for c in token if not c.isdigit()]
    if not seps:
        return {Decimal(token)}
    kinds = [" " if s in _SPACES else s for s in seps]
    if set(kinds) == {" "}:
        return {Decimal("".join(groups))}
    if len(set(kinds)) == 1:
        if len(seps) > 1:
            return {Decimal("".join(groups))} if _grouped(groups) else {tuple(groups)}
        a, b = groups
        out = {Decimal(f"{a}.{b}")}
        if kinds[0] != " " and len(b) == 3 and len(a) <= 3 and a != "0":
            out.add(Decimal(a + b))
        return out
    head = kinds[:-1]
    if kinds[-1] not in head and len(set(head)) == 1 and _grouped(groups[:-1]):
        return {Decimal("".join(groups[:-1]) + "." + groups[-1])}
    return {tuple(groups)}


def _roman(numeral: str) -> int:
    total = 0
    for ch, nxt in zip(numeral, numeral[1:] + " ", strict=True):
        v = _ROMAN[ch]
        total += -v if nxt in _ROMAN and _ROMAN[nxt] > v else v
    return total


def _clock(text: str, end: int, hours: str, minutes: str) -> set:
    """A time of day as a value: ("t", h, m), with 12-hour "p.m."/"a.m." folded into 24 hours."""
    h, m = int(hours), int(minutes)
    if _PM_RE.match(text, end) and h < 12:
        h += 12
    elif _AM_RE.match(text, end) and h == 12:
        h = 0
    return {("t", h, m)}


def numbers(text: str, lang: str = "", extra_placeholders=()) -> list[Number]:
    """The figures of `text` (dates by day and year), with every value each may denote."""
    return list(_numbers(text, lang, tuple(extra_placeholders)))


@lru_cache(maxsize=4096)  # the numbers, dates and currency checks read the same segment
def _numbers(text: str, lang: str, extra_placeholders: tuple[str, ...]) -> tuple[Number, ...]:
    text = mask_protected(text, extra_placeholders)
    found: list[Number] = []
    dates = list(NUMERIC_DATE_RE.finditer(text))
    for m in dates:
        first, second, year, iso = date_parts(m)
        days = {Decimal(first)} if iso else {Decimal(first), Decimal(second)}
        found.append(Number(m.start(), m.end(), m.group(), days))
        found.append(Number(m.start(), m.end(), m.group(), {Decimal(year)}))
    times = list(_TIME_RE.finditer(text))
    for m in times:
        found.append(Number(m.start(), m.end(), m.group(), _clock(text, m.end(), *m.groups())))
    text = mask(text, [m.span() for m in dates + times])
    for m in NUMBER_RE.finditer(text):
        token, start = m.group(), m.start()
        parts = [(token, start)]
        if any(c in _SPACES for c in token) and not _grouped(re.split(r"[ \u00a0\u202f]", token)):
            parts, offset = [], start
            for piece in re.split(r"([ \u00a0\u202f])", token):
                if piece and piece not in _SPACES:
                    parts.append((piece, offset))
                offset += len(piece)
        for piece, at in parts:
            values = values_of(piece)
            end = at + len(piece)
            hm = _HOUR_DOT_RE.fullmatch(piece)
            if hm and int(hm.group(1)) < 24 and int(hm.group(2)) < 60:
                values |= _clock(text, end, *hm.groups())
            if len(piece) == 2 and piece.isdigit() and _DECADE_RE.match(text, end):
                values.add(Decimal(1900 + int(piece)))
            sm = _SCALE_RE.match(text, end)
            if sm:
                _pattern, scale, strong = _SCALES[int(sm.lastgroup[1:])]
                scaled = {v * scale for v in values if isinstance(v, Decimal)}
                values = scaled if strong else values | scaled
                end = sm.end() if strong else end
            found.append(Number(at, end, text[at:end], values))
    for m in _ROMAN_RE.finditer(text):
        numeral = m.group(1) or m.group(2) or m.group(3)
        found.append(Number(m.start(), m.end(), numeral, {Decimal(_roman(numeral))}, True))
    found += number_words(text, lang)
    return tuple(sorted(found, key=lambda n: (n.start, n.word)))


_TENS = {
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "ru": "двадцат тридцат сороков пятидесят шестидесят семидесят восьмидесят девяност",
}
# Decades in words: «los años setenta», «в семидесятые (годы)» ↔ "the 1970s".
_DECADE_WORDS = {
    "es": (r"(?<![\w])años\s+({})(?![\w])", lambda w, words: words.index(w.lower())),
    "ru": (r"(?<![\w])({})(?:ые|ых|ым|ыми)(?![\w])", lambda w, words: words.index(w.lower())),
}
# Multipliers: "twofold", "threefold" (and "two- to threefold"), "twice", "double", "triple".
_FOLD_RE = re.compile(r"\b([a-z]+)fold\b", re.IGNORECASE)
_MULTIPLIERS = {"twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3, "quadrupled": 4}


@cache
def _word_patterns(lang: str) -> tuple:
    """number_words' patterns for a language, compiled once (building the alternation of every
    number word cost more than matching it)."""
    table = NUMBER_WORDS.get(lang, {})
    decades = None
    if lang in _DECADE_WORDS:
        pattern, _index = _DECADE_WORDS[lang]
        decades = re.compile(pattern.format("|".join(_TENS[lang].split())), re.IGNORECASE)
    multipliers = (
        re.compile(r"\b(" + "|".join(_MULTIPLIERS) + r")\b", re.IGNORECASE)
        if lang == "en"
        else None
    )
    words = None
    if table:
        alternation = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
        # led by the set of first letters: the scan skips every other position at once instead
        # of trying each word there (the same matches, in half the time)
        firsts = re.escape("".join(sorted({w[0] for w in table})))
        words = re.compile(rf"(?=[{firsts}])\b(" + alternation + r")\b", re.IGNORECASE)
    stems = [
        (re.compile(r"(?<![а-яё])(?:" + stem + r")(?![а-яё])", re.IGNORECASE), value)
        for stem, value in (_RU_STEMS if lang == "ru" else ())
    ]
    return table, decades, multipliers, words, stems


def number_words(text: str, lang: str) -> list[Number]:
    table, decades, multipliers, words, stems = _word_patterns(lang)
    out = []
    if decades is not None:
        _pattern, index = _DECADE_WORDS[lang]
        tens = _TENS[lang].split()
        for m in decades.finditer(text):
            value = 1920 + 10 * index(m.group(1), tens)
            out.append(Number(m.start(), m.end(), m.group(), {Decimal(value)}, True))
    if multipliers is not None:
        for m in _FOLD_RE.finditer(text):
            value = table.get(m.group(1).lower())
            if value is not None:
                out.append(Number(m.start(), m.end(), m.group(), {Decimal(value)}, True))
        for m in multipliers.finditer(text):
            out.append(
                Number(
                    m.start(), m.end(), m.group(), {Decimal(_MULTIPLIERS[m.group().lower()])}, True
                )
            )
    if words is not None:
        for m in words.finditer(text):
            out.append(
                Number(m.start(), m.end(), m.group(), {Decimal(table[m.group().lower()])}, True)
            )
    for regex, value in stems:
        for m in regex.finditer(text):
            out.append(Number(m.start(), m.end(), m.group(), {Decimal(value)}, True))
    return out


def match(left: list[Number], right: list[Number]) -> tuple[list[int], list[int]]:
    """Maximum matching of figures by shared value (augmenting paths); returns the indexes of
    the unmatched figures on each side (words on either side only ever absorb figures)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, r in enumerate(right):
            if j in seen or not (left[i].values & r.values) or (left[i].word and r.word):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i, n in enumerate(left):
        if not n.word:
            augment(i, set())
    for i, n in enumerate(left):  # then let words absorb figures still unmatched
        if n.word and i not in owner.values():
            augment(i, set())
    matched = set(owner.values())
    lost = [i for i, n in enumerate(left) if not n.word and i not in matched]
    invented = [j for j, n in enumerate(right) if not n.word and j not in owner]
    return lost, invented


@check("numbers.mismatch", severity="blocking")
def numbers_mismatch(ctx: CheckContext):
    """A figure of the source is missing from the translation, or one was added."""
    extra = ctx.extras.get("placeholders") or ()
    src = numbers(ctx.source, ctx.source_lang, extra)
    tgt = numbers(ctx.target, ctx.target_lang, extra)
    lost, invented = match(src, tgt)
    reported: set[tuple[str, int]] = set()
    for i in lost:
        n = src[i]
        if ("s", n.start) in reported:
            continue
        reported.add(("s", n.start))
        yield Finding(
            "numbers.mismatch",
            _("the number {number} in the source is missing from the translation").format(
                number=n.text
            ),
        )
    for j in invented:
        n = tgt[j]
        if ("t", n.start) in reported:
            continue
        reported.add(("t", n.start))
        yield Finding(
            "numbers.mismatch",
            _("the number {number} is not in the source").format(number=n.text),
            start=n.start,
            end=n.end,
        )


# Languages whose texts write 1.000 for a thousand and 3,5 for three and a half.
_COMMA_DECIMAL = {"es", "ru", "de", "fr", "it", "pt", "uk", "pl", "tr", "nl"}
_DOT_THOUSANDS_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)")
_COMMA_DECIMAL_RE = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,]*\d)")


def _english_style(token: str) -> str:
    return token.replace(".", "\x00").replace(",", ".").replace("\x00", ",")


@check("numbers.format", severity="blocking", family="numbers")
def numbers_format(ctx: CheckContext):
    """An English translation that copies the source's number style ("3.000" reads as three in
    English, "11,6" as eleven-comma-six): what rule-based MT such as Apertium leaves behind."""
    if ctx.target_lang != "en" or ctx.source_lang not in _COMMA_DECIMAL:
        return
    target = mask_protected(ctx.target, ctx.extras.get("placeholders") or ())
    for regex in (_DOT_THOUSANDS_RE, _COMMA_DECIMAL_RE):
        for m in regex.finditer(target):
            if m.group() not in ctx.source:
                continue  # not copied from the source: the numbers check judges it
            yield Finding(
                "numbers.format",
                _(
                    "'{number}' keeps the source's number style; in English write '{english}'"
                ).format(number=m.group(), english=_english_style(m.group())),
                start=m.start(),
                end=m.end(),
            )
