"""TBX glossaries: TBX v2 (ISO 30042:2008, <martif>) and TBX v3 TBX-Basic (<tbx>, DCA or DCT style).

Files are untrusted: they are parsed by the desk's hardened parser (translate/xmlsafe.py: entity
declarations and remote DTDs refused) and the structure the reader relies on is validated first
(validate_structure): the header before <text>, <body> holding only entries, entry-level notes
before the language sections, term holders (tig, ntig/termGrp, termSec) inside a language section
and a <term> first in its holder, once. A misplaced or misordered element is refused naming its line.

Term status (administrativeStatus, DCA `<termNote type="administrativeStatus">` or DCT
`<basic:administrativeStatus>`; also normativeAuthorization) maps onto the desk's entries:
  preferredTerm (or standardizedTerm), unmarked -> the target term (a preferred term first);
  admittedTerm (legalTerm, regulatedTerm)     -> `admitted` (also accepted by the check), or the
                                                  target when the entry has no preferred term;
  deprecatedTerm, supersededTerm ("avoid")    -> `avoid`; an entry whose target terms are all
                                                  deprecated becomes a `forbidden` entry.
Export writes the same statuses back (preferred, admitted, deprecated).
<note> at entry level -> note; a note "translate: kind=keep; case_sensitive=yes" carries the two
fields TBX has no data category for (written by export, read back on import).
Entries with no term in the pair's source or target language are skipped and counted.
Errors name the file, the line and the entry id.
"""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from translate.glossary.entry import KINDS, Entry
from translate.i18n import _

XML_LANG = "http://www.w3.org/XML/1998/namespace"
TBX3_NS = "urn:iso:std:iso:30042:ed:3.0"
FLAGS_PREFIX = "translate:"
TBX_BASIC_NS = "http://www.tbxinfo.net/ns/basic"
STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")
# a status value, lower-cased, without "-admn-sts" and a final "term" -> preferred/admitted/deprecated
STATUSES = {
    "preferred": "preferred",
    "standardized": "preferred",
    "admitted": "admitted",
    "legal": "admitted",
    "regulated": "admitted",
    "deprecated": "deprecated",
    "superseded": "deprecated",
    "avoid": "deprecated",
    "forbidden": "deprecated",
    "notrecommended": "deprecated",
}
HOLDERS = ("tig", "ntig", "termSec")
TBX3_MODEL = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
    "TBXcoreStructV03_TBX-Basic_integrated.rng"
)
TBX3_MODEL_DCT = TBX3_MODEL.replace("/DCA/", "/DCT/")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def all(self, *tags: str) -> list[Node]:
        return [c for c in self.children if c.tag in tags]

    def content(self) -> str:
        return " ".join(self.text.split())


class _Builder(xml.sax.handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 - SAX API
        self.locator = locator

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 - SAX API
        values = {}
        for (uri, local), value in attrs.items():
            values["xml:lang" if (uri == XML_LANG and local == "lang") else local] = value
        node = Node(name[1], values, self.locator.getLineNumber() if self.locator else 0)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElementNS(self, name, qname) -> None:  # noqa: N802 - SAX API
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].text += content


def _parse_xml(data: bytes, path: Path) -> Node:
    """The document as Nodes, through the desk's hardened parser (translate/xmlsafe.py)."""
    from translate.glossary.formats import GlossaryFormatError
    from translate.xmlsafe import sax_parser

    builder = _Builder()
    try:
        sax_parser(path)(data, builder)
    except xml.sax.SAXParseException as exc:
        raise GlossaryFormatError(
            _("{path}:{line}: XML error: {problem}").format(
                path=path, line=exc.getLineNumber(), problem=exc.getMessage()
            )
        ) from None
    if builder.root is None:
        raise GlossaryFormatError(_("{path}: no XML document").format(path=path))
    return builder.root


def _esc(text: str) -> str:
    """Escaped for XML, without the characters XML 1.0 cannot hold (translate/textclean.py)."""
    from translate.textclean import xml_safe

    return escape(xml_safe(text) or "")


def _lang(code: str) -> str:
    return code.strip().replace("_", "-").split("-")[0].lower()


