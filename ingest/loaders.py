"""Read .txt, .md, .pdf, .docx and .html files into text with a page map; headings become markdown lines."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from core.errors import DocumentError
from core.models import LoadedText
from core.text import bullet_glyph
from ingest import limits
from ingest.aligned_tables import aligned_tables
from ingest.docx_text import docx_pages
from ingest.html_text import html_text
from ingest.margin_headings import margin_headings
from ingest.markdown_lists import ordered_lists_renumbered
from ingest.metadata import names_review_type
from ingest.pdf_text import document_lines, page_texts
from ingest.text_layout import (
    details_as_headings,
    html_in_markdown,
    lines_as_paragraphs,
    notes_apart,
    readable_tables,
    side_by_side_columns,
    split_front_matter,
    underlined_headings,
    with_notes,
    without_comments,
    without_numbered_notes,
    without_pandoc_markup,
    without_quote_marks,
)

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


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
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # Notepad's "Unicode", with its mark
    unmarked = "" if utf16 else _unmarked_utf16(data[:8192])
    if not utf16 and not unmarked and b"\x00" in data[:8192]:
        raise DocumentError(str(path), "looks like a binary file, not text; export the review as .txt, .pdf or .docx")
    encoding, name = ("utf-16", "valid UTF-16") if utf16 else ("utf-8-sig", "UTF-8")
    if unmarked:
        encoding, name = unmarked, "valid UTF-16"
    try:
        return data.decode(encoding).replace("\x00", "")  # a stray NUL past the start: no character a reader sees
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path), f"is not {name} text (bad byte at offset {exc.start}); re-save it with UTF-8 encoding"
        ) from exc


UTF16_SHARE = 0.9  # of a text's characters, the share with a NUL beside them on one side (ASCII in UTF-16)


def _unmarked_utf16(head: bytes) -> str:
    """UTF-16 saved without its byte-order mark, told by its NULs: English text in UTF-16 has a NUL after (little-
    endian) or before (big-endian) nearly every character; '' when the bytes are not that."""
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return ""
    even_nul = head[0 : pairs * 2 : 2].count(0)
    odd_nul = head[1 : pairs * 2 : 2].count(0)
    few = (1 - UTF16_SHARE) * pairs  # "Ā" (U+0100) puts a NUL on the other side
    if odd_nul >= UTF16_SHARE * pairs and even_nul < few:
        return "utf-16-le"
    if even_nul >= UTF16_SHARE * pairs and odd_nul < few:
        return "utf-16-be"
    return ""


def _load_text(path: Path, data: bytes) -> LoadedText:
    text = _decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(map(bullet_glyph, text.split("\n")))  # pdftotext writes a Symbol-font bullet as U+F0B7
    text, hints = split_front_matter(text)
    text = without_numbered_notes(text)
    markdown = path.suffix.lower() == ".md"
    notes: list[str] = []
    if markdown:
        text = html_in_markdown(without_quote_marks(details_as_headings(without_pandoc_markup(without_comments(text)))))
        text, notes = notes_apart(text)
        text = ordered_lists_renumbered(text)
    text = with_notes(readable_tables(underlined_headings(text, tables_ruled=not markdown)), notes)
    if not markdown:  # in Markdown, lines without a blank between them are one paragraph, however long
        text = lines_as_paragraphs(side_by_side_columns(aligned_tables(margin_headings(text))))
    # form feeds from pdftotext-style exports mark page breaks
    pages = text.split("\f")
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
            page_lines = document_lines(pdf.pages)
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        # pdfplumber wraps pdfminer's error in its own PdfminerException; the original is its first argument
        if any(isinstance(e, PDFPasswordIncorrect) for e in (exc, *exc.args)):
            raise DocumentError(str(path), "PDF is password-protected; save an unprotected copy") from exc
        raise DocumentError(
            str(path), f"not a readable PDF ({type(exc).__name__}); re-export or re-download it"
        ) from exc
    pages = page_texts(page_lines)
    return _join_pages(pages)


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
    # not a template's default; and the page's own title comes first (build_review): a property may be left over
    hints = (("properties_title", " ".join(title.split())),) if names_review_type(title) else ()
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
