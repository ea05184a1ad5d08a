"""The citation check every answer passes: markers point to retrieved evidence, quotes are verbatim."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from core.models import Review
from core.settings import Answerer
from core.text import citation_markers, tidy, with_markers_replaced
from retriever.entailment import drop_unsupported
from retriever.models import Citation, Draft, Hit


def verify(draft: Draft, evidence: Sequence[Hit], review_of: Callable[[str], Review | None]) -> Draft:
    """Keep only citations to retrieved chunks whose quote is the review's text at its offsets.

    Markers whose citation fails are removed from the text; the draft records what was removed and why.
    Pages are recomputed from the review's page map, so they are the quote's own pages.
    """
    retrieved = {hit.chunk.chunk_id for hit in evidence}
    kept: dict[int, Citation] = {}
    removed = list(draft.removed)
    for citation in draft.citations:
        review = review_of(citation.review_id)
        if citation.chunk_id not in retrieved:
            removed.append(f"[{citation.marker}] cites {citation.chunk_id}, which was not among the evidence")
        elif review is None or review.text[citation.start : citation.end] != citation.quote:
            removed.append(f"[{citation.marker}] quote is not verbatim at {citation.start}-{citation.end}")
        else:
            kept[citation.marker] = replace(citation, pages=review.pages_for(citation.start, citation.end))
    quotes = [c.quote for c in draft.citations]  # a review's own "[2]" in a quote is no marker
    for number in sorted({int(m.group(1)) for m in citation_markers(draft.text, quotes)} - set(kept)):
        if not any(f"[{number}]" in r for r in removed):
            removed.append(f"[{number}] has no citation behind it")
    text = with_markers_replaced(draft.text, quotes, lambda n: f"[{n}]" if n in kept else "")
    notices = draft.notices
    if draft.answerer != Answerer.EXTRACTIVE:  # a model's words: does the cited quote say the same, not the opposite?
        text, contradicted = drop_unsupported(text, kept)
        removed += contradicted
        if contradicted:
            notices += (f"{len(contradicted)} sentence(s) were removed: the passages they cite do not say so.",)
    [text], renumbered = renumber([text], kept)
    return replace(draft, text=tidy(text), citations=renumbered, removed=tuple(removed), notices=notices)


def renumber(texts: Sequence[str], kept: Mapping[int, Citation]) -> tuple[list[str], tuple[Citation, ...]]:
    """The markers of kept citations become 1..n in order of first appearance across the texts, other markers
    are dropped; the citations, renumbered, follow the same order."""
    order: dict[int, int] = {}
    quotes = [c.quote for c in kept.values()]
    for text in texts:
        for m in citation_markers(text, quotes):
            if int(m.group(1)) in kept:
                order.setdefault(int(m.group(1)), len(order) + 1)
    out = [with_markers_replaced(t, quotes, lambda n: f"[{order[n]}]" if n in order else "") for t in texts]
    return out, tuple(replace(kept[old], marker=new) for old, new in order.items())
