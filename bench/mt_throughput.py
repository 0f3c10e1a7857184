"""MT throughput: argostranslate's own path vs raw CTranslate2 vs the `translate mt` pipeline.

    .venv/bin/python bench/mt_throughput.py [--vocab 32000] [--min-sentences 200] [--keep DIR]

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

(b) and (c) run --repeat times, alternating, and keep their best run (the machine may be shared).

The last line is exactly: mt_throughput: pipeline/argos=<c/a> pipeline/raw=<c/b>
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
mt:
  beam_size: {BEAM}
  inter_threads: {INTER}
  intra_threads: {INTRA}
  max_batch_size: {BATCH}
  max_decoding_ratio: 20   # the cap must not bind: the model stops at {STOP_AT} by itself
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


def load_stories(desk: Path) -> list[dict]:
    from translate.config import load_workflow
    from translate.ingest import parse_file

    workflow = load_workflow(desk / "workflow.yaml")
    stories = []
    for path in sorted((ROOT / "examples" / "stories").glob("*.md")):
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
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = {"argos": run_argos, "raw": run_raw, "pipeline": run_pipeline, "install": install}[
            args.child
        ](json.loads(args.job.read_text("utf-8")))
        print(json.dumps(result))
        return

    started = time.monotonic()
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
        results = {}
        log("running argos ...")
        results["argos"] = child("argos", job, env)
        for _ in range(max(1, args.repeat)):  # alternate, keep each one's best run
            for mode in ("raw", "pipeline"):
                log(f"running {mode} ...")
                run = child(mode, job, env)
                if mode not in results or run["seconds"] < results[mode]["seconds"]:
                    results[mode] = run
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    labels = {
        "argos": "(a) argostranslate.translate, argos defaults",
        "raw": f"(b) raw CTranslate2, one call (inter {INTER}, intra {INTRA}, batch {BATCH})",
        "pipeline": "(c) translate mt pipeline",
    }
    print(f"beam {BEAM}; every sentence decodes {STOP_AT} tokens; vocabulary {args.vocab}")
    print(f"{'contender':<62} {'sentences':>9} {'seconds':>8} {'sent/s':>7} {'peak MB':>8}")
    for mode, r in results.items():
        print(
            f"{labels[mode]:<62} {r['sentences']:>9} {r['seconds']:>8.1f} "
            f"{r['sentences'] / r['seconds']:>7.2f} {r['peak_mb']:>8.0f}"
        )
    if "tokens" in results["raw"]:
        print(f"raw output tokens per sentence: {results['raw']['tokens']}")
    print(f"total bench time: {time.monotonic() - started:.0f} s")
    rate = {m: r["sentences"] / r["seconds"] for m, r in results.items()}
    print(
        f"mt_throughput: pipeline/argos={rate['pipeline'] / rate['argos']:.2f} "
        f"pipeline/raw={rate['pipeline'] / rate['raw']:.2f}"
    )


# ---------------------------------------------------------------- children


def install(job: dict) -> dict:
    from translate.engines.models import install_file

    info = install_file(Path(job["package"]), Path(os.environ["ARGOS_PACKAGES_DIR"]))
    return {"installed": info.name}


def _sentences(job: dict) -> list[str]:
    return [
        text for _ in range(job["copies"]) for s in job["stories"] for u in s["units"]
        for text, _ws in u["sentences"]
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
    started = time.monotonic()
    report = run_mt(store, workflow, user="bench")
    seconds = time.monotonic() - started
    store.close()
    return {"sentences": report.sentences, "seconds": seconds, "peak_mb": peak_mb()}


if __name__ == "__main__":
    main()
