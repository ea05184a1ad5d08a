"""Questions about the collection answered from the catalogue: the type, partnership and year read from each
review, on an invented index (no model, no store)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from growth import LINEAR, growth

from core.models import ReviewMeta, Subject
from retriever.catalogue import collection_reviews, collection_text
from retriever.question import read_question

INDEX = {
    "child-a": ReviewMeta(
        "Rapid Review: Child A", "Child A", "rapid review", "Eastmoor Safeguarding Partnership", 2023,
        (Subject("Child A"),),
    ),
    "child-b": ReviewMeta(
        "Child B: a Serious Case Review", "Child B", "serious case review", "Westfold Partnership", 2019,
        (Subject("Child B"),),
    ),
    "child-c": ReviewMeta(
        "Rapid Review: Child C", "Child C", "rapid review", "Westfold Partnership", 2024, (Subject("Child C"),)
    ),
}  # fmt: skip


def _selected(question: str) -> list[str]:
    asked = read_question(question, INDEX)
    assert asked.collection, question
    return collection_reviews(question, INDEX, asked.reviews, asked.review_type)


@pytest.mark.parametrize(
    ("question", "selected"),
    [
        ("How many reviews are there?", ["child-c", "child-a", "child-b"]),  # newest first
        ("Which reviews are rapid reviews?", ["child-c", "child-a"]),
        ("Which reviews did the Westfold partnership publish?", ["child-c", "child-b"]),
        ("Which reviews were published in 2019?", ["child-b"]),
        ("Which review is the most recent?", ["child-c"]),
        ("What is the oldest serious case review in the collection?", ["child-b"]),
        ("When was the Child B review published?", ["child-b"]),  # of one review: from the catalogue too
        ("Which partnership published the Child A review?", ["child-a"]),
        ("Who published the Child C rapid review?", ["child-c"]),
        ("Who wrote the Child B review?", ["child-b"]),
    ],
)
def test_a_question_about_the_collection_selects_by_type_partnership_and_year(question: str, selected: list) -> None:
    assert _selected(question) == selected


@pytest.mark.parametrize(
    "question",
    [
        "Which reviews mention neglect?",
        "How many reviews were about babies?",
        "What did the rapid review find?",
        "When did the partnership publish its guide for parents?",  # what a review says was published
    ],
)
def test_a_question_about_what_reviews_say_is_not_a_question_about_the_collection(question: str) -> None:
    assert not read_question(question, INDEX).collection


def test_the_answer_counts_the_collection_and_describes_each_review() -> None:
    assert collection_text(INDEX, list(INDEX)).startswith("The collection holds 3 reviews:\n- Rapid Review: Child A")
    text = collection_text(INDEX, ["child-b"])
    assert text.startswith("1 of the 3 reviews in the collection matches (by the type")
    assert "- Child B: a Serious Case Review (serious case review, Westfold Partnership, 2019)" in text
    assert collection_text(INDEX, []).startswith("None of the 3 reviews")


def test_a_question_naming_its_review_is_answered_with_that_review_alone() -> None:
    """ "When was the Child B review published?": the review described, not "1 of the 3 reviews ... matches"."""
    assert collection_text(INDEX, ["child-b"], named=True) == (
        "Child B: a Serious Case Review (serious case review, Westfold Partnership, 2019)."
    )


def test_who_wrote_a_review_is_its_bylines_name_or_that_it_names_none() -> None:
    index = {**INDEX, "child-b": replace(INDEX["child-b"], author="Roger Fenwick")}
    assert "(serious case review, Westfold Partnership, 2019), by Roger Fenwick" in collection_text(index, ["child-b"])
    unnamed = collection_text(index, ["child-a"], authorship=True)
    assert unnamed.endswith("(rapid review, Eastmoor Safeguarding Partnership, 2023); it does not name its author")
    assert "author" not in collection_text(index, ["child-a"])  # said only when asked who wrote it


def test_reading_a_question_about_the_collection_grows_linearly() -> None:
    ratio = growth(lambda text: read_question(text, INDEX), lambda n: "which " + "x " * n + "reviews?", 200)
    assert ratio < LINEAR, f"read_question work grew {ratio:.0f} times for 8 times the input"
