"""The interactive review screen: one segment at a time, one key per action.

Terminal code only: every action goes through translate.review (the same functions as the
scriptable `edit`, `confirm` and `comment`), each saved at once in its own transaction, so Ctrl-C or
a killed terminal loses at most the text being typed. Reopening resumes at the first unconfirmed
segment. The edit field opens with the current translation in it (prompt_toolkit's
`prompt(default=...)`), because translators post-edit rather than retype. Colours follow NO_COLOR.
"""

from __future__ import annotations

import shutil
import textwrap

import click

from translate.cli.output import style
from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _, ngettext
from translate.store.states import SegmentState, StoryState


def _keys_line() -> str:
    keys = _(
        "a/Enter accept · e edit · E $EDITOR · s skip · b back · c comment · n next finding · "
        "? help · q quit"
    )
    return textwrap.fill(keys, width=_width(), break_on_hyphens=False)


def _help_text() -> str:
    return "\n".join(
        [
            _("a, Enter   accept: confirm this translation and go to the next segment"),
            _("e          edit here (the current translation is in the field; Ctrl-C cancels)"),
            _("E          edit in $EDITOR"),
            _("s, →       skip to the next segment without confirming"),
            _("b, ←       back to the previous segment"),
            _("c          comment on this segment"),
            _("n          next segment with an open finding"),
            _("?          this help"),
            _("q          quit (everything is already saved)"),
            _("Every action is saved at once; reopening resumes at the first unconfirmed segment."),
        ]
    )


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


