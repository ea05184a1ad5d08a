"""Floors for theme tagging on the hand-labelled sample (evals/theme_labels.jsonl), with the real model.

Editing ingest/themes.json or the rule in ingest/tagging.py must not quietly make tagging worse: run
`python -m evals.theme_tagging` for the full table. The floors sit a little under the figures measured when the
rule was set (dev: combined 0.78, cue 0.77; held-out test: combined 0.55, cue 0.55).
"""

from __future__ import annotations

import pytest

from evals.theme_tagging import LABELS, load_labels, run_methods
from ingest.themes import load_themes


@pytest.mark.eval
def test_tagging_keeps_its_precision_and_recall_on_the_labelled_sample(real_embedder) -> None:  # type: ignore[no-untyped-def]
    themes = load_themes()
    run = run_methods(load_labels(LABELS, themes), themes, real_embedder)
    assert run.f1("combined", "dev") >= 0.74
    assert run.f1("combined", "test") >= 0.50
    for split in ("dev", "test"):  # the embedding must not make the cues worse
        assert run.f1("combined", split) >= run.f1("cue", split) - 0.01
