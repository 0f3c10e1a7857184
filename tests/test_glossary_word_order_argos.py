"""Glossary terms keep the engine's word order: the argos side (issue 12 §2).

The engine here is the argos copy-model TEST PACKAGE (tests/argos_package.py, real SentencePiece +
real CTranslate2 installed through argostranslate; NOT a translation model): it "translates" by
returning its SentencePiece-normalised input, so its own translation of a term is the term's
source words, at the place the source had them. What these tests prove, for both argos paths:

* placeholders (the default: `ZQX1` in, the approved rendering out) and
* the alignment path (the sentence translated unmasked with the cross-attention, and the words
  aligned to the term replaced — what the desk does when placeholders come back damaged),

the enforced sentence equals the engine's own unmasked output with exactly the term's words
replaced by the approved rendering: every other word, space and punctuation mark is the engine's,
in the engine's order — for single- and multi-word terms, inflected terms, a term opening the
sentence (also after a dash or a quote), two terms in one sentence, terms side by side, and a
headline in capitals.

What they cannot prove: the copy model never reorders, so they do not show how a real model orders
words around a placeholder it has never seen (a real model may treat `ZQX1` as an unknown word, as
Apertium did). Only the alignment path keeps a real model's order by construction (it translates
the real sentence); its accuracy then rests on the model's attention (docs/glossary.md).
"""

from __future__ import annotations

import json

import pytest

from translate.engines.argos import ArgosEngine
from translate.engines.base import Translation
from translate.glossary.enforce import Enforcer, at_sentence_start
from translate.glossary.entry import Entry, Glossary
from translate.glossary.matcher import Matcher
from translate.model import IngestedStory, Sentence, Unit
from translate.store import open_store

pytest_plugins = ["mt_fixtures"]  # the TEST PACKAGE fixtures

ENTRIES = [
    Entry("Газпром", "Gazprom"),
    Entry("Роснефть", "Rosneft"),
    Entry("орхидея", "orchid"),
    Entry(
        "Центр анализа стратегий и технологий", "Centre for Analysis of Strategies and Technologies"
    ),
    Entry("Министерство финансов", "Finance Ministry"),
    Entry("Ким Чен Ын", "Kim Jong Un"),
]

SENTENCES = [
    "Переговоры с Газпромом буксуют уже несколько месяцев.",  # one inflected word mid-sentence
    "Газпром и Роснефть подписали соглашение.",  # a term opening the sentence, two terms
    "Эксперты Центра анализа стратегий и технологий напоминают о маршрутах.",  # five words
    "«Газпром» примет участие в строительстве газопровода.",  # opening quote
    "— Орхидеи цветут поздно, — сказал садовник.",  # a common noun after an opening dash
    "В саду цветут редкие орхидеи.",  # a common noun, plural, mid-sentence
    "Акции Газпрома, Роснефти и Министерства финансов упали.",  # three terms, one of two words
    "ГАЗПРОМ ПОДПИСАЛ СОГЛАШЕНИЕ",  # a headline in capitals
    "Газпром Роснефть: кто кого?",  # two terms side by side
    "Он сказал: «орхидеи цветут» (в Газпроме).",  # after a colon and a quote, in brackets
    "Газпром продал акции Газпрома Роснефти.",  # one term twice
    "Ким Чен-Ын приехал.",  # a hyphen variant of a multi-word name
]


def enforcer() -> Enforcer:
    return Enforcer(Glossary(ENTRIES), Matcher.build(ENTRIES, "ru"), "mask", "ru", "en")


def engines_own(engine, state, source: str) -> str:
    """The engine's unmasked translation with each term's words (the copy model's translation of
    the term: its own source words, as the engine wrote them) replaced by the approved rendering,
    capitalised where it opens the sentence — the sentence the enforcement must produce."""
    (alone,) = engine.translate_batch([source], "ru", "en")
    text = alone.text
    out, pos = [], 0
    for slot in state.slots:
        words = engine.translate_batch([slot.source], "ru", "en")[0].text  # the term, copied
        start = text.index(words, pos)
        value = slot.replacement
        if at_sentence_start(text, start):
            value = value[0].upper() + value[1:]
        out += [text[pos:start], value]
        pos = start + len(words)
    out.append(text[pos:])
    return "".join(out)


