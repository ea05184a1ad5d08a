"""Calibrate the abstention thresholds on a gold set: the best-sentence score of answerable vs unanswerable.

Run: python -m evals.calibrate_abstention [evals/gold_seed.jsonl]  (uses the index in CASEWISE_HOME)
Prints each question's best support score and the thresholds that separate the two groups best.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ingest.settings import Settings
from retriever.grounding import check_names
from retriever.models import SearchFilter, Turn
from retriever.pipeline import ANSWER_FROM, EVIDENCE_K, Casewise, _focus


def support_scores(casewise: Casewise, rows: list[dict]) -> list[tuple[str, bool, bool, float]]:
    """(id, answerable, names unknown to the corpus, best unit score) per question."""
    subjects = {rid: m.subject for rid, m in casewise.catalog.review_index().items() if m.subject}
    out = []
    for row in rows:
        history = tuple(Turn(t["role"], t["content"]) for t in row.get("history") or [])
        question = casewise._standalone(row["question"], history, list(subjects.values()), [])
        grounding = check_names(question, list(subjects.values()), casewise.catalog)
        if grounding.reason:
            continue  # decided by name, not by score
        hits = casewise.searcher.search(question, k=EVIDENCE_K, filters=_focus(SearchFilter(), question, subjects))
        scored = casewise.scorer.score(question, hits[:ANSWER_FROM])
        best = scored[0].score if scored else 0.0
        out.append((row["id"], row["kind"] != "unanswerable", bool(grounding.unknown_names), best))
    return out


def best_threshold(scores: list[tuple[bool, float]]) -> tuple[float, int]:
    """The threshold (midpoint between neighbouring scores) that classifies the most questions correctly."""
    values = sorted({s for _, s in scores})
    candidates = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or values
    best = max(candidates, key=lambda t: (sum((s >= t) == ok for ok, s in scores), -abs(t - 0.45)))
    return best, sum((s >= best) == ok for ok, s in scores)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "evals/gold_seed.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    casewise = Casewise.open(Settings.from_env())
    results = support_scores(casewise, rows)
    for qid, answerable, unknown, best in sorted(results, key=lambda r: r[3]):
        print(
            f"{qid}\t{'answerable' if answerable else 'UNANSWERABLE'}\t{'unknown-name' if unknown else ''}\t{best:.3f}"
        )
    for label, subset in (
        ("all names known", [r for r in results if not r[2]]),
        ("unknown names", [r for r in results if r[2]]),
    ):
        if subset:
            threshold, correct = best_threshold([(r[1], r[3]) for r in subset])
            print(f"{label}: threshold {threshold:.3f} classifies {correct}/{len(subset)}")


if __name__ == "__main__":
    main()
