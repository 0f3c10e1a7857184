"""Omission: a sentence or clause of the source with no counterpart in the translation.

The source is cut into sentences (our segmentation) and each sentence into clauses (at , ; : — ( )
and before conjunctions such as «pero», «aunque», «но», «однако»; clauses of fewer than three
content words join their neighbour). Each clause's content is then looked for in the English:
  - its figures (the numbers check's reading), names (see names.py) and glossary terms;
  - where the desk has a reverse engine (Apertium eng→spa, see backtranslate.py), its content
    lemmas in the back-translation of the English (simplemma, as the glossary lemmatises);
  - for Russian, words whose romanization is an English word of the translation
    («инфляция» ↔ "inflation"), as positive evidence only.
A clause is reported when its content is (nearly) all missing and either the evidence is strong
(four or more lemmas, at most a fifth of them back) or the English is shorter than the pair's
usual length ratio by about that clause's share of the source. A sentence is reported the same
way when the English has fewer sentences than the source.

`omission.sentence` and `omission.clause` are warnings by default: list them in
`checks.blocking` to make them block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from translate.checks import CheckContext, Finding, check
from translate.checks.backtranslate import BACK_TRANSLATION_DEFICIT
from translate.checks.names import fold, rendered, romanizations, source_names, tokens
from translate.checks.numbers import numbers
from translate.checks.text import CYRILLIC_LANGS, mask_protected
from translate.i18n import _

# English length / source length (characters) of faithful news translations: the median of the
# dev half of bench/data (es 0.92, ru 1.04); other pairs are assumed to keep their length.
LENGTH_RATIO = {"es-en": 0.92, "ru-en": 1.04}
MIN_CLAUSE_WORDS = 2  # content words a clause needs to stand alone
STRONG_ITEMS = 3  # back-translated lemmas that make coverage count as strong evidence
STRONG_COVERAGE = 0.2
WEAK_COVERAGE = 0.34
DEFICIT_SHARE = 0.6  # the English must be short by this part of the clause's share
STRONG_DEFICIT_SHARE = 0.35  # ... or by this part when the lemmas are (nearly) all missing
STEM = 5  # letters two lemmas must share at the start to count as one (es gender, tense)
MIN_SHARE = 0.15  # clauses smaller than this share of the source are not judged on length
MIN_SHARE_UNSEEN = 0.25  # ... or than this when nothing in them could be looked for

CONJUNCTIONS = {
    "es": "pero aunque mientras porque sino donde cuando pues si tras según mientras",
    "ru": "но а однако хотя поскольку потому так чтобы если когда где который которая которое "
    "которые которых которым которой которого причём зато",
}
_CLAUSE_PUNCT = re.compile(r"(?<!\d)[,;:](?!\d)|\s[—–]\s|[()]")
STOPWORDS = {
    "es": frozenset(
        """de la que el en y los del las por con una un para es al lo como más pero sus le ya
        este sí porque esta entre cuando muy sobre también hasta hay donde quien desde todo nos
        durante todos les ni contra otros ese eso ante ellos esto antes algunos qué unos otro
        otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estas algunas algo
        fue han ha era ser está están tiene se su e o u a no sin tras según aunque mientras sino
        pues si ser haber hacer""".split()
    ),
    "ru": frozenset(
        """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
        ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну ли если уже или ни быть
        был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть
        надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда
        кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
        сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше
        тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой
        перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это также
        однако хотя который которая которое которые года году год""".split()
    ),
}


@dataclass
class Clause:
    start: int
    end: int
    text: str
    words: list[str] = field(default_factory=list)  # content words
    sentence: int = 0


def _content(text: str, lang: str) -> list[str]:
    stop = STOPWORDS.get(lang, frozenset())
    return [w for _s, _e, w in tokens(text) if len(w) > 2 and w.lower() not in stop]


def _sentences(text: str, lang: str) -> list[tuple[int, int]]:
    from translate.segment import split

    spans, at = [], 0
    for s in split(text, lang):
        if s.text.strip():
            spans.append((at, at + len(s.text)))
        at += len(s.text) + len(s.ws)
    return spans


@lru_cache(maxsize=2048)
def clauses(text: str, lang: str) -> tuple[Clause, ...]:
    """The clauses of `text`, each with its content words; small pieces join a neighbour."""
    conj = CONJUNCTIONS.get(lang, "").split()
    conj_re = re.compile(r"\s(?=(?:" + "|".join(conj) + r")\s)", re.IGNORECASE) if conj else None
    out: list[Clause] = []
    for n, (s0, e0) in enumerate(_sentences(text, lang)):
        cuts = {s0, e0}
        piece = text[s0:e0]
        for m in _CLAUSE_PUNCT.finditer(piece):
            cuts.add(s0 + m.end())
        if conj_re is not None:
            for m in conj_re.finditer(piece):
                cuts.add(s0 + m.end())
        bounds = sorted(cuts)
        parts = [
            Clause(a, b, text[a:b], _content(text[a:b], lang), n)
            for a, b in zip(bounds, bounds[1:], strict=False)
            if text[a:b].strip()
        ]
        merged: list[Clause] = []
        for c in parts:
            if merged and (
                len(c.words) < MIN_CLAUSE_WORDS or len(merged[-1].words) < MIN_CLAUSE_WORDS
            ):
                last = merged[-1]
                merged[-1] = Clause(
                    last.start, c.end, text[last.start : c.end], last.words + c.words, n
                )
            else:
                merged.append(c)
        out += merged
    return tuple(out)


@lru_cache(maxsize=1 << 15)
def _es_lemma(word: str) -> str:
    # simplemma's answer through the glossary's disk cache: loading simplemma's Spanish
    # dictionary costs 1-3 s a process, and a desk's words repeat
    from translate.glossary.morph import es_lemma

    return fold(es_lemma(word.lower()))


def _lemmas(words, lang: str) -> set[str]:
    if lang == "es":
        return {_es_lemma(w) for w in words} | {fold(w) for w in words}
    return {fold(w) for w in words}


_SKELETON = (
    ("ph", "f"), ("th", "t"), ("ou", "u"), ("ck", "k"), ("x", "ks"), ("kh", "h"), ("y", "i"),
    ("c", "k"), ("z", "s"), ("w", "v"), ("j", "i"), ("q", "k"),
)  # fmt: skip


@lru_cache(maxsize=1 << 15)
def skeleton(word: str) -> str:
    """A rough spelling key shared by a romanized Russian word and its English cognate:
    "analitiki" and "analysts" -> "anali…", "prezident" and "president" -> "presi…"."""
    for a, b in _SKELETON:
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def _cognate(word: str, english: list[str]) -> bool:
    """A Russian word whose romanization shares its first five sounds with an English word of
    the translation («инфляция» ↔ "inflation", «аналитики» ↔ "analysts")."""
    if len(word) < 5:
        return False
    stems = {skeleton(form)[:5] for form in romanizations(word)}
    return any(len(w) >= 5 and skeleton(w)[:5] in stems for w in english)


@dataclass
class Evidence:
    items: int = 0  # things that can be looked for
    found: int = 0
    lemmas: int = 0  # of which back-translated lemmas

    @property
    def coverage(self) -> float | None:
        return self.found / self.items if self.items else None


def _evidence(ctx: CheckContext, cls: tuple[Clause, ...]) -> list[Evidence]:
    lang = ctx.source_lang
    target = mask_protected(ctx.target)
    t_words = [fold(w) for _s, _e, w in tokens(target)]
    t_folded = " ".join(t_words)
    back = ctx.extras.get("back_translation")
    back_lemmas = _lemmas([w for _s, _e, w in tokens(back)], lang) if back else set()
    # a shared start of five letters also counts (ministra ~ ministro, rechazaron ~ rechazo)
    back_stems = {lemma[:STEM] for lemma in back_lemmas if len(lemma) > STEM}
    out = [Evidence() for _c in cls]

    def owner(start: int) -> int | None:
        return next((i for i, c in enumerate(cls) if c.start <= start < c.end), None)

    t_values: set = set()
    for n in numbers(ctx.target, ctx.target_lang):
        t_values |= n.values
    for n in numbers(ctx.source, lang):
        if n.word:
            continue
        i = owner(n.start)
        if i is not None:
            out[i].items += 1
            out[i].found += bool(n.values & t_values)
    name_spans = []
    for name in source_names(ctx):
        i = owner(name.start)
        name_spans.append((name.start, name.end))
        if i is not None and not (name.common and not back):
            out[i].items += 1
            out[i].found += rendered(name, t_words, t_folded, back_lemmas)
    verifier = ctx.extras.get("glossary")
    if verifier is not None and verifier.matcher is not None:
        for m in verifier.matcher.find(ctx.source):
            entry = verifier.glossary.entries[m.entry]
            rendering = fold(entry.rendering or entry.source)
            i = owner(m.start)
            name_spans.append((m.start, m.end))
            if i is not None and rendering:
                out[i].items += 1
                out[i].found += rendering in t_folded
    skip = name_spans
    for i, c in enumerate(cls):
        for s, _e, w in tokens(c.text):
            at = c.start + s
            if any(a <= at < b for a, b in skip) or len(w) <= 2:
                continue
            if w.lower() in STOPWORDS.get(lang, ()):
                continue
            if back_lemmas:
                out[i].items += 1
                out[i].lemmas += 1
                mine = _lemmas([w], lang)
                out[i].found += bool(mine & back_lemmas) or any(
                    len(lemma) > STEM and lemma[:STEM] in back_stems for lemma in mine
                )
            elif lang in CYRILLIC_LANGS and _cognate(w, t_words):
                out[i].items += 1
                out[i].found += 1
    return out


def deficit(ctx: CheckContext) -> float:
    """How much shorter the English is than the pair's usual ratio makes it (0.3: 30% short)."""
    ratio = LENGTH_RATIO.get(f"{ctx.source_lang}-{ctx.target_lang}", 1.0)
    expected = ratio * len(ctx.source.strip())
    return 1 - len(ctx.target.strip()) / expected if expected else 0.0


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.strip(" ,;:—–()").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def missing_parts(ctx: CheckContext) -> list[tuple[str, Clause]]:
    """("sentence"|"clause", the source clause or sentence) judged to have no counterpart."""
    from translate.checks.language import left_in_source

    if ctx.source_lang == ctx.target_lang or not ctx.target.strip():
        return []
    short = deficit(ctx)
    if short < BACK_TRANSLATION_DEFICIT:
        return []  # every verdict below needs the English at least this much short
    if left_in_source(ctx):
        return []
    cls = clauses(ctx.source, ctx.source_lang)
    if not cls or sum(len(c.words) for c in cls) < 5:
        return []
    evidence = _evidence(ctx, cls)
    size = max(1, len(ctx.source.strip()))
    sentences = _sentences(ctx.source, ctx.source_lang)
    if len(sentences) > 1 and len(_sentences(ctx.target, ctx.target_lang)) < len(sentences):
        best = None
        for n, (s0, e0) in enumerate(sentences):
            idx = [i for i, c in enumerate(cls) if c.sentence == n]
            items = sum(evidence[i].items for i in idx)
            found = sum(evidence[i].found for i in idx)
            cov = found / items if items else None
            share = (e0 - s0) / size
            if (cov is None or cov <= 0.5) and short >= max(
                BACK_TRANSLATION_DEFICIT, DEFICIT_SHARE * share
            ):
                score = (cov if cov is not None else 0.4, -n)
                if best is None or score < best[0]:
                    best = (score, n, s0, e0)
        if best is not None:
            _score, n, s0, e0 = best
            return [("sentence", Clause(s0, e0, ctx.source[s0:e0], [], n))]
    worst = None
    for i, (c, ev) in enumerate(zip(cls, evidence, strict=True)):
        if len(c.words) < MIN_CLAUSE_WORDS or len(cls) < 2 and ev.lemmas < STRONG_ITEMS:
            continue
        cov = ev.coverage
        share = (c.end - c.start) / size
        strong = (
            ev.lemmas >= STRONG_ITEMS
            and cov is not None
            and cov <= STRONG_COVERAGE
            and short >= max(BACK_TRANSLATION_DEFICIT, STRONG_DEFICIT_SHARE * share)
        )
        weak = (
            (cov is None or cov <= WEAK_COVERAGE)
            and share >= (MIN_SHARE if cov is not None else MIN_SHARE_UNSEEN)
            and short >= DEFICIT_SHARE * share
        )
        if strong or weak:
            score = (cov if cov is not None else 0.3, -i)
            if worst is None or score < worst[0]:
                worst = (score, c)
    return [("clause", worst[1])] if worst else []


_last: list = [None, []]  # both checks read one segment's verdict: compute it once


def _verdict(ctx: CheckContext) -> list[tuple[str, Clause]]:
    key = (
        ctx.source,
        ctx.target,
        ctx.source_lang,
        ctx.target_lang,
        ctx.extras.get("back_translation"),
        id(ctx.extras.get("glossary")),
    )
    if _last[0] != key:
        _last[:] = [key, missing_parts(ctx)]
    return _last[1]


@check("omission.sentence")
def omission_sentence(ctx: CheckContext):
    """A sentence of the source has no counterpart in the translation."""
    for kind, part in _verdict(ctx):
        if kind == "sentence":
            yield Finding(
                "omission.sentence",
                _("the sentence «{text}» has no counterpart in the translation").format(
                    text=_quote(part.text)
                ),
            )


@check("omission.clause")
def omission_clause(ctx: CheckContext):
    """A clause of the source has no counterpart in the translation."""
    for kind, part in _verdict(ctx):
        if kind == "clause":
            yield Finding(
                "omission.clause",
                _("the clause «{text}» has no counterpart in the translation").format(
                    text=_quote(part.text)
                ),
            )
