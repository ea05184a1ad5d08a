"""The abstention thresholds' calibration script: the thresholds it proposes sit between the answerable and the
unanswerable questions of the gold file, within the false-refusal cap, and it scores a gold file on the index of
its own corpus (the reviews/ folder beside it), as `casewise eval` does."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from evals import calibrate_abstention
from evals.calibrate_abstention import GRID, Row, sweep


def _row(qid: str, answerable: bool, best: float, telling: bool = False) -> Row:
    return Row(qid, answerable, None, best, telling, False, "", False)


def test_the_floor_sits_midway_between_the_unanswerable_and_the_answerable() -> None:
    rows = [_row("a1", True, 0.62), _row("a2", True, 0.70), _row("u1", False, 0.41), _row("u2", False, 0.36)]
    floor, _, _, right, wrong = sweep(rows)
    assert (right, wrong) == (2, 0)
    assert 0.41 < floor <= 0.62 and abs(floor - (0.42 + 0.62) / 2) <= 0.01  # the middle of the range that works


def test_no_threshold_refuses_more_answerable_questions_than_the_cap_allows() -> None:
    """One unanswerable question scores above an answerable one: refusing it would refuse the answerable one too
    (1 of 2 answerable, over the 2% cap), so it is answered."""
    rows = [_row("a1", True, 0.50), _row("a2", True, 0.80), _row("u1", False, 0.60), _row("u2", False, 0.35)]
    floor, _, _, right, wrong = sweep(rows)
    assert (right, wrong) == (1, 0) and 0.35 < floor <= 0.50


def test_a_question_with_a_telling_gap_gets_its_own_higher_threshold() -> None:
    """An unanswerable question whose words some reviews use and its review does not is refused at a higher
    score than the floor, without refusing an answerable question that has no such gap."""
    rows = [_row("a1", True, 0.55), _row("u1", False, 0.60, telling=True), _row("u2", False, 0.40)]
    floor, telling, _, right, wrong = sweep(rows)
    assert (right, wrong) == (2, 0) and floor <= 0.55 < 0.60 < telling and telling in GRID


@pytest.mark.integration
def test_the_script_scores_a_gold_file_on_its_own_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], real_embedder
) -> None:  # type: ignore[no-untyped-def]
    reviews = tmp_path / "set" / "reviews"
    reviews.mkdir(parents=True)
    (reviews / "child-heron-rapid-review.md").write_text(
        "# Rapid Review: Child Heron\n\n## Background\n\nChild Heron, aged six, was found alone at home in May 2024."
        " Her mother had been taken to hospital the night before.\n\n## Recommendations\n\n1. Schools should call"
        " home on the first day a child known to children's social care is absent.\n",
        encoding="utf-8",
    )
    gold = tmp_path / "set" / "gold.jsonl"
    questions = [
        ("q1", "How old was Child Heron when she was found?", "factual"),
        ("q2", "Who had been taken to hospital?", "paraphrase"),
        ("q3", "What did Child Heron's swimming coach report?", "unanswerable"),
    ]
    gold.write_text("".join(json.dumps({"id": i, "question": q, "kind": k}) + "\n" for i, q, k in questions))
    monkeypatch.setenv("CASEWISE_HOME", str(tmp_path / "home"))  # holds no index: the script builds the set's own
    monkeypatch.setattr(calibrate_abstention, "load_embedder", lambda _name: real_embedder)
    monkeypatch.setattr(sys, "argv", ["calibrate_abstention", str(gold)])
    calibrate_abstention.main()
    printed = capsys.readouterr().out.splitlines()
    assert sorted(line.split("\t")[0] for line in printed[:-1]) == ["q1", "q2", "q3"]
    assert printed[-1].startswith("MIN_SUPPORT ") and "unanswerable" in printed[-1]
    assert (tmp_path / "home" / "eval").is_dir()  # the gold file's corpus was indexed beside the configured home
