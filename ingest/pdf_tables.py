"""A PDF page's tables as readable rows: a cell merged down several rows is read in each of them, and a table that
runs on from the foot of the page before without repeating its header row is read under that header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.docx_text import table_lines

EDGE_LINES = 2  # lines of a running title or footer that may lie between a table and its page's edge
COLUMN_TOLERANCE = 2.0  # points: the column edges of a table continued on the next page are where they were
MIN_GRID_BOXES = 2
BOX_HEADING_MAX_WORDS = 8  # a box's heading line ("2. Why it matters")
BOX_MIN_WORDS = 12  # a box of prose under its heading; a data table's cells are shorter


@dataclass(frozen=True)
class OpenTable:
    """A table running to the foot of its page: its column edges and its header row."""

    columns: tuple[float, ...]
    header: tuple[str, ...]


def page_tables(
    found: list[Any], tops: list[float], open_table: OpenTable | None
) -> tuple[list[tuple[Any, list[str]]], OpenTable | None]:
    """A page's tables (pdfplumber's), top first, each with its rows as readable lines; and the last of them when
    it runs to the page's foot, for the next page. `tops` are the tops of the page's lines of text outside its
    tables; the first table continues `open_table` when no more than a running title lies above it, its columns are
    the open table's, and its first row is not that table's header (repeated, it is read as the header it is)."""
    out = []
    tables = sorted(found, key=lambda t: t.bbox[1])
    for index, table in enumerate(tables):
        rows = _cell_texts(table)
        columns = _columns(table)
        above = sum(top < table.bbox[1] for top in tops)
        continued = index == 0 and open_table and above <= EDGE_LINES and _same_columns(columns, open_table.columns)
        if continued and rows and open_table and tuple(rows[0]) != open_table.header:
            rows = [list(open_table.header), *rows]
        out.append((table, table_lines(rows)))
        open_table = None
        below = sum(top > table.bbox[3] for top in tops)
        if index == len(tables) - 1 and below <= EDGE_LINES and rows:
            open_table = OpenTable(columns, tuple(rows[0]))
    return out, (open_table if tables else None)


def is_layout_grid(table: Any) -> bool:
    """Whether a table sets out a page's parts in boxes rather than data in cells (a seven-minute briefing's grid
    of "1. The case", "2. Why it matters" ...): every filled cell opens with a short heading line over lines of
    text, at least BOX_MIN_WORDS words in all."""
    cells = [cell for row in table.extract() for cell in row if cell and cell.strip()]
    return len(cells) >= MIN_GRID_BOXES and all(_is_box(cell) for cell in cells)


def _is_box(cell: str) -> bool:
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    heading = lines[0].split() if lines else []
    return (
        len(lines) >= 2
        and len(heading) <= BOX_HEADING_MAX_WORDS
        and not lines[0].endswith((".", ",", ";"))
        and len(cell.split()) >= BOX_MIN_WORDS
    )


def grid_cells(grids: list[Any]) -> list[tuple[float, float, float, float]]:
    """The boxes of layout grids, row by row and left to right in each row."""
    return [tuple(cell) for grid in grids for row in grid.rows for cell in row.cells if cell is not None]


def _cell_texts(table: Any) -> list[list[str]]:
    """A table's cells, spaces normalised; a cell merged down several rows (a learning point over the actions that
    answer it) is read in each of them, as Word's merged cells are."""
    boxes = [row.cells for row in table.rows]
    rows: list[list[str]] = []
    for index, row in enumerate(table.extract()):
        merged = [cell is None and _merged_down(boxes, index, column) for column, cell in enumerate(row)]
        rows.append([rows[-1][i] if merged[i] else " ".join((cell or "").split()) for i, cell in enumerate(row)])
    return rows


def _merged_down(boxes: list[list[Any]], index: int, column: int) -> bool:
    """Whether the cell the row above has in this column reaches down into this row (a missing cell is merged with
    the one above it, or with the one to its left)."""
    above = boxes[index - 1][column] if index else None
    if above is None and index:  # the row above is itself under the merged cell: find where it starts
        starts = [row[column] for row in boxes[:index] if row[column] is not None]
        above = starts[-1] if starts else None
    tops = [box[1] for box in boxes[index] if box is not None]
    return above is not None and bool(tops) and above[3] > min(tops) + 1


def _columns(table: Any) -> tuple[float, ...]:
    """The x of each column's left edge, and of the table's right edge."""
    edges = {round(box[0], 1) for row in table.rows for box in row.cells if box is not None}
    return (*sorted(edges), round(table.bbox[2], 1))


def _same_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(a, b, strict=True))
