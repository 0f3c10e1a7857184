"""Every command group of the CLI, in the order `translate --help` lists them (the pipeline's).

Add a group here with one line; each module keeps its heavy imports inside its commands.
"""

from __future__ import annotations

import importlib

import click

# (module, attribute names) — each attribute is a click command or group.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("translate.cli.stories", ("init", "paths", "ingest", "stories", "show", "status")),
    ("translate.cli.glossary", ("glossary",)),
    ("translate.cli.mt", ("mt", "engines", "models")),
    (
        "translate.cli.review",
        (
            "queue",
            "prioritize",
            "claim",
            "release",
            "reassign",
            "review",
            "edit",
            "confirm",
            "comment",
            "submit",
            "approve",
            "reject",
            "log_",
        ),
    ),
    ("translate.cli.localize", ("revert",)),
    ("translate.cli.team", ("team",)),
    ("translate.cli.publish", ("publish",)),
    ("translate.cli.revisions", ("diff", "correct")),
    ("translate.cli.web", ("serve",)),
    ("translate.cli.batch", ("batch",)),
    ("translate.cli.exchange", ("export", "import_")),
    ("translate.cli.tm", ("tm",)),
    ("translate.cli.store", ("store",)),
]


def commands() -> list[click.Command]:
    found = []
    for module_name, names in GROUPS:
        module = importlib.import_module(module_name)
        found.extend(getattr(module, name) for name in names)
    return found
