"""Golden section lists and chunk boundaries of the seed reviews, and the outline of each text layout.

The golden files in tests/golden/ were checked by hand against the source texts. When the outline or the
chunker changes on purpose, regenerate with `CASEWISE_UPDATE_GOLDEN=1 pytest tests/test_sections.py`, then
review the JSON diff line by line before committing it: a golden file is a reviewed record, never a blind
regenerate.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import layouts
import pytest
from conftest import CORPUS

from ingest.chunking import chunk_review
from ingest.headings import strip_number
from ingest.loaders import load
from ingest.normalise import build_review
from ingest.sections import find_outline

GOLDEN = Path(__file__).parent / "golden"
SEEDS = {
    "young-person-f-rapid-review": [
        "Background",
        "Family Circumstances",
        "Learning (1 of 2)",
        "Learning (2 of 2)",
    ],
    "child-m-serious-case-review": [
        "Background",
        "Safeguarding Concerns",
        "Implementing Change",
        "The Incident",
        "Recommendations",
        "The Findings",
        "The Review",
    ],
}


def outline_record(path: Path) -> dict[str, Any]:
    """What the golden file records: metadata, each section's label, path, pages and edges, chunk bounds."""
    review, sections = build_review(path, load(path, 10_000_000))
    chunks = chunk_review(review, sections)
    return {
        "review_id": review.review_id,
        "title": review.title,
        "subject": review.meta.subject,
        "review_type": review.meta.review_type,
        "sections": [
            {
                "label": s.label,
                "path": list(s.path),
                "ordinal": s.ordinal,
                "pages": list(review.pages_for(s.start, s.end)),
                "first_40": review.text[s.start : s.start + 40],
                "last_40": review.text[s.end - 40 : s.end],
            }
            for s in sections
        ],
        "chunks": [
            {
                "section": c.section_label,
                "part": c.part,
                "start": c.start,
                "end": c.end,
                "pages": list(c.pages),
            }
            for c in chunks
        ],
    }


def _dump(record: dict[str, Any]) -> str:
    """JSON with one section or chunk per line, so a diff names exactly what moved."""
    lines = ["{"]
    for key, value in record.items():
        if isinstance(value, list):
            items = [f"    {json.dumps(v, ensure_ascii=False)}" for v in value]
            lines.append(f'  "{key}": [\n' + ",\n".join(items) + "\n  ],")
        else:
            lines.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)},')
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_seed_outline_matches_golden(stem: str) -> None:
    golden_path = GOLDEN / f"{stem}.json"
    actual = _dump(outline_record(CORPUS / f"{stem}.txt"))
    if os.environ.get("CASEWISE_UPDATE_GOLDEN") == "1":
        golden_path.parent.mkdir(exist_ok=True)
        golden_path.write_text(actual, encoding="utf-8")
        pytest.fail(f"rewrote {golden_path}; review its diff by hand, then re-run without CASEWISE_UPDATE_GOLDEN")
    expected = golden_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{stem}.json", "actual", lineterm=""
        )
        pytest.fail("outline differs from the reviewed golden file:\n" + "\n".join(diff), pytrace=False)


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_golden_labels_are_the_reviewed_ones(stem: str) -> None:
    """Guards the golden files themselves: the section labels a reader sees, in reading order."""
    golden = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    assert [s["label"] for s in golden["sections"]] == SEEDS[stem]
    assert [s["ordinal"] for s in golden["sections"]] == list(range(1, len(SEEDS[stem]) + 1))


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("01 Background", "Background"),
        ("Safeguarding Concerns 02", "Safeguarding Concerns"),
        ("07. Implementing Change", "Implementing Change"),
        ("03", None),
        ("Learning", "Learning"),
        ("7 Minute Briefing", "7 Minute Briefing"),  # a count of minutes, not a section number
        ("10 Days Later", "10 Days Later"),
    ],
)
def test_panel_numbers_are_stripped_from_headings(raw: str, name: str | None) -> None:
    assert strip_number(raw) == name


