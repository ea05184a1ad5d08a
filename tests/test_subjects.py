"""Which children a review is about when it names them by a word, not a letter (ingest/subjects.py), and how a
question naming such a child is read (retriever/question.py)."""

from __future__ import annotations

import pytest

from core.models import ReviewMeta, Subject
from ingest.subjects import find_subjects
from retriever.question import read_question

WREN = (
    "Serious Case Review: Child Wren\n\n"
    "This Local Child Safeguarding Practice Review was commissioned by the Pendlecombe Safeguarding Children "
    "Partnership. Child Wren was admitted to hospital in March 2022. Wren's mother told staff that Child Wren "
    "could not eat. Child Protection procedures were followed and a child protection plan was made."
)


def test_a_child_named_by_role_and_word_is_the_subject_with_the_word_as_alias() -> None:
    assert find_subjects("Serious Case Review: Child Wren", (), WREN) == (Subject("Child Wren", ("Wren",)),)
    assert find_subjects(None, (), WREN) == (Subject("Child Wren", ("Wren",)),)  # the name the text uses most


def test_a_name_a_title_quotes_in_any_quotation_marks_is_the_subject() -> None:
    text = "Maisie is the name her grandmother chose for this review. Maisie was four years old."
    for quoted in ("\u2018Maisie\u2019", "'Maisie'", "\u201cMaisie\u201d"):
        assert find_subjects(f"Practice Review: {quoted}", (), text) == (Subject("Maisie"),), quoted


def test_capitalised_names_of_reviews_and_partnerships_and_words_in_use_name_no_child() -> None:
    text = WREN.replace("Child Wren", "Child K").replace("Wren's", "K's")
    # not "Child Safeguarding", "Children Partnership" or "Child Protection"
    assert find_subjects(None, (), text) == (Subject("Child K", ("K",)),)


def test_children_a_review_says_it_calls_by_emphasised_names_are_its_subjects() -> None:
    text = "We met three young carers. We call the children **Ash**, **Birch** and **Cedar**, names they chose."
    assert [s.name for s in find_subjects("Thematic review: young carers", (), text)] == ["Ash", "Birch", "Cedar"]


def test_them_in_we_call_them_stands_for_the_children_of_the_sentence_before() -> None:
    text = "The review is about two children who cared for their mother. We call them Sorrel and Teasel."
    assert [s.name for s in find_subjects(None, (), text)] == ["Sorrel", "Teasel"]
    assert find_subjects(None, (), "The reviewer met the parents. We call them Rose and Ivy.") == ()  # adults


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("This review concerns Sam (not his real name), who was 14 when he was stabbed. Sam lived with his aunt.",
         ["Sam"]),
        ("Leah (a pseudonym chosen by her mother) was two years old. Leah's father was in prison.", ["Leah"]),
        ("The child, who will be called Alfie in this report, was admitted to hospital.", ["Alfie"]),
        ("Poppy is four. Her mother, Sarah (not her real name), aged 19, had been in care.", []),  # an adult
    ],
)  # fmt: skip
def test_a_name_the_review_says_is_not_the_childs_real_one_is_the_subject(text: str, names: list[str]) -> None:
    assert [s.name for s in find_subjects("Learning Review", (), text)] == names


def test_a_child_whose_letter_is_redacted_in_brackets_is_named_by_it() -> None:
    """A redacted review writes "Child [X]" throughout; its siblings ("Sibling 1") are not who it is about."""
    text = "Child [X] lived with Sibling 1 and Sibling 2. Child [X] was not brought to appointments. Child [X] died."
    assert find_subjects("Serious Case Review - Overview Report", ("Child [X]",), text) == (Subject("Child X", ("X",)),)


def test_a_laws_name_is_no_child() -> None:
    """ "the Children Act 1989" names a law, though this review never writes "act" in lower case."""
    text = "Leo was 15. A section 17 assessment under the Children Act 1989 was done. Leo's mother agreed."
    assert find_subjects(None, (), text) == ()


SIBLINGS = (
    "This review is about three siblings, Ruby, Jake and Lily. In May 2022 Ruby was 12, Jake was 9 and Lily was 3. "
    "Ruby looked after Jake. Lily was found alone. Jake's school saw his hygiene; Ruby's school saw a coping girl. "
    "Lily's health visitor lost sight of her."
)


