"""The published document: one plain dict built from the store, rendered by md/html/json.

The English text of a unit is its segments' current translations joined with the whitespace that
followed each source sentence. `digest()` covers everything a reader sees except the volatile
fields (version number, publication date, corrections), so an unchanged story has an unchanged
digest and publishing it again writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _
from translate.publish.credit import credit_line, disclosure, format_day, language_name
from translate.publish.files import romanize
from translate.store.states import SegmentState

# Events whose users count as the story's translators (besides authors of human versions).
TRANSLATOR_ACTIONS = ("claim", "edit", "confirm", "submit")
VOLATILE = (
    "version",
    "date_published",
    "date_modified",
    "date_modified_display",
    "corrections",
    "digest",
)


def unit_texts(store, story_id: str) -> list[dict[str, Any]]:
    """[{kind, text}] of the story's units in order, from the current translations.

    Refuses a story with a segment that is untranslated or unconfirmed: such text is never
    published, whatever the story's state says.
    """
    by_unit: dict[int, list[str]] = {}
    for seg in store.segments(story_id):
        if seg["translation"] is None or seg["state"] < int(SegmentState.CONFIRMED):
            raise DeskError(
                _("story '{id}': segment {n} is not confirmed; nothing published").format(
                    id=story_id, n=seg["number"]
                )
            )
        by_unit.setdefault(seg["unit_id"], []).append(seg["translation"] + (seg["ws"] or ""))
    units = []
    for unit in store.units(story_id):
        text = "".join(by_unit.get(unit["id"], [])).strip()
        if text:
            units.append({"kind": unit["kind"], "text": text})
    return units


def display_names(workflow: Workflow, users: list[str]) -> list[str]:
    return [workflow.display_names.get(u, u) for u in users]


def check_locale(workflow: Workflow, target: str | None) -> str:
    from babel import Locale, UnknownLocaleError

    locale = workflow.publish_locale or target or "en"
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise DeskError(
            _(
                "{path}: publishing.locale '{locale}' is not a locale babel knows (e.g. en_GB)"
            ).format(path=workflow.path, locale=locale)
        ) from None
    return locale


def build_document(store, workflow: Workflow, story_id: str) -> dict[str, Any]:
    """Everything a published version shows, without version, date and corrections."""
    story = store.story(story_id)
    units = unit_texts(store, story_id)
    locale = check_locale(workflow, story["target_language"])

    def first(kind: str) -> str | None:
        return next((u["text"] for u in units if u["kind"] == kind), None)

    editor_users = store.approvers(story_id)
    translator_users = [
        u for u in store.translators(story_id, TRANSLATOR_ACTIONS) if u not in editor_users
    ]
    translators = display_names(workflow, translator_users)
    editors = display_names(workflow, editor_users)
    machine = [
        {"engine": m["engine"], "model": m["model"], "model_version": m["model_version"]}
        for m in store.machine_translation_used(story_id)
    ]
    headline = first("headline") or story["title"]
    credit = credit_line(
        workflow.credit_line,
        locale=locale,
        source_language=story["language"],
        translators=translators,
        editors=editors,
        outlet=romanize(story["outlet"]),
        published=story["published"],
        author=romanize(story["author"]),
        headline=story["title"],
        url=story["url"],
        source=str(workflow.path),
    )
    return {
        "id": story_id,
        "language": story["target_language"] or "en",
        "locale": locale,
        "headline": headline,
        "dek": first("dek"),
        "byline": first("byline") or romanize(story["author"]),
        "dateline": first("dateline"),
        "units": [u for u in units if u["kind"] not in ("headline", "dek", "dateline", "byline")],
        "translators": translators,
        "editors": editors,
        "credit": credit,
        "machine_translation": machine,
        "disclosure": disclosure(machine, locale),
        "rights": story["rights"],
        "source_revision": int(story.get("revision") or 1),
        "source_revisions": [
            {"number": r["number"], "at": r["at"]} for r in store.revisions(story_id)
        ]
        or [{"number": 1, "at": story["created_at"]}],
        "original": {
            "headline": story["title"],
            "language": story["language"],
            "language_name": language_name(story["language"], locale),
            "outlet": story["outlet"],
            "url": story["url"],
            "author": story["author"],
            "published": story["published"],
            "published_display": format_day(story["published"], locale),
        },
    }


def digest(document: dict[str, Any]) -> str:
    stable = {k: v for k, v in document.items() if k not in VOLATILE}
    raw = json.dumps(stable, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def changed_units(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Human-readable list of what changed between two published documents."""
    if not old:
        return []
    changes = []
    for key in ("headline", "dek", "byline", "dateline"):
        if old.get(key) != new.get(key):
            changes.append(key)
    old_units, new_units = old.get("units", []), new.get("units", [])
    counts: dict[str, int] = {}
    for i in range(max(len(old_units), len(new_units))):
        unit = new_units[i] if i < len(new_units) else old_units[i]
        counts[unit["kind"]] = counts.get(unit["kind"], 0) + 1
        before = old_units[i]["text"] if i < len(old_units) else None
        after = new_units[i]["text"] if i < len(new_units) else None
        if before != after:
            changes.append(f"{unit['kind']} {counts[unit['kind']]}")
    return changes
