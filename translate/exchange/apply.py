"""Import: check a translated file against its story, plan the changes, apply them all or none.

Checks, before anything is applied: the story exists; the file's languages (PO Language and
X-Translate-Source-Language, XLIFF source-language/target-language or srcLang/trgLang) are the
story's; every entry names a segment of that story (msgctxt / resname / unit name
`<story>#<number>`), once; its source still equals the segment's source (whitespace aside: editors
rewrap); and a segment the file changes still has the version it had at export. A segment changed
on the desk since export that the file leaves as it was exported is no conflict: the desk's
version is kept. Any failure is a conflict listing the segments (one line each, the first
MAX_LISTED), and nothing is applied.

Changes: a new non-empty translation is an edit by the importing user (review's `edit_segment`,
with the exported version as its base); an entry marked finished (PO: no `fuzzy`; XLIFF:
signed-off/final) whose segment is not confirmed yet is confirmed (`confirm_segment`). Empty
translations and unchanged entries change nothing. All changes run in one transaction; edits
re-run the segment's checks.

Machine text: a new translation the file marks as an unreviewed machine suggestion (XLIFF 1.2
state-qualifier mt-suggestion/leveraged-mt on a target not declared translated, XLIFF 2.0
`initial` + subState desk:mt), or any new translation not marked finished when the import is
told the file is machine text (`machine=True`, `translate import --machine`), is stored as a
machine draft instead (review's `machine_segment`): origin 'mt', then the localize stage (a
version of origin 'localize' per house-style change), then the checks — as after `translate mt`.
A finished entry is a person's word and is never treated as machine text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.errors import ConflictError, DeskError
from translate.exchange.model import InFile, parse_ref
from translate.i18n import _, ngettext
from translate.store.states import SegmentState

MAX_LISTED = 20


def _same_source(a: str, b: str) -> bool:
    from translate.textclean import xml_safe

    return " ".join(xml_safe(a).split()) == " ".join(xml_safe(b).split())


def listing(items: list[str], limit: int = MAX_LISTED) -> str:
    """One indented line per item, the first `limit`, then "... and N more"."""
    lines = [f"  {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append("  " + _("... and {n} more").format(n=len(items) - limit))
    return "\n".join(lines)


def _primary(code: str | None) -> str:
    return (code or "").strip().replace("_", "-").split("-")[0].lower()


def check_languages(infile: InFile, story: dict) -> None:
    """Refuse a file whose source or target language contradicts the story's."""
    wanted = {"source": story["language"], "target": story["target_language"] or "en"}
    for side, declared in (("source", infile.source_lang), ("target", infile.target_lang)):
        code, where = declared or ("", "")
        if code.strip() and _primary(code) != _primary(wanted[side]):
            raise DeskError(
                _(
                    "{file}: the file's {side} language is '{code}' ({where}) but story '{story}' "
                    "is {source} → {target}; nothing applied"
                ).format(
                    file=infile.path,
                    side=_("source") if side == "source" else _("target"),
                    code=code,
                    where=where,
                    story=infile.story_id,
                    source=wanted["source"],
                    target=wanted["target"],
                )
            )


@dataclass
class Change:
    number: int
    before: str | None
    text: str | None  # the new translation, None when only confirming
    confirm: bool
    base_version_id: int | None
    machine: bool = False  # machine text: stored as a machine draft and localized
    house: str | None = (
        None  # machine text after the localize stage (stored, or on a dry run foreseen)
    )


@dataclass
class ImportPlan:
    path: str
    format: str
    story_id: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    empty: int = 0
    kept: int = 0  # changed on the desk since export, left alone by the file: the desk's version
    ignored: dict[str, int] = field(default_factory=dict)
    localized: int = 0  # house-style changes the localize stage made to the machine text

    @property
    def edited(self) -> list[int]:
        return [c.number for c in self.changes if c.text is not None and not c.machine]

    @property
    def machine(self) -> list[int]:
        return [c.number for c in self.changes if c.machine]

    @property
    def confirmed(self) -> list[int]:
        return [c.number for c in self.changes if c.confirm]

    def as_dict(self) -> dict:
        return {
            "file": self.path,
            "format": self.format,
            "story": self.story_id,
            "edited": self.edited,
            "machine": self.machine,
            "localized": self.localized,
            "confirmed": self.confirmed,
            "unchanged": self.unchanged,
            "empty": self.empty,
            "kept": self.kept,
            "ignored": self.ignored,
        }


def _missing_story(infile: InFile) -> DeskError:
    return DeskError(
        _(
            "{file}: no story id (PO header X-Translate-Story, XLIFF file 'original'); "
            "export the story with 'translate export' and translate that file; nothing applied"
        ).format(file=infile.path)
    )


