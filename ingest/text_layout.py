"""Plain-text and markdown layouts: YAML front matter becomes metadata hints, markdown tables readable rows,
underlined (setext) headings marked headings, and rules and HTML comments, which are not text, dropped. Plain text
saved one paragraph to a line gets the blank lines it lacks between paragraphs."""

from __future__ import annotations

import re
from collections import Counter

from core.text import notes_section
from ingest.docx_text import table_lines

SETEXT_LEVELS = {"=": 1, "-": 2}  # CommonMark: a line underlined with '=' is a level-1 heading, with '-' level 2
RULE_CHARS = frozenset("-=_*~")
MIN_RULE_CHARS = 3
HEADING_MAX_CHARS = 200
_NOTE_LABEL = re.compile(r"^[ \t]{0,3}\[\^[^\]\s]{1,20}\]:[ \t]*", re.M)
_NOTE_REFERENCE = re.compile(r"\[\^[^\]\s]{1,20}\]")
# Numbered notes as a word processor exports them to text: a reference "[3]" set after a word or stop ("did not make
# a referral.[3]", "as the panel found [3]"), and the note itself on a line of its own ("[3] The threshold ...").
_NUMBERED_NOTE = re.compile(r"^[ \t]*\[(\d{1,3})\][ \t]+(?=\S)", re.M)
_NUMBERED_REFERENCE = re.compile(r"(?<=[\w.,;:!?)\"'\u201d\u2019]) ?\[(\d{1,3})\](?![(\[])")
_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]")
_SUMMARY = re.compile(r"<summary[^<>\n]{0,200}>([^\n]{0,300}?)</summary>", re.I)
_DETAILS_TAG = re.compile(r"</?details[^<>\n]{0,200}>", re.I)
_TAG = re.compile(r"<[^<>\n]{0,200}>")
# Pandoc's Markdown markup (see without_pandoc_markup): attributes in braces at a heading's or span's end, a
# fenced div's fence, a table caption line.
_ATTRIBUTES = re.compile(r"(?<![ \t])[ \t]*\{[ \t]*[#.][^{}\n]{0,200}\}[ \t]*$")  # from a run of spaces' start
_SPAN = re.compile(r"\[([^\[\]\n]{1,2000})\]\{[^{}\n]{0,200}\}")
_DIV_FENCE = re.compile(r":{3,}(?:[ \t]*\{[^{}\n]{0,200}\}|[ \t]*[\w-]{1,60})?[ \t]*")
_TABLE_CAPTION = re.compile(r":[ \t][^\n]{0,300}\{#[^{}\n]{0,100}\}[ \t]*")
_LINE_BREAK = re.compile(r"(?<![ \t])[ \t]*<br[ \t]*/?>[ \t]*\n?", re.I)  # from a run of spaces' start: linear
_HARD_BREAK = re.compile(r"^([ \t]*[^|\s][^\n]*?\S)(?:[ \t]{2,}|\\)\n(?=[ \t]*\S)", re.M)  # not a table's row
_INLINE_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|span|font|sup|sub|small|mark|a|abbr|cite|code|s|del|ins)(?:[ \t][^<>\n]{0,300})?>", re.I
)
_QUOTE_MARK = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M)
_ALERT_TYPE = re.compile(r"^\[![A-Za-z]{1,20}\][+-]?[ \t]*", re.M)  # "[!NOTE]", "[!WARNING]-" (a folded one)
# A run of spaces between two columns' text on one line: group 1, from the left text's end to the right's start.
_COLUMN_GAP = re.compile(r"\S( {3,})(?=\S)")
MIN_COLUMN_CHARS = 20  # each column of a page in columns holds lines of prose at least this long
MIN_COLUMN_LINES = 4  # lines whose right column starts at one place, for a page to be in columns
COLUMN_SHARE = 0.3  # ... and at least this share of its lines with text
_GRID_BORDER = re.compile(r"\+[-=:+]*[-=]\+")  # "+------+-----+", "+======+": a grid table's border
# No hard-wrapped text has lines this long (pdftotext, e-mail, a typist's 80 columns); a text where at least this
# share of its lines of prose (PROSE_CHARS or more) are so long was saved one paragraph to a line.
UNWRAPPED_CHARS = 250
UNWRAPPED_SHARE = 0.2
PROSE_CHARS = 40