def _status(value: str, path: Path, line: int, label: str) -> str:
    """preferred / admitted / deprecated for a TBX status value; refuses one we cannot read."""
    from translate.glossary.formats import GlossaryFormatError

    key = value.strip().lower().removesuffix("-admn-sts").replace(" ", "")
    key = key.removesuffix("term") if key.endswith("term") and key != "term" else key
    if key in STATUSES:
        return STATUSES[key]
    raise GlossaryFormatError(
        _(
            "{path}:{line}: entry {entry}: unknown term status '{value}' (expected "
            "preferredTerm, admittedTerm, deprecatedTerm or supersededTerm)"
        ).format(path=path, line=line, entry=label, value=value.strip())
    )


def _terms(lang_node: Node, entry_label: str, path: Path) -> list[tuple[str, str]]:
    """(term, status) for each term of a langSet/langSec; status is preferred, admitted,
    deprecated or "" (unmarked). DCA (<termNote type="administrativeStatus">) and DCT
    (<basic:administrativeStatus>) styles alike."""
    found = []
    for holder in lang_node.all(*HOLDERS):
        group = holder.all("termGrp")[0] if holder.tag == "ntig" else holder
        term = group.all("term")[0]
        status = ""
        for note in group.children + (holder.children if group is not holder else []):
            if note.tag == "termNote" and note.attrs.get("type") in STATUS_TYPES:
                status = _status(note.content(), path, note.line, entry_label)
            elif note.tag in STATUS_TYPES:  # DCT style
                status = _status(note.content(), path, note.line, entry_label)
        found.append((term.content(), status))
    return found


# ------------------------------------------------------------------ structure

_STRUCTURAL = {
    "martif",
    "tbx",
    "martifHeader",
    "tbxHeader",
    "text",
    "body",
    "termEntry",
    "conceptEntry",
    "langSet",
    "langSec",
    "tig",
    "ntig",
    "termSec",
    "termGrp",
    "term",
}


def _misplaced(path: Path, node: Node, parent: Node):
    from translate.glossary.formats import GlossaryFormatError

    return GlossaryFormatError(
        _("{path}:{line}: <{tag}> is not allowed inside <{parent}> (TBX structure)").format(
            path=path, line=node.line, tag=node.tag, parent=parent.tag
        )
    )


def _misordered(path: Path, node: Node, before: Node):
    from translate.glossary.formats import GlossaryFormatError

    return GlossaryFormatError(
        _(
            "{path}:{line}: <{tag}> must come before <{before}> (line {before_line}) (TBX structure)"
        ).format(
            path=path, line=node.line, tag=node.tag, before=before.tag, before_line=before.line
        )
    )


def _ordered(path: Path, parent: Node, rank, allowed_aux: bool) -> None:
    """Children in non-decreasing rank; rank(tag) is None for a structural element that does not
    belong here; other (auxiliary) elements rank 0 when allowed_aux."""
    best: Node | None = None
    best_rank = -1
    for child in parent.children:
        r = rank(child.tag)
        if r is None and (child.tag in _STRUCTURAL or not allowed_aux):
            raise _misplaced(path, child, parent)
        r = 0 if r is None else r
        if r < best_rank:
            raise _misordered(path, child, best)
        if r > best_rank:
            best, best_rank = child, r


def _holder(path: Path, holder: Node, label: str) -> None:
    from translate.glossary.formats import GlossaryFormatError

    group = holder
    if holder.tag == "ntig":
        groups = holder.all("termGrp")
        if not groups or holder.children[0] is not groups[0]:
            first = holder.children[0] if holder.children else holder
            if not groups:
                raise GlossaryFormatError(
                    _("{path}:{line}: entry {entry}: a <{tag}> without a term").format(
                        path=path, line=holder.line, entry=label, tag=holder.tag
                    )
                )
            raise _misordered(path, groups[0], first)
        if len(groups) > 1:
            raise _misplaced(path, groups[1], holder)
        _ordered(path, holder, lambda t: 0 if t == "termGrp" else None, True)
        group = groups[0]
    terms = group.all("term")
    if not terms or not terms[0].content():
        raise GlossaryFormatError(
            _("{path}:{line}: entry {entry}: a <{tag}> without a term").format(
                path=path, line=holder.line, entry=label, tag=holder.tag
            )
        )
    if len(terms) > 1:
        raise GlossaryFormatError(
            _("{path}:{line}: entry {entry}: a second <term> in one <{tag}>").format(
                path=path, line=terms[1].line, entry=label, tag=group.tag
            )
        )
    if group.children[0] is not terms[0]:
        raise _misordered(path, terms[0], group.children[0])
    _ordered(path, group, lambda t: 0 if t == "term" else None, True)


