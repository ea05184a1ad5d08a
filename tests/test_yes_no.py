"""Yes/no questions: the offline answer opens with "No, according to ..." or "Yes, according to ..." only when the
passage it quotes first settles the question in its own words, and says nothing of the kind when unsure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casewise.cli import main
from core.models import ReviewMeta, Subject
from core.settings import Settings
from ingest.pipeline import ingest
from retriever.pipeline import Casewise
from retriever.question import read_question
from retriever.yes_no import verdict


def _verdict(question: str, passage: str) -> str:
    return verdict(read_question(question, {}), passage)


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("Was he ever excluded?", "He was never excluded from school."),
        ("Was he ever excluded?", "No exclusions are recorded."),
        ("Did the police attend?", "The police did not attend."),
        ("Did he have a social worker?", "He did not have a social worker."),
        ("Did the school make a referral?", "Neither the school nor the GP made a referral."),
        ("Was the mother seen alone during her pregnancy?", "The mother was never seen alone during her pregnancy."),
        ("Was there any involvement from a youth offending team?",
         "There was no involvement from the youth offending team."),
        ("Was the mother ever seen alone?", "The visit was booked, but the mother was never seen alone."),
        ("Was the harm recognised?", "There was evidence of harm that was not recognised by the agencies."),
    ],
)  # fmt: skip
def test_a_negation_bound_to_what_was_asked_says_no(question: str, passage: str) -> None:
    assert _verdict(question, passage) == "no"


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("Was he ever excluded?", "He was excluded from school in Year 9."),
        ("Did the police attend?", "The police attended the home twice."),
        ("Was there any involvement from a youth offending team?", "The youth offending team was involved from 2019."),
    ],
)  # fmt: skip
def test_a_plain_statement_of_everything_asked_says_yes(question: str, passage: str) -> None:
    assert _verdict(question, passage) == "yes"


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("Was he ever excluded?", "He was not excluded until Year 10."),  # he was, later
        ("Was she ever seen alone?", "She was never seen alone by the G.P. after the birth."),  # one sentence
        ("Was he ever excluded from school?", "He was never excluded from primary school."),  # secondary?
        ("Was he ever excluded?", "There were no formal exclusions."),
        ("Was he ever excluded?", "He has not been excluded this year."),
        ("Was the mother seen alone?", "The mother was never seen alone during her pregnancy."),
        ("Was he ever excluded?", "He had not been excluded at the time of the assault."),
        ("Was he ever excluded?", "There were no further exclusions."),  # there were earlier ones
        ("Was he ever excluded?", "He was never excluded again."),
        ("Was he ever excluded?", "He was almost never excluded."),
        ("Was he ever excluded?", "She said he was never excluded."),  # her account, not the review's finding
        ("Was he ever excluded?", "There was no evidence that he was excluded."),  # not said either way
        ("Was he ever excluded?", "His brother had been excluded."),  # someone else
        ("Was he ever excluded?", "In 2019 his brother was not excluded."),
        ("Was he ever excluded?", "Children who are not excluded are safer."),  # a general statement
        ("Was he ever excluded?", "Exclusion from school is a significant risk indicator."),
        ("Was he ever excluded?", "He was at risk of exclusion."),
        ("Was he ever excluded?", "He might have been excluded."),
        ("Was he ever excluded?", "He was excluded. He was never excluded."),  # says both
        ("Did the mother attend appointments?", "The mother did not attend appointments on five occasions."),
        ("Was there a child protection plan?", "There was no child protection conference and the plan lapsed."),
        ("Was routine enquiry made at booking?", "Routine enquiry at booking was missed."),  # "made" is not stated
        ("Was the youth offending team involved?", "The youth offending team was involved with his brother."),
        ("Was he excluded or suspended?", "He was never excluded."),  # asks two things
        ("Was he ever excluded, and when?", "He was never excluded."),
        ("Wasn't he excluded?", "He was never excluded."),  # asked in the negative
        ("Should he have been excluded?", "He was never excluded."),  # what should have happened
        ("Was he ever excluded?", "He attended school every day."),  # nothing on it
    ],
)
def test_unsure_says_nothing(question: str, passage: str) -> None:
    assert _verdict(question, passage) == ""


# A review about one named child: the question names Child K.
INDEX = {
    "child-k": ReviewMeta("Practice Review: Child K", "Child K", "practice review", None, 2025, (Subject("Child K"),))
}


@pytest.mark.parametrize(
    ("question", "passage", "expected"),
    [
        ("Was Child K ever excluded?", "In 2019 Child K was excluded from school.", "yes"),
        ("Was Child K ever excluded?", "Child K was never excluded.", "no"),
        ("Was Child K ever excluded?", "Child K's brother was excluded.", ""),  # someone of his, not him
        ("Was Child K ever excluded?", "Child K's brother was never excluded.", ""),
        ("Was Child K ever excluded?", "The brother of Child K was never excluded.", ""),
        ("Was Child K ever excluded?", "Exclusion was considered for Child K.", ""),
        ("Was Child K's mother ever seen alone?", "Child K's mother was never seen alone.", "no"),
        ("Was Child K's mother ever seen alone?", "Her mother was seen alone at every visit.", "yes"),
        ("Was Child K's mother ever seen alone?", "Child K was seen alone at every visit.", ""),  # not his mother
    ],
)
def test_a_named_child_must_be_the_one_the_passage_is_about(question: str, passage: str, expected: str) -> None:
    assert verdict(read_question(question, INDEX), passage) == expected


@pytest.mark.parametrize(
    "passage",
    [
        "not " * 250_000 + "excluded",
        "He was " + "never " * 200_000 + "excluded.",
        "the " * 250_000 + "was never excluded",
        "x" * 1_000_000 + "ed was excluded",
        "He was excluded " + "and " * 250_000 + "then",
        "harm that " * 100_000 + "was not recognised",
        "He, " * 250_000 + "was not excluded",
    ],
)
def test_a_long_adversarial_passage_is_read_to_the_end(passage: str) -> None:
    """Every test is one pass over the passage: a megabyte of it is read without blowing up."""
    assert len(passage) >= 1_000_000 or passage.count(" ") >= 100_000
    assert _verdict("Was he ever excluded?", passage) in {"yes", "no", ""}


# -- through Casewise.ask and the command line, on a review written for these tests --------------------------------
CHILD_K = """Local Child Safeguarding Practice Review: Child K

