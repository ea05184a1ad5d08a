"""Grounding and abstention on their own: when the reviews do not answer, and what is said (retriever/abstention.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from stage_reviews import catalog_of_both

from core.models import ReviewMeta, Subject
from ingest.catalog import Catalog
from ingest.themes import load_themes
from retriever import abstention as policy
from retriever.question import read_question
from retriever.vocabulary import Vocabulary

INDEX = {
    "child-q": ReviewMeta("Rapid Review: Child Q", "Child Q", "rapid review", "Ashcombe Safeguarding Partnership", 2024,
                          (Subject("Child Q", ("Q",)),)),
    "young-person-t": ReviewMeta("Learning Review: Young Person T", "Young Person T", "learning review",
                                 "Fernley Safeguarding Partnership", 2023, (Subject("Young Person T", ("T",)),)),
    "neglect": ReviewMeta("Thematic review of neglect", None, "thematic review", "Harbury Partnership", 2022, ()),
}  # fmt: skip
ONE_REVIEW = policy.Scope("The Child Q review", False)
NO_NUMBER = ["Professionals did not speak to Child Q on her own."]
STRONG = 0.9


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return catalog_of_both(tmp_path_factory.mktemp("catalog"))  # read, never written, by these tests


def gaps_of(question: str, catalog: Catalog) -> policy.Gaps:
    asked = read_question(question, catalog.review_index())
    return policy.missing_terms(asked, Vocabulary(catalog), asked.reviews)


class TestScope:
    def test_one_review_takes_does(self) -> None:
        assert ONE_REVIEW.says("not answer this question.") == "The Child Q review does not answer this question."

    def test_several_reviews_take_do(self) -> None:
        assert (
            policy.Scope("The reviews searched", True).says("not mention it.")
            == "The reviews searched do not mention it."
        )


class TestRefuseBeforeSearch:
    def test_a_question_about_a_reviewed_child_goes_on_to_search(self) -> None:
        assert policy.refuse_before_search(read_question("What happened to Child Q?", INDEX), INDEX) is None

    def test_an_empty_index_refuses_an_unknown_child_too(self) -> None:
        refusal = policy.refuse_before_search(read_question("What happened to Child Z?", {}), {})
        assert refusal == policy.Refusal(
            "The reviews in this corpus do not cover Child Z; they cover no named children."
        )

    def test_children_no_review_is_about_are_named_with_those_covered(self) -> None:
        refusal = policy.refuse_before_search(read_question("What happened to Child Z and Baby K?", INDEX), INDEX)
        assert refusal == policy.Refusal(
            "The reviews in this corpus do not cover Child Z or Baby K; they cover Child Q, Young Person T."
        )

    def test_a_long_list_of_children_is_cut_short(self) -> None:
        many = {f"r{i}": ReviewMeta(f"Review {i}", subjects=(Subject(f"Child {chr(65 + i)}"),)) for i in range(14)}
        refusal = policy.refuse_before_search(read_question("What happened to Child Z?", many), many)
        assert refusal is not None and refusal.reason.endswith("Child L and 2 others.")

    def test_a_review_of_a_type_a_partnership_did_not_write_is_refused_listing_the_reviews(self) -> None:
        refusal = policy.refuse_before_search(
            read_question("What did the Ashcombe serious case review find?", INDEX), INDEX
        )
        assert refusal is not None
        assert refusal.reason.startswith("This corpus holds no serious case review from Ashcombe;")
        assert refusal.reason.endswith(
            "it holds Learning Review: Young Person T; Rapid Review: Child Q; Thematic review of neglect."
        )


class TestRefuseOnEvidence:
    def test_strong_evidence_is_not_refused(self) -> None:
        asked = read_question("What did professionals do?", INDEX)
        assert policy.refuse_on_evidence(asked, STRONG, NO_NUMBER, policy.Gaps(), ONE_REVIEW) is None

    def test_no_evidence_at_all_is_refused(self) -> None:
        asked = read_question("What did professionals do?", INDEX)
        refusal = policy.refuse_on_evidence(asked, 0.0, [], policy.Gaps(), ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not answer this question.")

    def test_the_support_bar_is_where_it_was_calibrated(self) -> None:
        asked = read_question("What did professionals do?", INDEX)
        assert (
            policy.refuse_on_evidence(asked, policy.MIN_SUPPORT - 0.01, NO_NUMBER, policy.Gaps(), ONE_REVIEW)
            is not None
        )
        assert policy.refuse_on_evidence(asked, policy.MIN_SUPPORT, NO_NUMBER, policy.Gaps(), ONE_REVIEW) is None

    def test_a_yes_no_question_about_something_never_said_names_it(self) -> None:
        asked = read_question("Was there any mention of a dog?", INDEX)
        gaps = policy.Gaps(unsaid="mention of a dog")
        refusal = policy.refuse_on_evidence(asked, policy.MIN_SUPPORT_WITH_GAP - 0.01, NO_NUMBER, gaps, ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not mention \u201cmention of a dog\u201d.")
        assert policy.refuse_on_evidence(asked, policy.MIN_SUPPORT_WITH_GAP, NO_NUMBER, gaps, ONE_REVIEW) is None

    def test_a_word_no_review_uses_needs_stronger_evidence(self) -> None:
        asked = read_question("What did professionals do about the debts?", INDEX)
        gaps = policy.Gaps(unknown=("debts",))
        assert policy.refuse_on_evidence(
            asked, policy.MIN_SUPPORT_UNKNOWN_WORD - 0.01, NO_NUMBER, gaps, ONE_REVIEW
        ) == policy.Refusal("The Child Q review does not mention \u201cdebts\u201d.")
        assert policy.refuse_on_evidence(asked, policy.MIN_SUPPORT_UNKNOWN_WORD, NO_NUMBER, gaps, ONE_REVIEW) is None

    def test_the_very_thing_asked_about_missing_is_refused_however_strong(self) -> None:
        asked = read_question("Which interpreter was used for Child Q?", INDEX)
        refusal = policy.refuse_on_evidence(asked, STRONG, NO_NUMBER, policy.Gaps(unknown=("interpreter",)), ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not mention \u201cinterpreter\u201d.")

    def test_a_fact_question_with_nothing_to_quote_is_refused_for_the_fact(self) -> None:
        asked = read_question("How many times did the school nurse see bruising?", INDEX)
        refusal = policy.refuse_on_evidence(asked, STRONG, [], policy.Gaps(), ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not give a number of times for this.")

    def test_a_question_turning_on_words_other_reviews_report_is_refused_however_strong(self) -> None:
        asked = read_question("Why was Child Q excluded from school?", INDEX)
        turning = policy.Gaps(telling=("excluded",), premise=True)
        refusal = policy.refuse_on_evidence(asked, STRONG, NO_NUMBER, turning, ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not mention \u201cexcluded\u201d.")
        aside = policy.Gaps(telling=("excluded",))  # a telling word among many the review does use
        assert policy.refuse_on_evidence(asked, STRONG, NO_NUMBER, aside, ONE_REVIEW) is None

    def test_a_meeting_or_service_other_reviews_name_by_initials_is_not_mentioned_however_strong(self) -> None:
        """ "When was Child Q's mother discussed at MARAC?" of a review that never names MARAC: its premise is an
        event the review does not record. A plain word other reviews use is weighed with the rest."""
        asked = read_question("When was Child Q's mother discussed at MARAC?", INDEX)
        dated = ["Child Q's mother was seen by the GP in March 2021."]
        refusal = policy.refuse_on_evidence(asked, STRONG, dated, policy.Gaps(telling=("MARAC",)), ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not mention \u201cMARAC\u201d.")
        assert policy.refuse_on_evidence(asked, STRONG, dated, policy.Gaps(telling=("discussed",)), ONE_REVIEW) is None

    @pytest.mark.parametrize(
        ("question", "stated"),
        [
            ("Which West African country did Child Q come from?", "Child Q came to the United Kingdom from Nigeria."),
            ("At which railway station was Child Q found?", "Police found Child Q at Kestermoor Station at 2am."),
        ],
    )
    def test_a_place_the_question_itself_gives_does_not_answer_it(self, question: str, stated: str) -> None:
        asked = read_question(question, INDEX)
        echoed = ["Child Q came to the United Kingdom from West Africa and was later found at a railway station."]
        refusal = policy.refuse_on_evidence(asked, STRONG, echoed, policy.Gaps(), ONE_REVIEW)
        assert refusal is not None and refusal.reason.startswith("The Child Q review does not")
        assert policy.refuse_on_evidence(asked, STRONG, [stated], policy.Gaps(), ONE_REVIEW) is None

    def test_the_event_a_fact_belongs_to_may_be_named_just_before_the_quote(self) -> None:
        """ "How many wraps was Child Q carrying when he was arrested?" is answered by "He had 22 wraps ..." set
        after the sentence naming the arrest; the same number with no arrest before it does not answer it."""
        asked = read_question("How many wraps of drugs was Child Q carrying when he was arrested?", INDEX)
        quote = "He had 22 wraps of crack cocaine concealed in his clothing."
        passage = f"Four days later he was arrested by police in a flat in Oakport. {quote}"
        assert policy.refuse_on_evidence(asked, STRONG, [quote], policy.Gaps(), ONE_REVIEW, [passage]) is None
        elsewhere = f"He moved schools twice that year. {quote}"
        refusal = policy.refuse_on_evidence(asked, STRONG, [quote], policy.Gaps(), ONE_REVIEW, [elsewhere])
        assert refusal == policy.Refusal("The Child Q review does not give a number for this.")

    def test_the_name_of_a_childrens_home_is_the_name_given_to_the_home(self) -> None:
        asked = read_question("What was the name of the residential children's home Child Q was placed in?", INDEX)
        named = ["She then moved to a residential children's home, Hollins Lodge, in a neighbouring county."]
        assert policy.refuse_on_evidence(asked, STRONG, named, policy.Gaps(), ONE_REVIEW) is None
        unnamed = ["She then moved to a residential children's home in a neighbouring county, as Mr Hale had asked."]
        assert policy.refuse_on_evidence(asked, STRONG, unnamed, policy.Gaps(), ONE_REVIEW) is not None

    @pytest.mark.parametrize(
        ("question", "other_count", "count"),
        [
            ("How many social workers did Child Q have?", "There were four referrals to children's social care.",
             "Child Q had five different social workers in two years."),
            ("How many times did Child Q go missing before she was found?", "Police attended twice before she was "
             "found.", "She went missing three times before she was found."),
            ("How many fractures did Child Q have?", "Child Q was 2 years old when a skeletal survey found that she "
             "had fractures.", "A skeletal survey found fractures to three of her ribs."),  # a number by the thing
        ],
    )  # fmt: skip
    def test_a_count_of_something_else_does_not_answer_how_many(
        self, question: str, other_count: str, count: str
    ) -> None:
        asked = read_question(question, INDEX)
        refusal = policy.refuse_on_evidence(asked, STRONG, [other_count], policy.Gaps(), ONE_REVIEW)
        assert refusal is not None and refusal.reason.startswith("The Child Q review does not give a number")
        assert policy.refuse_on_evidence(asked, STRONG, [count], policy.Gaps(), ONE_REVIEW) is None

    def test_a_fact_type_the_quotes_do_not_give_is_refused(self) -> None:
        asked = read_question("How many times did the school nurse see bruising?", INDEX)
        refusal = policy.refuse_on_evidence(asked, STRONG, NO_NUMBER, policy.Gaps(), ONE_REVIEW)
        assert refusal == policy.Refusal("The Child Q review does not give a number of times for this.")
        stated = ["The school nurse saw bruising 2 times and recorded it."]
        assert policy.refuse_on_evidence(asked, STRONG, stated, policy.Gaps(), ONE_REVIEW) is None


class TestMissingTerms:
    def test_a_question_in_the_reviews_own_words_has_no_gaps(self, catalog: Catalog) -> None:
        assert gaps_of("What did the school nurse record about Child Q?", catalog) == policy.Gaps()

    def test_a_word_another_review_uses_is_telling(self, catalog: Catalog) -> None:
        assert gaps_of("Why was Child Q excluded?", catalog) == policy.Gaps(telling=("excluded",))

    def test_a_word_no_review_uses_is_unknown_and_a_yes_no_question_says_what_it_asks(self, catalog: Catalog) -> None:
        gaps = gaps_of("Was there any mention of a dog?", catalog)
        assert "dog" in gaps.unknown and gaps.unsaid == "dog"

    def test_a_thing_asked_about_is_said_without_the_little_words_that_frame_it(self, catalog: Catalog) -> None:
        """ "an audit of referrals" is said by "should audit referrals": the reviews are not said not to mention it."""
        assert gaps_of("Was there any audit of referrals?", catalog).unsaid == ""
        assert gaps_of("Was there any audit of dog licences?", catalog).unsaid == "audit of dog licences"


class _Words:
    """A vocabulary of a few reviews' words, as Vocabulary answers about them (review id -> its words)."""

    def __init__(self, words: dict[str, set[str]]) -> None:
        self.words = words

    def uses(self, word: str, review_ids: Sequence[str] = ()) -> bool:
        return any(word in self.words[r] for r in review_ids or self.words)

    def users(self, word: str) -> int:
        return sum(word in held for held in self.words.values())

    def share(self, word: str) -> float:
        return self.users(word) / len(self.words)

    def says(self, phrase: str, review_ids: Sequence[str] = ()) -> bool:
        return all(self.uses(w, review_ids) for w in phrase.split())


