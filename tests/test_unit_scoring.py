"""How evidence sentences are scored against a question and when a fact asked for counts as given, with a hashed
stub encoder (no model): the lexical half of the score and the fact check are what is under test."""

from __future__ import annotations

from conftest import HashingEmbedder

from core.models import Chunk
from core.units import split_units
from retriever.abstention import Gaps, Scope, refuse_on_evidence
from retriever.extractive import UnitScorer, _term_weights, direct_units
from retriever.models import Hit, ScoredUnit
from retriever.question import read_question


def test_a_question_word_few_passages_use_weighs_more_than_one_every_passage_shares() -> None:
    weights = _term_weights({"child", "burn"}, [{"child", "seen"}, {"child", "burn"}, {"child", "nurseri"}])
    assert weights["burn"] > weights["child"] == 1.0


def test_sentences_are_ranked_by_the_question_words_they_share() -> None:
    chunk = Chunk(
        "r:1", "r", "Review R", None, ("Background",), "Background", 1, 0, 0, 120, (1,),
        "The health visitor saw the child at home. The GP saw a burn on the child's hand. The nursery was closed.",
    )  # fmt: skip
    scored = UnitScorer(HashingEmbedder()).score("Who saw the burn on the child's hand?", [Hit(chunk, 1.0)])
    assert scored[0].unit.text == "The GP saw a burn on the child's hand."


def test_a_passage_of_one_or_two_words_is_not_an_answer() -> None:
    """A form's rows of names ("Estyn", "HMI Probation") say nothing about them: they are not quoted as if they did."""
    text = "Agencies informed\n\nEstyn\n\nHMI Probation\n\nThe review panel met five times in 2022."
    chunk = Chunk("r:1", "r", "Review R", None, ("Form",), "Form", 1, 0, 0, len(text), (1,), text)
    scored = UnitScorer(HashingEmbedder()).score("Was Estyn informed?", [Hit(chunk, 1.0)])
    assert [s.unit.text for s in scored] == ["The review panel met five times in 2022."]


def test_a_fact_question_puts_a_passage_stating_a_fact_of_its_type_first_without_raising_its_support() -> None:
    text = "Child Q lived with her grandmother in a small town by the sea. At the time she was nine."
    chunk = Chunk("r:1", "r", "Review R", None, ("Background",), "Background", 1, 0, 0, len(text), (1,), text)
    question = read_question("How old was Child Q?", {})
    plain = UnitScorer(HashingEmbedder()).score(question.text, [Hit(chunk, 1.0)])
    preferring = UnitScorer(HashingEmbedder()).score(question.text, [Hit(chunk, 1.0)], question.fact_patterns)
    assert plain[0].unit.text.startswith("Child Q lived")  # the name the question shares wins on words alone
    assert preferring[0].unit.text == "At the time she was nine."
    assert {s.unit.text: s.support for s in preferring} == {s.unit.text: s.support for s in plain}


def _bonus(question: str, text: str) -> dict[str, float]:
    """Each sentence's ordering bonus (score beyond support) for a question, as the scorer reads the question."""
    chunk = Chunk("r:1", "r", "Review R", None, ("Findings",), "Findings", 1, 0, 0, len(text), (1,), text)
    asked = read_question(question, {})
    scored = UnitScorer(HashingEmbedder()).score(asked.text, [Hit(chunk, 1.0)], asked.fact_patterns)
    return {s.unit.text: round(s.score - s.support, 3) for s in scored}


def test_a_passage_saying_what_should_be_done_states_no_fact() -> None:
    question = "How long did the disclosure to the mother take?"
    assert _bonus(question, "Disclosures should be made within 28 days.") == {
        "Disclosures should be made within 28 days.": 0.0
    }
    assert _bonus(question, "The disclosure was made 28 days later.")["The disclosure was made 28 days later."] > 0


def test_a_sentence_whose_next_one_leans_back_with_the_fact_states_it() -> None:
    bonus = _bonus("How much did Child K weigh?", "Child K was admitted in May. She weighed 24 kilograms.")
    assert bonus["Child K was admitted in May."] > 0  # quoted with "She weighed 24 kilograms."
    assert _bonus("How much did Child K weigh?", "Child K was admitted in May.")["Child K was admitted in May."] == 0


