"""The offline answerer: quotes the review sentences and list items that answer the question, and nothing else.

Three shapes of answer:
- a direct answer: the passage that answers first, then only passages that add a part of the question it
  leaves out (or, for a fact, the passage that states it);
- a list: every item of the sections of the kind asked for, in the review's order, numbered as it numbers them,
  one list per review;
- an answer across reviews: each review's best passage when it clears the support threshold, grouped by review,
  with how many reviews were searched and how many had something.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from ingest.catalog import query_terms
from ingest.embedding import Embedder
from ingest.models import Chunk
from retriever.abstention import MIN_SUPPORT
from retriever.models import Citation, Draft, Hit, ScoredUnit, cite
from retriever.question import Question
from retriever.units import Item, Unit, list_items, split_units

# Calibrated on the dev corpus's gold.jsonl (evals/calibrate_abstention.py prints the sweep): a passage within
# MARGIN of the best is part of the direct answer; one within WIDER_MARGIN joins it only when it covers a word of
# the question the chosen ones miss, or states the fact asked for.
MARGIN = 0.05
WIDER_MARGIN = 0.12
MAX_UNITS = 3
LEXICAL_WEIGHT = 0.25
# How reviews name a child ("Child M", "Young Person F", "Baby N's"): replaced by "the child" before scoring, so a
# sentence is not relevant merely because it names the child the question names.
_CHILD_NAME = re.compile(
    r"\b(?i:child|young person|person|baby|infant|adolescent|sibling)s?\s+[A-Z]{1,2}\d?\b(?:['\u2019]s)?"
)
SubjectOf = Callable[[str], str | None]


class UnitScorer:
    """Scores evidence units against a question: embedding similarity plus a share of shared content words."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    @staticmethod
    def neutral(text: str) -> str:
        return _CHILD_NAME.sub("the child", text)

    def score(self, question: str, hits: Sequence[Hit]) -> list[ScoredUnit]:
        """Every quotable unit of the hits, best first."""
        units = [u for u in dedupe([u for hit in hits for u in split_units(hit.chunk)]) if not u.text.endswith(":")]
        if not units:
            return []
        missing = [u for u in units if (u.chunk.chunk_id, u.start) not in self._cache]
        if missing:
            for unit, vector in zip(
                missing, self.embedder.encode([self.neutral(u.text) for u in missing]), strict=True
            ):
                self._cache[(unit.chunk.chunk_id, unit.start)] = vector
        question = self.neutral(question)
        q = self.embedder.encode([question])[0]
        terms = stems(question)
        scored = []
        for unit in units:
            dense = float(self._cache[(unit.chunk.chunk_id, unit.start)] @ q)
            overlap = len(terms & stems(self.neutral(unit.text))) / len(terms) if terms else 0.0
            scored.append(ScoredUnit(unit, dense + LEXICAL_WEIGHT * overlap))
        return sorted(scored, key=lambda s: -s.score)


class ExtractiveAnswerer:
    """Deterministic, offline: only verbatim review text plus minimal connective words."""

    name = "extractive"

    def __init__(self, subject_of: SubjectOf) -> None:
        self.subject_of = subject_of

    def draft(self, question: Question, scored: Sequence[ScoredUnit], searched: int = 0) -> Draft:
        """A direct answer, or for a question across reviews each review's best passage."""
        if question.across:
            return self.across(question, scored, searched)
        return compose(direct_units(question, scored), self.subject_of, self.name)

    def across(self, question: Question, scored: Sequence[ScoredUnit], searched: int) -> Draft:
        """Each review's passages that answer, grouped by review, with how many reviews had something."""
        per_review: dict[str, list[ScoredUnit]] = {}
        for item in scored:
            if item.score >= MIN_SUPPORT:
                per_review.setdefault(item.unit.chunk.review_id, []).append(item)
        units = [u for items in per_review.values() for u in direct_units(question, items)]
        draft = compose(units, self.subject_of, self.name)
        if searched:
            count = f"{len(per_review)} of the {searched} reviews searched have something on this."
            draft = Draft(f"{count}\n\n{draft.text}", draft.citations, draft.answerer)
        return draft

    def lists(self, sections: dict[str, list[Chunk]], kind_label: str) -> Draft:
        """Every item of the given sections, one list per review, in the review's order and numbering."""
        lines: list[str] = []
        citations: list[Citation] = []
        for review_id, chunks in sections.items():
            items = [item for chunk in chunks for item in list_items(chunk)]
            if not items:
                continue
            entries = []
            for item in items:
                citations.append(cite(len(citations) + 1, item.unit))
                entries.append(_item_line(item, len(citations)))
            lines.append(f"The {kind_label} of {self._name(review_id, chunks[0])}:\n" + "\n".join(entries))
        return Draft(text="\n\n".join(lines), citations=tuple(citations), answerer=self.name)

    def _name(self, review_id: str, chunk: Chunk) -> str:
        subject = self.subject_of(review_id)
        return f"the {subject} review" if subject else chunk.review_title


def direct_units(question: Question, scored: Sequence[ScoredUnit]) -> list[Unit]:
    """The passage that answers best, then passages close to it that add a part of the question it misses or
    state the fact asked for; for a fact question, a passage stating the fact comes first."""
    if not scored:
        return []
    best = scored[0].score
    terms = stems(question.text)
    ordered = list(scored)
    if question.fact_pattern is not None:
        stating = [s for s in scored if s.score >= best - WIDER_MARGIN and question.fact_pattern.search(s.unit.text)]
        if stating:
            ordered = [stating[0]] + [s for s in scored if s is not stating[0]]
    chosen: list[Unit] = []
    covered: set[str] = set()
    for item in ordered:
        if len(chosen) >= MAX_UNITS:
            break
        words = stems(item.unit.text) & terms
        if not chosen:
            chosen.append(item.unit)
            covered |= words
            continue
        close = item.score >= best - MARGIN
        adds = item.score >= best - WIDER_MARGIN and bool(words - covered)
        if close or adds:
            chosen.append(item.unit)
            covered |= words
    return chosen


def compose(units: Sequence[Unit], subject_of: SubjectOf, answerer: str) -> Draft:
    """The units grouped by review (first answer first), in answer order, each with its marker."""
    reviews: dict[str, list[Unit]] = {}
    for unit in units:
        reviews.setdefault(unit.chunk.review_id, []).append(unit)
    lines: list[str] = []
    citations: list[Citation] = []
    for review_id, group in reviews.items():
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


def dedupe(units: list[Unit]) -> list[Unit]:
    """The first of units with the same words in the same review."""
    seen: set[tuple[str, str]] = set()
    out = []
    for unit in units:
        key = (unit.chunk.review_id, " ".join(unit.text.lower().split()))
        if key not in seen:
            seen.add(key)
            out.append(unit)
    return out


def stems(text: str) -> set[str]:
    """Content words cut to five letters, so 'excluded' meets 'exclusion'."""
    return {t[:5] for t in query_terms(text)}


def _item_line(item: Item, marker: int) -> str:
    prefix = f"{item.number}." if item.number and "." not in item.number else item.number or "-"
    return f"{prefix} {item.unit.text} [{marker}]"
