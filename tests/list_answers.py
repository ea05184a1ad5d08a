"""List layouts indexed for a test, and what a reader sees in a list answer: one line per item, the item under the
label the review prints, each cited, and the review's numbered sub-headings over the items they hold."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from core.settings import Settings
from core.text import tidy
from ingest.pipeline import ingest
from retriever.models import Answer
from retriever.pipeline import Casewise

_CITED = re.compile(r"\[\d+\]$")

# An item as a reader of the document lists it: its printed label, its first words and its last words.
Item = tuple[str, str, str]


def assert_items(answer: Answer, expected: tuple[Item, ...]) -> None:
    """Every item, in order, as `label words [n]` with `words` the whole of the cited quote (not split nor
    merged), and no other cited line."""
    assert not answer.abstained, answer.text
    lines = [line for line in answer.text.split("\n") if _CITED.search(line)]
    assert len(lines) == len(answer.citations) == len(expected), answer.text  # one line per item, every item cited
    for line, citation, (label, first, last) in zip(lines, answer.citations, expected, strict=True):
        assert line == tidy(f"{label} {citation.quote} [{citation.marker}]"), (line, label)
        assert citation.quote.startswith(first) and citation.quote.endswith(last), (citation.quote, first, last)


def uncited_lines(answer: Answer) -> list[str]:
    """The answer's lines that cite nothing: its list titles and the sub-headings over items."""
    return [line for line in answer.text.split("\n") if line.strip() and not _CITED.search(line)]


def index_reviews(
    folder: Path, fixtures: Path | None, built: Mapping[str, Callable[[Path], Path]], embedder: Any
) -> Casewise:
    """The fixture reviews (none without a folder) and those built in the run (file name -> writer), indexed with
    the embedder given."""
    docs = folder / "reviews"
    if fixtures is None:
        docs.mkdir(parents=True)
    else:
        shutil.copytree(fixtures, docs, ignore=shutil.ignore_patterns("README.md"))
    for name, write in built.items():
        write(docs / name)
    settings = Settings.from_env(env={}, home=folder / "home")
    report = ingest([docs], settings, lambda: embedder)
    assert not report.failed, report.failed
    return Casewise.open(settings, embedder)
