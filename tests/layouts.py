"""One invented review per layout, and what ingest must make of it: metadata, subjects, sections, kinds, furniture.

Text layouts are files in `fixtures/layouts/`; PDF and Word layouts are built by `builders.py` in the test run.
The expectations follow the conventions of `golden/dev/README.md`: numbers dropped from headings, label words
kept, only sections with text of their own listed, kind from the heading else its parent's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from pprint import pformat

import builders

from core.models import Chunk, Review, Section, SectionKind
from ingest.chunking import chunk_review
from ingest.loaders import load
from ingest.normalise import build_review

FIXTURES = Path(__file__).parent / "fixtures" / "layouts"
K = SectionKind

ExpectedSection = tuple[tuple[str, ...], str, str | None]


def sec(kind: SectionKind, *path: str, child: str | None = None) -> ExpectedSection:
    return (path, str(kind), child)


@dataclass(frozen=True)
class Layout:
    """A review written for one layout and the outline a reader sees in it."""

    file_name: str
    title: str
    review_type: str
    partnership: str
    year: int
    subjects: tuple[tuple[str, tuple[str, ...]], ...]
    sections: tuple[ExpectedSection, ...]
    absent: tuple[str, ...]  # furniture, title block or markup that must be in no chunk
    build: Callable[[Path], Path] | None = None  # None: a file in fixtures/layouts

    @property
    def stem(self) -> str:
        return Path(self.file_name).stem

    def write(self, folder: Path) -> Path:
        """The document in `folder`: built there, or copied from the fixtures."""
        target = folder / self.file_name
        if self.build is not None:
            return self.build(target)
        return Path(shutil.copy(FIXTURES / self.file_name, target))


@dataclass(frozen=True)
class Ingested:
    review: Review
    sections: tuple[Section, ...]
    chunks: list[Chunk]


def ingest(path: Path) -> Ingested:
    """The real pipeline from file to chunks."""
    review, sections = build_review(path, load(path, 10_000_000))
    return Ingested(review, sections, chunk_review(review, sections))


def section_body(run: Ingested, path: tuple[str, ...]) -> str:
    """The text of the section at `path`, failing clearly when there is none."""
    matches = [s for s in run.sections if s.path == path]
    assert matches, f"no section {path} in {[s.path for s in run.sections]}"
    return run.review.text[matches[0].start : matches[0].end]


def assert_outline(run: Ingested, layout: Layout) -> None:
    """Metadata, subjects (names, and aliases where ingest records them), sections with kind and child, furniture."""
    meta = run.review.meta
    subjects = tuple(getattr(meta, "subjects", ()))
    missing_aliases = [
        (name, sorted(set(aliases) - set(recorded.aliases)))
        for recorded, (name, aliases) in zip(subjects, layout.subjects, strict=False)
        if hasattr(recorded, "aliases") and not set(aliases) <= set(recorded.aliases)
    ]
    actual = {
        "metadata": (meta.title, meta.review_type, meta.partnership, meta.year),
        "subjects": [s if isinstance(s, str) else s.name for s in subjects],
        "missing aliases": missing_aliases,
        "sections": [(s.path, str(getattr(s, "kind", None)), getattr(s, "child", None)) for s in run.sections],
        "furniture in chunks": [(a, c.section_label) for c in run.chunks for a in layout.absent if a in c.text],
    }
    expected = {
        "metadata": (layout.title, layout.review_type, layout.partnership, layout.year),
        "subjects": [name for name, _ in layout.subjects],
        "missing aliases": [],
        "sections": list(layout.sections),
        "furniture in chunks": [],
    }
    differences = [
        f"{key}:\n  expected {pformat(expected[key])}\n  ingested {pformat(actual[key])}"
        for key in expected
        if actual[key] != expected[key]
    ]
    assert not differences, f"{layout.file_name} differs from its layout's outline:\n" + "\n".join(differences)


RUNNING_TITLE_PDF = Layout(
    "child-u-rapid-review.pdf",
    builders.CHILD_U_TITLE,
    "rapid review",
    "Ashcombe Safeguarding Children Partnership",
    2024,
    (("Child U", ("U",)),),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "Background"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement", "Health visiting"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement", "Police"),
        sec(K.LEARNING, "Learning"),
        sec(K.ACTIONS, "Immediate actions"),
    ),
    ("Ashcombe SCP |", "Page 1 of 3", "Page 2 of 3", "Page 3 of 3", "Published January 2024"),
    builders.write_running_title_pdf,
)
FONT_SIZE_PDF = Layout(
    "young-person-o-learning-review.pdf",
    builders.YOUNG_PERSON_O_TITLE,
    "learning review",
    "Fernley Safeguarding Children Partnership",
    2021,
    (("Young Person O", ("O",)),),
    (
        sec(K.SUMMARY, "Summary"),
        sec(K.BACKGROUND, "Background"),
        sec(K.AGENCY_INVOLVEMENT, "Practice episodes", "Episode 1: School refusal (2019)"),
        sec(K.AGENCY_INVOLVEMENT, "Practice episodes", "Episode 2: The move to college (2020)"),
        sec(K.FINDINGS, "Findings"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    ("Young Person O - learning review", "Learning Review: Young Person O", "Published May 2021"),
    builders.write_font_size_pdf,
)
HEADING_STYLES_DOCX = Layout(
    "baby-v-lcspr.docx",
    builders.BABY_V_TITLE,
    "local child safeguarding practice review",
    "Harbury and Lowe Safeguarding Children Partnership",
    2023,
    (("Baby V", ("V",)),),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "Background"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement", "Summary of contacts"),
        sec(K.FINDINGS, "Findings", "Advice was given but not checked"),
        sec(K.FINDINGS, "Findings", "Housing did not know about the baby"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    ("Harbury and Lowe SCP", "final report", "Published August 2023"),
    builders.write_heading_styles_docx,
)
BOLD_PARAGRAPH_DOCX = Layout(
    "siblings-y-and-z-scr.docx",
    builders.SIBLINGS_TITLE,
    "serious case review",
    "Tarnwick Safeguarding Children Partnership",
    2019,
    (("Sibling Y", ("Y",)), ("Sibling Z", ("Z",))),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "The children", "Sibling Y", child="Sibling Y"),
        sec(K.BACKGROUND, "The children", "Sibling Z", child="Sibling Z"),
        sec(K.FINDINGS, "Findings"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    (builders.SIBLINGS_TITLE, "Independent author: Joan Ferris", "Published April 2019"),
    builders.write_bold_paragraph_docx,
)
WEB_PAGE = Layout(
    "child-q-rapid-review.html",
    "Rapid Review: Child Q",
    "rapid review",
    "Westmarsh Safeguarding Children Partnership",
    2022,
    (("Child Q", ("Q",)),),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "Background"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement", "Drug and alcohol service"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement", "Health visiting"),
        sec(K.LEARNING, "Learning"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    (
        "We use cookies",
        "Case reviews and learning",
        "Related reviews",
        "Baby T: Serious Case Review",
        "Privacy notice",
        "ring the Westmarsh front door",
    ),
)
ALL_CAPS_TEXT = Layout(
    "child-k-rapid-review.txt",
    "Rapid Review: Child K",  # read in title case from its capitals
    "rapid review",
    "Brackenfield Safeguarding Children Partnership",
    2023,
    (("Child K", ("K",)),),
    (
        sec(K.INTRODUCTION, "INTRODUCTION"),
        sec(K.BACKGROUND, "BACKGROUND"),
        sec(K.AGENCY_INVOLVEMENT, "AGENCY INVOLVEMENT"),
        sec(K.LEARNING, "LEARNING"),
        sec(K.CONCLUSION, "DECISION"),
    ),
    ("Child K rapid review", "Official", "- 1 -", "- 2 -", "- 3 -"),
)
PART_HEADINGS_MD = Layout(
    "child-b-lcspr.md",
    "Local Child Safeguarding Practice Review: Child B",
    "local child safeguarding practice review",
    "Dunmore Safeguarding Children Partnership",
    2022,
    (("Child B", ("B",)),),
    (
        sec(K.INTRODUCTION, "Part 1: Why we carried out this review"),
        sec(K.BACKGROUND, "Part 2: Child B and her family"),
        sec(K.FINDINGS, "Part 3: What we found", "Finding 1: Nobody saw the whole picture"),
        sec(K.FINDINGS, "Part 3: What we found", "Finding 2: Missed health appointments were not followed up"),
        sec(K.RECOMMENDATIONS, "Part 4: Recommendations"),
    ),
    ("Local Child Safeguarding Practice Review: Child B", "Part 3: What we found", "## "),
)
BOLD_LINE_MD = Layout(
    "young-person-e-rapid-review.md",
    "Rapid Review: Young Person E",
    "rapid review",
    "Oakhurst Safeguarding Children Partnership",
    2024,
    (("Young Person E", ("E",)),),
    (
        sec(K.SUMMARY, "Summary"),
        sec(K.BACKGROUND, "Background"),
        sec(K.VIEWS, "What E told us"),
        sec(K.LEARNING, "Learning"),
        sec(K.ACTIONS, "Actions already taken"),
    ),
    ("Rapid Review: Young Person E", "**Summary**", "**What E told us**", "Published September 2024"),
)
NUMBERED_MD = Layout(
    "child-j-scr.md",
    "Serious Case Review: Child J",
    "serious case review",
    "Penhallow Local Safeguarding Children Board",
    2019,
    (("Child J", ("J",)),),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "Background", "Family history"),
        sec(K.BACKGROUND, "Background", "Housing"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement"),
        sec(K.FINDINGS, "Findings"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    ("Serious Case Review: Child J", "2. Background", "## "),
)
SEVERAL_CHILDREN_MD = Layout(
    "children-a-and-b-learning-review.md",
    "Learning Review: Child A and Child B",
    "learning review",
    "Kelsey Vale Safeguarding Children Partnership",
    2023,
    (("Child A", ("A",)), ("Child B", ("B",))),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "The children", "Child A", child="Child A"),
        sec(K.BACKGROUND, "The children", "Child B", child="Child B"),
        sec(K.LEARNING, "What we learned"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    ("Learning Review: Child A and Child B", "Published February 2023", "## "),
)
ROMAN_APPENDIX_TEXT = Layout(
    "arthur-lcspr.txt",
    'Local Child Safeguarding Practice Review: "Arthur"',
    "local child safeguarding practice review",
    "Greyhaven Safeguarding Children Partnership",
    2022,
    (("Arthur", ()),),
    (
        sec(K.SUMMARY, "Executive summary"),
        sec(K.BACKGROUND, "Arthur and his family"),
        sec(K.AGENCY_INVOLVEMENT, "Key events"),
        sec(K.FINDINGS, "Analysis"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
        sec(K.INTRODUCTION, "Appendix A: Terms of reference"),
        sec(K.OTHER, "Appendix B: Glossary"),
    ),
    ('Practice Review: "Arthur"', "Published November 2022", "I. Executive summary"),
)
MARGIN_HEADINGS_TEXT = Layout(
    "child-w-cspr.txt",
    "Child Safeguarding Practice Review: Child W",
    "child safeguarding practice review",
    "Eastmoor Safeguarding Children Partnership",
    2023,
    (("Child W", ("W",)),),
    (
        sec(K.INTRODUCTION, "Introduction"),
        sec(K.BACKGROUND, "Background"),
        sec(K.AGENCY_INVOLVEMENT, "Agency involvement"),
        sec(K.FINDINGS, "Findings"),
        sec(K.RECOMMENDATIONS, "Recommendations"),
    ),
    ("Published March 2023", "Introduction This", "Background W", "involvement recorded", "Findings Finding"),
)

BINARY_AND_WEB = (RUNNING_TITLE_PDF, FONT_SIZE_PDF, HEADING_STYLES_DOCX, BOLD_PARAGRAPH_DOCX, WEB_PAGE)
TEXT = (
    ALL_CAPS_TEXT,
    PART_HEADINGS_MD,
    BOLD_LINE_MD,
    NUMBERED_MD,
    SEVERAL_CHILDREN_MD,
    ROMAN_APPENDIX_TEXT,
    MARGIN_HEADINGS_TEXT,
)
ALL = BINARY_AND_WEB + TEXT
