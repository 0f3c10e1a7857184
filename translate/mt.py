"""The MT stage: translate the pending segments of a job and store machine versions.

A job is every story named (or every story not yet claimed). Per language pair the first engine of
the pair's list in workflow.yaml (or `--engine`) that is available and serves the pair is used; the
engine is created once per job, so the argos engine loads its model once and translates all the
job's sentences of a pair in length-sorted batches. Stories are fed to it in waves of about
WAVE_SENTENCES sentences so that a story's translations are stored (one transaction per story) as
soon as its wave is done: an engine crash or Ctrl-C loses at most the current wave, and the next run
continues where this one stopped.

Only segments with no translation, or whose current version is an untouched machine draft, are
(re)translated — human work is never replaced — and a machine draft is redone only with `force` or
when the engine, package or package version for its pair changed. Stories already claimed by a
translator are left alone. Where no engine serves a pair, the story still moves to `translated`
(the queue) with an `untranslated_reason` saying what to install.

Glossary enforcement (translate.glossary.enforce) masks terms before MT and restores them after;
a sentence whose placeholders come back damaged is translated again unmasked and that translation is
kept. Engines that can align words (Capabilities.alignment: argos) are asked for the alignment on
that retry, and each term's approved rendering replaces the words aligned to it when they form one
plausible run (Enforcer.place); otherwise the glossary check flags the term. After each story is
stored, its checks run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from translate.config import Pair, Workflow
from translate.engines.base import Engine, EngineError, ModelInfo, Translation
from translate.engines.running import Engines
from translate.errors import DeskError
from translate.i18n import _, ngettext
from translate.store.states import SegmentState, StoryState

WAVE_SENTENCES = 512
# Engines whose work runs in other processes (Capabilities.background: Apertium) get smaller waves,
# up to WAVES_AHEAD of them sent to the engine's worker thread while the desk stores and checks the
# oldest.
BACKGROUND_WAVE_SENTENCES = 128
# threads calling an engine that queues calls: one sends the next wave while one reads answers
ENGINE_THREADS = 2
WAVES_AHEAD = 3  # waves an engine working in the background may be given before they are stored
ENGINE_NICE = 10  # added to the nice value of an engine's processes working in the background
MT_STATES = (StoryState.INGESTED, StoryState.TRANSLATED)

ProgressFactory = Callable[[int, str], AbstractContextManager[Any]]


def install_hint(pair: str) -> str:
    source, target = pair.split("-", 1)
    return _(
        "no engine for {pair}: install a model with 'translate models install {source} {target}' "
        "or 'translate models install --file PKG.argosmodel'"
    ).format(pair=pair, source=source, target=target)


@dataclass
class StoryResult:
    id: str
    pair: str
    engine: str | None = None
    model: str | None = None
    model_version: str | None = None
    translated: int = 0
    unmasked_retries: int = 0
    aligned_terms: int = 0  # terms put into unmasked retries through the engine's word alignment
    localized: int = 0  # house-style changes made by the localize stage (one version each)
    from_tm: int = 0  # of `translated`: exact translation-memory matches, not engine output
    state: str = ""
    untranslated_reason: str | None = None
    skipped: str | None = None


@dataclass
class MTReport:
    stories: list[StoryResult] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # pair -> why no engine serves it
    notes: list[str] = field(default_factory=list)
    sentences: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stories": [asdict(s) for s in self.stories],
            "missing_engines": self.missing,
            "notes": self.notes,
            "sentences": self.sentences,
            "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------- glossary hooks


def _enforcer(workflow: Workflow, pair: Pair):
    from translate.glossary.enforce import enforcer_for

    return enforcer_for(workflow, pair)


def _check(store, workflow: Workflow, story_ids: list[str]) -> None:
    from translate.checks import check_stories

    if story_ids:
        check_stories(store, workflow, story_ids)


def pair_config(workflow: Workflow, source: str, target: str) -> Pair:
    return workflow.pair(source, target) or Pair(source, target, ["argos"], None)


# ---------------------------------------------------------------- the job


def _stories(store, story_ids: list[str] | None, report: MTReport) -> list[dict]:
    """The stories of the job: those before a translator's claim, and any later one whose source
    revision brought new segments (only those are translated; nothing a person wrote is touched)."""
    revised = set(store.stories_needing_mt())
    if story_ids:
        rows = []
        for story_id in dict.fromkeys(story_ids):
            row = store.story(story_id)  # raises "no story 'x'; did you mean …"
            if StoryState(row["state"]) not in MT_STATES and row["id"] not in revised:
                report.stories.append(
                    StoryResult(
                        row["id"],
                        f"{row['language']}-{row['target_language']}",
                        state=StoryState(row["state"]).label,
                        skipped=_(
                            "story '{id}' is {state}: machine drafts are only made before a "
                            "translator claims a story"
                        ).format(id=row["id"], state=StoryState(row["state"]).label),
                    )
                )
                continue
            rows.append(row)
        return rows
    return [r for r in store.stories() if StoryState(r["state"]) in MT_STATES or r["id"] in revised]


def _waves(
    story_ids: list[str], todo: dict[str, list[dict]], limit: int = 0
) -> Iterator[list[str]]:
    limit = limit or WAVE_SENTENCES
    wave: list[str] = []
    size = 0
    for story_id in story_ids:
        wave.append(story_id)
        size += len(todo[story_id])
        if size >= limit:
            yield wave
            wave, size = [], 0
    if wave:
        yield wave


def _differs(row: dict, engine: str, model: ModelInfo) -> bool:
    return (row["engine"], row["model"], row["model_version"]) != (
        engine,
        model.name,
        model.version,
    )


def run_mt(
    store,
    workflow: Workflow,
    story_ids: Iterable[str] | None = None,
    engine: str | None = None,
    force: bool = False,
    user: str | None = None,
    progress: ProgressFactory | None = None,
    notify: Callable[[str], None] | None = None,
    engines: Engines | None = None,
) -> MTReport:
    """Translate a job's pending segments; returns what was done. Raises EngineError on a crash
    (stories finished before it stay stored). Needs the batch or editor role. `engines`: the
    caller's engines, kept open across calls (a batch worker loads each model once); by default
    the job makes its own and closes them."""
    from translate.review.access import require_role

    require_role(workflow, user, "mt")
    started = time.monotonic()
    report = MTReport()
    notify = notify or (lambda message: None)
    if engine is not None:
        from translate.engines import registry

        registry.engine_class(engine)  # unknown name: a usage error before any work
    stories = _stories(store, list(story_ids or []), report)
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for row in stories:
        by_pair.setdefault((row["language"], row["target_language"]), []).append(row)
    pending: dict[str, list[dict]] = {}
    if stories:
        for seg in store.pending_segments([r["id"] for r in stories]):
            if StoryState(seg["story_state"]) in MT_STATES or seg["version_id"] is None:
                pending.setdefault(seg["story_id"], []).append(seg)

    own_engines = engines is None
    engines = engines or Engines(workflow, notify)
    try:
        plans = []
        for (source, target), rows in by_pair.items():
            pair = pair_config(workflow, source, target)
            names = [engine] if engine else pair.engines
            chosen = engines.choose(names, source, target)
            if chosen is None:
                reasons = engines.reasons(names)
                report.missing[pair.code] = (
                    _("engine '{engine}' does not serve {pair} here").format(
                        engine=engine, pair=pair.code
                    )
                    if engine
                    else install_hint(pair.code)
                )
                for why in reasons:
                    if why not in report.notes:
                        report.notes.append(why)
                _queue_untranslated(store, workflow, rows, pending, pair, user, report)
                continue
            model = chosen.model_for(source, target)
            todo = {
                r["id"]: [
                    seg
                    for seg in pending.get(r["id"], [])
                    if seg["version_id"] is None or force or _differs(seg, chosen.name, model)
                ]
                for r in rows
            }
            plans.append((pair, chosen, model, rows, todo))
        total = sum(len(t) for *_rest, todo in plans for t in todo.values())
        report.sentences = total
        bar = progress(total, _("translating")) if (progress and total) else nullcontext()
        with bar as bar_state:
            advance = getattr(bar_state, "advance", None)
            for pair, chosen, model, rows, todo in plans:
                try:
                    _translate_pair(
                        store, workflow, pair, chosen, model, rows, todo, user, report, advance,
                        engines,
                    )  # fmt: skip
                except EngineError as exc:
                    done = sum(1 for s in report.stories if s.translated)
                    raise EngineError(
                        _("{error}; {stored}, run 'translate mt' again to continue").format(
                            error=exc.message,
                            stored=ngettext(
                                "{n} story stored before it", "{n} stories stored before it", done
                            ).format(n=done),
                        )
                    ) from None
    finally:
        if own_engines:
            engines.close()
        report.seconds = time.monotonic() - started
    position = {row["id"]: i for i, row in enumerate(stories)}
    report.stories.sort(key=lambda s: position.get(s.id, -1))
    return report


def _queue_untranslated(store, workflow, rows, pending, pair: Pair, user, report: MTReport) -> None:
    """No engine serves the pair: exact TM matches still fill their segments; the rest wait."""
    reason = install_hint(pair.code)
    for row in rows:
        untranslated = [s for s in pending.get(row["id"], []) if s["version_id"] is None]
        reused = _tm_reuse(store, pair, untranslated) if untranslated else {}
        result = StoryResult(row["id"], pair.code, state=StoryState.TRANSLATED.label)
        if reused:
            segs = [s for s in untranslated if s["id"] in reused]
            left = len(untranslated) > len(reused)
            result = _store_story(store, row["id"], pair, None, None, segs, reused, user,
                                  reason if left else None)  # fmt: skip
            if result.translated:
                _check(store, workflow, [row["id"]])
            if left and not result.skipped:
                result.untranslated_reason = reason
        elif StoryState(row["state"]) in MT_STATES and (
            untranslated or StoryState(row["state"]) == StoryState.INGESTED
        ):
            result.untranslated_reason = reason
            with store.write():
                store.set_story_state(
                    row["id"], StoryState.TRANSLATED, user=user, untranslated_reason=reason
                )
        report.stories.append(result)


def _translate_pair(
    store, workflow, pair: Pair, chosen: Engine, model: ModelInfo, rows, todo, user, report,
    advance, engines: Engines,
) -> None:  # fmt: skip
    background = bool(getattr(chosen.capabilities, "background", False))
    queued = bool(getattr(chosen.capabilities, "queued", False))
    pool = engines.thread(ENGINE_THREADS if queued else 1) if background else None
    if background and hasattr(chosen, "nice"):
        # the engine works waves ahead of storing and checking, which is what the job waits for:
        # its programs yield the CPU to that work and take the rest
        chosen.nice = ENGINE_NICE
    if pool is not None:  # its processes start while the glossary and the house style load
        pool.submit(chosen.prepare, pair.source, pair.target)
    enforcer = _enforcer(workflow, pair)
    style = _house_style(workflow)
    order = [r["id"] for r in rows]
    states = {r["id"]: StoryState(r["state"]) for r in rows}
    size = BACKGROUND_WAVE_SENTENCES if background else WAVE_SENTENCES
    if advance is not None and background:
        lock = threading.Lock()
        plain_advance = advance

        def advance(n: int) -> None:
            with lock:
                plain_advance(n)

    def start(wave: list[str]):
        """TM reuse (here: it reads the store) and the engine call for a wave, the latter in the
        worker thread for engines that work in other processes."""
        segs = [seg for story_id in wave for seg in todo[story_id]]
        reused = _tm_reuse(store, pair, segs)  # exact TM matches: approved human translations
        segs = [seg for seg in segs if seg["id"] not in reused]
        if not segs:
            return wave, segs, reused, None
        if pool is None:
            return wave, segs, reused, _translate(chosen, pair, enforcer, segs, advance)
        pending.append(pool.submit(_translate, chosen, pair, enforcer, segs, advance))
        return wave, segs, reused, pending[-1]

    pending: list[Future] = []
    started: deque = deque()  # waves sent to the engine, oldest first
    waves = _waves(order, todo, size)

    def send_ahead() -> None:
        """Keep the engine WAVES_AHEAD waves ahead of storing (one at a time without a pool)."""
        while len(started) < (WAVES_AHEAD if pool is not None else 1):
            wave = next(waves, None)
            if wave is None:
                return
            started.append(start(wave))

    try:
        send_ahead()
        if started and isinstance(started[0][3], Future):
            from translate.checks.warmup import warm_up

            warm_up(workflow, pair, style)  # while the engine works on the first wave
        while started:
            wave, segs, reused, work = started.popleft()
            translations = work.result() if isinstance(work, Future) else (work or [])
            if pool is not None:
                send_ahead()  # the engine works on the next waves while this one is stored
            results = dict(zip((s["id"] for s in segs), translations, strict=True))
            results.update(reused)
            if advance is not None and reused:
                advance(len(reused))
            _store_wave(store, workflow, pair, chosen, model, wave, todo, states, results, user,
                        report, style)  # fmt: skip
            if pool is None:
                send_ahead()
    finally:
        for work in pending:  # a wave sent ahead of a failure is not wanted any more
            work.cancel()


def _store_wave(
    store, workflow, pair, chosen, model, wave, todo, states, results, user, report, style
) -> None:  # fmt: skip
    translated = []
    for story_id in wave:
        if not todo[story_id] and states[story_id] == StoryState.TRANSLATED:
            report.stories.append(
                StoryResult(story_id, pair.code, chosen.name, model.name, model.version,
                            state=StoryState.TRANSLATED.label)
            )  # fmt: skip
            continue  # up to date
        result = _store_story(store, story_id, pair, chosen, model, todo[story_id], results,
                              user, style=style)  # fmt: skip
        report.stories.append(result)
        if result.translated:
            translated.append(story_id)
    _check(store, workflow, translated)  # the wave's checks together: one back-translation call


TM_ENGINE = "tm"


class Placed(NamedTuple):
    """How a sentence's glossary terms got into its translation."""

    retried: bool = False  # placeholders came back damaged: translated again unmasked
    aligned: int = 0  # of its terms, how many the word alignment then placed
    covered: frozenset[str] = frozenset()  # source words a glossary term decided (localize skips)


