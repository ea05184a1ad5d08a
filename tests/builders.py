"""Invented reviews in the binary layouts published reviews come in: PDFs and Word files, built in the test run.

Each builder writes one small review written for its layout (its own child, partnership and text); what ingest
should make of it is in `layouts.py`. The text-format layouts are files under `fixtures/layouts/`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# A section is (level, heading, paragraphs); a paragraph starting "• " is a bullet, "1. " a numbered item.
Outline = tuple[tuple[int, str, tuple[str, ...]], ...]

CHILD_U_TITLE = "Rapid Review: Child U"
CHILD_U_RUNNING = "Ashcombe SCP | Rapid Review: Child U"
CHILD_U_LONG_BULLET = (
    "• Advice about coping with a crying baby must be given to fathers and male carers as well as to mothers, "
    "and practitioners should check that it has been understood by everyone who looks after the baby."
)
CHILD_U_PAGES: tuple[Outline, ...] = (
    (
        (
            1,
            "Introduction",
            (
                "Child U is a baby girl who was admitted to hospital in October 2023, aged seven weeks, with a "
                "bleed on the brain. Doctors found that the injury had been caused by shaking. U's father has been "
                "charged with causing her grievous bodily harm. The partnership held this rapid review within 15 "
                "working days of being notified.",
            ),
        ),
        (
            1,
            "Background",
            (
                "U's parents are both 19. They lived with the father's mother in a two-bedroom flat. U was born at "
                "36 weeks and cried a great deal; her mother told the review that U's father found the crying very "
                "hard to bear.",
            ),
        ),
    ),
    (
        (1, "Agency involvement", ()),
        (
            2,
            "Health visiting",
            (
                "The health visitor saw the family twice. On the second visit the father was present and said that "
                "he was coping with the crying. The health visitor gave the mother a leaflet about coping with "
                "crying, but did not speak to the father about it.",
            ),
        ),
        (
            2,
            "Police",
            (
                "Police had attended the address once, in August 2023, after a neighbour heard shouting. The father "
                "was not known to have been violent, and no referral was made to children's social care.",
            ),
        ),
    ),
    (
        (
            1,
            "Learning",
            (
                CHILD_U_LONG_BULLET,
                "• A police call to a home with a newborn baby should be shared with the health visitor.",
            ),
        ),
        (
            1,
            "Immediate actions",
            (
                "• The health visiting service now gives the coping with crying programme to both parents at the "
                "new birth visit.",
                "• Ashcombe Police have added a prompt to share any incident at a home with a baby under one.",
            ),
        ),
    ),
)


def write_running_title_pdf(path: Path) -> Path:
    """Three pages: a running title at the top and 'Page N of 3' at the foot of each, bold larger headings."""
    return _outline_pdf(
        path,
        (CHILD_U_TITLE, "Ashcombe Safeguarding Children Partnership", "Published January 2024"),
        CHILD_U_PAGES,
        fonts=("Helvetica", "Helvetica-Bold"),
        sizes=(20, 14, 12, 10),
        header=CHILD_U_RUNNING,
        footer=lambda page: f"Page {page} of {len(CHILD_U_PAGES)}",
    )


YOUNG_PERSON_O_TITLE = "Learning Review: Young Person O"
YOUNG_PERSON_O_FOOTER = "Fernley Safeguarding Children Partnership - Young Person O - learning review"
YOUNG_PERSON_O_PAGES: tuple[Outline, ...] = (
    (
        (
            1,
            "Summary",
            (
                "Young Person O is a 16-year-old girl who stopped attending school in 2019 and was later found to "
                "be caring for her mother, who has multiple sclerosis, with almost no help. The review looked at why "
                "her role as a young carer was not recognised for two years.",
            ),
        ),
        (
            1,
            "Background",
            (
                "O lives with her mother. Her father died when she was nine. She has no brothers or sisters, and "
                "the family's nearest relatives live abroad.",
            ),
        ),
        (1, "Practice episodes", ()),
        (
            2,
            "Episode 1: School refusal (2019)",
            (
                "O's school treated her absence as school refusal and referred her to the attendance service. "
                "Nobody visited the home or asked who looked after her mother during the day.",
            ),
        ),
        (
            2,
            "Episode 2: The move to college (2020)",
            (
                "When O started college, her mother's care package was reduced because O was now counted as an "
                "adult in the household. She was 16.",
            ),
        ),
    ),
    (
        (
            1,
            "Findings",
            (
                "Young carers are often hidden. Each agency saw O's absence or her mother's needs, but none saw O "
                "as a child with needs of her own.",
            ),
        ),
        (
            1,
            "Recommendations",
            (
                "1. Schools should ask about caring roles whenever a pupil's attendance falls.",
                "2. Adult social care should never count a child as a carer when assessing a parent's needs.",
            ),
        ),
    ),
)


def write_font_size_pdf(path: Path) -> Path:
    """Two pages in one regular font: headings differ from body text only by their size."""
    return _outline_pdf(
        path,
        (YOUNG_PERSON_O_TITLE, "Fernley Safeguarding Children Partnership", "Published May 2021"),
        YOUNG_PERSON_O_PAGES,
        fonts=("Helvetica", "Helvetica"),
        sizes=(18, 14, 12, 10),
        header=None,
        footer=lambda page: YOUNG_PERSON_O_FOOTER,
    )


def _outline_pdf(
    path: Path,
    title_block: tuple[str, ...],
    pages: tuple[Outline, ...],
    fonts: tuple[str, str],
    sizes: tuple[int, int, int, int],
    header: str | None,
    footer: Callable[[int], str],
) -> Path:
    """A title in the largest size, its title block, then one outline per page; 8 pt header and footer lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    width, height = A4

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts[0], 8)
        if header:
            canvas.drawString(72, height - 40, header)
        canvas.drawCentredString(width / 2, 30, footer(doc.page))
        canvas.restoreState()

    styles = _pdf_styles(*fonts, sizes=sizes)
    story: list = [Paragraph(title_block[0], styles["title"])]
    story += [Paragraph(line, styles["body"]) for line in title_block[1:]]
    for number, page in enumerate(pages):
        if number:
            story.append(PageBreak())
        story += _pdf_sections(page, styles)
    SimpleDocTemplate(str(path), pagesize=A4, title=title_block[0]).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


