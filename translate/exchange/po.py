"""PO (gettext) export and import with polib, for Poedit, Lokalize, OmegaT and friends.

One entry per segment: `msgctxt` is the stable segment id `<story>#<number>`, `msgid` the source,
`msgstr` the current translation. A translation that is not confirmed yet (a machine draft, or an
edit nobody confirmed) is `fuzzy`; removing the flag in the editor confirms it on import. Extracted
comments (`#.`) carry the unit kind, glossary hints, open findings and a `desk:` line with the
version the translation had at export time (the base of the import's conflict check). The header
names the story (X-Translate-Story), the target Language and its Plural-Forms from babel.
"""

from __future__ import annotations

import re

from translate.clock import now
from translate.errors import DeskError
from translate.exchange.charset import decode_po
from translate.exchange.model import InEntry, InFile, OutStory, parse_meta
from translate.i18n import _

STORY_HEADER = "X-Translate-Story"
SOURCE_HEADER = "X-Translate-Source-Language"
META_PREFIX = "desk: "
_SYNTAX_RE = re.compile(r"\(line (\d+)\)")


def _plural_forms(lang: str) -> str:
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        return get_plural(lang).plural_forms
    except (UnknownLocaleError, ValueError):
        return "nplurals=2; plural=(n != 1);"


def _comments(seg) -> str:
    lines = [f"unit: {seg.unit_kind}"]
    lines += [f"glossary: {hint}" for hint in seg.glossary]
    for f in seg.findings:
        message = " ".join(str(f["message"]).split())
        lines.append(f"finding: {f['severity']} {f['code']}: {message}")
    lines.append(META_PREFIX + seg.meta)
    return "\n".join(lines)


def write_po(story: OutStory, user: str) -> bytes:
    import polib

    from translate import __version__

    stamp = now().strftime("%Y-%m-%d %H:%M%z")
    po = polib.POFile(wrapwidth=78)
    po.header = (
        f"{story.title}\n"
        f"Story {story.id}, {story.source_lang} → {story.target_lang}, exported by translate.\n"
        "Translate msgstr; remove the fuzzy flag to confirm a translation. Keep msgctxt and the\n"
        "'desk:' comments: they tie each entry to its segment and version."
    )
    po.metadata = {
        "Project-Id-Version": story.id,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": user,
        "Language-Team": story.target_lang,
        "Language": story.target_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": _plural_forms(story.target_lang),
        "X-Generator": f"translate {__version__}",
        STORY_HEADER: story.id,
        SOURCE_HEADER: story.source_lang,
    }
    for seg in story.segments:
        po.append(
            polib.POEntry(
                msgctxt=seg.ref,
                msgid=seg.source,
                msgstr=seg.translation or "",
                comment=_comments(seg),
                flags=["fuzzy"] if seg.needs_review else [],
            )
        )
    return str(po).encode("utf-8") + b"\n"


def _meta(entry) -> tuple[int | None, str] | None:
    for line in (entry.comment or "").splitlines():
        if line.startswith(META_PREFIX):
            return parse_meta(line[len(META_PREFIX) :])
    return None


def read_po(raw: bytes, name: str) -> InFile:
    """Parse a PO file (any charset its header declares) into entries; obsolete ones are counted."""
    import polib

    text = decode_po(raw, name)
    try:
        po = polib.pofile(text, wrapwidth=78)
    except (OSError, ValueError) as exc:
        m = _SYNTAX_RE.search(str(exc))
        where = f"{name}:{m.group(1)}" if m else name
        raise DeskError(
            _("{where}: not a valid PO file ({reason}); nothing applied").format(
                where=where, reason=str(exc)
            )
        ) from None
    entries, obsolete = [], 0
    for e in po:
        if e.obsolete:
            obsolete += 1
            continue
        plural = bool(e.msgid_plural)
        target = e.msgstr_plural.get(0, "") if plural else e.msgstr
        entries.append(
            InEntry(
                where=f"{name}:{e.linenum}",
                ref=e.msgctxt,
                source=e.msgid,
                target=target,
                done="fuzzy" not in e.flags and bool((target or "").strip()),
                meta=_meta(e),
                plural=plural,
            )
        )
    story_id = (po.metadata.get(STORY_HEADER) or "").strip() or None
    source = (po.metadata.get(SOURCE_HEADER) or "").strip()
    target = (po.metadata.get("Language") or "").strip()
    return InFile(
        name,
        "po",
        story_id,
        entries,
        {"obsolete": obsolete} if obsolete else {},
        source_lang=(source, _("PO header {name}").format(name=SOURCE_HEADER)) if source else None,
        target_lang=(target, _("PO header {name}").format(name="Language")) if target else None,
    )
