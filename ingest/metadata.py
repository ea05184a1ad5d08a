"""Review metadata (title, subject, type, partnership, year) from the text, overridable by a sidecar."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields, replace
from itertools import chain
from pathlib import Path

from core.errors import DocumentError
from core.models import ReviewMeta, Subject
from core.text import MONTH


def _named(pattern: str) -> re.Pattern[str]:
    """A type of review's name, not where it names a panel ("the Child Safeguarding Practice Review Panel")."""
    return re.compile(rf"(?:{pattern})(?![ \t]+panel\b)", re.I)


_TYPES = (  # the longest name first, so "local child safeguarding practice review" is not read as a shorter one
    (
        "local child safeguarding practice review",
        _named(r"local child safeguarding practice review|\bLCSPR\b"),
    ),
    ("child safeguarding practice review", _named(r"child safeguarding practice review|\bCSPR\b")),
    # Scotland's reviews (a significant case review, since 2021 a learning review, after an initial case review)
    # and Northern Ireland's case management reviews; a Scottish review calls itself an "SCR" after its full name,
    # and the name, read first, gives its type
    ("significant case review", _named(r"significant case review")),
    ("initial case review", _named(r"initial case review|\bICR\b")),
    ("case management review", _named(r"case management review|\bCMR\b")),
    ("serious case review", _named(r"seri(?:ous|es) case review|\bSCR\b")),
    # Wales's statutory reviews: child practice reviews (concise or extended), since 2025 single unified
    # safeguarding reviews ("CPR" is left out: in a review it is as likely to be resuscitation)
    ("child practice review", _named(r"child practice review")),
    ("single unified safeguarding review", _named(r"single unified safeguarding review|\bSUSR\b")),
    ("thematic review", _named(r"thematic review")),
    ("rapid review", _named(r"rapid review")),
    ("learning review", _named(r"learning review")),
    ("national review", _named(r"national review")),  # the national panel's
)
_ONLY_IN_TITLES = frozenset({"national review"})  # a local review's text may cite the panel's national reviews
# The bodies that publish reviews: England's safeguarding children partnerships (once boards), Wales's regional
# safeguarding boards, Scotland's child (or public) protection committees, each named after its place ("Northby
# Safeguarding Children Partnership"), and a nation's board named before its place ("Safeguarding Board for
# Northern Ireland") and its local safeguarding panels ("Lagan and Mourne Safeguarding Panel"). A name starts at a
# word's start and its words never give back letters (possessive), so a search costs time linear in the text even
# over one long hyphenated "word".
_PARTNERSHIP = re.compile(
    r"(?<![\w'&-])((?:(?!(?:The|Local|Regional|Partnership|Board|Committee)\b)[A-Z][a-z][\w'&-]*+[ \t]++"
    r"(?:and[ \t]++)?){1,5}"
    r"(?:Safeguarding Children(?:'s)? Partnership|Safeguarding Partnership|Children'?s Safeguarding Partnership|"
    r"(?:Local |Regional )?Safeguarding (?:Children(?:'s)? )?(?:Board|Panel)|"
    r"(?:Child|Public) Protection Committee)"
    r"|Safeguarding (?:Children )?Board for (?:[A-Z][a-z]++[ \t]++){0,2}[A-Z][a-z]++"
    r"|Child Safeguarding Practice Review Panel)"
)
_NATIONAL_PANEL = "Child Safeguarding Practice Review Panel"
# A byline naming who wrote the review: "Lead reviewer: Desmond Achebe", "Independent author - G. Harcourt",
# "Reviewers: A Khan and B Lee", "written by Jane Smith", "Overview report by ...", "Prepared by ..."; at a line's
# start or after a separator ("Partnership · Lead reviewer: Marcus Obi"), the name running to the line's end or the
# next separator; or a label ending its line with the name alone on the next line or the one after ("Overview
# Report by Independent Author" over "Jane Whitcombe").
_BYLINE_LABEL = (
    r"(?i:(?:(?:lead|independent|overview|report)[ \t]+)?(?:reviewers?|authors?|authored by|written by)"
    r"|(?:overview[ \t]+)?report[ \t]+by(?![ \t]+(?:(?:independent|lead|external)[ \t]+)?(?:reviewer|author)\b)"
    r"|(?:prepared|compiled|presented)[ \t]+by)(?![ \t]+(?i:the)\b)"
)
_BYLINE = re.compile(  # a label in two languages too: "Adolygydd / Reviewer: ..."
    rf"(?:^|[\u00b7\u2022|])[ \t]*(?:[A-Z][\w'\u2019]*(?:[ \t]+[\w'\u2019]+){{0,2}}[ \t]*/[ \t]*)?{_BYLINE_LABEL}"
    r"(?:[ \t]*[:\u2013-][ \t]*|[ \t]+(?=[A-Z][a-z]*\.?[ \t]+[A-Z]))"
    r"([A-Z][^\n\u00b7\u2022|]{1,100}?)[ \t]*(?=$|[\u00b7\u2022|])"
    r"|(?i:\b(?:lead|independent)[ \t]+(?:reviewer|author))[ \t]*\n(?:[ \t]*\n)?[ \t]*"
    r"((?:Dr\.?[ \t]+)?[A-Z][a-z]+(?:[ \t]+[A-Z][\w'.-]+){1,3})[ \t]*$"
    # or a labelled name ending a line after another sentence ("Chair: D Morrow. Independent Reviewer: S Kearney.")
    r"|(?<=\.)[ \t]+(?i:(?:lead|independent)[ \t]+)?(?i:reviewer|author)[ \t]*:[ \t]*"
    r"((?:Dr\.?[ \t]+)?[A-Z][a-z]+(?:[ \t]+[A-Z][\w'-]+){1,3})(?:\.?[ \t]*$|\.[ \t]+(?=[A-Z]))",  # or a sentence on
    re.M,
)
NAME_MAX_WORDS = 12  # words of the names a byline gives ("Fiona Gallagher and Kwame Osei")
_ONE_NAME = r"(?:Dr\.?[ \t]+)?[A-Z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*)*"
_NAME_RUN = re.compile(rf"{_ONE_NAME}(?:(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+){_ONE_NAME}){{0,3}}")  # "A B and C D"
# "Lead reviewer: Anne-Marie Feltham, independent", "Peter Castellano, Independent Reviewer": nor the role after it
# (what else follows a name is kept: "Jane Smith, social work consultant").
_ROLE_AFTER_NAME = re.compile(
    r",[ \t]*(?i:(?:independent|lead|external)(?:[ \t]+(?:reviewer|author))?|reviewer|author)$"
    # "..., on behalf of the safeguarding partners": for whom, not who
    r"|(?:,|(?<![ \t,]))[ \t]+(?i:on behalf of)[ \t].*$"
)
# "Author: Independent reviewer Fiona Mackintosh": the role before the name is not the name.
_ROLE_BEFORE_NAME = re.compile(r"^(?i:(?:independent|lead|external)[ \t]+)?(?i:reviewer|author)[ \t]+(?=[A-Z])")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")  # a word with its apostrophe's ending: "CHILDREN'S"
_YEAR = re.compile(
    r"\b(?:published|publication(?: date)?|date[d]?|review date|approved)\b[^\n\d]{0,80}(?:\d{1,2}[ \t]+)?"
    r"(?:\w+[ \t]+)?"
    r"((?:19|20)\d\d)\b",
    re.I,
)
_DATE_LINE = re.compile(
    rf"^[ \t]*(?:\d{{1,2}}[ \t]+)?{MONTH}[ \t]+((?:19|20)\d\d)[ \t]*$"
    # a short label, a dash or bar, then the date ending the line: "Final report - November 2020", "Reviewer: J Bell |
    # January 2025"; or a label saying the report was approved or presented, a colon, the date
    rf"|^[ \t]*[A-Za-z][^\n]{{0,60}}?[ \t][-\u2013\u2014|\u00b7][ \t]*"
    rf"(?:\d{{1,2}}[ \t]+)?{MONTH}[ \t]+((?:19|20)\d\d)[ \t]*$"
    rf"|^[ \t]*(?i:approved|presented|agreed|signed off|endorsed)\b[^\n:]{{0,60}}:[ \t]*"
    rf"(?:\d{{1,2}}[ \t]+)?{MONTH}[ \t]+((?:19|20)\d\d)[ \t]*$"
    rf"|(?:Partnership|Board)[ \t]*[,\u2013\u2014|\u00b7-][ \t]*(?:\d{{1,2}}[ \t]+)?{MONTH}[ \t]+((?:19|20)\d\d)\b",
    re.M,
)
# Heading and bold marks opening a line of the front matter: "## Reviewers: Priya Raman" (a cover line set in a
# heading's font), "**Author:** Jane Smith" (Markdown).
_COVER_MARKS = re.compile(r"^[ \t]*#{1,6}[ \t]+|\*\*|__", re.M)
_ISO_YEAR = re.compile(r"((?:19|20)\d\d)(?:-\d\d){0,2}")
SIDECAR_SUFFIX = ".meta.json"
PUBLISHER_SHARE = 0.6  # a publisher line is mostly the partnership's name ("The X Safeguarding Children Partnership")
FRONT_CHARS = 3000  # a review states its type, partnership and date near the start


