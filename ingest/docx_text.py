"""Text of a Word document in reading order, paragraphs and tables, with headings marked for the outline.

Headings are found from Word's own heading styles, or, in documents whose headings are just bold, larger text
in the Normal style, from short paragraphs that are wholly bold: their font sizes, largest first, give the levels.
Tables become one readable line per row ("Agency: Police; Contacts: 3"), except a table of one column, which a form
uses to box its parts: its cells are read as the body is, as are text boxes. Page breaks start new pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from core.text import notes_section
from ingest.docx_numbering import NUMBERED_FORMATS, ListLevel, Numbering
from ingest.headings import split_number

HEADING_MAX_WORDS = 16
MAX_STYLE_DEPTH = 10  # styles based on styles: deeper chains (or loops) are not followed
BODY_OUTLINE_LEVEL = 9  # Word's outline level of body text
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _P = f"{_W}t", f"{_W}p"
_SPACES = frozenset({f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}ptab"})
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
_TEXT_BOX = f"{_W}txbxContent"
_UNREAD = frozenset({f"{_W}del", f"{_W}moveFrom", _TEXT_BOX, f"{_W}pPr", f"{_W}rPr", _FALLBACK})
DEFAULT_SIZE_PT = 11.0
# The number a table gives its row in its first column: "1", "2.1", "3.", "(b)", "iv", "R3".
_ROW_NUMBER = re.compile(r"\(?(?:[A-Z]{0,2}\d{1,2}(?:\.\d{1,2})?|[a-z]|[ivx]{1,4})[.)]?")


@dataclass(frozen=True)
class _Block:
    text: str
    kind: str  # "heading", "list", "numbered", "table", "text", "page"
    level: int = 0
    size: float = DEFAULT_SIZE_PT
    list_style: str = ""  # the list style ("List Number 2") that numbers a paragraph outside Word's numbering


def docx_pages(document: Any) -> list[str]:
    """Pages of markdown-marked text from a python-docx Document."""
    blocks = list(_blocks(document))
    sizes = sorted({b.size for b in blocks if b.kind == "heading" and not b.level}, reverse=True)
    pages: list[list[str]] = [[]]
    for block in blocks:
        if block.kind == "page":
            if pages[-1]:
                pages.append([])
            continue
        if block.kind == "heading":
            level = block.level or sizes.index(block.size) + 1
            pages[-1] += ["", f"{'#' * min(level, 6)} {block.text}", ""]
        elif block.kind == "list":
            pages[-1].append(f"- {block.text}")
        elif block.kind == "numbered":
            pages[-1].append(block.text)
        else:
            pages[-1] += ["", block.text, ""]
    notes = docx_notes(document)
    if notes:  # a Word file's footnotes and endnotes, which its body only marks: after the text, numbered
        pages[-1] += ["", notes_section(notes, "##")]
    return ["\n".join(lines) for lines in pages]


def docx_notes(document: Any) -> list[str]:
    """The text of a Word file's footnotes, then its endnotes, in their order (not the separators Word keeps as
    notes of their own)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    notes: list[str] = []
    for kind in ("footnotes", "endnotes"):
        for rel in document.part.rels.values():
            if rel.is_external or not rel.reltype.endswith("/" + kind):
                continue
            root = parse_xml(rel.target_part.blob)  # python-docx's parser: no external entities
            for note in root.iter(qn("w:" + kind[:-1])):
                if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p"))]
                text = " ".join(" ".join(paragraphs).split())
                if text:
                    notes.append(text)
    return notes


def _blocks(document: Any) -> Any:
    return _blocks_in(document.element.body, document, Numbering(document))


