"""Capitals follow the term, not the entry; number agreement both ways (real Apertium for Spanish,
the enforcer alone for Russian)."""

from __future__ import annotations

import pytest

from translate.engines.apertium import ApertiumEngine
from translate.glossary.enforce import Enforcer
from translate.glossary.entry import Entry, Glossary
from translate.glossary.matcher import Matcher

ES = [
    Entry("derechos humanos", "Human Rights"),  # a common noun typed with capitals
    Entry("fiscal", "Prosecutor"),
    Entry("orquídeas", "orchids"),  # a plural entry
    Entry("vivero", "nursery"),  # a singular entry
    Entry("Oriente Medio", "Middle East"),  # a proper noun
]


def _enforcer(entries, lang):
    return Enforcer(Glossary(entries), Matcher.build(entries, lang), "mask", lang, "en")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # lower-case mid-sentence; capitals inside a capitalised multi-word name
        (
            "La Comisión Interamericana de Derechos Humanos criticó las violaciones de derechos"
            " humanos.",
            "The Inter-American Commission of Human Rights critiqued the rapes of human rights.",
        ),
        ("Un fiscal habló con el juez.", "A prosecutor spoke with the judge."),
        # a capital at a sentence start, also after an opening dash or quote
        ("Fiscales federales llegaron.", "Federal prosecutors arrived."),
        ("—Fiscales y jueces llegaron, dijo.", "—Prosecutors and judges arrived, said."),
        ("«Fiscales», dijo el juez.", "«Prosecutors», said the judge."),
        # a plural entry used in the singular (the engine's article kept), a singular one in the
        # plural
        ("Vendió una orquídea y muchas orquídeas.", "It sold an orchid and a lot of orchids."),
        ("Tiene tres viveros y un vivero.", "Has three nurseries and a nursery."),
        # a proper noun keeps its capitals
        ("Viajó al Oriente Medio.", "It travelled to the Middle East."),
    ],
)
def test_spanish_terms_take_the_case_and_number_of_the_text(source, expected):
    enforcer = _enforcer(ES, "es")
    masked, state = enforcer.mask(source, markup=True)
    out = ApertiumEngine().translate_batch([masked], "es", "en")[0].text
    text, ok = enforcer.restore(out, state)
    assert ok and text == expected


def test_russian_number_agreement_both_ways_and_placeholders_share_the_rules():
    entries = [Entry("орхидеи", "orchids"), Entry("питомник", "Nursery")]
    enforcer = _enforcer(entries, "ru")
    _masked, state = enforcer.mask("Одна орхидея и один питомник, а также питомники.")
    assert [s.replacement for s in state.slots] == ["orchid", "nursery", "nurseries"]
    _masked, state = enforcer.mask("Орхидеи цветут.")
    assert [s.replacement for s in state.slots] == ["orchids"]
    text, ok = enforcer.restore("ZQX1 bloom.", state)
    assert ok and text == "Orchids bloom."
