"""Learning briefs for trainers: case summaries, learning and recommendations quoted from the reviews, with
discussion prompts. Every point is a verbatim unit of a review (or, with a language model, a summary whose
citations passed the same check), cited to its section and pages through retriever.citations.verify.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from core.errors import CasewiseError
from core.models import Chunk, SectionKind
from core.settings import Answerer, Settings
from core.text import MARKER
from core.units import Unit, split_units
from ingest.embedding import Embedder
from ingest.themes import Theme, find_theme, load_themes
from retriever.abstention import MIN_SUPPORT
from retriever.answerers import AnswererUnavailable, GenerativeAnswerer
from retriever.catalogue import subject_name
from retriever.citations import renumber, verify
from retriever.extractive import UnitScorer
from retriever.filters import resolve_filters
from retriever.index import Index
from retriever.models import Citation, Draft, Hit, ScoredUnit, SearchFilter, cite
from retriever.overview import opening_passage
from retriever.search import Searcher

SEARCH_K = 12  # chunks retrieved for a theme or question, besides the chunks tagged with the theme
POINT_MARGIN = 0.24  # units within this of the best one are included
UNIT_FLOOR = 0.50  # a unit without a cue phrase needs this score (dense + lexical) to count for a theme
QUESTION_FLOOR = MIN_SUPPORT  # below it the corpus does not answer
MAX_PER_REVIEW = 4
MAX_POINTS = 12
LEARNING_KINDS = frozenset({SectionKind.LEARNING, SectionKind.FINDINGS})
RECOMMENDATION_KINDS = frozenset({SectionKind.RECOMMENDATIONS, SectionKind.ACTIONS})
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?!\[\d)|(?<=\])\s+(?=[A-Z])")
# Link text that lost its link when the page became text ("See here for more information", "click here",
# "read more"): it says nothing without the link, so a point ends before it (or is dropped if it is all there is).
_LINK_TEXT = re.compile(
    r"(?:\b(?:for\s+)?(?:more|further)\s+information[,:]?\s+)?"
    r"(?:\b(?:please\s+)?(?:see|click|tap|go|visit)\s+(?:here|this\s+link|the\s+link(?:\s+below)?)\b"
    r"|\bread\s+more\b|\bfind\s+out\s+more\b|\bmore\s+information\s+(?:is\s+available\s+)?here\b)[^.!?]*[.!?]?",
    re.I,
)


@dataclass(frozen=True)
class BriefPoint:
    """One line of the brief: its text with `[n]` markers and the citations behind them."""

    text: str
    citations: tuple[Citation, ...]
    review_id: str


@dataclass(frozen=True)
class CaseSummary:
    """A review in the brief: what it is, and one or two sentences from its background."""

    review_id: str
    title: str
    subject: str | None
    review_type: str | None
    points: tuple[BriefPoint, ...]
    phrased_by: str = Answerer.EXTRACTIVE  # a language model's name when it wrote the summary (citations checked)


@dataclass(frozen=True)
class Brief:
    """A cited learning brief; `discussion` holds the only non-verbatim text: prompts, not claims."""

    title: str
    theme: Theme | None
    question: str | None
    summaries: tuple[CaseSummary, ...]
    learning: tuple[BriefPoint, ...]
    recommendations: tuple[BriefPoint, ...]
    discussion: tuple[str, ...]
    sources: tuple[Citation, ...]
    answerer: str
    notices: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.learning or self.recommendations)


def is_recommendation(unit: Unit) -> bool:
    """A unit from a recommendations or actions section (a "should" elsewhere is learning, not a recommendation)."""
    return unit.chunk.section_kind in RECOMMENDATION_KINDS


def without_link_text(unit: Unit) -> Unit | None:
    """The unit up to any link text that lost its link ("See here for more information."); None if nothing
    else is left. The shortened unit is still the review's own words at its offsets."""
    found = _LINK_TEXT.search(unit.text)
    if found is None:
        return unit
    kept = unit.text[: found.start()].rstrip(" \t(-–—:;,")
    if len(kept.split()) < 3:
        return None
    return replace(unit, end=unit.start + len(kept), text=kept)


