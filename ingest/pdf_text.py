"""A PDF's pages as text: lines in reading order (columns, tables as readable rows, footnote markers out),
headings marked from font size and weight, paragraphs broken by a page brought together."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Any, NamedTuple

from core.text import bullet_glyph, ends_sentence
from ingest.headings import PARAGRAPH_NUMBER, runs_on
from ingest.metadata import names_review_type
from ingest.pdf_columns import reading_order
from ingest.pdf_tables import OpenTable, grid_cells, is_layout_grid, page_tables

TABLE_ROW = -1.0  # the font size a PDF table row is given: it is set apart as its own line
# A heading line this close under another in the same size and weight (within 1.5 times its size: the leading
# typesetters use is 1.2 to 1.3) is the same heading wrapped; a new heading leaves space above itself as well.
WRAPPED_HEADING_LEADING = 1.5
# Superscripts and subscripts are set at about two-thirds (Word) to 0.82 (reportlab) of their line's size.
SUPERSCRIPT_SIZE = 0.9
BOX_MAX_WIDTH = 0.6  # a box set beside text is at most this share of the page's width (a full-width one is in flow)
BOX_MIN_HEIGHT = 24  # points: a box of lines is at least two lines high (a shaded heading is one)
BOX_MAX_HEIGHT = 0.5  # ... and at most this share of the page's height (a taller one is a background or a border)
MAX_BOXES = 20  # more rectangles of a box's size than this on a page draw a diagram or a grid, not panels
TOUCHING = 0.5  # points: words closer than this are one run of text that a change of font split
_FOOTNOTE_MARK = re.compile(r"\d{1,3}|[*\u2020\u2021\u00a7]{1,3}")
# A line opening an item: a bullet, '(a)', '1.', 'ii)', or a numbered paragraph's number ('4.3', '6.1.2').
_ITEM_START = re.compile(r"[-\u2022\u25cf\u25aa]\s|\(?\w{1,4}[.)]\s|\d{1,2}(?:\.\d{1,2}){1,2}\.?\s")
SIZE_TOLERANCE = 0.1  # points: one font size, as a PDF gives it (11.0 and 10.99999)
_FOOTNOTE_START = re.compile(r"(?:\d{1,3}|[*\u2020\u2021\u00a7]{1,3})\s")  # a footnote opens with its mark


class PdfLine(NamedTuple):
    """One visual line of a page, or one row of a table."""

    text: str
    size: float  # the font size of its largest words; TABLE_ROW for a table's row
    bold: bool  # all its words in bold
    top: float
    full: bool = False  # it fills its measure: the next line's first word would not have fitted at its end


def page_texts(page_lines: list[list[PdfLine]]) -> list[str]:
    """Each page's text, headings marked ('## ') by their size relative to the body text, the largest first."""
    sizes = [line.size for lines in page_lines for line in lines if line.size != TABLE_ROW]
    if not sizes:
        return []
    body = statistics.median(sizes)
    heading_sizes = sorted(
        {round(line.size, 1) for lines in page_lines for line in lines if line.size > body * 1.15 or line.bold},
        reverse=True,
    )
    page_lines = _carried_over(page_lines, body)
    return [_pdf_page_text(lines, body, heading_sizes) for lines in page_lines]


def document_lines(pages: Any) -> list[list[PdfLine]]:
    """The lines of every page of a PDF (see `_lines_of`), a table running on over a page break read under its
    header on each page."""
    out: list[list[PdfLine]] = []
    open_table: OpenTable | None = None
    for page in pages:
        lines, open_table = _lines_of(page, open_table)
        out.append(lines)
    return out


