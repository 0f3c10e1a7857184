"""Server-side time of the web front's story page for stories of 50 and 500 segments (goal: the
500-segment page costs at most 8× the 50-segment one: one round of queries per page, never one
per segment).

Builds a desk in a temporary folder with the library (the starter ru-en glossary, Russian
sentences from examples/stories with machine drafts, every third one edited by a translator,
findings on every fifth, one overridden), submits both stories, signs an editor in and times
`GET /stories/ID` through the ASGI app (Starlette's TestClient: routing, session, store reads,
glossary lookup, template), warm, `--repeat` times each, interleaved. Prints median and p95.

Run: `.venv/bin/python bench/web.py [--repeat N]`; the last line is
`web: story_p95_ms_50=<a> story_p95_ms_500=<b> ratio=<b/a>`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue module (multiprocessing imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
GOAL = 8.0


def sources() -> list[str]:
    text = (ROOT / "examples" / "stories" / "kommersant-russia-pakistan.md").read_text("utf-8")
    body = text.split("---", 2)[-1]
    return [s for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 3]


def build(folder: Path, n: int, sentences: list[str], store, workflow, title: str) -> str:
    from translate import review
    from translate.model import IngestedStory, Sentence, Unit
    from translate.store import SegmentState, StoryState

    picked = [sentences[i % len(sentences)].strip() for i in range(n)]
    units = [Unit("paragraph", s, [Sentence(s, " ")]) for s in picked]
    sid = store.add_story(
        IngestedStory(
            title=title, language="ru", units=units, outlet="Коммерсантъ", text_hash=title
        )
    )
    with store.write():
        for seg in store.segments(sid):
            store.add_version(
                seg["id"],
                sid,
                f"Machine draft of segment {seg['number']} about the talks.",
                origin="mt",
                state=SegmentState.MACHINE,
                engine="bench",
            )
        store.set_story_state(sid, StoryState.TRANSLATED)
    review.claim(store, workflow, sid, "ana")
    with store.write():
        for seg in store.segments(sid):
            if seg["number"] % 3 == 0:
                store.add_version(
                    seg["id"],
                    sid,
                    f"Edited draft of segment {seg['number']} about the talks.",
                    origin="human",
                    state=SegmentState.EDITED,
                    author="ana",
                    base_version_id=seg["version_id"],
                )
    review.confirm_all(store, workflow, sid, "ana")
    for seg in store.segments(sid):
        if seg["number"] % 5 == 0:
            severity = "blocking" if seg["number"] == 5 else "warning"
            store.replace_findings(
                sid,
                seg["id"],
                seg["version_id"],
                [
                    {
                        "code": "numbers.missing",
                        "severity": severity,
                        "message": "a number is missing",
                        "start": 0,
                        "end": 4,
                    }
                ],
            )
    review.submit(store, workflow, sid, "ana", override="bench override")
    return sid


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="web-bench-cache-"))

    from starlette.testclient import TestClient

    from translate.auth import set_password
    from translate.config import load_workflow
    from translate.desk import init_desk
    from translate.store import open_store
    from translate.web.app import create_app

    with tempfile.TemporaryDirectory(prefix="web-bench-") as tmp:
        folder = Path(tmp) / "desk"
        init_desk(folder)
        workflow = load_workflow(folder / "workflow.yaml")
        glossary = (
            workflow.glossaries_dir
            if workflow.glossaries_dir.is_absolute()
            else folder / workflow.glossaries_dir
        )
        glossary.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "glossaries" / "ru-en.csv", glossary / "ru-en.csv")
        store = open_store(workflow.store)
        set_password(store, workflow, "eve", "bench-password", "eve")
        sentences = sources()
        ids = {n: build(folder, n, sentences, store, workflow, f"bench {n}") for n in (50, 500)}
        store.close()

        client = TestClient(create_app(folder / "workflow.yaml"))
        page = client.get("/signin").text
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        client.post("/signin", data={"csrf": token, "name": "eve", "password": "bench-password"})
        times: dict[int, list[float]] = {50: [], 500: []}
        for n, sid in ids.items():  # warm: glossary automaton, templates, caches
            r = client.get(f"/stories/{sid}")
            assert r.status_code == 200 and r.text.count('class="seg') >= n, r.status_code
        for _ in range(args.repeat):
            for n, sid in ids.items():
                start = time.perf_counter()
                client.get(f"/stories/{sid}")
                times[n].append((time.perf_counter() - start) * 1000)

    print(f"{'segments':>9} {'median ms':>10} {'p95 ms':>8}  (requests: {args.repeat} each)")
    for n, values in times.items():
        print(f"{n:>9} {statistics.median(values):>10.1f} {pct(values, 0.95):>8.1f}")
    a, b = pct(times[50], 0.95), pct(times[500], 0.95)
    ratio = b / a
    print(f"goal: ratio <= {GOAL:g} ({'met' if ratio <= GOAL else 'NOT met'})")
    print(f"web: story_p95_ms_50={a:.1f} story_p95_ms_500={b:.1f} ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
