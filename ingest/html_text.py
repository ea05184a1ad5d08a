"""The main content of a review web page, without the site around it, as markdown-marked text.

trafilatura finds the page's main content (dropping navigation, cookie banners, breadcrumbs, sidebars, forms
and footers by their place in the page, not by their wording) and keeps headings, lists and tables. Metadata
the page states outside that content (its title and publication date) comes back as hints.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from ingest.docx_numbering import counter

SITE_TEXT_CHARS = 20_000
FURNITURE_WORDS = 10
# trafilatura's markdown escapes the stop of a paragraph the page numbers by hand ("3\\. The school ..."), so that
# it is not read as a list: the page prints "3.".
_ESCAPED_NUMBER = re.compile(r"^([ \t]*\d{1,3})\\\.")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # "\[1\]": the extractor's escaped punctuation, as printed
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}(?=\S)([^*\n]{1,300}?)(?<=\S)\*{1,2}(?![\w*])")


# The encoding a page declares near its start: '<meta charset="windows-1252">' or, as Word's "Save as Web Page"
# writes it, '<meta http-equiv=Content-Type content="text/html; charset=windows-1252">'.
_DECLARED_CHARSET = re.compile(rb"<meta\b[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]{1,40})", re.I)
CHARSET_BYTES = 4096  # where a page declares its encoding (the HTML standard looks in the first 1024 bytes)


def page_encoding(data: bytes) -> str:
    """The encoding to read a page in: UTF-8 when it has the mark, else the one it declares when Python knows it
    (a Word export's windows-1252: its curly quotes and dashes are not UTF-8), else UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    declared = _DECLARED_CHARSET.search(data[:CHARSET_BYTES])
    if declared is not None:
        with suppress(LookupError):
            name = codecs.lookup(declared.group(1).decode("ascii")).name
            return "utf-8" if name.startswith(("utf-16", "utf-32")) else name  # a declaration read in ASCII bytes
    return "utf-8"


def html_text(data: bytes) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(markdown-marked main text, (key, value) metadata hints) of an HTML page; '' when it has no content."""
    import trafilatura

    page = without_bookmarks(without_note_markers(data.decode(page_encoding(data), errors="replace")))
    html = ordered_lists_labelled(definitions_as_items(without_widgets(accordions_as_headings(page))))
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
    # a date the page states as its own (its markup's publication date), not one guessed from the review's text,
    # which dates the events it tells ("in August 2022")
    meta = trafilatura.extract_metadata(html, date_config={"extensive_search": False, "original_date": True})
    hints = tuple(
        (key, value.strip())
        # the page's <title> is its own title's rival, as a Word file's title property is (a template may leave
        # "Overview Report Template v2" there): the title the page shows wins when it names a type of review
        for key, value in (("properties_title", meta.title if meta else None), ("date", meta.date if meta else None))
        if value and value.strip()
    )
    site = _page_text(html)
    if site:  # the site around the review names the partnership that publishes it
        hints += (("site", site),)
    if details := _details_lines(html):  # and its line of details, the author
        hints += (("details", details),)
    if not any(line.startswith("#") for line in (text or "").split("\n")) and re.search(rb"<h[1-6][\s>]", data, re.I):
        text = _structural_text(html)  # trafilatura drops the headings of short pages; keep the page's own
    lines = [
        _MARKDOWN_ESCAPE.sub(
            r"\1", line if line.startswith("#") else _ESCAPED_NUMBER.sub(r"\1.", _EMPHASIS.sub(r"\1", line))
        )
        for line in (text or "").split("\n")
    ]
    return "\n".join(_without_trailing_furniture(lines)), hints


def accordions_as_headings(html: str) -> str:
    """The page with each toggle of a collapsible section as the heading it stands for: a <summary>, or a short
    control that opens a panel (aria-expanded), one level below the heading before it. The sections of a page
    laid out as an accordion ("Findings", "Recommendations" behind buttons) had run together under one heading."""
    return _rewritten(html, _TOGGLE, _toggles_as_headings)


def _toggles_as_headings(root: Any) -> None:
    """Each toggle as a heading, at the level of the toggles before it since the last heading of the page's own,
    else one below that heading; a toggle holding a heading, or held by one ('<h2><button aria-expanded>'), gives way
    to it, and sets that level. Headings inside a toggle's panel are the panel's, not the page's own: the toggles
    after it stay at their level."""
    panels = _toggle_panels(root)
    above, level, inside = 1, 0, set()  # the page's last own heading; the toggles' level; headings in toggles
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if _HEADING_TAG.fullmatch(tag) and element not in inside:
            held = [e for e in element.iterdescendants() if _is_toggle(e)]
            if held:  # "<h2><button aria-expanded>Findings</button></h2>": a toggle's heading
                for toggle in held:
                    toggle.drop_tag()
                level = level or int(tag[1])
            elif not any(a in panels for a in element.iterancestors()):
                above, level = int(tag[1]), 0
            continue
        if not _is_toggle(element) or element.getparent() is None:
            continue
        if len(element.text_content().split()) > TOGGLE_MAX_WORDS or _in_site_furniture(element):
            continue
        headings = [e for e in element.iterdescendants() if _HEADING_TAG.fullmatch(str(e.tag))]
        if headings:  # "<summary><h2>Background</h2></summary>": its heading stands for it
            inside.update(headings)
            level = level or int(headings[0].tag[1])
            element.drop_tag()
            continue
        level = level or min(above + 1, 6)
        text = " ".join(element.text_content().split())
        for child in list(element):
            element.remove(child)
        element.attrib.clear()
        element.tag, element.text = f"h{level}", text


def _is_toggle(element: Any) -> bool:
    """A <summary>, or a control that opens a panel (aria-expanded)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag == "summary" or (element.get("aria-expanded") is not None and tag != "details")


def _toggle_panels(root: Any) -> set[Any]:
    """The panels toggles open: each <details>, and each element a control names (aria-controls)."""
    controlled = {e.get("aria-controls") for e in root.iter() if e.get("aria-controls")}
    return {e for e in root.iter() if e.tag == "details" or (e.get("id") is not None and e.get("id") in controlled)}


def _in_site_furniture(element: Any) -> bool:
    """Whether an element is part of the site around the review (its menu button, a cookie banner's details)."""
    return any(a.tag in ("nav", "header", "footer", "aside", "form") for a in element.iterancestors())


def without_widgets(html: str) -> str:
    """The page without the site's controls left once its toggles are headings: each button, with the short block
    around it that is the control's ("Was this page helpful? Yes No Help us improve this website.")."""
    return _rewritten(html, _BUTTON, _drop_widgets)


def _drop_widgets(root: Any) -> None:
    words: dict[Any, int] = {}  # each block's words, counted once however many buttons it holds (linear)
    for button in list(root.iter("button")):
        if not any(True for _ in button.iterancestors("html")) or _in_site_furniture(button):
            continue  # inside a widget already dropped, or the site's (its publisher's name may be beside it)
        widget, box = button, button.getparent()
        while box is not None and box.tag not in _CONTENT_ROOTS and _words(box, words) <= WIDGET_MAX_WORDS:
            widget, box = box, box.getparent()
        widget.drop_tree()


def _words(element: Any, counted: dict[Any, int]) -> int:
    if element not in counted:
        counted[element] = len(element.text_content().split())
    return counted[element]


def without_bookmarks(html: str) -> str:
    """The page with its bookmarks unwrapped: a link target with a name and nowhere to go ('<a name="_Toc12">',
    which Word's "Save as Web Page" wraps round every heading), whose text the content extractor would drop with
    it, is only its text."""
    return _rewritten(html, _BOOKMARK, _unwrap_bookmarks)


def _unwrap_bookmarks(root: Any) -> None:
    for anchor in list(root.iter("a")):
        if anchor.get("name") is not None and anchor.get("href") is None:
            anchor.drop_tag()  # keeps its text and children in place


def without_note_markers(html: str) -> str:
    """The page without its footnote markers, which would otherwise run into the word before them ("medication.1"):
    a superscript that links within the page, or a short mark ('1', '[2]', 'iv', '*') after a stop or a quotation
    mark (not a unit's power: "12 m<sup>2</sup>")."""
    return _rewritten(html, _SUPERSCRIPT, _drop_note_markers)


def _drop_note_markers(root: Any) -> None:
    for sup in list(root.iter("sup")):
        linked = any((a.get("href") or "").startswith("#") for a in sup.iter("a"))
        before = sup.getprevious()
        text_before = ((before.tail if before is not None else sup.getparent().text) or "").rstrip()
        marked = _NOTE_MARK.fullmatch(sup.text_content().strip()) and text_before.endswith(_AFTER_NOTE)
        if linked or marked:  # emptied where it stands, its tail kept: dropping it would copy the text before it
            tail = sup.tail  # onto the one before, once per marker (quadratic in a paragraph of many)
            sup.clear()
            sup.tail = tail


def definitions_as_items(html: str) -> str:
    """The page with each definition list (<dl>) as a bulleted list whose items keep a term with its description
    ('LADO: The LADO considered ...'), so that no term is read apart from what it defines."""
    return _rewritten(html, _DEFINITION_LIST, _definitions_as_items)


def _rewritten(html: str, tag: re.Pattern[str], rewrite: Callable[[Any], None]) -> str:
    """The page with its elements of a tag rewritten in place, when it has any and parses."""
    if not tag.search(html):
        return html
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    rewrite(root)
    return lxml.html.tostring(root, encoding="unicode")


def _definitions_as_items(root: Any) -> None:
    import lxml.html

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


_DEFINITION_LIST = re.compile(r"<dl[\s>]", re.IGNORECASE)
_BOOKMARK = re.compile(r"<a\s[^>]{0,200}?\bname\s*=", re.I)
_SUPERSCRIPT = re.compile(r"<sup[\s>]", re.IGNORECASE)
_TOGGLE = re.compile(r"<summary[\s>]|\saria-expanded\s*=", re.IGNORECASE)
_HEADING_TAG = re.compile(r"h[1-6]")
_BUTTON = re.compile(r"<button[\s>]", re.IGNORECASE)
_CONTENT_ROOTS = frozenset({"html", "body", "main", "article"})
WIDGET_MAX_WORDS = 40  # a block around a button this short is the control's (a feedback box), not the review's
TOGGLE_MAX_WORDS = 12  # a toggle's label names a section; a longer one is a control of another kind
_NOTE_MARK = re.compile(r"\[?(?:\d{1,3}|[ivx]{1,4}|[a-z]|[*\u2020\u2021])\]?")  # "1", "[2]", "iv", "b", "*", "†"
_AFTER_NOTE = tuple(".,;:!?)\"'\u201d\u2019")
_ORDERED_LIST = re.compile(r"<ol[\s>]", re.IGNORECASE)
# How a browser writes an <ol type="..."> counter, as the Word numbering format of the same style.
_OL_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def ordered_lists_labelled(html: str) -> str:
    """The page with each ordered list a browser does not number 1., 2., 3. (<ol type="a">, start="4", <li value>)
    as paragraphs opening with the label the browser prints ('a.', '4.'), which trafilatura would number from 1.
    A list holding another list is left as it is."""
    return _rewritten(html, _ORDERED_LIST, _ordered_as_paragraphs)


def _ordered_as_paragraphs(root: Any) -> None:
    import lxml.html

    for ol in list(root.iter("ol")):
        items = [li for li in ol if li.tag == "li"]
        labels = ordered_labels(ol.get("type", "1"), ol.get("start"), [li.get("value") for li in items])
        if labels == [f"{n}." for n in range(1, len(items) + 1)] or any(_holds_a_list(li) for li in items):
            continue
        block = lxml.html.Element("div")
        for li, label in zip(items, labels, strict=True):
            paragraph = lxml.html.Element("p")
            paragraph.text = f"{label} {' '.join(li.text_content().split())}"
            block.append(paragraph)
        block.tail = ol.tail
        ol.getparent().replace(ol, block)


def _holds_a_list(item: Any) -> bool:
    return item.find(".//ol") is not None or item.find(".//ul") is not None


def ordered_labels(kind: str, start: str | None, values: list[str | None]) -> list[str]:
    """The labels a browser prints for the items of an <ol> of that type and start, each item's own value (if any)
    restarting the count."""
    number_format = _OL_FORMATS.get(kind.strip(), "decimal")
    number = _integer(start, 1)
    labels = []
    for value in values:
        number = _integer(value, number)
        labels.append(f"{counter(number, number_format)}.")
        number += 1
    return labels


def _integer(text: str | None, default: int) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 else default


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


def _page_text(html: str, leaving_out: tuple[str, ...] = ("script", "style")) -> str:
    """The page's visible text less the elements named, as a last place to look for metadata (never indexed)."""
    root = _parsed(html)
    if root is None:
        return ""
    for element in list(root.iter(*leaving_out)):
        element.drop_tree()
    return " ".join(" ".join(root.itertext()).split())[:SITE_TEXT_CHARS]  # blocks apart, though minified


def _details_lines(html: str) -> str:
    """The page's own lines outside its main text (its line of details: "Published ... · Author: ..."), one block
    to a line, without the site's menus, side panels, header and footer (a related item's byline is another's)."""
    root = _parsed(html)
    if root is None:
        return ""
    for element in list(root.iter(*_CHROME)):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)[:SITE_TEXT_CHARS]


