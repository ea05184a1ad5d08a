"""List answers print each item under the label the review prints ('(a)', '(i)', '1)', 'Recommendation 3:'), and
items that are numbered sub-sections ('4.1 Information sharing') under their printed number and heading, asked
through `Casewise.ask` with the real model and Chroma over reviews written for these layouts in Markdown, HTML,
plain text, Word and PDF."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numbered_builders
import pytest
from list_answers import Item, assert_items, index_reviews, uncited_lines
from markdown_it import MarkdownIt

from casewise.answer_export import to_markdown
from retriever.pipeline import Casewise

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures" / "numbered"

# question -> (review id, the list's title line, the sub-headings printed over items, the items)
LISTS: dict[str, tuple[str, str, tuple[str, ...], tuple[Item, ...]]] = {
    "What were the findings of the Child W review?": (
        "child-w-lcspr",
        "The findings of the Child W review:",
        ("4.2 Referrals closed by telephone",),  # the one sub-section of two paragraphs heads both
        (
            ("4.1 Information sharing \u2014", "The adult mental health team knew", "that she was a parent."),
            ("-", "The school made two referrals", "a telephone call with her mother."),
            ("-", "The school did not use the partnership's escalation procedure", "had never been shown."),
            ("4.3 Weekend arrangements \u2014", "No agency asked where W stayed", "alone at weekends."),
        ),
    ),
    "What did the Child W review recommend?": (
        "child-w-lcspr",
        "The recommendations of the Child W review:",
        (),
        (
            ("1)", "The partnership should ask adult mental health services", "parent or carer of a child."),
            ("2)", "Children's social care should not close a second referral", "a visit to the home."),
            ("3)", "Schools should remind all staff", "procedure every September."),
        ),
    ),
    "What lessons were learned from the Young Person C review?": (
        "young-person-c-learning-review",
        "The learning of the Young Person C review:",
        (),
        (
            ("3.1 Placement moves \u2014", "Each of C's four moves", "than the one before."),
            ("3.2 Return home conversations \u2014", "C was asked where he had been", "reached his social worker."),
            ("3.3 Planning for adulthood \u2014", "No pathway plan had been written", "where he would live."),
        ),
    ),
    "What were the recommendations of the Young Person C review?": (
        "young-person-c-learning-review",
        "The recommendations of the Young Person C review:",
        (),
        (
            ("Recommendation 1:", "The partnership should ensure", "when their placement changes."),
            ("Recommendation 2:", "Children's homes should send the record", "within two working days."),
            ("Recommendation 3:", "The local authority should write a pathway plan", "their sixteenth birthday."),
        ),
    ),
    "What immediate actions were taken after the Young Person G rapid review?": (
        "young-person-g-rapid-review",
        "The actions of the Young Person G review:",
        (),
        (  # an <ol type="i">, as the browser numbers it
            ("i.", "The police visited the address of the party", "the adults who arranged it."),
            ("ii.", "G's school held a strategy discussion", "the day after she left hospital."),
            ("iii.", "The youth service offered G a worker", "she had met before."),
        ),
    ),
    "What learning did the Young Person G rapid review identify?": (
        "young-person-g-rapid-review",
        "The learning of the Young Person G review:",
        (),
        (  # an <ol start="4">
            ("4.", "Messages from adults G met online", "did not know who to tell."),
            ("5.", "The school counted G's absences", "where she went on those days."),
        ),
    ),
    "What did the Young Person G rapid review recommend?": (
        "young-person-g-rapid-review",
        "The recommendations of the Young Person G review:",
        (),
        (  # paragraphs the page numbers by hand
            ("1.", "The partnership should publish advice for parents", "contacts their child online."),
            ("2.", "Schools should ask a pupil where they were", "unexplained absence in a week."),
            ("3.", "The partnership should report on these recommendations", "within six months."),
        ),
    ),
    "What were the findings of the Child S review?": (
        "child-s-scr",
        "The findings of the Child S review:",
        (),
        (
            ("3.1 Missed health appointments \u2014", "S was not brought to nine appointments", "did not come."),
            ("3.2 School meals \u2014", "The school knew that S ate two helpings", "a good appetite."),
        ),
    ),
    "What did the Child S review recommend?": (
        "child-s-scr",
        "The recommendations of the Child S review:",
        (),
        (
            ("(a)", "The partnership should make sure that a child", "discussed with the child's GP."),
            ("(b)", "Schools should record when a child regularly takes food home", "with the school nurse."),
            ("(c)", "The partnership should publish guidance", "neglect of older children."),
        ),
    ),
    "What immediate actions were taken after the Child H rapid review?": (
        "child-h-rapid-review",
        "The actions of the Child H review:",
        (),
        (
            ("(i)", "The hospital trust told every ward", "admitted with a fracture."),
            ("(ii)", "The police shared their records", "on the same day."),
            ("(iii)", "Children's social care placed both children", "while the assessment took place."),
        ),
    ),
    "What did the Child H review recommend?": (
        "child-h-rapid-review",
        "The recommendations of the Child H review:",
        (),
        (  # each recommendation's heading labels it; the agency's response after it is not one
            ("5.1 Safer sleep \u2014", "Health visitors should talk with both parents", "again at six weeks."),
            ("5.2 Fathers in antenatal care \u2014", "Maternity services should invite fathers", "whether they came."),
            ("5.3 Records of bruising \u2014", "General practices should code every bruise", "one is noticed."),
        ),
    ),
    "What were the findings of the Child K review?": (
        "child-k-lcspr",
        "The findings of the Child K review:",
        (),
        (  # the numbers Word gives the headings, which are not in their text
            ("2.1 Transport to school \u2014", "The taxi company changed K's driver", "his parents or his school."),
            ("2.2 Care plans \u2014", "K's education, health and care plan", "shared with the transport team."),
        ),
    ),
    "What did the Child K review recommend?": (
        "child-k-lcspr",
        "The recommendations of the Child K review:",
        (),
        (
            ("3.1 Travel training \u2014", "The local authority should offer travel training", "travels by taxi."),
            ("3.2 Plan reviews \u2014", "The transport team should be invited", "that mentions travel."),
        ),
    ),
    "What actions were taken after the Child K review?": (
        "child-k-lcspr",
        "The actions of the Child K review:",
        (),
        (  # a two-level Word list, each level numbered as Word prints it
            ("1.", "The school agreed a plan for K's journeys:", "journeys:"),
            ("a)", "a named driver for every journey;", "journey;"),
            ("b)", "a photo card of the driver for K to keep.", "to keep."),
            ("2.", "The local authority reviewed every taxi contract", "children with a plan."),
        ),
    ),
    "What immediate actions were taken after the Baby F rapid review?": (
        "baby-f-rapid-review",
        "The actions of the Baby F review:",
        (),
        (
            ("1)", "The ambulance service reminded its crews", "an unsafe sleeping place."),
            ("2)", "The housing service moved the family", "within a week."),
        ),
    ),
    "What were the findings of the Baby F review?": (
        "baby-f-rapid-review",
        "The findings of the Baby F review:",
        (),
        (
            ("3.1 Advice given once \u2014", "The family were given advice", "a one-room flat."),
            ("3.2 Alcohol at home \u2014", "The health visitor knew that F's father", "cared for F at night."),
        ),
    ),
    "What were the findings of the Child P review?": (
        "child-p-lcspr",
        "The findings of the Child P review:",
        (),
        (  # a Markdown list numbered by hand, 1. 2. 3.
            ("1.", "The school nurse recorded P's weight falling", "with his GP."),
            ("2.", "Children's social care accepted the father's plan", "speaking to P himself."),
            ("3.", "No agency knew that P's sisters", "with their own wages."),
        ),
    ),
    "What lessons were learned from the Child P review?": (
        "child-p-lcspr",
        "The learning of the Child P review:",
        (),
        (  # a Markdown list written 3. 1. 1., which renders 3. 4. 5.
            ("3.", "Home education removed the one service", "who would see him instead."),
            ("4.", "A falling weight recorded by one service", "can compare it."),
            ("5.", "The voices of older siblings", "a younger child cannot."),
        ),
    ),
    "What did the Child P review recommend?": (
        "child-p-lcspr",
        "The recommendations of the Child P review:",
        (),
        (  # a Markdown list written 1. on every item, which renders 1. 2. 3.
            ("1.", "The partnership should ask schools to tell", "within five days."),
            ("2.", "Community health services should send", "to the child's GP."),
            ("3.", "Children's social care should speak to a child alone", "about that child."),
        ),
    ),
    "What immediate actions were taken after the Baby R rapid review?": (
        "baby-r-rapid-review",
        "The actions of the Baby R review:",
        (),
        (  # a two-level Markdown list written 1. on every item: each level counts on its own
            ("1.", "The hospital trust agreed two checks", "with a head injury:"),
            ("1.", "a skeletal survey before the baby goes home;", "goes home;"),
            ("2.", "a call to the health visitor", "day of discharge."),
            ("2.", "The police agreed two things", "with children's social care:"),
            ("1.", "a joint visit to the home within a day;", "within a day;"),
            ("2.", "a check of the records of every adult", "living there."),
            ("3.", "The housing service paused the family's move", "the assessment was finished."),
        ),
    ),
    "What did the Baby R review recommend?": (
        "baby-r-rapid-review",
        "The recommendations of the Baby R review:",
        (),
        (  # a Markdown list written 1) on every item, which renders as counting up; its delimiter kept
            ("1)", "Maternity services should give both parents", "before a baby goes home."),
            ("2)", "The emergency department should ask every adult", "who else cares for the baby."),
            ("3)", "The partnership should check within a year", "have been made."),
        ),
    ),
}


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    """Every numbered layout in one index, with the real model and Chroma."""
    built = {
        "child-h-rapid-review.docx": numbered_builders.write_numbered_subheadings_docx,
        "baby-f-rapid-review.pdf": numbered_builders.write_numbered_subheadings_pdf,
        "child-k-lcspr.docx": numbered_builders.write_word_numbered_headings_docx,
    }
    return index_reviews(tmp_path_factory.mktemp("numbered-lists"), FIXTURES, built, real_embedder)


@pytest.mark.parametrize("question", sorted(LISTS))
def test_each_item_is_listed_under_the_label_the_review_prints(numbered: Casewise, question: str) -> None:
    review_id, title, headings, items = LISTS[question]
    answer = numbered.ask(question)
    assert_items(answer, items)
    assert uncited_lines(answer) == [title, *headings]
    assert {c.review_id for c in answer.citations} == {review_id}


def test_a_section_keeps_the_number_its_heading_prints(numbered: Casewise) -> None:
    """Search results name a numbered sub-section by its number as well as its name."""
    hits = numbered.search("code every bruise seen on a baby", k=1)
    assert (hits[0].chunk.section, hits[0].chunk.section_number) == ("Records of bruising", "5.3")
    assert hits[0].to_dict(1)["section_number"] == "5.3"


@pytest.mark.parametrize(
    "question",
    [
        "What lessons were learned from the Child P review?",
        "What immediate actions were taken after the Baby R rapid review?",
        "What did the Child W review recommend?",
        "What did the Child S review recommend?",
    ],
)
def test_a_list_answer_downloaded_as_markdown_shows_each_item_under_the_review_s_label(
    numbered: Casewise, question: str
) -> None:
    """The Markdown download, rendered by a CommonMark viewer (markdown-it), shows the answer line by line: each
    item its own paragraph under the review's label, in order, not a list the viewer numbers again."""
    answer = numbered.ask(question)
    rendered = MarkdownIt("commonmark").render(to_markdown(answer, []))
    assert not re.search(r"<(ol|ul|li|pre|code|hr)\b", rendered), rendered
    paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", rendered, re.S)]
    lines = [line for line in answer.text.split("\n") if line.strip()]
    assert paragraphs[1 : 1 + len(lines)] == lines
    labels = [
        line.removesuffix(f"{c.quote} [{c.marker}]").strip()
        for line, c in zip([p for p in paragraphs if re.search(r"\[\d+\]$", p)], answer.citations, strict=True)
    ]
    assert labels == [label for label, _, _ in LISTS[question][3]]
