"""Text patterns every stage shares: one bullet marker, one sentence end, one citation marker, a month's name, one
tidy-up, and a pattern finding any of a set of names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# A list item's marker at the start of a line: a bullet glyph or dash, "3." / "3)", "a." / "a)", "(a)" / "(3)" /
# "(iv)".
BULLET = re.compile(
    r"[ \t]*(?:[-*\u2022\u25cf\u25aa\u25e6\u2013]|\d{1,2}[.)]|[a-z][.)]|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\))[ \t]+"
)
# The space after a sentence's full stop (or ? !), before the next sentence's capital or digit.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
# A citation marker in an answer: "[3]" (its number in group 1).
MARKER = re.compile(r"\[(\d{1,3})\]")
# The same with the space before it, to remove or replace both (the space in group 1, the number in group 2).
SPACED_MARKER = re.compile(r"(\s*)" + MARKER.pattern)
# Where an answer's sentence ends: its stop, a closing quote or bracket, then the markers citing it ("so." [2][3]);
# a pattern to build on, each reader adding what must follow.
CITED_STOP = r"[.!?][\"')]?(?:\s*\[\d{1,3}\])*"
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
