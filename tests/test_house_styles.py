"""House styles the dev corpus lacks (fixtures/house_styles/): the title the document gives, underlined (setext)
and lettered headings, byline lines kept apart, HTML comments and rules left out of what is quoted, and a
definition list's terms kept with their descriptions. Read by the real ingest stages (no model, no Chroma)."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from growth import LINEAR, growth
from layouts import Ingested, ingest, section_body
from list_answers import index_reviews

from core.models import SectionKind
from ingest.cleaning import clean_pages, is_contents_line
from ingest.docx_text import table_lines
from ingest.headings import parse_heading
from ingest.html_text import accordions_as_headings, definitions_as_items, without_note_markers
from ingest.metadata import extract_meta
from ingest.sections import find_outline
from ingest.text_layout import (
    details_as_headings,
    html_in_markdown,
    lines_as_paragraphs,
    notes_apart,
    readable_tables,
    side_by_side_columns,
    underlined_headings,
    without_comments,
    without_numbered_notes,
    without_pandoc_markup,
    without_quote_marks,
)
from retriever.pipeline import Casewise

FIXTURES = Path(__file__).parent / "fixtures" / "house_styles"
K = SectionKind
MEGABYTE = 1_000_000


def _read(name: str) -> Ingested:
    return ingest(FIXTURES / name)


def _outline(run: Ingested) -> list[tuple[tuple[str, ...], SectionKind, str | None]]:
    return [(s.path, s.kind, s.child) for s in run.sections]


def _quoted(run: Ingested) -> str:
    return "\n".join(chunk.text for chunk in run.chunks)


def _normal_docx(path: Path, core_title: str, lines: tuple[str, ...]) -> Path:
    """A Word document whose every paragraph is in the Normal style, nothing bold, as some house styles write
    them: a title page, then numbered headings and numbered paragraphs."""
    import docx

    document = docx.Document()
    document.core_properties.title = core_title
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


_DOCX_BODY = (
    "1. Introduction",
    "1.1\tThis review concerns a boy who was 6 when he was admitted to hospital with a fractured skull in 2019.",
    "2. Findings",
    "2.1\tThe health visitor and the GP each knew part of what had happened, and neither told the other.",
    "3. Recommendations",
    "3.1\tThe partnership should ask health visitors and GPs to meet monthly about children under seven.",
)


def _boxed_docx(path: Path) -> Path:
    """A Word form as Wales's child practice review template lays one out: every part of the report in a box (a
    table of one cell) holding a bold heading, an italic instruction left from the template, bold sub-headings,
    paragraphs and a numbered list; the reviewer's signature block is a table of two columns."""
    import docx
    from docx.shared import Pt

    document = docx.Document()

    def box(*paragraphs: tuple[str, str]) -> None:
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        for index, (style, text) in enumerate(paragraphs):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            if style == "number":
                paragraph.style = document.styles["List Number"]
            run = paragraph.add_run(text)
            run.bold = style in ("heading", "sub")
            run.italic = style == "note"
            run.font.size = Pt({"heading": 14, "sub": 12}.get(style, 11))
        document.add_paragraph()

    box(("heading", "Afonwen Regional Safeguarding Children Board"), ("heading", "Child Practice Review"),
        ("text", "Re: ARSCB 1/2023"))  # fmt: skip
    box(
        ("heading", "Brief outline of circumstances resulting in the Review"),
        ("note", "To include here: legal context, circumstances resulting in the review, time period reviewed."),
        ("text", "Child Z, aged 6, was admitted to hospital in May 2022 with a fractured wrist and old bruising."),
        ("text", "Child Z's first language is Welsh. She attended Ysgol Gynradd Bryn Celyn, a Welsh-medium school."),
    )
    box(
        ("heading", "Practice and organisational learning"),
        ("sub", "Hearing the child in her own language"),
        ("text", "Child Z was seen alone eight times, always in English, and no Welsh-speaking worker visited her."),
        ("sub", "Effective practice"),
        ("text", "The school kept a daily log of Child Z's hunger and mood and escalated its concerns twice."),
    )
    box(
        ("heading", "Improving Systems and Practice"),
        ("text", "The review identified the following actions for the Board and its member agencies:"),
        ("number", "The Board should seek assurance that children are offered a Welsh-speaking practitioner."),
        ("number", "Children's services should check every new adult who joins the household of a child at risk."),
    )
    signature = document.add_table(rows=2, cols=2)
    signed = (("Name (Print)", "Catrin Morgan"), ("Date", "May 2023"))
    for row, (label, value) in zip(signature.rows, signed, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    document.save(str(path))
    return path


def test_a_word_form_of_boxes_is_read_as_its_headings_and_paragraphs(tmp_path: Path) -> None:
    """Each box's heading is a section and its paragraphs and list are that section's, not one line per box."""
    run = ingest(_boxed_docx(tmp_path / "Child Z CPR.docx"))
    assert run.review.meta.title == "Child Practice Review: Child Z"
    assert run.review.meta.review_type == "child practice review"
    assert run.review.meta.partnership == "Afonwen Regional Safeguarding Children Board"
    outline = [(s.path, s.kind) for s in run.sections]
    circumstances = ("Brief outline of circumstances resulting in the Review",)
    learning = ("Practice and organisational learning",)
    assert outline == [
        (circumstances, K.BACKGROUND),
        ((*learning, "Hearing the child in her own language"), K.LEARNING),
        ((*learning, "Effective practice"), K.GOOD_PRACTICE),
        (("Improving Systems and Practice",), K.ACTIONS),
    ]
    actions = section_body(run, ("Improving Systems and Practice",))
    assert "\n1. The Board should seek" in actions and "\n2. Children's services should" in actions


def _briefing_docx(path: Path) -> Path:
    """A "7 minute briefing" in Word: a title over a subtitle naming the review, a partnership and date line, then
    seven numbered boxes set two to a row in a grid, each a bold heading over its paragraphs."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for text, size in (("7 Minute Briefing", 20), ("Learning from the Rapid Review: Baby Ruby", 16)):
        run = document.add_paragraph().add_run(text)
        run.bold, run.font.size = True, Pt(size)
    document.add_paragraph("Ashbourne Vale Safeguarding Children Partnership, March 2024")
    boxes = (
        ("1. Background", "Baby Ruby was seven weeks old when she was taken to hospital with a skull fracture."),
        ("2. Why it matters", "Babies under one are the age group most at risk of serious harm from abuse."),
        ("3. What happened", "A GP saw Ruby at five weeks for a small mark on her ear, recorded as a scratch."),
        ("4. What we learned", "A mark on a baby who is not yet crawling should always lead to the bruising protocol."),
        ("5. Good practice", "The midwife referred the parents to a vulnerable parents' pathway before the birth."),
        ("6. What agencies will do", "GP practices will audit their use of the bruising protocol within six months."),
        ("7. Questions for you", "Would you know what to do if you saw a mark on a baby who is not yet crawling?"),
    )
    grid = document.add_table(rows=4, cols=2)
    for index, (heading, text) in enumerate(boxes):
        cell = grid.cell(index // 2, index % 2)
        run = cell.paragraphs[0].add_run(heading)
        run.bold, run.font.size = True, Pt(13)
        cell.add_paragraph(text)
    document.save(str(path))
    return path


_VML = 'xmlns:v="urn:schemas-microsoft-com:vml"'
_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
_WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'


def _text_box_docx(path: Path) -> Path:
    """A briefing whose parts are Word text boxes, as drawn shapes hold them: one a plain VML box, one a drawing
    with the VML copy Word keeps beside it for older readers (the same words twice in the file)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def content(heading: str, text: str) -> str:
        return (
            f"<w:txbxContent><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{heading}</w:t></w:r></w:p>"
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
        )

    happened = content("What happened", "Child Nell, aged four, had a burn to her leg that was not treated for a week.")
    learned = content("What we learned", "Nursery staff saw the dressing but did not ask how the burn happened.")
    vml = f'<w:pict><v:shape id="a"><v:textbox>{happened}</v:textbox></v:shape></w:pict>'
    drawing = (
        f'<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{learned}</wps:txbx>'
        f'</wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape id="b"><v:textbox>{learned}'
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
    )
    document = docx.Document()
    document.add_paragraph("Westbrook Safeguarding Children Partnership, 2024")
    for shape in (vml, drawing):
        document.element.body.append(parse_xml(f"<w:p {nsdecls('w')} {_VML} {_MC} {_WPS}><w:r>{shape}</w:r></w:p>"))
    document.save(str(path))
    return path


def test_word_text_boxes_are_read_once_each(tmp_path: Path) -> None:
    """A text box's words are the review's (they had been lost), and a drawing's fallback copy is not read twice."""
    run = ingest(_text_box_docx(tmp_path / "7MB Child Nell.docx"))
    assert [(s.path, s.kind) for s in run.sections] == [
        (("What happened",), K.AGENCY_INVOLVEMENT),
        (("What we learned",), K.LEARNING),
    ]
    assert run.review.text.count("Nursery staff saw the dressing") == 1


def test_word_footnotes_are_read_as_the_reviews_notes(tmp_path: Path) -> None:
    """A fact the review gives only in a footnote (the father's conviction) is in its text, as a numbered note after
    the body; the separators Word keeps as notes are not."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Local Child Safeguarding Practice Review: Ellis", 0)
    document.add_heading("Background", 1)
    said = document.add_paragraph("Ellis's father had a conviction for violence.")
    said._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    notes = (
        f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The '
        "conviction, in November 2019, was for assault occasioning actual bodily harm.</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>"
    )
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    document.part.relate_to(
        Part(PackURI("/word/footnotes.xml"), kind, notes.encode(), document.part.package), RT.FOOTNOTES
    )
    path = tmp_path / "ellis-lcspr.docx"
    document.save(str(path))
    run = ingest(path)
    assert section_body(run, ("Notes",)) == (
        "1. The conviction, in November 2019, was for assault occasioning actual bodily harm."
    )


def _controlled_docx(path: Path) -> Path:
    """A Word template filled in: a section's paragraphs inside a content control, a recommendation typed into an
    inline one, and a tracked change (words inserted and words deleted) left in the text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Rapid Review: Child Orla", 0)
    document.add_heading("Background", 1)
    field = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Background"/></w:sdtPr><w:sdtContent>'
        "<w:p><w:r><w:t>Child Orla, aged six, was taken into police protection in May 2023.</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">Her school had raised concerns about her weight and self</w:t>'
        '<w:noBreakHyphen/><w:t xml:space="preserve">harm </w:t></w:r>'
        '<w:ins w:id="1" w:author="A"><w:r><w:t>twice</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="A"><w:r><w:delText>once</w:delText></w:r></w:del>'
        "<w:r><w:t>.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.paragraphs[-1]._p.addnext(field)
    document.add_heading("Recommendations", 1)
    typed = document.add_paragraph("1. ")
    typed._p.append(
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:r><w:t>The school nursing service should weigh every child on "
            "a plan.</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    document.save(str(path))
    return path


def test_words_in_content_controls_and_tracked_insertions_are_read(tmp_path: Path) -> None:
    """A template's content controls hold the review's words (they had been lost); a tracked insertion is read
    and a tracked deletion is not; a non-breaking hyphen is a hyphen."""
    run = ingest(_controlled_docx(tmp_path / "child-orla-rapid-review.docx"))
    assert section_body(run, ("Background",)) == (
        "Child Orla, aged six, was taken into police protection in May 2023.\n\n"
        "Her school had raised concerns about her weight and self-harm twice."
    )
    assert (
        section_body(run, ("Recommendations",)) == "1. The school nursing service should weigh every child on a plan."
    )


def _house_heading_styles_docx(path: Path) -> Path:
    """Word headings in a partnership's own styles: "LSCP Heading 1", not bold, larger and coloured, with an outline
    level of its own; "Sub heading", based on Word's Heading 2."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    document = docx.Document()
    top = document.styles.add_style("LSCP Heading 1", WD_STYLE_TYPE.PARAGRAPH)
    top.base_style, top.font.size = document.styles["Normal"], Pt(16)
    top.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.styles.add_style("Sub heading", WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Heading 2"]
    for text, style in (
        ("Rapid Review: Child Tansy", "Title"),
        ("Background", "LSCP Heading 1"),
        ("Child Tansy, aged five, was found with a broken leg in April 2024.", "Normal"),
        ("The family", "Sub heading"),
        ("She lived with her father and two brothers.", "Normal"),
        ("Recommendations", "LSCP Heading 1"),
        ("1. Schools should share concerns about injuries with the school nurse.", "Normal"),
    ):
        document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def test_a_partnerships_own_heading_styles_give_the_outline(tmp_path: Path) -> None:
    """Headings are known by their outline level or the Word heading their style is based on, and nest by it: "The
    family" had been read as a section of its own level, beside "Background"."""
    run = ingest(_house_heading_styles_docx(tmp_path / "child-tansy-rapid-review.docx"))
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Background",), K.BACKGROUND),
        (("Background", "The family"), K.BACKGROUND),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]


def test_a_briefings_grid_of_headed_boxes_is_read_box_by_box(tmp_path: Path) -> None:
    """Each box of the grid is a section in the briefing's order (not one line per row of two boxes), and the title
    is the briefing's, number and all, with the subtitle naming its review."""
    run = ingest(_briefing_docx(tmp_path / "7MB Baby Ruby.docx"))
    assert run.review.meta.title == "7 Minute Briefing: Learning from the Rapid Review: Baby Ruby"
    assert (run.review.meta.review_type, run.review.meta.year) == ("rapid review", 2024)
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Background",), K.BACKGROUND),
        (("Why it matters",), K.OTHER),
        (("What happened",), K.AGENCY_INVOLVEMENT),
        (("What we learned",), K.LEARNING),
        (("Good practice",), K.GOOD_PRACTICE),
        (("What agencies will do",), K.ACTIONS),
        (("Questions for you",), K.OTHER),
    ]
    assert section_body(run, ("What happened",)).startswith("A GP saw Ruby at five weeks")


