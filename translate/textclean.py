"""Control characters: cleaned from text that comes in, and from anything written out as XML.

U+0000–U+001F other than tab, line feed and carriage return, and U+007F–U+009F, have no place in a
story: XML 1.0 cannot even carry most of them, so a story holding one would make the desk's own
XLIFF and TMX exports malformed. Ingest removes them (vertical tab and form feed become a space,
since they separate words) and records how many it removed; exports strip them again (stories
stored before this rule) together with the other characters XML 1.0 forbids.
"""

from __future__ import annotations

import re

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# characters XML 1.0 cannot hold at all (besides the controls above): lone surrogates, U+FFFE/F
XML_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _replacement(m: re.Match) -> str:
    return " " if m.group() in "\x0b\x0c" else ""


def strip_controls(text: str) -> tuple[str, int]:
    """(text without control characters, how many were removed)."""
    return CONTROL_RE.subn(_replacement, text)


def xml_safe(text: str | None) -> str | None:
    """Text that XML 1.0 can carry (None stays None)."""
    if text is None:
        return None
    return XML_ILLEGAL_RE.sub(_replacement, text)
