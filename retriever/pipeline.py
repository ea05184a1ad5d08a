"""The one entry point every front end calls: question (+ history) -> retrieval -> answer -> citation check."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from ingest.embedding import Embedder
from ingest.models import Review, ReviewMeta
from ingest.settings import Settings
from ingest.themes import Theme, load_themes
from retriever.answerers import AnswererUnavailable, GenerativeAnswerer
from retriever.citations import verify
from retriever.extractive import Draft, ExtractiveAnswerer, UnitScorer
from retriever.grounding import (
    MIN_SUPPORT,
    MIN_SUPPORT_UNKNOWN_NAME,
    Grounding,
    absent_themes,
    abstention_text,
    check_names,
    missing_answer,
)
from retriever.index import open_searcher
from retriever.models import Answer, Hit, SearchFilter, Turn
from retriever.rewrite import SUBJECT_PATTERN, rewrite
from retriever.search import Searcher

EVIDENCE_K = 6
ANSWER_FROM = 5  # the answer is drawn from this many top evidence chunks


class Casewise:
    """Search and cited answers over one index, with the model loaded once."""

    def __init__(
        self, searcher: Searcher, generator: GenerativeAnswerer | None = None, themes: tuple[Theme, ...] | None = None
    ) -> None:
        self.searcher = searcher
        self.catalog = searcher.catalog
        self.scorer = UnitScorer(searcher.embedder)
        self._index: dict[str, ReviewMeta] | None = None
        self._index_built: str | None = None
        self.generator = generator
        self.extractive = ExtractiveAnswerer(self.scorer, self.subject_of)
        self.review = lru_cache(maxsize=256)(self._load_review)
        self.themes = load_themes() if themes is None else themes

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> Casewise:
        """Open the index in settings.home with the configured answerer."""
        from retriever.llm import generator_from_settings

        generator = generator_from_settings(settings)  # before the slow model load: a bad setting fails fast
        themes = load_themes(settings.themes_path)  # CASEWISE_THEMES_FILE, checked before the model loads too
        searcher = open_searcher(settings, embedder)  # the index is checked before the model loads
        return cls(searcher, generator, themes)

    @property
    def answerer_name(self) -> str:
        return self.generator.name if self.generator else self.extractive.name

    def review_index(self) -> dict[str, ReviewMeta]:
        """Every review's metadata, re-read only when an ingest has changed the index since the last call."""
        built = self.catalog.get_meta("built_at")
        if built != self._index_built or self._index is None:
            self._index, self._index_built = self.catalog.review_index(), built
        return self._index

    def subject_of(self, review_id: str) -> str | None:
        meta = self.review_index().get(review_id)
        return meta.subject if meta else None

    def _load_review(self, review_id: str) -> Review | None:
        return self.catalog.review(review_id)

    def search(self, query: str, k: int = 5, filters: SearchFilter | None = None) -> list[Hit]:
        return self.searcher.search(query, k=k, filters=filters)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        filters: SearchFilter | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """A cited answer, or a plain abstention with the closest sections as evidence."""
        started = time.perf_counter()
        notices: list[str] = []
        subjects = {rid: m.subject for rid, m in self.review_index().items() if m.subject}
        standalone = self._standalone(question, history, list(subjects.values()), notices)
        grounding = check_names(standalone, list(subjects.values()), self.catalog)
        filters = _focus(filters or SearchFilter(), standalone, subjects)
        evidence = self.searcher.search(standalone, k=EVIDENCE_K, filters=filters)
        retrieved = time.perf_counter()
        scored = self.scorer.score(standalone, evidence[:ANSWER_FROM])
        best = scored[0].score if scored else 0.0
        threshold = MIN_SUPPORT_UNKNOWN_NAME if grounding.unknown_names else MIN_SUPPORT
        if not grounding.reason and best >= threshold:
            evidence_text = "\n".join(hit.chunk.text for hit in evidence[:ANSWER_FROM])
            absent = absent_themes(standalone, self.themes, self.catalog)
            grounding = replace(
                grounding, reason=missing_answer(standalone, absent, evidence_text, scored[0].unit.text)
            )
        if grounding.reason or best < threshold:
            return self._abstain(question, standalone, grounding, evidence, notices, started, retrieved)
        draft = self._draft(standalone, evidence, scored, notices, on_token)
        checked = verify(draft, evidence, self.review)
        if not checked.citations:
            notices.append(
                f"No sentence of the {draft.answerer} answer was supported by the sections it cited (it may have "
                "found no answer there); showing what the offline answerer quotes from those sections instead."
            )
            fallback = verify(self.extractive.draft(standalone, evidence, scored), evidence, self.review)
            checked = replace(fallback, removed=checked.removed + fallback.removed)  # keep what the LLM lost
        return Answer(
            question=question,
            standalone_question=standalone,
            text=checked.text,
            citations=checked.citations,
            abstained=False,
            answerer=checked.answerer,
            evidence=tuple(evidence),
            notices=tuple(notices) + checked.notices,
            removed=checked.removed,
            timings_ms=_timings(started, retrieved),
        )

    def _standalone(self, question: str, history: Sequence[Turn], subjects: list[str], notices: list[str]) -> str:
        if not history:
            return question
        if self.generator:
            try:
                return self.generator.rewrite(question, history)
            except AnswererUnavailable as exc:
                notices.append(f"{exc} The follow-up was rewritten by rule instead.")
        return rewrite(question, history, subjects)

    def _draft(
        self,
        question: str,
        evidence: list[Hit],
        scored: list,
        notices: list[str],
        on_token: Callable[[str], None] | None,
    ) -> Draft:
        if self.generator:
            try:
                return self.generator.draft(question, evidence, scored, on_token)
            except AnswererUnavailable as exc:
                notices.append(f"{exc} This answer was built by the offline answerer instead.")
        return self.extractive.draft(question, evidence, scored)

    def _abstain(
        self,
        question: str,
        standalone: str,
        grounding: Grounding,
        evidence: list[Hit],
        notices: list[str],
        started: float,
        retrieved: float,
    ) -> Answer:
        return Answer(
            question=question,
            standalone_question=standalone,
            text=abstention_text(standalone, grounding),
            citations=(),
            abstained=True,
            answerer=self.answerer_name,
            evidence=tuple(evidence),
            notices=tuple(notices),
            timings_ms=_timings(started, retrieved),
        )


def _focus(filters: SearchFilter, question: str, subjects: dict[str, str]) -> SearchFilter:
    """A question naming reviewed children searches their reviews (unless the user chose reviews)."""
    if filters.reviews:
        return filters
    named = {m.group(0).lower() for m in SUBJECT_PATTERN.finditer(question)}
    reviews = tuple(rid for rid, subject in subjects.items() if subject.lower() in named)
    return replace(filters, reviews=reviews) if reviews else filters


def _timings(started: float, retrieved: float) -> dict[str, float]:
    now = time.perf_counter()
    return {
        "retrieve": (retrieved - started) * 1000,
        "answer": (now - retrieved) * 1000,
        "total": (now - started) * 1000,
    }
