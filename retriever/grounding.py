"""Decide whether the evidence can answer the question at all, before any answer is written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.catalog import Catalog, query_terms
from ingest.themes import Theme
from retriever.rewrite import SUBJECT_PATTERN

# Calibrated on the seed gold set (evals/calibrate_abstention.py): below this best-sentence score
# the corpus does not answer the question.
MIN_SUPPORT = 0.39
# A question naming something the corpus never mentions needs a much closer match to be answered.
MIN_SUPPORT_UNKNOWN_NAME = 0.60
MAX_NAMES_LISTED = 12
_WORD = re.compile(r"[A-Za-z][\w'-]*")


@dataclass(frozen=True)
class Grounding:
    """Why a question cannot be answered from the corpus (empty `reason` means it may be)."""

    reason: str = ""
    unknown_names: tuple[str, ...] = ()


def check_names(question: str, subjects: Sequence[str], catalog: Catalog) -> Grounding:
    """Children named but not reviewed here, and capitalised names the corpus never mentions."""
    known = {s.lower() for s in subjects}
    for match in SUBJECT_PATTERN.finditer(question):
        if match.group(0).lower() not in known:
            names = sorted(subjects)
            listed = ", ".join(names[:MAX_NAMES_LISTED]) or "no named children"
            if len(names) > MAX_NAMES_LISTED:
                listed += f" and {len(names) - MAX_NAMES_LISTED} others"
            return Grounding(f"The reviews in this corpus do not cover {match.group(0)}; they cover {listed}.")
    stems = set(query_terms(question))
    words = [w.removesuffix("'s") for w in _WORD.findall(question)[1:]]  # the first word is capitalised anyway
    names = [w for w in words if w[:1].isupper() and w[1:].islower() and len(w) > 2]
    unknown = tuple(w for w in dict.fromkeys(names) if w.lower() in stems and not catalog.mentions(w.lower()))
    return Grounding(unknown_names=unknown)


_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# (what the question asks for, how to recognise it in the question, how to recognise an answer in the evidence)
ANSWER_TYPES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "a date",
        re.compile(r"\b(?:what|which|exact) (?:exact )?(?:date|day)\b|\bwhen exactly\b", re.I),
        re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}\b|\b{_MONTH} \d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"),
    ),
    (
        "an age",
        re.compile(r"\bhow old\b|\b(?:what|which) age\b", re.I),
        re.compile(r"\b(?:aged?|age of)\s+\w+|\b\w+[\s-]+years?[\s-]+old\b", re.I),
    ),
    (
        "a name",
        re.compile(r"\bname of\b|\bwhat (?:was|is|were) (?:\w+ ){0,4}called\b|\bnamed?\b\?", re.I),
        re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z]|\b[A-Z][a-z]+ (?:School|Academy|College|Hospital|Council|Trust)\b"
        ),
    ),
    (
        "a place",
        re.compile(
            r"\bwhich (?:town|city|area|county|borough|region|local authority|council)\b|"
            r"\bwhere did (?:\w+ ){1,4}live\b|\bwhat (?:town|city|area)\b",
            re.I,
        ),
        re.compile(
            r"\b[A-Z][a-z]+(?:shire| Borough| County| City| Council)\b|\b(?:in|from) (?!the\b|UK\b)[A-Z][a-z]{3,}\b"
        ),
    ),
)
_WHO_THE = re.compile(r"\bwho (?:was|were|is|are) the (\w+)", re.I)


def missing_answer(question: str, absent_themes: Sequence[Theme], evidence_text: str, best_unit: str) -> str:
    """Why the evidence cannot hold the answer: the fact type asked for, or a topic the corpus never mentions."""
    for kind, asks, answer in ANSWER_TYPES:
        if asks.search(question) and not answer.search(best_unit if kind in ("an age",) else evidence_text):
            return f"The reviews in this corpus do not give {kind} for this."
    match = _WHO_THE.search(question)
    if match and match.group(1).lower()[:5] not in evidence_text.lower():
        return f"The reviews in this corpus do not say who the {match.group(1)} was."
    if absent_themes:
        return f"The reviews in this corpus do not mention {' or '.join(t.name for t in absent_themes)}."
    return ""


def absent_themes(question: str, themes: Sequence[Theme], catalog: Catalog) -> list[Theme]:
    """Themes the question raises (by the cue words it uses) that no review in the corpus mentions at all."""
    asked = [t for t in themes if t.pattern.search(question)]
    return [t for t in asked if not any(catalog.mentions(cue) for cue in t.cues)]


def abstention_text(question: str, grounding: Grounding) -> str:
    """The plain statement shown when the corpus does not answer."""
    if grounding.reason:
        return f"{grounding.reason} The closest sections are listed below."
    if grounding.unknown_names:
        return (
            f"The reviews in this corpus do not mention {', '.join(grounding.unknown_names)}, "
            "and do not answer this question. The closest sections are listed below."
        )
    return (
        "The reviews in this corpus do not answer this question. "
        "The closest sections are listed below; check them before relying on them."
    )
