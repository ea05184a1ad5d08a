"""Layout artefacts are removed, and every chunk points exactly into the cleaned review text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS, SEED_FILES

from ingest.chunking import chunk_review
from ingest.cleaning import clean_page, clean_pages
from ingest.loaders import load
from ingest.models import Review
from ingest.normalise import build_review

YPF = CORPUS / "young-person-f-rapid-review.txt"


def _review(path: Path) -> Review:
    return build_review(path, load(path, 10_000_000))[0]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_chunk_is_an_exact_slice_of_the_review_text(path: Path) -> None:
    review, sections = build_review(path, load(path, 10_000_000))
    chunks = chunk_review(review, sections)
    assert chunks
    for chunk in chunks:
        assert chunk.text == review.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip()


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_no_runs_of_blank_lines_and_no_trailing_space(path: Path) -> None:
    text = _review(path).text
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert not [line for line in text.split("\n") if line != line.rstrip()]


def test_underline_tags_are_gone_but_their_words_stay() -> None:
    source = YPF.read_text(encoding="utf-8")
    assert "<u>" in source  # the seed really has them
    text = _review(YPF).text
    assert "<u>" not in text and "</u>" not in text
    assert '- "It was hard to escape Safeguarding children at risk from criminal exploitation" is a national' in text
    assert "The NSCP has an escalation guidance and procedure available." in text


def test_the_three_line_wrapped_bullet_is_one_line() -> None:
    lines = _review(YPF).text.split("\n")
    assault = [line for line in lines if "life-threatening assault" in line]
    assert assault == [
        "- Though Young Person F denied the suspicions they were the victim of a life-threatening assault by "
        "other young people in the community resulting in physical injuries and emotional trauma shared by "
        "other family members."
    ]


def test_the_running_title_repeated_at_the_end_is_gone() -> None:
    source = YPF.read_text(encoding="utf-8")
    assert source.count("Rapid Reviews: Young Person F") == 2
    text = _review(YPF).text
    assert text.count("Rapid Reviews: Young Person F") == 1
    assert text.startswith("Rapid Reviews: Young Person F\n")
    assert text.endswith("complete an assessment of what was happening in the family.")


def test_page_numbers_and_hyphenation_are_cleaned_on_a_page() -> None:
    page = "Findings\n\nThe school made a refer-\nral to social care\nin March.\n\nPage 3 of 12\n"
    assert clean_page(page) == "Findings\n\nThe school made a referral to social care in March."


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


def test_bullets_stay_separate_lines_and_a_bare_heading_is_not_joined() -> None:
    page = "Background\nChild M lived with\nhis mother.\n- first point\n- second point\nwrapped here"
    assert clean_page(page).split("\n") == [
        "Background",
        "Child M lived with his mother.",
        "- first point",
        "- second point wrapped here",
    ]


def test_no_line_of_the_seed_texts_is_a_page_number_or_tag() -> None:
    for path in SEED_FILES:
        for line in _review(path).text.split("\n"):
            assert not re.fullmatch(r"\s*(page\s+)?\d+(\s+of\s+\d+)?\s*", line, re.I), line
            assert not re.search(r"</?u>", line)
