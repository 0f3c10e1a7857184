"""MT throughput: argostranslate's own path vs raw CTranslate2 vs the `translate mt` pipeline.

    .venv/bin/python bench/mt_throughput.py [--vocab 32000] [--min-sentences 200] [--keep DIR] [--only apertium] [--distinct]

Builds, offline, a transformer-base-shaped argos TEST PACKAGE (6+6 layers, d_model 512, 8 heads,
FFN 2048, int8, distinct random weights; a SentencePiece vocabulary trained here on words from
simplemma's dictionaries; NOT a translation model) whose decoder emits </s> at step 40 by
construction, so every contender decodes exactly 40 tokens per sentence and no decoding cap biases
the comparison (argos never passes one; raw CTranslate2 gets 256; the pipeline's ratio is raised so
its cap never binds). Over the sentences of examples/stories (repeated until there are at least
--min-sentences) it measures, each in a fresh process (peak RSS is per contender):

  (a) argostranslate.translate.translate on the stories' paragraphs with argos's defaults (beam 4,
      inter_threads 1, intra_threads 0, batches of 32 tokens). argos's sentence splitter needs the
      network (MiniSBD downloads a model), so it is replaced by our own segmentation;
  (b) raw ctranslate2.Translator.translate_batch with every sentence in one call (beam 4, the
      pipeline's threads and max_batch_size);
  (c) translate.mt.run_mt, the `translate mt` path (store, checks and all).

and, over the Spanish sentences of examples/stories (repeated to at least --apertium-sentences):

  (d) raw Apertium: `apertium -u spa-eng`, one process, one sentence per line;
  (e) translate.mt.run_mt on the same sentences with the Apertium engine and the sample glossary
      (glossaries/es-en.csv, masked): glossary matching and masking, the engine, restoring, the
      localize stage, storing versions and the checks.

(b)/(c) and (d)/(e) run --repeat times, alternating, and keep their best run (the machine may be
shared). --only apertium skips (a)-(c) (and the test package) for profiling the desk's overhead.

The last line is exactly:
  mt_throughput: pipeline/argos=<c/a> pipeline/raw=<c/b> pipeline/apertium=<e/d>
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ (this script's folder, put first by Python) holds queue.py: keep it off the path, or it
# shadows the standard library's queue (urllib3, concurrent.futures)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

BEAM = 4
INTER, INTRA, BATCH = 2, 1, 8
STOP_AT = 40

WORKFLOW = f"""\
store: .translate/desk.db
pairs:
  - source: ru
    target: en
    engines: [argos]
team:
  translators:
    bench: [ru-en]
  editors:
    bench: [ru-en]
mt:
  beam_size: {BEAM}
  inter_threads: {INTER}
  intra_threads: {INTRA}
  max_batch_size: {BATCH}
  max_decoding_ratio: 20   # the cap must not bind: the model stops at {STOP_AT} by itself
"""


APERTIUM_WORKFLOW = """\
store: .translate/desk.db
pairs:
  - source: es
    target: en
    engines: [apertium]
    glossary: glossaries/es-en.csv
    enforcement: mask
team:
  translators:
    bench: [es-en]
  editors:
    bench: [es-en]
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would include the parent's peak from before exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- parent: prepare


def corpus_lines(stories: list[dict], words_per_language: int = 60_000) -> list[str]:
    """Offline text for SentencePiece: words from simplemma's dictionaries plus the stories."""
    import random

    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    rng = random.Random(1)
    factory = DefaultDictionaryFactory()
    lines = [u["text"] for s in stories for u in s["units"]]
    for lang in ("ru", "es", "en"):
        words = list(factory.get_dictionary(lang).keys())
        sample = rng.sample(words, min(words_per_language, len(words)))
        lines += [" ".join(sample[i : i + 12]) for i in range(0, len(sample), 12)]
    return lines


def load_stories(desk: Path, pattern: str = "*.md") -> list[dict]:
    from translate.config import load_workflow
    from translate.ingest import parse_file

    workflow = load_workflow(desk / "workflow.yaml")
    stories = []
    for path in sorted(p for p in (ROOT / "examples" / "stories").glob(pattern) if p.is_file()):
        story = parse_file(path, workflow, {"language": None, "outlet": None}, force=True)
        stories.append(
            {
                "title": story.title,
                "language": story.language,
                "units": [
                    {
                        "kind": u.kind,
                        "text": u.text,
                        "sentences": [[s.text, s.ws] for s in u.sentences],
                    }
                    for u in story.units
                ],
            }
        )
    return stories


