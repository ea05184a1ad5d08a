"""Reviews from the four nations, as each publishes them: Scotland's learning reviews and significant case reviews
from child protection committees, Wales's child practice reviews from regional safeguarding boards, Northern
Ireland's case management reviews from its safeguarding board, and England's national reviews from the national
panel. Each invented, in a layout the dev corpus lacks; read by the real ingest stages, then asked through the real
model and Chroma."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from growth import LINEAR, growth
from layouts import Ingested, ingest
from list_answers import index_reviews

from core.models import SectionKind
from ingest.kinds import heading_kind
from ingest.metadata import extract_meta
from retriever.pipeline import Casewise

K = SectionKind
MEGABYTE = 1_000_000

_LEARNING_REVIEW = (
    ("Heading 1", "1. Introduction"),
    ("Normal", "1.1 This learning review was commissioned by the Chief Officers Group following an Initial Case "
     "Review. It concerns a boy, referred to here as Callum (not his real name), who was 14 when he was admitted "
     "to hospital in June 2023 after an overdose."),
    ("Heading 1", "2. Circumstances leading to the review"),
    ("Normal", "2.1 Callum lived with his mother and his two younger half-sisters. His mother had a long history "
     "of depression."),
    ("Normal", "2.2 Callum's Named Person, the depute head teacher, was not invited to the Inter-agency Referral "
     "Discussion and did not learn of the police attendance until December 2022."),
    ("Heading 1", "3. Methodology"),
    ("Normal", "3.1 The reviewers read the records of social work, education, health and Police Scotland."),
    ("Heading 1", "4. Analysis and key learning"),
    ("Heading 2", "4.1 Young carers"),
    ("Normal", "No agency identified Callum as a young carer, although he was doing much of the caring for his "
     "sisters and his mother."),
    ("Heading 2", "4.2 Callum's voice"),
    ("Normal", "Callum told the reviewers: \u201cEveryone asked if Mum was alright. Nobody asked if I was.\u201d"),
    ("Heading 1", "5. Recommendations"),
    ("Normal", "Recommendation 1: Education and social work should identify young carers at the first contact."),
    ("Normal", "Recommendation 2: The Named Person should be invited to every Inter-agency Referral Discussion "
     "about a child of school age."),
)  # fmt: skip


def _learning_review_docx(path: Path) -> Path:
    """A Scottish learning review in Word: the committee's name in the Subtitle style over the Title."""
    import docx

    document = docx.Document()
    document.add_paragraph("Glenmorven Child Protection Committee", style="Subtitle")
    document.add_paragraph("Learning Review: \u2018Callum\u2019", style="Title")
    document.add_paragraph("Published March 2024")
    for style, text in _LEARNING_REVIEW:
        document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


_SIGNIFICANT_CASE_REVIEW = """\
DUNMORE AND KILBRAE CHILD PROTECTION COMMITTEE

SIGNIFICANT CASE REVIEW (SCR)

BABY E

Published: 14 May 2019


1. Introduction

1.1 This Significant Case Review was commissioned following the death of Baby E, aged seven weeks, in August 2017.


2. Key Findings

2.1 The pre-birth assessment relied on the mother's own account and did not include the father.


3. Recommendations

3.1 The Committee should ensure that every pre-birth assessment includes both parents.
"""

_CASE_MANAGEMENT_REVIEW = (
    ("Safeguarding Board for Northern Ireland", 12),
    ("Case Management Review", 20),
    ("Executive Summary: Child 'Niamh'", 14),
    ("Date of publication: November 2023", 0),
    ("1. Introduction", 13),
    ("1.1 This Case Management Review (CMR) was commissioned after the death of a two-year-old girl, referred to "
     "as Niamh, in April 2022. Niamh died from a head injury.", 0),
    ("1.2 Niamh lived with her mother, who was 20, and from December 2021 with her mother's partner.", 0),
    ("2. Summary of Agency Involvement", 13),
    ("2.1 In February 2022 a GP saw Niamh with bruising to her forehead. Her mother said she had fallen against a "
     "coffee table. The GP accepted the explanation and did not make a referral to the Gateway Team.", 0),
    ("3. Findings", 13),
    ("3.1 Information held by the PSNI about the mother's partner was not shared with the Trust.", 0),
    ("4. Recommendations", 13),
    ("4.1 The PSNI should record the presence of children at every domestic incident.", 0),
    ("4.2 GPs should follow the regional protocol on bruising in young children.", 0),
)  # fmt: skip


