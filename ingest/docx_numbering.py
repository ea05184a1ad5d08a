"""How Word numbers a paragraph: the list it is in, its level and the format of its number, from the paragraph's own
numbering properties or its style's, looked up in the document's numbering definitions. Authors number lists in any
paragraph style ("List Paragraph", "Normal"), so the style's name alone does not say whether a list is numbered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

NUMBERED_FORMATS = frozenset({"decimal", "lowerLetter", "lowerRoman"})  # the formats written out as list numbers
_COUNTED_FORMATS = NUMBERED_FORMATS | {"upperLetter", "upperRoman"}  # those `counter` writes
_PLACEHOLDER = re.compile(r"%([1-9])")  # "%2" in a level's printed form: the second level's counter
# A list item's printed number that the outline reads as one ("3.", "3)", "(3)", "c)", "(iv)", "1.2", "1.2.").
_ITEM_MARKER = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,2}\.?|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]")
_ROMAN_DIGITS = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50), ("xl", 40),
                 ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))  # fmt: skip


@dataclass(frozen=True)
class ListLevel:
    """Where a paragraph sits in a Word list."""

    list_id: str
    level: int
    number_format: str  # Word's numFmt: "decimal", "lowerLetter", "lowerRoman", "bullet", ...
    number_text: str = ""  # Word's lvlText, how the number is printed: "%1.", "(%1)", "%1)"; "" when not given


@dataclass(frozen=True)
class _Level:
    number_format: str = ""
    number_text: str = ""
    start: int = 1


class Numbering:
    """A document's numbering definitions (list id -> level -> number format, printed form and start), and the
    counts of the numbered headings met so far."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._formats: dict[str, dict[int, _Level]] = {}
        self._counts: dict[str, dict[int, int]] = {}  # list id -> level -> the last heading number at that level
        self._item_list = ""  # the list of the last list item
        self._item_counts: dict[int, int] = {}  # its counts by level
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for definition in root.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in definition.iter(qn("w:lvl")):
                fmt, text, start = (lvl.find(qn(tag)) for tag in ("w:numFmt", "w:lvlText", "w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                    fmt.get(qn("w:val"), "") if fmt is not None else "",
                    text.get(qn("w:val"), "") if text is not None else "",
                    _integer(start.get(qn("w:val"), "") if start is not None else ""),
                )
            abstract[definition.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iter(qn("w:num")):
            link = num.find(qn("w:abstractNumId"))
            if link is not None:
                self._formats[num.get(qn("w:numId"), "")] = abstract.get(link.get(qn("w:val"), ""), {})

    def of(self, paragraph: Any) -> ListLevel | None:
        """The list level of a paragraph (its own numbering, else its style's), or None when it is in no list."""
        properties = _numbering_properties(paragraph)
        if properties is None or properties.numId is None or properties.numId.val in (None, 0):
            return None
        list_id = str(properties.numId.val)
        level = int(properties.ilvl.val) if properties.ilvl is not None and properties.ilvl.val is not None else 0
        found = self._formats.get(list_id, {}).get(level, _Level())
        return ListLevel(f"num:{list_id}", level, found.number_format, found.number_text)

    def heading_number(self, at: ListLevel) -> str:
        """The number Word prints before the next heading at this level of its list ('4.1' from '%1.%2'), counting
        the headings given before; '' for a level that prints none (a bullet, an unknown format)."""
        return self._next(at, self._counts.setdefault(at.list_id, {}))

    def item_number(self, at: ListLevel) -> str:
        """The number Word prints before the next item at this level of a numbered list, as a list marker the
        outline reads ('3.', '(b)', 'ii)', '1.2'; else the format's usual one, '3.' or 'b)'), counted on across the
        paragraphs between the items of one list and restarted by another list or a heading (`restart_items`)."""
        if at.list_id != self._item_list:
            self._item_list, self._item_counts = at.list_id, {}
        printed = self._next(at, self._item_counts)
        if _ITEM_MARKER.fullmatch(printed):
            return printed
        value = counter(self._item_counts[at.level], at.number_format)
        return f"{value}." if value.isdigit() else f"{value})"

    def restart_items(self) -> None:
        """A heading: the next list item starts a list of its own."""
        self._item_list = ""

    def _next(self, at: ListLevel, counts: dict[int, int]) -> str:
        """Count one more paragraph at this level (those below it start again) and print its number."""
        levels = self._formats.get(at.list_id.removeprefix("num:"), {})
        counts[at.level] = counts.get(at.level, levels.get(at.level, _Level()).start - 1) + 1
        for deeper in [level for level in counts if level > at.level]:
            del counts[deeper]
        used = [levels.get(int(n) - 1, _Level()) for n in _PLACEHOLDER.findall(at.number_text)]
        if not used or any(level.number_format not in _COUNTED_FORMATS for level in used):
            return ""

        def value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            found = levels.get(level, _Level())
            return counter(counts.get(level, found.start), found.number_format)

        return _PLACEHOLDER.sub(value, at.number_text).strip()


def _numbering_properties(paragraph: Any) -> Any:
    """The numbering properties that apply to a paragraph: its own, else the nearest style's up its chain."""
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return properties.numPr
    style = paragraph.style
    while style is not None:
        style_properties = style.element.pPr
        if style_properties is not None and style_properties.numPr is not None:
            return style_properties.numPr
        style = style.base_style
    return None


def _integer(text: str) -> int:
    return int(text) if text.isdigit() and len(text) <= 6 else 1


def counter(number: int, number_format: str) -> str:
    """A list counter written in a numbering format ('lowerLetter' 3 -> 'c', 'upperRoman' 4 -> 'IV'); decimal for
    any other format, or for a letter past 'z'."""
    if number_format in ("lowerLetter", "upperLetter") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman") and number >= 1:
        digits, rest = "", number
        for digit, value in _ROMAN_DIGITS:
            count, rest = divmod(rest, value)
            digits += digit * count
        return digits.upper() if number_format == "upperRoman" else digits
    return str(number)
