"""Decode a PO file by the charset its header declares, refusing a header that lies.

Real PO files come in UTF-8, KOI8-R, ISO-8859-x and cp1251. The bytes are decoded strictly with the
declared charset; a file that does not decode, a legacy charset declared over UTF-8 bytes, or
Cyrillic that only makes sense in another single-byte charset (case turned upside down, letters
from outside the alphabet) is refused with one line naming the first offending line.
"""

from __future__ import annotations

import codecs
import re

from translate.errors import DeskError
from translate.i18n import _

_CHARSET_RE = re.compile(rb"Content-Type:[^\"\n]*?charset=([A-Za-z0-9_.:+-]+)", re.IGNORECASE)
_CYRILLIC_WORD_RE = re.compile(r"[\u0400-\u04ff]+")
_RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


def declared_charset(raw: bytes) -> str | None:
    """The charset named in the header's Content-Type line (the first one in the file)."""
    m = _CHARSET_RE.search(raw)
    return m.group(1).decode("ascii") if m else None


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _first_line(text: str, pattern: re.Pattern) -> int:
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _reads_wrong(text: str) -> str | None:
    """The first suspicious word when Cyrillic looks decoded with the wrong single-byte charset."""
    words = _CYRILLIC_WORD_RE.findall(text)
    letters = [c for w in words for c in w]
    if len(letters) < 20:
        return None
    upper = sum(c.isupper() for c in letters) / len(letters)
    foreign = sum(c not in _RUSSIAN for c in letters) / len(letters)
    if upper <= 0.5 and foreign <= 0.15:
        return None
    for w in words:  # lower then upper inside a word ("мОСКВА"), shouting, foreign letters
        if any(a.islower() and b.isupper() for a, b in zip(w, w[1:], strict=False)):
            return w
        if upper > 0.5 and len(w) >= 4 and w.isupper():
            return w
        if foreign > 0.15 and any(c not in _RUSSIAN for c in w):
            return w
    return words[0]


def _codec_name(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def decode_po(raw: bytes, name: str) -> str:
    """The text of a PO file, decoded per its header; DeskError naming the line otherwise."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        declared = declared_charset(raw)
        if declared and _codec_name(declared) != "utf-8":
            raise DeskError(
                _(
                    "{file}:1: the header says charset={charset} but the file starts with a "
                    "UTF-8 byte-order mark; nothing applied"
                ).format(file=name, charset=declared)
            )
    charset = declared_charset(raw) or "UTF-8"
    if charset.upper() == "CHARSET":
        line = _line_of(raw, raw.find(b"charset="))
        raise DeskError(
            _(
                "{file}:{line}: the header's Content-Type still says charset=CHARSET; "
                "set the file's real charset; nothing applied"
            ).format(file=name, line=line)
        )
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        line = _line_of(raw, raw.find(b"charset="))
        raise DeskError(
            _("{file}:{line}: unknown charset '{charset}' in the header; nothing applied").format(
                file=name, line=line, charset=charset
            )
        ) from None
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise DeskError(
            _(
                "{file}:{line}: byte 0x{byte:02X} is not valid {charset}, the charset the header "
                "declares; fix the header or re-save the file; nothing applied"
            ).format(file=name, line=_line_of(raw, exc.start), byte=raw[exc.start], charset=charset)
        ) from None
    if codec not in ("utf-8", "utf-16", "utf-32") and not raw.isascii():
        try:
            as_utf8 = raw.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = None
        if as_utf8 is not None:
            line = _first_line(as_utf8, re.compile(r"[^\x00-\x7f]"))
            raise DeskError(
                _(
                    "{file}:{line}: the header says charset={charset} but the text is UTF-8; "
                    "fix the header's Content-Type line; nothing applied"
                ).format(file=name, line=line, charset=charset)
            )
        word = _reads_wrong(text)
        if word is not None:
            line = _first_line(text, re.compile(re.escape(word)))
            raise DeskError(
                _(
                    "{file}:{line}: the text does not read as {charset}, the charset the header "
                    "declares ('{word}'); fix the header's Content-Type line; nothing applied"
                ).format(file=name, line=line, charset=charset, word=word)
            )
    return text
