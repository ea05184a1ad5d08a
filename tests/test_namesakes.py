"""Reviews about children of the same name ("Child A" of two partnerships), as a collection of hundreds holds:
each answer names which review it quotes, and a question naming the partnership is answered from that review.
Real ingest, model and Chroma."""

from __future__ import annotations

import pytest

from core.models import ReviewMeta, Subject
from core.settings import Settings
from ingest.pipeline import ingest
from retriever.catalogue import place_of
from retriever.pipeline import Casewise
from retriever.question import read_question
from trainer.brief import BriefBuilder

NORTHBY = """# Rapid Review: Child A

Northby Safeguarding Children Partnership, 2022

## Background

Child A, a girl of three, was admitted to hospital in March 2022 after swallowing her father's methadone.

## Recommendations

1. Drug services should check safe storage at every home visit.
"""

SOUTHBY = """# Serious Case Review: Child A

Southby Safeguarding Children Board, 2015

## Background

Child A, a boy of fifteen, was stabbed in a park in June 2014 after going missing from his foster placement.

## Recommendations

1. The police should share missing episode information with the placing authority within 24 hours.
"""

INDEX = {
    "north": ReviewMeta("Rapid Review: Child A", "Child A", "rapid review", "Northby Safeguarding Children Partnership",
                        2022, (Subject("Child A", ("A",)),)),
    "south": ReviewMeta("Serious Case Review: Child A", "Child A", "serious case review",
                        "Southby Safeguarding Children Board", 2015, (Subject("Child A", ("A",)),)),
}  # fmt: skip


@pytest.mark.parametrize(
    ("question", "reviews"),
    [
        ("What were the recommendations of the Southby Child A review?", ("south",)),
        ("What happened to Child A in the Northby review?", ("north",)),
        ("What happened to Child A?", ("north", "south")),  # both: each answer says which
    ],
)
def test_a_partnership_word_picks_among_reviews_of_children_of_one_name(question: str, reviews: tuple) -> None:
    assert tuple(sorted(read_question(question, INDEX).reviews)) == reviews


def test_a_partnerships_place_is_its_words_before_the_kind_of_body() -> None:
    assert place_of("Northby Safeguarding Children Partnership") == "Northby"
    assert place_of("Bath and North East Somerset Community Safety and Safeguarding Partnership") == (
        "Bath and North East Somerset"
    )
    assert place_of("Leeds Children's Safeguarding Partnership") == "Leeds" and place_of(None) == ""


@pytest.mark.integration
def test_each_answer_names_which_of_the_namesakes_reviews_it_quotes(
    tmp_path_factory: pytest.TempPathFactory, real_embedder
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("namesakes")
    (folder / "reviews").mkdir()
    (folder / "reviews" / "child-a-rapid-review.md").write_text(NORTHBY, encoding="utf-8")
    (folder / "reviews" / "child-a-scr.md").write_text(SOUTHBY, encoding="utf-8")
    settings = Settings.from_env(env={}, home=folder / "home")
    assert not ingest([folder / "reviews"], settings, lambda: real_embedder).failed
    casewise = Casewise.open(settings, real_embedder)
    both = casewise.ask("What were the recommendations of the Child A review?")
    assert "The recommendations of the Northby Child A review:" in both.text, both.text
    assert "The recommendations of the Southby Child A review:" in both.text
    one = casewise.ask("What happened to Child A in the Northby review?")
    assert one.text.startswith("In the Northby Child A review:") and "methadone" in one.citations[0].quote
    brief = BriefBuilder(casewise.index, casewise.searcher, casewise.generator, casewise.themes).build(
        reviews=["child-a-rapid-review", "child-a-scr"]
    )
    assert sorted(s.subject or "" for s in brief.summaries) == ["Northby Child A", "Southby Child A"]
