"""The theme explorer: which reviews touch a theme, how strongly, and the passages tagged with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.errors import CasewiseError
from core.models import Chunk, SectionKind
from ingest.catalog import Catalog
from ingest.themes import Theme, find_theme, tag_fingerprint
from retriever.filters import resolve_filters
from retriever.models import SearchFilter

SECTION_KINDS = tuple(kind.value for kind in SectionKind)


def check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """Section kinds as given, after checking each is one of SECTION_KINDS."""
    unknown = [k for k in kinds if k not in SECTION_KINDS]
    if unknown:
        raise CasewiseError(f"unknown section kind {', '.join(unknown)!r}; use {', '.join(SECTION_KINDS)}")
    return tuple(kinds)


@dataclass(frozen=True)
class ThemePassage:
    """A chunk tagged with the theme, its tag score and the kind of section it sits in."""

    chunk: Chunk
    score: float
    kind: SectionKind


@dataclass(frozen=True)
class ReviewStrength:
    """How strongly one review touches a theme: how many passages are tagged, and the best tag score."""

    review_id: str
    title: str
    subject: str | None
    review_type: str | None
    passages: int
    max_score: float


@dataclass(frozen=True)
class ThemeView:
    """One theme across the index: the reviews touching it (strongest first) and the tagged passages."""

    theme: Theme
    reviews: tuple[ReviewStrength, ...]
    passages: tuple[ThemePassage, ...]


@dataclass(frozen=True)
class ThemeCount:
    """How many reviews and passages carry a theme's tag."""

    theme: Theme
    reviews: int
    passages: int


class ThemeExplorer:
    """Queries the theme tags stored with the index (ingest/themes.py computed them at ingest)."""

    def __init__(self, catalog: Catalog, themes: Sequence[Theme]) -> None:
        self.catalog = catalog
        self.themes = tuple(themes)

    def theme(self, name: str) -> Theme:
        return find_theme(self.themes, name)

    def counts(self) -> list[ThemeCount]:
        """Every theme with its reviews and passages, most widely covered first (untouched themes last)."""
        counts = self.catalog.theme_counts()
        out = [ThemeCount(t, *counts.get(t.name, (0, 0))) for t in self.themes]
        return sorted(out, key=lambda c: (-c.reviews, -c.passages, c.theme.name))

    def tags_stale(self) -> bool:
        """Whether the stored tags were computed with another taxonomy (re-run `casewise ingest`)."""
        stored = self.catalog.get_meta("tag_fingerprint")
        return stored is not None and stored != tag_fingerprint(self.themes)

    def explore(self, name: str, kinds: Sequence[str] = (), reviews: Sequence[str] = ()) -> ThemeView:
        """The reviews and passages tagged with a theme, optionally only in some section kinds or reviews."""
        theme = self.theme(name)
        wanted = check_kinds(kinds)
        review_ids, _ = resolve_filters(SearchFilter(reviews=tuple(reviews)), self.catalog)
        tagged = self.catalog.theme_chunks(theme.name, review_ids)
        chunks = self.catalog.chunks([cid for cid, _ in tagged])
        passages = [
            ThemePassage(chunks[cid], score, chunks[cid].section_kind) for cid, score in tagged if cid in chunks
        ]
        passages = [p for p in passages if not wanted or p.kind in wanted]
        return ThemeView(theme, self._strengths(passages), tuple(passages))

    def _strengths(self, passages: Sequence[ThemePassage]) -> tuple[ReviewStrength, ...]:
        index = self.catalog.review_index()
        by_review: dict[str, list[float]] = {}
        for p in passages:
            by_review.setdefault(p.chunk.review_id, []).append(p.score)
        out = []
        for rid, scores in by_review.items():
            meta = index.get(rid)
            out.append(
                ReviewStrength(
                    rid,
                    meta.title if meta else rid,
                    meta.subject if meta else None,
                    meta.review_type if meta else None,
                    len(scores),
                    max(scores),
                )
            )
        return tuple(sorted(out, key=lambda r: (-r.max_score, -r.passages, r.title)))
