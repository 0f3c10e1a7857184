"""Stories change after we translate them: source revisions, corrections, diffs, re-publishing.

Runs the real CLI on a desk whose MT is `slowecho` (a test engine registered through a real entry
point: "EN: <source>"), so which segments were re-translated is visible in the text.
"""

from __future__ import annotations

import json

import pytest
from cli_helpers import invoke
from publish_support import desk_in, install_engines

from translate.revisions.align import NewUnit, OldUnit, align
from translate.store import StoryState

pytestmark = [
    pytest.mark.both_backends,
    pytest.mark.usefixtures("editor_user"),  # ingest, batch and publish need an editor
]

P1 = "Пакистан ищет новую опору в отношениях с Россией. Визит начальника штаба стал знаком перемен."
P2 = "Эксперты считают, что Москва пересматривает подход к региону. Старые союзники насторожены."
P3 = "Индия следит за сближением очень внимательно. Дели пока молчит."
P2_EDITED = (
    "Эксперты считают, что Москва пересматривает подход к региону. Старые союзники встревожены."
)
P4 = "Переговоры продолжатся в декабре в Исламабаде. Стороны обсудят поставки вертолетов."
URL = "https://example.ru/doc/1"


def story_file(path, paragraphs, title="Россия и Пакистан ищут сближения", url=URL, lang="ru"):
    body = "\n\n".join(paragraphs)
    path.write_text(
        f"---\ntitle: {title}\nlanguage: {lang}\noutlet: Коммерсантъ\nurl: {url}\n"
        f"published: 2012-10-12\n---\n\n{body}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def desk(tmp_path, monkeypatch):
    plugins = tmp_path / "plugins"
    install_engines(plugins)
    monkeypatch.syspath_prepend(str(plugins))
    d = desk_in(tmp_path / "desk", engines=["slowecho"])
    monkeypatch.setenv("TRANSLATE_WORKFLOW", str(d.folder / "workflow.yaml"))
    yield d
    d.store.close()


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def show(story_id):
    return json.loads(ok("show", story_id, "--json").stdout)


def segments(view):
    return [s for u in view["units"] for s in u["segments"]]


def published_story(desk, tmp_path):
    """Ingest, translate, review, approve and publish the three-paragraph story."""
    src = story_file(tmp_path / "v1.md", [P1, P2, P3])
    story_id = json.loads(ok("ingest", src, "--json").stdout)[0]["id"]
    ok("mt")
    ok("--user", "ana", "claim", story_id)
    ok("--user", "ana", "confirm", story_id, "--all")
    ok("--user", "ana", "submit", story_id, "--override", "test engine output")
    ok("--user", "eve", "approve", story_id)
    ok("publish", story_id)
    return story_id


def test_update_reopens_only_edited_and_added_paragraphs_and_republishes(desk, tmp_path):
    story_id = published_story(desk, tmp_path)
    out = desk.workflow.output
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    before = {s["source"]: s for s in segments(show(story_id))}
    assert all(s["state"] == "confirmed" for s in before.values())

    # revision 2: paragraph 2 edited (one sentence), paragraph 3 deleted, paragraph 4 added
    update = story_file(tmp_path / "v2.md", [P1, P2_EDITED, P4])
    result = ok("ingest", update, "--json")
    info = json.loads(result.stdout)[0]
    assert info["id"] == story_id and info["revision"] == 2
    assert (info["kept"], info["added"], info["removed"]) == (4, 3, 3)
    assert info["state"] == "in_translation"

    view = show(story_id)
    assert view["revision"] == 2 and view["state"] == "in_translation"
    assert view["claimed_by"] == "ana"  # back with its translator
    now = segments(view)
    assert [s["source"] for s in now][1:3] == [
        "Пакистан ищет новую опору в отношениях с Россией.",
        "Визит начальника штаба стал знаком перемен.",
    ]
    kept = [s for s in now if s["source"] in before]
    assert len(kept) == 4  # the headline, paragraph 1 and the unchanged sentence of paragraph 2
    assert all(s["state"] == "confirmed" and not s["reopened"] for s in kept)
    new = [s for s in now if s["source"] not in before]
    assert {s["source"] for s in new} == {
        "Старые союзники встревожены.",
        "Переговоры продолжатся в декабре в Исламабаде.",
        "Стороны обсудят поставки вертолетов.",
    }
    assert all(s["reopened"] and s["translation"] is None for s in new)
    assert "Индия следит за сближением очень внимательно." not in {s["source"] for s in now}

    # the approval was withdrawn and the log says who is concerned
    log = json.loads(ok("log", story_id, "--json").stdout)
    revision = [e for e in log if e["action"] == "revision"][-1]
    assert revision["after"]["revision"] == 2 and "ana" in revision["after"]["notify"]
    assert "eve" in revision["after"]["notify"]
    assert any(e["action"] == "withdraw" for e in log)

    # MT fills the new segments only; nothing a person confirmed is touched
    ok("mt")
    view = show(story_id)
    assert view["state"] == "in_translation"
    for seg in segments(view):
        if seg["source"] in before:
            assert seg["translation"] == before[seg["source"]]["translation"]
            assert seg["state"] == "confirmed"
        else:
            assert seg["translation"] == f"EN: {seg['source']}" and seg["state"] == "machine"

    # the diff shows the source and English changes sentence by sentence
    d = json.loads(ok("diff", story_id, "--json").stdout)
    assert (d["from"], d["to"]) == (1, 2)
    ops = [(c["op"], c["source_before"], c["source_after"]) for c in d["changes"]]
    assert ("changed", "Старые союзники насторожены.", "Старые союзники встревожены.") in ops
    assert ("removed", "Дели пока молчит.", None) in ops
    assert ("added", None, "Стороны обсудят поставки вертолетов.") in ops
    changed = next(c for c in d["changes"] if c["source_after"] == "Старые союзники встревожены.")
    assert changed["english_before"] == "EN: Старые союзники насторожены."
    assert changed["english_after"] == "EN: Старые союзники встревожены."
    text = ok("diff", story_id).stdout
    assert "- Старые союзники насторожены." in text and "+ Старые союзники встревожены." in text

    # second approval, re-publish: new files beside the old ones, which are unchanged
    ok("--user", "ana", "confirm", story_id, "--all")
    ok("--user", "ana", "submit", story_id, "--override", "test engine output")
    ok("--user", "eve", "approve", story_id)
    ok("publish", story_id)
    for name, data in first.items():
        assert (out / name).read_bytes() == data
    html = next(p for p in out.iterdir() if p.name.endswith("-v2.html")).read_text()
    assert '<p class="updated">Updated <time' in html
    assert "Updated to revision 2 of the original" in html
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["dateModified"] and ld["version"] == "2"
    assert ld["translationOfWork"]["version"] == "2"
    assert [w["version"] for w in ld["translationOfWork"]["workExample"]] == ["1", "2"]
    assert ld["correction"][0]["@type"] == "CorrectionComment"
    assert "Updated to revision 2" in ld["correction"][0]["text"]
    md = next(p for p in out.iterdir() if p.name.endswith("-v2.md")).read_text()
    assert "*Updated " in md and "source_revision: 2" in md
    stories = json.loads(ok("stories", "--json").stdout)
    assert stories[0]["revision"] == 2 and stories[0]["state"] == "published"


def test_identical_update_is_a_no_op_and_says_so(desk, tmp_path):
    src = story_file(tmp_path / "v1.md", [P1, P2])
    story_id = json.loads(ok("ingest", src, "--json").stdout)[0]["id"]
    result = ok("ingest", src, "--update", story_id)
    assert "nothing changed" in result.stdout
    assert show(story_id)["revision"] == 1
    again = invoke("ingest", src)  # without --update: the duplicate refusal, as before
    assert again.exit_code == 1 and "already ingested" in again.stderr


def test_update_in_another_language_or_of_another_article_is_refused(desk, tmp_path):
    src = story_file(tmp_path / "v1.md", [P1, P2])
    story_id = json.loads(ok("ingest", src, "--json").stdout)[0]["id"]
    spanish = story_file(
        tmp_path / "es.md",
        ["Las orquídeas rescatadas de la selva atraen de nuevo a quienes emigraron."],
        title="Orquídeas",
        lang="es",
    )
    result = invoke("ingest", spanish)  # same URL, other language
    assert result.exit_code == 1
    assert "must be in ru like the story, not in es" in result.stderr
    other = story_file(
        tmp_path / "other.md",
        ["Сборная России по хоккею выиграла турнир в Праге. Тренер доволен игрой защитников."],
        title="Хоккей",
    )
    result = invoke("ingest", other)
    assert result.exit_code == 1 and "shares almost nothing" in result.stderr
    assert show(story_id)["revision"] == 1  # nothing stored
    assert len(json.loads(ok("stories", "--json").stdout)) == 1
    forced = ok("ingest", other, "--force", "--json")
    assert json.loads(forced.stdout)[0]["revision"] == 2


def test_update_during_a_claim_keeps_the_translators_work(desk, tmp_path):
    src = story_file(tmp_path / "v1.md", [P1, P2])
    story_id = json.loads(ok("ingest", src, "--json").stdout)[0]["id"]
    ok("mt")
    ok("--user", "ana", "claim", story_id)
    view = show(story_id)
    first = next(s for s in segments(view) if s["source"].startswith("Пакистан"))
    ok(
        "--user",
        "ana",
        "edit",
        story_id,
        str(first["id"]),
        "--text",
        "Pakistan seeks a new footing.",
    )
    update = story_file(tmp_path / "v2.md", [P1, P2_EDITED])
    info = json.loads(ok("ingest", update, "--json").stdout)[0]
    assert info["state"] == "in_translation" and info["reopened"]
    view = show(story_id)
    assert view["claimed_by"] == "ana"
    edited = next(s for s in segments(view) if s["source"].startswith("Пакистан"))
    assert edited["translation"] == "Pakistan seeks a new footing." and not edited["reopened"]
    reopened = [s for s in segments(view) if s["reopened"]]
    assert [s["source"] for s in reopened] == ["Старые союзники встревожены."]
    ok("mt")
    view = show(story_id)
    assert next(s for s in segments(view) if s["reopened"])["translation"].startswith("EN: ")
    assert (
        next(s for s in segments(view) if s["source"].startswith("Пакистан"))["translation"]
        == "Pakistan seeks a new footing."
    )


def test_update_through_the_batch_inbox(desk, tmp_path):
    story_id = published_story(desk, tmp_path)
    desk.workflow.inbox.mkdir(parents=True, exist_ok=True)
    story_file(desk.workflow.inbox / "update.md", [P1, P2_EDITED, P3])
    report = tmp_path / "report.json"
    result = invoke("batch", "--report", report)
    assert result.exit_code == 0, result.stderr
    ingested = json.loads(report.read_text())["ingested"]
    assert [(i["story"], i["revision"]) for i in ingested] == [(story_id, 2)]
    view = show(story_id)
    assert view["revision"] == 2
    assert view["state"] == "in_translation"  # never silently re-published
    new = [s for s in segments(view) if s["reopened"]]
    assert [s["translation"] for s in new] == ["EN: Старые союзники встревожены."]
    assert len(json.loads(ok("stories", "--json").stdout)) == 1


def test_correction_without_a_source_change(desk, tmp_path):
    story_id = published_story(desk, tmp_path)
    refused = invoke("--user", "ana", "correct", story_id, "--note", "x")
    assert refused.exit_code == 1 and "only an editor" in refused.stderr
    ok("--user", "bob", "correct", story_id, "--note", "The chief of staff's name was misspelt.")
    view = show(story_id)
    assert view["state"] == "in_translation" and view["claimed_by"] == "bob"
    seg = next(s for s in segments(view) if s["source"].startswith("Визит"))
    ok(
        "--user",
        "bob",
        "edit",
        story_id,
        str(seg["id"]),
        "--text",
        "The army chief's visit was a sign.",
    )
    ok("--user", "bob", "confirm", story_id, "--all")
    ok("--user", "bob", "submit", story_id, "--override", "test engine output")
    refused = invoke("--user", "bob", "approve", story_id)  # four-eyes: not his own work
    assert refused.exit_code == 1
    ok("--user", "eve", "approve", story_id)
    ok("publish", story_id)
    html = next(p for p in desk.workflow.output.iterdir() if p.name.endswith("-v2.html"))
    text = html.read_text()
    assert "The chief of staff&#x27;s name was misspelt." in text
    assert "The army chief&#x27;s visit was a sign." in text
    assert show(story_id)["revision"] == 1
    log = [e["action"] for e in json.loads(ok("log", story_id, "--json").stdout)]
    assert "correct" in log


def test_diff_refuses_a_revision_the_story_does_not_have(desk, tmp_path):
    src = story_file(tmp_path / "v1.md", [P1])
    story_id = json.loads(ok("ingest", src, "--json").stdout)[0]["id"]
    result = invoke("diff", story_id, "--from", "3")
    assert result.exit_code == 1
    assert "has revisions 1 to 1; --from 3 is not one of them" in result.stderr


def test_alignment_recognises_a_moved_paragraph():
    old = [
        OldUnit(1, "paragraph", "A one. A two.", [(11, "A one."), (12, "A two.")]),
        OldUnit(2, "paragraph", "B one.", [(21, "B one.")]),
        OldUnit(3, "paragraph", "C one.", [(31, "C one.")]),
    ]
    new = [
        NewUnit("paragraph", "C one.", [("C one.", "")]),
        NewUnit("paragraph", "A one. A two.", [("A one.", " "), ("A two.", "")]),
        NewUnit("paragraph", "B one.", [("B one.", "")]),
    ]
    plan = align(old, new)
    assert [u.old_id for u in plan.units] == [3, 1, 2]
    assert [u.segments for u in plan.units] == [[31], [11, 12], [21]]
    assert plan.retired_segments == [] and plan.added == 0
    assert [u.moved for u in plan.units] == [True, False, False]


def test_story_states_after_an_update_of_an_untranslated_story(desk, tmp_path):
    src = story_file(tmp_path / "v1.md", [P1, P2])
    story_id = json.loads(ok("ingest", src, "--json").stdout)[0]["id"]
    ok("ingest", story_file(tmp_path / "v2.md", [P1, P2_EDITED]), "--update", story_id)
    assert StoryState.parse(show(story_id)["state"]) == StoryState.INGESTED
    ok("mt")
    assert all(s["translation"] for s in segments(show(story_id)))
