"""Text patterns every stage shares: one bullet marker, one sentence end, one citation marker, a month's name, one
tidy-up, and a pattern finding any of a set of names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

# A list item's marker at the start of a line: a bullet glyph or dash ("o", "\u25cb", "\u2023", "\u2043", "\u27a2": the
# sub-bullets Word's lists save as text), "3." / "3)", "a." / "a)", "(a)" / "(3)" / "(iv)".
BULLET_GLYPHS = r"[-*o\u2022\u25cf\u25aa\u25e6\u2013\u25cb\u2023\u2043\u27a2]"
BULLET = re.compile(rf"[ \t]*(?:{BULLET_GLYPHS}|\d{{1,2}}[.)]|[a-z][.)]|\((?:\d{{1,2}}|[a-z]|[ivx]{{1,4}})\))[ \t]+")
_UNMAPPED_BULLET = re.compile(r"^(?:\(cid:\d+\)|[\uf0a7\uf0b7])\s")


def bullet_glyph(line: str) -> str:
    """A glyph pdfminer cannot map ('(cid:127)') or a Symbol-font bullet (U+F0B7, U+F0A7: what pdfminer and
    pdftotext make of one) opening a line is a bullet: '• '."""
    return _UNMAPPED_BULLET.sub("• ", line)


# The space after a sentence's full stop (or ? !) and any closing quote or bracket, before the next sentence's
# capital or digit (or the quote or bracket opening it).
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]?\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
# A citation marker in an answer: "[3]" (its number in group 1).
MARKER = re.compile(r"\[(\d{1,3})\]")
# The same with the space before it, to remove or replace both (the space in group 1, the number in group 2).
SPACED_MARKER = re.compile(r"(\s*)" + MARKER.pattern)
# Where an answer's sentence ends: its stop, a closing quote or bracket, then the markers citing it ("so." [2][3]);
# a pattern to build on, each reader adding what must follow.
CITED_STOP = r"[.!?][\"')]?(?:\s*\[\d{1,3}\])*"
# A name's capital and its other letters, accented ones too ("Ciarán", "Siân", "Zoë", "Łucja"): Latin-1 and Latin
# Extended-A letters (the Extended-A block mixes both cases).
NAME_CAPITAL = "[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f]"
NAME_LOWER = "[a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f]"
# A month's name, as dates in reviews write it.
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+([.,;:!?])")
_SPACES = re.compile(r"[ \t]{2,}")


def pages_label(pages: Sequence[int], one: str = "page", many: str = "pages") -> str:
    """Where a passage is: "page 3" or "pages 3–5" (or with the abbreviations given, "p. 3", "pp. 3–5")."""
    if not pages:
        return "page unknown"
    if len(pages) == 1:
        return f"{one} {pages[0]}"
    return f"{many} {pages[0]}–{pages[-1]}"


def tidy(text: str) -> str:
    """No space before punctuation, single spaces, no space at either end."""
    return _SPACES.sub(" ", _SPACE_BEFORE_STOP.sub(r"\1", text)).strip()


def any_of(names: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of the names as whole words, the longest first ("Infants P and W" before "P")."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(set(names), key=len, reverse=True))) + r")\b")


# Double quotation marks, opening, closing or either ('"'), whose sentences are one quotation; single quotes are
# left out, as a closing one is also an apostrophe ("Callum’s").
_OPENS, _CLOSES, _EITHER = "\u201c", "\u201d", '"'
_QUOTE_MARK = re.compile('[\u201c\u201d"]')
QUOTE_MAX_CHARS = 500  # a quotation still open this far on is an unmatched mark (an inch sign), not a quotation


def sentence_ends(line: str) -> Iterator[re.Match[str]]:
    """The ends of a line's sentences (SENTENCE_END), except those inside a quotation: "Everyone asked if Mum was
    alright. Nobody asked if I was." is one sentence a child said. One pass over the line."""
    opened = -1  # where the quotation open at `scanned` began; -1 when none is
    scanned = 0
    for match in SENTENCE_END.finditer(line):
        stop = match.start() + len(match.group(0).rstrip())  # through a closing quote
        for found in _QUOTE_MARK.finditer(line, scanned, stop):
            mark, at = found.group(0), found.start()
            if mark == _OPENS or (mark == _EITHER and opened < 0 and not (at and line[at - 1].isalnum())):
                opened = at  # a straight mark after a letter or digit opens nothing (5" is an inch sign)
            elif mark != _EITHER or opened >= 0:
                opened = -1
        scanned = stop
        if opened < 0 or stop - opened > QUOTE_MAX_CHARS:
            yield match


def citation_markers(text: str, quotes: Iterable[str]) -> list[re.Match[str]]:
    """The citation markers of an answer ("[3]"), in order, not a bracketed number within a passage it quotes
    ("recorded on the body map [2]", a review's own): a quote holding one is found in the text and passed over."""
    inside: list[tuple[int, int]] = []
    for quote in {q for q in quotes if MARKER.search(q)}:
        start = text.find(quote)
        while start >= 0:
            inside.append((start, start + len(quote)))
            start = text.find(quote, start + len(quote))
    return [m for m in MARKER.finditer(text) if not any(a <= m.start() < b for a, b in inside)]


def with_markers_replaced(text: str, quotes: Iterable[str], replace: Callable[[int], str]) -> str:
    """The text with each citation marker (`citation_markers`) replaced by `replace(its number)`."""
    out, pos = [], 0
    for m in citation_markers(text, quotes):
        out += [text[pos : m.start()], replace(int(m.group(1)))]
        pos = m.end()
    return "".join(out) + text[pos:]


def ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence (or a list's lead-in), closing quotes and brackets aside."""
    return line.rstrip("\"'\u2019\u201d)]").endswith((".", "!", "?", ":", ";"))


NOTES_HEADING = "Notes"


def notes_section(notes: list[str], marks: str) -> str:
    """A document's footnotes as the section set after its text: a heading of `marks` ("##") over the notes,
    numbered in their order, each a paragraph."""
    listed = "\n\n".join(f"{n}. {note}" for n, note in enumerate(notes, start=1))
    return f"{marks} {NOTES_HEADING}\n\n{listed}\n"
