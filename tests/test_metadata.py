"""Title, subject and review type come from the text; a `<stem>.meta.json` sidecar overrides them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from layouts import FIXTURES

from core.errors import DocumentError
from core.models import Review
from ingest.loaders import load
from ingest.metadata import extract_meta
from ingest.normalise import build_review
from ingest.sections import find_outline
from ingest.subjects import find_subjects
from ingest.text_layout import split_front_matter


def _review(path: Path) -> Review:
    return build_review(path, load(path, 10_000_000))[0]


def test_most_specific_review_type_wins_and_year_and_partnership_are_read() -> None:
    text = (
        "This Child Safeguarding Practice Review followed a rapid review of Baby T.\n"
        "Published by the Leeds Safeguarding Children Partnership. Published: March 2022."
    )
    meta = extract_meta(text, None, "Fallback", find_subjects(None, (), text))
    assert (meta.title, meta.subject, meta.review_type) == (
        "Child Safeguarding Practice Review: Baby T",
        "Baby T",
        "child safeguarding practice review",
    )
    assert (meta.partnership, meta.year) == ("Leeds Safeguarding Children Partnership", 2022)


@pytest.mark.parametrize(
    ("front", "author"),
    [
        ("Rapid Review: Child K\nLead reviewer: Desmond Achebe\n\nBackground\n", "Desmond Achebe"),
        ("Review: Child K\nIndependent author - Gillian Harcourt\n", "Gillian Harcourt"),
        ("Review: Child K\nWritten by Jane Smith, social work consultant\n", "Jane Smith, social work consultant"),
        ("Review: Child K\n\nReviewers met the family twice in 2023.\n", None),  # a sentence, not a byline
        ("Review: Child K\n\nThe author of this review spoke to Child K.\n", None),
        ("Review: Kai\n\nHolt Safeguarding Partnership · Published 2024 · Lead reviewer: Marcus Obi\n", "Marcus Obi"),
        ("SERIOUS CASE REVIEW\n\nOverview Report by Independent Author\n\n    Jane Whitcombe\n", "Jane Whitcombe"),
        ("Review: Child K\n\nIndependent reviewer\nThe review was led by a panel.\n", None),  # no name below
        (
            "Review: Child K\n\nPublished: May 2022 · Author: Independent reviewer Fiona Mack · Reading time\n",
            "Fiona Mack",
        ),
        ("Adolygiad Ymarfer Plant: Plentyn T\nAdolygydd / Reviewer: Gareth Pryce\n", "Gareth Pryce"),  # two languages
        ("Case Management Review\n\nChair: Declan Morrow. Independent Reviewer: Siobhan Kearney.\n", "Siobhan Kearney"),
        ("Review: Child K\n\nHe saw the GP. Reviewer: the panel chose not to name one.\n", None),  # no name after
        ("Learning Review\nLead reviewer: Anne-Marie Feltham, independent\n", "Anne-Marie Feltham"),  # role after
        ("Serious Case Review\nAuthor: Peter Castellano, Independent Reviewer\n", "Peter Castellano"),
        ("Review: Child K\n\n## Reviewers: Priya Raman and Tom Hebb\n\n## June 2024\n", "Priya Raman and Tom Hebb"),
        ("Review: Child K\n**Author:** Jane Whitlock\n", "Jane Whitlock"),  # Markdown's bold label
        ("Serious Case Review\nOverview report by Frances Ilori, independent author\n", "Frances Ilori"),
        (
            "Rapid Review: Baby L\nPrepared by Ruth Amadi, Designated Nurse, on behalf of the safeguarding partners\n",
            "Ruth Amadi, Designated Nurse",
        ),
        ("Review: Child K\n\nPrepared by The Partnership Business Unit for the panel.\n", None),  # no person named
        ("Case Management Review\nPresented by Fiona MacAskill, Independent Reviewer\n", "Fiona MacAskill"),
        (  # a labelled name in a sentence of its own, another after it
            "Review: Child K\n\nOverview report. Independent author: Richard Amankwah. Approved on 8 February 2024.\n",
            "Richard Amankwah",
        ),
    ],
)
def test_the_author_is_the_name_a_byline_gives(front: str, author: str | None) -> None:
    assert extract_meta(front, None, "Fallback", ()).author == author


def test_a_web_pages_byline_its_main_text_leaves_out_gives_the_author() -> None:
    """A page's line of details ("Published ... · Author: ...") is not in its main text; the page's own text is."""
    hints = {"details": "Child Q review\nPublished: 9 June 2022 · Author: Fiona Mack · Reading time: 12 minutes"}
    assert extract_meta("Child Q was 16.", None, "Fallback", (), hints).author == "Fiona Mack"
    run_on = {"details": "Published: 9 June 2022 · Author: Independent reviewer Fiona Mack Download the full report"}
    assert extract_meta("Child Q was 16.", None, "Fallback", (), run_on).author == "Fiona Mack"  # the name only


@pytest.mark.parametrize(
    ("front", "year"),
    [
        ("Review: Child K\n\nApproved by Chief Officers: October 2024\n", 2024),
        ("Review: Child K\n\nDate presented to the partnership: 12 September 2023\n", 2023),
        ("Review: Child K\n\nReviewer: Jo Bell | January 2025\n", 2025),
        ("Review: Child K\n\nChild K was born in March 2019.\n", None),  # a sentence's date is the story's
        ("Review: Child K\n\nApproved by the Northvale Safeguarding Partnership executive, 8 February 2024.\n", 2024),
    ],
)
def test_a_reviews_date_is_read_from_the_lines_a_cover_gives_it_on(front: str, year: int | None) -> None:
    assert extract_meta(front, None, "Fallback", ()).year == year


def test_field_lines_one_under_another_each_keep_their_value(tmp_path: Path) -> None:
    """ "Chair of the Panel: ..." over "Independent Reviewer: ...": two fields, the reviewer the author."""
    path = tmp_path / "child-y-cmr.txt"
    path.write_text(
        "Case Management Review: Child Y\n\nChair of the Panel: Mr A Smith\nIndependent Reviewer: Dr B Jones\n"
        "Date of report: May 2021\n\nRECOMMENDATIONS\n\n1. Every agency should see the child alone.\n",
        encoding="utf-8",
    )
    meta = _review(path).meta
    assert (meta.author, meta.year) == ("Dr B Jones", 2021)


def test_an_all_capitals_partnership_keeps_its_apostrophes_ending_in_lower_case() -> None:
    text = "WEXCOMBE AND DUNMERE CHILDREN'S SAFEGUARDING PARTNERSHIP\n\nChild Safeguarding Practice Review\n"
    meta = extract_meta(text, None, "Fallback", ())
    assert meta.partnership == "Wexcombe and Dunmere Children's Safeguarding Partnership"


def test_a_cover_line_set_in_a_headings_font_still_dates_the_review() -> None:
    assert extract_meta("Review: Child K\n\n## June 2024\n\n## 1. Introduction\n", None, "Fallback", ()).year == 2024


def test_a_web_pages_details_line_naming_the_reviewer_after_a_sentence_gives_the_author() -> None:
    hints = {"details": "Published 12 March 2024. Independent reviewer: Nadia Kowalczyk"}
    assert extract_meta("Harvey was six.", None, "Fallback", (), hints).author == "Nadia Kowalczyk"


def test_a_title_naming_only_a_type_gets_the_child_though_a_word_of_it_begins_with_the_childs_letter() -> None:
    text = "Child P was four. Child P lived with his mother."
    meta = extract_meta(text, "Extended Child Practice Review", "Fallback", find_subjects(None, (), text))
    assert meta.title == "Extended Child Practice Review: Child P"  # "Child P" is not named by "Child Practice"


def test_a_partnership_named_twice_in_a_row_is_named_once() -> None:
    """A web page's title and header run together ("... - Oakhurst Safeguarding Children Partnership Oakhurst
    Safeguarding Children Partnership"): the name is one partnership's, not five words and a suffix."""
    hints = {"site": "Review: Child M - Oakhurst Safeguarding Children Partnership Oakhurst Safeguarding Children "
             "Partnership Reviews Training"}  # fmt: skip
    meta = extract_meta("Child M was eleven.", None, "Fallback", (), hints)
    assert meta.partnership == "Oakhurst Safeguarding Children Partnership"


