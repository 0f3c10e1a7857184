"""The team desk under load: the queue at 1,000 and 100,000 stories, claims with 8 processes, racing
edits, and the MT batch shared by 1 vs 2 worker processes — on SQLite and on PostgreSQL.

1. queue listing: `python -m translate --user ana queue` (a fresh process, the best of --repeat
   runs) on desks of 1,000 and 100,000 stories: bench/queue.py's desks (its builder and cache,
   the same desks the queue benchmark times), copied to PostgreSQL with `store copy` for pg; the
   ratio 100k/1k per backend.
2. claims: 8 processes claim with `queue --next` (the library call, in a loop) until a desk of
   --claim-stories stories is empty; claims per second, and `double_claims`: claims beyond one per
   story (a story claimed twice, or a claim event more than the stories claimed).
3. racing edits: 8 processes edit one segment from the same version (`edit --base`), --races
   times; `lost_updates`: races with other than exactly one winner, plus winning edits missing
   from the segment's versions.
4. workers: --mt-stories (600) Spanish stories of 9 segments machine-translated by Apertium
   (Debian's apertium-eng-spa) with `batch --worker` in 1 and in 2 processes, a night's batch big
   enough that a worker's start-up (~1 s) is not most of it; `workers_2_over_1` = the best
   time(1) / the best time(2) of --worker-repeat alternated runs, each
   worker (with the Apertium processes it starts) held to a core of its own (sched_setaffinity:
   core 0, and core 1 for the second): a worker stands for a machine of one core, as workers on
   several machines do. The same runs free to use both cores are printed too: there one worker
   alone already keeps both cores busy part of the time (Apertium's pipeline is ~7 processes,
   raw `apertium` on 3,600 lines here: 3.1 s wall, 6.0 s CPU), so a second worker on the same
   two cores has less to gain — that ratio is shown, not the goal.

PostgreSQL: TRANSLATE_BENCH_DATABASE_URL (a database the bench may fill with schemas), else the
throwaway cluster of the test suite (tests/pg_server.py). --backends sqlite skips it.

Last line exactly:
`team: queue_100k_over_1k_sqlite=<x> queue_100k_over_1k_pg=<y> double_claims=<n> lost_updates=<m> workers_2_over_1=<r>`
Goals: both queue ratios <= 1.5, double_claims = 0, lost_updates = 0, workers_2_over_1 >= 1.6 (2 cores).
double_claims and lost_updates are summed over the backends run; workers_2_over_1 is the lower of
the backends' ratios.

Run: `.venv/bin/python bench/team.py [--sizes 1000,100000] [--backends sqlite,pg] [--repeat 5]
[--mt-stories 600] [--worker-repeat 3] [--no-queue]`
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue module (multiprocessing imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / ".cache" / "team"
PROCS = 8

ES = [
    "El gobierno discutió el presupuesto del próximo año en la sesión del jueves.",
    "Los ministros debatieron el gasto en educación hasta la noche.",
    "No se tomó ninguna decisión definitiva sobre los fondos de las escuelas rurales.",
    "Los expertos esperan que el déficit baje al tres por ciento el año que viene.",
    "La oposición exigió audiencias públicas antes de la votación final.",
    "La próxima sesión está prevista para el lunes por la mañana.",
    "El gobierno declinó hacer comentarios sobre las negociaciones con los sindicatos.",
    "Los vecinos del barrio esperan desde hace años la reparación del puente.",
]


# ---------------------------------------------------------------- desks on both backends


class Backend:
    """Where bench desks live: folders with SQLite stores, or schemas of one PostgreSQL database."""

    def __init__(self, name: str, url: str | None = None):
        self.name, self.url = name, url

    def store_for(self, folder: Path) -> str:
        if self.name == "sqlite":
            return ".translate/desk.db"
        schema = "bench_" + folder.name.replace("-", "_")
        return f"{self.url}{'&' if '?' in self.url else '?'}schema={schema}"

    def activate(self, folder: Path) -> None:
        """Point this process (and the processes it starts) at `folder`'s store: a PostgreSQL desk
        is named by TRANSLATE_DATABASE_URL (its URL carries the bench cluster's password, which
        workflow.yaml refuses)."""
        if self.name == "pg":
            os.environ["TRANSLATE_DATABASE_URL"] = self.store_for(folder)
        else:
            os.environ.pop("TRANSLATE_DATABASE_URL", None)

    def fresh(self, folder: Path, workflow_text: str) -> Path:
        """A new empty desk in `folder` (its PostgreSQL schema dropped)."""
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        if self.name == "pg":
            _reset_schema(self.url, "bench_" + folder.name.replace("-", "_"))
        self.activate(folder)
        (folder / "workflow.yaml").write_text(workflow_text, encoding="utf-8")
        return folder / "workflow.yaml"


def _conninfo(url: str) -> str:
    from translate.store.location import parse_location  # our `schema=` parameter removed

    return parse_location(url).conninfo


def _reset_schema(url: str, schema: str) -> None:
    """An empty desk schema: dropped here, created (with the migrations) when a store opens it."""
    import psycopg

    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _stories_in_schema(url: str, schema: str) -> int:
    """How many stories a desk schema holds (0 when it does not exist: a throwaway cluster
    started afresh has none of the copies an earlier run made)."""
    import psycopg

    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        if conn.execute("SELECT to_regclass(%s)", [f'"{schema}".stories']).fetchone()[0] is None:
            return 0
        return conn.execute(f'SELECT count(*) FROM "{schema}".stories').fetchone()[0]


def pg_url() -> tuple[str | None, object]:
    """A PostgreSQL URL for the bench and what to stop at the end (the test suite's cluster)."""
    url = os.environ.get("TRANSLATE_BENCH_DATABASE_URL")
    if url:
        return url, None
    sys.path.insert(0, str(ROOT / "tests"))
    import pg_server  # the test suite's throwaway cluster (initdb, scram-sha-256, own port)

    cluster = pg_server.start_cluster()
    return cluster.url, cluster


def team_workflow() -> str:
    """The template desk with eight translators (t0..t7) and the batch user."""
    from translate.config import TEMPLATE

    team = "team:\n  translators:\n"
    team += "".join(f"    t{i}: [ru-en, es-en]\n" for i in range(PROCS))
    team += "    ana: [ru-en]\n  editors:\n    eve: [ru-en, es-en]\n"
    team += "  batch:\n    nightly: []\n"
    start, end = TEMPLATE.index("team:\n"), TEMPLATE.index("\nrules:")
    text = TEMPLATE[:start] + team + TEMPLATE[end:]
    return text.replace("engines: [argos, apertium]", "engines: [apertium]")


def _open(workflow_path: Path):
    from translate.config import load_workflow
    from translate.store import open_store

    workflow = load_workflow(workflow_path)
    return workflow, open_store(workflow.store)


def add_stories(workflow_path: Path, n: int, translated: bool, tag: str) -> list[str]:
    """`n` Spanish stories of 8 sentences (machine drafts when `translated`)."""
    from translate.model import IngestedStory, Sentence, Unit
    from translate.store import SegmentState, StoryState

    workflow, store = _open(workflow_path)
    ids = []
    for k in range(n):
        title = f"Noticia {tag} {k}"
        body = ES[k % len(ES) :] + ES[: k % len(ES)]
        body = [*body[:-1], body[-1].rstrip(".") + f" ({tag}-{k})."]
        units = [
            Unit("headline", title, [Sentence(title)]),
            Unit("paragraph", " ".join(body), [Sentence(s, " ") for s in body]),
        ]
        story = IngestedStory(
            title=title, language="es", units=units, outlet="Bench", text_hash=uuid.uuid4().hex
        )
        sid = store.add_story(story)
        if translated:
            with store.write():
                for seg in store.segments(sid):
                    store.add_version(
                        seg["id"], sid, "EN " + seg["source"], origin="mt",
                        state=SegmentState.MACHINE, engine="bench",
                    )  # fmt: skip
                store.set_story_state(sid, StoryState.TRANSLATED)
        ids.append(sid)
    store.close()
    return ids


# ---------------------------------------------------------------- 1. queue listing


def _queue_bench_module():
    path = ROOT / "bench" / "queue.py"
    if not path.exists():
        raise SystemExit(
            "bench/team.py: bench/queue.py (the big-desk builder) is missing; it builds the "
            "1,000 and 100,000-story desks"
        )
    spec = importlib.util.spec_from_file_location("bench_queue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def queue_seconds(backend: Backend, size: int, repeat: int) -> float:
    """The best wall time of `translate --user ana queue` (as bench/queue.py times it) on its
    cached desk of `size` stories, or on a PostgreSQL copy of that desk."""
    bq = _queue_bench_module()
    folder = bq.desk(size, rebuild=False)  # bench/queue.py's desk (built once, cached)
    env = bq.env_for(folder)
    env.pop("TRANSLATE_DATABASE_URL", None)
    if backend.name == "pg":
        target = WORK / f"pg-queue-{size}"
        target.mkdir(parents=True, exist_ok=True)
        schema = "bench_" + target.name.replace("-", "_")
        if _stories_in_schema(backend.url, schema) != size:
            print(f"team: copying the {size:,}-story desk to PostgreSQL …", file=sys.stderr)
            _copy_to_pg(backend, folder, target)
        env["TRANSLATE_DATABASE_URL"] = backend.store_for(target)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "translate", "--user", "ana", "queue"],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        best = min(best, time.perf_counter() - t)
    return best


def jsonl_rss_mb(backend: Backend, size: int) -> float:
    """Peak RSS of `translate stories --jsonl` on the desk of `size` stories (after
    queue_seconds, which made the PostgreSQL copy): flat when the listing is streamed."""
    bq = _queue_bench_module()
    folder = bq.desk(size, rebuild=False)
    env = bq.env_for(folder)
    env.pop("TRANSLATE_DATABASE_URL", None)
    if backend.name == "pg":
        env["TRANSLATE_DATABASE_URL"] = backend.store_for(WORK / f"pg-queue-{size}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "translate", "stories", "--jsonl"],
        env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"team: stories --jsonl failed on the {backend.name} desk of {size}")
    return usage.ru_maxrss / 1024


def _copy_to_pg(backend: Backend, folder: Path, target: Path) -> None:
    """A SQLite desk copied into a PostgreSQL schema of its own (`translate store copy`)."""
    sqlite_path = folder / ".translate" / "desk.db"
    _reset_schema(backend.url, "bench_" + target.name.replace("-", "_"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRANSLATE_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "translate", "store", "copy", str(sqlite_path),
         backend.store_for(target)],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


# ---------------------------------------------------------------- 2. claims


def _claimer(workflow_path: str, user: str, barrier, results) -> None:
    from translate.review import claim_next

    workflow, store = _open(Path(workflow_path))
    got = []
    barrier.wait()
    try:
        while (claimed := claim_next(store, workflow, user)) is not None:
            got.append(claimed["story"])
        results.put((user, got, None))
    except BaseException as exc:  # noqa: BLE001 - report, never leave the parent waiting
        results.put((user, got, repr(exc)))
    finally:
        store.close()


def _race(target, args_for) -> tuple[list, float]:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCS + 1), ctx.Queue()
    procs = [
        ctx.Process(target=target, args=(*args_for(i), barrier, results)) for i in range(PROCS)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    t = time.perf_counter()
    got = [results.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - t
    for p in procs:
        p.join(timeout=60)
    return got, elapsed


def claims(backend: Backend, stories: int) -> tuple[float, int]:
    folder = WORK / f"{backend.name}-claims"
    path = backend.fresh(folder, team_workflow())
    ids = add_stories(path, stories, translated=True, tag="c")
    got, elapsed = _race(_claimer, lambda i: (str(path), f"t{i}"))
    errors = [e for _u, _g, e in got if e]
    if errors:
        raise SystemExit(f"team: a claimer failed: {errors[0]}")
    claimed = [sid for _u, g, _e in got for sid in g]
    _workflow, store = _open(path)
    events = sum(1 for sid in ids for e in store.events(sid) if e["action"] == "claim")
    store.close()
    double = (len(claimed) - len(set(claimed))) + (events - len(set(claimed)))
    if set(claimed) != set(ids):
        print(f"team: {len(set(ids) - set(claimed))} stories never claimed", file=sys.stderr)
    return len(claimed) / elapsed, double


# ---------------------------------------------------------------- 3. racing edits


def _editor(workflow_path: str, sid: str, base: int, text: str, barrier, results) -> None:
    from translate.review import EditConflict, edit_segment

    workflow, store = _open(Path(workflow_path))
    barrier.wait()
    try:
        version = edit_segment(store, workflow, sid, 2, text, "t0", base)
        results.put((text, version, None))
    except EditConflict:
        results.put((text, None, None))
    except BaseException as exc:  # noqa: BLE001
        results.put((text, None, repr(exc)))
    finally:
        store.close()


def lost_updates(backend: Backend, races: int) -> int:
    from translate.review import claim

    folder = WORK / f"{backend.name}-edits"
    path = backend.fresh(folder, team_workflow())
    lost = 0
    for r in range(races):
        (sid,) = add_stories(path, 1, translated=True, tag=f"e{r}")
        workflow, store = _open(path)
        claim(store, workflow, sid, "t0")
        seg = store.segment(sid, 2)
        store.close()
        got, _elapsed = _race(
            _editor, lambda i, sid=sid, base=seg["version_id"], r=r: (
                str(path), sid, base, f"Race {r} edit {i}.")
        )  # fmt: skip
        winners = [(text, v) for text, v, e in got if v is not None]
        if any(e for _t, _v, e in got):
            raise SystemExit(f"team: an editor failed: {[e for _t, _v, e in got if e][0]}")
        _workflow, store = _open(path)
        texts = {v["text"] for v in store.versions(seg["id"])}
        store.close()
        lost += (len(winners) != 1) + sum(1 for text, _v in winners if text not in texts)
    return lost


# ---------------------------------------------------------------- 4. workers


def _pin(core: int):
    """A preexec_fn holding a worker (and the engine processes it starts) to one core."""
    return lambda: os.sched_setaffinity(0, {core})


def workers_seconds(backend: Backend, stories: int, n: int, pinned: bool) -> float:
    folder = WORK / f"{backend.name}-workers-{n}{'-pinned' if pinned else ''}"
    path = backend.fresh(folder, team_workflow())
    add_stories(path, stories, translated=False, tag=f"w{n}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRANSLATE_WORKFLOW": str(path)}
    env["TRANSLATE_USER"] = "nightly"
    env.pop("TRANSLATE_NOW", None)
    (folder / "inbox").mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "translate", "batch", "--worker", "--lease", "30s"]
    t = time.perf_counter()
    cores = sorted(os.sched_getaffinity(0))
    procs = [
        subprocess.Popen(
            cmd + ["--run", f"bench-{n}"], env=env, stderr=subprocess.PIPE, text=True,
            preexec_fn=_pin(cores[i % len(cores)]) if pinned else None,
        )
        for i in range(n)
    ]  # fmt: skip
    for p in procs:
        _out, err = p.communicate()
        if p.returncode not in (0, 3):
            raise SystemExit(f"team: a worker failed: {err.strip().splitlines()[-1:]}")
        if p.returncode == 3:
            print(
                f"team: a worker reported failures: {err.strip().splitlines()[-3:]}",
                file=sys.stderr,
            )
    elapsed = time.perf_counter() - t
    _workflow, store = _open(path)
    done = sum(
        1 for s in store.stories() if store.translated_segment_count(s["id"]) == s["segments"]
    )
    store.close()
    if done != stories:
        raise SystemExit(f"team: {stories - done} stories left untranslated by {n} worker(s)")
    return elapsed


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,100000")
    ap.add_argument("--backends", default="sqlite,pg")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--claim-stories", type=int, default=400)
    ap.add_argument("--races", type=int, default=10)
    ap.add_argument("--mt-stories", type=int, default=600)
    ap.add_argument("--worker-repeat", type=int, default=3, help="runs of each workers set-up")
    ap.add_argument("--no-queue", action="store_true", help="skip the queue listing (prints nan)")
    args = ap.parse_args()
    small, big = (int(s) for s in args.sizes.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    backends = [Backend("sqlite")]
    cluster = None
    if "pg" in args.backends.split(","):
        url, cluster = pg_url()
        backends.append(Backend("pg", url))
    ratios: dict[str, float] = {}
    double = lost = 0
    workers_ratio = float("nan")
    try:
        for backend in backends:
            if not args.no_queue:
                t_small = queue_seconds(backend, small, args.repeat)
                t_big = queue_seconds(backend, big, args.repeat)
                ratios[backend.name] = t_big / t_small
                print(
                    f"team: {backend.name} queue {small:,}: {t_small * 1000:.0f} ms, "
                    f"{big:,}: {t_big * 1000:.0f} ms",
                    file=sys.stderr,
                )
                rss_small, rss_big = jsonl_rss_mb(backend, small), jsonl_rss_mb(backend, big)
                print(
                    f"team: {backend.name} stories --jsonl peak RSS {small:,}: {rss_small:.0f} MB, "
                    f"{big:,}: {rss_big:.0f} MB, ratio {rss_big / rss_small:.2f}",
                    file=sys.stderr,
                )
            rate, d = claims(backend, args.claim_stories)
            double += d
            print(
                f"team: {backend.name} claims/s with {PROCS} processes: {rate:.0f}", file=sys.stderr
            )
            lost += lost_updates(backend, args.races)
            if shutil.which("apertium") is None:
                raise SystemExit("team: apertium is not installed (scripts/setup installs it)")
            if len(os.sched_getaffinity(0)) < 2:
                raise SystemExit("team: the workers part needs two cores")
            # the package's bytecode, as a user's machine has it after the first run (this
            # workplace sets PYTHONDONTWRITEBYTECODE, so every worker would compile ~150 modules)
            compileall.compile_dir(str(ROOT / "translate"), quiet=1)
            for pinned in (False, True):
                # the goal's set-up alternated, best of --worker-repeat: this host's speed
                # drifts by up to 2x within minutes (the same CPU loop took 1.2 s and 2.0 s), so
                # one run of each compares two moments, not two set-ups (the other: one run)
                ones, twos = [], []
                for _ in range(max(1, args.worker_repeat) if pinned else 1):
                    ones.append(workers_seconds(backend, args.mt_stories, 1, pinned))
                    twos.append(workers_seconds(backend, args.mt_stories, 2, pinned))
                one, two = min(ones), min(twos)
                print(
                    f"team: {backend.name} batch of {args.mt_stories} stories, "
                    f"{'a core per worker' if pinned else 'workers free on both cores'}: "
                    f"1 worker {one:.1f} s, 2 workers {two:.1f} s, ratio {one / two:.2f}",
                    file=sys.stderr,
                )
            # the last line carries the lower ratio of the backends run
            workers_ratio = (
                one / two if workers_ratio != workers_ratio else min(workers_ratio, one / two)
            )
    finally:
        if cluster is not None:
            cluster.stop()
    fmt = lambda x: f"{x:.2f}" if x == x else "nan"  # noqa: E731
    print(
        f"team: queue_100k_over_1k_sqlite={fmt(ratios.get('sqlite', float('nan')))} "
        f"queue_100k_over_1k_pg={fmt(ratios.get('pg', float('nan')))} "
        f"double_claims={double} lost_updates={lost} workers_2_over_1={fmt(workers_ratio)}"
    )


if __name__ == "__main__":
    main()
