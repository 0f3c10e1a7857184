"""Deadlines and priorities (front matter, the batch inbox, `prioritize`), the queue's documented
order, its pages and JSON, `stories --jsonl/--limit/--offset`, and the backfill migration."""

from __future__ import annotations

import json

import pytest
from cli_helpers import error_lines, invoke, invoke_json
from review_support import NOW, make_story, open_desk

from translate import review
from translate.store import SegmentState, StoryState, open_store

RU_TEXT = (
    "Правительство обсудило бюджет на {n} год на заседании в четверг. "
    "Министры спорили о расходах на образование до позднего вечера, "
    "но окончательного решения так и не приняли."
)


def write_md(folder, name: str, n: int, **meta) -> str:
    """A Russian Markdown story with front matter `meta` (values written as given)."""
    lines = ["---", f"title: Заседание правительства номер {n}", "language: ru"]
    lines += [f"{k}: {v}" for k, v in meta.items()]
    path = folder / f"{name}.md"
    path.write_text(
        "\n".join(lines) + "\n---\n\n" + RU_TEXT.format(n=2000 + n) + "\n", encoding="utf-8"
    )
    return path


def set_timezone(desk_folder, zone: str) -> None:
    path = desk_folder / "workflow.yaml"
    text = path.read_text(encoding="utf-8")
    assert "timezone: UTC" in text
    path.write_text(text.replace("timezone: UTC", f"timezone: {zone}"), encoding="utf-8")


@pytest.fixture
def rd(desk, monkeypatch):
    monkeypatch.setenv("TRANSLATE_NOW", NOW)  # 2012-10-15T09:00:00+00:00
    d = open_desk(desk)
    yield d
    d.store.close()


def ingest(*paths) -> list[str]:
    result = invoke("--user", "eve", "ingest", *paths, "--json")
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def translated(store, story_ids) -> None:
    """Give every segment a machine draft and move the stories to translated."""
    with store.write():
        for sid in story_ids:
            for seg in store.segments(sid):
                store.add_version(
                    seg["id"], sid, "Draft.", origin="mt", state=SegmentState.MACHINE, engine="t"
                )
            store.set_story_state(sid, StoryState.TRANSLATED)


# ------------------------------------------------------------------ front matter


def test_front_matter_deadlines_in_any_zone_are_stored_in_utc(rd, tmp_path):
    set_timezone(rd.folder, "Europe/Moscow")  # UTC+4 in October 2012
    src = tmp_path / "in"
    src.mkdir()
    ids = ingest(
        write_md(src, "a", 1, deadline="2012-10-15T10:00:00+03:00", priority=2),
        write_md(src, "b", 2, deadline="2012-10-16"),
        write_md(src, "c", 3, deadline="'2012-10-15T16:30Z'"),
        write_md(src, "d", 4, priority="'7'"),
    )
    rows = {r["id"]: (r["priority"], r["deadline"]) for r in rd.store.stories()}
    assert [rows[i] for i in ids] == [
        (2, "2012-10-15T07:00:00+00:00"),
        (0, "2012-10-16T19:59:59+00:00"),  # the end of Oct 16 in Moscow
        (0, "2012-10-15T16:30:00+00:00"),
        (7, None),
    ]