FRONT_MATTER_KEYS = {"title": "title", "date": "date", "published": "date", "partnership": "partnership",
                     "type": "type", "review_type": "type", "author": "author", "reviewer": "author"}  # fmt: skip


def split_front_matter(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(text without a leading '---' YAML block, its simple 'key: value' pairs that name metadata)."""
    if not text.startswith("---\n"):
        return text, ()
    end = text.find("\n---", 4)
    if end < 0:
        return text, ()
    hints = []
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in FRONT_MATTER_KEYS and value.strip():
            hints.append((FRONT_MATTER_KEYS[key], value.strip().strip("\"'")))
    rest = text[end + 4 :]
    return rest[rest.find("\n") + 1 :] if "\n" in rest else "", tuple(hints)


def readable_tables(text: str) -> str:
    """Markdown tables as one readable paragraph per row, each cell named by its column: pipe tables ('| a | b |' rows)
    and grid tables (rows between '+---+' borders, a row's cells running over several lines, as pandoc writes
    them)."""
    out: list[str] = []
    table: list[list[str]] = []
    row: list[list[str]] = []  # a grid table's row so far: each cell's lines
    grid = False  # the table has borders: its lines up to the next border are one row
    for line in [*text.split("\n"), ""]:
        stripped = line.strip()
        if _GRID_BORDER.fullmatch(stripped):
            if row:
                table.append(_grid_row(row))
            row, grid = [], True
            continue
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            if grid:
                row += [[] for _ in cells[len(row) :]]
                for parts, cell in zip(row, cells, strict=False):
                    parts.append(cell)
            else:
                table.append(cells)
            continue
        if row:
            table.append(_grid_row(row))
        row, grid = [], False
        if table:
            for row_line in table_lines(table):  # each row a paragraph of its own, never run into the next
                out += ["", row_line]
            out.append("")
            table = []
        out.append(line)
    return "\n".join(out[:-1])


def _grid_row(row: list[list[str]]) -> list[str]:
    """A grid table's row, each cell's lines joined with single spaces."""
    return [" ".join(" ".join(parts).split()) for parts in row]


def side_by_side_columns(text: str) -> str:
    """Text laid out in two columns side by side (as `pdftotext -layout` gives a two-column page) read as a reader
    reads it, page by page: the left column, then the right. A page is in columns when most of its lines of two
    parts have the second, a column's width of prose away from the first, start at the same place; lines the
    columns do not divide (a running header, a centred title) stay where they are. Other pages are as they were."""
    return "\f".join(_in_column_order(page) for page in text.split("\f"))


def _in_column_order(page: str) -> str:
    lines = page.split("\n")
    gaps = [m for line in lines if (m := _COLUMN_GAP.search(line))]
    starts = Counter(
        m.end(1) for m in gaps if m.start(1) >= MIN_COLUMN_CHARS and len(m.string) - m.end(1) >= MIN_COLUMN_CHARS
    )
    if not starts:
        return page
    gutter, count = starts.most_common(1)[0]
    if count < MIN_COLUMN_LINES or count < COLUMN_SHARE * sum(1 for line in lines if line.strip()):
        return page
    split = [_halves(line, gutter) for line in lines]
    inside = [i for i, halves in enumerate(split) if halves is not None and halves[1]]
    first, last = inside[0], inside[-1]
    while last + 1 < len(lines) and split[last + 1] is not None:  # the left column runs on below the right one
        last += 1
    left = [h[0] if (h := split[i]) is not None else lines[i] for i in range(first, last + 1)]
    right = [h[1] for i in range(first, last + 1) if (h := split[i]) is not None]
    return "\n".join([*lines[:first], *left, "", *right, *lines[last + 1 :]])


def _halves(line: str, gutter: int) -> tuple[str, str] | None:
    """A line's left and right column text, split at the gutter (the right starting there); None when its text
    runs across the gutter or starts elsewhere beyond it (a running header's far end)."""
    if len(line.rstrip()) <= gutter:
        return line.rstrip(), ""
    if line[gutter] == " " or line[gutter - 2 : gutter] != "  ":
        return None
    return line[:gutter].rstrip(), line[gutter:].rstrip()


def lines_as_paragraphs(text: str) -> str:
    """Text saved one paragraph to a line (Word's "Plain Text", a page copied from a browser) parts its paragraphs,
    headings and list items by line ends alone, where wrapped text parts them by blank lines: in such a text (see
    UNWRAPPED_SHARE) each line is a paragraph, with a blank line after it. Other texts are returned as they are."""
    lines = text.split("\n")
    prose = [line for line in lines if len(line.strip()) >= PROSE_CHARS]
    if not prose or sum(len(line) > UNWRAPPED_CHARS for line in prose) < UNWRAPPED_SHARE * len(prose):
        return text
    return "\n\n".join(line for line in lines if line.strip() or "\f" in line)


def notes_apart(text: str) -> tuple[str, list[str]]:
    """Markdown without its footnote marks, and its footnotes: a reference ('Child Hazel[^1] was') is left out,
    and each footnote ('[^1]: Hazel is a pseudonym ...', with its indented next lines), wherever it is written, is
    taken out to be set after the text (`with_notes`), not left as a paragraph of the section it was typed under."""
    notes: list[list[str]] = []  # each note's lines
    kept: list[str] = []
    in_note = False  # the line before was a note's
    for line in text.split("\n"):
        label = _NOTE_LABEL.match(line)
        if label is not None:
            notes.append([line[label.end() :].strip()])
            in_note = True
        elif in_note and line.startswith(("    ", "\t")) and line.strip():
            notes[-1].append(line.strip())  # a note's indented next line
        else:
            kept.append(line)
            in_note = False
    return _NOTE_REFERENCE.sub("", "\n".join(kept)), [" ".join(lines) for lines in notes]


def with_notes(text: str, notes: list[str]) -> str:
    """The text with its notes numbered in a "Notes" section at its end, at the level of its sections (the
    shallowest heading after its first)."""
    if not notes:
        return text
    levels = [len(m.group(1)) for line in text.split("\n") if (m := _MD_HEADING.match(line))][1:]  # not the title's
    return f"{text.rstrip()}\n\n{notes_section(notes, '#' * (min(levels) if levels else 1))}"


def without_numbered_notes(text: str) -> str:
    """Text without its numbered footnote marks, where it has the notes they number: a reference ('a referral.[3]')
    is left out, so it is never taken for an answer's citation, and a note ('[3] The threshold ...') is kept as a
    paragraph of its own, without its number. A bracketed number without a note of that number stays."""
    notes = {m.group(1) for m in _NUMBERED_NOTE.finditer(text)}
    if not notes:
        return text
    text = _NUMBERED_REFERENCE.sub(lambda m: "" if m.group(1) in notes else m.group(0), text)
    return _NUMBERED_NOTE.sub("", text)


def details_as_headings(text: str) -> str:
    """Markdown's collapsible blocks as a reader sees them opened (Notion and GitHub write them as HTML): each
    '<summary>Terms of reference</summary>' a heading one level under the Markdown heading before it, and the
    '<details>' tags around it left out. Other text is as it was. One pass over the lines."""
    if "<summary" not in text.lower():
        return text
    out: list[str] = []
    level = 1
    for line in text.split("\n"):
        if heading := _MD_HEADING.match(line):
            level = len(heading.group(1))
        summary = _SUMMARY.search(line)
        bare = _DETAILS_TAG.sub("", line).strip()
        if summary is not None:
            out += ["", f"{'#' * min(level + 1, 6)} {_TAG.sub('', summary.group(1)).strip()}", ""]
            rest = _DETAILS_TAG.sub("", line[summary.end() :]).strip()
            out += [rest] if rest else []
        elif bare or not _DETAILS_TAG.search(line):
            out.append(line if bare == line.strip() else bare)
    return "\n".join(out)


def html_in_markdown(text: str) -> str:
    """The raw HTML Markdown allows, read as a reader sees it: each '<table>' a pipe table (so its rows read as any
    table's do), a line break ('<br>', or two spaces or a backslash ending a line) a break between lines, and the
    tags of inline markup ('<strong>', '<span ...>') left out, their words kept. One pass over the text."""
    out: list[str] = []
    lowered = text.lower()
    pos = 0
    while (start := lowered.find("<table", pos)) >= 0 and (end := lowered.find("</table>", start)) >= 0:
        out += [text[pos:start], _pipe_table(text[start : end + len("</table>")])]
        pos = end + len("</table>")
    out.append(text[pos:])
    text = _INLINE_TAG.sub("", _LINE_BREAK.sub("\n\n", "".join(out)))
    return _HARD_BREAK.sub(r"\1\n\n", text)


def _pipe_table(html: str) -> str:
    """An HTML table as Markdown pipe rows between blank lines, each cell's words on one line."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        table = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return html
    for br in table.iter("br"):
        br.tail = " " + (br.tail or "")
    rows = []
    for row in table.iter("tr"):
        cells = [" ".join(c.text_content().split()).replace("|", "/") for c in row if c.tag in ("td", "th")]
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return "\n\n" + "\n".join(rows) + "\n\n"


def without_quote_marks(text: str) -> str:
    """Markdown without its block-quote marks ('> ', as Notion writes a callout) and the alert type a quote may
    open with ('> [!NOTE]', as GitHub writes one, shown as an icon): the words a reader sees."""
    return _ALERT_TYPE.sub("", _QUOTE_MARK.sub("", text))


def without_pandoc_markup(text: str) -> str:
    """Markdown as pandoc writes it from Word, read as its words: a heading's attributes ('# 4 Findings
    {#sec-findings .unnumbered}'), a span's ('[Published by ...]{.smallcaps}' keeps its words), a fenced div's
    fence lines (':::', '::: {.callout-note}') and a table's caption line (': Table 1. Key events {#tbl-events}')
    are markup, not text."""
    lines = []
    for line in text.split("\n"):
        if _DIV_FENCE.fullmatch(line) or _TABLE_CAPTION.fullmatch(line):
            lines.append("")
            continue
        lines.append(_SPAN.sub(r"\1", _ATTRIBUTES.sub("", line)))
    return "\n".join(lines)


def without_comments(text: str) -> str:
    """Markdown text without its HTML comments ('<!-- ... -->'), which a reader never sees; an unclosed one stays."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def underlined_headings(text: str, tables_ruled: bool = False) -> str:
    """A line underlined with '='s or '-'s (a setext heading in Markdown, the same in plain text) becomes a marked
    heading ('# ' or '## '); any other line that is only a rule ('---', '***', '= = =') is dropped, as it is layout.
    Only a one-line paragraph is a heading: a rule under a longer paragraph ends it. `tables_ruled`: a rule drawn
    column by column under a line ("----------  ----------") is a table's, kept under its header for the table to
    be read (plain text)."""
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        mark = rule_char(line)
        above = lines[index - 1].strip() if index else ""
        if mark is None or (tables_ruled and above and _COLUMN_RULE.fullmatch(line)):
            out.append(line)
            continue
        before = lines[index - 2].strip() if index > 1 else ""
        if mark in SETEXT_LEVELS and not before and _can_be_heading(above) and " " not in line.strip():
            out[-1] = f"{'#' * SETEXT_LEVELS[mark]} {above}"
        out.append("")
    return "\n".join(out)


_COLUMN_RULE = re.compile(r"[ \t]*[-=]{3,}(?:[ \t]{2,}[-=]{3,})+[ \t]*")  # a rule under each column, gaps between


def rule_char(line: str) -> str | None:
    """The character a line is a rule of ('-' for '-----' or '- - -'), or None for any other line."""
    marks = line.replace(" ", "").replace("\t", "")
    if len(marks) < MIN_RULE_CHARS or marks[0] not in RULE_CHARS or marks.count(marks[0]) != len(marks):
        return None
    return marks[0]


def _can_be_heading(line: str) -> bool:
    """A line a rule can underline as a heading: not a bulleted item, quote, table row, marked heading or rule (a
    numbered line can be: plain text underlines numbered headings)."""
    return (
        bool(line) and len(line) <= HEADING_MAX_CHARS and not line.startswith(_NOT_HEADINGS) and rule_char(line) is None
    )


_NOT_HEADINGS = ("#", ">", "|", "-", "*", "+", "\u2022", "\u25cf", "\u25aa", "\u25e6", "\u2013")