_CHILD_Y_LEARNING = ("Practice and organisational learning",)


def test_plain_text_headings_set_directly_over_their_text_are_sections() -> None:
    """Hard-wrapped text without blank lines under its headings: each heading is a section, the learning section's
    sub-headings nest under it after its one-sentence lead-in, a late "Appendix 1:" does not make the plain
    headings before it title-page lines, and Symbol-font bullets are bullets."""
    run = _read("child-y-child-practice-review.txt")
    assert run.review.meta.title == "Child Practice Review: Child Y"
    outline = [(s.path, s.kind) for s in run.sections]
    assert outline[:6] == [
        (("Brief outline of circumstances resulting in the Review",), K.BACKGROUND),
        (_CHILD_Y_LEARNING, K.LEARNING),
        ((*_CHILD_Y_LEARNING, "Hearing the child in her own language"), K.LEARNING),
        ((*_CHILD_Y_LEARNING, "A new adult in the household"), K.LEARNING),
        ((*_CHILD_Y_LEARNING, "Drift in the child protection plan"), K.LEARNING),
        (("Effective practice",), K.GOOD_PRACTICE),
    ]
    assert ("Improving Systems and Practice",) in [s.path for s in run.sections]
    assert "\uf0b7" not in run.review.text and "\u2022 Legal context from guidance" in run.review.text
    assert "language Child Y was seen" not in _quoted(run)  # no heading read on into its first sentence


def test_text_saved_one_paragraph_to_a_line_is_read_as_its_headings_and_paragraphs(tmp_path: Path) -> None:
    """Word's "Plain Text" export: no blank lines, each paragraph one long line; every line is a paragraph. The one
    labelled heading is an appendix's, after the report: the plain headings before it are still headings."""
    story = "Child U was nine when she was found alone at home by a neighbour, who called the police. " * 3
    finding = "The school knew that Child U was often late and hungry, but this was never shared with the GP. " * 3
    lines = [
        *("Learning Review: Child U", "What happened", story, "Findings", finding, "Recommendations"),
        "1. The partnership should ask schools to share concerns about hunger with the child's GP.",
        *("Appendix A: Terms of reference", "The review looked at the two years before Child U was found."),
    ]
    path = tmp_path / "child-u-learning-review.txt"
    path.write_bytes("\r\n".join(lines).encode())
    run = ingest(path)
    assert [(s.path, s.kind) for s in run.sections] == [
        (("What happened",), K.AGENCY_INVOLVEMENT),
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
        (("Appendix A: Terms of reference",), K.INTRODUCTION),  # an appendix's label leaves the plain headings be
    ]
    assert section_body(run, ("Findings",)) == finding.strip()


def test_children_named_by_number_are_the_subjects_of_their_own_sections() -> None:
    """ "Child 2" is a name, as "Child D" is: the heading keeps its number, and no bare number is an alias."""
    run = _read("thematic-review-neglect-of-young-children.md")
    assert [(s.name, s.aliases) for s in run.review.meta.subjects] == [
        ("Child 1", ()),
        ("Child 2", ()),
        ("Child 3", ()),
    ]
    assert [(s.path, s.child) for s in run.sections if s.child] == [
        (("The children", "Child 1"), "Child 1"),
        (("The children", "Child 2"), "Child 2"),
        (("The children", "Child 3"), "Child 3"),
    ]


def _ingest_text(path: Path, page: str) -> Ingested:
    """A web page or Markdown file written to `path` and read by the real ingest stages."""
    path.write_text(page, encoding="utf-8")
    return ingest(path)


def test_a_web_pages_feedback_box_is_no_section_and_its_publishers_name_beside_a_search_button_stays(
    tmp_path: Path,
) -> None:
    """ "Was this page helpful? Yes No" is the site's control, not the review's last section; the header's search
    button is the site's too, and the publisher's name beside it still names the partnership."""
    page = (
        "<html><head><title>Child Q review</title></head><body><header><div>Eastmoor Safeguarding Children "
        "Partnership</div><form><button>Search</button></form></header><main><h1>Rapid Review: Child Q</h1>"
        "<h2>Findings</h2><p>Child Q was placed out of area and the host police were not told.</p>"
        "<h2>Recommendations</h2><p>Placing authorities should notify the host police within five days.</p>"
        '<div class="feedback"><h2>Was this page helpful?</h2><button>Yes</button> <button>No</button>'
        "<p>Help us improve this website. Please don't include personal information.</p></div></main></body></html>"
    )
    run = _ingest_text(tmp_path / "child-q-rapid-review.html", page)
    assert [s.path for s in run.sections] == [("Findings",), ("Recommendations",)]
    assert "helpful" not in run.review.text
    assert run.review.meta.partnership == "Eastmoor Safeguarding Children Partnership"