def child(mode: str, job: Path, env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--job", str(job)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        log(done.stderr)
        raise SystemExit(f"mt_throughput: the {mode} run failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vocab", type=int, default=32000, help="SentencePiece vocabulary size")
    parser.add_argument("--min-sentences", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of (b) and (c); the best is kept (default 2)"
    )
    parser.add_argument("--apertium-sentences", type=int, default=690)
    parser.add_argument("--only", choices=["apertium"], help="run only these contenders")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="Apertium contender: number every copy's sentences, so no two are the same text "
        "(the desk's per-sentence caches then never help)",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also run (e) with the checks left out (bench only), to show what they cost",
    )
    parser.add_argument("--profile", type=Path, help="cProfile the Apertium pipeline into FILE")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = {
            "argos": run_argos,
            "raw": run_raw,
            "pipeline": run_pipeline,
            "install": install,
            "apertium": run_apertium,
            "pipeline_apertium": run_pipeline_apertium,
            "pipeline_apertium_unchecked": run_pipeline_apertium_unchecked,
        }[args.child](json.loads(args.job.read_text("utf-8")))
        print(json.dumps(result))
        return

    started = time.monotonic()
    # the package's bytecode, as a user's machine has it after the first run (this workplace
    # sets PYTHONDONTWRITEBYTECODE, so every child would compile the desk's modules afresh)
    compileall.compile_dir(str(ROOT / "translate"), quiet=1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="mt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "TRANSLATE_"))}
    home = work / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(work / "packages"),
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",  # never the network
        TRANSLATE_USER="bench",
    )
    try:
        from argos_package import build_package, train_sentencepiece

        from translate.desk import init_desk

        results = {}
        seconds: dict[str, list[float]] = {}  # every run of the Apertium contenders, in order
        es_desk = work / "es-desk"
        init_desk(es_desk)
        (es_desk / "workflow.yaml").write_text(APERTIUM_WORKFLOW, encoding="utf-8")
        (es_desk / "glossaries").mkdir(exist_ok=True)
        shutil.copy(ROOT / "glossaries" / "es-en.csv", es_desk / "glossaries" / "es-en.csv")
        es_stories = [s for s in load_stories(es_desk, "**/*") if s["language"] == "es"]
        es_per_copy = sum(len(u["sentences"]) for s in es_stories for u in s["units"])
        es_job = work / "es-job.json"
        es_job.write_text(
            json.dumps(
                {
                    "stories": es_stories,
                    "copies": math.ceil(args.apertium_sentences / es_per_copy),
                    "desk": str(es_desk),
                    "profile": str(args.profile) if args.profile else None,
                    "distinct": args.distinct,
                }
            ),
            encoding="utf-8",
        )
        log(f"Spanish sentences: {es_per_copy} in {len(es_stories)} stories")
        child("pipeline_apertium", es_job, env)  # warm-up: builds the inflection cache once
        modes = ("apertium", "pipeline_apertium")
        if args.breakdown:
            modes += ("pipeline_apertium_unchecked",)
        for _ in range(max(1, args.repeat)):
            for mode in modes:
                log(f"running {mode} ...")
                run = child(mode, es_job, env)
                seconds.setdefault(mode, []).append(run["seconds"])
                if mode not in results or run["seconds"] < results[mode]["seconds"]:
                    results[mode] = run
        if args.only == "apertium":
            raise _Done
        desk = work / "desk"
        init_desk(desk)
        (desk / "workflow.yaml").write_text(WORKFLOW, encoding="utf-8")
        stories = load_stories(desk)
        per_copy = sum(len(u["sentences"]) for s in stories for u in s["units"])
        copies = math.ceil(args.min_sentences / per_copy)
        log(f"sentences: {per_copy} in {len(stories)} stories x {copies} copies")

        t = time.monotonic()
        sp_model = train_sentencepiece(corpus_lines(stories), vocab_size=args.vocab)
        log(f"SentencePiece: trained in {time.monotonic() - t:.0f} s")
        t = time.monotonic()
        package = build_package(
            work / "build",
            "ru",
            "en",
            kind="random",
            sp_model=sp_model,
            layers=(6, 6),
            d_model=512,
            heads=8,
            ffn=2048,
            stop_at=STOP_AT,
        )
        log(
            f"test package: {package.name}, {package.stat().st_size / 1e6:.0f} MB, "
            f"built in {time.monotonic() - t:.0f} s"
        )
        job = work / "job.json"
        job.write_text(
            json.dumps(
                {"stories": stories, "copies": copies, "package": str(package), "desk": str(desk)}
            ),
            encoding="utf-8",
        )
        child("install", job, env)
        log("running argos ...")
        results["argos"] = child("argos", job, env)
        for _ in range(max(1, args.repeat)):  # alternate, keep each one's best run
            for mode in ("raw", "pipeline"):
                log(f"running {mode} ...")
                run = child(mode, job, env)
                if mode not in results or run["seconds"] < results[mode]["seconds"]:
                    results[mode] = run
    except _Done:
        pass
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    labels = {
        "argos": "(a) argostranslate.translate, argos defaults",
        "raw": f"(b) raw CTranslate2, one call (inter {INTER}, intra {INTRA}, batch {BATCH})",
        "pipeline": "(c) translate mt pipeline",
        "apertium": "(d) raw apertium -u spa-eng, one process",
        "pipeline_apertium": "(e) translate mt pipeline, Apertium + glossary",
        "pipeline_apertium_unchecked": "(e0) the same without the checks (bench only)",
    }
    print(f"beam {BEAM}; every sentence decodes {STOP_AT} tokens; vocabulary {args.vocab}")
    print(f"{'contender':<62} {'sentences':>9} {'seconds':>8} {'sent/s':>7} {'peak MB':>8}")
    for mode, r in results.items():
        print(
            f"{labels[mode]:<62} {r['sentences']:>9} {r['seconds']:>8.1f} "
            f"{r['sentences'] / r['seconds']:>7.2f} {r['peak_mb']:>8.0f}"
        )
    if "tokens" in results.get("raw", {}):
        print(f"raw output tokens per sentence: {results['raw']['tokens']}")
    if "stages" in results.get("pipeline_apertium", {}):
        stages = results["pipeline_apertium"]["stages"]
        print("(e) where the time goes: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
        raw_cpu, pipe_cpu = results["apertium"]["cpu"], results["pipeline_apertium"]["cpu"]
        print(
            f"(d)/(e) CPU seconds: raw apertium {sum(raw_cpu):.2f}; translate mt "
            f"{sum(pipe_cpu):.2f} (the desk's Python {pipe_cpu[0]:.2f}, Apertium and other "
            f"programs {pipe_cpu[1]:.2f}) on {os.cpu_count()} cores"
        )
        cores = os.cpu_count() or 1
        floor = sum(pipe_cpu) / cores  # (e)'s wall time if every core worked all the time
        print(
            f"(e) ceiling at a perfect overlap of its CPU on {cores} cores: "
            f"pipeline/apertium <= {results['apertium']['seconds'] / floor:.2f}"
        )
    runs = zip(seconds.get("apertium", []), seconds.get("pipeline_apertium", []), strict=True)
    pairs = [d / e for d, e in runs]
    if len(pairs) > 1:  # each (e) against the (d) run just before it: the host drifts
        pairs.sort()
        print(
            f"(d)/(e) run by run: median {pairs[len(pairs) // 2]:.2f} over {len(pairs)} pairs "
            f"(from {pairs[0]:.2f} to {pairs[-1]:.2f})"
        )
    if "pipeline_apertium_unchecked" in results:
        unchecked = results["pipeline_apertium_unchecked"]
        print(
            f"(e0) without the checks: pipeline/apertium="
            f"{results['apertium']['seconds'] / unchecked['seconds']:.2f} (CPU "
            f"{sum(unchecked['cpu']):.2f} s): the checks cost (e) "
            f"{results['pipeline_apertium']['seconds'] - unchecked['seconds']:.2f} s"
        )
    print(f"total bench time: {time.monotonic() - started:.0f} s")
    rate = {m: r["sentences"] / r["seconds"] for m, r in results.items()}

    def ratio(a: str, b: str) -> str:
        return f"{rate[a] / rate[b]:.2f}" if a in rate and b in rate else "-"

    print(
        f"mt_throughput: pipeline/argos={ratio('pipeline', 'argos')} "
        f"pipeline/raw={ratio('pipeline', 'raw')} "
        f"pipeline/apertium={ratio('pipeline_apertium', 'apertium')}"
    )


class _Done(Exception):
    """--only: the chosen contenders have run."""


# ---------------------------------------------------------------- children


def install(job: dict) -> dict:
    from translate.engines.models import install_file

    info = install_file(Path(job["package"]), Path(os.environ["ARGOS_PACKAGES_DIR"]))
    return {"installed": info.name}


_END = re.compile(r"([.!?…]+[»”\"')]*)?\s*$")


def _variant(text: str, copy: int, distinct: bool) -> str:
    """A sentence as copy `copy` of the job has it: with --distinct every copy after the first
    carries its number ("… el jueves (3)."), so no two segments of the job are the same text."""
    if not distinct or copy == 0:
        return text
    return _END.sub(lambda m: f" ({copy}){m.group(1) or ''}", text, count=1)


def _units(story: dict, copy: int, distinct: bool) -> list:
    from translate.model import Sentence, Unit

    units = []
    for u in story["units"]:
        sentences = [Sentence(_variant(t, copy, distinct), ws) for t, ws in u["sentences"]]
        text = "".join(x.text + x.ws for x in sentences).strip() if distinct else u["text"]
        units.append(Unit(u["kind"], text, sentences))
    return units


def _sentences(job: dict) -> list[str]:
    distinct = bool(job.get("distinct"))
    return [
        _variant(text, copy, distinct) for copy in range(job["copies"]) for s in job["stories"]
        for u in s["units"] for text, _ws in u["sentences"]
    ]  # fmt: skip


def run_argos(job: dict) -> dict:
    from argostranslate import translate as argos_translate

    from translate.segment import split

    current = {"lang": "ru"}

    class OurSentencizer:
        """argos's MiniSBD sentencizer downloads its model at run time: offline, split as we do."""

        def __init__(self, pkg):
            self.pkg = pkg

        def split_sentences(self, text, lang_code=None):
            return [s.text for s in split(text, current["lang"])]

    # The one patch of argos in this project: its sentence splitter, so it can run offline.
    argos_translate.MiniSBDSentencizer = OurSentencizer
    count = 0
    started = time.monotonic()
    for _ in range(job["copies"]):
        for story in job["stories"]:
            current["lang"] = story["language"]
            for unit in story["units"]:
                argos_translate.translate(unit["text"], "ru", "en")
                count += len(unit["sentences"])
    seconds = time.monotonic() - started
    return {"sentences": count, "seconds": seconds, "peak_mb": peak_mb()}


def run_raw(job: dict) -> dict:
    import ctranslate2
    import sentencepiece

    from translate.engines.models import find

    info = find(Path(os.environ["ARGOS_PACKAGES_DIR"]), "ru", "en")
    sentences = _sentences(job)
    started = time.monotonic()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(info.path / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(info.path / "model"), inter_threads=INTER, intra_threads=INTRA
    )
    tokens = sp.encode(sentences, out_type=str)
    results = translator.translate_batch(
        tokens, beam_size=BEAM, max_batch_size=BATCH, max_decoding_length=256
    )
    texts = [sp.decode(r.hypotheses[0]) for r in results]
    seconds = time.monotonic() - started
    lengths = sorted({len(r.hypotheses[0]) for r in results})
    return {
        "sentences": len(texts),
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "tokens": lengths,
        "source_tokens": round(sum(map(len, tokens)) / len(tokens), 1),
    }


def run_pipeline(job: dict) -> dict:
    from translate.config import load_workflow
    from translate.model import IngestedStory, Sentence, Unit
    from translate.mt import run_mt
    from translate.store import open_store

    workflow = load_workflow(Path(job["desk"]) / "workflow.yaml")
    shutil.rmtree(workflow.store.parent, ignore_errors=True)  # a fresh store for every run
    store = open_store(workflow.store)
    for copy in range(job["copies"]):
        for n, story in enumerate(job["stories"]):
            units = [
                Unit(u["kind"], u["text"], [Sentence(t, ws) for t, ws in u["sentences"]])
                for u in story["units"]
            ]
            store.add_story(
                IngestedStory(
                    title=f"{story['title']} #{copy}",
                    language="ru",  # one test package serves every copy
                    units=units,
                    text_hash=f"bench-{copy}-{n}",
                )
            )
    cpu = _cpu()
    started = time.monotonic()
    report = run_mt(store, workflow, user="bench")  # closes its engines: their CPU is counted
    seconds = time.monotonic() - started
    cpu = _cpu(cpu)
    store.close()
    return {"sentences": report.sentences, "seconds": seconds, "peak_mb": peak_mb()}


def run_apertium(job: dict) -> dict:
    sentences = _sentences(job)
    cpu = _cpu()
    started = time.monotonic()
    done = subprocess.run(
        ["apertium", "-u", "spa-eng"],
        input="\n".join(" ".join(t.split()) for t in sentences) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    assert len(done.stdout.splitlines()) == len(sentences)
    return {
        "sentences": len(sentences), "seconds": seconds, "peak_mb": peak_mb(), "cpu": _cpu(cpu),
    }  # fmt: skip


def _cpu(since: tuple[float, float] | None = None) -> tuple[float, float]:
    """CPU seconds (this process, its finished children) — since `since` when given."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    now = (me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)
    return now if since is None else (now[0] - since[0], now[1] - since[1])


def run_pipeline_apertium(job: dict) -> dict:
    from translate.config import load_workflow
    from translate.model import IngestedStory
    from translate.mt import run_mt
    from translate.store import open_store

    workflow = load_workflow(Path(job["desk"]) / "workflow.yaml")
    shutil.rmtree(workflow.store.parent, ignore_errors=True)  # a fresh store for every run
    store = open_store(workflow.store)
    for copy in range(job["copies"]):
        for n, story in enumerate(job["stories"]):
            units = _units(story, copy, bool(job.get("distinct")))
            store.add_story(
                IngestedStory(
                    title=f"{story['title']} #{copy}",
                    language="es",
                    units=units,
                    text_hash=f"bench-es-{copy}-{n}",
                )
            )
    stages = _stage_timer()
    profiler = None
    if job.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = _cpu()
    started = time.monotonic()
    report = run_mt(store, workflow, user="bench")  # closes its engines: their CPU is counted
    seconds = time.monotonic() - started
    cpu = _cpu(cpu)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(job["profile"])
    store.close()
    return {
        "sentences": report.sentences,
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "stages": {k: round(_covered(v), 3) for k, v in stages.items()},
        "cpu": cpu,
    }


def run_pipeline_apertium_unchecked(job: dict) -> dict:
    """(e) with the checks (and their warm-up) replaced by nothing: what the rest of the desk
    costs. Bench instrumentation only; `translate mt` always checks."""
    from translate import mt
    from translate.checks import warmup

    mt._check = lambda *args, **kwargs: None
    warmup.warm_up = lambda *args, **kwargs: None
    return run_pipeline_apertium(job)


def _stage_timer() -> dict[str, list[tuple[float, float]]]:
    """Time the stages of run_mt by wrapping their functions (the bench's own instrumentation):
    each stage's calls as (start, end); `_covered` gives the time a stage was running at all (the
    engine is called from two threads at once)."""
    from translate import mt
    from translate.engines.apertium import ApertiumEngine

    spent: dict[str, list[tuple[float, float]]] = {}

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t = time.monotonic()
            try:
                return original(*args, **kwargs)
            finally:
                spent.setdefault(label, []).append((t, time.monotonic()))

        setattr(owner, name, wrapper)

    timed(ApertiumEngine, "translate_batch", "engine")
    timed(mt, "_enforcer", "glossary load")
    timed(mt, "_tm_reuse", "tm lookup")
    timed(mt, "_store_story", "store + localize")
    timed(mt, "_check", "checks")
    return spent


def _covered(calls: list[tuple[float, float]]) -> float:
    """Seconds during which at least one of `calls` was running."""
    total, until = 0.0, float("-inf")
    for start, end in sorted(calls):
        if end > until:
            total += end - max(start, until)
            until = end
    return total


if __name__ == "__main__":
    main()
