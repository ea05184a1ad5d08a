"""Typed records of the retrieval stage: filters, hits, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Chunk
from core.units import Unit


@dataclass(frozen=True)
class SearchFilter:
    """Restrict search to some reviews, section names or review types (empty = no restriction)."""

    reviews: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    review_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # section kinds (SectionKind values)

    @property
    def empty(self) -> bool:
        return not (self.reviews or self.sections or self.review_types or self.kinds)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its final score and its rank under each signal (1 = best; absent = not found)."""

    chunk: Chunk
    score: float
    ranks_by_signal: dict[str, int] = field(default_factory=dict)

    def to_dict(self, rank: int) -> dict[str, object]:
        """The search-result object of the `casewise` JSON contract."""
        c = self.chunk
        return {
            "rank": rank,
            "score": round(self.score, 6),
            "chunk_id": c.chunk_id,
            "review_id": c.review_id,
            "review_title": c.review_title,
            "review_type": c.review_type,
            "section": c.section,
            "section_label": c.section_label,
            "section_path": list(c.section_path),
            "section_kind": c.section_kind,
            "child": c.child,
            "section_number": c.section_number,
            "pages": list(c.pages),
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "ranks_by_signal": dict(self.ranks_by_signal),
        }


@dataclass(frozen=True)
class Citation:
    """One `[n]` marker: the quoted words, verbatim from the review at text[start:end], and where they sit."""

    marker: int
    chunk_id: str
    review_id: str
    review_title: str
    section: str
    section_label: str
    section_path: tuple[str, ...]
    pages: tuple[int, ...]
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict[str, object]:
        return {
            "marker": self.marker,
            "chunk_id": self.chunk_id,
            "review_id": self.review_id,
            "review_title": self.review_title,
            "section": self.section,
            "section_label": self.section_label,
            "section_path": list(self.section_path),
            "pages": list(self.pages),
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Turn:
    """One message of the conversation so far."""

    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Answer:
    """What every front end renders: the answer text with `[n]` markers, its citations and its evidence."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    answerer: str
    evidence: tuple[Hit, ...]
    standalone_question: str = ""
    notices: tuple[str, ...] = ()  # shown to the user: fallbacks, flagged sentences
    removed: tuple[str, ...] = ()  # what the citation check took out, and why
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The answer object of the `casewise` JSON contract."""
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "answerer": self.answerer,
            "citations": [c.to_dict() for c in self.citations],
            "evidence": [h.to_dict(i) for i, h in enumerate(self.evidence, start=1)],
            "notices": list(self.notices),
            "removed": list(self.removed),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class ScoredUnit:
    """A quotable unit of evidence: how well it answers the question (`score`, which orders passages) and how
    well it matches it (`support`, which the abstention thresholds are calibrated on)."""

    unit: Unit
    score: float
    support: float


@dataclass(frozen=True)
class Draft:
    """An answer before the citation check: text with `[n]` markers and the citation for each marker."""

    text: str
    citations: tuple[Citation, ...]
    answerer: str
    notices: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def cite(marker: int, unit: Unit) -> Citation:
    """The citation quoting one unit, verbatim at its offsets."""
    c = unit.chunk
    return Citation(
        marker=marker,
        chunk_id=c.chunk_id,
        review_id=c.review_id,
        review_title=c.review_title,
        section=c.section,
        section_label=c.section_label,
        section_path=c.section_path,
        pages=c.pages,
        start=unit.start,
        end=unit.end,
        quote=unit.text,
    )
