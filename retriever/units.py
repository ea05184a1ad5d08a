"""Quotable units of evidence: the bullets and sentences of a chunk, with offsets into the review text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Chunk
from core.text import BULLET, SENTENCE_END

# An item of a list as the review prints it: a bullet, "3.", "8.1", "(a)", "a)"; group 1 is its printed number.
_ITEM = re.compile(
    r"^\s*(?:[-*\u2022\u25cf\u25aa\u25e6\u2013]|\(?(\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}[.)]|[a-z][.)]))[ \t]+(?=\S)"
)


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
            units.append(_unit(chunk, line_start + marker.end(), line_start + len(line.rstrip()), True))
            continue
        begin = len(line) - len(line.lstrip())
        for match in SENTENCE_END.finditer(line):
            units.append(
                _unit(
                    chunk,
                    line_start + begin,
                    line_start + match.start() + len(match.group(0).rstrip()),
                    False,
                )
            )
            begin = match.end()
        units.append(_unit(chunk, line_start + begin, line_start + len(line.rstrip()), False))
    return [u for u in units if u.text]


def _unit(chunk: Chunk, start: int, end: int, is_bullet: bool) -> Unit:
    text = chunk.text[start - chunk.start : end - chunk.start]
    return Unit(chunk=chunk, start=start, end=end, text=text, is_bullet=is_bullet)


@dataclass(frozen=True)
class Item:
    """One item of a section read as a list: its printed number ('' for a bullet or a paragraph) and its words."""

    number: str
    unit: Unit


def list_items(chunk: Chunk) -> list[Item]:
    """A chunk's list items in order: its bulleted or numbered lines when it has any (a lead-in line such as
    'The review makes five recommendations:' is left out), otherwise each of its paragraphs."""
    lines: list[tuple[int, str]] = []
    pos = chunk.start
    for line in chunk.text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    marked: list[tuple[int, str, re.Match[str] | None]] = [
        (start, line, m) for start, line in lines if (m := _ITEM.match(line))
    ]
    items = []
    for start, line, marker in marked or [(s, ln, None) for s, ln in lines]:
        begin = marker.end() if marker else len(line) - len(line.lstrip())
        unit = _unit(chunk, start + begin, start + len(line.rstrip()), bool(marker))
        if unit.text and not (not marked and unit.text.endswith(":")):
            number = (marker.group(1) or "") if marker else ""
            items.append(Item(number.rstrip(".)"), unit))
    return items
