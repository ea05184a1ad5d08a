"""The Word and PDF list layouts of `fixtures/lists/`, built in the test run: recommendations as a Word table, and
immediate actions and recommendations as numbered lists that wrap and run over a page break in a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _prose_docx(title: str, title_block: tuple[str, ...], prose: tuple[tuple[str, str], ...]) -> Any:
    """A Word document: a Title, its title block, then a Heading 1 and one paragraph for each section of prose."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for line in title_block:
        document.add_paragraph(line)
    for heading, text in prose:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    return document


CHILD_L_TITLE = "Local Child Safeguarding Practice Review: Child L"
CHILD_L_RECOMMENDATIONS = (
    ("1", "The partnership should publish a single protocol for responding to children who are not brought to "
     "health appointments.", "Partnership business unit", "Six months"),
    ("2", "Dental practices should tell the child's GP and health visitor when a child under five misses two "
     "appointments in a row.", "Integrated care board", "Three months"),
    ("3", "Children's social care should include a child's health appointments in every child in need plan.",
     "Children's social care", "Immediate"),
    ("4", "The partnership should test the protocol through a multi-agency audit within a year.",
     "Quality assurance subgroup", "Twelve months"),
)  # fmt: skip


CHILD_L_PROSE = (
    ("Introduction", "Child L is a four-year-old boy whose severe tooth decay and untreated ear infections came to "
     "light when he started nursery in September 2023. He had not been brought to eleven health appointments in two "
     "years."),
    ("Background", "L lives with his father and two older brothers. His father has a learning disability and was not "
     "offered help to keep track of appointments. The family was open to children's social care as a child in need."),
    ("Findings", "Each service treated a missed appointment as the family's choice. No one counted the missed "
     "appointments across services, and the child in need plan did not mention L's health."),
    ("Recommendations", "The review makes four recommendations, set out in the table below."),
)  # fmt: skip


def write_table_docx(path: Path) -> Path:
    """Word: Heading styles, prose, then the recommendations as a four-column table with a header row."""
    document = _prose_docx(
        CHILD_L_TITLE, ("Corbridge Fells Safeguarding Children Partnership", "Published May 2024"), CHILD_L_PROSE
    )
    rows = (("No.", "Recommendation", "Lead", "Timescale"), *CHILD_L_RECOMMENDATIONS)
    table = document.add_table(rows=len(rows), cols=4)
    for cells, row in zip(table.rows, rows, strict=True):
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = text
    document.add_heading("Conclusion", level=1)
    document.add_paragraph("L now attends all his appointments, and his father has an advocate from the council.")
    document.save(str(path))
    return path


CHILD_O_TITLE = "Rapid Review: Child O"
CHILD_O_ACTIONS = (
    "The hospital trust re-issued its guidance on bruising in babies who are not yet mobile to every emergency "
    "department doctor and nurse.",
    "The health visiting service checked every open case where a baby had been seen with a mark or bruise in the "
    "last three months.",
    "Children's social care and the police agreed to hold a strategy discussion on the same day for every bruise in "
    "a non-mobile baby.",
)
CHILD_O_RECOMMENDATIONS = (
    "The partnership should make sure that its protocol on bruising in non-mobile babies is known and followed by "
    "every practitioner who sees babies, including those in urgent care and walk-in centres.",
    "General practices should flag the records of babies whose parents are under eighteen so that any injury "
    "prompts a safeguarding discussion.",
    "The partnership should ask the police to share information about domestic abuse with the health visitor "
    "within one working day when a baby lives in the household.",
    "Maternity services should ask every father or partner about his own history of violence and of mental "
    "health difficulties, and record his answers.",
    "The partnership should run a campaign for parents on coping with crying, in the languages spoken in the area.",
    "The partnership should report on the progress of these recommendations to its executive within nine months.",
)


