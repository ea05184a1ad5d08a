"""The index's own words: whether reviews use a question's word, and acronyms the reviews write out in full.

The catalogue is a stand-in holding review texts written for the test; the vocabulary's reading of them is what
is under test."""

from __future__ import annotations

import re
from dataclasses import dataclass

from growth import LINEAR, growth

from retriever.vocabulary import EVERYDAY, MAX_ACRONYMS, Vocabulary, formal, singular_acronyms


@dataclass
class _Review:
    review_id: str
    text: str


class _Catalog:
    def __init__(self, *texts: str) -> None:
        self.stamp = "1"
        self.texts = list(texts)

    def reviews(self) -> list[_Review]:
        return [_Review(f"r{i}", text) for i, text in enumerate(self.texts)]

    def get_meta(self, key: str) -> str:
        return self.stamp


REVIEWS = (
    "The designated safeguarding lead made a referral. Later the designated safeguarding lead met the family.",
    "The child in need plan was closed. A child in need plan was opened again. Good practice was seen by the GP.",
)


def _vocabulary(*texts: str) -> Vocabulary:
    return Vocabulary(_Catalog(*texts))  # type: ignore[arg-type]


def test_an_acronym_the_reviews_write_out_is_followed_by_their_words() -> None:
    spelled = _vocabulary(*REVIEWS).spelled_out("Did the DSL challenge the CIN plan?")
    assert spelled == "Did the DSL (designated safeguarding lead) challenge the CIN (child in need) plan?"


def test_an_acronym_the_reviews_use_as_it_is_is_left_alone() -> None:
    """ "GP" is in the reviews; "good practice" has its letters but is not what it stands for."""
    assert _vocabulary(*REVIEWS).spelled_out("Was the GP told?") == "Was the GP told?"


def test_an_acronym_the_reviews_never_write_out_is_left_alone() -> None:
    assert _vocabulary(*REVIEWS).spelled_out("Was there a YOT worker?") == "Was there a YOT worker?"


def test_a_phrase_used_once_is_not_taken_for_what_an_acronym_stands_for() -> None:
    assert _vocabulary("The mother declined support.").spelled_out("Did the MDS act?") == "Did the MDS act?"


def test_a_new_build_reads_the_reviews_again() -> None:
    catalog = _Catalog("Nothing here.")
    vocabulary = Vocabulary(catalog)  # type: ignore[arg-type]
    assert vocabulary.spelled_out("Did the DSL act?") == "Did the DSL act?"
    catalog.texts, catalog.stamp = list(REVIEWS), "2"
    assert vocabulary.spelled_out("Did the DSL act?") == "Did the DSL (designated safeguarding lead) act?"


def test_uses_finds_a_word_in_another_form() -> None:
    vocabulary = _vocabulary(*REVIEWS)
    assert vocabulary.uses("referrals") and not vocabulary.uses("excluded")


def test_reviews_using_lists_the_reviews_with_a_form_of_the_word() -> None:
    vocabulary = _vocabulary(*REVIEWS, "No referral was made.")
    assert vocabulary.reviews_using("referrals") == ["r0", "r2"]
    assert vocabulary.reviews_using("excluded") == []


def test_formal_adds_the_formal_words_for_everyday_words_and_sector_acronyms() -> None:
    assert formal("What did the lad tell his YOT worker?") == (
        "What did the lad boy tell his YOT youth offending team youth justice worker?"
    )
    assert formal("Was the yot told?") == "Was the yot told?"  # an acronym is written in capitals


def test_only_the_first_few_acronyms_of_a_question_are_looked_up() -> None:
    """Each new acronym is a pass over every review's text: a question of hundreds of capitalised words costs a
    handful of passes, not hundreds."""
    catalog = _Catalog(*REVIEWS)
    vocabulary = Vocabulary(catalog)  # type: ignore[arg-type]
    hostile = " ".join(f"X{chr(65 + i % 26)}{chr(65 + i // 26)}" for i in range(400)) + " DSL"
    vocabulary.spelled_out(hostile)
    assert len(vocabulary._spelled) <= MAX_ACRONYMS


BANDS = (
    "The band played while the young person was banded by police. Interpreting was not offered.",
    "Her mum said the kids were missing school; the interpreter was absent.",
    "A review of multi-agency working: it's the practitioners' view that risk was missed.",
    "",
)


def _holds(text: str, word: str) -> bool:
    """The rule read off one review's own words: the word, a longer form of it (all but its last three letters,
    at least five), or its root (four letters or more, which the word extends by at most two)."""
    words = set(re.findall(r"[a-z][a-z']*", text.lower()))
    prefix = word[: max(5, len(word) - 3)]
    roots = {word[:size] for size in range(max(4, len(word) - 2), min(len(word), 5) + 1)}
    return any(w.startswith(prefix) or w in roots for w in words)


