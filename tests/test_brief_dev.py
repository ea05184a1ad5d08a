"""Briefs on dev-corpus reviews (invented, in their own layouts), with the real model: what a brief takes from
which kind of section, and what it leaves out."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOT

from core.models import SectionKind
from core.settings import Settings
from ingest.pipeline import ingest
from retriever.pipeline import Casewise
from trainer.brief import Brief, BriefBuilder, BriefPoint
from trainer.export import to_markdown

DEV = ROOT / "evals" / "corpus-dev" / "reviews"
DEV_REVIEWS = (
    "child-d-lcspr.md",
    "child-g-rapid-review.pdf",
    "baby-n-rapid-review.pdf",
    "young-person-t-rapid-review.md",
    "Infants_P_and_W_LCSPR.docx",
)
LEARNING = {SectionKind.LEARNING, SectionKind.FINDINGS}
RECOMMENDING = {SectionKind.RECOMMENDATIONS, SectionKind.ACTIONS}
LINK_TEXT = re.compile(r"see here|click here|read more|find out more", re.I)

# A web-page review written for this test: its learning and recommendations carry link text whose links were
# lost when the page became text.
CHILD_V = """# Rapid Review: Child V

Fenmoor Safeguarding Children Partnership. Published June 2024.

## Background

Child V is a nine-year-old girl who lives with her father and his partner. In March 2024 she was admitted to
hospital after taking tablets prescribed to her father, which were kept in an unlocked kitchen drawer.

## Learning

- Practitioners should ask who else lives in the home at every contact. See here for more information.
- Prescribed medicines in a home with children are a risk to them when they are not stored safely. Read more
- Click here to download the partnership's guidance on safe storage.

## Recommendations

