"""A section read as a list: its numbered or bulleted items, in the review's order and numbering."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from core.models import Chunk
from core.units import Unit, span
from ingest.headings import names_one_item

# An item of a list as the review prints it: a bullet, "3.", "8.1", "(a)", "a)", "(iv)", "ii.", "R4", or a label run in
# before the item's words ("Recommendation 3:", "Learning point 2 -", "Action 4."). Its printed number is the one
# group that matched.
_ITEM = re.compile(
    r"^\s*(?:[-*\u2022\u25cf\u25aa\u25e6\u2013]"
    r"|\(?(\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}[.)]|[a-z][.)])"
    r"|\(([ivx]{1,4})\)|([ivx]{2,4})[.)]"
    r"|([A-Z]{1,3}\d{1,2})(?:[.:)]|[ \t]*[\u2013\u2014-])?"
    r"|[A-Z][a-z]+(?:[ \t][a-z]+|[ \t][A-Z][a-z]+){0,2}[ \t](\d{1,2}(?:\.\d{1,2})?)[ \t]*[:.\u2013\u2014-])"
    r"[ \t]+(?=\S)"
)

# A section heading that numbers the one item its section holds: "Recommendation 2", "Key Finding 3 - ...",
# "Learning point 1: Hearing the child" (lower-case words only before a stop, so "Transitions at 18" is not one);
# the label's words (group 1 or 3) must name an item of a list kind, so "Part 5: Recommendations" is not one.
_NUMBERED_HEADING = re.compile(
    r"([A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2})[ \t](\d{1,2}(?:\.\d{1,2})?)(?:[ \t]*[:.\u2013\u2014-]|$)"
    r"|([A-Z][a-z]+(?:[ \t][a-z]+){1,3})[ \t](\d{1,2}(?:\.\d{1,2})?)[ \t]*[:.\u2013\u2014-]"
)
# A run-in label opening a paragraph ("Response:", "**Agency response:**"): group 1 is its words.
_RUN_IN_LABEL = re.compile(r"[*_]{0,2}([A-Z][a-z]+(?:[ \t][A-Za-z]+){0,2})[ \t]*:")
ANNOTATION_MIN_REPEATS = 2  # a label opening this many paragraphs of a section marks comments on its items


@dataclass(frozen=True)
class Item:
    """One item of a section read as a list: its printed number ('' for a bullet or a paragraph) and its words."""

    number: str
    unit: Unit


def list_items(chunk: Chunk) -> list[Item]:
    """A chunk's list items in order: its bulleted or numbered lines when it has any (a lead-in line such as
    'The review makes five recommendations:' is left out); in a section whose heading numbers its one item
    ('Recommendation 2', 'Finding 3: ...'), that item: the section's first paragraph, numbered as its heading (what
    follows, such as the agency's response or the recommendations a finding leads to, is about the item) unless
    that paragraph opens a list; otherwise each of its paragraphs."""
    lines: list[tuple[int, str]] = []
    pos = chunk.start
    for line in chunk.text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    marked: list[tuple[int, str, re.Match[str] | None]] = [
        (start, line, m) for start, line in lines if (m := _ITEM.match(line))
    ]
    heading_number = _item_heading_number(chunk.section_path[-1]) if chunk.section_path else ""
    opening = lines[0][1].rstrip() if lines else ""
    if heading_number and not (_ITEM.match(opening) or opening.endswith(":")):  # not when the item is a list
        lines, marked = (lines[:1] if chunk.part == 1 else []), []
    else:
        heading_number = ""
        if not marked:
            lines = _without_annotations(lines)
    items = []
    for start, line, marker in marked or [(s, ln, None) for s, ln in lines]:
        begin = marker.end() if marker else len(line) - len(line.lstrip())
        unit = span(chunk, start + begin, start + len(line.rstrip()), bool(marker))
        if unit.text and not (not marked and unit.text.endswith(":")):
            number = next((g for g in marker.groups() if g), "") if marker else heading_number
            items.append(Item(number.rstrip(".)"), unit))
    return items


def _without_annotations(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Paragraphs less those opened by a label that opens several of them while others have none: an item followed
    by 'Response: ...' each time, where the responses are about the items, not items."""
    labels = [m.group(1).lower() if (m := _RUN_IN_LABEL.match(line.lstrip())) else "" for _, line in lines]
    counts = Counter(labels)
    repeated = {label for label, n in counts.items() if label and n >= ANNOTATION_MIN_REPEATS}
    if not repeated or all(label in repeated for label in labels):
        return lines
    return [line for line, label in zip(lines, labels, strict=True) if label not in repeated]


def _item_heading_number(heading: str) -> str:
    """The number of the one item a section's heading numbers ('Recommendation 2' -> '2'), else ''."""
    match = _NUMBERED_HEADING.match(heading)
    if match is None or not names_one_item(match.group(1) or match.group(3)):
        return ""
    return match.group(2) or match.group(4)