class Screen:
    def __init__(self, store, workflow: Workflow, story_id: str, user: str):
        self.store, self.workflow, self.user = store, workflow, user
        self.story = store.story(story_id)
        self.story_id = self.story["id"]
        self.total = store.segment_count(self.story_id)
        self.drafts: dict[int, str] = {}  # text typed into an edit refused by a conflict

    # ------------------------------------------------------------ opening
    def open(self) -> int:
        from translate import review

        state = StoryState(self.story["state"])
        if state < StoryState.SUBMITTED:
            got = review.claim(self.store, self.workflow, self.story_id, self.user)
            click.echo(
                _("claimed '{id}' until {until}").format(
                    id=self.story_id, until=review.format_time(got["claim_until"])
                )
            )
        else:
            review.access.may_change(self.workflow, self.story, self.user)  # refuses translators
            if state == StoryState.APPROVED:
                click.echo(style(_("approved: a change here withdraws the approval"), fg="yellow"))
            elif state == StoryState.PUBLISHED:
                click.echo(style(_("published: a change here reopens the story"), fg="yellow"))
        self.story = self.store.story(self.story_id)
        click.echo(style(self.story["title"], bold=True) + f"  [{self.story_id}]")
        for c in self.store.comments(self.story_id, None)[-3:]:
            click.echo(style(f"# {c['user']}: {c['text']}", fg="magenta"))
        start = review.resume_number(self.store, self.story_id)
        if start > 1:
            click.echo(_("resuming at segment {n} (the first unconfirmed)").format(n=start))
        return start

    # ------------------------------------------------------------ drawing
    def draw(self, seg: dict) -> None:
        from translate.review.context import segment_context

        ctx = segment_context(self.store, self.workflow, self.story, seg)
        click.echo("─" * _width())
        state = SegmentState(seg["state"]).label
        origin = seg["origin"] or "-"
        if seg["origin"] == "mt" and seg["engine"]:
            origin = f"mt ({seg['engine']})"
        elif seg["origin"] == "human" and seg["author"]:
            origin = f"{seg['author']}"
        click.echo(
            style(f"{seg['number']}/{self.total}", bold=True)
            + f"  {seg['unit_kind']}  ·  {state}  ·  {origin}"
        )
        self.line(_("source"), seg["source"])
        if seg["translation"] is None:
            self.line(_("now"), _("(no translation yet: press e to write one)"), fg="yellow")
        else:
            colour = "green" if seg["state"] >= SegmentState.CONFIRMED else None
            self.line(_("now"), seg["translation"], fg=colour)
        for hit in ctx["glossary"]:
            if hit["kind"] == "keep":
                rendering = _("keep as «{text}»").format(text=hit["rendering"])
            else:
                rendering = hit["rendering"] or _("(no rendering)")
            text = f"{hit['text']} → {rendering}"
            if hit["avoid"]:
                text += "  " + _("(avoid: {words})").format(words=", ".join(hit["avoid"]))
            self.line(_("glossary"), text, fg="cyan")
        for f in ctx["findings"]:
            if f["status"] == "open":
                colour = "red" if f["severity"] == "blocking" else "yellow"
                self.line("!", f"{f['code']} ({f['severity']}): {f['message']}", fg=colour)
            else:
                self.line(
                    "✓",
                    f"{f['code']}: "
                    + _("overridden ({reason})").format(reason=f["override_reason"]),
                )
        for m in ctx["tm"]:
            self.line(_("TM"), f"{m['score']}%  {m['target']}", fg="blue")
            self.line("", m["diff"], fg="blue")
        for c in ctx["comments"]:
            self.line("#", f"{c['user']}: {c['text']}", fg="magenta")
        for problem in ctx["problems"]:
            self.line(_("note"), problem, fg="yellow")
        if seg["number"] in self.drafts:
            self.line(_("yours"), self.drafts[seg["number"]], fg="yellow")
        click.echo(style(_keys_line(), dim=True))

    def line(self, label: str, text: str, fg: str | None = None) -> None:
        pad = 10
        body = textwrap.fill(
            text, width=_width() - pad, break_on_hyphens=False, replace_whitespace=False
        ).replace("\n", "\n" + " " * pad)
        click.echo(
            style(label.ljust(pad - 1), bold=True) + " " + (style(body, fg=fg) if fg else body)
        )

    def say(self, message: str, fg: str | None = None) -> None:
        click.echo(style(message, fg=fg) if fg else message)

    # ------------------------------------------------------------ actions
    def accept(self, seg: dict) -> int | None:
        """Confirm and say where to go: the next unconfirmed segment (wrapping round) after a
        confirmation, the next one when it was already confirmed; None when all are done."""
        from translate import review

        number = seg["number"]
        if seg["translation"] is None:
            self.say(_("nothing to confirm yet: press e to write a translation"), "yellow")
            return number
        changed = review.confirm_segment(
            self.store,
            self.workflow,
            self.story_id,
            number,
            self.user,
            base_version_id=seg["version_id"],
        )
        if not changed:
            return number + 1
        left = self.store.unconfirmed_numbers(self.story_id)
        if not left:
            return self.total + 1
        later = [n for n in left if n > number]
        if later:
            return later[0]
        self.say(
            _("back to the first unconfirmed segment ({n} left)").format(n=len(left)), "yellow"
        )
        return left[0]

    def edit(self, seg: dict, in_editor: bool) -> None:
        from translate import review

        current = self.drafts.get(seg["number"], seg["translation"] or "")
        if in_editor:
            text = click.edit(current + "\n", extension=".txt")
            if text is None:
                self.say(_("unchanged"))
                return
        else:
            from prompt_toolkit import prompt

            try:
                text = prompt(_("edit> "), default=current)
            except (KeyboardInterrupt, EOFError):
                self.say(_("edit cancelled; nothing saved"))
                return
        text = " ".join(text.split()) if "\n" in text.strip() else text.strip()
        if not text or text == (seg["translation"] or ""):
            self.say(_("unchanged") if text else _("empty translation: nothing saved"))
            return
        try:
            review.edit_segment(
                self.store,
                self.workflow,
                self.story_id,
                seg["number"],
                text,
                self.user,
                base_version_id=seg["version_id"],
            )
        except review.EditConflict as exc:
            self.drafts[seg["number"]] = text
            self.say(exc.message, "red")
            self.say(_("press e to edit again, starting from your text"))
            return
        self.drafts.pop(seg["number"], None)
        self.say(_("saved"), "green")

    def comment(self, seg: dict) -> None:
        from prompt_toolkit import prompt

        from translate import review

        try:
            text = prompt(_("comment> "))
        except (KeyboardInterrupt, EOFError):
            self.say(_("comment cancelled"))
            return
        if text.strip():
            review.add_comment(
                self.store, self.story_id, seg["number"], text, self.user, self.workflow
            )
            self.say(_("comment saved"), "green")

    def next_finding(self, number: int) -> int | None:
        from translate.review.context import numbers_with_findings

        found = numbers_with_findings(self.store, self.story_id)
        later = [n for n in found if n > number] or [n for n in found if n <= number]
        return later[0] if later else None

    def after_last(self) -> int | None:
        """Past the last segment: back to the first unconfirmed one, or None when all are done."""
        left = self.store.unconfirmed_numbers(self.story_id)
        if left:
            self.say(
                _("back to the first unconfirmed segment ({n} left)").format(n=len(left)),
                "yellow",
            )
            return left[0]
        story = self.store.story(self.story_id)
        self.say(
            ngettext("the segment is confirmed", "all {n} segments confirmed", self.total).format(
                n=self.total
            ),
            "green",
        )
        if story["state"] == StoryState.SUBMITTED:
            self.say(
                _(
                    "approve with 'translate approve {id}' or reject with 'translate reject {id}"
                    " --note ...'"
                ).format(id=self.story_id)
            )
        elif story["state"] < StoryState.SUBMITTED:
            self.say(_("submit with 'translate submit {id}'").format(id=self.story_id))
        return None

    # ------------------------------------------------------------ the loop
    def run(self) -> None:
        if self.total == 0:
            self.say(_("'{id}' has no segments").format(id=self.story_id))
            return
        number = self.open()
        while True:
            seg = self.store.review_segment(
                self.story_id, number
            )  # fresh: others may have changed it
            self.draw(seg)
            try:
                key = click.getchar()
            except EOFError:
                key = "q"
            target = number
            try:
                if key in ("a", "\r", "\n"):
                    target = self.accept(seg)
                elif key == "e":
                    self.edit(seg, in_editor=False)
                elif key == "E":
                    self.edit(seg, in_editor=True)
                elif key in ("s", "\x1b[C", " "):
                    target = number + 1
                elif key in ("b", "\x1b[D"):
                    target = max(1, number - 1)
                elif key == "c":
                    self.comment(seg)
                elif key == "n":
                    found = self.next_finding(number)
                    if found is None:
                        self.say(_("no open findings"))
                    else:
                        target = found
                elif key == "?":
                    self.say(_help_text())
                elif key in ("q", "Q"):
                    self.say(
                        _("everything is saved; resume with 'translate review {id}'").format(
                            id=self.story_id
                        )
                    )
                    return
                else:
                    self.say(_("unknown key {key!r}: press ? for help").format(key=key), "yellow")
            except DeskError as exc:
                self.say(exc.message, "red")
            if target > self.total:
                target = self.after_last()
                if target is None:
                    return
            number = target


def run_screen(store, workflow: Workflow, story_id: str, user: str) -> None:
    Screen(store, workflow, story_id, user).run()
