"""SQLite FTS5 BM25 (what Casewise uses) against bm25s: nDCG@10 on SciFact train and latency at 100k chunks.

Quality: every SciFact document becomes a one-chunk review (as `casewise beir` does), indexed into a catalogue
without vectors (FTS5) and into bm25s (English stopwords, Snowball stemmer) over the same title + heading + text;
each train query retrieves 100 chunks from each, scored by nDCG@10 and Recall@100 against the train qrels.
Speed: both answer the benchmark's questions, top 100, over the 100k-chunk index search_latency.py builds
(run it first), p50/p95 wall clock; bm25s's build time and this process's RSS are printed too.

Example (from the repository root)::

    .venv/bin/python benchmarks/bm25_compare.py
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from common import RESULTS, add_scifact_option, ms, percentiles, scifact_folder, table
from search_latency import index_home

from core.models import Chunk
from corpus import QUESTIONS
from evals.beir import as_reviews, load_beir
from evals.retrieval_metrics import ndcg_at_k, recall_at_k
from ingest.catalog import Catalog
from ingest.chunking import chunk_review

DEPTH = 100
Ranker = Callable[[str], list[str]]  # query -> chunk ids, best first


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fts5(catalog: Catalog) -> Ranker:
    return lambda query: [cid for cid, _ in catalog.lexical_search(query, DEPTH)]


def bm25s_ranker(chunks: Sequence[Chunk]) -> tuple[Ranker, float]:
    """A bm25s index over the chunks' title, heading and text; and its build seconds."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    started = time.perf_counter()
    corpus = [f"{c.review_title}\n{c.section}\n{c.text}" for c in chunks]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    built = time.perf_counter() - started
    ids = [c.chunk_id for c in chunks]

    def rank(query: str) -> list[str]:
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        found, _ = retriever.retrieve(tokens, k=min(DEPTH, len(ids)), show_progress=False, n_threads=1)
        return [ids[int(i)] for i in found[0]]

    return rank, built


def latency(rank: Ranker, queries: Sequence[str]) -> dict[str, float]:
    seconds = []
    for query in queries:
        started = time.perf_counter()
        rank(query)
        seconds.append(time.perf_counter() - started)
    return percentiles(seconds)


def scifact(folder: Path) -> list[list[str]]:
    """nDCG@10 and Recall@100 rows for FTS5 and bm25s on the SciFact train split."""
    dataset = load_beir(folder, "train")
    catalog = Catalog(RESULTS / "bm25-scifact" / "casewise.sqlite3")
    catalog.clear()
    items = [(review, sections, chunk_review(review, sections)) for review, sections in as_reviews(dataset)]
    catalog.replace_reviews(items)
    chunks = [c for _, _, cs in items for c in cs]
    review_of = {c.chunk_id: c.review_id for c in chunks}
    bm25s_rank, _ = bm25s_ranker(chunks)
    rows = []
    for name, rank in (("FTS5 (Casewise)", fts5(catalog)), ("bm25s", bm25s_rank)):
        ndcg, recall, seconds = [], [], []
        for qid, text in dataset.queries.items():
            started = time.perf_counter()
            ranked = list(dict.fromkeys(review_of[cid] for cid in rank(text)))
            seconds.append(time.perf_counter() - started)
            ndcg.append(ndcg_at_k(ranked, dataset.qrels[qid], 10))
            recall.append(recall_at_k(ranked, dataset.qrels[qid], 100))
        figures = percentiles(seconds)
        rows.append([name, f"{statistics.fmean(ndcg):.4f}", f"{statistics.fmean(recall):.4f}", ms(figures)])
    size = f"{len(dataset.queries)} queries, {len(dataset.corpus)} documents ({len(chunks)} chunks)"
    print(f"## SciFact train: {size}, lexical retrieval alone\n")
    print(table(["engine", "nDCG@10", "Recall@100", "p50 / p95 ms"], rows))
    return rows


def at_scale(home: Path) -> None:
    if not (home / "built.json").is_file():
        sys.exit(f"no index at {home}; run benchmarks/search_latency.py first")
    catalog = Catalog(home / "casewise.sqlite3")
    before = rss_mb()
    started = time.perf_counter()
    chunks = catalog.all_chunks()
    load_s = time.perf_counter() - started
    bm25s_rank, build_s = bm25s_ranker(chunks)
    grown = rss_mb() - before
    for rank in (fts5(catalog), bm25s_rank):  # warm both
        for query in QUESTIONS[:5]:
            rank(query)
    rows = [
        ["FTS5 (Casewise)", ms(latency(fts5(catalog), QUESTIONS)), "0 (in the catalogue)", "–"],
        ["bm25s", ms(latency(bm25s_rank, QUESTIONS)), f"{build_s + load_s:.1f}", f"{grown:.0f}"],
    ]
    print(f"\n## {len(chunks):,} chunks: top {DEPTH} for {len(QUESTIONS)} queries, one thread\n")
    print(table(["engine", "p50 / p95 ms", "index build s (at start-up)", "extra RSS MB"], rows))
    print(f"\npeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scifact_option(parser)
    parser.add_argument("--size", type=int, default=100000, help="chunks of the search_latency.py index to use")
    parser.add_argument("--base", type=int, default=3000, help="that index's --base")
    args = parser.parse_args()
    (RESULTS / "bm25-scifact").mkdir(parents=True, exist_ok=True)
    scifact(scifact_folder(args.scifact))
    at_scale(index_home(args.size, args.base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
