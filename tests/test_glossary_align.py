"""Placing glossary terms by word alignment when placeholders do not survive MT.

The argos copy-model TEST PACKAGE (tests/argos_package.py, NOT a translation model) attends to the
source token at its own position, so its alignment is the identity: a term's approved rendering
must land exactly where the source term was.
"""

from __future__ import annotations

import json
import re

import pytest

from translate.engines.argos import ArgosEngine
from translate.engines.base import Alignment, Engine, Translation
from translate.engines.wordalign import align, source_words
from translate.glossary.enforce import Enforcer
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
]


def enforcer(entries=ENTRIES):
    return Enforcer(Glossary(entries), Matcher.build(entries, "ru"), "mask", "ru", "en")


def words(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in re.finditer(r"\S+", text))


def place(source: str, target: str, links: list[int], entries=ENTRIES) -> tuple[str, int]:
    """Enforcer.place with an alignment over whitespace-separated words."""
    enf = enforcer(entries)
    _masked, state = enf.mask(source)
    assert state.masked
    return enf.place(target, Alignment(words(source), words(target), tuple(links)), state)


# ---------------------------------------------------------------- from attention to words


def test_attention_is_summed_into_words_and_each_target_word_takes_its_argmax():
    source = "ab cd"
    pieces = [("▁a", 0, 1), ("b", 1, 2), ("▁cd", 2, 5)]  # SentencePiece offsets: UTF-8 bytes
    target_pieces = ["▁X", "▁Y", "y"]
    attention = [
        [0.3, 0.3, 0.4],  # X: "ab" gets 0.6 in all, more than "cd"
        [0.1, 0.1, 0.8],
        [0.0, 0.0, 1.0, 0.0],  # a column for </s> is ignored
    ]

    def decode(ps):
        return "".join(ps).replace("▁", " ").strip()

    assert align(source, pieces, "X Yy", target_pieces, attention, decode) == Alignment(
        ((0, 2), (3, 5)), ((0, 1), (2, 4)), (0, 1)
    )
    # rows and pieces that do not add up give no alignment rather than a wrong one
    assert align(source, pieces, "X Yy", target_pieces, attention[:2], decode) is None
    assert align(source, pieces, "X Zz", target_pieces, attention, decode) is None


def test_source_words_are_character_spans_of_the_text_as_given(sp_model):
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    text = "Переговоры с «Газпромом»  буксуют, ёлки."
    proto = sp.encode(text, return_type="proto")
    spans, word_of = source_words(text, [(p.piece, p.begin, p.end) for p in proto.pieces])
    assert [text[a:b] for a, b in spans] == [
        "Переговоры",
        "с",
        "«Газпромом»",
        "буксуют,",
        "ёлки.",
    ]
    assert len(word_of) == len(proto.pieces) and word_of[-1] == 4


# ---------------------------------------------------------------- placing terms


def test_the_aligned_run_gets_the_rendering_wherever_the_engine_put_it():
    source = "Переговоры с Газпромом буксуют."
    # "gas giant" (two words) comes from «Газпромом»; the punctuation around it stays
    assert place(source, "Talks with the gas giant, stall.", [0, 1, 1, 2, 2, 3]) == (
        "Talks with the Gazprom, stall.",
        1,
    )
    assert place(source, "Talks stall with «gasprom».", [0, 3, 1, 2]) == (
        "Talks stall with «Gazprom».",
        1,
    )


def test_plural_sentence_start_and_article_follow_restore():
    assert place("Орхидеи цветут.", "orchises bloom.", [0, 1]) == ("Orchids bloom.", 1)
    assert place("Это орхидея.", "It is a flower.", [0, 0, 0, 1]) == ("It is an orchid.", 1)
    centre = "Директор Центра анализа стратегий и технологий приехал."
    target = "The director of the Center for Strategic Analysis arrived."
    assert place(centre, target, [0, 0, 0, 0, 1, 1, 3, 2, 6]) == (
        "The director of the Centre for Analysis of Strategies and Technologies arrived.",
        1,
    )


def test_a_rendering_already_right_is_kept_and_counted():
    assert place("Акции Газпрома упали.", "Gazprom's shares fell.", [1, 0, 2]) == (
        "Gazprom's shares fell.",
        1,
    )


@pytest.mark.parametrize(
    ("target", "links"),
    [
        ("Talks with gas stall giant.", [0, 0, 1, 2, 1]),  # not contiguous
        ("Talks stall.", [0, 2]),  # nothing aligned to the term
        ("The big gas company of the north stalls.", [0, 1, 1, 1, 1, 1, 1, 2]),  # 6 > 3 × 1 + 2
    ],
)
def test_implausible_runs_leave_the_unmasked_translation(target, links):
    assert place("Переговоры Газпромом буксуют.", target, links) == (target, 0)


