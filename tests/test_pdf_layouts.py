"""PDF house styles the dev corpus lacks (tests/pdf_layout_builders.py), through the real ingest: sections by their
real headings and kinds, list answers holding every item as printed and nothing else, and a fact from the hard part
of each layout quoted whole. Asked through `Casewise.ask` with the real model and Chroma."""

from __future__ import annotations

from pathlib import Path

import pdf_layout_builders as built
import pdfplumber
import pytest
from layouts import Ingested, ingest, section_body
from list_answers import Item, assert_items, index_reviews

from core.models import SectionKind
from retriever.pipeline import Casewise

K = SectionKind
WRITERS = {
    "child-k-lcspr.pdf": built.write_recommendations_table_pdf,
    "baby-a-briefing.pdf": built.write_two_column_briefing_pdf,
    "young-person-d-scr.pdf": built.write_bold_headings_footnotes_pdf,
    "child-e-action-plan.pdf": built.write_landscape_action_plan_pdf,
}
OUTLINES: dict[str, list[tuple[tuple[str, ...], SectionKind]]] = {
    "child-k-lcspr.pdf": [
        (("Introduction",), K.INTRODUCTION),
        (("Background",), K.BACKGROUND),
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
        (("Conclusion",), K.CONCLUSION),
    ],
    "baby-a-briefing.pdf": [
        (("Introduction",), K.INTRODUCTION),
        (("What happened",), K.AGENCY_INVOLVEMENT),
        (("Agency involvement",), K.AGENCY_INVOLVEMENT),
        (("Learning",), K.LEARNING),
        (("Recommendations",), K.RECOMMENDATIONS),
        (("Questions for your team",), K.OTHER),
    ],
    "young-person-d-scr.pdf": [
        (("Introduction",), K.INTRODUCTION),
        (("Background",), K.BACKGROUND),
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
        (("Conclusion",), K.CONCLUSION),
    ],
    "child-e-action-plan.pdf": [
        (("Introduction",), K.INTRODUCTION),
        (("Learning and actions",), K.ACTIONS),
        (("Monitoring",), K.OTHER),
    ],
}
TITLES = {
    "child-k-lcspr.pdf": built.CHILD_K_TITLE,
    "baby-a-briefing.pdf": built.BABY_A_TITLE,
    "young-person-d-scr.pdf": built.YOUNG_PERSON_D_TITLE,
    "child-e-action-plan.pdf": built.CHILD_E_TITLE,
}


def _table_item(number: str, text: str, lead: str, timescale: str) -> Item:
    return (f"{number}.", text[:40], f"Lead agency: {lead}; Timescale: {timescale}")


