"""What the review screen shows: a segment and its surroundings laid out as lines of styled text.

Pure functions of a `View` (the segment, its story, neighbours, findings, glossary, house-style
changes, TM matches, comments) and the terminal's size: `compose()` decides what fits — the header,
the source, the translation, the findings and the key bar always; then, as room allows, the
glossary, the neighbouring segments (dimmed), comments and translation-memory matches. No terminal
I/O and no store here: translate/reviewscreen.py runs the application around them.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from translate.i18n import _, ngettext
from translate.store.states import SegmentState

LOW_CONFIDENCE = "mt.low_confidence"
LABEL = 10  # width of the label column
Line = list[tuple[str, str]]

STYLE = {
    "title": "reverse bold",
    "header": "bold",
    "label": "bold",
    "context": "dim",
    "confirmed": "fg:ansigreen",
    "missing": "fg:ansiyellow",
    "glossary": "fg:ansicyan",
    "blocking": "fg:ansired bold",
    "warning": "fg:ansiyellow",
    "tm": "fg:ansiblue",
    "comment": "fg:ansimagenta",
    "style": "fg:ansicyan",
    "draft": "fg:ansiyellow",
    "keys": "reverse",
    "key": "reverse bold",
    "ok": "fg:ansigreen",
    "error": "fg:ansired",
    "note": "fg:ansiyellow",
    "field": "",
    "prompt": "bold",
}


def keys() -> list[tuple[str, str]]:
    """One key per action: what the key bar and the help show."""
    return [
        ("a", _("accept")),
        ("e", _("edit")),
        ("E", _("editor")),
        ("s", _("skip")),
        ("b", _("back")),
        ("c", _("comment")),
        ("n", _("next finding")),
        ("l", _("low confidence")),
        ("u", _("undo style")),
        ("?", _("help")),
        ("q", _("quit")),
    ]


def field_keys(mode: str) -> list[tuple[str, str]]:
    """The keys of the field: an edit, a comment or an override reason."""
    if mode == "edit":
        return [
            (_("Enter"), _("save")),
            (_("Esc/Ctrl-C"), _("cancel (your text is kept)")),
            (_("Ctrl-U"), _("clear")),
        ]
    return [
        (_("Enter"), _("confirm") if mode == "override" else _("save")),
        (_("Esc/Ctrl-C"), _("cancel")),
    ]


def help_lines() -> list[str]:
    return [
        _("a, Enter   accept: confirm this translation and go to the next unconfirmed segment"),
        _("           (an open blocking finding asks for the reason to confirm over it)"),
        _("e          edit here (the current translation is in the field; Ctrl-C keeps your text)"),
        _("E          edit in $EDITOR (the source is shown as # lines, dropped on save)"),
        _("s, →       skip to the next segment without confirming"),
        _("b, ←       back to the previous segment"),
        _("c          comment on this segment"),
        _("n          next segment with an open finding"),
        _("l          next segment the engine was unsure of ({code})").format(code=LOW_CONFIDENCE),
        _(
            "u          undo the newest house-style change still in the text (as 'translate revert')"
        ),
        _("?          this help (any key closes it)"),
        _("q          quit (everything is already saved)"),
        "",
        _("Every action is saved at once; reopening resumes where you stopped."),
    ]


# ---------------------------------------------------------------- layout (pure, testable)
def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), width=max(10, width), break_on_hyphens=False, break_long_words=True
    ) or [""]


def labelled(label: str, text: str, style: str, width: int, label_style: str = "class:label"):
    """`text` wrapped beside a label column."""
    lines = []
    for i, part in enumerate(wrap(text, width - LABEL)):
        head = (label if i == 0 else "").ljust(LABEL - 1)[: LABEL - 1] + " "
        lines.append([(label_style, head), (style, part)])
    return lines


def one_line(label: str, text: str, style: str, width: int, label_style: str = "class:label"):
    head = label.ljust(LABEL - 1)[: LABEL - 1] + " "
    return [[(label_style, head), (style, shorten(text, width - LABEL))]]


@dataclass
class View:
    """Everything drawn for one segment, read fresh from the store after each action."""

    story_id: str
    title: str
    total: int
    confirmed: int
    seg: dict
    before: list[dict] = field(default_factory=list)
    after: list[dict] = field(default_factory=list)
    ctx: dict[str, Any] = field(default_factory=dict)
    story_comments: list[dict] = field(default_factory=list)
    draft: str | None = None
    revision: int = 1  # the story's source revision (translate/revisions)


def origin_of(seg: dict) -> str:
    if seg.get("origin") == "mt" and seg.get("engine"):
        return f"mt ({seg['engine']})"
    if seg.get("origin") == "human" and seg.get("author"):
        return seg["author"]
    return seg.get("origin") or "-"


def _title(view: View, width: int) -> Line:
    right = " " + _("{done} of {total} confirmed").format(done=view.confirmed, total=view.total)
    right += " "
    left = " " + shorten(f"{view.title}  [{view.story_id}]", max(1, width - len(right) - 2))
    pad = max(0, width - len(left) - len(right))
    return [("class:title", left + " " * pad + right)]


def _header(view: View) -> Line:
    seg = view.seg
    state = SegmentState(seg["state"]).label
    line = [
        ("class:header", f"{seg['number']}/{view.total}"),
        ("", f"  {seg['unit_kind']}  ·  {state}  ·  {origin_of(seg)}"),
    ]
    if view.revision > 1 and (seg.get("revision") or 1) == view.revision:
        # the source of this segment changed in the latest revision of the story
        line.append(("class:note", "  ·  " + _("reopened in revision {n}").format(n=view.revision)))
    return line


def _neighbour(seg: dict, width: int, full: bool) -> list[Line]:
    label = f"  {seg['number']}"
    text = seg["translation"] if seg["translation"] is not None else seg["source"]
    if not full:
        return one_line(label, text, "class:context", width, "class:context")
    lines = labelled(label, seg["source"], "class:context", width, "class:context")
    if seg["translation"] is not None:
        lines += labelled("", seg["translation"], "class:context", width, "class:context")
    return lines


def _glossary(view: View, width: int, full: bool) -> list[Line]:
    items = []
    for hit in view.ctx.get("glossary", []):
        if hit["kind"] == "keep":
            rendering = _("keep as «{text}»").format(text=hit["rendering"])
        else:
            rendering = hit["rendering"] or _("(no rendering)")
        text = f"{hit['text']} → {rendering}"
        if hit["avoid"]:
            text += "  " + _("(avoid: {words})").format(words=", ".join(hit["avoid"]))
        items.append(text)
    if not items:
        return []
    if not full:
        return one_line(_("glossary"), " · ".join(items), "class:glossary", width)
    out: list[Line] = []
    for item in items:
        out += labelled(_("glossary"), item, "class:glossary", width)
    return out


def _findings(view: View, width: int, full: bool) -> list[Line]:
    found = view.ctx.get("findings", [])
    open_ = [f for f in found if f["status"] == "open"]
    if not found:
        return []
    if not full:
        if not open_:
            return one_line("✓", _("findings overridden"), "", width)
        worst = "class:blocking" if any(f["severity"] == "blocking" for f in open_) else ""
        text = ngettext("{n} open finding: {list}", "{n} open findings: {list}", len(open_))
        codes = ", ".join(f"{f['code']} ({f['severity']})" for f in open_)
        return one_line("!", text.format(n=len(open_), list=codes), worst or "class:warning", width)
    out: list[Line] = []
    for f in found:
        if f["status"] == "open":
            style = "class:blocking" if f["severity"] == "blocking" else "class:warning"
            out += labelled("!", f"{f['code']} ({f['severity']}): {f['message']}", style, width)
        else:
            reason = _("overridden ({reason})").format(reason=f["override_reason"])
            out += labelled("✓", f"{f['code']}: {reason}", "", width)
    return out


def style_changes(view: View) -> list[dict]:
    """The house-style changes of the localize stage still in the segment's text, oldest first."""
    from translate.localize.revert import applied_changes

    return applied_changes(view.ctx.get("localized", []), view.seg.get("translation"))


