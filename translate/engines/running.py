"""The engines of a job, or of a batch worker's many jobs: made once, driven from one thread,
closed at the end.

`translate mt` (translate.mt) and the batch workers (translate.workers) choose an engine per
language pair from workflow.yaml's list; each engine is created on first use with the workflow's
`mt:` options, and one that is not installed or not available is skipped with the reason kept for
the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translate.config import Workflow
from translate.engines.base import Engine, EngineError
from translate.errors import UsageError
from translate.i18n import _


class Engines:
    """The engines of one job (or of a batch worker's many jobs): created once, closed at the end.

    Engines that work in other processes are driven from worker threads that live as long as the
    engines (`thread()`), and keep their processes running across a batch worker's jobs (starting
    Apertium's pipeline costs about 0.1 s a time)."""

    def __init__(self, workflow: Workflow, notify: Callable[[str], None]):
        self.workflow = workflow
        self.notify = notify
        self._made: dict[str, Engine | None] = {}
        self._why: dict[str, str] = {}
        self._pools: dict[int, Any] = {}

    def thread(self, workers: int = 1):
        """The engines' own worker threads (an executor of `workers`), started on first use and
        kept as long as the engines. Two let an engine that queues calls (Capabilities.queued)
        be sent the next wave while the thread before still reads this one's answers."""
        if workers not in self._pools:
            from concurrent.futures import ThreadPoolExecutor

            self._pools[workers] = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="mt-engine"
            )
        return self._pools[workers]

    def get(self, name: str) -> Engine | None:
        if name not in self._made:
            from translate.engines import registry
            from translate.engines.models import packages_dir

            settings = {
                **self.workflow.mt_options,
                "packages_dir": str(packages_dir(self.workflow)),
            }
            try:
                engine = registry.create(name, settings)
            except UsageError:
                import difflib

                self._why[name] = _("engine '{name}' is not installed").format(name=name)
                hint = difflib.get_close_matches(name, registry.engine_names(), n=1)
                if hint:
                    self._why[name] += "; " + _("did you mean '{hint}'?").format(hint=hint[0])
                engine = None
            except EngineError as exc:  # a plugin that cannot be loaded: try the next engine
                self._why[name] = exc.message
                engine = None
            else:
                status = engine.availability()
                if not status.ok:
                    self._why[name] = _("engine '{name}' is unavailable: {reason}").format(
                        name=name, reason=status.reason
                    )
                    engine.close()
                    engine = None
                elif hasattr(engine, "notify"):
                    engine.notify = self.notify
            self._made[name] = engine
        return self._made[name]

    def choose(self, names: list[str], source: str, target: str) -> Engine | None:
        for name in names:
            engine = self.get(name)
            if engine is not None and engine.serves(source, target):
                return engine
        return None

    def reasons(self, names: list[str]) -> list[str]:
        return [self._why[n] for n in names if n in self._why]

    def close(self) -> None:
        pools, self._pools = self._pools, {}
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        for engine in self._made.values():
            if engine is not None:
                engine.close()
