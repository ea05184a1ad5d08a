"""The question read against an index: which reviews and children it names, and what type of fact it asks for.

The index is invented here (no model, no store): partnerships and subjects chosen so that a title word, a
partnership word and a child's name can each name a review."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from growth import LINEAR, growth

from core.models import ReviewMeta, SectionKind, Subject
from retriever.pipeline import phrase_forms
from retriever.question import (
    asked_after_description,
    names_as_written,
    names_heading,
    read_question,
    without_review_names,
)

INDEX = {
    "young-person-a": ReviewMeta(
        "Rapid Review: Young Person A", "Young Person A", "rapid review", "Eastmoor Safeguarding Partnership",
        subjects=(Subject("Young Person A", ("A",)),),
    ),
    "young-person-b": ReviewMeta(
        "Young Person B: a Serious Case Review", "Young Person B", "serious case review", "Westfold Partnership",
        subjects=(Subject("Young Person B", ("B",)),),
    ),
    "thematic": ReviewMeta(
        "Thematic Review: Neglect of Adolescents in Kirkby", None, "thematic review", "Kirkby Safeguarding Partnership",
        subjects=(Subject("Young Person C"), Subject("Young Person E")),
    ),
    "child-f": ReviewMeta(
        "Practice Review: Child F", "Child F", "practice review", "Eastmoor Safeguarding Partnership",
        subjects=(Subject("Child F", ("F",)),),
    ),
    "infants-g-and-h": ReviewMeta(
        "Practice Review: Infants G and H", None, "practice review", "Westfold Partnership",
        subjects=(Subject("Infant G", ("G", "Infants G and H")), Subject("Infant H", ("H", "Infants G and H"))),
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("question", "children"),
    [
        ("Where was Infant G sleeping?", ("Infant G",)),  # not Infant H, though "Infants G and H" names both
        ("What happened to Infant H?", ("Infant H",)),
        ("Was Infant G or Infant H the one who died?", ("Infant G", "Infant H")),
    ],
)
def test_a_child_of_a_review_about_several_is_read_as_that_child(question: str, children: tuple[str, ...]) -> None:
    asked = read_question(question, INDEX)
    assert asked.reviews == ("infants-g-and-h",) and asked.children == children


@pytest.mark.parametrize(
    ("question", "heading", "named"),
    [
        ("What are the areas for development in the Child F review?", "Areas for development", True),
        ("What shared learning themes does the Child F review set out?", "Shared learning", True),  # the noun after
        ("What are the cross-cutting themes of the Child F review?", "Part 3: Cross-cutting themes", True),
        ("What was the background to the Child F review?", "Background", False),  # the singular: not its list
        ("Which areas for development mention schools and the police?", "Areas for development", False),  # a search
        ("What are the areas of concern in the Child F review?", "Areas for development", False),
    ],
)
def test_a_list_is_asked_for_by_a_sections_own_heading(question: str, heading: str, named: bool) -> None:
    assert names_heading(read_question(question, INDEX), heading, INDEX) is named


def test_a_child_and_a_review_named_by_its_title_word_are_both_named() -> None:
    asked = read_question("What do the Child F and Kirkby thematic reviews say about housing?", INDEX)
    assert set(asked.reviews) == {"child-f", "thematic"}
    assert asked.across


def test_a_partnership_word_of_the_named_childs_own_review_names_no_other_review() -> None:
    asked = read_question("What did Eastmoor police do for Child F?", INDEX)
    assert asked.reviews == ("child-f",)


def test_the_words_of_a_childs_name_do_not_name_other_reviews_by_their_titles() -> None:
    """ "Young Person C" shares "Young" and "Person" with two other reviews' titles; only C's review is named."""
    asked = read_question("How long did Young Person C wait for a first appointment?", INDEX)
    assert asked.reviews == ("thematic",)


@pytest.mark.parametrize(
    ("question", "fact_type"),
    [
        ("How many times were police called to the home?", "a number of times"),
        ("How often did the health visitor see the baby?", "a number of times"),
        ("How many appointments was Child F not brought to?", "a number"),
        ("How old was Child F when the school referred him?", "an age"),
        ("How long did the assessment take?", "a length of time"),
        ("When was the referral made?", "a time"),
        ("Did anyone find the mother a translator, and when?", "a time"),  # the second part asks a time
        ("What did the school do when the boy was excluded?", ""),  # a when-clause only dates the question
        ("Which school did Child F go to?", "a name"),  # the one the review names
        ("What hospital was Child F taken to?", "a name"),
        ("Where does Child F live now?", "the current position"),  # not where the review found him
        ("How is Child F doing these days?", "the current position"),
        ("Who's looking after Child F these days?", "the current position"),  # a contracted "is"
        ("At which railway station was Child F found?", "a place"),
        ("Which West African country did Child F come from?", "a place"),
        ("What was the county line Child F was made to sell drugs on called?", "a name"),
        ("What did the school do now that Child F was back?", ""),  # "now" not asking the present
        ("When Child F was excluded, did anyone visit the home?", ""),  # a clause setting the scene asks no time
        ("When did the visits stop, and why?", "a time"),
        ("In what year were Child D, Child E and Child F taken into care?", "a date"),  # the question's own opening
        ("At what age was Child F, the youngest, first referred?", "an age"),
        ("On how many occasions, if any, was Child F seen alone?", "a number of times"),
        ("When exactly was Child F, aged 3, first seen?", "a time"),
        ("After the referral, how long did the assessment take?", "a length of time"),
    ],
)
def test_the_type_of_fact_asked_for(question: str, fact_type: str) -> None:
    assert read_question(question, INDEX).fact_type == fact_type


@pytest.mark.parametrize(
    ("passage", "counts"),
    [
        ("Police were called to the flat three times between November and January.", True),
        ("Officers attended on 14 occasions.", True),
        ("The health visitor saw the baby twice.", True),
        ("In September 2019, when A was 11 and E was 8, police officers entered the home.", False),
    ],
)
def test_a_count_of_times_is_told_from_other_numbers(passage: str, counts: bool) -> None:
    pattern = read_question("How many times were police called?", INDEX).fact_pattern
    assert pattern is not None
    assert bool(pattern.search(passage)) is counts


@pytest.mark.parametrize(
    ("question", "which"),
    [
        ("Which young people in these reviews were excluded from school?", "Which young people"),
        ("In which reviews did a sibling interpret for a parent?", "In which"),
        ("Was a child excluded in any of the reviews?", "in any of the reviews"),
        ("How many reviews were about babies?", "How many reviews"),
        ("What is the learning about professional curiosity across both reviews?", ""),
        ("Were both children on child protection plans?", ""),
    ],
)
def test_asking_which_reviews_is_told_from_asking_about_each(question: str, which: str) -> None:
    assert read_question(question, INDEX).which == which


def test_every_type_of_fact_a_two_part_question_asks_for_is_read() -> None:
    asked = read_question("How many times was Child F reported missing, and how long was the longest episode?", INDEX)
    given = ["Child F was reported missing 11 times.", "The longest episode lasted nine days."]
    assert len(asked.fact_patterns) == 2
    assert all(any(p.search(text) for text in given) for p in asked.fact_patterns)
    assert not any(p.search("In 2019, when F was 11, the school referred him.") for p in asked.fact_patterns[1:])


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What did the Child F review find?", "findings"),
        ("What themes did the Kirkby thematic review identify?", "findings"),
        ("What needs to change according to the Child F review?", "recommendations"),
        ("What should agencies do differently after the Child F review?", "recommendations"),
        ("What improvements have been made since Child F was harmed?", "actions"),
        ("What lessons were learned from the Child F case?", "learning"),
        ("What were the conclusions of the Child F review?", "conclusion"),
        ("Did the review find any evidence of neglect at home?", None),
        ("What did the school find when it checked on Child F at home?", None),
        ("What did the review of Child F conclude?", "conclusion"),
        ("What did the reviewers find?", "findings"),
        ("What did the Young Person A rapid review find?", "findings"),  # a review named in several words
        ("What did they find the last time?", None),  # a follow-up about a visit: what "they" found is a fact
        ("What recommendations were made about escalation?", None),  # those about it, searched, not every one
        ("What should the police do differently?", None),  # what the reviews say of the police, not every item
        ("What went wrong in the Child F case?", "findings"),
        ("What are the key messages from the Child F review?", "learning"),
        ("What were the recommendations for schools?", None),
        ("What were the recommendations for the Child F review?", "recommendations"),
        ("What did the police find?", None),
        ("What did we learn from the Child F review?", "learning"),
        ("What can be learned from the Child F case?", "learning"),
        ("What did the police learn about Child F?", None),  # what the police came to know: a fact
        ("What did the Child F reviewer give people credit for?", "good_practice"),
        ("What did the review praise?", "good_practice"),
        ("What has happened since the Child F review?", "actions"),
        ("What has changed since the Child F review?", "actions"),
        ("What did the GP do since the referral?", None),
    ],
)
def test_a_whole_kind_of_section_asked_for_in_everyday_words(question: str, kind: str | None) -> None:
    asked = read_question(question, INDEX)
    assert (asked.list_kind.value if asked.list_kind else None) == kind


def test_why_a_review_was_held_is_asked_of_the_sections_introducing_it() -> None:
    """A review says why it was carried out where it introduces itself; why something happened in the case is
    told anywhere."""
    for question in (
        "Why was the Child F review carried out?",
        "Why was a serious case review commissioned for Child F?",
        "Why did the partnership carry out a review about Child F?",
    ):
        assert read_question(question, INDEX).kinds == ("introduction", "summary"), question
    assert read_question("Why was Child F's case closed after the review meeting?", INDEX).kinds == ()
    assert read_question("Why did the school not refer Child F?", INDEX).kinds == ()


def test_a_verb_asking_for_a_kind_does_not_narrow_a_question_to_that_kind() -> None:
    """ "The findings about X" are searched in findings (and learning); "what they found about X" anywhere."""
    assert read_question("What are the findings about housing for Child F?", INDEX).kinds == ("findings", "learning")
    assert read_question("What did the school find about housing for Child F?", INDEX).kinds == ()


def test_a_new_index_is_read_afresh_not_from_the_last_ones_names() -> None:
    assert read_question("What happened to Child G?", INDEX).unknown_children == ("Child G",)
    grown = {**INDEX, "child-g": ReviewMeta("Review: Child G", "Child G", subjects=(Subject("Child G"),))}
    assert read_question("What happened to Child G?", grown).reviews == ("child-g",)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How did staff use escalation in the Child D, Child G and Child C reviews?", "How did staff use escalation?"),
        (
            "What do the Child S and Northmere thematic reviews say about transition?",
            "What do the reviews say about transition?",
        ),
        (
            "How old were the babies in the Baby N and Infants P and W reviews when they were hurt?",
            "How old were the babies when they were hurt?",
        ),
        ("Where do Child D and Child S live now?", "Where do the child and the child live now?"),  # names the children
    ],
)
def test_a_question_put_to_each_review_it_names_leaves_out_the_phrase_naming_them(question: str, topic: str) -> None:
    assert without_review_names(question) == topic


def test_leaving_out_the_names_of_reviews_grows_linearly() -> None:
    ratio = growth(without_review_names, lambda n: "in the A, the B and " * n + "X", 100)
    assert ratio < LINEAR, f"without_review_names work grew {ratio:.0f} times for 8 times the input"


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Was there any involvement from a youth offending team?", "youth offending team"),
        ("Does any review mention county lines?", "county lines"),  # the verb asking is not the thing asked about
        ("Did the review say anything about a dog?", "dog"),
        ("Were there any recommendations for schools?", "schools"),  # the kind is searched; schools must be said
        ("Was Child F treated as a victim or an offender?", ""),  # which of two, not whether there was one
        ("Were fathers overlooked in any of the reviews?", ""),  # where it is asked, not a thing
        ("Did any child go missing?", ""),  # "any" opens the subject: what a child did, not whether there was one
        ("Was there a strategy discussion in any of the reviews?", "strategy discussion"),
        ("Was Child F a victim of modern slavery?", "modern slavery"),  # was there modern slavery, done to F?
        ("Was Child F subject to a child protection plan?", "child protection plan"),
        ("Were the visits to Siblings A and E unannounced?", ""),  # "A" names a child: no article, no thing
        (  # the clause placing it in time is not the thing asked about
            "Was a private fostering assessment done when Child F went to live with his grandmother?",
            "private fostering assessment",
        ),
    ],
)
def test_a_yes_no_question_reads_what_it_asks_there_was(question: str, thing: str) -> None:
    assert read_question(question, INDEX).asked_whether == thing


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("While Child F was on the waiting list, did anyone keep in touch with him?", True),
        ("After the referral was declined, was the family offered anything?", True),
        ("In the Child F review, was there a strategy discussion?", True),
        ("When Child F was excluded, what did the school do?", False),  # the question proper asks what
        ("When did that support end, and was ending it right?", False),  # "When did ..." is the question
        ("When Child F's mother, who spoke little English, was pregnant, was she seen alone?", True),  # a relative
    ],
)
def test_a_yes_no_question_may_open_with_a_clause_setting_the_scene(question: str, yes_no: bool) -> None:
    assert read_question(question, INDEX).yes_no is yes_no


def test_the_verb_asking_what_a_review_mentions_is_not_a_word_the_question_turns_on() -> None:
    assert "mentions" not in read_question("Which review mentions county lines?", INDEX).terms


def test_words_framing_what_is_asked_about_are_not_words_the_reviews_must_use() -> None:
    assert read_question("What was the role of the GP in Child F's case?", INDEX).terms[:1] == ("gp",)
    assert "affect" not in read_question("How did COVID affect Child F?", INDEX).terms
    assert read_question("child f cause of death", INDEX).terms == ("death",)  # the death, and what led to it


def test_asking_for_a_name_is_asking_a_fact_not_about_the_word_name() -> None:
    """Refused, it is 'does not give a name', never 'does not mention "name"'."""
    asked = read_question("What was the name of the man who exploited Child F?", INDEX)
    assert asked.fact_type == "a name" and "name" not in asked.terms


@pytest.mark.parametrize(
    ("question", "across"),
    [
        ("What do the reviews say about fathers?", True),  # "the reviews": all of them, not the best one
        ("What did reviews recommend about escalation?", True),
        ("How many reviews were about babies?", True),
        ("What learning is there about transition to adult services?", True),  # a kind and a topic, no review
        ("What is the learning about transition in the Child F review?", False),
        ("How did the two reviews compare?", False),  # names no plural 'reviews' of the corpus as such
        ("What did the review say about fathers?", False),
        ("Did any child die?", True),  # any child of the collection
        ("Did the child die?", False),
    ],
)
def test_a_question_about_the_reviews_asks_across_them(question: str, across: bool) -> None:
    assert read_question(question, INDEX).across is across


@pytest.mark.parametrize(
    ("question", "defines"),
    [
        ("What is a return home interview?", True),
        ("What does CSE stand for?", True),
        ("What happened to Child F after she went missing?", False),
        ("Who was looking after Child F at the time?", False),
    ],
)
def test_a_question_asking_what_a_word_means_is_told_apart(question: str, defines: bool) -> None:
    assert read_question(question, INDEX).defines is defines


@pytest.mark.parametrize(
    ("question", "summary"),
    [
        ("Summarise the Child F review", True),
        ("give me an overview of the young person c review", True),
        ("What was the Child F review about?", True),
        ("Tell me about Child F", True),
        ("Tell me about Child F's contact with the police", False),  # one matter of the review
        ("What was the argument in the Child F review about?", False),
        ("Can you summarise the findings of the Child F review?", False),  # the findings, listed
        ("what happened to child f", True),  # the child and nothing more: the review's account, in brief
        ("What happened to Child F after the move?", False),
        ("What happened to him next?", False),
        ("What happened to the referral for Child F?", False),
    ],
)
def test_a_question_asking_for_a_review_in_brief_is_told_apart(question: str, summary: bool) -> None:
    assert read_question(names_as_written(question, INDEX), INDEX).summary is summary


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "What was about " + "about !! " * n,
        lambda n: "Was there a" + " " * n + "x in any of the reviews" + " " * n + "?",
    ],
)
def test_reading_a_question_grows_linearly(make: Callable[[int], str]) -> None:
    ratio = growth(lambda text: read_question(text, INDEX), make, 200)
    assert ratio < LINEAR, f"read_question work grew {ratio:.0f} times for 8 times the input"


def test_a_run_of_capitals_after_what_happened_to_is_read_in_one_way() -> None:
    """ "What happened to AAAA...!": the names of a summary question are words, each read whole, not a run of
    capitals cut into words every way it can be."""
    ratio = growth(lambda text: read_question(text, INDEX), lambda n: "What happened to " + "A" * n + "!", 12)
    assert ratio < LINEAR, f"read_question work grew {ratio:.0f} times for 8 times the capitals"


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("how old was child f when he was found", "how old was Child F when he was found"),
        ("did young person c see a gp", "did Young Person C see a gp"),
        ("was the young person a victim?", "was the young person a victim?"),  # 'a' is an article here
        ("Was young person a seen alone?", "Was young person a seen alone?"),  # left alone: it may be the article
        ("What did Child F's school do?", "What did Child F's school do?"),
    ],
)
def test_a_name_typed_in_lower_case_is_read_as_the_review_writes_it(question: str, written: str) -> None:
    assert names_as_written(question, INDEX) == written


def test_a_one_word_name_typed_in_lower_case_is_read_as_a_name_when_it_owns_something() -> None:
    """ "ruby's dad" names Baby Ruby's review; "a ruby ring" names no child (a word may be an ordinary one)."""
    index = {"ruby": ReviewMeta("Rapid Review: Baby Ruby", "Baby Ruby", "rapid review", None, 2024,
                                (Subject("Baby Ruby", ("Ruby",)),))}  # fmt: skip
    assert (
        names_as_written("did ruby's dad get advice about crying?", index) == "did Ruby's dad get advice about crying?"
    )
    assert read_question(names_as_written("did ruby's dad get advice?", index), index).reviews == ("ruby",)
    assert names_as_written("was a ruby ring found?", index) == "was a ruby ring found?"


