"""Run any answerer over a gold set and score every answer: per-question records, aggregates overall and
per question kind.

`answer_fn(question, history)` returns an answer object of the `casewise` JSON contract (docs in
/work/shared/INTERFACE.md): a dict with at least "answer", "abstained", "citations" and "evidence".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache
from typing import Any

from core.errors import CasewiseError
from evals import answer_metrics as m
from evals.gold import KINDS, GoldQuestion
from ingest.catalog import Catalog
from ingest.embedding import Embedder

History = list[dict[str, str]]
AnswerFn = Callable[[str, History], Any]  # returns an answer dict (or an object with to_dict(), e.g. Answer)
ReviewText = Callable[[str], str | None]
Progress = Callable[[int, int, str], None]

RETRIEVAL_K = 5
QUESTION_METRICS = (
    "accuracy",
    f"hit@{RETRIEVAL_K}",
    f"recall@{RETRIEVAL_K}",
    "mrr@10",
    "ndcg@10",
    "citation_precision",
    "citation_recall",
    "quotes_verbatim",
    "key_fact_coverage",
    "faithfulness",
    "token_f1",
    "embedding_similarity",
)


@dataclass(frozen=True)
class QuestionRecord:
    """One question's answer, its scores (None = does not apply) and one-line reasons for what went wrong."""

    id: str
    kind: str
    question: str
    answer: str
    abstained: bool
    citations: int
    latency_ms: float
    metrics: dict[str, float | None]
    problems: tuple[str, ...]

    @property
    def correct(self) -> bool:
        return self.metrics["accuracy"] == 1.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "problems": list(self.problems)}


@dataclass(frozen=True)
class EvalResult:
    """Every record of one system's run, with the aggregates overall and per question kind."""

    name: str
    records: tuple[QuestionRecord, ...]
    overall: dict[str, float | None]
    per_kind: dict[str, dict[str, float | None]]

    @property
    def failures(self) -> tuple[QuestionRecord, ...]:
        return tuple(r for r in self.records if r.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "questions": len(self.records),
            "overall": self.overall,
            "per_kind": self.per_kind,
            "records": [r.to_dict() for r in self.records],
        }


