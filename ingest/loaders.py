"""Read .txt, .md, .pdf, .docx and .html files into text with a page map; headings become markdown lines."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import DocumentError
from core.models import LoadedText
from ingest import limits
from ingest.docx_text import docx_pages, table_lines
from ingest.html_text import html_text
from ingest.markdown_lists import ordered_lists_renumbered
from ingest.metadata import names_review_type
from ingest.text_layout import readable_tables, split_front_matter, underlined_headings, without_comments

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
TABLE_ROW = -1.0  # the font size a PDF table row is given: it is set apart as its own line


def load(path: Path, max_bytes: int) -> LoadedText:
    """Load one document, or raise DocumentError naming the file, the reason and the fix."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise DocumentError(
            str(path), f"unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                str(path),
                f"file is {_mb(size)} MB, over the {_mb(max_bytes)} MB limit; split it or raise CASEWISE_MAX_FILE_MB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file ({exc.strerror}); check it exists and is readable") from exc
    if not data.strip():
        raise DocumentError(str(path), "file is empty; remove it or replace it with the review's text")
    limits.check(path, data, max_bytes)
    try:
        loaded = loader(path, data)
    except DocumentError:
        raise
    except Exception as exc:  # a parser library's own error on a damaged part nobody foresaw (found by fuzzing)
        raise DocumentError(str(path), f"cannot be read ({type(exc).__name__}); re-save or re-export it") from exc
    if not loaded.text.strip():
        raise DocumentError(str(path), "no text could be extracted (a scanned PDF?); run OCR on it first")
    return loaded


def _mb(size: int) -> str:
    """Bytes as megabytes, precise enough to tell a file from a tiny limit: '50', '0.0035', '0.00366'."""
    megabytes = size / 1e6
    return f"{megabytes:.0f}" if megabytes >= 100 else f"{megabytes:.3g}"


def _decode_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise DocumentError(str(path), "looks like a binary file, not text; export the review as .txt, .pdf or .docx")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path), f"is not UTF-8 text (bad byte at offset {exc.start}); re-save it with UTF-8 encoding"
        ) from exc


def _load_text(path: Path, data: bytes) -> LoadedText:
    text = _decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n")
    text, hints = split_front_matter(text)
    if path.suffix.lower() == ".md":
        text = ordered_lists_renumbered(without_comments(text))
    # form feeds from pdftotext-style exports mark page breaks
    pages = readable_tables(underlined_headings(text)).split("\f")
    return LoadedText(pages=tuple(pages), hints=hints)


def _join_pages(pages: list[str]) -> LoadedText:
    return LoadedText(pages=tuple(pages))


def _load_pdf(path: Path, data: bytes) -> LoadedText:
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_count(path, len(pdf.pages), limits.MAX_PAGES, "pages")
            page_lines = [_pdf_lines(page) for page in pdf.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        # pdfplumber wraps pdfminer's error in its own PdfminerException; the original is its first argument
        if any(isinstance(e, PDFPasswordIncorrect) for e in (exc, *exc.args)):
            raise DocumentError(str(path), "PDF is password-protected; save an unprotected copy") from exc
        raise DocumentError(
            str(path), f"not a readable PDF ({type(exc).__name__}); re-export or re-download it"
        ) from exc
    sizes = [size for lines in page_lines for _, size, _, _ in lines if size != TABLE_ROW]
    if not sizes:
        return LoadedText(pages=())
    body = statistics.median(sizes)
    heading_sizes = sorted(
        {round(s, 1) for lines in page_lines for _, s, bold, _ in lines if s > body * 1.15 or bold},
        reverse=True,
    )
    pages = [_pdf_page_text(lines, body, heading_sizes) for lines in page_lines]
    return _join_pages(pages)


def _pdf_lines(page: Any) -> list[tuple[str, float, bool, float]]:
    """(text, font size, all bold, top) for each visual line of a PDF page; a table is one line per row."""
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=True)
    tables = page.find_tables()
    words = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
    rows = [(line, t.bbox[1] + i * 0.01) for t in tables for i, line in enumerate(_table_rows(t))]
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(lines[-1][-1]["top"] - word["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    text_lines = [
        (
            _bullet_glyph(" ".join(w["text"] for w in line)),
            max(w["size"] for w in line),
            all("bold" in w["fontname"].lower() for w in line),
            line[0]["top"],
        )
        for line in lines
    ]
    return sorted(text_lines + [(text, TABLE_ROW, False, top) for text, top in rows], key=lambda line: line[3])


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _table_rows(table: Any) -> list[str]:
    rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
    return table_lines(rows)


_UNMAPPED_BULLET = re.compile(r"^(?:\(cid:\d+\)|[\uf0a7\uf0b7])\s")


def _bullet_glyph(line: str) -> str:
    """A glyph pdfminer cannot map ('(cid:127)') or a Symbol-font bullet opening a line is a bullet: '• '."""
    return _UNMAPPED_BULLET.sub("• ", line)


def _pdf_page_text(lines: list[tuple[str, float, bool, float]], body: float, heading_sizes: list[float]) -> str:
    out: list[str] = []
    gaps = [b[3] - a[3] for a, b in zip(lines, lines[1:], strict=False) if b[3] > a[3]]
    spacing = statistics.median(gaps) if gaps else body * 1.2
    previous_top = None
    for text, size, bold, top in lines:
        if size == TABLE_ROW:
            out.extend(["", text, ""])
            previous_top = top
            continue
        is_heading = (size > body * 1.15 or (bold and len(text) < 80)) and not re.match(r"^[-•●▪]\s", text)
        if previous_top is not None and (is_heading or top - previous_top > spacing * 1.4):
            out.append("")
        if is_heading:
            level = heading_sizes.index(round(size, 1)) + 1 if round(size, 1) in heading_sizes else len(heading_sizes)
            out.extend([f"{'#' * min(level, 6)} {text}", ""])
        else:
            out.append(text)
        previous_top = top
    return "\n".join(out)


def _load_docx(path: Path, data: bytes) -> LoadedText:
    import io
    import zipfile

    import docx
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise DocumentError(str(path), f"not a readable DOCX ({type(exc).__name__}); re-save it from Word") from exc
    title = (document.core_properties.title or "").strip()
    hints = (("title", " ".join(title.split())),) if names_review_type(title) else ()  # not a template's default
    return LoadedText(pages=tuple(docx_pages(document)), hints=hints)


def _load_html(path: Path, data: bytes) -> LoadedText:
    text, hints = html_text(data)
    return LoadedText(pages=(readable_tables(text),), hints=hints)


_LOADERS: dict[str, Callable[[Path, bytes], LoadedText]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
}