def extract_meta(
    text: str,
    title_line: str | None,
    fallback_title: str,
    subjects: tuple[Subject, ...] = (),
    hints: Mapping[str, str] | None = None,
) -> ReviewMeta:
    """Metadata stated in the review text (or by its format: front matter, <meta>); what is not stated is None."""
    hints = hints or {}
    title = hints.get("title") or title_line
    head, colon, rest = (title or "").partition(":")
    if title and title.isupper():  # "SIGNIFICANT CASE REVIEW (SCR)" on a cover: read as "Significant Case Review (SCR)"
        title = _cover_case(title)
    elif colon and head.isupper():  # "CASE MANAGEMENT REVIEW" over "In respect of 'Aoife'": the name as written
        title = _cover_case(head) + colon + rest
    front = _COVER_MARKS.sub("", text[:FRONT_CHARS])  # a cover line set large or bold reads as a heading
    review_type = _review_type(title or "") or _review_type(hints.get("type", ""))
    review_type = review_type or _review_type(front, in_title=False) or _review_type(text, in_title=False)
    partnership = _publisher(hints, front, text)
    year = _year(hints.get("date", "")) or _year(front) or _year(hints.get("site", ""))  # a page's "Published ..."
    subject = " and ".join(s.name for s in subjects) or None
    byline = _BYLINE.search(front)
    named = next((g for g in byline.groups() if g), "") if byline else ""
    author = _ROLE_BEFORE_NAME.sub("", named.strip().rstrip(".")) if byline else None
    if byline is None:  # stated (front matter), or a web page's line of details, which its main text leaves out
        author = hints.get("author") or _page_byline(hints.get("details", ""))
    author = _ROLE_AFTER_NAME.sub("", author) if author else None
    if not title:
        title = f"{review_type.title()}: {subject}" if review_type and subject else fallback_title
    elif subject and names_only_a_type(title) and not any(_names(title, s.name) for s in subjects):
        title = f"{title}: {subject}"  # "Child Practice Review" over a form naming its child in the text
    return ReviewMeta(
        title=title,
        subject=subject,
        review_type=review_type,
        partnership=partnership,
        year=year,
        subjects=subjects,
        author=author,
    )