def _blocks_in(container: Any, document: Any, numbering: Numbering) -> Any:
    """The blocks of a body or a table cell, in order. A table of one column is a layout table (a template's boxes,
    each holding a section's heading and paragraphs): its cells are read as the body is, not as rows."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in container.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            if any(br.get(qn("w:type")) == "page" for br in element.iter(qn("w:br"))):
                yield _Block("", "page")
            in_list = numbering.of(paragraph)
            block = _paragraph(paragraph, in_list)
            if block and block.kind == "heading":
                numbering.restart_items()  # Word numbers a list on across paragraphs between its items, not headings
                if in_list is not None:
                    block = _numbered(block, numbering.heading_number(in_list))
            elif block and block.kind == "numbered":
                at = in_list or ListLevel(f"style:{block.list_style}", 0, "decimal")
                block = replace(block, text=f"{numbering.item_number(at)} {block.text}")
            if block:
                yield block
            for box in _text_boxes(element):  # a briefing's boxes, anchored in this paragraph
                yield from _blocks_in(box, document, numbering)
        elif element.tag == qn("w:sdt"):  # a content control (a template's field, a contents list): its content
            for content in element.iterchildren(qn("w:sdtContent")):
                yield from _blocks_in(content, document, numbering)
        elif element.tag == qn("w:tbl"):
            table = Table(element, document)
            boxes = _boxes(table)
            if boxes is None:
                yield from _table(table)
            for box in boxes or ():
                yield from _blocks_in(box, document, numbering)


def words_of(element: Any) -> str:
    """The words a reader sees in a paragraph or cell: its runs, with those inside content controls, hyperlinks,
    fields and tracked insertions; not tracked deletions, text boxes (read as blocks of their own) or the copy of
    a drawing Word keeps for older readers. Paragraphs within it are parted by a space."""
    parts: list[str] = []
    _collect_words(element, parts)
    return "".join(parts)


def _collect_words(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _SPACES:
            parts.append(" ")
        elif tag == _NO_BREAK_HYPHEN:  # "self-harm" typed with Word's non-breaking hyphen
            parts.append("-")
        elif tag not in _UNREAD:
            _collect_words(child, parts)
            if tag == _P:
                parts.append(" ")


def _text_boxes(element: Any) -> Any:
    """The contents of the text boxes an element anchors, each once, in order: not those inside another box (read
    with it), nor the copy Word keeps for older readers (a drawing's VML fallback)."""
    for child in element.iterchildren():
        if child.tag == _TEXT_BOX:
            yield child
        elif child.tag != _FALLBACK:
            yield from _text_boxes(child)


def _boxes(table: Any) -> list[Any] | None:
    """The cells of a layout table, in reading order (row by row), or None for a table of data. A form boxes its
    parts in a table of one column; a briefing sets its parts side by side in a grid whose every box opens with
    its own heading (a short, wholly bold paragraph) over its text."""
    from docx.text.paragraph import Paragraph

    grid = table_grid(table)
    cells = list(dict.fromkeys(tc for row in grid for tc in row))  # a merged cell once
    if all(len(set(row)) == 1 for row in grid):
        return cells
    filled = [tc for tc in cells if "".join(tc.itertext()).strip()]
    paragraphs = [[Paragraph(p, table) for p in tc.iterchildren() if p.tag.endswith("}p")] for tc in filled]
    return filled if filled and all(_opens_with_heading(ps) for ps in paragraphs) else None


def _opens_with_heading(paragraphs: list[Any]) -> bool:
    """Whether a box's first paragraph is a heading in its own right, with text after it."""
    texts = [p for p in paragraphs if words_of(p._p).strip()]
    first = _paragraph(texts[0], None) if len(texts) > 1 else None
    return first is not None and first.kind == "heading"


MIN_FORM_ROWS = 2
MAX_FORM_ROWS = 60  # a form's details; a longer two-column table is data
_CONTENTS_STYLES = ("toc ", "toc heading", "table of figures")  # Word's built-in styles for contents lists


def _paragraph(paragraph: Any, in_list: ListLevel | None) -> _Block | None:
    text = " ".join(words_of(paragraph._p).split())
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.lower().startswith(_CONTENTS_STYLES):  # Word's contents list and its heading: pages, not sections
        return None
    if style == "Title":
        return _Block(text, "heading", 1)
    level = _outline_level(paragraph)
    if level is not None:
        return _Block(text, "heading", level + 2)  # outline level 0 is a heading 1, under the title
    if in_list is not None and in_list.number_format:  # numbered or bulleted by Word, whatever the style's name
        return _Block(text, "numbered" if in_list.number_format in NUMBERED_FORMATS else "list")
    if style.startswith("List Number"):
        return _Block(text, "numbered", list_style=style)
    if style.startswith("List"):
        return _Block(text, "list")
    if _wholly_bold(paragraph) and len(text.split()) <= HEADING_MAX_WORDS and not text.endswith((".", ",", ";")):
        return _Block(text.rstrip(":"), "heading", 0, _size(paragraph))
    return _Block(text, "text")


def _outline_level(paragraph: Any) -> int | None:
    """A heading's outline level (0 for a heading 1): the paragraph's own, else its style's or the first style it
    is based on that has one; a style named "Heading N" counts as level N - 1. A house style's headings ("LSCP
    Heading 1", "Sub heading" based on Heading 2) are headings as Word's own are. None for body text."""
    from docx.oxml.ns import qn

    own = paragraph._p.pPr.find(qn("w:outlineLvl")) if paragraph._p.pPr is not None else None
    style = paragraph.style
    for _ in range(MAX_STYLE_DEPTH):
        if own is not None:
            value = own.get(qn("w:val"))
            return int(value) if value and value.isdigit() and int(value) < BODY_OUTLINE_LEVEL else None
        if style is None:
            return None
        if match := re.fullmatch(r"Heading (\d)", style.name or ""):
            return int(match.group(1)) - 1
        properties = style.element.pPr
        own = properties.find(qn("w:outlineLvl")) if properties is not None else None
        style = style.base_style if own is None else style
    return None


def _numbered(heading: _Block, printed: str) -> _Block:
    """A heading Word numbers ('4.1' from its list), with that number before its words as the page shows it, when
    it is a section number the outline reads ('4.1', 'B.', 'IV.'), and the words do not already start with it."""
    text = f"{printed} {heading.text}"
    if not printed or heading.text.startswith(printed) or split_number(text)[0] != printed:
        return heading
    return replace(heading, text=text)


def _wholly_bold(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _size(paragraph: Any) -> float:
    sizes = [r.font.size.pt for r in paragraph.runs if r.text.strip() and r.font.size is not None]
    if sizes:
        return max(sizes)
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return DEFAULT_SIZE_PT


def table_grid(table: Any) -> list[list[Any]]:
    """Each row's cells (`w:tc`) by grid column, a merged cell repeated over the columns and rows it spans: what
    python-docx's `row.cells` gives, read in one pass (it looks up a vertically merged cell's first row again for
    every row under it, which is quadratic, and past about 1,500 rows too deep for Python's stack)."""
    started: dict[int, Any] = {}  # grid column -> the cell a vertical merge there started with
    grid = []
    for tr in table._tbl.tr_lst:
        row: list[Any] = []
        for tc in tr.tc_lst:
            cell = started.get(len(row), tc) if tc.vMerge == "continue" else tc
            for _ in range(max(tc.grid_span, 1)):
                started[len(row)] = cell
                row.append(cell)
        grid.append(row)
    return grid


def _table(table: Any) -> Any:
    grid = table_grid(table)
    rows = [[" ".join(words_of(tc).split()) for tc in row] for row in grid]
    rows = [list(dict.fromkeys(row)) if len(set(row)) < len(row) else row for row in rows]  # merged cells repeat
    if _labels_beside_values(grid, rows):  # a form's details: "Date of rapid review meeting: 17 April 2024"
        yield from (_Block(f"{label.rstrip(':')}: {value}", "text") for label, value in rows if value)
        return
    yield from (_Block(line, "text") for line in table_lines(rows))


def _labels_beside_values(grid: list[list[Any]], rows: list[list[str]]) -> bool:
    """A form's details: a short two-column table whose left cells are all set in bold and whose right ones mostly
    are not, with no header row (its first row is a label and a value like the rest). Read from the runs' own bold,
    row by row, stopping at the first that is not."""
    if not MIN_FORM_ROWS <= len(rows) <= MAX_FORM_ROWS or any(len(row) != 2 for row in rows):
        return False
    bold_values = 0
    for index, row in enumerate(grid):
        cells = list(dict.fromkeys(row))
        if len(cells) != 2 or _bold_runs(cells[0]) is not True:
            return False
        value_bold = _bold_runs(cells[1]) is not False
        if value_bold and index == 0:
            return False  # a first row all in bold is a header ("Date", "Event")
        bold_values += value_bold
    return bold_values * 2 < len(rows)  # a value stressed in bold ("YES") is still a value


def _bold_runs(cell: Any) -> bool | None:
    """Whether a cell's words are all in bold (True), none are (False), or some are (None); an empty cell is not."""
    from docx.oxml.ns import qn

    bold = set()
    for run in cell.iter(qn("w:r")):
        if not "".join(t.text or "" for t in run.iter(qn("w:t"))).strip():
            continue
        properties = run.find(qn("w:rPr"))
        mark = properties.find(qn("w:b")) if properties is not None else None
        bold.add(mark is not None and mark.get(qn("w:val")) not in ("0", "false"))
    return False if not bold else (True if bold == {True} else (False if bold == {False} else None))


HEADER_MAX_WORDS = 8  # a column's header names it in a few words; a first row with more is the table's content


def table_lines(rows: list[list[str]]) -> list[str]:
    """One readable line per row; with a header row, each cell is named by its column. A table whose first column
    numbers its rows ('1', '2.1', '(b)', 'R3') reads as a numbered list: '1. <second cell> <header>: <cell>; ...'."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return [" | ".join(c for c in row if c) for row in rows]
    header, body = rows[0], rows[1:]
    if any(len(cell.split()) > HEADER_MAX_WORDS for cell in header):  # prose in the first row: no header row
        return [_labelled_row(row) for row in rows]
    if all(len(row) == len(header) > 2 and _ROW_NUMBER.fullmatch(row[0]) for row in body):
        return [_numbered_row(header, row) for row in body]
    out = []
    for row in body:
        if len(row) == len(header):
            out.append(_named_cells(header, row))
        else:
            out.append(" | ".join(c for c in row if c))
    return out


def _named_cells(header: list[str], row: list[str]) -> str:
    """A row's cells, each after its column's name: "Agency: Police; Timescale: May 2024". A cell ending a
    sentence is followed by a space, not a semicolon; a row with a semicolon in a cell parts its cells with " | ",
    so no cell's own semicolon reads as the end of the cell."""
    cells = [(f"{h}: {c}" if h else c) for h, c in zip(header, row, strict=True) if c]
    if any(";" in c for c in row):
        return " | ".join(cells)
    return "".join(
        cell + ("" if i == len(cells) - 1 else " " if cell.rstrip().endswith((".", "!", "?")) else "; ")
        for i, cell in enumerate(cells)
    )


def _labelled_row(row: list[str]) -> str:
    """A row of a table without a header row: a form's label beside its value ("Date: 18 December 2023"), or the
    cells in their order."""
    cells = [c for c in row if c.strip()]
    if len(cells) == 2 and len(cells[0].split()) <= HEADER_MAX_WORDS:
        label = cells[0].strip()
        return f"{label} {cells[1]}" if label.endswith(":") else f"{label}: {cells[1]}"
    return " | ".join(cells)


def _numbered_row(header: list[str], row: list[str]) -> str:
    """A row of a numbered table as a list item: its number as printed ('(b)', '3.'; a bare '3' gets its stop),
    its main cell, then the other cells by column."""
    number = row[0].strip()
    number = number if number.endswith((".", ")")) else f"{number}."
    item = row[1].strip()
    rest = _named_cells(header[2:], row[2:])
    if not rest:
        return f"{number} {item}"
    return f"{number} {item}{'' if item.endswith(('.', ';', ':')) else '.'} {rest}"
