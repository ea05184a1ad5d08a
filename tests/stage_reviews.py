"""Two short reviews written for the stage tests, read by the real ingest stages (no model, no Chroma)."""

from __future__ import annotations

from pathlib import Path

from core.models import Chunk, LoadedText, Review, Section
from ingest.catalog import Catalog
from ingest.chunking import chunk_review
from ingest.normalise import build_review

CHILD_Q = "child-q-rapid-review"
YOUNG_PERSON_T = "young-person-t-learning-review"
REVIEWS = {
    f"{CHILD_Q}.md": """Rapid Review: Child Q

Background

Child Q lived with her grandmother in a small coastal town. She was nine years old when the review began.

Findings

1. Professionals did not speak to Child Q on her own.
2. The school nurse saw bruising twice and recorded it.

Recommendations

1. Agencies should see the child alone at every visit.
2. The partnership should audit referrals within six months.
""",
    f"{YOUNG_PERSON_T}.md": """Learning Review: Young Person T

Background

Young Person T was fifteen and had been excluded from two schools. His mother worked nights.

Learning

Youth workers knew of his debts to older boys but no referral was made. Housing officers moved the family
three times in a year, and each move broke his contact with the youth offending service.
""",
}


# A thematic review about no one child, whose learning is a list behind a lead-in line.
THEMATIC = "harbury-thematic-review-neglect"
THEMATIC_TEXT = """Thematic Review of Neglect in Harbury

Learning

Practitioners found neglect hard to name because:
- the families moved often;
- the home conditions were judged against each other;
- no agency held the whole history.

Supervision should test the threshold for neglect in every agency.
"""


def indexed(name: str) -> tuple[Review, tuple[Section, ...], list[Chunk]]:
    """One of the reviews above as ingest reads it: the review, its sections, its chunks."""
    text = THEMATIC_TEXT if name == f"{THEMATIC}.md" else REVIEWS[name]
    review, sections = build_review(Path(name), LoadedText((text,)))
    return review, sections, chunk_review(review, sections)


def catalog_of_both(folder: Path) -> Catalog:
    """A real catalogue holding both reviews (no vectors: what filters, vocabulary and reviews read)."""
    catalog = Catalog(folder / "casewise.sqlite3")
    catalog.replace_reviews([indexed(name) for name in REVIEWS])
    catalog.set_meta("built_at", "2026-12-01T00:00:00.000000+00:00")
    return catalog