def point_units(units: Iterable[Unit]) -> list[Unit]:
    """Units fit to be points of a brief: link text cut off, lead-in lines ("The review found:") left out."""
    out = []
    for unit in units:
        kept = without_link_text(unit)
        if kept is not None and not kept.text.endswith(":"):
            out.append(kept)
    return out


def select_units(
    scored: Sequence[ScoredUnit],
    floor: float,
    margin: float = POINT_MARGIN,
    always: frozenset[tuple[str, int]] = frozenset(),
) -> list[Unit]:
    """Units within `margin` of the best that reach `floor`, plus those in `always` (cue matches); at most
    MAX_PER_REVIEW per review and MAX_POINTS in all, best first."""
    if not scored:
        return []
    bar = max(floor, scored[0].score - margin)
    chosen: list[Unit] = []
    per_review: dict[str, int] = {}
    for item in scored:
        unit = item.unit
        key = (unit.chunk.chunk_id, unit.start)
        if (item.score >= bar or key in always) and per_review.get(unit.chunk.review_id, 0) < MAX_PER_REVIEW:
            chosen.append(unit)
            per_review[unit.chunk.review_id] = per_review.get(unit.chunk.review_id, 0) + 1
        if len(chosen) == MAX_POINTS:
            break
    return chosen


class BriefBuilder:
    """Builds briefs from one open index, its searcher, the theme taxonomy and an optional language model."""

    def __init__(
        self,
        index: Index,
        searcher: Searcher,
        generator: GenerativeAnswerer | None = None,
        themes: Sequence[Theme] = (),
    ) -> None:
        self.index = index
        self.catalog = index.catalog
        self.searcher = searcher
        self.scorer = UnitScorer(searcher.embedder)
        self.generator = generator
        self.themes = tuple(themes)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None, index: Index | None = None) -> BriefBuilder:
        """A builder over the index in settings.home (unless given), with the configured answerer and themes."""
        from retriever.llm import generator_from_settings

        generator = generator_from_settings(settings)  # bad settings fail before the model loads
        themes = load_themes(settings.themes_path)
        index = index or Index.open(settings)
        return cls(index, index.searcher(embedder), generator, themes)

    def build(self, theme: str | None = None, question: str | None = None, reviews: Sequence[str] = ()) -> Brief:
        """A brief on a theme, a question, or (with neither) the learning of the given reviews."""
        if theme and question:
            raise CasewiseError("give a theme or a question for the brief, not both")
        if not (theme or question or reviews):
            raise CasewiseError("a brief needs a theme, a question or at least one review")
        review_ids, _ = resolve_filters(SearchFilter(reviews=tuple(reviews)), self.catalog)
        notices: list[str] = []
        found = find_theme(self.themes, theme) if theme else None
        if found:
            units, evidence = self._theme_units(found, review_ids, notices)
        elif question:
            units, evidence = self._question_units(question, review_ids, notices)
        else:
            units, evidence = self._review_units(review_ids)
        in_brief = list(dict.fromkeys([u.chunk.review_id for u in units] + ([] if units else review_ids)))
        summaries, summary_hits = self._summaries(in_brief, notices)
        return self._assemble(found, question, summaries, units, evidence + summary_hits, notices)

    # -- choosing the units -------------------------------------------------------------------------------
    def _theme_units(self, theme: Theme, review_ids: list[str], notices: list[str]) -> tuple[list[Unit], list[Hit]]:
        tagged = self.catalog.theme_chunks(theme.name, review_ids)
        touching = sorted({c.review_id for c in self.catalog.chunks([cid for cid, _ in tagged]).values()})
        if not touching:
            notices.append(
                f"No review {'among those chosen ' if review_ids else 'in this index '}is tagged with the "
                f"theme {theme.name!r}, so the brief is empty. The theme explorer shows which themes the "
                "reviews touch."
            )
            return [], []
        query = f"{theme.name}: {theme.description}"
        hits = self._point_hits(
            self.searcher.search(query, k=SEARCH_K, filters=SearchFilter(reviews=tuple(touching)))
            + [Hit(c, s) for c, s in self._tagged_chunks(tagged)]
        )
        scored = _without_link_text(self.scorer.score(query, hits))
        cued = frozenset((s.unit.chunk.chunk_id, s.unit.start) for s in scored if theme.pattern.search(s.unit.text))
        return _by_kind(scored, UNIT_FLOOR, cued), hits

    def _question_units(self, question: str, review_ids: list[str], notices: list[str]) -> tuple[list[Unit], list[Hit]]:
        hits = self._point_hits(  # learning and recommendations each searched for, so neither crowds out the other
            [
                hit
                for kinds in (LEARNING_KINDS, RECOMMENDATION_KINDS)
                for hit in self.searcher.search(
                    question, k=SEARCH_K, filters=SearchFilter(tuple(review_ids), kinds=tuple(sorted(kinds)))
                )
            ]
        )
        units = _by_kind(_without_link_text(self.scorer.score(question, hits)), QUESTION_FLOOR)
        if not units:
            notices.append(
                "The learning, findings and recommendations of these reviews do not answer this "
                "question, so the brief is empty; try a theme or a broader question."
            )
        return units, hits

    def _review_units(self, review_ids: list[str]) -> tuple[list[Unit], list[Hit]]:
        hits = self._point_hits(
            [Hit(c, 0.0) for rid in review_ids for c in sorted(self.catalog.all_chunks(rid), key=lambda c: c.start)]
        )
        units = point_units(u for h in hits for u in split_units(h.chunk))
        per_part: dict[tuple[str, bool], int] = {}  # learning and recommendations counted apart, per review
        chosen = []
        for unit in units:
            part = (unit.chunk.review_id, is_recommendation(unit))
            if per_part.get(part, 0) < 2 * MAX_PER_REVIEW:
                chosen.append(unit)
                per_part[part] = per_part.get(part, 0) + 1
        return chosen, hits

    def _tagged_chunks(self, tagged: list[tuple[str, float]]) -> list[tuple[Chunk, float]]:
        chunks = self.catalog.chunks([cid for cid, _ in tagged])
        return [(chunks[cid], score) for cid, score in tagged if cid in chunks]

    @staticmethod
    def _point_hits(hits: Sequence[Hit]) -> list[Hit]:
        """Hits from learning, findings, recommendations and actions sections, each chunk once."""
        seen: dict[str, Hit] = {}
        for hit in hits:
            if hit.chunk.section_kind in LEARNING_KINDS | RECOMMENDATION_KINDS:
                seen.setdefault(hit.chunk.chunk_id, hit)
        return list(seen.values())

    # -- case summaries -------------------------------------------------------------------------------------
    def _summaries(self, review_ids: Sequence[str], notices: list[str]) -> tuple[list[CaseSummary], list[Hit]]:
        index = self.index.reviews()
        summaries, hits = [], []
        for rid in review_ids:
            meta = index[rid]
            opening = opening_passage(self.catalog, rid, meta)  # the paragraph first naming the child
            if opening is None:
                continue
            hits.append(Hit(opening.chunk, 0.0))
            phrased = self._phrased_summary(meta.subject or meta.title, [opening.chunk], notices)
            points = phrased or (_point(opening),)
            by = self.generator.name if phrased and self.generator else Answerer.EXTRACTIVE
            named = subject_name(index, rid) or meta.subject  # "Northby Child A" where two reviews are of a Child A
            summaries.append(CaseSummary(rid, meta.title, named, meta.review_type, points, by))
        return summaries, hits

    def _phrased_summary(self, name: str, chunks: list[Chunk], notices: list[str]) -> tuple[BriefPoint, ...]:
        """With a language model configured: its summary, if at least one citation survives the check."""
        generator = self.generator
        if generator is None or not chunks:
            return ()
        question = f"In one or two sentences, what is the background of {name}?"
        hits = [Hit(c, 0.0) for c in chunks]
        try:
            draft = generator.draft(question, hits, self.scorer.score(question, hits))
        except AnswererUnavailable as exc:
            notices.append(f"{exc} The case summaries quote the reviews instead.")
            return ()
        checked = verify(draft, hits, self.index.review)
        text = cited_sentences(checked.text)
        if checked.removed:
            notices.append(
                f"The language model's summary of {name} lost what did not check out: " + "; ".join(checked.removed)
            )
        if not text:
            return ()
        return (BriefPoint(text, checked.citations, chunks[0].review_id),)

    # -- numbering and the citation check -------------------------------------------------------------------
    def _assemble(
        self,
        theme: Theme | None,
        question: str | None,
        summaries: list[CaseSummary],
        units: list[Unit],
        evidence: list[Hit],
        notices: list[str],
    ) -> Brief:
        learning = [_point(u) for u in _reading_order(u for u in units if u.chunk.section_kind in LEARNING_KINDS)]
        recommendations = [_point(u) for u in _reading_order(u for u in units if is_recommendation(u))]
        groups = [list(s.points) for s in summaries] + [learning, recommendations]
        numbered, draft = _number(groups)
        checked = verify(draft, evidence, self.index.review)
        kept = {c.marker: c for c in _original_markers(draft, checked)}
        final, sources = _renumber(numbered, kept)
        sizes = [len(g) for g in groups]
        cuts = [sum(sizes[:i]) for i in range(len(sizes) + 1)]
        parts = [final[cuts[i] : cuts[i + 1]] for i in range(len(groups))]
        summaries = [replace(s, points=tuple(p for p in parts[i] if p.citations)) for i, s in enumerate(summaries)]
        learning_out = tuple(p for p in parts[-2] if p.citations)
        recs_out = tuple(p for p in parts[-1] if p.citations)
        title = (
            f"Learning brief: {theme.name}"
            if theme
            else f"Learning brief: {question}"
            if question
            else "Learning brief: " + "; ".join(s.title for s in summaries)
        )
        phrased = next((s.phrased_by for s in summaries if s.phrased_by != Answerer.EXTRACTIVE), Answerer.EXTRACTIVE)
        return Brief(
            title=title,
            theme=theme,
            question=question,
            summaries=tuple(summaries),
            learning=learning_out,
            recommendations=recs_out,
            discussion=discussion_prompts(theme, question, summaries, learning_out, recs_out),
            sources=sources,
            answerer=phrased,
            notices=tuple(notices),
            removed=checked.removed,
        )