def plan_import(store, infile: InFile, machine: bool = False) -> ImportPlan:
    """Check every entry against the story and work out the changes; ConflictError otherwise.

    `machine`: the file's new translations not marked finished are machine text (besides the
    entries the file itself marks so)."""
    if not infile.story_id:
        raise _missing_story(infile)
    story_id = infile.story_id
    check_languages(infile, store.story(story_id))  # DeskError "no story 'x'; did you mean ...?"
    segments = {s["number"]: s for s in store.segments(story_id)}
    plan = ImportPlan(infile.path, infile.format, story_id, ignored=dict(infile.ignored))
    problems: list[str] = []
    seen: set[int] = set()
    for entry in infile.entries:
        ref = parse_ref(entry.ref)
        if entry.plural:
            problems.append(
                _("{where}: a plural entry; the story's segments have none").format(
                    where=entry.where
                )
            )
            continue
        if ref is None:
            problems.append(
                _("{where}: no segment id (expected '{story}#<number>')").format(
                    where=entry.where, story=story_id
                )
            )
            continue
        ref_story, number = ref
        if ref_story != story_id:
            problems.append(
                _("segment {ref}: belongs to another story than '{story}'").format(
                    ref=entry.ref, story=story_id
                )
            )
            continue
        seg = segments.get(number)
        if seg is None:
            problems.append(_("segment {n}: not in the story").format(n=number))
            continue
        if number in seen:
            problems.append(_("segment {n}: appears twice in the file").format(n=number))
            continue
        seen.add(number)
        if not _same_source(entry.source, seg["source"]):
            problems.append(_("segment {n}: the source changed since export").format(n=number))
            continue
        current = seg["translation"]
        text = (entry.target or "").strip()
        if not text:
            plan.empty += 1
            continue
        edit = text != (current or "")
        confirm = entry.done and (edit or seg["state"] < SegmentState.CONFIRMED)
        if not edit and not confirm:
            plan.unchanged += 1
            continue
        base = entry.meta[0] if entry.meta is not None else seg["version_id"]
        if base != seg["version_id"] and _untouched(store, seg, entry, text, base):
            plan.kept += 1
            continue
        if base != seg["version_id"]:
            problems.append(
                _("segment {n}: changed on the desk since export (now version {v})").format(
                    n=number, v=seg["version_id"] if seg["version_id"] is not None else "-"
                )
            )
            continue
        is_machine = edit and not entry.done and (machine or entry.machine)
        plan.changes.append(
            Change(number, current, text if edit else None, confirm, base, is_machine)
        )
    if problems:
        raise ConflictError(
            ngettext(
                "{file}: {n} conflict with story '{story}', nothing applied:",
                "{file}: {n} conflicts with story '{story}', nothing applied:",
                len(problems),
            ).format(file=infile.path, n=len(problems), story=story_id)
            + "\n"
            + listing(problems)
        )
    return plan


def _untouched(store, seg: dict, entry, text: str, base: int | None) -> bool:
    """True when the file leaves this segment as it was exported (same text, not newly marked
    finished): then a change made on the desk since export is no conflict."""
    exported = ""
    if base is not None:
        exported = next((v["text"] for v in store.versions(seg["id"]) if v["id"] == base), None)
        if exported is None:
            return False
    same_text = " ".join(text.split()) == " ".join(exported.split())
    newly_done = entry.done and (entry.meta is None or entry.meta[1] != "confirmed")
    return same_text and not newly_done


def apply_plan(store, workflow, plan: ImportPlan, user: str) -> None:
    """Apply every change in one transaction (review's rules: claims, versions, checks)."""
    from translate.review import confirm_segment, edit_segment, machine_segment

    with store.write():
        for change in plan.changes:
            if change.machine:
                _version, localized = machine_segment(
                    store,
                    workflow,
                    plan.story_id,
                    change.number,
                    change.text,
                    user,
                    base_version_id=change.base_version_id,
                    note=f"import {plan.format} {plan.path}",
                )
                plan.localized += localized
                if localized:
                    change.house = store.segment(plan.story_id, change.number)["translation"]
            elif change.text is not None:
                edit_segment(
                    store,
                    workflow,
                    plan.story_id,
                    change.number,
                    change.text,
                    user,
                    base_version_id=change.base_version_id,
                )
            if change.confirm:
                base = change.base_version_id if change.text is None else None
                confirm_segment(
                    store, workflow, plan.story_id, change.number, user, base_version_id=base
                )
        store.log(
            "import",
            plan.story_id,
            user=user,
            after={
                "edited": plan.edited,
                "machine": plan.machine,
                "localized": plan.localized,
                "confirmed": plan.confirmed,
            },
            note=f"{plan.format} {plan.path}",
        )


def preview_house_style(store, workflow, plan: ImportPlan) -> None:
    """On a dry run: what the localize stage would make of each machine text (Change.house) and
    how many changes (plan.localized), without storing anything."""
    from translate.localize import localize_text, style_for
    from translate.localize.stage import glossary_covered

    style = style_for(workflow)
    if not style.active:
        return
    story = store.story(plan.story_id)
    lang, target = story["language"], story["target_language"] or "en"
    for change in plan.changes:
        if not change.machine or change.text is None:
            continue
        source = store.segment(plan.story_id, change.number)["source"]
        covered = glossary_covered(workflow, lang, target, source)
        steps = localize_text(source, change.text, lang, style, covered)
        if steps:
            change.house = steps[-1].after
            plan.localized += len(steps)


def render_plan(plan: ImportPlan) -> list[str]:
    """The dry-run diff: one block per changed segment."""
    lines = []
    for c in plan.changes:
        what = []
        if c.machine:
            what.append(_("machine draft, house style applied"))
        elif c.text is not None:
            what.append(_("edit"))
        if c.confirm:
            what.append(_("confirm"))
        lines.append(_("segment {n}: {what}").format(n=c.number, what=", ".join(what)))
        if c.text is not None:
            lines.append(f"  - {c.before if c.before is not None else ''}")
            lines.append(f"  + {c.text}")
        if c.house is not None:
            lines.append("  " + _("house style: {text}").format(text=c.house))
    return lines
