"""Reading order of a PDF page's lines, from the page's geometry: a page set in two columns (a briefing, a newsletter)
is read down the left column and then down the right one, within each band between lines that span the page (a
title, a lead paragraph, a heading set across both columns); any other page is read top to bottom.

A gutter is found, never assumed: the widest band down the middle of the page that no run of words crosses but
those spanning the page, with prose that fills its column on both sides of it. Tab-aligned labels and values
('Author:   J Smith') or a page number at the right do not fill a column, so single-column pages keep their
order. Every step is a pass (or a sort) over the page's words."""

from __future__ import annotations

import bisect
import itertools
import math
import statistics
from collections.abc import Sequence

Word = dict  # a pdfplumber word: 'text', 'x0', 'x1', 'top', 'bottom', 'size', ...
Line = list[Word]

MIN_COLUMN_LINES = 5  # lines in each column before a page is read as set in columns
GUTTER_BAND = (0.2, 0.8)  # where gutters can be, as fractions of the page width (two to four columns)
SPAN = -1  # the column of a line that crosses a gutter
DENSE = 1.5  # the usual line spacing of one column is at most this many times another's
MIN_GUTTER = 8  # points: the narrowest gutter (typesetters leave 12 to 24)
COLUMN_FILL = 0.6  # a column of prose: its median line spans at least this share of the column's width
EDGE_ROWS = 3  # rows a page's header or footer may take (a marking, a running title, a page number)
NOTES_SHARE = 0.25  # of a page's rows, at most this share at its foot are notes set across it
EDGE_GAP = 2.5  # line spacings of space between a header or footer and the text (text down a column has one)
SEGMENT_GAP = 2.0  # a gap between two words of a line wider than this many times their size starts a new segment


def reading_order(lines: Sequence[Line], width: float) -> list[Line]:
    """The lines (each a list of words on one baseline) in reading order; a line crossing a gutter is kept whole,
    any other is cut at the gutters into its parts in each column."""
    ordered = sorted((line for line in lines if line), key=_top)  # a line has words
    gutters = _gutters(ordered, width) or _gutters(_above_notes(ordered), width)
    if not gutters:
        return ordered
    parts = sorted((part for line in ordered for part in _cut(line, gutters) if part), key=_top)
    header, parts, footer = _page_edges(parts, _spacing(parts))
    columns = [_column(part, gutters) for part in parts]
    first = [part for part, column in zip(parts, columns, strict=True) if column == 0]
    others = [part for part, column in zip(parts, columns, strict=True) if column > 0]
    bands = _Bands(first, others, _spacing(others))
    out: list[Line] = []
    band: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for line, column in zip(parts, columns, strict=True):
        if column == SPAN or (column == 0 and any(band[1:]) and bands.opened_by(line)):
            out += [*itertools.chain.from_iterable(band), line]
            band = [[] for _ in band]
        else:
            band[column].append(line)
    return header + out + list(itertools.chain.from_iterable(band)) + footer


def _above_notes(lines: list[Line]) -> list[Line]:
    """The page's lines above a block of notes set across its foot (footnotes under columns of text): above the
    first gap of more than EDGE_GAP line spacings among the last NOTES_SHARE of its rows; all of them when none."""
    rows = sorted({round(_top(line)) for line in lines})
    spacing = _spacing(lines)
    start = max(1, len(rows) - int(NOTES_SHARE * len(rows)))
    cut = next((rows[i] for i in range(start, len(rows)) if rows[i] - rows[i - 1] > EDGE_GAP * spacing), None)
    return lines if cut is None else [line for line in lines if round(_top(line)) < cut]


def _page_edges(parts: list[Line], spacing: float) -> tuple[list[Line], list[Line], list[Line]]:
    """The page's parts (top to bottom) as its header, text and footer: the first and the last EDGE_ROWS rows
    when a gap of more than EDGE_GAP line spacings sets them apart from the text, each row read left to right. A
    running header cut at the gutter ("Westmarch Partnership ... CSPR: Ellis - FINAL") or a footer set in the left
    column's place ("OFFICIAL SENSITIVE") is read before or after the columns, not inside one."""
    rows = sorted({round(_top(part)) for part in parts})
    gaps = [b - a > EDGE_GAP * spacing for a, b in itertools.pairwise(rows)]  # gaps[i]: below row i
    first = next((i + 1 for i in range(min(EDGE_ROWS, len(gaps))) if gaps[i]), 0)
    last = next((i + 1 for i in range(len(gaps) - 1, max(-1, len(gaps) - 1 - EDGE_ROWS), -1) if gaps[i]), len(rows))
    if first >= last:
        return [], parts, []
    top = rows[first] if first else -math.inf
    bottom = rows[last] if last < len(rows) else math.inf

    def by_row(lines: list[Line]) -> list[Line]:
        return sorted(lines, key=lambda line: (round(_top(line)), min(w["x0"] for w in line)))

    header = by_row([p for p in parts if round(_top(p)) < top])
    footer = by_row([p for p in parts if round(_top(p)) >= bottom])
    return header, [p for p in parts if top <= round(_top(p)) < bottom], footer


def _top(line: Line) -> float:
    return min(word["top"] for word in line)


def _bottom(line: Line) -> float:
    return max(word["bottom"] for word in line)


