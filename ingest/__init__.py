"""Documents in, index out: load, clean, find sections, chunk, embed, store."""

import core  # noqa: F401  (offline and telemetry variables are set before any model library loads)
