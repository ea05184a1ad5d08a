"""The checks on the theme-tagging figures (evals/theme_checks.py): the cue audit, the intervals and the
leave-one-review-out comparison, on hand-made passages."""

from __future__ import annotations

import numpy as np
from conftest import HashingEmbedder

from evals.theme_checks import (
    average_precision,
    bootstrap_interval,
    cue_audit,
    fit_probe,
    leave_one_review_out,
    probe_scores,
    threshold_fits,
)
from evals.theme_tagging import Passage, report
from ingest.themes import Theme

KNIFE = Theme("serious youth violence", "Violence by and against young people.", ("knife", "trap house"))


def passage(pid: str, split: str, text: str, *themes: str) -> Passage:
    return Passage(pid, split, "Review", "Findings", text, frozenset(themes), "findings")


def test_the_audit_names_cues_seen_only_in_held_out_passages() -> None:
    passages = [
        passage("a:1", "calibration", "A knife was found in his bag.", KNIFE.name),
        passage("b:1", "heldout", "Police raided a trap house and found a knife.", KNIFE.name),
        passage("b:2", "heldout", "The trap house was mentioned in a later report."),
    ]
    sightings = cue_audit(passages, [KNIFE])
    assert [(s.cue, s.heldout_passages, s.labelled) for s in sightings] == [("trap house", 2, 1)]


def test_intervals_hold_the_figure_and_widen_when_reviews_disagree() -> None:
    gold = np.ones((8, 1), dtype=bool)
    perfect = bootstrap_interval(gold.copy(), gold, np.repeat(np.arange(4), 2))
    assert perfect == ((1.0, 1.0), (1.0, 1.0))
    pred = np.array([[True], [True], [True], [True], [False], [False], [True], [False]])
    _, (low, high) = bootstrap_interval(pred, gold, np.repeat(np.arange(4), 2))
    assert low < 5 / 8 < high  # recall 5/8 overall; one review finds nothing, another everything


def test_each_review_is_scored_with_thresholds_fit_on_the_others_only() -> None:
    reviews = np.array(["a", "a", "b", "b", "c", "c"])
    scores = np.array([[0.9], [0.2], [0.6], [0.1], [0.7], [0.3]])
    gold = np.array([[True], [False], [True], [False], [True], [False]])
    seen: list[np.ndarray] = []

    def fit(train: np.ndarray) -> np.ndarray:
        seen.append(train.copy())
        return np.full(scores.shape, 0.5)

    pred = leave_one_review_out(scores, gold, reviews, fit)
    assert pred.tolist() == gold.tolist()
    assert [sorted(set(reviews[t])) for t in seen] == [["b", "c"], ["a", "c"], ["a", "b"]]


def test_a_per_theme_threshold_follows_its_theme_and_a_rare_theme_keeps_the_overall_one() -> None:
    # theme 0 separates at 0.6, theme 1 has too few positives to fit its own threshold
    scores = np.array([[0.9, 0.9], [0.7, 0.1], [0.65, 0.2], [0.3, 0.1], [0.2, 0.3], [0.1, 0.2]])
    gold = np.array([[True, True], [True, False], [True, False], [False, False], [False, False], [False, False]])
    fits = threshold_fits(scores, gold, np.array(["findings"] * 6), default=0.5)
    thresholds = fits["per theme"](np.ones(6, dtype=bool))[0]
    assert 0.3 < thresholds[0] <= 0.65
    assert thresholds[1] == fits["one threshold"](np.ones(6, dtype=bool))[0, 0]


def test_average_precision_rewards_positives_ranked_first() -> None:
    gold = np.array([True, False, True, False])
    assert average_precision(np.array([0.9, 0.1, 0.8, 0.2]), gold) == 1.0
    assert average_precision(np.array([0.9, 0.8, 0.1, 0.2]), gold) == (1 + 2 / 4) / 2  # second positive ranked last
    assert average_precision(np.array([0.5, 0.5]), np.array([False, False])) == 0.0


def test_the_probe_learns_a_theme_from_its_passages_and_knows_an_unlabelled_theme_by_its_profile() -> None:
    # three themes along three axes; passages labelled only with the first two, the third known by its profile
    axes = np.eye(4)[:3]
    passages = np.array([[1, 0, 0, 0.3], [0.9, 0.1, 0, 0.2], [0, 1, 0, 0.3], [0.1, 0.9, 0, 0.1], [0, 0, 0, 1]])
    gold = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 0]], dtype=bool)
    weights = fit_probe(passages, gold, axes, l2=0.1)
    new = probe_scores(weights, np.array([[0.95, 0.05, 0, 0.2], [0, 0, 1, 0.2]]))
    assert new[0].argmax() == 0  # like the first theme's passages
    assert new[1].argmax() == 2  # like nothing labelled, but close to the third theme's profile


def test_the_tagging_table_shows_the_held_out_half_theme_by_theme_only_when_asked() -> None:
    passages = [
        passage("a:1", "calibration", "A knife was found in his bag.", KNIFE.name),
        passage("b:1", "heldout", "He was stabbed with a knife.", KNIFE.name),
    ]
    plain = report(passages, [KNIFE], HashingEmbedder())
    assert "cal P / R" in plain and "held P / R" not in plain  # per theme: calibration only
    assert "held out P / R / F1" in plain  # overall: both halves
    assert "held P / R" in report(passages, [KNIFE], HashingEmbedder(), heldout_rows=True)