def _pdf_styles(regular: str, heading: str, sizes: tuple[int, int, int, int]) -> dict[str | int, Any]:
    from reportlab.lib.styles import ParagraphStyle

    title, level1, level2, body = sizes
    return {
        "title": ParagraphStyle("title", fontName=heading, fontSize=title, leading=title * 1.3, spaceAfter=10),
        1: ParagraphStyle("h1", fontName=heading, fontSize=level1, leading=level1 * 1.3, spaceBefore=8, spaceAfter=6),
        2: ParagraphStyle("h2", fontName=heading, fontSize=level2, leading=level2 * 1.3, spaceBefore=6, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=regular, fontSize=body, leading=body * 1.3, spaceAfter=6),
        "bullet": ParagraphStyle(
            "bullet", fontName=regular, fontSize=body, leading=body * 1.3, leftIndent=14, spaceAfter=4
        ),
    }


def _pdf_sections(sections: Outline, styles: dict[str | int, Any]) -> list:
    from reportlab.platypus import Paragraph

    story: list = []
    for level, heading, paragraphs in sections:
        story.append(Paragraph(_xml_escape(heading), styles[level]))
        for text in paragraphs:
            if text.startswith("• "):
                story.append(Paragraph(_xml_escape(text[2:]), styles["bullet"], bulletText="•"))
            else:
                story.append(Paragraph(_xml_escape(text), styles["body"]))
    return story


BABY_V_TITLE = "Local Child Safeguarding Practice Review: Baby V"
BABY_V_HEADER = "Harbury and Lowe SCP – Baby V – final report"
BABY_V_TABLE = (
    ("Agency", "Contacts", "Safer sleep advice"),
    ("Maternity unit", "3", "Leaflet at discharge"),
    ("Health visiting", "2", "Discussed at the new birth visit"),
    ("GP practice", "1", "Not discussed"),
    ("Housing", "1", "Not applicable"),
)


