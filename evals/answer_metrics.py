"""Per-question metrics of an answer against its gold question; the exact rules are in evals/README.md.

A metric that does not apply to a question (no citations to judge, no gold groups) returns None, and
averages skip it; 0.0 always means "applies, and failed".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from evals.matching import MARKER, answer_tokens, any_in, contains, content_words, find_spans
from evals.retrieval_metrics import hit_at_k, mrr_at_k
from ingest.embedding import Embedder

Groups = Sequence[Sequence[str]]
ReviewText = Callable[[str], str | None]
CitationLike = Mapping[str, Any]  # the INTERFACE citation object: quote, start, end, review_id, chunk_id, marker

FAITHFUL_SHARE = 0.6  # a sentence is supported when this share of its content words is in its cited quotes


# -- retrieval over evidence groups --------------------------------------------------------------------------
def groups_in(text: str, groups: Groups) -> frozenset[int]:
    """Indexes of the groups with an alternative in the text."""
    return frozenset(i for i, group in enumerate(groups) if any_in(text, group))


def _ranked_ids(retrieved: Sequence[str], groups: Groups) -> tuple[list[str], dict[str, int]]:
    """Retrieved texts as ids for evals.retrieval_metrics: a relevant text becomes its first group's id."""
    ranked = []
    for rank, text in enumerate(retrieved):
        found = groups_in(text, groups)
        ranked.append(f"group-{min(found)}" if found else f"miss-{rank}")
    return ranked, {f"group-{i}": 1 for i in range(len(groups))}


def retrieval_hit(retrieved: Sequence[str], groups: Groups, k: int) -> float | None:
    """1.0 if any of the top k retrieved texts contains an alternative of any group (None without groups)."""
    if not groups:
        return None
    return hit_at_k(*_ranked_ids(retrieved, groups), k)


def retrieval_recall(retrieved: Sequence[str], groups: Groups, k: int) -> float | None:
    """Share of the groups with an alternative in some top-k retrieved text."""
    if not groups:
        return None
    covered = set().union(*(groups_in(text, groups) for text in retrieved[:k]))
    return len(covered) / len(groups)


def retrieval_mrr(retrieved: Sequence[str], groups: Groups, k: int = 10) -> float | None:
    """1 / rank of the first retrieved text with an alternative of any group (0 if none in the top k)."""
    if not groups:
        return None
    return mrr_at_k(*_ranked_ids(retrieved, groups), k)


def retrieval_ndcg(retrieved: Sequence[str], groups: Groups, k: int = 10) -> float | None:
    """nDCG@k where a text gains 1 for each group it covers first; the ideal covers one new group per rank.

    Capped at 1.0: one text covering two groups scores as well as the ideal two texts.
    """
    if not groups:
        return None
    covered: set[int] = set()
    dcg = 0.0
    for rank, text in enumerate(retrieved[:k], start=1):
        new = groups_in(text, groups) - covered
        covered |= new
        dcg += len(new) / np.log2(rank + 1)
    ideal = sum(1 / np.log2(rank + 1) for rank in range(1, min(len(groups), k) + 1))
    return float(min(1.0, dcg / ideal))


# -- citations -----------------------------------------------------------------------------------------------
def is_verbatim(citation: CitationLike, review_text: ReviewText) -> bool:
    """Whether the quote is exactly the review's text at the citation's start:end."""
    text = review_text(str(citation.get("review_id", "")))
    start, end = citation.get("start"), citation.get("end")
    if text is None or not isinstance(start, int) or not isinstance(end, int):
        return False
    return text[start:end] == citation.get("quote")


def citation_groups(citation: CitationLike, groups: Groups, review_text: ReviewText) -> frozenset[int]:
    """The gold groups one citation satisfies.

    A group is satisfied when an alternative occurs in the quote, or - for a verbatim quote - when an
    occurrence of the alternative in the review text overlaps the quote's span by at least half of the
    shorter of the two (a quote that is part of a longer evidence string, or straddles its edge).
    """
    quote = str(citation.get("quote") or "")
    found = set(groups_in(quote, groups))
    if len(found) == len(groups) or not is_verbatim(citation, review_text):
        return frozenset(found)
    text = review_text(str(citation["review_id"])) or ""
    start, end = int(citation["start"]), int(citation["end"])
    for i, group in enumerate(groups):
        if i in found:
            continue
        for alternative in group:
            for s, e in find_spans(alternative, text):
                overlap = min(e, end) - max(s, start)
                if overlap > 0 and overlap * 2 >= min(e - s, end - start):
                    found.add(i)
    return frozenset(found)


def citation_precision(citations: Sequence[CitationLike], groups: Groups, review_text: ReviewText) -> float | None:
    """Share of citations that satisfy some gold group (None when there are no citations or no groups)."""
    if not citations or not groups:
        return None
    return sum(bool(citation_groups(c, groups, review_text)) for c in citations) / len(citations)


def citation_recall(citations: Sequence[CitationLike], groups: Groups, review_text: ReviewText) -> float | None:
    """Share of gold groups satisfied by some citation (0.0 with no citations; None without groups)."""
    if not groups:
        return None
    covered = set().union(*(citation_groups(c, groups, review_text) for c in citations))
    return len(covered) / len(groups)


