"""Find glossary terms in text: lemma keys, an automaton keyed on lemma ids, longest match wins.

Each glossary term is split into words; each word has a few keys (translate/glossary/morph.py) and
every combination of its words' keys is added to a pyahocorasick automaton as a tuple of integer key
ids (KEY_SEQUENCE mode) — never as a space-joined string, which silently loses overlapping matches.
A text is split into words, each word's keys are looked up, and from every word the automaton is
walked over the lattice of keys (so ambiguous words, with several lemmas, match through any of them).
Matches are whole words, never cross punctuation that ends a clause, and overlapping matches are
resolved longest first, then leftmost, then by file order.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from translate.glossary.entry import WORD_RE, Entry
from translate.glossary.morph import (
    fold,
    head_index,
    is_plural,
    is_singular,
    term_keys,
    text_keys,
)

MAX_COMBOS = 64
# Between two words of one term: spaces, quotes and joiners only; a '.' only after a short word
# (abbreviations: "EE. UU.", "т. е.").
_HARD_GAP = re.compile(r"[^\s\"'«»“”„‘’\-‐‑.]|\.\.")


@dataclass
class Match:
    entry: int  # index into the glossary's entries
    start: int  # character span in the text
    end: int
    words: list[tuple[str, str, str]]  # (text word, key it matched through, how: lemma/surface/..)
    plural: bool = False
    first: int = 0  # index of its first and last word among the text's words
    last: int = 0
    singular: bool = False  # the text is singular where the glossary term is plural

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class _Term:
    entry: int
    words: list[str]
    head: int


@dataclass
class Matcher:
    lang: str
    entries: list[Entry]
    vocab: dict[str, int] = field(default_factory=dict)
    terms: list[_Term] = field(default_factory=list)
    automaton: object = None
    _term_of: dict[int, int] = field(default_factory=dict)  # entry index -> term number
    _starts: set[int] = field(default_factory=set)  # key ids that begin some term
    _prefixes: set[str] | None = None  # es: first two letters of every key (a cheap pre-filter)
    _contexts: dict[int, tuple] = field(default_factory=dict)  # entry index -> its conditions

    @classmethod
    def build(cls, entries: list[Entry], lang: str) -> Matcher:
        import ahocorasick

        self = cls(lang=lang, entries=entries)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_SEQUENCE)
        vocab = self.vocab
        extra: list[tuple[int, list[str]]] = []
        for index, entry in enumerate(entries):
            words = WORD_RE.findall(entry.source)
            if not words:
                continue
            for variant in _spellings(words)[1:]:  # Kim Jong Un / Kim Jong-un: its own term
                extra.append((index, variant))
            term_no = len(self.terms)
            self._term_of[index] = term_no
            if entry.context:
                from translate.glossary.context import parse

                self._contexts[index] = parse(entry.context, lang)
            self.terms.append(_Term(index, words, head_index(words, lang)))
            key_sets = [term_keys(w, lang) for w in words]
            for combo in itertools.islice(itertools.product(*key_sets), MAX_COMBOS):
                ids = tuple(vocab.setdefault(k, len(vocab) + 1) for k in combo)
                self._starts.add(ids[0])
                found = automaton.get(ids, None)
                if found is None:
                    automaton.add_word(ids, [term_no])
                elif term_no not in found:
                    found.append(term_no)
        for index, words in extra:
            term_no = len(self.terms)
            self.terms.append(_Term(index, words, head_index(words, lang)))
            key_sets = [term_keys(w, lang) for w in words]
            for combo in itertools.islice(itertools.product(*key_sets), MAX_COMBOS):
                ids = tuple(vocab.setdefault(k, len(vocab) + 1) for k in combo)
                self._starts.add(ids[0])
                found = automaton.get(ids, None)
                if found is None:
                    automaton.add_word(ids, [term_no])
                elif term_no not in found:
                    found.append(term_no)
        self.automaton = automaton
        if lang == "es":
            # a Spanish word and its lemma, plural or diminutive base share their first two
            # letters (luces/luz, flores/flor): words that share none with any key are skipped
            # without a lemma lookup
            self._prefixes = {k[:2] for k in vocab}
        return self

    def __len__(self) -> int:
        return len(self.terms)

    def find_all(self, text: str) -> list[Match]:
        """Every match, overlapping ones included (before longest-match resolution)."""
        words = list(WORD_RE.finditer(text))
        if not words or not self.terms:
            return []
        lang, vocab, automaton = self.lang, self.vocab, self.automaton
        lattice: list[dict[int, tuple[str, str]]] = []
        starts = self._starts
        prefixes = self._prefixes
        for m in words:
            ids: dict[int, tuple[str, str]] = {}
            if prefixes is not None and fold(m.group(), lang)[:2] not in prefixes:
                lattice.append(ids)
                continue
            for key, how in text_keys(m.group(), lang):
                i = vocab.get(key)
                if i is not None and i not in ids:
                    ids[i] = (key, how)
            lattice.append(ids)
        joined = [False] + [_joinable(text, words[j - 1], words[j]) for j in range(1, len(words))]
        found: dict[tuple[int, int, int], tuple[int, ...]] = {}
        match_prefix, get = automaton.match, automaton.get
        for i, first in enumerate(lattice):
            if not first:
                continue
            frontier = [(k,) for k in first if k in starts]
            j = i
            while frontier:
                for path in frontier:
                    for term_no in get(path, ()):
                        found.setdefault((i, j, term_no), path)
                j += 1
                if j >= len(words) or not joined[j] or not lattice[j]:
                    break
                frontier = [
                    p + (k,) for p in frontier for k in lattice[j] if match_prefix(p + (k,))
                ]
        out = []
        for (i, j, term_no), path in found.items():
            term = self.terms[term_no]
            entry = self.entries[term.entry]
            span = words[i : j + 1]
            if entry.case_sensitive and not _same_case(term.words, [w.group() for w in span]):
                continue
            conditions = self._contexts.get(term.entry)
            if conditions:
                from translate.glossary.context import holds

                if not holds(conditions, text, words, i, j, lang):
                    continue
            used = [
                (w.group(), *lattice[i + n][k])
                for n, (w, k) in enumerate(zip(span, path, strict=True))
            ]
            out.append(Match(term.entry, span[0].start(), span[-1].end(), used, False, i, j))
        return out

    def near_misses(self, text: str, threshold: float = 85.0) -> list[tuple[int, int, int]]:
        """_near_misses, its recent answers kept (the warning reads a segment's source, the same
        text at every re-check after an edit)."""
        recent = self.__dict__.setdefault("_recent_near", {})
        found = recent.get((text, threshold))
        if found is None:
            found = self._near_misses(text, threshold)
            if len(recent) >= 4096:
                recent.clear()
            recent[(text, threshold)] = found
        return list(found)

    def _near_misses(self, text: str, threshold: float) -> list[tuple[int, int, int]]:
        """Capitalised words or phrases of `text` that are spelt almost like a glossary term
        written with a capital (a name) but matched nothing: (start, end, entry index), for a
        warning — "Kim Jong-eun" for "Kim Jong Un", "Gazprum" for "Gazprom". Differences of
        case, hyphens and apostrophes alone are not reported (they match, or are meant not to)."""
        names = self._names()
        if not names:
            return []
        from rapidfuzz import fuzz, process

        words = list(WORD_RE.finditer(text))
        taken = [(m.start, m.end) for m in self.find(text)]
        spans, strings = [], []
        longest = max(n for _k, n, _i in names)
        reachable = self._reachable_lengths(threshold)
        for i, w in enumerate(words):
            if not w.group()[:1].isupper():
                continue
            for n in range(1, min(longest, len(words) - i) + 1):
                start, end = w.start(), words[i + n - 1].end()
                if any(start < b and a < end for a, b in taken):
                    break
                loose = _loose(text[start:end])
                if len(loose) >= len(reachable):
                    break  # longer than any term could be and still score: so is every longer span
                if reachable[len(loose)]:
                    spans.append((start, end))
                    strings.append(loose)
        if not strings:
            return []
        keys = [k for k, _n, _i in names]
        scores = process.cdist(strings, keys, scorer=fuzz.ratio, score_cutoff=threshold)
        out: list[tuple[int, int, int]] = []
        for row, (start, end) in enumerate(spans):
            best = int(scores[row].argmax())  # the first best, as max() over the row
            if scores[row][best] and strings[row] != keys[best]:
                if not any(start < b and a < end for a, b, _e in out):
                    out.append((start, end, names[best][2]))
        return out

    def _reachable_lengths(self, threshold: float) -> list[bool]:
        """For each length of a folded span, whether it can score `threshold` against some name:
        fuzz.ratio is 200 x common letters / (both lengths), and the common letters are at most
        the shorter length, so a span far shorter or longer than every name never scores."""
        cached = self.__dict__.setdefault("_reachable", {})
        if threshold not in cached:
            sizes = {len(k) for k, _n, _i in self._names()}
            limit = int(max(sizes) * 200 / max(threshold, 1.0)) + 2
            cached[threshold] = [
                any(200 * min(n, size) >= threshold * (n + size) for size in sizes)
                for n in range(limit)
            ]
        return cached[threshold]

    def _names(self) -> list[tuple[str, int, int]]:
        if not hasattr(self, "_name_keys"):
            self._name_keys = [
                (_loose(e.source), len(WORD_RE.findall(e.source)), i)
                for i, e in enumerate(self.entries)
                if e.source[:1].isupper() and len(e.source) >= 4
            ]
        return self._name_keys

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in text order: longest first, then leftmost, then file order.
        Each chosen match says whether the text is plural where the term is singular.

        Recent texts' answers are kept: MT masks a sentence, and later its checks ask for the
        same text's matches more than once (verification, names, the near-miss warning)."""
        recent = self.__dict__.setdefault("_recent", {})
        found = recent.get(text)
        if found is None:
            found = self._find(text)
            if len(recent) >= 4096:  # MT masks waves ahead; their checks ask again later
                recent.clear()
            recent[text] = found
        return list(found)

    def _find(self, text: str) -> list[Match]:
        candidates = self.find_all(text)
        if not candidates:
            return []
        taken = bytearray(max(m.last for m in candidates) + 1)
        chosen: list[Match] = []
        for m in sorted(candidates, key=lambda m: (m.first - m.last, m.first, m.entry)):
            if any(taken[m.first : m.last + 1]):
                continue
            taken[m.first : m.last + 1] = b"\x01" * (m.last - m.first + 1)
            term = self.terms[self._term_of[m.entry]]
            head = min(term.head, len(m.words) - 1)
            m.plural = is_plural(m.words, term.words, head, self.lang)
            m.singular = not m.plural and is_singular(m.words, term.words, head, self.lang)
            chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)