def test_a_web_pages_author_is_its_own_details_lines_not_a_related_items_in_a_side_panel(tmp_path: Path) -> None:
    """The byline outside the main text is the page's line of details, one block to a line; a side panel's
    "Written by" belongs to another item."""
    body = "<main><h1>Rapid Review: Child Q</h1><h2>Findings</h2><p>Child Q was placed out of area.</p></main>"
    own = f'<div class="meta"><span>Author: Fiona Mack</span></div><div><a>Share</a></div>{body}'
    assert _ingest_text(tmp_path / "own.html", f"<html><body>{own}</body></html>").review.meta.author == "Fiona Mack"
    panel = "<aside><ul><li>Briefing: Child Q · Written by Kirsty Allan</li></ul></aside>"
    side = f"<html><body>{body}{panel}</body></html>"
    assert _ingest_text(tmp_path / "side.html", side).review.meta.author is None


def test_text_saved_as_notepads_unicode_is_read(tmp_path: Path) -> None:
    """UTF-16 with its byte-order mark (Notepad's "Unicode") is text, not "a binary file"."""
    path = tmp_path / "child-sorrel-rapid-review.txt"
    text = "Rapid Review: Child Sorrel\r\n\r\nBackground\r\n\r\nChild Sorrel, aged nine, was found alone at home.\r\n"
    path.write_bytes(text.encode("utf-16"))
    run = ingest(path)
    assert run.review.meta.title == "Rapid Review: Child Sorrel"
    assert section_body(run, ("Background",)) == "Child Sorrel, aged nine, was found alone at home."


def test_a_web_pages_collapsible_sections_are_its_sections(tmp_path: Path) -> None:
    """An accordion's toggles (a <summary>, a button that opens a panel) are the headings of its sections, at one
    level: the recommendations behind a button had run on into the findings. A menu button is not a section."""
    page = (
        '<html><body><header><button aria-expanded="false">Menu</button></header><main>'
        "<h1>Rapid Review: Child Pip</h1>"
        "<details open><summary><h2>Background</h2></summary><p>Child Pip, aged nine, was found in the street at"
        " night.</p></details>"
        "<details><summary>Findings</summary><p>No agency knew that her mother was her only carer.</p></details>"
        '<div><button aria-expanded="false">Recommendations</button><div hidden><ol><li>Adult mental health wards'
        " should ask every patient whether they care for a child.</li></ol></div></div></main></body></html>"
    )
    run = _ingest_text(tmp_path / "child-pip-rapid-review.html", page)
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Background",), K.BACKGROUND),
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]
    assert "Menu" not in run.review.text


def test_an_accordion_s_buttons_inside_headings_and_the_headings_inside_its_panels_keep_its_sections_level(
    tmp_path: Path,
) -> None:
    """A council page's accordion: a button inside each <h2> opens a panel with its own <h3> parts; a <details> item
    after it is a section at the accordion's level, not a part of the last panel."""
    page = (
        "<html><body><main><h1>Child Safeguarding Practice Review: Sasha</h1>"
        "<details open><summary>Background</summary><p>Sasha, aged 15, was looked after by Millbrook.</p></details>"
        '<div><h2><button aria-expanded="false" aria-controls="p3">Agency involvement</button></h2>'
        '<div id="p3" hidden><h3>Police</h3><p>Police found Sasha in another county.</p>'
        "<h3>Children's home</h3><p>Staff reported her missing six times.</p></div></div>"
        "<details><summary>What Sasha told us</summary><p>Sasha said the night staff waited up for her.</p></details>"
        "<details><summary>Recommendations</summary><ol><li>The police should share every missing report.</li></ol>"
        "</details></main></body></html>"
    )
    run = _ingest_text(tmp_path / "sasha-cspr.html", page)
    assert "#" not in "".join(p for s in run.sections for p in s.path)
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Background",), K.BACKGROUND),
        (("Agency involvement", "Police"), K.AGENCY_INVOLVEMENT),
        (("Agency involvement", "Children's home"), K.AGENCY_INVOLVEMENT),
        (("What Sasha told us",), K.VIEWS),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]


def test_a_web_pages_year_is_the_one_it_gives_itself_not_a_date_in_its_story(tmp_path: Path) -> None:
    """A page with no date in its markup, its headings bold paragraphs: the year is the page's own "March 2023",
    not August 2022, when the child was injured."""
    page = (
        "<html><head><title>LCSPR Child Reed</title></head><body><div id='content'>"
        "<p><strong>Local Child Safeguarding Practice Review: Child Reed</strong></p>"
        "<p>Fernley Safeguarding Children Partnership<br>March 2023</p><p><strong>Introduction</strong></p>"
        "<p>Child Reed, a boy of thirteen, was seriously injured in a fall from a bridge in August 2022 while being"
        " chased by older boys.</p><p><strong>Recommendations</strong></p><p>1. The police should tell the school of"
        " every missing episode of a pupil within one working day.</p></div></body></html>"
    )
    run = _ingest_text(tmp_path / "child-reed-lcspr.html", page)
    assert (run.review.meta.year, run.review.meta.partnership) == (2023, "Fernley Safeguarding Children Partnership")
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Introduction",), K.INTRODUCTION),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]


def test_a_web_pages_footnote_markers_do_not_run_into_its_words(tmp_path: Path) -> None:
    """A linked note marker, or a short one after a stop, is left out; a unit's power ("12 m2") is kept."""
    page = (
        "<html><body><main><h1>Review: Child M</h1><h2>Background</h2>"
        '<p>She took her mother\'s medication.<sup><a href="#fn1">1</a></sup> She was eleven.</p>'
        '<p>The family lived in one 12 m<sup>2</sup> room, and the school said it was "fine".<sup>2</sup></p>'
        "</main></body></html>"
    )
    text = _ingest_text(tmp_path / "child-m-review.html", page).review.text
    assert "medication. She was eleven." in text and "12 m2 room" in text and '"fine".' in text, text
    assert '"fine".2' not in text


def _coloured_headings_pdf(path: Path) -> Path:
    """A PDF whose only large line is its title; its headings are body-size lines in the house colour."""
    from reportlab.lib.colors import HexColor, black
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 72
    lines = [
        ("Rapid Review: Child Quill", 16), ("", 0), ("Hartfield Safeguarding Children Partnership, June 2024", 0),
        ("", 0), ("Background", 1), ("Child Quill, aged seven, was admitted to hospital in February 2024 with", 0),
        ("a broken arm and bruising to her back. She lived with her mother and her mother's partner.", 0),
        ("", 0), ("Recommendations", 1), ("1. Children's social care should hold a strategy discussion for every", 0),
        ("unexplained bruise on a child, whatever the explanation given.", 0),
    ]  # fmt: skip
    for text, style in lines:
        page.setFillColor(black if style == 0 else HexColor("#1F4E79"))
        page.setFont("Helvetica", style if style > 1 else 11)
        page.drawString(72, y, text)
        y -= 16 if text else 8  # a paragraph's gap
    page.save()
    return path


def test_a_pdfs_only_large_line_is_its_title_not_a_section_over_all_others(tmp_path: Path) -> None:
    run = ingest(_coloured_headings_pdf(tmp_path / "child-quill-rapid-review.pdf"))
    assert run.review.meta.title == "Rapid Review: Child Quill"
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Background",), K.BACKGROUND),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]


def test_pandoc_markdown_grid_tables_and_footnotes_are_read_as_a_reader_reads_them() -> None:
    """A grid table is one line per row, each cell named by its column (its borders had become sections, one per
    row); a footnote's mark leaves the sentence, and its note stays as a paragraph."""
    run = _read("child-hazel-lcspr.md")
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Summary",), K.SUMMARY),
        (("Agency contacts",), K.AGENCY_INVOLVEMENT),
        (("Findings",), K.FINDINGS),
        (("Notes",), K.OTHER),  # the footnote, numbered after the text, not a finding
    ]
    assert section_body(run, ("Notes",)) == "1. Hazel is a pseudonym chosen by the child."
    assert section_body(run, ("Agency contacts",)) == (
        "Agency: Police; Contacts: 4 missing episodes reported\n\nAgency: School; Contacts: 3 referrals to the MASH"
    )
    assert "Child Hazel was twelve" in run.review.text and "[^1]" not in run.review.text
    assert run.review.text.endswith("Hazel is a pseudonym chosen by the child.")


