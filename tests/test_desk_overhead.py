"""What keeps the desk's own work around a fast engine small: Spanish lemmas cached on disk (no
simplemma dictionary load once the words are known), the repetition check's cheap pre-filter, and
Apertium waves translated in a worker thread while the previous wave is stored."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from translate.checks.integrity import LOOP_MAX_N, LOOP_REPEATS, _loop_spans

ROOT = Path(__file__).resolve().parent.parent


def _naive_loops(tokens):
    runs, i = [], 0
    while i < len(tokens):
        found = None
        for n in range(1, LOOP_MAX_N + 1):
            gram = tokens[i : i + n]
            if len(gram) < n:
                break
            reps = 1
            while tokens[i + reps * n : i + (reps + 1) * n] == gram:
                reps += 1
            if reps >= LOOP_REPEATS:
                found = (i, i + reps * n, n)
                break
        if found:
            runs.append(found)
            i = found[1]
        else:
            i += 1
    return runs


def test_loop_prefilter_finds_exactly_what_the_full_scan_finds():
    rng = random.Random(7)
    for _ in range(3000):
        tokens = [rng.choice("a b c the of x".split()) for _ in range(rng.randint(0, 30))]
        assert _loop_spans(tokens) == _naive_loops(tokens), tokens


def test_spanish_lemmas_are_cached_on_disk_so_the_dictionary_is_loaded_once(tmp_path):
    script = (
        "import sys, json\n"
        "from translate.glossary.morph import text_keys\n"
        "keys = [text_keys(w, 'es') for w in ['orquídeas', 'viveros', 'florecitas', 'Santa']]\n"
        "print(json.dumps({'keys': keys, 'simplemma': 'simplemma' in sys.modules}))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}

    def run():
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    first, second = run(), run()
    assert first["simplemma"] is True and second["simplemma"] is False
    assert first["keys"] == second["keys"]
    assert ["orquidea", "lemma"] in first["keys"][0]
    assert (tmp_path / "translate" / "spanish-lemmas.json").is_file()
