"""Extractive selection on its own: which review sentences are scored, chosen and cited (retriever/extractive.py).

Selection is tested with scores set by hand, so each assertion is about the rule and not about a model; the
scorer is tested with the hashed bag-of-words embedder, under which texts sharing words really are closer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import HashingEmbedder
from stage_reviews import CHILD_Q, THEMATIC, YOUNG_PERSON_T, indexed

from core.units import Unit, split_units
from retriever.extractive import FACT_MARGIN, MARGIN, ExtractiveAnswerer, UnitScorer, compose, dedupe, direct_units
from retriever.models import Hit, ScoredUnit
from retriever.question import read_question

Q_REVIEW, _, Q_CHUNKS = indexed(f"{CHILD_Q}.md")
T_REVIEW, _, T_CHUNKS = indexed(f"{YOUNG_PERSON_T}.md")
N_REVIEW, _, N_CHUNKS = indexed(f"{THEMATIC}.md")
INDEX = {r.review_id: r.meta for r in (Q_REVIEW, T_REVIEW, N_REVIEW)}
SUBJECTS = {Q_REVIEW.review_id: "Child Q", T_REVIEW.review_id: "Young Person T"}


def unit(chunks: list, words: str) -> Unit:  # type: ignore[type-arg]
    """The unit of these chunks that holds the words."""
    return next(u for c in chunks for u in split_units(c) if words in u.text)


NINE = unit(Q_CHUNKS, "nine years old")
GRANDMOTHER = unit(Q_CHUNKS, "grandmother")
NURSE = unit(Q_CHUNKS, "school nurse")
NOT_ALONE = unit(Q_CHUNKS, "did not speak")
EXCLUDED = unit(T_CHUNKS, "excluded from two schools")
DEBTS = unit(T_CHUNKS, "debts")


def scored(*pairs: tuple[Unit, float]) -> list[ScoredUnit]:
    return [ScoredUnit(u, s, s) for u, s in pairs]


@pytest.fixture
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(SUBJECTS.get)


class TestUnitScorer:
    def test_no_hits_no_units(self) -> None:
        assert UnitScorer(HashingEmbedder()).score("What did the school nurse see?", []) == []

    def test_the_unit_sharing_the_questions_words_comes_first(self) -> None:
        ranked = UnitScorer(HashingEmbedder()).score("What did the school nurse see?", [Hit(c, 1.0) for c in Q_CHUNKS])
        assert ranked[0].unit.text == NURSE.text
        assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)

    def test_every_quotable_unit_is_scored_once_and_lead_ins_are_not(self) -> None:
        hits = [Hit(c, 1.0) for c in N_CHUNKS + N_CHUNKS]  # the same chunk twice
        texts = [s.unit.text for s in UnitScorer(HashingEmbedder()).score("neglect", hits)]
        assert len(texts) == len(set(texts)) == 4
        assert not any(t.endswith(":") for t in texts)

    def test_a_childs_name_does_not_make_a_sentence_relevant(self) -> None:
        assert UnitScorer.neutral("Child Q's grandmother met Young Person T") == "the child grandmother met the child"
        assert UnitScorer.neutral("Child 2 and Sibling 1 were seen") == "the child and the child were seen"
        hits = [Hit(c, 1.0) for c in Q_CHUNKS]
        by_q = {s.unit.text: s.score for s in UnitScorer(HashingEmbedder()).score("Was Child Q seen alone?", hits)}
        by_t = {s.unit.text: s.score for s in UnitScorer(HashingEmbedder()).score("Was Baby K seen alone?", hits)}
        assert by_q == pytest.approx(by_t)  # the same question about another child scores every sentence the same

    def test_a_chunk_the_search_ranked_higher_lends_its_units_a_little(self) -> None:
        scorer = UnitScorer(HashingEmbedder())
        question = "What did the school nurse see?"
        low = {s.unit.text: s.score for s in scorer.score(question, [Hit(c, 0.1) for c in Q_CHUNKS[:1]] +
                                                                     [Hit(c, 1.0) for c in Q_CHUNKS[1:]])}  # fmt: skip
        high = {s.unit.text: s.score for s in scorer.score(question, [Hit(c, 1.0) for c in Q_CHUNKS])}
        assert high[GRANDMOTHER.text] > low[GRANDMOTHER.text]


class TestDirectAnswer:
    def test_a_new_answerer_is_the_offline_one(self, answerer: ExtractiveAnswerer) -> None:
        assert answerer.name == "extractive"

    def test_nothing_scored_gives_an_empty_draft(self, answerer: ExtractiveAnswerer) -> None:
        draft = answerer.draft(read_question("What did the school nurse see?", INDEX), [])
        assert draft.text == "" and draft.citations == ()

    def test_the_best_passage_is_quoted_and_cited_under_its_review(self, answerer: ExtractiveAnswerer) -> None:
        asked = read_question("What did the school nurse see?", INDEX)
        draft = answerer.draft(asked, scored((NURSE, 0.8), (NOT_ALONE, 0.5)))
        assert draft.text == f"In the Child Q review: {NURSE.text} [1]"
        assert [(c.marker, c.quote, c.start) for c in draft.citations] == [(1, NURSE.text, NURSE.start)]

    def test_passages_too_close_to_call_are_all_quoted(self, answerer: ExtractiveAnswerer) -> None:
        asked = read_question("What did the school nurse see?", INDEX)
        draft = answerer.draft(asked, scored((NURSE, 0.8), (NOT_ALONE, 0.8 - MARGIN / 2), (GRANDMOTHER, 0.3)))
        assert draft.text == f"In the Child Q review:\n- {NURSE.text} [1]\n- {NOT_ALONE.text} [2]"

    def test_a_sentence_leaning_back_on_the_answer_is_quoted_with_it(self, answerer: ExtractiveAnswerer) -> None:
        asked = read_question("Who did Child Q live with?", INDEX)
        draft = answerer.draft(asked, scored((GRANDMOTHER, 0.8), (NURSE, 0.3)))
        both = f"{GRANDMOTHER.text} {NINE.text}"  # "She was nine years old ..." follows in the same paragraph
        assert [(c.quote, c.start, c.end) for c in draft.citations] == [(both, GRANDMOTHER.start, NINE.end)]

    def test_a_sentence_starting_a_new_thought_or_paragraph_is_not_joined(self) -> None:
        chunk = replace(Q_CHUNKS[0], text="The nurse saw a bruise.\nShe left.\nHer mother rang.", start=0, end=49)
        first, second, third = split_units(chunk)
        asked = read_question("What did the nurse see?", INDEX)
        assert direct_units(asked, scored((first, 0.8))) == [first]  # "She left." is in the next paragraph
        assert direct_units(asked, scored((second, 0.8))) == [second]  # "Her ..." does not lean back

    def test_a_sentence_naming_again_what_the_answer_named_is_joined(self) -> None:
        text = "An interpreter was booked. The interpreter spoke Amharic. The mother spoke Tigrinya."
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        booked, spoke, mother = split_units(chunk)
        asked = read_question("What language did the interpreter speak?", INDEX)
        assert [u.text for u in direct_units(asked, scored((booked, 0.8)))] == [f"{booked.text} {spoke.text}"]
        assert direct_units(asked, scored((spoke, 0.8))) == [spoke]  # "the mother" was not named before

    def test_a_passage_giving_the_fact_asked_for_joins_a_best_passage_that_does_not(self) -> None:
        text = "Niamh died from a head injury. Her mother was 20. The review concerns a two-year-old girl."
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        died, mother, girl = split_units(chunk)
        asked = read_question("What age was Niamh when she died?", INDEX)
        assert direct_units(asked, scored((died, 0.9), (mother, 0.8), (girl, 0.7))) == [died, girl]
        far = scored((died, 0.9), (girl, 0.9 - FACT_MARGIN - 0.01), (mother, 0.1))
        assert direct_units(asked, far) == [died]  # too far

    def test_what_the_one_asked_about_did_is_read_on_through_its_paragraph(self) -> None:
        """ "What did the GP do about the bruise?": the sentence naming the bruise is the premise; what the GP did
        is said two sentences on, in the same paragraph. Another question is answered as before."""
        text = (
            "The GP noticed a bruise on her ear. Her father said it was the car seat. The GP did not refer her.\nNext."
        )
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        noticed, said, did_not, _ = split_units(chunk)
        asked = read_question("What did the GP do about the bruise on her ear?", INDEX)
        assert [u.text for u in direct_units(asked, scored((noticed, 0.9)))] == [
            f"{noticed.text} {said.text} {did_not.text}"
        ]
        other = read_question("What was on her ear?", INDEX)
        assert direct_units(other, scored((noticed, 0.9))) == [noticed]

    def test_a_passage_restating_the_premise_is_read_on_to_the_sentence_with_what_is_asked(self) -> None:
        """ "What did the hospital diagnose when Child Q was eight weeks old?": the best passage restates the
        premise; the diagnosis is two sentences on. A sentence sharing only the child's name is no answer, and a
        passage giving every fact asked for is not read on."""
        text = (
            "When Child Q was eight weeks old she was brought to hospital vomiting. Her father interpreted. "
            "Child Q was examined and diagnosed with reflux. Child Q went home.\nNext."
        )
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        brought, interpreted, diagnosed, home, _ = split_units(chunk)
        asked = read_question("What did the hospital diagnose when Child Q was eight weeks old?", INDEX)
        assert [u.text for u in direct_units(asked, scored((brought, 0.9)))] == [
            f"{brought.text} {interpreted.text} {diagnosed.text}"
        ]
        who = read_question("Who interpreted for Child Q?", INDEX)
        assert direct_units(who, scored((interpreted, 0.9))) == [interpreted]  # the next shares only the name
        age = read_question("How old was Child Q when she was diagnosed?", INDEX)
        assert direct_units(age, scored((brought, 0.9))) == [brought]  # the age asked for is given

    def test_what_came_of_something_is_read_on_to_the_sentence_after_it(self) -> None:
        """The passage telling of the email is followed, in its paragraph, by what came of it."""
        text = "The school emailed the social worker to object to the closure. Her email was not answered.\nNext."
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        emailed, unanswered, _ = split_units(chunk)
        for asked in (
            "What came of the school's email objecting to the closure?",
            "What was the outcome of the email?",
            "What did the school do after emailing the social worker?",
        ):
            assert [u.text for u in direct_units(read_question(asked, INDEX), scored((emailed, 0.9)))] == [
                f"{emailed.text} {unanswered.text}"
            ], asked
        other = read_question("Who did the school email to object to the closure?", INDEX)
        assert direct_units(other, scored((emailed, 0.9))) == [emailed]

    def test_a_why_question_gets_the_passage_giving_the_reason_not_only_the_one_restating_it(self) -> None:
        """ "Why wasn't the family moved?": the request matches the question best; the reason is the next
        paragraph. A recommendation "so that ..." gives a purpose, not the reason, and does not join."""
        text = (
            "The mother asked the council for a transfer.\n"
            "The application was refused because there was no police evidence.\n"
            "Councils should consult children's social care so that risk is weighed."
        )
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        asked_for, refused, should = split_units(chunk)
        asked = read_question("Why wasn't the family moved when the mother asked for a transfer?", INDEX)
        assert direct_units(asked, scored((asked_for, 0.9), (should, 0.8), (refused, 0.75))) == [asked_for, refused]
        told = read_question("What did the mother ask the council for?", INDEX)  # no reason asked for
        assert direct_units(told, scored((asked_for, 0.9), (should, 0.8), (refused, 0.75))) == [asked_for]

    def test_a_passage_too_close_to_call_is_read_on_and_quoted_once(self) -> None:
        """ "The strategy says the profile should be completed. It was never completed." is one passage, wherever it
        stands in the answer, and a sentence it already quotes is not quoted again."""
        text = "The plan was stepped down.\nThe strategy says the profile should be completed. It was never completed."
        chunk = replace(Q_CHUNKS[0], text=text, start=0, end=len(text))
        down, says, never = split_units(chunk)
        asked = read_question("Was the profile used?", INDEX)
        chosen = direct_units(asked, scored((down, 0.8), (says, 0.79), (never, 0.78)))
        assert [u.text for u in chosen] == [down.text, f"{says.text} {never.text}"]

    def test_a_bullet_brings_the_rest_of_its_list_when_a_lead_in_introduces_it(
        self, answerer: ExtractiveAnswerer
    ) -> None:
        moved = unit(N_CHUNKS, "moved often")
        draft = answerer.draft(read_question("Why was neglect hard to name?", INDEX), scored((moved, 0.7)))
        assert [c.quote for c in draft.citations] == [
            "the families moved often;",
            "the home conditions were judged against each other;",
            "no agency held the whole history.",
        ]

    def test_a_review_about_no_one_child_is_named_by_its_title(self, answerer: ExtractiveAnswerer) -> None:
        best = unit(N_CHUNKS, "Supervision")
        draft = answerer.draft(read_question("What should supervision test?", INDEX), scored((best, 0.7)))
        assert draft.text.startswith("In Thematic Review of Neglect in Harbury: Supervision")


class TestAcrossReviews:
    def test_says_how_many_reviews_had_something_and_quotes_each(self, answerer: ExtractiveAnswerer) -> None:
        asked = read_question("Which reviews mention school?", INDEX)
        assert asked.across
        draft = answerer.draft(asked, scored((NURSE, 0.7), (EXCLUDED, 0.65)), searched=3)
        assert draft.text.startswith("2 of the 3 reviews searched have something on this.\n\n")
        assert f"In the Child Q review: {NURSE.text} [1]" in draft.text
        assert f"In the Young Person T review: {EXCLUDED.text} [2]" in draft.text

    def test_a_review_whose_best_passage_is_far_below_the_best_is_left_out(self, answerer: ExtractiveAnswerer) -> None:
        asked = read_question("Which reviews mention school?", INDEX)
        draft = answerer.draft(asked, scored((NURSE, 0.9), (EXCLUDED, 0.42)), searched=2)
        assert draft.text.startswith("1 of the 2 reviews searched") and "Young Person T" not in draft.text

    def test_which_reviews_are_every_review_with_support_not_only_those_near_the_best(
        self, answerer: ExtractiveAnswerer
    ) -> None:
        """ "Which reviews ...?" asks for each review that has something: a review whose best passage clears the
        support threshold is named, however far below the best it is; a question about what the reviews say
        gives those near the best."""
        which = answerer.draft(
            read_question("Which reviews mention school?", INDEX), scored((NURSE, 0.9), (EXCLUDED, 0.5))
        )
        assert "Young Person T" in which.text
        asked = read_question("What do the reviews say about school?", INDEX)
        assert asked.across and not asked.which
        assert "Young Person T" not in answerer.draft(asked, scored((NURSE, 0.9), (EXCLUDED, 0.5))).text

    def test_nothing_scored_still_says_none_of_the_reviews_had_anything(self, answerer: ExtractiveAnswerer) -> None:
        draft = answerer.draft(read_question("Which reviews mention school?", INDEX), [], searched=3)
        assert draft.text.startswith("0 of the 3 reviews searched") and draft.citations == ()


class TestLists:
    def test_every_item_in_the_reviews_order_and_numbering(self, answerer: ExtractiveAnswerer) -> None:
        recommendations = [c for c in Q_CHUNKS if c.section_kind == "recommendations"]
        draft = answerer.lists({Q_REVIEW.review_id: recommendations}, "recommendations")
        assert draft.text == (
            "The recommendations of the Child Q review:\n"
            "1. Agencies should see the child alone at every visit. [1]\n"
            "2. The partnership should audit referrals within six months. [2]"
        )
        assert [c.marker for c in draft.citations] == [1, 2]

    def test_one_list_per_review_and_a_review_without_items_is_skipped(self, answerer: ExtractiveAnswerer) -> None:
        findings = [c for c in Q_CHUNKS if c.section_kind == "findings"]
        draft = answerer.lists({T_REVIEW.review_id: [], Q_REVIEW.review_id: findings}, "findings")
        assert draft.text.startswith("The findings of the Child Q review:\n1. Professionals")
        assert "Young Person T" not in draft.text

    def test_no_sections_no_list(self, answerer: ExtractiveAnswerer) -> None:
        assert answerer.lists({}, "learning").text == ""


class TestComposeAndDedupe:
    def test_units_are_grouped_by_review_in_the_order_first_answered(self) -> None:
        draft = compose([NURSE, EXCLUDED, NOT_ALONE], SUBJECTS.get, "extractive")
        assert draft.text == (
            f"In the Child Q review:\n- {NURSE.text} [1]\n- {NOT_ALONE.text} [2]\n\n"
            f"In the Young Person T review: {EXCLUDED.text} [3]"
        )

    def test_a_review_about_several_children_is_grouped_and_labelled_by_child(self) -> None:
        about_a, about_b = (replace(N_CHUNKS[0], child=child) for child in ("Child A", "Child B"))
        first, second = split_units(about_a)[0], split_units(about_b)[1]
        draft = compose([first, NURSE, second], SUBJECTS.get, "extractive")
        title = N_REVIEW.meta.title
        assert draft.text == (
            f"In {title}, about Child A: {first.text} [1]\n\nIn the Child Q review: {NURSE.text} [2]\n\n"
            f"In {title}, about Child B: {second.text} [3]"
        )

    def test_the_same_words_in_the_same_review_count_once(self) -> None:
        again = Unit(
            NURSE.chunk, NURSE.start, NURSE.end, "  the SCHOOL nurse saw bruising twice and recorded it. ", False
        )
        assert dedupe([NURSE, again, DEBTS]) == [NURSE, DEBTS]
