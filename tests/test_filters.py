"""Search filters checked against what the index holds, with errors listing the valid values (retriever/filters.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from stage_reviews import CHILD_Q, YOUNG_PERSON_T, catalog_of_both

from core.errors import CasewiseError
from ingest.catalog import Catalog
from retriever.filters import resolve_filters, resolve_kinds
from retriever.models import SearchFilter


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return catalog_of_both(tmp_path_factory.mktemp("catalog"))  # read, never written, by these tests


class TestSearchFilter:
    def test_a_new_filter_restricts_nothing(self) -> None:
        assert SearchFilter().empty

    @pytest.mark.parametrize("field", ["reviews", "sections", "review_types", "kinds"])
    def test_any_field_set_makes_it_a_restriction(self, field: str) -> None:
        assert not SearchFilter(**{field: ("x",)}).empty


class TestResolveKinds:
    def test_no_kinds(self) -> None:
        assert resolve_kinds(SearchFilter()) == []

    def test_kinds_in_any_case(self) -> None:
        assert resolve_kinds(SearchFilter(kinds=("Findings", "learning"))) == ["findings", "learning"]

    def test_an_unknown_kind_names_it_and_lists_the_kinds(self) -> None:
        with pytest.raises(CasewiseError, match=r"^unknown section kind 'gossip'; use one of: summary, introduction, "):
            resolve_kinds(SearchFilter(kinds=("gossip",)))


class TestResolveFilters:
    def test_an_empty_filter_resolves_to_everything(self, catalog: Catalog) -> None:
        assert resolve_filters(SearchFilter(), catalog) == ([], [])

    def test_a_review_by_id_or_by_title_in_any_case(self, catalog: Catalog) -> None:
        assert resolve_filters(SearchFilter(reviews=(YOUNG_PERSON_T,)), catalog) == ([YOUNG_PERSON_T], [])
        assert resolve_filters(SearchFilter(reviews=("rapid review: child q",)), catalog) == ([CHILD_Q], [])

    def test_a_review_type_selects_its_reviews(self, catalog: Catalog) -> None:
        assert resolve_filters(SearchFilter(review_types=("Learning Review",)), catalog) == ([YOUNG_PERSON_T], [])

    def test_a_section_becomes_its_key(self, catalog: Catalog) -> None:
        assert resolve_filters(SearchFilter(sections=("Findings",)), catalog) == ([], ["findings"])

    def test_an_unknown_review_lists_the_reviews_held(self, catalog: Catalog) -> None:
        with pytest.raises(CasewiseError) as error:
            resolve_filters(SearchFilter(reviews=("child-z",)), catalog)
        assert str(error.value) == f"unknown review 'child-z'; the index holds: {CHILD_Q}, {YOUNG_PERSON_T}"

    def test_an_unknown_review_type_lists_the_types_held(self, catalog: Catalog) -> None:
        with pytest.raises(CasewiseError) as error:
            resolve_filters(SearchFilter(review_types=("audit",)), catalog)
        assert str(error.value) == "unknown review type 'audit'; the index holds: learning review, rapid review"

    def test_a_review_and_a_type_it_is_not_say_to_loosen_one(self, catalog: Catalog) -> None:
        both = SearchFilter(reviews=(CHILD_Q,), review_types=("learning review",))
        with pytest.raises(CasewiseError, match="^no review matches both the review and review-type filters; loosen"):
            resolve_filters(both, catalog)

    def test_an_unknown_section_lists_the_sections_held(self, catalog: Catalog) -> None:
        with pytest.raises(CasewiseError) as error:
            resolve_filters(SearchFilter(sections=("Nowhere",)), catalog)
        assert str(error.value) == (
            "unknown section 'nowhere'; sections in the index: background, findings, learning, recommendations"
        )

    def test_an_empty_index_says_it_holds_none(self, tmp_path: Path) -> None:
        empty = Catalog(tmp_path / "empty" / "casewise.sqlite3")
        with pytest.raises(CasewiseError, match=r"the index holds: \(none\)$"):
            resolve_filters(SearchFilter(reviews=(CHILD_Q,)), empty)