def _lines_of(page: Any, open_table: OpenTable | None) -> tuple[list[PdfLine], OpenTable | None]:
    """Each visual line of a PDF page in reading order (down each column of a page set in columns); a table is one
    line per row. Also the page's last table if it runs to the page's foot."""
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=True)
    tables = page.find_tables()
    grids = [t for t in tables if is_layout_grid(t)]  # a briefing's boxes of prose: read box by box
    found = [t for t in tables if t not in grids]
    words = [w for w in words if not any(_inside(w, t.bbox) for t in found)]
    boxed = _boxes(page, [w for w in words if not any(_inside(w, g.bbox) for g in grids)]) + grid_cells(grids)
    lines = _visual_lines([w for w in words if not any(_inside(w, box) for box in boxed)])
    tables, open_table = page_tables(found, [line[0]["top"] for line in lines], open_table)
    for table, rows in tables:  # each row a line as wide as its table, so that it takes its place among the columns
        x0, top, x1, bottom = table.bbox
        for i, row in enumerate(rows):
            lines.append([{"text": row, "x0": x0, "x1": x1, "top": top + i * 0.01, "bottom": bottom, "table": True}])
    ordered = reading_order(lines, page.width)
    for box in sorted(boxed, key=lambda b: b[1]):  # a box's lines together, after those set beside or above it
        inside = _visual_lines([w for w in words if _inside(w, box)])
        at = max((i + 1 for i, line in enumerate(ordered) if line[0]["top"] < box[3]), default=0)
        ordered[at:at] = inside
    text_lines = [line for line in ordered if not line[0].get("table")]
    measure = _measure(text_lines)
    out = []
    for index, line in enumerate(ordered):
        if line[0].get("table"):
            out.append(PdfLine(line[0]["text"], TABLE_ROW, False, line[0]["top"]))
            continue
        main = max(line, key=lambda w: w["size"])
        kept = [w for w in line if not _is_raised(w, main)]
        after = ordered[index + 1] if index + 1 < len(ordered) else None
        out.append(
            PdfLine(
                bullet_glyph(_line_text(line, main)),
                main["size"],
                all("bold" in w["fontname"].lower() for w in kept),
                main["top"],
                after is not None and not after[0].get("table") and _fills(line, after, measure),
            )
        )
    return out, open_table


def _measure(lines: list[list[dict]]) -> float:
    """The width of a page's text: from the left edge most lines start at to the furthest any of them reaches (a
    running title or a centred footer starts elsewhere)."""
    starts = Counter(round(min(w["x0"] for w in line)) for line in lines)
    if not starts:
        return 0.0
    left = starts.most_common(1)[0][0]
    return max(max(w["x1"] for w in line) for line in lines if abs(min(w["x0"] for w in line) - left) <= 1) - left


def _fills(line: list[dict], after: list[dict], measure: float) -> bool:
    """Whether a line fills its measure (the width of the page's text): the next line's first word, a space after
    it, would not have fitted, which is why the line wrapped."""
    next_word = min(after, key=lambda w: w["x0"])
    space = 0.25 * next_word["size"]
    width = max(w["x1"] for w in line) - min(w["x0"] for w in line)
    return width + space + next_word["x1"] - next_word["x0"] > measure


def _visual_lines(words: list[dict]) -> list[list[dict]]:
    """Words (in the PDF's text flow) gathered into the lines they are set on: a word on the line's baseline, or a
    smaller one raised or lowered within the line's height (a footnote marker, an ordinal's 'th'), goes on it."""
    lines: list[list[dict]] = []
    main: dict = {}  # the largest word of the line being gathered
    for word in words:
        same_baseline = lines and min(abs(lines[-1][-1]["top"] - word["top"]), abs(main["top"] - word["top"])) < 2
        if lines and (same_baseline or _within(word, main) or _within(main, word)):
            lines[-1].append(word)
            main = max(main, word, key=lambda w: w["size"])
        else:
            lines.append([word])
            main = word
    return lines


def _within(small: dict, large: dict) -> bool:
    """Whether a word in a smaller size sits within another's line height, as a superscript or subscript does."""
    middle = (small["top"] + small["bottom"]) / 2
    return small["size"] <= SUPERSCRIPT_SIZE * large["size"] and large["top"] <= middle <= large["bottom"]