Background

Child K is a boy who was fourteen when this review began. He lived with his mother and two younger sisters.
Child K attended the same secondary school from Year 7. Child K was never excluded from school.

Agency involvement

In March 2020 Child K was referred to the youth offending team after he was arrested with older boys.
His mother said that she had not been offered a parenting course.
A strategy meeting was not held until six weeks after the referral.

Learning

Practitioners should ask each other what they know about a child's friends before deciding on the risk.
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("child-k")
    (folder / "reviews").mkdir()
    (folder / "reviews" / "child-k-lcspr.md").write_text(CHILD_K, encoding="utf-8")
    report = ingest([folder / "reviews"], Settings.from_env(env={}, home=folder / "home"), lambda: real_embedder)
    assert not report.failed, report.failed
    return folder / "home"


@pytest.fixture(scope="module")
def child_k(home: Path, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    return Casewise.open(Settings.from_env(env={}, home=home), real_embedder)


@pytest.mark.integration
def test_a_review_saying_never_answers_no_and_quotes_it(child_k: Casewise) -> None:
    answer = child_k.ask("Was Child K ever excluded from school?")
    assert answer.text.startswith("No, according to the Child K review [1]:\n\n"), answer.text
    assert "Child K was never excluded from school." in answer.citations[0].quote


@pytest.mark.integration
def test_a_review_stating_it_answers_yes_and_quotes_it(child_k: Casewise) -> None:
    answer = child_k.ask("Was Child K referred to the youth offending team?")
    assert answer.text.startswith("Yes, according to the Child K review [1]:\n\n"), answer.text
    assert "Child K was referred to the youth offending team" in answer.citations[0].quote


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("Was Child K's mother offered a parenting course?", "had not been offered a parenting course"),  # her account
        ("Was a strategy meeting held for Child K?", "was not held until six weeks"),  # held, but late
    ],
)
def test_unsure_answers_quote_without_a_yes_or_no(child_k: Casewise, question: str, quoted: str) -> None:
    answer = child_k.ask(question)
    assert not answer.abstained and quoted in answer.citations[0].quote, answer.text
    assert answer.text.startswith("In the Child K review:"), answer.text


@pytest.mark.integration
def test_ask_json_keeps_every_field_and_opens_with_the_answer(
    home: Path, real_embedder, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("retriever.index.load_embedder", lambda name: real_embedder)
    code = main(["ask", "Was Child K ever excluded from school?", "--json", "--home", str(home)])
    out, _ = capsys.readouterr()
    document = json.loads(out)
    assert code == 0
    fields = {"question", "standalone_question", "answer", "abstained", "answerer", "citations", "evidence",
              "notices", "removed", "timings_ms"}  # fmt: skip
    assert fields <= set(document)
    assert document["answer"].startswith("No, according to the Child K review [1]:")
    assert document["citations"][0]["marker"] == 1 and "never excluded" in document["citations"][0]["quote"]
