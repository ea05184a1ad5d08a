"""Remove layout artefacts so each review becomes one clean, stable text (what offsets point into).

Running headers and footers are found by repetition, not by wording: a line at the edge of most pages, or a
line repeated three or more times in a document without pages, is layout. Words hyphenated across a line end
are joined, keeping the hyphen only where the document itself writes the word with one. Every step is one pass
over the lines, and wrapped lines are gathered in lists and joined once, so cost grows linearly with the text.
"""

from __future__ import annotations

import heapq
import re
import sys
from collections import Counter

from core.text import BULLET
from ingest.headings import (
    PARAGRAPH_NUMBER,
    PLAIN_MAX_WORDS,
    number_depth,
    opens_item_label,
    parse_heading,
    runs_on,
)

_INLINE_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|font|sup|sub|mark)(?:\s[^<>]{0,200})?>", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"[-\u2013\u2014]?[ \t]*(?:page[ \t]+)?\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?[ \t]*[-\u2013\u2014]?"
)
_NAMED_PAGE = re.compile(r"[-\u2013\u2014]?[ \t]*page\b|\d{1,4}[ \t]*(?:of|/)", re.I)  # "Page 3", "3 of 12": anywhere
EDGE_LINES = 2  # lines at a page's top and foot where a bare number is its page number
# A government protective marking alone on a line ("OFFICIAL", "OFFICIAL - SENSITIVE", "NOT PROTECTIVELY
# MARKED"), stamped on a cover or every page: layout, never a title or a heading.
_PROTECTIVE_MARKING = re.compile(
    r"[\[(]?(?:official(?:[ \t]*+[-\u2013:]?[ \t]*+sensitive)?|not[ \t]++protectively[ \t]++marked|restricted)[\])]?"
    r"(?:[ \t]++\d{1,4})?",  # the page number a footer sets beside it ("OFFICIAL SENSITIVE 1")
    re.I,
)
_DIGITS = re.compile(r"\d+")
# What a contents list is headed (closed-class: English and Welsh), as a heading line or a plain one.
_CONTENTS_HEADING = re.compile(r"(?:#{1,6}[ \t]+)?[*_]{0,2}(?:(?:table of )?contents|cynnwys)[*_]{0,2}:?", re.I)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})  # no-break spaces (a Word export's &nbsp;)
_EMAIL_FIELD = re.compile(r"(?:From|Sent|To|Cc|Bcc|Subject|Date|Importance)[ \t]*:[ \t]", re.I)
_EMAIL_SEPARATOR = re.compile(r"-{3,}[ \t]*(?:Original Message|Forwarded message)[ \t]*-{3,}", re.I)
MIN_EMAIL_FIELDS = 2  # header fields an email opens with ("From:" and "Subject:" at least)
COVER_MAX_LINES = 30  # lines below the header where a forwarded message's separator ends the covering note
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
RUNNING_MAX_CHARS = 160
PAGE_DIGITS = 3  # a contents entry's page number (a year, "..... 2019", is not one)
MIN_CONTENTS_RUN = 3  # entries a contents list has (one line of dots and a number alone is the text's)
CONTENTS_GAP = 3  # blank or wrapped lines between two entries of one contents list
MAX_PAGE_STEP = 100  # pages from one contents entry to the next
MIN_LEADER_DOTS = 4  # dots (an ellipsis character counts three) leading a contents entry to its page number
MEASURE_LINES = 3  # lines reaching a width for it to be the page's measure, not one long line's
MIN_MEASURE = 30  # characters: text wrapped narrower is short items or a table's cells, not a page's prose
FIELD_LABEL_WORDS = 3  # words of a field's label, less the little words joining them
_JOINING_WORDS = frozenset({"of", "the", "for", "and", "to", "in", "by", "on", "at", "&"})
FIELD_MAX_WORDS = 10
MIN_REPEATS_WITHOUT_PAGES = 3  # a line said three times in a document with no pages is a running header
RUNNING_MIN_GAP = 8  # lines: a running header's repeats are a page apart, and a page holds more lines than this