def evaluate(
    answer_fn: AnswerFn,
    dataset: Sequence[GoldQuestion],
    *,
    name: str = "casewise",
    review_text: ReviewText | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> EvalResult:
    """Ask every gold question through answer_fn and score the answers.

    review_text(review_id) gives a review's normalised text (quotes are checked against it; without it no
    quote counts as verbatim); embedder enables the embedding similarity to the reference answer.
    """
    texts = review_text or (lambda _rid: None)
    records = []
    for done, gold in enumerate(dataset):
        if progress:
            progress(done, len(dataset), gold.id)
        started = time.perf_counter()
        answer = _as_answer(answer_fn(gold.question, [dict(t) for t in gold.history]), gold.id)
        wall_ms = (time.perf_counter() - started) * 1000
        records.append(score(gold, answer, texts, embedder, wall_ms))
    if progress:
        progress(len(dataset), len(dataset), "")
    kinds = sorted({r.kind for r in records}, key=_kind_order)
    return EvalResult(
        name,
        tuple(records),
        aggregate(records),
        {kind: aggregate([r for r in records if r.kind == kind]) for kind in kinds},
    )


def score(
    gold: GoldQuestion,
    answer: Mapping[str, Any],
    review_text: ReviewText,
    embedder: Embedder | None,
    wall_ms: float = 0.0,
) -> QuestionRecord:
    """Score one answer object against its gold question."""
    text = str(answer.get("answer") or "")
    abstained = bool(answer.get("abstained"))
    citations = list(answer.get("citations") or [])
    retrieved = [str(e.get("text") or "") for e in answer.get("evidence") or []]
    timings = answer.get("timings_ms") or {}
    latency = float(timings["total"]) if isinstance(timings.get("total"), int | float) else wall_ms
    coverage = m.key_fact_coverage(text, gold.key_facts)
    correct = abstained if not gold.answerable else (not abstained and coverage == 1.0)
    metrics: dict[str, float | None] = {
        "accuracy": float(correct),
        f"hit@{RETRIEVAL_K}": m.retrieval_hit(retrieved, gold.evidence, RETRIEVAL_K),
        f"recall@{RETRIEVAL_K}": m.retrieval_recall(retrieved, gold.evidence, RETRIEVAL_K),
        "mrr@10": m.retrieval_mrr(retrieved, gold.evidence, 10),
        "ndcg@10": m.retrieval_ndcg(retrieved, gold.evidence, 10),
        "citation_precision": m.citation_precision(citations, gold.evidence, review_text),
        "citation_recall": m.citation_recall(citations, gold.evidence, review_text),
        "quotes_verbatim": m.quotes_verbatim(citations, review_text),
        "key_fact_coverage": coverage,
        "faithfulness": None if abstained else m.faithfulness(text, citations),
        "token_f1": m.token_f1(text, gold.reference_answer),
        "embedding_similarity": m.embedding_similarity(text, gold.reference_answer, embedder) if embedder else None,
    }
    record = QuestionRecord(
        gold.id, gold.kind, gold.question, text, abstained, len(citations), round(latency, 1), metrics, ()
    )
    return replace(record, problems=diagnose(gold, record, citations, review_text))


def diagnose(
    gold: GoldQuestion,
    record: QuestionRecord,
    citations: Sequence[Mapping[str, Any]],
    review_text: ReviewText,
) -> tuple[str, ...]:
    """One-line reasons for what went wrong on this question (empty when nothing did)."""
    if not gold.answerable:
        return () if record.abstained else ("answered an unanswerable question instead of abstaining",)
    out = []
    s = record.metrics
    if record.abstained:
        out.append("abstained on an answerable question")
    if s[f"hit@{RETRIEVAL_K}"] == 0.0:
        out.append(f"no gold evidence in the top {RETRIEVAL_K} retrieved chunks")
    elif (s[f"recall@{RETRIEVAL_K}"] or 0.0) < 1.0:
        out.append(f"only {s[f'recall@{RETRIEVAL_K}']:.0%} of the evidence groups in the top {RETRIEVAL_K}")
    if not record.abstained:
        cited = set().union(*(m.citation_groups(c, gold.evidence, review_text) for c in citations))
        uncited = [g[0] for i, g in enumerate(gold.evidence) if i not in cited]
        if uncited:
            out.append("no citation covers evidence " + "; ".join(repr(_short(u)) for u in uncited))
        missing = m.key_facts_missing(record.answer, gold.key_facts)
        if missing:
            out.append("answer lacks key fact " + "; ".join(repr(k) for k in missing))
    if (s["quotes_verbatim"] or 1.0) < 1.0:
        out.append("a quote is not verbatim at its offsets")
    if (s["faithfulness"] if s["faithfulness"] is not None else 1.0) < 1.0:
        out.append(f"only {s['faithfulness']:.0%} of the sentences are supported by their cited quotes")
    return tuple(out)


def aggregate(records: Sequence[QuestionRecord]) -> dict[str, float | None]:
    """Means of the per-question metrics (skipping None), abstention precision/recall/rate and latency."""
    out: dict[str, float | None] = {"questions": float(len(records))}
    for name in QUESTION_METRICS:
        values = [v for r in records if (v := r.metrics.get(name)) is not None]
        out[name] = sum(values) / len(values) if values else None
    said = [r.abstained for r in records]
    gold = [r.kind == "unanswerable" for r in records]
    out["abstention_precision"] = m.abstention_precision(said, gold)
    out["abstention_recall"] = m.abstention_recall(said, gold)
    out["abstention_rate"] = sum(said) / len(said) if said else None
    answerable = [r for r in records if r.kind != "unanswerable"]
    out["false_refusal_rate"] = sum(r.abstained for r in answerable) / len(answerable) if answerable else None
    # the length measure: words of each answer that is neither a list nor a refusal
    out["answer_words_p50"] = m.percentile(
        [len(r.answer.split()) for r in records if not r.abstained and r.kind != "list"], 50
    )
    latencies = [r.latency_ms for r in records]
    out["latency_p50_ms"] = m.percentile(latencies, 50)
    out["latency_p95_ms"] = m.percentile(latencies, 95)
    return out


def casewise_answer_fn(casewise: Any) -> AnswerFn:
    """answer_fn for a retriever.pipeline.Casewise: the same call every front end makes."""
    from retriever.models import Turn

    def answer(question: str, history: History) -> dict[str, Any]:
        turns = tuple(Turn(t["role"], t["content"]) for t in history)
        return dict(casewise.ask(question, turns).to_dict())

    return answer


def catalog_texts(catalog: Catalog) -> ReviewText:
    """review_text for the index's reviews (their normalised text, as citations' offsets point into it)."""

    @cache
    def text(review_id: str) -> str | None:
        review = catalog.review(review_id)
        return review.text if review else None

    return text


def _as_answer(value: Any, question_id: str) -> Mapping[str, Any]:
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if not isinstance(value, Mapping) or not isinstance(value.get("answer"), str):
        raise CasewiseError(
            f"the answerer returned {type(value).__name__} for {question_id}; it must return an "
            'answer object with a string "answer" (see evals/README.md)'
        )
    return value


def _kind_order(kind: str) -> tuple[int, str]:
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), kind)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
