"""Score floors on the seed gold set: Casewise (real model, seed corpus, extractive answerer) must not
get worse.

Floors sit a little below the values measured when they were set (in the comments); raise them as the
pipeline improves, never above what it achieves. `pytest -m eval -rA` prints the measured values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from core.settings import Settings
from evals.gold import load_gold
from evals.harness import EvalResult, casewise_answer_fn, catalog_texts, evaluate
from ingest.catalog import Catalog
from retriever.pipeline import Casewise

pytestmark = pytest.mark.eval

SEED_GOLD = ROOT / "evals" / "gold_seed.jsonl"
FLOORS = {
    "hit@5": 0.97,  # measured 1.0 over the 74 answerable questions; allows two misses
    "citation_recall": 0.85,  # measured 0.885
    "quotes_verbatim": 1.0,  # measured 1.0; every quote must be verbatim, always
    "key_fact_coverage": 0.85,  # measured 0.885
    "abstention_precision": 0.90,  # measured 1.0 (15 abstentions, all on unanswerable questions)
    "abstention_recall": 0.90,  # measured 1.0 (15 of 15); allows one miss
    "faithfulness": 0.95,  # measured 1.0: the extractive answer only quotes; an LLM answerer scores lower
}


@pytest.fixture(scope="session")
def seed_home(seed_index: Path) -> Settings:
    """The settings of the seed corpus's index (built once with the real model)."""
    return Settings.from_env(env={}, home=seed_index)


@pytest.fixture(scope="session")
def seed_result(seed_home: Settings, real_embedder) -> EvalResult:  # type: ignore[no-untyped-def]
    casewise = Casewise.open(seed_home, real_embedder)
    return evaluate(
        casewise_answer_fn(casewise),
        load_gold(SEED_GOLD),
        name="casewise",
        review_text=catalog_texts(Catalog(seed_home.db_path)),
        embedder=real_embedder,
    )


@pytest.mark.parametrize("metric", list(FLOORS))
def test_floor(seed_result: EvalResult, metric: str) -> None:
    measured = seed_result.overall[metric]
    failing = ", ".join(r.id for r in seed_result.failures)
    assert measured is not None and measured >= FLOORS[metric], (
        f"{metric} = {measured} is below its floor {FLOORS[metric]}; questions with problems: {failing}"
    )


def test_report_measured_values(seed_result: EvalResult) -> None:
    """Not a check: prints the measured values and the questions with problems (shown with -rA)."""
    print("measured on the seed gold set:")
    for name, value in seed_result.overall.items():
        print(f"  {name:24} {value}")
    for record in seed_result.failures:
        print(f"  {record.id} ({record.kind}): {'; '.join(record.problems)}")
