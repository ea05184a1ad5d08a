"""PDF, DOCX and HTML versions of the Young Person F seed review, laid out the way published reviews are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import CORPUS

YPF = CORPUS / "young-person-f-rapid-review.txt"
RUNNING_TITLE = "Rapid Reviews: Young Person F"


@dataclass(frozen=True)
class Outline:
    """A review as a title and (heading, bullets) sections, read from the plain-text seed."""

    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]


def ypf_outline() -> Outline:
    """Parse the YPF seed: the first line is the title, bare lines are headings, '- ' lines are bullets."""
    lines = [re.sub(r"</?u>", "", ln.rstrip()) for ln in YPF.read_text(encoding="utf-8").split("\n")]
    title = lines[0].strip()
    sections: list[tuple[str, list[str]]] = []
    for line in lines[1:]:
        if not line.strip() or line.strip() == title:
            continue
        if line.startswith("- "):
            sections[-1][1].append(line[2:].strip())
        elif line.startswith(" "):  # a wrapped bullet's continuation
            sections[-1][1][-1] += " " + line.strip()
        else:
            sections.append((line.strip(), []))
    return Outline(title, tuple((h, tuple(b)) for h, b in sections))


def write_pdf(path: Path, outline: Outline) -> Path:
    """One section per page; a running title header and a 'Page N' footer on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    width, height = A4

    def decorate(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, height - 40, outline.title)
        canvas.drawCentredString(width / 2, 30, f"Page {doc.page}")
        canvas.restoreState()

    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=26, spaceAfter=12)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceAfter=8)
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, leftIndent=14, spaceAfter=4)
    story: list = [Paragraph(outline.title, title)]
    for number, (name, bullets) in enumerate(outline.sections):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(name, heading))
        story += [Paragraph(_xml_escape(b), body, bulletText="•") for b in bullets]
        story.append(Spacer(1, 6))
    SimpleDocTemplate(str(path), pagesize=A4, title=outline.title).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


def write_docx(path: Path, outline: Outline) -> Path:
    """Title and Heading styles, List Bullet paragraphs, a page break per section, a running header."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = outline.title
    footer = section.footer.paragraphs[0]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    document.add_heading(outline.title, level=0)
    for number, (name, bullets) in enumerate(outline.sections):
        if number:
            document.add_page_break()
        document.add_heading(name, level=1)
        for bullet in bullets:
            document.add_paragraph(bullet, style="List Bullet")
    document.save(str(path))
    return path


def write_html(path: Path, outline: Outline) -> Path:
    """h1 title, h2 sections, ul/li bullets, plus site chrome that must not reach the text."""
    parts = [
        "<!doctype html><html><head><title>Site | Reviews</title><style>h1{color:red}</style></head><body>",
        "<nav><a href='/'>Home</a></nav><header>Safeguarding Partnership website</header>",
        f"<h1>{_xml_escape(outline.title)}</h1>",
    ]
    for name, bullets in outline.sections:
        parts.append(f"<h2>{_xml_escape(name)}</h2><ul>")
        parts += [f"<li>{_xml_escape(b)}</li>" for b in bullets]
        parts.append("</ul>")
    parts.append("<footer>Page 1 of 1 | Cookie policy</footer><script>var x = 1;</script></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
