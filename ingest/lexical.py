"""BM25 over the FTS5 index, summed in memory from each query term's scores, computed once per term and kept.

FTS5's bm25() is a sum over the query's phrases, each phrase scored on its own (its IDF, its weighted frequency,
the row's length): a row's score for "a OR b" is its score for "a" plus its score for "b", added in that order.
So each term's scores are computed once and kept; a query then adds the arrays of its terms and takes the best
rows, with the same scores and the same order as FTS5's own ORDER BY bm25 (ties by rowid).

A term's scores are not asked of bm25(), which looks up every matching row's length one by one (~200 ms for a
word in every chunk at 100k chunks): the term's occurrences are read from FTS5's index in one query (its
fts5vocab instance table, as text numbers SQLite joins), every row's length and the totals once per index
version (the docsize table and the averages record), and the score is FTS5's own formula, the same operations in
the same order, so the same numbers (tested). A query word the FTS5 tokenizer splits in two, or an index whose
records do not read as expected, is scored by bm25() itself.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_POSTINGS = 5_000_000  # cached (row, score) pairs over all terms, ~60 MB; least recently used terms go first
TABLE = "chunk_fts"
TOKENIZER = "porter unicode61"  # the FTS5 table's tokenize option (its schema in ingest/catalog.py uses it)
K1, B = 1.2, 0.75  # FTS5's bm25() constants
_AVERAGES = 1  # the rowid of FTS5's record of the row count and each column's token total
_INSTANCES = "temp.casewise_fts_instances"

Postings = tuple[np.ndarray, np.ndarray]  # (rowids ascending, scores)


@dataclass(frozen=True)
class _Lengths:
    """What bm25() reads besides a term's occurrences: every row's length in tokens, the row count, the mean."""

    columns: tuple[str, ...]
    tokens: np.ndarray  # rowid -> the row's tokens over all columns
    rows: int
    mean: float


class TermScores:
    """Each term's (rowids, scores) under given column weights, computed on first use and kept."""

    def __init__(self) -> None:
        self._terms: OrderedDict[tuple[str, tuple[float, ...]], Postings] = OrderedDict()
        self._postings = 0
        self._lengths: _Lengths | None = None
        self._lock = threading.Lock()
        self._tokenizer = _Tokenizer()

    def clear(self) -> None:
        """Forget every term (the index changed)."""
        with self._lock:
            self._terms.clear()
            self._postings = 0
            self._lengths = None

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

    def _term(self, db: sqlite3.Connection, term: str, weights: tuple[float, ...]) -> Postings:
        key = (term, weights)
        with self._lock:
            if key in self._terms:
                self._terms.move_to_end(key)
                return self._terms[key]
        tokens = self._tokenizer.tokens(term)
        lengths = self._lengths_of(db) if len(tokens) == 1 else None
        entry = _computed(db, tokens[0], weights, lengths) if lengths else _from_bm25(db, term, weights)
        with self._lock:
            self._terms[key] = entry
            self._postings += len(entry[0])
            while self._postings > MAX_POSTINGS and len(self._terms) > 1:
                _, (old, _) = self._terms.popitem(last=False)
                self._postings -= len(old)
        return entry

    def _lengths_of(self, db: sqlite3.Connection) -> _Lengths | None:
        with self._lock:
            if self._lengths is None:
                self._lengths = _read_lengths(db)
            return self._lengths if self._lengths.columns else None