def _segments(line: Line) -> list[Line]:
    """A line's runs of words, cut where a gap is much wider than a space (a column's gutter, a tab stop)."""
    words = sorted(line, key=lambda w: w["x0"])
    segments: list[Line] = [[words[0]]]
    for before, word in zip(words, words[1:], strict=False):
        if word["x0"] - before["x1"] > SEGMENT_GAP * max(word.get("size", 10), 1):
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _gutters(lines: Sequence[Line], width: float) -> list[float]:
    """The x of the middle of each of the page's gutters, left to right, or none for a page not set in columns: the
    bands down the page that the fewest runs of words cross (only those spanning the page), each with enough lines
    of prose filling their column on both sides of it."""
    segments = [segment for line in lines for segment in _segments(line)]
    low, high = int(GUTTER_BAND[0] * width), int(GUTTER_BAND[1] * width)
    if not segments or high <= low:
        return []
    delta = [0] * (high - low + 2)
    for segment in segments:
        first = max(low, math.floor(segment[0]["x0"]) + 1)
        last = min(high, math.ceil(segment[-1]["x1"]) - 1)
        if first <= last:
            delta[first - low] += 1
            delta[last - low + 1] -= 1
    coverage = list(itertools.accumulate(delta[:-1]))
    fewest = min(coverage)
    gutters = []
    run = 0
    for offset, count in enumerate([*coverage, fewest + 1]):  # the sentinel ends the last run
        if count == fewest:
            run += 1
            continue
        if run >= MIN_GUTTER:
            gutters.append(low + offset - run / 2)
        run = 0
    columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for segment in segments:
        column = _column(segment, gutters)
        if column != SPAN:
            columns[column].append(segment)
    edges = [min((s[0]["x0"] for s in columns[0]), default=0.0), *gutters]
    edges.append(max((s[-1]["x1"] for s in columns[-1]), default=0.0))
    filled = all(
        len(column) >= MIN_COLUMN_LINES and _fills(column, start, end)
        for column, start, end in zip(columns, edges, edges[1:], strict=False)
    )
    return gutters if gutters and filled and _dense(columns) else []


def _dense(columns: list[list[Line]]) -> bool:
    """Whether every column is set line under line, as text flowing down a column is: an unruled table's first
    column (a date beside the first of the several lines of its entry) has its lines further apart than the
    entries' column, and is read row by row."""
    spacings = [_spacing(sorted(column, key=_top)) for column in columns]
    return max(spacings) <= DENSE * min(spacings)


def _fills(segments: list[Line], start: float, end: float) -> bool:
    """Whether the segments read as a column of prose between `start` and `end`: most lines fill most of it."""
    widths = [segment[-1]["x1"] - segment[0]["x0"] for segment in segments]
    return end > start and statistics.median(widths) >= COLUMN_FILL * (end - start)


def _cut(line: Line, gutters: list[float]) -> list[Line]:
    """A line as its parts in each column; whole when a run of its words crosses a gutter."""
    if _crosses(line, gutters):
        return [line]
    parts: list[Line] = [[] for _ in range(len(gutters) + 1)]
    for word in line:
        parts[bisect.bisect_left(gutters, word["x0"])].append(word)
    return parts


def _crosses(line: Line, gutters: list[float]) -> bool:
    """Whether a run of the line's words (words a space apart) crosses a gutter."""
    return any(
        bisect.bisect_left(gutters, segment[0]["x0"]) != bisect.bisect_left(gutters, segment[-1]["x1"])
        for segment in _segments(line)
    )


def _column(line: Line, gutters: list[float]) -> int:
    """The column a line (or a run of words) lies in, counted from the left, or SPAN when it crosses a gutter or
    lies in more than one column."""
    first = bisect.bisect_left(gutters, min(w["x0"] for w in line))
    last = bisect.bisect_left(gutters, max(w["x1"] for w in line))
    return first if first == last else SPAN


def _spacing(lines: Sequence[Line]) -> float:
    """The usual distance between one line's top and the next's in a column."""
    gaps = [b - a for a, b in zip(map(_top, lines), map(_top, lines[1:]), strict=False) if b > a]
    return statistics.median(gaps) if gaps else 12.0


class _Bands:
    """The first column's lines of a page and the other columns', to ask whether a line at the left margin opens a
    new band of columns."""

    def __init__(self, left: list[Line], right: list[Line], spacing: float) -> None:
        spans = sorted((_top(line), _bottom(line)) for line in right)
        self.tops = [top for top, _ in spans]
        self.reach = list(itertools.accumulate((bottom for _, bottom in spans), max))  # lowest bottom so far
        self.left_tops = sorted(map(_top, left))
        self.spacing = spacing

    def opened_by(self, line: Line) -> bool:
        """Whether a line set at the left margin heads the page across the columns: the other columns are empty
        beside it (a line's spacing above and below), and below it the columns start again level, as a new band
        of columns under a heading across the page does. A heading inside the first column has another column's
        text beside it, or nothing of the others below (they ended higher up); the last line of a first column
        longer than the others is followed by a new band, or by a heading across the page, not by the columns."""
        top, bottom = _top(line) - self.spacing, _bottom(line) + self.spacing
        below = bisect.bisect_left(self.tops, bottom)  # the first right line starting below the line's lower edge
        next_left = bisect.bisect_right(self.left_tops, _top(line))  # the first left line after it
        if below == len(self.tops) or next_left == len(self.left_tops):
            return False
        beside = below > 0 and self.reach[below - 1] > top  # a right line above its lower edge reaches down beside it
        return not beside and abs(self.tops[below] - self.left_tops[next_left]) <= self.spacing