def test_a_why_question_puts_a_passage_giving_a_reason_first_among_near_equals() -> None:
    text = "The nurse saw the family at home.\nThe nurse saw the family because the baby had a rash."
    chunk = Chunk("r:1", "r", "Review R", None, ("Findings",), "Findings", 1, 0, 0, len(text), (1,), text)
    scorer = UnitScorer(HashingEmbedder())
    assert scorer.score("Did the nurse see the family?", [Hit(chunk, 1.0)])[0].unit.text.endswith("at home.")
    assert scorer.score("Why did the nurse see the family?", [Hit(chunk, 1.0)])[0].unit.text.endswith("a rash.")


def test_a_fact_completing_the_sentence_that_names_the_event_is_given() -> None:
    question = read_question("How much did Child K weigh when she was admitted to hospital?", {})
    quotes = ["Child K was admitted to hospital in May.", "She weighed 24 kilograms."]
    assert refuse_on_evidence(question, 0.9, quotes, Gaps(), Scope("The Child K review", False)) is None


def test_an_exact_date_is_a_day_a_month_and_year_do_not_give_it() -> None:
    question = read_question("On what exact date was Child K admitted to hospital?", {})
    scope = Scope("The Child K review", False)
    refusal = refuse_on_evidence(question, 0.9, ["Child K was admitted to hospital in August 2020."], Gaps(), scope)
    assert refusal is not None and "does not give an exact date" in refusal.reason
    day = "Child K was admitted to hospital on 4 August 2020."
    assert refuse_on_evidence(question, 0.9, [day], Gaps(), scope) is None


def test_a_fact_far_from_the_event_is_not_given() -> None:
    question = read_question("How much did Child K weigh when she was admitted to hospital?", {})
    quotes = ["She weighed 24 kilograms at birth.", "Child K was admitted to hospital in May."]
    refusal = refuse_on_evidence(question, 0.9, quotes, Gaps(), Scope("The Child K review", False))
    assert refusal is not None and "does not give a weight" in refusal.reason


def _scored(*sentences: tuple[str, float]) -> list[ScoredUnit]:
    text = " ".join(sentence for sentence, _ in sentences)
    chunk = Chunk("r:1", "r", "Review R", None, ("Episodes",), "Episodes", 1, 0, 0, len(text), (1,), text)
    scores = dict(sentences)
    return sorted((ScoredUnit(u, scores[u.text], scores[u.text]) for u in split_units(chunk)), key=lambda s: -s.score)


def test_once_the_fact_asked_for_is_given_a_close_passage_giving_none_is_left_out() -> None:
    question = read_question("How many times was Child K reported missing?", {})
    scored = _scored(("Child K was reported missing 11 times.", 0.80), ("The police were slow to respond.", 0.78))
    assert [u.text for u in direct_units(question, scored)] == ["Child K was reported missing 11 times."]


def test_a_question_asking_two_facts_keeps_the_close_passage_giving_the_second() -> None:
    question = read_question("How many times was Child K reported missing, and how long was the longest episode?", {})
    scored = _scored(("The longest episode lasted nine days.", 0.80), ("Child K was reported missing 11 times.", 0.77))
    quoted = " ".join(u.text for u in direct_units(question, scored))  # one passage or two, both facts quoted
    assert "The longest episode lasted nine days." in quoted and "Child K was reported missing 11 times." in quoted


def test_a_when_clause_across_reviews_is_each_reviews_own_event_not_one_to_match_word_for_word() -> None:
    question = read_question("How old were the babies in both reviews when the incidents happened?", {})
    quotes = ["In August, when the twins were 14 weeks old, P was found unresponsive.", "Baby N was aged 11 weeks."]
    assert question.across
    assert refuse_on_evidence(question, 0.9, quotes, Gaps(), Scope("The reviews searched", True)) is None


def test_a_which_question_whose_evidence_brings_the_thing_in_unnamed_says_the_review_does_not_say_which() -> None:
    question = read_question("Which platform was Child K contacted on?", {})
    scope = Scope("The Child K review", False)
    quotes = ["Child K was contacted on a social media platform by an adult posing as a girl."]
    passages = ["She reported the account to the platform."]  # 'the platform' refers back; it names nothing
    refusal = refuse_on_evidence(question, 0.9, quotes, Gaps(), scope, passages)
    assert refusal is not None and refusal.reason == "The Child K review does not say which platform."


