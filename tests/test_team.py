"""`translate team add/list/remove`: workflow.yaml edited in place, comments and layout kept."""

from __future__ import annotations

import pytest
from cli_helpers import invoke, invoke_json

from translate.config import TEMPLATE, load_workflow

pytestmark = pytest.mark.usefixtures("editor_user")


def workflow_text(desk) -> str:
    return (desk / "workflow.yaml").read_text(encoding="utf-8")


def test_add_keeps_every_comment_and_line_and_adds_one(desk):
    result = invoke("team", "add", "olga", "--role", "editor", "--pair", "ru-en")
    assert (result.exit_code, result.stdout) == (0, "olga: editor for ru-en\n")
    before, after = TEMPLATE.splitlines(), workflow_text(desk).splitlines()
    assert [line for line in after if line not in before] == ["    olga: [ru-en]"]
    assert [line for line in before if line not in after] == []
    assert after.index("    olga: [ru-en]") == after.index("    eve: [ru-en, es-en]") + 1
    assert load_workflow(desk / "workflow.yaml").editors["olga"] == ["ru-en"]


def test_add_without_pairs_means_every_configured_pair_written_out(desk):
    assert invoke("team", "add", "boris", "--role", "translator").stdout == (
        "boris: translator for ru-en, es-en\n"
    )
    assert "    boris: [ru-en, es-en]" in workflow_text(desk).splitlines()


def test_add_to_an_existing_member_merges_pairs(desk):
    invoke("team", "add", "ana", "--role", "translator", "--pair", "es-en")
    assert load_workflow(desk / "workflow.yaml").translators["ana"] == ["ru-en", "es-en"]
    invoke("team", "add", "ana", "--role", "editor", "--pair", "ru-en")
    assert invoke_json("team", "list")[0] == {
        "name": "ana",
        "roles": ["translator", "editor"],
        "pairs": {"translator": ["ru-en", "es-en"], "editor": ["ru-en"]},
    }


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ["--pair", "de-en"],
            1,
            "{path}: no pair 'de-en' under 'pairs' (configured: ru-en, es-en)",
        ),
        (["--pair", "russian"], 2, "'russian' is not a pair such as 'ru-en'"),
    ],
)
def test_add_refuses_unknown_pairs(desk, args, code, message):
    before = workflow_text(desk)
    result = invoke("team", "add", "boris", "--role", "translator", *args)
    assert result.exit_code == code
    assert (
        result.stderr == "translate: error: " + message.format(path=desk / "workflow.yaml") + "\n"
    )
    assert workflow_text(desk) == before


def test_add_refuses_bad_names_and_roles(desk):
    result = invoke("team", "add", "bad name", "--role", "translator")
    assert result.exit_code == 2
    assert result.stderr == (
        "translate: error: 'bad name' is not a usable name (letters, digits, '.', '_', '@', '-')\n"
    )
    assert invoke("team", "add", "boris", "--role", "boss").exit_code == 2


def test_list_table_and_json(desk):
    lines = invoke("team", "list").stdout.splitlines()
    assert [line.split() for line in lines] == [
        ["name", "role", "pairs"],
        ["ana", "translator", "ru-en"],
        ["eve", "editor", "ru-en,", "es-en"],
        ["marta", "translator", "es-en"],
        ["nightly", "batch", "every", "pair"],
    ]
    assert [m["name"] for m in invoke_json("team", "list")] == ["ana", "eve", "marta", "nightly"]


def test_remove_keeps_the_rest_of_the_file(desk):
    result = invoke("team", "remove", "marta")
    assert (result.exit_code, result.stdout) == (0, "removed marta (translator)\n")
    expected = [line for line in TEMPLATE.splitlines() if line != "    marta: [es-en]"]
    assert workflow_text(desk).splitlines() == expected
    result = invoke("team", "remove", "marta")
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: 'marta' is not on the team in {desk / 'workflow.yaml'}\n"
    )


def test_removing_the_last_member_of_a_section_keeps_the_blank_line_after_it(desk):
    invoke("team", "remove", "nightly")
    text = workflow_text(desk)
    assert "  batch: {}\n\nrules:\n" in text
    assert "# Checks whose open findings block submission" in text


def test_remove_one_role_only(desk):
    invoke("team", "add", "ana", "--role", "editor", "--pair", "ru-en")
    result = invoke("team", "remove", "ana", "--role", "editor")
    assert result.stdout == "removed ana (editor)\n"
    workflow = load_workflow(desk / "workflow.yaml")
    assert ("ana" in workflow.translators, "ana" in workflow.editors) == (True, False)
    result = invoke("team", "remove", "ana", "--role", "editor")
    assert result.stderr == "translate: error: 'ana' has no editor role on the team\n"


def test_team_changes_are_logged_and_a_removed_user_is_refused(desk):
    invoke("team", "add", "boris", "--role", "translator", "--pair", "ru-en")
    invoke("team", "remove", "boris")
    from translate.store import open_store

    store = open_store(load_workflow(desk / "workflow.yaml").store)
    events = [e for e in store.db["events"].rows if e["action"].startswith("team.")]
    store.close()
    assert [(e["action"], e["user"]) for e in events] == [
        ("team.add", "eve"),
        ("team.remove", "eve"),
    ]
    result = invoke("--user", "boris", "queue")
    assert result.exit_code == 1
    assert "unknown user 'boris'" in result.stderr


def test_a_team_section_is_created_when_missing(tmp_path):
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "workflow.yaml").write_text(
        "# a minimal desk\npairs:\n  - source: ru\n    target: en  # the only pair\n",
        encoding="utf-8",
    )
    result = invoke(
        "--workflow", str(folder / "workflow.yaml"), "team", "add", "ana", "--role", "translator"
    )
    assert result.exit_code == 0, result.stderr
    assert (folder / "workflow.yaml").read_text(encoding="utf-8") == (
        "# a minimal desk\npairs:\n  - source: ru\n    target: en  # the only pair\n"
        "team:\n  translators:\n    ana: [ru-en]\n"
    )
