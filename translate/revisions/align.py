"""Align a story's current source with a new revision of it: unit by unit, then sentence by sentence.

Pure functions over plain data (no store): the revision stage feeds them the current units and
segments and the newly parsed story, and applies the plan they return.

Units are matched first by identical text wherever they stand (a moved paragraph is recognised as
unchanged), then, in reading order, an edited unit is paired with the most similar unmatched unit of
the same kind. Inside a matched unit the sentences are aligned with a longest-common-subsequence
diff: equal sentences keep their segment (translation, confirmation, approval), the others are new
segments (to translate) or retired ones (they leave the current revision and stay in the history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

EDITED_UNIT_MIN_SIMILARITY = 0.5  # below this an "edited" paragraph is a removed one plus a new one
UNRELATED_MAX_SHARED = 0.2  # an update sharing less than this with the story is another article


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


@dataclass
class OldUnit:
    id: int
    kind: str
    text: str
    segments: list[tuple[int, str]]  # (segment id, source) in order


@dataclass
class NewUnit:
    kind: str
    text: str
    sentences: list[tuple[str, str]]  # (text, trailing whitespace)


@dataclass
class UnitPlan:
    """One unit of the new revision: reusing an old unit (`old_id`) or a new one."""

    kind: str
    text: str
    old_id: int | None
    # per sentence of the new unit: the kept segment id, or None for a new segment
    segments: list[int | None] = field(default_factory=list)
    sentences: list[tuple[str, str]] = field(default_factory=list)
    moved: bool = False


@dataclass
class Plan:
    units: list[UnitPlan]
    retired_units: list[int]
    retired_segments: list[int]

    @property
    def kept(self) -> int:
        return sum(1 for u in self.units for s in u.segments if s is not None)

    @property
    def added(self) -> int:
        return sum(1 for u in self.units for s in u.segments if s is None)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.retired_segments or self.retired_units)


def shared_share(old: list[OldUnit], new: list[NewUnit]) -> float:
    """How much of the new text the old one shares (0–1), on sentences and then on characters."""
    old_sentences = {_norm(s) for u in old for _id, s in u.segments}
    new_sentences = [_norm(t) for u in new for t, _ws in u.sentences]
    if not new_sentences:
        return 0.0
    exact = sum(1 for s in new_sentences if s in old_sentences) / len(new_sentences)
    if exact >= UNRELATED_MAX_SHARED:
        return exact
    old_text = " ".join(_norm(u.text) for u in old)
    new_text = " ".join(_norm(u.text) for u in new)
    return max(exact, SequenceMatcher(None, old_text, new_text, autojunk=False).ratio())


def align(old: list[OldUnit], new: list[NewUnit]) -> Plan:
    matched: dict[int, int] = {}  # new index -> old index
    used: set[int] = set()
    # 1. identical units, wherever they stand (moved paragraphs); nearest position first
    by_text: dict[tuple[str, str], list[int]] = {}
    for i, unit in enumerate(old):
        by_text.setdefault((unit.kind, _norm(unit.text)), []).append(i)
    for j, unit in enumerate(new):
        candidates = [i for i in by_text.get((unit.kind, _norm(unit.text)), []) if i not in used]
        if candidates:
            i = min(candidates, key=lambda i: abs(i - j))
            matched[j] = i
            used.add(i)
    # 2. edited units: the most similar unmatched old unit of the same kind, in reading order
    for j, unit in enumerate(new):
        if j in matched:
            continue
        best, best_score = None, EDITED_UNIT_MIN_SIMILARITY
        for i, candidate in enumerate(old):
            if i in used or candidate.kind != unit.kind:
                continue
            score = similarity(candidate.text, unit.text)
            if score > best_score or (score == best_score and best is not None and i < best):
                best, best_score = i, score
        if best is not None:
            matched[j] = best
            used.add(best)

    plans: list[UnitPlan] = []
    retired_segments: list[int] = []
    order = [matched[j] for j in sorted(matched)]
    in_order = _longest_increasing(order)
    for j, unit in enumerate(new):
        i = matched.get(j)
        if i is None:
            plans.append(
                UnitPlan(unit.kind, unit.text, None, [None] * len(unit.sentences), unit.sentences)
            )
            continue
        old_unit = old[i]
        kept, retired = _align_sentences(old_unit.segments, [t for t, _ws in unit.sentences])
        retired_segments.extend(retired)
        plans.append(
            UnitPlan(unit.kind, unit.text, old_unit.id, kept, unit.sentences, i not in in_order)
        )
    retired_units = [u.id for i, u in enumerate(old) if i not in used]
    for i, unit in enumerate(old):
        if i not in used:
            retired_segments.extend(seg_id for seg_id, _s in unit.segments)
    return Plan(plans, retired_units, retired_segments)


def _align_sentences(
    old: list[tuple[int, str]], new: list[str]
) -> tuple[list[int | None], list[int]]:
    matcher = SequenceMatcher(None, [_norm(s) for _id, s in old], [_norm(s) for s in new])
    kept: list[int | None] = [None] * len(new)
    keep_ids: set[int] = set()
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                kept[j1 + k] = old[i1 + k][0]
                keep_ids.add(old[i1 + k][0])
    retired = [seg_id for seg_id, _s in old if seg_id not in keep_ids]
    return kept, retired


def _longest_increasing(seq: list[int]) -> set[int]:
    """The old positions that stay in reading order (the others were moved); O(n²), n = units."""
    best: list[list[int]] = []
    for k, value in enumerate(seq):
        chain = max((best[i] for i in range(k) if seq[i] < value), key=len, default=[])
        best.append([*chain, value])
    return set(max(best, key=len, default=[]))


def diff_units(before: list[dict], after: list[dict]) -> list[dict]:
    """Changes between two revisions' snapshots ([{kind, text, sentences: [{source, english}]}]):
    units aligned as for a revision (moved paragraphs recognised), then sentences inside them."""
    old = [
        OldUnit(i, u["kind"], u["text"], [(i * 10_000 + k, s["source"]) for k, s in enumerate(
            u["sentences"])])
        for i, u in enumerate(before)
    ]  # fmt: skip
    new = [
        NewUnit(u["kind"], u["text"], [(s["source"], "") for s in u["sentences"]]) for u in after
    ]
    plan = align(old, new)
    blocks: list[list[dict]] = []
    after_old: dict[int, int] = {}  # old unit index -> index of the block it was matched to
    for j, unit in enumerate(plan.units):
        if unit.old_id is None:
            blocks.append(diff_sentences([], after[j]["sentences"]))
        else:
            blocks.append(diff_sentences(before[unit.old_id]["sentences"], after[j]["sentences"]))
            after_old[unit.old_id] = j
    removed: dict[int, list[dict]] = {}
    for i in plan.retired_units:
        anchor = max((after_old[k] for k in after_old if k < i), default=-1)
        removed.setdefault(anchor, []).extend(diff_sentences(before[i]["sentences"], []))
    rows = list(removed.get(-1, []))
    for j, block in enumerate(blocks):
        rows += block + removed.get(j, [])
    return rows


def diff_sentences(before: list[dict], after: list[dict]) -> list[dict]:
    """Sentence-by-sentence changes between two revisions' snapshots.

    Each side is [{"source", "english"}] in reading order; returns rows with op equal / changed /
    added / removed and the source and English before and after.
    """
    matcher = SequenceMatcher(
        None, [_norm(s["source"]) for s in before], [_norm(s["source"]) for s in after]
    )
    rows: list[dict] = []

    def row(op, b, a):
        rows.append(
            {
                "op": op,
                "source_before": b["source"] if b else None,
                "source_after": a["source"] if a else None,
                "english_before": b.get("english") if b else None,
                "english_after": a.get("english") if a else None,
            }
        )

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                b, a = before[i1 + k], after[j1 + k]
                row("equal" if b.get("english") == a.get("english") else "english", b, a)
        elif tag == "replace":
            olds, news = before[i1:i2], after[j1:j2]
            for k in range(max(len(olds), len(news))):
                b = olds[k] if k < len(olds) else None
                a = news[k] if k < len(news) else None
                row("changed" if b and a else ("removed" if b else "added"), b, a)
        elif tag == "delete":
            for b in before[i1:i2]:
                row("removed", b, None)
        else:
            for a in after[j1:j2]:
                row("added", None, a)
    return rows
