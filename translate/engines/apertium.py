"""The Apertium engine: rule-based MT through the `apertium` command (Debian: apertium + pair data).

One process per batch, one sentence per line (`apertium -u <mode>`: -u drops the `*` marks on
unknown words); the output must come back with exactly as many lines. Pairs come from
`apertium -l`, whose modes use ISO 639-3 codes (spa-eng): they are mapped to the ISO 639-1 codes
the desk uses. Output is literal and keeps source number formats ("3.000", "11,6 %").

Apertium capitalises the word after an unknown word that opens a sentence ("Mapastepec recibe" ->
"Mapastepec Receives"), and glossary placeholders are unknown words: `_sentence_case` undoes that
when the source word was lower-case (keeping "I", weekdays and months).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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

# English words that keep their capital anywhere in a sentence.
_ALWAYS_CAPITAL = frozenset(
    "I Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May"
    " June July August September October November December".split()
)
_WORD = re.compile(r"^\w+")


def _sentence_case(source: str, output: str) -> str:
    """Undo Apertium's capital on the word after the words that open a sentence unchanged.

    "ZQX1 también se fue." -> "ZQX1 Also went ." becomes "ZQX1 also went .": the leading words
    that came through as they were (names, placeholders) are followed by a word that was
    lower-case in the source and got a capital only from Apertium's sentence-start rule.
    """
    src, out = source.split(), output.split()
    k = 0
    while k < min(len(src), len(out)) and src[k] == out[k]:
        k += 1
    if k == 0 or k >= len(src) or k >= len(out) or not any(c.isupper() for c in src[0]):
        return output
    word = _WORD.match(out[k])
    if not word or not src[k][:1].islower() or word.group() in _ALWAYS_CAPITAL:
        return output
    text = word.group()
    if len(text) < 2 or not text[0].isupper() or not text[1:].islower():
        return output
    out[k] = text[0].lower() + out[k][1:]
    return " ".join(out)


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
    capabilities = Capabilities(batching=True, offline=True, keeps_placeholders=True)

    @dataclass
    class Options:
        binary: str = "apertium"
        timeout: float = 600.0  # seconds for one batch

    def __init__(self, options: dict[str, Any] | None = None):
        super().__init__(options)
        self._modes: list[str] | None = None
        self._versions: dict[str, str | None] = {}

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
            if binary is None:
                self._modes = []
            else:
                try:
                    out = subprocess.run(
                        [binary, "-l"], capture_output=True, text=True, timeout=30, check=False
                    ).stdout
                except (OSError, subprocess.TimeoutExpired):
                    out = ""
                self._modes = [line.strip() for line in out.splitlines() if line.strip()]
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
            version = None
            dpkg = shutil.which("dpkg-query")
            if dpkg:
                name = "apertium-" + "-".join(sorted(mode.split("-")))
                try:
                    done = subprocess.run(
                        [dpkg, "-W", "-f=${Version}", name],
                        capture_output=True, text=True, timeout=10, check=False,
                    )  # fmt: skip
                    version = (done.stdout.strip() or None) if done.returncode == 0 else None
                except (OSError, subprocess.TimeoutExpired):
                    version = None
            self._versions[mode] = version
        return self._versions[mode]

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        progress: Progress | None = None,
    ) -> list[Translation]:
        binary = self._binary()
        if binary is None:
            raise EngineError(self.availability().reason or "apertium")
        mode = self._mode(source, target)
        if mode is None:
            raise EngineError(
                _("apertium has no {pair} pair here (installed: {modes})").format(
                    pair=f"{source}-{target}", modes=", ".join(self.modes()) or "-"
                )
            )
        if not texts:
            return []
        lines = [" ".join(t.split()) for t in texts]  # one sentence per line, no inner newlines
        try:
            done = subprocess.run(
                [binary, "-u", mode],
                input="\n".join(lines) + "\n",
                capture_output=True,
                text=True,
                timeout=self.options.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise EngineError(
                _("apertium {mode} took longer than {seconds} s").format(
                    mode=mode, seconds=self.options.timeout
                )
            ) from None
        except OSError as exc:
            raise EngineError(_("apertium could not run: {reason}").format(reason=exc)) from None
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            raise EngineError(
                _("apertium {mode} failed: {reason}").format(mode=mode, reason=reason)
            )
        out = done.stdout.split("\n")
        if out and out[-1] == "":
            out.pop()
        if len(out) != len(lines):
            raise EngineError(
                _("apertium {mode} returned {got} lines for {sent} sentences").format(
                    mode=mode, got=len(out), sent=len(lines)
                )
            )
        version = self._data_version(mode)
        if progress:
            progress(len(texts))
        return [
            Translation(_sentence_case(source, " ".join(line.split())), self.name, mode, version)
            for source, line in zip(lines, out, strict=True)
        ]
