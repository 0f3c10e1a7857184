"""Names: the people, places and organisations of the source are the ones in the translation.

`names.missing`: a name of the source has no rendering in the translation. Names are found
  - in Russian, by pymorphy3's Name, Surn, Geox and Orgn tags (any word position) and by
    capitalised words pymorphy3 does not know that are not at a sentence start;
  - in Spanish (and other Latin-script languages), as runs of capitalised words that are not at a
    sentence start (a run may start a sentence when it has two capitalised words or more).
  A rendering is the name itself, accent-folded (Latin script), a romanization in any of the
  common schemes (iuliia: Wikipedia, BS 2979, ICAO, BGN/PCGN, Moscow metro, Yandex, plus "x" for
  "ks"), the English exonym babel knows (countries and the world's big cities: Москва → Moscow,
  Bruselas → Brussels), or the glossary's rendering of a term that covers the name. Inflected
  forms count by their stem («Набиуллиной» ↔ "Nabiullina"). A capitalised Spanish word that is
  also a common word ("Economía", "Banco") is a name only when it is left verbatim; otherwise
  it counts as rendered when the back-translation of the English (see backtranslate.py) has it,
  and is not judged at all without one. Acronyms, patronymics, capitalised adjectives and
  quoted titles are not required (they are translated as often as not).
`names.added`: a capitalised word in the middle of an English sentence that is no English word
  and comes from neither the source (as above) nor the glossary — a name the MT made up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from translate.checks import CheckContext, Finding, check
from translate.checks.text import CYRILLIC_LANGS, CYRILLIC_RE, mask_protected
from translate.glossary.morph import DiskCache
from translate.i18n import _

TOKEN_RE = re.compile(r"[^\W\d_]+")
_CONNECTORS = {"es": {"de", "del", "la", "las", "los", "y", "el"}, "en": {"of", "the", "and"}}
_RU_NAME_TAGS = ("Name", "Surn", "Geox")
_RU_SCHEMES = ("WIKIPEDIA", "BS_2979_ALT", "ICAO_DOC_9303", "BGN_PCGN", "MOSMETRO", "YANDEX_MAPS")
_QUOTES = (("«", "»"), ("“", "”"), ('"', '"'), ("„", "“"))
# Abbreviations written with a capital and a full stop in English news ("Dec. 4", "Gen.").
ENGLISH_ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    sun gen sen rep gov lt col capt sgt adm cmdr st mt ft ave blvd mr mrs ms dr jr sr co corp
    inc ltd bros no vol""".split()
)
INITIALS_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")
MIN_STEM = 4  # shortest common prefix that makes an inflected form and a rendering one name


@dataclass
class Name:
    start: int  # span in the source
    end: int
    text: str
    forms: frozenset[str]  # folded Latin forms any of which renders it
    exonyms: frozenset[str]  # folded English names of it (may have spaces)
    common: bool = False  # also a common word of the language: judged via back-translation


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-folded, accents and marks removed, apostrophes and the like dropped: "Pérez" ->
    "perez", "Kondrat'ev" -> "kondratev"."""
    text = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum() or ch == " ")


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """The words of `text` as (start, end, word); a segment's checks ask it of the same texts."""
    return tuple((m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text))


@cache
def _schemes():
    import iuliia

    return [getattr(iuliia, name) for name in _RU_SCHEMES]


@lru_cache(maxsize=1 << 14)
def romanizations(word: str) -> frozenset[str]:
    """Folded Latin spellings of a Cyrillic word in the common schemes (and "x" for "ks")."""
    out = set()
    for scheme in _schemes():
        form = fold(scheme.translate(word.lower()))
        if form:
            out.add(form)
            out.add(form.replace("ks", "x"))
            if form.endswith(("iy", "yy", "ii")):
                out.add(form[:-2] + "y")
                out.add(form[:-2] + "i")
    return frozenset(out)


