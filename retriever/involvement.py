"""Which agencies were involved with a child: the parts of a review's agency-involvement section, each named by its
heading (an agency or service: "Maternity", "Police", "Children's social care") with its opening sentence quoted.

Built from the section kinds of the index, so it reads any layout that sets out agency involvement agency by agency
("Summary of agency involvement" over "Maternity", "Health visiting", ...); a review that tells it as one story has
no such parts, and the question is answered from its passages as any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from core.models import Chunk, SectionKind
from core.units import Unit, split_units
from ingest.catalog import Catalog
from ingest.kinds import heading_kind, names_organisation
from retriever.models import Citation, Draft, cite

# "Which agencies were involved with Baby N?", "What services had contact with the family?" (general English).
ASKS_INVOLVED = re.compile(
    r"\b(?:which|what)\s+(?:other\s+)?(?:agencies|services|organisations|organizations|professionals|teams)\b"
    r"[^?]{0,60}?\b(?:involved|involvement|contact|worked with|knew)\b",
    re.I,
)
MIN_PARTS = 2  # one part is a section, not a set of agencies


def involvement_parts(catalog: Catalog, review_id: str, children: Sequence[str] = ()) -> list[list[Chunk]]:
    """The review's agency-involvement sub-sections, each under a heading naming agency involvement and naming no
    kind of section of its own ("Agency involvement > Police", not "> Summary of agency contacts" nor "Child B >
    Agency involvement"), each as its chunks, in the review's order; only those about the `children` a question
    names, in a review of several; [] when there are fewer than MIN_PARTS."""
    parts: dict[tuple[str, ...], list[Chunk]] = {}
    for chunk in catalog.chunks_of_kind(SectionKind.AGENCY_INVOLVEMENT.value, [review_id]):
        path = chunk.section_path
        if len(path) < 2 or heading_kind(path[-2], weak=False) is not SectionKind.AGENCY_INVOLVEMENT:
            continue
        if children and chunk.child is not None and chunk.child not in children:
            continue  # another child's, in a thematic review
        own = heading_kind(path[-1], weak=False, without=SectionKind.AGENCY_INVOLVEMENT)
        if own is SectionKind.OTHER or (own is SectionKind.BACKGROUND and names_organisation(path[-1])):
            parts.setdefault(path, []).append(chunk)  # "Family Nurse Partnership" is an agency, not background
    return list(parts.values()) if len(parts) >= MIN_PARTS else []


def involved_agencies(
    parts: Mapping[str, list[list[Chunk]]], names: Mapping[str, str], answerer: str
) -> tuple[Draft, list[Chunk]]:
    """Each review's agencies, by its parts (`involvement_parts`, by review id; `names` the reviews' names for the
    reader), each with its opening sentence quoted; the chunks quoted."""
    blocks: list[str] = []
    citations: list[Citation] = []
    quoted: list[Chunk] = []
    for review_id, review_parts in parts.items():
        name = names[review_id]
        lines = [f"{name[0].upper()}{name[1:]} sets out the involvement of {len(review_parts)} agencies or services:"]
        for chunks in review_parts:
            opening = _opening(chunks)
            if opening is None:
                continue
            citations.append(cite(len(citations) + 1, opening))
            quoted.append(opening.chunk)
            lines.append(f"- {chunks[0].section_path[-1]}: {opening.text} [{len(citations)}]")
        blocks.append("\n".join(lines))
    draft = Draft(text="\n\n".join(blocks), citations=tuple(citations), answerer=answerer)
    return draft, list({id(c): c for c in quoted}.values())


def _opening(chunks: list[Chunk]) -> Unit | None:
    """A part's first sentence."""
    units = split_units(min(chunks, key=lambda c: c.part))
    return units[0] if units else None