CHILD_K_ITEMS = tuple(_table_item(*row) for row in built.CHILD_K_RECOMMENDATIONS)
BABY_A_RECOMMENDATIONS: tuple[Item, ...] = (
    ("1.", "The partnership should relaunch its protocol", "and the out-of-hours GP service."),
    ("2.", "Probation should tell children's social care", "a household with a child under one."),
    ("3.", "The health visiting service should add a question", "household to the six-week review."),
)
BABY_A_LEARNING: tuple[Item, ...] = (
    ("-", "A bruise on a baby who is not yet rolling", "whatever explanation is given."),
    ("-", "Practitioners should ask who lives in the household", "record the answers at every contact."),
    ("-", "Information held by probation about a partner's", "reaches the services that visit the home."),
)
YOUNG_PERSON_D_ITEMS: tuple[Item, ...] = (
    ("4.1", "The partnership should replace language", "and audit records after a year."),
    ("4.2", "The police should refer every child found carrying", "where the cash and the phones came from."),
    ("4.3", "Schools should refer concerns about criminal", "without waiting for further incidents."),
    ("4.4", "The front door service should escalate", "three times in three months about the same child."),
)
CHILD_E_ITEMS: tuple[Item, ...] = tuple(
    (
        "-",
        f"Learning point: {point}{' ' if point.endswith('.') else '; '}Action: {action}",
        f"Measure of success: {measure}",
    )
    for point, actions in built.CHILD_E_PLAN
    for action, _, _, measure in actions
)
LISTS = [
    ("What were the recommendations of the Child K review?", "child-k-lcspr", CHILD_K_ITEMS),
    ("List every recommendation in the Child K review.", "child-k-lcspr", CHILD_K_ITEMS),
    ("What were the recommendations of the Baby A review?", "baby-a-briefing", BABY_A_RECOMMENDATIONS),
    ("List every recommendation in the Baby A briefing.", "baby-a-briefing", BABY_A_RECOMMENDATIONS),
    ("What was the learning from the Baby A rapid review?", "baby-a-briefing", BABY_A_LEARNING),
    ("What were the recommendations of the Young Person D review?", "young-person-d-scr", YOUNG_PERSON_D_ITEMS),
    ("List every recommendation in the Young Person D serious case review.", "young-person-d-scr",
     YOUNG_PERSON_D_ITEMS),
    ("What actions are in the Child E action plan?", "child-e-action-plan", CHILD_E_ITEMS),
    ("List every action in the Child E learning review.", "child-e-action-plan", CHILD_E_ITEMS),
    # no learning section: the "Learning and actions" section, an actions section that names learning too
    ("What were the learning points of the Child E review?", "child-e-action-plan", CHILD_E_ITEMS),
]  # fmt: skip
# A fact from the hard part of each layout, and the whole sentence (or table row) that must be quoted for it.
FACTS = [
    (
        "In the Child K review, which agency leads the recommendation about discharge after missed appointments?",
        "child-k-lcspr",
        "Lead agency: Brackenfold community health trust; Timescale: Three months",
    ),
    (
        "Where had Baby A's family moved two months before the injury?",
        "baby-a-briefing",
        "The family had moved into a privately rented flat in Eastholme two months before the injury.",
    ),
    (
        "What was Young Person D found with in Harlow Street?",
        "young-person-d-scr",
        "In September 2022 D was found by police in Harlow Street with £400 in cash and two mobile phones.",
    ),
    (  # a footnote, a paragraph of its own at the page's foot
        "What did a teacher see in Young Person D's bag?",
        "young-person-d-scr",
        "A kitchen knife, which a teacher saw in his bag during a lesson; the police were not called.",
    ),
    (
        "Who leads the Child E action on reminding GPs about school health records?",
        "child-e-action-plan",
        "Action: Remind GPs to ask about school health records when a child's weight falls. Lead: Named GP for "
        "safeguarding",
    ),
]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf-layouts")
    return {name: write(folder / name) for name, write in WRITERS.items()}


@pytest.fixture(scope="module")
def ingested(documents: dict[str, Path]) -> dict[str, Ingested]:
    return {name: ingest(path) for name, path in documents.items()}


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    """The four PDFs in one index, with the real model and Chroma."""
    empty = tmp_path_factory.mktemp("no-fixtures")
    return index_reviews(tmp_path_factory.mktemp("pdf-layout-index"), empty, WRITERS, real_embedder)


def test_the_built_pdfs_have_their_layouts(documents: dict[str, Path]) -> None:
    with pdfplumber.open(documents["child-k-lcspr.pdf"]) as pdf:
        tables = [page.find_tables() for page in pdf.pages]
        assert [len(found) for found in tables] == [1, 1]  # the table runs over the page break
        assert [found[0].extract()[0][0] for found in tables] == ["No.", "No."]  # its header row repeated
    with pdfplumber.open(documents["baby-a-briefing.pdf"]) as pdf:
        words = pdf.pages[0].extract_words()
        middle = pdf.pages[0].width / 2
        left = {round(w["top"]) for w in words if w["x1"] < middle}
        right = {round(w["top"]) for w in words if w["x0"] > middle}
        assert len(left & right) >= 10  # lines of the two columns side by side
    with pdfplumber.open(documents["young-person-d-scr.pdf"]) as pdf:
        sizes = {(c["fontname"], round(c["size"])) for c in pdf.pages[0].chars}
        assert {("Times-Bold", 11), ("Times-Roman", 11), ("Times-Roman", 9), ("Times-Roman", 8)} <= sizes
        assert pdf.pages[1].extract_text().startswith("the cash and the phones came from.")  # 4.2 runs over
    with pdfplumber.open(documents["child-e-action-plan.pdf"]) as pdf:
        assert pdf.pages[0].width > pdf.pages[0].height  # landscape
        rows = pdf.pages[0].find_tables()[0].extract()
        assert [row[0] is None for row in rows[1:]] == [False, True, False, True, True, False]  # merged cells


