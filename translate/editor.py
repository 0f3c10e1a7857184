"""Editing one translation in the user's own editor (the review screen's `E`).

The file shows the source as comment lines above the draft; lines starting with '#' at the top are
dropped on save (like a git commit message), so a translation that itself starts with '#' survives
below them. The editor is $VISUAL, else $EDITOR, else the first of sensible-editor, editor, nano and
vi found on PATH. Debian's sensible-editor starts an interactive chooser (select-editor) when it has
no choice recorded; we name one for it (SELECTED_EDITOR=editor, the system's alternative), so it never
asks. Like git, the command runs through the shell, so EDITOR may carry options ("code --wait").
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

from translate.errors import DeskError
from translate.i18n import _

FALLBACKS = ("sensible-editor", "editor", "nano", "vi")


def compose(source: str, draft: str, heading: str, width: int = 72) -> str:
    """The file the editor opens: `heading` and the source as '# ' lines, then the draft."""
    lines = [f"# {heading}", "# " + _("Lines starting with '#' up here are dropped."), "#"]
    lines += [
        "# " + line
        for line in textwrap.wrap(source, width=width - 2, break_on_hyphens=False) or [""]
    ]
    lines.append("#")
    return "\n".join(lines) + "\n" + draft + "\n"


def strip_comments(text: str) -> str:
    """The translation in an edited file: leading comment ('#', '# ...') and blank lines dropped,
    the rest joined into one line (a segment is one sentence)."""
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0] == "#" or lines[0].startswith("# ")):
        lines.pop(0)
    return " ".join(" ".join(lines).split())


def editor_command(
    env: Mapping[str, str] | None = None, which: Callable[[str], str | None] = shutil.which
) -> tuple[str, dict[str, str]]:
    """The shell command that starts the editor, and the variables to add to its environment."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        if (env.get(name) or "").strip():
            return env[name], {}
    for name in FALLBACKS:
        path = which(name)
        if path:
            extra = {}
            if name == "sensible-editor" and not env.get("SELECTED_EDITOR"):
                extra["SELECTED_EDITOR"] = "editor"  # never select-editor's interactive chooser
            return shlex.quote(path), extra
    raise DeskError(_("no editor found: set EDITOR (or VISUAL) to the editor you use"))


def edit_text(initial: str) -> str | None:
    """Open `initial` in the editor; the saved text, or None when the editor failed."""
    command, extra = editor_command()
    fd, name = tempfile.mkstemp(prefix="translate-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(initial)
        env = {**os.environ, **extra}
        code = subprocess.call(f"{command} {shlex.quote(str(path))}", shell=True, env=env)
        if code != 0:
            raise DeskError(
                _("the editor exited with status {code}; nothing saved").format(code=code)
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
