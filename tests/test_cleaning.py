"""Layout artefacts are removed, and every chunk points exactly into the cleaned review text."""

from __future__ import annotations

import re
from pathlib import Path

import builders
import layouts
import pytest

from ingest.cleaning import clean_page, clean_pages
from ingest.loaders import load
from ingest.normalise import build_review

# Running furniture each layout carries: gone from the review's text, not only from its chunks.
FURNITURE = {
    layouts.RUNNING_TITLE_PDF.file_name: (builders.CHILD_U_RUNNING, "Page 1 of 3", "Page 3 of 3"),
    layouts.FONT_SIZE_PDF.file_name: (builders.YOUNG_PERSON_O_FOOTER,),
    layouts.HEADING_STYLES_DOCX.file_name: (builders.BABY_V_HEADER,),
    layouts.WEB_PAGE.file_name: ("We use cookies", "Case reviews and learning", "Related reviews", "Privacy notice"),
    layouts.ALL_CAPS_TEXT.file_name: ("Child K rapid review", "Official"),
}
PAGE_NUMBER_LINE = re.compile(r"\s*(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|\d+)\s*", re.IGNORECASE)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, layouts.Ingested]:
    folder = tmp_path_factory.mktemp("layouts")
    return {layout.file_name: layouts.ingest(layout.write(folder)) for layout in layouts.ALL}


@pytest.mark.parametrize("layout", layouts.ALL, ids=lambda layout: layout.file_name)
def test_every_chunk_is_an_exact_slice_of_the_review_text(
    ingested: dict[str, layouts.Ingested], layout: layouts.Layout
) -> None:
    run = ingested[layout.file_name]
    assert run.chunks
    for chunk in run.chunks:
        assert chunk.text == run.review.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip()


@pytest.mark.parametrize("layout", layouts.ALL, ids=lambda layout: layout.file_name)
def test_no_page_numbers_runs_of_blank_lines_or_trailing_space(
    ingested: dict[str, layouts.Ingested], layout: layouts.Layout
) -> None:
    text = ingested[layout.file_name].review.text
    assert "\n\n\n" not in text
    assert text == text.strip()
    lines = text.split("\n")
    assert not [line for line in lines if line != line.rstrip()]
    assert not [line for line in lines if PAGE_NUMBER_LINE.fullmatch(line)]


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_running_headers_footers_and_site_chrome_are_gone_from_the_text(
    ingested: dict[str, layouts.Ingested], name: str
) -> None:
    text = ingested[name].review.text
    assert [f for f in FURNITURE[name] if f in text] == []


def test_words_hyphenated_across_line_ends_are_joined(ingested: dict[str, layouts.Ingested]) -> None:
    text = ingested[layouts.ALL_CAPS_TEXT.file_name].review.text
    assert "she was often quiet and withdrawn after weekends." in text
    assert "because the explanation seemed reasonable" in text
    assert "with-" not in text and "explana-" not in text


def test_a_wrapped_bullet_is_one_line(ingested: dict[str, layouts.Ingested]) -> None:
    lines = ingested[layouts.ALL_CAPS_TEXT.file_name].review.text.split("\n")
    assert (
        "- Records must follow a child who moves between areas, and the receiving health visiting service should "
        "check for missed reviews." in lines
    )


def test_underline_tags_are_gone_but_their_words_stay(tmp_path: Path) -> None:
    path = tmp_path / "child-l-review.txt"
    path.write_text(
        "Rapid Review: Child L\n\n<u>Background</u>\n\nL lived with her aunt, who was <u>not</u> assessed.\n",
        encoding="utf-8",
    )
    run = layouts.ingest(path)
    assert "<u>" not in run.review.text and "</u>" not in run.review.text
    assert "L lived with her aunt, who was not assessed." in run.review.text


def test_page_numbers_and_hyphenation_are_cleaned_on_a_page() -> None:
    page = "Findings\n\nThe school made a refer-\nral to social care\nin March.\n\nPage 3 of 12\n"
    assert clean_page(page) == "Findings\n\nThe school made a referral to social care in March."


