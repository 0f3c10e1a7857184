"""Back-translation of the English into the source language, for the omission and names checks.

Where the desk has an engine for the reverse direction — Debian's apertium-eng-spa ships eng→spa
beside spa→eng — a context provider sends the translated segments of a wave through the reverse
mode's programs up to lexical selection (`ApertiumEngine.lexical`: analysis, tagging, the
bilingual dictionary; no structural transfer or generation) and puts the source-language lemmas
it gives ("El ministro rehusar el nuevo ley…") into each segment's `extras["back_translation"]`.
The checks compare source words with them as lemmas, so generation added nothing to compare: the
lexical pipeline gives the same omission and names findings on the check benches
(bench/checks_recall.py, bench/checks_precision.py) for about half the CPU of a full
translation (its start: ~0.07 CPU-s against 0.17). One null-flush pipeline serves the process,
and only segments where it can change a finding are sent (English shorter than usual, or a
source name not found without it);
`checks.back_translation: false` in workflow.yaml turns it off, and without Apertium or the mode
it is skipped silently.

The same module asks Apertium's morphological analysers (lt-proc over `*.automorf.bin`) whether a
capitalised word is a proper noun, for the names and untranslated checks; those lookups are
batched per story by `proper_nouns_context` and cached per process.
"""

from __future__ import annotations

import re
import shutil
from functools import cache, lru_cache

from translate.checks import context_provider

# ISO 639-1 -> Apertium's three-letter codes, for the languages Apertium has pairs of.
APERTIUM_CODES = {
    "en": "eng",
    "es": "spa",
    "ca": "cat",
    "pt": "por",
    "fr": "fra",
    "it": "ita",
    "ru": "rus",
    "de": "deu",
}
_LETTERS_RE = re.compile(r"[^\W\d_]+")
TIMEOUT = 120  # seconds for one story
CACHE_LIMIT = 200_000  # words kept from Apertium lookups per process
_words_cache: dict[tuple[str, str], str] = {}  # (mode, word) -> Apertium's translation of it alone
_lines_cache: dict[tuple[str, str], str] = {}  # (mode, segment text) -> its back-translation


@cache
def apertium_modes() -> frozenset[str]:
    binary = shutil.which("apertium")
    if binary is None:
        return frozenset()
    from translate.engines.apertium import installed_modes

    return frozenset(installed_modes(binary))


def reverse_mode(source_lang: str, target_lang: str) -> str | None:
    """The Apertium mode that translates target_lang back into source_lang, if installed."""
    src, tgt = APERTIUM_CODES.get(source_lang), APERTIUM_CODES.get(target_lang)
    if not src or not tgt:
        return None
    mode = f"{tgt}-{src}"
    return mode if mode in apertium_modes() else None


def back_translate(texts: list[str], mode: str) -> list[str] | None:
    """The lemmas of each of `texts` in the other language of Apertium `mode` (its bilingual
    dictionary, in one pipeline kept for the process); None if it fails."""
    if not texts:
        return []
    # Apertium does not end a sentence at a line break: a headline without a full stop would
    # run into the next line (words move between segments). A full stop keeps each line apart.
    lines = [" ".join(t.split()) for t in texts]
    lines = [
        line if line.rstrip("\"'”’»)").endswith((".", "!", "?", "…")) else line + "."
        for line in lines
    ]
    from translate.engines.apertium import mode_pair
    from translate.engines.base import EngineError

    pair = mode_pair(mode)
    if pair is None:
        return None
    try:
        # one null-flush pipeline for the whole process, kept between stories: starting
        # `apertium` per story cost ~0.3 s each, more than translating the story
        return _reverse_engine().lexical(lines, *pair)
    except (EngineError, OSError):
        return None


_ENGINE: list = []


def _reverse_engine():
    """The process's Apertium engine for back-translations (its pipelines die with the process)."""
    if not _ENGINE:
        from translate.engines.apertium import ApertiumEngine

        _ENGINE.append(ApertiumEngine())
    return _ENGINE[0]


@context_provider
def back_translation_context(store, workflow, story: dict, segments: list[dict]):
    if not getattr(workflow, "back_translation", True):
        return {}
    mode = reverse_mode(story["language"], story.get("target_language") or "en")
    if mode is None:
        return {}
    translated = _translated(story, segments)
    verifier = _verifier(workflow, story)
    wanted = [s for s in translated if _needs_back_translation(story, s, verifier)]
    if not _fetch(mode, [s["translation"] for s in wanted], _words_wanted(mode, translated)):
        return {}
    out = {s["id"]: {"reverse_lookup": True} for s in translated}
    for s in wanted:
        out[s["id"]]["back_translation"] = _lines_cache[(mode, s["translation"])]
    return out


