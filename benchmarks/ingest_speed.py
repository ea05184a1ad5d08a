"""How fast does `casewise ingest` index a corpus, against the raw encode rate of its embedding model on the same texts?

The script writes the shared synthetic corpus (benchmarks/corpus.py) as markdown files, then, in one process and
with one loaded copy of the real offline model:

1. encodes, in one call, exactly the texts the pipeline must encode for these files: each chunk's embed_text,
   each distinct unit text (every sentence and bullet, stored at ingest for the answerer) and each theme's
   profile (ingest/themes.py tags chunks by similarity to it); the chunks are read from the files with the
   pipeline's own loader and chunker, and checked afterwards to be the chunks the pipeline indexed;
2. runs the full ingest pipeline (load, clean, sections, chunk, embed, theme tags, SQLite catalogue + FTS,
   Chroma, opening Chroma included) into a fresh CASEWISE_HOME under benchmarks/results/, and times it;
3. encodes the same texts again: each pipeline run's baseline is the mean of the raw encodes just before and just
   after it, so a change in the machine's load during the run weighs on both sides alike; `--rounds N` repeats
   2 and 3;
4. encodes the chunks' embed_texts alone, and runs the ingest again with nothing changed;
5. counts the tokens the model runs (padding included) in one more, untimed, ingest and in the raw encode: the
   pipeline's encoding work against the baseline's, which the machine's load cannot disturb.

It prints a Markdown table, one row per round: chunks, texts encoded, full-pipeline chunks/s, raw encode chunks/s
of the same texts, the pipeline's rate as a share of it (the target is 90 %), the same by CPU time, and the load
average; then the seconds behind them, the chunk-texts-alone rate and the peak RSS. Model load is reported apart
and excluded.

Example (from the repository root)::

    .venv/bin/python benchmarks/ingest_speed.py --docs 100
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

import numpy as np
from common import RESULTS, add_scifact_option, peak_rss_mb, scifact_folder

from core.settings import DEFAULT_MODEL, Settings
from corpus import write_reviews
from ingest.catalog import Catalog
from ingest.chunking import chunk_review
from ingest.embedding import CountsTokens, Embedder, load_embedder
from ingest.loaders import load
from ingest.normalise import build_review
from ingest.pipeline import ingest as run_ingest
from ingest.themes import ThemeTagger, load_themes, theme_profile
from ingest.unit_vectors import encoded_texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="synthetic documents to ingest (default 200)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model (default {DEFAULT_MODEL})")
    parser.add_argument("--rounds", type=int, default=1, help="pipeline runs, each between two raw encodes (default 1)")
    add_scifact_option(parser)
    args = parser.parse_args(argv)
    scifact = scifact_folder(args.scifact)

    work = RESULTS / "ingest-speed"
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    write_reviews(corpus, args.docs, scifact)
    settings = Settings.from_env(env={}, home=work / "home-1", embedding_model=args.model)

    started = time.perf_counter()
    model = load_embedder(args.model)
    model.encode(["warm-up: the model runs once before anything is timed"] * 8)
    load_s = time.perf_counter() - started

    chunks = [c for path in sorted(corpus.iterdir()) for c in chunk_review(*build_review(path, load(path, 10**9)))]
    themes = [theme_profile(t) for t in load_themes(settings.themes_path)]
    texts = encoded_texts(chunks) + themes
    raw = [timed_encode(model, texts)]
    rounds = []
    for number in range(1, args.rounds + 1):
        home = work / f"home-{number}"
        settings = Settings.from_env(env={}, home=home, embedding_model=args.model)
        started, cpu_started = time.perf_counter(), time.process_time()
        report = run_ingest([corpus], settings, lambda: model)
        rounds.append((time.perf_counter() - started, time.process_time() - cpu_started, os.getloadavg()[0]))
        if report.failed:
            print(f"{len(report.failed)} documents failed, e.g. {report.failed[0].message}", file=sys.stderr)
            return 1
        indexed = Catalog(settings.db_path).all_chunks()
        if {(c.chunk_id, c.embed_text) for c in indexed} != {(c.chunk_id, c.embed_text) for c in chunks}:
            print("the pipeline indexed other chunks than the files' chunks: no comparable baseline", file=sys.stderr)
            return 1
        raw.append(timed_encode(model, texts))
    chunks_only_s, _ = timed_encode(model, [c.embed_text for c in chunks])
    tagger = ThemeTagger(load_themes(settings.themes_path), model)
    tagger.profiles()  # embedded once a run, as in the pipeline
    vectors = model.encode([c.embed_text for c in chunks])
    started = time.perf_counter()
    tagger.tag([c.text for c in chunks], vectors)
    tag_s = time.perf_counter() - started

    started = time.perf_counter()
    run_ingest([corpus], settings, lambda: model)
    rerun_s = time.perf_counter() - started

    counted = TokenCounter(model)  # an untimed run: the model's work, whatever the machine's load
    run_ingest([corpus], Settings.from_env(env={}, home=work / "home-counted", embedding_model=args.model), counted)
    pipeline_tokens = counted.tokens
    counted.tokens = 0
    counted.encode(texts)

    n = len(chunks)
    units = len(texts) - len(themes) - len({c.embed_text for c in chunks})
    print(f"Ingest speed: {args.docs} documents, model {args.model} (loaded in {load_s:.1f} s, excluded)\n")
    header = ["round", "docs", "chunks", "texts encoded", "full pipeline (chunks/s)"]
    header += ["raw encode, same texts (chunks/s)", "pipeline / raw %", "by CPU time %", "load average"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---:|" * len(header))
    for number, (pipeline_s, pipeline_cpu, load_average) in enumerate(rounds, start=1):
        (before_s, before_cpu), (after_s, after_cpu) = raw[number - 1], raw[number]
        encode_s, encode_cpu = (before_s + after_s) / 2, (before_cpu + after_cpu) / 2
        row = [number, args.docs, n, len(texts), f"{n / pipeline_s:.1f}", f"{n / encode_s:.1f}"]
        row += [f"{100 * encode_s / pipeline_s:.0f}", f"{100 * encode_cpu / pipeline_cpu:.0f}", f"{load_average:.1f}"]
        print("| " + " | ".join(map(str, row)) + " |")
    print(
        f"\nTexts encoded: {n} chunk embed_texts, {units} distinct unit texts (sentences and bullets) and "
        f"{len(themes)} theme profiles: what the pipeline must encode for these files. Each round's baseline is the "
        "mean of the raw encodes just before and just after it; round 1 also opens Chroma for the first time in the "
        "process (importing it).\n"
        "Seconds, wall / CPU: pipeline "
        + ", ".join(f"{w:.1f} / {c:.1f}" for w, c, _ in rounds)
        + "; raw encode of the same texts "
        + ", ".join(f"{w:.1f} / {c:.1f}" for w, c in raw)
        + f". Raw encode of the chunk texts alone {chunks_only_s:.1f} s ({n / chunks_only_s:.1f} chunks/s); "
        f"re-run with nothing changed {rerun_s:.2f} s (no encoding); theme tagging {tag_s:.2f} s "
        f"({100 * tag_s / min(w for w, _, _ in rounds):.1f} % of the fastest round); peak RSS {peak_rss_mb():.0f} MB. "
        f"Tokens the model ran, padding included: pipeline {pipeline_tokens:,}, raw encode {counted.tokens:,} "
        f"({100 * (pipeline_tokens / max(counted.tokens, 1) - 1):+.1f} %; 0 when the model cannot count tokens). "
        f"Load average {os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores.\n"
        "pipeline / raw = raw encode time / pipeline time: the pipeline's rate as a share of the model's rate on the "
        "same texts, by wall clock and by this process's CPU time (which other load on the machine disturbs less)."
    )
    return 0


class TokenCounter:
    """The model, counting the tokens of the batches it runs, padding included (batches of `batch_size` texts of
    alike token counts, as the ONNX embedder forms them), so the pipeline's encoding work and the baseline's can be
    compared without timing anything."""

    def __init__(self, model: Embedder) -> None:
        self.model, self.name, self.dimension, self.tokens = model, model.name, model.dimension, 0

    def __call__(self) -> TokenCounter:  # the pipeline's model factory
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        if isinstance(self.model, CountsTokens):
            counts = sorted(self.model.token_counts(texts))
            size = int(getattr(self.model, "batch_size", 32))
            self.tokens += sum(
                max(counts[i : i + size]) * len(counts[i : i + size]) for i in range(0, len(counts), size)
            )
        return self.model.encode(texts)

    def token_counts(self, texts: list[str]) -> list[int]:
        return self.model.token_counts(texts) if isinstance(self.model, CountsTokens) else [len(t) for t in texts]


def timed_encode(model: Embedder, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds the model takes to encode the texts in one call."""
    started, cpu_started = time.perf_counter(), time.process_time()
    model.encode(texts)
    return time.perf_counter() - started, time.process_time() - cpu_started


if __name__ == "__main__":
    sys.exit(main())
