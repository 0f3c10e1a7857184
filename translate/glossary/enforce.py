"""Glossary enforcement around MT: mask -> translate -> restore (verification is in verify.py).

The MT stage calls, per sentence:
    enf = enforcer_for(workflow, pair)           # always an object
    masked, state = enf.mask(source_text)        # verify mode / no glossary: text unchanged
    text, ok = enf.restore(translated, state)    # ok False: a placeholder was lost, duplicated or
                                                 # altered -> retranslate unmasked and keep that,
    text, n = enf.place(unmasked, alignment, state)  # with the terms put in where the engine's
                                                 # word alignment locates them
Placeholders are plain Latin capitals + digits ("ZQX1", "ZQX2"): SentencePiece/CTranslate2
(argos) copies them, argos's decoding does not touch them (it turns '_' into spaces, so __T1__ would
not survive), and Apertium passes them through as unknown words (XML-ish tags break its sentences).
Restore puts the approved target term back, capitalised at a sentence start and pluralised (inflect)
when the source word was plural and the target is a common noun (no capitals): «орхидеи» -> orchids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translate.glossary.entry import Entry, Glossary
from translate.glossary.matcher import Match, Matcher

PREFIXES = ("ZQX", "QZX", "XZQ", "ZXQ", "QXZ", "XQZ", "ZQJ", "JQZ")
_OPENERS = re.compile(r"[\s\"'«»“”„‘’(\[—–\-]*$")
_SENTENCE_END = ".!?…"


@dataclass
class Slot:
    placeholder: str
    replacement: str
    entry: int
    source: str  # the matched source words, as written


@dataclass
class MaskState:
    slots: list[Slot] = field(default_factory=list)
    prefix: str | None = None
    matches: list[Match] = field(default_factory=list)
    markup: bool = False  # terms sent as <g id="n">source words</g>, not as placeholders

    @property
    def masked(self) -> bool:
        return bool(self.slots)


def replacement(entry: Entry, plural: bool, singular: bool = False) -> str:
    """What goes into the translation for a match of this entry: in the number of the text (a
    singular entry used in the plural, a plural entry in the singular)."""
    from translate.glossary.morph import english_plural, english_singular

    text = entry.rendering if proper(entry) else common_form(entry.rendering)
    if entry.kind != "keep" and text == text.lower():
        if plural:
            return english_plural(text)
        if singular:
            return english_singular(text)
    return text


_MINOR = frozenset("a an and at by for in of on or the to".split())


def proper(entry: Entry) -> bool:
    """A proper noun keeps its capitals: keep terms, case-sensitive ones, and terms written with a
    capital in the source language (Газпром, Oriente Medio)."""
    return entry.kind == "keep" or entry.case_sensitive or entry.source[:1].isupper()


def common_form(value: str) -> str:
    """A common noun's rendering in lower case ("Prosecutor" -> "prosecutor"; "NGO" stays)."""
    return " ".join(
        w.lower() if w[:1].isupper() and w[1:] == w[1:].lower() else w for w in value.split(" ")
    )


def cased(entry: Entry, value: str, text: str, start: int) -> str:
    """Capitals follow the term, not the entry: a common noun is lower-case ("Prosecutor" typed in
    the glossary becomes "prosecutor" mid-sentence), except inside a capitalised multi-word name —
    a common-noun term the source capitalises mid-sentence («Comisión Interamericana de Derechos
    Humanos») keeps capitals ("Human Rights"). The capital at a sentence start is added on restore."""
    if proper(entry) or not value:
        return value
    words = common_form(value).split(" ")
    if text[start : start + 1].isupper() and not at_sentence_start(text, start):
        words = [w[:1].upper() + w[1:] if w and w not in _MINOR else w for w in words]
        if words and words[0]:
            words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def at_sentence_start(text: str, position: int) -> bool:
    before = _OPENERS.sub("", text[:position])
    return not before or before[-1] in _SENTENCE_END


_WORD = re.compile(r"\w")
_INNER_STOP = re.compile(r"\.(?=\s)")


def _own_stop(term: str, text: str, end: int) -> bool:
    """Whether the full stop after a matched term is the term's own («EE. UU.», «S.A.») in the
    middle of a sentence: the engine would read it as the sentence's end ("It arrived to US. With
    his family", "US., Mexico"), so it is not sent (the approved rendering replaces the term, stop
    and all). At the end of the sentence it stays: it ends the sentence too."""
    return (
        term.endswith(".")
        and text[end : end + 1] == "."
        and _WORD.search(text, end + 1) is not None
    )


