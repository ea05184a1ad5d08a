"""Tables laid out with spaces in plain text (as `pdftotext -layout`, a typist or a case-management export writes
them): columns that line up down a block of lines, a cell running over several lines. Read as a reader reads them,
one line per row with each cell named by its column, so a quote never runs one column's words into another's."""

from __future__ import annotations

import re

from ingest.docx_text import table_lines

MIN_GAP = 2  # spaces between two columns on every line of the table (one space parts words, not columns)
MIN_ROWS = 3  # lines of a block, its header included, for its columns lining up to be a table and not chance
MAX_LINE_CHARS = 400  # a line longer than this is prose run on, not a table's row: its block is left as it is
HEADER_MAX_WORDS = 4  # a header names its column in a word or few ("Date", "Main involvement")
_RULE = re.compile(r"[ \t]*[-=_~+|]{3}[-=_~+| \t]*")  # a line ruled under a header, whole or column by column
_DIGIT = re.compile(r"\d")
MIN_BODY_ROWS = 2  # rows under the header (or without one): one row of two "columns" is a paragraph indented
# under its number. A table of two columns needs a header, and a first column of more than numbers or bullets.
_LABEL = re.compile(r"[(\[]?(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxlc]{1,6})[.):\]]?|[-*\u2022\u25aa\u25cf\u2013o]")


def aligned_tables(text: str) -> str:
    """The text with each block of lines (between blank lines or page breaks) whose text lines up in columns read
    as a table; other blocks as they were. Linear: each line's characters are looked at a bounded number of times."""
    pages = []
    for page in text.split("\f"):
        blocks = re.split(r"(\n[ \t]*\n)", page)  # separators kept, so the page is rebuilt as it was
        pages.append("".join(_as_table(block) if i % 2 == 0 else block for i, block in enumerate(blocks)))
    return "\f".join(pages)


def _as_table(block: str) -> str:
    lines = [line.rstrip().expandtabs() for line in block.split("\n") if line.strip()]
    ruled_header = len(lines) > 1 and _RULE.fullmatch(lines[1]) is not None  # "----  ----" under the first line
    filled = [line for line in lines if not _RULE.fullmatch(line)]
    if len(filled) < MIN_ROWS or any(len(line) > MAX_LINE_CHARS for line in filled):
        return block
    bounds = _columns(filled)
    if len(bounds) < 2:
        return block
    cells = [[line[begin:end].strip() for begin, end in bounds] for line in filled]
    if not all(cells[0]):  # the first line (a header, or a first row) fills every column
        return block
    rows: list[list[list[str]]] = []
    for line_cells in cells:
        if line_cells[0] or not rows:
            rows.append([[c] if c else [] for c in line_cells])
        else:  # a cell running on: the line adds to the row above it
            for parts, cell in zip(rows[-1], line_cells, strict=True):
                parts += [cell] if cell else []
    table = [[" ".join(parts) for parts in row] for row in rows]
    header = ruled_header or _looks_like_header(rows[0])
    body = table[1:] if header else table
    if len(body) < MIN_BODY_ROWS or (len(bounds) == 2 and (not header or all(_LABEL.fullmatch(r[0]) for r in body))):
        return block  # paragraphs indented under their numbers ("1.1   This review ..."), or a list, not a table
    rows_read = table_lines(table) if header else [" | ".join(c for c in row if c) for row in table]
    lead = block[: len(block) - len(block.lstrip("\n"))]
    return lead + "\n\n".join(line for line in rows_read if line) + "\n"


def _columns(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each column: runs of characters between gaps at least MIN_GAP wide that are blank on every
    line (a line ended before a place is blank there)."""
    width = max(len(line) for line in lines)
    used = bytearray(width)
    for line in lines:
        for match in re.finditer(r"\S+", line):
            used[match.start() : match.end()] = b"\1" * (match.end() - match.start())
    bounds: list[tuple[int, int]] = []
    begin = 0
    while begin < width and not used[begin]:
        begin += 1
    position = begin
    while position < width:
        gap_start = used.find(b"\0", position)
        if gap_start < 0:
            break
        gap_end = used.find(b"\1", gap_start)
        if gap_end < 0:
            break
        if gap_end - gap_start >= MIN_GAP:
            bounds.append((begin, gap_start))
            begin = gap_end
        position = gap_end
    bounds.append((begin, width))
    return bounds


def _looks_like_header(first_row: list[list[str]]) -> bool:
    """Whether a table's first row names its columns: each cell a few words on one line, no figures in any."""
    return all(
        len(parts) == 1 and len(parts[0].split()) <= HEADER_MAX_WORDS and not _DIGIT.search(parts[0])
        for parts in first_row
    )
