"""PDF, Word and web-page reviews, each written for its layout, ingest to the outline a reader sees in them."""

from __future__ import annotations

import re
from pathlib import Path

import builders
import pytest
from layouts import (
    BINARY_AND_WEB,
    BOLD_PARAGRAPH_DOCX,
    FONT_SIZE_PDF,
    HEADING_STYLES_DOCX,
    RUNNING_TITLE_PDF,
    WEB_PAGE,
    Ingested,
    Layout,
    assert_outline,
    ingest,
    section_body,
)

from core.errors import DocumentError
from core.models import SectionKind as K
from core.text import bullet_glyph
from ingest.html_text import ordered_labels
from ingest.loaders import load

PAGE_LINE = re.compile(r"^\s*(?:page\s*)?\d+(?:\s*of\s*\d+)?\s*$", re.IGNORECASE)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    return {layout.file_name: layout.write(folder) for layout in BINARY_AND_WEB}


@pytest.fixture(scope="module")
def ingested(documents: dict[str, Path]) -> dict[str, Ingested]:
    return {name: ingest(path) for name, path in documents.items()}


def test_the_built_pdfs_really_have_their_furniture(documents: dict[str, Path]) -> None:
    import pdfplumber

    with pdfplumber.open(documents[RUNNING_TITLE_PDF.file_name]) as pdf:
        pages = [page.extract_text().splitlines() for page in pdf.pages]
        bold = {c["size"] for c in pdf.pages[0].chars if "Bold" in c["fontname"]}
    assert len(pages) == 3
    for number, lines in enumerate(pages, start=1):
        assert lines[0] == builders.CHILD_U_RUNNING
        assert lines[-1] == f"Page {number} of 3"
    assert bold >= {20, 14}
    with pdfplumber.open(documents[FONT_SIZE_PDF.file_name]) as pdf:
        fonts = {(c["fontname"], c["size"]) for page in pdf.pages for c in page.chars}
    assert {name for name, _ in fonts} == {"Helvetica"}  # headings differ by size alone
    assert {round(size) for _, size in fonts} == {18, 14, 12, 10, 8}


def test_the_built_docx_files_have_their_styles_and_runs(documents: dict[str, Path]) -> None:
    import docx

    styled = docx.Document(str(documents[HEADING_STYLES_DOCX.file_name]))
    assert styled.sections[0].header.paragraphs[0].text == builders.BABY_V_HEADER
    styles = {p.style.name for p in styled.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "List Number"} <= styles
    assert [[c.text for c in row.cells] for row in styled.tables[0].rows] == [list(r) for r in builders.BABY_V_TABLE]
    plain = docx.Document(str(documents[BOLD_PARAGRAPH_DOCX.file_name]))
    assert {p.style.name for p in plain.paragraphs if p.style is not None} == {"Normal"}


@pytest.mark.parametrize("layout", BINARY_AND_WEB, ids=lambda layout: layout.file_name)
def test_each_layout_gives_its_outline(ingested: dict[str, Ingested], layout: Layout) -> None:
    assert_outline(ingested[layout.file_name], layout)


@pytest.mark.parametrize("layout", BINARY_AND_WEB, ids=lambda layout: layout.file_name)
def test_no_page_number_lines_and_chunks_are_exact_slices(ingested: dict[str, Ingested], layout: Layout) -> None:
    run = ingested[layout.file_name]
    assert not [line for line in run.review.text.split("\n") if PAGE_LINE.match(line)]
    assert "\n\n\n" not in run.review.text
    assert run.chunks
    for chunk in run.chunks:
        assert chunk.text == run.review.text[chunk.start : chunk.end]


def test_sections_and_chunks_report_the_pdf_pages_they_are_on(ingested: dict[str, Ingested]) -> None:
    run = ingested[RUNNING_TITLE_PDF.file_name]
    assert run.review.page_count == 3
    assert [(s.name, run.review.pages_for(s.start, s.end)) for s in run.sections] == [
        ("Introduction", (1,)),
        ("Background", (1,)),
        ("Health visiting", (2,)),
        ("Police", (2,)),
        ("Learning", (3,)),
        ("Immediate actions", (3,)),
    ]
    by_section = {c.section_label: c.pages for c in run.chunks}
    assert by_section["Agency involvement > Police"] == (2,)
    assert by_section["Learning"] == (3,)


