"""BM25 over the FTS5 index, summed in memory from each query term's cached scores.

FTS5's bm25() is a sum over the query's phrases, each phrase scored on its own (its IDF, its weighted frequency,
the row's length): a row's score for "a OR b" is its score for "a" plus its score for "b", added in that order.
So each term's scores are read from FTS5 once (one single-term query) and kept; a query then adds the arrays of
its terms and takes the best rows, with the same scores and the same order as FTS5's own ORDER BY bm25 (ties by
rowid). FTS5 spends most of a query computing bm25() for every row any term matches (at 100k chunks a common word
matches most of them), so a warm query costs a few array additions instead.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

MAX_POSTINGS = 5_000_000  # cached (row, score) pairs over all terms, ~60 MB; least recently used terms go first


class TermScores:
    """Each term's (rowids, scores) under given column weights, read from FTS5 on first use and kept."""

    def __init__(self) -> None:
        self._terms: OrderedDict[tuple[str, tuple[float, ...]], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._postings = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every term (the index changed)."""
        with self._lock:
            self._terms.clear()
            self._postings = 0

    def top(
        self,
        db: sqlite3.Connection,
        terms: Sequence[str],
        weights: tuple[float, ...],
        k: int,
        allowed: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """(rowid, score) of the k best rows for the terms OR-ed (among the `allowed` rowids, if given), best
        first, as FTS5 orders them."""
        parts = [self._term(db, term, weights) for term in terms]
        parts = [(rows, scores) for rows, scores in parts if len(rows)]
        if not parts:
            return []
        size = 1 + max(int(r[-1]) for r, _ in parts)  # rowids come sorted
        total = np.zeros(size, dtype=np.float64)
        matched = np.zeros(size, dtype=bool)
        for term_rows, term_scores in parts:  # in query order, as FTS5 sums its phrases
            total[term_rows] += term_scores
            matched[term_rows] = True
        if allowed is not None:
            admitted = np.zeros(size, dtype=bool)
            admitted[allowed[allowed < size]] = True
            matched &= admitted
        rows = np.flatnonzero(matched)
        scores = total[rows]
        if len(rows) > k:  # every row scoring at least the k-th best, ties included, then FTS5's order
            keep = scores >= np.partition(scores, len(scores) - k)[len(scores) - k]
            rows, scores = rows[keep], scores[keep]
        best = np.lexsort((rows, -scores))[:k]  # higher score first, then lower rowid
        return [(int(rows[i]), float(scores[i])) for i in best]

    def _term(self, db: sqlite3.Connection, term: str, weights: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
        key = (term, weights)
        with self._lock:
            if key in self._terms:
                self._terms.move_to_end(key)
                return self._terms[key]
        bm25 = f"bm25(chunk_fts, {', '.join(str(w) for w in weights)})"
        found = db.execute(
            f"SELECT rowid, -{bm25} FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY rowid", (f'"{term}"',)
        )
        pairs = np.array(found.fetchall(), dtype=np.float64).reshape(-1, 2)
        entry = (pairs[:, 0].astype(np.int64), pairs[:, 1].copy())
        with self._lock:
            self._terms[key] = entry
            self._postings += len(entry[0])
            while self._postings > MAX_POSTINGS and len(self._terms) > 1:
                _, (old, _) = self._terms.popitem(last=False)
                self._postings -= len(old)
        return entry
