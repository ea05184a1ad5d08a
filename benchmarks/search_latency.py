"""How fast is search as the index grows to 1k, 10k and 100k chunks, embedded and against a Chroma server?

Indexes of the shared synthetic corpus (benchmarks/corpus.py) are built once into benchmarks/results/ and reused
by later runs (delete the folder to rebuild). Each index is then measured in a fresh worker process, first with
embedded Chroma and then against `chroma run --host 127.0.0.1` serving the same folder, each with no load added
and then (--load N) beside N busy-looping processes: warm single-query search p50/p95 over ~100 realistic queries
for the modes bm25, dense, hybrid and default and a whole offline answer (ask), beside the bare query encode of the
real model (the baseline), and the worker's peak RSS.

Example (from the repository root; SciFact, in BEIR format, supplies part of the synthetic text)::

    .venv/bin/python benchmarks/search_latency.py --scifact PATH/scifact-train         # 1k, 10k, 100k
    .venv/bin/python benchmarks/search_latency.py --scifact PATH/scifact-train --sizes 1000 --no-server
    .venv/bin/python benchmarks/search_latency.py --sizes 100000 --load 2     # embedded and server, +2 busy
    .venv/bin/python benchmarks/search_latency.py --sizes 100000 --no-server --profile 8   # the 8 slowest, profiled
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import numpy as np
from common import (
    RESULTS,
    add_scifact_option,
    competing_load,
    ms,
    peak_rss_mb,
    percentiles,
    scifact_folder,
    table,
)

from core.settings import DEFAULT_MODEL, Settings
from corpus import GENERATED_QUESTIONS, NOISE, QUESTIONS, SEED, WARMUP, DerivedEmbedder, base_texts, build_generated
from ingest.catalog import Catalog
from ingest.embedding import load_embedder
from ingest.pipeline import fill_unit_vectors

MODES = ("encode", "bm25", "dense", "hybrid", "default", "ask")  # "encode": the model on the query alone
SEARCH_MODES = ("bm25", "dense", "hybrid", "default")  # "ask": a whole offline answer (Casewise.ask)


def index_home(size: int, base: int) -> Path:
    return RESULTS / f"index-{size}-base{base}-noise{NOISE}-seed{SEED}"


def build_missing(sizes: list[int], base: int, scifact: str | None) -> None:
    """Build the indexes not already in benchmarks/results/ (one model load, one base-set encode); give those
    built by an earlier version their unit vectors."""
    model = load_embedder(DEFAULT_MODEL)
    memo = DerivedEmbedder(model, np.zeros((0, model.dimension), dtype=np.float32), {}, NOISE, SEED)
    for size in sizes:
        home = index_home(size, base)
        if (home / "built.json").is_file():
            started = time.perf_counter()
            filled = fill_unit_vectors(Catalog(Settings.from_env(env={}, home=home).db_path), lambda: memo)
            if filled:
                print(
                    f"{size:,}: unit vectors for {filled} chunks in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )
    missing = [size for size in sizes if not (index_home(size, base) / "built.json").is_file()]
    if not missing:
        return
    bases = base_texts(base, scifact_folder(Path(scifact) if scifact else None), SEED)
    started = time.perf_counter()
    vectors = model.encode([b.embed_text() for b in bases])
    print(f"encoded {len(bases)} base texts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for size in missing:
        home = index_home(size, base)
        shutil.rmtree(home, ignore_errors=True)
        built = build_generated(home, size, bases, vectors, model)
        (home / "built.json").write_text(json.dumps(built), encoding="utf-8")
        print(f"built {size:,}: {built['chunks_built']} chunks in {built['build_s']:.0f} s", file=sys.stderr)


def worker(home: Path, queries: list[str], k: int, out: Path, profile: int = 0) -> None:
    """Open the index (embedded, or the server CASEWISE_CHROMA_HOST names), time every mode per query; with
    `profile`, each call runs under its own cProfile and the functions of the `profile` slowest calls of bm25,
    hybrid and ask are printed (the times are then those of profiled calls)."""
    from retriever.index import Index
    from retriever.pipeline import Casewise
    from retriever.search import Searcher

    model = load_embedder(DEFAULT_MODEL)
    settings = Settings.from_env(home=home)
    index = Index.open(settings)
    base = index.searcher(model)
    for mode in SEARCH_MODES:
        for query in WARMUP:
            base.search(query, k=k, mode=mode)
    # a Searcher per mode with an empty query-vector cache, so every timed search pays for its encode
    searchers = {mode: Searcher(base.catalog, base.store, model, base.reranker, base.config) for mode in SEARCH_MODES}
    answers = Casewise(index, Searcher(base.catalog, base.store, model, base.reranker, base.config))
    for query in WARMUP:
        answers.ask(query)
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    profiles: dict[str, list[tuple[float, str, cProfile.Profile]]] = {mode: [] for mode in MODES}
    for number, query in enumerate(queries):
        for mode in MODES[number % len(MODES) :] + MODES[: number % len(MODES)]:  # modes take turns
            profiler = cProfile.Profile() if profile else None
            started = time.perf_counter()
            with profiler or nullcontext():
                if mode == "encode":
                    model.encode([query])
                elif mode == "ask":
                    answers.ask(query)
                else:
                    searchers[mode].search(query, k=k, mode=mode)
            times[mode].append(time.perf_counter() - started)
            if profiler:
                profiles[mode].append((times[mode][-1], query, profiler))
    for mode in ("bm25", "hybrid", "ask") if profile else ():
        print_profile(mode, sorted(profiles[mode], key=lambda p: -p[0])[:profile])
    result = {
        "chunks": base.catalog.chunk_count(),
        "search": {mode: percentiles(values) for mode, values in times.items()},
        "peak_rss_mb": peak_rss_mb(),
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def print_profile(mode: str, slowest: list[tuple[float, str, cProfile.Profile]]) -> None:
    """The slowest calls of one mode, and the functions they spent most time in, together."""
    print(f"\n### {mode}: the {len(slowest)} slowest calls\n", file=sys.stderr)
    for seconds, query, _ in slowest:
        print(f"{seconds * 1000:8.1f} ms  {query}", file=sys.stderr)
    stats = pstats.Stats(*(p for _, _, p in slowest), stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(25)


def measure(home: Path, queries: list[str], k: int, env: dict[str, str], profile: int = 0) -> dict:
    """Run the worker in a fresh process (its peak RSS is then its own)."""
    out = RESULTS / "worker-result.json"
    spec = RESULTS / "worker-spec.json"
    spec.write_text(
        json.dumps({"home": str(home), "queries": queries, "k": k, "out": str(out), "profile": profile}),
        encoding="utf-8",
    )
    subprocess.run([sys.executable, __file__, "--worker", str(spec)], check=True, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


@contextmanager
def chroma_server(path: Path) -> Iterator[dict[str, str]]:
    """`chroma run` on the index's Chroma folder, on a free port, from when its heartbeat answers to the end of the
    block; yields the environment that points Casewise at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("chroma run did not answer within 5 minutes")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
        yield {**env, "CASEWISE_CHROMA_HOST": "127.0.0.1", "CASEWISE_CHROMA_PORT": str(port)}
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--base", type=int, default=3000, help="base texts encoded with the real model")
    parser.add_argument("--k", type=int, default=5, help="results per search (the CLI's default)")
    parser.add_argument("--queries", type=int, default=0, help="use only the first N queries (0: all)")
    parser.add_argument("--no-server", action="store_true", help="embedded Chroma only")
    parser.add_argument("--load", type=int, default=0, help="also measure beside N busy-looping processes")
    parser.add_argument("--profile", type=int, default=0, help="print where the N slowest calls spent their time")
    add_scifact_option(parser)  # needed only to build an index not already in benchmarks/results/
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        spec = json.loads(args.worker.read_text(encoding="utf-8"))
        worker(Path(spec["home"]), spec["queries"], spec["k"], Path(spec["out"]), spec["profile"])
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    # Built in a child, so this process stays small: a child's ru_maxrss starts from its parent's RSS at fork.
    scifact = str(args.scifact) if args.scifact else None
    build = f"from search_latency import build_missing; build_missing({sizes!r}, {args.base!r}, {scifact!r})"
    subprocess.run([sys.executable, "-c", build], check=True, cwd=Path(__file__).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    loads = [(f"+{args.load} busy", lambda: competing_load(args.load))] if args.load else []
    conditions: list[tuple[str, Callable[[], AbstractContextManager[None]]]] = [("none added", nullcontext), *loads]
    rows: list[tuple[str, str, str, dict]] = []
    for size in sizes:
        home = index_home(size, args.base)
        subjects = json.loads((home / "built.json").read_text(encoding="utf-8"))["subjects"]
        queries = list(QUESTIONS) + [q.format(s=s) for s in subjects[:2] for q in GENERATED_QUESTIONS]
        queries = queries[: args.queries] if args.queries else queries
        for store in ["embedded"] + ([] if args.no_server else ["chroma server"]):
            with chroma_server(home / "chroma") if store == "chroma server" else nullcontext(env) as run_env:
                for load, condition in conditions:
                    print(f"measuring {size:,} {store}, load: {load} ({len(queries)} queries)", file=sys.stderr)
                    with condition():
                        before = os.getloadavg()[0]
                        measured = measure(home, queries, args.k, run_env, args.profile)
                        rows.append((store, load, f"{before:.1f}-{os.getloadavg()[0]:.1f}", measured))
    header = ["store", "load added", "load avg", "chunks", *(f"{m} p50 / p95 ms" for m in MODES), "peak RSS MB"]
    print(f"\n## Search, warm, single query, k={args.k}, wall clock\n")
    print(
        table(
            header,
            [
                [store, load, avg, f"{m['chunks']:,}", *(ms(m["search"][mode]) for mode in MODES)]
                + [f"{m['peak_rss_mb']:.0f}"]
                for store, load, avg, m in rows
            ],
        )
    )
    print(
        "\n`encode` is the real model encoding the query alone (the baseline); every search mode includes it "
        "except bm25; `ask` is a whole offline answer (search, passages scored, the answer policy, citations "
        "checked). Each query runs once per mode, modes taking turns, after "
        f"{len(WARMUP)} warm-up queries per mode. `default` is `hybrid` unless CASEWISE_RERANKER is set. "
        f"Chunk vectors are derived from {args.base} real-model vectors (benchmarks/corpus.py). `load added`: "
        "busy-looping processes run beside the measurement; `load avg`: the 1-minute load average before and after "
        f"it, on {os.cpu_count()} shared cores."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
