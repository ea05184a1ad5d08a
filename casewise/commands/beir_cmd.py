"""`casewise beir DIR [--split test] [-k 10] [--json]`: every retrieval configuration on a BEIR dataset."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from casewise.commands.common import add_common, at_least_one, note, print_json, settings_from
from evals.beir import dataset_settings, ensure_index, evaluate_configs, load_beir
from ingest.embedding import load_embedder
from retriever.index import open_searcher


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("beir", help="score bm25, dense, hybrid and default retrieval on a BEIR dataset")
    parser.add_argument("folder", type=Path, help="folder with corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv")
    parser.add_argument("--split", default="test")
    parser.add_argument("-k", type=at_least_one, default=10, help="the cut-off of nDCG@k and MRR@k (default 10)")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    dataset = load_beir(args.folder, args.split)
    settings = dataset_settings(settings_from(args), dataset)
    embedder = load_embedder(settings.embedding_model)
    note(f"beir: indexing {len(dataset.corpus)} documents into {settings.home} (reused when unchanged)")
    ingest_s = ensure_index(dataset, settings, embedder)
    searcher = open_searcher(settings, embedder)
    started = time.perf_counter()
    configs, _ = evaluate_configs(dataset, searcher, args.k, progress=lambda m: note(f"beir: searching ({m})"))
    report = {
        "dataset": dataset.name,
        "split": args.split,
        "queries": len(dataset.queries),
        "configs": configs,
        "timings_s": {"ingest": round(ingest_s, 1), "search": round(time.perf_counter() - started, 1)},
    }
    if args.json:
        print_json(report)
    else:
        metrics = list(next(iter(configs.values())))
        print(f"| config | {' | '.join(metrics)} |\n|---|{'---|' * len(metrics)}")
        for name, values in configs.items():
            print(f"| {name} | {' | '.join(f'{values[m]:.4f}' for m in metrics)} |")
    return 0
