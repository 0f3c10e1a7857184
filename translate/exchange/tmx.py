"""TMX 1.4 export and import of the translation memory (valid per tmx14.dtd).

Export: one <tu> per entry with its source and target <tuv>, the time it was recorded
(creationdate) and the story it came from (<prop type="x-story">). Import is symmetric: a <tu>
adds one entry to each of the desk's pairs whose two languages it holds, in the pair's direction
whatever the unit's srclang says (an en/es TMX serves an es→en desk); units with no pair of the
desk are counted and left out. Region subtags are dropped (ru-RU → ru), inline codes are left out
of the text, entries already in the memory are skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from translate.clock import now_iso
from translate.errors import DeskError
from translate.exchange.xmlutil import flat_text, local, parse, serialize
from translate.i18n import _

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})
_TMX_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def _tmx_date(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_date(tmx: str | None) -> str | None:
    m = _TMX_DATE_RE.match((tmx or "").strip())
    if not m:
        return None
    y, mo, d, h, mi, s = (int(x) for x in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=UTC).isoformat(timespec="seconds")
    except ValueError:
        return None


def write_tmx(entries, user: str | None = None) -> tuple[bytes, int]:
    """(TMX document, number of units) for TM rows (dicts as TMQueries.tm_entries yields)."""
    from translate import __version__

    root = ET.Element("tmx", {"version": "1.4"})
    header = {
        "creationtool": "translate",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "translate-desk",
        "adminlang": "en",
        "srclang": "*all*",
        "datatype": "plaintext",
        "creationdate": _tmx_date(now_iso()) or "",
    }
    if user:
        header["creationid"] = user
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    count = 0
    for row in entries:
        attrs = {"tuid": str(row["id"]), "srclang": row["source_lang"]}
        created = _tmx_date(row["at"])
        if created:
            attrs["creationdate"] = created
        tu = ET.SubElement(body, "tu", attrs)
        if row["story_id"]:
            ET.SubElement(tu, "prop", {"type": "x-story"}).text = row["story_id"]
        for lang, text in (
            (row["source_lang"], row["source"]),
            (row["target_lang"], row["target"]),
        ):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
        count += 1
    return serialize(root, DOCTYPE), count


def _lang(value: str | None) -> str:
    return re.split(r"[-_]", (value or "").strip())[0].lower()


def read_tmx(
    raw: bytes, name: str, pairs: list[tuple[str, str]] | None = None
) -> tuple[list[dict], int]:
    """(TM rows without ids, units that gave none) from a TMX document; DeskError otherwise.

    With `pairs` (the desk's configured pairs) a unit is symmetric: it gives one row per pair whose
    two languages it holds, whichever of them the unit calls its source (an en/es unit serves an
    es→en desk). Without, one row per other language, from the unit's source variant."""
    from translate.tm import normalize

    root = parse(raw, name, _("nothing imported"))
    if local(root.tag) != "tmx":
        raise DeskError(
            _("{file}: not a TMX document (root element <{tag}>); nothing imported").format(
                file=name, tag=local(root.tag)
            )
        )
    header = root.find("header")
    default_src = _lang(header.get("srclang")) if header is not None else ""
    if default_src == "*all*":
        default_src = ""
    body = root.find("body")
    rows: list[dict] = []
    unused = 0
    fallback_at = now_iso()
    for tu in body.iter("tu") if body is not None else []:
        variants: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = _lang(tuv.get(XML_LANG) or tuv.get("lang"))
            text = flat_text(tuv.find("seg"), _CODES)
            if lang and text.strip():
                variants.setdefault(lang, text)
        story = next(
            (p.text for p in tu.findall("prop") if p.get("type") == "x-story" and p.text), None
        )
        at = _iso_date(tu.get("changedate")) or _iso_date(tu.get("creationdate")) or fallback_at
        if pairs is None:
            src = _lang(tu.get("srclang")) or default_src
            if src in ("", "*all*"):
                src = next(iter(variants), "")
            directions = [(src, lang) for lang in variants if src in variants and lang != src]
        else:
            directions = [(s, t) for s, t in pairs if s in variants and t in variants]
        if not directions:
            unused += 1
        for src, lang in directions:
            rows.append(
                {
                    "source_lang": src,
                    "target_lang": lang,
                    "source": variants[src],
                    "source_norm": normalize(variants[src]),
                    "target": variants[lang],
                    "story_id": story,
                    "segment_id": None,
                    "at": at,
                }
            )
    return rows, unused


def import_tmx(
    store,
    path,
    dry_run: bool = False,
    pairs: list[tuple[str, str]] | None = None,
    workflow=None,
    user: str | None = None,
):
    """Add a TMX file's units to the TM, into `pairs` (the desk's pairs) in whichever direction
    the file holds them. Returns {'added', 'duplicates', 'pairs', 'per_pair': {pair: {'added',
    'duplicates'}}, 'unused': units with no language pair of the desk}. With the workflow and a
    user, only editors may import (unless it is a dry run)."""
    from pathlib import Path

    if workflow is not None and not dry_run:
        from translate.review.access import require_role

        require_role(workflow, user, "tm.import")

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeskError(f"{path}: {exc.strerror or exc}") from None
    rows, unused = read_tmx(raw, str(path), pairs)
    known = store.tm_keys()
    fresh, seen = [], set()
    per_pair: dict[str, dict[str, int]] = {}
    for row in rows:
        key = (row["source_lang"], row["target_lang"], row["source_norm"], row["target"])
        counts = per_pair.setdefault(
            f"{row['source_lang']}-{row['target_lang']}", {"added": 0, "duplicates": 0}
        )
        if key in known or key in seen:
            counts["duplicates"] += 1
            continue
        seen.add(key)
        fresh.append(row)
        counts["added"] += 1
    if not dry_run:
        with store.write():
            store.tm_add(fresh)
    return {
        "added": len(fresh),
        "duplicates": len(rows) - len(fresh),
        "pairs": sorted(p for p, c in per_pair.items() if c["added"]),
        "per_pair": per_pair,
        "unused": unused,
    }


def export_tmx(store, user: str | None = None) -> tuple[bytes, int]:
    return write_tmx(store.tm_entries(), user)