def write_heading_styles_docx(path: Path) -> Path:
    """Title and Heading 1/2 styles, a table of agency contacts, List Number items, a running header, two pages."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = BABY_V_HEADER
    _page_number_field(section.footer.paragraphs[0])
    document.add_heading(BABY_V_TITLE, level=0)
    document.add_paragraph("Harbury and Lowe Safeguarding Children Partnership")
    document.add_paragraph("Published August 2023")
    document.add_heading("1. Introduction", level=1)
    document.add_paragraph(
        "Baby V died suddenly at the age of ten weeks in January 2023 while sleeping in an adult bed with her "
        "mother. This review looks at how safer sleep advice was given to her family."
    )
    document.add_heading("2. Background", level=1)
    document.add_paragraph(
        "V was her parents' first child. Her mother was 20 and had moved to Harbury from Scotland during her "
        "pregnancy. The family lived in a one-bedroom flat with no space for a cot next to the bed."
    )
    document.add_heading("3. Agency involvement", level=1)
    document.add_paragraph("Four agencies had contact with the family between V's birth and her death.")
    document.add_heading("3.1 Summary of contacts", level=2)
    document.add_paragraph("The table below lists each agency's contacts with the family.")
    table = document.add_table(rows=0, cols=3)
    for row in BABY_V_TABLE:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_page_break()
    document.add_heading("4. Findings", level=1)
    document.add_heading("4.1 Advice was given but not checked", level=2)
    document.add_paragraph("The health visitor gave safer sleep advice but did not see where V slept.")
    document.add_heading("4.2 Housing did not know about the baby", level=2)
    document.add_paragraph(
        "The housing service was told of V's birth but did not consider whether the flat had room for a cot."
    )
    document.add_heading("5. Recommendations", level=1)
    document.add_paragraph(
        "Health visitors should see where a baby sleeps at every visit in the first three months.",
        style="List Number",
    )
    document.add_paragraph(
        "The housing service should treat families with a baby and no space for a cot as a priority.",
        style="List Number",
    )
    document.save(str(path))
    return path


SIBLINGS_TITLE = "Serious Case Review: Siblings Y and Z"
# (point size, lead is bold, lead, rest) per paragraph: a paragraph wholly in a bold lead is a heading; body text
# is 11 point, so "Sibling Y" is a heading by weight alone and "Home visits." is a bold run-in, not a heading.
SIBLINGS_PARAGRAPHS: tuple[tuple[int, bool, str, str], ...] = (
    (16, True, SIBLINGS_TITLE, ""),
    (11, False, "", "Tarnwick Safeguarding Children Partnership"),
    (11, False, "", "Published April 2019"),
    (11, False, "", "Independent author: Joan Ferris"),
    (13, True, "Introduction", ""),
    (
        11,
        False,
        "",
        "This serious case review concerns a brother and sister, referred to as Y and Z, who were found in "
        "January 2018 living in a house without heating, food or a working toilet. Y was then eight and Z was five.",
    ),
    (13, True, "The children", ""),
    (11, True, "Sibling Y", ""),
    (
        11,
        False,
        "",
        "Y is a boy who loves football and drawing. He told the author that he had looked after his sister in the "
        "mornings because their mother was often asleep.",
    ),
    (11, True, "Sibling Z", ""),
    (
        11,
        False,
        "",
        "Z is a girl with a speech delay. She had not been seen by a health visitor or a doctor for more than two "
        "years before she was found.",
    ),
    (13, True, "Findings", ""),
    (
        11,
        True,
        "Home visits. ",
        "Most visits by the family support worker were announced, and the house was cleaned before each one.",
    ),
    (11, True, "Health checks. ", "Z's missed health checks were not followed up by any agency."),
    (13, True, "Recommendations", ""),
    (11, False, "", "1. Children's social care should make at least half of all home visits unannounced."),
    (11, False, "", "2. Health visiting should follow up every child under five who misses two reviews."),
)


def write_bold_paragraph_docx(path: Path) -> Path:
    """Every paragraph in Normal style; headings are paragraphs set wholly in bold, some no larger than the text."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for size, bold, lead, rest in SIBLINGS_PARAGRAPHS:
        paragraph = document.add_paragraph()
        for text, is_bold in ((lead, bold), (rest, False)):
            if text:
                run = paragraph.add_run(text)
                run.bold = is_bold
                run.font.size = Pt(size)
    document.save(str(path))
    return path


def _page_number_field(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