MASKED = Placed()


def _tm_reuse(store, pair: Pair, segs: list[dict]) -> dict[int, tuple[Translation, Placed]]:
    """Segments whose source the translation memory holds exactly: {id: (translation, MASKED)}."""
    from translate.tm import exact_matches

    if not segs:
        return {}
    known = exact_matches(store, pair.source, pair.target, [seg["source"] for seg in segs])
    return {
        seg["id"]: (Translation(known[seg["source"]], TM_ENGINE), MASKED)
        for seg in segs
        if seg["source"] in known
    }


def _translate(
    chosen: Engine, pair: Pair, enforcer, segs: list[dict], advance
) -> list[tuple[Translation, Placed]]:
    """Masked MT of a wave; (translation, how its terms were placed) per segment, in order."""
    masked, states = [], []
    markup = bool(getattr(chosen.capabilities, "markup", False))
    for seg in segs:
        text, state = (
            enforcer.mask(seg["source"], markup=True) if markup else enforcer.mask(seg["source"])
        )
        masked.append(text)
        states.append(state)
    first = _engine_call(chosen, masked, pair, advance)
    out: list[tuple[Translation, Placed]] = []
    redo: list[int] = []
    for i, (translation, state) in enumerate(zip(first, states, strict=True)):
        text, ok = enforcer.restore(translation.text, state)
        out.append((_with_text(translation, text), Placed(covered=_covered(state))))
        if not ok:
            redo.append(i)
    if redo:
        aligned = bool(getattr(chosen.capabilities, "alignment", False))
        again = _engine_call(chosen, [segs[i]["source"] for i in redo], pair, None, aligned)
        for i, translation in zip(redo, again, strict=True):
            placed = 0
            if aligned and translation.alignment is not None:
                text, placed = enforcer.place(translation.text, translation.alignment, states[i])
                translation = _with_text(translation, text)
            out[i] = (translation, Placed(True, placed, _covered(states[i])))
    return out