def write_page_broken_pdf(path: Path) -> Path:
    """PDF: numbered actions and recommendations whose items wrap over lines, with a page break inside the list and
    a page number at the foot of each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
    item = ParagraphStyle("item", parent=body, leftIndent=18, bulletIndent=0)
    heading = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8, spaceAfter=6)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=26, spaceAfter=10)

    def numbered(items: tuple[str, ...]) -> list[Any]:
        return [Paragraph(text, item, bulletText=f"{n}.") for n, text in enumerate(items, start=1)]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(A4[0] / 2, 30, f"Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(CHILD_O_TITLE, title),
        Paragraph("Selbury Safeguarding Children Partnership", body),
        Paragraph("Published July 2024", body),
        Paragraph("Introduction", heading),
        Paragraph(
            "Child O is a five-month-old boy who was found to have a fractured skull and rib fractures of different "
            "ages when his mother took him to an urgent care centre in April 2024. His father, aged seventeen, was "
            "arrested. This rapid review was held within fifteen working days.",
            body,
        ),
        Paragraph("Immediate actions", heading),
        *numbered(CHILD_O_ACTIONS),
        Paragraph("Recommendations", heading),
        *numbered(CHILD_O_RECOMMENDATIONS)[:3],
        PageBreak(),
        *numbered(CHILD_O_RECOMMENDATIONS)[3:],
    ]
    story += [
        Paragraph("Decision", heading),
        Paragraph("The partners agreed to hold a local child safeguarding practice review.", body),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title=CHILD_O_TITLE).build(story, onFirstPage=footer, onLaterPages=footer)
    return path


CHILD_B_TITLE = "Rapid Review: Child B"
CHILD_B_RECOMMENDATIONS = (
    ("The partnership should remind all agencies that a child who is not brought to school for ten days in a row "
     "must be seen at home.", "Response: The education welfare service has issued this reminder to every school."),
    ("The police should tell the school the next morning when officers attend a domestic incident at a pupil's "
     "home.", "Response: Operation Encompass now covers all schools in the area."),
    ("Health visitors should ask about the mental health of both parents at every contact.",
     "Response: Accepted; the health visiting record has been changed."),
)  # fmt: skip


CHILD_B_INTRODUCTION = (
    "Introduction",
    "Child B is an eight-year-old girl who was found at home with her mother, who had taken an overdose, after she "
    "had missed two weeks of school in March 2024. B had been caring for her mother and her baby brother.",
)


def write_numbered_with_responses_docx(path: Path) -> Path:
    """Word: recommendations in the List Number style, which Word numbers on across the response paragraph (in
    Normal style) that follows each one."""
    document = _prose_docx(CHILD_B_TITLE, ("Wenlow Safeguarding Children Partnership",), (CHILD_B_INTRODUCTION,))
    document.add_heading("Recommendations and responses", level=1)
    for recommendation, response in CHILD_B_RECOMMENDATIONS:
        document.add_paragraph(recommendation, style="List Number")
        document.add_paragraph(response)
    document.save(str(path))
    return path


CHILD_N_TITLE = "Local Child Safeguarding Practice Review: Child N"
CHILD_N_ACTIONS = (
    "the school nurse service began to offer a drop-in at the pupil referral unit each week;",
    "children's social care reviewed every case closed at the front door in the last month where a young person "
    "had disclosed self-harm;",
    "the police briefed their missing persons coordinators on the review's early findings.",
)
CHILD_N_RECOMMENDATIONS = (
    "The partnership should agree how agencies share a young person's self-harm history when the young person "
    "moves school.",
    "Children's social care should see the young person before closing any referral that mentions self-harm.",
    "The emergency department should refer every young person who attends after self-harm to the child and "
    "adolescent mental health service before discharge.",
    "GPs should review young people on their list who have attended the emergency department twice in a year.",
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_word_list(document: Any, abstract_id: int, *levels: tuple[str, str]) -> int:
    """A new Word list whose levels are numbered in the formats given ('lowerLetter') and printed as their texts
    ('(%1)', '%1.%2'): its id."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    definition = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{number_text}"/></w:lvl>'
        for level, (number_format, number_text) in enumerate(levels)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{abstract_id}">{definition}</w:abstractNum>')
    )
    return int(numbering.add_num(abstract_id).numId)


def numbering_properties(list_id: int, level: int = 0) -> Any:
    """The numPr element that puts a paragraph (or a style) at a level of a Word list."""
    from docx.oxml import parse_xml

    return parse_xml(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/></w:numPr>')


def add_list_item(document: Any, text: str, list_id: int, level: int = 0) -> None:
    """A 'List Paragraph' paragraph at a level of the Word list given, as authors who format lists by hand make
    them."""
    paragraph = document.add_paragraph(text, style="List Paragraph")
    paragraph._p.get_or_add_pPr().insert(0, numbering_properties(list_id, level))


def write_list_paragraph_docx(path: Path) -> Path:
    """Word: lists in the 'List Paragraph' style, numbered by Word's numbering definitions (lettered actions, numbered
    recommendations that a Normal paragraph interrupts), as authors who format lists by hand make them."""
    document = _prose_docx(
        CHILD_N_TITLE,
        ("Dunmere Safeguarding Children Partnership", "Published February 2025"),
        (("Introduction", "Child N is a fourteen-year-old girl who was admitted to hospital after a serious overdose "
          "in October 2024, her third attendance at the emergency department after self-harm that year."),
         ("Immediate actions", "The rapid review meeting agreed these actions:")),
    )  # fmt: skip
    lettered = add_word_list(document, 90, ("lowerLetter", "(%1)"))
    numbered = int(document.part.numbering_part.element.add_num(7).numId)  # a decimal list of its own
    for text in CHILD_N_ACTIONS:
        add_list_item(document, text, lettered)
    document.add_heading("Recommendations", level=1)
    for index, text in enumerate(CHILD_N_RECOMMENDATIONS):
        if index == 2:
            document.add_paragraph("The next two recommendations are for health agencies.")
        add_list_item(document, text, numbered)
    document.save(str(path))
    return path