def test_a_docx_page_break_is_a_page(ingested: dict[str, Ingested]) -> None:
    run = ingested[HEADING_STYLES_DOCX.file_name]
    assert run.review.page_count == 2
    pages = {s.path: run.review.pages_for(s.start, s.end) for s in run.sections}
    assert pages[("Agency involvement", "Summary of contacts")] == (1,)
    assert pages[("Findings", "Advice was given but not checked")] == (2,)


def test_a_wrapped_pdf_bullet_is_one_line(ingested: dict[str, Ingested]) -> None:
    lines = section_body(ingested[RUNNING_TITLE_PDF.file_name], ("Learning",)).split("\n")
    assert builders.CHILD_U_LONG_BULLET in lines
    assert "(cid:" not in ingested[RUNNING_TITLE_PDF.file_name].review.text


def test_a_word_table_is_kept_as_readable_rows_in_its_section(ingested: dict[str, Ingested]) -> None:
    table = section_body(ingested[HEADING_STYLES_DOCX.file_name], ("Agency involvement", "Summary of contacts"))
    lines = table.split("\n")
    for row in builders.BABY_V_TABLE:
        in_order = re.compile(".*".join(re.escape(cell) for cell in row))
        assert [line for line in lines if in_order.search(line)], row


def test_bold_run_in_phrases_stay_in_their_paragraph(ingested: dict[str, Ingested]) -> None:
    findings = section_body(ingested[BOLD_PARAGRAPH_DOCX.file_name], ("Findings",))
    assert re.search(r"Home visits\.\W* Most visits by the family support worker", findings)
    assert re.search(r"Health checks\.\W* Z's missed health checks", findings)


def test_web_page_chrome_is_dropped(ingested: dict[str, Ingested]) -> None:
    text = ingested[WEB_PAGE.file_name].review.text
    for chrome in ("Accept all cookies", "Training courses", "Accessibility statement", "analyticsId", "position:"):
        assert chrome not in text


def test_form_feeds_in_a_text_export_are_page_breaks(tmp_path: Path) -> None:
    path = tmp_path / "child-k.txt"
    path.write_text(
        "Serious Case Review: Child K\n\nBackground\n\nK lived with his father.\n\f"
        "Findings\n\nThe GP was not told.\n\fRecommendations\n\n- Tell the GP.\n",
        encoding="utf-8",
    )
    run = ingest(path)
    assert [(s.label, run.review.pages_for(s.start, s.end)) for s in run.sections] == [
        ("Background", (1,)),
        ("Findings", (2,)),
        ("Recommendations", (3,)),
    ]
    assert [c.pages for c in run.chunks] == [(1,), (2,), (3,)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("(cid:127) Mum declined an interpreter.", "• Mum declined an interpreter."),
        ("\uf0b7 Dad interpreted.", "• Dad interpreted."),
        ("(cid:3)Not a bullet", "(cid:3)Not a bullet"),
        ("Aged 12 (cid:127) odd glyph", "Aged 12 (cid:127) odd glyph"),
    ],
)
def test_unmapped_pdf_bullet_glyphs_become_bullets(line: str, expected: str) -> None:
    assert bullet_glyph(line) == expected


def test_a_pdf_without_text_asks_for_ocr(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scanned.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 400, 600, fill=1)  # a page that is only a picture
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError) as err:
        load(path, 10_000_000)
    assert str(err.value) == f"{path}: no text could be extracted (a scanned PDF?); run OCR on it first"


def test_a_password_protected_pdf_says_so(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    pdf.drawString(72, 700, "Serious Case Review: Child K")
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError) as err:
        load(path, 10_000_000)
    assert str(err.value) == f"{path}: PDF is password-protected; save an unprotected copy"


@pytest.mark.parametrize(
    ("kind", "start", "values", "labels"),
    [
        ("a", None, [None, None, None], ["a.", "b.", "c."]),
        ("I", "3", [None, None], ["III.", "IV."]),
        ("1", "7", [None, "12", None], ["7.", "12.", "13."]),  # an item's value restarts the count
        ("i", None, [None] * 14, ["i.", "ii.", "iii.", "iv.", "v.", "vi.", "vii.", "viii.", "ix.", "x.", "xi.", "xii.",
                                  "xiii.", "xiv."]),
        ("a", "x", [None], ["a."]),  # a start that is no number is ignored, as a browser ignores it
    ],
)  # fmt: skip
def test_an_ordered_list_is_labelled_as_a_browser_numbers_it(
    kind: str, start: str | None, values: list[str | None], labels: list[str]
) -> None:
    assert ordered_labels(kind, start, values) == labels