_EXONYMS = DiskCache("exonyms")
EXONYMS_VERSION = 1  # of the table's making (fold, the zones walked): a new one rebuilds it


@cache
def _exonyms(lang: str) -> dict[str, frozenset[str]]:
    """Folded names of countries and big cities in `lang` -> their folded English names; built
    from babel's data once (walking every time zone costs ~0.3 s) and kept on disk."""
    import babel

    table = _EXONYMS.get(
        f"{EXONYMS_VERSION}:{babel.__version__}:{lang}",
        lambda: {k: sorted(v) for k, v in _exonyms_from_babel(lang).items()},
    )
    return {k: frozenset(v) for k, v in table.items()}


def _exonyms_from_babel(lang: str) -> dict[str, frozenset[str]]:
    from babel import Locale
    from babel.dates import get_timezone_location

    try:
        here, english = Locale.parse(lang), Locale("en")
    except Exception:  # noqa: BLE001 - a language babel does not know: no exonyms
        return {}
    table: dict[str, set[str]] = {}
    for code, name in here.territories.items():
        if code in english.territories:
            table.setdefault(fold(name), set()).add(fold(english.territories[code]))
    import zoneinfo

    for zone in zoneinfo.available_timezones():
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/")):
            continue
        try:
            local = get_timezone_location(zone, locale=here, return_city=True)
            eng = get_timezone_location(zone, locale=english, return_city=True)
        except Exception:  # noqa: BLE001 - babel has no name for this zone
            continue
        if local and eng:
            table.setdefault(fold(local), set()).add(fold(eng))
    return {k: frozenset(v) for k, v in table.items() if k}


@lru_cache(maxsize=4096)
def _sentence_starts(text: str, lang: str) -> frozenset[int]:
    """Offsets of the first word of each sentence (quotes, dashes and the like skipped)."""
    from translate.segment import split

    starts, at = set(), 0
    for sentence in split(text, lang):
        m = TOKEN_RE.search(sentence.text)
        if m:
            starts.add(at + m.start())
        at += len(sentence.text) + len(sentence.ws)
    # a quotation inside a sentence starts with a capital too: «Мы не…», — сказал
    for m in re.finditer(r"[«“\"„:—–]\s*([^\W\d_])", text):
        starts.add(m.start(1))
    return frozenset(starts)


def _inside_quotes(text: str) -> list[tuple[int, int]]:
    spans = []
    for opener, closer in _QUOTES:
        for m in re.finditer(
            re.escape(opener) + r"([^" + re.escape(closer) + r"]{1,60})" + re.escape(closer), text
        ):
            spans.append(m.span(1))
    return spans


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _hyphen_groups(text: str, words: list[tuple[int, int, str]]) -> list[list]:
    """Words joined by hyphens (Санкт-Петербург, Ростов-на-Дону) as one group each."""
    groups: list[list] = []
    for word in words:
        if groups and text[groups[-1][-1][1] : word[0]] == "-":
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _ru_normals(word: str) -> tuple[str, ...]:
    from translate.glossary.morph import morph

    return tuple(morph().normal_forms(word))


def _ru_tag(word: str):
    from translate.glossary.morph import ru_parses

    parses = ru_parses(word)
    return parses[0].tag if parses else ""


@lru_cache(maxsize=1 << 14)
def _ru_analysis(word: str) -> tuple[bool, tuple[str, ...], bool, bool]:
    """(tagged as a person or place, normal forms of those parses, known word, patronymic or
    adjective)."""
    from translate.glossary.morph import morph, ru_parses

    parses = ru_parses(word)
    named = [p for p in parses if any(t in p.tag for t in _RU_NAME_TAGS) and p.score >= 0.1]
    other = bool(parses) and ("Patr" in parses[0].tag or parses[0].tag.POS in ("ADJF", "ADJS"))
    normals = tuple(dict.fromkeys(p.normal_form for p in named))
    return bool(named), normals, morph().word_is_known(word.lower()), other and not named