def prefetch_back_translations(workflow, stories: list[tuple[dict, list[dict]]]) -> None:
    """Back-translate what `back_translation_context` will want for several stories (story,
    segments) in ONE call: an MT job checks its stories one by one, and a call per story cost
    more in round trips than the translating. The results wait in the per-process caches."""
    if not getattr(workflow, "back_translation", True):
        return
    by_mode: dict[str, tuple[list[str], set[str]]] = {}
    jobs = []
    capitalised: dict[str, set[str]] = {}
    for story, segments in stories:
        mode = reverse_mode(story["language"], story.get("target_language") or "en")
        if mode is None:
            continue
        translated = _translated(story, segments)
        jobs.append((mode, story, translated))
        for lang, key in ((story["language"], "source"), ("en", "translation")):
            capitalised.setdefault(lang, set()).update(
                _capitalised_words(s.get(key) for s in translated)
            )
    # every story's capitalised words in one lt-proc round trip per language (the names check
    # in _needs_back_translation would otherwise ask segment by segment)
    for lang, found in capitalised.items():
        if analyser(lang) is not None:
            analyse(sorted(found), lang)
    for mode, story, translated in jobs:
        lines, words = by_mode.setdefault(mode, ([], set()))
        verifier = _verifier(workflow, story)
        lines += [
            s["translation"] for s in translated if _needs_back_translation(story, s, verifier)
        ]
        words |= set(_words_wanted(mode, translated))
    for mode, (lines, words) in by_mode.items():
        _fetch(mode, lines, sorted(words))


def _words_wanted(mode: str, translated: list[dict]) -> list[str]:
    """The names check also asks for capitalised English words alone: same process, extra lines."""
    return sorted(
        w
        for w in _capitalised_words(s["translation"] for s in translated)
        if w[:1].isupper() and (mode, w) not in _words_cache
    )


def _fetch(mode: str, texts: list[str], words: list[str]) -> bool:
    """Back-translations of `texts` and `words` not cached yet into the caches, in one call;
    False if Apertium failed. In null-flush mode each line is translated as if alone, so a
    text's back-translation can be kept and reused (a re-run, a re-check, a repeated line)."""
    if len(_lines_cache) > CACHE_LIMIT:
        _lines_cache.clear()
    todo = list(dict.fromkeys(t for t in texts if (mode, t) not in _lines_cache))
    if not todo and not words:
        return True
    back = back_translate(todo + words, mode)
    if back is None:
        return False
    for text, result in zip(todo, back, strict=False):
        _lines_cache[(mode, text)] = result
    for word, result in zip(words, back[len(todo) :], strict=True):
        _words_cache[(mode, word)] = result.strip().rstrip(".")
    return True


# Below this length deficit (see omission.py) no clause can be judged missing, so the
# back-translation could only help the names check.
BACK_TRANSLATION_DEFICIT = 0.05


def _needs_back_translation(story: dict, seg: dict, verifier=None) -> bool:
    """Whether a segment's back-translation could change a finding: its English is shorter than
    usual, or a name of its source is not found without one (names a glossary term covers
    excepted, as the names check excepts them: `verifier`, the pair's glossary)."""
    return _needs(
        seg["source"], seg["translation"], story["language"], story.get("target_language") or "en",
        verifier,
    )  # fmt: skip


def _verifier(workflow, story: dict):
    from translate.checks.glossary import verifier_for_pair

    return verifier_for_pair(workflow, story["language"], story.get("target_language") or "en")


@lru_cache(maxsize=4096)
def _needs(source: str, translation: str, source_lang: str, target_lang: str, verifier) -> bool:
    """_needs_back_translation on the texts alone (asked twice per segment in an MT job)."""
    from translate.checks import CheckContext
    from translate.checks.names import names_missing
    from translate.checks.omission import deficit

    extras = {"glossary": verifier} if verifier is not None else {}
    ctx = CheckContext(source, translation, source_lang, target_lang, extras=extras)
    return deficit(ctx) >= BACK_TRANSLATION_DEFICIT or any(True for _f in names_missing(ctx))


def _translated(story: dict, segments: list[dict]) -> list[dict]:
    """The segments with a translation that is not the source left as it is (nothing to compare:
    the `untranslated` check reports those, and MT test doubles that copy cost nothing here)."""
    from translate.checks import CheckContext
    from translate.checks.language import left_in_source

    out = []
    for seg in segments:
        text = seg.get("translation") or ""
        ctx = CheckContext(
            seg.get("source") or "", text, story["language"], story.get("target_language") or "en"
        )
        if text.strip() and not left_in_source(ctx):
            out.append(seg)
    return out


def _capitalised_words(texts) -> set[str]:
    """The capitalised words of `texts`, as the names check cuts them (and their lower case)."""
    words: set[str] = set()
    for text in texts:
        if text:
            words |= _capitalised_in(text)
    return words


