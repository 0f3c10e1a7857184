"""Child processes that die with the desk: engine pipelines under SIGKILL, timeouts and crashes.

`translate mt` or `batch` killed with SIGKILL cannot clean up, so every process an engine starts is
made to die with it: on Linux each child asks the kernel for SIGKILL when its parent dies
(`prctl(PR_SET_PDEATHSIG)`). The stage is started through util-linux's `setpriv --pdeathsig KILL`
(which sets it and execs the program), so Python can spawn it with vfork; without setpriv a
`preexec_fn` calls prctl itself (forking a large process that way costs ~70 ms a stage) and a child
whose parent is already gone exits at once. Each stage of a pipeline is started by the desk itself
(not through a shell), so every stage is a direct child and gets the signal. Elsewhere (no prctl)
the stages are at least put in their own process group, which `Pipeline.kill` ends on a timeout or
an error.

The death signal is tied to the thread that started the child, not to the process: a `Spawner`
starts an engine's pipelines from a thread of its own that lives until the engine closes, so any
thread may use them meanwhile (a job's worker threads, a batch worker's next job).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import IO

PR_SET_PDEATHSIG = 1


def _death_signal_setup(parent: int) -> Callable[[], None] | None:
    """A preexec_fn asking for SIGKILL when the parent dies (Linux); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def setup() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: do not outlive it
            os._exit(1)

    return setup


