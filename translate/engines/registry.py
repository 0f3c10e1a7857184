"""Engines are found through the `translate.engines` entry-point group.

The built-in engines register themselves the same way (pyproject.toml), so a plugin package is a
peer of argos and apertium. Entry points are read when asked for (never at import time) and an
engine whose module fails to import is reported as unavailable, not fatal.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

from translate.engines.base import Engine, EngineError
from translate.errors import UsageError
from translate.i18n import _

GROUP = "translate.engines"


def engine_entry_points() -> dict[str, EntryPoint]:
    """name -> entry point, first one wins when two distributions claim a name."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=GROUP):
        found.setdefault(ep.name, ep)
    return dict(sorted(found.items()))


def engine_names() -> list[str]:
    return list(engine_entry_points())


def engine_class(name: str) -> type[Engine]:
    points = engine_entry_points()
    if name not in points:
        raise UsageError(
            _("unknown engine '{name}' (installed: {names})").format(
                name=name, names=", ".join(points) or "-"
            )
        )
    try:
        cls = points[name].load()
    except Exception as exc:  # noqa: BLE001 - a broken plugin must not take the desk down
        raise EngineError(
            _("engine '{name}' could not be loaded from {value}: {reason}").format(
                name=name, value=points[name].value, reason=exc
            )
        ) from None
    if not (isinstance(cls, type) and issubclass(cls, Engine)):
        raise EngineError(
            _("engine '{name}' ({value}) is not a translate.engines.base.Engine").format(
                name=name, value=points[name].value
            )
        )
    return cls


def create(name: str, mt_settings: dict[str, Any] | None = None) -> Engine:
    """An engine instance with the options workflow.yaml's `mt:` section gives it."""
    cls = engine_class(name)
    engine = cls(cls.options_from(mt_settings or {}, name))
    engine.name = name  # the registered name is what translations record
    return engine


def describe(name: str, mt_settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """What `translate engines` shows for one engine (never raises for a broken plugin)."""
    entry = engine_entry_points()[name]
    row: dict[str, Any] = {
        "name": name,
        "description": "",
        "source": entry.value,
        "available": False,
        "reason": None,
        "pairs": [],
        "capabilities": {},
    }
    try:
        engine = create(name, mt_settings)
        row["description"] = engine.description
        row["capabilities"] = engine.capabilities.as_dict()
        status = engine.availability()
        row["available"], row["reason"] = status.ok, status.reason
        if status.ok:
            row["pairs"] = [f"{s}-{t}" for s, t in engine.pairs()]
    except Exception as exc:  # noqa: BLE001 - report, don't crash the listing
        row["reason"] = str(exc)
    return row


def describe_all(mt_settings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [describe(name, mt_settings) for name in engine_entry_points()]