def _covered(state) -> frozenset[str]:
    slots = getattr(state, "slots", None) or ()
    return frozenset(w.lower() for slot in slots for w in slot.source.split())


def _with_text(t: Translation, text: str) -> Translation:
    if t.text == text:
        return t
    return Translation(text, t.engine, t.model, t.model_version, t.score, confidence=t.confidence)


def _engine_call(
    chosen: Engine, texts: list[str], pair: Pair, advance, aligned: bool = False
) -> list[Translation]:
    call = chosen.translate_aligned if aligned else chosen.translate_batch
    try:
        out = call(texts, pair.source, pair.target, progress=advance)
    except DeskError:
        raise
    except Exception as exc:  # noqa: BLE001 - a plugin may raise anything: one clear line
        raise EngineError(
            _("engine '{engine}' failed on {pair}: {reason}").format(
                engine=chosen.name, pair=pair.code, reason=str(exc) or type(exc).__name__
            )
        ) from None
    if len(out) != len(texts):
        raise EngineError(
            _("engine '{engine}' returned {got} translations for {sent} sentences").format(
                engine=chosen.name, got=len(out), sent=len(texts)
            )
        )
    return out


def _store_story(
    store, story_id, pair, chosen, model, segs, results, user, reason=None, style=None
) -> StoryResult:
    """Store one story's translations; chosen/model are None when they all come from the TM."""
    engine = chosen.name if chosen else TM_ENGINE
    result = StoryResult(
        story_id, pair.code, engine, *((model.name, model.version) if model else ())
    )
    read = {s["id"]: s["version_id"] for s in segs}
    sources = {s["id"]: s["source"] for s in segs}
    planned = {}  # the localize stage's changes, worked out before the write transaction
    if style is not None:
        from translate.localize import localize_text

        for seg_id in read:
            translation, placed = results[seg_id]
            if translation.engine != TM_ENGINE:
                planned[seg_id] = localize_text(
                    sources[seg_id], translation.text, pair.source, style, placed.covered
                )
    with store.write():
        story = store.story(story_id)
        # a claimed story only gets the segments a source revision added, still untranslated
        revising = StoryState(story["state"]) not in MT_STATES
        if revising and all(v is not None for v in read.values()):  # claimed while we translated
            result.state = StoryState(story["state"]).label
            result.skipped = _("story '{id}' was claimed meanwhile; kept as it is").format(
                id=story_id
            )
            return result
        current = {s["id"]: s for s in store.segments(story_id)}
        rows, fields = [], {}
        for seg_id, version_id in read.items():
            now = current.get(seg_id)
            if now is None or now["version_id"] != version_id:
                continue  # changed meanwhile (an edit): never overwrite it
            if revising and version_id is not None:
                continue
            translation, _placed = results[seg_id]
            from_tm = translation.engine == TM_ENGINE  # reused from the translation memory
            fields[seg_id] = {
                "engine": None if from_tm else chosen.name,
                "model": None if from_tm else (translation.model or model.name),
                "model_version": None if from_tm else (translation.model_version or model.version),
            }
            rows.append(
                {
                    "segment_id": seg_id,
                    "text": translation.text,
                    "origin": "tm" if from_tm else "mt",
                    "score": translation.score,
                    "confidence": 1.0 if from_tm else translation.confidence,
                    **fields[seg_id],
                }
            )
        made = store.add_versions(story_id, rows, SegmentState.MACHINE)
        for row in rows:  # in segment order: a machine version, then its localize versions
            seg_id = row["segment_id"]
            translation, placed = results[seg_id]
            from_tm = row["origin"] == "tm"
            if not from_tm and style is not None:
                result.localized += _store_localized(
                    store, story_id, seg_id, sources.get(seg_id, ""), translation.text, pair,
                    style, placed.covered, made[seg_id], row["confidence"], fields[seg_id], user,
                    planned.get(seg_id),
                )  # fmt: skip
            result.translated += 1
            result.from_tm += int(from_tm)
            result.unmasked_retries += int(placed.retried)
            result.aligned_terms += placed.aligned
        if not revising:
            store.set_story_state(
                story_id, StoryState.TRANSLATED, user=user, untranslated_reason=reason
            )
        if result.translated:
            store.log(
                "mt",
                story_id,
                user=user,
                after={
                    "engine": engine,
                    "model": result.model,
                    "model_version": result.model_version,
                    "segments": result.translated,
                    "unmasked_retries": result.unmasked_retries,
                    "aligned_terms": result.aligned_terms,
                    "localized": result.localized,
                },
            )
    result.state = StoryState(story["state"]).label if revising else StoryState.TRANSLATED.label
    return result


def _house_style(workflow: Workflow):
    """The house style the localize stage writes drafts in (None: no rule is on)."""
    from translate.localize import style_for

    style = style_for(workflow)
    return style if style.active else None


def _store_localized(
    store, story_id, seg_id, source, text, pair: Pair, style, covered, version_id, confidence,
    engine_fields, user, changes=None,
) -> int:  # fmt: skip
    """The localize stage on one fresh machine draft (translate.localize.stage, shared with the
    import of machine text): a version per change, inside the caller's transaction."""
    from translate.localize.stage import store_localized

    return store_localized(
        store, story_id, seg_id, source, text, pair.source, style, covered, version_id,
        confidence, engine_fields, user, changes,
    )  # fmt: skip
