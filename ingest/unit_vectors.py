"""Every quotable unit's vector, computed at ingest and stored with its chunk, so answering encodes only the question.

A chunk's units are its sentences and bullets (core.units), each encoded as the answerer scores it (children's
names read as "the child"). Each vector is stored under its unit's offset with a digest of the text encoded, so a
later change to how units are split or read makes the stored vector miss (and be encoded afresh) rather than be
used for another text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core.models import Chunk
from core.units import neutral, quotable_units
from ingest.embedding import Embedder, padded_lengths

ENCODE_STEP = 256  # texts per encode call (progress is reported between calls)


@dataclass(frozen=True)
class UnitVectors:
    """One chunk's unit vectors: row i belongs to the unit starting at starts[i] whose encoded text has digests[i]."""

    starts: np.ndarray  # int64 offsets into the review text
    digests: np.ndarray  # uint64 digests of the texts encoded
    vectors: np.ndarray  # float32, one row per unit

    def lookup(self, start: int, text: str) -> np.ndarray | None:
        """The stored vector of the unit at `start` whose encoded text is `text`, if there is one."""
        rows = np.flatnonzero(self.starts == start)
        if len(rows) and self.digests[rows[0]] == digest(text):
            return self.vectors[rows[0]]
        return None

    def to_row(self) -> tuple[bytes, bytes, bytes]:
        return (
            self.starts.astype("<i8").tobytes(),
            self.digests.astype("<u8").tobytes(),
            self.vectors.astype("<f4").tobytes(),
        )

    @classmethod
    def from_row(cls, starts: bytes, digests: bytes, vectors: bytes) -> UnitVectors:
        offsets = np.frombuffer(starts, dtype="<i8")
        flat = np.frombuffer(vectors, dtype="<f4")
        return cls(
            offsets, np.frombuffer(digests, dtype="<u8"), flat.reshape(len(offsets), -1) if len(offsets) else flat
        )


def digest(text: str) -> int:
    """A stable 64-bit digest of a text (Python's hash() changes between processes)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def unit_texts(chunk: Chunk) -> list[tuple[int, str]]:
    """(start, text as scored) of each quotable unit of the chunk."""
    return [(u.start, neutral(u.text)) for u in quotable_units(chunk)]


class Recent:
    """Vectors of the texts encoded lately in a run (at most `limit`, the oldest forgotten first), so a sentence that
    recurs across files encoded apart (boilerplate, a repeated heading line) is encoded once."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._vectors: dict[str, np.ndarray] = {}

    def known(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The remembered vectors of those texts that have one."""
        return {t: self._vectors[t] for t in texts if t in self._vectors}

    def remember(self, vectors: dict[str, np.ndarray]) -> None:
        self._vectors.update(vectors)
        for text in list(self._vectors)[: max(len(self._vectors) - self.limit, 0)]:
            del self._vectors[text]


def encode_texts(
    texts: Sequence[str],
    embedder: Embedder,
    done: Callable[[float], None] | None = None,
    recent: Recent | None = None,
) -> np.ndarray:
    """One vector per text; each distinct text not in `recent` is encoded once, in calls of texts of alike lengths
    in tokens (little padding).

    After each encode call `done` is told the share of the work finished (by length), for progress."""
    distinct = list(dict.fromkeys(texts))
    found = recent.known(distinct) if recent is not None else {}
    todo = [t for t in distinct if t not in found]
    lengths = padded_lengths(embedder, todo)
    order = sorted(range(len(todo)), key=lengths.__getitem__)
    encoded: dict[str, np.ndarray] = {}
    work, finished = max(sum(lengths), 1), 0
    for first in range(0, len(order), ENCODE_STEP):
        step = order[first : first + ENCODE_STEP]
        encoded.update(zip([todo[i] for i in step], embedder.encode([todo[i] for i in step]), strict=True))
        finished += sum(lengths[i] for i in step)
        if done:
            done(finished / work)
    if done and not todo:
        done(1.0)
    if recent is not None:
        recent.remember(encoded)
    found.update(encoded)
    return np.array([found[t] for t in texts], dtype=np.float32).reshape(len(texts), embedder.dimension)


class Encoded(NamedTuple):
    """What encode_chunks returns: the chunks' vectors, their unit vectors, and the extra texts' vectors."""

    chunks: np.ndarray  # a row per chunk, of its embed_text
    units: dict[str, UnitVectors]  # by chunk id
    extra: np.ndarray  # a row per extra text


def encode_chunks(
    chunks: Sequence[Chunk],
    embedder: Embedder,
    done: Callable[[float], None] | None = None,
    recent: Recent | None = None,
    extra: Sequence[str] = (),
) -> Encoded:
    """The chunks' vectors (of their embed_text), their unit vectors and the `extra` texts' vectors, from one pass
    over all their texts (texts encoded apart would each be padded in batches of their own).

    After each encode call `done` is told the share of the work finished, for progress."""
    per_chunk = {c.chunk_id: unit_texts(c) for c in chunks}
    units = [text for found in per_chunk.values() for _, text in found]
    vectors = encode_texts([c.embed_text for c in chunks] + units + list(extra), embedder, done, recent)
    ends = np.cumsum([len(chunks), len(units)])
    return Encoded(vectors[: ends[0]], _unit_vectors(per_chunk, vectors[ends[0] : ends[1]]), vectors[ends[1] :])


def encode_units(chunks: Sequence[Chunk], embedder: Embedder) -> dict[str, UnitVectors]:
    """chunk id -> its unit vectors; a text that recurs (a repeated heading line, boilerplate) is encoded once."""
    per_chunk = {c.chunk_id: unit_texts(c) for c in chunks}
    return _unit_vectors(per_chunk, encode_texts([t for units in per_chunk.values() for _, t in units], embedder))


def encoded_texts(chunks: Sequence[Chunk]) -> list[str]:
    """The distinct texts encode_chunks encodes for these chunks: their embed_texts and their units' texts."""
    texts = [c.embed_text for c in chunks] + [text for c in chunks for _, text in unit_texts(c)]
    return list(dict.fromkeys(texts))


def _unit_vectors(per_chunk: dict[str, list[tuple[int, str]]], vectors: np.ndarray) -> dict[str, UnitVectors]:
    """Split the units' vectors (in the order of `per_chunk`'s units) into each chunk's UnitVectors."""
    out = {}
    row = 0
    for chunk_id, units in per_chunk.items():
        out[chunk_id] = UnitVectors(
            np.array([start for start, _ in units], dtype=np.int64),
            np.array([digest(text) for _, text in units], dtype=np.uint64),
            vectors[row : row + len(units)],
        )
        row += len(units)
    return out
