"""Ways to combine the dense and lexical signals into one ranking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.models import Chunk
from retriever.models import Hit

RRF_K = 60
# Share of the dense signal in the convex fusion, tuned on BEIR SciFact train (see benchmarks/tune_fusion.py).
DENSE_WEIGHT = 0.5


@dataclass
class Candidate:
    """A chunk found by at least one signal, with its raw score and rank under each."""

    chunk: Chunk
    scores: dict[str, float] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)


def _hits(candidates: list[Candidate], score: Callable[[Candidate], float | None]) -> list[Hit]:
    scored = [(s, c) for c in candidates if (s := score(c)) is not None]
    scored.sort(key=lambda pair: (-pair[0], pair[1].chunk.chunk_id))
    return [Hit(chunk=c.chunk, score=s, ranks_by_signal=dict(c.ranks)) for s, c in scored]


def single(signal: str) -> Callable[[list[Candidate]], list[Hit]]:
    """Rank by one signal alone (the plain baselines)."""
    return lambda candidates: _hits(candidates, lambda c: c.scores.get(signal))


def rrf(candidates: list[Candidate]) -> list[Hit]:
    """Reciprocal rank fusion: sum of 1 / (60 + rank) over the signals that found the chunk."""
    return _hits(candidates, lambda c: sum(1.0 / (RRF_K + r) for r in c.ranks.values()))


def normalised_scores(candidates: list[Candidate], signal: str) -> dict[str, float]:
    """Min-max normalise one signal's scores over the candidates it found; others get 0."""
    values = [c.scores[signal] for c in candidates if signal in c.scores]
    if not values:
        return {}
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return {c.chunk.chunk_id: (c.scores[signal] - low) / span for c in candidates if signal in c.scores}


def convex(candidates: list[Candidate], dense_weight: float = DENSE_WEIGHT) -> list[Hit]:
    """Weighted sum of min-max normalised dense and BM25 scores."""
    dense = normalised_scores(candidates, "dense")
    lexical = normalised_scores(candidates, "bm25")
    return _hits(
        candidates,
        lambda c: dense_weight * dense.get(c.chunk.chunk_id, 0.0)
        + (1 - dense_weight) * lexical.get(c.chunk.chunk_id, 0.0),
    )


FUSIONS: dict[str, Callable[[list[Candidate]], list[Hit]]] = {
    "bm25": single("bm25"),
    "dense": single("dense"),
    "rrf": rrf,
    "convex": convex,
}
