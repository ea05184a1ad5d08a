"""Ingest progress on stderr: files, chunks, rate and time left, from the first second of a run."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from core.settings import Settings
from ingest.embedding import Embedder
from ingest.pipeline import IngestReport, Tally, ingest


def ingest_with_progress(
    paths: Sequence[Path], settings: Settings, label: str, load: Callable[[str], Embedder], rebuild: bool = False
) -> IngestReport:
    """Run an ingest, showing its progress on stderr and saying when the model loads (`load(model name)`)."""
    line = ProgressLine(label)

    def model() -> Embedder:
        line.note("loading the embedding model…")
        return load(settings.embedding_model)

    return ingest(paths, settings, model, rebuild=rebuild, tracker=line)


class ProgressLine:
    """Renders ingest tallies: one live line on a terminal, else a line every few seconds (and the last)."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.interval = 0.2 if self.live else 5.0
        self.started = time.monotonic()
        self._last = float("-inf")
        self._width = 0

    def __call__(self, tally: Tally) -> None:
        now = time.monotonic()
        if not tally.done and now - self._last < self.interval:
            return
        self._last = now
        line = f"{self.label}: {describe(tally, now - self.started)}"
        if self.live:
            self.stream.write("\r" + line.ljust(self._width) + ("\n" if tally.done else ""))
            self._width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        """A message of its own line (the live line, if any, is left as it was)."""
        if self.live and self._width:
            self.stream.write("\n")
            self._width = 0
        self.stream.write(f"{self.label}: {message}\n")
        self.stream.flush()


def describe(tally: Tally, elapsed: float) -> str:
    """'12/40 files, 380/420 chunks indexed, 24.1 chunks/s, about 1 min 10 s left' and the like."""
    if tally.stage:
        return f"{tally.stage}: {tally.chunks_done} chunks done…"
    files = f"{tally.files_done}/{tally.files} files"
    if tally.done:
        speed = f" ({tally.chunks_done / elapsed:.1f} chunks/s)" if tally.chunks_done and elapsed > 0 else ""
        return f"{files}, {tally.chunks_done} chunks indexed in {_duration(elapsed)}{speed}"
    if not tally.chunks_done:
        return f"{files} read, {tally.chunks} chunks to index…"
    rate = tally.chunks_done / elapsed
    # Chunks still to come: those found and not yet indexed, plus the unread files' share at the rate so far.
    per_file = tally.chunks / max(tally.files_done, 1)
    remaining = tally.chunks - tally.chunks_done + per_file * (tally.files - tally.files_done)
    return (
        f"{files}, {tally.chunks_done}/{tally.chunks} chunks indexed, {rate:.1f} chunks/s, "
        f"about {_duration(remaining / rate)} left"
    )


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"