@pytest.fixture
def argos(installed_copy, packages_dir):
    engine = ArgosEngine({"packages_dir": str(packages_dir), "beam_size": 2})
    yield engine
    engine.close()


def test_placeholders_put_each_rendering_where_the_engine_puts_the_term(argos):
    enf = enforcer()
    masks = [enf.mask(s) for s in SENTENCES]
    assert [len(state.slots) for _m, state in masks] == [1, 2, 1, 1, 1, 1, 3, 1, 2, 2, 3, 1]
    out = argos.translate_batch([m for m, _s in masks], "ru", "en")
    got = []
    for (_masked, state), translation, source in zip(masks, out, SENTENCES, strict=True):
        text, ok = enf.restore(translation.text, state)
        assert ok, translation.text
        assert text == engines_own(argos, state, source)
        got.append(text)
    assert got == [
        "Переговоры с Gazprom буксуют уже несколько месяцев.",
        "Gazprom и Rosneft подписали соглашение.",
        "Эксперты Centre for Analysis of Strategies and Technologies напоминают о маршрутах.",
        "«Gazprom» примет участие в строительстве газопровода.",
        "— Orchids цветут поздно, — сказал садовник.",
        "В саду цветут редкие orchids.",
        "Акции Gazprom, Rosneft и Finance Ministry упали.",
        "GAZPROM ПОДПИСАЛ СОГЛАШЕНИЕ",
        "Gazprom Rosneft: кто кого?",
        "Он сказал: «orchids цветут» (в Gazprom).",
        "Gazprom продал акции Gazprom Rosneft.",
        "Kim Jong Un приехал.",
    ]


def test_the_alignment_path_replaces_exactly_the_words_the_engine_wrote_for_the_term(argos):
    enf = enforcer()
    out = argos.translate_aligned(SENTENCES, "ru", "en")
    for source, translation in zip(SENTENCES, out, strict=True):
        _masked, state = enf.mask(source)
        assert translation.alignment is not None
        text, placed = enf.place(translation.text, translation.alignment, state)
        assert placed == len(state.slots)
        assert text == engines_own(argos, state, source)


def test_both_paths_give_the_same_sentence(argos):
    enf = enforcer()
    for source in SENTENCES:
        masked, state = enf.mask(source)
        (plain,) = argos.translate_batch([masked], "ru", "en")
        (aligned,) = argos.translate_aligned([source], "ru", "en")
        restored, ok = enf.restore(plain.text, state)
        placed, _n = enf.place(aligned.text, aligned.alignment, state)
        assert ok and restored == placed


# ---------------------------------------------------------------- through `translate mt`

WORKFLOW = """\
store: .translate/desk.db
pairs:
  - source: ru
    target: en
    engines: [argos]
team:
  translators:
    ana: [ru-en]
  batch:
    nightly: []
mt:
  beam_size: 2
"""

GLOSSARY = "source,target\n" + "".join(f"{e.source},{e.target}\n" for e in ENTRIES)


@pytest.fixture
def store(desk):
    from translate.config import load_workflow

    (desk / "workflow.yaml").write_text(WORKFLOW, encoding="utf-8")
    (desk / "glossaries" / "ru-en.csv").write_text(GLOSSARY, encoding="utf-8")
    s = open_store(load_workflow(desk / "workflow.yaml").store)
    yield s
    s.close()


def run_mt(store, sentences):
    from click.testing import CliRunner

    from translate.cli import run

    units = [Unit("paragraph", " ".join(sentences), [Sentence(s, " ") for s in sentences])]
    story = store.add_story(
        IngestedStory(title="Тест", language="ru", units=units, text_hash="h-order")
    )
    with CliRunner().isolation() as (out, err, *_rest):
        code = run(["--user", "nightly", "mt", "--json"])
    assert code == 0, err.getvalue().decode()
    [result] = json.loads(out.getvalue().decode())["stories"]
    return story, result


