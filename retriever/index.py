"""Open an existing index for searching; the one place the retriever builds its components."""

from __future__ import annotations

from core.errors import IndexMissingError
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.embedding import Embedder, load_embedder
from ingest.store import VectorStore
from retriever.rerank import reranker_from_settings
from retriever.search import Searcher


def open_catalog(settings: Settings) -> Catalog:
    """The index's SQLite catalogue; raises IndexMissingError, before any model loads, when there is none."""
    if not settings.db_path.exists():
        raise IndexMissingError(f"no index at {settings.home}; run `casewise ingest` to build it from corpus/")
    catalog = Catalog(settings.db_path)
    if catalog.chunk_count() == 0:
        raise IndexMissingError(f"no index at {settings.home}; run `casewise ingest` to build it from corpus/")
    return catalog


def open_searcher(settings: Settings, embedder: Embedder | None = None) -> Searcher:
    """A Searcher over the index in settings.home (or the configured Chroma server)."""
    catalog = open_catalog(settings)
    model = embedder or load_embedder(settings.embedding_model)
    return Searcher(catalog, VectorStore(settings), model, reranker_from_settings(settings))
