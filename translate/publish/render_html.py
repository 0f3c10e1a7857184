"""HTML with every text escaped and schema.org NewsArticle JSON-LD.

Texts come from outside (headlines, names, URLs), so:
- every text and attribute goes through `esc()`: `& < > " '` become entities; control characters
  and the bidi embedding/override/isolate controls (U+202A–202E, U+2066–2069, which can reorder the
  surrounding text) are removed; the invisible direction marks (LRM, RLM, ALM) are kept as numeric
  character references so they stay visible in the source;
- links are written only for http(s) URLs (no `javascript:`);
- the JSON-LD is JSON with `<`, `>`, `&` and the line separators written as `\\uXXXX`, so no text
  can close the `<script>` element.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
_MARKS = {"\u200e": "&#x200E;", "\u200f": "&#x200F;", "\u061c": "&#x061C;"}


def esc(text: str | None) -> str:
    if text is None:
        return ""
    out = html.escape(_STRIP.sub("", str(text)), quote=True)
    for mark, ref in _MARKS.items():
        out = out.replace(mark, ref)
    return out


def safe_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _people(names: list[str]) -> list[dict[str, str]]:
    return [{"@type": "Person", "name": n} for n in names]


def json_ld(doc: dict[str, Any]) -> dict[str, Any]:
    original = doc["original"]
    work: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": original["headline"],
        "inLanguage": original["language"],
    }
    if original["url"]:
        work["url"] = original["url"]
    if original["outlet"]:
        work["publisher"] = {"@type": "Organization", "name": original["outlet"]}
    if original["published"]:
        work["datePublished"] = original["published"]
    if original["author"]:
        work["author"] = _people([original["author"]])
    revisions = doc.get("source_revisions") or []
    if doc.get("source_revision"):
        work["version"] = str(doc["source_revision"])
    if len(revisions) > 1:  # the original was updated: every revision of it, oldest first
        work["dateModified"] = revisions[-1]["at"]
        work["workExample"] = [
            {"@type": "CreativeWork", "version": str(r["number"]), "dateModified": r["at"]}
            for r in revisions
        ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": doc["headline"],
        "inLanguage": doc["language"],
        # an unknown author is left out (an empty list says nothing), like the other unknowns
        **({"author": _people([doc["byline"]])} if doc["byline"] else {}),
        "translator": _people(doc["translators"]),
        "editor": _people(doc["editors"]),
        "datePublished": doc["date_published"],
        "translationOfWork": work,
        "version": str(doc["version"]),
        "creditText": doc["credit"],
    }
    if doc["dek"]:
        data["description"] = doc["dek"]
    if doc["date_modified"]:
        data["dateModified"] = doc["date_modified"]
    if doc["rights"]:
        data["copyrightNotice"] = doc["rights"]
    if doc["corrections"]:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c["note"], "datePublished": c["date"]}
            for c in doc["corrections"]
        ]
    return data


def script_json(data: Any) -> str:
    """JSON safe inside <script>: `< > &`, line separators and invisible format characters
    (bidi controls, marks) written as \\uXXXX escapes."""
    raw = json.dumps(data, ensure_ascii=False, indent=2)
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", raw)


def _body(doc: dict[str, Any]) -> list[str]:
    out = []
    dateline = doc["dateline"]
    for unit in doc["units"]:
        kind, text = unit["kind"], esc(unit["text"])
        if kind == "paragraph" and dateline:
            text = f'<span class="dateline">{esc(dateline)}</span> — {text}'
            dateline = None
        if kind == "subhead":
            out.append(f"<h2>{text}</h2>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{text}</p></blockquote>")
        elif kind == "caption":
            out.append(f"<figure><figcaption>{text}</figcaption></figure>")
        else:
            out.append(f"<p>{text}</p>")
    if dateline:
        out.insert(0, f'<p class="dateline">{esc(dateline)}</p>')
    return out


def _footer(doc: dict[str, Any]) -> list[str]:
    original = doc["original"]
    out = ["<footer>"]
    if doc["credit"]:
        out.append(f'<p class="credit">{esc(doc["credit"])}</p>')
    if doc["disclosure"]:
        out.append(f'<p class="disclosure">{esc(doc["disclosure"])}</p>')
    title = f'<cite lang="{esc(original["language"])}">{esc(original["headline"])}</cite>'
    url = safe_url(original["url"])
    if url:
        title = f'<a href="{esc(url)}" hreflang="{esc(original["language"])}">{title}</a>'
    where = ", ".join(esc(x) for x in (original["outlet"], original["published_display"]) if x)
    out.append(f'<p class="original">Original: {title}{f" ({where})" if where else ""}</p>')
    if doc["rights"]:
        out.append(f'<p class="rights">{esc(doc["rights"])}</p>')
    if doc["corrections"]:
        out.append('<section class="corrections"><h2>Corrections</h2><ul>')
        for c in doc["corrections"]:
            out.append(
                f'<li><time datetime="{esc(c["date"])}">{esc(c["date"])}</time> '
                f"(v{int(c['version'])}): {esc(c['note'])}</li>"
            )
        out.append("</ul></section>")
    out.append("</footer>")
    return out


def render(doc: dict[str, Any]) -> str:
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(doc["language"])}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(doc['headline'])}</title>",
    ]
    if doc["dek"]:
        head.append(f'<meta name="description" content="{esc(doc["dek"])}">')
    head += [
        f'<script type="application/ld+json">\n{script_json(json_ld(doc))}\n</script>',
        "</head>",
        "<body>",
        "<article>",
        "<header>",
        f"<h1>{esc(doc['headline'])}</h1>",
    ]
    if doc["dek"]:
        head.append(f'<p class="dek">{esc(doc["dek"])}</p>')
    if doc["byline"]:
        head.append(f'<p class="byline">By <span class="author">{esc(doc["byline"])}</span></p>')
    if doc["date_modified"]:
        head.append(
            f'<p class="updated">Updated <time datetime="{esc(doc["date_modified"])}">'
            f"{esc(doc.get('date_modified_display') or doc['date_modified'])}</time></p>"
        )
    head.append("</header>")
    tail = ["</article>", "</body>", "</html>", ""]
    return "\n".join(head + _body(doc) + _footer(doc) + tail)