def _case_management_review_pdf(path: Path) -> Path:
    """Northern Ireland's case management review as an executive summary PDF: the board's name over the title,
    the sections under an "Executive Summary" heading."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 72
    for text, size in _CASE_MANAGEMENT_REVIEW:
        y -= 10 if size else 0
        for line in textwrap.wrap(text, 90):
            page.setFont("Helvetica-Bold" if size > 12 else "Helvetica", size or 11)
            page.drawString(72, y, line)
            y -= 16
        y -= 6
    page.save()
    return path


_CHILD_PRACTICE_REVIEW = """\
# Concise Child Practice Review: Child T

Cwm Bryn Regional Safeguarding Board

Report published July 2022

## Brief outline of circumstances resulting in the review

Child T was a 15-year-old girl who went missing from home on 23 occasions in 2020.

## Improving systems and practice

1. The Regional Safeguarding Board should review the missing children protocol.
"""


_NATIONAL_REVIEW_PAGES = (  # as pdftotext gives a report: a protective marking on its cover, running headers
    "OFFICIAL - SENSITIVE\n\nChild Safeguarding Practice Review Panel\n\nSafeguarding children at risk of harm "
    "from an adult's online contact:\na national review\n\nApril 2025\n",
    "National review: online contact\n\nChapter 1: Introduction\n\n1.1 This national review looked at twelve "
    "incidents in which a child was harmed after contact\nwith an adult they had met online.\n\n  Page 2 of 3\n",
    "National review: online contact\n\nChapter 2: Recommendations\n\nRecommendation 1: Schools should ask "
    "about online contact whenever a child's\nbehaviour changes.\n\nRecommendation 2: Every report of online "
    "grooming should be allocated\nwithin 72 hours.\n\n  Page 3 of 3\n",
)


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _outline(run: Ingested) -> list[tuple[tuple[str, ...], SectionKind]]:
    return [(s.path, s.kind) for s in run.sections]


def test_a_scottish_learning_review_under_its_committees_name(tmp_path: Path) -> None:
    run = ingest(_learning_review_docx(tmp_path / "Learning Review Callum GCPC.docx"))
    meta = run.review.meta
    assert (meta.title, meta.review_type) == ("Learning Review: \u2018Callum\u2019", "learning review")
    assert meta.partnership == "Glenmorven Child Protection Committee"
    assert _outline(run) == [  # the title is no section over all the others, and not their "learning"
        (("Introduction",), K.INTRODUCTION),
        (("Circumstances leading to the review",), K.BACKGROUND),
        (("Methodology",), K.INTRODUCTION),
        (("Analysis and key learning", "Young carers"), K.LEARNING),
        (("Analysis and key learning", "Callum's voice"), K.LEARNING),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]


def test_a_scottish_significant_case_review_is_not_an_english_serious_case_review(tmp_path: Path) -> None:
    meta = ingest(_written(tmp_path / "scr-baby-e.txt", _SIGNIFICANT_CASE_REVIEW)).review.meta
    assert meta.review_type == "significant case review"
    assert meta.title == "Significant Case Review (SCR): Baby E"  # a cover's capitals read in title case
    assert meta.partnership == "Dunmore and Kilbrae Child Protection Committee"
    assert (meta.subject, meta.year) == ("Baby E", 2019)


def test_a_northern_ireland_case_management_review_under_its_boards_name(tmp_path: Path) -> None:
    run = ingest(_case_management_review_pdf(tmp_path / "CMR Niamh Executive Summary.pdf"))
    meta = run.review.meta
    assert (meta.title, meta.review_type) == ("Case Management Review: Niamh", "case management review")
    assert meta.partnership == "Safeguarding Board for Northern Ireland"
    kinds = {s.path[-1]: s.kind for s in run.sections}
    assert (kinds["Findings"], kinds["Recommendations"]) == (K.FINDINGS, K.RECOMMENDATIONS)


def test_a_welsh_child_practice_review_names_its_regional_board(tmp_path: Path) -> None:
    meta = ingest(_written(tmp_path / "cpr-child-t.md", _CHILD_PRACTICE_REVIEW)).review.meta
    assert (meta.review_type, meta.partnership) == ("child practice review", "Cwm Bryn Regional Safeguarding Board")


def test_a_national_review_under_the_panels_name_and_a_protective_marking(tmp_path: Path) -> None:
    run = ingest(_written(tmp_path / "national-review.txt", "\f".join(_NATIONAL_REVIEW_PAGES)))
    meta = run.review.meta
    assert meta.title == "Safeguarding children at risk of harm from an adult's online contact: a national review"
    assert (meta.review_type, meta.partnership) == ("national review", "Child Safeguarding Practice Review Panel")
    assert "OFFICIAL" not in run.review.text
    assert [s.kind for s in run.sections] == [K.INTRODUCTION, K.RECOMMENDATIONS]


def test_a_local_review_citing_a_national_review_is_not_one(tmp_path: Path) -> None:
    text = "Rapid Review: Child Q\n\nIntroduction\n\nThe panel's national review of bruising informed this review."
    assert extract_meta(text.replace("Rapid Review", "Review"), None, "Review").review_type is None
    assert extract_meta(text, None, "Review").review_type == "rapid review"


@pytest.mark.parametrize(
    ("text", "partnership"),
    [
        ("The Regional Safeguarding Board should review the protocol.", None),  # a board, not its name
        ("It was reported to the Local Safeguarding Children Board in 2012.", None),
        ("Published by the Safeguarding Board for Northern Ireland (SBNI).", "Safeguarding Board for Northern Ireland"),
        ("Edinburgh and Lothians Public Protection Committee", "Edinburgh and Lothians Public Protection Committee"),
        ("Harrowfield Local Safeguarding Children Board", "Harrowfield Local Safeguarding Children Board"),
    ],
)
def test_publishers_are_named_as_they_name_themselves(text: str, partnership: str | None) -> None:
    assert extract_meta(text, None, "Review").partnership == partnership


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Learning Review: Callum", K.OTHER),  # a title set as a heading names a type of review, not a section
        ("Learning Review", K.OTHER),
        ("Learning from the Rapid Review: Baby R", K.LEARNING),
        ("Why this learning review was commissioned", K.INTRODUCTION),
    ],
)
def test_the_name_of_a_type_of_review_names_no_kind_of_section(heading: str, kind: SectionKind) -> None:
    assert heading_kind(heading, weak=False) is kind


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "Safeguarding Board for " + "Ab " * (n // 3),
        lambda n: "Ab " * (n // 3) + "Child Protection",
        lambda n: "Ab and " * (n // 7) + "Regional Safeguarding",
        lambda n: "\u00b7 Lead reviewer: A" * (n // 19),  # bylines (ingest/metadata.py)
        lambda n: "Independent author\n" * (n // 19),
    ],
)
def test_reading_a_publishers_name_is_linear_on_a_hostile_megabyte(make) -> None:  # type: ignore[no-untyped-def]
    extract_meta(make(MEGABYTE), None, "Review")
    assert growth(lambda text: extract_meta(text, None, "Review"), make, 20_000) < LINEAR


@pytest.fixture(scope="module")
def four_nations(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    built = {
        "Learning Review Callum GCPC.docx": _learning_review_docx,
        "scr-baby-e.txt": lambda path: _written(path, _SIGNIFICANT_CASE_REVIEW),
        "CMR Niamh Executive Summary.pdf": _case_management_review_pdf,
        "cpr-child-t.md": lambda path: _written(path, _CHILD_PRACTICE_REVIEW),
        "national-review.txt": lambda path: _written(path, "\f".join(_NATIONAL_REVIEW_PAGES)),
    }
    return index_reviews(tmp_path_factory.mktemp("four-nations"), None, built, real_embedder)


@pytest.mark.integration
def test_the_collection_is_asked_about_by_each_nations_review_types_and_publishers(four_nations: Casewise) -> None:
    significant = four_nations.ask("Which reviews are significant case reviews?").text
    assert "1 of the 5 reviews" in significant
    assert "(significant case review, Dunmore and Kilbrae Child Protection Committee, 2019)" in significant
    committees = four_nations.ask("Which reviews were published by a Child Protection Committee?").text
    assert "2 of the 5 reviews" in committees
    assert "Callum" in committees and "Baby E" in committees and "Niamh" not in committees


@pytest.mark.integration
def test_a_case_management_reviews_recommendations_are_listed_under_no_heading_of_their_own(
    four_nations: Casewise,
) -> None:
    answer = four_nations.ask("What were the recommendations of the case management review?")
    assert answer.text.splitlines()[1:] == [
        "4.1 The PSNI should record the presence of children at every domestic incident. [1]",
        "4.2 GPs should follow the regional protocol on bruising in young children. [2]",
    ]


@pytest.mark.integration
def test_a_yes_no_answer_reads_on_through_its_paragraph_to_what_was_asked(four_nations: Casewise) -> None:
    answer = four_nations.ask("Did the GP refer Niamh when he saw the bruising?")
    assert "did not make a referral to the Gateway Team" in answer.citations[0].quote


@pytest.mark.integration
def test_what_a_child_said_in_several_sentences_is_quoted_whole(four_nations: Casewise) -> None:
    answer = four_nations.ask("What did Callum tell the reviewers?")
    assert answer.citations[0].quote.endswith("Everyone asked if Mum was alright. Nobody asked if I was.\u201d")


@pytest.mark.integration
def test_a_type_of_reviews_recommendations_are_those_of_its_reviews(four_nations: Casewise) -> None:
    answer = four_nations.ask("What did the learning reviews recommend?")
    assert answer.text.startswith("The recommendations of the Callum review:"), answer.text
    assert {c.review_id for c in answer.citations} == {"learning-review-callum-gcpc"}


@pytest.mark.integration
def test_a_review_is_named_by_the_words_of_its_title(four_nations: Casewise) -> None:
    listed = four_nations.ask("What did the online contact review recommend?")
    assert {c.review_id for c in listed.citations} == {"national-review"} and len(listed.citations) == 2
    published = four_nations.ask("Who published the online contact review?").text
    assert "(national review, Child Safeguarding Practice Review Panel, 2025)" in published


@pytest.mark.integration
def test_a_childs_age_is_not_answered_with_her_mothers(four_nations: Casewise) -> None:
    for question in ("How old was Niamh?", "What age was Niamh when she died?"):
        answer = four_nations.ask(question)
        assert not answer.abstained and "two-year-old" in " ".join(c.quote for c in answer.citations), answer.text
        assert "who was 20" not in answer.citations[0].quote, answer.text


@pytest.mark.integration
def test_a_review_naming_only_the_psni_is_not_said_never_to_mention_the_police(four_nations: Casewise) -> None:
    answer = four_nations.ask("Was there any police involvement with the family in the Niamh review?")
    assert not answer.abstained and "not mention" not in answer.text, answer.text
    assert any("PSNI" in c.quote for c in answer.citations), answer.text


@pytest.mark.integration
def test_the_recommendations_for_an_audience_are_those_naming_it_however_terse(four_nations: Casewise) -> None:
    """ "6.4 GPs should follow the regional protocol" shares little else with the question, but names what it asks
    about in the sections it asks within: the question had been refused as one the reviews do not answer."""
    answer = four_nations.ask("What recommendations were made for GPs?")
    assert not answer.abstained, answer.text
    assert any(c.quote.startswith("4.2 GPs should follow") for c in answer.citations), answer.text


@pytest.mark.integration
def test_a_follow_up_about_that_review_is_about_the_one_the_last_answer_quoted(four_nations: Casewise) -> None:
    from retriever.models import Turn

    first = "Which review mentions the Named Person?"
    answered = four_nations.ask(first)
    assert {c.review_id for c in answered.citations} == {"learning-review-callum-gcpc"}, answered.text
    history = (Turn("user", first), Turn("assistant", answered.text))
    listed = four_nations.ask("What did that review recommend?", history)
    assert listed.text.startswith("The recommendations of the Callum review:"), listed.text
    written = four_nations.ask("Who wrote that report?", history).text
    assert "Learning Review: \u2018Callum\u2019" in written and "does not name its author" in written