@pytest.mark.parametrize(
    "meta, field, problem",
    [
        ({"priority": "high"}, "priority", "'high' is not a whole number"),
        ({"priority": "2.5"}, "priority", "'2.5' is not a whole number"),
        ({"priority": "true"}, "priority", "'True' is not a whole number"),
        (
            {"deadline": "tomorrow"},
            "deadline",
            "'tomorrow' is not a date or a date and time with a time zone "
            "(e.g. 2012-10-16, 2012-10-16T18:00:00+03:00)",
        ),
        (
            {"deadline": "2012-10-16T18:00:00"},
            "deadline",
            "'2012-10-16 18:00:00' has no time zone; add one (e.g. 2012-10-16T18:00:00+03:00) "
            "or give a date for the end of that day in the desk's time zone",
        ),
        (
            {"deadline": "'2012-02-30'"},
            "deadline",
            "'2012-02-30' is not a date or a date and time with a time zone "
            "(e.g. 2012-10-16, 2012-10-16T18:00:00+03:00)",
        ),
    ],
)
def test_a_bad_priority_or_deadline_is_one_line_naming_file_and_field(
    rd, tmp_path, meta, field, problem
):
    path = write_md(tmp_path, "bad", 1, **meta)
    result = invoke("--user", "eve", "ingest", path)
    assert result.exit_code == 1
    assert error_lines(result) == [f"translate: error: {path}: front matter '{field}': {problem}"]
    assert result.stderr.count("\n") == 1
    assert rd.store.stories() == []


def test_the_batch_inbox_reads_deadlines_and_rejects_bad_ones(rd):
    from translate.inbox import ingest_file

    inbox = rd.workflow.inbox
    inbox.mkdir(parents=True, exist_ok=True)
    good = write_md(inbox, "good", 1, deadline="2012-10-16T18:00:00-04:00", priority=3)
    bad = write_md(inbox, "bad", 2, deadline="soon")
    done = ingest_file(rd.store, rd.workflow, inbox, good, "batch")
    assert done.status == "ingested"
    story = rd.store.story(done.story_id)
    assert (story["priority"], story["deadline"]) == (3, "2012-10-16T22:00:00+00:00")
    failed = ingest_file(rd.store, rd.workflow, inbox, bad, "batch")
    assert failed.status == "rejected"
    assert failed.error.startswith(f"{bad}: front matter 'deadline': 'soon' is not a date")
    assert len(rd.store.stories()) == 1


def test_the_desk_time_zone_is_validated(rd):
    set_timezone(rd.folder, "Mars/Olympus")
    result = invoke("queue")
    assert result.exit_code == 1
    line = [x for x in (rd.folder / "workflow.yaml").read_text().splitlines()]
    number = line.index("timezone: Mars/Olympus") + 1
    assert result.stderr == (
        f"translate: error: {rd.folder / 'workflow.yaml'}:{number}: 'timezone': 'Mars/Olympus' "
        "is not a time zone; use an IANA name such as 'Europe/Madrid' or 'UTC'\n"
    )


# ------------------------------------------------------------------ the queue's order


def test_queue_order_mine_then_overdue_then_deadline_then_priority_then_age(rd, tmp_path):
    set_timezone(rd.folder, "America/New_York")  # UTC-4 in October 2012
    src = tmp_path / "in"
    src.mkdir()
    ids = ingest(
        write_md(src, "plain", 1),  # the oldest: no deadline, no priority
        write_md(src, "urgent", 2, priority=5),  # no deadline
        write_md(src, "eod", 3, deadline="2012-10-15"),  # 23:59:59 New York = 03:59:59Z next day
        write_md(src, "eod-high", 4, deadline="2012-10-15T23:59:59-04:00", priority=9),
        write_md(src, "moscow", 5, deadline="2012-10-15T20:00:00+04:00"),  # 16:00Z
        write_md(src, "late", 6, deadline="2012-10-15T08:00:00+00:00"),  # overdue by 1 h
        write_md(src, "later", 7, deadline="2012-10-14T23:00:00-07:00"),  # overdue by 3 h
        write_md(src, "mine", 8),
    )
    plain, urgent, eod, eod_high, moscow, late, later, mine = ids
    translated(rd.store, ids)
    review.claim(rd.store, rd.workflow, mine, "ana")
    rows = review.queue(rd.store, rd.workflow, "ana")
    assert [r["id"] for r in rows] == [
        mine,
        later,
        late,
        moscow,
        eod_high,  # same moment as eod: the higher priority first
        eod,
        urgent,
        plain,
    ]
    for limit in (1, 4, 7):  # pages cut inside the deadline part and inside the undated part
        page = review.queue_page(rd.store, rd.workflow, "ana", limit=limit)
        assert [r["id"] for r in page.rows] == [r["id"] for r in rows[:limit]]
        assert page.more == len(rows) - limit
    by_id = {r["id"]: r for r in rows}
    assert [by_id[i]["overdue"] for i in (later, late, moscow)] == [True, True, False]
    assert by_id[later]["due_in"] == "-PT3H"
    assert by_id[moscow]["due_in"] == "PT7H"
    assert by_id[eod]["due_in"] == "PT18H59M59S"
    assert by_id[plain]["due_in"] is None
    assert by_id[mine]["mine"] and not by_id[plain]["mine"]