def test_names_as_written_grows_linearly() -> None:
    ratio = growth(lambda text: names_as_written(text, INDEX), lambda n: "child f, young person " * n, 200)
    assert ratio < LINEAR, f"names_as_written work grew {ratio:.0f} times for 8 times the input"


def test_asking_to_compare_is_not_a_word_the_reviews_must_use() -> None:
    asked = read_question("Compare how police responded in the Child F and Young Person A reviews.", INDEX)
    assert asked.across and "compare" not in asked.terms


def test_the_words_asking_a_type_of_fact_are_not_words_the_reviews_must_use() -> None:
    """ "Which agencies ...?" asks for agencies by name; a review that names the police and never says
    "agencies" is not said to not mention agencies."""
    assert "agencies" not in read_question("Which agencies were involved with Child F?", INDEX).terms


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("What recommendations were made about escalation?", ("recommendations", "actions")),
        ("What is the learning about neglect?", ("learning", "findings")),
        ("What action did the police take for the family?", ()),  # an action taken, not the actions sections
        ("Which reviews recommend training for staff?", ("recommendations", "actions")),  # the verb, and what
        ("What recommendations were made to the police?", ("recommendations", "actions")),  # those to them
        ("What did schools do well?", ("good_practice",)),  # the good practice of schools
        ("What did the school do when Child F was unwell?", ()),
    ],
)
def test_the_kinds_of_section_a_question_asks_within(question: str, kinds: tuple[str, ...]) -> None:
    assert read_question(question, INDEX).kinds == kinds


