"""Matching variants (hyphen or space, apostrophes, ё/е) and the warning for a term the glossary
should have matched but did not."""

from __future__ import annotations

import pytest

from translate.checks import CheckContext, run_segment_checks
from translate.glossary.entry import Entry, Glossary
from translate.glossary.matcher import Matcher
from translate.glossary.verify import verifier_for


def _found(entries, lang, text):
    m = Matcher.build(entries, lang)
    return [text[x.start : x.end] for x in m.find(text)]


@pytest.mark.parametrize(
    ("lang", "term", "text", "found"),
    [
        ("es", "Kim Jong Un", "Kim Jong-un llegó a Pekín.", "Kim Jong-un"),
        ("es", "Kim Jong-un", "Kim Jong Un llegó a Pekín.", "Kim Jong Un"),
        ("ru", "Ким Чен Ын", "Ким Чен-Ын прибыл.", "Ким Чен-Ын"),
        ("es", "O'Higgins", "La región de O’Higgins.", "O’Higgins"),
        ("ru", "ёлка", "Ёлку поставили.", "Ёлку"),
        ("ru", "елка", "Ёлку поставили.", "Ёлку"),
        ("ru", "Пётр", "Петр пришел.", "Петр"),
    ],
)
def test_variants_of_a_term_match(lang, term, text, found):
    assert _found([Entry(term, "x")], lang, text) == [found]


def test_a_name_spelt_almost_like_a_term_is_a_warning():
    entries = [Entry("Газпром", "Gazprom"), Entry("Ким Чен Ын", "Kim Jong Un")]
    verifier = verifier_for(Glossary(entries), Matcher.build(entries, "ru"))

    def codes(source, target):
        ctx = CheckContext(source, target, "ru", "en", extras={"glossary": verifier})
        return [(f.code, f.severity, f.message) for f in run_segment_checks(ctx)]

    found = [c for c in codes("Газпромм сообщил о росте.", "Gazpromm reported growth.") if
             c[0] == "glossary.unmatched"]  # fmt: skip
    assert found == [
        (
            "glossary.unmatched",
            "warning",
            "'Газпромм' looks like the glossary term 'Газпром' but did not match it: check the "
            "spelling, or add it to the glossary",
        )
    ]
    assert not [
        c for c in codes("Газпром сообщил.", "Gazprom reported.") if c[0] == "glossary.unmatched"
    ]
    assert not [
        c
        for c in codes("Ким Чен-Ын прибыл.", "Kim Jong Un arrived.")
        if c[0] == "glossary.unmatched"
    ]
