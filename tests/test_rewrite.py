"""The rule-based rewrite of a follow-up into a question that stands alone (retriever/rewrite.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from stage_reviews import CHILD_Q, indexed

from core.units import split_units
from retriever.models import ScoredUnit, Turn
from retriever.rewrite import as_asked, asks_what_followed, happened_after, needs_context, rewrite, what_followed

_, _, Q_CHUNKS = indexed(f"{CHILD_Q}.md")

SUBJECTS = ["Child Q", "Young Person T"]
ABOUT_Q = [Turn("user", "What happened to Child Q at school?"), Turn("assistant", "In the Child Q review: … [1]")]


class TestNeedsContext:
    @pytest.mark.parametrize(
        "question",
        ["Was she seen alone?", "Why was that missed?", "And the recommendations?", "What about housing?", "Why?"],
        ids=["pronoun", "pointing back", "and …", "what about …", "very short"],
    )
    def test_a_question_leaning_on_what_came_before(self, question: str) -> None:
        assert needs_context(question)

    @pytest.mark.parametrize(
        "question", ["Who made the referral to children's social care?", "What did the school nurse record?"]
    )
    def test_a_question_that_stands_alone(self, question: str) -> None:
        assert not needs_context(question)


class TestRewrite:
    def test_no_history_leaves_the_question_as_asked(self) -> None:
        assert rewrite("Was she seen alone?", [], SUBJECTS) == "Was she seen alone?"

    def test_a_request_for_a_kind_of_section_keeps_the_review_the_last_question_named(self) -> None:
        """In a conversation about Child Q, "What were the recommendations?" asks for the Child Q review's; a
        question widening to the reviews, or asking anything else without a name, is asked of them all."""
        assert rewrite("What were the recommendations?", ABOUT_Q, SUBJECTS) == (
            "What were the recommendations in the Child Q review?"
        )
        for unscoped in (
            "Which reviews made recommendations about schools?",
            "Who made the referral to children's social care?",
        ):
            assert rewrite(unscoped, ABOUT_Q, SUBJECTS) == unscoped

    def test_a_question_naming_its_child_is_unchanged(self) -> None:
        question = "Was Young Person T seen alone?"
        assert rewrite(question, ABOUT_Q, SUBJECTS) == question

    def test_a_follow_up_naming_a_child_the_index_names_by_a_word_is_unchanged(self) -> None:
        assert rewrite("And was Child Wren seen alone?", ABOUT_Q, [*SUBJECTS, "Child Wren"]) == (
            "And was Child Wren seen alone?"
        )

    def test_a_pronoun_becomes_the_child_last_asked_about(self) -> None:
        assert rewrite("Was she seen alone?", ABOUT_Q, SUBJECTS) == "Was Child Q seen alone?"

    def test_they_is_read_with_the_previous_question_not_as_the_child_last_named(self) -> None:
        """ "They" after a question about the police is the police, not Child Q."""
        history = [Turn("user", "What did the police do about Child Q?"), Turn("assistant", "… [1]")]
        assert rewrite("What advice did they give?", history, SUBJECTS) == (
            "What advice did they give (What did the police do about Child Q?)"
        )

    def test_a_possessive_pronoun_becomes_a_possessive_name(self) -> None:
        assert rewrite("Was his mother told?", ABOUT_Q, SUBJECTS) == "Was Child Q's mother told?"

    def test_an_elliptic_follow_up_is_asked_of_the_childs_review(self) -> None:
        assert rewrite("And the recommendations?", ABOUT_Q, SUBJECTS) == "The recommendations in the Child Q review"

    def test_a_word_pointing_back_keeps_the_previous_question(self) -> None:
        rewritten = rewrite("Why was that missed?", ABOUT_Q, SUBJECTS)
        assert rewritten == "Why was that missed (What happened to Child Q at school?)"

    def test_without_a_child_the_previous_question_is_kept(self) -> None:
        history = [Turn("user", "What did the reviews find about housing?")]
        assert rewrite("Was she seen alone?", history, SUBJECTS) == (
            "Was she seen alone (What did the reviews find about housing?)"
        )

    def test_the_latest_child_asked_about_wins(self) -> None:
        history = [Turn("user", "Tell me about Child Q"), Turn("user", "What about Young Person T?")]
        assert rewrite("Was he seen alone?", history, SUBJECTS) == "Was Young Person T seen alone?"

    def test_a_child_named_by_role_and_letter_counts_even_if_no_review_is_about_them(self) -> None:
        history = [Turn("user", "What happened to Child Z?")]
        assert rewrite("Was she seen alone?", history, SUBJECTS) == "Was Child Z seen alone?"

    def test_a_follow_up_of_a_follow_up_reads_back_to_the_question_naming_the_child(self) -> None:
        history = [
            Turn("user", "Summarise the Child Q review"),
            Turn("assistant", "The Child Q review, in brief: … [1]"),
            Turn("user", "What were its recommendations?"),
            Turn("assistant", "The recommendations of the Child Q review: … [1]"),
        ]
        rewritten = rewrite("Which of them is about schools?", history, SUBJECTS)
        assert "Child Q" in rewritten
        assert as_asked(rewritten, history, SUBJECTS) == "Which of them is about schools"

    def test_a_count_of_what_it_does_not_name_keeps_the_question_that_names_it(self) -> None:
        """ "How many did she attend?" counts what the previous question was about, in searching and in choosing
        the passage that answers."""
        history = [Turn("user", "Were return home interviews offered to Child Q?"), Turn("assistant", "…")]
        rewritten = rewrite("How many did she attend?", history, SUBJECTS)
        assert "Child Q" in rewritten and "return home interviews" in rewritten
        assert as_asked(rewritten, history, SUBJECTS) == rewritten
        counted = rewrite("How many times did she go missing?", history, SUBJECTS)  # it names what it counts
        assert "return home" not in as_asked(counted, history, SUBJECTS)

    def test_only_the_users_turns_are_read(self) -> None:
        history = [Turn("user", "What did the reviews find about housing?"), Turn("assistant", "Young Person T …")]
        assert "Young Person T" not in rewrite("Was he seen alone?", history, SUBJECTS)


class TestAsAsked:
    def test_the_previous_question_added_for_searching_is_taken_off_again(self) -> None:
        rewritten = rewrite("Why was that missed?", ABOUT_Q, SUBJECTS)
        assert as_asked(rewritten, ABOUT_Q, SUBJECTS) == "Why was that missed"

    def test_a_question_that_stood_alone_is_unchanged(self) -> None:
        assert as_asked("How old was Child Q?", ABOUT_Q, SUBJECTS) == "How old was Child Q?"

    def test_without_history_a_closing_parenthesis_is_the_users_own(self) -> None:
        assert as_asked("Who called (and when)?", [], SUBJECTS) == "Who called (and when)?"


class TestWhatFollowed:
    @pytest.mark.parametrize(
        "question", ["Where did she go after that?", "What happened next?", "And then?", "What did they do afterwards?"]
    )
    def test_a_follow_up_asking_what_came_next(self, question: str) -> None:
        assert asks_what_followed(question)

    @pytest.mark.parametrize("question", ["And until then?", "What had happened by then?", "Where did she go?"])
    def test_a_follow_up_not_asking_what_came_next(self, question: str) -> None:
        assert not asks_what_followed(question)

    @pytest.mark.parametrize(
        ("question", "event"),
        [
            (
                "What happened after the girl was arrested for smashing a window?",
                "the girl was arrested for smashing a window",
            ),
            ("And what did the police do following the third call-out?", "the third call-out"),
            ("What happened after that?", ""),  # the previous answer's event, not one named
            ("What happened to Child Q after school?", ""),
        ],
    )
    def test_the_event_a_question_asks_what_followed(self, question: str, event: str) -> None:
        assert happened_after(question) == event

    def test_passages_after_the_anchor_come_first_its_own_section_before_others(self) -> None:
        text = "She told a teacher. The school called social care.\nShe moved to foster care."
        story = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        told, called, moved = split_units(story)
        later_section = replace(story, section_path=("Findings",))
        finding = split_units(later_section)[2]  # after the anchor, in another section
        other = replace(story, review_id="another-review")
        elsewhere = split_units(other)[2]
        scored = [ScoredUnit(u, s, s) for u, s in ((elsewhere, 0.9), (finding, 0.8), (told, 0.7), (moved, 0.4))]
        ordered = [s.unit for s in what_followed(called, scored)]
        assert ordered == [moved, finding, elsewhere, told]
