"""Pure string helpers for the app: escaped review text with the quoted span marked, linked [n] markers."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ingest.models import Section

MARKER = re.compile(r"\[(\d{1,3})\]")
# High contrast on light and dark themes; the label and the bold weight carry the meaning, not the colour.
MARK_STYLE = "background:#ffe8a3;color:#111;font-weight:600;padding:0 .15em;border-bottom:2px solid #7a5c00"
LABEL_STYLE = "font-size:.8em;font-weight:700;white-space:nowrap"
QUOTE_LABEL = "▶ quoted"


def escape(text: str) -> str:
    """Text made safe inside an HTML block on one line, so Markdown leaves it alone."""
    return html.escape(text).replace("$", "&#36;").replace("\n", "<br>")


def highlighted(text: str, start: int, end: int) -> str:
    """`text` as HTML with text[start:end] wrapped in <mark> and labelled, so it reads without colour."""
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return escape(text)
    return (
        f'{escape(text[:start])}<span style="{LABEL_STYLE}">{QUOTE_LABEL}:</span> '
        f'<mark class="cw-quote" style="{MARK_STYLE}">{escape(text[start:end])}</mark>'
        f'<span style="{LABEL_STYLE}"> ◀</span>{escape(text[end:])}'
    )


def block(inner_html: str, anchor: str | None = None) -> str:
    """A one-line <div> (a Markdown HTML block ends at a blank line, so it must not contain one)."""
    ident = f' id="{html.escape(anchor)}"' if anchor else ""
    return f'<div class="cw-text"{ident} style="line-height:1.6">{inner_html}</div>'


def source_anchor(turn: int, marker: int) -> str:
    return f"cw-src-{turn}-{marker}"


def answer_markdown(text: str, turn: int) -> str:
    """The answer as Markdown, each [n] a link to its source below; `$` escaped so it is not read as maths."""
    text = text.replace("$", "\\$")
    return MARKER.sub(lambda m: f"[\\[{m.group(1)}\\]](#{source_anchor(turn, int(m.group(1)))})", text)


def pages_label(pages: Sequence[int]) -> str:
    if not pages:
        return "page unknown"
    if len(pages) == 1:
        return f"page {pages[0]}"
    return f"pages {pages[0]}–{pages[-1]}"


def section_at(sections: Sequence[Section], start: int, end: int) -> Section | None:
    """The section holding text[start:end] (the one it overlaps most)."""
    best, overlap = None, 0
    for section in sections:
        shared = min(end, section.end) - max(start, section.start)
        if shared > overlap:
            best, overlap = section, shared
    return best


def section_anchor(section: Section) -> str:
    return f"cw-sec-{section.ordinal}"
