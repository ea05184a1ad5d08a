"""The harness over canned answers (any answer_fn plugs in) and the LangChain baseline on the seed corpus."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ROOT, SEED_FILES, HashingEmbedder

from core.errors import CasewiseError
from evals.baseline import CHUNK_SIZE, Baseline, EmbedderAdapter
from evals.gold import GoldQuestion, load_gold, parse_question
from evals.harness import aggregate, evaluate
from evals.report import side_by_side
from retriever.models import Answer

SEED_GOLD = ROOT / "evals" / "gold_seed.jsonl"
TEXT = "Police referred F to CSC on 8 occasions. This led to two strategy meetings.\nF went to school."


def gold(qid: str, kind: str = "factual", **fields: Any) -> GoldQuestion:
    row = {
        "id": qid,
        "question": f"question {qid}?",
        "kind": kind,
        "reviews": ["ypf"],
        "evidence": [["8 occasions"]],
        "key_facts": [["8 occasions"]],
        "reference_answer": "On 8 occasions.",
        **fields,
    }
    if kind == "unanswerable":
        row.update(reviews=[], evidence=[], key_facts=[])
    return parse_question(row, "test")


def answer(
    text: str,
    quote: str | None = None,
    abstained: bool = False,
    total_ms: float | None = 10.0,
    evidence: tuple[str, ...] = (TEXT,),
) -> dict[str, Any]:
    citations = []
    if quote is not None:
        start = TEXT.find(quote)
        citations.append(
            {
                "marker": 1,
                "chunk_id": "c1",
                "review_id": "ypf",
                "quote": quote,
                "start": start,
                "end": start + len(quote),
            }
        )
    return {
        "answer": text,
        "abstained": abstained,
        "citations": citations,
        "evidence": [{"rank": i, "text": e} for i, e in enumerate(evidence, start=1)],
        "timings_ms": {} if total_ms is None else {"total": total_ms},
    }


DATASET = [
    gold("a"),
    gold("b"),
    gold("c", kind="paraphrase"),
    gold("u", kind="unanswerable"),
    gold("v", kind="unanswerable"),
]
CANNED = {
    "question a?": answer(
        "Police referred F to CSC on 8 occasions. [1]",
        "Police referred F to CSC on 8 occasions.",
        total_ms=10.0,
    ),
    "question b?": answer("The reviews do not say.", abstained=True, total_ms=20.0, evidence=("nothing",)),
    "question c?": answer("F went to school. [1]", "F went to school.", total_ms=30.0),
    "question u?": answer("The reviews do not say.", abstained=True, total_ms=40.0),
    "question v?": answer("F went to school. [1]", "F went to school.", total_ms=None),
}


def canned(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
    return CANNED[question]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return evaluate(canned, DATASET, name="canned", review_text={"ypf": TEXT}.get, embedder=HashingEmbedder())


def test_per_question_records(result) -> None:  # type: ignore[no-untyped-def]
    a, b, c, u, v = result.records
    assert a.correct and a.problems == () and a.metrics["citation_recall"] == 1.0 and a.latency_ms == 10.0
    assert a.metrics["faithfulness"] == 1.0 and a.metrics["quotes_verbatim"] == 1.0
    assert not b.correct and b.metrics["faithfulness"] is None and b.metrics["citation_precision"] is None
    assert b.problems == (
        "abstained on an answerable question",
        "no gold evidence in the top 5 retrieved chunks",
    )
    assert c.metrics["citation_precision"] == 0.0 and c.metrics["key_fact_coverage"] == 0.0
    assert c.problems == ("no citation covers evidence '8 occasions'", "answer lacks key fact '8 occasions'")
    assert u.correct and u.problems == () and u.metrics["hit@5"] is None
    assert not v.correct and v.problems == ("answered an unanswerable question instead of abstaining",)
    assert v.latency_ms < 1000  # no timings_ms: the harness's own wall time


def test_aggregates_overall_and_per_kind(result) -> None:  # type: ignore[no-untyped-def]
    overall = result.overall
    assert overall["questions"] == 5
    assert overall["accuracy"] == pytest.approx(2 / 5)
    assert overall["hit@5"] == pytest.approx(2 / 3)  # a and c retrieved the evidence, b did not
    assert overall["citation_precision"] == pytest.approx(1 / 2)  # a: 1.0, c: 0.0, b: none to judge
    assert overall["key_fact_coverage"] == pytest.approx(1 / 3)
    assert overall["abstention_precision"] == pytest.approx(1 / 2)  # b and u abstained; u was right
    assert overall["abstention_recall"] == pytest.approx(1 / 2)  # u abstained, v did not
    assert overall["latency_p50_ms"] == 20.0
    assert overall["false_refusal_rate"] == pytest.approx(1 / 3)  # b refused; a and c answered
    assert overall["answer_words_p50"] == 5.0  # a has 8 words, c and v 5; refusals do not count
    assert list(result.per_kind) == ["factual", "paraphrase", "unanswerable"]
    assert result.per_kind["factual"]["accuracy"] == 0.5
    assert result.per_kind["unanswerable"]["abstention_recall"] == 0.5
    assert result.per_kind["factual"]["abstention_recall"] is None


def test_result_serialises_and_prints(result) -> None:  # type: ignore[no-untyped-def]
    document = result.to_dict()
    assert document["questions"] == 5 and document["records"][1]["problems"][0].startswith("abstained")
    table = side_by_side([result, result])
    assert "| metric | canned | canned |" in table
    assert "| abstention precision | 0.500 | 0.500 |" in table


def test_history_reaches_the_answerer_as_role_content_dicts() -> None:
    seen: list[Any] = []

    def recording(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        seen.append(history)
        return answer("x")

    follow_up = gold("f", kind="follow-up", history=[{"role": "user", "content": "About F?"}])
    evaluate(recording, [follow_up, gold("g")])
    assert seen == [[{"role": "user", "content": "About F?"}], []]


def test_answer_objects_are_accepted_and_anything_else_is_an_error() -> None:
    obj = Answer(question="q", text="On 8 occasions.", citations=(), abstained=False, answerer="x", evidence=())
    record = evaluate(lambda q, h: obj, [gold("a")]).records[0]
    assert record.metrics["key_fact_coverage"] == 1.0 and record.metrics["quotes_verbatim"] is None
    with pytest.raises(CasewiseError, match="returned str for a; it must return an answer object"):
        evaluate(lambda q, h: "On 8 occasions.", [gold("a")])


def test_aggregate_of_nothing() -> None:
    assert aggregate([])["accuracy"] is None and aggregate([])["latency_p50_ms"] is None


# -- the baseline --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def baseline() -> Baseline:
    return Baseline.from_files(SEED_FILES, HashingEmbedder())


def test_baseline_splits_point_into_the_normalised_review_text(baseline: Baseline) -> None:
    assert len(baseline.reviews) == 2 and len(baseline.chunks) >= 8
    for chunk in baseline.chunks.values():
        assert baseline.reviews[chunk.review_id].text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= CHUNK_SIZE
    assert baseline.store._collection.count() == len(baseline.chunks)


def test_baseline_answers_with_verbatim_citations_from_its_top_4(baseline: Baseline) -> None:
    reply = baseline.answer_fn("How many times did police refer Young Person F to CSC?", [])
    assert len(reply["evidence"]) == 4 and not reply["abstained"]
    assert reply["citations"] and "8 occasions" in reply["answer"]
    for citation in reply["citations"]:
        text = baseline.reviews[citation["review_id"]].text
        assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert set(reply["timings_ms"]) == {"retrieve", "answer", "total"}


def test_baseline_scored_by_the_harness(baseline: Baseline) -> None:
    questions = [q for q in load_gold(SEED_GOLD) if q.id in ("g001", "g065", "g075")]
    result = evaluate(
        baseline.answer_fn, questions, name="baseline", review_text=lambda rid: baseline.reviews[rid].text
    )
    assert result.overall["quotes_verbatim"] == 1.0
    assert result.records[0].correct
    assert result.overall["abstention_recall"] == 0.0  # the plain pipeline never abstains


def test_embedder_adapter_returns_plain_float_lists() -> None:
    adapter = EmbedderAdapter(HashingEmbedder())
    vectors = adapter.embed_documents(["one text", "another"])
    assert len(vectors) == 2 and len(vectors[0]) == 256 and isinstance(vectors[0][0], float)
    assert adapter.embed_query("one text") == vectors[0]


def test_baseline_reports_a_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CasewiseError, match="baseline: .*gone.txt.*run `casewise ingest` again"):
        Baseline.from_files([tmp_path / "gone.txt"], HashingEmbedder())
    with pytest.raises(CasewiseError, match="the index lists no review files"):
        Baseline.from_files([], HashingEmbedder())