@lru_cache(maxsize=1 << 14)
def _es_known(word: str) -> bool:
    import simplemma

    return simplemma.is_known(word.lower(), lang="es")


@lru_cache(maxsize=1 << 15)
def english_word(word: str) -> bool:
    """A common word of English, so capitalised it is no invented name: Apertium's English
    analyser knows it and not as a proper noun (without Apertium: simplemma's dictionary)."""
    from translate.checks.backtranslate import analyse, analyser

    if analyser("en") is not None:
        readings = analyse([word, word.lower()], "en")
        return any("<np>" not in r for w in (word, word.lower()) for r in readings.get(w, ()))
    import simplemma

    low = word.lower()
    return simplemma.is_known(low, lang="en") or simplemma.is_known(
        simplemma.lemmatize(low, lang="en"), lang="en"
    )


def _glossary_spans(ctx: CheckContext) -> list[tuple[int, int, str]]:
    """(start, end, rendering) of the glossary terms matched in the source."""
    verifier = ctx.extras.get("glossary")
    if verifier is None or verifier.matcher is None:
        return []
    known = ctx.extras.get("_glossary_spans")  # asked by several checks of one segment
    if known is not None and known[0] == ctx.source:
        return list(known[1])
    out = []
    for m in verifier.matcher.find(ctx.source):
        entry = verifier.glossary.entries[m.entry]
        out.append((m.start, m.end, entry.rendering or entry.source))
    ctx.extras["_glossary_spans"] = (ctx.source, tuple(out))
    return out


def source_names(ctx: CheckContext) -> list[Name]:
    """The names of the source that the translation must render (glossary terms excluded)."""
    return list(_source_names(ctx.source, ctx.source_lang, tuple(_glossary_spans(ctx))))


@lru_cache(maxsize=2048)
def _source_names(source: str, lang: str, glossary: tuple) -> tuple[Name, ...]:
    text = mask_protected(source)
    starts = _sentence_starts(text, lang)
    quoted = _inside_quotes(text)
    words = tokens(text)
    exonyms = _exonyms(lang)

    def covered(s: int, e: int) -> bool:
        return any(gs <= s and e <= ge for gs, ge, _r in glossary)

    names: list[Name] = []
    if lang in CYRILLIC_LANGS:
        for group in _hyphen_groups(text, words):
            s, e = group[0][0], group[-1][1]
            if not any(_capitalised(w) for _s, _e, w in group) or covered(s, e):
                continue
            if not all(CYRILLIC_RE.match(w) for _s, _e, w in group):
                continue
            forms: set[str] = set()
            ex: set[str] = set()
            required = False
            for _gs, _ge, w in group:
                named, normals, _known, _other = _ru_analysis(w)
                required |= named and _capitalised(w)
                forms |= romanizations(w)
                for normal in normals:
                    forms |= romanizations(normal)
                for key in {fold(w), *map(fold, normals)}:
                    ex |= exonyms.get(key, set())
            if not required:
                continue  # organisations, adjectives, unknown words: translated as often as not
            if any(qs <= s < qe for qs, qe in quoted) and len(group) == 1:
                if "Geox" not in str(_ru_tag(group[0][2])):
                    continue  # a quoted title: «Холоп» is "Serf"
            names.append(Name(s, e, text[s:e], frozenset(forms), frozenset(ex)))
        return tuple(names)
    # Latin script: runs of capitalised words (connectors allowed inside a run).
    from translate.checks.backtranslate import analyse, analyser

    tagged = analyser(lang) is not None
    if tagged:  # one lt-proc call for the segment's capitalised words not analysed yet
        caps_words = [w for _s, _e, w in words if _capitalised(w)]
        analyse(caps_words + [w.lower() for w in caps_words], lang)
    connectors = _CONNECTORS.get(lang, set())
    i = 0
    while i < len(words):
        s, e, w = words[i]
        if not _capitalised(w):
            i += 1
            continue
        run = [words[i]]
        j = i + 1
        while j < len(words):
            gap = text[run[-1][1] : words[j][0]]
            if gap.strip() not in ("", "-") or "\n" in gap:
                break
            if _capitalised(words[j][2]):
                run.append(words[j])
                j += 1
            elif words[j][2] in connectors and j + 1 < len(words) and _capitalised(words[j + 1][2]):
                j += 1
            else:
                break
        i = j
        first_of_run = len(names)
        caps = [t for t in run if _capitalised(t[2])]
        if caps[0][0] in starts:
            if len(caps) < 2:
                continue
            caps = caps[1:] if caps[0][2].lower() in _LATIN_STOP.get(lang, ()) else caps
        for s2, e2, w2 in caps:
            if covered(s2, e2) or (s2 in starts and len(caps) < 2):
                continue
            if any(qs <= s2 < qe for qs, qe in quoted):
                continue
            if w2.lower() in _LATIN_STOP.get(lang, ()) or len(w2) < 2:
                continue
            key = fold(w2)
            ex = set(exonyms.get(key, ()))
            for phrase in _subruns(caps, s2):  # Estados Unidos, Ciudad de México
                ex |= exonyms.get(phrase, set())
            if tagged:
                from translate.checks.backtranslate import proper_noun

                if proper_noun(w2, lang) or ex:
                    names.append(Name(s2, e2, w2, frozenset({key}), frozenset(ex)))
                continue  # a common word capitalised ("Tribunal Supremo"): translated
            names.append(Name(s2, e2, w2, frozenset({key}), frozenset(ex), _common(w2, lang)))
        run_names = names[first_of_run:]
        if tagged:
            continue
        if run_names and all(n.common for n in run_names) and not any(n.exonyms for n in run_names):
            # only common words ("Jornada Mundial de la Juventud", "Banco Central"): a name
            # that is translated (places babel knows, such as Madrid, have exonyms and stay)
            del names[first_of_run:]
    return tuple(names)


