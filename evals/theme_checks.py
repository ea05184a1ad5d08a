"""Checks on the theme-tagging figures of evals/theme_tagging.py: are the held-out passages really unseen, how
sure are the figures, and do per-theme or per-section-kind thresholds generalise from review to review.

1. Cue audit: cue phrases that occur in held-out passages and in no calibration passage. Each is either field
   vocabulary that the calibration reviews happen not to use, or a phrase copied from a held-out passage (which
   would make the held-out figures flatter the tagger). Read the list; it decides nothing by itself.
2. Intervals: 95 % bootstrap intervals for the shipped rule's held-out precision and recall, resampling whole
   reviews (the passages of one review are not independent) and, for comparison, single passages.
3. Leave one review out, on the calibration half only: the rule's threshold fit (a) once for all themes, (b) per
   theme (themes with at least three positives in the training reviews; the others keep the global one) and
   (c) per kind of section, each fit on five calibration reviews and scored on the sixth.
4. A supervised probe: per theme, a linear model over the real model's embeddings of the labelled calibration
   passages (each theme's profile one more positive), fit on five calibration reviews and scored on the sixth;
   how well it ranks the passages a cue misses and the ones a cue tags wrongly, against plain similarity; and the
   best rule combining it with the cues, fit on those out-of-review scores and confirmed on the held-out half.

    .venv/bin/python -m evals.theme_checks
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.settings import DEFAULT_MODEL
from evals.theme_tagging import LABELS, Passage, fit_rule, load_labels, precision_recall
from ingest.embedding import Embedder, load_embedder
from ingest.themes import DEFAULT_RULE, DEFAULT_THEMES, TagRule, Theme, ThemeTagger, cue_matrix, load_themes

MIN_POSITIVES = 3  # a per-theme (or per-kind) threshold is fit only on at least this many positives
THRESHOLDS = np.arange(0.0, 1.2, 0.04)
PROBE_L2 = 0.1  # the probe's ridge penalty: best of 0.01-10 by out-of-review average precision on calibration


@dataclass(frozen=True)
class CueSighting:
    """A cue phrase seen in held-out passages only: where, and whether the readers labelled its theme there."""

    theme: str
    cue: str
    heldout_passages: int
    labelled: int  # of those, how many carry the cue's theme


def cue_audit(passages: Sequence[Passage], themes: Sequence[Theme]) -> list[CueSighting]:
    """Cues that occur in at least one held-out passage and in no calibration passage."""
    out = []
    for theme in themes:
        for cue in theme.cues:
            one = Theme(theme.name, "", (cue,))
            hits = [p for p in passages if one.pattern.search(p.text)]
            held = [p for p in hits if p.split == "heldout"]
            if held and len(held) == len(hits):
                out.append(CueSighting(theme.name, cue, len(held), sum(theme.name in p.themes for p in held)))
    return out


def bootstrap_interval(
    pred: np.ndarray, gold: np.ndarray, groups: np.ndarray, rounds: int = 2000, seed: int = 0
) -> tuple[tuple[float, float], tuple[float, float]]:
    """95 % intervals (precision, recall) of micro figures, resampling whole groups (rows sharing a group id)."""
    rng = np.random.default_rng(seed)
    ids = np.unique(groups)
    rows = [np.flatnonzero(groups == g) for g in ids]
    ps, rs = [], []
    for _ in range(rounds):
        take = np.concatenate([rows[i] for i in rng.integers(0, len(ids), len(ids))])
        p, r, _ = precision_recall(pred[take], gold[take])
        ps.append(0.0 if p is None else p)
        rs.append(0.0 if r is None else r)
    return (
        (float(np.percentile(ps, 2.5)), float(np.percentile(ps, 97.5))),
        (float(np.percentile(rs, 2.5)), float(np.percentile(rs, 97.5))),
    )


def _best_threshold(scores: np.ndarray, gold: np.ndarray, default: float) -> float:
    """The threshold with the best F1 on these scores; the default when there are too few positives."""
    if gold.sum() < MIN_POSITIVES:
        return default
    return float(max(THRESHOLDS, key=lambda t: (precision_recall(scores >= t, gold)[2], -abs(t - default))))


def leave_one_review_out(
    scores: np.ndarray, gold: np.ndarray, reviews: np.ndarray, fit: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Predictions for every row, each review's made by thresholds `fit` chose on the other reviews' rows.

    `fit(train_mask)` returns a (rows x themes) threshold matrix for all rows."""
    pred = np.zeros_like(gold)
    for review in np.unique(reviews):
        test = reviews == review
        pred[test] = scores[test] >= fit(~test)[test]
    return pred


def threshold_fits(
    scores: np.ndarray, gold: np.ndarray, kinds: np.ndarray, default: float
) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """The three ways of setting the threshold compared: one for all, one per theme, one per section kind."""
    shape = scores.shape

    def overall(train: np.ndarray) -> np.ndarray:
        return np.full(shape, _best_threshold(scores[train].ravel(), gold[train].ravel(), default))

    def per_theme(train: np.ndarray) -> np.ndarray:
        base = overall(train)[0, 0]
        return np.tile(
            [_best_threshold(scores[train, j], gold[train, j], base) for j in range(shape[1])], (shape[0], 1)
        )

    def per_kind(train: np.ndarray) -> np.ndarray:
        out = overall(train)
        for kind in np.unique(kinds):
            rows = train & (kinds == kind)
            out[kinds == kind] = _best_threshold(scores[rows].ravel(), gold[rows].ravel(), out[0, 0])
        return out

    return {"one threshold": overall, "per theme": per_theme, "per section kind": per_kind}


