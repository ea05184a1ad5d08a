"""Hybrid search: dense (Chroma) and lexical (BM25) candidates, fused, reranked, filtered, diversified."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.models import Chunk
from ingest.catalog import Catalog
from ingest.embedding import Embedder
from ingest.store import EXACT_CHUNKS, VectorStore
from retriever.filters import resolve_filters, resolve_kinds
from retriever.fusion import FUSIONS, Candidate
from retriever.models import Hit, SearchFilter
from retriever.rerank import Reranker

MODES = ("bm25", "dense", "hybrid", "default")


@dataclass(frozen=True)
class SearchConfig:
    """How many candidates each signal contributes and how results are spread across reviews."""

    pool: int = 100
    diversity: float = 0.15  # score discount for each earlier hit from the same review


class Searcher:
    """Searches one index; the model and the indexes are opened once and reused for every query."""

    def __init__(
        self,
        catalog: Catalog,
        store: VectorStore,
        embedder: Embedder,
        reranker: Reranker | None,
        config: SearchConfig | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.embedder = embedder
        self.reranker = reranker
        self.config = config or SearchConfig()
        self._vectors: dict[str, np.ndarray] = {}

    def embed_query(self, query: str) -> np.ndarray:
        """The query's vector, computed once per process for repeated queries (configurations, reruns)."""
        if query not in self._vectors:
            if len(self._vectors) > 1024:
                self._vectors.clear()
            self._vectors[query] = self.embedder.encode([query])[0]
        return self._vectors[query]

    def search(self, query: str, k: int = 5, filters: SearchFilter | None = None, mode: str = "default") -> list[Hit]:
        """The k best chunks for a query under one retrieval configuration."""
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        review_ids, sections = resolve_filters(filters or SearchFilter(), self.catalog)
        kinds = resolve_kinds(filters or SearchFilter())
        pool = max(self.config.pool, k)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if mode != "bm25":
            among = (
                self.catalog.chunk_ids_within(review_ids, sections, kinds, EXACT_CHUNKS) if sections or kinds else None
            )
            dense = self.store.query(self.embed_query(query), pool, review_ids, sections, kinds, among)
        if mode != "dense":
            lexical = self.catalog.lexical_search(query, pool, review_ids, sections, kinds=kinds)
        chunks = self.catalog.chunks([cid for cid, _ in dense + lexical])
        candidates = _candidates(dense, lexical, chunks)
        fused = FUSIONS["hybrid" if mode == "default" else mode](candidates)
        if mode == "default" and self.reranker is not None:
            fused = self.reranker.rerank(query, fused)
        return _diversify(fused, k, self.config.diversity if not review_ids or len(review_ids) > 1 else 0.0)


def _candidates(
    dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]], chunks: dict[str, Chunk]
) -> list[Candidate]:
    """Merge both signals per chunk; ids whose chunk is gone (a half-finished ingest) are skipped."""
    merged: dict[str, Candidate] = {}
    for signal, results in (("dense", dense), ("bm25", lexical)):
        for rank, (cid, score) in enumerate(results, start=1):
            if cid not in chunks:
                continue
            candidate = merged.setdefault(cid, Candidate(chunks[cid]))
            candidate.scores[signal] = score
            candidate.ranks[signal] = rank
    return list(merged.values())


def _diversify(hits: list[Hit], k: int, discount: float) -> list[Hit]:
    """Greedy selection that discounts each further hit from a review already chosen."""
    if discount <= 0:
        return hits[:k]
    chosen: list[Hit] = []
    remaining = list(hits)
    per_review: dict[str, int] = {}
    while remaining and len(chosen) < k:
        best = max(remaining, key=lambda h: h.score * math.pow(1 - discount, per_review.get(h.chunk.review_id, 0)))
        remaining.remove(best)
        chosen.append(best)
        per_review[best.chunk.review_id] = per_review.get(best.chunk.review_id, 0) + 1
    return chosen