def test_a_page_numbering_its_lists_its_own_way_keeps_its_labels(tmp_path: Path) -> None:
    page = tmp_path / "child-q.html"
    page.write_text(
        "<html><head><title>Rapid Review: Child Q</title></head><body><main><h1>Rapid Review: Child Q</h1>"
        "<p>Child Q is a baby who was found with a bruise to her ear by her childminder in May 2025.</p>"
        "<h2>Recommendations</h2><ol type='a'><li>The partnership should write to every childminder.</li>"
        "<li>Health visitors should ask who else looks after the baby.</li></ol>"
        "<h2>Actions</h2><p>6. The police checked the household on the same day.</p></main></body></html>",
        encoding="utf-8",
    )
    text = load(page, 10**6).text
    assert "a. The partnership should write to every childminder." in text.split("\n")
    assert "b. Health visitors should ask who else looks after the baby." in text.split("\n")
    assert "6. The police checked the household on the same day." in text.split("\n")


def test_a_word_web_page_is_read_in_its_encoding_with_its_bookmarked_headings_and_its_own_title(tmp_path: Path) -> None:
    """Word's "Save as Web Page" declares windows-1252, wraps each heading in a bookmark ('<a name="_Toc1">'),
    spaces with &nbsp; and may keep a template's <title>: the text reads as written, every heading stays, and the
    title the page shows (its type of review over the child's quoted name) is the review's."""
    body = (
        "<p class=MsoNormal><b>Kestrel Bay Safeguarding Children Partnership</b></p>"
        "<p class=MsoTitle>Child Safeguarding Practice Review</p><p class=MsoNormal>\u2018Mason\u2019</p>"
        '<h1><a name="_Toc1">1.&nbsp;Introduction</a></h1>'
        "<p class=MsoNormal>Mason\u2019s mother was prescribed methadone. Mason was six when he swallowed it.</p>"
        '<p class=MsoNormal><b><a name="_Toc2">2.&nbsp;Recommendations</a></b></p>'
        "<p class=MsoNormal>1.&nbsp;The GP should ask where medicines are kept. Mason\u2019s school agreed.</p>"
    )
    page = tmp_path / "mason.htm"
    page.write_bytes(
        (
            '<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252">'
            f"<title>LSCB Overview Report Template v2</title></head><body>{body}</body></html>"
        ).encode("cp1252")
    )
    run = ingest(page)
    text = run.review.text
    assert "Mason\u2019s mother was prescribed methadone." in text and "\ufffd" not in text and "\u00a0" not in text
    assert [s.path[-1] for s in run.sections if s.kind in (K.INTRODUCTION, K.RECOMMENDATIONS)] == [
        "Introduction",
        "Recommendations",
    ]
    assert (run.review.meta.title, run.review.meta.subject) == ("Child Safeguarding Practice Review: Mason", "Mason")


def test_a_word_web_pages_note_marker_is_printed_as_the_page_shows_it_not_escaped(tmp_path: Path) -> None:
    rows = "".join(
        f"<p class=MsoNormal>1.{n} The school wrote to the father {n} times asking for an inhaler.</p>"
        for n in range(2, 9)
    )
    page = tmp_path / "ciaran.htm"
    page.write_text(
        "<html><body><div class=WordSection1><p class=MsoNormal><b>1. Introduction</b></p><p class=MsoNormal>The "
        'coroner found that this contributed to the death.<a href="#_ftn1" name="_ftnref1"><span '
        f"class=MsoFootnoteReference>[1]</span></a></p>{rows}</div></body></html>"
    )
    text = ingest(page).review.text
    assert "contributed to the death.[1]" in text.replace(" [1]", "[1]") and "\\" not in text


def test_a_stray_nul_past_a_texts_start_is_left_out_not_indexed(tmp_path: Path) -> None:
    path = tmp_path / "child-q.md"
    path.write_bytes(b"# Review: Child Q\n\n" + b"Child Q was seen. " * 600 + b"The GP\x00 saw her.\n")
    assert "The GP saw her." in "".join(load(path, 1_000_000).pages)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_saved_without_its_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    """Windows tools save "Unicode" text without the mark too: the NUL beside each character tells it, not a binary."""
    path = tmp_path / "child-q.txt"
    path.write_bytes("Review: Child Q\n\nChild Q was seen by the GP in May 2020 \u2019.\n".encode(encoding))
    assert "Child Q was seen by the GP in May 2020" in load(path, 1_000_000).pages[0]
