"""Turn a loaded document into a Review: cleaned text, page map, outline and metadata."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from core.models import LoadedText, Review, Section, SectionKind
from core.text import ends_sentence
from ingest.cleaning import clean_pages
from ingest.metadata import apply_sidecar, extract_meta, names_review_type
from ingest.sections import find_outline
from ingest.subjects import find_subjects, named_children, names_a_subject, section_children

_TAGS = re.compile(r"<[^>]+>")


def review_id_for(path: Path) -> str:
    """A readable, stable id from the file name: 'Child M (SCR).pdf' -> 'child-m-scr'."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "review"


def file_title(path: Path) -> str:
    """The title a file's name gives, when the document states none: 'Child_M - SCR.pdf' -> 'Child M SCR',
    'child-m-scr.txt' -> 'Child m scr' (single spaces; capitals as written)."""
    title = " ".join(path.stem.replace("_", " ").replace("-", " ").split())
    return title[:1].upper() + title[1:] or "Review"


def build_review(path: Path, loaded: LoadedText) -> tuple[Review, tuple[Section, ...]]:
    """Clean the pages, join them, and find the title, sections and metadata."""
    first_line = next((ln for ln in loaded.text.split("\n") if ln.strip()), "")
    title_guess = _TAGS.sub("", first_line).strip().lstrip("#").strip() or None
    pages = clean_pages(list(loaded.pages), title_guess)
    text, starts = _join(pages)
    outline = find_outline(text)
    fallback = file_title(path)
    hints = dict(loaded.hints)
    stated = hints.pop("properties_title", None)  # a Word file's title property, which a template may leave behind
    shown = outline.title or ""  # the title its first page shows wins, unless only the property names the child
    if stated and (not names_review_type(shown) or (named_children(stated) and not named_children(shown))):
        hints["title"] = stated
    title = hints.get("title") or outline.title
    subjects = find_subjects(title, (name for s in outline.sections for name in s.path), text)
    meta = apply_sidecar(extract_meta(text, outline.title, fallback, subjects, hints), path)
    children = section_children([s.path for s in outline.sections], meta.subjects)
    naming = names_a_subject([s.path[-1] if s.path else "" for s in outline.sections], meta.subjects)
    sections = tuple(
        _with_child(s, child, named) for s, child, named in zip(outline.sections, children, naming, strict=True)
    )
    review = Review(review_id=review_id_for(path), meta=meta, source_path=str(path), text=text, page_starts=starts)
    return review, sections


def _with_child(section: Section, child: str | None, named: bool) -> Section:
    """The section with the child it is about; a child's own section whose headings name no kind ('Ash' in a
    thematic review), or one whose heading names the child ('About Jaylen', 'Jaylen's story'), is the child's
    background, as a heading naming a child is."""
    kind = SectionKind.BACKGROUND if (child or named) and section.kind is SectionKind.OTHER else section.kind
    return replace(section, child=child, kind=kind)


def _join(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Pages joined by a blank line, or by a space where a sentence runs on over the break (the page ends mid-
    sentence and the next opens in lower case: "... epilepsy. The" over "practice did not know ..."); page i starts
    at starts[i] (an empty page starts where the next does)."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for page in pages:
        if parts and page:
            parts.append(" " if _runs_on(parts[-1], page) else "\n\n")
            pos += len(parts[-1])
        starts.append(pos)
        if page:
            parts.append(page)
            pos += len(page)
    return "".join(parts), tuple(starts)


def _runs_on(before: str, page: str) -> bool:
    """Whether the page before ends mid-sentence (not on a heading's line) and this page goes on with it."""
    last = before[before.rfind("\n") + 1 :]
    return page[:1].islower() and not last.startswith("#") and not ends_sentence(last)
