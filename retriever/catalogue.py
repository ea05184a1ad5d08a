"""Questions about the collection itself ("How many reviews are there?", "Which reviews are rapid reviews?",
"Which reviews did the Harrowfield partnership publish?", "Which review is the most recent?"), answered from the
index's catalogue: the title, type, partnership, year and author read from each review at ingest, not from passages that
happen to use the words ("A rapid review was held within 15 working days" is not a rapid review)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from core.models import ReviewMeta
from retriever.review_types import of_type

# A question about the reviews of the collection, and the words it may use besides naming a type, a partnership
# or a year (general English; any other content word makes it a question about what reviews say).
COLLECTION = re.compile(
    r"\b(?:how many|which|what|list|name|show|give)\b(?:\s+[\w-]+){0,3}?\s+reviews?\b|\bcollection\b"
    r"|\b(?:when (?:was|were|did)|who|(?:which|what) (?:partnership|year))\b[^?]{0,80}?\bpublish"  # of one review
    r"|\bwho\b[^?]{0,80}?\b(?:wrote|written|authored|author|reviewer)\b",
    re.I,
)
COLLECTION_WORDS = frozenset(
    {
        "review", "reviews", "collection", "corpus", "published", "publish", "publishes", "recent", "latest",
        "newest", "oldest", "earliest", "year", "years", "partnership", "partnerships", "hold", "holds", "held",
        "contain", "contains", "list", "type", "types", "name", "names", "carried", "written", "wrote", "write",
        "authored", "author", "authors", "reviewer", "reviewers", "independent", "lead", "all", "every", "show",
        "give", "me", "our",
    }
)  # fmt: skip
_AUTHORSHIP = re.compile(r"\b(?:wrote|written|write|authored|authors?|reviewers?)\b", re.I)
_BODY_WORDS = frozenset({"safeguarding", "children", "child", "local", "regional", "community", "multi-agency",
                         "partnership", "board", "public", "protection", "committee"})  # fmt: skip
_LATEST = re.compile(r"\b(?:most recent|latest|newest)\b", re.I)
_EARLIEST = re.compile(r"\b(?:oldest|earliest)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CAPITALISED = re.compile(r"\b[A-Z][\w'-]{2,}")
MAX_LISTED = 50  # reviews listed by title; the rest are counted


def collection_reviews(text: str, index: Mapping[str, ReviewMeta], named: Sequence[str], review_type: str) -> list[str]:
    """The ids of the reviews the question selects from the catalogue, newest first: those it names (by a child,
    title or partnership word), of a partnership a capitalised word of it names, of the type and the year it
    names, and the newest or oldest of them."""
    chosen = [r for r in index if not named or r in named]
    words = {w.lower() for w in _CAPITALISED.findall(text)}  # "the Westfold partnership": its reviews
    by_partner = [{r for r in chosen if w in (index[r].partnership or "").lower().split()} for w in words]
    for partners in (p for p in by_partner if 0 < len(p) < len(chosen)):
        chosen = [r for r in chosen if r in partners]
    if review_type:
        chosen = [r for r in chosen if of_type(index[r], review_type)]
    if years := {int(y) for y in _YEAR.findall(text)}:
        chosen = [r for r in chosen if index[r].year in years]
    dated = [year for r in chosen if (year := index[r].year) is not None]
    latest = _LATEST.search(text) is not None
    if dated and (latest or _EARLIEST.search(text)):
        wanted = max(dated) if latest else min(dated)
        chosen = [r for r in chosen if index[r].year == wanted]
    return sorted(chosen, key=lambda r: (-(index[r].year or 0), index[r].title))


def collection_text(
    index: Mapping[str, ReviewMeta], chosen: Sequence[str], authorship: bool = False, named: bool = False
) -> str:
    """The answer: how many of the collection's reviews the question selects, and each by title, type,
    partnership, year and author; `authorship`: the question asks who wrote them, so a review naming no author
    says so; `named`: the question named the review ("When was the Child D review published?"), which is
    described alone, not counted against the collection."""
    total = len(index)
    if named and len(chosen) == 1:
        return f"{_described(index[chosen[0]], authorship)}."
    if len(chosen) == total:
        opening = f"The collection holds {total} review{'s' if total != 1 else ''}:"
    elif not chosen:
        return f"None of the {total} reviews in the collection matches (by the type, partnership and year of each)."
    else:
        match = "matches" if len(chosen) == 1 else "match"
        opening = f"{len(chosen)} of the {total} reviews in the collection {match} (by the type, partnership and year"
        opening += " of each):"
    lines = [f"- {_described(index[r], authorship)}" for r in chosen[:MAX_LISTED]]
    if len(chosen) > MAX_LISTED:
        lines.append(f"- … and {len(chosen) - MAX_LISTED} more.")
    return "\n".join([opening, *lines])


def subject_name(index: Mapping[str, ReviewMeta], review_id: str) -> str | None:
    """The child a review is about, when it is about one (a review of several is named by its title); where
    other reviews are about a child of the same name, with its partnership's place, and its year when that
    is shared too ("Northby Child A"), so that "the Northby Child A review" tells the reader which."""
    meta = index.get(review_id)
    if not meta or len(meta.subjects) != 1:
        return None
    name = meta.subjects[0].name
    namesakes = [m for m in index.values() if len(m.subjects) == 1 and m.subjects[0].name == name]
    if len(namesakes) < 2:
        return name
    place = place_of(meta.partnership)
    same_place = [m for m in namesakes if place_of(m.partnership) == place]
    qualifier = place if len(same_place) < 2 or not meta.year else f"{place} {meta.year}".strip()
    return f"{qualifier or meta.year or ''} {name}".strip()


def place_of(partnership: str | None) -> str:
    """The place a partnership is named for ("Northby" of "Northby Safeguarding Children Partnership"): its words
    before the first that names the kind of body, or after it when it names its place last ("Safeguarding Board
    for Northern Ireland"); '' without one."""
    words: list[str] = []
    for word in (partnership or "").split():
        if word.lower().removesuffix("'s").removesuffix("\u2019s") in _BODY_WORDS:
            break
        words.append(word)
    return " ".join(words) or (partnership or "").partition(" for ")[2]


def _described(meta: ReviewMeta, authorship: bool) -> str:
    details = [d for d in (meta.review_type, meta.partnership, str(meta.year) if meta.year else "") if d]
    described = f"{meta.title} ({', '.join(details)})" if details else meta.title
    if meta.author:
        return f"{described}, by {meta.author}"
    return f"{described}; it does not name its author" if authorship else described


def asks_authorship(text: str) -> bool:
    """Whether a question about the collection asks who wrote a review."""
    return _AUTHORSHIP.search(text) is not None
