"""Rerankers: re-order fused hits. A real cross-encoder plugs in here when a user has one on disk."""

from __future__ import annotations

from typing import Protocol

from retriever.models import Hit


class Reranker(Protocol):
    """Re-scores the top of a ranking; hits it does not look at keep their order below."""

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]: ...


def default_reranker(settings: object, embedder: object) -> Reranker | None:
    """The reranker `casewise search` uses out of the box (none until one beats fusion on SciFact train)."""
    return None
