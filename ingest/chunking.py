"""Cut sections into chunks that fit the embedding model's window, at bullet or sentence boundaries."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from core.models import Chunk, Review, Section
from core.text import sentence_ends

# all-MiniLM-L6-v2 reads 256 word pieces; the heading line carried into each part takes some of them.
MAX_TOKENS = 200
_TOKEN = re.compile(r"\w+|[^\w\s]")


_WORD_END = re.compile(r"\S+(?=\s|$)")
TOKENS_PER_WORD = 2  # a generous share of word pieces per word, for cutting a span that has no sentence stops
OVERLONG = 4  # a span this many times the chunk limit has no sentence stops worth keeping it whole for


def estimate_tokens(text: str) -> int:
    """Word pieces, estimated: words and punctuation, plus a margin for words split into pieces."""
    return int(len(_TOKEN.findall(text)) * 1.2) + 1


def chunk_review(review: Review, sections: tuple[Section, ...], max_tokens: int = MAX_TOKENS) -> list[Chunk]:
    """One chunk per section, or several when a section is longer than the window."""
    chunks = []
    for section in sections:
        spans = _pack(list(_units(review.text, section.start, section.end, max_tokens)), review.text, max_tokens)
        for part, (start, end) in enumerate(spans, start=1):
            chunks.append(_make_chunk(review, section, part, start, end))
    return chunks


def _units(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """Lines (a bullet or a paragraph each), split into sentences when a line alone is too long."""
    pos = start
    for line in text[start:end].split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            continue
        if estimate_tokens(line) <= max_tokens:
            yield line_start, line_end
            continue
        sentence_start = line_start
        for match in sentence_ends(line):
            yield from _within_limit(
                text, sentence_start, line_start + match.start() + len(match.group(0).rstrip()), max_tokens
            )
            sentence_start = line_start + match.end()
        yield from _within_limit(text, sentence_start, line_end, max_tokens)


def _within_limit(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """The span, or, when it is many times too long for one chunk (a paragraph with no sentence stops), pieces of
    it cut at spaces, each within the limit: one pass over its words. A sentence somewhat over the limit stays
    whole, as a unit is never split."""
    if estimate_tokens(text[start:end]) <= OVERLONG * max_tokens:
        yield start, end
        return
    piece_start, words = start, 0
    for word in _WORD_END.finditer(text, start, end):
        words += 1
        if words * TOKENS_PER_WORD >= max_tokens:
            yield piece_start, word.end()
            piece_start, words = word.end() + 1, 0
    if piece_start < end:
        yield piece_start, end


def _pack(units: list[tuple[int, int]], text: str, max_tokens: int) -> list[tuple[int, int]]:
    """Greedily group consecutive units while the group fits; never split a unit."""
    spans: list[tuple[int, int]] = []
    for start, end in units:
        if spans and estimate_tokens(text[spans[-1][0] : end]) <= max_tokens:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def _make_chunk(review: Review, section: Section, part: int, start: int, end: int) -> Chunk:
    text = review.text[start:end]
    digest = hashlib.sha1(f"{review.review_id}|{section.label}|{start}|{end}|{text}".encode()).hexdigest()[:12]
    heading = " > ".join(section.path)
    return Chunk(
        chunk_id=f"{review.review_id}:{digest}",
        review_id=review.review_id,
        review_title=review.title,
        review_type=review.meta.review_type,
        section_path=section.path,
        section_label=section.label,
        section_ordinal=section.ordinal,
        part=part,
        start=start,
        end=end,
        pages=review.pages_for(start, end),
        text=text,
        embed_text=f"{review.title}. {heading}.\n{text}",
        section_kind=section.kind,
        child=section.child,
        section_number=section.number,
    )
