"""Quotable units of evidence: the bullets and sentences of a chunk, with offsets into the review text.

Shared by ingest (which encodes each unit once) and the answerer (which quotes and scores them)."""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Chunk
from core.text import BULLET, SENTENCE_END


@dataclass(frozen=True)
class Unit:
    """A bullet or sentence: `text == review_text[start:end]`, without any bullet marker."""

    chunk: Chunk
    start: int
    end: int
    text: str
    is_bullet: bool


def split_units(chunk: Chunk) -> list[Unit]:
    """The chunk's bullets (each whole) and the sentences of its paragraphs, in reading order."""
    units: list[Unit] = []
    pos = chunk.start
    for line in chunk.text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        marker = BULLET.match(line)
        if marker:
            units.append(span(chunk, line_start + marker.end(), line_start + len(line.rstrip()), True))
            continue
        begin = len(line) - len(line.lstrip())
        for match in SENTENCE_END.finditer(line):
            units.append(
                span(
                    chunk,
                    line_start + begin,
                    line_start + match.start() + len(match.group(0).rstrip()),
                    False,
                )
            )
            begin = match.end()
        units.append(span(chunk, line_start + begin, line_start + len(line.rstrip()), False))
    return [u for u in units if u.text]


def span(chunk: Chunk, start: int, end: int, is_bullet: bool) -> Unit:
    """The unit of the chunk between two offsets into the review text."""
    text = chunk.text[start - chunk.start : end - chunk.start]
    return Unit(chunk=chunk, start=start, end=end, text=text, is_bullet=is_bullet)
