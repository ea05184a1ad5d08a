"""Find a review's title and its real sections, with their nesting and kinds, in any layout.

A heading's level comes from the layout when it states one (markdown marks, which the PDF and DOCX loaders emit
from font sizes and Word styles; the depth of a printed number). Otherwise it comes from its style in context:
the first style met is the top level, a style first met under a heading nests below it, and a style met before
keeps its level. A heading with no text of its own followed by headings in its own style opens a group of them
(an ALL-CAPS "SUMMARY OF AGENCY INVOLVEMENT" over "POLICE", "HEALTH"), which the next heading naming a kind of
section on its own ("FINDINGS") closes. Plain short lines count as headings only in documents without another
heading style, or when they name a kind of section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from core.models import Section, SectionKind
from ingest.headings import HeadingLine, names_one_item, number_depth, parse_heading
from ingest.kinds import JUDGING, heading_kind, is_reference_matter, kinds_of
from ingest.metadata import names_only_a_type, names_partnership, names_review_type
from ingest.subjects import names_in

INTRODUCTION = "Introduction"  # the text between the title and the first heading, when it is prose
PROSE_WORDS = 5
TITLE_MAX_CHARS = 160
CANONICAL_MAX_WORDS = 4  # "FINDINGS", "H'S VIEWS", "GOOD PRACTICE": a heading that only names a kind of section
MAX_LEVEL = 8  # headings nest at most this deep (Markdown's six marks, two more for a layout's own)
LEAD_IN_WORDS = 60  # "The review identified four areas of learning.": a judging heading's text introducing its own
# Kinds of section whose parts are headed in their heading's own style after a lead-in: findings or learning by
# theme, agency involvement agency by agency ("Agency involvement" / "Five agencies were involved." / "Police").
_GROUPING = JUDGING | {SectionKind.AGENCY_INVOLVEMENT}
# A lead-in that announces the parts after it: "This section sets out what each agency knew.", "The review
# identified four areas of learning.", "... as follows:" (general English).
_ANNOUNCES = re.compile(
    r":$|\b(?:following|below|as follows|each|sets? out|this section|these)\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:[a-z]+\s+)?[a-z]+s\b",
    re.I,
)
_WEAK = frozenset({"bold", "plain"})
# Before a name under a title naming only a type of review, the words and quotation marks a cover sets it in
# ("Case Management Review" over "In respect of ‘Aoife’", "Learning Review" over "“Callum”"; general English).
_NAMING_LEAD = re.compile(r"^\W*(?:in respect of|concerning|regarding|relating to|re:|into)\s+", re.I)
_QUOTES = " \t\"'\u201c\u201d\u2018\u2019"
NAME_LINE_CHARS = 80  # a line of the names a review is about, under its title ("Ruby, Jake and Lily")
_BACK_MATTER = frozenset({"label:appendix", "label:annex"})  # "Appendix 1: Terms of reference", after the report


@dataclass(frozen=True)
class _Heading:
    line: HeadingLine
    line_start: int
    body_start: int
    level: int = 1


@dataclass(frozen=True)
class _Span:
    path: tuple[str, ...]
    number: str  # the number its heading prints ("4.1"), "" when none
    start: int
    end: int


@dataclass(frozen=True)
class Outline:
    """The title line (if the text has one) and the sections in reading order."""

    title: str | None
    sections: tuple[Section, ...]


def find_outline(text: str) -> Outline:
    """The title and sections of a normalised review text."""
    lines = _lines_with_offsets(text)
    candidates = _lettered_in_sequence(_candidates(lines), lines)
    title, title_index = _title_under_publisher(lines) or _title(lines, candidates)
    if title and title_index is not None:
        title, title_index = _with_subtitle(title, title_index, lines, candidates, text)
    found = [h for i, h in candidates if title_index is None or i > title_index]
    headings = _levels(_numbers_on_marked_scale(_keep(found)), text)
    cover = False  # the cover's lines were set as headings, with no title found among them
    if title_index is not None:
        headings = _after_title_block(headings, text)
    else:
        kept = _without_cover_headings(headings, text)
        headings, cover = kept, len(kept) < len(headings)
    first_body = lines[title_index][2] if title_index is not None else 0
    spans = _spans(text, headings, first_body, has_title=title_index is not None or cover)
    return Outline(title=title, sections=tuple(_label(spans, text)))


def _numbers_on_marked_scale(headings: list[_Heading]) -> list[_Heading]:
    """Plain numbered headings set on the scale of the marked ones: where marked headings are numbered too ("## 4.
    Findings", "### 4.1 ..."), a plain "4.2 ..." (a web page's bold paragraph) is at the level of the marked
    headings numbered to its depth (or as far below the deepest of them as it is deeper: "3.1" under "## 3." is one
    level below it), not at its depth counted from one (which would make it a section's sibling)."""
    scale: dict[int, int] = {}
    for heading in headings:
        line = heading.line
        if line.style == "md" and line.level is not None and line.number:
            scale.setdefault(number_depth(line.number), line.level)
    if not scale:
        return headings
    out = []
    for h in headings:
        depth = number_depth(h.line.number) if h.line.style == "num" and h.line.number else 0
        known = [d for d in scale if d <= depth]
        if not known:
            out.append(h)
            continue
        nearest = max(known)  # "3.1" under "## 3.": a level below it
        out.append(replace(h, line=replace(h.line, level=scale[nearest] + depth - nearest)))
    return out


def _lines_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(line, start, start of the next line) for every line."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((line, pos, pos + len(line) + 1))
        pos += len(line) + 1
    return out


def _candidates(lines: list[tuple[str, int, int]]) -> list[tuple[int, _Heading]]:
    """Lines that are headings in their own right: marked ones anywhere, others only between blank lines."""
    out = []
    for i, (line, start, nxt) in enumerate(lines):
        parsed = parse_heading(line)
        if parsed is None:
            continue
        if parsed.standalone_needed:
            before = lines[i - 1][0] if i > 0 else ""
            after = lines[i + 1][0] if i + 1 < len(lines) else ""
            if before.strip() or after.strip():
                continue
        out.append((i, _Heading(parsed, start, nxt)))
    return out


def _lettered_in_sequence(
    candidates: list[tuple[int, _Heading]], lines: list[tuple[str, int, int]]
) -> list[tuple[int, _Heading]]:
    """Lettered headings ("A. Introduction", "(b) Health") count as such in a sequence, a letter next to another's
    ("A." and "B."); a lone one is read as the line it would be without its letter ("I. Scope" a roman one)."""
    letters = {h.line.letter_of.lower() for _, h in candidates if h.line.letter_of}
    out = []
    for index, heading in candidates:
        letter = (heading.line.letter_of or "").lower()
        if letter and not {chr(ord(letter) - 1), chr(ord(letter) + 1)} & letters:
            line = parse_heading(lines[index][0], letters=False)
            if line is None:
                continue
            heading = replace(heading, line=line)
        out.append((index, heading))
    return out


def _title(lines: list[tuple[str, int, int]], candidates: list[tuple[int, _Heading]]) -> tuple[str | None, int | None]:
    """The first line is the title when it is a top heading used once, or a heading line naming no section."""
    first = next((i for i, (line, _, _) in enumerate(lines) if line.strip()), None)
    if first is None:
        return None, None
    heading = next((h for i, h in candidates if i == first), None)
    text = lines[first][0].strip()
    if heading is not None and heading.line.style == "md":
        others = [h.line.level or 1 for i, h in candidates if i != first and h.line.style == "md"]
        top = not others or min(others) > (heading.line.level or 1)  # the only marked heading, or the top one
        if top or names_only_a_type(heading.line.printed):  # or a type of review over its child ("# Ellis")
            return heading.line.printed, first  # "7 Minute Briefing"
        return None, None
    if len(text) > TITLE_MAX_CHARS or text.endswith("."):
        return None, None
    name = heading.line.name if heading else text.replace("**", "").strip()
    if heading_kind(name or "") is SectionKind.OTHER or "review" in text.lower():
        return name, first
    return None, None


def _with_subtitle(
    title: str, index: int, lines: list[tuple[str, int, int]], candidates: list[tuple[int, _Heading]], text: str
) -> tuple[str, int]:
    """A title naming no type of review with the heading line under it that does ("7 Minute Briefing" over
    "Learning from the Rapid Review: Baby R"), or one naming only a type with a heading line of the names the text
    is about under it ("Leo", a plain line too, set in capitals or quotation marks: '"JAYDEN"'), as one title, and
    the index of its last line."""
    nxt = next((i for i in range(index + 1, len(lines)) if lines[i][0].strip()), None)
    if nxt is None:
        return title, index
    heading = next((h for i, h in candidates if i == nxt), None)
    below = heading.line.printed if heading else lines[nxt][0].strip().strip("*_")
    named = _NAMING_LEAD.sub("", below).strip(_QUOTES)  # "In respect of ‘Aoife’", "“Callum”"
    named = named.title() if named.isupper() else named
    if names_only_a_type(title) and len(named) <= NAME_LINE_CHARS and names_in(named, text):
        return f"{title}: {named}", nxt  # "Local Child Safeguarding Practice Review" over "Leo"
    if heading is None:
        return title, index
    subtitle = heading.line.printed
    if names_review_type(title):
        return title, index
    return (f"{title}: {subtitle}", nxt) if names_review_type(subtitle) else (title, index)


def _title_under_publisher(lines: list[tuple[str, int, int]]) -> tuple[str | None, int] | None:
    """A title page that opens with its publisher's line (the partnership's name) holds metadata: the next line
    is the title when it names a type of review ('Serious Case Review: Child W'); else the title is not in the
    text (a Word file's properties or the file name give it) and the publisher line is where the title block
    starts. None when the text does not open with a publisher line."""
    publisher = None
    for index, (line, _, _) in enumerate(lines):
        text = line.strip().lstrip("#").strip().strip("*_").strip()
        if not text:
            continue
        if names_partnership(text):
            publisher = index if publisher is None else publisher
            continue
        if (
            publisher is not None
            and len(text) <= TITLE_MAX_CHARS
            and not text.endswith(".")
            and names_review_type(text)
        ):
            return text, index
        return None if publisher is None else (None, publisher)
    return None if publisher is None else (None, publisher)


def _keep(headings: list[_Heading]) -> list[_Heading]:
    """Weak styles (bold, plain lines) give way where the document marks headings more strongly: before the
    first strong heading they are the title page's lines (partnership, date, author), and after it a plain line
    is a heading only when it names a kind of section."""
    strong = [i for i, h in enumerate(headings) if h.line.style not in _WEAK | _BACK_MATTER]
    strong_set = set(strong)
    if not strong:  # appendices' labels do not make a document's plain headings a title page's lines
        plain_only = all(h.line.style in _BACK_MATTER or h.line.style == "plain" for h in headings)
        return [h for h in headings if h.line.style != "plain" or plain_only]
    group: dict[int, int] = {}  # plain line -> the strong heading above it
    above = strong[0]
    for i, h in enumerate(headings):
        if i in strong_set:
            above = i
        elif h.line.style == "plain" and i > strong[0]:
            group[i] = above
    siblings = Counter(group.values())
    return [
        h
        for i, h in enumerate(headings)
        if h.line.style not in _WEAK
        or (
            i > strong[0]
            and (
                h.line.style == "bold"
                or heading_kind(h.line.name or "") is not SectionKind.OTHER
                or siblings[group.get(i, -1)] >= 2
            )
        )
    ]


def _levels(headings: list[_Heading], text: str) -> list[_Heading]:
    """Give every heading its nesting level (see the module docstring)."""
    out: list[_Heading] = []
    style_levels: dict[str, int] = {}
    group: tuple[str, int] | None = None  # (style, level of the heading that opened the group)
    for index, heading in enumerate(headings):
        line = heading.line
        nxt = headings[index + 1] if index + 1 < len(headings) else None
        opens = (
            nxt is not None
            and nxt.line.style == line.style
            and line.level is None
            and nxt.line.level is None
            and _opens_group(line, text[heading.body_start : nxt.line_start].strip(), nxt.line)
        )
        if line.level is not None and group and group[1] == line.level and _joins(group, line):
            level = line.level + 1  # "## Agency involvement" with no text over "## Health visiting": under it
        elif line.level is not None:
            level = line.level
        elif group and _joins(group, line) and opens:  # another opener in the group's style is the first's sibling,
            level = group[1]  # never a group within it: nesting stays as deep as the styles, however long the text
        elif group and _joins(group, line):
            level = group[1] + 1
        elif line.style in style_levels:
            level = style_levels[line.style]
        else:
            level = out[-1].level + 1 if out else 1
            if out and _items_side_by_side(out[-1].line, line):
                level = out[-1].level  # "Finding 2" then "Recommendation 1": two lists, not one inside the other
            style_levels[line.style] = level
        level = min(level, MAX_LEVEL)  # no review nests deeper; a path's length bounds the work on each section
        if group and level <= group[1] and not _joins(group, line):
            group = None
        if opens:
            group = (line.style, level)
        elif _holds_its_level(heading, nxt, text):
            group = (line.style, line.level or level)
        out.append(replace(heading, level=level))
    return out


def _items_side_by_side(before: HeadingLine, line: HeadingLine) -> bool:
    """Whether two labelled headings each number an item of a list kind ("Finding 2", "Recommendation 1")."""
    return all(h.style.startswith("label:") and names_one_item(h.style.partition(":")[2]) for h in (before, line))


def _holds_its_level(heading: _Heading, nxt: _Heading | None, text: str) -> bool:
    """Whether a heading of a set level holds the headings of its own level after it: it names a kind of section,
    has no text of its own or only a lead-in announcing them (`_opens_group`, and `_ANNOUNCES`: a short last
    section over "Acknowledgements" at its level is the author's sibling), and the next one, in its style and level,
    names no kind ("Agency involvement" over "Health visiting", "Police", ... written at one level)."""
    line = heading.line
    body = text[heading.body_start : nxt.line_start].strip() if nxt is not None else ""
    return (
        nxt is not None
        and line.level is not None
        and nxt.line.level == line.level
        and nxt.line.style == line.style
        and _canonical(line)
        and not _canonical(nxt.line)
        and (not body or (_ANNOUNCES.search(body) is not None and _opens_group(line, body, nxt.line)))
    )


def _joins(group: tuple[str, int], line: HeadingLine) -> bool:
    """Whether a heading joins the open group: in the group's style, naming no kind and no glossary or references."""
    return line.style == group[0] and not _canonical(line) and not is_reference_matter((line.name or "",))


def _opens_group(line: HeadingLine, body: str, nxt: HeadingLine) -> bool:
    """Whether a heading opens a group of the headings after it in its own style: when it has no text of its own,
    or when it names a judging kind ("Practice and organisational learning") and its text is a lead-in to the
    headings under it (one short paragraph) and the next names no kind of its own."""
    if not body:
        return True
    return (
        _canonical(line)
        and heading_kind(line.name or "", weak=False) in _GROUPING
        and "\n\n" not in body
        and len(body.split()) <= LEAD_IN_WORDS
        and not _canonical(nxt)
    )


def _after_title_block(headings: list[_Heading], text: str) -> list[_Heading]:
    """Headings under the title that name no section and hold no prose (a bold partnership line over a date
    line) belong to the title block, which is metadata, not a section."""
    start = 0
    while start + 1 < len(headings):
        heading, nxt = headings[start], headings[start + 1]
        if heading_kind(heading.line.name or "", weak=False) is not SectionKind.OTHER or _is_prose(
            text[heading.body_start : nxt.line_start]
        ):
            break
        start += 1
    return headings[start:]


def _without_cover_headings(headings: list[_Heading], text: str) -> list[_Heading]:
    """Where no title is found, the cover's lines set as headings (a board's name, a review type in two languages):
    of the headings opening the document that name no section and hold no prose, those set above every heading
    after them, which they would otherwise hold as the parents of the whole outline."""
    cover = 0
    while cover + 1 < len(headings):
        heading, nxt = headings[cover], headings[cover + 1]
        if heading_kind(heading.line.name or "", weak=False) is not SectionKind.OTHER:
            break
        if _is_prose(text[heading.body_start : nxt.line_start]):
            break
        cover += 1
    if cover == 0:
        return headings
    below = min(h.level for h in headings[cover:])
    return [h for h in headings[:cover] if h.level >= below] + headings[cover:]


def _is_prose(text: str) -> bool:
    """Whether the text holds a sentence: a line ending in a full stop, five or more words, some in lower case.
    A title block's lines name things and dates in capitals ("Kelsey Vale Safeguarding Children Partnership.")."""
    sentences = (s for line in text.split("\n") if line.rstrip().endswith(".") for s in line.split(". "))
    return any(len(s.split()) >= PROSE_WORDS and sum(w[:1].islower() for w in s.split()) >= 2 for s in sentences)


def _canonical(line: HeadingLine) -> bool:
    name = line.name or ""
    return heading_kind(name, weak=False) is not SectionKind.OTHER and len(name.split()) <= CANONICAL_MAX_WORDS


def _spans(text: str, headings: list[_Heading], first_body: int, has_title: bool) -> list[_Span]:
    """Each heading's non-empty body, plus the text before the first heading."""
    spans: list[_Span] = []
    first_heading = headings[0].line_start if headings else len(text)
    lead = _trimmed(text, first_body, first_heading)
    # Under a title, lines that are not prose (partnership, date, author) are the title block: metadata.
    if lead and (_is_prose(text[lead[0] : lead[1]]) or not (has_title and headings)):
        spans.append(_Span((INTRODUCTION,), "", *lead))
    stack: list[tuple[int, str | None]] = []
    for index, heading in enumerate(headings):
        stack = [(lvl, name) for lvl, name in stack if lvl < heading.level]
        stack.append((heading.level, heading.line.name))
        end = headings[index + 1].line_start if index + 1 < len(headings) else len(text)
        body = _trimmed(text, heading.body_start, end)
        path = tuple(name for _, name in stack if name)
        if body and path:
            spans.append(_Span(path, heading.line.number if heading.line.name else "", *body))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    chunk = text[start:end]
    if not chunk.strip():
        return None
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    return start + lead, end - trail


def _label(spans: list[_Span], text: str) -> list[Section]:
    """Sections with their kinds; same-named ones get '(1 of 2)', '(2 of 2)' so a reader can tell them apart."""
    totals = Counter(span.path for span in spans)
    seen: Counter[tuple[str, ...]] = Counter()
    sections = []
    kinds = kinds_of([span.path for span in spans], [text[span.start : span.end] for span in spans])
    for ordinal, (span, kind) in enumerate(zip(spans, kinds, strict=True), start=1):
        seen[span.path] += 1
        label = " > ".join(span.path)
        if totals[span.path] > 1:
            label = f"{label} ({seen[span.path]} of {totals[span.path]})"
        sections.append(
            Section(
                path=span.path,
                label=label,
                ordinal=ordinal,
                start=span.start,
                end=span.end,
                kind=kind,
                level=len(span.path),
                number=span.number,
            )
        )
    return sections
