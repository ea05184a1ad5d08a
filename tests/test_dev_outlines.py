"""Ingest of the invented development corpus against the outlines read by hand in tests/golden/dev/.

Each golden file records a review's title, type, partnership, year, subjects, and its sections in order with their
kind and child, plus boilerplate strings that must reach no chunk (see tests/golden/dev/README.md). A last test
looks for running headers and footers without knowing their words: a line repeated across the pages of a
document must not be in any chunk.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from core.models import Chunk, LoadedText, Review, Section
from ingest.chunking import chunk_review
from ingest.loaders import load
from ingest.normalise import build_review, review_id_for

pytestmark = pytest.mark.integration

DEV_REVIEWS = ROOT / "evals" / "corpus-dev" / "reviews"
GOLDEN_DEV = Path(__file__).parent / "golden" / "dev"
MAX_BYTES = 10_000_000


@dataclass(frozen=True)
class Ingested:
    """One dev review as the real pipeline sees it: what the loader read, the review, its sections and chunks."""

    loaded: LoadedText
    review: Review
    sections: tuple[Section, ...]
    chunks: list[Chunk]


def _sources() -> dict[str, Path]:
    return {review_id_for(path): path for path in sorted(DEV_REVIEWS.iterdir()) if path.is_file()}


def _goldens() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(GOLDEN_DEV.glob("*.json"))]


GOLDENS = _goldens()
BY_ID = pytest.mark.parametrize("golden", GOLDENS, ids=[g["review_id"] for g in GOLDENS])


@functools.cache
def ingested(review_id: str) -> Ingested:
    """Load, clean, outline and chunk one dev review, once per test session."""
    path = _sources()[review_id]
    loaded = load(path, MAX_BYTES)
    review, sections = build_review(path, loaded)
    return Ingested(loaded, review, sections, chunk_review(review, sections))


def _diff(expected: Iterable[object], actual: Iterable[object], what: str) -> str:
    lines = difflib.unified_diff(
        [json.dumps(e, ensure_ascii=False) for e in expected],
        [json.dumps(a, ensure_ascii=False) for a in actual],
        f"golden {what}",
        f"ingested {what}",
        lineterm="",
    )
    return "\n".join(lines)


def test_every_dev_review_has_a_golden_outline() -> None:
    assert sorted(_sources()) == sorted(g["review_id"] for g in GOLDENS)
    for path in GOLDEN_DEV.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["review_id"] == path.stem


@BY_ID
def test_metadata_matches_golden(golden: dict[str, Any]) -> None:
    meta = ingested(golden["review_id"]).review.meta
    expected = {k: golden[k] for k in ("title", "review_type", "partnership", "year")}
    actual = {"title": meta.title, "review_type": meta.review_type, "partnership": meta.partnership, "year": meta.year}
    assert actual == expected


def _subject_name(subject: object) -> str:
    return subject if isinstance(subject, str) else subject.name  # type: ignore[attr-defined]


@BY_ID
def test_subjects_match_golden(golden: dict[str, Any]) -> None:
    """Every child the review is about, by its canonical name, in order of the review; aliases as a subset."""
    subjects = tuple(getattr(ingested(golden["review_id"]).review.meta, "subjects", ()))
    assert [_subject_name(s) for s in subjects] == [s["name"] for s in golden["subjects"]]
    for recorded, expected in zip(subjects, golden["subjects"], strict=True):
        if hasattr(recorded, "aliases"):
            missing = set(expected["aliases"]) - set(recorded.aliases)
            assert not missing, f"{expected['name']}: aliases {sorted(missing)} not recorded"


@BY_ID
def test_section_paths_match_golden(golden: dict[str, Any]) -> None:
    sections = ingested(golden["review_id"]).sections
    expected = [s["path"] for s in golden["sections"]]
    actual = [list(s.path) for s in sections]
    assert actual == expected, "section paths differ:\n" + _diff(expected, actual, "paths")


@BY_ID
def test_section_kinds_and_children_match_golden(golden: dict[str, Any]) -> None:
    sections = ingested(golden["review_id"]).sections
    expected = [[s["path"][-1], s["kind"], s["child"]] for s in golden["sections"]]
    actual = [[s.path[-1], str(s.kind), s.child] for s in sections]
    assert actual == expected, "section kinds or children differ:\n" + _diff(expected, actual, "[name, kind, child]")


@BY_ID
def test_every_chunk_carries_its_sections_kind_and_child(golden: dict[str, Any]) -> None:
    run = ingested(golden["review_id"])
    by_ordinal = {s.ordinal: s for s in run.sections}
    assert run.chunks
    for chunk in run.chunks:
        section = by_ordinal[chunk.section_ordinal]
        assert (chunk.section_path, str(chunk.section_kind), chunk.child) == (
            section.path,
            str(section.kind),
            section.child,
        )


@BY_ID
def test_no_chunk_holds_the_reviews_boilerplate(golden: dict[str, Any]) -> None:
    chunks = ingested(golden["review_id"]).chunks
    leaks = [(a, c.section_label) for c in chunks for a in golden["absent"] if a in c.text]
    assert not leaks, f"boilerplate in chunks (string, section): {leaks}"


# Running headers and footers, found without knowing their words -------------------------------------------------

_MARKUP = re.compile(r"^(?:#+|[-•*]|\*\*)\s*|\*\*$")
_DIGITS = re.compile(r"\d+")


def _line_key(line: str) -> str:
    """A line with markup and spacing normalised and every number made '0', so 'Page 2' and 'Page 3' match."""
    return _DIGITS.sub("0", " ".join(_MARKUP.sub("", line.strip()).split()))


def _source_pages(path: Path) -> list[str]:
    """The pages as the file itself holds them, read independently of Casewise's loader."""
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        running = "\n".join(p.text for s in document.sections for p in (*s.header.paragraphs, *s.footer.paragraphs))
        return [running] * 2 if running.strip() else []  # a Word header or footer is on every page
    if path.suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8").split("\f")
    return []