def clean_pages(pages: list[str], title: str | None = None) -> list[str]:
    """Clean every page, dropping running titles/footers: lines repeated at page edges or through the text."""
    pages = [_INLINE_TAG.sub("", page.replace("\r\n", "\n").translate(_SPACES)) for page in pages]
    if pages:
        pages[0] = without_email_cover(pages[0])
    running = frozenset(_repeated_lines(pages))
    vocabulary = _vocabulary(pages)
    cleaned = [clean_page(page, running, vocabulary, at_edges=len(pages) > 1) for page in pages]
    if title:
        cleaned = _drop_repeated_title(cleaned, title)
    return cleaned


def clean_page(
    text: str,
    running_lines: frozenset[str] = frozenset(),
    vocabulary: frozenset[str] = frozenset(),
    at_edges: bool = False,
) -> str:
    """Clean one page: tags, page numbers, running lines, wrapped bullets and paragraphs, hyphenation. `at_edges`:
    the document has pages, so a bare number ('4', '2024', '- 4 -') is a page number only among a page's first or
    last lines; within the page it is the text's (a table's cell, a year on a line of its own)."""
    lines = [_INLINE_TAG.sub("", line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    filled = [i for i, line in enumerate(lines) if line.strip()] if at_edges else []
    edges = set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])
    kept = [
        "" if _is_layout(line, running_lines, not at_edges or i in edges) else line
        for i, line in enumerate(_without_contents(lines))
    ]
    return _collapse_blank_runs(_join_wrapped(kept, vocabulary))


def without_email_cover(page: str) -> str:
    """A review sent as an email and saved as text, less the email around it: the header fields it opens with
    ('From: ...', 'Sent: ...', 'Subject: ...') and, up to a forwarded message's separator ('-----Original
    Message-----') close below them, the covering note. As it was when it opens otherwise."""
    lines = page.split("\n")
    at = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    fields = 0
    while at < len(lines) and (not lines[at].strip() or _EMAIL_FIELD.match(lines[at])):
        fields += bool(lines[at].strip())
        at += 1
    if fields < MIN_EMAIL_FIELDS:
        return page
    below = range(at, min(len(lines), at + COVER_MAX_LINES))
    separator = next((i for i in below if _EMAIL_SEPARATOR.fullmatch(lines[i].strip())), None)
    return "\n".join(lines[separator + 1 if separator is not None else at :])


def is_page_number(line: str) -> bool:
    """'12', 'Page 3 of 12', '- 4 -', '3/10'."""
    text = line.strip()
    return bool(text) and _PAGE_NUMBER.fullmatch(text.lower()) is not None


def _without_contents(lines: list[str]) -> list[str]:
    """The lines with a contents list blanked: a run of MIN_CONTENTS_RUN or more contents lines (blank lines
    between them, and an entry's first line wrapped above its leader), their page numbers going up by steps. One
    contents-like line alone ("moved to Northby in ..... 2019", "attendances ........ 6") is the text's."""
    out = list(lines)
    run: list[int] = []  # indices of the current run's lines
    pages: list[int] = []
    pending: list[int] = []  # lines since the last entry: blank, or an entry's wrapped first line

    def close() -> None:
        if len(pages) >= MIN_CONTENTS_RUN:
            for i in run:
                out[i] = ""
            above = next((i for i in range(run[0] - 1, -1, -1) if lines[i].strip()), None)
            if above is not None and _CONTENTS_HEADING.fullmatch(lines[above].strip()):
                out[above] = ""  # the list's own heading goes with it: no section holds the review's others

    for index, line in enumerate(lines):
        if is_contents_line(line):
            page = int(line.rstrip().rsplit(None, 1)[-1].lstrip(".\u2026") or 0)
            if pages and not pages[-1] <= page <= pages[-1] + MAX_PAGE_STEP:
                close()
                run, pages = [], []
            run += [*pending, index] if run else [index]
            pages.append(page)
            pending = []
        elif run and (not line.strip() or _wraps_entry(line)) and len(pending) < CONTENTS_GAP:
            pending.append(index)
        else:
            close()
            run, pages, pending = [], [], []
    close()
    return out


def _wraps_entry(line: str) -> bool:
    """A contents entry's first line, wrapped above the line with its leader: short, with no sentence stop."""
    text = line.strip()
    return len(text.split()) <= FIELD_MAX_WORDS and not text.endswith((".", ":", ";", "?"))


