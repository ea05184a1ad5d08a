"""Read .txt, .md, .pdf, .docx and .html files into text with a page map; headings become markdown lines."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest import limits
from ingest.errors import DocumentError
from ingest.models import LoadedText

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
    pages = text.split("\f")  # form feeds from pdftotext-style exports mark page breaks
    return _join_pages(pages)


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
    sizes = [size for lines in page_lines for _, size, _, _ in lines]
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
    """(text, font size, all bold, top) for each visual line of a PDF page."""
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=True)
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(lines[-1][-1]["top"] - word["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [
        (
            _bullet_glyph(" ".join(w["text"] for w in line)),
            max(w["size"] for w in line),
            all("bold" in w["fontname"].lower() for w in line),
            line[0]["top"],
        )
        for line in lines
    ]


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
    from docx.oxml.ns import qn
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise DocumentError(str(path), f"not a readable DOCX ({type(exc).__name__}); re-save it from Word") from exc
    pages: list[list[str]] = [[]]
    for paragraph in document.paragraphs:
        breaks = paragraph._p.findall(".//" + qn("w:br"))
        if any(br.get(qn("w:type")) == "page" for br in breaks) and pages[-1]:
            pages.append([])
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        pages[-1].extend(["", *_docx_line(style, text), ""])
    return _join_pages(["\n".join(lines) for lines in pages])


def _docx_line(style: str, text: str) -> list[str]:
    if style == "Title":
        return [f"# {text}"]
    match = re.match(r"Heading (\d)", style)
    if match:
        return [f"{'#' * min(int(match.group(1)) + 1, 6)} {text}"]
    if style.startswith("List"):
        return [f"- {text}"]
    return [text]


def _load_html(path: Path, data: bytes) -> LoadedText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    lines: list[str] = []
    if soup.title and soup.title.string and not soup.find("h1"):
        lines += [f"# {soup.title.string.strip()}", ""]
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        text = " ".join(element.get_text(" ").split())
        if not text or (element.name == "p" and element.find_parent("li")):
            continue
        if element.name.startswith("h"):
            lines += ["", f"{'#' * int(element.name[1])} {text}", ""]
        elif element.name == "li":
            lines.append(f"- {text}")
        else:
            lines += ["", text, ""]
    return LoadedText(pages=("\n".join(lines),))


_LOADERS: dict[str, Callable[[Path, bytes], LoadedText]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
}
