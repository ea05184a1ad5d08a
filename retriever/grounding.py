"""Decide whether the evidence can answer the question at all, before any answer is written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.catalog import Catalog, query_terms
from retriever.rewrite import SUBJECT_PATTERN

# Calibrated on the seed gold set (evals/calibrate.py): below this best-sentence score the corpus does not answer.
MIN_SUPPORT = 0.42
# A question naming something the corpus never mentions needs a much closer match to be answered.
MIN_SUPPORT_UNKNOWN_NAME = 0.60
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
            listed = ", ".join(sorted(subjects)) or "no named children"
            return Grounding(f"The reviews in this corpus do not cover {match.group(0)}; they cover {listed}.")
    stems = set(query_terms(question))
    words = [w.removesuffix("'s") for w in _WORD.findall(question)[1:]]  # the first word is capitalised anyway
    names = [w for w in words if w[:1].isupper() and w[1:].islower() and len(w) > 2]
    unknown = tuple(w for w in dict.fromkeys(names) if w.lower() in stems and not catalog.mentions(w.lower()))
    return Grounding(unknown_names=unknown)


def abstention_text(question: str, grounding: Grounding) -> str:
    """The plain statement shown when the corpus does not answer."""
    if grounding.reason:
        return grounding.reason
    if grounding.unknown_names:
        return f"The reviews in this corpus do not mention {', '.join(grounding.unknown_names)}, " \
               "and do not answer this question. The closest sections are listed below."
    return "The reviews in this corpus do not say. The closest sections are listed below; check them before relying on this."