@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_sections_come_out_by_their_headings_and_kinds(ingested: dict[str, Ingested], name: str) -> None:
    run = ingested[name]
    assert run.review.meta.title == TITLES[name]
    assert [(s.path, s.kind) for s in run.sections] == OUTLINES[name]


def test_a_table_run_over_a_page_without_its_header_is_read_under_it(
    ingested: dict[str, Ingested], tmp_path: Path
) -> None:
    bare = ingest(built.write_recommendations_table_pdf(tmp_path / "child-k-lcspr.pdf", repeat_header=False))
    with pdfplumber.open(bare.review.source_path) as pdf:
        assert pdf.pages[1].find_tables()[0].extract()[0][0] == "3"  # page 2 opens on a row, not the header
    expected = section_body(ingested["child-k-lcspr.pdf"], ("Recommendations",))
    assert section_body(bare, ("Recommendations",)) == expected
    assert [line.split(".")[0] for line in expected.split("\n\n")[1:]] == ["1", "2", "3", "4", "5", "6"]


def test_a_two_column_page_reads_down_each_column(ingested: dict[str, Ingested]) -> None:
    text = ingested["baby-a-briefing.pdf"].review.text
    lines = text.split("\n")
    order = [lines.index(f"## {heading}") for heading, _ in (*built.BABY_A_LEFT, *built.BABY_A_RIGHT) if heading]
    assert order == sorted(order)
    for _, paragraphs in (*built.BABY_A_LEFT, *built.BABY_A_RIGHT):
        for paragraph in paragraphs:
            assert paragraph.replace("• ", "• ").split(" ", 1)[-1] in text  # each paragraph whole, unmixed
    assert built.BABY_A_RIGHT[0][1][0] in lines  # the right column opens a paragraph of its own


def test_footnote_markers_leave_the_sentence_and_footnotes_stand_apart(ingested: dict[str, Ingested]) -> None:
    lines = ingested["young-person-d-scr.pdf"].review.text.split("\n")
    for notes in built.YOUNG_PERSON_D_NOTES:
        for note in notes:
            assert note in lines  # a paragraph of its own
    findings = next(line for line in lines if line.startswith("3.2 "))
    assert findings.endswith("two mobile phones. No referral was made to the exploitation panel and D was not "
                             "offered a return home interview.")  # fmt: skip


def test_no_running_title_or_footer_is_indexed(ingested: dict[str, Ingested]) -> None:
    furniture = (
        built.CHILD_K_RUNNING,
        built.CHILD_K_FOOTER,
        built.BABY_A_FOOTER,
        built.YOUNG_PERSON_D_FOOTER,
        built.CHILD_E_RUNNING,
        built.CHILD_E_FOOTER,
    )
    for run in ingested.values():
        assert not [f for f in furniture for chunk in run.chunks if f in chunk.text]


@pytest.mark.integration
@pytest.mark.parametrize(("question", "review_id", "expected"), LISTS, ids=[q for q, _, _ in LISTS])
def test_a_list_answer_holds_every_item_as_printed(
    reviews: Casewise, question: str, review_id: str, expected: tuple[Item, ...]
) -> None:
    answer = reviews.ask(question)
    assert_items(answer, expected)
    assert {c.review_id for c in answer.citations} == {review_id}
    assert "Recommendation Lead agency" not in answer.text  # no table header


