"""Scores the support check's contradiction and entailment step on evals/entailment_labels.jsonl.

Run: python -m evals.entailment_eval. "Removed" (contradicted or unsupported) is the positive class.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from retriever.entailment import judge

LABELS = Path(__file__).with_name("entailment_labels.jsonl")


def score(path: Path = LABELS) -> dict[str, float]:
    """Precision and recall of removal, and the share of rows given exactly their label."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = Counter((row["label"], judge(row["sentence"], row["passage"]).label) for row in rows)
    removed = {"contradicted", "unsupported"}
    true_pos = sum(n for (gold, got), n in pairs.items() if gold in removed and got in removed)
    predicted = sum(n for (_, got), n in pairs.items() if got in removed)
    actual = sum(n for (gold, _), n in pairs.items() if gold in removed)
    return {
        "rows": float(len(rows)),
        "precision": true_pos / predicted if predicted else 0.0,
        "recall": true_pos / actual if actual else 0.0,
        "exact": sum(n for (gold, got), n in pairs.items() if gold == got) / len(rows),
        **{f"{gold}->{got}": float(n) for (gold, got), n in sorted(pairs.items())},
    }


if __name__ == "__main__":
    for key, value in score().items():
        print(f"{key:30} {value:.3f}" if value < 1.5 and "->" not in key else f"{key:30} {value:.0f}")
