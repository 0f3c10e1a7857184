"""The localize stage: the machine draft rewritten in the house style, one visible change at a time.

After MT (and before the checks) each machine draft is compared with its source, and what the
source expressed in its own conventions is written the house's way: separators («3.000» -> 3,000),
magnitudes («30.000 millones» -> 30 billion), percentages, dates, times, currencies, ordinals and
centuries, and Russian personal names no glossary entry covers. One small module per family
(`RULES`, applied in that order: a rule never touches what an earlier one wrote, nor URLs, phone
numbers and quoted titles). Locale data comes from babel, romanization from iuliia.

Every change is its own translation version with origin `localize` and the rule's name, based on
the version before it, and an event in the story's log, so `show`, `log` and review show what the
machine changed and a translator can revert one change (`revert_change`, `translate revert`).

The house style is workflow.yaml's `house_style:` — a preset (`ap`, the default; `nyt`; `none`)
and per-rule overrides (a rule set to false is off; a mapping sets its options). See
docs/house-style.md.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from translate.localize.common import Context, Edit, protected_spans

RULES = (
    "dates",
    "times",
    "currencies",
    "percentages",
    "magnitudes",
    "ordinals",
    "numbers",
    "names",
)

_ROMAN = re.compile(r"\b[IVXLC]+\b")
_DIGIT = re.compile(r"\d")
_AP = {
    "dates": {"months": "ap"},
    "times": {"style": "ap"},
    "currencies": {"forms": {}},
    "percentages": {"style": "sign"},
    "magnitudes": {},
    "ordinals": {"spell_out_below": 10},
    "numbers": {"spell_out_below": 10},
    "names": {"scheme": "house", "exceptions": {}},
}
PRESETS: dict[str, dict[str, dict[str, Any] | None]] = {
    "ap": _AP,  # AP Stylebook: Oct. 12, 2012; 3.5%; $30 billion; five, 10; Sergei, Alexei, Yuri
    "nyt": {**_AP, "percentages": {"style": "word"}},  # as AP, with "3.5 percent"
    "none": dict.fromkeys(_AP),  # no localization at all
}


@cache
def rule_module(name: str):
    return importlib.import_module(f"translate.localize.{name}")


@dataclass(frozen=True)
class Style:
    """The resolved house style: per rule its options, or None when the rule is off."""

    preset: str = "ap"
    rules: dict[str, dict[str, Any] | None] = field(default_factory=lambda: dict(_AP))

    @classmethod
    def from_config(cls, raw: dict | None) -> Style:
        """From workflow.yaml's `house_style:` (already validated by translate.config)."""
        raw = raw or {}
        preset = raw.get("preset") or "ap"
        rules: dict[str, dict[str, Any] | None] = {
            k: (dict(v) if v is not None else None) for k, v in PRESETS[preset].items()
        }
        for name, value in (raw.get("rules") or {}).items():
            if value is False:
                rules[name] = None
            elif value is True:
                rules[name] = dict(rules.get(name) or PRESETS["ap"][name] or {})
            elif isinstance(value, dict):
                rules[name] = {**(rules.get(name) or PRESETS["ap"][name] or {}), **dict(value)}
        return cls(preset, rules)

    @property
    def active(self) -> bool:
        return any(v is not None for v in self.rules.values())


@dataclass(frozen=True)
class Change:
    """One rule's change to a segment: the whole text before and after, and the span changed."""

    rule: str
    before: str
    after: str
    old: str
    new: str
    at: int = 0  # where `old` starts in `before`


def localize_text(
    source: str,
    draft: str,
    lang: str,
    style: Style,
    covered: frozenset[str] | set[str] = frozenset(),
) -> list[Change]:
    """The house-style changes to `draft` (a translation of `source`), in the order applied.

    `covered`: lower-case source words a glossary entry already decided (names left to it).
    """
    if not draft or not style.active:
        return []
    changes: list[Change] = []
    produced: list[tuple[int, int]] = []
    digits = _DIGIT.search(source) is not None
    roman = digits or bool(_ROMAN.search(source))
    for name in RULES:
        options = style.rules.get(name)
        if options is None:
            continue
        if (name == "names" and lang != "ru") or (name == "ordinals" and not roman):
            continue
        if name not in ("names", "ordinals") and not digits:
            continue  # every other rule starts from a figure in the source
        if name == "names":
            options = {**options, "_covered": covered}
        ctx = Context(source, draft, lang, options, style, list(protected_spans(draft)) + produced)
        edits = _non_overlapping(rule_module(name).find(ctx))
        shift = 0
        for edit in edits:
            start, end = edit.start + shift, edit.end + shift
            if edit.text.endswith(".") and draft[end : end + 1] == ".":
                end += 1  # "at 6 a.m." ending the sentence takes its full stop
            old = draft[start:end]
            if old == edit.text:
                continue
            after = draft[:start] + edit.text + draft[end:]
            delta = len(edit.text) - (end - start)
            produced = [(a + delta, b + delta) if a >= end else (a, b) for a, b in produced] + [
                (start, start + len(edit.text))
            ]
            changes.append(Change(edit.rule, draft, after, old, edit.text, start))
            draft = after
            shift += delta
    return changes


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -(e.end - e.start))):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept


def style_for(workflow) -> Style:
    style = getattr(workflow, "house_style", None)
    return style if isinstance(style, Style) else Style.from_config(style)


__all__ = ["RULES", "PRESETS", "Change", "Style", "localize_text", "style_for", "rule_module"]
