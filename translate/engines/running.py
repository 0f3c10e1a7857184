"""The engines of a job, or of a batch worker's many jobs: made once, driven from one thread,
closed at the end.

`translate mt` (translate.mt) and the batch workers (translate.workers) choose an engine per
language pair from workflow.yaml's list; each engine is created on first use with the workflow's
`mt:` options, and one that is not installed or not available is skipped with the reason kept for
the report.
"""

from __future__ import annotations

from collections.abc import Callable

from translate.config import Workflow
from translate.engines.base import Engine, EngineError
from translate.errors import UsageError
from translate.i18n import _


class Engines:
    """The engines of one job (or of a batch worker's many jobs): created once, closed at the end.

    Engines that work in other processes are driven from one thread that lives as long as the
    engines: their processes die with the thread that started them (PR_SET_PDEATHSIG), so a
    thread per job would start every engine process again for every story (Apertium's pipeline:
    about 0.1 s a time)."""

    def __init__(self, workflow: Workflow, notify: Callable[[str], None]):
        self.workflow = workflow
        self.notify = notify
        self._made: dict[str, Engine | None] = {}
        self._why: dict[str, str] = {}
        self._thread = None

    def thread(self):
        """The engines' own worker thread (an executor of one), started on first use."""
        if self._thread is None:
            from concurrent.futures import ThreadPoolExecutor

            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mt-engine")
        return self._thread

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
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        for engine in self._made.values():
            if engine is not None:
                engine.close()