@pytest.mark.integration
@pytest.mark.parametrize(("question", "review_id", "quote"), FACTS, ids=[q for q, _, _ in FACTS])
def test_a_fact_from_the_hard_part_of_the_layout_is_quoted(
    reviews: Casewise, question: str, review_id: str, quote: str
) -> None:
    answer = reviews.ask(question)
    assert not answer.abstained, answer.text
    first = answer.citations[0]
    assert first.review_id == review_id
    assert quote in first.quote, answer.text


def test_a_paragraph_under_a_table_stays_one_paragraph(tmp_path: Path) -> None:
    """A table's rows are not lines of text: the page's line spacing, which tells a new paragraph from a wrapped
    line, is measured without them."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    agencies = ("Midwifery", "Health visiting", "General practice", "Nursery", "Housing", "Police", "Early help")
    rows = [["Agency", "Contacts"], *[[agency, str(n)] for n, agency in enumerate(agencies, start=1)]]
    closing = (
        "After the review the family moved to a house near the children's grandmother, and both children now attend "
        "the same school, where a mentor meets the older child every week and reports to the child in need meeting."
    )
    path = tmp_path / "child-t-rapid-review.pdf"
    story = [
        Paragraph("Rapid Review: Child T", built.TITLE),
        Paragraph("Agency contacts", built.HEADING),
        Table(rows, style=built.RULED),
        Paragraph("Outcome", built.HEADING),
        Paragraph(closing, built.BODY),
    ]
    SimpleDocTemplate(str(path), title="Rapid Review: Child T").build(story)
    lines = ingest(path).review.text.split("\n")
    assert "Agency: Early help; Contacts: 7" in lines
    assert closing in lines


def test_a_briefings_grid_of_boxes_is_read_box_by_box_with_each_boxs_heading(tmp_path: Path) -> None:
    """A seven-minute briefing sets its parts in a ruled grid, each box a heading over prose or bullets: read as a
    data table, its first row had named every other cell and the whole page was one section."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    boxes = {
        "1. The case": "Baby V was three months old when she died after sleeping on a sofa with her father.",
        "2. What we found": "Safer sleep advice was given at birth but was not repeated when the family moved.",
        "3. Key learning": "Ask to see where the baby sleeps at every contact, and talk to both parents.",
        "4. Recommendations": "Health visitors should repeat safer sleep advice after any change of address.",
    }
    cells = [[Paragraph(f"<b>{head}</b><br/>{body}", built.CELL) for head, body in boxes.items()]]
    path = tmp_path / "7-minute-briefing-baby-v.pdf"
    story = [
        Paragraph("7 Minute Briefing: Baby V", built.TITLE),
        Table([cells[0][:2], cells[0][2:]], colWidths=(250, 250), style=built.RULED),
    ]
    SimpleDocTemplate(str(path), title="7 Minute Briefing: Baby V").build(story)
    run = ingest(path)
    assert [(s.path[-1], s.kind) for s in run.sections] == [
        ("The case", K.OTHER),
        ("What we found", K.FINDINGS),
        ("Key learning", K.LEARNING),
        ("Recommendations", K.RECOMMENDATIONS),
    ]
    assert "The case:" not in run.review.text  # no box named as another's column


