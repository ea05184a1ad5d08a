"""Where a paragraph's sentences end (core.text.sentence_ends): a quotation of several sentences is one, so what a
child said is quoted whole; a curly closing quote ends a sentence as a straight one does."""

from __future__ import annotations

import pytest
from growth import LINEAR, growth

from core.text import sentence_ends

MEGABYTE = 1_000_000


def _sentences(line: str) -> list[str]:
    out, begin = [], 0
    for match in sentence_ends(line):
        out.append(line[begin : match.start() + len(match.group(0).rstrip())])
        begin = match.end()
    return [*out, line[begin:]]


@pytest.mark.parametrize(
    ("line", "sentences"),
    [
        (
            "Callum said: \u201cEveryone asked if Mum was alright. Nobody asked if I was.\u201d He was 14.",
            ["Callum said: \u201cEveryone asked if Mum was alright. Nobody asked if I was.\u201d",
             "He was 14."],
        ),
        (
            'She said: "I was scared. I did not know who to tell." The review agrees.',
            ['She said: "I was scared. I did not know who to tell."', "The review agrees."],
        ),
        (
            "He said \u201cno.\u201d Then \u201cyes. Maybe.\u201d The end.",
            ["He said \u201cno.\u201d", "Then \u201cyes. Maybe.\u201d", "The end."],
        ),
        ('The pipe was 5" long. Then it broke.', ['The pipe was 5" long.', "Then it broke."]),
        ("Callum\u2019s school noticed. His GP did not.", ["Callum\u2019s school noticed.", "His GP did not."]),
    ],
)  # fmt: skip
def test_a_quotation_of_several_sentences_is_one(line: str, sentences: list[str]) -> None:
    assert _sentences(line) == sentences


def test_a_quotation_never_closed_holds_back_only_a_few_hundred_characters() -> None:
    opened = 'She said "I was scared. ' + "It went on. " * 100
    assert len(_sentences(opened)) > 50


@pytest.mark.parametrize(
    "make",
    [
        lambda n: '"A. ' * (n // 4),
        lambda n: "\u201cA. " * (n // 4),
        lambda n: "A. " * (n // 3),
        lambda n: '"' * n + ". A",
    ],
)
def test_finding_sentence_ends_is_linear_on_a_hostile_megabyte(make) -> None:  # type: ignore[no-untyped-def]
    list(sentence_ends(make(MEGABYTE)))
    assert growth(lambda line: list(sentence_ends(line)), make, 20_000) < LINEAR
