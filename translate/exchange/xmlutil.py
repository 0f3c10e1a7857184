"""Small XML helpers shared by the XLIFF and TMX readers and writers (xml.etree only)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from translate.i18n import _


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def parse(raw: bytes, name: str, what: str | None = None) -> ET.Element:
    """The document's root, parsed by the desk's hardened parser (translate/xmlsafe.py): entity
    declarations and remote DTDs are refused, and a document that is not well-formed gives one
    line naming the line."""
    from translate.xmlsafe import parse_tree

    return parse_tree(raw, name, what)


def flat_text(elem: ET.Element | None, skip: frozenset[str], codepoint: str | None = None) -> str:
    """The text of `elem` with inline markup dropped: the content of elements named in `skip`
    (native codes) is left out, other inline elements keep their text; `codepoint` names an
    element whose `hex` attribute stands for one character (XLIFF 2.0's <cp/>)."""
    if elem is None:
        return ""
    parts = [elem.text or ""]
    for child in elem:
        name = local(child.tag)
        if codepoint and name == codepoint:
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                pass
        elif name not in skip:
            parts.append(flat_text(child, skip, codepoint))
        parts.append(child.tail or "")
    return "".join(parts)


def serialize(root: ET.Element, doctype: str | None = None, name: str = "export") -> bytes:
    """The document as UTF-8 bytes. Characters XML 1.0 cannot hold are stripped from every text,
    tail and attribute first, and the result is parsed back before anyone writes it: the desk
    never produces XML that does not parse."""
    from translate.textclean import xml_safe
    from translate.xmlsafe import parse_tree

    for elem in root.iter():
        elem.text = xml_safe(elem.text)
        elem.tail = xml_safe(elem.tail)
        for key, value in elem.attrib.items():
            elem.attrib[key] = xml_safe(value)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if doctype:
        head += doctype + "\n"
    data = (head + body + "\n").encode("utf-8")
    parse_tree(data, name, _("nothing written"))
    return data