class Enforcer:
    def __init__(
        self,
        glossary: Glossary,
        matcher: Matcher | None,
        mode: str = "mask",
        source_lang: str = "",
        target_lang: str = "en",
    ):
        self.glossary = glossary
        self.matcher = matcher
        self.mode = mode
        self.source_lang = source_lang
        self.target_lang = target_lang

    @property
    def active(self) -> bool:
        return self.mode == "mask" and self.matcher is not None and len(self.matcher) > 0

    def matches(self, text: str) -> list[Match]:
        return self.matcher.find(text) if self.matcher is not None else []

    def mask(self, text: str, markup: bool = False) -> tuple[str, MaskState]:
        """Protect the glossary terms of a source sentence for MT.

        Placeholders (ZQX1) by default: the engine sees an unknown word. With `markup` (engines
        whose capabilities say so: Apertium) each term stays in the sentence as inline markup,
        `<g id="1">fiscales</g>`, which the engine carries through its own format handling
        (Apertium: a word-bound blank), so it translates and reorders the words around the term as
        it would around its own translation, and restore replaces the marked words.
        """
        if not self.active:
            return text, MaskState()
        matches = [m for m in self.matches(text) if self.glossary.entries[m.entry].rendering]
        if not matches:
            return text, MaskState()
        folded = text.casefold()
        if markup and "<g" in folded:
            markup = False  # the text has markup of its own: placeholders are safer
        prefix = next((p for p in PREFIXES if p.casefold() not in folded), None)
        if prefix is None and not markup:
            return text, MaskState()
        parts, slots, pos = [], [], 0
        for n, m in enumerate(matches, 1):
            surface = text[m.start : m.end]
            # inside the markup a full stop before a space would end Apertium's sentence («EE. UU
            # con» -> "With"): the engine sees the term's words without it
            inner = _INNER_STOP.sub("", surface)
            placeholder = f'<g id="{n}">{inner}</g>' if markup else f"{prefix}{n}"
            entry = self.glossary.entries[m.entry]
            parts += [text[pos : m.start], placeholder]
            end = m.end
            if _own_stop(entry.source, text, end):
                end += 1  # «EE. UU. con»: the term's own full stop is no sentence end
            value = cased(entry, replacement(entry, m.plural, m.singular), text, m.start)
            if _shouting(surface) and not _shouting(entry.source):
                value = value.upper()  # a dateline or headline in capitals stays in capitals
            slots.append(Slot(placeholder, value, m.entry, surface))
            pos = end
        parts.append(text[pos:])
        return "".join(parts), MaskState(slots, prefix, matches, markup)

    def restore(self, text: str, state: MaskState) -> tuple[str, bool]:
        if not state.slots:
            return text, True
        if state.markup:
            return self._restore_markup(text, state)
        pattern = re.compile(rf"(?i)\b{state.prefix}(\d+)\b")
        found = pattern.findall(text)
        expected = [str(n) for n in range(1, len(state.slots) + 1)]
        if sorted(found, key=int) != expected:
            return text, False  # lost, duplicated or unknown placeholders
        if len(re.findall(rf"(?i){state.prefix}", text)) != len(found):
            return text, False  # a placeholder glued to other text or cut short

        out, pos = [], 0
        for m in pattern.finditer(text):
            before = text[pos : m.start()]
            value = state.slots[int(m.group(1)) - 1].replacement
            if value and at_sentence_start(text, m.start()):
                value = value[0].upper() + value[1:]
            out.append(_fix_article(before, value) if self.target_lang == "en" else before)
            out.append(value)
            pos = m.end()
        out.append(text[pos:])
        return "".join(out), True

    def _restore_markup(self, text: str, state: MaskState) -> tuple[str, bool]:
        """Replace each `<g id="n">engine words</g>` with term n's approved rendering; every term
        must come back exactly once, in one piece."""
        found = [int(m.group(1)) for m in _GROUP.finditer(text)]
        if sorted(found) != list(range(1, len(state.slots) + 1)):
            return _strip_markup(text), False
        if len(re.findall(r"<g\b|</g>", text)) != 2 * len(found):
            return _strip_markup(text), False  # a group cut or nested
        out, pos = [], 0
        for m in _GROUP.finditer(text):
            before = text[pos : m.start()]
            slot = state.slots[int(m.group(1)) - 1]
            value = slot.replacement
            article = _LEADING_ARTICLE.match(m.group(2))
            moved = bool(article) and not value.lower().startswith(article.group().lower())
            if moved:
                before += article.group()  # "<g>an orchid</g>": the engine's article stays
            if value and not moved and at_sentence_start(text, m.start()):
                value = value[0].upper() + value[1:]
            out.append(_fix_article(before, value) if self.target_lang == "en" else before)
            out.append(value)
            pos = m.end()
        out.append(text[pos:])
        return "".join(out), True

    def place(self, text: str, alignment, state: MaskState) -> tuple[str, int]:
        """Put the approved renderings into a sentence translated WITHOUT placeholders (after
        restore failed), where the engine's word alignment locates them: (text, terms placed).

        A term's source words are the alignment's source words overlapping the match; the target
        words linked to them must form one contiguous run of at most 3 × the term's words + 2.
        That run (less punctuation at its edges) becomes the replacement restore would have used,
        capitalised at a sentence start and with its English article fixed. A term whose run is
        empty, broken, too long or shared with another term is left as the engine wrote it (the
        glossary check flags it if wrong); a run already holding the rendering is kept as it is.
        """
        if alignment is None or not state.slots:
            return text, 0
        runs: list[tuple[int, int, Slot] | None] = []
        claimed: list[set[int]] = []
        for slot, match in zip(state.slots, state.matches, strict=True):
            words = {
                k
                for k, (a, b) in enumerate(alignment.source_words)
                if a < match.end and b > match.start
            }
            linked = [j for j, k in enumerate(alignment.links) if k in words]
            claimed.append(words)
            if (
                not words
                or not linked
                or linked[-1] - linked[0] + 1 != len(linked)
                or len(linked) > 3 * max(len(match.words), 1) + 2
            ):
                runs.append(None)
                continue
            start = alignment.target_words[linked[0]][0]
            end = alignment.target_words[linked[-1]][1]
            while start < end and not text[start].isalnum():
                start += 1
            while end > start and not text[end - 1].isalnum():
                end -= 1
            runs.append((start, end, slot) if start < end else None)
        for n, words in enumerate(claimed):  # a source word shared by two terms: place neither
            if any(words & other for m, other in enumerate(claimed) if m != n):
                runs[n] = None
        found = sorted((r for r in runs if r), key=lambda r: r[0])
        for n in range(len(found) - 1, -1, -1):  # right to left: spans on the left stay valid
            start, end, slot = found[n]
            value = slot.replacement
            if value and at_sentence_start(text, start):
                value = value[0].upper() + value[1:]
            if value in text[start:end]:
                continue  # the engine got it right ("Gazprom's" stays)
            floor = found[n - 1][1] if n else 0  # fix an article, never inside the previous term
            before = text[floor:start]
            if self.target_lang == "en":
                before = _fix_article(before, value)
            text = text[:floor] + before + value + text[end:]
        return text, len(found)


_ARTICLE = re.compile(r"\b([Aa]n?)(\s+)$")
_GROUP = re.compile(r'<g id="(\d+)">(.*?)</g>', re.S)
_LEADING_ARTICLE = re.compile(r"(?:an?|the)\s+", re.I)


def _strip_markup(text: str) -> str:
    return re.sub(r'<g id="\d+">|</g>', "", text)


def _fix_article(before: str, word: str) -> str:
    """'a' or 'an' in front of the restored term, as its first sound wants (inflect)."""
    m = _ARTICLE.search(before)
    if not m or not word:
        return before
    from translate.glossary.morph import english_article

    article = english_article(word)
    if m.group(1)[0].isupper():
        article = article.capitalize()
    return before[: m.start(1)] + article + m.group(2)


def enforcer_for(workflow, pair) -> Enforcer:
    """The enforcer for a pair, from its glossary as the file is now (cached until it changes)."""
    from translate.glossary import glossary_path, loaded

    glossary, matcher = loaded(glossary_path(workflow, pair), pair.source, pair.target)
    return Enforcer(glossary, matcher, pair.enforcement, pair.source, pair.target)