def test_what_went_wrong_with_something_turns_on_the_thing_not_on_the_word_wrong() -> None:
    asked = read_question("What went wrong with the referral to children's social care?", INDEX)
    assert asked.list_kind is None and "wrong" not in asked.terms and "referral" in asked.terms


def test_the_words_naming_a_kind_of_section_are_not_words_the_reviews_must_use() -> None:
    """A review that heads its learning "Lessons" is not said to never mention "learning" or "messages"."""
    asked = read_question("What are the key messages for schools from Child F?", INDEX)
    assert "messages" not in asked.terms and "schools" in asked.terms


@pytest.mark.parametrize(
    ("question", "reviews", "across", "review_type"),
    [
        ("List the recommendations of the neglect thematic review", ("thematic",), False, "thematic review"),
        ("What did the neglect review recommend?", ("thematic",), False, ""),  # named as its title names it
        ("What did the housing review recommend?", (), False, ""),  # a word of no title
        ("What did the rapid reviews say about fathers?", (), True, "rapid review"),  # several of a type
        ("What do the child practice reviews say?", (), True, "child practice review"),  # Wales's type
    ],
)
def test_a_review_type_with_the_words_before_it_names_reviews(
    question: str, reviews: tuple[str, ...], across: bool, review_type: str
) -> None:
    asked = read_question(question, INDEX)
    assert (asked.reviews, asked.across, asked.review_type) == (reviews, across, review_type)


