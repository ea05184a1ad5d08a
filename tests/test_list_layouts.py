"""List questions on reviews laid out as the dev corpus never is, asked through `Casewise.ask` with the real model
and Chroma: each answer holds every item of the sections of the kind asked, in the review's order, under the
labels the review prints, each item whole, and nothing from other sections (not an agency's response, not a lead-in,
not a table's header, not a summary's repeat of recommendations given earlier)."""

from __future__ import annotations

from pathlib import Path

import list_builders
import pytest
from list_answers import Item, assert_items, index_reviews

from retriever.models import Turn
from retriever.pipeline import Casewise

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
LAYOUTS: dict[str, tuple[str, tuple[Item, ...]]] = {
    "run-in labels (txt)": (
        "child-j-lcspr",
        (
            ("Recommendation 1:", "The partnership should ensure that schools", "as a whole at least once a term."),
            ("Recommendation 2:", "Children's social care should not close", "records why that is safe."),
            (
                "Recommendation 3 –",
                "The clinical commissioning group should remind GPs",
                "the children in the household.",
            ),
            (
                "Recommendation 4 –",
                "The partnership should audit, within twelve months,",
                "after a single telephone call.",
            ),
        ),
    ),
    "lettered actions (md)": (
        "baby-q-rapid-review",
        (
            ("(a)", "the leaving care service wrote to every personal adviser", "before a case is closed;"),
            ("(b)", "the hospital trust checked", "head injury in the last six months;"),
            ("(c)", "health visiting agreed to offer", "parents who are care leavers."),
        ),
    ),
    "roman recommendations (md)": (
        "baby-q-rapid-review",
        (
            ("(i)", "The partnership should ask the leaving care service", "until their child is one year old."),
            ("(ii)", "Midwifery and health visiting should include fathers", "when a father could not be seen."),
            ("(iii)", "The partnership should commission training", "who work with young parents."),
            ("(iv)", "The partnership should report to its executive", "on the progress made."),
        ),
    ),
    "bold run-in learning points (md)": (
        "child-v-learning-review",
        (
            ("-", "**Changes in behaviour are a form of communication.**", "might be telling them."),
            ("-", "**Arrangements for overnight care need to be understood.**", "to understanding risk."),
            ("-", "**Single fathers can be overlooked", "an old address of V's mother."),
            ("-", "**Disclosures often come slowly.**", "made the full disclosure possible."),
        ),
    ),
    "wrapped items with agency responses (txt)": (
        "child-y-scr",
        (
            ("4.1", "The partnership should promote the domestic violence", "history of violence."),
            ("4.2", "Early years settings should record every injury", "designated safeguarding lead."),
            ("4.3", "Children's social care should ask about any new adult", "checks were made on that adult."),
            ("4.4", "The partnership should seek assurance", "have been carried out."),
        ),
    ),
    "inline under findings and again in a summary (md)": (
        "child-z-lcspr",
        (
            ("1.1", "The partnership should ensure that return home interviews", "the young person knows."),
            ("1.2", "The missing children's service should report monthly", "offered and held."),
            ("2.1", "The partnership should hold a multi-agency meeting", "three times in ninety days."),
            ("3.1", "Children's social care should offer an assessment", "exploited young people."),
            ("3.2", "The partnership should ask parents", "help design its guidance."),
        ),
    ),
    "finding headings over sub-numbered recommendations (md)": (
        "child-z-lcspr",
        (
            (
                "Finding 1: Return home interviews did not happen —",
                "Z was offered a return home interview",
                "by a worker she had never met.",
            ),
            (
                "Finding 2: Information about exploitation was not brought together —",
                "The police, the school and the youth service",
                "until she was found.",
            ),
            (
                "Finding 3: Z's mother was not supported —",
                "Z's mother reported her missing every time",
                "a parenting or carers' assessment.",
            ),
        ),
    ),
    "paragraphs, each followed by a response (md)": (
        "child-e-rapid-review",
        (
            ("-", "The drug treatment service should check", "allowed to take doses home."),
            ("-", "Pharmacies should give a lockable box", "patients who live with children."),
            ("-", "The partnership should include the safe storage", "for parents of toddlers."),
        ),
    ),
    "lettered actions in List Paragraph style (docx)": (
        "child-n-lcspr",
        (
            ("(a)", "the school nurse service began to offer a drop-in", "pupil referral unit each week;"),
            ("(b)", "children's social care reviewed every case closed", "had disclosed self-harm;"),
            ("(c)", "the police briefed their missing persons coordinators", "the review's early findings."),
        ),
    ),
    "numbered List Paragraph items around a Normal paragraph (docx)": (
        "child-n-lcspr",
        (
            ("1.", "The partnership should agree how agencies share", "when the young person moves school."),
            ("2.", "Children's social care should see the young person", "referral that mentions self-harm."),
            ("3.", "The emergency department should refer every young person", "health service before discharge."),
            ("4.", "GPs should review young people on their list", "emergency department twice in a year."),
        ),
    ),
    "lettered-number labels, wrapped (txt)": (
        "young-person-r-rapid-review",
        (
            ("R1", "The partnership should make sure that staff", "as a form of exploitation."),
            ("R2 –", "Children's social care should hold a strategy discussion", "adults or older peers."),
            ("R3 –", "The partnership should add supported accommodation", "to its exploitation panel."),
        ),
    ),
    "recommendations under each finding, gathered again at the end (md)": (
        "child-p-lcspr",
        (
            ("1.", "The integrated care board should name one service", "weight of each disabled child."),
            ("2.", "The school nursing service should weigh", "with an eating plan each term."),
            ("3.", "Children's social care should offer a carer's assessment", "says that they are not coping."),
        ),
    ),
    "findings each followed by its recommendations (md)": (
        "child-p-lcspr",
        (
            (
                "Finding 1: P's weight was not monitored —",
                "P was weighed twice in three years.",
                "the other was monitoring his weight.",
            ),
            (
                "Finding 2: P's mother was struggling alone —",
                "P's mother told the short breaks service",
                "no carer's assessment followed.",
            ),
        ),
    ),
    "recommendations in an executive summary and again in the report (md)": (
        "child-g-scr",
        (
            ("1.", "The partnership should ensure that police share", "with health visitors."),
            ("2.", "Early years settings should follow up", "with a call home."),
        ),
    ),
    "key findings in an executive summary, findings in the report (md)": (
        "child-g-scr",
        (
            ("3.1", "Police held records of Mr Rook's violence", "not shared with the health visitor."),
            ("3.2", "Child G missed 23 nursery sessions", "no one called home."),
        ),
    ),
    "unnumbered sub-headings under a lead-in paragraph (md)": (
        "child-f-lcspr",
        (
            ("Schools did not share attendance concerns \u2014", "Child F's attendance fell", "the health visitor."),
            ("The GP did not see the child \u2014", "The GP saw Child F's mother", "never saw Child F."),
        ),
    ),
    "table (html)": (
        "young-person-k-rapid-review",
        (
            ("1.", "Alternative provision placements should offer", "Timescale: September 2024"),
            ("2.", "Information from a parent that a child", "Timescale: April 2024"),
            ("3.", "The partnership should review how exclusion", "Timescale: June 2024"),
        ),
    ),
    "table (docx)": (
        "child-l-lcspr",
        (
            ("1.", "The partnership should publish a single protocol", "Timescale: Six months"),
            ("2.", "Dental practices should tell the child's GP", "Timescale: Three months"),
            ("3.", "Children's social care should include", "Timescale: Immediate"),
            ("4.", "The partnership should test the protocol", "Timescale: Twelve months"),
        ),
    ),
    "numbered actions (pdf)": (
        "child-o-rapid-review",
        (
            ("1.", "The hospital trust re-issued its guidance", "emergency department doctor and nurse."),
            ("2.", "The health visiting service checked every open case", "in the last three months."),
            ("3.", "Children's social care and the police agreed", "in a non-mobile baby."),
        ),
    ),
    "wrapped items over a page break (pdf)": (
        "child-o-rapid-review",
        (
            ("1.", "The partnership should make sure that its protocol", "urgent care and walk-in centres."),
            ("2.", "General practices should flag the records", "prompts a safeguarding discussion."),
            ("3.", "The partnership should ask the police to share", "a baby lives in the household."),
            ("4.", "Maternity services should ask every father", "and record his answers."),
            ("5.", "The partnership should run a campaign for parents", "the languages spoken in the area."),
            ("6.", "The partnership should report on the progress", "executive within nine months."),
        ),
    ),
    "numbered paragraphs wrapping, unspaced, over a page (txt)": (
        "child-u-scr",
        (
            ("6.1", "The partnership should ensure that neglect is assessed", "the same child within six months."),
            ("6.2", "Schools should record what a child says", "review those records every half term."),
            ("6.3", "Children's social care should not close", "without first seeing the children."),
            ("6.4", "The partnership should ask the housing service", "live whenever it visits."),
            ("6.5", "The partnership should review progress", "within twelve months of publication."),
        ),
    ),
    "labelled learning-point headings (txt)": (
        "child-u-scr",
        (
            ("Learning point 1: Hearing the child —", "U told her teacher twice", "the notes were not read together."),
            (
                "Learning point 2: Neglect was seen in parts —",
                "Each agency saw one part of the neglect:",
                "No one saw the whole.",
            ),
            (
                "Learning point 3: Drift in child in need planning —",
                "The child in need plan was reviewed five times",
                "when the mother stopped attending.",
            ),
        ),
    ),
    "a heading per recommendation, each with a response (md)": (
        "child-i-learning-review",
        (
            (
                "Recommendation 1 —",
                "The partnership should make sure that every disabled child",
                "care for them in an emergency.",
            ),
            (
                "Recommendation 2 —",
                "Hospital staff admitting a parent should ask",
                "if no one is caring for that child.",
            ),
            ("Recommendation 3 —", "The partnership should ask special schools", "lists with the respite unit."),
        ),
    ),
    "Word list numbering on across response paragraphs (docx)": (
        "child-b-rapid-review",
        (
            ("1.", "The partnership should remind all agencies", "must be seen at home."),
            ("2.", "The police should tell the school the next morning", "domestic incident at a pupil's home."),
            ("3.", "Health visitors should ask about the mental health", "both parents at every contact."),
        ),
    ),
}
QUESTIONS = [
    ("What were the recommendations of the Child J review?", "run-in labels (txt)"),
    ("What did the Child J review recommend?", "run-in labels (txt)"),
    ("What immediate actions were taken after the Baby Q rapid review?", "lettered actions (md)"),
    ("List every recommendation made in the Baby Q review.", "roman recommendations (md)"),
    ("List every learning point in the Child V review.", "bold run-in learning points (md)"),
    ("What were the recommendations of the Child Y review?", "wrapped items with agency responses (txt)"),
    ("What did the Child Z review recommend?", "inline under findings and again in a summary (md)"),
    ("What were the findings of the Child Z review?", "finding headings over sub-numbered recommendations (md)"),
    ("What recommendations did the Child E rapid review make?", "paragraphs, each followed by a response (md)"),
    ("What immediate actions were taken after the Child N review?", "lettered actions in List Paragraph style (docx)"),
    ("What did the Child N review recommend?", "numbered List Paragraph items around a Normal paragraph (docx)"),
    ("What did the Young Person R rapid review recommend?", "lettered-number labels, wrapped (txt)"),
    ("What were the recommendations of the Child P review?",
     "recommendations under each finding, gathered again at the end (md)"),
    ("What did the Child P review find?", "findings each followed by its recommendations (md)"),
    ("What were the recommendations of the Child G review?",
     "recommendations in an executive summary and again in the report (md)"),
    ("What were the findings of the Child G serious case review?",
     "key findings in an executive summary, findings in the report (md)"),
    ("What were the findings of the Child F review?", "unnumbered sub-headings under a lead-in paragraph (md)"),
    ("What were the recommendations of the Young Person K review?", "table (html)"),
    ("What did the Child L review recommend?", "table (docx)"),
    ("What immediate actions were taken after the Child O rapid review?", "numbered actions (pdf)"),
    ("List every recommendation made in the Child O review.", "wrapped items over a page break (pdf)"),
    ("What were the recommendations of the Child U serious case review?",
     "numbered paragraphs wrapping, unspaced, over a page (txt)"),
    ("What lessons were learned from the Child U review?", "labelled learning-point headings (txt)"),
    ("What did the Child I review recommend?", "a heading per recommendation, each with a response (md)"),
    ("List every recommendation in the Child I learning review.",
     "a heading per recommendation, each with a response (md)"),
    ("What were the recommendations of the Child B review?",
     "Word list numbering on across response paragraphs (docx)"),
]  # fmt: skip


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    """Every list layout in one index, with the real model and Chroma."""
    built = {
        "child-l-lcspr.docx": list_builders.write_table_docx,
        "child-o-rapid-review.pdf": list_builders.write_page_broken_pdf,
        "child-b-rapid-review.docx": list_builders.write_numbered_with_responses_docx,
        "child-n-lcspr.docx": list_builders.write_list_paragraph_docx,
    }
    return index_reviews(tmp_path_factory.mktemp("list-layouts"), FIXTURES, built, real_embedder)


