"""Glossary terms keep the engine's word order (real Apertium).

A masked placeholder reaches Apertium as an unknown word, so adjectives are no longer moved around it
("Los fiscales federales" -> "The ZQX1 federal"). The desk now sends each term as inline markup that
Apertium carries as a word-bound blank (as `apertium -f html` keeps `<b>` attached): the engine
translates and reorders the sentence exactly as without markup, and the marked words — its own
translation of the term — are replaced by the approved rendering.
"""

from __future__ import annotations

import re

import pytest
from cli_helpers import invoke

from translate.config import load_workflow
from translate.engines.apertium import ApertiumEngine
from translate.glossary.enforce import Enforcer
from translate.glossary.entry import Glossary
from translate.glossary.matcher import Matcher
from translate.model import IngestedStory, Sentence, Unit
from translate.store import open_store

GLOSSARY = """\
source,target,kind,avoid,case_sensitive,note
fiscal,prosecutor,preferred,,no,
Oriente Medio,Middle East,preferred,,no,
Santa Rita Las Flores,,keep,,yes,
orquídea,orchid,preferred,,no,
ley,statute,preferred,,no,
"""

# (source, the approved rendering of its one term)
SENTENCES = [
    ("Los fiscales federales llegaron.", "prosecutors"),
    ("La situación en el Oriente Medio estable preocupa.", "Middle East"),
    ("Santa Rita Las Flores recibe turistas.", "Santa Rita Las Flores"),
    ("Venden orquídeas silvestres muy raras.", "orchids"),
    ("Los fiscales del Oriente Medio estable llegaron.", None),  # two terms
]


def _enforcer(tmp_path) -> Enforcer:
    from translate.glossary.formats import read_glossary_file

    path = tmp_path / "es-en.csv"
    path.write_text(GLOSSARY, encoding="utf-8")
    glossary = Glossary(read_glossary_file(path, None, "es", "en").entries, path)
    return Enforcer(glossary, Matcher.build(glossary.entries, "es"), "mask", "es", "en")


def test_markup_leaves_apertiums_word_order_as_it_is(tmp_path):
    enforcer = _enforcer(tmp_path)
    engine = ApertiumEngine()
    sources = [s for s, _r in SENTENCES]
    masked = [enforcer.mask(s, markup=True)[0] for s in sources]
    assert masked[0] == 'Los <g id="1">fiscales</g> federales llegaron.'
    plain = [t.text for t in engine.translate_batch(sources, "es", "en")]
    marked = [t.text for t in engine.translate_batch(masked, "es", "en")]
    for alone, with_markup in zip(plain, marked, strict=True):
        # the engine's order around the term equals its order around its own translation
        assert re.sub(r'<g id="\d+">|</g>', "", with_markup) == alone
    assert marked[0] == 'The federal <g id="1">public prosecutors</g> arrived.'
    # the adjective moves before the term, as it does before Apertium's own "Middle East"
    assert marked[1] == 'The situation in the stable <g id="1">Middle East</g> concerns.'


def test_restored_terms_sit_where_the_engine_put_its_own_translation(tmp_path):
    enforcer = _enforcer(tmp_path)
    engine = ApertiumEngine()
    for source, rendering in SENTENCES:
        masked, state = enforcer.mask(source, markup=True)
        out = engine.translate_batch([masked], "es", "en")[0].text
        text, ok = enforcer.restore(out, state)
        assert ok, out
        alone = engine.translate_batch([source], "es", "en")[0].text
        # the expected text: the engine's own sentence, its rendering of each term replaced
        expected = alone
        for m in re.finditer(r'<g id="(\d+)">(.*?)</g>', out):
            value = state.slots[int(m.group(1)) - 1].replacement
            if expected.startswith(m.group(2)):
                value = value[0].upper() + value[1:]
            expected = expected.replace(m.group(2), value, 1)
        assert text == expected
        if rendering:
            assert rendering in text
    # the placeholders it replaces broke the order: an unknown word is not moved around
    placeholder, state = enforcer.mask("Los fiscales federales llegaron.")
    old = engine.translate_batch([placeholder], "es", "en")[0].text
    assert enforcer.restore(old, state)[0] == "The prosecutors federal arrived."