def test_mt_stores_the_engines_sentence_with_the_approved_terms(store, argos):
    story, result = run_mt(store, SENTENCES)
    assert (result["unmasked_retries"], result["aligned_terms"]) == (0, 0)
    enf = enforcer()
    expected = [engines_own(argos, enf.mask(s)[1], s) for s in SENTENCES]
    stored = [s["translation"] for s in store.segments(story)]
    assert stored == expected


def test_mt_alignment_retry_stores_the_same_sentences(store, argos, monkeypatch):
    """Placeholders lost on the masked pass: the unmasked, aligned retry gives the same text."""
    original = ArgosEngine.translate_batch

    def losing(self, texts, source, target, progress=None):
        out = original(self, texts, source, target, progress)
        return [
            Translation(t.text.replace("ZQX", "Z Q X"), t.engine, t.model, t.model_version)
            for t in out
        ]

    monkeypatch.setattr(ArgosEngine, "translate_batch", losing)
    story, result = run_mt(store, SENTENCES)
    monkeypatch.setattr(ArgosEngine, "translate_batch", original)
    assert (result["unmasked_retries"], result["aligned_terms"]) == (12, 19)  # every term placed
    enf = enforcer()
    expected = [engines_own(argos, enf.mask(s)[1], s) for s in SENTENCES]
    assert [s["translation"] for s in store.segments(story)] == expected


# ---------------------------------------------------------------- an engine that changes the words

PREFIXED = [
    "Газпром подписал соглашение с Роснефтью.",  # the engine drops the term's first piece
    "Орхидеи цветут в саду.",
    "Переговоры с Газпромом буксуют.",  # the engine drops another word's first piece
]


@pytest.fixture
def prefixed(package_factory, packages_dir, sp_model):
    """A copy-model TEST PACKAGE with a target prefix: the model writes the forced prefix where
    the first piece would go and copies the rest, so its output lacks the source's first piece
    and its alignment is shifted by one: an engine whose words are not the source's."""
    import sentencepiece as spm

    from translate.engines import models

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    prefix = sp.id_to_piece(300)
    models.install_file(package_factory("ru", "en", "2.0", target_prefix=prefix), packages_dir)
    engine = ArgosEngine({"packages_dir": str(packages_dir), "beam_size": 2})
    yield engine, sp
    engine.close()


def engines_words_for(sp, source: str, match) -> str:
    """The words this engine writes for a source span: the span's SentencePiece pieces that it
    copies (all but the sentence's first piece), decoded."""
    begin = len(source[: match.start].encode("utf-8"))
    end = len(source[: match.end].encode("utf-8"))
    pieces = sp.encode(source, return_type="proto").pieces
    kept = [p.piece for i, p in enumerate(pieces) if i and p.begin < end and p.end > begin]
    return sp.decode(kept).strip()


def test_with_an_engine_that_changes_the_terms_words_the_rendering_replaces_its_words(prefixed):
    engine, sp = prefixed
    enf = enforcer()
    got = []
    for source in PREFIXED:
        own = sp.decode(sp.encode(source, out_type=str)[1:]).strip()  # all but the first piece
        (unmasked,) = engine.translate_aligned([source], "ru", "en")
        assert unmasked.text == own
        masked, state = enf.mask(source)
        expected, pos = own, 0
        for slot, match in zip(state.slots, state.matches, strict=True):
            words = engines_words_for(sp, source, match)
            start = expected.index(words, pos)
            value = slot.replacement
            if at_sentence_start(expected, start):
                value = value[0].upper() + value[1:]
            expected = expected[:start] + value + expected[start + len(words) :]
            pos = start + len(value)
        (plain,) = engine.translate_batch([masked], "ru", "en")
        restored, ok = enf.restore(plain.text, state)
        placed, n = enf.place(unmasked.text, unmasked.alignment, state)
        assert ok and restored == expected
        assert (placed, n) == (expected, len(state.slots))
        got.append((own, expected))
    assert got[1] == ("рхидеи цветут в саду.", "Orchids цветут в саду.")  # its words, replaced
    assert got[2] == ("ереговоры с Газпромом буксуют.", "ереговоры с Gazprom буксуют.")