def test_editor_queue_shows_submitted_stories_not_yet_approved_by_them(rd):
    from translate.store.review import queue_key  # noqa: F401 - the order is the same for editors

    a = make_story(rd.store, title="Первая")
    b = make_story(rd.store, title="Вторая")
    for sid in (a, b):
        review.claim(rd.store, rd.workflow, sid, "ana")
        review.confirm_all(rd.store, rd.workflow, sid, "ana")
        review.submit(rd.store, rd.workflow, sid, "ana")
    review.prioritize(rd.store, rd.workflow, b, "eve", priority=3)
    assert [(r["id"], r["task"]) for r in review.queue(rd.store, rd.workflow, "eve")] == [
        (b, "review"),
        (a, "review"),
    ]
    rd.workflow.approvals_needed = 2
    review.approve(rd.store, rd.workflow, b, "eve")
    assert [r["id"] for r in review.queue(rd.store, rd.workflow, "eve")] == [a]
    assert [r["id"] for r in review.queue(rd.store, rd.workflow, "olga")] == [b, a]
    assert review.queue(rd.store, rd.workflow, "ana") == []  # translators see no submitted


def test_queue_pages_say_how_many_more_wait(rd):
    ids = [make_story(rd.store, title=f"История {n}") for n in range(7)]
    assert len(ids) == 7
    page = review.queue_page(rd.store, rd.workflow, "ana", limit=3)
    assert ([r["id"] for r in page.rows], page.total, page.more) == (ids[:3], 7, 4)
    result = invoke("queue", "--limit", "5")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1 + 5
    assert result.stderr == "2 more stories wait (--all to list every one)\n"
    result = invoke("queue", "--all")
    assert (len(result.stdout.splitlines()), result.stderr) == (1 + 7, "")
    assert len(invoke_json("queue", "--limit", "6")) == 6
    bad = invoke("queue", "--all", "--limit", "2")
    assert bad.exit_code == 2


def test_queue_shows_deadlines_in_the_ui_language_and_json_in_iso_8601(rd, tmp_path):
    set_timezone(rd.folder, "Europe/Moscow")
    src = tmp_path / "in"
    src.mkdir()
    soon, overdue = ingest(
        write_md(src, "soon", 1, deadline="2012-10-15T12:00:00Z"),
        write_md(src, "overdue", 2, deadline="2012-10-13T09:00:00Z"),
    )
    translated(rd.store, [soon, overdue])
    table = invoke("queue").stdout
    assert "Oct 13, 2012, 13:00 MSK (overdue by 2 days)" in table
    assert "Oct 15, 2012, 16:00 MSK (in 3 hours)" in table
    ru = invoke("--ui-lang", "ru", "queue").stdout.replace("\u202f", " ")
    assert "15 окт. 2012 г., 16:00 MSK (через 3 часа)" in ru
    assert "13 окт. 2012 г., 13:00 MSK (просрочено на 2 дня)" in ru
    es = invoke("--ui-lang", "es", "queue").stdout.replace("\u202f", " ")
    assert "15 oct 2012, 16:00 MSK (dentro de 3 horas)" in es
    rows = invoke_json("queue")
    assert [(r["id"], r["deadline"], r["due_in"], r["overdue"]) for r in rows] == [
        (overdue, "2012-10-13T09:00:00+00:00", "-P2D", True),
        (soon, "2012-10-15T12:00:00+00:00", "PT3H", False),
    ]