@pytest.mark.parametrize(("question", "layout"), QUESTIONS)
def test_a_list_answer_holds_exactly_the_reviews_items(layouts: Casewise, question: str, layout: str) -> None:
    review_id, expected = LAYOUTS[layout]
    answer = layouts.ask(question)
    assert_items(answer, expected)
    assert {c.review_id for c in answer.citations} == {review_id}


@pytest.mark.parametrize(
    ("question", "review", "item"),
    [
        ("What was the response to recommendation 2 in the Child B rapid review?", "Child B", 2),
        ("What did recommendation 3 of the Child E review say?", "Child E", 3),  # not numbered: the third
    ],
)
def test_one_item_asked_for_by_its_number_comes_with_the_response_after_it(
    layouts: Casewise, question: str, review: str, item: int
) -> None:
    answer = layouts.ask(question)
    assert answer.text.startswith(f"Recommendation {item} of the {review} review:")
    recommendation, response = (c.quote for c in answer.citations)
    listed = layouts.ask(f"What were the recommendations of the {review} review?").citations
    assert recommendation == listed[item - 1].quote  # that item, and no other
    assert response.startswith("Response:")
    missing = layouts.ask(f"What was recommendation 9 of the {review} review?")
    assert missing.text.startswith(f"None of the recommendations of the {review} review is numbered 9;")
    assert [c.quote for c in missing.citations] == [c.quote for c in listed]