def _subruns(caps: list[tuple[int, int, str]], at: int, longest: int = 4) -> set[str]:
    """Folded phrases of 2+ consecutive capitalised words of a run that contain the word at `at`."""
    out = set()
    for i in range(len(caps)):
        for j in range(i + 2, min(len(caps), i + longest) + 1):
            if caps[i][0] <= at <= caps[j - 1][0]:
                out.add(fold(" ".join(c[2] for c in caps[i:j])))
    return out


def _common(word: str, lang: str) -> bool:
    """A common word of a Latin-script source (the Spanish dictionary knows it)."""
    return lang == "es" and _es_known(word)


_LATIN_STOP = {
    "es": frozenset(
        "el la los las un una unos unas de del en y con por para según tras ante este esta "
        "estos estas ese esa su sus al lo no sí".split()
    )
}


def _similar(form: str, word: str) -> bool:
    if form == word:
        return True
    if len(form) < MIN_STEM or len(word) < MIN_STEM - 1:
        return False
    from rapidfuzz.fuzz import ratio

    if ratio(form, word) >= 80:
        return True
    # inflected forms: a long common stem, the rest at most a short ending on each side
    n = 0
    for a, b in zip(form, word, strict=False):
        if a != b:
            break
        n += 1
    return n >= max(MIN_STEM, min(len(form), len(word)) - 2) and abs(len(form) - len(word)) <= 3


class _SimilarTo:
    """`any(_similar(form, word) for form in forms)` for many words against the same forms: the
    forms indexed once by length and by their first MIN_STEM letters, the ratio asked of all the
    forms long enough in one rapidfuzz call instead of one Python call per form."""

    def __init__(self, forms) -> None:
        self.forms = set(forms)
        self.long = [f for f in self.forms if len(f) >= MIN_STEM]
        self.by_stem: dict[str, list[str]] = {}
        for f in self.long:
            self.by_stem.setdefault(f[:MIN_STEM], []).append(f)

    def __call__(self, word: str) -> bool:
        if word in self.forms:
            return True
        if len(word) < MIN_STEM - 1 or not self.long:
            return False
        from rapidfuzz import fuzz, process

        if process.extractOne(word, self.long, scorer=fuzz.ratio, score_cutoff=80) is not None:
            return True
        # _similar's inflection rule needs a common start of MIN_STEM letters or more
        return any(_similar(f, word) for f in self.by_stem.get(word[:MIN_STEM], ()))