@pytest.mark.parametrize(
    ("question", "framing"),
    [
        ("Were there any missed opportunities in the Child F review?", {"missed", "opportunities"}),
        ("What are the similarities between the Child F and Young Person A reviews?", {"similarities"}),
        ("What do Child F and Young Person A have in common?", {"common"}),
        ("what was the deal with the private fostering for child f", {"deal"}),  # everyday: what happened
        ("what was going on at home for child f", {"going"}),
        ("What was the outcome for Child F?", {"outcome"}),
        ("Did anyone talk to Child F about the threats?", {"talk"}),  # what was said, not the verb for saying it
    ],
)
def test_words_asking_for_a_judgment_or_a_comparison_are_not_what_the_reviews_must_say(
    question: str, framing: set[str]
) -> None:
    """A review need not call what it found a "missed opportunity", nor compare itself with another."""
    assert not framing & set(read_question(question, INDEX).terms)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Which recommendations of the Child F review are about schools?", "schools"),
        ("Which of them is about the police (What were the recommendations of the Child F review?)", "police"),
        ("What immediate actions were taken after the Child F review?", ""),  # "immediate" is no topic
        ("What were the key recommendations of the Child F review?", ""),
        ("What were the Child F review's recommendations for schools?", "schools"),
        ("What learning for the police was there in the Child F review?", "police"),
        ("Were any recommendations made about schools in the Child F review?", "schools"),
    ],
)
def test_a_list_asked_about_one_word_has_that_topic(question: str, topic: str) -> None:
    asked = read_question(question, INDEX)
    assert asked.list_kind is not None and asked.list_topic == topic


