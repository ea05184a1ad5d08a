"""Remove layout artefacts so each review becomes one clean, stable text (what offsets point into)."""

from __future__ import annotations

import re

_INLINE_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|font|sup|sub|mark)(?:\s[^>]*)?>", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•●▪◦–]|\d{1,2}[.)]|[a-z][.)])\s+")
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_HYPHEN_END = re.compile(r"[A-Za-z]-$")


def clean_page(text: str, running_lines: frozenset[str] = frozenset()) -> str:
    """Clean one page: tags, page numbers, running lines, wrapped bullets and paragraphs, hyphenation."""
    lines = [_INLINE_TAG.sub("", line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    kept = [
        "" if _PAGE_NUMBER.match(line) or line.strip() in running_lines or not line.strip() else line for line in lines
    ]
    return _collapse_blank_runs(_join_wrapped(kept))


def clean_pages(pages: list[str], title: str | None = None) -> list[str]:
    """Clean every page, dropping running titles/footers: short lines repeated across pages or the title."""
    running = set(_repeated_lines(pages))
    cleaned = [clean_page(page, frozenset(running)) for page in pages]
    if title:
        cleaned = _drop_repeated_title(cleaned, title)
    return cleaned


def _repeated_lines(pages: list[str]) -> set[str]:
    """Lines at the top or bottom of at least half the pages (and at least two) are running lines."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
        edges = set(lines[:2] + lines[-2:])
        for line in edges:
            key = _PAGE_DIGITS.sub("#", line)
            counts[key] = counts.get(key, 0) + 1
    threshold = max(2, (len(pages) + 1) // 2)
    repeated: set[str] = set()
    for page in pages:
        for line in (ln.strip() for ln in page.split("\n")):
            # A heading the loader marked ("## Learning") is structure: same-named sections often open pages.
            if _HEADING.match(line):
                continue
            if line and len(line) <= 120 and counts.get(_PAGE_DIGITS.sub("#", line), 0) >= threshold:
                repeated.add(line)
    return repeated


_PAGE_DIGITS = re.compile(r"\d+")


def _drop_repeated_title(pages: list[str], title: str) -> list[str]:
    """Copies of the title line at a page's top or bottom (after its first appearance) are running titles."""
    out = []
    first_seen = False
    for page in pages:
        lines = page.split("\n")
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(filled[:2] + filled[-2:])
        kept = []
        for i, line in enumerate(lines):
            if line.strip().lstrip("#").strip() == title:
                if first_seen and i in edges:
                    continue
                first_seen = True
            kept.append(line)
        out.append(_collapse_blank_runs(kept))
    return out


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join continuation lines onto the bullet or paragraph line they wrap from."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        is_continuation = (
            line.strip()
            and prev.strip()
            and not _BULLET.match(line)
            and not _HEADING.match(line)
            and not _HEADING.match(prev)
            and not _looks_like_bare_heading(prev, out, line)
        )
        if is_continuation:
            stripped = line.strip()
            if _HYPHEN_END.search(prev) and stripped[:1].islower():
                out[-1] = prev[:-1] + stripped
            else:
                out[-1] = prev.rstrip() + " " + stripped
        else:
            out.append(line)
    return out


def _looks_like_bare_heading(prev: str, out: list[str], line: str) -> bool:
    """A short line standing alone after a blank line is kept apart from the line that follows it."""
    before = out[-2] if len(out) >= 2 else ""
    # A line going on in lower case ("ral to social care", "in March.") continues a sentence, not a heading.
    return not before.strip() and is_heading_shape(prev) and not line.strip()[:1].islower()


def is_heading_shape(line: str) -> bool:
    """A bare heading: short, capitalised, no closing punctuation, not a bullet."""
    text = line.strip()
    if not text or len(text) > 70 or _BULLET.match(text) or text.endswith((".", ",", ";", ":", "?", "!")):
        return False
    words = text.split()
    return len(words) <= 8 and (text[0].isupper() or text[0].isdigit())


def _collapse_blank_runs(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
        else:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
