"""A question is asked by its main clause: a clause setting its scene before it, or placing it in time after it,
says which event, not what is asked of it (retriever/question.main_clause, and the passage ordering in
retriever/extractive.UnitScorer)."""

from __future__ import annotations

import pytest
from conftest import HashingEmbedder

from core.models import Chunk
from retriever import extractive
from retriever.extractive import UnitScorer
from retriever.models import Hit
from retriever.question import main_clause, setting_clause


@pytest.mark.parametrize(
    ("question", "main"),
    [
        ("What injury did E have when the police entered the home?", "What injury did E have?"),
        ("While J was on the CAMHS list, did anyone keep in touch with her?", "did anyone keep in touch with her?"),
        ("Did anyone ask what he wanted during the conferences?", "Did anyone ask what he wanted?"),
        ("How old was Child D when he was found, and at what time?", ""),  # a second question after the comma
        ("How long after the call was the report recorded?", ""),  # "How long" asks nothing without the rest
        ("When did the police visit?", ""),
        ("What should happen when a baby is seen with a bruise?", ""),  # "What should happen?" names nothing
    ],
)
def test_the_main_clause_is_the_question_without_its_scene_or_time(question: str, main: str) -> None:
    assert main_clause(question) == main


@pytest.mark.parametrize(
    ("question", "setting"),
    [
        ("Was an interpreter used when social workers met the parents?", "when social workers met the parents"),
        ("While J was on the CAMHS list, did anyone keep in touch with her?", "While J was on the CAMHS list"),
        ("When did the police visit?", ""),
    ],
)
def test_the_setting_clause_is_what_the_main_clause_leaves(question: str, setting: str) -> None:
    assert setting_clause(question) == setting


def test_ordering_leans_to_the_main_clause_while_support_stays_the_whole_questions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Police officers entered the family home in March. Child Y had an untreated burn on her leg."
    chunk = Chunk("r:1", "r", "Review R", None, ("What happened",), "What happened", 1, 0, 0, len(text), (1,), text)
    question = "What injury did Child Y have when police officers entered the family home in March?"
    leaning = {s.unit.text: s for s in UnitScorer(HashingEmbedder()).score(question, [Hit(chunk, 1.0)])}
    monkeypatch.setattr(extractive, "MAIN_CLAUSE_WEIGHT", 0.0)
    whole = {s.unit.text: s for s in UnitScorer(HashingEmbedder()).score(question, [Hit(chunk, 1.0)])}
    assert {t: s.support for t, s in leaning.items()} == {t: s.support for t, s in whole.items()}
    event, burn = "Police officers entered the family home in March.", "Child Y had an untreated burn on her leg."
    assert leaning[event].score - leaning[burn].score < whole[event].score - whole[burn].score
