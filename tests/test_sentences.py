"""Where a paragraph's sentences end (core.text.sentence_ends): a quotation of several sentences is one, so what a
child said is quoted whole; a curly closing quote ends a sentence as a straight one does. And a table's row is one
unit (core.units.split_units), so a cell's sentences keep the row they belong to."""

from __future__ import annotations

import pytest
from growth import LINEAR, growth

from core.models import Chunk
from core.text import sentence_ends
from core.units import split_units
from retriever.units import list_items

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


def test_a_paragraph_leading_in_to_items_that_each_open_on_their_number_is_not_one_of_them() -> None:
    """A template's instruction over "**Learning 1: ...**" paragraphs, split across chunks, is no learning point;
    a section whose paragraphs are not numbered keeps its first."""
    paragraphs = [
        "Identify each individual learning point arising in this case.",
        "**Learning 1: Contact was by telephone.** The health visitor never saw R undressed.",
        "**Learning 2: Missed appointments were closed by letter.** Nobody put the pattern together.",
        "**Learning 3: Housing saw the home.** The officer did not share what she saw.",
    ]
    text = "\n\n".join(paragraphs)
    first = len("\n\n".join(paragraphs[:2]))
    chunks = [
        Chunk("c1", "r", "R", None, ("Learning",), "Learning", 1, 1, 0, first, (1,), text[:first]),
        Chunk("c2", "r", "R", None, ("Learning",), "Learning", 1, 2, first + 2, len(text), (1,), text[first + 2 :]),
    ]
    assert [item.unit.text for item in list_items(chunks)] == paragraphs[1:]
    plain = "The GP saw R twice.\n\nThe nursery noticed bruising.\n\nThe police attended once."
    chunk = Chunk("c", "r", "R", None, ("Learning",), "Learning", 1, 1, 0, len(plain), (1,), plain)
    assert len(list_items([chunk])) == 3


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


def _units(text: str) -> list[str]:
    chunk = Chunk("c", "r", "Rapid Review: Baby P", None, ("Chronology",), "Chronology", 0, 1, 0, len(text), (1,), text)
    return [u.text for u in split_units(chunk)]


def test_a_table_row_is_one_unit_and_a_paragraph_its_sentences() -> None:
    row = "Date: 19 December 2023; Agency: GP; Event: Seen with a bruise. No referral made; no follow-up."
    paragraph = "The school noted: he was tired; he was hungry. Nobody asked why."
    assert _units(f"{row}\n{paragraph}") == [row, "The school noted: he was tired; he was hungry.", "Nobody asked why."]


def test_sub_bullets_word_saves_as_text_are_list_items() -> None:
    """A Word list's "o" sub-bullets, saved as text, are items, each its own unit; a line opening on a word
    starting with "o" is not."""
    text = "The council should agree a protocol so that:\n  o a concern is shared;\n  o the child is seen.\nof note."
    units = split_units(Chunk("c", "r", "R", None, ("Recs",), "Recs", 0, 1, 0, len(text), (1,), text))
    assert [(u.text, u.is_bullet) for u in units][1:3] == [("a concern is shared;", True), ("the child is seen.", True)]
    assert not units[-1].is_bullet


def test_a_numbered_paragraph_announcing_the_list_is_not_one_of_its_items() -> None:
    """ "4.1 The review has identified the following findings." opens the findings; the findings are 4.2 on."""
    text = "4.1 The review has identified the following findings.\n4.2 Neglect was not recognised.\n4.3 Nobody asked."
    chunk = Chunk("c", "r", "R", None, ("4. Findings",), "4. Findings", 1, 1, 0, len(text), (1,), text)
    assert [item.unit.text for item in list_items([chunk])] == ["Neglect was not recognised.", "Nobody asked."]


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "Date: x" + "; A" + "a" * n,
        lambda n: "Date: x" + "; Aa aa aa aa aa" * (n // 16),
        lambda n: "Date: " + ";" * n,
    ],
)
def test_reading_a_table_row_is_linear_on_a_hostile_megabyte(make) -> None:  # type: ignore[no-untyped-def]
    _units(make(MEGABYTE))
    assert growth(_units, make, 20_000) < LINEAR


def test_the_list_of_a_review_with_thousands_of_sections_is_read_linearly() -> None:
    """A recommendations section split into a sub-section per recommendation, thousands of them: each section is
    placed under its parents once, not compared with every other section."""

    def make(n: int) -> list[Chunk]:
        text = "The council should review its policy."
        return [
            Chunk(f"c{i}", "r", "R", None, ("Recs", f"Rec {i}"), f"Rec {i}", i, 1, 0, len(text), (1,), text)
            for i in range(n)
        ]

    assert len(list_items(make(300))) == 300
    assert growth(list_items, make, 300) < LINEAR
