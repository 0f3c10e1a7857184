"""Language: the translation is in the target language.

`untranslated`: the target equals the source, or is still mostly in the source's script
(Cyrillic for ru), or — for Latin-script sources such as es — reads as the source language by a
cheap stopword count (no model). `script.mixed`: Cyrillic words left in a Latin-script target.
"""

from __future__ import annotations

from functools import lru_cache

from translate.checks import CheckContext, Finding, check
from translate.checks.text import CYRILLIC_LANGS, CYRILLIC_RE, CYRILLIC_WORD_RE, urls, words
from translate.i18n import _

# Frequent function words of each language that are NOT English words (and vice versa), so a
# count tells the two apart even in a short sentence. Lower case.
STOPWORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        """de la que el en y los del las por con una para es al lo como más pero sus le ya este
        sí porque esta entre cuando muy sobre también hasta hay donde quien desde todo nos durante
        todos les ni contra otros ese eso ante ellos esto antes algunos qué unos yo otro otras otra
        él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo
        nosotros fue han ha era ser está están tiene dijo según tras aunque ayer hoy año años se su
        """.split()
    ),
    "en": frozenset(
        """the of and to in is that for it with as was on by he at from his an were are which
        this be has have had not but they their its been said will would who also there after
        more than or we she her about into over""".split()
    ),
}
IDENTICAL_MIN_LOWER = 2  # identical text is untranslated when it has this many lower-case words
SCRIPT_SHARE = 0.5  # share of letters still in the source's script that makes it untranslated
STOPWORD_MIN = 2  # source-language function words needed (and more than target ones)
SHORT_WORDS = 3  # a segment of this many words or fewer is judged word by word when identical
SHORT_LANGID_SCORE = 0.5  # without an analyser: the identifier's confidence in the source language


@lru_cache(maxsize=8192)  # asked of both texts of a segment by two checks
def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


@check("untranslated", severity="blocking")
def untranslated(ctx: CheckContext):
    """The translation is the source itself, or still in the source language."""
    if ctx.source_lang == ctx.target_lang:
        return
    if _norm(ctx.source) == _norm(ctx.target):
        lower = [w for w in words(ctx.source) if w.group()[0].islower()]
        if len(lower) >= IDENTICAL_MIN_LOWER or _short_untranslated(ctx):
            yield Finding("untranslated", _("the translation is the same as the source"))
            return
    if ctx.source_lang in CYRILLIC_LANGS and ctx.target_lang not in CYRILLIC_LANGS:
        letters = _letters(ctx.target)
        cyrillic = sum(1 for c in letters if CYRILLIC_RE.match(c))
        if letters and cyrillic / len(letters) > SCRIPT_SHARE:
            yield Finding(
                "untranslated",
                _(
                    "the translation is still mostly in Cyrillic ({share:.0%} of its letters)"
                ).format(share=cyrillic / len(letters)),
            )
        return
    src_words = STOPWORDS.get(ctx.source_lang)
    tgt_words = STOPWORDS.get(ctx.target_lang)
    if not src_words or not tgt_words:
        return
    tokens = [w.group().lower() for w in words(ctx.target)]
    hits = sum(1 for t in tokens if t in src_words and t not in tgt_words)
    misses = sum(1 for t in tokens if t in tgt_words and t not in src_words)
    if len(tokens) >= 4 and hits >= STOPWORD_MIN and hits > misses:
        yield Finding(
            "untranslated",
            _("the translation still reads as the source language ({lang})").format(
                lang=ctx.source_lang
            ),
        )


def left_in_source(ctx: CheckContext) -> bool:
    """The translation is the source itself or still mostly in its script: the `untranslated`
    check's business, so the checks that compare content (names, omission) stay quiet."""
    return _left_in_source(ctx.source, ctx.target, ctx.source_lang, ctx.target_lang)


@lru_cache(maxsize=4096)
def _left_in_source(source: str, target: str, source_lang: str, target_lang: str) -> bool:
    """left_in_source on the texts (asked by several checks of every segment)."""
    if _norm(source) == _norm(target):
        return True
    if source_lang in CYRILLIC_LANGS and target_lang not in CYRILLIC_LANGS:
        letters = _letters(target)
        share = sum(1 for c in letters if CYRILLIC_RE.match(c)) / len(letters) if letters else 0
        return share > SCRIPT_SHARE
    return False


def _name_like(word: str, lang: str) -> bool | None:
    """A word that stays the same in English: a proper noun (Apertium's analyser), an acronym.
    None when there is no analyser for `lang`."""
    if len(word) > 1 and word.isupper():
        return True
    from translate.checks.backtranslate import proper_noun

    return proper_noun(word, lang)


def _short_untranslated(ctx: CheckContext) -> bool:
    """A segment of a word or a few ("El peso", "Regularmente.") left as it is: untranslated
    unless every word is a name, an acronym or a number that stays the same in English. Words
    are judged by Apertium's analyser of the source language where installed, else by the
    language identifier (translate/ingest/langid.py) on the segment."""
    found = [w.group() for w in words(ctx.source)]
    if not found or len(found) > SHORT_WORDS:
        return False
    verdicts = [_name_like(w, ctx.source_lang) for w in found]
    if None not in verdicts:
        if any(verdicts) and all(w[:1].isupper() for w in found):
            return False  # a name of several words: "Real Madrid", "Banco Santander"
        return not all(verdicts)
    if all(w[:1].isupper() for w in found) and len(found) > 1:
        return False  # a run of capitalised words: most likely a name
    from translate.ingest.langid import detect

    lang, score = detect(ctx.source)
    return lang == ctx.source_lang and score >= SHORT_LANGID_SCORE


@check("script.mixed")
def script_mixed(ctx: CheckContext):
    """Cyrillic words left in a translation into a Latin-script language."""
    if ctx.target_lang in CYRILLIC_LANGS or not CYRILLIC_RE.search(ctx.target):
        return
    letters = _letters(ctx.target)
    if letters and sum(1 for c in letters if CYRILLIC_RE.match(c)) / len(letters) > SCRIPT_SHARE:
        if ctx.source_lang in CYRILLIC_LANGS:
            return  # reported as `untranslated`
    protected = [(s, e) for s, e, _u in urls(ctx.target)]
    seen: set[str] = set()
    for m in CYRILLIC_WORD_RE.finditer(ctx.target):
        if m.group() in seen or any(s <= m.start() < e for s, e in protected):
            continue
        seen.add(m.group())
        yield Finding(
            "script.mixed",
            _("'{word}' is left in Cyrillic").format(word=m.group()),
            start=m.start(),
            end=m.end(),
        )
