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

import numpy as np

from core.models import Chunk
from core.units import neutral, quotable_units
from ingest.embedding import Embedder

ENCODE_STEP = 256  # unit texts per encode call (progress is reported between calls)


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


def encode_units(
    chunks: Sequence[Chunk], embedder: Embedder, done: Callable[[int], None] | None = None
) -> dict[str, UnitVectors]:
    """chunk id -> its unit vectors; a text that recurs (a repeated heading line, boilerplate) is encoded once.

    `done` is told how many unit texts each encode call finished, for progress."""
    per_chunk = {c.chunk_id: unit_texts(c) for c in chunks}
    distinct = list(dict.fromkeys(text for units in per_chunk.values() for _, text in units))
    vectors = np.zeros((len(distinct), embedder.dimension), dtype=np.float32)
    order = sorted(range(len(distinct)), key=lambda i: len(distinct[i]))  # alike lengths: less padding
    for first in range(0, len(order), ENCODE_STEP):
        rows = order[first : first + ENCODE_STEP]
        vectors[rows] = embedder.encode([distinct[i] for i in rows])
        if done:
            done(len(rows))
    row_of = {text: i for i, text in enumerate(distinct)}
    out = {}
    for chunk_id, units in per_chunk.items():
        out[chunk_id] = UnitVectors(
            np.array([start for start, _ in units], dtype=np.int64),
            np.array([digest(text) for _, text in units], dtype=np.uint64),
            vectors[[row_of[text] for _, text in units]].reshape(len(units), embedder.dimension),
        )
    return out
