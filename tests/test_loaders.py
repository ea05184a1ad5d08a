"""PDF, DOCX and HTML versions of a review ingest to the same sections as its text, with the right pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import RUNNING_TITLE, YPF, write_docx, write_html, write_pdf, ypf_outline

from ingest.chunking import chunk_review
from ingest.errors import DocumentError
from ingest.loaders import _bullet_glyph, load
from ingest.models import Chunk, Review, Section
from ingest.normalise import build_review

LABELS = ["Background", "Family Circumstances", "Learning (1 of 2)", "Learning (2 of 2)"]
BULLETS_PER_SECTION = [5, 3, 6, 6]
PAGE_LINE = re.compile(r"^\s*(?:page\s*)?\d+(?:\s*of\s*\d+)?\s*$", re.IGNORECASE)
BULLET_LINE = re.compile(r"^[-•] \S")


def _ingested(path: Path) -> tuple[Review, tuple[Section, ...], list[Chunk]]:
    review, sections = build_review(path, load(path, 10_000_000))
    return review, sections, chunk_review(review, sections)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    outline = ypf_outline()
    return {
        "pdf": write_pdf(folder / "ypf-pdf.pdf", outline),
        "docx": write_docx(folder / "ypf-docx.docx", outline),
        "html": write_html(folder / "ypf-html.html", outline),
    }


def test_the_built_pdf_really_has_running_furniture_on_every_page(documents: dict[str, Path]) -> None:
    import pdfplumber

    with pdfplumber.open(documents["pdf"]) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert text.splitlines()[0] == RUNNING_TITLE
        assert f"Page {number}" in text.splitlines()


def test_the_built_docx_has_a_running_header_and_heading_styles(documents: dict[str, Path]) -> None:
    import docx

    document = docx.Document(str(documents["docx"]))
    assert document.sections[0].header.paragraphs[0].text == RUNNING_TITLE
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "List Bullet"} <= styles


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_other_formats_give_the_same_sections_as_the_text(documents: dict[str, Path], fmt: str) -> None:
    _, txt_sections, _ = _ingested(YPF)
    review, sections, chunks = _ingested(documents[fmt])
    assert [s.label for s in txt_sections] == LABELS
    assert [s.label for s in sections] == LABELS
    assert review.title == RUNNING_TITLE
    assert (review.meta.subject, review.meta.review_type) == ("Young Person F", "rapid review")
    for section, bullets in zip(sections, BULLETS_PER_SECTION, strict=True):
        lines = review.text[section.start : section.end].split("\n")
        assert len([ln for ln in lines if BULLET_LINE.match(ln)]) == bullets, section.label
    for chunk in chunks:
        assert chunk.text == review.text[chunk.start : chunk.end]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_no_running_title_or_page_number_lines_reach_the_text(documents: dict[str, Path], fmt: str) -> None:
    review, _, _ = _ingested(documents[fmt])
    lines = review.text.split("\n")
    assert review.text.count(RUNNING_TITLE) == 1
    assert lines[0] == f"# {RUNNING_TITLE}"
    assert not [ln for ln in lines if PAGE_LINE.match(ln)]
    assert "\n\n\n" not in review.text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_sections_and_chunks_report_the_pages_they_are_on(documents: dict[str, Path], fmt: str) -> None:
    review, sections, chunks = _ingested(documents[fmt])
    assert review.page_count == 4
    assert [review.pages_for(s.start, s.end) for s in sections] == [(1,), (2,), (3,), (4,)]
    family = [c for c in chunks if c.section_label == "Family Circumstances"]
    assert family and all(c.pages == (2,) for c in family)
    assert {c.pages for c in chunks if c.section_label == "Learning (2 of 2)"} == {(4,)}


def test_the_pdf_keeps_each_wrapped_bullet_on_one_line(documents: dict[str, Path]) -> None:
    review, _, _ = _ingested(documents["pdf"])
    assert (
        "• Though Young Person F denied the suspicions they were the victim of a life-threatening assault by "
        "other young people in the community resulting in physical injuries and emotional trauma shared by "
        "other family members." in review.text.split("\n")
    )
    assert "(cid:" not in review.text


def test_html_site_chrome_is_dropped(documents: dict[str, Path]) -> None:
    review, _, _ = _ingested(documents["html"])
    for chrome in ("Home", "Cookie policy", "var x", "Safeguarding Partnership website", "Site | Reviews"):
        assert chrome not in review.text


def test_form_feeds_in_a_text_export_are_page_breaks(tmp_path: Path) -> None:
    path = tmp_path / "child-k.txt"
    path.write_text(
        "Serious Case Review: Child K\n\nBackground\n\nK lived with his father.\n\f"
        "Findings\n\nThe GP was not told.\n\fRecommendations\n\n- Tell the GP.\n",
        encoding="utf-8",
    )
    review, sections, chunks = _ingested(path)
    assert [(s.label, review.pages_for(s.start, s.end)) for s in sections] == [
        ("Background", (1,)),
        ("Findings", (2,)),
        ("Recommendations", (3,)),
    ]
    assert [c.pages for c in chunks] == [(1,), (2,), (3,)]


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
    assert _bullet_glyph(line) == expected


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
    pdf.drawString(72, 700, "Serious Case Review: Child M")
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError) as err:
        load(path, 10_000_000)
    assert str(err.value) == f"{path}: PDF is password-protected; save an unprotected copy"
