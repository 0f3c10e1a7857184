"""Reading a file's bytes as text: size limit, empty and binary files, encoding detection."""

from __future__ import annotations

import stat
from pathlib import Path

from translate.errors import DeskError
from translate.i18n import _


class IngestError(DeskError):
    """A file that cannot be ingested; the message names the file (and line or field)."""


def special_kind(mode: int) -> str | None:
    """What a non-regular, non-folder file is ("a FIFO (named pipe)", ...), None for a regular
    file or a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("not a regular file")


def refuse_special(path: Path) -> None:
    """Only regular files are read: a FIFO, device or socket would block or never end."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    kind = special_kind(mode)
    if kind is not None:
        raise IngestError(
            _("{path}: {kind}, not a regular file; only regular files are ingested").format(
                path=path, kind=kind
            )
        )


def read_text(path: Path, max_size: int) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 (with or without BOM) first, then detection for legacy
    encodings such as cp1251, KOI8-R and latin-1. Regular files only."""
    refuse_special(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IngestError(_("{path}: no such file or folder").format(path=path)) from None
    if size > max_size:
        raise IngestError(
            _(
                "{path}: {size} bytes is over the ingest size limit of {limit} bytes "
                "(ingest.max_file_size in workflow.yaml)"
            ).format(path=path, size=size, limit=max_size)
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: {exc.strerror}") from None
    if not data.strip():
        raise IngestError(_("{path}: the file is empty").format(path=path))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: NUL bytes are normal
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
        if text is not None and "\x00" not in text:
            if not text.strip():
                raise IngestError(_("{path}: the file is empty").format(path=path))
            return text, "utf_16"
    if b"\x00" in data[:8192]:
        raise IngestError(_("{path}: a binary file, not a story").format(path=path))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(
        data,
        cp_isolation=[
            "cp1251",
            "koi8_r",
            "latin_1",
            "cp1252",
            "iso8859_5",
            "mac_cyrillic",
            "iso8859_15",
            "utf_16",
        ],
    ).best()
    if best is None or best.encoding is None or best.chaos > 0.3:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise IngestError(
            _(
                "{path}:{line}: bytes that no known encoding decodes (not UTF-8, cp1251, KOI8-R or "
                "latin-1)"
            ).format(path=path, line=line)
        )
    text = str(best)
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(2, len(text) // 200):
        raise IngestError(_("{path}: a binary file, not a story").format(path=path))
    return text, best.encoding