@pytest.mark.parametrize(
    "question",
    [
        "What are the recommendations for schools?",  # of every review: searched for in their recommendations
        "What were the Child F review's recommendations about information sharing?",  # a topic of several words
    ],
)
def test_a_kinds_items_on_a_topic_are_searched_for_across_reviews_or_on_a_topic_of_words(question: str) -> None:
    asked = read_question(question, INDEX)
    assert asked.list_kind is None and asked.kinds


def test_what_the_reviews_of_a_type_recommended_is_a_list_not_a_question_about_the_collection() -> None:
    asked = read_question("What did the thematic reviews recommend?", INDEX)
    assert asked.list_kind is SectionKind.RECOMMENDATIONS and not asked.collection
    assert asked.review_type == "thematic review"


@pytest.mark.parametrize(
    ("question", "passage", "gives"),
    [
        ("How old was Niamh?", "Niamh lived with her mother, who was 20, and her partner.", False),
        ("How old was Niamh?", "It concerns the death of a two-year-old girl, referred to as Niamh.", True),
        ("How old was Baby E?", "Baby E's parents were 17 and 19.", False),
        ("How old was Niamh's mum?", "Niamh lived with her mother, who was 20, and her partner.", True),
        ("How old were Baby E's parents?", "Baby E's parents were 17 and 19.", True),
        ("How old was Baby E?", "Baby E's father, a man aged 24, and Baby E, aged seven weeks.", True),
    ],
)
def test_an_age_given_right_after_someone_else_is_theirs(question: str, passage: str, gives: bool) -> None:
    """An age stated of a mother or partner does not answer how old the child was, unless they are asked about."""
    asked = read_question(question, INDEX)
    assert asked.fact_pattern is not None and (asked.fact_pattern.search(passage) is not None) is gives


