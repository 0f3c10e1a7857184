"""The engine interface: one small base class, capability flags, typed options.

An engine translates a batch of sentences from one language to another and says, per sentence,
what it produced and with what (engine name, model package and version, a score where it has one).
Engines are found through the ``translate.engines`` entry-point group (see registry.py), so a
newsroom can add its own in a separate package::

    # pyproject.toml of the plugin
    [project.entry-points."translate.engines"]
    house = "house_mt:HouseEngine"

    # house_mt.py
    from dataclasses import dataclass
    from translate.engines.base import Capabilities, Engine, ModelInfo, Translation

    class HouseEngine(Engine):
        name = "house"
        description = "Our in-house MT service"
        capabilities = Capabilities(scores=True)

        @dataclass
        class Options:
            endpoint: str = "http://mt.internal"

        def pairs(self):
            return [("ru", "en")]

        def translate_batch(self, texts, source, target, progress=None):
            ...

Heavy libraries (ctranslate2, sentencepiece, HTTP clients) are imported inside the methods that
use them, never at module top: `translate engines` imports every engine module.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from translate.errors import DeskError
from translate.i18n import _

Progress = Callable[[int], None]
"""Called with the number of sentences just finished, as the engine goes."""


class EngineError(DeskError):
    """An engine cannot run or failed (missing binary or model, corrupt model, crash)."""


@dataclass(frozen=True)
class Alignment:
    """Which source word each word of a translation comes from (engines with `alignment`).

    Words are character spans, of the source sentence as given and of `Translation.text`; `links`
    has one entry per target word: the index of the source word it attends to most. The desk uses
    it to put a glossary term's approved rendering into a sentence translated without placeholders.
    """

    source_words: tuple[tuple[int, int], ...]
    target_words: tuple[tuple[int, int], ...]
    links: tuple[int, ...]


@dataclass(frozen=True)
class Translation:
    """One engine result: the text and what produced it."""

    text: str
    engine: str
    model: str | None = None
    model_version: str | None = None
    score: float | None = None
    alignment: Alignment | None = None  # filled by translate_aligned() where the engine can
    # How far to trust it, 0..1 (argos: the mean token probability; Apertium: the share of words
    # it knew); segments below the workflow's mt.low_confidence get an `mt.low_confidence` finding
    confidence: float | None = None


@dataclass(frozen=True)
class ModelInfo:
    """The model an engine would use for a pair: stored with each translation, compared on re-runs."""

    name: str | None
    version: str | None = None


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str | None = None


@dataclass(frozen=True)
class Capabilities:
    """What the desk can rely on. All false by default: declare what you do."""

    batching: bool = False  # many sentences per call are cheaper than one at a time
    scores: bool = False  # Translation.score is filled (a log-probability; higher is better)
    offline: bool = True  # needs no network at run time
    keeps_placeholders: bool = False  # tokens like __T1__ usually come back intact
    local_models: bool = False  # models are installed with 'translate models'
    alignment: bool = False  # translate_aligned() fills Translation.alignment
    # its work runs in other processes: the desk calls it from a worker thread, one wave ahead,
    # while it stores and checks the previous wave
    background: bool = False
    # carries inline markup `<g id="n">words</g>` through translation, attached to the words it
    # wraps (the desk then protects glossary terms that way instead of with placeholders)
    markup: bool = False
    # calls from several threads share one stream, answered in the order they came: the desk
    # sends the next wave while this one's answers come back (with `background`)
    queued: bool = False

    def as_dict(self) -> dict[str, bool]:
        return dataclasses.asdict(self)


@dataclass
class NoOptions:
    pass


def _type_ok(value: Any, annotation: Any) -> bool:
    if annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True


def parse_options(engine_name: str, options_class: type, values: dict[str, Any] | None) -> Any:
    """Build an engine's Options dataclass from a dict, refusing unknown keys and wrong types."""
    values = dict(values or {})
    hints = typing.get_type_hints(options_class)
    fields = {f.name: f for f in dataclasses.fields(options_class)}
    for key, value in values.items():
        if key not in fields:
            raise DeskError(
                _("engine '{engine}': unknown option '{key}' (known: {known})").format(
                    engine=engine_name, key=key, known=", ".join(fields) or "-"
                )
            )
        if not _type_ok(value, hints.get(key, Any)):
            raise DeskError(
                _("engine '{engine}': option '{key}' must be {type}, not {value!r}").format(
                    engine=engine_name,
                    key=key,
                    type=getattr(hints.get(key), "__name__", str(hints.get(key))),
                    value=value,
                )
            )
    return options_class(**values)


class Engine:
    """Base class of every MT engine. Subclasses set `name` and implement `translate_batch`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    capabilities: ClassVar[Capabilities] = Capabilities()
    Options: ClassVar[type] = NoOptions

    def __init__(self, options: dict[str, Any] | None = None):
        self.options = parse_options(self.name, self.Options, options)

    @classmethod
    def options_from(cls, settings: dict[str, Any], name: str | None = None) -> dict[str, Any]:
        """This engine's options from workflow.yaml's `mt:` section: the shared settings its Options
        declares, then its own `mt.engines.<name>` mapping (every key of which must be an option)."""
        known = {f.name for f in dataclasses.fields(cls.Options)}
        shared = {k: v for k, v in settings.items() if k in known and k != "engines"}
        own = dict((settings.get("engines") or {}).get(name or cls.name) or {})
        return {**shared, **own}

    # ------------------------------------------------------------ what it can do here
    def availability(self) -> Availability:
        """Whether the engine can run on this machine (binary, library, models present)."""
        return Availability(True)

    def pairs(self) -> list[tuple[str, str]]:
        """(source, target) ISO 639-1 pairs this engine can translate here."""
        return []

    def serves(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs()

    def model_for(self, source: str, target: str) -> ModelInfo:
        """The model used for a pair (recorded with every translation; a change re-translates)."""
        return ModelInfo(None, None)

    # ------------------------------------------------------------ work
    def prepare(self, source: str, target: str) -> None:
        """Start what translating source→target will need (a pipeline's processes), so it is
        ready by the first call; the desk calls it from a worker thread while it loads the
        glossary. Optional: the default does nothing, and a failure is left to the first call."""

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None = None,
    ) -> list[Translation]:
        """Translate sentences; one Translation per input, in input order.

        Raise EngineError with a one-line message when the engine cannot run. Call `progress(n)`
        as sentences finish when the batch is large (the CLI draws a bar from it).
        """
        raise NotImplementedError

    def translate_aligned(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None = None,
    ) -> list[Translation]:
        """Like translate_batch, with each Translation's `alignment` filled (None where the engine
        cannot tell). Called only for engines whose capabilities say `alignment=True`; the default
        gives no alignment."""
        return self.translate_batch(texts, source, target, progress)

    def close(self) -> None:
        """Free loaded models and processes (called at the end of a job)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