def validate_structure(root: Node, path: Path) -> None:
    """Refuse a TBX whose elements are out of place or out of order (the parts we rely on)."""
    from translate.glossary.formats import GlossaryFormatError

    v2 = root.tag == "martif"
    header, entry_tag, lang_tag = (
        ("martifHeader", "termEntry", "langSet") if v2 else ("tbxHeader", "conceptEntry", "langSec")
    )
    _ordered(path, root, {header: 0, "text": 1}.get, False)
    for text in root.all("text"):
        _ordered(path, text, {"front": 0, "body": 1, "back": 2}.get, False)
        for body in text.all("body"):
            _ordered(path, body, {entry_tag: 0}.get, False)
            for number, entry in enumerate(body.all(entry_tag), 1):
                label = entry.attrs.get("id") or f"#{number}"
                _ordered(path, entry, {lang_tag: 1}.get, True)
                for lang_node in entry.all(lang_tag):
                    _ordered(path, lang_node, {h: 1 for h in HOLDERS}.get, True)
                    if not lang_node.all(*HOLDERS):
                        raise GlossaryFormatError(
                            _("{path}:{line}: entry {entry}: a <{tag}> without a term").format(
                                path=path, line=lang_node.line, entry=label, tag=lang_tag
                            )
                        )
                    for holder in lang_node.all(*HOLDERS):
                        _holder(path, holder, label)


def _flags(text: str, entry: Entry, path: Path, line: int, label: str) -> None:
    from translate.glossary.formats import GlossaryFormatError

    for part in text[len(FLAGS_PREFIX) :].split(";"):
        if not part.strip():
            continue
        key, _sep, value = part.partition("=")
        key, value = key.strip(), value.strip().lower()
        if key == "kind" and value in KINDS:
            entry.kind = value
        elif key == "case_sensitive" and value in ("yes", "no"):
            entry.case_sensitive = value == "yes"
        else:
            raise GlossaryFormatError(
                _(
                    "{path}:{line}: entry {entry}: cannot read '{part}' in the translate: note"
                ).format(path=path, line=line, entry=label, part=part.strip())
            )


def parse_tbx(data: bytes, path: Path, source_lang: str | None, target_lang: str | None):
    from translate.glossary.formats import GlossaryFormatError, ReadResult, check_entries

    root = _parse_xml(data, path)
    if root.tag in ("martif", "tbx"):
        validate_structure(root, path)
    if root.tag == "martif":
        entry_tag, lang_tag = "termEntry", "langSet"
    elif root.tag == "tbx":
        entry_tag, lang_tag = "conceptEntry", "langSec"
    else:
        raise GlossaryFormatError(
            _(
                "{path}:{line}: not a TBX file (root element <{tag}>, expected <martif> or <tbx>)"
            ).format(path=path, line=root.line, tag=root.tag)
        )
    bodies = [b for t in root.all("text") for b in t.all("body")]
    if not bodies:
        raise GlossaryFormatError(
            _("{path}:{line}: a TBX file needs <text><body>").format(path=path, line=root.line)
        )
    entries: list[Entry] = []
    where: dict[int, str] = {}
    languages: set[str] = set()
    skipped = 0
    for number, node in enumerate((n for b in bodies for n in b.all(entry_tag)), 1):
        label = node.attrs.get("id") or f"#{number}"
        by_lang: dict[str, list[tuple[str, str]]] = {}
        for lang_node in node.all(lang_tag):
            code = lang_node.attrs.get("xml:lang", "")
            if not code.strip():
                raise GlossaryFormatError(
                    _("{path}:{line}: entry {entry}: <{tag}> without xml:lang").format(
                        path=path, line=lang_node.line, entry=label, tag=lang_tag
                    )
                )
            by_lang.setdefault(_lang(code), []).extend(_terms(lang_node, label, path))
        languages.update(by_lang)
        template = Entry(source="", line=node.line)
        notes = []
        for note in node.all("note"):
            text = note.content()
            if text.startswith(FLAGS_PREFIX):
                _flags(text, template, path, note.line, label)
            elif text:
                notes.append(text)
        template.note = " / ".join(notes)
        if source_lang is None or target_lang is None:
            continue  # only asked which languages the file holds
        targets = by_lang.get(target_lang, [])
        usable = [t for status in ("preferred", "", "admitted") for t, s in targets if s == status]
        template.target = usable[0] if usable else ""
        template.admitted = [t for t, s in targets if s == "admitted" and t != template.target]
        template.avoid = [t for t, s in targets if s == "deprecated"]
        if not usable and template.avoid and template.kind == "preferred":
            template.kind = "forbidden"  # only wordings to avoid: a forbidden entry
        sources = [t for t, s in by_lang.get(source_lang, []) if s != "deprecated"]
        if not targets or (not sources and template.kind != "forbidden"):
            skipped += 1
            continue
        if template.kind == "keep" and template.target in sources:
            template.target = ""
        for term in sources or [""]:
            entry = Entry(**{**template.__dict__, "source": term})
            where[id(entry)] = f"{node.line}: entry {label}"
            entries.append(entry)
    check_entries(entries, path, lambda e: where.get(id(e), str(e.line)))
    return ReadResult(entries, skipped, tuple(sorted(languages)))