def test_uses_and_share_read_each_review_as_its_own_words_would() -> None:
    vocabulary = _vocabulary(*BANDS)
    words = ("band", "banded", "bands", "miss", "missing", "missed", "interpreter", "mum", "mother", "kid",
             "practitioner", "it's", "multi", "a", "re", "zebra", "")  # fmt: skip
    for word in words:
        holders = [f"r{i}" for i, text in enumerate(BANDS) if _holds(text, word) or _holds(text, formal_word(word))]
        assert vocabulary.share(word) == len(holders) / len(BANDS), word
        assert vocabulary.uses(word) == bool(holders), word
        for i in range(len(BANDS)):
            assert vocabulary.uses(word, [f"r{i}"]) == (f"r{i}" in holders), (word, i)
        assert not vocabulary.uses(word, ["no-such-review"])


def formal_word(word: str) -> str:
    return EVERYDAY.get(word, word)


def test_a_phrase_is_not_read_across_the_end_of_one_review_and_the_start_of_the_next() -> None:
    vocabulary = _vocabulary("It went to the designated", "safeguarding lead.", "The designated", "safeguarding lead.")
    assert vocabulary.spelled_out("Did the DSL act?") == "Did the DSL act?"


def test_says_finds_a_phrase_only_within_the_reviews_that_have_it() -> None:
    vocabulary = _vocabulary("The youth offending", "team met. Youth offending teams were told.", "Nothing.")
    assert vocabulary.says("youth offending team") and vocabulary.says("youth offending team", ["r1"])
    assert not vocabulary.says("youth offending team", ["r0", "r2", "no-such-review"])
    assert not vocabulary.says("offending team met", ["r0"]) and vocabulary.says("team met", ["r1"])


def test_says_finds_the_words_of_a_phrase_close_together_in_either_order() -> None:
    """ "Was a crime recorded?" is said by "recorded as a crime": the reviews must not be said to never mention it."""
    vocabulary = _vocabulary("The report was recorded as a crime two days later.", "A crime scene was not kept.")
    assert vocabulary.says("crime recorded") and vocabulary.says("crime recorded", ["r0"])
    assert not vocabulary.says("crime recorded", ["r1"])
    assert not _vocabulary("The crime was reported at once, and the report was recorded.").says("crime recorded")


def test_says_finds_the_words_of_a_phrase_in_their_other_forms() -> None:
    """ "Was any child sexually exploited?" is said by "child sexual exploitation"."""
    vocabulary = _vocabulary("Her care plan identified child sexual exploitation as a risk.", "The child was seen.")
    assert vocabulary.says("child sexually exploited") and not vocabulary.says("child sexually exploited", ["r1"])


def test_says_grows_linearly_with_runs_of_words_and_of_separators() -> None:
    def make(n: int) -> Vocabulary:
        return _vocabulary("crime " + "; " * n + " crime " * n + "crimes" * n + "x")

    ratio = growth(lambda v: v.says("crime recorded"), make, 2_000)
    assert ratio < LINEAR, f"says work grew {ratio:.0f} times for 8 times the input"


def test_a_plural_acronym_is_read_as_the_acronym_reviews_write() -> None:
    assert singular_acronyms("Any learning for GPs and DSLs?") == "Any learning for GP and DSL?"
    unchanged = "Was this discussed? Yes, with the MASH."
    assert singular_acronyms(unchanged) == unchanged


def test_a_sector_acronym_is_used_by_the_reviews_that_write_it_out() -> None:
    """ "YOT" is the youth offending team, now often "youth justice": a review saying either uses the acronym."""
    vocabulary = _vocabulary(
        "His youth justice worker saw him weekly.", "The youth offending team closed the case.", "No."
    )
    assert vocabulary.uses("yot", ["r0"]) and vocabulary.uses("yot", ["r1"]) and not vocabulary.uses("yot", ["r2"])
    assert vocabulary.reviews_using("yot") == ["r0", "r1"]


def test_a_review_writing_a_sector_acronym_uses_and_says_the_words_it_stands_for() -> None:
    """A review naming only "the PSNI" or "the YOT" is never said not to mention the police or a youth offending
    team, and a search for "the police" looks for "PSNI" too."""
    vocabulary = _vocabulary("It was known to the PSNI.", "The YOT worker saw him.", "The GP saw him.")
    assert vocabulary.uses("police", ["r0"]) and not vocabulary.uses("police", ["r2"])
    assert vocabulary.says("youth offending team", ["r1"]) and not vocabulary.says("youth offending team", ["r2"])
    assert vocabulary.says("police", ["r0"]) and not vocabulary.says("police", ["r1", "r2"])
    assert formal("Was he known to the police?") == "Was he known to the police PSNI?"
    ehc = _vocabulary("An application for an education, health and care needs assessment was refused.", "No.")
    assert ehc.says("EHCP", ["r0"]) and not ehc.says("EHCP", ["r1"])  # the plan's assessment names it


def test_a_long_word_no_review_uses_one_letter_from_one_they_use_is_read_as_it() -> None:
    vocabulary = _vocabulary("The recommendations were accepted.", "Recommendations followed. She was scared.")
    text, changes = vocabulary.respelled("Recomendations for the Baby N review")
    assert text == "Recommendations for the Baby N review" and changes == [("Recomendations", "recommendations")]
    for left in ("Was he shared with anyone?", "Was Child Recomendations seen?"):  # a short word; a name
        assert vocabulary.respelled(left) == (left, [])
