"""How well chunks are tagged with themes: cue phrases only, embedding similarity only, and both combined.

Scores every passage of evals/theme_labels_dev.jsonl (the chunks of the twelve dev-corpus reviews, cut by the
real pipeline, each labelled by hand with the themes it is really about, "none" included) and prints precision
and recall per theme and overall, the two halves side by side. The halves are split by review: the
`calibration` half (six reviews) is where cue phrases were checked and thresholds set; the `heldout` half (the
other six) was never used to set anything, so its figures are the honest ones. Per theme, only the calibration
half is printed unless asked: whoever changes cues or rules reads the held-out half overall, never theme by theme.
`--labels evals/theme_labels.jsonl` scores the older sample (seed chunks and written passages) the same way.

    .venv/bin/python -m evals.theme_tagging            # the table, with the shipped rule (ingest/themes.py)
    .venv/bin/python -m evals.theme_tagging --heldout-rows  # also the held-out half per theme (not while tuning)
    .venv/bin/python -m evals.theme_tagging --fit      # also search the rule's two numbers on the calibration half
    .venv/bin/python -m evals.theme_tagging --sentences  # also the sentence-level variant (not at ingest)
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import CasewiseError
from core.settings import DEFAULT_MODEL
from ingest.embedding import Embedder, load_embedder
from ingest.kinds import is_reference_matter
from ingest.themes import (
    DEFAULT_RULE,
    DEFAULT_THEMES,
    TagRule,
    Theme,
    ThemeTagger,
    cue_matrix,
    load_themes,
)

LABELS = Path(__file__).with_name("theme_labels_dev.jsonl")
SPLITS = ("calibration", "heldout")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"'(])|\n+")


@dataclass(frozen=True)
class Passage:
    """One hand-labelled passage: the text as indexed (title and section make up its embedded form)."""

    id: str
    split: str
    review_title: str
    section: str
    text: str
    themes: frozenset[str]
    section_kind: str = ""  # as the pipeline classified the section (the older sample has none)

    @property
    def embed_text(self) -> str:
        return f"{self.review_title}. {self.section}.\n{self.text}"  # as ingest/chunking.py builds it (heading trail)


def load_labels(path: Path, themes: Sequence[Theme]) -> list[Passage]:
    """The labelled passages; a label that names no theme of the taxonomy is an error (a typo would hide)."""
    known = {t.name for t in themes}
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            passage = Passage(
                row["id"],
                row["split"],
                row["review_title"],
                row["section"],
                row["text"],
                frozenset(row["themes"]),
                row.get("section_kind", ""),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CasewiseError(
                f"{path}, line {number}: {exc}; each line needs id, split, review_title, section, text and themes"
            ) from exc
        unknown = passage.themes - known
        if unknown or passage.split not in SPLITS:
            raise CasewiseError(
                f"{path}, line {number}: unknown theme(s) {sorted(unknown)} or split "
                f"{passage.split!r}; use themes from the taxonomy and a split in {SPLITS}"
            )
        out.append(passage)
    return out


def counts(pred: np.ndarray, gold: np.ndarray) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives)."""
    return int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())


def precision_recall(pred: np.ndarray, gold: np.ndarray) -> tuple[float | None, float | None, float]:
    """Precision (None when nothing was predicted), recall (None when nothing is gold) and F1."""
    tp, fp, fn = counts(pred, gold)
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return p, r, f1


def fit_rule(sims: np.ndarray, cues: np.ndarray, gold: np.ndarray) -> TagRule:
    """The (threshold, cue bonus) with the best micro-F1; ties: higher threshold, then lower bonus."""
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for threshold in np.arange(0.20, 0.90, 0.02):
        for bonus in np.arange(0.0, 0.62, 0.04):
            rule = TagRule(round(float(threshold), 2), round(float(bonus), 2))
            f1 = precision_recall(rule.scores(sims, cues) >= rule.threshold, gold)[2]
            if (f1, rule.threshold, -rule.cue_bonus) > (best[0], best[1], -best[2]):
                best = (f1, rule.threshold, rule.cue_bonus)
    return TagRule(best[1], best[2])


def fit_embedding_threshold(sims: np.ndarray, gold: np.ndarray) -> float:
    """The similarity threshold with the best micro-F1 for embedding similarity alone."""
    grid = [round(float(t), 2) for t in np.arange(0.10, 0.80, 0.01)]
    return max(grid, key=lambda t: precision_recall(sims >= t, gold)[2])


def sentence_similarities(tagger: ThemeTagger, passages: Sequence[Passage]) -> np.ndarray:
    """Each passage's best sentence or bullet against each theme (costs a second encoding pass at ingest)."""
    rows = []
    for p in passages:
        parts = [s.strip(" -•*") for s in _SENTENCE.split(p.text) if len(s.strip(" -•*")) > 3] or [p.text]
        rows.append(tagger.similarities(tagger.embedder.encode(parts)).max(axis=0))
    return np.array(rows)


def _fmt(value: float | None) -> str:
    return "  –  " if value is None else f"{value:5.2f}"