def test_a_bare_number_within_a_page_is_the_texts_and_one_at_its_edge_its_page_number() -> None:
    """A table read line by line puts a year or a finding's number on a line of its own mid-page: text, not a page
    number; "Page 3 of 9" is a page number wherever it is."""
    body = "Recommendation\n\nTimescale\n\n2024\n\nFinding\n\n4\n\nPage 3 of 9\n\nThe partnership agreed.\n\n"
    first, second = clean_pages([f"Review\n\n{body}The end of page one.\n\n7", f"8\n\n{body}The end."])
    for page in (first, second):
        assert "\n2024\n" in f"\n{page}\n" and "\n4\n" in f"\n{page}\n" and "Page 3" not in page
    assert not first.rstrip().endswith("7") and not second.startswith("8")


def test_a_tables_rows_alike_but_for_their_numbers_are_kept_in_a_text_without_pages(tmp_path: Path) -> None:
    """Thirty rows '| n May 2020 | GP | n |' one after another are a table, not a line repeated down the pages."""
    rows = "\n".join(f"| {n} May 2020 | GP | {n} |" for n in range(1, 31))
    path = tmp_path / "child-q.md"
    path.write_text(f"# Review: Child Q\n\n## Chronology\n\n| Date | Agency | Contacts |\n|---|---|---|\n{rows}\n")
    text = build_review(path, load(path, 1_000_000))[0].text
    assert text.count("Agency: GP") == 30


def test_a_protective_marking_with_the_page_number_beside_it_is_page_furniture() -> None:
    page = "Findings\n\nThe school made a referral in March.\n\nOFFICIAL SENSITIVE 1\n"
    assert clean_page(page) == "Findings\n\nThe school made a referral in March."
    kept = "Findings\n\nOfficial sensitive 12 records were shared."  # a sentence, not a marking
    assert clean_page(kept) == kept


def test_running_lines_repeated_on_page_edges_are_dropped() -> None:
    bodies = ["Q lived with her aunt.", "The school raised concerns.", "A strategy meeting was held."]
    pages = [
        f"Sandwell Safeguarding Partnership\n\n{body}\n\nChild Q review - page {n}"
        for n, body in enumerate(bodies, start=1)
    ]
    assert clean_pages(pages) == bodies


def test_a_heading_that_opens_several_pages_is_kept() -> None:
    """Two 'Learning' sections each starting a new page are structure, not a running header."""
    pages = ["## Background\n\nA.", "## Learning\n\nB.", "## Learning\n\nC.", "## Findings\n\nD."]
    assert clean_pages(pages) == pages


def test_a_line_wrapped_at_the_measure_before_a_capitalised_word_is_not_a_heading() -> None:
    """A paragraph's first line ending where the page wraps its text, the next line opening on a name, runs on;
    a short heading over a sentence on the same page still stands alone."""
    page = (
        "Introduction\n"
        "This review was commissioned by the Eastmoor Safeguarding\n"
        "Children Partnership after Child W was admitted to hospital\n"
        "in August 2022 with an injury that was not explained.\n"
        "\n"
        "The reviewer thanks the family for their help with this work.\n"
    )
    assert clean_page(page).split("\n")[:3] == [
        "Introduction",
        "",
        "This review was commissioned by the Eastmoor Safeguarding Children Partnership after Child W was admitted "
        "to hospital in August 2022 with an injury that was not explained.",
    ]


def test_bullets_stay_separate_lines_and_a_bare_heading_is_not_joined() -> None:
    page = "Background\nChild K lived with\nhis father.\n- first point\n- second point\nwrapped here"
    assert clean_page(page).split("\n") == [
        "Background",
        "",  # a heading over its text stands alone, as between blank lines
        "Child K lived with his father.",
        "- first point",
        "- second point wrapped here",
    ]


def test_items_lettered_in_brackets_stay_separate_lines() -> None:
    page = "We found:\n(a) the school did not refer the\nconcern;\n(b) the GP was not told;\n(iv) no one asked."
    assert clean_page(page).split("\n") == [
        "We found:",
        "(a) the school did not refer the concern;",
        "(b) the GP was not told;",
        "(iv) no one asked.",
    ]


def test_items_opening_on_their_labels_stay_separate_lines() -> None:
    """ "Finding 2: ..." set straight under "Finding 1: ..." is the next finding, not the first one wrapping on; a
    label wrapped to a line's start after a word that runs on ("... linked to") is still the sentence's."""
    page = (
        "Finding 1: The bruise was not seen as an injury to a young\nchild.\n"
        "Finding 2: The nursery did not follow its policy.\nLearning point 3 - Fathers were not seen.\n\n"
        "This finding is linked to\nRecommendation 4: the audit."
    )
    assert clean_page(page).split("\n") == [
        "Finding 1: The bruise was not seen as an injury to a young child.",
        "Finding 2: The nursery did not follow its policy.",
        "Learning point 3 - Fathers were not seen.",
        "",
        "This finding is linked to Recommendation 4: the audit.",
    ]


