"""Verify a translation against the glossary: every matched term rendered, nothing forbidden, keep
terms intact. Runs after every MT pass and on `translate check`, in both enforcement modes.

  glossary.missing    a matched source term's target (or one of its admitted wordings) is not in
                      the translation (its plural counts)
  glossary.forbidden  an avoided wording appears (where its entry matched, or anywhere for kind
                      forbidden); the span is in the translation
  glossary.keep       a keep term is not in the translation exactly as given
Target words are compared case-insensitively (exactly for keep and case-sensitive entries; a
capital at the start of a sentence is always allowed), split at apostrophes and hyphens, so
"Gazprom's" contains "Gazprom".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from translate.glossary.entry import Entry, Glossary
from translate.glossary.matcher import Match, Matcher
from translate.i18n import _

TARGET_WORD_RE = re.compile(r"[^\W_]+")


@dataclass
class Issue:
    code: str
    message: str
    start: int | None = None
    end: int | None = None
    entry: int | None = None


def _words(text: str) -> list[re.Match]:
    return list(TARGET_WORD_RE.finditer(text))


def find_phrase(
    words: list[re.Match], phrase: str, exact: bool = False, plural: bool = True
) -> tuple[int, int] | None:
    """Span of the first occurrence of phrase (or its plural) among the words of a text."""
    from translate.glossary.morph import english_plural

    span = _find_words(words, phrase, exact)
    if span is None and plural and phrase == phrase.lower():
        span = _find_words(words, english_plural(phrase), exact)  # inflect, only when needed
    return span


def _find_words(words: list[re.Match], phrase: str, exact: bool) -> tuple[int, int] | None:
    wanted = TARGET_WORD_RE.findall(phrase)
    if not wanted:
        return None
    n = len(wanted)
    low = [w.casefold() for w in wanted]
    for i in range(len(words) - n + 1):
        if words[i].group().casefold() != low[0]:
            continue
        got = [w.group() for w in words[i : i + n]]
        if [g.casefold() for g in got] != low:
            continue
        if exact and not _same(got, wanted):
            continue
        return words[i].start(), words[i + n - 1].end()
    return None


def _same(got: list[str], wanted: list[str]) -> bool:
    if got[1:] != wanted[1:]:
        return False
    g, w = got[0], wanted[0]
    return g == w or g == w[:1].upper() + w[1:]


class Verifier:
    def __init__(self, glossary: Glossary, matcher: Matcher | None):
        self.glossary = glossary
        self.matcher = matcher
        self.global_avoid = [
            (i, e) for i, e in enumerate(glossary.entries) if e.kind == "forbidden" and e.avoid
        ]

    def _forbidden(self, words, entry: Entry, index: int, seen: set) -> list[Issue]:
        out = []
        for wording in entry.avoid:
            span = find_phrase(words, wording)
            if span is None or span in seen:
                continue
            seen.add(span)
            if entry.target:
                message = _("'{wording}' is not to be used; use '{target}' (glossary)").format(
                    wording=wording, target=entry.target
                )
            else:
                message = _("'{wording}' is not to be used (glossary)").format(wording=wording)
            out.append(Issue("glossary.forbidden", message, span[0], span[1], index))
        return out

    def issues(self, source: str, target: str, matches: list[Match] | None = None) -> list[Issue]:
        """Findings for one segment; pass `matches` when the source was matched already."""
        if matches is None:
            return list(self._cached(source, target))
        return self._compute(source, target, matches)

    @lru_cache(maxsize=512)  # noqa: B019 - verifiers live as long as their cached glossary
    def _cached(self, source: str, target: str) -> tuple[Issue, ...]:
        matches = self.matcher.find(source) if self.matcher is not None else []
        return tuple(self._compute(source, target, matches))

    def _compute(self, source: str, target: str, matches: list[Match]) -> list[Issue]:
        words = _words(target)
        out: list[Issue] = []
        seen_entries: set[int] = set()
        seen_spans: set = set()
        for m in matches:
            if m.entry in seen_entries:
                continue
            seen_entries.add(m.entry)
            entry = self.glossary.entries[m.entry]
            surface = source[m.start : m.end]
            if entry.kind == "keep":
                form = entry.rendering
                forms = [form, form.upper()] if surface.isupper() else [form]  # MAPASTEPEC
                if all(find_phrase(words, f, exact=True, plural=False) is None for f in forms):
                    near = find_phrase(words, form, plural=False)
                    out.append(
                        Issue(
                            "glossary.keep",
                            _("'{source}' must stay '{form}' (glossary: keep)").format(
                                source=surface, form=form
                            ),
                            *(near or (None, None)),
                            m.entry,
                        )
                    )
            elif entry.target:
                exact = entry.case_sensitive and not surface.isupper()
                if all(
                    find_phrase(words, wording, exact=exact) is None
                    for wording in (entry.target, *entry.admitted)
                ):
                    out.append(
                        Issue(
                            "glossary.missing",
                            _("'{source}' must be translated as '{target}' (glossary)").format(
                                source=surface, target=entry.target
                            ),
                            entry=m.entry,
                        )
                    )
            if entry.kind != "forbidden":
                out += self._forbidden(words, entry, m.entry, seen_spans)
        for index, entry in self.global_avoid:
            out += self._forbidden(words, entry, index, seen_spans)
        return out


_verifiers: dict[int, tuple[Glossary, Verifier]] = {}


def verifier_for(glossary: Glossary, matcher: Matcher | None) -> Verifier:
    """One verifier per loaded glossary (so its small result cache is reused across checks)."""
    hit = _verifiers.get(id(matcher))
    if hit is not None and hit[0] is glossary:
        return hit[1]
    if len(_verifiers) > 32:
        _verifiers.clear()
    verifier = Verifier(glossary, matcher)
    _verifiers[id(matcher)] = (glossary, verifier)
    return verifier
