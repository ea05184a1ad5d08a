"""Where a quote sits, said the way its document allows: pages for paged documents, else section and paragraph."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.models import Review, Section
from core.text import pages_label

PAGED_SUFFIXES = (".pdf", ".docx")
# A paragraph ends at a blank line; a list item (bullet or number) starts a paragraph of its own.
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+|\n(?=[ \t]*(?:[-*•–]|\d{1,3}[.)])[ \t])")


def has_pages(review: Review | None) -> bool:
    """True when page numbers mean something: a paged source (PDF, DOCX) or more than one page found."""
    if review is None:
        return False
    return review.page_count > 1 or review.source_path.lower().endswith(PAGED_SUFFIXES)


def section_at(sections: Sequence[Section], start: int, end: int) -> Section | None:
    """The section holding text[start:end] (the one it overlaps most)."""
    best, overlap = None, 0
    for section in sections:
        shared = min(end, section.end) - max(start, section.start)
        if shared > overlap:
            best, overlap = section, shared
    return best


def paragraph_number(text: str, section: Section, start: int) -> int:
    """1-based number of the paragraph or list item of `section` in which offset `start` falls."""
    body = text[section.start : max(section.start, min(start, section.end))]
    first = len(body) - len(body.lstrip())  # breaks before the first words do not start a paragraph
    return 1 + sum(1 for m in _PARAGRAPH_BREAK.finditer(body) if m.start() > first)


def where(review: Review | None, sections: Sequence[Section], start: int, end: int, pages: Sequence[int]) -> str:
    """'page 3' for a paged document; 'paragraph 2' (of its section) otherwise."""
    if has_pages(review):
        return pages_label(pages)
    section = section_at(sections, start, end)
    if review is None or section is None:
        return "paragraph unknown"
    return f"paragraph {paragraph_number(review.text, section, start)}"
