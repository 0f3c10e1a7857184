"""Integrity: nothing lost, nothing invented, nothing degenerate.

empty, placeholder.leftover, urls.missing, repetition.loop, length.ratio, sentences.count.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from translate.checks import CheckContext, Finding, check
from translate.checks.text import placeholders, urls, words
from translate.i18n import _, ngettext

# target/source length ratio bands per pair (chars); outside them the translation is suspect.
RATIO_BANDS: dict[str, tuple[float, float]] = {
    "ru-en": (0.5, 1.8),
    "es-en": (0.45, 1.6),
}
DEFAULT_BAND = (0.35, 2.5)
RATIO_MIN_SOURCE = 30  # shorter sources (headlines, datelines) vary too much to judge

LOOP_MAX_N = 6  # longest n-gram looked for by the repetition check
LOOP_REPEATS = 3  # the same n-gram this many times in a row is a loop
TOKEN_MAX = 4  # one content word more often than this (and dense) is a loop too

_ABBREVIATIONS = frozenset(
    """г гг т д п ул им тыс млн млрд трлн руб долл коп см др пр стр ст св проф акад ген
    etc mr mrs ms dr st sr sra srta dña dr no nº núm vs jan feb mar apr jun jul aug sep sept oct
    nov dec ene abr ago dic gen gov sen rep jr co inc ltd corp av avda ee uu""".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"’')\]]*\s+[«“\"'(¿¡—–-]?\s?([^\W\d_])")
_STOP_EN = frozenset("the a an of to in and or is was on at by for with as that it".split())


@check("empty", severity="blocking", on_empty=True)
def empty(ctx: CheckContext):
    """The translation is blank while the source is not."""
    if ctx.source.strip() and not ctx.target.strip():
        yield Finding("empty", _("the translation is empty"))


@check("placeholder.leftover", severity="blocking")
def placeholder_leftover(ctx: CheckContext):
    """A masking token ({0}, __T1__, ZZTERM1ZZ…) survived into the translation."""
    extra = ctx.extras.get("placeholders") or ()
    found = placeholders(ctx.target, extra)
    if not found:
        return  # the usual case: the source need not be read
    in_source = {p[2] for p in placeholders(ctx.source, extra)}
    for start, end, token in found:
        if token not in in_source:
            yield Finding(
                "placeholder.leftover",
                _("placeholder '{token}' left in the translation").format(token=token),
                start=start,
                end=end,
            )


@check("urls.missing")
def urls_missing(ctx: CheckContext):
    """A URL, e-mail address or domain of the source is not in the translation unchanged."""
    target_lower = ctx.target.lower()
    for _s, _e, url in urls(ctx.source):
        exact = "://" in url or url.lower().startswith("www.")
        present = url in ctx.target if exact else url.lower() in target_lower
        if not present:
            yield Finding(
                "urls.missing",
                _("'{url}' is missing from the translation or was changed").format(url=url),
            )


def _loop_starts(tokens: list[str]) -> dict[int, list[int]]:
    """Where a loop can start: {position: strides n <= LOOP_MAX_N} at which the token there recurs
    LOOP_REPEATS times (the first token of every repeated n-gram does); usually empty."""
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        positions.setdefault(token, []).append(i)
    starts: dict[int, list[int]] = {}
    for found in positions.values():
        if len(found) < LOOP_REPEATS:
            continue
        at = set(found)
        for p in found:
            for n in range(1, LOOP_MAX_N + 1):
                if all(p + k * n in at for k in range(1, LOOP_REPEATS)):
                    starts.setdefault(p, []).append(n)
    return starts


def _loop_spans(tokens: list[str]) -> list[tuple[int, int, int]]:
    """(first token, end token, n) of every run of LOOP_REPEATS+ identical n-grams."""
    starts = _loop_starts(tokens)
    runs = []
    i = 0
    while starts and i < len(tokens):
        found = None
        for n in starts.get(i, ()):
            gram = tokens[i : i + n]
            if len(gram) < n:
                break
            reps = 1
            while tokens[i + reps * n : i + (reps + 1) * n] == gram:
                reps += 1
            if reps >= LOOP_REPEATS:
                found = (i, i + reps * n, n)
                break
        if found:
            runs.append(found)
            i = found[1]
        else:
            i += 1
    return runs


@lru_cache(maxsize=4096)  # a re-check reads the same text again (and a job repeated lines)
def _repetitions(text: str) -> tuple[tuple[tuple[int, int, int], ...], tuple[tuple[str, int], ...]]:
    """(the loops, the one word that fills the text) of `text`, as repetition_loop judges them."""
    tokens = [m.group().lower() for m in words(text)]
    counts = Counter(t for t in tokens if len(t) > 2 and t not in _STOP_EN)
    dense = [
        (token, count)
        for token, count in counts.most_common(1)
        if count > TOKEN_MAX and count * 8 > len(tokens)
    ]
    return tuple(_loop_spans(tokens)), tuple(dense)


@check("repetition.loop", severity="blocking")
def repetition_loop(ctx: CheckContext):
    """The same words repeated over and over, as a degenerate MT model emits them."""
    loops, dense = _repetitions(ctx.target)
    if not loops and not dense:
        return  # the usual case: the source need not be read
    matches = list(words(ctx.target))
    tokens = [m.group().lower() for m in matches]
    # a repetition the source has too is the author's (a chant, a list): not the engine's
    source_tokens = [m.group().lower() for m in words(ctx.source)]
    for first, end, n in [] if _loop_spans(source_tokens) else loops:
        phrase = " ".join(tokens[first : first + n])
        yield Finding(
            "repetition.loop",
            ngettext(
                "'{phrase}' is repeated {count} time in a row",
                "'{phrase}' is repeated {count} times in a row",
                (end - first) // n,
            ).format(phrase=phrase, count=(end - first) // n),
            start=matches[first].start(),
            end=matches[end - 1].end(),
        )
    source_top = max(Counter(source_tokens).values(), default=0)
    for token, count in dense:
        if count > source_top:
            yield Finding(
                "repetition.loop",
                ngettext(
                    "'{word}' occurs {count} time", "'{word}' occurs {count} times", count
                ).format(word=token, count=count),
            )


@check("length.ratio")
def length_ratio(ctx: CheckContext):
    """The translation is far shorter or longer than the source usually makes it."""
    source = ctx.source.strip()
    if len(source) < RATIO_MIN_SOURCE:
        return
    low, high = RATIO_BANDS.get(f"{ctx.source_lang}-{ctx.target_lang}", DEFAULT_BAND)
    ratio = len(ctx.target.strip()) / len(source)
    if not low <= ratio <= high:
        yield Finding(
            "length.ratio",
            _(
                "the translation is {ratio:.0%} of the source's length (expected {low:.0%} to {high:.0%})"
            ).format(ratio=ratio, low=low, high=high),
        )


def sentence_count(text: str) -> int:
    """Sentences in `text`: ends of sentence followed by a capital, abbreviations and initials
    excluded, plus one."""
    text = text.strip()
    if not text:
        return 0
    count = 1
    for m in _SENTENCE_END.finditer(text):
        if not m.group(1).isupper():
            continue
        if text[m.start()] == ".":
            before = re.search(r"(\w+)\W*$", text[: m.start() + 1])
            word = before.group(1) if before else ""
            if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        count += 1
    return count


@check("sentences.count")
def sentences_count(ctx: CheckContext):
    """Sentences dropped or added: the target has fewer sentences, or two or more extra.

    One sentence split in two is tolerated (a common editing choice)."""
    src, tgt = sentence_count(ctx.source), sentence_count(ctx.target)
    if tgt < src or tgt - src >= 2:
        yield Finding(
            "sentences.count",
            _("sentences: {source} in the source, {target} in the translation").format(
                source=src, target=tgt
            ),
        )
