"""XLIFF 1.2 and 2.0 export and import (valid against the OASIS schemas: xliff-core-1.2-strict.xsd
and xliff_core_2.0.xsd).

Our segment ladder maps to the formats' states:

    segment        XLIFF 1.2 <target state>                       XLIFF 2.0 <segment state/subState>
    untranslated   (no target)  (trans-unit approved="no")       initial (no target)
    machine        needs-review-translation (+ state-qualifier    initial, subState desk:mt
                   mt-suggestion, or leveraged-tm for TM reuse)   (desk:localize, desk:tm)
    edited         translated                                     translated
    confirmed      signed-off, trans-unit approved="yes"          final

On import a unit counts as confirmed when it is signed-off or final (or approved="yes") in 1.2, and
reviewed or final in 2.0; its target is machine text (stored as a machine draft and localized) when
1.2 qualifies it mt-suggestion or leveraged-mt and its state is not translated/signed-off/final, or
2.0 marks it initial with subState desk:mt or desk:localize. The segment id `<story>#<number>` is the 1.2 trans-unit's `resname` and
the 2.0 unit's `name`; the exported version is kept in 1.2's `extradata` and in 2.0 as the
extension attribute `desk:meta` (namespace urn:translate-desk:exchange). Findings and glossary
hints are notes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from translate.clock import now_iso
from translate.exchange.model import InEntry, InFile, OutStory, parse_meta
from translate.exchange.xmlutil import flat_text, namespace, serialize
from translate.store.states import SegmentState

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
DESK_NS = "urn:translate-desk:exchange"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

STATE12 = {
    SegmentState.MACHINE: "needs-review-translation",
    SegmentState.EDITED: "translated",
    SegmentState.CONFIRMED: "signed-off",
}
QUALIFIER12 = {"mt": "mt-suggestion", "localize": "mt-suggestion", "tm": "leveraged-tm"}
DONE12 = {"signed-off", "final"}
# machine text on import: an MT qualifier on a target no person has declared translated
MACHINE_QUALIFIERS12 = {"mt-suggestion", "leveraged-mt"}
HUMAN12 = {"translated", "signed-off", "final"}
MACHINE_SUBSTATES20 = {"desk:mt", "desk:localize"}
STATE20 = {
    SegmentState.UNTRANSLATED: "initial",
    SegmentState.MACHINE: "initial",
    SegmentState.EDITED: "translated",
    SegmentState.CONFIRMED: "final",
}
DONE20 = {"reviewed", "final"}
# inline elements whose content is native code, not text
_CODES12 = frozenset({"bpt", "ept", "ph", "it", "sub", "x", "bx", "ex"})
_CODES20 = frozenset({"ph", "sc", "ec", "sm", "em", "originalData"})


def _state(seg) -> SegmentState:
    return SegmentState(seg.state) if seg.translation is not None else SegmentState.UNTRANSLATED


def _priority(finding: dict) -> str:
    return "1" if finding["severity"] == "blocking" else "5"


def _finding_text(finding: dict) -> str:
    return f"{finding['severity']} {finding['code']}: {' '.join(str(finding['message']).split())}"


# ---------------------------------------------------------------- XLIFF 1.2


def write_xliff12(story: OutStory, user: str) -> bytes:
    from translate import __version__

    ET.register_namespace("", NS12)

    def q(name: str) -> str:
        return f"{{{NS12}}}{name}"

    root = ET.Element(q("xliff"), {"version": "1.2"})
    file = ET.SubElement(
        root,
        q("file"),
        {
            "original": story.id,
            "source-language": story.source_lang,
            "target-language": story.target_lang,
            "datatype": "plaintext",
            "date": now_iso(),
            "tool-id": "translate",
        },
    )
    header = ET.SubElement(file, q("header"))
    ET.SubElement(
        header,
        q("tool"),
        {"tool-id": "translate", "tool-name": "translate", "tool-version": __version__},
    )
    ET.SubElement(header, q("note"), {"from": user}).text = story.title
    body = ET.SubElement(file, q("body"))
    groups: dict[int, ET.Element] = {}
    for seg in story.segments:
        group = groups.get(seg.unit_position)
        if group is None:
            group = ET.SubElement(
                body, q("group"), {"id": f"u{seg.unit_position}", "restype": f"x-{seg.unit_kind}"}
            )
            groups[seg.unit_position] = group
        state = _state(seg)
        unit = ET.SubElement(
            group,
            q("trans-unit"),
            {
                "id": str(seg.number),
                "resname": seg.ref,
                "extradata": seg.meta,
                "approved": "yes" if state == SegmentState.CONFIRMED else "no",
            },
        )
        ET.SubElement(unit, q("source"), {XML_LANG: story.source_lang}).text = seg.source
        if seg.translation is not None:
            attrs = {XML_LANG: story.target_lang, "state": STATE12[state]}
            if state == SegmentState.MACHINE and seg.origin in QUALIFIER12:
                attrs["state-qualifier"] = QUALIFIER12[seg.origin]
            ET.SubElement(unit, q("target"), attrs).text = seg.translation
        for hint in seg.glossary:
            ET.SubElement(unit, q("note"), {"from": "glossary", "annotates": "source"}).text = hint
        for f in seg.findings:
            ET.SubElement(
                unit, q("note"), {"from": "checks", "priority": _priority(f)}
            ).text = _finding_text(f)
    return serialize(root)


def _declared(elem, attr: str) -> tuple[str, str] | None:
    """(language, "XLIFF attr") when the element declares it."""
    value = (elem.get(attr) or "").strip() if elem is not None else ""
    return (value, f"XLIFF {attr}") if value else None


def read_xliff12(root: ET.Element, name: str) -> InFile:
    ns = f"{{{NS12}}}"
    files = root.findall(f"{ns}file")
    story_id = files[0].get("original") if files else None
    entries = []
    for unit in root.iter(f"{ns}trans-unit"):
        target_el = unit.find(f"{ns}target")
        target = flat_text(target_el, _CODES12) if target_el is not None else None
        state = target_el.get("state") if target_el is not None else None
        done = bool((target or "").strip()) and (unit.get("approved") == "yes" or state in DONE12)
        machine = (
            target_el is not None
            and target_el.get("state-qualifier") in MACHINE_QUALIFIERS12
            and state not in HUMAN12
        )
        entries.append(
            InEntry(
                where=f"{name}: trans-unit {unit.get('id')}",
                ref=unit.get("resname"),
                source=flat_text(unit.find(f"{ns}source"), _CODES12),
                target=target,
                done=done,
                meta=parse_meta(unit.get("extradata")),
                machine=machine and not done,
            )
        )
    first = files[0] if files else None
    return InFile(
        name,
        "xliff",
        story_id,
        entries,
        source_lang=_declared(first, "source-language"),
        target_lang=_declared(first, "target-language"),
    )


# ---------------------------------------------------------------- XLIFF 2.0


def write_xliff20(story: OutStory, user: str) -> bytes:
    ET.register_namespace("", NS20)
    ET.register_namespace("desk", DESK_NS)

    def q(name: str) -> str:
        return f"{{{NS20}}}{name}"

    root = ET.Element(
        q("xliff"),
        {"version": "2.0", "srcLang": story.source_lang, "trgLang": story.target_lang},
    )
    file = ET.SubElement(root, q("file"), {"id": "f1", "original": story.id})
    notes = ET.SubElement(file, q("notes"))
    ET.SubElement(notes, q("note"), {"category": "title"}).text = story.title
    ET.SubElement(notes, q("note"), {"category": "exported-by"}).text = user
    groups: dict[int, ET.Element] = {}
    for seg in story.segments:
        group = groups.get(seg.unit_position)
        if group is None:
            group = ET.SubElement(
                file,
                q("group"),
                {"id": f"u{seg.unit_position}", "type": f"desk:{seg.unit_kind}"},
            )
            groups[seg.unit_position] = group
        state = _state(seg)
        unit = ET.SubElement(
            group,
            q("unit"),
            {"id": f"s{seg.number}", "name": seg.ref, f"{{{DESK_NS}}}meta": seg.meta},
        )
        if seg.glossary or seg.findings:
            unit_notes = ET.SubElement(unit, q("notes"))
            for hint in seg.glossary:
                ET.SubElement(
                    unit_notes, q("note"), {"category": "glossary", "appliesTo": "source"}
                ).text = hint
            for f in seg.findings:
                ET.SubElement(
                    unit_notes,
                    q("note"),
                    {"category": "finding", "priority": _priority(f)},
                ).text = _finding_text(f)
        attrs = {"id": str(seg.number), "state": STATE20[state]}
        if state == SegmentState.MACHINE:
            attrs["subState"] = f"desk:{seg.origin or 'mt'}"
        segment = ET.SubElement(unit, q("segment"), attrs)
        ET.SubElement(segment, q("source")).text = seg.source
        if seg.translation is not None:
            ET.SubElement(segment, q("target")).text = seg.translation
    return serialize(root)


def read_xliff20(root: ET.Element, name: str) -> InFile:
    ns = f"{{{NS20}}}"
    files = root.findall(f"{ns}file")
    story_id = files[0].get("original") if files else None
    entries = []
    for unit in root.iter(f"{ns}unit"):
        segments = unit.findall(f"{ns}segment")
        sources, targets, done = [], [], bool(segments)
        has_target, machine = False, bool(segments)
        for segment in segments:
            sources.append(flat_text(segment.find(f"{ns}source"), _CODES20, "cp"))
            target_el = segment.find(f"{ns}target")
            if target_el is not None:
                has_target = True
                targets.append(flat_text(target_el, _CODES20, "cp"))
                machine = machine and (
                    segment.get("state", "initial") == "initial"
                    and segment.get("subState") in MACHINE_SUBSTATES20
                )
            done = done and segment.get("state", "initial") in DONE20
        target = "".join(targets) if has_target else None
        entries.append(
            InEntry(
                where=f"{name}: unit {unit.get('id')}",
                ref=unit.get("name"),
                source="".join(sources),
                target=target,
                done=done and bool((target or "").strip()),
                meta=parse_meta(unit.get(f"{{{DESK_NS}}}meta")),
                machine=machine and has_target and not done,
            )
        )
    return InFile(
        name,
        "xliff2",
        story_id,
        entries,
        source_lang=_declared(root, "srcLang"),
        target_lang=_declared(root, "trgLang"),
    )


def read_xliff(root: ET.Element, name: str) -> InFile:
    if namespace(root.tag) == NS20:
        return read_xliff20(root, name)
    return read_xliff12(root, name)


__all__ = ["NS12", "NS20", "read_xliff", "write_xliff12", "write_xliff20"]