def test_low_confidence_share_per_story(rd):
    sid = make_story(rd.store)
    other = make_story(rd.store, title="Другая")
    segs = rd.store.segments(sid)
    finding = {"code": "mt.low_confidence", "severity": "warning", "message": "doubtful"}
    for seg in segs[:2]:
        rd.store.replace_findings(sid, seg["id"], seg["version_id"], [finding, dict(finding)])
    rows = {r["id"]: r for r in invoke_json("queue")}
    assert rows[sid]["low_confidence"] == round(2 / 6, 4)
    assert rows[other]["low_confidence"] == 0.0
    rd.store.replace_findings(sid, segs[0]["id"], segs[0]["version_id"], [])
    assert {r["id"]: r for r in invoke_json("queue")}[sid]["low_confidence"] == round(1 / 6, 4)
    assert "17%" in invoke("queue").stdout


# ------------------------------------------------------------------ prioritize


def test_prioritize_by_an_editor_is_stored_and_logged(rd):
    sid = make_story(rd.store)
    got = invoke_json(
        "--user", "eve", "prioritize", sid, "--priority", "4", "--deadline", "2012-10-16"
    )
    assert got == {
        "story": sid,
        "priority": 4,
        "deadline": "2012-10-16T23:59:59+00:00",
        "changed": True,
    }
    event = rd.store.events(sid)[-1]
    assert (event["action"], event["user"]) == ("prioritize", "eve")
    assert json.loads(event["before"]) == {"priority": 0, "deadline": None}
    assert json.loads(event["after"]) == {"priority": 4, "deadline": "2012-10-16T23:59:59+00:00"}
    result = invoke("--user", "eve", "prioritize", sid, "--no-deadline")
    assert result.stdout == f"'{sid}': priority 4, deadline -\n"
    assert rd.store.story(sid)["deadline"] is None
    again = invoke("--user", "eve", "prioritize", sid, "--priority", "4")
    assert again.stdout == f"'{sid}': priority 4, deadline - (unchanged)\n"
    assert [e["action"] for e in rd.store.events(sid)].count("prioritize") == 2


def test_prioritize_by_a_translator_is_refused_with_one_line(rd):
    sid = make_story(rd.store)
    before = rd.store.events(sid)
    result = invoke("--user", "ana", "prioritize", sid, "--priority", "9")
    assert result.exit_code == 1
    assert result.stderr == (
        "translate: error: only editors may set priorities and deadlines; "
        "'ana' is on the team as translator\n"
    )
    assert rd.store.story(sid)["priority"] == 0
    assert rd.store.events(sid) == before


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--priority", "urgent"], 1, "--priority: 'urgent' is not a whole number"),
        (["--deadline", "2012-10-16T18:00"], 1, "--deadline: '2012-10-16T18:00' has no time zone"),
        ([], 2, "give --priority, --deadline or --no-deadline"),
        (["--deadline", "2012-10-16", "--no-deadline"], 2, "give --deadline WHEN or --no-deadline"),
    ],
)
def test_prioritize_bad_values(rd, args, code, message):
    sid = make_story(rd.store)
    result = invoke("--user", "eve", "prioritize", sid, *args)
    assert result.exit_code == code
    assert result.stderr.startswith(f"translate: error: {message}")
    assert result.stderr.count("\n") == 1
    assert (rd.store.story(sid)["priority"], rd.store.story(sid)["deadline"]) == (0, None)


# ------------------------------------------------------------------ stories


