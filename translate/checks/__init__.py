"""Quality checks: a registry of small functions and the runner that stores their findings.

Modelled on babel's checkers: a check is a plain function registered under a code,
`fn(ctx: CheckContext) -> Iterable[Finding]`, with a default severity. The families live one per
module in this package and register themselves when imported; `registry()` imports them lazily
(plus `translate.checks.glossary` when it exists, and any module named by a `translate.checks`
entry point), so nothing is loaded at CLI start-up.

Severity of a stored finding (`resolve_severity`):
  - `blocking` (workflow.yaml `checks.blocking`) non-empty: it is authoritative. A finding is
    blocking when its code, its family prefix (the part before the first dot) or its check's
    family is listed; every other finding is a warning.
  - `blocking` empty: the finding's own severity if the check set one, else the check's default.

Segments with no translation yet get no findings (nothing to check until MT or a person has
written one); an empty translation gets `empty` and no other finding.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from translate.i18n import _

SEVERITIES = ("blocking", "warning")
BUILTIN_FAMILIES = (
    "integrity",
    "numbers",
    "dates",
    "currency",
    "language",
    "punctuation",
    "spacing",
    "names",
    "omission",
)
OPTIONAL_FAMILIES = ("glossary", "confidence")  # tested with their stage (test_confidence.py)
ENTRY_POINT_GROUP = "translate.checks"


@dataclass
class Finding:
    code: str  # e.g. "numbers.mismatch"
    message: str  # translated with _()
    severity: str | None = None  # None -> the check's default / the workflow decides
    start: int | None = None  # span in the TARGET text (None = whole segment)
    end: int | None = None


@dataclass
class CheckContext:
    source: str
    target: str
    source_lang: str
    target_lang: str
    unit_kind: str = "paragraph"
    story_id: str | None = None
    segment_id: int | None = None
    extras: dict = field(default_factory=dict)  # e.g. glossary matches, filled by whoever has them


CheckFn = Callable[[CheckContext], Iterable[Finding]]
# A context provider fills `extras` for a whole story at once (e.g. glossary matches):
# fn(store, workflow, story: dict, segments: list[dict]) -> {segment_id: {key: value}}
ProviderFn = Callable[[Any, Any, dict, list[dict]], dict[int, dict]]


@dataclass
class CheckSpec:
    code: str
    fn: CheckFn
    severity: str = "warning"
    family: str = ""
    on_empty: bool = False  # also run when the translation is blank

    @property
    def description(self) -> str:
        doc = (self.fn.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""


_REGISTRY: dict[str, CheckSpec] = {}
_PROVIDERS: list[ProviderFn] = []
_loaded = False


def check(
    code: str, severity: str = "warning", family: str | None = None, on_empty: bool = False
) -> Callable[[CheckFn], CheckFn]:
    """Register `fn(ctx) -> Iterable[Finding]` under `code` with a default severity."""
    if severity not in SEVERITIES:
        raise ValueError(f"check {code}: severity must be one of {SEVERITIES}, not {severity!r}")

    def decorate(fn: CheckFn) -> CheckFn:
        old = _REGISTRY.get(code)
        if old is not None and (old.fn.__module__, old.fn.__qualname__) != (
            fn.__module__,
            fn.__qualname__,
        ):
            raise ValueError(f"check {code} is registered twice ({old.fn.__module__})")
        _REGISTRY[code] = CheckSpec(code, fn, severity, family or code.split(".")[0], on_empty)
        return fn

    return decorate


def context_provider(fn: ProviderFn) -> ProviderFn:
    """Register a function that fills `CheckContext.extras` per segment for `check_story`."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def _load_families() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in BUILTIN_FAMILIES:
        importlib.import_module(f"{__name__}.{name}")
    for name in OPTIONAL_FAMILIES:
        if importlib.util.find_spec(f"{__name__}.{name}") is not None:
            importlib.import_module(f"{__name__}.{name}")
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()


def registry() -> dict[str, CheckSpec]:
    """Every registered check by code (loads the families on first use)."""
    _load_families()
    return dict(_REGISTRY)


def validate_blocking(workflow) -> list[str]:
    """workflow.yaml's `checks.blocking`, refused when a name is no check code or family (a typo
    there would silently stop findings from blocking approval)."""
    import difflib

    from translate.errors import DeskError

    blocking = list(getattr(workflow, "blocking_checks", None) or [])
    known = set()
    for code, spec in registry().items():
        known |= {code, code.split(".")[0], spec.family}
    for name in blocking:
        if name not in known:
            hint = difflib.get_close_matches(name, sorted(known), n=1)
            message = _("{path}: checks.blocking: unknown check '{name}'").format(
                path=workflow.path, name=name
            )
            if hint:
                message += ", " + _("did you mean '{hint}'?").format(hint=hint[0])
            raise DeskError(message)
    return blocking


def resolve_severity(finding: Finding, spec: CheckSpec | None, blocking: Iterable[str]) -> str:
    listed = set(blocking)
    if listed:
        names = {finding.code, finding.code.split(".")[0]}
        if spec is not None:
            names.add(spec.family)
        return "blocking" if names & listed else "warning"
    if finding.severity in SEVERITIES:
        return finding.severity
    return spec.severity if spec is not None else "warning"


