"""Evaluation metrics on hand-made cases, with the edge cases: no citations, empty answers, abstentions."""

from __future__ import annotations

import pytest
from conftest import HashingEmbedder

from evals import answer_metrics as m
from evals.matching import contains, find_spans, normalise

REVIEW = (
    "Background\n\n"
    "- Police referred Young Person F to CSC on 8 occasions. This led to two strategy meetings.\n"
    "- Though Young Person F denied it they were the victim of a life-threatening assault by other\n"
    " young people in the community.\n\n"
    "Learning\n\n"
    "- Stepping down from Early Help at end of 2020 was premature\n"
)
TEXTS = {"ypf": REVIEW}


def review_text(review_id: str) -> str | None:
    return TEXTS.get(review_id)


def cite(quote: str, marker: int = 1, review_id: str = "ypf", start: int | None = None) -> dict[str, object]:
    """A citation of the quote at its real offsets in REVIEW (or at `start` when given)."""
    at = REVIEW.find(quote) if start is None else start
    return {
        "marker": marker,
        "review_id": review_id,
        "chunk_id": "c1",
        "quote": quote,
        "start": at,
        "end": at + len(quote),
    }


# -- matching ------------------------------------------------------------------------------------------------
def test_normalise_folds_case_whitespace_and_typographic_quotes() -> None:
    assert normalise("  Young\n  Person\tF’s “plan” – now ") == 'young person f\'s "plan" - now'


def test_contains_ignores_line_wraps_and_case_but_not_an_empty_needle() -> None:
    assert contains(REVIEW, "ASSAULT BY OTHER YOUNG PEOPLE")
    assert not contains(REVIEW, "   ")
    assert not contains(REVIEW, "assault by others young")


def test_find_spans_maps_back_to_original_offsets_across_a_line_wrap() -> None:
    [(start, end)] = find_spans("by other young people", REVIEW)
    assert REVIEW[start:end] == "by other\n young people"
    assert find_spans("nothing like this", REVIEW) == []


# -- retrieval over evidence groups --------------------------------------------------------------------------
GROUPS = [["8 occasions", "eight occasions"], ["strategy meetings"]]


def test_retrieval_metrics_when_the_evidence_is_second() -> None:
    retrieved = ["nothing here", "referred on 8 occasions", "two strategy meetings"]
    assert m.retrieval_hit(retrieved, GROUPS, 1) == 0.0
    assert m.retrieval_hit(retrieved, GROUPS, 2) == 1.0
    assert m.retrieval_recall(retrieved, GROUPS, 2) == 0.5
    assert m.retrieval_recall(retrieved, GROUPS, 3) == 1.0
    assert m.retrieval_mrr(retrieved, GROUPS) == 0.5
    ideal = 1 + 1 / 1.584962500721156
    assert m.retrieval_ndcg(retrieved, GROUPS) == pytest.approx((1 / 1.584962500721156 + 1 / 2) / ideal)


def test_ndcg_is_one_when_one_text_covers_every_group_and_duplicates_earn_nothing() -> None:
    assert m.retrieval_ndcg(["8 occasions and two strategy meetings"], GROUPS) == 1.0
    one = [["8 occasions"]]
    assert m.retrieval_ndcg(["on 8 occasions", "8 occasions again"], one) == 1.0
    assert m.retrieval_ndcg(["other", "8 occasions", "8 occasions"], one) == pytest.approx(1 / 1.584962500721156)


def test_retrieval_metrics_with_nothing_retrieved_or_no_groups() -> None:
    assert m.retrieval_hit([], GROUPS, 5) == 0.0
    assert m.retrieval_recall([], GROUPS, 5) == 0.0
    assert m.retrieval_mrr([], GROUPS) == 0.0
    assert m.retrieval_ndcg([], GROUPS) == 0.0
    for metric in (m.retrieval_hit, m.retrieval_recall):
        assert metric(["anything"], [], 5) is None
    assert m.retrieval_mrr(["anything"], []) is None
    assert m.retrieval_ndcg(["anything"], []) is None


def test_retrieval_mrr_only_counts_the_top_k() -> None:
    assert m.retrieval_mrr(["a", "b", "8 occasions"], GROUPS, k=2) == 0.0


