"""Glossary speed: a 20,000-entry Russian glossary over a 5,000-word article.

Builds, offline and deterministically, a word list from simplemma's Russian data (lemmas with
their inflected forms; parts of speech from pymorphy3), a glossary of 20,000 entries (single words and 2-4 word
phrases such as «центр анализа», a few hundred of them with forbidden wordings) and an article of
5,000 words in ~15-word sentences where glossary words and phrases appear inflected. Then measures:

  build     loading the entries into the matcher (lemmatising every term, building the automaton)
  match     finding every term in the article with a cold lemma cache (match_ms), and warm
  naive     a regex per entry over the article (case-insensitive, whole words, surface forms only)
  enforce   mask + restore + the three glossary checks for every sentence of the article
  MT        the same sentences through the argos engine on a transformer-base-shaped model
            (6+6 layers, d_model 512, 8 heads, FFN 2048; the random-weights TEST PACKAGE from
            tests/argos_package.py, every sentence decoding 40 tokens, beam 4, inter 2 / intra 1 /
            batch 8 as in workflow.yaml), or the MT bench's own model when bench/mt.py offers one

share_of_mt = enforcement-plus-checks time / MT time; naive_over_ours = naive time / match time.
Goals: share_of_mt < 0.05, naive_over_ours >= 100.

Run: `.venv/bin/python bench/glossary.py [--entries N] [--words N] [--no-mt]`; the last line is
`glossary: match_ms=<x> share_of_mt=<y> naive_over_ours=<z>`.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue module (multiprocessing imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def vocabulary(rng: random.Random):
    """{lemma: [forms]} from simplemma's Russian data (1.4M forms), and the pymorphy3 part of speech
    of the first 40,000 lemmas (for building phrases)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    from translate.glossary.morph import ru_parses

    forms: dict[str, list[str]] = {}
    for form, lemma in DefaultDictionaryFactory().get_dictionary("ru").items():
        if form.isalpha() and lemma.isalpha() and len(lemma) > 3 and lemma.islower():
            forms.setdefault(lemma, []).append(form)
    ordered = sorted(forms)
    rng.shuffle(ordered)
    pos_of = {w: ru_parses(w)[0].tag.POS for w in rng.sample(ordered, 40_000)}
    return {w: sorted(forms[w]) for w in ordered}, pos_of


def build_glossary(vocab, pos_of, n_entries: int, rng: random.Random):
    from translate.glossary.entry import Entry
    from translate.glossary.morph import ru_parses

    nouns = [w for w, pos in pos_of.items() if pos == "NOUN"]
    adjectives = [w for w, pos in pos_of.items() if pos == "ADJF"]
    singles = rng.sample(list(vocab), int(n_entries * 0.6))  # independent of word frequency
    entries, phrases, seen = [], [], set()
    for i, word in enumerate(singles):
        avoid = [f"bad{i}"] if i % 100 == 0 else []
        entries.append(Entry(word, f"tgt{i}", avoid=avoid))
        seen.add(word)

    def genitive(noun: str) -> str:
        parsed = ru_parses(noun)[0].inflect({"gent"})
        return parsed.word if parsed else noun

    while len(entries) < n_entries:
        size = rng.choice((2, 2, 3, 4))
        head = rng.choice(nouns)
        words = [head] + [genitive(rng.choice(nouns)) for _ in range(size - 1)]
        if rng.random() < 0.4:
            words = [rng.choice(adjectives)] + words[:-1]
        term = " ".join(words)
        if term in seen:
            continue
        seen.add(term)
        phrases.append(words)
        i = len(entries)
        entries.append(Entry(term, f"tgt{i}", avoid=[f"bad{i}"] if i % 100 == 0 else []))
    return entries, phrases


def inflected(words: list[str]) -> list[str]:
    """A phrase with its first word (and an adjective's noun) in another case: «центру анализа»."""
    from translate.glossary.morph import ru_parses

    case = random.choice(("gent", "datv", "ablt", "loct"))
    out = []
    for i, word in enumerate(words):
        if i <= 1 and (i == 0 or ru_parses(words[0])[0].tag.POS == "ADJF"):
            parsed = ru_parses(word)[0].inflect({case})
            out.append(parsed.word if parsed else word)
        else:
            out.append(word)
    return out


def article(vocab, phrases, n_words: int, rng: random.Random) -> list[str]:
    """Sentences of ~15 words: lemmas drawn with Zipf frequencies (as in running text), each in a
    random inflected form, and glossary phrases inflected («центру анализа»)."""
    random.seed(rng.random())
    lemmas = list(vocab)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(lemmas))))
    words: list[str] = []
    while len(words) < n_words:
        if rng.random() < 0.03:
            words += inflected(rng.choice(phrases))
        else:
            words.append(rng.choice(vocab[rng.choices(lemmas, cum_weights=weights)[0]]))
    words = words[:n_words]
    sentences, i = [], 0
    while i < len(words):
        n = rng.randint(10, 20)
        chunk = words[i : i + n]
        chunk[0] = chunk[0].capitalize()
        sentences.append(" ".join(chunk) + ".")
        i += n
    return sentences


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def naive(entries, text: str) -> int:
    found = 0
    for e in entries:
        pattern = re.compile(r"(?<!\w)" + re.escape(e.source) + r"(?!\w)", re.IGNORECASE)
        found += sum(1 for _ in pattern.finditer(text))
    return found