def test_mt_with_apertium_stores_terms_in_the_engines_word_order(desk):
    (desk / "glossaries").mkdir(exist_ok=True)
    (desk / "glossaries" / "es-en.csv").write_text(GLOSSARY, encoding="utf-8")
    (desk / "workflow.yaml").write_text(
        "store: .translate/desk.db\n"
        "pairs:\n  - source: es\n    target: en\n    engines: [apertium]\n"
        "    glossary: glossaries/es-en.csv\n    enforcement: mask\n"
        "team:\n  translators:\n    ana: [es-en]\n  editors:\n    eve: [es-en]\n",
        encoding="utf-8",
    )
    wf = load_workflow(desk / "workflow.yaml")
    store = open_store(wf.store)
    sentences = ["Los fiscales federales llegaron.", "Venden orquídeas silvestres muy raras."]
    units = [
        Unit("headline", "Fiscales", [Sentence("Fiscales")]),
        Unit("paragraph", " ".join(sentences), [Sentence(s, " ") for s in sentences]),
    ]
    story = store.add_story(
        IngestedStory(title="Fiscales", language="es", units=units, text_hash="h-fiscales")
    )
    store.close()
    result = invoke("--user", "eve", "mt", "--json")
    assert result.exit_code == 0, result.stderr
    store = open_store(wf.store)
    try:
        texts = [s["translation"] for s in store.segments(story)]
    finally:
        store.close()
    assert texts == [
        "Prosecutors",
        "The federal prosecutors arrived.",
        "They sell wild orchids very rare.",  # Apertium's own order: ours is the same
    ]


@pytest.mark.parametrize(
    "broken",
    [
        "The federal public prosecutors arrived.",  # the group lost
        'The <g id="1">federal</g> <g id="1">prosecutors</g> arrived <g id="1">x</g>.',
        'The <g id="2">prosecutors</g> arrived.',  # an unknown group
    ],
)
def test_a_group_lost_or_split_asks_for_the_unmasked_retry(tmp_path, broken):
    enforcer = _enforcer(tmp_path)
    _masked, state = enforcer.mask("Los fiscales federales llegaron.", markup=True)
    text, ok = enforcer.restore(broken, state)
    assert not ok and "<g" not in text


def test_a_term_apertium_cuts_in_two_comes_back_whole():
    """Apertium cuts a marked term at an inner full stop and wraps each piece, with nothing
    between them (its answer to «<g id="1">EE. UU</g>», as it came back): the pieces are one term
    again, so the approved rendering is placed without the unmasked retry."""
    from translate.engines.apertium_format import unformat

    block = "It arrived to [[t:g:1]]*EE[[/]][[t:g:1]].[[/]] [[t:g:1]]*UU[[/]] with his family..[]"
    text, _unknown, _words = unformat(block, 'Llegó a <g id="1">EE. UU</g> con su familia.')
    assert text == 'It arrived to <g id="1">EE. UU</g> with his family.'


def _us_enforcer(tmp_path) -> Enforcer:
    from translate.glossary.formats import read_glossary_file

    path = tmp_path / "es-en.csv"
    path.write_text(
        "source,target,kind,avoid,case_sensitive,note\nEE. UU.,US,preferred,,yes,\n",
        encoding="utf-8",
    )
    glossary = Glossary(read_glossary_file(path, None, "es", "en").entries, path)
    return Enforcer(glossary, Matcher.build(glossary.entries, "es"), "mask", "es", "en")


@pytest.mark.parametrize(
    "source,expected",
    [
        # Apertium read the term's full stops as a sentence end: "It arrived to US. With his
        # family", "The Government of US. It raised…", "US., Mexico"
        ("Llegó a EE. UU. con su familia.", "US with his family."),
        ("El Gobierno de EE. UU. levantó parte de las sanciones.", "US raised part of"),
        ("Dijo que EE. UU., México y Canadá firmaron.", "US, Mexico and Canada signed."),
        ("Viajó a EE. UU.", "US."),  # at the end the stop also ends the sentence
    ],
)
def test_a_term_with_full_stops_does_not_end_the_sentence(tmp_path, source, expected):
    enforcer = _us_enforcer(tmp_path)
    masked, state = enforcer.mask(source, markup=True)
    engine = ApertiumEngine()
    try:
        (out,) = engine.translate_batch([masked], "es", "en")
    finally:
        engine.close()
    text, ok = enforcer.restore(out.text, state)
    assert ok and "<g" not in text
    assert expected in text
    assert "US." not in text[:-3] and not re.search(r"US\.? [A-Z]", text)
