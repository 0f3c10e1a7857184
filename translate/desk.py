"""Setting up a desk folder and saying where things live."""

from __future__ import annotations

from pathlib import Path

from translate.config import TEMPLATE, WORKFLOW_NAME, Workflow, load_workflow
from translate.store import open_store


def init_desk(folder: Path) -> tuple[Path, bool]:
    """Write a commented workflow.yaml (when absent) and create the store. Returns (path, created)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / WORKFLOW_NAME
    created = not path.exists()
    if created:
        path.write_text(TEMPLATE, encoding="utf-8")
    workflow = load_workflow(path)
    (folder / "glossaries").mkdir(exist_ok=True)
    open_store(workflow.store).close()
    return path, created


def argos_packages_dir(workflow: Workflow | None) -> Path:
    """argos's own package folder (shared with argospm) unless overridden."""
    import os

    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    if workflow is not None and workflow.packages_dir:
        return workflow.packages_dir
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "argos-translate" / "packages"


def _store_display(store: Path | str) -> str:
    if isinstance(store, str):
        from translate.store.location import redact

        return redact(store)
    return str(store)


def paths_in_use(workflow: Workflow) -> dict[str, str]:
    return {
        "workflow": str(workflow.path),
        "store": _store_display(workflow.store),
        "glossaries": str(workflow.glossaries_dir),
        "models": str(argos_packages_dir(workflow)),
        "output": str(workflow.output),
        "inbox": str(workflow.inbox),
    }
