"""Text helpers the check families share: words, masks, URLs, placeholders, numeric dates.

Pure regex; nothing here knows about the registry or the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
CYRILLIC_WORD_RE = re.compile(r"[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*")
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk"})

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>«»\"“”]+", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLDS = r"(?:ru|рф|com|org|net|es|gov|info|io|mx|ar|co|uk|eu|int)(?!\w|\.\w)"
DOMAIN_RE = re.compile(r"(?<![\w@.])(?:[a-z0-9-]+\.)+" + _TLDS, re.IGNORECASE)

# Masking tokens an MT or glossary stage may use; other stages may append their own patterns.
PLACEHOLDER_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"_{1,2}\s?[A-Z]{1,6}\s?\d+\s?_{1,2}"),
    re.compile(r"(?=[Zz])\b[Zz]{2}\s?[A-Za-z]{0,8}\s?\d+\s?[Zz]{2}\b"),
    re.compile(r"\{\d+\}|\{[A-Za-z_]\w*\}"),
    re.compile(r"%\d*\$?[sd]\b"),
    re.compile(r"\[\[[^\]\n]{1,40}\]\]|⟦[^⟧\n]{1,40}⟧"),
    re.compile(r"</?(?:x|g|ph|bx|ex)\b[^>\n]{0,40}>"),
]

# d.m.yyyy, d/m/yy, d-m-yyyy (same separator twice) and ISO yyyy-mm-dd.
NUMERIC_DATE_RE = re.compile(
    r"(?=\d)(?<![\d.,])(?:(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))(?![\d])"
)

_TRAILING = ".,;:!?)»”’'\""


def urls(text: str) -> list[tuple[int, int, str]]:
    """URLs, e-mail addresses and bare domains in `text` as (start, end, text)."""
    return list(_urls(text))


# What each of URL_RE, EMAIL_RE and DOMAIN_RE needs somewhere in a text: one quick look before
# the three scans (DOMAIN_RE tries every word of a text as the start of a domain).
_URL_CUE_RE = re.compile(r"://|www\.|@|\." + _TLDS, re.IGNORECASE)


@lru_cache(maxsize=4096)  # several checks ask for the same segment's URLs
def _urls(text: str) -> tuple[tuple[int, int, str], ...]:
    if not _URL_CUE_RE.search(text):
        return ()
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for regex in (URL_RE, EMAIL_RE, DOMAIN_RE):
        for m in regex.finditer(text):
            start, end = m.span()
            value = m.group()
            while value and value[-1] in _TRAILING:
                if value[-1] == ")" and value.count("(") >= value.count(")"):
                    break
                value = value[:-1]
            end = start + len(value)
            if value and not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, end, value))
    return tuple(sorted(found))


def placeholders(text: str, extra: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    found = [
        (m.start(), m.end(), m.group()) for p in PLACEHOLDER_PATTERNS for m in p.finditer(text)
    ]
    for token in extra:
        if token:
            found += [(m.start(), m.end(), token) for m in re.finditer(re.escape(token), text)]
    return sorted(set(found))


def mask(text: str, spans: Iterable[tuple[int, int, str] | tuple[int, int]]) -> str:
    """Blank out spans with spaces, keeping every other offset in place."""
    chars = list(text)
    for span in spans:
        for i in range(span[0], span[1]):
            chars[i] = " "
    return "".join(chars)


def mask_protected(text: str, extra_placeholders: Iterable[str] = ()) -> str:
    """`text` with URLs, e-mails and placeholders blanked (their digits are not numbers)."""
    extra = tuple(extra_placeholders)
    if not extra:
        return _mask_protected(text)
    return mask(text, urls(text) + placeholders(text, extra))


@lru_cache(maxsize=4096)
def _mask_protected(text: str) -> str:
    """mask_protected without extra placeholders: a segment's checks ask it of the same texts."""
    return mask(text, urls(text) + placeholders(text))


def words(text: str) -> Iterator[re.Match[str]]:
    return WORD_RE.finditer(text)


def date_parts(m: re.Match[str]) -> tuple[int, int, int, bool]:
    """(first, second, year, iso) of a NUMERIC_DATE_RE match; first/second are day/month in
    some order (iso: day, month)."""
    if m.group("iy"):
        return int(m.group("id")), int(m.group("im")), int(m.group("iy")), True
    year = int(m.group("y"))
    if year < 100:
        year += 2000 if year < 50 else 1900
    return int(m.group("a")), int(m.group("b")), year, False


def valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12
