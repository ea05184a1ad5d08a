"""Invented reviews in PDF house styles the dev corpus lacks, built with reportlab in the test run: recommendations
as a ruled table that runs over a page with its header repeated, a two-column briefing, bold body-size headings
over numbered paragraphs with footnotes, and a landscape action plan whose first column is merged down its rows.

Every child, place, agency and sentence here is made up for its layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
HEADER_CELL = ParagraphStyle("header-cell", parent=CELL, fontName="Helvetica-Bold")
HEADING = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8, spaceAfter=6)
SUBHEADING = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=6, spaceAfter=4)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=26, spaceAfter=10)
RULED = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
    ]
)


def _decorated(running: str, footer: str, pagesize: tuple[float, float] = A4) -> Any:
    """A page decoration: the running title at the top left and '<footer> N' centred at the foot, in 8 pt."""
    width, height = pagesize

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, height - 36, running)
        canvas.drawCentredString(width / 2, 28, f"{footer} {doc.page}")
        canvas.restoreState()

    return decorate


def _paragraphs(texts: tuple[str, ...], style: ParagraphStyle = BODY) -> list[Any]:
    return [Paragraph(text, style) for text in texts]


# Layout 1: recommendations as a ruled table (No. | Recommendation | Lead agency | Timescale), wrapped cells, run over
# a page break with the header row repeated, between running titles and page footers.
CHILD_K_TITLE = "Local Child Safeguarding Practice Review: Child K"
CHILD_K_RUNNING = "Brackenfold Safeguarding Children Partnership | LCSPR Child K"
CHILD_K_FOOTER = "Child K final report | page"
CHILD_K_TABLE_HEADER = ("No.", "Recommendation", "Lead agency", "Timescale")
CHILD_K_RECOMMENDATIONS = (
    ("1", "The partnership should agree a single pathway for children who are electively home educated after a "
     "period of persistent absence, so that a visit to the child at home is made within ten school days of the "
     "school being told.", "Education welfare service", "Six months"),
    ("2", "Children's social care should not close a child in need plan for a child who is being home educated "
     "until the child has been seen alone and their views recorded.", "Children's social care", "Three months"),
    ("3", "The community paediatric service should write to the GP and the family when a child is discharged after "
     "two missed appointments, giving the reasons and the way back into the service.",
     "Brackenfold community health trust", "Three months"),
    ("4", "General practices should add an alert to the record of every child whose family has declined "
     "immunisations and health reviews for more than a year, prompting a conversation at the next contact.",
     "Integrated care board", "Nine months"),
    ("5", "The partnership should commission training for practitioners on recognising neglect of a child's "
     "health and development when a family withdraws from services.", "Partnership business unit",
     "Twelve months"),
    ("6", "The partnership should audit, a year after publication, how many home-educated children known to "
     "children's social care were seen at home in the preceding term.", "Quality assurance subgroup",
     "Twelve months"),
)  # fmt: skip
CHILD_K_SECTIONS = (
    ("1. Introduction", (
        "1.1 This review concerns Child K, a nine-year-old girl who was admitted to Brackenfold General Hospital in "
        "February 2024 weighing less than she had at the age of six. She had not been seen by any professional for "
        "fourteen months.",
        "1.2 The partnership commissioned this local child safeguarding practice review in March 2024. The review "
        "was led by an independent reviewer and a panel of senior managers from the agencies involved.",
    )),
    ("2. Background", (
        "2.1 K lives with her mother and her older brother. Her mother withdrew K from Larkhill Primary School in "
        "September 2022 to educate her at home, after the school had raised concerns about her attendance, which had "
        "fallen to 61 per cent.",
        "2.2 K has a diagnosis of coeliac disease and had been under the care of the community paediatric service "
        "since she was four. She was discharged in May 2022 after two missed appointments.",
    )),
    ("3. Findings", (
        "3.1 No agency had the whole picture. The school knew of the poor attendance, the paediatric service knew of "
        "the missed appointments, and the GP knew that K's immunisations had stopped, but these facts were never "
        "brought together.",
        "3.2 Elective home education was treated as a reason to step back. The child in need plan was closed in "
        "October 2022 because K was no longer in school, although nobody had seen her since July.",
        "3.3 K's own voice is absent from the records. She was spoken to only in her mother's presence, and no "
        "practitioner asked her what her days were like.",
    )),
    ("4. Recommendations", (
        "4.1 The review makes six recommendations. Each has a lead agency, which will report progress to the "
        "partnership's executive group.",
    )),
)  # fmt: skip
CHILD_K_AFTER = (
    ("5. Conclusion", (
        "5.1 K is now living with her grandmother and attends school every day. Her weight has returned to the "
        "expected range.",
    )),
)  # fmt: skip


def _sections(sections: tuple[tuple[str, tuple[str, ...]], ...]) -> list[Any]:
    story: list[Any] = []
    for heading, texts in sections:
        story += [Paragraph(heading, HEADING), *_paragraphs(texts)]
    return story


def write_recommendations_table_pdf(path: Path, repeat_header: bool = True) -> Path:
    """A4 portrait: numbered headings, then the recommendations as a ruled four-column table of wrapped cells that
    runs onto the next page, its header row repeated there (or not, as many Word tables are exported)."""
    rows = [
        [Paragraph(cell, HEADER_CELL) for cell in CHILD_K_TABLE_HEADER],
        *[[Paragraph(cell, CELL) for cell in row] for row in CHILD_K_RECOMMENDATIONS],
    ]
    table = Table(rows, colWidths=(32, 250, 120, 70), repeatRows=1 if repeat_header else 0, style=RULED)
    story: list[Any] = [
        Paragraph(CHILD_K_TITLE, TITLE),
        *_paragraphs(("Brackenfold Safeguarding Children Partnership", "Published October 2024")),
        *_sections(CHILD_K_SECTIONS),
        Spacer(1, 40),
        table,
        *_sections(CHILD_K_AFTER),
    ]
    decorate = _decorated(CHILD_K_RUNNING, CHILD_K_FOOTER)
    SimpleDocTemplate(str(path), pagesize=A4, title=CHILD_K_TITLE).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


# Layout 2: a two-column briefing (a "seven-minute briefing" newsletter): a title and a lead paragraph across the
# page, then two columns of text with headings inside them, read each column top to bottom.
BABY_A_TITLE = "Rapid Review Briefing: Baby A"
BABY_A_FOOTER = "Thornbury Vale SCP learning briefing | page"
BABY_A_LEAD = (
    "This briefing shares the learning from the rapid review held after Baby A, a four-month-old boy, was taken to "
    "hospital in June 2024 with a fractured thigh bone. It is for every practitioner who works with babies and their "
    "families in Thornbury Vale."
)
BABY_A_LEFT = (
    ("What happened", (
        "Baby A lived with his mother, who was eighteen, and her partner, who was not A's father. The family had "
        "moved into a privately rented flat in Eastholme two months before the injury.",
        "A's mother took him to the walk-in centre on a Sunday morning because he was screaming whenever his left "
        "leg was moved. An X-ray at Thornbury Royal Infirmary showed a spiral fracture that the doctors said could "
        "not have been caused by A himself.",
    )),
    ("Agency involvement", (
        "The health visitor had visited twice. At the six-week review she noted a small bruise on A's cheek, which "
        "his mother said had been caused by a dummy clip. The bruise was not discussed with a senior colleague.",
    )),
)  # fmt: skip
BABY_A_RIGHT = (
    ("", (  # the left column's last section goes on at the top of the right column
        "The mother's partner was known to probation for an assault on a former girlfriend. Nobody in the health "
        "service knew that he lived with the family.",
    )),
    ("Learning", (
        "• A bruise on a baby who is not yet rolling or crawling is a warning sign and must always be referred, "
        "whatever explanation is given.",
        "• Practitioners should ask who lives in the household and who looks after the baby, and record the answers "
        "at every contact.",
        "• Information held by probation about a partner's violence is only useful if it reaches the services that "
        "visit the home.",
    )),
    ("Recommendations", (
        "1. The partnership should relaunch its protocol for bruising in non-mobile babies with the walk-in centres "
        "and the out-of-hours GP service.",
        "2. Probation should tell children's social care when a person on its caseload moves into a household with "
        "a child under one.",
        "3. The health visiting service should add a question about every adult in the household to the six-week "
        "review.",
    )),
    ("Questions for your team", (
        "Do you know who lives in the homes you visit? What would you do if you saw a mark on a baby?",
    )),
)  # fmt: skip


def _column_story(sections: tuple[tuple[str, tuple[str, ...]], ...]) -> list[Any]:
    """A column's headings ('' for none), paragraphs, bullets ('• ') and numbered items ('1. '), set as reportlab
    sets lists."""
    item = ParagraphStyle("item", parent=BODY, leftIndent=14, bulletIndent=0)
    story: list[Any] = []
    for heading, texts in sections:
        story += [Paragraph(heading, SUBHEADING)] if heading else []
        for text in texts:
            marker, _, rest = text.partition(" ")
            if marker == "•" or (marker.endswith(".") and marker[:-1].isdigit()):
                story.append(Paragraph(rest, item, bulletText=marker))
            else:
                story.append(Paragraph(text, BODY))
    return story


def write_two_column_briefing_pdf(path: Path) -> Path:
    """A4 portrait, one page: the title and a lead paragraph across the page, then two columns, each with its own
    headings; a footer with the page number."""
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate

    width, height = A4
    margin, gutter, top_band = 50, 24, 150
    column = (width - 2 * margin - gutter) / 2
    body_height = height - 2 * margin - top_band
    frames = [
        Frame(margin, height - margin - top_band, width - 2 * margin, top_band, id="top"),
        Frame(margin, margin, column, body_height, id="left"),
        Frame(margin + column + gutter, margin, column, body_height, id="right"),
    ]
    decorate = _decorated("", BABY_A_FOOTER)
    document = BaseDocTemplate(str(path), pagesize=A4, title=BABY_A_TITLE)
    document.addPageTemplates([PageTemplate(id="briefing", frames=frames, onPage=decorate)])
    story: list[Any] = [
        NextPageTemplate("briefing"),
        Paragraph(BABY_A_TITLE, TITLE),
        Paragraph("Thornbury Vale Safeguarding Children Partnership, September 2024", BODY),
        Paragraph(BABY_A_LEAD, BODY),
        FrameBreak(),
        *_column_story(BABY_A_LEFT),
        FrameBreak(),
        *_column_story(BABY_A_RIGHT),
    ]
    document.build(story)
    return path


# Layout 3: headings set in bold at the body's size, numbered paragraphs ('4.2 The school ...'), footnote markers
# raised in the text and footnotes in a smaller size at the foot of the page they are on.
YOUNG_PERSON_D_TITLE = "Serious Case Review: Young Person D"
YOUNG_PERSON_D_FOOTER = "Young Person D SCR | page"
# (heading or '', paragraph) pairs, flowing over two pages; a paragraph's '^n' is footnote n's marker. The page
# break falls inside recommendation 4.2, and each page's footnotes are those whose markers it holds.
YOUNG_PERSON_D_PARAGRAPHS: tuple[tuple[str, str], ...] = (
    ("1. Introduction", "1.1 This serious case review concerns Young Person D, a fifteen-year-old boy who was "
     "stabbed in Ashgrove Park in the early hours of 14 March 2023. He survived his injuries after surgery at "
     "Fenmouth Royal Hospital."),
    ("", "1.2 The Fenmouth Safeguarding Children Partnership agreed that the criteria for a serious case review were "
     "met^1 and appointed an independent lead reviewer in May 2023."),
    ("2. Background", "2.1 D lives with his mother and two younger sisters. His father left the family home when D "
     "was eight, and D's contact with him stopped a year later."),
    ("", "2.2 D did well at primary school. His attendance at Fenmouth Academy fell from Year 9, and by the autumn of "
     "Year 10 he was attending on fewer than half of school days."),
    ("3. Findings", "3.1 Exploitation was seen as a choice. The records of several agencies describe D as putting "
     "himself at risk and choosing to associate with older young people, language which places the responsibility "
     "on the child."),
    ("", "3.2 The first sign of criminal exploitation was missed. In September 2022 D was found by police in Harlow "
     "Street with £400 in cash and two mobile phones^2. No referral was made to the exploitation panel and D was not "
     "offered a return home interview."),
    ("", "3.3 The school's concerns did not reach children's social care quickly enough. The designated safeguarding "
     "lead recorded three concerns in October 2022 but made a referral only in January 2023, after D was seen with "
     "a knife^3."),
    ("", "3.4 D's mother asked for help repeatedly. She telephoned the front door service four times between November "
     "2022 and February 2023, and each call was closed with advice."),
    ("4. Recommendations", "4.1 The partnership should replace language that blames children for their own "
     "exploitation in every agency's recording guidance, and audit records after a year."),
    ("", "4.2 The police should refer every child found carrying unexplained cash or more than one phone to the "
     "exploitation panel within two working days, and should record the child's own account of where the cash and "
     "the phones came from."),
    ("", "4.3 Schools should refer concerns about criminal exploitation to children's social care on the day they are "
     "recorded, without waiting for further incidents."),
    ("", "4.4 The front door service should escalate to a team manager any family that contacts it three times in "
     "three months about the same child^4."),
    ("5. Conclusion", "5.1 D has returned to school on a part-time timetable and is supported by a youth worker he "
     "chose himself."),
)  # fmt: skip
YOUNG_PERSON_D_NOTES: tuple[tuple[str, ...], ...] = (
    (
        "1 The criteria are those in the guidance in force when the review was commissioned; serious case reviews "
        "were later replaced by local child safeguarding practice reviews.",
        "2 The phones were returned to D's mother the next day.",
        "3 A kitchen knife, which a teacher saw in his bag during a lesson; the police were not called.",
    ),
    ("4 The partnership's escalation policy already says this, but it was not used in D's case.",),
)


def _footnoted(text: str) -> str:
    """A paragraph with its '^n' markers raised as superscript numbers, as word processors set them."""
    out = []
    for part in text.split("^"):
        digits = len(part) - len(part.lstrip("0123456789"))
        out.append(f"<super>{part[:digits]}</super>{part[digits:]}" if out and digits else part)
    return "".join(out).replace("£", "&#163;")


def write_bold_headings_footnotes_pdf(path: Path) -> Path:
    """A4, Times at 11 pt: headings are bold body-size lines, paragraphs are numbered, footnotes in 8 pt sit at
    the foot of their page over the page number."""
    body = ParagraphStyle("serif", fontName="Times-Roman", fontSize=11, leading=14, spaceAfter=7)
    heading = ParagraphStyle("serif-bold", parent=body, fontName="Times-Bold", spaceBefore=6)
    title = ParagraphStyle("serif-title", parent=body, fontName="Times-Bold", fontSize=18, leading=23)
    width, _ = A4

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        notes = YOUNG_PERSON_D_NOTES[doc.page - 1]
        canvas.line(72, 60 + 11 * len(notes), 200, 60 + 11 * len(notes))
        canvas.setFont("Times-Roman", 8)
        for index, note in enumerate(notes):
            canvas.drawString(72, 52 + 11 * (len(notes) - 1 - index), note)
        canvas.drawCentredString(width / 2, 28, f"{YOUNG_PERSON_D_FOOTER} {doc.page}")
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(YOUNG_PERSON_D_TITLE, title),
        *_paragraphs(("Fenmouth Safeguarding Children Partnership", "Published November 2023"), body),
    ]
    for heading_text, text in YOUNG_PERSON_D_PARAGRAPHS:
        if heading_text:
            story.append(Paragraph(heading_text, heading))
        story.append(Paragraph(_footnoted(text), body))
    SimpleDocTemplate(str(path), pagesize=A4, title=YOUNG_PERSON_D_TITLE, bottomMargin=190).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


# Layout 4: a landscape action plan: learning points in a merged first column, each spanning the rows of the actions
# that answer it (Learning point | Action | Lead | By when | Measure of success).
CHILD_E_TITLE = "Child E Learning Review: Action Plan"
CHILD_E_RUNNING = "Orrinsford SCP | Child E learning review"
CHILD_E_FOOTER = "Child E action plan | page"
CHILD_E_HEADER = ("Learning point", "Action", "Lead", "By when", "Measure of success")
# (learning point, its actions as (action, lead, by when, measure))
CHILD_E_PLAN = (
    ("1. Practitioners did not see Child E's bedroom or where she slept during eighteen months of home visits.", (
        ("Add a prompt to see every child's bedroom to the home visit recording template.",
         "Children's social care", "March 2025", "Audit shows bedrooms seen on 90% of visits"),
        ("Include observation of sleeping arrangements in the neglect toolkit training.",
         "Partnership training lead", "June 2025", "Training evaluation"),
    )),
    ("2. E's weight loss was recorded by the school nurse and the GP but neither knew the other had seen it.", (
        ("Agree that school nurses send growth measurements to the GP within five working days.",
         "School nursing service", "April 2025", "Quarterly data on measurements shared"),
        ("Test the sharing of growth concerns in the next multi-agency case audit.",
         "Quality assurance subgroup", "September 2025", "Audit report to the executive"),
        ("Remind GPs to ask about school health records when a child's weight falls.",
         "Named GP for safeguarding", "February 2025", "Bulletin issued"),
    )),
    ("3. E's wish to live with her aunt was heard by her teacher but never reached the child protection conference.", (
        ("Ask schools to bring the child's own words to every conference report.",
         "Education safeguarding team", "May 2025", "Conference chairs' quarterly report"),
    )),
)  # fmt: skip
CHILD_E_INTRODUCTION = (
    "This action plan responds to the learning review into the neglect of Child E, a seven-year-old girl who was "
    "removed from her home in Orrinsford in July 2024. It sets out what each agency will do, by when, and how the "
    "partnership will know that practice has changed.",
)


def write_landscape_action_plan_pdf(path: Path) -> Path:
    """A4 landscape: a short introduction, then the action plan as a ruled five-column table whose first column
    (the learning point) is one cell merged down the rows of its actions."""
    from reportlab.platypus import PageBreak

    rows: list[list[Any]] = [[Paragraph(cell, HEADER_CELL) for cell in CHILD_E_HEADER]]
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for point, actions in CHILD_E_PLAN:
        first = len(rows)
        for index, action in enumerate(actions):
            rows.append([Paragraph(point, CELL) if index == 0 else "", *(Paragraph(cell, CELL) for cell in action)])
        if len(actions) > 1:
            spans.append(("SPAN", (0, first), (0, len(rows) - 1)))
    table = Table(rows, colWidths=(190, 230, 110, 70, 150), repeatRows=1)
    table.setStyle(TableStyle([*RULED.getCommands(), *spans]))
    pagesize = landscape(A4)
    decorate = _decorated(CHILD_E_RUNNING, CHILD_E_FOOTER, pagesize)
    story: list[Any] = [
        Paragraph(CHILD_E_TITLE, TITLE),
        *_paragraphs(("Orrinsford Safeguarding Children Partnership", "Published January 2025")),
        Paragraph("Introduction", HEADING),
        *_paragraphs(CHILD_E_INTRODUCTION),
        Paragraph("Learning and actions", HEADING),
        table,
        PageBreak(),
        Paragraph("Monitoring", HEADING),
        *_paragraphs((
            "The partnership's quality assurance subgroup will review progress on every action at each of its "
            "meetings and report to the executive in October 2025.",
        )),
    ]  # fmt: skip
    SimpleDocTemplate(str(path), pagesize=pagesize, title=CHILD_E_TITLE).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


# Layout 2, banded: two columns, a short heading across the page (at the left margin, not reaching the gutter), then
# two columns again; each band is read left column then right.
CHILD_W_TITLE = "Seven-Minute Briefing: Child W"
CHILD_W_BANDS = (
    (
        ("Why this briefing", (
            "Child W, aged three, was admitted to hospital in January 2024 after swallowing his mother's prescribed "
            "methadone, which was kept in an unlocked kitchen cupboard.",
        )),
        ("", (
            "The drug service had supplied take-home doses for a year without visiting the flat or asking how the "
            "doses were stored.",
        )),
    ),
    (
        ("Learning", (
            "Practitioners who prescribe or dispense take-home doses should see where they are stored when a child "
            "lives in the home.",
        )),
        ("Recommendations", (
            "1. The drug service should visit every client with children before agreeing take-home doses.",
            "2. Pharmacies should offer a lockable box with every take-home prescription.",
        )),
    ),
)  # fmt: skip
CHILD_W_BAND_HEADING = "Next steps"


def write_banded_briefing_pdf(path: Path) -> Path:
    """A4, one page: the title across the page, a band of two columns, a heading across the page set at its left
    margin, and a second band of two columns."""
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate

    width, height = A4
    margin, gutter = 50, 24
    column = (width - 2 * margin - gutter) / 2
    title_top, band = height - margin - 60, 200
    frames = [
        Frame(margin, title_top, width - 2 * margin, 60, id="title"),
        Frame(margin, title_top - band, column, band, id="left-1"),
        Frame(margin + column + gutter, title_top - band, column, band, id="right-1"),
        Frame(margin, title_top - band - 40, width - 2 * margin, 40, id="across"),
        Frame(margin, margin, column, title_top - band - 40 - margin, id="left-2"),
        Frame(margin + column + gutter, margin, column, title_top - band - 40 - margin, id="right-2"),
    ]
    document = BaseDocTemplate(str(path), pagesize=A4, title=CHILD_W_TITLE)
    document.addPageTemplates([PageTemplate(id="banded", frames=frames)])
    (left_1, right_1), (left_2, right_2) = CHILD_W_BANDS
    story: list[Any] = [
        Paragraph(CHILD_W_TITLE, TITLE),
        FrameBreak(),
        *_column_story((left_1,)),
        FrameBreak(),
        *_column_story((right_1,)),
        FrameBreak(),
        Paragraph(CHILD_W_BAND_HEADING, HEADING),
        FrameBreak(),
        *_column_story((left_2,)),
        FrameBreak(),
        *_column_story((right_2,)),
    ]
    document.build(story)
    return path