@dataclass(frozen=True)
class Run:
    """Every method's predictions on the labelled passages, with the thresholds they used."""

    gold: np.ndarray  # (passages x themes) booleans
    calibration: np.ndarray  # which passages are in the calibration half
    preds: dict[str, np.ndarray]
    embedding_threshold: float
    rule: TagRule

    def mask(self, split: str) -> np.ndarray:
        """Which passages are in "calibration", "heldout" or "all"."""
        return (
            self.calibration
            if split == "calibration"
            else ~self.calibration
            if split == "heldout"
            else np.ones_like(self.calibration)
        )

    def scores(self, method: str, split: str) -> tuple[float | None, float | None, float]:
        """Micro precision, recall and F1 of a method on a half (or "all")."""
        mask = self.mask(split)
        return precision_recall(self.preds[method][mask], self.gold[mask])

    def f1(self, method: str, split: str) -> float:
        """Micro-F1 of a method on "calibration", "heldout" or "all"."""
        return self.scores(method, split)[2]


def run_methods(
    passages: Sequence[Passage],
    themes: Sequence[Theme],
    embedder: Embedder,
    fit: bool = False,
    sentences: bool = False,
) -> Run:
    """Cue-only, embedding-only (threshold fit on calibration) and combined (the shipped rule, or one fit on
    calibration)."""
    tagger = ThemeTagger(themes, embedder)
    gold = np.array([[t.name in p.themes for t in themes] for p in passages], dtype=bool)
    sims = tagger.similarities(embedder.encode([p.embed_text for p in passages]))
    cues = cue_matrix([p.text for p in passages], themes)
    cal = np.array([p.split == "calibration" for p in passages])
    emb_threshold = fit_embedding_threshold(sims[cal], gold[cal])
    rule = fit_rule(sims[cal], cues[cal], gold[cal]) if fit else DEFAULT_RULE
    taggable = np.array([[not is_reference_matter(p.section.split(" > "))] for p in passages])  # as the tagger
    preds = {
        "cue": cues,
        "embedding": sims >= emb_threshold,
        "combined": (rule.scores(sims, cues) >= rule.threshold) & taggable,
    }
    if sentences:
        sent = sentence_similarities(tagger, passages)
        sent_rule = fit_rule(sent[cal], cues[cal], gold[cal])
        preds["combined, sentences"] = sent_rule.scores(sent, cues) >= sent_rule.threshold
    return Run(gold, cal, preds, emb_threshold, rule)


def report(
    passages: Sequence[Passage],
    themes: Sequence[Theme],
    embedder: Embedder,
    fit: bool = False,
    sentences: bool = False,
    heldout_rows: bool = False,
) -> str:
    """Markdown tables: the shipped (or fitted) rule per theme on the calibration half (and the held-out half beside
    it when asked), then every method overall per half."""
    run = run_methods(passages, themes, embedder, fit, sentences)
    gold, cal, rule = run.gold, run.calibration, run.rule
    halves = (cal, ~cal) if heldout_rows else (cal,)
    lines = [
        f"{len(passages)} labelled passages ({int(cal.sum())} calibration, {int((~cal).sum())} held out; split by "
        f"review), {len(themes)} themes, model {embedder.name}",
        f"embedding-only threshold {run.embedding_threshold:.2f} (fit on calibration); combined rule: similarity + "
        f"{rule.cue_bonus:.2f} x cue >= {rule.threshold:.2f} ({'fit on calibration now' if fit else 'as shipped'})",
        "",
        f"| {'theme (combined rule)':<46} | cal pos | cal P / R   |" + (" held pos | held P / R  |" * heldout_rows),
        f"|{'-' * 48}|---------|-------------|" + ("----------|-------------|" * heldout_rows),
    ]
    combined = run.preds["combined"]
    for j, theme in enumerate(themes):
        cells = []
        for mask in halves:
            p, r, _ = precision_recall(combined[mask][:, j], gold[mask][:, j])
            cells += [f"{int(gold[mask][:, j].sum()):>7}", f"{_fmt(p)} {_fmt(r)}"]
        held = f" {cells[2]:>8} | {cells[3]} |" if heldout_rows else ""
        lines.append(f"| {theme.name:<46} | {cells[0]} | {cells[1]} |{held}")
    lines += [
        "",
        f"| {'overall (micro)':<22} | {'calibration P / R / F1':^24} | {'held out P / R / F1':^24} |",
        f"|{'-' * 24}|{'-' * 26}|{'-' * 26}|",
    ]
    for method in run.preds:
        cells = [" / ".join(_fmt(v) for v in run.scores(method, split)) for split in ("calibration", "heldout")]
        lines.append(f"| {method:<22} | {cells[0]:^24} | {cells[1]:^24} |")
    lines.append(
        "macro-F1 over themes with positives (all): "
        + ", ".join(f"{m} {_macro_f1(p, gold):.3f}" for m, p in run.preds.items())
    )
    return "\n".join(lines)


def _macro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    scores = [precision_recall(pred[:, j], gold[:, j])[2] for j in range(gold.shape[1]) if gold[:, j].any()]
    return float(np.mean(scores)) if scores else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--themes", type=Path, default=DEFAULT_THEMES)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--fit", action="store_true", help="fit the combined rule on the calibration half")
    parser.add_argument("--sentences", action="store_true", help="add the sentence-level variant")
    parser.add_argument("--heldout-rows", action="store_true", help="print the held-out half per theme too")
    args = parser.parse_args(argv)
    themes = load_themes(args.themes)
    passages = load_labels(args.labels, themes)
    print(report(passages, themes, load_embedder(args.model), args.fit, args.sentences, args.heldout_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