@pytest.mark.parametrize(
    ("question", "not_held"),
    [
        ("What did the learning reviews recommend?", "learning review"),  # the index holds none
        ("What did the SCRs find?", ""),  # a serious case review it holds
        ("What did the significant case reviews find?", ""),  # Scotland's SCRs: England's answer for them
        ("How many learning reviews are there?", ""),  # the collection answers with none
        ("What is a learning review?", ""),  # what the words mean
    ],
)
def test_a_type_of_review_the_index_does_not_hold_is_said_not_to_be_held(question: str, not_held: str) -> None:
    assert read_question(question, INDEX).unknown_review == not_held


def test_the_learning_reviews_are_a_type_of_review_not_a_kind_of_section() -> None:
    counted = read_question("How many learning reviews are there?", INDEX)
    assert counted.collection and counted.list_kind is None
    assert read_question("What did the Young Person A rapid review find?", INDEX).list_kind is SectionKind.FINDINGS


@pytest.mark.parametrize(
    ("passage", "gives"),
    [
        ("from March 2019 until November 2021, a period of more than two and a half years", True),
        ("She was on the plan for two and a half years.", True),
        ("The plan lasted from 2019 to 2021.", True),
        ("A fortnight later the case was closed.", True),
        ("The plan was reviewed in March.", False),
    ],
)
def test_a_length_of_time_is_read_in_its_everyday_forms(passage: str, gives: bool) -> None:
    """ "How long was Child F on a plan?" is answered, not refused, by a review giving a span or a date range."""
    pattern = read_question("How long was Child F on a child in need plan?", INDEX).fact_pattern
    assert pattern is not None and (pattern.search(passage) is not None) is gives


