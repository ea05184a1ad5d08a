"""Typed records passed between ingest stages and on to retrieval."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum


class SectionKind(StrEnum):
    """The fixed set of section kinds every section is given."""

    SUMMARY = "summary"
    INTRODUCTION = "introduction"  # introduction, scope, terms of reference, method, purpose
    BACKGROUND = "background"  # background, family, the child, history
    AGENCY_INVOLVEMENT = "agency_involvement"  # agency involvement, chronology, what happened, key episodes
    FINDINGS = "findings"  # analysis, findings, themes, issues
    LEARNING = "learning"
    RECOMMENDATIONS = "recommendations"
    ACTIONS = "actions"  # actions taken, immediate actions, improvements made, implementing change
    GOOD_PRACTICE = "good_practice"
    VIEWS = "views"  # the child's and family's views
    CONCLUSION = "conclusion"  # conclusion, outcome, decision, next steps
    OTHER = "other"

    @classmethod
    def of(cls, value: str) -> SectionKind:
        """The kind a stored value names; OTHER for one this version does not know."""
        try:
            return cls(value)
        except ValueError:
            return cls.OTHER


@dataclass(frozen=True)
class LoadedText:
    """A document's text as a loader read it, page by page; headings are markdown lines."""

    pages: tuple[str, ...]
    hints: tuple[tuple[str, str], ...] = ()  # metadata the format states outside the text (front matter, <meta>)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass(frozen=True)
class Subject:
    """A child a review is about: the name it is given ("Child D") and the other forms used for it ("D")."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ReviewMeta:
    """What a review is: taken from its text, overridable by a sidecar file."""

    title: str
    subject: str | None = None  # every subject's name, joined for display
    review_type: str | None = None
    partnership: str | None = None
    year: int | None = None
    subjects: tuple[Subject, ...] = ()
    author: str | None = None  # the reviewer or author its byline names ("Desmond Achebe")

    @classmethod
    def from_record(cls, record: dict) -> ReviewMeta:
        """Rebuild from its JSON record (subjects are stored as objects)."""
        subjects = tuple(
            Subject(s["name"], tuple(s.get("aliases", ()))) for s in record.get("subjects", ()) if isinstance(s, dict)
        )
        return cls(**{**record, "subjects": subjects})

    def to_record(self) -> dict:
        """A JSON-ready dict."""
        return {**self.__dict__, "subjects": [{"name": s.name, "aliases": list(s.aliases)} for s in self.subjects]}


@dataclass(frozen=True)
class Review:
    """One review document in its normalised form; every offset in Casewise points into `text`."""

    review_id: str
    meta: ReviewMeta
    source_path: str
    text: str
    page_starts: tuple[int, ...] = (0,)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def page_count(self) -> int:
        return len(self.page_starts)

    def pages_for(self, start: int, end: int) -> tuple[int, ...]:
        """1-based page numbers spanned by text[start:end]."""
        first = bisect.bisect_right(self.page_starts, start)
        last = bisect.bisect_right(self.page_starts, max(start, end - 1))
        return tuple(range(max(first, 1), max(last, 1) + 1))


@dataclass(frozen=True)
class Section:
    """A titled span of a review: `path` is the heading trail, `label` tells same-named sections apart."""

    path: tuple[str, ...]
    label: str
    ordinal: int
    start: int
    end: int
    kind: SectionKind = SectionKind.OTHER
    child: str | None = None  # the subject this section is about, in a review of several children
    level: int = 1
    number: str = ""  # the number its heading prints before its name, as printed ("4.1", "B."); "" when none

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded, searched and cited: `text == review.text[start:end]`."""

    chunk_id: str
    review_id: str
    review_title: str
    review_type: str | None
    section_path: tuple[str, ...]
    section_label: str
    section_ordinal: int
    part: int
    start: int
    end: int
    pages: tuple[int, ...]
    text: str
    embed_text: str = field(repr=False, default="")
    section_kind: SectionKind = SectionKind.OTHER
    child: str | None = None
    section_number: str = ""  # the number its section's heading prints ("4.1"); "" when none

    @property
    def section(self) -> str:
        return self.section_path[-1]
