"""The argos engine: Argos Translate packages run directly on CTranslate2.

argostranslate's own path translates one paragraph at a time in batches of 32 tokens with one
thread, and splits sentences with MiniSBD/stanza (which download at run time). Our segmentation
already gives sentences, so this engine loads a package's CTranslate2 model and SentencePiece model
once per job and translates every pending sentence of the job sorted by length, in asynchronous
calls of up to 128 sentences that CTranslate2 cuts into batches (inter_threads replicas, one intra
thread each: the fastest set-up measured on 2 cores), two calls in flight, with the decoding length
capped relative to the longest source of each call.

Decoding options follow argos (beam 4, length penalty 0.2, unknowns replaced) so translations match
what argos would give; `target_prefix` from metadata.json is forced and stripped like argos does.
Unlike argos we keep underscores (argos turns `_` into spaces). `translate_aligned` also asks
CTranslate2 for the cross-attention and turns it into a word alignment (wordalign.py), which the MT
stage uses to place glossary terms in a sentence whose placeholders did not survive.

A package without sentencepiece.model (old BPE packages) goes through `argostranslate.translate`
with a warning: it imports spaCy, stanza and torch (~2 s) and its sentence splitter needs the
network, so it is a last resort.
"""

from __future__ import annotations

import math
import os
import sys
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.engines import models, wordalign
from translate.engines.base import (
    Availability,
    Capabilities,
    Engine,
    EngineError,
    ModelInfo,
    Progress,
    Translation,
)
from translate.i18n import _

DECODING_MARGIN = 8  # tokens added to ratio * source length
# Sentences per CTranslate2 call (asynchronous; it cuts a call into batches of max_batch_size and
# keeps its workers fed), and calls in flight: one call per story-sized job measured 1.1-1.25x the
# speed of batches of 8 sent one by one with 16 in flight (equal on a 672-sentence job), and two
# calls bound what Ctrl-C waits for to 256 sentences.
CALL_SENTENCES = 128
CALLS_IN_FLIGHT = 2


@dataclass
class _Loaded:
    info: models.PackageInfo
    translator: Any = None
    sp: Any = None
    prefix: list[str] | None = None


LENGTH_PENALTY = 0.2  # as argos


def token_confidence(score: float | None, tokens: int) -> float | None:
    """The mean probability of the tokens a hypothesis chose, from CTranslate2's score (the sum of
    their log-probabilities divided by length ** length_penalty; </s> counts as a token)."""
    if score is None:
        return None
    length = tokens + 1
    return round(math.exp(score * length**LENGTH_PENALTY / length), 4)


