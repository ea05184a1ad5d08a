"""Unit vectors stored at ingest: equal to fresh encodes, read by the answerer instead of encoding at question time,
removed with their review, and an index built before they were stored still answers and is filled in later."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, HashingEmbedder

from core.settings import Settings
from core.units import neutral, quotable_units
from ingest.catalog import SCHEMA_VERSION, Catalog
from ingest.pipeline import Tally, ingest
from retriever.pipeline import Casewise

YPF = "young-person-f-rapid-review"
QUESTION = "Who acted as interpreter for the mother?"


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, remembering the texts of each encode call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super().encode(texts)


def _index(settings: Settings, embedder: object) -> Catalog:
    report = ingest([CORPUS], settings, lambda: embedder)  # type: ignore[arg-type,return-value]
    assert not report.failed, report.failed
    return Catalog(settings.db_path)


def _answer(settings: Settings, embedder: CountingEmbedder) -> tuple[str, list[list[str]]]:
    """An answer to QUESTION from a freshly opened index, and the encode calls it made."""
    casewise = Casewise.open(settings, embedder)
    embedder.calls.clear()
    answer = casewise.ask(QUESTION)
    assert not answer.abstained and answer.citations
    return answer.text, list(embedder.calls)


def _to_schema_4(settings: Settings) -> None:
    """Make the index look like one built before unit vectors were stored."""
    with sqlite3.connect(settings.db_path) as db:
        db.execute("DROP TABLE unit_vectors")
        db.execute("PRAGMA user_version = 4")


@pytest.mark.integration
def test_stored_unit_vectors_equal_fresh_encodes_of_the_units(settings: Settings, real_embedder) -> None:  # type: ignore[no-untyped-def]
    catalog = _index(settings, real_embedder)
    chunks = catalog.all_chunks(YPF)
    stored = catalog.unit_vectors([c.chunk_id for c in chunks])
    assert set(stored) == {c.chunk_id for c in chunks}
    for chunk in chunks[:4]:
        units = quotable_units(chunk)
        fresh = real_embedder.encode([neutral(u.text) for u in units])
        for unit, vector in zip(units, fresh, strict=True):
            kept = stored[chunk.chunk_id].lookup(unit.start, neutral(unit.text))
            assert kept is not None and float(kept @ vector) > 0.9999, unit.text


def test_answering_encodes_only_the_question(settings: Settings) -> None:
    embedder = CountingEmbedder()
    _index(settings, embedder)
    _, calls = _answer(settings, embedder)
    assert calls and all(len(texts) == 1 for texts in calls), calls  # the question (and its search form), no unit


def test_an_index_without_unit_vectors_answers_the_same_and_the_next_ingest_adds_them(settings: Settings) -> None:
    embedder = CountingEmbedder()
    _index(settings, embedder)
    stored_answer, _ = _answer(settings, embedder)
    _to_schema_4(settings)
    older_answer, calls = _answer(settings, embedder)
    assert older_answer == stored_answer
    assert any(len(texts) > 1 for texts in calls)  # the units were encoded at question time instead
    with sqlite3.connect(settings.db_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # read as is, not refused
    seen: list[Tally] = []
    report = ingest([CORPUS], settings, lambda: embedder, tracker=seen.append)
    assert {r.status for r in report.results} == {"unchanged"}
    assert any("older index" in t.stage for t in seen)  # the run says what it is doing
    catalog = Catalog(settings.db_path)
    assert set(catalog.unit_vectors(list(catalog.chunk_ids()))) == catalog.chunk_ids()
    filled_answer, calls = _answer(settings, embedder)
    assert filled_answer == stored_answer and all(len(texts) == 1 for texts in calls)


def test_a_unit_whose_text_changed_since_ingest_is_encoded_afresh(settings: Settings) -> None:
    embedder = CountingEmbedder()
    catalog = _index(settings, embedder)
    chunk = catalog.all_chunks(YPF)[0]
    stored = catalog.unit_vectors([chunk.chunk_id])[chunk.chunk_id]
    unit = quotable_units(chunk)[0]
    assert stored.lookup(unit.start, neutral(unit.text)) is not None
    assert stored.lookup(unit.start, neutral(unit.text) + " changed") is None


def test_removing_a_review_removes_its_unit_vectors(settings: Settings, docs: Path) -> None:
    embedder = CountingEmbedder()
    report = ingest([docs], settings, lambda: embedder)
    assert not report.failed
    catalog = Catalog(settings.db_path)
    ypf_ids = [c.chunk_id for c in catalog.all_chunks(YPF)]
    assert catalog.unit_vectors(ypf_ids)
    (docs / f"{YPF}.txt").unlink()
    ingest([docs], settings, lambda: embedder)
    assert not catalog.unit_vectors(ypf_ids)
    with sqlite3.connect(settings.db_path) as db:
        [(count,)] = db.execute("SELECT count(*) FROM unit_vectors")
    assert count == catalog.chunk_count()  # the other review's remain, one row per chunk
