"""Every writing command checks the acting user's role (SQLite desks: identity asserted, roles checked).

The template team: ana translates ru-en, marta es-en, eve edits both, nightly is the batch user.
"""

from __future__ import annotations

import pytest
from cli_helpers import RU_MD, invoke
from review_support import make_story, open_desk

from translate.errors import DeskError


@pytest.fixture
def sid(desk):
    d = open_desk(desk)
    story_id = make_story(d.store)
    d.store.close()
    return story_id


def writing_commands(sid: str, tmp) -> list[list[str]]:
    po = tmp / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    tmx = tmp / "x.tmx"
    tmx.write_text("<tmx/>", encoding="utf-8")
    return [
        ["ingest", str(RU_MD)],
        ["mt"],
        ["batch"],
        ["publish"],
        ["publish", sid],
        ["approve", sid],
        ["reject", sid, "--note", "no"],
        ["claim", sid],
        ["release", sid],
        ["reassign", sid, "ana"],
        ["edit", sid, "2", "--text", "x"],
        ["confirm", sid, "2"],
        ["confirm", sid, "--all"],
        ["comment", sid, "--text", "hi"],
        ["submit", sid],
        ["import", str(po)],
        ["tm", "import", str(tmx)],
        ["team", "add", "mallory", "--role", "editor"],
        ["team", "remove", "ana"],
        ["correct", sid, "--note", "x"],
    ]


def test_a_user_not_on_the_team_is_refused_for_every_writing_command(desk, sid, tmp_path):
    from cli_helpers import counts

    before = counts(desk)
    for args in writing_commands(sid, tmp_path):
        result = invoke("--user", "mallory", *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert result.stderr == (
            "translate: error: unknown user 'mallory': not on the team in "
            f"{desk / 'workflow.yaml'} (see 'translate team add')\n"
        ), args
    assert counts(desk) == before  # nothing written, not even an event


@pytest.mark.parametrize(
    "user, args, message",
    [
        ("ana", ["ingest", str(RU_MD)], "'ana' may not ingest stories: that needs the role "
         "batch/editor ('ana' is translator)"),
        ("ana", ["mt"], "'ana' may not run machine translation: that needs the role "
         "batch/editor ('ana' is translator)"),
        ("ana", ["batch"], "'ana' may not run the batch: that needs the role batch/editor "
         "('ana' is translator)"),
        ("ana", ["publish"], "'ana' may not publish stories: that needs the role editor "
         "('ana' is translator)"),
        ("ana", ["approve", "{sid}"], "only editors may approve stories; 'ana' is on the team as "
         "translator"),
        ("ana", ["tm", "import", "x.tmx"], "'ana' may not import into the translation memory: "
         "that needs the role editor ('ana' is translator)"),
        ("ana", ["team", "add", "ana", "--role", "editor"], "'ana' may not change the team: "
         "that needs the role editor ('ana' is translator)"),
        ("nightly", ["claim", "{sid}"], "'nightly' may not review stories: that needs the role "
         "translator/editor ('nightly' is batch)"),
        ("nightly", ["edit", "{sid}", "2", "--text", "x"], "'nightly' may not review stories: "
         "that needs the role translator/editor ('nightly' is batch)"),
        ("nightly", ["comment", "{sid}", "--text", "x"], "'nightly' may not review stories: "
         "that needs the role translator/editor ('nightly' is batch)"),
        ("nightly", ["approve", "{sid}"], "only editors may approve stories; 'nightly' is on the "
         "team as batch"),
        ("nightly", ["publish", "{sid}"], "'nightly' may not publish stories: that needs the role "
         "editor ('nightly' is batch)"),
        ("marta", ["claim", "{sid}"], "'marta' does not work on ru-en (their pairs: es-en)"),
        ("marta", ["comment", "{sid}", "--text", "x"], "'marta' does not work on ru-en (their "
         "pairs: es-en)"),
    ],
)  # fmt: skip
def test_roles_refused_in_one_line(desk, sid, user, args, message):
    (desk / "x.tmx").write_text("<tmx/>", encoding="utf-8")
    args = [a.replace("{sid}", sid).replace("x.tmx", str(desk / "x.tmx")) for a in args]
    result = invoke("--user", user, *args)
    assert (result.exit_code, result.stderr) == (1, f"translate: error: {message}\n")


def test_batch_and_editor_roles_ingest_and_translate(desk):
    result = invoke("--user", "nightly", "ingest", RU_MD)
    assert result.exit_code == 0, result.stderr
    assert invoke("--user", "eve", "ingest", RU_MD).stderr.startswith(
        "translate: error:"  # a duplicate: eve may ingest, the story is already there
    )
    # the ingest event names who ingested
    from cli_helpers import invoke_json

    sid = invoke_json("stories")[0]["id"]
    log = invoke_json("log", sid)
    assert (log[0]["action"], log[0]["user"]) == ("ingest", "nightly")


def test_library_functions_check_the_user_they_are_given(desk, sid):
    from translate import review
    from translate.mt import run_mt
    from translate.publish import publish_stories

    d = open_desk(desk)
    with pytest.raises(DeskError, match="'ana' may not run machine translation"):
        run_mt(d.store, d.workflow, [sid], user="ana")
    with pytest.raises(DeskError, match="'ana' may not publish stories"):
        publish_stories(d.store, d.workflow, [sid], user="ana")
    with pytest.raises(DeskError, match="unknown user 'mallory'"):
        review.add_comment(d.store, sid, None, "hi", "mallory", d.workflow)
    d.store.close()


def test_team_batch_role(desk, editor_user):
    result = invoke("team", "add", "cron2", "--role", "batch")
    assert (result.exit_code, result.stdout) == (0, "cron2: batch for every pair\n")
    assert "    cron2: []" in (desk / "workflow.yaml").read_text(encoding="utf-8").splitlines()
    result = invoke("team", "add", "cron3", "--role", "batch", "--pair", "ru-en")
    assert (result.exit_code, result.stderr) == (
        2,
        "translate: error: the batch role covers every pair; give no --pair\n",
    )
    assert invoke("--user", "cron2", "ingest", RU_MD).exit_code == 0


def test_a_desk_without_editors_can_get_its_first_one(tmp_path):
    folder = tmp_path / "bare"
    folder.mkdir()
    path = folder / "workflow.yaml"
    path.write_text("pairs:\n  - source: ru\n    target: en\n", encoding="utf-8")
    first = invoke("--workflow", path, "--user", "boss", "team", "add", "boss", "--role", "editor")
    assert first.exit_code == 0, first.stderr
    second = invoke("--workflow", path, "--user", "mallory", "team", "add", "m", "--role", "editor")
    assert second.exit_code == 1
    assert "unknown user 'mallory'" in second.stderr
