"""Follow-up questions made standalone by rule: names put in for pronouns, the previous question added for
searching, and taken off again to choose the passage that answers what is asked now."""

from __future__ import annotations

from retriever.models import Turn
from retriever.rewrite import as_asked, rewrite

SUBJECTS = ["Child K", "Infant L"]
HISTORY = (
    Turn("user", "What happened to Child K on the night of the fire?"),
    Turn("assistant", "A neighbour called the fire service at about 2am."),
)


def test_a_pronoun_is_replaced_by_the_last_named_child() -> None:
    assert rewrite("How old was he?", HISTORY, SUBJECTS) == "How old was Child K?"


def test_a_follow_up_pointing_back_carries_the_previous_question_for_searching() -> None:
    standalone = rewrite("Where did the children go after that?", HISTORY, SUBJECTS)
    assert standalone == "Where did the children go after that (What happened to Child K on the night of the fire?)"


def test_as_asked_takes_the_previous_question_off_again() -> None:
    standalone = rewrite("Where did the children go after that?", HISTORY, SUBJECTS)
    assert as_asked(standalone, HISTORY) == "Where did the children go after that"


def test_as_asked_leaves_a_question_that_stood_alone() -> None:
    assert as_asked("How old was Child K?", HISTORY) == "How old was Child K?"
    assert as_asked("Who called (and when)?", ()) == "Who called (and when)?"
