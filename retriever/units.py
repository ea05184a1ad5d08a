"""A section read as a list: its numbered or bulleted items, in the review's order and numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Chunk
from core.units import Unit, span

# An item of a list as the review prints it: a bullet, "3.", "8.1", "(a)", "a)", "(iv)", "ii.", or a label run in
# before the item's words ("Recommendation 3:", "Learning point 2 -", "Action 4."). Its printed number is the one
# group that matched.
_ITEM = re.compile(
    r"^\s*(?:[-*\u2022\u25cf\u25aa\u25e6\u2013]"
    r"|\(?(\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}[.)]|[a-z][.)])"
    r"|\(([ivx]{1,4})\)|([ivx]{2,4})[.)]"
    r"|[A-Z][a-z]+(?:[ \t][a-z]+|[ \t][A-Z][a-z]+){0,2}[ \t](\d{1,2}(?:\.\d{1,2})?)[ \t]*[:.\u2013\u2014-])"
    r"[ \t]+(?=\S)"
)

# A section heading that numbers the one item its section holds: "Recommendation 2", "Key Finding 3 - ...",
# "Learning point 1: Hearing the child" (lower-case words only before a stop, so "Transitions at 18" is not one).
_NUMBERED_HEADING = re.compile(
    r"[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2}[ \t](\d{1,2}(?:\.\d{1,2})?)(?:[ \t]*[:.\u2013\u2014-]|$)"
    r"|[A-Z][a-z]+(?:[ \t][a-z]+){1,3}[ \t](\d{1,2}(?:\.\d{1,2})?)[ \t]*[:.\u2013\u2014-]"
)


@dataclass(frozen=True)
class Item:
    """One item of a section read as a list: its printed number ('' for a bullet or a paragraph) and its words."""

    number: str
    unit: Unit


def list_items(chunk: Chunk) -> list[Item]:
    """A chunk's list items in order: its bulleted or numbered lines when it has any (a lead-in line such as
    'The review makes five recommendations:' is left out); in a section whose heading numbers its one item
    ('Recommendation 2'), that item: the section's first paragraph, numbered as its heading (what follows, such
    as the agency's response, is about the item); otherwise each of its paragraphs."""
    lines: list[tuple[int, str]] = []
    pos = chunk.start
    for line in chunk.text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    marked: list[tuple[int, str, re.Match[str] | None]] = [
        (start, line, m) for start, line in lines if (m := _ITEM.match(line))
    ]
    heading = _NUMBERED_HEADING.match(chunk.section_path[-1]) if chunk.section_path and not marked else None
    if heading:
        lines = lines[:1] if chunk.part == 1 else []
    items = []
    for start, line, marker in marked or [(s, ln, None) for s, ln in lines]:
        begin = marker.end() if marker else len(line) - len(line.lstrip())
        unit = span(chunk, start + begin, start + len(line.rstrip()), bool(marker))
        if unit.text and not (not marked and unit.text.endswith(":")):
            number = _number(marker or heading)
            items.append(Item(number.rstrip(".)"), unit))
    return items


def _number(marker: re.Match[str] | None) -> str:
    return next((g for g in marker.groups() if g), "") if marker else ""