def _parsed(html: str) -> Any:
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None


_CHROME = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript"]
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "main", "br", "ul", "ol")


def _structural_text(html: str) -> str:
    """Headings, paragraphs and list items of a page's main element (or body), without the site's chrome."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_CHROME):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    labels: dict[int, list[str]] = {}  # id of an <ol> -> the labels of its items, in order
    for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        text = " ".join(element.get_text(" ").split())
        if not text or (element.name == "p" and element.find_parent("li")):
            continue
        if element.name.startswith("h"):
            lines += ["", f"{'#' * int(element.name[1])} {text}", ""]
        elif element.name == "li":
            lines.append(f"{_item_label(element, labels)} {text}")
        else:
            lines += ["", text, ""]
    return "\n".join(lines)


def _item_label(item: Any, labels: dict[int, list[str]]) -> str:
    """The label a browser prints for a list item: its number in an <ol> ('3.', 'c.'), '-' for a bullet."""
    parent = item.parent
    if parent is None or parent.name != "ol":
        return "-"
    if id(parent) not in labels:
        items = parent.find_all("li", recursive=False)
        values = [i.get("value") for i in items]
        labels[id(parent)] = ordered_labels(parent.get("type", "1"), parent.get("start"), values)
        labels[id(parent)].reverse()  # taken from the end, one per item, in reading order
    return labels[id(parent)].pop() if labels[id(parent)] else "-"
