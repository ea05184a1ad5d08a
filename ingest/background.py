"""One background thread that runs jobs in the order they were given, so writes overlap the next batch's encoding."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType

Job = Callable[[], None]


class InOrder:
    """Runs submitted jobs one at a time, in order, on its own thread; the first failure reaches the submitter.

    Used as a context manager: leaving the block waits for every job submitted (so work already done, such as
    vectors encoded, is written even when the submitter stops on an error), then raises the first failure, if
    any. After a failure the remaining jobs are skipped. At most `depth` jobs wait at a time.
    """

    def __init__(self, name: str, depth: int = 64) -> None:
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
