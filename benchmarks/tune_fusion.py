"""Tune how dense and BM25 scores are fused, on a BEIR split (SciFact train), in one run.

Collects each query's dense and BM25 candidates once, then scores every fusion variant on the same candidates:
the two plain signals, reciprocal rank fusion, and convex combinations under several score normalisations.
Run: python benchmarks/tune_fusion.py PATH/scifact-train --split train
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import numpy as np

from core.settings import Settings
from evals.beir import dataset_settings, ensure_index, load_beir
from evals.retrieval_metrics import ndcg_at_k, recall_at_k
from ingest.catalog import Catalog
from ingest.embedding import load_embedder
from ingest.store import VectorStore

POOL = 100


def normalise(scores: dict[str, float], how: str) -> dict[str, float]:
    if not scores:
        return {}
    values = np.array(list(scores.values()))
    if how == "minmax":
        low, span = values.min(), (values.max() - values.min()) or 1.0
        return {k: (v - low) / span for k, v in scores.items()}
    if how == "zscore":
        mean, std = values.mean(), values.std() or 1.0
        return {k: (v - mean) / std for k, v in scores.items()}
    if how == "max":
        top = values.max() or 1.0
        return {k: v / top for k, v in scores.items()}
    raise ValueError(how)


def docs(chunk_scores: dict[str, float], review_of: dict[str, str]) -> dict[str, float]:
    """Best chunk score per document."""
    out: dict[str, float] = {}
    for cid, score in chunk_scores.items():
        doc = review_of[cid]
        out[doc] = max(out.get(doc, -1e9), score)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    dataset = load_beir(args.folder, args.split)
    settings = dataset_settings(Settings.from_env(), dataset)
    embedder = load_embedder(settings.embedding_model)
    ensure_index(dataset, settings, embedder)
    catalog, store = Catalog(settings.db_path), VectorStore(settings)
    review_of = {c.chunk_id: c.review_id for c in catalog.all_chunks()}
    qids = list(dataset.queries)
    vectors = embedder.encode([dataset.queries[q] for q in qids])
    runs = []
    for qid, vector in zip(qids, vectors, strict=True):
        dense = dict(store.query(vector, POOL))
        lexical = dict(catalog.lexical_search(dataset.queries[qid], POOL))
        runs.append((qid, dense, lexical))

    def evaluate(fuse) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        ndcg, recall = [], []
        for qid, dense, lexical in runs:
            scores = fuse(dense, lexical)
            ranked = [d for d, _ in sorted(docs(scores, review_of).items(), key=lambda x: -x[1])]
            ndcg.append(ndcg_at_k(ranked, dataset.qrels[qid], 10))
            recall.append(recall_at_k(ranked, dataset.qrels[qid], 100))
        return statistics.fmean(ndcg), statistics.fmean(recall)

    def convex(alpha: float, how: str):  # type: ignore[no-untyped-def]
        def fuse(dense: dict[str, float], lexical: dict[str, float]) -> dict[str, float]:
            d, b = normalise(dense, how), normalise(lexical, how)
            floor_d = min(d.values(), default=0.0)
            floor_b = min(b.values(), default=0.0)
            return {k: alpha * d.get(k, floor_d) + (1 - alpha) * b.get(k, floor_b) for k in set(d) | set(b)}

        return fuse

    def rrf(k: int):  # type: ignore[no-untyped-def]
        def fuse(dense: dict[str, float], lexical: dict[str, float]) -> dict[str, float]:
            out: dict[str, float] = {}
            for scores in (dense, lexical):
                for rank, cid in enumerate(sorted(scores, key=lambda c: -scores[c]), start=1):
                    out[cid] = out.get(cid, 0.0) + 1.0 / (k + rank)
            return out

        return fuse

    rows = [
        ("bm25", evaluate(lambda d, b: b)),
        ("dense", evaluate(lambda d, b: d)),
        ("rrf k=60", evaluate(rrf(60))),
    ]
    rows.append(("rrf k=10", evaluate(rrf(10))))
    for how in ("minmax", "zscore", "max"):
        for alpha in (0.3, 0.4, 0.5, 0.6, 0.7):
            rows.append((f"convex {how} a={alpha}", evaluate(convex(alpha, how))))
    print(f"{len(runs)} queries, {len(review_of)} chunks\n\n| fusion | nDCG@10 | Recall@100 |\n|---|---:|---:|")
    for name, (ndcg, recall) in rows:
        print(f"| {name} | {ndcg:.4f} | {recall:.4f} |")


if __name__ == "__main__":
    main()