def is_contents_line(line: str) -> bool:
    """A line of a contents list: an entry, a leader of dots and its page number ('Section 4 - Findings ....... 5',
    'Appendix A . . . . 10'). Prose never runs dots up to a number. Read from the end, once over the line."""
    text = line.rstrip()
    entry = text.rstrip("0123456789")
    if entry == text or len(text) - len(entry) > PAGE_DIGITS:
        return False
    leader = entry.rstrip(" \t")
    before = leader.rstrip(". \t\u2026")
    dots = leader[len(before) :]
    return bool(before.strip()) and dots.count(".") + 3 * dots.count("\u2026") >= MIN_LEADER_DOTS


def _is_layout(line: str, running_lines: frozenset[str], at_edge: bool = True) -> bool:
    text = line.strip()
    return (
        not text
        or (is_page_number(text) and (at_edge or _NAMED_PAGE.match(text) is not None))
        or _PROTECTIVE_MARKING.fullmatch(text) is not None
        or text in running_lines
        or _DIGITS.sub("#", text) in running_lines
    )


def _repeated_lines(pages: list[str]) -> set[str]:
    """Running lines: at the top or bottom of at least half the pages (two or more), or, in a document without
    pages, repeated three or more times through it, each repeat some lines after the last. Lines are compared with
    their digits masked ('Page #')."""
    counts: Counter[str] = Counter()
    if not pages:
        return set()
    if len(pages) >= 2:
        for page in pages:
            lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
            counts.update({_DIGITS.sub("#", ln) for ln in lines[:2] + lines[-2:]})
        threshold = max(2, (len(pages) + 1) // 2)
    else:
        last: dict[str, int] = {}  # where each line was last seen
        for index, line in enumerate(ln.strip() for ln in pages[0].split("\n") if ln.strip()):
            key = _DIGITS.sub("#", line)
            # a run of rows or items alike but for their numbers ("Contacts: 3") is content, not a running line:
            # a line counts only when its last repeat, counted or not, was some lines before
            if len(line.split()) >= 3:
                if index - last.get(key, -RUNNING_MIN_GAP) >= RUNNING_MIN_GAP:
                    counts[key] += 1
                last[key] = index
        threshold = MIN_REPEATS_WITHOUT_PAGES
    return {
        key
        for key, n in counts.items()
        # A marked heading ("## Learning") is structure: same-named sections often open pages.
        if n >= threshold and key and len(key) <= RUNNING_MAX_CHARS and not key.startswith("#")
    }


def _vocabulary(pages: list[str]) -> frozenset[str]:
    """Lower-cased words (hyphenated ones whole) the document writes within a line."""
    return frozenset(w.lower() for page in pages for w in _WORD.findall(page))


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


def _join_wrapped(lines: list[str], vocabulary: frozenset[str]) -> list[str]:
    """Join continuation lines onto the bullet or paragraph line they wrap from."""
    paragraphs: list[list[str]] = []
    first = ""  # the current paragraph's first line, stripped once (a line of many spaces is read once: linear)
    blank_before = True  # was the line before the current paragraph's first line blank?
    prose: set[int] = set()  # the depths of paragraph numbers ("1.1" is 2) that open wrapped prose on this page
    measure = _measure(lines)
    for line in lines:
        stripped = line.strip()
        if not stripped:
            paragraphs.append([""])
            blank_before = True
            continue
        last = paragraphs[-1] if paragraphs else None
        if last and last[0] and _continues(last, first, stripped, blank_before, prose, measure):
            _append(last, stripped, vocabulary)
            if depth := _number_depth(first):
                prose.add(depth)
            continue
        if last and last[0] and _heading_over(last, first, stripped, blank_before, prose, measure):
            paragraphs.append([""])  # a heading set directly over its text stands alone, as between blank lines
        blank_before = not paragraphs or not paragraphs[-1][0]
        paragraphs.append([line])
        first = stripped
    return ["".join(parts) for parts in paragraphs]


def _continues(paragraph: list[str], first: str, line: str, blank_before: bool, prose: set[int], measure: int) -> bool:
    """Whether `line` goes on from the paragraph, whose first line is `first` (not a bullet, table row or heading,
    nor after one; not the next of a run of numbered paragraphs)."""
    if BULLET.match(line) and line[:1].isdigit() and runs_on(paragraph[-1]) and not first.startswith(("|", "#")):
        return True  # "... between the ages of 12 and" / "17. She lived ...": a number wrapped, not an item
    if BULLET.match(line) or line.startswith(("|", "#")) or first.startswith(("|", "#")) or line == "---":
        return False
    if PARAGRAPH_NUMBER.match(line) and PARAGRAPH_NUMBER.match(first):
        return False
    if opens_item_label(line) and not runs_on(paragraph[-1]):  # "Finding 2: ..." under "Finding 1: ...": the next
        return False
    if is_field_line(line) and is_field_line(paragraph[-1]):
        return False
    if runs_on(paragraph[-1]):  # "... took him to the centre on a" / "Sunday morning": a short column's wrap
        return True
    if len(paragraph) == 1 and parse_heading(first) and len(first.split()) <= PLAIN_MAX_WORDS:
        return not _heading_over(paragraph, first, line, blank_before, prose, measure)
    return parse_heading(line) is None or not line[:1].isupper() or len(line.split()) > PLAIN_MAX_WORDS


def _heading_over(
    paragraph: list[str], first: str, line: str, blank_before: bool, prose: set[int], measure: int
) -> bool:
    """Whether the paragraph is a short heading-like line after a blank line (or a bold one), set over a line that
    starts a new sentence: a heading over its text, kept apart from it. Not a line numbered as the page numbers
    its paragraphs of prose ("1.2 The Lowfield Local Safeguarding Children" wraps as "1.1 Child T was a boy ..."
    did), nor one the next line's first word would not have fitted on: text wrapped at the page's measure ("This
    review was commissioned by the Eastmoor Safeguarding" / "Children Partnership after ...")."""
    return (
        len(paragraph) == 1
        and len(first) + 1 + len(line.split(maxsplit=1)[0]) <= measure
        and _number_depth(first) not in prose
        and (blank_before or first.startswith("**"))
        and not line[:1].islower()
        and len(first.split()) <= PLAIN_MAX_WORDS
        and parse_heading(first) is not None
    )


def _measure(lines: list[str]) -> int:
    """The width the page's text is wrapped at: as long as its MEASURE_LINES-th longest line. A page with fewer
    lines, or only short ones, has none: a title alone over a name, or a list of short items, is not wrapped text."""
    longest = heapq.nlargest(MEASURE_LINES, (len(line.strip()) for line in lines))
    return longest[-1] if len(longest) == MEASURE_LINES and longest[-1] >= MIN_MEASURE else sys.maxsize


def _number_depth(line: str) -> int:
    """How many parts the paragraph number opening a line has ("4.2 The ..." 2, "6.1.3 ..." 3); 0 without one."""
    number = PARAGRAPH_NUMBER.match(line.strip())
    return number_depth(number.group(0).split()[0]) if number else 0


def is_field_line(line: str) -> bool:
    """A short 'Label: value' line ('Author: J Smith', 'Published: May 2024', 'Lead reviewer: ...'), as a title
    page's metadata lines are: one such line under another starts a line of its own, it does not wrap on."""
    label, colon, value = line.strip().partition(":")
    words = label.split()
    return (
        bool(colon and value.strip() and words)
        and sum(w.lower() not in _JOINING_WORDS for w in words) <= FIELD_LABEL_WORDS  # "Chair of the CMR Panel"
        and words[0][:1].isupper()
        and all(word.replace("-", "").replace("'", "").isalpha() for word in words)
        and len(line.split()) <= FIELD_MAX_WORDS
    )


def _append(paragraph: list[str], line: str, vocabulary: frozenset[str]) -> None:
    previous = paragraph[-1].rstrip()
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha() and line[:1].islower():
        head = previous[:-1]
        fragment = head[len(head.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) :]
        tail = _WORD.match(line)
        rest = tail.group(0).split("-")[0] if tail else ""
        keep_hyphen = f"{fragment}-{rest}".lower() in vocabulary and f"{fragment}{rest}".lower() not in vocabulary
        paragraph[-1] = previous if keep_hyphen else head
        paragraph.append(line)
        return
    paragraph[-1] = previous
    paragraph.append(" " + line)


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
