"""Punctuation: quotes and brackets that open and close, the end mark, the first capital.

quotes.unbalanced, quotes.style, brackets.unbalanced, punctuation.end, case.start. Balance is only
required of the translation when the source itself is balanced (a quotation running over several
sentences leaves each segment open, in both languages).
"""

from __future__ import annotations

from translate.checks import CheckContext, Finding, check
from translate.i18n import _

QUOTE_PAIRS = (("«", "»"), ("“", "”"))
BRACKETS = {"(": ")", "[": "]", "{": "}"}
_BRACKET_CHARS = "()[]{}"
CLOSERS = "»”\"’')]}"
HEADLINE_KINDS = ("headline", "subhead")
# Quote marks English does not use (the target's house style is “…” and ‘…’).
FOREIGN_QUOTES = {"en": "«»„‹›"}


def unmatched_quotes(text: str) -> list[int]:
    """Offsets of quote marks without a partner: «» and “” paired by kind, " by parity."""
    bad: list[int] = []
    for opener, closer in QUOTE_PAIRS:
        if opener not in text and closer not in text:
            continue  # most segments: no walk along the text
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == opener:
                stack.append(i)
            elif ch == closer:
                if stack:
                    stack.pop()
                else:
                    bad.append(i)
        bad += stack
    if text.count('"') % 2:
        bad.append(text.rindex('"'))
    return sorted(bad)


def source_quotes_balanced(text: str) -> bool:
    """Balanced by the source's loose rules: «» paired, the other marks even in number
    (ru „…“ and es “…” use “ as either side)."""
    curly = sum(text.count(c) for c in "“”„")
    return text.count("«") == text.count("»") and curly % 2 == 0 and text.count('"') % 2 == 0


def unmatched_brackets(text: str) -> list[int]:
    if not any(ch in text for ch in _BRACKET_CHARS):
        return []  # most segments: no walk along the text
    stack: list[int] = []
    bad: list[int] = []
    closing = {v: k for k, v in BRACKETS.items()}
    for i, ch in enumerate(text):
        if ch in BRACKETS:
            stack.append(i)
        elif ch in closing:
            if stack and text[stack[-1]] == closing[ch]:
                stack.pop()
            else:
                bad.append(i)
    return sorted(bad + stack)


@check("quotes.unbalanced")
def quotes_unbalanced(ctx: CheckContext):
    """A quotation mark in the translation opens without closing, or closes without opening."""
    if not source_quotes_balanced(ctx.source):
        return
    for i in unmatched_quotes(ctx.target)[:1]:
        yield Finding(
            "quotes.unbalanced",
            _("the quotation mark {mark} has no partner").format(mark=ctx.target[i]),
            start=i,
            end=i + 1,
        )


@check("quotes.style")
def quotes_style(ctx: CheckContext):
    """Quotation marks of the source's style (« », „ “) kept in the translation."""
    foreign = FOREIGN_QUOTES.get(ctx.target_lang, "")
    marks = [at for at in (ctx.target.find(ch) for ch in foreign) if at >= 0]
    if marks:
        i = min(marks)  # the first foreign mark
        yield Finding(
            "quotes.style",
            _("{mark} is not a quotation mark of the target language; use “ ” and ‘ ’").format(
                mark=ctx.target[i]
            ),
            start=i,
            end=i + 1,
        )


@check("brackets.unbalanced")
def brackets_unbalanced(ctx: CheckContext):
    """A bracket in the translation opens without closing, or closes without opening."""
    if unmatched_brackets(ctx.source):
        return
    for i in unmatched_brackets(ctx.target)[:1]:
        yield Finding(
            "brackets.unbalanced",
            _("the bracket {mark} has no partner").format(mark=ctx.target[i]),
            start=i,
            end=i + 1,
        )


def end_mark(text: str) -> tuple[str, int]:
    """The final punctuation of `text` (closing quotes and brackets skipped) and its offset;
    "" when it ends in a letter or digit. "..." counts as "…"."""
    i = len(text.rstrip()) - 1
    while i >= 0 and text[i] in CLOSERS:
        i -= 1
    if i < 0:
        return "", 0
    if text[i] == "." and text[max(0, i - 2) : i + 1] == "...":
        return "…", i - 2
    return (text[i], i) if not text[i].isalnum() else ("", i + 1)


@check("punctuation.end")
def punctuation_end(ctx: CheckContext):
    """The translation ends with other punctuation than the source (?, !, ., …, :)."""
    src, _i = end_mark(ctx.source)
    tgt, at = end_mark(ctx.target)
    if src in ("?", "!", ".", "…", ":") and tgt != src:
        yield Finding(
            "punctuation.end",
            _("the source ends with '{mark}' and the translation does not").format(mark=src),
            start=at if tgt else None,
            end=at + 1 if tgt else None,
        )
    elif not src and tgt == "." and ctx.unit_kind in HEADLINE_KINDS:
        yield Finding(
            "punctuation.end",
            _("a headline takes no full stop"),
            start=at,
            end=at + 1,
        )


def first_letter(text: str) -> int | None:
    """Offset of the first letter when nothing but quotes, dashes and spaces precede it."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return i
        if ch.isdigit():
            return None
    return None


@check("case.start")
def case_start(ctx: CheckContext):
    """The source starts with a capital letter and the translation does not."""
    s, t = first_letter(ctx.source), first_letter(ctx.target)
    if s is None or t is None:
        return
    if ctx.source[s].isupper() and ctx.target[t].islower():
        yield Finding(
            "case.start",
            _("the translation should start with a capital letter"),
            start=t,
            end=t + 1,
        )
