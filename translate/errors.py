"""The desk's exit-code contract and the one error type every stage raises.

Exit codes (documented in README and docs/exit-codes.md):
  0 ok, 1 error, 2 usage, 3 finished with some failures, 4 busy (another batch holds the lock),
  5 conflict (an edit based on a stale version), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    PARTIAL = 3
    BUSY = 4
    CONFLICT = 5
    INTERRUPTED = 130


class DeskError(Exception):
    """A failure the user can act on: printed as one line, exits non-zero.

    `message` is already translated (built with `_()` at the raise site).
    """

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, exit_code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(DeskError):
    exit_code = ExitCode.USAGE


class ConflictError(DeskError):
    exit_code = ExitCode.CONFLICT


class RoleError(DeskError):
    """Refused because of who is asking: not on the team, not in the role or pair the action needs.
    Exits 1 like any error; the web front answers 403 and logs the attempt."""


class ConnectionLost(DeskError):
    """The store's server went away mid-command: the open transaction was rolled back, so running
    the command again applies it exactly once."""
