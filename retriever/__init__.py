"""Question in, cited answer out: search (dense + lexical, fused, reranked, filtered), evidence, answer."""

import core  # noqa: F401  (offline and telemetry variables are set before any model library loads)
