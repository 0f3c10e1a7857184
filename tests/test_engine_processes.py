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
    for stream in engine._running.values():  # as when its programs were killed
        stream.pipeline.kill()
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text == first
    engine.close()


def test_a_pipeline_outlives_the_thread_that_first_used_it():
    """The death signal follows the thread that starts a process (seen with two batch workers:
    'apertium spa-eng failed: exit status -9' once a job's worker thread had ended). The engine's
    own spawner thread starts its pipelines, so the thread that asked first may end: the next
    thread gets the same, living programs."""
    import threading
    import time

    from translate.engines.apertium import ApertiumEngine

    engine = ApertiumEngine()
    texts: list[str] = []
    worker = threading.Thread(
        target=lambda: texts.append(engine.translate_batch(["Hola mundo."], "es", "en")[0].text)
    )
    worker.start()
    worker.join()
    (stream,) = engine._running.values()
    pids = [p.pid for p in stream.pipeline.procs]
    time.sleep(0.2)  # a killed program would be gone by now
    assert stream.pipeline.alive()
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text == texts[0]
    (again,) = engine._running.values()
    assert [p.pid for p in again.pipeline.procs] == pids
    engine.close()
    assert engine._running == {} and not any(p.poll() is None for p in stream.pipeline.procs)


def test_threads_sharing_a_pipeline_get_their_own_answers():
    """`translate mt` sends the next wave from a second thread while the first reads this one's
    answers: each caller gets exactly the translations of its own sentences, as if alone."""
    import threading

    from translate.engines.apertium import ApertiumEngine

    batches = [
        [f"El gobierno aprobó {n} leyes nuevas el lunes." for n in range(k, k + 40)]
        for k in range(0, 240, 40)
    ]
    alone = ApertiumEngine()
    expected = [[t.text for t in alone.translate_batch(b, "es", "en")] for b in batches]
    alone.close()

    engine = ApertiumEngine()
    got: dict[int, list[str]] = {}
    gate = threading.Barrier(len(batches))

    def ask(i: int) -> None:
        gate.wait()
        got[i] = [t.text for t in engine.translate_batch(batches[i], "es", "en")]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[i] for i in range(len(batches))] == expected
    assert len(engine._running) == 1  # one pipeline served them all
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
    (stream,) = engine._running.values()
    pipeline = stream.pipeline
    assert [os.getpriority(os.PRIO_PROCESS, p.pid) for p in pipeline.procs] == [
        min(19, mine + ENGINE_NICE)
    ] * len(pipeline.procs)
    engine.close()

    plain = ApertiumEngine()  # the checks' back-translations are waited for: normal priority
    plain.translate_batch(["Hola mundo."], "es", "en")
    (stream,) = plain._running.values()
    pipeline = stream.pipeline
    assert {os.getpriority(os.PRIO_PROCESS, p.pid) for p in pipeline.procs} == {mine}
    plain.close()


def test_answers_read_past_a_request_wait_for_the_next_one():
    """One read may bring the start of the next request's answers: it is carried to that one."""
    import types

    from translate.engines.procs import read_blocks

    read_end, write_end = os.pipe()
    os.write(write_end, b"one\0two\0thr")
    fake = types.SimpleNamespace(stdout=os.fdopen(read_end, "rb"))
    out, found, carry = read_blocks(fake, 1)
    assert (out, found, carry) == (b"one\0", 1, b"two\0thr")
    os.write(write_end, b"ee\0")
    os.close(write_end)
    out, found, carry = read_blocks(fake, 2, carry)
    assert (out, found, carry) == (b"two\0three\0", 2, b"")
    assert read_blocks(fake, 1) == (b"", 0, b"")  # the pipeline ended
    fake.stdout.close()


def test_a_pipeline_dying_under_queued_requests_fails_each_of_them_once():
    """Requests queued behind one whose pipeline died get an error too (never a wait for answers
    that will not come), and the next request starts a new pipeline."""
    import threading

    from translate.engines.apertium import ApertiumEngine
    from translate.engines.base import EngineError

    engine = ApertiumEngine()
    engine._pipelines["spa-eng"] = [["sh", "-c", "head -c 40 >/dev/null; exit 3"]]
    errors: list[str] = []
    gate = threading.Barrier(3)

    def ask() -> None:
        gate.wait()
        try:
            engine.translate_batch(["Hola mundo."] * 20, "es", "en")
        except EngineError as exc:
            errors.append(exc.message)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert len(errors) == 3 and all("apertium spa-eng" in e for e in errors)
    del engine._pipelines["spa-eng"]  # the real programs again: a new pipeline serves
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text
    engine.close()


def test_prepare_starts_the_pipeline_the_first_wave_then_uses():
    """`translate mt` asks the engine to start its programs while it loads the glossary."""
    from translate.engines.apertium import ApertiumEngine

    engine = ApertiumEngine()
    engine.prepare("ru", "xx")  # no such pair: nothing starts, nothing raised
    assert engine._running == {}
    engine.prepare("es", "en")
    (stream,) = engine._running.values()
    pids = [p.pid for p in stream.pipeline.procs]
    assert stream.pipeline.alive() and len(pids) >= 8
    assert engine.translate_batch(["Hola mundo."], "es", "en")[0].text.startswith("Hello")
    assert [p.pid for p in next(iter(engine._running.values())).pipeline.procs] == pids
    engine.close()


def test_close_ends_a_pipeline_whose_request_nobody_reads():
    """A job stopped between sending a wave and reading it (an error elsewhere, Ctrl-C) leaves a
    request that fills the pipes: closing the engine ends the programs instead of waiting on it."""
    import time

    from translate.engines.apertium import ApertiumEngine
    from translate.engines.procs import feed

    engine = ApertiumEngine()
    engine._pipelines["spa-eng"] = [["sleep", "60"]]  # reads nothing: the pipe fills
    engine.close_wait = 0.5
    stream = engine._stream("spa-eng")
    stream.writer = feed(stream.pipeline.stdin, b"x" * (4 << 20), close=False)
    started = time.monotonic()
    engine.close()
    assert time.monotonic() - started < 5
    assert not stream.writer.is_alive()
    assert all(p.poll() is not None for p in stream.pipeline.procs)