def test_a_line_stopping_on_a_word_that_runs_on_is_joined_to_the_next() -> None:
    """A narrow column wraps after 'on a', and the next line ('Sunday morning because he') looks like a heading."""
    page = "A's mother took him to the walk-in centre on a\nSunday morning because he\nwas screaming."
    assert clean_page(page) == "A's mother took him to the walk-in centre on a Sunday morning because he was screaming."


def test_rows_alike_but_for_their_numbers_are_kept_in_a_document_without_pages() -> None:
    """A chronology or contacts table whose rows differ only in dates and counts is content; a running header's
    repeats are a page apart."""
    rows = [f"Date: {day} March 2021; Contact: home visit by the health visitor" for day in (3, 10, 17, 24)]
    body = ["The health visitor saw the family often.", *(f"Paragraph {n} of the review." for n in "ABCDEFGH")]
    header = "Kelsey Vale SCP | Serious Case Review: Child T"
    table = "\n\n".join(rows)  # a loader sets each row of a table apart
    page = "\n".join([header, table, *body, header, *body, header, *body])
    kept = clean_pages([page])[0].split("\n")
    assert header not in kept
    assert [line for line in kept if line.startswith("Date: ")] == rows


def test_a_sentence_running_on_over_a_page_break_is_one_paragraph(tmp_path: Path) -> None:
    """A text file's form feed breaks a sentence; the page header under it is layout, and the sentence goes on in
    lower case on the next page: one paragraph, with each page's start where its text starts."""
    header = "Eastholme LSCB  |  SCR Child N  |  Page {} of 3"
    pages = [
        "# Serious Case Review: Child N\n\n## Findings\n\nThe GP did not flag the lapsed prescription. The",
        "practice did not know that Child N had left school.\n\n## Recommendations",
        "1. The GP practice should flag a lapsed prescription.",
    ]
    path = tmp_path / "child-n.txt"
    path.write_text("\f".join(f"{header.format(n)}\n\n{page}" for n, page in enumerate(pages, start=1)))
    review, _ = build_review(path, load(path, 10_000_000))
    assert "prescription. The practice did not know that Child N had left school." in review.text
    assert "## Recommendations\n\n1. The GP practice" in review.text  # a heading ends its page: a new paragraph
    assert review.text[review.page_starts[1] :].startswith("practice did not know")


def test_no_break_spaces_are_spaces() -> None:
    """A Word export's &nbsp; after a heading's number and in its text reads as a space, so "1.\u00a0Introduction" is
    a numbered heading and a quote has plain spaces."""
    (page,) = clean_pages(["1.\u00a0Introduction\n\nMason\u00a0was\u202fsix."])
    assert page == "1. Introduction\n\nMason was six."


def test_a_contents_list_goes_with_its_heading() -> None:
    """Left behind, "Contents" would be a section holding every other heading of the review."""
    entries = "1. Introduction ........ 3\n2. Background ........ 4\n3. Findings ........ 7"
    page = f"# Contents\n\n{entries}\n\n## 1. Introduction"
    assert clean_page(page).strip() == "## 1. Introduction"
    prose = "Contents\n\nThe contents of the bag were not recorded.\n\n## Findings"
    assert clean_page(prose) == prose  # no contents list under it


def test_a_number_wrapped_to_the_start_of_a_line_is_not_a_list_item() -> None:
    """ "... looked after between the ages of 12 and" / "17. She lived ...": the sentence goes on; after a line ending
    a sentence, "2. The school ..." starts an item."""
    page = "Ms K had been looked after between the ages of 12 and\n17. She lived with R in a flat."
    assert clean_page(page) == "Ms K had been looked after between the ages of 12 and 17. She lived with R in a flat."
    listed = "1. The GP should ask about carers.\n2. The school should record who collects the child."
    assert clean_page(listed) == listed


def test_no_pages_clean_to_no_pages() -> None:
    assert clean_pages([]) == []
