"""Context conditions on ambiguous glossary entries: words or a pattern that must, or must not, be
next to a match, so that "fiscal" -> "prosecutor" stays out of «leyes fiscales».

Written in the entry's `context` (CSV column; TBX: `context=` in the `translate:` note), conditions
separated by `|`:
  -ley            the word (any form: «leyes») must not be right before or after the match
  +fiscalía       one of the `+` words must be right before or after it
  -re:política\\s+fiscal   the sentence must not match the pattern (case-insensitive)
  +re:\\bjuez\\b    the sentence must match it
Words are compared by their matching keys (lemmas, surface forms) like glossary terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    wanted: bool  # '+': must hold; '-': must not
    keys: frozenset[str] = frozenset()
    pattern: re.Pattern | None = None


def syntax_problem(text: str) -> str | None:
    """Why a context text cannot be read (one line), or None."""
    from translate.i18n import _

    for part in _parts(text):
        if part[0] not in "+-" or len(part) < 2:
            return _("context condition '{part}' must start with + or -").format(part=part)
        body = part[1:].strip()
        if body.startswith("re:"):
            try:
                re.compile(body[3:])
            except re.error as exc:
                return _("context pattern '{pattern}' is not a regular expression: {error}").format(
                    pattern=body[3:], error=exc
                )
    return None


def _parts(text: str) -> list[str]:
    return [p.strip() for p in text.split("|") if p.strip()]


def parse(text: str, lang: str) -> tuple[Condition, ...]:
    from translate.glossary.morph import fold, term_keys

    out = []
    for part in _parts(text):
        wanted, body = part[0] == "+", part[1:].strip()
        if body.startswith("re:"):
            out.append(Condition(wanted, pattern=re.compile(body[3:], re.I)))
        else:
            keys = set()
            for word in body.split():
                keys |= set(term_keys(word, lang)) | {fold(word, lang)}
            out.append(Condition(wanted, keys=frozenset(keys)))
    return tuple(out)


def holds(conditions: tuple[Condition, ...], text: str, words: list, i: int, j: int, lang: str):
    """Whether a match of words[i..j] in `text` meets its entry's conditions."""
    from translate.glossary.morph import text_keys

    if not conditions:
        return True
    near: set[str] = set()
    for k in (i - 1, j + 1):
        if 0 <= k < len(words):
            near |= {key for key, _how in text_keys(words[k].group(), lang)}
    wanted_seen = any_wanted = False
    for c in conditions:
        hit = c.pattern.search(text) is not None if c.pattern is not None else bool(c.keys & near)
        if c.wanted:
            any_wanted = True
            wanted_seen = wanted_seen or hit
        elif hit:
            return False
    return wanted_seen or not any_wanted
