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

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _, ngettext
from translate.screenlayout import (  # noqa: F401 - View, compose, key_bar, keys: the screen's API
    LOW_CONFIDENCE,
    STYLE,
    View,
    compose,
    field_keys,
    help_lines,
    key_bar,
    keys,
    style_changes,
    wrap,
)
from translate.store.states import SegmentState, StoryState


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