def test_numbered_notes_exported_to_text_are_left_out_where_the_notes_are_given(tmp_path: Path) -> None:
    """A word processor's "[3]" after a word is a note's reference (left out, never read as an answer's marker),
    and "[3] ..." on its own line the note (kept, without its number); with no note, a bracketed number stays."""
    text = (
        "# Rapid Review: Child W\n\n## Findings\n\nThe school did not make a referral.[1] The GP, as the panel "
        "found [2], did not ask.\n\nThe body map [7] was not shared.\n\n[1] The threshold says it should have.\n\n"
        "[2] See the panel's report.\n"
    )
    path = tmp_path / "child-w.md"
    path.write_text(text, encoding="utf-8")
    quoted = _quoted(ingest(path))
    assert "did not make a referral. The GP, as the panel found, did not ask." in quoted
    assert "The body map [7] was not shared." in quoted and "The threshold says it should have." in quoted
    assert "[1]" not in quoted and "[2]" not in quoted


_NOTION_MARKDOWN = """\
# Child Safeguarding Practice Review: Kai

> 💡 Riverside and Holt Safeguarding Partnership · Published February 2024

## Summary

Kai (a pseudonym chosen by his family) was 15 when he died in May 2023.

<details><summary>Terms of reference</summary>

- Was the National Referral Mechanism used appropriately?

</details>

## Findings

<details><summary>Finding 1: Exclusion increased risk</summary>

> The permanent exclusion removed Kai from a protective daily routine.

</details>
"""


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("4.1 The review identified the following findings:", None),  # a list's lead-in, numbered as a paragraph
        ("4.2 Recommendations include:", None),
        ("3.2 Agencies involved:", "Agencies involved"),
        ("2. Findings:", "Findings"),
    ],
)
def test_a_numbered_lead_in_to_a_list_is_no_heading(line: str, heading: str | None) -> None:
    parsed = parse_heading(line)
    assert (parsed.name if parsed else None) == heading


def test_an_appendix_in_capitals_divides_the_document_after_headings_numbered_in_roman() -> None:
    """A typed review's "APPENDIX A - GLOSSARY" after "V. CONCLUSION" is a top part of the document, not a part of
    its conclusion, as "Appendix A: Glossary" is."""
    text = (
        "I. INTRODUCTION\n\nJayden was fifteen when he was stabbed in a park near his home.\n\n"
        "V. CONCLUSION\n\nAgencies did not see the exploitation of Jayden soon enough.\n\n"
        "APPENDIX A - GLOSSARY\n\nCSE: child sexual exploitation.\n"
    )
    assert [s.path for s in find_outline(text).sections] == [
        ("INTRODUCTION",),
        ("CONCLUSION",),
        ("APPENDIX A - GLOSSARY",),
    ]
    parsed = parse_heading("APPENDIX A - GLOSSARY")
    assert parsed is not None and (parsed.style, parsed.level) == ("label:appendix", 1)


def test_a_notion_export_reads_its_toggles_as_headings_and_its_callouts_as_text(tmp_path: Path) -> None:
    """Notion writes a toggle as HTML '<details><summary>' and a callout as a block quote ('> 💡'): a reader sees
    a heading over the toggle's text and the callout's words, no tags or marks; its pseudonym, named by the
    title and said not to be the child's real name, is its subject."""
    path = tmp_path / "kai-cspr.md"
    path.write_text(_NOTION_MARKDOWN, encoding="utf-8")
    run = ingest(path)
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Summary",), K.SUMMARY),
        (("Summary", "Terms of reference"), K.INTRODUCTION),
        (("Findings", "Finding 1: Exclusion increased risk"), K.FINDINGS),
    ]
    quoted = _quoted(run)
    assert "<details>" not in quoted and "</details>" not in quoted and "<summary>" not in quoted
    assert "\nThe permanent exclusion removed Kai" in f"\n{quoted}" and "> " not in quoted
    assert [s.name for s in run.review.meta.subjects] == ["Kai"]


def _side_by_side(left: list[str], right: list[str], gutter: int = 50) -> str:
    """Two columns of lines as `pdftotext -layout` sets them, side by side."""
    rows = [(a, b) for a, b in zip(left + [""] * len(right), right + [""] * len(left), strict=False)]
    return "\n".join(f"{a:<{gutter}}{b}".rstrip() for a, b in rows[: max(len(left), len(right))])


_LEFT_COLUMN = [
    "1. Introduction", "", "1.1 Child T was a boy aged three years and", "four months who died in hospital on 18",
    "January 2017 from a head injury. His", "mother's partner was convicted.", "",
    "1.2 The Lowfield Local Safeguarding Children",
    "Board decided on 2 February 2017 that the", "criteria for a serious case review were met.",
]  # fmt: skip
_RIGHT_COLUMN = [
    "2. Findings", "", "2.1 Agencies did not ask who was living in the", "home. The presence of Mr D was not known",
    "to any professional working with the family.", "", "2.2 Police did not complete a risk assessment",
    "after the call in December 2016.",
]  # fmt: skip


def test_a_page_of_two_columns_side_by_side_is_read_column_by_column(tmp_path: Path) -> None:
    """`pdftotext -layout` sets a two-column page's columns side by side: read left, then right, the running
    header kept whole; and "1.2 The Lowfield ... Children" wrapping onto "Board decided ..." is a paragraph, as the
    page's other "1.1" paragraphs are, not a heading, nor is a line in which a sentence ends ("... injury. His")."""
    header = f"{'Lowfield Local Safeguarding Children Board':<65}Serious Case Review: Child T"
    page = f"{header}\n\n{_side_by_side(_LEFT_COLUMN, _RIGHT_COLUMN)}\n"
    path = tmp_path / "child-t-scr.txt"
    path.write_text(f"Serious Case Review: Child T\n\nLowfield Local Safeguarding Children Board\n\f{page}")
    run = ingest(path)
    assert [s.path for s in run.sections] == [("Introduction",), ("Findings",)]
    findings = section_body(run, ("Findings",))
    assert "2.1 Agencies did not ask who was living in the home. The presence of Mr D was not known" in findings
    intro = section_body(run, ("Introduction",))
    assert "1.2 The Lowfield Local Safeguarding Children Board decided on 2 February 2017" in intro
    assert "died in hospital on 18 January 2017 from a head injury. His mother's partner" in intro  # no heading


def test_a_table_or_prose_set_with_wide_spaces_is_not_read_as_columns() -> None:
    table = "\n".join(f"{d:<20}{e}" for d, e in [("12 January 2017", "Seen by the GP with a bruise to the cheek")] * 8)
    prose = "\n".join(["The review found that agencies did not share what they knew about the family."] * 8)
    assert side_by_side_columns(table) == table and side_by_side_columns(prose) == prose


def test_a_word_files_core_title_is_its_title_over_the_partnership_line(tmp_path: Path) -> None:
    lines = ("Kingsmere Safeguarding Children Partnership", "Overview report", "Published: May 2020", *_DOCX_BODY)
    run = ingest(_normal_docx(tmp_path / "child-w-scr.docx", "Serious Case Review: Child W", lines))
    assert run.review.meta.title == "Serious Case Review: Child W"
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Introduction",), K.INTRODUCTION),
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]


def test_a_word_files_title_line_under_its_partnership_line_beats_a_template_core_title(tmp_path: Path) -> None:
    lines = (
        "Kingsmere Safeguarding Children Partnership",
        "Local Child Safeguarding Practice Review: Young Person V",
        "Published: May 2020",
        *_DOCX_BODY,
    )
    path = _normal_docx(tmp_path / "Kingsmere  LCSPR -  YP V.docx", "Report template", lines)
    run = ingest(path)
    assert run.review.meta.title == "Local Child Safeguarding Practice Review: Young Person V"
    assert "Kingsmere Safeguarding Children Partnership" not in _quoted(run)  # the publisher line is metadata


def test_a_word_files_own_title_beats_a_title_property_a_template_left_behind(tmp_path: Path) -> None:
    """The title property "LCSPR report template v3" names a type of review too; the first page's title wins."""
    import docx

    document = docx.Document()
    document.core_properties.title = "LCSPR report template v3"
    document.add_paragraph("Local Child Safeguarding Practice Review: Child K", style="Title")
    for line in _DOCX_BODY:
        document.add_paragraph(line)
    path = tmp_path / "Child K LCSPR final.docx"
    document.save(str(path))
    assert ingest(path).review.meta.title == "Local Child Safeguarding Practice Review: Child K"
    specific = docx.Document()  # a property naming the child beats a page title naming none
    specific.core_properties.title = "Serious Case Review: Child T"
    specific.add_paragraph("Serious Case Review Overview Report", style="Title")
    for line in _DOCX_BODY:
        specific.add_paragraph(line)
    specific.save(str(path))
    assert ingest(path).review.meta.title == "Serious Case Review: Child T"


def test_a_title_naming_only_a_type_over_the_childs_name_is_one_title_naming_the_child(tmp_path: Path) -> None:
    """A cover's "Local Child Safeguarding Practice Review" over "Leo": the review is about Leo."""
    body = "Leo was 15 when he died. Leo's school knew. The Children Act 1989 applied. Leo told no one."
    path = tmp_path / "leo.md"
    cover = "## Marlowe Safeguarding Children Partnership\n\n# Local Child Safeguarding Practice Review\n\n# Leo\n\n"
    path.write_text(f"{cover}## Introduction\n\n{body}\n")
    run = ingest(path)
    assert run.review.meta.title == "Local Child Safeguarding Practice Review: Leo"
    assert [s.name for s in run.review.meta.subjects] == ["Leo"]
    assert [s.path for s in run.sections] == [("Introduction",)]


