"""Readers per format: Markdown with YAML front matter, HTML, plain text → IngestedStory."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from translate.i18n import _
from translate.ingest.decode import IngestError
from translate.model import IngestedStory, Unit

FRONT_MATTER_KEYS = (
    "title",
    "dek",
    "author",
    "outlet",
    "url",
    "language",
    "published",
    "updated",
    "dateline",
    "rights",
    "captions",
    "priority",
    "deadline",
)
_WS = re.compile(r"\s+")


def clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _inline_markdown(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    return clean(text)


def _meta_units(meta: dict[str, Any], body: list[Unit]) -> list[Unit]:
    units = [Unit("headline", clean(str(meta["title"])))]
    if meta.get("dek"):
        units.append(Unit("dek", clean(str(meta["dek"]))))
    if meta.get("dateline"):
        units.append(Unit("dateline", clean(str(meta["dateline"]))))
    units.extend(u for u in body if u.text)
    for caption in meta.get("captions") or []:
        if str(caption).strip():
            units.append(Unit("caption", clean(str(caption))))
    return units


def _story(meta: dict[str, Any], body: list[Unit], path: Path, fmt: str) -> IngestedStory:
    def opt(key: str) -> str | None:
        value = meta.get(key)
        return None if value in (None, "") else str(value).strip()

    extra = {k: meta[k] for k in ("priority", "deadline") if meta.get(k) is not None}
    return IngestedStory(
        title=clean(str(meta["title"])),
        language=str(meta["language"]).strip().lower(),
        units=_meta_units(meta, body),
        dek=opt("dek"),
        author=opt("author"),
        outlet=opt("outlet"),
        url=opt("url"),
        published=opt("published"),
        updated=opt("updated"),
        dateline=opt("dateline"),
        rights=opt("rights"),
        source_path=str(path),
        source_format=fmt,
        extra=extra,
    )


def _require(
    meta: dict[str, Any], path: Path, where: str, keys: tuple[str, ...] = ("title", "language")
) -> None:
    for key in keys:
        if not meta.get(key) or not str(meta[key]).strip():
            raise IngestError(
                _("{path}: missing '{key}' ({where})").format(path=path, key=key, where=where)
            )


# ------------------------------------------------------------------ Markdown

_HEADING = re.compile(r"^#{1,6}(\s|$)")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")  # a thematic break: ---, ***, ___
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)]) +")


def _markdown_blocks(body: str) -> list[str]:
    """Blank-line separated blocks; a heading line starts its own block, thematic breaks are
    dropped, and a list of two or more items gives one block per item (markers removed)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.strip("\n").splitlines() if line.strip()]
        while lines and _HEADING.match(lines[0].strip()):
            blocks.append(lines.pop(0).strip())
        if not lines or all(_RULE.match(line) for line in lines):
            continue
        starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
        if len(starts) >= 2 and starts[0] == 0:
            for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
                item = "\n".join(lines[a:b])
                blocks.append(_ITEM.sub("", item, count=1).strip())
        else:
            blocks.append("\n".join(lines).strip())
    return [b for b in blocks if b]


def read_markdown(text: str, path: Path, defaults: dict[str, Any]) -> IngestedStory:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    meta: dict[str, Any] = {}
    body = text
    lines = text.splitlines(keepends=True)
    offset = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                raw = "".join(lines[1:i])
                body = "".join(lines[i + 1 :])
                offset = 1
                try:
                    loaded = YAML(typ="safe").load(raw)
                except ValueError:  # a date that does not exist (2012-13-45): name the key
                    from translate.ingest.provenance import bad_yaml_date

                    plain = YAML(typ="base").load(raw)
                    problem = bad_yaml_date(plain if isinstance(plain, dict) else {}, path)
                    if problem is None:
                        raise IngestError(
                            _("{path}: front matter holds a value that is not a real date").format(
                                path=path
                            )
                        ) from None
                    raise problem from None
                except MarkedYAMLError as exc:
                    mark = exc.problem_mark or exc.context_mark
                    line = (mark.line + 1 + offset) if mark else 1
                    raise IngestError(
                        _("{path}:{line}: front matter is not valid YAML: {problem}").format(
                            path=path, line=line, problem=exc.problem or exc.context
                        )
                    ) from None
                except YAMLError as exc:
                    raise IngestError(
                        _("{path}: front matter is not valid YAML: {problem}").format(
                            path=path, problem=exc
                        )
                    ) from None
                if loaded is None:
                    loaded = {}
                if not isinstance(loaded, dict):
                    raise IngestError(
                        _("{path}:2: front matter must be a mapping of keys").format(path=path)
                    )
                meta = loaded
                break
        else:
            raise IngestError(
                _("{path}:1: front matter opened with '---' is never closed").format(path=path)
            )
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            raise IngestError(
                _("{path}: unknown front matter key '{key}' (known: {known})").format(
                    path=path, key=key, known=", ".join(FRONT_MATTER_KEYS)
                )
            )
    if meta.get("captions") is not None and not isinstance(meta["captions"], list):
        raise IngestError(_("{path}: front matter 'captions' must be a list").format(path=path))
    for key, value in meta.items():
        if key != "captions" and isinstance(value, (list, dict)):
            raise IngestError(
                _("{path}: front matter '{key}' must be text, not a list or mapping").format(
                    path=path, key=key
                )
            )
    for key, value in defaults.items():
        if value and not meta.get(key):
            meta[key] = value
    _require(meta, path, _("front matter"))
    units: list[Unit] = []
    for block in _markdown_blocks(body):
        if _HEADING.match(block):
            heading = clean(block.lstrip("#"))
            if not units and clean(str(meta["title"])) == heading:
                continue
            units.append(Unit("subhead", _inline_markdown(heading)))
        elif block.startswith(">"):
            quoted = "\n".join(line.lstrip()[1:] for line in block.splitlines())
            units.append(Unit("quote", _inline_markdown(quoted)))
        else:
            units.append(Unit("paragraph", _inline_markdown(block)))
    return _story(meta, units, path, "markdown")


