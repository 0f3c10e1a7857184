"""Russian personal names no glossary entry covers, romanized with the house scheme.

Names are found in the Russian source with pymorphy3 (its Name / Surn / Patr grammemes), put in
the nominative of their own gender (Навальной -> Навальная) and romanized with iuliia: the `house`
scheme is iuliia's `wikipedia` scheme plus the short list of news spellings below (Sergei, Alexei,
Yuri, Dmitry, Navalny, Gorbachev, Tchaikovsky); any other iuliia scheme name can be chosen
(`names: {scheme: bgn_pcgn}`) and `exceptions` add the desk's own spellings. In the draft the
engine's rendering is the Cyrillic word itself (left untranslated) or a romanization of it in
another scheme ("Sergey", "Aleksei", "Naval'ny"); either becomes the house spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from translate.localize.common import Context, Edit

RULE = "names"
OPTIONS = {"scheme": str, "exceptions": dict}

# The house scheme on top of iuliia's wikipedia scheme: whole-name exceptions, then rules.
HOUSE_EXCEPTIONS = {
    "Юрий": "Yuri",
    "Чайковский": "Tchaikovsky",
    "Алексей": "Alexei",
    "Александр": "Alexander",
    "Александра": "Alexandra",
    "Наталья": "Natalia",
    "Ксения": "Ksenia",
    "Мария": "Maria",
    "Юлия": "Yulia",
}
# Cyrillic before romanizing: ё after a hushing consonant is "e" (Gorbachev, Khrushchev)
_HOUSE_CYRILLIC = ((re.compile(r"(?<=[жчшщЖЧШЩ])ё"), "е"),)
# Latin after romanizing: final -ey is -ei (Sergei, Andrei), -iy is -y (Dmitry)
_HOUSE_LATIN = ((re.compile(r"ey\b"), "ei"), (re.compile(r"iy\b"), "y"))
_CYRILLIC_WORD = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?![\w-])")
_LATIN_WORD = re.compile(r"(?<![\w'’-])[A-Z][A-Za-z'’]+(?:-[A-Z][A-Za-z'’]+)?(?![\w-])")
_NAME_TAGS = ("Name", "Surn", "Patr")


@cache
def _schema(name: str):
    import iuliia

    return iuliia.schemas.get(name)


@cache
def scheme_names() -> tuple[str, ...]:
    import iuliia

    return tuple(iuliia.schemas.names())


@lru_cache(maxsize=4096)
def romanize(word: str, scheme: str = "house", exceptions: tuple = ()) -> str:
    extra = dict(exceptions)
    if word in extra:
        return extra[word]
    if scheme == "house":
        if word in HOUSE_EXCEPTIONS:
            return HOUSE_EXCEPTIONS[word]
        text = word
        for pattern, repl in _HOUSE_CYRILLIC:
            text = pattern.sub(repl, text)
        latin = _schema("wikipedia").translate(text)
        for pattern, repl in _HOUSE_LATIN:
            latin = pattern.sub(repl, latin)
        return latin
    return _schema(scheme).translate(word)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if ch.isascii() and ch.isalpha())
    return text.lower()


@lru_cache(maxsize=4096)
def variants(*words: str) -> frozenset[str]:
    """Every romanization of the words in every iuliia scheme, folded to plain lower-case ASCII."""
    out = set()
    for word in words:
        for name in scheme_names():
            try:
                out.add(_fold(_schema(name).translate(word)))
            except Exception:  # noqa: BLE001 - a scheme that cannot take a word adds nothing
                continue
        out.add(_fold(romanize(word)))
    return frozenset(v for v in out if v)


_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")


def _name_parses(word: str) -> list:
    from translate.glossary.morph import ru_parses

    return [p for p in ru_parses(word) if any(t in p.tag for t in _NAME_TAGS) and p.score >= 0.05]


def _nominative(parse) -> str:
    gender = {g for g in ("masc", "femn") if g in parse.tag}
    form = parse.inflect({"nomn", "sing", *gender}) or parse.inflect({"nomn"})
    base = form.word if form else parse.normal_form
    return base[:1].upper() + base[1:]


def nominatives(words: list[str]) -> list[str | None]:
    """The nominative of each word of a run of capitalised words that pymorphy3 reads as a
    personal name (None for the others). A first name fixes the run's case and gender, so that
    «Натальи Горбачёвой» gives Наталья Горбачёва and «Сергея Лаврова» Сергей Лавров (not the
    female Лаврова the form alone could be)."""
    parses = [_name_parses(w) for w in words]
    case = gender = None
    for options in parses:
        first = [p for p in options if "Name" in p.tag]
        if first:
            best = max(first, key=lambda p: p.score)
            case = next((c for c in _CASES if c in best.tag), None)
            gender = next((g for g in ("masc", "femn") if g in best.tag), None)
            break
    out: list[str | None] = []
    for options in parses:
        if not options:
            out.append(None)
            continue
        ranked = sorted(
            options,
            key=lambda p: (
                (case is not None and case in p.tag) + (gender is not None and gender in p.tag),
                case is None and "nomn" in p.tag,
                p.score,
            ),
            reverse=True,
        )
        out.append(_nominative(ranked[0]))
    return out


def find(ctx: Context) -> list[Edit]:
    if ctx.lang != "ru":
        return []
    scheme = ctx.options.get("scheme", "house") or "house"
    exceptions = tuple(sorted((ctx.options.get("exceptions") or {}).items()))
    skip = ctx.options.get("_covered") or set()
    names: dict[str, tuple[str, str]] = {}  # surface -> (nominative, house spelling)
    words = list(_CYRILLIC_WORD.finditer(ctx.source))
    runs: list[list[re.Match]] = []
    for m in words:
        if runs and ctx.source[runs[-1][-1].end() : m.start()].strip() == "":
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        surfaces = [m.group() for m in run]
        parts = [surface.split("-") for surface in surfaces]
        flat = [p for group in parts for p in group]
        noms = iter(nominatives(flat))
        for surface, group in zip(surfaces, parts, strict=True):
            found = [next(noms) for _p in group]
            if surface in names or surface.lower() in skip or not all(found):
                continue
            nominative = "-".join(f for f in found if f)
            house = "-".join(romanize(f, scheme, exceptions) for f in found if f)
            names[surface] = (nominative, house)
    if not names:
        return []
    edits: list[Edit] = []
    latin: dict[str, str] = {}
    for surface, (nominative, house) in names.items():
        for variant in variants(surface, nominative):
            latin.setdefault(variant, house)
        for m in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", ctx.draft):
            if ctx.free(*m.span()):
                edits.append(Edit(m.start(), m.end(), house, RULE))
    for m in _LATIN_WORD.finditer(ctx.draft):
        house = latin.get(_fold(m.group()))
        if house and house != m.group() and ctx.free(*m.span()):
            if not any(m.start() < e.end and e.start < m.end() for e in edits):
                edits.append(Edit(m.start(), m.end(), house, RULE))
    return sorted(edits, key=lambda e: e.start)