def cited_sentences(text: str) -> str:
    """Only the sentences that still carry a [n] marker (a marker may follow the full stop)."""
    sentences = _SENTENCE.split(" ".join(text.split()))
    return " ".join(s for s in sentences if MARKER.search(s))


def _without_link_text(scored: Sequence[ScoredUnit]) -> list[ScoredUnit]:
    return [replace(s, unit=u) for s in scored for u in point_units([s.unit])]


def _by_kind(scored: Sequence[ScoredUnit], floor: float, cued: frozenset[tuple[str, int]] = frozenset()) -> list[Unit]:
    """Learning and recommendations are chosen separately, so one cannot crowd out the other."""
    recs = [s for s in scored if is_recommendation(s.unit)]
    rest = [s for s in scored if s.unit.chunk.section_kind in LEARNING_KINDS]
    return select_units(rest, floor, always=cued) + select_units(recs, floor, always=cued)


def _reading_order(units: Iterable[Unit]) -> list[Unit]:
    """Grouped by review (in order of first appearance), in reading order within each review."""
    chosen = list(units)
    first = {rid: i for i, rid in reversed(list(enumerate(u.chunk.review_id for u in chosen)))}
    return sorted(chosen, key=lambda u: (first[u.chunk.review_id], u.start))


def _marked(quote: str, marker: int) -> str:
    return f"{quote} [{marker}]"