def _is_raised(word: dict, main: dict) -> bool:
    """A footnote marker: a number or a reference mark ('*', a dagger) set smaller than its line and raised."""
    raised = _within(word, main) and word["bottom"] < main["bottom"] - 0.5
    return raised and _FOOTNOTE_MARK.fullmatch(word["text"]) is not None


def _line_text(line: list[dict], main: dict) -> str:
    """A line's words without its footnote markers; words set touching (a stop after a marker, a run in another
    font) are joined without a space."""
    text = ""
    end = None  # where the last word, kept or not, ends
    for word in line:
        if not _is_raised(word, main):
            touching = end is not None and word["x0"] - end < TOUCHING
            text += word["text"] if touching or not text else " " + word["text"]
        end = word["x1"]
    return text


def _boxes(page: Any, words: list[dict]) -> list[tuple[float, float, float, float]]:
    """The boxes a page sets beside its text (a shaded "Key messages" panel beside a title): drawn rectangles
    narrower than BOX_MAX_WIDTH of the page, from BOX_MIN_HEIGHT to BOX_MAX_HEIGHT of it tall, that hold words on
    at least two lines, and whose lines no word outside them runs on (a line crossing a box's edge is not the
    box's), lying within no other such and overlapping none. A page drawing more than MAX_BOXES such rectangles
    (a diagram, a grid) has none."""
    sized = [
        (r["x0"], r["top"], r["x1"], r["bottom"])
        for r in page.rects
        if r["x1"] - r["x0"] < BOX_MAX_WIDTH * page.width
        and BOX_MIN_HEIGHT <= r["bottom"] - r["top"] <= BOX_MAX_HEIGHT * page.height
    ]
    if len(sized) > MAX_BOXES:
        return []
    boxes = [box for box in sized if _holds_lines(box, words)]
    kept = [b for b in boxes if not any(o != b and _holds(o, b) for o in boxes)]
    return [b for b in kept if not any(o != b and _overlap(o, b) for o in kept)]


def _holds_lines(box: tuple[float, float, float, float], words: list[dict]) -> bool:
    """Whether the box holds words on two lines or more, and no word outside it sits on one of their lines."""
    inside = [w for w in words if _inside(w, box)]
    tops = {round(w["top"]) for w in inside}
    beside = any(not _inside(w, box) and round(w["top"]) in tops and box[1] <= w["top"] <= box[3] for w in words)
    return len(tops) >= 2 and not beside


def _overlap(one: tuple[float, float, float, float], other: tuple[float, float, float, float]) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _holds(outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _is_heading(text: str, size: float, bold: bool, body: float) -> bool:
    """A line set larger than the body text, or a short one all in bold, that is not a bullet."""
    return (size > body * 1.15 or (bold and len(text) < 80)) and not re.match(r"^[-•●▪]\s", text)


def _long_numbered_heading(line: PdfLine, after: PdfLine | None) -> bool:
    """A numbered line all in bold, too long for `_is_heading`, ending no sentence, over a line of the same size
    not in bold: a long finding's heading ("4.1 Finding one: the transition ... lost important history") over its
    text, not a bold item wrapping onto its next line."""
    return (
        line.bold
        and PARAGRAPH_NUMBER.match(line.text) is not None
        and not ends_sentence(line.text)
        and after is not None
        and not after.bold
        and abs(after.size - line.size) < SIZE_TOLERANCE
    )


def _line_spacing(lines: list[PdfLine], body: float) -> float:
    """The usual distance from one line's top to the next on a page (a table's rows are not lines of text)."""
    tops = [line.top for line in lines if line.size != TABLE_ROW]
    gaps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b > a]
    return statistics.median(gaps) if gaps else body * 1.2