def test_a_which_question_whose_evidence_names_the_thing_is_answered() -> None:
    scope = Scope("The Child K review", False)
    for asked, passage in [
        ("Which platform was Child K contacted on?", "Child K was contacted on a platform called Chatterbox."),
        ("Which platform was Child K contacted on?", "He was contacted on a platform, Chatterbox, at night."),
        ("Which school did Child K attend?", "Child K attended a primary school, then Hillside Academy School."),
        ("Which guidance did the review point to?", '"Working Together" is a guidance document.'),
        ("Which ward was Child K taken to?", "Child K was taken to ward."),  # no 'a': not brought in unnamed
    ]:
        assert refuse_on_evidence(read_question(asked, {}), 0.9, [passage], Gaps(), scope) is None, passage


def test_a_name_asked_for_is_given_only_when_the_thing_asked_about_is_named() -> None:
    """ "What was the name of Child K's younger sister?": a passage naming his mother beside the sister does not
    give it; one setting her name after her does. A school is named by a school's name."""
    scope = Scope("The Child K review", False)
    sister = read_question("What was the name of Child K's younger sister?", {})
    beside = ["Child K lives with his mother, Ms D, and his younger sister, who is now eight years old."]
    refusal = refuse_on_evidence(sister, 0.9, beside, Gaps(), scope)
    assert refusal is not None and refusal.reason == "The Child K review does not give a name for this."
    assert (
        refuse_on_evidence(sister, 0.9, ["Child K lives with his younger sister, Amy, and his mother."], Gaps(), scope)
        is None
    )
    school = read_question("What was the name of the school Child K attended?", {})
    moving = ["Shortly before he was due to move to secondary school, Ms K wrote to the local authority."]
    assert refuse_on_evidence(school, 0.9, moving, Gaps(), scope) is not None
    assert refuse_on_evidence(school, 0.9, ["Child K attended Oakfield Academy."], Gaps(), scope) is None


def test_a_name_the_review_calls_someone_by_gives_the_name_asked_for() -> None:
    """ "referred to in this summary as Mr Doyle" names the partner it follows; "she is referred to in this review
    as Ms Q" names the adult a question calls only "the woman" when no woman is mentioned."""
    scope = Scope("The Child G review", False)
    partner = read_question("What was the name of Child G's mother's former partner?", {})
    named = ["G's mother was attacked by her former partner, referred to in this summary as Mr Doyle."]
    assert refuse_on_evidence(partner, 0.9, named, Gaps(), scope) is None
    assert refuse_on_evidence(partner, 0.9, ["G's mother was attacked by her former partner."], Gaps(), scope)
    woman = read_question("What was the name of the woman Child G lived with?", {})
    called = ["G called the family friend Auntie, and she is referred to in this review as Ms Q."]
    assert refuse_on_evidence(woman, 0.9, called, Gaps(), scope) is None


def test_the_age_of_someone_else_asked_for_is_given_only_of_them() -> None:
    """ "How old was J's stepfather?" is not answered by J's own age; it is by an age set after him."""
    scope = Scope("The Child J review", False)
    stepfather = read_question("How old was J's stepfather?", {})
    assert refuse_on_evidence(stepfather, 0.9, ["J was 15 when she died."], Gaps(), scope) is not None
    assert refuse_on_evidence(stepfather, 0.9, ["Her stepfather, who was 42, moved in."], Gaps(), scope) is None
    own = read_question("How old was J when her stepfather moved in?", {})
    assert refuse_on_evidence(own, 0.9, ["J was 13 when her stepfather moved in."], Gaps(), scope) is None


def test_how_much_weight_is_asking_for_a_weight() -> None:
    scope = Scope("The Child D review", False)
    asked = read_question("How much weight did Child D put on at his grandmother's?", {})
    assert refuse_on_evidence(asked, 0.9, ["Child D has gained weight."], Gaps(), scope) is not None
    assert refuse_on_evidence(asked, 0.9, ["He gained 3 kilograms in two months."], Gaps(), scope) is None
