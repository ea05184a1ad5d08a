"""Text patterns every stage shares: one bullet marker, one sentence end, one citation marker, one tidy-up."""

from __future__ import annotations

import re

# A list item's marker at the start of a line: a bullet glyph or dash, "3." / "3)", "a." / "a)".
BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u25cf\u25aa\u25e6\u2013]|\d{1,2}[.)]|[a-z][.)])[ \t]+")
# The space after a sentence's full stop (or ? !), before the next sentence's capital or digit.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
# A citation marker in an answer: "[3]".
MARKER = re.compile(r"\[(\d{1,3})\]")
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+([.,;:!?])")
_SPACES = re.compile(r"[ \t]{2,}")


def tidy(text: str) -> str:
    """No space before punctuation, single spaces, no space at either end."""
    return _SPACES.sub(" ", _SPACE_BEFORE_STOP.sub(r"\1", text)).strip()
