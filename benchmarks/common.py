"""What the benchmark scripts share: repository paths, a competing CPU load, percentiles, memory, tables."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import core  # noqa: E402,F401  (sets the offline variables before any model library is imported)

RESULTS = REPO_ROOT / "benchmarks" / "results"  # default output folder (gitignored)
GOLD = REPO_ROOT / "evals" / "gold_seed.jsonl"
TEXT_SOURCES = (REPO_ROOT / "corpus", REPO_ROOT / "evals" / "corpus-dev" / "reviews")
SCIFACT_VARIABLE = "CASEWISE_BENCH_SCIFACT"  # SciFact (BEIR format) is not in the repository: say where it is


def add_scifact_option(parser: argparse.ArgumentParser) -> None:
    """--scifact FOLDER: the BEIR SciFact folder (corpus.jsonl, queries.jsonl, qrels/); default from the environment."""
    parser.add_argument(
        "--scifact",
        type=Path,
        default=os.environ.get(SCIFACT_VARIABLE) or None,
        metavar="FOLDER",
        help=f"the BEIR SciFact folder with corpus.jsonl, queries.jsonl and qrels/ (default: ${SCIFACT_VARIABLE})",
    )


def scifact_folder(given: Path | None) -> Path:
    """The SciFact folder named by --scifact or the environment; stops with what to do when there is none."""
    if given is None:
        sys.exit(f"name the BEIR SciFact folder with --scifact FOLDER or {SCIFACT_VARIABLE}=FOLDER")
    if not (given / "corpus.jsonl").is_file():
        sys.exit(f"{given} holds no corpus.jsonl; --scifact must name a BEIR SciFact folder")
    return given


@contextmanager
def competing_load(processes: int) -> Iterator[None]:
    """Keep `processes` busy-looping Python processes running for the duration of the block."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(processes)]
    try:
        time.sleep(0.5)  # let the scheduler see them
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(seconds)
    at = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000  # noqa: E731
    return {"p50": at(0.50), "p95": at(0.95)}


def peak_rss_mb() -> float:
    """This process's peak resident set size."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions(limit: int = 0) -> list[str]:
    """The seed gold set's questions: realistic practitioners' questions about the seed reviews."""
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = [row["question"] for row in rows]
    return found[:limit] if limit else found


def paragraphs(limit: int = 0, min_words: int = 8) -> list[str]:
    """Paragraphs of the plain-text and markdown reviews in the repository, as chunk-like texts."""
    found: list[str] = []
    for folder in TEXT_SOURCES:
        for path in sorted([*folder.glob("*.txt"), *folder.glob("*.md")]):
            if path.name.lower() == "readme.md":
                continue
            for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
                text = " ".join(block.split())
                if len(text.split()) >= min_words:
                    found.append(text)
    return found[:limit] if limit else found


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(figures: dict[str, float]) -> str:
    """'p50 / p95' in milliseconds."""
    return f"{figures['p50']:.1f} / {figures['p95']:.1f}"
