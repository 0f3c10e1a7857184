"""How much slower `translate --help` starts than a bare click app (goal: ratio <= 3).

Each command runs in a fresh subprocess, several times; the medians are compared. The bare app is a
click group with one command, run by the same interpreter. Run: `.venv/bin/python bench/startup.py
[--runs N]`; the last line is `startup: ratio=<x>`. To find what is slow:
`.venv/bin/python -X importtime -m translate --help 2>&1 >/dev/null | sort -t'|' -k2 -n | tail`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue module (multiprocessing imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
GOAL = 3.0

BARE_APP = '''
import click


@click.group()
def cli():
    """A bare click app."""


@cli.command()
def hello():
    """Say hello."""


if __name__ == "__main__":
    cli()
'''


def translate_command() -> list[str]:
    """The installed `translate` script next to this interpreter, else `python -m translate`."""
    script = Path(sys.executable).parent / "translate"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "--help"]
    return [sys.executable, "-m", "translate", "--help"]


def median_seconds(argv: list[str], runs: int, cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per command (default 9)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        bare = cwd / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        bare_cmd = [sys.executable, str(bare), "--help"]
        ours_cmd = translate_command()
        # warm the file cache and .pyc files once, untimed
        median_seconds(bare_cmd, 1, cwd)
        median_seconds(ours_cmd, 1, cwd)
        bare_s = median_seconds(bare_cmd, args.runs, cwd)
        ours_s = median_seconds(ours_cmd, args.runs, cwd)
    ratio = ours_s / bare_s
    print(f"bare click app --help: {bare_s * 1000:.1f} ms (median of {args.runs})")
    print(f"translate --help:      {ours_s * 1000:.1f} ms (median of {args.runs})")
    print(f"goal: ratio <= {GOAL:g} ({'met' if ratio <= GOAL else 'NOT met'})")
    print(f"startup: ratio={ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