def _similar_in(words: tuple[str, ...], forms) -> bool:
    """`any(_similar(form, word) for word in words for form in forms)`, with one rapidfuzz call
    per form over the words instead of a Python call per pair."""
    present = set(words)
    candidates = [w for w in present if len(w) >= MIN_STEM - 1]
    from rapidfuzz import fuzz, process

    for form in forms:
        if form in present:
            return True
        if len(form) < MIN_STEM or not candidates:
            continue
        if process.extractOne(form, candidates, scorer=fuzz.ratio, score_cutoff=80) is not None:
            return True
        stem = form[:MIN_STEM]
        if any(w.startswith(stem) and _similar(form, w) for w in candidates):
            return True
    return False


def _demonym(exonym: str, word: str) -> bool:
    """ "Spanish" for Spain, "Russian" for Russia: a shared start of 3+ letters and 60 %."""
    n = 0
    for a, b in zip(exonym, word, strict=False):
        if a != b:
            break
        n += 1
    return n >= 3 and n >= 0.6 * len(exonym) and len(word) >= len(exonym) - 1


def rendered(name: Name, target_words: list[str], target_folded: str, back: set[str]) -> bool:
    """Whether `name` has a rendering among the folded words of the translation."""
    for ex in name.exonyms:
        if re.search(r"(?<!\w)" + re.escape(ex) + r"(?!\w)", target_folded):
            return True
        if " " not in ex and any(_demonym(ex, word) for word in target_words):
            return True
        if " " in ex and "".join(part[0] for part in ex.split()) in target_words:
            return True  # United States -> U.S.
    if name.forms and _similar_in(tuple(target_words), name.forms):
        return True
    if back:  # Ginebra ↔ "Geneva": Apertium's English→source dictionary knows exonyms
        return any(form in back for form in name.forms)
    return False


def _back_words(ctx: CheckContext) -> set[str]:
    back = ctx.extras.get("back_translation")
    return {fold(w) for _s, _e, w in tokens(back)} if back else set()


@check("names.missing")
def names_missing(ctx: CheckContext):
    """A name of the source (person, place, organisation) has no rendering in the translation."""
    from translate.checks.language import left_in_source

    if ctx.source_lang == ctx.target_lang or left_in_source(ctx):
        return
    names = source_names(ctx)
    if not names:
        return
    target = mask_protected(ctx.target)
    words = [fold(w) for _s, _e, w in tokens(target)]
    words += [fold(m.group()) for m in INITIALS_RE.finditer(target)]  # "U.S." -> "us"
    folded = " ".join(words)
    back = _back_words(ctx)
    reported: set[str] = set()
    for name in names:
        if name.common and not back:
            continue  # a common word too: without a back-translation there is no telling
        if name.text in reported or rendered(name, words, folded, back):
            continue
        reported.add(name.text)
        yield Finding(
            "names.missing",
            _("the name «{name}» of the source is not in the translation").format(name=name.text),
        )


def _next_to(text: str, s: int, e: int, matched: set[int], caps) -> bool:
    """Whether the capitalised word at s..e is joined (by a space or hyphen) to a matched one."""
    for cs, ce, _w in caps:
        if cs in matched and (text[ce:s] in (" ", "-") or text[e:cs] in (" ", "-")):
            return True
    return False


