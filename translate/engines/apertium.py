"""The Apertium engine: rule-based MT through Apertium's programs (Debian: apertium + pair data).

One pipeline per batch, started by the desk itself from the mode's program list (`apertium-wblank-mode
-z`), every program in null-flush mode: each sentence is one NUL-terminated block, so it is
translated exactly as it would be alone (in one plain stream Apertium runs a headline without a full
stop into the next sentence), and the job still costs one set of processes. Every stage is a direct
child that dies with the desk (procs.py: PR_SET_PDEATHSIG), so SIGKILL of `translate mt` leaves no
Apertium process behind. Unknown words come back marked (`*word`): the marks are counted for the
sentence's confidence and stripped. Pairs come from `apertium -l`, whose modes use ISO 639-3 codes
(spa-eng): they are mapped to the ISO 639-1 codes the desk uses. Output is literal and keeps source
number formats ("3.000", "11,6 %"); the localize stage writes them in the house style.

Apertium capitalises the word after an unknown word that opens a sentence ("Mapastepec recibe" ->
"Mapastepec Receives"), and glossary placeholders are unknown words: `sentence_case` (apertium_format.py) undoes that
when the source word was lower-case (keeping "I", weekdays and months).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from translate.engines.apertium_format import deformat, lemmas, sentence_case, unformat
from translate.engines.base import (
    Availability,
    Capabilities,
    Engine,
    EngineError,
    ModelInfo,
    Progress,
    Translation,
)
from translate.engines.procs import Pipeline, Spawner, feed, read_blocks
from translate.i18n import _

# ISO 639-1 -> the ISO 639-3 codes Apertium's modes use (and back).
ISO3 = {
    "af": "afr", "an": "arg", "ar": "ara", "ast": "ast", "be": "bel", "bg": "bul", "br": "bre",
    "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "en": "eng",
    "eo": "epo", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fo": "fao",
    "fr": "fra", "ga": "gle", "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun",
    "id": "ind", "is": "isl", "it": "ita", "kk": "kaz", "ky": "kir", "lt": "lit", "lv": "lav",
    "mk": "mkd", "ms": "msa", "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno", "oc": "oci",
    "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sc": "srd", "se": "sme", "sk": "slk",
    "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "tr": "tur", "tt": "tat", "uk": "ukr",
    "ur": "urd", "uz": "uzb",
}  # fmt: skip
ISO1 = {v: k for k, v in ISO3.items()}
ISO1.update({"cat": "ca", "hbs": "sh"})


def modes_dir(binary: str) -> Path:
    """Where `binary`'s mode files are: $APERTIUM_DATADIR/modes, else beside the binary's
    prefix (/usr/bin/apertium -> /usr/share/apertium/modes), as the apertium script does."""
    datadir = os.environ.get("APERTIUM_DATADIR")
    if not datadir:
        datadir = str(Path(binary).resolve().parent.parent / "share" / "apertium")
    return Path(datadir) / "modes"


@lru_cache(maxsize=8)
def installed_modes(binary: str) -> tuple[str, ...]:
    """The modes `apertium -l` lists, once per process: read from the modes folder as the script
    does (the script itself starts ~10 programs), else asked of the binary."""
    folder = modes_dir(binary)
    if folder.is_dir():
        return tuple(sorted(p.name[: -len(".mode")] for p in folder.glob("*.mode")))
    try:
        out = subprocess.run(
            [binary, "-l"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    return tuple(line.strip() for line in out.splitlines() if line.strip())


@lru_cache(maxsize=32)
def package_version(name: str) -> str | None:
    """The installed Debian version of package `name` (None: not installed, or no dpkg)."""
    dpkg = shutil.which("dpkg-query")
    if not dpkg:
        return None
    try:
        done = subprocess.run(
            [dpkg, "-W", "-f=${Version}", name],
            capture_output=True, text=True, timeout=10, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def mode_pair(mode: str) -> tuple[str, str] | None:
    """'spa-eng' -> ('es', 'en'); variants ('spa-eng_US') and other modes give None."""
    parts = mode.split("-")
    if len(parts) != 2 or any("_" in p for p in parts):
        return None
    source, target = (ISO1.get(p) for p in parts)
    return (source, target) if source and target else None


class ApertiumEngine(Engine):
    name = "apertium"
    description = "Apertium rule-based MT (the apertium command and its language-pair data)"
    capabilities = Capabilities(
        batching=True,
        offline=True,
        keeps_placeholders=True,
        background=True,
        markup=True,
        queued=True,
    )

    @dataclass
    class Options:
        binary: str = "apertium"
        timeout: float = 600.0  # seconds for one batch

    def __init__(self, options: dict[str, Any] | None = None):
        super().__init__(options)
        self._modes: list[str] | None = None
        self._versions: dict[str, str | None] = {}
        self._pipelines: dict[str, list[list[str]]] = {}
        self._running: dict[str, _Stream] = {}  # per mode, for the job's waves
        self._lock = threading.Lock()
        self._spawner = Spawner("apertium-spawner")  # its thread starts the pipelines
        # nice value added to the pipeline's programs: `translate mt` runs them while it stores
        # and checks the wave before, and that work is what the job waits for (translate.mt)
        self.nice = 0
        self.close_wait = 10.0  # seconds close() waits for a request still being written

    def _binary(self) -> str | None:
        return shutil.which(self.options.binary)

    def availability(self) -> Availability:
        if self._binary() is None:
            return Availability(
                False,
                _(
                    "'{binary}' is not installed (Debian: apt-get install apertium apertium-eng-spa)"
                ).format(binary=self.options.binary),
            )
        return Availability(True)

    def modes(self) -> list[str]:
        if self._modes is None:
            binary = self._binary()
            self._modes = list(installed_modes(binary)) if binary else []
        return self._modes

    def _mode(self, source: str, target: str) -> str | None:
        for mode in self.modes():
            if mode_pair(mode) == (source, target):
                return mode
        return None

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({p for p in map(mode_pair, self.modes()) if p})

    def model_for(self, source: str, target: str) -> ModelInfo:
        mode = self._mode(source, target)
        if mode is None:
            return ModelInfo(None, None)
        return ModelInfo(mode, self._data_version(mode))

    def _data_version(self, mode: str) -> str | None:
        """The Debian version of the pair's data package (apertium-eng-spa for spa-eng)."""
        if mode not in self._versions:
            self._versions[mode] = package_version("apertium-" + "-".join(sorted(mode.split("-"))))
        return self._versions[mode]

    def _pipeline(self, mode: str) -> list[list[str]]:
        """The mode's programs in null-flush mode, as argument lists (one process each).

        `apertium-wblank-mode -z` prints the mode's pipeline with -z on every program and the
        word-bound-blank stages; `$1` (generation marks) becomes -g so unknown words stay marked
        (`*word`, counted for the confidence and stripped), `$2` (tagger options) is dropped.
        """
        if mode not in self._pipelines:
            mode_file = self._mode_file(mode)
            line = None
            helper = shutil.which("apertium-wblank-mode")
            if helper:
                try:
                    done = subprocess.run(
                        [helper, "-z", str(mode_file)],
                        capture_output=True, text=True, timeout=30, check=False,
                    )  # fmt: skip
                    line = done.stdout.strip() if done.returncode == 0 else None
                except (OSError, subprocess.TimeoutExpired):
                    line = None
            if not line:  # older Apertium: the mode file itself, with -z added to every program
                try:
                    raw = mode_file.read_text(encoding="utf-8").strip()
                except OSError as exc:
                    raise EngineError(
                        _("apertium {mode}: cannot read {path}: {reason}").format(
                            mode=mode, path=mode_file, reason=exc.strerror or exc
                        )
                    ) from None
                line = " | ".join(
                    re.sub(r"^(\S+)", r"\1 -z", part.strip()) for part in raw.split("|")
                )
            commands = []
            for part in line.split("|"):
                args = [a for a in shlex.split(part) if a != "$2"]
                commands.append(["-g" if a == "$1" else a for a in args])
            self._pipelines[mode] = commands
        return self._pipelines[mode]

    def _served_mode(self, source: str, target: str) -> str:
        """The mode translating source→target, or EngineError saying why there is none."""
        if self._binary() is None:
            raise EngineError(self.availability().reason or "apertium")
        mode = self._mode(source, target)
        if mode is None:
            raise EngineError(
                _("apertium has no {pair} pair here (installed: {modes})").format(
                    pair=f"{source}-{target}", modes=", ".join(self.modes()) or "-"
                )
            )
        return mode

    def lexical(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Each text's words as the pair's bilingual dictionary gives them, lemmas in order
        ("The minister rejected the laws" -> "el ministro rehusar el ley"): the mode's programs up
        to lexical selection, without structural transfer and generation (about half the CPU of
        a translation). For comparing words, not for reading."""
        mode = self._served_mode(source, target)
        key = mode + "#lexical"
        if key not in self._pipelines:
            programs = self._pipeline(mode)
            names = [os.path.basename(p[0]) for p in programs]
            # lexical selection where the pair has it, else the bilingual dictionary itself
            stages = [i for i, name in enumerate(names) if name == "lrx-proc"] or [
                i for i, name in enumerate(names) if name == "lt-proc" and "-b" in programs[i]
            ]
            if not stages:
                raise EngineError(
                    _("apertium {mode} has no bilingual dictionary stage").format(mode=mode)
                )
            self._pipelines[key] = programs[: stages[0] + 1]
        lines = [" ".join(t.split()) for t in texts]
        sent = [i for i, line in enumerate(lines) if line]
        blocks = self._run(key, [lines[i] for i in sent])
        out = [""] * len(lines)
        for i, block in zip(sent, blocks, strict=True):
            out[i] = lemmas(block)
        return out

    def _mode_file(self, mode: str) -> Path:
        return modes_dir(self._binary() or "/usr/bin/apertium") / f"{mode}.mode"

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None = None,
    ) -> list[Translation]:
        """Every sentence through one pipeline, each translated exactly as it would be alone.

        Apertium reads a stream and does not end a sentence at a line break: a headline without a
        full stop would run into the next sentence ("Protestas en Quito" + "Correa se refirió…"
        -> "Protests in Remove" + "Strap referred…"). So the pipeline runs in null-flush mode and
        each sentence is one NUL-terminated block, formatted as `apertium-destxt` would a file of
        its own (escaped, a sentence end added); every program flushes and starts afresh at each NUL.
        """
        mode = self._served_mode(source, target)
        if not texts:
            return []
        lines = [" ".join(t.split()) for t in texts]  # one sentence per block, no inner newlines
        sent = [i for i, line in enumerate(lines) if line]
        blocks = self._run(mode, [lines[i] for i in sent])
        version = self._data_version(mode)
        out = [Translation("", self.name, mode, version) for _line in lines]
        for i, block in zip(sent, blocks, strict=True):
            text, unknown, words = unformat(block, lines[i])
            confidence = round(1.0 - unknown / words, 4) if words else None
            out[i] = Translation(
                sentence_case(lines[i], text), self.name, mode, version, confidence=confidence
            )
        if progress:
            progress(len(texts))
        return out

    def prepare(self, source: str, target: str) -> None:
        """Start the pair's pipeline now: its dozen programs start and load their dictionaries
        while the desk loads the glossary (about a tenth of a second of the job's start)."""
        try:
            self._stream(self._served_mode(source, target))
        except EngineError:
            pass  # the first translate_batch says why

    def _run(self, mode: str, lines: list[str]) -> list[str]:
        """Each line through the mode's pipeline, started once per job and kept for its waves:
        in null-flush mode a block comes back whole as soon as its NUL goes in.

        Calls from several threads share the pipeline: each request is written as soon as the
        one before it is, and answers are read in the same order, so `translate mt`'s next wave
        is already in the pipeline while this one's answers come back (no program waits at a
        wave's end for the desk to send more)."""
        if not lines:
            return []
        data = "".join(deformat(line) + "\0" for line in lines).encode("utf-8")
        stream = self._stream(mode)
        with stream.turn:
            ticket = stream.sent
            stream.sent += 1
            stream.writer = feed(stream.pipeline.stdin, data, close=False, after=stream.writer)
            while stream.serving != ticket and not stream.broken:
                stream.turn.wait()
            broken = stream.broken
        if broken:  # a request before this one found the pipeline dead: so is this one's answer
            raise EngineError(
                _("apertium {mode} failed: {reason}").format(
                    mode=mode, reason=_("its pipeline ended")
                )
            )
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            stream.pipeline.kill()

        timer = threading.Timer(self.options.timeout, expire)
        timer.daemon = True
        out, found = b"", 0
        try:
            timer.start()
            out, found, stream.carry = read_blocks(stream.pipeline, len(lines), stream.carry)
        finally:
            timer.cancel()
            with stream.turn:
                stream.broken = stream.broken or found < len(lines)
                stream.serving += 1
                last = stream.serving == stream.sent
                stream.turn.notify_all()
        if found < len(lines):  # the pipeline ended early: say why
            self._drop(mode, stream)
            stream.pipeline.close_input()
            codes = stream.pipeline.wait()
            errors = stream.pipeline.errors().strip().splitlines()
            stream.pipeline.close()
            if timed_out.is_set():
                raise EngineError(
                    _("apertium {mode} took longer than {seconds} s").format(
                        mode=mode, seconds=self.options.timeout
                    )
                )
            failed = [c for c in codes if c != 0]
            if failed:
                reason = (errors or [f"exit status {failed[0]}"])[-1]
                raise EngineError(
                    _("apertium {mode} failed: {reason}").format(mode=mode, reason=reason)
                )
            raise EngineError(
                _("apertium {mode} returned {got} lines for {sent} sentences").format(
                    mode=mode, got=found, sent=len(lines)
                )
            )
        if last and stream.carry:  # more blocks than sentences went in: out of step for good
            self._drop(mode, stream)
            stream.pipeline.close()
            raise EngineError(
                _("apertium {mode} returned {got} lines for {sent} sentences").format(
                    mode=mode, got=found + stream.carry.count(0), sent=len(lines)
                )
            )
        return [b.decode("utf-8", "replace") for b in out.split(b"\0")[: len(lines)]]

    def _stream(self, mode: str) -> _Stream:
        """The mode's running pipeline, started now if there is none or it died. The engine's
        spawner thread starts it, so it serves every thread until close()."""
        with self._lock:
            stream = self._running.get(mode)
            if stream is not None and (stream.broken or not stream.pipeline.alive()):
                del self._running[mode]
                if stream.serving == stream.sent:  # nobody waits on it: end it now
                    stream.pipeline.close()
                stream = None
            if stream is None:
                try:
                    pipeline = self._spawner.pipeline(self._pipeline(mode), nice=self.nice)
                except OSError as exc:
                    raise EngineError(
                        _("apertium could not run: {reason}").format(reason=exc)
                    ) from None
                stream = self._running[mode] = _Stream(pipeline)
            return stream

    def _drop(self, mode: str, stream: _Stream) -> None:
        with self._lock:
            if self._running.get(mode) is stream:
                del self._running[mode]

    def __del__(self) -> None:  # an engine dropped without close(): let its pipelines end
        for stream in getattr(self, "_running", {}).values():
            stream.pipeline.close_input()
        if hasattr(self, "_spawner"):
            self._spawner.stop(wait=False)

    def close(self) -> None:
        """End the job's pipelines: their input closes, they finish and exit."""
        with self._lock:
            running, self._running = self._running, {}
        for stream in running.values():
            if stream.writer is not None:
                stream.writer.join(timeout=self.close_wait)
                if stream.writer.is_alive():  # a request nobody read filled the pipes
                    stream.pipeline.kill()  # its write fails, and the thread ends
                    stream.writer.join(timeout=self.close_wait)
            stream.pipeline.close_input()
            try:
                stream.pipeline.wait(timeout=10)
            finally:
                stream.pipeline.close()
        self._spawner.stop()


@dataclass(eq=False)
class _Stream:
    """A mode's pipeline shared by the threads that call the engine: requests are written in the
    order they take a ticket and read back in that order (`serving`: the ticket being read)."""

    pipeline: Pipeline
    turn: threading.Condition = field(default_factory=threading.Condition)
    sent: int = 0  # tickets taken
    serving: int = 0
    writer: threading.Thread | None = None  # the last request's feed
    carry: bytes = b""  # read beyond the last answer: the start of the next one
    broken: bool = False
