"""A lock file so that only one nightly batch runs per desk.

The file (`batch.lock` beside the store) holds the pid, host and start time of the batch that owns
it. Ownership is an exclusive `flock` on the open file, which the kernel drops when the process
dies however it dies (kill -9 included): a lock file left by a dead batch is therefore stale by
construction, and the next batch takes it over and says so. A second batch while one runs fails
at once with ExitCode.BUSY naming the running pid. On exit the file is emptied, not deleted.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path

from translate.clock import now_iso
from translate.errors import DeskError, ExitCode
from translate.i18n import _


class BusyError(DeskError):
    exit_code = ExitCode.BUSY


class BatchLock:
    """`with BatchLock(path) as lock:` — `lock.stale` holds what a dead previous owner left."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.stale: dict | None = None
        self._fd: int | None = None

    def _read(self, fd: int) -> dict:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096).decode("utf-8", "replace").strip()
        if not raw:
            return {}
        try:
            data = json.loads(raw)
            return data if isinstance(data, dict) else {}
        except json.JSONDecodeError:
            return {"pid": int(raw)} if raw.isdigit() else {}

    def acquire(self) -> BatchLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held = self._read(fd)
            os.close(fd)
            raise BusyError(
                _(
                    "another batch is running (pid {pid}, started {at}); lock file {path}. "
                    "Wait for it to finish."
                ).format(pid=held.get("pid", "?"), at=held.get("started", "?"), path=self.path)
            ) from None
        previous = self._read(fd)
        if previous.get("pid") and previous.get("pid") != os.getpid():
            # We hold the flock, so the process named in the file is gone: a stale lock.
            self.stale = previous
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": now_iso()}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(info) + "\n").encode())
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        # The file stays (emptied): unlinking it would let a process that opened the old inode
        # and a process that creates a new one both believe they hold the lock.
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BatchLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
