"""How work grows with input size, as a ratio of CPU time in this process (never a wall-clock threshold)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

LINEAR = 24  # generous: 8 times the input gives about 8 times the work if linear, 64 if quadratic, 512 if cubic


def work(function: Callable[[Any], object], argument: Any) -> float:
    """CPU seconds of one call, best of three."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        function(argument)
        best = min(best, time.process_time() - started)
    return max(best, 1e-6)


def growth(function: Callable[[Any], object], make: Callable[[int], Any], n: int) -> float:
    """Work on an input of size 8n over work on one of size n."""
    return work(function, make(8 * n)) / work(function, make(n))