def test_a_local_partnership_publishes_the_review_not_the_national_panel_it_notified() -> None:
    """A local review names the national panel it notified, often before its own partnership; a web page names
    its partnership in its title and line of details, which its main text leaves out."""
    text = "The partnership notified the Child Safeguarding Practice Review Panel in May 2021.\nMaya was 16."
    hints = {"details": "Review: Maya | Kestrel Vale Children's Safeguarding Partnership\nPublished: 15 May 2021"}
    assert (
        extract_meta(text, None, "Fallback", (), hints).partnership
        == "Kestrel Vale Children's Safeguarding Partnership"
    )
    local = f"{text}\nThis review was commissioned by the Northby Safeguarding Children Partnership."
    assert extract_meta(local, None, "Fallback", ()).partnership == "Northby Safeguarding Children Partnership"
    assert extract_meta(text, None, "Fallback", ()).partnership == "Child Safeguarding Practice Review Panel"  # only it
    panel = "LAGAN AND MOURNE SAFEGUARDING PANEL\n\nCase Management Review\n"  # Northern Ireland's local panels
    assert extract_meta(panel, None, "Fallback", ()).partnership == "Lagan and Mourne Safeguarding Panel"


def test_a_cover_setting_the_name_in_quotes_or_in_respect_of_names_the_child() -> None:
    """A title naming only a type of review over a line giving the child's name in quotation marks, or "In respect
    of" it, is one title, and the name is the child, before a role and a word the text uses once (a song's name)."""
    body = (
        "\n\n## 1. Introduction\n\n{0} was three. {0} loved the song \u2018Baby Shark\u2019. {0} was seen by the GP.\n"
    )
    for cover, name in [
        ("# CASE MANAGEMENT REVIEW\n\n## In respect of \u2018Aoife\u2019", "Aoife"),
        ("# Learning Review\n\n## \u201cCallum\u201d", "Callum"),
        ("# Child Safeguarding Practice Review\n\n# Ellis", "Ellis"),  # a cover's two lines set in one size
        ('LOCAL LEARNING REVIEW\n\n"JAYDEN"', "Jayden"),  # plain lines, the name in capitals
    ]:
        text = cover + body.format(name)
        outline = find_outline(text)
        subjects = find_subjects(outline.title, [name for s in outline.sections for name in s.path], text)
        meta = extract_meta(text, outline.title, "Fallback", subjects)
        assert (meta.title, meta.subject) == (f"{cover.split(chr(10))[0].lstrip('# ').title()}: {name}", name)


