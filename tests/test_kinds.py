"""Section kinds from heading trails: a sub-section of a section that judges the case keeps that kind when its
own short heading names only a kind that tells the case (so a list of findings has all of them)."""

from __future__ import annotations

import pytest

from core.models import SectionKind as K
from ingest.kinds import section_kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (("4. Findings", "Escalation between agencies"), K.FINDINGS),
        (("Learning", "The family's history"), K.LEARNING),
        (("Recommendations", "Summary"), K.RECOMMENDATIONS),
        (("Agency involvement", "Learning for the police"), K.LEARNING),  # a telling section's part may judge
        (("Findings", "What young people told us"), K.VIEWS),  # views and actions are kinds of their own
        (("Recommendations", "Actions already taken"), K.ACTIONS),
        (("Background", "Family history"), K.BACKGROUND),
        (("Summary", "Agency involvement"), K.AGENCY_INVOLVEMENT),  # nothing judging above it
        (("Key messages for practitioners",), K.LEARNING),  # as briefings head their learning
        (("Seven-minute briefing", "Messages for practice"), K.LEARNING),
        (("7 Minute Briefing", "What to do"), K.LEARNING),  # a briefing's messages for practice
        (("What practitioners should do",), K.LEARNING),
        (("Children's social care",), K.OTHER),  # a service, not the children: no background
        (("Is a local child safeguarding practice review recommended?",), K.OTHER),  # a decision: Yes. / No.
        (("Do the safeguarding partners agree with the recommendation?",), K.OTHER),
        (("Is there any learning of national importance?",), K.LEARNING),
        (("The children",), K.BACKGROUND),
        (("Recommendations", "Theme A: Safer sleep in every setting"), K.RECOMMENDATIONS),  # a theme groups them
        (("Cross-cutting themes", "Theme 1: Thresholds and waiting"), K.FINDINGS),
        (("Areas for development",), K.RECOMMENDATIONS),  # Scotland's learning reviews
    ],
)
def test_a_sub_section_takes_its_own_kind_unless_a_judging_section_holds_a_telling_one(
    path: tuple[str, ...], kind: K
) -> None:
    assert section_kind(path) is kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Why did we carry out this review?", K.INTRODUCTION),
        ("Who is Maya?", K.BACKGROUND),
        ("Who was involved?", K.AGENCY_INVOLVEMENT),
        ("What did we learn?", K.LEARNING),
        ("What has happened since?", K.ACTIONS),
    ],
)
def test_headings_put_as_questions_name_the_kind_they_ask_about(heading: str, kind: K) -> None:
    """A review written for families and practitioners heads its sections with questions."""
    assert section_kind((heading,)) is kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("BACKGROUND AND FAMILY CONTEXT", K.BACKGROUND),  # the family's context, not the review's
        ("Context", K.INTRODUCTION),
        ("KEY EPISODES AND SERVICE INVOLVEMENT", K.AGENCY_INVOLVEMENT),
    ],
)
def test_a_heading_naming_the_family_context_or_key_episodes_tells_the_case(heading: str, kind: K) -> None:
    assert section_kind((heading,)) is kind


def test_an_organisation_under_agency_involvement_is_agency_involvement_though_a_word_of_it_names_background() -> None:
    assert section_kind(("Agency involvement", "Family Nurse Partnership")) is K.AGENCY_INVOLVEMENT
    assert section_kind(("Agency involvement", "Family history")) is K.BACKGROUND
