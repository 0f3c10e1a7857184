"""Hostile text in published files, safe slugs, atomic writes, the credit line template."""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from publish_support import NOW, approve, desk_in, story

from translate.errors import DeskError
from translate.publish import publish_story
from translate.publish.credit import credit_line, disclosure
from translate.publish.files import atomic_write, romanize, safe_slug, versioned_name
from translate.publish.render_html import esc, script_json
from translate.publish.render_md import md_escape

HOSTILE = '<script>alert("x")</script> Tom\'s "quote" & \u202eevil\u200f done'
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = desk_in(tmp_path / "desk")
    yield d
    d.store.close()


# ---------------------------------------------------------------- hostile titles


def test_hostile_headline_is_escaped_everywhere_in_html(desk):
    sid = story(
        desk.store,
        headline=HOSTILE,
        sentences=["<img src=x onerror=alert(1)> </script><!--"],
        url="javascript:alert(1)",
        outlet="</script><b>",
    )
    approve(desk, sid)
    result = publish_story(desk.store, desk.workflow, sid)
    html = open(next(p for p in result.files if p.endswith(".html")), encoding="utf-8").read()
    # no markup from the text survives: the only <script> is our JSON-LD element
    assert html.count("<script") == 1 and html.count("</script>") == 1
    assert "<img" not in html and "<b>" not in html and "<!--" not in html
    assert "javascript:" not in html.split("</script>")[1]  # never a link
    expected = (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom&#x27;s &quot;quote&quot; &amp; "
        "evil&#x200F; done"
    )
    assert f"<h1>{expected}</h1>" in html
    assert f"<title>{expected}</title>" in html
    # bidi overrides are gone from the whole file; marks are visible character references
    assert "\u202e" not in html and "\u200f" not in html
    ld = json.loads(re.search(r"ld\+json\">\n(.*?)\n</script>", html, re.S).group(1))
    assert ld["headline"] == HOSTILE  # data intact once the JSON is parsed
    assert ld["translationOfWork"]["url"] == "javascript:alert(1)"
    assert ld["translationOfWork"]["publisher"]["name"] == "</script><b>"


def test_hostile_headline_in_markdown_and_json(desk):
    sid = story(desk.store, headline=HOSTILE)
    approve(desk, sid)
    result = publish_story(desk.store, desk.workflow, sid)
    md = open(result.files[0], encoding="utf-8").read()
    assert '\n# \\<script\\>alert("x")\\</script\\> Tom\'s "quote" \\& evil\u200f done\n' in md
    front = md.split("---\n")[1]
    from ruamel.yaml import YAML

    assert YAML(typ="safe").load(front)["headline"] == HOSTILE
    data = json.loads(open(result.files[2], encoding="utf-8").read())
    assert data["headline"] == HOSTILE


def test_esc_and_script_json():
    assert esc('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    assert esc("a\x00b\x1bc\u2066d\u202ae") == "abcde"
    assert esc("\u200e\u061c") == "&#x200E;&#x061C;"
    raw = script_json({"t": "</script><!-- & \u2028 \u202e"})
    assert "<" not in raw and ">" not in raw and "&" not in raw and "\u202e" not in raw
    assert json.loads(raw) == {"t": "</script><!-- & \u2028 \u202e"}


def test_md_escape():
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("1999. A year") == "1999\\. A year"
    assert md_escape("a *b* _c_ [d](e) `f` <g>") == "a \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\` \\<g\\>"
    assert md_escape("two\nlines") == "two lines"


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..", "story-" + __import__("hashlib").sha256(b"..").hexdigest()[:8]),
        ("a/b\\c", "a-b-c"),
        ("", "story"),
        ("   ", "story"),
        (None, "story"),
        ("Пакистан и Россия: «перезагрузка»", "pakistan-i-rossiya-perezagruzka"),
        ("Las orquídeas de Mapastepec", "las-orquideas-de-mapastepec"),
        ("Straße Łódź", "strasse-lodz"),
        ("tab\there\x00nul\x1b[31m", "tab-here-nul-31m"),
        ("CON", "con-story"),
        ("nul", "nul-story"),
    ],
)
def test_safe_slug(text, slug):
    assert safe_slug(text) == slug


def test_safe_slug_of_unsupported_script_is_a_stable_hash():
    a, b = safe_slug("北京欢迎你"), safe_slug("東京")
    assert re.fullmatch(r"story-[0-9a-f]{8}", a) and a != b and safe_slug("北京欢迎你") == a


def test_safe_slug_is_bounded_at_a_word_boundary():
    slug = safe_slug("word " * 100)
    assert len(slug) <= 80 and slug.endswith("word") and "--" not in slug
    assert safe_slug("x" * 500) == "x" * 80
    assert len(safe_slug("a b c d e f", max_length=5)) <= 5


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_safe_slug_is_always_safe(text):
    slug = safe_slug(text)
    assert SLUG_RE.match(slug), slug
    assert 0 < len(slug) <= 80 and ".." not in slug and "/" not in slug