def _two_column_docx(path: Path, rows: list[tuple[str, str]], bold_first_row: bool) -> Path:
    """A Word review with a two-column table under its first heading: bold labels beside plain values (a form's
    details), or a bold header row over plain rows."""
    import docx

    document = docx.Document()
    document.add_paragraph("Rapid Review: Baby Oscar", style="Title")
    document.add_paragraph("Details", style="Heading 1")
    table = document.add_table(rows=len(rows), cols=2)
    for r, (left, right) in enumerate(rows):
        for c, text in enumerate((left, right)):
            table.cell(r, c).paragraphs[0].add_run(text).bold = (r == 0) if bold_first_row else (c == 0)
    document.add_paragraph("What happened?", style="Heading 1")
    document.add_paragraph("Oscar was brought to hospital with bruising.")
    document.save(str(path))
    return path


def test_a_word_forms_labels_beside_their_values_are_read_as_label_and_value(tmp_path: Path) -> None:
    """A rapid review form's details table has no header row: its first row is a label and a value like the rest
    ("Child's name (pseudonym): Oscar"), where it had named every other row's cells ("Child's name (pseudonym):
    Age at date of incident; Oscar: 11 weeks")."""
    import docx
    from docx.oxml.ns import qn

    rows = [("Child's name (pseudonym)", "Oscar"), ("Age at date of incident", "11 weeks"),
            ("Date of rapid review meeting", "17 April 2024")]  # fmt: skip
    text = ingest(_two_column_docx(tmp_path / "form.docx", rows, bold_first_row=False)).review.text
    assert "Child's name (pseudonym): Oscar\n" in text and "Date of rapid review meeting: 17 April 2024" in text
    stressed = _two_column_docx(tmp_path / "stressed.docx", [*rows, ("Is a review recommended?", "NO")], False)
    document = docx.Document(str(stressed))
    document.tables[0].cell(3, 1).paragraphs[0].runs[0].bold = True  # a value stressed in bold
    grid = document.tables[0]._tbl.find(qn("w:tblGrid"))
    grid.getparent().remove(grid)  # and a table with no grid, as some writers save one
    document.save(str(stressed))
    text = ingest(stressed).review.text
    assert "Child's name (pseudonym): Oscar\n" in text and "Is a review recommended?: NO" in text
    header = [("Agency", "Involvement"), ("Police", "Called nine times"), ("School", "Two referrals")]
    text = ingest(_two_column_docx(tmp_path / "table.docx", header, bold_first_row=True)).review.text
    assert "Agency: Police; Involvement: Called nine times" in text  # a header row names its columns
    dated = [("Date", "Event"), ("3 March 2022", "School refers"), ("9 March 2022", "Strategy discussion held")]
    chronology = _two_column_docx(tmp_path / "chronology.docx", dated, bold_first_row=False)  # dates in bold
    document = docx.Document(str(chronology))
    document.tables[0].cell(0, 1).paragraphs[0].runs[0].bold = True  # over a header row all in bold
    document.save(str(chronology))
    assert "Date: 3 March 2022; Event: School refers" in ingest(chronology).review.text


def test_a_file_name_title_has_single_spaces_and_keeps_its_capitals(tmp_path: Path) -> None:
    path = tmp_path / "Notes  on the  ABC_case.txt"
    path.write_text("Some notes written after a meeting about a family, with no title of their own.\n")
    assert ingest(path).review.meta.title == "Notes on the ABC case"


def test_plain_text_title_under_an_all_caps_partnership_line_and_lettered_underlined_sections() -> None:
    run = _read("young-person-m-lcspr.txt")
    assert run.review.meta.title == "Local Child Safeguarding Practice Review: Young Person M"
    meta = run.review.meta
    assert (meta.partnership, meta.year) == ("Thorney Marsh Safeguarding Children Partnership", 2022)
    assert _outline(run) == [
        (("Introduction",), K.INTRODUCTION, None),
        (("Terms of reference",), K.INTRODUCTION, None),
        (("Background",), K.BACKGROUND, None),
        (("Findings", "Return home interviews"), K.FINDINGS, None),  # plain sub-headings, both of them
        (("Findings", "Risk grading"), K.FINDINGS, None),
        (("Recommendations",), K.RECOMMENDATIONS, None),
    ]
    quoted = _quoted(run)
    assert "---" not in quoted
    assert "THORNEY MARSH" not in quoted
    assert "Lead reviewer: Hester Quayle\nPublished: June 2022" in run.review.text  # two lines, not one


def test_lettered_sections_without_underlines_and_a_byline_of_field_lines() -> None:
    run = _read("child-n-rapid-review.txt")
    assert run.review.meta.title == "Rapid Review: Child N"
    assert _outline(run) == [
        (("Summary",), K.SUMMARY, None),
        (("What happened",), K.AGENCY_INVOLVEMENT, None),
        (("Learning",), K.LEARNING, None),
        (("Immediate actions",), K.ACTIONS, None),
    ]
    assert "Author: Rhiannon Ellery\nPublished: October 2024" in run.review.text


def test_a_lone_lettered_line_is_not_read_as_a_lettered_heading() -> None:
    text = (
        "Rapid Review: Child X\n\n1. Introduction\n\nChild X was four when the review began.\n\n"
        "2. Findings\n\nThe nursery saw the bruise and recorded it.\n\nC. Holt\n\nLead reviewer, March 2023\n"
    )
    assert [s.path for s in find_outline(text).sections] == [("Introduction",), ("Findings",)]


def test_lettered_headings_in_parentheses_form_a_sequence() -> None:
    text = (
        "Learning Review: Child Y\n\n(a) Background\n\nChild Y was ten and lived with her aunt.\n\n"
        "(b) What we found\n\nNo agency asked Y what she wanted.\n"
    )
    assert [(s.path, s.kind) for s in find_outline(text).sections] == [
        (("Background",), K.BACKGROUND),
        (("What we found",), K.FINDINGS),
    ]


def test_setext_markdown_headings_comments_and_rules() -> None:
    run = _read("young-people-p-and-r-thematic-review.md")
    meta = run.review.meta
    assert meta.title == "Out of sight: a thematic review of exploitation in supported housing"
    assert (meta.review_type, meta.partnership, meta.year) == (
        "thematic review",
        "Harrowden Safeguarding Children Partnership",
        2025,
    )
    assert _outline(run) == [
        (("Why we looked at these two young people",), K.INTRODUCTION, None),
        (("Young Person P",), K.BACKGROUND, "Young Person P"),
        (("Young Person R",), K.BACKGROUND, "Young Person R"),
        (("What we found", "Finding 1: Supported housing staff were not told what to look for"), K.FINDINGS, None),
        (("What we found", "Finding 2: Visitors were not checked"), K.FINDINGS, None),
        (("Recommendations",), K.RECOMMENDATIONS, None),
    ]
    quoted = _quoted(run)
    for markup in ("---", "===", "<!--", "internal draft note", "partnership logo"):
        assert markup not in quoted, markup
    assert "<!--" not in run.review.text


def test_a_childs_own_section_named_by_a_one_word_pseudonym_is_that_childs_background() -> None:
    run = _read("children-sorrel-and-teasel-thematic-review.md")
    assert run.review.meta.title == "Thematic Review: Two Children Missing From Education"
    assert _outline(run) == [
        (("Why we looked at these two children",), K.INTRODUCTION, None),
        (("Sorrel",), K.BACKGROUND, "Sorrel"),
        (("Teasel",), K.BACKGROUND, "Teasel"),
        (("What we found",), K.FINDINGS, None),
    ]
    assert {chunk.child for chunk in run.chunks if "removed him from its roll" in chunk.text} == {"Teasel"}


def test_a_definition_lists_terms_stay_with_their_descriptions() -> None:
    run = _read("child-t-rapid-review.html")
    quoted = _quoted(run)
    assert (
        "- School nurse: The school nurse had one drop-in conversation with T about sleep. "
        "No follow-up appointment was offered."
    ) in quoted
    assert "- Youth offending service: The youth offending service had no contact with T or her family." in quoted
    assert not any(line.strip() in ("- School", "- School nurse") for line in quoted.split("\n"))


def test_a_definition_list_without_terms_or_descriptions_keeps_what_it_has() -> None:
    html = "<html><body><dl><dd>Only a description.</dd><dt>Term one</dt><dt>Term two</dt></dl></body></html>"
    page = definitions_as_items(html)
    assert "<li>Only a description.</li>" in page
    assert "<li>Term one / Term two</li>" in page


def test_a_rule_under_a_wrapped_paragraph_ends_it_and_is_not_a_heading() -> None:
    text = "Title\n=====\n\nA paragraph that wraps\nover two lines.\n----------\n\nNext.\n"
    assert underlined_headings(text) == "# Title\n\n\nA paragraph that wraps\nover two lines.\n\n\nNext.\n"