class ArgosEngine(Engine):
    name = "argos"
    description = "Argos Translate packages on CTranslate2, batched across the job"
    capabilities = Capabilities(
        batching=True, scores=True, offline=True, local_models=True, alignment=True
    )

    @dataclass
    class Options:
        beam_size: int = 4
        inter_threads: int = 0  # 0: one per CPU core
        intra_threads: int = 1
        max_batch_size: int = 8  # sentences per batch
        max_decoding_ratio: float = 2.5  # decoding stops at ratio * source tokens + 8
        device: str = "cpu"
        compute_type: str = "auto"
        packages_dir: str | None = None

    def __init__(self, options: dict[str, Any] | None = None):
        super().__init__(options)
        o = self.options
        for key in ("beam_size", "max_batch_size"):
            if getattr(o, key) < 1:
                raise EngineError(
                    _("engine 'argos': option '{key}' must be at least 1").format(key=key)
                )
        if o.max_decoding_ratio <= 0:
            raise EngineError(_("engine 'argos': option 'max_decoding_ratio' must be above 0"))
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._packages: list[models.PackageInfo] | None = None
        self.notify: Callable[[str], None] = lambda message: print(message, file=sys.stderr)

    # ------------------------------------------------------------ what is here
    @property
    def folder(self) -> Path:
        if self.options.packages_dir:
            return Path(self.options.packages_dir)
        return models.packages_dir()

    def packages(self) -> list[models.PackageInfo]:
        if self._packages is None:
            newest: dict[tuple[str, str], models.PackageInfo] = {}
            for info in models.installed(self.folder)[0]:
                key = (info.source, info.target)
                if key not in newest or models._version_key(info.version) > models._version_key(
                    newest[key].version
                ):
                    newest[key] = info
            self._packages = list(newest.values())
        return self._packages

    def availability(self) -> Availability:
        from importlib.util import find_spec

        for module in ("ctranslate2", "sentencepiece", "argostranslate"):
            if find_spec(module) is None:
                return Availability(
                    False, _("Python package '{name}' is not installed").format(name=module)
                )
        return Availability(True)

    def pairs(self) -> list[tuple[str, str]]:
        return sorted((p.source, p.target) for p in self.packages())

    def package_for(self, source: str, target: str) -> models.PackageInfo | None:
        for info in self.packages():
            if (info.source, info.target) == (source, target):
                return info
        return None

    def model_for(self, source: str, target: str) -> ModelInfo:
        info = self.package_for(source, target)
        return ModelInfo(info.name, info.version) if info else ModelInfo(None, None)

    # ------------------------------------------------------------ loading
    def _threads(self) -> int:
        return self.options.inter_threads or os.cpu_count() or 1

    def load(self, source: str, target: str) -> _Loaded:
        key = (source, target)
        if key in self._loaded:
            return self._loaded[key]
        info = self.package_for(source, target)
        if info is None:
            raise EngineError(
                _("no argos package for {pair} in {folder}").format(
                    pair=f"{source}-{target}", folder=self.folder
                )
            )
        models.check_loadable(info)
        loaded = _Loaded(info)
        if info.tokenizer == "sentencepiece":
            import ctranslate2
            import sentencepiece

            assert info.path is not None
            try:
                loaded.sp = sentencepiece.SentencePieceProcessor(
                    model_file=str(info.path / "sentencepiece.model")
                )
                loaded.translator = ctranslate2.Translator(
                    str(info.path / "model"),
                    device=self.options.device,
                    compute_type=self.options.compute_type,
                    inter_threads=self._threads(),
                    intra_threads=self.options.intra_threads,
                )
            except Exception as exc:  # noqa: BLE001 - both libraries raise RuntimeError/OSError
                raise EngineError(
                    _(
                        "argos package {name} {version} at {path} cannot be loaded ({reason}); "
                        "reinstall it with 'translate models install --file PATH.argosmodel'"
                    ).format(
                        name=info.name,
                        version=info.version,
                        path=info.path,
                        reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                    )
                ) from None
            if info.target_prefix:
                loaded.prefix = [info.target_prefix]  # one token, as argos passes it
        self._loaded[key] = loaded
        return loaded

    def close(self) -> None:
        for loaded in self._loaded.values():
            loaded.translator = None
            loaded.sp = None
        self._loaded.clear()

    # ------------------------------------------------------------ translating
    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None = None,
    ) -> list[Translation]:
        return self._translate(texts, source, target, progress, aligned=False)

    def translate_aligned(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None = None,
    ) -> list[Translation]:
        """translate_batch with word alignments from the model's cross-attention (wordalign.py)."""
        return self._translate(texts, source, target, progress, aligned=True)

    def _translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None,
        aligned: bool,
    ) -> list[Translation]:
        loaded = self.load(source, target)
        if loaded.translator is None:  # no attention through argostranslate's own path
            return self._argos_fallback(loaded, texts, source, target, progress)
        info = loaded.info
        o = self.options
        results: list[Translation | None] = [None] * len(texts)
        flat = [t.replace("\n", " ") for t in texts]  # same length: offsets stay valid
        pieces: list[list[tuple[str, int, int]]] = []  # with UTF-8 offsets, for alignments
        if aligned:
            protos = loaded.sp.encode(flat, return_type="proto")
            pieces = [[(p.piece, p.begin, p.end) for p in proto.pieces] for proto in protos]
            tokens = [[p for p, _b, _e in words] for words in pieces]
        else:
            tokens = loaded.sp.encode(flat, out_type=str)
        order = sorted((i for i in range(len(texts)) if tokens[i]), key=lambda i: len(tokens[i]))
        for i in range(len(texts)):
            if not tokens[i]:
                results[i] = Translation("", self.name, info.name, info.version, None)
        prefix = loaded.prefix or []
        calls: deque[tuple[list[int], list[Any]]] = deque()  # (sentences, futures), oldest first

        def collect() -> None:
            part, futures = calls.popleft()
            done = 0
            for i, future in zip(part, futures, strict=True):
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - ctranslate2 raises RuntimeError
                    raise EngineError(
                        _("argos ({name} {version}) failed: {reason}").format(
                            name=info.name, version=info.version, reason=exc
                        )
                    ) from None
                hypothesis = list(result.hypotheses[0])
                attention = list(result.attention[0]) if aligned and result.attention else None
                if prefix and hypothesis[: len(prefix)] == prefix:
                    hypothesis = hypothesis[len(prefix) :]
                    attention = attention[len(prefix) :] if attention is not None else None
                text = loaded.sp.decode(hypothesis).strip()
                score = float(result.scores[0]) if result.scores else None
                alignment = None
                if attention is not None:
                    alignment = wordalign.align(
                        flat[i], pieces[i], text, hypothesis, attention, loaded.sp.decode
                    )
                results[i] = Translation(
                    text, self.name, info.name, info.version, score, alignment,
                    confidence=token_confidence(score, len(hypothesis)),
                )  # fmt: skip
                done += 1
                if progress and done % o.max_batch_size == 0:
                    progress(o.max_batch_size)
            if progress and done % o.max_batch_size:
                progress(done % o.max_batch_size)

        try:
            for at in range(0, len(order), CALL_SENTENCES):
                while len(calls) >= CALLS_IN_FLIGHT:
                    collect()  # the next call waits: Ctrl-C then waits for at most two
                part = order[at : at + CALL_SENTENCES]
                longest = max(len(tokens[i]) for i in part)
                futures = loaded.translator.translate_batch(
                    [tokens[i] for i in part],
                    target_prefix=[prefix] * len(part) if prefix else None,
                    max_batch_size=o.max_batch_size,
                    beam_size=o.beam_size,
                    length_penalty=LENGTH_PENALTY,
                    replace_unknowns=True,
                    return_scores=True,
                    return_attention=aligned,
                    max_decoding_length=math.ceil(o.max_decoding_ratio * longest)
                    + DECODING_MARGIN
                    + len(prefix),
                    asynchronous=True,
                )
                calls.append((part, futures))
            while calls:
                collect()
        finally:
            for _part, futures in calls:  # interrupted: let running batches finish
                for future in futures:
                    try:
                        future.result()
                    except Exception:  # noqa: BLE001, S110
                        pass
        return results  # type: ignore[return-value]

    def _argos_fallback(
        self,
        loaded: _Loaded,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None,
    ) -> list[Translation]:
        info = loaded.info
        self.notify(
            _(
                "warning: argos package {name} {version} has no sentencepiece.model; using "
                "argostranslate's own path (slow, and its sentence splitter may need the network)"
            ).format(name=info.name, version=info.version)
        )
        models.argos_package(self.folder)
        from argostranslate import translate as argos_translate  # heavy: spaCy, stanza, torch

        argos_translate.get_installed_languages.cache_clear()
        try:
            translation = argos_translate.get_translation_from_codes(source, target)
            out = []
            for text in texts:
                hypothesis = translation.hypotheses(text, num_hypotheses=1)[0]
                out.append(
                    Translation(
                        hypothesis.value, self.name, info.name, info.version, hypothesis.score
                    )
                )
                if progress:
                    progress(1)
        except Exception as exc:  # noqa: BLE001 - argos raises anything
            raise EngineError(
                _("argostranslate failed on {name} {version}: {reason}").format(
                    name=info.name, version=info.version, reason=str(exc) or type(exc).__name__
                )
            ) from None
        return out