# -- citations -----------------------------------------------------------------------------------------------
def test_citation_precision_and_recall() -> None:
    citations = [
        cite("Police referred Young Person F to CSC on 8 occasions."),
        cite("Stepping down from Early Help at end of 2020 was premature", marker=2),
    ]
    assert m.citation_precision(citations, GROUPS, review_text) == 0.5
    assert m.citation_recall(citations, GROUPS, review_text) == 0.5


def test_no_citations_means_no_precision_to_judge_and_zero_recall() -> None:
    assert m.citation_precision([], GROUPS, review_text) is None
    assert m.citation_recall([], GROUPS, review_text) == 0.0
    assert m.quotes_verbatim([], review_text) is None


def test_unanswerable_questions_have_no_citation_scores() -> None:
    citations = [cite("This led to two strategy meetings.")]
    assert m.citation_precision(citations, [], review_text) is None
    assert m.citation_recall(citations, [], review_text) is None


def test_a_quote_inside_a_longer_evidence_string_satisfies_it() -> None:
    groups = [["Police referred Young Person F to CSC on 8 occasions. This led to two strategy meetings"]]
    assert m.citation_recall([cite("This led to two strategy meetings.")], groups, review_text) == 1.0
    assert m.citation_recall([cite("Police referred")], groups, review_text) == 1.0


def test_a_quote_overlapping_under_half_of_the_shorter_span_does_not_satisfy() -> None:
    groups = [["on 8 occasions. This led to two"]]  # 31 characters; the quote shares 15 of them
    assert m.citation_recall([cite("This led to two strategy meetings.")], groups, review_text) == 0.0
    groups = [["on 8 occasions. This led to"]]  # 27 characters; 11 shared is under half
    assert m.citation_recall([cite("This led to two strategy meetings.")], groups, review_text) == 0.0
    groups = [["occasions. This led to two"]]  # 26 characters; 15 shared is over half
    assert m.citation_recall([cite("This led to two strategy meetings.")], groups, review_text) == 1.0


def test_evidence_across_a_line_wrap_in_the_quote() -> None:
    quote = (
        "Though Young Person F denied it they were the victim of a life-threatening assault by other\n "
        "young people in the community."
    )
    groups = [["assault by other young people"]]
    assert m.citation_groups(cite(quote), groups, review_text) == frozenset({0})


def test_a_quote_that_is_not_verbatim_is_judged_on_its_own_words_only() -> None:
    moved = cite("This led to two strategy meetings.", start=0)
    assert m.quotes_verbatim([moved], review_text) == 0.0
    assert m.citation_recall([moved], GROUPS, review_text) == 0.5  # the quote itself says "strategy meetings"
    assert m.citation_recall([moved], [["8 occasions"]], review_text) == 0.0  # no credit from the offsets


def test_quotes_verbatim_share() -> None:
    good = cite("This led to two strategy meetings.")
    unknown_review = cite("This led to two strategy meetings.", review_id="nope")
    no_offsets = {"marker": 3, "review_id": "ypf", "quote": "x"}
    assert m.quotes_verbatim([good], review_text) == 1.0
    assert m.quotes_verbatim([good, unknown_review, no_offsets], review_text) == pytest.approx(1 / 3)


# -- the answer text -----------------------------------------------------------------------------------------
def test_key_fact_coverage_is_case_insensitive_with_alternatives() -> None:
    facts = [["8 occasions", "eight occasions"], ["Strategy Meetings"], ["early help"]]
    assert m.key_fact_coverage(
        "Police referred F on EIGHT occasions; two strategy meetings followed [1].", facts
    ) == pytest.approx(2 / 3)
    assert m.key_fact_coverage("", facts) == 0.0
    assert m.key_fact_coverage("The reviews in this corpus do not say.", facts) == 0.0
    assert m.key_fact_coverage("anything", []) is None
    assert m.key_facts_missing("two strategy meetings", facts) == ["8 occasions", "early help"]


def test_token_f1() -> None:
    assert m.token_f1("The plan was premature [1].", "plan was premature") == 1.0
    assert m.token_f1("nothing alike", "plan was premature") == 0.0
    assert m.token_f1("", "plan was premature") == 0.0
    assert m.token_f1("", "") == 1.0
    assert m.token_f1("plan premature extra", "plan was premature") == pytest.approx(2 / 3)