def tbx_languages(data: bytes, path: Path) -> tuple[str, ...]:
    return parse_tbx(data, path, None, None).languages


def _term_xml(tag: str, term: str, status: str | None, indent: str, dct: bool = False) -> str:
    out = f"{indent}<{tag}><term>{_esc(term)}</term>"
    if status and dct:
        out += f"<basic:administrativeStatus>{status}</basic:administrativeStatus>"
    elif status:
        out += f'<termNote type="administrativeStatus">{status}</termNote>'
    return out + f"</{tag}>\n"


def render_tbx(
    entries: list[Entry], source_lang: str, target_lang: str, version: int = 3, style: str = "dca"
) -> str:
    """TBX v2 (martif) or v3 TBX-Basic in DCA or DCT style; term statuses: the target
    preferredTerm, admitted wordings admittedTerm, avoided wordings deprecatedTerm."""
    v2 = version == 2
    dct = not v2 and style == "dct"
    entry_tag, lang_tag, term_tag = (
        ("termEntry", "langSet", "tig") if v2 else ("conceptEntry", "langSec", "termSec")
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if v2:
        out.append(f'<martif type="TBX" xml:lang={quoteattr(source_lang)}>\n')
        header = "martifHeader"
    else:
        out.append(
            f'<?xml-model href="{TBX3_MODEL if not dct else TBX3_MODEL_DCT}" type="application/xml" '
            'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        )
        basic = f' xmlns:basic="{TBX_BASIC_NS}"' if dct else ""
        out.append(
            f'<tbx type="TBX-Basic" style="{"dct" if dct else "dca"}" '
            f'xml:lang={quoteattr(source_lang)} xmlns="{TBX3_NS}"{basic}>\n'
        )
        header = "tbxHeader"
    out.append(
        f"  <{header}><fileDesc><sourceDesc><p>"
        f"{_esc(f'translate glossary {source_lang}-{target_lang}')}"
        f"</p></sourceDesc></fileDesc></{header}>\n  <text>\n    <body>\n"
    )
    for n, e in enumerate(entries, 1):
        out.append(f'      <{entry_tag} id="e{n}">\n')
        flags = []
        if e.kind != "preferred":
            flags.append(f"kind={e.kind}")
        if e.case_sensitive:
            flags.append("case_sensitive=yes")
        if flags:
            out.append(f"        <note>{FLAGS_PREFIX} {'; '.join(flags)}</note>\n")
        if e.note:
            out.append(f"        <note>{_esc(e.note)}</note>\n")
        if e.source:
            out.append(f"        <{lang_tag} xml:lang={quoteattr(source_lang)}>\n")
            out.append(_term_xml(term_tag, e.source, None, "          ", dct))
            out.append(f"        </{lang_tag}>\n")
        out.append(f"        <{lang_tag} xml:lang={quoteattr(target_lang)}>\n")
        if e.rendering:
            out.append(
                _term_xml(term_tag, e.rendering, "preferredTerm-admn-sts", "          ", dct)
            )
        for wording in e.admitted:
            out.append(_term_xml(term_tag, wording, "admittedTerm-admn-sts", "          ", dct))
        for wording in e.avoid:
            out.append(_term_xml(term_tag, wording, "deprecatedTerm-admn-sts", "          ", dct))
        out.append(f"        </{lang_tag}>\n      </{entry_tag}>\n")
    out.append("    </body>\n  </text>\n")
    out.append("</martif>\n" if v2 else "</tbx>\n")
    return "".join(out)