def enforce_and_check(enforcer, verifier, sentences: list[str]) -> tuple[int, int]:
    """What the desk does per sentence around MT: mask, restore the engine's output, check."""
    from translate.checks import CheckContext, registry

    checks = [spec.fn for code, spec in registry().items() if code.startswith("glossary.")]
    masked_count = findings = 0
    for sentence in sentences:
        masked, state = enforcer.mask(sentence)
        masked_count += len(state.slots)
        text, ok = enforcer.restore(masked, state)  # the copy of the masked sentence
        assert ok
        ctx = CheckContext(sentence, text, "ru", "en", extras={"glossary": verifier})
        for check in checks:
            findings += len(list(check(ctx)))
    return masked_count, findings


def mt_engine(tmp: Path):
    """The MT bench's model if bench/mt.py provides one, else the transformer-base TEST PACKAGE."""
    from translate.engines.argos import ArgosEngine

    try:
        from bench.mt import bench_package  # type: ignore[import-not-found]

        archive, label = bench_package(tmp), "bench/mt.py model"
    except ImportError:
        from argos_package import build_package

        archive = build_package(tmp / "archives", "ru", "en", kind="random")
        label = "transformer-base random-weights TEST PACKAGE (tests/argos_package.py)"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp / "packages")
    options = {
        "packages_dir": str(tmp / "packages"),
        "beam_size": 4,
        "inter_threads": 2,
        "intra_threads": 1,
        "max_batch_size": 8,
    }
    return ArgosEngine(options), label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--no-mt", action="store_true", help="skip the MT timing (share = nan)")
    args = parser.parse_args()

    from translate.glossary.enforce import Enforcer
    from translate.glossary.entry import Glossary
    from translate.glossary.matcher import Matcher
    from translate.glossary.morph import ru_parses, text_keys
    from translate.glossary.verify import Verifier

    rng = random.Random(20240518)
    (vocab, pos_of), t_vocab = timed(vocabulary, rng)
    (entries, phrases), _t = timed(build_glossary, vocab, pos_of, args.entries, rng)
    sentences = article(vocab, phrases, args.words, rng)
    text = " ".join(sentences)
    n_words = len(text.split())
    print(
        f"setup: {len(vocab)} lemmas from simplemma's data in {t_vocab:.1f} s; {len(entries)} entries "
        f"({sum(1 for e in entries if ' ' in e.source)} phrases); article {n_words} words, "
        f"{len(sentences)} sentences",
        file=sys.stderr,
    )
    ru_parses.cache_clear()
    text_keys.cache_clear()
    matcher, t_build = timed(Matcher.build, entries, "ru")
    text_keys.cache_clear()
    ru_parses.cache_clear()
    found, t_cold = timed(matcher.find, text)
    _found, t_warm = timed(matcher.find, text)
    print(
        f"build: {t_build * 1000:.0f} ms; match: {len(found)} terms, cold {t_cold * 1000:.1f} ms, "
        f"warm {t_warm * 1000:.1f} ms",
        file=sys.stderr,
    )
    hits, t_naive = timed(naive, entries, text)
    print(
        f"naive regex per entry: {t_naive * 1000:.0f} ms ({hits} surface-form hits)",
        file=sys.stderr,
    )

    from translate.checks import registry
    from translate.glossary.morph import english_article, english_plural

    _warm, t_imports = timed(lambda: (registry(), english_plural("orchid"), english_article("x")))
    print(f"one-off imports (inflect, the checks): {t_imports * 1000:.0f} ms", file=sys.stderr)
    glossary = Glossary(entries)
    enforcer = Enforcer(glossary, matcher, "mask", "ru", "en")
    verifier = Verifier(glossary, matcher)
    text_keys.cache_clear()
    ru_parses.cache_clear()
    (slots, findings), t_enforce = timed(enforce_and_check, enforcer, verifier, sentences)
    print(
        f"enforcement + checks: {t_enforce * 1000:.0f} ms for {len(sentences)} sentences "
        f"({slots} placeholders, {findings} findings)",
        file=sys.stderr,
    )

    share = float("nan")
    if not args.no_mt:
        with tempfile.TemporaryDirectory() as tmp:
            engine, label = mt_engine(Path(tmp))
            masked = [enforcer.mask(s)[0] for s in sentences]
            engine.translate_batch(masked[:8], "ru", "en")  # load the model
            _out, t_mt = timed(engine.translate_batch, masked, "ru", "en")
            engine.close()
        share = t_enforce / t_mt
        print(
            f"MT: {t_mt:.1f} s for {len(sentences)} sentences "
            f"({len(sentences) / t_mt:.1f} sentences/s) on the {label}",
            file=sys.stderr,
        )
    ratio = t_naive / t_cold
    print(
        f"goals: share_of_mt < 0.05 ({'met' if share < 0.05 else 'NOT met'}), "
        f"naive_over_ours >= 100 ({'met' if ratio >= 100 else 'NOT met'})",
        file=sys.stderr,
    )
    print(
        f"glossary: match_ms={t_cold * 1000:.1f} share_of_mt={share:.4f} "
        f"naive_over_ours={ratio:.0f}"
    )


if __name__ == "__main__":
    main()
