"""Glossary entries: what one line of a glossary file says, and the glossary that holds them.

An entry has a source term, a target term, a kind and a few flags:
  preferred  the source term must be translated as the target term;
  forbidden  the `avoid` wordings must not appear in any translation of the pair (the target term,
             when given, is the wording to use instead; with a source term it is also enforced like
             a preferred entry);
  keep       the source term is not translated: the target term when given (a fixed spelling such as
             "Kommersant"), else the source term itself, goes into the translation verbatim.
`avoid` lists target wordings that must not appear where the entry's source term was matched
(for every segment of the pair when the kind is `forbidden`). `admitted` lists other target
wordings that are acceptable too (TBX's admittedTerm): the check takes them for the target, MT and
the hints use the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("preferred", "forbidden", "keep")

# A word of source text: letters and digits, joined by inner hyphens and apostrophes
# («Ростов-на-Дону», "O'Higgins"), so a term only matches whole words.
WORD_RE = re.compile(r"[^\W_]+(?:[-\u2010\u2011'\u2019][^\W_]+)*")


@dataclass
class Entry:
    source: str
    target: str = ""
    kind: str = "preferred"
    avoid: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    note: str = ""
    admitted: list[str] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """Identity inside a glossary: the source term (case-folded), else the avoided wordings."""
        if self.source.strip():
            return "src:" + " ".join(WORD_RE.findall(self.source.casefold()))
        return "avoid:" + "|".join(a.casefold() for a in self.avoid)

    @property
    def rendering(self) -> str:
        """What goes into the translation for this entry ("" when nothing is prescribed)."""
        if self.kind == "keep":
            return self.target or self.source
        return self.target

    def problem(self) -> str | None:
        """Why this entry is unusable (already translated), or None when it is fine."""
        from translate.i18n import _

        if self.kind not in KINDS:
            return _("unknown kind '{kind}' (expected preferred, forbidden or keep)").format(
                kind=self.kind
            )
        if self.source.strip() and not WORD_RE.search(self.source):
            return _("source term '{term}' has no letters or digits").format(term=self.source)
        if self.kind == "preferred":
            if not self.source.strip():
                return _("a preferred entry needs a source term")
            if not self.target.strip():
                return _("a preferred entry needs a target term")
        elif self.kind == "keep":
            if not self.source.strip():
                return _("a keep entry needs a source term")
        elif self.kind == "forbidden" and not self.avoid:
            return _("a forbidden entry needs the wordings to avoid (column 'avoid')")
        return None


@dataclass
class Glossary:
    entries: list[Entry]
    path: Path | None = None

    def index(self, source: str) -> int | None:
        """Where the entry for this source term is, or None."""
        probe = Entry(source=source).key
        return next((i for i, e in enumerate(self.entries) if e.key == probe), None)

    def upsert(self, entry: Entry) -> bool:
        """Add an entry, or replace the one with the same key; True when it was new."""
        for i, existing in enumerate(self.entries):
            if existing.key == entry.key:
                self.entries[i] = entry
                return False
        self.entries.append(entry)
        return True