def run_segment_checks(ctx: CheckContext, blocking: Iterable[str] = ()) -> list[Finding]:
    """Run every check on one segment; findings come back with their severity resolved.

    A check that raises yields a `check.error` warning naming it instead of stopping the run.
    """
    blocking = list(blocking)
    specs = registry()
    if not ctx.source.strip():
        return []
    blank = not ctx.target.strip()
    out: list[Finding] = []
    seen: set[tuple] = set()
    for spec in specs.values():
        if blank and not spec.on_empty:
            continue
        try:
            found = list(spec.fn(ctx) or ())
        except Exception as exc:  # a broken check must not hide the others
            found = [
                Finding(
                    "check.error",
                    _("check {code} failed: {error}").format(code=spec.code, error=exc),
                    "warning",
                )
            ]
        for f in found:
            key = (f.code, f.message, f.start, f.end)
            if key in seen:
                continue
            seen.add(key)
            owner = specs.get(f.code, spec)
            out.append(
                Finding(f.code, f.message, resolve_severity(f, owner, blocking), f.start, f.end)
            )
    return out


def _context(story: dict, seg: dict, extras: dict) -> CheckContext:
    return CheckContext(
        source=seg["source"],
        target=seg["translation"],
        source_lang=story["language"],
        target_lang=story.get("target_language") or "en",
        unit_kind=seg.get("unit_kind") or "paragraph",
        story_id=story["id"],
        segment_id=seg["id"],
        extras=dict(extras),
    )


def story_extras(store, workflow, story: dict, segments: list[dict]) -> dict[int, dict]:
    """What every context provider knows about `segments` (dicts with id, source, translation)
    of `story` (a dict with language and target_language): {segment id: extras}. `store` may be
    None for pairs that live outside a desk (the benchmarks)."""
    registry()
    extras: dict[int, dict] = {}
    for provider in _PROVIDERS:
        if not segments:
            break
        for seg_id, values in (provider(store, workflow, story, segments) or {}).items():
            extras.setdefault(seg_id, {}).update(values)
    return extras


def check_story(store, workflow, story_id: str, segment_ids=None) -> list[dict]:
    """Check the current translation of each segment (all, or `segment_ids`) and store the findings.

    The open findings of every checked segment are replaced in one transaction; an overridden
    finding whose code and message occur again stays overridden. Returns the stored findings
    (open and overridden) of the checked segments, in segment order.
    """
    wanted = None if segment_ids is None else set(segment_ids)
    segments = [s for s in store.segments(story_id) if wanted is None or s["id"] in wanted]
    _check_segments(store, workflow, store.story(story_id), segments, wanted)
    checked = {s["id"] for s in segments}
    return [f for f in store.findings(story_id) if f["segment_id"] in checked]


def _check_segments(store, workflow, story: dict, segments: list[dict], wanted=None) -> None:
    """check_story's work on segments already read (all of the story's, or those in `wanted`)."""
    blocking = validate_blocking(workflow)
    story_id = story["id"]
    translated = [s for s in segments if s["translation"] is not None]
    extras = story_extras(store, workflow, story, translated)

    def findings_of(seg: dict) -> list[Finding]:
        if seg["translation"] is None:
            return []
        return run_segment_checks(_context(story, seg, extras.get(seg["id"], {})), blocking)

    # The checks run before the write transaction (other writers — a second batch worker, a
    # translator — are not held up by them); inside it each segment is re-read, and one whose
    # text changed meanwhile is checked again there, so no finding is stored for stale text.
    found = {seg["id"]: (seg["version_id"], findings_of(seg)) for seg in segments}
    with store.write():
        checked = []
        for seg in store.segments(story_id):
            if wanted is not None and seg["id"] not in wanted:
                continue
            version, findings = found.get(seg["id"], (object(), []))
            if version != seg["version_id"]:
                findings = findings_of(seg)
            checked.append((seg["id"], seg["version_id"], findings))
        store.replace_story_findings(story_id, checked)


def check_stories(store, workflow, story_ids: list[str]) -> None:
    """check_story for each of `story_ids` (an MT wave), with the work that is cheaper in one
    go done first for all of them: the back-translations (one Apertium call, not one per story).
    Each story and its segments are read once."""
    registry()
    from translate.checks.backtranslate import prefetch_back_translations

    batch = [(store.story(story_id), store.segments(story_id)) for story_id in story_ids]
    prefetch_back_translations(
        workflow,
        [(story, [s for s in segs if s["translation"] is not None]) for story, segs in batch],
    )
    for story, segments in batch:
        _check_segments(store, workflow, story, segments)


def check_segment(store, workflow, story_id: str, segment_number: int) -> list[dict]:
    """Re-check one segment (by its number in the story) after an edit; returns its findings."""
    seg = store.segment(story_id, segment_number)
    return check_story(store, workflow, story_id, [seg["id"]])


__all__ = [
    "CheckContext",
    "CheckSpec",
    "Finding",
    "check",
    "check_segment",
    "check_stories",
    "check_story",
    "context_provider",
    "registry",
    "resolve_severity",
    "run_segment_checks",
    "story_extras",
]