1. The partnership should publish guidance on the safe storage of medicines. For more information click here.
2. GP practices should record who a child lives with when a parent is prescribed strong painkillers.
"""


@pytest.fixture(scope="module")
def casewise(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("dev-briefs")
    docs = folder / "docs"
    docs.mkdir()
    for name in DEV_REVIEWS:
        shutil.copy(DEV / name, docs / name)
    (docs / "child-v-rapid-review.md").write_text(CHILD_V, encoding="utf-8")
    settings = Settings.from_env(env={}, home=folder / "home")
    report = ingest([docs], settings, lambda: real_embedder)
    assert not report.failed
    return Casewise.open(settings, real_embedder)


@pytest.fixture(scope="module")
def builder(casewise: Casewise) -> BriefBuilder:
    return BriefBuilder(casewise.index, casewise.searcher, casewise.generator, casewise.themes)


def kinds(points: tuple[BriefPoint, ...], casewise: Casewise) -> set[SectionKind]:
    chunks = casewise.catalog.chunks([p.citations[0].chunk_id for p in points])
    return {chunks[p.citations[0].chunk_id].section_kind for p in points}


def every_text(brief: Brief) -> str:
    return "\n".join(p.text for s in brief.summaries for p in s.points) + "\n" + to_markdown(brief)


def assert_points_come_from_their_kinds(brief: Brief, casewise: Casewise) -> None:
    assert kinds(brief.learning, casewise) <= LEARNING
    assert kinds(brief.recommendations, casewise) <= RECOMMENDING


@pytest.mark.integration
def test_a_review_brief_lists_its_recommendations_and_leaves_out_good_practice_and_chronology(
    builder: BriefBuilder, casewise: Casewise
) -> None:
    brief = builder.build(reviews=["child-d-lcspr"])
    assert_points_come_from_their_kinds(brief, casewise)
    recommendations = [p.text for p in brief.recommendations]
    assert any(
        t.startswith("Harrowfield Safeguarding Children Partnership should relaunch the Graded Care")
        for t in recommendations
    )
    assert any("Was Not Brought policy" in t for t in recommendations)
    assert any("start again syndrome" in p.text for p in brief.learning)
    points = " ".join(p.text for p in brief.learning + brief.recommendations)
    assert "breakfast club gave Child D a reliable meal" not in points  # good practice
    assert "the school refers concerns about hunger" not in points  # the chronology
    assert "special guardianship orders" not in points  # the outcome


@pytest.mark.integration
def test_immediate_actions_are_recommendations_and_a_learning_must_stays_learning(
    builder: BriefBuilder, casewise: Casewise
) -> None:
    brief = builder.build(question="What should happen when a baby is seen with a bruise?")
    assert_points_come_from_their_kinds(brief, casewise)
    assert any(p.text.startswith("Any bruise on a baby who is not yet mobile must be referred") for p in brief.learning)
    assert not any("must be referred under the bruising protocol" in p.text for p in brief.recommendations)
    assert any(p.text.startswith("The GP practice reviewed the case") for p in brief.recommendations)
    assert "The GP recorded the bruise and the explanation" not in every_text(brief)  # agency involvement
    reviewed = builder.build(reviews=["baby-n-rapid-review"])
    assert reviewed.recommendations and kinds(reviewed.recommendations, casewise) == {SectionKind.ACTIONS}


@pytest.mark.integration
def test_a_domestic_abuse_brief_quotes_recommendations_and_analysis_never_the_story(
    builder: BriefBuilder, casewise: Casewise
) -> None:
    brief = builder.build(theme="domestic abuse")
    assert_points_come_from_their_kinds(brief, casewise)
    assert {p.review_id for p in brief.recommendations} >= {"child-g-rapid-review"}
    assert any(p.text.startswith("The MARAC should record a named lead") for p in brief.recommendations)
    assert any("victims in their own right" in p.text for p in brief.learning)
    points = " ".join(p.text for p in brief.learning + brief.recommendations)
    assert "were called to the family’s address 9 times" not in points


@pytest.mark.integration
def test_an_online_harm_brief_from_a_review_with_bold_headings(builder: BriefBuilder, casewise: Casewise) -> None:
    brief = builder.build(theme="online harm", reviews=["young-person-t-rapid-review"])
    assert_points_come_from_their_kinds(brief, casewise)
    assert any("online safety education" in p.text for p in brief.recommendations)
    assert any("blackmailed with intimate images" in p.text for p in brief.learning)
    assert "T was contacted on a social media platform" not in " ".join(p.text for p in brief.learning)


@pytest.mark.integration
def test_link_text_without_its_link_never_appears_in_a_brief(builder: BriefBuilder, casewise: Casewise) -> None:
    brief = builder.build(reviews=["child-v-rapid-review"])
    text = every_text(brief)
    assert not LINK_TEXT.search(text)
    assert "Practitioners should ask who else lives in the home at every contact. [" in text
    assert "The partnership should publish guidance on the safe storage of medicines. [" in text
    assert "more information" not in text.lower()
    assert len(brief.learning) == 2 and len(brief.recommendations) == 2  # the all-link bullet is gone
    review = casewise.review("child-v-rapid-review")
    assert review is not None
    assert all(review.text[c.start : c.end] == c.quote for c in brief.sources)


def test_a_case_is_introduced_by_the_paragraph_first_naming_its_child(builder: BriefBuilder) -> None:
    """What happened to the child, not the family's background (Baby N's mother's age, Child G's household)."""
    brief = builder.build(reviews=["child-g-rapid-review", "baby-n-rapid-review"])
    summaries = {s.review_id: " ".join(p.text for p in s.points) for s in brief.summaries}
    assert "seriously injured" in summaries["child-g-rapid-review"], summaries
    assert "fractured skull" in summaries["baby-n-rapid-review"], summaries


def test_a_question_brief_finds_the_recommendation_on_its_matter(builder: BriefBuilder, casewise: Casewise) -> None:
    """Learning and recommendations are each searched for: the learning on fathers (in analysis and learning
    sections) had filled the search, and the brief said no recommendation was found."""
    brief = builder.build(question="How do services work with fathers?")
    assert any("include fathers" in p.text for p in brief.recommendations), [p.text for p in brief.recommendations]
    assert_points_come_from_their_kinds(brief, casewise)