def _headings_without_text(n: int) -> str:
    """A heading with no text of its own over a sub-heading over a paragraph, over and over, each heading two
    made-up words."""
    rng = random.Random(n)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=6)).title()

    prose = "The child lived with her mother and was known to the health visitor."
    pairs = "".join(f"{word()} {word()}\n\n{word()} {word()}\n\n{prose} {word()}.\n\n" for _ in range(n // 100))
    return f"Review of practice\n\n{prose}\n\n{pairs}"


_CONTENTS_BODY = (
    "1. Introduction",
    "1.1 This review concerns Child U, who was injured in 2023.",
    "2. Findings",
    "2.1 The bruise was not referred.",
    "3. Recommendations",
    "3.1 Agencies should follow the bruising protocol.",
)


def test_a_contents_list_with_dot_leaders_is_no_part_of_the_review(tmp_path: Path) -> None:
    """ "2. Findings ........ 5" is the contents page's, not a heading over the whole review: its lines had become
    the top heading of every section, giving each the kind of the entry, and chunks quoting page numbers."""
    contents = ["Serious Case Review: Child U", "", "Contents", ""]
    contents += [f"{line} {'.' * 30} {page}" for page, line in enumerate(_CONTENTS_BODY[::2], start=3)]
    path = tmp_path / "child-u-scr.txt"
    path.write_text("\n".join([*contents, "", *(f"{line}\n" for line in _CONTENTS_BODY)]))
    run = ingest(path)
    assert [(s.path, s.kind) for s in run.sections] == [
        (("Introduction",), K.INTRODUCTION),
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]
    assert "....." not in run.review.text


def test_headings_at_the_level_of_an_empty_one_naming_a_kind_are_its_parts() -> None:
    """ "## Agency involvement" with no text, then "## Health visiting" and "## Children's social care" at the same
    level: the agencies' sections are agency involvement, as a reader takes them; a heading naming a kind ends it."""
    text = (
        "# Learning Review: Child Q\n\n## Background\n\nChild Q was two.\n\n## Agency involvement\n\n"
        "## Health visiting\n\nThe health visitor visited twice.\n\n## Children's social care\n\n"
        "A referral was closed after one visit.\n\n## Findings\n\nThe referral was not followed up.\n"
    )
    assert [(s.path, s.kind) for s in find_outline(text).sections] == [
        (("Background",), K.BACKGROUND),
        (("Agency involvement", "Health visiting"), K.AGENCY_INVOLVEMENT),
        (("Agency involvement", "Children's social care"), K.AGENCY_INVOLVEMENT),
        (("Findings",), K.FINDINGS),
    ]


def test_a_review_saved_from_an_email_is_read_without_the_email(tmp_path: Path) -> None:
    """The header fields and the covering note above "-----Original Message-----" are the email's: the title had
    been "From: Business Support <...>", and "Kind regards" part of the review."""
    email = (
        "From: Business Support <support@example.gov.uk>\nSent: 14 March 2024 16:02\nTo: Partnership list\n"
        "Subject: FW: LCSPR Child U - final report\n\nPlease find below the final text.\n\nKind regards\n"
        "Business Support\n\n-----Original Message-----\n\n"
    )
    path = tmp_path / "child-u-email.txt"
    path.write_text(email + "Serious Case Review: Child U\n\n" + "\n\n".join(_CONTENTS_BODY) + "\n")
    run = ingest(path)
    assert run.review.meta.title == "Serious Case Review: Child U"
    assert "Kind regards" not in run.review.text and "From:" not in run.review.text
    memo = "To: the Partnership\n\nThis review concerns Child U. It was written in 2023.\n"
    assert "To: the Partnership" in clean_pages([memo])[0]  # one field is not an email's header


def test_pandoc_markdown_is_read_as_its_words(tmp_path: Path) -> None:
    """Pandoc's attributes, fenced divs, spans and table captions are markup: not in headings, items or quotes."""
    text = (
        "# Rapid Review: Child U\n\n[Published by the Kingsmere partnership.]{.smallcaps}\n\n"
        "## 1 Findings {#sec-findings .unnumbered}\n\n::: {.callout-important}\nThe referral was not followed up.\n"
        ":::\n\n| Date | Event |\n|---|---|\n| May | Referral |\n\n: Table 1. Events {#tbl-events}\n\n"
        "## 2 Recommendations {#sec-recs}\n\nAgencies should follow up referrals.\n"
    )
    run = _ingest_text(tmp_path / "child-u.md", text)
    assert [(s.path, s.kind) for s in run.sections][-2:] == [
        (("Findings",), K.FINDINGS),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]
    assert not any(mark in run.review.text for mark in (":::", "{#", "{.", "Table 1. Events"))
    assert "Published by the Kingsmere partnership." in run.review.text


def test_html_in_markdown_reads_as_the_page_shows_it(tmp_path: Path) -> None:
    """Markdown allows raw HTML: a '<table>' reads as a table's rows, each cell named by its column; a '<br>' or
    two spaces ending a line break the line; inline tags are left out, their words kept."""
    text = (
        "# Review: Jaylen\n\n**Lead reviewer:** Ada Fairweather<br>\n**Published:** 28 February 2024\n\n"
        "## 1. Introduction\n\nJaylen was <strong>fifteen</strong>.  \nHe loved football.\n\n"
        "## 2. Recommendations\n\n<table>\n<tr><th>No.</th><th>Recommendation</th><th>Lead</th></tr>\n"
        "<tr><td>1</td><td>Schools should plan<br>before exclusion.</td><td>Education</td></tr>\n"
        "<tr><td>2</td><td>Police should assess threats.</td><td>Police</td></tr>\n</table>\n"
    )
    run = _ingest_text(tmp_path / "jaylen.md", text)
    assert (run.review.meta.author, run.review.meta.year) == ("Ada Fairweather", 2024)
    assert "<" not in run.review.text and "Jaylen was fifteen." in run.review.text
    assert "fifteen.\n\nHe loved" in run.review.text  # the line break the two spaces made
    recommendations = next(c.text for c in run.chunks if c.section_kind == K.RECOMMENDATIONS.value)
    assert "1. Schools should plan before exclusion. Lead: Education" in recommendations
    assert "2. Police should assess threats. Lead: Police" in recommendations


def test_a_heading_naming_the_child_is_the_childs_background(tmp_path: Path) -> None:
    text = (
        "# Local Child Safeguarding Practice Review: Jaylen\n\n## About Jaylen\n\nJaylen lived with his mother.\n\n"
        "## Jaylen's story\n\nHe was excluded in 2022.\n\n## Jaylen's mother's views\n\nShe felt unheard.\n"
    )
    assert [(s.path[-1], s.kind) for s in _ingest_text(tmp_path / "jaylen.md", text).sections] == [
        ("About Jaylen", K.BACKGROUND),
        ("Jaylen's story", K.BACKGROUND),
        ("Jaylen's mother's views", K.VIEWS),
    ]


def test_agency_involvement_with_a_lead_in_holds_the_agencies_headed_in_its_own_style(tmp_path: Path) -> None:
    """Every heading bold at body size: "Agency involvement", one sentence introducing it, then "Police" and
    "Health visiting" in the same style are its parts, as they are when it has no text of its own."""
    import docx

    document = docx.Document()
    document.add_paragraph("Learning Review: Child V", style="Title")
    for heading, body in [
        ("Background", "Child V lived with her father in a flat above a shop."),
        ("Agency involvement", "This section sets out what each agency knew."),
        ("Police", "Police attended the home twice in 2022 after reports of shouting."),
        ("Health visiting", "The health visitor saw Child V at her one-year review."),
        ("Findings", "Agencies did not share what they knew about the home."),
    ]:
        document.add_paragraph().add_run(heading).bold = True
        document.add_paragraph(body)
    path = tmp_path / "child-v.docx"
    document.save(str(path))
    assert [(s.path, s.kind) for s in ingest(path).sections] == [
        (("Background",), K.BACKGROUND),
        (("Agency involvement",), K.AGENCY_INVOLVEMENT),
        (("Agency involvement", "Police"), K.AGENCY_INVOLVEMENT),
        (("Agency involvement", "Health visiting"), K.AGENCY_INVOLVEMENT),
        (("Findings",), K.FINDINGS),
    ]


def test_plain_numbered_headings_under_numbered_marked_sections_are_their_parts(tmp_path: Path) -> None:
    """'## 3. Agency involvement' over a plain '3.1 Police' line: 3.1 is a part of section 3, one level below."""
    text = (
        "# Safeguarding Review: Child E\n\n## 3. Agency involvement\n\n3.1 Police\n\nEllis was arrested with "
        "cannabis packaged for sale.\n\n3.2 Health\n\nThe GP saw Ellis twice.\n\n## 4. Findings\n\n4.1 Escalation\n\n"
        "The school escalated its concerns twice.\n"
    )
    assert [(s.path, s.kind) for s in _ingest_text(tmp_path / "child-e.md", text).sections] == [
        (("Agency involvement", "Police"), K.AGENCY_INVOLVEMENT),
        (("Agency involvement", "Health"), K.AGENCY_INVOLVEMENT),
        (("Findings", "Escalation"), K.FINDINGS),
    ]


def test_a_short_last_section_does_not_take_the_next_heading_at_its_level_as_a_part(tmp_path: Path) -> None:
    """One recommendation, then "## Acknowledgements" at its level: the author's sibling, not a recommendation."""
    text = (
        "# Child Safeguarding Practice Review: Child G\n\n## Recommendations\n\nThe partnership should audit "
        "transfer-in conferences.\n\n## Acknowledgements\n\nThe reviewer thanks the family of Child G.\n"
    )
    assert [(s.path, s.kind) for s in _ingest_text(tmp_path / "child-g.md", text).sections] == [
        (("Recommendations",), K.RECOMMENDATIONS),
        (("Acknowledgements",), K.OTHER),
    ]


def test_a_numbered_bold_paragraph_among_numbered_heading_tags_is_at_their_level(tmp_path: Path) -> None:
    """A web page heading its findings <h3>4.1</h3>, <p><strong>4.2</strong></p>, <h3>4.3</h3>: all three are
    findings under "4. Findings", none a section of its own."""
    page = (
        "<html><body><article><h1>Rapid Review: Child Q</h1><h2>4. Findings</h2><h3>4.1 First finding</h3>"
        "<p>Agencies did not share information about the family at all.</p><p><strong>4.2 Second finding</strong></p>"
        "<p>The school did not refer the concerns it had to children's social care.</p><h3>4.3 Third finding</h3>"
        "<p>The police did not check the history of the adults in the household.</p><h2>5. Recommendations</h2>"
        "<p>The partnership should act on this learning.</p></article></body></html>"
    )
    assert [s.path for s in _ingest_text(tmp_path / "child-q.html", page).sections] == [
        ("Findings", "First finding"),
        ("Findings", "Second finding"),
        ("Findings", "Third finding"),
        ("Recommendations",),
    ]


def test_tool_made_markdown_icons_and_alert_types_are_not_its_headings(tmp_path: Path) -> None:
    """A GitHub alert ('> [!NOTE]') is a note's icon, not a heading over the review; an emoji before a section's
    number is an icon, not part of its name; a child's age after the title's name leaves the name."""
    text = (
        "# Rapid Review: Mila (aged 3)\n\n> [!NOTE]\n> Names have been changed.\n\n## \U0001f9ed 1. Background\n\n"
        "Mila lives with her mother. Mila goes to nursery.\n\n## \U0001f4dd 2. Recommendations\n\n"
        "1. The drug service should check the lockbox.\n"
    )
    run = _ingest_text(tmp_path / "mila.md", text)
    assert [(s.path, s.kind) for s in run.sections][-2:] == [
        (("Background",), K.BACKGROUND),
        (("Recommendations",), K.RECOMMENDATIONS),
    ]
    assert "[!NOTE]" not in run.review.text
    assert [s.name for s in run.review.meta.subjects] == ["Mila"]


def test_a_form_table_of_labels_beside_values_reads_label_by_label() -> None:
    """A Welsh panel chair's statement: 'Statement' beside a paragraph, 'Name' beside a name, 'Date' beside a date.
    The first row is content, not a header naming the columns; a table with a header still reads by it."""
    rows = [
        ["Statement", "I am satisfied that the report prepared by the reviewer fully represents the learning event."],
        ["Name (Print)", "Rhodri Howells"],
        ["Date", "18 December 2023"],
    ]
    assert table_lines(rows) == [
        "Statement: I am satisfied that the report prepared by the reviewer fully represents the learning event.",
        "Name (Print): Rhodri Howells",
        "Date: 18 December 2023",
    ]
    assert table_lines([["Date", "Agency"], ["May 2023", "Police"]]) == ["Date: May 2023; Agency: Police"]


def test_findings_then_recommendations_numbered_by_label_are_two_lists_side_by_side() -> None:
    """Plain text: "Finding 1", "Finding 2", then "Recommendation 1": the recommendations are not inside finding 2."""
    text = (
        "Review: Child Q\n\nFinding 1\n\nThe school did not refer.\n\nFinding 2\n\nThe GP did not ask.\n\n"
        "Recommendation 1\n\nSchools should refer.\n"
    )
    assert [s.path for s in find_outline(text).sections] == [("Finding 1",), ("Finding 2",), ("Recommendation 1",)]


def test_html_in_markdown_is_read_linearly() -> None:
    assert growth(html_in_markdown, lambda n: "<table><tr><td>a<br>b</td></tr>" * n + "x  \n" * n, 200) < LINEAR
    assert growth(html_in_markdown, lambda n: "a" + " " * n + "b\n", 2000) < LINEAR
    assert growth(html_in_markdown, lambda n: "<table" * n + "<br" * n + "<span " * n, 500) < LINEAR


def test_a_contents_list_is_a_run_of_entries_and_one_line_of_dots_is_the_texts() -> None:
    """Three entries or more, pages going up (an entry wrapped over two lines too), are a contents list; a line
    dotting out a date, or two rows of a form with leaders, are the review's words."""
    page = (
        "Contents\n\nSection 1 - Introduction ........ 3\nSection 2 - Scope and\nMethodology ........ 4\n"
        "Section 3 - Findings ........ 5\n\nSection 1 - Introduction\n\n1.1 The family had moved to Northby in "
        "..... 2019 and then left.\n\nNumber of A&E attendances ........ 6\nNumber of GP visits ........ 2\n"
    )
    cleaned = clean_pages([page])[0]
    assert "Scope" not in cleaned and "Findings" not in cleaned
    assert "moved to Northby in ..... 2019" in cleaned and "attendances ........ 6" in cleaned


def test_a_word_contents_field_is_no_part_of_the_review(tmp_path: Path) -> None:
    """Word's contents list (its "TOC 1" and "TOC Heading" styles) lists headings and pages, not sections."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("Serious Case Review: Child U", style="Title")
    if "TOC 1" not in [style.name for style in document.styles]:  # the blank document has "TOC Heading"
        document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Contents", style="TOC Heading")
    for page, line in enumerate(_CONTENTS_BODY[::2], start=3):
        document.add_paragraph(f"{line}\t{page}", style="TOC 1")
    for line in _CONTENTS_BODY:
        document.add_paragraph(line, style=None if line[2].isdigit() else "Heading 1")
    path = tmp_path / "child-u-scr.docx"
    document.save(str(path))
    run = ingest(path)
    assert [s.path for s in run.sections] == [("Introduction",), ("Findings",), ("Recommendations",)]
    assert "Contents" not in run.review.text


@pytest.mark.parametrize(
    "line",
    ["He waited... 3", "The figure rose to 2019", ".......... 5", "Costs rose by 4...5", "Section 1 ..... 12345"],
)
def test_prose_and_dots_without_an_entry_and_a_page_number_are_no_contents_line(line: str) -> None:
    assert not is_contents_line(line)


@pytest.mark.parametrize(
    ("function", "make"),
    [
        (underlined_headings, lambda n: "Heading\n" + "-" * n + "\n"),
        (underlined_headings, lambda n: "- " * (n // 2) + "x\n" + "=" * n),
        (without_comments, lambda n: "<!--" * (n // 4)),
        (without_comments, lambda n: "<!-- a -->" * (n // 10)),
        (parse_heading, lambda n: "A. " + "Word " * (n // 5)),
        (lambda text: clean_pages([text]), lambda n: "Author: A\n" * (n // 10)),
        (lambda text: clean_pages([text]), lambda n: "Label: " + "a:" * (n // 2)),
        (definitions_as_items, lambda n: "<dl>" + "<dt>a</dt><dd>b</dd>" * (n // 20) + "</dl>"),
        (lambda text: extract_meta(text, None, "Review"), lambda n: "Ab-" * (n // 3)),
        (lambda text: find_outline(text + "\n\nSome text."), lambda n: "AB-" * (n // 3)),  # a publisher line?
        (lines_as_paragraphs, lambda n: ("x" * 300 + "\n") * (n // 301)),
        (readable_tables, lambda n: "+--+\n" + "| a |\n" * (n // 6)),  # one grid row of a megabyte
        (notes_apart, lambda n: "[^" * (n // 2)),
        (notes_apart, lambda n: "[^1]: a\n" + "    b\n" * (n // 6)),  # one note of many indented lines
        (without_numbered_notes, lambda n: "[1] x\n" + "a.[1]" * (n // 5)),
        (without_numbered_notes, lambda n: "[1] x\n" + "[" * n),
        (details_as_headings, lambda n: "<summary>" + "<details>" * (n // 9)),
        (details_as_headings, lambda n: "## a\n<summary>x</summary>\n" * (n // 25)),
        (without_quote_marks, lambda n: "> " * (n // 2)),
        (side_by_side_columns, lambda n: ("a" * 25 + " " * 25 + "b" * 25 + "\n") * (n // 76)),
        (find_outline, _headings_without_text),  # a heading with none over a sub-heading, over and over
        (side_by_side_columns, lambda n: "a" * 25 + "   " + "b " * (n // 2)),
        (accordions_as_headings, lambda n: "<main>" + "<details><summary>S</summary><p>t</p></details>" * (n // 45)),
        (without_note_markers, lambda n: "<p>" + 'a.<sup><a href="#n">1</a></sup>' * (n // 30) + "</p>"),
        (lambda text: clean_pages([text]), lambda n: "\nHeading\nText" * (n // 13)),  # headings over text
        (lambda text: find_outline(text), lambda n: "Findings\n\nLead in.\n\nSub heading\n\n" * (n // 40)),
        (is_contents_line, lambda n: "a" + ". " * (n // 2) + "1"),  # one long leader
        (without_pandoc_markup, lambda n: "[" * (n // 2) + "]{" * (n // 4)),  # spans and braces never closed
        (without_pandoc_markup, lambda n: "# a " + "{#" * (n // 2)),
        (lambda text: clean_pages([text]), lambda n: "From: a\nTo: b\n" * (n // 14)),  # header fields, no end
        (lambda text: clean_pages([text]), lambda n: "a ........ 1\n" * (n // 13)),  # a contents list, line on line
    ],
)
def test_new_layout_readers_are_linear_on_a_hostile_megabyte(function, make) -> None:  # type: ignore[no-untyped-def]
    function(make(MEGABYTE))  # a megabyte of it is read, not refused or hung on
    assert growth(function, make, 20_000) < LINEAR


def test_the_fixtures_folder_holds_only_what_its_readme_describes() -> None:
    readme = (FIXTURES / "README.md").read_text()
    for path in FIXTURES.iterdir():
        assert path.name == "README.md" or f"`{path.name}`" in readme, path.name


@pytest.fixture(scope="module")
def house_styles(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    """Every house-style fixture in one index, with the real model and Chroma."""
    lines = ("Kingsmere Safeguarding Children Partnership", "Overview report", "Published: May 2020", *_DOCX_BODY)
    built = {
        "child-w-scr.docx": lambda path: _normal_docx(path, "Serious Case Review: Child W", lines),
        "Child Z CPR.docx": _boxed_docx,
        "7MB Baby Ruby.docx": _briefing_docx,
    }
    return index_reviews(tmp_path_factory.mktemp("house-styles"), FIXTURES, built, real_embedder)


@pytest.mark.integration
def test_answers_quote_a_definition_term_with_its_description(house_styles: Casewise) -> None:
    answer = house_styles.ask("What did the school nurse do for Child T?")
    quotes = [c.quote for c in answer.citations if "drop-in conversation" in c.quote]
    assert quotes and all(q.startswith("School nurse: ") for q in quotes), answer.text


@pytest.mark.integration
def test_answers_on_underlined_layouts_quote_no_rules_and_name_the_documents_title(house_styles: Casewise) -> None:
    answer = house_styles.ask("What were the recommendations of the Young Person M review?")
    assert {c.review_id for c in answer.citations} == {"young-person-m-lcspr"}, answer.text
    quoted = " ".join(c.quote for c in answer.citations)
    assert "return home interview is offered" in quoted and "risk grading" in quoted, answer.text
    assert {c.review_title for c in answer.citations} == {"Local Child Safeguarding Practice Review: Young Person M"}
    assert {c.section_label for c in answer.citations} == {"Recommendations"}
    for question in ("What did Young Person P's key worker record?", "Who visited R in her flat?"):
        answer = house_styles.ask(question)
        assert answer.citations and not any(m in answer.text for m in ("---", "===", "<!--")), answer.text
        assert {c.review_title for c in answer.citations} == {
            "Out of sight: a thematic review of exploitation in supported housing"
        }


@pytest.mark.integration
def test_a_review_named_by_a_quoted_pseudonym_is_summarised_and_listed_as_the_childs(house_styles: Casewise) -> None:
    """The title's pseudonym in single quotes is the subject: the review is found by it, summarised in its own
    words, and its recommendations table listed row by row without its header."""
    brief = house_styles.ask("Summarise the Maisie review")
    assert brief.text.startswith("The Maisie review, in brief:"), brief.text
    assert "four years old" in brief.citations[0].quote
    assert "Learning point 1:" in brief.text and "It makes 4 recommendations" in brief.text
    listed = house_styles.ask("What were the recommendations of the Maisie review?")
    quotes = [c.quote for c in listed.citations]
    assert len(quotes) == 4 and quotes[0].startswith("Health visiting and early years services"), listed.text
    assert not any("Recommendation" in q and "Agency" in q for q in quotes)  # no header row


@pytest.mark.integration
def test_a_theme_asked_about_in_words_the_review_uses_is_answered_not_refused(house_styles: Casewise) -> None:
    """No cue of the "school exclusion" theme is in this corpus, but "attendance" is: the evidence answers."""
    answer = house_styles.ask("What was Jayden's school attendance?")
    assert not answer.abstained and "attendance" in answer.citations[0].quote, answer.text
    listed = house_styles.ask("What were the recommendations of the Jayden review?")
    assert [c.quote.split()[:3] for c in listed.citations] == [
        ["The", "panel", "recommends"],
        ["The", "panel", "also"],
        ["Finally,", "the", "panel"],
    ], listed.text


@pytest.mark.integration
def test_a_word_form_of_boxes_answers_from_its_sections(house_styles: Casewise) -> None:
    """Wales's template: its actions listed when recommendations are asked for, its good practice found, and a
    school named in Welsh ("Ysgol ...") given as the school's name."""
    listed = house_styles.ask("What were the recommendations of the Child Z review?")
    assert listed.text.startswith("The actions of the Child Z review (it has no recommendations section):")
    assert [c.quote.split()[:2] for c in listed.citations] == [["The", "Board"], ["Children's", "services"]]
    school = house_styles.ask("Which school did Child Z attend?")
    assert "Ysgol Gynradd Bryn Celyn" in school.citations[0].quote, school.text
    well = house_styles.ask("What went well for Child Z?")
    assert well.citations and "daily log" in well.citations[0].quote, well.text


@pytest.mark.integration
def test_plain_text_headings_over_their_text_answer_lists_of_their_kind(house_styles: Casewise) -> None:
    """The learning of a review whose sub-headings sit directly over their text lists each learning point, and its
    "Improving systems and practice" actions answer a request for its recommendations."""
    learning = house_styles.ask("What is the learning from the Child Y review?")
    headed = [c.section_path[-1] for c in learning.citations]
    assert "Hearing the child in her own language" in headed and "Drift in the child protection plan" in headed
    listed = house_styles.ask("What were the recommendations of the Child Y review?")
    assert len(listed.citations) == 4 and listed.citations[0].quote.startswith("The RSCB should seek"), listed.text


@pytest.mark.integration
def test_a_briefings_boxes_answer_from_their_kinds(house_styles: Casewise) -> None:
    """What agencies will do answers a request for the briefing's recommendations, and its learning is its own."""
    listed = house_styles.ask("What were the recommendations of the Baby Ruby review?")
    assert listed.text.startswith("The actions of the Baby Ruby review (it has no recommendations section):")
    assert [c.quote for c in listed.citations] == [
        "GP practices will audit their use of the bruising protocol within six months."
    ]
    learning = house_styles.ask("What is the learning from the Baby Ruby review?")
    assert [c.section_path for c in learning.citations] == [("What we learned",)], learning.text


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What did the Child Y review say about the police?", "police"),
        ("What did the Jayden review say about school?", "school"),
        ("What does the Maisie review say about the health visitor?", "health visitor"),
    ],
)
def test_what_a_named_review_says_about_a_topic_opens_on_the_topic(
    house_styles: Casewise, question: str, topic: str
) -> None:
    """The review's name frames the question: "the review considered ..." does not answer it for its words."""
    answer = house_styles.ask(question)
    assert topic in answer.citations[0].quote.lower(), answer.text