def test_two_terms_in_one_aligned_word_are_both_left_alone():
    source = "Газпром/Роснефть растут."  # one word for SentencePiece, two glossary matches
    enf = enforcer()
    _masked, state = enf.mask(source)
    assert len(state.slots) == 2
    alignment = Alignment(((0, 16), (17, 24)), ((0, 15), (16, 21)), (0, 1))
    assert enf.place("Gasprom/Rosneft grow.", alignment, state) == ("Gasprom/Rosneft grow.", 0)
    assert enf.place("Gasprom grow.", None, state) == ("Gasprom grow.", 0)


def test_engines_without_alignment_keep_the_interface():
    class Plain(Engine):
        name = "plain"

        def translate_batch(self, texts, source, target, progress=None):
            return [Translation(t.upper(), self.name) for t in texts]

    engine = Plain()
    assert engine.capabilities.alignment is False
    assert engine.translate_aligned(["a b"], "ru", "en") == [Translation("A B", "plain")]


# ---------------------------------------------------------------- the argos copy model


def test_argos_aligns_the_copy_model_as_the_identity(installed_copy, packages_dir, normalise):
    engine = ArgosEngine({"packages_dir": str(packages_dir), "beam_size": 2})
    assert engine.capabilities.alignment is True
    source = "Переговоры с «Газпромом»  буксуют уже\nнесколько месяцев."
    (plain,) = engine.translate_batch([source], "ru", "en")
    (aligned,) = engine.translate_aligned([source], "ru", "en")
    engine.close()
    assert plain.alignment is None
    assert aligned.text == plain.text == normalise(source)
    a = aligned.alignment
    assert a.links == tuple(range(len(a.source_words)))
    assert [aligned.text[i:j] for i, j in a.target_words] == aligned.text.split()
    assert [source[i:j] for i, j in a.source_words] == source.split()


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


@pytest.fixture
def store(desk):
    from translate.config import load_workflow

    (desk / "workflow.yaml").write_text(WORKFLOW, encoding="utf-8")
    (desk / "glossaries" / "ru-en.csv").write_text(
        "source,target\nГазпром,Gazprom\nорхидея,orchid\n", encoding="utf-8"
    )
    s = open_store(load_workflow(desk / "workflow.yaml").store)
    yield s
    s.close()


@pytest.fixture
def dropping(monkeypatch):
    """argos that loses every placeholder on its ordinary (masked) pass; the aligned retry works."""
    original = ArgosEngine.translate_batch
    calls = []

    def translate_batch(self, texts, source, target, progress=None):
        calls.append(list(texts))
        out = original(self, texts, source, target, progress)
        return [
            Translation(re.sub(r"ZQX\d+ ?", "", t.text), t.engine, t.model, t.model_version)
            for t in out
        ]

    monkeypatch.setattr(ArgosEngine, "translate_batch", translate_batch)
    return calls


def mt_json(store, sentences):
    from click.testing import CliRunner

    from translate.cli import run

    units = [Unit("paragraph", " ".join(sentences), [Sentence(s, " ") for s in sentences])]
    story = store.add_story(
        IngestedStory(title="Тест", language="ru", units=units, text_hash="h-align")
    )
    with CliRunner().isolation() as (out, err, *_rest):
        code = run(["--user", "nightly", "mt", "--json"])
    assert code == 0, err.getvalue().decode()
    [result] = json.loads(out.getvalue().decode())["stories"]
    return story, result


def test_mt_places_terms_by_alignment_when_placeholders_are_lost(
    store, installed_copy, dropping, normalise
):
    sentences = ["Переговоры с «Газпромом» буксуют.", "Орхидеи Газпрома цветут.", "Без терминов."]
    story, result = mt_json(store, sentences)
    assert dropping == [["Переговоры с «ZQX1» буксуют.", "ZQX1 ZQX2 цветут.", "Без терминов."]]
    assert (result["unmasked_retries"], result["aligned_terms"]) == (2, 3)
    assert [s["translation"] for s in store.segments(story)] == [
        "Переговоры с «Gazprom» буксуют.",
        "Orchids Gazprom цветут.",
        normalise("Без терминов."),
    ]
    assert [f["code"] for f in store.findings(story) if f["code"].startswith("glossary.")] == []
    mt_event = [e for e in store.events(story) if e["action"] == "mt"][-1]
    assert json.loads(mt_event["after"])["aligned_terms"] == 3


def test_without_alignment_the_unmasked_translation_is_kept_and_flagged(
    store, installed_copy, dropping, monkeypatch, normalise
):
    from translate.engines.base import Capabilities

    monkeypatch.setattr(ArgosEngine, "capabilities", Capabilities(batching=True, scores=True))
    story, result = mt_json(store, ["Переговоры с «Газпромом» буксуют."])
    assert (result["unmasked_retries"], result["aligned_terms"]) == (1, 0)
    assert [s["translation"] for s in store.segments(story)] == [
        normalise("Переговоры с «Газпромом» буксуют.")
    ]
    glossary = [f["code"] for f in store.findings(story) if f["code"].startswith("glossary.")]
    assert glossary == ["glossary.missing"]