class _Tokenizer:
    """A word's tokens as the FTS5 table's tokenizer makes them ("Recommendations" -> ["recommend"]), read from
    an FTS5 table of the same tokenizer in a private in-memory database."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{TOKENIZER}')")
        self._db.execute("CREATE VIRTUAL TABLE word_tokens USING fts5vocab(words, instance)")
        self._lock = threading.Lock()

    def tokens(self, word: str) -> list[str]:
        with self._lock, self._db:
            self._db.execute("INSERT INTO words(rowid, word) VALUES (1, ?)", (word,))
            found = [t for (t,) in self._db.execute("SELECT term FROM word_tokens ORDER BY offset")]
            self._db.execute("DELETE FROM words")
        return found


def _read_lengths(db: sqlite3.Connection) -> _Lengths:
    """Every row's length and the totals, from FTS5's docsize table and averages record; no columns when they do
    not read as expected (the terms are then scored by bm25() itself)."""
    columns = tuple(str(r[1]) for r in db.execute(f"PRAGMA table_info({TABLE})"))
    ids, sizes = db.execute(f"SELECT group_concat(id), group_concat(hex(sz), '') FROM {TABLE}_docsize").fetchone()
    block = db.execute(f"SELECT block FROM {TABLE}_data WHERE id = ?", (_AVERAGES,)).fetchone()
    if not ids or not block or not columns:
        return _Lengths((), np.zeros(0), 0, 0.0)
    rowids = np.fromstring(ids, dtype=np.int64, sep=",")
    per_column = _varints(np.frombuffer(bytes.fromhex(sizes), dtype=np.uint8))
    totals = _varints(np.frombuffer(block[0], dtype=np.uint8))
    if len(per_column) != len(rowids) * len(columns) or len(totals) < 1 + len(columns):
        return _Lengths((), np.zeros(0), 0, 0.0)
    tokens = np.zeros(int(rowids.max()) + 1, dtype=np.float64)
    tokens[rowids] = per_column.reshape(len(rowids), len(columns)).sum(axis=1)
    rows = int(totals[0])
    mean = float(int(totals[1 : 1 + len(columns)].sum())) / float(rows)  # avgdl, as FTS5 divides it
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_INSTANCES} USING fts5vocab(main, {TABLE}, instance)")
    return _Lengths(columns, tokens, rows, mean)


def _computed(db: sqlite3.Connection, token: str, weights: tuple[float, ...], lengths: _Lengths) -> Postings:
    """One token's bm25() of every row it occurs in, from its occurrences in FTS5's index."""
    width = len(lengths.columns)
    column = "CASE col " + " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(lengths.columns)) + " END"
    (found,) = db.execute(  # occurrences in row, column, offset order
        f"SELECT group_concat(doc * {width} + {column}) FROM {_INSTANCES} WHERE term = ?", (token,)
    ).fetchone()
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    codes = np.fromstring(found, dtype=np.int64, sep=",")
    rows, where = np.unique(codes // width, return_inverse=True)
    counts = np.zeros((len(rows), width), dtype=np.int64)
    np.add.at(counts, (where, codes % width), 1)
    frequency = np.zeros(len(rows), dtype=np.float64)
    for i in range(width):  # each occurrence adds its column's weight, one at a time, as bm25() adds them
        weight = weights[i] if i < len(weights) else 1.0
        for n in range(int(counts[:, i].max(initial=0))):
            frequency = np.where(counts[:, i] > n, frequency + weight, frequency)
    idf = math.log((lengths.rows - len(rows) + 0.5) / (len(rows) + 0.5))
    idf = idf if idf > 0.0 else 1e-6
    length = lengths.tokens[rows]
    scores = idf * ((frequency * (K1 + 1.0)) / (frequency + K1 * (1 - B + B * length / lengths.mean)))
    return rows, scores


def _from_bm25(db: sqlite3.Connection, term: str, weights: tuple[float, ...]) -> Postings:
    """One term's bm25() of every row it matches, as FTS5 computes it."""
    bm25 = f"bm25({TABLE}, {', '.join(str(w) for w in weights)})"
    found = db.execute(f"SELECT rowid, -{bm25} FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rowid", (f'"{term}"',))
    pairs = np.array(found.fetchall(), dtype=np.float64).reshape(-1, 2)
    return pairs[:, 0].astype(np.int64), pairs[:, 1].copy()


def _varints(data: np.ndarray) -> np.ndarray:
    """The values of consecutive SQLite varints (big-endian 7-bit groups, high bit set on all but the last byte;
    values below 2**56, as token counts are)."""
    ends = np.flatnonzero(data < 0x80)
    starts = np.concatenate(([0], ends[:-1] + 1))
    size = ends - starts + 1
    values = data[ends].astype(np.int64)
    for n in range(1, int(size.max(initial=1))):
        longer = size > n
        values[longer] += (data[ends[longer] - n].astype(np.int64) & 0x7F) << (7 * n)
    return values