def _source_forms(ctx: CheckContext) -> tuple[frozenset[str], str]:
    """Every folded form a source word may take in English, and the folded glossary renderings
    and exonyms as one string."""
    renderings = tuple(r for _s, _e, r in _glossary_spans(ctx))
    return _source_forms_of(ctx.source, ctx.source_lang, renderings)


@lru_cache(maxsize=4096)  # a re-check reads the same source again (and a job repeated lines)
def _source_forms_of(
    source: str, lang: str, renderings: tuple[str, ...]
) -> tuple[frozenset[str], str]:
    forms: set[str] = set()
    extra: list[str] = [fold(r) for r in renderings]
    cyrillic = lang in CYRILLIC_LANGS
    exonyms = _exonyms(lang)
    for _s, _e, w in tokens(source):
        forms.add(fold(w))
        if cyrillic and CYRILLIC_RE.match(w):
            forms |= romanizations(w)
            for normal in {*_ru_analysis(w)[1], *_ru_normals(w)}:
                forms |= romanizations(normal)
                extra += exonyms.get(fold(normal), ())
        extra += exonyms.get(fold(w), ())
    return frozenset(forms), " ".join(extra)


@check("names.added")
def names_added(ctx: CheckContext):
    """A name in the translation that is in neither the source nor the glossary."""
    from translate.checks.language import left_in_source

    if ctx.source_lang == ctx.target_lang or ctx.target_lang != "en" or left_in_source(ctx):
        return
    target = mask_protected(ctx.target)
    words = tokens(target)
    caps = [t for t in words if t[2][:1].isupper()]
    if not words or len(caps) * 10 > len(words) * 6:
        return  # Title Case headline: capitals say nothing
    candidates = [
        (s, e, w)
        for s, e, w in caps
        if len(w) > 2 and not w.isupper() and not CYRILLIC_RE.search(w)
    ]
    if not candidates:
        return
    from translate.checks.backtranslate import analyse

    analyse([w for _s, _e, w in candidates] + [w.lower() for _s, _e, w in candidates], "en")
    candidates = [c for c in candidates if not english_word(c[2])]
    if not candidates:
        return
    starts = _sentence_starts(target, ctx.target_lang)  # last: it splits the text into sentences
    candidates = [c for c in candidates if c[0] not in starts]
    if not candidates:
        return
    forms, extra = _source_forms(ctx)
    extra_words = set(extra.split())
    similar = _SimilarTo(forms)
    from_source: set[int] = set()
    parts: set[int] = set()  # words that are part of one source word: "Puerto" of puertorriqueño
    for s, _e, w in caps:
        word = fold(w)
        if word in extra_words or similar(word):
            from_source.add(s)
        elif len(word) >= 4 and any(word in f for f in forms if len(f) > len(word)):
            from_source.add(s)
            parts.add(s)
    unexplained = [c for c in candidates if c[0] not in from_source]
    if unexplained and ctx.extras.get("reverse_lookup"):
        # where the desk back-translates, ask Apertium what the word is in the source language
        # ("Geneva" -> Ginebra, "Mars" -> Marte)
        from translate.checks.backtranslate import reverse_mode, translate_words

        mode = reverse_mode(ctx.source_lang, ctx.target_lang)
        back = translate_words([w for _s, _e, w in unexplained], mode) if mode else {}
        source_words = {fold(w) for _s, _e, w in tokens(ctx.source)}
        for s, _e, w in unexplained:
            rendering = [fold(x) for _a, _b, x in tokens(back.get(w, ""))]
            if rendering and any(_similar(r, sw) for r in rendering for sw in source_words):
                from_source.add(s)
    for s, e, w in candidates:
        if s in from_source:
            continue
        if _next_to(target, s, e, parts, caps):
            continue  # part of a name that comes from the source ("Puerto Rican")
        if target[e : e + 1] == "." and w.lower() in ENGLISH_ABBREVIATIONS:
            continue
        yield Finding(
            "names.added",
            _("«{name}» is in neither the source nor the glossary").format(name=w),
            start=s,
            end=e,
        )
