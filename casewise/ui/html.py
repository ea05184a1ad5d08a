"""Pure string helpers for the app: review text always escaped, quoted spans marked, citation markers and sources.

Everything that came from a review, a file, a user or a URL goes through `escape` into a one-line HTML block,
which Markdown leaves alone: no emphasis, no links, no autolinks and no images can come from content.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlencode

from casewise.answer_export import Source
from casewise.locate import section_at
from core.models import Section
from core.text import citation_markers, pages_label

__all__ = ["pages_label", "section_at"]


# High contrast on light and dark themes; the label and the bold weight carry the meaning, not the colour.
MARK_STYLE = "background:#ffe8a3;color:#111;font-weight:600;padding:0 .15em;border-bottom:2px solid #7a5c00"
LABEL_STYLE = "font-size:.8em;font-weight:700;white-space:nowrap"
QUOTE_LABEL = "▶ quoted"
# The sources list: each entry's section is shown when the entry is the URL's target, i.e. after a click on
# its marker or its title; both are plain links, so they work from the keyboard and without script.
SOURCES_CSS = (
    "<style>"
    ".cw-src-body{display:none;margin:.4em 0 .8em 1.6em;padding:.5em .8em;border-left:3px solid #7a5c00}"
    ".cw-src:target .cw-src-body{display:block}"
    ".cw-src:target>.cw-src-head{font-weight:700}"
    "a.cw-marker{font-weight:700;text-decoration:none;padding:0 .1em;border-radius:.2em}"
    "a.cw-marker:focus,a.cw-marker:hover{outline:2px solid currentColor}"
    ".cw-sources{padding-left:1.6em;margin:.2em 0}"
    "</style>"
)


def escape(text: str) -> str:
    """Text made safe inside an HTML block on one line, so Markdown leaves it alone."""
    return html.escape(text).replace("$", "&#36;").replace("\n", "<br>")


_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: str) -> str:
    """Text for a Markdown element (a label, a caption) shown as written: every ASCII punctuation mark
    backslash-escaped, so no emphasis, link, image or autolink (http://, www., e-mail) can form."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def attr(text: str) -> str:
    """Text for an HTML attribute (a tooltip or a label)."""
    return html.escape(" ".join(text.split()), quote=True)


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


def reader_url(review_id: str, start: int, end: int) -> str:
    """The reader page with text[start:end] highlighted."""
    return "read?" + urlencode({"review": review_id, "start": start, "end": end})


def marker_link(turn: int, source: Source) -> str:
    """An inline [n]: its tooltip holds the quoted words and where they are; a click opens the source."""
    tip = f"“{source.quote}” — {source.line}"
    label = f"Source {source.marker}: {source.line}. Quoted: {source.quote}"
    return (
        f'<a class="cw-marker" href="#{source_anchor(turn, source.marker)}" title="{attr(tip)}" '
        f'aria-label="{attr(label)}">[{source.marker}]</a>'
    )


def answer_html(text: str, turn: int, found: Sequence[Source]) -> str:
    """The answer text escaped, each [n] a marker link with its quote on hover (unknown markers left as text)."""
    by_marker = {s.marker: s for s in found}
    out, pos = [], 0
    for m in citation_markers(text, [s.quote for s in found]):  # a quote's own "[2]" stays text
        source = by_marker.get(int(m.group(1)))
        if source is None:
            continue
        out += [escape(text[pos : m.start()]), marker_link(turn, source)]
        pos = m.end()
    return block("".join(out) + escape(text[pos:]))


def sources_html(turn: int, entries: Sequence[tuple[Source, str]]) -> str:
    """One compact numbered list; each entry opens (as the URL target) its section with the quote marked.

    `entries` pairs each source with its section's HTML (already escaped and highlighted).
    """
    items = []
    for source, section in entries:
        anchor = source_anchor(turn, source.marker)
        items.append(
            f'<li class="cw-src" id="{anchor}" value="{source.marker}">'
            f'<a class="cw-src-head" href="#{anchor}" aria-label="{attr("Show source " + str(source.marker))}: '
            f'{attr(source.line)}">{escape(source.line)}</a>'
            f'<div class="cw-src-body" role="region" aria-label="{attr("Source " + str(source.marker))}">'
            f"{section}<br>"
            f'<a href="{html.escape(reader_url(source.review_id, source.start, source.end))}" target="_blank" '
            f'rel="noopener">Open the whole review here ↗</a></div></li>'
        )
    return f'<ol class="cw-sources">{"".join(items)}</ol>'


def section_anchor(section: Section) -> str:
    return f"cw-sec-{section.ordinal}"