def test_the_names_a_title_gives_beside_its_type_are_the_subjects() -> None:
    title = "Ruby, Jake and Lily: Local Child Safeguarding Practice Review"
    assert find_subjects(title, (), SIBLINGS) == (Subject("Ruby"), Subject("Jake"), Subject("Lily"))
    only_once = "Local Child Safeguarding Practice Review: Tom"  # a word the text does not write as a name
    assert find_subjects(only_once, (), SIBLINGS + " Tom visited.") == ()
    full = "Liam Corrigan was four. Liam lived with his mother, Ms Corrigan. Liam's school saw him. Liam was hungry."
    assert find_subjects("Serious Case Review: Liam Corrigan", (), full) == (Subject("Liam Corrigan", ("Liam",)),)
    place = "The review was held in Kirkby. Kirkby Council and Kirkby Police agreed. Children in Kirkby were seen."
    assert find_subjects("Thematic Review: Kirkby", (), place) == ()  # a place: "in Kirkby", "Kirkby Council"
    operation = "Operation Kestrel found the men. Operation Kestrel ran in 2019. Operation Kestrel ended."
    assert find_subjects("Serious Case Review: Operation Kestrel", (), operation) == ()  # never on its own
    topic = "Thematic Review: Neglect"  # the review writes "neglect": a topic, not a child
    assert find_subjects(topic, (), "Neglect was missed. Neglect grew. Neglect hid. The neglect of children.") == ()


def test_naming_forms_are_read_in_time_linear_in_the_text() -> None:
    hostile = "Child " * 200_000 + ".\n" + "Local Child Safeguarding " * 20_000
    hostile += ".\nWe call it " + "**Ash**, " * 50_000
    hostile += ".\nHis mother, Sarah (not her real name) " * 20_000
    assert find_subjects(None, (), hostile) == ()  # completes; no word of it names a child


INDEX = {
    "wren": ReviewMeta("Serious Case Review: Child Wren", "Child Wren", "serious case review", None, 2023,
                       (Subject("Child Wren", ("Wren",)),)),
}  # fmt: skip
IN_USE = {"protection", "plan", "wren"}.__contains__  # the words the reviews use


def test_a_question_naming_a_word_named_child_finds_the_review() -> None:
    asked = read_question("How old was Child Wren when she was admitted?", INDEX, IN_USE)
    assert asked.reviews == ("wren",) and not asked.unknown_children


def test_a_role_and_a_word_the_reviews_never_use_is_a_child_they_do_not_cover() -> None:
    assert read_question("How old was Child Plover?", INDEX, IN_USE).unknown_children == ("Child Plover",)


def test_a_role_and_a_word_in_use_names_no_child() -> None:
    asked = read_question("What is a Child Protection plan?", INDEX, IN_USE)
    assert not asked.unknown_children and not asked.reviews
    assert read_question("How old was Child Plover?", INDEX).unknown_children == ()  # no vocabulary: no guess


@pytest.mark.parametrize("name", ["Ciar\u00e1n", "Si\u00e2n", "Zo\u00eb", "\u00c9lodie"])
def test_a_name_with_an_accented_letter_is_the_subject_and_names_the_child_in_a_question(name: str) -> None:
    """Irish, Welsh and French names: "Ciarán" is a name as "Ciaran" is."""
    text = f"{name} lived with his father. {name} had asthma, and {name}'s school knew."
    subjects = find_subjects(f"Case Management Review: \u2018{name}\u2019", (), text)
    assert subjects == (Subject(name),)
    index = {"review": ReviewMeta(f"Case Management Review: {name}", name, "case management review", subjects=subjects)}
    assert read_question(f"Who did {name} live with?", index).reviews == ("review",)


def test_a_name_set_before_the_type_of_review_in_the_title_is_the_subject() -> None:
    text = "Jaden was seventeen. Jaden left the secure home in March. Jaden's mother called the police."
    assert find_subjects("Jaden: A Child Safeguarding Practice Review", (), text) == (Subject("Jaden"),)


def test_a_name_after_a_type_of_review_no_list_holds_is_the_subject() -> None:
    text = "Ellis was fifteen. Ellis was stabbed in May. Ellis's mother asked for help."
    assert find_subjects("Safeguarding Adolescents Review: Ellis", (), text) == (Subject("Ellis"),)
