"""The citation check on its own: markers point to retrieved evidence, quotes are verbatim (retriever/citations.py)."""

from __future__ import annotations

from dataclasses import replace

from stage_reviews import CHILD_Q, YOUNG_PERSON_T, indexed

from core.units import split_units
from retriever.citations import renumber, verify
from retriever.models import Draft, Hit, cite

REVIEW, _, CHUNKS = indexed(f"{CHILD_Q}.md")
OTHER, _, OTHER_CHUNKS = indexed(f"{YOUNG_PERSON_T}.md")
UNITS = [u for c in CHUNKS for u in split_units(c)]
NOT_SEEN_ALONE, ALONE_AT_EVERY_VISIT = UNITS[2], UNITS[4]  # a finding and a recommendation of Child Q's review
EVIDENCE = [Hit(c, 1.0) for c in CHUNKS]
REVIEWS = {REVIEW.review_id: REVIEW, OTHER.review_id: OTHER}


def draft(text: str, *citations, answerer: str = "extractive") -> Draft:  # type: ignore[no-untyped-def]
    return Draft(text=text, citations=tuple(citations), answerer=answerer)


class TestVerify:
    def test_an_empty_draft_stays_empty(self) -> None:
        checked = verify(draft(""), EVIDENCE, REVIEWS.get)
        assert checked.text == "" and checked.citations == () and checked.removed == ()

    def test_verbatim_quotes_of_retrieved_chunks_are_kept(self) -> None:
        text = f"{NOT_SEEN_ALONE.text} [1] {ALONE_AT_EVERY_VISIT.text} [2]"
        checked = verify(draft(text, cite(1, NOT_SEEN_ALONE), cite(2, ALONE_AT_EVERY_VISIT)), EVIDENCE, REVIEWS.get)
        assert checked.text == text and checked.removed == ()
        assert [REVIEW.text[c.start : c.end] for c in checked.citations] == [c.quote for c in checked.citations]

    def test_a_quote_that_is_not_the_reviews_text_is_removed_with_its_marker(self) -> None:
        altered = replace(cite(2, ALONE_AT_EVERY_VISIT), quote="Agencies should see the child now and then.")
        text = f"{NOT_SEEN_ALONE.text} [1] Also [2]."
        checked = verify(draft(text, cite(1, NOT_SEEN_ALONE), altered), EVIDENCE, REVIEWS.get)
        assert checked.text == f"{NOT_SEEN_ALONE.text} [1] Also."
        assert [c.marker for c in checked.citations] == [1]
        assert checked.removed == (
            f"[2] quote is not verbatim at {ALONE_AT_EVERY_VISIT.start}-{ALONE_AT_EVERY_VISIT.end}",
        )

    def test_a_citation_of_a_chunk_that_was_not_retrieved_is_removed(self) -> None:
        elsewhere = split_units(OTHER_CHUNKS[0])[0]
        checked = verify(draft(f"{elsewhere.text} [1]", cite(1, elsewhere)), EVIDENCE, REVIEWS.get)
        assert checked.citations == () and "[1]" not in checked.text
        assert checked.removed == (f"[1] cites {elsewhere.chunk.chunk_id}, which was not among the evidence",)

    def test_a_review_no_longer_in_the_index_fails_the_quote(self) -> None:
        checked = verify(draft(f"{NOT_SEEN_ALONE.text} [1]", cite(1, NOT_SEEN_ALONE)), EVIDENCE, lambda _: None)
        assert checked.citations == () and checked.removed[0].startswith("[1] quote is not verbatim")

    def test_a_reviews_own_bracketed_number_in_a_quote_is_no_marker(self) -> None:
        """ "recorded on the body map [2]" is quoted as the review wrote it, and its "[2]" neither removed nor
        renumbered as an answer's marker."""
        text = "The nurse recorded the bruise on the body map [2] and told nobody."
        review = replace(REVIEW, text=text)
        chunk = replace(CHUNKS[0], start=0, end=len(text), text=text)
        quote = split_units(chunk)[0]
        checked = verify(draft(f"{quote.text} [3]", cite(3, quote)), [Hit(chunk, 1.0)], {REVIEW.review_id: review}.get)
        assert checked.text == f"{text} [1]" and checked.removed == ()
        assert [c.marker for c in checked.citations] == [1]

    def test_a_marker_with_no_citation_is_removed_and_said(self) -> None:
        checked = verify(draft(f"{NOT_SEEN_ALONE.text} [1] [7]", cite(1, NOT_SEEN_ALONE)), EVIDENCE, REVIEWS.get)
        assert checked.text == f"{NOT_SEEN_ALONE.text} [1]"
        assert checked.removed == ("[7] has no citation behind it",)

    def test_markers_are_renumbered_in_reading_order(self) -> None:
        text = f"{ALONE_AT_EVERY_VISIT.text} [4] {NOT_SEEN_ALONE.text} [2]"
        citations = (cite(2, NOT_SEEN_ALONE), cite(4, ALONE_AT_EVERY_VISIT))
        checked = verify(draft(text, *citations), EVIDENCE, REVIEWS.get)
        assert checked.text == f"{ALONE_AT_EVERY_VISIT.text} [1] {NOT_SEEN_ALONE.text} [2]"
        assert [(c.marker, c.quote) for c in checked.citations] == [
            (1, ALONE_AT_EVERY_VISIT.text),
            (2, NOT_SEEN_ALONE.text),
        ]

    def test_pages_are_the_quotes_own_pages_from_the_reviews_page_map(self) -> None:
        two_pages = replace(REVIEW, page_starts=(0, ALONE_AT_EVERY_VISIT.start - 2))
        both = draft(f"{NOT_SEEN_ALONE.text} [1] {ALONE_AT_EVERY_VISIT.text} [2]", cite(1, NOT_SEEN_ALONE),
                     cite(2, ALONE_AT_EVERY_VISIT))  # fmt: skip
        checked = verify(both, EVIDENCE, {REVIEW.review_id: two_pages}.get)
        assert [c.pages for c in checked.citations] == [(1,), (2,)]

    def test_the_text_is_tidied_after_markers_go(self) -> None:
        checked = verify(draft("Seen alone [3] , twice.", cite(1, NOT_SEEN_ALONE)), EVIDENCE, REVIEWS.get)
        assert checked.text == "Seen alone, twice."

    def test_what_was_removed_before_is_kept(self) -> None:
        earlier = replace(draft(f"{NOT_SEEN_ALONE.text} [1]", cite(1, NOT_SEEN_ALONE)), removed=("an earlier check",))
        assert verify(earlier, EVIDENCE, REVIEWS.get).removed == ("an earlier check",)


class TestRenumber:
    def test_no_texts(self) -> None:
        assert renumber([], {}) == ([], ())

    def test_numbers_follow_first_appearance_across_texts(self) -> None:
        kept = {5: cite(5, NOT_SEEN_ALONE), 3: cite(3, ALONE_AT_EVERY_VISIT)}
        texts, citations = renumber(["first [3]", "second [5] and again [3]"], kept)
        assert texts == ["first [1]", "second [2] and again [1]"]
        assert [(c.marker, c.quote) for c in citations] == [(1, ALONE_AT_EVERY_VISIT.text), (2, NOT_SEEN_ALONE.text)]

    def test_a_marker_repeated_in_one_text_keeps_one_number(self) -> None:
        texts, citations = renumber(["[2] and [2]"], {2: cite(2, NOT_SEEN_ALONE)})
        assert texts == ["[1] and [1]"] and [c.marker for c in citations] == [1]

    def test_markers_of_citations_not_kept_are_dropped(self) -> None:
        texts, citations = renumber(["kept [2], dropped [9]"], {2: cite(2, NOT_SEEN_ALONE)})
        assert texts == ["kept [1], dropped "] and len(citations) == 1