def _point(unit: Unit) -> BriefPoint:
    return BriefPoint(_marked(unit.text, 1), (cite(1, unit),), unit.chunk.review_id)


def _number(groups: list[list[BriefPoint]]) -> tuple[list[BriefPoint], Draft]:
    """Give every citation a brief-wide marker in reading order; the brief becomes one draft to verify."""
    out: list[BriefPoint] = []
    citations: list[Citation] = []
    for point in (p for g in groups for p in g):
        mapping: dict[int, int] = {}
        for c in point.citations:
            citations.append(replace(c, marker=len(citations) + 1))
            mapping[c.marker] = len(citations)
        text = _remap(point.text, mapping)
        out.append(BriefPoint(text, tuple(c for c in citations if c.marker in mapping.values()), point.review_id))
    return out, Draft(text="\n".join(p.text for p in out), citations=tuple(citations), answerer="brief")


def _remap(text: str, mapping: dict[int, int]) -> str:
    """Markers renumbered by `mapping`; one with no citation behind it becomes [0], which verify removes."""
    return MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), 0)}]", text)


def _original_markers(draft: Draft, checked: Draft) -> list[Citation]:
    """The citations that survived the check, under their pre-check markers (verify renumbers them)."""
    survivors = {(c.chunk_id, c.start, c.end) for c in checked.citations}
    pages = {(c.chunk_id, c.start, c.end): c.pages for c in checked.citations}
    return [
        replace(c, pages=pages[(c.chunk_id, c.start, c.end)])
        for c in draft.citations
        if (c.chunk_id, c.start, c.end) in survivors
    ]