def _localized(view: View, width: int, full: bool) -> list[Line]:
    """The machine's house-style changes: a count on one line, or one line per change."""
    changes = style_changes(view)
    if not changes:
        return []
    if not full:
        text = ngettext(
            "{n} house-style change (u undoes the newest)",
            "{n} house-style changes (u undoes the newest)",
            len(changes),
        ).format(n=len(changes))
        return one_line(_("style"), text, "class:style", width)
    out: list[Line] = []
    for c in changes:
        out += one_line(
            _("style"), f"{c['rule']}: {c['before']} → {c['after']}", "class:style", width
        )
    return out


def _tm(view: View, width: int, full: bool) -> list[Line]:
    matches = view.ctx.get("tm", [])
    if not matches:
        return []
    if not full:
        m = matches[0]
        return one_line(_("TM"), f"{m['score']}%  {m['target']}", "class:tm", width)
    out: list[Line] = []
    for m in matches:
        out += labelled(_("TM"), f"{m['score']}%  {m['target']}", "class:tm", width)
        out += labelled("", m["diff"], "class:tm", width)
    return out


def _comments(view: View, width: int, full: bool) -> list[Line]:
    notes = [(c["user"], c["text"]) for c in view.story_comments[-3:]]
    notes += [(c["user"], c["text"]) for c in view.ctx.get("comments", [])]
    problems = view.ctx.get("problems", [])
    if not notes and not problems:
        return []
    if not full:
        if notes:
            user, text = notes[-1]
            return one_line("#", f"{user}: {text}", "class:comment", width)
        return one_line(_("note"), problems[0], "class:note", width)
    out: list[Line] = []
    for user, text in notes:
        out += labelled("#", f"{user}: {text}", "class:comment", width)
    for problem in problems:
        out += labelled(_("note"), problem, "class:note", width)
    return out


