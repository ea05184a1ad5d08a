"""The words each review uses, to tell whether a question's words occur in the reviews it is about.

Words are compared by a prefix that keeps most of the word ("interpre" for "interpreter" meets "interpreting",
"missi" for "missing" does not meet "missed"), which separates what stemming conflates. Rebuilt when an ingest
changes the index (its build stamp), so a running app never checks against an old corpus.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ingest.catalog import Catalog

_WORD = re.compile(r"[a-z][a-z']*")
_LETTERS = re.compile(r"[A-Za-z]+")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_TYPED_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")  # a word as typed (not an acronym)
_PLURAL_ACRONYM = re.compile(r"\b([A-Z]{2,6})s\b")
SAYS_GAP = 3  # words that may come between two words of a phrase the reviews are asked whether they say
MIN_SPELLED_OUT = 2  # times the reviews must use a phrase before it is read as what an acronym stands for
MAX_ACRONYMS = 5  # read per question: each new one is a pass over the corpus's text (then kept until it changes)
MIN_PREFIX = 5
# Shorter words one letter from a review's word are as likely other words ("scared", "shared"; "taking",
# "talking"); a shorter misspelling is mostly still found by its first letters ("admited", "happend").
MIN_RESPELT = 8
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
# Forms of a word that share no prefix with it (English irregular derivation): a review writing "the death of
# Infant P" says that Infant P died. General English, not any review's wording.
IRREGULAR_FORMS = {
    "die": ("death", "dead"), "died": ("death", "dead"), "dies": ("death", "dead"), "dying": ("death", "dead"),
    "dead": ("death", "died"), "death": ("died", "dead"), "deaths": ("died", "dead"),
    "born": ("birth",), "birth": ("born",),
}  # fmt: skip
# Acronyms practitioners across children's services type for the services and roles reviews name in full (the
# youth offending team is now often "youth justice"). Sector usage, not any review's wording; an acronym a
# corpus writes out itself is read from the corpus (`Vocabulary.spelled_out`).
SECTOR_ACRONYMS = {
    "YOT": ("youth offending team", "youth justice"), "YOS": ("youth offending service", "youth justice"),
    "CSC": ("children's social care",), "HV": ("health visitor",), "SW": ("social worker",),
    "DSL": ("designated safeguarding lead",), "CIN": ("child in need",), "CP": ("child protection",),
    "LAC": ("looked after child",), "CLA": ("child looked after",), "ED": ("emergency department",),
    "CAMHS": ("child and adolescent mental health services",), "EHCP": ("education, health and care", "ehc"),
    "MASH": ("multi-agency safeguarding hub",), "NRM": ("national referral mechanism",),
    "PSNI": ("police service of northern ireland", "police"),
}  # fmt: skip
# The other way: a review writing a sector acronym uses the words it stands for ("PSNI": "police"), so a question
# asking about "the police" of a review naming only "the PSNI" is not told the review never mentions them.
_ACRONYMS_SAYING = [(acronym.lower(), [p.split() for p in phrases]) for acronym, phrases in SECTOR_ACRONYMS.items()]
_ACRONYM_FOR_WORD = {p: a for a, phrases in SECTOR_ACRONYMS.items() for p in phrases if " " not in p}  # "police"


def phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """A pattern finding the words of a phrase in lower-case text as `Vocabulary.says` counts them said: close
    together, in its order or the reverse, each in any form keeping most of it; None for a phrase of no words."""
    singular = [w[:-1] if w.endswith("s") and len(w) > MIN_PREFIX - 1 else w for w in _WORD.findall(phrase.lower())]
    words = [re.escape(w[: max(MIN_PREFIX, len(w) - SUFFIX_ROOM)]) for w in singular]  # "lines" said by "line"
    if not words:
        return None
    gap = rf"[a-z']*(?:[^a-z']+[a-z']+){{0,{SAYS_GAP}}}?[^a-z']+"
    orders = {gap.join(words), gap.join(reversed(words))}
    return re.compile(r"\b(?:" + "|".join(orders) + r")[a-z']*\b")


def formal(text: str) -> str:
    """The text with the formal words after each everyday word or sector acronym ("the lad" -> "the lad boy",
    "YOT" -> "YOT youth offending team youth justice"), the acronym after a word one stands for ("police" -> "police
    PSNI"), and the irregular forms after a word ("died" -> "died death dead"), for searching reviews written
    formally with questions asked in everyday words."""
    return _LETTERS.sub(_with_formal, text)


def singular_acronyms(text: str) -> str:
    """The text with each plural acronym written as the acronym ("GPs" -> "GP"): reviews write "the GP" and "GP
    practices" as often as "GPs", and the plural's last letter hides it from every word match."""
    return _PLURAL_ACRONYM.sub(r"\1", text)


def _with_formal(match: re.Match[str]) -> str:
    word = match.group(0)
    formal_words = (
        " ".join(SECTOR_ACRONYMS.get(word, ()))
        or _ACRONYM_FOR_WORD.get(word.lower())
        or EVERYDAY.get(word.lower())
        or " ".join(IRREGULAR_FORMS.get(word.lower(), ()))
    )
    return f"{word} {formal_words}" if formal_words else word


class Vocabulary:
    """Every word of every review in one index, with the reviews that use each: whether a review uses a word is
    then a look-up of the words it could be (one range of the sorted list, and its roots) and of their reviews,
    not a pass over every review's own list (which took ~70 ms a word at 10k reviews)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._built: str | None = None
        self._number: dict[str, int] = {}  # review id -> its number
        self._words: list[str] = []  # every word any review uses, sorted
        # the numbers of the reviews using word n: holders[starts[n] : starts[n + 1]]
        self._starts = np.zeros(1, dtype=np.int64)
        self._holders = np.zeros(0, dtype=np.int32)
        self._text = ""  # every review's text, lower-cased, NUL between them
        self._spans: list[tuple[int, int]] = []  # where review n's text is in it
        self._spelled: dict[str, str] = {}
        self._written_out: dict[str, np.ndarray] = {}  # sector acronym -> the reviews writing it out

    def uses(self, word: str, review_ids: Sequence[str] = ()) -> bool:
        """Whether any of the reviews (all, when none are given) uses the word or a close form of it."""
        holders = self._users_of(_with_formal_word(word))
        if not review_ids:
            return bool(len(holders))
        return bool(np.isin(holders, self._numbers(review_ids)).any())

    def _numbers(self, review_ids: Sequence[str]) -> list[int]:
        return [self._number[r] for r in review_ids if r in self._number]

    def says(self, phrase: str, review_ids: Sequence[str] = ()) -> bool:
        """Whether any of the reviews (all, when none are given) has the words of the phrase close together, in its
        order or the reverse, each in any form that keeps most of it (as `uses` compares words: "youth offending
        teams", "sexually exploited" said by "sexual exploitation"), with at most SAYS_GAP words between two ("a
        crime recorded" is said by "recorded as a crime")."""
        self._current()
        pattern = phrase_pattern(phrase)
        if pattern is None:
            return True
        said = _WORD.findall(phrase.lower())
        standing_for = self._acronyms_holding(said)
        if len(said) == 1 and said[0].upper() in SECTOR_ACRONYMS:  # "EHCP" said by "EHC needs assessment"
            standing_for = np.concatenate([standing_for, self._saying(said[0].upper())])
        if len(standing_for) and (not review_ids or np.isin(standing_for, self._numbers(review_ids)).any()):
            return True  # "youth offending team" said by "YOT"
        if not review_ids:
            return pattern.search(self._text) is not None
        spans = [self._spans[self._number[r]] for r in review_ids if r in self._number]
        return any(pattern.search(self._text, start, end) for start, end in spans)

    def share(self, word: str) -> float:
        """The share of the index's reviews that use the word (0.0: none does)."""
        users = self.users(word)
        return users / len(self._number) if self._number else 0.0

    def users(self, word: str) -> int:
        """How many of the index's reviews use the word or a close form of it."""
        return len(self._users_of(_with_formal_word(word)))

    def reviews_using(self, word: str) -> list[str]:
        """The ids of the index's reviews that use the word or a close form of it."""
        numbers = set(self._users_of(_with_formal_word(word)).tolist())
        return [review_id for review_id, n in self._number.items() if n in numbers]

    def respelled(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """The text with each lower-case word (or first word) of MIN_RESPELT letters or more that no review uses, in
        any form, but that is one letter away from a word the reviews use ("recomendations", "admited") written as
        that word (the one most reviews use); and the (typed, read as) pairs. A capitalised word within the text is
        left alone: it may name a child the reviews do not cover."""
        self._current()
        changes: list[tuple[str, str]] = []

        def respell(match: re.Match[str]) -> str:
            typed = match.group(0)
            word = typed.lower()
            if typed != word and match.start() > 0:
                return typed  # a capitalised word within the question may be a name the reviews do not hold
            if len(word) < MIN_RESPELT or word in EVERYDAY or len(self._holders_of((word,))):
                return typed
            counts = {w: n for w in _one_letter_away(word) if (n := self._holder_count(w))}
            if not counts:
                return typed
            best = max(sorted(counts), key=counts.__getitem__)
            changes.append((typed, best))
            return best.capitalize() if typed[:1].isupper() else best

        return _TYPED_WORD.sub(respell, text), changes

    def _holder_count(self, word: str) -> int:
        """How many reviews use exactly this word (0: none)."""
        n = self._exact(word)
        return int(self._starts[n + 1] - self._starts[n]) if n >= 0 else 0

    def spelled_out(self, text: str) -> str:
        """The text with each acronym the reviews never use but write out in full followed by those words, so that
        "the DSL" finds a review's "designated safeguarding lead"; the phrase is the one the reviews use most often
        (at least MIN_SPELLED_OUT times) whose words begin with the acronym's letters."""

        def spell(match: re.Match[str]) -> str:
            phrase = self._phrase_for(match.group(0))
            return f"{match.group(0)} ({phrase})" if phrase else match.group(0)

        return _ACRONYM.sub(spell, text, count=MAX_ACRONYMS)

    def _phrase_for(self, acronym: str) -> str:
        self._current()
        if acronym not in self._spelled and len(self._holders_of((acronym.lower(),))):
            self._spelled[acronym] = ""  # the reviews use the acronym itself: it finds them as it is
        if acronym not in self._spelled:
            first, *rest = (re.escape(letter) for letter in acronym.lower())
            # "\bl[a-z'-]*\s+a..." with the first letter leading (then "\b" before it, looking back), so that the
            # regex engine skips to each occurrence of that letter: the same matches, ~10 times faster
            words = rf"{first}(?<=(?<!\w){first})[a-z'-]*" + "".join(rf"\s+{letter}[a-z'-]*" for letter in rest)
            pattern = re.compile(rf"{words}\b")
            counts = Counter(" ".join(m.split()) for m in pattern.findall(self._text))
            ranked = counts.most_common(2)
            clear = ranked and ranked[0][1] >= MIN_SPELLED_OUT and (len(ranked) == 1 or ranked[1][1] < ranked[0][1])
            self._spelled[acronym] = ranked[0][0] if clear else ""
        return self._spelled[acronym]

    def _holders_of(self, words: Sequence[str]) -> np.ndarray:
        """The numbers of the reviews that hold any of the words, a longer form of it or its root."""
        self._current()
        found = [self._holders[self._starts[at] : self._starts[end]] for w in words for at, end in self._forms(w)]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int32)

    def _users_of(self, words: Sequence[str]) -> np.ndarray:
        """The numbers of the reviews that use any of the words (as `_holders_of`), write out one that is a
        sector acronym, or write an acronym standing for words among which one is ("PSNI" for "police")."""
        found = [self._holders_of(words), *(self._saying(w.upper()) for w in words if w.upper() in SECTOR_ACRONYMS)]
        found += [self._acronyms_holding([w]) for w in words]
        return np.unique(np.concatenate(found))

    def _acronyms_holding(self, words: Sequence[str]) -> np.ndarray:
        """The numbers of the reviews that write a sector acronym one of whose phrases holds every one of the
        words ("YOT" for "youth offending team")."""
        acronyms = [a for a, phrases in _ACRONYMS_SAYING if any(all(w in p for w in words) for p in phrases)]
        found = [self._holders[self._starts[n] : self._starts[n + 1]] for a in acronyms if (n := self._exact(a)) >= 0]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int32)

    def _exact(self, word: str) -> int:
        """The number of the word in the index's sorted words, or -1 when no review uses it."""
        n = bisect.bisect_left(self._words, word)
        return n if n < len(self._words) and self._words[n] == word else -1

    def _saying(self, acronym: str) -> np.ndarray:
        """The numbers of the reviews that write out a sector acronym ("youth justice" for "YOT"): one pass over
        the corpus's text per acronym, kept until the index changes."""
        if acronym not in self._written_out:
            phrases = (r"[\s-]+".join(map(re.escape, p.split())) for p in SECTOR_ACRONYMS[acronym])
            pattern = re.compile(r"\b(?:" + "|".join(phrases) + r")\b")
            starts = [start for start, _ in self._spans]
            found = {bisect.bisect_right(starts, m.start()) - 1 for m in pattern.finditer(self._text)}
            self._written_out[acronym] = np.array(sorted(found), dtype=np.int32)
        return self._written_out[acronym]

    def _forms(self, word: str) -> list[tuple[int, int]]:
        """Ranges of the numbers of the index's words that are the word, a longer form of it, or its root."""
        prefix = word[: max(MIN_PREFIX, len(word) - SUFFIX_ROOM)]
        at = bisect.bisect_left(self._words, prefix)
        found = [(at, bisect.bisect_left(self._words, prefix + "\uffff", lo=at))]  # the words beginning with it
        for size in range(max(MIN_ROOT, len(word) - ROOT_ROOM), min(len(word), MIN_PREFIX) + 1):  # short roots
            at = bisect.bisect_left(self._words, word[:size])
            if at < len(self._words) and self._words[at] == word[:size]:
                found.append((at, at + 1))
        return found

    def _current(self) -> None:
        built = self.catalog.get_meta("built_at")
        if built == self._built and self._number:
            return
        texts = {review.review_id: review.text.lower() for review in self.catalog.reviews()}
        self._number = {review_id: n for n, review_id in enumerate(texts)}
        first_seen: dict[str, int] = {}  # word -> its number in the order met (one review's words at a time)
        held = []
        for text in texts.values():
            words = set(_WORD.findall(text))
            first_seen.update(zip(words.difference(first_seen), itertools.count(len(first_seen))))
            held.append(np.fromiter(map(first_seen.__getitem__, words), np.int32, len(words)))
        self._words = sorted(first_seen)
        rank = np.zeros(len(first_seen), dtype=np.int32)  # number in the order met -> number in sorted order
        rank[np.fromiter(map(first_seen.__getitem__, self._words), np.int64, len(self._words))] = np.arange(
            len(self._words), dtype=np.int32
        )
        word_ids = rank[np.concatenate(held)] if held else np.zeros(0, dtype=np.int32)
        order = np.argsort(word_ids)
        self._holders = np.repeat(np.arange(len(held), dtype=np.int32), [len(h) for h in held])[order]
        self._starts = np.searchsorted(word_ids[order], np.arange(len(self._words) + 1))
        self._text = "\0".join(texts.values())  # a match cannot cross a NUL: each review's text is searched alone
        self._spans = list(_spans(texts.values()))
        self._spelled = {}
        self._written_out = {}
        self._built = built


def _one_letter_away(word: str) -> set[str]:
    """The words one letter away: one deleted, swapped with the next, changed or inserted."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in letters),
        *(a + c + b for a, b in splits for c in letters),
    } - {word}


def _spans(texts: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where each text is in the texts joined by one character."""
    at = 0
    for text in texts:
        yield at, at + len(text)
        at += len(text) + 1


def _with_formal_word(word: str) -> tuple[str, ...]:
    """The word (lower-cased), the formal word for an everyday one, and its irregular forms."""
    word = word.lower()
    return (word, *((EVERYDAY[word],) if word in EVERYDAY else ()), *IRREGULAR_FORMS.get(word, ()))
