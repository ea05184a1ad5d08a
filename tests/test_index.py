"""The one Index: it says there is no index in one way, and what it read is read again after an ingest."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from stage_reviews import CHILD_Q, YOUNG_PERSON_T, catalog_of_both, indexed

from core.errors import IndexMissingError
from core.settings import Settings
from ingest.catalog import Catalog
from retriever.index import Index


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(env={}, home=tmp_path / "home")


class TestOpen:
    def test_no_index_says_so_names_the_home_and_the_fix_and_creates_nothing(self, settings: Settings) -> None:
        with pytest.raises(IndexMissingError) as missing:
            Index.open(settings)
        assert str(missing.value) == (
            f"no index yet at {settings.home} — run `casewise ingest` to build it from your reviews"
        )
        assert not settings.home.exists()

    def test_a_catalogue_without_chunks_is_no_index_either(self, settings: Settings) -> None:
        Catalog(settings.db_path).close()
        with pytest.raises(IndexMissingError, match="^no index yet at "):
            Index.open(settings)

    def test_an_index_opens_with_its_reviews(self, settings: Settings) -> None:
        catalog_of_both(settings.home).close()
        index = Index.open(settings)
        assert sorted(index.reviews()) == [CHILD_Q, YOUNG_PERSON_T]
        review = index.review(CHILD_Q)
        assert review is not None and review.title == "Rapid Review: Child Q"
        assert index.review("child-z") is None


class TestBuildStamp:
    def test_what_was_read_is_read_again_when_an_ingest_changes_the_index(self, settings: Settings) -> None:
        catalog_of_both(settings.home).close()
        index = Index.open(settings)
        before = index.review(CHILD_Q)
        assert before is not None and "Child Q" in index.reviews()[CHILD_Q].title
        writer = Catalog(settings.db_path)  # another process's ingest, as far as the index can tell
        review, sections, chunks = indexed(f"{CHILD_Q}.md")
        changed = replace(review, meta=replace(review.meta, title="Rapid Review: Child Q (revised)"))
        writer.replace_review(changed, sections, chunks)
        assert index.reviews()[CHILD_Q].title == "Rapid Review: Child Q"  # same build stamp: kept as read
        writer.set_meta("built_at", "2026-12-02T00:00:00.000000+00:00")
        assert index.reviews()[CHILD_Q].title == "Rapid Review: Child Q (revised)"
        after = index.review(CHILD_Q)
        assert after is not None and after.title == "Rapid Review: Child Q (revised)"
        assert index.stamp() == "2026-12-02T00:00:00.000000+00:00"
