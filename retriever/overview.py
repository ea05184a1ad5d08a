"""A review in brief, in its own words: what happened (the opening sentences naming its child), each finding or
learning point as it opens, and how many recommendations it makes.

Built from the section kinds and subjects of the index, so it reads a review of any layout the same way; every
line but the framing ones quotes the review verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.models import Chunk, ReviewMeta, SectionKind
from core.text import SENTENCE_END, any_of
from core.units import Unit, span, split_units
from ingest.catalog import Catalog
from retriever.extractive import leans_back
from retriever.models import Citation, Draft, cite
from retriever.units import Item, list_items

OPENING_SENTENCES = 3  # of the paragraph that first names the child: who the child is and what happened
MAX_POINTS = 8  # findings or learning points shown; the rest are counted
# Sections telling the story, where a review introduces its child; and those holding what it concluded, the first
# kind that has any items.
STORY_KINDS = (SectionKind.SUMMARY, SectionKind.INTRODUCTION, SectionKind.BACKGROUND, SectionKind.AGENCY_INVOLVEMENT)
POINT_KINDS = (SectionKind.LEARNING, SectionKind.FINDINGS)
# "The review identified five areas of learning.", "The review makes six findings.": a count, not a point (general
# English: a subject, a verb of setting out, a number, a noun and nothing more).
_ANNOUNCES_COUNT = re.compile(
    r"^(?:the|this) (?:review|report|panel)(?: has)? (?:identified|identifies|makes|made|sets out|set out|found|has) "
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) [\w -]{1,40}\.$",
    re.I,
)


def overview(
    catalog: Catalog, reviews: Sequence[tuple[str, ReviewMeta, str]], answerer: str
) -> tuple[Draft, list[Chunk]]:
    """Each review (its id, metadata and name for the reader) in brief, one after another, and the chunks quoted."""
    blocks: list[str] = []
    citations: list[Citation] = []
    quoted: list[Chunk] = []

    def quote(unit: Unit) -> str:
        citations.append(cite(len(citations) + 1, unit))
        quoted.append(unit.chunk)
        return f"{unit.text} [{len(citations)}]"

    for review_id, meta, name in reviews:
        lines = [f"{name[0].upper()}{name[1:]}, in brief:"]
        opening = opening_passage(catalog, review_id, meta)
        if opening is not None:
            lines.append(quote(opening))
        kind, items = _points(catalog, review_id)
        if items:
            shown = _labelled_when_some_are(_without_count_lines(_one_per_heading(items)))
            lines.append(f"\nIts {kind.value.replace('_', ' ')}:")
            for item in shown[:MAX_POINTS]:
                heading = f"{item.heading}\n" if item.heading else ""
                lines.append(f"{heading}{item.label or '-'} {quote(_first_sentence(item))}")
            if len(shown) > MAX_POINTS:
                lines.append(f"… and {len(shown) - MAX_POINTS} more (ask for the {kind.value} of {name}).")
        recommendations = list_items(catalog.chunks_of_kind(SectionKind.RECOMMENDATIONS.value, [review_id]))
        if recommendations:
            count = len(recommendations)
            lines.append(
                f"\nIt makes {count} recommendation{'s' if count > 1 else ''}: ask for the recommendations of "
                f"{name} to see {'them' if count > 1 else 'it'}."
            )
        blocks.append("\n".join(lines))
    draft = Draft(text="\n\n".join(blocks), citations=tuple(citations), answerer=answerer)
    return draft, list({id(c): c for c in quoted}.values())


def opening_passage(catalog: Catalog, review_id: str, meta: ReviewMeta) -> Unit | None:
    """The first sentence of the story sections that names one of the review's children, with the sentences after
    it in its paragraph (up to OPENING_SENTENCES); the story's first sentence when none names a child."""
    chunks: list[Chunk] = []
    for kind in STORY_KINDS:
        chunks += catalog.chunks_of_kind(kind.value, [review_id])
    chunks.sort(key=lambda c: (c.section_ordinal, c.part))
    names = {n for s in meta.subjects for n in s.names}
    naming = any_of(names) if names else None
    units = [u for c in chunks for u in split_units(c)]
    first = next((i for i, u in enumerate(units) if naming is None or naming.search(u.text)), 0 if units else None)
    if first is None:
        return None
    before = units[first - 1] if first else None
    if before is not None and _same_paragraph(before, units[first]) and leans_back(units[first].text, before.text):
        first -= 1  # "They are referred to as Child 1, Child 2 and Child 3." opens on the sentence it leans on
    begin = units[first]
    end = begin
    for unit in units[first + 1 : first + OPENING_SENTENCES]:
        if not _same_paragraph(end, unit):
            break  # the paragraph ends
        end = unit
    return span(begin.chunk, begin.start, end.end, begin.is_bullet)


def _same_paragraph(before: Unit, unit: Unit) -> bool:
    """Whether a sentence follows another in the same paragraph (same chunk, no line break, not a bullet)."""
    gap = before.chunk.text[before.end - before.chunk.start : unit.start - before.chunk.start]
    return unit.chunk.chunk_id == before.chunk.chunk_id and not unit.is_bullet and "\n" not in gap


def _points(catalog: Catalog, review_id: str) -> tuple[SectionKind, list[Item]]:
    """The items of the first kind of POINT_KINDS the review has items of."""
    for kind in POINT_KINDS:
        items = list_items(catalog.chunks_of_kind(kind.value, [review_id]))
        if items:
            return kind, items
    return POINT_KINDS[0], []


def _one_per_heading(items: list[Item]) -> list[Item]:
    """The items, but only the first under each numbered sub-heading: the heading states the point."""
    out: list[Item] = []
    for item in items:
        if not item.heading and out and out[-1].heading and not item.label:
            continue  # a later paragraph under the same sub-heading
        out.append(item)
    return out


def _without_count_lines(items: list[Item]) -> list[Item]:
    """The items less a sentence announcing how many follow ("The review identified five areas of learning."):
    it is no point of its own."""
    return [item for item in items if not _ANNOUNCES_COUNT.match(_first_sentence(item).text)] or items


def _labelled_when_some_are(items: list[Item]) -> list[Item]:
    """The items the review labels ("Finding 1:", "Theme 2:", "7.3"), when it labels at least two and not all:
    the others are the analysis around them ("H's missing episodes were treated as ...")."""
    labelled = [item for item in items if item.label or item.heading]
    return labelled if 2 <= len(labelled) < len(items) else items


def _first_sentence(item: Item) -> Unit:
    """The item up to the end of its first sentence."""
    unit = item.unit
    match = SENTENCE_END.search(unit.text)
    if match is None:
        return unit
    return span(unit.chunk, unit.start, unit.start + match.start() + len(match.group(0).rstrip()), unit.is_bullet)