def _renumber(points: list[BriefPoint], kept: dict[int, Citation]) -> tuple[list[BriefPoint], tuple[Citation, ...]]:
    """Drop failed markers, then number the kept ones 1..n in reading order; the sources follow that order."""
    texts, sources = renumber([p.text for p in points], kept)
    out = []
    for point, text in zip(points, texts, strict=True):
        shown = {int(m) for m in MARKER.findall(text)}
        out.append(BriefPoint(" ".join(text.split()), tuple(c for c in sources if c.marker in shown), point.review_id))
    return out, sources


def discussion_prompts(
    theme: Theme | None,
    question: str | None,
    summaries: Sequence[CaseSummary],
    learning: Sequence[BriefPoint],
    recommendations: Sequence[BriefPoint],
) -> tuple[str, ...]:
    """Questions for the session, templated from the theme and the points (prompts, not claims)."""
    if not (learning or recommendations):
        return ()
    names = {s.review_id: f"the {s.subject} review" if s.subject else s.title for s in summaries}
    prompts = []
    if theme:
        prompts.append(
            f"The theme “{theme.name}” covers: {theme.description.rstrip('.')}. Where have you met "
            "this in your own cases, and what made it easy or hard to recognise?"
        )
    elif question:
        prompts.append(
            f"This session asks: “{question}” How does what the reviews say compare with what happens in your service?"
        )
    firsts: dict[str, int] = {}
    for number, point in enumerate(learning, start=1):
        firsts.setdefault(point.review_id, number)
    for review_id, number in list(firsts.items())[:3]:
        prompts.append(
            f"Learning point L{number} comes from {names.get(review_id, review_id)}. What would acting "
            "on it look like in your team, and what gets in the way?"
        )
    if len(summaries) > 1:
        listed = [names[s.review_id] for s in summaries[:4]]
        both = ", ".join(listed[:-1]) + " and " + listed[-1]
        prompts.append(f"Compare {both}: what do the cases have in common, and where do they differ?")
    if len(recommendations) == 1:
        prompts.append("Recommendation R1: which agency would own it, and how would you know it had made a difference?")
    elif recommendations:
        prompts.append(
            f"Which of recommendations R1–R{len(recommendations)} matters most for your agency? Who "
            "would own it, and how would you know it had made a difference?"
        )
    return tuple(prompts)
