"""The offline answerer: picks the review sentences and bullets that answer the question and quotes them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from ingest.catalog import query_terms, section_key
from ingest.embedding import Embedder
from retriever.grounding import MIN_SUPPORT
from retriever.models import Citation, Draft, Hit, ScoredUnit, cite
from retriever.units import Unit, split_units

_LIST_QUESTION = re.compile(
    r"(?:\b(?:what|which|list|give|show|summari[sz]e)\b.*|^\s*(?:and\s+)?(?:the\s+)?)"
    r"\b(recommendations?|learning|lessons?|findings?|learning points)\b",
    re.IGNORECASE,
)
_LIST_SECTIONS = {
    "recommendation": "recommendations",
    "learning": "learning",
    "lesson": "learning",
    "finding": "findings",
}
MAX_UNITS = 4
MAX_PER_REVIEW = 3
MAX_LIST_UNITS = 12
MARGIN = 0.12  # units this close to the best one are included too
LEXICAL_WEIGHT = 0.25
CAUSE_BONUS = 0.05  # "why" questions prefer sentences that state a reason
_WHY = re.compile(r"^\s*why\b|\bwhat (?:was|were) the reasons?\b|\bfor what reason\b", re.IGNORECASE)
_CAUSE = re.compile(r"\b(?:due to|because|based on|as a result|led to|owing to|so that|concerns? that)\b", re.I)
# How reviews name the child: "Child M", "Young Person F" (and the short "Person F"), with a possessive.
_CHILD_NAME = re.compile(r"\b(?i:child|young person|person|baby|infant|sibling)\s+[A-Z]{1,2}\d?\b(?:'s)?")
_ACROSS = re.compile(r"\b(?:both|each|across|the reviews|all reviews|two (?:cases|reviews|children))\b", re.I)


class UnitScorer:
    """Scores evidence units against a question: embedding similarity plus shared content words.

    Names of the reviewed children are replaced by "the child" on both sides first: otherwise any sentence
    naming the child looks relevant to any question about that child.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    @staticmethod
    def neutral(text: str) -> str:
        return _CHILD_NAME.sub("the child", text)

    def score(self, question: str, hits: Sequence[Hit]) -> list[ScoredUnit]:
        units = [u for u in _dedupe([u for hit in hits for u in split_units(hit.chunk)]) if not u.text.endswith(":")]
        if not units:
            return []
        missing = [u for u in units if (u.chunk.chunk_id, u.start) not in self._cache]
        if missing:
            texts = [self.neutral(u.text) for u in missing]
            for unit, vector in zip(missing, self.embedder.encode(texts), strict=True):
                self._cache[(unit.chunk.chunk_id, unit.start)] = vector
        question = self.neutral(question)
        q = self.embedder.encode([question])[0]
        terms = {t[:5] for t in query_terms(question)}
        why = bool(_WHY.search(question))
        scored = []
        for unit in units:
            dense = float(self._cache[(unit.chunk.chunk_id, unit.start)] @ q)
            words = {t[:5] for t in query_terms(self.neutral(unit.text))}
            overlap = len(terms & words) / len(terms) if terms else 0.0
            bonus = CAUSE_BONUS if why and _CAUSE.search(unit.text) else 0.0
            scored.append(ScoredUnit(unit, dense + LEXICAL_WEIGHT * overlap + bonus))
        return sorted(scored, key=lambda s: -s.score)


class ExtractiveAnswerer:
    """Deterministic, offline: only verbatim review text plus minimal connective words."""

    name = "extractive"

    def __init__(self, scorer: UnitScorer, subjects: Callable[[str], str | None]) -> None:
        self.scorer = scorer
        self.subject_of = subjects

    def draft(self, question: str, evidence: Sequence[Hit], scored: Sequence[ScoredUnit]) -> Draft:
        chosen = _list_units(question, evidence) or _best_units(question, scored, across=bool(_ACROSS.search(question)))
        return compose(chosen, self.subject_of, self.name)


def _best_units(question: str, scored: Sequence[ScoredUnit], across: bool) -> list[Unit]:
    """The best unit and those close to it; units that cover a part of the question the others miss;
    for a question across reviews, each review's best unit; and the rest of a list a chosen bullet belongs to."""
    if not scored:
        return []
    best = scored[0].score
    terms = {t[:5] for t in query_terms(question)}
    covered: set[str] = set()
    chosen: list[Unit] = []
    per_review: dict[str, int] = {}
    for item in scored:
        rid = item.unit.chunk.review_id
        words = {t[:5] for t in query_terms(item.unit.text)} & terms
        first_of_review = across and rid not in per_review
        adds_coverage = bool(chosen) and bool(words - covered)
        close = item.score >= best - MARGIN
        # a question across reviews takes each review's best unit if it would stand as an answer on its own
        wider = (item.score >= best - 2 * MARGIN and adds_coverage) or (first_of_review and item.score >= MIN_SUPPORT)
        cap = MAX_PER_REVIEW if across else MAX_UNITS
        if len(chosen) < MAX_UNITS and per_review.get(rid, 0) < cap and (close or wider):
            chosen.append(item.unit)
            covered |= words
            per_review[rid] = per_review.get(rid, 0) + 1
    return _complete_lists(chosen)


def _complete_lists(chosen: list[Unit]) -> list[Unit]:
    """When the best unit is a bullet of a list introduced by a line ending in ':', the rest of the list
    comes with it (the lead-in says the items belong together, e.g. the reasons for a review)."""
    out = list(chosen)
    for unit in chosen[:1]:
        if not unit.is_bullet:
            continue
        siblings = split_units(unit.chunk)
        index = next(i for i, u in enumerate(siblings) if u.start == unit.start)
        begin = index
        while begin > 0 and siblings[begin - 1].is_bullet:
            begin -= 1
        lead = unit.chunk.text[: siblings[begin].start - unit.chunk.start].rstrip().rstrip("-*• ").rstrip()
        if begin == 0 or not lead.endswith(":"):
            continue
        end = index
        while end + 1 < len(siblings) and siblings[end + 1].is_bullet:
            end += 1
        out += [u for u in siblings[begin : end + 1][:MAX_LIST_UNITS] if all(u.start != o.start for o in out)]
    return out


def _list_units(question: str, evidence: Sequence[Hit]) -> list[Unit]:
    """'What were the recommendations?' gets the whole list from the matching sections of the evidence."""
    match = _LIST_QUESTION.search(question)
    if not match:
        return []
    word = match.group(1).lower().rstrip("s").replace(" point", "")
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
