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

MIN_COLUMN_LINES = 5  # lines on each side of a gutter before a page is read as two columns
GUTTER_BAND = (0.3, 0.7)  # where a gutter can be, as fractions of the page width
MIN_GUTTER = 8  # points: the narrowest gutter (typesetters leave 12 to 24)
COLUMN_FILL = 0.6  # a column of prose: its median line spans at least this share of the column's width
SEGMENT_GAP = 2.0  # a gap between two words of a line wider than this many times their size starts a new segment


def reading_order(lines: Sequence[Line], width: float) -> list[Line]:
    """The lines (each a list of words on one baseline) in reading order; a line crossing a gutter is kept whole,
    any other is cut at it into its left and right parts."""
    ordered = sorted(lines, key=_top)
    gutter = _gutter(ordered, width)
    if gutter is None:
        return ordered
    parts = sorted((part for line in ordered for part in _cut(line, gutter) if part), key=_top)
    sides = [_side(part, gutter) for part in parts]
    right_column = [part for part, side in zip(parts, sides, strict=True) if side == "right"]
    left_column = [part for part, side in zip(parts, sides, strict=True) if side == "left"]
    columns = _Columns(left_column, right_column, _spacing(right_column))
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line, side in zip(parts, sides, strict=True):
        if side == "span" or (side == "left" and right and columns.spanned_by(line)):
            out += left + right + [line]
            left, right = [], []
        elif side == "left":
            left.append(line)
        else:
            right.append(line)
    return out + left + right


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


def _gutter(lines: Sequence[Line], width: float) -> float | None:
    """The x of the middle of the page's gutter, or None for a page that is not set in two columns: the widest
    band in the middle of the page that the fewest runs of words cross (only those spanning the page), with
    enough lines of prose filling their column on each side of it."""
    segments = [segment for line in lines for segment in _segments(line)]
    low, high = int(GUTTER_BAND[0] * width), int(GUTTER_BAND[1] * width)
    if not segments or high <= low:
        return None
    delta = [0] * (high - low + 2)
    for segment in segments:
        first = max(low, math.floor(segment[0]["x0"]) + 1)
        last = min(high, math.ceil(segment[-1]["x1"]) - 1)
        if first <= last:
            delta[first - low] += 1
            delta[last - low + 1] -= 1
    coverage = list(itertools.accumulate(delta[:-1]))
    fewest = min(coverage)
    best = (0, 0)  # (length, start) of the longest run of x crossed by the fewest runs of words
    run = 0
    for offset, count in enumerate(coverage):
        run = run + 1 if count == fewest else 0
        best = max(best, (run, offset - run + 1))
    if best[0] < MIN_GUTTER:
        return None
    gutter = low + best[1] + best[0] / 2
    left = [s for s in segments if s[-1]["x1"] <= gutter]
    right = [s for s in segments if s[0]["x0"] >= gutter]
    if len(left) < MIN_COLUMN_LINES or len(right) < MIN_COLUMN_LINES:
        return None
    left_edge = min(s[0]["x0"] for s in left)
    right_end = max(s[-1]["x1"] for s in right)
    if not (_fills(left, left_edge, gutter) and _fills(right, gutter, right_end)):
        return None
    return gutter


def _fills(segments: list[Line], start: float, end: float) -> bool:
    """Whether the segments read as a column of prose between `start` and `end`: most lines fill most of it."""
    widths = [segment[-1]["x1"] - segment[0]["x0"] for segment in segments]
    return end > start and statistics.median(widths) >= COLUMN_FILL * (end - start)


def _cut(line: Line, gutter: float) -> tuple[Line, ...]:
    """A line as its parts on either side of the gutter; whole when a run of its words crosses it."""
    if _side(line, gutter) == "span":
        return (line,)
    return [w for w in line if w["x1"] <= gutter], [w for w in line if w["x0"] >= gutter]


def _side(line: Line, gutter: float) -> str:
    """'span' when a run of words (words a space apart) crosses the gutter, else the column the line is in."""
    if any(s[0]["x0"] < gutter < s[-1]["x1"] for s in _segments(line)):
        return "span"
    return "left" if all(w["x1"] <= gutter for w in line) else "right"


def _spacing(lines: Sequence[Line]) -> float:
    """The usual distance between one line's top and the next's in a column."""
    gaps = [b - a for a, b in zip(map(_top, lines), map(_top, lines[1:]), strict=False) if b > a]
    return statistics.median(gaps) if gaps else 12.0


class _Columns:
    """The left and right columns' lines of a page, to ask whether a line at the left margin spans the page."""

    def __init__(self, left: list[Line], right: list[Line], spacing: float) -> None:
        spans = sorted((_top(line), _bottom(line)) for line in right)
        self.tops = [top for top, _ in spans]
        self.reach = list(itertools.accumulate((bottom for _, bottom in spans), max))  # lowest bottom so far
        self.left_tops = sorted(map(_top, left))
        self.spacing = spacing

    def spanned_by(self, line: Line) -> bool:
        """Whether a line set at the left margin heads the page across both columns: the right column is empty
        beside it (a line's spacing above and below), and below it both columns start again level, as a new band
        of columns under a heading across the page does. A heading inside the left column has the right column's
        text beside it, or nothing of it below (the right column ended higher up); the last line of a left column
        longer than the right is followed by a new band, or by a heading across the page, not by both columns."""
        top, bottom = _top(line) - self.spacing, _bottom(line) + self.spacing
        below = bisect.bisect_left(self.tops, bottom)  # the first right line starting below the line's lower edge
        next_left = bisect.bisect_right(self.left_tops, _top(line))  # the first left line after it
        if below == len(self.tops) or next_left == len(self.left_tops):
            return False
        beside = below > 0 and self.reach[below - 1] > top  # a right line above its lower edge reaches down beside it
        return not beside and abs(self.tops[below] - self.left_tops[next_left]) <= self.spacing
