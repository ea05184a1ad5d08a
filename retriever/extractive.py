"""The offline answerer: picks the review sentences and bullets that answer the question and quotes them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ingest.catalog import query_terms, section_key
from ingest.embedding import Embedder
from retriever.models import Citation, Hit
from retriever.units import Unit, split_units

_LIST_QUESTION = re.compile(
    r"\b(what|which|list|give|show|summari[sz]e)\b.*\b(recommendations?|learning|lessons?|findings?|learning points)\b",
    re.IGNORECASE,
)
_LIST_SECTIONS = {"recommendation": "recommendations", "learning": "learning", "lesson": "learning",
                  "finding": "findings"}
MAX_UNITS = 4
MAX_LIST_UNITS = 12
MARGIN = 0.08  # units this close to the best one are included too
LEXICAL_WEIGHT = 0.15


@dataclass(frozen=True)
class ScoredUnit:
    unit: Unit
    score: float


@dataclass(frozen=True)
class Draft:
    """An answer before the citation check: text with `[n]` markers and the citation for each marker."""

    text: str
    citations: tuple[Citation, ...]
    answerer: str
    notices: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


class UnitScorer:
    """Scores evidence units against a question: embedding similarity plus shared content words."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    def score(self, question: str, hits: Sequence[Hit]) -> list[ScoredUnit]:
        units = _dedupe([u for hit in hits for u in split_units(hit.chunk)])
        if not units:
            return []
        missing = [u for u in units if (u.chunk.chunk_id, u.start) not in self._cache]
        if missing:
            for unit, vector in zip(missing, self.embedder.encode([u.text for u in missing]), strict=True):
                self._cache[(unit.chunk.chunk_id, unit.start)] = vector
        q = self.embedder.encode([question])[0]
        terms = {t[:5] for t in query_terms(question)}
        scored = []
        for unit in units:
            dense = float(self._cache[(unit.chunk.chunk_id, unit.start)] @ q)
            words = {t[:5] for t in query_terms(unit.text)}
            overlap = len(terms & words) / len(terms) if terms else 0.0
            scored.append(ScoredUnit(unit, dense + LEXICAL_WEIGHT * overlap))
        return sorted(scored, key=lambda s: -s.score)


class ExtractiveAnswerer:
    """Deterministic, offline: only verbatim review text plus minimal connective words."""

    name = "extractive"

    def __init__(self, scorer: UnitScorer, subjects: Callable[[str], str | None]) -> None:
        self.scorer = scorer
        self.subject_of = subjects

    def draft(self, question: str, evidence: Sequence[Hit], scored: Sequence[ScoredUnit]) -> Draft:
        chosen = _list_units(question, evidence) or _best_units(scored)
        return compose(chosen, self.subject_of, self.name)


def _best_units(scored: Sequence[ScoredUnit]) -> list[Unit]:
    if not scored:
        return []
    best = scored[0].score
    chosen: list[Unit] = []
    per_review: dict[str, int] = {}
    for item in scored:
        rid = item.unit.chunk.review_id
        if item.score < best - MARGIN or len(chosen) >= MAX_UNITS or per_review.get(rid, 0) >= 2:
            continue
        chosen.append(item.unit)
        per_review[rid] = per_review.get(rid, 0) + 1
    return chosen


def _list_units(question: str, evidence: Sequence[Hit]) -> list[Unit]:
    """'What were the recommendations?' gets the whole list from the matching sections of the evidence."""
    match = _LIST_QUESTION.search(question)
    if not match:
        return []
    word = match.group(2).lower().rstrip("s").replace(" point", "")
    wanted = _LIST_SECTIONS.get(word, word)
    units = [u for hit in evidence if wanted in section_key(hit.chunk.section) for u in split_units(hit.chunk)]
    return _dedupe(units)[:MAX_LIST_UNITS]


def _dedupe(units: list[Unit]) -> list[Unit]:
    seen: set[tuple[str, str]] = set()
    out = []
    for unit in units:
        key = (unit.chunk.review_id, " ".join(unit.text.lower().split()))
        if key not in seen:
            seen.add(key)
            out.append(unit)
    return out


def compose(units: Sequence[Unit], subject_of: Callable[[str], str | None], answerer: str) -> Draft:
    """Group the units by review (in order of first appearance), in reading order within each, with markers."""
    reviews: dict[str, list[Unit]] = {}
    for unit in units:
        reviews.setdefault(unit.chunk.review_id, []).append(unit)
    lines: list[str] = []
    citations: list[Citation] = []
    for review_id, group in reviews.items():
        group.sort(key=lambda u: u.start)
        subject = subject_of(review_id)
        name = f"the {subject} review" if subject else group[0].chunk.review_title
        entries = []
        for unit in group:
            citations.append(cite(len(citations) + 1, unit))
            entries.append(f"{unit.text} [{len(citations)}]")
        if len(entries) == 1:
            lines.append(f"In {name}: {entries[0]}")
        else:
            lines.append(f"In {name}:\n" + "\n".join(f"- {e}" for e in entries))
    return Draft(text="\n\n".join(lines), citations=tuple(citations), answerer=answerer)


def cite(marker: int, unit: Unit) -> Citation:
    c = unit.chunk
    return Citation(marker=marker, chunk_id=c.chunk_id, review_id=c.review_id, review_title=c.review_title,
                    section=c.section, section_label=c.section_label, section_path=c.section_path,
                    pages=c.pages, start=unit.start, end=unit.end, quote=unit.text)