@pytest.mark.parametrize(
    "question",
    [
        "Was a practice review recommended for Child F?",  # whether one thing was recommended, not every item
        "Did Child F have any learning difficulties?",  # no kind of section
    ],
)
def test_a_yes_no_question_about_one_thing_is_no_list(question: str) -> None:
    assert read_question(question, INDEX).list_kind is None


@pytest.mark.parametrize(
    "question", ["list all the rapid reviews", "show me all the reviews", "give me the rapid reviews"]
)
def test_asking_for_the_collection_in_everyday_words_is_a_question_about_the_collection(question: str) -> None:
    asked = read_question(question, INDEX)
    assert asked.collection and asked.list_kind is None


@pytest.mark.parametrize(
    ("words", "telling", "forms"),
    [
        (["reviews", "involved", "elective", "home", "education"], {"elective", "education"},
         [["reviews", "involved", "elective", "home", "education"], ["elective", "home", "education"]]),
        (["children", "left", "home", "alone"], {"left"}, [["children", "left", "home", "alone"]]),  # not "left"
        (["county", "lines"], {"county", "lines"}, [["county", "lines"]]),
    ],
)  # fmt: skip
def test_a_which_reviews_phrase_is_looked_for_as_asked_then_between_its_telling_words_never_one_word(
    words: list[str], telling: set[str], forms: list[list[str]]
) -> None:
    assert phrase_forms(words, telling) == forms


