"""Markdown with YAML front matter, for static-site generators.

Front matter is written by a YAML dumper (never by string pasting), so quotes, colons and newlines
in a headline cannot break it. In the body, characters that Markdown would turn into markup or raw
HTML (`<`, `*`, `_`, `[`, backquotes, a leading `#`...) are backslash-escaped: the text reads as
text in every renderer.
"""

from __future__ import annotations

import io
import re
from typing import Any

# control characters and bidi embedding/override/isolate controls (see render_html.py)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INLINE = re.compile(r"([\\`*_\[\]<>|&~])")
_LINE_START = re.compile(r"^([#+\-=])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    text = " ".join(_CONTROLS.sub("", text).split())
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\\\1", text)
    return _NUMBERED.sub(r"\1\\\2", text)


def front_matter(doc: dict[str, Any]) -> dict[str, Any]:
    original = doc["original"]
    meta: dict[str, Any] = {
        "headline": doc["headline"],
        "dek": doc["dek"],
        "byline": doc["byline"],
        "dateline": doc["dateline"],
        "language": doc["language"],
        "translators": doc["translators"],
        "editors": doc["editors"],
        "version": doc["version"],
        "date_published": doc["date_published"],
        "date_modified": doc["date_modified"],
        "source_revision": doc.get("source_revision"),
        "original": {
            "headline": original["headline"],
            "language": original["language"],
            "outlet": original["outlet"],
            "url": original["url"],
            "author": original["author"],
            "published": original["published"],
        },
        "rights": doc["rights"],
        "credit": doc["credit"],
        "machine_translation": doc["machine_translation"],
        "corrections": doc["corrections"],
    }
    return {k: v for k, v in meta.items() if v not in (None, [], "")}


def dump_yaml(data: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False
    yaml.width = 4096
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def render(doc: dict[str, Any]) -> str:
    out = ["---\n", dump_yaml(front_matter(doc)), "---\n\n", f"# {md_escape(doc['headline'])}\n"]
    if doc["dek"]:
        out.append(f"\n*{md_escape(doc['dek'])}*\n")
    if doc["byline"]:
        out.append(f"\nBy {md_escape(doc['byline'])}\n")
    if doc["date_modified"]:
        when = doc.get("date_modified_display") or doc["date_modified"]
        out.append(f"\n*Updated {md_escape(when)}*\n")
    dateline = doc["dateline"]
    for unit in doc["units"]:
        text = md_escape(unit["text"])
        kind = unit["kind"]
        if kind == "paragraph" and dateline:
            text = f"{md_escape(dateline)} — {text}"
            dateline = None
        if kind == "subhead":
            out.append(f"\n## {text}\n")
        elif kind == "quote":
            out.append(f"\n> {text}\n")
        elif kind == "caption":
            out.append(f"\n*{text}*\n")
        else:
            out.append(f"\n{text}\n")
    if dateline:
        out.append(f"\n{md_escape(dateline)}\n")
    out.append("\n---\n")
    if doc["credit"]:
        out.append(f"\n*{md_escape(doc['credit'])}*\n")
    if doc["disclosure"]:
        out.append(f"\n*{md_escape(doc['disclosure'])}*\n")
    if doc["rights"]:
        out.append(f"\n{md_escape(doc['rights'])}\n")
    if doc["corrections"]:
        out.append("\n**Corrections**\n\n")
        for c in doc["corrections"]:
            out.append(f"- {md_escape(c['date'])} (v{c['version']}): {md_escape(c['note'])}\n")
    return "".join(out)
