"""The types of review a question can name ("the rapid reviews", "the Scottish SCRs", "the neglect thematic review"),
read the same way wherever a question is read, and whether a review is of the type named."""

from __future__ import annotations

import re
from collections.abc import Mapping

from core.models import ReviewMeta

# The words before "review" that name a type of review in a question ("the rapid reviews", "the neglect thematic
# review"); `REVIEW_TYPES` below reads which type.
TYPE_WORDS = (
    r"(?:thematic|rapid|serious case|significant case|initial case|case management|learning|child practice|practice"
    r"|national)"
)
REVIEW_TYPES = (
    ("thematic review", re.compile(r"\bthematic reviews?\b", re.I)),
    ("rapid review", re.compile(r"\brapid reviews?\b", re.I)),
    ("significant case review", re.compile(r"\bsignificant case reviews?\b", re.I)),  # Scotland's
    ("initial case review", re.compile(r"(?i:\binitial case reviews?\b)|\bICRs?\b")),
    ("case management review", re.compile(r"(?i:\bcase management reviews?\b)|\bCMRs?\b")),  # Northern Ireland's
    ("serious case review", re.compile(r"\bserious case reviews?\b|\bSCRs?\b")),
    ("learning review", re.compile(r"\blearning reviews?\b", re.I)),
    ("national review", re.compile(r"\bnational reviews?\b", re.I)),  # the national panel's
    ("child practice review", re.compile(r"\bchild practice reviews?\b", re.I)),  # Wales's
    ("practice review", re.compile(r"\bpractice reviews?\b|\bL?CSPRs?\b", re.I)),
)


def type_named(text: str) -> str:
    """The type of review a question names ("rapid review"), the first of REVIEW_TYPES it holds; '' when none."""
    return next((name for name, pattern in REVIEW_TYPES if pattern.search(text)), "")


# Types of review a question names that cover another: England's serious case reviews and Scotland's significant
# case reviews are both "SCRs", and a practitioner asking for one of them means either.
_ALSO = {"serious case review": ("significant case review",), "significant case review": ("serious case review",)}


def of_type(meta: ReviewMeta, review_type: str) -> bool:
    """Whether a review is of the type a question names ("practice review" covers "local child safeguarding
    practice review"; "serious case review" a Scottish significant case review)."""
    own = meta.review_type or ""
    return any(name in own for name in (review_type, *_ALSO.get(review_type, ())))


def without_types(text: str, standing_for: str = " ") -> str:
    """The text without the names of review types it holds ("the learning reviews" names no learning), each
    replaced by `standing_for`."""
    for _, pattern in REVIEW_TYPES:
        text = pattern.sub(standing_for, text)
    return text


def type_not_held(review_type: str, index: Mapping[str, ReviewMeta]) -> str:
    """The type of review a question names when the index holds none of it ("What did the rapid reviews
    recommend?" of a corpus without one), else ''."""
    if not review_type or not index or any(of_type(meta, review_type) for meta in index.values()):
        return ""
    return review_type
