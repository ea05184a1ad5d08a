"""Likely personal data in a question (dates of birth, addresses, postcodes, phone and NHS numbers, full names).

Practitioners may type live case details into a question. Front ends call `find_personal_data` before storing a
question or sending it to a language model on another machine, warn the user and offer `redact`. Every pattern
has bounded repeats, so the scan is linear in the question's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.settings import Answerer, Settings

_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+44[ -]?\(?0?\)?[ -]?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?!\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
_STREET = (
    r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Court|Ct|Place|Pl|Crescent|Gardens|Terrace|Grove|"
    r"Hill|Park|Square|Row|Walk|Mews|View|Rise"
)
_ADDRESS = re.compile(rf"\b\d{{1,4}}[A-Za-z]?,? (?:[A-Z][a-z'-]{{1,20}} ){{1,3}}(?:{_STREET})\b")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}})"
)
_BIRTH = re.compile(
    rf"\b(?:born(?: on)?|d\.?o\.?b\.?|date of birth|birthday(?: is| was)?)[: ]{{0,3}}({_DATE})", re.IGNORECASE
)
_NAME_WORD = r"(?:[A-Z][a-z]{0,20}[-'’][A-Z][a-z]{1,20}|[A-Z][a-z]{1,20})"
_NAME = re.compile(rf"\b(?:(?:Mr|Mrs|Ms|Miss|Dr)\.? {_NAME_WORD}|{_NAME_WORD}(?: {_NAME_WORD}){{1,2}})\b")
_NOT_A_NAME_TEXT = (
    "what when where who whom why how was were did does do is are the a an in on at for which can could should "
    "would has have had tell list show give find please child children young person baby infant sibling mother "
    "father mum dad social care services service police school hospital health council partnership board "
    "review reviews team trust court department primary academy safeguarding agency agencies early help "
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday england wales scotland ireland british english"
)
_NOT_A_NAME = frozenset(_NOT_A_NAME_TEXT.split())


@dataclass(frozen=True)
class PersonalSpan:
    """One stretch of likely personal data: what kind, and where it sits in the question."""

    kind: str  # date_of_birth | address | postcode | phone | nhs_number | name
    start: int
    end: int


def find_personal_data(text: str) -> list[PersonalSpan]:
    """Spans of likely personal data, in order, none overlapping (the first kind found at a place wins)."""
    found: list[PersonalSpan] = []
    for match in _NHS.finditer(text):
        if _nhs_checksum_ok("".join(match.groups())):
            found.append(PersonalSpan("nhs_number", match.start(), match.end()))
    found += [PersonalSpan("phone", m.start(), m.end()) for m in _PHONE.finditer(text)]
    found += [PersonalSpan("date_of_birth", m.start(1), m.end(1)) for m in _BIRTH.finditer(text)]
    found += [PersonalSpan("address", m.start(), m.end()) for m in _ADDRESS.finditer(text)]
    found += [PersonalSpan("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text)]
    found += [span for m in _NAME.finditer(text) if (span := _name_span(m))]
    kept: list[PersonalSpan] = []
    taken = bytearray(len(text))  # one pass over each span: the check stays linear however many spans there are
    for span in found:  # in order of confidence; later kinds give way where they overlap
        if not any(taken[span.start : span.end]):
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def redact(text: str, spans: list[PersonalSpan]) -> str:
    """The text with each span replaced by its kind in brackets, e.g. '[phone]'."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        out += [text[last : span.start], f"[{span.kind}]"]
        last = span.end
    return "".join([*out, text[last:]])


def describe(spans: list[PersonalSpan]) -> str:
    """The kinds found, for a warning that does not repeat the data: 'a name and a phone number'."""
    kinds = list(dict.fromkeys(s.kind.replace("_", " ") for s in spans))
    words = [("an " if k[0] in "aeiou" else "a ") + k for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def remote_llm_host(settings: Settings) -> str | None:
    """The host a question is sent to when the answerer is a language model on another machine, else None."""
    if settings.answerer not in (Answerer.OPENAI, Answerer.OLLAMA):
        return None
    default = "api.openai.com" if settings.answerer == Answerer.OPENAI else "localhost"
    host = urlsplit(settings.llm_base_url or "").hostname or default
    local = host in ("localhost", "::1") or host.startswith("127.")
    return None if local else host


def _nhs_checksum_ok(digits: str) -> bool:
    """NHS numbers end in a modulus-11 check digit over the first nine, weighted 10 down to 2."""
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    return check != 10 and (check % 11) == int(digits[9])


def _name_span(match: re.Match[str]) -> PersonalSpan | None:
    """The match without leading or trailing words that are not names ('Was Jane Smith' -> 'Jane Smith')."""
    words = [(w.start(), w.end(), w.group(0)) for w in re.finditer(r"[^ .]+", match.group(0))]
    if words[0][2] in ("Mr", "Mrs", "Ms", "Miss", "Dr"):
        return PersonalSpan("name", match.start(), match.end())
    names = [w for w in words if w[2].lower() not in _NOT_A_NAME]
    consecutive = bool(names) and words.index(names[-1]) - words.index(names[0]) + 1 == len(names)
    if len(names) < 2 or not consecutive:
        return None
    return PersonalSpan("name", match.start() + names[0][0], match.start() + names[-1][1])
