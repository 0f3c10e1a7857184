"""Small engines the tests register through a real `translate.engines` entry point.

`install_plugins(folder)` writes a `desk_test_engines-0.1.dist-info` with an entry_points.txt into
`folder`; with `folder` and this tests/ directory on sys.path, importlib.metadata finds them just
as it finds an installed plugin package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.engines.base import Capabilities, Engine, ModelInfo, Translation

ENTRY_POINTS = {
    "echo": "engine_plugins:EchoEngine",
    "flaky": "engine_plugins:FlakyEngine",
    "lossy": "engine_plugins:LossyEngine",
    "broken": "engine_plugins_missing_module:Nothing",
}


def install_plugins(folder: Path) -> Path:
    dist = Path(folder) / "desk_test_engines-0.1.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: desk-test-engines\nVersion: 0.1\n", encoding="utf-8"
    )
    lines = ["[translate.engines]"] + [f"{k} = {v}" for k, v in ENTRY_POINTS.items()]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dist


class EchoEngine(Engine):
    """Returns '<source>→<target>: text' for ru-en and es-en; records every call."""

    name = "echo"
    description = "test engine: echoes its input"
    capabilities = Capabilities(batching=True, scores=True)
    calls: list[list[str]] = []
    version = "1"
    during: Callable[[], None] | None = None  # run inside translate_batch (tests use it)

    @dataclass
    class Options:
        beam_size: int = 4  # shared with workflow.yaml's mt: section
        prefix: str = ""

    def pairs(self):
        return [("es", "en"), ("ru", "en")]

    def model_for(self, source, target):
        return ModelInfo(f"echo-{source}{target}", type(self).version)

    def render(self, text: str, source: str, target: str) -> str:
        return f"{self.options.prefix}{source}→{target}: {text}"

    def translate_batch(self, texts: Sequence[str], source, target, progress=None):
        type(self).calls.append(list(texts))
        if type(self).during is not None:
            type(self).during()
        model = self.model_for(source, target)
        out = [
            Translation(self.render(t, source, target), self.name, model.name, model.version, -0.5)
            for t in texts
        ]
        if progress:
            progress(len(texts))
        return out


class FlakyEngine(EchoEngine):
    """Fails (RuntimeError, or KeyboardInterrupt) once `fail_after` sentences are done."""

    name = "flaky"
    fail_after: int | None = None
    interrupt = False
    done = 0

    def translate_batch(self, texts, source, target, progress=None):
        cls = type(self)
        if cls.fail_after is not None and cls.done + len(texts) > cls.fail_after:
            if cls.interrupt:
                raise KeyboardInterrupt
            raise RuntimeError("model server went away")
        cls.done += len(texts)
        return super().translate_batch(texts, source, target, progress)


class LossyEngine(EchoEngine):
    """Drops the glossary placeholders ⟦…⟧ that the tests' fake enforcer puts in."""

    name = "lossy"

    def render(self, text: str, source: str, target: str) -> str:
        return "lossy: " + text.replace("⟦", "").replace("⟧", "")
