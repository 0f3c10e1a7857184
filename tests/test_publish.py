"""Publishing: formats, credit line, JSON-LD, refusal of unapproved stories, versions, corrections."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import invoke
from publish_support import NOW, approve, desk_in, story

from translate.errors import DeskError
from translate.publish import publish_story
from translate.store import StoryState

pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("editor_user")]

CREDIT = (
    "Translated from Russian by Ana Petrova and edited by Eve Stone. "
    "First published in Kommersant on 12 October 2012."
)
DISCLOSURE = (
    "Machine translation assisted this translation: test-mt (model test-model, version 0.1). "
    "Every sentence was checked by the people credited above."
)


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)
    d = desk_in(tmp_path / "desk")
    monkeypatch.setenv("TRANSLATE_WORKFLOW", str(d.folder / "workflow.yaml"))
    yield d
    d.store.close()


def json_ld(html: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)
    assert m, html
    return json.loads(m.group(1))


def test_publish_writes_md_html_json_with_credit_and_json_ld(desk):
    sid = story(desk.store)
    approve(desk, sid)
    result = publish_story(desk.store, desk.workflow, sid, user="eve")
    assert result.version == 1 and result.written
    names = sorted(p.name for p in desk.out.iterdir())
    stem = f"the-minister-s-visit-{desk.store.story(sid)['seq']}"
    assert names == [f"{stem}.html", f"{stem}.json", f"{stem}.md"]

    data = json.loads((desk.out / f"{stem}.json").read_text(encoding="utf-8"))
    assert data["headline"] == "The minister's visit"
    assert data["units"] == [
        {"kind": "paragraph", "text": "The minister arrived. The talks went on."}
    ]
    assert data["credit"] == CREDIT
    assert data["disclosure"] == DISCLOSURE
    assert data["byline"] == "Sergey Strokan"
    assert data["translators"] == ["Ana Petrova"] and data["editors"] == ["Eve Stone"]
    assert data["version"] == 1 and data["date_published"] == NOW and data["corrections"] == []

    html = (desk.out / f"{stem}.html").read_text(encoding="utf-8")
    ld = json_ld(html)
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "The minister's visit"
    assert ld["inLanguage"] == "en"
    assert ld["author"] == [{"@type": "Person", "name": "Sergey Strokan"}]
    assert ld["translator"] == [{"@type": "Person", "name": "Ana Petrova"}]
    assert ld["editor"] == [{"@type": "Person", "name": "Eve Stone"}]
    assert ld["datePublished"] == NOW
    work = ld["translationOfWork"]
    assert work["headline"] == desk.store.story(sid)["title"]
    assert work["url"] == "https://www.kommersant.ru/doc/2043188"
    assert work["publisher"] == {"@type": "Organization", "name": "Коммерсантъ"}
    assert work["inLanguage"] == "ru"
    assert f'<p class="credit">{CREDIT}</p>' in html

    md = (desk.out / f"{stem}.md").read_text(encoding="utf-8")
    assert md.startswith("---\nheadline: The minister's visit\n")
    assert (
        "\n# The minister's visit\n" in md and "\nThe minister arrived. The talks went on.\n" in md
    )
    assert "  outlet: Коммерсантъ\n" in md and "  language: ru\n" in md


def test_publish_moves_story_to_published_in_the_log(desk):
    sid = story(desk.store)
    approve(desk, sid)
    publish_story(desk.store, desk.workflow, sid, user="eve")
    assert desk.store.story(sid)["state"] == StoryState.PUBLISHED
    events = desk.store.events(sid)
    assert [e["action"] for e in events][-2:] == ["state", "publish"]
    assert events[-2]["after"] == "published"
    assert json.loads(events[-1]["after"])["version"] == 1


@pytest.mark.parametrize(
    "state_of", [StoryState.TRANSLATED, StoryState.IN_TRANSLATION, StoryState.SUBMITTED]
)
def test_unapproved_story_is_refused_naming_its_state(desk, state_of):
    from translate.review import claim, confirm_all, submit

    sid = story(desk.store)
    if state_of >= StoryState.IN_TRANSLATION:
        claim(desk.store, desk.workflow, sid, "ana")
    if state_of == StoryState.SUBMITTED:
        confirm_all(desk.store, desk.workflow, sid, "ana")
        submit(desk.store, desk.workflow, sid, "ana", override="test")
    with pytest.raises(DeskError) as info:
        publish_story(desk.store, desk.workflow, sid)
    assert (
        info.value.message == f"story '{sid}' is {state_of.label}, not approved; nothing published"
    )
    assert not desk.out.exists()


def test_publishing_twice_without_changes_writes_nothing(desk):
    sid = story(desk.store)
    approve(desk, sid)
    publish_story(desk.store, desk.workflow, sid)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in desk.out.iterdir()}
    again = publish_story(desk.store, desk.workflow, sid)
    assert (again.version, again.written, again.unchanged, again.files) == (1, False, True, [])
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in desk.out.iterdir()}
    assert before == after
    assert [e["action"] for e in desk.store.events(sid)].count("publish") == 1


def test_missing_format_of_an_unchanged_version_is_added_not_a_new_version(desk):
    sid = story(desk.store)
    approve(desk, sid)
    publish_story(desk.store, desk.workflow, sid, formats="md")
    first = publish_story(desk.store, desk.workflow, sid, formats="md,html")
    assert first.version == 1 and [p.rsplit(".", 1)[1] for p in first.files] == ["html"]
    assert len(desk.store.publications(sid)) == 1
    assert len(desk.store.publications(sid)[0]["files"]) == 2


def test_correction_writes_a_new_version_and_keeps_the_old_files(desk):
    from translate.review import approve as approve_story
    from translate.review import confirm_all, edit_segment, submit

    sid = story(desk.store)
    approve(desk, sid)
    v1 = publish_story(desk.store, desk.workflow, sid)
    old = {p: open(p, "rb").read() for p in v1.files}
    # eve corrects the published story (reopening it); bob approves: four eyes
    edit_segment(desk.store, desk.workflow, sid, 3, "The talks lasted all day.", "eve")
    assert desk.store.story(sid)["state"] == StoryState.IN_TRANSLATION
    with pytest.raises(DeskError, match="is in_translation, not approved"):
        publish_story(desk.store, desk.workflow, sid)
    confirm_all(desk.store, desk.workflow, sid, "eve")
    submit(desk.store, desk.workflow, sid, "eve", override="test")
    approve_story(desk.store, desk.workflow, sid, "bob")
    v2 = publish_story(
        desk.store, desk.workflow, sid, user="bob", note="Corrects the length of the talks."
    )
    assert v2.version == 2 and v2.changes == ["paragraph 1"]
    assert all(re.search(r"-v2\.(md|html|json)$", p) for p in v2.files)
    assert {p: open(p, "rb").read() for p in v1.files} == old
    data = json.loads(open(v2.files[2], encoding="utf-8").read())
    assert data["units"][0]["text"] == "The minister arrived. The talks lasted all day."
    assert data["date_published"] == NOW and data["date_modified"] == NOW
    assert data["corrections"] == [
        {"version": 2, "date": NOW, "note": "Corrects the length of the talks.",
         "changes": ["paragraph 1"], "source_revision": 1}
    ]  # fmt: skip
    assert data["editors"] == ["bob"] and data["translators"] == ["Ana Petrova", "Eve Stone"]
    md = open(v2.files[0], encoding="utf-8").read()
    assert (
        "**Corrections**\n\n- 2012-10-15T09:00:00+00:00 (v2): Corrects the length of the talks.\n"
        in md
    )
    html = open(v2.files[1], encoding="utf-8").read()
    assert json_ld(html)["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "Corrects the length of the talks.",
            "datePublished": NOW,
        }
    ]
    pubs = desk.store.publications(sid)
    assert [p["version"] for p in pubs] == [1, 2]
    assert pubs[1]["corrections"] == "Corrects the length of the talks."


def test_automatic_corrections_note_names_what_changed(desk):
    from translate.review import approve as approve_story
    from translate.review import confirm_all, edit_segment, submit

    sid = story(desk.store)
    approve(desk, sid)
    publish_story(desk.store, desk.workflow, sid)
    edit_segment(desk.store, desk.workflow, sid, 1, "The minister's second visit", "eve")
    confirm_all(desk.store, desk.workflow, sid, "eve")
    submit(desk.store, desk.workflow, sid, "eve", override="test")
    approve_story(desk.store, desk.workflow, sid, "bob")
    v2 = publish_story(desk.store, desk.workflow, sid)
    assert desk.store.publications(sid)[1]["corrections"] == "Corrected headline."
    # the file name stays that of the first version, whatever the new headline
    assert v2.files[0].endswith(f"the-minister-s-visit-{desk.store.story(sid)['seq']}-v2.md")


def test_approved_story_with_an_unconfirmed_segment_is_never_published(desk):
    sid = story(desk.store)
    approve(desk, sid)
    seg = desk.store.segments(sid)[1]
    with desk.store.write():  # an inconsistency no review path produces: refuse, don't publish
        desk.store.set_segment_state(seg["id"], 30)
    with pytest.raises(
        DeskError, match=f"story '{sid}': segment 2 is not confirmed; nothing published"
    ):
        publish_story(desk.store, desk.workflow, sid)
    assert not desk.out.exists()


# ---------------------------------------------------------------- CLI


def test_cli_publish_all_approved_with_format_and_out(desk, tmp_path):
    a, b = story(desk.store), story(desk.store, headline="Another one")
    approve(desk, a)
    out = tmp_path / "site"
    result = invoke("publish", "--format", "html,json", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{a}: published v1"
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".json"]
    assert b not in result.stdout


def test_cli_publish_refused_story_exits_1_and_partial_exits_3(desk):
    a, b = story(desk.store), story(desk.store)
    approve(desk, a)
    only_bad = invoke("publish", b)
    assert only_bad.exit_code == 1
    assert only_bad.stderr == (
        f"translate: error: story '{b}' is translated, not approved; nothing published\n"
    )
    mixed = invoke("publish", a, b)
    assert mixed.exit_code == 3
    assert f"{a}: published v1" in mixed.stdout
    again = invoke("publish", a)
    assert again.exit_code == 0 and again.stdout == ""
    assert again.stderr == f"{a}: unchanged since v1; nothing written\n"


def test_cli_publish_unknown_format_is_a_usage_error(desk):
    result = invoke("publish", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stderr == "translate: error: unknown format 'pdf' (one of: md, html, json)\n"


def test_cli_publish_json_output(desk):
    sid = story(desk.store)
    approve(desk, sid)
    result = invoke("publish", sid, "--json")
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert row["story"] == sid and row["version"] == 1 and len(row["files"]) == 3


def test_json_ld_leaves_out_an_unknown_author(desk):
    """A plain-text original has no author: no empty `author` list in the JSON-LD."""
    sid = story(desk.store, author=None, outlet=None, url=None, published=None)
    approve(desk, sid)
    result = publish_story(desk.store, desk.workflow, sid, formats="html", user="eve")
    ld = json_ld(Path(result.files[0]).read_text(encoding="utf-8"))
    assert "author" not in ld and "author" not in ld["translationOfWork"]
    assert ld["translator"] == [{"@type": "Person", "name": "Ana Petrova"}]
    assert ld["translationOfWork"] == {
        "@type": "NewsArticle",
        "headline": desk.store.story(sid)["title"],
        "inLanguage": "ru",
        "version": "1",
    }
