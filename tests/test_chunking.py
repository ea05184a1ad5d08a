"""Long sections are split at bullet or sentence ends, and every part still says where it comes from."""

from __future__ import annotations

import re
from pathlib import Path

import layouts
import pytest

from core.models import Chunk, Review, Section
from ingest.chunking import MAX_TOKENS, chunk_review, estimate_tokens
from ingest.loaders import load
from ingest.normalise import build_review

_SENTENCE_OR_LINE_END = re.compile(r"[.!?][\"')\]]?$")


def _long_review(tmp_path: Path) -> Path:
    """A review whose 'Findings' section is several windows long: paragraphs of sentences and bullets."""
    sentences = [
        f"Agency {n} held information about the family that was not shared at the strategy meeting in month {n}."
        for n in range(1, 31)
    ]
    paragraphs = [" ".join(sentences[i : i + 10]) for i in range(0, 30, 10)]  # each longer than the window
    bullets = [f"- Practitioners in team {n} should record the child's voice at every visit." for n in range(1, 25)]
    bullets.append("- Managers should review supervision arrangements")  # a bullet with no full stop
    text = "\n\n".join(
        [
            "Child Safeguarding Practice Review: Child Z",
            "Background",
            "Child Z is eight years old.",
            "Findings",
        ]
        + paragraphs
        + ["\n".join(bullets), "Recommendations", "- Share information early."]
    )
    path = tmp_path / "child-z.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _parts(chunks: list[Chunk], label: str) -> list[Chunk]:
    return [c for c in chunks if c.section_label == label]


def _assert_split_cleanly(review: Review, section: Section, parts: list[Chunk]) -> None:
    """Parts tile the section (only whitespace between them) and each ends at a sentence or line end."""
    assert parts[0].start == section.start and parts[-1].end == section.end
    for before, after in zip(parts, parts[1:], strict=False):
        assert review.text[before.end : after.start].strip() == ""
    for part in parts:
        at_line_end = part.end == section.end or review.text[part.end] == "\n"
        assert at_line_end or _SENTENCE_OR_LINE_END.search(part.text), f"part ends mid-sentence: {part.text[-60:]!r}"
        assert part.text == review.text[part.start : part.end]
        assert part.embed_text.startswith(f"{review.title}. {' > '.join(section.path)}.\n")
        assert part.embed_text.endswith(part.text)


def test_a_long_section_is_split_at_sentence_and_bullet_ends(tmp_path: Path) -> None:
    path = _long_review(tmp_path)
    review, sections = build_review(path, load(path, 10_000_000))
    chunks = chunk_review(review, sections)
    assert [s.label for s in sections] == ["Background", "Findings", "Recommendations"]
    findings = _parts(chunks, "Findings")
    assert len(findings) >= 4
    assert [c.part for c in findings] == list(range(1, len(findings) + 1))
    _assert_split_cleanly(review, sections[1], findings)
    for part in findings:
        assert estimate_tokens(part.text) <= MAX_TOKENS
    assert review.title == "Child Safeguarding Practice Review: Child Z"
    assert all(c.embed_text.startswith("Child Safeguarding Practice Review: Child Z. Findings.\n") for c in findings)
    # the unpunctuated last bullet is whole, at the end of the last part
    assert findings[-1].text.endswith("- Managers should review supervision arrangements")


def test_short_sections_are_one_chunk_each(tmp_path: Path) -> None:
    path = _long_review(tmp_path)
    review, sections = build_review(path, load(path, 10_000_000))
    chunks = chunk_review(review, sections)
    assert [c.text for c in _parts(chunks, "Background")] == ["Child Z is eight years old."]
    assert [c.text for c in _parts(chunks, "Recommendations")] == ["- Share information early."]


@pytest.mark.parametrize("layout", layouts.TEXT, ids=lambda layout: layout.file_name)
def test_sections_of_every_text_layout_split_cleanly_with_a_small_window(layout: layouts.Layout) -> None:
    path = layouts.FIXTURES / layout.file_name
    review, sections = build_review(path, load(path, 10_000_000))
    chunks = chunk_review(review, sections, max_tokens=40)
    assert len(chunks) > len(sections)
    for section in sections:
        parts = _parts(chunks, section.label)
        _assert_split_cleanly(review, section, parts)


def test_chunk_ids_are_stable_and_unique(tmp_path: Path) -> None:
    path = _long_review(tmp_path)
    first = chunk_review(*build_review(path, load(path, 10_000_000)))
    second = chunk_review(*build_review(path, load(path, 10_000_000)))
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == len(first)
    assert all(c.chunk_id.startswith("child-z:") for c in first)


def test_same_named_sections_keep_distinct_labels_in_their_chunks(tmp_path: Path) -> None:
    path = tmp_path / "baby-l-rapid-review.md"
    path.write_text(
        "# Rapid Review: Baby L\n\n## Learning\n\nHealth visitors should see where a baby sleeps.\n\n"
        "## Actions taken\n\nThe hospital has changed its discharge checklist.\n\n"
        "## Learning\n\nPolice should share calls to homes with a newborn baby.\n",
        encoding="utf-8",
    )
    chunks = chunk_review(*build_review(path, load(path, 10_000_000)))
    learning = [c for c in chunks if c.section == "Learning"]
    assert {c.section_label for c in learning} == {"Learning (1 of 2)", "Learning (2 of 2)"}
    assert all(c.embed_text.startswith("Rapid Review: Baby L. Learning.\n") for c in learning)


def test_a_paragraph_with_no_sentence_stops_is_cut_into_chunks_within_the_limit(tmp_path: Path) -> None:
    """A paragraph of 20,000 words and no full stop is cut at spaces, so no chunk (and so no answer quoting one)
    runs to megabytes; every word is in a chunk, in order."""
    words = [f"word{i % 97}" for i in range(20_000)]
    path = tmp_path / "child-b-rapid-review.md"
    path.write_text("# Rapid Review: Child B\n\n## Findings\n\n" + " ".join(words) + "\n", encoding="utf-8")
    review, sections = build_review(path, load(path, 10_000_000))
    chunks = chunk_review(review, sections)
    assert all(estimate_tokens(c.text) <= MAX_TOKENS for c in chunks)
    assert " ".join(c.text for c in chunks).split() == words
