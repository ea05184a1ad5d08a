"""The ingest's background threads: writes run in order off the caller's thread, files are read ahead in order, and a
failure reaches the caller."""

from __future__ import annotations

import threading

import pytest

from ingest.background import InOrder, read_ahead


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


def test_reading_ahead_gives_every_item_in_order_read_on_another_thread() -> None:
    readers: set[str] = set()

    def read(item: int) -> int:
        readers.add(threading.current_thread().name)
        return item * item

    assert list(read_ahead(list(range(50)), read, depth=4)) == [(i, i * i) for i in range(50)]
    assert readers == {"casewise-ingest-reader"}


def test_an_error_while_reading_ahead_comes_in_its_items_place() -> None:
    def read(item: int) -> int:
        if item == 3:
            raise ValueError("unreadable")
        return item

    got: list[int] = []
    with pytest.raises(ValueError, match="unreadable"):
        for item, _ in read_ahead(list(range(10)), read):
            got.append(item)
    assert got == [0, 1, 2]