def test_stories_jsonl_one_story_a_line_with_limit_and_offset(rd):
    ids = [make_story(rd.store, title=f"История {n}") for n in range(5)]
    result = invoke("stories", "--jsonl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == ids
    assert rows[0] == {
        "id": ids[0],
        "title": "История 0",
        "language": "ru",
        "state": "translated",
        "segments": 6,
        "confirmed": 0,
        "claimed_by": None,
        "revision": 1,
        "priority": 0,
        "deadline": None,
    }
    page = [
        json.loads(x)["id"]
        for x in invoke("stories", "--jsonl", "--limit", "2", "--offset", "1").stdout.splitlines()
    ]
    assert page == ids[1:3]
    assert [r["id"] for r in invoke_json("stories", "--offset", "3")] == ids[3:]
    assert invoke_json("stories", "--limit", "0") == []
    assert invoke_json("stories") == rows  # --json is the same data as one array


def test_json_array_streamed_is_the_same_text_as_before(capsys):
    from translate.cli.output import emit_json, emit_json_stream

    for items in ([{"a": 1, "b": {"c": [1, 2]}, "t": "ü\nx"}, {"a": 2}], [], [{}]):
        emit_json(items)
        whole = capsys.readouterr().out
        emit_json_stream(iter(items))
        streamed = capsys.readouterr().out
        assert streamed == whole
        assert json.loads(streamed) == items


# ------------------------------------------------------------------ migration


def test_backfill_copies_priority_and_deadline_from_extra(tmp_path):
    """A store made before the columns were filled: the migration copies them from `extra`."""
    from translate.store.migrations import m_schedule_backfill

    store = open_store(tmp_path / "old.db")
    store.db.execute(
        "INSERT INTO stories (id, seq, title, language, text_hash, extra, created_at, updated_at) "
        "VALUES (?, ?, 't', 'ru', ?, ?, 'x', 'x')",
        ["a-1", 1, "h1", json.dumps({"priority": 3, "deadline": "2012-10-16"})],
    )
    store.db.execute(
        "INSERT INTO stories (id, seq, title, language, text_hash, extra, created_at, updated_at) "
        "VALUES (?, ?, 't', 'ru', ?, ?, 'x', 'x')",
        ["b-2", 2, "h2", json.dumps({"deadline": "2012-10-16 18:00:00+03:00", "priority": "x"})],
    )
    store.db.execute(
        "INSERT INTO stories (id, seq, title, language, text_hash, extra, created_at, updated_at) "
        "VALUES (?, ?, 't', 'ru', ?, '{}', 'x', 'x')",
        ["c-3", 3, "h3"],
    )
    m_schedule_backfill(store.db)
    got = {r["id"]: (r["priority"], r["deadline"]) for r in store.stories()}
    assert got == {
        "a-1": (3, "2012-10-16T23:59:59+00:00"),
        "b-2": (0, "2012-10-16T15:00:00+00:00"),
        "c-3": (0, None),
    }
    store.close()


def test_a_member_of_every_pair_sees_every_pair_in_one_order(rd):
    ru_late = make_story(rd.store, title="Русская")
    es_soon = make_story(rd.store, title="Испанская")
    rd.store.db["stories"].update(es_soon, {"language": "es"})  # an es-en story
    review.prioritize(rd.store, rd.workflow, es_soon, "eve", deadline="2012-10-15T12:00:00Z")
    review.prioritize(rd.store, rd.workflow, ru_late, "eve", deadline="2012-10-16T12:00:00Z")
    text = (rd.folder / "workflow.yaml").read_text(encoding="utf-8")
    (rd.folder / "workflow.yaml").write_text(
        text.replace("    marta: [es-en]\n", "    marta: [es-en]\n    zoe: []\n"), encoding="utf-8"
    )
    rd.reload()
    assert rd.workflow.translators["zoe"] == []  # an empty list: every pair
    assert [r["id"] for r in review.queue(rd.store, rd.workflow, "zoe")] == [es_soon, ru_late]
    assert [r["id"] for r in review.queue(rd.store, rd.workflow, "ana")] == [ru_late]
    assert [r["id"] for r in review.queue(rd.store, rd.workflow, "marta")] == [es_soon]