def test_title_lines_stacked_in_one_size_stay_apart_and_only_a_wrapped_one_is_joined(tmp_path: Path) -> None:
    """A heading line joins the one above only when that one fills the width of the text (it wrapped): a cover's
    short lines set close together in the same bold size are lines of their own."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    cover = ParagraphStyle("cover", fontName="Helvetica-Bold", fontSize=16, leading=19)
    lines = ("Child Safeguarding Practice Review", "Child T", "Kelsey Vale Safeguarding Children Partnership")
    path = tmp_path / "child-t-cspr.pdf"
    story = [
        *(Paragraph(line, cover) for line in lines),
        Paragraph("Introduction", built.HEADING),
        Paragraph("Child T is a six-year-old girl who was seen at school with a burn on her arm.", built.BODY),
    ]
    SimpleDocTemplate(str(path), title=lines[0]).build(story)
    text = ingest(path).review.text.split("\n")
    assert [f"# {line}" for line in lines] == [line for line in text if line.startswith("# ")]


def test_a_heading_across_two_bands_of_columns_is_read_between_them(tmp_path: Path) -> None:
    run = ingest(built.write_banded_briefing_pdf(tmp_path / "child-w-briefing.pdf"))
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Why this briefing",), K.INTRODUCTION),
        (("Next steps", "Learning"), K.LEARNING),
        (("Next steps", "Recommendations"), K.RECOMMENDATIONS),
    ]
    text = run.review.text
    written = [paragraph for band in built.CHILD_W_BANDS for _, section in band for paragraph in section]
    paragraphs = [paragraph.removeprefix("1. ").removeprefix("2. ") for paragraph in written]
    order = [text.index(paragraph) for paragraph in paragraphs]
    assert order == sorted(order)
    assert text.index(paragraphs[1]) < text.index(built.CHILD_W_BAND_HEADING) < text.index(paragraphs[2])


def test_a_paragraph_is_brought_back_over_a_page_break_but_not_past_a_table() -> None:
    from ingest.pdf_text import TABLE_ROW, PdfLine, _carried_over

    start = PdfLine("The school recorded three concerns but made a referral only", 11, False, 700)
    end = PdfLine("in January, after the knife was found.", 11, False, 72)
    after = PdfLine("4.3 Schools should refer concerns on the day they are recorded.", 11, False, 93)

    def texts(pages: list[list[PdfLine]]) -> list[list[str]]:
        return [[line.text for line in lines] for lines in _carried_over(pages, 11)]

    assert texts([[start], [end, after]]) == [[start.text, end.text], [after.text]]
    row = PdfLine("Agency: Police; Contacts: 3", TABLE_ROW, False, 720)
    assert texts([[start, row], [end, after]]) == [[start.text, row.text], [end.text, after.text]]


def _title_beside_a_box_pdf(path: Path) -> Path:
    """A cover with the title block on the left and a shaded "Key messages" box on the right at the same height,
    then the report's text across the page."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFillColor(HexColor("#DCE6F2"))
    page.rect(342, 842 - 190, 190, 130, stroke=0, fill=1)
    page.setFillColor(HexColor("#000000"))
    left = [
        ("Local Child Safeguarding", 16, 80), ("Practice Review: Child Q", 16, 100),  # wrapped in the narrow frame
        ("Fernvale Safeguarding Children Partnership", 11, 130), ("June 2024", 11, 150),
    ]  # fmt: skip
    right = [
        "Key messages",
        "- Missed appointments are a",
        "child's needs going unmet.",
        "- Schools should share",
        "concerns early.",
    ]
    for text, size, down in left:
        page.setFont("Helvetica-Bold" if size > 11 else "Helvetica", size)
        page.drawString(56, 842 - down, text)
    page.setFont("Helvetica", 10)
    for i, text in enumerate(right):
        page.drawString(350, 842 - 78 - 20 * i, text)
    body = ["Background", "Child Q, aged four, was admitted to hospital in March 2024 with a fractured arm.",
            "Recommendations", "1. The partnership should audit missed health appointments for children."]  # fmt: skip
    for i, text in enumerate(body):
        page.setFont("Helvetica-Bold" if i % 2 == 0 else "Helvetica", 13 if i % 2 == 0 else 11)
        page.drawString(56, 842 - 260 - 30 * i, text)
    page.save()
    return path


def test_a_box_set_beside_the_title_is_read_whole_after_it_and_the_wrapped_title_is_one(tmp_path: Path) -> None:
    """A shaded box beside a title block is read as one block after the lines beside it: its lines had been
    interleaved with the title's, cutting each key message in two. The title, wrapped in its narrow frame, is one."""
    run = ingest(_title_beside_a_box_pdf(tmp_path / "child-q-lcspr.pdf"))
    assert run.review.meta.title == "Local Child Safeguarding Practice Review: Child Q"
    text = run.review.text
    assert "Missed appointments are a child's needs going unmet." in text
    assert text.index("June 2024") < text.index("Key messages") < text.index("Background")