def test_without_a_named_review_each_review_gives_its_own_labelled_list(layouts: Casewise) -> None:
    answer = layouts.ask("What recommendations were made?")
    without = {"child-v-learning-review", "child-f-lcspr"}  # reviews that make no recommendations
    expected = {review_id for review_id, items in LAYOUTS.values() if review_id not in without}
    assert {c.review_id for c in answer.citations} == expected
    assert answer.text.count("The recommendations of ") == len(expected)
    child_z = [c.quote for c in answer.citations if c.review_id == "child-z-lcspr"]
    assert len(child_z) == len(set(child_z)) == 5  # each once, though the review gives them twice


def test_a_list_asked_about_a_topic_gives_the_items_that_mention_it(layouts: Casewise) -> None:
    """ "Which of them ..." after a list, or a list asked "about" one word: its items that mention it, as numbered;
    when none does, it says so and gives each."""
    asked = "What were the recommendations of the Child J review?"
    about = layouts.ask("Which of them is about schools?", (Turn("user", asked), Turn("assistant", "...")))
    assert [c.quote.split()[:4] for c in about.citations] == [["The", "partnership", "should", "ensure"]], about.text
    assert "Recommendation 1:" in about.text
    none = layouts.ask("What were the Child J review's recommendations for dogs?")
    assert (
        none.text.startswith(
            "None of the recommendations of the Child J review mentions \u201cdogs\u201d; here is each"
        )
        and len(none.citations) == 4
    ), none.text


def test_a_named_reviews_items_on_a_topic_of_several_words_are_ordered_by_the_topic(layouts: Casewise) -> None:
    """ "The X review's recommendations about ...": searched for in its recommendations by the topic, so the
    section's lead-in ("The review makes the following recommendations."), which only shares the kind's name,
    does not come first."""
    answer = layouts.ask("What were the Young Person K review's recommendations about sharing information?")
    assert answer.citations[0].quote.startswith("Information from a parent"), answer.text
