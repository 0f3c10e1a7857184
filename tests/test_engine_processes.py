"""Engine processes die with the desk: SIGKILL of `translate mt` leaves no Apertium stage behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _kill_and_collect(script: str, wait_for: int) -> tuple[set[int], set[int]]:
    """Run `script` in a fresh Python, wait for `wait_for` descendants, SIGKILL it; returns the
    descendants seen and those still alive a moment later."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"started"
        seen: set[int] = set()
        for _attempt in range(200):
            seen = _children(proc.pid)
            if len(seen) >= wait_for:
                break
            time.sleep(0.05)
        assert len(seen) >= wait_for, seen
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        left = _alive(seen)
        for _attempt in range(100):  # the kernel delivers the death signal at once; allow a moment
            if not left:
                break
            time.sleep(0.05)
            left = _alive(seen)
        return seen, left
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_pipeline_stages_die_with_their_parent():
    # `sleep` ignores its stdin: without the death signal both would outlive a SIGKILLed parent
    script = (
        "from translate.engines.procs import Pipeline\n"
        "p = Pipeline([['sleep', '60'], ['sleep', '61']])\n"
        "print('started', flush=True)\n"
        "p.wait()\n"
    )
    seen, left = _kill_and_collect(script, 2)
    try:
        assert left == set()
    finally:
        for pid in left:
            os.kill(pid, signal.SIGKILL)


def test_sigkill_of_an_apertium_job_leaves_no_apertium_process():
    script = (
        "from translate.engines.apertium import ApertiumEngine\n"
        "engine = ApertiumEngine()\n"
        "print('started', flush=True)\n"
        "engine.translate_batch(['Las orquídeas de Santa Rita han atraído a quienes migraron.']"
        " * 200000, 'es', 'en')\n"
    )
    seen, left = _kill_and_collect(script, 8)
    names = {Path(f"/proc/{pid}/comm").read_text().strip() for pid in left}
    try:
        assert left == set(), names
    finally:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    assert len(seen) >= 8  # the mode's programs were running as the job's own children


def test_a_pipeline_that_ended_between_jobs_is_started_again():
    from translate.engines.apertium import ApertiumEngine

    engine = ApertiumEngine()
    first = engine.translate_batch(["Hola mundo."], "es", "en")[0].text
    for pipeline in engine._running.values():  # as when the thread that started it has ended
        pipeline.kill()
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text == first
    engine.close()


def test_a_pipeline_started_by_another_thread_is_not_reused():
    """Its death signal follows the thread that started it: once a job's worker thread ends, the
    kernel may kill the pipeline at any moment, even after a liveness check (seen with two batch
    workers: 'apertium spa-eng failed: exit status -9'). Another thread starts its own."""
    import threading

    from translate.engines.apertium import ApertiumEngine

    engine = ApertiumEngine()
    texts: list[str] = []
    started, release = threading.Event(), threading.Event()

    def job() -> None:
        texts.append(engine.translate_batch(["Hola mundo."], "es", "en")[0].text)
        started.set()
        release.wait(30)  # still alive: its pipeline is alive too

    worker = threading.Thread(target=job)
    worker.start()
    assert started.wait(30)
    earlier = list(engine._running.values())
    assert earlier and all(p.alive() for p in earlier)
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text == texts[0]
    assert not set(map(id, engine._running.values())) & set(map(id, earlier))
    release.set()
    worker.join()
    engine.close()


def test_an_engine_working_in_the_background_yields_the_cpu_to_the_desk():
    """`translate mt` stores and checks one wave while Apertium translates the next ones: the
    pipeline's programs run at a lower priority, so the work the job waits for comes first."""
    from translate.engines.apertium import ApertiumEngine
    from translate.mt import ENGINE_NICE

    engine = ApertiumEngine()
    engine.nice = ENGINE_NICE
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    (pipeline,) = engine._running.values()
    assert [os.getpriority(os.PRIO_PROCESS, p.pid) for p in pipeline.procs] == [
        min(19, mine + ENGINE_NICE)
    ] * len(pipeline.procs)
    engine.close()

    plain = ApertiumEngine()  # the checks' back-translations are waited for: normal priority
    plain.translate_batch(["Hola mundo."], "es", "en")
    (pipeline,) = plain._running.values()
    assert {os.getpriority(os.PRIO_PROCESS, p.pid) for p in pipeline.procs} == {mine}
    plain.close()