def _boxed_lines_pdf(path: Path, rects: list[tuple[float, float, float, float]], width: float) -> Path:
    """A page of body lines (each `width` points long from x=60) with rectangles drawn over it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(60, 780, "Rapid Review: Child Q")
    page.setFont("Helvetica", 11)
    words = ["The", "health", "visitor", "saw", "the", "family", "at", "home", "and", "recorded", "the", "concerns"]
    for i in range(12):
        line = " ".join(words[: max(3, int(width / 40))]) + f" ({i})."
        page.drawString(60, 740 - 18 * i, line)
    for x, y, w, h in rects:
        page.rect(x, y, w, h)
    page.save()
    return path


def test_overlapping_or_page_tall_rectangles_are_no_boxes(tmp_path: Path) -> None:
    """A panel drawn with a drop shadow (two offset rectangles) is not read twice, and a tall narrow rectangle
    that lines run across (a column rule, a border) does not cut each line in two."""
    shadow = ingest(
        _boxed_lines_pdf(tmp_path / "child-q-rapid-review.pdf", [(55, 600, 200, 90), (65, 590, 200, 90)], 180)
    )
    assert shadow.review.text.count("(8).") == 1
    border = ingest(_boxed_lines_pdf(tmp_path / "child-r-rapid-review.pdf", [(5, 5, 297, 830)], 400))
    assert "The health visitor saw the family at home and recorded (3)." in border.review.text


def test_a_heading_line_its_next_line_continues_in_lower_case_is_one_heading(tmp_path: Path) -> None:
    """ "Finding 1: The bruising protocol was not" over "followed", set short in a column: the lower-case line
    continues the heading, which is one section, not a section named "followed"."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    finding = ParagraphStyle("finding", fontName="Helvetica-Bold", fontSize=14, leading=17)
    told = "The health visitor saw a bruise on the baby's ear and accepted the mother's explanation without a referral."
    path = tmp_path / "child-e-cspr.pdf"
    story = [
        Paragraph("Child Safeguarding Practice Review: Child E", built.HEADING),
        Paragraph(told, built.BODY),
        Paragraph("Finding 1: The bruising protocol was not<br/>followed", finding),
        Paragraph(told, built.BODY),
    ]
    SimpleDocTemplate(str(path), pagesize=(330, 600), leftMargin=40, rightMargin=40).build(story)
    assert [s.path for s in ingest(path).sections][-1] == ("Finding 1: The bruising protocol was not followed",)


def test_a_long_numbered_heading_in_bold_at_the_body_size_is_a_heading(tmp_path: Path) -> None:
    """ "4.1 Finding one: the transition from the Family Nurse Partnership lost important history", in bold at the
    size of the text, fills its line: it heads the plain text under it, and is not run into it."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    bold = ParagraphStyle("bold", parent=built.BODY, fontName="Helvetica-Bold")
    told = "The move from intensive to universal health visiting is a point of known risk for a young mother."
    finding = "4.1 Finding one: the transition from the Family Nurse Partnership lost important history"
    path = tmp_path / "child-r-lcspr.pdf"
    story = [
        Paragraph("Local Child Safeguarding Practice Review: Child R", built.HEADING),
        Paragraph("4. Findings", bold),
        Paragraph(finding, bold),
        Paragraph(told, built.BODY),
        Paragraph("4.2 Finding two: bruising was not acted on", bold),
        Paragraph(told, built.BODY),
    ]
    SimpleDocTemplate(str(path)).build(story)
    run = ingest(path)
    assert [s.path[-1] for s in run.sections if s.kind is K.FINDINGS] == [
        "Finding one: the transition from the Family Nurse Partnership lost important history",
        "Finding two: bruising was not acted on",
    ]
