"""Safe file names and atomic writes for published files.

A slug is built from text we do not control (headlines), so it is made safe here, once: ASCII
letters, digits and single hyphens only (no `..`, no path separators, no control characters),
Cyrillic transliterated and accents dropped, bounded in length, never empty and never a name that
Windows reserves. Files are written to a temporary file in the same folder, flushed, fsynced and
renamed over the target, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

MAX_SLUG = 80
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґў",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i ye yi g u".split(),
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "a b g d e z i th i k l m n x o p r s s t y f ch ps o".split(),
        strict=True,
    )
)


def _transliterate(text: str) -> str:
    out = []
    for ch in text.lower():
        t = _CYRILLIC.get(ch) or _GREEK.get(ch)
        if t is not None:
            out.append("" if t == "-" else t)
        elif ch in "ßæœøđłþ":
            out.append(
                {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th"}[ch]
            )
        else:
            out.append(ch)
    return unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()


def romanize(text: str | None) -> str | None:
    """Cyrillic and Greek letters in Latin, capitals kept ("Сергей Строкань" → "Sergey Strokan");
    other characters, accents included, are left alone. For names shown in English text."""
    if not text:
        return text
    out = []
    for ch in text:
        low = ch.lower()
        t = _CYRILLIC.get(low) or _GREEK.get(low)
        if t is None:
            out.append(ch)
        elif t != "-":
            out.append(t.capitalize() if ch != low else t)
    return "".join(out)


def safe_slug(text: str | None, max_length: int = MAX_SLUG, fallback: str = "story") -> str:
    """A file-name-safe slug: `[a-z0-9]` words joined by single hyphens, at most `max_length`.

    Text with nothing transliterable (empty, punctuation, an unsupported script) gives
    `fallback-<8 hex digits of its hash>` so different headlines still get different names.
    """
    text = text or ""
    words = re.findall(r"[a-z0-9]+", _transliterate(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = candidate
    if not slug:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{fallback}-{digest}" if text.strip() else fallback
    if slug in _RESERVED:
        slug = f"{slug}-{fallback}"
    return slug


def file_mode(path: Path) -> int:
    """The mode a file the desk writes gets: the mode of the file it replaces, else what the user's
    umask gives a new file (0666 & ~umask), like any tool that opens a file for writing. (mkstemp
    creates 0600 files: every atomic write goes through here to fix that.)"""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: Path, data: str | bytes, fsync: bool = True) -> None:
    """Write `data` to `path` via a temporary file in the same folder and an atomic rename; the
    file's mode follows the umask (file_mode). Every file the desk writes goes through here."""
    path = Path(path)
    if str(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if not fsync:
        return
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def versioned_name(stem: str, version: int, ext: str) -> str:
    """`stem.ext` for the first version, `stem-v2.ext` for the second, and so on."""
    return f"{stem}.{ext}" if version == 1 else f"{stem}-v{version}.{ext}"
