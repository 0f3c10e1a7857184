"""A real pseudo-terminal (pexpect) read through a terminal emulator (pyte), so that tests assert what a
person sees on a full-screen application that redraws in place, not the escape codes it writes."""

from __future__ import annotations

import os
import re
import sys
import time

import pexpect
import pyte


class Term:
    def __init__(self, args: list[str], rows: int, cols: int, env: dict[str, str | None]):
        environ = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
        environ.pop("VISUAL", None)
        for key, value in env.items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        self.rows, self.cols = rows, cols
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""
        self.eof = False
        self.child = pexpect.spawn(
            sys.executable, ["-m", "translate", *args], env=environ, dimensions=(rows, cols)
        )

    def pump(self, timeout: float = 0.1) -> bool:
        if self.eof:
            return False
        try:
            data = self.child.read_nonblocking(65536, timeout)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            self.eof = True
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait(self, pattern: str, limit: float = 30.0) -> re.Match:
        r"""Wait until `pattern` (a regex) is on the screen (lines joined by newlines, so `\s+`
        also matches where a message wraps); fail with the screen when it never is."""
        deadline = time.monotonic() + limit
        while True:
            found = re.search(pattern, self.text)
            if found:
                return found
            if time.monotonic() > deadline or (self.eof and not self.pump()):
                raise AssertionError(f"{pattern!r} never appeared; the screen:\n{self.text}")
            self.pump()

    def gone(self, pattern: str, limit: float = 30.0) -> None:
        """Wait until `pattern` is no longer on the screen."""
        deadline = time.monotonic() + limit
        while re.search(pattern, self.text):
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} stayed on the screen:\n{self.text}")
            self.pump()

    def settle(self) -> None:
        """Read until the program has written nothing for a moment."""
        while self.pump(0.3):
            pass

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self, limit: float = 30.0) -> int:
        deadline = time.monotonic() + limit
        while not self.eof and time.monotonic() < deadline:
            self.pump(0.5)
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -1

    @property
    def output(self) -> str:
        """Everything written, escape codes removed (for what is printed after the screen closes)."""
        text = self.raw.decode("utf-8", "replace")
        return re.sub(
            r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>78])", "", text
        )