@pytest.mark.parametrize(
    ("front", "year"),
    [
        ("Case Management Review: Aoife\n\nExecutive Summary for publication \u2013 December 2022\n", 2022),
        ("LOCAL LEARNING REVIEW\n\nFinal report - November 2020\n\nI. INTRODUCTION\n", 2020),
        ("Review: Child K\n\nThe family moved - in March 2019 they were rehoused.\n", None),  # a sentence goes on
        ("RAPID REVIEW: CHILD K\n\nEastmoor Safeguarding Partnership\nOctober 2024\n\nPURPOSE\n", 2024),
        ("Rapid Review: Child K\nThe Kirkby Safeguarding Children Partnership, 3 September 2023\n", 2023),
        ("Rapid Review: Child K\n\nMarch 2020: police carried out a welfare check.\n", None),  # a chronology entry
    ],
)
def test_a_month_and_year_alone_on_a_line_or_after_the_partnership_is_the_year(front: str, year: int | None) -> None:
    assert extract_meta(front, None, "Fallback", ()).year == year


def test_a_text_stating_nothing_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "learning_from_practice-2023.txt"
    path.write_text("Summary\n\nPractitioners met monthly.\n", encoding="utf-8")
    review = _review(path)
    assert review.title == "Learning from practice 2023"
    assert (review.meta.subject, review.meta.review_type) == (None, None)


@pytest.fixture
def child_b(tmp_path: Path) -> Path:
    return Path(shutil.copy(FIXTURES / "child-b-lcspr.md", tmp_path / "child-b.md"))


def test_a_sidecar_overrides_what_the_text_says(child_b: Path) -> None:
    child_b.with_name("child-b.meta.json").write_text(
        '{"title": "Child B", "year": "2023", "partnership": "Dunmore and Hale Safeguarding Children Partnership"}',
        encoding="utf-8",
    )
    review = _review(child_b)
    assert review.title == "Child B"
    assert review.meta.partnership == "Dunmore and Hale Safeguarding Children Partnership"
    assert review.meta.year == 2023
    assert review.meta.review_type == "local child safeguarding practice review"  # not in the sidecar: from the text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"title": "Child B",', "sidecar is not valid JSON"),
        (
            '["Child B"]',
            "sidecar must be a JSON object with keys from author, partnership, review_type, subject, subjects, title, "
            "year",
        ),
        ('{"name": "Child B"}', "sidecar must be a JSON object with keys from"),
        (
            '{"year": "twenty-one"}',
            "sidecar field 'year' must be a whole number, got 'twenty-one'; fix or remove it",
        ),
        ('{"title": ""}', "sidecar field 'title' must be a non-empty string"),
        ('{"subject": 7}', "sidecar field 'subject' must be a string or null, got 7"),
    ],
)
def test_a_malformed_sidecar_is_a_clear_document_error(child_b: Path, content: str, message: str) -> None:
    sidecar = child_b.with_name("child-b.meta.json")
    sidecar.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        _review(child_b)
    assert err.value.path == str(sidecar)
    assert str(err.value).startswith(f"{sidecar}: ")
    assert message in str(err.value)


def test_front_matter_gives_the_author() -> None:
    _, pairs = split_front_matter(
        '---\ntitle: "Rapid Review: Child Q"\nauthor: "Dr Priya Ramanathan, Independent Reviewer"\n---\nText.'
    )
    assert dict(pairs)["author"] == "Dr Priya Ramanathan, Independent Reviewer"
    assert extract_meta("Child Q was 16.", None, "Fallback", (), dict(pairs)).author == "Dr Priya Ramanathan"