class TestPremise:
    """A question is about something the review never says when most of its words are ones other reviews use
    and this one never does."""

    REVIEWS = {"child-q": {"school", "old"}, "young-person-t": {"excluded", "school"}, "neglect": {"excluded"},
               "other-a": {"school"}, "other-b": {"school"}}  # fmt: skip

    def gaps(self, question: str, reviews: dict[str, set[str]] | None = None) -> policy.Gaps:
        asked = read_question(question, INDEX)
        return policy.missing_terms(asked, _Words(reviews or self.REVIEWS), ("child-q",))  # type: ignore[arg-type]

    def test_the_main_word_two_other_reviews_report_is_the_premise(self) -> None:
        assert self.gaps("Why was Child Q excluded from school?").premise

    def test_a_word_one_other_review_uses_may_be_chance(self) -> None:
        reviews = {**self.REVIEWS, "neglect": set()}
        gaps = self.gaps("Why was Child Q excluded from school?", reviews)
        assert gaps.telling == ("excluded",) and not gaps.premise

    def test_a_when_clause_only_dates_the_fact_asked_for(self) -> None:
        assert not self.gaps("How old was Child Q when she was excluded?").premise

    def test_what_someone_was_doing_is_not_a_word_the_review_must_use(self) -> None:
        """ "Who was looking after Child Q?": the review says who cared for her, in its own verb."""
        reviews = {**self.REVIEWS, "young-person-t": {"looking", "school"}}
        assert self.gaps("Who was looking after Child Q?", reviews).telling == ()
        assert self.gaps("Who looked after Child Q, looking ahead?", reviews).telling == ("looking",)

    def test_how_everyday_speech_puts_a_question_is_not_a_word_the_review_must_use(self) -> None:
        """ "Who's looking after Child Q these days?", "the men who kept calling at school": a contracted "is", a
        verb saying only that something went on, and "these days" for now are how it is put, not what it asks."""
        reviews = {**self.REVIEWS, "young-person-t": {"looking", "days", "kept", "school"}, "neglect": {"days"}}
        assert self.gaps("Who's looking after Child Q these days?", reviews).telling == ()
        assert self.gaps("Why did nobody stop the men who kept calling at school?", reviews).telling == ()
        assert self.gaps("How many days was Child Q kept at school?", reviews).telling == ("days", "kept")

    def test_the_verb_of_a_phrasal_verb_is_not_a_word_the_review_must_use(self) -> None:
        """ "Who did Child Q open up to, and what set it off?" asks whom she confided in and why: a review that
        never says "open" or "set" may say both; a word no review uses is not "unknown" there either."""
        reviews = {**self.REVIEWS, "young-person-t": {"open", "set", "school"}, "neglect": {"open", "set"}}
        gaps = self.gaps("Who did Child Q open up to at school, and what set it off?", reviews)
        assert gaps.telling == () and gaps.unknown == () and not gaps.premise
        assert self.gaps("Who did Child Q open the letter to?", reviews).telling == ("open",)  # no particle