def test_a_section_keeps_the_number_its_heading_prints() -> None:
    """The printed number of a heading in each style ('### 4.1', a numbered line, a roman or lettered one) stays
    with its section, as printed; a panel or page number at the end of a heading is no section number."""
    text = (
        "# Learning Review: Child Q\n\nIntroduction paragraph about Child Q and the review.\n\n"
        "## 4. Findings\n\n### 4.1 Information sharing\n\nThe school did not know.\n\n"
        "### 4.2. Supervision\n\nNo one asked.\n\n## Safeguarding Concerns 02\n\nThe police were called.\n\n"
        "## IV. Recommendations\n\nThe partnership should act.\n"
    )
    numbers = {s.path: s.number for s in find_outline(text).sections}
    assert numbers == {
        ("Introduction",): "",
        ("Findings", "Information sharing"): "4.1",
        ("Findings", "Supervision"): "4.2.",
        ("Safeguarding Concerns",): "",
        ("Recommendations",): "IV.",
    }


@pytest.mark.parametrize("layout", layouts.TEXT, ids=lambda layout: layout.file_name)
def test_each_text_layout_gives_its_outline(layout: layouts.Layout) -> None:
    """Headings, their nesting, kinds, children, subjects and metadata of a review written for the layout."""
    layouts.assert_outline(layouts.ingest(layouts.FIXTURES / layout.file_name), layout)


def test_numbered_paragraphs_stay_in_their_sections_body() -> None:
    """'4.12 On 3 May the school ...' and the short '4.2 Nobody asked J.' are paragraphs, not headings."""
    run = layouts.ingest(layouts.FIXTURES / layouts.NUMBERED_MD.file_name)
    body = layouts.section_body(run, ("Findings",))
    assert body.startswith("4.1 Agencies did not share")
    assert "\n4.2 Nobody asked J.\n" in body
    assert body.endswith("this was not included in the referral.")


def test_a_bold_run_in_is_not_a_heading() -> None:
    run = layouts.ingest(layouts.FIXTURES / layouts.BOLD_LINE_MD.file_name)
    body = layouts.section_body(run, ("Background",))
    assert "School." in body and "Neither stop was shared with his school." in body


def test_text_before_the_first_heading_becomes_an_introduction() -> None:
    text = (
        "Serious Case Review: Child Q\n\nThis review was commissioned in 2021.\n\nBackground\n\nQ lived with her aunt."
    )
    outline = find_outline(text)
    assert outline.title == "Serious Case Review: Child Q"
    assert [(s.label, text[s.start : s.end]) for s in outline.sections] == [
        ("Introduction", "This review was commissioned in 2021."),
        ("Background", "Q lived with her aunt."),
    ]


def test_a_covers_lines_set_as_headings_are_no_parents_of_the_outline() -> None:
    """A bilingual cover whose board and review type are set as headings over the first section is the cover, not
    the parent of every section; headings of one part among several keep their parts."""
    text = (
        "# Bwrdd Diogelu Plant Glanmor\n\n# Glanmor Safeguarding Children Board\n\n## Adolygiad Ymarfer Plant\n\n"
        "## Child Practice Review\n\n### Brief outline\n\nChild T was three when he was admitted to hospital.\n\n"
        "### Learning\n\nThe health visitor never saw T undressed after the six week check.\n"
    )
    outline = find_outline(text)
    assert [s.path for s in outline.sections] == [("Brief outline",), ("Learning",)]
    parts = "# Part 1\n\n## Background\n\nT lived with his father.\n\n# Part 2\n\n## Learning\n\nNobody saw T alone.\n"
    assert [s.path for s in find_outline(parts).sections] == [("Part", "Background"), ("Part", "Learning")]


def test_nested_headings_give_a_path_and_a_label() -> None:
    text = "# Review of Baby R\n\n## Findings\n\n### Health\n\nMissed checks.\n\n### Housing\n\nOvercrowding."
    outline = find_outline(text)
    assert outline.title == "Review of Baby R"
    assert [(s.path, s.label) for s in outline.sections] == [
        (("Findings", "Health"), "Findings > Health"),
        (("Findings", "Housing"), "Findings > Housing"),
    ]
