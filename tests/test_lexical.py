"""BM25 summed from cached per-term scores ranks exactly as FTS5's own ORDER BY bm25 does, and follows changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HashingEmbedder

from core.settings import Settings
from ingest import lexical
from ingest.catalog import Catalog, query_terms
from ingest.pipeline import ingest

YPF = "young-person-f-rapid-review"
QUERIES = (
    "Who acted as interpreter for the mother?",
    "police referrals to children's social care",
    "review recommendations about escalation and the child protection plan",
    "What happened to Child M?",
    "interpreter",
    "zzzunknownword",
    "review",  # in most chunks' titles: FTS5 floors its IDF
    "multi_agency meetings",  # the tokenizer splits "multi_agency" in two: a phrase, scored by bm25() itself
    "Recommendations RECOMMENDED recommending",  # three words, one stem
)
WEIGHTS = ((1.0, 1.0, 1.0), (2.5, 0.3, 1.0))


def _fts5_order(
    catalog: Catalog,
    query: str,
    k: int,
    review: str | None = None,
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
) -> list[tuple[str, float]]:
    """The ranking FTS5 gives for the query's terms OR-ed (within one review), computed by FTS5 itself."""
    match = " OR ".join(f'"{t}"' for t in query_terms(query))
    bm25 = f"bm25(chunk_fts, 0, 0, {', '.join(str(w) for w in weights)})"
    within = " AND review_id = ?" if review else ""
    sql = f"SELECT chunk_id, -{bm25} FROM chunk_fts WHERE chunk_fts MATCH ?{within} ORDER BY {bm25} LIMIT ?"
    args = (match, review, k) if review else (match, k)
    return [(cid, float(score)) for cid, score in catalog._db.execute(sql, args)]


@pytest.mark.parametrize("postings", [lexical.MAX_POSTINGS, 50])  # 50: terms are evicted as it goes
def test_cached_term_scores_rank_exactly_as_fts5(
    docs: Path, settings: Settings, postings: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical, "MAX_POSTINGS", postings)
    ingest([docs], settings, HashingEmbedder)
    catalog = Catalog(settings.db_path)
    for _ in range(2):  # the second round reads every term from the cache
        for query in QUERIES:
            for k in (3, 10, 100):
                for w in WEIGHTS:
                    found = catalog.lexical_search(query, k, weights=w)
                    assert found == _fts5_order(catalog, query, k, weights=w), (query, k, w)
                    within = catalog.lexical_search(query, k, review_ids=[YPF], weights=w)
                    assert within == _fts5_order(catalog, query, k, YPF, w), (query, k, w)


def test_a_change_by_another_process_is_seen_by_the_next_search(docs: Path, settings: Settings) -> None:
    ingest([docs], settings, HashingEmbedder)
    reader = Catalog(settings.db_path)
    before = reader.lexical_search("interpreter", 10)
    assert before
    (docs / "young-person-f-rapid-review.txt").unlink()
    ingest([docs], settings, HashingEmbedder)  # its own connection: the reader's cache must not be used
    after = reader.lexical_search("interpreter", 10)
    assert after == _fts5_order(reader, "interpreter", 10) and after != before
