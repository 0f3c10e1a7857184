"""TBX glossaries: TBX v2 (ISO 30042:2008, <martif>) and TBX v3 TBX-Basic (<tbx>, DCA style).

Reading maps each concept entry onto one Entry per source-language term:
  target terms marked preferred, admitted or unmarked -> the target term (the first one);
  target terms marked deprecated or superseded -> `avoid`;
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
AVOID_STATUSES = ("deprecatedTerm-admn-sts", "supersededTerm-admn-sts")
TBX3_MODEL = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
    "TBXcoreStructV03_TBX-Basic_integrated.rng"
)


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
    from translate.glossary.formats import GlossaryFormatError

    builder = _Builder()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(builder)
    import io

    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except xml.sax.SAXParseException as exc:
        raise GlossaryFormatError(
            _("{path}:{line}: XML error: {problem}").format(
                path=path, line=exc.getLineNumber(), problem=exc.getMessage()
            )
        ) from None
    assert builder.root is not None
    return builder.root


def _lang(code: str) -> str:
    return code.strip().replace("_", "-").split("-")[0].lower()


def _terms(lang_node: Node, entry_label: str, path: Path) -> list[tuple[str, str]]:
    """(term, administrative status) for each term of a langSet/langSec."""
    from translate.glossary.formats import GlossaryFormatError

    found = []
    for holder in lang_node.all("tig", "ntig", "termSec"):
        group = (
            holder.all("termGrp")[0] if holder.tag == "ntig" and holder.all("termGrp") else holder
        )
        terms = group.all("term")
        if not terms or not terms[0].content():
            raise GlossaryFormatError(
                _("{path}:{line}: entry {entry}: a <{tag}> without a term").format(
                    path=path, line=holder.line, entry=entry_label, tag=holder.tag
                )
            )
        status = ""
        for note in group.all("termNote") + holder.all("termNote"):
            if note.attrs.get("type") == "administrativeStatus":
                status = note.content()
        found.append((terms[0].content(), status))
    return found


def _flags(text: str, entry: Entry, path: Path, line: int, label: str) -> None:
    from translate.glossary.formats import GlossaryFormatError

    for part in text[len(FLAGS_PREFIX) :].split(";"):
        if not part.strip():
            continue
        key, _sep, value = part.partition("=")
        key, raw, value = key.strip(), value.strip(), value.strip().lower()
        if key == "context" and raw:
            entry.context = raw
        elif key == "kind" and value in KINDS:
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
        chosen = [t for t, s in targets if s not in AVOID_STATUSES]
        template.target = chosen[0] if chosen else ""
        template.avoid = [t for t, s in targets if s in AVOID_STATUSES]
        sources = [t for t, s in by_lang.get(source_lang, []) if s not in AVOID_STATUSES]
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


def _term_xml(tag: str, term: str, status: str | None, indent: str) -> str:
    out = f"{indent}<{tag}><term>{escape(term)}</term>"
    if status:
        out += f'<termNote type="administrativeStatus">{status}</termNote>'
    return out + f"</{tag}>\n"


def render_tbx(entries: list[Entry], source_lang: str, target_lang: str, version: int = 3) -> str:
    v2 = version == 2
    entry_tag, lang_tag, term_tag = (
        ("termEntry", "langSet", "tig") if v2 else ("conceptEntry", "langSec", "termSec")
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if v2:
        out.append(f'<martif type="TBX" xml:lang={quoteattr(source_lang)}>\n')
        header = "martifHeader"
    else:
        out.append(
            f'<?xml-model href="{TBX3_MODEL}" type="application/xml" '
            'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        )
        out.append(
            f'<tbx type="TBX-Basic" style="dca" xml:lang={quoteattr(source_lang)} '
            f'xmlns="{TBX3_NS}">\n'
        )
        header = "tbxHeader"
    out.append(
        f"  <{header}><fileDesc><sourceDesc><p>"
        f"{escape(f'translate glossary {source_lang}-{target_lang}')}"
        f"</p></sourceDesc></fileDesc></{header}>\n  <text>\n    <body>\n"
    )
    for n, e in enumerate(entries, 1):
        out.append(f'      <{entry_tag} id="e{n}">\n')
        flags = []
        if e.kind != "preferred":
            flags.append(f"kind={e.kind}")
        if e.case_sensitive:
            flags.append("case_sensitive=yes")
        if e.context:
            flags.append(f"context={e.context}")
        if flags:
            out.append(f"        <note>{escape(FLAGS_PREFIX + ' ' + '; '.join(flags))}</note>\n")
        if e.note:
            out.append(f"        <note>{escape(e.note)}</note>\n")
        if e.source:
            out.append(f"        <{lang_tag} xml:lang={quoteattr(source_lang)}>\n")
            out.append(_term_xml(term_tag, e.source, None, "          "))
            out.append(f"        </{lang_tag}>\n")
        out.append(f"        <{lang_tag} xml:lang={quoteattr(target_lang)}>\n")
        if e.rendering:
            out.append(_term_xml(term_tag, e.rendering, "preferredTerm-admn-sts", "          "))
        for wording in e.avoid:
            out.append(_term_xml(term_tag, wording, "deprecatedTerm-admn-sts", "          "))
        out.append(f"        </{lang_tag}>\n      </{entry_tag}>\n")
    out.append("    </body>\n  </text>\n")
    out.append("</martif>\n" if v2 else "</tbx>\n")
    return "".join(out)
