"""Storing the localize stage's changes: one translation version per change, each logged.

The one function both ways machine text enters the store go through:

* `translate mt` / `batch` (translate/mt.py) call `store_localized` on every fresh engine draft,
  with the source words the glossary masked (`covered`);
* `translate import` of machine text (an XLIFF unit marked as a machine suggestion, or a file
  imported with `--machine`: translate/exchange/apply.py through review's `machine_segment`) calls
  `localize_draft`, which works out the house style and the glossary's words itself.

Both run inside the caller's write transaction and before the caller runs the checks.
"""

from __future__ import annotations

from translate.store.states import SegmentState


def store_localized(
    store, story_id, seg_id, source, text, lang, style, covered, version_id, confidence,
    engine_fields, user, changes=None,
) -> int:  # fmt: skip
    """The localize stage on one fresh machine draft (version `version_id` of segment `seg_id`,
    reading `text`): a version of origin `localize` per change, based on the one before it, and a
    `localize` event with what it replaced. Returns the number of changes. `changes`: what
    localize_text(source, text, lang, style, covered) returned, when the caller worked it out
    before its write transaction (a batch worker holds the desk's write lock as briefly as it can)."""
    if changes is None:
        from translate.localize import localize_text

        changes = localize_text(source, text, lang, style, covered)
    for change in changes:
        version_id = store.add_version(
            seg_id,
            story_id,
            change.after,
            origin="localize",
            state=SegmentState.MACHINE,
            base_version_id=version_id,
            confidence=confidence,
            rule=change.rule,
            detail={"at": change.at, "old": change.old, "new": change.new},
            **engine_fields,
        )
        store.log(
            "localize", story_id, seg_id, user, before=change.old, after=change.new,
            note=change.rule,
        )  # fmt: skip
    return len(changes)


def glossary_covered(workflow, source_lang: str, target_lang: str, source: str) -> frozenset[str]:
    """Lower-case source words a glossary entry with a rendering decides in `source` (the names
    rule leaves them to the glossary, as it does for the terms MT masked)."""
    from translate.config import Pair
    from translate.glossary.enforce import enforcer_for

    pair = workflow.pair(source_lang, target_lang) or Pair(source_lang, target_lang, [], None)
    enforcer = enforcer_for(workflow, pair)
    entries = enforcer.glossary.entries
    return frozenset(
        word.lower()
        for m in enforcer.matches(source)
        if entries[m.entry].rendering
        for word in source[m.start : m.end].split()
    )


def localize_draft(store, workflow, story: dict, seg: dict, text: str, version_id: int, user):
    """The localize stage on machine text that came in another way than `translate mt` (an
    import): the workflow's house style, the pair's glossary words left to the glossary. Returns
    the number of changes stored (0 when the house style has no rule on)."""
    from translate.localize import style_for

    style = style_for(workflow)
    if not style.active:
        return 0
    source_lang, target_lang = story["language"], story["target_language"] or "en"
    covered = glossary_covered(workflow, source_lang, target_lang, seg["source"])
    return store_localized(
        store, story["id"], seg["id"], seg["source"], text, source_lang, style, covered,
        version_id, None, {}, user,
    )  # fmt: skip


__all__ = ["glossary_covered", "localize_draft", "store_localized"]
