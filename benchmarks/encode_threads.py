"""Single-query and batch encode times by runtime and thread count, idle and under a competing CPU load.

One process loads the real model on PyTorch and on ONNX Runtime, then times (a) one question at a time, p50/p95
over the seed gold set's questions, and (b) a batch of chunk-like paragraphs, chunks/s, with one thread and with
two, first on the machine as it is and then with busy-looping processes competing for the cores. The
configurations take turns text by text, so all see the same load. The two runtimes' vectors are compared on the
same paragraphs (lowest cosine).

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

from core.settings import DEFAULT_MODEL
from ingest.embedding import SMALL_ENCODE, Embedder, load_embedder

Config = tuple[str, int]  # (runtime, threads)


def interleaved(models: dict[str, Embedder], configs: list[Config], asked: list[str], batch: list[str]) -> dict:
    """Per config, one-query p50/p95 and batch chunks/s, taking turns so all see the same machine load."""
    seconds: dict[Config, list[float]] = {c: [] for c in configs}
    batch_seconds = dict.fromkeys(configs, 0.0)

    def timed(config: Config, texts: list[str]) -> float:
        model = models[config[0]]
        model.small_threads = model.batch_threads = config[1]  # type: ignore[attr-defined]
        started = time.perf_counter()
        model.encode(texts)
        return time.perf_counter() - started

    for config in configs:
        timed(config, asked[:2])  # warm-up (and make the session)
    for text in asked:
        for config in configs:
            seconds[config].append(timed(config, [text]))
    for start in range(0, len(batch), 32):
        for config in configs:
            batch_seconds[config] += timed(config, batch[start : start + 32])
    return {c: (percentiles(seconds[c]), len(batch) / batch_seconds[c]) for c in configs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=40, help="questions timed one at a time")
    parser.add_argument("--batch", type=int, default=128, help="paragraphs in the batch")
    parser.add_argument("--load", type=int, default=2, help="busy-looping processes for the loaded case")
    args = parser.parse_args()
    asked, batch = questions(args.queries), paragraphs(args.batch)
    models = {backend: load_embedder(DEFAULT_MODEL, backend) for backend in ("torch", "onnx")}
    cosine = float((models["torch"].encode(batch) * models["onnx"].encode(batch)).sum(axis=1).min())
    conditions: list[tuple[str, Callable[[], AbstractContextManager[None]]]] = [
        (f"as it is (load {os.getloadavg()[0]:.1f})", nullcontext),
        (f"+{args.load} busy processes", lambda: competing_load(args.load)),
    ]
    configs = [(backend, threads) for backend in models for threads in (1, 2)]
    rows = []
    for label, condition in conditions:
        with condition():
            figures = interleaved(models, configs, asked, batch)
        rows += [[label, *config, ms(query), f"{rate:.1f}"] for config, (query, rate) in figures.items()]
    print(f"cores: {os.cpu_count()}; lowest cosine torch vs onnx over {len(batch)} paragraphs: {cosine:.6f}")
    header = ["machine", "runtime", "threads", "one query p50 / p95 ms", f"batch of {len(batch)}, chunks/s"]
    print(table(header, rows))
    print(
        "Casewise: ONNX Runtime on its default threads (they sleep rather than spin) for every encode; on PyTorch "
        f"(the fallback), one thread for encodes of up to {SMALL_ENCODE} texts and torch's default for batches."
    )


if __name__ == "__main__":
    main()