@lru_cache(maxsize=8192)
def _capitalised_in(text: str) -> frozenset[str]:
    """_capitalised_words of one text (an MT job asks it of each segment four times: the
    prefetch, the words wanted alone, the proper-noun analysis, the story's context)."""
    words: set[str] = set()
    for word in set(_LETTERS_RE.findall(text)):
        if word[:1].isupper() and not (len(word) > 1 and word.isupper()):
            words |= {word, word.lower()}
    return frozenset(words)


# ---------------------------------------------------------------- proper nouns

_analyses: dict[tuple[str, str], tuple[str, ...]] = {}  # (lang, word) -> readings


@cache
def analyser(lang: str) -> str | None:
    """The Apertium morphological analyser (automorf.bin) of `lang` into English, if installed."""
    code = APERTIUM_CODES.get(lang)
    if not code or shutil.which("lt-proc") is None:
        return None
    for name in sorted(m for m in apertium_modes() if m.startswith(code + "-")):
        for folder in ("/usr/share/apertium/modes", "/usr/local/share/apertium/modes"):
            try:
                with open(f"{folder}/{name}.mode", encoding="utf-8") as fh:
                    mode = fh.read()
            except OSError:
                continue
            for part in mode.replace("'", " ").split():
                if part.endswith(".automorf.bin"):
                    return part
    return None


def analyse(words: list[str], lang: str) -> dict[str, tuple[str, ...]]:
    """Apertium's readings of each word ("<np><loc>", "<n>", ... or () for an unknown word), one
    lt-proc process for the words not analysed before; {} without an analyser."""
    binary = analyser(lang)
    if binary is None:
        return {}
    todo = sorted({w for w in words if (lang, w) not in _analyses})
    if len(_analyses) > CACHE_LIMIT:  # a long-running process (the web front) starts afresh
        _analyses.clear()
        todo = sorted(set(words))
    if todo:
        # one `lt-proc -z` per analyser for the whole process (a process per story cost more
        # than the analysis): each word a NUL-terminated block
        lines = _lt_proc(binary).ask(todo)
        if lines is None or len(lines) < len(todo):
            return {}
        for word, line in zip(todo, lines, strict=False):
            units = line.split("^")[1:]
            if len(units) != 1:  # cut in pieces ("Gazprom's"): judge it as unknown
                _analyses[(lang, word)] = ()
                continue
            readings = units[0].split("$")[0].split("/")[1:]
            _analyses[(lang, word)] = tuple(r for r in readings if not r.startswith("*"))
    return {w: _analyses[(lang, w)] for w in words if (lang, w) in _analyses}


_LT_PROC: dict[str, object] = {}


def _lt_proc(binary: str):
    from translate.engines.procs import NullFlushProcess

    if binary not in _LT_PROC:
        _LT_PROC[binary] = NullFlushProcess(["lt-proc", "-z", "-w", binary])
    return _LT_PROC[binary]


def start_analyser(lang: str) -> None:
    """Start `lang`'s analyser process now, if Apertium has one (the warm-up of an MT job)."""
    binary = analyser(lang)
    if binary is not None:
        try:
            _lt_proc(binary).start()
        except OSError:
            pass  # no process: the lookups fail later and the checks do without


def proper_noun(word: str, lang: str) -> bool | None:
    """True when Apertium knows `word` as a proper noun (or not at all, lower-cased too), False
    when only as a common word; None without an analyser."""
    found = analyse([word, word.lower()], lang)
    if word not in found:
        return None
    readings = found[word]
    if any("<np>" in r for r in readings):
        return True
    if readings:
        return False
    return not found.get(word.lower())


@context_provider
def proper_nouns_context(store, workflow, story: dict, segments: list[dict]):
    """Analyse the capitalised words of a whole story in one lt-proc process (fills the cache
    the names check reads); adds nothing to the segments' extras."""
    segments = _translated(story, segments)
    for lang, key in (
        (story["language"], "source"),
        (story.get("target_language") or "en", "translation"),
    ):
        if analyser(lang) is None:
            continue
        analyse(sorted(_capitalised_words(seg.get(key) for seg in segments)), lang)
    return {}


def translate_words(words: list[str], mode: str) -> dict[str, str]:
    """Each word translated alone by Apertium `mode` (one process for the words not seen before):
    the names check asks what "Geneva" is in Spanish."""
    todo = sorted({w for w in words if (mode, w) not in _words_cache})
    if len(_words_cache) > CACHE_LIMIT:
        _words_cache.clear()
        todo = sorted(set(words))
    if todo:
        out = back_translate(todo, mode)
        if out is None:
            return {}
        for word, result in zip(todo, out, strict=True):
            _words_cache[(mode, word)] = result.strip().rstrip(".")
    return {w: _words_cache[(mode, w)] for w in words if (mode, w) in _words_cache}
