"""The one opened index: its catalogue and vector store, and what is read from them, kept per build."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core.errors import IndexMissingError
from core.models import Review, ReviewMeta
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.embedding import Embedder, load_embedder
from ingest.store import VectorStore
from retriever.rerank import reranker_from_settings
from retriever.search import Searcher

REVIEWS_KEPT = 256  # review texts kept in memory between questions


def missing_message(home: Path) -> str:
    """What every front end says when there is no index to read: the one place it is phrased."""
    return f"no index yet at {home} — run `casewise ingest` to build it from your reviews"


class Index:
    """An existing index, opened once and passed to whoever reads it. What it reads from the catalogue (review
    texts, the review list) is kept until the index's build stamp changes, i.e. until an ingest changes it."""

    def __init__(self, settings: Settings, catalog: Catalog, store: VectorStore | None = None) -> None:
        self.settings = settings
        self.catalog = catalog
        self._store = store
        self._stamp: str | None = None
        self._metas: dict[str, ReviewMeta] | None = None
        self._review = lru_cache(maxsize=REVIEWS_KEPT)(catalog.review)

    @classmethod
    def open(cls, settings: Settings) -> Index:
        """The index in settings.home; raises IndexMissingError, before any model or Chroma loads, when there is
        none (and creates nothing)."""
        if settings.db_path.exists():
            catalog = Catalog(settings.db_path)  # a catalogue of another schema version is refused here
            if catalog.chunk_count():
                return cls(settings, catalog)
            catalog.close()
        raise IndexMissingError(missing_message(settings.home))

    @property
    def store(self) -> VectorStore:
        """The vector store, opened on first use (commands that only read the catalogue never load Chroma)."""
        if self._store is None:
            self._store = VectorStore(self.settings)
        return self._store

    def stamp(self) -> str | None:
        """When the index was last changed by an ingest."""
        return self.catalog.get_meta("built_at")

    def review(self, review_id: str) -> Review | None:
        """A review with its text, as the index holds it now."""
        self._refresh()
        return self._review(review_id)

    def reviews(self) -> dict[str, ReviewMeta]:
        """Every review's metadata, as the index holds it now."""
        self._refresh()
        if self._metas is None:
            self._metas = self.catalog.review_index()
        return self._metas

    def searcher(self, embedder: Embedder | None = None) -> Searcher:
        """A Searcher over this index, with the configured model (loaded now unless given) and reranker."""
        model = embedder or load_embedder(self.settings.embedding_model)
        return Searcher(self.catalog, self.store, model, reranker_from_settings(self.settings))

    def _refresh(self) -> None:
        stamp = self.stamp()
        if stamp != self._stamp:  # an ingest changed the index: what was read before may have changed with it
            self._review.cache_clear()
            self._metas = None
            self._stamp = stamp


def open_searcher(settings: Settings, embedder: Embedder | None = None) -> Searcher:
    """A Searcher over the index in settings.home (or the configured Chroma server)."""
    return Index.open(settings).searcher(embedder)