_HYPHENS = "-\u2010\u2011"


def _loose(text: str) -> str:
    """Case, hyphens, apostrophes and ё/е folded away, for the near-miss comparison."""
    return " ".join(
        re.sub(r"[-\u2010\u2011'\u2019]", " ", text.casefold().replace("ё", "е")).split()
    )


def _spellings(words: list[str]) -> list[list[str]]:
    """A term's words and its hyphen/space variants: "Kim Jong Un" also as "Kim Jong-Un", and
    "Jong-un" also as "Jong un" (hyphenated words split, consecutive capitalised words joined)."""
    out = [words]
    split = [part for w in words for part in re.split(f"[{_HYPHENS}]", w)]
    if split != words:
        out.append(split)
    if len(split) > 1:
        joined = [split[0]]
        for word in split[1:]:
            if joined[-1][:1].isupper() and word[:1].isalpha():
                joined[-1] += "-" + word
            else:
                joined.append(word)
        if joined not in out:
            out.append(joined)
        last = split[:-2] + [split[-2] + "-" + split[-1]]
        if last not in out:
            out.append(last)
    return out


def _joinable(text: str, left: re.Match, right: re.Match) -> bool:
    gap = text[left.end() : right.start()]
    if _HARD_GAP.search(gap) or "\n\n" in gap:
        return False
    return "." not in gap or len(left.group()) <= 3


def _same_case(term_words: list[str], text_words: list[str]) -> bool:
    """Capitals in the glossary term must be capitals in the text (НАТО, Путин); lower-case
    glossary letters may be capitalised (a sentence start)."""
    for g, t in zip(term_words, text_words, strict=True):
        if len(g) > 1 and g.isupper() and not t.isupper():
            return False
        if g[:1].isupper() and not t[:1].isupper():
            return False
    return True
