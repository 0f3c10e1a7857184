"""The publish stage: approved stories → Markdown, HTML (+ JSON-LD) and JSON files.

Rules:
- only a story in the APPROVED state is published (any other state is refused, naming it). Any edit
  after approval withdraws the approval (review.py), so the current translations of an approved
  story are the approved ones; every segment must also be confirmed.
- a published version is immutable. Publishing again after a correction writes version N+1 to new
  files (`slug-v2.md`...) with a corrections note; the earlier files stay. Publishing a story whose
  text has not changed since its last version writes nothing (only formats that version lacks).
- files are written atomically; the publication record, the state change to PUBLISHED and the
  events-log entry are one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.clock import now_iso
from translate.config import Workflow
from translate.errors import DeskError, UsageError
from translate.i18n import _
from translate.store.states import StoryState

FORMATS = ("md", "html", "json")


@dataclass
class Published:
    story_id: str
    version: int | None = None
    files: list[str] = field(default_factory=list)
    written: bool = False
    unchanged: bool = False
    changes: list[str] = field(default_factory=list)
    error: str | None = None


def parse_formats(formats: str | list[str] | tuple[str, ...] | None, workflow: Workflow) -> list:
    if formats is None:
        wanted = list(workflow.publish_formats)
    elif isinstance(formats, str):
        wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    else:
        wanted = [f.strip().lower() for f in formats]
    for f in wanted:
        if f not in FORMATS:
            raise UsageError(
                _("unknown format '{format}' (one of: {formats})").format(
                    format=f, formats=", ".join(FORMATS)
                )
            )
    if not wanted:
        raise UsageError(
            _("no format given (one of: {formats})").format(formats=", ".join(FORMATS))
        )
    return list(dict.fromkeys(wanted))


def render(doc: dict[str, Any], fmt: str) -> str:
    if fmt == "md":
        from translate.publish.render_md import render as r
    elif fmt == "html":
        from translate.publish.render_html import render as r
    else:
        from translate.publish.render_json import render as r
    return r(doc)


def _write(doc: dict[str, Any], formats: list[str], out_dir: Path) -> list[str]:
    from translate.publish.files import atomic_write, versioned_name

    written = []
    for fmt in formats:
        path = Path(out_dir) / versioned_name(doc["slug"], doc["version"], fmt)
        atomic_write(path, render(doc, fmt))
        written.append(str(path))
    return written


def _formats_of(files: list[str]) -> set[str]:
    return {Path(f).suffix.lstrip(".") for f in files}


def _complete_version(store, pub: dict, formats: list[str], out_dir: Path) -> list[str]:
    """Write the formats an existing version lacks, from its stored document (same content)."""
    missing = [f for f in formats if f not in _formats_of(pub["files"])]
    if not missing or not pub["document"]:
        return []
    files = _write(pub["document"], missing, out_dir)
    store.set_publication_files(pub["id"], pub["files"] + files)
    return files


def _version_document(
    doc: dict[str, Any], story: dict, last: dict | None, fingerprint: str, note: str | None, at: str
) -> list[str]:
    """Give a freshly built document the fields of its next published version (slug, version,
    dates, corrections); returns what changed since the last version."""
    from translate.publish.document import changed_units
    from translate.publish.files import safe_slug

    version = last["version"] + 1 if last else 1
    previous = last["document"] if last else None
    changes = changed_units(previous, doc)
    corrections = list(previous.get("corrections", [])) if previous else []
    if last:
        text = note or story.get("correction_note") or _default_note(previous, doc, changes)
        corrections.append(
            {
                "version": version,
                "date": at,
                "note": text,
                "changes": changes,
                "source_revision": doc["source_revision"],
            }
        )
    doc.update(
        slug=previous["slug"] if previous else f"{safe_slug(doc['headline'])}-{story['seq']}",
        version=version,
        date_published=previous["date_published"] if previous else at,
        date_modified=at if last else None,
        date_modified_display=_display_time(at, doc["locale"]) if last else None,
        corrections=corrections,
        digest=fingerprint,
    )
    return changes


def preview(store, workflow: Workflow, story_id: str, fmt: str = "html") -> str:
    """The text `translate publish` would write for the story now, without writing anything or
    changing its state: the stored document when the text is unchanged since the last version,
    else the next version. A story that is not approved yet is shown as it would be published
    if approved as it stands (its editors are those whose approval stands so far)."""
    from translate.publish.document import build_document, digest

    parse_formats([fmt], workflow)
    story = store.story(story_id)
    last = store.last_publication(story_id)
    if StoryState(story["state"]) == StoryState.PUBLISHED and last and last["document"]:
        return render(last["document"], fmt)
    doc = build_document(store, workflow, story_id)
    fingerprint = digest(doc)
    if last and last["document"] and last["digest"] == fingerprint:
        return render(last["document"], fmt)
    _version_document(doc, story, last, fingerprint, None, now_iso())
    return render(doc, fmt)


def publish_story(
    store,
    workflow: Workflow,
    story_id: str,
    formats: str | list[str] | None = None,
    out_dir: Path | None = None,
    user: str | None = None,
    note: str | None = None,
) -> Published:
    """Publish one approved story; see the module docstring for the rules."""
    from translate.publish.document import build_document, digest

    wanted = parse_formats(formats, workflow)
    out = Path(out_dir) if out_dir else workflow.output
    result = Published(story_id)
    with store.write():
        story = store.story(story_id)
        if user is not None:
            from translate.review.access import require_editor, story_pair

            require_editor(workflow, user, story_pair(story), _("only editors may publish stories"))
        state = StoryState(story["state"])
        last = store.last_publication(story_id)
        if state == StoryState.PUBLISHED and last:
            result.version, result.unchanged = last["version"], True
            result.files = _complete_version(store, last, wanted, out)
            result.written = bool(result.files)
            return result
        if state != StoryState.APPROVED:
            raise DeskError(
                _("story '{id}' is {state}, not approved; nothing published").format(
                    id=story_id, state=state.label
                )
            )
        doc = build_document(store, workflow, story_id)
        fingerprint = digest(doc)
        if last and last["digest"] == fingerprint:
            result.version, result.unchanged = last["version"], True
            result.files = _complete_version(store, last, wanted, out)
            result.written = bool(result.files)
            store.set_story_state(
                story_id,
                StoryState.PUBLISHED,
                user=user,
                note=_("unchanged since v{n}").format(n=last["version"]),
            )
            return result
        at = now_iso()
        changes = _version_document(doc, story, last, fingerprint, note, at)
        version, corrections = doc["version"], doc["corrections"]
        files = _write(doc, wanted, out)
        store.add_publication(
            story_id,
            version,
            fingerprint,
            files,
            corrections[-1]["note"] if last else None,
            doc,
            at,
        )
        store.set_story_state(
            story_id,
            StoryState.PUBLISHED,
            user=user,
            claimed_by=None,
            claim_until=None,
            correction_note=None,
        )
        store.log(
            "publish",
            story_id,
            user=user,
            after={"version": version, "digest": fingerprint, "files": files},
            note=corrections[-1]["note"] if last else None,
        )
    result.version, result.files, result.written, result.changes = version, files, True, changes
    return result


def _default_note(previous: dict, doc: dict, changes: list[str]) -> str:
    what = ", ".join(changes or ["the text"])
    before = previous.get("source_revision") or 1
    if doc["source_revision"] != before:
        return f"Updated to revision {doc['source_revision']} of the original: {what}."
    return f"Corrected {what}."


def _display_time(at: str, locale: str) -> str:
    """`at` (ISO 8601, UTC) as the page shows it: "Nov 30, 2026, 10:41 UTC" in the locale."""
    from datetime import datetime

    from babel.dates import format_datetime, get_timezone

    when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return format_datetime(when, "medium", tzinfo=get_timezone("UTC"), locale=locale) + " UTC"


def publish_stories(
    store,
    workflow: Workflow,
    story_ids: list[str] | None = None,
    formats: str | list[str] | None = None,
    out_dir: Path | None = None,
    user: str | None = None,
    note: str | None = None,
) -> list[Published]:
    """Publish the given stories (default: every approved one of the editor's pairs); one failure
    doesn't stop the rest. Only editors publish (the stories of their pairs)."""
    from translate.review.access import has_role, require_role, story_pair

    require_role(workflow, user, "publish")
    wanted = parse_formats(formats, workflow)
    ids = list(story_ids) if story_ids else store.publishable_story_ids()
    if user is not None and not story_ids:
        ids = [i for i in ids if has_role(workflow, user, "editor", story_pair(store.story(i)))]
    results = []
    for story_id in ids:
        try:
            results.append(publish_story(store, workflow, story_id, wanted, out_dir, user, note))
        except UsageError:
            raise
        except DeskError as exc:
            results.append(Published(story_id, error=exc.message))
    return results
