"""Headings set in the margin of plain text (a side-head layout, as `pdftotext -layout` writes it): a short label at
the left edge with the section's text starting on the same line, further right, and running on below at that same
column. Read as a heading on its own line above its text, so the outline sees every section and no heading's words
run into the sentence beside it."""

from __future__ import annotations

import re
from collections import Counter

MIN_LABELS = 2  # labels sharing one text column: one alone is an indented paragraph, not a layout
MIN_TEXT_COLUMN = 12  # the text starts at least this far right: a margin, not a number's hanging indent
MAX_TEXT_COLUMN = 40
MAX_LABEL_CHARS = 40
MIN_SHARE = 0.6  # of the non-blank lines from the first label on, labelled or set at the text column
# A label: a word or few starting with a letter (after a section number, if any), ending without a sentence's stop,
# then a gap of three spaces or more before the text. Bounded runs: linear in the line.
_LABEL_LINE = re.compile(
    r"(?P<label>(?:\d{1,2}(?:\.\d{1,2})*\.?[ \t])?[A-Za-z][\w'\u2019&/-]*(?:[ \t][\w'\u2019&/()-]+){0,5}:?)"
    r"[ \t]{3,}(?P<text>\S.*)"
)


def margin_headings(text: str) -> str:
    """The text with each margin label set on its own line as a heading above its text, and the text's lines moved
    to the left edge; text without such a layout as it was. Linear: each line is read a bounded number of times."""
    lines = text.split("\n")
    column = _text_column(lines)
    if column is None:
        return text
    out: list[str] = []
    heading = -1  # where in `out` the label of the line above is; -1 when the line above had none
    for line in lines:
        page_break = "\f" if line.startswith("\f") else ""
        body = line[len(page_break) :].expandtabs()
        label = _label_at(body, column)
        if label is None:
            heading = -1
            moved = body[:column].strip() == "" and body.strip()  # the text running on below its label
            out.append(page_break + body[column:] if moved else line)
        elif heading >= 0 and label[:1].islower():  # the label above wraps in the margin ("Agency" / "involvement")
            out[heading] = f"{out[heading]} {label.strip()}"
            out.append(body[column:])
        else:
            heading = len(out)
            out += [f"{page_break}{label.strip()}", "", body[column:]]
    return "\n".join(out)


def _text_column(lines: list[str]) -> int | None:
    """The column the text beside the margin labels starts at, when the document is laid out so."""
    starts = Counter(
        match.start("text")
        for line in lines
        if (match := _LABEL_LINE.fullmatch(line.lstrip("\f").expandtabs())) is not None
        and MIN_TEXT_COLUMN <= match.start("text") <= MAX_TEXT_COLUMN
        and len(match.group("label")) <= MAX_LABEL_CHARS
    )
    if not starts:
        return None
    column, labels = starts.most_common(1)[0]
    if labels < MIN_LABELS:
        return None
    first = next(i for i, line in enumerate(lines) if _label_at(line.lstrip("\f").expandtabs(), column) is not None)
    filled = [line.lstrip("\f").expandtabs() for line in lines[first:] if line.strip()]
    at_column = sum(1 for line in filled if _label_at(line, column) is not None or _indent(line) == column)
    return column if at_column >= MIN_SHARE * len(filled) and at_column > labels else None


def _label_at(line: str, column: int) -> str | None:
    """The margin label of a line whose text starts at `column`, if it has one."""
    if len(line) <= column or line[column - 1] != " " or line[column] == " ":
        return None
    match = _LABEL_LINE.fullmatch(line)
    if match is None or match.start("text") != column or len(match.group("label")) > MAX_LABEL_CHARS:
        return None
    return match.group("label")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