def _names(title: str, name: str) -> bool:
    """Whether the title names the child as a whole word: "Child P" is not named by "Child Practice Review"."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title) is not None


def _page_byline(details: str) -> str | None:
    """The author a web page's own line of details names, as far as the name goes: a line may run on after it
    ("Fiona Mackintosh Download the full report")."""
    byline = _BYLINE.search(details)
    named = next((g for g in byline.groups() if g), "") if byline else ""
    if not (name := _NAME_RUN.match(_ROLE_BEFORE_NAME.sub("", named))):
        return None
    words = name.group(0).split()
    after = name.string[name.end() : name.end() + 2]
    if len(words) > 2 and after[:1] == " " and after[1:].islower():
        words = words[:-1]  # "... Mackintosh Download the full report": the last capital opens what follows
    return " ".join(words[:NAME_MAX_WORDS]).rstrip(",")


def _publisher(hints: Mapping[str, str], front: str, text: str) -> str | None:
    """The partnership that publishes the review: stated (front matter), on an ALL-CAPS publisher line, in the front
    of the text (a web page's own lines, its title and line of details first), in the text, or on the site around
    the page. A local partnership named anywhere in these comes before the national panel, which a local review
    names as the body it notified ("the partnership notified the Child Safeguarding Practice Review Panel")."""
    stated = _PARTNERSHIP.search(hints.get("partnership", "")) or _caps_partnership(front)
    sources = (hints.get("details", "")[:FRONT_CHARS], front, text, hints.get("site", ""))
    found = chain((stated,) if stated else (), (m for source in sources for m in _PARTNERSHIP.finditer(source)))
    panel = None
    for match in found:
        name = match.group(1).strip()
        if name != _NATIONAL_PANEL:
            return name
        panel = name
    return panel


def _caps_partnership(front: str) -> re.Match[str] | None:
    """The partnership an ALL-CAPS publisher line names ('ALDGRAVE SAFEGUARDING CHILDREN PARTNERSHIP'), read in
    title case."""
    for line in front.split("\n"):
        text = line.strip().lstrip("#").strip()
        if text.isupper() and (found := _PARTNERSHIP.search(_title_case(text))):
            return found
    return None


_ACRONYM_IN_BRACKETS = re.compile(r"\([A-Za-z]{2,6}\)")


def _cover_case(text: str) -> str:
    """An ALL-CAPS cover line in title case, its bracketed acronyms kept: "Significant Case Review (SCR)"."""
    return _ACRONYM_IN_BRACKETS.sub(lambda m: m.group(0).upper(), _title_case(text))


def _title_case(text: str) -> str:
    """An ALL-CAPS line in title case, its joining words in lower case ("Dunmore and Kilbrae Child Protection
    Committee", "Safeguarding Board for Northern Ireland")."""
    titled = _WORD.sub(lambda m: m.group(0).capitalize(), text)  # "Children's", where str.title gives "Children'S"
    return re.sub(r"(?<=\s)(?:And|For|Of|The)\b", lambda m: m.group(0).lower(), titled)


def _year(text: str) -> int | None:
    """The year a review is published: after "published" or "date", a date standing alone ("2023-05"), or a
    month and year that is all of a line or follows the partnership's name ("... Partnership, September 2024")."""
    if (m := _YEAR.search(text)) or (m := _ISO_YEAR.fullmatch(text.strip())) or (m := _DATE_LINE.search(text)):
        return int(next(g for g in m.groups() if g))
    return None


def names_only_a_type(title: str) -> bool:
    """Whether a title is a type of review and at most one word more ("Extended Child Practice Review")."""
    rest = without_review_types(title)
    return rest != title and len(re.findall(r"[^\W\d_]+", rest)) <= 1


def without_review_types(text: str) -> str:
    """The text less the names of types of review it holds ("Learning Review: Callum" -> " : Callum")."""
    for _, pattern in _TYPES:
        text = pattern.sub(" ", text)
    return text


def _review_type(text: str, in_title: bool = True) -> str | None:
    """The type named first in the text (a review names its own type before the ones that preceded it); not
    `in_title` (its text), a type a review would only cite is left out."""
    types = _TYPES if in_title else [(name, p) for name, p in _TYPES if name not in _ONLY_IN_TITLES]
    found = [(m.start(), -len(name), name) for name, pattern in types if (m := pattern.search(text))]
    return min(found)[2] if found else None


def names_review_type(text: str) -> bool:
    """Whether the text names a type of review ('Serious Case Review: Child W', 'a thematic review of ...')."""
    return _review_type(text) is not None


def names_partnership(line: str) -> bool:
    """Whether a line is mostly a safeguarding partnership's (or board's) name, as a title page's publisher line
    is; an ALL-CAPS line is read in title case."""
    text = line.strip()
    found = _PARTNERSHIP.search(_title_case(text) if text.isupper() else text)
    return found is not None and len(found.group(1).strip()) >= PUBLISHER_SHARE * len(text)


def sidecar_path(source: Path) -> Path:
    """`review.pdf` -> `review.meta.json` beside it."""
    return source.with_name(source.stem + SIDECAR_SUFFIX)


def apply_sidecar(meta: ReviewMeta, source: Path) -> ReviewMeta:
    """Override extracted metadata with the fields of an optional sidecar file."""
    path = sidecar_path(source)
    if not path.exists():
        return meta
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(path), f"sidecar is not valid JSON ({exc}); fix or remove it") from exc
    known = {f.name for f in fields(ReviewMeta)}
    if not isinstance(data, dict) or set(data) - known:
        raise DocumentError(str(path), f"sidecar must be a JSON object with keys from {', '.join(sorted(known))}")
    for key, value in data.items():
        if not _valid_value(key, value):
            kind = {
                "year": "a whole number",
                "title": "a non-empty string",
                "subjects": 'a list of names or {"name": ..., "aliases": [...]} objects',
            }.get(key, "a string or null")
            raise DocumentError(str(path), f"sidecar field {key!r} must be {kind}, got {value!r}; fix or remove it")
    if data.get("year") is not None:
        data["year"] = int(data["year"])
    if "subjects" in data:
        data["subjects"] = tuple(
            Subject(v, ()) if isinstance(v, str) else Subject(v["name"], tuple(v.get("aliases", ())))
            for v in data["subjects"]
        )
        if "subject" not in data:
            data["subject"] = " and ".join(s.name for s in data["subjects"]) or None
    elif data.get("subject"):  # one subject named: it replaces what was found in the text
        data["subjects"] = (Subject(data["subject"], ()),)
    return replace(meta, **data)


def _valid_value(key: str, value: object) -> bool:
    if key == "subjects":
        return isinstance(value, list) and all(_valid_subject(v) for v in value)
    if key == "title":
        return isinstance(value, str) and bool(value.strip())
    if key == "year":
        return value is None or (isinstance(value, int | str) and str(value).strip().isdigit())
    return value is None or isinstance(value, str)


def _valid_subject(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or set(value) - {"name", "aliases"}:
        return False
    aliases = value.get("aliases", [])
    return isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)
