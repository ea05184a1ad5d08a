"""Single-query and batch encode times by torch thread count, idle and under a competing CPU load.

One process loads the real model once, then times (a) one question at a time, p50/p95 over the seed gold set's
questions, and (b) a batch of chunk-like paragraphs, chunks/s, each with one thread and with torch's default,
first on an idle machine and then with two busy-looping processes competing for the cores. Casewise runs
encodes of up to SMALL_ENCODE texts on one thread and batches on the default.

Example (from the repository root)::

    .venv/bin/python benchmarks/encode_threads.py
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from common import competing_load, ms, paragraphs, percentiles, questions, table

from ingest.embedding import SentenceTransformerEmbedder
from ingest.settings import DEFAULT_MODEL


def time_queries(encode: Callable[[list[str]], object], texts: list[str]) -> dict[str, float]:
    seconds = []
    for text in texts:
        started = time.perf_counter()
        encode([text])
        seconds.append(time.perf_counter() - started)
    return percentiles(seconds)


def batch_rate(encode: Callable[[list[str]], object], texts: list[str]) -> float:
    started = time.perf_counter()
    encode(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=40, help="questions timed one at a time")
    parser.add_argument("--batch", type=int, default=128, help="paragraphs in the batch")
    parser.add_argument("--load", type=int, default=2, help="busy-looping processes for the loaded case")
    args = parser.parse_args()
    import torch

    default_threads = torch.get_num_threads()
    model = SentenceTransformerEmbedder(DEFAULT_MODEL, small_threads=None)  # threads set explicitly below
    asked, batch = questions(args.queries), paragraphs(args.batch)
    model.encode(asked[:2])  # warm-up
    rows = []
    conditions: list[tuple[str, Callable[[], AbstractContextManager[None]]]] = [
        ("idle", nullcontext),
        (f"{args.load} busy processes", lambda: competing_load(args.load)),
    ]
    for label, condition in conditions:
        for threads in sorted({1, default_threads}):
            with condition():
                torch.set_num_threads(threads)
                query = time_queries(model.encode, asked)
                rate = batch_rate(model.encode, batch)
            rows.append([label, threads, ms(query), f"{rate:.1f}"])
    torch.set_num_threads(default_threads)
    print(f"cores: {os.cpu_count()}, torch default threads: {default_threads}, load average {os.getloadavg()[0]:.2f}")
    header = ["machine", "torch threads", "one query p50 / p95 ms", f"batch of {len(batch)} chunks/s"]
    print(table(header, rows))


if __name__ == "__main__":
    main()