@pytest.mark.integration
def test_a_child_named_by_number_is_answered_and_one_no_review_names_is_not(house_styles: Casewise) -> None:
    """Child 3's age as the review gives it ("a boy of eighteen months"); Child 4, a sibling the review names but
    is not about, is not a child the reviews do not cover; Child 5, whom no review names, is."""
    age = house_styles.ask("How old was Child 3?")
    assert "a boy of eighteen months" in age.citations[0].quote, age.text
    sibling = house_styles.ask("What did Child 4 tell the teacher?")
    assert not sibling.abstained and "no food at home" in sibling.citations[0].quote, sibling.text
    unknown = house_styles.ask("What happened to Child 5?")
    assert unknown.abstained and "do not cover Child 5" in unknown.text, unknown.text


@pytest.mark.integration
def test_a_question_about_the_reviews_of_a_type_is_answered_from_those_reviews(house_styles: Casewise) -> None:
    """ "What did the thematic reviews find?" lists the findings of thematic reviews only, not of every review."""
    answer = house_styles.ask("What did the thematic reviews find?")
    thematic = {r for r, meta in house_styles.review_index().items() if meta.review_type == "thematic review"}
    assert answer.citations and {c.review_id for c in answer.citations} <= thematic, answer.text
    named = house_styles.ask("List the recommendations of the neglect thematic review")
    assert {c.review_id for c in named.citations} == {"thematic-review-neglect-of-young-children"}, named.text


@pytest.mark.integration
def test_a_summary_opens_on_the_sentence_its_childrens_names_lean_on(house_styles: Casewise) -> None:
    """ "They are referred to as Child 1, Child 2 and Child 3." needs the sentence before it; and the review is
    named by the word of its title before its type ("the neglect thematic review"), not asked about neglect."""
    answer = house_styles.ask("Summarise the neglect thematic review")
    assert answer.text.startswith("Thematic Review: Neglect of Young Children in Brackenfield, in brief:"), answer.text
    assert answer.citations[0].quote.startswith("1.1 This thematic review looks at three young children"), answer.text
