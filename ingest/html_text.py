"""The main content of a review web page, without the site around it, as markdown-marked text.

trafilatura finds the page's main content (dropping navigation, cookie banners, breadcrumbs, sidebars, forms
and footers by their place in the page, not by their wording) and keeps headings, lists and tables. Metadata
the page states outside that content (its title and publication date) comes back as hints.
"""

from __future__ import annotations

import re

SITE_TEXT_CHARS = 20_000
FURNITURE_WORDS = 10
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}(?=\S)([^*\n]{1,300}?)(?<=\S)\*{1,2}(?![\w*])")


def html_text(data: bytes) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(markdown-marked main text, (key, value) metadata hints) of an HTML page; '' when it has no content."""
    import trafilatura

    html = definitions_as_items(data.decode("utf-8", errors="replace"))
    text = trafilatura.extract(
        html,
        output_format="markdown",
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
    )
    meta = trafilatura.extract_metadata(html)
    hints = tuple(
        (key, value.strip())
        for key, value in (("title", meta.title if meta else None), ("date", meta.date if meta else None))
        if value and value.strip()
    )
    site = _page_text(html)
    if site:  # the site around the review names the partnership that publishes it
        hints += (("site", site),)
    if not any(line.startswith("#") for line in (text or "").split("\n")) and re.search(rb"<h[1-6][\s>]", data, re.I):
        text = _structural_text(html)  # trafilatura drops the headings of short pages; keep the page's own
    lines = [line if line.startswith("#") else _EMPHASIS.sub(r"\1", line) for line in (text or "").split("\n")]
    return "\n".join(_without_trailing_furniture(lines)), hints


def definitions_as_items(html: str) -> str:
    """The page with each definition list (<dl>) as a bulleted list whose items keep a term with its description
    ('LADO: The LADO considered ...'), so that no term is read apart from what it defines."""
    if not _DEFINITION_LIST.search(html):
        return html
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    for dl in list(root.iter("dl")):
        items: list[list[str]] = []  # [terms, descriptions] of each item
        for child in dl:
            if child.tag not in ("dt", "dd"):
                continue
            text = " ".join(child.text_content().split())
            if child.tag == "dt" and (not items or items[-1][1]):
                items.append([text, ""])
            elif child.tag == "dt":
                items[-1][0] += f" / {text}"
            elif items:
                items[-1][1] = f"{items[-1][1]} {text}".strip()
            else:
                items.append(["", text])
        listing = lxml.html.Element("ul")
        for term, description in items:
            item = lxml.html.Element("li")
            term = term.rstrip(":").strip()
            item.text = f"{term}: {description}" if term and description else term or description
            listing.append(item)
        listing.tail = dl.tail
        dl.getparent().replace(dl, listing)
    return lxml.html.tostring(root, encoding="unicode")


_DEFINITION_LIST = re.compile(r"<dl[\s>]", re.IGNORECASE)


def _without_trailing_furniture(lines: list[str]) -> list[str]:
    """Drop short lines that are not sentences after the article's last sentence ('Download the full report',
    'Last updated 15 January 2024'): page furniture, not review text."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or _is_furniture(lines[end - 1])):
        end -= 1
    return lines[:end]


def _is_furniture(line: str) -> bool:
    text = line.strip()
    return not text.startswith(("#", "-", "|")) and not text.endswith(".") and len(text.split()) < FURNITURE_WORDS


def _page_text(html: str) -> str:
    """The whole page's visible text, as a last place to look for metadata (never indexed)."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    for element in root.iter("script", "style"):
        element.drop_tree()
    return " ".join(root.text_content().split())[:SITE_TEXT_CHARS]


_CHROME = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript"]


def _structural_text(html: str) -> str:
    """Headings, paragraphs and list items of a page's main element (or body), without the site's chrome."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_CHROME):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        text = " ".join(element.get_text(" ").split())
        if not text or (element.name == "p" and element.find_parent("li")):
            continue
        if element.name.startswith("h"):
            lines += ["", f"{'#' * int(element.name[1])} {text}", ""]
        elif element.name == "li":
            lines.append(f"- {text}")
        else:
            lines += ["", text, ""]
    return "\n".join(lines)