def quotes_verbatim(citations: Sequence[CitationLike], review_text: ReviewText) -> float | None:
    """Share of citations whose quote is review_text[start:end] exactly (None without citations)."""
    if not citations:
        return None
    return sum(is_verbatim(c, review_text) for c in citations) / len(citations)


# -- the answer text -----------------------------------------------------------------------------------------
def key_fact_coverage(answer: str, key_facts: Groups) -> float | None:
    """Share of key-fact groups with an alternative in the answer text (None without key facts)."""
    if not key_facts:
        return None
    return sum(any_in(answer, group) for group in key_facts) / len(key_facts)


def token_f1(answer: str, reference: str) -> float:
    """SQuAD-style token F1 between the answer (markers removed) and the reference answer."""
    predicted, gold = answer_tokens(answer), answer_tokens(reference)
    if not predicted or not gold:
        return float(predicted == gold)
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def embedding_similarity(answer: str, reference: str, embedder: Embedder) -> float:
    """Cosine similarity of the answer (markers removed) and the reference under the embedding model."""
    text = MARKER.sub("", answer).strip()
    if not text:
        return 0.0
    vectors = embedder.encode([text, reference])
    a, b = vectors[0], vectors[1]
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.clip(float(a @ b) / norm, -1.0, 1.0)) if norm else 0.0


# -- faithfulness --------------------------------------------------------------------------------------------
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d{1,3}\])+)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^(?:[-*\u2022]|\d{1,2}[.)])\s+")
# The framing that names where a passage is from: "In the X review:", "No, according to the X review [1]:".
_CONNECTIVE = re.compile(
    r"^(?:In|(?:Yes|No), according to) (?:the )?[^\n:\[]{1,120}? review(?:\s*\[\d{1,3}\])?:\s*", re.IGNORECASE
)


# Lines the answer frames its quotes with, saying nothing of what a review says: a label its entries follow
# ("In Local Child Safeguarding Practice Review: Infants P and W:") and how many reviews had something.
_LABEL = re.compile(r":$")
_COUNT = re.compile(r"^\d+ of the \d+ reviews searched ha(?:s|ve) something on this\.$")


def answer_sentences(answer: str) -> list[tuple[str, frozenset[int]]]:
    """The answer's sentences without markers, bullets, "In the X review:" prefixes or framing lines (a label
    its entries follow, the count of reviews that had something), each with its markers.

    A sentence without a marker takes the markers of the next marked sentence on its line, since a marker
    at the end of a passage covers all of it.
    """
    out: list[tuple[str, frozenset[int]]] = []
    for line in _MARKERS_AFTER_STOP.sub(r"\2\1", answer).splitlines():
        if _LABEL.search(line.strip()) or _COUNT.match(line.strip()):
            continue
        line = _CONNECTIVE.sub("", _BULLET.sub("", line.strip()))
        pending: list[str] = []
        for sentence in _SENTENCE_END.split(line):
            markers = frozenset(int(m) for m in re.findall(r"\[(\d{1,3})\]", sentence))
            pending.append(MARKER.sub("", sentence).strip())
            if markers:
                out += [(s, markers) for s in pending if s]
                pending = []
        out += [(s, frozenset()) for s in pending if s]
    return out


def faithfulness(answer: str, citations: Sequence[CitationLike]) -> float | None:
    """Share of answer sentences with content words whose words are mostly (>= 0.6) in their cited quotes.

    None when the answer has no such sentence (empty); the harness skips it for abstentions.
    """
    quotes = {int(c["marker"]): str(c.get("quote") or "") for c in citations if "marker" in c}
    judged = supported = 0
    for sentence, markers in answer_sentences(answer):
        words = content_words(sentence)
        if not words:
            continue
        cited = set().union(*(content_words(quotes[m]) for m in markers if m in quotes))
        judged += 1
        supported += len(words & cited) / len(words) >= FAITHFUL_SHARE
    return supported / judged if judged else None


# -- abstention and latency over a whole run -----------------------------------------------------------------
def abstention_precision(abstained: Sequence[bool], unanswerable: Sequence[bool]) -> float | None:
    """Of the abstentions, the share on unanswerable questions (None if nothing abstained)."""
    flagged = [gold for said, gold in zip(abstained, unanswerable, strict=True) if said]
    return sum(flagged) / len(flagged) if flagged else None


def abstention_recall(abstained: Sequence[bool], unanswerable: Sequence[bool]) -> float | None:
    """Of the unanswerable questions, the share answered with an abstention (None if there are none)."""
    wanted = [said for said, gold in zip(abstained, unanswerable, strict=True) if gold]
    return sum(wanted) / len(wanted) if wanted else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100, linear interpolation) of the values; None when there are none."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else None


def key_facts_missing(answer: str, key_facts: Groups) -> list[str]:
    """The first alternative of each key-fact group the answer lacks (for reports)."""
    return [group[0] for group in key_facts if not any(contains(answer, a) for a in group)]
