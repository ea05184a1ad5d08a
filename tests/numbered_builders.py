"""The Word and PDF documents of `fixtures/numbered/`, built in the test run: reviews whose findings or
recommendations are numbered sub-headings ('5.1 Safer sleep'), with lists labelled as Word or the author prints
them ('(i)', '1)')."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from list_builders import add_list_item, add_word_list, numbering_properties

CHILD_H_TITLE = "Rapid Review: Child H"
CHILD_H_ACTIONS = (
    "The hospital trust told every ward that a baby's sibling must be checked when a baby is admitted with a fracture.",
    "The police shared their records of the household with the health visitor on the same day.",
    "Children's social care placed both children with their grandmother while the assessment took place.",
)
CHILD_H_RECOMMENDATIONS = (
    ("5.1 Safer sleep", "Health visitors should talk with both parents about safe sleeping at the new birth visit "
     "and again at six weeks.", "Response: The health visiting service has added this to both contacts."),
    ("5.2 Fathers in antenatal care", "Maternity services should invite fathers to at least one antenatal "
     "appointment and record whether they came.", "Response: Accepted by the hospital trust."),
    ("5.3 Records of bruising", "General practices should code every bruise seen on a baby under six months so "
     "that a second one is noticed.", "Response: The integrated care board will audit this in 2025."),
)  # fmt: skip


def write_numbered_subheadings_docx(path: Path) -> Path:
    """Word: immediate actions in a list Word numbers '(i)', '(ii)'; recommendations each under its own numbered
    Heading 2 ('5.1 Safer sleep'), followed by the agency's response."""
    import docx

    document = docx.Document()
    document.add_heading(CHILD_H_TITLE, level=0)
    document.add_paragraph("Fenwick Downs Safeguarding Children Partnership")
    document.add_heading("1. Introduction", level=1)
    document.add_paragraph(
        "Child H is a four-month-old boy who was found to have a fractured arm when his father took him to the "
        "emergency department in August 2024. His sister, aged two, was unhurt."
    )
    document.add_heading("2. Immediate actions", level=1)
    document.add_paragraph("The rapid review meeting agreed these actions:")
    roman = add_word_list(document, 91, ("lowerRoman", "(%1)"))
    for text in CHILD_H_ACTIONS:
        add_list_item(document, text, roman)
    document.add_heading("5. Recommendations", level=1)
    for heading, recommendation, response in CHILD_H_RECOMMENDATIONS:
        document.add_heading(heading, level=2)
        document.add_paragraph(recommendation)
        document.add_paragraph(response)
    document.add_heading("6. Conclusion", level=1)
    document.add_paragraph("H has recovered and lives with his mother and sister under a child protection plan.")
    document.save(str(path))
    return path


BABY_F_TITLE = "Rapid Review: Baby F"
BABY_F_ACTIONS = (
    "The ambulance service reminded its crews to tell children's social care about every baby found in an unsafe "
    "sleeping place.",
    "The housing service moved the family to a flat with a separate bedroom within a week.",
)
BABY_F_FINDINGS = (
    ("3.1 Advice given once", "The family were given advice about safe sleeping at the birth, but not again when "
     "they moved to a one-room flat."),
    ("3.2 Alcohol at home", "The health visitor knew that F's father drank every evening and did not ask who cared "
     "for F at night."),
)  # fmt: skip


def write_numbered_subheadings_pdf(path: Path) -> Path:
    """PDF: findings under numbered sub-headings set smaller than the section headings, and immediate actions
    numbered '1)', '2)'."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
    item = ParagraphStyle("item", parent=body, leftIndent=18, bulletIndent=0)
    heading = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8, spaceAfter=6)
    sub = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=6, spaceAfter=4)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=26, spaceAfter=10)
    story: list[Any] = [
        Paragraph(BABY_F_TITLE, title),
        Paragraph("Wrexley Vale Safeguarding Children Partnership", body),
        Paragraph("1. Introduction", heading),
        Paragraph(
            "Baby F is a three-month-old girl who died in March 2025 after sleeping on a sofa with her father. This "
            "rapid review was held within fifteen working days of her death.",
            body,
        ),
        Paragraph("2. Immediate actions", heading),
        *[Paragraph(text, item, bulletText=f"{n})") for n, text in enumerate(BABY_F_ACTIONS, start=1)],
        Paragraph("3. Findings", heading),
    ]
    for sub_heading, text in BABY_F_FINDINGS:
        story += [Paragraph(sub_heading, sub), Paragraph(text, body)]
    story += [
        Paragraph("4. Decision", heading),
        Paragraph("The partners agreed that a local child safeguarding practice review is not needed.", body),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title=BABY_F_TITLE).build(story)
    return path


CHILD_K_TITLE = "Local Child Safeguarding Practice Review: Child K"
CHILD_K_SECTIONS = (
    ("Introduction", (("", "Child K is a twelve-year-old autistic boy who was found walking on a dual carriageway in "
                          "January 2025, having left the taxi that takes him to school."),)),
    ("Findings", (("Transport to school", "The taxi company changed K's driver four times in a term and no one told "
                                          "his parents or his school."),
                  ("Care plans", "K's education, health and care plan said that changes upset him, but the plan was "
                                 "not shared with the transport team."))),
    ("Recommendations", (("Travel training", "The local authority should offer travel training to every child with "
                                             "an education, health and care plan who travels by taxi."),
                         ("Plan reviews", "The transport team should be invited to the annual review of every plan "
                                          "that mentions travel."))),
    ("Conclusion", (("", "K now travels with a driver he knows and has not left a vehicle since."),)),
)  # fmt: skip
CHILD_K_ACTIONS = (
    (0, "The school agreed a plan for K's journeys:"),
    (1, "a named driver for every journey;"),
    (1, "a photo card of the driver for K to keep."),
    (0, "The local authority reviewed every taxi contract for children with a plan."),
)


def write_word_numbered_headings_docx(path: Path) -> Path:
    """Word: headings numbered by Word itself ('2.', '2.1'), through numbering on the Heading 1 and Heading 2 styles,
    so that the numbers are not in the headings' text; findings and recommendations are numbered sub-headings; the
    actions taken a two-level Word list ('1.', then 'a)' and 'b)' under it)."""
    import docx

    document = docx.Document()
    outline = add_word_list(document, 92, ("decimal", "%1."), ("decimal", "%1.%2"))
    for level, style in ((0, "Heading 1"), (1, "Heading 2")):
        document.styles[style].element.get_or_add_pPr().insert(0, numbering_properties(outline, level))
    document.add_heading(CHILD_K_TITLE, level=0)
    document.add_paragraph("Marlow Heath Safeguarding Children Partnership")
    actions = add_word_list(document, 93, ("decimal", "%1."), ("lowerLetter", "%2)"))
    for heading, parts in CHILD_K_SECTIONS:
        if heading == "Conclusion":
            document.add_heading("Actions taken", level=1)
            for level, text in CHILD_K_ACTIONS:
                add_list_item(document, text, actions, level)
        document.add_heading(heading, level=1)
        for sub_heading, text in parts:
            if sub_heading:
                document.add_heading(sub_heading, level=2)
            document.add_paragraph(text)
    document.save(str(path))
    return path
