"""The words each review uses, to tell whether a question's words occur in the reviews it is about.

Words are compared by a prefix that keeps most of the word ("interpre" for "interpreter" meets "interpreting",
"missi" for "missing" does not meet "missed"), which separates what stemming conflates. Rebuilt when an ingest
changes the index (its build stamp), so a running app never checks against an old corpus.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

from ingest.catalog import Catalog

_WORD = re.compile(r"[a-z][a-z']*")
_LETTERS = re.compile(r"[A-Za-z]+")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
MIN_SPELLED_OUT = 2  # times the reviews must use a phrase before it is read as what an acronym stands for
MIN_PREFIX = 5
MIN_ROOT = 4  # a text word this long that begins the question's word is its root ("band" / "banded")
SUFFIX_ROOM = 3  # letters a word may differ by at its end ("interpreter" / "interpreting")
ROOT_ROOM = 2  # letters a question's word may add to a root ("banded"), not more ("missing" is not "miss")
# Everyday words for family members and children that reviews write formally: asking about a child's "mum" is
# asking about the mother the review describes. General English, not any review's wording.
EVERYDAY = {
    "mum": "mother", "mam": "mother", "mom": "mother", "dad": "father", "lad": "boy", "lass": "girl",
    "kid": "child", "kids": "children", "nan": "grandmother", "gran": "grandmother", "grandad": "grandfather",
    "grandpa": "grandfather", "baby": "infant", "teen": "teenager", "telly": "television",
}  # fmt: skip
# Acronyms practitioners across children's services type for the services and roles reviews name in full (the
# youth offending team is now often "youth justice"). Sector usage, not any review's wording; an acronym a
# corpus writes out itself is read from the corpus (`Vocabulary.spelled_out`).
SECTOR_ACRONYMS = {
    "YOT": "youth offending team youth justice", "YOS": "youth offending service youth justice",
    "CSC": "children's social care", "HV": "health visitor", "SW": "social worker",
    "DSL": "designated safeguarding lead", "CIN": "child in need", "CP": "child protection",
    "LAC": "looked after child", "CLA": "child looked after", "ED": "emergency department",
    "CAMHS": "child and adolescent mental health services", "EHCP": "education, health and care plan",
    "MASH": "multi-agency safeguarding hub", "NRM": "national referral mechanism",
}  # fmt: skip


def formal(text: str) -> str:
    """The text with the formal words after each everyday word or sector acronym ("the lad" -> "the lad boy",
    "YOT" -> "YOT youth offending team youth justice"), for searching reviews written formally with questions
    asked in everyday words."""
    return _LETTERS.sub(_with_formal, text)


def _with_formal(match: re.Match[str]) -> str:
    word = match.group(0)
    formal_words = SECTOR_ACRONYMS.get(word) or EVERYDAY.get(word.lower())
    return f"{word} {formal_words}" if formal_words else word


class Vocabulary:
    """Sorted word lists of every review in one index."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._built: str | None = None
        self._words: dict[str, list[str]] = {}
        self._texts: dict[str, str] = {}
        self._spelled: dict[str, str] = {}

    def uses(self, word: str, review_ids: Sequence[str] = ()) -> bool:
        """Whether any of the reviews (all, when none are given) uses the word or a close form of it."""
        words = self._current()
        return any(_uses(words.get(r, []), word) for r in review_ids or list(words))

    def says(self, phrase: str, review_ids: Sequence[str] = ()) -> bool:
        """Whether any of the reviews (all, when none are given) has the words of the phrase together, in order
        (each word may take an ending: "youth offending teams")."""
        self._current()
        words = [re.escape(w) for w in _WORD.findall(phrase.lower())]
        if not words:
            return True
        pattern = re.compile(r"\b" + r"[a-z']{0,3}[\s-]+".join(words) + r"[a-z']{0,3}\b")
        return any(pattern.search(self._texts.get(r, "")) for r in review_ids or list(self._texts))

    def share(self, word: str) -> float:
        """The share of the index's reviews that use the word (0.0: none does)."""
        words = self._current()
        return sum(_uses(listed, word) for listed in words.values()) / len(words) if words else 0.0

    def spelled_out(self, text: str) -> str:
        """The text with each acronym the reviews never use but write out in full followed by those words, so that
        "the DSL" finds a review's "designated safeguarding lead"; the phrase is the one the reviews use most often
        (at least MIN_SPELLED_OUT times) whose words begin with the acronym's letters."""

        def spell(match: re.Match[str]) -> str:
            phrase = self._phrase_for(match.group(0))
            return f"{match.group(0)} ({phrase})" if phrase else match.group(0)

        return _ACRONYM.sub(spell, text)

    def _phrase_for(self, acronym: str) -> str:
        words_of = self._current()
        if acronym not in self._spelled and any(_has(listed, acronym.lower()) for listed in words_of.values()):
            self._spelled[acronym] = ""  # the reviews use the acronym itself: it finds them as it is
        if acronym not in self._spelled:
            words = r"\s+".join(f"{re.escape(letter)}[a-z'-]*" for letter in acronym.lower())
            pattern = re.compile(rf"\b{words}\b")
            counts = Counter(" ".join(m.split()) for text in self._texts.values() for m in pattern.findall(text))
            ranked = counts.most_common(2)
            clear = ranked and ranked[0][1] >= MIN_SPELLED_OUT and (len(ranked) == 1 or ranked[1][1] < ranked[0][1])
            self._spelled[acronym] = ranked[0][0] if clear else ""
        return self._spelled[acronym]

    def _current(self) -> dict[str, list[str]]:
        built = self.catalog.get_meta("built_at")
        if built != self._built or not self._words:
            self._texts = {review.review_id: review.text.lower() for review in self.catalog.reviews()}
            self._words = {review_id: sorted(set(_WORD.findall(text))) for review_id, text in self._texts.items()}
            self._spelled = {}
            self._built = built
        return self._words


def _uses(listed: list[str], word: str) -> bool:
    """Whether a review's sorted word list holds the word, or the formal word for an everyday one."""
    word = word.lower()
    return _has(listed, word) or (word in EVERYDAY and _has(listed, EVERYDAY[word]))


def _has(listed: list[str], word: str) -> bool:
    """Whether a sorted word list holds the word, a longer form of it, or its root."""
    prefix = word[: max(MIN_PREFIX, len(word) - SUFFIX_ROOM)]
    at = bisect.bisect_left(listed, prefix)
    if at < len(listed) and listed[at].startswith(prefix):
        return True
    for size in range(max(MIN_ROOT, len(word) - ROOT_ROOM), min(len(word), MIN_PREFIX) + 1):  # short roots
        at = bisect.bisect_left(listed, word[:size])
        if at < len(listed) and listed[at] == word[:size]:
            return True
    return False
