"""scripts/demo with DESK given as an absolute path (the README's `DESK=... bash scripts/demo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _fake_repo(root: Path) -> Path:
    """A repo with the real scripts/demo, a no-op setup and a translate that logs its calls."""
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "demo", root / "scripts" / "demo")
    (root / "scripts" / "setup").write_text("true\n")
    (root / "examples" / "stories").mkdir(parents=True)
    (root / "examples" / "stories" / "a.md").write_text("x\n")
    (root / "glossaries").mkdir()
    (root / "glossaries" / "ru-en.csv").write_text("source,target\n")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    fake = bin_dir / "translate"
    fake.write_text(
        "#!/usr/bin/env bash\n"
        'if [ "$1" = init ]; then mkdir -p "$2/glossaries"; touch "$2/workflow.yaml"; fi\n'
        'echo "$TRANSLATE_WORKFLOW $*" >> "$CALLS"\n'
    )
    fake.chmod(0o755)
    return root


def test_demo_accepts_an_absolute_desk_path(tmp_path):
    repo = _fake_repo(tmp_path / "repo")
    desk = tmp_path / "elsewhere" / "desk"
    calls = tmp_path / "calls.txt"
    env = dict(os.environ, DESK=str(desk), CALLS=str(calls))
    done = subprocess.run(
        ["bash", str(repo / "scripts" / "demo")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = calls.read_text().splitlines()
    assert lines[0].endswith(f"init {desk}")
    for line in lines[1:]:
        assert line.startswith(f"{desk}/workflow.yaml "), line
    assert (desk / "inbox" / "a.md").is_file()
    assert (desk / "glossaries" / "ru-en.csv").is_file()


def test_demo_keeps_a_relative_desk_under_the_repo(tmp_path):
    repo = _fake_repo(tmp_path / "repo")
    calls = tmp_path / "calls.txt"
    env = dict(os.environ, DESK="my-desk", CALLS=str(calls))
    done = subprocess.run(
        ["bash", str(repo / "scripts" / "demo")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for line in calls.read_text().splitlines()[1:]:
        assert line.startswith(f"{repo}/my-desk/workflow.yaml "), line
    assert (repo / "my-desk" / "inbox" / "a.md").is_file()
