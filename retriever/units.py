"""A section read as a list: its numbered or bulleted items, in the review's order and numbering."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Chunk
from core.text import BULLET_GLYPHS
from core.units import Unit, span
from ingest.headings import names_one_item
from ingest.kinds import section_kind

# An item of a list as the review prints it: a bullet, "3.", "8.1", "(a)", "a)", "(iv)", "ii.", "R4", or a label run in
# before the item's words ("Recommendation 3:", "Learning point 2 -", "Action 4."). Its printed number is the one
# group that matched.
_ITEM = re.compile(
    rf"^\s*(?:{BULLET_GLYPHS}"
    r"|\(?(\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}[.)]|[a-z][.)])"
    r"|\(([ivx]{1,4})\)|([ivx]{2,4})[.)]"
    r"|([A-Z]{1,3}\d{1,2})(?:[.:)]|[ \t]*[\u2013\u2014-])?"
    r"|[A-Z][a-z]+(?:[ \t][a-z]+|[ \t][A-Z][a-z]+){0,2}[ \t](\d{1,2}(?:\.\d{1,2})?)[ \t]*[:.\u2013\u2014-])"
    r"[ \t]+(?=\S)"
)

ANNOUNCE_MAX_WORDS = 20
_ANNOUNCING = re.compile(r"\b(?:the following|as follows|set out below|listed below)\b[^.:]{0,80}[.:]\s*$", re.I)
# A section heading that numbers the one item its section holds: "Recommendation 2", "Key Finding 3 - ...",
# "Learning point 1: Hearing the child" (lower-case words only before a stop, so "Transitions at 18" is not one);
# the label's words (group 1 or 3) must name an item of a list kind, so "Part 5: Recommendations" is not one.
_NUMBERED_HEADING = re.compile(
    r"([A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2})[ \t](\d{1,2}(?:\.\d{1,2})?)(?:[ \t]*[:.\u2013\u2014-]|$)"
    r"|([A-Z][a-z]+(?:[ \t][a-z]+){1,3})[ \t](\d{1,2}(?:\.\d{1,2})?)[ \t]*[:.\u2013\u2014-]"
)
# A run-in label opening a paragraph ("Response:", "**Agency response:**"): group 1 is its words.
_RUN_IN_LABEL = re.compile(r"[*_]{0,2}([A-Z][a-z]+(?:[ \t][A-Za-z]+){0,2})[ \t]*:")
# A paragraph opening on an item's label and number, bold or not: "**Learning 1: ...**", "Finding 2 - ...".
_NUMBERED_RUN_IN = re.compile(r"[*_]{0,2}[A-Z][a-z]+(?:[ \t][A-Za-z]+){0,2}[ \t]\d{1,2}\b")
ANNOTATION_MIN_REPEATS = 2  # a label opening this many paragraphs of a section marks comments on its items


@dataclass(frozen=True)
class Item:
    """One item of a list as the review prints it: its label ('(a)', '6.1', 'Recommendation 3:'; '' for a bullet or
    a paragraph), its words, and the heading over it when it opens a numbered sub-section ('4.1 Information
    sharing')."""

    label: str
    unit: Unit
    heading: str = ""


@dataclass(frozen=True)
class _Lines:
    """A chunk's non-blank lines (start offset, text), those opened by an item's marker, and whether the chunk's
    heading numbers the one item its section holds ('Recommendation 2')."""

    chunk: Chunk
    lines: list[tuple[int, str]]
    marked: list[tuple[int, str, re.Match[str]]]
    one_item: bool


def list_items(chunks: Sequence[Chunk]) -> list[Item]:
    """The list items of a review's sections of one kind (its chunks in reading order), each labelled as the review
    labels it: the bulleted or numbered lines of a chunk when it has any (a lead-in line such as 'The review makes
    five recommendations:' is left out); in a section whose heading numbers its one item ('Recommendation 2',
    'Finding 3: ...'), that item, labelled by the heading: the section's first paragraph (what follows, such as
    the agency's response or the recommendations a finding leads to, is about the item) unless that paragraph
    opens a list; otherwise each of its paragraphs, less comments on them ('Response: ...'). The items of a
    numbered sub-section ('### 4.1 Information sharing') carry its heading: as the label of its one item, or over
    the first of several."""
    read = [_read(chunk) for chunk in chunks]
    comments = _annotation_labels([line for r in read if not (r.marked or r.one_item) for _, line in r.lines])
    one_item = {r.chunk.section_ordinal for r in read if r.one_item}  # labelled by their headings already
    by_section: dict[int, list[Item]] = {}
    for r in read:
        by_section.setdefault(r.chunk.section_ordinal, []).extend(_items(r, comments))
    paths = {r.chunk.section_ordinal: r.chunk.section_path for r in read}
    below = _sections_below(paths, by_section)
    items: list[Item] = []
    for ordinal, section in by_section.items():
        if _introduces(section, below[paths[ordinal]]):
            continue
        section = _without_paragraph_numbers(section)
        if section and (_announces(section[0].unit.text) or _leads_in(section)):  # "4.1 The review identified the
            section = section[1:]  # following findings.", "Identify each learning point ..." over "Learning 1: ..."
        heading = _subheading(section[0].unit.chunk) if section and ordinal not in one_item else ""
        if heading:
            first = section[0]
            alone = len(section) == 1 and not first.label
            section[0] = Item(f"{heading} \u2014", first.unit) if alone else Item(first.label, first.unit, heading)
        items += section
    return items


def _leads_in(section: list[Item]) -> bool:
    """Whether a section's first paragraph leads in to paragraphs that each open on their item's label and number
    ("**Learning 1: ...**", "Finding 2 - ..."), as a template's instruction or a sentence introducing them does."""
    labelled = [not item.label and bool(_NUMBERED_RUN_IN.match(item.unit.text)) for item in section]
    return len(section) > 2 and not labelled[0] and not section[0].label and all(labelled[1:])


def _announces(text: str) -> bool:
    """Whether a section's first item only announces the list after it ("The review has identified the following
    findings.", "... are as follows:"): short, and naming what follows (general English)."""
    return len(text.split()) <= ANNOUNCE_MAX_WORDS and bool(_ANNOUNCING.search(text))


def _without_paragraph_numbers(section: list[Item]) -> list[Item]:
    """A section's items less its paragraphs numbered under its heading ('4.1 The review makes six
    recommendations.' under '4. Recommendations') when it also holds a list numbered otherwise (a table's '1.' to
    '6.'): those paragraphs are the document's numbering of its prose, the list is the items."""
    number = section[0].unit.chunk.section_number.rstrip(".") if section else ""
    own = [_numbered_under(item.label, number) for item in section]
    if not number or all(own):
        return section
    return [item for item, is_own in zip(section, own, strict=True) if not is_own]


def _numbered_under(label: str, number: str) -> bool:
    """Whether a label numbers a paragraph of the section numbered `number` ('4.1' under '4')."""
    return label.startswith(f"{number}.") and label[len(number) + 1 :].rstrip(".").isdigit()


def _read(chunk: Chunk) -> _Lines:
    lines: list[tuple[int, str]] = []
    pos = chunk.start
    for line in chunk.text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    marked = [(start, line, m) for start, line in lines if (m := _ITEM.match(line))]
    opening = lines[0][1].rstrip() if lines else ""
    one_item = bool(_item_heading_number(chunk.section_path[-1]) if chunk.section_path else "") and not (
        _ITEM.match(opening) or opening.endswith(":")  # not when the item is a list
    )
    return _Lines(chunk, lines, marked, one_item)


def _items(read: _Lines, comments: set[str]) -> list[Item]:
    """The items of one chunk (see `list_items`)."""
    chunk = read.chunk
    if read.one_item:
        if chunk.part != 1 or not read.lines:
            return []
        unit = _paragraph(chunk, *read.lines[0])
        return [Item(f"{_printed_heading(chunk)} \u2014", unit)] if unit.text else []
    if read.marked:
        items = []
        for start, line, marker in read.marked:
            unit = span(chunk, start + marker.end(), start + len(line.rstrip()), True)
            if unit.text:
                numbered = any(marker.groups())
                items.append(Item(marker.group(0).strip() if numbered else "", unit))
        return items
    paragraphs = [(start, line) for start, line in read.lines if _run_in_label(line) not in comments]
    units = [_paragraph(chunk, start, line) for start, line in paragraphs]
    return [Item("", unit) for unit in units if unit.text and not unit.text.endswith(":")]


def _paragraph(chunk: Chunk, start: int, line: str) -> Unit:
    """A line of the chunk (starting at `start` in the review) as a unit, without its surrounding spaces."""
    return span(chunk, start + len(line) - len(line.lstrip()), start + len(line.rstrip()), False)


def _run_in_label(line: str) -> str:
    match = _RUN_IN_LABEL.match(line.lstrip())
    return match.group(1).lower() if match else ""


def _annotation_labels(paragraphs: list[str]) -> set[str]:
    """Run-in labels that mark comments on a list's items: a label ('Response:') that opens several of its
    paragraphs while others have none, as when each item is followed by the agency's response to it."""
    labels = [_run_in_label(line) for line in paragraphs]
    counts = Counter(labels)
    repeated = {label for label, n in counts.items() if label and n >= ANNOTATION_MIN_REPEATS}
    return set() if all(label in repeated for label in labels) else repeated


def _printed_heading(chunk: Chunk) -> str:
    """The chunk's section heading as the review prints it, with its number ('4.1 Information sharing')."""
    return f"{chunk.section_number} {chunk.section_path[-1]}".strip()


def _subheading(chunk: Chunk) -> str:
    """The printed heading of a section within one of its kind ('4.1 Information sharing' under 'Findings'; 'The GP
    did not see the child' under 'Findings', as a finding's own words), which may be one item of a list; '' for
    the top section of its kind, whatever holds it ('Recommendations' under 'Executive Summary')."""
    within = len(chunk.section_path) >= 2 and section_kind(chunk.section_path[:-1]) is chunk.section_kind
    return _printed_heading(chunk) if within else ""


def _sections_below(paths: dict[int, tuple[str, ...]], by_section: dict[int, list[Item]]) -> Counter[tuple[str, ...]]:
    """How many sections with items lie below each section path (one pass over the paths, not one per section)."""
    below: Counter[tuple[str, ...]] = Counter()
    for ordinal, items in by_section.items():
        if items:
            path = paths[ordinal]
            below.update(path[:depth] for depth in range(len(path)))
    return below


def _introduces(section: list[Item], sections_below: int) -> bool:
    """Whether a section's one unlabelled paragraph introduces the sub-sections that hold the list's items ("This
    section sets out what the review found ..." over a sub-section per finding): it is not an item itself."""
    return sections_below >= 2 and len(section) == 1 and not section[0].label


def _item_heading_number(heading: str) -> str:
    """The number of the one item a section's heading numbers ('Recommendation 2' -> '2'), else ''."""
    match = _NUMBERED_HEADING.match(heading)
    if match is None or not names_one_item(match.group(1) or match.group(3)):
        return ""
    return match.group(2) or match.group(4)


def item_numbered(items: Sequence[Item], number: str) -> Item | None:
    """The item the review numbers `number`: the last number of its label or of the heading over it
    ('Recommendation 3:', '3.', '6.3', 'R3'); in a list the review does not number, the `number`-th item."""
    numbers = [re.findall(r"\d+", f"{item.heading} {item.label}") for item in items]
    for item, found in zip(items, numbers, strict=True):
        if found and found[-1] == number:
            return item
    position = int(number)
    return items[position - 1] if not any(numbers) and 0 < position <= len(items) else None


def comment_after(item: Item, chunks: Sequence[Chunk]) -> Unit | None:
    """The comment set after an item under a run-in label of its own ('Response: Agreed. ...' under
    'Recommendation 3: ...'), before the next item: in the item's chunk, or opening the next of `chunks` (the
    section's, in reading order) when the item ends its own."""
    chunk = item.unit.chunk
    line_end = chunk.text.find("\n", item.unit.end - chunk.start)
    pos = len(chunk.text) if line_end < 0 else line_end + 1
    if not chunk.text[pos:].strip():
        following = [c for c in chunks if (c.section_ordinal, c.part) > (chunk.section_ordinal, chunk.part)]
        if not following or following[0].section_ordinal != chunk.section_ordinal:
            return None
        chunk, pos = following[0], 0
    for line in chunk.text[pos:].split("\n"):
        if line.strip():
            if _ITEM.match(line) or not _RUN_IN_LABEL.match(line.lstrip()):
                return None
            return _paragraph(chunk, chunk.start + pos, line)
        pos += len(line) + 1
    return None
