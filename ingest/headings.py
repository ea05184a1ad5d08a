"""Recognise one line as a heading, in any of the layouts reviews use, and say what style it is in.

Styles: markdown marks ("## 3. Findings", also what the PDF and DOCX loaders emit from font size and Word
styles), numbered lines ("2.1 Family history"), labelled lines ("Part 3: ...", "Key Practice Episode 2: ..."),
ALL-CAPS lines, bold-only lines ("**Background**") and plain short lines. Every check is a single pass over the
line (no pattern here can backtrack more than a bounded amount), so a hostile line costs time linear in its length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.models import SectionKind
from ingest.kinds import heading_kind

MAX_WORDS = 16  # a heading longer than this is a sentence
PLAIN_MAX_WORDS = 8
ITEM_MAX_WORDS = 3  # "Recommendation", "Key finding", "Learning point": what a heading numbering one item says
_LIST_KINDS = frozenset(
    {SectionKind.RECOMMENDATIONS, SectionKind.FINDINGS, SectionKind.LEARNING, SectionKind.ACTIONS,
     SectionKind.GOOD_PRACTICE}
)  # fmt: skip
# A section's printed number, not the count a heading opens with ("7 Minute Briefing", "10 Days On").
_NUMBER = re.compile(
    r"(\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+(?=\S)(?!(?i:minutes?|hours?|days?|weeks?|months?|years?)\b)"
)
_ROMAN = re.compile(r"([IVX]{1,5})\.[ \t]+(?=\S)")
# A lettered heading's letter: "B. Terms of reference", "C) Findings", "(d) Health"; a lone letter, so that
# "Dr. Smith" or "St. Mary's" is not one.
_LETTER = re.compile(r"(?:\(([A-Za-z])\)|([A-Z])[.)])[ \t]+(?=[A-Z])")
_BARE_NUMBER = re.compile(r"\d{1,2}[.)]?")
_TRAILING_NUMBER = re.compile(r"[ \t]\d{1,2}")
# "Part 3:", "Key Practice Episode 2:", "Theme 1 -", "Finding 4.", "Appendix A": up to three capitalised words,
# then a number, a roman numeral or a single letter.
_LABEL = re.compile(r"((?:[A-Z][a-z]+[ \t]){1,3})(\d{1,3}|[IVX]{1,5}|[A-Z])\b[ \t]*[:.\u2013\u2014-]?[ \t]*")
# "Learning point 1:", "Key line of enquiry 2 -": a capitalised word and lower-case ones, then a number and a stop
# (or the end of the line).
_LOWER_LABEL = re.compile(r"([A-Z][a-z]+(?:[ \t][a-z]+){1,3}[ \t])(\d{1,3})(?:[ \t]*[:.\u2013\u2014-]|$)")
_ENDS_SENTENCE = (".", ",", ";", "?", "!")
_LEADS_IN = re.compile(r"\b(?:the following|as follows|includ(?:e|es|ed|ing))\b[^:]{0,40}:$", re.I)  # a list's lead-in
_INNER_STOP = re.compile(r"[a-z]{2}[.!?] [A-Z]")  # a word's stop, then the next sentence ("Dr. Smith" is not one)
# A numbered paragraph's number ("4.2 ", "6.1.3 "): in a run of numbered paragraphs each starts a new one, and a
# line in bold opening with one may head a finding ("4.1 Finding one: ...").
PARAGRAPH_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,2}\.?[ \t]+\S")


def number_depth(number: str) -> int:
    """How deep a printed number is: "4." and "4" are 1, "4.2" is 2, "4.2.1" is 3."""
    return number.strip().rstrip(".").count(".") + 1


# A line ending on one of these words runs on into the next: it is the start of a sentence, not a heading.
_RUNS_ON = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "including", "into", "of", "on", "or", "that", "the",
     "to", "which", "who", "with", "whose", "when", "where", "than"}
)  # fmt: skip


# Labels that divide a whole document ("Part 2:", "Appendix A:"), as opposed to those that number items within
# a section ("Theme 3:", "Finding 2:", "Key Practice Episode 1:").
_TOP_LABELS = frozenset({"part", "chapter", "appendix", "annex", "section"})
_QUANTIFIED = frozenset({"aged", "age", "under", "over", "year", "years", "week", "weeks", "stage", "phase"})
# A number after these names someone: "Child 2", "Sibling 1", "Family 3" (a thematic review's section per child)
_NAMED_BY_NUMBER = frozenset({"child", "person", "baby", "infant", "sibling", "adolescent", "twin", "family", "case"})


@dataclass(frozen=True)
class HeadingLine:
    """What a heading line says (printed number removed) and how it is set."""

    name: str | None  # None for a bare number ("# 03"): a panel whose sub-headings are the sections
    style: str  # "md", "num", "label:<word>", "caps", "bold", "plain"
    level: int | None = None  # stated by the layout (markdown marks, numbering depth); else found from context
    standalone_needed: bool = True  # plain, caps, numbered and labelled lines must stand alone between blanks
    letter_of: str | None = None  # a lettered heading's letter ("B" for "B. Terms of reference")
    number: str = ""  # the section number it prints before its name, as printed ("4.1", "B.", "III.")

    @property
    def printed(self) -> str:
        """The heading as the page prints it, its number before its name ("7 Minute Briefing", "4.1 Findings")."""
        return " ".join(filter(None, (self.number, self.name)))


def parse_heading(line: str, letters: bool = True) -> HeadingLine | None:
    """The heading this line would be, or None; whether it stands alone is for the caller to check. `letters=False`
    reads a lettered line ("A. Introduction") as the plain (or roman-numbered) line it is outside a sequence."""
    text = line.strip()
    if not text or len(text) > 200:
        return None
    if text.startswith("#"):
        return _markdown(text)
    if (bold := _bold_only(text)) is not None:
        if _is_sentence(bold):
            return None
        printed, name = split_number(bold)
        return HeadingLine(name, "bold", None, False, number=printed)
    if _is_sentence(text):
        return None
    number = _NUMBER.match(text)
    if number:
        rest = text[number.end() :]
        if _heading_words(rest):
            return HeadingLine(_tidy(rest), "num", number.group(1).count(".") + 1, number=number.group(0).strip())
        return None
    letter = _LETTER.match(text) if letters else None
    if letter and _heading_words(text[letter.end() :]):
        return HeadingLine(
            _tidy(text[letter.end() :]),
            "letter",
            letter_of=(letter.group(1) or letter.group(2)),
            number=letter.group(0).strip(),
        )
    roman = _ROMAN.match(text)
    if roman and _heading_words(text[roman.end() :]):
        return HeadingLine(_tidy(text[roman.end() :]), "num", 1, number=roman.group(0).strip())
    label = _LABEL.match(text) or _LOWER_LABEL.match(text)
    if label and len(text.split()) <= MAX_WORDS:
        word = label.group(1).split()[0].lower()
        return HeadingLine(_tidy(text), "label:" + word, 1 if word in _TOP_LABELS else None)
    top = _LABEL.match(text.title()) if _is_caps(text) else None  # "APPENDIX A - GLOSSARY" divides the document
    if top and (word := top.group(1).split()[0].lower()) in _TOP_LABELS and len(text.split()) <= MAX_WORDS:
        return HeadingLine(_tidy(text), "label:" + word, 1)
    if _is_caps(text) and len(text.split()) <= MAX_WORDS:
        return HeadingLine(_tidy(text), "caps")
    if _heading_words(text, PLAIN_MAX_WORDS) and ":" not in text:
        return HeadingLine(_tidy(text), "plain")
    return None


def strip_number(text: str) -> str | None:
    """Drop a printed section number: '3.2 Family history' -> 'Family history'; a bare '03' -> None."""
    return split_number(text)[1]


def split_number(text: str) -> tuple[str, str | None]:
    """A heading's printed section number and its name: '3.2 Family history' -> ('3.2', 'Family history'); a bare
    '03' -> ('03', None); a panel or contents page number at the end ('Safeguarding Concerns 02') is no section
    number and is dropped."""
    text = text.strip()
    if not text or _BARE_NUMBER.fullmatch(text):
        return text, None
    number = _NUMBER.match(text) or _ROMAN.match(text) or _LETTER.match(text)
    printed = number.group(0).strip() if number else ""
    if number:
        text = text[number.end() :]
    trailing = _TRAILING_NUMBER.search(text, max(0, len(text) - 3))  # a panel or contents page number at the end
    if trailing and trailing.end() == len(text) and len(text.split()) > 1:
        kept = text[: trailing.start()]
        # "Transitions at 18", "Aged 16" and "Recommendation 2" (one item of a list kind, singular) keep theirs
        if kept.split()[-1].lower() not in _RUNS_ON | _QUANTIFIED | _NAMED_BY_NUMBER and not names_one_item(kept):
            text = kept
    return printed, _tidy(text) or None


def names_one_item(text: str) -> bool:
    """Whether a short heading names one item of a list kind ('Recommendation', 'Key finding'), as before its number."""
    words = text.split()
    return len(words) <= ITEM_MAX_WORDS and not words[-1].lower().endswith("s") and heading_kind(text) in _LIST_KINDS


def opens_item_label(line: str) -> bool:
    """Whether a line opens with the label of one item of a list kind, its number and a stop ("Finding 2: The
    nursery ...", "Learning point 3 - ..."): in plain text such a line starts a new item, however it is set."""
    label = _LABEL.match(line) or _LOWER_LABEL.match(line)
    return (
        label is not None
        and label.group(0).rstrip()[-1:] in ":.\u2013\u2014-"
        and names_one_item(label.group(1).strip())
    )


def runs_on(line: str) -> bool:
    """Whether a line stops on a word that runs on into the next line ('... took him to the walk-in centre on a')."""
    words = line.split()
    return len(words) > 1 and words[-1] in _RUNS_ON


_ICON_CATEGORIES = frozenset({"So", "Sk", "Mn", "Cf"})  # other symbols (emoji), modifiers, selectors, joiners


def _markdown(text: str) -> HeadingLine | None:
    marks = len(text) - len(text.lstrip("#"))
    if marks > 6:
        return None
    inner = _without_leading_symbols(text[marks:].strip().rstrip("#").strip())
    inner = _bold_only(inner) or inner
    printed, name = split_number(inner)
    return HeadingLine(name, "md", marks, False, number=printed)


def _without_leading_symbols(text: str) -> str:
    """A heading less the icons a tool sets before it ("📝 5. Recommendations"): symbols, their variation selectors
    and joiners, and the spaces after them."""
    start = 0
    while start < len(text) and (text[start].isspace() or unicodedata.category(text[start]) in _ICON_CATEGORIES):
        start += 1
    return text[start:]


def _bold_only(text: str) -> str | None:
    """The words of a line that is wholly bold in markdown ('**Background**'), else None."""
    for mark in ("**", "__"):
        if len(text) > 4 and text.startswith(mark) and text.endswith(mark):
            inner = text[2:-2].strip()
            if inner and mark not in inner:
                return inner.rstrip(":").strip()
    return None


def _is_sentence(text: str) -> bool:
    """A sentence or a list's lead-in ('... practice, including:'), or a line of prose in which one sentence ends
    and the next begins ('January 2017 from a head injury. His'), not a heading."""
    words = text.rstrip(":").split()
    lead_in = text.endswith(":") and (len(words) > PLAIN_MAX_WORDS or _LEADS_IN.search(text) is not None)
    return (
        text.endswith(_ENDS_SENTENCE)
        or len(words) > MAX_WORDS
        or lead_in
        or (len(words) > 1 and words[-1] in _RUNS_ON)
        or _INNER_STOP.search(text) is not None
    )


def _heading_words(text: str, limit: int = MAX_WORDS) -> bool:
    """Short, starts with a capital or digit, and not a sentence."""
    text = text.strip()
    return (
        bool(text)
        and (text[0].isupper() or text[0].isdigit())
        and not _is_sentence(text)
        and len(text.split()) <= limit
    )


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _tidy(text: str) -> str:
    return " ".join(text.replace("**", "").split()).rstrip(":").strip()
