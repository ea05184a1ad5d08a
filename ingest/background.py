"""Background threads for ingest: one writes in order while the next batch encodes, one reads the next files ahead."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import TypeVar, cast

Job = Callable[[], None]
T = TypeVar("T")
R = TypeVar("R")


class InOrder:
    """Runs submitted jobs one at a time, in order, on its own thread; the first failure reaches the submitter.

    Used as a context manager: leaving the block waits for every job submitted (so work already done, such as
    vectors encoded, is written even when the submitter stops on an error), then raises the first failure, if
    any. After a failure the remaining jobs are skipped. At most `depth` jobs wait at a time.
    """

    def __init__(self, name: str, depth: int = 8) -> None:
        self._jobs: queue.Queue[Job | None] = queue.Queue(maxsize=depth)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Queue a job (waiting while `depth` jobs wait); raises an earlier job's failure instead, if there was one."""
        self._raise_failure()
        self._jobs.put(job)

    def __enter__(self) -> InOrder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._jobs.put(None)
        self._thread.join()
        if error is None:
            self._raise_failure()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._failure is None:
                try:
                    job()
                except BaseException as exc:  # handed to the submitting thread, which decides what it means
                    self._failure = exc


def read_ahead(items: Sequence[T], read: Callable[[T], R], depth: int = 16) -> Iterator[tuple[T, R]]:
    """(item, read(item)) for each item, in order, each read on a background thread up to `depth` items ahead of the
    caller; an exception `read` raises is raised to the caller in its item's place, and reading stops there (as it
    does when the caller stops early)."""
    outcomes: queue.Queue[tuple[T, R | None, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        for item in items:
            try:
                outcome: tuple[T, R | None, BaseException | None] = (item, read(item), None)
            except BaseException as exc:  # handed to the caller, which decides what it means
                outcome = (item, None, exc)
            while not stop.is_set():
                try:
                    outcomes.put(outcome, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set() or outcome[2] is not None:
                return

    threading.Thread(target=work, name="casewise-ingest-reader", daemon=True).start()
    try:
        for _ in items:
            item, value, error = outcomes.get()
            if error is not None:
                raise error
            yield item, cast(R, value)
    finally:
        stop.set()
