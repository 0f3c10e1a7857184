"""Spacing: doubled spaces, whitespace at the edges, a space before punctuation.

spaces.double, spaces.edges, spaces.punctuation.
"""

from __future__ import annotations

import re

from translate.checks import CheckContext, Finding, check
from translate.i18n import _, ngettext

_DOUBLE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_LEADING = re.compile(r"^\s+")
_TRAILING = re.compile(r"\s+$")
# A space between a word and , ; : ! ? or a single full stop (MT detokenisation slips).
_BEFORE_PUNCT = re.compile(r"(?<=[^\W_])[ \u00a0]+(?=[,;:!?]|\.(?!\.))")
# Languages that do put a space before some punctuation (French: before ; : ! ?).
SPACE_BEFORE_LANGS = frozenset({"fr"})


@check("spaces.double")
def spaces_double(ctx: CheckContext):
    """Two or more spaces in a row inside the translation."""
    for m in _DOUBLE.finditer(ctx.target):
        yield Finding(
            "spaces.double",
            ngettext("{count} space in a row", "{count} spaces in a row", len(m.group())).format(
                count=len(m.group())
            ),
            start=m.start(),
            end=m.end(),
        )


@check("spaces.edges")
def spaces_edges(ctx: CheckContext):
    """Whitespace at the start or end of the translation that the source does not have."""
    for regex, where in ((_LEADING, "start"), (_TRAILING, "end")):
        m = regex.search(ctx.target)
        if m and m.group() != (regex.search(ctx.source) or [""])[0] and ctx.target.strip():
            message = (
                _("whitespace at the start of the translation")
                if where == "start"
                else _("whitespace at the end of the translation")
            )
            yield Finding("spaces.edges", message, start=m.start(), end=m.end())


@check("spaces.punctuation")
def spaces_punctuation(ctx: CheckContext):
    """A space before a comma, full stop, colon, semicolon, question or exclamation mark."""
    if ctx.target_lang in SPACE_BEFORE_LANGS:
        return
    for m in _BEFORE_PUNCT.finditer(ctx.target):
        mark = ctx.target[m.end()]
        yield Finding(
            "spaces.punctuation",
            _("a space before '{mark}'").format(mark=mark),
            start=m.start(),
            end=m.end() + 1,
        )
