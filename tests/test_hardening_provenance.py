"""Provenance and workflow are validated: dates that are dates, http(s) URLs, titles of a sane
length, plain-text leads turned into headlines (with a warning), regular files only (FIFOs and
devices refused by ingest, listed by the batch), and no empty workflow.yaml."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest
from cli_helpers import BAD, counts, invoke, invoke_json

from translate.ingest.provenance import TITLE_MAX, normalise_date

pytestmark = pytest.mark.usefixtures("batch_user")  # ingest and batch need the batch role


def refused(desk: Path, *args, code: int = 1) -> str:
    """`ingest ARGS` fails with one error line and stores nothing; returns the line."""
    before = counts(desk)
    result = invoke("ingest", *args)
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert counts(desk) == before
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


BAD_PROVENANCE = {
    "bad-date.md": "{p}: front matter 'published' is not a real date ('2012-13-45'); use ISO "
    "8601 such as 2012-10-15 or 2012-10-15T09:00:00+03:00",
    "vague-date.md": "{p}: front matter 'updated' is not a real date ('yesterday-ish'); use ISO "
    "8601 such as 2012-10-15 or 2012-10-15T09:00:00+03:00",
    "javascript-url.md": "{p}: 'url' must be an http:// or https:// address, not "
    "'javascript:alert(document.cookie)'",
    "long-title.md": f"{{p}}: 'title' is 9999 characters long; a headline has at most {TITLE_MAX} "
    "(is the first paragraph in the title?)",
}


@pytest.mark.parametrize("name", sorted(BAD_PROVENANCE))
def test_bad_provenance_is_refused_naming_file_and_field(desk, name):
    path = BAD / name
    assert refused(desk, path) == "translate: error: " + BAD_PROVENANCE[name].format(p=path)


@pytest.mark.parametrize(
    "url",
    ["data:text/html,<b>x</b>", "file:///etc/passwd", "/relative/path", "https://", "http:// x"],
)
def test_only_absolute_http_urls(desk, tmp_path, url):
    path = tmp_path / "story.md"
    path.write_text(
        (BAD / "bad-date.md")
        .read_text(encoding="utf-8")
        .replace("published: 2012-13-45", f"url: {json.dumps(url)}"),
        encoding="utf-8",
    )
    assert "'url' must be an http:// or https:// address" in refused(desk, path)


def test_real_dates_are_stored_as_iso_8601(desk, tmp_path):
    text = (BAD / "bad-date.md").read_text(encoding="utf-8")
    path = tmp_path / "story.md"
    path.write_text(
        text.replace(
            "published: 2012-13-45",
            "published: 2012-10-15 09:00:00+03:00\nupdated: Tue, 16 Oct 2012 10:30:00 +0000\n"
            "url: https://example.com/snow",
        ),
        encoding="utf-8",
    )
    (story,) = invoke_json("ingest", path)
    shown = invoke_json("show", story["id"])["provenance"]
    assert (shown["published"], shown["updated"]) == (
        "2012-10-15T09:00:00+03:00",
        "2012-10-16T10:30:00+00:00",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2012-10-15", "2012-10-15"),
        ("2012-10-15T09:00:00Z", "2012-10-15T09:00:00+00:00"),
        ("2012-02-30", None),
        ("2012-10-15T25:00", None),
        ("yesterday-ish", None),
        ("15/10/2012", None),
    ],
)
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_a_plain_text_lead_is_not_taken_for_a_headline(desk):
    path = BAD / "lead-as-title.txt"
    result = invoke("ingest", path, "--lang", "en", "--json")
    assert result.exit_code == 0, result.stderr
    (story,) = json.loads(result.stdout)
    headline = (
        "Up to ten centimetres of snow will fall in Moscow on Friday, forecasters said on Thursday"
    )
    assert story["title"] == headline
    assert result.stderr == (
        f"translate: warning: {path}: the first line reads as a lead (2 sentences, 176 "
        "characters), not a headline; kept it as the first paragraph and took "
        f"'{headline}' as the headline\n"
    )
    units = invoke_json("show", story["id"])["units"]
    assert [u["kind"] for u in units] == ["headline", "paragraph", "paragraph"]
    lead = " ".join(s["source"] for s in units[1]["segments"])
    assert lead.startswith("Up to ten centimetres") and lead.endswith("across the river.")
    assert len(units[1]["segments"]) == 2  # nothing of the lead is lost


def test_a_short_two_sentence_headline_stays(desk, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text(
        "Snow in Moscow. Traffic stops.\n\nUp to ten centimetres of snow will fall in Moscow on "
        "Friday, forecasters said on Thursday.\n",
        encoding="utf-8",
    )
    result = invoke("ingest", path, "--lang", "en", "--json")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert json.loads(result.stdout)[0]["title"] == "Snow in Moscow. Traffic stops."


# ------------------------------------------------------------------ regular files only


def test_ingest_of_a_fifo_is_refused_without_blocking(desk, tmp_path):
    fifo = tmp_path / "story.md"
    os.mkfifo(fifo)
    line = refused(desk, fifo)
    assert line == (
        f"translate: error: {fifo}: a FIFO (named pipe), not a regular file; only regular files "
        "are ingested"
    )


def test_ingest_of_a_device_and_a_socket_is_refused(desk, tmp_path):
    assert refused(desk, "/dev/null") == (
        "translate: error: /dev/null: a device, not a regular file; only regular files are ingested"
    )
    path = tmp_path / "s.md"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        assert refused(desk, path) == (
            f"translate: error: {path}: a socket, not a regular file; only regular files are "
            "ingested"
        )
    finally:
        server.close()


def test_the_batch_reports_the_fifos_it_skips(tmp_path, monkeypatch):
    from publish_support import desk_in, install_engines, write_story_file

    plugins = tmp_path / "plugins"
    install_engines(plugins)
    monkeypatch.syspath_prepend(str(plugins))
    d = desk_in(tmp_path / "desk", engines=["slowecho"])
    monkeypatch.setenv("TRANSLATE_WORKFLOW", str(d.folder / "workflow.yaml"))
    try:
        inbox = d.workflow.inbox
        write_story_file(inbox, 1, "ru")
        fifo = inbox / "pipe.md"
        os.mkfifo(fifo)
        report_file = tmp_path / "report.json"
        result = invoke("batch", "--report", report_file)
        assert result.exit_code == 0, result.stderr
        reason = "a FIFO (named pipe), not a regular file; skipped"
        assert f"batch: skipped {fifo}: {reason}" in result.stderr.splitlines()
        report = json.loads(report_file.read_text(encoding="utf-8"))
        assert report["skipped"] == [{"file": str(fifo), "reason": reason}]
        assert len(report["ingested"]) == 1 and report["rejected"] == []
        assert fifo.exists()  # left where it is, never opened
    finally:
        d.store.close()


# ------------------------------------------------------------------ workflow.yaml


@pytest.mark.parametrize("name", ["workflow-empty.yaml", "workflow-comments-only.yaml"])
def test_an_empty_workflow_is_refused_and_no_store_is_created(tmp_path, name):
    workflow = tmp_path / "desk" / "workflow.yaml"
    workflow.parent.mkdir()
    shutil.copy(BAD / name, workflow)
    result = invoke("--workflow", workflow, "status")
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate: error: {workflow}: the file is empty; a desk's workflow.yaml names at least "
        "its language pairs (run 'translate init' in an empty folder for a commented one)\n"
    )
    assert sorted(p.name for p in workflow.parent.iterdir()) == ["workflow.yaml"]