@pytest.mark.parametrize(
    ("question", "kind", "case"),
    [
        ("What did the review about the boy who was stabbed recommend?", SectionKind.RECOMMENDATIONS, "the boy"),
        ("What were the recommendations made after the baby died?", SectionKind.RECOMMENDATIONS, "the baby died?"),
        ("What recommendations were made about schools?", None, ""),  # a topic of every review, not a case
        ("What was the learning from the sextortion case?", SectionKind.LEARNING, "sextortion"),
        ("What were the recs for the county lines review?", SectionKind.RECOMMENDATIONS, "county lines"),
        ("What was the learning from the Birmingham review?", SectionKind.LEARNING, ""),  # a place: no case guessed
        ("How were parents with learning difficulties helped to look after their baby?", None, ""),
    ],
)
def test_a_list_of_a_review_the_question_describes_is_read_with_the_description(
    question: str, kind: SectionKind | None, case: str
) -> None:
    asked = read_question(question, INDEX)
    assert asked.list_kind is kind and asked.list_case.startswith(case) and (case or not asked.list_case)


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Was a family group conference held for Child F?", "family group conference"),
        ("Was there a youth offending team involved with Child F?", "youth offending team"),
        ("Was an advocate arranged for F's parents?", "advocate"),
        ("Was a strategy discussion held?", "strategy discussion"),
        ("Did any child go missing?", ""),  # what a child did, not whether there was one
        ("Was Operation Encompass used at the family home?", ""),  # names no thing there was
    ],
)
def test_what_a_yes_no_question_asks_there_was_is_read_past_what_was_done_and_for_whom(
    question: str, thing: str
) -> None:
    assert read_question(question, INDEX).asked_whether == thing


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("The boy on a county line who was stabbed - how many times did he go missing?", "how many times"),
        ("The baby with the broken ribs\u2026 which professionals saw the bruise first?", "which professionals"),
        ("NSCP escalation guidance - when would I use it?", "NSCP"),  # a topic named first: asks nothing alone
        ("How did the GP - the family's doctor - respond?", "How did"),
    ],
)
def test_what_is_asked_of_a_case_described_first_is_read_apart_from_the_description(question: str, asked: str) -> None:
    assert asked_after_description(question).startswith(asked)


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("what did chlid F tell the school?", "what did Child F tell the school?"),  # two letters swapped
        ("Did the cild F's mother drink?", "Did the Child F's mother drink?"),  # one left out
        ("Was the chlid a victim?", "Was the chlid a victim?"),  # "a": an article, not a name's letter
        ("Plan A was agreed.", "Plan A was agreed."),  # a word far from any name's role
    ],
)
def test_a_childs_name_with_its_role_word_misspelt_is_read_as_the_reviews_write_it(question: str, written: str) -> None:
    assert names_as_written(question, INDEX) == written


def test_a_learning_mentor_or_learning_event_is_no_learning_section() -> None:
    for question in ("What did Child F tell the learning mentor?", "Who came to the learning event?"):
        asked = read_question(question, INDEX)
        assert asked.list_kind is None and not asked.kinds


@pytest.mark.parametrize(
    ("question", "not_held"),
    [
        ("What was the learning from the Birmingham review?", "Birmingham review"),  # a place no review is from
        ("What did Birmingham's review find about knife crime?", "Birmingham review"),
        ("What did the Eastmoor review find?", ""),  # a partnership of the index
        ("What did the Young Person A review find?", ""),  # a child of the index
        ("What did the Serious Case Review find?", ""),  # a type of review
    ],
)
def test_a_review_named_by_a_word_nothing_in_the_index_has_is_said_not_to_be_held(question: str, not_held: str) -> None:
    assert read_question(question, INDEX).unknown_review == not_held


def test_a_review_named_by_its_authors_name_is_that_review() -> None:
    index = {
        "child-q": ReviewMeta(
            "Rapid Review: Child Q", "Child Q", "rapid review", "Northby Partnership",
            subjects=(Subject("Child Q", ("Q",)),), author="Jane Whitlock",
        ),
        "child-r": ReviewMeta("Rapid Review: Child R", "Child R", "rapid review", "Northby Partnership"),
    }  # fmt: skip
    asked = read_question("What did the Whitlock review find?", index)
    assert (asked.reviews, asked.unknown_review) == (("child-q",), "")