def _cut(block: list[Line], lines: int) -> list[Line]:
    if len(block) <= lines:
        return block
    kept = [list(line) for line in block[:lines]]
    style, text = kept[-1][-1]
    kept[-1][-1] = (style, text[:-1].rstrip() + "…" if len(text) > 1 else "…")
    return kept


def compose(view: View, width: int, height: int) -> list[Line]:
    """The body of the screen for a `width` x `height` area. Always: the title (one line), the
    header, the source, the translation (and your unsaved text) and a findings summary; then,
    while they fit, the glossary, the findings in full, the neighbouring segments of the
    paragraph (nearest first), comments and TM matches."""
    seg = view.seg
    now: list[Line]
    if seg["translation"] is None:
        now = labelled(
            _("now"), _("(no translation yet: press e to write one)"), "class:missing", width
        )
    else:
        style = "class:confirmed" if seg["state"] >= SegmentState.CONFIRMED else ""
        now = labelled(_("now"), seg["translation"], style, width)
    yours = labelled(_("yours"), view.draft, "class:draft", width) if view.draft else []
    source = labelled(_("source"), seg["source"], "", width)
    # a segment too long for the screen: each text gets its share, cut with "…" (only then)
    room = (
        height
        - 4
        - (1 if view.ctx.get("findings") else 0)
        - (1 if view.ctx.get("glossary") else 0)
        - (1 if style_changes(view) else 0)
    )
    if len(source) + len(now) + len(yours) > room:
        share = max(1, room // (3 if yours else 2))
        source, now, yours = (_cut(block, share) for block in (source, now, yours))

    # each part: (position on screen, variants from smallest to fullest)
    parts: dict[str, tuple[int, list[list[Line]]]] = {
        "title": (0, [[_title(view, width)]]),
        "header": (1, [[_header(view)]]),
        "current": (50, [source + now + yours]),
        "glossary": (70, [_glossary(view, width, False), _glossary(view, width, True)]),
        "findings": (80, [_findings(view, width, False), _findings(view, width, True)]),
        "localized": (85, [_localized(view, width, False), _localized(view, width, True)]),
        "comments": (90, [[], _comments(view, width, False), _comments(view, width, True)]),
        "tm": (95, [[], _tm(view, width, False), _tm(view, width, True)]),
    }
    for i, s in enumerate(reversed(view.before), 1):
        parts[f"b{i}"] = (50 - i, [[], _neighbour(s, width, False), _neighbour(s, width, True)])
    for i, s in enumerate(view.after, 1):
        parts[f"a{i}"] = (60 + i, [[], _neighbour(s, width, False), _neighbour(s, width, True)])
    chosen = {name: 0 for name in parts}
    upgrades = ["findings", "glossary", "localized", "b1", "a1", "comments", "tm"]
    upgrades += ["b1", "a1", "b2", "a2", "comments", "b2", "a2", "tm"]
    for i in range(3, max(len(view.before), len(view.after)) + 1):
        upgrades += [f"b{i}", f"a{i}", f"b{i}", f"a{i}"]

    def used() -> int:
        return sum(len(parts[n][1][chosen[n]]) for n in parts)

    for name in upgrades:
        if name not in parts or chosen[name] + 1 >= len(parts[name][1]):
            continue
        chosen[name] += 1
        if used() > height - 2:  # keep room for the two blank lines that frame the paragraph
            chosen[name] -= 1
    spare = height - used()
    lines: list[Line] = []
    for name in sorted(parts, key=lambda n: parts[n][0]):
        if name == "glossary" and spare >= 1:
            lines.append([])  # the paragraph above, what the desk knows of this segment below
        lines += parts[name][1][chosen[name]]
        if name == "header" and spare >= 2:
            lines.append([])
    return lines[:height]


def key_bar(items: list[tuple[str, str]], width: int) -> list[Line]:
    """The keys, wrapped to the width: 'a accept · e edit · …'."""
    lines: list[Line] = [[]]
    length = 0
    for key, what in items:
        piece = len(key) + 1 + len(what)
        sep = 3 if length else 1
        if length and length + sep + piece > width:
            lines[-1].append(("class:keys", " " * max(0, width - length)))
            lines.append([])
            length, sep = 0, 1
        lines[-1] += [
            ("class:keys", " · " if length else " "),
            ("class:key", key),
            ("class:keys", " " + what),
        ]
        length += sep + piece
    lines[-1].append(("class:keys", " " * max(0, width - length)))
    return lines


# ---------------------------------------------------------------- the application