def test_embedding_similarity_with_a_fake_embedder() -> None:
    embedder = HashingEmbedder()
    assert m.embedding_similarity("Early help ended [1].", "early help ended", embedder) == pytest.approx(1.0)
    assert m.embedding_similarity("", "early help ended", embedder) == 0.0
    assert m.embedding_similarity("[1]", "early help ended", embedder) == 0.0
    assert m.embedding_similarity("unrelated words", "early help ended", embedder) < 0.5


# -- faithfulness --------------------------------------------------------------------------------------------
EXTRACTIVE = (
    "In the Young Person F review:\n"
    "- Police referred Young Person F to CSC on 8 occasions. This led to two strategy meetings. [1]\n"
    "- Stepping down from Early Help at end of 2020 was premature [2]"
)
EXTRACTIVE_CITES = [
    cite("Police referred Young Person F to CSC on 8 occasions. This led to two strategy meetings."),
    cite("Stepping down from Early Help at end of 2020 was premature", marker=2),
]


def test_answer_sentences_strip_prefixes_bullets_and_markers() -> None:
    assert m.answer_sentences(EXTRACTIVE) == [
        ("Police referred Young Person F to CSC on 8 occasions.", frozenset({1})),
        ("This led to two strategy meetings.", frozenset({1})),
        ("Stepping down from Early Help at end of 2020 was premature", frozenset({2})),
    ]
    assert m.answer_sentences("In the Child M review: He was sentenced. [3]") == [("He was sentenced.", frozenset({3}))]
    opening = "No, according to the Child M review [1]:\n\nIn the Child M review: He was never excluded. [1]"
    assert m.answer_sentences(opening) == [("He was never excluded.", frozenset({1}))]  # the framing claims nothing
    across = (
        "2 of the 12 reviews searched have something on this.\n\n"
        "In Local Child Safeguarding Practice Review: Infants P and W:\n- He was never excluded. [1]\n"
        "- She was seen. [2]"
    )
    assert [s for s, _ in m.answer_sentences(across)] == ["He was never excluded.", "She was seen."]


def test_a_claim_ending_in_a_colon_within_a_line_is_still_judged() -> None:
    said = "The school said: he was safe."
    assert m.answer_sentences(f"{said} [1]") == [(said, frozenset({1}))]


def test_an_extractive_answer_is_fully_faithful() -> None:
    assert m.faithfulness(EXTRACTIVE, EXTRACTIVE_CITES) == 1.0


def test_unsupported_and_uncited_sentences_count_against_faithfulness() -> None:
    answer = (
        "Police referred F to CSC on 8 occasions [1]. The school expelled F for carrying knives [2].\n"
        "F's mother was a drug user."
    )
    assert m.faithfulness(answer, EXTRACTIVE_CITES) == pytest.approx(1 / 3)


def test_a_marker_without_a_citation_supports_nothing() -> None:
    assert m.faithfulness("Stepping down from Early Help was premature [7].", EXTRACTIVE_CITES) == 0.0


def test_faithfulness_of_an_empty_answer_is_undefined() -> None:
    assert m.faithfulness("", []) is None
    assert m.faithfulness("In the Child M review:\n- [1]", []) is None


# -- abstention and latency ----------------------------------------------------------------------------------
def test_abstention_precision_and_recall() -> None:
    abstained = [True, True, False, False, True]
    unanswerable = [True, False, True, False, True]
    assert m.abstention_precision(abstained, unanswerable) == pytest.approx(2 / 3)
    assert m.abstention_recall(abstained, unanswerable) == pytest.approx(2 / 3)


def test_abstention_scores_when_nothing_abstains_or_everything_is_answerable() -> None:
    assert m.abstention_precision([False, False], [True, False]) is None
    assert m.abstention_recall([False, False], [True, False]) == 0.0
    assert m.abstention_recall([True, False], [False, False]) is None
    assert m.abstention_precision([True, False], [False, False]) == 0.0  # abstained on an answerable question


def test_percentiles() -> None:
    assert m.percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert m.percentile([10.0, 20.0, 30.0, 40.0], 95) == pytest.approx(38.5)
    assert m.percentile([], 50) is None
