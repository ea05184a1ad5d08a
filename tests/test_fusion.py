"""Fusion on its own: how dense and BM25 scores become one ranking (retriever/fusion.py)."""

from __future__ import annotations

import pytest
from stage_reviews import CHILD_Q, YOUNG_PERSON_T, indexed

from retriever.fusion import DENSE_WEIGHT, FUSIONS, Candidate, convex, scaled_scores, single

CHUNKS = indexed(f"{CHILD_Q}.md")[2] + indexed(f"{YOUNG_PERSON_T}.md")[2]


def candidate(n: int, dense: float | None = None, bm25: float | None = None) -> Candidate:
    scores = {k: v for k, v in (("dense", dense), ("bm25", bm25)) if v is not None}
    return Candidate(CHUNKS[n], scores, {k: rank for rank, k in enumerate(scores, start=1)})


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.chunk.chunk_id for h in hits]


class TestCandidate:
    def test_starts_with_no_scores_or_ranks(self) -> None:
        c = Candidate(CHUNKS[0])
        assert c.scores == {} and c.ranks == {}

    def test_two_candidates_do_not_share_their_scores(self) -> None:
        a, b = Candidate(CHUNKS[0]), Candidate(CHUNKS[1])
        a.scores["dense"] = 0.5
        assert b.scores == {}


class TestSingle:
    def test_empty_input_gives_no_hits(self) -> None:
        assert single("bm25")([]) == []

    def test_ranks_by_its_signal_and_drops_chunks_it_did_not_find(self) -> None:
        hits = single("bm25")([candidate(0, dense=0.9), candidate(1, bm25=2.0), candidate(2, bm25=5.0)])
        assert ids(hits) == [CHUNKS[2].chunk_id, CHUNKS[1].chunk_id]
        assert [h.score for h in hits] == [5.0, 2.0]

    def test_ties_are_broken_by_chunk_id_so_the_order_is_stable(self) -> None:
        tied = [candidate(n, dense=0.5) for n in (3, 0, 2)]
        assert ids(single("dense")(tied)) == sorted(CHUNKS[n].chunk_id for n in (3, 0, 2))

    def test_hits_keep_the_rank_under_each_signal(self) -> None:
        [hit] = single("dense")([candidate(0, dense=0.8, bm25=1.0)])
        assert hit.ranks_by_signal == {"dense": 1, "bm25": 2}


class TestScaledScores:
    def test_no_chunk_found_by_the_signal(self) -> None:
        assert scaled_scores([candidate(0, dense=0.4)], "bm25") == ({}, 0.0)

    def test_scores_are_divided_by_the_best_and_the_floor_is_the_lowest(self) -> None:
        scaled, floor = scaled_scores([candidate(0, bm25=8.0), candidate(1, bm25=2.0), candidate(2)], "bm25")
        assert scaled == {CHUNKS[0].chunk_id: 1.0, CHUNKS[1].chunk_id: 0.25}
        assert floor == 0.25

    def test_a_best_score_of_zero_does_not_divide_by_zero(self) -> None:
        scaled, floor = scaled_scores([candidate(0, bm25=0.0)], "bm25")
        assert scaled == {CHUNKS[0].chunk_id: 0.0} and floor == 0.0


class TestConvex:
    def test_empty_input_gives_no_hits(self) -> None:
        assert convex([]) == []

    def test_the_weight_decides_which_signal_leads(self) -> None:
        pool = [candidate(0, dense=0.9, bm25=1.0), candidate(1, dense=0.3, bm25=9.0)]
        assert ids(convex(pool, dense_weight=1.0))[0] == CHUNKS[0].chunk_id
        assert ids(convex(pool, dense_weight=0.0))[0] == CHUNKS[1].chunk_id

    def test_the_default_weighs_both_signals(self) -> None:
        [hit] = convex([candidate(0, dense=0.6, bm25=3.0)])
        assert hit.score == pytest.approx(DENSE_WEIGHT * 1.0 + (1 - DENSE_WEIGHT) * 1.0)

    def test_a_chunk_one_signal_missed_gets_that_signals_lowest_score(self) -> None:
        pool = [candidate(0, dense=1.0, bm25=4.0), candidate(1, dense=0.5, bm25=1.0), candidate(2, dense=0.5)]
        scores = {h.chunk.chunk_id: h.score for h in convex(pool, dense_weight=0.5)}
        assert scores[CHUNKS[2].chunk_id] == pytest.approx(0.5 * 0.5 + 0.5 * 0.25)  # bm25 floor: 1.0 / 4.0

    def test_a_chunk_both_signals_rank_high_beats_one_only_one_does(self) -> None:
        pool = [candidate(0, dense=0.9, bm25=8.0), candidate(1, dense=1.0), candidate(2, bm25=9.0)]
        pool.append(candidate(3, dense=0.1, bm25=0.5))  # a weak chunk both found sets each signal's floor
        assert ids(convex(pool))[0] == CHUNKS[0].chunk_id


class TestFusions:
    def test_every_search_mode_but_default_has_its_fusion(self) -> None:
        assert set(FUSIONS) == {"bm25", "dense", "hybrid"}

    @pytest.mark.parametrize(("mode", "first"), [("bm25", 1), ("dense", 0), ("hybrid", 0)])
    def test_each_mode_orders_by_what_it_names(self, mode: str, first: int) -> None:
        pool = [candidate(0, dense=0.9, bm25=2.0), candidate(1, dense=0.2, bm25=3.0)]
        assert ids(FUSIONS[mode](pool))[0] == CHUNKS[first].chunk_id
