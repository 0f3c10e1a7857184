"""The interactive review screen: a full-screen application, one segment at a time, one key per action.

Terminal code only: every action goes through translate.review (the same functions as the
scriptable `edit`, `confirm` and `comment`), each saved at once in its own transaction, so Ctrl-C or
a killed terminal loses nothing saved. The screen redraws in place (prompt_toolkit's full-screen
layout); `compose()` decides what fits: the header, the source, the translation, the findings and
the key bar always; then, as room allows, the glossary, the neighbouring segments of the paragraph
(dimmed), comments and translation-memory matches. The house-style changes of the localize stage
still in the text are listed (or counted, when short of room) and `u` undoes the newest, through
translate.localize.revert as `translate revert` does. The edit field opens with the current
translation in it, because translators post-edit rather than retype; what is typed and not saved
is kept as a draft (translate/review/resume.py) and offered back on the next `e`, even after the
program has exited. Colours follow NO_COLOR.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _, ngettext
from translate.store.states import SegmentState, StoryState

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
class Screen:
    def __init__(self, store, workflow: Workflow, story_id: str, user: str):
        from translate.review.resume import drafts_for

        self.store, self.workflow, self.user = store, workflow, user
        self.story = store.story(story_id)
        self.story_id = self.story["id"]
        self.total = store.segment_count(self.story_id)
        self.drafts = drafts_for(workflow, user, self.story_id)
        self.number = 1
        self.mode = "keys"  # keys | help | edit | comment | override
        self.message: tuple[str, str] = ("", "")
        self.field_base: int | None = None
        self.outcome = "quit"
        self.view: View | None = None

    # ------------------------------------------------------------ opening
    def open(self) -> None:
        from translate import review
        from translate.review.resume import resume_point

        state = StoryState(self.story["state"])
        notes = []
        if state < StoryState.SUBMITTED:
            got = review.claim(self.store, self.workflow, self.story_id, self.user)
            notes.append(
                _("claimed '{id}' until {until}").format(
                    id=self.story_id, until=review.format_time(got["claim_until"])
                )
            )
        else:
            review.access.may_change(self.workflow, self.story, self.user)  # refuses translators
            if state == StoryState.APPROVED:
                notes.append(_("approved: a change here withdraws the approval"))
            elif state == StoryState.PUBLISHED:
                notes.append(_("published: a change here reopens the story"))
        self.story = self.store.story(self.story_id)
        where = resume_point(self.store, self.story_id, self.user, self.drafts)
        self.number = where["number"]
        if where["reason"] == "draft":
            notes.append(
                _("resuming at segment {n}: your unsaved text is kept, press e").format(
                    n=self.number
                )
            )
        elif where["reason"] == "touched":
            notes.append(_("resuming at segment {n}, where you stopped").format(n=self.number))
        elif self.number > 1:
            notes.append(_("resuming at segment {n} (the first unconfirmed)").format(n=self.number))
        self.say(" · ".join(reversed(notes)), "note" if state >= StoryState.APPROVED else "")

    def load(self) -> None:
        """Read the current segment and its surroundings fresh: others may have changed them."""
        from translate.review.context import segment_context, unit_neighbours

        segments = self.store.segments(self.story_id)
        self.total = len(segments)
        self.number = max(1, min(self.number, self.total))
        seg = next((s for s in segments if s["number"] == self.number), segments[0])
        self.number = seg["number"]
        before, after = unit_neighbours(segments, seg)
        draft = self.drafts.get(self.number)
        self.view = View(
            story_id=self.story_id,
            title=self.story["title"],
            total=self.total,
            confirmed=sum(1 for s in segments if s["state"] >= SegmentState.CONFIRMED),
            seg=seg,
            before=before,
            after=after,
            ctx=segment_context(self.store, self.workflow, self.story, seg),
            story_comments=self.store.comments(self.story_id, None),
            draft=draft["text"] if draft else None,
            revision=self.story.get("revision") or 1,
        )

    def say(self, text: str, style: str = "") -> None:
        self.message = (f"class:{style}" if style else "", text)

    @property
    def seg(self) -> dict:
        assert self.view is not None
        return self.view.seg

    # ------------------------------------------------------------ navigation
    def go(self, number: int) -> None:
        self.number = number
        self.load()

    def after_last(self) -> None:
        """Past the last segment: back to the first unconfirmed one, or done."""
        left = self.store.unconfirmed_numbers(self.story_id)
        if left:
            self.say(
                _("back to the first unconfirmed segment ({n} left)").format(n=len(left)), "note"
            )
            self.go(left[0])
        else:
            self.finish("done")

    def finish(self, outcome: str) -> None:
        self.outcome = outcome
        self.app.exit()

    # ------------------------------------------------------------ actions
    def accept(self, override: str | None = None) -> None:
        from translate import review

        seg = self.seg
        number = seg["number"]
        if seg["translation"] is None:
            self.say(_("nothing to confirm yet: press e to write a translation"), "note")
            return
        try:
            changed = review.confirm_segment(
                self.store,
                self.workflow,
                self.story_id,
                number,
                self.user,
                base_version_id=seg["version_id"],
                override=override,
                refuse_blocking=True,
            )
        except review.BlockingFindings as exc:
            self.say(exc.message, "error")
            self.open_field("override", "")
            return
        if not changed:
            if number >= self.total:
                self.after_last()
            else:
                self.go(number + 1)
            return
        left = self.store.unconfirmed_numbers(self.story_id)
        done = _("confirmed {n}/{total}").format(n=number, total=self.total)
        if override:
            done += "  " + _("(override: {reason})").format(reason=override)
        self.say(done, "ok")
        later = [n for n in left if n > number]
        if later:
            self.go(later[0])
        elif left:
            self.say(
                done
                + " · "
                + _("back to the first unconfirmed segment ({n} left)").format(n=len(left)),
                "ok",
            )
            self.go(left[0])
        else:
            self.finish("done")

    def open_field(self, mode: str, text: str) -> None:
        from prompt_toolkit.document import Document

        self.mode = mode
        self.field_base = self.seg["version_id"]
        self.field.buffer.set_document(Document(text, len(text)), bypass_readonly=True)
        self.app.layout.focus(self.field)

    def close_field(self) -> None:
        self.mode = "keys"
        self.app.layout.focus(self.body)

    def start_edit(self) -> None:
        draft = self.drafts.get(self.number)
        if draft:
            self.say(_("your unsaved text is in the field (Ctrl-U clears it)"), "note")
            text = draft["text"]
        else:
            text = self.seg["translation"] or ""
        self.open_field("edit", text)

    def keep_draft(self, text: str) -> bool:
        """Keep unsaved text for the next `e` (also after the program exits)."""
        from translate.review.resume import last_event_id

        text = text.strip()
        if not text or text == (self.seg["translation"] or ""):
            self.drafts.drop(self.number)
            return False
        try:
            event = last_event_id(self.store, self.story_id, self.user)
            self.drafts.put(self.number, text, self.field_base, event)
        except OSError as exc:
            self.say(_("your text could not be kept: {error}").format(error=exc), "error")
            return False
        return True

    def save(self, text: str, base: int | None) -> None:
        """Save an edit (from the field or the editor); a refused one is kept as a draft."""
        from translate import review

        text = " ".join(text.split()) if "\n" in text.strip() else text.strip()
        if not text:
            self.say(_("empty translation: nothing saved"), "note")
            return
        if text == (self.seg["translation"] or ""):
            self.drafts.drop(self.number)
            self.say(_("unchanged"))
            return
        try:
            version = review.edit_segment(
                self.store,
                self.workflow,
                self.story_id,
                self.number,
                text,
                self.user,
                base_version_id=base,
            )
        except review.EditConflict as exc:
            self.field_base = base
            self.keep_draft(text)
            self.say(
                exc.message.splitlines()[0]
                + " — "
                + _("press e to edit again, starting from your text"),
                "error",
            )
            self.load()
            return
        self.drafts.drop(self.number)
        self.say(_("saved (version {v})").format(v=version), "ok")
        self.load()

    def submit_field(self) -> None:
        from translate import review

        text = self.field.text
        mode = self.mode
        self.close_field()
        try:
            if mode == "edit":
                self.save(text, self.field_base)
            elif mode == "comment":
                if text.strip():
                    review.add_comment(
                        self.store, self.story_id, self.number, text, self.user, self.workflow
                    )
                    self.say(_("comment saved"), "ok")
                    self.load()
                else:
                    self.say(_("comment cancelled"))
            elif mode == "override":
                if not text.strip():
                    self.say(_("an override needs a reason"), "error")
                    self.open_field("override", "")
                    return
                self.accept(override=text.strip())
        except DeskError as exc:
            self.say(exc.message, "error")
            self.load()

    def cancel_field(self) -> None:
        if self.mode == "edit":
            if self.keep_draft(self.field.text):
                self.say(_("edit cancelled; your text is kept: press e to go on with it"), "note")
                self.load()
            else:
                self.say(_("edit cancelled; nothing saved"))
        elif self.mode == "comment":
            self.say(_("comment cancelled"))
        else:
            self.say(_("not confirmed"))
        self.close_field()

    def in_editor(self) -> None:
        from translate.editor import compose as compose_file
        from translate.editor import edit_text, strip_comments

        seg = self.seg
        draft = self.drafts.get(self.number)
        current = draft["text"] if draft else (seg["translation"] or "")
        heading = _("Segment {n}/{total} of '{id}', source:").format(
            n=seg["number"], total=self.total, id=self.story_id
        )
        base = seg["version_id"]
        text = edit_text(compose_file(seg["source"], current, heading))
        self.save(strip_comments(text or ""), base)

    def undo_style(self) -> None:
        """Revert the newest house-style change still in the text, through the same library
        function as `translate revert` (a stale screen gets the edit conflict message)."""
        from translate.localize.revert import revert_change

        assert self.view is not None
        if not style_changes(self.view):
            self.say(_("no house-style change to undo in this segment"), "note")
            return
        seg = self.seg
        version, change = revert_change(
            self.store,
            self.workflow,
            self.story_id,
            seg["number"],
            self.user,
            base_version_id=seg["version_id"],
        )
        self.say(
            _(
                "segment {n}: reverted {rule} change '{before}' → '{after}' (saved as version {v})"
            ).format(
                n=seg["number"],
                rule=change["rule"],
                before=change["after"],
                after=change["before"],
                v=version,
            ),
            "ok",
        )
        self.load()

    def next_with(self, code: str | None) -> None:
        from translate.review.context import next_with_finding

        found = next_with_finding(self.store, self.story_id, self.number, code)
        if found is None:
            if code is None:
                self.say(_("no open findings"))
            else:
                self.say(_("no segment with an open {code} finding").format(code=code))
        else:
            self.go(found)

    # ------------------------------------------------------------ building the application
    def build(self):
        from prompt_toolkit.application import Application
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl, UIContent, UIControl
        from prompt_toolkit.layout.dimension import Dimension
        from prompt_toolkit.styles import Style
        from prompt_toolkit.widgets import TextArea

        screen = self

        class Body(UIControl):
            def create_content(self, width: int, height: int) -> UIContent:
                if screen.mode == "help":
                    lines = [
                        [("", part)]
                        for line in help_lines()
                        for part in textwrap.wrap(line, width, subsequent_indent=" " * 11) or [""]
                    ][:height]
                else:
                    assert screen.view is not None
                    lines = compose(screen.view, width, height)
                return UIContent(
                    get_line=lambda i: lines[i], line_count=len(lines), show_cursor=False
                )

            def is_focusable(self) -> bool:
                return True

        def columns() -> int:
            return self.app.output.get_size().columns

        def bar_items():
            return field_keys(self.mode) if self.mode in ("edit", "comment", "override") else keys()

        def field_prompt():
            labels = {"edit": _("edit> "), "comment": _("comment> "), "override": _("reason> ")}
            return [("class:prompt", labels.get(self.mode, ""))]

        def field_height() -> Dimension:
            width = max(1, columns())
            prompt = len(field_prompt()[0][1])
            need = sum((prompt + len(line)) // width + 1 for line in self.field.text.split("\n"))
            return Dimension.exact(max(1, min(need, 8)))

        def message_lines() -> list[str]:
            return wrap(self.message[1], columns() - 1)[:3] if self.message[1] else [""]

        self.field = TextArea(
            multiline=True,  # wraps a long translation over several lines; Enter saves
            wrap_lines=True,
            prompt=field_prompt,
            height=field_height,
            style="class:field",
        )
        self.body = Window(Body(), wrap_lines=False)
        in_field = Condition(lambda: self.mode in ("edit", "comment", "override"))
        keys_mode = Condition(lambda: self.mode == "keys")
        help_mode = Condition(lambda: self.mode == "help")
        root = HSplit(
            [
                self.body,
                ConditionalContainer(self.field, filter=in_field),
                Window(
                    FormattedTextControl(
                        lambda: [(self.message[0], line + "\n") for line in message_lines()]
                    ),
                    height=lambda: Dimension.exact(len(message_lines())),
                ),
                Window(
                    FormattedTextControl(
                        lambda: [
                            frag
                            for i, line in enumerate(key_bar(bar_items(), columns()))
                            for frag in ([("", "\n")] if i else []) + line
                        ]
                    ),
                    height=lambda: Dimension.exact(len(key_bar(bar_items(), columns()))),
                ),
            ]
        )
        kb = KeyBindings()

        def act(fn):
            def handler(event) -> None:
                self.say("")
                try:
                    fn()
                except DeskError as exc:
                    self.say(exc.message, "error")
                    self.load()

            return handler

        def move(step: int):
            def fn() -> None:
                target = self.number + step
                if target > self.total:
                    self.after_last()
                else:
                    self.go(max(1, target))

            return fn

        for key in ("a", "enter"):
            kb.add(key, filter=keys_mode)(act(self.accept))
        kb.add("e", filter=keys_mode)(act(self.start_edit))
        for key in ("s", "right", "space"):
            kb.add(key, filter=keys_mode)(act(move(1)))
        for key in ("b", "left"):
            kb.add(key, filter=keys_mode)(act(move(-1)))
        kb.add("c", filter=keys_mode)(act(lambda: self.open_field("comment", "")))
        kb.add("n", filter=keys_mode)(act(lambda: self.next_with(None)))
        kb.add("l", filter=keys_mode)(act(lambda: self.next_with(LOW_CONFIDENCE)))
        kb.add("u", filter=keys_mode)(act(self.undo_style))
        kb.add("?", filter=keys_mode)(act(lambda: setattr(self, "mode", "help")))
        kb.add("q", filter=keys_mode)(act(lambda: self.finish("quit")))

        @kb.add("E", filter=keys_mode)
        async def _editor(event) -> None:
            from prompt_toolkit.application import in_terminal

            self.say("")
            try:
                async with in_terminal():
                    self.in_editor()
            except DeskError as exc:
                self.say(exc.message, "error")
                self.load()

        @kb.add("c-c", filter=keys_mode | help_mode)
        def _interrupt(event) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        @kb.add("<any>", filter=help_mode)
        def _close_help(event) -> None:
            self.mode = "keys"

        @kb.add("<any>", filter=keys_mode)
        def _unknown(event) -> None:
            key = event.key_sequence[0].data
            self.say(_("unknown key {key!r}: press ? for help").format(key=key), "note")

        @kb.add("enter", filter=in_field)
        def _submit(event) -> None:
            self.submit_field()

        @kb.add("c-c", filter=in_field)
        @kb.add("escape", filter=in_field, eager=True)
        def _cancel(event) -> None:
            self.cancel_field()

        self.app = Application(
            layout=Layout(root, focused_element=self.body),
            key_bindings=kb,
            style=Style.from_dict(STYLE),
            full_screen=True,
            mouse_support=False,
        )
        self.app.ttimeoutlen = 0.05
        return self.app

    # ------------------------------------------------------------ running
    def run(self) -> str:
        if self.total == 0:
            print(_("'{id}' has no segments").format(id=self.story_id))
            return "empty"
        self.open()
        self.load()
        app = self.build()

        def on_hangup() -> None:  # the terminal went away: leave as Ctrl-C does, keeping the draft
            import asyncio
            import signal

            def hangup() -> None:
                app.exit(exception=KeyboardInterrupt())

            try:
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, hangup)
            except (NotImplementedError, RuntimeError, AttributeError):
                pass

        try:
            app.run(pre_run=on_hangup)
        finally:
            if self.mode == "edit":  # the terminal went away mid-edit: keep the text
                self.keep_draft(self.field.text)
        return self.outcome

    def farewell(self, outcome: str) -> list[str]:
        """What is printed on the ordinary screen once the application has closed."""
        if outcome == "quit":
            return [
                _("everything is saved; resume with 'translate review {id}'").format(
                    id=self.story_id
                )
            ]
        if outcome != "done":
            return []
        lines = [
            ngettext("the segment is confirmed", "all {n} segments confirmed", self.total).format(
                n=self.total
            )
        ]
        story = self.store.story(self.story_id)
        if story["state"] == StoryState.SUBMITTED:
            lines.append(
                _(
                    "approve with 'translate approve {id}' or reject with 'translate reject {id}"
                    " --note ...'"
                ).format(id=self.story_id)
            )
        elif story["state"] < StoryState.SUBMITTED:
            lines.append(_("submit with 'translate submit {id}'").format(id=self.story_id))
        return lines


def run_screen(store, workflow: Workflow, story_id: str, user: str) -> None:
    import click

    screen = Screen(store, workflow, story_id, user)
    outcome = screen.run()
    for line in screen.farewell(outcome):
        click.echo(line)
