"""The queue at newsroom scale: the daily commands on desks of 1,000 and 100,000 stories.

Builds each desk through the desk's own store functions (`add_story`, `add_version`,
`set_story_state`, `set_claim`, `add_approval`, `set_schedule`, `replace_findings`, `log`), many
stories per transaction, with states spread as on a working desk: most stories translated (machine
drafts waiting for a translator), some in translation (claimed, a few leases run out), submitted,
approved and published; a third with deadlines (some overdue), a fifth with a priority, a few
segments flagged `mt.low_confidence`. Built desks are cached under bench/.cache (delete it, or
pass --rebuild, after a schema change).

Then it times, each in a fresh process (`python -m translate`, the best of --repeat runs):
`queue` for a translator (ana, ru-en) and an editor (eve, every pair), `stories --jsonl`, `status`
and `show`; and the peak memory (the child's ru_maxrss) of `stories --jsonl`.

Last line exactly:
`queue: translator_100k_over_1k=<a> editor_100k_over_1k=<b> stories_jsonl_rss_100k_over_1k=<c>`
Goals: all three <= 1.5.

Run: `.venv/bin/python bench/queue.py [--sizes 1000,100000] [--repeat 5] [--rebuild]`
(building the 100,000-story desk takes several minutes the first time).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# this file's name shadows the standard library's `queue`: keep bench/ off the path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / ".cache"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BUILD_VERSION = 2  # bump when what a desk holds changes
GOAL = 1.5

RU = [
    "Правительство обсудило бюджет на следующий год на заседании в четверг.",
    "Министры спорили о расходах на образование до позднего вечера.",
    "Окончательного решения так и не приняли.",
    "Эксперты ожидают, что дефицит сократится до трёх процентов.",
    "Оппозиция потребовала публичных слушаний.",
    "Следующее заседание назначено на понедельник.",
    "В правительстве отказались от комментариев.",
]
ES = [
    "El gobierno discutió el presupuesto del próximo año en la sesión del jueves.",
    "Los ministros debatieron el gasto en educación hasta la noche.",
    "No se tomó ninguna decisión definitiva.",
    "Los expertos esperan que el déficit baje al tres por ciento.",
    "La oposición exigió audiencias públicas.",
    "La próxima sesión está prevista para el lunes.",
    "El gobierno declinó hacer comentarios.",
]
TRANSLATORS = {"ana": ["ru-en"], "boris": ["ru-en"], "marta": ["es-en"], "lucia": ["es-en"]}
TRANSLATORS.update({f"t{n:02d}": ["ru-en" if n % 5 < 3 else "es-en"] for n in range(1, 37)})
EDITORS = {"eve": ["ru-en", "es-en"], "olga": ["ru-en"]}

# state shares (of 100): what a desk that has run for years looks like from the queue's side
SPREAD = [
    ("ingested", 3),
    ("translated", 67),
    ("in_translation", 5),
    ("submitted", 8),
    ("approved", 7),
    ("published", 10),
]


def workflow_text() -> str:
    from translate.config import TEMPLATE

    text = TEMPLATE
    team = "team:\n  translators:\n"
    team += "".join(f"    {u}: [{', '.join(p)}]\n" for u, p in TRANSLATORS.items())
    team += "  editors:\n" + "".join(f"    {u}: [{', '.join(p)}]\n" for u, p in EDITORS.items())
    start = text.index("team:\n")
    end = text.index("\nrules:")
    return text[:start] + team + text[end:]


def story_for(n: int, rng: random.Random):
    from translate.model import IngestedStory, Sentence, Unit

    language = "ru" if rng.random() < 0.6 else "es"
    lines = RU if language == "ru" else ES
    title = f"{lines[n % len(lines)][:40]} {n}"
    body = rng.sample(lines, k=rng.randint(4, 7))
    body[-1] = body[-1].rstrip(".") + f" ({n})."
    units = [
        Unit("headline", title, [Sentence(title)]),
        Unit("paragraph", " ".join(body), [Sentence(s, " ") for s in body]),
    ]
    return IngestedStory(
        title=title,
        language=language,
        units=units,
        outlet="Bench",
        url=f"https://example.org/{language}/{n}",
        text_hash=f"bench-{n}",
    )


def build(folder: Path, size: int, seed: int = 15) -> None:
    """A desk of `size` stories in `folder`, through the store's own functions."""
    from translate.store import SegmentState, StoryState, open_store

    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "workflow.yaml").write_text(workflow_text(), encoding="utf-8")
    store = open_store(folder / ".translate" / "desk.db")
    states = [s for s, share in SPREAD for _ in range(share)]
    iso = lambda dt: dt.astimezone(UTC).isoformat(timespec="seconds")  # noqa: E731
    low = [{"code": "mt.low_confidence", "severity": "warning", "message": "low MT confidence"}]
    started = time.perf_counter()
    batch = 1000
    for first in range(0, size, batch):
        with store.write():
            for n in range(first, min(size, first + batch)):
                story = story_for(n, rng)
                state = StoryState.parse(rng.choice(states))
                sid = store.add_story(story, user="batch")
                pair = f"{story.language}-en"
                if rng.random() < 0.33:  # a deadline within ten days either side of now
                    when = NOW + timedelta(minutes=rng.randint(-10 * 1440, 10 * 1440))
                    store.set_schedule(sid, rng.choice([0, 0, 1, 2, 5]), iso(when))
                elif rng.random() < 0.2:
                    store.set_schedule(sid, rng.randint(1, 9), None)
                if state == StoryState.INGESTED:
                    continue
                segments = store.segments(sid)
                done = state >= StoryState.SUBMITTED
                for seg in segments:
                    vid = store.add_version(
                        seg["id"],
                        sid,
                        f"Machine draft of segment {seg['number']}.",
                        origin="mt",
                        state=SegmentState.CONFIRMED if done else SegmentState.MACHINE,
                        engine="bench",
                        model="bench-test-package",
                        model_version="1",
                    )
                    seg["version_id"] = vid
                if rng.random() < 0.05:
                    seg = rng.choice(segments)
                    store.replace_findings(sid, seg["id"], seg["version_id"], low)
                store.set_story_state(sid, StoryState.TRANSLATED, user="batch")
                if state == StoryState.TRANSLATED:
                    continue
                people = [u for u, pairs in TRANSLATORS.items() if pair in pairs]
                translator = rng.choice(people)
                if state == StoryState.IN_TRANSLATION:
                    # most claims on a desk this old are abandoned: their lease ran out long ago
                    hours = rng.choice([-24 * 90, -24 * 30, -24 * 7, -48, -2, 1, 3, 4])
                    lease = NOW + timedelta(hours=hours)
                    store.set_story_state(
                        sid,
                        StoryState.IN_TRANSLATION,
                        user=translator,
                        claimed_by=translator,
                        claim_until=iso(lease),
                    )
                    store.log("claim", sid, user=translator)
                    continue
                store.set_story_state(sid, StoryState.SUBMITTED, user=translator)
                store.log("submit", sid, user=translator)
                if state == StoryState.SUBMITTED:
                    if pair == "ru-en" and rng.random() < 0.3:
                        store.add_approval(sid, "olga", None)  # one of two approvals given
                    continue
                store.add_approval(sid, "eve", None)
                store.log("approve", sid, user="eve")
                store.set_story_state(sid, StoryState.APPROVED, user="eve")
                if state == StoryState.PUBLISHED:
                    store.set_story_state(sid, StoryState.PUBLISHED, user="publish")
        if size >= 10_000 and (first // batch) % 10 == 9:
            done_n = first + batch
            rate = done_n / (time.perf_counter() - started)
            print(f"  built {done_n}/{size} stories ({rate:.0f}/s)", file=sys.stderr, flush=True)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    (folder / "built").write_text(f"{BUILD_VERSION} {size}\n", encoding="utf-8")


def desk(size: int, rebuild: bool) -> Path:
    folder = CACHE / f"queue-{size}"
    marker = folder / "built"
    if (
        rebuild
        or not marker.exists()
        or marker.read_text().split()
        != [
            str(BUILD_VERSION),
            str(size),
        ]
    ):
        print(f"building a desk of {size:,} stories in {folder} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        build(folder, size)
        print(f"  built in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    return folder


def env_for(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["TRANSLATE_WORKFLOW"] = str(folder / "workflow.yaml")
    env["TRANSLATE_NOW"] = NOW.isoformat()
    env["NO_COLOR"] = "1"
    env["LANG"] = "C.UTF-8"
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    return env


def run_once(folder: Path, args: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KB) of one `python -m translate ARGS` in a fresh process."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "translate", *args],
        env=env_for(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"translate {' '.join(args)} failed: {proc.stderr.read().decode()}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss


def show_target(folder: Path) -> str:
    from translate.store import open_store

    store = open_store(folder / ".translate" / "desk.db")
    try:
        row = store.db.execute(
            "SELECT id FROM stories WHERE state = 30 ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return row[0]
    finally:
        store.close()


def measure(folders: dict[int, Path], repeat: int) -> dict[int, dict[str, tuple[float, int]]]:
    """Best wall time and peak RSS of each command on each desk; the runs are interleaved (every
    command on every desk, `repeat` times), so a busy moment on the machine hits all alike."""
    commands = {}
    for size, folder in folders.items():
        commands[size] = {
            "queue (translator)": ["--user", "ana", "queue"],
            "queue (editor)": ["--user", "eve", "queue"],
            "stories --jsonl": ["stories", "--jsonl"],
            "status": ["status"],
            "show": ["show", show_target(folder)],
        }
        run_once(folder, ["stories", "--jsonl"])  # warm the page cache
    best: dict[int, dict[str, tuple[float, int]]] = {size: {} for size in folders}
    for _ in range(repeat):
        for name in commands[next(iter(folders))]:
            for size, folder in folders.items():
                elapsed, rss = run_once(folder, commands[size][name])
                old = best[size].get(name)
                best[size][name] = (
                    min(elapsed, old[0]) if old else elapsed,
                    min(rss, old[1]) if old else rss,
                )
    return best


def in_process(folder: Path, repeat: int) -> dict[str, float]:
    """Milliseconds (median) of the library calls behind the commands, without process start-up:
    where the desk's size would show if it did."""
    import statistics

    os.environ["TRANSLATE_NOW"] = NOW.isoformat()
    from translate.config import load_workflow
    from translate.review import queue_page
    from translate.store import open_store

    workflow = load_workflow(folder / "workflow.yaml")
    store = open_store(workflow.store)
    calls = {
        "queue_page (translator)": lambda: queue_page(store, workflow, "ana"),
        "queue_page (editor)": lambda: queue_page(store, workflow, "eve"),
        "status_counts": store.status_counts,
    }
    out = {}
    try:
        for name, call in calls.items():
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                call()
                times.append((time.perf_counter() - t) * 1000)
            out[name] = statistics.median(times)
    finally:
        store.close()
    return out


def in_process_child(folder: Path, repeat: int) -> dict[str, float]:
    """`in_process` in a fresh process (the bench's own imports stay out of it)."""
    import json

    out = subprocess.run(
        [sys.executable, __file__, "--in-process", str(folder), "--repeat", str(repeat)],
        env=env_for(folder),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", metavar="DESK", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.in_process:
        import json

        print(json.dumps(in_process(Path(args.in_process), args.repeat)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results = measure({size: desk(size, args.rebuild) for size in sizes}, args.repeat)
    names = list(next(iter(results.values())))
    print(f"{'command':<22}" + "".join(f"{f'{s:,} stories':>24}" for s in sizes))
    for name in names:
        cells = "".join(
            f"{results[s][name][0]:>10.3f} s {results[s][name][1] / 1024:>8.0f} MB" for s in sizes
        )
        print(f"{name:<22}{cells}")
    inner = {size: in_process_child(CACHE / f"queue-{size}", args.repeat) for size in sizes}
    print("in-process (library calls, no start-up), median ms:")
    for name in inner[sizes[0]]:
        print(f"  {name:<24}" + "".join(f"{inner[s][name]:>14.1f} ms" for s in sizes))
    small, large = min(sizes), max(sizes)

    def ratio(name: str, index: int) -> float:
        return results[large][name][index] / results[small][name][index]

    a = ratio("queue (translator)", 0)
    b = ratio("queue (editor)", 0)
    c = ratio("stories --jsonl", 1)
    verdict = "ok" if max(a, b, c) <= GOAL else "above the goal"
    print(f"goals: each ratio <= {GOAL} ({verdict})")
    print(
        f"queue: translator_100k_over_1k={a:.2f} editor_100k_over_1k={b:.2f} "
        f"stories_jsonl_rss_100k_over_1k={c:.2f}"
    )


if __name__ == "__main__":
    main()
