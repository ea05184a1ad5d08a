"""Calibrate the answer policy's thresholds on a gold set (tune on the dev corpus's gold.jsonl, never the holdout).

Run: python -m evals.calibrate_abstention evals/corpus-dev/gold.jsonl  (uses the index in CASEWISE_HOME)
For each question it prints what the policy decides on (best passage score, question words the relevant reviews
never use, a refusal by name); then, over a grid of the two support thresholds, how many unanswerable questions
are refused and how many answerable ones would be refused wrongly, and the pair that does best.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings
from evals.gold_index import index_for
from ingest.embedding import load_embedder
from retriever.abstention import Scope, absent_themes, refuse_on_evidence
from retriever.models import Turn
from retriever.pipeline import Casewise

GRID = [round(0.30 + 0.01 * i, 2) for i in range(41)]  # 0.30 .. 0.70
MAX_FALSE_REFUSALS = 0.02  # of answerable questions


@dataclass(frozen=True)
class Row:
    qid: str
    answerable: bool
    fixed: bool | None  # decided whatever the thresholds: refused by name (True) or answered as a list (False)
    best: float
    telling: bool
    unknown: bool
    gaps: str
    other: bool  # refused for a reason the thresholds do not change (fact type, premise, absent theme)


def assess_all(casewise: Casewise, rows: list[dict]) -> list[Row]:
    out = []
    for row in rows:
        history = tuple(Turn(t["role"], t["content"]) for t in row.get("history") or [])
        found = casewise.assess(row["question"], history)
        fixed = False if found.lists else True if found.refusal is not None and not found.scored else None
        gaps = found.gaps
        quotes = [c.quote for c in found.offline.citations] if found.offline else []
        passages = [hit.chunk.text for hit in found.evidence]
        strongest = refuse_on_evidence(found.question, math.inf, quotes, gaps, Scope("", False), passages)
        absent = absent_themes(found.standalone, casewise.themes, casewise.catalog, casewise.vocabulary.uses)
        other = strongest is not None or bool(absent)
        listed = f"{'; '.join(gaps.telling)} | {'; '.join(gaps.unknown)}"
        answerable = row["kind"] != "unanswerable"
        out.append(Row(row["id"], answerable, fixed, found.best, bool(gaps.telling), bool(gaps.unknown), listed, other))
    return out


def decide(row: Row, floor: float, telling: float, unknown: float) -> bool:
    """Whether the policy refuses the question at these thresholds."""
    if row.fixed is not None:
        return row.fixed
    return row.other or row.best < floor or (row.telling and row.best < telling) or (row.unknown and row.best < unknown)


def sweep(rows: list[Row]) -> tuple[float, float, float, int, int]:
    """(floor, telling-gap floor, unknown-word floor, unanswerable refused, answerable refused) of the best
    thresholds within the false-refusal cap; ties go to the lowest thresholds (fewest refusals of unseen text)."""
    answerable = sum(r.answerable for r in rows)
    best: tuple[float, float, float, int, int] | None = None
    for floor in GRID:
        for telling in (g for g in GRID if g >= floor):
            for unknown in (g for g in GRID if g >= floor):
                refused = [decide(r, floor, telling, unknown) for r in rows]
                right = sum(x and not r.answerable for x, r in zip(refused, rows, strict=True))
                wrong = sum(x and r.answerable for x, r in zip(refused, rows, strict=True))
                if wrong > MAX_FALSE_REFUSALS * answerable:
                    continue
                if best is None or (right, -wrong) > (best[3], -best[4]):
                    best = (floor, telling, unknown, right, wrong)
    if best is None:
        return GRID[0], GRID[0], GRID[0], 0, 0
    return (*_centred(rows, best), best[3], best[4])


def _centred(rows: list[Row], best: tuple[float, float, float, int, int]) -> tuple[float, float, float]:
    """Each threshold moved to the middle of the range over which the outcome stays the same (the others fixed),
    so it sits between the calibration questions rather than against one of them."""
    chosen = list(best[:3])
    for i in range(3):
        same = []
        for value in GRID:
            trial = list(chosen)
            trial[i] = value
            refused = [decide(r, *trial) for r in rows]
            outcome = (
                sum(x and not r.answerable for x, r in zip(refused, rows, strict=True)),
                sum(x and r.answerable for x, r in zip(refused, rows, strict=True)),
            )
            if outcome == (best[3], best[4]):
                same.append(value)
        chosen[i] = round((min(same) + max(same)) / 2, 2) if same else chosen[i]
    return chosen[0], chosen[1], chosen[2]


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "evals/corpus-dev/gold.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    settings = Settings.from_env()
    embedder = load_embedder(settings.embedding_model)
    settings, failed = index_for(path, settings, embedder)  # the gold file's own corpus, as `casewise eval` scores it
    for message in failed:
        print(f"calibrate: {message}", file=sys.stderr)
    results = assess_all(Casewise.open(settings, embedder), rows)
    for r in sorted(results, key=lambda r: r.best):
        label = "answerable" if r.answerable else "UNANSWERABLE"
        decided = "" if r.fixed is None else "fixed"
        print(f"{r.qid}\t{label}\t{r.best:.3f}\t{decided}\t{'other' if r.other else ''}\t{r.gaps}")
    floor, telling, unknown, right, wrong = sweep(results)
    unanswerable = sum(not r.answerable for r in results)
    print(
        f"MIN_SUPPORT {floor:.2f}, MIN_SUPPORT_WITH_GAP {telling:.2f}, MIN_SUPPORT_UNKNOWN_WORD {unknown:.2f}: "
        f"refuses {right}/{unanswerable} unanswerable, {wrong} answerable wrongly"
    )


if __name__ == "__main__":
    main()
