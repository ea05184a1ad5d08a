"""Find a review's title and its real sections: markdown headings, bare heading lines, numbered panels."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.cleaning import is_heading_shape
from ingest.models import Section

_MARKDOWN = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_PANEL_BEFORE = re.compile(r"^(?:\d{1,2}[.)]?)\s+(\S.*)$")
_PANEL_AFTER = re.compile(r"^(.*\S)\s+\d{1,2}$")
_BARE_NUMBER = re.compile(r"^\d{1,2}[.)]?$")
INTRODUCTION = "Introduction"
# A first line with one of these names opens a section; any other short first line is the title.
COMMON_SECTION_NAMES = frozenset(
    {
        "introduction",
        "summary",
        "executive summary",
        "background",
        "family circumstances",
        "learning",
        "findings",
        "the findings",
        "recommendations",
        "the review",
        "methodology",
        "the incident",
        "contents",
    }
)


@dataclass(frozen=True)
class _Heading:
    level: int
    name: str | None  # None for a bare numbered panel ("# 03"): its sub-headings are the sections
    line_start: int
    body_start: int


@dataclass(frozen=True)
class Outline:
    """The title line (if the text has one) and the sections in reading order."""

    title: str | None
    sections: tuple[Section, ...]


def heading_name(raw: str) -> str | None:
    """Strip panel numbers: '01 Background' -> 'Background', 'Concerns 02' -> 'Concerns', '03' -> None."""
    text = raw.strip()
    if not text or _BARE_NUMBER.match(text):
        return None
    for pattern in (_PANEL_BEFORE, _PANEL_AFTER):
        match = pattern.match(text)
        if match:
            return match.group(1).strip()
    return text


def find_outline(text: str) -> Outline:
    """The title and sections of a normalised review text."""
    lines = _lines_with_offsets(text)
    title, title_index = _title(lines)
    headings = _headings(lines, skip=title_index)
    spans = _spans(text, headings, first_body=lines[title_index][2] if title_index is not None else 0)
    return Outline(title=title, sections=tuple(_label(spans)))


def _lines_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(line, start, start of the next line) for every line."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((line, pos, pos + len(line) + 1))
        pos += len(line) + 1
    return out


def _title(lines: list[tuple[str, int, int]]) -> tuple[str | None, int | None]:
    """The first line is the title when it is a plain heading-shaped line or a top heading used once."""
    filled = [i for i, (line, _, _) in enumerate(lines) if line.strip()]
    if not filled:
        return None, None
    first = lines[filled[0]][0].strip()
    match = _MARKDOWN.match(first)
    if match:
        level = len(match.group(1))
        others = [len(m.group(1)) for i in filled[1:] if (m := _MARKDOWN.match(lines[i][0].strip()))]
        if others and min(others) > level:
            return match.group(2), filled[0]
        return None, None
    if first.lower() not in COMMON_SECTION_NAMES and len(first) <= 120 and not first.endswith("."):
        return first, filled[0]
    return None, None


def _headings(lines: list[tuple[str, int, int]], skip: int | None) -> list[_Heading]:
    has_markdown = any(_MARKDOWN.match(line.strip()) for line, _, _ in lines)
    headings: list[_Heading] = []
    depth = 0
    for i, (line, start, nxt) in enumerate(lines):
        if i == skip or not line.strip():
            continue
        match = _MARKDOWN.match(line.strip())
        if match:
            level = len(match.group(1))
            headings.append(_Heading(level, heading_name(match.group(2)), start, nxt))
            depth = level
            continue
        before = lines[i - 1][0] if i > 0 else ""
        after = lines[i + 1][0] if i + 1 < len(lines) else ""
        if not before.strip() and not after.strip() and is_heading_shape(line):
            level = depth + 1 if has_markdown else 1
            headings.append(_Heading(level, heading_name(line), start, nxt))
    return headings


def _spans(text: str, headings: list[_Heading], first_body: int) -> list[tuple[tuple[str, ...], int, int]]:
    """(path, start, end) of each heading's non-empty body, plus any introduction before the first."""
    spans: list[tuple[tuple[str, ...], int, int]] = []
    first_heading = headings[0].line_start if headings else len(text)
    intro = _trimmed(text, first_body, first_heading)
    if intro:
        spans.append(((INTRODUCTION,), *intro))
    stack: list[tuple[int, str | None]] = []
    for index, heading in enumerate(headings):
        stack = [(lvl, name) for lvl, name in stack if lvl < heading.level]
        stack.append((heading.level, heading.name))
        end = headings[index + 1].line_start if index + 1 < len(headings) else len(text)
        body = _trimmed(text, heading.body_start, end)
        path = tuple(name for _, name in stack if name)
        if body and path:
            spans.append((path, *body))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    chunk = text[start:end]
    if not chunk.strip():
        return None
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    return start + lead, end - trail


def _label(spans: list[tuple[tuple[str, ...], int, int]]) -> list[Section]:
    """Same-named sections get '(1 of 2)', '(2 of 2)' so a reader can tell them apart."""
    totals = Counter(path for path, _, _ in spans)
    seen: Counter[tuple[str, ...]] = Counter()
    sections = []
    for ordinal, (path, start, end) in enumerate(spans, start=1):
        seen[path] += 1
        label = " > ".join(path)
        if totals[path] > 1:
            label = f"{label} ({seen[path]} of {totals[path]})"
        sections.append(Section(path=path, label=label, ordinal=ordinal, start=start, end=end))
    return sections
