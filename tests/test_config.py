"""workflow.yaml: finding it, validating it (file:line, key, hint), and a store that can't be written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import BAD, ES_MD, invoke

from translate.config import (
    _SCHEMA,
    TEMPLATE,
    WorkflowError,
    find_workflow,
    load,
    load_workflow,
)


def write_workflow(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "workflow.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(workflow: Path) -> str:
    """`translate --workflow W status` fails with one line, and no store is created."""
    result = invoke("--workflow", workflow, "status")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not (workflow.parent / "desk.db").exists()
    assert not (workflow.parent / ".translate").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# ------------------------------------------------------------------ bad workflow files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "workflow-unknown-key.yaml",
            "5: unknown key 'editrs' under 'team', did you mean 'editors'?",
        ),
        ("workflow-wrong-type.yaml", "4: 'rules.approvals_needed' must be a whole number"),
        ("workflow-yaml-error.yaml", "6: YAML error: expected ',' or ']', but got ':'"),
    ],
)
def test_bad_workflow_file(tmp_path, name, message):
    workflow = tmp_path / "desk" / "workflow.yaml"
    workflow.parent.mkdir()
    shutil.copy(BAD / name, workflow)
    assert refused(workflow) == f"translate: error: {workflow}:{message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "colour: red\n",
            # the known keys grow as stages add sections: list whatever the schema holds
            f"1: unknown key 'colour' (known keys: {', '.join(_SCHEMA)})",
        ),
        ("- ru-en\n", " 'workflow.yaml' must be a mapping"),
        ("pairs:\n  - ru-en\n", "2: 'pairs[0]' must be a mapping"),
        ("pairs:\n  - target: en\n", "2: pairs[0]: 'source' is required"),
        (
            "pairs:\n  - source: russian\n    target: en\n",
            "2: 'pairs[0].source' must be a language code such as 'ru'",
        ),
        ("pairs: {}\n", "1: 'pairs' must be a list"),
        (
            "pairs:\n  - {source: ru, target: en}\n  - {source: ru, target: en}\n",
            "3: pair 'ru-en' is listed twice",
        ),
        (
            "pairs:\n  - {source: ru, target: en, enforcement: maybe}\n",
            "2: 'pairs[0].enforcement' must be one of: mask, verify",
        ),
        (
            "team:\n  translators: [ana]\n",
            "2: 'team.translators' must map each name to a list of pairs",
        ),
        (
            "team:\n  editors:\n    eve: [ru]\n",
            "3: 'team.editors.eve': 'ru' is not a pair such as 'ru-en'",
        ),
        ("rules:\n  four_eyes: yes please\n", "2: 'rules.four_eyes' must be true or false"),
        (
            "rules:\n  claim_lease: soon\n",
            "2: 'rules.claim_lease' must be a duration such as '4h' or '30m'",
        ),
        (
            "ingest:\n  max_file_size: huge\n",
            "2: 'ingest.max_file_size' must be a size such as '2MB'",
        ),
        ("store: 5\n", "1: 'store' must be text"),
        ("mt:\n  beam_size: four\n", "2: 'mt.beam_size' must be a whole number"),
        ("mt:\n  beam_size: -1\n", "2: 'mt.beam_size' must be a whole number of at least 1"),
        (
            "mt:\n  max_batch_size: 0\n",
            "2: 'mt.max_batch_size' must be a whole number of at least 1",
        ),
        (
            "mt:\n  inter_threads: -2\n",
            "2: 'mt.inter_threads' must be a whole number of at least 0",
        ),
        ("mt:\n  max_decoding_ratio: 0\n", "2: 'mt.max_decoding_ratio' must be a number above 0"),
        (
            "store: a.db\nstore: b.db\n",
            '2: YAML error: found duplicate key "store" with value "b.db" (original value: "a.db")',
        ),
    ],
)
def test_invalid_workflow_names_line_and_key(tmp_path, text, message):
    workflow = write_workflow(tmp_path / "desk", text)
    assert refused(workflow) == f"translate: error: {workflow}:{message}"


def test_store_under_a_regular_file_cannot_be_written(tmp_path):
    # tests run as root, where permission bits don't stop writes: a file where a folder should be does
    folder = tmp_path / "desk"
    blocker = folder / "somefile"
    workflow = write_workflow(folder, "store: somefile/desk.db\n")
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = invoke("--workflow", workflow, "ingest", ES_MD)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"translate: error: {blocker}/desk.db: the store cannot be written "
        f"([Errno 20] Not a directory: '{blocker}')"
    ]
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_store_that_is_not_a_database(tmp_path):
    folder = tmp_path / "desk"
    notes = folder / "notes.txt"
    workflow = write_workflow(folder, "store: notes.txt\n")
    notes.write_text("shopping list\n" * 200, encoding="utf-8")
    result = invoke("--workflow", workflow, "status")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"translate: error: {notes}: not a usable store (file is not a database)"
    ]
    assert notes.read_text(encoding="utf-8") == "shopping list\n" * 200


def test_workflow_not_utf8(tmp_path):
    path = tmp_path / "workflow.yaml"
    path.write_bytes("store: базa.db\n".encode("cp1251"))
    with pytest.raises(WorkflowError, match=r"workflow\.yaml: 'utf-8' codec can't decode"):
        load_workflow(path)


# ------------------------------------------------------------------ finding the file


def test_no_workflow_anywhere(tmp_path):
    result = invoke("status")
    assert result.exit_code == 1
    assert result.stderr == (
        "translate: error: no workflow.yaml here or in any parent folder; run 'translate init' "
        "or pass --workflow\n"
    )


def test_workflow_found_from_a_subfolder_upward(tmp_path, monkeypatch):
    path = write_workflow(tmp_path / "desk", TEMPLATE)
    sub = tmp_path / "desk" / "stories" / "2012"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_workflow() == path.resolve()
    result = invoke("paths", "--json")
    assert result.exit_code == 0, result.stderr
    assert f'"workflow": "{path}"' in result.stdout


def test_env_variable_and_option_choose_the_workflow(tmp_path, monkeypatch):
    here = write_workflow(tmp_path, "store: here.db\n")
    env = write_workflow(tmp_path / "env", "store: env.db\n")
    opt = write_workflow(tmp_path / "opt", "store: opt.db\n")
    assert load().store == here.parent / "here.db"
    monkeypatch.setenv("TRANSLATE_WORKFLOW", str(env))
    assert load().store == env.parent / "env.db"
    assert load(opt).store == opt.parent / "opt.db"
    result = invoke("paths", "--json")
    assert f'"store": "{env.parent / "env.db"}"' in result.stdout
    result = invoke("--workflow", opt, "paths", "--json")
    assert f'"store": "{opt.parent / "opt.db"}"' in result.stdout


def test_missing_explicit_workflow(tmp_path):
    missing = tmp_path / "nope" / "workflow.yaml"
    result = invoke("--workflow", missing, "status")
    assert result.exit_code == 1
    assert result.stderr == f"translate: error: {missing}: no such file\n"


# ------------------------------------------------------------------ values


def test_template_values(tmp_path):
    workflow = load_workflow(write_workflow(tmp_path, TEMPLATE))
    assert workflow.store == tmp_path / ".translate" / "desk.db"
    assert sorted(workflow.pairs) == ["es-en", "ru-en"]
    assert workflow.pairs["es-en"].engines == ["argos", "apertium"]
    assert workflow.pairs["ru-en"].glossary == tmp_path / "glossaries" / "ru-en.csv"
    assert workflow.translators == {"ana": ["ru-en"], "marta": ["es-en"]}
    assert workflow.editors == {"eve": ["ru-en", "es-en"]}
    assert workflow.roles_of("eve") == ["editor"]
    assert workflow.pairs_of("eve") == {"ru-en", "es-en"}
    assert workflow.four_eyes is True and workflow.approvals_needed == 1
    assert workflow.claim_lease_seconds == 4 * 3600
    assert workflow.max_file_size == 2_000_000
    assert workflow.output == tmp_path / "published"
    assert workflow.inbox == tmp_path / "inbox"
    assert workflow.mt_options["max_decoding_ratio"] == 2.5


def test_sizes_durations_and_defaults(tmp_path):
    text = "rules:\n  claim_lease: 30m\ningest:\n  max_file_size: 512KB\nstore: /abs/desk.db\n"
    workflow = load_workflow(write_workflow(tmp_path, text))
    assert workflow.claim_lease_seconds == 1800
    assert workflow.max_file_size == 512_000
    assert workflow.store == Path("/abs/desk.db")
    assert workflow.pairs == {} and workflow.translators == {}
    # an explicit empty mapping takes every default (an empty file is refused: test_hardening)
    empty = load_workflow(write_workflow(tmp_path / "empty", "{}\n"))
    assert empty.store == tmp_path / "empty" / ".translate" / "desk.db"
    assert empty.max_file_size == 2_000_000
