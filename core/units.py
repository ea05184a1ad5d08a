"""Quotable units of evidence: the bullets and sentences of a chunk, with offsets into the review text.

Shared by ingest (which encodes each unit once) and the answerer (which quotes and scores them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Chunk
from core.text import BULLET, sentence_ends

# How reviews name a child ("Child M", "Young Person F", "Baby N's"): replaced by "the child" before scoring, so a
# sentence is not relevant merely because it names the child the question names.
_CHILD_NAME = re.compile(
    r"\b(?i:child|young person|person|baby|infant|adolescent|sibling)s?\s+(?:[A-Z]{1,2}\d?|\d{1,2})\b(?:['\u2019]s)?"
)


# A table's row as ingest writes it, each cell named by its column ("Date: 19 December 2023; Agency: GP; Event: Poppy
# seen with a bruise. No referral made."): read as one unit, so a cell's sentences keep the row they belong to. A
# line opening with a column's name and naming another after "; " is one.
_COLUMN = r"[A-Z][\w'()/&-]*(?: [\w'()/&-]+){0,4}: "
_TABLE_ROW = re.compile(rf"[ \t]*{_COLUMN}[^\n]*?; {_COLUMN}")


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
        if marker or _TABLE_ROW.match(line):  # a table's row, each cell named by its column, is one whole too
            begin = marker.end() if marker else len(line) - len(line.lstrip())
            units.append(span(chunk, line_start + begin, line_start + len(line.rstrip()), True))
            continue
        begin = len(line) - len(line.lstrip())
        for match in sentence_ends(line):
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


def neutral(text: str) -> str:
    """The text a unit (or a question) is scored by: children's names read as "the child"."""
    return _CHILD_NAME.sub("the child", text)


def quotable_units(chunk: Chunk) -> list[Unit]:
    """The units an answer may quote (a lead-in line ending in ':' introduces others and is not one)."""
    return [u for u in split_units(chunk) if not u.text.endswith(":")]
