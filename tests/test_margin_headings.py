"""Headings set in the margin of plain text (ingest/margin_headings.py): each label becomes a section of its own with
its text beside and below it, through the real ingest stages; layouts that only look alike are left as they were.
The whole margin-layout review is checked with the other layouts (tests/layouts.py, `child-w-cspr.txt`)."""

from __future__ import annotations

from pathlib import Path

from growth import LINEAR, growth
from layouts import ingest, section_body

from ingest.margin_headings import margin_headings

MARGIN_REVIEW = """\
Rapid Review: Child N
Northgate Safeguarding Children Partnership

Summary            Child N, aged two, was taken to hospital in May 2024 with a burn
                   to her hand. Her mother said she had touched the oven door.

What happened      The health visitor had seen N three times. Nursery staff had
                   noticed a healing mark on her arm in April and recorded it.

Learning           Learning 1. A mark on a child who is not yet walking steadily
                   needs a second opinion.

                   Learning 2. Nursery records should reach the health visitor.
"""


def test_each_margin_label_is_a_section_with_its_own_text(tmp_path: Path) -> None:
    path = tmp_path / "child-n-rapid-review.txt"
    path.write_text(MARGIN_REVIEW, encoding="utf-8")
    run = ingest(path)
    assert [s.path for s in run.sections] == [("Summary",), ("What happened",), ("Learning",)]
    assert section_body(run, ("What happened",)).startswith("The health visitor had seen N three times. Nursery")
    learning = section_body(run, ("Learning",))
    assert "Learning 1. A mark on a child who is not yet walking steadily needs a second opinion." in learning
    assert "Summary" not in section_body(run, ("Summary",))  # the label is the heading, not the text's first word


TWO_COLUMN_PAGE = """\
The health visitor saw the family        The school nurse had no record of
twice at home and noted the damp         the visits, and the referral went
in the children's bedroom.               to the wrong team.
Nobody asked who else lived there        In March the police attended after
and the records were not shared.         a neighbour heard shouting.
"""
NUMBERED_PARAGRAPHS = """\
1.1    This review was commissioned in May 2023 after the death of
       Child P.
1.2    The review used the systems methodology described in the
       statutory guidance.
"""
ONE_LABEL = """\
Note               This summary was written for the partnership board
                   and is not the full report.
"""


def test_text_that_only_looks_like_a_margin_layout_is_left_as_it_was() -> None:
    for text in (TWO_COLUMN_PAGE, NUMBERED_PARAGRAPHS, ONE_LABEL):
        assert margin_headings(text) == text


def test_margin_layouts_are_read_linearly() -> None:
    def make(n: int) -> str:
        return "".join(f"Label {i}            Text of section {i} runs\n{' ' * 19}on here.\n\n" for i in range(n))

    assert "Label 1\n\nText of section 1 runs\non here." in margin_headings(make(3))
    assert growth(margin_headings, make, 2_000) < LINEAR
    assert growth(margin_headings, lambda n: "A" + " " * n + "b\n" * 3, 100_000) < LINEAR
    assert growth(margin_headings, lambda n: ("a " * 5 + " " * 3 + "x\n") * n, 5_000) < LINEAR
