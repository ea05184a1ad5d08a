"""The plain LangChain pipeline a team would build first, scored beside Casewise on the same questions.

RecursiveCharacterTextSplitter (1000 characters, 200 overlap) over each review's normalised text, the same
embedding model in an in-memory langchain_chroma.Chroma collection, top-4 similarity search, and Casewise's
offline extractive answerer over those 4 splits. It reads the question alone (no conversation history) and has
no abstention logic: it abstains only when it has nothing at all to say.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.errors import CasewiseError, DocumentError
from core.models import Chunk, Review
from ingest.embedding import Embedder
from ingest.loaders import load
from ingest.normalise import build_review
from retriever.citations import verify
from retriever.extractive import ExtractiveAnswerer, UnitScorer
from retriever.models import Answer, Hit
from retriever.question import read_question

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4
NAME = "baseline"


class EmbedderAdapter(Embeddings):
    """Casewise's embedding model as LangChain Embeddings, so Chroma never uses its own default model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embedder.encode(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embedder.encode([text])[0]]


class Baseline:
    """Split, embed, top-4 search, extractive answer: the first version of a RAG pipeline."""

    def __init__(self, reviews: Sequence[Review], embedder: Embedder) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.reviews = {r.review_id: r for r in reviews}
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        documents = splitter.create_documents(
            [r.text for r in reviews], metadatas=[{"review_id": r.review_id} for r in reviews]
        )
        self.chunks: dict[str, Chunk] = {}
        for document in documents:
            chunk = self._chunk(document.metadata["review_id"], document.metadata["start_index"], document.page_content)
            document.metadata["chunk_id"] = chunk.chunk_id
            self.chunks[chunk.chunk_id] = chunk
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            collection_name=f"baseline_{uuid.uuid4().hex[:12]}",
            embedding_function=EmbedderAdapter(embedder),
            client=client,
        )
        if documents:
            self.store.add_documents(documents, ids=[d.metadata["chunk_id"] for d in documents])
        scorer = UnitScorer(embedder)
        self.scorer = scorer
        self.answerer = ExtractiveAnswerer(self._subject_of)

    @classmethod
    def from_files(cls, paths: Sequence[Path], embedder: Embedder, max_file_mb: float = 50.0) -> Baseline:
        """Load and normalise the files with Casewise's own loader, so offsets point into the same text."""
        reviews = []
        for path in paths:
            try:
                reviews.append(build_review(path, load(path, int(max_file_mb * 1e6)))[0])
            except DocumentError as exc:
                raise CasewiseError(
                    f"baseline: {exc} (run `casewise ingest` again if the corpus moved, or pass --no-baseline)"
                ) from exc
        if not reviews:
            raise CasewiseError("baseline: the index lists no review files; run `casewise ingest` first")
        return cls(reviews, embedder)

    def _chunk(self, review_id: str, start: int, text: str) -> Chunk:
        review = self.reviews[review_id]
        end = start + len(text)
        if review.text[start:end] != text:  # add_start_index found the wrong occurrence; never seen, but check
            raise CasewiseError(f"baseline: split of {review_id} at {start} does not match the review text")
        number = len(self.chunks) + 1
        return Chunk(
            chunk_id=f"{NAME}:{review_id}:{start}",
            review_id=review_id,
            review_title=review.title,
            review_type=review.meta.review_type,
            section_path=(f"split {number}",),
            section_label=f"split {number}",
            section_ordinal=number,
            part=0,
            start=start,
            end=end,
            pages=review.pages_for(start, end),
            text=text,
        )

    def _subject_of(self, review_id: str) -> str | None:
        review = self.reviews.get(review_id)
        return review.meta.subject if review else None

    def ask(self, question: str, history: Sequence[Any] = ()) -> Answer:
        """Top-4 splits for the question (history ignored), then the extractive answer over them."""
        started = time.perf_counter()
        found = self.store.similarity_search_with_score(question, k=TOP_K)
        # Chroma's default space is squared L2; for unit vectors 1 - d/2 is the cosine similarity.
        evidence = [
            Hit(self.chunks[doc.metadata["chunk_id"]], 1.0 - float(distance) / 2, {"dense": rank})
            for rank, (doc, distance) in enumerate(found, start=1)
        ]
        retrieved = time.perf_counter()
        scored = self.scorer.score(question, evidence)
        draft = self.answerer.draft(read_question(question, {}), scored)  # the baseline knows no subjects
        checked = verify(draft, evidence, self.reviews.get)
        now = time.perf_counter()
        return Answer(
            question=question,
            text=checked.text,
            citations=checked.citations,
            abstained=not checked.text.strip(),
            answerer=f"{NAME}-extractive",
            evidence=tuple(evidence),
            notices=checked.notices,
            removed=checked.removed,
            timings_ms={
                "retrieve": (retrieved - started) * 1000,
                "answer": (now - retrieved) * 1000,
                "total": (now - started) * 1000,
            },
        )

    def answer_fn(self, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        """The harness's answer_fn: the answer object of the `casewise` JSON contract."""
        return dict(self.ask(question).to_dict())