def fit_probe(vectors: np.ndarray, gold: np.ndarray, profiles: np.ndarray, l2: float = PROBE_L2) -> np.ndarray:
    """Per-theme linear probe: ridge regression of 0/1 labels on the embeddings (plus a bias), each theme's
    profile vector counting as one more positive of its theme; (dimension + 1) x themes weights."""
    x = np.hstack([np.vstack([vectors, profiles]), np.ones((len(vectors) + len(profiles), 1))])
    y = np.vstack([gold, np.eye(len(profiles), dtype=bool)]).astype(np.float64)
    return np.linalg.solve(x.T @ x + l2 * np.eye(x.shape[1]), x.T @ y)


def probe_scores(weights: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """(texts x themes) probe outputs (about 1 for a theme's passages, about 0 for others)."""
    return np.hstack([vectors, np.ones((len(vectors), 1))]) @ weights


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    """Mean precision at each positive when the rows are ranked by score (0 when nothing is positive)."""
    ranked = gold[np.argsort(-scores, kind="stable")]
    if not ranked.any():
        return 0.0
    return float((np.cumsum(ranked) / np.arange(1, len(ranked) + 1))[ranked].mean())


def probe_report(
    vectors: np.ndarray,
    profiles: np.ndarray,
    sims: np.ndarray,
    cues: np.ndarray,
    gold: np.ndarray,
    reviews: np.ndarray,
    held: np.ndarray,
) -> list[str]:
    """Section 4: the probe scored leaving one calibration review out, then fit on all six and tried held out."""
    cal = ~held
    oof = np.zeros(gold.shape)
    for review in np.unique(reviews[cal]):
        test = cal & (reviews == review)
        train = cal & ~test
        oof[test] = probe_scores(fit_probe(vectors[train], gold[train], profiles), vectors[test])
    c, g = cues[cal], gold[cal]
    lines = ["", "## A supervised probe over the embeddings (leave one calibration review out)", ""]
    for label, rows in (("pairs with no cue (what it could add)", ~c), ("pairs with a cue (what it could drop)", c)):
        lines.append(
            f"- {label}: {100 * g[rows].mean():.1f} % positive; average precision similarity "
            f"{average_precision(sims[cal][rows], g[rows]):.3f}, probe {average_precision(oof[cal][rows], g[rows]):.3f}"
        )
    rule = fit_rule(oof[cal], c, g)
    p, r, _ = precision_recall(rule.scores(oof[cal], c) >= rule.threshold, g)
    probe = probe_scores(fit_probe(vectors[cal], g, profiles), vectors[held])
    hp, hr, _ = precision_recall(rule.scores(probe, cues[held]) >= rule.threshold, gold[held])
    lines.append(
        f"- probe + {rule.cue_bonus:.2f} x cue >= {rule.threshold:.2f} (fit on those scores): calibration "
        f"precision {p or 0:.2f}, recall {r or 0:.2f}; held out (probe fit on all six) precision {hp or 0:.2f}, "
        f"recall {hr or 0:.2f}"
    )
    return lines


def report(passages: Sequence[Passage], themes: Sequence[Theme], embedder: Embedder, rule: TagRule) -> str:
    """The audit, the held-out intervals, the leave-one-review-out comparison and the probe, as text."""
    tagger = ThemeTagger(themes, embedder, rule)
    gold = np.array([[t.name in p.themes for t in themes] for p in passages], dtype=bool)
    vectors = embedder.encode([p.embed_text for p in passages])
    sims = tagger.similarities(vectors)
    cues = cue_matrix([p.text for p in passages], themes)
    scores = rule.scores(sims, cues)
    reviews = np.array([p.id.rsplit(":", 1)[0] for p in passages])
    held = np.array([p.split == "heldout" for p in passages])
    lines = ["## Cues seen only in held-out passages (field vocabulary, or copied from them?)", ""]
    lines += [
        f"- {s.theme}: {s.cue!r} in {s.heldout_passages} ({s.labelled} labelled)" for s in cue_audit(passages, themes)
    ]
    pred = scores >= rule.threshold
    p, r, _ = precision_recall(pred[held], gold[held])
    lines += [
        "",
        f"## Held out: {int(held.sum())} passages, {len(set(reviews[held]))} reviews, {int(gold[held].sum())} labels",
    ]
    lines.append(f"shipped rule: precision {p:.2f}, recall {r:.2f}")
    for name, groups in (("reviews", reviews[held]), ("passages", np.arange(int(held.sum())))):
        (p_lo, p_hi), (r_lo, r_hi) = bootstrap_interval(pred[held], gold[held], groups)
        lines.append(f"95 % interval resampling {name}: precision {p_lo:.2f}-{p_hi:.2f}, recall {r_lo:.2f}-{r_hi:.2f}")
    cal = ~held
    kinds = np.array([p.section_kind for p in passages])
    lines += ["", "## Leave one calibration review out (thresholds fit on the other five)", ""]
    for name, fit in threshold_fits(scores[cal], gold[cal], kinds[cal], rule.threshold).items():
        pred_cv = leave_one_review_out(scores[cal], gold[cal], reviews[cal], fit)
        p, r, f1 = precision_recall(pred_cv, gold[cal])
        lines.append(f"- {name}: precision {p or 0:.2f}, recall {r or 0:.2f}, F1 {f1:.3f}")
    lines += probe_report(vectors, tagger.profiles(), sims, cues, gold, reviews, held)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--themes", type=Path, default=DEFAULT_THEMES)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    themes = load_themes(args.themes)
    print(report(load_labels(args.labels, themes), themes, load_embedder(args.model), DEFAULT_RULE))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
