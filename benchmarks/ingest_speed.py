"""How fast does `casewise ingest` index a corpus, against the raw encode rate of its embedding model on the same texts?

The script writes the shared synthetic corpus (benchmarks/corpus.py) as markdown files, then, in one process and
with one loaded copy of the real offline model:

1. encodes, in one call, exactly the texts the pipeline must encode for these files: each chunk's embed_text,
   each distinct unit text (every sentence and bullet, stored at ingest for the answerer) and each theme's
   profile (ingest/themes.py tags chunks by similarity to it); the chunks are read from the files with the
   pipeline's own loader and chunker, and checked afterwards to be the chunks the pipeline indexed;
2. runs the full ingest pipeline (load, clean, sections, chunk, embed, theme tags, SQLite catalogue + FTS,
   Chroma, opening Chroma included) into a fresh CASEWISE_HOME under benchmarks/results/, and times it;
3. encodes the same texts again (the baseline is the mean of 1 and 3, so a change in the machine's load during
   the run weighs on both sides alike), and the chunks' embed_texts alone;
4. runs the ingest again with nothing changed.

It prints a Markdown table: chunks, texts encoded, full-pipeline chunks/s, raw encode chunks/s of the same texts,
the pipeline's rate as a share of it (the target is 90 %), the same by CPU time, the raw encode rate of the chunk
texts alone and the pipeline's share of that, and the process's peak RSS. Model load is reported apart and
excluded.

Example (from the repository root)::

    .venv/bin/python benchmarks/ingest_speed.py --docs 100
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

from common import RESULTS, add_scifact_option, peak_rss_mb, scifact_folder

from core.settings import DEFAULT_MODEL, Settings
from corpus import write_reviews
from ingest.catalog import Catalog
from ingest.chunking import chunk_review
from ingest.embedding import Embedder, load_embedder
from ingest.loaders import load
from ingest.normalise import build_review
from ingest.pipeline import ingest as run_ingest
from ingest.themes import load_themes, theme_profile
from ingest.unit_vectors import encoded_texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="synthetic documents to ingest (default 200)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model (default {DEFAULT_MODEL})")
    add_scifact_option(parser)
    args = parser.parse_args(argv)
    scifact = scifact_folder(args.scifact)

    work = RESULTS / "ingest-speed"
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    write_reviews(corpus, args.docs, scifact)
    settings = Settings.from_env(env={}, home=work / "home", embedding_model=args.model)

    started = time.perf_counter()
    model = load_embedder(args.model)
    model.encode(["warm-up: the model runs once before anything is timed"] * 8)
    load_s = time.perf_counter() - started

    chunks = [c for path in sorted(corpus.iterdir()) for c in chunk_review(*build_review(path, load(path, 10**9)))]
    themes = [theme_profile(t) for t in load_themes(settings.themes_path)]
    texts = encoded_texts(chunks) + themes
    before_s, before_cpu = timed_encode(model, texts)

    started, cpu_started = time.perf_counter(), time.process_time()
    report = run_ingest([corpus], settings, lambda: model)
    pipeline_s, pipeline_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if report.failed:
        print(f"{len(report.failed)} documents failed, e.g. {report.failed[0].message}", file=sys.stderr)
        return 1
    indexed = Catalog(settings.db_path).all_chunks()
    if {(c.chunk_id, c.embed_text) for c in indexed} != {(c.chunk_id, c.embed_text) for c in chunks}:
        print(
            "the pipeline indexed other chunks than the files' chunks: the baseline is not comparable", file=sys.stderr
        )
        return 1

    after_s, after_cpu = timed_encode(model, texts)
    encode_s, encode_cpu = (before_s + after_s) / 2, (before_cpu + after_cpu) / 2
    chunks_only_s, _ = timed_encode(model, [c.embed_text for c in chunks])

    started = time.perf_counter()
    run_ingest([corpus], settings, lambda: model)
    rerun_s = time.perf_counter() - started

    n = len(chunks)
    units = len(texts) - len(themes) - len({c.embed_text for c in chunks})
    print(f"Ingest speed: {args.docs} documents, model {args.model} (loaded in {load_s:.1f} s, excluded)\n")
    header = ["docs", "chunks", "texts encoded", "full pipeline (chunks/s)", "raw encode, same texts (chunks/s)"]
    header += ["pipeline / raw %", "by CPU time %", "raw encode, chunk texts alone (chunks/s)"]
    header += ["pipeline / raw, chunk texts alone %", "peak RSS MB"]
    row = [
        str(args.docs),
        str(n),
        str(len(texts)),
        f"{n / pipeline_s:.1f}",
        f"{n / encode_s:.1f}",
        f"{100 * encode_s / pipeline_s:.0f}",
        f"{100 * encode_cpu / pipeline_cpu:.0f}",
        f"{n / chunks_only_s:.1f}",
        f"{100 * chunks_only_s / pipeline_s:.0f}",
        f"{peak_rss_mb():.0f}",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---:|" * len(header))
    print("| " + " | ".join(row) + " |")
    print(
        f"\nTexts encoded: {n} chunk embed_texts, {units} distinct unit texts (sentences and bullets) and "
        f"{len(themes)} theme profiles: what the pipeline must encode for these files.\n"
        f"full pipeline {pipeline_s:.1f} s wall, {pipeline_cpu:.1f} s CPU; raw encode of the same texts "
        f"{before_s:.1f} s before the pipeline and {after_s:.1f} s after (mean {encode_s:.1f} s wall, "
        f"{encode_cpu:.1f} s CPU); chunk texts alone {chunks_only_s:.1f} s; "
        f"re-run with nothing changed {rerun_s:.2f} s (no encoding). "
        f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
        "pipeline / raw = raw encode time / pipeline time: the pipeline's rate as a share of the model's rate on the "
        "same texts, by wall clock and by this process's CPU time (which other load on the machine disturbs less)."
    )
    return 0


def timed_encode(model: Embedder, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds the model takes to encode the texts in one call."""
    started, cpu_started = time.perf_counter(), time.process_time()
    model.encode(texts)
    return time.perf_counter() - started, time.process_time() - cpu_started


if __name__ == "__main__":
    sys.exit(main())
