"""How gold strings are matched against answers, quotes and review text: whitespace- and case-insensitive."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ingest.catalog import query_terms

# Typographic quotes and dashes count as their plain forms, so a gold author need not copy them exactly.
_PLAIN = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
MARKER = re.compile(r"\s*\[\d{1,3}\]")
_TOKEN = re.compile(r"\w+")
_ARTICLES = frozenset({"a", "an", "the"})


def _fold(char: str) -> str:
    char = _PLAIN.get(char, char)
    lower = char.lower()
    return lower if len(lower) == 1 else char  # keep one character per character, so offsets map back


@lru_cache(maxsize=64)
def normalise_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """Lower-cased text with every run of whitespace as one space (none at the ends), and each character's
    offset in the original text."""
    out: list[str] = []
    offsets: list[int] = []
    space_at = -1
    for i, char in enumerate(text):
        if char.isspace():
            if out and space_at < 0:
                space_at = i
            continue
        if space_at >= 0:
            out.append(" ")
            offsets.append(space_at)
            space_at = -1
        out.append(_fold(char))
        offsets.append(i)
    return "".join(out), tuple(offsets)


def normalise(text: str) -> str:
    """The form gold strings are compared in: lower case, single spaces, plain quotes and dashes."""
    return normalise_with_offsets(text)[0]


def contains(haystack: str, needle: str) -> bool:
    """Whether the needle occurs in the haystack once both are normalised (an empty needle never does)."""
    folded = normalise(needle)
    return bool(folded) and folded in normalise(haystack)


def any_in(haystack: str, alternatives: Sequence[str]) -> bool:
    """Whether any alternative occurs in the haystack."""
    return any(contains(haystack, a) for a in alternatives)


def find_spans(needle: str, text: str) -> list[tuple[int, int]]:
    """Every (start, end) in the original text where the normalised needle occurs in the normalised text."""
    folded = normalise(needle)
    if not folded:
        return []
    norm, offsets = normalise_with_offsets(text)
    spans = []
    at = norm.find(folded)
    while at >= 0:
        spans.append((offsets[at], offsets[at + len(folded) - 1] + 1))
        at = norm.find(folded, at + 1)
    return spans


def strip_markers(text: str) -> str:
    """The text without `[n]` citation markers."""
    return MARKER.sub("", text)


def answer_tokens(text: str) -> list[str]:
    """Tokens for token F1 (the SQuAD convention): lower-cased words without punctuation or articles."""
    return [t for t in _TOKEN.findall(strip_markers(text).lower()) if t not in _ARTICLES]


def stem(word: str) -> str:
    """A crude stem, enough to match 'referrals' with 'referral' and 'parent's' with 'parent'."""
    word = word.lower().removesuffix("'s")
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Stemmed content words (no stopwords) of a text."""
    return {stem(w) for w in query_terms(text)}