# ------------------------------------------------------------------ HTML


class _StoryHTML(HTMLParser):
    BLOCKS = {
        "p": "paragraph",
        "figcaption": "caption",
        "blockquote": "quote",
        "h1": "headline",
        "h2": "subhead",
        "h3": "subhead",
        "li": "paragraph",
    }
    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_tag = ""
        self.lang = ""
        self.units: list[Unit] = []
        self._stack: list[str] = []
        self._buf: list[str] = []
        self._in_title = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].split("-")[0].lower()
        if tag == "meta":
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
        if tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
        if tag in self.SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCKS and not self._skip:
            if self._stack and self._buf:
                self._flush()
            self._stack.append(tag)
        if tag == "br" and self._stack:
            self._buf.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCKS and self._stack and self._stack[-1] == tag:
            self._flush()
            self._stack.pop()

    def _flush(self) -> None:
        text = clean("".join(self._buf))
        self._buf = []
        if text and self._stack:
            kind = self.BLOCKS[self._stack[0]]
            self.units.append(Unit(kind, text))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_tag += data
        elif self._stack and not self._skip:
            self._buf.append(data)


def read_html(text: str, path: Path, defaults: dict[str, Any]) -> IngestedStory:
    parser = _StoryHTML()
    parser.feed(text)
    parser.close()
    m = parser.meta
    headline = next((u.text for u in parser.units if u.kind == "headline"), "")
    body = [u for u in parser.units if u.kind != "headline"]
    meta: dict[str, Any] = {
        "title": headline or clean(m.get("og:title", "") or parser.title_tag),
        "language": parser.lang or m.get("language") or m.get("content-language") or "",
        "dek": m.get("description") or m.get("og:description"),
        "author": m.get("author") or m.get("article:author"),
        "outlet": m.get("og:site_name") or m.get("publisher"),
        "url": m.get("og:url") or m.get("canonical"),
        "published": m.get("article:published_time") or m.get("datepublished") or m.get("date"),
        "updated": m.get("article:modified_time") or m.get("datemodified"),
        "rights": m.get("copyright") or m.get("dcterms.rights"),
    }
    for key, value in defaults.items():
        if value:
            meta[key] = value
    _require(meta, path, _("<h1>/<title> and <html lang> or --lang"))
    if meta.get("dek") and body and clean(meta["dek"]) == body[0].text:
        meta["dek"] = None
    return _story(meta, body, path, "html")


# ------------------------------------------------------------------ plain text


def read_plain(text: str, path: Path, defaults: dict[str, Any]) -> IngestedStory:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip())]
    first, _sep, rest = blocks[0].partition("\n")
    meta: dict[str, Any] = {"title": clean(first), "language": ""}
    meta.update({k: v for k, v in defaults.items() if v})
    # Without --lang the language is identified from the text (see ingest.guess_language).
    _require(
        meta, path, _("the first line is the title; give the language with --lang"), keys=("title",)
    )
    body = [rest] + blocks[1:] if rest.strip() else blocks[1:]
    return _story(meta, [Unit("paragraph", clean(b)) for b in body if b.strip()], path, "text")


READERS = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_plain,
    ".text": read_plain,
}


def reader_for(path: Path):
    return READERS.get(path.suffix.lower())
