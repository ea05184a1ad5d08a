"""The ingest's writer thread: jobs run in order off the caller's thread, and a failure reaches the caller."""

from __future__ import annotations

import threading

import pytest

from ingest.background import InOrder


def test_jobs_run_in_order_on_another_thread_and_leaving_waits_for_them() -> None:
    done: list[tuple[int, str]] = []
    release = threading.Event()
    with InOrder("test-writer") as writer:
        writer.submit(lambda: release.wait(5) and None)  # the later jobs queue behind a slow one
        for i in range(5):
            writer.submit(lambda i=i: done.append((i, threading.current_thread().name)))
        assert done == []
        release.set()
    assert done == [(i, "test-writer") for i in range(5)]


def test_a_failure_skips_later_jobs_and_reaches_the_next_submit() -> None:
    done: list[int] = []
    failed = threading.Event()

    def fail() -> None:
        failed.set()
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"), InOrder("test-writer") as writer:
        writer.submit(fail)
        writer.submit(lambda: done.append(1))
        failed.wait(5)
        writer.submit(lambda: done.append(2))  # raises the failure (or leaving the block does)
    assert done == []


def test_an_error_in_the_block_still_waits_for_submitted_jobs_and_is_the_one_raised() -> None:
    done: list[int] = []
    with pytest.raises(KeyError), InOrder("test-writer") as writer:
        writer.submit(lambda: done.append(1))
        raise KeyError("stop")
    assert done == [1]