class Pipeline:
    """`cmd1 | cmd2 | …` started as direct children that die with this process.

    `stdin` of the first and `stdout` of the last stage are pipes; the stages' stderr goes to one
    temporary file (read with `errors()`), so no stage can block on a full stderr pipe.
    """

    def __init__(self, commands: Sequence[Sequence[str]], nice: int = 0):
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        self.procs: list[subprocess.Popen] = []
        setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
        wrap = [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []
        setup = None if setpriv else _death_signal_setup(os.getpid())
        previous = subprocess.PIPE
        try:
            for i, command in enumerate(commands):
                last = i == len(commands) - 1
                proc = subprocess.Popen(
                    [*wrap, *command],
                    stdin=previous,
                    stdout=subprocess.PIPE,
                    stderr=self._stderr,
                    preexec_fn=setup,
                    # one process group for the whole pipeline (led by the first stage)
                    process_group=self.procs[0].pid if self.procs else 0,
                    close_fds=True,
                )
                if self.procs:
                    assert self.procs[-1].stdout is not None
                    self.procs[-1].stdout.close()  # the next stage holds it now
                self.procs.append(proc)
                if nice:
                    _lower_priority(proc.pid, nice)
                previous = proc.stdout if not last else previous
        except BaseException:
            self.kill()
            raise
        self.stdin = self.procs[0].stdin
        self.stdout = self.procs[-1].stdout

    def alive(self) -> bool:
        return all(proc.poll() is None for proc in self.procs)

    def kill(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    proc.kill()
                except OSError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
                pass

    def wait(self, timeout: float | None = None) -> list[int]:
        """Exit statuses; stages still running after `timeout` seconds are killed."""
        try:
            return [proc.wait(timeout=timeout) for proc in self.procs]
        except subprocess.TimeoutExpired:
            self.kill()
            return [proc.wait() for proc in self.procs]

    def close_input(self) -> None:
        if self.stdin is not None:
            try:
                self.stdin.close()
            except OSError:
                pass

    def errors(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        self.kill()
        for stream in (self.stdin, self.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._stderr.close()


def _lower_priority(pid: int, nice: int) -> None:
    """Raise a child's nice value (any user may lower the priority of their own processes)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, pid) + nice))
    except (OSError, AttributeError):
        pass  # a child that already ended, or a platform without priorities


def feed(
    stream: IO[bytes], data: bytes, close: bool = True, after: threading.Thread | None = None
) -> threading.Thread:
    """Write `data` to `stream` from a thread (so the caller can read the other end); then close
    it, or flush it when the pipeline stays open for more. `after`: an earlier feed that must
    have written everything first (requests queued into one pipeline keep their order)."""

    def write() -> None:
        if after is not None:
            after.join()
        try:
            stream.write(data)
            stream.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the pipeline died: its exit status and stderr tell why
        finally:
            if close:
                try:
                    stream.close()
                except OSError:
                    pass

    thread = threading.Thread(target=write, name="engine-feed", daemon=True)
    thread.start()
    return thread


def read_blocks(pipeline: Pipeline, blocks: int, carry: bytes = b"") -> tuple[bytes, int, bytes]:
    """Read from a null-flush pipeline until `blocks` NULs came back or it ended: (the answer, up
    to and including its last NUL; the NULs in it; what came after them). `carry` is what an
    earlier read got beyond its own answer: the start of this one's (requests queued into one
    pipeline are answered in order)."""
    buf = bytearray(carry)
    found = buf.count(0)
    fd = pipeline.stdout.fileno()
    while found < blocks:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        buf += chunk
        found += chunk.count(0)
    if found <= blocks:
        return bytes(buf), found, b""
    end = -1
    for _ in range(blocks):
        end = buf.index(0, end + 1)
    return bytes(buf[: end + 1]), blocks, bytes(buf[end + 1 :])


def round_trip(pipeline: Pipeline, data: bytes, blocks: int) -> tuple[bytes, int]:
    """Send `data` (NUL-terminated blocks) into a null-flush pipeline that stays open and read
    until `blocks` NULs came back or the pipeline ended: (what came back, NULs counted)."""
    writer = feed(pipeline.stdin, data, close=False)
    out, found, rest = read_blocks(pipeline, blocks)
    writer.join()
    return out + rest, found + rest.count(0)


class Spawner:
    """A thread that starts pipelines and lives until `stop()`: their programs die with it
    (PR_SET_PDEATHSIG follows the thread that started them), not with whichever thread asked
    first, so every thread may use them until then — a job's worker threads, the next job's."""

    def __init__(self, name: str = "engine-spawner"):
        self.name = name
        self._requests: deque = deque()  # (commands, nice, Future) to start; None: end
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def pipeline(self, commands: Sequence[Sequence[str]], nice: int = 0) -> Pipeline:
        """A new Pipeline of `commands`, started from the spawner's thread."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name=self.name, daemon=True)
                self._thread.start()
        done: Future = Future()
        self._put((commands, nice, done))
        return done.result()

    def _put(self, request) -> None:
        with self._ready:
            self._requests.append(request)
            self._ready.notify()

    def _serve(self) -> None:
        while True:
            with self._ready:
                while not self._requests:
                    self._ready.wait()
                request = self._requests.popleft()
            if request is None:
                return
            commands, nice, done = request
            try:
                done.set_result(Pipeline(commands, nice=nice))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                done.set_exception(exc)

    def stop(self, wait: bool = True) -> None:
        """End the thread (after the pipelines it started have been closed)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._put(None)
            if wait:
                thread.join()


class NullFlushProcess:
    """A program in null-flush mode kept for the process's lifetime (e.g. `lt-proc -z`): each
    request is NUL-terminated blocks in, as many NUL-terminated blocks out; restarted if it died."""

    def __init__(self, command: Sequence[str]):
        self.command = list(command)
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the program now (it starts on the first request otherwise)."""
        with self._lock:
            self._running()

    def _running(self) -> Pipeline:
        """The program's pipeline, started (again, if it died); call with the lock held."""
        if self._pipeline is not None and not self._pipeline.alive():
            self.close()
        if self._pipeline is None:
            self._pipeline = Pipeline([self.command])
        return self._pipeline

    def ask(self, blocks: Sequence[str]) -> list[str] | None:
        """The answers to `blocks`, or None when the program failed (it is restarted next time)."""
        if not blocks:
            return []
        data = "".join(b.replace("\0", " ") + "\0" for b in blocks).encode("utf-8")
        with self._lock:
            try:
                out, found = round_trip(self._running(), data, len(blocks))
            except OSError:
                out, found = b"", -1
            if found != len(blocks):
                self.close()
                return None
        return [b.decode("utf-8", "replace") for b in out.split(b"\0")[: len(blocks)]]

    def close(self) -> None:
        if self._pipeline is not None:
            self._pipeline.close()
            self._pipeline = None
