"""How fast does `casewise ingest` index a corpus, against the raw encode rate of its embedding model?

The script writes a synthetic corpus of review-like documents (the two seed reviews retold: other subjects,
other wording, sections shuffled and mixed), then, in one process and with one loaded copy of the real
offline model:

1. runs the full ingest pipeline (load, clean, sections, chunk, embed, SQLite catalogue + FTS, Chroma) into a
   fresh temporary CASEWISE_HOME, and times it;
2. encodes the same chunks' embed_texts with the same model (the baseline), and times that.

It prints a Markdown table: chunks, full-pipeline chunks/s, raw encode chunks/s and the overhead
(pipeline time over raw encode time, minus one). Model load time is reported apart and excluded from both.

Example (from the repository root)::

    .venv/bin/python benchmarks/ingest_speed.py --docs 200
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import ingest  # noqa: E402,F401  (sets the offline variables before any model library is imported)
from ingest.catalog import Catalog  # noqa: E402
from ingest.embedding import load_embedder  # noqa: E402
from ingest.headings import strip_number  # noqa: E402
from ingest.pipeline import ingest as run_ingest  # noqa: E402
from ingest.settings import DEFAULT_MODEL, Settings  # noqa: E402

SEEDS = sorted((REPO_ROOT / "corpus").glob("*.txt"))
REVIEW_TYPES = ["Rapid Review", "Serious Case Review", "Child Safeguarding Practice Review", "Local Review"]
SUBJECT_KINDS = ["Child", "Young Person", "Baby", "Sibling"]
REWORDINGS = [
    ("Professionals", "Practitioners"),
    ("professionals", "practitioners"),
    ("family", "household"),
    ("school", "college"),
    ("Police", "The police"),
    ("assault", "attack"),
    ("risk", "danger"),
    ("behaviour", "conduct"),
    ("support", "help"),
    ("concerns", "worries"),
]


def _seed_sections(path: Path) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of a seed: markdown or bare headings, and the lines under them."""
    sections: list[tuple[str, list[str]]] = []
    raw = re.sub(r"</?u>", "", path.read_text(encoding="utf-8"))
    lines = [line.strip() for line in re.sub(r"\n (?=\S)", " ", raw).split("\n")]  # rejoin wrapped bullets
    for index, line in enumerate(lines):
        if not line or (index == 0 and not line.startswith("#")):
            continue
        name = strip_number(line.lstrip("#")) or ""
        blank_around = (index == 0 or not lines[index - 1]) and (index + 1 == len(lines) or not lines[index + 1])
        if line.startswith("#") or (blank_around and len(line) < 40 and not line.startswith("-")):
            if name and not name.startswith("Rapid Reviews"):
                sections.append((name, []))
        elif sections:
            sections[-1][1].append(line)
    return [(name, body) for name, body in sections if body]


def build_corpus(folder: Path, docs: int, seed: int = 7) -> list[Path]:
    """Write `docs` review-like .txt/.md files under `folder`."""
    rng = random.Random(seed)
    pool = [section for path in SEEDS for section in _seed_sections(path)]
    paths = []
    for number in range(docs):
        kind, letter = rng.choice(SUBJECT_KINDS), chr(ord("A") + number % 26)
        subject = f"{kind} {letter}{number // 26 or ''}"
        title = f"{rng.choice(REVIEW_TYPES)}: {subject}"
        swaps = rng.sample(REWORDINGS, k=4)
        blocks = [title]
        for name, body in rng.sample(pool, k=rng.randint(4, min(8, len(pool)))):
            lines = body[:]
            rng.shuffle(lines)
            text = "\n".join(lines).replace("Young Person F", subject).replace("Child M", subject)
            for old, new in swaps:
                text = text.replace(old, new)
            blocks += [name, text]
        path = folder / f"review-{number:04d}{'.md' if number % 5 == 0 else '.txt'}"
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="synthetic documents to ingest (default 200)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"embedding model (default {DEFAULT_MODEL})")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="casewise-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        build_corpus(corpus, args.docs)
        settings = Settings.from_env(env={}, home=Path(tmp) / "home", embedding_model=args.model)

        started = time.perf_counter()
        model = load_embedder(args.model)
        model.encode(["warm-up: the model runs once before anything is timed"] * 8)
        load_s = time.perf_counter() - started

        started, cpu_started = time.perf_counter(), time.process_time()
        report = run_ingest([corpus], settings, lambda: model)
        pipeline_s, pipeline_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if report.failed:
            print(f"{len(report.failed)} documents failed, e.g. {report.failed[0].message}", file=sys.stderr)
            return 1

        chunks_by_file = [
            [c.embed_text for c in group]
            for _, group in groupby(Catalog(settings.db_path).all_chunks(), key=lambda c: c.review_id)
        ]
        texts = [text for group in chunks_by_file for text in group]
        started, cpu_started = time.perf_counter(), time.process_time()
        model.encode(texts)
        encode_s, encode_cpu = time.perf_counter() - started, time.process_time() - cpu_started

        started = time.perf_counter()
        for group in chunks_by_file:  # the pipeline's batching: one encode call per file
            model.encode(group)
        per_file_s = time.perf_counter() - started

        started = time.perf_counter()
        run_ingest([corpus], settings, lambda: model)
        rerun_s = time.perf_counter() - started

    chunks = len(texts)
    print(f"Ingest speed: {args.docs} documents, model {args.model} (loaded in {load_s:.1f} s, excluded)\n")
    header = ["docs", "chunks", "full pipeline (chunks/s)", "raw encode (chunks/s)", "overhead %"]
    header += ["CPU overhead %", "raw encode, per file (chunks/s)"]
    row = [
        str(args.docs),
        str(chunks),
        f"{chunks / pipeline_s:.1f}",
        f"{chunks / encode_s:.1f}",
        f"{100 * (pipeline_s / encode_s - 1):.1f}",
        f"{100 * (pipeline_cpu / encode_cpu - 1):.1f}",
        f"{chunks / per_file_s:.1f}",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---:|" * len(header))
    print("| " + " | ".join(row) + " |")
    print(
        f"\nfull pipeline {pipeline_s:.1f} s wall, {pipeline_cpu:.1f} s CPU; "
        f"raw encode {encode_s:.1f} s wall, {encode_cpu:.1f} s CPU; "
        f"re-run with nothing changed {rerun_s:.2f} s (no encoding).\n"
        "Overhead = pipeline time / raw encode time - 1, by wall clock and by this process's CPU time "
        "(which other load on the machine disturbs less).\n"
        "The pipeline encodes changed files together (up to 256 chunks a call); the baseline encodes all chunks\n"
        "in batches of 32. The last column encodes file by file: its gap to the baseline is the cost of small batches."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