class TestAbsentThemes:
    def test_a_theme_the_question_raises_that_no_review_mentions(self, catalog: Catalog) -> None:
        themes = load_themes()
        absent = policy.absent_themes("Was female genital mutilation a concern?", themes, catalog, lambda _: False)
        assert absent and all(not any(catalog.mentions(cue) for cue in t.cues) for t in absent)

    def test_no_theme_raised_none_absent(self, catalog: Catalog) -> None:
        assert policy.absent_themes("Who did the school nurse tell?", load_themes(), catalog, lambda _: False) == []

    def test_a_theme_raised_in_words_the_reviews_use_is_left_to_the_evidence(self, catalog: Catalog) -> None:
        """No cue of the theme is in the reviews, but every word the question raises it with is."""
        question = "Was female genital mutilation a concern?"
        assert policy.absent_themes(question, load_themes(), catalog, lambda _: True) == []


class TestAbstentionText:
    def test_says_the_closest_passages_do_not_answer(self) -> None:
        assert policy.abstention_text(policy.Refusal("The reviews do not say."), filtered=False) == (
            "The reviews do not say. The closest passages are listed below; they do not answer it."
        )

    def test_under_a_filter_says_only_the_chosen_reviews_were_searched(self) -> None:
        text = policy.abstention_text(policy.Refusal("The reviews do not say."), filtered=True)
        assert "Only the reviews or sections you chose were searched." in text


def test_a_refusal_on_words_never_used_names_every_such_word() -> None:
    question = read_question("Why was Child Q excluded after the dog bit him?", {})
    gaps = policy.Gaps(telling=("excluded",), unknown=("dog",))
    refusal = policy.refuse_on_evidence(question, 0.3, [], gaps, ONE_REVIEW)
    assert refusal is not None and refusal.reason == "The Child Q review does not mention “excluded” or “dog”."
