"""Typed records passed between ingest stages and on to retrieval."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoadedText:
    """A document's text as a loader read it, page by page; headings are markdown lines."""

    pages: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass(frozen=True)
class ReviewMeta:
    """What a review is: taken from its text, overridable by a sidecar file."""

    title: str
    subject: str | None = None
    review_type: str | None = None
    partnership: str | None = None
    year: int | None = None


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

    @property
    def section(self) -> str:
        return self.section_path[-1]
