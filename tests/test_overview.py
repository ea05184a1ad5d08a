"""A review asked for in brief ("Summarise the X review"), read from its section kinds and subjects: invented
reviews in two shapes, one with no story sections at all and one with no findings, learning or recommendations.
Real ingest, model and Chroma."""

from __future__ import annotations

import pytest

from core.settings import Settings
from ingest.pipeline import ingest
from retriever.pipeline import Casewise

pytestmark = pytest.mark.integration

LEARNING_ONLY = """# Learning Review: Child Heron

## Learning

- Practitioners did not ask who else lived in the home where Child Heron stayed at weekends.
- The nursery's worries were recorded, but no one added them up over the year.

## Recommendations

1. The partnership should publish a one-page guide to asking who lives in a household.
"""

STORY_ONLY = """# Rapid Review: Child Plover

## Background

Child Plover is a girl of six who was taken to hospital in May 2024 with a broken arm. She lives with her
father, who told the hospital that she had fallen from a climbing frame. The hospital was not satisfied with
this account. A later sentence of the same paragraph is not part of the opening.

## What happened next

Children's social care held a strategy discussion the next day.
"""


LABELLED_FINDINGS = """# Serious Case Review: Child Wren

## Introduction

Child Wren is a boy of nine who was found alone at home in March 2023 after his mother was admitted to hospital.

## Analysis

The school knew that Child Wren often arrived hungry, and recorded it each time without a referral.

## Findings

The review makes two findings.

Finding 1: Hunger at school was recorded but never added up.

Finding 2: No agency asked who cared for Child Wren when his mother was unwell.
"""


@pytest.fixture(scope="module")
def casewise(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("overview")
    corpus = folder / "reviews"
    corpus.mkdir()
    (corpus / "child-heron-learning-review.md").write_text(LEARNING_ONLY, encoding="utf-8")
    (corpus / "child-plover-rapid-review.md").write_text(STORY_ONLY, encoding="utf-8")
    (corpus / "child-wren-scr.md").write_text(LABELLED_FINDINGS, encoding="utf-8")
    settings = Settings.from_env(env={}, home=folder / "home")
    report = ingest([corpus], settings, lambda: real_embedder)
    assert not report.failed, report.failed
    return Casewise.open(settings, real_embedder)


def test_a_review_without_story_sections_is_given_by_its_points_each_quoted_once(casewise: Casewise) -> None:
    answer = casewise.ask("Give me an overview of the Child Heron review")
    assert answer.text.startswith("The Child Heron review, in brief:\n\nIts learning:"), answer.text
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == len(set(quotes)) == 2 and "who else lived in the home" in quotes[0]
    assert "It makes 1 recommendation:" in answer.text


def test_the_opening_is_the_paragraph_naming_the_child_cut_at_three_sentences(casewise: Casewise) -> None:
    answer = casewise.ask("Summarise the Child Plover review")
    opening = answer.citations[0].quote
    assert opening.startswith("Child Plover is a girl of six") and opening.endswith("with this account.")
    assert "recommendation" not in answer.text  # it makes none, and says nothing of them


def test_labelled_findings_are_the_points_not_the_analysis_around_them_or_their_count(casewise: Casewise) -> None:
    answer = casewise.ask("Summarise the Child Wren review")
    points = answer.text.split("Its findings:")[1]
    assert "Finding 1: Hunger at school" in points and "Finding 2: No agency asked" in points, answer.text
    assert "arrived hungry" not in points and "makes two findings" not in points, answer.text


def test_the_reviews_of_a_small_collection_are_each_summarised_when_none_is_named(casewise: Casewise) -> None:
    answer = casewise.ask("Summarise the reviews")
    assert sum(line.endswith(", in brief:") for line in answer.text.split("\n")) == 3, answer.text


@pytest.mark.parametrize(
    "question", ["Summarise the Child Plover briefing", "Give me an overview of the Child Plover report"]
)
def test_a_review_called_a_report_or_a_briefing_is_summarised(question: str, casewise: Casewise) -> None:
    """The words a reader calls the document by name no topic of their own."""
    answer = casewise.ask(question)
    assert answer.text.startswith("The Child Plover review, in brief:"), answer.text
