"""Markdown ordered lists are indexed with the numbers a reader of the rendered review sees (CommonMark: the first
item's number starts the list, later items count up whatever they print); what renders as written is untouched."""

from __future__ import annotations

import pytest

from ingest.markdown_lists import ordered_lists_renumbered


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1. a\n1. b\n1. c\n", "1. a\n2. b\n3. c\n"),
        ("3. a\n\n1. b\n\n1. c\n", "3. a\n\n4. b\n\n5. c\n"),
        ("1) a\n1) b\n", "1) a\n2) b\n"),  # the delimiter is kept
        ("1. a\n   1. x\n   1. y\n1. b\n   1. z\n", "1. a\n   1. x\n   2. y\n2. b\n   1. z\n"),  # per level
        ("> 1. a\n> 1. b\n", "> 1. a\n> 2. b\n"),  # in a quote
        ("1. 1. a\n   1. b\n", "1. 1. a\n   2. b\n"),  # a list opening inside an item's first line
        ("1. a\n1. b\n\n---\n\n1. c\n", "1. a\n2. b\n\n---\n\n1. c\n"),  # a rule ends the list: a new one starts
    ],
)
def test_items_take_the_number_the_rendered_list_shows(written: str, shown: str) -> None:
    assert ordered_lists_renumbered(written) == shown


@pytest.mark.parametrize(
    "text",
    [
        "1. a\n2. b\n3. c\n",  # numbered by hand
        "1) a\n1. b\n",  # a new delimiter starts a new list
        "```\n1. a\n1. b\n```\n",  # code is shown as written
        "The review met in\n2023. It then\n1. said\n",  # '2023.' cannot interrupt a paragraph: no list
        "- a\n- b\n",
    ],
)
def test_what_renders_as_written_is_unchanged(text: str) -> None:
    assert ordered_lists_renumbered(text) == text
