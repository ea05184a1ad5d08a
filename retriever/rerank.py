"""Rerankers re-order the top of a fused ranking. A cross-encoder on disk plugs in through settings.

No cross-encoder that loads offline ships on PyPI (the known ones fetch weights from a hub at run time), so the
default is none; a user with a local sentence-transformers CrossEncoder folder sets CASEWISE_RERANKER to it.
"""

from __future__ import annotations

from typing import Protocol

from core.errors import SettingsError
from core.settings import Settings
from retriever.models import Hit

RERANK_DEPTH = 30


class Reranker(Protocol):
    """Re-scores the top of a ranking; hits below the depth it looks at keep their order after it."""

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]: ...


class CrossEncoderReranker:
    """Scores (query, chunk) pairs with a local cross-encoder and orders the top hits by that score."""

    def __init__(self, path: str, depth: int = RERANK_DEPTH) -> None:
        from sentence_transformers import CrossEncoder

        import core  # noqa: F401  (offline variables first)

        try:
            self._model = CrossEncoder(path, device="cpu")
        except (OSError, ValueError) as exc:
            raise SettingsError(
                f"CASEWISE_RERANKER={path} is not a cross-encoder folder ({exc}); fix the path or unset it"
            ) from exc
        self.depth = depth

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        top, rest = hits[: self.depth], hits[self.depth :]
        if not top:
            return hits
        scores = self._model.predict([(query, h.chunk.text) for h in top], show_progress_bar=False)
        # Keep scores above every unreranked hit, so diversity discounts still compare like with like.
        floor = max((h.score for h in rest), default=0.0)
        ranked = sorted(zip(top, scores, strict=True), key=lambda pair: -float(pair[1]))
        n = len(ranked)
        return [
            Hit(
                chunk=h.chunk,
                score=floor + (n - i) / n,
                ranks_by_signal={**h.ranks_by_signal, "rerank": i + 1},
            )
            for i, (h, _) in enumerate(ranked)
        ] + rest


def reranker_from_settings(settings: Settings) -> Reranker | None:
    """The configured cross-encoder, or None (fusion alone) when CASEWISE_RERANKER is unset."""
    return CrossEncoderReranker(settings.reranker) if settings.reranker else None