def repeated_lines(pages_sets: Iterable[Iterable[str]]) -> set[str]:
    """Keys of lines of three or more words that occur on two or more pages of one page set."""
    found: set[str] = set()
    for pages in pages_sets:
        seen_on: dict[str, set[int]] = {}
        for number, page in enumerate(pages):
            for line in page.split("\n"):
                key = _line_key(line)
                if len(key.split()) >= 3:
                    seen_on.setdefault(key, set()).add(number)
        found |= {key for key, on in seen_on.items() if len(on) >= 2}
    return found


def _pattern(key: str) -> re.Pattern[str]:
    """Matches the line a key came from, whatever its numbers and spacing."""
    parts = [r"\s+".join(re.escape(w) for w in part.split()) for part in key.split("0")]
    return re.compile(r"\d+".join(parts))


def _running_lines(review_id: str) -> set[str]:
    run = ingested(review_id)
    return repeated_lines([run.loaded.pages, _source_pages(_sources()[review_id])])


@BY_ID
def test_no_chunk_holds_a_line_repeated_across_pages(golden: dict[str, Any]) -> None:
    chunks = ingested(golden["review_id"]).chunks
    leaks = [
        (key, chunk.section_label)
        for key in sorted(_running_lines(golden["review_id"]))
        for chunk in chunks
        if _pattern(key).search(chunk.text)
    ]
    assert not leaks, f"lines repeated across pages found in chunks (line, section): {leaks}"


def test_the_repeated_line_finder_sees_every_multi_page_reviews_running_lines() -> None:
    """Guards the test above: each dev review printed on several pages carries a running header or footer."""
    multi_page = [rid for rid, path in _sources().items() if len(_source_pages(path)) > 1]
    assert len(multi_page) >= 4
    assert all(_running_lines(rid) for rid in multi_page)


@pytest.mark.parametrize(
    ("pages", "found"),
    [
        (["Westshire SCP | Review of Child K\nK was seen.", "Westshire SCP | Review of Child K\nK moved."], True),
        (["Body text.\nChild K review - page 1", "More text.\nChild K review - page 2"], True),
        (["## Findings\nThe GP was not told.", "## Findings\nThe school was not told."], False),
        (["The GP was not told about it.", "The school was told about it."], False),
    ],
)
def test_repeated_line_finder(pages: list[str], found: bool) -> None:
    assert bool(repeated_lines([pages])) is found