def test_versioned_names():
    assert versioned_name("s-1", 1, "md") == "s-1.md"
    assert versioned_name("s-1", 3, "html") == "s-1-v3.html"


def test_romanize_keeps_capitals_and_latin_accents():
    assert romanize("Сергей Строкань") == "Sergey Strokan"
    assert romanize("Коммерсантъ") == "Kommersant"
    assert romanize("Adriana Alcázar González") == "Adriana Alcázar González"
    assert romanize("ЩУКА") == "ShchUKA"


# ---------------------------------------------------------------- atomic writes


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "a.md"
    atomic_write(target, "one")
    atomic_write(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "site" / "a.md"
    atomic_write(target, "old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]


# ---------------------------------------------------------------- credit line

TEMPLATE = (
    "Translated from {source_language} by {translators}{editors_clause}. "
    "First published in {outlet} on {published}."
)


def test_credit_line_in_british_and_american_english():
    kw = dict(
        source_language="ru",
        translators=["Ana Petrova"],
        editors=["Eve Stone"],
        outlet="Kommersant",
        published="2012-10-12T08:00:00+04:00",
    )
    assert credit_line(TEMPLATE, locale="en_GB", **kw) == (
        "Translated from Russian by Ana Petrova and edited by Eve Stone. "
        "First published in Kommersant on 12 October 2012."
    )
    assert credit_line(TEMPLATE, locale="en", **kw).endswith("on October 12, 2012.")


def test_credit_line_drops_a_sentence_whose_value_is_missing():
    line = credit_line(
        TEMPLATE,
        locale="en_GB",
        source_language="es",
        translators=["Marta Ruiz", "Ana Petrova", "Bob"],
        editors=[],
        outlet=None,
        published="2023-05-18",
    )
    assert line == "Translated from Spanish by Marta Ruiz, Ana Petrova and Bob."


def test_credit_line_keeps_a_date_that_is_not_iso():
    line = credit_line(
        "First published on {published}.", locale="en_GB", source_language="ru",
        translators=[], editors=[], outlet=None, published="осень 2012",
    )  # fmt: skip
    assert line == "First published on осень 2012."


def test_credit_line_unknown_placeholder_names_the_file():
    with pytest.raises(DeskError) as info:
        credit_line(
            "By {translator}.", locale="en", source_language="ru", translators=["a"],
            editors=[], outlet=None, published=None, source="/desk/workflow.yaml",
        )  # fmt: skip
    assert info.value.message.startswith(
        "/desk/workflow.yaml: publishing.credit_line uses unknown placeholder '{translator}'"
    )


def test_disclosure_only_when_machine_translation_was_used():
    assert disclosure([], "en") is None
    assert disclosure(
        [
            {"engine": "argos", "model": "translate-ru_en", "model_version": "1.9"},
            {"engine": "apertium", "model": None, "model_version": None},
        ],
        "en_GB",
    ) == (
        "Machine translation assisted this translation: argos (model translate-ru_en, "
        "version 1.9) and apertium. Every sentence was checked by the people credited above."
    )


def test_human_only_translation_has_no_disclosure(desk):
    from translate.review import claim, edit_segment

    sid = story(desk.store, sentences=["One."], machine=False)
    claim(desk.store, desk.workflow, sid, "ana")
    edit_segment(desk.store, desk.workflow, sid, 1, "Headline", "ana")
    edit_segment(desk.store, desk.workflow, sid, 2, "One.", "ana")
    approve(desk, sid)
    data = json.loads(open(publish_story(desk.store, desk.workflow, sid).files[2]).read())
    assert data["disclosure"] is None and data["machine_translation"] == []


def test_bad_publishing_locale_is_reported_with_the_file(desk):
    path = desk.folder / "workflow.yaml"
    path.write_text(path.read_text().replace("locale: en_GB", "locale: xx_QQ"), encoding="utf-8")
    from translate.config import load_workflow

    sid = story(desk.store)
    approve(desk, sid)
    with pytest.raises(DeskError) as info:
        publish_story(desk.store, load_workflow(path), sid)
    assert info.value.message == (
        f"{path}: publishing.locale 'xx_QQ' is not a locale babel knows (e.g. en_GB)"
    )


def test_publishing_names_must_be_a_mapping(tmp_path):
    from translate.config import WorkflowError, load_workflow

    path = tmp_path / "workflow.yaml"
    path.write_text("publishing:\n  locale: en_GB\n  names: [ana, eve]\n", encoding="utf-8")
    with pytest.raises(WorkflowError) as info:
        load_workflow(path)
    assert info.value.message == (
        f"{path}:3: 'publishing.names' must map each user to a display name"
    )
    path.write_text("publishing:\n  names:\n    ana: Ana Petrova\n", encoding="utf-8")
    workflow = load_workflow(path)
    assert workflow.display_names == {"ana": "Ana Petrova"} and workflow.publish_locale is None