def _carried_over(pages: list[list[PdfLine]], body: float) -> list[list[PdfLine]]:
    """Pages whose last paragraph runs on over the page break with that paragraph's end brought back from the next
    page, so that a sentence broken by the page is one (its footnotes and footer then follow it). A paragraph runs
    on when its last line in the body's size ends no sentence, and the next page's first line in that size opens
    in lower case or follows a line stopping on a word that runs on ('... referred to the'); the lines it brings
    are those of that paragraph, a line's spacing apart."""
    pages = [list(lines) for lines in pages]
    for before, after in zip(pages, pages[1:], strict=False):
        last = next((i for i in range(len(before) - 1, -1, -1) if _is_body_line(before[i], body)), None)
        first = next((i for i, line in enumerate(after) if _is_body_line(line, body)), None)
        if last is None or first is None or not _runs_over(before[last].text, after[first].text):
            continue
        if any(line.size == TABLE_ROW for line in (*before[last:], *after[:first])):  # a table between them
            continue
        spacing = _line_spacing(after, body)
        end = first + 1
        while (
            end < len(after)
            and _is_body_line(after[end], body)
            and after[end].top - after[end - 1].top <= spacing * 1.4
            and not _opens_item(after[end].text)
        ):
            end += 1
        shift = before[last].top + _line_spacing(before, body) - after[first].top
        moved = [line._replace(top=line.top + shift) for line in after[first:end]]
        before[last + 1 : last + 1] = moved
        del after[first:end]
    return pages


def _names_a_type_joined(heading: str, text: str) -> bool:
    """Whether a heading and the line under it name a type of review together and the heading alone does not: a
    title wrapped in a narrow frame ("Local Child Safeguarding" over "Practice Review: Child X"), whose first line
    does not fill the page's measure."""
    return not names_review_type(heading) and names_review_type(f"{heading} {text}")


def _is_body_line(line: PdfLine, body: float) -> bool:
    """A line of the body text: in about its size (not a footnote, footer or table row), and no heading."""
    return line.size >= body * SUPERSCRIPT_SIZE and not _is_heading(line.text, line.size, line.bold, body)


def _runs_over(last: str, first: str) -> bool:
    """Whether a page's last line of text runs on into the next page's first (see `_carried_over`)."""
    return (
        not ends_sentence(last)
        and not last.endswith("-")
        and not _opens_item(first)
        and (first[:1].islower() or runs_on(last))
    )


def _opens_item(line: str) -> bool:
    """Whether a line opens a bullet, a numbered or lettered item or a numbered paragraph ('4.3 ...')."""
    return bullet_glyph(line) != line or _ITEM_START.match(line) is not None


def _pdf_page_text(lines: list[PdfLine], body: float, heading_sizes: list[float]) -> str:
    out: list[str] = []
    spacing = _line_spacing(lines, body)
    previous_top = None
    previous_heading: PdfLine | None = None  # the heading line just written
    for index, line in enumerate(lines):
        text, size, bold, top = line.text, line.size, line.bold, line.top
        if size == TABLE_ROW:
            out.extend(["", text, ""])
            previous_top, previous_heading = top, None
            continue
        after = lines[index + 1] if index + 1 < len(lines) else None
        is_heading = _is_heading(text, size, bold, body) or _long_numbered_heading(line, after)
        if (
            is_heading
            and previous_heading is not None
            and (previous_heading.full or _names_a_type_joined(out[-2], text) or text[:1].islower())
            and (previous_heading.size, previous_heading.bold) == (size, bold)
            and previous_top is not None
            and 0 < top - previous_top <= size * WRAPPED_HEADING_LEADING
        ):
            out[-2] += " " + text  # the heading's next line: a long title or heading wraps
            previous_top, previous_heading = top, line
            continue
        footnote = size < body * SUPERSCRIPT_SIZE and _FOOTNOTE_START.match(text) is not None  # each its own
        # a line set higher than the one before opens a column: a new paragraph unless a sentence runs on into it
        new_column = previous_top is not None and top < previous_top and ends_sentence(out[-1])
        if previous_top is not None and (is_heading or footnote or new_column or top - previous_top > spacing * 1.4):
            out.append("")
        if is_heading:
            level = heading_sizes.index(round(size, 1)) + 1 if round(size, 1) in heading_sizes else len(heading_sizes)
            out.extend([f"{'#' * min(level, 6)} {text}", ""])
        else:
            out.append(text)
        previous_top, previous_heading = top, line if is_heading else None
    return "\n".join(out)
