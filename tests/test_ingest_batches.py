"""Files encoded together and written on a background thread: the stored vectors are fresh encodes of their texts,
the index does not depend on how files are batched, each text is encoded once a run, and a failed write names
its files and keeps the files written before it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import CORPUS, HashingEmbedder

from core.errors import CasewiseError
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.pipeline import Tally, ingest
from ingest.store import VectorStore

CHILD_M = "child-m-serious-case-review"
YPF = "young-person-f-rapid-review"


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, remembering every text it encoded, in order."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return super().encode(texts)


def _chroma(settings: Settings) -> dict[str, tuple[list[float], dict[str, Any]]]:
    """Every vector in the live collection with its metadata, by chunk id."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(settings.chroma_path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    found = client.get_collection(settings.collection).get(include=["embeddings", "metadatas"])
    return {
        cid: (list(vector), dict(meta))
        for cid, vector, meta in zip(found["ids"], found["embeddings"], found["metadatas"], strict=True)
    }


def _snapshot(settings: Settings) -> dict[str, object]:
    """What the index holds, row by row (write times and rowids aside)."""
    queries = {
        "files": "SELECT path, sha256, review_id FROM files",
        "reviews": "SELECT * FROM reviews",
        "chunks": "SELECT * FROM chunks",
        "themes": "SELECT * FROM chunk_themes",
        "units": "SELECT * FROM unit_vectors",
        "fts": "SELECT chunk_id, review_id, title, section, body FROM chunk_fts",
    }
    with closing(sqlite3.connect(settings.db_path)) as db:
        tables: dict[str, object] = {name: sorted(db.execute(sql).fetchall()) for name, sql in queries.items()}
    tables["chroma"] = _chroma(settings)
    return tables


@pytest.mark.integration
def test_each_stored_chunk_vector_equals_a_fresh_encode_of_its_text(seed_index: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(env={}, home=seed_index)
    chunks = Catalog(settings.db_path).all_chunks()
    stored = _chroma(settings)
    assert set(stored) == {c.chunk_id for c in chunks}
    for chunk in chunks:
        fresh = real_embedder.encode([chunk.embed_text])[0]  # alone: no batch, no padding
        assert float(np.asarray(stored[chunk.chunk_id][0]) @ fresh) > 0.9999, chunk.chunk_id


def test_the_index_is_the_same_whether_files_are_encoded_together_or_one_by_one(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    together = Settings.from_env(env={}, home=tmp_path / "together")
    assert not ingest([docs], together, HashingEmbedder).failed
    monkeypatch.setattr("ingest.pipeline.ENCODE_BATCH", 1)  # every file its own encode pass and write
    apart = Settings.from_env(env={}, home=tmp_path / "apart")
    seen: list[Tally] = []
    assert not ingest([docs], apart, HashingEmbedder, tracker=seen.append).failed
    assert _snapshot(apart) == _snapshot(together)
    chunks_done = [t.chunks_done for t in seen]
    assert chunks_done == sorted(chunks_done) and seen[-1] == Tally(2, 2, 12, 12, done=True)
    assert len({t.chunks_done for t in seen if 0 < t.chunks_done < 12}) >= 1  # progress between the two files


def test_a_text_that_recurs_across_files_is_encoded_once_a_run(
    docs: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(CORPUS / f"{CHILD_M}.txt", docs / "child-m-copy.txt")  # same title and text, another review id
    monkeypatch.setattr("ingest.pipeline.ENCODE_BATCH", 1)
    embedder = CountingEmbedder()
    assert not ingest([docs], settings, lambda: embedder).failed
    assert len(embedder.texts) == len(set(embedder.texts))
    catalog = Catalog(settings.db_path)
    for original, copy in zip(catalog.all_chunks(CHILD_M), catalog.all_chunks("child-m-copy"), strict=True):
        [kept], [copied] = (
            catalog.unit_vectors([original.chunk_id]).values(),
            catalog.unit_vectors([copy.chunk_id]).values(),
        )
        assert np.array_equal(kept.vectors, copied.vectors) and np.array_equal(kept.digests, copied.digests)


def test_a_failed_vector_write_names_the_file_and_keeps_the_files_written_before(
    docs: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.pipeline.ENCODE_BATCH", 1)
    real = VectorStore.replace_reviews

    def server_gone(self, review_ids, chunks, vectors):  # type: ignore[no-untyped-def]
        if YPF in review_ids:
            raise ConnectionError("connection refused")
        return real(self, review_ids, chunks, vectors)

    monkeypatch.setattr(VectorStore, "replace_reviews", server_gone)
    with pytest.raises(CasewiseError) as failure:
        ingest([docs], settings, HashingEmbedder)
    ypf_path = (docs / f"{YPF}.txt").resolve()
    assert str(failure.value) == (
        f"vector store failed while writing {ypf_path} (connection refused); re-run the ingest"
    )
    assert sorted(Catalog(settings.db_path).review_index()) == [CHILD_M]
    monkeypatch.setattr(VectorStore, "replace_reviews", real)
    report = ingest([docs], settings, HashingEmbedder)
    assert {Path(r.path).stem: r.status for r in report.results} == {CHILD_M: "unchanged", YPF: "added"}
    assert VectorStore(settings).ids() == Catalog(settings.db_path).chunk_ids()
