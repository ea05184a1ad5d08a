"""The vector store: every Chroma call in Casewise lives here (embedded by default, or a server if set)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from typing import Any

import numpy as np

from core.errors import CasewiseError
from core.models import Chunk
from core.settings import Settings
from ingest.catalog import section_key

# A dense search within at most this many reviews, or within sections or kinds that hold at most EXACT_CHUNKS
# chunks, compares those chunks directly: Chroma's graph search with a filter that admits a few chunks of 100k took
# 0.07-0.5 s (a named review; 0.07-0.18 s for the 3 "learning" chunks of 100k), the direct comparison ~7 ms
# (~15 ms for 500 chunks, 130 ms for 2,000).
EXACT_REVIEWS = 50
EXACT_CHUNKS = 500


def live_collection(settings: Settings) -> str:
    """The collection the catalogue points at (a rebuild writes a new one, then swaps), else the setting."""
    try:
        with closing(sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'collection'").fetchone()
    except sqlite3.Error:  # no catalogue yet, or one without the row
        return settings.collection
    return str(row[0]) if row else settings.collection


class VectorStore:
    """Chunk vectors in one Chroma collection (cosine space); Chroma never embeds anything itself.

    Without an explicit `collection`, the store follows the catalogue's live collection, even across a rebuild.
    """

    def __init__(self, settings: Settings, collection: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if settings.chroma_host:
                self._client: Any = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
            else:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
            self._pinned = collection
            self._settings = settings
            self._name = collection or live_collection(settings)
            self._collection = self._open(self._name)
        except Exception as exc:  # chromadb raises several connection and value error types
            where = (
                f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
                if settings.chroma_host
                else f"the Chroma index at {settings.chroma_path}"
            )
            raise CasewiseError(
                f"cannot open {where} ({type(exc).__name__}: {exc}); start the server or check CASEWISE_HOME"
            ) from exc
        self._batch = int(self._client.get_max_batch_size())

    def _open(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def _follow_swaps(self) -> None:
        if self._pinned is None and (name := live_collection(self._settings)) != self._name:
            self._name, self._collection = name, self._open(name)

    @property
    def name(self) -> str:
        return self._name

    def drop_collections(self, prefix: str, keep: str) -> None:
        """Delete this store's other collections named `prefix*` (earlier or abandoned rebuilds)."""
        for name in self._client.list_collections():
            name = getattr(name, "name", name)
            if name.startswith(prefix) and name != keep:
                self._client.delete_collection(name)

    def count(self) -> int:
        return int(self._collection.count())

    def replace_reviews(self, review_ids: Sequence[str], chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Drop the reviews' vectors and add the new ones (ids are deterministic, so a re-run converges)."""
        for i in range(0, len(review_ids), self._batch):
            self._collection.delete(where={"review_id": {"$in": list(review_ids[i : i + self._batch])}})
        self.upsert(chunks, vectors)

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Add or overwrite chunk vectors, in batches the client accepts."""
        for i in range(0, len(chunks), self._batch):
            part = chunks[i : i + self._batch]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[i : i + self._batch].tolist(),
                metadatas=[_metadata(c) for c in part],
            )

    def delete_review(self, review_id: str) -> None:
        self._collection.delete(where={"review_id": review_id})

    def delete_ids(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), self._batch):
            self._collection.delete(ids=list(ids[i : i + self._batch]))

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def query(
        self,
        vector: np.ndarray,
        k: int,
        review_ids: Sequence[str] = (),
        sections: Sequence[str] = (),
        kinds: Sequence[str] = (),
        among: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the k nearest chunks, optionally in some reviews or sections; `among`,
        when given, lists the chunks the filter admits (at most EXACT_CHUNKS), which are then compared directly."""
        self._follow_swaps()
        if among is not None:
            return self._exact(vector, k, ids=among) if among else []
        clauses: list[dict[str, Any]] = []
        if review_ids:
            clauses.append({"review_id": {"$in": list(review_ids)}})
        if sections:
            clauses.append({"section_key": {"$in": list(sections)}})
        if kinds:
            clauses.append({"section_kind": {"$in": list(kinds)}})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        if where is not None and review_ids and len(review_ids) <= EXACT_REVIEWS:
            return self._exact(vector, k, where)
        result = self._collection.query(  # Chroma >= 1.5 returns what there is, up to k (no count: ~8 ms at 100k)
            query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def _exact(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The k nearest of the chunks the filter admits (or of the chunks named), compared one by one (exact, and
        far faster than Chroma's filtered graph search when the filter admits a few reviews of a large index)."""
        found = self._collection.get(where=where, ids=None if ids is None else list(ids), include=["embeddings"])
        if not found["ids"]:
            return []
        vectors = np.asarray(found["embeddings"], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1) * float(np.linalg.norm(vector))
        similarity = (vectors @ vector.astype(np.float32)) / np.clip(norms, 1e-12, None)
        best = np.argsort(-similarity, kind="stable")[:k]
        return [(found["ids"][i], float(similarity[i])) for i in best]


def _metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "review_id": chunk.review_id,
        "section_key": section_key(chunk.section),
        "section_label": chunk.section_label,
        "section_kind": chunk.section_kind.value,
        "section_number": chunk.section_number,
        "start": chunk.start,
        "end": chunk.end,
    }
